/* Unit tests of the form package (.tbp): a package written from the shipped forms/ reads
 * back with the same bytes, extracts and loads as the same forms; the same through a
 * "stick" folder (package_export, package_open, package_find: nothing left but the
 * .tbp); and a corpus of bad packages made from a good one, each refused with its kind
 * and a message naming the package. Set TIANBAO_PACKAGE_SEEDS=DIR to write the fuzzer's
 * seeds (tests/fuzz/seeds/package) there; TIANBAO_PACKAGE_CORPUS=DIR to write the bad
 * packages there, with expected.txt, for tests/cli/package_bad.sh (the real binary). */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include <sqlite3.h>

#include "core/package_file.h"
#include "forms/forms.h"
#include "forms/load.h"
#include "lib/diag.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/sha256.h"
#include "lib/strlist.h"
#include "tbx/checksum.h"
#include "tbx/package.h"

static char dir[256];
static const char *forms_dir;
static struct formset ref;   /* forms/ as loaded directly */
static char good[512];       /* a good package of forms/ */

static char *path_in(const char *name)
{
	static char buf[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static int count_entries(const char *d)
{
	DIR *dd = opendir(d);
	struct dirent *de;
	int n = 0;

	assert_non_null(dd);
	while ((de = readdir(dd)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(dd);
	return n;
}

static void copy_file(const char *src, const char *dst)
{
	size_t len;
	struct err e;
	char *b = read_file(src, 64u << 20, &len, &e);
	int fd;

	assert_non_null(b);
	unlink(dst);
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write_all(fd, b, len), 0);
	close(fd);
	free(b);
}

static void put_bytes(const char *path, const void *b, size_t n)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write_all(fd, b, n), 0);
	close(fd);
}

static void write_package(const char *from, const char *path, int64_t version)
{
	struct package_meta m;
	struct err e;

	memset(&m, 0, sizeof m);
	m.version = version;
	snprintf(m.written_by, sizeof m.written_by, "%s", "王会计");
	unlink(path);
	if (package_write_file(from, &m, path, &e) != 0)
		fail_msg("%s", e.msg);
}

static void sql(const char *path, const char *q)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, q, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", q, msg);
	sqlite3_close(db);
}

/* The documented checksums again, computed here on their own: each file's SHA-256, then
 * the package's sum ("tianbao-export-1 package", the manifest but the checksum by key,
 * "#files", each file's name, content and sha256 by name). */
static void reseal(const char *path, bool files_too)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	struct sha256 c;
	char hex[65];

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (files_too) {
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT name, content FROM files", -1, &s, NULL), SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			unsigned char d[32];
			char *q;

			sha256_init(&c);
			sha256_update(&c, sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1));
			sha256_final(&c, d);
			sha256_hex(d, hex);
			q = sqlite3_mprintf("UPDATE files SET sha256 = '%q' WHERE name = '%q'", hex, sqlite3_column_text(s, 0));
			assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
			sqlite3_free(q);
		}
		sqlite3_finalize(s);
	}
	export_sum_begin(&c, "package");
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT key, value FROM manifest WHERE key <> 'checksum' ORDER BY key", -1,
					    &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct export_cell row[2];

		export_cell_column(s, 0, &row[0]);
		export_cell_column(s, 1, &row[1]);
		export_sum_row(&c, row, 2);
	}
	sqlite3_finalize(s);
	export_sum_section(&c, "files");
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name, content, sha256 FROM files ORDER BY name", -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct export_cell row[3];

		for (int i = 0; i < 3; i++)
			export_cell_column(s, i, &row[i]);
		export_sum_row(&c, row, 3);
	}
	sqlite3_finalize(s);
	export_sum_hex(&c, hex);
	{
		char *q = sqlite3_mprintf("UPDATE manifest SET value = '%q' WHERE key = 'checksum'", hex);

		assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_free(q);
	}
	sqlite3_close(db);
}

/* ---- a good package --------------------------------------------------------------- */

static void test_round_trip(void **state)
{
	struct package pkg;
	enum package_problem pb;
	struct formset fs;
	struct diag_list diags;
	struct err e;
	char *stage = path_in("stage");
	char **names = NULL;
	int nnames = 0;

	(void)state;
	assert_int_equal(package_read(good, "good.tbp", &pkg, &pb, &e), 0);
	assert_int_equal(pb, PP_NONE);
	assert_string_equal(pkg.name, "good.tbp");
	assert_string_equal(pkg.meta.township_code, "360730105000");
	assert_string_equal(pkg.meta.township_name, "示范乡");
	assert_int_equal(pkg.meta.version, 3);
	assert_string_equal(pkg.meta.written_by, "王会计");
	assert_int_equal(strlen(pkg.meta.written_at), 20);
	assert_int_equal(strlen(pkg.checksum), 64);
	/* Every *.ini of forms/, byte for byte, in name order. */
	{
		DIR *d = opendir(forms_dir);
		struct dirent *de;

		assert_non_null(d);
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' && strlen(de->d_name) > 4 && strcmp(de->d_name + strlen(de->d_name) - 4, ".ini") == 0)
				strlist_add_sorted(&names, &nnames, de->d_name);
		closedir(d);
	}
	assert_int_equal(pkg.nfiles, nnames);
	for (int i = 0; i < nnames; i++) {
		char p[512];
		size_t len;
		char *b;

		snprintf(p, sizeof p, "%s/%s", forms_dir, names[i]);
		b = read_file(p, 1u << 20, &len, &e);
		assert_non_null(b);
		assert_string_equal(pkg.files[i].name, names[i]);
		assert_int_equal(pkg.files[i].size, len);
		assert_memory_equal(pkg.files[i].content, b, len);
		free(b);
	}
	strlist_free(names, nnames);
	/* Extracted and loaded: the same forms and units as forms/ itself. */
	assert_int_equal(mkdir(stage, 0700), 0);
	diag_init(&diags);
	if (package_load(&pkg, stage, &fs, &diags, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(diags.n, 0);
	assert_int_equal(fs.nforms, ref.nforms);
	assert_int_equal(fs.nunits, ref.nunits);
	for (int i = 0; i < ref.nforms; i++) {
		assert_string_equal(fs.forms[i].id, ref.forms[i].id);
		assert_string_equal(fs.forms[i].hash, ref.forms[i].hash);
	}
	assert_string_equal(formset_township(&fs)->code, "360730105000");
	formset_free(&fs);
	diag_free(&diags);
	assert_int_equal(count_entries(stage), pkg.nfiles);
	/* A folder that is not empty is refused and left as it is. */
	{
		char *again = path_in("stage2");

		assert_int_equal(mkdir(again, 0700), 0);
		put_bytes(path_in("stage2/mine.txt"), "mine", 4);
		assert_int_equal(package_extract(&pkg, again, &e), -1);
		assert_non_null(strstr(e.msg, "not empty"));
		assert_int_equal(count_entries(again), 1);
	}
	package_free(&pkg);
}

/* A package struct with a bad name (not from package_read, which refuses them) writes
 * nothing: not the good files before it, nor anything outside the folder. */
static void test_extract_refuses_bad_names(void **state)
{
	static const char *const bad[] = { "../x.ini", "a/b.ini", ".hidden.ini", "X.INI", "x.txt", "" };
	char *target = path_in("target");
	struct err e;

	(void)state;
	assert_int_equal(mkdir(target, 0700), 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct package_entry files[2] = { { (char *)"00-first.ini", (char *)"; x\n", 4 },
						  { (char *)bad[i], (char *)"; y\n", 4 } };
		struct package pkg = { (char *)"hand-made.tbp", 1, { "", "", 1, "", "", "" }, "", files, 2 };

		if (strcmp(bad[i], "../x.ini") == 0 || strcmp(bad[i], "") == 0) {
			/* Keep the order valid so only the name is wrong: "" and "../x.ini" sort first. */
			files[0] = files[1];
			files[1] = (struct package_entry){ (char *)"zz.ini", (char *)"; x\n", 4 };
		}
		assert_int_equal(package_extract(&pkg, target, &e), -1);
		assert_non_null(strstr(e.msg, "hand-made.tbp"));
		assert_int_equal(count_entries(target), 0);
	}
	assert_int_equal(access(path_in("x.ini"), F_OK), -1);
	/* Two files of one name. */
	{
		struct package_entry files[2] = { { (char *)"a.ini", (char *)"", 0 }, { (char *)"a.ini", (char *)"", 0 } };
		struct package pkg = { (char *)"twice.tbp", 1, { "", "", 1, "", "", "" }, "", files, 2 };

		assert_int_equal(package_extract(&pkg, target, &e), -1);
		assert_int_equal(count_entries(target), 0);
	}
}

/* Through a "stick": package_export leaves the .tbp alone there; package_open and
 * package_find read it back. */
static void test_export_and_open(void **state)
{
	char *stick = path_in("stick");
	struct package_meta m;
	struct package a, b;
	enum package_problem pb;
	char *path = NULL, **found = NULL;
	struct err e;
	int nfound = 0;

	(void)state;
	assert_int_equal(mkdir(stick, 0700), 0);
	memset(&m, 0, sizeof m);
	m.version = 7;
	snprintf(m.written_by, sizeof m.written_by, "%s", "clerk");
	if (package_export(forms_dir, &m, stick, &path, &e) != 0)
		fail_msg("%s", e.msg);
	assert_non_null(strstr(path, "/tianbao-forms-360730105000-v7" PACKAGE_EXT));
	assert_int_equal(count_entries(stick), 1);
	assert_int_equal(package_find(stick, &found, &nfound, &e), 0);
	assert_int_equal(nfound, 1);
	assert_string_equal(found[0], path);
	strlist_free(found, nfound);
	assert_int_equal(package_open(path, &a, &pb, &e), 0);
	free(path);
	path = NULL;
	assert_int_equal(a.meta.version, 7);
	assert_non_null(strstr(a.name, "-v7.tbp"));
	assert_int_equal(package_read(good, "good.tbp", &b, &pb, &e), 0);
	assert_int_equal(a.nfiles, b.nfiles);
	for (int i = 0; i < a.nfiles; i++) {
		assert_string_equal(a.files[i].name, b.files[i].name);
		assert_int_equal(a.files[i].size, b.files[i].size);
		assert_memory_equal(a.files[i].content, b.files[i].content, a.files[i].size);
	}
	package_free(&a);
	package_free(&b);
	/* The same version again is refused; nothing else is left there. */
	{
		char *again = NULL;

		assert_int_equal(package_export(forms_dir, &m, stick, &again, &e), -1);
		assert_null(again);
		assert_non_null(strstr(e.msg, "already there"));
		assert_int_equal(count_entries(stick), 1);
	}
	/* A folder that is not there; forms that do not load (nothing written). */
	{
		char *none = NULL, *bad = path_in("badforms");

		assert_int_equal(package_export(forms_dir, &m, path_in("no-such-stick"), &none, &e), -1);
		assert_non_null(strstr(e.msg, "no such folder"));
		assert_int_equal(mkdir(bad, 0700), 0);
		{
			char units[512];

			snprintf(units, sizeof units, "%s/units.ini", forms_dir);
			copy_file(units, path_in("badforms/units.ini"));
		}
		put_bytes(path_in("badforms/10-x.ini"), "[form\nid = x\n", 13);
		m.version = 8;
		assert_int_equal(package_export(bad, &m, stick, &none, &e), -1);
		assert_non_null(strstr(e.msg, "10-x.ini:1"));
		assert_int_equal(count_entries(stick), 1);
	}
	/* Several packages in a folder, by name; other files are not packages. */
	m.version = 10;
	assert_int_equal(package_export(forms_dir, &m, stick, &path, &e), 0);
	free(path);
	put_bytes(path_in("stick/.hidden.tbp"), "x", 1);
	put_bytes(path_in("stick/notes.txt"), "x", 1);
	assert_int_equal(package_find(stick, &found, &nfound, &e), 0);
	assert_int_equal(nfound, 2);
	assert_non_null(strstr(found[0], "-v10.tbp"));
	assert_non_null(strstr(found[1], "-v7.tbp"));
	strlist_free(found, nfound);
	/* A symbolic link on the stick is refused by package_open too. */
	assert_int_equal(symlink(good, path_in("stick/link.tbp")), 0);
	assert_int_equal(package_open(path_in("stick/link.tbp"), &a, &pb, &e), -1);
	assert_int_equal(pb, PP_UNREADABLE);
	assert_non_null(strstr(e.msg, "symbolic link"));
}

/* ---- the corpus of bad packages -------------------------------------------------- */

/* How a bad package is made from the good one (g, glen). */
enum bad_how {
	BH_SQL,        /* a copy changed by sql, resealed by level: 0 not, 1 the checksum, 2 the files' too */
	BH_BYTES,      /* bytes of its own: arg, n of them */
	BH_CUT,        /* the good one cut short: n bytes kept; 0 half of it, -1 all but one */
	BH_FIXTURE,    /* a copy of tests/fixtures/ARG */
	BH_DUPLICATE,  /* a copy holding units.ini twice (then sealed) */
	BH_SPECIAL,    /* not a regular file: made by test_bad_corpus itself, not in the corpus */
};

struct bad_case {
	const char *name;        /* bad/NAME; NN-NAME in the corpus */
	enum package_problem want;
	const char *words;       /* in package_read's message besides the package's name, or NULL */
	const char *regex;       /* what merge's message must match (grep -E; expected.txt) */
	enum bad_how how;
	const char *arg;         /* the SQL, the bytes, the fixture */
	long n;
};

#define SQL(q, level) BH_SQL, q, level
#define RENAME(to) SQL("UPDATE files SET name = " to " WHERE name = '20-wf.ini'", 2)
#define MANIFEST(key, value) SQL("UPDATE manifest SET value = " value " WHERE key = '" key "'", 1)
#define NAME_RE "not a plain lower-case NAME\\.ini"

/* Refused by package_read. */
static const struct bad_case read_cases[] = {
	{ "empty.tbp", PP_DAMAGED, "empty", "empty \\(0 bytes\\)", BH_BYTES, "", 0 },
	{ "cut-10.tbp", PP_NOT_PACKAGE, "not even an SQLite file", "not even an SQLite file", BH_CUT, NULL, 10 },
	{ "cut-60.tbp", PP_DAMAGED, "cut short", "cut short", BH_CUT, NULL, 60 },
	{ "cut-100.tbp", PP_DAMAGED, "cut short", "cut short", BH_CUT, NULL, 100 },
	{ "cut-4096.tbp", PP_DAMAGED, "cut short", "cut short", BH_CUT, NULL, 4096 },
	{ "cut-half.tbp", PP_DAMAGED, "cut short", "cut short", BH_CUT, NULL, 0 },
	{ "cut-one.tbp", PP_DAMAGED, "cut short", "cut short", BH_CUT, NULL, -1 },
	{ "text.tbp", PP_NOT_PACKAGE, "not even an SQLite file", "not even an SQLite file", BH_BYTES, "[form]\nid = x\n", 14 },
	{ "an-export.tbp", PP_NOT_PACKAGE, "export file of data", "export file of data", BH_FIXTURE, "export-v2.tbx", 0 },
	{ "a-database.tbp", PP_NOT_PACKAGE, "tianbao database", "tianbao database", BH_FIXTURE, "v3.db", 0 },
	{ "other-app.tbp", PP_NOT_PACKAGE, "another program", "another program", SQL("PRAGMA application_id = 42", 0) },
	{ "newer.tbp", PP_NEWER, "newer tianbao", "newer tianbao", SQL("PRAGMA user_version = 2", 0) },
	{ "no-version.tbp", PP_NOT_PACKAGE, "no format version", "no format version", SQL("PRAGMA user_version = 0", 0) },
	{ "extra-table.tbp", PP_SCHEMA, "table 'extra'", "table 'extra'", SQL("CREATE TABLE extra (x)", 0) },
	{ "trigger.tbp", PP_SCHEMA, "trigger 'tr'", "trigger 'tr'",
	  SQL("CREATE TRIGGER tr AFTER INSERT ON files BEGIN DELETE FROM manifest; END", 0) },
	{ "view.tbp", PP_SCHEMA, "view 'v'", "view 'v'", SQL("CREATE VIEW v AS SELECT * FROM files", 0) },
	{ "index.tbp", PP_SCHEMA, "index 'ix'", "index 'ix'", SQL("CREATE INDEX ix ON files (sha256)", 0) },
	{ "extra-column.tbp", PP_SCHEMA, "not laid out", "not laid out", SQL("ALTER TABLE files ADD COLUMN mode INTEGER", 0) },
	{ "no-files-table.tbp", PP_NOT_PACKAGE, "no table 'files'", "no table 'files'", SQL("DROP TABLE files", 0) },
	{ "name-dotdot.tbp", PP_NAME, "../x.ini", "'\\.\\./x\\.ini'.*" NAME_RE, RENAME("'../x.ini'") },
	{ "name-slash.tbp", PP_NAME, "a/b.ini", "'a/b\\.ini'.*" NAME_RE, RENAME("'a/b.ini'") },
	{ "name-hidden.tbp", PP_NAME, ".hidden.ini", "'\\.hidden\\.ini'.*" NAME_RE, RENAME("'.hidden.ini'") },
	{ "name-upper.tbp", PP_NAME, "X.INI", "'X\\.INI'.*" NAME_RE, RENAME("'X.INI'") },
	{ "name-txt.tbp", PP_NAME, "x.txt", "'x\\.txt'.*" NAME_RE, RENAME("'x.txt'") },
	{ "name-empty.tbp", PP_NAME, "''", "''.*" NAME_RE, RENAME("''") },
	{ "name-nul.tbp", PP_NAME, "NAME.ini", NAME_RE, RENAME("CAST(X'6100622E696E69' AS TEXT)") },
	{ "name-300-bytes.tbp", PP_NAME, "NAME.ini", NAME_RE " of at most 64 bytes", RENAME("printf('%.296c.ini', 'a')") },
	/* Two names that differ only in case: the upper-case one is refused, whichever. */
	{ "name-case.tbp", PP_NAME, "Units.ini", "'Units\\.ini'.*" NAME_RE,
	  SQL("INSERT INTO files SELECT 'Units.ini', content, sha256 FROM files WHERE name = 'units.ini'", 2) },
	{ "name-twice.tbp", PP_NAME, "twice", "'units\\.ini' twice", BH_DUPLICATE, NULL, 0 },
	{ "name-blob.tbp", PP_NAME, "NAME.ini", NAME_RE, RENAME("CAST('20-wf.ini' AS BLOB)") },
	{ "name-ini-only.tbp", PP_NAME, ".ini", "'\\.ini'.*" NAME_RE, RENAME("'.ini'") },
	{ "no-units.tbp", PP_NO_UNITS, "units.ini", "no units\\.ini|units\\.ini.*missing",
	  SQL("DELETE FROM files WHERE name = 'units.ini'; UPDATE manifest SET value = value - 1 WHERE key = 'file_count'", 2) },
	{ "content-changed.tbp", PP_CHECKSUM, "20-wf.ini", "checksum mismatch: the file '20-wf\\.ini'",
	  SQL("UPDATE files SET content = CAST(CAST(content AS TEXT) || ';' AS BLOB) WHERE name = '20-wf.ini'", 1) },
	{ "sha-malformed.tbp", PP_DAMAGED, "SHA-256", "SHA-256",
	  SQL("UPDATE files SET sha256 = upper(sha256) WHERE name = '20-wf.ini'", 1) },
	{ "checksum-wrong.tbp", PP_CHECKSUM, "checksum mismatch", "checksum mismatch",
	  SQL("UPDATE manifest SET value = printf('%.64c', '0') WHERE key = 'checksum'", 0) },
	{ "manifest-changed.tbp", PP_CHECKSUM, "checksum mismatch", "checksum mismatch", SQL("UPDATE manifest SET value = '4' WHERE key = 'package_version'", 0) },
	{ "file-600k.tbp", PP_TOO_LARGE, "big.ini", "big\\.ini.*(larger|bytes)",
	  SQL("INSERT INTO files VALUES ('big.ini', CAST(printf('%.614400c', ';') AS BLOB), '');"
	      "UPDATE manifest SET value = value + 1 WHERE key = 'file_count'", 2) },
	{ "files-70.tbp", PP_TOO_LARGE, "more than 64 files", "more than 64 files",
	  SQL("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 70) "
	      "INSERT INTO files SELECT printf('zz-%02d.ini', i), X'3B', '' FROM n", 2) },
	{ "total-9m.tbp", PP_TOO_LARGE, "larger than any form package", "larger than any form package",
	  SQL("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 18) "
	      "INSERT INTO files SELECT printf('zz-%02d.ini', i), CAST(printf('%.500000c', ';') AS BLOB), '' FROM n", 2) },
	{ "content-text.tbp", PP_DAMAGED, "not stored the way", "not stored the way",
	  SQL("UPDATE files SET content = CAST(content AS TEXT) WHERE name = '20-wf.ini'", 2) },
	{ "missing-key.tbp", PP_MANIFEST, "no 'written_by'", "no 'written_by'", SQL("DELETE FROM manifest WHERE key = 'written_by'", 1) },
	{ "unknown-key.tbp", PP_MANIFEST, "'colour'", "'colour'", SQL("INSERT INTO manifest VALUES ('colour', 'red')", 1) },
	{ "key-not-text.tbp", PP_MANIFEST, "'package_version'", "'package_version'", MANIFEST("package_version", "X'33'") },
	{ "township-short.tbp", PP_MANIFEST, "township code '36073'", "township code '36073'", MANIFEST("township_code", "'36073'") },
	{ "township-letters.tbp", PP_MANIFEST, "township code '36073010500x'", "township code '36073010500x'",
	  MANIFEST("township_code", "'36073010500x'") },
	{ "version-0.tbp", PP_MANIFEST, "package version '0'", "package version '0'", MANIFEST("package_version", "'0'") },
	{ "version-abc.tbp", PP_MANIFEST, "package version 'abc'", "package version 'abc'", MANIFEST("package_version", "'abc'") },
	{ "version-2p40.tbp", PP_MANIFEST, "package version '1099511627776'", "package version '1099511627776'",
	  MANIFEST("package_version", "'1099511627776'") },
	{ "version-negative.tbp", PP_MANIFEST, "package version '-3'", "package version '-3'", MANIFEST("package_version", "'-3'") },
	{ "version-leading-zero.tbp", PP_MANIFEST, "package version '03'", "package version '03'",
	  MANIFEST("package_version", "'03'") },
	{ "format-version.tbp", PP_MANIFEST, "format_version", "format_version", MANIFEST("format_version", "'2'") },
	/* "9" before the true count: test_bad_corpus checks the number said. */
	{ "file-count.tbp", PP_MANIFEST, "holds 9", "holds 9[0-9] files", MANIFEST("file_count", "'9' || value") },
	{ "written-at.tbp", PP_MANIFEST, "yesterday", "yesterday", MANIFEST("written_at", "'yesterday'") },
	{ "written-by-empty.tbp", PP_MANIFEST, "who wrote it", "who wrote it", MANIFEST("written_by", "''") },
	{ "township-name-control.tbp", PP_MANIFEST, "township name", "township name",
	  MANIFEST("township_name", "'示范' || char(27) || '[2J'") },
	{ "program-version.tbp", PP_MANIFEST, "program version", "program version", MANIFEST("program_version", "'1.0 beta'") },
	{ "content-nul.tbp", PP_CONTENT, "NUL", "20-wf\\.ini.*NUL",
	  SQL("UPDATE files SET content = CAST(content || X'00' AS BLOB) WHERE name = '20-wf.ini'", 2) },
	{ "content-utf8.tbp", PP_CONTENT, "UTF-8", "20-wf\\.ini.*UTF-8",
	  SQL("UPDATE files SET content = CAST(content || X'C0AF' AS BLOB) WHERE name = '20-wf.ini'", 2) },
	{ "interrupted.tbp.tmp", PP_UNFINISHED, "interrupted", NULL, BH_SPECIAL, NULL, 0 },
	{ "a-link.tbp", PP_UNREADABLE, "symbolic link", NULL, BH_SPECIAL, NULL, 0 },
	{ "a-fifo.tbp", PP_UNREADABLE, "not a file", NULL, BH_SPECIAL, NULL, 0 },
	{ "a-folder.tbp", PP_UNREADABLE, "not a file", NULL, BH_SPECIAL, NULL, 0 },
	{ "missing.tbp", PP_UNREADABLE, "No such file", NULL, BH_SPECIAL, NULL, 0 },
};

/* Packages that read but whose forms do not load: refused by package_load, naming the
 * package, the file and the line (words: where, then what). */
static const struct bad_case load_cases[] = {
	{ "ini-syntax.tbp", PP_FORMS, "ini-syntax.tbp:20-wf.ini:", "20-wf\\.ini:[0-9]+",
	  SQL("UPDATE files SET content = CAST(replace(CAST(content AS TEXT), '[form]', '[form') AS BLOB) "
	      "WHERE name = '20-wf.ini'", 2) },
	{ "unknown-field.tbp", PP_FORMS, "unknown-field.tbp:10-village.ini:", "10-village\\.ini:[0-9]+.*v_vc_femail",
	  SQL("UPDATE files SET content = CAST(replace(CAST(content AS TEXT), 'v_vc_female / v_vc_total', "
	      "'v_vc_femail / v_vc_total') AS BLOB) WHERE name = '10-village.ini'", 2) },
	{ "no-township.tbp", PP_FORMS, "no-township.tbp:units.ini", "units\\.ini.*township",
	  SQL("UPDATE files SET content = CAST(replace(CAST(content AS TEXT), '[township.360730105000]', "
	      "'[village.360730105999]') AS BLOB) WHERE name = 'units.ini'", 2) },
};

/* A collation like BINARY that never finds two names equal: a second row of one name
 * goes in beside the first, as no tianbao ever writes. */
static int never_equal(void *arg, int na, const void *a, int nb, const void *b)
{
	int c = memcmp(a, b, (size_t)(na < nb ? na : nb));

	(void)arg;
	return c ? c : na != nb ? na - nb : -1;
}

static void make_duplicate(const char *p)
{
	sqlite3 *db;

	sql(p, "UPDATE manifest SET value = value + 1 WHERE key = 'file_count';"
	       "PRAGMA writable_schema = ON;"
	       "UPDATE sqlite_schema SET sql = replace(sql, 'name    TEXT PRIMARY KEY', 'name    TEXT PRIMARY KEY COLLATE forge') "
	       "WHERE name = 'files'");
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_create_collation(db, "forge", SQLITE_UTF8, NULL, never_equal), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO files SELECT name, content, sha256 FROM files WHERE name = 'units.ini' COLLATE BINARY;"
					  "PRAGMA writable_schema = ON;"
					  "UPDATE sqlite_schema SET sql = replace(sql, ' COLLATE forge', '') WHERE name = 'files';",
					  NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	reseal(p, false);
}

/* Makes the bad package c at path from the good one (g, glen). */
static void make_bad(const struct bad_case *c, const char *path, const char *g, size_t glen)
{
	const char *root = getenv("TIANBAO_ROOT");
	char fixture[512];

	switch (c->how) {
	case BH_SQL:
		copy_file(good, path);
		sql(path, c->arg);
		if (c->n > 0)
			reseal(path, c->n > 1);
		break;
	case BH_BYTES:
		put_bytes(path, c->arg, (size_t)c->n);
		break;
	case BH_CUT:
		put_bytes(path, g, c->n > 0 ? (size_t)c->n : c->n == 0 ? glen / 2 : glen - 1);
		break;
	case BH_FIXTURE:
		snprintf(fixture, sizeof fixture, "%s/tests/fixtures/%s", root ? root : ".", c->arg);
		copy_file(fixture, path);
		break;
	case BH_DUPLICATE:
		copy_file(good, path);
		make_duplicate(path);
		break;
	case BH_SPECIAL:
		break;
	}
}

/* Reads the bad package NAME and checks its refusal. */
static void refused(const struct bad_case *c, const char *words)
{
	struct package pkg;
	enum package_problem pb = PP_NONE;
	struct err e;
	char shown[128];

	snprintf(shown, sizeof shown, "bad/%s", c->name);
	e.msg[0] = '\0';
	if (package_read(path_in(shown), shown, &pkg, &pb, &e) == 0)
		fail_msg("%s: read without a refusal", c->name);
	if (pb != c->want)
		fail_msg("%s: refused as %d, not %d: %s", c->name, pb, c->want, e.msg);
	if (!strstr(e.msg, shown))
		fail_msg("%s: the message does not name the package: %s", c->name, e.msg);
	if (words && !strstr(e.msg, words))
		fail_msg("%s: the message does not say '%s': %s", c->name, words, e.msg);
	print_message("# %s: %s\n", c->name, e.msg);
}

static void test_bad_corpus(void **state)
{
	size_t glen;
	struct err e;
	char *g = read_file(good, 64u << 20, &glen, &e);
	char count[64];

	(void)state;
	assert_non_null(g);
	assert_int_equal(mkdir(path_in("bad"), 0700), 0);
	for (size_t i = 0; i < sizeof read_cases / sizeof read_cases[0]; i++) {
		char shown[128];

		snprintf(shown, sizeof shown, "bad/%s", read_cases[i].name);
		make_bad(&read_cases[i], path_in(shown), g, glen);
	}
	copy_file(good, path_in("bad/interrupted.tbp.tmp"));
	assert_int_equal(symlink(good, path_in("bad/a-link.tbp")), 0);
	assert_int_equal(mkfifo(path_in("bad/a-fifo.tbp"), 0600), 0);
	assert_int_equal(mkdir(path_in("bad/a-folder.tbp"), 0700), 0);
	free(g);

	/* The file-count case: "9" before the true count, e.g. "99". */
	{
		struct package pkg;
		enum package_problem pb;

		assert_int_equal(package_read(good, "good.tbp", &pkg, &pb, &e), 0);
		snprintf(count, sizeof count, "holds 9%d files", pkg.nfiles);
		package_free(&pkg);
	}
	assert_true(sizeof read_cases / sizeof read_cases[0] >= 30);
	for (size_t i = 0; i < sizeof read_cases / sizeof read_cases[0]; i++)
		refused(&read_cases[i], strcmp(read_cases[i].name, "file-count.tbp") == 0 ? count : read_cases[i].words);
}

static void test_forms_that_do_not_load(void **state)
{
	(void)state;
	mkdir(path_in("bad"), 0700);
	for (size_t i = 0; i < sizeof load_cases / sizeof load_cases[0]; i++) {
		const struct bad_case *c = &load_cases[i];
		char shown[128], stage[128];
		struct package pkg;
		enum package_problem pb;
		struct formset fs;
		struct diag_list diags;
		struct err e;
		bool named = false;

		snprintf(shown, sizeof shown, "bad/%s", c->name);
		make_bad(c, path_in(shown), NULL, 0);
		if (package_read(path_in(shown), shown, &pkg, &pb, &e) != 0)
			fail_msg("%s: %s", c->name, e.msg);
		snprintf(stage, sizeof stage, "stage-%zu", i);
		assert_int_equal(mkdir(path_in(stage), 0700), 0);
		diag_init(&diags);
		assert_int_equal(package_load(&pkg, path_in(stage), &fs, &diags, &e), -1);
		print_message("# %s: %s\n", c->name, e.msg);
		assert_non_null(strstr(e.msg, c->words));
		if (strcmp(c->name, "unknown-field.tbp") == 0)
			assert_non_null(strstr(e.msg, "v_vc_femail"));
		assert_true(diags.n > 0);
		for (int k = 0; k < diags.n; k++)
			named = named || strncmp(diags.v[k].file, shown, strlen(shown)) == 0;
		assert_true(named);
		if (strstr(c->words, ".ini:"))
			assert_true(diags.v[0].line > 0);
		diag_free(&diags);
		package_free(&pkg);
	}
}

/* The corpus for tests/cli/package_bad.sh: every bad package of the tables that is a
 * regular file, as out/NN-NAME, and out/expected.txt: NN-NAME, a tab, the regex of the
 * refusal's words. */
static void write_corpus(const char *out)
{
	const struct bad_case *tables[] = { read_cases, load_cases };
	const size_t sizes[] = { sizeof read_cases / sizeof read_cases[0], sizeof load_cases / sizeof load_cases[0] };
	size_t glen;
	struct err e;
	char *g = read_file(good, 64u << 20, &glen, &e);
	char p[600];
	FILE *expected;
	int k = 0;

	assert_non_null(g);
	snprintf(p, sizeof p, "%s/expected.txt", out);
	expected = fopen(p, "w");
	assert_non_null(expected);
	for (size_t t = 0; t < 2; t++)
		for (size_t i = 0; i < sizes[t]; i++) {
			const struct bad_case *c = &tables[t][i];

			if (c->how == BH_SPECIAL)
				continue;
			k++;
			snprintf(p, sizeof p, "%s/%02d-%s", out, k, c->name);
			make_bad(c, p, g, glen);
			fprintf(expected, "%02d-%s\t%s\n", k, c->name, c->regex);
		}
	assert_int_equal(fclose(expected), 0);
	free(g);
}

/* The writer refuses what no village could read. */
static void test_writer_refuses(void **state)
{
	char *src = path_in("src-forms");
	struct package_meta m;
	struct err e;
	char cmd[1024];

	(void)state;
	memset(&m, 0, sizeof m);
	snprintf(m.written_by, sizeof m.written_by, "%s", "clerk");
	m.version = 0;
	assert_int_equal(package_write_file(forms_dir, &m, path_in("w0.tbp"), &e), -1);
	assert_non_null(strstr(e.msg, "version"));
	m.version = (int64_t)1 << 40;
	assert_int_equal(package_write_file(forms_dir, &m, path_in("w0.tbp"), &e), -1);
	m.version = 1;
	m.written_by[0] = '\0';
	assert_int_equal(package_write_file(forms_dir, &m, path_in("w0.tbp"), &e), -1);
	snprintf(m.written_by, sizeof m.written_by, "%s", "clerk");
	assert_int_equal(access(path_in("w0.tbp"), F_OK), -1);
	/* An upper-case name in the folder. */
	snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s'/*.ini '%s'/ && mv '%s/20-wf.ini' '%s/20-WF.ini'", src, forms_dir,
		 src, src, src);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(package_write_file(src, &m, path_in("w1.tbp"), &e), -1);
	assert_non_null(strstr(e.msg, "20-WF.ini"));
	assert_int_equal(access(path_in("w1.tbp"), F_OK), -1);
	/* Dotfiles and links are left out: the package is the regular files. */
	snprintf(cmd, sizeof cmd, "mv '%s/20-WF.ini' '%s/20-wf.ini' && echo junk > '%s/.x.ini' && ln -s /etc/passwd '%s/passwd.ini'",
		 src, src, src, src);
	assert_int_equal(system(cmd), 0);
	write_package(src, path_in("w2.tbp"), 1);
	{
		struct package pkg;
		enum package_problem pb;

		assert_int_equal(package_read(path_in("w2.tbp"), "w2.tbp", &pkg, &pb, &e), 0);
		assert_int_equal(pkg.nfiles, ref.nforms + 1);
		package_free(&pkg);
	}
	/* An existing file is not overwritten. */
	assert_int_equal(package_write_file(src, &m, path_in("w2.tbp"), &e), -1);
}

/* The fuzzer's seeds: a small good package, one whose form does not load, one with a
 * bad name, one cut short. */
static void write_seeds(const char *out)
{
	static const char units[] = "[township.360730105000]\nname = 示范乡\n\n[village.360730105201]\nname = 东风村\n";
	static const char form[] = "[form]\nid = v\ntitle = 表\nreported_by = village\nperiod = year\nversion = 1\n\n"
				   "[section.main]\nlabel = 主要\n\n[field.v_total]\nlabel = 总数\ntype = integer\n"
				   "range = 0..100\n\n[field.v_part]\nlabel = 其中\ntype = integer\nrange = 0..100\n\n"
				   "[check.part_le_total]\nrule = v_part <= v_total\nmessage = 其中不能多于总数。\n";
	char small[512], p[600], q[600];
	size_t len;
	struct err e;
	char *b;

	snprintf(small, sizeof small, "%s/small-forms", dir);
	assert_int_equal(mkdir(small, 0700), 0);
	snprintf(p, sizeof p, "%s/units.ini", small);
	put_bytes(p, units, sizeof units - 1);
	snprintf(p, sizeof p, "%s/10-v.ini", small);
	put_bytes(p, form, sizeof form - 1);
	snprintf(q, sizeof q, "%s/good-small.tbp", out);
	write_package(small, q, 1);
	b = read_file(q, 1u << 20, &len, &e);
	assert_non_null(b);
	snprintf(p, sizeof p, "%s/cut-short.tbp", out);
	put_bytes(p, b, len - 700);
	free(b);
	snprintf(p, sizeof p, "%s/bad-name.tbp", out);
	copy_file(q, p);
	sql(p, "UPDATE files SET name = '../x.ini' WHERE name = '10-v.ini'");
	reseal(p, true);
	snprintf(p, sizeof p, "%s/form-does-not-load.tbp", out);
	copy_file(q, p);
	sql(p, "UPDATE files SET content = CAST(replace(CAST(content AS TEXT), 'v_part <=', 'v_prat <=') AS BLOB) "
	       "WHERE name = '10-v.ini'");
	reseal(p, true);
	/* The good one loads; the other reads but does not load. */
	for (int i = 0; i < 2; i++) {
		struct package pkg;
		enum package_problem pb;
		struct formset fs;
		struct diag_list diags;
		char stage[600];

		snprintf(stage, sizeof stage, "%s/seed-stage-%d", dir, i);
		assert_int_equal(mkdir(stage, 0700), 0);
		if (package_read(i == 0 ? q : p, "seed", &pkg, &pb, &e) != 0)
			fail_msg("%s", e.msg);
		diag_init(&diags);
		assert_int_equal(package_load(&pkg, stage, &fs, &diags, &e), i == 0 ? 0 : -1);
		if (i == 0)
			formset_free(&fs);
		else
			fprintf(stderr, "%s\n", e.msg);
		diag_free(&diags);
		package_free(&pkg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_extract_refuses_bad_names),
		cmocka_unit_test(test_export_and_open),
		cmocka_unit_test(test_bad_corpus),
		cmocka_unit_test(test_forms_that_do_not_load),
		cmocka_unit_test(test_writer_refuses),
	};
	struct diag_list d;
	const char *forms = getenv("TIANBAO_FORMS");
	char cmd[300];
	int rc;

	setlocale(LC_CTYPE, "C.UTF-8");
	forms_dir = forms && *forms ? forms : "forms";
	diag_init(&d);
	if (formset_load_dir(forms_dir, &ref, &d) != 0) {
		diag_print(&d, stderr);
		return 1;
	}
	diag_free(&d);
	snprintf(dir, sizeof dir, "%s/tianbao-package-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	snprintf(good, sizeof good, "%s/good.tbp", dir);
	write_package(forms_dir, good, 3);
	if (getenv("TIANBAO_PACKAGE_SEEDS")) {
		write_seeds(getenv("TIANBAO_PACKAGE_SEEDS"));
		rc = 0;
	} else if (getenv("TIANBAO_PACKAGE_CORPUS")) {
		write_corpus(getenv("TIANBAO_PACKAGE_CORPUS"));
		rc = 0;
	} else {
		rc = cmocka_run_group_tests(tests, NULL, NULL);
	}
	formset_free(&ref);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
