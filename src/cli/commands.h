/* commands.h - the table of the commands, in the order 'tianbao --help' lists them. */
#ifndef TIANBAO_COMMANDS_H
#define TIANBAO_COMMANDS_H

#include "cli/cli.h"

/* Ended by NULL. */
extern const struct cmd_entry *const cli_commands[];

#endif
