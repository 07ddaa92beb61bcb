/* config.h - where the form definitions are looked for, and the folder edits go into.
 *
 * A forms folder holds form files and units.ini (the township, its villages and
 * departments). The one in use is the first found of:
 *
 *   1. --forms DIR, then $TIANBAO_FORMS: used as given (whether or not it exists);
 *   2. this user's configuration, $XDG_CONFIG_HOME/tianbao/forms (~/.config/tianbao/forms
 *      when XDG_CONFIG_HOME is unset or not absolute);
 *   3. the computer's configuration, SYSCONFDIR/tianbao/forms (/etc/tianbao/forms);
 *   4. the defaults: forms/ beside the binary in a source tree, else DATADIR/forms, where
 *      `make install` puts them.
 *
 * For 2 and 3 a folder counts only when it is a directory holding a units.ini. The
 * defaults and the /etc folder are never edited: installing a new version replaces the
 * defaults, and /etc belongs to whoever set the computer up. Edits (tianbao units ...) go
 * into the folder in use when it is the user's or one named by --forms or
 * $TIANBAO_FORMS; otherwise into the user's folder, made first as a copy of the folder in
 * use (app_writable_forms_dir in core/app.h).
 *
 * Test hook: $TIANBAO_SYSCONFDIR, when set and not empty, is used instead of SYSCONFDIR
 * (so that tests can put a computer's configuration somewhere they may write). Nothing
 * else reads it.
 */
#ifndef TIANBAO_CONFIG_H
#define TIANBAO_CONFIG_H

#include <stdbool.h>

#include "lib/err.h"

/* Where the forms folder in use came from, in the order it is looked for. */
enum forms_source { FORMS_OPTION, FORMS_ENV, FORMS_USER, FORMS_SYSTEM, FORMS_DEFAULTS };

/* The user's forms folder, whether or not it exists (a static buffer). */
const char *config_user_forms_dir(void);
/* The computer's forms folder, SYSCONFDIR/tianbao/forms (a static buffer). */
const char *config_system_forms_dir(void);
/* The defaults: forms/ beside the binary in a source tree, else DATADIR/forms. */
const char *config_default_forms_dir(void);
/* A forms folder that counts: a directory holding a units.ini. */
bool config_forms_dir_exists(const char *dir);
/* The folder of the configuration (2 to 4 above) to use, and where it came from. */
const char *config_find_forms_dir(enum forms_source *source);
/* Where a folder came from, in words (translated): "this user's configuration". */
const char *forms_source_word(enum forms_source source);
/* Makes folder `to` (which must not exist, or be an empty folder) as a copy of every
 * *.ini of `from`, durably: a temporary folder beside `to`, each file synced, the folder
 * synced, renamed into place, the parent synced. The parents of `to` are made as needed.
 * 0, or -1 with e (nothing is left behind). */
int config_copy_forms_dir(const char *from, const char *to, struct err *e);

#endif
