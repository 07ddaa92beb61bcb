/* schema.c - the expected schema of an export file (see schema.h). */
#include "tbx/schema.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/mem.h"
#include "tbx/export_sql.h"
#include "tbx/problem.h"

struct schema_row {
	char *type, *name, *tbl_name, *sql;
	size_t nname, nsql;
};

static void free_schema(struct schema_row *rows, int n)
{
	for (int i = 0; i < n; i++) {
		free(rows[i].type);
		free(rows[i].name);
		free(rows[i].tbl_name);
		free(rows[i].sql);
	}
	free(rows);
}

static char *col_dup(sqlite3_stmt *s, int i, size_t *n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t len = (size_t)sqlite3_column_bytes(s, i);

	if (n)
		*n = len;
	if (!t)
		return NULL;
	{
		char *out = xmalloc(len + 1);

		memcpy(out, t, len);
		out[len] = '\0';
		return out;
	}
}

/* Every row of sqlite_schema, by type and name. Reading it parses the schema but runs
 * nothing of it. */
static int read_schema(sqlite3 *db, struct schema_row **out, int *n)
{
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name", -1, &s,
			       NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct schema_row *r;

		*out = xreallocarray(*out, (size_t)*n + 1, sizeof **out);
		r = &(*out)[(*n)++];
		r->type = col_dup(s, 0, NULL);
		r->name = col_dup(s, 1, &r->nname);
		r->tbl_name = col_dup(s, 2, NULL);
		r->sql = col_dup(s, 3, &r->nsql);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

static bool same_opt(const char *a, size_t na, const char *b, size_t nb)
{
	if (!a || !b)
		return a == b;
	return na == nb && memcmp(a, b, na) == 0;
}

/* The rows `want`'s script makes, from an in-memory database: made once per process. */
static int expected_rows(struct schema_expected *want)
{
	sqlite3 *db = NULL;
	int rc = -1;

	if (want->rows)
		return 0;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_exec(db, want->sql, NULL, NULL, NULL) == SQLITE_OK)
		rc = read_schema(db, &want->rows, &want->nrows);
	sqlite3_close(db);
	if (rc != 0 || !want->rows) {
		free_schema(want->rows, want->nrows);
		want->rows = NULL;
		want->nrows = 0;
		return -1;
	}
	return 0;
}

static void diff_set(struct schema_diff *d, enum schema_diff_kind kind, const char *type, const char *name)
{
	d->kind = kind;
	snprintf(d->type, sizeof d->type, "%s", type ? type : "?");
	problem_shown(name, d->name, sizeof d->name);
}

/* The first difference between the file's rows and the expected ones. */
static int compare_rows(const struct schema_row *got, int ngot, const struct schema_row *want, int nwant,
			struct schema_diff *d)
{
	for (int i = 0; i < ngot; i++) {
		const struct schema_row *g = &got[i];
		const struct schema_row *w = NULL;

		for (int j = 0; j < nwant; j++)
			if (g->type && g->name && strcmp(g->type, want[j].type) == 0 &&
			    same_opt(g->name, g->nname, want[j].name, want[j].nname))
				w = &want[j];
		if (!w) {
			diff_set(d, SD_EXTRA, g->type, g->name);
			return -1;
		}
		if (!same_opt(g->tbl_name, g->tbl_name ? strlen(g->tbl_name) : 0, w->tbl_name, strlen(w->tbl_name)) ||
		    !same_opt(g->sql, g->nsql, w->sql, w->nsql)) {
			diff_set(d, SD_CHANGED, w->type, w->name);
			return -1;
		}
	}
	for (int j = 0; j < nwant; j++) {
		bool found = false;

		for (int i = 0; i < ngot && !found; i++)
			found = got[i].type && strcmp(got[i].type, want[j].type) == 0 &&
				same_opt(got[i].name, got[i].nname, want[j].name, want[j].nname);
		if (!found) {
			diff_set(d, SD_MISSING, want[j].type, want[j].name);
			return -1;
		}
	}
	d->kind = SD_SAME;
	return 0;
}

int schema_compare(sqlite3 *db, struct schema_expected *want, struct schema_diff *d)
{
	struct schema_row *got = NULL;
	int ngot = 0, rc = -1;

	memset(d, 0, sizeof *d);
	if (read_schema(db, &got, &ngot) != 0)
		d->kind = SD_UNREADABLE;
	else if (expected_rows(want) != 0)
		d->kind = SD_BROKEN;
	else
		rc = compare_rows(got, ngot, want->rows, want->nrows, d);
	free_schema(got, ngot);
	return rc;
}

/* The export scripts by version: db/export_v1.sql to db/export_v3.sql, db/export.sql. */
static struct schema_expected export_schemas[4] = { { export_v1_sql, NULL, 0 }, { export_v2_sql, NULL, 0 },
						    { export_v3_sql, NULL, 0 }, { export_sql, NULL, 0 } };

int export_schema_check(sqlite3 *db, int version, const char *name, enum export_problem *pb, struct err *e)
{
	struct schema_diff d;

	if (version < 1 || version > export_version() || version > (int)ARRAY_LEN(export_schemas)) {
		*pb = EP_STORE;
		err_set(e, "%s", _("tianbao cannot build its own export schema (db/export.sql); this tianbao is broken"));
		return -1;
	}
	if (schema_compare(db, &export_schemas[version - 1], &d) == 0)
		return 0;
	*pb = EP_SCHEMA;
	switch (d.kind) {
	case SD_UNREADABLE:
		problem_file_failed(db, name, pb, e);
		break;
	case SD_BROKEN:
		*pb = EP_STORE;
		err_set(e, "%s", _("tianbao cannot build its own export schema (db/export.sql); this tianbao is broken"));
		break;
	case SD_EXTRA:
		if (strcmp(d.type, "trigger") == 0)
			err_set(e, _("%s: refused: it holds a trigger '%s', which tianbao never writes into an export file. Do not merge it; export again from the computer it came from."),
				name, d.name);
		else if (strcmp(d.type, "view") == 0)
			err_set(e, _("%s: refused: it holds a view '%s', which tianbao never writes into an export file. Do not merge it; export again from the computer it came from."),
				name, d.name);
		else if (strcmp(d.type, "index") == 0)
			err_set(e, _("%s: refused: it holds an index '%s', which tianbao never writes into an export file. Do not merge it; export again from the computer it came from."),
				name, d.name);
		else
			err_set(e, _("%s: refused: it holds a table '%s', which tianbao never writes into an export file. Do not merge it; export again from the computer it came from."),
				name, d.name);
		break;
	case SD_CHANGED:
		err_set(e, _("%s: refused: its table '%s' is not laid out the way tianbao writes it (a changed, added or generated column). Do not merge it; export again from the computer it came from."),
			name, d.name);
		break;
	default:
		*pb = EP_NOT_EXPORT;
		err_set(e, _("%s: refused: it has no table '%s', so it is not a tianbao export file."), name, d.name);
		break;
	}
	return -1;
}
