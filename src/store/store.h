/* store.h - the local SQLite database: the one place values live.
 *
 * The only code that speaks SQL (with store_*.c). Every write is one committed
 * transaction in WAL mode with synchronous=FULL, so a value reported as saved survives a
 * power cut. Functions return 0 on success and -1 with e filled: messages name the file
 * and say what to do (disk full, read-only, busy, damaged, not a tianbao database).
 */
#ifndef TIANBAO_STORE_H
#define TIANBAO_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "forms/forms.h"
#include "lib/err.h"

struct store;

enum store_mode {
	STORE_READ,     /* the file must exist; nothing is written */
	STORE_WRITE,    /* created (with its directory) when missing */
};

enum form_state { FST_EMPTY, FST_PROGRESS, FST_COMPLETE };

/* Opens (or creates) a database. A file that is not a tianbao database, is damaged, or
 * comes from a newer tianbao is refused and left untouched; an older one is migrated in
 * one transaction after a backup copy "<file>.v<N>.bak". */
int store_open(const char *path, enum store_mode mode, struct store **out, struct err *e);
void store_close(struct store *st);
const char *store_file(const struct store *st);
/* The random id made once for this database (32 hex digits). */
const char *store_installation_id(const struct store *st);
/* When this open found the file copied or restored from a backup (another device or
 * inode than it was written on): the installation id it had before; it has a new one
 * now, so that its changes and the original's never pass for each other. Else NULL. */
const char *store_copied_from(const struct store *st);
/* Refuses (-1 with e) when this computer's clock is before this tianbao was made. */
int store_clock_ok(struct err *e);
/* The schema version this program writes. */
int store_schema_version(void);
/* Called once, first thing in main: tianbao has one thread, so SQLite's mutexes and its
 * memory statistics (a mutex on every allocation) are turned off - a tenth of the
 * instructions of a merge. */
void store_library_init(void);

/* Settings (see the meta table in db/schema.sql). *value is NULL when unset. */
int store_meta_get(struct store *st, const char *key, char **value, struct err *e);
int store_meta_set(struct store *st, const char *key, const char *value, struct err *e);
/* Copies the units file into the database when it changed since last time. */
int store_sync_units(struct store *st, const struct formset *fs, struct err *e);

/* The stored text of each field of form f for a unit and period: raw[i] is malloc'd,
 * or NULL when nothing (or a cleared value) is stored. One query. */
int store_load_form_values(struct store *st, const struct form *f, const char *unit, const char *period,
			   char **raw, struct err *e);

/* Which fields of form f for a unit and period are in conflict (two installations sent
 * different values and nobody has decided): conflict[i] per field index; *n counts them. */
int store_form_conflicts(struct store *st, const struct form *f, const char *unit, const char *period,
			 bool *conflict, int *n, struct err *e);

struct value_change {
	const char *field;
	const char *form;
	const char *value;  /* canonical text; NULL clears */
};

struct write_result {
	int written;        /* values that changed */
	int unchanged;      /* values equal to what was stored */
};

/* Writes all changes in one transaction (all or nothing), each with an audit row giving
 * `reason` ("typed", "imported", "resolved"); each form with a changed value is in
 * progress as of now (a form that was complete is reopened, with an audit row). Returns
 * only after the commit: then the values are durable. */
int store_write_values(struct store *st, const char *unit, const char *period, const struct value_change *ch,
		       int n, const char *operator_name, const char *reason, struct write_result *res, struct err *e);

/* A form's state as stored: set here, or merged from a file (then changed_by and
 * installation are those of the installation that set it). */
struct form_state_info {
	enum form_state state;
	char changed_at[32];
	char changed_by[256];
	char installation[33];
};

int store_get_form_state(struct store *st, const char *unit, const char *period, const char *form,
			 struct form_state_info *out, struct err *e);
/* Sets a form's state with an audit row ("completed" or "reopened"), stamped with the
 * current time - or, when the state it replaces is not older (set in the same second,
 * or by a computer whose clock is ahead), one second after that one: a state set here
 * is always the latest (see store_state_later). */
int store_set_form_state(struct store *st, const char *unit, const char *period, const char *form,
			 enum form_state state, const char *operator_name, struct err *e);
const char *form_state_name(enum form_state s);
/* The state to show for a form whose stored state is `stored` and that has nconflicts
 * values in conflict: a complete form with a value in conflict is in progress (derived
 * when read, so that merging stays independent of the order files arrive in). */
enum form_state form_state_shown(enum form_state stored, int nconflicts);

struct value_row {
	const char *unit, *period, *form, *field, *value;
	const char *updated_at, *updated_by, *installation;
	int64_t revision;
};

struct value_filter {
	const char *unit, *period, *form;   /* NULL: any */
	bool with_cleared;                  /* include cleared values (value NULL) */
};

typedef int (*value_row_fn)(void *ctx, const struct value_row *r);
/* Calls fn for each stored value, ordered by unit, period, form, field; stops with fn's
 * status when it is not 0. */
int store_each_value(struct store *st, const struct value_filter *flt, value_row_fn fn, void *ctx, struct err *e);

struct audit_row {
	int64_t id;
	const char *at, *unit, *period, *form, *field, *old_value, *new_value, *by, *installation, *reason;
	int64_t source;            /* the merged file (merges.id) of an import, else 0 */
	const char *source_file;   /* its name, or NULL */
};

typedef int (*audit_row_fn)(void *ctx, const struct audit_row *r);
int store_each_audit(struct store *st, const char *unit, const char *since, audit_row_fn fn, void *ctx, struct err *e);

/* The periods that have any value or form state (for unit, or any unit when NULL),
 * newest first. *periods is an array of malloc'd strings. */
int store_list_periods(struct store *st, const char *unit, char ***periods, int *n, struct err *e);
void store_free_list(char **list, int n);

/* Holds an advisory lock on the database for a screen session, so a second window on the
 * same database waits up to wait_ms and then says it is already open. */
int store_lock_session(struct store *st, int wait_ms, struct err *e);

#endif
