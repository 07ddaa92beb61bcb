/* ui_import.h - the import from a USB stick (F4). */
#ifndef TIANBAO_UI_IMPORT_H
#define TIANBAO_UI_IMPORT_H

#include "ui/ui.h"

/* Lists the export files on a stick with what each would change (a dry run), then
 * merges the chosen ones with a progress bar. */
void ui_import_run(struct ui *ui);

#endif
