/* ui_pick.h - a list to pick from: numbered lines, a selection that scrolls with it, and
 * digits that pick directly. As a dialog (ui_pick), or as the body of a screen that
 * handles more keys itself (the list of forms). */
#ifndef TIANBAO_UI_PICK_H
#define TIANBAO_UI_PICK_H

#include <stdbool.h>

#include "ui/keys.h"
#include "ui/ui.h"

struct pick {
	const char *title;
	const char *header;             /* over the lines, or NULL */
	const char *note;               /* on the message line, or NULL */
	const char *help;               /* what F1 shows, or NULL (no F1) */
	const char *const *lines;
	int n;
	int sel, top;
	int page;                       /* lines shown, as last drawn */
};

/* Draws the title, the header, the lines and the note. */
void ui_pick_draw(struct ui *ui, struct pick *p);
/* Moves the selection for ↑ ↓ Tab Shift-Tab PgUp PgDn Home End; false for another key. */
bool ui_pick_move(struct pick *p, struct key_event ev);
/* The line a digit key 1-9 picks, or -1. */
int ui_pick_digit(const struct pick *p, struct key_event ev);

/* A list to pick from: returns the chosen index, or -1 when the user goes back. lines are
 * drawn as given; `selected` is where the cursor starts (and is left). Digits 1-9 pick
 * directly. `note` (may be NULL) is shown on the message line. */
int ui_pick(struct ui *ui, const char *title, const char *header, const char *const *lines, int n, int *selected,
	    const char *note);

/* A pick list with the keys of `offers` (its bar and help): p as filled in, p->sel left
 * where the cursor was. Before the list's own keys, extra (may be NULL) sees each key: a
 * result other than PICK_NOT_MINE closes the list with it. Returns the chosen index, -1
 * when the user goes back, or what extra gave. */
#define PICK_NOT_MINE (-1000)
int ui_pick_run(struct ui *ui, struct pick *p, const struct offer *offers, int (*extra)(struct key_event ev, void *ctx),
		void *ctx);

/* ui_pick with F1: `help` (prose) above the list's keys. */
int ui_pick_help(struct ui *ui, const char *title, const char *header, const char *const *lines, int n,
		 int *selected, const char *note, const char *help);

#endif
