/* dispatch.c - the command line read once for every command: the global options, the
 * command's options and arguments checked, what it needs opened, its run, the clean-up.
 * The order of the checks is written at the top of cli/cli.h. */
#include "cli/dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/access.h"
#include "core/config.h"
#include "forms/period.h"
#include "lib/text.h"
#include "lib/err.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/strlist.h"
#include "store/store.h"

#ifndef TIANBAO_VERSION
#define TIANBAO_VERSION "0.0.0"
#endif

/* ---- the global options ---------------------------------------------------------- */

/* Where the value of a global option goes, or NULL when name is none. These are taken
 * before the command and anywhere after it. --lang is also read first, by
 * cli_find_lang. */
static const char **global_option(struct app *app, const char *name)
{
	if (strcmp(name, "db") == 0)
		return &app->db_path;
	if (strcmp(name, "forms") == 0)
		return &app->forms_dir;
	if (strcmp(name, "lang") == 0)
		return &app->lang;
	if (strcmp(name, "theme") == 0)
		return &app->theme;
	return NULL;
}

int cli_find_lang(int argc, char **argv, const char **lang)
{
	*lang = getenv("TIANBAO_LANG");
	if (*lang && !**lang)
		*lang = NULL;   /* set but empty: not set */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			*lang = argv[i + 1];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			*lang = argv[i] + 7;
	}
	return !*lang || i18n_lang_known(*lang) ? 0 : -1;
}

/* ---- reading one long option ------------------------------------------------------- */

enum option_read { OPT_TAKEN, OPT_UNKNOWN, OPT_TAKES_NO_VALUE, OPT_NEEDS_VALUE };

struct option_found {
	char name[64];          /* without the dashes and the "=value" */
	const char **global;    /* a global option: where its value goes */
	int index;              /* else the entry's option, -1 for none */
	const char *value;
};

/* The long option at argv[*i]: "--name", "--name=value" or "--name value" (then *i moves
 * to the value). The entry's own options first (NULL before the command: none), then
 * the global ones: after `export`, --forms is export's flag, before it the forms folder. */
static enum option_read read_option(struct app *app, const struct cmd_entry *entry, int argc, char **argv, int *i,
				    struct option_found *f)
{
	const char *a = argv[*i], *eq = strchr(a + 2, '=');
	bool takes_value = true;

	snprintf(f->name, sizeof f->name, "%.*s", (int)(eq ? eq - (a + 2) : (long)strlen(a + 2)), a + 2);
	f->index = -1;
	f->value = NULL;
	for (int k = 0; entry && k < CMD_MAX_OPTIONS && entry->options[k].name; k++)
		if (strcmp(entry->options[k].name, f->name) == 0)
			f->index = k;
	f->global = f->index < 0 ? global_option(app, f->name) : NULL;
	if (!f->global && f->index < 0)
		return OPT_UNKNOWN;
	if (f->index >= 0)
		takes_value = entry->options[f->index].kind != CV_FLAG;
	if (!takes_value) {
		if (eq)
			return OPT_TAKES_NO_VALUE;
		f->value = "1";
	} else if (eq) {
		f->value = eq + 1;
	} else if (*i + 1 < argc) {
		f->value = argv[++*i];
	} else {
		return OPT_NEEDS_VALUE;
	}
	if (f->global)
		*f->global = f->value;
	return OPT_TAKEN;
}

/* ---- a command's options and arguments ---------------------------------------------- */

/* Reads argv[1..argc) of a command into ctx: options in the order given, and the other
 * arguments moved to the end of argv, in order (ctx->argv). 0; 1 after printing the help;
 * -1 after a usage mistake. */
static int parse_command_line(struct cmd_ctx *ctx, int argc, char **argv)
{
	char eb[TEXT_ECHO_SIZE];
	const struct cmd_entry *en = ctx->entry;
	char *pos[argc > 0 ? argc : 1];
	int npos = 0;
	bool only_args = false;

	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		struct option_found f;

		if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
			pos[npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = true;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cmd_print_help(ctx->app, en);
			return 1;
		}
		if (a[1] != '-') {
			cmd_usage_error(ctx->app, en->name, _("unknown option '%s'"), text_echo(a, eb, sizeof eb));
			return -1;
		}
		switch (read_option(ctx->app, en, argc, argv, &i, &f)) {
		case OPT_TAKEN:
			if (f.index >= 0)
				ctx->values[f.index] = f.value;
			break;
		case OPT_UNKNOWN:
			cmd_usage_error(ctx->app, en->name, _("unknown option '--%s'"), text_echo(f.name, eb, sizeof eb));
			return -1;
		case OPT_TAKES_NO_VALUE:
			cmd_usage_error(ctx->app, en->name, _("option '--%s' takes no value"), text_echo(f.name, eb, sizeof eb));
			return -1;
		case OPT_NEEDS_VALUE:
			cmd_usage_error(ctx->app, en->name, _("option '--%s' needs a value"), text_echo(f.name, eb, sizeof eb));
			return -1;
		}
	}
	for (int i = 0; i < npos; i++)
		argv[argc - npos + i] = pos[i];
	ctx->argc = npos;
	ctx->argv = argv + argc - npos;
	for (int k = 0; k < CMD_MAX_OPTIONS && en->options[k].name; k++) {
		if (en->options[k].kind == CV_UNIT)
			ctx->unit = ctx->values[k];
		else if (en->options[k].kind == CV_PERIOD)
			ctx->period = ctx->values[k];
	}
	return 0;
}

/* "P,P,...": each one a period, said for the first that is not. */
static int split_periods(struct cmd_ctx *ctx, const char *list, struct err *e)
{
	const char *p = list;

	for (;;) {
		const char *comma = strchr(p, ',');

		ctx->periods = xreallocarray(ctx->periods, (size_t)ctx->nperiods + 1, sizeof *ctx->periods);
		ctx->periods[ctx->nperiods++] = xstrndup(p, comma ? (size_t)(comma - p) : strlen(p));
		if (period_check(ctx->periods[ctx->nperiods - 1], e) < 0)
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* The value of option k, as its kind says: 0, or -1 with e saying why it is refused. */
static int check_value(struct cmd_ctx *ctx, int k, struct err *e)
{
	const struct cmd_option *o = &ctx->entry->options[k];
	const char *v = ctx->values[k];
	char *end;

	if (!v)
		return 0;
	switch (o->kind) {
	case CV_FLAG:
	case CV_UNIT:   /* checked as the entry's flags say, once the forms are loaded */
	case CV_FORM:   /* looked up once the forms are loaded */
		return 0;
	case CV_TEXT:
		if (o->valid && !o->valid(v)) {
			o->refused(v, e);
			return -1;
		}
		return 0;
	case CV_PERIOD:
		return period_check(v, e) < 0 ? -1 : 0;
	case CV_PERIODS:
		return split_periods(ctx, v, e);
	case CV_NUMBER:
		ctx->numbers[k] = strtol(v, &end, 10);
		if (*end || end == v || ctx->numbers[k] < o->min || ctx->numbers[k] > o->max) {
			o->refused(v, e);
			return -1;
		}
		return 0;
	}
	return 0;
}

/* Steps 2 to 6 of cli/cli.h: every usage mistake, before anything is opened. */
static int check_usage(struct cmd_ctx *ctx)
{
	char eb[TEXT_ECHO_SIZE];
	const struct cmd_entry *en = ctx->entry;
	const struct cmd_option *o;
	struct err e;
	int k;

	if (en->args.max >= 0 && ctx->argc > en->args.max)
		return cmd_usage_error(ctx->app, en->name, _("unexpected argument '%s'"),
				       text_echo(ctx->argv[en->args.max], eb, sizeof eb));
	for (o = en->options; o < en->options + CMD_MAX_OPTIONS && o->name; o++)
		if (o->required && !ctx->values[o - en->options])
			return cmd_usage_error(ctx->app, en->name, "%s", _(o->required));
	for (k = 0; k < CMD_MAX_OPTIONS && en->options[k].name; k++)
		if (!(en->options[k].flags & CO_AFTER_CHECK) && check_value(ctx, k, &e) != 0)
			return cmd_usage_error(ctx->app, en->name, "%s", e.msg);
	if (ctx->argc < en->args.min)
		return cmd_usage_error(ctx->app, en->name, "%s", _(en->args_missing));
	if (en->check && en->check(ctx, &e) != 0)
		return cmd_usage_error(ctx->app, en->name, "%s", e.msg);
	for (k = 0; k < CMD_MAX_OPTIONS && en->options[k].name; k++)
		if ((en->options[k].flags & CO_AFTER_CHECK) && check_value(ctx, k, &e) != 0)
			return cmd_usage_error(ctx->app, en->name, "%s", e.msg);
	return EXIT_OK;
}

/* ---- what a command needs opened ------------------------------------------------------ */

static int open_store(struct cmd_ctx *ctx, struct err *e)
{
	struct app *app = ctx->app;

	switch (ctx->entry->store) {
	case CMD_NO_STORE:
		return 0;
	case CMD_STORE_READ:
		return store_open(app_db_path(app), STORE_READ, &ctx->st, e);
	case CMD_STORE_READ_LIVE:
		return app_open_store(app, STORE_READ, &ctx->st, e);
	case CMD_STORE_WRITE:
		return app_open_store(app, STORE_WRITE, &ctx->st, e);
	}
	return 0;
}

/* A unit may be given by its exact name as well as its code (--unit 东风村): once the
 * forms are known, the code is what every command goes on with. */
static void unit_name_to_code(struct cmd_ctx *ctx)
{
	const struct unit *u;

	if (ctx->app->forms_loaded && ctx->unit && (u = formset_find_unit_by_code_or_name(&ctx->app->forms, ctx->unit)))
		ctx->unit = u->code;
}

/* Step 8 of cli/cli.h: the forms, the store, the access, the unit and the form meant. */
static int open_needs(struct cmd_ctx *ctx)
{
	char eb[TEXT_ECHO_SIZE];
	const struct cmd_entry *en = ctx->entry;
	struct app *app = ctx->app;
	struct err e;

	if ((en->flags & CMD_FORMS) && app_load_forms(app) != 0)
		return EXIT_DATA;
	unit_name_to_code(ctx);
	/* A unit that needs no database to be known is checked before one is made for it. */
	if ((en->flags & CMD_UNIT_KNOWN) && !(en->flags & CMD_UNIT_OWN) && ctx->unit &&
	    !formset_need_unit(&app->forms, ctx->unit, &e))
		return cmd_fail(ctx, &e);
	if (open_store(ctx, &e) != 0)
		return cmd_fail(ctx, &e);
	if (app->forms_loaded)
		ctx->forms = &app->forms;
	unit_name_to_code(ctx);
	if ((en->flags & CMD_ACCESS) && access_load(ctx->st, &app->forms, &ctx->access, &e) != 0)
		return cmd_fail(ctx, &e);
	if ((en->flags & CMD_UNIT_OWN) && !ctx->unit)
		ctx->unit = access_default_unit(&ctx->access);
	if (!ctx->unit && en->unit_missing)
		return cmd_usage_error(app, en->name, "%s", _(en->unit_missing));
	if ((en->flags & CMD_UNIT_KNOWN) && (en->flags & CMD_UNIT_OWN) && ctx->unit &&
	    !formset_need_unit(&app->forms, ctx->unit, &e))
		return cmd_fail(ctx, &e);
	for (int k = 0; k < CMD_MAX_OPTIONS && en->options[k].name; k++) {
		if (en->options[k].kind != CV_FORM || !ctx->values[k])
			continue;
		ctx->form = formset_find_form(&app->forms, ctx->values[k]);
		if (!ctx->form) {
			err_set(&e, _("unknown form '%s'"), text_echo(ctx->values[k], eb, sizeof eb));
			return cmd_fail(ctx, &e);
		}
	}
	return EXIT_OK;
}

/* One command, from its options to its clean-up. */
static int run_command(struct app *app, const struct cmd_entry *en, int argc, char **argv)
{
	struct cmd_ctx ctx;
	struct err e;
	int rc;

	memset(&ctx, 0, sizeof ctx);
	ctx.app = app;
	ctx.entry = en;
	rc = parse_command_line(&ctx, argc, argv);
	if (rc != 0)
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	rc = check_usage(&ctx);
	if (rc == EXIT_OK && en->prepare && en->prepare(&ctx, &e) != 0)
		rc = cmd_fail(&ctx, &e);
	if (rc == EXIT_OK)
		rc = open_needs(&ctx);
	if (rc == EXIT_OK)
		rc = en->run(&ctx);
	store_close(ctx.st);
	strlist_free(ctx.periods, ctx.nperiods);
	return rc;
}

/* ---- the program ----------------------------------------------------------------------- */

static void print_help(const char *prog)
{
	printf(_("tianbao (填报) %s - enter, exchange and merge the yearly 两纲 monitoring indicators\n\n"),
	       TIANBAO_VERSION);
	printf(_("Usage: %s [--db FILE] [--forms DIR] [--lang zh|en] [COMMAND [ARGS...]]\n\n"), prog);
	printf("%s\n", _("Commands:"));
	for (const struct cmd_entry *const *c = cli_commands; *c; c++)
		printf("  %-14s %s\n", (*c)->name, _((*c)->summary));
	cmd_print_global_options();
	printf("\n%s\n", _("Run 'tianbao COMMAND --help' (or 'tianbao help COMMAND') for the options of one command."));
}

/* The command line, up to the end of what it prints. */
static int dispatch(struct app *app, int argc, char **argv)
{
	char eb[TEXT_ECHO_SIZE];
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		struct option_found f;
		enum option_read r = OPT_UNKNOWN;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			print_help(app->prog);
			return EXIT_OK;
		}
		if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("tianbao %s\n", TIANBAO_VERSION);
			printf(_("forms: %s (%s)\n"), app_forms_dir(app), forms_source_word(app_forms_source(app)));
			return EXIT_OK;
		}
		if (a[1] == '-')
			r = read_option(app, NULL, argc, argv, &i, &f);
		if (r == OPT_NEEDS_VALUE) {
			fprintf(stderr, _("%s: option '%s' needs a value\n"), app->prog, text_echo(a, eb, sizeof eb));
			return EXIT_USAGE;
		}
		if (r != OPT_TAKEN) {
			fprintf(stderr, _("%s: unknown option '%s'\nRun '%s --help' for the commands and options.\n"),
				app->prog, text_echo(a, eb, sizeof eb), app->prog);
			return EXIT_USAGE;
		}
	}
	if (i == argc)
		return CLI_SCREENS;
	/* "tianbao help" is --help, "tianbao help COMMAND" is "tianbao COMMAND --help": the
	 * words a first-timer tries (as git and apt take them). */
	if (strcmp(argv[i], "help") == 0 && i + 1 == argc) {
		print_help(app->prog);
		return EXIT_OK;
	}
	if (strcmp(argv[i], "help") == 0 && i + 2 == argc) {
		for (const struct cmd_entry *const *c = cli_commands; *c; c++) {
			if (strcmp(argv[i + 1], (*c)->name) == 0) {
				char *help_argv[] = { argv[i + 1], "--help", NULL };

				return run_command(app, *c, 2, help_argv);
			}
		}
		fprintf(stderr, _("%s: unknown command '%s'\nRun '%s --help' for the list of commands.\n"), app->prog,
			text_echo(argv[i + 1], eb, sizeof eb), app->prog);
		return EXIT_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		fprintf(stderr, _("%s: help takes one command's name at most, as in '%s help export'\n"), app->prog, app->prog);
		return EXIT_USAGE;
	}
	for (const struct cmd_entry *const *c = cli_commands; *c; c++)
		if (strcmp(argv[i], (*c)->name) == 0)
			return run_command(app, *c, argc - i, argv + i);
	fprintf(stderr, _("%s: unknown command '%s'\nRun '%s --help' for the list of commands.\n"), app->prog,
		text_echo(argv[i], eb, sizeof eb), app->prog);
	return EXIT_USAGE;
}

/* Output that could not be written is said here, once, whatever printed it (a command
 * stopped by it returns EXIT_DATA and says nothing: see cmd_fail_output). */
int cli_dispatch(struct app *app, int argc, char **argv)
{
	int rc = dispatch(app, argc, argv);

	if (rc == CLI_SCREENS)
		return rc;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, _("%s: could not write the output\n"), app->prog);
		return EXIT_DATA;
	}
	return rc;
}
