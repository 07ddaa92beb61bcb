/* ui.h - the terminal: curses lifecycle, keys as actions (keys.h), drawing by display
 * columns.
 *
 * The files of src/ui are the only code that calls ncurses. Screens run in the frame
 * (frame.h), draw from their own state and redraw everything on a resize; signals only
 * set a flag that the key loop turns into K_QUIT, and quitting, once asked, stays asked.
 */
#ifndef TIANBAO_UI_H
#define TIANBAO_UI_H

#include <stdbool.h>
#include <wchar.h>

#include "core/access.h"
#include "core/app.h"
#include "lib/str.h"
#include "store/store.h"
#include "ui/keys.h"

struct screen;

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24

/* Colours (or, without colour, attributes) by meaning. */
enum ui_style {
	ST_NORMAL, ST_TITLE, ST_HEADING, ST_INPUT, ST_INPUT_ACTIVE, ST_COMPUTED, ST_ERROR, ST_WARNING,
	ST_OK, ST_DIM, ST_KEYBAR, ST_KEYNAME, ST_SELECTED, ST_COUNT
};

/* What every screen needs. */
struct ui {
	struct app *app;
	struct store *st;
	const char *unit;        /* the unit chosen on the start screen */
	char period[16];
	const char *operator_name;
	struct access access;    /* which units it may enter data for (core/access.h) */
	int rows, cols;
	bool color;
};

/* Checks the locale and terminal, then starts curses. Prints the reason and returns -1
 * when tianbao cannot draw here (not a UTF-8 locale, no terminal). */
int ui_begin(void);
void ui_end(void);
/* The high-contrast theme: attributes only, in the terminal's own colours. */
void ui_set_contrast(bool on);
bool ui_contrast(void);
/* What the screen shows, as UTF-8 text: a line per row, without trailing spaces. */
void ui_screen_text(struct strbuf *out);

/* Waits for a key (up to half a second, so signals are noticed). */
struct key_event ui_read_key(void);
/* True once a quit signal or Ctrl-C arrived: every screen leaves. */
bool ui_quit_requested(void);
/* Ctrl-C: from now on ui_quit_requested() is true. */
void ui_request_quit(void);

/* Reads the current size into ui; true when the terminal is big enough. */
bool ui_size_ok(struct ui *ui);
/* The "window too small" screen. */
void ui_too_small(const struct ui *ui);

void ui_clear(void);
/* Repaints the whole screen on the next refresh (Ctrl-L). */
void ui_force_redraw(void);
/* Draws text at (row, col) in exactly `width` columns (cropped with "…", padded), or in
 * its own width when width < 0. Control characters show as '?'. Returns columns used. */
int ui_put(int row, int col, int width, const char *text, enum ui_style style);
int ui_put_right(int row, int col, int width, const char *text, enum ui_style style);
/* A line of the screen filled with a style. */
void ui_fill(int row, enum ui_style style);
/* The title line (row 0). */
void ui_title(const struct ui *ui, const char *left, const char *right);
/* The key bar (last row): the actions a screen offers (keys.h), as many as fit. The
 * cursor stays where it was. */
void ui_keybar(const struct ui *ui, const struct offer *offers);
/* The message line (the row above the key bar). */
void ui_message(const struct ui *ui, enum ui_style style, const char *text);
void ui_cursor(int row, int col, bool visible);
/* Where the cursor is now, and putting it back there (shown or hidden as it was): what
 * the frame draws after a screen leaves the screen's cursor where the screen put it. */
void ui_cursor_where(int *row, int *col);
void ui_cursor_back(int row, int col);
void ui_refresh(void);

/* Keeps a list's selection within its n lines and the window of `page` lines from *top
 * around it. */
void ui_list_clamp(int *sel, int *top, int n, int page);
/* Moves a list's selection for ↑ ↓ Tab Shift-Tab PgUp PgDn Home End, within its n lines
 * (page: the lines shown); false for another key. */
bool ui_list_move(int *sel, int n, int page, struct key_event ev);

#endif
