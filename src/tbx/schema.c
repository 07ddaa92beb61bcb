/* schema.c - the expected schema of an export file (see schema.h). */
#include "tbx/schema.h"

#include <stdbool.h>
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

/* The rows the export script of `version` makes (db/export.sql for the version written
 * now, db/export_v1.sql and db/export_v2.sql for versions 1 and 2), from an in-memory
 * database: made once per process and version. */
static int expected_schema(int version, const struct schema_row **out, int *n)
{
	static struct schema_row *rows[3];
	static int nrows[3];
	int k = version - 1;
	const char *sql = version == 1 ? export_v1_sql : version == 2 ? export_v2_sql : export_sql;
	sqlite3 *db = NULL;
	int rc = -1;

	if (version < 1 || version > export_version() || k >= (int)ARRAY_LEN(rows))
		return -1;
	if (!rows[k]) {
		if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
		    sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
			rc = read_schema(db, &rows[k], &nrows[k]);
		sqlite3_close(db);
		if (rc != 0) {
			free_schema(rows[k], nrows[k]);
			rows[k] = NULL;
			return -1;
		}
	}
	*out = rows[k];
	*n = nrows[k];
	return 0;
}

/* Compares the file's schema with the expected one; on a difference says what it is. */
static int compare_schema(const struct schema_row *got, int ngot, const struct schema_row *want, int nwant,
			  const char *name, enum export_problem *pb, struct err *e)
{
	char b1[256];

	for (int i = 0; i < ngot; i++) {
		const struct schema_row *g = &got[i];
		const struct schema_row *w = NULL;

		for (int j = 0; j < nwant; j++)
			if (g->type && g->name && strcmp(g->type, want[j].type) == 0 &&
			    same_opt(g->name, g->nname, want[j].name, want[j].nname))
				w = &want[j];
		*pb = EP_SCHEMA;
		if (!w) {
			const char *what = !g->type ? "?" : g->type;

			problem_shown(g->name, b1, sizeof b1);
			if (strcmp(what, "trigger") == 0)
				err_set(e, _("%s: refused: it holds a trigger '%s', which tianbao never writes into an export file. Do not merge it; export again from the computer it came from."),
					name, b1);
			else if (strcmp(what, "view") == 0)
				err_set(e, _("%s: refused: it holds a view '%s', which tianbao never writes into an export file. Do not merge it; export again from the computer it came from."),
					name, b1);
			else if (strcmp(what, "index") == 0)
				err_set(e, _("%s: refused: it holds an index '%s', which tianbao never writes into an export file. Do not merge it; export again from the computer it came from."),
					name, b1);
			else
				err_set(e, _("%s: refused: it holds a table '%s', which tianbao never writes into an export file. Do not merge it; export again from the computer it came from."),
					name, b1);
			return -1;
		}
		if (!same_opt(g->tbl_name, g->tbl_name ? strlen(g->tbl_name) : 0, w->tbl_name, strlen(w->tbl_name)) ||
		    !same_opt(g->sql, g->nsql, w->sql, w->nsql)) {
			err_set(e, _("%s: refused: its table '%s' is not laid out the way tianbao writes it (a changed, added or generated column). Do not merge it; export again from the computer it came from."),
				name, w->name);
			return -1;
		}
	}
	for (int j = 0; j < nwant; j++) {
		bool found = false;

		for (int i = 0; i < ngot && !found; i++)
			found = got[i].type && strcmp(got[i].type, want[j].type) == 0 &&
				same_opt(got[i].name, got[i].nname, want[j].name, want[j].nname);
		if (!found) {
			*pb = EP_NOT_EXPORT;
			err_set(e, _("%s: refused: it has no table '%s', so it is not a tianbao export file."), name, want[j].name);
			return -1;
		}
	}
	return 0;
}

int export_schema_check(sqlite3 *db, int version, const char *name, enum export_problem *pb, struct err *e)
{
	struct schema_row *got = NULL;
	const struct schema_row *want = NULL;
	int ngot = 0, nwant = 0, rc = -1;

	if (read_schema(db, &got, &ngot) != 0) {
		problem_file_failed(db, name, pb, e);
	} else if (expected_schema(version, &want, &nwant) != 0) {
		*pb = EP_STORE;
		err_set(e, "%s", _("tianbao cannot build its own export schema (db/export.sql); this tianbao is broken"));
	} else {
		rc = compare_schema(got, ngot, want, nwant, name, pb, e);
	}
	free_schema(got, ngot);
	return rc;
}
