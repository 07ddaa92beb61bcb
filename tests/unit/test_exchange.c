/* Unit tests of the exchange: the canonical serialization behind the checksums (golden
 * values, without and with form states, and rows that must never serialize alike),
 * export file names, the schema comparison of an untrusted file (export versions 2 and
 * 1), merging and dry runs through the API, the order of form states, the progress
 * callback, and a disk-full township database during a merge (all of a file or none). */
#include <errno.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/diag.h"
#include "core/exchange.h"
#include "forms/forms.h"
#include "forms/load.h"
#include "lib/sha256.h"
#include "store/store.h"
#include "store/internal.h"
#include "lib/err.h"
#include "store/values.h"
#include "store/states.h"
#include "store/merge.h"
#include "store/conflicts.h"
#include "store/export.h"
#include "tbx/tbx.h"
#include "tbx/read.h"
#include "tbx/checksum.h"
#include "store/latest.h"
#include "core/form_status.h"

static char dir[256];
static struct formset fs;

static char *path_in(const char *name)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static struct export_cell T(const char *s)
{
	struct export_cell c = { EC_TEXT, 0, 0, s, strlen(s) };

	return c;
}

static struct export_cell I(int64_t v)
{
	struct export_cell c = { EC_INT, v, 0, NULL, 0 };

	return c;
}

static struct export_cell N(void)
{
	struct export_cell c = { EC_NULL, 0, 0, NULL, 0 };

	return c;
}

static void hex_of(struct sha256 *c, char out[65])
{
	unsigned char d[32];

	sha256_final(c, d);
	sha256_hex(d, out);
}

/* ---- the canonical serialization -------------------------------------------------- */

static void test_checksum_golden(void **state)
{
	const char *inst = "0123456789abcdef0123456789abcdef";
	struct export_cell r1[9] = { T("360730105201"), T("2026"), T("v_notes"), T(inst), T("village"),
				     T("东风村 \"一组\""), I(3), T("2026-11-29T11:53:20Z"), T("王会计") };
	struct export_cell r2[9] = { T("360730105201"), T("2026"), T("v_vc_total"), T(inst), T("village"),
				     N(), I(2), T("2026-11-29T11:53:21Z"), T("王会计") };
	struct sha256 c;
	char hex[65];

	(void)state;
	/* Computed independently (Python hashlib over the documented serialization). */
	export_sum_begin(&c, "values");
	export_sum_row(&c, r1, 9);
	export_sum_row(&c, r2, 9);
	hex_of(&c, hex);
	assert_string_equal(hex, "56bcbf1b135fc8dfb28eb877d07bb357344957e9291987b9a86816cfcedfeab4");
}

/* Export version 2: the values, then "#states" and the form state rows (unit, period,
 * form, state, changed_at, changed_by, installation). Without states the sum is the
 * values' alone, as in version 1. */
static void test_checksum_golden_states(void **state)
{
	const char *inst = "0123456789abcdef0123456789abcdef";
	struct export_cell r1[9] = { T("360730105201"), T("2026"), T("v_notes"), T(inst), T("village"),
				     T("东风村 \"一组\""), I(3), T("2026-11-29T11:53:20Z"), T("王会计") };
	struct export_cell r2[9] = { T("360730105201"), T("2026"), T("v_vc_total"), T(inst), T("village"),
				     N(), I(2), T("2026-11-29T11:53:21Z"), T("王会计") };
	struct export_cell s1[7] = { T("360730105201"), T("2026"), T("village"), T("complete"),
				     T("2026-11-29T11:53:22Z"), T("王会计"), T(inst) };
	struct sha256 c;
	char hex[65];

	(void)state;
	/* Computed independently (Python hashlib over the documented serialization). */
	export_sum_begin(&c, "values");
	export_sum_row(&c, r1, 9);
	export_sum_row(&c, r2, 9);
	export_sum_section(&c, "states");
	export_sum_row(&c, s1, 7);
	hex_of(&c, hex);
	assert_string_equal(hex, "c3ec01600163a3fda4dfd0c50b30fb22788c758b88aac64d306551a89f2e25d3");
}

static void sum_rows(char out[65], const struct export_cell *a, int na, const struct export_cell *b, int nb)
{
	struct sha256 c;

	export_sum_begin(&c, "values");
	export_sum_row(&c, a, na);
	if (b)
		export_sum_row(&c, b, nb);
	hex_of(&c, out);
}

static void test_serialization_unambiguous(void **state)
{
	char x[65], y[65];
	struct export_cell ab_c[2] = { T("ab"), T("c") }, a_bc[2] = { T("a"), T("bc") };
	struct export_cell null1[1] = { N() }, empty1[1] = { T("") }, n1[1] = { T("N") };
	struct export_cell int1[1] = { I(1) }, text1[1] = { T("1") };
	struct export_cell real1[1] = { { EC_REAL, 0, 1.0, NULL, 0 } };
	struct export_cell blob1[1] = { { EC_BLOB, 0, 0, "1", 1 } };
	struct export_cell a[1] = { T("a") }, b[1] = { T("b") }, a_b[2] = { T("a"), T("b") };

	(void)state;
	sum_rows(x, ab_c, 2, NULL, 0);
	sum_rows(y, a_bc, 2, NULL, 0);
	assert_string_not_equal(x, y);
	sum_rows(x, null1, 1, NULL, 0);
	sum_rows(y, empty1, 1, NULL, 0);
	assert_string_not_equal(x, y);
	sum_rows(y, n1, 1, NULL, 0);
	assert_string_not_equal(x, y);
	sum_rows(x, int1, 1, NULL, 0);
	sum_rows(y, text1, 1, NULL, 0);
	assert_string_not_equal(x, y);
	sum_rows(y, real1, 1, NULL, 0);
	assert_string_not_equal(x, y);
	sum_rows(y, blob1, 1, NULL, 0);
	assert_string_not_equal(x, y);
	sum_rows(x, a, 1, b, 1);
	sum_rows(y, a_b, 2, NULL, 0);
	assert_string_not_equal(x, y);
	/* The same rows always give the same sum; another kind of sum differs. */
	sum_rows(x, a_b, 2, NULL, 0);
	assert_string_equal(x, y);
	{
		struct sha256 c;

		export_sum_begin(&c, "manifest");
		export_sum_row(&c, a_b, 2);
		hex_of(&c, x);
		assert_string_not_equal(x, y);
	}
}

/* ---- file names ------------------------------------------------------------------ */

static void test_file_name(void **state)
{
	struct export_info in;
	char *p4[] = { "2023", "2024", "2025", "2026" };
	char name[256];

	(void)state;
	memset(&in, 0, sizeof in);
	snprintf(in.installation, sizeof in.installation, "%s", "a1b2c3d4e5f60718293a4b5c6d7e8f90");
	snprintf(in.installation_unit, sizeof in.installation_unit, "%s", "360730105201");
	snprintf(in.written_at, sizeof in.written_at, "%s", "2026-11-29T11:53:20Z");
	in.periods = p4 + 3;
	in.nperiods = 1;
	exchange_file_name(&in, name, sizeof name);
	assert_string_equal(name, "tianbao-360730105201-2026-20261129T115320Z.tbx");
	in.periods = p4 + 2;
	in.nperiods = 2;
	exchange_file_name(&in, name, sizeof name);
	assert_string_equal(name, "tianbao-360730105201-2025_2026-20261129T115320Z.tbx");
	in.periods = p4;
	in.nperiods = 4;
	exchange_file_name(&in, name, sizeof name);
	assert_string_equal(name, "tianbao-360730105201-2023_to_2026-20261129T115320Z.tbx");
	in.installation_unit[0] = '\0';
	in.nperiods = 1;
	exchange_file_name(&in, name, sizeof name);
	assert_string_equal(name, "tianbao-a1b2c3d4-2023-20261129T115320Z.tbx");
	snprintf(in.installation_unit, sizeof in.installation_unit, "%s", "360730105-hc");
	exchange_file_name(&in, name, sizeof name);
	assert_string_equal(name, "tianbao-360730105-hc-2023-20261129T115320Z.tbx");
}

/* ---- export and the schema check ------------------------------------------------------- */

/* A store for unit u with the given values of form village written in 2026. */
static struct store *store_with(const char *file, const char *unit, const char *const *kv, int n)
{
	struct store *st;
	struct err e;
	struct write_result res;
	struct value_change ch[8];

	assert_int_equal(store_open(path_in(file), STORE_WRITE, &st, &e), 0);
	assert_int_equal(store_meta_set(st, "unit", "360730105000", &e), 0);
	for (int i = 0; i < n; i++) {
		ch[i].field = kv[2 * i];
		ch[i].form = "village";
		ch[i].value = kv[2 * i + 1];
		ch[i].set_comment = false;
		ch[i].comment = NULL;
		ch[i].comment_only = false;
	}
	if (n)
		assert_int_equal(store_write_values(st, unit, "2026", ch, n, "op", "typed", NULL, NULL, &res, &e), 0);
	return st;
}

static void export_to(struct store *st, const char *file, struct export_info *info)
{
	struct export_spec spec = { NULL, 0, "op", &fs };
	struct err e;
	int left;

	unlink(path_in(file));
	assert_int_equal(store_export_write(st, path_in(file), &spec, info, &left, &e), 0);
	assert_int_equal(left, 0);
}

static void tamper(const char *file, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path_in(file), &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_export_and_schema_check(void **state)
{
	const char *kv[] = { "v_vc_total", "5", "v_notes", "东风村" };
	struct store *st = store_with("x1.db", "360730105201", kv, 2);
	struct export_info info, info2;
	struct export_file *xf;
	enum export_problem pb;
	struct err e;
	const char *const later[] = { "2030" };
	struct export_spec spec = { later, 1, "op", &fs };
	int left;

	(void)state;
	export_to(st, "x1.tbx", &info);
	assert_int_equal(info.value_count, 2);
	assert_int_equal(info.nunits, 1);
	assert_string_equal(info.units[0], "360730105201");
	assert_int_equal(info.nforms, 1);
	assert_string_equal(info.forms[0].id, "village");
	assert_int_equal(info.forms[0].version, formset_find_form(&fs, "village")->version);
	assert_string_equal(info.forms[0].hash, formset_find_form(&fs, "village")->hash);
	assert_int_equal(export_file_load(path_in("x1.tbx"), "x1.tbx", &fs, &xf, &pb, &e), 0);
	assert_string_equal(xf->info.checksum, info.checksum);
	assert_string_equal(xf->info.manifest_checksum, info.manifest_checksum);
	assert_int_equal(xf->nvalues, 2);
	assert_string_equal(xf->values[0].field, "v_notes");   /* key order */
	assert_string_equal(xf->values[0].value, "东风村");
	/* The form's state travels, and is what the file says of the form. */
	assert_int_equal(xf->info.version, 4);
	assert_int_equal(info.superseded_count, 0);
	assert_int_equal(xf->info.superseded_count, 0);
	assert_int_equal(info.state_count, 1);
	assert_int_equal(info.complete_count, 0);
	assert_int_equal(xf->nstates, 1);
	assert_string_equal(xf->states[0].state, "progress");
	assert_string_equal(xf->states[0].installation, store_installation_id(st));
	assert_string_equal(xf->states[0].form, "village");
	assert_string_equal(xf->states[0].changed_by, "op");
	export_file_free(xf);

	/* A file of export version 1 (written before form states travelled) still loads: no
	 * states, and its form in progress as of its latest value. */
	{
		char v1[512];
		const char *root = getenv("TIANBAO_ROOT");

		snprintf(v1, sizeof v1, "%s/tests/fixtures/export-v1.tbx", root ? root : ".");
		assert_int_equal(export_file_load(v1, "export-v1.tbx", &fs, &xf, &pb, &e), 0);
		assert_int_equal(xf->info.version, 1);
		assert_int_equal(xf->nvalues, 17);
		assert_int_equal(xf->nstates, 0);
		assert_string_equal(xf->info.checksum, "35d2b974f9f09c96f93c6231e594c6bec6fb040c90ac07b5136d6432866a1895");
		/* Merged, it says the form is in progress as of its latest value, by its writer. */
		{
			struct store *t1v;
			struct store_merger *m;
			struct merge_counts c;
			struct form_state_info fst;
			char before[32];

			unlink(path_in("v1t.db"));
			assert_int_equal(store_open(path_in("v1t.db"), STORE_WRITE, &t1v, &e), 0);
			assert_int_equal(store_merger_open(t1v, false, &m, &e), 0);
			assert_int_equal(store_merge_file(m, xf, "export-v1.tbx", "clerk", &c, before, &e), 0);
			store_merger_close(m);
			assert_int_equal(c.n_progress, 1);
			assert_int_equal(store_get_form_state(t1v, "360730105203", "2025", "village", &fst, &e), 0);
			assert_int_equal(fst.state, FST_PROGRESS);
			assert_string_equal(fst.changed_at, "2025-12-20T08:00:00Z");
			assert_string_equal(fst.changed_by, "张桂兰");
			assert_string_equal(fst.installation, "0d7d4a52be8b6f6ffd0d5c89bed0cb16");
			store_close(t1v);
		}
		export_file_free(xf);
	}

	/* The same values exported again: the same checksum, another manifest checksum only
	 * if the time changed. */
	export_to(st, "x1b.tbx", &info2);
	assert_string_equal(info2.checksum, info.checksum);
	export_info_free(&info2);

	/* Completed: another checksum; the same values and state again: the same one. */
	assert_int_equal(store_set_form_state(st, "360730105201", "2026", "village", FST_COMPLETE, "op", &e), 0);
	export_to(st, "x1c.tbx", &info2);
	assert_string_not_equal(info2.checksum, info.checksum);
	assert_int_equal(info2.complete_count, 1);
	{
		struct export_info info3;

		export_to(st, "x1d.tbx", &info3);
		assert_string_equal(info3.checksum, info2.checksum);
		export_info_free(&info3);
	}
	export_info_free(&info2);

	/* Nothing in the periods asked for: 1, and no file. */
	unlink(path_in("none.tbx"));
	assert_int_equal(store_export_write(st, path_in("none.tbx"), &spec, &info2, &left, &e), 1);
	assert_int_equal(access(path_in("none.tbx"), F_OK), -1);

	/* Any object beyond db/export.sql's is refused, with what it is. */
	{
		static const struct {
			const char *sql, *want;
		} cases[] = {
			{ "CREATE INDEX i ON vals (value)", "holds an index 'i'" },
			{ "CREATE TRIGGER t AFTER INSERT ON forms BEGIN SELECT 1; END", "holds a trigger 't'" },
			{ "CREATE VIEW v AS SELECT 1", "holds a view 'v'" },
			{ "CREATE TABLE more (x)", "holds a table 'more'" },
			{ "ALTER TABLE forms ADD COLUMN g AS (1)", "table 'forms' is not laid out" },
			{ "DROP TABLE forms", "has no table 'forms'" },
			{ "CREATE INDEX j ON form_states (state)", "holds an index 'j'" },
			{ "ALTER TABLE form_states ADD COLUMN note TEXT", "table 'form_states' is not laid out" },
			{ "DROP TABLE form_states", "has no table 'form_states'" },
			{ "CREATE INDEX k ON superseded (value)", "holds an index 'k'" },
			{ "ALTER TABLE superseded ADD COLUMN note TEXT", "table 'superseded' is not laid out" },
			{ "DROP TABLE superseded", "has no table 'superseded'" },
			/* Versions 1 to 3 have their own exact schemas: no comments, version 2 no
			 * superseded, and version 1 no form_states either. */
			{ "PRAGMA user_version = 3", "table 'superseded' is not laid out" },
			{ "PRAGMA user_version = 2", "holds a table 'superseded'" },
			{ "PRAGMA user_version = 1", "which tianbao never writes" },
		};

		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			char cmd[1200];

			snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path_in("x1.tbx"), path_in("bad.tbx"));
			assert_int_equal(system(cmd), 0);
			tamper("bad.tbx", cases[i].sql);
			assert_int_equal(export_file_load(path_in("bad.tbx"), "bad.tbx", NULL, &xf, &pb, &e), -1);
			assert_true(pb == EP_SCHEMA || pb == EP_NOT_EXPORT);
			if (!strstr(e.msg, cases[i].want))
				fail_msg("%s: got '%s'", cases[i].sql, e.msg);
			assert_non_null(strstr(e.msg, "bad.tbx"));
		}
	}
	export_info_free(&info);
	store_close(st);
}

/* ---- merging through the API --------------------------------------------------------- */

static struct export_file *load(const char *file)
{
	struct export_file *xf;
	enum export_problem pb;
	struct err e;

	if (export_file_load(path_in(file), file, &fs, &xf, &pb, &e) != 0)
		fail_msg("%s", e.msg);
	return xf;
}

static int count(struct store *st, const char *what)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = -1;
	char sql[256];

	(void)st;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", what);
	assert_int_equal(sqlite3_open_v2(path_in("t.db"), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static void test_merge_conflict_and_dry_run(void **state)
{
	const char *ka[] = { "v_vc_total", "5", "v_rep_total", "30" };
	const char *kb[] = { "v_vc_total", "6", "v_rep_total", "30" };
	struct store *a = store_with("ma.db", "360730105202", ka, 2), *b = store_with("mb.db", "360730105202", kb, 2);
	struct store *t;
	struct store_merger *m;
	struct export_info ia, ib;
	struct export_file *fa, *fb;
	struct merge_counts c;
	struct conflict *cf;
	struct resolve_result rr;
	char before[32];
	struct err e;
	int n;

	(void)state;
	export_to(a, "ma.tbx", &ia);
	export_to(b, "mb.tbx", &ib);
	fa = load("ma.tbx");
	fb = load("mb.tbx");
	unlink(path_in("t.db"));
	assert_int_equal(store_open(path_in("t.db"), STORE_WRITE, &t, &e), 0);

	/* A dry run sees the first file when it merges the second, then leaves nothing. */
	assert_int_equal(store_merger_open(t, true, &m, &e), 0);
	assert_int_equal(store_merge_file(m, fa, "ma.tbx", "clerk", &c, before, &e), 0);
	assert_int_equal(c.n_new, 2);
	assert_int_equal(store_merge_file(m, fb, "mb.tbx", "clerk", &c, before, &e), 0);
	assert_int_equal(c.n_conflicting, 1);
	assert_int_equal(c.n_unchanged, 1);
	assert_int_equal(store_merge_file(m, fa, "ma.tbx", "clerk", &c, before, &e), 1);
	store_merger_close(m);
	assert_int_equal(count(t, "vals"), 0);
	assert_int_equal(count(t, "merges"), 0);

	/* For real, in the other order: the same end. */
	assert_int_equal(store_merger_open(t, false, &m, &e), 0);
	assert_int_equal(store_merge_file(m, fb, "mb.tbx", "clerk", &c, before, &e), 0);
	assert_int_equal(store_merge_file(m, fa, "ma.tbx", "clerk", &c, before, &e), 0);
	assert_int_equal(c.n_conflicting, 1);
	assert_int_equal(store_merge_file(m, fa, "ma.tbx", "clerk", &c, before, &e), 1);
	store_merger_close(m);
	assert_true(before[0] != '\0');
	assert_int_equal(store_list_conflicts(t, NULL, &cf, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(cf[0].field, "v_vc_total");
	assert_int_equal(cf[0].ncands, 2);
	assert_string_equal(cf[0].cands[0].file, strcmp(store_installation_id(a), store_installation_id(b)) < 0 ? "ma.tbx" : "mb.tbx");
	store_free_conflicts(cf, n);

	assert_int_equal(store_resolve_take(t, "360730105202", "2026", "v_vc_total", "12345", "clerk", &rr, &e), -1);
	assert_non_null(strstr(e.msg, "at least 6"));
	assert_int_equal(store_resolve_take(t, "360730105202", "2026", "v_vc_total", "zzzzzz", "clerk", &rr, &e), -1);
	assert_non_null(strstr(e.msg, "not an installation id"));
	assert_int_equal(store_resolve_take(t, "360730105202", "2026", "v_vc_total", store_installation_id(b), "clerk", &rr, &e), 0);
	assert_string_equal(rr.new_value, "6");
	resolve_result_free(&rr);
	assert_int_equal(store_list_conflicts(t, NULL, &cf, &n, &e), 0);
	assert_int_equal(n, 0);
	store_free_conflicts(cf, n);

	export_file_free(fa);
	export_file_free(fb);
	export_info_free(&ia);
	export_info_free(&ib);
	store_close(a);
	store_close(b);
	store_close(t);
}

/* The key's rows as text: vals, then each candidate (own, revision, value, superseded). */
static char *key_rows(const char *file, const char *own)
{
	static char buf[2][1024];
	static int k;
	char *out = buf[k++ % 2];
	sqlite3 *db;
	sqlite3_stmt *s;
	size_t len = 0;

	assert_int_equal(sqlite3_open_v2(path_in(file), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT 'vals', value, installation = ?1, revision, conflict FROM vals "
					    "WHERE field = 'v_vc_total' UNION ALL "
					    "SELECT 'cand', value, installation = ?1, revision, superseded FROM candidates "
					    "WHERE field = 'v_vc_total' ORDER BY 1 DESC, 3, 2",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(s, 1, own, -1, SQLITE_STATIC);
	out[0] = '\0';
	while (sqlite3_step(s) == SQLITE_ROW)
		len += (size_t)snprintf(out + len, 1024 - len, "%s %s own=%d rev=%d %d; ", sqlite3_column_text(s, 0),
					sqlite3_column_text(s, 1) ? (const char *)sqlite3_column_text(s, 1) : "-",
					sqlite3_column_int(s, 2), sqlite3_column_int(s, 3), sqlite3_column_int(s, 4));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return out;
}

/* A decision taken back: the key as it was (the own candidate, when there was one, under
 * a new revision; when there was none, the decision's set aside), an audit row "undone";
 * refused once another program wrote to the database. */
static void test_resolve_undo(void **state)
{
	const char *ka[] = { "v_vc_total", "5" }, *kt[] = { "v_vc_total", "7" };
	struct store *a = store_with("ua.db", "360730105202", ka, 1), *b, *t;
	struct store_merger *m;
	struct export_info ia;
	struct export_file *fa;
	struct merge_counts c;
	struct resolve_result rr;
	char before[32], was[1024];
	struct form_state_info st0, st1;
	struct err e;
	sqlite3 *other;

	(void)state;
	export_to(a, "ua.tbx", &ia);
	fa = load("ua.tbx");
	unlink(path_in("t.db"));
	/* The township typed 7 itself; the village's file says 5. */
	t = store_with("t.db", "360730105202", kt, 1);
	assert_int_equal(store_merger_open(t, false, &m, &e), 0);
	assert_int_equal(store_merge_file(m, fa, "ua.tbx", "clerk", &c, before, &e), 0);
	assert_int_equal(c.n_conflicting, 1);
	store_merger_close(m);
	snprintf(was, sizeof was, "%s", key_rows("t.db", store_installation_id(t)));
	assert_non_null(strstr(was, "vals 7 own=1 rev=1 1;"));

	/* Complete (as a village's completed form merged would be), so the decision reopens it. */
	assert_int_equal(store_set_form_state(t, "360730105202", "2026", "village", FST_COMPLETE, "op", &e), 0);
	assert_int_equal(store_get_form_state(t, "360730105202", "2026", "village", &st0, &e), 0);
	assert_int_equal(store_resolve_take(t, "360730105202", "2026", "v_vc_total", store_installation_id(a), "clerk",
					    &rr, &e), 0);
	assert_non_null(rr.undo);
	assert_string_equal(key_rows("t.db", store_installation_id(t)),
			    "vals 5 own=1 rev=2 0; cand 5 own=0 rev=1 0; cand 5 own=1 rev=2 0; ");
	/* The value changed: the form is in progress as of the decision, by the clerk. */
	assert_int_equal(store_get_form_state(t, "360730105202", "2026", "village", &st1, &e), 0);
	assert_int_equal(st1.state, FST_PROGRESS);
	assert_string_equal(st1.changed_by, "clerk");
	assert_int_equal(store_resolve_undo(t, rr.undo, "clerk", &e), 0);
	/* Undone, the form's state is the one it had before. */
	assert_int_equal(store_get_form_state(t, "360730105202", "2026", "village", &st1, &e), 0);
	assert_int_equal(st1.state, FST_COMPLETE);
	assert_string_equal(st1.changed_at, st0.changed_at);
	assert_string_equal(st1.changed_by, st0.changed_by);
	/* As before, but this computer's 7 under revision 3: no revision names two values. */
	assert_string_equal(key_rows("t.db", store_installation_id(t)),
			    "vals 7 own=1 rev=3 1; cand 5 own=0 rev=1 0; cand 7 own=1 rev=3 0; ");
	assert_int_equal(count(t, "audit WHERE reason = 'undone' AND old_value = '5' AND new_value = '7'"), 1);
	assert_int_equal(count(t, "audit WHERE reason = 'undone' AND field = ''"), 1);
	/* Twice is refused: the key has moved on. */
	assert_int_equal(store_resolve_undo(t, rr.undo, "clerk", &e), -1);
	assert_non_null(strstr(e.msg, "has changed since it was decided"));
	resolve_result_free(&rr);

	/* Decided again, then another program writes: the decision stands. */
	assert_int_equal(store_resolve_take(t, "360730105202", "2026", "v_vc_total", store_installation_id(a), "clerk",
					    &rr, &e), 0);
	assert_int_equal(sqlite3_open(path_in("t.db"), &other), SQLITE_OK);
	sqlite3_busy_timeout(other, 5000);
	assert_int_equal(sqlite3_exec(other, "INSERT OR REPLACE INTO meta VALUES ('x', 'y')", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(store_resolve_undo(t, rr.undo, "clerk", &e), -1);
	assert_non_null(strstr(e.msg, "has changed since it was decided"));
	assert_non_null(strstr(key_rows("t.db", store_installation_id(t)), "vals 5 own=1 rev=4 0;"));
	resolve_result_free(&rr);
	store_close(t);

	/* Without a value of its own: the conflict of two villages' copies comes back, the
	 * decision's candidate set aside, and the next decision takes the next revision. */
	{
		const char *kb[] = { "v_vc_total", "6" };

		b = store_with("ub.db", "360730105202", kb, 1);
	}
	{
		struct export_info ib;
		struct export_file *fb;

		export_to(b, "ub.tbx", &ib);
		fb = load("ub.tbx");
		unlink(path_in("t.db"));
		assert_int_equal(store_open(path_in("t.db"), STORE_WRITE, &t, &e), 0);
		assert_int_equal(store_merger_open(t, false, &m, &e), 0);
		assert_int_equal(store_merge_file(m, fa, "ua.tbx", "clerk", &c, before, &e), 0);
		assert_int_equal(store_merge_file(m, fb, "ub.tbx", "clerk", &c, before, &e), 0);
		store_merger_close(m);
		snprintf(was, sizeof was, "%s", key_rows("t.db", store_installation_id(t)));
		assert_int_equal(store_resolve_take(t, "360730105202", "2026", "v_vc_total", store_installation_id(b), "clerk",
						    &rr, &e), 0);
		assert_int_equal(store_resolve_undo(t, rr.undo, "clerk", &e), 0);
		resolve_result_free(&rr);
		{
			char want[1100];

			snprintf(want, sizeof want, "%scand 6 own=1 rev=1 1; ", was);
			assert_string_equal(key_rows("t.db", store_installation_id(t)), want);
		}
		assert_int_equal(store_resolve_take(t, "360730105202", "2026", "v_vc_total", store_installation_id(a), "clerk",
						    &rr, &e), 0);
		assert_non_null(strstr(key_rows("t.db", store_installation_id(t)), "cand 5 own=1 rev=2 0;"));
		resolve_result_free(&rr);
		export_file_free(fb);
		export_info_free(&ib);
		store_close(b);
	}
	export_file_free(fa);
	export_info_free(&ia);
	store_close(a);
	store_close(t);
}

/* ---- form states ---------------------------------------------------------------------- */

static void test_latest_order(void **state)
{
	const char *a = "0123456789abcdef0123456789abcdef", *b = "fedcba9876543210fedcba9876543210";
	struct stamp early_b = { "2026-11-29T11:53:19Z", b }, at_a = { "2026-11-29T11:53:20Z", a },
		     at_b = { "2026-11-29T11:53:20Z", b };

	(void)state;
	/* The greater time wins, whoever wrote it. */
	assert_true(latest_cmp(&at_a, &early_b, NULL) > 0);
	assert_true(latest_cmp(&at_a, &early_b, b) > 0);
	/* The same second: the greater installation id... */
	assert_true(latest_cmp(&at_b, &at_a, NULL) > 0);
	assert_true(latest_cmp(&at_a, &at_b, NULL) < 0);
	/* ...unless one of them is this installation's own write (a decision made here): it
	 * wins the tie, by rule, whichever id is greater. */
	assert_true(latest_cmp(&at_a, &at_b, a) > 0);
	assert_true(latest_cmp(&at_b, &at_a, a) < 0);
	assert_true(latest_cmp(&at_b, &at_a, b) > 0);
	assert_int_equal(latest_cmp(&at_a, &at_a, a), 0);
}

static void test_state_order(void **state)
{
	const char *a = "0123456789abcdef0123456789abcdef", *b = "fedcba9876543210fedcba9876543210";
	const struct state_stamp st[] = {
		{ "progress", "2026-11-29T11:53:20Z", "李", a }, { "complete", "2026-11-29T11:53:20Z", "李", a },
		{ "progress", "2026-11-29T11:53:20Z", "王", a }, { "progress", "2026-11-29T11:53:20Z", "李", b },
		{ "complete", "2026-11-29T11:53:19Z", "李", b }, { "progress", "2026-11-29T11:53:21Z", "", a },
	};
	const int n = (int)(sizeof st / sizeof st[0]);

	(void)state;
	/* The greater time; then the greater installation; then complete; then the name. */
	assert_true(state_later(&st[5], &st[3], NULL));
	assert_true(state_later(&st[3], &st[1], NULL));
	assert_true(state_later(&st[1], &st[2], NULL));
	assert_true(state_later(&st[2], &st[0], NULL));
	assert_true(state_later(&st[0], &st[4], NULL));
	/* At installation a, its own state of the same second wins over b's. */
	assert_true(state_later(&st[0], &st[3], a));
	assert_false(state_later(&st[3], &st[0], a));
	/* A total order: of two different states exactly one is later; none is later than
	 * itself. So the latest of a set does not depend on the order it is met in. */
	for (int own = 0; own < 3; own++) {
		const char *me = own == 0 ? NULL : own == 1 ? a : b;

		for (int i = 0; i < n; i++) {
			assert_false(state_later(&st[i], &st[i], me));
			for (int j = 0; j < n; j++)
				if (i != j)
					assert_true(state_later(&st[i], &st[j], me) != state_later(&st[j], &st[i], me));
		}
	}
}

static int merge_one(struct store *t, struct export_file *xf, const char *name, struct merge_counts *c)
{
	struct store_merger *m;
	char before[32];
	struct err e;
	int rc;

	assert_int_equal(store_merger_open(t, false, &m, &e), 0);
	rc = store_merge_file(m, xf, name, "clerk", c, before, &e);
	store_merger_close(m);
	return rc;
}

static void test_merge_states(void **state)
{
	const char *kv[] = { "v_vc_total", "5" };
	struct store *v = store_with("sv.db", "360730105205", kv, 1), *t1, *t2;
	struct export_info i1, i2;
	struct export_file *f1, *f2;
	struct form_state_info s1, s2, sv;
	struct merge_counts c;
	struct err e;

	(void)state;
	export_to(v, "s1.tbx", &i1);
	assert_int_equal(store_set_form_state(v, "360730105205", "2026", "village", FST_COMPLETE, "村长", &e), 0);
	export_to(v, "s2.tbx", &i2);
	f1 = load("s1.tbx");
	f2 = load("s2.tbx");
	unlink(path_in("st1.db"));
	unlink(path_in("st2.db"));
	assert_int_equal(store_open(path_in("st1.db"), STORE_WRITE, &t1, &e), 0);
	assert_int_equal(store_open(path_in("st2.db"), STORE_WRITE, &t2, &e), 0);

	/* In progress, then complete. */
	assert_int_equal(merge_one(t1, f1, "s1.tbx", &c), 0);
	assert_int_equal(c.n_progress, 1);
	assert_int_equal(c.n_complete, 0);
	assert_int_equal(merge_one(t1, f2, "s2.tbx", &c), 0);
	assert_int_equal(c.n_complete, 1);
	assert_int_equal(c.n_progress, 0);
	/* The other way round: the older state changes nothing. */
	assert_int_equal(merge_one(t2, f2, "s2.tbx", &c), 0);
	assert_int_equal(c.n_complete, 1);
	assert_int_equal(merge_one(t2, f1, "s1.tbx", &c), 0);
	assert_int_equal(c.n_complete + c.n_progress, 0);

	assert_int_equal(store_get_form_state(t1, "360730105205", "2026", "village", &s1, &e), 0);
	assert_int_equal(store_get_form_state(t2, "360730105205", "2026", "village", &s2, &e), 0);
	assert_int_equal(store_get_form_state(v, "360730105205", "2026", "village", &sv, &e), 0);
	assert_int_equal(s1.state, FST_COMPLETE);
	assert_int_equal(s2.state, FST_COMPLETE);
	assert_string_equal(s1.changed_at, sv.changed_at);
	assert_string_equal(s2.changed_at, sv.changed_at);
	assert_string_equal(s1.changed_by, "村长");
	assert_string_equal(s1.installation, store_installation_id(v));
	assert_string_equal(s2.installation, store_installation_id(v));

	/* Shown: complete, unless a value of the form is in conflict; in progress once worked
	 * on, even with every value cleared again; values with no state are in progress. */
	assert_int_equal(form_status_shown(FST_COMPLETE, 5, 0), FST_COMPLETE);
	assert_int_equal(form_status_shown(FST_COMPLETE, 5, 1), FST_PROGRESS);
	assert_int_equal(form_status_shown(FST_PROGRESS, 0, 0), FST_PROGRESS);
	assert_int_equal(form_status_shown(FST_EMPTY, 0, 0), FST_EMPTY);
	assert_int_equal(form_status_shown(FST_EMPTY, 3, 0), FST_PROGRESS);

	/* Completing again here (the same second as the village's completion at most): the
	 * state set here is later than the one it replaces. */
	assert_int_equal(store_set_form_state(t1, "360730105205", "2026", "village", FST_PROGRESS, "clerk", &e), 0);
	assert_int_equal(store_get_form_state(t1, "360730105205", "2026", "village", &s2, &e), 0);
	{
		struct state_stamp now = { "progress", s2.changed_at, s2.changed_by, s2.installation };
		struct state_stamp before = { "complete", s1.changed_at, s1.changed_by, s1.installation };

		assert_true(state_later(&now, &before, NULL));
	}

	export_file_free(f1);
	export_file_free(f2);
	export_info_free(&i1);
	export_info_free(&i2);
	store_close(v);
	store_close(t1);
	store_close(t2);
}

struct progress_log {
	int calls, last_done, last_total, refused;
};

static void on_progress(void *ctx, int done, int total, const struct merge_report *r)
{
	struct progress_log *p = ctx;

	p->calls++;
	assert_int_equal(done, p->calls);
	p->last_done = done;
	p->last_total = total;
	if (r->outcome == MO_REFUSED)
		p->refused++;
}

static void test_exchange_merge_progress(void **state)
{
	const char *kv[] = { "v_vc_total", "5" };
	struct store *v = store_with("pv.db", "360730105203", kv, 1), *t;
	struct export_result res;
	struct export_request rq = { NULL, 0, dir, "op" };
	struct progress_log log = { 0, 0, 0, 0 };
	struct merge_options mo = { false, "clerk", on_progress, &log };
	struct merge_report *reports;
	int n;
	struct err e;

	(void)state;
	assert_int_equal(exchange_export(v, &fs, &rq, &res, &e), 0);
	assert_non_null(strstr(res.path, "/tianbao-360730105000-2026-"));
	{
		const char *args[] = { res.path, path_in("missing.tbx"), res.path };

		unlink(path_in("pt.db"));
		assert_int_equal(store_open(path_in("pt.db"), STORE_WRITE, &t, &e), 0);
		assert_int_equal(exchange_merge(t, &fs, args, 3, &mo, &reports, &n, &e), 0);
	}
	assert_int_equal(n, 3);
	assert_int_equal(log.calls, 3);
	assert_int_equal(log.last_total, 3);
	assert_int_equal(log.refused, 1);
	assert_int_equal(reports[0].outcome, MO_MERGED);
	assert_int_equal(reports[0].counts.n_new, 1);
	assert_true(reports[0].has_info);
	assert_int_equal(reports[1].outcome, MO_REFUSED);
	assert_int_equal(reports[1].problem, EP_UNREADABLE);
	assert_int_equal(reports[2].outcome, MO_ALREADY);
	exchange_free_reports(reports, n);
	unlink(res.path);
	export_result_free(&res);
	store_close(v);
	store_close(t);
}

/* ---- the manifest's lists: what the writer writes, the reader reads ------------------- */

/* Values of n units of 32 characters, straight into the store's tables. */
static void many_units(struct store *st, int n)
{
	char sql[1024];

	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
		 "INSERT INTO candidates (unit, period, field, installation, form, value, revision, updated_at, "
		 "updated_by, source, superseded) SELECT printf('360730105-wf-%%019d', i), '2026', 'wf_hotline', "
		 "'%s', 'wf', '1', 1, '2026-11-28T08:00:00Z', 'op', NULL, 0 FROM n",
		 n, store_installation_id(st));
	assert_int_equal(sqlite3_exec(st->db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static void test_manifest_lists(void **state)
{
	struct store *st;
	struct export_info info;
	struct export_file *xf;
	enum export_problem pb;
	struct err e;
	struct export_spec spec = { NULL, 0, "op", &fs };
	int left;

	(void)state;
	/* 7,000 units of 32 characters (231,000 bytes): written and read back. */
	unlink(path_in("mu.db"));
	assert_int_equal(store_open(path_in("mu.db"), STORE_WRITE, &st, &e), 0);
	many_units(st, 7000);
	export_to(st, "mu.tbx", &info);
	assert_int_equal(info.nunits, 7000);
	if (export_file_load(path_in("mu.tbx"), "mu.tbx", NULL, &xf, &pb, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(xf->info.nunits, 7000);
	export_file_free(xf);
	export_info_free(&info);
	store_close(st);
	/* 8,000 (264,000 bytes, beyond EXPORT_MANIFEST_VALUE_MAX): the writer says so, and
	 * writes nothing a reader would refuse. */
	unlink(path_in("mu.db"));
	assert_int_equal(store_open(path_in("mu.db"), STORE_WRITE, &st, &e), 0);
	many_units(st, 8000);
	unlink(path_in("mu.tbx"));
	assert_int_equal(store_export_write(st, path_in("mu.tbx"), &spec, &info, &left, &e), -1);
	if (!strstr(e.msg, "the values are of 8000 units, and their list (263999 bytes) is longer than an export file may carry (262144 bytes)"))
		fail_msg("got '%s'", e.msg);
	assert_int_equal(access(path_in("mu.tbx"), F_OK), -1);
	store_close(st);
}

/* ---- a disk-full township database during a merge ------------------------------------ */

static sqlite3_syscall_ptr real_pwrite64;
static int writes_left;

static ssize_t failing_pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	if (writes_left-- <= 0) {
		errno = ENOSPC;
		return -1;
	}
	return ((ssize_t(*)(int, const void *, size_t, off_t))real_pwrite64)(fd, buf, n, off);
}

static void test_merge_disk_full_is_all_or_nothing(void **state)
{
	const char *kv[] = { "v_vc_total", "5", "v_vc_female", "2", "v_notes", "东风村", "v_rep_total", "30" };
	struct store *v = store_with("fv.db", "360730105204", kv, 4), *t;
	sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
	struct export_info info;
	struct export_file *xf;
	struct merge_counts c;
	char before[32];
	struct err e;
	int failures = 0, successes = 0;

	(void)state;
	export_to(v, "fv.tbx", &info);
	xf = load("fv.tbx");
	real_pwrite64 = vfs->xGetSystemCall(vfs, "pwrite64");
	assert_non_null(real_pwrite64);
	/* Fail the k-th write, for growing k, until the merge gets through a few times. */
	for (int k = 0; k < 200 && successes < 3; k++) {
		int rc;

		unlink(path_in("t.db"));
		unlink(path_in("t.db-wal"));
		unlink(path_in("t.db-shm"));
		assert_int_equal(store_open(path_in("t.db"), STORE_WRITE, &t, &e), 0);
		writes_left = k;
		assert_int_equal(vfs->xSetSystemCall(vfs, "pwrite64", (sqlite3_syscall_ptr)failing_pwrite64), SQLITE_OK);
		{
			struct store_merger *m;

			assert_int_equal(store_merger_open(t, false, &m, &e), 0);
			rc = store_merge_file(m, xf, "fv.tbx", "clerk", &c, before, &e);
			store_merger_close(m);
		}
		vfs->xSetSystemCall(vfs, "pwrite64", real_pwrite64);
		if (rc == 0) {
			successes++;
		} else {
			failures++;
			assert_non_null(strstr(e.msg, "t.db"));
			assert_true(strstr(e.msg, "disk is full") || strstr(e.msg, "disk error"));
		}
		store_close(t);
		assert_int_equal(count(t, "merges"), rc == 0 ? 1 : 0);
		assert_int_equal(count(t, "vals"), rc == 0 ? 4 : 0);
		assert_int_equal(count(t, "audit"), rc == 0 ? 5 : 0);   /* four values and the form's state */
		assert_int_equal(count(t, "form_state"), rc == 0 ? 1 : 0);
		assert_int_equal(count(t, "candidates"), rc == 0 ? 4 : 0);
	}
	assert_true(failures > 0);
	assert_true(successes > 0);
	export_file_free(xf);
	export_info_free(&info);
	store_close(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum_golden),
		cmocka_unit_test(test_checksum_golden_states),
		cmocka_unit_test(test_serialization_unambiguous),
		cmocka_unit_test(test_file_name),
		cmocka_unit_test(test_export_and_schema_check),
		cmocka_unit_test(test_merge_conflict_and_dry_run),
		cmocka_unit_test(test_resolve_undo),
		cmocka_unit_test(test_latest_order),
		cmocka_unit_test(test_state_order),
		cmocka_unit_test(test_merge_states),
		cmocka_unit_test(test_exchange_merge_progress),
		cmocka_unit_test(test_merge_disk_full_is_all_or_nothing),
		cmocka_unit_test(test_manifest_lists),
	};
	struct diag_list d;
	const char *forms = getenv("TIANBAO_FORMS");
	char cmd[300];
	int rc;

	setlocale(LC_CTYPE, "C.UTF-8");
	diag_init(&d);
	if (formset_load_dir(forms && *forms ? forms : "forms", &fs, &d) != 0) {
		diag_print(&d, stderr);
		return 1;
	}
	diag_free(&d);
	snprintf(dir, sizeof dir, "%s/tianbao-exchange-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	formset_free(&fs);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
