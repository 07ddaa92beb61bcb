/* units.h - changing the township's units (units.ini) without editing it by hand.
 *
 * Every change follows the same path, for the command line and for a screen alike:
 *
 *   1. the folder to write is app_writable_forms_dir's (core/app.h): the /etc folder
 *      and the defaults are never edited, so the user's folder is made first as a copy;
 *   2. that folder's set is loaded, and must have no problem (else: run check-forms);
 *   3. the change is checked with words for the clerk (a code already used, a name
 *      another unit has, a role no form is reported by, data in the database);
 *   4. the new units.ini text is written (forms/units_write.h: its header comment kept)
 *      into a temporary file in the folder, and the folder's forms are loaded with it,
 *      as check-forms would: any problem and nothing is changed;
 *   5. only then is it renamed over units.ini (synced, the folder synced).
 *
 * What a unit's code says: 12 digits are a village's division code (统计用区划代码),
 * which starts with the township's 9 digits; anything else is a department, which has a
 * role (which forms it reports: a form's reported_by). The township is renamed, never
 * added or removed; a county's list of another township replaces it (units_import).
 */
#ifndef TIANBAO_UNITS_H
#define TIANBAO_UNITS_H

#include <stdbool.h>

#include "core/app.h"
#include "lib/err.h"

/* The bounds of a list given to units_import. */
#define UNITS_IMPORT_MAX_BYTES (1 << 20)
#define UNITS_IMPORT_MAX_LINES 10000
#define UNITS_IMPORT_MAX_LINE 1024
#define UNITS_IMPORT_MAX_PROBLEMS 50

/* What a change did. */
struct units_result {
	char *file;           /* the units file written (or that would have been) */
	bool copied;          /* its folder was made first, as a copy of the one in use */
	bool written;         /* units.ini was replaced (false: there was nothing to change) */
	int added, renamed, unchanged;
	char *township_was;   /* import: the township's name before, when the list renamed it */
	char *township_code_was;   /* import: its code before, when the list was another township's */
	char **kept;          /* import: villages of units.ini not in the list, "CODE NAME" */
	int nkept;
	char **problems;      /* import: each problem of the list, "FILE:LINE: ..." */
	int nproblems;
};

/* A new unit. role: a department's (required for one, refused for a village). */
struct unit_spec {
	const char *code;
	const char *name;
	const char *name_en;  /* or NULL */
	const char *role;     /* or NULL */
};

int units_add(struct app *app, const struct unit_spec *spec, struct units_result *res, struct err *e);
/* A unit's (Chinese) name; the township's too. */
int units_rename(struct app *app, const char *code, const char *name, struct units_result *res, struct err *e);
/* Refused for the township, and for a unit the database (app_db_path) holds values for. */
int units_remove(struct app *app, const char *code, struct units_result *res, struct err *e);
/* The villages of a county's list: two columns, division code and name, CSV or
 * tab-separated, UTF-8 (a byte-order mark and CRLF allowed) or GBK/GB18030 (as Chinese
 * Excel and WPS save CSV); a first line that is not a code is a header; the township's
 * own line (9 digits, or 12 ending in 000) names the township; the name is the first
 * column after the code that is not a number. Villages are added or renamed; those in
 * units.ini but not in the list are kept (res->kept). A list whose township line is
 * another township's replaces the units here (a township setting up on the sample):
 * the township takes its code and name, the villages here go, the departments move to
 * the new code; refused when the database holds values of the units here. A list with
 * problems changes nothing: each is in res->problems and -1 is returned. */
int units_import(struct app *app, const char *file, struct units_result *res, struct err *e);
void units_result_free(struct units_result *res);

#endif
