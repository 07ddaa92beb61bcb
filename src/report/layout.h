/* layout.h - the engine that lays out report lines (text.h): lines cut to the width,
 * words wrapped, cells in columns aligned by display width.
 *
 * A column marked `whole` (numbers, targets, codes) is never cut with "…": the layouts
 * make it as wide as its widest cell, and a row whose numbers do not fit even then
 * takes the room from its other cells (cells).
 */
#ifndef TIANBAO_REPORT_LAYOUT_H
#define TIANBAO_REPORT_LAYOUT_H

#include <stdbool.h>

#include "report/report.h"
#include "report/text.h"
#include "lib/str.h"

struct lay {
	const struct report *r;
	int width;
	struct report_lines *out;
	struct strbuf sb;
	bool conflict_legend;
};

struct lay_col {
	int w;
	bool right;
	bool whole;   /* numbers, targets, codes: never cut with "…" */
};

#define LAY_MAX_COLS 8

/* On a wide screen a label column stops growing, so the figures stay near their names;
 * beside very wide numbers it keeps a few columns, and rows that cannot fit shift. */
#define LAY_LABEL_MAX 60
#define LAY_LABEL_MIN 12

/* L->sb as a line of that kind and tone, cut to the width, trailing spaces dropped. */
void lay_emit(struct lay *L, enum report_line_kind kind, enum report_tone tone);
/* Text wrapped to the width after `ind` spaces: at spaces and beside Chinese characters,
 * never inside a run of ASCII letters, digits and signs (a number, a year, a code) unless
 * the run alone is wider than the line. */
void lay_wrapped(struct lay *L, enum report_line_kind kind, enum report_tone tone, int ind, const char *text);
/* L->sb as a heading, wrapped when it is longer than the line. */
void lay_heading(struct lay *L, enum report_tone tone);
void lay_blank(struct lay *L);
/* Widens a column to hold s whole. */
void lay_fit(struct lay_col *c, const char *s);
/* One row of n cells into L->sb, two spaces in, one between cells (see the top). */
void lay_cells(struct lay *L, const struct lay_col *cols, int n, const char *const *text);
/* The room left for column flex: the width less the indent, the other columns and the
 * spaces between the n columns. */
int lay_rest(const struct lay *L, const struct lay_col *cols, int n, int flex);
int lay_cap(int w, int most);
/* The display width of the widest label, at least `least`. */
int lay_max_width(const char *const *labels, int n, int least);
/* A note in words, wrapped to the width. */
void lay_note(struct lay *L, enum report_tone tone, int ind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
