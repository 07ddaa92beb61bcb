/* ui_report.h - the report screens (F5 in the list of forms). */
#ifndef TIANBAO_UI_REPORT_H
#define TIANBAO_UI_REPORT_H

#include "ui/ui.h"

/* Lets the user choose a report for ui->period and scroll it, until Esc. */
void ui_report_run(struct ui *ui);

#endif
