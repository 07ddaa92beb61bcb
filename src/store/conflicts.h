/* conflicts.h - the values installations disagree on, and deciding them.
 *
 * A key is in conflict while its active candidates hold different values and nobody here
 * has decided. A decision is this installation's own value (internal.h, the one write
 * path): typing the right value (core/entry.h), or taking one installation's candidate
 * (store_resolve_take); it travels in this installation's exports like any value.
 */
#ifndef TIANBAO_CONFLICTS_H
#define TIANBAO_CONFLICTS_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/err.h"
#include "store/store.h"

struct conflict_candidate {
	char installation[33];
	char *value;                    /* NULL: cleared */
	int64_t revision;
	char *updated_at, *updated_by;
	char *file;                     /* the file it came from; NULL when typed here */
	char *comment;                  /* the comment written with it, or NULL */
};

struct conflict {
	char *unit, *period, *field, *form;
	char *value;                    /* what vals shows meanwhile (the deterministic pick) */
	struct conflict_candidate *cands;  /* the active candidates, by installation */
	int ncands;
};

/* The open conflicts (of one period, or all when period is NULL), by unit, period, field. */
int store_list_conflicts(struct store *st, const char *period, struct conflict **out, int *n, struct err *e);
void store_free_conflicts(struct conflict *c, int n);
/* Whether (unit, period, field) is in conflict now. */
int store_conflict_is_open(struct store *st, const char *unit, const char *period, const char *field, bool *open,
			   struct err *e);

/* What a decision changed, kept so that it can be taken back (store_resolve_undo). */
struct resolve_undo;

struct resolve_result {
	char installation[33];          /* the candidate taken */
	char *old_value, *new_value;
	struct resolve_undo *undo;      /* for store_resolve_undo; freed with the result */
};

void resolve_result_free(struct resolve_result *r);

/* Decides a conflict for one installation's candidate (a unique prefix of at least 6 hex
 * digits of its id): the other active candidates are superseded and this installation's
 * own candidate takes the value, with an audit row "resolved". One transaction. */
int store_resolve_take(struct store *st, const char *unit, const char *period, const char *field, const char *prefix,
		       const char *operator_name, struct resolve_result *res, struct err *e);

/* Takes a decision back (the conflicts screen offers it while it is open): the candidates
 * it set aside count again and the key is in conflict as before, with an audit row
 * "undone". Refused, with e saying so, once anything else has written to the database
 * since (a file merged, a value typed, another decision). This installation's own
 * candidate moves on to a new revision rather than back to an old one, so no revision
 * ever names two values, even if an export was written in between. One transaction. */
/* The key a decision was made for. */
const char *resolve_undo_unit(const struct resolve_undo *u);
const char *resolve_undo_field(const struct resolve_undo *u);
int store_resolve_undo(struct store *st, const struct resolve_undo *u, const char *operator_name, struct err *e);

#endif
