/* store.h - the local SQLite database: the one place values live.
 *
 * The store (src/store) is the only code that speaks SQL on the database's connection;
 * its design and invariants are written once, in store/internal.h. This header opens and
 * closes the database and keeps its settings; values.h, states.h, conflicts.h, merge.h,
 * export.h, history.h and report_rows.h read and write the rest. Functions return 0 on
 * success and -1 with e filled: messages name the file and say what to do (disk full,
 * read-only, busy, damaged, not a tianbao database).
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
/* The schema version this program writes. */
int store_schema_version(void);
/* Called once, first thing in main: tianbao has one thread, so SQLite's mutexes and its
 * memory statistics (a mutex on every allocation) are turned off - a tenth of the
 * instructions of a merge. */
void store_library_init(void);

/* Settings (see the meta table in db/schema.sql). *value is NULL when unset. */
int store_meta_get(struct store *st, const char *key, char **value, struct err *e);
int store_meta_set(struct store *st, const char *key, const char *value, struct err *e);
/* Sets the unit this installation reports for and, when given, the operator, in one
 * transaction; a change of unit is written in the audit trail (reason 'unit_set', the
 * old unit in old_value), by `by`. */
int store_set_unit(struct store *st, const char *unit, const char *operator_name, const char *by, struct err *e);
/* Copies the units file into the database when it changed since last time. */
int store_sync_units(struct store *st, const struct formset *fs, struct err *e);

/* Holds an advisory lock on the database for a screen session, so a second window on the
 * same database waits up to wait_ms and then says it is already open. */
int store_lock_session(struct store *st, int wait_ms, struct err *e);
/* A number that changes when another connection (another tianbao) commits a change to
 * the database: what was read before may be stale when it differs (SQLite's
 * data_version). */
int store_data_version(struct store *st, int64_t *version, struct err *e);

#endif
