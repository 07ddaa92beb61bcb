/* format.h - a report's values as the reports show them: figures with their decimals and
 * unit of measure, changes with their sign, targets, times, shares, the other values of
 * a value in conflict, and the bars. Text, CSV and Excel take them from here, so a figure
 * reads the same in every format.
 */
#ifndef TIANBAO_REPORT_FORMAT_H
#define TIANBAO_REPORT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "report/report.h"
#include "lib/str.h"

/* Room for any number as shown: the largest double written out with its decimals is
 * about 320 characters. A number is never cut, not even by a buffer. */
#define NUM_MAX 400
/* A figure with its unit of measure, a change with its sign. */
#define FIG_MAX (NUM_MAX + 64)

/* What a line or a cell is coloured by, in every format: a screen's line, a sheet's cell. */
enum report_tone { RT_PLAIN, RT_GOOD, RT_BAD, RT_WARN };
/* A form's state (complete: good; in progress: warning; empty: bad), a target met (good),
 * not met (bad) or not judged (plain). */
enum report_tone fmt_state_tone(enum form_state s);
enum report_tone fmt_met_tone(int met);

/* "met", "not met", or "" for -1 (no target or no value). */
const char *fmt_met(int met);
/* Names in the user's language. */
const char *fmt_form_title(const struct form *f);
const char *fmt_field_label(const struct field *fd);
const char *fmt_unit_name(const struct unit *u);
/* The decimals a value is shown with: a decimal or computed field's own, none for a count,
 * one for a share. */
int fmt_decimals(const struct field *fd, enum report_agg agg);
/* How one unit's own value of a field is shown: computed, or as typed. */
enum report_agg fmt_unit_agg(const struct field *fd);
/* The unit of measure: the field's, "%" for a share. */
const char *fmt_measure(const struct field *fd, enum report_agg agg);
/* A figure as shown: its decimals and unit of measure ("37.5%", "22 人", "n/a", "-"). */
void fmt_figure(char *buf, size_t size, const struct field *fd, enum report_agg agg, struct ev v, bool with_unit);
/* A unit's value in the target's terms (yes/no as 100 or 0): words for yes and no. */
void fmt_unit_value(char *buf, size_t size, const struct field *fd, struct ev v, bool with_unit);
/* A target with its unit: ">= 30%", "103..107 女=100", ">= 90% of the units say yes". */
void fmt_target(char *buf, size_t size, const struct field *fd);
/* A change with its sign: "+4.2", "-1", "0.0"; empty when there is none. */
void fmt_change(char *buf, size_t size, struct ev ch, int decimals);
/* "2026-11-29T11:35:20Z" as local time "2026-11-29 19:35". */
void fmt_time(char *buf, size_t size, const char *iso);
/* part of whole in percent, one decimal: "23.5%". */
void fmt_percent(char *buf, size_t size, int part, int whole);
/* The other values of a value in conflict: "3 (李四); (cleared) (王五)". */
void fmt_alts(struct strbuf *sb, const struct report_entry *en, int field);

/* A horizontal bar of `cols` columns for value on a scale where `scale` fills them,
 * drawn with full blocks and eighths (█ ▉▊▋▌▍▎▏), with a marker ┃ at each of the
 * `nmarks` values in marks (targets). Always exactly `cols` columns wide. */
void report_bar(struct strbuf *sb, double value, double scale, int cols, const double *marks, int nmarks);
/* The field's target as marks on a bar: none, one, or two for a range. */
int fmt_target_marks(const struct field *fd, double marks[2]);

/* Whether the period before is shown: there is one, and it has data. */
bool fmt_show_prev(const struct report *r);

#endif
