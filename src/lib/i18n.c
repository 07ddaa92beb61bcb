/* i18n.c - locale and message catalogue set-up. */
#include "lib/i18n.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	const char *rel[] = { "/build/locale", "/../locale" };

	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		snprintf(path, sizeof path, "%s%s", exe_dir, rel[i]);
		if (is_dir(path))
			return path;
	}
	return LOCALEDIR;
}

/* The language the environment asks for, as gettext would read it. */
static const char *env_language(void)
{
	const char *vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return v;
	}
	return "";
}

void i18n_init(const char *argv0, const char *lang)
{
	const char *ct;
	const char *want;

	find_exe_dir(argv0);
	ct = setlocale(LC_CTYPE, "");
	user_utf8 = ct && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!user_utf8 && !setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "C.utf8");

	if (lang && *lang) {
		/* An explicit choice beats the environment: LANGUAGE is what gettext reads
		 * first, and it is only honoured when LC_MESSAGES is not plain "C". */
		setenv("LANGUAGE", strcmp(lang, "zh") == 0 ? "zh_CN" : "en", 1);
		setlocale(LC_MESSAGES, "C.UTF-8");
	} else if (!setlocale(LC_MESSAGES, "")) {
		/* LANG=zh_CN.UTF-8 on a machine where that locale was never generated (a
		 * common minimal install): still speak Chinese rather than fall to English. */
		const char *v = env_language();

		if (strncmp(v, "zh", 2) == 0 && !getenv("LANGUAGE"))
			setenv("LANGUAGE", "zh_CN", 1);
		setlocale(LC_MESSAGES, "C.UTF-8");
	}
	bindtextdomain("tianbao", find_localedir());
	bind_textdomain_codeset("tianbao", "UTF-8");
	textdomain("tianbao");

	want = getenv("LANGUAGE");
	if (!want || !*want || strcmp(setlocale(LC_MESSAGES, NULL), "C") == 0)
		want = setlocale(LC_MESSAGES, NULL);
	chinese = want && strncmp(want, "zh", 2) == 0;
}

bool i18n_user_locale_utf8(void)
{
	return user_utf8;
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
