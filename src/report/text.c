/* text.c - the four reports as lines of text (see text.h). */
#include "report/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/form_status.h"
#include "lib/i18n.h"
#include "lib/number.h"
#include "lib/str.h"
#include "lib/text.h"
#include "report/format.h"
#include "report/layout.h"

static void title(struct lay *L, const char *kind_title)
{
	const struct report *r = L->r;

	sb_addf(&L->sb, _("%s: %s, period %s"), r->township ? fmt_unit_name(r->township) : "", kind_title,
		r->cur.period);
	lay_emit(L, RL_TITLE, RT_PLAIN);
}

static void summary(struct lay *L)
{
	const struct report *r = L->r;
	char pct[32];

	fmt_percent(pct, sizeof pct, r->complete, r->total);
	lay_note(L, RT_PLAIN, 0, _("Forms complete: %d of %d (%s); in progress: %d; empty: %d."), r->complete,
		 r->total, pct, r->progress, r->empty);
	if (r->conflicts > 0)
		lay_note(L, RT_WARN, 0, _("Values in conflict between installations: %d. Until the clerk decides, the current value is counted (marked !)."),
			 r->conflicts);
	if (r->ignored > 0)
		lay_note(L, RT_WARN, 0, _("%d stored value(s) belong to units or fields that are no longer in the forms; they are left out."),
			 r->ignored);
}

/* ---- completeness ---------------------------------------------------------------------- */

/* By form: how many of the units that report it are done. */
static void completeness_by_form(struct lay *L)
{
	const struct report *r = L->r;
	char a[32], b[32], c[32], d[32];
	struct lay_col cols[] = { { 0, false, false }, { 10, true, true }, { 12, true, true }, { 8, true, true },
				  { 7, true, true } };
	const char *head[] = { _("Form"), _("Complete"), _("In progress"), _("Empty"), "%" };
	const char *row[] = { "", a, b, c, d };
	int widest = text_width(_("All forms"));

	/* The counts of all forms are the largest. */
	snprintf(a, sizeof a, "%d", r->complete);
	snprintf(b, sizeof b, "%d", r->progress);
	snprintf(c, sizeof c, "%d", r->empty);
	fmt_percent(d, sizeof d, r->complete, r->total);
	for (int i = 1; i < 5; i++) {
		lay_fit(&cols[i], head[i]);
		lay_fit(&cols[i], row[i]);
	}
	for (int k = 0; k < r->cur.nforms; k++)
		if (text_width(fmt_form_title(r->cur.forms[k].form)) > widest)
			widest = text_width(fmt_form_title(r->cur.forms[k].form));
	cols[0].w = lay_cap(lay_rest(L, cols, 5, 0), lay_cap(widest, LAY_LABEL_MAX));
	sb_add(&L->sb, _("By form"));
	lay_emit(L, RL_HEADING, RT_PLAIN);
	lay_cells(L, cols, 5, head);
	lay_emit(L, RL_COLUMNS, RT_PLAIN);
	for (int k = 0; k < r->cur.nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];

		row[0] = fmt_form_title(rf->form);
		snprintf(a, sizeof a, "%d", rf->ncomplete);
		snprintf(b, sizeof b, "%d", rf->nprogress);
		snprintf(c, sizeof c, "%d", rf->nempty);
		fmt_percent(d, sizeof d, rf->ncomplete, rf->nentries);
		lay_cells(L, cols, 5, row);
		lay_emit(L, RL_ROW, rf->ncomplete == rf->nentries ? RT_GOOD : RT_PLAIN);
	}
	row[0] = _("All forms");
	snprintf(a, sizeof a, "%d", r->complete);
	snprintf(b, sizeof b, "%d", r->progress);
	snprintf(c, sizeof c, "%d", r->empty);
	fmt_percent(d, sizeof d, r->complete, r->total);
	lay_cells(L, cols, 5, row);
	lay_emit(L, RL_ROW, RT_PLAIN);
}

/* By unit: each form's state, who changed it last and when. */
static void completeness_by_unit(struct lay *L)
{
	const struct report *r = L->r;
	const char *states[] = { _("complete"), _("in progress"), _("empty") };
	struct lay_col cols[] = { { 0, false, false }, { 0, false, false },
				  { lay_max_width(states, 3, text_width(_("State"))) + 1, false, false },
				  { 10, false, false }, { 16, false, true }, { 6, true, true } };
	const char *head[] = { _("Unit"), _("Form"), _("State"), _("By"), _("When"), "%" };
	char when[32], pct[32];
	int rest, uw;

	lay_fit(&cols[5], "100.0%");
	for (int u = 0; u < r->nunits; u++) {
		for (int k = 0; k < r->cur.nforms; k++) {
			if (r->units[u].cells[k]) {
				fmt_time(when, sizeof when, r->units[u].cells[k]->changed_at);
				lay_fit(&cols[4], when);
			}
		}
	}
	rest = lay_rest(L, cols, 6, 0);

	/* lay_rest counted the form column as 0 wide: share the room between the two. */
	uw = lay_cap(rest / 2, 24);
	cols[0].w = uw;
	cols[1].w = lay_cap(rest - uw, 40);
	sb_add(&L->sb, _("By unit: who changed each form last, and when"));
	lay_emit(L, RL_HEADING, RT_PLAIN);
	lay_cells(L, cols, 6, head);
	lay_emit(L, RL_COLUMNS, RT_PLAIN);
	for (int u = 0; u < r->nunits; u++) {
		const struct report_unit_row *ur = &r->units[u];
		bool first = true;

		for (int k = 0; k < r->cur.nforms; k++) {
			const struct report_entry *en = ur->cells[k];
			struct strbuf st;

			if (!en)
				continue;
			sb_init(&st);
			sb_add(&st, form_status_word(en->state));
			if (en->nconflicts > 0) {
				sb_addc(&st, '!');
				L->conflict_legend = true;
			}
			fmt_time(when, sizeof when, en->changed_at);
			fmt_percent(pct, sizeof pct, ur->ncomplete, ur->nforms);
			{
				const char *row[] = { first ? fmt_unit_name(ur->unit) : "",
						      fmt_form_title(r->cur.forms[k].form), sb_str(&st),
						      en->changed_by ? en->changed_by : "", when, first ? pct : "" };

				lay_cells(L, cols, 6, row);
			}
			lay_emit(L, RL_ROW, fmt_state_tone(en->state));
			sb_free(&st);
			first = false;
		}
	}
}

/* What is still missing: a list to telephone from. */
static void completeness_missing(struct lay *L)
{
	const struct report *r = L->r;
	struct lay_col cols[] = { { 18, false, false }, { 14, false, true }, { 0, false, false } };
	const char *head[] = { _("Unit"), _("Code"), _("Forms not complete") };
	struct strbuf forms;
	int n = 0;

	for (int u = 0; u < r->nunits; u++)
		if (r->units[u].ncomplete < r->units[u].nforms)
			lay_fit(&cols[1], r->units[u].unit->code);
	cols[2].w = lay_rest(L, cols, 3, 2);
	for (int u = 0; u < r->nunits; u++)
		if (r->units[u].ncomplete < r->units[u].nforms)
			n++;
	sb_addf(&L->sb, _("Still missing: %d unit(s) to call"), n);
	lay_emit(L, RL_HEADING, RT_PLAIN);
	if (n == 0) {
		lay_note(L, RT_GOOD, 2, "%s", _("Every form is complete."));
		return;
	}
	lay_cells(L, cols, 3, head);
	lay_emit(L, RL_COLUMNS, RT_PLAIN);
	sb_init(&forms);
	for (int u = 0; u < r->nunits; u++) {
		const struct report_unit_row *ur = &r->units[u];
		bool first = true;

		if (ur->ncomplete == ur->nforms)
			continue;
		/* One form a line, so none is cut off the end of a narrow line. */
		for (int k = 0; k < r->cur.nforms; k++) {
			const struct report_entry *en = ur->cells[k];

			if (!en || en->state == FST_COMPLETE)
				continue;
			sb_reset(&forms);
			/* The state ("!" after it when a value is in conflict), then the form's title:
			 * a title too long for the line loses its end, not the state. */
			sb_addf(&forms, _("%s%s: %s"), form_status_word(en->state), en->nconflicts ? "!" : "",
				fmt_form_title(r->cur.forms[k].form));
			{
				const char *row[] = { first ? fmt_unit_name(ur->unit) : "", first ? ur->unit->code : "",
						      sb_str(&forms) };

				lay_cells(L, cols, 3, row);
			}
			lay_emit(L, RL_ROW, en->state == FST_PROGRESS ? RT_WARN : RT_BAD);
			first = false;
		}
	}
	sb_free(&forms);
}

static void text_completeness(struct lay *L)
{
	completeness_by_form(L);
	lay_blank(L);
	completeness_by_unit(L);
	lay_blank(L);
	completeness_missing(L);
}

/* ---- indicators ------------------------------------------------------------------------- */

/* Between the clauses of a note: "covers 3 of 5 units; includes 1 value in conflict". */
static const char *clause_sep(void)
{
	return _("; ");
}

/* What a figure covers, in words: "covers 3 of 5 units; includes 1 value in conflict". */
static void coverage_text(struct strbuf *sb, const struct report_figure *fg)
{
	if (fg->agg == RA_SHARE && fg->n > 0)
		sb_addf(sb, _("%d of %d answering units said yes"), fg->yes, fg->n);
	if (fg->n > 0 && fg->n < fg->m) {
		if (sb->len)
			sb_add(sb, clause_sep());
		sb_addf(sb, _("covers %d of %d units"), fg->n, fg->m);
	}
	if (fg->value.kind == EV_NA) {
		if (sb->len)
			sb_add(sb, clause_sep());
		sb_add(sb, _("not applicable: the denominator is 0"));
	}
	if (fg->nconflicts > 0) {
		if (sb->len)
			sb_add(sb, clause_sep());
		sb_addf(sb, _("includes %d value(s) in conflict (!)"), fg->nconflicts);
	}
}

/* An indicator's row: the township figure, the previous period's, the change (the
 * figures are empty for a choice field: its counts are on the lines below). */
static void indicator_texts(const struct report *r, bool prev, int k, int i, char *v, char *pv, char *ch, size_t size)
{
	const struct report_form *rf = &r->cur.forms[k];
	const struct field *fd = &rf->form->fields[i];
	const struct report_figure *fg = &rf->figures[i];
	const struct report_figure *pf = prev ? &r->prev.forms[k].figures[i] : NULL;

	fmt_figure(v, size, fd, fg->agg, fg->value, true);
	fmt_figure(pv, size, fd, fg->agg, pf ? pf->value : ev_missing(), true);
	if (fg->agg == RA_CHOICE)
		v[0] = pv[0] = '\0';
	fmt_change(ch, size, report_change(fg->value, pf ? pf->value : ev_missing()), fmt_decimals(fd, fg->agg));
}

/* The indicators' columns: the figures whole, however many digits; the labels as wide as
 * the longest needs, within the room that leaves. */
static void indicators_columns(struct lay *L, bool prev, struct lay_col *cols, int ncols, const char *const *head)
{
	const struct report *r = L->r;
	const char *mets[] = { _("met"), _("not met"), _("Met") };
	char v[FIG_MAX], pv[FIG_MAX], ch[FIG_MAX];
	int widest = text_width(head[0]);

	cols[3].w = lay_max_width(mets, 3, 3);
	for (int c = 1; c < ncols; c++)
		lay_fit(&cols[c], head[c]);
	for (int k = 0; k < r->cur.nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];
		const struct form *f = rf->form;

		for (int i = 0; i < f->nfields; i++) {
			const struct field *fd = &f->fields[i];
			const struct report_figure *fg = &rf->figures[i];

			widest = widest > text_width(fmt_field_label(fd)) ? widest : text_width(fmt_field_label(fd));
			for (int c = 0; c < fd->nchoices; c++) {
				int w = 2 + text_width(i18n_pick(fd->choices[c].label, fd->choices[c].label_en));

				widest = widest > w ? widest : w;
			}
			if (fg->agg == RA_NONE)
				continue;
			indicator_texts(r, prev, k, i, v, pv, ch, sizeof v);
			lay_fit(&cols[1], v);
			lay_fit(&cols[2], fd->target.op != TG_NONE ? fd->target.text : "");
			if (prev) {
				lay_fit(&cols[4], pv);
				lay_fit(&cols[5], ch);
			}
			for (int c = 0; fg->agg == RA_CHOICE && c < fd->nchoices; c++) {
				snprintf(v, sizeof v, "%d", fg->choices[c]);
				lay_fit(&cols[1], v);
				if (prev) {
					snprintf(pv, sizeof pv, "%d", r->prev.forms[k].figures[i].choices[c]);
					lay_fit(&cols[4], pv);
				}
			}
		}
	}
	cols[0].w = lay_cap(lay_rest(L, cols, ncols, 0), lay_cap(widest, LAY_LABEL_MAX));
	if (cols[0].w < lay_cap(widest, LAY_LABEL_MIN))
		cols[0].w = lay_cap(widest, LAY_LABEL_MIN);
}

/* A choice field's count per choice, on the lines below its row. */
static void indicator_choices(struct lay *L, const struct lay_col *cols, int ncols, const struct field *fd,
			      const struct report_figure *fg, const struct report_figure *pf)
{
	struct strbuf lab;
	char n[32], pv[32];

	sb_init(&lab);
	for (int c = 0; c < fd->nchoices; c++) {
		const char *row[] = { "", n, "", "", pv, "" };

		sb_reset(&lab);
		sb_addf(&lab, "  %s", i18n_pick(fd->choices[c].label, fd->choices[c].label_en));
		row[0] = sb_str(&lab);
		snprintf(n, sizeof n, "%d", fg->choices[c]);
		if (pf && pf->n > 0)
			snprintf(pv, sizeof pv, "%d", pf->choices[c]);
		else
			snprintf(pv, sizeof pv, "-");
		lay_cells(L, cols, ncols, row);
		lay_emit(L, RL_ROW, RT_PLAIN);
	}
	sb_free(&lab);
}

/* One form: a row per field with a township figure, and under it what the figure covers. */
static void indicators_form(struct lay *L, int k, bool prev, const struct lay_col *cols, int ncols,
			    const char *const *head)
{
	const struct report *r = L->r;
	const struct report_form *rf = &r->cur.forms[k];
	const struct form *f = rf->form;
	char v[FIG_MAX], pv[FIG_MAX], ch[FIG_MAX];
	int nvalues = 0;

	for (int ei = 0; ei < rf->nentries; ei++)
		nvalues += rf->entries[ei].nvalues;
	sb_addf(&L->sb, "%s (%s)", fmt_form_title(f), f->id);
	lay_heading(L, RT_PLAIN);
	lay_note(L, RT_PLAIN, 2, _("%d unit(s) report this form: %d complete, %d in progress, %d empty."), rf->nentries,
		 rf->ncomplete, rf->nprogress, rf->nempty);
	if (nvalues == 0) {
		/* A list of dashes says nothing the line above does not. */
		lay_note(L, RT_WARN, 2, "%s", _("No values have been entered for this period yet."));
		lay_blank(L);
		return;
	}
	lay_cells(L, cols, ncols, head);
	lay_emit(L, RL_COLUMNS, RT_PLAIN);
	for (int i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		const struct report_figure *fg = &rf->figures[i];
		struct strbuf cov;

		if (fg->agg == RA_NONE)
			continue;
		indicator_texts(r, prev, k, i, v, pv, ch, sizeof v);
		{
			const char *row[] = { fmt_field_label(fd), v, fd->target.op != TG_NONE ? fd->target.text : "",
					      fmt_met(fg->met), pv, ch };

			lay_cells(L, cols, ncols, row);
		}
		lay_emit(L, RL_ROW, fmt_met_tone(fg->met));
		if (fg->agg == RA_CHOICE)
			indicator_choices(L, cols, ncols, fd, fg, prev ? &r->prev.forms[k].figures[i] : NULL);
		sb_init(&cov);
		coverage_text(&cov, fg);
		if (fg->nconflicts)
			L->conflict_legend = true;
		if (cov.len)
			lay_wrapped(L, RL_NOTE, fg->nconflicts ? RT_WARN : RT_PLAIN, 6, sb_str(&cov));
		sb_free(&cov);
	}
	lay_blank(L);
}

static void text_indicators(struct lay *L)
{
	const struct report *r = L->r;
	bool prev = fmt_show_prev(r);
	struct lay_col cols[] = { { 0, false, false }, { 12, true, true }, { 8, false, true }, { 0, false, false },
				  { 12, true, true }, { 7, true, true } };
	int ncols = prev ? 6 : 4;
	const char *head[] = { _("Indicator"), _("Township"), _("Target"), _("Met"), r->prev.period, _("Change") };

	indicators_columns(L, prev, cols, ncols, head);
	for (int k = 0; k < r->cur.nforms; k++)
		indicators_form(L, k, prev, cols, ncols, head);
}

/* ---- by unit ----------------------------------------------------------------------------- */

/* The axis above the bars: 0 at the left, the scale at the right, the target marked. */
static void axis(struct strbuf *sb, const struct field *fd, double scale, int cols)
{
	char right[NUM_MAX];
	double marks[2];
	int nm = fmt_target_marks(fd, marks), rl;

	int mcol[2], end = cols;

	format_number(right, sizeof right, scale);
	rl = (int)strlen(right);
	for (int m = 0; m < nm; m++) {
		int mc = (int)floor(marks[m] / scale * cols);

		mcol[m] = mc >= cols ? cols - 1 : mc < 0 ? 0 : mc;
	}
	/* The scale's number ends before a marker that would cover it. */
	for (bool moved = true; moved;) {
		moved = false;
		for (int m = 0; m < nm; m++) {
			if (mcol[m] < end && mcol[m] >= end - rl) {
				end = mcol[m];
				moved = true;
			}
		}
	}
	for (int c = 0; c < cols; c++) {
		bool mark = false;

		for (int m = 0; m < nm; m++)
			mark = mark || mcol[m] == c;
		if (mark)
			sb_add(sb, "┃");
		else if (c == 0)
			sb_addc(sb, '0');
		else if (end - rl > 1 && c >= end - rl && c < end)
			sb_addc(sb, right[c - (end - rl)]);
		else
			sb_addc(sb, ' ');
	}
}

/* Above the chart: the field, its target and source, and the township's figure. */
static void units_heading(struct lay *L, const struct report_form *rf, const struct field *fd,
			  const struct report_figure *fg)
{
	char v[FIG_MAX];
	struct strbuf cov;

	sb_addf(&L->sb, "%s (%s) - %s", fmt_field_label(fd), fd->code, fmt_form_title(rf->form));
	lay_heading(L, RT_PLAIN);
	if (fd->target.op != TG_NONE) {
		fmt_target(v, sizeof v, fd);
		lay_note(L, RT_PLAIN, 2, _("Target: %s (marked ┃)"), v);
		lay_note(L, RT_PLAIN, 4, _("Source: %s"), i18n_pick(fd->target.source, fd->target.source_en));
	} else {
		lay_note(L, RT_PLAIN, 2, "%s", _("This field has no target."));
	}
	sb_init(&cov);
	fmt_figure(v, sizeof v, fd, fg->agg, fg->value, true);
	coverage_text(&cov, fg);
	if (fg->met >= 0)
		lay_note(L, fmt_met_tone(fg->met), 2, _("Township: %s, %s%s%s"), v, fmt_met(fg->met),
			 cov.len ? clause_sep() : "", sb_str(&cov));
	else
		lay_note(L, RT_PLAIN, 2, _("Township: %s%s%s"), v, cov.len ? clause_sep() : "", sb_str(&cov));
	sb_free(&cov);
}

/* The chart's columns: #, !, Unit, Value, the bar, Status. The ranks and values whole,
 * however many digits; the unit names take what they need up to 24 columns; the bars
 * get the rest. */
static void units_columns(struct lay *L, const struct field *fd, const struct report_figure *fg, struct lay_col *cols)
{
	const struct report_ranking *rk = &L->r->ranking;
	const char *stat[] = { _("met"), _("not met"), _("n/a"), _("no value"), _("Status") };
	char v[FIG_MAX];
	int bw;

	cols[5].w = lay_max_width(stat, 5, 6);
	snprintf(v, sizeof v, "%d", rk->nrows);
	lay_fit(&cols[0], v);
	fmt_figure(v, sizeof v, fd, fg->agg, fg->value, true);
	lay_fit(&cols[3], v);
	for (int i = 0; i < rk->nrows; i++) {
		fmt_unit_value(v, sizeof v, fd, rk->rows[i].value, true);
		lay_fit(&cols[3], v);
	}
	bw = lay_rest(L, cols, 6, 2);
	cols[2].w = 14;
	for (int i = 0; i < rk->nrows; i++)
		if (text_width(fmt_unit_name(rk->rows[i].entry->unit)) > cols[2].w)
			cols[2].w = text_width(fmt_unit_name(rk->rows[i].entry->unit));
	if (cols[2].w > 24)
		cols[2].w = 24;
	if (bw - cols[2].w < 30)
		cols[2].w = bw - 30 > 10 ? bw - 30 : 10;
	cols[4].w = bw - cols[2].w > 0 ? bw - cols[2].w : 0;
}

/* The chart: the axis, the township (for a share or a rate), the units in rank order. */
static void units_chart(struct lay *L, const struct field *fd, const struct report_figure *fg,
			const struct lay_col *cols)
{
	const struct report_ranking *rk = &L->r->ranking;
	double marks[2];
	int nm = fmt_target_marks(fd, marks);
	char v[FIG_MAX];
	struct strbuf bar;

	sb_init(&bar);
	axis(&bar, fd, rk->scale, cols[4].w);
	{
		const char *head[] = { "#", "", _("Unit"), _("Value"), sb_str(&bar), _("Status") };

		lay_cells(L, cols, 6, head);
	}
	lay_emit(L, RL_COLUMNS, RT_PLAIN);
	/* The township first, as a yardstick: a share or a rate, which compares with the
	 * units' own; a sum does not, so it stays in the line above the chart. */
	if (fg->value.kind == EV_NUM && fg->agg != RA_SUM) {
		sb_reset(&bar);
		report_bar(&bar, fg->value.num, rk->scale, cols[4].w, marks, nm);
		fmt_figure(v, sizeof v, fd, fg->agg, fg->value, true);
		{
			const char *row[] = { "", fg->nconflicts ? "!" : "", _("Township"), v, sb_str(&bar),
					      fmt_met(fg->met) };

			lay_cells(L, cols, 6, row);
		}
		lay_emit(L, RL_ROW, fmt_met_tone(fg->met));
	}
	for (int i = 0; i < rk->nrows; i++) {
		const struct report_unit_value *uv = &rk->rows[i];
		char rank[16];
		const char *status;

		sb_reset(&bar);
		report_bar(&bar, uv->value.kind == EV_NUM ? uv->value.num : 0, rk->scale, cols[4].w, marks, nm);
		fmt_unit_value(v, sizeof v, fd, uv->value, true);
		snprintf(rank, sizeof rank, uv->rank ? "%d" : "-", uv->rank);
		status = uv->value.kind == EV_MISSING ? _("no value") :
			 uv->value.kind == EV_NA ? _("n/a") : fmt_met(uv->met);
		if (uv->nconflicts)
			L->conflict_legend = true;
		{
			const char *row[] = { rank, uv->nconflicts ? "!" : "", fmt_unit_name(uv->entry->unit), v,
					      sb_str(&bar), status };

			lay_cells(L, cols, 6, row);
		}
		lay_emit(L, RL_ROW, uv->value.kind == EV_MISSING ? RT_WARN : fmt_met_tone(uv->met));
	}
	sb_free(&bar);
}

static void text_units(struct lay *L)
{
	const struct report *r = L->r;
	const struct report_ranking *rk = &r->ranking;
	const struct report_form *rf;
	const struct field *fd;
	const struct report_figure *fg;
	struct lay_col cols[] = { { 3, true, true }, { 1, false, false }, { 0, false, false }, { 10, true, true },
				  { 0, false, false }, { 0, false, false } };
	int met = 0, not = 0, none = 0;

	if (rk->form < 0) {  /* built without a field: nothing to rank */
		lay_note(L, RT_WARN, 0, "%s", _("No field was given to compare the units by."));
		return;
	}
	rf = &r->cur.forms[rk->form];
	fd = &rf->form->fields[rk->field];
	fg = &rf->figures[rk->field];
	units_heading(L, rf, fd, fg);
	lay_blank(L);
	units_columns(L, fd, fg, cols);
	units_chart(L, fd, fg, cols);
	lay_blank(L);
	for (int i = 0; i < rk->nrows; i++) {
		if (rk->rows[i].met > 0)
			met++;
		else if (rk->rows[i].met == 0)
			not++;
		else
			none++;
	}
	if (fd->target.op != TG_NONE)
		lay_note(L, RT_PLAIN, 0, _("Units: %d met, %d not met, %d without a value to judge."), met, not, none);
	if (fd->type == FT_YESNO)
		lay_note(L, RT_PLAIN, 0, "%s", _("A yes answer is drawn as 100%, a no as 0%, the scale of the target."));
}

/* ---- targets ------------------------------------------------------------------------------ */

/* The targets' columns: Unit, Value, Met, the period before, Change, Note; without a
 * period before to compare with, its two columns are left out (n is 4). */
struct target_cols {
	struct lay_col c[6];
	int n;
};

/* A row of the six cells; the two of the period before are left out when it is not shown. */
static void targets_row(struct lay *L, const struct target_cols *tc, const char *const six[6])
{
	const char *four[] = { six[0], six[1], six[2], six[5] };

	lay_cells(L, tc->c, tc->n, tc->n == 6 ? six : four);
}

/* The values, changes and counts whole, however many digits; so are the notes (a count
 * like 2999/3000 !): the unit names give up the room. */
static void targets_columns(struct lay *L, bool prev, const char *const *head, struct target_cols *tc)
{
	const struct report *r = L->r;
	const char *mets[] = { _("met"), _("not met"), _("Met") };
	const char *notes[] = { _("no value"), form_status_word(FST_PROGRESS), form_status_word(FST_EMPTY) };
	struct lay_col cols[] = { { L->width >= 100 ? 28 : 20, false, false }, { 12, true, true },
				  { lay_max_width(mets, 3, 3), false, false }, { 12, true, true }, { 7, true, true },
				  { 0, false, true } };
	int note_w = lay_max_width(notes, 3, text_width(_("Note")));
	char v[FIG_MAX], pv[FIG_MAX], ch[FIG_MAX];

	for (int c = 1; c < 5; c++)
		if (c != 2)
			lay_fit(&cols[c], head[c]);
	for (int t = 0; t < r->ntargets; t++) {
		const struct report_target *tg = &r->targets[t];
		const struct report_form *rf = &r->cur.forms[tg->form];
		const struct field *fd = &rf->form->fields[tg->field];
		const struct report_figure *fg = &rf->figures[tg->field];
		const struct report_figure *pf = prev ? &r->prev.forms[tg->form].figures[tg->field] : NULL;

		fmt_figure(v, sizeof v, fd, fg->agg, fg->value, true);
		lay_fit(&cols[1], v);
		fmt_figure(pv, sizeof pv, fd, fg->agg, pf ? pf->value : ev_missing(), true);
		lay_fit(&cols[3], pv);
		fmt_change(ch, sizeof ch, report_change(fg->value, pf ? pf->value : ev_missing()),
			   fmt_decimals(fd, fg->agg));
		lay_fit(&cols[4], ch);
		snprintf(v, sizeof v, "%d/%d%s", fg->n, fg->m, fg->nconflicts ? " !" : "");
		note_w = note_w > text_width(v) ? note_w : text_width(v);
		for (int u = 0; u < tg->nunits; u++) {
			const struct report_unit_value *uv = &tg->units[u];

			fmt_unit_value(v, sizeof v, fd, uv->value, true);
			lay_fit(&cols[1], v);
			fmt_unit_value(pv, sizeof pv, fd, uv->prev, true);
			lay_fit(&cols[3], pv);
			fmt_change(ch, sizeof ch, fd->type == FT_YESNO ? ev_missing() : report_change(uv->value, uv->prev),
				   fmt_decimals(fd, fmt_unit_agg(fd)));
			lay_fit(&cols[4], ch);
		}
	}
	tc->n = prev ? 6 : 4;
	for (int c = 0, j = 0; c < 6; c++)
		if (prev || c < 3 || c == 5)
			tc->c[j++] = cols[c];
	tc->c[tc->n - 1].w = lay_rest(L, tc->c, tc->n, tc->n - 1);
	if (tc->c[tc->n - 1].w < note_w) {
		tc->c[0].w -= lay_cap(note_w - tc->c[tc->n - 1].w, tc->c[0].w - 10);
		tc->c[tc->n - 1].w = lay_rest(L, tc->c, tc->n, tc->n - 1);
	}
}

/* One target: the field, the target and its source, the township and every unit. */
static void targets_block(struct lay *L, const struct report_target *tg, bool prev, const struct target_cols *tc,
			  const char *const *head)
{
	const struct report *r = L->r;
	const struct report_form *rf = &r->cur.forms[tg->form];
	const struct field *fd = &rf->form->fields[tg->field];
	const struct report_figure *fg = &rf->figures[tg->field];
	const struct report_figure *pf = prev ? &r->prev.forms[tg->form].figures[tg->field] : NULL;
	char v[FIG_MAX], pv[FIG_MAX], ch[FIG_MAX], nm[64];
	struct strbuf cov;

	sb_addf(&L->sb, "%s (%s)", fmt_field_label(fd), fd->code);
	lay_heading(L, fmt_met_tone(fg->met));
	fmt_target(v, sizeof v, fd);
	lay_note(L, RT_PLAIN, 2, _("Target: %s"), v);
	lay_note(L, RT_PLAIN, 4, _("Source: %s"), i18n_pick(fd->target.source, fd->target.source_en));
	targets_row(L, tc, head);
	lay_emit(L, RL_COLUMNS, RT_PLAIN);

	fmt_figure(v, sizeof v, fd, fg->agg, fg->value, true);
	fmt_figure(pv, sizeof pv, fd, fg->agg, pf ? pf->value : ev_missing(), true);
	fmt_change(ch, sizeof ch, report_change(fg->value, pf ? pf->value : ev_missing()),
		   fmt_decimals(fd, fg->agg));
	snprintf(nm, sizeof nm, "%d/%d%s", fg->n, fg->m, fg->nconflicts ? " !" : "");
	{
		const char *row[] = { _("Township"), v, fmt_met(fg->met), pv, ch, nm };

		targets_row(L, tc, row);
	}
	lay_emit(L, RL_ROW, fmt_met_tone(fg->met));
	for (int u = 0; u < tg->nunits; u++) {
		const struct report_unit_value *uv = &tg->units[u];
		const char *nt;

		fmt_unit_value(v, sizeof v, fd, uv->value, true);
		fmt_unit_value(pv, sizeof pv, fd, uv->prev, true);
		fmt_change(ch, sizeof ch, fd->type == FT_YESNO ? ev_missing() : report_change(uv->value, uv->prev),
			   fmt_decimals(fd, fmt_unit_agg(fd)));
		if (uv->nconflicts) {
			nt = "!";
			L->conflict_legend = true;
		} else if (uv->value.kind == EV_MISSING) {
			nt = _("no value");
		} else if (uv->entry->state != FST_COMPLETE) {
			nt = form_status_word(uv->entry->state);
		} else {
			nt = "";
		}
		{
			const char *row[] = { fmt_unit_name(uv->entry->unit), v, fmt_met(uv->met), pv, ch, nt };

			targets_row(L, tc, row);
		}
		lay_emit(L, RL_ROW, uv->value.kind == EV_MISSING ? RT_WARN : fmt_met_tone(uv->met));
	}
	sb_init(&cov);
	coverage_text(&cov, fg);
	if (cov.len)
		lay_note(L, fg->nconflicts ? RT_WARN : RT_PLAIN, 2, _("Township: %s."), sb_str(&cov));
	sb_free(&cov);
	lay_note(L, RT_PLAIN, 2, _("Units: %d met, %d not met, %d without a value to judge."), tg->nmet, tg->nnot,
		 tg->nnone);
	lay_blank(L);
}

static void text_targets(struct lay *L)
{
	const struct report *r = L->r;
	bool prev = fmt_show_prev(r);
	const char *head[] = { _("Unit"), _("Value"), _("Met"), r->prev.period, _("Change"), _("Note") };
	struct target_cols tc;

	targets_columns(L, prev, head, &tc);
	if (r->ntargets == 0)
		lay_note(L, RT_PLAIN, 0, "%s", _("No field of these forms has a target."));
	for (int t = 0; t < r->ntargets; t++)
		targets_block(L, &r->targets[t], prev, &tc, head);
}

/* ---- all of it ------------------------------------------------------------------------- */

/* Every comment on a value of the period, after the report: what the units said about
 * their figures ("村委会换届后人数待核实"), for whoever reads the figures. */
static void text_comments(struct lay *L)
{
	const struct report *r = L->r;
	int n = 0;

	for (int k = 0; k < r->cur.nforms; k++)
		for (int ei = 0; ei < r->cur.forms[k].nentries; ei++)
			for (int i = 0; i < r->cur.forms[k].form->nfields; i++)
				n += r->cur.forms[k].entries[ei].values[i].comment != NULL &&
				     report_stored_value(&r->cur.forms[k].entries[ei], i) == RS_USED;
	if (n == 0)
		return;
	if (L->out->n && L->out->v[L->out->n - 1].kind != RL_BLANK)
		lay_blank(L);
	sb_addf(&L->sb, _("Comments on the figures (%d)"), n);
	lay_heading(L, RT_PLAIN);
	for (int k = 0; k < r->cur.nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];

		for (int ei = 0; ei < rf->nentries; ei++) {
			const struct report_entry *en = &rf->entries[ei];

			for (int i = 0; i < rf->form->nfields; i++) {
				const struct report_value *v = &en->values[i];
				struct strbuf sb;

				/* As the figures: a value the form no longer counts is not listed. */
				if (!v->comment || report_stored_value(en, i) != RS_USED)
					continue;
				sb_init(&sb);
				sb_addf(&sb, _("%s · %s = %s: %s (%s)"), fmt_unit_name(en->unit),
					fmt_field_label(&rf->form->fields[i]), v->text ? v->text : "-", v->comment,
					v->updated_by);
				lay_wrapped(L, RL_NOTE, RT_PLAIN, 2, sb_str(&sb));
				sb_free(&sb);
			}
		}
	}
}

void report_render_lines(const struct report *r, int width, struct report_lines *out)
{
	struct lay L;
	static const char *const titles[] = { N_("Completeness"), N_("Indicators"), N_("By unit"), N_("Targets") };

	memset(out, 0, sizeof *out);
	memset(&L, 0, sizeof L);
	L.r = r;
	L.width = width < REPORT_MIN_WIDTH ? REPORT_MIN_WIDTH : width;
	L.out = out;
	sb_init(&L.sb);
	title(&L, _(titles[r->kind]));
	summary(&L);
	if ((r->kind == RK_INDICATORS || r->kind == RK_TARGETS) && r->has_prev_period) {
		if (r->prev.has_data)
			lay_note(&L, RT_PLAIN, 0, _("Changes are against %s, the period before."), r->prev.period);
		else
			lay_note(&L, RT_PLAIN, 0, _("No data for %s, the period before, so no changes are shown."),
				 r->prev.period);
	}
	lay_blank(&L);
	switch (r->kind) {
	case RK_COMPLETENESS: text_completeness(&L); break;
	case RK_INDICATORS: text_indicators(&L); break;
	case RK_UNITS: text_units(&L); break;
	case RK_TARGETS: text_targets(&L); break;
	}
	if (r->kind != RK_COMPLETENESS) {
		if (out->n && out->v[out->n - 1].kind != RL_BLANK)
			lay_blank(&L);
		lay_note(&L, RT_PLAIN, 0, "%s", _("- = no value yet; n/a = not applicable: the denominator is 0."));
	}
	text_comments(&L);
	if (L.conflict_legend) {
		if (out->n && out->v[out->n - 1].kind != RL_BLANK)
			lay_blank(&L);
		lay_note(&L, RT_WARN, 0, "%s",
			 _("! = a value in conflict: two installations sent different values and the clerk has not decided yet. The current value is counted."));
	}
	while (out->n && out->v[out->n - 1].kind == RL_BLANK) {
		free(out->v[out->n - 1].text);
		out->n--;
	}
	sb_free(&L.sb);
}

void report_lines_free(struct report_lines *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof *l);
}

void report_write_text(const struct report *r, int width, struct strbuf *out)
{
	struct report_lines lines;

	report_render_lines(r, width, &lines);
	for (int i = 0; i < lines.n; i++) {
		sb_add(out, lines.v[i].text);
		sb_addc(out, '\n');
	}
	report_lines_free(&lines);
}
