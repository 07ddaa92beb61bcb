/* problem.c - the first problem of an export file (see problem.h). */
#include "tbx/problem.h"

#include <stdarg.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/text.h"

void problem_note(struct first_problem *fp, enum export_problem kind, const char *fmt, ...)
{
	va_list ap;

	if (fp->kind != EP_NONE) {
		fp->more++;
		return;
	}
	fp->kind = kind;
	va_start(ap, fmt);
	err_vset(&fp->e, fmt, ap);
	va_end(ap);
}

/* A failed statement on the file: damaged, or stopped for taking too much work. */
void problem_file_failed(sqlite3 *db, const char *name, enum export_problem *pb, struct err *e)
{
	int code = sqlite3_errcode(db);
	char b[256];

	*pb = EP_DAMAGED;
	if (code == SQLITE_INTERRUPT)
		err_set(e, _("%s: refused: reading it takes far more work than an export file needs; it is damaged or was made to stall tianbao."),
			name);
	else if (code == SQLITE_NOMEM)
		err_set(e, _("%s: refused: reading it needs more memory than an export file could; it is damaged."), name);
	else
		err_set(e, _("%s: refused: the file is damaged or cut short (%s). Copy or export it again."), name,
			problem_shown(sqlite3_errmsg(db), b, sizeof b));
}

const char *problem_shown(const char *s, char *buf, size_t size)
{
	return s ? text_shown(s, strlen(s), buf, size) : "";
}
