/* app.h - what every command shares: the global options and where files are found. */
#ifndef TIANBAO_APP_H
#define TIANBAO_APP_H

#include <stdbool.h>

#include "forms.h"

/* Exit statuses of every command. */
enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

struct app {
	const char *db_path;     /* --db, else TIANBAO_DB, else the XDG data directory */
	const char *forms_dir;   /* --forms, else TIANBAO_FORMS, else found (see app_forms_dir) */
	const char *lang;        /* --lang zh|en, or NULL */
	const char *prog;        /* "tianbao", for messages */
	struct formset forms;
	bool forms_loaded;
};

/* The forms directory to use: the option, the environment, forms/ beside the binary
 * (a source tree), or the installed one. */
const char *app_forms_dir(struct app *app);
/* Loads the forms once; on problems prints them (file:line: message) and returns -1. */
int app_load_forms(struct app *app);
void app_free(struct app *app);

#endif
