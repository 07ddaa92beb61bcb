/* entry.c - the rules of a form applied to values on their way into the store (see
 * entry.h). */
#include "core/entry.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "forms/field.h"
#include "forms/period.h"
#include "lib/text.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "store/states.h"

/* The unit reports form f, and the period is of f's kind. */
static int check_form_period(const struct formset *fs, const struct form *f, const char *unit, const char *period,
			     struct err *e)
{
	const struct unit *u = formset_need_unit(fs, unit, e);

	if (!u)
		return -1;
	if (!form_applies_to(f, u)) {
		err_set(e, _("form '%s' is not reported by %s (%s)"), f->id, i18n_pick(u->name, u->name_en), u->code);
		return -1;
	}
	return period_check_form(period, f, e);
}

static void reject(struct entry_outcome *o, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void reject(struct entry_outcome *o, const char *field, const char *fmt, ...)
{
	va_list ap;

	o->rejected = xreallocarray(o->rejected, (size_t)o->nrejected + 1, sizeof *o->rejected);
	o->rejected[o->nrejected].field = xstrdup(field);
	va_start(ap, fmt);
	o->rejected[o->nrejected].message = xvasprintf(fmt, ap);
	va_end(ap);
	o->nrejected++;
}

void entry_outcome_free(struct entry_outcome *o)
{
	for (int i = 0; i < o->nrejected; i++) {
		free(o->rejected[i].field);
		free(o->rejected[i].message);
	}
	free(o->rejected);
	memset(o, 0, sizeof *o);
}

/* A batch of inputs on their way to the store. */
struct batch {
	const struct formset *fs;
	const char *unit, *period;
	const struct entry_input *in;
	int n;
	char **canon;                   /* per input: the text to store (NULL clears) */
	int *form_of, *field_index;     /* per input: into forms, and the field's index */
	const struct form **forms;      /* the forms the batch writes to */
	int nforms;
	struct entry_outcome *out;
	struct entry_form *open;        /* the screen's open form, whose values are known */
	bool reread;                    /* the open form was read again (changed elsewhere) */
	char **open_raw;                /* the open form as it will be, and its evaluation: */
	struct form_eval open_ev;       /* what it shows once the write is done */
};

static void batch_init(struct batch *b, const struct formset *fs, const char *unit, const char *period,
		       const struct entry_input *in, int n, struct entry_outcome *out)
{
	memset(b, 0, sizeof *b);
	b->fs = fs;
	b->unit = unit;
	b->period = period;
	b->in = in;
	b->n = n;
	b->out = out;
	b->canon = xcalloc((size_t)n + 1, sizeof *b->canon);
	b->form_of = xcalloc((size_t)n + 1, sizeof *b->form_of);
	b->field_index = xcalloc((size_t)n + 1, sizeof *b->field_index);
	b->forms = xcalloc((size_t)n + 1, sizeof *b->forms);
}

static void free_raw(char **raw, int n)
{
	if (!raw)
		return;
	for (int j = 0; j < n; j++)
		free(raw[j]);
	free(raw);
}

static void batch_free(struct batch *b)
{
	if (b->open) {
		free_raw(b->open_raw, b->open->form->nfields);
		form_eval_free(&b->open_ev);
	}
	for (int i = 0; i < b->n; i++)
		free(b->canon[i]);
	free(b->canon);
	free(b->form_of);
	free(b->field_index);
	free(b->forms);
}

/* Each input against its field: known, on the form asked for (only), not given twice, of
 * a form the unit reports in a period of its kind, of the right type and range. */
static void check_inputs(struct batch *b, const struct form *only)
{
	char eb[TEXT_ECHO_SIZE];
	for (int i = 0; i < b->n; i++) {
		const struct entry_input *in = &b->in[i];
		const struct form *f;
		int fi = -1, k;
		struct err ve;
		struct ev num;

		b->form_of[i] = -1;
		f = formset_form_of_field(b->fs, in->field, &fi);
		if (!f) {
			reject(b->out, in->field, _("%s: no form has this field"), text_echo(in->field, eb, sizeof eb));
			continue;
		}
		if (only && f != only) {
			reject(b->out, in->field, _("%s: this field is on form '%s', not '%s'"), in->field, f->id, only->id);
			continue;
		}
		for (int j = 0; j < i; j++) {
			if (strcmp(b->in[j].field, in->field) == 0) {
				reject(b->out, in->field, _("%s: given twice"), text_echo(in->field, eb, sizeof eb));
				fi = -1;
				break;
			}
		}
		if (fi < 0)
			continue;
		/* An open form's unit, form and period were checked when it was opened. */
		if (!b->open && check_form_period(b->fs, f, b->unit, b->period, &ve) != 0) {
			reject(b->out, in->field, "%s: %s", in->field, ve.msg);
			continue;
		}
		if (!in->comment_only && field_parse(&f->fields[fi], in->value, &b->canon[i], &num, &ve) != 0) {
			reject(b->out, in->field, "%s: %s", in->field, ve.msg);
			continue;
		}
		if (in->set_comment && comment_check(in->comment, &ve) != 0) {
			reject(b->out, in->field, "%s: %s", in->field, ve.msg);
			continue;
		}
		/* A comment explains a figure: an empty value has none to explain, and the
		 * reports, which list figures, would never show it. */
		if (in->set_comment && in->comment && in->comment[0] && !in->comment_only && !b->canon[i]) {
			reject(b->out, in->field, _("%s: a comment goes with a value: enter the value first"), in->field);
			continue;
		}
		for (k = 0; k < b->nforms && b->forms[k] != f; k++)
			;
		if (k == b->nforms)
			b->forms[b->nforms++] = f;
		b->form_of[i] = k;
		b->field_index[i] = fi;
	}
}

/* Inside the write transaction, before anything is written: skip logic looks at each
 * form as it will be - its values as stored now (the open form's, read again when
 * another tianbao changed the database) with the batch laid over them. */
static int check_skips(void *ctx, struct store *st, struct err *e)
{
	struct batch *b = ctx;

	for (int k = 0; k < b->nforms; k++) {
		const struct form *f = b->forms[k];
		char **raw = xcalloc((size_t)f->nfields + 1, sizeof *raw);
		struct form_eval ev;
		int rc = 0;

		if (b->open && b->open->form == f) {
			if ((rc = entry_refresh(b->open, e)) < 0) {
				free(raw);
				return -1;
			}
			b->reread = b->reread || rc > 0;
			for (int j = 0; j < f->nfields; j++)
				raw[j] = b->open->status.raw[j] ? xstrdup(b->open->status.raw[j]) : NULL;
		} else if (store_load_form_values(st, f, b->unit, b->period, raw, NULL, e) != 0) {
			free(raw);
			return -1;
		}
		for (int i = 0; i < b->n; i++) {
			/* A comment alone leaves the value as stored. */
			if (b->form_of[i] != k || b->in[i].comment_only)
				continue;
			free(raw[b->field_index[i]]);
			raw[b->field_index[i]] = b->canon[i] ? xstrdup(b->canon[i]) : NULL;
		}
		form_eval_init(&ev, f);
		form_evaluate(&ev, (const char *const *)raw);
		for (int i = 0; i < b->n; i++) {
			const struct field *fd;

			if (b->form_of[i] != k || !b->canon[i] || !ev.fields[b->field_index[i]].skipped)
				continue;
			fd = &f->fields[b->field_index[i]];
			reject(b->out, b->in[i].field, _("%s: this question is not asked here (skip_if: %s), so it takes no value"),
			       b->in[i].field, fd->skip_if_text ? fd->skip_if_text : f->sections[fd->section].skip_if_text);
		}
		if (b->open && b->open->form == f) {
			/* Kept: it is what the screen shows once the write is done. */
			free_raw(b->open_raw, f->nfields);
			form_eval_free(&b->open_ev);
			b->open_raw = raw;
			b->open_ev = ev;
			continue;
		}
		form_eval_free(&ev);
		free_raw(raw, f->nfields);
	}
	return b->out->nrejected > 0 ? 1 : 0;
}

/* The checked batch written in one transaction, or nothing when the skip logic refuses
 * an input (then 0 with the refusals in b->out). */
static int write_batch(struct store *st, struct batch *b, const char *operator_name, const char *reason, struct err *e)
{
	struct value_change *changes = xcalloc((size_t)b->n + 1, sizeof *changes);
	int rc;

	for (int i = 0; i < b->n; i++) {
		changes[i].field = b->in[i].field;
		changes[i].form = b->forms[b->form_of[i]]->id;
		changes[i].value = b->canon[i];
		changes[i].set_comment = b->in[i].set_comment;
		changes[i].comment = b->in[i].comment;
		changes[i].comment_only = b->in[i].comment_only;
	}
	rc = store_write_values(st, b->unit, b->period, changes, b->n, operator_name, reason, check_skips, b,
				&b->out->written, e);
	free(changes);
	return rc < 0 ? -1 : 0;
}

int entry_set_values(struct store *st, const struct access *acc, const struct formset *fs, const char *unit,
		     const char *period, const char *form_id, const struct entry_input *in, int n,
		     const char *operator_name, const char *reason, struct entry_outcome *out, struct err *e)
{
	const struct form *only = NULL;
	struct batch b;
	int rc;

	memset(out, 0, sizeof *out);
	if (access_check_unit(acc, fs, unit, e) != 0)
		return -1;
	if (form_id && !(only = formset_find_form(fs, form_id))) {
		err_set(e, _("unknown form '%s'"), form_id);
		return -1;
	}
	batch_init(&b, fs, unit, period, in, n, out);
	check_inputs(&b, only);
	rc = out->nrejected > 0 ? 0 : write_batch(st, &b, operator_name, reason, e);
	batch_free(&b);
	return rc;
}

/* ---- a form open on a screen ------------------------------------------------------ */

static int read_form(struct entry_form *ef, struct err *e)
{
	/* The version first: a change that slips in before the read makes it look older,
	 * which only means one read more. */
	if (store_data_version(ef->st, &ef->data_version, e) != 0)
		return -1;
	return form_status_load(ef->st, ef->form, ef->unit, ef->period, &ef->status, e);
}

int entry_open(struct store *st, const struct access *acc, const struct formset *fs, const char *unit,
	       const char *period, const struct form *f, struct entry_form *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (access_check_unit(acc, fs, unit, e) != 0 || check_form_period(fs, f, unit, period, e) != 0)
		return -1;
	out->st = st;
	out->fs = fs;
	out->form = f;
	out->unit = unit;
	out->period = period;
	return read_form(out, e);
}

int entry_refresh(struct entry_form *ef, struct err *e)
{
	int64_t now;

	if (store_data_version(ef->st, &now, e) != 0)
		return -1;
	if (now == ef->data_version)
		return 0;
	return entry_reload(ef, e) == 0 ? 1 : -1;
}

int entry_reload(struct entry_form *ef, struct err *e)
{
	form_status_free(&ef->status);
	return read_form(ef, e);
}

void entry_close(struct entry_form *ef)
{
	form_status_free(&ef->status);
	memset(ef, 0, sizeof *ef);
}

/* A refusal "FIELD: why" as the person at the field reads it: the field is on screen. */
static char *without_code(const char *msg, const char *code)
{
	size_t n = strlen(code);

	return xstrdup(strncmp(msg, code, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ' ? msg + n + 2 : msg);
}

static int set_field(struct entry_form *ef, int field, const char *typed, bool set_comment, const char *comment,
		     const char *operator_name, struct entry_saved *out, char **refusal, struct err *e)
{
	const struct field *fd = &ef->form->fields[field];
	/* A comment given here is for the value as stored (read again in the write). */
	struct entry_input in = { fd->code, typed, set_comment, comment, set_comment };
	struct entry_outcome o;
	struct batch b;
	int rc;

	memset(out, 0, sizeof *out);
	*refusal = NULL;
	memset(&o, 0, sizeof o);
	batch_init(&b, ef->fs, ef->unit, ef->period, &in, 1, &o);
	b.open = ef;
	check_inputs(&b, ef->form);
	rc = o.nrejected > 0 ? 0 : write_batch(ef->st, &b, operator_name, "typed", e);
	if (rc == 0 && o.nrejected > 0) {
		*refusal = without_code(o.rejected[0].message, fd->code);
		rc = 1;
	} else if (rc == 0) {
		struct form_status *s = &ef->status;

		/* The form as the skip check saw it with this value in: what is stored now. */
		free_raw(s->raw, ef->form->nfields);
		form_eval_free(&s->ev);
		s->raw = b.open_raw;
		s->ev = b.open_ev;
		b.open_raw = NULL;
		memset(&b.open_ev, 0, sizeof b.open_ev);
		s->conflict[field] = false;
		if (set_comment) {
			free(s->comment[field]);
			s->comment[field] = comment && comment[0] ? xstrdup(comment) : NULL;
		}
		/* What the store made of the form's state (in progress, stamped after the one it
		 * replaced), read back rather than guessed. */
		if (store_get_form_state(ef->st, ef->unit, ef->period, ef->form->id, &s->stored, e) != 0)
			rc = -1;
		form_status_recount(s);
		out->written = o.written.written > 0;
		out->decided = o.written.decided > 0;
		out->value = s->raw[field];
		out->state = s->stored.state;
		out->reread = b.reread;
	}
	batch_free(&b);
	entry_outcome_free(&o);
	return rc;
}

int entry_set_field(struct entry_form *ef, int field, const char *typed, const char *operator_name,
		    struct entry_saved *out, char **refusal, struct err *e)
{
	return set_field(ef, field, typed, false, NULL, operator_name, out, refusal, e);
}

int entry_set_comment(struct entry_form *ef, int field, const char *comment, const char *operator_name,
		      struct entry_saved *out, char **refusal, struct err *e)
{
	if (comment && comment[0] && !ef->status.raw[field]) {
		*refusal = xstrdup(_("a comment goes with a value: enter the value first"));
		memset(out, 0, sizeof *out);
		return 1;
	}
	return set_field(ef, field, "", true, comment, operator_name, out, refusal, e);
}

int entry_complete(struct store *st, const struct access *acc, const struct formset *fs, const char *unit,
		   const char *period, const struct form *f, const char *operator_name, struct form_eval *ev,
		   struct err *e)
{
	struct form_status fst;

	form_eval_init(ev, f);
	if (access_check_unit(acc, fs, unit, e) != 0 || check_form_period(fs, f, unit, period, e) != 0 ||
	    form_status_load(st, f, unit, period, &fst, e) != 0) {
		form_eval_free(ev);
		return -1;
	}
	/* The evaluation goes to the caller, which lists its problems. */
	form_eval_free(ev);
	*ev = fst.ev;
	memset(&fst.ev, 0, sizeof fst.ev);
	fst.ev.form = f;
	if (ev->errors > 0) {
		form_status_free(&fst);
		return 1;
	}
	if (fst.nconflicts > 0) {
		err_set(e, _("form '%s' of %s for %s has %d value(s) in conflict between copies: decide them first ('tianbao conflicts', or F6 in the list of forms)"),
			f->id, unit, period, fst.nconflicts);
		form_status_free(&fst);
		form_eval_free(ev);
		return -1;
	}
	form_status_free(&fst);
	if (store_set_form_state(st, unit, period, f->id, FST_COMPLETE, operator_name, e) != 0) {
		form_eval_free(ev);
		return -1;
	}
	return 0;
}

/* ---- deciding conflicts --------------------------------------------------------------- */

static int open_conflict(struct store *st, const struct access *acc, const struct formset *fs, const char *unit,
			 const char *period, const char *field, struct err *e)
{
	bool open = false;

	if (access_check_unit(acc, fs, unit, e) != 0 || store_conflict_is_open(st, unit, period, field, &open, e) != 0)
		return -1;
	if (!open) {
		err_set(e, _("there is no open conflict for %s %s %s: nothing to resolve (see 'tianbao conflicts')"), unit,
			period, field);
		return -1;
	}
	return 0;
}

int entry_resolve_take(struct store *st, const struct access *acc, const struct formset *fs, const char *unit,
		       const char *period, const char *field, const char *prefix, const char *operator_name,
		       struct resolve_result *res, struct err *e)
{
	memset(res, 0, sizeof *res);
	if (open_conflict(st, acc, fs, unit, period, field, e) != 0)
		return -1;
	return store_resolve_take(st, unit, period, field, prefix, operator_name, res, e);
}

int entry_resolve_undo(struct store *st, const struct access *acc, const struct formset *fs,
		       const struct resolve_result *res, const char *operator_name, struct err *e)
{
	if (res->undo && access_check_unit(acc, fs, resolve_undo_unit(res->undo), e) != 0)
		return -1;
	return store_resolve_undo(st, res->undo, operator_name, e);
}

int entry_resolve_value(struct store *st, const struct access *acc, const struct formset *fs, const char *unit,
			const char *period, const char *field, const char *value, const char *operator_name,
			struct entry_outcome *out, struct err *e)
{
	struct entry_input in = { field, value, false, NULL, false };

	memset(out, 0, sizeof *out);
	if (open_conflict(st, acc, fs, unit, period, field, e) != 0)
		return -1;
	/* Typed here, it decides the conflict: the audit says "resolved". */
	return entry_set_values(st, acc, fs, unit, period, NULL, &in, 1, operator_name, "typed", out, e);
}
