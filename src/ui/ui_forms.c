/* ui_forms.c - the list of forms (see ui_forms.h): each form's state, count and problems,
 * read again whenever the user comes back to the list. */
#include "ui/ui_forms.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/form_status.h"
#include "forms/period.h"
#include "lib/err.h"
#include "report/report.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/text.h"
#include "ui/frame.h"
#include "ui/ui_conflicts.h"
#include "ui/ui_exchange.h"
#include "ui/ui_form.h"
#include "ui/ui_import.h"
#include "ui/ui_pick.h"
#include "ui/ui_report.h"
#include "ui/ui_view.h"

struct form_list {
	struct ui *ui;
	const struct unit *unit;
	const struct form **forms;   /* the forms that apply to the unit, as listed */
	/* A unit without forms of its own (the township, on its computer): the units that
	 * report, each with the state of its forms, instead of an empty list. */
	bool units_mode;
	const struct unit **units;
	int nunits_max;
	char **lines;
	char title[256], note[256];
	struct pick pick;
};

/* The key bar and the help's list of keys. */
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

static const struct offer units_offers[] = {
	{ .action = ACT_ENTER, .label = N_("open"), .help = N_("open the chosen unit's forms") },
	{ .action = ACT_HELP },
	{ .action = ACT_EXPORT },
	{ .action = ACT_IMPORT },
	{ .action = ACT_REPORT },
	{ .action = ACT_CONFLICTS },
	{ .action = ACT_BACK, .help = N_("back to the choice of unit and period") },
	{ .action = ACT_REDRAW, .help_only = true },
	{ .action = ACT_NONE },
};

static void list_help(struct ui *ui, bool units_mode)
{
	struct strbuf review;
	char *prose;

	if (units_mode) {
		ui_view_help(ui,
			     _("The township has no form of its own to fill in: this list shows every unit that "
			       "reports, with how many of its forms are complete in this period, the forms in "
			       "progress and the values in conflict. A unit that has sent nothing is \"not "
			       "reported\".\n\nEnter (or the line's number) opens the unit's forms, to read them or "
			       "to type a department's figures. F4 imports the villages' files from a USB stick, F6 "
			       "decides conflicts, F5 has the reports."),
			     units_offers);
		return;
	}
	sb_init(&review);
	keys_names(ACT_REVIEW, &review);
	prose = xasprintf(_("Choose a form with ↑ ↓ and Enter, or its number.\n\n"
			    "In a form, each value is saved when the cursor leaves its field: there is no save step, and "
			    "nothing is lost when the power goes.\n\n"
			    "States: empty (nothing entered), in progress, complete (marked with %s in the form once it "
			    "has no errors)."),
			  sb_str(&review));
	ui_view_help(ui, prose, list_offers);
	free(prose);
	sb_free(&review);
}

/* One form's line: title, state, how much is filled, and its problems in short words. */
static char *form_line(struct ui *ui, const struct form *f)
{
	struct form_status fst;
	struct strbuf sb;
	struct err e;
	char count[32];

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
	return sb_take(&sb);
}

static void free_lines(struct form_list *fl)
{
	for (int i = 0; i < fl->pick.n; i++)
		free(fl->lines[i]);
	free(fl->lines);
	fl->lines = NULL;
	fl->pick.n = 0;
}

/* One unit's line in the township's list: how many of its forms are complete, and what
 * the others are. */
static char *unit_line(const struct report_unit_row *row)
{
	struct strbuf sb;
	char count[32];

	sb_init(&sb);
	text_pad(&sb, i18n_pick(row->unit->name, row->unit->name_en), 26);
	sb_addf(&sb, "  %-14s", row->unit->code);
	snprintf(count, sizeof count, "%d/%d", row->ncomplete, row->nforms);
	sb_addf(&sb, " %5s  ", count);
	if (row->nempty == row->nforms)
		sb_add(&sb, _("not reported"));
	else if (row->ncomplete == row->nforms)
		sb_add(&sb, form_status_word(FST_COMPLETE));
	else if (row->nprogress)
		sb_addf(&sb, _("%d in progress "), row->nprogress);
	if (row->nconflicts)
		sb_addf(&sb, _(" %d conflict"), row->nconflicts);
	return sb_take(&sb);
}

/* The township's list: every unit that reports a form of the period, from the
 * completeness report (one reading for all units). */
static void load_units(struct form_list *fl)
{
	struct report_options opt = { .kind = RK_COMPLETENESS, .period = fl->ui->period };
	struct report rep;
	struct err e;
	int n = 0;

	if (report_build(fl->ui->st, &fl->ui->app->forms, &opt, &rep, &e) != 0) {
		fl->lines = xcalloc(1, sizeof *fl->lines);
		snprintf(fl->note, sizeof fl->note, "%.255s", e.msg);
		fl->pick.lines = (const char *const *)fl->lines;
		return;
	}
	fl->lines = xcalloc((size_t)rep.nunits + 1, sizeof *fl->lines);
	free(fl->units);
	fl->units = xcalloc((size_t)rep.nunits + 1, sizeof *fl->units);
	for (int i = 0; i < rep.nunits; i++) {
		fl->units[n] = rep.units[i].unit;
		fl->lines[n++] = unit_line(&rep.units[i]);
	}
	snprintf(fl->note, sizeof fl->note,
		 _("%d of %d forms complete. Enter opens a unit's forms; F5 has the reports."), rep.complete, rep.total);
	report_free(&rep);
	fl->pick.lines = (const char *const *)fl->lines;
	fl->pick.n = n;
}

/* Reads every form's state again (after a form, an import, a decided conflict...). */
static void load(struct form_list *fl)
{
	const struct formset *fs = &fl->ui->app->forms;
	int n = 0;

	free_lines(fl);
	if (fl->units_mode) {
		load_units(fl);
		return;
	}
	fl->lines = xcalloc((size_t)fs->nforms + 1, sizeof *fl->lines);
	for (int i = 0; i < fs->nforms; i++) {
		if (!form_applies_to(&fs->forms[i], fl->unit))
			continue;
		fl->forms[n] = &fs->forms[i];
		fl->lines[n++] = form_line(fl->ui, &fs->forms[i]);
	}
	fl->pick.lines = (const char *const *)fl->lines;
	fl->pick.n = n;
	snprintf(fl->note, sizeof fl->note, "%s", n == 0 ? _("This unit reports no form.") : "");
}

/* The words and the lines, in the language of the moment (also after F7). */
static void list_layout(struct screen *s)
{
	struct form_list *fl = s->ctx;
	const char *name = i18n_pick(fl->unit->name, fl->unit->name_en);

	if (fl->units_mode) {
		snprintf(fl->title, sizeof fl->title, _("%s · %s · the units' forms"), name, fl->ui->period);
		fl->pick.header = _("Unit                        Code           Complete");
	} else {
		snprintf(fl->title, sizeof fl->title, _("%s · %s · forms"), name, fl->ui->period);
		fl->pick.header = _("Form                            State       Filled  Problems");
	}
	load(fl);
}

static void list_draw(struct screen *s)
{
	struct form_list *fl = s->ctx;

	ui_pick_draw(s->ui, &fl->pick);
}

static void open_form(struct form_list *fl, int i)
{
	static const char *const how[] = {
		N_("This form is reported by year. Go back (Esc) and enter a year, such as 2026."),
		N_("This form is reported by quarter. Go back (Esc) and enter a quarter, such as 2026Q1."),
		N_("This form is reported by month. Go back (Esc) and enter a month, such as 202603."),
	};
	const struct form *f = fl->forms[i];

	fl->pick.sel = i;
	if (!period_valid(fl->ui->period, f->period))
		ui_alert(fl->ui, _("Another period"), _(how[f->period]));
	else
		ui_form_run(fl->ui, f);
}

/* A unit of the township's list: its own list of forms, then back here. */
static void open_unit(struct form_list *fl, int i)
{
	const char *was = fl->ui->unit;

	fl->pick.sel = i;
	fl->ui->unit = fl->units[i]->code;
	ui_forms_run(fl->ui);
	fl->ui->unit = was;
}

static void list_key(struct screen *s, struct key_event ev)
{
	struct form_list *fl = s->ctx;
	struct ui *ui = s->ui;
	int digit = ui_pick_digit(&fl->pick, ev);

	if (digit >= 0 && fl->units_mode) {
		open_unit(fl, digit);
	} else if (digit >= 0) {
		open_form(fl, digit);
	} else {
		switch (ev.key) {
		case K_BACK: frame_close(s, 0); return;
		case K_ENTER:
			if (fl->pick.n == 0)
				return;
			if (fl->units_mode)
				open_unit(fl, fl->pick.sel);
			else
				open_form(fl, fl->pick.sel);
			break;
		case K_HELP: list_help(ui, fl->units_mode); break;
		case K_EXPORT: ui_export_run(ui); break;
		case K_IMPORT: ui_import_run(ui); break;
		case K_REPORT: ui_report_run(ui); break;
		case K_CONFLICTS: ui_conflicts_run(ui); break;
		default:
			ui_pick_move(&fl->pick, ev);
			return;
		}
	}
	/* Back from another screen: what it did shows in the states. */
	if (!ui_quit_requested())
		load(fl);
}

void ui_forms_run(struct ui *ui)
{
	const struct formset *fs = &ui->app->forms;
	struct form_list fl = { .ui = ui, .unit = formset_find_unit(fs, ui->unit) };
	struct screen s = {
		.name = "forms", .ctx = &fl, .offers = list_offers, .layout = list_layout, .draw = list_draw,
		.key = list_key,
	};
	int nforms = 0;

	for (int i = 0; i < fs->nforms; i++)
		nforms += form_applies_to(&fs->forms[i], fl.unit);
	fl.units_mode = nforms == 0 && ui->access.any_unit;
	fl.forms = xcalloc((size_t)fs->nforms + 1, sizeof *fl.forms);
	if (fl.units_mode)
		s.offers = units_offers;
	fl.pick.title = fl.title;
	fl.pick.note = fl.note;
	frame_run(ui, &s);
	free_lines(&fl);
	free(fl.forms);
	free(fl.units);
}
