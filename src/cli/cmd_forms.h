/* cmd_forms.h - the check-forms command. */
#ifndef TIANBAO_CMD_FORMS_H
#define TIANBAO_CMD_FORMS_H

#include "core/app.h"

int cmd_check_forms(struct app *app, int argc, char **argv);

#endif
