/* save.c - a report written to a file, durably (see save.h). */
#include "report/save.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "report/xlsx.h"

/* What is at an output path when it is not a regular file, in words; NULL when nothing
 * is there or a regular file is. A device, a fifo, a folder or a symbolic link is never
 * replaced: renaming a report over /dev/full as root would swap the device for a file,
 * and over a symbolic link would drop the link. */
static const char *not_a_file(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0 || S_ISREG(st.st_mode))
		return NULL;
	if (S_ISLNK(st.st_mode))
		return _("a symbolic link");
	if (S_ISDIR(st.st_mode))
		return _("a folder");
	if (S_ISFIFO(st.st_mode))
		return _("a named pipe (fifo)");
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		return _("a device");
	return _("a special file");
}

static int check_target(const char *path, struct err *e)
{
	const char *what = not_a_file(path);

	if (!what)
		return 0;
	err_set(e, _("will not write %s: it is %s, not a regular file; --out writes only a new file or replaces a regular one"),
		path, what);
	return -1;
}

/* A report is an atomic file (lib/file.h): a report cut short never replaces a good one.
 * What is at the final name is checked before and again at the end: only a new file or
 * a regular one is ever replaced. */
static int out_open(const char *path, struct atomic_file *o, struct err *e)
{
	if (check_target(path, e) != 0)
		return -1;
	if (atomic_open(o, path, NULL, ATOMIC_REPLACE) != 0) {
		err_set(e, _("cannot write %s: %s"), path, strerror(errno));
		return -1;
	}
	return 0;
}

static int out_commit(struct atomic_file *o, const char *path, struct err *e)
{
	char *tmp;
	int rc;

	if (check_target(path, e) != 0) {
		atomic_abort(o);
		return -1;
	}
	tmp = xstrdup(o->tmp);
	rc = atomic_commit(o);
	if (rc != 0 && o->failed == AS_CHANGED)
		err_set(e, _("cannot write %s: its temporary file %s was replaced while the report was written"), path, tmp);
	else if (rc != 0)
		err_set(e, _("cannot write %s: %s"), path, strerror(errno));
	free(tmp);
	return rc == 0 ? 0 : -1;
}

/* The folder of an output file must exist and take files, and the name must not be a
 * device, a fifo, a folder or a link: said before any work, and before libxlsxwriter
 * would say it in its own words. */
int report_save_check(const char *path, struct err *e)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int rc = 0;

	if (!slash)
		snprintf(dir, strlen(dir) + 1, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (access(dir, W_OK | X_OK) != 0) {
		err_set(e, _("cannot write %s: %s: %s"), path, dir, strerror(errno));
		rc = -1;
	} else {
		rc = check_target(path, e);
	}
	free(dir);
	return rc;
}

int report_save_text(const char *path, const struct strbuf *sb, struct err *e)
{
	struct atomic_file o;

	if (!path || strcmp(path, "-") == 0) {
		if (fwrite(sb_str(sb), 1, sb->len, stdout) != sb->len || fflush(stdout) != 0) {
			err_set(e, "%s", _("could not write the output"));
			return -1;
		}
		return 0;
	}
	if (out_open(path, &o, e) != 0)
		return -1;
	if (write_all(o.fd, sb_str(sb), sb->len) != 0) {
		err_set(e, _("cannot write %s: %s"), path, strerror(errno));
		atomic_abort(&o);
		return -1;
	}
	return out_commit(&o, path, e);
}

int report_save_xlsx(const struct report *r, const char *path, struct err *e)
{
	struct atomic_file o;
	char self[64];

	if (out_open(path, &o, e) != 0)
		return -1;
	/* libxlsxwriter opens the file it writes by name. It is given the file just created
	 * through /proc, so a name swapped meanwhile is never written through; the name only
	 * where there is no /proc. */
	snprintf(self, sizeof self, "/proc/self/fd/%d", o.fd);
	if (report_write_xlsx(r, access(self, W_OK) == 0 ? self : o.tmp, path, e) != 0) {
		atomic_abort(&o);
		return -1;
	}
	return out_commit(&o, path, e);
}
