/* ui_start.h - the start screen: the unit (fixed on a village laptop) and the period. */
#ifndef TIANBAO_UI_START_H
#define TIANBAO_UI_START_H

#include <stdbool.h>

#include "ui/ui.h"

/* Runs the start screen and, from it, the list of forms of the unit and period chosen,
 * until the user quits. unit_idx is the unit shown first; ui->period the period; resume:
 * they were chosen before, and Enter goes straight on to the forms. */
void ui_start_run(struct ui *ui, int unit_idx, bool resume);

#endif
