/* sql.h - what the two layers that speak SQL share: the export format on its own
 * connections, and the store (above it) on the database's.
 */
#ifndef TIANBAO_SQL_H
#define TIANBAO_SQL_H

#include <sqlite3.h>

#include "lib/err.h"

/* Turns db's last error into words for the person at the keyboard, naming path: a full
 * disk, a read-only file, a busy database, a damaged one, and what to do. */
void sql_fail(sqlite3 *db, const char *path, struct err *e);
/* The URI that opens path read-only ("file:PATH?QUERY", the path's %, ? and # escaped). */
char *sql_file_uri(const char *path, const char *query);

#endif
