/* table.c - the tables of the spreadsheet formats (see table.h). */
#include "report/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/form_status.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "report/format.h"

int table_sheet_ncols(const struct table *t)
{
	return t->sheet_cols ? t->nsheet_cols : t->ncols;
}

int table_sheet_col(const struct table *t, int j)
{
	return t->sheet_cols ? t->sheet_cols[j] : j;
}

const char *table_sheet_head(const struct table *t, int j)
{
	const struct table_col *c = &t->cols[table_sheet_col(t, j)];

	return c->sheet_head ? c->sheet_head : c->head;
}

/* ---- cells ---------------------------------------------------------------------------- */

static void clear(struct table_cell *c, int n)
{
	memset(c, 0, (size_t)n * sizeof *c);
}

static void text(struct table_cell *c, const char *s)
{
	c->kind = TC_TEXT;
	c->text = s;
}

static void whole(struct table_cell *c, int n)
{
	c->kind = TC_INT;
	c->num = n;
}

/* A value with its decimals: a number, "n/a" as text, nothing as an empty cell. */
static void value(struct table_cell *c, struct ev v, int decimals, bool share)
{
	if (v.kind == EV_NA) {
		text(c, _("n/a"));
	} else if (v.kind == EV_NUM) {
		c->kind = share ? TC_SHARE : TC_NUM;
		c->num = v.num;
		c->decimals = decimals;
	} else {
		c->kind = TC_EMPTY;
	}
}

static void met(struct table_cell *c, int m)
{
	text(c, fmt_met(m));
	c->tone = fmt_met_tone(m);
}

static void emit_table(const struct table_writer *w, const struct table *t)
{
	if (w->begin)
		w->begin(w->ctx, t);
}

static void emit_row(const struct table_writer *w, const struct table *t, const struct table_cell *cells)
{
	w->row(w->ctx, t, cells);
}

static void emit_end(const struct table_writer *w, const struct table *t)
{
	if (w->end)
		w->end(w->ctx, t);
}

/* ---- completeness --------------------------------------------------------------------- */

enum { CP_PERIOD, CP_CODE, CP_UNIT, CP_FORM, CP_TITLE, CP_STATE, CP_BY, CP_AT, CP_VALUES, CP_CONFLICTS, CP_N };

/* A sheet heads the form by its title, and leaves out the period and the form's id. */
static const int completeness_sheet[] = { CP_CODE, CP_UNIT, CP_TITLE, CP_STATE, CP_BY, CP_AT, CP_VALUES, CP_CONFLICTS };
static const int missing_sheet[] = { CP_CODE, CP_UNIT, CP_TITLE, CP_STATE };

void table_completeness(const struct report *r, bool missing_only, const struct table_writer *w)
{
	const struct table_col cols[CP_N] = {
		[CP_PERIOD] = { _("Period"), NULL },       [CP_CODE] = { _("Unit code"), NULL },
		[CP_UNIT] = { _("Unit"), NULL },           [CP_FORM] = { _("Form"), NULL },
		[CP_TITLE] = { _("Form title"), _("Form") }, [CP_STATE] = { _("State"), NULL },
		[CP_BY] = { _("Changed by"), NULL },       [CP_AT] = { _("Changed at"), NULL },
		[CP_VALUES] = { _("Values"), NULL },       [CP_CONFLICTS] = { _("Values in conflict"), NULL },
	};
	struct table t = { missing_only ? _("Still missing") : _("Who and when"), missing_only ? "missing" : "details",
			   cols, CP_N, missing_only ? missing_sheet : completeness_sheet,
			   missing_only ? (int)ARRAY_LEN(missing_sheet) : (int)ARRAY_LEN(completeness_sheet), 1, 2 };
	struct table_cell c[CP_N];

	emit_table(w, &t);
	for (int u = 0; u < r->nunits; u++) {
		const struct report_unit_row *ur = &r->units[u];

		for (int k = 0; k < r->cur.nforms; k++) {
			const struct report_entry *en = ur->cells[k];

			if (!en || (missing_only && en->state == FST_COMPLETE))
				continue;
			clear(c, CP_N);
			text(&c[CP_PERIOD], r->cur.period);
			text(&c[CP_CODE], ur->unit->code);
			text(&c[CP_UNIT], fmt_unit_name(ur->unit));
			text(&c[CP_FORM], r->cur.forms[k].form->id);
			text(&c[CP_TITLE], fmt_form_title(r->cur.forms[k].form));
			text(&c[CP_STATE], form_status_word(en->state));
			c[CP_STATE].tone = fmt_state_tone(en->state);
			text(&c[CP_BY], en->changed_by);
			c[CP_AT].kind = TC_TIME;
			c[CP_AT].text = en->changed_at;
			whole(&c[CP_VALUES], en->nvalues);
			whole(&c[CP_CONFLICTS], en->nconflicts);
			emit_row(w, &t, c);
		}
	}
	emit_end(w, &t);
}

/* The matrix's columns: the unit's code and name, a form each, the share complete. */
static void matrix_row(const struct report *r, const struct report_unit_row *ur, struct table_cell *c,
		       struct strbuf *st, struct strbuf *note)
{
	int nf = r->cur.nforms;

	text(&c[0], ur->unit->code);
	text(&c[1], fmt_unit_name(ur->unit));
	for (int k = 0; k < nf; k++) {
		const struct report_entry *en = ur->cells[k];

		if (!en)
			continue;
		sb_add(&st[k], form_status_word(en->state));
		if (en->nconflicts) {
			sb_add(&st[k], " !");
			sb_addf(&note[k], _("%d value(s) in conflict between installations"), en->nconflicts);
			c[2 + k].comment = sb_str(&note[k]);
		}
		text(&c[2 + k], sb_str(&st[k]));
		c[2 + k].tone = fmt_state_tone(en->state);
	}
	value(&c[2 + nf], ev_num(report_percent(ur->ncomplete, ur->nforms)), 1, true);
}

void table_matrix(const struct report *r, const struct table_writer *w)
{
	int nf = r->cur.nforms, n = nf + 3;
	struct table_col *cols = xcalloc((size_t)n, sizeof *cols);
	struct table_cell *c = xcalloc((size_t)n, sizeof *c);
	struct strbuf *st = xcalloc((size_t)nf + 1, sizeof *st), *note = xcalloc((size_t)nf + 1, sizeof *note);
	struct table t = { _("Completeness"), "completeness", cols, n, NULL, 0, 1, 2 };

	cols[0].head = _("Unit code");
	cols[1].head = _("Unit");
	for (int k = 0; k < nf; k++) {
		cols[2 + k].head = fmt_form_title(r->cur.forms[k].form);
		sb_init(&st[k]);
		sb_init(&note[k]);
	}
	cols[2 + nf].head = _("Share complete");
	emit_table(w, &t);
	for (int u = 0; u < r->nunits; u++) {
		clear(c, n);
		for (int k = 0; k < nf; k++) {
			sb_reset(&st[k]);
			sb_reset(&note[k]);
		}
		matrix_row(r, &r->units[u], c, st, note);
		emit_row(w, &t, c);
	}
	/* The share complete per form, and of all forms. */
	clear(c, n);
	text(&c[1], _("Share complete"));
	c[1].foot = true;
	for (int k = 0; k < nf; k++)
		value(&c[2 + k], ev_num(report_percent(r->cur.forms[k].ncomplete, r->cur.forms[k].nentries)), 1, true);
	value(&c[2 + nf], ev_num(report_percent(r->complete, r->total)), 1, true);
	for (int k = 0; k <= nf; k++)
		c[2 + k].foot = true;
	emit_row(w, &t, c);
	emit_end(w, &t);
	for (int k = 0; k < nf; k++) {
		sb_free(&st[k]);
		sb_free(&note[k]);
	}
	free(st);
	free(note);
	free(c);
	free(cols);
}

/* ---- indicators ----------------------------------------------------------------------- */

enum {
	IN_PERIOD, IN_FORM, IN_FIELD, IN_LABEL, IN_CHOICE, IN_MEASURE, IN_VALUE, IN_SHOWN, IN_N, IN_M, IN_CONFLICTS,
	IN_TARGET, IN_MET, IN_PREV_PERIOD, IN_PREV, IN_CHANGE, IN_NCOLS
};

/* A field's row (choice < 0), or the row of one of its choices. */
static void indicator_row(const struct report *r, int k, int i, int choice, struct table_cell *c, char *shown,
			  size_t size)
{
	const struct report_form *rf = &r->cur.forms[k];
	const struct field *fd = &rf->form->fields[i];
	const struct report_figure *fg = &rf->figures[i];
	const struct report_figure *pf = fmt_show_prev(r) ? &r->prev.forms[k].figures[i] : NULL;
	int dec = fmt_decimals(fd, fg->agg);
	bool is_choice = fg->agg == RA_CHOICE, share = fg->agg == RA_SHARE;

	clear(c, IN_NCOLS);
	text(&c[IN_PERIOD], r->cur.period);
	text(&c[IN_FORM], rf->form->id);
	text(&c[IN_FIELD], fd->code);
	text(&c[IN_LABEL], fmt_field_label(fd));
	if (choice < 0) {
		text(&c[IN_MEASURE], is_choice ? "" : fmt_measure(fd, fg->agg));
		if (!is_choice) {
			fmt_figure(shown, size, fd, fg->agg, fg->value, true);
			value(&c[IN_VALUE], fg->value, dec, share);
			text(&c[IN_SHOWN], fg->value.kind == EV_MISSING ? "" : shown);
		}
		if (fd->target.op != TG_NONE)
			text(&c[IN_TARGET], fd->target.text);
		text(&c[IN_MET], fmt_met(fg->met));
	} else {
		text(&c[IN_CHOICE], i18n_pick(fd->choices[choice].label, fd->choices[choice].label_en));
		whole(&c[IN_VALUE], fg->choices[choice]);
		snprintf(shown, size, "%d", fg->choices[choice]);
		text(&c[IN_SHOWN], shown);
	}
	whole(&c[IN_N], fg->n);
	whole(&c[IN_M], fg->m);
	whole(&c[IN_CONFLICTS], fg->nconflicts);
	text(&c[IN_PREV_PERIOD], r->has_prev_period ? r->prev.period : "");
	if (choice < 0 && !is_choice) {
		value(&c[IN_PREV], pf ? pf->value : ev_missing(), dec, share);
		value(&c[IN_CHANGE], report_change(fg->value, pf ? pf->value : ev_missing()), dec, false);
	} else if (choice >= 0 && pf) {
		whole(&c[IN_PREV], pf->choices[choice]);
		whole(&c[IN_CHANGE], fg->choices[choice] - pf->choices[choice]);
	}
}

void table_indicators(const struct report *r, const struct table_writer *w)
{
	const struct table_col cols[IN_NCOLS] = {
		[IN_PERIOD] = { _("Period"), NULL },          [IN_FORM] = { _("Form"), NULL },
		[IN_FIELD] = { _("Field"), NULL },            [IN_LABEL] = { _("Indicator"), NULL },
		[IN_CHOICE] = { _("Choice"), NULL },          [IN_MEASURE] = { _("Unit of measure"), NULL },
		[IN_VALUE] = { _("Value"), NULL },            [IN_SHOWN] = { _("Shown"), NULL },
		[IN_N] = { _("Reporting units"), NULL },      [IN_M] = { _("Units asked"), NULL },
		[IN_CONFLICTS] = { _("Values in conflict"), NULL }, [IN_TARGET] = { _("Target"), NULL },
		[IN_MET] = { _("Met"), NULL },                [IN_PREV_PERIOD] = { _("Previous period"), NULL },
		[IN_PREV] = { _("Previous value"), NULL },    [IN_CHANGE] = { _("Change"), NULL },
	};
	struct table t = { _("Indicators"), "indicators", cols, IN_NCOLS, NULL, 0, 1, 4 };
	struct table_cell c[IN_NCOLS];
	char shown[FIG_MAX];

	emit_table(w, &t);
	for (int k = 0; k < r->cur.nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];

		for (int i = 0; i < rf->form->nfields; i++) {
			const struct field *fd = &rf->form->fields[i];
			const struct report_figure *fg = &rf->figures[i];

			if (fg->agg == RA_NONE)
				continue;
			for (int ch = -1; ch < (fg->agg == RA_CHOICE ? fd->nchoices : 0); ch++) {
				indicator_row(r, k, i, ch, c, shown, sizeof shown);
				emit_row(w, &t, c);
			}
		}
	}
	emit_end(w, &t);
}

/* ---- a form's sheet ------------------------------------------------------------------- */

#define FORM_C0 3   /* the first field's column, after the unit's code, name and state */

/* The text a form's sheet makes per field: its header, a cell's text, a cell's note. */
struct form_texts {
	struct strbuf *head, *text, *note;
	int n;
};

static void form_texts_reset(struct form_texts *ft)
{
	for (int i = 0; i < ft->n; i++) {
		sb_reset(&ft->text[i]);
		sb_reset(&ft->note[i]);
	}
}

/* A header: the field's label with its unit of measure. */
static void form_header(struct strbuf *sb, const struct field *fd)
{
	sb_add(sb, fmt_field_label(fd));
	if (*fd->unit)
		sb_addf(sb, " (%s)", fd->unit);
	else if (fd->type == FT_YESNO)
		sb_add(sb, _(" (yes/no; township: share saying yes)"));
}

/* A unit's value of field i, as typed or computed; what the form no longer counts is
 * not given. */
static void form_value(const struct report *r, int k, const struct report_entry *en, int i, struct table_cell *c,
		       struct strbuf *label, struct strbuf *note)
{
	const struct field *fd = &r->cur.forms[k].form->fields[i];
	struct ev v = report_entry_value(en, i);
	int nc = report_entry_conflicts(r, en, k, i);

	switch (fd->type) {
	case FT_TEXT:
	case FT_DATE:
		/* Like the numbers: a value skipped or no longer accepted is not given. */
		text(c, report_stored_value(en, i) == RS_USED ? en->values[i].text : NULL);
		break;
	case FT_CHOICE: {
		char buf[256];

		field_format(fd, v, buf, sizeof buf);
		sb_add(label, v.kind == EV_NUM ? buf : "");
		text(c, sb_str(label));
		break;
	}
	case FT_YESNO:
		if (v.kind == EV_NUM) {
			c->kind = TC_YESNO;
			c->num = v.num != 0 ? 1 : 0;
		}
		break;
	default:
		value(c, v, fmt_decimals(fd, fmt_unit_agg(fd)), false);
		break;
	}
	c->conflict = nc > 0;
	if (en->values[i].comment && report_stored_value(en, i) == RS_USED)
		sb_addf(note, _("Comment: %s (%s)"), en->values[i].comment, en->values[i].updated_by);
	if (nc) {
		if (note->len)
			sb_addc(note, '\n');
		if (en->values[i].conflict) {
			sb_add(note, _("In conflict between installations, not decided yet. Other value(s): "));
			fmt_alts(note, en, i);
		} else {
			sb_addf(note, _("Computed from %d value(s) in conflict."), nc);
		}
	}
	if (note->len)
		c->comment = sb_str(note);
}

/* The township's figures, the first row under the units. */
static void form_township(const struct report *r, int k, struct table_cell *c, struct form_texts *ft,
			  struct strbuf *done)
{
	const struct report_form *rf = &r->cur.forms[k];
	const struct form *f = rf->form;

	c[0].foot = true;
	text(&c[1], _("Township"));
	c[1].foot = true;
	sb_addf(done, _("%d of %d complete"), rf->ncomplete, rf->nentries);
	text(&c[2], sb_str(done));
	c[2].foot = true;
	for (int i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		const struct report_figure *fg = &rf->figures[i];
		struct table_cell *ci = &c[FORM_C0 + i];

		if (fg->agg == RA_CHOICE) {
			for (int ch = 0; ch < fd->nchoices; ch++)
				sb_addf(&ft->text[i], "%s%s: %d", ch ? "; " : "",
					i18n_pick(fd->choices[ch].label, fd->choices[ch].label_en), fg->choices[ch]);
			text(ci, sb_str(&ft->text[i]));
			ci->foot = true;
		} else if (fg->agg == RA_NONE) {
			ci->foot = true;
		} else {
			/* A number keeps its number format; only an empty cell takes the row's. */
			value(ci, fg->value, fmt_decimals(fd, fg->agg), fg->agg == RA_SHARE);
			ci->conflict = fg->nconflicts > 0;
			ci->foot = fg->value.kind == EV_MISSING;
		}
		if (fg->nconflicts) {
			sb_addf(&ft->note[i], _("Includes %d value(s) in conflict; the current values are counted."),
				fg->nconflicts);
			ci->comment = sb_str(&ft->note[i]);
		}
	}
}

/* Row j under the township's figures: the units covered, the target, met; the period
 * before and the change when it is shown. */
static void form_below(const struct report *r, int k, int j, struct table_cell *c, struct form_texts *ft)
{
	const struct report_form *rf = &r->cur.forms[k];
	const struct form *f = rf->form;
	const char *labels[] = { _("Units covered"), _("Target"), _("Met"), r->prev.period, _("Change") };

	text(&c[1], labels[j]);
	for (int i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		const struct report_figure *fg = &rf->figures[i];
		const struct report_figure *pf = j >= 3 ? &r->prev.forms[k].figures[i] : NULL;
		struct table_cell *ci = &c[FORM_C0 + i];
		int dec = fmt_decimals(fd, fg->agg);
		bool numeric = fg->agg != RA_CHOICE && fg->agg != RA_NONE;

		if (j == 0) {
			sb_addf(&ft->text[i], "%d/%d", fg->n, fg->m);
			text(ci, sb_str(&ft->text[i]));
		} else if (j == 1 && fd->target.op != TG_NONE) {
			text(ci, fd->target.text);
		} else if (j == 2 && fd->target.op != TG_NONE) {
			met(ci, fg->met);
		} else if (j == 3 && numeric) {
			value(ci, pf->value, dec, fg->agg == RA_SHARE);
		} else if (j == 4 && numeric) {
			value(ci, report_change(fg->value, pf->value), dec, false);
		}
	}
}

void table_form(const struct report *r, int k, const struct table_writer *w)
{
	const struct report_form *rf = &r->cur.forms[k];
	const struct form *f = rf->form;
	int n = FORM_C0 + f->nfields, nf = f->nfields;
	struct table_col *cols = xcalloc((size_t)n, sizeof *cols);
	struct table_cell *c = xcalloc((size_t)n, sizeof *c);
	struct form_texts ft = { xcalloc((size_t)nf + 1, sizeof *ft.head), xcalloc((size_t)nf + 1, sizeof *ft.text),
				 xcalloc((size_t)nf + 1, sizeof *ft.note), nf };
	struct table t = { fmt_form_title(f), f->id, cols, n, NULL, 0, 1, 2 };
	struct strbuf done;

	sb_init(&done);
	cols[0].head = _("Unit code");
	cols[1].head = _("Unit");
	cols[2].head = _("State");
	for (int i = 0; i < nf; i++) {
		sb_init(&ft.head[i]);
		sb_init(&ft.text[i]);
		sb_init(&ft.note[i]);
		form_header(&ft.head[i], &f->fields[i]);
		cols[FORM_C0 + i].head = sb_str(&ft.head[i]);
	}
	emit_table(w, &t);
	for (int ei = 0; ei < rf->nentries; ei++) {
		const struct report_entry *en = &rf->entries[ei];

		clear(c, n);
		form_texts_reset(&ft);
		text(&c[0], en->unit->code);
		text(&c[1], fmt_unit_name(en->unit));
		text(&c[2], form_status_word(en->state));
		c[2].tone = fmt_state_tone(en->state);
		for (int i = 0; i < nf; i++)
			form_value(r, k, en, i, &c[FORM_C0 + i], &ft.text[i], &ft.note[i]);
		emit_row(w, &t, c);
	}
	clear(c, n);
	form_texts_reset(&ft);
	form_township(r, k, c, &ft, &done);
	emit_row(w, &t, c);
	for (int j = 0; j < (fmt_show_prev(r) ? 5 : 3); j++) {
		clear(c, n);
		form_texts_reset(&ft);
		form_below(r, k, j, c, &ft);
		emit_row(w, &t, c);
	}
	emit_end(w, &t);
	for (int i = 0; i < nf; i++) {
		sb_free(&ft.head[i]);
		sb_free(&ft.text[i]);
		sb_free(&ft.note[i]);
	}
	free(ft.head);
	free(ft.text);
	free(ft.note);
	sb_free(&done);
	free(c);
	free(cols);
}

/* ---- by unit -------------------------------------------------------------------------- */

enum {
	UN_PERIOD, UN_FIELD, UN_LABEL, UN_RANK, UN_CODE, UN_UNIT, UN_VALUE, UN_SHOWN, UN_TARGET, UN_MET, UN_CONFLICTS,
	UN_STATE, UN_COMMENT, UN_NCOLS
};

/* A sheet is of one field and one period, and colours a value in conflict. */
static const int units_sheet[] = { UN_RANK, UN_CODE, UN_UNIT, UN_VALUE, UN_MET, UN_STATE, UN_TARGET, UN_COMMENT };

/* The township's row, first: the figure all units add up to. */
static void units_township(const struct report *r, struct table_cell *c, char *shown, size_t size)
{
	const struct report_ranking *rk = &r->ranking;
	const struct field *fd = &r->cur.forms[rk->form].form->fields[rk->field];
	const struct report_figure *fg = &r->cur.forms[rk->form].figures[rk->field];

	text(&c[UN_CODE], r->township ? r->township->code : "");
	c[UN_CODE].foot = true;
	text(&c[UN_UNIT], _("Township"));
	c[UN_UNIT].foot = true;
	value(&c[UN_VALUE], fg->value, fmt_decimals(fd, fg->agg), fg->agg == RA_SHARE);
	c[UN_VALUE].conflict = fg->nconflicts > 0;
	fmt_figure(shown, size, fd, fg->agg, fg->value, true);
	text(&c[UN_SHOWN], fg->value.kind == EV_MISSING ? "" : shown);
	met(&c[UN_MET], fg->met);
	whole(&c[UN_CONFLICTS], fg->nconflicts);
}

/* A unit's row; a yes/no answer is 100 or 0 (percent), on the target's scale. */
static void units_row(const struct report *r, const struct report_unit_value *uv, struct table_cell *c, char *shown,
		      size_t size)
{
	const struct field *fd = &r->cur.forms[r->ranking.form].form->fields[r->ranking.field];
	bool yesno = fd->type == FT_YESNO;

	if (uv->rank)
		whole(&c[UN_RANK], uv->rank);
	text(&c[UN_CODE], uv->entry->unit->code);
	text(&c[UN_UNIT], fmt_unit_name(uv->entry->unit));
	value(&c[UN_VALUE], uv->value, yesno ? 0 : fmt_decimals(fd, fmt_unit_agg(fd)), yesno);
	c[UN_VALUE].conflict = uv->nconflicts > 0;
	fmt_unit_value(shown, size, fd, uv->value, true);
	text(&c[UN_SHOWN], uv->value.kind == EV_MISSING ? "" : shown);
	c[UN_TARGET].repeated = true;   /* said once, on the township's row */
	met(&c[UN_MET], uv->met);
	whole(&c[UN_CONFLICTS], uv->nconflicts);
	text(&c[UN_STATE], form_status_word(uv->entry->state));
	if (!fd->compute)
		text(&c[UN_COMMENT], uv->entry->values[r->ranking.field].comment);
}

void table_units(const struct report *r, const struct table_writer *w)
{
	const struct report_ranking *rk = &r->ranking;
	const struct table_col cols[UN_NCOLS] = {
		[UN_PERIOD] = { _("Period"), NULL },     [UN_FIELD] = { _("Field"), NULL },
		[UN_LABEL] = { _("Indicator"), NULL },   [UN_RANK] = { _("Rank"), NULL },
		[UN_CODE] = { _("Unit code"), NULL },    [UN_UNIT] = { _("Unit"), NULL },
		[UN_VALUE] = { _("Value"), NULL },       [UN_SHOWN] = { _("Shown"), NULL },
		[UN_TARGET] = { _("Target"), NULL },     [UN_MET] = { _("Met"), NULL },
		[UN_CONFLICTS] = { _("Values in conflict"), NULL }, [UN_STATE] = { _("State"), NULL },
		[UN_COMMENT] = { _("Comment"), NULL },
	};
	const struct field *fd = rk->form >= 0 ? &r->cur.forms[rk->form].form->fields[rk->field] : NULL;
	struct table t = { fd ? fmt_field_label(fd) : _("By unit"), fd ? fd->code : "units", cols, UN_NCOLS,
			   units_sheet, (int)ARRAY_LEN(units_sheet), 1, 3 };
	struct table_cell c[UN_NCOLS];
	char shown[FIG_MAX], tgt[96];

	emit_table(w, &t);
	if (!fd) {   /* built without a field: nothing to rank */
		emit_end(w, &t);
		return;
	}
	fmt_target(tgt, sizeof tgt, fd);
	for (int i = -1; i < rk->nrows; i++) {
		clear(c, UN_NCOLS);
		text(&c[UN_PERIOD], r->cur.period);
		text(&c[UN_FIELD], fd->code);
		text(&c[UN_LABEL], fmt_field_label(fd));
		text(&c[UN_TARGET], tgt);
		if (i < 0)
			units_township(r, c, shown, sizeof shown);
		else
			units_row(r, &rk->rows[i], c, shown, sizeof shown);
		emit_row(w, &t, c);
	}
	emit_end(w, &t);
}

/* ---- targets -------------------------------------------------------------------------- */

enum {
	TA_PERIOD, TA_FORM, TA_FIELD, TA_LABEL, TA_TARGET, TA_CODE, TA_UNIT, TA_VALUE, TA_SHOWN, TA_MET, TA_CONFLICTS,
	TA_PREV, TA_CHANGE, TA_N, TA_M, TA_SOURCE, TA_NCOLS
};

/* A sheet is of one period, and shows a number as the report does through its format. */
static const int targets_sheet[] = { TA_FORM, TA_FIELD, TA_LABEL, TA_TARGET, TA_CODE, TA_UNIT, TA_VALUE, TA_MET,
				     TA_CONFLICTS, TA_PREV, TA_CHANGE, TA_N, TA_M, TA_SOURCE };

/* A target's township row. */
static void targets_township(const struct report *r, const struct report_target *tg, struct table_cell *c,
			     char *shown, size_t size)
{
	const struct report_form *rf = &r->cur.forms[tg->form];
	const struct field *fd = &rf->form->fields[tg->field];
	const struct report_figure *fg = &rf->figures[tg->field];
	const struct report_figure *pf = fmt_show_prev(r) ? &r->prev.forms[tg->form].figures[tg->field] : NULL;
	struct ev pv = pf ? pf->value : ev_missing();
	int dec = fmt_decimals(fd, fg->agg);
	bool share = fg->agg == RA_SHARE || fd->type == FT_YESNO;

	text(&c[TA_CODE], r->township ? r->township->code : "");
	c[TA_CODE].foot = true;
	text(&c[TA_UNIT], _("Township"));
	c[TA_UNIT].foot = true;
	value(&c[TA_VALUE], fg->value, dec, share);
	c[TA_VALUE].conflict = fg->nconflicts > 0;
	fmt_figure(shown, size, fd, fg->agg, fg->value, true);
	text(&c[TA_SHOWN], fg->value.kind == EV_MISSING ? "" : shown);
	met(&c[TA_MET], fg->met);
	whole(&c[TA_CONFLICTS], fg->nconflicts);
	value(&c[TA_PREV], pv, dec, share);
	value(&c[TA_CHANGE], report_change(fg->value, pv), dec, false);
	whole(&c[TA_N], fg->n);
	whole(&c[TA_M], fg->m);
}

/* A unit's row: a yes/no answer is 100 or 0 (percent), and has no change. */
static void targets_unit(const struct report *r, const struct report_target *tg, const struct report_unit_value *uv,
			 struct table_cell *c, char *shown, size_t size)
{
	const struct field *fd = &r->cur.forms[tg->form].form->fields[tg->field];
	bool prev = fmt_show_prev(r), yesno = fd->type == FT_YESNO;
	int dec = yesno ? 0 : fmt_decimals(fd, fmt_unit_agg(fd));

	text(&c[TA_CODE], uv->entry->unit->code);
	text(&c[TA_UNIT], fmt_unit_name(uv->entry->unit));
	value(&c[TA_VALUE], uv->value, dec, yesno);
	c[TA_VALUE].conflict = uv->nconflicts > 0;
	fmt_unit_value(shown, size, fd, uv->value, true);
	text(&c[TA_SHOWN], uv->value.kind == EV_MISSING ? "" : shown);
	met(&c[TA_MET], uv->met);
	whole(&c[TA_CONFLICTS], uv->nconflicts);
	value(&c[TA_PREV], prev ? uv->prev : ev_missing(), dec, yesno);
	value(&c[TA_CHANGE], prev && !yesno ? report_change(uv->value, uv->prev) : ev_missing(), dec, false);
}

void table_targets(const struct report *r, const struct table_writer *w)
{
	const struct table_col cols[TA_NCOLS] = {
		[TA_PERIOD] = { _("Period"), NULL },          [TA_FORM] = { _("Form"), NULL },
		[TA_FIELD] = { _("Field"), NULL },            [TA_LABEL] = { _("Indicator"), NULL },
		[TA_TARGET] = { _("Target"), NULL },          [TA_CODE] = { _("Unit code"), NULL },
		[TA_UNIT] = { _("Unit"), NULL },              [TA_VALUE] = { _("Value"), NULL },
		[TA_SHOWN] = { _("Shown"), NULL },            [TA_MET] = { _("Met"), NULL },
		[TA_CONFLICTS] = { _("Values in conflict"), NULL }, [TA_PREV] = { _("Previous value"), NULL },
		[TA_CHANGE] = { _("Change"), NULL },          [TA_N] = { _("Reporting units"), NULL },
		[TA_M] = { _("Units asked"), NULL },          [TA_SOURCE] = { _("Source"), NULL },
	};
	struct table t = { _("Targets"), "targets", cols, TA_NCOLS, targets_sheet, (int)ARRAY_LEN(targets_sheet),
			   1, 3 };
	struct table_cell c[TA_NCOLS];
	char shown[FIG_MAX], tgt[96];

	emit_table(w, &t);
	for (int i = 0; i < r->ntargets; i++) {
		const struct report_target *tg = &r->targets[i];
		const struct report_form *rf = &r->cur.forms[tg->form];
		const struct field *fd = &rf->form->fields[tg->field];

		fmt_target(tgt, sizeof tgt, fd);
		for (int u = -1; u < tg->nunits; u++) {
			clear(c, TA_NCOLS);
			text(&c[TA_PERIOD], r->cur.period);
			text(&c[TA_FORM], rf->form->id);
			text(&c[TA_FIELD], fd->code);
			text(&c[TA_LABEL], fmt_field_label(fd));
			text(&c[TA_TARGET], tgt);
			text(&c[TA_SOURCE], i18n_pick(fd->target.source, fd->target.source_en));
			if (u < 0)
				targets_township(r, tg, c, shown, sizeof shown);
			else
				targets_unit(r, tg, &tg->units[u], c, shown, sizeof shown);
			emit_row(w, &t, c);
		}
	}
	emit_end(w, &t);
}
