/* store_impl.h - what the store's own files share (store.c, store_exchange.c). Nothing
 * outside the store includes this: it is where SQL types may appear. */
#ifndef TIANBAO_STORE_IMPL_H
#define TIANBAO_STORE_IMPL_H

#include <stdbool.h>
#include <stdio.h>

#include <sqlite3.h>

#include "store/store.h"
#include "lib/err.h"

/* Statements store.c prepares once and keeps. */
enum store_stmt_id {
	S_META_GET, S_META_SET, S_VAL_GET, S_VAL_PUT, S_AUDIT_ADD, S_STATE_GET, S_STATE_PUT, S_STATE_DEL,
	S_FORM_VALUES, S_CAND_OWN_REV, S_CAND_PUT, S_CAND_SUPERSEDE, S_COUNT
};

struct store {
	sqlite3 *db;
	char *path;
	char installation[33];
	char copied_from[33];     /* the id it had before this open found it copied, or "" */
	sqlite3_stmt *stmt[S_COUNT];
	int lock_fd;
	FILE *sql_log;        /* TIANBAO_SQL_LOG, or NULL */
};

/* Turns db's last error into words for the person at the keyboard, naming path. */
void store_fail_db(sqlite3 *db, const char *path, struct err *e);
int store_exec(struct store *st, const char *sql, struct err *e);
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
/* Steps a statement that returns no rows, then resets it. */
int store_step_done(struct store *st, sqlite3_stmt *s, struct err *e);
void store_rollback(struct store *st);
int store_commit(struct store *st, struct err *e);
bool store_same_text(const char *a, const char *b);
/* Inside a transaction: one audit row; source is a merges.id, or 0. */
int store_audit_add(struct store *st, const char *at, const char *unit, const char *period, const char *form,
		    const char *field, const char *old_value, const char *new_value, const char *by,
		    const char *reason, sqlite3_int64 source, struct err *e);
/* Inside a transaction: a form with a value changed here is in progress as of now (a
 * complete one is reopened, with an audit row), by `by` at this installation. */
int store_touch_form_state(struct store *st, const char *unit, const char *period, const char *form,
			   const char *by, const char *now, struct err *e);

/* A form state as merging compares them. */
struct state_stamp {
	const char *state;          /* "progress" or "complete" */
	const char *changed_at, *changed_by, *installation;
};

/* Whether a is later than b: the greater changed_at, then the greater installation id,
 * then 'complete' before 'progress', then the greater changed_by (a total order: the
 * latest of any set of states is the same whatever order they are met in). */
bool store_state_later(const struct state_stamp *a, const struct state_stamp *b);

#endif
