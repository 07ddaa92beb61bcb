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

static void xl_head(struct xl *x, struct sheet *sh, int col, const char *s)
{
	lx->worksheet_write_string(sh->ws, 0, (lxw_col_t)col, s, x->head);
	widen(sh, col, text_width(s) > 30 ? 30 : text_width(s));
}

static void xl_int(struct xl *x, struct sheet *sh, int row, int col, int v)
{
	char buf[32];

	lx->worksheet_write_number(sh->ws, (lxw_row_t)row, (lxw_col_t)col, v, x->num[0]);
	widen(sh, col, snprintf(buf, sizeof buf, "%d", v));
}

/* A number with its decimals; "n/a" as text; nothing as a blank cell. */
static void xl_num(struct xl *x, struct sheet *sh, int row, int col, struct ev v, int decimals, bool share,
		   bool conflict)
{
	char buf[64];

	if (decimals > XL_MAX_DECIMALS)
		decimals = XL_MAX_DECIMALS;
	if (v.kind == EV_NA) {
		xl_text(sh, row, col, _("n/a"), conflict ? x->ctext : NULL);
		return;
	}
	if (v.kind != EV_NUM) {
		if (conflict)
			lx->worksheet_write_blank(sh->ws, (lxw_row_t)row, (lxw_col_t)col, x->ctext);
		return;
	}
	lx->worksheet_write_number(sh->ws, (lxw_row_t)row, (lxw_col_t)col, v.num,
			       share ? (conflict ? x->cshare : x->share) : conflict ? x->cnum[decimals] : x->num[decimals]);
	format_decimal(buf, sizeof buf, v.num, decimals);
	widen(sh, col, (int)strlen(buf) + (share ? 1 : 0));
}

static void xl_comment(struct sheet *sh, int row, int col, const char *text)
{
	lx->worksheet_write_comment(sh->ws, (lxw_row_t)row, (lxw_col_t)col, text);
}

static void xl_finish(struct sheet *sh, int ncols, int freeze_row, int freeze_col)
{
	for (int c = 0; c < ncols && c < (int)ARRAY_LEN(sh->widths); c++) {
		int w = sh->widths[c] + 2;

		lx->worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w > XL_MAX_WIDTH ? XL_MAX_WIDTH : w < 6 ? 6 : w,
				     NULL);
	}
	lx->worksheet_freeze_panes(sh->ws, (lxw_row_t)freeze_row, (lxw_col_t)freeze_col);
}

static lxw_format *state_format(struct xl *x, enum form_state s)
{
	return s == FST_COMPLETE ? x->good : s == FST_PROGRESS ? x->warn : x->bad;
}

/* Units as rows, forms as columns, the share complete per unit and per form. */
static void xl_completeness(struct xl *x, const struct report *r)
{
	struct sheet sh;
	int nf = r->cur.nforms, row = 1;
	struct strbuf sb;

	xl_add_sheet(x, &sh, _("Completeness"), "completeness");
	sb_init(&sb);
	xl_head(x, &sh, 0, _("Unit code"));
	xl_head(x, &sh, 1, _("Unit"));
	for (int k = 0; k < nf; k++)
		xl_head(x, &sh, 2 + k, fmt_form_title(r->cur.forms[k].form));
	xl_head(x, &sh, 2 + nf, _("Share complete"));
	for (int u = 0; u < r->nunits; u++, row++) {
		const struct report_unit_row *ur = &r->units[u];

		xl_text(&sh, row, 0, ur->unit->code, NULL);
		xl_text(&sh, row, 1, fmt_unit_name(ur->unit), NULL);
		for (int k = 0; k < nf; k++) {
			const struct report_entry *en = ur->cells[k];

			if (!en)
				continue;
			sb_reset(&sb);
			sb_add(&sb, form_status_word(en->state));
			if (en->nconflicts)
				sb_add(&sb, " !");
			xl_text(&sh, row, 2 + k, sb_str(&sb), state_format(x, en->state));
			if (en->nconflicts) {
				sb_reset(&sb);
				sb_addf(&sb, _("%d value(s) in conflict between installations"), en->nconflicts);
				xl_comment(&sh, row, 2 + k, sb_str(&sb));
			}
		}
		xl_num(x, &sh, row, 2 + nf, ev_num(report_percent(ur->ncomplete, ur->nforms)), 1, true, false);
	}
	xl_text(&sh, row, 1, _("Share complete"), x->foot);
	for (int k = 0; k < nf; k++) {
		const struct report_form *rf = &r->cur.forms[k];

		lx->worksheet_write_number(sh.ws, (lxw_row_t)row, (lxw_col_t)(2 + k), report_percent(rf->ncomplete, rf->nentries),
				       x->foot_share);
	}
	lx->worksheet_write_number(sh.ws, (lxw_row_t)row, (lxw_col_t)(2 + nf), report_percent(r->complete, r->total),
			       x->foot_share);
	sb_free(&sb);
	xl_finish(&sh, 3 + nf, 1, 2);
}

/* Who and when, and the list of what is missing: the completeness report's other sheets. */
static void xl_completeness_details(struct xl *x, const struct report *r)
{
	struct sheet sh, ms;
	const char *head[] = { _("Unit code"), _("Unit"), _("Form"), _("State"), _("Changed by"), _("Changed at"),
			       _("Values"), _("Values in conflict") };
	int row = 1, mrow = 1;
	char when[64];

	xl_add_sheet(x, &sh, _("Who and when"), "details");
	xl_add_sheet(x, &ms, _("Still missing"), "missing");
	for (int c = 0; c < (int)ARRAY_LEN(head); c++)
		xl_head(x, &sh, c, head[c]);
	for (int c = 0; c < 4; c++)
		xl_head(x, &ms, c, head[c]);
	for (int u = 0; u < r->nunits; u++) {
		const struct report_unit_row *ur = &r->units[u];

		for (int k = 0; k < r->cur.nforms; k++) {
			const struct report_entry *en = ur->cells[k];

			if (!en)
				continue;
			xl_text(&sh, row, 0, ur->unit->code, NULL);
			xl_text(&sh, row, 1, fmt_unit_name(ur->unit), NULL);
			xl_text(&sh, row, 2, fmt_form_title(r->cur.forms[k].form), NULL);
			xl_text(&sh, row, 3, form_status_word(en->state), state_format(x, en->state));
			xl_text(&sh, row, 4, en->changed_by, NULL);
			fmt_time(when, sizeof when, en->changed_at);
			xl_text(&sh, row, 5, en->changed_at ? when : "", NULL);
			xl_int(x, &sh, row, 6, en->nvalues);
			xl_int(x, &sh, row, 7, en->nconflicts);
			row++;
			if (en->state != FST_COMPLETE) {
				xl_text(&ms, mrow, 0, ur->unit->code, NULL);
				xl_text(&ms, mrow, 1, fmt_unit_name(ur->unit), NULL);
				xl_text(&ms, mrow, 2, fmt_form_title(r->cur.forms[k].form), NULL);
				xl_text(&ms, mrow, 3, form_status_word(en->state), state_format(x, en->state));
				mrow++;
			}
		}
	}
	xl_finish(&sh, (int)ARRAY_LEN(head), 1, 2);
	xl_finish(&ms, 4, 1, 2);
}

static void xl_header_label(struct strbuf *sb, const struct field *fd)
{
	sb_reset(sb);
	sb_add(sb, fmt_field_label(fd));
	if (*fd->unit)
		sb_addf(sb, " (%s)", fd->unit);
	else if (fd->type == FT_YESNO)
		sb_add(sb, _(" (yes/no; township: share saying yes)"));
}

/* A form: units as rows, every field as a column, the township's figures below. */
static void xl_form(struct xl *x, const struct report *r, int k)
{
	const struct report_form *rf = &r->cur.forms[k];
	const struct form *f = rf->form;
	bool prev = fmt_show_prev(r);
	struct sheet sh;
	struct strbuf sb;
	int row = 1, c0 = 3;

	xl_add_sheet(x, &sh, fmt_form_title(f), f->id);
	sb_init(&sb);
	xl_head(x, &sh, 0, _("Unit code"));
	xl_head(x, &sh, 1, _("Unit"));
	xl_head(x, &sh, 2, _("State"));
	for (int i = 0; i < f->nfields; i++) {
		xl_header_label(&sb, &f->fields[i]);
		xl_head(x, &sh, c0 + i, sb_str(&sb));
	}
	for (int ei = 0; ei < rf->nentries; ei++, row++) {
		const struct report_entry *en = &rf->entries[ei];

		xl_text(&sh, row, 0, en->unit->code, NULL);
		xl_text(&sh, row, 1, fmt_unit_name(en->unit), NULL);
		xl_text(&sh, row, 2, form_status_word(en->state), state_format(x, en->state));
		for (int i = 0; i < f->nfields; i++) {
			const struct field *fd = &f->fields[i];
			struct ev v = report_entry_value(en, i);
			int nc = report_entry_conflicts(r, en, k, i);
			int col = c0 + i;

			switch (fd->type) {
			case FT_TEXT:
			case FT_DATE:
				/* Like the numbers: a value skipped or no longer accepted is not given. */
				xl_text(&sh, row, col, report_stored_value(en, i) == RS_USED ? en->values[i].text : NULL,
					nc ? x->ctext : NULL);
				break;
			case FT_CHOICE: {
				char label[256];

				field_format(fd, v, label, sizeof label);
				xl_text(&sh, row, col, v.kind == EV_NUM ? label : "", nc ? x->ctext : NULL);
				break;
			}
			case FT_YESNO:
				if (v.kind == EV_NUM) {
					lx->worksheet_write_number(sh.ws, (lxw_row_t)row, (lxw_col_t)col, v.num != 0 ? 1 : 0,
							       nc ? x->cyesno : x->yesno);
					widen(&sh, col, text_width(_("yes")));
				} else if (nc) {
					lx->worksheet_write_blank(sh.ws, (lxw_row_t)row, (lxw_col_t)col, x->ctext);
				}
				break;
			default:
				xl_num(x, &sh, row, col, v, fmt_decimals(fd, fmt_unit_agg(fd)), false, nc > 0);
				break;
			}
			if (nc) {
				sb_reset(&sb);
				if (en->values[i].conflict) {
					sb_add(&sb, _("In conflict between installations, not decided yet. Other value(s): "));
					fmt_alts(&sb, en, i);
				} else {
					sb_addf(&sb, _("Computed from %d value(s) in conflict."), nc);
				}
				xl_comment(&sh, row, col, sb_str(&sb));
			}
		}
	}

	/* The township: figure, coverage, target, met, and the period before. */
	{
		const char *labels[] = { _("Township"), _("Units covered"), _("Target"), _("Met"), r->prev.period,
					 _("Change") };
		int nrows = prev ? 6 : 4;

		for (int j = 0; j < nrows; j++)
			xl_text(&sh, row + j, 1, labels[j], j == 0 ? x->foot : NULL);
		sb_reset(&sb);
		sb_addf(&sb, _("%d of %d complete"), rf->ncomplete, rf->nentries);
		xl_text(&sh, row, 2, sb_str(&sb), x->foot);
		lx->worksheet_write_blank(sh.ws, (lxw_row_t)row, 0, x->foot);
		for (int i = 0; i < f->nfields; i++) {
			const struct field *fd = &f->fields[i];
			const struct report_figure *fg = &rf->figures[i];
			const struct report_figure *pf = prev ? &r->prev.forms[k].figures[i] : NULL;
			int col = c0 + i, dec = fmt_decimals(fd, fg->agg);
			bool share = fg->agg == RA_SHARE;

			if (fg->agg == RA_CHOICE) {
				sb_reset(&sb);
				for (int c = 0; c < fd->nchoices; c++)
					sb_addf(&sb, "%s%s: %d", c ? "; " : "",
						i18n_pick(fd->choices[c].label, fd->choices[c].label_en), fg->choices[c]);
				xl_text(&sh, row, col, sb_str(&sb), x->foot);
			} else if (fg->agg == RA_NONE) {
				lx->worksheet_write_blank(sh.ws, (lxw_row_t)row, (lxw_col_t)col, x->foot);
			} else {
				xl_num(x, &sh, row, col, fg->value, dec, share, fg->nconflicts > 0);
				if (fg->value.kind == EV_MISSING)
					lx->worksheet_write_blank(sh.ws, (lxw_row_t)row, (lxw_col_t)col, x->foot);
			}
			if (fg->nconflicts) {
				sb_reset(&sb);
				sb_addf(&sb, _("Includes %d value(s) in conflict; the current values are counted."),
					fg->nconflicts);
				xl_comment(&sh, row, col, sb_str(&sb));
			}
			sb_reset(&sb);
			sb_addf(&sb, "%d/%d", fg->n, fg->m);
			xl_text(&sh, row + 1, col, sb_str(&sb), NULL);
			if (fd->target.op != TG_NONE) {
				xl_text(&sh, row + 2, col, fd->target.text, NULL);
				xl_text(&sh, row + 3, col, fmt_met(fg->met), fg->met > 0 ? x->good : fg->met == 0 ? x->bad : NULL);
			}
			if (prev && fg->agg != RA_CHOICE && fg->agg != RA_NONE) {
				xl_num(x, &sh, row + 4, col, pf->value, dec, share, false);
				xl_num(x, &sh, row + 5, col, report_change(fg->value, pf->value), dec, false, false);
			}
		}
	}
	sb_free(&sb);
	xl_finish(&sh, c0 + f->nfields, 1, 2);
}

static void xl_units(struct xl *x, const struct report *r)
{
	const struct report_ranking *rk = &r->ranking;
	const struct report_form *rf;
	const struct field *fd;
	const struct report_figure *fg;
	const char *head[] = { _("Rank"), _("Unit code"), _("Unit"), _("Value"), _("Met"), _("State"), _("Target") };
	struct sheet sh;
	char tgt[96];
	int row = 2;

	if (rk->form < 0) {
		xl_add_sheet(x, &sh, _("By unit"), "units");
		return;
	}
	rf = &r->cur.forms[rk->form];
	fd = &rf->form->fields[rk->field];
	fg = &rf->figures[rk->field];
	xl_add_sheet(x, &sh, fmt_field_label(fd), fd->code);
	for (int c = 0; c < (int)ARRAY_LEN(head); c++)
		xl_head(x, &sh, c, head[c]);
	fmt_target(tgt, sizeof tgt, fd);
	xl_text(&sh, 1, 1, r->township ? r->township->code : "", x->foot);
	xl_text(&sh, 1, 2, _("Township"), x->foot);
	xl_num(x, &sh, 1, 3, fg->value, fmt_decimals(fd, fg->agg), fg->agg == RA_SHARE, fg->nconflicts > 0);
	xl_text(&sh, 1, 4, fmt_met(fg->met), fg->met > 0 ? x->good : fg->met == 0 ? x->bad : NULL);
	xl_text(&sh, 1, 6, tgt, NULL);
	for (int i = 0; i < rk->nrows; i++, row++) {
		const struct report_unit_value *uv = &rk->rows[i];

		if (uv->rank)
			xl_int(x, &sh, row, 0, uv->rank);
		xl_text(&sh, row, 1, uv->entry->unit->code, NULL);
		xl_text(&sh, row, 2, fmt_unit_name(uv->entry->unit), NULL);
		if (fd->type == FT_YESNO && uv->value.kind == EV_NUM) {
			/* Drawn on the target's scale: yes is 100%, no 0%. */
			lx->worksheet_write_number(sh.ws, (lxw_row_t)row, 3, uv->value.num, uv->nconflicts ? x->cshare : x->share);
			widen(&sh, 3, 6);
		} else {
			xl_num(x, &sh, row, 3, uv->value, fmt_decimals(fd, fmt_unit_agg(fd)), false, uv->nconflicts > 0);
		}
		xl_text(&sh, row, 4, fmt_met(uv->met), uv->met > 0 ? x->good : uv->met == 0 ? x->bad : NULL);
		xl_text(&sh, row, 5, form_status_word(uv->entry->state), NULL);
	}
	xl_finish(&sh, (int)ARRAY_LEN(head), 1, 3);
}

static void xl_targets(struct xl *x, const struct report *r)
{
	const char *head[] = { _("Form"), _("Field"), _("Indicator"), _("Target"), _("Unit code"), _("Unit"), _("Value"),
			       _("Met"), _("Values in conflict"), _("Previous value"), _("Change"), _("Reporting units"),
			       _("Units asked"), _("Source") };
	bool prev = fmt_show_prev(r);
	struct sheet sh;
	int row = 1;
	char tgt[96];

	xl_add_sheet(x, &sh, _("Targets"), "targets");
	for (int c = 0; c < (int)ARRAY_LEN(head); c++)
		xl_head(x, &sh, c, head[c]);
	for (int t = 0; t < r->ntargets; t++) {
		const struct report_target *tg = &r->targets[t];
		const struct report_form *rf = &r->cur.forms[tg->form];
		const struct field *fd = &rf->form->fields[tg->field];
		const struct report_figure *fg = &rf->figures[tg->field];
		const struct report_figure *pf = prev ? &r->prev.forms[tg->form].figures[tg->field] : NULL;
		int dec = fmt_decimals(fd, fg->agg);
		bool share = fg->agg == RA_SHARE || fd->type == FT_YESNO;

		fmt_target(tgt, sizeof tgt, fd);
		for (int u = -1; u < tg->nunits; u++, row++) {
			const struct report_unit_value *uv = u >= 0 ? &tg->units[u] : NULL;

			xl_text(&sh, row, 0, rf->form->id, NULL);
			xl_text(&sh, row, 1, fd->code, NULL);
			xl_text(&sh, row, 2, fmt_field_label(fd), NULL);
			xl_text(&sh, row, 3, tgt, NULL);
			if (!uv) {
				xl_text(&sh, row, 4, r->township ? r->township->code : "", x->foot);
				xl_text(&sh, row, 5, _("Township"), x->foot);
				xl_num(x, &sh, row, 6, fg->value, dec, share, fg->nconflicts > 0);
				xl_text(&sh, row, 7, fmt_met(fg->met), fg->met > 0 ? x->good : fg->met == 0 ? x->bad : NULL);
				xl_int(x, &sh, row, 8, fg->nconflicts);
				if (pf) {
					xl_num(x, &sh, row, 9, pf->value, dec, share, false);
					xl_num(x, &sh, row, 10, report_change(fg->value, pf->value), dec, false, false);
				}
				xl_int(x, &sh, row, 11, fg->n);
				xl_int(x, &sh, row, 12, fg->m);
			} else {
				int udec = fd->type == FT_YESNO ? 1 : fmt_decimals(fd, fmt_unit_agg(fd));

				xl_text(&sh, row, 4, uv->entry->unit->code, NULL);
				xl_text(&sh, row, 5, fmt_unit_name(uv->entry->unit), NULL);
				xl_num(x, &sh, row, 6, uv->value, udec, fd->type == FT_YESNO, uv->nconflicts > 0);
				xl_text(&sh, row, 7, fmt_met(uv->met), uv->met > 0 ? x->good : uv->met == 0 ? x->bad : NULL);
				xl_int(x, &sh, row, 8, uv->nconflicts);
				if (prev) {
					xl_num(x, &sh, row, 9, uv->prev, udec, fd->type == FT_YESNO, false);
					if (fd->type != FT_YESNO)
						xl_num(x, &sh, row, 10, report_change(uv->value, uv->prev), udec, false, false);
				}
			}
			xl_text(&sh, row, 13, i18n_pick(fd->target.source, fd->target.source_en), NULL);
		}
	}
	xl_finish(&sh, (int)ARRAY_LEN(head), 1, 3);
}

int report_write_xlsx(const struct report *r, const char *file, const char *shown, struct err *e)
{
	struct xl x;
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
	switch (r->kind) {
	case RK_COMPLETENESS:
		xl_completeness(&x, r);
		xl_completeness_details(&x, r);
		break;
	case RK_INDICATORS:
		xl_completeness(&x, r);
		for (int k = 0; k < r->cur.nforms; k++)
			xl_form(&x, r, k);
		break;
	case RK_UNITS:
		xl_units(&x, r);
		break;
	case RK_TARGETS:
		xl_targets(&x, r);
		break;
	}
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
