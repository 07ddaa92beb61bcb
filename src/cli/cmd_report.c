/* cmd_report.c - `tianbao report`: a period's reports as text, CSV, Excel or DHIS2 CSV. */
#include "cli/cmd_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/text.h"
#include "lib/err.h"
#include "lib/i18n.h"
#include "lib/str.h"
#include "report/report.h"
#include "report/report_out.h"
#include "report/save.h"
#include "store/store.h"

#define MAX_WIDTH 1000

/* What a county importing the DHIS2 file must know: values in conflict and codes that
 * are tianbao's own. On stderr, so the file stays clean. */
static void dhis2_notes(const struct app *app, const struct report *r, const struct report_dhis2_stats *s)
{
	if (s->conflicts > 0) {
		fprintf(stderr, _("%s report: warning: %d value(s) in conflict were written with their current value, followup=true and a comment:\n"),
			app->prog, s->conflicts);
		for (int k = 0; k < r->cur.nforms; k++) {
			const struct report_form *rf = &r->cur.forms[k];

			for (int ei = 0; ei < rf->nentries; ei++) {
				const struct report_entry *en = &rf->entries[ei];

				for (int i = 0; en->nconflicts && i < rf->form->nfields; i++) {
					const struct report_value *v = &en->values[i];

					if (!v->conflict || report_stored_value(en, i) != RS_USED)
						continue;
					fprintf(stderr, "  %s %s %s=%s", en->unit->code, i18n_pick(en->unit->name, en->unit->name_en),
						rf->form->fields[i].code, v->text);
					for (const struct report_alt *a = en->alts; a; a = a->next)
						if (a->field == i)
							fprintf(stderr, _(" (other: %s by %s)"), a->value ? a->value : _("(cleared)"),
								a->updated_by);
					fputc('\n', stderr);
				}
			}
		}
	}
	if (s->skipped > 0)
		fprintf(stderr, _("%s report: note: %d stored value(s) were left out because the form's skip logic no longer asks for them (the forms and the other reports leave them out too)\n"),
			app->prog, s->skipped);
	if (s->invalid > 0) {
		fprintf(stderr, _("%s report: warning: %d stored value(s) were left out because the current version of the form no longer accepts them; they count as not given until they are typed again:\n"),
			app->prog, s->invalid);
		for (int k = 0; k < r->cur.nforms; k++) {
			const struct report_form *rf = &r->cur.forms[k];

			for (int ei = 0; ei < rf->nentries; ei++) {
				const struct report_entry *en = &rf->entries[ei];

				for (int i = 0; i < rf->form->nfields; i++)
					if (report_stored_value(en, i) == RS_INVALID)
						fprintf(stderr, "  %s %s %s=%s\n", en->unit->code,
							i18n_pick(en->unit->name, en->unit->name_en), rf->form->fields[i].code,
							en->values[i].text);
			}
		}
	}
	if (s->not_complete > 0)
		fprintf(stderr, _("%s report: note: %d of the %d value(s) come from forms not marked complete yet\n"), app->prog,
			s->not_complete, s->values);
	if (s->fields_without_code > 0 || s->units_without_code > 0)
		fprintf(stderr, _("%s report: note: %d field(s) and %d unit(s) have no dhis2 code in the forms; their tianbao codes were written instead\n"),
			app->prog, s->fields_without_code, s->units_without_code);
}

/* ---- the command: its options, then the report written ------------------------------ */

static bool kind_valid(const char *value)
{
	return report_kind_parse(value) >= 0;
}

static void kind_refused(const char *value, struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	err_set(e, _("--kind takes completeness, indicators, units or targets, not '%s'"), text_echo(value, eb, sizeof eb));
}

static bool format_valid(const char *value)
{
	return report_format_parse(value) >= 0;
}

static void format_refused(const char *value, struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	err_set(e, _("--format takes text, csv, xlsx or dhis2, not '%s'"), text_echo(value, eb, sizeof eb));
}

static void width_refused(const char *value, struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	err_set(e, _("--width takes a number of columns from %d to %d, not '%s'"), REPORT_MIN_WIDTH, MAX_WIDTH,
		text_echo(value, eb, sizeof eb));
}

static int report_kind_of(const struct cmd_ctx *ctx)
{
	const char *kind = cmd_opt(ctx, "kind");

	return kind ? report_kind_parse(kind) : RK_INDICATORS;
}

static int report_format_of(const struct cmd_ctx *ctx)
{
	const char *format = cmd_opt(ctx, "format");

	return format ? report_format_parse(format) : RF_TEXT;
}

/* Which options go together; --kind and --format are known to be words they take. */
static int report_check(const struct cmd_ctx *ctx, struct err *e)
{
	const char *field = cmd_opt(ctx, "field"), *out = cmd_opt(ctx, "out");
	int kind = report_kind_of(ctx), format = report_format_of(ctx);

	if (kind == RK_UNITS && !field)
		err_set(e, "%s", _("--kind units needs --field CODE: the indicator to compare the units by"));
	else if (kind != RK_UNITS && field)
		err_set(e, "%s", _("--field is only for --kind units"));
	else if (format == RF_DHIS2 && kind != RK_INDICATORS)
		err_set(e, "%s", _("--format dhis2 writes the typed values of every unit, not a report: leave out --kind"));
	else if (out && !*out)
		err_set(e, "%s", _("--out takes a file name (or - for standard output), not an empty one"));
	else if (format == RF_XLSX && (!out || strcmp(out, "-") == 0))
		err_set(e, "%s", _("--format xlsx needs --out FILE.xlsx"));
	else if (cmd_opt(ctx, "width") && format != RF_TEXT)
		err_set(e, "%s", _("--width is only for --format text"));
	else
		return 0;
	return -1;
}

/* The folder of --out, before anything is loaded. */
static int report_prepare(struct cmd_ctx *ctx, struct err *e)
{
	const char *out = cmd_opt(ctx, "out");

	return out && strcmp(out, "-") != 0 ? report_save_check(out, e) : 0;
}

static int report_run(struct cmd_ctx *ctx)
{
	const char *out = cmd_opt(ctx, "out");
	int format = report_format_of(ctx), rc;
	struct report_options ro;
	struct report rep;
	struct strbuf sb;
	struct err e;

	ro.kind = (enum report_kind)report_kind_of(ctx);
	ro.period = ctx->period;
	ro.field = cmd_opt(ctx, "field");
	if (report_build(ctx->st, ctx->forms, &ro, &rep, &e) != 0)
		return cmd_fail(ctx, &e);
	cmd_close_store(ctx);

	sb_init(&sb);
	switch (format) {
	case RF_TEXT:
		report_write_text(&rep, (int)cmd_number(ctx, "width", REPORT_MIN_WIDTH), &sb);
		rc = report_save_text(out, &sb, &e);
		break;
	case RF_CSV:
		report_write_csv(&rep, &sb);
		rc = report_save_text(out, &sb, &e);
		break;
	case RF_DHIS2: {
		struct report_dhis2_stats stats;

		report_write_dhis2(&rep, &sb, &stats);
		rc = report_save_text(out, &sb, &e);
		if (rc == 0)
			dhis2_notes(ctx->app, &rep, &stats);
		break;
	}
	default:
		rc = report_save_xlsx(&rep, out, &e);
		break;
	}
	sb_free(&sb);
	report_free(&rep);
	return rc != 0 ? cmd_fail_output(ctx, &e) : EXIT_OK;
}

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.summary = N_("reports of a period: completeness, indicators, units, targets"),
	.usage = "report --period P [--kind completeness|indicators|units|targets] [--field CODE]\n"
		 "              [--format text|csv|xlsx|dhis2] [--out FILE] [--width N]",
	.help = N_("Reports of a period for the township: who has reported (completeness), the township\n"
		   "figure of every indicator (indicators, the default), one indicator across the units\n"
		   "that report it with bars and its target (units, with --field), and every target met\n"
		   "or not (targets). --format dhis2 writes the typed values as a DHIS2 dataValueSets CSV.\n"
		   "Output goes to standard output, or to --out FILE (needed for xlsx)."),
	.options = {
		{ .name = "period", .kind = CV_PERIOD, .required = N_("--period P is required (2026, 2026Q1 or 202603)") },
		{ .name = "kind", .kind = CV_TEXT, .valid = kind_valid, .refused = kind_refused },
		{ .name = "field", .kind = CV_TEXT },
		{ .name = "format", .kind = CV_TEXT, .valid = format_valid, .refused = format_refused },
		{ .name = "out", .kind = CV_TEXT },
		{ .name = "width", .kind = CV_NUMBER, .min = REPORT_MIN_WIDTH, .max = MAX_WIDTH, .refused = width_refused,
		  .flags = CO_AFTER_CHECK },
	},
	.args = { 0, 0 },
	.store = CMD_STORE_READ,
	.flags = CMD_FORMS,
	.check = report_check,
	.prepare = report_prepare,
	.run = report_run,
};
