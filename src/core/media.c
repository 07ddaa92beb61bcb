/* media.c - where USB sticks are mounted (see media.h). */
#include "core/media.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "lib/i18n.h"

#include "lib/mem.h"
#include "lib/str.h"
#include "lib/strlist.h"

static bool is_majmin(const char *s)
{
	int colons = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s == ':')
			colons++;
		else if (*s < '0' || *s > '9')
			return false;
	}
	return colons == 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Mount points in /proc/self/mountinfo escape spaces and the like as \040. */
static void unescape_mount(char *s)
{
	char *o = s;

	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			*o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

static void add_dir(char ***dirs, int *n, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return;
	for (int i = 0; i < *n; i++)
		if (strcmp((*dirs)[i], path) == 0)
			return;
	*dirs = xreallocarray(*dirs, (size_t)*n + 1, sizeof **dirs);
	(*dirs)[(*n)++] = xstrdup(path);
}

/* Reads a small sysfs flag file: true when it holds "1". */
static bool flag_set(const char *path)
{
	FILE *f = fopen(path, "r");
	int c = f ? fgetc(f) : EOF;

	if (f)
		fclose(f);
	return c == '1';
}

/* Whether the block device MAJ:MIN is a removable disk: its kernel "removable" flag (on
 * the disk, or on the disk a partition belongs to), or a disk on the USB bus (USB hard
 * disks and many sticks say removable = 0). */
static bool device_removable(const char *sysfs, const char *majmin)
{
	char path[PATH_MAX], real[PATH_MAX], flag[PATH_MAX + 16];
	char *slash;

	if (!is_majmin(majmin))
		return false;
	snprintf(path, sizeof path, "%s/dev/block/%s", sysfs, majmin);
	if (!realpath(path, real))
		return false;
	if (strstr(real, "/usb"))
		return true;
	snprintf(flag, sizeof flag, "%s/removable", real);
	if (flag_set(flag))
		return true;
	slash = strrchr(real, '/');
	if (!slash)
		return false;
	*slash = '\0';
	snprintf(flag, sizeof flag, "%s/removable", real);
	return flag_set(flag);
}

void exchange_media_scan(const char *mountinfo, const char *sysfs, char ***dirs, int *n)
{
	char line[4096];
	FILE *f;

	*dirs = NULL;
	*n = 0;
	f = fopen(mountinfo, "r");
	if (!f)
		return;
	/* "36 35 8:17 / /media/user/STICK rw,... - vfat /dev/sdb1 rw": field 3 is the device,
	 * field 5 the mount point. */
	while (fgets(line, sizeof line, f)) {
		char *save = NULL, *dev = NULL, *mp = NULL;
		int field = 0;

		for (char *t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
			if (++field == 3)
				dev = t;
			if (field == 5) {
				mp = t;
				break;
			}
		}
		if (!mp || !dev)
			continue;
		unescape_mount(mp);
		if (strcmp(mp, "/") == 0)
			continue;
		/* udisks mounts removable media under /media/USER and /run/media/USER; a stick
		 * mounted by hand (under /mnt, say) is known by its device. */
		if (str_starts(mp, "/media/") || str_starts(mp, "/run/media/") || device_removable(sysfs, dev))
			add_dir(dirs, n, mp);
	}
	fclose(f);
	if (*n > 1)
		qsort(*dirs, (size_t)*n, sizeof **dirs, cmp_str);
}

void exchange_find_media(char ***dirs, int *n)
{
	const char *env = getenv("TIANBAO_MEDIA");

	*dirs = NULL;
	*n = 0;
	if (env) {
		char *copy = xstrdup(env), *save = NULL;

		for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save))
			add_dir(dirs, n, p);
		free(copy);
		return;
	}
	exchange_media_scan("/proc/self/mountinfo", "/sys", dirs, n);
}

void exchange_media_note(const char *dir, char *buf, size_t size)
{
	const char *name = strrchr(dir, '/');
	struct statvfs sv;

	name = name && name[1] ? name + 1 : dir;
	if (statvfs(dir, &sv) != 0) {
		snprintf(buf, size, "%s", name);
		return;
	}
	/* The folder udisks mounts a stick on is named after its label. */
	snprintf(buf, size, _("%s, %.1f GB free"), name,
		 (double)sv.f_bavail * (double)sv.f_frsize / (1024.0 * 1024.0 * 1024.0));
}

void exchange_free_list(char **list, int n)
{
	strlist_free(list, n);
}
