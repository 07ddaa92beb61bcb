/* media.c - where USB sticks are mounted (see media.h). */
#include "core/media.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/mem.h"
#include "lib/str.h"
#include "lib/strlist.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Mount points in /proc/self/mountinfo escape spaces and the like as \040. */
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

void exchange_find_media(char ***dirs, int *n)
{
	const char *env = getenv("TIANBAO_MEDIA");
	char line[4096];
	FILE *f;

	*dirs = NULL;
	*n = 0;
	if (env) {
		char *copy = xstrdup(env), *save = NULL;

		for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save))
			add_dir(dirs, n, p);
		free(copy);
		return;
	}
	f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return;
	/* "36 35 98:0 / /media/user/STICK rw,... - vfat /dev/sdb1 rw": field 5 is the mount point. */
	while (fgets(line, sizeof line, f)) {
		char *save = NULL, *mp = NULL;
		int field = 0;

		for (char *t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save))
			if (++field == 5) {
				mp = t;
				break;
			}
		if (!mp)
			continue;
		unescape_mount(mp);
		if (str_starts(mp, "/media/") || str_starts(mp, "/run/media/") || str_starts(mp, "/mnt/") ||
		    strcmp(mp, "/mnt") == 0)
			add_dir(dirs, n, mp);
	}
	fclose(f);
	qsort(*dirs, (size_t)*n, sizeof **dirs, cmp_str);
}

void exchange_free_list(char **list, int n)
{
	strlist_free(list, n);
}
