/* ui_first.h - the first run: a database that reports for no unit yet asks which unit
 * this computer reports for (found by name, code or pinyin initials) and who enters
 * data, then sets both through core/access.h, as `tianbao init` does. */
#ifndef TIANBAO_UI_FIRST_H
#define TIANBAO_UI_FIRST_H

#include "ui/ui.h"

/* Returns 0 once the unit and the operator are set (ui->access and ui->operator_name
 * read again), -1 when the user leaves first (nothing is set). */
int ui_first_run(struct ui *ui);

#endif
