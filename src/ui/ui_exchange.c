/* ui_exchange.c - the USB screens: export to a stick (F3), import from one (F4) with a
 * dry run of what each file would change and a progress bar, and the conflicts a clerk
 * decides (F6). They call the same core functions as the commands (exchange.h). */
#include "ui/ui_exchange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/entry.h"
#include "core/exchange.h"
#include "lib/i18n.h"
#include "lib/text.h"
#include "ui/frame.h"
#include "ui/ui_pick.h"
#include "ui/ui_prompt.h"
#include "ui/ui_view.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "lib/str.h"
#include "store/merge.h"
#include "store/conflicts.h"

/* Where to put or look for export files: a mounted stick, or a folder typed in.
 * Returns a malloc'd path, or NULL when the user goes back. */
static char *choose_folder(struct ui *ui, const char *title)
{
	for (;;) {
		char **dirs, **lines;
		int n, sel = 0, rc;
		char *out = NULL;
		const char *note;

		exchange_find_media(&dirs, &n);
		lines = xcalloc((size_t)n + 2, sizeof *lines);
		for (int i = 0; i < n; i++)
			lines[i] = dirs[i];
		lines[n] = (char *)_("Type a folder...");
		lines[n + 1] = (char *)_("Look again (after inserting a stick)");
		note = n == 0 ? _("No USB stick found. Insert one, wait a moment, and choose 'Look again'.")
			      : _("Choose the USB stick.");
		rc = ui_pick(ui, title, NULL, (const char *const *)lines, n + 2, &sel, NULL, note, NULL);
		if (rc >= 0 && rc < n)
			out = xstrdup(dirs[rc]);
		free(lines);
		exchange_free_list(dirs, n);
		if (rc < 0 || ui_quit_requested())
			return NULL;
		if (rc == n) {
			if (ui_prompt(ui, title, _("The folder (for example /media/user/STICK):"), "", 512, &out) != 0 || !out[0]) {
				free(out);
				continue;
			}
		}
		if (out)
			return out;
	}
}

/* ---- export ------------------------------------------------------------------------ */

void ui_export_run(struct ui *ui)
{
	const char *choices[2];
	struct export_request rq;
	struct export_result res;
	const char *one[1];
	struct strbuf sb;
	char *dir;
	struct err e;
	int which = 0, rc;

	dir = choose_folder(ui, _("Export to a USB stick"));
	if (!dir)
		return;
	choices[0] = xasprintf(_("Only the period %s"), ui->period);
	choices[1] = _("Every period");
	rc = ui_pick(ui, _("Export to a USB stick"), dir, choices, 2, &which, NULL,
		     _("The file holds every unit this computer has data for."), NULL);
	free((char *)choices[0]);
	if (rc < 0) {
		free(dir);
		return;
	}
	memset(&rq, 0, sizeof rq);
	memset(&res, 0, sizeof res);
	one[0] = ui->period;
	rq.periods = rc == 0 ? one : NULL;
	rq.nperiods = rc == 0 ? 1 : 0;
	rq.out_dir = dir;
	rq.operator_name = ui->operator_name;
	ui_message(ui, ST_NORMAL, _("Writing and checking the file..."));
	ui_refresh();
	rc = exchange_export(ui->st, &ui->app->forms, &rq, &res, &e);
	sb_init(&sb);
	if (rc < 0) {
		sb_addf(&sb, "%s\n\n%s", _("The export failed; nothing was left on the stick."), e.msg);
	} else if (rc > 0) {
		sb_add(&sb, rq.nperiods ? _("There is nothing to export for this period yet.") : _("There is nothing to export yet."));
	} else {
		sb_addf(&sb, _("Written and read back from the stick:\n\n  %s\n\n"), res.path);
		sb_addf(&sb, _("%lld value(s) of %d unit(s), %d period(s), checksum %.16s...\n\n"), (long long)res.info.value_count,
			res.info.nunits, res.info.nperiods, res.info.checksum);
		if (res.info.state_count > 0)
			sb_addf(&sb, _("%lld form state(s), %lld of them complete.\n\n"), (long long)res.info.state_count,
				(long long)res.info.complete_count);
		if (res.left_out > 0)
			sb_addf(&sb, _("%d value(s) of fields the current forms no longer have were left out.\n\n"), res.left_out);
		sb_add(&sb, _("The file is complete and checked. It is safe to remove the USB stick now."));
	}
	ui_view_text(ui, _("Export to a USB stick"), sb_str(&sb));
	sb_free(&sb);
	if (rc == 0)
		export_result_free(&res);
	free(dir);
}

/* ---- import ------------------------------------------------------------------------ */

/* One file in a line of 76 columns: unit, period, and what merging it does or did. The
 * file's name and who wrote it go on the message line (file_details). */
static void describe_report(const struct formset *fs, const struct merge_report *r, struct strbuf *sb)
{
	if (r->has_info && r->info.nunits > 0) {
		const struct unit *u = formset_find_unit(fs, r->info.units[0]);
		char who[64];

		snprintf(who, sizeof who, "%s%s", u ? i18n_pick(u->name, u->name_en) : r->info.units[0],
			 r->info.nunits > 1 ? "…" : "");
		text_pad(sb, who, 16);
		sb_add(sb, " ");
		text_pad(sb, r->info.nperiods ? r->info.periods[0] : "", 7);
		sb_add(sb, r->info.nperiods > 1 ? "+ " : "  ");
	} else {
		const char *slash = strrchr(r->file, '/');

		text_pad(sb, slash ? slash + 1 : r->file, 26);
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

static void file_details(const struct merge_report *r, struct strbuf *sb)
{
	const char *slash = strrchr(r->file, '/');

	sb_add(sb, slash ? slash + 1 : r->file);
	if (r->has_info)
		sb_addf(sb, " · %s %.10s", r->info.written_by, r->info.written_at);
	if (r->outcome == MO_MERGED && r->counts.n_complete + r->counts.n_progress > 0)
		sb_addf(sb, _(" · form states: %d complete, %d in progress"), r->counts.n_complete, r->counts.n_progress);
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
	{ .action = ACT_BACK }, { .action = ACT_NONE },
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
		file_details(&im->dry[im->sel], &msg);
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
		file_details(&done[i], &sb);
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
	case K_UP: im->sel--; break;
	case K_DOWN: im->sel++; break;
	case K_PGUP: im->sel -= im->page; break;
	case K_PGDN: im->sel += im->page; break;
	case K_CHAR:
		if (ev.ch == ' ' && im->ndry > 0 && im->dry[im->sel].outcome == MO_MERGED)
			im->chosen[im->sel] = !im->chosen[im->sel];
		else if (ev.ch == 'a' || ev.ch == 'A')
			for (int i = 0; i < im->ndry; i++)
				im->chosen[i] = im->dry[i].outcome == MO_MERGED;
		break;
	case K_ENTER: merge_chosen(s, im); break;
	default: break;
	}
}

void ui_import_run(struct ui *ui)
{
	struct import im = { 0 };
	struct screen s = { .ctx = &im, .offers = import_offers, .draw = import_draw, .key = import_key };
	struct err e;

	im.dir = choose_folder(ui, _("Import from a USB stick"));
	if (!im.dir)
		return;
	im.opt.dry_run = true;
	im.opt.operator_name = ui->operator_name;
	ui_message(ui, ST_NORMAL, _("Reading the files (a dry run: nothing changes yet)..."));
	ui_refresh();
	if (exchange_merge(ui->st, &ui->app->forms, (const char *const *)&im.dir, 1, &im.opt, &im.dry, &im.ndry, &e) != 0) {
		ui_alert(ui, _("Import from a USB stick"), e.msg);
	} else {
		/* Chosen at first: the files that would change something. */
		im.chosen = xcalloc((size_t)im.ndry + 1, sizeof *im.chosen);
		for (int i = 0; i < im.ndry; i++) {
			const struct merge_counts *c = &im.dry[i].counts;

			im.chosen[i] = im.dry[i].outcome == MO_MERGED &&
				       c->n_new + c->n_updated + c->n_conflicting + c->n_complete + c->n_progress > 0;
		}
		snprintf(im.title, sizeof im.title, _("Import from %s"), im.dir);
		frame_run(ui, &s);
	}
	exchange_free_reports(im.dry, im.ndry);
	free(im.chosen);
	free(im.dir);
}

/* ---- conflicts ------------------------------------------------------------------------ */

static const char *field_label(const struct formset *fs, const char *code)
{
	int idx;
	const struct form *f = formset_form_of_field(fs, code, &idx);

	return f ? i18n_pick(f->fields[idx].label, f->fields[idx].label_en) : code;
}

static const char *unit_label(const struct formset *fs, const char *code)
{
	const struct unit *u = formset_find_unit(fs, code);

	return u ? i18n_pick(u->name, u->name_en) : code;
}

static int by_time(const void *a, const void *b)
{
	const struct conflict_candidate *x = a, *y = b;
	int c = strcmp(x->updated_at, y->updated_at);

	return c ? c : strcmp(x->installation, y->installation);
}

/* One conflict: its candidates, oldest first; the clerk picks one. Returns true when
 * decided. */
static bool decide(struct ui *ui, struct conflict *c)
{
	const struct formset *fs = &ui->app->forms;
	char **lines = xcalloc((size_t)c->ncands + 1, sizeof *lines);
	char title[256], header[256];
	struct resolve_result res;
	struct err e;
	int sel = 0, rc;
	bool done = false;

	qsort(c->cands, (size_t)c->ncands, sizeof *c->cands, by_time);
	for (int i = 0; i < c->ncands; i++) {
		const struct conflict_candidate *k = &c->cands[i];
		struct strbuf sb;
		const char *file = k->file ? strrchr(k->file, '/') : NULL;

		sb_init(&sb);
		text_pad(&sb, k->value ? k->value : _("(cleared)"), 14);
		sb_add(&sb, " ");
		text_pad(&sb, k->updated_by, 10);
		sb_addf(&sb, " %.16s  %.8s  %s", k->updated_at, k->installation,
			k->file ? (file ? file + 1 : k->file) : _("typed here"));
		lines[i] = sb_take(&sb);
	}
	snprintf(title, sizeof title, _("Conflict: %s · %s · %s"), unit_label(fs, c->unit), c->period,
		 field_label(fs, c->field));
	snprintf(header, sizeof header, "%s", _("Value          By         When              From      File"));
	rc = ui_pick(ui, title, header, (const char *const *)lines, c->ncands, &sel, NULL,
		     _("Enter takes the chosen value; the decision goes into the audit trail."), NULL);
	if (rc >= 0) {
		if (entry_resolve_take(ui->st, &ui->access, &ui->app->forms, c->unit, c->period, c->field,
				       c->cands[rc].installation, ui->operator_name, &res, &e) != 0) {
			ui_alert(ui, _("Conflicts"), e.msg);
		} else {
			resolve_result_free(&res);
			done = true;
		}
	}
	for (int i = 0; i < c->ncands; i++)
		free(lines[i]);
	free(lines);
	return done;
}

void ui_conflicts_run(struct ui *ui)
{
	const struct formset *fs = &ui->app->forms;
	int sel = 0;

	for (;;) {
		struct conflict *cs = NULL;
		char **lines;
		char title[128];
		struct err e;
		int n = 0, rc;

		if (store_list_conflicts(ui->st, ui->period, &cs, &n, &e) != 0) {
			ui_alert(ui, _("Conflicts"), e.msg);
			return;
		}
		lines = xcalloc((size_t)n + 1, sizeof *lines);
		for (int i = 0; i < n; i++) {
			struct strbuf sb;

			sb_init(&sb);
			text_pad(&sb, unit_label(fs, cs[i].unit), 16);
			sb_add(&sb, " ");
			text_pad(&sb, field_label(fs, cs[i].field), 30);
			sb_addf(&sb, _(" %d different values"), cs[i].ncands);
			lines[i] = sb_take(&sb);
		}
		snprintf(title, sizeof title, _("Conflicts · %s"), ui->period);
		rc = ui_pick(ui, title, NULL, (const char *const *)lines, n, &sel, NULL,
			     n ? _("Two copies disagree on these values. Enter shows both and lets you pick one.")
			       : _("No conflicts: every copy merged agrees."), NULL);
		if (rc >= 0)
			decide(ui, &cs[rc]);
		for (int i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
		store_free_conflicts(cs, n);
		if (rc < 0 || ui_quit_requested())
			return;
	}
}
