/* table.h - the tables of the spreadsheet formats: a report's columns, with their headers,
 * and rows of typed cells, built once here and rendered by the CSV writer (csv.c) and the
 * Excel writer (xlsx.c), so that the two formats cannot tell different stories.
 *
 * A table is walked, not kept: its builder hands the writer one row at a time (a county's
 * targets report is 60,000 rows); the cells' text is borrowed for the call.
 *
 * The CSV writes every column of a table; a sheet shows the columns of its view
 * (sheet_cols), in that order. Where the two differ, on purpose, the table says so:
 *   - the period, and the "Shown" text, are columns only the CSV has: a workbook is of one
 *     period, and Excel shows a number as the report does through its number format;
 *   - a sheet may head a column in its own words (sheet_head);
 *   - a repeated cell (the same as the row above) is left out of a sheet and written in
 *     the CSV, where each row has to stand alone for filters and scripts;
 *   - a time is the stored UTC time in the CSV, the laptop's local time in a sheet (as on
 *     the screens);
 *   - tone, conflict, foot and comment are what a sheet shows of a cell beyond its value
 *     (a background, bold above a line, a note); the CSV has no place for them.
 * The workbook also has tables the CSV has not (the completeness matrix, a sheet per form:
 * units as rows, fields as columns, the way the paper forms are laid out), and the CSV
 * one the workbook has not (the indicators, fields as rows).
 */
#ifndef TIANBAO_REPORT_TABLE_H
#define TIANBAO_REPORT_TABLE_H

#include <stdbool.h>

#include "report/format.h"
#include "report/report.h"

enum table_cell_kind {
	TC_EMPTY,
	TC_TEXT,      /* text: the CSV guards it against formulas, Excel stores a string */
	TC_TIME,      /* a stored ISO 8601 UTC time, in text: as stored in the CSV, local time in a sheet */
	TC_INT,       /* a whole number */
	TC_NUM,       /* a number with `decimals` */
	TC_SHARE,     /* a percentage, the number 37.5: `decimals` in the CSV, shown 37.5% in a sheet */
	TC_YESNO,     /* a yes/no answer, the number 1 or 0: a sheet shows yes or no */
};

struct table_cell {
	enum table_cell_kind kind;
	enum report_tone tone;   /* a sheet's background: a state, met or not */
	bool conflict;        /* a value in conflict, or a figure made of one: yellow in a sheet */
	bool foot;            /* of a total row: bold, above a line, in a sheet */
	bool repeated;        /* the same as the row above: a sheet leaves it out */
	int decimals;         /* TC_NUM, TC_SHARE */
	double num;           /* TC_INT, TC_NUM, TC_SHARE, TC_YESNO */
	const char *text;     /* TC_TEXT, TC_TIME; NULL reads as empty */
	const char *comment;  /* a sheet's note on the cell, or NULL */
};

struct table_col {
	const char *head;
	const char *sheet_head;  /* a sheet's header when it is not head, or NULL */
};

struct table {
	const char *sheet;       /* the sheet's name */
	const char *sheet_id;    /* the name when that one cannot be used (ASCII) */
	const struct table_col *cols;
	int ncols;
	const int *sheet_cols;   /* the columns a sheet shows, in order; NULL: all */
	int nsheet_cols;
	int freeze_row, freeze_col;  /* a sheet's panes: the header row, the unit's columns */
};

/* What renders tables: begin (the columns), a row at a time, end. */
struct table_writer {
	void *ctx;
	void (*begin)(void *ctx, const struct table *t);
	void (*row)(void *ctx, const struct table *t, const struct table_cell *cells);
	void (*end)(void *ctx, const struct table *t);
};

/* A sheet's columns: how many, which of the table's each is, and its header. */
int table_sheet_ncols(const struct table *t);
int table_sheet_col(const struct table *t, int j);
const char *table_sheet_head(const struct table *t, int j);

/* Who reported what and when: a row per unit and form it reports (with missing_only, the
 * forms not complete: the list to telephone from). The completeness CSV. */
void table_completeness(const struct report *r, bool missing_only, const struct table_writer *w);
/* Completeness as units x forms, the share complete per unit and per form (a sheet). */
void table_matrix(const struct report *r, const struct table_writer *w);
/* Every township figure, a row per field and per choice of a choice field (the CSV). */
void table_indicators(const struct report *r, const struct table_writer *w);
/* Form k of the period: the units as rows, every field as a column, the township's
 * figures below (a sheet). */
void table_form(const struct report *r, int k, const struct table_writer *w);
/* The field of the units report: the township, then the units in rank order. */
void table_units(const struct report *r, const struct table_writer *w);
/* Every target: the township, then each unit. */
void table_targets(const struct report *r, const struct table_writer *w);

#endif
