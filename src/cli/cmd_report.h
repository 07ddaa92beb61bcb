/* cmd_report.h - the report command: completeness, indicators, units, targets. */
#ifndef TIANBAO_CMD_REPORT_H
#define TIANBAO_CMD_REPORT_H

#include "cli/cli.h"

extern const struct cmd_entry cmd_report_entry;

#endif
