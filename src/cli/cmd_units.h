/* cmd_units.h - `tianbao units`: the township's units listed, added, renamed, removed,
 * imported from a county's list. */
#ifndef TIANBAO_CMD_UNITS_H
#define TIANBAO_CMD_UNITS_H

#include "cli/cli.h"

extern const struct cmd_entry cmd_units_entry;

#endif
