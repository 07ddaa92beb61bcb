/* text.c - UTF-8 and display widths. */
#include "lib/text.h"
#include <stdio.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "lib/mem.h"
#include "lib/str.h"

int utf8_decode(const char *s, size_t n, wchar_t *out)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c;
	int len;
	unsigned cp, min;

	if (n == 0)
		return -1;
	c = u[0];
	if (c < 0x80) {
		*out = (wchar_t)c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if ((size_t)len > n)
		return -1;
	for (int i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*out = (wchar_t)cp;
	return len;
}

int utf8_encode(wchar_t wc, char out[4])
{
	unsigned cp = (unsigned)wc;

	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

bool utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	wchar_t wc;

	while (i < n) {
		int k = utf8_decode(s + i, n - i, &wc);

		if (k < 0 || wc == 0)
			return false;
		i += (size_t)k;
	}
	return true;
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static bool is_control(wchar_t wc)
{
	return wc < 0x20 || (wc >= 0x7F && wc < 0xA0) || wc == 0x2028 || wc == 0x2029 ||
	       (wc >= 0xFDD0 && wc <= 0xFDEF) || (wc & 0xFFFE) == 0xFFFE;
}

long text_find_control(const char *s, wchar_t *wc_out)
{
	size_t n = strlen(s), i = 0;
	wchar_t wc;

	while (i < n) {
		int k = utf8_decode(s + i, n - i, &wc);

		if (k < 0 || is_control(wc)) {
			if (wc_out)
				*wc_out = k < 0 ? (wchar_t)(unsigned char)s[i] : wc;
			return (long)i;
		}
		i += (size_t)k;
	}
	return -1;
}

bool text_has_control(const char *s)
{
	return text_find_control(s, NULL) >= 0;
}

const char *text_control_name(wchar_t wc, char buf[32])
{
	static const struct { wchar_t wc; const char *name; } names[] = {
		{ 0x09, "TAB" }, { 0x0A, "LF" }, { 0x0D, "CR" }, { 0x1B, "ESC" }, { 0x00, "NUL" },
		{ 0x08, "BS" }, { 0x07, "BEL" }, { 0x0C, "FF" }, { 0x0B, "VT" }, { 0x7F, "DEL" },
		{ 0x85, "NEL" }, { 0x9B, "CSI" }, { 0x2028, "LINE SEPARATOR" }, { 0x2029, "PARAGRAPH SEPARATOR" },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].wc == wc) {
			snprintf(buf, 32, "U+%04lX %s", (unsigned long)wc, names[i].name);
			return buf;
		}
	}
	snprintf(buf, 32, "U+%04lX", (unsigned long)wc);
	return buf;
}

char *text_visible(const char *s, bool keep_newlines)
{
	struct strbuf sb;
	size_t n, i = 0;
	wchar_t wc;

	if (!s)
		return NULL;
	n = strlen(s);
	sb_init(&sb);
	while (i < n) {
		int k = utf8_decode(s + i, n - i, &wc);

		if (k < 0) {
			sb_addf(&sb, "\\x%02X", (unsigned)(unsigned char)s[i]);
			i++;
			continue;
		}
		if (wc == '\n' && keep_newlines)
			sb_addc(&sb, '\n');
		else if (wc == '\n')
			sb_add(&sb, "\\n");
		else if (wc == '\t')
			sb_add(&sb, "\\t");
		else if (wc == '\r')
			sb_add(&sb, "\\r");
		else if (wc < 0x20 || wc == 0x7F)
			sb_addf(&sb, "\\x%02X", (unsigned)wc);
		else if (is_control(wc))
			sb_addf(&sb, "\\u%04lX", (unsigned long)wc);
		else
			sb_addn(&sb, s + i, (size_t)k);
		i += (size_t)k;
	}
	return sb_take(&sb);
}

bool text_is_blank(const char *s)
{
	size_t n = strlen(s), i = 0;
	wchar_t wc;

	while (i < n) {
		int k = utf8_decode(s + i, n - i, &wc);

		if (k < 0 || (wc != ' ' && wc != 0xA0 && wc != 0x3000))
			return false;
		i += (size_t)k;
	}
	return true;
}

char *text_sanitize(const char *s)
{
	size_t n, i = 0, o = 0;
	char *out;
	wchar_t wc;

	if (!s)
		return NULL;
	n = strlen(s);
	out = xmalloc(n + 1);
	while (i < n) {
		int k = utf8_decode(s + i, n - i, &wc);

		if (k < 0 || wc < 0x20 || (wc >= 0x7F && wc < 0xA0)) {
			out[o++] = '?';
			i += k < 0 ? 1 : (size_t)k;
			continue;
		}
		memcpy(out + o, s + i, (size_t)k);
		o += (size_t)k;
		i += (size_t)k;
	}
	out[o] = '\0';
	return out;
}

const char *text_echo(const char *s, char *buf, size_t size)
{
	char *v = text_visible(s ? s : "", false);
	struct strbuf sb;
	size_t n;

	sb_init(&sb);
	text_crop(&sb, v, TEXT_ECHO_COLS);
	free(v);
	n = strlen(sb_str(&sb));
	if (n >= size) {
		/* Never cut a character: back up to the start of one. */
		n = size - 1;
		while (n > 0 && ((unsigned char)sb_str(&sb)[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(buf, sb_str(&sb), n);
	buf[n] = '\0';
	sb_free(&sb);
	return buf;
}

int char_width(wchar_t wc)
{
	int w;

	if (wc < 0x20 || (wc >= 0x7F && wc < 0xA0))
		return 1;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

int text_width(const char *s)
{
	size_t n = strlen(s), i = 0;
	int cols = 0;
	wchar_t wc;

	while (i < n) {
		int k = utf8_decode(s + i, n - i, &wc);

		if (k < 0) {
			cols++;
			i++;
			continue;
		}
		cols += char_width(wc);
		i += (size_t)k;
	}
	return cols;
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' || c == '-';
}

/* The width of the first n bytes of s. */
static int text_width_n(const char *s, size_t n)
{
	struct strbuf part;
	int w;

	sb_init(&part);
	sb_addn(&part, s, n);
	w = text_width(sb_str(&part));
	sb_free(&part);
	return w;
}

int text_crop(struct strbuf *sb, const char *s, int cols)
{
	static const char ellipsis[] = "\xE2\x80\xA6"; /* U+2026, one column */
	size_t n = strlen(s), i = 0, cut = 0;
	int used = 0, used_at_cut = 0;
	wchar_t wc;

	if (cols <= 0)
		return 0;
	if (text_width(s) <= cols) {
		sb_add(sb, s);
		return text_width(s);
	}
	/* Keep whole characters that fit in cols-1 columns, then the ellipsis. */
	while (i < n) {
		int k = utf8_decode(s + i, n - i, &wc);
		int w = k < 0 ? 1 : char_width(wc);

		if (k < 0)
			k = 1;
		if (used + w > cols - 1)
			break;
		used += w;
		i += (size_t)k;
		cut = i;
		used_at_cut = used;
	}
	/* Inside an English word: cut after the last whole word instead, when that keeps
	 * most of the room ("One person is both Party…", not "…Party secretar…"). */
	if (cut > 0 && cut < n && is_word_char(s[cut]) && is_word_char(s[cut - 1])) {
		size_t sp = cut;

		while (sp > 0 && s[sp - 1] != ' ')
			sp--;
		while (sp > 0 && s[sp - 1] == ' ')
			sp--;
		if (sp > 0 && text_width_n(s, sp) * 10 >= used_at_cut * 7) {
			cut = sp;
			used_at_cut = text_width_n(s, sp);
		}
	}
	/* Never a space before the ellipsis. */
	while (cut > 0 && s[cut - 1] == ' ') {
		cut--;
		used_at_cut--;
	}
	sb_addn(sb, s, cut);
	sb_add(sb, ellipsis);
	return used_at_cut + 1;
}

void text_pad(struct strbuf *sb, const char *s, int cols)
{
	int used = text_crop(sb, s, cols);

	for (; used < cols; used++)
		sb_addc(sb, ' ');
}

void text_pad_left(struct strbuf *sb, const char *s, int cols)
{
	struct strbuf tmp;
	int used;

	sb_init(&tmp);
	used = text_crop(&tmp, s, cols);
	for (; used < cols; used++)
		sb_addc(sb, ' ');
	sb_add(sb, sb_str(&tmp));
	sb_free(&tmp);
}

const char *text_shown(const char *s, size_t n, char *buf, size_t size)
{
	size_t i = 0, o = 0;
	int chars = 0;
	wchar_t wc;

	while (i < n && o + 8 < size) {
		int k = utf8_decode(s + i, n - i, &wc);

		if (chars++ == 40) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (k < 0 || wc < 0x20 || (wc >= 0x7F && wc < 0xA0)) {
			buf[o++] = '?';
			i += k < 0 ? 1 : (size_t)k;
			continue;
		}
		memcpy(buf + o, s + i, (size_t)k);
		o += (size_t)k;
		i += (size_t)k;
	}
	buf[o] = '\0';
	return buf;
}

static int is_latin_graph(char c)
{
	return (unsigned char)c > ' ' && (unsigned char)c < 0x7f;
}

static int starts_with_closing_mark(const char *p)
{
	static const char *const marks[] = { "，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "》" };

	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strncmp(p, marks[i], strlen(marks[i])) == 0)
			return 1;
	return 0;
}

/* Never cut a run of Latin text; never begin a line with a closing mark (text.h). */
int text_wrap(const char *text, int cols, char ***lines_out)
{
	char **lines = NULL;
	int n = 0;
	const char *p = text;

	/* A line must hold a wide character, or nothing would ever be laid out. */
	if (cols < 2)
		cols = 2;

	while (*p) {
		const char *start = p, *brk = NULL;
		int w = 0;
		struct strbuf sb;

		while (*p && *p != '\n') {
			wchar_t wc;
			int k = utf8_decode(p, strlen(p), &wc);
			int cw = k < 0 ? 1 : char_width(wc);

			if (k < 0)
				k = 1;
			if (w + cw > cols)
				break;
			if (*p == ' ')
				brk = p;
			w += cw;
			p += k;
		}
		/* Never cut a run of Latin text (a word, a year, a code, "(tianbao" or "form."):
		 * back up to the space or the Chinese character before it. */
		if (*p && *p != '\n' && *p != ' ' && is_latin_graph(*p) && p > start && is_latin_graph(p[-1])) {
			const char *q = p;

			while (q > start && is_latin_graph(q[-1]))
				q--;
			if (q > start)
				p = q;
			else if (brk && brk > start)
				p = brk + 1;
		} else if (*p && starts_with_closing_mark(p) && p > start) {
			/* A line does not begin with ，。、）: the character before it goes down too. */
			const char *q = p - 1;

			while (q > start && ((unsigned char)*q & 0xC0) == 0x80)
				q--;
			if (q > start)
				p = q;
		}
		sb_init(&sb);
		sb_addn(&sb, start, (size_t)(p - start));
		lines = xreallocarray(lines, (size_t)n + 1, sizeof *lines);
		lines[n++] = sb_take(&sb);
		if (*p == '\n')
			p++;
		else
			while (*p == ' ')
				p++;
	}
	*lines_out = lines;
	return n;
}
