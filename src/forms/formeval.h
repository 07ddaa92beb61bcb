/* formeval.h - the rules of a form applied to values: typed-value checks, skip logic,
 * computed fields, soft ranges, cross-field checks and targets.
 *
 * Pure functions over a form and its values as text; no storage, no screens. Entry (core),
 * the export file's checks (tbx), the screens and the reports all use these, so a rule
 * holds everywhere. One value against its field: forms/field.h.
 */
#ifndef TIANBAO_FORMEVAL_H
#define TIANBAO_FORMEVAL_H

#include <stdbool.h>

#include "forms/expr.h"
#include "forms/field.h"
#include "forms/forms.h"
#include "lib/err.h"
#include "lib/str.h"

enum problem_kind {
	PK_REQUIRED,     /* an asked, required field is empty (error) */
	PK_INVALID,      /* a stored value the current form version no longer accepts (error) */
	PK_SOFT_RANGE,   /* outside the usual range (warning) */
	PK_CHECK,        /* a cross-field check does not hold (error or warning) */
};

struct problem {
	enum problem_kind kind;
	bool is_error;
	int field;       /* the field it is shown on; for checks the first field it names */
	int check;       /* PK_CHECK: index into form->checks, else -1 */
};

struct field_eval {
	struct ev val;   /* the typed or computed value; missing when skipped */
	bool skipped;    /* not asked, by skip logic of the field or its section */
	bool filled;     /* an input field with a stored value */
	int target;      /* -1 no target or unknown, 0 not met (未达标), 1 met (达标) */
	int errors, warnings;   /* problems shown on this field (a missing value included) */
	bool missing;    /* asked, required, and still empty */
};

struct form_eval {
	const struct form *form;
	struct field_eval *fields;
	struct problem *problems;
	int nproblems, cap;
	int asked;       /* input fields not skipped */
	int filled;      /* of those, how many have a value */
	int errors, warnings;   /* errors include required fields still empty... */
	int missing;            /* ...of which there are this many */
};

void form_eval_init(struct form_eval *ev, const struct form *f);
/* raw[i] is the stored text of field i, or NULL; computed fields' entries are ignored. */
void form_evaluate(struct form_eval *ev, const char *const *raw);
void form_eval_free(struct form_eval *ev);
/* One line saying what is wrong, in the user's language. */
void problem_describe(const struct form_eval *ev, const struct problem *p, struct strbuf *out);

#endif
