/* ui_exchange.c - the USB stick: where export files go or come from (a mounted stick, or
 * a folder typed in), and the export to it (F3), written and read back before the screen
 * says the stick may be removed. They call the same core functions as the commands
 * (core/exchange.h). */
#include "ui/ui_exchange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/exchange.h"
#include "core/media.h"
#include "core/package_export.h"
#include "lib/err.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/text.h"
#include "ui/ui_pick.h"
#include "ui/ui_prompt.h"
#include "ui/ui_view.h"

char *ui_choose_folder(struct ui *ui, const char *title)
{
	for (;;) {
		char **dirs, **lines;
		int n, sel = 0, rc;
		char *out = NULL;
		const char *note;

		exchange_find_media(&dirs, &n);
		lines = xcalloc((size_t)n + 2, sizeof *lines);
		/* A stick's label and free space, then its folder. */
		for (int i = 0; i < n; i++) {
			struct strbuf sb;
			char label[128];

			exchange_media_note(dirs[i], label, sizeof label);
			sb_init(&sb);
			text_pad(&sb, label, 28);
			sb_addf(&sb, "  %s", dirs[i]);
			lines[i] = sb_take(&sb);
		}
		lines[n] = (char *)_("Type a folder...");
		lines[n + 1] = (char *)_("Look again (after inserting a stick)");
		note = n == 0 ? _("No USB stick found. Insert one, wait a moment, and choose 'Look again'.")
			      : _("Choose the USB stick.");
		rc = ui_pick(ui, title, NULL, (const char *const *)lines, n + 2, &sel, note);
		if (rc >= 0 && rc < n)
			out = xstrdup(dirs[rc]);
		for (int i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
		exchange_free_list(dirs, n);
		if (rc < 0 || ui_quit_requested())
			return NULL;
		if (rc == n) {
			if (ui_prompt_folder(ui, title, _("The folder (for example /media/user/STICK):"), &out) != 0 ||
			    !out[0]) {
				free(out);
				continue;
			}
			/* Tab's completion leaves a "/" at the end: the file's name follows one. */
			for (size_t len = strlen(out); len > 1 && out[len - 1] == '/'; len--)
				out[len - 1] = '\0';
		}
		if (out)
			return out;
	}
}

void ui_export_run(struct ui *ui)
{
	const char *choices[2];
	struct export_request rq;
	struct export_result res;
	const char *one[1];
	struct strbuf sb;
	char *dir;
	struct err e;
	int which = 0, rc;

	dir = ui_choose_folder(ui, _("Export to a USB stick"));
	if (!dir)
		return;
	choices[0] = xasprintf(_("Only the period %s"), ui->period);
	choices[1] = _("Every period");
	rc = ui_pick(ui, _("Export to a USB stick"), dir, choices, 2, &which,
		     _("The file holds every unit this computer has data for."));
	free((char *)choices[0]);
	if (rc < 0) {
		free(dir);
		return;
	}
	memset(&rq, 0, sizeof rq);
	memset(&res, 0, sizeof res);
	one[0] = ui->period;
	rq.periods = rc == 0 ? one : NULL;
	rq.nperiods = rc == 0 ? 1 : 0;
	rq.out_dir = dir;
	rq.operator_name = ui->operator_name;
	ui_message(ui, ST_NORMAL, _("Writing and checking the file..."));
	ui_refresh();
	rc = exchange_export(ui->st, &ui->app->forms, &rq, &res, &e);
	sb_init(&sb);
	if (rc < 0) {
		sb_addf(&sb, "%s\n\n%s", _("The export failed; nothing was left on the stick."), e.msg);
	} else if (rc > 0) {
		sb_add(&sb, rq.nperiods ? _("There is nothing to export for this period yet.") : _("There is nothing to export yet."));
	} else {
		sb_addf(&sb, _("Written and read back from the stick:\n\n  %s\n\n"), res.path);
		sb_addf(&sb, _("%lld value(s) of %d unit(s), %d period(s), checksum %.16s...\n\n"), (long long)res.info.value_count,
			res.info.nunits, res.info.nperiods, res.info.checksum);
		if (res.info.state_count > 0)
			sb_addf(&sb, _("%lld form state(s), %lld of them complete.\n\n"), (long long)res.info.state_count,
				(long long)res.info.complete_count);
		if (res.left_out > 0)
			sb_addf(&sb, _("%d value(s) of fields the current forms no longer have were left out.\n\n"), res.left_out);
		if (package_goes_with_export(ui->app, &ui->access)) {
			/* The township's own forms go with its export, for the villages. */
			struct package_export_result pr;
			const char *forms;

			if (app_writable_forms_dir(ui->app, &forms, &e) != 0 ||
			    package_export_township(&ui->app->forms, &ui->access, forms, dir, ui->operator_name, &pr, &e) != 0) {
				sb_addf(&sb, "%s\n\n%s\n\n", _("The township's form package could not be written:"), e.msg);
			} else {
				sb_addf(&sb, _("The township's forms and units, for the villages (form package version %lld):\n\n  %s\n\n"),
					pr.version, pr.path);
				free(pr.path);
			}
		}
		sb_add(&sb, _("The file is complete and checked. It is safe to remove the USB stick now."));
	}
	ui_view_text(ui, _("Export to a USB stick"), sb_str(&sb));
	sb_free(&sb);
	if (rc == 0)
		export_result_free(&res);
	free(dir);
}
