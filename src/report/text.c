/* report_out.c - reports as text lines, CSV, DHIS2 CSV and Excel (see report_out.h). */
#include "report/report_out.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>


#include "lib/csv.h"
#include "lib/i18n.h"
#include "lib/text.h"
#include "report/xlsx_lib.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/number.h"
#include "core/form_status.h"
#include "store/states.h"

/* The Excel library, loaded by report_write_xlsx before any other xlsx code runs. */
static const struct xlsx_lib *lx;

static const char *const format_names[] = { "text", "csv", "xlsx", "dhis2" };

int report_format_parse(const char *s)
{
	for (size_t i = 0; i < ARRAY_LEN(format_names); i++)
		if (strcmp(s, format_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *report_format_name(enum report_format f)
{
	return format_names[f];
}

/* ---- formatting values ------------------------------------------------------------ */

/* Room for any number as shown: the largest double written out with its decimals is
 * about 320 characters. A number is never cut, not even by a buffer. */
#define NUM_MAX 400
/* A figure with its unit of measure, a change with its sign. */
#define FIG_MAX (NUM_MAX + 64)

static const char *met_label(int met)
{
	return met > 0 ? _("met") : met == 0 ? _("not met") : "";
}

static const char *form_title(const struct form *f)
{
	return i18n_pick(f->title, f->title_en);
}

static const char *field_label(const struct field *fd)
{
	return i18n_pick(fd->label, fd->label_en);
}

static const char *unit_name(const struct unit *u)
{
	return i18n_pick(u->name, u->name_en);
}

static int value_decimals(const struct field *fd, enum report_agg agg)
{
	if (agg == RA_SHARE)
		return 1;
	if (fd->compute || fd->type == FT_DECIMAL)
		return fd->decimals;
	return 0;
}

static enum report_agg unit_agg(const struct field *fd)
{
	return fd->compute ? RA_COMPUTED : RA_SUM;
}

static const char *measure_of(const struct field *fd, enum report_agg agg)
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
static void fmt_figure(char *buf, size_t size, const struct field *fd, enum report_agg agg, struct ev v, bool with_unit)
{
	char num[NUM_MAX];
	const char *unit = measure_of(fd, agg);

	if (v.kind == EV_MISSING) {
		snprintf(buf, size, "-");
		return;
	}
	if (v.kind == EV_NA) {
		snprintf(buf, size, "%s", _("n/a"));
		return;
	}
	format_decimal(num, sizeof num, v.num, value_decimals(fd, agg));
	if (!with_unit || !*unit)
		join3(buf, size, num, "", "");
	else if (strcmp(unit, "%") == 0 || strcmp(unit, "‰") == 0)
		join3(buf, size, num, "", unit);
	else
		join3(buf, size, num, " ", unit);
}

/* A unit's value in the target's terms (yes/no as 100 or 0): words for yes and no. */
static void fmt_unit_value(char *buf, size_t size, const struct field *fd, struct ev v, bool with_unit)
{
	if (fd->type == FT_YESNO && v.kind == EV_NUM)
		snprintf(buf, size, "%s", v.num != 0 ? _("yes") : _("no"));
	else
		fmt_figure(buf, size, fd, unit_agg(fd), v, with_unit);
}

/* A target with its unit: ">= 30%", "103..107 女=100", ">= 90% of the units say yes". */
static void fmt_target(char *buf, size_t size, const struct field *fd)
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
static void fmt_change(char *buf, size_t size, struct ev ch, int decimals)
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
static void fmt_time(char *buf, size_t size, const char *iso)
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

static void fmt_percent(char *buf, size_t size, int part, int whole)
{
	snprintf(buf, size, "%.1f%%", report_percent(part, whole));
}

/* The other values of a value in conflict: "3 (李四); (cleared) (王五)". */
static void alts_text(struct strbuf *sb, const struct report_entry *en, int field)
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

static int target_marks(const struct field *fd, double marks[2])
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

/* ---- lines --------------------------------------------------------------------------- */

struct lay {
	const struct report *r;
	int width;
	struct report_lines *out;
	struct strbuf sb;
	bool conflict_legend;
};

static void emit(struct lay *L, enum report_line_kind kind, enum report_tone tone)
{
	struct report_lines *o = L->out;
	struct report_line *ln;

	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		o->v = xreallocarray(o->v, (size_t)o->cap, sizeof *o->v);
	}
	ln = &o->v[o->n++];
	ln->kind = kind;
	ln->tone = tone;
	/* Every line is cut to the width, whatever went into it. */
	if (text_width(sb_str(&L->sb)) > L->width) {
		struct strbuf cut;

		sb_init(&cut);
		text_crop(&cut, sb_str(&L->sb), L->width);
		ln->text = sb_take(&cut);
	} else {
		ln->text = xstrdup(sb_str(&L->sb));
	}
	/* Trailing spaces are of no use on a screen or paper. */
	for (size_t n = strlen(ln->text); n > 0 && ln->text[n - 1] == ' '; n--)
		ln->text[n - 1] = '\0';
	sb_reset(&L->sb);
}

static void emit_wrapped(struct lay *L, enum report_line_kind kind, enum report_tone tone, int ind, const char *text);

/* A heading in L->sb, wrapped when it is longer than the line. */
static void heading(struct lay *L, enum report_tone tone)
{
	char *text = sb_take(&L->sb);

	emit_wrapped(L, RL_HEADING, tone, 0, text);
	free(text);
}

static void blank(struct lay *L)
{
	sb_reset(&L->sb);
	emit(L, RL_BLANK, RT_PLAIN);
}

static void indent(struct strbuf *sb, int n)
{
	for (int i = 0; i < n; i++)
		sb_addc(sb, ' ');
}

/* A byte of a run that is never broken: ASCII letters, digits and signs, so a number
 * (37.5%, -20, 103..107), a year (2021—2030 breaks only at the dash), a code or a Latin
 * word stays on one line. */
static bool unbreakable(char c)
{
	return c > ' ' && c < 0x7f;
}

/* Text wrapped to the width after `ind` spaces: breaks at spaces, and between two
 * characters of which one is not ASCII (between Chinese characters, before and after
 * them), never inside a run of ASCII letters, digits and signs - unless the run alone
 * is wider than the line. */
static void emit_wrapped(struct lay *L, enum report_line_kind kind, enum report_tone tone, int ind, const char *text)
{
	int avail = L->width - ind;
	size_t n = strlen(text), i = 0;

	if (avail < 10)
		avail = 10;
	while (i < n) {
		size_t j = i, last_break = i, cut, next;
		int cols = 0;
		wchar_t wc;

		while (j < n) {
			int k = utf8_decode(text + j, n - j, &wc), w;

			if (k < 0) {
				k = 1;
				wc = '?';
			}
			w = char_width(wc);
			/* The line may end before this character. */
			if (j > i && (text[j] == ' ' || !unbreakable(text[j - 1]) || !unbreakable(text[j])))
				last_break = j;
			if (cols + w > avail)
				break;
			cols += w;
			j += (size_t)k;
		}
		if (j >= n)
			cut = n;
		else if (last_break > i)
			cut = last_break;
		else
			cut = j;   /* one run wider than the line: cut where the line ends */
		if (cut == i) { /* one character wider than the room: take it anyway */
			int k = utf8_decode(text + i, n - i, &wc);

			cut = i + (size_t)(k > 0 ? k : 1);
		}
		next = cut;
		indent(&L->sb, ind);
		sb_addn(&L->sb, text + i, cut - i);
		emit(L, kind, tone);
		i = next;
		while (i < n && text[i] == ' ')
			i++;
	}
}

struct col {
	int w;
	bool right;
	bool whole;   /* numbers, targets, codes: never cut with "…" */
};

#define MAX_COLS 8

/* Widens a column to hold s whole. */
static void fit(struct col *c, const char *s)
{
	int w = text_width(s);

	if (w > c->w)
		c->w = w;
}

/* One row of cells, two spaces in, one space between cells. A cell of a `whole` column
 * is never cut: the layouts make those columns as wide as their widest cell. Should the
 * columns then not fit the line (numbers of dozens of digits), a row takes the room it
 * needs from the padding of its own numbers first (they shift), then from the other
 * columns, the widest first, which are cut instead: the row keeps within the width. */
static void cells(struct lay *L, const struct col *cols, int n, const char *const *text)
{
	int w[MAX_COLS], need[MAX_COLS], over = 2 + (n - 1) - L->width;

	for (int i = 0; i < n; i++) {
		need[i] = text[i] ? text_width(text[i]) : 0;
		w[i] = cols[i].w > 0 ? cols[i].w : 0;
		if (cols[i].whole && need[i] > w[i])
			w[i] = need[i];
		over += w[i];
	}
	while (over > 0) {
		int pick = -1;

		for (int i = 0; i < n; i++)
			if (cols[i].whole && w[i] > need[i] && (pick < 0 || w[i] - need[i] > w[pick] - need[pick]))
				pick = i;
		for (int i = 0; pick < 0 && i < n; i++)
			if (!cols[i].whole && w[i] > 0)
				pick = i;
		for (int i = 0; i < n; i++)
			if (!cols[i].whole && w[i] > 0 && pick >= 0 && !cols[pick].whole && w[i] > w[pick])
				pick = i;
		if (pick < 0)
			break;   /* nothing but numbers, wider than the line itself */
		w[pick]--;
		over--;
	}
	sb_add(&L->sb, "  ");
	for (int i = 0; i < n; i++) {
		if (i)
			sb_addc(&L->sb, ' ');
		if (cols[i].right)
			text_pad_left(&L->sb, text[i] ? text[i] : "", w[i]);
		else
			text_pad(&L->sb, text[i] ? text[i] : "", w[i]);
	}
}

/* The room left for one flexible column: the width less the indent, the fixed columns
 * and the spaces between n columns. */
static int rest_of(const struct lay *L, const struct col *cols, int n, int flex)
{
	int used = 2 + (n - 1);

	for (int i = 0; i < n; i++)
		if (i != flex)
			used += cols[i].w;
	return L->width - used;
}

/* On a wide screen a label column stops growing, so the figures stay near their names;
 * beside very wide numbers it keeps a few columns, and rows that cannot fit shift. */
#define LABEL_MAX 60
#define LABEL_MIN 12

static int cap(int w, int most)
{
	return w > most ? most : w;
}

static int max_width(const char *const *labels, int n, int least)
{
	for (int i = 0; i < n; i++)
		if (text_width(labels[i]) > least)
			least = text_width(labels[i]);
	return least;
}

static void title(struct lay *L, const char *kind_title)
{
	const struct report *r = L->r;

	sb_addf(&L->sb, _("%s: %s, period %s"), r->township ? unit_name(r->township) : "", kind_title, r->cur.period);
	emit(L, RL_TITLE, RT_PLAIN);
}

/* A note in words, wrapped to the width. */
static void note(struct lay *L, enum report_tone tone, int ind, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void note(struct lay *L, enum report_tone tone, int ind, const char *fmt, ...)
{
	struct strbuf t;
	va_list ap;

	sb_init(&t);
	va_start(ap, fmt);
	sb_vaddf(&t, fmt, ap);
	va_end(ap);
	emit_wrapped(L, RL_NOTE, tone, ind, sb_str(&t));
	sb_free(&t);
}

static void summary(struct lay *L)
{
	const struct report *r = L->r;
	char pct[32];

	fmt_percent(pct, sizeof pct, r->complete, r->total);
	note(L, RT_PLAIN, 0, _("Forms complete: %d of %d (%s); in progress: %d; empty: %d."), r->complete, r->total, pct,
	     r->progress, r->empty);
	if (r->conflicts > 0)
		note(L, RT_WARN, 0, _("Values in conflict between installations: %d. Until the clerk decides, the current value is counted (marked !)."),
		     r->conflicts);
	if (r->ignored > 0)
		note(L, RT_WARN, 0, _("%d stored value(s) belong to units or fields that are no longer in the forms; they are left out."),
		     r->ignored);
}

static enum report_tone state_tone(enum form_state s)
{
	return s == FST_COMPLETE ? RT_GOOD : s == FST_PROGRESS ? RT_WARN : RT_BAD;
}

static enum report_tone met_tone(int met)
{
	return met > 0 ? RT_GOOD : met == 0 ? RT_BAD : RT_PLAIN;
}

/* ---- completeness ---------------------------------------------------------------------- */

static void lay_completeness(struct lay *L)
{
	const struct report *r = L->r;
	char a[32], b[32], c[32], d[32];
	const char *states[] = { _("complete"), _("in progress"), _("empty") };
	int state_w = max_width(states, 3, text_width(_("State"))) + 1;

	/* By form: how many of the units that report it are done. */
	{
		struct col cols[] = { { 0, false, false }, { 10, true, true }, { 12, true, true }, { 8, true, true },
				      { 7, true, true } };
		const char *head[] = { _("Form"), _("Complete"), _("In progress"), _("Empty"), "%" };

		/* The counts of all forms are the largest. */
		snprintf(a, sizeof a, "%d", r->complete);
		snprintf(b, sizeof b, "%d", r->progress);
		snprintf(c, sizeof c, "%d", r->empty);
		fmt_percent(d, sizeof d, r->complete, r->total);
		{
			const char *row[] = { "", a, b, c, d };

			for (int i = 1; i < 5; i++) {
				fit(&cols[i], head[i]);
				fit(&cols[i], row[i]);
			}
		}
		int widest = text_width(_("All forms"));

		for (int k = 0; k < r->cur.nforms; k++)
			if (text_width(form_title(r->cur.forms[k].form)) > widest)
				widest = text_width(form_title(r->cur.forms[k].form));
		cols[0].w = cap(rest_of(L, cols, 5, 0), cap(widest, LABEL_MAX));
		sb_add(&L->sb, _("By form"));
		emit(L, RL_HEADING, RT_PLAIN);
		cells(L, cols, 5, head);
		emit(L, RL_COLUMNS, RT_PLAIN);
		for (int k = 0; k < r->cur.nforms; k++) {
			const struct report_form *rf = &r->cur.forms[k];
			const char *row[] = { form_title(rf->form), a, b, c, d };

			snprintf(a, sizeof a, "%d", rf->ncomplete);
			snprintf(b, sizeof b, "%d", rf->nprogress);
			snprintf(c, sizeof c, "%d", rf->nempty);
			fmt_percent(d, sizeof d, rf->ncomplete, rf->nentries);
			cells(L, cols, 5, row);
			emit(L, RL_ROW, rf->ncomplete == rf->nentries ? RT_GOOD : RT_PLAIN);
		}
		{
			const char *row[] = { _("All forms"), a, b, c, d };

			snprintf(a, sizeof a, "%d", r->complete);
			snprintf(b, sizeof b, "%d", r->progress);
			snprintf(c, sizeof c, "%d", r->empty);
			fmt_percent(d, sizeof d, r->complete, r->total);
			cells(L, cols, 5, row);
			emit(L, RL_ROW, RT_PLAIN);
		}
	}
	blank(L);

	/* By unit: each form's state, who changed it last and when. */
	{
		struct col cols[] = { { 0, false, false }, { 0, false, false }, { state_w, false, false }, { 10, false, false },
				      { 16, false, true }, { 6, true, true } };
		const char *head[] = { _("Unit"), _("Form"), _("State"), _("By"), _("When"), "%" };
		int rest, uw;

		fit(&cols[5], "100.0%");
		for (int u = 0; u < r->nunits; u++) {
			for (int k = 0; k < r->cur.nforms; k++) {
				if (r->units[u].cells[k]) {
					fmt_time(b, sizeof b, r->units[u].cells[k]->changed_at);
					fit(&cols[4], b);
				}
			}
		}
		rest = rest_of(L, cols, 6, 0);

		/* rest_of counted the form column as 0 wide: share the room between the two. */
		uw = cap(rest / 2, 24);
		cols[0].w = uw;
		cols[1].w = cap(rest - uw, 40);
		sb_add(&L->sb, _("By unit: who changed each form last, and when"));
		emit(L, RL_HEADING, RT_PLAIN);
		cells(L, cols, 6, head);
		emit(L, RL_COLUMNS, RT_PLAIN);
		for (int u = 0; u < r->nunits; u++) {
			const struct report_unit_row *ur = &r->units[u];
			bool first = true;

			for (int k = 0; k < r->cur.nforms; k++) {
				const struct report_entry *en = ur->cells[k];
				struct strbuf st;

				if (!en)
					continue;
				sb_init(&st);
				sb_add(&st, form_status_word(en->state));
				if (en->nconflicts > 0) {
					sb_addc(&st, '!');
					L->conflict_legend = true;
				}
				fmt_time(b, sizeof b, en->changed_at);
				fmt_percent(d, sizeof d, ur->ncomplete, ur->nforms);
				{
					const char *row[] = { first ? unit_name(ur->unit) : "", form_title(r->cur.forms[k].form),
							      sb_str(&st), en->changed_by ? en->changed_by : "", b,
							      first ? d : "" };

					cells(L, cols, 6, row);
				}
				emit(L, RL_ROW, state_tone(en->state));
				sb_free(&st);
				first = false;
			}
		}
	}
	blank(L);

	/* What is still missing: a list to telephone from. */
	{
		struct col cols[] = { { 18, false, false }, { 14, false, true }, { 0, false, false } };
		const char *head[] = { _("Unit"), _("Code"), _("Forms not complete") };
		int n = 0;

		for (int u = 0; u < r->nunits; u++)
			if (r->units[u].ncomplete < r->units[u].nforms)
				fit(&cols[1], r->units[u].unit->code);
		cols[2].w = rest_of(L, cols, 3, 2);
		for (int u = 0; u < r->nunits; u++)
			if (r->units[u].ncomplete < r->units[u].nforms)
				n++;
		sb_addf(&L->sb, _("Still missing: %d unit(s) to call"), n);
		emit(L, RL_HEADING, RT_PLAIN);
		if (n == 0) {
			note(L, RT_GOOD, 2, "%s", _("Every form is complete."));
			return;
		}
		cells(L, cols, 3, head);
		emit(L, RL_COLUMNS, RT_PLAIN);
		for (int u = 0; u < r->nunits; u++) {
			const struct report_unit_row *ur = &r->units[u];
			struct strbuf forms;
			bool first = true;

			if (ur->ncomplete == ur->nforms)
				continue;
			sb_init(&forms);
			/* One form a line, so none is cut off the end of a narrow line. */
			for (int k = 0; k < r->cur.nforms; k++) {
				const struct report_entry *en = ur->cells[k];

				if (!en || en->state == FST_COMPLETE)
					continue;
				sb_reset(&forms);
				/* The state ("!" after it when a value is in conflict), then the form's title:
				 * a title too long for the line loses its end, not the state. */
				sb_addf(&forms, _("%s%s: %s"), form_status_word(en->state), en->nconflicts ? "!" : "",
					form_title(r->cur.forms[k].form));
				{
					const char *row[] = { first ? unit_name(ur->unit) : "", first ? ur->unit->code : "",
							      sb_str(&forms) };

					cells(L, cols, 3, row);
				}
				emit(L, RL_ROW, en->state == FST_PROGRESS ? RT_WARN : RT_BAD);
				first = false;
			}
			sb_free(&forms);
		}
	}
}

/* ---- indicators ------------------------------------------------------------------------- */

static bool show_prev(const struct report *r)
{
	return r->has_prev_period && r->prev.has_data;
}

/* Between the clauses of a note: "covers 3 of 5 units; includes 1 value in conflict". */
static const char *clause_sep(void)
{
	return _("; ");
}

/* What a figure covers, in words: "covers 3 of 5 units; includes 1 value in conflict". */
static void coverage_text(struct strbuf *sb, const struct report_figure *fg)
{
	if (fg->agg == RA_SHARE && fg->n > 0)
		sb_addf(sb, _("%d of %d answering units said yes"), fg->yes, fg->n);
	if (fg->n > 0 && fg->n < fg->m) {
		if (sb->len)
			sb_add(sb, clause_sep());
		sb_addf(sb, _("covers %d of %d units"), fg->n, fg->m);
	}
	if (fg->value.kind == EV_NA) {
		if (sb->len)
			sb_add(sb, clause_sep());
		sb_add(sb, _("not applicable: the denominator is 0"));
	}
	if (fg->nconflicts > 0) {
		if (sb->len)
			sb_add(sb, clause_sep());
		sb_addf(sb, _("includes %d value(s) in conflict (!)"), fg->nconflicts);
	}
}

/* An indicator's row: the township figure, the previous period's, the change (the
 * figures are empty for a choice field: its counts are on the lines below). */
static void indicator_texts(const struct report *r, bool prev, int k, int i, char *v, char *pv, char *ch, size_t size)
{
	const struct report_form *rf = &r->cur.forms[k];
	const struct field *fd = &rf->form->fields[i];
	const struct report_figure *fg = &rf->figures[i];
	const struct report_figure *pf = prev ? &r->prev.forms[k].figures[i] : NULL;

	fmt_figure(v, size, fd, fg->agg, fg->value, true);
	fmt_figure(pv, size, fd, fg->agg, pf ? pf->value : ev_missing(), true);
	if (fg->agg == RA_CHOICE)
		v[0] = pv[0] = '\0';
	fmt_change(ch, size, report_change(fg->value, pf ? pf->value : ev_missing()), value_decimals(fd, fg->agg));
}

static void lay_indicators(struct lay *L)
{
	const struct report *r = L->r;
	bool prev = show_prev(r);
	const char *mets[] = { _("met"), _("not met"), _("Met") };
	struct col cols[] = { { 0, false, false }, { 12, true, true }, { 8, false, true }, { 0, false, false },
			      { 12, true, true }, { 7, true, true } };
	int ncols = prev ? 6 : 4;
	const char *head[] = { _("Indicator"), _("Township"), _("Target"), _("Met"), r->prev.period, _("Change") };
	char v[FIG_MAX], pv[FIG_MAX], ch[FIG_MAX];

	cols[3].w = max_width(mets, 3, 3);
	{
		/* The figures whole, however many digits; the labels as wide as the longest
		 * needs, within the room that leaves. */
		int widest = text_width(head[0]);

		for (int c = 1; c < ncols; c++)
			fit(&cols[c], head[c]);
		for (int k = 0; k < r->cur.nforms; k++) {
			const struct report_form *rf = &r->cur.forms[k];
			const struct form *f = rf->form;

			for (int i = 0; i < f->nfields; i++) {
				const struct field *fd = &f->fields[i];
				const struct report_figure *fg = &rf->figures[i];

				widest = widest > text_width(field_label(fd)) ? widest : text_width(field_label(fd));
				for (int c = 0; c < fd->nchoices; c++) {
					int w = 2 + text_width(i18n_pick(fd->choices[c].label, fd->choices[c].label_en));

					widest = widest > w ? widest : w;
				}
				if (fg->agg == RA_NONE)
					continue;
				indicator_texts(r, prev, k, i, v, pv, ch, sizeof v);
				fit(&cols[1], v);
				fit(&cols[2], fd->target.op != TG_NONE ? fd->target.text : "");
				if (prev) {
					fit(&cols[4], pv);
					fit(&cols[5], ch);
				}
				for (int c = 0; fg->agg == RA_CHOICE && c < fd->nchoices; c++) {
					snprintf(v, sizeof v, "%d", fg->choices[c]);
					fit(&cols[1], v);
					if (prev) {
						snprintf(pv, sizeof pv, "%d", r->prev.forms[k].figures[i].choices[c]);
						fit(&cols[4], pv);
					}
				}
			}
		}
		cols[0].w = cap(rest_of(L, cols, ncols, 0), cap(widest, LABEL_MAX));
		if (cols[0].w < cap(widest, LABEL_MIN))
			cols[0].w = cap(widest, LABEL_MIN);
	}
	for (int k = 0; k < r->cur.nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];
		const struct form *f = rf->form;

		int nvalues = 0;

		for (int ei = 0; ei < rf->nentries; ei++)
			nvalues += rf->entries[ei].nvalues;
		sb_addf(&L->sb, "%s (%s)", form_title(f), f->id);
		heading(L, RT_PLAIN);
		note(L, RT_PLAIN, 2, _("%d unit(s) report this form: %d complete, %d in progress, %d empty."), rf->nentries,
		     rf->ncomplete, rf->nprogress, rf->nempty);
		if (nvalues == 0) {
			/* A list of dashes says nothing the line above does not. */
			note(L, RT_WARN, 2, "%s", _("No values have been entered for this period yet."));
			blank(L);
			continue;
		}
		cells(L, cols, ncols, head);
		emit(L, RL_COLUMNS, RT_PLAIN);
		for (int i = 0; i < f->nfields; i++) {
			const struct field *fd = &f->fields[i];
			const struct report_figure *fg = &rf->figures[i];
			const struct report_figure *pf = prev ? &r->prev.forms[k].figures[i] : NULL;
			struct strbuf cov;

			if (fg->agg == RA_NONE)
				continue;
			indicator_texts(r, prev, k, i, v, pv, ch, sizeof v);
			{
				const char *row[] = { field_label(fd), v, fd->target.op != TG_NONE ? fd->target.text : "",
						      met_label(fg->met), pv, ch };

				cells(L, cols, ncols, row);
			}
			emit(L, RL_ROW, met_tone(fg->met));
			if (fg->agg == RA_CHOICE) {
				for (int c = 0; c < fd->nchoices; c++) {
					struct strbuf lab;
					char n[32];

					sb_init(&lab);
					sb_addf(&lab, "  %s", i18n_pick(fd->choices[c].label, fd->choices[c].label_en));
					snprintf(n, sizeof n, "%d", fg->choices[c]);
					if (pf && pf->n > 0)
						snprintf(pv, sizeof pv, "%d", pf->choices[c]);
					else
						snprintf(pv, sizeof pv, "-");
					{
						const char *row[] = { sb_str(&lab), n, "", "", pv, "" };

						cells(L, cols, ncols, row);
					}
					emit(L, RL_ROW, RT_PLAIN);
					sb_free(&lab);
				}
			}
			sb_init(&cov);
			coverage_text(&cov, fg);
			if (fg->nconflicts)
				L->conflict_legend = true;
			if (cov.len)
				emit_wrapped(L, RL_NOTE, fg->nconflicts ? RT_WARN : RT_PLAIN, 6, sb_str(&cov));
			sb_free(&cov);
		}
		blank(L);
	}
}

/* ---- by unit ----------------------------------------------------------------------------- */

/* The axis above the bars: 0 at the left, the scale at the right, the target marked. */
static void axis(struct strbuf *sb, const struct field *fd, double scale, int cols)
{
	char right[NUM_MAX];
	double marks[2];
	int nm = target_marks(fd, marks), rl;

	int mcol[2], end = cols;

	format_number(right, sizeof right, scale);
	rl = (int)strlen(right);
	for (int m = 0; m < nm; m++) {
		int mc = (int)floor(marks[m] / scale * cols);

		mcol[m] = mc >= cols ? cols - 1 : mc < 0 ? 0 : mc;
	}
	/* The scale's number ends before a marker that would cover it. */
	for (bool moved = true; moved;) {
		moved = false;
		for (int m = 0; m < nm; m++) {
			if (mcol[m] < end && mcol[m] >= end - rl) {
				end = mcol[m];
				moved = true;
			}
		}
	}
	for (int c = 0; c < cols; c++) {
		bool mark = false;

		for (int m = 0; m < nm; m++)
			mark = mark || mcol[m] == c;
		if (mark)
			sb_add(sb, "┃");
		else if (c == 0)
			sb_addc(sb, '0');
		else if (end - rl > 1 && c >= end - rl && c < end)
			sb_addc(sb, right[c - (end - rl)]);
		else
			sb_addc(sb, ' ');
	}
}

static void lay_units(struct lay *L)
{
	const struct report *r = L->r;
	const struct report_ranking *rk = &r->ranking;
	const struct report_form *rf;
	const struct field *fd;
	const struct report_figure *fg;
	const char *stat[] = { _("met"), _("not met"), _("n/a"), _("no value"), _("Status") };
	struct col cols[] = { { 3, true, true }, { 1, false, false }, { 0, false, false }, { 10, true, true },
			      { 0, false, false }, { 0, false, false } };
	double marks[2];
	int nm, bw;
	char v[FIG_MAX];
	struct strbuf bar;

	if (rk->form < 0) {  /* built without a field: nothing to rank */
		note(L, RT_WARN, 0, "%s", _("No field was given to compare the units by."));
		return;
	}
	rf = &r->cur.forms[rk->form];
	fd = &rf->form->fields[rk->field];
	fg = &rf->figures[rk->field];
	nm = target_marks(fd, marks);
	sb_addf(&L->sb, "%s (%s) - %s", field_label(fd), fd->code, form_title(rf->form));
	heading(L, RT_PLAIN);
	if (fd->target.op != TG_NONE) {
		fmt_target(v, sizeof v, fd);
		note(L, RT_PLAIN, 2, _("Target: %s (marked ┃)"), v);
		note(L, RT_PLAIN, 4, _("Source: %s"), i18n_pick(fd->target.source, fd->target.source_en));
	} else {
		note(L, RT_PLAIN, 2, "%s", _("This field has no target."));
	}
	{
		struct strbuf cov;

		sb_init(&cov);
		fmt_figure(v, sizeof v, fd, fg->agg, fg->value, true);
		coverage_text(&cov, fg);
		if (fg->met >= 0)
			note(L, met_tone(fg->met), 2, _("Township: %s, %s%s%s"), v, met_label(fg->met), cov.len ? clause_sep() : "",
			     sb_str(&cov));
		else
			note(L, RT_PLAIN, 2, _("Township: %s%s%s"), v, cov.len ? clause_sep() : "", sb_str(&cov));
		sb_free(&cov);
	}
	blank(L);

	cols[5].w = max_width(stat, 5, 6);
	/* The ranks and values whole, however many digits; the unit names take what they need
	 * up to 24 columns; the bars get the rest. */
	snprintf(v, sizeof v, "%d", rk->nrows);
	fit(&cols[0], v);
	fmt_figure(v, sizeof v, fd, fg->agg, fg->value, true);
	fit(&cols[3], v);
	for (int i = 0; i < rk->nrows; i++) {
		fmt_unit_value(v, sizeof v, fd, rk->rows[i].value, true);
		fit(&cols[3], v);
	}
	bw = rest_of(L, cols, 6, 2);
	cols[2].w = 14;
	for (int i = 0; i < rk->nrows; i++)
		if (text_width(unit_name(rk->rows[i].entry->unit)) > cols[2].w)
			cols[2].w = text_width(unit_name(rk->rows[i].entry->unit));
	if (cols[2].w > 24)
		cols[2].w = 24;
	if (bw - cols[2].w < 30)
		cols[2].w = bw - 30 > 10 ? bw - 30 : 10;
	cols[4].w = bw - cols[2].w > 0 ? bw - cols[2].w : 0;

	sb_init(&bar);
	axis(&bar, fd, rk->scale, cols[4].w);
	{
		const char *head[] = { "#", "", _("Unit"), _("Value"), sb_str(&bar), _("Status") };

		cells(L, cols, 6, head);
	}
	emit(L, RL_COLUMNS, RT_PLAIN);
	/* The township first, as a yardstick: a share or a rate, which compares with the
	 * units' own; a sum does not, so it stays in the line above the chart. */
	if (fg->value.kind == EV_NUM && fg->agg != RA_SUM) {
		sb_reset(&bar);
		report_bar(&bar, fg->value.num, rk->scale, cols[4].w, marks, nm);
		fmt_figure(v, sizeof v, fd, fg->agg, fg->value, true);
		{
			const char *row[] = { "", fg->nconflicts ? "!" : "", _("Township"), v, sb_str(&bar), met_label(fg->met) };

			cells(L, cols, 6, row);
		}
		emit(L, RL_ROW, met_tone(fg->met));
	}
	for (int i = 0; i < rk->nrows; i++) {
		const struct report_unit_value *uv = &rk->rows[i];
		char rank[16];
		const char *status;

		sb_reset(&bar);
		if (uv->value.kind == EV_NUM)
			report_bar(&bar, uv->value.num, rk->scale, cols[4].w, marks, nm);
		else
			report_bar(&bar, 0, rk->scale, cols[4].w, marks, nm);
		fmt_unit_value(v, sizeof v, fd, uv->value, true);
		snprintf(rank, sizeof rank, uv->rank ? "%d" : "-", uv->rank);
		status = uv->value.kind == EV_MISSING ? _("no value") : uv->value.kind == EV_NA ? _("n/a") : met_label(uv->met);
		if (uv->nconflicts)
			L->conflict_legend = true;
		{
			const char *row[] = { rank, uv->nconflicts ? "!" : "", unit_name(uv->entry->unit), v, sb_str(&bar),
					      status };

			cells(L, cols, 6, row);
		}
		emit(L, RL_ROW, uv->value.kind == EV_MISSING ? RT_WARN : met_tone(uv->met));
	}
	sb_free(&bar);
	blank(L);
	{
		int met = 0, not = 0, none = 0;

		for (int i = 0; i < rk->nrows; i++) {
			if (rk->rows[i].met > 0)
				met++;
			else if (rk->rows[i].met == 0)
				not++;
			else
				none++;
		}
		if (fd->target.op != TG_NONE)
			note(L, RT_PLAIN, 0, _("Units: %d met, %d not met, %d without a value to judge."), met, not, none);
	}
	if (fd->type == FT_YESNO)
		note(L, RT_PLAIN, 0, "%s", _("A yes answer is drawn as 100%, a no as 0%, the scale of the target."));
}

/* ---- targets ------------------------------------------------------------------------------ */

static void lay_targets(struct lay *L)
{
	const struct report *r = L->r;
	bool prev = show_prev(r);
	const char *mets[] = { _("met"), _("not met"), _("Met") };
	struct col cols[] = { { 20, false, false }, { 12, true, true }, { 0, false, false }, { 12, true, true },
			      { 7, true, true }, { 0, false, true } };
	struct col cols_np[] = { { 20, false, false }, { 12, true, true }, { 0, false, false }, { 0, false, true } };
	char v[FIG_MAX], pv[FIG_MAX], ch[FIG_MAX];
	const char *head[] = { _("Unit"), _("Value"), _("Met"), r->prev.period, _("Change"), _("Note") };
	const char *head_np[] = { _("Unit"), _("Value"), _("Met"), _("Note") };
	const char *notes[] = { _("no value"), form_status_word(FST_PROGRESS), form_status_word(FST_EMPTY) };
	int note_w = max_width(notes, 3, text_width(_("Note")));

	cols[2].w = cols_np[2].w = max_width(mets, 3, 3);
	cols[0].w = cols_np[0].w = L->width >= 100 ? 28 : 20;
	/* The values, changes and counts whole, however many digits. */
	for (int c = 1; c < 5; c++)
		if (c != 2)
			fit(&cols[c], head[c]);
	for (int t = 0; t < r->ntargets; t++) {
		const struct report_target *tg = &r->targets[t];
		const struct report_form *rf = &r->cur.forms[tg->form];
		const struct field *fd = &rf->form->fields[tg->field];
		const struct report_figure *fg = &rf->figures[tg->field];
		const struct report_figure *pf = prev ? &r->prev.forms[tg->form].figures[tg->field] : NULL;

		fmt_figure(v, sizeof v, fd, fg->agg, fg->value, true);
		fit(&cols[1], v);
		fmt_figure(pv, sizeof pv, fd, fg->agg, pf ? pf->value : ev_missing(), true);
		fit(&cols[3], pv);
		fmt_change(ch, sizeof ch, report_change(fg->value, pf ? pf->value : ev_missing()), value_decimals(fd, fg->agg));
		fit(&cols[4], ch);
		snprintf(v, sizeof v, "%d/%d%s", fg->n, fg->m, fg->nconflicts ? " !" : "");
		note_w = note_w > text_width(v) ? note_w : text_width(v);
		for (int u = 0; u < tg->nunits; u++) {
			const struct report_unit_value *uv = &tg->units[u];

			fmt_unit_value(v, sizeof v, fd, uv->value, true);
			fit(&cols[1], v);
			fmt_unit_value(pv, sizeof pv, fd, uv->prev, true);
			fit(&cols[3], pv);
			fmt_change(ch, sizeof ch, fd->type == FT_YESNO ? ev_missing() : report_change(uv->value, uv->prev),
				   value_decimals(fd, unit_agg(fd)));
			fit(&cols[4], ch);
		}
	}
	cols_np[1].w = cols[1].w;
	cols[5].w = rest_of(L, cols, 6, 5);
	cols_np[3].w = rest_of(L, cols_np, 4, 3);
	/* The notes (a count like 2999/3000 !) whole too: the unit names give up the room. */
	if (cols[5].w < note_w) {
		cols[0].w -= cap(note_w - cols[5].w, cols[0].w - 10);
		cols[5].w = rest_of(L, cols, 6, 5);
	}
	if (cols_np[3].w < note_w) {
		cols_np[0].w -= cap(note_w - cols_np[3].w, cols_np[0].w - 10);
		cols_np[3].w = rest_of(L, cols_np, 4, 3);
	}
	if (r->ntargets == 0)
		note(L, RT_PLAIN, 0, "%s", _("No field of these forms has a target."));
	for (int t = 0; t < r->ntargets; t++) {
		const struct report_target *tg = &r->targets[t];
		const struct report_form *rf = &r->cur.forms[tg->form];
		const struct field *fd = &rf->form->fields[tg->field];
		const struct report_figure *fg = &rf->figures[tg->field];
		const struct report_figure *pf = prev ? &r->prev.forms[tg->form].figures[tg->field] : NULL;
		struct strbuf cov;

		sb_addf(&L->sb, "%s (%s)", field_label(fd), fd->code);
		heading(L, met_tone(fg->met));
		fmt_target(v, sizeof v, fd);
		note(L, RT_PLAIN, 2, _("Target: %s"), v);
		note(L, RT_PLAIN, 4, _("Source: %s"), i18n_pick(fd->target.source, fd->target.source_en));
		if (prev)
			cells(L, cols, 6, head);
		else
			cells(L, cols_np, 4, head_np);
		emit(L, RL_COLUMNS, RT_PLAIN);

		fmt_figure(v, sizeof v, fd, fg->agg, fg->value, true);
		fmt_figure(pv, sizeof pv, fd, fg->agg, pf ? pf->value : ev_missing(), true);
		fmt_change(ch, sizeof ch, report_change(fg->value, pf ? pf->value : ev_missing()), value_decimals(fd, fg->agg));
		{
			char nm[64];

			snprintf(nm, sizeof nm, "%d/%d%s", fg->n, fg->m, fg->nconflicts ? " !" : "");
			{
				const char *row[] = { _("Township"), v, met_label(fg->met), pv, ch, nm };
				const char *row_np[] = { _("Township"), v, met_label(fg->met), nm };

				if (prev)
					cells(L, cols, 6, row);
				else
					cells(L, cols_np, 4, row_np);
			}
			emit(L, RL_ROW, met_tone(fg->met));
		}
		for (int u = 0; u < tg->nunits; u++) {
			const struct report_unit_value *uv = &tg->units[u];
			const char *nt;

			fmt_unit_value(v, sizeof v, fd, uv->value, true);
			fmt_unit_value(pv, sizeof pv, fd, uv->prev, true);
			fmt_change(ch, sizeof ch, fd->type == FT_YESNO ? ev_missing() : report_change(uv->value, uv->prev),
				   value_decimals(fd, unit_agg(fd)));
			if (uv->nconflicts) {
				nt = "!";
				L->conflict_legend = true;
			} else if (uv->value.kind == EV_MISSING) {
				nt = _("no value");
			} else if (uv->entry->state != FST_COMPLETE) {
				nt = form_status_word(uv->entry->state);
			} else {
				nt = "";
			}
			{
				const char *row[] = { unit_name(uv->entry->unit), v, met_label(uv->met), pv, ch, nt };
				const char *row_np[] = { unit_name(uv->entry->unit), v, met_label(uv->met), nt };

				if (prev)
					cells(L, cols, 6, row);
				else
					cells(L, cols_np, 4, row_np);
			}
			emit(L, RL_ROW, uv->value.kind == EV_MISSING ? RT_WARN : met_tone(uv->met));
		}
		sb_init(&cov);
		coverage_text(&cov, fg);
		if (cov.len)
			note(L, fg->nconflicts ? RT_WARN : RT_PLAIN, 2, _("Township: %s."), sb_str(&cov));
		sb_free(&cov);
		note(L, RT_PLAIN, 2, _("Units: %d met, %d not met, %d without a value to judge."), tg->nmet, tg->nnot,
		     tg->nnone);
		blank(L);
	}
}

/* ---- all of it ------------------------------------------------------------------------- */

void report_render_lines(const struct report *r, int width, struct report_lines *out)
{
	struct lay L;
	static const char *const titles[] = { N_("Completeness"), N_("Indicators"), N_("By unit"), N_("Targets") };

	memset(out, 0, sizeof *out);
	memset(&L, 0, sizeof L);
	L.r = r;
	L.width = width < REPORT_MIN_WIDTH ? REPORT_MIN_WIDTH : width;
	L.out = out;
	sb_init(&L.sb);
	title(&L, _(titles[r->kind]));
	summary(&L);
	if ((r->kind == RK_INDICATORS || r->kind == RK_TARGETS) && r->has_prev_period) {
		if (r->prev.has_data)
			note(&L, RT_PLAIN, 0, _("Changes are against %s, the period before."), r->prev.period);
		else
			note(&L, RT_PLAIN, 0, _("No data for %s, the period before, so no changes are shown."), r->prev.period);
	}
	blank(&L);
	switch (r->kind) {
	case RK_COMPLETENESS: lay_completeness(&L); break;
	case RK_INDICATORS: lay_indicators(&L); break;
	case RK_UNITS: lay_units(&L); break;
	case RK_TARGETS: lay_targets(&L); break;
	}
	if (r->kind != RK_COMPLETENESS) {
		if (out->n && out->v[out->n - 1].kind != RL_BLANK)
			blank(&L);
		note(&L, RT_PLAIN, 0, "%s", _("- = no value yet; n/a = not applicable: the denominator is 0."));
	}
	if (L.conflict_legend) {
		if (out->n && out->v[out->n - 1].kind != RL_BLANK)
			blank(&L);
		note(&L, RT_WARN, 0, "%s",
		     _("! = a value in conflict: two installations sent different values and the clerk has not decided yet. The current value is counted."));
	}
	while (out->n && out->v[out->n - 1].kind == RL_BLANK) {
		free(out->v[out->n - 1].text);
		out->n--;
	}
	sb_free(&L.sb);
}

void report_lines_free(struct report_lines *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof *l);
}

void report_write_text(const struct report *r, int width, struct strbuf *out)
{
	struct report_lines lines;

	report_render_lines(r, width, &lines);
	for (int i = 0; i < lines.n; i++) {
		sb_add(out, lines.v[i].text);
		sb_addc(out, '\n');
	}
	report_lines_free(&lines);
}

/* ---- CSV ---------------------------------------------------------------------------------- */

struct csvw {
	struct strbuf *out;
	bool first;
};

static void c_sep(struct csvw *w)
{
	if (!w->first)
		csv_sep(w->out);
	w->first = false;
}

/* Text is guarded against formulas; only numbers this code formats are not. */
static void c_text(struct csvw *w, const char *s)
{
	c_sep(w);
	csv_field(w->out, s ? s : "", true);
}

static void c_int(struct csvw *w, int n)
{
	c_sep(w);
	sb_addf(w->out, "%d", n);
}

/* A number as a plain number ("-3" stays a number); n/a as text; nothing as empty. */
static void c_num(struct csvw *w, struct ev v, int decimals)
{
	char num[NUM_MAX];

	if (v.kind == EV_NA) {
		c_text(w, _("n/a"));
		return;
	}
	c_sep(w);
	if (v.kind == EV_NUM) {
		format_decimal(num, sizeof num, v.num, decimals);
		sb_add(w->out, num);
	}
}

static void c_end(struct csvw *w)
{
	csv_end_row(w->out, true);
	w->first = true;
}

static void c_header(struct csvw *w, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		c_text(w, names[i]);
	c_end(w);
}

static void csv_completeness(const struct report *r, struct csvw *w)
{
	const char *head[] = { _("Period"), _("Unit code"), _("Unit"), _("Form"), _("Form title"), _("State"),
			       _("Changed by"), _("Changed at"), _("Values"), _("Values in conflict") };

	c_header(w, head, (int)ARRAY_LEN(head));
	for (int u = 0; u < r->nunits; u++) {
		const struct report_unit_row *ur = &r->units[u];

		for (int k = 0; k < r->cur.nforms; k++) {
			const struct report_entry *en = ur->cells[k];

			if (!en)
				continue;
			c_text(w, r->cur.period);
			c_text(w, ur->unit->code);
			c_text(w, unit_name(ur->unit));
			c_text(w, r->cur.forms[k].form->id);
			c_text(w, form_title(r->cur.forms[k].form));
			c_text(w, form_status_word(en->state));
			c_text(w, en->changed_by);
			c_text(w, en->changed_at);
			c_int(w, en->nvalues);
			c_int(w, en->nconflicts);
			c_end(w);
		}
	}
}

static void csv_indicators(const struct report *r, struct csvw *w)
{
	const char *head[] = { _("Period"), _("Form"), _("Field"), _("Indicator"), _("Choice"), _("Unit of measure"),
			       _("Value"), _("Shown"), _("Reporting units"), _("Units asked"), _("Values in conflict"),
			       _("Target"), _("Met"), _("Previous period"), _("Previous value"), _("Change") };
	bool prev = show_prev(r);
	char shown[FIG_MAX];

	c_header(w, head, (int)ARRAY_LEN(head));
	for (int k = 0; k < r->cur.nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];

		for (int i = 0; i < rf->form->nfields; i++) {
			const struct field *fd = &rf->form->fields[i];
			const struct report_figure *fg = &rf->figures[i];
			const struct report_figure *pf = prev ? &r->prev.forms[k].figures[i] : NULL;
			int dec = value_decimals(fd, fg->agg);
			bool choice = fg->agg == RA_CHOICE;

			if (fg->agg == RA_NONE)
				continue;
			for (int c = -1; c < (choice ? fd->nchoices : 0); c++) {
				c_text(w, r->cur.period);
				c_text(w, rf->form->id);
				c_text(w, fd->code);
				c_text(w, field_label(fd));
				if (c < 0) {
					c_text(w, "");
					c_text(w, choice ? "" : measure_of(fd, fg->agg));
					if (choice) {
						c_text(w, "");
						c_text(w, "");
					} else {
						fmt_figure(shown, sizeof shown, fd, fg->agg, fg->value, true);
						c_num(w, fg->value, dec);
						c_text(w, fg->value.kind == EV_MISSING ? "" : shown);
					}
				} else {
					c_text(w, i18n_pick(fd->choices[c].label, fd->choices[c].label_en));
					c_text(w, "");
					c_int(w, fg->choices[c]);
					snprintf(shown, sizeof shown, "%d", fg->choices[c]);
					c_text(w, shown);
				}
				c_int(w, fg->n);
				c_int(w, fg->m);
				c_int(w, fg->nconflicts);
				c_text(w, c < 0 && fd->target.op != TG_NONE ? fd->target.text : "");
				c_text(w, c < 0 ? met_label(fg->met) : "");
				c_text(w, r->has_prev_period ? r->prev.period : "");
				if (c < 0 && !choice) {
					c_num(w, pf ? pf->value : ev_missing(), dec);
					c_num(w, report_change(fg->value, pf ? pf->value : ev_missing()), dec);
				} else if (c >= 0 && pf) {
					c_int(w, pf->choices[c]);
					c_int(w, fg->choices[c] - pf->choices[c]);
				} else {
					c_text(w, "");
					c_text(w, "");
				}
				c_end(w);
			}
		}
	}
}

static void csv_units(const struct report *r, struct csvw *w)
{
	const char *head[] = { _("Period"), _("Field"), _("Indicator"), _("Rank"), _("Unit code"), _("Unit"), _("Value"),
			       _("Shown"), _("Target"), _("Met"), _("Values in conflict"), _("State") };
	const struct report_ranking *rk = &r->ranking;
	const struct report_form *rf;
	const struct field *fd;
	const struct report_figure *fg;
	char shown[FIG_MAX], tgt[96];

	c_header(w, head, (int)ARRAY_LEN(head));
	if (rk->form < 0)
		return;
	rf = &r->cur.forms[rk->form];
	fd = &rf->form->fields[rk->field];
	fg = &rf->figures[rk->field];
	fmt_target(tgt, sizeof tgt, fd);
	/* The township first. */
	c_text(w, r->cur.period);
	c_text(w, fd->code);
	c_text(w, field_label(fd));
	c_text(w, "");
	c_text(w, r->township ? r->township->code : "");
	c_text(w, _("Township"));
	c_num(w, fg->value, value_decimals(fd, fg->agg));
	fmt_figure(shown, sizeof shown, fd, fg->agg, fg->value, true);
	c_text(w, fg->value.kind == EV_MISSING ? "" : shown);
	c_text(w, tgt);
	c_text(w, met_label(fg->met));
	c_int(w, fg->nconflicts);
	c_text(w, "");
	c_end(w);
	for (int i = 0; i < rk->nrows; i++) {
		const struct report_unit_value *uv = &rk->rows[i];

		c_text(w, r->cur.period);
		c_text(w, fd->code);
		c_text(w, field_label(fd));
		if (uv->rank)
			c_int(w, uv->rank);
		else
			c_text(w, "");
		c_text(w, uv->entry->unit->code);
		c_text(w, unit_name(uv->entry->unit));
		c_num(w, uv->value, fd->type == FT_YESNO ? 0 : value_decimals(fd, unit_agg(fd)));
		fmt_unit_value(shown, sizeof shown, fd, uv->value, true);
		c_text(w, uv->value.kind == EV_MISSING ? "" : shown);
		c_text(w, tgt);
		c_text(w, met_label(uv->met));
		c_int(w, uv->nconflicts);
		c_text(w, form_status_word(uv->entry->state));
		c_end(w);
	}
}

static void csv_targets(const struct report *r, struct csvw *w)
{
	const char *head[] = { _("Period"), _("Form"), _("Field"), _("Indicator"), _("Target"), _("Unit code"), _("Unit"),
			       _("Value"), _("Shown"), _("Met"), _("Values in conflict"), _("Previous value"), _("Change"),
			       _("Reporting units"), _("Units asked"), _("Source") };
	bool prev = show_prev(r);
	char shown[FIG_MAX], tgt[96];

	c_header(w, head, (int)ARRAY_LEN(head));
	for (int t = 0; t < r->ntargets; t++) {
		const struct report_target *tg = &r->targets[t];
		const struct report_form *rf = &r->cur.forms[tg->form];
		const struct field *fd = &rf->form->fields[tg->field];
		const struct report_figure *fg = &rf->figures[tg->field];
		const struct report_figure *pf = prev ? &r->prev.forms[tg->form].figures[tg->field] : NULL;
		int dec = value_decimals(fd, fg->agg);
		const char *source = i18n_pick(fd->target.source, fd->target.source_en);

		fmt_target(tgt, sizeof tgt, fd);
		for (int u = -1; u < tg->nunits; u++) {
			const struct report_unit_value *uv = u >= 0 ? &tg->units[u] : NULL;

			c_text(w, r->cur.period);
			c_text(w, rf->form->id);
			c_text(w, fd->code);
			c_text(w, field_label(fd));
			c_text(w, tgt);
			if (!uv) {
				c_text(w, r->township ? r->township->code : "");
				c_text(w, _("Township"));
				c_num(w, fg->value, dec);
				fmt_figure(shown, sizeof shown, fd, fg->agg, fg->value, true);
				c_text(w, fg->value.kind == EV_MISSING ? "" : shown);
				c_text(w, met_label(fg->met));
				c_int(w, fg->nconflicts);
				c_num(w, pf ? pf->value : ev_missing(), dec);
				c_num(w, report_change(fg->value, pf ? pf->value : ev_missing()), dec);
				c_int(w, fg->n);
				c_int(w, fg->m);
			} else {
				int udec = fd->type == FT_YESNO ? 0 : value_decimals(fd, unit_agg(fd));

				c_text(w, uv->entry->unit->code);
				c_text(w, unit_name(uv->entry->unit));
				c_num(w, uv->value, udec);
				fmt_unit_value(shown, sizeof shown, fd, uv->value, true);
				c_text(w, uv->value.kind == EV_MISSING ? "" : shown);
				c_text(w, met_label(uv->met));
				c_int(w, uv->nconflicts);
				c_num(w, prev ? uv->prev : ev_missing(), udec);
				c_num(w, prev && fd->type != FT_YESNO ? report_change(uv->value, uv->prev) : ev_missing(), udec);
				c_text(w, "");
				c_text(w, "");
			}
			c_text(w, source);
			c_end(w);
		}
	}
}

void report_write_csv(const struct report *r, struct strbuf *out)
{
	struct csvw w = { out, true };

	sb_add(out, "\xEF\xBB\xBF");
	switch (r->kind) {
	case RK_COMPLETENESS: csv_completeness(r, &w); break;
	case RK_INDICATORS: csv_indicators(r, &w); break;
	case RK_UNITS: csv_units(r, &w); break;
	case RK_TARGETS: csv_targets(r, &w); break;
	}
}

/* ---- DHIS2 ---------------------------------------------------------------------------------- */

void report_write_dhis2(const struct report *r, struct strbuf *out, struct report_dhis2_stats *stats)
{
	struct csvw w = { out, true };
	bool *unit_seen = xcalloc((size_t)r->fs->nunits + 1, sizeof *unit_seen);
	struct strbuf comment;

	memset(stats, 0, sizeof *stats);
	sb_init(&comment);
	/* The header exactly as DHIS2 writes it; DHIS2 reads the columns by position. */
	sb_add(out, "\xEF\xBB\xBF");
	sb_add(out, "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,"
		    "comment,followup,deleted\r\n");
	for (int k = 0; k < r->cur.nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];
		const struct form *f = rf->form;
		bool *field_seen = xcalloc((size_t)f->nfields + 1, sizeof *field_seen);

		for (int ei = 0; ei < rf->nentries; ei++) {
			const struct report_entry *en = &rf->entries[ei];
			const struct unit *u = en->unit;

			for (int i = 0; i < f->nfields; i++) {
				const struct field *fd = &f->fields[i];
				const struct report_value *v = &en->values[i];

				if (fd->compute || !v->text)
					continue;
				/* What the forms and the other reports do not count is not sent either. */
				switch (report_stored_value(en, i)) {
				case RS_SKIPPED:
					stats->skipped++;
					continue;
				case RS_INVALID:
					stats->invalid++;
					continue;
				case RS_NONE:
					continue;
				default:
					break;
				}
				stats->values++;
				if (en->state != FST_COMPLETE)
					stats->not_complete++;
				if (!fd->dhis2 && !field_seen[i]) {
					field_seen[i] = true;
					stats->fields_without_code++;
				}
				if (!u->dhis2 && !unit_seen[en->unit_index]) {
					unit_seen[en->unit_index] = true;
					stats->units_without_code++;
				}
				c_text(&w, fd->dhis2 ? fd->dhis2 : fd->code);
				c_text(&w, r->cur.period);
				c_text(&w, u->dhis2 ? u->dhis2 : u->code);
				c_text(&w, "");
				c_text(&w, "");
				/* A number is a number; a text value is guarded like any text cell. */
				c_sep(&w);
				csv_field(out, v->text, !field_is_numeric(fd));
				c_text(&w, v->updated_by);
				c_text(&w, v->updated_at);
				sb_reset(&comment);
				if (v->conflict) {
					stats->conflicts++;
					sb_add(&comment, _("tianbao: in conflict between installations, not decided yet; other value(s): "));
					alts_text(&comment, en, i);
				}
				c_text(&w, sb_str(&comment));
				c_text(&w, v->conflict ? "true" : "false");
				c_text(&w, "false");
				c_end(&w);
			}
		}
		free(field_seen);
	}
	sb_free(&comment);
	free(unit_seen);
}

/* ---- Excel ----------------------------------------------------------------------------------- */

#define XL_MAX_DECIMALS 6
#define XL_MAX_WIDTH 50

struct xl {
	lxw_workbook *wb;
	lxw_format *head, *num[XL_MAX_DECIMALS + 1], *cnum[XL_MAX_DECIMALS + 1], *share, *cshare, *yesno, *cyesno;
	lxw_format *ctext, *good, *warn, *bad, *foot, *foot_share;
	char **names;       /* sheet names used, to keep them unique */
	int nnames;
};

struct sheet {
	lxw_worksheet *ws;
	int widths[512];    /* display width of the widest cell per column */
};

static lxw_format *xl_format(struct xl *x)
{
	return lx->workbook_add_format(x->wb);
}

static void xl_formats(struct xl *x)
{
	char yn[128];
	struct strbuf clean_yes, clean_no;

	x->head = xl_format(x);
	lx->format_set_bold(x->head);
	lx->format_set_bottom(x->head, LXW_BORDER_THIN);
	lx->format_set_text_wrap(x->head);
	lx->format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);
	for (int d = 0; d <= XL_MAX_DECIMALS; d++) {
		char f[16] = "0";

		if (d > 0) {
			strcat(f, ".");
			for (int i = 0; i < d; i++)
				strcat(f, "0");
		}
		x->num[d] = xl_format(x);
		lx->format_set_num_format(x->num[d], f);
		x->cnum[d] = xl_format(x);
		lx->format_set_num_format(x->cnum[d], f);
		lx->format_set_bg_color(x->cnum[d], 0xFFEB9C);
	}
	/* Percentages are numbers like 37.5 shown as 37.5%, the way the forms hold them. */
	x->share = xl_format(x);
	lx->format_set_num_format(x->share, "0.0\"%\"");
	x->cshare = xl_format(x);
	lx->format_set_num_format(x->cshare, "0.0\"%\"");
	lx->format_set_bg_color(x->cshare, 0xFFEB9C);
	/* A yes/no answer stays the number 1 or 0 and reads as yes or no. */
	sb_init(&clean_yes);
	sb_init(&clean_no);
	for (const char *p = _("yes"); *p; p++)
		if (*p != '"' && *p != ';')
			sb_addc(&clean_yes, *p);
	for (const char *p = _("no"); *p; p++)
		if (*p != '"' && *p != ';')
			sb_addc(&clean_no, *p);
	snprintf(yn, sizeof yn, "[=1]\"%s\";[=0]\"%s\";General", sb_str(&clean_yes), sb_str(&clean_no));
	sb_free(&clean_yes);
	sb_free(&clean_no);
	x->yesno = xl_format(x);
	lx->format_set_num_format(x->yesno, yn);
	x->cyesno = xl_format(x);
	lx->format_set_num_format(x->cyesno, yn);
	lx->format_set_bg_color(x->cyesno, 0xFFEB9C);
	x->ctext = xl_format(x);
	lx->format_set_bg_color(x->ctext, 0xFFEB9C);
	x->good = xl_format(x);
	lx->format_set_bg_color(x->good, 0xC6EFCE);
	x->warn = xl_format(x);
	lx->format_set_bg_color(x->warn, 0xFFEB9C);
	x->bad = xl_format(x);
	lx->format_set_bg_color(x->bad, 0xFFC7CE);
	x->foot = xl_format(x);
	lx->format_set_bold(x->foot);
	lx->format_set_top(x->foot, LXW_BORDER_THIN);
	x->foot_share = xl_format(x);
	lx->format_set_bold(x->foot_share);
	lx->format_set_top(x->foot_share, LXW_BORDER_THIN);
	lx->format_set_num_format(x->foot_share, "0.0\"%\"");
}

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\, not starting or
 * ending with ', and not used before (ignoring case). */
static void xl_sheet_name(struct xl *x, const char *want, const char *fallback, char *out, size_t size)
{
	struct strbuf sb;
	size_t n = strlen(want), i = 0;
	int chars = 0;

	sb_init(&sb);
	while (i < n && chars < 31) {
		wchar_t wc;
		int k = utf8_decode(want + i, n - i, &wc);

		if (k < 0) {
			i++;
			continue;
		}
		if (strchr("[]:*?/\\", want[i]) && k == 1)
			sb_addc(&sb, '_');
		else
			sb_addn(&sb, want + i, (size_t)k);
		i += (size_t)k;
		chars++;
	}
	while (sb.len && (sb.buf[sb.len - 1] == '\'' || sb.buf[sb.len - 1] == ' '))
		sb.buf[--sb.len] = '\0';
	snprintf(out, size, "%s", sb.buf && sb.buf[0] != '\'' && sb.len ? sb.buf : fallback);
	sb_free(&sb);
	for (int tries = 2;; tries++) {
		bool used = false;

		for (int j = 0; j < x->nnames; j++)
			used = used || strcasecmp(x->names[j], out) == 0;
		if (!used && lx->workbook_validate_sheet_name(x->wb, out) == LXW_NO_ERROR)
			break;
		snprintf(out, size, "%.20s %d", fallback, tries);
	}
	x->names = xreallocarray(x->names, (size_t)x->nnames + 1, sizeof *x->names);
	x->names[x->nnames++] = xstrdup(out);
}

static void xl_add_sheet(struct xl *x, struct sheet *sh, const char *want, const char *fallback)
{
	char name[256];

	memset(sh, 0, sizeof *sh);
	xl_sheet_name(x, want, fallback, name, sizeof name);
	sh->ws = lx->workbook_add_worksheet(x->wb, name);
}

static void widen(struct sheet *sh, int col, int w)
{
	if (col >= 0 && col < (int)ARRAY_LEN(sh->widths) && w > sh->widths[col])
		sh->widths[col] = w;
}

static void xl_text(struct sheet *sh, int row, int col, const char *s, lxw_format *fmt)
{
	if (!s || !*s) {
		if (fmt)
			lx->worksheet_write_blank(sh->ws, (lxw_row_t)row, (lxw_col_t)col, fmt);
		return;
	}
	/* Strings are stored as strings: Excel never runs them as formulas. */
	lx->worksheet_write_string(sh->ws, (lxw_row_t)row, (lxw_col_t)col, s, fmt);
	widen(sh, col, text_width(s));
}

static void xl_head(struct xl *x, struct sheet *sh, int col, const char *s)
{
	lx->worksheet_write_string(sh->ws, 0, (lxw_col_t)col, s, x->head);
	widen(sh, col, text_width(s) > 30 ? 30 : text_width(s));
}

static void xl_int(struct xl *x, struct sheet *sh, int row, int col, int v)
{
	char buf[32];

	lx->worksheet_write_number(sh->ws, (lxw_row_t)row, (lxw_col_t)col, v, x->num[0]);
	widen(sh, col, snprintf(buf, sizeof buf, "%d", v));
}

/* A number with its decimals; "n/a" as text; nothing as a blank cell. */
static void xl_num(struct xl *x, struct sheet *sh, int row, int col, struct ev v, int decimals, bool share,
		   bool conflict)
{
	char buf[64];

	if (decimals > XL_MAX_DECIMALS)
		decimals = XL_MAX_DECIMALS;
	if (v.kind == EV_NA) {
		xl_text(sh, row, col, _("n/a"), conflict ? x->ctext : NULL);
		return;
	}
	if (v.kind != EV_NUM) {
		if (conflict)
			lx->worksheet_write_blank(sh->ws, (lxw_row_t)row, (lxw_col_t)col, x->ctext);
		return;
	}
	lx->worksheet_write_number(sh->ws, (lxw_row_t)row, (lxw_col_t)col, v.num,
			       share ? (conflict ? x->cshare : x->share) : conflict ? x->cnum[decimals] : x->num[decimals]);
	format_decimal(buf, sizeof buf, v.num, decimals);
	widen(sh, col, (int)strlen(buf) + (share ? 1 : 0));
}

static void xl_comment(struct sheet *sh, int row, int col, const char *text)
{
	lx->worksheet_write_comment(sh->ws, (lxw_row_t)row, (lxw_col_t)col, text);
}

static void xl_finish(struct sheet *sh, int ncols, int freeze_row, int freeze_col)
{
	for (int c = 0; c < ncols && c < (int)ARRAY_LEN(sh->widths); c++) {
		int w = sh->widths[c] + 2;

		lx->worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w > XL_MAX_WIDTH ? XL_MAX_WIDTH : w < 6 ? 6 : w,
				     NULL);
	}
	lx->worksheet_freeze_panes(sh->ws, (lxw_row_t)freeze_row, (lxw_col_t)freeze_col);
}

static lxw_format *state_format(struct xl *x, enum form_state s)
{
	return s == FST_COMPLETE ? x->good : s == FST_PROGRESS ? x->warn : x->bad;
}

/* Units as rows, forms as columns, the share complete per unit and per form. */
static void xl_completeness(struct xl *x, const struct report *r)
{
	struct sheet sh;
	int nf = r->cur.nforms, row = 1;
	struct strbuf sb;

	xl_add_sheet(x, &sh, _("Completeness"), "completeness");
	sb_init(&sb);
	xl_head(x, &sh, 0, _("Unit code"));
	xl_head(x, &sh, 1, _("Unit"));
	for (int k = 0; k < nf; k++)
		xl_head(x, &sh, 2 + k, form_title(r->cur.forms[k].form));
	xl_head(x, &sh, 2 + nf, _("Share complete"));
	for (int u = 0; u < r->nunits; u++, row++) {
		const struct report_unit_row *ur = &r->units[u];

		xl_text(&sh, row, 0, ur->unit->code, NULL);
		xl_text(&sh, row, 1, unit_name(ur->unit), NULL);
		for (int k = 0; k < nf; k++) {
			const struct report_entry *en = ur->cells[k];

			if (!en)
				continue;
			sb_reset(&sb);
			sb_add(&sb, form_status_word(en->state));
			if (en->nconflicts)
				sb_add(&sb, " !");
			xl_text(&sh, row, 2 + k, sb_str(&sb), state_format(x, en->state));
			if (en->nconflicts) {
				sb_reset(&sb);
				sb_addf(&sb, _("%d value(s) in conflict between installations"), en->nconflicts);
				xl_comment(&sh, row, 2 + k, sb_str(&sb));
			}
		}
		xl_num(x, &sh, row, 2 + nf, ev_num(report_percent(ur->ncomplete, ur->nforms)), 1, true, false);
	}
	xl_text(&sh, row, 1, _("Share complete"), x->foot);
	for (int k = 0; k < nf; k++) {
		const struct report_form *rf = &r->cur.forms[k];

		lx->worksheet_write_number(sh.ws, (lxw_row_t)row, (lxw_col_t)(2 + k), report_percent(rf->ncomplete, rf->nentries),
				       x->foot_share);
	}
	lx->worksheet_write_number(sh.ws, (lxw_row_t)row, (lxw_col_t)(2 + nf), report_percent(r->complete, r->total),
			       x->foot_share);
	sb_free(&sb);
	xl_finish(&sh, 3 + nf, 1, 2);
}

/* Who and when, and the list of what is missing: the completeness report's other sheets. */
static void xl_completeness_details(struct xl *x, const struct report *r)
{
	struct sheet sh, ms;
	const char *head[] = { _("Unit code"), _("Unit"), _("Form"), _("State"), _("Changed by"), _("Changed at"),
			       _("Values"), _("Values in conflict") };
	int row = 1, mrow = 1;
	char when[64];

	xl_add_sheet(x, &sh, _("Who and when"), "details");
	xl_add_sheet(x, &ms, _("Still missing"), "missing");
	for (int c = 0; c < (int)ARRAY_LEN(head); c++)
		xl_head(x, &sh, c, head[c]);
	for (int c = 0; c < 4; c++)
		xl_head(x, &ms, c, head[c]);
	for (int u = 0; u < r->nunits; u++) {
		const struct report_unit_row *ur = &r->units[u];

		for (int k = 0; k < r->cur.nforms; k++) {
			const struct report_entry *en = ur->cells[k];

			if (!en)
				continue;
			xl_text(&sh, row, 0, ur->unit->code, NULL);
			xl_text(&sh, row, 1, unit_name(ur->unit), NULL);
			xl_text(&sh, row, 2, form_title(r->cur.forms[k].form), NULL);
			xl_text(&sh, row, 3, form_status_word(en->state), state_format(x, en->state));
			xl_text(&sh, row, 4, en->changed_by, NULL);
			fmt_time(when, sizeof when, en->changed_at);
			xl_text(&sh, row, 5, en->changed_at ? when : "", NULL);
			xl_int(x, &sh, row, 6, en->nvalues);
			xl_int(x, &sh, row, 7, en->nconflicts);
			row++;
			if (en->state != FST_COMPLETE) {
				xl_text(&ms, mrow, 0, ur->unit->code, NULL);
				xl_text(&ms, mrow, 1, unit_name(ur->unit), NULL);
				xl_text(&ms, mrow, 2, form_title(r->cur.forms[k].form), NULL);
				xl_text(&ms, mrow, 3, form_status_word(en->state), state_format(x, en->state));
				mrow++;
			}
		}
	}
	xl_finish(&sh, (int)ARRAY_LEN(head), 1, 2);
	xl_finish(&ms, 4, 1, 2);
}

static void xl_header_label(struct strbuf *sb, const struct field *fd)
{
	sb_reset(sb);
	sb_add(sb, field_label(fd));
	if (*fd->unit)
		sb_addf(sb, " (%s)", fd->unit);
	else if (fd->type == FT_YESNO)
		sb_add(sb, _(" (yes/no; township: share saying yes)"));
}

/* A form: units as rows, every field as a column, the township's figures below. */
static void xl_form(struct xl *x, const struct report *r, int k)
{
	const struct report_form *rf = &r->cur.forms[k];
	const struct form *f = rf->form;
	bool prev = show_prev(r);
	struct sheet sh;
	struct strbuf sb;
	int row = 1, c0 = 3;

	xl_add_sheet(x, &sh, form_title(f), f->id);
	sb_init(&sb);
	xl_head(x, &sh, 0, _("Unit code"));
	xl_head(x, &sh, 1, _("Unit"));
	xl_head(x, &sh, 2, _("State"));
	for (int i = 0; i < f->nfields; i++) {
		xl_header_label(&sb, &f->fields[i]);
		xl_head(x, &sh, c0 + i, sb_str(&sb));
	}
	for (int ei = 0; ei < rf->nentries; ei++, row++) {
		const struct report_entry *en = &rf->entries[ei];

		xl_text(&sh, row, 0, en->unit->code, NULL);
		xl_text(&sh, row, 1, unit_name(en->unit), NULL);
		xl_text(&sh, row, 2, form_status_word(en->state), state_format(x, en->state));
		for (int i = 0; i < f->nfields; i++) {
			const struct field *fd = &f->fields[i];
			struct ev v = report_entry_value(en, i);
			int nc = report_entry_conflicts(r, en, k, i);
			int col = c0 + i;

			switch (fd->type) {
			case FT_TEXT:
			case FT_DATE:
				/* Like the numbers: a value skipped or no longer accepted is not given. */
				xl_text(&sh, row, col, report_stored_value(en, i) == RS_USED ? en->values[i].text : NULL,
					nc ? x->ctext : NULL);
				break;
			case FT_CHOICE: {
				char label[256];

				field_format(fd, v, label, sizeof label);
				xl_text(&sh, row, col, v.kind == EV_NUM ? label : "", nc ? x->ctext : NULL);
				break;
			}
			case FT_YESNO:
				if (v.kind == EV_NUM) {
					lx->worksheet_write_number(sh.ws, (lxw_row_t)row, (lxw_col_t)col, v.num != 0 ? 1 : 0,
							       nc ? x->cyesno : x->yesno);
					widen(&sh, col, text_width(_("yes")));
				} else if (nc) {
					lx->worksheet_write_blank(sh.ws, (lxw_row_t)row, (lxw_col_t)col, x->ctext);
				}
				break;
			default:
				xl_num(x, &sh, row, col, v, value_decimals(fd, unit_agg(fd)), false, nc > 0);
				break;
			}
			if (nc) {
				sb_reset(&sb);
				if (en->values[i].conflict) {
					sb_add(&sb, _("In conflict between installations, not decided yet. Other value(s): "));
					alts_text(&sb, en, i);
				} else {
					sb_addf(&sb, _("Computed from %d value(s) in conflict."), nc);
				}
				xl_comment(&sh, row, col, sb_str(&sb));
			}
		}
	}

	/* The township: figure, coverage, target, met, and the period before. */
	{
		const char *labels[] = { _("Township"), _("Units covered"), _("Target"), _("Met"), r->prev.period,
					 _("Change") };
		int nrows = prev ? 6 : 4;

		for (int j = 0; j < nrows; j++)
			xl_text(&sh, row + j, 1, labels[j], j == 0 ? x->foot : NULL);
		sb_reset(&sb);
		sb_addf(&sb, _("%d of %d complete"), rf->ncomplete, rf->nentries);
		xl_text(&sh, row, 2, sb_str(&sb), x->foot);
		lx->worksheet_write_blank(sh.ws, (lxw_row_t)row, 0, x->foot);
		for (int i = 0; i < f->nfields; i++) {
			const struct field *fd = &f->fields[i];
			const struct report_figure *fg = &rf->figures[i];
			const struct report_figure *pf = prev ? &r->prev.forms[k].figures[i] : NULL;
			int col = c0 + i, dec = value_decimals(fd, fg->agg);
			bool share = fg->agg == RA_SHARE;

			if (fg->agg == RA_CHOICE) {
				sb_reset(&sb);
				for (int c = 0; c < fd->nchoices; c++)
					sb_addf(&sb, "%s%s: %d", c ? "; " : "",
						i18n_pick(fd->choices[c].label, fd->choices[c].label_en), fg->choices[c]);
				xl_text(&sh, row, col, sb_str(&sb), x->foot);
			} else if (fg->agg == RA_NONE) {
				lx->worksheet_write_blank(sh.ws, (lxw_row_t)row, (lxw_col_t)col, x->foot);
			} else {
				xl_num(x, &sh, row, col, fg->value, dec, share, fg->nconflicts > 0);
				if (fg->value.kind == EV_MISSING)
					lx->worksheet_write_blank(sh.ws, (lxw_row_t)row, (lxw_col_t)col, x->foot);
			}
			if (fg->nconflicts) {
				sb_reset(&sb);
				sb_addf(&sb, _("Includes %d value(s) in conflict; the current values are counted."),
					fg->nconflicts);
				xl_comment(&sh, row, col, sb_str(&sb));
			}
			sb_reset(&sb);
			sb_addf(&sb, "%d/%d", fg->n, fg->m);
			xl_text(&sh, row + 1, col, sb_str(&sb), NULL);
			if (fd->target.op != TG_NONE) {
				xl_text(&sh, row + 2, col, fd->target.text, NULL);
				xl_text(&sh, row + 3, col, met_label(fg->met), fg->met > 0 ? x->good : fg->met == 0 ? x->bad : NULL);
			}
			if (prev && fg->agg != RA_CHOICE && fg->agg != RA_NONE) {
				xl_num(x, &sh, row + 4, col, pf->value, dec, share, false);
				xl_num(x, &sh, row + 5, col, report_change(fg->value, pf->value), dec, false, false);
			}
		}
	}
	sb_free(&sb);
	xl_finish(&sh, c0 + f->nfields, 1, 2);
}

static void xl_units(struct xl *x, const struct report *r)
{
	const struct report_ranking *rk = &r->ranking;
	const struct report_form *rf;
	const struct field *fd;
	const struct report_figure *fg;
	const char *head[] = { _("Rank"), _("Unit code"), _("Unit"), _("Value"), _("Met"), _("State"), _("Target") };
	struct sheet sh;
	char tgt[96];
	int row = 2;

	if (rk->form < 0) {
		xl_add_sheet(x, &sh, _("By unit"), "units");
		return;
	}
	rf = &r->cur.forms[rk->form];
	fd = &rf->form->fields[rk->field];
	fg = &rf->figures[rk->field];
	xl_add_sheet(x, &sh, field_label(fd), fd->code);
	for (int c = 0; c < (int)ARRAY_LEN(head); c++)
		xl_head(x, &sh, c, head[c]);
	fmt_target(tgt, sizeof tgt, fd);
	xl_text(&sh, 1, 1, r->township ? r->township->code : "", x->foot);
	xl_text(&sh, 1, 2, _("Township"), x->foot);
	xl_num(x, &sh, 1, 3, fg->value, value_decimals(fd, fg->agg), fg->agg == RA_SHARE, fg->nconflicts > 0);
	xl_text(&sh, 1, 4, met_label(fg->met), fg->met > 0 ? x->good : fg->met == 0 ? x->bad : NULL);
	xl_text(&sh, 1, 6, tgt, NULL);
	for (int i = 0; i < rk->nrows; i++, row++) {
		const struct report_unit_value *uv = &rk->rows[i];

		if (uv->rank)
			xl_int(x, &sh, row, 0, uv->rank);
		xl_text(&sh, row, 1, uv->entry->unit->code, NULL);
		xl_text(&sh, row, 2, unit_name(uv->entry->unit), NULL);
		if (fd->type == FT_YESNO && uv->value.kind == EV_NUM) {
			/* Drawn on the target's scale: yes is 100%, no 0%. */
			lx->worksheet_write_number(sh.ws, (lxw_row_t)row, 3, uv->value.num, uv->nconflicts ? x->cshare : x->share);
			widen(&sh, 3, 6);
		} else {
			xl_num(x, &sh, row, 3, uv->value, value_decimals(fd, unit_agg(fd)), false, uv->nconflicts > 0);
		}
		xl_text(&sh, row, 4, met_label(uv->met), uv->met > 0 ? x->good : uv->met == 0 ? x->bad : NULL);
		xl_text(&sh, row, 5, form_status_word(uv->entry->state), NULL);
	}
	xl_finish(&sh, (int)ARRAY_LEN(head), 1, 3);
}

static void xl_targets(struct xl *x, const struct report *r)
{
	const char *head[] = { _("Form"), _("Field"), _("Indicator"), _("Target"), _("Unit code"), _("Unit"), _("Value"),
			       _("Met"), _("Values in conflict"), _("Previous value"), _("Change"), _("Reporting units"),
			       _("Units asked"), _("Source") };
	bool prev = show_prev(r);
	struct sheet sh;
	int row = 1;
	char tgt[96];

	xl_add_sheet(x, &sh, _("Targets"), "targets");
	for (int c = 0; c < (int)ARRAY_LEN(head); c++)
		xl_head(x, &sh, c, head[c]);
	for (int t = 0; t < r->ntargets; t++) {
		const struct report_target *tg = &r->targets[t];
		const struct report_form *rf = &r->cur.forms[tg->form];
		const struct field *fd = &rf->form->fields[tg->field];
		const struct report_figure *fg = &rf->figures[tg->field];
		const struct report_figure *pf = prev ? &r->prev.forms[tg->form].figures[tg->field] : NULL;
		int dec = value_decimals(fd, fg->agg);
		bool share = fg->agg == RA_SHARE || fd->type == FT_YESNO;

		fmt_target(tgt, sizeof tgt, fd);
		for (int u = -1; u < tg->nunits; u++, row++) {
			const struct report_unit_value *uv = u >= 0 ? &tg->units[u] : NULL;

			xl_text(&sh, row, 0, rf->form->id, NULL);
			xl_text(&sh, row, 1, fd->code, NULL);
			xl_text(&sh, row, 2, field_label(fd), NULL);
			xl_text(&sh, row, 3, tgt, NULL);
			if (!uv) {
				xl_text(&sh, row, 4, r->township ? r->township->code : "", x->foot);
				xl_text(&sh, row, 5, _("Township"), x->foot);
				xl_num(x, &sh, row, 6, fg->value, dec, share, fg->nconflicts > 0);
				xl_text(&sh, row, 7, met_label(fg->met), fg->met > 0 ? x->good : fg->met == 0 ? x->bad : NULL);
				xl_int(x, &sh, row, 8, fg->nconflicts);
				if (pf) {
					xl_num(x, &sh, row, 9, pf->value, dec, share, false);
					xl_num(x, &sh, row, 10, report_change(fg->value, pf->value), dec, false, false);
				}
				xl_int(x, &sh, row, 11, fg->n);
				xl_int(x, &sh, row, 12, fg->m);
			} else {
				int udec = fd->type == FT_YESNO ? 1 : value_decimals(fd, unit_agg(fd));

				xl_text(&sh, row, 4, uv->entry->unit->code, NULL);
				xl_text(&sh, row, 5, unit_name(uv->entry->unit), NULL);
				xl_num(x, &sh, row, 6, uv->value, udec, fd->type == FT_YESNO, uv->nconflicts > 0);
				xl_text(&sh, row, 7, met_label(uv->met), uv->met > 0 ? x->good : uv->met == 0 ? x->bad : NULL);
				xl_int(x, &sh, row, 8, uv->nconflicts);
				if (prev) {
					xl_num(x, &sh, row, 9, uv->prev, udec, fd->type == FT_YESNO, false);
					if (fd->type != FT_YESNO)
						xl_num(x, &sh, row, 10, report_change(uv->value, uv->prev), udec, false, false);
				}
			}
			xl_text(&sh, row, 13, i18n_pick(fd->target.source, fd->target.source_en), NULL);
		}
	}
	xl_finish(&sh, (int)ARRAY_LEN(head), 1, 3);
}

int report_write_xlsx(const struct report *r, const char *file, const char *shown, struct err *e)
{
	struct xl x;
	lxw_error rc;

	lx = xlsx_lib_load(e);
	if (!lx)
		return -1;
	memset(&x, 0, sizeof x);
	x.wb = lx->workbook_new(file);
	if (!x.wb) {
		err_set(e, _("cannot create the workbook %s"), shown);
		return -1;
	}
	xl_formats(&x);
	switch (r->kind) {
	case RK_COMPLETENESS:
		xl_completeness(&x, r);
		xl_completeness_details(&x, r);
		break;
	case RK_INDICATORS:
		xl_completeness(&x, r);
		for (int k = 0; k < r->cur.nforms; k++)
			xl_form(&x, r, k);
		break;
	case RK_UNITS:
		xl_units(&x, r);
		break;
	case RK_TARGETS:
		xl_targets(&x, r);
		break;
	}
	rc = lx->workbook_close(x.wb);
	for (int i = 0; i < x.nnames; i++)
		free(x.names[i]);
	free(x.names);
	if (rc != LXW_NO_ERROR) {
		err_set(e, _("cannot write the workbook %s: %s"), shown, lx->lxw_strerror(rc));
		return -1;
	}
	return 0;
}
