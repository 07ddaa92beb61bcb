/* tbx.h - the export file (.tbx): what one installation carries to another on a USB
 * stick, and what a file read back holds.
 *
 * An export file is an SQLite database of its own kind (db/export.sql: application_id
 * "TBEX", user_version = export version): a manifest, the forms its values belong to
 * with their versions and hashes, the values (every active candidate of the exporting
 * database), from export version 3 on the candidates a decision set aside, and from
 * version 2 on the state of each form it has values of. Two SHA-256 sums guard it
 * (tbx/checksum.h): `checksum` over the rows in key order, and `manifest_checksum` over
 * the manifest and the forms. Files of export versions 1 and 2 (db/export_v1.sql,
 * db/export_v2.sql) are read too. The format and the merge rules: docs/exchange.md.
 *
 * The format is a layer of its own, below the store: it knows the forms (a file's values
 * are checked like typed input) but not our database, and it reads and writes files on
 * connections of its own. A file to import is untrusted: tbx/read.h reads a private copy
 * on a locked-down connection and checks all of it before the store merges anything
 * (store/merge.h). The store feeds the writer (tbx/write.h) when it exports. Nothing here
 * prints; results come back in structs, refusals in an err with their kind.
 */
#ifndef TIANBAO_TBX_H
#define TIANBAO_TBX_H

#include <stdbool.h>
#include <stdint.h>

#include "forms/forms.h"

/* The application ids of the two kinds of SQLite file tianbao writes. */
#define TIANBAO_DB_APPLICATION_ID 0x54424442 /* "TBDB": a tianbao database (db/schema.sql) */
#define EXPORT_APPLICATION_ID 0x54424558     /* "TBEX": an export file (db/export.sql) */
/* The largest export file an import reads (a township's whole data is far smaller). */
#define EXPORT_MAX_BYTES (64u * 1024 * 1024)
/* Operator names and other free text in a file: at most this many bytes. */
#define EXPORT_NAME_MAX 255
/* A value's text is at most TEXT_MAX_CHARS characters of at most 4 bytes. */
#define EXPORT_VALUE_MAX_BYTES (4 * TEXT_MAX_CHARS)
/* The longest value of a manifest entry, in bytes: the list of units (a county's 3,000
 * units of up to 32 characters, with commas, take 99,000) and of periods. The writer
 * refuses to write more and the reader to read more. */
#define EXPORT_MANIFEST_VALUE_MAX (256 * 1024)
/* The highest revision a file may carry. An installation's revision of a value grows by
 * one with each change, so a real one stays far below this; a file claiming more is
 * refused (a revision near 2^63 would overflow the next one written here, and under
 * an installation's id it would make that installation's later changes look older). */
#define EXPORT_REVISION_MAX 2147483647

/* What one file may bring, so that no file of the allowed size makes a merge, an export
 * or a dry run slow (docs/exchange.md, "Limits"). A value's candidates are one per
 * installation that wrote it (a village's laptop, the township's decisions, a laptop
 * replaced, a copied database): a real value has a handful. */
/* Candidates (rows of vals and superseded together) of one value (unit, period, field),
 * in a file and, after a merge, in the database: a merge that would give a value more is
 * refused (one that has more from an older tianbao is not made larger). */
#define EXPORT_KEY_CANDIDATES_MAX 64
/* Of one value's candidates, those under related installation ids (the last 24 hex
 * digits alike: copies of one database, store/merge.c): each is compared with the
 * others by a SHA-256, so they are few. */
#define EXPORT_KEY_COPIES_MAX 8
/* Candidates in one file in all (a county's whole data is far fewer). */
#define EXPORT_CANDIDATES_MAX 1000000

/* The part of an installation id that the ids of its database's copies keep (the copy
 * ids of store/merge.c): its last 24 hex digits. Ids alike there are one family; an id
 * that is not 32 digits long is a family of its own. */
const char *export_installation_family(const char *inst);
/* The largest number of insts[0..n) in one family (sorts insts by family): what
 * EXPORT_KEY_COPIES_MAX bounds. */
int export_largest_family(const char **insts, int n);

/* The export version this program writes (user_version of db/export.sql). */
int export_version(void);

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

/* One value of a file: a row of its vals (an active candidate) or, from export version 3
 * on, of its superseded table (a candidate a decision set aside). */
struct export_value {
	char *unit, *period, *field, *installation, *form, *value;  /* value NULL: cleared */
	int64_t revision;
	char *updated_at, *updated_by;
	bool superseded;                /* from the superseded table */
	char *comment;                  /* export version 4 on; NULL: none */
};

/* One row of a file's form_states. */
struct export_state {
	char *unit, *period, *form;
	char *state;                    /* "progress" or "complete" */
	char *changed_at, *changed_by, *installation;
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

/* An export file read into memory and checked (strings owned by it). */
struct export_file {
	struct export_info info;
	/* Every candidate of the file, active and set aside, in key order: unit, period,
	 * field, installation (a key's set-aside ones beside its active ones). */
	struct export_value *values;
	int nvalues;
	struct export_state *states;    /* in key order: unit, period, form */
	int nstates;
};

void export_file_free(struct export_file *xf);

/* The order of a file's rows by form: unit, then period, then form (strcmp). */
int export_form_order(const char *unit_a, const char *period_a, const char *form_a, const char *unit_b,
		      const char *period_b, const char *form_b);
/* qsort over pointers to values: by form (export_form_order). */
int export_value_by_form(const void *pa, const void *pb);

#endif
