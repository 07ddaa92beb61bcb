/* schema.h - an SQLite file's schema against the one tianbao writes.
 *
 * Every row of the file's sqlite_schema (type, name, tbl_name, sql) is compared with what
 * the script of the file's kind and version makes in an empty database, before anything
 * of the file runs: a foreign schema's CHECK constraints, generated columns, triggers
 * and views are never evaluated. Any difference refuses the file. The comparison is
 * shared by the export files (.tbx) and the form packages (.tbp, tbx/package.h); each
 * words the difference for its own kind of file.
 */
#ifndef TIANBAO_SCHEMA_H
#define TIANBAO_SCHEMA_H

#include <sqlite3.h>

#include "lib/err.h"
#include "tbx/tbx.h"

/* The schema a script makes, built once per process in an in-memory database. */
struct schema_expected {
	const char *sql;
	struct schema_row *rows;   /* built on first use */
	int nrows;
};

enum schema_diff_kind {
	SD_SAME,        /* exactly the schema expected */
	SD_EXTRA,       /* an object the script does not make (type and name say which) */
	SD_CHANGED,     /* an object of the script laid out otherwise */
	SD_MISSING,     /* an object of the script the file lacks */
	SD_UNREADABLE,  /* the file's schema could not be read (db's error says why) */
	SD_BROKEN,      /* the script itself failed: this tianbao is broken */
};

struct schema_diff {
	enum schema_diff_kind kind;
	char type[16];             /* "table", "index", "view", "trigger" or "?" */
	char name[256];            /* the object's name, safe to show */
};

/* Compares db's schema with the one `want` makes; 0 when the same, else -1 with d. */
int schema_compare(sqlite3 *db, struct schema_expected *want, struct schema_diff *d);

/* 0 when db's schema is export version `version`'s exactly; else -1 with *pb and e
 * (e names the file `name`). */
int export_schema_check(sqlite3 *db, int version, const char *name, enum export_problem *pb, struct err *e);

#endif
