/* ui_import.h - the import from a USB stick (F4). */
#ifndef TIANBAO_UI_IMPORT_H
#define TIANBAO_UI_IMPORT_H

#include <stdbool.h>

#include "ui/ui.h"

/* Installs the form packages on a stick first (ui_install_packages; then tianbao
 * closes, to start again with the new forms); else lists the export files on it with what each would change (a dry run), then
 * merges the chosen ones with a progress bar. */
void ui_import_run(struct ui *ui);

/* Offers each form package in dir (what it would change, then "install?") and installs
 * the ones accepted; refusals are shown. Returns how many were installed. With reload,
 * the forms of ui->app are then the new ones and ui->access is read again; without (the
 * screens below hold pointers into the forms), it stops after the first installed, and
 * the caller must start tianbao again before the forms are used. */
int ui_install_packages(struct ui *ui, const char *dir, bool reload);

#endif
