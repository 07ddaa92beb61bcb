/* Unit tests of forms.c and formeval.c on the shipped forms: loading without a problem,
 * computed values, skip logic, required fields, cross-field checks, soft ranges, targets,
 * typed-value checks (field_parse), periods, and a broken corpus file's line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/diag.h"
#include "forms/formeval.h"
#include "forms/forms.h"
#include "forms/load.h"
#include "forms/period.h"
#include "forms/units_write.h"
#include "lib/file.h"
#include "lib/err.h"
#include "lib/str.h"

static struct formset shipped;
static const struct form *village;

/* The values of one village form, by field code; NULL means not entered. */
static const char *raw[64];

static int field(const char *code)
{
	int i = form_field_index(village, code);

	if (i < 0)
		fail_msg("the village form has no field '%s'", code);
	return i;
}

static void set(const char *code, const char *value)
{
	raw[field(code)] = value;
}

static void clear_all(void)
{
	memset(raw, 0, sizeof raw);
}

/* A complete, plausible village return with no error and no warning. */
static void fill_good(void)
{
	clear_all();
	set("v_vc_total", "5");
	set("v_vc_female", "2");
	set("v_vc_chair_female", "0");
	set("v_pb_total", "5");
	set("v_pb_female", "1");
	set("v_pb_sec_female", "0");
	set("v_yijiantiao", "0");
	set("v_wf_chair_in_2c", "1");
	set("v_rep_total", "30");
	set("v_rep_female", "10");
	set("v_children_0_17", "100");
	set("v_left_behind", "20");
	set("v_child_director", "1");
	set("v_children_home", "1");
	set("v_filled_by", "王芳");
	set("v_filled_on", "2026-12-31");
}

static void evaluate(struct form_eval *ev)
{
	form_eval_init(ev, village);
	form_evaluate(ev, raw);
}

/* The problem of a kind on a field (for checks: of that check), or NULL. */
static const struct problem *find_problem(const struct form_eval *ev, enum problem_kind kind, const char *code,
					  const char *check)
{
	for (int i = 0; i < ev->nproblems; i++) {
		const struct problem *p = &ev->problems[i];

		if (p->kind != kind)
			continue;
		if (kind == PK_CHECK) {
			if (strcmp(village->checks[p->check].name, check) == 0)
				return p;
		} else if (p->field >= 0 && strcmp(village->fields[p->field].code, code) == 0) {
			return p;
		}
	}
	return NULL;
}

static void describe(const struct form_eval *ev, const struct problem *p, char *buf, size_t size)
{
	struct strbuf sb;

	sb_init(&sb);
	problem_describe(ev, p, &sb);
	snprintf(buf, size, "%s", sb_str(&sb));
	sb_free(&sb);
}

static int setup_group(void **state)
{
	const char *dir = getenv("TIANBAO_FORMS");
	struct diag_list diags;
	int rc;

	(void)state;
	if (!dir || !*dir) {
		fprintf(stderr, "TIANBAO_FORMS is not set: run through tests/run.sh\n");
		return -1;
	}
	diag_init(&diags);
	rc = formset_load_dir(dir, &shipped, &diags);
	for (int i = 0; i < diags.n; i++)
		fprintf(stderr, "%s:%d: %s\n", diags.v[i].file, diags.v[i].line, diags.v[i].msg);
	diag_free(&diags);
	village = formset_find_form(&shipped, "village");
	return rc == 0 && village ? 0 : -1;
}

static int teardown_group(void **state)
{
	(void)state;
	formset_free(&shipped);
	return 0;
}

/* ---- loading ------------------------------------------------------------------- */

static void test_shipped_forms_load_cleanly(void **state)
{
	const char *dir = getenv("TIANBAO_FORMS");
	struct formset fs;
	struct diag_list diags;

	(void)state;
	diag_init(&diags);
	assert_int_equal(formset_load_dir(dir, &fs, &diags), 0);
	assert_int_equal(diags.n, 0);
	assert_non_null(formset_find_form(&fs, "village"));
	assert_non_null(formset_township(&fs));
	assert_string_equal(formset_township(&fs)->code, "360730105000");
	assert_non_null(formset_find_unit(&fs, "360730105201"));
	assert_int_equal(formset_find_unit(&fs, "360730105201")->kind, UK_VILLAGE);
	formset_free(&fs);
	diag_free(&diags);

	assert_int_equal(village->period, PT_YEAR);
	assert_string_equal(village->reported_by, "village");
	assert_int_equal(strlen(village->hash), 64);
	assert_true(form_applies_to(village, formset_find_unit(&shipped, "360730105201")));
	assert_false(form_applies_to(village, formset_township(&shipped)));
	assert_false(form_applies_to(village, formset_find_unit(&shipped, "360730105-hc")));
	/* Computed fields come after the fields they are computed from. */
	assert_int_equal(village->ncompute, 3);
	for (int k = 0; k < village->ncompute; k++)
		assert_non_null(village->fields[village->compute_order[k]].compute);
	/* A rule's fields, in the order it names them. */
	for (int c = 0; c < village->nchecks; c++) {
		if (strcmp(village->checks[c].name, "vc_female_le_total") == 0) {
			assert_int_equal(village->checks[c].nfields, 2);
			assert_int_equal(village->checks[c].fields[0], field("v_vc_female"));
			assert_int_equal(village->checks[c].fields[1], field("v_vc_total"));
		}
	}
	assert_int_equal(village->fields[field("v_vc_female_pct")].decimals, 1); /* computed decimal default */
	assert_false(village->fields[field("v_vc_female_pct")].required);
	assert_false(village->fields[field("v_notes")].required);
	assert_true(village->fields[field("v_filled_by")].required);
}

/* ---- form_evaluate -------------------------------------------------------------- */

static void test_good_return_has_no_problem(void **state)
{
	struct form_eval ev;
	int inputs = 0;

	(void)state;
	fill_good();
	evaluate(&ev);
	for (int i = 0; i < ev.nproblems; i++) {
		char buf[512];

		describe(&ev, &ev.problems[i], buf, sizeof buf);
		print_error("unexpected problem: %s\n", buf);
	}
	assert_int_equal(ev.errors, 0);
	assert_int_equal(ev.warnings, 0);
	for (int i = 0; i < village->nfields; i++)
		if (!village->fields[i].compute)
			inputs++;
	assert_int_equal(ev.asked, inputs);
	assert_int_equal(ev.filled, inputs - 1); /* all but the notes */
	form_eval_free(&ev);
}

static void test_computed_share(void **state)
{
	struct form_eval ev;
	char buf[64];
	int pct = field("v_vc_female_pct");

	(void)state;
	fill_good();
	set("v_vc_female", "2");
	set("v_vc_total", "5");
	evaluate(&ev);
	assert_int_equal(ev.fields[pct].val.kind, EV_NUM);
	assert_true(fabs(ev.fields[pct].val.num - 40) < 1e-9);
	assert_false(ev.fields[pct].filled);      /* computed, not typed */
	field_format(&village->fields[pct], ev.fields[pct].val, buf, sizeof buf);
	assert_string_equal(buf, "40.0");
	/* 10 of 30 representatives: 33.33...%, which meets ">= 33.33". */
	pct = field("v_rep_female_pct");
	assert_true(fabs(ev.fields[pct].val.num - 100.0 / 3) < 1e-9);
	field_format(&village->fields[pct], ev.fields[pct].val, buf, sizeof buf);
	assert_string_equal(buf, "33.3");
	assert_int_equal(ev.fields[pct].target, 1);
	form_eval_free(&ev);
}

static void test_zero_denominator_is_not_applicable(void **state)
{
	struct form_eval ev;
	char buf[64];
	int pct = field("v_rep_female_pct");

	(void)state;
	fill_good();
	set("v_rep_total", "0");
	set("v_rep_female", "0");
	evaluate(&ev);
	assert_int_equal(ev.fields[pct].val.kind, EV_NA);
	assert_int_equal(ev.fields[pct].target, -1);     /* no verdict on n/a */
	field_format(&village->fields[pct], ev.fields[pct].val, buf, sizeof buf);
	assert_string_equal(buf, "n/a");
	assert_int_equal(ev.errors, 0);                 /* 0 <= 0 and 0*3 >= 0 hold */
	/* No representative at all is unusual (soft_range 10..150): the one warning. */
	assert_int_equal(ev.warnings, 1);
	assert_non_null(find_problem(&ev, PK_SOFT_RANGE, "v_rep_total", NULL));
	form_eval_free(&ev);
}

static void test_missing_input_makes_share_missing(void **state)
{
	struct form_eval ev;
	char buf[64];
	int pct = field("v_vc_female_pct");

	(void)state;
	fill_good();
	set("v_vc_total", NULL);
	evaluate(&ev);
	assert_int_equal(ev.fields[pct].val.kind, EV_MISSING);
	assert_int_equal(ev.fields[pct].target, -1);
	field_format(&village->fields[pct], ev.fields[pct].val, buf, sizeof buf);
	assert_string_equal(buf, "");
	/* The missing total is required; the rule naming it waits for it. */
	assert_non_null(find_problem(&ev, PK_REQUIRED, "v_vc_total", NULL));
	assert_null(find_problem(&ev, PK_CHECK, NULL, "vc_female_le_total"));
	assert_int_equal(ev.errors, 1);
	/* A stored value the form no longer accepts counts as missing too. */
	set("v_vc_total", "9");
	form_evaluate(&ev, raw);
	assert_non_null(find_problem(&ev, PK_INVALID, "v_vc_total", NULL));
	assert_int_equal(ev.fields[pct].val.kind, EV_MISSING);
	assert_int_equal(ev.errors, 1);
	form_eval_free(&ev);
}

static void test_skip_logic(void **state)
{
	struct form_eval ev;
	int lb = field("v_left_behind");
	int asked;

	(void)state;
	fill_good();
	set("v_left_behind", NULL);
	evaluate(&ev);
	/* Children present: the left-behind count is asked and required. */
	assert_false(ev.fields[lb].skipped);
	assert_non_null(find_problem(&ev, PK_REQUIRED, "v_left_behind", NULL));
	asked = ev.asked;

	set("v_children_0_17", "0");
	form_evaluate(&ev, raw);
	assert_true(ev.fields[lb].skipped);
	assert_null(find_problem(&ev, PK_REQUIRED, "v_left_behind", NULL));
	assert_int_equal(ev.asked, asked - 1);
	assert_int_equal(ev.errors, 0);

	/* A value kept from before is ignored while the field is skipped: no check on it. */
	set("v_left_behind", "20");
	form_evaluate(&ev, raw);
	assert_true(ev.fields[lb].skipped);
	assert_int_equal(ev.fields[lb].val.kind, EV_MISSING);
	assert_false(ev.fields[lb].filled);
	assert_int_equal(ev.errors, 0);

	/* Children unknown: the skip condition is unknown, so the field is asked. */
	set("v_children_0_17", NULL);
	form_evaluate(&ev, raw);
	assert_false(ev.fields[lb].skipped);
	form_eval_free(&ev);
}

static void test_required_fields(void **state)
{
	struct form_eval ev;
	int inputs = 0;
	char buf[512];
	const struct problem *p;

	(void)state;
	clear_all();
	evaluate(&ev);
	for (int i = 0; i < village->nfields; i++)
		if (!village->fields[i].compute)
			inputs++;
	/* Every input but the notes (required = no) is missing; no rule can be judged. */
	assert_int_equal(ev.errors, inputs - 1);
	assert_int_equal(ev.warnings, 0);
	assert_int_equal(ev.filled, 0);
	assert_null(find_problem(&ev, PK_REQUIRED, "v_notes", NULL));
	assert_null(find_problem(&ev, PK_REQUIRED, "v_vc_female_pct", NULL));
	p = find_problem(&ev, PK_REQUIRED, "v_vc_total", NULL);
	assert_non_null(p);
	assert_true(p->is_error);
	assert_int_equal(ev.fields[field("v_vc_total")].errors, 1);
	describe(&ev, p, buf, sizeof buf);
	assert_string_equal(buf, "Village committee members: not filled in yet");
	assert_non_null(find_problem(&ev, PK_REQUIRED, "v_filled_by", NULL)); /* text */
	assert_non_null(find_problem(&ev, PK_REQUIRED, "v_filled_on", NULL)); /* date */
	form_eval_free(&ev);
}

static void test_cross_field_error_and_warning(void **state)
{
	struct form_eval ev;
	const struct problem *p;
	char buf[512];

	(void)state;
	fill_good();
	set("v_vc_female", "6"); /* more women than members */
	evaluate(&ev);
	p = find_problem(&ev, PK_CHECK, NULL, "vc_female_le_total");
	assert_non_null(p);
	assert_true(p->is_error);
	assert_int_equal(p->field, field("v_vc_female")); /* the first field the rule names */
	assert_int_equal(ev.fields[field("v_vc_total")].errors, 1); /* and it shows on the other */
	describe(&ev, p, buf, sizeof buf);
	assert_string_equal(buf, "Women on the committee cannot outnumber its members.");
	assert_int_equal(ev.errors, 1);
	/* 120% is also outside the usual range of the share: a warning. */
	assert_non_null(find_problem(&ev, PK_SOFT_RANGE, "v_vc_female_pct", NULL));

	/* No woman on the committee: a warning, not an error. */
	set("v_vc_female", "0");
	form_evaluate(&ev, raw);
	p = find_problem(&ev, PK_CHECK, NULL, "vc_has_woman");
	assert_non_null(p);
	assert_false(p->is_error);
	assert_int_equal(p->field, field("v_vc_female"));
	assert_int_equal(ev.fields[field("v_vc_female")].warnings, 1);
	assert_int_equal(ev.errors, 0);
	assert_int_equal(ev.fields[field("v_vc_female_pct")].target, 0);

	/* A rule through if(): one person both secretary and chair, answers disagree. */
	fill_good();
	set("v_yijiantiao", "1");
	set("v_pb_sec_female", "1");
	set("v_vc_chair_female", "0");
	form_evaluate(&ev, raw);
	assert_non_null(find_problem(&ev, PK_CHECK, NULL, "yijiantiao_same_person"));
	set("v_vc_chair_female", "是");
	form_evaluate(&ev, raw);
	assert_null(find_problem(&ev, PK_CHECK, NULL, "yijiantiao_same_person"));
	assert_int_equal(ev.errors, 0);
	form_eval_free(&ev);
}

static void test_soft_range(void **state)
{
	struct form_eval ev;
	const struct problem *p;
	char buf[512];

	(void)state;
	fill_good();
	set("v_pb_total", "10"); /* allowed (1..15), unusual (3..7) */
	set("v_pb_female", "5");
	evaluate(&ev);
	p = find_problem(&ev, PK_SOFT_RANGE, "v_pb_total", NULL);
	assert_non_null(p);
	assert_false(p->is_error);
	describe(&ev, p, buf, sizeof buf);
	assert_string_equal(buf, "Village Party committee members: 10 is outside the usual range 3 to 7; check it");
	assert_int_equal(ev.errors, 0);
	assert_int_equal(ev.warnings, 1);

	set("v_pb_total", "5");
	set("v_children_0_17", "6000"); /* soft_range = ..5000 */
	form_evaluate(&ev, raw);
	p = find_problem(&ev, PK_SOFT_RANGE, "v_children_0_17", NULL);
	assert_non_null(p);
	describe(&ev, p, buf, sizeof buf);
	assert_string_equal(buf, "Children aged 0-17: 6000 is above the usual maximum 5000; check it");

	set("v_children_0_17", "5000"); /* the bound itself is usual */
	form_evaluate(&ev, raw);
	assert_null(find_problem(&ev, PK_SOFT_RANGE, "v_children_0_17", NULL));
	form_eval_free(&ev);
}

static void test_targets(void **state)
{
	struct form_eval ev;
	const struct field *director = &village->fields[field("v_child_director")];

	(void)state;
	fill_good();
	evaluate(&ev);
	assert_int_equal(ev.fields[field("v_vc_female_pct")].target, 1);     /* 40 >= 30 */
	assert_int_equal(ev.fields[field("v_child_director")].target, 1);   /* yes: 100% */
	assert_int_equal(ev.fields[field("v_vc_chair_female")].target, 0);  /* no: 0% < 10 */
	assert_int_equal(ev.fields[field("v_vc_total")].target, -1);        /* no target */
	assert_int_equal(ev.fields[field("v_notes")].target, -1);

	set("v_vc_female", "1");            /* 20% */
	set("v_child_director", "否");
	set("v_vc_chair_female", "1");
	set("v_rep_female", "9");           /* 30% < 33.33 */
	form_evaluate(&ev, raw);
	assert_int_equal(ev.fields[field("v_vc_female_pct")].target, 0);
	assert_int_equal(ev.fields[field("v_child_director")].target, 0);
	assert_int_equal(ev.fields[field("v_vc_chair_female")].target, 1);
	assert_int_equal(ev.fields[field("v_rep_female_pct")].target, 0);
	/* A missing value has no verdict. */
	set("v_child_director", NULL);
	form_evaluate(&ev, raw);
	assert_int_equal(ev.fields[field("v_child_director")].target, -1);
	form_eval_free(&ev);

	assert_int_equal(target_met(director, ev_num(1)), 1);
	assert_int_equal(target_met(director, ev_num(0)), 0);
	assert_int_equal(target_met(director, ev_missing()), -1);
	assert_int_equal(target_met(director, ev_na()), -1);
	assert_int_equal(target_met(&village->fields[field("v_vc_female_pct")], ev_num(30)), 1); /* >= is inclusive */
	assert_int_equal(target_met(&village->fields[field("v_vc_female_pct")], ev_num(3.0 / 10 * 100)), 1);
	assert_int_equal(target_met(&village->fields[field("v_vc_female_pct")], ev_num(29.99)), 0);
}

/* ---- field_parse ------------------------------------------------------------------ */

/* Parses input for the village field code: returns the canonical text ("" when the input
 * clears the value) or NULL with the message in e. */
static const char *parse(const char *code, const char *input, struct err *e)
{
	static char out[256];
	char *canon = NULL;
	struct ev num;

	strcpy(e->msg, "(no message)");
	if (field_parse(&village->fields[field(code)], input, &canon, &num, e) != 0) {
		assert_null(canon);
		assert_int_not_equal(num.kind, EV_NUM);
		return NULL;
	}
	snprintf(out, sizeof out, "%s", canon ? canon : "");
	if (canon && field_is_numeric(&village->fields[field(code)])) {
		assert_int_equal(num.kind, EV_NUM);
	}
	free(canon);
	return out;
}

#define ACCEPT(code, input, want) do { \
		struct err e_; \
		const char *got_ = parse(code, input, &e_); \
		if (!got_) \
			fail_msg("%s: '%s' was refused: %s", code, input, e_.msg); \
		assert_string_equal(got_, want); \
	} while (0)

#define REFUSE(code, input, want) do { \
		struct err e_; \
		const char *got_ = parse(code, input, &e_); \
		if (got_) \
			fail_msg("%s: '%s' was accepted as '%s'", code, input, got_); \
		assert_string_equal(e_.msg, want); \
	} while (0)

static void test_parse_integers(void **state)
{
	(void)state;
	ACCEPT("v_children_0_17", "12", "12");
	ACCEPT("v_children_0_17", "08", "8");           /* a leading zero typed is dropped */
	ACCEPT("v_children_0_17", "１２", "12");          /* full-width digits from an IME */
	ACCEPT("v_children_0_17", " 12 ", "12");
	ACCEPT("v_children_0_17", "\xe3\x80\x80" "12", "12"); /* an ideographic space */
	ACCEPT("v_children_0_17", "0", "0");
	ACCEPT("v_children_0_17", "", "");             /* empty: clear the value */
	ACCEPT("v_children_0_17", "   ", "");
	REFUSE("v_children_0_17", "12a", "'12a' is not a whole number");
	REFUSE("v_children_0_17", "abc", "'abc' is not a whole number");
	REFUSE("v_children_0_17", "12.5", "'12.5' is not a whole number");
	REFUSE("v_children_0_17", "1e3", "'1e3' is not a whole number");
	REFUSE("v_children_0_17", "十二", "'十二' is not a whole number");
	REFUSE("v_children_0_17", "-1", "-1 is out of range: it must be between 0 and 50000");
	REFUSE("v_children_0_17", "50001", "50001 is out of range: it must be between 0 and 50000");
	ACCEPT("v_children_0_17", "50000", "50000");
	REFUSE("v_vc_total", "8", "8 is out of range: it must be between 3 and 7");
	REFUSE("v_vc_total", "2", "2 is out of range: it must be between 3 and 7");
	ACCEPT("v_vc_total", "3", "3");
	ACCEPT("v_vc_total", "７", "7");
	/* A whole number with too many digits is not called "not a whole number". */
	REFUSE("v_children_0_17", "9999999999999", "'9999999999999' has too many digits: at most 12");
	REFUSE("v_children_0_17", "-99999999999999999999", "'-99999999999999999999' has too many digits: at most 12");
	REFUSE("v_children_0_17", "999999999999", "999999999999 is out of range: it must be between 0 and 50000");
	REFUSE("v_vc_female_pct", "40", "this value is computed from other fields and cannot be entered");
}

static void test_parse_yes_no(void **state)
{
	(void)state;
	ACCEPT("v_child_director", "是", "1");
	ACCEPT("v_child_director", "否", "0");
	ACCEPT("v_child_director", "有", "1");
	ACCEPT("v_child_director", "无", "0");
	ACCEPT("v_child_director", "1", "1");
	ACCEPT("v_child_director", "0", "0");
	ACCEPT("v_child_director", "１", "1");
	ACCEPT("v_child_director", "yes", "1");
	ACCEPT("v_child_director", "No", "0");
	ACCEPT("v_child_director", "Y", "1");
	ACCEPT("v_child_director", "", "");
	REFUSE("v_child_director", "2", "'2' is not yes or no: type 1 (是) or 0 (否)");
	REFUSE("v_child_director", "对", "'对' is not yes or no: type 1 (是) or 0 (否)");
}

static void test_parse_text(void **state)
{
	char buf[128];

	(void)state;
	ACCEPT("v_filled_by", "王芳", "王芳");
	/* 20 characters (60 bytes) are allowed, 21 are not: characters, not bytes. */
	buf[0] = '\0';
	for (int i = 0; i < 20; i++)
		strcat(buf, "王");
	ACCEPT("v_filled_by", buf, buf);
	strcat(buf, "芳");
	REFUSE("v_filled_by", buf, "the text is 21 characters long; at most 20 are allowed");
	REFUSE("v_filled_by", "王\t芳", "the text contains control characters (such as a line break or tab)");
	REFUSE("v_filled_by", "王\n芳", "the text contains control characters (such as a line break or tab)");
	REFUSE("v_filled_by", "王\x1b[2J", "the text contains control characters (such as a line break or tab)");
	REFUSE("v_filled_by", "\xff\xfe", "the text is not valid UTF-8");
	REFUSE("v_filled_by", "\xcd\xf5", "the text is not valid UTF-8"); /* 王 in GBK */
	ACCEPT("v_filled_by", "", "");
}

static void test_parse_dates(void **state)
{
	(void)state;
	ACCEPT("v_filled_on", "2026-03-08", "2026-03-08");
	ACCEPT("v_filled_on", "2024-02-29", "2024-02-29"); /* a leap year */
	ACCEPT("v_filled_on", "2000-02-29", "2000-02-29"); /* divisible by 400 */
	ACCEPT("v_filled_on", "2026/03/08", "2026-03-08");
	ACCEPT("v_filled_on", "2026.03.08", "2026-03-08");
	ACCEPT("v_filled_on", "２０２６－０３－０８", "2026-03-08");
	ACCEPT("v_filled_on", "2026-12-31", "2026-12-31");
	REFUSE("v_filled_on", "2026-02-30", "'2026-02-30' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "2025-02-29", "'2025-02-29' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "2100-02-29", "'2100-02-29' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "2026-04-31", "'2026-04-31' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "2026-13-01", "'2026-13-01' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "2026-00-10", "'2026-00-10' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "2026-03-00", "'2026-03-00' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	ACCEPT("v_filled_on", "2026-3-8", "2026-03-08");
	ACCEPT("v_filled_on", "2025年12月28日", "2025-12-28");
	ACCEPT("v_filled_on", "2025年1月5日", "2025-01-05");
	ACCEPT("v_filled_on", "2025年12月28", "2025-12-28");
	ACCEPT("v_filled_on", "２０２５年１２月２８日", "2025-12-28");
	ACCEPT("v_filled_on", "2025.12.28", "2025-12-28");
	ACCEPT("v_filled_on", "20251228", "2025-12-28");
	ACCEPT("v_filled_on", " 2025-12-28 ", "2025-12-28");
	REFUSE("v_filled_on", "2025年2月30日", "'2025年2月30日' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "2025年12月", "'2025年12月' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "2025年12月28日x", "'2025年12月28日x' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "28/12/2025", "'28/12/2025' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "2025-123-1", "'2025-123-1' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "20251328", "'20251328' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "202512280", "'202512280' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "2026-03/08", "'2026-03/08' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	REFUSE("v_filled_on", "1899-12-31", "'1899-12-31' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308");
	ACCEPT("v_filled_on", "20260308", "2026-03-08");
	ACCEPT("v_filled_on", "", "");
}

/* ---- periods ---------------------------------------------------------------------- */

static void test_periods(void **state)
{
	char prev[16];

	(void)state;
	assert_true(period_valid("2026", PT_YEAR));
	assert_true(period_valid("2026Q1", PT_QUARTER));
	assert_true(period_valid("2026Q4", PT_QUARTER));
	assert_true(period_valid("202601", PT_MONTH));
	assert_true(period_valid("202612", PT_MONTH));
	assert_false(period_valid("2026", PT_QUARTER));
	assert_false(period_valid("2026Q1", PT_YEAR));
	assert_false(period_valid("2026Q5", PT_QUARTER));
	assert_false(period_valid("2026Q0", PT_QUARTER));
	assert_false(period_valid("2026q1", PT_QUARTER));
	assert_false(period_valid("202613", PT_MONTH));
	assert_false(period_valid("202600", PT_MONTH));
	assert_false(period_valid("20261", PT_MONTH));
	assert_false(period_valid("1989", PT_YEAR));
	assert_false(period_valid("2101", PT_YEAR));
	assert_false(period_valid("", PT_YEAR));
	assert_false(period_valid("26", PT_YEAR));
	assert_false(period_valid("2026-01", PT_MONTH));
	assert_int_equal(period_type_of("2026Q2"), PT_QUARTER);
	assert_int_equal(period_type_of("abcd"), -1);

	assert_true(period_previous("2026", prev));
	assert_string_equal(prev, "2025");
	assert_true(period_previous("2026Q1", prev));
	assert_string_equal(prev, "2025Q4");
	assert_true(period_previous("2026Q3", prev));
	assert_string_equal(prev, "2026Q2");
	assert_true(period_previous("202601", prev));
	assert_string_equal(prev, "202512");
	assert_true(period_previous("202610", prev));
	assert_string_equal(prev, "202609");
	assert_false(period_previous("1990", prev));    /* none before the first year */
	assert_false(period_previous("1990Q1", prev));
	assert_false(period_previous("199001", prev));
	assert_true(period_previous("1990Q2", prev));
	assert_string_equal(prev, "1990Q1");
	assert_false(period_previous("2026Q9", prev));
}

/* ---- loading named files -------------------------------------------------------------- */

static char *corpus_path(const char *name)
{
	const char *root = getenv("TIANBAO_ROOT");

	if (!root || !*root)
		fail_msg("TIANBAO_ROOT is not set: run through tests/run.sh");
	return xasprintf("%s/tests/forms-bad/%s", root, name);
}

static bool has_diag(const struct diag_list *d, const char *file, int line, const char *text)
{
	for (int i = 0; i < d->n; i++)
		if (strcmp(d->v[i].file, file) == 0 && d->v[i].line == line && strstr(d->v[i].msg, text))
			return true;
	return false;
}

static void print_diags(const struct diag_list *d)
{
	for (int i = 0; i < d->n; i++)
		print_error("  %s:%d: %s\n", d->v[i].file, d->v[i].line, d->v[i].msg);
}

static void expect_corpus(const char *name, int line, const char *text)
{
	char *path = corpus_path(name);
	const char *paths[] = { path };
	struct formset fs;
	struct diag_list diags;
	bool found;

	diag_init(&diags);
	assert_int_equal(formset_load_files(paths, 1, &fs, &diags), -1);
	found = has_diag(&diags, path, line, text);
	if (!found) {
		print_error("%s: no problem on line %d saying: %s\n", name, line, text);
		print_diags(&diags);
	}
	formset_free(&fs);
	diag_free(&diags);
	free(path);
	assert_true(found);
}

static void test_load_corpus_files(void **state)
{
	(void)state;
	expect_corpus("unknown-key-lable.ini", 19, "unknown key 'lable' in [field.x_part] (did you mean 'label'?)");
	expect_corpus("duplicate-key.ini", 22, "duplicate key 'range' in [field.x_part]; the first one is on line 21");
	expect_corpus("expr-unknown-field.ini", 24, "rule of [check.part_le_total]: unknown field 'x_prat'");
	expect_corpus("compute-cycle-two.ini", 23, "computed fields form a cycle: x_a -> x_b -> x_a");
	expect_corpus("long-line.ini", 20, "the line is 1107 bytes long; the limit is 1022 bytes");
	expect_corpus("reported-by-unknown-role.ini", 6, "has role 'police'");
	expect_corpus("no-township.units.ini", 0, "the units file names no [township.CODE]");
}

static void test_units_file_found_beside_a_form(void **state)
{
	char *path = corpus_path("range-reversed.ini");
	const char *paths[] = { path };
	struct formset fs;
	struct diag_list diags;

	(void)state;
	diag_init(&diags);
	assert_int_equal(formset_load_files(paths, 1, &fs, &diags), -1);
	/* The form's one problem, and the units from units.ini beside it. */
	assert_int_equal(diags.n, 1);
	assert_non_null(fs.units_file);
	assert_non_null(strstr(fs.units_file, "tests/forms-bad/units.ini"));
	assert_int_equal(fs.nunits, 16);
	assert_int_equal(fs.nforms, 1);
	formset_free(&fs);
	diag_free(&diags);
	free(path);
}

/* A small form written here: decimals, choices, and answered() on text and date fields. */
static const char extra_form[] =
	"[form]\n"
	"id = extra\n"
	"title = 附加\n"
	"reported_by = village\n"
	"period = quarter\n"
	"version = 2\n"
	"\n"
	"[field.e_rate]\n"
	"label = 比率\n"
	"label_en = Rate\n"
	"type = decimal\n"
	"decimals = 1\n"
	"range = 0..100\n"
	"\n"
	"[field.e_kind]\n"
	"label = 类别\n"
	"type = choice\n"
	"choices = 1=小学|2=初中|9=其他\n"
	"choices_en = 1=primary|2=junior|9=other\n"
	"\n"
	"[field.e_other]\n"
	"label = 其他说明\n"
	"type = text\n"
	"required = no\n"
	"\n"
	"[field.e_on]\n"
	"label = 日期\n"
	"type = date\n"
	"required = no\n"
	"\n"
	"[check.other_explained]\n"
	"rule = e_kind != 9 or answered(e_other)\n"
	"message = 选“其他”时请说明。\n"
	"message_en = Say what \"other\" is.\n"
	"\n"
	"[check.date_given]\n"
	"rule = answered(e_on)\n"
	"severity = warning\n"
	"message = 请填日期。\n";

struct extra {
	char *dir;
	char *form_path, *units_path;
	struct formset fs;
	const struct form *f;
};

static void load_text(struct extra *x, const char *text, const char *id)
{
	const char *tmp = getenv("TMPDIR");
	const char *paths[2];
	struct diag_list diags;
	FILE *fp;

	x->dir = xasprintf("%s/tianbao-forms-test.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(x->dir));
	x->form_path = xasprintf("%s/%s.ini", x->dir, id);
	x->units_path = xasprintf("%s/units.ini", getenv("TIANBAO_FORMS"));
	fp = fopen(x->form_path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	paths[0] = x->form_path;
	paths[1] = x->units_path;
	diag_init(&diags);
	if (formset_load_files(paths, 2, &x->fs, &diags) != 0)
		print_diags(&diags);
	assert_int_equal(diags.n, 0);
	diag_free(&diags);
	x->f = formset_find_form(&x->fs, id);
	assert_non_null(x->f);
}

static void load_extra(struct extra *x)
{
	load_text(x, extra_form, "extra");
}

static void free_extra(struct extra *x)
{
	formset_free(&x->fs);
	unlink(x->form_path);
	rmdir(x->dir);
	free(x->dir);
	free(x->form_path);
	free(x->units_path);
}

static void test_decimals_and_choices(void **state)
{
	struct extra x;
	const struct field *rate, *kind;
	char *canon;
	struct ev num;
	struct err e;

	(void)state;
	load_extra(&x);
	assert_int_equal(x.f->period, PT_QUARTER);
	assert_int_equal(x.f->version, 2);
	rate = &x.f->fields[form_field_index(x.f, "e_rate")];
	kind = &x.f->fields[form_field_index(x.f, "e_kind")];
	assert_int_equal(field_parse(rate, "12.5", &canon, &num, &e), 0);
	assert_string_equal(canon, "12.5");
	assert_true(fabs(num.num - 12.5) < 1e-12);
	free(canon);
	assert_int_equal(field_parse(rate, "１２．５", &canon, &num, &e), 0);
	assert_string_equal(canon, "12.5");
	free(canon);
	assert_int_equal(field_parse(rate, "12.50", &canon, &num, &e), -1);
	assert_string_equal(e.msg, "at most 1 decimal place(s) are allowed");
	assert_int_equal(field_parse(rate, "100.1", &canon, &num, &e), -1);
	assert_string_equal(e.msg, "100.1 is out of range: it must be between 0 and 100");
	assert_int_equal(field_parse(rate, "12,5", &canon, &num, &e), -1);
	assert_string_equal(e.msg, "'12,5' is not a number (write it like 12 or 12.5)");
	assert_int_equal(field_parse(kind, "9", &canon, &num, &e), 0);
	assert_string_equal(canon, "9");
	free(canon);
	assert_int_equal(field_parse(kind, "０２", &canon, &num, &e), 0);
	assert_string_equal(canon, "2");
	free(canon);
	assert_int_equal(field_parse(kind, "3", &canon, &num, &e), -1);
	assert_string_equal(e.msg, "'3' is not one of the choices: 1=primary, 2=junior, 9=other");
	free_extra(&x);
}


static const char review_form[] =
	"[form]\n"
	"id = review\n"
	"title = 复查\n"
	"reported_by = village\n"
	"period = year\n"
	"version = 1\n"
	"\n"
	"[field.r_money]\n"
	"label = 金额\n"
	"type = decimal\n"
	"decimals = 2\n"
	"range = 0..1000000000\n"
	"\n"
	"[field.r_count]\n"
	"label = 人数\n"
	"type = integer\n"
	"range = 0..1000000000\n"
	"\n"
	"[field.r_a]\n"
	"label = 甲\n"
	"type = integer\n"
	"\n"
	"[field.r_b]\n"
	"label = 乙\n"
	"type = integer\n"
	"skip_if = r_a == 0\n"
	"\n"
	"[field.r_c]\n"
	"label = 丙\n"
	"type = integer\n"
	"\n"
	"[check.b_and_c]\n"
	"rule = r_b > 100 and r_c > 5\n"
	"message = 乙大于100且丙大于5。\n";

/* Found in review: decimals were stored through a double (12345678901.12 became
 * 12345678901.120001, then invalid), range edges of large numbers had a tolerance, and a
 * rule naming a skipped question could still fire through "and". */
static void test_review_decimals_ranges_skipped_rules(void **state)
{
	struct extra x;
	const struct field *money, *count;
	struct form_eval ev;
	const char *vals[8] = { 0 };
	char *canon;
	struct ev num;
	struct err e;

	(void)state;
	load_text(&x, review_form, "review");
	money = &x.f->fields[form_field_index(x.f, "r_money")];
	count = &x.f->fields[form_field_index(x.f, "r_count")];
	assert_int_equal(field_parse(money, "12345678.12", &canon, &num, &e), 0);
	assert_string_equal(canon, "12345678.12");
	free(canon);
	assert_int_equal(field_parse(money, "0012.10", &canon, &num, &e), 0);
	assert_string_equal(canon, "12.1");
	free(canon);
	assert_int_equal(field_parse(money, "-0.00", &canon, &num, &e), 0);  /* zero, whatever its sign */
	assert_string_equal(canon, "0");
	free(canon);
	assert_int_equal(field_parse(money, "-0.01", &canon, &num, &e), -1); /* below 0 */
	assert_int_equal(field_parse(money, ".5", &canon, &num, &e), 0);
	assert_string_equal(canon, "0.5");
	free(canon);
	assert_int_equal(field_parse(money, "12345678901234.56", &canon, &num, &e), -1);
	assert_string_equal(e.msg, "'12345678901234.56' has too many digits: at most 15");
	assert_int_equal(field_parse(money, "1234567890123.45", &canon, &num, &e), -1);
	assert_string_equal(e.msg, "1234567890123.45 is out of range: it must be between 0 and 1000000000");
	assert_int_equal(field_parse(money, "1000000000.01", &canon, &num, &e), -1);
	assert_string_equal(e.msg, "1000000000.01 is out of range: it must be between 0 and 1000000000");
	assert_int_equal(field_parse(count, "1000000001", &canon, &num, &e), -1);
	assert_string_equal(e.msg, "1000000001 is out of range: it must be between 0 and 1000000000");
	assert_int_equal(field_parse(count, "1000000000", &canon, &num, &e), 0);
	free(canon);

	/* r_b is skipped (r_a is 0): the rule naming it says nothing, although
	 * "missing and false" alone would be false. */
	vals[form_field_index(x.f, "r_a")] = "0";
	vals[form_field_index(x.f, "r_b")] = "500";
	vals[form_field_index(x.f, "r_c")] = "1";
	form_eval_init(&ev, x.f);
	form_evaluate(&ev, vals);
	assert_true(ev.fields[form_field_index(x.f, "r_b")].skipped);
	for (int i = 0; i < ev.nproblems; i++)
		assert_int_not_equal(ev.problems[i].kind, PK_CHECK);
	/* Asked again, the rule speaks. */
	vals[form_field_index(x.f, "r_a")] = "1";
	form_evaluate(&ev, vals);
	{
		int checks = 0;

		for (int i = 0; i < ev.nproblems; i++)
			checks += ev.problems[i].kind == PK_CHECK;
		assert_int_equal(checks, 1);
	}
	form_eval_free(&ev);
	free_extra(&x);
}

static void test_answered_text_and_date(void **state)
{
	struct extra x;
	struct form_eval ev;
	const char *vals[8] = { NULL };
	int kind, other, on;

	(void)state;
	load_extra(&x);
	kind = form_field_index(x.f, "e_kind");
	other = form_field_index(x.f, "e_other");
	on = form_field_index(x.f, "e_on");
	vals[form_field_index(x.f, "e_rate")] = "10";
	form_eval_init(&ev, x.f);

	/* "Other" without saying what: the rule does not hold; the date is missing. */
	vals[kind] = "9";
	form_evaluate(&ev, vals);
	assert_int_equal(ev.errors, 1);
	assert_int_equal(ev.warnings, 1);

	/* Said what, and dated: answered() sees a text and a date that are filled in. */
	vals[other] = "村办幼儿园";
	vals[on] = "2026-03-08";
	form_evaluate(&ev, vals);
	assert_true(ev.fields[other].filled);
	assert_true(ev.fields[on].filled);
	assert_int_not_equal(ev.fields[other].val.kind, EV_MISSING);
	assert_int_not_equal(ev.fields[on].val.kind, EV_MISSING);
	assert_int_equal(ev.errors, 0);
	assert_int_equal(ev.warnings, 0);

	/* Not "other": nothing to explain. */
	vals[kind] = "1";
	vals[other] = NULL;
	form_evaluate(&ev, vals);
	assert_int_equal(ev.errors, 0);
	form_eval_free(&ev);
	free_extra(&x);
}

/* A section skipped as a whole, and a target range. */
static const char section_form[] =
	"[form]\n"
	"id = sect\n"
	"title = 分节\n"
	"reported_by = village\n"
	"period = month\n"
	"version = 1\n"
	"\n"
	"[field.s_has]\n"
	"label = 有无\n"
	"type = yesno\n"
	"\n"
	"[section.detail]\n"
	"label = 详情\n"
	"skip_if = s_has == 0\n"
	"\n"
	"[field.s_n]\n"
	"label = 数\n"
	"type = integer\n"
	"range = 0..10\n"
	"target = 3..5\n"
	"target_source = 测试\n"
	"\n"
	"[field.s_m]\n"
	"label = 另一数\n"
	"type = integer\n"
	"\n"
	"[check.m_le_n]\n"
	"rule = s_m <= s_n\n"
	"message = 另一数不能大于数。\n";

static void test_section_skip_and_target_range(void **state)
{
	struct extra x;
	struct form_eval ev;
	const char *vals[4] = { NULL };
	int has, n, m;

	(void)state;
	load_text(&x, section_form, "sect");
	assert_int_equal(x.f->period, PT_MONTH);
	assert_int_equal(x.f->nsections, 2); /* the untitled one before [section.detail] */
	assert_non_null(x.f->sections[1].skip_if);
	has = form_field_index(x.f, "s_has");
	n = form_field_index(x.f, "s_n");
	m = form_field_index(x.f, "s_m");
	form_eval_init(&ev, x.f);

	vals[has] = "0";
	vals[m] = "9";   /* kept from before; ignored while skipped */
	form_evaluate(&ev, vals);
	assert_true(ev.fields[n].skipped);
	assert_true(ev.fields[m].skipped);
	assert_false(ev.fields[has].skipped);
	assert_int_equal(ev.asked, 1);
	assert_int_equal(ev.errors, 0);

	vals[has] = "1";
	vals[m] = NULL;
	form_evaluate(&ev, vals);
	assert_false(ev.fields[n].skipped);
	assert_int_equal(ev.asked, 3);
	assert_int_equal(ev.errors, 2);  /* both now required */

	vals[n] = "4";
	vals[m] = "9";
	form_evaluate(&ev, vals);
	assert_int_equal(ev.errors, 1);  /* 9 > 4 */
	assert_int_equal(ev.fields[n].target, 1);
	assert_int_equal(ev.fields[m].errors, 1);
	vals[n] = "3";
	form_evaluate(&ev, vals);
	assert_int_equal(ev.fields[n].target, 1); /* the range includes its ends */
	vals[n] = "6";
	form_evaluate(&ev, vals);
	assert_int_equal(ev.fields[n].target, 0);
	form_eval_free(&ev);
	free_extra(&x);
}

/* ---- the units file written back (forms/units_write.h) ---------------------------- */

/* The shipped units.ini, read and written back, is the same file byte for byte: its
 * header comment kept, the sections in its order, each key as written. */
static void test_units_written_back(void **state)
{
	struct err e;
	size_t len;
	char *text = read_file(shipped.units_file, 1 << 20, &len, &e);
	char *header, *out;

	(void)state;
	assert_non_null(text);
	header = units_ini_header(text);
	assert_true(str_starts(header, "; units.ini - the sample township"));
	assert_null(strchr(header, '['));
	out = units_ini_text(header, shipped.units, shipped.nunits);
	assert_string_equal(out, text);
	free(out);
	free(header);
	free(text);
	/* A byte-order mark and leading blank lines: the comment lines only, without the mark. */
	header = units_ini_header("\xEF\xBB\xBF; one\n\n; two\n\n[township.360730105000]\n; inside\n");
	assert_string_equal(header, "; one\n\n; two\n");
	free(header);
	header = units_ini_header("[township.360730105000]\nname = x\n");
	assert_string_equal(header, "");
	free(header);
}

/* A name with ';' is quoted, and read back whole; names are found by their exact text. */
static void test_units_quoted_and_found_by_name(void **state)
{
	struct unit u[2] = {
		{ .code = "360730105000", .name = "示范乡", .kind = UK_TOWNSHIP },
		{ .code = "360730105201", .name = "东风村;一组", .name_en = "A # B", .kind = UK_VILLAGE },
	};
	char path[] = "/tmp/tianbao-units-XXXXXX";
	int fd = mkstemp(path);
	char *text = units_ini_text("", u, 2);
	const char *paths[1] = { path };
	struct formset fs;
	struct diag_list diags;

	(void)state;
	assert_true(fd >= 0);
	assert_true(str_starts(text, "[township.360730105000]\n"));
	assert_non_null(strstr(text, "name = \"东风村;一组\"\n"));
	assert_int_equal(write_all(fd, text, strlen(text)), 0);
	close(fd);
	diag_init(&diags);
	assert_int_equal(formset_load_files(paths, 1, &fs, &diags), 0);
	assert_string_equal(formset_find_unit_by_name(&fs, "东风村;一组")->code, "360730105201");
	assert_string_equal(formset_find_unit(&fs, "360730105201")->name_en, "A # B");
	assert_null(formset_find_unit_by_name(&fs, "东风村"));
	assert_false(units_value_valid("坏\"名"));
	assert_false(units_value_valid(" 前有空格"));
	assert_false(units_value_valid(""));
	assert_true(units_value_valid("东风村"));
	formset_free(&fs);
	diag_free(&diags);
	unlink(path);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_forms_load_cleanly),
		cmocka_unit_test(test_review_decimals_ranges_skipped_rules),
		cmocka_unit_test(test_good_return_has_no_problem),
		cmocka_unit_test(test_computed_share),
		cmocka_unit_test(test_zero_denominator_is_not_applicable),
		cmocka_unit_test(test_missing_input_makes_share_missing),
		cmocka_unit_test(test_skip_logic),
		cmocka_unit_test(test_required_fields),
		cmocka_unit_test(test_cross_field_error_and_warning),
		cmocka_unit_test(test_soft_range),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_parse_integers),
		cmocka_unit_test(test_parse_yes_no),
		cmocka_unit_test(test_parse_text),
		cmocka_unit_test(test_parse_dates),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_load_corpus_files),
		cmocka_unit_test(test_units_file_found_beside_a_form),
		cmocka_unit_test(test_decimals_and_choices),
		cmocka_unit_test(test_answered_text_and_date),
		cmocka_unit_test(test_section_skip_and_target_range),
		cmocka_unit_test(test_units_written_back),
		cmocka_unit_test(test_units_quoted_and_found_by_name),
	};

	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
