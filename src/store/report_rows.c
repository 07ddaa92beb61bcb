/* report_rows.c - the report queries (see store/report_rows.h). */
#include "store/report_rows.h"

#include <string.h>

#include <sqlite3.h>

#include "store/internal.h"
#include "lib/err.h"

/* vals has no index on period: one pass over the table reads both periods at once, which
 * is cheaper than two index look-ups would be for a whole period anyway. */
static const char values_sql[] =
	"SELECT unit, period, field, value, conflict, updated_at, updated_by, comment FROM vals "
	"WHERE (period = ?1 OR period = ?2) AND (value IS NOT NULL OR conflict = 1)";

static const char states_sql[] =
	"SELECT unit, period, form, state, changed_at, changed_by FROM form_state WHERE period = ?1 OR period = ?2";

static const char alternatives_sql[] =
	"SELECT c.unit, c.period, c.field, c.value, c.updated_at, c.updated_by, c.installation "
	"FROM vals v JOIN candidates c ON c.unit = v.unit AND c.period = v.period AND c.field = v.field "
	"WHERE (v.period = ?1 OR v.period = ?2) AND v.conflict = 1 AND c.superseded = 0 "
	"AND c.installation <> v.installation ORDER BY c.unit, c.period, c.field, c.updated_at, c.installation";

static sqlite3_stmt *prepare(struct store *st, const char *sql, const char *p1, const char *p2, struct err *e)
{
	sqlite3_stmt *s = store_prepare(st, sql, e);

	if (!s)
		return NULL;
	store_bind_text(s, 1, p1);
	/* A NULL second period matches nothing. */
	store_bind_text(s, 2, p2);
	return s;
}

int store_report_values(struct store *st, const char *p1, const char *p2, report_value_fn fn, void *ctx,
			int *nconflicts, struct err *e)
{
	sqlite3_stmt *s = prepare(st, values_sql, p1, p2, e);
	int rc, status = 0;

	*nconflicts = 0;
	if (!s)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct report_value_row r = {
			store_column_text(s, 0), store_column_text(s, 1), store_column_text(s, 2), store_column_text(s, 3), sqlite3_column_int(s, 4) != 0, store_column_text(s, 5), store_column_text(s, 6),
			store_column_text(s, 7),
		};

		if (r.conflict)
			(*nconflicts)++;
		status = fn(ctx, &r);
		if (status != 0)
			break;
	}
	return store_walk_end(st, s, rc, status, e);
}

int store_report_states(struct store *st, const char *p1, const char *p2, report_state_fn fn, void *ctx,
			struct err *e)
{
	sqlite3_stmt *s = prepare(st, states_sql, p1, p2, e);
	int rc, status = 0;

	if (!s)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *state = store_column_text(s, 3);
		struct report_state_row r = {
			store_column_text(s, 0), store_column_text(s, 1), store_column_text(s, 2), strcmp(state, "complete") == 0 ? FST_COMPLETE : FST_PROGRESS,
			store_column_text(s, 4), store_column_text(s, 5),
		};

		status = fn(ctx, &r);
		if (status != 0)
			break;
	}
	return store_walk_end(st, s, rc, status, e);
}

int store_report_alternatives(struct store *st, const char *p1, const char *p2, report_alt_fn fn, void *ctx,
			      struct err *e)
{
	sqlite3_stmt *s = prepare(st, alternatives_sql, p1, p2, e);
	int rc, status = 0;

	if (!s)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct report_alt_row r = {
			store_column_text(s, 0), store_column_text(s, 1), store_column_text(s, 2), store_column_text(s, 3), store_column_text(s, 4), store_column_text(s, 5), store_column_text(s, 6),
		};

		status = fn(ctx, &r);
		if (status != 0)
			break;
	}
	return store_walk_end(st, s, rc, status, e);
}
