/* entry.c - the rules of a form applied to values on their way into the store. */
#include "core/entry.h"

#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "lib/str.h"

int entry_check_unit(struct store *st, const struct formset *fs, const char *unit, struct err *e)
{
	const struct unit *u = formset_find_unit(fs, unit);
	const struct unit *own;
	char *mine = NULL;

	if (!u) {
		err_set(e, _("unknown unit '%s': it is not in %s"), unit, fs->units_file ? fs->units_file : "units.ini");
		return -1;
	}
	if (store_meta_get(st, "unit", &mine, e) != 0)
		return -1;
	own = mine ? formset_find_unit(fs, mine) : NULL;
	if (mine && !own) {
		/* Not a township then, whatever the unit was: refuse rather than allow all. */
		err_set(e, _("this installation reports for unit %s, which %s no longer lists. Ask the township for its current forms, or run 'tianbao init --unit CODE'."),
			mine, fs->units_file ? fs->units_file : "units.ini");
		free(mine);
		return -1;
	}
	if (own && own->kind != UK_TOWNSHIP && strcmp(own->code, unit) != 0) {
		err_set(e, _("this installation reports for %s (%s); it cannot enter data for %s (%s)"),
			i18n_pick(own->name, own->name_en), own->code, i18n_pick(u->name, u->name_en), u->code);
		free(mine);
		return -1;
	}
	free(mine);
	return 0;
}

int entry_check_form_period(const struct formset *fs, const struct form *f, const char *unit, const char *period,
			    struct err *e)
{
	const struct unit *u = formset_find_unit(fs, unit);
	static const char *examples[] = { "2026", "2026Q1", "202603" };
	static const char *per[] = { N_("yearly"), N_("quarterly"), N_("monthly") };

	if (!u) {
		err_set(e, _("unknown unit '%s': it is not in %s"), unit, fs->units_file ? fs->units_file : "units.ini");
		return -1;
	}
	if (!form_applies_to(f, u)) {
		err_set(e, _("form '%s' is not reported by %s (%s)"), f->id, i18n_pick(u->name, u->name_en), u->code);
		return -1;
	}
	if (!period_valid(period, f->period)) {
		if (period_type_of(period) < 0)
			err_set(e, _("'%s' is not a period: write a year (2026), a quarter (2026Q1) or a month (202603)"), period);
		else
			err_set(e, _("form '%s' is %s, so write the period like %s, not '%s'"), f->id,
				_(per[f->period]), examples[f->period], period);
		return -1;
	}
	return 0;
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

void entry_free_raw(char **raw, int n)
{
	if (!raw)
		return;
	for (int i = 0; i < n; i++)
		free(raw[i]);
	free(raw);
}

int entry_evaluate(struct store *st, const struct form *f, const char *unit, const char *period,
		   struct form_eval *ev, char ***raw_out, struct err *e)
{
	char **raw = xcalloc((size_t)f->nfields + 1, sizeof *raw);

	form_eval_init(ev, f);
	if (store_load_form_values(st, f, unit, period, raw, e) != 0) {
		free(raw);
		form_eval_free(ev);
		return -1;
	}
	form_evaluate(ev, (const char *const *)raw);
	if (raw_out)
		*raw_out = raw;
	else
		entry_free_raw(raw, f->nfields);
	return 0;
}

/* One form touched by a batch: its stored values with the batch laid over them. */
struct touched {
	const struct form *form;
	char **raw;
	bool loaded;
};

int entry_set_values(struct store *st, const struct formset *fs, const char *unit, const char *period,
		     const char *form_id, const struct entry_input *in, int n, const char *operator_name,
		     const char *reason, const struct entry_known *known, struct entry_outcome *out, struct err *e)
{
	const struct form *only = NULL;
	struct touched *forms = xcalloc((size_t)n + 1, sizeof *forms);
	struct value_change *changes = xcalloc((size_t)n + 1, sizeof *changes);
	char **canon = xcalloc((size_t)n + 1, sizeof *canon);
	int *field_index = xcalloc((size_t)n + 1, sizeof *field_index);
	int *form_of = xcalloc((size_t)n + 1, sizeof *form_of);
	int nforms = 0, rc = -1;

	memset(out, 0, sizeof *out);
	if (!(known && known->unit_checked) && entry_check_unit(st, fs, unit, e) != 0)
		goto done;
	if (form_id && !(only = formset_find_form(fs, form_id))) {
		err_set(e, _("unknown form '%s'"), form_id);
		goto done;
	}
	for (int i = 0; i < n; i++) {
		const struct form *f;
		int fi = -1, k;
		struct err ve;
		struct ev num;

		form_of[i] = -1;
		f = formset_form_of_field(fs, in[i].field, &fi);
		if (!f) {
			reject(out, in[i].field, _("%s: no form has this field"), in[i].field);
			continue;
		}
		if (only && f != only) {
			reject(out, in[i].field, _("%s: this field is on form '%s', not '%s'"), in[i].field, f->id, only->id);
			continue;
		}
		for (int j = 0; j < i; j++) {
			if (strcmp(in[j].field, in[i].field) == 0) {
				reject(out, in[i].field, _("%s: given twice"), in[i].field);
				fi = -1;
				break;
			}
		}
		if (fi < 0)
			continue;
		if (entry_check_form_period(fs, f, unit, period, &ve) != 0) {
			reject(out, in[i].field, "%s: %s", in[i].field, ve.msg);
			continue;
		}
		if (field_parse(&f->fields[fi], in[i].value, &canon[i], &num, &ve) != 0) {
			reject(out, in[i].field, "%s: %s", in[i].field, ve.msg);
			continue;
		}
		for (k = 0; k < nforms && forms[k].form != f; k++)
			;
		if (k == nforms)
			forms[nforms++].form = f;
		form_of[i] = k;
		field_index[i] = fi;
	}
	/* Skip logic looks at the form as it will be: stored values with this batch over them. */
	for (int k = 0; k < nforms && out->nrejected == 0; k++) {
		const struct form *f = forms[k].form;
		struct form_eval ev;

		forms[k].raw = xcalloc((size_t)f->nfields + 1, sizeof *forms[k].raw);
		forms[k].loaded = true;
		if (known && known->form == f) {
			for (int j = 0; j < f->nfields; j++)
				forms[k].raw[j] = known->raw[j] ? xstrdup(known->raw[j]) : NULL;
		} else if (store_load_form_values(st, f, unit, period, forms[k].raw, e) != 0) {
			goto done;
		}
		for (int i = 0; i < n; i++) {
			if (form_of[i] != k)
				continue;
			free(forms[k].raw[field_index[i]]);
			forms[k].raw[field_index[i]] = canon[i] ? xstrdup(canon[i]) : NULL;
		}
		form_eval_init(&ev, f);
		form_evaluate(&ev, (const char *const *)forms[k].raw);
		for (int i = 0; i < n; i++) {
			const struct field *fd;

			if (form_of[i] != k || !canon[i] || !ev.fields[field_index[i]].skipped)
				continue;
			fd = &f->fields[field_index[i]];
			reject(out, in[i].field, _("%s: this question is not asked here (skip_if: %s), so it takes no value"),
			       in[i].field, fd->skip_if_text ? fd->skip_if_text : f->sections[fd->section].skip_if_text);
		}
		form_eval_free(&ev);
	}
	if (out->nrejected > 0) {
		rc = 0;
		goto done;
	}
	for (int i = 0; i < n; i++) {
		changes[i].field = in[i].field;
		changes[i].form = forms[form_of[i]].form->id;
		changes[i].value = canon[i];
	}
	rc = store_write_values(st, unit, period, changes, n, operator_name, reason, &out->written, e);
done:
	for (int k = 0; k < nforms; k++)
		if (forms[k].loaded)
			entry_free_raw(forms[k].raw, forms[k].form->nfields);
	for (int i = 0; i < n; i++)
		free(canon[i]);
	free(canon);
	free(forms);
	free(changes);
	free(field_index);
	free(form_of);
	return rc;
}

int entry_complete(struct store *st, const struct formset *fs, const char *unit, const char *period,
		   const struct form *f, const char *operator_name, struct form_eval *ev, struct err *e)
{
	if (entry_check_unit(st, fs, unit, e) != 0 || entry_check_form_period(fs, f, unit, period, e) != 0)
		return -1;
	if (entry_evaluate(st, f, unit, period, ev, NULL, e) != 0)
		return -1;
	if (ev->errors > 0)
		return 1;
	{
		bool *conflict = xcalloc((size_t)f->nfields + 1, sizeof *conflict);
		int n = 0, rc = store_form_conflicts(st, f, unit, period, conflict, &n, e);

		free(conflict);
		if (rc != 0 || n > 0) {
			if (n > 0)
				err_set(e, _("form '%s' of %s for %s has %d value(s) in conflict between copies: decide them first ('tianbao conflicts', or F6 in the list of forms)"),
					f->id, unit, period, n);
			form_eval_free(ev);
			return -1;
		}
	}
	return store_set_form_state(st, unit, period, f->id, FST_COMPLETE, operator_name, e);
}
