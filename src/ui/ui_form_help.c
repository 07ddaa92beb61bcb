/* ui_form_help.c - the form's help (F1): what the current field is and takes, then the
 * form's keys as the key table names them. */
#include "ui/ui_form_help.h"

#include <stdlib.h>

#include "forms/expr.h"
#include "forms/field.h"
#include "lib/i18n.h"
#include "lib/number.h"
#include "lib/str.h"
#include "ui/ui_view.h"

struct uses {
	int field;
	bool found;
};

static void note_use(void *ctx, int id)
{
	struct uses *u = ctx;

	if (id == u->field)
		u->found = true;
}

/* What the help says of field i: its type, limits, answers, help text and targets, and
 * the computed values it goes into. */
static void field_help(const struct form *f, int i, struct strbuf *out)
{
	const struct field *fd = &f->fields[i];
	const char *help = i18n_pick(fd->help, fd->help_en);

	sb_addf(out, "%s\n", i18n_pick(fd->label, fd->label_en));
	if (fd->compute_text) {
		char *readable = form_readable_expr(f, fd->compute_text);

		sb_addf(out, _("Computed: %s\n"), readable);
		free(readable);
	} else {
		sb_add(out, _("Answer: "));
		field_answer_hint(fd, out);
		sb_add(out, "\n");
	}
	if (help[0])
		sb_addf(out, "\n%s\n", help);
	if (fd->target.op != TG_NONE) {
		sb_addf(out, _("\nTarget: %s %s\n"), fd->target.text, fd->unit);
		sb_addf(out, _("Source: %s\n"), i18n_pick(fd->target.source, fd->target.source_en));
	}
	/* Targets mostly sit on rates computed from this value: show those too. */
	for (int j = 0; j < f->nfields; j++) {
		const struct field *c = &f->fields[j];
		struct uses u = { i, false };

		if (!c->compute)
			continue;
		expr_each_ref(c->compute, note_use, &u);
		if (!u.found)
			continue;
		{
			char *readable = form_readable_expr(f, c->compute_text);

			sb_addf(out, _("\nUsed to compute %s = %s\n"), i18n_pick(c->label, c->label_en), readable);
			free(readable);
		}
		if (c->target.op != TG_NONE) {
			sb_addf(out, _("Target: %s %s\n"), c->target.text, c->unit);
			sb_addf(out, _("Source: %s\n"), i18n_pick(c->target.source, c->target.source_en));
		}
	}
	/* The code is what `tianbao set` and the export files call the field. */
	sb_addf(out, _("\nCode (for tianbao set and the export files): %s\n"), fd->code);
}

void ui_form_help(struct ui *ui, const struct form *f, int field, const struct offer *offers)
{
	struct strbuf sb;

	sb_init(&sb);
	if (field >= 0)
		field_help(f, field, &sb);
	sb_addf(&sb, "\n%s\n", _("Keys"));
	keys_help(offers, &sb);
	sb_addf(&sb, "\n%s\n", _("A character typed as you come to a field replaces its value, as in a spreadsheet; "
				  "an arrow key first keeps it to change. Esc puts back the saved value."));
	sb_addf(&sb, "\n%s\n", _("Values are saved when the cursor leaves a field; there is no save step."));
	ui_view_text(ui, _("Help"), sb_str(&sb));
	sb_free(&sb);
}

