/* export.c - the database's side of an export (see export.h). */
#include "store/export.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lib/i18n.h"
#include "store/internal.h"
#include "tbx/write.h"

static bool period_wanted(const struct export_spec *spec, const char *period)
{
	if (!spec->periods || spec->nperiods == 0)
		return true;
	for (int i = 0; i < spec->nperiods; i++)
		if (strcmp(spec->periods[i], period) == 0)
			return true;
	return false;
}

/* First the active candidates (into the file's vals), then those a decision set aside
 * (into superseded; only beside an active one: a key whose candidates are all set aside
 * - copies of one database that decided differently - has them all counted, so they go
 * in vals). */
static const char *const candidates_sql[2] = {
	"SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by, comment "
	"FROM candidates c WHERE superseded = 0 OR NOT EXISTS (SELECT 1 FROM candidates a "
	"WHERE a.unit = c.unit AND a.period = c.period AND a.field = c.field AND a.superseded = 0) "
	"ORDER BY unit, period, field, installation",
	"SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by, comment "
	"FROM candidates c WHERE superseded = 1 AND EXISTS (SELECT 1 FROM candidates a "
	"WHERE a.unit = c.unit AND a.period = c.period AND a.field = c.field AND a.superseded = 0) "
	"ORDER BY unit, period, field, installation",
};

static int write_candidates(struct store *st, struct tbx_writer *w, const struct export_spec *spec, int pass,
			    int *left_out, struct err *e)
{
	sqlite3_stmt *rd;
	int rc, status = -1;

	rd = store_prepare(st, candidates_sql[pass], e);
	if (!rd)
		return -1;
	while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
		struct export_value v = {
			(char *)sqlite3_column_text(rd, 0), (char *)sqlite3_column_text(rd, 1),
			(char *)sqlite3_column_text(rd, 2), (char *)sqlite3_column_text(rd, 3),
			(char *)sqlite3_column_text(rd, 4), (char *)sqlite3_column_text(rd, 5),
			sqlite3_column_int64(rd, 6), (char *)sqlite3_column_text(rd, 7),
			(char *)sqlite3_column_text(rd, 8), pass == 1, (char *)sqlite3_column_text(rd, 9),
		};
		const struct form *f;
		int fi;

		if (!period_wanted(spec, v.period))
			continue;
		f = formset_find_form(spec->fs, v.form);
		if (!f) {
			err_set(e, _("the database holds values of form '%s', which the form definitions here do not have; add that form's definition, then export again"),
				v.form);
			goto done;
		}
		fi = form_field_index(f, v.field);
		if (fi < 0 || f->fields[fi].compute) {
			/* A field a later version of the form dropped: kept here, not carried. */
			if (pass == 0)
				(*left_out)++;
			continue;
		}
		if (tbx_writer_value(w, &v, f, e) != 0)
			goto done;
	}
	status = 0;
done:
	return store_walk_end(st, rd, rc, status, e);
}

/* The stored state of each form; the writer keeps those of forms it has values of. */
static int write_states(struct store *st, struct tbx_writer *w, struct err *e)
{
	sqlite3_stmt *rd;
	int rc, status = -1;

	rd = store_prepare(st, "SELECT unit, period, form, state, changed_at, changed_by, installation FROM form_state "
			       "ORDER BY unit, period, form", e);
	if (!rd)
		return -1;
	while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
		struct export_state row = {
			(char *)sqlite3_column_text(rd, 0), (char *)sqlite3_column_text(rd, 1),
			(char *)sqlite3_column_text(rd, 2), (char *)sqlite3_column_text(rd, 3),
			(char *)sqlite3_column_text(rd, 4), (char *)sqlite3_column_text(rd, 5),
			(char *)sqlite3_column_text(rd, 6),
		};

		if (tbx_writer_state(w, &row, e) != 0)
			goto done;
	}
	status = 0;
done:
	return store_walk_end(st, rd, rc, status, e);
}

int store_export_write(struct store *st, const char *path, const struct export_spec *spec, struct export_info *info,
		       int *left_out, struct err *e)
{
	struct tbx_writer *w = NULL;
	char *unit = NULL;
	int rc = -1;

	memset(info, 0, sizeof *info);
	*left_out = 0;
	if (store_meta_get(st, "unit", &unit, e) != 0)
		return -1;
	if (tbx_writer_open(path, &w, e) != 0) {
		free(unit);
		return -1;
	}
	/* One read transaction: a consistent picture even while another tianbao writes. */
	if (store_exec(st, "BEGIN", e) != 0 || write_candidates(st, w, spec, 0, left_out, e) != 0 ||
	    write_candidates(st, w, spec, 1, left_out, e) != 0 || write_states(st, w, e) != 0) {
		store_rollback(st);
		tbx_writer_abort(w);
		free(unit);
		return -1;
	}
	store_rollback(st);
	{
		struct tbx_author by = { store_installation_id(st), unit, spec->operator_name };

		rc = tbx_writer_finish(w, &by, info, e);
	}
	free(unit);
	return rc;
}
