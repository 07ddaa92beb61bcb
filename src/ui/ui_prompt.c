/* ui_prompt.c - one line of text asked for in a dialog. */
#include "ui/ui_prompt.h"

#include <stddef.h>

#include "lib/i18n.h"
#include "ui/frame.h"
#include "ui/ui_edit.h"

struct prompt {
	const char *title, *label;
	struct line_edit ed;
	char **out;
};

static const struct offer prompt_offers[] = {
	{ .action = ACT_ENTER, .label = N_("OK") }, { .action = ACT_BACK }, { .action = ACT_NONE },
};

static void prompt_draw(struct screen *s)
{
	struct prompt *p = s->ctx;
	struct ui *ui = s->ui;
	int col;

	ui_title(ui, p->title, NULL);
	ui_put(2, 2, ui->cols - 4, p->label, ST_NORMAL);
	col = edit_draw(&p->ed, 4, 2, ui->cols - 4, ST_INPUT_ACTIVE);
	ui_message(ui, ST_NORMAL, "");
	ui_cursor(4, col, true);
}

static void prompt_key(struct screen *s, struct key_event ev)
{
	struct prompt *p = s->ctx;
	bool full;

	if (ev.key == K_BACK) {
		frame_close(s, -1);
	} else if (ev.key == K_ENTER) {
		*p->out = edit_text(&p->ed);
		frame_close(s, 0);
	} else {
		edit_key(&p->ed, ev, &full);
	}
}

int ui_prompt(struct ui *ui, const char *title, const char *label, const char *initial, int max_chars, char **out)
{
	struct prompt p = { title, label, { 0 }, out };
	struct screen s = { .ctx = &p, .offers = prompt_offers, .draw = prompt_draw, .key = prompt_key, .result = -1 };
	int rc;

	*out = NULL;
	edit_init(&p.ed, max_chars);
	edit_set(&p.ed, initial);
	rc = frame_run(ui, &s);
	edit_free(&p.ed);
	return rc;
}
