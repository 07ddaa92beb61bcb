/* package_export.c - the township's forms written as a package (see package_export.h). */
#include "core/package_export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/package_file.h"
#include "core/stick.h"
#include "lib/file.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/sha256.h"
#include "lib/str.h"
#include "lib/strlist.h"

/* A digest of the files a package of fs holds: each file's name and SHA-256, by name. */
static void add_line(char ***lines, int *n, const char *file, const char *hash)
{
	char *line = xasprintf("%s %s", stick_base_name(file), hash);

	strlist_add_sorted(lines, n, line);
	free(line);
}

static void forms_digest(const struct formset *fs, char out[65])
{
	char **lines = NULL;
	int n = 0;
	struct sha256 c;
	unsigned char d[32];

	for (int i = 0; i < fs->nforms; i++)
		add_line(&lines, &n, fs->forms[i].file, fs->forms[i].hash);
	if (fs->units_file)
		add_line(&lines, &n, fs->units_file, fs->units_hash);
	sha256_init(&c);
	for (int i = 0; i < n; i++) {
		sha256_update(&c, lines[i], strlen(lines[i]));
		sha256_update(&c, "\n", 1);
	}
	sha256_final(&c, d);
	sha256_hex(d, out);
	strlist_free(lines, n);
}

/* The version and digest of the package last written from forms_dir (PACKAGE_WRITTEN):
 * 0 with both 0/"" when none was written. */
static int last_written(const char *forms_dir, long long *version, char digest[65], struct err *e)
{
	char *path = xasprintf("%s/%s", forms_dir, PACKAGE_WRITTEN);
	char *text = NULL, *v, *d;
	size_t len;
	struct err re;

	*version = 0;
	digest[0] = '\0';
	if (access(path, F_OK) == 0 && !(text = read_file(path, 1024, &len, &re))) {
		err_set(e, _("cannot read %s: %s"), path, re.msg);
		free(path);
		return -1;
	}
	free(path);
	if (!text)
		return 0;
	if ((v = strstr(text, "version=")))
		*version = strtoll(v + 8, NULL, 10);
	if ((d = strstr(text, "digest=")) && strspn(d + 7, "0123456789abcdef") == 64)
		snprintf(digest, 65, "%.64s", d + 7);
	free(text);
	return 0;
}

static int note_written(const char *forms_dir, long long version, const char *digest, struct err *e)
{
	char *path = xasprintf("%s/%s", forms_dir, PACKAGE_WRITTEN);
	char *text = xasprintf("# The form package last written from this folder (by tianbao; do not edit).\n"
			       "version=%lld\ndigest=%s\n", version, digest);
	int rc = atomic_write_text(path, text, ATOMIC_REPLACE);

	if (rc != 0)
		err_set(e, _("cannot write %s: %s"), path, strerror(errno));
	free(text);
	free(path);
	return rc;
}

/* The same digest of a package read back. */
static void package_digest(const struct package *pkg, char out[65])
{
	struct sha256 c, f;
	unsigned char d[32];
	char hex[65];

	sha256_init(&c);
	for (int i = 0; i < pkg->nfiles; i++) {   /* sorted by name, as the lines above */
		sha256_init(&f);
		sha256_update(&f, pkg->files[i].content, pkg->files[i].size);
		sha256_final(&f, d);
		sha256_hex(d, hex);
		sha256_update(&c, pkg->files[i].name, strlen(pkg->files[i].name));
		sha256_update(&c, " ", 1);
		sha256_update(&c, hex, 64);
		sha256_update(&c, "\n", 1);
	}
	sha256_final(&c, d);
	sha256_hex(d, out);
}

/* The newest package of this township on the stick (by name: tianbao-forms-CODE-vN.tbp):
 * its version, or 0. */
static long long newest_on_stick(const char *out_dir, const char *code, char **path)
{
	char **files = NULL;
	int n = 0;
	long long best = 0;
	struct err e;

	*path = NULL;
	if (package_find(out_dir, &files, &n, &e) != 0)
		return 0;
	for (int i = 0; i < n; i++) {
		char c[16];
		long long v;

		if (package_file_name_parse(files[i], c, &v) && strcmp(c, code) == 0 && v > best) {
			best = v;
			free(*path);
			*path = xstrdup(files[i]);
		}
	}
	strlist_free(files, n);
	return best;
}

bool package_goes_with_export(struct app *app, const struct access *acc)
{
	return acc->own && acc->own->kind == UK_TOWNSHIP && app_forms_source(app) == FORMS_USER;
}

int package_export_township(const struct formset *fs, const struct access *acc, const char *forms_dir,
			    const char *out_dir, const char *by, struct package_export_result *res, struct err *e)
{
	struct package_meta meta;
	char digest[65], last_digest[65];
	char *existing = NULL;
	long long version, on_stick;

	memset(res, 0, sizeof *res);
	if (!out_dir)
		out_dir = ".";
	if (!acc->own || acc->own->kind != UK_TOWNSHIP) {
		err_set(e, "%s", acc->own ? _("only the township hands out its forms: this computer reports for a village or a department, whose forms come from the township's package")
					  : _("this computer is not set up as the township yet: run 'tianbao init --unit' with the township's code first"));
		return -1;
	}
	forms_digest(fs, digest);
	if (last_written(forms_dir, &version, last_digest, e) != 0)
		return -1;
	if (version < 1 || strcmp(last_digest, digest) != 0)
		version++;
	/* A stick that carried this township's packages before knows their versions (a
	 * township laptop set up anew has forgotten them): the same forms are that package,
	 * other forms the next version after it. */
	on_stick = newest_on_stick(out_dir, acc->own->code, &existing);
	if (on_stick >= version) {
		struct package pkg;
		enum package_problem pb;
		char there[65];

		if (package_open(existing, &pkg, &pb, e) != 0) {
			err_prefix(e, _("a form package of this township on the stick does not read right; remove it and export again: "));
			free(existing);
			return -1;
		}
		package_digest(&pkg, there);
		package_free(&pkg);
		if (strcmp(there, digest) == 0) {
			if (note_written(forms_dir, on_stick, digest, e) != 0) {
				free(existing);
				return -1;
			}
			res->version = on_stick;
			res->path = existing;
			res->already = true;
			return 0;
		}
		version = on_stick + 1;
	}
	free(existing);
	/* Noted before the package is written: a package on a stick never has a version the
	 * township could give to other forms. */
	if (note_written(forms_dir, version, digest, e) != 0)
		return -1;
	memset(&meta, 0, sizeof meta);
	meta.version = version;
	snprintf(meta.written_by, sizeof meta.written_by, "%s", by);
	res->version = version;
	return package_export(forms_dir, &meta, out_dir, &res->path, e);
}
