/* i18n.h - gettext and locale set-up: English message ids, Chinese translations. */
#ifndef TIANBAO_I18N_H
#define TIANBAO_I18N_H

#include <libintl.h>
#include <stdbool.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Sets LC_CTYPE/LC_MESSAGES from the environment and binds the message catalogue.
 * `lang` ("zh", "en" or NULL for the environment) overrides the language.
 * When the user's locale is missing or not UTF-8, LC_CTYPE falls back to C.UTF-8 so
 * widths stay right; i18n_user_locale_utf8() then tells the screens to refuse. */
void i18n_init(const char *argv0, const char *lang);
bool i18n_user_locale_utf8(void);
/* True when messages are shown in Chinese (used to pick label vs label_en). */
bool i18n_is_chinese(void);
/* Picks the Chinese or English one of a pair of texts; `en` may be NULL or empty. */
const char *i18n_pick(const char *zh, const char *en);
/* Directory of the running executable (without the trailing slash), or "." */
const char *i18n_exe_dir(void);

#endif
