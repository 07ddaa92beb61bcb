/* form_status.h - the state a form is shown in, and its words: one rule for the list of
 * forms, the form's own title, `status` and the reports.
 *
 * The stored state (store/states.h) is what travels between installations; what people
 * see is derived from it when read, never stored:
 *   - a complete form with a value in conflict is in progress: the clerk decides first;
 *   - a form with values but no stored state (values merged from an older tianbao's
 *     file) is in progress;
 *   - otherwise the stored state: a form whose values were all cleared again stays in
 *     progress (it was worked on), one never touched is empty.
 */
#ifndef TIANBAO_FORM_STATUS_H
#define TIANBAO_FORM_STATUS_H

#include <stdbool.h>

#include "forms/formeval.h"
#include "forms/forms.h"
#include "lib/err.h"
#include "store/states.h"
#include "store/store.h"

/* The state shown for a stored state, the number of values stored (not cleared) and the
 * number of them in conflict. */
enum form_state form_status_shown(enum form_state stored, int nvalues, int nconflicts);
/* The words of a state shown: 未填 empty, 填写中 in progress, 已完成 complete. */
const char *form_status_word(enum form_state shown);

/* One form of a unit and period as the screens and `status` show it, read at once. */
struct form_status {
	struct form_state_info stored;  /* the state as stored */
	enum form_state shown;
	char **raw;                     /* the stored text of each field (NULL: none) */
	char **comment;                 /* the comment on each field's value (NULL: none) */
	int nvalues;                    /* fields with a stored value */
	bool *conflict;                 /* per field: in conflict */
	int nconflicts;
	struct form_eval ev;            /* the form's rules over the stored values */
};

int form_status_load(struct store *st, const struct form *f, const char *unit, const char *period,
		     struct form_status *out, struct err *e);
/* After a change of raw or conflict: the evaluation, the counts and the state shown
 * again (of the stored state as it is in fs); recount: the counts and the state only,
 * when ev already evaluates raw. */
void form_status_refresh(struct form_status *fs);
void form_status_recount(struct form_status *fs);
void form_status_free(struct form_status *fs);

#endif
