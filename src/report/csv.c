/* csv.c - reports as CSV for spreadsheets (see csv.h). */
#include "report/csv.h"

#include <stdio.h>

#include "core/form_status.h"
#include "lib/csv.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/number.h"
#include "report/format.h"

void csvw_sep(struct csvw *w)
{
	if (!w->first)
		csv_sep(w->out);
	w->first = false;
}

/* Text is guarded against formulas; only numbers this code formats are not. */
void csvw_text(struct csvw *w, const char *s)
{
	csvw_sep(w);
	csv_field(w->out, s ? s : "", true);
}

static void csvw_int(struct csvw *w, int n)
{
	csvw_sep(w);
	sb_addf(w->out, "%d", n);
}

/* A number as a plain number ("-3" stays a number); n/a as text; nothing as empty. */
static void csvw_num(struct csvw *w, struct ev v, int decimals)
{
	char num[NUM_MAX];

	if (v.kind == EV_NA) {
		csvw_text(w, _("n/a"));
		return;
	}
	csvw_sep(w);
	if (v.kind == EV_NUM) {
		format_decimal(num, sizeof num, v.num, decimals);
		sb_add(w->out, num);
	}
}

void csvw_end(struct csvw *w)
{
	csv_end_row(w->out, true);
	w->first = true;
}

static void csvw_header(struct csvw *w, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		csvw_text(w, names[i]);
	csvw_end(w);
}

static void csv_completeness(const struct report *r, struct csvw *w)
{
	const char *head[] = { _("Period"), _("Unit code"), _("Unit"), _("Form"), _("Form title"), _("State"),
			       _("Changed by"), _("Changed at"), _("Values"), _("Values in conflict") };

	csvw_header(w, head, (int)ARRAY_LEN(head));
	for (int u = 0; u < r->nunits; u++) {
		const struct report_unit_row *ur = &r->units[u];

		for (int k = 0; k < r->cur.nforms; k++) {
			const struct report_entry *en = ur->cells[k];

			if (!en)
				continue;
			csvw_text(w, r->cur.period);
			csvw_text(w, ur->unit->code);
			csvw_text(w, fmt_unit_name(ur->unit));
			csvw_text(w, r->cur.forms[k].form->id);
			csvw_text(w, fmt_form_title(r->cur.forms[k].form));
			csvw_text(w, form_status_word(en->state));
			csvw_text(w, en->changed_by);
			csvw_text(w, en->changed_at);
			csvw_int(w, en->nvalues);
			csvw_int(w, en->nconflicts);
			csvw_end(w);
		}
	}
}

static void csv_indicators(const struct report *r, struct csvw *w)
{
	const char *head[] = { _("Period"), _("Form"), _("Field"), _("Indicator"), _("Choice"), _("Unit of measure"),
			       _("Value"), _("Shown"), _("Reporting units"), _("Units asked"), _("Values in conflict"),
			       _("Target"), _("Met"), _("Previous period"), _("Previous value"), _("Change") };
	bool prev = fmt_show_prev(r);
	char shown[FIG_MAX];

	csvw_header(w, head, (int)ARRAY_LEN(head));
	for (int k = 0; k < r->cur.nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];

		for (int i = 0; i < rf->form->nfields; i++) {
			const struct field *fd = &rf->form->fields[i];
			const struct report_figure *fg = &rf->figures[i];
			const struct report_figure *pf = prev ? &r->prev.forms[k].figures[i] : NULL;
			int dec = fmt_decimals(fd, fg->agg);
			bool choice = fg->agg == RA_CHOICE;

			if (fg->agg == RA_NONE)
				continue;
			for (int c = -1; c < (choice ? fd->nchoices : 0); c++) {
				csvw_text(w, r->cur.period);
				csvw_text(w, rf->form->id);
				csvw_text(w, fd->code);
				csvw_text(w, fmt_field_label(fd));
				if (c < 0) {
					csvw_text(w, "");
					csvw_text(w, choice ? "" : fmt_measure(fd, fg->agg));
					if (choice) {
						csvw_text(w, "");
						csvw_text(w, "");
					} else {
						fmt_figure(shown, sizeof shown, fd, fg->agg, fg->value, true);
						csvw_num(w, fg->value, dec);
						csvw_text(w, fg->value.kind == EV_MISSING ? "" : shown);
					}
				} else {
					csvw_text(w, i18n_pick(fd->choices[c].label, fd->choices[c].label_en));
					csvw_text(w, "");
					csvw_int(w, fg->choices[c]);
					snprintf(shown, sizeof shown, "%d", fg->choices[c]);
					csvw_text(w, shown);
				}
				csvw_int(w, fg->n);
				csvw_int(w, fg->m);
				csvw_int(w, fg->nconflicts);
				csvw_text(w, c < 0 && fd->target.op != TG_NONE ? fd->target.text : "");
				csvw_text(w, c < 0 ? fmt_met(fg->met) : "");
				csvw_text(w, r->has_prev_period ? r->prev.period : "");
				if (c < 0 && !choice) {
					csvw_num(w, pf ? pf->value : ev_missing(), dec);
					csvw_num(w, report_change(fg->value, pf ? pf->value : ev_missing()), dec);
				} else if (c >= 0 && pf) {
					csvw_int(w, pf->choices[c]);
					csvw_int(w, fg->choices[c] - pf->choices[c]);
				} else {
					csvw_text(w, "");
					csvw_text(w, "");
				}
				csvw_end(w);
			}
		}
	}
}

static void csv_units(const struct report *r, struct csvw *w)
{
	const char *head[] = { _("Period"), _("Field"), _("Indicator"), _("Rank"), _("Unit code"), _("Unit"), _("Value"),
			       _("Shown"), _("Target"), _("Met"), _("Values in conflict"), _("State") };
	const struct report_ranking *rk = &r->ranking;
	const struct report_form *rf;
	const struct field *fd;
	const struct report_figure *fg;
	char shown[FIG_MAX], tgt[96];

	csvw_header(w, head, (int)ARRAY_LEN(head));
	if (rk->form < 0)
		return;
	rf = &r->cur.forms[rk->form];
	fd = &rf->form->fields[rk->field];
	fg = &rf->figures[rk->field];
	fmt_target(tgt, sizeof tgt, fd);
	/* The township first. */
	csvw_text(w, r->cur.period);
	csvw_text(w, fd->code);
	csvw_text(w, fmt_field_label(fd));
	csvw_text(w, "");
	csvw_text(w, r->township ? r->township->code : "");
	csvw_text(w, _("Township"));
	csvw_num(w, fg->value, fmt_decimals(fd, fg->agg));
	fmt_figure(shown, sizeof shown, fd, fg->agg, fg->value, true);
	csvw_text(w, fg->value.kind == EV_MISSING ? "" : shown);
	csvw_text(w, tgt);
	csvw_text(w, fmt_met(fg->met));
	csvw_int(w, fg->nconflicts);
	csvw_text(w, "");
	csvw_end(w);
	for (int i = 0; i < rk->nrows; i++) {
		const struct report_unit_value *uv = &rk->rows[i];

		csvw_text(w, r->cur.period);
		csvw_text(w, fd->code);
		csvw_text(w, fmt_field_label(fd));
		if (uv->rank)
			csvw_int(w, uv->rank);
		else
			csvw_text(w, "");
		csvw_text(w, uv->entry->unit->code);
		csvw_text(w, fmt_unit_name(uv->entry->unit));
		csvw_num(w, uv->value, fd->type == FT_YESNO ? 0 : fmt_decimals(fd, fmt_unit_agg(fd)));
		fmt_unit_value(shown, sizeof shown, fd, uv->value, true);
		csvw_text(w, uv->value.kind == EV_MISSING ? "" : shown);
		csvw_text(w, tgt);
		csvw_text(w, fmt_met(uv->met));
		csvw_int(w, uv->nconflicts);
		csvw_text(w, form_status_word(uv->entry->state));
		csvw_end(w);
	}
}

static void csv_targets(const struct report *r, struct csvw *w)
{
	const char *head[] = { _("Period"), _("Form"), _("Field"), _("Indicator"), _("Target"), _("Unit code"), _("Unit"),
			       _("Value"), _("Shown"), _("Met"), _("Values in conflict"), _("Previous value"), _("Change"),
			       _("Reporting units"), _("Units asked"), _("Source") };
	bool prev = fmt_show_prev(r);
	char shown[FIG_MAX], tgt[96];

	csvw_header(w, head, (int)ARRAY_LEN(head));
	for (int t = 0; t < r->ntargets; t++) {
		const struct report_target *tg = &r->targets[t];
		const struct report_form *rf = &r->cur.forms[tg->form];
		const struct field *fd = &rf->form->fields[tg->field];
		const struct report_figure *fg = &rf->figures[tg->field];
		const struct report_figure *pf = prev ? &r->prev.forms[tg->form].figures[tg->field] : NULL;
		int dec = fmt_decimals(fd, fg->agg);
		const char *source = i18n_pick(fd->target.source, fd->target.source_en);

		fmt_target(tgt, sizeof tgt, fd);
		for (int u = -1; u < tg->nunits; u++) {
			const struct report_unit_value *uv = u >= 0 ? &tg->units[u] : NULL;

			csvw_text(w, r->cur.period);
			csvw_text(w, rf->form->id);
			csvw_text(w, fd->code);
			csvw_text(w, fmt_field_label(fd));
			csvw_text(w, tgt);
			if (!uv) {
				csvw_text(w, r->township ? r->township->code : "");
				csvw_text(w, _("Township"));
				csvw_num(w, fg->value, dec);
				fmt_figure(shown, sizeof shown, fd, fg->agg, fg->value, true);
				csvw_text(w, fg->value.kind == EV_MISSING ? "" : shown);
				csvw_text(w, fmt_met(fg->met));
				csvw_int(w, fg->nconflicts);
				csvw_num(w, pf ? pf->value : ev_missing(), dec);
				csvw_num(w, report_change(fg->value, pf ? pf->value : ev_missing()), dec);
				csvw_int(w, fg->n);
				csvw_int(w, fg->m);
			} else {
				int udec = fd->type == FT_YESNO ? 0 : fmt_decimals(fd, fmt_unit_agg(fd));

				csvw_text(w, uv->entry->unit->code);
				csvw_text(w, fmt_unit_name(uv->entry->unit));
				csvw_num(w, uv->value, udec);
				fmt_unit_value(shown, sizeof shown, fd, uv->value, true);
				csvw_text(w, uv->value.kind == EV_MISSING ? "" : shown);
				csvw_text(w, fmt_met(uv->met));
				csvw_int(w, uv->nconflicts);
				csvw_num(w, prev ? uv->prev : ev_missing(), udec);
				csvw_num(w, prev && fd->type != FT_YESNO ? report_change(uv->value, uv->prev) : ev_missing(), udec);
				csvw_text(w, "");
				csvw_text(w, "");
			}
			csvw_text(w, source);
			csvw_end(w);
		}
	}
}

void report_write_csv(const struct report *r, struct strbuf *out)
{
	struct csvw w = { out, true };

	sb_add(out, "\xEF\xBB\xBF");
	switch (r->kind) {
	case RK_COMPLETENESS: csv_completeness(r, &w); break;
	case RK_INDICATORS: csv_indicators(r, &w); break;
	case RK_UNITS: csv_units(r, &w); break;
	case RK_TARGETS: csv_targets(r, &w); break;
	}
}
