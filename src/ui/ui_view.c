/* ui_view.c - the scrolling viewer of lines (see ui_view.h). */
#include "ui/ui_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/text.h"
#include "ui/frame.h"

struct viewer {
	const struct view_options *opt;
	const struct view_source *src;
	int n, top, page;
};

static const struct offer view_offers[] = {
	{ .action = ACT_LINE, .label = N_("scroll") }, { .action = ACT_PAGE }, { .action = ACT_ENDS },
	{ .action = ACT_BACK }, { .action = ACT_NONE },
};

static void view_layout(struct screen *s)
{
	struct viewer *v = s->ctx;

	v->n = v->src->lay(v->src->ctx, s->ui->cols - 2 * v->opt->margin);
}

static void view_draw(struct screen *s)
{
	struct viewer *v = s->ctx;
	struct ui *ui = s->ui;
	int margin = v->opt->margin;

	v->page = ui->rows - 3;
	if (v->top > v->n - v->page)
		v->top = v->n - v->page;
	if (v->top < 0)
		v->top = 0;
	ui_title(ui, v->opt->title, v->opt->right);
	for (int r = 0; r < v->page && v->top + r < v->n; r++) {
		enum ui_style style = ST_NORMAL;
		const char *text = v->src->line(v->src->ctx, v->top + r, &style);

		ui_put(1 + r, margin, ui->cols - 2 * margin, text, style);
	}
	if (v->n > v->page) {
		char pos[64];

		int last = v->top + v->page < v->n ? v->top + v->page : v->n;

		snprintf(pos, sizeof pos, "%d-%d / %d", v->top + 1, last, v->n);
		ui_message(ui, ST_DIM, pos);
	}
}

static void view_key(struct screen *s, struct key_event ev)
{
	struct viewer *v = s->ctx;

	if (ev.key == K_BACK || (ev.key == v->opt->also_closes && ev.key != K_NONE) ||
	    (ev.key == K_ENTER && v->opt->enter_closes)) {
		frame_close(s, 0);
		return;
	}
	switch (ev.key) {
	case K_UP: v->top--; break;
	case K_DOWN: case K_ENTER: v->top++; break;
	case K_PGUP: v->top -= v->page; break;
	case K_PGDN: v->top += v->page; break;
	/* Space pages on, as in a pager; other letters do nothing. */
	case K_CHAR: if (ev.ch == ' ') v->top += v->page; break;
	case K_HOME: v->top = 0; break;
	case K_END: v->top = v->n; break;
	default: break;
	}
}

void ui_view(struct ui *ui, const struct view_options *opt, const struct view_source *src)
{
	struct viewer v = { opt, src, 0, 0, 1 };
	struct screen s = {
		.ctx = &v, .offers = view_offers, .layout = view_layout, .draw = view_draw, .key = view_key,
	};

	frame_run(ui, &s);
}

/* Plain text, wrapped for the width. */
struct wrapped {
	const char *text;
	char **lines;
	int n;
};

static void wrapped_free(struct wrapped *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->lines[i]);
	free(w->lines);
	w->lines = NULL;
	w->n = 0;
}

static int wrapped_lay(void *ctx, int cols)
{
	struct wrapped *w = ctx;

	wrapped_free(w);
	w->n = text_wrap(w->text, cols, &w->lines);
	return w->n;
}

static const char *wrapped_line(void *ctx, int i, enum ui_style *style)
{
	struct wrapped *w = ctx;

	*style = ST_NORMAL;
	return w->lines[i];
}

void ui_view_text(struct ui *ui, const char *title, const char *text)
{
	struct wrapped w = { text, NULL, 0 };
	struct view_source src = { wrapped_lay, wrapped_line, &w };
	struct view_options opt = { .title = title, .margin = 2, .also_closes = K_HELP, .enter_closes = true };

	ui_view(ui, &opt, &src);
	wrapped_free(&w);
}

void ui_view_help(struct ui *ui, const char *prose, const struct offer *offers)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_addf(&sb, "%s\n\n%s\n", prose, _("Keys"));
	keys_help(offers, &sb);
	ui_view_text(ui, _("Help"), sb_str(&sb));
	sb_free(&sb);
}

void ui_alert(struct ui *ui, const char *title, const char *text)
{
	ui_view_text(ui, title, text);
}
