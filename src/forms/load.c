/* load.c - the form definitions as a whole: every form file and the units file of a
 * folder, or the files named, and what must hold across them (see load.h). */
#include "forms/load.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forms/load_form.h"
#include "forms/load_units.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"

enum file_kind { FK_NONE, FK_FORM, FK_UNITS, FK_BOTH };

static enum file_kind kind_of(const struct ini_file *ini)
{
	bool form = false, units = false;
	const char *rest;

	for (int i = 0; i < ini->nsections; i++) {
		const char *n = ini->sections[i].name;

		if (strcmp(n, "form") == 0)
			form = true;
		else if (loader_split_kind(n, "township", &rest) || loader_split_kind(n, "village", &rest) ||
			 loader_split_kind(n, "department", &rest))
			units = true;
	}
	if (form && units)
		return FK_BOTH;
	return form ? FK_FORM : units ? FK_UNITS : FK_NONE;
}

/* The line of a key of [form] (of [form] itself when the key is missing). */
static int form_key_line(const struct ini_file *ini, const char *key)
{
	for (int i = 0; i < ini->nsections; i++)
		if (strcmp(ini->sections[i].name, "form") == 0)
			return loader_key_line(&ini->sections[i], key);
	return 0;
}

static int load_set(const char *const *paths, int n, struct formset *fs, struct diag_list *diags)
{
	struct loader L = { fs, diags, 0, NULL };
	struct ini_file *inis = xcalloc((size_t)n, sizeof *inis);
	enum file_kind *kinds = xcalloc((size_t)n, sizeof *kinds);
	int *form_of = xcalloc((size_t)n, sizeof *form_of);
	int units_files = 0;

	for (int i = 0; i < n; i++) {
		L.file = paths[i];
		form_of[i] = -1;
		if (ini_load(paths[i], &inis[i], diags) != 0) {
			L.errors++;
			continue;
		}
		kinds[i] = kind_of(&inis[i]);
		if (kinds[i] == FK_NONE) {
			loader_problem(&L, 0, "%s", _("neither a form (no [form] section) nor a units file (no [township.CODE])"));
		} else if (kinds[i] == FK_BOTH) {
			loader_problem(&L, 0, "%s", _("both a form ([form]) and a units file ([township.CODE], [village.CODE] or "
					       "[department.CODE]): put the units in units.ini"));
		} else if (kinds[i] == FK_UNITS) {
			if (units_files++ == 0)
				load_units(&L, &inis[i]);
			else
				loader_problem(&L, 0, _("a second units file; the units are already read from %s"), fs->units_file);
		}
	}
	if (units_files == 0) {
		L.file = fs->dir ? fs->dir : (n > 0 ? paths[0] : "");
		loader_problem(&L, 0, "%s", _("no units file: put units.ini (the township, its villages and departments) beside the forms"));
	}
	/* Forms: structure first, so that pass 2 can name fields of every form. */
	for (int i = 0; i < n; i++) {
		if (kinds[i] != FK_FORM)
			continue;
		L.file = paths[i];
		fs->forms = xreallocarray(fs->forms, (size_t)fs->nforms + 1, sizeof *fs->forms);
		load_form(&L, &inis[i], &fs->forms[fs->nforms]);
		form_of[i] = fs->nforms++;
	}
	for (int i = 0; i < n; i++) {
		struct form *f;

		if (form_of[i] < 0)
			continue;
		f = &fs->forms[form_of[i]];
		L.file = paths[i];
		for (int j = 0; j < form_of[i]; j++) {
			if (fs->forms[j].id[0] && strcmp(fs->forms[j].id, f->id) == 0)
				loader_problem(&L, form_key_line(&inis[i], "id"), _("form id '%s' is also used by %s"), f->id,
					fs->forms[j].file);
		}
		for (int k = 0; k < f->nfields; k++) {
			for (int j = 0; j < form_of[i]; j++) {
				int other = form_field_index(&fs->forms[j], f->fields[k].code);

				if (other >= 0)
					loader_problem(&L, f->fields[k].line, _("field code '%s' is also defined in %s:%d; codes must be unique across forms"),
						f->fields[k].code, fs->forms[j].file, fs->forms[j].fields[other].line);
			}
			/* Two fields under one DHIS2 code would overwrite each other at the county. */
			for (int j = 0; j <= form_of[i] && f->fields[k].dhis2; j++) {
				const struct form *o = &fs->forms[j];

				for (int m = 0; m < (j == form_of[i] ? k : o->nfields); m++) {
					if (o->fields[m].dhis2 && strcmp(o->fields[m].dhis2, f->fields[k].dhis2) == 0)
						loader_problem(&L, f->fields[k].line, _("DHIS2 code '%s' is also used by field '%s' (%s:%d)"),
							f->fields[k].dhis2, o->fields[m].code, o->file, o->fields[m].line);
				}
			}
		}
		load_form_exprs(&L, &inis[i], f);
		order_computed(&L, f);
		if (units_files && f->reported_by[0] && strcmp(f->reported_by, "village") != 0 &&
		    strcmp(f->reported_by, "township") != 0) {
			bool found = false;

			for (int u = 0; u < fs->nunits; u++)
				if (fs->units[u].role && strcmp(fs->units[u].role, f->reported_by) == 0)
					found = true;
			if (!found)
				loader_problem(&L, form_key_line(&inis[i], "reported_by"),
					_("no department in %s has role '%s', so nobody reports this form"),
					fs->units_file ? fs->units_file : "units.ini", f->reported_by);
		}
	}
	for (int i = 0; i < n; i++)
		ini_free(&inis[i]);
	free(inis);
	free(kinds);
	free(form_of);
	diag_sort(diags);
	return L.errors ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int formset_load_dir(const char *dir, struct formset *fs, struct diag_list *diags)
{
	DIR *d;
	struct dirent *de;
	char **paths = NULL;
	int n = 0, rc;

	memset(fs, 0, sizeof *fs);
	fs->dir = xstrdup(dir);
	d = opendir(dir);
	if (!d) {
		diag_add(diags, dir, 0, _("cannot open the forms directory: %s"), strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !str_ends(de->d_name, ".ini"))
			continue;
		paths = xreallocarray(paths, (size_t)n + 1, sizeof *paths);
		paths[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	/* File name order is the order forms are listed in. (No .ini file: paths is NULL,
	 * which qsort must not be given even with n == 0.) */
	if (n > 1)
		qsort(paths, (size_t)n, sizeof *paths, cmp_str);
	rc = load_set((const char *const *)paths, n, fs, diags);
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

int formset_load_files(const char *const *paths, int n, struct formset *fs, struct diag_list *diags)
{
	const char **all = xcalloc((size_t)n + 1, sizeof *all);
	char *beside = NULL;
	int m = 0, rc;
	bool has_units = false;

	memset(fs, 0, sizeof *fs);
	for (int i = 0; i < n; i++) {
		all[m++] = paths[i];
		if (str_ends(paths[i], "units.ini"))
			has_units = true;
	}
	if (!has_units && n > 0) {
		const char *slash = strrchr(paths[0], '/');

		beside = slash ? xasprintf("%.*s/units.ini", (int)(slash - paths[0]), paths[0]) : xstrdup("units.ini");
		if (access(beside, R_OK) == 0)
			all[m++] = beside;
	}
	rc = load_set(all, m, fs, diags);
	free(beside);
	free(all);
	return rc;
}









