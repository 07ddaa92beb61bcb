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
struct access_change {
	const char *unit;           /* the unit to report for (must be in the forms) */
	const char *operator_name;  /* who enters data from now on; NULL: unchanged */
	const char *by;             /* who makes the change, for the audit trail */
	bool force;                 /* change it even when other units' values are stored */
};

/* Sets the unit this installation reports for and, when given, the operator. A change
 * of unit is written in the audit trail. The one rule of changing it: when the database
 * already holds values of units other than the new one (a township laptop made a
 * village's, a village's made another's), the change is rarely meant, so it needs
 * ch->force (else 1, with e saying how many values and how to confirm). The values
 * always stay. *u is the unit. */
int access_init(struct store *st, const struct formset *fs, const struct access_change *ch, const struct unit **u,
		struct err *e);

#endif
