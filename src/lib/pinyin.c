/* pinyin.c - pinyin initials through GB2312's order (see pinyin.h). */
#include "lib/pinyin.h"

#include <ctype.h>
#include <iconv.h>
#include <string.h>

/* The first GB2312 code of each initial (i, u and v begin no syllable); the first
 * level ends at 0xD7F9. */
static const struct {
	unsigned first;
	char initial;
} ranges[] = {
	{ 0xB0A1, 'a' }, { 0xB0C5, 'b' }, { 0xB2C1, 'c' }, { 0xB4EE, 'd' }, { 0xB6EA, 'e' }, { 0xB7A2, 'f' },
	{ 0xB8C1, 'g' }, { 0xB9FE, 'h' }, { 0xBBF7, 'j' }, { 0xBFA6, 'k' }, { 0xC0AC, 'l' }, { 0xC2E8, 'm' },
	{ 0xC4C3, 'n' }, { 0xC5B6, 'o' }, { 0xC5BE, 'p' }, { 0xC6DA, 'q' }, { 0xC8BB, 'r' }, { 0xC8F6, 's' },
	{ 0xCBFA, 't' }, { 0xCDDA, 'w' }, { 0xCEF4, 'x' }, { 0xD1B9, 'y' }, { 0xD4D1, 'z' },
};

static char initial_of(unsigned code)
{
	char found = 0;

	if (code < ranges[0].first || code > 0xD7F9)
		return 0;
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0] && code >= ranges[i].first; i++)
		found = ranges[i].initial;
	return found;
}

void pinyin_initials(const char *utf8, char *out, size_t size)
{
	iconv_t cd = iconv_open("GB2312", "UTF-8");
	const unsigned char *p = (const unsigned char *)utf8;
	size_t n = 0;

	if (size == 0)
		return;
	while (*p && n + 1 < size) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
		char in[4], gb[4];
		char *ip = in, *op = gb;
		size_t il = len, ol = sizeof gb;
		char c = 0;

		if (strnlen((const char *)p, len) < len)
			break;
		if (len == 1) {
			c = isalnum(*p) ? (char)tolower(*p) : 0;
		} else if (cd != (iconv_t)-1) {
			memcpy(in, p, len);
			if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && op - gb == 2)
				c = initial_of((unsigned)(unsigned char)gb[0] << 8 | (unsigned char)gb[1]);
			iconv(cd, NULL, NULL, NULL, NULL);
		}
		if (c)
			out[n++] = c;
		p += len;
	}
	out[n] = '\0';
	if (cd != (iconv_t)-1)
		iconv_close(cd);
}
