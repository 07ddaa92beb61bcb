/* problem.h - the first problem found in an export file, kept while reading goes on.
 *
 * A file is read to the end before it is judged, so that a damaged file is reported as
 * damaged (its checksum fails) and not as holding a strange value: the first problem is
 * kept with its words, and the rest only counted.
 */
#ifndef TIANBAO_PROBLEM_H
#define TIANBAO_PROBLEM_H

#include <sqlite3.h>

#include "lib/err.h"
#include "tbx/tbx.h"

struct first_problem {
	enum export_problem kind;
	struct err e;
	int more;
};

/* Keeps the problem when it is the first; counts it otherwise. */
void problem_note(struct first_problem *fp, enum export_problem kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A failed statement on the file's connection: damaged, or stopped for taking too much
 * work or memory. */
void problem_file_failed(sqlite3 *db, const char *name, enum export_problem *pb, struct err *e);
/* A text of a file (NULL: ""), safe to name in a message. */
const char *problem_shown(const char *s, char *buf, size_t size);

#endif
