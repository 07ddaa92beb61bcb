/* ui_pick.c - a list to pick from (see ui_pick.h). */
#include "ui/ui_pick.h"

#include <stdio.h>

#include "lib/i18n.h"
#include "ui/frame.h"
#include "ui/ui_view.h"

void ui_pick_draw(struct ui *ui, struct pick *p)
{
	int first = p->header ? 2 : 1;

	p->page = ui->rows - 2 - first;
	ui_list_clamp(&p->sel, &p->top, p->n, p->page);
	ui_title(ui, p->title, NULL);
	/* Over the lines, which start after their number ("1.  "). */
	if (p->header)
		ui_put(1, 4, ui->cols - 4, p->header, ST_HEADING);
	for (int r = 0; r < p->page && p->top + r < p->n; r++) {
		char num[8];
		int i = p->top + r;

		snprintf(num, sizeof num, i < 9 ? "%d." : "  ", i + 1);
		ui_put(first + r, 0, 4, num, ST_DIM);
		ui_put(first + r, 4, ui->cols - 5, p->lines[i], i == p->sel ? ST_SELECTED : ST_NORMAL);
	}
	ui_message(ui, ST_DIM, p->note ? p->note : "");
}

bool ui_pick_move(struct pick *p, struct key_event ev)
{
	return ui_list_move(&p->sel, p->n, p->page, ev);
}

int ui_pick_digit(const struct pick *p, struct key_event ev)
{
	if (ev.key == K_CHAR && ev.ch >= '1' && ev.ch <= '9' && (int)(ev.ch - '1') < p->n)
		return (int)(ev.ch - '1');
	return -1;
}

/* A dialog's list and, maybe, the screen's own keys. */
struct pick_run {
	struct pick *p;
	int (*extra)(struct key_event ev, void *ctx);
	void *ctx;
};

static void dialog_draw(struct screen *s)
{
	struct pick_run *r = s->ctx;

	ui_pick_draw(s->ui, r->p);
}

static void dialog_key(struct screen *s, struct key_event ev)
{
	struct pick_run *r = s->ctx;
	struct pick *p = r->p;
	int digit = ui_pick_digit(p, ev), res;

	if (r->extra && (res = r->extra(ev, r->ctx)) != PICK_NOT_MINE) {
		frame_close(s, res);
		return;
	}

	if (digit >= 0) {
		p->sel = digit;
		frame_close(s, digit);
		return;
	}
	switch (ev.key) {
	case K_BACK:
		frame_close(s, -1);
		break;
	case K_HELP:
		if (p->help)
			ui_view_help(s->ui, p->help, s->offers);
		break;
	case K_ENTER:
		if (p->n > 0)
			frame_close(s, p->sel);
		break;
	default:
		ui_pick_move(p, ev);
		break;
	}
}

int ui_pick_help(struct ui *ui, const char *title, const char *header, const char *const *lines, int n,
		 int *selected, const char *note, const char *help)
{
	static const struct offer offers[] = {
		{ .action = ACT_LINE }, { .action = ACT_ENTER }, { .action = ACT_DIGIT }, { .action = ACT_BACK },
		{ .action = ACT_NONE },
	};
	static const struct offer offers_help[] = {
		{ .action = ACT_LINE }, { .action = ACT_ENTER }, { .action = ACT_DIGIT }, { .action = ACT_HELP },
		{ .action = ACT_BACK }, { .action = ACT_NONE },
	};
	struct pick p = { title, header, note, help, lines, n, 0, 0, 1 };
	int rc;

	if (selected && *selected >= 0 && *selected < n)
		p.sel = *selected;
	rc = ui_pick_run(ui, &p, help ? offers_help : offers, NULL, NULL);
	if (selected)
		*selected = p.sel;
	return rc;
}

int ui_pick_run(struct ui *ui, struct pick *p, const struct offer *offers, int (*extra)(struct key_event ev, void *ctx),
		void *ctx)
{
	struct pick_run r = { p, extra, ctx };
	struct screen s = { .ctx = &r, .offers = offers, .draw = dialog_draw, .key = dialog_key, .result = -1 };

	return frame_run(ui, &s);
}

int ui_pick(struct ui *ui, const char *title, const char *header, const char *const *lines, int n, int *selected,
	    const char *note)
{
	return ui_pick_help(ui, title, header, lines, n, selected, note, NULL);
}
