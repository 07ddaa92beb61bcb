/* export.h - this installation's data handed to an export file's writer (tbx/write.h).
 *
 * One read transaction of the database: every active candidate of the periods asked
 * for, then the candidates decisions set aside, then the stored form states, in key
 * order. Values of fields the current forms no longer have (a later version dropped
 * them) stay here and are counted, not carried.
 */
#ifndef TIANBAO_STORE_EXPORT_H
#define TIANBAO_STORE_EXPORT_H

#include "forms/forms.h"
#include "lib/err.h"
#include "store/store.h"
#include "tbx/tbx.h"

struct export_spec {
	const char *const *periods;     /* the periods to export; NULL/0: all */
	int nperiods;
	const char *operator_name;
	const struct formset *fs;       /* for the forms' versions and hashes */
};

/* Writes the data into a new export file at path, which must not exist (a private
 * temporary file: the caller copies it where it goes, and syncs it). info describes the
 * file; *left_out counts the values not carried. Returns 0; 1 when there is nothing to
 * export (no file made); -1 with e. */
int store_export_write(struct store *st, const char *path, const struct export_spec *spec, struct export_info *info,
		       int *left_out, struct err *e);

#endif
