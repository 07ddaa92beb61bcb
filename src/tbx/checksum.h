/* checksum.h - the canonical serialization behind an export file's checksums.
 *
 * A sum starts "tianbao-export-1 KIND\n"; each row is its cells written unambiguously
 * (N | I<decimal>; | R<%.17g>; | T<bytes>:<text> | B<bytes>:<blob>) and "\n"; sections
 * are "#NAME\n" (no row starts with '#'). `checksum` is the sum "values" over the value
 * rows in key order, then "#superseded" and the set-aside candidates (export version 3
 * on), then "#states" and the form states (version 2 on), each only when there are any:
 * the same content always gives the same sum, which is how a file merged before is
 * recognised, and a file without states sums as version 1 did. `manifest_checksum` is the
 * sum "manifest" over the manifest's rows (but itself) by key, then "#forms" and the
 * forms. The same serialization names the copies of one database (store/merge.c).
 */
#ifndef TIANBAO_CHECKSUM_H
#define TIANBAO_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/sha256.h"
#include "tbx/tbx.h"

enum export_cell_type { EC_NULL, EC_INT, EC_REAL, EC_TEXT, EC_BLOB };

/* One column of a row as stored, whatever its type (a damaged file may hold anything). */
struct export_cell {
	enum export_cell_type type;
	int64_t i;
	double r;
	const char *s;   /* text or blob bytes, n of them */
	size_t n;
};

/* A text cell (NULL: a null cell) and an integer cell. */
struct export_cell export_cell_text(const char *s);
struct export_cell export_cell_int(int64_t v);
/* Column i of a statement's current row, as it is; text and blobs stay SQLite's (valid
 * until the next step). */
struct sqlite3_stmt;
void export_cell_column(struct sqlite3_stmt *s, int i, struct export_cell *c);

/* Starts a sum: "tianbao-export-1 KIND\n" (KIND "values" or "manifest"). */
void export_sum_begin(struct sha256 *c, const char *kind);
/* A section marker inside a sum: "#NAME\n". */
void export_sum_section(struct sha256 *c, const char *name);
/* One row. */
void export_sum_row(struct sha256 *c, const struct export_cell *cells, int n);
/* A value row and a form state row, in the column order of db/export.sql. */
void export_sum_value(struct sha256 *c, const struct export_value *v);
void export_sum_state(struct sha256 *c, const struct export_state *st);
/* Ends a sum: its lower-case hex. */
void export_sum_hex(struct sha256 *c, char out[65]);

#endif
