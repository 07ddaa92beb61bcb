/* ui_report.c - the report screens: completeness, indicators, by unit (with bar charts)
 * and targets, for the period chosen on the start screen. The layout is the report's own
 * text lines (report_render_lines), coloured by their tone and re-laid for the width. */
#include "ui/ui_report.h"

#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "forms/period.h"
#include "report/report.h"
#include "report/report_out.h"
#include "lib/text.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "lib/str.h"
#include "ui/ui_pick.h"
#include "ui/ui_view.h"

static enum ui_style style_of(const struct report_line *l)
{
	switch (l->kind) {
	case RL_TITLE: return ST_HEADING;
	case RL_HEADING: return ST_HEADING;
	case RL_COLUMNS: return ST_DIM;
	default: break;
	}
	switch (l->tone) {
	case RT_GOOD: return ST_OK;
	case RT_BAD: return ST_ERROR;
	case RT_WARN: return ST_WARNING;
	default: return ST_NORMAL;
	}
}

/* A built report's lines, laid out again for each width. */
struct report_view {
	const struct report *r;
	struct report_lines lines;
};

static int report_lay(void *ctx, int cols)
{
	struct report_view *v = ctx;

	report_lines_free(&v->lines);
	report_render_lines(v->r, cols, &v->lines);
	return v->lines.n;
}

static const char *report_line(void *ctx, int i, enum ui_style *style)
{
	struct report_view *v = ctx;

	*style = style_of(&v->lines.v[i]);
	return v->lines.v[i].text;
}

/* Scrolls a built report (F5 again closes it, Enter scrolls). */
static void show(struct ui *ui, const struct report *r, const char *title)
{
	struct report_view v = { r, { NULL, 0, 0 } };
	struct view_source src = { report_lay, report_line, &v };
	struct view_options opt = { .title = title, .right = ui->period, .also_closes = K_REPORT };

	ui_view(ui, &opt, &src);
	report_lines_free(&v.lines);
}

/* The field for the by-unit report: every number or rate of the period's forms. */
static const char *pick_field(struct ui *ui)
{
	const struct formset *fs = &ui->app->forms;
	int ptype = period_type_of(ui->period);
	char **lines = NULL;
	const char **codes = NULL;
	int n = 0, sel = 0, rc;
	const char *code = NULL;

	for (int f = 0; f < fs->nforms; f++) {
		const struct form *fm = &fs->forms[f];

		if ((int)fm->period != ptype)
			continue;
		for (int i = 0; i < fm->nfields; i++) {
			const struct field *fd = &fm->fields[i];
			struct strbuf sb;

			if (!field_is_numeric(fd) || fd->type == FT_CHOICE)
				continue;
			sb_init(&sb);
			text_pad(&sb, i18n_pick(fd->label, fd->label_en), 36);
			sb_add(&sb, "  ");
			/* Padded by display columns: %-6s would count the bytes of a Chinese word. */
			text_pad(&sb, fd->target.op != TG_NONE ? _("target") : "", 6);
			sb_addf(&sb, " %s", fd->code);
			lines = xreallocarray(lines, (size_t)n + 1, sizeof *lines);
			codes = xreallocarray(codes, (size_t)n + 1, sizeof *codes);
			lines[n] = sb_take(&sb);
			codes[n++] = fd->code;
		}
	}
	rc = ui_pick(ui, _("By unit: choose an indicator"), NULL, (const char *const *)lines, n, &sel, NULL);
	if (rc >= 0)
		code = codes[rc];
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(codes);
	return code;
}

void ui_report_run(struct ui *ui)
{
	static const char *names[] = {
		N_("Completeness: who has reported, and what is still missing"),
		N_("Indicators: the township figure of every field"),
		N_("By unit: one indicator across villages or departments, with bar charts"),
		N_("Targets: every indicator with a target, met or not"),
	};
	static const enum report_kind kinds[] = { RK_COMPLETENESS, RK_INDICATORS, RK_UNITS, RK_TARGETS };
	int sel = 0;

	for (;;) {
		const char *lines[ARRAY_LEN(names)];
		struct report_options opt;
		struct report rep;
		struct err e;
		char title[256];
		int rc;

		for (size_t i = 0; i < ARRAY_LEN(names); i++)
			lines[i] = _(names[i]);
		snprintf(title, sizeof title, _("Reports · %s"), ui->period);
		rc = ui_pick(ui, title, NULL, lines, (int)ARRAY_LEN(names), &sel,
			     _("The same reports as 'tianbao report', which also writes CSV, Excel and DHIS2 files."));
		if (rc < 0 || ui_quit_requested())
			return;
		memset(&opt, 0, sizeof opt);
		opt.kind = kinds[rc];
		opt.period = ui->period;
		if (opt.kind == RK_UNITS) {
			opt.field = pick_field(ui);
			if (!opt.field)
				continue;
		}
		if (report_build(ui->st, &ui->app->forms, &opt, &rep, &e) != 0) {
			ui_alert(ui, _("Reports"), e.msg);
			continue;
		}
		show(ui, &rep, _(names[rc]));
		report_free(&rep);
		if (ui_quit_requested())
			return;
	}
}
