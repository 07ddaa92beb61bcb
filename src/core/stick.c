/* stick.c - files on and off USB sticks (see stick.h). */
#include "core/stick.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/file.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/text.h"

void stick_write_failed(const struct stick_kind *k, struct err *e, const char *dir, const char *what, int errnum)
{
	const char *the = _(k->the_file), *redo = _(k->redo);

	switch (errnum) {
	case ENOSPC:
	case EDQUOT:
		err_set(e, _("%s: the disk is full, so %s was not written (nothing was left there). Free some space on it or use another stick, then %s again."),
			dir, the, redo);
		break;
	case EROFS:
		err_set(e, _("%s: the disk is read-only, so %s was not written. Unlock the stick (its write-protect switch) or use another one, then %s again."),
			dir, the, redo);
		break;
	case EACCES:
	case EPERM:
		err_set(e, _("%s: no permission to write there, so %s was not written. Choose another folder with --out."), dir,
			the);
		break;
	case ENOENT:
	case ENOTDIR:
		err_set(e, _("%s: there is no such folder, so %s was not written. Check the path given with --out (is the stick plugged in?)."),
			dir, the);
		break;
	default:
		err_set(e, _("%s: cannot %s: %s. %s was not written (nothing was left there); check the stick and %s again."),
			dir, what, strerror(errnum), the, redo);
		break;
	}
}

int stick_copy_in(const struct stick_kind *k, const char *src, const char *name, const char *dst, size_t max,
		  bool no_follow, enum stick_copy_fault *fault, struct err *e)
{
	char buf[65536];
	struct stat sb;
	size_t total = 0;
	int in, out = -1;

	*fault = SC_UNREADABLE;
	in = open(src, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (no_follow ? O_NOFOLLOW : 0));
	if (in < 0 && no_follow && errno == ELOOP) {
		err_set(e, _("%s: refused: this is a symbolic link, not a file; copy the file itself onto the stick"), name);
		return -1;
	}
	if (in < 0 || fstat(in, &sb) != 0) {
		err_set(e, _("%s: cannot read it: %s"), name, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		err_set(e, _("%s: refused: this is not a file (a folder, a device or a pipe), so it is not %s; give the file itself"), name, _(k->a_file));
		goto fail;
	}
	if ((uint64_t)sb.st_size > max) {
		err_set(e, _("%s: refused: it is %lld bytes, larger than any %s (at most %zu bytes); check that it is the right file"), name,
			(long long)sb.st_size, _(k->any_file), max);
		goto fail;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (out < 0) {
		*fault = SC_LOCAL;
		err_set(e, _("cannot make a temporary copy %s: %s"), dst, strerror(errno));
		goto fail;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);

		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			err_set(e, _("%s: cannot read it: %s (is the stick still plugged in?)"), name, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max) {
			err_set(e, _("%s: refused: it is larger than any %s (at most %zu bytes); check that it is the right file"), name, _(k->any_file), max);
			goto fail;
		}
		if (write_all(out, buf, (size_t)n) != 0) {
			*fault = SC_LOCAL;
			err_set(e, _("cannot make a temporary copy %s: %s"), dst, strerror(errno));
			goto fail;
		}
	}
	close(in);
	if (close(out) != 0) {
		*fault = SC_LOCAL;
		err_set(e, _("cannot make a temporary copy %s: %s"), dst, strerror(errno));
		unlink(dst);
		return -1;
	}
	return 0;
fail:
	if (in >= 0)
		close(in);
	if (out >= 0) {
		close(out);
		unlink(dst);
	}
	return -1;
}

const char *stick_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void stick_sweep_stale(const struct stick_kind *k, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	time_t now = time(NULL);
	char *suffix = xasprintf("%s.tmp", k->ext);

	if (!d) {
		free(suffix);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat sb;
		char *p;
		int fd;

		if (!str_starts(de->d_name, ".tianbao-") || !str_ends(de->d_name, suffix))
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_mtime + 5 < now &&
		    flock(fd, LOCK_EX | LOCK_NB) == 0)
			unlink(p);
		if (fd >= 0)
			close(fd);
		free(p);
	}
	closedir(d);
	free(suffix);
}

int stick_write(const struct stick_kind *k, const char *src, const char *dir, const char *name, char **final_out,
		struct err *e)
{
	static const char *const steps[] = {
		[AS_CREATE] = N_("create a file"), [AS_WRITE] = N_("write"), [AS_SYNC] = N_("write the file out to the disk"),
		[AS_CHANGED] = N_("rename the finished file"), [AS_RENAME] = N_("rename the finished file"),
		[AS_SYNC_DIR] = N_("write the folder out to the disk"),
	};
	char buf[65536];
	char *tmp = xasprintf("%s/.%s.tmp", dir, name);
	char *final = xasprintf("%s/%s", dir, name);
	struct atomic_file af;
	int in = -1, rc, flags = ATOMIC_NEW | ATOMIC_LOCK;

#ifdef TIANBAO_TEST
	/* The test build only: an export without its fsync, which tests/cli/powerloss.sh
	 * must catch. */
	if (getenv("TIANBAO_TEST_NO_FSYNC"))
		flags |= ATOMIC_TEST_NO_SYNC;
#endif
	rc = atomic_open(&af, final, tmp, flags);
	free(tmp);
	if (rc != 0) {
		if (errno == EEXIST) {
			free(final);
			return 1;
		}
		stick_write_failed(k, e, dir, _(steps[AS_CREATE]), errno);
		free(final);
		return -1;
	}
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		err_set(e, _("cannot read the temporary file %s: %s"), src, strerror(errno));
		goto fail;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, _("cannot read the temporary file %s: %s"), src, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		if (write_all(af.fd, buf, (size_t)n) != 0) {
			stick_write_failed(k, e, dir, _(steps[AS_WRITE]), errno);
			goto fail;
		}
	}
	close(in);
	rc = atomic_commit(&af);
	if (rc == 1) {
		free(final);
		return 1;
	}
	if (rc != 0) {
		stick_write_failed(k, e, dir, _(steps[af.failed]), errno);
		free(final);
		return -1;
	}
	*final_out = final;
	return 0;
fail:
	if (in >= 0)
		close(in);
	atomic_abort(&af);
	free(final);
	return -1;
}

void stick_forget_cached(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *stick_skip_reason(const struct stick_kind *k, const char *path)
{
	char *name = text_sanitize(path), *msg;
	struct stat st;
	const struct stat *sb = &st;

	if (lstat(path, &st) != 0)
		msg = xasprintf(_("%s: skipped: %s"), name, strerror(errno));
	else if (S_ISREG(sb->st_mode))
		msg = xasprintf(_("%s: skipped: it changed while the folder was read; try again"), name);
	else if (S_ISLNK(sb->st_mode))
		msg = xasprintf(_("%s: skipped: it is a symbolic link, not %s; copy the file itself into the folder"), name,
				_(k->a_file));
	else if (S_ISDIR(sb->st_mode))
		msg = xasprintf(_("%s: skipped: it is a folder, not %s"), name, _(k->a_file));
	else
		msg = xasprintf(_("%s: skipped: it is a pipe or a device, not %s; it was not opened"), name, _(k->a_file));
	free(name);
	return msg;
}

int stick_list(const struct stick_kind *k, const char *dir, char ***files, int *n, char ***skipped, int *nskipped,
	       struct err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	*files = NULL;
	*n = 0;
	if (skipped) {
		*skipped = NULL;
		*nskipped = 0;
	}
	if (!d) {
		char *name = text_sanitize(dir);

		err_set(e, _("%s: cannot read the folder: %s"), name, strerror(errno));
		free(name);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat sb;
		char *p;

		if (de->d_name[0] == '.' || !str_ends(de->d_name, k->ext))
			continue;
		p = xasprintf("%s%s%s", dir, str_ends(dir, "/") ? "" : "/", de->d_name);
		if (lstat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			if (skipped) {
				*skipped = xreallocarray(*skipped, (size_t)*nskipped + 1, sizeof **skipped);
				(*skipped)[(*nskipped)++] = p;
			} else {
				free(p);
			}
			continue;
		}
		*files = xreallocarray(*files, (size_t)*n + 1, sizeof **files);
		(*files)[(*n)++] = p;
	}
	closedir(d);
	if (*n > 1)
		qsort(*files, (size_t)*n, sizeof **files, cmp_str);
	if (skipped && *nskipped > 1)
		qsort(*skipped, (size_t)*nskipped, sizeof **skipped, cmp_str);
	return 0;
}
