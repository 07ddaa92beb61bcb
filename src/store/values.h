/* values.h - the values of the database: read for a form, written the one way, listed.
 *
 * Values are text in the canonical form field_parse makes ("08" is stored as "8"): the
 * form rules are applied before a value gets here (core/entry.h), and an imported one
 * by the export file's reader (tbx/check.h). A write returns only after its commit:
 * then the values are durable.
 */
#ifndef TIANBAO_VALUES_H
#define TIANBAO_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "forms/forms.h"
#include "lib/err.h"
#include "store/store.h"

/* Refuses (-1 with e) when this computer's clock is before this tianbao was made: a
 * value stamped then would be refused by every township and lose every merge. */
int store_clock_ok(struct err *e);

/* The stored text of each field of form f for a unit and period: raw[i] is malloc'd,
 * or NULL when nothing (or a cleared value) is stored; and, when comment is not NULL,
 * the comment on each (malloc'd, or NULL). One query. */
int store_load_form_values(struct store *st, const struct form *f, const char *unit, const char *period,
			   char **raw, char **comment, struct err *e);

/* Which fields of form f for a unit and period are in conflict (two installations sent
 * different values and nobody has decided): conflict[i] per field index; *n counts them. */
int store_form_conflicts(struct store *st, const struct form *f, const char *unit, const char *period,
			 bool *conflict, int *n, struct err *e);

struct value_change {
	const char *field;
	const char *form;
	const char *value;  /* canonical text; NULL clears */
	bool set_comment;   /* comment as given (NULL or "": none); else the value's stays */
	const char *comment;
	bool comment_only;  /* the comment alone: value is ignored, the stored one stays */
};

struct write_result {
	int written;        /* values that changed */
	int unchanged;      /* values equal to what was stored */
	int decided;        /* of the written, values that were in conflict and are decided now */
};

/* Checks a batch inside the write transaction, before anything is written: 0 to go on,
 * 1 to write nothing (the batch is refused), -1 with e. */
typedef int (*write_check_fn)(void *ctx, struct store *st, struct err *e);

/* Writes all changes in one transaction (all or nothing) through the one write path:
 * each value becomes this installation's candidate and decides its key (a value in
 * conflict is resolved by it), with an audit row giving `reason` ("typed", "imported",
 * "resolved"); each form with a changed value is in progress as of now (a form that was
 * complete is reopened, with an audit row). check, when given, runs first inside the
 * transaction (so what it reads cannot change before the write): when it returns 1
 * nothing is written and 1 is returned. Returns 0 only after the commit. */
int store_write_values(struct store *st, const char *unit, const char *period, const struct value_change *ch,
		       int n, const char *operator_name, const char *reason, write_check_fn check, void *check_ctx,
		       struct write_result *res, struct err *e);

struct value_row {
	const char *unit, *period, *form, *field, *value;
	const char *updated_at, *updated_by, *installation;
	int64_t revision;
};

struct value_filter {
	const char *unit, *period, *form;   /* NULL: any */
	bool with_cleared;                  /* include cleared values (value NULL) */
};

typedef int (*value_row_fn)(void *ctx, const struct value_row *r);
/* Calls fn for each stored value, ordered by unit, period, form, field; stops with fn's
 * status when it is not 0. */
int store_each_value(struct store *st, const struct value_filter *flt, value_row_fn fn, void *ctx, struct err *e);

/* The periods that have any value or form state (for unit, or any unit when NULL),
 * newest first. *periods is an array of malloc'd strings (free with strlist_free). */
int store_list_periods(struct store *st, const char *unit, char ***periods, int *n, struct err *e);

/* How many values (not cleared) the database holds for a unit, or with other_units for
 * every unit but that one, in *n: whether a unit can leave units.ini without its data
 * losing its unit, whether an installation's unit may change without asking. */
int store_count_values(struct store *st, const char *unit, bool other_units, int64_t *n, struct err *e);

#endif
