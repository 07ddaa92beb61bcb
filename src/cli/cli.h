/* cli.h - option parsing shared by the commands. */
#ifndef TIANBAO_CLI_H
#define TIANBAO_CLI_H

#include "core/app.h"

struct cli_option {
	const char *name;      /* long name without dashes: "unit" for --unit */
	int has_arg;           /* 1: --name VALUE or --name=VALUE; 0: a flag (set to "1") */
	const char **target;
};

/* Parses argv[1..argc) of a command. The global options --db, --forms and --lang are
 * accepted anywhere. Positional arguments are moved to the end of argv, in order.
 * Returns the index of the first positional argument; -1 after printing a usage error;
 * -2 after printing the command's help (-h, --help). `usage` may be NULL. */
int cli_parse(struct app *app, const char *cmd, int argc, char **argv, const struct cli_option *opts,
	      const char *usage, const char *summary);
/* The exit status for a negative cli_parse result: 0 after help, 2 after an error. */
int cli_exit_status(int parse_result);
/* Prints "tianbao CMD: message" and a pointer to --help, for usage errors (exit 2). */
void cli_usage_error(const struct app *app, const char *cmd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
