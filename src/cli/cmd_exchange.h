/* cmd_exchange.h - the exchange's commands: export, verify, merge, conflicts, resolve. */
#ifndef TIANBAO_CMD_EXCHANGE_H
#define TIANBAO_CMD_EXCHANGE_H

#include "cli/cli.h"

extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_verify_entry;
extern const struct cmd_entry cmd_merge_entry;
extern const struct cmd_entry cmd_conflicts_entry;
extern const struct cmd_entry cmd_resolve_entry;

#endif
