/* cli.c - what a command uses of the framework: its options' values, its errors, its help. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/str.h"
#include "lib/text.h"

static int option_index(const struct cmd_ctx *ctx, const char *name)
{
	for (int i = 0; i < CMD_MAX_OPTIONS && ctx->entry->options[i].name; i++)
		if (strcmp(ctx->entry->options[i].name, name) == 0)
			return i;
	/* A name that is not in the table is a mistake in the command's code. */
	fprintf(stderr, "tianbao %s: no option --%s in the table\n", ctx->entry->name, name);
	abort();
}

const char *cmd_opt(const struct cmd_ctx *ctx, const char *name)
{
	return ctx->values[option_index(ctx, name)];
}

bool cmd_flag(const struct cmd_ctx *ctx, const char *name)
{
	return cmd_opt(ctx, name) != NULL;
}

long cmd_number(const struct cmd_ctx *ctx, const char *name, long dflt)
{
	int i = option_index(ctx, name);

	return ctx->values[i] ? ctx->numbers[i] : dflt;
}

void cmd_close_store(struct cmd_ctx *ctx)
{
	store_close(ctx->st);
	ctx->st = NULL;
}

int cmd_fail(const struct cmd_ctx *ctx, const struct err *e)
{
	app_error(ctx->app, e->msg);
	return EXIT_DATA;
}

int cmd_fail_output(const struct cmd_ctx *ctx, const struct err *e)
{
	return ferror(stdout) ? EXIT_DATA : cmd_fail(ctx, e);
}

int cmd_usage_error(const struct app *app, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	struct strbuf sb;
	char *shown;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	shown = text_visible(sb_str(&sb), true);
	fprintf(stderr, "%s %s: %s", app->prog, cmd, shown);
	free(shown);
	sb_free(&sb);
	fprintf(stderr, _("\nRun '%s %s --help' for how to use it.\n"), app->prog, cmd);
	return EXIT_USAGE;
}

void cmd_print_help(const struct app *app, const struct cmd_entry *entry)
{
	printf(_("Usage: %s %s\n"), app->prog, entry->usage);
	printf("\n%s\n", _(entry->help));
	cmd_print_global_options();
}

void cmd_print_global_options(void)
{
	printf("\n%s\n", _("Options every command takes:\n"
			   "  --db FILE     the database (default: $TIANBAO_DB, else ~/.local/share/tianbao/tianbao.db)\n"
			   "  --forms DIR   the form definitions (default: $TIANBAO_FORMS, else ~/.config/tianbao/forms,\n"
			   "                else /etc/tianbao/forms, else the installed forms)\n"
			   "  --lang zh|en  the language of messages\n"
			   "  --theme T     the screens' colours: normal, or contrast for projectors ($TIANBAO_THEME)"));
}
