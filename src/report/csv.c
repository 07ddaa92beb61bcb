/* csv.c - reports as CSV for spreadsheets (see csv.h). */
#include "report/csv.h"

#include "lib/csv.h"
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

void csvw_end(struct csvw *w)
{
	csv_end_row(w->out, true);
	w->first = true;
}

/* A number as a plain number ("-3" stays a number), with the decimals the report shows;
 * everything else is text, guarded. */
void csvw_cell(struct csvw *w, const struct table_cell *c)
{
	char num[NUM_MAX];

	switch (c->kind) {
	case TC_EMPTY:
		csvw_sep(w);
		break;
	case TC_TEXT:
	case TC_TIME:   /* as stored, in UTC: for scripts */
		csvw_text(w, c->text);
		break;
	case TC_INT:
	case TC_YESNO:
		csvw_sep(w);
		sb_addf(w->out, "%d", (int)c->num);
		break;
	case TC_NUM:
	case TC_SHARE:
		csvw_sep(w);
		format_decimal(num, sizeof num, c->num, c->decimals);
		sb_add(w->out, num);
		break;
	}
}

/* Every column of a table, in the table's order: a header row, then a line a row. */
static void csv_begin(void *ctx, const struct table *t)
{
	struct csvw *w = ctx;

	for (int i = 0; i < t->ncols; i++)
		csvw_text(w, t->cols[i].head);
	csvw_end(w);
}

static void csv_row(void *ctx, const struct table *t, const struct table_cell *cells)
{
	struct csvw *w = ctx;

	for (int i = 0; i < t->ncols; i++)
		csvw_cell(w, &cells[i]);
	csvw_end(w);
}

void csv_tables(const struct report *r, const struct table_writer *w)
{
	switch (r->kind) {
	case RK_COMPLETENESS: table_completeness(r, false, w); break;
	case RK_INDICATORS: table_indicators(r, w); break;
	case RK_UNITS: table_units(r, w); break;
	case RK_TARGETS: table_targets(r, w); break;
	}
}

void report_write_csv(const struct report *r, struct strbuf *out)
{
	struct csvw cw = { out, true };
	struct table_writer w = { &cw, csv_begin, csv_row, NULL };

	sb_add(out, "\xEF\xBB\xBF");
	csv_tables(r, &w);
}
