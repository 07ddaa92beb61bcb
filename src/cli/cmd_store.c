/* cmd_store.c - the store's commands: init, set, dump, status, complete, log. */
#include "cli/cmd_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "forms/period.h"
#include "lib/csv.h"
#include "core/access.h"
#include "core/config.h"
#include "core/entry.h"
#include "core/form_status.h"
#include "forms/formeval.h"
#include "lib/i18n.h"
#include "store/store.h"
#include "lib/text.h"
#include "lib/mem.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "store/values.h"
#include "store/states.h"
#include "store/history.h"
#include "lib/strlist.h"

static const char *unit_label(const struct unit *u)
{
	return i18n_pick(u->name, u->name_en);
}

/* ---- init ---------------------------------------------------------------------- */

static void operator_refused(const char *value, struct err *e)
{
	(void)value;
	err_set(e, "%s", _("--operator takes a name of 1 to 64 characters without control characters"));
}

/* The units of the forms, one per line (villages first, as people look for theirs):
 * code, name, kind. */
static void print_units(FILE *out, const struct formset *fs)
{
	int *order = xcalloc((size_t)fs->nunits + 1, sizeof *order);
	struct strbuf sb;

	formset_unit_order(fs, order);
	sb_init(&sb);
	for (int k = 0; k < fs->nunits; k++) {
		const struct unit *u = &fs->units[order[k]];

		sb_reset(&sb);
		sb_addf(&sb, "  ");
		text_pad(&sb, u->code, 16);
		sb_addf(&sb, "  ");
		text_pad(&sb, unit_label(u), 28);
		sb_addf(&sb, "  %s\n", _(unit_kind_name(u->kind)));
		fputs(sb_str(&sb), out);
	}
	sb_free(&sb);
	free(order);
}

static int init_run(struct cmd_ctx *ctx)
{
	const struct unit *u;
	struct access_change ch = { ctx->unit, cmd_opt(ctx, "operator"), NULL, cmd_flag(ctx, "force") };
	struct err e;
	int rc;

	if (!ctx->unit || !formset_find_unit(ctx->forms, ctx->unit)) {
		if (ctx->unit)
			fprintf(stderr, _("%s init: there is no unit '%s' in %s. The units are:\n"), ctx->app->prog, ctx->unit,
				formset_units_name(ctx->forms));
		else
			fprintf(stderr, _("%s init: which unit does this computer report for? The units are:\n"), ctx->app->prog);
		print_units(stderr, ctx->forms);
		fprintf(stderr, _("Give its code or its name: %s init --unit CODE [--operator NAME]\n"), ctx->app->prog);
		return ctx->unit ? EXIT_DATA : EXIT_USAGE;
	}
	if (app_open_store(ctx->app, STORE_WRITE, &ctx->st, &e) != 0)
		return cmd_fail(ctx, &e);
	ch.by = ch.operator_name ? ch.operator_name : app_operator(ctx->app, ctx->st);
	rc = access_init(ctx->st, ctx->forms, &ch, &u, &e);
	if (rc != 0)
		return cmd_fail(ctx, &e);
	printf(_("This installation reports for %s (%s, %s). Database: %s\n"), unit_label(u), u->code,
	       _(unit_kind_name(u->kind)), store_file(ctx->st));
	return EXIT_OK;
}

/* The database is opened (made when missing) only once the unit is known to be one of
 * the forms': `init` alone lists the units and makes nothing. */
const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.summary = N_("set which unit this installation reports for"),
	.usage = "init [--unit CODE|NAME] [--operator NAME] [--force]",
	.help = N_("Sets which unit this installation reports for (a village, a department or the\n"
		   "township itself) and who is entering data. Creates the database if needed.\n"
		   "Without --unit, lists the units to choose from. --unit takes a code or an exact name.\n"
		   "Changing the unit of a database that holds other units' values needs --force;\n"
		   "the change is written in the audit trail (tianbao log)."),
	.options = {
		{ .name = "unit", .kind = CV_UNIT },
		{ .name = "operator", .kind = CV_TEXT, .valid = operator_name_valid, .refused = operator_refused },
		{ .name = "force", .kind = CV_FLAG },
	},
	.args = { 0, 0 },
	.store = CMD_NO_STORE,
	.flags = CMD_FORMS,
	.run = init_run,
};

/* ---- set ----------------------------------------------------------------------- */

/* FIELD=VALUE, with a field named. */
static int set_check(const struct cmd_ctx *ctx, struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	for (int i = 0; i < ctx->argc; i++) {
		char *eq = strchr(ctx->argv[i], '=');

		if (!eq || eq == ctx->argv[i]) {
			err_set(e, _("'%s' is not FIELD=VALUE"), text_echo(ctx->argv[i], eb, sizeof eb));
			return -1;
		}
	}
	return 0;
}

static int set_run(struct cmd_ctx *ctx)
{
	struct entry_input *in;
	struct entry_outcome out;
	struct err e;
	const char *comment = cmd_opt(ctx, "comment");
	int n = ctx->argc, rc;

	in = xcalloc((size_t)n, sizeof *in);
	for (int i = 0; i < n; i++) {
		char *eq = strchr(ctx->argv[i], '=');

		*eq = '\0';
		in[i].field = ctx->argv[i];
		in[i].value = eq + 1;
		in[i].set_comment = comment != NULL;
		in[i].comment = comment;
	}
	rc = entry_set_values(ctx->st, &ctx->access, ctx->forms, ctx->unit, ctx->period, cmd_opt(ctx, "form"), in, n,
			      app_operator(ctx->app, ctx->st), "typed", &out, &e);
	free(in);
	if (rc != 0)
		return cmd_fail(ctx, &e);
	if (out.nrejected > 0) {
		for (int i = 0; i < out.nrejected; i++)
			fprintf(stderr, "%s set: %s\n", ctx->app->prog, out.rejected[i].message);
		fprintf(stderr, _("%s set: nothing was saved (%d value(s) refused)\n"), ctx->app->prog, out.nrejected);
		entry_outcome_free(&out);
		return EXIT_DATA;
	}
	printf(_("saved: %d changed, %d unchanged\n"), out.written.written, out.written.unchanged);
	entry_outcome_free(&out);
	return EXIT_OK;
}

/* The unit and the form are checked by entry_set_values (core/entry.h), the unit first. */
const struct cmd_entry cmd_set_entry = {
	.name = "set",
	.summary = N_("enter values from the command line (all or nothing)"),
	.usage = "set [--unit CODE] --period P [--form ID] [--comment TEXT] FIELD=VALUE...",
	.help = N_("Writes values, checked by the rules of their form. All or nothing: when any value\n"
		   "is refused, none is written and each refusal is named. FIELD= clears a value.\n"
		   "--comment attaches a short note to each value given (at most 100 characters;\n"
		   "--comment '' removes it); without it, a value keeps the comment it had."),
	.options = {
		{ .name = "unit", .kind = CV_UNIT },
		{ .name = "period", .kind = CV_PERIOD, .required = N_("--period P is required (2026, 2026Q1 or 202603)") },
		{ .name = "form", .kind = CV_TEXT },
		{ .name = "comment", .kind = CV_TEXT },
	},
	.args = { 1, -1 },
	.args_missing = N_("give at least one FIELD=VALUE"),
	.store = CMD_STORE_WRITE,
	.flags = CMD_ACCESS | CMD_UNIT_OWN,
	.unit_missing = N_("--unit CODE is required (this installation is not set to one village or department)"),
	.check = set_check,
	.run = set_run,
};

/* ---- dump ---------------------------------------------------------------------- */

struct dump_ctx {
	struct strbuf line;
	long rows;
};

static const char dump_header[] = "unit,period,form,field,value,updated_at,updated_by\n";

static int dump_row(void *vctx, const struct value_row *r)
{
	struct dump_ctx *c = vctx;
	const char *cols[] = { r->unit, r->period, r->form, r->field, r->value, r->updated_at, r->updated_by };

	if (c->rows++ == 0)
		fputs(dump_header, stdout);
	sb_reset(&c->line);
	for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
		if (i)
			csv_sep(&c->line);
		csv_value(&c->line, cols[i] ? cols[i] : "");
	}
	csv_end_row(&c->line, false);
	fputs(sb_str(&c->line), stdout);
	return ferror(stdout) ? -1 : 0;
}

static int dump_run(struct cmd_ctx *ctx)
{
	struct value_filter flt = { ctx->unit, ctx->period, cmd_opt(ctx, "form"), false };
	struct dump_ctx dc = { .rows = 0 };
	struct err e;
	int rc;

	sb_init(&dc.line);
	rc = store_each_value(ctx->st, &flt, dump_row, &dc, &e);
	sb_free(&dc.line);
	if (rc != 0)
		return cmd_fail_output(ctx, &e);
	/* Nothing for a unit: a mistyped code says so rather than printing nothing (as log
	 * does; a unit units.ini no longer lists keeps its values, so that is looked up only
	 * when there are none). */
	if (dc.rows == 0 && ctx->unit) {
		cmd_close_store(ctx);
		if (app_load_forms(ctx->app) == 0 && !formset_need_unit(&ctx->app->forms, ctx->unit, &e))
			return cmd_fail(ctx, &e);
	}
	if (dc.rows == 0)
		fputs(dump_header, stdout);
	return EXIT_OK;
}

/* --unit and --form only choose what is printed: a unit is checked only when it has no
 * values (see dump_run). */
const struct cmd_entry cmd_dump_entry = {
	.name = "dump",
	.summary = N_("print every stored value as CSV"),
	.usage = "dump [--unit CODE] [--period P] [--form ID]",
	.help = N_("Prints every stored value as CSV (UTF-8, RFC 4180 quoting), one per line, sorted:\n"
		   "unit,period,form,field,value,updated_at,updated_by\n"
		   "Text beginning with = + - @, a tab or CR gets a leading ' (as in reports), so that a\n"
		   "spreadsheet never runs it as a formula; numbers are written as they are."),
	.options = {
		{ .name = "unit", .kind = CV_UNIT },
		{ .name = "period", .kind = CV_PERIOD },
		{ .name = "form", .kind = CV_TEXT },
	},
	.args = { 0, 0 },
	.store = CMD_STORE_READ,
	.run = dump_run,
};

/* ---- status -------------------------------------------------------------------- */

/* One line per problem, with the field code so a script or a clerk can find it. */
static void print_problems(FILE *out, const struct form_eval *ev, bool errors_only)
{
	struct strbuf sb;

	sb_init(&sb);
	for (int i = 0; i < ev->nproblems; i++) {
		const struct problem *p = &ev->problems[i];

		if (errors_only && !p->is_error)
			continue;
		sb_reset(&sb);
		problem_describe(ev, p, &sb);
		fprintf(out, "    %s [%s] %s\n", p->is_error ? _("error:") : _("warning:"),
			p->field >= 0 ? ev->form->fields[p->field].code : "-", sb_str(&sb));
	}
	sb_free(&sb);
}

/* One form of one unit and period: its line, and its problems once it has a state. */
static int status_line(struct cmd_ctx *ctx, const struct unit *un, const struct form *fm, const char *period,
		       struct strbuf *line, struct err *e)
{
	struct form_status fst;
	char count[32];

	if (form_status_load(ctx->st, fm, un->code, period, &fst, e) != 0)
		return -1;
	sb_reset(line);
	text_pad(line, unit_label(un), 16);
	sb_addf(line, " %-13s %-7s %-12s ", un->code, period, fm->id);
	text_pad(line, form_status_word(fst.shown), 12);
	snprintf(count, sizeof count, "%d/%d", fst.ev.filled, fst.ev.asked);
	sb_addf(line, " %7s  ", count);
	sb_addf(line, _("%d to fill, %d error(s), %d warning(s)"), fst.ev.missing, fst.ev.errors - fst.ev.missing,
		fst.ev.warnings);
	if (fst.nconflicts)
		sb_addf(line, _(", %d in conflict"), fst.nconflicts);
	if (fst.stored.state == FST_COMPLETE && fst.shown != FST_COMPLETE)
		sb_addf(line, _("; marked complete by %s at %s, but a value is in conflict"), fst.stored.changed_by,
			fst.stored.changed_at);
	else if (fst.stored.state != FST_EMPTY)
		sb_addf(line, _("; set by %s at %s"), fst.stored.changed_by, fst.stored.changed_at);
	puts(sb_str(line));
	if (fst.stored.state != FST_EMPTY)
		print_problems(stdout, &fst.ev, false);
	form_status_free(&fst);
	return 0;
}

static int status_run(struct cmd_ctx *ctx)
{
	const struct formset *fs = ctx->forms;
	struct err e;
	char **periods = NULL;
	int nperiods = 0, rc = 0;
	struct strbuf line;

	if (ctx->period) {
		periods = xcalloc(1, sizeof *periods);
		periods[0] = xstrdup(ctx->period);
		nperiods = 1;
	} else if (store_list_periods(ctx->st, ctx->unit, &periods, &nperiods, &e) != 0) {
		return cmd_fail(ctx, &e);
	}
	printf(_("Forms: %s (%s)\n"), app_forms_dir(ctx->app), forms_source_word(app_forms_source(ctx->app)));
	if (nperiods == 0)
		printf("%s\n", _("No data has been entered yet."));
	sb_init(&line);
	for (int p = 0; rc == 0 && p < nperiods; p++) {
		for (int u = 0; rc == 0 && u < fs->nunits; u++) {
			const struct unit *un = &fs->units[u];

			if (ctx->unit && strcmp(un->code, ctx->unit) != 0)
				continue;
			for (int f = 0; rc == 0 && f < fs->nforms; f++) {
				const struct form *fm = &fs->forms[f];

				if (form_applies_to(fm, un) && period_valid(periods[p], fm->period))
					rc = status_line(ctx, un, fm, periods[p], &line, &e);
			}
		}
	}
	sb_free(&line);
	strlist_free(periods, nperiods);
	return rc == 0 ? EXIT_OK : cmd_fail(ctx, &e);
}

/* Any unit units.ini lists may be looked at; without --unit, this installation's own
 * (a township's: every unit). */
const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.summary = N_("list units and forms with their state and problems"),
	.usage = "status [--period P] [--unit CODE]",
	.help = N_("Lists each unit and form with its state, how many of its fields are filled, and\n"
		   "the problems that keep it from being complete."),
	.options = {
		{ .name = "period", .kind = CV_PERIOD },
		{ .name = "unit", .kind = CV_UNIT },
	},
	.args = { 0, 0 },
	.store = CMD_STORE_READ,
	.flags = CMD_FORMS | CMD_ACCESS | CMD_UNIT_OWN | CMD_UNIT_KNOWN,
	.run = status_run,
};

/* ---- complete ------------------------------------------------------------------ */

static int complete_run(struct cmd_ctx *ctx)
{
	const struct form *f = ctx->form;
	struct form_eval ev;
	struct err e;
	int rc;

	rc = entry_complete(ctx->st, &ctx->access, ctx->forms, ctx->unit, ctx->period, f, app_operator(ctx->app, ctx->st),
			    &ev, &e);
	if (rc < 0)
		return cmd_fail(ctx, &e);
	if (rc > 0) {
		fprintf(stderr, _("%s complete: form '%s' of %s for %s has %d error(s) and cannot be completed:\n"),
			ctx->app->prog, f->id, ctx->unit, ctx->period, ev.errors);
		print_problems(stderr, &ev, true);
		form_eval_free(&ev);
		return EXIT_DATA;
	}
	printf(_("form '%s' of %s for %s is complete (%d warning(s))\n"), f->id, ctx->unit, ctx->period, ev.warnings);
	print_problems(stdout, &ev, false);
	form_eval_free(&ev);
	return EXIT_OK;
}

/* The form is looked up before entry_complete checks the unit, as it always was. */
const struct cmd_entry cmd_complete_entry = {
	.name = "complete",
	.summary = N_("mark a form complete when it has no errors"),
	.usage = "complete [--unit CODE] --period P --form ID",
	.help = N_("Marks a form complete when it has no errors; otherwise lists them and exits 1."),
	.options = {
		{ .name = "unit", .kind = CV_UNIT },
		{ .name = "period", .kind = CV_PERIOD, .required = N_("--period and --form are required") },
		{ .name = "form", .kind = CV_FORM, .required = N_("--period and --form are required") },
	},
	.args = { 0, 0 },
	.store = CMD_STORE_WRITE,
	.flags = CMD_ACCESS | CMD_UNIT_OWN,
	.unit_missing = N_("--unit CODE is required"),
	.run = complete_run,
};

/* ---- log ----------------------------------------------------------------------- */

/* The reason codes stored in the audit trail, in words. */
static const char *reason_word(const char *code)
{
	static const struct { const char *code, *word; } words[] = {
		{ "typed", N_("typed") }, { "imported", N_("imported") }, { "resolved", N_("resolved") },
		{ "completed", N_("completed") }, { "reopened", N_("reopened") },
		/* The audit trail: the unit this installation reports for was set or changed. */
		{ "unit_set", N_("unit set") },
		/* The audit trail: a conflict's decision taken back on the conflicts screen. */
		{ "undone", N_("undone") },
	};

	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (strcmp(code, words[i].code) == 0)
			return _(words[i].word);
	return code;
}

/* The form states stored in the audit trail (field empty), in words. */
static const char *state_word(const char *code)
{
	static const struct { const char *code, *word; } words[] = {
		/* A form's state in the audit trail: no state yet (未填). */
		{ "empty", N_("empty") },
		/* A form's state in the audit trail: in progress (填写中). */
		{ "progress", N_("progress") },
		/* A form's state in the audit trail: complete (已完成). */
		{ "complete", N_("complete") },
	};

	if (!code)
		return "";
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (strcmp(code, words[i].code) == 0)
			return _(words[i].word);
	return code;
}

static int log_row(void *ctx, const struct audit_row *r)
{
	int *rows = ctx;

	(*rows)++;
	if (strcmp(r->reason, "unit_set") == 0)
		printf(_("%s  this installation reports for: %s -> %s  [%s, %s]"), r->at,
		       r->old_value ? r->old_value : _("(none)"), r->new_value ? r->new_value : _("(none)"),
		       reason_word(r->reason), r->by);
	else if (r->field[0])
		printf("%s  %s %s %s %s: %s -> %s  [%s, %s]", r->at, r->unit, r->period, r->form, r->field,
		       r->old_value ? r->old_value : _("(empty)"), r->new_value ? r->new_value : _("(empty)"),
		       reason_word(r->reason), r->by);
	else
		printf("%s  %s %s %s: %s -> %s  [%s, %s]", r->at, r->unit, r->period, r->form, state_word(r->old_value),
		       state_word(r->new_value), reason_word(r->reason), r->by);
	if (r->field[0] && r->comment)
		printf(_("  comment: %s"), r->comment);
	/* A value that came in a file says which (see 'tianbao log --merges'), its name made
	 * safe to print: one stored before merge cleaned names may hold escape sequences. */
	if (r->source_file) {
		char *file = text_sanitize(r->source_file);

		printf(_("  from %s"), file);
		free(file);
	}
	putchar('\n');
	return ferror(stdout) ? -1 : 0;
}

static int merge_log_row(void *ctx, const struct merge_row *r)
{
	char *file = text_sanitize(r->file_name);

	(void)ctx;
	printf(_("%s  merged %s by %s: from installation %s (%s), exported by %s at %s: %d new, %d updated, %d unchanged, %d conflicting; checksum %s\n"),
	       r->merged_at, file, r->merged_by, r->installation, r->source_units, r->exported_by, r->exported_at,
	       r->counts.n_new, r->counts.n_updated, r->counts.n_unchanged, r->counts.n_conflicting, r->checksum);
	free(file);
	return ferror(stdout) ? -1 : 0;
}

static void since_refused(const char *value, struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	err_set(e, _("--since takes a date such as 2026-03-01, not '%s'"), text_echo(value, eb, sizeof eb));
}

static int log_check(const struct cmd_ctx *ctx, struct err *e)
{
	if (cmd_flag(ctx, "merges") && (ctx->unit || cmd_opt(ctx, "since"))) {
		err_set(e, "%s", _("--merges lists every file merged; it takes no --unit or --since"));
		return -1;
	}
	return 0;
}

static int log_run(struct cmd_ctx *ctx)
{
	const char *unit = ctx->unit, *since = cmd_opt(ctx, "since");
	struct app *app = ctx->app;
	struct err e;
	int rows = 0;

	if (cmd_flag(ctx, "merges") ? store_each_merge(ctx->st, merge_log_row, NULL, &e) != 0
				    : store_each_audit(ctx->st, unit, since, log_row, &rows, &e) != 0)
		return cmd_fail_output(ctx, &e);
	cmd_close_store(ctx);
	if (unit && rows == 0) {
		/* Nothing for a unit: a mistyped code says so rather than printing nothing. (A
		 * unit units.ini no longer lists keeps its history, so that is looked up only
		 * when there is none.) */
		if (app_load_forms(app) == 0 && !formset_need_unit(&app->forms, unit, &e))
			return cmd_fail(ctx, &e);
		if (since)
			fprintf(stderr, _("%s: no change of %s is recorded since %s\n"), app->prog, unit, since);
		else
			fprintf(stderr, _("%s: no change of %s is recorded\n"), app->prog, unit);
	}
	return EXIT_OK;
}

/* The forms are loaded only when a unit has nothing to show (see log_run). */
const struct cmd_entry cmd_log_entry = {
	.name = "log",
	.summary = N_("print the audit trail of every change (--merges: every file merged)"),
	.usage = "log [--unit CODE] [--since DATE] | log --merges",
	.help = N_("Prints the audit trail: every change, with the old and new value, who, when and why\n"
		   "(and for a merged value, the file it came in). --merges prints the merge log\n"
		   "instead: every file merged, when and by whom, where it came from, its counts and\n"
		   "its checksum."),
	.options = {
		{ .name = "unit", .kind = CV_UNIT },
		{ .name = "since", .kind = CV_TEXT, .valid = stamp_prefix_valid, .refused = since_refused },
		{ .name = "merges", .kind = CV_FLAG },
	},
	.args = { 0, 0 },
	.store = CMD_STORE_READ,
	.check = log_check,
	.run = log_run,
};
