/* sql.c - what the SQL layers share (see sql.h). */
#include "tbx/sql.h"

#include <string.h>

#include "lib/i18n.h"
#include "lib/str.h"

void sql_fail(sqlite3 *db, const char *path, struct err *e)
{
	int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
	int sys = db ? sqlite3_system_errno(db) : 0;
	const char *detail = db ? sqlite3_errmsg(db) : "";

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
