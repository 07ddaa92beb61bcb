/* sqlerr.h - an SQLite failure in words for the person at the keyboard.
 *
 * Both layers that speak SQL use it: the export format on its own connections, and the
 * store (above it) on the database's. The words name the file and say what to do: a full
 * disk, a read-only file, a busy database, a damaged one.
 */
#ifndef TIANBAO_SQLERR_H
#define TIANBAO_SQLERR_H

#include <sqlite3.h>

#include "lib/err.h"

/* Turns db's last error into words naming path. */
void sqlerr_set(sqlite3 *db, const char *path, struct err *e);

#endif
