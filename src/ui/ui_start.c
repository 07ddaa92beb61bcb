/* ui_start.c - the start screen (see ui_start.h). */
#include "ui/ui_start.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "forms/period.h"
#include "lib/err.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/strlist.h"
#include "store/values.h"
#include "lib/text.h"
#include "ui/frame.h"
#include "ui/ui_edit.h"
#include "ui/ui_forms.h"
#include "ui/ui_pick.h"
#include "ui/ui_view.h"

struct start {
	int unit_idx;
	bool unit_fixed;         /* a village laptop: its unit is set by 'tianbao init' */
	int row;                 /* 0 the unit, 1 the period */
	struct line_edit period;
	char periods[256];       /* "Periods with data: 2025, 2024", or "" */
	char msg[1024];
};

/* The key bar and the help's list of keys. */
static const struct offer start_offers[] = {
	{ .action = ACT_LINE, .label = N_("line"), .help = N_("the unit or the period") },
	{ .action = ACT_ENTER, .label = N_("choose / go on"),
	  .help = N_("choose the unit, or go on to the forms of the period") },
	{ .action = ACT_HELP },
	{ .action = ACT_BACK, .label = N_("quit"), .help = N_("quit; on the other screens, back") },
	{ .action = ACT_REDRAW, .help_only = true },
	{ .action = ACT_NONE },
};

static const char *unit_name(const struct unit *u)
{
	return i18n_pick(u->name, u->name_en);
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
		sb_addf(&sb, "  %-14s %s", fs->units[i].code, _(unit_kind_name(fs->units[i].kind)));
		lines[i] = sb_take(&sb);
	}
	rc = ui_pick(ui, _("Choose the unit to enter data for"), NULL, (const char *const *)lines, fs->nunits, &sel,
		     NULL);
	for (int i = 0; i < fs->nunits; i++)
		free(lines[i]);
	free(lines);
	return rc;
}

/* The periods that hold data (the unit's; every unit's on a township computer), so that
 * nobody stares at an empty list for want of the right year. */
static void load_periods(struct ui *ui, struct start *st)
{
	char **list = NULL;
	struct strbuf sb;
	struct err e;
	int n = 0;

	st->periods[0] = '\0';
	if (store_list_periods(ui->st, st->unit_fixed ? ui->app->forms.units[st->unit_idx].code : NULL, &list, &n,
			       &e) != 0 || n == 0) {
		if (n == 0)
			snprintf(st->periods, sizeof st->periods, "%s", _("No data entered yet."));
		return;
	}
	sb_init(&sb);
	for (int i = 0; i < n && i < 6; i++) {
		if (i)
			/* Between two periods of a list: "2025、2024". */
			sb_add(&sb, _(", "));
		sb_add(&sb, list[i]);
	}
	snprintf(st->periods, sizeof st->periods, _("Periods with data: %s"), sb_str(&sb));
	sb_free(&sb);
	strlist_free(list, n);
}

/* Laid out again after a resize or a change of language (F7): the list of periods has
 * words in it. */
static void start_layout(struct screen *s)
{
	load_periods(s->ui, s->ctx);
}

static void start_draw(struct screen *s)
{
	struct start *st = s->ctx;
	struct ui *ui = s->ui;
	const struct formset *fs = &ui->app->forms;
	const struct unit *u = &fs->units[st->unit_idx];
	char line[512];
	int pcol;

	snprintf(line, sizeof line, _("tianbao 填报 · %s"), unit_name(formset_township(fs)));
	ui_title(ui, line, NULL);
	ui_put(2, 2, -1, _("Unit"), ST_HEADING);
	/* The unit's name (its code, its kind). */
	snprintf(line, sizeof line, _("%s (%s, %s)"), unit_name(u), u->code, _(unit_kind_name(u->kind)));
	ui_put(2, 14, ui->cols - 16, line, st->row == 0 ? ST_SELECTED : ST_NORMAL);
	ui_put(4, 2, -1, _("Period"), ST_HEADING);
	pcol = edit_draw(&st->period, 4, 14, 10, st->row == 1 ? ST_INPUT_ACTIVE : ST_INPUT);
	ui_put(4, 26, ui->cols - 28, _("a year (2026), a quarter (2026Q1) or a month (202603)"), ST_DIM);
	ui_put(5, 14, ui->cols - 16, st->periods, ST_DIM);
	ui_put(6, 2, ui->cols - 4,
	       st->unit_fixed ? _("This computer reports for the unit above.")
			      : _("Choose the unit with Enter on its line; this installation may enter data for any unit."),
	       ST_DIM);
	snprintf(line, sizeof line, _("Entering data as: %s"), ui->operator_name);
	ui_put(7, 2, ui->cols - 4, line, ST_DIM);
	ui_message(ui, st->msg[0] ? ST_ERROR : ST_NORMAL, st->msg);
	ui_cursor(4, pcol, st->row == 1);
}

/* Enter on the period: a valid one opens the list of forms (remembered for next time). */
static void go_on(struct ui *ui, struct start *st)
{
	char *p = edit_text(&st->period);
	struct err e;

	if (period_check(p, &e) < 0) {
		snprintf(st->msg, sizeof st->msg, "%s", e.msg);
		free(p);
		return;
	}
	snprintf(ui->period, sizeof ui->period, "%s", p);
	free(p);
	ui->unit = ui->app->forms.units[st->unit_idx].code;
	/* A failure here is not worth stopping for: it shows when the user comes back. */
	if (app_remember_choice(ui->st, ui->unit, ui->period, &e) != 0)
		snprintf(st->msg, sizeof st->msg, "%s", e.msg);
	ui_forms_run(ui);
	load_periods(ui, st);
}

static void start_key(struct screen *s, struct key_event ev)
{
	struct start *st = s->ctx;
	struct ui *ui = s->ui;
	bool full;

	if (ev.key == K_BACK) {
		frame_close(s, 0);
		return;
	}
	if (st->row == 1 && edit_key(&st->period, ev, &full)) {
		st->msg[0] = '\0';
		return;
	}
	switch (ev.key) {
	case K_UP: case K_BTAB:
		if (!st->unit_fixed)
			st->row = 0;
		break;
	case K_DOWN: case K_TAB:
		st->row = 1;
		break;
	case K_HELP:
		ui_view_help(ui,
			     _("tianbao 填报 keeps the yearly outline (两纲) indicators of a village or department.\n\n"
			       "Choose the period the figures are for and press Enter to see the forms. On a township "
			       "computer, choose the unit first.\n\nEvery value is saved as soon as the cursor leaves "
			       "its field."),
			     start_offers);
		break;
	case K_ENTER:
		if (st->row == 1) {
			go_on(ui, st);
		} else {
			int pick = pick_unit(ui, st->unit_idx);

			if (pick >= 0)
				st->unit_idx = pick;
			st->row = 1;
		}
		break;
	default:
		break;
	}
}

void ui_start_run(struct ui *ui, int unit_idx, bool resume)
{
	struct start st = { .unit_idx = unit_idx, .unit_fixed = !ui->access.any_unit };
	struct screen s = {
		.name = "start", .ctx = &st, .offers = start_offers, .layout = start_layout, .draw = start_draw,
		.key = start_key,
	};

	/* Enter goes on where the user left off: the period, once a unit and period were chosen. */
	st.row = st.unit_fixed || resume ? 1 : 0;
	edit_init(&st.period, 6);
	edit_set(&st.period, ui->period);
	frame_run(ui, &s);
	edit_free(&st.period);
}
