/* app.h - what every command shares: the global options and where files are found. */
#ifndef TIANBAO_APP_H
#define TIANBAO_APP_H

#include <stdbool.h>

#include "core/config.h"
#include "forms/forms.h"
#include "store/store.h"
#include "lib/err.h"

/* Exit statuses of every command. */
enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

struct app {
	const char *db_path;     /* --db, else TIANBAO_DB, else the XDG data directory */
	const char *forms_dir;   /* --forms, else TIANBAO_FORMS, else found (see app_forms_dir) */
	const char *lang;        /* --lang zh|en, or NULL */
	const char *theme;       /* --theme normal|contrast ($TIANBAO_THEME), or NULL */
	const char *prog;        /* "tianbao", for messages */
	struct formset forms;
	bool forms_loaded;
	char db_buf[4096];
	char operator_buf[256];
};

/* The forms directory to use: the option, the environment, this user's configuration,
 * the computer's (/etc), or the defaults (core/config.h has the order). */
const char *app_forms_dir(struct app *app);
/* Where app_forms_dir's folder came from. */
enum forms_source app_forms_source(struct app *app);
/* The folder edits of the forms or units are written into (*dir): the one in use when it
 * was given (--forms, $TIANBAO_FORMS) or is this user's configuration; otherwise this
 * user's folder, made first as a durable copy of every *.ini of the one in use (the /etc
 * folder and the defaults are never edited), after which app_forms_dir returns it.
 * 0, or -1 with e. */
int app_writable_forms_dir(struct app *app, const char **dir, struct err *e);
/* Loads the forms once; on problems prints them (file:line: message) and returns -1. */
int app_load_forms(struct app *app);
void app_free(struct app *app);
/* Loads the forms again (after a form package was installed) and, when st is given,
 * copies the units into the database. Pointers into the old forms are gone. 0, or -1
 * with e (the problems printed). */
int app_reload_forms(struct app *app, struct store *st, struct err *e);

/* The database file: --db, else $TIANBAO_DB, else $XDG_DATA_HOME/tianbao/tianbao.db
 * (~/.local/share/tianbao/tianbao.db). */
const char *app_db_path(struct app *app);
/* Loads the forms and opens the database; when writing, copies the units in. Prints
 * nothing: errors are in e. Refuses a live database on removable media. */
int app_open_store(struct app *app, enum store_mode mode, struct store **st, struct err *e);
/* A name people are recorded by: 1 to 64 characters of valid UTF-8, no control characters. */
bool operator_name_valid(const char *name);
/* Who is typing: the operator set by `tianbao init`, else the login name ("?" when that
 * is not a valid name). */
const char *app_operator(struct app *app, struct store *st);
/* Remembers the unit and period chosen on the start screen, for next time. */
int app_remember_choice(struct store *st, const char *unit, const char *period, struct err *e);
/* Marks the database as one `tianbao demo` built, which alone it may replace. */
int app_mark_demo(struct store *st, struct err *e);
/* Whether the database is one `tianbao demo` built. */
int app_is_demo(struct store *st, bool *demo, struct err *e);
/* Prints "tianbao: message" on stderr. */
void app_error(const struct app *app, const char *msg);

#endif
