/* states.c - form states (see states.h). */
#include "store/states.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/clock.h"
#include "store/internal.h"
#include "store/values.h"

int store_put_state(struct store *st, const char *unit, const char *period, const char *form, const char *state,
		    const char *at, const char *by, const char *installation, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, S_STATE_PUT, e);

	if (!s)
		return -1;
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, form);
	store_bind_text(s, 4, state);
	store_bind_text(s, 5, at);
	store_bind_text(s, 6, by);
	store_bind_text(s, 7, installation);
	return store_step_done(st, s, e);
}

/* Whether a state's time is more than a day after now: it was set while this computer's
 * clock was ahead (a township refuses such a time, and no other installation's file
 * brings one here). A state set now does not wait for it, or the form could not be
 * exported until that day. */
static bool set_while_clock_ahead(const char *at, const char *now)
{
	time_t a, n;

	return iso8601_seconds(at, &a) == 0 && iso8601_seconds(now, &n) == 0 && a > n + CLOCK_AHEAD_MAX;
}

/* The time of a new state set here: now, or one second after the state it replaces when
 * that one is not older (the same second, or another computer's clock ahead), so that
 * it is later than what it replaces and a file carrying the old state cannot undo it. */
static void stamp_after(const struct form_state_info *old, const char *now, char out[32])
{
	if (old->state == FST_EMPTY || strcmp(now, old->changed_at) > 0 || set_while_clock_ahead(old->changed_at, now) ||
	    iso8601_next_second(old->changed_at, out) != 0)
		snprintf(out, 32, "%s", now);
}

int store_touch_form_state(struct store *st, const char *unit, const char *period, const char *form,
			    const char *by, const char *now, struct err *e)
{
	struct form_state_info info;
	char at[32];

	if (store_get_form_state(st, unit, period, form, &info, e) != 0)
		return -1;
	if (info.state == FST_PROGRESS) {
		/* Still in progress, now as of this change (never earlier than it was). */
		snprintf(at, sizeof at, "%s",
			 strcmp(now, info.changed_at) > 0 || set_while_clock_ahead(info.changed_at, now) ? now : info.changed_at);
		if (strcmp(at, info.changed_at) == 0 && strcmp(by, info.changed_by) == 0 &&
		    strcmp(st->installation, info.installation) == 0)
			return 0;
		return store_put_state(st, unit, period, form, "progress", at, by, st->installation, e);
	}
	if (info.state == FST_COMPLETE &&
	    store_audit_add(st, now, unit, period, form, "", "complete", "progress", by, "reopened", 0, NULL, e) != 0)
		return -1;
	stamp_after(&info, now, at);
	return store_put_state(st, unit, period, form, "progress", at, by, st->installation, e);
}

const char *form_state_name(enum form_state s)
{
	switch (s) {
	case FST_PROGRESS: return "progress";
	case FST_COMPLETE: return "complete";
	default: return "empty";
	}
}

int store_get_form_state(struct store *st, const char *unit, const char *period, const char *form,
			 struct form_state_info *out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, S_STATE_GET, e);
	int rc;

	memset(out, 0, sizeof *out);
	out->state = FST_EMPTY;
	if (!s)
		return -1;
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, form);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *state = (const char *)sqlite3_column_text(s, 0);

		out->state = strcmp(state, "complete") == 0 ? FST_COMPLETE : FST_PROGRESS;
		snprintf(out->changed_at, sizeof out->changed_at, "%s", (const char *)sqlite3_column_text(s, 1));
		snprintf(out->changed_by, sizeof out->changed_by, "%s", (const char *)sqlite3_column_text(s, 2));
		snprintf(out->installation, sizeof out->installation, "%s", (const char *)sqlite3_column_text(s, 3));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sql_fail(st->db, st->path, e);
		return -1;
	}
	return 0;
}

int store_set_form_state(struct store *st, const char *unit, const char *period, const char *form,
			 enum form_state state, const char *operator_name, struct err *e)
{
	struct form_state_info old;
	sqlite3_stmt *s;
	char now[32], at[32];

	if (store_clock_ok(e) != 0)
		return -1;
	now_iso8601(now);
	if (store_exec(st, "BEGIN IMMEDIATE", e) != 0)
		return -1;
	if (store_get_form_state(st, unit, period, form, &old, e) != 0)
		goto fail;
	if (old.state == state)
		return store_commit(st, e);
	if (state == FST_EMPTY) {
		if (!(s = store_stmt(st, S_STATE_DEL, e)))
			goto fail;
		store_bind_text(s, 1, unit);
		store_bind_text(s, 2, period);
		store_bind_text(s, 3, form);
		if (store_step_done(st, s, e) != 0)
			goto fail;
	} else {
		stamp_after(&old, now, at);
		if (store_put_state(st, unit, period, form, form_state_name(state), at, operator_name, st->installation, e) != 0)
			goto fail;
	}
	if (store_audit_add(st, now, unit, period, form, "", form_state_name(old.state), form_state_name(state), operator_name,
		      state == FST_COMPLETE ? "completed" : "reopened", 0, NULL, e) != 0)
		goto fail;
	return store_commit(st, e);
fail:
	store_rollback(st);
	return -1;
}
