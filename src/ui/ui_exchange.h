/* ui_exchange.h - the USB stick: the folder of export files, and the export (F3). */
#ifndef TIANBAO_UI_EXCHANGE_H
#define TIANBAO_UI_EXCHANGE_H

#include "ui/ui.h"

/* Where to put or look for export files: a mounted stick, or a folder typed in.
 * Returns a malloc'd path, or NULL when the user goes back. */
char *ui_choose_folder(struct ui *ui, const char *title);

/* Finds a USB stick (or takes a folder), writes this installation's data there, reads
 * it back, and says when it is safe to remove the stick. */
void ui_export_run(struct ui *ui);

#endif
