/* ui_first.c - the first-run screen (see ui_first.h). */
#define _GNU_SOURCE   /* strcasestr */
#include "ui/ui_first.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access.h"
#include "lib/err.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/pinyin.h"
#include "lib/str.h"
#include "lib/text.h"
#include "ui/frame.h"
#include "ui/ui_edit.h"
#include "ui/ui_exchange.h"
#include "ui/ui_import.h"
#include "ui/ui_pick.h"
#include "ui/ui_prompt.h"
#include "ui/ui_view.h"

#define FIND_MAX_CHARS 24

struct first {
	const struct formset *fs;
	int *order;              /* units, villages first, then departments, the township last */
	char (*initials)[64];    /* pinyin initials of each unit's name, by unit index */
	int n;
	int *shown;              /* the units that match the search, in order */
	int nshown;
	int sel, top, page;
	struct line_edit find;
	char msg[1024];
};

static const struct offer first_offers[] = {
	{ .action = ACT_EDIT, .label = N_("find"), .help = N_("type a name, a code or the pinyin initials (dfc for 东风村) to find the unit") },
	{ .action = ACT_LINE, .label = N_("move"), .help = N_("another unit") },
	{ .action = ACT_ENTER, .label = N_("this one"), .help = N_("this computer reports for the chosen unit") },
	{ .action = ACT_IMPORT, .label = N_("forms"),
	  .help = N_("import the township's form package from a USB stick (its villages and forms)") },
	{ .action = ACT_HELP },
	{ .action = ACT_BACK, .label = N_("quit"), .help = N_("quit without setting anything up") },
	{ .action = ACT_REDRAW, .help_only = true },
	{ .action = ACT_NONE },
};

/* A unit matches when its name, English name or code holds what was typed, or its
 * pinyin initials begin with it. */
static bool matches(const struct first *f, int u, const char *typed)
{
	const struct unit *un = &f->fs->units[u];

	if (!*typed)
		return true;
	return strstr(un->name, typed) || strcasestr(un->code, typed) ||
	       (un->name_en && strcasestr(un->name_en, typed)) || str_starts(f->initials[u], typed);
}

static void refilter(struct first *f)
{
	char *typed = edit_text(&f->find);

	for (char *p = typed; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	f->nshown = 0;
	for (int i = 0; i < f->n; i++)
		if (matches(f, f->order[i], typed))
			f->shown[f->nshown++] = f->order[i];
	free(typed);
	f->sel = 0;
	f->top = 0;
}

static void free_list(struct first *f)
{
	free(f->order);
	free(f->shown);
	free(f->initials);
}

/* The units of the forms, villages first, with their pinyin initials. */
static void build_list(struct first *f)
{
	f->n = f->fs->nunits;
	f->order = xcalloc((size_t)f->n + 1, sizeof *f->order);
	f->shown = xcalloc((size_t)f->n + 1, sizeof *f->shown);
	f->initials = xcalloc((size_t)f->n + 1, sizeof *f->initials);
	formset_unit_order(f->fs, f->order);
	for (int i = 0; i < f->n; i++)
		pinyin_initials(f->fs->units[i].name, f->initials[i], sizeof f->initials[i]);
	refilter(f);
}

static void first_draw(struct screen *s)
{
	struct first *f = s->ctx;
	struct ui *ui = s->ui;
	struct strbuf sb;
	int col;

	ui_title(ui, _("tianbao 填报 · setting up this computer"), NULL);
	ui_put(1, 2, ui->cols - 4, _("Which unit does this computer report for? Type to find it, then press Enter."), ST_NORMAL);
	ui_put(3, 2, -1, _("Find:"), ST_HEADING);
	col = edit_draw(&f->find, 3, 9, FIND_MAX_CHARS + 2, ST_INPUT_ACTIVE);
	ui_put(3, 40, ui->cols - 42, _("name, code or pinyin initials"), ST_DIM);
	sb_init(&sb);
	text_pad(&sb, _("Unit"), 30);
	sb_addf(&sb, "  ");
	text_pad(&sb, _("Code"), 16);
	sb_addf(&sb, "%s", _("Kind"));
	ui_put(5, 4, ui->cols - 6, sb_str(&sb), ST_HEADING);
	f->page = ui->rows - 2 - 6;
	ui_list_clamp(&f->sel, &f->top, f->nshown, f->page);
	for (int r = 0; r < f->page && f->top + r < f->nshown; r++) {
		const struct unit *u = &f->fs->units[f->shown[f->top + r]];

		sb_reset(&sb);
		text_pad(&sb, i18n_pick(u->name, u->name_en), 30);
		sb_addf(&sb, "  ");
		text_pad(&sb, u->code, 16);
		sb_addf(&sb, "%s", _(unit_kind_name(u->kind)));
		ui_put(6 + r, 4, ui->cols - 6, sb_str(&sb), f->top + r == f->sel ? ST_SELECTED : ST_NORMAL);
	}
	if (f->nshown > f->page) {
		/* More than fit: say where the list is, as the township comes last. */
		char where[64];

		snprintf(where, sizeof where, _("%d-%d of %d, ↓ for more"), f->top + 1,
			 f->top + f->page < f->nshown ? f->top + f->page : f->nshown, f->nshown);
		ui_put_right(5, ui->cols - 26, 24, where, ST_DIM);
	}
	if (f->nshown == 0)
		ui_put(6, 4, ui->cols - 6, _("No unit matches; Backspace to change what you typed."), ST_WARNING);
	sb_free(&sb);
	ui_message(ui, f->msg[0] ? ST_WARNING : ST_DIM, f->msg[0] ? f->msg : _("Not in the list? Press F4 to import the township's form package from a USB stick."));
	ui_cursor(3, col, true);
}

/* Who enters data: asked until a valid name is given; -1 when the user goes back. */
static int ask_operator(struct ui *ui, const struct unit *u, char **name)
{
	char title[512];
	const char *why = NULL;

	snprintf(title, sizeof title, _("tianbao 填报 · %s: who enters the data?"), i18n_pick(u->name, u->name_en));
	for (;;) {
		if (ui_prompt(ui, title, _("Your name (it is written beside every value you enter; 1 to 64 characters):"),
			      why, "", 64, name) != 0)
			return -1;
		if (operator_name_valid(*name) && !text_is_blank(*name))
			return 0;
		free(*name);
		*name = NULL;
		why = _("A name is needed.");
	}
}

/* Sets the unit; when the database already holds other units' values, asks first. */
static int set_unit(struct ui *ui, struct first *f, const struct unit *u, const char *name)
{
	struct access_change ch = { u->code, name, name, false };
	const struct unit *set;
	struct err e;
	int rc = access_init(ui->st, f->fs, &ch, &set, &e);

	if (rc == 1) {
		const char *lines[2];
		char yes[256];
		int sel = 1;

		snprintf(yes, sizeof yes, _("Yes: this computer reports for %s from now on"), i18n_pick(u->name, u->name_en));
		lines[0] = yes;
		lines[1] = _("No: choose again");
		if (ui_pick(ui, _("Change the unit this computer reports for?"), NULL, lines, 2, &sel, e.msg) != 0)
			return -1;
		ch.force = true;
		rc = access_init(ui->st, f->fs, &ch, &set, &e);
	}
	if (rc != 0) {
		snprintf(f->msg, sizeof f->msg, "%s", e.msg);
		return -1;
	}
	return 0;
}

static void first_key(struct screen *s, struct key_event ev)
{
	struct first *f = s->ctx;
	struct ui *ui = s->ui;
	bool full;

	switch (ev.key) {
	case K_BACK:
		frame_close(s, -1);
		return;
	case K_HELP:
		ui_view_help(ui,
			     _("tianbao 填报 keeps the yearly outline (两纲) indicators of a village, a department or a "
			       "township.\n\nThis computer is being set up: choose the unit it reports for. A village "
			       "cadre chooses the village, a department its department, the township's statistics "
			       "clerk the township (at the end of the list). Then give your name.\n\nThe list is the "
			       "township's units file; when your village is not in it, press F4 to import the township's "
			       "form package from its USB stick, or ask the clerk."),
			     first_offers);
		return;
	case K_IMPORT: {
		/* The township's package before anything is set: its villages to choose from. */
		char *dir = ui_choose_folder(ui, _("Import the township's form package"));

		if (dir && ui_install_packages(ui, dir, true) > 0 && !ui_quit_requested()) {
			free_list(f);
			build_list(f);
			snprintf(f->msg, sizeof f->msg, "%s", _("The township's forms are installed: choose your unit from its list."));
		} else if (dir) {
			snprintf(f->msg, sizeof f->msg, "%s", _("No form package was installed."));
		}
		free(dir);
		return;
	}
	case K_ENTER:
		if (f->nshown > 0) {
			const struct unit *u = &f->fs->units[f->shown[f->sel]];
			char *name = NULL;

			f->msg[0] = '\0';
			if (ask_operator(ui, u, &name) == 0 && set_unit(ui, f, u, name) == 0)
				frame_close(s, 0);
			free(name);
		}
		return;
	default:
		break;
	}
	if (ui_list_move(&f->sel, f->nshown, f->page, ev))
		return;
	if (edit_key(&f->find, ev, &full)) {
		f->msg[0] = '\0';
		refilter(f);
	}
}

int ui_first_run(struct ui *ui)
{
	struct first f;
	struct screen s = { .ctx = &f, .offers = first_offers, .draw = first_draw, .key = first_key, .result = -1 };
	struct err e;
	int rc;

	memset(&f, 0, sizeof f);
	f.fs = &ui->app->forms;
	edit_init(&f.find, FIND_MAX_CHARS);
	build_list(&f);
	rc = frame_run(ui, &s);
	edit_free(&f.find);
	free_list(&f);
	if (rc != 0)
		return -1;
	if (access_load(ui->st, f.fs, &ui->access, &e) != 0)
		return -1;
	ui->operator_name = app_operator(ui->app, ui->st);
	return 0;
}
