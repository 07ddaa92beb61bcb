/* strlist.c - string lists (see strlist.h). */
#include "lib/strlist.h"

#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"
#include "lib/str.h"

void strlist_add_sorted(char ***list, int *n, const char *s)
{
	int lo = 0, hi = *n;

	while (lo < hi) {
		int mid = (lo + hi) / 2, c = strcmp((*list)[mid], s);

		if (c == 0)
			return;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*list = xreallocarray(*list, (size_t)*n + 1, sizeof **list);
	memmove(*list + lo + 1, *list + lo, (size_t)(*n - lo) * sizeof **list);
	(*list)[lo] = xstrdup(s);
	(*n)++;
}

char *strlist_join(char *const *list, int n)
{
	struct strbuf sb;

	sb_init(&sb);
	for (int i = 0; i < n; i++) {
		if (i)
			sb_addc(&sb, ',');
		sb_add(&sb, list[i]);
	}
	return sb_take(&sb);
}

void strlist_split(const char *s, char ***out, int *n)
{
	const char *p = s;

	*out = NULL;
	*n = 0;
	if (!*s)
		return;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		*out = xreallocarray(*out, (size_t)*n + 1, sizeof **out);
		(*out)[(*n)++] = xstrndup(p, len);
		if (!comma)
			break;
		p = comma + 1;
	}
}

bool strlist_equal(char *const *a, int na, char *const *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

void strlist_free(char **list, int n)
{
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void strlist_add(char ***list, int *n, const char *s)
{
	*list = xreallocarray(*list, (size_t)*n + 1, sizeof **list);
	(*list)[(*n)++] = xstrdup(s);
}
