/* keys.h - the key table: every key the screens react to, the actions they stand for,
 * and how key bars and help texts name them.
 *
 * One table (keys.c) holds, for each key, the codes that give it (curses codes and
 * control characters) and its names, and for each action the keys that do it, its label
 * on a key bar, its line in a help text and its priority. ui_read_key maps codes through
 * it, and every key bar and every help text's list of keys is made from it: a label
 * cannot drift from the key that does what it says. A screen lists the actions it offers
 * (struct offer) in the order of its bar and its help, and may give one its own words.
 * A bar too narrow for all its actions drops the least important first, never "back".
 */
#ifndef TIANBAO_KEYS_H
#define TIANBAO_KEYS_H

#include <stdbool.h>
#include <wchar.h>

#include "lib/str.h"

/* Keys, after mapping: the same key does the same thing in every screen. */
enum key {
	K_NONE,       /* nothing arrived before the timeout */
	K_CHAR,       /* a printable character, in ev.ch */
	K_TAB, K_BTAB, K_ENTER, K_UP, K_DOWN, K_LEFT, K_RIGHT, K_HOME, K_END,
	K_PGUP, K_PGDN, K_BACKSPACE, K_DELETE,
	K_CLEAR,      /* Ctrl-U: empty the field being typed in */
	K_HELP,       /* F1, Ctrl-G */
	K_REVIEW,     /* F2, Ctrl-R */
	K_EXPORT,     /* F3, Ctrl-E */
	K_IMPORT,     /* F4, Ctrl-O */
	K_REPORT,     /* F5, Ctrl-T */
	K_CONFLICTS,  /* F6, Ctrl-K */
	K_COMMENT,    /* F11, Ctrl-D: a comment on the value */
	K_BACK,       /* Esc, F10, Ctrl-X */
	K_REDRAW,     /* Ctrl-L */
	K_RESIZE,     /* the terminal changed size */
	K_QUIT,       /* Ctrl-C, SIGINT, SIGTERM, SIGHUP: save what can be saved and leave */
	/* Keys every screen takes, handled by the frame (frame.h). */
	K_LANG,       /* F7, Ctrl-W: Chinese <-> English */
	K_THEME,      /* F8, Ctrl-B: the high-contrast theme on and off */
	K_TOUR,       /* F9, Ctrl-Y: the guided tour: start it, or its next step */
	K_TOUR_END,   /* Ctrl-Q: leave the guided tour */
	K_SNAPSHOT,   /* F12, Ctrl-S: the screen as text into a file */
	K_COUNT
};

struct key_event {
	enum key key;
	wchar_t ch;
};

/* What a screen offers the user, as a bar or a help text names it. */
enum action {
	ACT_NONE,       /* ends a list of offers */
	ACT_LINE,       /* ↑↓: another line */
	ACT_NEXT,       /* Tab/↓: the next field */
	ACT_PREV,       /* ↑: the previous field */
	ACT_PAGE,       /* PgUp/PgDn */
	ACT_ENDS,       /* Home/End */
	ACT_EDIT,       /* the keys that edit inside a field */
	ACT_ENTER,
	ACT_DIGIT,      /* 1-9: a line by its number */
	ACT_SPACE,
	ACT_ALL,        /* A */
	ACT_UNDO,       /* U: take back what was just done */
	ACT_COMPLETE,   /* Tab: complete a folder's name */
	ACT_HELP, ACT_REVIEW, ACT_EXPORT, ACT_IMPORT, ACT_REPORT, ACT_CONFLICTS, ACT_COMMENT,
	ACT_BACK, ACT_REDRAW, ACT_QUIT,
	ACT_LANG, ACT_THEME, ACT_TOUR, ACT_TOUR_END, ACT_SNAPSHOT,   /* every screen's (keys_help) */
	ACT_COUNT
};

/* One action of a screen. The words are N_() strings; NULL takes the table's. */
struct offer {
	enum action action;
	const char *label;      /* on the key bar: "help" */
	const char *help;       /* in the help text, after the keys: "this help" */
	bool help_only;         /* named in the help text, not on the bar */
};

/* The key a curses code (KEY_F(1)...) or a control character (7 is Ctrl-G) stands for,
 * or K_NONE when it stands for none. */
enum key keys_map(int code);

/* The keys of an action as a bar names them ("F1/^G") and as a sentence does
 * ("F1 or Ctrl-G"), appended to out. */
void keys_bar_name(enum action a, struct strbuf *out);
void keys_names(enum action a, struct strbuf *out);

/* A key bar laid out for a width. */
#define KEYS_BAR_MAX 16
struct bar_layout {
	int n;                  /* entries shown, in the screen's order */
	int gap;                /* spaces between two entries */
	char name[KEYS_BAR_MAX][32];
	const char *label[KEYS_BAR_MAX];  /* translated */
	int width;              /* columns used */
};

/* Which of a screen's offers a bar of `cols` columns shows: all of them, two spaces
 * apart, or one space apart when that is what lets all show; otherwise it drops the
 * one of lowest priority (never back) and tries again. */
void keys_bar_layout(const struct offer *offers, int cols, struct bar_layout *out);

/* The help text's list of keys: a line "  KEYS: what it does" per offer, then the keys
 * every screen takes (language, theme, tour, the screen as text). */
void keys_help(const struct offer *offers, struct strbuf *out);

#endif
