/* ui_review.h - the review of a form (F2): every error and warning, each leading to its
 * field, and completing the form, refused while errors remain. */
#ifndef TIANBAO_UI_REVIEW_H
#define TIANBAO_UI_REVIEW_H

#include <stdbool.h>

#include "forms/formeval.h"
#include "forms/forms.h"
#include "ui/ui.h"

/* Reviews form f of ui->unit and ui->period as evaluated in ev. Returns the field to go
 * to, or -1; *completed is set when the user marked the form complete (the store has the
 * new state: reload it). */
int ui_review(struct ui *ui, const struct form *f, const struct form_eval *ev, bool *completed);

#endif
