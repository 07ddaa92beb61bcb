/* xlsx_lib.c - libxlsxwriter on demand (see xlsx_lib.h). */
#include "report/xlsx_lib.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/err.h"

static struct xlsx_lib lib;
static bool loaded;

const struct xlsx_lib *xlsx_lib_load(struct err *e)
{
	static const struct { const char *name; size_t offset; } fns[] = {
#define FN(f) { #f, offsetof(struct xlsx_lib, f) }
		FN(workbook_new), FN(workbook_add_worksheet), FN(workbook_add_format), FN(workbook_validate_sheet_name),
		FN(workbook_close), FN(worksheet_write_string), FN(worksheet_write_number), FN(worksheet_write_blank),
		FN(worksheet_write_comment), FN(worksheet_set_column), FN(worksheet_freeze_panes), FN(format_set_align),
		FN(format_set_bg_color), FN(format_set_bold), FN(format_set_bottom), FN(format_set_top),
		FN(format_set_num_format), FN(format_set_text_wrap), FN(lxw_strerror),
#undef FN
	};
	const char *path = getenv("TIANBAO_XLSXWRITER");
	void *h;

	if (loaded)
		return &lib;
#ifdef TIANBAO_STATIC
	/* A static binary cannot load a shared library of the computer's (it would bring a
	 * second C library with it): the copy that runs from a stick writes no .xlsx. */
	(void)path, (void)h, (void)fns;
	err_set(e, _("this copy of tianbao (the one that runs without installing) cannot write Excel files: "
		     "write CSV instead (--format csv), which WPS, Excel and LibreOffice open, or install tianbao "
		     "with make install where Excel files are needed"));
	return NULL;
#else
	if (!path || !*path)
		path = "libxlsxwriter.so.4";
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		err_set(e, _("Excel files need libxlsxwriter (Debian package libxlsxwriter4), which could not be loaded: %s"),
			dlerror());
		return NULL;
	}
	for (size_t i = 0; i < ARRAY_LEN(fns); i++) {
		void *sym = dlsym(h, fns[i].name);

		if (!sym) {
			err_set(e, _("%s has no function %s: it is not a libxlsxwriter this tianbao can use"), path, fns[i].name);
			dlclose(h);
			return NULL;
		}
		memcpy((char *)&lib + fns[i].offset, &sym, sizeof sym);
	}
	loaded = true;
	return &lib;
#endif
}
