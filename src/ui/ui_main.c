/* ui_main.c - the data-entry screens as a whole: the database and the access opened,
 * the last choice of unit and period read, then the start screen (ui_start.c). */
#include "ui/ui_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forms/period.h"
#include "lib/err.h"
#include "lib/i18n.h"
#include "lib/text.h"
#include "ui/ui.h"
#include "ui/ui_first.h"
#include "ui/ui_start.h"
#include "ui/tour.h"

static int unit_index(const struct formset *fs, const char *code)
{
	for (int i = 0; code && i < fs->nunits; i++)
		if (strcmp(fs->units[i].code, code) == 0)
			return i;
	return -1;
}

static void default_period(struct ui *ui, const char *last)
{
	time_t t = time(NULL);
	struct tm tm;

	if (last && period_type_of(last) >= 0) {
		snprintf(ui->period, sizeof ui->period, "%s", last);
		return;
	}
	localtime_r(&t, &tm);
	snprintf(ui->period, sizeof ui->period, "%04d", tm.tm_year + 1900);
}

int ui_run(struct app *app)
{
	struct ui ui;
	struct err e;
	char *last_unit = NULL, *last_period = NULL;
	int unit_idx;
	bool fixed, go;
	const char *theme;

	memset(&ui, 0, sizeof ui);
	ui.app = app;
	theme = app->theme ? app->theme : getenv("TIANBAO_THEME");
	if (theme && *theme && strcmp(theme, "normal") != 0 && strcmp(theme, "contrast") != 0) {
		char shown[64];

		fprintf(stderr, _("%s: --theme takes normal or contrast, not '%s'\n"), app->prog,
			text_echo(theme, shown, sizeof shown));
		return EXIT_USAGE;
	}
	if (app_open_store(app, STORE_WRITE, &ui.st, &e) != 0) {
		app_error(app, e.msg);
		return EXIT_DATA;
	}
	if (store_lock_session(ui.st, 2000, &e) != 0 || access_load(ui.st, &app->forms, &ui.access, &e) != 0 ||
	    store_meta_get(ui.st, "last_unit", &last_unit, &e) != 0 ||
	    store_meta_get(ui.st, "last_period", &last_period, &e) != 0 ||
	    /* A unit the forms no longer list: the same refusal as the write path gives. */
	    (ui.access.own_code[0] && !ui.access.own &&
	     access_check_unit(&ui.access, &app->forms, ui.access.own_code, &e) != 0)) {
		app_error(app, e.msg);
		store_close(ui.st);
		free(last_unit);
		free(last_period);
		return EXIT_DATA;
	}
	ui.operator_name = app_operator(app, ui.st);
	if (ui_begin() != 0) {
		store_close(ui.st);
		free(last_unit);
		free(last_period);
		return EXIT_DATA;
	}
	ui_set_contrast(theme && strcmp(theme, "contrast") == 0);
	/* A new database: which unit this computer reports for, and who types, first; then
	 * the guided tour is offered (its panel says how to leave it). */
	go = ui.access.own_code[0] != '\0';
	if (!go && ui_first_run(&ui) == 0) {
		go = true;
		tour_start(NULL);
	}
	if (go) {
		fixed = !ui.access.any_unit;
		unit_idx = fixed ? unit_index(&app->forms, ui.access.own_code) : unit_index(&app->forms, last_unit);
		if (unit_idx < 0)
			unit_idx = unit_index(&app->forms, ui.access.own_code);
		if (unit_idx < 0)
			unit_idx = 0;
		default_period(&ui, last_period);
		ui_start_run(&ui, unit_idx, last_period != NULL && period_type_of(last_period) >= 0);
	}
	free(last_unit);
	free(last_period);
	ui_end();
	store_close(ui.st);
	return EXIT_OK;
}
