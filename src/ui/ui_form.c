/* ui_form.c - the data-entry form screen. */
#include "ui/ui_form.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/entry.h"
#include "core/form_status.h"
#include "forms/formeval.h"
#include "lib/clock.h"
#include "lib/i18n.h"
#include "lib/text.h"
#include "ui/frame.h"
#include "ui/ui_edit.h"
#include "ui/ui_form_help.h"
#include "ui/ui_prompt.h"
#include "ui/ui_review.h"
#include "ui/ui_view.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "lib/str.h"

/* Columns of a field line: label, input box, unit, status. */
#define COL_LABEL 2
#define NUMBER_BOX 12

enum line_kind { LN_HEADING, LN_FIELD };

struct layout_line {
	enum line_kind kind;
	int index;            /* section or field index */
};

struct form_screen {
	struct ui *ui;
	const struct form *f;
	const struct unit *unit;
	struct entry_form ef;     /* the form as stored: values, conflicts, state (core/entry.h) */
	const struct form_eval *ev;  /* what is shown: ef's, or typed_ev while a value is typed */
	struct form_eval typed_ev;   /* the stored values with the text being typed laid over them */
	struct layout_line *lines;
	int nlines;
	int cur;                  /* the field the cursor is on (an input), or -1 */
	int top;                  /* first layout line on screen */
	struct line_edit ed;
	bool prefilled;           /* ed holds what the form pre-fills, untouched */
	char msg[1024];
	enum ui_style msg_style;
};

static const struct field *field_at(const struct form_screen *fs, int i)
{
	return &fs->f->fields[i];
}

static bool is_input(const struct form_screen *fs, int i)
{
	return !field_at(fs, i)->compute && !fs->ev->fields[i].skipped;
}

static void set_msg(struct form_screen *fs, enum ui_style style, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set_msg(struct form_screen *fs, enum ui_style style, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fs->msg, sizeof fs->msg, fmt, ap);
	va_end(ap);
	fs->msg_style = style;
}

/* While a value is typed, the form is evaluated with it laid over the stored values, so
 * computed fields, skip logic and checks follow each keystroke (a value that does not
 * parse yet counts as empty); otherwise what is shown is the stored form's evaluation. */
static void evaluate(struct form_screen *fs)
{
	const char **raw;
	char *typed, *canon = NULL;
	struct ev num;
	struct err e;

	if (fs->cur < 0 || !fs->ed.changed) {
		fs->ev = &fs->ef.status.ev;
		return;
	}
	raw = xcalloc((size_t)fs->f->nfields + 1, sizeof *raw);
	for (int i = 0; i < fs->f->nfields; i++)
		raw[i] = fs->ef.status.raw[i];
	typed = edit_text(&fs->ed);
	raw[fs->cur] = field_parse(field_at(fs, fs->cur), typed, &canon, &num, &e) == 0 ? canon : NULL;
	form_evaluate(&fs->typed_ev, raw);
	fs->ev = &fs->typed_ev;
	free(typed);
	free(canon);
	free(raw);
}

static void build_layout(struct form_screen *fs)
{
	int last_section = -1;

	free(fs->lines);
	fs->lines = xcalloc((size_t)fs->f->nfields * 2 + 1, sizeof *fs->lines);
	fs->nlines = 0;
	for (int i = 0; i < fs->f->nfields; i++) {
		const struct field *fd = field_at(fs, i);

		if (fs->ev->fields[i].skipped)
			continue;
		if (fd->section != last_section) {
			last_section = fd->section;
			if (fs->f->sections[fd->section].label[0]) {
				fs->lines[fs->nlines].kind = LN_HEADING;
				fs->lines[fs->nlines++].index = fd->section;
			}
		}
		fs->lines[fs->nlines].kind = LN_FIELD;
		fs->lines[fs->nlines++].index = i;
	}
}

static int line_of_field(const struct form_screen *fs, int field)
{
	for (int l = 0; l < fs->nlines; l++)
		if (fs->lines[l].kind == LN_FIELD && fs->lines[l].index == field)
			return l;
	return -1;
}

/* The first field on screen (the help's when no field takes input), or -1. */
static int first_field(const struct form_screen *fs)
{
	for (int l = 0; l < fs->nlines; l++)
		if (fs->lines[l].kind == LN_FIELD)
			return fs->lines[l].index;
	return -1;
}

/* The next (dir 1) or previous (dir -1) field that takes input, from field `from`. */
static int next_input(const struct form_screen *fs, int from, int dir)
{
	for (int i = from + dir; i >= 0 && i < fs->f->nfields; i += dir)
		if (is_input(fs, i))
			return i;
	return -1;
}

/* An empty field the form pre-fills (prefill = operator or today) is offered the
 * operator's name or today's date, selected: Tab keeps it (saving it), typing replaces it. */
static void prefill(struct form_screen *fs)
{
	const struct field *fd = field_at(fs, fs->cur);
	char today[16];
	const char *offer = NULL;

	if (fs->ed.len > 0 || fs->ef.status.conflict[fs->cur])
		return;
	if (fd->prefill == PF_OPERATOR && strcmp(fs->ui->operator_name, "?") != 0)
		offer = fs->ui->operator_name;
	else if (fd->prefill == PF_TODAY) {
		today_local(today);
		offer = today;
	}
	if (!offer || !offer[0])
		return;
	edit_set(&fs->ed, offer);
	fs->ed.changed = true;
	fs->prefilled = true;
	evaluate(fs);
}

static void load_editor(struct form_screen *fs)
{
	if (fs->cur < 0)
		return;
	edit_free(&fs->ed);
	edit_init(&fs->ed, field_at(fs, fs->cur)->type == FT_TEXT ? field_at(fs, fs->cur)->max_length : 24);
	edit_set(&fs->ed, fs->ef.status.raw[fs->cur]);
	fs->prefilled = false;
	prefill(fs);
}

static int box_width(const struct form_screen *fs, const struct field *fd, int avail)
{
	(void)fs;
	switch (fd->type) {
	case FT_TEXT: {
		int w = fd->max_length * 2 + 1;

		return w < avail ? (w < 8 ? 8 : w) : avail;
	}
	case FT_DATE:
		return 15;  /* 2025年12月28日 whole while it is typed */
	case FT_YESNO:
	case FT_CHOICE:
		return 4;
	default:
		return NUMBER_BOX;
	}
}

/* The words shown after the unit: the most important state of a field. An empty
 * required field is not an error until the review: it is simply still to fill. */
static void field_status(const struct form_screen *fs, int i, struct strbuf *out, enum ui_style *style)
{
	const struct field_eval *fe = &fs->ev->fields[i];
	int errors = fe->errors - (fe->missing ? 1 : 0);

	*style = ST_NORMAL;
	if (fs->ef.status.conflict[i]) {
		/* Two copies disagree: the clerk decides (F6 in the list, or typing here). */
		sb_add(out, _("in conflict"));
		*style = ST_ERROR;
	} else if (errors > 0) {
		sb_add(out, _("error"));
		*style = ST_ERROR;
	} else if (fe->warnings > 0) {
		sb_add(out, _("please check"));
		*style = ST_WARNING;
	}
	if (fe->target >= 0) {
		if (out->len)
			sb_addc(out, ' ');
		sb_add(out, fe->target ? _("target met") : _("target not met"));
		if (*style == ST_NORMAL)
			*style = fe->target ? ST_OK : ST_WARNING;
	}
	if (fs->ef.status.comment[i]) {
		/* The comment itself is on the message line when the cursor is here. */
		if (out->len)
			sb_addc(out, ' ');
		sb_add(out, _("(comment)"));
	}
}

static void draw_field(struct form_screen *fs, int row, int i, int *cursor_row, int *cursor_col)
{
	struct ui *ui = fs->ui;
	const struct field *fd = field_at(fs, i);
	const struct field_eval *fe = &fs->ev->fields[i];
	int label_w = ui->cols * 9 / 20 - COL_LABEL;
	int box_col = COL_LABEL + label_w + 1;
	int status_w = 16;
	int box_w = box_width(fs, fd, ui->cols - box_col - 1 - 8 - status_w);
	/* Unit and status line up under each other whatever the box: only a text box wider
	 * than a number box pushes them along. */
	int after = box_col + (box_w > NUMBER_BOX ? box_w : NUMBER_BOX) + 1;
	struct strbuf sb;
	enum ui_style st;
	char val[64];

	ui_put(row, COL_LABEL, label_w, i18n_pick(fd->label, fd->label_en), ST_NORMAL);
	/* Every value starts at the box's first column, typed or computed, so nothing jumps
	 * when the cursor arrives. */
	if (fd->compute) {
		field_format(fd, fe->val, val, sizeof val);
		ui_put(row, box_col, box_w, val, ST_COMPUTED);
	} else if (i == fs->cur) {
		*cursor_row = row;
		*cursor_col = edit_draw(&fs->ed, row, box_col, box_w, ST_INPUT_ACTIVE);
	} else {
		ui_put(row, box_col, box_w, fs->ef.status.raw[i] ? fs->ef.status.raw[i] : "", ST_INPUT);
	}
	/* Unit, or the meaning of a yes/no or choice code. */
	if ((fd->type == FT_YESNO || fd->type == FT_CHOICE) && fe->val.kind == EV_NUM)
		field_format(fd, fe->val, val, sizeof val);
	else
		snprintf(val, sizeof val, "%s", fd->unit);
	ui_put(row, after, 8, val, ST_DIM);
	sb_init(&sb);
	field_status(fs, i, &sb, &st);
	ui_put(row, after + 9, ui->cols - after - 10, sb_str(&sb), st);
	sb_free(&sb);
}

/* The form's key bar, and the list of keys in its help (F1). */
static const struct offer form_offers[] = {
	{ .action = ACT_NEXT },
	{ .action = ACT_PREV },
	{ .action = ACT_PAGE, .help_only = true },
	{ .action = ACT_EDIT, .help_only = true },
	{ .action = ACT_HELP },
	{ .action = ACT_REVIEW },
	{ .action = ACT_COMMENT },
	{ .action = ACT_BACK, .help = N_("back to the list of forms") },
	{ .action = ACT_REDRAW, .help_only = true },
	{ .action = ACT_QUIT, .help_only = true },
	{ .action = ACT_NONE },
};

static void form_draw(struct screen *s)
{
	struct form_screen *fs = s->ctx;
	struct ui *ui = fs->ui;
	int body_top = 1, body_rows = ui->rows - 3;
	int cur_line = fs->cur >= 0 ? line_of_field(fs, fs->cur) : 0;
	int cursor_row = -1, cursor_col = 0;
	char title[512], right[160];

	/* Keep the current field in view, with its heading when there is room. */
	if (cur_line < fs->top + 1 && cur_line >= 0)
		fs->top = cur_line > 0 && fs->lines[cur_line - 1].kind == LN_HEADING ? cur_line - 1 : cur_line;
	if (cur_line >= fs->top + body_rows)
		fs->top = cur_line - body_rows + 1;
	if (fs->top > fs->nlines - body_rows)
		fs->top = fs->nlines - body_rows;
	if (fs->top < 0)
		fs->top = 0;

	/* Unit and period first: a long form title is what gets cut. */
	snprintf(title, sizeof title, "%s · %s · %s", i18n_pick(fs->unit->name, fs->unit->name_en), ui->period,
		 i18n_pick(fs->f->title, fs->f->title_en));
	snprintf(right, sizeof right, _("%s  %d/%d  %d error(s) %d warning(s)"),
		 form_status_word(fs->ef.status.shown),
		 fs->ev->filled, fs->ev->asked, fs->ev->errors - fs->ev->missing, fs->ev->warnings);
	ui_title(ui, title, right);
	for (int r = 0; r < body_rows && fs->top + r < fs->nlines; r++) {
		const struct layout_line *ln = &fs->lines[fs->top + r];

		if (ln->kind == LN_HEADING) {
			const struct section *sec = &fs->f->sections[ln->index];

			ui_put(body_top + r, 0, ui->cols, i18n_pick(sec->label, sec->label_en), ST_HEADING);
		} else {
			draw_field(fs, body_top + r, ln->index, &cursor_row, &cursor_col);
		}
	}
	if (fs->top > 0)
		ui_put(body_top, ui->cols - 2, 1, "↑", ST_DIM);
	if (fs->top + body_rows < fs->nlines)
		ui_put(body_top + body_rows - 1, ui->cols - 2, 1, "↓", ST_DIM);
	ui_message(ui, fs->msg_style, fs->msg);
	ui_cursor(cursor_row, cursor_col, cursor_row >= 0);
}

/* The first problem shown on field i (a check naming it, its soft range, a stored value
 * no longer valid), without "not filled in yet". Returns false when there is none. */
static bool problems_of(const struct form_screen *fs, int i, struct strbuf *out, enum ui_style *style)
{
	for (int p = 0; p < fs->ev->nproblems; p++) {
		const struct problem *pr = &fs->ev->problems[p];
		bool on_field = pr->field == i;

		if (pr->kind == PK_CHECK) {
			const struct check *c = &fs->f->checks[pr->check];

			for (int j = 0; j < c->nfields; j++)
				if (c->fields[j] == i)
					on_field = true;
		}
		if (!on_field || pr->kind == PK_REQUIRED)
			continue;
		problem_describe(fs->ev, pr, out);
		*style = pr->is_error ? ST_ERROR : ST_WARNING;
		return true;
	}
	return false;
}

/* How the field's answer is written, then its help, into sb. */
static void field_hint(struct form_screen *fs, struct strbuf *sb)
{
	const struct field *fd = field_at(fs, fs->cur);
	const char *help = i18n_pick(fd->help, fd->help_en);

	field_answer_hint(fd, sb);
	if (help[0])
		sb_addf(sb, "%s%s", sb->len ? "  " : "", help);
}

/* What the message line says when the cursor arrives on a field: its problems first. */
static void describe_field(struct form_screen *fs)
{
	struct strbuf sb;
	enum ui_style style;

	if (fs->cur < 0) {
		set_msg(fs, ST_DIM, "%s", _("This form has nothing to fill in here."));
		return;
	}
	sb_init(&sb);
	if (fs->ef.status.conflict[fs->cur]) {
		set_msg(fs, ST_ERROR, "%s", _("In conflict: two copies sent different values. Type the right one to decide, "
					      "or compare them with F6 in the list of forms."));
	} else if (problems_of(fs, fs->cur, &sb, &style)) {
		set_msg(fs, style, "%s", sb_str(&sb));
	} else if (fs->ef.status.comment[fs->cur]) {
		set_msg(fs, ST_DIM, _("Comment: %s (F11 or Ctrl-D changes it)"), fs->ef.status.comment[fs->cur]);
	} else {
		field_hint(fs, &sb);
		set_msg(fs, ST_DIM, "%s", sb_str(&sb));
	}
	sb_free(&sb);
}

enum commit_result { COMMIT_NOTHING, COMMIT_SAVED, COMMIT_REFUSED };

/* Saves the field being edited through the store's one set of rules. The cursor may
 * leave the field unless the result is COMMIT_REFUSED (the message line says why). */
static enum commit_result commit(struct form_screen *fs)
{
	const struct field *fd;
	struct entry_saved saved;
	struct err e;
	char *text, *refusal;
	int rc;

	if (fs->cur < 0 || !fs->ed.changed)
		return COMMIT_NOTHING;
	fd = field_at(fs, fs->cur);
	text = edit_text(&fs->ed);
	rc = entry_set_field(&fs->ef, fs->cur, text, fs->ui->operator_name, &saved, &refusal, &e);
	free(text);
	if (rc < 0) {
		set_msg(fs, ST_ERROR, "%s", e.msg);
		return COMMIT_REFUSED;
	}
	if (rc > 0) {
		set_msg(fs, ST_ERROR, _("Not saved: %s"), refusal);
		free(refusal);
		return COMMIT_REFUSED;
	}
	/* Shown as the store keeps it: the canonical text ("08" is stored as "8"). */
	edit_set(&fs->ed, saved.value);
	evaluate(fs);
	set_msg(fs, ST_OK, _("Saved: %s = %s"), i18n_pick(fd->label, fd->label_en),
		fs->ef.status.raw[fs->cur] ? fs->ef.status.raw[fs->cur] : _("(empty)"));
	/* Saved, but now breaking a check or outside the usual range: say so at once. */
	{
		struct strbuf sb;
		enum ui_style style;

		sb_init(&sb);
		if (problems_of(fs, fs->cur, &sb, &style)) {
			char said[sizeof fs->msg];

			snprintf(said, sizeof said, "%s", fs->msg);
			/* The save message, then the problem the value now has. */
			set_msg(fs, style, _("%s. %s"), said, sb_str(&sb));
		}
		sb_free(&sb);
	}
	return COMMIT_SAVED;
}

/* F11 / Ctrl-D: a comment on the field's value, typed in a dialog and saved with the
 * value (the value being typed is saved first, checked as always). */
static void edit_comment(struct form_screen *fs)
{
	const struct field *fd;
	struct entry_saved saved;
	struct err e;
	char *text = NULL, *refusal = NULL, *why = NULL, title[256];
	int rc;

	if (fs->cur < 0) {
		set_msg(fs, ST_WARNING, "%s", _("Move to a field first: a comment belongs to one value."));
		return;
	}
	if (commit(fs) == COMMIT_REFUSED)
		return;
	if (fs->ef.status.conflict[fs->cur]) {
		set_msg(fs, ST_WARNING, "%s", _("This value is in conflict: decide it first (F6 in the list of forms), then write the comment."));
		return;
	}
	fd = field_at(fs, fs->cur);
	snprintf(title, sizeof title, _("Comment · %s"), i18n_pick(fd->label, fd->label_en));
	for (;;) {
		char *again = text;

		text = NULL;
		rc = ui_prompt(fs->ui, title,
			       _("A short note for whoever checks this value (empty removes it), Enter saves:"), why,
			       again ? again : fs->ef.status.comment[fs->cur], COMMENT_MAX_CHARS, &text);
		free(again);
		free(why);
		why = NULL;
		if (rc != 0 || ui_quit_requested()) {
			set_msg(fs, ST_DIM, "%s", _("The comment is as it was."));
			break;
		}
		rc = entry_set_comment(&fs->ef, fs->cur, text, fs->ui->operator_name, &saved, &refusal, &e);
		if (rc < 0) {
			/* Asked again with the text kept: the database may be free in a moment. */
			why = xasprintf(_("Not saved: %s"), e.msg);
			continue;
		}
		if (rc > 0) {
			/* Asked again with the text kept, saying why. */
			why = xasprintf(_("Not saved: %s"), refusal);
			free(refusal);
			continue;
		}
		evaluate(fs);
		if (fs->ef.status.comment[fs->cur])
			set_msg(fs, ST_OK, _("Comment saved: %s · %s"), i18n_pick(fd->label, fd->label_en),
				fs->ef.status.comment[fs->cur]);
		else
			set_msg(fs, ST_OK, _("Comment removed: %s"), i18n_pick(fd->label, fd->label_en));
		break;
	}
	free(text);
	build_layout(fs);
}

static void move_to(struct form_screen *fs, int field)
{
	if (field < 0 || field == fs->cur)
		return;
	fs->cur = field;
	build_layout(fs);
	load_editor(fs);
}

/* PgDn: the first input field a page further down (or the last one); PgUp: the last
 * input field a page further up (or the first one). */
static void page_move(struct form_screen *fs, int dir)
{
	int rows = fs->ui->rows - 3, line = line_of_field(fs, fs->cur), target = line + dir * (rows - 1);
	int pick = -1;

	if (line < 0)
		return;
	for (int l = dir > 0 ? line + 1 : 0; dir > 0 ? l < fs->nlines : l < line; l++) {
		int i = fs->lines[l].index;

		if (fs->lines[l].kind != LN_FIELD || !is_input(fs, i))
			continue;
		if (dir > 0) {
			pick = i;
			if (l >= target)
				break;
		} else if (l <= target || pick < 0) {
			pick = i;
		}
	}
	if (pick >= 0) {
		move_to(fs, pick);
		fs->top += dir * (rows - 1);
		describe_field(fs);
	}
}

/* Tab, Enter, ↓ (dir 1) or Shift-Tab, ↑ (dir -1): save the field, then the next or the
 * previous one that takes input. */
static void step(struct form_screen *fs, int dir)
{
	enum commit_result cr = commit(fs);
	int target;

	if (cr == COMMIT_REFUSED)
		return;
	/* Skip logic may have hidden or shown fields: look for the next one now. */
	target = next_input(fs, fs->cur, dir);
	if (target >= 0) {
		move_to(fs, target);
		/* A save's message (and any problem it caused) stays until the next key; a save
		 * without a problem is followed by how to write the next answer. */
		if (cr == COMMIT_NOTHING) {
			describe_field(fs);
		} else if (fs->msg_style == ST_OK && !fs->ef.status.conflict[fs->cur]) {
			struct strbuf sb;
			char said[sizeof fs->msg];

			sb_init(&sb);
			field_answer_hint(field_at(fs, fs->cur), &sb);
			snprintf(said, sizeof said, "%s", fs->msg);
			if (sb.len)
				set_msg(fs, ST_OK, _("%s · next: %s"), said, sb_str(&sb));
			sb_free(&sb);
		}
	} else if (cr == COMMIT_NOTHING && dir > 0) {
		set_msg(fs, ST_DIM, "%s", _("This is the last field. F2 reviews the form."));
	}
}

static void open_review(struct form_screen *fs)
{
	struct err e;
	bool completed;
	int target;

	if (commit(fs) == COMMIT_REFUSED)
		return;
	target = ui_review(fs->ui, fs->f, fs->ev, &completed);
	if (completed) {
		/* The state as the store now has it. */
		if (entry_reload(&fs->ef, &e) != 0)
			set_msg(fs, ST_ERROR, "%s", e.msg);
		else
			set_msg(fs, ST_OK, "%s", _("The form is marked complete."));
		evaluate(fs);
	}
	if (target >= 0 && !ui_quit_requested()) {
		if (field_at(fs, target)->compute) {
			/* A check on a computed value: go to the first input it names. */
			target = next_input(fs, target, -1) >= 0 ? next_input(fs, target, -1) : next_input(fs, target, 1);
		}
		move_to(fs, target);
		describe_field(fs);
	}
}

/* Back (Esc): as in a spreadsheet's cell, Esc on a field being typed in puts back its
 * saved value, saying what was not kept; Esc on an unchanged field leaves the form.
 * Every value typed is saved when the cursor leaves its field, so nothing else is lost. */
static void go_back(struct screen *s, struct form_screen *fs)
{
	char *typed, eb[TEXT_ECHO_SIZE];

	if (fs->cur < 0 || !fs->ed.changed || fs->prefilled) {
		frame_close(s, 0);
		return;
	}
	typed = edit_text(&fs->ed);
	if (typed[0])
		set_msg(fs, ST_WARNING, _("'%s' was not saved: the field is back to its saved value. Esc again leaves the form."),
			text_echo(typed, eb, sizeof eb));
	else
		set_msg(fs, ST_WARNING, "%s", _("The field is back to its saved value. Esc again leaves the form."));
	free(typed);
	edit_set(&fs->ed, fs->ef.status.raw[fs->cur]);
	evaluate(fs);
	build_layout(fs);
}

static void form_key(struct screen *s, struct key_event ev)
{
	struct form_screen *fs = s->ctx;
	bool full;

	if (fs->cur >= 0 && edit_key(&fs->ed, ev, &full)) {
		fs->prefilled = false;
		if (full)
			set_msg(fs, ST_WARNING, _("At most %d characters fit in this field."), fs->ed.max);
		else if (fs->ed.changed) {
			/* While typing, how the answer is written stays in view. */
			struct strbuf sb;

			sb_init(&sb);
			field_hint(fs, &sb);
			set_msg(fs, ST_DIM, "%s", sb_str(&sb));
			sb_free(&sb);
		}
		/* Computed values, checks and skip logic follow the typing. */
		evaluate(fs);
		build_layout(fs);
		return;
	}
	switch (ev.key) {
	case K_TAB: case K_ENTER: case K_DOWN:
		step(fs, 1);
		break;
	case K_BTAB: case K_UP:
		step(fs, -1);
		break;
	case K_PGDN: case K_PGUP:
		if (commit(fs) != COMMIT_REFUSED)
			page_move(fs, ev.key == K_PGDN ? 1 : -1);
		break;
	case K_HELP:
		ui_form_help(fs->ui, fs->f, fs->cur >= 0 ? fs->cur : first_field(fs), form_offers);
		break;
	case K_REVIEW:
		open_review(fs);
		break;
	case K_COMMENT:
		edit_comment(fs);
		break;
	case K_BACK:
		go_back(s, fs);
		break;
	default:
		break;
	}
}

/* Leaving by Ctrl-C or a signal: keep the field being typed if it is valid. */
static void form_leave(struct screen *s)
{
	commit(s->ctx);
}

void ui_form_run(struct ui *ui, const struct form *f)
{
	struct form_screen fs;
	struct screen s = {
		.name = "form", .ctx = &fs, .offers = form_offers, .draw = form_draw, .key = form_key,
		.leave = form_leave,
	};
	struct err e;

	memset(&fs, 0, sizeof fs);
	fs.ui = ui;
	fs.f = f;
	fs.unit = formset_find_unit(&ui->app->forms, ui->unit);
	fs.cur = -1;
	edit_init(&fs.ed, 1);
	if (entry_open(ui->st, &ui->access, &ui->app->forms, ui->unit, ui->period, f, &fs.ef, &e) != 0) {
		ui_alert(ui, _("Error"), e.msg);
		edit_free(&fs.ed);
		return;
	}
	form_eval_init(&fs.typed_ev, f);
	fs.ev = &fs.ef.status.ev;
	fs.cur = next_input(&fs, -1, 1);
	build_layout(&fs);
	load_editor(&fs);
	describe_field(&fs);
	frame_run(ui, &s);
	edit_free(&fs.ed);
	entry_close(&fs.ef);
	form_eval_free(&fs.typed_ev);
	free(fs.lines);
}
