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

const char *fmt_met(int met);
const char *fmt_form_title(const struct form *f);
const char *fmt_field_label(const struct field *fd);
const char *fmt_unit_name(const struct unit *u);
int fmt_decimals(const struct field *fd, enum report_agg agg);
enum report_agg fmt_unit_agg(const struct field *fd);
const char *fmt_measure(const struct field *fd, enum report_agg agg);
void fmt_figure(char *buf, size_t size, const struct field *fd, enum report_agg agg, struct ev v, bool with_unit);
void fmt_unit_value(char *buf, size_t size, const struct field *fd, struct ev v, bool with_unit);
void fmt_target(char *buf, size_t size, const struct field *fd);
void fmt_change(char *buf, size_t size, struct ev ch, int decimals);
void fmt_time(char *buf, size_t size, const char *iso);
void fmt_percent(char *buf, size_t size, int part, int whole);
void fmt_alts(struct strbuf *sb, const struct report_entry *en, int field);

/* A horizontal bar of `cols` columns for value on a scale where `scale` fills them,
 * drawn with full blocks and eighths (█ ▉▊▋▌▍▎▏), with a marker ┃ at each of the
 * `nmarks` values in marks (targets). Always exactly `cols` columns wide. */
void report_bar(struct strbuf *sb, double value, double scale, int cols, const double *marks, int nmarks);
int fmt_target_marks(const struct field *fd, double marks[2]);

bool fmt_show_prev(const struct report *r);

#endif
