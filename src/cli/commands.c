/* commands.c - the table of the commands. Each is declared in the file of its family. */
#include "cli/commands.h"

#include <stddef.h>

#include "cli/cmd_demo.h"
#include "cli/cmd_exchange.h"
#include "cli/cmd_forms.h"
#include "cli/cmd_report.h"
#include "cli/cmd_store.h"
#include "cli/cmd_units.h"

const struct cmd_entry *const cli_commands[] = {
	&cmd_init_entry,
	&cmd_set_entry,
	&cmd_dump_entry,
	&cmd_status_entry,
	&cmd_complete_entry,
	&cmd_log_entry,
	&cmd_export_entry,
	&cmd_verify_entry,
	&cmd_merge_entry,
	&cmd_conflicts_entry,
	&cmd_resolve_entry,
	&cmd_report_entry,
	&cmd_check_forms_entry,
	&cmd_units_entry,
	&cmd_undo_forms_entry,
	&cmd_demo_entry,
	NULL,
};
