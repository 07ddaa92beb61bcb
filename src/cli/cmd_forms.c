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

int cmd_check_forms(struct app *app, int argc, char **argv)
{
	static const struct cli_option opts[] = { { NULL, 0, NULL } };
	struct formset fs;
	struct diag_list diags;
	struct stat st;
	int rc, nfields = 0, nchecks = 0, first;

	first = cli_parse(app, "check-forms", argc, argv, opts, "check-forms [DIR | FILE...]",
			  _("Reads every form definition and the units file, and prints each problem as\n"
			    "FILE:LINE: MESSAGE. Exits 0 when there is none, 1 otherwise."));
	if (first < 0)
		return cli_exit_status(first);
	diag_init(&diags);
	if (first == argc || (argc - first == 1 && stat(argv[first], &st) == 0 && S_ISDIR(st.st_mode))) {
		const char *dir = first == argc ? app_forms_dir(app) : argv[first];

		rc = formset_load_dir(dir, &fs, &diags);
	} else {
		rc = formset_load_files((const char *const *)argv + first, argc - first, &fs, &diags);
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
