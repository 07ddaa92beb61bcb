/* text.h - a report as lines of text: what the screens show and scroll, and the command's
 * text format (the same lines joined).
 *
 * report_render_lines lays out any report kind for a width of 80 columns or more,
 * aligned by display width (Chinese characters take two columns), never wider than
 * asked. See docs/reports.md for every layout and the choices behind them.
 */
#ifndef TIANBAO_REPORT_TEXT_H
#define TIANBAO_REPORT_TEXT_H

#include "report/format.h"
#include "report/report.h"
#include "lib/str.h"

#define REPORT_MIN_WIDTH 80

enum report_line_kind {
	RL_TITLE,     /* the report's first line */
	RL_HEADING,   /* a section: a form, an indicator */
	RL_COLUMNS,   /* column headings of the rows below */
	RL_ROW,       /* a row of figures */
	RL_NOTE,      /* an explanation: coverage, sources, legends */
	RL_BLANK,
};

struct report_line {
	enum report_line_kind kind;
	enum report_tone tone;
	char *text;
};

struct report_lines {
	struct report_line *v;
	int n, cap;
};

/* Lays out any report kind in lines of at most `width` display columns (a width below
 * REPORT_MIN_WIDTH is taken as REPORT_MIN_WIDTH). Free with report_lines_free. */
void report_render_lines(const struct report *r, int width, struct report_lines *out);
void report_lines_free(struct report_lines *l);

/* The text format: the lines joined with "\n". */
void report_write_text(const struct report *r, int width, struct strbuf *out);

#endif
