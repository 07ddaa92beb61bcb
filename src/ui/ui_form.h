/* ui_form.h - the form screen: fields by section, live computed values, saving as the
 * cursor leaves a field, review and completion, help. */
#ifndef TIANBAO_UI_FORM_H
#define TIANBAO_UI_FORM_H

#include "forms/forms.h"
#include "ui/ui.h"

/* Shows form f for ui->unit and ui->period until the user goes back or quits (then
 * ui_quit_requested is true). Values are saved as the cursor leaves each field. */
void ui_form_run(struct ui *ui, const struct form *f);

#endif
