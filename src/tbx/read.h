/* read.h - an export file from a USB stick, read and checked before anything of it is used.
 *
 * The file is untrusted: it is read from a private copy that nothing else writes, on a
 * connection of its own with every defence SQLite has (read only, immutable, defensive,
 * no triggers, views or extensions, tight limits and a budget of work), its schema
 * compared before anything runs (tbx/schema.h), then quick_check, then every row
 * checked as far as the file alone can tell, both checksums, the manifest against what
 * the file holds, and - for a merge - every value against this installation's units and
 * forms like typed input (tbx/check.h). The first problem is the reason given
 * (tbx/problem.h); nothing of a refused file is kept.
 */
#ifndef TIANBAO_READ_H
#define TIANBAO_READ_H

#include "forms/forms.h"
#include "lib/err.h"
#include "tbx/tbx.h"

/* Reads the export file at `path` (nothing beside it is read) and checks it; `name` is
 * what messages call it. When fs is given, the values are also checked against those
 * units and forms. Returns 0 with *out (free with export_file_free), or -1 with *problem
 * and e saying why (e names the file). */
int export_file_load(const char *path, const char *name, const struct formset *fs, struct export_file **out,
		     enum export_problem *problem, struct err *e);

#endif
