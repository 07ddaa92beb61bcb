/* exchange.c - export files on and off USB sticks (see exchange.h). No SQL here. */
#include "core/exchange.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/i18n.h"
#include "lib/text.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/file.h"
#include "store/merge.h"
#include "store/export.h"
#include "tbx/tbx.h"
#include "tbx/check.h"
#include "tbx/read.h"

/* ---- private temporary files ------------------------------------------------------ */

/* Words for a failed write to the export folder: a full or read-only disk named so. */
static void write_failed(struct err *e, const char *dir, const char *what, int errnum)
{
	switch (errnum) {
	case ENOSPC:
	case EDQUOT:
		err_set(e, _("%s: the disk is full, so the export was not written (nothing was left there). Free some space on it or use another stick, then export again."),
			dir);
		break;
	case EROFS:
		err_set(e, _("%s: the disk is read-only, so the export was not written. Unlock the stick (its write-protect switch) or use another one, then export again."),
			dir);
		break;
	case EACCES:
	case EPERM:
		err_set(e, _("%s: no permission to write there, so the export was not written. Choose another folder with --out."), dir);
		break;
	case ENOENT:
	case ENOTDIR:
		err_set(e, _("%s: there is no such folder, so the export was not written. Check the path given with --out (is the stick plugged in?)."),
			dir);
		break;
	default:
		err_set(e, _("%s: cannot %s: %s. The export was not written (nothing was left there); check the stick and export again."),
			dir, what, strerror(errnum));
		break;
	}
}

/* Copies a file off a stick into dst (new, private), at most max bytes: the only time
 * the original is read. Only a regular file is read (not a device or a pipe). Messages
 * call it `name` (src made safe to print). */
static int copy_in(const char *src, const char *name, const char *dst, size_t max, enum export_problem *pb,
		   struct err *e)
{
	char buf[65536];
	struct stat sb;
	size_t total = 0;
	int in, out = -1;

	in = open(src, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (in < 0 || fstat(in, &sb) != 0) {
		*pb = EP_UNREADABLE;
		err_set(e, _("%s: cannot read it: %s"), name, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(sb.st_mode) || !S_ISREG(sb.st_mode)) {
		*pb = EP_UNREADABLE;
		err_set(e, _("%s: this is not a file (a folder, a device or a pipe), so it is not an export file"), name);
		goto fail;
	}
	if ((uint64_t)sb.st_size > max) {
		*pb = EP_UNREADABLE;
		err_set(e, _("%s: refused: it is %lld bytes, larger than any export file (at most %zu bytes)"), name,
			(long long)sb.st_size, max);
		goto fail;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		*pb = EP_STORE;
		err_set(e, _("cannot make a temporary copy %s: %s"), dst, strerror(errno));
		goto fail;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);

		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			*pb = EP_UNREADABLE;
			err_set(e, _("%s: cannot read it: %s (is the stick still plugged in?)"), name, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max) {
			*pb = EP_UNREADABLE;
			err_set(e, _("%s: refused: it is larger than any export file (at most %zu bytes)"), name, max);
			goto fail;
		}
		if (write_all(out, buf, (size_t)n) != 0) {
			*pb = EP_STORE;
			err_set(e, _("cannot make a temporary copy %s: %s"), dst, strerror(errno));
			goto fail;
		}
	}
	close(in);
	if (close(out) != 0) {
		*pb = EP_STORE;
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

static bool ends_with_tmp(const char *path)
{
	return str_ends(path, ".tmp");
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* ---- verify ---------------------------------------------------------------------- */

/* Copies path into dir and loads it: the common start of verify and merge. Messages
 * call the file `name`: its path made safe to print (text_sanitize). */
static int load_copy(const char *path, const char *name, const char *dir, const struct formset *fs,
		     struct export_file **xf, enum export_problem *pb, struct err *e)
{
	char *copy;
	int rc;

	*xf = NULL;
	if (ends_with_tmp(path)) {
		*pb = EP_UNFINISHED;
		err_set(e, _("%s: refused: this is the temporary file of an export that was interrupted, not an export. Export again."),
			name);
		return -1;
	}
	copy = xasprintf("%s/import.tbx", dir);
	rc = copy_in(path, name, copy, EXPORT_MAX_BYTES, pb, e);
	if (rc == 0)
		rc = export_file_load(copy, name, fs, xf, pb, e);
	unlink(copy);
	free(copy);
	return rc;
}

int exchange_verify(const char *path, struct export_info *info, enum export_problem *problem, struct err *e)
{
	struct export_file *xf = NULL;
	char *dir, *name;
	int rc;

	memset(info, 0, sizeof *info);
	*problem = EP_NONE;
	if (!(dir = private_dir(e))) {
		*problem = EP_STORE;
		return -1;
	}
	name = text_sanitize(path);
	rc = load_copy(path, name, dir, NULL, &xf, problem, e);
	free(name);
	private_dir_remove(dir);
	if (rc != 0)
		return -1;
	*info = xf->info;
	memset(&xf->info, 0, sizeof xf->info);
	export_file_free(xf);
	return 0;
}

/* ---- export ------------------------------------------------------------------------ */

void exchange_file_name(const struct export_info *info, char *out, size_t size)
{
	struct strbuf sb;
	const char *unit = info->installation_unit[0] ? info->installation_unit : NULL;
	const char *t = info->written_at;

	sb_init(&sb);
	sb_add(&sb, "tianbao-");
	if (unit) {
		for (const char *p = unit; *p; p++)
			sb_addc(&sb, ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
				      *p == '-' || *p == '_') ? *p : '_');
	} else {
		sb_addn(&sb, info->installation, 8);
	}
	sb_addc(&sb, '-');
	if (info->nperiods <= 3) {
		for (int i = 0; i < info->nperiods; i++)
			sb_addf(&sb, "%s%s", i ? "_" : "", info->periods[i]);
	} else {
		sb_addf(&sb, "%s_to_%s", info->periods[0], info->periods[info->nperiods - 1]);
	}
	/* 2026-11-29T11:53:20Z -> 20261129T115320Z */
	sb_addc(&sb, '-');
	for (; *t; t++)
		if (*t != '-' && *t != ':')
			sb_addc(&sb, *t);
	sb_add(&sb, EXPORT_EXT);
	snprintf(out, size, "%s", sb_str(&sb));
	sb_free(&sb);
}

void export_result_free(struct export_result *r)
{
	free(r->path);
	export_info_free(&r->info);
	memset(r, 0, sizeof *r);
}

/* Removes DIR/.tianbao-*.tbx.tmp files whose export died (SIGKILL, power cut): each
 * writer holds a lock on its .tmp while it lives, so a file that can be locked and is
 * some seconds old has no writer any more. Best effort: failures are ignored. */
static void sweep_stale(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	time_t now = time(NULL);

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		struct stat sb;
		char *p;
		int fd;

		if (!str_starts(de->d_name, ".tianbao-") || !str_ends(de->d_name, EXPORT_EXT ".tmp"))
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
}

/* Copies the private file src to DIR/NAME durably (an atomic file: DIR/.NAME.tmp,
 * locked while it is one, synced, renamed, the folder synced). Returns 0; 1 when DIR/NAME
 * (or its .tmp) exists; -1. */
static int write_to(const char *src, const char *dir, const char *name, char **final_out, struct err *e)
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
	int in = -1, rc;

	rc = atomic_open(&af, final, tmp, ATOMIC_NEW | ATOMIC_LOCK);
	free(tmp);
	if (rc != 0) {
		if (errno == EEXIST) {
			free(final);
			return 1;
		}
		write_failed(e, dir, _(steps[AS_CREATE]), errno);
		free(final);
		return -1;
	}
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		err_set(e, _("cannot read the temporary export %s: %s"), src, strerror(errno));
		goto fail;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, _("cannot read the temporary export %s: %s"), src, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		if (write_all(af.fd, buf, (size_t)n) != 0) {
			write_failed(e, dir, _(steps[AS_WRITE]), errno);
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
		write_failed(e, dir, _(steps[af.failed]), errno);
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

/* Drops the file's pages from the cache, so reading it back reads the stick itself. */
static void forget_cached(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
}

int exchange_export(struct store *st, const struct formset *fs, const struct export_request *rq,
		    struct export_result *res, struct err *e)
{
	const char *dir = rq->out_dir && *rq->out_dir ? rq->out_dir : ".";
	struct export_spec spec = { rq->periods, rq->nperiods, rq->operator_name, fs };
	struct export_info back;
	enum export_problem pb;
	struct stat sb;
	char *tmpdir, *built = NULL, name[256], *final = NULL;
	int rc = -1, w = 1;

	memset(res, 0, sizeof *res);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		write_failed(e, dir, _("use the folder"), stat(dir, &sb) != 0 ? errno : ENOTDIR);
		return -1;
	}
	if (!(tmpdir = private_dir(e)))
		return -1;
	built = xasprintf("%s/export.tbx", tmpdir);
	rc = store_export_write(st, built, &spec, &res->info, &res->left_out, e);
	if (rc != 0)
		goto done;
	rc = -1;
	exchange_file_name(&res->info, name, sizeof name);
	/* Checked as a township will check it before it goes anywhere: what fails here is in
	 * the data of this database, not on the stick. */
	{
		struct export_file *xf = NULL;

		if (export_file_load(built, name, NULL, &xf, &pb, e) != 0) {
			err_prefix(e, _("cannot export: the data here does not pass the checks every import makes, so nothing was written to %s (this is not the stick's fault): "),
				   dir);
			goto done;
		}
		export_file_free(xf);
	}
	sweep_stale(dir);
	for (int k = 2; k <= 100 && w == 1; k++) {
		w = write_to(built, dir, name, &final, e);
		if (w == 1) {
			/* Another export of the same second: number this one. */
			char base[200];

			exchange_file_name(&res->info, base, sizeof base);
			base[strlen(base) - strlen(EXPORT_EXT)] = '\0';
			snprintf(name, sizeof name, "%s-%d%s", base, k, EXPORT_EXT);
		}
	}
	if (w != 0) {
		if (w == 1)
			err_set(e, _("%s: too many exports of the same second; wait a moment and export again"), dir);
		goto done;
	}
	/* Read it back from the stick, as a merge will, and compare: the file passed every
	 * check before it was copied, so what fails now is the copy on the stick. */
	forget_cached(final);
	if (exchange_verify(final, &back, &pb, e) != 0) {
		err_prefix(e, _("the export written to %s reads back wrong, so it was removed (the stick may be failing; try another): "),
			   dir);
		unlink(final);
		sync_dir(dir);
		goto done;
	}
	if (strcmp(back.checksum, res->info.checksum) != 0 ||
	    strcmp(back.manifest_checksum, res->info.manifest_checksum) != 0) {
		err_set(e, _("the export written to %s reads back different from what was written, so it was removed (the stick may be failing; try another)"),
			final);
		export_info_free(&back);
		unlink(final);
		sync_dir(dir);
		goto done;
	}
	export_info_free(&back);
	res->path = final;
	final = NULL;
	rc = 0;
done:
	if (rc != 0 && rc != 1)
		export_info_free(&res->info);
	free(final);
	free(built);
	private_dir_remove(tmpdir);
	return rc;
}

/* ---- merge ------------------------------------------------------------------------- */

void exchange_free_reports(struct merge_report *r, int n)
{
	for (int i = 0; i < n; i++) {
		free(r[i].file);
		export_info_free(&r[i].info);
	}
	free(r);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The export files in a folder: *.tbx regular files not starting with '.', by name. */
static int list_dir(const char *dir, char ***files, int *n, struct err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	*files = NULL;
	*n = 0;
	if (!d) {
		char *name = text_sanitize(dir);

		err_set(e, _("%s: cannot read the folder: %s"), name, strerror(errno));
		free(name);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat sb;
		char *p;

		if (de->d_name[0] == '.' || !str_ends(de->d_name, EXPORT_EXT))
			continue;
		p = xasprintf("%s%s%s", dir, str_ends(dir, "/") ? "" : "/", de->d_name);
		if (lstat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(p);
			continue;
		}
		*files = xreallocarray(*files, (size_t)*n + 1, sizeof **files);
		(*files)[(*n)++] = p;
	}
	closedir(d);
	if (*n > 1)
		qsort(*files, (size_t)*n, sizeof **files, cmp_str);
	return 0;
}

static struct merge_report *new_report(struct merge_report **reports, int *n, const char *file)
{
	struct merge_report *r;

	*reports = xreallocarray(*reports, (size_t)*n + 1, sizeof **reports);
	r = &(*reports)[(*n)++];
	memset(r, 0, sizeof *r);
	r->file = xstrdup(file);
	return r;
}

/* One thing to merge: a file, or a folder that holds no export file (why in `error`). */
struct item {
	char *path;
	char *error;
};

static void add_item(struct item **items, int *n, char *path, char *error)
{
	*items = xreallocarray(*items, (size_t)*n + 1, sizeof **items);
	(*items)[*n].path = path;
	(*items)[*n].error = error;
	(*n)++;
}

/* Folders stand for their export files, by name; a folder without any is an item too. */
static void expand_args(const char *const *args, int nargs, struct item **items, int *n)
{
	*items = NULL;
	*n = 0;
	for (int i = 0; i < nargs; i++) {
		struct stat sb;
		char **in = NULL;
		int nin = 0;
		struct err le;

		if (stat(args[i], &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			add_item(items, n, xstrdup(args[i]), NULL);
			continue;
		}
		if (list_dir(args[i], &in, &nin, &le) != 0) {
			add_item(items, n, xstrdup(args[i]), xstrdup(le.msg));
			continue;
		}
		if (nin == 0) {
			char *name = text_sanitize(args[i]);

			err_set(&le, _("%s: refused: there is no export file (*%s) in this folder"), name, EXPORT_EXT);
			add_item(items, n, xstrdup(args[i]), xstrdup(le.msg));
			free(name);
		}
		for (int k = 0; k < nin; k++)
			add_item(items, n, in[k], NULL);
		free(in);
	}
}

int exchange_merge(struct store *st, const struct formset *fs, const char *const *args, int nargs,
		   const struct merge_options *opt, struct merge_report **reports, int *nreports, struct err *e)
{
	struct item *items = NULL;
	struct store_merger *merger = NULL;
	char *tmpdir = NULL;
	int nitems = 0, rc = 0;

	*reports = NULL;
	*nreports = 0;
	expand_args(args, nargs, &items, &nitems);
	if (!(tmpdir = private_dir(e))) {
		rc = -1;
		goto done;
	}
	if (store_merger_open(st, opt->dry_run, &merger, e) != 0) {
		rc = -1;
		goto done;
	}
	for (int i = 0; i < nitems; i++) {
		/* The file is named, printed and logged by its path made safe to print: a name
		 * on a stick may hold anything, terminal escape sequences included. */
		char *name = text_sanitize(items[i].path);
		struct merge_report *r = new_report(reports, nreports, name);
		struct export_file *xf = NULL;
		struct err fe;
		int m;

		free(name);
		r->outcome = MO_REFUSED;
		if (items[i].error) {
			r->problem = EP_UNREADABLE;
			snprintf(r->message, sizeof r->message, "%s", items[i].error);
		} else if (load_copy(items[i].path, r->file, tmpdir, fs, &xf, &r->problem, &fe) != 0) {
			snprintf(r->message, sizeof r->message, "%s", fe.msg);
		} else {
			m = store_merge_file(merger, xf, base_name(r->file), opt->operator_name, &r->counts, r->merged_before,
					     &fe);
			r->info = xf->info;
			r->has_info = true;
			memset(&xf->info, 0, sizeof xf->info);
			export_file_free(xf);
			if (m < 0) {
				/* This installation's own database failed: the rest would too. */
				r->problem = EP_STORE;
				snprintf(r->message, sizeof r->message, "%s", fe.msg);
				*e = fe;
				rc = -1;
			} else {
				r->outcome = m == 1 ? MO_ALREADY : MO_MERGED;
				if (r->outcome == MO_MERGED) {
					struct strbuf notes;

					sb_init(&notes);
					export_form_version_notes(&r->info, fs, &notes);
					snprintf(r->note, sizeof r->note, "%s", sb_str(&notes));
					sb_free(&notes);
				}
			}
		}
		if (opt->progress)
			opt->progress(opt->ctx, i + 1, nitems, r);
		if (rc != 0)
			break;
	}
done:
	store_merger_close(merger);
	for (int i = 0; i < nitems; i++) {
		free(items[i].path);
		free(items[i].error);
	}
	free(items);
	private_dir_remove(tmpdir);
	return rc;
}
