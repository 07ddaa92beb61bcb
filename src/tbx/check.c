/* check.c - a file's values against this installation's units and forms (see check.h). */
#include "tbx/check.h"

#include <stdlib.h>
#include <string.h>

#include "forms/formeval.h"
#include "forms/period.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/strlist.h"

/* A form's fields by code, for looking up every value of a file. */
struct field_code {
	const char *code;
	int index;
};

static int field_code_cmp(const void *a, const void *b)
{
	return strcmp(((const struct field_code *)a)->code, ((const struct field_code *)b)->code);
}

struct form_index {
	const struct form *form;
	struct field_code *codes;
};

static struct form_index *index_forms(const struct formset *fs)
{
	struct form_index *ix = xcalloc((size_t)fs->nforms + 1, sizeof *ix);

	for (int i = 0; i < fs->nforms; i++) {
		const struct form *f = &fs->forms[i];

		ix[i].form = f;
		ix[i].codes = xcalloc((size_t)f->nfields + 1, sizeof *ix[i].codes);
		for (int k = 0; k < f->nfields; k++)
			ix[i].codes[k] = (struct field_code){ f->fields[k].code, k };
		qsort(ix[i].codes, (size_t)f->nfields, sizeof *ix[i].codes, field_code_cmp);
	}
	return ix;
}

static void free_form_index(struct form_index *ix)
{
	for (int i = 0; ix[i].form; i++)
		free(ix[i].codes);
	free(ix);
}

static const struct form_index *index_of(const struct form_index *ix, const char *form_id)
{
	for (int i = 0; ix[i].form; i++)
		if (strcmp(ix[i].form->id, form_id) == 0)
			return &ix[i];
	return NULL;
}

static int field_of(const struct form_index *fi, const char *code)
{
	struct field_code key = { code, -1 };
	const struct field_code *hit = bsearch(&key, fi->codes, (size_t)fi->form->nfields, sizeof *fi->codes, field_code_cmp);

	return hit ? hit->index : -1;
}

/* Who filled a file in, as messages name them: the unit of the installation that wrote
 * it, by name when it is one of ours. */
static const char *file_author(const struct export_info *in, const struct formset *fs)
{
	const struct unit *u = in->installation_unit[0] ? formset_find_unit(fs, in->installation_unit) : NULL;

	if (u)
		return i18n_pick(u->name, u->name_en);
	return in->installation_unit[0] ? in->installation_unit : _("the computer that wrote it");
}

static const struct export_form *file_form(const struct export_info *in, const char *id)
{
	for (int i = 0; i < in->nforms; i++)
		if (strcmp(in->forms[i].id, id) == 0)
			return &in->forms[i];
	return NULL;
}

void export_form_version_notes(const struct export_info *in, const struct formset *fs, struct strbuf *out)
{
	for (int i = 0; i < in->nforms; i++) {
		const struct form *f = formset_find_form(fs, in->forms[i].id);

		if (f && in->forms[i].version < f->version)
			sb_addf(out, _("%s%s filled in version %d of form '%s' (%s); this computer has version %d: its values were checked against version %d and fit. Send them this township's form package so that they enter the next figures in version %d."),
				out->len ? "\n" : "", file_author(in, fs), in->forms[i].version, f->id,
				i18n_pick(f->title, f->title_en), f->version, f->version, f->version);
	}
}

void export_check_against_forms(const struct export_file *xf, const struct formset *fs, const char *name,
				struct first_problem *fp)
{
	const struct export_info *in = &xf->info;
	struct form_index *ix = index_forms(fs);
	const struct unit *u = NULL;
	struct strbuf sb;
	int bad = 0;

	sb_init(&sb);
	/* A file of a newer version of a form than ours: its rules may differ from ours in
	 * ways no check here can see (a field that means something else), so nothing of it
	 * is merged until this computer has that version too. Said first: units and fields
	 * this computer does not know yet come with that version. */
	for (int i = 0; i < in->nforms; i++) {
		const struct form *f = formset_find_form(fs, in->forms[i].id);

		if (f && in->forms[i].version > f->version) {
			problem_note(fp, EP_FIELD, _("%s: refused: %s filled in version %d of form '%s' (%s); this computer has version %d. Import the township's newest form package here first (F4, or 'tianbao merge' with the .tbp file), then merge this file again; nothing was merged."),
				     name, file_author(in, fs), in->forms[i].version, f->id, i18n_pick(f->title, f->title_en), f->version);
			goto done;
		}
	}
	for (int i = 0; i < in->nunits; i++) {
		if (!formset_find_unit(fs, in->units[i])) {
			sb_addf(&sb, "%s%s", bad ? ", " : "", in->units[i]);
			bad++;
		}
	}
	if (bad) {
		problem_note(fp, EP_UNIT, _("%s: refused: it holds data of %d unit(s) this township does not have: %s. Check that the file belongs to this township; otherwise add the unit(s) to %s and merge again."),
		     name, bad, sb_str(&sb), fs->units_file ? fs->units_file : "units.ini");
		goto done;
	}
	for (int i = 0; i < in->nforms; i++) {
		const struct export_form *xform = &in->forms[i];
		const struct form_index *fx = index_of(ix, xform->id);
		const struct form *f = fx ? fx->form : NULL;

		if (!f) {
			problem_note(fp, EP_FIELD, _("%s: refused: it was made with form '%s' (version %d), which this township does not have. Add that form's definition here, then merge again; nothing was merged."),
			     name, xform->id, xform->version);
			goto done;
		}
		{
			char **unknown = NULL;
			int nunknown = 0;

			for (int j = 0; j < xf->nvalues; j++)
				if (strcmp(xf->values[j].form, f->id) == 0 && field_of(fx, xf->values[j].field) < 0)
					strlist_add_sorted(&unknown, &nunknown, xf->values[j].field);
			sb_reset(&sb);
			for (int k = 0; k < nunknown; k++)
				sb_addf(&sb, "%s%s", k ? ", " : "", unknown[k]);
			bad = nunknown;
			strlist_free(unknown, nunknown);
		}
		if (bad) {
			const struct form *other = NULL;

			for (int j = 0; j < xf->nvalues && !other; j++)
				if (strcmp(xf->values[j].form, f->id) == 0 && form_field_index(f, xf->values[j].field) < 0)
					other = formset_form_of_field(fs, xf->values[j].field, NULL);
			if (other)
				problem_note(fp, EP_FIELD, _("%s: refused: it puts field(s) %s on form '%s', but here they belong to form '%s'; the file is damaged or the forms differ. Nothing was merged."),
				     name, sb_str(&sb), f->id, other->id);
			else if (xform->version != f->version)
				problem_note(fp, EP_FIELD, _("%s: refused: %s filled in version %d of form '%s' (%s); this computer has version %d, which has no field(s) %s. Send them this township's form package, so that they enter the figures again in version %d and export again; nothing was merged."),
				     name, file_author(in, fs), xform->version, f->id, i18n_pick(f->title, f->title_en), f->version,
				     sb_str(&sb), f->version);
			else
				problem_note(fp, EP_FIELD, _("%s: refused: it holds field(s) that form '%s' here does not have: %s (the file's form has the same version %d but a different definition). Make the form definitions agree, then merge again; nothing was merged."),
				     name, f->id, sb_str(&sb), f->version);
			goto done;
		}
	}
	bad = 0;
	for (int j = 0; j < xf->nvalues; j++) {
		const struct export_value *v = &xf->values[j];
		const struct form_index *fx = index_of(ix, v->form);
		const struct form *f = fx->form;
		int fi = field_of(fx, v->field);
		const struct field *fd = &f->fields[fi];
		char *canon = NULL;
		struct ev num;
		struct err ve;

		if (!u || strcmp(u->code, v->unit) != 0)
			u = formset_find_unit(fs, v->unit);   /* values come sorted by unit */
		if (fd->compute) {
			problem_note(fp, EP_FIELD, _("%s: refused: %s %s %s: this field is computed here from other fields, so it takes no value from a file."),
			     name, v->unit, v->period, v->field);
			continue;
		}
		if (!form_applies_to(f, u)) {
			problem_note(fp, EP_VALUE, _("%s: refused: %s %s %s: form '%s' is not reported by %s (%s)."), name, v->unit,
			     v->period, v->field, f->id, i18n_pick(u->name, u->name_en), u->code);
			continue;
		}
		if (!period_valid(v->period, f->period)) {
			problem_note(fp, EP_VALUE, _("%s: refused: %s %s %s: the period does not fit form '%s' (%s)."), name, v->unit,
			     v->period, v->field, f->id, period_type_name(f->period));
			continue;
		}
		if (!v->value)
			continue;
		if (field_parse(fd, v->value, &canon, &num, &ve) != 0) {
			const struct export_form *xform = file_form(in, f->id);

			if (xform && xform->version != f->version)
				problem_note(fp, EP_VALUE, _("%s: refused: %s filled in version %d of form '%s' (%s); this computer has version %d, by whose rules %s %s %s is wrong: %s. Send them this township's form package, so that they check the figure in version %d and export again; nothing was merged."),
					     name, file_author(in, fs), xform->version, f->id, i18n_pick(f->title, f->title_en),
					     f->version, v->unit, v->period, v->field, ve.msg, f->version);
			else
				problem_note(fp, EP_VALUE, _("%s: refused: %s %s %s: %s"), name, v->unit, v->period, v->field, ve.msg);
		} else if (!canon || strcmp(canon, v->value) != 0) {
			char b[128];

			problem_note(fp, EP_VALUE, _("%s: refused: %s %s %s: '%s' is not written the way tianbao stores it; the file was not written by tianbao."),
			     name, v->unit, v->period, v->field, problem_shown(v->value, b, sizeof b));
		}
		free(canon);
	}
done:
	free_form_index(ix);
	sb_free(&sb);
}
