/* entry.h - the one way values are entered: a form's rules applied, then the store.
 *
 * The command line (`tianbao set`) and the data-entry screens both call
 * entry_set_values, so a value refused on one is refused on the other, in the same words.
 */
#ifndef TIANBAO_ENTRY_H
#define TIANBAO_ENTRY_H

#include "forms/formeval.h"
#include "forms/forms.h"
#include "store/store.h"
#include "lib/err.h"

struct entry_input {
	const char *field;
	const char *value;   /* as typed; "" clears the value */
};

struct rejection {
	char *field;
	char *message;
};

struct entry_outcome {
	struct rejection *rejected;
	int nrejected;
	struct write_result written;
};

/* Whether this installation may enter data for unit: a village or department laptop
 * only for its own unit (set by `tianbao init`), a township for all of its units. */
int entry_check_unit(struct store *st, const struct formset *fs, const char *unit, struct err *e);

/* What a caller (the screens) already holds, so a write reads nothing more from the
 * database than the value it writes. */
struct entry_known {
	const struct form *form;      /* the form the inputs are on */
	const char *const *raw;       /* its stored values, by field index */
	bool unit_checked;            /* entry_check_unit has passed for this unit */
};

/* Checks every input (known field, on a form this unit reports, period of the form's
 * type, not computed, asked under the skip logic, type and hard range) and writes all of
 * them in one transaction, or none when any is rejected (then out->rejected says which
 * and why, and 0 is returned). form_id may be NULL; if given, every field must be on it.
 * known may be NULL. Returns -1 with e filled on errors that are not about one value
 * (unknown unit, disk). */
int entry_set_values(struct store *st, const struct formset *fs, const char *unit, const char *period,
		     const char *form_id, const struct entry_input *in, int n, const char *operator_name,
		     const char *reason, const struct entry_known *known, struct entry_outcome *out, struct err *e);
void entry_outcome_free(struct entry_outcome *o);

/* Checks a unit/period/form combination: the unit exists and reports the form, and the
 * period is written for the form's period type. */
int entry_check_form_period(const struct formset *fs, const struct form *f, const char *unit, const char *period,
			    struct err *e);

/* Loads a form's stored values and evaluates them into ev (initialized here; free with
 * form_eval_free). raw_out, when not NULL, receives the stored texts (free with
 * entry_free_raw). */
int entry_evaluate(struct store *st, const struct form *f, const char *unit, const char *period,
		   struct form_eval *ev, char ***raw_out, struct err *e);
void entry_free_raw(char **raw, int n);

/* Marks a form complete when it has no errors: returns 0 when marked, 1 when refused
 * (ev then lists the errors; free it with form_eval_free), -1 on failure. */
int entry_complete(struct store *st, const struct formset *fs, const char *unit, const char *period,
		   const struct form *f, const char *operator_name, struct form_eval *ev, struct err *e);

#endif
