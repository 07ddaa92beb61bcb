/* entry.h - the one way values are entered: a form's rules applied, then the store.
 *
 * `tianbao set`, `resolve --value` and the data-entry screens all call these, so a value
 * refused on one is refused on the other, in the same words. Every input is checked:
 * this installation may enter data for the unit (core/access.h), the field is on a form
 * the unit reports, the period is of the form's kind, the field is not computed, it is
 * asked under the skip logic, and its type and hard range hold (field_parse, which also
 * makes the canonical text stored). The skip logic is checked inside the write
 * transaction, over the form's values as they are then, so no other tianbao's write can
 * slip in between the check and the write.
 */
#ifndef TIANBAO_ENTRY_H
#define TIANBAO_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/access.h"
#include "core/form_status.h"
#include "forms/formeval.h"
#include "forms/forms.h"
#include "lib/err.h"
#include "store/conflicts.h"
#include "store/store.h"
#include "store/values.h"

struct entry_input {
	const char *field;
	const char *value;   /* as typed; "" clears the value */
	bool set_comment;    /* the comment as given ("" or NULL: none); else the value's stays */
	const char *comment; /* checked with comment_check (forms/field.h) */
	bool comment_only;   /* the comment alone: value is ignored, the stored one stays */
};

struct rejection {
	char *field;
	char *message;       /* "FIELD: why", in the user's language */
};

struct entry_outcome {
	struct rejection *rejected;
	int nrejected;
	struct write_result written;
};

/* Checks every input and writes all of them in one transaction, or none when any is
 * rejected (then out->rejected says which and why, and 0 is returned). form_id may be
 * NULL; if given, every field must be on it. Returns -1 with e filled on errors that are
 * not about one value (a unit this installation may not enter, the disk). */
int entry_set_values(struct store *st, const struct access *acc, const struct formset *fs, const char *unit,
		     const char *period, const char *form_id, const struct entry_input *in, int n,
		     const char *operator_name, const char *reason, struct entry_outcome *out, struct err *e);
void entry_outcome_free(struct entry_outcome *o);

/* A form open for entry on a screen: unit, form and period checked once when opened.
 * status holds its values, conflicts and state as stored; it is read again whenever
 * another tianbao changed the database since (a merge run meanwhile). */
struct entry_form {
	struct store *st;
	const struct formset *fs;
	const struct form *form;
	const char *unit, *period;
	struct form_status status;
	int64_t data_version;            /* of the database when status was read */
};

int entry_open(struct store *st, const struct access *acc, const struct formset *fs, const char *unit,
	       const char *period, const struct form *f, struct entry_form *out, struct err *e);
/* Reads the form again when another tianbao changed the database since: 1 when it did,
 * 0 when nothing changed, -1 with e. */
int entry_refresh(struct entry_form *ef, struct err *e);
/* Reads the form again whatever changed (after completing it here, say). */
int entry_reload(struct entry_form *ef, struct err *e);
void entry_close(struct entry_form *ef);

/* What saving a field did. */
struct entry_saved {
	bool written;                    /* the value changed (else it was already so) */
	bool decided;                    /* it was in conflict: this value decided it */
	const char *value;               /* as stored now (ef->status.raw), NULL: empty */
	enum form_state state;           /* the form's stored state now */
	bool reread;                     /* another tianbao had changed the form: read again */
};

/* Saves field `field` of the open form from what was typed: 0 with *out; 1 when refused
 * (*refusal, malloc'd: why, for the person typing, without the field's code); -1 with e.
 * ef->status follows what is stored. */
int entry_set_field(struct entry_form *ef, int field, const char *typed, const char *operator_name,
		    struct entry_saved *out, char **refusal, struct err *e);

/* Sets the comment on field `field`'s value as stored (a comment "" or NULL removes
 * it), checked by comment_check; like entry_set_field otherwise. The value stays. */
int entry_set_comment(struct entry_form *ef, int field, const char *comment, const char *operator_name,
		      struct entry_saved *out, char **refusal, struct err *e);

/* Marks a form complete when it has no errors and no value in conflict: 0 when marked,
 * 1 when refused for errors (ev then lists them; free it with form_eval_free), -1 on
 * other failures (a value in conflict: e says to decide it first). */
int entry_complete(struct store *st, const struct access *acc, const struct formset *fs, const char *unit,
		   const char *period, const struct form *f, const char *operator_name, struct form_eval *ev,
		   struct err *e);

/* Decides a conflict of (unit, period, field): by taking one installation's candidate
 * (a unique prefix of at least 6 hex digits of its id), or by entering a value here,
 * checked like typing (refusals in out, 0 returned). Both refuse (-1 with e) when there
 * is no open conflict there, or this installation may not enter data for the unit. */
int entry_resolve_take(struct store *st, const struct access *acc, const struct formset *fs, const char *unit,
		       const char *period, const char *field, const char *prefix, const char *operator_name,
		       struct resolve_result *res, struct err *e);
int entry_resolve_value(struct store *st, const struct access *acc, const struct formset *fs, const char *unit,
			const char *period, const char *field, const char *value, const char *operator_name,
			struct entry_outcome *out, struct err *e);
/* Takes back the decision entry_resolve_take made (res), while nothing else has written
 * since: the key is in conflict again (store_resolve_undo). */
int entry_resolve_undo(struct store *st, const struct access *acc, const struct formset *fs,
		       const struct resolve_result *res, const char *operator_name, struct err *e);

#endif
