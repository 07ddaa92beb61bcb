/* Unit tests of src/lib: the one rule for real dates and stamps (clock.c), string lists
 * (strlist.c) and atomic files (file.c) on a real folder: whole or not at all, never
 * replacing what ATOMIC_NEW must not, never renaming a file swapped in meanwhile. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/file.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/strlist.h"

static void test_date_valid(void **state)
{
	(void)state;
	assert_true(date_valid(2024, 2, 29));    /* a leap year */
	assert_false(date_valid(2025, 2, 29));   /* not one */
	assert_false(date_valid(1900, 2, 29));   /* a century is not, */
	assert_true(date_valid(2000, 2, 29));    /* unless it is a 400th year */
	assert_true(date_valid(2026, 12, 31));
	assert_false(date_valid(2026, 4, 31));
	assert_false(date_valid(2026, 13, 1));
	assert_false(date_valid(2026, 0, 1));
	assert_false(date_valid(2026, 1, 0));
}

static void test_stamps(void **state)
{
	time_t t, now;
	char out[32];

	(void)state;
	assert_int_equal(iso8601_seconds("2026-11-29T11:35:20Z", &t), 0);
	iso8601_of(t, out);
	assert_string_equal(out, "2026-11-29T11:35:20Z");
	assert_int_equal(iso8601_seconds("2025-02-29T00:00:00Z", &t), -1);  /* no such day */
	assert_int_equal(iso8601_seconds("2026-11-29T24:00:00Z", &t), -1);
	assert_int_equal(iso8601_seconds("2026-11-29 11:35:20Z", &t), -1);
	assert_int_equal(iso8601_seconds("2026-11-29T11:35:20", &t), -1);
	assert_int_equal(iso8601_next_second("2026-12-31T23:59:59Z", out), 0);
	assert_string_equal(out, "2027-01-01T00:00:00Z");

	assert_int_equal(iso8601_seconds("2026-12-03T08:00:00Z", &now), 0);
	assert_int_equal(stamp_check("2026-12-03T07:00:00Z", now), STAMP_OK);
	assert_int_equal(stamp_check("2026-12-04T08:00:00Z", now), STAMP_OK);       /* a day ahead: allowed */
	assert_int_equal(stamp_check("2026-12-04T08:00:01Z", now), STAMP_FUTURE);
	assert_int_equal(stamp_check("1999-12-31T23:59:59Z", now), STAMP_EARLY);
	assert_int_equal(stamp_check("2025-02-29T10:00:00Z", now), STAMP_MALFORMED);
	assert_int_equal(stamp_check("2026-3-1T10:00:00Z", now), STAMP_MALFORMED);
}

static void test_stamp_prefixes(void **state)
{
	static const char *const good[] = { "2026", "2026-03", "2026-03-01", "2024-02-29", "2026-03-01T08:30",
					     "2026-03-01T08:30:00", "2026-03-01T08:30:00Z" };
	static const char *const bad[] = { "26", "2026-3-1", "2026-13-01", "2026-02-30", "2025-02-29",
					   "2026-03-01T25:00", "2026-03-01T08:60", "2026-03-01x", "yesterday", "" };

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		assert_true(stamp_prefix_valid(good[i]));
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		assert_false(stamp_prefix_valid(bad[i]));
}

static void test_strlist(void **state)
{
	char **l = NULL, **parts = NULL;
	int n = 0, np = 0;
	char *joined;

	(void)state;
	strlist_add_sorted(&l, &n, "b");
	strlist_add_sorted(&l, &n, "a");
	strlist_add_sorted(&l, &n, "b");
	strlist_add_sorted(&l, &n, "c");
	assert_int_equal(n, 3);
	joined = strlist_join(l, n);
	assert_string_equal(joined, "a,b,c");
	strlist_split(joined, &parts, &np);
	assert_true(strlist_equal(l, n, parts, np));
	free(joined);
	strlist_free(parts, np);
	strlist_split("", &parts, &np);
	assert_int_equal(np, 0);
	strlist_free(l, n);
}

static char dir[256];

static char *read_all(const char *path)
{
	struct err e;

	return read_file(path, 1 << 20, NULL, &e);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int entries(void)
{
	char *cmd = xasprintf("test $(ls -A %s | wc -l) -eq 1", dir);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 1 : 0;
}

static void test_atomic_file(void **state)
{
	struct atomic_file af;
	char *path = xasprintf("%s/report.txt", dir), *text;

	(void)state;
	/* A new file, then replacing it. */
	assert_int_equal(atomic_open(&af, path, NULL, ATOMIC_REPLACE), 0);
	assert_int_equal(write_all(af.fd, "one", 3), 0);
	assert_int_equal(atomic_commit(&af), 0);
	assert_string_equal(text = read_all(path), "one");
	free(text);
	assert_int_equal(atomic_open(&af, path, NULL, ATOMIC_REPLACE), 0);
	assert_int_equal(write_all(af.fd, "two", 3), 0);
	assert_int_equal(atomic_commit(&af), 0);
	assert_string_equal(text = read_all(path), "two");
	free(text);
	assert_true(entries());   /* no temporary file left */

	/* Abandoned: the old file stays, nothing else is left. */
	assert_int_equal(atomic_open(&af, path, NULL, ATOMIC_REPLACE), 0);
	assert_int_equal(write_all(af.fd, "half", 4), 0);
	atomic_abort(&af);
	assert_string_equal(text = read_all(path), "two");
	free(text);
	assert_true(entries());

	/* ATOMIC_NEW never replaces: 1, and the file is untouched. */
	assert_int_equal(atomic_open(&af, path, NULL, ATOMIC_NEW), 0);
	assert_int_equal(write_all(af.fd, "three", 5), 0);
	assert_int_equal(atomic_commit(&af), 1);
	assert_string_equal(text = read_all(path), "two");
	free(text);
	assert_true(entries());

	/* A given temporary name that exists: EEXIST, and it is left alone. */
	{
		char *tmp = xasprintf("%s/.report.tmp", dir);

		put(tmp, "someone's");
		assert_int_equal(atomic_open(&af, path, tmp, ATOMIC_NEW), -1);
		assert_int_equal(errno, EEXIST);
		assert_string_equal(text = read_all(tmp), "someone's");
		free(text);
		unlink(tmp);
		free(tmp);
	}

	/* A file swapped in at the temporary name is never renamed into place. */
	assert_int_equal(atomic_open(&af, path, NULL, ATOMIC_REPLACE), 0);
	assert_int_equal(write_all(af.fd, "mine", 4), 0);
	{
		char *tmp = xstrdup(af.tmp);

		unlink(tmp);
		put(tmp, "planted");
		assert_int_equal(atomic_commit(&af), -1);
		assert_int_equal(af.failed, AS_CHANGED);
		assert_string_equal(text = read_all(path), "two");
		free(text);
		assert_string_equal(text = read_all(tmp), "planted");   /* not ours: left alone */
		free(text);
		unlink(tmp);
		free(tmp);
	}
	unlink(path);
	free(path);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/tianbao-lib-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_stamps),
		cmocka_unit_test(test_stamp_prefixes),
		cmocka_unit_test(test_strlist),
		cmocka_unit_test(test_atomic_file),
	};

	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, setup, teardown);
}
