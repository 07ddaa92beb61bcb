/* save.h - a report written to a file: an atomic file (lib/file.h), so a report cut
 * short never replaces a good one, and only a new file or a regular one is replaced
 * (never a device, a fifo, a folder or a symbolic link). */
#ifndef TIANBAO_REPORT_SAVE_H
#define TIANBAO_REPORT_SAVE_H

#include "lib/err.h"
#include "lib/str.h"
#include "report/report.h"

/* Whether PATH can be written: its folder exists and takes files, and the name is free
 * or a regular file. Said before any work, and before libxlsxwriter would say it in its
 * own words. */
int report_save_check(const char *path, struct err *e);
/* Writes SB to PATH, or to standard output when PATH is NULL or "-". */
int report_save_text(const char *path, const struct strbuf *sb, struct err *e);
/* Writes the report R as an Excel workbook to PATH. */
int report_save_xlsx(const struct report *r, const char *path, struct err *e);

#endif
