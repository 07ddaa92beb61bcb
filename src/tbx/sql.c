/* sql.c - what the SQL layers share (see sql.h). */
#include "tbx/sql.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/file.h"
#include "lib/i18n.h"
#include "lib/str.h"

/* A connection that only reads saved nothing, so its words never say "nothing was
 * saved": a full disk, a folder that cannot be written, a disk error while reading.
 * False for the errors whose words below fit both. */
static bool read_fail(int code, int sys, const char *detail, const char *path, struct err *e)
{
	if (code != SQLITE_IOERR && code != SQLITE_CANTOPEN)
		sys = 0;   /* what the system said last belongs to another error */
	if (code == SQLITE_FULL || sys == ENOSPC || sys == EDQUOT) {
		err_set(e, _("%s: the disk is full: even to read the database, tianbao needs a little room beside it. Free some space on that disk and try again."),
			path);
	} else if (code == SQLITE_READONLY || sys == EROFS || sys == EACCES) {
		err_set(e, _("%s: cannot read the database: tianbao needs to make a small file beside it, and its folder cannot be written (%s). Check the permissions of the folder, or copy the database to a folder that can be written."),
			path, sys ? strerror(sys) : detail);
	} else if (code == SQLITE_IOERR) {
		err_set(e, _("%s: a disk error stopped the reading (%s). The database was not changed; check the disk and try again."),
			path, sys ? strerror(sys) : detail);
	} else {
		return false;
	}
	return true;
}

void sql_fail(sqlite3 *db, const char *path, struct err *e)
{
	int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
	int sys = db ? sqlite3_system_errno(db) : 0;
	const char *detail = db ? sqlite3_errmsg(db) : "";

	if (db && sqlite3_db_readonly(db, "main") == 1 && read_fail(code & 0xff, sys, detail, path, e))
		return;
	/* A full disk met by a sync or by the shared-memory file is an I/O error to SQLite;
	 * the system's error says what it was (tests/cli/iofault.sh). */
	if (((code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_CANTOPEN) && (sys == ENOSPC || sys == EDQUOT))
		code = SQLITE_FULL;
	/* SQLite reads errno only when it reports the error: a failed sync's is often
	 * overwritten by then (the rollback after it), so the disk itself is asked. */
	if ((code & 0xff) == SQLITE_IOERR && disk_full(path))
		code = SQLITE_FULL;
	switch (code & 0xff) {
	case SQLITE_FULL:
		err_set(e, _("%s: the disk is full, so nothing was saved. Free some space and try again."), path);
		break;
	case SQLITE_READONLY:
		err_set(e, _("%s: the database is read-only, so nothing was saved. Check the permissions of the file and its folder."),
			path);
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		err_set(e, _("%s: the database is busy: another tianbao is writing to it. Wait a moment and try again."), path);
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		err_set(e, _("%s: the database is damaged (%s). It was not changed; restore it from a backup or an export."),
			path, detail);
		break;
	case SQLITE_CANTOPEN:
		err_set(e, _("%s: cannot open the database: %s"), path, sys ? strerror(sys) : detail);
		break;
	case SQLITE_IOERR:
		err_set(e, _("%s: a disk error stopped the write (%s), so nothing was saved."), path,
			sys ? strerror(sys) : detail);
		break;
	default:
		err_set(e, _("%s: database error: %s"), path, detail);
		break;
	}
}

char *sql_file_uri(const char *path, const char *query)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_add(&sb, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			sb_addf(&sb, "%%%02X", (unsigned char)*p);
		else
			sb_addc(&sb, *p);
	}
	sb_addf(&sb, "?%s", query);
	return sb_take(&sb);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void sql_header_parse(const unsigned char *h, size_t n, int64_t size, struct sql_header *out)
{
	uint32_t page;

	memset(out, 0, sizeof *out);
	if (n < 100)
		return;
	out->application_id = be32(h + 68);
	out->user_version = be32(h + 60);
	page = (uint32_t)h[16] << 8 | h[17];
	if (page == 1)
		page = 65536;
	out->page_size = page;
	out->pages = be32(h + 28);
	/* The header's page count is valid only while its "version-valid-for" is the change
	 * counter (SQLite writes both together): when they differ, the header itself is not
	 * what tianbao writes, whatever the size. */
	out->layout_ok = page >= 512 && (page & (page - 1)) == 0 && h[18] == 1 && h[19] == 1 && be32(h + 56) == 1 &&
			 be32(h + 24) == be32(h + 92);
	out->size_ok = out->pages != 0 && (int64_t)out->pages * page == size;
}

#define WORK_BASE 2000
#define WORK_PER_BYTES 16

void sql_work_init(struct sql_work *w, int64_t file_size)
{
	w->left = WORK_BASE + (long)(file_size / WORK_PER_BYTES);
}

static int out_of_work(void *ctx)
{
	struct sql_work *w = ctx;

	return --w->left < 0;
}

void sql_lock_down(sqlite3 *db, struct sql_work *w)
{
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 100);
	sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 10);
	sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 3);
	sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, 25000);
	sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 8);
	sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 50);
	sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, 10);
	sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
	sqlite3_limit(db, SQLITE_LIMIT_WORKER_THREADS, 0);
	sqlite3_progress_handler(db, 1000, out_of_work, w);
	/* The pragmas set connection state only; they read nothing of the file yet. */
	sqlite3_exec(db, "PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON; PRAGMA mmap_size = 0; "
			 "PRAGMA query_only = ON",
		     NULL, NULL, NULL);
}

enum sql_intact sql_check_intact(sqlite3 *db, int application_id, int user_version, char *detail, size_t size)
{
	sqlite3_stmt *s = NULL;
	enum sql_intact rc = SQL_FAILED;

	detail[0] = '\0';
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW)
		goto done;
	if (sqlite3_column_type(s, 0) != SQLITE_TEXT || strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0 ||
	    sqlite3_step(s) != SQLITE_DONE) {
		const char *t = (const char *)sqlite3_column_text(s, 0);

		snprintf(detail, size, "%s", t ? t : "?");
		rc = SQL_DAMAGED;
		goto done;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT (SELECT application_id FROM pragma_application_id), "
			       "(SELECT user_version FROM pragma_user_version)", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		goto done;
	rc = sqlite3_column_int(s, 0) == application_id && sqlite3_column_int(s, 1) == user_version ? SQL_INTACT
												     : SQL_IDENTITY;
done:
	sqlite3_finalize(s);
	return rc;
}
