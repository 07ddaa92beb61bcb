/* ui_main.c - the data-entry screens: start (unit and period), the list of forms, and
 * the way into each form. */
#include "ui/ui_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/entry.h"
#include "core/form_status.h"
#include "forms/period.h"
#include "forms/formeval.h"
#include "lib/i18n.h"
#include "lib/text.h"
#include "ui/ui.h"
#include "ui/ui_edit.h"
#include "ui/ui_exchange.h"
#include "ui/ui_form.h"
#include "ui/ui_report.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "lib/str.h"
#include "store/values.h"
#include "store/states.h"

static const char *unit_name(const struct unit *u)
{
	return i18n_pick(u->name, u->name_en);
}

static const char *kind_label(enum unit_kind k)
{
	switch (k) {
	case UK_TOWNSHIP: return _("township");
	case UK_VILLAGE: return _("village");
	default: return _("department");
	}
}

static int pick_unit(struct ui *ui, int current)
{
	const struct formset *fs = &ui->app->forms;
	char **lines = xcalloc((size_t)fs->nunits + 1, sizeof *lines);
	int sel = current, rc;

	for (int i = 0; i < fs->nunits; i++) {
		struct strbuf sb;

		sb_init(&sb);
		text_pad(&sb, unit_name(&fs->units[i]), 30);
		sb_addf(&sb, "  %-14s %s", fs->units[i].code, kind_label(fs->units[i].kind));
		lines[i] = sb_take(&sb);
	}
	rc = ui_pick(ui, _("Choose the unit to enter data for"), NULL, (const char *const *)lines, fs->nunits, &sel, NULL,
		     NULL, NULL);
	for (int i = 0; i < fs->nunits; i++)
		free(lines[i]);
	free(lines);
	return rc;
}

static int unit_index(const struct formset *fs, const char *code)
{
	for (int i = 0; code && i < fs->nunits; i++)
		if (strcmp(fs->units[i].code, code) == 0)
			return i;
	return -1;
}

/* The list of forms: its key bar and its help's list of keys. */
static const struct offer list_offers[] = {
	{ .action = ACT_ENTER, .label = N_("open"), .help = N_("open the chosen form") },
	{ .action = ACT_HELP },
	{ .action = ACT_EXPORT },
	{ .action = ACT_IMPORT },
	{ .action = ACT_REPORT },
	{ .action = ACT_CONFLICTS },
	{ .action = ACT_BACK, .help = N_("back to the choice of unit and period") },
	{ .action = ACT_REDRAW, .help_only = true },
	{ .action = ACT_NONE },
};

/* Prose, then the keys as the key table names them. */
static void show_help(struct ui *ui, const char *prose, const struct offer *offers)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_addf(&sb, "%s\n\n%s\n", prose, _("Keys"));
	keys_help(offers, &sb);
	ui_view_text(ui, _("Help"), sb_str(&sb));
	sb_free(&sb);
}

static void list_help(struct ui *ui)
{
	struct strbuf review;
	char *prose;

	sb_init(&review);
	keys_names(ACT_REVIEW, &review);
	prose = xasprintf(_("Choose a form with ↑ ↓ and Enter, or its number.\n\n"
			    "In a form, each value is saved when the cursor leaves its field: there is no save step, and "
			    "nothing is lost when the power goes.\n\n"
			    "States: empty (nothing entered), in progress, complete (marked with %s in the form once it "
			    "has no errors)."),
			  sb_str(&review));
	show_help(ui, prose, list_offers);
	free(prose);
	sb_free(&review);
}

/* The forms of the chosen unit and period. Returns 1 when the user quits. */
static int form_list(struct ui *ui)
{
	const struct formset *fs = &ui->app->forms;
	const struct unit *u = formset_find_unit(fs, ui->unit);
	int sel = 0;

	for (;;) {
		const struct form **forms = xcalloc((size_t)fs->nforms + 1, sizeof *forms);
		char **lines = xcalloc((size_t)fs->nforms + 1, sizeof *lines);
		char title[256], note[256] = "";
		enum key other = K_NONE;
		int n = 0, rc;
		struct err e;

		for (int i = 0; i < fs->nforms; i++) {
			const struct form *f = &fs->forms[i];
			struct form_status fst;
			struct strbuf sb;
			char count[32];

			if (!form_applies_to(f, u))
				continue;
			sb_init(&sb);
			text_pad(&sb, i18n_pick(f->title, f->title_en), 30);
			if (!period_valid(ui->period, f->period)) {
				sb_addf(&sb, "  %s", f->period == PT_QUARTER ? _("(reported by quarter)") :
						     f->period == PT_MONTH ? _("(reported by month)") : _("(reported by year)"));
			} else if (form_status_load(ui->st, f, ui->unit, ui->period, &fst, &e) != 0) {
				sb_addf(&sb, "  %s", e.msg);
			} else {
				sb_add(&sb, "  ");
				text_pad(&sb, form_status_word(fst.shown), 11);
				snprintf(count, sizeof count, "%d/%d", fst.ev.filled, fst.ev.asked);
				sb_addf(&sb, " %6s  ", count);
				/* Only the problems there are, in short words: the line fits 80 columns. */
				if (fst.ev.errors - fst.ev.missing > 0)
					sb_addf(&sb, _("%d err "), fst.ev.errors - fst.ev.missing);
				if (fst.ev.warnings > 0)
					sb_addf(&sb, _("%d warn "), fst.ev.warnings);
				if (fst.nconflicts)
					sb_addf(&sb, _("%d conflict"), fst.nconflicts);
				form_status_free(&fst);
			}
			forms[n] = f;
			lines[n++] = sb_take(&sb);
		}
		snprintf(title, sizeof title, _("%s · %s · forms"), unit_name(u), ui->period);
		if (n == 0)
			snprintf(note, sizeof note, "%s", _("This unit reports no form."));
		rc = ui_pick(ui, title, _("Form                            State       Filled  Problems"),
			     (const char *const *)lines, n, &sel, list_offers, note, &other);
		for (int i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
		if (ui_quit_requested()) {
			free(forms);
			return 1;
		}
		if (rc == -1) {
			free(forms);
			return 0;
		}
		if (rc == -2) {
			free(forms);
			if (other == K_HELP)
				list_help(ui);
			else if (other == K_REPORT)
				ui_report_run(ui);
			else if (other == K_EXPORT)
				ui_export_run(ui);
			else if (other == K_IMPORT)
				ui_import_run(ui);
			else if (other == K_CONFLICTS)
				ui_conflicts_run(ui);
			if (ui_quit_requested())
				return 1;
			continue;
		}
		if (!period_valid(ui->period, forms[rc]->period)) {
			static const char *const how[] = {
				N_("This form is reported by year. Go back (Esc) and enter a year, such as 2026."),
				N_("This form is reported by quarter. Go back (Esc) and enter a quarter, such as 2026Q1."),
				N_("This form is reported by month. Go back (Esc) and enter a month, such as 202603."),
			};

			ui_alert(ui, _("Another period"), _(how[forms[rc]->period]));
		} else if (ui_form_run(ui, forms[rc]) != 0) {
			free(forms);
			return 1;
		}
		free(forms);
	}
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

/* The start screen: its key bar and its help's list of keys. */
static const struct offer start_offers[] = {
	{ .action = ACT_LINE, .label = N_("line"), .help = N_("the unit or the period") },
	{ .action = ACT_ENTER, .label = N_("choose / go on"),
	  .help = N_("choose the unit, or go on to the forms of the period") },
	{ .action = ACT_HELP },
	{ .action = ACT_BACK, .label = N_("quit"), .help = N_("quit; on the other screens, back") },
	{ .action = ACT_REDRAW, .help_only = true },
	{ .action = ACT_NONE },
};

/* The start screen: which unit (fixed on a village laptop) and which period. Returns
 * 0 to go on to the forms, 1 to quit. */
static int start_screen(struct ui *ui, int *unit_idx, bool unit_fixed, struct line_edit *ped, char *msg, size_t msgsize)
{
	const struct formset *fs = &ui->app->forms;
	int row = unit_fixed ? 1 : 0;

	for (;;) {
		struct key_event ev;
		char line[512];
		int pcol = 0;
		bool full;

		if (!ui_size_ok(ui)) {
			ev = ui_read_key();
			if (ev.key == K_QUIT)
				return 1;
			continue;
		}
		ui_clear();
		snprintf(line, sizeof line, _("tianbao 填报 · %s"), unit_name(formset_township(fs)));
		ui_title(ui, line, NULL);
		ui_put(2, 2, -1, _("Unit"), ST_HEADING);
		/* The unit's name (its code, its kind). */
		snprintf(line, sizeof line, _("%s (%s, %s)"), unit_name(&fs->units[*unit_idx]), fs->units[*unit_idx].code,
			 kind_label(fs->units[*unit_idx].kind));
		ui_put(2, 14, ui->cols - 16, line, row == 0 ? ST_SELECTED : ST_NORMAL);
		ui_put(4, 2, -1, _("Period"), ST_HEADING);
		pcol = edit_draw(ped, 4, 14, 10, row == 1 ? ST_INPUT_ACTIVE : ST_INPUT);
		ui_put(4, 26, ui->cols - 28, _("a year (2026), a quarter (2026Q1) or a month (202603)"), ST_DIM);
		ui_put(6, 2, ui->cols - 4,
		       unit_fixed ? _("This computer reports for the unit above (set with 'tianbao init').")
				  : _("Choose the unit with Enter on its line; this installation may enter data for any unit."),
		       ST_DIM);
		snprintf(line, sizeof line, _("Entering data as: %s"), ui->operator_name);
		ui_put(7, 2, ui->cols - 4, line, ST_DIM);
		ui_message(ui, msg[0] ? ST_ERROR : ST_NORMAL, msg);
		ui_keybar(ui, start_offers);
		ui_cursor(4, pcol, row == 1);
		ui_refresh();
		ev = ui_read_key();
		if (ev.key == K_QUIT || ev.key == K_BACK)
			return 1;
		if (row == 1 && edit_key(ped, ev, &full)) {
			msg[0] = '\0';
			continue;
		}
		switch (ev.key) {
		case K_UP: case K_BTAB:
			if (!unit_fixed)
				row = 0;
			break;
		case K_DOWN: case K_TAB:
			row = 1;
			break;
		case K_HELP:
			show_help(ui,
				  _("tianbao 填报 keeps the yearly outline (两纲) indicators of a village or department.\n\n"
				    "Choose the period the figures are for and press Enter to see the forms. On a township "
				    "computer, choose the unit first.\n\nEvery value is saved as soon as the cursor leaves "
				    "its field."),
				  start_offers);
			break;
		case K_REDRAW:
			ui_force_redraw();
			break;
		case K_ENTER:
			if (row == 0) {
				int pick = pick_unit(ui, *unit_idx);

				if (ui_quit_requested())
					return 1;
				if (pick >= 0)
					*unit_idx = pick;
				row = 1;
				break;
			} else {
				char *p = edit_text(ped);

				struct err pe;

				if (period_check(p, &pe) < 0) {
					snprintf(msg, msgsize, "%s", pe.msg);
					free(p);
					break;
				}
				snprintf(ui->period, sizeof ui->period, "%s", p);
				free(p);
				return 0;
			}
		default:
			break;
		}
	}
}

int ui_run(struct app *app)
{
	struct ui ui;
	struct err e;
	char *last_unit = NULL, *last_period = NULL;
	struct line_edit ped;
	char msg[1024] = "";
	int unit_idx, rc = EXIT_OK;
	bool fixed;

	memset(&ui, 0, sizeof ui);
	ui.app = app;
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
	fixed = !ui.access.any_unit;
	ui.township = !fixed;
	unit_idx = fixed ? unit_index(&app->forms, ui.access.own_code) : unit_index(&app->forms, last_unit);
	if (unit_idx < 0)
		unit_idx = unit_index(&app->forms, ui.access.own_code);
	if (unit_idx < 0)
		unit_idx = 0;
	default_period(&ui, last_period);
	free(last_unit);
	free(last_period);
	if (ui_begin() != 0) {
		store_close(ui.st);
		return EXIT_DATA;
	}
	edit_init(&ped, 6);
	edit_set(&ped, ui.period);
	while (start_screen(&ui, &unit_idx, fixed, &ped, msg, sizeof msg) == 0) {
		ui.unit = app->forms.units[unit_idx].code;
		/* Remembered for next time; a failure here is not worth stopping for. */
		if (app_remember_choice(ui.st, ui.unit, ui.period, &e) != 0)
			snprintf(msg, sizeof msg, "%s", e.msg);
		if (form_list(&ui) != 0)
			break;
	}
	edit_free(&ped);
	ui_end();
	if (ui_quit_requested())
		rc = EXIT_OK;
	store_close(ui.st);
	return rc;
}
