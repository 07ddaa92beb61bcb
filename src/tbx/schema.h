/* schema.h - an export file's schema against the one tianbao writes.
 *
 * Every row of the file's sqlite_schema (type, name, tbl_name, sql) is compared with what
 * the export script of the file's version makes in an empty database, before anything
 * of the file runs: a foreign schema's CHECK constraints, generated columns, triggers
 * and views are never evaluated. Any difference refuses the file.
 */
#ifndef TIANBAO_SCHEMA_H
#define TIANBAO_SCHEMA_H

#include <sqlite3.h>

#include "lib/err.h"
#include "tbx/tbx.h"

/* 0 when db's schema is export version `version`'s exactly; else -1 with *pb and e
 * (e names the file `name`). */
int export_schema_check(sqlite3 *db, int version, const char *name, enum export_problem *pb, struct err *e);

#endif
