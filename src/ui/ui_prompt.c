/* ui_prompt.c - one line of text asked for in a dialog. */
#include "ui/ui_prompt.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/file.h"
#include "lib/i18n.h"
#include "lib/str.h"
#include "ui/frame.h"
#include "ui/ui_edit.h"

struct prompt {
	const char *title, *label;
	struct line_edit ed;
	char **out;
	bool folder;            /* Tab completes a folder's name */
	char note[512];         /* on the message line: what Tab found, or why it asks again */
	enum ui_style note_style;
};

static const struct offer prompt_offers[] = {
	{ .action = ACT_ENTER, .label = N_("OK") }, { .action = ACT_BACK }, { .action = ACT_NONE },
};

static const struct offer folder_offers[] = {
	{ .action = ACT_ENTER, .label = N_("OK") },
	{ .action = ACT_COMPLETE },
	{ .action = ACT_BACK }, { .action = ACT_NONE },
};

/* Tab: the folder's name completed as far as it is the only one, the choices named. */
static void complete(struct prompt *p)
{
	char *typed = edit_text(&p->ed), *done;
	struct strbuf names;
	int n;

	sb_init(&names);
	n = path_complete_dir(typed, &done, &names);
	edit_set(&p->ed, done);
	p->ed.selected = false;
	if (n == 0)
		snprintf(p->note, sizeof p->note, "%s", _("No folder begins so. Check the name, or Backspace and Tab again."));
	else if (n > 1)
		snprintf(p->note, sizeof p->note, _("%d folders: %s"), n, sb_str(&names));
	else
		p->note[0] = '\0';
	sb_free(&names);
	free(typed);
	free(done);
}

static void prompt_draw(struct screen *s)
{
	struct prompt *p = s->ctx;
	struct ui *ui = s->ui;
	int col;

	ui_title(ui, p->title, NULL);
	ui_put(2, 2, ui->cols - 4, p->label, ST_NORMAL);
	col = edit_draw(&p->ed, 4, 2, ui->cols - 4, ST_INPUT_ACTIVE);
	ui_message(ui, p->note_style, p->note);
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
	} else if (ev.key == K_TAB && p->folder) {
		complete(p);
	} else {
		edit_key(&p->ed, ev, &full);
	}
}

static int run_prompt(struct ui *ui, struct prompt *p, const char *initial, int max_chars)
{
	struct screen s = {
		.ctx = p, .offers = p->folder ? folder_offers : prompt_offers, .draw = prompt_draw, .key = prompt_key,
		.result = -1,
	};
	int rc;

	*p->out = NULL;
	edit_init(&p->ed, max_chars);
	edit_set(&p->ed, initial);
	/* A folder's start is there to be typed on: the next character goes after it. */
	p->ed.selected = !p->folder;
	rc = frame_run(ui, &s);
	edit_free(&p->ed);
	return rc;
}

int ui_prompt(struct ui *ui, const char *title, const char *label, const char *why, const char *initial, int max_chars,
	      char **out)
{
	struct prompt p = { .title = title, .label = label, .out = out, .note_style = ST_WARNING };

	snprintf(p.note, sizeof p.note, "%s", why ? why : "");
	return run_prompt(ui, &p, initial, max_chars);
}

int ui_prompt_folder(struct ui *ui, const char *title, const char *label, char **out)
{
	struct prompt p = { .title = title, .label = label, .out = out, .folder = true, .note_style = ST_NORMAL };

	snprintf(p.note, sizeof p.note, "%s", _("Tab completes the folder's name, as far as it is the only one."));
	return run_prompt(ui, &p, "/media/", 1024);
}
