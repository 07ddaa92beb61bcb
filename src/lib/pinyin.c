/* pinyin.c - pinyin initials through GB2312's order (see pinyin.h). */
#include "lib/pinyin.h"

#include <ctype.h>
#include <string.h>

#include "lib/gbk_table.h"
#include "lib/text.h"

/* The initial of a first-level GB2312 character, 0 for any other. */
static char initial_of(wchar_t wc)
{
	unsigned lo = 0, hi = gbk_initial_count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (gbk_initials[mid].cp == (unsigned)wc)
			return gbk_initials[mid].initial;
		if (gbk_initials[mid].cp < (unsigned)wc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void pinyin_initials(const char *utf8, char *out, size_t size)
{
	const char *p = utf8;
	size_t n = 0, left = strlen(utf8);

	if (size == 0)
		return;
	while (left > 0 && n + 1 < size) {
		wchar_t wc;
		int len = utf8_decode(p, left, &wc);
		char c;

		if (len < 0)
			break;
		if (len == 1)
			c = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : 0;
		else
			c = initial_of(wc);
		if (c)
			out[n++] = c;
		p += len;
		left -= (size_t)len;
	}
	out[n] = '\0';
}
