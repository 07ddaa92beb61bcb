/* form_status.c - the state a form is shown in (see form_status.h). */
#include "core/form_status.h"

#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/mem.h"
#include "store/values.h"

enum form_state form_status_shown(enum form_state stored, int nvalues, int nconflicts)
{
	if (stored == FST_COMPLETE && nconflicts > 0)
		return FST_PROGRESS;
	if (stored == FST_EMPTY && nvalues > 0)
		return FST_PROGRESS;
	return stored;
}

const char *form_status_word(enum form_state shown)
{
	switch (shown) {
	case FST_PROGRESS: return _("in progress");
	case FST_COMPLETE: return _("complete");
	default: return _("empty");
	}
}

void form_status_recount(struct form_status *fs)
{
	const struct form *f = fs->ev.form;

	fs->nvalues = fs->nconflicts = 0;
	for (int i = 0; i < f->nfields; i++) {
		fs->nvalues += fs->raw[i] != NULL;
		fs->nconflicts += fs->conflict[i];
	}
	fs->shown = form_status_shown(fs->stored.state, fs->nvalues, fs->nconflicts);
}

void form_status_refresh(struct form_status *fs)
{
	const struct form *f = fs->ev.form;

	form_eval_free(&fs->ev);
	form_eval_init(&fs->ev, f);
	form_evaluate(&fs->ev, (const char *const *)fs->raw);
	form_status_recount(fs);
}

int form_status_load(struct store *st, const struct form *f, const char *unit, const char *period,
		     struct form_status *out, struct err *e)
{
	int n = 0;

	memset(out, 0, sizeof *out);
	out->raw = xcalloc((size_t)f->nfields + 1, sizeof *out->raw);
	out->comment = xcalloc((size_t)f->nfields + 1, sizeof *out->comment);
	out->conflict = xcalloc((size_t)f->nfields + 1, sizeof *out->conflict);
	form_eval_init(&out->ev, f);
	if (store_get_form_state(st, unit, period, f->id, &out->stored, e) != 0 ||
	    store_load_form_values(st, f, unit, period, out->raw, out->comment, e) != 0 ||
	    store_form_conflicts(st, f, unit, period, out->conflict, &n, e) != 0) {
		form_status_free(out);
		return -1;
	}
	form_status_refresh(out);
	return 0;
}

void form_status_free(struct form_status *fs)
{
	if (fs->raw && fs->ev.form)
		for (int i = 0; i < fs->ev.form->nfields; i++) {
			free(fs->raw[i]);
			if (fs->comment)
				free(fs->comment[i]);
		}
	free(fs->raw);
	free(fs->comment);
	free(fs->conflict);
	form_eval_free(&fs->ev);
	memset(fs, 0, sizeof *fs);
}
