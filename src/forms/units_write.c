/* units_write.c - the text of a units file (see units_write.h). */
#include "forms/units_write.h"

#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"
#include "lib/str.h"
#include "lib/text.h"

char *units_ini_header(const char *text)
{
	const char *start = text, *p, *end;

	/* A byte-order mark (which the loader refuses anyway) is not carried on. */
	if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
		start += 3;
	p = end = start;
	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *next = nl ? nl + 1 : p + strlen(p);
		const char *q = p;

		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == ';' || *q == '#')
			end = next;
		else if (*q != '\n' && *q != '\r' && *q)
			break;
		p = next;
	}
	return xstrndup(start, (size_t)(end - start));
}

bool units_value_valid(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 256 && utf8_valid(s, n) && utf8_chars(s) <= 64 && !text_has_control(s) &&
	       !strpbrk(s, "\"\\") && s[0] != ' ' && s[n - 1] != ' ' && !text_is_blank(s);
}

static void put_key(struct strbuf *sb, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	if (strpbrk(value, ";#="))
		sb_addf(sb, "%s = \"%s\"\n", key, value);
	else
		sb_addf(sb, "%s = %s\n", key, value);
}

static void put_unit(struct strbuf *sb, const struct unit *u)
{
	static const char *kinds[] = { "township", "village", "department" };

	sb_addf(sb, "\n[%s.%s]\n", kinds[u->kind], u->code);
	put_key(sb, "name", u->name);
	put_key(sb, "name_en", u->name_en);
	put_key(sb, "role", u->role);
	put_key(sb, "dhis2", u->dhis2);
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp((*(const struct unit *const *)a)->code, (*(const struct unit *const *)b)->code);
}

char *units_ini_text(const char *header, const struct unit *units, int n)
{
	struct strbuf sb;
	const struct unit **villages = xcalloc((size_t)n + 1, sizeof *villages);
	int nv = 0;

	sb_init(&sb);
	sb_add(&sb, header);
	if (sb.len && sb.buf[sb.len - 1] != '\n')
		sb_addc(&sb, '\n');
	for (int i = 0; i < n; i++)
		if (units[i].kind == UK_TOWNSHIP)
			put_unit(&sb, &units[i]);
	for (int i = 0; i < n; i++)
		if (units[i].kind == UK_VILLAGE)
			villages[nv++] = &units[i];
	if (nv > 1)
		qsort(villages, (size_t)nv, sizeof *villages, cmp_code);
	for (int i = 0; i < nv; i++)
		put_unit(&sb, villages[i]);
	for (int i = 0; i < n; i++)
		if (units[i].kind == UK_DEPARTMENT)
			put_unit(&sb, &units[i]);
	free(villages);
	/* No header: the file starts with its first section, not an empty line. */
	if (!*header && sb.len && sb.buf[0] == '\n') {
		char *t = xstrdup(sb.buf + 1);

		sb_free(&sb);
		return t;
	}
	return sb_take(&sb);
}
