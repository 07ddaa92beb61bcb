/* Unit tests of the report core: bars drawn in eighths, a ratio taken over the units that
 * can compute it, every layout within its width at many widths, CSV quoting of what
 * the units file cannot hold (a newline) or should not (a formula), and the CSV and the
 * workbook of a kind showing the same table. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/form_status.h"
#include "lib/i18n.h"
#include "report/report.h"
#include "report/table.h"
#include "forms/load.h"
#include "report/report_out.h"
#include "store/store.h"
#include "lib/text.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/number.h"
#include "store/values.h"

static char dir[256];
static struct formset fs;
static struct store *st;

#define V1 "360730105201"
#define V2 "360730105202"
#define V3 "360730105203"

static void put(const char *unit, const char *period, const char *field, const char *value)
{
	struct value_change ch = { field, "village", value, false, NULL, false };
	struct write_result res;
	struct err e;

	assert_int_equal(store_write_values(st, unit, period, &ch, 1, "测试员", "typed", NULL, NULL, &res, &e), 0);
}

static int setup(void **state)
{
	struct diag_list diags;
	const char *forms = getenv("TIANBAO_FORMS");
	char path[512];
	struct err e;

	(void)state;
	i18n_init("test_report", "zh");
	snprintf(dir, sizeof dir, "%s/tianbao-test-report.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	diag_init(&diags);
	assert_int_equal(formset_load_dir(forms ? forms : "forms", &fs, &diags), 0);
	diag_free(&diags);
	snprintf(path, sizeof path, "%s/t.db", dir);
	assert_int_equal(store_open(path, STORE_WRITE, &st, &e), 0);
	/* V1: 1 woman of 5. V2: 6 members, women not given yet. V3: 3 of 4, and 0 of 0
	 * representatives. */
	put(V1, "2026", "v_vc_total", "5");
	put(V1, "2026", "v_vc_female", "1");
	put(V2, "2026", "v_vc_total", "6");
	put(V3, "2026", "v_vc_total", "4");
	put(V3, "2026", "v_vc_female", "3");
	put(V3, "2026", "v_rep_total", "0");
	put(V3, "2026", "v_rep_female", "0");
	/* A stored value the form no longer accepts (the range is 3..7) counts as not given. */
	put("360730105204", "2026", "v_vc_total", "10");
	put(V1, "2026", "v_children_home", "1");
	put(V3, "2026", "v_children_home", "0");
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	store_close(st);
	formset_free(&fs);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void build(enum report_kind kind, const char *field, struct report *r)
{
	struct report_options o = { kind, "2026", field };
	struct err e;

	assert_int_equal(report_build(st, &fs, &o, r, &e), 0);
}

static void bar(double v, double scale, int cols, const double *marks, int nmarks, const char *want)
{
	struct strbuf sb;

	sb_init(&sb);
	report_bar(&sb, v, scale, cols, marks, nmarks);
	assert_string_equal(sb_str(&sb), want);
	assert_int_equal(text_width(sb_str(&sb)), cols);
	sb_free(&sb);
}

static void test_bars_in_eighths(void **state)
{
	double half = 50, thirty = 30;

	(void)state;
	bar(50, 100, 8, NULL, 0, "████    ");
	bar(30, 100, 10, NULL, 0, "███       ");       /* 24 eighths */
	bar(34, 100, 10, NULL, 0, "███▍      ");       /* 27.2 -> 27 eighths: 3 and 3/8 */
	bar(1, 100, 10, NULL, 0, "▏         ");        /* 0.8 -> 1: above zero never draws nothing */
	bar(0, 100, 4, NULL, 0, "    ");
	bar(150, 100, 3, NULL, 0, "███");              /* beyond the scale: full, not wider */
	bar(100, 100, 4, &half, 1, "██┃█");            /* the marker over the bar */
	bar(10, 100, 10, &thirty, 1, "█  ┃      ");     /* and beyond it */
	bar(7, 8, 1, NULL, 0, "▉");
}

static void test_ratio_over_units_that_can_compute_it(void **state)
{
	struct report r;
	const struct report_figure *fg;
	int form = -1, total, female, pct, rep_pct, home;

	(void)state;
	build(RK_INDICATORS, NULL, &r);
	for (int k = 0; k < r.cur.nforms; k++)
		if (strcmp(r.cur.forms[k].form->id, "village") == 0)
			form = k;
	assert_true(form >= 0);
	total = form_field_index(r.cur.forms[form].form, "v_vc_total");
	female = form_field_index(r.cur.forms[form].form, "v_vc_female");
	pct = form_field_index(r.cur.forms[form].form, "v_vc_female_pct");
	rep_pct = form_field_index(r.cur.forms[form].form, "v_rep_female_pct");
	home = form_field_index(r.cur.forms[form].form, "v_children_home");

	fg = report_figure_of(&r, form, total);
	assert_int_equal(fg->agg, RA_SUM);
	assert_true(fg->value.num == 15 && fg->n == 3 && fg->m == 8);
	fg = report_figure_of(&r, form, female);
	assert_true(fg->value.num == 4 && fg->n == 2);
	/* V2 has members but no count of women: it is left out of both sums of the share,
	 * 4 / (5 + 4) = 44.4%, not 4 / 15. */
	fg = report_figure_of(&r, form, pct);
	assert_int_equal(fg->agg, RA_COMPUTED);
	assert_int_equal(fg->n, 2);
	assert_true(fg->value.kind == EV_NUM && fg->value.num > 44.44 && fg->value.num < 44.45);
	assert_int_equal(fg->met, 1);
	/* 0 of 0 representatives: not applicable, still one unit covered. */
	fg = report_figure_of(&r, form, rep_pct);
	assert_int_equal(fg->value.kind, EV_NA);
	assert_int_equal(fg->n, 1);
	assert_int_equal(fg->met, -1);
	/* Yes at one of two: 50%, against a target of 90% of the units. */
	fg = report_figure_of(&r, form, home);
	assert_int_equal(fg->agg, RA_SHARE);
	assert_true(fg->value.num == 50 && fg->yes == 1 && fg->n == 2);
	assert_int_equal(fg->met, 0);
	/* No 2025 data: a previous period exists but holds nothing. */
	assert_true(r.has_prev_period);
	assert_false(r.prev.has_data);
	report_free(&r);
}

static void test_ranking(void **state)
{
	struct report r;

	(void)state;
	/* Members: V2 6, V1 5, V3 4; the others have none (V4's 10 is not valid). */
	build(RK_UNITS, "v_vc_total", &r);
	assert_int_equal(r.ranking.nrows, 8);
	assert_string_equal(r.ranking.rows[0].entry->unit->code, V2);
	assert_int_equal(r.ranking.rows[0].rank, 1);
	assert_string_equal(r.ranking.rows[2].entry->unit->code, V3);
	assert_int_equal(r.ranking.rows[3].rank, 0);
	assert_true(r.ranking.scale == 6);
	report_free(&r);
	/* A share: V3 75% first, V1 20%; V2 cannot compute it; drawn against 100. */
	build(RK_UNITS, "v_vc_female_pct", &r);
	assert_string_equal(r.ranking.rows[0].entry->unit->code, V3);
	assert_int_equal(r.ranking.rows[0].met, 1);
	assert_string_equal(r.ranking.rows[1].entry->unit->code, V1);
	assert_int_equal(r.ranking.rows[1].met, 0);
	assert_int_equal(r.ranking.rows[2].value.kind, EV_MISSING);
	assert_true(r.ranking.scale == 100);
	report_free(&r);
}

static void test_every_layout_within_its_width(void **state)
{
	static const enum report_kind kinds[] = { RK_COMPLETENESS, RK_INDICATORS, RK_UNITS, RK_TARGETS };

	(void)state;
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		struct report r;

		build(kinds[k], kinds[k] == RK_UNITS ? "v_vc_female_pct" : NULL, &r);
		for (int width = 40; width <= 220; width += 7) {
			struct report_lines lines;
			int want = width < REPORT_MIN_WIDTH ? REPORT_MIN_WIDTH : width;

			report_render_lines(&r, width, &lines);
			assert_true(lines.n > 5);
			assert_int_equal(lines.v[0].kind, RL_TITLE);
			for (int i = 0; i < lines.n; i++) {
				if (text_width(lines.v[i].text) > want)
					fail_msg("kind %d width %d line %d is %d wide: %s", (int)kinds[k], width, i,
						 text_width(lines.v[i].text), lines.v[i].text);
			}
			report_lines_free(&lines);
		}
		report_free(&r);
	}
}

static void test_csv_quotes_what_units_files_cannot_hold(void **state)
{
	struct report r;
	struct strbuf sb;
	struct unit *u1 = NULL, *u2 = NULL, *u3 = NULL;
	char *n1, *n2, *n3;

	(void)state;
	for (int i = 0; i < fs.nunits; i++) {
		if (strcmp(fs.units[i].code, V1) == 0)
			u1 = &fs.units[i];
		if (strcmp(fs.units[i].code, V2) == 0)
			u2 = &fs.units[i];
		if (strcmp(fs.units[i].code, V3) == 0)
			u3 = &fs.units[i];
	}
	assert_non_null(u1);
	n1 = u1->name;
	n2 = u2->name;
	n3 = u3->name;
	u1->name = "第一行\n第二行";
	u2->name = "\t制表";
	u3->name = "+86 138";
	build(RK_COMPLETENESS, NULL, &r);
	sb_init(&sb);
	report_write_csv(&r, &sb);
	assert_non_null(strstr(sb_str(&sb), "," V1 ",\"第一行\n第二行\",village,"));
	assert_non_null(strstr(sb_str(&sb), "," V2 ",\"'\t制表\",village,"));
	assert_non_null(strstr(sb_str(&sb), "," V3 ",\"'+86 138\",village,"));
	/* The row itself still ends in CRLF. */
	assert_non_null(strstr(sb_str(&sb), ",填写中,测试员,"));
	sb_free(&sb);
	report_free(&r);
	u1->name = n1;
	u2->name = n2;
	u3->name = n3;
}

/* A computed value with 62 digits (a custom form can multiply): wider than any column,
 * wider than the room a line of 80 leaves beside the other columns. It is shown whole at
 * every width, and no line is wider than asked: the labels and words give up the room. */
static void test_numbers_whole_at_every_width(void **state)
{
	static const char form[] =
		"[form]\nid = huge\ntitle = 巨数\nreported_by = village\nperiod = year\nversion = 1\n"
		"[section.main]\nlabel = 数\n"
		"[field.h_base]\nlabel = 底数\ntype = integer\nrange = 0..\n"
		"[field.h_pow]\nlabel = 六次方\ntype = decimal\ncompute = h_base * h_base * h_base * h_base * h_base * h_base\n"
		"target = >= 1\ntarget_source = 测试\n";
	static const enum report_kind kinds[] = { RK_INDICATORS, RK_UNITS, RK_TARGETS };
	char hdir[300], path[400], cmd[900], unit_v[400], town_v[400];
	struct formset hfs;
	struct diag_list diags;
	struct store *hst;
	struct err e;
	FILE *f;

	(void)state;
	snprintf(hdir, sizeof hdir, "%s/huge", dir);
	assert_int_equal(mkdir(hdir, 0700), 0);
	snprintf(cmd, sizeof cmd, "cp '%s/units.ini' '%s/'", getenv("TIANBAO_FORMS") ? getenv("TIANBAO_FORMS") : "forms",
		 hdir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/huge.ini", hdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(form, f);
	fclose(f);
	diag_init(&diags);
	assert_int_equal(formset_load_dir(hdir, &hfs, &diags), 0);
	diag_free(&diags);
	snprintf(path, sizeof path, "%s/huge.db", hdir);
	assert_int_equal(store_open(path, STORE_WRITE, &hst, &e), 0);
	{
		struct value_change ch = { "h_base", "huge", "10000000000", false, NULL, false };
		struct write_result res;

		assert_int_equal(store_write_values(hst, V1, "2026", &ch, 1, "测试员", "typed", NULL, NULL, &res, &e), 0);
		assert_int_equal(store_write_values(hst, V2, "2026", &ch, 1, "测试员", "typed", NULL, NULL, &res, &e), 0);
	}
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		struct report_options o = { kinds[k], "2026", kinds[k] == RK_UNITS ? "h_pow" : NULL };
		struct report r;
		struct ev uv = ev_missing();

		assert_int_equal(report_build(hst, &hfs, &o, &r, &e), 0);
		/* A unit's about 1e60, the township's (2e10)^6 = 6.4e61, with one decimal. */
		for (int ei = 0; ei < r.cur.forms[0].nentries && uv.kind != EV_NUM; ei++)
			uv = report_entry_value(&r.cur.forms[0].entries[ei], 1);
		assert_int_equal(uv.kind, EV_NUM);
		format_decimal(unit_v, sizeof unit_v, uv.num, 1);
		format_decimal(town_v, sizeof town_v, report_figure_of(&r, 0, 1)->value.num, 1);
		assert_int_equal(strlen(unit_v), 63);
		assert_int_equal(strlen(town_v), 64);
		for (int width = 80; width <= 220; width += 7) {
			struct report_lines lines;
			bool unit_whole = false, township_whole = false;

			report_render_lines(&r, width, &lines);
			for (int i = 0; i < lines.n; i++) {
				const char *t = lines.v[i].text;

				if (text_width(t) > width)
					fail_msg("kind %d width %d line %d is %d wide: %s", (int)kinds[k], width, i,
						 text_width(t), t);
				unit_whole = unit_whole || strstr(t, unit_v);
				township_whole = township_whole || strstr(t, town_v);
				if (strstr(t, "0…") || strstr(t, "0 …"))
					fail_msg("kind %d width %d: a number cut: %s", (int)kinds[k], width, t);
			}
			if (!township_whole || (kinds[k] != RK_INDICATORS && !unit_whole))
				fail_msg("kind %d width %d: the number is not whole", (int)kinds[k], width);
			report_lines_free(&lines);
		}
		report_free(&r);
	}
	store_close(hst);
	formset_free(&hfs);
}

/* ---- the CSV and the workbook carry the same table ------------------------------------------ */

/* A table as a writer was handed it: for a sheet, the columns of its sheet view (map[j]
 * is the table's column), each cell as the CSV writes it. */
struct rec_table {
	char *sheet;
	int ncols, nrows;
	int *map;
	char **heads, **declared;   /* the sheet's header; the table's own sheet_head, or NULL */
	char **cells;               /* nrows * ncols */
	bool *repeated;
};

struct rec {
	bool as_sheet;              /* the sheet's columns, else all of them (as the CSV) */
	struct rec_table t[64];
	int n;
};

static void rec_begin(void *ctx, const struct table *t)
{
	struct rec *rc = ctx;
	struct rec_table *rt = &rc->t[rc->n++];

	assert_true(rc->n <= 64);
	memset(rt, 0, sizeof *rt);
	rt->sheet = xstrdup(t->sheet);
	rt->ncols = rc->as_sheet ? table_sheet_ncols(t) : t->ncols;
	rt->map = xcalloc((size_t)rt->ncols, sizeof *rt->map);
	rt->heads = xcalloc((size_t)rt->ncols, sizeof *rt->heads);
	rt->declared = xcalloc((size_t)rt->ncols, sizeof *rt->declared);
	for (int j = 0; j < rt->ncols; j++) {
		rt->map[j] = rc->as_sheet ? table_sheet_col(t, j) : j;
		rt->heads[j] = xstrdup(rc->as_sheet ? table_sheet_head(t, j) : t->cols[j].head);
		if (t->cols[rt->map[j]].sheet_head)
			rt->declared[j] = xstrdup(t->cols[rt->map[j]].sheet_head);
	}
}

static void rec_row(void *ctx, const struct table *t, const struct table_cell *cells)
{
	struct rec *rc = ctx;
	struct rec_table *rt = &rc->t[rc->n - 1];
	size_t at = (size_t)rt->nrows * (size_t)rt->ncols;

	(void)t;
	rt->nrows++;
	rt->cells = xreallocarray(rt->cells, (size_t)rt->nrows * (size_t)rt->ncols, sizeof *rt->cells);
	rt->repeated = xreallocarray(rt->repeated, (size_t)rt->nrows * (size_t)rt->ncols, sizeof *rt->repeated);
	for (int j = 0; j < rt->ncols; j++) {
		const struct table_cell *c = &cells[rt->map[j]];
		struct strbuf sb;
		struct csvw w = { &sb, true };

		sb_init(&sb);
		csvw_cell(&w, c);
		rt->repeated[at + (size_t)j] = rc->as_sheet && c->repeated;
		rt->cells[at + (size_t)j] = rt->repeated[at + (size_t)j] ? xstrdup("") : sb_take(&sb);
		sb_free(&sb);
	}
}

static void rec_free(struct rec *rc)
{
	for (int i = 0; i < rc->n; i++) {
		struct rec_table *rt = &rc->t[i];

		for (int j = 0; j < rt->ncols; j++) {
			free(rt->heads[j]);
			free(rt->declared[j]);
		}
		for (int k = 0; k < rt->nrows * rt->ncols; k++)
			free(rt->cells[k]);
		free(rt->sheet);
		free(rt->map);
		free(rt->heads);
		free(rt->declared);
		free(rt->cells);
		free(rt->repeated);
	}
	rc->n = 0;
}

/* The CSV as written, cut into its fields as they stand in the file (quotes and the
 * formula guard kept): what a sheet's cell, written the CSV's way, must equal. */
struct csv_rows {
	int n;
	int *nf;
	char ***f;
};

static void csv_split(const char *s, struct csv_rows *out)
{
	struct strbuf field;
	bool quoted = false;

	memset(out, 0, sizeof *out);
	sb_init(&field);
	if (strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	while (*s) {
		int r = out->n;

		out->n++;
		out->nf = xreallocarray(out->nf, (size_t)out->n, sizeof *out->nf);
		out->f = xreallocarray(out->f, (size_t)out->n, sizeof *out->f);
		out->nf[r] = 0;
		out->f[r] = NULL;
		for (;; s++) {
			bool end_row = !*s || (!quoted && s[0] == '\r' && s[1] == '\n');

			if (end_row || (!quoted && *s == ',')) {
				out->f[r] = xreallocarray(out->f[r], (size_t)out->nf[r] + 1, sizeof **out->f);
				out->f[r][out->nf[r]++] = xstrdup(sb_str(&field));
				sb_reset(&field);
				if (end_row) {
					s += *s ? 2 : 0;
					break;
				}
				continue;
			}
			if (*s == '"')
				quoted = !quoted;
			sb_addc(&field, *s);
		}
	}
	sb_free(&field);
}

static void csv_rows_free(struct csv_rows *c)
{
	for (int r = 0; r < c->n; r++) {
		for (int i = 0; i < c->nf[r]; i++)
			free(c->f[r][i]);
		free(c->f[r]);
	}
	free(c->f);
	free(c->nf);
}

/* Every column of the sheet is a column of the CSV, under the same header (or the one
 * the table declares for a sheet), and every cell holds what the CSV has in that column,
 * row for row: of all the CSV's rows, or of those whose column state_col is not
 * `complete` (Still missing). A cell the sheet leaves out as repeated is the CSV's row
 * above. */
static void same_table(const struct rec_table *sheet, const struct csv_rows *csv, int state_col)
{
	int row = 0;

	assert_true(csv->n >= 1);
	for (int j = 0; j < sheet->ncols; j++) {
		bool declared = sheet->declared[j] && strcmp(sheet->heads[j], sheet->declared[j]) == 0;
		const char *want;

		assert_true(sheet->map[j] < csv->nf[0]);
		want = csv->f[0][sheet->map[j]];
		if (strcmp(sheet->heads[j], want) != 0 && !declared)
			fail_msg("sheet %s column %d: header %s, the CSV's %s", sheet->sheet, j, sheet->heads[j], want);
	}
	for (int r = 1; r < csv->n; r++) {
		if (state_col >= 0 && strcmp(csv->f[r][state_col], form_status_word(FST_COMPLETE)) == 0)
			continue;
		assert_true(row < sheet->nrows);
		for (int j = 0; j < sheet->ncols; j++) {
			const char *got = sheet->cells[(size_t)row * (size_t)sheet->ncols + (size_t)j];
			const char *want;

			assert_true(sheet->map[j] < csv->nf[r]);
			want = csv->f[r][sheet->map[j]];
			if (sheet->repeated[(size_t)row * (size_t)sheet->ncols + (size_t)j]) {
				assert_true(r > 1);
				assert_string_equal(want, csv->f[r - 1][sheet->map[j]]);
				assert_string_equal(got, "");
			} else if (strcmp(got, want) != 0) {
				fail_msg("sheet %s row %d column %s: %s, the CSV's %s", sheet->sheet, row + 1,
					 sheet->heads[j], got, want);
			}
		}
		row++;
	}
	assert_int_equal(row, sheet->nrows);
}

static const struct rec_table *sheet_named(const struct rec *wb, const char *name)
{
	for (int i = 0; i < wb->n; i++)
		if (strcmp(wb->t[i].sheet, name) == 0)
			return &wb->t[i];
	fail_msg("no sheet %s", name);
	return NULL;
}

static void test_csv_and_workbook_show_the_same_table(void **state)
{
	static const struct { enum report_kind kind; const char *field; int nsheets; } kinds[] = {
		{ RK_COMPLETENESS, NULL, 3 }, { RK_UNITS, "v_vc_female_pct", 1 }, { RK_UNITS, "v_children_home", 1 },
		{ RK_UNITS, "v_vc_total", 1 }, { RK_TARGETS, NULL, 1 },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		struct report r;
		struct rec csv = { false, { { 0 } }, 0 }, wb = { true, { { 0 } }, 0 };
		struct table_writer to_csv = { &csv, rec_begin, rec_row, NULL };
		struct table_writer to_wb = { &wb, rec_begin, rec_row, NULL };
		struct csv_rows rows;
		struct strbuf sb;

		build(kinds[k].kind, kinds[k].field, &r);
		sb_init(&sb);
		report_write_csv(&r, &sb);
		csv_split(sb_str(&sb), &rows);
		csv_tables(&r, &to_csv);
		xlsx_tables(&r, &to_wb);
		assert_int_equal(csv.n, 1);
		assert_int_equal(wb.n, kinds[k].nsheets);
		/* The CSV writes its table, every column and row of it. */
		assert_int_equal(rows.n, csv.t[0].nrows + 1);
		same_table(&csv.t[0], &rows, -1);
		if (kinds[k].kind == RK_COMPLETENESS) {
			int state_col = -1;

			for (int i = 0; i < rows.nf[0]; i++)
				if (strcmp(rows.f[0][i], _("State")) == 0)
					state_col = i;
			assert_true(state_col >= 0);
			same_table(sheet_named(&wb, _("Who and when")), &rows, -1);
			same_table(sheet_named(&wb, _("Still missing")), &rows, state_col);
		} else {
			same_table(&wb.t[0], &rows, -1);
		}
		rec_free(&csv);
		rec_free(&wb);
		csv_rows_free(&rows);
		sb_free(&sb);
		report_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bars_in_eighths),
		cmocka_unit_test(test_ratio_over_units_that_can_compute_it),
		cmocka_unit_test(test_ranking),
		cmocka_unit_test(test_every_layout_within_its_width),
		cmocka_unit_test(test_csv_quotes_what_units_files_cannot_hold),
		cmocka_unit_test(test_numbers_whole_at_every_width),
		cmocka_unit_test(test_csv_and_workbook_show_the_same_table),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
