/* store_exchange.h - export files (.tbx) written, read and merged: the store's SQL for
 * the exchange between installations.
 *
 * An export file is an SQLite database of its own kind (db/export.sql: application_id
 * "TBEX", user_version = export version): a manifest, the forms its values belong to
 * with their versions and hashes, the values (every active candidate of the exporting
 * database) and, from export version 2 on, the state of each form it has values of.
 * Two SHA-256 sums guard it: `checksum` over a canonical serialization of the value
 * rows in key order, then - when there are any - "#states" and the form state rows in
 * key order (the same values and states always give the same checksum, which is how a
 * file merged before is recognised; a file without states sums as version 1 did), and
 * `manifest_checksum` over the manifest and the forms (checksum included). Files of
 * export version 1 (db/export_v1.sql) are read too: they carry no states. The format
 * and the merge rules are in docs/exchange.md.
 *
 * A file to import is untrusted (../shared/reference/reliability.md section 1): export_file_load reads a
 * private copy on its own locked-down connection and checks it completely before a
 * single value reaches the database; store_merge_file then merges it in one transaction.
 * Nothing here prints; results come back in structs, refusals in e with their kind.
 */
#ifndef TIANBAO_STORE_EXCHANGE_H
#define TIANBAO_STORE_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forms/forms.h"
#include "lib/sha256.h"
#include "store/store.h"
#include "lib/err.h"

#define EXPORT_APPLICATION_ID 0x54424558 /* "TBEX" */
/* The largest export file an import reads (a township's whole data is far smaller). */
#define EXPORT_MAX_BYTES (64u * 1024 * 1024)
/* Operator names and other free text in a file: at most this many bytes. */
#define EXPORT_NAME_MAX 255
/* The longest value of a manifest entry, in bytes: the list of units (a county's 3,000
 * units of up to 32 characters, with commas, take 99,000) and of periods. The writer
 * refuses to write more and the reader to read more. */
#define EXPORT_MANIFEST_VALUE_MAX (256 * 1024)
/* The highest revision a file may carry. An installation's revision of a value grows by
 * one with each change, so a real one stays far below this; a file claiming more is
 * refused (a revision near 2^63 would overflow the next one written here, and under
 * an installation's id it would make that installation's later changes look older). */
#define EXPORT_REVISION_MAX 2147483647

/* The export version this program writes (user_version of db/export.sql). */
int export_version(void);

/* ---- the canonical serialization behind the checksums ---------------------------- */

enum export_cell_type { EC_NULL, EC_INT, EC_REAL, EC_TEXT, EC_BLOB };

/* One column of a row as stored, whatever its type (a damaged file may hold anything). */
struct export_cell {
	enum export_cell_type type;
	int64_t i;
	double r;
	const char *s;   /* text or blob bytes, n of them */
	size_t n;
};

/* Starts a sum: "tianbao-export-1 KIND\n" (KIND "values" or "manifest"). */
void export_sum_begin(struct sha256 *c, const char *kind);
/* A section marker inside a sum: "#NAME\n" (no row starts with '#'). */
void export_sum_section(struct sha256 *c, const char *name);
/* One row: each cell as N | I<decimal>; | R<%.17g>; | T<bytes>:<text> | B<bytes>:<blob>,
 * then "\n". Unambiguous, so different rows never serialize alike. */
void export_sum_row(struct sha256 *c, const struct export_cell *cells, int n);

/* ---- what a file holds ------------------------------------------------------------ */

struct export_form {
	char id[CODE_MAX + 1];
	int version;
	char hash[65];
};

/* The manifest of an export file. */
struct export_info {
	int version;                    /* export version */
	char program_version[33];
	char installation[33];          /* the installation that wrote the file */
	char installation_unit[UNIT_CODE_MAX + 1];  /* the unit it reports for ("" if unset) */
	char written_at[32];
	char written_by[EXPORT_NAME_MAX + 1];
	char checksum[65];              /* over the values */
	char manifest_checksum[65];
	char **units;                   /* the units of the values, sorted */
	int nunits;
	char **periods;                 /* the periods of the values, sorted */
	int nperiods;
	struct export_form *forms;      /* sorted by id */
	int nforms;
	int64_t value_count;            /* rows of vals: the active candidates */
	int64_t superseded_count;       /* candidates set aside by decisions (export version 3 on) */
	int64_t state_count;            /* form states carried (export version 2 on) */
	int64_t complete_count;         /* of which 'complete' */
};

void export_info_free(struct export_info *info);

/* One value of a file (strings owned by the export_file): a row of its vals (an active
 * candidate) or, from export version 3 on, of its superseded table (a candidate a
 * decision set aside). */
struct export_value {
	char *unit, *period, *field, *installation, *form, *value;  /* value NULL: cleared */
	int64_t revision;
	char *updated_at, *updated_by;
	bool superseded;                /* from the superseded table */
};

/* One row of a file's form_states (strings owned by the export_file). */
struct export_state {
	char *unit, *period, *form;
	char *state;                    /* "progress" or "complete" */
	char *changed_at, *changed_by, *installation;
};

/* What a file says of the state of one form (unit, period, form) it has values of: the
 * state it carries, or - when it carries none (export version 1) - in progress as of
 * the form's latest value there (greatest updated_at, ties to the greater installation
 * id), by whoever wrote that value. The strings point into the file's rows. */
struct export_form_state {
	const char *unit, *period, *form;
	const char *state, *changed_at, *changed_by, *installation;
	bool implied;                   /* no state row: taken from the values */
};

/* Why a file was refused: the kind, for screens; the words are in the err. */
enum export_problem {
	EP_NONE,
	EP_UNREADABLE,   /* cannot be read: missing, a folder, no permission, too large */
	EP_UNFINISHED,   /* a .tmp left by an export that was interrupted */
	EP_NOT_EXPORT,   /* not a tianbao export file */
	EP_DAMAGED,      /* damaged or cut short */
	EP_NEWER,        /* made by a newer tianbao */
	EP_SCHEMA,       /* holds tables, columns, indexes, views or triggers tianbao never writes */
	EP_CHECKSUM,     /* the content does not match its checksum */
	EP_UNIT,         /* a unit this township does not have */
	EP_FIELD,        /* a form or field this township does not know, or a computed field */
	EP_VALUE,        /* a value that fails its field's rules */
	EP_STORE,        /* the township's own database failed (disk full, busy...) */
};

/* An export file read into memory and checked. */
struct export_file {
	struct export_info info;
	/* Every candidate of the file, active and set aside, in key order: unit, period,
	 * field, installation (a key's set-aside ones beside its active ones). */
	struct export_value *values;
	int nvalues;
	struct export_state *states;    /* in key order: unit, period, form */
	int nstates;
	struct export_form_state *said; /* one per form with values, in key order */
	int nsaid;
};

void export_file_free(struct export_file *xf);

/* Reads the export file at `path` (a private copy that nothing else writes; nothing
 * beside it is read) and checks it; `name` is what messages call it. In order: the
 * SQLite header (identity, version, size), every row of sqlite_schema against
 * db/export.sql (before anything else runs: quick_check would evaluate a foreign
 * schema's CHECK constraints and generated columns; a file of export version 1 against
 * db/export_v1.sql), PRAGMA quick_check, the manifest, forms, values and form states
 * (types, UTF-8, lengths, ids, revisions, times, state words; a state only for a form
 * the file has values of), both checksums and the manifest's counts. When fs is given, the values are also checked against this
 * installation's units and forms like typed input (field_parse). Returns 0, or -1 with
 * *problem and e saying why (e names the file). */
int export_file_load(const char *path, const char *name, const struct formset *fs, struct export_file **out,
		     enum export_problem *problem, struct err *e);

/* ---- writing ------------------------------------------------------------------ */

struct export_spec {
	const char *const *periods;     /* the periods to export; NULL/0: all */
	int nperiods;
	const char *operator_name;
	const struct formset *fs;       /* for the forms' versions and hashes */
};

/* Writes this installation's data (every active candidate, in the periods asked for,
 * and the stored state of each form (unit, period, form) it writes values of) into a new
 * SQLite file at path, which must not exist (a private temporary file: the caller
 * copies it where it goes, and syncs it). Values of fields the current forms no longer
 * have are left out and counted in *left_out. info describes the file. Returns 0; 1 when
 * there is nothing to export (no file made); -1 with e. */
int store_export_write(struct store *st, const char *path, const struct export_spec *spec, struct export_info *info,
		       int *left_out, struct err *e);

/* ---- merging ------------------------------------------------------------------ */

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

/* Merges a loaded file in one transaction (a savepoint in a dry run): all of it or
 * nothing. Values by their candidates (see db/schema.sql); the state of each form the
 * file has values of (export_form_state) replaces the one stored here when it is later
 * (store_state_later), with an audit row "imported" when the state changes. Returns 0 when merged, 1 when a file with the same checksum was merged before
 * (merged_before then holds when; nothing changes), -1 with e. */
int store_merge_file(struct store_merger *m, const struct export_file *xf, const char *file_name,
		     const char *operator_name, struct merge_counts *counts, char merged_before[32], struct err *e);

/* ---- conflicts ------------------------------------------------------------------ */

struct conflict_candidate {
	char installation[33];
	char *value;                    /* NULL: cleared */
	int64_t revision;
	char *updated_at, *updated_by;
	char *file;                     /* the file it came from; NULL when typed here */
};

struct conflict {
	char *unit, *period, *field, *form;
	char *value;                    /* what vals shows meanwhile (the deterministic pick) */
	struct conflict_candidate *cands;  /* the active candidates, by installation */
	int ncands;
};

/* The open conflicts (of one period, or all when period is NULL), by unit, period, field. */
int store_list_conflicts(struct store *st, const char *period, struct conflict **out, int *n, struct err *e);
void store_free_conflicts(struct conflict *c, int n);
/* Whether (unit, period, field) is in conflict now. */
int store_conflict_is_open(struct store *st, const char *unit, const char *period, const char *field, bool *open,
			   struct err *e);

struct resolve_result {
	char installation[33];          /* the candidate taken */
	char *old_value, *new_value;
};

void resolve_result_free(struct resolve_result *r);

/* Decides a conflict for one installation's candidate (a unique prefix of at least 6 hex
 * digits of its id): the other active candidates are superseded and the value becomes
 * that candidate's with its provenance, with an audit row "resolved". One transaction. */
int store_resolve_take(struct store *st, const char *unit, const char *period, const char *field, const char *prefix,
		       const char *operator_name, struct resolve_result *res, struct err *e);

/* ---- the merge log ----------------------------------------------------------------- */

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
