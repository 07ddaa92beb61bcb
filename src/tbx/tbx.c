/* tbx.c - the export file's version and what a file read holds (see tbx.h). */
#include "tbx/tbx.h"

#include <stdlib.h>
#include <string.h>

#include "lib/strlist.h"
#include "tbx/export_sql.h"

const char *export_installation_family(const char *inst)
{
	return strlen(inst) == 32 ? inst + 8 : inst;
}

static int by_family(const void *pa, const void *pb)
{
	const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
	int c = strcmp(export_installation_family(a), export_installation_family(b));

	return c ? c : strcmp(a, b);
}

int export_largest_family(const char **insts, int n)
{
	int most = 0;

	qsort(insts, (size_t)n, sizeof *insts, by_family);
	for (int g = 0, gend; g < n; g = gend) {
		const char *fam = export_installation_family(insts[g]);

		for (gend = g + 1; gend < n && strcmp(export_installation_family(insts[gend]), fam) == 0; gend++)
			;
		if (gend - g > most)
			most = gend - g;
	}
	return most;
}

int export_version(void)
{
	const char *p = strstr(export_sql, "PRAGMA user_version = ");

	return p ? atoi(p + strlen("PRAGMA user_version = ")) : 0;
}

void export_info_free(struct export_info *info)
{
	strlist_free(info->units, info->nunits);
	strlist_free(info->periods, info->nperiods);
	free(info->forms);
	memset(info, 0, sizeof *info);
}

void export_file_free(struct export_file *xf)
{
	if (!xf)
		return;
	for (int i = 0; i < xf->nvalues; i++) {
		struct export_value *v = &xf->values[i];

		free(v->unit);
		free(v->period);
		free(v->field);
		free(v->installation);
		free(v->form);
		free(v->value);
		free(v->updated_at);
		free(v->updated_by);
		free(v->comment);
	}
	free(xf->values);
	for (int i = 0; i < xf->nstates; i++) {
		struct export_state *st = &xf->states[i];

		free(st->unit);
		free(st->period);
		free(st->form);
		free(st->state);
		free(st->changed_at);
		free(st->changed_by);
		free(st->installation);
	}
	free(xf->states);
	export_info_free(&xf->info);
	free(xf);
}

int export_form_order(const char *unit_a, const char *period_a, const char *form_a, const char *unit_b,
		      const char *period_b, const char *form_b)
{
	int c = strcmp(unit_a, unit_b);

	if (!c)
		c = strcmp(period_a, period_b);
	if (!c)
		c = strcmp(form_a, form_b);
	return c;
}

int export_value_by_form(const void *pa, const void *pb)
{
	const struct export_value *a = *(const struct export_value *const *)pa, *b = *(const struct export_value *const *)pb;

	return export_form_order(a->unit, a->period, a->form, b->unit, b->period, b->form);
}
