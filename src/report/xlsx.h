/* xlsx.h - a report as an Excel workbook (libxlsxwriter, loaded by xlsx_lib.h): a sheet
 * per table (table.h), in the columns of its sheet view.
 */
#ifndef TIANBAO_REPORT_XLSX_H
#define TIANBAO_REPORT_XLSX_H

#include "report/report.h"
#include "report/table.h"
#include "lib/err.h"

/* The workbook's tables, a sheet each, in order, handed to w. */
void xlsx_tables(const struct report *r, const struct table_writer *w);

/* An Excel workbook (libxlsxwriter), written to the file `file`; messages name it `shown`
 * (the file may be a temporary one, or a /proc/self/fd name). */
int report_write_xlsx(const struct report *r, const char *file, const char *shown, struct err *e);

#endif
