/* sql.h - what the two layers that speak SQL share: the export format on its own
 * connections, and the store (above it) on the database's.
 */
#ifndef TIANBAO_SQL_H
#define TIANBAO_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "lib/err.h"

/* Turns db's last error into words for the person at the keyboard, naming path: a full
 * disk, a read-only file, a busy database, a damaged one, and what to do. */
void sql_fail(sqlite3 *db, const char *path, struct err *e);
/* The URI that opens path read-only ("file:PATH?QUERY", the path's %, ? and # escaped). */
char *sql_file_uri(const char *path, const char *query);

/* ---- untrusted SQLite files (an export or a form package from a USB stick) ---- */

/* What the 100-byte SQLite header says, read before SQLite reads the file, so that the
 * reason a file is refused is the true one. */
struct sql_header {
	uint32_t application_id, user_version;
	uint32_t page_size, pages;
	bool layout_ok;   /* page size, file format numbers, text encoding and a valid page count
			   * (version-valid-for = change counter) as tianbao writes */
	bool size_ok;     /* the file is as long as its header says */
};

/* Parses a header of n bytes (the caller checked the magic string and n == 100) of a
 * file of `size` bytes. */
void sql_header_parse(const unsigned char *h, size_t n, int64_t size, struct sql_header *out);

/* How much work SQLite may do for an untrusted file: units of 1000 VM instructions, a
 * base plus a share of the file's size (a real file needs far less). */
struct sql_work {
	long left;
};
void sql_work_init(struct sql_work *w, int64_t file_size);

/* The defensive settings for a connection to an untrusted SQLite file (SQLite's own
 * advice: defensive mode, no triggers, views or extensions, tight limits, the budget of
 * work w, no memory mapping, read only). */
void sql_lock_down(sqlite3 *db, struct sql_work *w);

/* After its schema was checked: PRAGMA quick_check, then that the file's identity is
 * still what its header said (application id, user_version). */
enum sql_intact {
	SQL_INTACT,
	SQL_DAMAGED,     /* quick_check found damage: its first line in detail */
	SQL_IDENTITY,    /* the application id or version changed while it was read */
	SQL_FAILED,      /* SQLite failed (sqlite3_errmsg(db) says why) */
};
enum sql_intact sql_check_intact(sqlite3 *db, int application_id, int user_version, char *detail, size_t size);

#endif
