/* package_install.h - a form package put in place on this computer: what it would
 * change, the rules for taking it, installing it, and undoing that.
 *
 * Invariants:
 *  - A forms folder that a package was installed into holds, beside the *.ini files,
 *    ".package" (PACKAGE_STAMP): the township, version and checksum of that package
 *    (the loader reads only *.ini, so it is never taken for a form).
 *  - A package is taken only when it is this township's (the township of the package
 *    installed here; any township's when none was installed yet, as on a new laptop with
 *    the sample forms), not older than the one installed, and lists the unit this
 *    computer reports for. The same package again changes nothing, and neither does a
 *    township's own package at the township (it is written from the forms in use).
 *  - Installing is atomic: the files are written into a new folder beside the forms
 *    folder and synced, then the two folders are exchanged in one rename
 *    (renameat2 RENAME_EXCHANGE); the set it replaces is kept as FOLDER.prev, and
 *    package_undo exchanges them back. After a power cut the folder holds the old set or
 *    the whole new one.
 *  - Values are never touched: fields a new version drops stay stored (and are counted
 *    when exporting); units it renames keep their codes and values.
 */
#ifndef TIANBAO_PACKAGE_INSTALL_H
#define TIANBAO_PACKAGE_INSTALL_H

#include <stdbool.h>

#include "forms/forms.h"
#include "lib/err.h"
#include "lib/str.h"
#include "tbx/package.h"

#define PACKAGE_STAMP ".package"

/* The package installed in a forms folder, from its PACKAGE_STAMP. */
struct package_installed {
	bool has;                       /* false: none installed there */
	struct package_meta meta;
	char checksum[65];
	char installed_at[32];
};

int package_installed_read(const char *forms_dir, struct package_installed *out, struct err *e);

struct form_change {
	const char *id, *title, *title_en;   /* of the form as it will be (or was, when removed) */
	int before, after;                   /* versions; 0: not there */
	char *added, *removed;               /* field codes, ", "-separated; NULL: none */
};

struct unit_change {
	const char *code;
	const char *before, *after;          /* names; NULL: not there */
};

/* A package read, checked against this computer, and what it would change. */
struct package_plan {
	struct package pkg;
	char *dir;                           /* private folder it was loaded from */
	struct formset incoming;
	struct package_installed installed;  /* what is installed where the forms are now */
	const struct formset *current;
	bool same;                           /* this very package is installed already */
	bool own;                            /* the township's own package, at the township */
	struct form_change *forms;
	int nforms;
	struct unit_change *units;
	int nunits;
};

/* Opens the package at path (core/package_file.h), loads it, checks it against the
 * forms now in use (current, from current_dir) and the unit this computer reports for
 * (own_unit, "" for none), and works out what it would change. 0 with *plan (free with
 * package_plan_free); -1 with *pb and e saying why it is refused (nothing changed). */
int package_plan_make(const char *path, const struct formset *current, const char *current_dir, const char *own_unit,
		      struct package_plan *plan, enum package_problem *pb, struct err *e);
void package_plan_free(struct package_plan *plan);

/* What the plan would change, in words, one line each: the package, what is here now,
 * each form (added, removed, version before -> after, fields added and removed) and
 * each unit (added, removed, renamed). The commands and the import screen show this. */
void package_plan_describe(const struct package_plan *plan, struct strbuf *out);

/* Installs the planned package into forms_dir (made, with its parent, when missing),
 * keeping the set it replaces as forms_dir.prev. 0; 1 with e when the new forms are in
 * place but the set replaced could not be named forms_dir.prev (e says where it is); -1
 * with e (nothing changed). One install or undo at a time (a lock beside the folder). */
int package_plan_install(struct package_plan *plan, const char *forms_dir, struct err *e);

/* Puts back the set installed before the last package (exchanging forms_dir and
 * forms_dir.prev, so undoing twice redoes). 0 with *now (what is installed now), 1 when
 * there is nothing to undo (no forms.prev holding a units.ini), -1 with e. */
int package_undo(const char *forms_dir, struct package_installed *now, struct err *e);

struct app;
struct store;

/* Installs the planned package on this computer: into this user's configuration (made
 * from the forms in use first: the /etc folder and the defaults are never changed), then,
 * when st is given, loads the forms again and copies the units into st (NULL: the
 * caller still holds pointers into the forms, and starts again instead). Refused when the forms in use are
 * given by --forms or $TIANBAO_FORMS. Nothing to do when the plan is `same` or `own`. 0;
 * 1 with e when the new forms are in place but something after failed (then the forms
 * of app may be empty: leave the screens); -1 with e (nothing changed). */
int package_install_here(struct app *app, struct store *st, struct package_plan *plan, struct err *e);

/* What a merge is given, split: the form packages (FILE.tbp as given, and the *.tbp
 * files of each folder, in order; of a township's packages named as tianbao writes them
 * only the newest), installed first, and the rest (files, and folders
 * but those holding packages only), merged as data after them. Free both with
 * strlist_free. */
void package_split_args(const char *const *args, int nargs, char ***packages, int *np, char ***data, int *nd);

#endif
