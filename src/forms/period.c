/* period.c - reporting periods (see period.h). */
#include "forms/period.h"

#include <stdio.h>
#include <string.h>

#include "lib/text.h"
#include "lib/i18n.h"

/* DHIS2 period codes: 2026, 2026Q1, 202603. Years from 1990 to 2100. */
static int year_of(const char *p)
{
	int y = 0;

	for (int i = 0; i < 4; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		y = y * 10 + (p[i] - '0');
	}
	return y >= 1990 && y <= 2100 ? y : -1;
}

int period_type_of(const char *p)
{
	size_t n = strlen(p);

	if (year_of(p) < 0)
		return -1;
	if (n == 4)
		return PT_YEAR;
	if (n == 6 && p[4] == 'Q' && p[5] >= '1' && p[5] <= '4')
		return PT_QUARTER;
	if (n == 6 && ((p[4] == '0' && p[5] >= '1' && p[5] <= '9') || (p[4] == '1' && p[5] >= '0' && p[5] <= '2')))
		return PT_MONTH;
	return -1;
}

bool period_valid(const char *p, enum period_type t)
{
	return period_type_of(p) == (int)t;
}

bool period_previous(const char *p, char out[16])
{
	int t = period_type_of(p), y;

	if (t < 0)
		return false;
	y = year_of(p);
	if (t == PT_YEAR) {
		if (y - 1 < 1990)
			return false;
		snprintf(out, 16, "%04d", y - 1);
	} else if (t == PT_QUARTER) {
		int q = p[5] - '0';

		if (q == 1 && y - 1 < 1990)
			return false;
		if (q == 1)
			snprintf(out, 16, "%04dQ4", y - 1);
		else
			snprintf(out, 16, "%04dQ%d", y, q - 1);
	} else {
		int m = (p[4] - '0') * 10 + (p[5] - '0');

		if (m == 1 && y - 1 < 1990)
			return false;
		if (m == 1)
			snprintf(out, 16, "%04d12", y - 1);
		else
			snprintf(out, 16, "%04d%02d", y, m - 1);
	}
	return true;
}

int period_check(const char *p, struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	int t = period_type_of(p);

	if (t < 0)
		err_set(e, _("'%s' is not a period: write a year (2026), a quarter (2026Q1) or a month (202603)"), text_echo(p, eb, sizeof eb));
	return t;
}

int period_check_form(const char *p, const struct form *f, struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	static const char *examples[] = { "2026", "2026Q1", "202603" };
	static const char *per[] = { N_("yearly"), N_("quarterly"), N_("monthly") };

	if (period_check(p, e) < 0)
		return -1;
	if (!period_valid(p, f->period)) {
		err_set(e, _("form '%s' is %s, so write the period like %s, not '%s'"), f->id, _(per[f->period]),
			examples[f->period], text_echo(p, eb, sizeof eb));
		return -1;
	}
	return 0;
}
