/* cmd_demo.h - `tianbao demo`: the sample township built (db/demo.tb) in a database of its
 * own, never the user's, then the screens opened on it. */
#ifndef TIANBAO_CMD_DEMO_H
#define TIANBAO_CMD_DEMO_H

#include "cli/cli.h"

extern const struct cmd_entry cmd_demo_entry;

#endif
