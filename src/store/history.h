/* history.h - what happened to the database: the audit trail of every change, and the
 * log of every file merged. Both only grow. */
#ifndef TIANBAO_HISTORY_H
#define TIANBAO_HISTORY_H

#include <stdint.h>

#include "lib/err.h"
#include "store/merge.h"
#include "store/store.h"

struct audit_row {
	int64_t id;
	const char *at, *unit, *period, *form, *field, *old_value, *new_value, *by, *installation, *reason;
	int64_t source;            /* the merged file (merges.id) of an import, else 0 */
	const char *source_file;   /* its name, or NULL */
	const char *comment;       /* the value's comment as written then, or NULL */
};

typedef int (*audit_row_fn)(void *ctx, const struct audit_row *r);
/* Every change (of one unit, since a stamp prefix, when given), oldest first; stops with
 * fn's status when it is not 0. */
int store_each_audit(struct store *st, const char *unit, const char *since, audit_row_fn fn, void *ctx, struct err *e);

struct merge_row {
	int64_t id;
	const char *checksum, *file_name, *installation, *source_units, *exported_by, *exported_at, *merged_at,
		*merged_by;
	struct merge_counts counts;
};

typedef int (*merge_row_fn)(void *ctx, const struct merge_row *r);
/* Every file merged, oldest first; stops with fn's status when it is not 0. */
int store_each_merge(struct store *st, merge_row_fn fn, void *ctx, struct err *e);

#endif
