/* ui_form_help.h - the form screen's help (F1). */
#ifndef TIANBAO_UI_FORM_HELP_H
#define TIANBAO_UI_FORM_HELP_H

#include "forms/forms.h"
#include "ui/keys.h"
#include "ui/ui.h"

/* Shows the help of form f on field `field` (or none when -1): what it is and takes,
 * then the keys the form offers. */
void ui_form_help(struct ui *ui, const struct form *f, int field, const struct offer *offers);

#endif
