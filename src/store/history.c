/* history.c - the audit trail and the merge log (see history.h). */
#include "store/history.h"

#include <sqlite3.h>

#include "store/internal.h"

int store_each_audit(struct store *st, const char *unit, const char *since, audit_row_fn fn, void *ctx, struct err *e)
{
	sqlite3_stmt *s;
	int rc, status = 0;

	s = store_prepare(st, "SELECT a.id, a.at, a.unit, a.period, a.form, a.field, a.old_value, a.new_value, a.by_operator, "
			      "a.installation, a.reason, a.source, m.file_name, a.comment "
			      "FROM audit a LEFT JOIN merges m ON m.id = a.source "
			      "WHERE (?1 IS NULL OR a.unit = ?1) AND (?2 IS NULL OR a.at >= ?2) ORDER BY a.id", e);
	if (!s)
		return -1;
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct audit_row r = {
			sqlite3_column_int64(s, 0), store_column_text(s, 1), store_column_text(s, 2), store_column_text(s, 3), store_column_text(s, 4),
			store_column_text(s, 5), store_column_text(s, 6), store_column_text(s, 7), store_column_text(s, 8), store_column_text(s, 9), store_column_text(s, 10),
			sqlite3_column_int64(s, 11), store_column_text(s, 12), store_column_text(s, 13),
		};

		status = fn(ctx, &r);
		if (status != 0)
			break;
	}
	return store_walk_end(st, s, rc, status, e);
}

int store_each_merge(struct store *st, merge_row_fn fn, void *ctx, struct err *e)
{
	sqlite3_stmt *s;
	int rc, status = 0;

	s = store_prepare(st, "SELECT id, checksum, file_name, installation, source_units, exported_by, exported_at, "
			      "merged_at, merged_by, n_new, n_updated, n_unchanged, n_conflicts FROM merges ORDER BY id", e);
	if (!s)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct merge_row r = {
			sqlite3_column_int64(s, 0),
			(const char *)sqlite3_column_text(s, 1),
			(const char *)sqlite3_column_text(s, 2),
			(const char *)sqlite3_column_text(s, 3),
			(const char *)sqlite3_column_text(s, 4),
			(const char *)sqlite3_column_text(s, 5),
			(const char *)sqlite3_column_text(s, 6),
			(const char *)sqlite3_column_text(s, 7),
			(const char *)sqlite3_column_text(s, 8),
			/* The log keeps the values' counts; form state changes are in the audit. */
			{ sqlite3_column_int(s, 9), sqlite3_column_int(s, 10), sqlite3_column_int(s, 11),
			  sqlite3_column_int(s, 12), 0, 0, 0 },
		};

		status = fn(ctx, &r);
		if (status != 0)
			break;
	}
	return store_walk_end(st, s, rc, status, e);
}
