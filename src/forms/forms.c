/* forms.c - the model of forms and units: finding them, and what they say (see forms.h). */
#include "forms/forms.h"

#include <stdlib.h>
#include <string.h>

#include "lib/text.h"
#include "lib/i18n.h"
#include "lib/str.h"

bool unit_code_valid(const char *c)
{
	size_t n = strlen(c);

	if (n == 0 || n > UNIT_CODE_MAX)
		return false;
	for (; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
			return false;
	return true;
}

const char *field_type_name(enum field_type t)
{
	static const char *names[] = { "integer", "decimal", "yesno", "choice", "text", "date" };

	return names[t];
}

const char *period_type_name(enum period_type t)
{
	static const char *names[] = { "year", "quarter", "month" };

	return names[t];
}

const char *unit_kind_name(enum unit_kind k)
{
	/* Also shown translated (tianbao init): the words are in the message catalogue. */
	static const char *names[] = { N_("township"), N_("village"), N_("department") };

	return names[k];
}

bool field_is_numeric(const struct field *fd)
{
	return fd->type != FT_TEXT && fd->type != FT_DATE;
}

static void free_field(struct field *fd)
{
	free(fd->code);
	free(fd->label);
	free(fd->label_en);
	free(fd->unit);
	for (int i = 0; i < fd->nchoices; i++) {
		free(fd->choices[i].label);
		free(fd->choices[i].label_en);
	}
	free(fd->choices);
	free(fd->help);
	free(fd->help_en);
	expr_free(fd->skip_if);
	free(fd->skip_if_text);
	expr_free(fd->compute);
	free(fd->compute_text);
	free(fd->target.text);
	free(fd->target.source);
	free(fd->target.source_en);
	free(fd->dhis2);
}

void formset_free(struct formset *fs)
{
	for (int i = 0; i < fs->nforms; i++) {
		struct form *f = &fs->forms[i];

		for (int j = 0; j < f->nfields; j++)
			free_field(&f->fields[j]);
		free(f->fields);
		for (int j = 0; j < f->nsections; j++) {
			free(f->sections[j].name);
			free(f->sections[j].label);
			free(f->sections[j].label_en);
			free(f->sections[j].help);
			free(f->sections[j].help_en);
			expr_free(f->sections[j].skip_if);
			free(f->sections[j].skip_if_text);
		}
		free(f->sections);
		for (int j = 0; j < f->nchecks; j++) {
			free(f->checks[j].name);
			expr_free(f->checks[j].rule);
			free(f->checks[j].rule_text);
			free(f->checks[j].message);
			free(f->checks[j].message_en);
			free(f->checks[j].fields);
		}
		free(f->checks);
		free(f->compute_order);
		free(f->id);
		free(f->title);
		free(f->title_en);
		free(f->reported_by);
		free(f->help);
		free(f->help_en);
		free(f->file);
	}
	free(fs->forms);
	for (int i = 0; i < fs->nunits; i++) {
		free(fs->units[i].code);
		free(fs->units[i].name);
		free(fs->units[i].name_en);
		free(fs->units[i].role);
		free(fs->units[i].dhis2);
	}
	free(fs->units);
	free(fs->units_file);
	free(fs->dir);
	memset(fs, 0, sizeof *fs);
}

const struct form *formset_find_form(const struct formset *fs, const char *id)
{
	for (int i = 0; i < fs->nforms; i++)
		if (strcmp(fs->forms[i].id, id) == 0)
			return &fs->forms[i];
	return NULL;
}

const struct unit *formset_find_unit(const struct formset *fs, const char *code)
{
	for (int i = 0; i < fs->nunits; i++)
		if (strcmp(fs->units[i].code, code) == 0)
			return &fs->units[i];
	return NULL;
}

const struct unit *formset_find_unit_by_name(const struct formset *fs, const char *name)
{
	for (int i = 0; i < fs->nunits; i++)
		if (strcmp(fs->units[i].name, name) == 0 || (fs->units[i].name_en && strcmp(fs->units[i].name_en, name) == 0))
			return &fs->units[i];
	return NULL;
}

const struct unit *formset_find_unit_by_code_or_name(const struct formset *fs, const char *text)
{
	const struct unit *u = formset_find_unit(fs, text);

	return u ? u : formset_find_unit_by_name(fs, text);
}

void formset_unit_order(const struct formset *fs, int *order)
{
	static const enum unit_kind kinds[] = { UK_VILLAGE, UK_DEPARTMENT, UK_TOWNSHIP };
	int m = 0;

	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		for (int i = 0; i < fs->nunits; i++)
			if (fs->units[i].kind == kinds[k])
				order[m++] = i;
}

const struct unit *formset_township(const struct formset *fs)
{
	for (int i = 0; i < fs->nunits; i++)
		if (fs->units[i].kind == UK_TOWNSHIP)
			return &fs->units[i];
	return NULL;
}

const struct form *formset_form_of_field(const struct formset *fs, const char *code, int *index)
{
	for (int i = 0; i < fs->nforms; i++) {
		int k = form_field_index(&fs->forms[i], code);

		if (k >= 0) {
			if (index)
				*index = k;
			return &fs->forms[i];
		}
	}
	return NULL;
}

int form_field_index(const struct form *f, const char *code)
{
	for (int i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].code, code) == 0)
			return i;
	return -1;
}

char *form_readable_expr(const struct form *f, const char *src)
{
	struct strbuf sb;
	const char *p = src;

	sb_init(&sb);
	while (*p) {
		const char *start = p;

		if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
			sb_addc(&sb, *p++);
			continue;
		}
		while (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
			p++;
		{
			char code[128];
			int i = -1;

			if ((size_t)(p - start) < sizeof code) {
				memcpy(code, start, (size_t)(p - start));
				code[p - start] = '\0';
				i = form_field_index(f, code);
			}
			if (i >= 0)
				sb_addf(&sb, "「%s」", i18n_pick(f->fields[i].label, f->fields[i].label_en));
			else
				sb_addn(&sb, start, (size_t)(p - start));
		}
	}
	return sb_take(&sb);
}

bool form_applies_to(const struct form *f, const struct unit *u)
{
	switch (u->kind) {
	case UK_VILLAGE:
		return strcmp(f->reported_by, "village") == 0;
	case UK_TOWNSHIP:
		return strcmp(f->reported_by, "township") == 0;
	case UK_DEPARTMENT:
		return u->role && strcmp(f->reported_by, u->role) == 0;
	}
	return false;
}

const char *formset_units_name(const struct formset *fs)
{
	return fs->units_file ? fs->units_file : "units.ini";
}

const struct unit *formset_need_unit(const struct formset *fs, const char *code, struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	const struct unit *u = formset_find_unit(fs, code);

	if (!u)
		err_set(e, _("unknown unit '%s': it is not in %s ('tianbao units' lists them)"), text_echo(code, eb, sizeof eb),
			formset_units_name(fs));
	return u;
}
