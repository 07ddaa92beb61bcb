/* csv.c - reports as CSV for spreadsheets (see csv.h). */
#include "report/csv.h"

#include <stdio.h>

#include "core/form_status.h"
#include "lib/csv.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/number.h"
#include "report/format.h"

void c_sep(struct csvw *w)
{
	if (!w->first)
		csv_sep(w->out);
	w->first = false;
}

/* Text is guarded against formulas; only numbers this code formats are not. */
void c_text(struct csvw *w, const char *s)
{
	c_sep(w);
	csv_field(w->out, s ? s : "", true);
}

static void c_int(struct csvw *w, int n)
{
	c_sep(w);
	sb_addf(w->out, "%d", n);
}

/* A number as a plain number ("-3" stays a number); n/a as text; nothing as empty. */
static void c_num(struct csvw *w, struct ev v, int decimals)
{
	char num[NUM_MAX];

	if (v.kind == EV_NA) {
		c_text(w, _("n/a"));
		return;
	}
	c_sep(w);
	if (v.kind == EV_NUM) {
		format_decimal(num, sizeof num, v.num, decimals);
		sb_add(w->out, num);
	}
}

void c_end(struct csvw *w)
{
	csv_end_row(w->out, true);
	w->first = true;
}

static void c_header(struct csvw *w, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		c_text(w, names[i]);
	c_end(w);
}

static void csv_completeness(const struct report *r, struct csvw *w)
{
	const char *head[] = { _("Period"), _("Unit code"), _("Unit"), _("Form"), _("Form title"), _("State"),
			       _("Changed by"), _("Changed at"), _("Values"), _("Values in conflict") };

	c_header(w, head, (int)ARRAY_LEN(head));
	for (int u = 0; u < r->nunits; u++) {
		const struct report_unit_row *ur = &r->units[u];

		for (int k = 0; k < r->cur.nforms; k++) {
			const struct report_entry *en = ur->cells[k];

			if (!en)
				continue;
			c_text(w, r->cur.period);
			c_text(w, ur->unit->code);
			c_text(w, unit_name(ur->unit));
			c_text(w, r->cur.forms[k].form->id);
			c_text(w, form_title(r->cur.forms[k].form));
			c_text(w, form_status_word(en->state));
			c_text(w, en->changed_by);
			c_text(w, en->changed_at);
			c_int(w, en->nvalues);
			c_int(w, en->nconflicts);
			c_end(w);
		}
	}
}

static void csv_indicators(const struct report *r, struct csvw *w)
{
	const char *head[] = { _("Period"), _("Form"), _("Field"), _("Indicator"), _("Choice"), _("Unit of measure"),
			       _("Value"), _("Shown"), _("Reporting units"), _("Units asked"), _("Values in conflict"),
			       _("Target"), _("Met"), _("Previous period"), _("Previous value"), _("Change") };
	bool prev = show_prev(r);
	char shown[FIG_MAX];

	c_header(w, head, (int)ARRAY_LEN(head));
	for (int k = 0; k < r->cur.nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];

		for (int i = 0; i < rf->form->nfields; i++) {
			const struct field *fd = &rf->form->fields[i];
			const struct report_figure *fg = &rf->figures[i];
			const struct report_figure *pf = prev ? &r->prev.forms[k].figures[i] : NULL;
			int dec = value_decimals(fd, fg->agg);
			bool choice = fg->agg == RA_CHOICE;

			if (fg->agg == RA_NONE)
				continue;
			for (int c = -1; c < (choice ? fd->nchoices : 0); c++) {
				c_text(w, r->cur.period);
				c_text(w, rf->form->id);
				c_text(w, fd->code);
				c_text(w, field_label(fd));
				if (c < 0) {
					c_text(w, "");
					c_text(w, choice ? "" : measure_of(fd, fg->agg));
					if (choice) {
						c_text(w, "");
						c_text(w, "");
					} else {
						fmt_figure(shown, sizeof shown, fd, fg->agg, fg->value, true);
						c_num(w, fg->value, dec);
						c_text(w, fg->value.kind == EV_MISSING ? "" : shown);
					}
				} else {
					c_text(w, i18n_pick(fd->choices[c].label, fd->choices[c].label_en));
					c_text(w, "");
					c_int(w, fg->choices[c]);
					snprintf(shown, sizeof shown, "%d", fg->choices[c]);
					c_text(w, shown);
				}
				c_int(w, fg->n);
				c_int(w, fg->m);
				c_int(w, fg->nconflicts);
				c_text(w, c < 0 && fd->target.op != TG_NONE ? fd->target.text : "");
				c_text(w, c < 0 ? met_label(fg->met) : "");
				c_text(w, r->has_prev_period ? r->prev.period : "");
				if (c < 0 && !choice) {
					c_num(w, pf ? pf->value : ev_missing(), dec);
					c_num(w, report_change(fg->value, pf ? pf->value : ev_missing()), dec);
				} else if (c >= 0 && pf) {
					c_int(w, pf->choices[c]);
					c_int(w, fg->choices[c] - pf->choices[c]);
				} else {
					c_text(w, "");
					c_text(w, "");
				}
				c_end(w);
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

	c_header(w, head, (int)ARRAY_LEN(head));
	if (rk->form < 0)
		return;
	rf = &r->cur.forms[rk->form];
	fd = &rf->form->fields[rk->field];
	fg = &rf->figures[rk->field];
	fmt_target(tgt, sizeof tgt, fd);
	/* The township first. */
	c_text(w, r->cur.period);
	c_text(w, fd->code);
	c_text(w, field_label(fd));
	c_text(w, "");
	c_text(w, r->township ? r->township->code : "");
	c_text(w, _("Township"));
	c_num(w, fg->value, value_decimals(fd, fg->agg));
	fmt_figure(shown, sizeof shown, fd, fg->agg, fg->value, true);
	c_text(w, fg->value.kind == EV_MISSING ? "" : shown);
	c_text(w, tgt);
	c_text(w, met_label(fg->met));
	c_int(w, fg->nconflicts);
	c_text(w, "");
	c_end(w);
	for (int i = 0; i < rk->nrows; i++) {
		const struct report_unit_value *uv = &rk->rows[i];

		c_text(w, r->cur.period);
		c_text(w, fd->code);
		c_text(w, field_label(fd));
		if (uv->rank)
			c_int(w, uv->rank);
		else
			c_text(w, "");
		c_text(w, uv->entry->unit->code);
		c_text(w, unit_name(uv->entry->unit));
		c_num(w, uv->value, fd->type == FT_YESNO ? 0 : value_decimals(fd, unit_agg(fd)));
		fmt_unit_value(shown, sizeof shown, fd, uv->value, true);
		c_text(w, uv->value.kind == EV_MISSING ? "" : shown);
		c_text(w, tgt);
		c_text(w, met_label(uv->met));
		c_int(w, uv->nconflicts);
		c_text(w, form_status_word(uv->entry->state));
		c_end(w);
	}
}

static void csv_targets(const struct report *r, struct csvw *w)
{
	const char *head[] = { _("Period"), _("Form"), _("Field"), _("Indicator"), _("Target"), _("Unit code"), _("Unit"),
			       _("Value"), _("Shown"), _("Met"), _("Values in conflict"), _("Previous value"), _("Change"),
			       _("Reporting units"), _("Units asked"), _("Source") };
	bool prev = show_prev(r);
	char shown[FIG_MAX], tgt[96];

	c_header(w, head, (int)ARRAY_LEN(head));
	for (int t = 0; t < r->ntargets; t++) {
		const struct report_target *tg = &r->targets[t];
		const struct report_form *rf = &r->cur.forms[tg->form];
		const struct field *fd = &rf->form->fields[tg->field];
		const struct report_figure *fg = &rf->figures[tg->field];
		const struct report_figure *pf = prev ? &r->prev.forms[tg->form].figures[tg->field] : NULL;
		int dec = value_decimals(fd, fg->agg);
		const char *source = i18n_pick(fd->target.source, fd->target.source_en);

		fmt_target(tgt, sizeof tgt, fd);
		for (int u = -1; u < tg->nunits; u++) {
			const struct report_unit_value *uv = u >= 0 ? &tg->units[u] : NULL;

			c_text(w, r->cur.period);
			c_text(w, rf->form->id);
			c_text(w, fd->code);
			c_text(w, field_label(fd));
			c_text(w, tgt);
			if (!uv) {
				c_text(w, r->township ? r->township->code : "");
				c_text(w, _("Township"));
				c_num(w, fg->value, dec);
				fmt_figure(shown, sizeof shown, fd, fg->agg, fg->value, true);
				c_text(w, fg->value.kind == EV_MISSING ? "" : shown);
				c_text(w, met_label(fg->met));
				c_int(w, fg->nconflicts);
				c_num(w, pf ? pf->value : ev_missing(), dec);
				c_num(w, report_change(fg->value, pf ? pf->value : ev_missing()), dec);
				c_int(w, fg->n);
				c_int(w, fg->m);
			} else {
				int udec = fd->type == FT_YESNO ? 0 : value_decimals(fd, unit_agg(fd));

				c_text(w, uv->entry->unit->code);
				c_text(w, unit_name(uv->entry->unit));
				c_num(w, uv->value, udec);
				fmt_unit_value(shown, sizeof shown, fd, uv->value, true);
				c_text(w, uv->value.kind == EV_MISSING ? "" : shown);
				c_text(w, met_label(uv->met));
				c_int(w, uv->nconflicts);
				c_num(w, prev ? uv->prev : ev_missing(), udec);
				c_num(w, prev && fd->type != FT_YESNO ? report_change(uv->value, uv->prev) : ev_missing(), udec);
				c_text(w, "");
				c_text(w, "");
			}
			c_text(w, source);
			c_end(w);
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
