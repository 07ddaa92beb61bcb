/* ui_import.c - the import from a USB stick (F4): the export files found there with what
 * each would change (a dry run), then the chosen ones merged with a progress bar. The
 * same core functions as 'tianbao merge' (core/exchange.h). */
#include "ui/ui_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/exchange.h"
#include "core/package_install.h"
#include "lib/strlist.h"
#include "ui/ui_pick.h"
#include "lib/err.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/text.h"
#include "store/merge.h"
#include "ui/frame.h"
#include "ui/ui_exchange.h"
#include "ui/ui_view.h"

/* One file in a line of 76 columns: unit, period, and what merging it does or did. The
 * file's name and who wrote it go on the message line (file_details). */
static void describe_report(const struct formset *fs, const struct merge_report *r, struct strbuf *sb)
{
	if (r->has_info && r->info.nunits > 0) {
		/* A file of several units (a township's export) is named after the unit that
		 * wrote it, with how many units it holds; a file of one unit, after it. */
		const char *code = r->info.nunits > 1 && r->info.installation_unit[0] ? r->info.installation_unit
										  : r->info.units[0];
		const struct unit *u = formset_find_unit(fs, code);
		const char *name = u ? i18n_pick(u->name, u->name_en) : code;
		struct strbuf who;

		sb_init(&who);
		if (r->info.nunits > 1) {
			/* The count always shows: the name is cut first. */
			char *count = xasprintf(_("·%d units"), r->info.nunits);

			text_crop(&who, name, 16 - text_width(count));
			sb_add(&who, count);
			free(count);
		} else {
			sb_add(&who, name);
		}
		text_pad(sb, sb_str(&who), 16);
		sb_free(&who);
		sb_add(sb, " ");
		text_pad(sb, r->info.nperiods ? r->info.periods[0] : "", 7);
		sb_add(sb, r->info.nperiods > 1 ? "+ " : "  ");
	} else {
		const char *slash = strrchr(r->file, '/');

		/* A long name is cut short of its column, so the reason never runs into it. */
		text_pad(sb, slash ? slash + 1 : r->file, 25);
		sb_add(sb, " ");
	}
	switch (r->outcome) {
	case MO_MERGED:
		sb_addf(sb, _("new %d, updated %d, unchanged %d, conflicts %d"), r->counts.n_new, r->counts.n_updated,
			r->counts.n_unchanged, r->counts.n_conflicting);
		break;
	case MO_ALREADY:
		sb_addf(sb, _("already merged %.10s"), r->merged_before);
		break;
	default: {
		/* The reason already says "FILE: refused: ...": the file is on the message line. */
		const char *slash = strrchr(r->file, '/'), *name = slash ? slash + 1 : r->file;
		const char *why = r->message;
		size_t n = strlen(name);

		if (strncmp(why, name, n) == 0 && why[n] == ':' && why[n + 1] == ' ')
			why += n + 2;
		else if (strncmp(why, r->file, strlen(r->file)) == 0 && why[strlen(r->file)] == ':')
			why += strlen(r->file) + 2;
		sb_add(sb, why);
		break;
	}
	}
}

/* The file's name and who wrote it; in the list (in_list), a refused file's line says
 * instead how to read its whole reason. */
static void file_details(const struct merge_report *r, bool in_list, struct strbuf *sb)
{
	const char *slash = strrchr(r->file, '/');

	if (r->outcome == MO_REFUSED && in_list) {
		sb_add(sb, _("Space shows why this file is refused, in full."));
		return;
	}
	sb_add(sb, slash ? slash + 1 : r->file);
	if (r->has_info)
		sb_addf(sb, " · %s %.10s", r->info.written_by, r->info.written_at);
	if (r->outcome == MO_MERGED && r->counts.n_complete + r->counts.n_progress > 0)
		sb_addf(sb, _(" · form states: %d complete, %d in progress"), r->counts.n_complete, r->counts.n_progress);
	if (r->outcome == MO_MERGED && r->note[0])
		sb_addf(sb, " · %s", r->note);
}

struct progress {
	struct ui *ui;
};

static void draw_progress(void *ctx, int done, int total, const struct merge_report *r)
{
	struct progress *p = ctx;
	struct ui *ui = p->ui;
	struct strbuf sb;
	int width = ui->cols - 20, filled = total ? done * width / total : width;

	(void)r;
	sb_init(&sb);
	for (int i = 0; i < width; i++)
		sb_add(&sb, i < filled ? "█" : "░");
	ui_put(ui->rows / 2, 2, ui->cols - 4, _("Merging..."), ST_HEADING);
	ui_put(ui->rows / 2 + 1, 2, width, sb_str(&sb), ST_OK);
	sb_reset(&sb);
	sb_addf(&sb, " %d / %d", done, total);
	ui_put(ui->rows / 2 + 1, 2 + width, 16, sb_str(&sb), ST_NORMAL);
	ui_refresh();
	sb_free(&sb);
}

struct import {
	char *dir;
	struct merge_options opt;
	struct merge_report *dry;    /* what merging each file would do */
	int ndry;
	bool *chosen;
	int sel, top, page;
	char title[256];
};

static const struct offer import_offers[] = {
	{ .action = ACT_SPACE }, { .action = ACT_ALL }, { .action = ACT_ENTER, .label = N_("merge the chosen") },
	{ .action = ACT_HELP }, { .action = ACT_BACK }, { .action = ACT_NONE },
};

static void import_draw(struct screen *s)
{
	struct import *im = s->ctx;
	struct ui *ui = s->ui;
	char right[64];
	int n_chosen = 0;

	im->page = ui->rows - 4;
	ui_list_clamp(&im->sel, &im->top, im->ndry, im->page);
	for (int i = 0; i < im->ndry; i++)
		n_chosen += im->chosen[i];
	snprintf(right, sizeof right, _("%d of %d chosen"), n_chosen, im->ndry);
	ui_title(ui, im->title, right);
	ui_put(1, 4, ui->cols - 4, _("Unit             Period   What merging it would do"), ST_HEADING);
	for (int r = 0; r < im->page && im->top + r < im->ndry; r++) {
		const struct merge_report *d = &im->dry[im->top + r];
		struct strbuf sb;

		sb_init(&sb);
		sb_add(&sb, d->outcome == MO_MERGED ? (im->chosen[im->top + r] ? "[x] " : "[ ] ") : "    ");
		describe_report(&ui->app->forms, d, &sb);
		ui_put(2 + r, 0, ui->cols, sb_str(&sb),
		       im->top + r == im->sel ? ST_SELECTED : d->outcome == MO_REFUSED ? ST_ERROR
						 : d->outcome == MO_ALREADY ? ST_DIM : ST_NORMAL);
		sb_free(&sb);
	}
	if (im->ndry == 0) {
		ui_message(ui, ST_WARNING, _("No export file (*.tbx) in this folder."));
	} else {
		struct strbuf msg;

		sb_init(&msg);
		file_details(&im->dry[im->sel], true, &msg);
		ui_message(ui, ST_DIM, sb_str(&msg));
		sb_free(&msg);
	}
}

/* Enter: merges the chosen files, with a progress bar, and says what each did. */
static void merge_chosen(struct screen *s, struct import *im)
{
	struct ui *ui = s->ui;
	const char **files = xcalloc((size_t)im->ndry + 1, sizeof *files);
	struct progress pr = { ui };
	struct merge_report *done = NULL;
	struct strbuf sb;
	struct err e;
	int nf = 0, ndone = 0, rc;

	for (int i = 0; i < im->ndry; i++)
		if (im->chosen[i])
			files[nf++] = im->dry[i].file;
	if (nf == 0) {
		free(files);
		return;
	}
	im->opt.dry_run = false;
	im->opt.progress = draw_progress;
	im->opt.ctx = &pr;
	ui_clear();
	ui_title(ui, im->title, NULL);
	rc = exchange_merge(ui->st, &ui->app->forms, files, nf, &im->opt, &done, &ndone, &e);
	free(files);
	sb_init(&sb);
	for (int i = 0; i < ndone; i++) {
		file_details(&done[i], false, &sb);
		sb_add(&sb, "\n    ");
		describe_report(&ui->app->forms, &done[i], &sb);
		sb_add(&sb, "\n");
	}
	if (rc != 0)
		sb_addf(&sb, "\n%s\n", e.msg);
	sb_addf(&sb, "\n%s", _("Merged. Nothing was written to the stick: remove it when you like. "
			      "F6 in the list of forms shows values in conflict."));
	ui_view_text(ui, _("Import from a USB stick"), sb_str(&sb));
	sb_free(&sb);
	exchange_free_reports(done, ndone);
	frame_close(s, 0);
}

static void import_key(struct screen *s, struct key_event ev)
{
	struct import *im = s->ctx;

	switch (ev.key) {
	case K_BACK: frame_close(s, 0); break;
	case K_CHAR:
		if (ev.ch == ' ' && im->ndry > 0 && im->dry[im->sel].outcome == MO_MERGED)
			im->chosen[im->sel] = !im->chosen[im->sel];
		else if (ev.ch == ' ' && im->ndry > 0 && im->dry[im->sel].outcome == MO_REFUSED)
			ui_alert(s->ui, _("Why this file is refused"), im->dry[im->sel].message);
		else if (ev.ch == 'a' || ev.ch == 'A')
			for (int i = 0; i < im->ndry; i++)
				im->chosen[i] = im->dry[i].outcome == MO_MERGED;
		break;
	case K_ENTER: merge_chosen(s, im); break;
	case K_HELP:
		ui_view_help(s->ui,
			     _("These are the files on the stick, each with what merging it would do: how many values "
			       "are new, updated, unchanged or in conflict. Nothing has been written yet.\n\n[x] marks the "
			       "files that will be merged; Space chooses or leaves a file, A chooses all, Enter merges "
			       "the chosen ones. A file already merged, this computer's own export, or one that cannot be "
			       "read (its reason is on its line; Space shows it whole), is not chosen. Merging the same file twice, or files in any order, gives the "
			       "same result; values that disagree become conflicts, decided with F6."),
			     import_offers);
		break;
	default: ui_list_move(&im->sel, im->ndry, im->page, ev); break;
	}
}

int ui_install_packages(struct ui *ui, const char *dir, bool reload)
{
	char **pkgs, **data;
	int npkgs, ndata, installed = 0;

	package_split_args(&dir, 1, &pkgs, &npkgs, &data, &ndata);
	for (int i = 0; i < npkgs && !ui_quit_requested(); i++) {
		struct package_plan plan;
		enum package_problem pb;
		struct strbuf sb;
		struct err e;
		const char *choices[2];
		int sel = 0;
		bool stop = false;

		if (package_plan_make(pkgs[i], &ui->app->forms, app_forms_dir(ui->app), ui->access.own_code, &plan, &pb,
				      &e) != 0) {
			ui_alert(ui, _("A form package on the stick"), e.msg);
			continue;
		}
		if (plan.same || plan.own) {
			package_plan_free(&plan);
			continue;
		}
		sb_init(&sb);
		package_plan_describe(&plan, &sb);
		sb_addf(&sb, "\n%s", _("Press Enter to go on: you are asked next whether to install these forms."));
		choices[0] = _("Install these forms");
		choices[1] = _("Not now");
		ui_view_text(ui, _("A form package from the township"), sb_str(&sb));
		if (ui_pick(ui, _("A form package from the township"), NULL, choices, 2, &sel,
			    _("Install the township's forms on this computer?")) == 0) {
			int rc = package_install_here(ui->app, reload ? ui->st : NULL, &plan, &e);

			if (rc != 0)
				ui_alert(ui, _("A form package from the township"), e.msg);
			if (rc >= 0) {
				installed++;
				/* Without reload the screens below hold the old forms; a reload that
				 * failed leaves none to go on with: tianbao opens afresh either way. */
				stop = !reload || rc > 0;
				if (rc > 0)
					ui_request_quit();
				else if (reload && access_load(ui->st, &ui->app->forms, &ui->access, &e) != 0)
					ui_alert(ui, _("A form package from the township"), e.msg);
			}
		}
		sb_free(&sb);
		package_plan_free(&plan);
		if (stop)
			break;
	}
	strlist_free(pkgs, npkgs);
	strlist_free(data, ndata);
	return installed;
}

void ui_import_run(struct ui *ui)
{
	struct import im = { 0 };
	struct screen s = { .ctx = &im, .offers = import_offers, .draw = import_draw, .key = import_key };
	struct err e;

	im.dir = ui_choose_folder(ui, _("Import from a USB stick"));
	if (!im.dir)
		return;
	/* The township's forms first. The screens below this one hold the forms they were
	 * opened with, so tianbao starts again with the new ones before any data is read. */
	if (ui_install_packages(ui, im.dir, false) > 0) {
		ui_view_text(ui, _("A form package from the township"),
			     _("The township's new forms are installed. tianbao closes now: open it again to enter "
			       "data with the new forms, then import the stick's export files (F4) again."));
		free(im.dir);
		ui_request_quit();
		return;
	}
	im.opt.dry_run = true;
	im.opt.operator_name = ui->operator_name;
	ui_message(ui, ST_NORMAL, _("Reading the files (a dry run: nothing changes yet)..."));
	ui_refresh();
	if (exchange_merge(ui->st, &ui->app->forms, (const char *const *)&im.dir, 1, &im.opt, &im.dry, &im.ndry,
			   &e) != 0) {
		ui_alert(ui, _("Import from a USB stick"), e.msg);
	} else {
		/* Chosen at first: the files that would change something. */
		im.chosen = xcalloc((size_t)im.ndry + 1, sizeof *im.chosen);
		for (int i = 0; i < im.ndry; i++) {
			const struct merge_counts *c = &im.dry[i].counts;

			/* This computer's own export, read back, brings nothing new. */
			bool own = im.dry[i].has_info &&
				   strcmp(im.dry[i].info.installation, store_installation_id(ui->st)) == 0;

			im.chosen[i] = im.dry[i].outcome == MO_MERGED && !own &&
				       c->n_new + c->n_updated + c->n_conflicting + c->n_complete + c->n_progress > 0;
		}
		snprintf(im.title, sizeof im.title, _("Import from %s"), im.dir);
		frame_run(ui, &s);
	}
	exchange_free_reports(im.dry, im.ndry);
	free(im.chosen);
	free(im.dir);
}
