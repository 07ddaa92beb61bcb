/* app.c - shared start-up of commands. */
#include "app.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "i18n.h"
#include "util.h"

#ifndef DATADIR
#define DATADIR "/usr/local/share/tianbao"
#endif

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *app_forms_dir(struct app *app)
{
	static char path[PATH_MAX + 32];
	const char *env = getenv("TIANBAO_FORMS");
	const char *rel[] = { "/forms", "/../../forms" };

	if (app->forms_dir)
		return app->forms_dir;
	if (env && *env)
		return env;
	for (size_t i = 0; i < ARRAY_LEN(rel); i++) {
		snprintf(path, sizeof path, "%s%s", i18n_exe_dir(), rel[i]);
		if (is_dir(path))
			return path;
	}
	return DATADIR "/forms";
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

void app_free(struct app *app)
{
	if (app->forms_loaded)
		formset_free(&app->forms);
	app->forms_loaded = false;
}
