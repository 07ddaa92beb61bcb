/* ui_main.h - the data-entry screens as a whole (tianbao with no command). */
#ifndef TIANBAO_UI_MAIN_H
#define TIANBAO_UI_MAIN_H

#include "core/app.h"

/* Opens the database, then the start screen, the forms and each form, until the user
 * quits. Returns the exit status. */
int ui_run(struct app *app);

#endif
