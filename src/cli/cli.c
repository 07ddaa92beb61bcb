/* cli.c - command option parsing. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/i18n.h"

void cli_usage_error(const struct app *app, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s %s: ", app->prog, cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, _("\nRun '%s %s --help' for how to use it.\n"), app->prog, cmd);
}

static int global_option(struct app *app, const char *name, const char ***target)
{
	if (strcmp(name, "db") == 0)
		*target = &app->db_path;
	else if (strcmp(name, "forms") == 0)
		*target = &app->forms_dir;
	else if (strcmp(name, "lang") == 0)
		*target = &app->lang;
	else
		return -1;
	return 0;
}

int cli_parse(struct app *app, const char *cmd, int argc, char **argv, const struct cli_option *opts,
	      const char *usage, const char *summary)
{
	char *pos[argc > 0 ? argc : 1];
	int npos = 0, i;
	bool only_pos = false;

	for (i = 1; i < argc; i++) {
		char *a = argv[i];
		char name[64];
		const char *eq, *value = NULL;
		const char **target = NULL;
		int has_arg = 1;

		if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
			pos[npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			printf(_("Usage: %s %s\n"), app->prog, usage ? usage : cmd);
			if (summary)
				printf("\n%s\n", summary);
			printf("\n%s\n", _("Options every command takes:\n"
					   "  --db FILE     the database (default: $TIANBAO_DB, else ~/.local/share/tianbao/tianbao.db)\n"
					   "  --forms DIR   the form definitions (default: $TIANBAO_FORMS, else the installed forms)\n"
					   "  --lang zh|en  the language of messages"));
			return -2;
		}
		if (a[1] != '-') {
			cli_usage_error(app, cmd, _("unknown option '%s'"), a);
			return -1;
		}
		eq = strchr(a + 2, '=');
		snprintf(name, sizeof name, "%.*s", (int)(eq ? eq - (a + 2) : (long)strlen(a + 2)), a + 2);
		if (global_option(app, name, &target) != 0) {
			for (const struct cli_option *o = opts; o && o->name; o++) {
				if (strcmp(o->name, name) == 0) {
					target = o->target;
					has_arg = o->has_arg;
				}
			}
		}
		if (!target) {
			cli_usage_error(app, cmd, _("unknown option '--%s'"), name);
			return -1;
		}
		if (!has_arg) {
			if (eq) {
				cli_usage_error(app, cmd, _("option '--%s' takes no value"), name);
				return -1;
			}
			*target = "1";
			continue;
		}
		if (eq) {
			value = eq + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			cli_usage_error(app, cmd, _("option '--%s' needs a value"), name);
			return -1;
		}
		*target = value;
	}
	for (i = 0; i < npos; i++)
		argv[argc - npos + i] = pos[i];
	return argc - npos;
}

int cli_exit_status(int parse_result)
{
	return parse_result == -2 ? EXIT_OK : EXIT_USAGE;
}
