/* access.c - the units this installation may enter data for (see access.h). */
#include "core/access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "store/values.h"

int access_load(struct store *st, const struct formset *fs, struct access *out, struct err *e)
{
	char *mine = NULL;

	memset(out, 0, sizeof *out);
	if (store_meta_get(st, "unit", &mine, e) != 0)
		return -1;
	if (mine) {
		snprintf(out->own_code, sizeof out->own_code, "%s", mine);
		out->own = formset_find_unit(fs, mine);
	}
	/* A vanished unit is not a township then, whatever it was: refuse rather than allow all. */
	out->any_unit = !mine || (out->own && out->own->kind == UK_TOWNSHIP);
	free(mine);
	return 0;
}

int access_check_unit(const struct access *a, const struct formset *fs, const char *unit, struct err *e)
{
	const struct unit *u = formset_need_unit(fs, unit, e);

	if (!u)
		return -1;
	if (a->own_code[0] && !a->own) {
		err_set(e, _("this installation reports for unit %s, which %s no longer lists. Ask the township for its current forms, or run 'tianbao init --unit CODE'."),
			a->own_code, formset_units_name(fs));
		return -1;
	}
	if (!a->any_unit && strcmp(a->own->code, unit) != 0) {
		err_set(e, _("this installation reports for %s (%s); it cannot enter data for %s (%s)"),
			i18n_pick(a->own->name, a->own->name_en), a->own->code, i18n_pick(u->name, u->name_en), u->code);
		return -1;
	}
	return 0;
}

const char *access_default_unit(const struct access *a)
{
	if (!a->own_code[0] || (a->own && a->own->kind == UK_TOWNSHIP))
		return NULL;
	return a->own_code;
}

int access_init(struct store *st, const struct formset *fs, const struct access_change *ch, const struct unit **u,
		struct err *e)
{
	struct access now;
	int64_t others = 0;

	if (!(*u = formset_need_unit(fs, ch->unit, e)) || access_load(st, fs, &now, e) != 0)
		return -1;
	if (strcmp(now.own_code, ch->unit) != 0 && !ch->force) {
		if (store_count_values(st, ch->unit, true, &others, e) != 0)
			return -1;
		if (others > 0) {
			err_set(e, _("this database already holds %lld value(s) of units other than %s (%s), entered or merged here. If this computer really reports for %s from now on, confirm the change (on the command line: add --force); the values stay, and the change is written in the audit trail."),
				(long long)others, i18n_pick((*u)->name, (*u)->name_en), (*u)->code, i18n_pick((*u)->name, (*u)->name_en));
			return 1;
		}
	}
	return store_set_unit(st, ch->unit, ch->operator_name, ch->by, e);
}
