/* Unit tests of store.c on real database files: creation, writes and audit, form states,
 * refusing files that are not ours, and write failures (disk full) injected under SQLite
 * through the unix VFS's system-call hook: the write is refused, nothing half-written. */
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

#include "store/store.h"
#include "lib/err.h"
#include "store/values.h"
#include "store/states.h"
#include "store/history.h"
#include "lib/strlist.h"

static char dir[256];

static char *path_in(const char *name)
{
	static char buf[512];

	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

struct collect {
	int n;
	char last[256];
};

static int collect_row(void *ctx, const struct value_row *r)
{
	struct collect *c = ctx;

	c->n++;
	snprintf(c->last, sizeof c->last, "%s|%s|%s|%s|%s|%lld", r->unit, r->period, r->form, r->field,
		 r->value ? r->value : "NULL", (long long)r->revision);
	return 0;
}

static int count_audit(void *ctx, const struct audit_row *r)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

static void test_create_write_read(void **state)
{
	struct store *st;
	struct err e;
	struct write_result res;
	struct collect c = { 0, "" };
	struct value_change ch[2] = { { "v_vc_total", "village", "5", false, NULL, false }, { "v_notes", "village", "东风村 ✓", false, NULL, false } };
	int audits = 0;

	(void)state;
	assert_int_equal(store_open(path_in("a/b/new.db"), STORE_WRITE, &st, &e), 0);
	assert_int_equal(strlen(store_installation_id(st)), 32);
	assert_int_equal(store_write_values(st, "u1", "2026", ch, 2, "张三", "typed", NULL, NULL, &res, &e), 0);
	assert_int_equal(res.written, 2);
	/* The same values again change nothing and add no audit rows. */
	assert_int_equal(store_write_values(st, "u1", "2026", ch, 2, "张三", "typed", NULL, NULL, &res, &e), 0);
	assert_int_equal(res.written, 0);
	assert_int_equal(res.unchanged, 2);
	ch[0].value = "6";
	assert_int_equal(store_write_values(st, "u1", "2026", ch, 1, "张三", "typed", NULL, NULL, &res, &e), 0);
	/* Clearing keeps a row whose value is NULL, so the clearing travels on export. */
	ch[0].value = NULL;
	assert_int_equal(store_write_values(st, "u1", "2026", ch, 1, "张三", "typed", NULL, NULL, &res, &e), 0);
	assert_int_equal(res.written, 1);
	{
		struct value_filter all = { "u1", "2026", NULL, true }, visible = { "u1", "2026", NULL, false };

		assert_int_equal(store_each_value(st, &all, collect_row, &c, &e), 0);
		assert_int_equal(c.n, 2);
		assert_string_equal(c.last, "u1|2026|village|v_vc_total|NULL|3");
		c.n = 0;
		assert_int_equal(store_each_value(st, &visible, collect_row, &c, &e), 0);
		assert_int_equal(c.n, 1);
		assert_string_equal(c.last, "u1|2026|village|v_notes|东风村 ✓|1");
	}
	assert_int_equal(store_each_audit(st, NULL, NULL, count_audit, &audits, &e), 0);
	assert_int_equal(audits, 4);
	store_close(st);

	/* Reopened read-only: same installation, same values. */
	assert_int_equal(store_open(path_in("a/b/new.db"), STORE_READ, &st, &e), 0);
	c.n = 0;
	assert_int_equal(store_each_value(st, NULL, collect_row, &c, &e), 0);
	assert_int_equal(c.n, 1);
	store_close(st);
}

static void test_form_state(void **state)
{
	struct store *st;
	struct err e;
	struct form_state_info info;
	struct write_result res;
	struct value_change ch = { "v_vc_total", "village", "5", false, NULL, false };

	(void)state;
	assert_int_equal(store_open(path_in("state.db"), STORE_WRITE, &st, &e), 0);
	assert_int_equal(store_get_form_state(st, "u1", "2026", "village", &info, &e), 0);
	assert_int_equal(info.state, FST_EMPTY);
	assert_int_equal(store_write_values(st, "u1", "2026", &ch, 1, "a", "typed", NULL, NULL, &res, &e), 0);
	assert_int_equal(store_get_form_state(st, "u1", "2026", "village", &info, &e), 0);
	assert_int_equal(info.state, FST_PROGRESS);
	assert_int_equal(store_set_form_state(st, "u1", "2026", "village", FST_COMPLETE, "b", &e), 0);
	assert_int_equal(store_get_form_state(st, "u1", "2026", "village", &info, &e), 0);
	assert_int_equal(info.state, FST_COMPLETE);
	assert_string_equal(info.changed_by, "b");
	ch.value = "6";
	assert_int_equal(store_write_values(st, "u1", "2026", &ch, 1, "a", "typed", NULL, NULL, &res, &e), 0);
	assert_int_equal(store_get_form_state(st, "u1", "2026", "village", &info, &e), 0);
	assert_int_equal(info.state, FST_PROGRESS);
	store_close(st);
}

static void test_meta_and_periods(void **state)
{
	struct store *st;
	struct err e;
	char *v = NULL, **periods;
	int n;
	struct write_result res;
	struct value_change ch = { "v_vc_total", "village", "5", false, NULL, false };

	(void)state;
	assert_int_equal(store_open(path_in("meta.db"), STORE_WRITE, &st, &e), 0);
	assert_int_equal(store_meta_get(st, "unit", &v, &e), 0);
	assert_null(v);
	assert_int_equal(store_meta_set(st, "unit", "360730105201", &e), 0);
	assert_int_equal(store_meta_get(st, "unit", &v, &e), 0);
	assert_string_equal(v, "360730105201");
	free(v);
	assert_int_equal(store_write_values(st, "u1", "2025", &ch, 1, "a", "typed", NULL, NULL, &res, &e), 0);
	assert_int_equal(store_write_values(st, "u1", "2026", &ch, 1, "a", "typed", NULL, NULL, &res, &e), 0);
	assert_int_equal(store_list_periods(st, NULL, &periods, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(periods[0], "2026");
	strlist_free(periods, n);
	store_close(st);
}

static void test_refuses_files_not_ours(void **state)
{
	struct store *st;
	struct err e;
	FILE *f;

	(void)state;
	f = fopen(path_in("text.db"), "w");
	fputs("hello\n", f);
	fclose(f);
	assert_int_equal(store_open(path_in("text.db"), STORE_WRITE, &st, &e), -1);
	assert_non_null(strstr(e.msg, "not a tianbao database"));
	assert_non_null(strstr(e.msg, "text.db"));

	assert_int_equal(store_open(path_in("missing.db"), STORE_READ, &st, &e), -1);
	assert_non_null(strstr(e.msg, "no database"));
	assert_int_equal(access(path_in("missing.db"), F_OK), -1);

	/* A zero-byte file is what a first run killed before its first commit leaves. */
	f = fopen(path_in("empty.db"), "w");
	fclose(f);
	assert_int_equal(store_open(path_in("empty.db"), STORE_WRITE, &st, &e), 0);
	store_close(st);
}

/* ---- injected write failures ---- */

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

static void test_disk_full_is_all_or_nothing(void **state)
{
	sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
	struct store *st;
	struct err e;
	struct write_result res;
	int failures = 0, successes = 0;

	(void)state;
	real_pwrite64 = vfs->xGetSystemCall(vfs, "pwrite64");
	assert_non_null(real_pwrite64);
	assert_int_equal(store_open(path_in("full.db"), STORE_WRITE, &st, &e), 0);
	store_close(st);
	for (int k = 0; k < 16; k++) {
		char a[16], b[16];
		struct value_change ch[2] = { { "v_rep_total", "village", a, false, NULL, false }, { "v_rep_female", "village", b, false, NULL, false } };
		int rc;

		snprintf(a, sizeof a, "%d", 100 + k);
		snprintf(b, sizeof b, "%d", k);
		assert_int_equal(store_open(path_in("full.db"), STORE_WRITE, &st, &e), 0);
		writes_left = k;
		assert_int_equal(vfs->xSetSystemCall(vfs, "pwrite64", (sqlite3_syscall_ptr)failing_pwrite64), SQLITE_OK);
		rc = store_write_values(st, "u1", "2026", ch, 2, "a", "typed", NULL, NULL, &res, &e);
		vfs->xSetSystemCall(vfs, "pwrite64", real_pwrite64);
		if (rc == 0) {
			successes++;
		} else {
			failures++;
			assert_non_null(strstr(e.msg, "full.db"));
			assert_true(strstr(e.msg, "disk is full") || strstr(e.msg, "disk error"));
			assert_non_null(strstr(e.msg, "nothing was saved"));
		}
		store_close(st);
		/* Whatever happened: the file is sound and holds both values or neither. */
		{
			sqlite3 *db;
			sqlite3_stmt *s;
			int both = -1;

			assert_int_equal(sqlite3_open(path_in("full.db"), &db), SQLITE_OK);
			assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM vals WHERE value = ?1) + "
							    "(SELECT count(*) FROM vals WHERE value = ?2 AND field = 'v_rep_female'), "
							    "(SELECT integrity_check FROM pragma_integrity_check)",
							    -1, &s, NULL), SQLITE_OK);
			sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
			assert_int_equal(sqlite3_step(s), SQLITE_ROW);
			both = sqlite3_column_int(s, 0);
			assert_string_equal((const char *)sqlite3_column_text(s, 1), "ok");
			assert_int_equal(both, rc == 0 ? 2 : 0);
			sqlite3_finalize(s);
			sqlite3_close(db);
		}
	}
	assert_true(failures > 0);
	assert_true(successes > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_write_read),
		cmocka_unit_test(test_form_state),
		cmocka_unit_test(test_meta_and_periods),
		cmocka_unit_test(test_refuses_files_not_ours),
		cmocka_unit_test(test_disk_full_is_all_or_nothing),
	};
	char cmd[300];
	int rc;

	setlocale(LC_CTYPE, "C.UTF-8");
	snprintf(dir, sizeof dir, "%s/tianbao-store-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
