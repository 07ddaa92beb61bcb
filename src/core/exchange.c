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
#include "core/stick.h"
#include "store/merge.h"
#include "store/export.h"
#include "tbx/tbx.h"
#include "tbx/check.h"
#include "tbx/read.h"

/* How messages name an export file. */
static const struct stick_kind export_kind = {
	N_("the export"), N_("an export file"), N_("export file"), N_("export"), EXPORT_EXT,
};


static bool ends_with_tmp(const char *path)
{
	return str_ends(path, ".tmp");
}

/* ---- verify ---------------------------------------------------------------------- */

/* Copies path into dir and loads it: the common start of verify and merge. Messages
 * call the file `name`: its path made safe to print (text_sanitize). */
static int load_copy(const char *path, const char *name, const char *dir, const struct formset *fs,
		     struct export_file **xf, enum export_problem *pb, struct err *e)
{
	enum stick_copy_fault fault;
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
	rc = stick_copy_in(&export_kind, path, name, copy, EXPORT_MAX_BYTES, false, &fault, e);
	if (rc != 0)
		*pb = fault == SC_LOCAL ? EP_STORE : EP_UNREADABLE;
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
		stick_write_failed(&export_kind, e, dir, _("use the folder"), stat(dir, &sb) != 0 ? errno : ENOTDIR);
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
	stick_sweep_stale(&export_kind, dir);
	for (int k = 2; k <= 100 && w == 1; k++) {
		w = stick_write(&export_kind, built, dir, name, &final, e);
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
	stick_forget_cached(final);
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
		char **in = NULL, **skipped = NULL;
		int nin = 0, nskipped = 0;
		struct err le;

		if (stat(args[i], &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			add_item(items, n, xstrdup(args[i]), NULL);
			continue;
		}
		if (stick_list(&export_kind, args[i], &in, &nin, &skipped, &nskipped, &le) != 0) {
			add_item(items, n, xstrdup(args[i]), xstrdup(le.msg));
			continue;
		}
		if (nin == 0 && nskipped == 0) {
			char *name = text_sanitize(args[i]);

			err_set(&le, _("%s: refused: there is no export file (*%s) in this folder"), name, EXPORT_EXT);
			add_item(items, n, xstrdup(args[i]), xstrdup(le.msg));
			free(name);
		}
		for (int k = 0; k < nin; k++)
			add_item(items, n, in[k], NULL);
		free(in);
		/* What looks like an export file but is not one is said, not passed over. */
		for (int k = 0; k < nskipped; k++)
			add_item(items, n, skipped[k], stick_skip_reason(&export_kind, skipped[k]));
		free(skipped);
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
			m = store_merge_file(merger, xf, stick_base_name(r->file), opt->operator_name, &r->counts, r->merged_before,
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
			} else if (m == 2) {
				/* refused for what it would do here (store/merge.h) */
				r->problem = EP_DAMAGED;
				snprintf(r->message, sizeof r->message, "%s", fe.msg);
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
