/* xlsx.c - reports as an Excel workbook, through libxlsxwriter (see xlsx.h). */
#include "report/xlsx.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/form_status.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/number.h"
#include "lib/str.h"
#include "lib/text.h"
#include "report/format.h"
#include "report/table.h"
#include "report/xlsx_lib.h"

/* The Excel library, loaded by report_write_xlsx before any other xlsx code runs. */
static const struct xlsx_lib *lx;

#define XL_MAX_DECIMALS 6
#define XL_MAX_WIDTH 50

struct xl {
	lxw_workbook *wb;
	lxw_format *head, *num[XL_MAX_DECIMALS + 1], *cnum[XL_MAX_DECIMALS + 1], *share, *cshare, *yesno, *cyesno;
	lxw_format *ctext, *good, *warn, *bad, *foot, *foot_share;
	char **names;       /* sheet names used, to keep them unique */
	int nnames;
};

struct sheet {
	lxw_worksheet *ws;
	int widths[512];    /* display width of the widest cell per column */
};

static lxw_format *xl_format(struct xl *x)
{
	return lx->workbook_add_format(x->wb);
}

static void xl_formats(struct xl *x)
{
	char yn[128];
	struct strbuf clean_yes, clean_no;

	x->head = xl_format(x);
	lx->format_set_bold(x->head);
	lx->format_set_bottom(x->head, LXW_BORDER_THIN);
	lx->format_set_text_wrap(x->head);
	lx->format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);
	for (int d = 0; d <= XL_MAX_DECIMALS; d++) {
		char f[16] = "0";

		if (d > 0) {
			strcat(f, ".");
			for (int i = 0; i < d; i++)
				strcat(f, "0");
		}
		x->num[d] = xl_format(x);
		lx->format_set_num_format(x->num[d], f);
		x->cnum[d] = xl_format(x);
		lx->format_set_num_format(x->cnum[d], f);
		lx->format_set_bg_color(x->cnum[d], 0xFFEB9C);
	}
	/* Percentages are numbers like 37.5 shown as 37.5%, the way the forms hold them. */
	x->share = xl_format(x);
	lx->format_set_num_format(x->share, "0.0\"%\"");
	x->cshare = xl_format(x);
	lx->format_set_num_format(x->cshare, "0.0\"%\"");
	lx->format_set_bg_color(x->cshare, 0xFFEB9C);
	/* A yes/no answer stays the number 1 or 0 and reads as yes or no. */
	sb_init(&clean_yes);
	sb_init(&clean_no);
	for (const char *p = _("yes"); *p; p++)
		if (*p != '"' && *p != ';')
			sb_addc(&clean_yes, *p);
	for (const char *p = _("no"); *p; p++)
		if (*p != '"' && *p != ';')
			sb_addc(&clean_no, *p);
	snprintf(yn, sizeof yn, "[=1]\"%s\";[=0]\"%s\";General", sb_str(&clean_yes), sb_str(&clean_no));
	sb_free(&clean_yes);
	sb_free(&clean_no);
	x->yesno = xl_format(x);
	lx->format_set_num_format(x->yesno, yn);
	x->cyesno = xl_format(x);
	lx->format_set_num_format(x->cyesno, yn);
	lx->format_set_bg_color(x->cyesno, 0xFFEB9C);
	x->ctext = xl_format(x);
	lx->format_set_bg_color(x->ctext, 0xFFEB9C);
	x->good = xl_format(x);
	lx->format_set_bg_color(x->good, 0xC6EFCE);
	x->warn = xl_format(x);
	lx->format_set_bg_color(x->warn, 0xFFEB9C);
	x->bad = xl_format(x);
	lx->format_set_bg_color(x->bad, 0xFFC7CE);
	x->foot = xl_format(x);
	lx->format_set_bold(x->foot);
	lx->format_set_top(x->foot, LXW_BORDER_THIN);
	x->foot_share = xl_format(x);
	lx->format_set_bold(x->foot_share);
	lx->format_set_top(x->foot_share, LXW_BORDER_THIN);
	lx->format_set_num_format(x->foot_share, "0.0\"%\"");
}

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\, not starting or
 * ending with ', and not used before (ignoring case). */
static void xl_sheet_name(struct xl *x, const char *want, const char *fallback, char *out, size_t size)
{
	struct strbuf sb;
	size_t n = strlen(want), i = 0;
	int chars = 0;

	sb_init(&sb);
	while (i < n && chars < 31) {
		wchar_t wc;
		int k = utf8_decode(want + i, n - i, &wc);

		if (k < 0) {
			i++;
			continue;
		}
		if (strchr("[]:*?/\\", want[i]) && k == 1)
			sb_addc(&sb, '_');
		else
			sb_addn(&sb, want + i, (size_t)k);
		i += (size_t)k;
		chars++;
	}
	while (sb.len && (sb.buf[sb.len - 1] == '\'' || sb.buf[sb.len - 1] == ' '))
		sb.buf[--sb.len] = '\0';
	snprintf(out, size, "%s", sb.buf && sb.buf[0] != '\'' && sb.len ? sb.buf : fallback);
	sb_free(&sb);
	for (int tries = 2;; tries++) {
		bool used = false;

		for (int j = 0; j < x->nnames; j++)
			used = used || strcasecmp(x->names[j], out) == 0;
		if (!used && lx->workbook_validate_sheet_name(x->wb, out) == LXW_NO_ERROR)
			break;
		snprintf(out, size, "%.20s %d", fallback, tries);
	}
	x->names = xreallocarray(x->names, (size_t)x->nnames + 1, sizeof *x->names);
	x->names[x->nnames++] = xstrdup(out);
}

static void xl_add_sheet(struct xl *x, struct sheet *sh, const char *want, const char *fallback)
{
	char name[256];

	memset(sh, 0, sizeof *sh);
	xl_sheet_name(x, want, fallback, name, sizeof name);
	sh->ws = lx->workbook_add_worksheet(x->wb, name);
}

static void widen(struct sheet *sh, int col, int w)
{
	if (col >= 0 && col < (int)ARRAY_LEN(sh->widths) && w > sh->widths[col])
		sh->widths[col] = w;
}

static void xl_text(struct sheet *sh, int row, int col, const char *s, lxw_format *fmt)
{
	if (!s || !*s) {
		if (fmt)
			lx->worksheet_write_blank(sh->ws, (lxw_row_t)row, (lxw_col_t)col, fmt);
		return;
	}
	/* Strings are stored as strings: Excel never runs them as formulas. */
	lx->worksheet_write_string(sh->ws, (lxw_row_t)row, (lxw_col_t)col, s, fmt);
	widen(sh, col, text_width(s));
}

static void xl_number(struct sheet *sh, int row, int col, double v, lxw_format *fmt, int width)
{
	lx->worksheet_write_number(sh->ws, (lxw_row_t)row, (lxw_col_t)col, v, fmt);
	widen(sh, col, width);
}

/* The format of a text or empty cell: a total row's, a value in conflict's, a tone's. */
static lxw_format *text_format(struct xl *x, const struct table_cell *c)
{
	if (c->foot)
		return x->foot;
	if (c->conflict)
		return x->ctext;
	switch (c->tone) {
	case RT_GOOD: return x->good;
	case RT_WARN: return x->warn;
	case RT_BAD: return x->bad;
	default: return NULL;
	}
}

/* One cell: numbers stored as numbers with the report's decimals as their format, a
 * share as the number 37.5 shown 37.5% (the way the forms hold it), yes/no as 1 or 0
 * shown as yes or no, text as a string; a column is as wide as its widest cell. */
static void xl_cell(struct xl *x, struct sheet *sh, int row, int col, const struct table_cell *c)
{
	char buf[NUM_MAX], when[64];
	int d = c->decimals > XL_MAX_DECIMALS ? XL_MAX_DECIMALS : c->decimals;

	switch (c->kind) {
	case TC_EMPTY:
		xl_text(sh, row, col, NULL, text_format(x, c));
		break;
	case TC_TEXT:
		xl_text(sh, row, col, c->text, text_format(x, c));
		break;
	case TC_TIME:   /* the laptop's local time, as the screens show it */
		fmt_time(when, sizeof when, c->text);
		xl_text(sh, row, col, c->text ? when : NULL, text_format(x, c));
		break;
	case TC_INT:
		xl_number(sh, row, col, c->num, x->num[0], snprintf(buf, sizeof buf, "%d", (int)c->num));
		break;
	case TC_NUM:
		format_decimal(buf, sizeof buf, c->num, d);
		xl_number(sh, row, col, c->num, c->conflict ? x->cnum[d] : x->num[d], (int)strlen(buf));
		break;
	case TC_SHARE:   /* its format shows one decimal, and % */
		format_decimal(buf, sizeof buf, c->num, 1);
		xl_number(sh, row, col, c->num, c->foot ? x->foot_share : c->conflict ? x->cshare : x->share,
			  (int)strlen(buf) + 1);
		break;
	case TC_YESNO:
		xl_number(sh, row, col, c->num, c->conflict ? x->cyesno : x->yesno, text_width(_("yes")));
		break;
	}
	if (c->comment)
		lx->worksheet_write_comment(sh->ws, (lxw_row_t)row, (lxw_col_t)col, c->comment);
}

/* ---- tables as sheets ------------------------------------------------------------------ */

/* A table being written as a sheet: the columns of its sheet view, a row at a time. */
struct xl_table {
	struct xl *x;
	struct sheet sh;
	int row;
};

static void xl_begin(void *ctx, const struct table *t)
{
	struct xl_table *xt = ctx;
	int n = table_sheet_ncols(t);

	xl_add_sheet(xt->x, &xt->sh, t->sheet, t->sheet_id);
	for (int j = 0; j < n; j++) {
		const char *s = table_sheet_head(t, j);

		lx->worksheet_write_string(xt->sh.ws, 0, (lxw_col_t)j, s, xt->x->head);
		widen(&xt->sh, j, text_width(s) > 30 ? 30 : text_width(s));
	}
	xt->row = 1;
}

static void xl_row(void *ctx, const struct table *t, const struct table_cell *cells)
{
	struct xl_table *xt = ctx;
	int n = table_sheet_ncols(t);

	for (int j = 0; j < n; j++) {
		const struct table_cell *c = &cells[table_sheet_col(t, j)];

		if (!c->repeated)
			xl_cell(xt->x, &xt->sh, xt->row, j, c);
	}
	xt->row++;
}

/* Widths from the display width of the widest cell (Chinese characters count two), up
 * to XL_MAX_WIDTH; the header row and the unit's columns frozen. */
static void xl_end(void *ctx, const struct table *t)
{
	struct xl_table *xt = ctx;
	struct sheet *sh = &xt->sh;

	for (int c = 0; c < table_sheet_ncols(t) && c < (int)ARRAY_LEN(sh->widths); c++) {
		int w = sh->widths[c] + 2;

		if (w > XL_MAX_WIDTH)
			w = XL_MAX_WIDTH;
		lx->worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w < 6 ? 6 : w, NULL);
	}
	lx->worksheet_freeze_panes(sh->ws, (lxw_row_t)t->freeze_row, (lxw_col_t)t->freeze_col);
}

void xlsx_tables(const struct report *r, const struct table_writer *w)
{
	switch (r->kind) {
	case RK_COMPLETENESS:
		table_matrix(r, w);
		table_completeness(r, false, w);
		table_completeness(r, true, w);
		break;
	case RK_INDICATORS:
		table_matrix(r, w);
		for (int k = 0; k < r->cur.nforms; k++)
			table_form(r, k, w);
		break;
	case RK_UNITS:
		table_units(r, w);
		break;
	case RK_TARGETS:
		table_targets(r, w);
		break;
	}
}

int report_write_xlsx(const struct report *r, const char *file, const char *shown, struct err *e)
{
	struct xl x;
	struct xl_table xt;
	struct table_writer w = { &xt, xl_begin, xl_row, xl_end };
	lxw_error rc;

	lx = xlsx_lib_load(e);
	if (!lx)
		return -1;
	memset(&x, 0, sizeof x);
	x.wb = lx->workbook_new(file);
	if (!x.wb) {
		err_set(e, _("cannot create the workbook %s"), shown);
		return -1;
	}
	xl_formats(&x);
	memset(&xt, 0, sizeof xt);
	xt.x = &x;
	xlsx_tables(r, &w);
	rc = lx->workbook_close(x.wb);
	for (int i = 0; i < x.nnames; i++)
		free(x.names[i]);
	free(x.names);
	if (rc != LXW_NO_ERROR) {
		err_set(e, _("cannot write the workbook %s: %s"), shown, lx->lxw_strerror(rc));
		return -1;
	}
	return 0;
}
