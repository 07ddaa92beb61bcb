/* cmd_exchange.c - the exchange's commands: export, verify, merge, conflicts, resolve.
 * The work is done by core/exchange.c, tbx/ and store/merge.c; here are options and output. */
#include "cli/cmd_exchange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/access.h"
#include "core/entry.h"
#include "core/exchange.h"
#include "core/package_export.h"
#include "core/package_install.h"
#include "lib/strlist.h"
#include "lib/i18n.h"
#include "store/store.h"
#include "lib/text.h"
#include "lib/err.h"
#include "lib/str.h"
#include "store/conflicts.h"
#include "tbx/tbx.h"

/* "a, b, c" or "a, b, c and 4 more". */
static void list_short(struct strbuf *sb, char **list, int n, int max)
{
	for (int i = 0; i < n && i < max; i++)
		sb_addf(sb, "%s%s", i ? ", " : "", list[i]);
	if (n > max)
		sb_addf(sb, _(" and %d more"), n - max);
}

/* ---- export ---------------------------------------------------------------------- */

/* The township's forms onto the stick: on their own (--forms: the path on stdout), or
 * beside its data export (then said on stderr, so stdout stays the export's path). */
static int export_forms(struct cmd_ctx *ctx, const char *out, bool alone)
{
	struct package_export_result res;
	const char *dir;
	struct err e;

	if (app_writable_forms_dir(ctx->app, &dir, &e) != 0 ||
	    package_export_township(ctx->forms, &ctx->access, dir, out, app_operator(ctx->app, ctx->st), &res, &e) != 0)
		return cmd_fail(ctx, &e);
	if (alone)
		puts(res.path);
	else
		fprintf(stderr, _("%s export: the township's forms and units went with it: %s (form package version %lld)\n"),
			ctx->app->prog, res.path, res.version);
	if (alone && res.already)
		fprintf(stderr, _("%s export: that form package (version %lld) was on the stick already: the forms have not changed since\n"),
			ctx->app->prog, res.version);
	free(res.path);
	return EXIT_OK;
}

static int export_run(struct cmd_ctx *ctx)
{
	const char *periods_opt = cmd_opt(ctx, "period"), *out = cmd_opt(ctx, "out");
	struct export_request rq;
	struct export_result res;
	struct err e;
	int rc;

	if (cmd_flag(ctx, "forms"))
		return export_forms(ctx, out ? out : ".", true);

	rq.periods = (const char *const *)ctx->periods;
	rq.nperiods = ctx->nperiods;
	rq.out_dir = out ? out : ".";
	rq.operator_name = app_operator(ctx->app, ctx->st);
	rc = exchange_export(ctx->st, ctx->forms, &rq, &res, &e);
	if (rc < 0)
		return cmd_fail(ctx, &e);
	if (rc > 0) {
		if (periods_opt)
			err_set(&e, _("there is nothing to export for %s: no values are stored for those periods"), periods_opt);
		else
			err_set(&e, "%s", _("there is nothing to export: no values are stored yet"));
		return cmd_fail(ctx, &e);
	}
	puts(res.path);
	if (res.left_out > 0)
		fprintf(stderr, _("%s export: note: %d value(s) of fields that the current forms no longer have stay here and were not exported\n"),
			ctx->app->prog, res.left_out);
	export_result_free(&res);
	if (package_goes_with_export(ctx->app, &ctx->access))
		return export_forms(ctx, out ? out : ".", false);
	return EXIT_OK;
}

/* Read as this installation's live database: an export is made on the laptop's own disk. */
const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.summary = N_("write this installation's data into an export file to carry"),
	.usage = "export [--period P[,P...]] [--out DIR] [--forms]",
	.help = N_("Writes this installation's data (every period, or those named) into one export\n"
		   "file in DIR (default: the current folder) and prints its path. The file is named\n"
		   "tianbao-UNIT-PERIODS-TIME.tbx, e.g. tianbao-360730105201-2026-20261129T115320Z.tbx.\n"
		   "It is written under a temporary name, synced, renamed, then read back and checked,\n"
		   "so an unplugged stick never holds a file that looks complete but is not.\n"
		   "Carry it to the township and run 'tianbao merge' there.\n"
		   "At a township with forms of its own (~/.config/tianbao/forms), its forms and\n"
		   "units go with it as a form package (tianbao-forms-TOWNSHIP-vN.tbp), which the\n"
		   "villages import the same way; --forms writes the package alone. Its version\n"
		   "grows when the forms change."),
	.options = {
		{ .name = "period", .kind = CV_PERIODS },
		{ .name = "out", .kind = CV_TEXT },
		{ .name = "forms", .kind = CV_FLAG },
	},
	.args = { 0, 0 },
	.store = CMD_STORE_READ_LIVE,
	.flags = CMD_ACCESS,
	.run = export_run,
};

/* ---- verify ---------------------------------------------------------------------- */

static void print_info(const struct export_info *in)
{
	struct strbuf sb;

	sb_init(&sb);
	printf(_("  written:  %s by %s, installation %s (%s), tianbao %s, export version %d\n"), in->written_at,
	       in->written_by, in->installation, in->installation_unit[0] ? in->installation_unit : "-",
	       in->program_version, in->version);
	list_short(&sb, in->units, in->nunits, 20);
	printf(_("  units:    %s\n"), sb_str(&sb));
	sb_reset(&sb);
	list_short(&sb, in->periods, in->nperiods, 20);
	printf(_("  periods:  %s\n"), sb_str(&sb));
	for (int i = 0; i < in->nforms; i++)
		printf(_("  form:     %s version %d (definition %.12s)\n"), in->forms[i].id, in->forms[i].version,
		       in->forms[i].hash);
	printf(_("  values:   %lld\n"), (long long)in->value_count);
	if (in->version >= 3)
		printf(_("  set aside: %lld candidate(s) that a decision set aside\n"), (long long)in->superseded_count);
	if (in->version < 2)
		printf("%s\n", _("  states:   none (export version 1 does not carry form states)"));
	else
		printf(_("  states:   %lld form state(s), %lld of them complete\n"), (long long)in->state_count,
		       (long long)in->complete_count);
	printf(_("  checksum: %s\n"), in->checksum);
	sb_free(&sb);
}

static int verify_run(struct cmd_ctx *ctx)
{
	int bad = 0;

	for (int i = 0; i < ctx->argc; i++) {
		struct export_info info;
		enum export_problem pb;
		struct err e;
		char *name;

		if (exchange_verify(ctx->argv[i], &info, &pb, &e) != 0) {
			app_error(ctx->app, e.msg);
			bad++;
			continue;
		}
		name = text_sanitize(ctx->argv[i]);
		printf(_("%s: a complete, intact tianbao export\n"), name);
		free(name);
		print_info(&info);
		export_info_free(&info);
	}
	return bad ? EXIT_DATA : EXIT_OK;
}

/* Nothing is opened: a file is checked on its own. */
const struct cmd_entry cmd_verify_entry = {
	.name = "verify",
	.summary = N_("check that export files are complete and intact, and say what they hold"),
	.usage = "verify FILE...",
	.help = N_("Checks that each file is a complete, intact tianbao export and says what it holds:\n"
		   "units, periods, forms with their versions, the number of values and of form states\n"
		   "(how many complete), who wrote it and when, and its checksum. Exits 1 if any file\n"
		   "is not. Nothing is written."),
	.args = { 1, -1 },
	.args_missing = N_("name at least one export file"),
	.run = verify_run,
};

/* ---- merge ----------------------------------------------------------------------- */

struct merge_out {
	struct app *app;
	int merged, already, refused, conflicting;
};

static void what_it_holds(struct strbuf *sb, const struct export_info *in)
{
	sb_addc(sb, '(');
	list_short(sb, in->units, in->nunits, 3);
	sb_add(sb, "; ");
	list_short(sb, in->periods, in->nperiods, 4);
	sb_addc(sb, ')');
}

/* One line per file, as it is done. */
static void merge_line(void *ctx, int done, int total, const struct merge_report *r)
{
	struct merge_out *o = ctx;
	struct strbuf sb;

	(void)done;
	(void)total;
	sb_init(&sb);
	switch (r->outcome) {
	case MO_MERGED:
		what_it_holds(&sb, &r->info);
		if (r->counts.n_complete + r->counts.n_progress == 0)
			printf(_("%s %s: %d new, %d updated, %d unchanged, %d conflicting\n"), r->file, sb_str(&sb),
			       r->counts.n_new, r->counts.n_updated, r->counts.n_unchanged, r->counts.n_conflicting);
		else
			printf(_("%s %s: %d new, %d updated, %d unchanged, %d conflicting; form states: %d now complete, %d now in progress\n"),
			       r->file, sb_str(&sb), r->counts.n_new, r->counts.n_updated, r->counts.n_unchanged,
			       r->counts.n_conflicting, r->counts.n_complete, r->counts.n_progress);
		if (r->counts.n_copies > 0)
			printf(_("  copies of one database: %d value(s) written differently under one installation id (a restored backup or a copied database file); every copy's value is kept\n"),
			       r->counts.n_copies);
		if (r->note[0])
			printf(_("  note: %s\n"), r->note);
		o->merged++;
		o->conflicting += r->counts.n_conflicting;
		break;
	case MO_ALREADY:
		what_it_holds(&sb, &r->info);
		printf(_("%s %s: already merged on %s (the same content); skipped\n"), r->file, sb_str(&sb), r->merged_before);
		o->already++;
		break;
	case MO_REFUSED:
		fflush(stdout);
		fprintf(stderr, "%s merge: %s\n", o->app->prog, r->message);
		o->refused++;
		break;
	}
	sb_free(&sb);
	fflush(stdout);
}

/* Each form package first: what it would change, then (but in a dry run) installed, so
 * that the data files after it are read with the new forms. */
static int merge_packages(struct cmd_ctx *ctx, char **paths, int n, bool dry_run, struct merge_out *out)
{
	struct app *app = ctx->app;

	for (int i = 0; i < n; i++) {
		struct package_plan plan;
		enum package_problem pb;
		struct access acc;
		struct strbuf sb;
		struct err e;

		if (access_load(ctx->st, &app->forms, &acc, &e) != 0)
			return cmd_fail(ctx, &e);
		if (package_plan_make(paths[i], &app->forms, app_forms_dir(app), acc.own_code, &plan, &pb, &e) != 0) {
			fprintf(stderr, "%s merge: %s\n", app->prog, e.msg);
			out->refused++;
			continue;
		}
		sb_init(&sb);
		package_plan_describe(&plan, &sb);
		fputs(sb_str(&sb), stdout);
		sb_free(&sb);
		if (!dry_run && !plan.same && !plan.own) {
			int rc = package_install_here(app, ctx->st, &plan, &e);

			if (rc != 0)
				fprintf(stderr, "%s merge: %s\n", app->prog, e.msg);
			if (rc < 0) {
				out->refused++;
			} else {
				printf(_("Installed: the forms of %s, version %lld, in %s.\n"), plan.pkg.meta.township_name,
				       (long long)plan.pkg.meta.version, app_forms_dir(app));
				out->merged++;
			}
		}
		package_plan_free(&plan);
		fflush(stdout);
	}
	return EXIT_OK;
}

static int merge_run(struct cmd_ctx *ctx)
{
	struct app *app = ctx->app;
	struct merge_options mo;
	struct merge_out out = { app, 0, 0, 0, 0 };
	struct merge_report *reports = NULL;
	char **pkgs, **data;
	int npkgs, ndata;
	struct err e;
	int n = 0, files, rc = 0;

	mo.dry_run = cmd_flag(ctx, "dry-run");
	mo.operator_name = app_operator(app, ctx->st);
	mo.progress = merge_line;
	mo.ctx = &out;
	package_split_args((const char *const *)ctx->argv, ctx->argc, &pkgs, &npkgs, &data, &ndata);
	if (npkgs > 0 && (rc = merge_packages(ctx, pkgs, npkgs, mo.dry_run, &out)) != EXIT_OK) {
		strlist_free(pkgs, npkgs);
		strlist_free(data, ndata);
		return rc;
	}
	if (ndata > 0 && npkgs > 0 && mo.dry_run)
		printf("%s\n", _("note: a dry run installs no package, so the export files are read with the forms here now"));
	if (ndata > 0)
		rc = exchange_merge(ctx->st, ctx->forms, (const char *const *)data, ndata, &mo, &reports, &n, &e);
	exchange_free_reports(reports, n);
	files = n + npkgs;
	strlist_free(pkgs, npkgs);
	strlist_free(data, ndata);
	if (rc != 0) {
		err_prefix(&e, _("stopped: "));
		return cmd_fail(ctx, &e);
	}
	cmd_close_store(ctx);
	if (files > 1)
		printf(_("%d file(s) merged, %d already merged before, %d refused\n"), out.merged, out.already, out.refused);
	if (mo.dry_run)
		printf("%s\n", _("dry run: nothing was changed"));
	else if (out.conflicting > 0)
		printf(_("Values in conflict: see them with '%s conflicts' and decide each with '%s resolve'.\n"), app->prog,
		       app->prog);
	return out.refused ? EXIT_DATA : EXIT_OK;
}

/* A new laptop's database is made by its first merge, as by init: a village may import
 * its township's form package before anything else. */
const struct cmd_entry cmd_merge_entry = {
	.name = "merge",
	.summary = N_("merge export files from villages and departments into this database"),
	.usage = "merge [--dry-run] FILE|DIR...",
	.help = N_("Merges export files into this installation's database (a DIR means every *.tbx\n"
		   "and *.tbp file in it). A form package (.tbp) from the township comes first: what\n"
		   "it would change is shown, then it is installed into this user's configuration\n"
		   "(the set it replaces is kept: 'tianbao undo-forms'). Each export file is copied\n"
		   "off the stick, checked completely, and merged in\n"
		   "one transaction: a refused file changes nothing. One line per file: what it\n"
		   "holds and how many values are new, updated, unchanged or in conflict, and how\n"
		   "many forms it made complete or in progress here, or why it was refused (then the\n"
		   "exit status is 1). A file merged before is skipped. A form's state here is the\n"
		   "latest one known, from any file or set here, whatever order files come in.\n"
		   "--dry-run shows the same lines and changes nothing."),
	.options = {
		{ .name = "dry-run", .kind = CV_FLAG },
	},
	.args = { 1, -1 },
	.args_missing = N_("name at least one export file or folder"),
	.store = CMD_STORE_WRITE,
	.run = merge_run,
};

/* ---- conflicts ------------------------------------------------------------------ */

static const char *shown_value(const char *v)
{
	return v ? v : _("(empty)");
}

static int conflicts_run(struct cmd_ctx *ctx)
{
	struct conflict *c = NULL;
	struct err e;
	int n = 0;
	struct strbuf line;

	if (store_list_conflicts(ctx->st, ctx->period, &c, &n, &e) != 0)
		return cmd_fail(ctx, &e);
	sb_init(&line);
	for (int i = 0; i < n; i++) {
		const struct unit *u = formset_find_unit(ctx->forms, c[i].unit);
		int fi = -1;
		const struct form *f = formset_form_of_field(ctx->forms, c[i].field, &fi);

		sb_reset(&line);
		sb_addf(&line, "%s %s %s %s %s", c[i].unit, u ? i18n_pick(u->name, u->name_en) : "?", c[i].period,
			c[i].field, f ? i18n_pick(f->fields[fi].label, f->fields[fi].label_en) : "?");
		printf(_("%s: %d candidates (shown meanwhile: %s)\n"), sb_str(&line), c[i].ncands, shown_value(c[i].value));
		for (int k = 0; k < c[i].ncands; k++) {
			const struct conflict_candidate *cc = &c[i].cands[k];
			char *file = text_sanitize(cc->file);   /* stored before names were made safe */

			printf(_("    %s  %s  [%s, %s]  %s\n"), cc->installation, shown_value(cc->value), cc->updated_by,
			       cc->updated_at, file ? file : _("typed here"));
			if (cc->comment)
				printf(_("        comment: %s\n"), cc->comment);
			free(file);
		}
	}
	sb_free(&line);
	if (n == 0)
		printf("%s\n", _("No open conflicts."));
	else
		printf(_("%d open conflict(s). Decide each with: %s resolve --unit U --period P --field F --take INSTALLATION (or --value V)\n"),
		       n, ctx->app->prog);
	store_free_conflicts(c, n);
	return EXIT_OK;
}

/* The forms name the units and fields of the list. */
const struct cmd_entry cmd_conflicts_entry = {
	.name = "conflicts",
	.summary = N_("list the values that installations disagree on"),
	.usage = "conflicts [--period P]",
	.help = N_("Lists the values that installations disagree on: for each, the unit, period and\n"
		   "field, and every candidate with its installation, value, who wrote it when, and\n"
		   "the file it came from. Decide each with 'tianbao resolve'."),
	.options = {
		{ .name = "period", .kind = CV_PERIOD },
	},
	.args = { 0, 0 },
	.store = CMD_STORE_READ,
	.flags = CMD_FORMS,
	.run = conflicts_run,
};

/* ---- resolve ----------------------------------------------------------------------- */

static int resolve_check(const struct cmd_ctx *ctx, struct err *e)
{
	if ((cmd_opt(ctx, "take") != NULL) == (cmd_opt(ctx, "value") != NULL)) {
		err_set(e, "%s", _("give exactly one of --take INSTALLATION and --value V"));
		return -1;
	}
	return 0;
}

static int resolve_run(struct cmd_ctx *ctx)
{
	const char *unit = ctx->unit, *period = cmd_opt(ctx, "period"), *field = cmd_opt(ctx, "field");
	const char *take = cmd_opt(ctx, "take"), *value = cmd_opt(ctx, "value");
	const char *op = app_operator(ctx->app, ctx->st);
	struct err e;

	if (take) {
		struct resolve_result res;

		if (entry_resolve_take(ctx->st, &ctx->access, ctx->forms, unit, period, field, take, op, &res, &e) != 0)
			return cmd_fail(ctx, &e);
		printf(_("resolved: %s %s %s = %s (the value of installation %s)\n"), unit, period, field,
		       shown_value(res.new_value), res.installation);
		resolve_result_free(&res);
	} else {
		struct entry_outcome out;

		if (entry_resolve_value(ctx->st, &ctx->access, ctx->forms, unit, period, field, value, op, &out, &e) != 0)
			return cmd_fail(ctx, &e);
		if (out.nrejected > 0) {
			for (int i = 0; i < out.nrejected; i++)
				fprintf(stderr, "%s resolve: %s\n", ctx->app->prog, out.rejected[i].message);
			fprintf(stderr, _("%s resolve: the conflict stays open\n"), ctx->app->prog);
			entry_outcome_free(&out);
			return EXIT_DATA;
		}
		printf(_("resolved: %s %s %s = %s (entered here)\n"), unit, period, field, value[0] ? value : _("(empty)"));
		entry_outcome_free(&out);
	}
	return EXIT_OK;
}

/* The unit is checked by core/entry.h. The period is not checked here: one that is no
 * period has no open conflict, which is what resolve has always said of it. */
const struct cmd_entry cmd_resolve_entry = {
	.name = "resolve",
	.summary = N_("decide a conflict: take one installation's value, or enter one"),
	.usage = "resolve --unit U --period P --field F (--take INSTALLATION | --value V)",
	.help = N_("Decides a conflict: --take takes one installation's candidate (at least 6 hex\n"
		   "digits of its id, as 'tianbao conflicts' shows it); --value enters a value here,\n"
		   "checked by the form's rules (--value '' clears it). The decision is this\n"
		   "installation's own value, by you, now, and travels in its exports; the other\n"
		   "candidates are set aside, there and wherever the export is merged. A later change\n"
		   "from any installation counts again. Recorded in the audit trail as 'resolved'."),
	.options = {
		{ .name = "unit", .kind = CV_UNIT, .required = N_("--unit, --period and --field are required") },
		{ .name = "period", .kind = CV_TEXT, .required = N_("--unit, --period and --field are required") },
		{ .name = "field", .kind = CV_TEXT, .required = N_("--unit, --period and --field are required") },
		{ .name = "take", .kind = CV_TEXT },
		{ .name = "value", .kind = CV_TEXT },
	},
	.args = { 0, 0 },
	.store = CMD_STORE_WRITE,
	.flags = CMD_ACCESS,
	.check = resolve_check,
	.run = resolve_run,
};
