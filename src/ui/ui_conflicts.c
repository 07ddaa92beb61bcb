/* ui_conflicts.c - the values two copies disagree on (F6), for ui->period; the clerk
 * takes one of each, through the core (core/entry.h), into the audit trail. */
#include "ui/ui_conflicts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/entry.h"
#include "lib/err.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/text.h"
#include "store/conflicts.h"
#include "ui/ui_pick.h"
#include "ui/ui_view.h"

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

static const char *decide_help(void)
{
	return _("Two copies of this unit's data (two laptops of the village, or a laptop and this computer) "
		 "sent different values for this field, and tianbao does not guess which is right. Each line is "
		 "one value: who typed it, when, on which computer (this computer, or computer A, B... as the list "
		 "tells them apart), and the file it came in.\n\nChoose the right value with ↑ ↓ and Enter (or its number); you are asked once more before "
		 "it is taken. The decision goes into the audit trail (tianbao log) and travels with this "
		 "computer's export, so the county sees it too. If you are not sure, ask the village first: Esc "
		 "leaves the conflict undecided. Right after a decision, U on the list of conflicts takes it back; "
		 "later, a wrong choice is put right by typing the right value in the form.");
}

/* The computer a value was typed on, as a clerk tells them apart: "this computer", or
 * "computer A", "computer B"... in the order of this conflict's list (the letters are
 * the list's own, not a name a laptop keeps; the ids mean nothing to a person, and
 * tianbao conflicts on the command line shows them). */
static void computer_name(struct ui *ui, const struct conflict *c, int i, char *buf, size_t size)
{
	int letter = 0;

	if (strcmp(c->cands[i].installation, store_installation_id(ui->st)) == 0) {
		snprintf(buf, size, "%s", _("this computer"));
		return;
	}
	for (int j = 0; j < i; j++)
		letter += strcmp(c->cands[j].installation, store_installation_id(ui->st)) != 0;
	snprintf(buf, size, _("computer %c"), 'A' + letter % 26);
}

/* A file's name without what the title already says: the folder, "tianbao-UNIT-PERIOD-"
 * and ".tbx" ("20261204T180919Z"), so it fits its column. */
static void file_short(const char *path, const char *unit, const char *period, char *buf, size_t size)
{
	const char *name = path ? strrchr(path, '/') : NULL;
	char prefix[96];
	size_t n;

	name = name ? name + 1 : path ? path : "";
	snprintf(prefix, sizeof prefix, "tianbao-%s-%s-", unit, period);
	if (str_starts(name, prefix))
		name += strlen(prefix);
	n = strlen(name);
	if (n > 4 && strcmp(name + n - 4, ".tbx") == 0)
		n -= 4;
	snprintf(buf, size, "%.*s", (int)n, name);
}

/* Asks once more before a value is taken: a digit or Enter in the list is easily pressed. */
static bool confirm_take(struct ui *ui, const char *title, const struct conflict *c, const struct conflict_candidate *k)
{
	const struct formset *fs = &ui->app->forms;
	const char *choices[2] = { _("Take this value"), _("Back to the values") };
	char *note = xasprintf(_("Take %s (typed by %s at %.16s) for %s · %s?"), k->value ? k->value : _("(cleared)"),
			       k->updated_by, k->updated_at, unit_label(fs, c->unit), field_label(fs, c->field));
	/* The comment comes with the value taken: the clerk reads it, over the choices,
	 * before deciding. */
	char *header = k->comment ? xasprintf(_("Its comment: %s"), k->comment) : NULL;
	int sel = 0, rc = ui_pick(ui, title, header, choices, 2, &sel, note);

	free(header);
	free(note);
	return rc == 0;
}

/* One conflict: its candidates, oldest first; the clerk picks one and confirms it.
 * Returns true when decided: *said is what was decided, for the list of conflicts, and
 * *last the decision, which the list offers to take back. */
static bool decide(struct ui *ui, struct conflict *c, char *said, size_t said_size, struct resolve_result *last)
{
	const struct formset *fs = &ui->app->forms;
	char **lines = xcalloc((size_t)c->ncands + 1, sizeof *lines);
	char title[256], header[256];
	struct resolve_result res;
	struct strbuf comments;
	struct err e;
	int sel = 0, rc;
	bool done = false;

	sb_init(&comments);
	qsort(c->cands, (size_t)c->ncands, sizeof *c->cands, by_time);
	for (int i = 0; i < c->ncands; i++) {
		const struct conflict_candidate *k = &c->cands[i];
		struct strbuf sb;
		char computer[64], file[128];

		computer_name(ui, c, i, computer, sizeof computer);
		file_short(k->file, c->unit, c->period, file, sizeof file);
		sb_init(&sb);
		text_pad(&sb, k->value ? k->value : _("(cleared)"), 14);
		sb_add(&sb, " ");
		text_pad(&sb, k->updated_by, 10);
		sb_addf(&sb, " %.16s  ", k->updated_at);
		text_pad(&sb, computer, 13);
		sb_addf(&sb, "  %s", k->file ? file : _("typed here"));
		lines[i] = sb_take(&sb);
		/* The lines are full: the comments go on the message line, by computer. */
		if (k->comment) {
			sb_add(&comments, comments.len ? _("; ") : _("Comments — "));
			/* TRANSLATORS: a computer of the list ("computer A") and its value's comment. */
			sb_addf(&comments, _("%s wrote: %s"), computer, k->comment);
		}
	}
	snprintf(title, sizeof title, _("Conflict: %s · %s · %s"), unit_label(fs, c->unit), c->period,
		 field_label(fs, c->field));
	snprintf(header, sizeof header, "%s", _("Value          By         When              Computer       File"));
	for (;;) {
		rc = ui_pick_help(ui, title, header, (const char *const *)lines, c->ncands, &sel,
				  comments.len ? sb_str(&comments)
					       : _("Enter takes the chosen value (you are asked once more); F1 explains."),
				  decide_help());
		if (rc < 0 || ui_quit_requested() || confirm_take(ui, title, c, &c->cands[rc]))
			break;
	}
	if (rc >= 0 && !ui_quit_requested()) {
		if (entry_resolve_take(ui->st, &ui->access, &ui->app->forms, c->unit, c->period, c->field,
				       c->cands[rc].installation, ui->operator_name, &res, &e) != 0) {
			ui_alert(ui, _("Conflicts"), e.msg);
		} else {
			snprintf(said, said_size, _("Decided: %s · %s = %s (%s). U: undo"),
				 unit_label(fs, c->unit), field_label(fs, c->field),
				 c->cands[rc].value ? c->cands[rc].value : _("(cleared)"), c->cands[rc].updated_by);
			resolve_result_free(last);
			*last = res;
			done = true;
		}
	}
	for (int i = 0; i < c->ncands; i++)
		free(lines[i]);
	free(lines);
	sb_free(&comments);
	return done;
}

/* The list of conflicts: a pick list that also takes U while a decision can be taken
 * back (closing with LIST_UNDO). */
enum { LIST_BACK = -1, LIST_UNDO = -2 };

static const struct offer list_offers[] = {
	{ .action = ACT_LINE }, { .action = ACT_ENTER }, { .action = ACT_DIGIT }, { .action = ACT_HELP },
	{ .action = ACT_BACK }, { .action = ACT_NONE },
};

static const struct offer list_offers_undo[] = {
	{ .action = ACT_LINE }, { .action = ACT_ENTER }, { .action = ACT_UNDO }, { .action = ACT_DIGIT },
	{ .action = ACT_HELP }, { .action = ACT_BACK }, { .action = ACT_NONE },
};

static int undo_key(struct key_event ev, void *ctx)
{
	(void)ctx;
	return ev.key == K_CHAR && (ev.ch == 'u' || ev.ch == 'U') ? LIST_UNDO : PICK_NOT_MINE;
}

static const char *list_help(void)
{
	return _("These are the values two copies of a unit's data disagree on: the same field, typed differently "
		 "on two computers (two laptops of a village, or a laptop and this computer). Until it is decided, a "
		 "conflict keeps the form in progress and the reports mark the value with !.\n\nEnter opens one "
		 "conflict and shows each value with who typed it, when and where; you choose the right one. Right "
		 "after a decision, U takes it back (while this screen is open and nothing else has changed the "
		 "value): the conflict is open again. Import the villages' files first (F4): a later file may settle it.");
}

/* U: the last decision taken back; *said says what happened. */
static void undo_last(struct ui *ui, struct resolve_result *last, char *said, size_t said_size)
{
	const struct formset *fs = &ui->app->forms;
	struct err e;

	if (entry_resolve_undo(ui->st, &ui->access, fs, last, ui->operator_name, &e) != 0) {
		ui_alert(ui, _("Conflicts"), e.msg);
	} else {
		snprintf(said, said_size, _("Taken back: %s · %s is a conflict again, still to be decided."),
			 unit_label(fs, resolve_undo_unit(last->undo)), field_label(fs, resolve_undo_field(last->undo)));
	}
	resolve_result_free(last);
}

void ui_conflicts_run(struct ui *ui)
{
	const struct formset *fs = &ui->app->forms;
	struct resolve_result last;
	char said[512] = "";
	int sel = 0;

	memset(&last, 0, sizeof last);
	for (;;) {
		struct conflict *cs = NULL;
		struct pick p;
		char **lines;
		char title[128];
		struct err e;
		int n = 0, rc;
		char *note;

		if (store_list_conflicts(ui->st, ui->period, &cs, &n, &e) != 0) {
			ui_alert(ui, _("Conflicts"), e.msg);
			break;
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
		/* With nothing left, the list's place says so, and the message line keeps what
		 * was just decided. */
		note = xstrdup(said[0] ? said
			       : n ? _("Two copies disagree on these values. Enter shows both and lets you pick one.")
				   : _("No conflicts: every copy merged agrees."));
		p = (struct pick){ title, n ? NULL : _("No conflicts: every copy merged agrees."), note, list_help(),
				   (const char *const *)lines, n, sel < n ? sel : 0, 0, 1 };
		rc = last.undo ? ui_pick_run(ui, &p, list_offers_undo, undo_key, NULL)
			       : ui_pick_run(ui, &p, list_offers, NULL, NULL);
		sel = p.sel;
		free(note);
		said[0] = '\0';
		if (rc == LIST_UNDO)
			undo_last(ui, &last, said, sizeof said);
		else if (rc >= 0 && !ui_quit_requested())
			decide(ui, &cs[rc], said, sizeof said, &last);
		for (int i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
		store_free_conflicts(cs, n);
		if (rc == LIST_BACK || ui_quit_requested())
			break;
	}
	resolve_result_free(&last);
}
