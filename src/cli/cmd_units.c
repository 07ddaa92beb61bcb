/* cmd_units.c - `tianbao units [add|rename|remove|import ...]` (the rules: core/units.h). */
#include "cli/cmd_units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/units.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/text.h"

/* The sub-words, with the arguments each takes after it. */
static const struct {
	const char *word;
	int args;
	const char *missing;   /* N_ */
} subs[] = {
	{ "list", 0, NULL },
	{ "add", 2, N_("units add takes CODE NAME: the unit's code and its name") },
	{ "rename", 2, N_("units rename takes CODE NAME: the unit's code and its new name") },
	{ "remove", 1, N_("units remove takes CODE: the code of the unit to remove") },
	{ "import", 1, N_("units import takes FILE: the county's list of villages (CSV)") },
};

static int sub_of(const struct cmd_ctx *ctx)
{
	const char *w = ctx->argc ? ctx->argv[0] : "list";

	for (size_t i = 0; i < ARRAY_LEN(subs); i++)
		if (strcmp(w, subs[i].word) == 0)
			return (int)i;
	return -1;
}

static int units_check(const struct cmd_ctx *ctx, struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	int s = sub_of(ctx);
	int given = ctx->argc ? ctx->argc - 1 : 0;

	if (s < 0) {
		err_set(e, _("unknown word '%s': write units, units add, units rename, units remove or units import"),
			text_echo(ctx->argv[0], eb, sizeof eb));
		return -1;
	}
	if (given < subs[s].args) {
		err_set(e, "%s", _(subs[s].missing));
		return -1;
	}
	if (given > subs[s].args) {
		err_set(e, _("unexpected argument '%s'"), text_echo(ctx->argv[1 + subs[s].args], eb, sizeof eb));
		return -1;
	}
	if (strcmp(subs[s].word, "add") != 0 && (cmd_opt(ctx, "role") || cmd_opt(ctx, "name-en"))) {
		err_set(e, "%s", _("--role and --name-en are only for units add"));
		return -1;
	}
	return 0;
}

/* The forms a unit reports, by id. */
static void forms_of(const struct formset *fs, const struct unit *u, struct strbuf *sb)
{
	sb_reset(sb);
	for (int f = 0; f < fs->nforms; f++)
		if (form_applies_to(&fs->forms[f], u))
			sb_addf(sb, "%s%s", sb->len ? ", " : "", fs->forms[f].id);
	if (!sb->len)
		sb_add(sb, _("(none)"));
}

static int list_run(struct cmd_ctx *ctx)
{
	const struct formset *fs;
	const char *head[] = { _("Code"), _("Name"), _("Kind"), _("Forms it reports") };
	int w[3] = { 0, 0, 0 };
	struct strbuf line, forms;

	if (app_load_forms(ctx->app) != 0)
		return EXIT_DATA;
	fs = &ctx->app->forms;
	for (int k = 0; k < 3; k++)
		w[k] = text_width(head[k]);
	for (int i = 0; i < fs->nunits; i++) {
		const struct unit *u = &fs->units[i];
		int cw[3] = { text_width(u->code), text_width(i18n_pick(u->name, u->name_en)),
			      text_width(_(unit_kind_name(u->kind))) };

		for (int k = 0; k < 3; k++)
			if (cw[k] > w[k])
				w[k] = cw[k];
	}
	sb_init(&line);
	sb_init(&forms);
	printf(_("Units in %s:\n"), formset_units_name(fs));
	for (int i = -1; i < fs->nunits; i++) {
		const struct unit *u = i >= 0 ? &fs->units[i] : NULL;

		sb_reset(&line);
		text_pad(&line, u ? u->code : head[0], w[0]);
		sb_add(&line, "  ");
		text_pad(&line, u ? i18n_pick(u->name, u->name_en) : head[1], w[1]);
		sb_add(&line, "  ");
		text_pad(&line, u ? _(unit_kind_name(u->kind)) : head[2], w[2]);
		sb_add(&line, "  ");
		if (u) {
			forms_of(fs, u, &forms);
			sb_add(&line, sb_str(&forms));
		} else {
			sb_add(&line, head[3]);
		}
		puts(sb_str(&line));
	}
	sb_free(&line);
	sb_free(&forms);
	return EXIT_OK;
}

static void say_copied(const struct units_result *res)
{
	if (res->copied)
		printf(_("The forms in use are never changed, so they were copied first; from now on tianbao uses the copy: %s\n"),
		       res->file);
}

static int edit_run(struct cmd_ctx *ctx, const char *word)
{
	struct units_result res;
	struct err e;
	char **a = ctx->argv + 1;
	int rc;

	if (strcmp(word, "add") == 0) {
		struct unit_spec spec = { a[0], a[1], cmd_opt(ctx, "name-en"), cmd_opt(ctx, "role") };

		rc = units_add(ctx->app, &spec, &res, &e);
	} else if (strcmp(word, "rename") == 0) {
		rc = units_rename(ctx->app, a[0], a[1], &res, &e);
	} else if (strcmp(word, "remove") == 0) {
		rc = units_remove(ctx->app, a[0], &res, &e);
	} else {
		rc = units_import(ctx->app, a[0], &res, &e);
	}
	for (int i = 0; i < res.nproblems; i++)
		fprintf(stderr, "%s\n", res.problems[i]);
	if (rc != 0) {
		units_result_free(&res);
		return cmd_fail(ctx, &e);
	}
	say_copied(&res);
	if (strcmp(word, "add") == 0) {
		printf(_("added %s %s to %s\n"), a[0], a[1], res.file);
	} else if (strcmp(word, "rename") == 0) {
		if (res.unchanged)
			printf(_("%s is already called %s: nothing was changed\n"), a[0], a[1]);
		else
			printf(_("renamed %s to %s in %s\n"), a[0], a[1], res.file);
	} else if (strcmp(word, "remove") == 0) {
		printf(_("removed %s from %s\n"), a[0], res.file);
	} else {
		if (res.township_code_was)
			printf(_("the units are now the list's township's, in place of %s (%.9s): its villages replace the old ones, the departments keep their names under the new code\n"),
			       res.township_was, res.township_code_was);
		else if (res.township_was)
			printf(_("the township, called %s before, has the name in the list now\n"), res.township_was);
		printf(_("%s: %d village(s) added, %d renamed, %d unchanged%s\n"), a[0], res.added,
		       res.renamed - (res.township_was && !res.township_code_was ? 1 : 0), res.unchanged,
		       res.written ? "" : _(" (nothing to write)"));
		if (res.written)
			printf(_("written to %s\n"), res.file);
		if (res.nkept) {
			printf(_("%d village(s) of %s are not in the list and were kept (remove one that is gone with 'tianbao units remove CODE'):\n"),
			       res.nkept, res.file);
			for (int i = 0; i < res.nkept; i++)
				printf("  %s\n", res.kept[i]);
		}
	}
	units_result_free(&res);
	return EXIT_OK;
}

static int units_run(struct cmd_ctx *ctx)
{
	int s = sub_of(ctx);

	if (strcmp(subs[s].word, "list") == 0)
		return list_run(ctx);
	return edit_run(ctx, subs[s].word);
}

/* No store: removing a unit looks in the database itself (core/units.c), and no other
 * word needs one. The forms are loaded by the words that read them. */
const struct cmd_entry cmd_units_entry = {
	.name = "units",
	.summary = N_("list the township's units; add, rename, remove or import them"),
	.usage = "units [list] | units add CODE NAME [--role ROLE] [--name-en NAME] | units rename CODE NAME | "
		 "units remove CODE | units import FILE",
	.help = N_("Without a word, lists the units of units.ini: code, name, kind and the forms each\n"
		   "reports. The other words change units.ini, checked like check-forms before it is\n"
		   "written (nothing is changed when anything is wrong):\n"
		   "  add CODE NAME     a village (a 12-digit division code starting with the township's\n"
		   "                    9 digits) or a department (any other code; --role ROLE: which\n"
		   "                    forms it reports); --name-en gives an English name\n"
		   "  rename CODE NAME  a new name for a unit (the township's too)\n"
		   "  remove CODE       refused when the database holds values for the unit\n"
		   "  import FILE       the villages of a county's list: division code and name per\n"
		   "                    line, CSV or tab-separated, UTF-8 or GBK (as Excel and WPS save\n"
		   "                    it), a header line allowed; villages not in the list are kept\n"
		   "The forms in /etc/tianbao/forms and the installed ones are never changed: the first\n"
		   "change copies them to ~/.config/tianbao/forms, which tianbao uses from then on."),
	.options = {
		{ .name = "role", .kind = CV_TEXT },
		{ .name = "name-en", .kind = CV_TEXT },
	},
	.args = { 0, -1 },
	.check = units_check,
	.run = units_run,
};
