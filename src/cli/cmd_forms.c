/* cmd_forms.c - `tianbao check-forms [DIR | FILE...]`: the form linter. */
#include "cli/cmd_forms.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
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
