/* values.c - values read and written (see values.h); the one write path (internal.h). */
#include "store/values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/strlist.h"
#include "store/internal.h"
#include "store/latest.h"
#include "store/states.h"
#include "tbx/tbx.h"

#ifndef TIANBAO_DATE
#define TIANBAO_DATE "2026-11-01"
#endif

int store_clock_ok(struct err *e)
{
	char now[32];

	now_iso8601(now);
	/* A value stamped before this program existed would be refused by every township
	 * (and would lose every merge): fix the clock first. */
	if (strcmp(now, TIANBAO_DATE) < 0) {
		err_set(e, _("this computer's clock says %.10s, before this tianbao was made (%s). Set the date and time, then try again; nothing was saved."),
			now, TIANBAO_DATE);
		return -1;
	}
	return 0;
}

int store_load_form_values(struct store *st, const struct form *f, const char *unit, const char *period,
			   char **raw, char **comment, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, S_FORM_VALUES, e);
	int rc;

	for (int i = 0; i < f->nfields; i++) {
		raw[i] = NULL;
		if (comment)
			comment[i] = NULL;
	}
	if (!s)
		return -1;
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, f->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int idx = form_field_index(f, store_column_text(s, 0));

		/* Values of fields a later form version dropped stay stored, but are not shown. */
		if (idx >= 0 && sqlite3_column_type(s, 1) != SQLITE_NULL) {
			free(raw[idx]);
			raw[idx] = xstrdup((const char *)sqlite3_column_text(s, 1));
		}
		if (idx >= 0 && comment && sqlite3_column_type(s, 2) != SQLITE_NULL) {
			free(comment[idx]);
			comment[idx] = xstrdup((const char *)sqlite3_column_text(s, 2));
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		sql_fail(st->db, st->path, e);
		for (int i = 0; i < f->nfields; i++) {
			free(raw[i]);
			raw[i] = NULL;
			if (comment) {
				free(comment[i]);
				comment[i] = NULL;
			}
		}
		return -1;
	}
	return 0;
}

int store_form_conflicts(struct store *st, const struct form *f, const char *unit, const char *period,
			 bool *conflict, int *n, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	for (int i = 0; i < f->nfields; i++)
		conflict[i] = false;
	s = store_prepare(st, "SELECT field FROM vals WHERE unit = ?1 AND period = ?2 AND form = ?3 AND conflict = 1", e);
	if (!s)
		return -1;
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, f->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int idx = form_field_index(f, store_column_text(s, 0));

		if (idx >= 0 && !conflict[idx]) {
			conflict[idx] = true;
			(*n)++;
		}
	}
	return store_walk_end(st, s, rc, 0, e);
}

bool store_same_text(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

int store_audit_add(struct store *st, const char *at, const char *unit, const char *period, const char *form,
		    const char *field, const char *old_value, const char *new_value, const char *by,
		    const char *reason, sqlite3_int64 source, const char *comment, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, S_AUDIT_ADD, e);

	if (!s)
		return -1;
	store_bind_text(s, 1, at);
	store_bind_text(s, 2, unit);
	store_bind_text(s, 3, period);
	store_bind_text(s, 4, form);
	store_bind_text(s, 5, field);
	store_bind_text(s, 6, old_value);
	store_bind_text(s, 7, new_value);
	store_bind_text(s, 8, by);
	store_bind_text(s, 9, st->installation);
	store_bind_text(s, 10, reason);
	if (source > 0)
		sqlite3_bind_int64(s, 11, source);
	store_bind_text(s, 12, comment);
	return store_step_done(st, s, e);
}

/* The own revision of a key, plus one; -1 with e when the stored one is damaged (a real
 * one counts edits and stays far below EXPORT_REVISION_MAX; a forged file might not). */
static int64_t next_revision(struct store *st, const struct decision *d, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, S_CAND_OWN_REV, e);
	int64_t rev = 1;
	int rc;

	if (!s)
		return -1;
	store_bind_static(s, 1, d->unit);
	store_bind_static(s, 2, d->period);
	store_bind_static(s, 3, d->field);
	store_bind_static(s, 4, st->installation);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		rev = sqlite3_column_int64(s, 0);
		if (rev < 0 || rev >= EXPORT_REVISION_MAX) {
			sqlite3_reset(s);
			err_set(e, _("%s: the revision of %s %s %s is damaged (%lld); nothing was saved"), st->path, d->unit,
				d->period, d->field, (long long)rev);
			return -1;
		}
		rev++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sql_fail(st->db, st->path, e);
		return -1;
	}
	return rev;
}

int store_put_candidate(struct store *st, const char *unit, const char *period, const char *field,
			const struct cand *c, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, S_CAND_PUT, e);

	if (!s)
		return -1;
	store_bind_static(s, 1, unit);
	store_bind_static(s, 2, period);
	store_bind_static(s, 3, field);
	store_bind_static(s, 4, c->inst);
	store_bind_static(s, 5, c->form);
	store_bind_static(s, 6, c->value);
	sqlite3_bind_int64(s, 7, c->revision);
	store_bind_static(s, 8, c->updated_at);
	store_bind_static(s, 9, c->updated_by);
	if (c->source > 0)
		sqlite3_bind_int64(s, 10, c->source);
	sqlite3_bind_int(s, 11, c->superseded);
	store_bind_static(s, 12, c->comment);
	return store_step_done(st, s, e);
}

int store_put_value(struct store *st, const char *unit, const char *period, const char *field,
		    const struct cand *shown, bool conflict, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, S_VAL_PUT, e);

	if (!s)
		return -1;
	store_bind_static(s, 1, unit);
	store_bind_static(s, 2, period);
	store_bind_static(s, 3, field);
	store_bind_static(s, 4, shown->form);
	store_bind_static(s, 5, shown->value);
	store_bind_static(s, 6, shown->updated_at);
	store_bind_static(s, 7, shown->updated_by);
	store_bind_static(s, 8, shown->inst);
	sqlite3_bind_int64(s, 9, shown->revision);
	sqlite3_bind_int(s, 10, conflict);
	if (shown->source > 0)
		sqlite3_bind_int64(s, 11, shown->source);
	store_bind_static(s, 12, shown->comment);
	return store_step_done(st, s, e);
}

int store_decide(struct store *st, const struct decision *d, struct decided *out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, S_VAL_GET, e);
	const char *keep = d->kept ? d->kept->inst : st->installation;
	struct cand own, kept_shown;
	const struct cand *shown = &own;
	bool exists = false;
	char *old_comment = NULL;
	const char *comment, *value = d->value;
	int64_t rev;
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return -1;
	store_bind_static(s, 1, d->unit);
	store_bind_static(s, 2, d->period);
	store_bind_static(s, 3, d->field);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		exists = true;
		out->old_value = store_column_dup(s, 0);
		out->was_conflict = sqlite3_column_int(s, 1) != 0;
		old_comment = store_column_dup(s, 2);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sql_fail(st->db, st->path, e);
		return -1;
	}
	if (d->comment_only && out->was_conflict) {
		err_set(e, _("%s %s %s is in conflict: decide it first (F6, or tianbao resolve), then write the comment"),
			d->unit, d->period, d->field);
		goto fail;
	}
	if (d->comment_only)
		value = out->old_value;
	/* The comment goes with the value: the taken candidate's, the one given, or the one
	 * the value had (retyping a value keeps what was said about it; clearing it, or
	 * deciding a conflict by typing, keeps none: the one shown may be the losing side's). */
	comment = d->kept ? d->kept->comment
		  : d->set_comment ? d->comment
		  : out->was_conflict || !value ? NULL : old_comment;
	if (comment && !comment[0])
		comment = NULL;
	out->comment_changed = !store_same_text(old_comment, comment);
	out->value_changed = out->was_conflict || !store_same_text(out->old_value, value) || (!exists && value);
	if (!d->kept && !out->was_conflict && !out->comment_changed &&
	    (store_same_text(out->old_value, value) || (!exists && !value))) {
		free(old_comment);
		return 0;
	}
	if ((rev = next_revision(st, d, e)) < 0)
		goto fail;
	own = (struct cand){ st->installation, d->form, value, d->now, d->by, rev, 0, false, false, NULL, "", comment };
	/* Every other active candidate is set aside, but the one taken: it stays beside the
	 * decision, so a later different value from it reopens the conflict for the clerk. */
	if (!(s = store_stmt(st, S_CAND_SUPERSEDE, e)))
		goto fail;
	store_bind_static(s, 1, d->unit);
	store_bind_static(s, 2, d->period);
	store_bind_static(s, 3, d->field);
	store_bind_static(s, 4, st->installation);
	store_bind_static(s, 5, keep);
	if (store_step_done(st, s, e) != 0 || store_put_candidate(st, d->unit, d->period, d->field, &own, e) != 0)
		goto fail;
	/* Shown: the later of the decision and the candidate taken (the decision wins a tie:
	 * latest.h); they hold the same value. */
	if (d->kept && strcmp(d->kept->inst, st->installation) != 0 && !d->kept->superseded) {
		struct stamp a = { d->kept->updated_at, d->kept->inst }, b = { own.updated_at, own.inst };

		if (latest_cmp(&a, &b, st->installation) > 0) {
			kept_shown = *d->kept;
			shown = &kept_shown;
		}
	}
	if (store_put_value(st, d->unit, d->period, d->field, shown, false, e) != 0 ||
	    store_audit_add(st, d->now, d->unit, d->period, d->form, d->field, out->old_value, value, d->by,
			    out->was_conflict ? "resolved" : d->reason, d->kept ? d->kept->source : 0, comment, e) != 0)
		goto fail;
	free(old_comment);
	out->written = true;
	return 1;
fail:
	free(old_comment);
	return -1;
}

int store_write_values(struct store *st, const char *unit, const char *period, const struct value_change *ch,
		       int n, const char *operator_name, const char *reason, write_check_fn check, void *check_ctx,
		       struct write_result *res, struct err *e)
{
	char now[32];
	const char **forms;
	int nforms = 0, rc;

	res->written = res->unchanged = res->decided = 0;
	if (store_clock_ok(e) != 0)
		return -1;
	now_iso8601(now);
	if (store_exec(st, "BEGIN IMMEDIATE", e) != 0)
		return -1;
	if (check && (rc = check(check_ctx, st, e)) != 0) {
		store_rollback(st);
		return rc;
	}
	forms = xcalloc((size_t)n + 1, sizeof *forms);
	for (int i = 0; i < n; i++) {
		struct decision d = { unit, period, ch[i].field, ch[i].form, ch[i].value, NULL, operator_name, reason, now,
				      ch[i].set_comment, ch[i].comment, ch[i].comment_only };
		struct decided done;
		int w = store_decide(st, &d, &done, e), k;

		free(done.old_value);
		if (w < 0)
			goto fail;
		if (w == 0) {
			res->unchanged++;
			continue;
		}
		res->written++;
		res->decided += done.was_conflict;
		/* A comment alone leaves the form as it is: its figures did not change. */
		if (!done.value_changed)
			continue;
		for (k = 0; k < nforms && strcmp(forms[k], ch[i].form) != 0; k++)
			;
		if (k == nforms)
			forms[nforms++] = ch[i].form;
	}
	for (int k = 0; k < nforms; k++)
		if (store_touch_form_state(st, unit, period, forms[k], operator_name, now, e) != 0)
			goto fail;
	free(forms);
	return store_commit(st, e);
fail:
	free(forms);
	store_rollback(st);
	return -1;
}

int store_each_value(struct store *st, const struct value_filter *flt, value_row_fn fn, void *ctx, struct err *e)
{
	sqlite3_stmt *s;
	int rc, status = 0;

	s = store_prepare(st, "SELECT unit, period, form, field, value, updated_at, updated_by, installation, revision "
			      "FROM vals WHERE (?1 IS NULL OR unit = ?1) AND (?2 IS NULL OR period = ?2) "
			      "AND (?3 IS NULL OR form = ?3) AND (?4 OR value IS NOT NULL) "
			      "ORDER BY unit, period, form, field", e);
	if (!s)
		return -1;
	store_bind_text(s, 1, flt ? flt->unit : NULL);
	store_bind_text(s, 2, flt ? flt->period : NULL);
	store_bind_text(s, 3, flt ? flt->form : NULL);
	sqlite3_bind_int(s, 4, flt && flt->with_cleared);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct value_row r = {
			store_column_text(s, 0), store_column_text(s, 1), store_column_text(s, 2), store_column_text(s, 3), store_column_text(s, 4),
			store_column_text(s, 5), store_column_text(s, 6), store_column_text(s, 7), sqlite3_column_int64(s, 8),
		};

		status = fn(ctx, &r);
		if (status != 0)
			break;
	}
	return store_walk_end(st, s, rc, status, e);
}

/* Every unit's periods: the values' periods by one seek of vals_by_period each, newest
 * first (a scan of the index would read every value of a province), then the form
 * states' (a row per unit, form and period). */
static int list_all_periods(struct store *st, char ***periods, int *n, struct err *e)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT max(period) FROM vals WHERE ?1 IS NULL OR period < ?1", e);
	char *below = NULL;
	int rc;

	if (!s)
		return -1;
	for (;;) {
		sqlite3_reset(s);
		store_bind_text(s, 1, below);
		rc = sqlite3_step(s);
		if (rc != SQLITE_ROW || sqlite3_column_type(s, 0) == SQLITE_NULL)
			break;
		strlist_add_sorted(periods, n, store_column_text(s, 0));
		free(below);
		below = xstrdup(store_column_text(s, 0));
	}
	free(below);
	if (store_walk_end(st, s, rc == SQLITE_ROW ? SQLITE_DONE : rc, 0, e) != 0)
		return -1;
	s = store_prepare(st, "SELECT DISTINCT period FROM form_state", e);
	if (!s)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		strlist_add_sorted(periods, n, store_column_text(s, 0));
	if (store_walk_end(st, s, rc, 0, e) != 0)
		return -1;
	/* Newest first. */
	for (int i = 0, j = *n - 1; i < j; i++, j--) {
		char *t = (*periods)[i];

		(*periods)[i] = (*periods)[j];
		(*periods)[j] = t;
	}
	return 0;
}

int store_list_periods(struct store *st, const char *unit, char ***periods, int *n, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	*periods = NULL;
	*n = 0;
	if (!unit) {
		rc = list_all_periods(st, periods, n, e);
		if (rc != 0) {
			strlist_free(*periods, *n);
			*periods = NULL;
			*n = 0;
		}
		return rc;
	}
	s = store_prepare(st, "SELECT period FROM vals WHERE unit = ?1 "
			      "UNION SELECT period FROM form_state WHERE unit = ?1 ORDER BY 1 DESC", e);
	if (!s)
		return -1;
	store_bind_text(s, 1, unit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*periods = xreallocarray(*periods, (size_t)*n + 1, sizeof **periods);
		(*periods)[(*n)++] = xstrdup(store_column_text(s, 0));
	}
	if (store_walk_end(st, s, rc, 0, e) != 0) {
		strlist_free(*periods, *n);
		*periods = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int store_count_values(struct store *st, const char *unit, bool other_units, int64_t *n, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	s = store_prepare(st, other_units ? "SELECT count(*) FROM vals WHERE unit <> ?1 AND value IS NOT NULL"
					  : "SELECT count(*) FROM vals WHERE unit = ?1 AND value IS NOT NULL", e);
	if (!s)
		return -1;
	store_bind_text(s, 1, unit);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(s, 0);
		rc = sqlite3_step(s);
	}
	return store_walk_end(st, s, rc, 0, e);
}
