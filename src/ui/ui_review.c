/* ui_review.c - the review of a form's problems, and its completion (see ui_review.h). */
#include "ui/ui_review.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/entry.h"
#include "lib/err.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "ui/frame.h"

struct review {
	const struct form *f;
	const struct form_eval *ev;
	int *order, n;           /* the problems: errors first, then warnings, each in form order */
	int sel, top, page;
	char note[1024];
	enum ui_style note_style;
	bool *completed;
};

static const struct offer review_offers[] = {
	{ .action = ACT_ENTER, .label = N_("go to the field") },
	{ .action = ACT_REVIEW, .label = N_("complete the form") },
	{ .action = ACT_BACK },
	{ .action = ACT_NONE },
};

static void review_draw(struct screen *s)
{
	struct review *rv = s->ctx;
	struct ui *ui = s->ui;
	char title[256];

	rv->page = ui->rows - 4;
	ui_list_clamp(&rv->sel, &rv->top, rv->n, rv->page);
	snprintf(title, sizeof title, _("Review: %s"), i18n_pick(rv->f->title, rv->f->title_en));
	ui_title(ui, title, NULL);
	if (rv->n == 0) {
		ui_put(2, 2, ui->cols - 4, _("No errors and no warnings. Press F2 to mark the form complete."), ST_OK);
	} else {
		char head[128];

		snprintf(head, sizeof head, _("%d error(s) and %d warning(s)"), rv->ev->errors, rv->ev->warnings);
		ui_put(1, 2, ui->cols - 4, head, ST_HEADING);
	}
	for (int r = 0; r < rv->page && rv->top + r < rv->n; r++) {
		const struct problem *pr = &rv->ev->problems[rv->order[rv->top + r]];
		struct strbuf sb;

		sb_init(&sb);
		sb_addf(&sb, "%s  ", pr->is_error ? _("error") : _("warning"));
		problem_describe(rv->ev, pr, &sb);
		ui_put(2 + r, 2, ui->cols - 4, sb_str(&sb),
		       rv->top + r == rv->sel ? ST_SELECTED : pr->is_error ? ST_ERROR : ST_WARNING);
		sb_free(&sb);
	}
	ui_message(ui, rv->note_style, rv->note);
}

/* F2 again: marks the form complete through the core, which checks it once more. */
static void complete(struct screen *s, struct review *rv)
{
	struct ui *ui = s->ui;
	struct form_eval done;
	struct err e;
	int rc;

	rv->note_style = ST_ERROR;
	rc = entry_complete(ui->st, &ui->access, &ui->app->forms, ui->unit, ui->period, rv->f, ui->operator_name, &done,
			    &e);
	if (rc < 0) {
		snprintf(rv->note, sizeof rv->note, "%s", e.msg);
		return;
	}
	if (rc > 0)
		snprintf(rv->note, sizeof rv->note, _("Cannot complete: %d error(s) remain. Fix them first."),
			 done.errors);
	form_eval_free(&done);
	if (rc == 0) {
		*rv->completed = true;
		frame_close(s, -1);
	}
}

static void review_key(struct screen *s, struct key_event ev)
{
	struct review *rv = s->ctx;

	switch (ev.key) {
	case K_BACK: frame_close(s, -1); break;
	case K_ENTER:
		if (rv->n > 0)
			frame_close(s, rv->ev->problems[rv->order[rv->sel]].field);
		break;
	case K_REVIEW: complete(s, rv); break;
	default: ui_list_move(&rv->sel, rv->n, rv->page, ev); break;
	}
}

int ui_review(struct ui *ui, const struct form *f, const struct form_eval *ev, bool *completed)
{
	struct review rv = { .f = f, .ev = ev, .note_style = ST_NORMAL, .completed = completed };
	struct screen s = {
		.name = "review", .ctx = &rv, .offers = review_offers, .draw = review_draw, .key = review_key,
		.result = -1,
	};
	int rc;

	*completed = false;
	rv.order = xcalloc((size_t)ev->nproblems + 1, sizeof *rv.order);
	for (int pass = 0; pass < 2; pass++)
		for (int p = 0; p < ev->nproblems; p++)
			if (ev->problems[p].is_error == (pass == 0))
				rv.order[rv.n++] = p;
	rc = frame_run(ui, &s);
	free(rv.order);
	return rc;
}
