/* ui_forms.h - the list of forms of the chosen unit and period, the way into each form
 * and to the USB screens and the reports. */
#ifndef TIANBAO_UI_FORMS_H
#define TIANBAO_UI_FORMS_H

#include "ui/ui.h"

/* Shows the forms of ui->unit for ui->period until the user goes back or quits. */
void ui_forms_run(struct ui *ui);

#endif
