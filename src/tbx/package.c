/* package.c - the form package: writing one, and reading an untrusted one (see package.h). */
#include "tbx/package.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "forms/load.h"
#include "lib/clock.h"
#include "lib/file.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/sha256.h"
#include "lib/str.h"
#include "lib/text.h"
#include "tbx/checksum.h"
#include "tbx/package_sql.h"
#include "tbx/schema.h"
#include "tbx/sql.h"
#include "tbx/tbx.h"

#ifndef TIANBAO_VERSION
#define TIANBAO_VERSION "0.0.0"
#endif

/* The manifest's keys, sorted (the order the checksum takes them in). */
enum {
	MK_CHECKSUM,
	MK_FILE_COUNT,
	MK_FORMAT_VERSION,
	MK_PACKAGE_VERSION,
	MK_PROGRAM_VERSION,
	MK_TOWNSHIP_CODE,
	MK_TOWNSHIP_NAME,
	MK_WRITTEN_AT,
	MK_WRITTEN_BY,
	MK_COUNT
};
static const char *const manifest_keys[MK_COUNT] = {
	"checksum", "file_count", "format_version", "package_version", "program_version",
	"township_code", "township_name", "written_at", "written_by",
};

int package_format_version(void)
{
	return PACKAGE_FORMAT_VERSION;
}

void package_free(struct package *pkg)
{
	if (!pkg)
		return;
	for (int i = 0; i < pkg->nfiles; i++) {
		free(pkg->files[i].name);
		free(pkg->files[i].content);
	}
	free(pkg->files);
	free(pkg->name);
	memset(pkg, 0, sizeof *pkg);
}

bool package_name_valid(const char *name, size_t n)
{
	if (n < 5 || n > PACKAGE_NAME_MAX || memchr(name, '\0', n) || memcmp(name + n - 4, ".ini", 4) != 0)
		return false;
	if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= '0' && name[0] <= '9')))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return false;
		if (c == '.' && i + 1 < n && name[i + 1] == '.')
			return false;
	}
	return true;
}

/* The checksum: "tianbao-export-1 package", the manifest's rows but the checksum by key
 * (values[k] for manifest_keys[k]), "#files", then each file (name, content as a blob,
 * sha256) by name. */
static void package_sum(const char *const values[MK_COUNT], const struct package_entry *files, const char *const *shas,
			int nfiles, char out[65])
{
	struct sha256 c;

	export_sum_begin(&c, "package");
	for (int k = 0; k < MK_COUNT; k++) {
		struct export_cell row[2] = { export_cell_text(manifest_keys[k]), export_cell_text(values[k]) };

		if (k != MK_CHECKSUM)
			export_sum_row(&c, row, 2);
	}
	export_sum_section(&c, "files");
	for (int i = 0; i < nfiles; i++) {
		struct export_cell row[3] = { export_cell_text(files[i].name), { EC_BLOB, 0, 0, files[i].content, files[i].size },
					      export_cell_text(shas[i]) };

		export_sum_row(&c, row, 3);
	}
	export_sum_hex(&c, out);
}

static void content_sha(const struct package_entry *f, char out[65])
{
	struct sha256 c;
	unsigned char d[32];

	sha256_init(&c);
	sha256_update(&c, f->content, f->size);
	sha256_final(&c, d);
	sha256_hex(d, out);
}

/* Text a manifest may hold: valid UTF-8 without control characters, 1 to max bytes. */
static bool text_ok(const char *s, size_t n, size_t max)
{
	return n >= 1 && n <= max && !memchr(s, '\0', n) && utf8_valid(s, n) && !text_has_control(s);
}

static bool township_code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n != 9 && n != 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A whole number as the writer writes it (a package version, the file count): decimal
 * digits, no sign or leading zero, 1..PACKAGE_VERSION_MAX. */
static bool positive_parse(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	int64_t v = 0;

	if (n < 1 || n > 10 || s[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > PACKAGE_VERSION_MAX)
		return false;
	*out = v;
	return true;
}

static bool program_version_ok(const char *v)
{
	size_t n = strlen(v);

	if (n < 1 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      v[i] == '.' || v[i] == '-' || v[i] == '+'))
			return false;
	return true;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct package_entry *)a)->name, ((const struct package_entry *)b)->name);
}

/* ---- extract and load ------------------------------------------------------------- */

/* Removes the files of pkg written into the folder dfd (the first n). */
static void unwrite(int dfd, const struct package *pkg, int n)
{
	for (int i = 0; i < n; i++)
		unlinkat(dfd, pkg->files[i].name, 0);
	fsync(dfd);
}

int package_extract(const struct package *pkg, const char *dir, struct err *e)
{
	const char *name = pkg->name ? pkg->name : "?";
	struct dirent *de;
	DIR *d;
	int dfd, i;

	/* Every name first: a package with one bad name writes nothing. */
	for (i = 0; i < pkg->nfiles; i++) {
		const struct package_entry *f = &pkg->files[i];
		char b[128];

		if (!f->name || !package_name_valid(f->name, strlen(f->name)) ||
		    (i > 0 && strcmp(pkg->files[i - 1].name, f->name) >= 0)) {
			err_set(e, _("%s: refused: it holds a file named '%s', which is not a plain lower-case NAME.ini (or is repeated); nothing was written. Export the package again at the township."),
				name, f->name ? text_shown(f->name, strlen(f->name), b, sizeof b) : "");
			return -1;
		}
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dfd < 0) {
		err_set(e, _("%s: cannot use the folder to unpack the form package into: %s"), dir, strerror(errno));
		return -1;
	}
	d = fdopendir(dup(dfd));
	if (!d) {
		err_set(e, _("%s: cannot use the folder to unpack the form package into: %s"), dir, strerror(errno));
		close(dfd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
			err_set(e, _("%s: the folder to unpack the form package into is not empty (it holds '%s'); nothing was written"),
				dir, de->d_name);
			closedir(d);
			close(dfd);
			return -1;
		}
	}
	closedir(d);
	for (i = 0; i < pkg->nfiles; i++) {
		const struct package_entry *f = &pkg->files[i];
		int fd = openat(dfd, f->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

		if (fd < 0 || write_all(fd, f->content, f->size) != 0 || fsync(fd) != 0) {
			err_set(e, _("%s/%s: cannot write it: %s (nothing of the form package was kept)"), dir, f->name,
				strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlinkat(dfd, f->name, 0);
			}
			unwrite(dfd, pkg, i);
			close(dfd);
			return -1;
		}
		if (close(fd) != 0) {
			err_set(e, _("%s/%s: cannot write it: %s (nothing of the form package was kept)"), dir, f->name,
				strerror(errno));
			unwrite(dfd, pkg, i + 1);
			close(dfd);
			return -1;
		}
	}
	if (fsync(dfd) != 0 && errno != EINVAL && errno != ENOTSUP) {
		err_set(e, _("%s: cannot write the folder out to the disk: %s (nothing of the form package was kept)"), dir,
			strerror(errno));
		unwrite(dfd, pkg, pkg->nfiles);
		close(dfd);
		return -1;
	}
	close(dfd);
	return 0;
}

/* The problem to name first: the first with a line, else the first (diags from `from`). */
static const struct diag *first_diag(const struct diag_list *diags, int from)
{
	for (int i = from; i < diags->n; i++)
		if (diags->v[i].line > 0)
			return &diags->v[i];
	return from < diags->n ? &diags->v[from] : NULL;
}

/* The loader names files by their path in the staging folder; a package's problems are
 * named PACKAGE:FILE. */
static void rename_diags(struct diag_list *diags, size_t from, const char *staging_dir, const char *name)
{
	size_t n = strlen(staging_dir);

	for (int i = (int)from; i < diags->n; i++) {
		const char *f = diags->v[i].file ? diags->v[i].file : "";
		char *renamed;

		if (strncmp(f, staging_dir, n) == 0 && f[n] == '/')
			renamed = xasprintf("%s:%s", name, f + n + 1);
		else if (strcmp(f, staging_dir) == 0)
			renamed = xstrdup(name);
		else
			renamed = xasprintf("%s:%s", name, f);
		free(diags->v[i].file);
		diags->v[i].file = renamed;
	}
}

int package_load(const struct package *pkg, const char *staging_dir, struct formset *fs, struct diag_list *diags,
		 struct err *e)
{
	const char *name = pkg->name ? pkg->name : "?";
	int first = diags->n;

	memset(fs, 0, sizeof *fs);
	if (package_extract(pkg, staging_dir, e) != 0)
		return -1;
	if (formset_load_dir(staging_dir, fs, diags) == 0)
		return 0;
	formset_free(fs);
	memset(fs, 0, sizeof *fs);
	rename_diags(diags, (size_t)first, staging_dir, name);
	if (diags->n > first) {
		const struct diag *d = first_diag(diags, first);
		int more = diags->n - first - 1;

		if (d->line > 0)
			err_set(e, _("%s: refused: its forms do not load: %s:%d: %s%s. Correct the forms at the township (tianbao check-forms shows every problem), then export the package again."),
				name, d->file, d->line, d->msg, more > 0 ? _(" (and more problems)") : "");
		else
			err_set(e, _("%s: refused: its forms do not load: %s: %s%s. Correct the forms at the township (tianbao check-forms shows every problem), then export the package again."),
				name, d->file, d->msg, more > 0 ? _(" (and more problems)") : "");
	} else {
		err_set(e, _("%s: refused: its forms do not load. Correct the forms at the township, then export the package again."),
			name);
	}
	return -1;
}

/* ---- write ---------------------------------------------------------------------- */

/* The *.ini regular files of dir (not dotfiles), read into entries sorted by name, each
 * checked the way a reader will check it. */
static int collect_files(const char *dir, struct package *pkg, struct err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t total = 0;

	if (!d) {
		err_set(e, _("%s: cannot read the forms folder: %s"), dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct package_entry *f;
		struct stat sb;
		char *p;

		if (de->d_name[0] == '.' || !str_ends(de->d_name, ".ini"))
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(p);
			continue;
		}
		if (!package_name_valid(de->d_name, strlen(de->d_name))) {
			err_set(e, _("cannot write the form package: %s: a package holds only files named in lower-case letters, digits, '_', '.' and '-', ending in .ini, at most %d bytes; rename the file"),
				p, PACKAGE_NAME_MAX);
			goto fail;
		}
		if (pkg->nfiles >= PACKAGE_MAX_FILES) {
			err_set(e, _("cannot write the form package: %s holds more than %d .ini files, more than a package may carry"),
				dir, PACKAGE_MAX_FILES);
			goto fail;
		}
		if ((uint64_t)sb.st_size > PACKAGE_FILE_MAX_BYTES) {
			err_set(e, _("cannot write the form package: %s is %lld bytes, larger than a file in a package may be (%u bytes)"),
				p, (long long)sb.st_size, PACKAGE_FILE_MAX_BYTES);
			goto fail;
		}
		pkg->files = xreallocarray(pkg->files, (size_t)pkg->nfiles + 1, sizeof *pkg->files);
		f = &pkg->files[pkg->nfiles];
		memset(f, 0, sizeof *f);
		f->content = read_file(p, PACKAGE_FILE_MAX_BYTES, &f->size, e);
		if (!f->content)
			goto fail;
		f->name = xstrdup(de->d_name);
		pkg->nfiles++;
		total += f->size;
		if (memchr(f->content, '\0', f->size) || !utf8_valid(f->content, f->size)) {
			err_set(e, _("cannot write the form package: %s is not UTF-8 text (it holds NUL bytes or invalid UTF-8); save it as UTF-8"),
				p);
			goto fail;
		}
		if (total > PACKAGE_TOTAL_MAX_BYTES) {
			err_set(e, _("cannot write the form package: the .ini files of %s are larger together than a package may carry (%u bytes)"),
				dir, PACKAGE_TOTAL_MAX_BYTES);
			goto fail;
		}
		free(p);
		continue;
fail:
		free(p);
		closedir(d);
		return -1;
	}
	closedir(d);
	if (pkg->nfiles > 1)
		qsort(pkg->files, (size_t)pkg->nfiles, sizeof *pkg->files, entry_cmp);
	return 0;
}

/* Checks that the files load as a form set, as every village will load them, and takes
 * the township from their units file. */
static int check_loads(struct package *pkg, const char *forms_dir, struct err *e)
{
	struct diag_list diags;
	struct formset fs;
	const struct unit *t;
	char *tmp;
	int rc = -1;

	if (!(tmp = private_dir(e)))
		return -1;
	diag_init(&diags);
	if (package_load(pkg, tmp, &fs, &diags, e) != 0) {
		if (diags.n > 0) {
			const struct diag *d = first_diag(&diags, 0);
			size_t nn = strlen(pkg->name);
			char *where = strncmp(d->file, pkg->name, nn) == 0 && d->file[nn] == ':'
					      ? xasprintf("%s/%s", forms_dir, d->file + nn + 1)
					      : xstrdup(forms_dir);

			if (d->line > 0)
				err_set(e, _("cannot write the form package: the forms do not load: %s:%d: %s%s. Correct them (tianbao check-forms %s shows every problem)."),
					where, d->line, d->msg, diags.n > 1 ? _(" (and more problems)") : "", forms_dir);
			else
				err_set(e, _("cannot write the form package: the forms do not load: %s: %s%s. Correct them (tianbao check-forms %s shows every problem)."),
					where, d->msg, diags.n > 1 ? _(" (and more problems)") : "", forms_dir);
			free(where);
		} else {
			err_prefix(e, _("cannot write the form package of %s: "), forms_dir);
		}
	} else if (!(t = formset_township(&fs)) || !township_code_ok(t->code)) {
		err_set(e, _("cannot write the form package: the units file of %s names no township of 9 or 12 digits"), forms_dir);
	} else if (!text_ok(t->name, strlen(t->name), PACKAGE_TEXT_MAX)) {
		err_set(e, _("cannot write the form package: the township's name in the units file of %s is empty or longer than %d bytes"),
			forms_dir, PACKAGE_TEXT_MAX);
	} else {
		snprintf(pkg->meta.township_code, sizeof pkg->meta.township_code, "%s", t->code);
		snprintf(pkg->meta.township_name, sizeof pkg->meta.township_name, "%s", t->name);
		rc = 0;
	}
	if (rc == 0 || fs.dir)
		formset_free(&fs);
	diag_free(&diags);
	private_dir_remove(tmp);
	return rc;
}

static int write_sqlite(const struct package *pkg, const char *path, struct err *e)
{
	const struct package_meta *m = &pkg->meta;
	char count[16], fver[16], pver[24];
	const char *values[MK_COUNT];
	const char **shas = xcalloc((size_t)pkg->nfiles + 1, sizeof *shas);
	char (*hex)[65] = xcalloc((size_t)pkg->nfiles + 1, sizeof *hex);
	char checksum[65];
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc = -1;

	snprintf(count, sizeof count, "%d", pkg->nfiles);
	snprintf(fver, sizeof fver, "%d", PACKAGE_FORMAT_VERSION);
	snprintf(pver, sizeof pver, "%lld", (long long)m->version);
	values[MK_CHECKSUM] = "";
	values[MK_FILE_COUNT] = count;
	values[MK_FORMAT_VERSION] = fver;
	values[MK_PACKAGE_VERSION] = pver;
	values[MK_PROGRAM_VERSION] = m->program_version;
	values[MK_TOWNSHIP_CODE] = m->township_code;
	values[MK_TOWNSHIP_NAME] = m->township_name;
	values[MK_WRITTEN_AT] = m->written_at;
	values[MK_WRITTEN_BY] = m->written_by;
	for (int i = 0; i < pkg->nfiles; i++) {
		content_sha(&pkg->files[i], hex[i]);
		shas[i] = hex[i];
	}
	package_sum(values, pkg->files, shas, pkg->nfiles, checksum);
	values[MK_CHECKSUM] = checksum;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK ||
	    /* Small pages: a package of a few small files stays a few kilobytes. */
	    sqlite3_exec(db, "PRAGMA page_size = 1024; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_exec(db, package_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO manifest (key, value) VALUES (?1, ?2)", -1, &s, NULL) != SQLITE_OK)
		goto fail;
	for (int k = 0; k < MK_COUNT; k++) {
		sqlite3_bind_text(s, 1, manifest_keys[k], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, values[k], -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	s = NULL;
	if (sqlite3_prepare_v2(db, "INSERT INTO files (name, content, sha256) VALUES (?1, ?2, ?3)", -1, &s, NULL) !=
	    SQLITE_OK)
		goto fail;
	for (int i = 0; i < pkg->nfiles; i++) {
		const struct package_entry *f = &pkg->files[i];

		sqlite3_bind_text(s, 1, f->name, -1, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, f->size ? f->content : "", (int)f->size, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, shas[i], -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	s = NULL;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_close(db) != SQLITE_OK)
		goto fail;
	db = NULL;
	rc = 0;
	goto done;
fail:
	sql_fail(db, path, e);
	sqlite3_finalize(s);
	sqlite3_close(db);
done:
	free(shas);
	free(hex);
	return rc;
}

int package_write_file(const char *forms_dir, const struct package_meta *meta, const char *path, struct err *e)
{
	struct package pkg;
	struct stat sb;
	int fd;

	memset(&pkg, 0, sizeof pkg);
	if (meta->version < 1 || meta->version > PACKAGE_VERSION_MAX) {
		err_set(e, _("cannot write the form package: its version must be a whole number from 1 to %d (it was %lld)"),
			PACKAGE_VERSION_MAX, (long long)meta->version);
		return -1;
	}
	if (!text_ok(meta->written_by, strlen(meta->written_by), PACKAGE_TEXT_MAX)) {
		err_set(e, _("cannot write the form package: the name of who writes it must be 1 to %d bytes of text without control characters"),
			PACKAGE_TEXT_MAX);
		return -1;
	}
	pkg.name = xstrdup(forms_dir);
	pkg.format_version = PACKAGE_FORMAT_VERSION;
	pkg.meta.version = meta->version;
	snprintf(pkg.meta.written_by, sizeof pkg.meta.written_by, "%s", meta->written_by);
	snprintf(pkg.meta.program_version, sizeof pkg.meta.program_version, "%s", TIANBAO_VERSION);
	now_iso8601(pkg.meta.written_at);
	if (collect_files(forms_dir, &pkg, e) != 0 || check_loads(&pkg, forms_dir, e) != 0) {
		package_free(&pkg);
		return -1;
	}
	/* Created anew, never through a link: then SQLite fills the empty file. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		err_set(e, _("cannot write the form package %s: %s"), path, strerror(errno));
		package_free(&pkg);
		return -1;
	}
	close(fd);
	if (write_sqlite(&pkg, path, e) != 0) {
		unlink(path);
		package_free(&pkg);
		return -1;
	}
	package_free(&pkg);
	if (stat(path, &sb) != 0 || (uint64_t)sb.st_size > PACKAGE_MAX_BYTES) {
		err_set(e, _("cannot write the form package: it came to more than %u bytes, more than a package may be; carry fewer or smaller forms"),
			PACKAGE_MAX_BYTES);
		unlink(path);
		return -1;
	}
	return 0;
}

/* ---- read ----------------------------------------------------------------------- */

static const char *again(void)
{
	return _("Export the package again at the township.");
}

/* Reads the file at path into memory: a regular file, not through a symbolic link, at
 * most PACKAGE_MAX_BYTES. */
static unsigned char *slurp(const char *path, const char *name, size_t *len, enum package_problem *pb, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	unsigned char *buf;
	struct stat sb;
	size_t n = 0;

	if (fd < 0) {
		*pb = PP_UNREADABLE;
		if (errno == ELOOP)
			err_set(e, _("%s: refused: this is a symbolic link, not a file; copy the form package itself onto the stick"),
				name);
		else
			err_set(e, _("%s: cannot read it: %s"), name, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*pb = PP_UNREADABLE;
		err_set(e, _("%s: refused: this is not a file (a folder, a device or a pipe), so it is not a form package; give the file itself"), name);
		close(fd);
		return NULL;
	}
	if ((uint64_t)sb.st_size > PACKAGE_MAX_BYTES) {
		*pb = PP_TOO_LARGE;
		err_set(e, _("%s: refused: it is %lld bytes, larger than any form package (at most %u bytes); check that it is the right file"), name,
			(long long)sb.st_size, PACKAGE_MAX_BYTES);
		close(fd);
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	buf = sqlite3_malloc64((sqlite3_uint64)sb.st_size + 1);
	if (!buf) {
		*pb = PP_LOCAL;
		err_set(e, _("%s: not enough memory to read it"), name);
		close(fd);
		return NULL;
	}
	/* At most the size seen: a file that grows meanwhile is read as it was. */
	while (n < (size_t)sb.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)sb.st_size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*pb = PP_UNREADABLE;
			err_set(e, _("%s: cannot read it: %s (is the stick still plugged in?)"), name, strerror(errno));
			sqlite3_free(buf);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return buf;
}

/* The SQLite header, before SQLite reads anything: so that the reason is the true one. */
static int check_header(const unsigned char *h, size_t n, const char *name, enum package_problem *pb, struct err *e)
{
	struct sql_header hd;

	if (n == 0) {
		*pb = PP_DAMAGED;
		err_set(e, _("%s: refused: the file is empty (0 bytes): it was cut short, or it is not a form package. %s"), name,
			again());
		return -1;
	}
	if (n < 16 || memcmp(h, "SQLite format 3", 16) != 0) {
		*pb = PP_NOT_PACKAGE;
		err_set(e, _("%s: refused: this is not a tianbao form package (it is not even an SQLite file)."), name);
		return -1;
	}
	if (n < 100) {
		*pb = PP_DAMAGED;
		err_set(e, _("%s: refused: the file is damaged or cut short (only %zu bytes). %s"), name, n, again());
		return -1;
	}
	sql_header_parse(h, n, (int64_t)n, &hd);
	if (hd.application_id == EXPORT_APPLICATION_ID) {
		*pb = PP_NOT_PACKAGE;
		err_set(e, _("%s: refused: this is an export file of data, not a form package. Merge it with 'tianbao merge'; forms come in a .tbp file."),
			name);
		return -1;
	}
	if (hd.application_id == TIANBAO_DB_APPLICATION_ID) {
		*pb = PP_NOT_PACKAGE;
		err_set(e, _("%s: refused: this is a tianbao database, not a form package."), name);
		return -1;
	}
	if (hd.application_id != PACKAGE_APPLICATION_ID) {
		*pb = PP_NOT_PACKAGE;
		err_set(e, _("%s: refused: this is an SQLite file of another program, not a tianbao form package."), name);
		return -1;
	}
	if (hd.user_version > (uint32_t)PACKAGE_FORMAT_VERSION) {
		*pb = PP_NEWER;
		err_set(e, _("%s: refused: it was made by a newer tianbao (package format %u; this tianbao reads up to %d). Update tianbao here, then open the package again."),
			name, hd.user_version, PACKAGE_FORMAT_VERSION);
		return -1;
	}
	if (hd.user_version < 1) {
		*pb = PP_NOT_PACKAGE;
		err_set(e, _("%s: refused: it has the mark of a form package but no format version; it was not written by tianbao."),
			name);
		return -1;
	}
	if (!hd.layout_ok) {
		*pb = PP_DAMAGED;
		err_set(e, _("%s: refused: its SQLite header is not what tianbao writes (damaged, or changed by another program). %s"),
			name, again());
		return -1;
	}
	if (!hd.size_ok) {
		*pb = PP_DAMAGED;
		err_set(e, _("%s: refused: the file is damaged or cut short (%zu bytes where its header says %lld). Copy it again, or export the package again at the township."),
			name, n, (long long)hd.pages * hd.page_size);
		return -1;
	}
	return 0;
}

/* A failed statement on the package: damaged, or stopped for taking too much work. */
static void file_failed(sqlite3 *db, const char *name, enum package_problem *pb, struct err *e)
{
	int code = sqlite3_errcode(db);
	char b[256];

	*pb = PP_DAMAGED;
	if (code == SQLITE_INTERRUPT)
		err_set(e, _("%s: refused: reading it takes far more work than a form package needs; it is damaged or was made to stall tianbao. %s"),
			name, again());
	else if (code == SQLITE_NOMEM || code == SQLITE_TOOBIG)
		err_set(e, _("%s: refused: reading it needs more memory than a form package could; it is damaged. %s"), name,
			again());
	else
		err_set(e, _("%s: refused: the file is damaged or cut short (%s). Copy it again, or export the package again at the township."),
			name, text_shown(sqlite3_errmsg(db), strlen(sqlite3_errmsg(db)), b, sizeof b));
}

static struct schema_expected package_schema = { package_sql, NULL, 0 };

static int check_schema(sqlite3 *db, const char *name, enum package_problem *pb, struct err *e)
{
	struct schema_diff d;

	if (schema_compare(db, &package_schema, &d) == 0)
		return 0;
	*pb = PP_SCHEMA;
	switch (d.kind) {
	case SD_UNREADABLE:
		file_failed(db, name, pb, e);
		break;
	case SD_BROKEN:
		*pb = PP_LOCAL;
		err_set(e, "%s", _("tianbao cannot build its own form package schema (db/package.sql); this tianbao is broken"));
		break;
	case SD_EXTRA:
		if (strcmp(d.type, "trigger") == 0)
			err_set(e, _("%s: refused: it holds a trigger '%s', which tianbao never writes into a form package. Do not use it; export the package again at the township."),
				name, d.name);
		else if (strcmp(d.type, "view") == 0)
			err_set(e, _("%s: refused: it holds a view '%s', which tianbao never writes into a form package. Do not use it; export the package again at the township."),
				name, d.name);
		else if (strcmp(d.type, "index") == 0)
			err_set(e, _("%s: refused: it holds an index '%s', which tianbao never writes into a form package. Do not use it; export the package again at the township."),
				name, d.name);
		else
			err_set(e, _("%s: refused: it holds a table '%s', which tianbao never writes into a form package. Do not use it; export the package again at the township."),
				name, d.name);
		break;
	case SD_CHANGED:
		err_set(e, _("%s: refused: its table '%s' is not laid out the way tianbao writes it (a changed, added or generated column). Do not use it; export the package again at the township."),
			name, d.name);
		break;
	default:
		*pb = PP_NOT_PACKAGE;
		err_set(e, _("%s: refused: it has no table '%s', so it is not a tianbao form package."), name, d.name);
		break;
	}
	return -1;
}

/* Opens the bytes on a locked-down connection of its own: the schema compared before
 * anything runs, quick_check, and the identity the header showed. */
static int open_checked(unsigned char *buf, size_t n, const char *name, struct sql_work *work, sqlite3 **out,
			enum package_problem *pb, struct err *e)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;

	*out = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		*pb = PP_LOCAL;
		err_set(e, _("%s: cannot open it: %s"), name, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	sql_lock_down(db, work);
	if (sqlite3_deserialize(db, "main", buf, (sqlite3_int64)n, (sqlite3_int64)n, SQLITE_DESERIALIZE_READONLY) !=
	    SQLITE_OK)
		goto failed;
	if (check_schema(db, name, pb, e) != 0)
		return -1;
	{
		char detail[256], b[256];

		switch (sql_check_intact(db, PACKAGE_APPLICATION_ID, PACKAGE_FORMAT_VERSION, detail, sizeof detail)) {
		case SQL_INTACT:
			break;
		case SQL_DAMAGED:
			*pb = PP_DAMAGED;
			err_set(e, _("%s: refused: the file is damaged or cut short (%s). Copy it again, or export the package again at the township."),
				name, text_shown(detail, strlen(detail), b, sizeof b));
			return -1;
		case SQL_IDENTITY:
			*pb = PP_DAMAGED;
			err_set(e, _("%s: refused: the file is damaged (its identity changed while it was read). %s"), name, again());
			return -1;
		case SQL_FAILED:
			goto failed;
		}
	}
	return 0;
failed:
	file_failed(db, name, pb, e);
	sqlite3_finalize(s);
	return -1;
}

/* The manifest's rows: each a known key with a text value of bounded length. */
static int read_manifest(sqlite3 *db, char *mvals[MK_COUNT], const char *name, enum package_problem *pb, struct err *e)
{
	sqlite3_stmt *s;
	int rc, rows = 0;
	char b[128];

	if (sqlite3_prepare_v2(db, "SELECT key, value FROM manifest ORDER BY key", -1, &s, NULL) != SQLITE_OK) {
		file_failed(db, name, pb, e);
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		/* The types first: reading a column as text converts it. */
		int tkey = sqlite3_column_type(s, 0), tval = sqlite3_column_type(s, 1);
		const char *key = (const char *)sqlite3_column_text(s, 0);
		size_t nkey = (size_t)sqlite3_column_bytes(s, 0);
		const char *v = (const char *)sqlite3_column_text(s, 1);
		size_t nv = (size_t)sqlite3_column_bytes(s, 1);
		int k;

		for (k = 0; k < MK_COUNT; k++)
			if (tkey == SQLITE_TEXT && key && nkey == strlen(manifest_keys[k]) &&
			    memcmp(key, manifest_keys[k], nkey) == 0)
				break;
		*pb = PP_MANIFEST;
		if (k == MK_COUNT || ++rows > MK_COUNT) {
			err_set(e, _("%s: refused: its manifest has an entry '%s' that tianbao does not write; the package is damaged or was not written by tianbao. %s"),
				name, key ? text_shown(key, nkey, b, sizeof b) : "", again());
			goto fail;
		}
		if (mvals[k] || tval != SQLITE_TEXT || !v || nv > PACKAGE_TEXT_MAX ||
		    memchr(v, '\0', nv) || !utf8_valid(v, nv)) {
			err_set(e, _("%s: refused: its manifest entry '%s' is repeated, not text, longer than %d bytes or not UTF-8. %s"),
				name, manifest_keys[k], PACKAGE_TEXT_MAX, again());
			goto fail;
		}
		mvals[k] = xstrndup(v, nv);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		file_failed(db, name, pb, e);
		return -1;
	}
	for (int k = 0; k < MK_COUNT; k++) {
		if (!mvals[k]) {
			*pb = PP_MANIFEST;
			err_set(e, _("%s: refused: its manifest has no '%s'; the package is damaged or was not written by tianbao. %s"),
				name, manifest_keys[k], again());
			return -1;
		}
	}
	return 0;
fail:
	sqlite3_finalize(s);
	return -1;
}

/* Every file: its name, size and content, and its SHA-256. */
static int read_files(sqlite3 *db, struct package *pkg, char (**shas)[65], const char *name, enum package_problem *pb,
		      struct err *e)
{
	sqlite3_stmt *s;
	size_t total = 0;
	int rc;
	char b[128];

	if (sqlite3_prepare_v2(db,
			       "SELECT name, typeof(content), length(content), "
			       "CASE WHEN typeof(content) = 'blob' AND length(content) <= 524288 THEN content END, sha256 "
			       "FROM files ORDER BY name",
			       -1, &s, NULL) != SQLITE_OK) {
		file_failed(db, name, pb, e);
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		/* The types first: reading a column as text converts it. */
		int tname = sqlite3_column_type(s, 0), tsha = sqlite3_column_type(s, 4);
		const char *fname = (const char *)sqlite3_column_text(s, 0);
		size_t nname = (size_t)sqlite3_column_bytes(s, 0);
		const char *type = (const char *)sqlite3_column_text(s, 1);
		sqlite3_int64 len = sqlite3_column_int64(s, 2);
		const char *content = sqlite3_column_blob(s, 3);
		const char *sha = (const char *)sqlite3_column_text(s, 4);
		size_t nsha = (size_t)sqlite3_column_bytes(s, 4);
		struct package_entry *f;
		char got[65];

		if (pkg->nfiles >= PACKAGE_MAX_FILES) {
			*pb = PP_TOO_LARGE;
			err_set(e, _("%s: refused: it holds more than %d files, more than a form package may carry. %s"), name,
				PACKAGE_MAX_FILES, again());
			goto fail;
		}
		if (tname != SQLITE_TEXT || !fname || !package_name_valid(fname, nname)) {
			*pb = PP_NAME;
			err_set(e, _("%s: refused: it holds a file named '%s', which is not a plain lower-case NAME.ini of at most %d bytes (no folders, no leading dot); it was not written by tianbao. %s"),
				name, fname ? text_shown(fname, nname, b, sizeof b) : "", PACKAGE_NAME_MAX, again());
			goto fail;
		}
		if (pkg->nfiles > 0 && strcmp(pkg->files[pkg->nfiles - 1].name, fname) >= 0) {
			*pb = PP_NAME;
			err_set(e, _("%s: refused: it holds the file '%s' twice. %s"), name, fname, again());
			goto fail;
		}
		if (!type || strcmp(type, "blob") != 0) {
			*pb = PP_DAMAGED;
			err_set(e, _("%s: refused: the file '%s' in it is not stored the way tianbao writes it; the package is damaged. %s"),
				name, fname, again());
			goto fail;
		}
		if (len > (sqlite3_int64)PACKAGE_FILE_MAX_BYTES) {
			*pb = PP_TOO_LARGE;
			err_set(e, _("%s: refused: the file '%s' in it is %lld bytes, larger than a form file may be (%u bytes). %s"),
				name, fname, (long long)len, PACKAGE_FILE_MAX_BYTES, again());
			goto fail;
		}
		total += (size_t)len;
		if (total > PACKAGE_TOTAL_MAX_BYTES) {
			*pb = PP_TOO_LARGE;
			err_set(e, _("%s: refused: its files are larger together than a form package may carry (%u bytes). %s"),
				name, PACKAGE_TOTAL_MAX_BYTES, again());
			goto fail;
		}
		pkg->files = xreallocarray(pkg->files, (size_t)pkg->nfiles + 1, sizeof *pkg->files);
		*shas = xreallocarray(*shas, (size_t)pkg->nfiles + 1, sizeof **shas);
		f = &pkg->files[pkg->nfiles++];
		f->name = xstrndup(fname, nname);
		f->size = (size_t)len;
		f->content = xmalloc(f->size + 1);
		if (f->size)
			memcpy(f->content, content, f->size);
		f->content[f->size] = '\0';
		if (memchr(f->content, '\0', f->size) || !utf8_valid(f->content, f->size)) {
			*pb = PP_CONTENT;
			err_set(e, _("%s: refused: the file '%s' in it is not UTF-8 text (it holds NUL bytes or invalid UTF-8). %s"),
				name, fname, again());
			goto fail;
		}
		if (tsha != SQLITE_TEXT || !sha || nsha != 64 || !str_is_hex(sha, 64)) {
			*pb = PP_DAMAGED;
			err_set(e, _("%s: refused: the file '%s' in it has no proper SHA-256; the package is damaged. %s"), name,
				fname, again());
			goto fail;
		}
		memcpy((*shas)[pkg->nfiles - 1], sha, 64);
		(*shas)[pkg->nfiles - 1][64] = '\0';
		content_sha(f, got);
		if (strcmp(got, (*shas)[pkg->nfiles - 1]) != 0) {
			*pb = PP_CHECKSUM;
			err_set(e, _("%s: refused: checksum mismatch: the file '%s' in it is not the one it was written with (damaged on the way, or changed). Copy it again, or export the package again at the township."),
				name, fname);
			goto fail;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		file_failed(db, name, pb, e);
		return -1;
	}
	return 0;
fail:
	sqlite3_finalize(s);
	return -1;
}

/* The manifest's values, each as tianbao writes it, and against the files. */
static int check_manifest(struct package *pkg, char *mvals[MK_COUNT], const char *name, enum package_problem *pb,
			  struct err *e)
{
	struct package_meta *m = &pkg->meta;
	const char *v;
	char b[128];
	int64_t count;

	*pb = PP_MANIFEST;
	v = mvals[MK_FORMAT_VERSION];
	if (strcmp(v, "1") != 0) {
		err_set(e, _("%s: refused: its manifest's format_version '%s' does not match the file; it was not written by tianbao. %s"),
			name, text_shown(v, strlen(v), b, sizeof b), again());
		return -1;
	}
	v = mvals[MK_TOWNSHIP_CODE];
	if (!township_code_ok(v)) {
		err_set(e, _("%s: refused: its township code '%s' is not a 9- or 12-digit division code. %s"), name,
			text_shown(v, strlen(v), b, sizeof b), again());
		return -1;
	}
	snprintf(m->township_code, sizeof m->township_code, "%s", v);
	v = mvals[MK_TOWNSHIP_NAME];
	if (!text_ok(v, strlen(v), PACKAGE_TEXT_MAX)) {
		err_set(e, _("%s: refused: its township name is empty or holds control characters. %s"), name, again());
		return -1;
	}
	snprintf(m->township_name, sizeof m->township_name, "%s", v);
	v = mvals[MK_PACKAGE_VERSION];
	if (!positive_parse(v, &m->version)) {
		err_set(e, _("%s: refused: its package version '%s' is not a whole number from 1 to %d. %s"), name,
			text_shown(v, strlen(v), b, sizeof b), PACKAGE_VERSION_MAX, again());
		return -1;
	}
	v = mvals[MK_WRITTEN_AT];
	if (stamp_check(v, 0) == STAMP_MALFORMED) {
		err_set(e, _("%s: refused: its time of writing '%s' is not a date and time as tianbao writes them. %s"), name,
			text_shown(v, strlen(v), b, sizeof b), again());
		return -1;
	}
	snprintf(m->written_at, sizeof m->written_at, "%s", v);
	v = mvals[MK_WRITTEN_BY];
	if (!text_ok(v, strlen(v), PACKAGE_TEXT_MAX)) {
		err_set(e, _("%s: refused: the name of who wrote it is empty or holds control characters. %s"), name, again());
		return -1;
	}
	snprintf(m->written_by, sizeof m->written_by, "%s", v);
	v = mvals[MK_PROGRAM_VERSION];
	if (!program_version_ok(v)) {
		err_set(e, _("%s: refused: its program version '%s' is not one tianbao writes. %s"), name,
			text_shown(v, strlen(v), b, sizeof b), again());
		return -1;
	}
	snprintf(m->program_version, sizeof m->program_version, "%s", v);
	v = mvals[MK_FILE_COUNT];
	if (!positive_parse(v, &count) || count != pkg->nfiles) {
		err_set(e, _("%s: refused: its manifest says it holds %s files, but it holds %d. %s"), name,
			text_shown(v, strlen(v), b, sizeof b), pkg->nfiles, again());
		return -1;
	}
	*pb = PP_NONE;
	return 0;
}

int package_read(const char *path, const char *name_for_messages, struct package *pkg, enum package_problem *pb,
		 struct err *e)
{
	const char *name = name_for_messages ? name_for_messages : path;
	char *mvals[MK_COUNT] = { 0 };
	char (*shas)[65] = NULL;
	const char **sha_list = NULL;
	unsigned char *buf = NULL;
	struct sql_work work;
	sqlite3 *db = NULL;
	size_t n = 0;
	char sum[65];
	int rc = -1;

	memset(pkg, 0, sizeof *pkg);
	*pb = PP_NONE;
	if (str_ends(path, ".tmp")) {
		*pb = PP_UNFINISHED;
		err_set(e, _("%s: refused: this is the temporary file of a form package whose writing was interrupted, not a package. %s"),
			name, again());
		return -1;
	}
	if (!(buf = slurp(path, name, &n, pb, e)) || check_header(buf, n, name, pb, e) != 0)
		goto done;
	sql_work_init(&work, (int64_t)n);
	if (open_checked(buf, n, name, &work, &db, pb, e) != 0 || read_manifest(db, mvals, name, pb, e) != 0 ||
	    read_files(db, pkg, &shas, name, pb, e) != 0)
		goto done;
	sqlite3_close(db);
	db = NULL;
	sha_list = xcalloc((size_t)pkg->nfiles + 1, sizeof *sha_list);
	for (int i = 0; i < pkg->nfiles; i++)
		sha_list[i] = shas[i];
	package_sum((const char *const *)mvals, pkg->files, sha_list, pkg->nfiles, sum);
	if (strlen(mvals[MK_CHECKSUM]) != 64 || strcmp(sum, mvals[MK_CHECKSUM]) != 0) {
		*pb = PP_CHECKSUM;
		err_set(e, _("%s: refused: checksum mismatch: the package is not the one it was written with (damaged on the way, or changed). Copy it again, or export the package again at the township."),
			name);
		goto done;
	}
	if (check_manifest(pkg, mvals, name, pb, e) != 0)
		goto done;
	{
		bool units = false;

		for (int i = 0; i < pkg->nfiles && !units; i++)
			units = strcmp(pkg->files[i].name, PACKAGE_UNITS_FILE) == 0;
		if (!units) {
			*pb = PP_NO_UNITS;
			err_set(e, _("%s: refused: it holds no %s (the township, its villages and departments), so its forms cannot be used. %s"),
				name, PACKAGE_UNITS_FILE, again());
			goto done;
		}
	}
	memcpy(pkg->checksum, sum, 65);
	pkg->format_version = PACKAGE_FORMAT_VERSION;
	pkg->name = xstrdup(name);
	rc = 0;
done:
	sqlite3_close(db);
	sqlite3_free(buf);
	for (int k = 0; k < MK_COUNT; k++)
		free(mvals[k]);
	free(shas);
	free(sha_list);
	if (rc != 0)
		package_free(pkg);
	return rc;
}
