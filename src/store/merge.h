/* merge.h - export files merged into the database.
 *
 * A file read and checked by tbx/read.h is merged in one transaction: all of it or
 * nothing. Per key, every candidate known - stored here and in the file - is settled by
 * a function of the set of them alone (per installation the highest revision; copies of
 * one database all kept under derived ids; a decision anywhere sets a candidate aside
 * for good, a higher revision counts again), so the result never depends on the order
 * files come in; the value shown is the latest active candidate (store/latest.h), in
 * conflict while they disagree. The state of each form the file has values of replaces
 * the one stored here when it is later. A file with the same checksum as one merged
 * before changes nothing.
 */
#ifndef TIANBAO_MERGE_H
#define TIANBAO_MERGE_H

#include <stdbool.h>

#include "lib/err.h"
#include "store/store.h"
#include "tbx/tbx.h"

/* Per key (unit, period, field) of a file, exactly one of these, so they add up to the
 * keys in the file: conflicting (the key is in conflict after this file), else new (no
 * value here before), else updated (the value changed), else unchanged. And the forms
 * whose stored state this file changed: to complete, or to in progress. */
struct merge_counts {
	int n_new, n_updated, n_unchanged, n_conflicting;
	int n_complete, n_progress;
	/* Keys this file changed where one installation has different rows at one revision:
	 * copies of one database (all kept; see docs/exchange.md). */
	int n_copies;
};

/* A merge session: statements prepared once for many files. A dry run holds one
 * transaction around every file it merges and rolls it back when closed, so later files
 * see earlier ones as in a real run and nothing changes. */
struct store_merger;

int store_merger_open(struct store *st, bool dry_run, struct store_merger **out, struct err *e);
void store_merger_close(struct store_merger *m);

/* Merges a loaded file in one transaction (a savepoint in a dry run). Returns 0 when
 * merged, 1 when a file with the same checksum was merged before (merged_before then
 * holds when; nothing changes), 2 when refused for what it would do to this database
 * (e says why, naming file_name; nothing changes): a change under this installation's
 * own id that it never made, or a value given more candidates than tbx.h allows; -1
 * with e when the database failed. */
int store_merge_file(struct store_merger *m, const struct export_file *xf, const char *file_name,
		     const char *operator_name, struct merge_counts *counts, char merged_before[32], struct err *e);

#endif
