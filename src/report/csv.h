/* csv.h - reports as CSV for spreadsheets: UTF-8 with a byte-order mark, CRLF, RFC 4180
 * quoting; text cells starting with = + - @ tab or CR get a leading ' ; numbers are
 * written as plain numbers (a negative number stays a number). One table per report kind.
 */
#ifndef TIANBAO_REPORT_CSV_H
#define TIANBAO_REPORT_CSV_H

#include <stdbool.h>

#include "report/report.h"
#include "lib/str.h"

struct csvw {
	struct strbuf *out;
	bool first;
};

void csvw_sep(struct csvw *w);
void csvw_text(struct csvw *w, const char *s);
void csvw_end(struct csvw *w);

void report_write_csv(const struct report *r, struct strbuf *out);

#endif
