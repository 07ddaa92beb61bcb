/* latest.h - the one order of "latest wins" in the exchange.
 *
 * Of two writes of one thing (two candidates of a value, two states of a form), the
 * later is the one with the greater time; of two written in the same second, the one
 * written at this installation (typed, completed or decided here: a decision always
 * shows over the value it took, however soon after that it was made); then the greater
 * installation id. For any set of writes and the installation reading them this is a
 * total order, so merging them in any order gives the same result.
 */
#ifndef TIANBAO_LATEST_H
#define TIANBAO_LATEST_H

#include <stdbool.h>

/* A write: when (a stamp "2026-11-29T11:35:20Z") and by which installation. */
struct stamp {
	const char *at;
	const char *installation;
};

/* > 0 when a is later than b, < 0 when b is, 0 for the same write. `own` is this
 * installation's id, or NULL where none of the writes can be its own (what a file says
 * of itself). */
int latest_cmp(const struct stamp *a, const struct stamp *b, const char *own);

/* A form state as merging compares them. */
struct state_stamp {
	const char *state;          /* "progress" or "complete" */
	const char *changed_at, *changed_by, *installation;
};

/* Whether a is later than b: latest_cmp, then 'complete' before 'progress', then the
 * greater changed_by (one installation's two states of one second). */
bool state_later(const struct state_stamp *a, const struct state_stamp *b, const char *own);

#endif
