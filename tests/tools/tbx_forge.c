/* tbx_forge - makes bad export files for tests: runs SQL on a copy of a good export and
 * then, unless --no-reseal, recomputes what tianbao's export writer would have put in the
 * manifest (value_count, units, periods, checksum over the values, from export version 3
 * on the set-aside candidates, from version 2 on the form states, manifest_checksum) with the program's own canonical
 * serialization. So a forged file is wrong in exactly one way: the way
 * the SQL made it, and an import must find that, not a checksum mismatch.
 *
 *   tbx_forge [--no-reseal] FILE SQL...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lib/sha256.h"
#include "tbx/checksum.h"

static void die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "tbx_forge: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static void set_manifest(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, "UPDATE manifest SET value = ?2 WHERE key = ?1", -1, &s, NULL) != SQLITE_OK)
		die(db, "update manifest");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_DONE)
		die(db, "update manifest");
	sqlite3_finalize(s);
}

static void list_of(sqlite3 *db, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *s;
	size_t n = 0;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		die(db, sql);
	while (sqlite3_step(s) == SQLITE_ROW)
		n += (size_t)snprintf(out + n, size - n, "%s%s", n ? "," : "", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

static void reseal(sqlite3 *db)
{
	struct sha256 c;
	unsigned char d[32];
	char hex[65], buf[8192];
	sqlite3_stmt *s;
	long long count = 0;
	int version = 0, ncols;

	/* Export version 4 on, a value row ends with its comment. */
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	ncols = version >= 4 ? 10 : 9;
	snprintf(buf, sizeof buf, "SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by%s "
		 "FROM vals ORDER BY unit, period, field, installation", ncols > 9 ? ", comment" : "");
	export_sum_begin(&c, "values");
	if (sqlite3_prepare_v2(db, buf, -1, &s, NULL) != SQLITE_OK)
		die(db, "read values");
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct export_cell cells[10];

		for (int i = 0; i < ncols; i++)
			export_cell_column(s, i, &cells[i]);
		export_sum_row(&c, cells, ncols);
		count++;
	}
	sqlite3_finalize(s);
	/* Export version 3 on: the set-aside candidates, after "#superseded" when there are any. */
	snprintf(buf, sizeof buf, "SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by%s "
		 "FROM superseded ORDER BY unit, period, field, installation", ncols > 9 ? ", comment" : "");
	if (sqlite3_prepare_v2(db, buf, -1, &s, NULL) == SQLITE_OK) {
		int n = 0;

		while (sqlite3_step(s) == SQLITE_ROW) {
			struct export_cell cells[10];

			if (n++ == 0)
				export_sum_section(&c, "superseded");
			for (int i = 0; i < ncols; i++)
				export_cell_column(s, i, &cells[i]);
			export_sum_row(&c, cells, ncols);
		}
	}
	sqlite3_finalize(s);
	/* Export version 2 on: the form states, after "#states" when there are any. */
	if (sqlite3_prepare_v2(db, "SELECT unit, period, form, state, changed_at, changed_by, installation "
			       "FROM form_states ORDER BY unit, period, form", -1, &s, NULL) == SQLITE_OK) {
		int n = 0;

		while (sqlite3_step(s) == SQLITE_ROW) {
			struct export_cell cells[7];

			if (n++ == 0)
				export_sum_section(&c, "states");
			for (int i = 0; i < 7; i++)
				export_cell_column(s, i, &cells[i]);
			export_sum_row(&c, cells, 7);
		}
	}
	sqlite3_finalize(s);
	sha256_final(&c, d);
	sha256_hex(d, hex);
	set_manifest(db, "checksum", hex);
	snprintf(buf, sizeof buf, "%lld", count);
	set_manifest(db, "value_count", buf);
	list_of(db, "SELECT DISTINCT unit FROM vals ORDER BY 1", buf, sizeof buf);
	set_manifest(db, "units", buf);
	list_of(db, "SELECT DISTINCT period FROM vals ORDER BY 1", buf, sizeof buf);
	set_manifest(db, "periods", buf);

	export_sum_begin(&c, "manifest");
	if (sqlite3_prepare_v2(db, "SELECT key, value FROM manifest WHERE key != 'manifest_checksum' ORDER BY key", -1, &s,
			       NULL) != SQLITE_OK)
		die(db, "read manifest");
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct export_cell cells[2];

		export_cell_column(s, 0, &cells[0]);
		export_cell_column(s, 1, &cells[1]);
		export_sum_row(&c, cells, 2);
	}
	sqlite3_finalize(s);
	export_sum_section(&c, "forms");
	if (sqlite3_prepare_v2(db, "SELECT id, version, hash FROM forms ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		die(db, "read forms");
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct export_cell cells[3];

		for (int i = 0; i < 3; i++)
			export_cell_column(s, i, &cells[i]);
		export_sum_row(&c, cells, 3);
	}
	sqlite3_finalize(s);
	sha256_final(&c, d);
	sha256_hex(d, hex);
	set_manifest(db, "manifest_checksum", hex);
}

int main(int argc, char **argv)
{
	sqlite3 *db;
	int i = 1, do_reseal = 1;

	if (i < argc && strcmp(argv[i], "--no-reseal") == 0) {
		do_reseal = 0;
		i++;
	}
	if (argc - i < 1) {
		fprintf(stderr, "usage: tbx_forge [--no-reseal] FILE SQL...\n");
		return 2;
	}
	if (sqlite3_open(argv[i], &db) != SQLITE_OK)
		die(db, argv[i]);
	for (int k = i + 1; k < argc; k++)
		if (sqlite3_exec(db, argv[k], NULL, NULL, NULL) != SQLITE_OK)
			die(db, argv[k]);
	if (do_reseal)
		reseal(db);
	if (sqlite3_close(db) != SQLITE_OK)
		die(db, "close");
	return 0;
}
