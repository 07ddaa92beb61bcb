/* cmd_forms.h - the check-forms command. */
#ifndef TIANBAO_CMD_FORMS_H
#define TIANBAO_CMD_FORMS_H

#include "cli/cli.h"

extern const struct cmd_entry cmd_check_forms_entry;
extern const struct cmd_entry cmd_undo_forms_entry;

#endif
