/* powercut.so - an LD_PRELOAD shim for the power-loss and I/O-fault tests
 * (tests/cli/powerloss.sh, tests/cli/iofault.sh). Built as a shared library, not linked
 * with the program: build/test/tools/powercut.so.
 *
 * It watches the files directly inside the folders of POWERCUT_DIRS (absolute paths,
 * ':'-separated) and keeps, in POWERCUT_IMAGE (a folder it creates on first use and that
 * every later process of one run shares), what a disk would still hold after a power cut:
 *
 *   - a file's data lasts once the file is fsync'ed or fdatasync'ed: its content at that
 *     moment; data written after the last sync is lost (nothing partial is kept);
 *   - a folder's entries (a created, renamed or removed name) last once the folder itself
 *     is fsync'ed; until then the folder as it was last synced comes back;
 *   - a file that was never synced comes back empty if its name lasted;
 *   - what the folders held when the run began lasts.
 *
 * Every write(), pwrite(), writev(), ftruncate(), fsync(), fdatasync() on a watched file or
 * folder, and every creating open(), rename() and unlink() of a name in a watched folder
 * is one event, counted over all processes of the run (in the image). Then:
 *
 *   POWERCUT_CUT=K       at event K (before doing it) the power is cut: the watched folders
 *                        are rewritten as only what lasted, and the process gets SIGKILL.
 *   POWERCUT_FAULT=EIO|ENOSPC, POWERCUT_FAULT_AT=K
 *                        from event K on, each write, sync, truncate, creating open and
 *                        rename fails with that error (a full disk stays full, and
 *                        statvfs and fstatvfs then say it has no free blocks);
 *                        POWERCUT_FAULT_ONCE=1: only event K fails.
 *   POWERCUT_LOG=FILE    one line per event: "N op name" (to see what a cut point is).
 *
 * The number of events so far is in POWERCUT_IMAGE/count after each process.
 * Not thread-safe (tianbao is single-threaded); the program's own stdio is not watched.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_DIRS 8
#define MAX_FILES 4096

struct wdir {
	char path[PATH_MAX];
	dev_t dev;
	ino_t ino;
};

/* A file as the disk knows it: the inode it is now, and the generation its lasting
 * content is kept under (image/c/GEN). */
struct wfile {
	dev_t dev;
	ino_t ino;
	long gen;
};

/* A lasting folder entry. */
struct wname {
	int dir;
	long gen;
	char name[256];
};

static struct wdir dirs[MAX_DIRS];
static int ndirs;
static struct wfile files[MAX_FILES];
static int nfiles;
static struct wname names[MAX_FILES];
static int nnames;
static long counter, maxgen, cut_at, fault_at;
static int fault_errno;
static bool fault_once, active, inside;
static char image[PATH_MAX];

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off64_t);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_renameat2)(int, const char *, int, const char *, unsigned);
static int (*real_unlink)(const char *);
static int (*real_unlinkat)(int, const char *, int);

static void resolve(void)
{
	if (real_write)
		return;
#define R(n) real_##n = (__typeof__(real_##n))dlsym(RTLD_NEXT, #n)
	R(write);
	R(pwrite);
	R(pwrite64);
	R(writev);
	R(fsync);
	R(fdatasync);
	R(ftruncate);
	R(ftruncate64);
	R(open);
	R(open64);
	R(openat);
	R(openat64);
	R(rename);
	R(renameat);
	R(renameat2);
	R(unlink);
	R(unlinkat);
#undef R
}

/* ---- small file helpers (the real calls only) ---------------------------------------- */

static void die(const char *what)
{
	char msg[600];
	int n = snprintf(msg, sizeof msg, "powercut: %s: %s\n", what, strerror(errno));

	real_write(2, msg, (size_t)n);
	_exit(99);
}

static void put_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = real_write(fd, buf, n);

		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			die("writing the image");
		}
		buf += w;
		n -= (size_t)w;
	}
}

/* Copies what fd (or path, when fd < 0) holds now into dst, replacing it. */
static void copy_to(int fd, const char *path, const char *dst)
{
	char proc[64], buf[65536], tmp[PATH_MAX + 8];
	int in, out;
	ssize_t n;

	if (fd >= 0) {
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
		path = proc;
	}
	in = real_open(path, O_RDONLY | O_CLOEXEC);
	snprintf(tmp, sizeof tmp, "%s.tmp", dst);
	out = real_open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0)
		die(tmp);
	if (in >= 0) {
		while ((n = pread(in, buf, sizeof buf, lseek(out, 0, SEEK_CUR))) > 0)
			put_all(out, buf, (size_t)n);
		close(in);
	}
	close(out);
	if (real_rename(tmp, dst) != 0)
		die(dst);
}

static void content_path(long gen, char *out, size_t size)
{
	snprintf(out, size, "%s/c/%ld", image, gen);
}

/* ---- the image's state: image/state --------------------------------------------------- */

static void save_state(void)
{
	char path[PATH_MAX + 16], tmp[PATH_MAX + 16], line[400];
	int fd, n;

	snprintf(path, sizeof path, "%s/state", image);
	snprintf(tmp, sizeof tmp, "%s/state.tmp", image);
	fd = real_open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(tmp);
	n = snprintf(line, sizeof line, "%ld %ld\n", counter, maxgen);
	put_all(fd, line, (size_t)n);
	for (int i = 0; i < nfiles; i++) {
		n = snprintf(line, sizeof line, "f %lu %lu %ld\n", (unsigned long)files[i].dev, (unsigned long)files[i].ino,
			     files[i].gen);
		put_all(fd, line, (size_t)n);
	}
	for (int i = 0; i < nnames; i++) {
		n = snprintf(line, sizeof line, "n %d %ld %s\n", names[i].dir, names[i].gen, names[i].name);
		put_all(fd, line, (size_t)n);
	}
	close(fd);
	if (real_rename(tmp, path) != 0)
		die(path);
	snprintf(path, sizeof path, "%s/count", image);
	fd = real_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		n = snprintf(line, sizeof line, "%ld\n", counter);
		put_all(fd, line, (size_t)n);
		close(fd);
	}
}

static bool load_state(void)
{
	char path[PATH_MAX + 16], line[400];
	FILE *f;

	snprintf(path, sizeof path, "%s/state", image);
	if (!(f = fopen(path, "r")))
		return false;
	if (!fgets(line, sizeof line, f) || sscanf(line, "%ld %ld", &counter, &maxgen) != 2)
		die("image/state");
	while (fgets(line, sizeof line, f)) {
		unsigned long dev, ino;
		int off = 0;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == 'f' && nfiles < MAX_FILES &&
		    sscanf(line, "f %lu %lu %ld", &dev, &ino, &files[nfiles].gen) == 3) {
			files[nfiles].dev = (dev_t)dev;
			files[nfiles].ino = (ino_t)ino;
			nfiles++;
		} else if (line[0] == 'n' && nnames < MAX_FILES &&
			   sscanf(line, "n %d %ld %n", &names[nnames].dir, &names[nnames].gen, &off) == 2 && off > 0) {
			snprintf(names[nnames].name, sizeof names[nnames].name, "%s", line + off);
			nnames++;
		}
	}
	fclose(f);
	return true;
}

static struct wfile *file_of(dev_t dev, ino_t ino)
{
	for (int i = 0; i < nfiles; i++)
		if (files[i].dev == dev && files[i].ino == ino)
			return &files[i];
	return NULL;
}

/* A new generation for an inode (a new file, or one whose inode number was reused). */
static struct wfile *new_file(dev_t dev, ino_t ino, int fd, const char *path)
{
	struct wfile *w = file_of(dev, ino);
	char cp[PATH_MAX + 32];

	if (!w) {
		if (nfiles == MAX_FILES)
			die("too many files");
		w = &files[nfiles++];
		w->dev = dev;
		w->ino = ino;
	}
	w->gen = ++maxgen;
	content_path(w->gen, cp, sizeof cp);
	if (fd >= 0 || path)
		copy_to(fd, path, cp);
	else
		copy_to(-1, "/dev/null", cp);
	return w;
}

static int dir_index(dev_t dev, ino_t ino)
{
	for (int i = 0; i < ndirs; i++)
		if (dirs[i].dev == dev && dirs[i].ino == ino)
			return i;
	return -1;
}

/* The folder's entries as they are now become the lasting ones (its fsync), or, at the
 * start (baseline), with their content. */
static void take_names(int d, bool baseline)
{
	DIR *dp = opendir(dirs[d].path);
	struct dirent *de;
	int keep = 0;

	if (!dp)
		die(dirs[d].path);
	for (int i = 0; i < nnames; i++)
		if (names[i].dir != d)
			names[keep++] = names[i];
	nnames = keep;
	while ((de = readdir(dp)) != NULL) {
		char p[PATH_MAX + 300];
		struct stat sb;
		struct wfile *w;

		snprintf(p, sizeof p, "%s/%s", dirs[d].path, de->d_name);
		if (lstat(p, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		w = file_of(sb.st_dev, sb.st_ino);
		if (!w)
			w = new_file(sb.st_dev, sb.st_ino, -1, baseline ? p : NULL);
		if (nnames == MAX_FILES)
			die("too many names");
		names[nnames].dir = d;
		names[nnames].gen = w->gen;
		snprintf(names[nnames].name, sizeof names[nnames].name, "%s", de->d_name);
		nnames++;
	}
	closedir(dp);
}

__attribute__((constructor)) static void powercut_init(void)
{
	const char *list = getenv("POWERCUT_DIRS"), *img = getenv("POWERCUT_IMAGE"), *v;
	char buf[PATH_MAX * 2];
	char *save = NULL, *tok;

	resolve();
	if (!list || !img || !*img)
		return;
	inside = true;
	snprintf(image, sizeof image, "%s", img);
	snprintf(buf, sizeof buf, "%s", list);
	for (tok = strtok_r(buf, ":", &save); tok && ndirs < MAX_DIRS; tok = strtok_r(NULL, ":", &save)) {
		struct stat sb;

		if (stat(tok, &sb) != 0 || !S_ISDIR(sb.st_mode))
			die(tok);
		snprintf(dirs[ndirs].path, sizeof dirs[ndirs].path, "%s", tok);
		dirs[ndirs].dev = sb.st_dev;
		dirs[ndirs].ino = sb.st_ino;
		ndirs++;
	}
	if (!load_state()) {
		char c[PATH_MAX + 4];

		if (mkdir(image, 0755) != 0 && errno != EEXIST)
			die(image);
		snprintf(c, sizeof c, "%s/c", image);
		if (mkdir(c, 0755) != 0 && errno != EEXIST)
			die(c);
		for (int d = 0; d < ndirs; d++)
			take_names(d, true);
		save_state();
	}
	if ((v = getenv("POWERCUT_CUT")) && *v)
		cut_at = atol(v);
	if ((v = getenv("POWERCUT_FAULT")) && *v) {
		fault_errno = strcmp(v, "ENOSPC") == 0 ? ENOSPC : strcmp(v, "EIO") == 0 ? EIO : 0;
		if (!fault_errno) {
			errno = EINVAL;
			die("POWERCUT_FAULT is EIO or ENOSPC");
		}
		v = getenv("POWERCUT_FAULT_AT");
		fault_at = v && *v ? atol(v) : 1;
		fault_once = getenv("POWERCUT_FAULT_ONCE") != NULL;
	}
	active = true;
	inside = false;
}

/* ---- the cut ------------------------------------------------------------------------ */

static bool lasting_name(int d, const char *name)
{
	for (int i = 0; i < nnames; i++)
		if (names[i].dir == d && strcmp(names[i].name, name) == 0)
			return true;
	return false;
}

static void cut_power(void)
{
	for (int d = 0; d < ndirs; d++) {
		DIR *dp = opendir(dirs[d].path);
		struct dirent *de;

		if (!dp)
			die(dirs[d].path);
		while ((de = readdir(dp)) != NULL) {
			char p[PATH_MAX + 300];
			struct stat sb;

			snprintf(p, sizeof p, "%s/%s", dirs[d].path, de->d_name);
			if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode) && !lasting_name(d, de->d_name))
				real_unlink(p);
		}
		closedir(dp);
	}
	for (int i = 0; i < nnames; i++) {
		char src[PATH_MAX + 32], dst[PATH_MAX + 300], buf[65536];
		int in, out;
		ssize_t n;

		content_path(names[i].gen, src, sizeof src);
		snprintf(dst, sizeof dst, "%s/%s", dirs[names[i].dir].path, names[i].name);
		/* Rewritten in place where the name is there (tianbao knows its database by
		 * its inode: a new one would look like a copy). */
		out = real_open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (out < 0)
			die(dst);
		in = real_open(src, O_RDONLY | O_CLOEXEC);
		if (in >= 0) {
			while ((n = read(in, buf, sizeof buf)) > 0)
				put_all(out, buf, (size_t)n);
			close(in);
		}
		close(out);
	}
	save_state();
	kill(getpid(), SIGKILL);
	_exit(137);
}

/* ---- events ------------------------------------------------------------------------- */

enum kind { K_DATA, K_SYNC, K_NAME, K_UNLINK };

/* Counts an event; cuts the power or fails it when its number comes. Returns 0 to go on,
 * -1 with errno set to fail the call. */
static int event(enum kind k, const char *op, const char *what)
{
	const char *log = getenv("POWERCUT_LOG");

	counter++;
	if (log && *log) {
		char line[600];
		int fd = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		int n = snprintf(line, sizeof line, "%ld %s %s\n", counter, op, what);

		if (fd >= 0) {
			put_all(fd, line, (size_t)n);
			close(fd);
		}
	}
	if (cut_at > 0 && counter == cut_at)
		cut_power();
	save_state();
	if (fault_errno && k != K_UNLINK && counter >= fault_at && (!fault_once || counter == fault_at)) {
		errno = fault_errno;
		return -1;
	}
	return 0;
}

/* The watched file or folder behind fd: 1 file, 2 folder, 0 neither. */
static int watched_fd(int fd, struct wfile **wf, int *d)
{
	struct stat sb;

	if (!active || inside || fstat(fd, &sb) != 0)
		return 0;
	if (S_ISREG(sb.st_mode) && (*wf = file_of(sb.st_dev, sb.st_ino)) != NULL)
		return 1;
	if (S_ISDIR(sb.st_mode) && (*d = dir_index(sb.st_dev, sb.st_ino)) >= 0)
		return 2;
	return 0;
}

/* The watched folder a path's name is in, or -1. */
static int watched_name(int dirfd, const char *path)
{
	char dir[PATH_MAX];
	const char *slash;
	struct stat sb;
	int rc;

	if (!active || inside || !path)
		return -1;
	slash = strrchr(path, '/');
	if (!slash) {
		snprintf(dir, sizeof dir, ".");
	} else if (slash == path) {
		snprintf(dir, sizeof dir, "/");
	} else {
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	}
	rc = dirfd == AT_FDCWD || path[0] == '/' ? stat(dir, &sb) : fstatat(dirfd, dir, &sb, 0);
	if (rc != 0)
		return -1;
	return dir_index(sb.st_dev, sb.st_ino);
}

static const char *base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;

	return s ? s + 1 : p ? p : "?";
}

static int data_event(int fd, const char *op)
{
	struct wfile *w = NULL;
	int d = -1;

	if (watched_fd(fd, &w, &d) != 1)
		return 0;
	{
		char what[64];

		snprintf(what, sizeof what, "gen%ld", w->gen);
		return event(K_DATA, op, what);
	}
}

ssize_t write(int fd, const void *buf, size_t n)
{
	resolve();
	if (data_event(fd, "write") != 0)
		return -1;
	return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	resolve();
	if (data_event(fd, "pwrite") != 0)
		return -1;
	return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	resolve();
	if (data_event(fd, "pwrite") != 0)
		return -1;
	return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	resolve();
	if (data_event(fd, "writev") != 0)
		return -1;
	return real_writev(fd, iov, n);
}

int ftruncate(int fd, off_t len)
{
	resolve();
	if (data_event(fd, "ftruncate") != 0)
		return -1;
	return real_ftruncate(fd, len);
}

int ftruncate64(int fd, off64_t len)
{
	resolve();
	if (data_event(fd, "ftruncate") != 0)
		return -1;
	return real_ftruncate64(fd, len);
}

static int sync_common(int fd, int (*real)(int), const char *op)
{
	struct wfile *w = NULL;
	int d = -1, kind = watched_fd(fd, &w, &d), rc;

	if (kind == 0)
		return real(fd);
	if (event(K_SYNC, op, kind == 1 ? "file" : dirs[d].path) != 0)
		return -1;
	rc = real(fd);
	if (rc == 0) {
		char cp[PATH_MAX + 32];

		inside = true;
		if (kind == 1) {
			content_path(w->gen, cp, sizeof cp);
			copy_to(fd, NULL, cp);
		} else {
			take_names(d, false);
		}
		save_state();
		inside = false;
	}
	return rc;
}

/* A full disk says so to statvfs too, once ENOSPC has begun (not for a single fault). */
static void fake_full(struct statvfs *st)
{
	if (fault_errno == ENOSPC && !fault_once && counter >= fault_at)
		st->f_bavail = st->f_bfree = 0;
}

int statvfs(const char *path, struct statvfs *st)
{
	static int (*real)(const char *, struct statvfs *);
	int rc;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "statvfs");
	rc = real(path, st);
	if (rc == 0)
		fake_full(st);
	return rc;
}

int fstatvfs(int fd, struct statvfs *st)
{
	static int (*real)(int, struct statvfs *);
	int rc;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "fstatvfs");
	rc = real(fd, st);
	if (rc == 0)
		fake_full(st);
	return rc;
}

int fsync(int fd)
{
	resolve();
	return sync_common(fd, real_fsync, "fsync");
}

int fdatasync(int fd)
{
	resolve();
	return sync_common(fd, real_fdatasync, "fdatasync");
}

/* A creating open in a watched folder: an event; a new file gets a new generation. */
static int open_common(int dirfd, const char *path, int flags, mode_t mode, bool at, bool big)
{
	int d = (flags & (O_CREAT | O_TRUNC)) ? watched_name(dirfd, path) : -1;
	struct stat before;
	bool existed = false;
	int fd;

	if (d >= 0) {
		existed = (at ? fstatat(dirfd, path, &before, 0) : stat(path, &before)) == 0;
		if (!existed || (flags & O_TRUNC)) {
			if (event(K_NAME, existed ? "truncate" : "create", base(path)) != 0)
				return -1;
		}
	}
	if (at)
		fd = big ? real_openat64(dirfd, path, flags, mode) : real_openat(dirfd, path, flags, mode);
	else
		fd = big ? real_open64(path, flags, mode) : real_open(path, flags, mode);
	if (fd >= 0 && d >= 0 && !existed) {
		struct stat sb;

		if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
			inside = true;
			new_file(sb.st_dev, sb.st_ino, -1, NULL);
			save_state();
			inside = false;
		}
	}
	return fd;
}

#define MODE_ARG(flags, mode)                                   \
	do {                                                    \
		if (((flags) & O_CREAT) || ((flags) & O_TMPFILE) == O_TMPFILE) { \
			va_list ap;                             \
			va_start(ap, flags);                    \
			mode = (mode_t)va_arg(ap, unsigned int); \
			va_end(ap);                             \
		}                                               \
	} while (0)

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	resolve();
	MODE_ARG(flags, mode);
	return open_common(AT_FDCWD, path, flags, mode, false, false);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	resolve();
	MODE_ARG(flags, mode);
	return open_common(AT_FDCWD, path, flags, mode, false, true);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	resolve();
	MODE_ARG(flags, mode);
	return open_common(dirfd, path, flags, mode, true, false);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	resolve();
	MODE_ARG(flags, mode);
	return open_common(dirfd, path, flags, mode, true, true);
}

static int name_event(int fd1, const char *a, int fd2, const char *b, const char *op)
{
	if (watched_name(fd1, a) < 0 && watched_name(fd2, b) < 0)
		return 0;
	return event(strcmp(op, "unlink") == 0 ? K_UNLINK : K_NAME, op, base(b ? b : a));
}

int rename(const char *a, const char *b)
{
	resolve();
	if (name_event(AT_FDCWD, a, AT_FDCWD, b, "rename") != 0)
		return -1;
	return real_rename(a, b);
}

int renameat(int fa, const char *a, int fb, const char *b)
{
	resolve();
	if (name_event(fa, a, fb, b, "rename") != 0)
		return -1;
	return real_renameat(fa, a, fb, b);
}

int renameat2(int fa, const char *a, int fb, const char *b, unsigned flags)
{
	resolve();
	if (name_event(fa, a, fb, b, "rename") != 0)
		return -1;
	return real_renameat2(fa, a, fb, b, flags);
}

int unlink(const char *p)
{
	resolve();
	if (name_event(AT_FDCWD, p, AT_FDCWD, NULL, "unlink") != 0)
		return -1;
	return real_unlink(p);
}

int unlinkat(int fd, const char *p, int flags)
{
	resolve();
	if (name_event(fd, p, AT_FDCWD, NULL, "unlink") != 0)
		return -1;
	return real_unlinkat(fd, p, flags);
}
