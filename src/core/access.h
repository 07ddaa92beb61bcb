/* access.h - which units this installation may enter data for: the one rule.
 *
 * `tianbao init --unit` sets the unit an installation reports for. A village or
 * department laptop enters data for its own unit only; a township's (or one set to no
 * unit yet) for every unit of units.ini. A unit the units file no longer lists is never
 * taken for a township: every entry is refused until the forms list it again. The
 * commands and the screens all ask here.
 */
#ifndef TIANBAO_ACCESS_H
#define TIANBAO_ACCESS_H

#include <stdbool.h>

#include "forms/forms.h"
#include "lib/err.h"
#include "store/store.h"

struct access {
	char own_code[UNIT_CODE_MAX + 1];   /* the unit set by init ("" when none is set) */
	const struct unit *own;             /* that unit, NULL when none is set or it vanished */
	bool any_unit;                      /* may enter data for every unit of the forms */
};

/* What this installation may do, read from the database. */
int access_load(struct store *st, const struct formset *fs, struct access *out, struct err *e);
/* 0 when this installation may enter data for unit; -1 with e saying why not (unknown
 * unit, another village's, or this installation's own unit vanished from the forms). */
int access_check_unit(const struct access *a, const struct formset *fs, const char *unit, struct err *e);
/* The unit a command or screen means when none is chosen: this installation's own unit,
 * unless it is the township (then NULL: one must be chosen). A vanished unit is given
 * back too, so that the check after refuses it. */
const char *access_default_unit(const struct access *a);
/* Sets the unit this installation reports for (it must be in fs) and, when given, the
 * name of who enters data. *u is the unit. */
int access_init(struct store *st, const struct formset *fs, const char *unit, const char *operator_name,
		const struct unit **u, struct err *e);

#endif
