/* bundle.c - the files a self-contained tianbao carries with it (see bundle.h). */
#include "lib/bundle.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/i18n.h"

#ifndef DATADIR
#define DATADIR "/usr/local/share/tianbao"
#endif

/* Where ncurses looks when TERMINFO_DIRS is not set (Debian's build of it). */
#define SYSTEM_TERMINFO_DIRS "/etc/terminfo:/lib/terminfo:/usr/share/terminfo"

const char *bundle_find(const char *name)
{
	static char path[PATH_MAX + 64];
	const char *bases[] = { i18n_exe_dir(), DATADIR };
	struct stat st;

	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		if (snprintf(path, sizeof path, "%s/%s", bases[i], name) >= (int)sizeof path)
			continue;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return path;
	}
	return NULL;
}

void bundle_use_terminfo(void)
{
	const char *ours = bundle_find("terminfo");
	const char *dirs = getenv("TERMINFO_DIRS");
	char value[2 * PATH_MAX + 128];

	if (!ours || getenv("TERMINFO") || (dirs && strstr(dirs, ours)))
		return;
	snprintf(value, sizeof value, "%s:%s", dirs && *dirs ? dirs : SYSTEM_TERMINFO_DIRS, ours);
	setenv("TERMINFO_DIRS", value, 1);
}

bool bundle_use_c_utf8(void)
{
	const char *ours = bundle_find("C.utf8");
	const char *old = getenv("LOCPATH");
	char dir[PATH_MAX + 64], saved[PATH_MAX + 64] = "";
	char *slash;
	bool ok;

	if (!ours)
		return false;
	/* LOCPATH names the folder that holds C.utf8/; only for these calls, so that
	 * nothing tianbao starts inherits it. */
	snprintf(dir, sizeof dir, "%s", ours);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (old)
		snprintf(saved, sizeof saved, "%s", old);
	setenv("LOCPATH", dir, 1);
	ok = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
	if (ok)
		setlocale(LC_MESSAGES, "C.UTF-8");
	if (old)
		setenv("LOCPATH", saved, 1);
	else
		unsetenv("LOCPATH");
	return ok;
}
