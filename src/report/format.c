/* format.c - values as the reports show them, and the bars (see format.h). */
#include "report/format.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "lib/i18n.h"
#include "lib/number.h"
#include "lib/str.h"

enum report_tone fmt_state_tone(enum form_state s)
{
	return s == FST_COMPLETE ? RT_GOOD : s == FST_PROGRESS ? RT_WARN : RT_BAD;
}

enum report_tone fmt_met_tone(int met)
{
	return met > 0 ? RT_GOOD : met == 0 ? RT_BAD : RT_PLAIN;
}

const char *fmt_met(int met)
{
	return met > 0 ? _("met") : met == 0 ? _("not met") : "";
}

const char *fmt_form_title(const struct form *f)
{
	return i18n_pick(f->title, f->title_en);
}

const char *fmt_field_label(const struct field *fd)
{
	return i18n_pick(fd->label, fd->label_en);
}

const char *fmt_unit_name(const struct unit *u)
{
	return i18n_pick(u->name, u->name_en);
}

int fmt_decimals(const struct field *fd, enum report_agg agg)
{
	if (agg == RA_SHARE)
		return 1;
	if (fd->compute || fd->type == FT_DECIMAL)
		return fd->decimals;
	return 0;
}

enum report_agg fmt_unit_agg(const struct field *fd)
{
	return fd->compute ? RA_COMPUTED : RA_SUM;
}

const char *fmt_measure(const struct field *fd, enum report_agg agg)
{
	return agg == RA_SHARE ? "%" : fd->unit;
}

/* a b c into buf, cut (at a character boundary) when it does not fit. */
static void join3(char *buf, size_t size, const char *a, const char *b, const char *c)
{
	struct strbuf sb;
	size_t n;

	sb_init(&sb);
	sb_add(&sb, a);
	sb_add(&sb, b);
	sb_add(&sb, c);
	n = sb.len < size ? sb.len : size - 1;
	while (n > 0 && n < sb.len && ((unsigned char)sb_str(&sb)[n] & 0xC0) == 0x80)
		n--;
	memcpy(buf, sb_str(&sb), n);
	buf[n] = '\0';
	sb_free(&sb);
}

/* A figure as shown: its decimals and unit of measure ("37.5%", "22 人", "n/a", "-"). */
void fmt_figure(char *buf, size_t size, const struct field *fd, enum report_agg agg, struct ev v, bool with_unit)
{
	char num[NUM_MAX];
	const char *unit = fmt_measure(fd, agg);

	if (v.kind == EV_MISSING) {
		snprintf(buf, size, "-");
		return;
	}
	if (v.kind == EV_NA) {
		snprintf(buf, size, "%s", _("n/a"));
		return;
	}
	format_decimal(num, sizeof num, v.num, fmt_decimals(fd, agg));
	if (!with_unit || !*unit)
		join3(buf, size, num, "", "");
	else if (strcmp(unit, "%") == 0 || strcmp(unit, "‰") == 0)
		join3(buf, size, num, "", unit);
	else
		join3(buf, size, num, " ", unit);
}

/* A unit's value in the target's terms (yes/no as 100 or 0): words for yes and no. */
void fmt_unit_value(char *buf, size_t size, const struct field *fd, struct ev v, bool with_unit)
{
	if (fd->type == FT_YESNO && v.kind == EV_NUM)
		snprintf(buf, size, "%s", v.num != 0 ? _("yes") : _("no"));
	else
		fmt_figure(buf, size, fd, fmt_unit_agg(fd), v, with_unit);
}

/* A target with its unit: ">= 30%", "103..107 女=100", ">= 90% of the units say yes". */
void fmt_target(char *buf, size_t size, const struct field *fd)
{
	const char *u = fd->unit;

	if (fd->target.op == TG_NONE)
		snprintf(buf, size, "%s", "");
	else if (fd->type == FT_YESNO)
		snprintf(buf, size, _("%s%% of the units say yes"), fd->target.text);
	else if (!*u)
		snprintf(buf, size, "%s", fd->target.text);
	else if (strcmp(u, "%") == 0 || strcmp(u, "‰") == 0)
		snprintf(buf, size, "%s%s", fd->target.text, u);
	else
		snprintf(buf, size, "%s %s", fd->target.text, u);
}

static bool all_zero(const char *s)
{
	for (; *s; s++)
		if (*s != '0' && *s != '.')
			return false;
	return true;
}

/* A change with its sign: "+4.2", "-1", "0.0"; empty when there is none. */
void fmt_change(char *buf, size_t size, struct ev ch, int decimals)
{
	char num[NUM_MAX];

	if (ch.kind != EV_NUM) {
		snprintf(buf, size, "%s", "");
		return;
	}
	format_decimal(num, sizeof num, ch.num, decimals);
	join3(buf, size, ch.num > 0 && !all_zero(num) ? "+" : "", num, "");
}

/* "2026-11-29T11:35:20Z" as local time "2026-11-29 19:35". */
void fmt_time(char *buf, size_t size, const char *iso)
{
	struct tm tm, lt;
	time_t t;

	memset(&tm, 0, sizeof tm);
	if (!iso || sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
			   &tm.tm_sec) != 6) {
		snprintf(buf, size, "%s", iso ? iso : "");
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	if (!localtime_r(&t, &lt) || strftime(buf, size, "%Y-%m-%d %H:%M", &lt) == 0)
		snprintf(buf, size, "%s", iso);
}

void fmt_percent(char *buf, size_t size, int part, int whole)
{
	snprintf(buf, size, "%.1f%%", report_percent(part, whole));
}

/* The other values of a value in conflict: "3 (李四); (cleared) (王五)". */
void fmt_alts(struct strbuf *sb, const struct report_entry *en, int field)
{
	bool first = true;

	for (const struct report_alt *a = en->alts; a; a = a->next) {
		if (a->field != field)
			continue;
		if (!first)
			sb_add(sb, "; ");
		first = false;
		sb_addf(sb, "%s (%s)", a->value ? a->value : _("(cleared)"), a->updated_by ? a->updated_by : "?");
	}
}

/* ---- bars ---------------------------------------------------------------------------- */

void report_bar(struct strbuf *sb, double value, double scale, int cols, const double *marks, int nmarks)
{
	static const char *const eighth[] = { " ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█" };
	long total = 0;

	if (cols <= 0)
		return;
	if (scale > 0 && value > 0 && isfinite(value)) {
		double x = value / scale * cols * 8;

		total = x >= (double)cols * 8 ? (long)cols * 8 : lround(x);
		/* A value above zero never draws as nothing. */
		if (total == 0)
			total = 1;
	}
	for (int c = 0; c < cols; c++) {
		long here = total - (long)c * 8;
		bool mark = false;

		for (int m = 0; m < nmarks; m++) {
			if (scale > 0) {
				int mc = (int)floor(marks[m] / scale * cols);

				if (mc >= cols)
					mc = cols - 1;
				if (mc < 0)
					mc = 0;
				mark = mark || mc == c;
			}
		}
		if (mark)
			sb_add(sb, "┃");
		else
			sb_add(sb, eighth[here >= 8 ? 8 : here <= 0 ? 0 : here]);
	}
}

int fmt_target_marks(const struct field *fd, double marks[2])
{
	switch (fd->target.op) {
	case TG_NONE:
		return 0;
	case TG_BETWEEN:
		marks[0] = fd->target.a;
		marks[1] = fd->target.b;
		return 2;
	default:
		marks[0] = fd->target.a;
		return 1;
	}
}

bool fmt_show_prev(const struct report *r)
{
	return r->has_prev_period && r->prev.has_data;
}
