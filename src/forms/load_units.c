/* load_units.c - the units file: the township, its villages and departments (see
 * load_units.h). */
#include "forms/load_units.h"

#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/sha256.h"
#include "lib/str.h"

static const struct keydef township_keys[] = {
	{ "name", true, true }, { "name_en", false, true }, { "dhis2", false, false },
};

static const struct keydef village_keys[] = {
	{ "name", true, true }, { "name_en", false, true }, { "dhis2", false, false },
};

static const struct keydef department_keys[] = {
	{ "name", true, true }, { "name_en", false, true }, { "role", true, false },
	{ "dhis2", false, false },
};

void load_units(struct loader *L, const struct ini_file *ini)
{
	struct formset *fs = L->fs;
	int townships = 0;
	const char *prefix = NULL;

	free(fs->units_file);
	fs->units_file = xstrdup(ini->path);
	sha256_hex(ini->sha256, fs->units_hash);
	/* The township's code first: villages listed before it are checked against it too. */
	for (int i = 0; i < ini->nsections && !prefix; i++) {
		const char *code;

		if (loader_split_kind(ini->sections[i].name, "township", &code) && (loader_all_digits(code, 9) || loader_all_digits(code, 12)))
			prefix = code;
	}
	for (int i = 0; i < ini->nsections; i++) {
		const struct ini_section *s = &ini->sections[i];
		const char *code;
		enum unit_kind kind;
		struct unit *u;

		if (loader_split_kind(s->name, "township", &code)) {
			kind = UK_TOWNSHIP;
			loader_check_keys(L, s, KEYSET(township_keys));
			if (!loader_all_digits(code, 9) && !loader_all_digits(code, 12))
				loader_problem(L, s->line, _("township code '%s' must be the 9- or 12-digit division code"), code);
			if (++townships > 1)
				loader_problem(L, s->line, "%s", _("a units file names exactly one township"));
		} else if (loader_split_kind(s->name, "village", &code)) {
			kind = UK_VILLAGE;
			loader_check_keys(L, s, KEYSET(village_keys));
			if (!loader_all_digits(code, 12))
				loader_problem(L, s->line, _("village code '%s' must be the 12-digit division code"), code);
			else if (prefix && strncmp(code, prefix, 9) != 0)
				loader_problem(L, s->line, _("village code '%s' does not start with the township's code %.9s"), code, prefix);
		} else if (loader_split_kind(s->name, "department", &code)) {
			const char *role = loader_key(s, "role");

			kind = UK_DEPARTMENT;
			loader_check_keys(L, s, KEYSET(department_keys));
			if (!unit_code_valid(code))
				loader_problem(L, s->line, _("department code '%s': use a-z, 0-9, '_' and '-', at most %d characters"),
					code, UNIT_CODE_MAX);
			else if (prefix && code[0] >= '0' && code[0] <= '9' && strncmp(code, prefix, 9) != 0)
				/* Another township's department (or a code mistyped): docs/forms.md §12. */
				loader_problem(L, s->line, _("department code '%s' does not start with this township's code %.9s: a department's code is the township's code and a short name, like %.9s-hc"),
					code, prefix, prefix);
			if (role && !is_code_name(role, CODE_MAX))
				loader_problem(L, loader_key_line(s, "role"), _("role '%s': use a-z, 0-9 and '_', starting with a letter"), role);
			else if (role && (strcmp(role, "village") == 0 || strcmp(role, "township") == 0))
				loader_problem(L, loader_key_line(s, "role"), _("role '%s' is reserved; name the department's own role"), role);
		} else {
			loader_problem(L, s->line, _("unknown section [%s]: a units file has [township.CODE], [village.CODE] and [department.CODE]"),
				s->name);
			continue;
		}
		for (int j = 0; j < fs->nunits; j++) {
			if (strcmp(fs->units[j].code, code) == 0) {
				loader_problem(L, s->line, _("unit code '%s' is used twice; the first is on line %d"), code, fs->units[j].line);
				code = NULL;
				break;
			}
		}
		if (!code)
			continue;
		fs->units = xreallocarray(fs->units, (size_t)fs->nunits + 1, sizeof *fs->units);
		u = &fs->units[fs->nunits++];
		memset(u, 0, sizeof *u);
		u->code = xstrdup(code);
		u->kind = kind;
		u->line = s->line;
		u->name = xstrdup(loader_key(s, "name") ? loader_key(s, "name") : code);
		u->name_en = loader_dup(loader_key(s, "name_en"));
		u->role = loader_dup(loader_key(s, "role"));
		u->dhis2 = loader_dup(loader_key(s, "dhis2"));
		/* Two villages called 东风村 would be told apart by nobody choosing one. */
		for (int j = 0; j < fs->nunits - 1; j++) {
			if (strcmp(fs->units[j].name, u->name) == 0) {
				loader_problem(L, loader_key_line(s, "name"), _("unit name '%s' is also used by unit %s (line %d); give each unit its own name"),
					u->name, fs->units[j].code, fs->units[j].line);
				break;
			}
		}
		if (u->dhis2 && !loader_dhis2_code_valid(u->dhis2))
			loader_problem(L, loader_key_line(s, "dhis2"), _("bad DHIS2 code '%s': letters, digits, '_', '-', '.' only, at most 50"), u->dhis2);
		for (int j = 0; u->dhis2 && j < fs->nunits - 1; j++)
			if (fs->units[j].dhis2 && strcmp(fs->units[j].dhis2, u->dhis2) == 0)
				loader_problem(L, loader_key_line(s, "dhis2"), _("DHIS2 code '%s' is also used by unit %s (line %d)"), u->dhis2,
					fs->units[j].code, fs->units[j].line);
	}
	if (townships == 0)
		loader_problem(L, 0, "%s", _("the units file names no [township.CODE]"));
}
