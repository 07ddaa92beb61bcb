/* cmd_demo.c - `tianbao demo [--db FILE] [--reset] [--build-only]` (see cmd_demo.h).
 *
 * The demo is built by running its script (db/demo.tb, built into the binary) through the
 * same command table as the command line: each village's laptop is a database of its
 * own that enters, completes and exports; the township merges the files. So the demo is
 * made of exactly what a township's real data is made of, and cannot drift from the
 * commands. It is built in a folder beside the demo database (.demo-build) and moved
 * into place only when every step worked; a file that is not a demo database is never
 * written over, whatever --db names.
 */
#include "cli/cmd_demo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/demo_script.h"
#include "cli/dispatch.h"
#include "core/app.h"
#include "core/config.h"
#include "lib/file.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/text.h"
#include "store/store.h"

#define DEMO_WORDS_MAX 40

/* The derived paths are the demo database's folder and a short name: checked to fit. */
#define DEMO_NAME_MAX 64

struct demo {
	const char *forms;
	char db[PATH_MAX];          /* the demo database */
	char dir[PATH_MAX];         /* its folder */
	char stick[PATH_MAX + DEMO_NAME_MAX];       /* dir/stick: the demo's USB stick */
	char work[PATH_MAX + DEMO_NAME_MAX];        /* dir/.demo-build, while building */
	char build_db[PATH_MAX + 2 * DEMO_NAME_MAX];
	char build_stick[PATH_MAX + 2 * DEMO_NAME_MAX];
	char outbox[PATH_MAX + 2 * DEMO_NAME_MAX];
	char current[PATH_MAX + 2 * DEMO_NAME_MAX]; /* the database the script's commands run on */
	int nlaptops;
	bool township_made;
};

static void demo_default_path(char *out, size_t size)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (xdg && *xdg == '/')
		snprintf(out, size, "%s/tianbao/demo/demo.db", xdg);
	else
		snprintf(out, size, "%s/.local/share/tianbao/demo/demo.db", home && *home ? home : ".");
}

/* Whether the file at path is a database `tianbao demo` built (meta demo = 1). */
static int is_demo_db(const char *path, bool *demo, struct err *e)
{
	struct store *st;
	int rc;

	*demo = false;
	if (store_open(path, STORE_READ, &st, e) != 0)
		return -1;
	rc = app_is_demo(st, demo, e);
	store_close(st);
	return rc;
}

/* One tianbao command of the script, on the current database, its output hidden. */
static int run_words(struct demo *d, char **words, int n)
{
	char *argv[DEMO_WORDS_MAX + 8];
	struct app sub;
	int argc = 0, rc, saved, null;

	argv[argc++] = "tianbao";
	argv[argc++] = "--db";
	argv[argc++] = d->current;
	argv[argc++] = "--forms";
	argv[argc++] = (char *)d->forms;
	for (int i = 0; i < n; i++)
		argv[argc++] = words[i];
	argv[argc] = NULL;
	memset(&sub, 0, sizeof sub);
	sub.prog = "tianbao";
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && null >= 0)
		dup2(null, STDOUT_FILENO);
	rc = cli_dispatch(&sub, argc, argv);
	fflush(stdout);
	if (saved >= 0 && null >= 0)
		dup2(saved, STDOUT_FILENO);
	if (saved >= 0)
		close(saved);
	if (null >= 0)
		close(null);
	app_free(&sub);
	return rc;
}

/* The newest file of unit on the build's stick, its first `bytes` bytes copied as name:
 * a file damaged on its way. */
static int damaged_copy(struct demo *d, const char *unit, const char *name, long bytes, struct err *e)
{
	char prefix[64], best[NAME_MAX + 1] = "", path[PATH_MAX * 2];
	time_t best_time = 0;
	struct dirent *de;
	struct stat sb;
	size_t len;
	char *data;
	DIR *dir;
	int fd, rc;

	snprintf(prefix, sizeof prefix, "tianbao-%s-", unit);
	dir = opendir(d->build_stick);
	if (!dir) {
		err_set(e, "%s: %s", d->build_stick, strerror(errno));
		return -1;
	}
	while ((de = readdir(dir)))
		if (str_starts(de->d_name, prefix) && str_ends(de->d_name, ".tbx")) {
			snprintf(path, sizeof path, "%s/%s", d->build_stick, de->d_name);
			if (stat(path, &sb) == 0 && (!best[0] || sb.st_mtime >= best_time)) {
				best_time = sb.st_mtime;
				snprintf(best, sizeof best, "%s", de->d_name);
			}
		}
	closedir(dir);
	if (!best[0]) {
		err_set(e, "no file of %s on the demo's stick", unit);
		return -1;
	}
	snprintf(path, sizeof path, "%s/%s", d->build_stick, best);
	data = read_file(path, 64u << 20, &len, e);
	if (!data)
		return -1;
	snprintf(path, sizeof path, "%s/%s", d->build_stick, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	rc = fd >= 0 && write_all(fd, data, (size_t)bytes < len ? (size_t)bytes : len) == 0 ? 0 : -1;
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	if (rc != 0)
		err_set(e, "%s: %s", path, strerror(errno));
	free(data);
	return rc;
}

/* The screens open on unit and period; the database is marked as a demo's. */
static int remember(struct demo *d, const char *unit, const char *period, struct err *e)
{
	struct app sub;
	struct store *st;
	int rc;

	memset(&sub, 0, sizeof sub);
	sub.prog = "tianbao";
	sub.db_path = d->current;
	sub.forms_dir = d->forms;
	if (app_open_store(&sub, STORE_WRITE, &st, e) != 0) {
		app_free(&sub);
		return -1;
	}
	rc = app_mark_demo(st, e) == 0 && app_remember_choice(st, unit, period, e) == 0 ? 0 : -1;
	store_close(st);
	app_free(&sub);
	return rc;
}

/* A word of the script, with {outbox} and {stick} put in. */
static char *script_word(struct demo *d, char *w)
{
	if (strcmp(w, "{outbox}") == 0)
		return d->outbox;
	if (strcmp(w, "{stick}") == 0)
		return d->build_stick;
	return w;
}

/* One line of the script (see db/demo.tb). */
static int run_line(struct demo *d, char *line, struct err *e)
{
	char *words[DEMO_WORDS_MAX], *save = NULL, *w;
	bool may_fail = false;
	int n = 0;

	for (w = strtok_r(line, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n == DEMO_WORDS_MAX) {
			err_set(e, "more than %d words", DEMO_WORDS_MAX);
			return -1;
		}
		words[n++] = script_word(d, w);
	}
	if (n == 0 || words[0][0] == '#')
		return 0;
	if ((strcmp(words[0], "laptop") == 0 || strcmp(words[0], "township") == 0) && n == 3) {
		bool township = words[0][0] == 't';
		char *init[] = { "init", "--unit", words[1], "--operator", words[2] };

		if (township)
			snprintf(d->current, sizeof d->current, "%s", d->build_db);
		else
			snprintf(d->current, sizeof d->current, "%s/laptop-%d.db", d->work, ++d->nlaptops);
		if (township && d->township_made)
			return 0;
		d->township_made |= township;
		return run_words(d, init, 5) == 0 ? 0 : (err_set(e, "init"), -1);
	}
	if (strcmp(words[0], "damaged-copy") == 0 && n == 4)
		return damaged_copy(d, words[1], words[2], atol(words[3]), e);
	if (strcmp(words[0], "remember") == 0 && n == 3)
		return remember(d, words[1], words[2], e);
	if (words[0][0] == '-') {
		may_fail = true;
		words[0]++;
	}
	if (run_words(d, words, n) != 0 && !may_fail) {
		err_set(e, "%s", words[0]);
		return -1;
	}
	return 0;
}

static int make_dir(const char *path, struct err *e)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		err_set(e, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The whole script, in d->work. */
static int build(struct demo *d, struct err *e)
{
	char *script = xstrdup(demo_script), *save = NULL, *line;
	struct err le;
	int lineno = 0, rc = 0;

	remove_tree(d->work);
	if (make_dir(d->work, e) != 0 || make_dir(d->outbox, e) != 0 || make_dir(d->build_stick, e) != 0) {
		free(script);
		return -1;
	}
	for (line = strtok_r(script, "\n", &save); line && rc == 0; line = strtok_r(NULL, "\n", &save)) {
		char copy[4096];

		lineno++;
		snprintf(copy, sizeof copy, "%s", line);
		if (run_line(d, line, &le) != 0) {
			err_set(e, _("the demo could not be built: its step '%.60s…' failed (%s)"), copy, le.msg);
			rc = -1;
		}
	}
	free(script);
	return rc;
}

/* The built database and stick in place of the old ones. */
static int put_in_place(struct demo *d, struct err *e)
{
	static const char *const sides[] = { "", "-wal", "-shm", ".lock" };
	char path[PATH_MAX + 16];

	for (size_t i = 0; i < ARRAY_LEN(sides); i++) {
		snprintf(path, sizeof path, "%s%s", d->db, sides[i]);
		if (unlink(path) != 0 && errno != ENOENT) {
			err_set(e, "%s: %s", path, strerror(errno));
			return -1;
		}
	}
	remove_tree(d->stick);
	if (rename(d->build_db, d->db) != 0 || rename(d->build_stick, d->stick) != 0) {
		err_set(e, "%s: %s", d->db, strerror(errno));
		return -1;
	}
	sync_dir(d->dir);
	remove_tree(d->work);
	return 0;
}

static int demo_run(struct cmd_ctx *ctx)
{
	struct app *app = ctx->app;
	/* Only --db (every command's option) names the demo's file: TIANBAO_DB, the user's
	 * own database, is left alone. */
	const char *db = app->db_path;
	char eb[TEXT_ECHO_SIZE];
	struct demo *d = xcalloc(1, sizeof *d);
	struct stat sb;
	struct err e;
	bool exists, demo = false;
	char *slash;
	int rc = EXIT_OK;

	if (db && strlen(db) >= sizeof d->db - DEMO_NAME_MAX) {
		err_set(&e, _("the name of the demo database is too long: %s"), text_echo(db, eb, sizeof eb));
		free(d);
		return cmd_fail(ctx, &e);
	}
	if (db)
		snprintf(d->db, sizeof d->db, "%s", db);
	else
		demo_default_path(d->db, sizeof d->db);
	/* The shipped forms, whatever this user's own township is: the demo's units are
	 * the sample township's. */
	d->forms = app->forms_dir ? app->forms_dir : config_default_forms_dir();
	snprintf(d->dir, sizeof d->dir, "%s", d->db);
	slash = strrchr(d->dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(d->dir, sizeof d->dir, ".");
	snprintf(d->stick, sizeof d->stick, "%s/stick", d->dir);
	snprintf(d->work, sizeof d->work, "%s/.demo-build", d->dir);
	snprintf(d->build_db, sizeof d->build_db, "%s/demo.db", d->work);
	snprintf(d->build_stick, sizeof d->build_stick, "%s/stick", d->work);
	snprintf(d->outbox, sizeof d->outbox, "%s/outbox", d->work);

	exists = stat(d->db, &sb) == 0;
	if (exists && is_demo_db(d->db, &demo, &e) != 0)
		rc = cmd_fail(ctx, &e);
	else if (exists && !demo) {
		err_set(&e, _("%s is not a demo database: tianbao demo never writes over other data. Name another "
			      "file with --db, or leave --db out for the demo's own folder."),
			text_echo(d->db, eb, sizeof eb));
		rc = cmd_fail(ctx, &e);
	} else if (!exists || cmd_flag(ctx, "reset")) {
		if (make_parent_dirs(d->db, &e) != 0 || build(d, &e) != 0 || put_in_place(d, &e) != 0) {
			remove_tree(d->work);
			rc = cmd_fail(ctx, &e);
		}
	}
	if (rc == EXIT_OK && cmd_flag(ctx, "build-only")) {
		printf(_("tianbao: demo database %s (示范乡, 2025: 4 villages complete, 2 in progress, 1 conflict, "
			 "2 not reported); its USB stick %s holds 龙泉村's late file and a damaged copy, for F4\n"),
		       d->db, d->stick);
	} else if (rc == EXIT_OK) {
		snprintf(app->db_buf, sizeof app->db_buf, "%s", d->db);
		app->db_path = app->db_buf;
		app->forms_dir = d->forms;
		char real[PATH_MAX];

		/* F3 and F4 offer the demo's stick first, by its full name. */
		setenv("TIANBAO_MEDIA", realpath(d->stick, real) ? real : d->stick, 1);
		rc = CLI_SCREENS;
	}
	free(d);
	return rc;
}

const struct cmd_entry cmd_demo_entry = {
	.name = "demo",
	.summary = N_("open the screens on a sample township, to try tianbao or to train"),
	.usage = "demo [--db FILE] [--reset] [--build-only]",
	.help = N_("Builds a sample township (示范乡) in a database of its own, the way real data\n"
		   "arrives: villages' files merged, forms complete and in progress, a conflict, a\n"
		   "late file and a damaged one on its USB stick (the folder 'stick' beside it), then\n"
		   "opens the screens on it, on the township in the demo's year. The demo lives in\n"
		   "~/.local/share/tianbao/demo unless --db names another file; it is built once and\n"
		   "kept, --reset builds it afresh. A file that is not a demo database is never\n"
		   "written over. --build-only builds it without opening the screens."),
	.options = {
		{ .name = "reset", .kind = CV_FLAG },
		{ .name = "build-only", .kind = CV_FLAG },
	},
	.args = { 0, 0 },
	.store = CMD_NO_STORE,
	.run = demo_run,
};
