/* config.c - where the form definitions are looked for (see config.h). */
#include "core/config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/file.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"

#ifndef DATADIR
#define DATADIR "/usr/local/share/tianbao"
#endif
#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

/* A form file is a few kilobytes; the copy refuses anything past this. */
#define FORMS_FILE_MAX (4u << 20)

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *config_user_forms_dir(void)
{
	static char path[PATH_MAX + 32];
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (xdg && *xdg == '/')
		snprintf(path, sizeof path, "%s/tianbao/forms", xdg);
	else
		snprintf(path, sizeof path, "%s/.config/tianbao/forms", home && *home ? home : ".");
	return path;
}

const char *config_system_forms_dir(void)
{
	static char path[PATH_MAX + 32];
	const char *hook = getenv("TIANBAO_SYSCONFDIR");

	snprintf(path, sizeof path, "%s/tianbao/forms", hook && *hook ? hook : SYSCONFDIR);
	return path;
}

const char *config_default_forms_dir(void)
{
	static char path[PATH_MAX + 32];
	const char *rel[] = { "/forms", "/../../forms" };

	for (size_t i = 0; i < ARRAY_LEN(rel); i++) {
		/* With a units.ini: build/test/forms, beside the test binary, holds objects. */
		char real[PATH_MAX];

		snprintf(path, sizeof path, "%s%s", i18n_exe_dir(), rel[i]);
		if (config_forms_dir_exists(path)) {
			/* Named without "build/test/../..", as --version shows it. */
			if (realpath(path, real))
				snprintf(path, sizeof path, "%s", real);
			return path;
		}
	}
	return DATADIR "/forms";
}

bool config_forms_dir_exists(const char *dir)
{
	char path[PATH_MAX + 32];
	struct stat st;

	if (!is_dir(dir))
		return false;
	if (snprintf(path, sizeof path, "%s/units.ini", dir) >= (int)sizeof path)
		return false;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *config_find_forms_dir(enum forms_source *source)
{
	if (config_forms_dir_exists(config_user_forms_dir())) {
		*source = FORMS_USER;
		return config_user_forms_dir();
	}
	if (config_forms_dir_exists(config_system_forms_dir())) {
		*source = FORMS_SYSTEM;
		return config_system_forms_dir();
	}
	*source = FORMS_DEFAULTS;
	return config_default_forms_dir();
}

const char *forms_source_word(enum forms_source source)
{
	switch (source) {
	case FORMS_OPTION:
		return _("given by --forms");
	case FORMS_ENV:
		return _("given by $TIANBAO_FORMS");
	case FORMS_USER:
		return _("this user's configuration");
	case FORMS_SYSTEM:
		return _("this computer's configuration");
	case FORMS_DEFAULTS:
		break;
	}
	return _("the defaults that come with tianbao");
}

static int copy_one(const char *from, const char *to, struct err *e)
{
	size_t len;
	char *data = read_file(from, FORMS_FILE_MAX, &len, e);
	int fd;

	if (!data)
		return -1;
	fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		err_set(e, _("cannot write %s: %s"), to, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(data);
		return -1;
	}
	free(data);
	if (close(fd) != 0) {
		err_set(e, _("cannot write %s: %s"), to, strerror(errno));
		return -1;
	}
	return 0;
}

int config_copy_forms_dir(const char *from, const char *to, struct err *e)
{
	char *tmp, *parent, *slash;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (make_parent_dirs(to, e) != 0)
		return -1;
	tmp = xasprintf("%s.%ld.tmp", to, (long)getpid());
	private_dir_remove(xstrdup(tmp));   /* one left by this process id before, killed half-way */
	if (mkdir(tmp, 0755) != 0) {
		err_set(e, _("cannot make the folder %s: %s"), tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	d = opendir(from);
	if (!d) {
		err_set(e, _("cannot open the forms folder %s: %s"), from, strerror(errno));
		rc = -1;
	}
	while (rc == 0 && (de = readdir(d))) {
		char *src, *dst;

		if (de->d_name[0] == '.' || !str_ends(de->d_name, ".ini"))
			continue;
		src = xasprintf("%s/%s", from, de->d_name);
		dst = xasprintf("%s/%s", tmp, de->d_name);
		rc = copy_one(src, dst, e);
		free(src);
		free(dst);
	}
	if (d)
		closedir(d);
	if (rc == 0 && sync_dir(tmp) != 0) {
		err_set(e, _("cannot write %s: %s"), tmp, strerror(errno));
		rc = -1;
	}
	/* An empty folder at the name (made by hand) is replaced; one with files is not. */
	if (rc == 0 && rename(tmp, to) != 0) {
		if (errno == ENOTEMPTY || errno == EEXIST)
			err_set(e, _("the folder %s has files but no units.ini: move them away or put a units.ini in it, then try again"), to);
		else
			err_set(e, _("cannot make the folder %s: %s"), to, strerror(errno));
		rc = -1;
	}
	if (rc != 0) {
		private_dir_remove(xstrdup(tmp));
		free(tmp);
		return -1;
	}
	free(tmp);
	parent = xstrdup(to);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';
	if (sync_dir(parent) != 0) {
		err_set(e, _("cannot write %s: %s"), parent, strerror(errno));
		rc = -1;
	}
	free(parent);
	return rc;
}
