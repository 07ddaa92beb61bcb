/* cmd_store.h - commands on the local store: init, set, dump, status, complete, log. */
#ifndef TIANBAO_CMD_STORE_H
#define TIANBAO_CMD_STORE_H

#include "cli/cli.h"

extern const struct cmd_entry cmd_init_entry;
extern const struct cmd_entry cmd_set_entry;
extern const struct cmd_entry cmd_dump_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_complete_entry;
extern const struct cmd_entry cmd_log_entry;

#endif
