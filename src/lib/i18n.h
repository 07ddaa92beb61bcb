/* i18n.h - gettext and locale set-up: English message ids, Chinese translations. */
#ifndef TIANBAO_I18N_H
#define TIANBAO_I18N_H

#include <libintl.h>
#include <stdbool.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Sets LC_CTYPE/LC_MESSAGES from the environment and binds the message catalogue.
 * Messages are Chinese unless English is asked for: `lang` ("zh", "en", or NULL for
 * the environment), else a locale whose language is "en..." (LANGUAGE, LC_ALL,
 * LC_MESSAGES, LANG). C, C.UTF-8 and POSIX give Chinese.
 * Characters are UTF-8 always: a locale that is missing, C or POSIX falls back to
 * C.UTF-8; i18n_user_locale_utf8() is false only for an installed locale of another
 * character set, which the screens then refuse. */
void i18n_init(const char *argv0, const char *lang);
/* Whether lang is one --lang and TIANBAO_LANG take: "zh" or "en". */
bool i18n_lang_known(const char *lang);
bool i18n_user_locale_utf8(void);
/* The character locale the environment asks for (LC_ALL, LC_CTYPE or LANG). */
const char *i18n_user_ctype(void);
/* A command that starts tianbao in a UTF-8 locale on this machine. */
const char *i18n_utf8_command(void);
/* True when messages are shown in Chinese (used to pick label vs label_en). */
bool i18n_is_chinese(void);
/* Switches the messages to Chinese (true) or English while running: what gettext and
 * i18n_pick return from now on. */
void i18n_set_chinese(bool zh);
/* How many times the language was switched: screens built with the old one lay out again. */
int i18n_generation(void);
/* Picks the Chinese or English one of a pair of texts; `en` may be NULL or empty. */
const char *i18n_pick(const char *zh, const char *en);
/* Directory of the running executable (without the trailing slash), or "." */
const char *i18n_exe_dir(void);

#endif
