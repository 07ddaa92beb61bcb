/* xlsx_lib.h - libxlsxwriter, loaded only when an Excel file is written.
 *
 * Linking it would load it (and the libcrypto it pulls in, 1.5 MB resident) at every
 * start of the screens on the old laptops; dlopen brings it in for `report --format
 * xlsx` alone. The members have the library's own types (__typeof__ of its prototypes).
 */
#ifndef TIANBAO_XLSX_LIB_H
#define TIANBAO_XLSX_LIB_H

#include <xlsxwriter.h>
#include "lib/err.h"


struct xlsx_lib {
	__typeof__(workbook_new) *workbook_new;
	__typeof__(workbook_add_worksheet) *workbook_add_worksheet;
	__typeof__(workbook_add_format) *workbook_add_format;
	__typeof__(workbook_validate_sheet_name) *workbook_validate_sheet_name;
	__typeof__(workbook_close) *workbook_close;
	__typeof__(worksheet_write_string) *worksheet_write_string;
	__typeof__(worksheet_write_number) *worksheet_write_number;
	__typeof__(worksheet_write_blank) *worksheet_write_blank;
	__typeof__(worksheet_write_comment) *worksheet_write_comment;
	__typeof__(worksheet_set_column) *worksheet_set_column;
	__typeof__(worksheet_freeze_panes) *worksheet_freeze_panes;
	__typeof__(format_set_align) *format_set_align;
	__typeof__(format_set_bg_color) *format_set_bg_color;
	__typeof__(format_set_bold) *format_set_bold;
	__typeof__(format_set_bottom) *format_set_bottom;
	__typeof__(format_set_top) *format_set_top;
	__typeof__(format_set_num_format) *format_set_num_format;
	__typeof__(format_set_text_wrap) *format_set_text_wrap;
	__typeof__(lxw_strerror) *lxw_strerror;
};

/* Loads the library the first time (libxlsxwriter.so.4, or $TIANBAO_XLSXWRITER); NULL
 * with e filled when it is missing or lacks a function. */
const struct xlsx_lib *xlsx_lib_load(struct err *e);

#endif
