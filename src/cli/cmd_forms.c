/* cmd_forms.c - the forms' commands: check-forms (the form linter) and undo-forms. */
#include "cli/cmd_forms.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/package_install.h"
#include "lib/diag.h"
#include "forms/forms.h"
#include "forms/load.h"
#include "lib/i18n.h"

static int check_forms_run(struct cmd_ctx *ctx)
{
	struct formset fs;
	struct diag_list diags;
	struct stat st;
	int rc, nfields = 0, nchecks = 0;

	diag_init(&diags);
	if (ctx->argc == 0 || (ctx->argc == 1 && stat(ctx->argv[0], &st) == 0 && S_ISDIR(st.st_mode))) {
		const char *dir = ctx->argc == 0 ? app_forms_dir(ctx->app) : ctx->argv[0];

		rc = formset_load_dir(dir, &fs, &diags);
	} else {
		rc = formset_load_files((const char *const *)ctx->argv, ctx->argc, &fs, &diags);
	}
	diag_print(&diags, stdout);
	if (rc != 0) {
		printf(_("%d problem(s) found\n"), diags.n);
	} else {
		for (int i = 0; i < fs.nforms; i++) {
			nfields += fs.forms[i].nfields;
			nchecks += fs.forms[i].nchecks;
		}
		printf(_("no problems: %d form(s), %d field(s), %d check(s), %d unit(s)\n"), fs.nforms, nfields,
		       nchecks, fs.nunits);
	}
	formset_free(&fs);
	diag_free(&diags);
	return rc == 0 ? EXIT_OK : EXIT_DATA;
}

/* The forms checked are the ones named, read here: not the ones the commands load. */
const struct cmd_entry cmd_check_forms_entry = {
	.name = "check-forms",
	.summary = N_("check the form definitions and print every problem"),
	.usage = "check-forms [DIR | FILE...]",
	.help = N_("Reads every form definition and the units file, and prints each problem as\n"
		   "FILE:LINE: MESSAGE. Exits 0 when there is none, 1 otherwise."),
	.args = { 0, -1 },
	.run = check_forms_run,
};

/* ---- undo-forms -------------------------------------------------------------------- */

static int undo_forms_run(struct cmd_ctx *ctx)
{
	struct package_installed now;
	struct err e;
	int rc;

	if (app_forms_source(ctx->app) != FORMS_USER) {
		printf(_("Nothing to undo: the forms in use (%s, %s) were not installed from a form package.\n"),
		       app_forms_dir(ctx->app), forms_source_word(app_forms_source(ctx->app)));
		return EXIT_OK;
	}
	rc = package_undo(app_forms_dir(ctx->app), &now, &e);
	if (rc < 0)
		return cmd_fail(ctx, &e);
	if (rc > 0)
		printf(_("Nothing to undo: no earlier set of forms is kept in %s.prev.\n"), app_forms_dir(ctx->app));
	else if (now.has)
		printf(_("Put back: version %lld of the forms of %s. Undo again to return to the newer set.\n"),
		       (long long)now.meta.version, now.meta.township_name);
	else
		printf("%s\n", _("Put back: the forms from before the form package. Undo again to return to it."));
	return EXIT_OK;
}

const struct cmd_entry cmd_undo_forms_entry = {
	.name = "undo-forms",
	.summary = N_("put back the forms from before the last form package"),
	.usage = "undo-forms",
	.help = N_("Puts back the set of forms and units that the last form package replaced (it is\n"
		   "kept beside this user's forms folder as forms.prev). Undoing again returns to the\n"
		   "newer set. Values are never touched."),
	.args = { 0, 0 },
	.run = undo_forms_run,
};
