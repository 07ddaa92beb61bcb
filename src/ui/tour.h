/* tour.h - the guided tour: a few short steps, shown in a panel under every screen, from
 * the start screen through one form to the export, for a first-timer alone.
 *
 * The frame (frame.c) draws the panel below the key bar while the tour is on and gives
 * the screens TOUR_ROWS fewer rows. A step may name the screen it is about: when that
 * screen opens the tour moves on to it by itself; otherwise F9 moves on. Ctrl-Q leaves
 * the tour at any step; nothing of it is stored.
 */
#ifndef TIANBAO_TOUR_H
#define TIANBAO_TOUR_H

#include <stdbool.h>

#define TOUR_ROWS 3

/* Starts the tour at the first step about the screen named `at` (NULL: the first). */
void tour_start(const char *at);
/* The next step; after the last the tour ends. */
void tour_next(void);
void tour_end(void);
bool tour_active(void);
/* The screen named `name` opened: when the next step is about it, the tour moves on. */
void tour_screen_opened(const char *name);
/* The panel, in the last TOUR_ROWS rows of a window `cols` wide and `rows` high. */
void tour_draw(int rows, int cols);
/* How many steps there are (for tests and the help). */
int tour_steps(void);

#endif
