/* internal.h - what the store's own files share. Nothing outside src/store includes it.
 *
 * NOTES ON THE DESIGN OF THE STORE (db/schema.sql has the tables)
 *
 * The store is the only code that speaks SQL on the database's connection. These hold
 * after every committed transaction, whatever order files were merged in:
 *
 *  1. Every change is one committed transaction (BEGIN IMMEDIATE ... COMMIT) in WAL mode
 *     with synchronous=FULL: a value reported as saved survives a power cut, and a failed
 *     write leaves nothing of itself.
 *  2. For each key (unit, period, field), candidates holds at most one row per
 *     installation: the highest revision known from it (copies of one database that
 *     wrote different rows at one revision keep each under a derived id: merge.c).
 *  3. vals holds the value shown for a key: the latest of its active candidates
 *     (latest.h), with conflict = 1 while the active candidates hold different values.
 *     A cleared value is a row with a NULL value, so that clearing travels too.
 *  4. This installation writes a value in one way only (values.c store_decide): its own
 *     candidate with its next revision, every other active candidate set aside
 *     (superseded) but the one a decision takes, vals recomputed, one audit row. Typing,
 *     set, resolve --value and resolve --take all go through it; the merge writes
 *     candidates and vals with the same statements.
 *  5. form_state holds the latest state known of each form (latest.h): set here
 *     (stamped after what it replaces: states.c), or merged from a file. What is shown
 *     of it is derived when read (core/form_status.h), never stored.
 *  6. audit only grows: every change of a value or a form state has its row, with who,
 *     when, why and the merged file it came in.
 */
#ifndef TIANBAO_STORE_INTERNAL_H
#define TIANBAO_STORE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "lib/err.h"
#include "store/store.h"
#include "tbx/sql.h"

/* Statements prepared once per open and kept: those of the one write path, which the
 * merge shares, and the small reads every screen makes. */
enum store_stmt_id {
	S_META_GET, S_META_SET, S_VAL_GET, S_VAL_PUT, S_AUDIT_ADD, S_STATE_GET, S_STATE_PUT, S_STATE_DEL,
	S_FORM_VALUES, S_CAND_OWN_REV, S_CAND_PUT, S_CAND_SUPERSEDE, S_DATA_VERSION, S_COUNT
};

struct store {
	sqlite3 *db;
	char *path;
	char installation[33];
	char copied_from[33];     /* the id it had before this open found it copied, or "" */
	sqlite3_stmt *stmt[S_COUNT];
	int lock_fd;
	FILE *sql_log;            /* TIANBAO_SQL_LOG, or NULL */
};

/* A kept statement, reset and with its bindings cleared; NULL with e. */
sqlite3_stmt *store_stmt(struct store *st, enum store_stmt_id id, struct err *e);
int store_exec(struct store *st, const char *sql, struct err *e);
/* A statement used once (finalize it); NULL with e. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql, struct err *e);
/* Binds text (NULL: SQL NULL) copied, or - bind_static - by reference, for strings that
 * outlive the statement's next step (the merge's hot path). */
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
void store_bind_static(sqlite3_stmt *s, int i, const char *v);
/* A column as a malloc'd string, NULL for SQL NULL; or as SQLite holds it (valid until
 * the next step). */
char *store_column_dup(sqlite3_stmt *s, int i);
const char *store_column_text(sqlite3_stmt *s, int i);
/* The end of a walk over a statement's rows: rc is the last step's result, status the
 * callback's; a failed step is turned into words. Finalizes s; returns the status. */
int store_walk_end(struct store *st, sqlite3_stmt *s, int rc, int status, struct err *e);
/* Steps a statement that returns no rows, then resets it. */
int store_step_done(struct store *st, sqlite3_stmt *s, struct err *e);
void store_rollback(struct store *st);
int store_commit(struct store *st, struct err *e);
bool store_same_text(const char *a, const char *b);

/* Inside a transaction: one audit row; source is a merges.id, or 0; comment the value's
 * comment as written (NULL: none, and for form states). */
int store_audit_add(struct store *st, const char *at, const char *unit, const char *period, const char *form,
		    const char *field, const char *old_value, const char *new_value, const char *by,
		    const char *reason, sqlite3_int64 source, const char *comment, struct err *e);

/* One candidate of a key as the write path and the merge see it: stored here, or from a
 * file. The strings belong to whoever filled it. */
struct cand {
	const char *inst;               /* the installation it is stored (or would be) under */
	const char *form, *value, *updated_at, *updated_by;  /* value NULL: cleared */
	int64_t revision, source;       /* source: a merges.id, 0 when typed here */
	bool superseded;
	bool stored;                    /* read from this database (merge.c) */
	const char *base;               /* the installation it belongs to (copies: merge.c) */
	char id[33];                    /* a derived installation id (copies: merge.c) */
	const char *comment;            /* the comment on the value, NULL: none */
};

/* Inside a transaction: writes candidate c of a key (its installation, revision, source
 * and superseded as given) and the key's value shown (from candidate `shown`, conflict
 * as given): the statements of the one write path. */
int store_put_candidate(struct store *st, const char *unit, const char *period, const char *field,
			const struct cand *c, struct err *e);
int store_put_value(struct store *st, const char *unit, const char *period, const char *field,
		    const struct cand *shown, bool conflict, struct err *e);

/* What this installation decides for a key: the value (from typing it, or from the
 * candidate `kept` it takes to decide a conflict: that one stays active beside the
 * decision). */
struct decision {
	const char *unit, *period, *field, *form, *value;   /* value NULL: cleared */
	const struct cand *kept;       /* NULL, or the candidate taken (its comment comes too) */
	const char *by, *reason, *now;
	bool set_comment;              /* comment as given; else the value's comment stays */
	const char *comment;           /* NULL or "": none */
	bool comment_only;             /* the comment alone: the value stays as stored (value
					* is ignored), and a value in conflict is refused */
};

/* What it did: nothing (the value was already that and in no conflict), or written. */
struct decided {
	bool written;
	bool was_conflict;             /* the key was in conflict: decided now ("resolved") */
	bool comment_changed;          /* the value's comment is another now */
	bool value_changed;            /* the value is another now, or was in conflict */
	char *old_value;               /* shown before; malloc'd, NULL when none */
};


/* Inside a transaction: the one write path (invariant 4 above). */
int store_decide(struct store *st, const struct decision *d, struct decided *out, struct err *e);

/* Inside a transaction: a form state row as given (installation: who set it). */
int store_put_state(struct store *st, const char *unit, const char *period, const char *form, const char *state,
		    const char *at, const char *by, const char *installation, struct err *e);
/* Inside a transaction: a form with a value changed here is in progress as of now (a
 * complete one is reopened, with an audit row), by `by` at this installation. */
int store_touch_form_state(struct store *st, const char *unit, const char *period, const char *form,
			   const char *by, const char *now, struct err *e);

#endif
