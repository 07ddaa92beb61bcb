/* loader.c - the form loader's shared helpers (see loader.h). */
#include "forms/loader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/number.h"
#include "lib/str.h"
#include "lib/text.h"

void loader_problem(struct loader *L, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(L->diags, L->file, line, fmt, ap);
	va_end(ap);
	L->errors++;
}

/* Edit distance, to suggest what a typo meant ("lable" -> "label"). */
static int distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	int row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		int prev = row[0], cur;

		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev : 1 + (prev < row[j] ? (prev < row[j - 1] ? prev : row[j - 1])
								    : (row[j] < row[j - 1] ? row[j] : row[j - 1]));
			prev = cur;
		}
	}
	return row[lb];
}

/* " (did you mean 'x'?)" when a known name is close, else "". */
void loader_suggest(char *buf, size_t size, const char *name, const char *const *known, size_t n)
{
	int best = 3;
	const char *pick = NULL;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int d = distance(name, known[i]);

		if (d < best) {
			best = d;
			pick = known[i];
		}
	}
	if (pick)
		snprintf(buf, size, _(" (did you mean '%s'?)"), pick);
}

const char *loader_key(const struct ini_section *s, const char *name)
{
	const struct ini_key *k = ini_find_key(s, name);

	return k ? k->value : NULL;
}

int loader_key_line(const struct ini_section *s, const char *name)
{
	const struct ini_key *k = ini_find_key(s, name);

	return k ? k->line : s->line;
}

char *loader_dup(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

/* A value is printed on screens and terminals as it is: a control character (ESC, CR,
 * TAB...) would move the cursor or clear the screen there. A text of only spaces shows
 * as nothing. */
static void check_text(struct loader *L, const struct ini_section *s, const struct ini_key *k, const struct keydef *def)
{
	char name[32];
	wchar_t wc;
	long at;

	if (!k->value)
		return;
	at = text_find_control(k->value, &wc);
	if (at >= 0) {
		int nth = 1;

		for (long i = 0; i < at; i++)
			nth += ((unsigned char)k->value[i] & 0xC0) != 0x80;
		loader_problem(L, k->line, _("'%s' in [%s] contains the control character %s (character %d): remove it; a text must not contain tabs, line breaks or escape codes"),
			k->name, s->name, text_control_name(wc, name), nth);
	}
	else if (def->text && k->value[0] && text_is_blank(k->value))
		loader_problem(L, k->line, _("'%s' in [%s] has only spaces: write the text it should show"), k->name, s->name);
}

/* Unknown keys, missing required keys, text values cut by a comment, control characters
 * and texts of only spaces. */
void loader_check_keys(struct loader *L, const struct ini_section *s, struct keyset ks)
{
	const char *names[32];

	for (size_t i = 0; i < ks.n; i++)
		names[i] = ks.keys[i].name;
	for (int i = 0; i < s->nkeys; i++) {
		const struct ini_key *k = &s->keys[i];
		const struct keydef *def = NULL;

		for (size_t j = 0; j < ks.n; j++)
			if (strcmp(ks.keys[j].name, k->name) == 0)
				def = &ks.keys[j];
		if (!def) {
			char hint[96];

			loader_suggest(hint, sizeof hint, k->name, names, ks.n);
			loader_problem(L, k->line, _("unknown key '%s' in [%s]%s"), k->name, s->name, hint);
			continue;
		}
		if (def->text && k->raw[0] != '"' && k->raw[0] != '\'' && strpbrk(k->raw, ";#")) {
			loader_problem(L, k->line, _("the value of '%s' is cut at '%c' (read as a comment): put the whole value in double quotes"),
				k->name, *strpbrk(k->raw, ";#"));
		}
		check_text(L, s, k, def);
	}
	for (size_t j = 0; j < ks.n; j++) {
		if (ks.keys[j].required && !ini_find_key(s, ks.keys[j].name))
			loader_problem(L, s->line, _("[%s] has no '%s' (required)"), s->name, ks.keys[j].name);
		else if (ks.keys[j].required && ks.keys[j].text && !*loader_key(s, ks.keys[j].name))
			loader_problem(L, loader_key_line(s, ks.keys[j].name), _("'%s' in [%s] is empty"), ks.keys[j].name, s->name);
	}
}

bool loader_yes_no(const char *v, bool *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0) {
		*out = false;
		return true;
	}
	return false;
}

/* A whole number as a definition writes it: no sign, no leading zero ("08" is either
 * a typo or a number from somewhere else; it is not silently read as 8). */
bool loader_small_int(const char *v, int lo, int hi, int *out)
{
	int64_t n;

	if (v[0] == '-' || (v[0] == '0' && v[1] != '\0'))
		return false;
	if (parse_int64(v, &n) != 0 || n < lo || n > hi)
		return false;
	*out = (int)n;
	return true;
}

bool loader_all_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

bool loader_dhis2_code_valid(const char *c)
{
	size_t n = strlen(c);

	if (n == 0 || n > 50)
		return false;
	for (; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      *c == '_' || *c == '-' || *c == '.'))
			return false;
	return true;
}

bool loader_split_kind(const char *secname, const char *kind, const char **rest)
{
	size_t n = strlen(kind);

	if (strncmp(secname, kind, n) == 0 && secname[n] == '.') {
		*rest = secname + n + 1;
		return true;
	}
	return false;
}
