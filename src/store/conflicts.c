/* conflicts.c - values installations disagree on, and the clerk's decisions (see
 * conflicts.h). */
#include "store/conflicts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lib/clock.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "store/internal.h"
#include "store/states.h"
#include "tbx/tbx.h"

void store_free_conflicts(struct conflict *c, int n)
{
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < c[i].ncands; k++) {
			free(c[i].cands[k].value);
			free(c[i].cands[k].updated_at);
			free(c[i].cands[k].updated_by);
			free(c[i].cands[k].file);
			free(c[i].cands[k].comment);
		}
		free(c[i].cands);
		free(c[i].unit);
		free(c[i].period);
		free(c[i].field);
		free(c[i].form);
		free(c[i].value);
	}
	free(c);
}

int store_list_conflicts(struct store *st, const char *period, struct conflict **out, int *n, struct err *e)
{
	sqlite3_stmt *s = NULL, *c = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	s = store_prepare(st,
			  "SELECT unit, period, field, form, value FROM vals WHERE conflict = 1 "
			  "AND (?1 IS NULL OR period = ?1) ORDER BY unit, period, field",
			  e);
	if (!s)
		goto fail;
	c = store_prepare(st,
			  "SELECT c.installation, c.value, c.revision, c.updated_at, c.updated_by, m.file_name, c.comment "
			  "FROM candidates c LEFT JOIN merges m ON m.id = c.source "
			  "WHERE c.unit = ?1 AND c.period = ?2 AND c.field = ?3 AND c.superseded = 0 "
			  "ORDER BY c.installation",
			  e);
	if (!c)
		goto fail;
	store_bind_text(s, 1, period);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct conflict *k;

		*out = xreallocarray(*out, (size_t)*n + 1, sizeof **out);
		k = &(*out)[(*n)++];
		memset(k, 0, sizeof *k);
		k->unit = store_column_dup(s, 0);
		k->period = store_column_dup(s, 1);
		k->field = store_column_dup(s, 2);
		k->form = store_column_dup(s, 3);
		k->value = store_column_dup(s, 4);
		sqlite3_reset(c);
		store_bind_text(c, 1, k->unit);
		store_bind_text(c, 2, k->period);
		store_bind_text(c, 3, k->field);
		while ((rc = sqlite3_step(c)) == SQLITE_ROW) {
			struct conflict_candidate *cc;

			k->cands = xreallocarray(k->cands, (size_t)k->ncands + 1, sizeof *k->cands);
			cc = &k->cands[k->ncands++];
			snprintf(cc->installation, sizeof cc->installation, "%s", (const char *)sqlite3_column_text(c, 0));
			cc->value = store_column_dup(c, 1);
			cc->revision = sqlite3_column_int64(c, 2);
			cc->updated_at = store_column_dup(c, 3);
			cc->updated_by = store_column_dup(c, 4);
			cc->file = store_column_dup(c, 5);
			cc->comment = store_column_dup(c, 6);
		}
		if (rc != SQLITE_DONE) {
			sql_fail(st->db, st->path, e);
			goto fail;
		}
	}
	if (rc != SQLITE_DONE) {
		sql_fail(st->db, st->path, e);
		goto fail;
	}
	sqlite3_finalize(s);
	sqlite3_finalize(c);
	return 0;
fail:
	sqlite3_finalize(s);
	sqlite3_finalize(c);
	store_free_conflicts(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}

int store_conflict_is_open(struct store *st, const char *unit, const char *period, const char *field, bool *open,
			   struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	*open = false;
	s = store_prepare(st, "SELECT conflict FROM vals WHERE unit = ?1 AND period = ?2 AND field = ?3", e);
	if (!s)
		return -1;
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, field);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*open = sqlite3_column_int(s, 0) != 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sql_fail(st->db, st->path, e);
		return -1;
	}
	return 0;
}

/* The key as it was before the decision: every candidate (their strings in own[]), whose
 * candidate vals showed, and what the decision wrote. */
struct resolve_undo {
	char *unit, *period, *field;
	struct cand *cands;
	char **own;
	int ncands, nown;
	char *shown_inst;               /* vals.installation before the decision */
	char *form;                     /* the value's form, and its state before the decision */
	struct form_state_info state;
	char *decided;                  /* the value decided (NULL: cleared) */
	int64_t decision_revision;      /* this installation's candidate the decision wrote */
	int64_t data_version;           /* PRAGMA data_version just after the decision */
};

static void free_strings(char **own, int n)
{
	for (int i = 0; i < n; i++)
		free(own[i]);
	free(own);
}

static void undo_free(struct resolve_undo *u)
{
	if (!u)
		return;
	free(u->unit);
	free(u->period);
	free(u->field);
	free(u->cands);
	free_strings(u->own, u->nown);
	free(u->shown_inst);
	free(u->form);
	free(u->decided);
	free(u);
}

void resolve_result_free(struct resolve_result *r)
{
	free(r->old_value);
	free(r->new_value);
	undo_free(r->undo);
	memset(r, 0, sizeof *r);
}

/* Every candidate of a key, with its strings (own[0..nown), to free): those that count
 * are the active ones, or, when a decision set every one aside, all of them (merge.c
 * pick_of). */
static int load_candidates(struct store *st, const char *unit, const char *period, const char *field, struct cand **out,
			   int *n, char ***own, int *nown, bool *any_active, struct err *e)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*any_active = false;
	s = store_prepare(st,
			  "SELECT installation, form, value, revision, updated_at, updated_by, source, superseded, comment "
			  "FROM candidates WHERE unit = ?1 AND period = ?2 AND field = ?3 ORDER BY installation",
			  e);
	if (!s)
		return -1;
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, field);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct cand *r;

		*out = xreallocarray(*out, (size_t)*n + 1, sizeof **out);
		*own = xreallocarray(*own, (size_t)*nown + 6, sizeof **own);
		r = &(*out)[(*n)++];
		memset(r, 0, sizeof *r);
		r->inst = (*own)[(*nown)++] = store_column_dup(s, 0);
		r->form = (*own)[(*nown)++] = store_column_dup(s, 1);
		r->value = (*own)[(*nown)++] = store_column_dup(s, 2);
		r->revision = sqlite3_column_int64(s, 3);
		r->updated_at = (*own)[(*nown)++] = store_column_dup(s, 4);
		r->updated_by = (*own)[(*nown)++] = store_column_dup(s, 5);
		r->source = sqlite3_column_int64(s, 6);
		r->superseded = sqlite3_column_int(s, 7) != 0;
		r->comment = (*own)[(*nown)++] = store_column_dup(s, 8);
		*any_active = *any_active || !r->superseded;
		if (!r->inst || !r->form || !r->updated_at || !r->updated_by)
			goto db_fail;
	}
	if (rc != SQLITE_DONE)
		goto db_fail;
	sqlite3_finalize(s);
	return 0;
db_fail:
	sql_fail(st->db, st->path, e);
	sqlite3_finalize(s);
	return -1;
}

/* Whose candidate vals shows for a key (malloc'd); NULL with e. */
static char *shown_installation(struct store *st, const char *unit, const char *period, const char *field,
				struct err *e)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT installation FROM vals WHERE unit = ?1 AND period = ?2 AND field = ?3",
					e);
	char *inst = NULL;

	if (!s)
		return NULL;
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, field);
	if (sqlite3_step(s) == SQLITE_ROW)
		inst = store_column_dup(s, 0);
	if (!inst)
		sql_fail(st->db, st->path, e);
	sqlite3_finalize(s);
	return inst;
}

/* This installation's candidate of a key: its revision (0: none) and whether it is set
 * aside; -1 with e. */
static int64_t own_candidate(struct store *st, const char *unit, const char *period, const char *field,
			     bool *superseded, struct err *e)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT revision, superseded FROM candidates WHERE unit = ?1 AND "
					"period = ?2 AND field = ?3 AND installation = ?4", e);
	int64_t rev = -1;
	int rc;

	if (!s)
		return -1;
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, field);
	store_bind_text(s, 4, st->installation);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		rev = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		*superseded = rc == SQLITE_ROW && sqlite3_column_int(s, 1) != 0;
	} else {
		sql_fail(st->db, st->path, e);
	}
	sqlite3_finalize(s);
	return rev;
}

static int64_t own_revision(struct store *st, const char *unit, const char *period, const char *field, struct err *e)
{
	bool superseded;

	return own_candidate(st, unit, period, field, &superseded, e);
}

int store_resolve_take(struct store *st, const char *unit, const char *period, const char *field, const char *prefix,
		       const char *operator_name, struct resolve_result *res, struct err *e)
{
	char want[33], now[32];
	struct cand *c = NULL, *taken = NULL;
	char **own = NULL;
	int nc = 0, nown = 0;
	struct strbuf all;
	size_t plen = strlen(prefix);
	int matches = 0;
	bool open = false, any_active = false;
	struct decided done;
	struct resolve_undo *u;
	char *shown_inst = NULL;
	struct form_state_info state_before;
	int64_t rev, version = 0;
	bool have_version;

	memset(res, 0, sizeof *res);
	memset(&done, 0, sizeof done);
	sb_init(&all);
	if (plen < 6 || plen > 32) {
		err_set(e, _("'%s': give at least 6 (and at most 32) hex digits of the installation id, as 'tianbao conflicts' shows it"),
			prefix);
		return -1;
	}
	for (size_t i = 0; i <= plen; i++)
		want[i] = (char)((prefix[i] >= 'A' && prefix[i] <= 'F') ? prefix[i] - 'A' + 'a' : prefix[i]);
	if (!str_is_hex(want, plen)) {
		err_set(e, _("'%s' is not an installation id: it has letters other than 0-9 and a-f"), prefix);
		return -1;
	}
	now_iso8601(now);
	if (store_exec(st, "BEGIN IMMEDIATE", e) != 0)
		return -1;
	if (store_conflict_is_open(st, unit, period, field, &open, e) != 0)
		goto fail;
	if (!open) {
		err_set(e, _("there is no open conflict for %s %s %s: nothing to resolve (see 'tianbao conflicts')"), unit,
			period, field);
		goto fail;
	}
	if (load_candidates(st, unit, period, field, &c, &nc, &own, &nown, &any_active, e) != 0)
		goto fail;
	for (int i = 0; i < nc; i++) {
		if (any_active && c[i].superseded)
			continue;
		sb_addf(&all, "%s%s", all.len ? ", " : "", c[i].inst);
		if (strncmp(c[i].inst, want, plen) == 0 && matches++ == 0)
			taken = &c[i];
	}
	if (matches == 0) {
		err_set(e, _("installation %s is not one of the candidates of %s %s %s; they are: %s"), prefix, unit, period,
			field, sb_str(&all));
		goto fail;
	}
	if (matches > 1) {
		err_set(e, _("'%s' matches %d candidates of %s %s %s; give more digits (they are: %s)"), prefix, matches, unit,
			period, field, sb_str(&all));
		goto fail;
	}
	snprintf(res->installation, sizeof res->installation, "%s", taken->inst);
	res->new_value = taken->value ? xstrdup(taken->value) : NULL;
	if (!(shown_inst = shown_installation(st, unit, period, field, e)) ||
	    store_get_form_state(st, unit, period, taken->form, &state_before, e) != 0)
		goto fail;
	/* The decision is this installation's own candidate (the taken value, by the clerk,
	 * now) beside the taken one, which agrees; every other candidate is set aside. So it
	 * travels in this installation's export like any value: a township's decision
	 * reaches the county, and two decisions made in different places that disagree
	 * meet there as a conflict. */
	{
		struct decision d = { unit, period, field, taken->form, taken->value, taken, operator_name, "resolved", now, false, NULL, false };

		if (store_decide(st, &d, &done, e) < 0)
			goto fail;
	}
	res->old_value = done.old_value;
	done.old_value = NULL;
	if (!store_same_text(res->old_value, res->new_value) &&
	    store_touch_form_state(st, unit, period, taken->form, operator_name, now, e) != 0)
		goto fail;
	if ((rev = own_revision(st, unit, period, field, e)) < 0)
		goto fail;
	/* Read while the write lock is held: no other program's commit can slip in before
	 * it (this connection's own commit does not move it). Without it the undo could not
	 * tell another program's write: the decision stands, it just cannot be taken back. */
	have_version = store_data_version(st, &version, e) == 0;
	if (store_commit(st, e) != 0)
		goto fail;
	sb_free(&all);
	if (!have_version) {
		free_strings(own, nown);
		free(c);
		free(shown_inst);
		return 0;
	}
	u = xcalloc(1, sizeof *u);
	*u = (struct resolve_undo){ xstrdup(unit), xstrdup(period), xstrdup(field), c, own, nc, nown, shown_inst,
				    xstrdup(taken->form), state_before, res->new_value ? xstrdup(res->new_value) : NULL,
				    rev, version };
	res->undo = u;
	return 0;
fail:
	store_rollback(st);
	free_strings(own, nown);
	free(c);
	free(shown_inst);
	sb_free(&all);
	free(done.old_value);
	resolve_result_free(res);
	return -1;
}

/* The form's state as it was before the decision, when the decision changed it (a
 * complete form reopened because its value changed), with an audit row "undone". */
static int restore_state(struct store *st, const struct resolve_undo *u, const char *by, const char *now,
			 struct err *e)
{
	struct form_state_info cur;
	const struct form_state_info *was = &u->state;
	sqlite3_stmt *s;

	if (store_get_form_state(st, u->unit, u->period, u->form, &cur, e) != 0)
		return -1;
	if (cur.state == was->state && strcmp(cur.changed_at, was->changed_at) == 0 &&
	    strcmp(cur.installation, was->installation) == 0)
		return 0;
	if (was->state == FST_EMPTY) {
		if (!(s = store_stmt(st, S_STATE_DEL, e)))
			return -1;
		store_bind_static(s, 1, u->unit);
		store_bind_static(s, 2, u->period);
		store_bind_static(s, 3, u->form);
		if (store_step_done(st, s, e) != 0)
			return -1;
	} else if (store_put_state(st, u->unit, u->period, u->form, form_state_name(was->state), was->changed_at,
				   was->changed_by, was->installation, e) != 0) {
		return -1;
	}
	return store_audit_add(st, now, u->unit, u->period, u->form, "", form_state_name(cur.state),
			       form_state_name(was->state), by, "undone", 0, NULL, e);
}

const char *resolve_undo_unit(const struct resolve_undo *u)
{
	return u->unit;
}

const char *resolve_undo_field(const struct resolve_undo *u)
{
	return u->field;
}

int store_resolve_undo(struct store *st, const struct resolve_undo *u, const char *operator_name, struct err *e)
{
	const struct cand *before = NULL, *shown = NULL;
	struct cand again;
	sqlite3_stmt *s = NULL;
	char now[32];
	int64_t version = 0, rev;
	bool superseded = false;

	if (!u) {
		err_set(e, "%s", _("there is no decision to take back"));
		return -1;
	}
	now_iso8601(now);
	if (store_exec(st, "BEGIN IMMEDIATE", e) != 0)
		return -1;
	if (store_data_version(st, &version, e) != 0 ||
	    (rev = own_candidate(st, u->unit, u->period, u->field, &superseded, e)) < 0)
		goto fail;
	/* Another program's commit moves the data version; this program's own later writes
	 * move the decision's candidate on. Either way the decision is no longer the last
	 * word on the key, and taking it back would undo more than it. */
	if (version != u->data_version || rev != u->decision_revision || superseded) {
		err_set(e, _("%s %s %s has changed since it was decided (a file was imported or a value typed), so the "
			     "decision cannot be taken back; decide it again, or type the right value in the form"),
			u->unit, u->period, u->field);
		goto fail;
	}
	if (rev >= EXPORT_REVISION_MAX) {
		err_set(e, _("%s: the revision of %s %s %s is damaged (%lld); nothing was saved"), st->path, u->unit,
			u->period, u->field, (long long)rev);
		goto fail;
	}
	s = store_prepare(st, "UPDATE candidates SET superseded = ?5 WHERE unit = ?1 AND period = ?2 AND field = ?3 "
			      "AND installation = ?4", e);
	if (!s)
		goto fail;
	for (int i = 0; i < u->ncands; i++) {
		const struct cand *c = &u->cands[i];

		if (strcmp(c->inst, st->installation) == 0) {
			before = c;
			continue;
		}
		if (strcmp(c->inst, u->shown_inst) == 0)
			shown = c;
		store_bind_text(s, 1, u->unit);
		store_bind_text(s, 2, u->period);
		store_bind_text(s, 3, u->field);
		store_bind_text(s, 4, c->inst);
		sqlite3_bind_int(s, 5, c->superseded);
		if (store_step_done(st, s, e) != 0)
			goto fail;
	}
	if (before) {
		/* This installation's value as it was, under a new revision. */
		again = *before;
		again.revision = rev + 1;
		if (store_put_candidate(st, u->unit, u->period, u->field, &again, e) != 0)
			goto fail;
		if (strcmp(before->inst, u->shown_inst) == 0)
			shown = &again;
	} else {
		/* It had none: the decision's candidate is set aside, so it no longer counts but
		 * keeps its revision, and a later value here takes the next one. */
		store_bind_text(s, 1, u->unit);
		store_bind_text(s, 2, u->period);
		store_bind_text(s, 3, u->field);
		store_bind_text(s, 4, st->installation);
		sqlite3_bind_int(s, 5, 1);
		if (store_step_done(st, s, e) != 0)
			goto fail;
	}
	if (!shown) {
		err_set(e, _("%s: the value shown for %s %s %s is not one of its candidates; nothing was changed"), st->path,
			u->unit, u->period, u->field);
		goto fail;
	}
	if (store_put_value(st, u->unit, u->period, u->field, shown, true, e) != 0 ||
	    store_audit_add(st, now, u->unit, u->period, shown->form, u->field, u->decided, shown->value, operator_name,
			    "undone", 0, shown->comment, e) != 0 || restore_state(st, u, operator_name, now, e) != 0)
		goto fail;
	sqlite3_finalize(s);
	return store_commit(st, e);
fail:
	sqlite3_finalize(s);
	store_rollback(st);
	return -1;
}
