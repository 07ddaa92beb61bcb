/* main.c - tianbao (填报): arguments, set-up, and the one place the program exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "cli/cli.h"
#include "cli/cmd_exchange.h"
#include "cli/cmd_forms.h"
#include "cli/cmd_report.h"
#include "cli/cmd_store.h"
#include "lib/i18n.h"
#include "store/store.h"
#include "ui/ui_main.h"
#include "lib/mem.h"

#ifndef TIANBAO_VERSION
#define TIANBAO_VERSION "0.0.0"
#endif

struct command {
	const char *name;
	int (*run)(struct app *app, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "init", cmd_init, N_("set which unit this installation reports for") },
	{ "set", cmd_set, N_("enter values from the command line (all or nothing)") },
	{ "dump", cmd_dump, N_("print every stored value as CSV") },
	{ "status", cmd_status, N_("list units and forms with their state and problems") },
	{ "complete", cmd_complete, N_("mark a form complete when it has no errors") },
	{ "log", cmd_log, N_("print the audit trail of every change (--merges: every file merged)") },
	{ "export", cmd_export, N_("write this installation's data into an export file to carry") },
	{ "verify", cmd_verify, N_("check that export files are complete and intact, and say what they hold") },
	{ "merge", cmd_merge, N_("merge export files from villages and departments into this database") },
	{ "conflicts", cmd_conflicts, N_("list the values that installations disagree on") },
	{ "resolve", cmd_resolve, N_("decide a conflict: take one installation's value, or enter one") },
	{ "report", cmd_report, N_("reports of a period: completeness, indicators, units, targets") },
	{ "check-forms", cmd_check_forms, N_("check the form definitions and print every problem") },
};

static void print_help(const char *prog)
{
	printf(_("tianbao (填报) %s - enter, exchange and merge the yearly 两纲 monitoring indicators\n\n"),
	       TIANBAO_VERSION);
	printf(_("Usage: %s [--db FILE] [--forms DIR] [--lang zh|en] [COMMAND [ARGS...]]\n\n"), prog);
	printf("%s\n", _("Commands:"));
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		printf("  %-14s %s\n", commands[i].name, _(commands[i].summary));
	printf("\n%s\n", _("Run 'tianbao COMMAND --help' for the options of one command."));
}

/* --lang must be known before the first message is translated, wherever it is written. */
static const char *find_lang(int argc, char **argv)
{
	const char *lang = getenv("TIANBAO_LANG");

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[i + 1];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
	}
	return lang;
}

int main(int argc, char **argv)
{
	struct app app;
	int i, rc;

	store_library_init();
	memset(&app, 0, sizeof app);
	app.prog = "tianbao";
	app.lang = find_lang(argc, argv);
	if (app.lang && strcmp(app.lang, "zh") != 0 && strcmp(app.lang, "en") != 0) {
		i18n_init(argv[0], NULL);
		fprintf(stderr, _("%s: --lang takes zh or en, not '%s'\n"), app.prog, app.lang);
		return EXIT_USAGE;
	}
	i18n_init(argv[0], app.lang);

	/* Global options may come before the command. */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			print_help(app.prog);
			return EXIT_OK;
		}
		if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("tianbao %s\n", TIANBAO_VERSION);
			return EXIT_OK;
		}
		if ((strcmp(a, "--db") == 0 || strcmp(a, "--forms") == 0 || strcmp(a, "--lang") == 0)) {
			if (i + 1 >= argc) {
				fprintf(stderr, _("%s: option '%s' needs a value\n"), app.prog, a);
				return EXIT_USAGE;
			}
			if (strcmp(a, "--db") == 0)
				app.db_path = argv[i + 1];
			else if (strcmp(a, "--forms") == 0)
				app.forms_dir = argv[i + 1];
			i++;
		} else if (strncmp(a, "--db=", 5) == 0) {
			app.db_path = a + 5;
		} else if (strncmp(a, "--forms=", 8) == 0) {
			app.forms_dir = a + 8;
		} else if (strncmp(a, "--lang=", 7) == 0) {
			/* read by find_lang */
		} else {
			fprintf(stderr, _("%s: unknown option '%s'\nRun '%s --help' for the commands and options.\n"),
				app.prog, a, app.prog);
			return EXIT_USAGE;
		}
	}
	if (i == argc) {
		rc = ui_run(&app);
		app_free(&app);
		return rc;
	}
	for (size_t c = 0; c < ARRAY_LEN(commands); c++) {
		if (strcmp(argv[i], commands[c].name) == 0) {
			rc = commands[c].run(&app, argc - i, argv + i);
			app_free(&app);
			fflush(stdout);
			if (ferror(stdout)) {
				fprintf(stderr, _("%s: could not write the output\n"), app.prog);
				return EXIT_DATA;
			}
			return rc;
		}
	}
	fprintf(stderr, _("%s: unknown command '%s'\nRun '%s --help' for the list of commands.\n"), app.prog, argv[i],
		app.prog);
	return EXIT_USAGE;
}
