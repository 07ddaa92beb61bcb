/* states.h - the state of each form of a unit and period: empty (no row), in progress,
 * complete.
 *
 * A state set here is stamped after the one it replaces (one second after it when that
 * one is not older), so it is the latest (store/latest.h) and no file carrying the old
 * state can undo it. What a screen or report shows of a state is derived from it when
 * read (core/form_status.h).
 */
#ifndef TIANBAO_STATES_H
#define TIANBAO_STATES_H

#include "lib/err.h"
#include "store/store.h"

enum form_state { FST_EMPTY, FST_PROGRESS, FST_COMPLETE };

/* A form's state as stored: set here, or merged from a file (then changed_by and
 * installation are those of the installation that set it). */
struct form_state_info {
	enum form_state state;
	char changed_at[32];
	char changed_by[256];
	char installation[33];
};

int store_get_form_state(struct store *st, const char *unit, const char *period, const char *form,
			 struct form_state_info *out, struct err *e);
/* Sets a form's state with an audit row ("completed" or "reopened"), stamped with the
 * current time - or, when the state it replaces is not older (set in the same second,
 * or by a computer whose clock is ahead), one second after that one. One transaction. */
int store_set_form_state(struct store *st, const char *unit, const char *period, const char *form,
			 enum form_state state, const char *operator_name, struct err *e);
/* "empty", "progress", "complete": the words stored in form_state and the audit. */
const char *form_state_name(enum form_state s);

#endif
