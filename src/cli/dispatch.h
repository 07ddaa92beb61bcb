/* dispatch.h - the command line: the global options, then one command of the table run
 * as its entry says (cli/cli.h), or the screens when no command is given. */
#ifndef TIANBAO_DISPATCH_H
#define TIANBAO_DISPATCH_H

#include "core/app.h"

/* cli_dispatch's answer when no command is given: the screens are wanted. */
#define CLI_SCREENS (-1)

/* The language asked for (--lang, wherever it is written, else $TIANBAO_LANG; NULL when
 * none), found before anything else so that every message is in it: 0, or -1 when it is
 * neither zh nor en (*lang is then what was asked). */
int cli_find_lang(int argc, char **argv, const char **lang);
/* Reads the global options before the command, then runs the command: its exit status,
 * or CLI_SCREENS when there is no command (the global options are then in app). */
int cli_dispatch(struct app *app, int argc, char **argv);

#endif
