/* cmd_store.h - commands on the local store: init, set, dump, status, complete, log. */
#ifndef TIANBAO_CMD_STORE_H
#define TIANBAO_CMD_STORE_H

#include "core/app.h"

int cmd_init(struct app *app, int argc, char **argv);
int cmd_set(struct app *app, int argc, char **argv);
int cmd_dump(struct app *app, int argc, char **argv);
int cmd_status(struct app *app, int argc, char **argv);
int cmd_complete(struct app *app, int argc, char **argv);
int cmd_log(struct app *app, int argc, char **argv);

#endif
