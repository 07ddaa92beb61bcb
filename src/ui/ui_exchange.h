/* ui_exchange.h - the USB screens: export (F3), import (F4), conflicts (F6). */
#ifndef TIANBAO_UI_EXCHANGE_H
#define TIANBAO_UI_EXCHANGE_H

#include "ui/ui.h"

/* Finds a USB stick (or takes a folder), writes this installation's data there, reads
 * it back, and says when it is safe to remove the stick. */
void ui_export_run(struct ui *ui);
/* Lists the export files on a stick with what each would change (a dry run), then
 * merges the chosen ones with a progress bar. */
void ui_import_run(struct ui *ui);
/* Lists the open conflicts of ui->period; the clerk picks one value of each. */
void ui_conflicts_run(struct ui *ui);

#endif
