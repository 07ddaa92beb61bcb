/* cmd_report.h - the report command: completeness, indicators, units, targets. */
#ifndef TIANBAO_CMD_REPORT_H
#define TIANBAO_CMD_REPORT_H

#include "core/app.h"

int cmd_report(struct app *app, int argc, char **argv);

#endif
