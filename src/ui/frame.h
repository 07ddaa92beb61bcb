/* frame.h - the screen frame: a screen is its state, a draw and a key function, and the
 * actions it offers; one loop, frame_run, does for every screen what each must do alike.
 *
 * The loop checks the window size (too small: the "window too small" screen until it is
 * larger), lays the screen out again when the size changes, redraws it on Ctrl-L, draws
 * its key bar from its offers, and leaves it when the user quits (Ctrl-C, or a signal)
 * after calling its leave function, where the form saves the field being typed. While no
 * key arrives nothing is done and nothing is drawn.
 *
 * A dialog (help, a list to pick from, a prompt, the review, a report) is a screen run
 * from a key function: the frame runs it on top of the one below (the C call stack is
 * the stack of screens) and, when it closes, draws the one below again. Quitting is sticky: once
 * asked for, every screen of the stack leaves, from the top down.
 *
 * Some keys every screen takes, so the frame handles them: the language (F7), the
 * high-contrast theme (F8), the guided tour (F9, Ctrl-Q; tour.h) and the screen written
 * as text into a file (F12). What they did is said on the message line until the next key.
 * A language switch lays the screen out again and keeps its state (the text being typed).
 */
#ifndef TIANBAO_FRAME_H
#define TIANBAO_FRAME_H

#include <stdbool.h>

#include "ui/keys.h"
#include "ui/ui.h"

struct screen {
	const char *name;           /* what the guided tour calls it ("form"), or NULL */
	void *ctx;                  /* the screen's own state */
	const struct offer *offers; /* its key bar and help (keys.h); it may change them */
	/* The window has a new size (and before the first draw): lay out again. May be NULL. */
	void (*layout)(struct screen *s);
	/* Draws all but the key bar on a cleared screen, within ui->rows x ui->cols, and
	 * places the cursor with ui_cursor (hidden otherwise). */
	void (*draw)(struct screen *s);
	/* One key. Never K_NONE, K_RESIZE, K_REDRAW or K_QUIT: the frame handles those. */
	void (*key)(struct screen *s, struct key_event ev);
	/* The user quits while this screen is open: keep what must be kept. May be NULL. */
	void (*leave)(struct screen *s);

	/* Set by the frame. */
	struct ui *ui;
	bool done;
	int result;
};

/* Runs s until its key function closes it, or the user quits. Returns s->result: what
 * frame_close gave, or, when the user quits, what it held before (set it to the value
 * that means "back"). */
int frame_run(struct ui *ui, struct screen *s);
/* Ends the screen after the current key with `result`. */
void frame_close(struct screen *s, int result);

#endif
