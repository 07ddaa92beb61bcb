/* Unit tests of the stick search (core/media.c) on a made-up mountinfo and sysfs: sticks
 * by their kernel flag, by the USB bus, by udisks' folders; the computer's own disks and
 * system folders under /mnt never; and of Tab's folder completion (lib/file.c), with
 * Chinese names. */
#include <limits.h>
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

#include "core/media.h"
#include "lib/file.h"
#include "lib/mem.h"
#include "lib/str.h"

static char root[512];

static void put(const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", root, rel);
	FILE *f;

	assert_int_equal(make_parent_dirs(path, NULL), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void folder(const char *rel)
{
	char *path = xasprintf("%s/%s/x", root, rel);

	assert_int_equal(make_parent_dirs(path, NULL), 0);
	free(path);
}

/* sysfs/dev/block/MAJ:MIN -> the device's folder, as the kernel links it. */
static void device(const char *majmin, const char *devdir)
{
	char *link = xasprintf("%s/sys/dev/block/%s", root, majmin);
	char *target = xasprintf("%s/sys/devices/%s", root, devdir), *rel = xasprintf("sys/devices/%s", devdir);

	folder(rel);
	free(rel);
	folder("sys/dev/block");
	assert_int_equal(symlink(target, link), 0);
	free(link);
	free(target);
}

static void test_media_scan(void **state)
{
	char *mountinfo = xasprintf("%s/mountinfo", root), *sys = xasprintf("%s/sys", root);
	char **dirs, *line;
	struct strbuf mi;
	int n;

	(void)state;
	/* The laptop's disk (removable 0, on SATA), a stick that says so (removable 1, on a
	 * partition), a USB disk that says removable 0, a system folder under /mnt. */
	device("8:1", "pci0000:00/ata1/host0/block/sda/sda1");
	put("sys/devices/pci0000:00/ata1/host0/block/sda/removable", "0\n");
	device("8:17", "pci0000:00/sdhci/block/sdb/sdb1");
	put("sys/devices/pci0000:00/sdhci/block/sdb/removable", "1\n");
	device("8:33", "pci0000:00/usb1/1-1/host6/block/sdc/sdc1");
	put("sys/devices/pci0000:00/usb1/1-1/host6/block/sdc/removable", "0\n");
	device("0:45", "virtual/block/loop0");
	folder("mnt/own");
	folder("mnt/stick");
	folder("mnt/李秀英 的U盘");
	folder("mnt/sandbox");
	sb_init(&mi);
	sb_addf(&mi, "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
	sb_addf(&mi, "23 22 8:1 / %s/mnt/own rw - ext4 /dev/sda1 rw\n", root);
	sb_addf(&mi, "24 22 8:17 / %s/mnt/stick rw - vfat /dev/sdb1 rw\n", root);
	/* Mount points escape a space as \040. */
	sb_addf(&mi, "25 22 8:33 / %s/mnt/李秀英\\040的U盘 rw - exfat /dev/sdc1 rw\n", root);
	sb_addf(&mi, "26 22 0:45 / %s/mnt/sandbox ro - squashfs /dev/loop0 ro\n", root);
	sb_addf(&mi, "27 22 0:46 / /proc rw - proc proc rw\n");
	sb_addf(&mi, "garbage\n");
	put("mountinfo", sb_str(&mi));
	sb_free(&mi);

	exchange_media_scan(mountinfo, sys, &dirs, &n);
	assert_int_equal(n, 2);
	line = xasprintf("%s/mnt/stick", root);
	assert_string_equal(dirs[0], line);
	free(line);
	line = xasprintf("%s/mnt/李秀英 的U盘", root);
	assert_string_equal(dirs[1], line);
	free(line);
	exchange_free_list(dirs, n);

	/* No mountinfo: nothing, no crash. */
	exchange_media_scan("/nonexistent/mountinfo", sys, &dirs, &n);
	assert_int_equal(n, 0);
	free(mountinfo);
	free(sys);
}

static void test_media_note(void **state)
{
	char buf[128], *path = xasprintf("%s/mnt/stick", root);

	(void)state;
	folder("mnt/stick");
	exchange_media_note(path, buf, sizeof buf);
	/* "stick, N.N GB free": the folder's name, then its free space. */
	assert_true(strncmp(buf, "stick, ", 7) == 0);
	assert_non_null(strstr(buf, " GB free"));
	free(path);
}

static void test_complete_dir(void **state)
{
	char *typed, *done;
	struct strbuf names;

	(void)state;
	folder("media/李秀英/KINGSTON");
	folder("media/李秀英/KINGMAX");
	folder("media/李秀英/新加卷");
	put("media/李秀英/KING.txt", "not a folder");
	sb_init(&names);

	/* The only folder: completed, with its slash. */
	typed = xasprintf("%s/media/李", root);
	assert_int_equal(path_complete_dir(typed, &done, &names), 1);
	assert_true(str_ends(done, "/media/李秀英/"));
	free(typed);
	free(done);

	/* Two: as far as they agree, and both named (a file of the same start is not). */
	sb_reset(&names);
	typed = xasprintf("%s/media/李秀英/K", root);
	assert_int_equal(path_complete_dir(typed, &done, &names), 2);
	assert_true(str_ends(done, "/media/李秀英/KING"));
	assert_true(strstr(sb_str(&names), "KINGSTON") && strstr(sb_str(&names), "KINGMAX"));
	free(typed);
	free(done);

	/* Chinese names share no half of a character. */
	sb_reset(&names);
	typed = xasprintf("%s/media/李秀英/新", root);
	assert_int_equal(path_complete_dir(typed, &done, &names), 1);
	assert_true(str_ends(done, "/新加卷/"));
	free(typed);
	free(done);

	/* Nothing: the text as it was. */
	typed = xasprintf("%s/media/李秀英/Z", root);
	assert_int_equal(path_complete_dir(typed, &done, NULL), 0);
	assert_string_equal(done, typed);
	free(typed);
	free(done);
	assert_int_equal(path_complete_dir("no slash", &done, NULL), 0);
	assert_string_equal(done, "no slash");
	free(done);
	sb_free(&names);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof root, "%s/test_media.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	remove_tree(root);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_media_scan),
		cmocka_unit_test(test_media_note),
		cmocka_unit_test(test_complete_dir),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
