/* file.c - bounded reads, durable writes and private folders (see file.h). */
#define _GNU_SOURCE /* renameat2 */
#include "lib/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/err.h"

char *read_file(const char *path, size_t max_bytes, size_t *len, struct err *e)
{
	struct strbuf sb;
	char chunk[8192];
	ssize_t n;
	int fd;

	/* Non-blocking, so a pipe named like a file cannot hang us before the check below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		err_set(e, _("cannot open %s: %s"), path, strerror(errno));
		return NULL;
	}
	{
		struct stat sb0;

		if (fstat(fd, &sb0) != 0 || !S_ISREG(sb0.st_mode)) {
			err_set(e, _("%s is not a regular file"), path);
			close(fd);
			return NULL;
		}
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	}
	sb_init(&sb);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, _("cannot read %s: %s"), path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		if (sb.len + (size_t)n > max_bytes) {
			err_set(e, _("%s is too large (more than %zu bytes)"), path, max_bytes);
			goto fail;
		}
		sb_addn(&sb, chunk, (size_t)n);
	}
	close(fd);
	if (len)
		*len = sb.len;
	return sb_take(&sb);
fail:
	close(fd);
	sb_free(&sb);
	return NULL;
}

int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0, errsv;

	if (fd < 0)
		return -1;
	/* Some file systems cannot sync a folder at all; that is not a failed write. */
	if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP)
		rc = -1;
	errsv = errno;
	close(fd);
	errno = errsv;
	return rc;
}

/* The folder a path is in: "." for a bare name, "/" for a name in the root. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static void atomic_free(struct atomic_file *af)
{
	free(af->path);
	free(af->tmp);
	af->path = af->tmp = NULL;
	af->fd = -1;
}

int atomic_open(struct atomic_file *af, const char *path, const char *tmp, int flags)
{
	memset(af, 0, sizeof *af);
	af->fd = -1;
	af->flags = flags;
	af->failed = AS_CREATE;
	for (int n = 0; n < 100; n++) {
		int errsv;

		af->tmp = tmp ? xstrdup(tmp) : n ? xasprintf("%s.%ld.%d.tmp", path, (long)getpid(), n)
						 : xasprintf("%s.%ld.tmp", path, (long)getpid());
		af->fd = open(af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (af->fd >= 0)
			break;
		errsv = errno;
		free(af->tmp);
		af->tmp = NULL;
		if (errsv != EEXIST || tmp) {
			errno = errsv;
			return -1;
		}
	}
	if (af->fd < 0) {
		errno = EEXIST;
		return -1;
	}
	/* Held until the file is renamed or removed: whoever finds a locked .tmp knows its
	 * writer is alive (see exchange's sweep of stale ones). */
	if (flags & ATOMIC_LOCK)
		flock(af->fd, LOCK_EX | LOCK_NB);
	af->path = xstrdup(path);
	return 0;
}

void atomic_abort(struct atomic_file *af)
{
	if (af->fd >= 0)
		close(af->fd);
	if (af->tmp)
		unlink(af->tmp);
	atomic_free(af);
}

/* Renames tmp to final unless final exists. Returns 0, 1 when final exists, -1. */
static int rename_new(const char *tmp, const char *final)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno == EEXIST)
		return 1;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* A file system without RENAME_NOREPLACE: look first. */
	if (access(final, F_OK) == 0)
		return 1;
	return rename(tmp, final) == 0 ? 0 : -1;
}

static int commit_failed(struct atomic_file *af, enum atomic_step step)
{
	int errsv = errno;

	af->failed = step;
	atomic_abort(af);
	errno = errsv;
	return -1;
}

/* ATOMIC_TEST_NO_SYNC, honoured by the test build only (tests/cli/powerloss.sh). */
static bool skip_sync(const struct atomic_file *af)
{
#ifdef TIANBAO_TEST
	return (af->flags & ATOMIC_TEST_NO_SYNC) != 0;
#else
	(void)af;
	return false;
#endif
}

int atomic_commit(struct atomic_file *af)
{
	struct stat mine, named;
	char *dir;
	int rc, errsv;

	if (!skip_sync(af) && fsync(af->fd) != 0)
		return commit_failed(af, AS_SYNC);
	if (fstat(af->fd, &mine) != 0 || lstat(af->tmp, &named) != 0 || mine.st_dev != named.st_dev ||
	    mine.st_ino != named.st_ino) {
		/* Another file is at the temporary name now: not ours, so left alone. */
		af->failed = AS_CHANGED;
		close(af->fd);
		atomic_free(af);
		errno = EEXIST;
		return -1;
	}
	/* Renamed while still open, so a lock held on it never lapses while it is a .tmp. */
	if (af->flags & ATOMIC_NEW) {
		rc = rename_new(af->tmp, af->path);
		if (rc == 1) {
			atomic_abort(af);
			return 1;
		}
	} else {
		rc = rename(af->tmp, af->path);
	}
	if (rc != 0)
		return commit_failed(af, AS_RENAME);
	free(af->tmp);
	af->tmp = NULL;
	rc = close(af->fd);
	af->fd = -1;
	dir = dir_of(af->path);
	if (rc != 0 || sync_dir(dir) != 0) {
		/* The data or the rename may not last: take the file back. */
		errsv = errno;
		unlink(af->path);
		sync_dir(dir);
		free(dir);
		af->failed = rc != 0 ? AS_WRITE : AS_SYNC_DIR;
		atomic_free(af);
		errno = errsv;
		return -1;
	}
	free(dir);
	atomic_free(af);
	return 0;
}

char *private_dir(struct err *e)
{
	const char *base = getenv("TMPDIR");
	struct stat sb;
	char *dir;

	if (!base || base[0] != '/' || stat(base, &sb) != 0 || !S_ISDIR(sb.st_mode))
		base = "/tmp";
	dir = xasprintf("%s/tianbao-XXXXXX", base);
	if (!mkdtemp(dir)) {
		err_set(e, _("cannot make a temporary folder in %s: %s"), base, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

void private_dir_remove(char *dir)
{
	DIR *d;
	struct dirent *de;

	if (!dir)
		return;
	d = opendir(dir);
	if (d) {
		while ((de = readdir(d)) != NULL) {
			char *p;

			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			p = xasprintf("%s/%s", dir, de->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(dir);
	free(dir);
}

int atomic_write_text(const char *path, const char *text, int flags)
{
	struct atomic_file af;

	if (atomic_open(&af, path, NULL, flags) != 0)
		return -1;
	if (write_all(af.fd, text, strlen(text)) != 0) {
		int saved = errno;

		atomic_abort(&af);
		errno = saved;
		return -1;
	}
	return atomic_commit(&af);
}

int make_parent_dirs(const char *path, struct err *e)
{
	char buf[PATH_MAX];
	char *slash;

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		err_set(e, _("the folder name %s is too long"), path);
		return -1;
	}
	slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return 0;
	*slash = '\0';
	for (char *p = buf + 1;; p++) {
		if (*p && *p != '/')
			continue;
		{
			char c = *p;

			*p = '\0';
			if (mkdir(buf, 0700) != 0 && errno != EEXIST) {
				err_set(e, _("cannot make the folder %s: %s"), buf, strerror(errno));
				return -1;
			}
			*p = c;
		}
		if (!*p)
			break;
	}
	return 0;
}

static int remove_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void remove_tree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

bool disk_full(const char *path)
{
	struct statvfs st;
	char dir[PATH_MAX];
	const char *slash;

	if (statvfs(path, &st) != 0) {
		slash = strrchr(path, '/');
		if (!slash)
			snprintf(dir, sizeof dir, ".");
		else
			snprintf(dir, sizeof dir, "%.*s", (int)(slash - path) > 0 ? (int)(slash - path) : 1, path);
		if (statvfs(dir, &st) != 0)
			return false;
	}
	return st.f_bavail == 0;
}

int path_complete_dir(const char *typed, char **completed, struct strbuf *matches)
{
	const char *slash = strrchr(typed, '/');
	char *dir, *common = NULL;
	size_t base_len;
	const char *base;
	struct dirent *de;
	DIR *d;
	int n = 0, seen = 0;

	*completed = xstrdup(typed);
	if (!slash)
		return 0;
	dir = slash == typed ? xstrdup("/") : xstrndup(typed, (size_t)(slash - typed));
	base = slash + 1;
	base_len = strlen(base);
	d = opendir(dir);
	/* A folder of very many entries is read only so far: completion is a help. */
	while (d && (de = readdir(d)) != NULL && seen++ < 10000) {
		char *full;
		struct stat st;

		if (de->d_name[0] == '.' || strncmp(de->d_name, base, base_len) != 0)
			continue;
		full = xasprintf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir, de->d_name);
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (!common) {
				common = xstrdup(de->d_name);
			} else {
				size_t k = 0;

				while (common[k] && common[k] == de->d_name[k])
					k++;
				/* Never half a UTF-8 character. */
				while (k > 0 && ((unsigned char)common[k] & 0xC0) == 0x80)
					k--;
				common[k] = '\0';
			}
			if (matches && n < 20)
				sb_addf(matches, "%s%s", n ? "  " : "", de->d_name);
			n++;
		}
		free(full);
	}
	if (d)
		closedir(d);
	if (n > 0) {
		free(*completed);
		*completed = xasprintf("%.*s%s%s", (int)(base - typed), typed, common, n == 1 ? "/" : "");
	}
	free(common);
	free(dir);
	return n;
}
