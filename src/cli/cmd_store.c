/* cmd_store.c - the store's commands: init, set, dump, status, complete, log. */
#include "cli/cmd_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "forms/period.h"
#include "lib/csv.h"
#include "core/access.h"
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

static int fail(struct app *app, struct store *st, const struct err *e)
{
	app_error(app, e->msg);
	store_close(st);
	return EXIT_DATA;
}

static const char *unit_label(const struct unit *u)
{
	return i18n_pick(u->name, u->name_en);
}

/* The unit a command means: --unit, else the one this installation reports for
 * (core/access.h). *unit is NULL when one must be given. */
static int default_unit(struct app *app, struct store *st, const char *given, struct access *acc, const char **unit,
			struct err *e)
{
	if (access_load(st, &app->forms, acc, e) != 0)
		return -1;
	*unit = given ? given : access_default_unit(acc);
	return 0;
}

/* ---- init ---------------------------------------------------------------------- */

int cmd_init(struct app *app, int argc, char **argv)
{
	const char *unit = NULL, *operator_name = NULL;
	const struct cli_option opts[] = { { "unit", 1, &unit }, { "operator", 1, &operator_name }, { NULL, 0, NULL } };
	struct store *st = NULL;
	const struct unit *u;
	struct err e;
	int first;

	first = cli_parse(app, "init", argc, argv, opts, "init --unit CODE [--operator NAME]",
			  _("Sets which unit this installation reports for (a village, a department or the\n"
			    "township itself) and who is entering data. Creates the database if needed."));
	if (first < 0)
		return cli_exit_status(first);
	if (first != argc) {
		cli_usage_error(app, "init", _("unexpected argument '%s'"), argv[first]);
		return EXIT_USAGE;
	}
	if (!unit) {
		cli_usage_error(app, "init", "%s", _("--unit CODE is required"));
		return EXIT_USAGE;
	}
	if (operator_name && !operator_name_valid(operator_name)) {
		cli_usage_error(app, "init", "%s", _("--operator takes a name of 1 to 64 characters without control characters"));
		return EXIT_USAGE;
	}
	if (app_load_forms(app) != 0)
		return EXIT_DATA;
	/* An unknown unit is refused before a database is made for it. */
	if (!formset_need_unit(&app->forms, unit, &e)) {
		app_error(app, e.msg);
		return EXIT_DATA;
	}
	if (app_open_store(app, STORE_WRITE, &st, &e) != 0 || access_init(st, &app->forms, unit, operator_name, &u, &e) != 0)
		return fail(app, st, &e);
	printf(_("This installation reports for %s (%s, %s). Database: %s\n"), unit_label(u), u->code,
	       _(unit_kind_name(u->kind)), store_file(st));
	store_close(st);
	return EXIT_OK;
}

/* ---- set ----------------------------------------------------------------------- */

int cmd_set(struct app *app, int argc, char **argv)
{
	const char *unit = NULL, *period = NULL, *form = NULL;
	const struct cli_option opts[] = {
		{ "unit", 1, &unit }, { "period", 1, &period }, { "form", 1, &form }, { NULL, 0, NULL },
	};
	struct entry_input *in;
	struct entry_outcome out;
	struct store *st = NULL;
	struct err e;
	struct access acc;
	int first, n, rc;

	first = cli_parse(app, "set", argc, argv, opts, "set [--unit CODE] --period P [--form ID] FIELD=VALUE...",
			  _("Writes values, checked by the rules of their form. All or nothing: when any value\n"
			    "is refused, none is written and each refusal is named. FIELD= clears a value."));
	if (first < 0)
		return cli_exit_status(first);
	if (!period) {
		cli_usage_error(app, "set", "%s", _("--period P is required (2026, 2026Q1 or 202603)"));
		return EXIT_USAGE;
	}
	if (period_check(period, &e) < 0) {
		cli_usage_error(app, "set", "%s", e.msg);
		return EXIT_USAGE;
	}
	n = argc - first;
	if (n == 0) {
		cli_usage_error(app, "set", "%s", _("give at least one FIELD=VALUE"));
		return EXIT_USAGE;
	}
	in = xcalloc((size_t)n, sizeof *in);
	for (int i = 0; i < n; i++) {
		char *eq = strchr(argv[first + i], '=');

		if (!eq || eq == argv[first + i]) {
			cli_usage_error(app, "set", _("'%s' is not FIELD=VALUE"), argv[first + i]);
			free(in);
			return EXIT_USAGE;
		}
		*eq = '\0';
		in[i].field = argv[first + i];
		in[i].value = eq + 1;
	}
	if (app_open_store(app, STORE_WRITE, &st, &e) != 0) {
		free(in);
		return fail(app, st, &e);
	}
	if (default_unit(app, st, unit, &acc, &unit, &e) != 0) {
		free(in);
		return fail(app, st, &e);
	}
	if (!unit) {
		free(in);
		store_close(st);
		cli_usage_error(app, "set", "%s", _("--unit CODE is required (this installation is not set to one village or department)"));
		return EXIT_USAGE;
	}
	rc = entry_set_values(st, &acc, &app->forms, unit, period, form, in, n, app_operator(app, st), "typed", &out, &e);
	free(in);
	if (rc != 0) {
		return fail(app, st, &e);
	}
	if (out.nrejected > 0) {
		for (int i = 0; i < out.nrejected; i++)
			fprintf(stderr, "%s set: %s\n", app->prog, out.rejected[i].message);
		fprintf(stderr, _("%s set: nothing was saved (%d value(s) refused)\n"), app->prog, out.nrejected);
		entry_outcome_free(&out);
		store_close(st);
		return EXIT_DATA;
	}
	printf(_("saved: %d changed, %d unchanged\n"), out.written.written, out.written.unchanged);
	entry_outcome_free(&out);
	store_close(st);
	return EXIT_OK;
}

/* ---- dump ---------------------------------------------------------------------- */

struct dump_ctx {
	struct strbuf line;
};

static int dump_row(void *vctx, const struct value_row *r)
{
	struct dump_ctx *c = vctx;
	const char *cols[] = { r->unit, r->period, r->form, r->field, r->value, r->updated_at, r->updated_by };

	sb_reset(&c->line);
	for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
		if (i)
			csv_sep(&c->line);
		csv_field(&c->line, cols[i] ? cols[i] : "", false);
	}
	csv_end_row(&c->line, false);
	fputs(sb_str(&c->line), stdout);
	return ferror(stdout) ? -1 : 0;
}

int cmd_dump(struct app *app, int argc, char **argv)
{
	struct value_filter flt = { NULL, NULL, NULL, false };
	const struct cli_option opts[] = {
		{ "unit", 1, &flt.unit }, { "period", 1, &flt.period }, { "form", 1, &flt.form }, { NULL, 0, NULL },
	};
	struct dump_ctx ctx;
	struct store *st = NULL;
	struct err e;
	int first, rc;

	first = cli_parse(app, "dump", argc, argv, opts, "dump [--unit CODE] [--period P] [--form ID]",
			  _("Prints every stored value as CSV (UTF-8, RFC 4180 quoting), one per line, sorted:\n"
			    "unit,period,form,field,value,updated_at,updated_by"));
	if (first < 0)
		return cli_exit_status(first);
	if (first != argc) {
		cli_usage_error(app, "dump", _("unexpected argument '%s'"), argv[first]);
		return EXIT_USAGE;
	}
	if (flt.period && period_check(flt.period, &e) < 0) {
		cli_usage_error(app, "dump", "%s", e.msg);
		return EXIT_USAGE;
	}
	if (store_open(app_db_path(app), STORE_READ, &st, &e) != 0)
		return fail(app, st, &e);
	sb_init(&ctx.line);
	fputs("unit,period,form,field,value,updated_at,updated_by\n", stdout);
	rc = store_each_value(st, &flt, dump_row, &ctx, &e);
	sb_free(&ctx.line);
	if (rc != 0) {
		if (rc > 0 || ferror(stdout))
			err_set(&e, "%s", _("could not write the output"));
		return fail(app, st, &e);
	}
	store_close(st);
	return EXIT_OK;
}

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

int cmd_status(struct app *app, int argc, char **argv)
{
	const char *period = NULL, *unit_opt = NULL;
	const struct cli_option opts[] = { { "period", 1, &period }, { "unit", 1, &unit_opt }, { NULL, 0, NULL } };
	struct store *st = NULL;
	struct err e;
	char **periods = NULL;
	struct access acc;
	const char *only_unit;
	int nperiods = 0, first;
	struct strbuf line;

	first = cli_parse(app, "status", argc, argv, opts, "status [--period P] [--unit CODE]",
			  _("Lists each unit and form with its state, how many of its fields are filled, and\n"
			    "the problems that keep it from being complete."));
	if (first < 0)
		return cli_exit_status(first);
	if (first != argc) {
		cli_usage_error(app, "status", _("unexpected argument '%s'"), argv[first]);
		return EXIT_USAGE;
	}
	if (period && period_check(period, &e) < 0) {
		cli_usage_error(app, "status", "%s", e.msg);
		return EXIT_USAGE;
	}
	if (app_load_forms(app) != 0)
		return EXIT_DATA;
	if (store_open(app_db_path(app), STORE_READ, &st, &e) != 0)
		return fail(app, st, &e);
	if (default_unit(app, st, unit_opt, &acc, &only_unit, &e) != 0 ||
	    (only_unit && !formset_need_unit(&app->forms, only_unit, &e)))
		return fail(app, st, &e);
	if (period) {
		periods = xcalloc(1, sizeof *periods);
		periods[0] = xstrdup(period);
		nperiods = 1;
	} else if (store_list_periods(st, only_unit, &periods, &nperiods, &e) != 0) {
		return fail(app, st, &e);
	}
	if (nperiods == 0)
		printf("%s\n", _("No data has been entered yet."));
	sb_init(&line);
	for (int p = 0; p < nperiods; p++) {
		for (int u = 0; u < app->forms.nunits; u++) {
			const struct unit *un = &app->forms.units[u];

			if (only_unit && strcmp(un->code, only_unit) != 0)
				continue;
			for (int f = 0; f < app->forms.nforms; f++) {
				const struct form *fm = &app->forms.forms[f];
				struct form_status fst;
				char count[32];

				if (!form_applies_to(fm, un) || !period_valid(periods[p], fm->period))
					continue;
				if (form_status_load(st, fm, un->code, periods[p], &fst, &e) != 0) {
					sb_free(&line);
					strlist_free(periods, nperiods);
					return fail(app, st, &e);
				}
				sb_reset(&line);
				text_pad(&line, unit_label(un), 16);
				sb_addf(&line, " %-13s %-7s %-12s ", un->code, periods[p], fm->id);
				text_pad(&line, form_status_word(fst.shown), 12);
				snprintf(count, sizeof count, "%d/%d", fst.ev.filled, fst.ev.asked);
				sb_addf(&line, " %7s  ", count);
				sb_addf(&line, _("%d to fill, %d error(s), %d warning(s)"), fst.ev.missing,
					fst.ev.errors - fst.ev.missing, fst.ev.warnings);
				if (fst.nconflicts)
					sb_addf(&line, _(", %d in conflict"), fst.nconflicts);
				if (fst.stored.state == FST_COMPLETE && fst.shown != FST_COMPLETE)
					sb_addf(&line, _("; marked complete by %s at %s, but a value is in conflict"),
						fst.stored.changed_by, fst.stored.changed_at);
				else if (fst.stored.state != FST_EMPTY)
					sb_addf(&line, _("; set by %s at %s"), fst.stored.changed_by, fst.stored.changed_at);
				puts(sb_str(&line));
				if (fst.stored.state != FST_EMPTY)
					print_problems(stdout, &fst.ev, false);
				form_status_free(&fst);
			}
		}
	}
	sb_free(&line);
	strlist_free(periods, nperiods);
	store_close(st);
	return EXIT_OK;
}

/* ---- complete ------------------------------------------------------------------ */

int cmd_complete(struct app *app, int argc, char **argv)
{
	const char *unit = NULL, *period = NULL, *form_id = NULL;
	const struct cli_option opts[] = {
		{ "unit", 1, &unit }, { "period", 1, &period }, { "form", 1, &form_id }, { NULL, 0, NULL },
	};
	const struct form *f;
	struct form_eval ev;
	struct store *st = NULL;
	struct err e;
	struct access acc;
	int first, rc;

	first = cli_parse(app, "complete", argc, argv, opts, "complete [--unit CODE] --period P --form ID",
			  _("Marks a form complete when it has no errors; otherwise lists them and exits 1."));
	if (first < 0)
		return cli_exit_status(first);
	if (first != argc || !period || !form_id) {
		if (first != argc)
			cli_usage_error(app, "complete", _("unexpected argument '%s'"), argv[first]);
		else
			cli_usage_error(app, "complete", "%s", _("--period and --form are required"));
		return EXIT_USAGE;
	}
	if (period_check(period, &e) < 0) {
		cli_usage_error(app, "complete", "%s", e.msg);
		return EXIT_USAGE;
	}
	if (app_open_store(app, STORE_WRITE, &st, &e) != 0)
		return fail(app, st, &e);
	if (default_unit(app, st, unit, &acc, &unit, &e) != 0)
		return fail(app, st, &e);
	if (!unit) {
		store_close(st);
		cli_usage_error(app, "complete", "%s", _("--unit CODE is required"));
		return EXIT_USAGE;
	}
	f = formset_find_form(&app->forms, form_id);
	if (!f) {
		err_set(&e, _("unknown form '%s'"), form_id);
		return fail(app, st, &e);
	}
	rc = entry_complete(st, &acc, &app->forms, unit, period, f, app_operator(app, st), &ev, &e);
	if (rc < 0) {
		return fail(app, st, &e);
	}
	if (rc > 0) {
		fprintf(stderr, _("%s complete: form '%s' of %s for %s has %d error(s) and cannot be completed:\n"), app->prog,
			f->id, unit, period, ev.errors);
		print_problems(stderr, &ev, true);
		form_eval_free(&ev);
		store_close(st);
		return EXIT_DATA;
	}
	printf(_("form '%s' of %s for %s is complete (%d warning(s))\n"), f->id, unit, period, ev.warnings);
	print_problems(stdout, &ev, false);
	form_eval_free(&ev);
	store_close(st);
	return EXIT_OK;
}

/* ---- log ----------------------------------------------------------------------- */

/* The reason codes stored in the audit trail, in words. */
static const char *reason_word(const char *code)
{
	static const struct { const char *code, *word; } words[] = {
		{ "typed", N_("typed") }, { "imported", N_("imported") }, { "resolved", N_("resolved") },
		{ "completed", N_("completed") }, { "reopened", N_("reopened") },
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
	if (r->field[0])
		printf("%s  %s %s %s %s: %s -> %s  [%s, %s]", r->at, r->unit, r->period, r->form, r->field,
		       r->old_value ? r->old_value : _("(empty)"), r->new_value ? r->new_value : _("(empty)"),
		       reason_word(r->reason), r->by);
	else
		printf("%s  %s %s %s: %s -> %s  [%s, %s]", r->at, r->unit, r->period, r->form, state_word(r->old_value),
		       state_word(r->new_value), reason_word(r->reason), r->by);
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

int cmd_log(struct app *app, int argc, char **argv)
{
	const char *unit = NULL, *since = NULL, *merges = NULL;
	const struct cli_option opts[] = {
		{ "unit", 1, &unit }, { "since", 1, &since }, { "merges", 0, &merges }, { NULL, 0, NULL },
	};
	struct store *st = NULL;
	struct err e;
	int first, rows = 0;

	first = cli_parse(app, "log", argc, argv, opts, "log [--unit CODE] [--since DATE] | log --merges",
			  _("Prints the audit trail: every change, with the old and new value, who, when and why\n"
			    "(and for a merged value, the file it came in). --merges prints the merge log\n"
			    "instead: every file merged, when and by whom, where it came from, its counts and\n"
			    "its checksum."));
	if (first < 0)
		return cli_exit_status(first);
	if (first != argc) {
		cli_usage_error(app, "log", _("unexpected argument '%s'"), argv[first]);
		return EXIT_USAGE;
	}
	if (since && !stamp_prefix_valid(since)) {
		cli_usage_error(app, "log", _("--since takes a date such as 2026-03-01, not '%s'"), since);
		return EXIT_USAGE;
	}
	if (merges && (unit || since)) {
		cli_usage_error(app, "log", "%s", _("--merges lists every file merged; it takes no --unit or --since"));
		return EXIT_USAGE;
	}
	if (store_open(app_db_path(app), STORE_READ, &st, &e) != 0)
		return fail(app, st, &e);
	if (merges ? store_each_merge(st, merge_log_row, NULL, &e) != 0
		   : store_each_audit(st, unit, since, log_row, &rows, &e) != 0)
		return fail(app, st, &e);
	store_close(st);
	if (unit && rows == 0) {
		/* Nothing for a unit: a mistyped code says so rather than printing nothing. (A
		 * unit units.ini no longer lists keeps its history, so that is looked up only
		 * when there is none.) */
		if (app_load_forms(app) == 0 && !formset_find_unit(&app->forms, unit)) {
			formset_need_unit(&app->forms, unit, &e);
			return fail(app, NULL, &e);
		}
		if (since)
			fprintf(stderr, _("%s: no change of %s is recorded since %s\n"), app->prog, unit, since);
		else
			fprintf(stderr, _("%s: no change of %s is recorded\n"), app->prog, unit);
	}
	return EXIT_OK;
}
