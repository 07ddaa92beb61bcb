/* package_install.c - a form package checked against this computer and put in place
 * (see package_install.h). */
#define _GNU_SOURCE
#include "core/package_install.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/app.h"
#include "core/config.h"
#include "core/package_file.h"
#include "core/stick.h"
#include "lib/clock.h"
#include "lib/diag.h"
#include "lib/file.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/strlist.h"

#define STAMP_MAX_BYTES 4096

/* ---- the stamp of the package installed in a folder ----------------------------------- */

static void stamp_value(const char *text, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);

	out[0] = '\0';
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
			const char *v = line + klen + 1;
			size_t n = strcspn(v, "\n");

			snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), v);
			return;
		}
	}
}

int package_installed_read(const char *forms_dir, struct package_installed *out, struct err *e)
{
	char *path = xasprintf("%s/%s", forms_dir, PACKAGE_STAMP);
	char num[32];
	char *text;
	size_t len;
	struct err re;

	memset(out, 0, sizeof *out);
	if (access(path, F_OK) != 0) {
		free(path);
		return 0;
	}
	text = read_file(path, STAMP_MAX_BYTES, &len, &re);
	if (!text) {
		err_set(e, _("%s: cannot read which form package is installed: %s"), path, re.msg);
		free(path);
		return -1;
	}
	stamp_value(text, "township_code", out->meta.township_code, sizeof out->meta.township_code);
	stamp_value(text, "township_name", out->meta.township_name, sizeof out->meta.township_name);
	stamp_value(text, "written_at", out->meta.written_at, sizeof out->meta.written_at);
	stamp_value(text, "written_by", out->meta.written_by, sizeof out->meta.written_by);
	stamp_value(text, "checksum", out->checksum, sizeof out->checksum);
	stamp_value(text, "installed_at", out->installed_at, sizeof out->installed_at);
	stamp_value(text, "version", num, sizeof num);
	out->meta.version = strtoll(num, NULL, 10);
	free(text);
	if (!out->meta.township_code[0] || out->meta.version < 1) {
		err_set(e, _("%s is damaged (it says which form package is installed). Import the township's package again."), path);
		free(path);
		return -1;
	}
	free(path);
	out->has = true;
	return 0;
}

static int stamp_write(const char *dir, const struct package *pkg, struct err *e)
{
	char *path = xasprintf("%s/%s", dir, PACKAGE_STAMP);
	char now[32];
	char *text;
	int rc;

	now_iso8601(now);
	text = xasprintf("# The form package installed here (written by tianbao; do not edit).\n"
			 "township_code=%s\ntownship_name=%s\nversion=%lld\nchecksum=%s\nwritten_at=%s\nwritten_by=%s\n"
			 "installed_at=%s\n",
			 pkg->meta.township_code, pkg->meta.township_name, (long long)pkg->meta.version, pkg->checksum,
			 pkg->meta.written_at, pkg->meta.written_by, now);
	rc = atomic_write_text(path, text, ATOMIC_NEW);
	if (rc != 0)
		err_set(e, _("cannot write %s: %s"), path, strerror(errno));
	free(text);
	free(path);
	return rc == 0 ? 0 : -1;
}

/* ---- what a package would change ----------------------------------------------------- */

static char *fields_missing(const struct form *a, const struct form *b)
{
	struct strbuf sb;

	sb_init(&sb);
	for (int i = 0; i < a->nfields; i++)
		if (!b || form_field_index(b, a->fields[i].code) < 0)
			sb_addf(&sb, "%s%s", sb.len ? ", " : "", a->fields[i].code);
	if (!sb.len) {
		sb_free(&sb);
		return NULL;
	}
	return sb_take(&sb);
}

static void add_form_change(struct package_plan *p, const struct form *before, const struct form *after)
{
	const struct form *f = after ? after : before;
	struct form_change *c;

	if (before && after && before->version == after->version && strcmp(before->hash, after->hash) == 0)
		return;
	p->forms = xreallocarray(p->forms, (size_t)p->nforms + 1, sizeof *p->forms);
	c = &p->forms[p->nforms++];
	c->id = f->id;
	c->title = f->title;
	c->title_en = f->title_en;
	c->before = before ? before->version : 0;
	c->after = after ? after->version : 0;
	c->added = before && after ? fields_missing(after, before) : NULL;
	c->removed = before && after ? fields_missing(before, after) : NULL;
}

static void add_unit_change(struct package_plan *p, const struct unit *before, const struct unit *after)
{
	struct unit_change *c;

	if (before && after && strcmp(before->name, after->name) == 0)
		return;
	p->units = xreallocarray(p->units, (size_t)p->nunits + 1, sizeof *p->units);
	c = &p->units[p->nunits++];
	c->code = after ? after->code : before->code;
	c->before = before ? before->name : NULL;
	c->after = after ? after->name : NULL;
}

static void work_out_changes(struct package_plan *p)
{
	const struct formset *a = p->current, *b = &p->incoming;

	for (int i = 0; i < b->nforms; i++)
		add_form_change(p, formset_find_form(a, b->forms[i].id), &b->forms[i]);
	for (int i = 0; i < a->nforms; i++)
		if (!formset_find_form(b, a->forms[i].id))
			add_form_change(p, &a->forms[i], NULL);
	for (int i = 0; i < b->nunits; i++)
		add_unit_change(p, formset_find_unit(a, b->units[i].code), &b->units[i]);
	for (int i = 0; i < a->nunits; i++)
		if (!formset_find_unit(b, a->units[i].code))
			add_unit_change(p, &a->units[i], NULL);
}

/* Whether the unit's code starts with the township's 9 digits (true when it does not
 * start with 9 digits: then it cannot tell). */
static bool same_township(const char *unit_code, const char *township_code)
{
	for (int i = 0; i < 9; i++)
		if (unit_code[i] < '0' || unit_code[i] > '9')
			return true;
	return strncmp(unit_code, township_code, 9) == 0;
}

/* The rules for taking a package here (package_install.h). */
static int check_against_here(const struct package_plan *p, const char *own_unit, enum package_problem *pb,
			      struct err *e)
{
	const struct package_meta *m = &p->pkg.meta, *here = &p->installed.meta;

	if (p->installed.has && strcmp(here->township_code, m->township_code) != 0) {
		*pb = PP_TOWNSHIP;
		err_set(e, _("%s: refused: it holds the forms of %s (%s), but this computer has the forms of %s (%s). Use the package of your own township; nothing was changed."),
			p->pkg.name, m->township_name, m->township_code, here->township_name, here->township_code);
		return -1;
	}
	if (p->installed.has && m->version < here->version) {
		*pb = PP_OLDER;
		err_set(e, _("%s: refused: it is version %lld of the forms of %s, older than version %lld installed here (on %.10s). Use the newest package from the township; nothing was changed."),
			p->pkg.name, (long long)m->version, m->township_name, (long long)here->version, p->installed.installed_at);
		return -1;
	}
	if (p->installed.has && m->version == here->version && strcmp(p->installed.checksum, p->pkg.checksum) != 0) {
		*pb = PP_OLDER;
		err_set(e, _("%s: refused: it says it is version %lld of the forms of %s, the version installed here, but its content differs. Ask the township to export its package again; nothing was changed."),
			p->pkg.name, (long long)m->version, m->township_name);
		return -1;
	}
	if (own_unit && *own_unit && !formset_find_unit(&p->incoming, own_unit)) {
		const struct unit *u = formset_find_unit(p->current, own_unit);

		*pb = PP_OWN_UNIT;
		/* A unit's code starts with its township's 9 digits: when they differ, the
		 * package is another township's (as on a laptop that had none installed). */
		if (!same_township(own_unit, m->township_code))
			err_set(e, _("%s: refused: it holds the forms of %s (%s), another township: this computer reports for %s (%s). Use the package of your own township; nothing was changed."),
				p->pkg.name, m->township_name, m->township_code, u ? i18n_pick(u->name, u->name_en) : own_unit,
				own_unit);
		else
			err_set(e, _("%s: refused: this computer reports for %s (%s), which the forms of %s in it do not list. Ask the township whether your unit's code changed; nothing was changed."),
				p->pkg.name, u ? i18n_pick(u->name, u->name_en) : own_unit, own_unit, m->township_name);
		return -1;
	}
	return 0;
}

int package_plan_make(const char *path, const struct formset *current, const char *current_dir, const char *own_unit,
		      struct package_plan *plan, enum package_problem *pb, struct err *e)
{
	struct diag_list diags;
	int rc;

	memset(plan, 0, sizeof *plan);
	plan->current = current;
	*pb = PP_NONE;
	if (package_open(path, &plan->pkg, pb, e) != 0)
		return -1;
	if (!(plan->dir = private_dir(e))) {
		*pb = PP_LOCAL;
		goto fail;
	}
	diag_init(&diags);
	rc = package_load(&plan->pkg, plan->dir, &plan->incoming, &diags, e);
	diag_free(&diags);
	if (rc != 0) {
		*pb = PP_FORMS;
		goto fail;
	}
	if (package_installed_read(current_dir, &plan->installed, e) != 0) {
		*pb = PP_LOCAL;
		goto fail;
	}
	if (check_against_here(plan, own_unit, pb, e) != 0)
		goto fail;
	plan->same = plan->installed.has && plan->installed.meta.version == plan->pkg.meta.version;
	{
		const struct unit *own = own_unit && *own_unit ? formset_find_unit(current, own_unit) : NULL;

		plan->own = own && own->kind == UK_TOWNSHIP && strcmp(own->code, plan->pkg.meta.township_code) == 0;
	}
	work_out_changes(plan);
	return 0;
fail:
	package_plan_free(plan);
	return -1;
}

void package_plan_free(struct package_plan *plan)
{
	for (int i = 0; i < plan->nforms; i++) {
		free(plan->forms[i].added);
		free(plan->forms[i].removed);
	}
	free(plan->forms);
	free(plan->units);
	if (plan->incoming.dir || plan->incoming.nforms || plan->incoming.nunits)
		formset_free(&plan->incoming);
	package_free(&plan->pkg);
	private_dir_remove(plan->dir);
	memset(plan, 0, sizeof *plan);
}

void package_plan_describe(const struct package_plan *p, struct strbuf *out)
{
	const struct package_meta *m = &p->pkg.meta;
	const struct unit *twp = formset_township(p->current);

	sb_addf(out, _("Form package %s: the forms of %s (%s), version %lld, written %.10s by %s.\n"),
		stick_base_name(p->pkg.name), m->township_name, m->township_code, (long long)m->version, m->written_at,
		m->written_by);
	if (p->installed.has)
		sb_addf(out, _("This computer now: version %lld of the forms of %s, installed %.10s.\n"),
			(long long)p->installed.meta.version, p->installed.meta.township_name, p->installed.installed_at);
	else
		sb_addf(out, _("This computer now: the forms of %s (%s), from no package.\n"), twp ? twp->name : "?",
			twp ? twp->code : "?");
	if (p->own) {
		sb_addf(out, "%s\n", _("This is this township's own form package, written from the forms in use here: nothing to install."));
		return;
	}
	if (p->same) {
		sb_addf(out, "%s\n", _("This package is installed already: nothing to change."));
		return;
	}
	if (p->nforms == 0 && p->nunits == 0)
		sb_addf(out, "%s\n", _("The forms and units are the same as here."));
	for (int i = 0; i < p->nforms; i++) {
		const struct form_change *c = &p->forms[i];
		const char *title = i18n_pick(c->title, c->title_en);

		if (!c->before)
			sb_addf(out, _("  form %s (%s): added, version %d\n"), c->id, title, c->after);
		else if (!c->after)
			sb_addf(out, _("  form %s (%s): removed (the values stored here stay)\n"), c->id, title);
		else if (c->before != c->after)
			sb_addf(out, _("  form %s (%s): version %d -> %d\n"), c->id, title, c->before, c->after);
		else
			sb_addf(out, _("  form %s (%s): changed, still version %d\n"), c->id, title, c->after);
		if (c->added)
			sb_addf(out, _("    fields added: %s\n"), c->added);
		if (c->removed)
			sb_addf(out, _("    fields removed: %s (the values stored here stay)\n"), c->removed);
	}
	for (int i = 0; i < p->nunits; i++) {
		const struct unit_change *c = &p->units[i];

		if (!c->before)
			sb_addf(out, _("  unit %s %s: added\n"), c->code, c->after);
		else if (!c->after)
			sb_addf(out, _("  unit %s %s: removed (the values stored here stay)\n"), c->code, c->before);
		else
			sb_addf(out, _("  unit %s: renamed %s -> %s\n"), c->code, c->before, c->after);
	}
	sb_addf(out, "%s\n", _("Values are never lost: the set replaced is kept, and 'tianbao undo-forms' puts it back."));
}

/* ---- putting it in place --------------------------------------------------------------- */

static char *parent_of(const char *dir)
{
	const char *slash = strrchr(dir, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == dir)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - dir), dir);
}

/* Folders left by an install that died before its rename: only swept under the lock,
 * so never one another tianbao is writing. */
static void sweep_staging(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, ".forms-new-", 11) == 0 || strncmp(de->d_name, ".forms-old-", 11) == 0) {
			char *p = xasprintf("%s/%s", parent, de->d_name);

			remove_tree(p);
			free(p);
		}
	}
	closedir(d);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* One install or undo at a time in a folder: an flock on PARENT/.forms.lock, held until
 * the descriptor is closed. -1 with e when another tianbao holds it. */
static int lock_forms(const char *parent, struct err *e)
{
	char *path = xasprintf("%s/.forms.lock", parent);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
		err_set(e, fd < 0 ? _("cannot lock %s: %s") : _("%s: another tianbao is changing the forms now; try again when it is done (%s)"),
			path, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

/* Exchanges two folders in one step (renameat2 RENAME_EXCHANGE). Where the file system
 * cannot, b is moved aside, a put in its place, the old b moved to a's name, each step
 * undone when the next fails (a power cut between them can leave b's name empty for a
 * moment: the set is then under a's name or B.aside). */
static int exchange_dirs(const char *a, const char *b)
{
	char *aside;
	int rc = -1;

	if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	aside = xasprintf("%s.aside", b);
	if (rename(b, aside) == 0) {
		if (rename(a, b) != 0)
			(void)rename(aside, b);
		else if (rename(aside, a) != 0)
			(void)(rename(b, a) == 0 && rename(aside, b) == 0);
		else
			rc = 0;
	}
	free(aside);
	return rc;
}

int package_plan_install(struct package_plan *plan, const char *forms_dir, struct err *e)
{
	char *parent = parent_of(forms_dir), *staging = NULL, *prev = NULL, *old = NULL;
	int rc = -1, lock = -1;

	if (make_parent_dirs(forms_dir, e) != 0 || (lock = lock_forms(parent, e)) < 0)
		goto done;
	sweep_staging(parent);
	staging = xasprintf("%s/.forms-new-XXXXXX", parent);
	if (!mkdtemp(staging)) {
		err_set(e, _("cannot make a folder in %s for the new forms: %s"), parent, strerror(errno));
		free(staging);
		staging = NULL;
		goto done;
	}
	if (package_extract(&plan->pkg, staging, e) != 0 || stamp_write(staging, &plan->pkg, e) != 0)
		goto done;
	if (chmod(staging, 0755) != 0 || sync_dir(staging) != 0) {
		err_set(e, _("cannot write the new forms into %s: %s"), staging, strerror(errno));
		goto done;
	}
	prev = xasprintf("%s.prev", forms_dir);
	/* The set kept before is moved out of the way first, and removed only at the end:
	 * nothing is deleted while anything can still fail. */
	if (is_dir(prev)) {
		old = xasprintf("%s/.forms-old-%ld", parent, (long)getpid());
		remove_tree(old);
		if (rename(prev, old) != 0) {
			err_set(e, _("cannot move %s aside: %s"), prev, strerror(errno));
			goto done;
		}
	}
	if (!is_dir(forms_dir)) {
		if (rename(staging, forms_dir) != 0) {
			err_set(e, _("cannot put the new forms in place at %s: %s"), forms_dir, strerror(errno));
			goto restore;
		}
	} else {
		if (exchange_dirs(staging, forms_dir) != 0) {
			err_set(e, _("cannot put the new forms in place at %s: %s"), forms_dir, strerror(errno));
			goto restore;
		}
		/* staging now holds the set replaced: it becomes the one kept for undo. */
		if (rename(staging, prev) != 0) {
			err_set(e, _("the new forms are in place at %s; the set they replaced is kept in %s (it could not be named %s: %s)"),
				forms_dir, staging, prev, strerror(errno));
			free(staging);
			staging = NULL;   /* never removed: it holds the forms replaced */
			rc = 1;
			goto done;
		}
	}
	free(staging);
	staging = NULL;
	if (sync_dir(parent) != 0) {
		err_set(e, _("cannot sync the folder %s: %s"), parent, strerror(errno));
		goto done;
	}
	if (old)
		remove_tree(old);
	rc = 0;
	goto done;
restore:
	if (old)
		(void)rename(old, prev);
done:
	if (staging) {
		remove_tree(staging);
		free(staging);
	}
	if (lock >= 0)
		close(lock);
	free(old);
	free(prev);
	free(parent);
	return rc;
}

int package_undo(const char *forms_dir, struct package_installed *now, struct err *e)
{
	char *prev = xasprintf("%s.prev", forms_dir), *parent = parent_of(forms_dir);
	char *prev_units = xasprintf("%s/%s", prev, PACKAGE_UNITS_FILE);
	int rc = 1, lock = -1;

	memset(now, 0, sizeof *now);
	if (is_dir(prev) && is_dir(forms_dir) && access(prev_units, F_OK) == 0) {
		if ((lock = lock_forms(parent, e)) < 0)
			rc = -1;
		else if (exchange_dirs(prev, forms_dir) != 0 || sync_dir(parent) != 0) {
			err_set(e, _("cannot put back the forms kept in %s: %s"), prev, strerror(errno));
			rc = -1;
		} else {
			rc = package_installed_read(forms_dir, now, e) == 0 ? 0 : -1;
		}
	}
	if (lock >= 0)
		close(lock);
	free(prev_units);
	free(prev);
	free(parent);
	return rc;
}

/* ---- on this computer ------------------------------------------------------------------ */

int package_install_here(struct app *app, struct store *st, struct package_plan *plan, struct err *e)
{
	enum forms_source source = app_forms_source(app);
	const char *dir;
	struct err reload_e;
	int rc;

	if (plan->same || plan->own)
		return 0;
	if (source == FORMS_OPTION || source == FORMS_ENV) {
		err_set(e, _("the forms in use are %s, given by %s; a form package is installed only into this user's configuration (%s). Start tianbao without it to install the package."),
			app_forms_dir(app), source == FORMS_OPTION ? "--forms" : "TIANBAO_FORMS", config_user_forms_dir());
		return -1;
	}
	if (app_writable_forms_dir(app, &dir, e) != 0 || (rc = package_plan_install(plan, dir, e)) < 0)
		return -1;
	if (rc == 0 && st)
		rc = app_reload_forms(app, st, e) == 0 ? 0 : 1;
	else if (rc > 0 && st)
		app_reload_forms(app, st, &reload_e);   /* e says what failed before */
	return rc;
}

/* Whether a folder holds a file named *ext (not a dotfile). */
static bool has_file_ending(const char *dir, const char *ext)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d)) != NULL)
		found = de->d_name[0] != '.' && str_ends(de->d_name, ext);
	closedir(d);
	return found;
}

/* A stick may hold every package the township ever wrote: of each township's, only the
 * newest by name is offered (the older ones would be refused, or installed first). */
static void keep_newest(char **list, int *n)
{
	bool *older = xcalloc((size_t)*n + 1, sizeof *older);
	int kept = 0;

	for (int i = 0; i < *n; i++) {
		char code[16], other[16];
		long long v, w;

		if (package_file_name_parse(list[i], code, &v))
			for (int j = 0; j < *n && !older[i]; j++)
				older[i] = j != i && package_file_name_parse(list[j], other, &w) && strcmp(code, other) == 0 &&
					   (w > v || (w == v && j < i));
	}
	for (int i = 0; i < *n; i++) {
		if (older[i])
			free(list[i]);
		else
			list[kept++] = list[i];
	}
	free(older);
	*n = kept;
}

void package_split_args(const char *const *args, int nargs, char ***packages, int *np, char ***data, int *nd)
{
	*packages = *data = NULL;
	*np = *nd = 0;
	for (int i = 0; i < nargs; i++) {
		char **found = NULL;
		int nfound = 0;
		struct err e;

		if (str_ends(args[i], PACKAGE_EXT)) {
			strlist_add(packages, np, args[i]);
			continue;
		}
		if (is_dir(args[i]) && package_find(args[i], &found, &nfound, &e) == 0) {
			for (int k = 0; k < nfound; k++)
				strlist_add(packages, np, found[k]);
			strlist_free(found, nfound);
			/* A folder of packages only holds nothing for the merge of data. */
			if (nfound > 0 && !has_file_ending(args[i], ".tbx"))
				continue;
		}
		strlist_add(data, nd, args[i]);
	}
	keep_newest(*packages, np);
}
