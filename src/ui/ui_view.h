/* ui_view.h - the one scrolling viewer of lines: help texts, messages, results and
 * reports. Plain text is wrapped to the window; other lines (a report's, coloured by
 * tone) come from a source that lays them out for a width. Either is laid out again
 * when the window changes width. */
#ifndef TIANBAO_UI_VIEW_H
#define TIANBAO_UI_VIEW_H

#include "ui/keys.h"
#include "ui/ui.h"

/* Lines to show, laid out for a width by their owner. */
struct view_source {
	/* Lays the lines out for `cols` columns; returns how many there are. */
	int (*lay)(void *ctx, int cols);
	/* Line i of the last layout, and its style. */
	const char *(*line)(void *ctx, int i, enum ui_style *style);
	void *ctx;
};

struct view_options {
	const char *title;
	const char *right;      /* on the title line's right, or NULL */
	int margin;             /* blank columns left and right of the lines */
	enum key also_closes;   /* the key that opened it (F1 help, F5 a report), or K_NONE */
	bool enter_closes;      /* Enter closes (a message) or scrolls a line (a report) */
};

/* Scrolls the lines until the user goes back. */
void ui_view(struct ui *ui, const struct view_options *opt, const struct view_source *src);

/* Shows text wrapped to the window (Enter, Esc or F1 closes it). */
void ui_view_text(struct ui *ui, const char *title, const char *text);

/* A help text: prose, then the list of the keys a screen offers (keys.h). */
void ui_view_help(struct ui *ui, const char *prose, const struct offer *offers);

/* Shows a message and waits for a key. */
void ui_alert(struct ui *ui, const char *title, const char *text);

#endif
