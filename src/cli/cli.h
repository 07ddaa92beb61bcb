/* cli.h - the commands of the command line, as a table (in the manner of tmux's cmd_entry).
 *
 * Each command declares a struct cmd_entry: its name, usage and help, its options with
 * the kind of value each takes, how many arguments it takes, and what it needs (the
 * forms, the store opened in a mode, this installation's access, a unit). The dispatcher
 * (cli/dispatch.h) does the rest once for all of them, in this order, so a mistake is
 * said the same way by every command and before anything is opened:
 *
 *   1. the options, in the order given (-h/--help prints the command's help; an unknown
 *      option, a value missing or given to a flag is a usage mistake);
 *   2. an argument more than the command takes ("unexpected argument");
 *   3. an option that is required and missing (its .required words);
 *   4. each option's value, in the order of the table (a period by period_check, a list
 *      of periods, a number in its range, a text by its .valid);
 *   5. fewer arguments than the command takes (.args_missing);
 *   6. the command's own rules about options that go together (.check), then the
 *      values marked CO_AFTER_CHECK;
 *   7. .prepare, for data problems to find before anything is loaded;
 *   8. the forms (CMD_FORMS), a unit that needs no database checked against them, the
 *      store in its mode, the access, the unit meant (--unit or this installation's
 *      own; missing: .unit_missing, a usage mistake), then the form named by a CV_FORM;
 *   9. .run with everything filled in; then the store is closed and stdout flushed.
 *
 * Usage mistakes exit 2 ("tianbao CMD: ..." and a pointer to --help), data problems 1
 * ("tianbao: ..."), success 0. Only main exits.
 */
#ifndef TIANBAO_CLI_H
#define TIANBAO_CLI_H

#include <stdbool.h>

#include "core/access.h"
#include "core/app.h"
#include "forms/forms.h"
#include "lib/err.h"
#include "store/store.h"

#define CMD_MAX_OPTIONS 8

/* The kind of value an option takes, as far as the dispatcher checks it. */
enum cmd_value {
	CV_FLAG,      /* no value: "--dry-run" */
	CV_TEXT,      /* any text, or what .valid takes */
	CV_UNIT,      /* a unit code: ctx->unit (checked as the entry's flags say) */
	CV_PERIOD,    /* one period (forms/period.h): ctx->period */
	CV_PERIODS,   /* periods separated by commas: ctx->periods */
	CV_FORM,      /* a form id, looked up once the forms are loaded: ctx->form */
	CV_NUMBER,    /* a whole number from .min to .max: cmd_number() */
};

enum {
	/* Checked after the entry's .check, whose rules come first (report: "--width is
	 * only for --format text" before the range of --width). */
	CO_AFTER_CHECK = 1 << 0,
};

struct cmd_option {
	const char *name;                  /* without dashes: "unit" for --unit */
	enum cmd_value kind;
	const char *required;              /* N_: said when it is missing; NULL: optional */
	bool (*valid)(const char *value);  /* CV_TEXT: the values taken (NULL: any) */
	long min, max;                     /* CV_NUMBER */
	/* The option's own words for a value refused by .valid or out of range. */
	void (*refused)(const char *value, struct err *e);
	unsigned flags;                    /* CO_* */
};

/* What a command needs opened before it runs. */
enum cmd_store {
	CMD_NO_STORE,
	CMD_STORE_READ,            /* read as the file is (store_open): no forms needed */
	CMD_STORE_READ_LIVE,       /* read as this installation's database (app_open_store): forms
				    * loaded, refused on a USB stick, a copy noticed */
	CMD_STORE_WRITE,           /* written (app_open_store): made when missing, units copied in */
};

enum {
	/* The forms, loaded before the store is opened (a live store loads them itself,
	 * and then says that the forms have problems). */
	CMD_FORMS = 1 << 0,
	/* This installation's access (core/access.h), read once the store is open. */
	CMD_ACCESS = 1 << 1,
	/* Without --unit, the unit meant is this installation's own (none for a township:
	 * then .unit_missing, if given, is said). Needs CMD_ACCESS. */
	CMD_UNIT_OWN = 1 << 2,
	/* The unit meant, when there is one, must be in units.ini: checked as soon as it is
	 * known (with CMD_UNIT_OWN once the access is read, else as soon as the forms are
	 * loaded, before any database is opened or made). */
	CMD_UNIT_KNOWN = 1 << 3,
};

struct cmd_ctx;

struct cmd_entry {
	const char *name;
	const char *summary;               /* N_: one line in 'tianbao --help' */
	const char *usage;                 /* "set [--unit CODE] --period P ...", not translated */
	const char *help;                  /* N_: the text of 'tianbao CMD --help' */
	struct cmd_option options[CMD_MAX_OPTIONS];   /* ended by one without a name */
	struct {
		int min, max;              /* max -1: any number */
	} args;
	const char *args_missing;          /* N_: said when fewer than args.min are given */
	enum cmd_store store;
	unsigned flags;                    /* CMD_* */
	const char *unit_missing;          /* N_: said when no unit is meant; NULL: none may be */
	/* Rules about options together, before anything is opened: -1 with e for a usage
	 * mistake. */
	int (*check)(const struct cmd_ctx *ctx, struct err *e);
	/* Data problems to say before anything is loaded: -1 with e. */
	int (*prepare)(struct cmd_ctx *ctx, struct err *e);
	/* The command: returns the exit status (cmd_fail for a data problem). */
	int (*run)(struct cmd_ctx *ctx);
};

/* What a command runs with. */
struct cmd_ctx {
	struct app *app;
	const struct cmd_entry *entry;
	struct store *st;                  /* as .store asks; NULL with CMD_NO_STORE */
	const struct formset *forms;       /* loaded (CMD_FORMS or a live store), else NULL */
	struct access access;              /* read with CMD_ACCESS */
	const char *unit;                  /* --unit, or this installation's own; may be NULL */
	const char *period;                /* the CV_PERIOD option, or NULL */
	char **periods;                    /* the CV_PERIODS option, split */
	int nperiods;
	const struct form *form;           /* the CV_FORM option's form, or NULL */
	int argc;                          /* the arguments that are not options */
	char **argv;
	const char *values[CMD_MAX_OPTIONS];   /* each option's value, in the entry's order */
	long numbers[CMD_MAX_OPTIONS];         /* CV_NUMBER values */
};

/* The value of option `name` (a flag: "1"), NULL when not given. The name must be one
 * of the entry's options. */
const char *cmd_opt(const struct cmd_ctx *ctx, const char *name);
bool cmd_flag(const struct cmd_ctx *ctx, const char *name);
/* A CV_NUMBER option's value, or dflt when it is not given. */
long cmd_number(const struct cmd_ctx *ctx, const char *name, long dflt);
/* Closes the store before the command's end (when what is left to do needs it no more). */
void cmd_close_store(struct cmd_ctx *ctx);

/* A data problem: prints "tianbao: message" on stderr and returns EXIT_DATA. */
int cmd_fail(const struct cmd_ctx *ctx, const struct err *e);
/* The same for a command whose printing may have stopped it: when standard output could
 * not be written, that is the problem, and the dispatcher says it (once); else e. */
int cmd_fail_output(const struct cmd_ctx *ctx, const struct err *e);
/* A usage mistake: prints "tianbao CMD: message" and a pointer to --help on stderr, and
 * returns EXIT_USAGE. */
int cmd_usage_error(const struct app *app, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The help of one command, from its entry. */
void cmd_print_help(const struct app *app, const struct cmd_entry *entry);
/* The options every command takes (--db, --forms, --lang, --theme), for the helps. */
void cmd_print_global_options(void);

#endif
