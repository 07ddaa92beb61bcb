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

struct col {
	int w;
	bool right;
	bool whole;   /* numbers, targets, codes: never cut with "…" */
};

#define MAX_COLS 8

/* On a wide screen a label column stops growing, so the figures stay near their names;
 * beside very wide numbers it keeps a few columns, and rows that cannot fit shift. */
#define LABEL_MAX 60
#define LABEL_MIN 12

void emit(struct lay *L, enum report_line_kind kind, enum report_tone tone);
void emit_wrapped(struct lay *L, enum report_line_kind kind, enum report_tone tone, int ind, const char *text);
void heading(struct lay *L, enum report_tone tone);
void blank(struct lay *L);
void fit(struct col *c, const char *s);
void cells(struct lay *L, const struct col *cols, int n, const char *const *text);
int rest_of(const struct lay *L, const struct col *cols, int n, int flex);
int cap(int w, int most);
int max_width(const char *const *labels, int n, int least);
/* A note in words, wrapped to the width. */
void note(struct lay *L, enum report_tone tone, int ind, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
