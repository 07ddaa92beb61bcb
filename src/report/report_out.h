/* report_out.h - a report (report.h) as text lines, CSV, an Excel workbook or a DHIS2
 * dataValueSets CSV: the formats by name, and every format's header, for the command
 * and the screens.
 *
 *   text.h    the lines the screens show (report_render_lines) and the text format
 *   csv.h     CSV, one table per report kind
 *   dhis2.h   the DHIS2 dataValueSets CSV
 *   xlsx.h    the Excel workbook
 *   format.h  values as shown, and the bars (report_bar)
 */
#ifndef TIANBAO_REPORT_OUT_H
#define TIANBAO_REPORT_OUT_H

#include "report/csv.h"
#include "report/dhis2.h"
#include "report/format.h"
#include "report/text.h"
#include "report/xlsx.h"

enum report_format { RF_TEXT, RF_CSV, RF_XLSX, RF_DHIS2 };

int report_format_parse(const char *s);

#endif
