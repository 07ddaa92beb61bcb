/* app.c - shared start-up of commands. */
#include "core/app.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "core/config.h"
#include "forms/load.h"
#include "lib/diag.h"
#include "lib/i18n.h"
#include "lib/text.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "lib/str.h"

enum forms_source app_forms_source(struct app *app)
{
	const char *env = getenv("TIANBAO_FORMS");
	enum forms_source source;

	if (app->forms_dir)
		return FORMS_OPTION;
	if (env && *env)
		return FORMS_ENV;
	config_find_forms_dir(&source);
	return source;
}

const char *app_forms_dir(struct app *app)
{
	const char *env = getenv("TIANBAO_FORMS");
	enum forms_source source;

	if (app->forms_dir)
		return app->forms_dir;
	if (env && *env)
		return env;
	return config_find_forms_dir(&source);
}

int app_writable_forms_dir(struct app *app, const char **dir, struct err *e)
{
	enum forms_source source = app_forms_source(app);
	const char *user = config_user_forms_dir();

	*dir = NULL;
	if (source == FORMS_OPTION || source == FORMS_ENV || source == FORMS_USER) {
		*dir = app_forms_dir(app);
		return 0;
	}
	if (config_copy_forms_dir(app_forms_dir(app), user, e) != 0) {
		err_prefix(e, _("the forms in %s are never changed, so they are first copied to %s, which failed: "),
			   app_forms_dir(app), user);
		return -1;
	}
	*dir = config_user_forms_dir();
	return 0;
}

int app_load_forms(struct app *app)
{
	struct diag_list diags;
	int rc;

	if (app->forms_loaded)
		return 0;
	diag_init(&diags);
	rc = formset_load_dir(app_forms_dir(app), &app->forms, &diags);
	if (rc != 0) {
		diag_print(&diags, stderr);
		fprintf(stderr, _("%s: the form definitions have %d problem(s); run '%s check-forms %s' after fixing them\n"),
			app->prog, diags.n, app->prog, app_forms_dir(app));
		formset_free(&app->forms);
	} else {
		app->forms_loaded = true;
	}
	diag_free(&diags);
	return rc;
}

int app_reload_forms(struct app *app, struct store *st, struct err *e)
{
	app_free(app);
	if (app_load_forms(app) != 0) {
		err_set(e, _("the form definitions in %s have problems (listed above)"), app_forms_dir(app));
		return -1;
	}
	return st ? store_sync_units(st, &app->forms, e) : 0;
}

void app_free(struct app *app)
{
	if (app->forms_loaded)
		formset_free(&app->forms);
	app->forms_loaded = false;
}

const char *app_db_path(struct app *app)
{
	const char *env = getenv("TIANBAO_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (app->db_path)
		return app->db_path;
	if (env && *env)
		return env;
	if (xdg && *xdg == '/')
		snprintf(app->db_buf, sizeof app->db_buf, "%s/tianbao/tianbao.db", xdg);
	else
		snprintf(app->db_buf, sizeof app->db_buf, "%s/.local/share/tianbao/tianbao.db", home && *home ? home : ".");
	return app->db_buf;
}

/* USB sticks lie about syncing and get pulled out: the live database stays on the
 * laptop's own disk, and exports are what travel. */
static bool on_removable_media(const char *path)
{
	char dir[4096];
	struct statfs sf;
	char *slash;

	if (str_starts(path, "/media/") || str_starts(path, "/run/media/"))
		return true;
	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	else if (!slash)
		snprintf(dir, sizeof dir, ".");
	if (statfs(dir, &sf) != 0)
		return false;
	/* FAT and exFAT: what USB sticks are formatted with. */
	return sf.f_type == 0x4d44 || sf.f_type == 0x2011BAB0;
}

int app_open_store(struct app *app, enum store_mode mode, struct store **st, struct err *e)
{
	const char *path = app_db_path(app);

	*st = NULL;
	if (app_load_forms(app) != 0) {
		err_set(e, _("the form definitions in %s have problems (listed above)"), app_forms_dir(app));
		return -1;
	}
	if (on_removable_media(path) && !getenv("TIANBAO_ALLOW_REMOVABLE")) {
		err_set(e, _("%s is on a USB stick or other removable disk. Keep the database on this computer's disk and use 'tianbao export' to carry data."),
			path);
		return -1;
	}
	if (store_open(path, mode, st, e) != 0)
		return -1;
	if (store_copied_from(*st))
		fprintf(stderr, _("%s: note: %s was copied or restored from a backup, so it now has installation id %s (it was %s): its changes and the original's will not be taken for one another.\n"),
			app->prog, path, store_installation_id(*st), store_copied_from(*st));
	if (mode == STORE_WRITE && store_sync_units(*st, &app->forms, e) != 0) {
		store_close(*st);
		*st = NULL;
		return -1;
	}
	return 0;
}

bool operator_name_valid(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n <= 256 && utf8_valid(name, n) && utf8_chars(name) <= 64 && !text_has_control(name);
}

/* The login name of this process's user into buf ("" when unknown). */
static void login_name(char *buf, size_t size)
{
	struct passwd *pw;
#ifdef TIANBAO_STATIC
	/* A static binary's getpwuid would load the computer's NSS libraries, built for
	 * another C library: /etc/passwd is read as a file instead (fgetpwent uses no NSS). */
	FILE *f = fopen("/etc/passwd", "re");

	buf[0] = '\0';
	if (!f)
		return;
	while ((pw = fgetpwent(f)))
		if (pw->pw_uid == getuid()) {
			snprintf(buf, size, "%s", pw->pw_name ? pw->pw_name : "");
			break;
		}
	fclose(f);
#else
	pw = getpwuid(getuid());
	snprintf(buf, size, "%s", pw && pw->pw_name ? pw->pw_name : "");
#endif
}

const char *app_operator(struct app *app, struct store *st)
{
	char *op = NULL;
	struct err e;

	if (st && store_meta_get(st, "operator", &op, &e) == 0 && op && *op) {
		snprintf(app->operator_buf, sizeof app->operator_buf, "%s", op);
		free(op);
		return app->operator_buf;
	}
	free(op);
	login_name(app->operator_buf, sizeof app->operator_buf);
	if (!app->operator_buf[0]) {
		const char *user = getenv("USER");

		snprintf(app->operator_buf, sizeof app->operator_buf, "%s", user && *user ? user : "?");
	}
	/* The login name or $USER goes into every value written and every export: one a
	 * reader would refuse (control characters, too long) is replaced. */
	if (!operator_name_valid(app->operator_buf))
		snprintf(app->operator_buf, sizeof app->operator_buf, "%s", "?");
	return app->operator_buf;
}

int app_remember_choice(struct store *st, const char *unit, const char *period, struct err *e)
{
	if (store_meta_set(st, "last_unit", unit, e) != 0 || store_meta_set(st, "last_period", period, e) != 0)
		return -1;
	return 0;
}

/* A database `tianbao demo` built says so in meta demo = 1: it alone may be rebuilt. */
int app_mark_demo(struct store *st, struct err *e)
{
	return store_meta_set(st, "demo", "1", e);
}

int app_is_demo(struct store *st, bool *demo, struct err *e)
{
	char *v = NULL;
	int rc = store_meta_get(st, "demo", &v, e);

	*demo = rc == 0 && v && strcmp(v, "1") == 0;
	free(v);
	return rc;
}

void app_error(const struct app *app, const char *msg)
{
	/* Whatever a message echoes (a name from a file, an argument), no control character
	 * reaches the terminal: each is shown instead (lib/text). */
	char *shown = text_visible(msg, true);

	fprintf(stderr, "%s: %s\n", app->prog, shown);
	free(shown);
}
