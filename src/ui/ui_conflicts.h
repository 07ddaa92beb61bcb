/* ui_conflicts.h - the conflicts between copies (F6). */
#ifndef TIANBAO_UI_CONFLICTS_H
#define TIANBAO_UI_CONFLICTS_H

#include "ui/ui.h"

/* Lists the open conflicts of ui->period; the clerk picks one value of each. */
void ui_conflicts_run(struct ui *ui);

#endif
