/* exchange.h - carrying data between installations on USB sticks: export, verify, merge.
 *
 * The file side of the exchange (no SQL here: the file format is src/tbx, the merge and
 * the export's reading of the database src/store): private temporary copies on the
 * local disk, the durable write of an export onto a stick (core/stick.h, shared with the
 * form packages of core/package_file.h: lib/file.h atomic files, read back from the stick
 * and verified), copying an import off the stick before anything
 * reads it, export file names, and finding export files in a folder. Where sticks are
 * mounted: core/media.h.
 *
 * These are the core functions the command line and the screens both call: they print
 * nothing, return results in structs, and report progress through a callback.
 */
#ifndef TIANBAO_EXCHANGE_H
#define TIANBAO_EXCHANGE_H

#include <stdbool.h>

#include "forms/forms.h"
#include "store/store.h"
#include "core/media.h"
#include "lib/err.h"
#include "store/merge.h"
#include "tbx/tbx.h"

/* Export files are named tianbao-UNIT-PERIODS-YYYYMMDDTHHMMSSZ.tbx (ASCII only). */
#define EXPORT_EXT ".tbx"

struct export_request {
	const char *const *periods;   /* NULL/0: every period */
	int nperiods;
	const char *out_dir;          /* where the file goes ("." when NULL) */
	const char *operator_name;
};

struct export_result {
	char *path;                   /* the file written, read back and verified */
	struct export_info info;
	int left_out;                 /* values of fields the current forms no longer have */
};

void export_result_free(struct export_result *r);

/* Writes this installation's data into a new export file in rq->out_dir. Built in a
 * private temporary file on the local disk, copied to DIR/.NAME.tmp, synced, renamed to
 * DIR/NAME, the directory synced, then read back from DIR and checked like `verify`.
 * On any failure nothing is left in DIR and e says why (a full or read-only disk
 * named as such). Returns 0; 1 when there is nothing to export; -1 with e. */
int exchange_export(struct store *st, const struct formset *fs, const struct export_request *rq,
		    struct export_result *res, struct err *e);

/* The file name an export gets: tianbao-UNIT-PERIODS-TIME.tbx, ASCII only. The unit is
 * the installation's (or the first 8 digits of its id when it has none); the periods
 * are listed when there are at most three, else written FIRST-LAST. */
void exchange_file_name(const struct export_info *info, char *out, size_t size);

/* Checks that path is a complete, intact tianbao export (the checks of a merge that do
 * not depend on this installation's units and forms), reading a private copy of it.
 * Returns 0 with info filled (free it with export_info_free); -1 with *problem and e. */
int exchange_verify(const char *path, struct export_info *info, enum export_problem *problem, struct err *e);

enum merge_outcome {
	MO_MERGED,      /* merged (or, in a dry run, would be) */
	MO_ALREADY,     /* the same content was merged before: skipped */
	MO_REFUSED,     /* refused; nothing of it was merged */
};

struct merge_report {
	char *file;                   /* as given, or DIR/NAME for a folder's files, made safe to
	                               * print (text_sanitize): messages call the file this */
	enum merge_outcome outcome;
	enum export_problem problem;  /* MO_REFUSED: why */
	char message[1024];           /* MO_REFUSED: the reason in words, naming the file */
	struct export_info info;      /* what the file holds (when it could be read) */
	bool has_info;
	struct merge_counts counts;   /* MO_MERGED */
	char merged_before[32];       /* MO_ALREADY: when it was merged */
	/* MO_MERGED: forms the file filled in an older version than this computer's (its
	 * values fit the current one), one line each (tbx/check.h); "" when none. */
	char note[1024];
};

typedef void (*merge_progress_fn)(void *ctx, int done, int total, const struct merge_report *r);

struct merge_options {
	bool dry_run;                 /* show what would happen; change nothing */
	const char *operator_name;
	merge_progress_fn progress;   /* called after each file, may be NULL */
	void *ctx;
};

/* Merges the export files named (a folder stands for every *.tbx file in it, by name),
 * each in its own transaction, in order: a refused file changes nothing and the files
 * before it stay merged. *reports gets one entry per file (and per folder without
 * export files, refused); free them with exchange_free_reports. Returns 0 after every
 * file was handled, refused or not; -1 with e when this installation's own database
 * failed (then the reports so far are returned and the rest was not tried). */
int exchange_merge(struct store *st, const struct formset *fs, const char *const *args, int nargs,
		   const struct merge_options *opt, struct merge_report **reports, int *nreports, struct err *e);
void exchange_free_reports(struct merge_report *r, int n);

#endif
