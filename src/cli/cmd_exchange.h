/* cmd_exchange.h - the exchange's commands: export, verify, merge, conflicts, resolve. */
#ifndef TIANBAO_CMD_EXCHANGE_H
#define TIANBAO_CMD_EXCHANGE_H

#include "core/app.h"

int cmd_export(struct app *app, int argc, char **argv);
int cmd_verify(struct app *app, int argc, char **argv);
int cmd_merge(struct app *app, int argc, char **argv);
int cmd_conflicts(struct app *app, int argc, char **argv);
int cmd_resolve(struct app *app, int argc, char **argv);

#endif
