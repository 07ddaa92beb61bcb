/* main.c - tianbao (填报): set-up, then a command or the screens; the one place the
 * program exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/dispatch.h"
#include "core/app.h"
#include "lib/text.h"
#include "lib/i18n.h"
#include "store/store.h"
#include "ui/ui_main.h"

int main(int argc, char **argv)
{
	char eb[TEXT_ECHO_SIZE];
	struct app app;
	int rc;

	store_library_init();
	memset(&app, 0, sizeof app);
	app.prog = "tianbao";
	/* --lang must be known before the first message is translated, wherever it is written. */
	if (cli_find_lang(argc, argv, &app.lang) != 0) {
		const char *env = getenv("TIANBAO_LANG");

		/* Said in the language asked for otherwise (TIANBAO_LANG, else the locale's). */
		i18n_init(argv[0], i18n_lang_known(env) ? env : NULL);
		fprintf(stderr, _("%s: --lang takes zh or en, not '%s'\n"), app.prog, text_echo(app.lang, eb, sizeof eb));
		return EXIT_USAGE;
	}
	i18n_init(argv[0], app.lang);
	rc = cli_dispatch(&app, argc, argv);
	if (rc == CLI_SCREENS)
		rc = ui_run(&app);
	app_free(&app);
	return rc;
}
