/* package_file.c - form packages on and off USB sticks (see package_file.h). */
#include "core/package_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/stick.h"
#include "lib/file.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/text.h"

/* How messages name a form package. */
static const struct stick_kind package_kind = {
	N_("the form package"), N_("a form package"), N_("form package"), N_("export the package"), PACKAGE_EXT,
};

void package_file_name(const struct package_meta *meta, char *out, size_t size)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_add(&sb, "tianbao-forms-");
	for (const char *p = meta->township_code; *p; p++)
		sb_addc(&sb, *p >= '0' && *p <= '9' ? *p : '_');
	sb_addf(&sb, "-v%lld%s", (long long)meta->version, PACKAGE_EXT);
	snprintf(out, size, "%s", sb_str(&sb));
	sb_free(&sb);
}

bool package_file_name_parse(const char *path, char code[16], long long *version)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int used = 0;

	return sscanf(base, "tianbao-forms-%15[0-9]-v%lld" PACKAGE_EXT "%n", code, version, &used) == 2 && used > 0 &&
	       base[used] == '\0';
}

/* Copies path into dir (a private folder) and reads the copy. */
static int read_copy(const char *path, const char *name, const char *dir, struct package *pkg, enum package_problem *pb,
		     struct err *e)
{
	enum stick_copy_fault fault;
	char *copy;
	int rc;

	memset(pkg, 0, sizeof *pkg);
	if (str_ends(path, ".tmp")) {
		/* Named before the copy: the copy's name does not end in .tmp. */
		return package_read(path, name, pkg, pb, e);
	}
	copy = xasprintf("%s/package.tbp", dir);
	rc = stick_copy_in(&package_kind, path, name, copy, PACKAGE_MAX_BYTES, true, &fault, e);
	if (rc != 0)
		*pb = fault == SC_LOCAL ? PP_LOCAL : PP_UNREADABLE;
	if (rc == 0)
		rc = package_read(copy, name, pkg, pb, e);
	unlink(copy);
	free(copy);
	return rc;
}

int package_open(const char *path, struct package *pkg, enum package_problem *pb, struct err *e)
{
	char *dir, *name;
	int rc;

	memset(pkg, 0, sizeof *pkg);
	*pb = PP_NONE;
	if (!(dir = private_dir(e))) {
		*pb = PP_LOCAL;
		return -1;
	}
	name = text_sanitize(path);
	rc = read_copy(path, name, dir, pkg, pb, e);
	free(name);
	private_dir_remove(dir);
	return rc;
}

int package_export(const char *forms_dir, const struct package_meta *meta, const char *out_dir, char **path_out,
		   struct err *e)
{
	const char *dir = out_dir && *out_dir ? out_dir : ".";
	struct package built, back;
	enum package_problem pb;
	struct stat sb;
	char *tmpdir, *path, *final = NULL, name[128];
	int rc = -1, w;

	*path_out = NULL;
	memset(&built, 0, sizeof built);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		stick_write_failed(&package_kind, e, dir, _("use the folder"), stat(dir, &sb) != 0 ? errno : ENOTDIR);
		return -1;
	}
	if (!(tmpdir = private_dir(e)))
		return -1;
	path = xasprintf("%s/package.tbp", tmpdir);
	if (package_write_file(forms_dir, meta, path, e) != 0)
		goto done;
	/* Read as a village will read it before it goes anywhere: what fails here is in the
	 * forms or in this tianbao, not on the stick. */
	if (package_read(path, path, &built, &pb, e) != 0) {
		err_prefix(e, _("cannot export the form package: it does not pass the checks every village makes, so nothing was written to %s: "),
			   dir);
		goto done;
	}
	package_file_name(&built.meta, name, sizeof name);
	stick_sweep_stale(&package_kind, dir);
	w = stick_write(&package_kind, path, dir, name, &final, e);
	if (w == 1) {
		err_set(e, _("%s/%s: a form package of version %lld of this township is already there; give the new package a higher version (or remove the old file), then export again"),
			dir, name, (long long)meta->version);
		goto done;
	}
	if (w != 0)
		goto done;
	/* Read back from the stick, as a village will: the package passed every check
	 * before it was copied, so what fails now is the copy on the stick. */
	stick_forget_cached(final);
	if (package_open(final, &back, &pb, e) != 0) {
		err_prefix(e, _("the form package written to %s reads back wrong, so it was removed (the stick may be failing; try another): "),
			   dir);
		unlink(final);
		sync_dir(dir);
		goto done;
	}
	if (strcmp(back.checksum, built.checksum) != 0) {
		err_set(e, _("the form package written to %s reads back different from what was written, so it was removed (the stick may be failing; try another)"),
			final);
		package_free(&back);
		unlink(final);
		sync_dir(dir);
		goto done;
	}
	package_free(&back);
	*path_out = final;
	final = NULL;
	rc = 0;
done:
	package_free(&built);
	free(final);
	free(path);
	private_dir_remove(tmpdir);
	return rc;
}

int package_find(const char *dir, char ***files, int *n, struct err *e)
{
	return stick_list(&package_kind, dir, files, n, NULL, NULL, e);
}
