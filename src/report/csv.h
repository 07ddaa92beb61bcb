/* csv.h - reports as CSV for spreadsheets: UTF-8 with a byte-order mark, CRLF, RFC 4180
 * quoting; text cells starting with = + - @ tab or CR get a leading ' ; numbers are
 * written as plain numbers (a negative number stays a number). One table per report
 * kind (table.h), every column of it.
 */
#ifndef TIANBAO_REPORT_CSV_H
#define TIANBAO_REPORT_CSV_H

#include <stdbool.h>

#include "report/report.h"
#include "report/table.h"
#include "lib/str.h"

/* A CSV being written: the fields of a row are separated as they come. */
struct csvw {
	struct strbuf *out;
	bool first;           /* no field of the row written yet */
};

void csvw_sep(struct csvw *w);
void csvw_text(struct csvw *w, const char *s);
void csvw_cell(struct csvw *w, const struct table_cell *c);
void csvw_end(struct csvw *w);

/* The kind's table, the one the CSV has, handed to w. */
void csv_tables(const struct report *r, const struct table_writer *w);

void report_write_csv(const struct report *r, struct strbuf *out);

#endif
