/* report_out.h - a report (report.h) as text lines, CSV, an Excel workbook or a DHIS2
 * dataValueSets CSV.
 *
 * The text lines are what the screens show and scroll: report_render_lines lays out any
 * report kind for a width of 80 columns or more, aligned by display width (Chinese
 * characters take two columns), never wider than asked. The command's text format is the
 * same lines joined. See docs/reports.md for every layout and the choices behind them.
 */
#ifndef TIANBAO_REPORT_OUT_H
#define TIANBAO_REPORT_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report.h"
#include "lib/err.h"
#include "lib/str.h"

#define REPORT_MIN_WIDTH 80

enum report_format { RF_TEXT, RF_CSV, RF_XLSX, RF_DHIS2 };

int report_format_parse(const char *s);
const char *report_format_name(enum report_format f);

enum report_line_kind {
	RL_TITLE,     /* the report's first line */
	RL_HEADING,   /* a section: a form, an indicator */
	RL_COLUMNS,   /* column headings of the rows below */
	RL_ROW,       /* a row of figures */
	RL_NOTE,      /* an explanation: coverage, sources, legends */
	RL_BLANK,
};

/* What a screen may colour a line by. */
enum report_tone { RT_PLAIN, RT_GOOD, RT_BAD, RT_WARN };

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

/* A horizontal bar of `cols` columns for value on a scale where `scale` fills them,
 * drawn with full blocks and eighths (█ ▉▊▋▌▍▎▏), with a marker ┃ at each of the
 * `nmarks` values in marks (targets). Always exactly `cols` columns wide. */
void report_bar(struct strbuf *sb, double value, double scale, int cols, const double *marks, int nmarks);

/* The text format: the lines joined with "\n". */
void report_write_text(const struct report *r, int width, struct strbuf *out);
/* CSV for spreadsheets: UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting; text
 * cells starting with = + - @ tab or CR get a leading ' ; numbers are written as plain
 * numbers (a negative number stays a number). One table per report kind. */
void report_write_csv(const struct report *r, struct strbuf *out);

struct report_dhis2_stats {
	int values;                  /* data values written */
	int conflicts;               /* of them, in conflict (followup = true) */
	int not_complete;            /* of them, from forms not marked complete */
	int fields_without_code;     /* fields written under their tianbao code */
	int units_without_code;      /* units written under their tianbao code */
	int skipped;                 /* stored values left out: the skip logic no longer asks for them */
	int invalid;                 /* stored values left out: the current form no longer accepts them */
};

/* The typed values of every unit for the period as a DHIS2 dataValueSets CSV (codes from
 * the forms' and units' dhis2 keys, else the tianbao codes). Computed fields are left
 * out: DHIS2 computes its indicators itself. So are the stored values the reports do not
 * count (report_stored_value): questions the skip logic no longer asks, and values the
 * current form no longer accepts. A value in conflict is written with its current value,
 * followup=true and a comment naming the other values. */
void report_write_dhis2(const struct report *r, struct strbuf *out, struct report_dhis2_stats *stats);

/* An Excel workbook (libxlsxwriter), written to the file `file`; messages name it `shown`
 * (the file may be a temporary one, or a /proc/self/fd name). */
int report_write_xlsx(const struct report *r, const char *file, const char *shown, struct err *e);

#endif
