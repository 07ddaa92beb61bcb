/* latest.c - the latest-wins order (see latest.h). */
#include "store/latest.h"

#include <string.h>

int latest_cmp(const struct stamp *a, const struct stamp *b, const char *own)
{
	int c = strcmp(a->at, b->at);

	if (!c && own)
		c = (strcmp(a->installation, own) == 0) - (strcmp(b->installation, own) == 0);
	if (!c)
		c = strcmp(a->installation, b->installation);
	return c;
}

bool state_later(const struct state_stamp *a, const struct state_stamp *b, const char *own)
{
	struct stamp sa = { a->changed_at, a->installation }, sb = { b->changed_at, b->installation };
	int c = latest_cmp(&sa, &sb, own);

	if (!c)
		c = (strcmp(a->state, "complete") == 0) - (strcmp(b->state, "complete") == 0);
	if (!c)
		c = strcmp(a->changed_by, b->changed_by);
	return c > 0;
}
