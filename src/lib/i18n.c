/* i18n.c - locale and message catalogue set-up. */
#include "lib/i18n.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/bundle.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

static bool user_utf8;
static bool chinese;
static char exe_dir[PATH_MAX] = ".";

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void find_exe_dir(const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	char *slash;

	if (n > 0) {
		buf[n] = '\0';
	} else if (argv0 && strchr(argv0, '/')) {
		snprintf(buf, sizeof buf, "%s", argv0);
	} else {
		return;
	}
	slash = strrchr(buf, '/');
	if (!slash)
		return;
	*slash = '\0';
	snprintf(exe_dir, sizeof exe_dir, "%s", buf[0] ? buf : "/");
}

const char *i18n_exe_dir(void)
{
	return exe_dir;
}

/* The catalogue next to a binary run from the source tree wins over the installed one,
 * so `make demo` shows the translation of the code being run. */
static const char *find_localedir(void)
{
	static char path[PATH_MAX + 32];
	const char *env = getenv("TIANBAO_LOCALEDIR");
	/* build/locale in the source tree; locale/ in a folder of make static. */
	const char *rel[] = { "/build/locale", "/locale", "/../locale" };

	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		snprintf(path, sizeof path, "%s%s", exe_dir, rel[i]);
		if (is_dir(path))
			return path;
	}
	return LOCALEDIR;
}

/* The first of the variables that is set and not empty, or "". */
static const char *first_set(const char *const *vars, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return v;
	}
	return "";
}

/* The language the environment asks for, as gettext would read it: the first of
 * LANGUAGE (a list: its first entry), LC_ALL, LC_MESSAGES, LANG that is set. */
static const char *env_language(void)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	return first_set(vars, sizeof vars / sizeof vars[0]);
}

bool i18n_lang_known(const char *lang)
{
	return lang && (strcmp(lang, "zh") == 0 || strcmp(lang, "en") == 0);
}

/* The users are Chinese: English only when it is asked for by name (--lang en, or a
 * locale "en..."). C, C.UTF-8, POSIX and any language without a catalogue of ours
 * give Chinese. */
static bool wants_english(const char *lang)
{
	if (lang && *lang)
		return strcmp(lang, "en") == 0;
	return strncmp(env_language(), "en", 2) == 0;
}

/* Whether a locale name says nothing about characters (C, POSIX) or names UTF-8. */
static bool locale_utf8_or_plain(const char *name)
{
	const char *dot;

	if (!name || !*name || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0)
		return true;
	dot = strchr(name, '.');
	if (!dot)
		return false;
	return strncasecmp(dot + 1, "UTF-8", 5) == 0 || strncasecmp(dot + 1, "utf8", 4) == 0;
}

const char *i18n_user_ctype(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };

	return first_set(vars, sizeof vars / sizeof vars[0]);
}

void i18n_init(const char *argv0, const char *lang)
{
	const char *ct;

	find_exe_dir(argv0);
	bundle_use_terminfo();
	/* Characters: the user's locale when it is installed and UTF-8. A locale asked for
	 * but not installed (LANG=zh_CN.UTF-8 on a minimal system), or C and POSIX, fall
	 * back to C.UTF-8, which Debian always has: widths stay right. Only a locale that
	 * is installed and names another character set (zh_CN.GB18030) means a terminal
	 * set up for that set, which the screens refuse. */
	ct = setlocale(LC_CTYPE, "");
	if (ct && strcmp(nl_langinfo(CODESET), "UTF-8") == 0) {
		user_utf8 = true;
	} else {
		user_utf8 = !ct || locale_utf8_or_plain(i18n_user_ctype());
		if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "C.utf8"))
			bundle_use_c_utf8();
	}

	/* Messages: LANGUAGE is what gettext reads first, and it is honoured only when
	 * LC_MESSAGES is not plain "C": C.UTF-8 serves when the user's is missing or C. */
	chinese = !wants_english(lang);
	setenv("LANGUAGE", chinese ? "zh_CN" : "en", 1);
	{
		const char *m = setlocale(LC_MESSAGES, "");

		if ((!m || strcmp(m, "C") == 0 || strcmp(m, "POSIX") == 0) && !setlocale(LC_MESSAGES, "C.UTF-8"))
			bundle_use_c_utf8();
	}
	bindtextdomain("tianbao", find_localedir());
	bind_textdomain_codeset("tianbao", "UTF-8");
	textdomain("tianbao");
}

const char *i18n_utf8_command(void)
{
	locale_t l = newlocale(LC_CTYPE_MASK, "zh_CN.UTF-8", (locale_t)0);

	if (l) {
		freelocale(l);
		return "LC_ALL=zh_CN.UTF-8 tianbao";
	}
	return "LC_ALL=C.UTF-8 tianbao";
}

bool i18n_user_locale_utf8(void)
{
	return user_utf8;
}

/* glibc's gettext keeps the translations it found; this counter tells it the language
 * changed (the GNU gettext manual's way, for programs that switch at run time). */
extern int _nl_msg_cat_cntr;

static int generation;

int i18n_generation(void)
{
	return generation;
}

void i18n_set_chinese(bool zh)
{
	generation++;
	chinese = zh;
	setenv("LANGUAGE", chinese ? "zh_CN" : "en", 1);
	++_nl_msg_cat_cntr;
}

bool i18n_is_chinese(void)
{
	return chinese;
}

const char *i18n_pick(const char *zh, const char *en)
{
	if (!chinese && en && *en)
		return en;
	return zh ? zh : "";
}
