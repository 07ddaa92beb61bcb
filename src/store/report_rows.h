/* report_rows.h - what the reports read from the database, in as few statements as a
 * period allows: every stored value of a period and the one before it (one statement),
 * every form state of both (one statement), and - only when some value is in conflict -
 * the other installations' values of those (one more).
 *
 * Rows are handed to a callback in no particular order; the strings live until the
 * callback returns. The report code (report.c) maps them onto its model.
 */
#ifndef TIANBAO_STORE_REPORT_H
#define TIANBAO_STORE_REPORT_H

#include <stdbool.h>

#include "store/states.h"
#include "store/store.h"
#include "lib/err.h"

struct report_value_row {
	const char *unit, *period, *field;
	const char *value;        /* canonical text; NULL when cleared */
	bool conflict;            /* vals.conflict: installations disagree, nobody decided yet */
	const char *updated_at, *updated_by;
	const char *comment;      /* the comment on the value shown, NULL when none */
};

struct report_state_row {
	const char *unit, *period, *form;
	enum form_state state;    /* FST_PROGRESS or FST_COMPLETE (no row means empty) */
	const char *changed_at, *changed_by;
};

/* Another installation's value of a value in conflict (a candidate not superseded). */
struct report_alt_row {
	const char *unit, *period, *field;
	const char *value;        /* NULL: that installation cleared it */
	const char *updated_at, *updated_by, *installation;
};

typedef int (*report_value_fn)(void *ctx, const struct report_value_row *r);
typedef int (*report_state_fn)(void *ctx, const struct report_state_row *r);
typedef int (*report_alt_fn)(void *ctx, const struct report_alt_row *r);

/* The values of periods p1 and p2 (p2 may be NULL): those with a value, and cleared ones
 * only when in conflict. Sets *nconflicts to how many rows were in conflict. A callback
 * returning non-zero stops the walk with that status. */
int store_report_values(struct store *st, const char *p1, const char *p2, report_value_fn fn, void *ctx,
			int *nconflicts, struct err *e);
int store_report_states(struct store *st, const char *p1, const char *p2, report_state_fn fn, void *ctx,
			struct err *e);
/* For every value in conflict in p1 or p2, the other installations' candidates. */
int store_report_alternatives(struct store *st, const char *p1, const char *p2, report_alt_fn fn, void *ctx,
			      struct err *e);

#endif
