/* layout.c - the engine that lays out report lines (see layout.h). */
#include "report/layout.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"
#include "lib/str.h"
#include "lib/text.h"

void lay_emit(struct lay *L, enum report_line_kind kind, enum report_tone tone)
{
	struct report_lines *o = L->out;
	struct report_line *ln;

	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		o->v = xreallocarray(o->v, (size_t)o->cap, sizeof *o->v);
	}
	ln = &o->v[o->n++];
	ln->kind = kind;
	ln->tone = tone;
	/* Every line is cut to the width, whatever went into it. */
	if (text_width(sb_str(&L->sb)) > L->width) {
		struct strbuf cut;

		sb_init(&cut);
		text_crop(&cut, sb_str(&L->sb), L->width);
		ln->text = sb_take(&cut);
	} else {
		ln->text = xstrdup(sb_str(&L->sb));
	}
	/* Trailing spaces are of no use on a screen or paper. */
	for (size_t n = strlen(ln->text); n > 0 && ln->text[n - 1] == ' '; n--)
		ln->text[n - 1] = '\0';
	sb_reset(&L->sb);
}

/* A heading in L->sb, wrapped when it is longer than the line. */
void lay_heading(struct lay *L, enum report_tone tone)
{
	char *text = sb_take(&L->sb);

	lay_wrapped(L, RL_HEADING, tone, 0, text);
	free(text);
}

void lay_blank(struct lay *L)
{
	sb_reset(&L->sb);
	lay_emit(L, RL_BLANK, RT_PLAIN);
}

static void indent(struct strbuf *sb, int n)
{
	for (int i = 0; i < n; i++)
		sb_addc(sb, ' ');
}

/* A byte of a run that is never broken: ASCII letters, digits and signs, so a number
 * (37.5%, -20, 103..107), a year (2021—2030 breaks only at the dash), a code or a Latin
 * word stays on one line. */
static bool unbreakable(char c)
{
	return c > ' ' && c < 0x7f;
}

/* Text wrapped to the width after `ind` spaces: breaks at spaces, and between two
 * characters of which one is not ASCII (between Chinese characters, before and after
 * them), never inside a run of ASCII letters, digits and signs - unless the run alone
 * is wider than the line. */
void lay_wrapped(struct lay *L, enum report_line_kind kind, enum report_tone tone, int ind, const char *text)
{
	int avail = L->width - ind;
	size_t n = strlen(text), i = 0;

	if (avail < 10)
		avail = 10;
	while (i < n) {
		size_t j = i, last_break = i, cut, next;
		int cols = 0;
		wchar_t wc;

		while (j < n) {
			int k = utf8_decode(text + j, n - j, &wc), w;

			if (k < 0) {
				k = 1;
				wc = '?';
			}
			w = char_width(wc);
			/* The line may end before this character. */
			if (j > i && (text[j] == ' ' || !unbreakable(text[j - 1]) || !unbreakable(text[j])))
				last_break = j;
			if (cols + w > avail)
				break;
			cols += w;
			j += (size_t)k;
		}
		if (j >= n)
			cut = n;
		else if (last_break > i)
			cut = last_break;
		else
			cut = j;   /* one run wider than the line: cut where the line ends */
		if (cut == i) { /* one character wider than the room: take it anyway */
			int k = utf8_decode(text + i, n - i, &wc);

			cut = i + (size_t)(k > 0 ? k : 1);
		}
		next = cut;
		indent(&L->sb, ind);
		sb_addn(&L->sb, text + i, cut - i);
		lay_emit(L, kind, tone);
		i = next;
		while (i < n && text[i] == ' ')
			i++;
	}
}

/* Widens a column to hold s whole. */
void lay_fit(struct lay_col *c, const char *s)
{
	int w = text_width(s);

	if (w > c->w)
		c->w = w;
}

/* One row of cells, two spaces in, one space between cells. A cell of a `whole` column
 * is never cut: the layouts make those columns as wide as their widest cell. Should the
 * columns then not fit the line (numbers of dozens of digits), a row takes the room it
 * needs from the padding of its own numbers first (they shift), then from the other
 * columns, the widest first, which are cut instead: the row keeps within the width. */
void lay_cells(struct lay *L, const struct lay_col *cols, int n, const char *const *text)
{
	int w[LAY_MAX_COLS], need[LAY_MAX_COLS], over = 2 + (n - 1) - L->width;

	for (int i = 0; i < n; i++) {
		need[i] = text[i] ? text_width(text[i]) : 0;
		w[i] = cols[i].w > 0 ? cols[i].w : 0;
		if (cols[i].whole && need[i] > w[i])
			w[i] = need[i];
		over += w[i];
	}
	while (over > 0) {
		int pick = -1;

		for (int i = 0; i < n; i++)
			if (cols[i].whole && w[i] > need[i] && (pick < 0 || w[i] - need[i] > w[pick] - need[pick]))
				pick = i;
		for (int i = 0; pick < 0 && i < n; i++)
			if (!cols[i].whole && w[i] > 0)
				pick = i;
		for (int i = 0; i < n; i++)
			if (!cols[i].whole && w[i] > 0 && pick >= 0 && !cols[pick].whole && w[i] > w[pick])
				pick = i;
		if (pick < 0)
			break;   /* nothing but numbers, wider than the line itself */
		w[pick]--;
		over--;
	}
	sb_add(&L->sb, "  ");
	for (int i = 0; i < n; i++) {
		if (i)
			sb_addc(&L->sb, ' ');
		if (cols[i].right)
			text_pad_left(&L->sb, text[i] ? text[i] : "", w[i]);
		else
			text_pad(&L->sb, text[i] ? text[i] : "", w[i]);
	}
}

/* The room left for one flexible column: the width less the indent, the fixed columns
 * and the spaces between n columns. */
int lay_rest(const struct lay *L, const struct lay_col *cols, int n, int flex)
{
	int used = 2 + (n - 1);

	for (int i = 0; i < n; i++)
		if (i != flex)
			used += cols[i].w;
	return L->width - used;
}

int lay_cap(int w, int most)
{
	return w > most ? most : w;
}

int lay_max_width(const char *const *labels, int n, int least)
{
	for (int i = 0; i < n; i++)
		if (text_width(labels[i]) > least)
			least = text_width(labels[i]);
	return least;
}

/* A note in words, wrapped to the width. */
void lay_note(struct lay *L, enum report_tone tone, int ind, const char *fmt, ...)
{
	struct strbuf t;
	va_list ap;

	sb_init(&t);
	va_start(ap, fmt);
	sb_vaddf(&t, fmt, ap);
	va_end(ap);
	lay_wrapped(L, RL_NOTE, tone, ind, sb_str(&t));
	sb_free(&t);
}
