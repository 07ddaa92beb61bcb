/* Unit tests of expr.c: the expression language of form rules - precedence, the
 * comparison tolerance, missing and not-applicable values, Kleene logic, the functions,
 * and every message the parser gives, with its column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms/expr.h"
#include "lib/err.h"
#include "lib/str.h"

/* ---- a tiny world of fields ------------------------------------------------------- */

enum { F_A, F_B, F_C, F_ZERO, F_MISS, F_NA, F_NAME, NFIELDS };

static const char *const field_names[NFIELDS] = { "a", "b", "c", "zero", "miss", "na", "name" };
static struct ev values[NFIELDS];

static void reset_values(void)
{
	values[F_A] = ev_num(3);
	values[F_B] = ev_num(4);
	values[F_C] = ev_num(10);
	values[F_ZERO] = ev_num(0);
	values[F_MISS] = ev_missing();
	values[F_NA] = ev_na();
	values[F_NAME] = ev_num(1); /* a text field that has an answer */
}

/* "name" is a text field: only answered() may name it. */
static int resolve(void *ctx, const char *name, bool in_answered, struct err *e)
{
	(void)ctx;
	for (int i = 0; i < NFIELDS; i++) {
		if (strcmp(field_names[i], name) == 0) {
			if (i == F_NAME && !in_answered) {
				err_set(e, "'%s' is a text field", name);
				return -1;
			}
			return i;
		}
	}
	err_set(e, "unknown field '%s'", name);
	return -1;
}

static struct ev lookup(void *ctx, int id)
{
	(void)ctx;
	assert_in_range(id, 0, NFIELDS - 1);
	return values[id];
}

static const char *kind_name(enum ev_kind k)
{
	return k == EV_NUM ? "a number" : k == EV_NA ? "NA" : "MISSING";
}

static struct ev eval_at(const char *src, const char *file, int line)
{
	struct err e;
	struct expr *x = expr_parse(src, resolve, NULL, &e);
	struct ev v;

	if (!x) {
		print_error("'%s' does not parse: %s\n", src, e.msg);
		_fail(file, line);
	}
	v = expr_eval(x, lookup, NULL);
	expr_free(x);
	return v;
}

static void check_num(const char *src, double want, const char *file, int line)
{
	struct ev v = eval_at(src, file, line);

	if (v.kind != EV_NUM || fabs(v.num - want) > 1e-12 * fmax(1.0, fabs(want))) {
		if (v.kind == EV_NUM)
			print_error("'%s' gave %.17g, expected %.17g\n", src, v.num, want);
		else
			print_error("'%s' gave %s, expected %.17g\n", src, kind_name(v.kind), want);
		_fail(file, line);
	}
}

static void check_kind(const char *src, enum ev_kind want, const char *file, int line)
{
	struct ev v = eval_at(src, file, line);

	if (v.kind != want) {
		if (v.kind == EV_NUM)
			print_error("'%s' gave %.17g, expected %s\n", src, v.num, kind_name(want));
		else
			print_error("'%s' gave %s, expected %s\n", src, kind_name(v.kind), kind_name(want));
		_fail(file, line);
	}
}

static void check_error(const char *src, const char *want, const char *file, int line)
{
	struct err e;
	struct expr *x;

	strcpy(e.msg, "(no message)");
	x = expr_parse(src, resolve, NULL, &e);
	if (x) {
		expr_free(x);
		print_error("'%s' parsed, expected the error: %s\n", src, want);
		_fail(file, line);
	}
	if (strcmp(e.msg, want) != 0) {
		print_error("'%s'\n  gave:     %s\n  expected: %s\n", src, e.msg, want);
		_fail(file, line);
	}
}

#define NUM(src, want) check_num(src, want, __FILE__, __LINE__)
#define MISSING(src) check_kind(src, EV_MISSING, __FILE__, __LINE__)
#define NA(src) check_kind(src, EV_NA, __FILE__, __LINE__)
#define ERROR(src, msg) check_error(src, msg, __FILE__, __LINE__)

static int setup(void **state)
{
	(void)state;
	reset_values();
	return 0;
}

/* ---- evaluation ------------------------------------------------------------------ */

static void test_numbers_and_fields(void **state)
{
	(void)state;
	NUM("0", 0);
	NUM("42", 42);
	NUM("3.25", 3.25);
	NUM("a", 3);
	NUM("  a  ", 3);
	NUM("\ta+b\t", 7);
	NUM("zero", 0);
	NUM("c", 10);
}

static void test_precedence_and_associativity(void **state)
{
	(void)state;
	NUM("1+2*3", 7);
	NUM("(1+2)*3", 9);
	NUM("1*2+3", 5);
	NUM("8/4/2", 1);          /* (8/4)/2, not 8/(4/2) = 4 */
	NUM("2-3-4", -5);         /* (2-3)-4, not 2-(3-4) = 3 */
	NUM("7-2+1", 6);
	NUM("2*3/4", 1.5);
	NUM("10/4", 2.5);
	NUM(".5 * 4", 2);            /* ".5" is 0.5, in expressions as in typed values */
	NUM("a*b-c", 2);
	NUM("a+b*c", 43);
	NUM("-2*3", -6);
	NUM("2*-3", -6);
	NUM("-(2+3)", -5);
	NUM("--2", 2);
	NUM("1 - -1", 2);
	NUM("-a + b", 1);
	NUM("-2 - -2", 0);
	NUM("((((a))))", 3);
	/* Arithmetic binds tighter than comparison, comparison than not, not than and,
	 * and than or. */
	NUM("2+3 > 4", 1);
	NUM("a*2 == 6", 1);
	NUM("not 1 == 2", 1);     /* not (1 == 2) */
	NUM("not a > 5", 1);      /* not (a > 5) */
	NUM("not 0 and 0", 0);    /* (not 0) and 0, not: not (0 and 0) = 1 */
	NUM("not 0 or 1", 1);
	NUM("1 or 0 and 0", 1);   /* 1 or (0 and 0), not: (1 or 0) and 0 = 0 */
	NUM("0 and 0 or 1", 1);   /* (0 and 0) or 1 */
	NUM("0 and 1 or 1 and 1", 1);
	NUM("not not 5", 1);
	NUM("not 5", 0);
	NUM("a > 2 and b > 3", 1);
	NUM("a > 2 and b > 5", 0);
	NUM("a > 5 or b > 3", 1);
	NUM("(1 or 0) and 0", 0);
}

static void test_comparisons(void **state)
{
	(void)state;
	NUM("1 < 2", 1);
	NUM("2 < 2", 0);
	NUM("2 <= 2", 1);
	NUM("3 > 2", 1);
	NUM("2 >= 3", 0);
	NUM("2 == 2", 1);
	NUM("2 != 2", 0);
	NUM("1 <> 2", 1);         /* '<>' is read as '!=' */
	NUM("1 <> 1", 0);
	NUM("-1 < 0", 1);
	/* The tolerance: what a person computes by hand holds. */
	NUM("3/10*100 >= 30", 1);
	NUM("3/10*100 == 30", 1);
	NUM("3/10*100 <= 30", 1);
	NUM("0.1 + 0.2 == 0.3", 1);
	NUM("0.1 + 0.2 > 0.3", 0);
	NUM("1/3*3 == 1", 1);
	NUM("2/3*100 >= 66.67", 0); /* the tolerance is tiny, not a rounding */
	NUM("1 == 1.000001", 0);
	NUM("100 < 100.001", 1);
	assert_int_equal(ev_compare(0.3, 0.1 + 0.2), 0);
	assert_int_equal(ev_compare(30, 3.0 / 10 * 100), 0);
	assert_int_equal(ev_compare(1, 2), -1);
	assert_int_equal(ev_compare(2, 1), 1);
	assert_int_equal(ev_compare(-5, -5), 0);
	assert_int_equal(ev_compare(1e-12, 0), 0); /* near zero the scale is 1 */
	assert_int_equal(ev_compare(1e-6, 0), 1);
}

static void test_missing_values(void **state)
{
	(void)state;
	/* A missing input makes arithmetic missing, never 0. */
	MISSING("miss");
	MISSING("miss + 1");
	MISSING("1 + miss");
	MISSING("miss * 0");
	MISSING("0 * miss");
	MISSING("miss - miss");
	MISSING("miss / a");
	MISSING("-miss");
	MISSING("miss > 0");
	MISSING("miss == miss");
	MISSING("not miss");
	MISSING("abs(miss)");
	MISSING("ceil(miss)");
	MISSING("floor(miss)");
	MISSING("round(miss)");
	MISSING("round(miss, 1)");
	MISSING("round(1.5, miss)");
	MISSING("a / miss * 100");
}

static void test_not_applicable(void **state)
{
	(void)state;
	/* A zero denominator gives NA (not applicable), not an error and not 0. */
	NA("1/0");
	NA("0/0");
	NA("a/zero");
	NA("a/zero*100");
	NA("a/(b-4)");
	NA("na");
	NA("na + 1");
	NA("-na");
	NA("not na");
	NA("1/0 > 5");
	NA("1/0 == 1/0");
	NA("abs(1/0)");
	NA("round(1/0, 1)");
	NA("max(1, 1/0)");
	NA("min(1/0, 2)");
	NUM("zero/a", 0);         /* a zero numerator is fine */
	/* Missing outranks NA when both meet. */
	MISSING("miss + 1/0");
	MISSING("1/0 + miss");
	MISSING("miss / 0");
	MISSING("na * miss");
	MISSING("1/0 > miss");
	MISSING("min(1/0, miss)");
	MISSING("max(miss, na)");
	MISSING("max(na, 1, miss)");
	MISSING("round(na, miss)");
	MISSING("round(miss, na)");
	NA("round(na, 1)");
	NA("round(1, na)");
}

static void test_kleene_logic(void **state)
{
	(void)state;
	NUM("0 and miss", 0);     /* false and missing = false */
	NUM("miss and 0", 0);
	NUM("1 or miss", 1);      /* true or missing = true */
	NUM("miss or 1", 1);
	MISSING("miss and 1");    /* missing and true = missing */
	MISSING("1 and miss");
	MISSING("0 or miss");
	MISSING("miss or 0");
	MISSING("miss and miss");
	MISSING("miss or miss");
	NUM("0 and na", 0);
	NUM("na and 0", 0);
	NUM("na or 1", 1);
	NUM("1 or na", 1);
	NA("na and 1");
	NA("0 or na");
	NA("na and na");
	MISSING("miss and na");
	MISSING("na or miss");
	NUM("a > 5 and miss > 0", 0);
	NUM("a > 2 or miss > 0", 1);
	MISSING("a > 2 and miss > 0");
	NUM("2 and 3", 1);        /* any non-zero number is true */
	NUM("0 or -1", 1);
}

static void test_if(void **state)
{
	(void)state;
	NUM("if(1, 5, 6)", 5);
	NUM("if(0, 5, 6)", 6);
	NUM("if(a > 2, b, c)", 4);
	NUM("if(a > 5, b, c)", 10);
	NUM("if(-1, 5, 6)", 5);
	MISSING("if(miss, 1, 2)");  /* an unknown condition: the result is unknown */
	MISSING("if(miss > 0, 1, 1)");
	NA("if(1/0, 1, 2)");
	NUM("if(1, 5, miss)", 5);   /* the branch not taken does not matter */
	NUM("if(0, miss, 6)", 6);
	NUM("if(1, 5, 1/0)", 5);
	MISSING("if(1, miss, 6)");
	NA("if(0, 5, 1/0)");
	NUM("if(a == 3, if(b == 4, 1, 2), 3)", 1);
	NUM("if(zero, 1, 2) + 1", 3);
}

static void test_answered(void **state)
{
	(void)state;
	NUM("answered(a)", 1);
	NUM("answered(zero)", 1);   /* 0 is an answer */
	NUM("answered(miss)", 0);
	NUM("answered(na)", 1);     /* not applicable is not missing */
	NUM("answered(name)", 1);   /* a text field may be named here */
	NUM("answered( name )", 1);
	NUM("not answered(miss)", 1);
	NUM("answered(name) or miss > 0", 1);
	NUM("answered(miss) and miss > 0", 0);
	values[F_NAME] = ev_missing();
	NUM("answered(name)", 0);
	reset_values();
}

static void test_min_max_abs(void **state)
{
	(void)state;
	NUM("min(3, 1, 2)", 1);
	NUM("max(3, 1, 2)", 3);
	NUM("min(a)", 3);
	NUM("max(a)", 3);
	NUM("min(-1, -5)", -5);
	NUM("max(-1, -5)", -1);
	NUM("min(a, b, c) + max(a, b, c)", 13);
	NUM("max(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16)", 16);
	/* One unknown argument makes the result unknown, wherever it stands. */
	MISSING("max(a, miss)");
	MISSING("min(miss, a)");
	MISSING("max(1, miss, 100)");
	MISSING("min(1, 2, miss)");
	NUM("abs(-2.5)", 2.5);
	NUM("abs(2.5)", 2.5);
	NUM("abs(a - c)", 7);
}

static void test_round_ceil_floor(void **state)
{
	(void)state;
	NUM("round(2.4)", 2);
	NUM("round(2.5)", 3);       /* 四舍五入: halves go away from zero */
	NUM("round(-2.5)", -3);
	NUM("round(-2.4)", -2);
	NUM("round(3.14159, 2)", 3.14);
	NUM("round(3.14159, 0)", 3);
	NUM("round(1.25, 1)", 1.3);
	NUM("round(2/3*100, 1)", 66.7);
	NUM("round(1/3*100, 2)", 33.33);
	NUM("round(2.5, 1.7)", 2.5); /* the places are a whole number: 1.7 counts as 1 */
	/* Halves that binary fractions store a hair below .5 still round up, as a
	 * person rounding the written number expects. */
	NUM("round(1.005, 2)", 1.01);
	NUM("round(2.675, 2)", 2.68);
	NUM("round(0.285, 2)", 0.29);
	NUM("round(-1.005, 2)", -1.01);
	NUM("round(1.0049, 2)", 1);
	NUM("round(2.4999999, 0)", 2);
	NA("round(1.5, 10)");       /* places from 0 to 9 only */
	NA("round(1.5, -1)");
	NUM("ceil(2.1)", 3);
	NUM("ceil(2)", 2);
	NUM("ceil(-2.5)", -2);
	NUM("floor(2.9)", 2);
	NUM("floor(-2.5)", -3);
	NUM("floor(2)", 2);
	/* Computation noise does not push a whole number to the next one. */
	NUM("ceil(10/3*3)", 10);
	NUM("ceil(10/3*3) == 10", 1);
	NUM("floor((0.7+0.1)*10)", 8);
	NUM("ceil(0.1*3*10)", 3);
	NUM("ceil(a/b*4)", 3);
}

static void count_ref(void *ctx, int id)
{
	int *seen = ctx;

	seen[id]++;
}

static void test_each_ref(void **state)
{
	struct err e;
	struct expr *x = expr_parse("a + b * a + answered(name) + if(zero, 1, min(c, 2))", resolve, NULL, &e);
	int seen[NFIELDS] = { 0 };

	(void)state;
	assert_non_null(x);
	expr_each_ref(x, count_ref, seen);
	assert_int_equal(seen[F_A], 2); /* a field named twice is seen twice */
	assert_int_equal(seen[F_B], 1);
	assert_int_equal(seen[F_C], 1);
	assert_int_equal(seen[F_ZERO], 1);
	assert_int_equal(seen[F_NAME], 1);
	assert_int_equal(seen[F_MISS], 0);
	expr_free(x);
}

static void test_long_flat_expressions(void **state)
{
	/* Long chains are not "nested": only parentheses, not and unary minus count. */
	struct strbuf sb;

	(void)state;
	sb_init(&sb);
	for (int i = 0; i < 500; i++)
		sb_add(&sb, i ? " + 1" : "1");
	NUM(sb_str(&sb), 500);
	sb_reset(&sb);
	for (int i = 0; i < 300; i++)
		sb_add(&sb, i ? " and 1" : "1");
	NUM(sb_str(&sb), 1);
	sb_reset(&sb);
	/* 20 levels of parentheses are fine. */
	for (int i = 0; i < 20; i++)
		sb_add(&sb, "(");
	sb_add(&sb, "a");
	for (int i = 0; i < 20; i++)
		sb_add(&sb, ")");
	NUM(sb_str(&sb), 3);
	sb_free(&sb);
}

/* ---- every message of the parser ---------------------------------------------------- */

static void test_error_characters(void **state)
{
	(void)state;
	ERROR("a & b", "unexpected character '&' (column 3)");
	ERROR("a % b", "unexpected character '%' (column 3)");
	ERROR("a ≤ b", "unexpected character '≤' (column 3)");
	ERROR("（a）", "unexpected character '（' (column 1)");
	ERROR("a \xff b", "invalid UTF-8 in expression (column 3)");
	ERROR("a = b", "use '==' to compare, not '=' (column 3)");
	ERROR("a => b", "use '==' to compare, not '=' (column 3)");
	ERROR("!a", "use 'not' or '!=', not '!' (column 1)");
	ERROR("a + !b", "use 'not' or '!=', not '!' (column 5)");
}

static void test_error_numbers_and_names(void **state)
{
	char src[200];

	(void)state;
	ERROR("1.2.3 + a", "malformed number '1.2.3' (column 1)");
	ERROR("a + 12abc", "malformed number '12abc' (column 5)");
	ERROR("5. + 1", "malformed number '5.' (column 1)");
	ERROR("a + 1..2", "malformed number '1..2' (column 5)");
	ERROR("a * 5.", "malformed number '5.' (column 5)");
	/* A number of 70 digits: too long to be one, shown cut at 40. */
	memset(src, '1', 70);
	src[70] = '\0';
	ERROR(src, "malformed number '1111111111111111111111111111111111111111' (column 1)");
	/* A number of 20 digits fits the lexer but not a double's precision. */
	ERROR("12345678901234567890", "malformed number '12345678901234567890' (column 1)");
	/* Names: 63 characters are read (and resolved), 64 are too long. */
	memset(src, 'x', 63);
	src[63] = '\0';
	{
		char want[256];

		snprintf(want, sizeof want, "unknown field '%s' (column 1)", src);
		ERROR(src, want);
	}
	strcpy(src, "a + ");
	memset(src + 4, 'x', 64);
	src[68] = '\0';
	ERROR(src, "name too long (column 5)");
	/* The resolver's own message, with the column of the name. */
	ERROR("a + zz", "unknown field 'zz' (column 5)");
	ERROR("a + name", "'name' is a text field (column 5)");
	ERROR("if", "unknown field 'if' (column 1)"); /* a function name without '(' */
}

static void test_error_structure(void **state)
{
	(void)state;
	ERROR("", "the expression is empty");
	ERROR("   ", "the expression is empty");
	ERROR("a + ", "expected a number, a field or '(' but found end of expression (column 5)");
	ERROR("a <=", "expected a number, a field or '(' but found end of expression (column 5)");
	ERROR("* 2", "expected a number, a field or '(' but found '*' (column 1)");
	ERROR("and a", "expected a number, a field or '(' but found 'and' (column 1)");
	ERROR("a and or b", "expected a number, a field or '(' but found 'or' (column 7)");
	ERROR("not", "expected a number, a field or '(' but found end of expression (column 4)");
	ERROR("()", "expected a number, a field or '(' but found ')' (column 2)");
	ERROR("(a + 1", "this '(' is never closed (column 1)");
	ERROR("a * (b", "this '(' is never closed (column 5)");
	ERROR("((a) + 1", "this '(' is never closed (column 1)");
	ERROR("a b", "unexpected 'b' after a complete expression (column 3)");
	ERROR("a)", "unexpected ')' after a complete expression (column 2)");
	ERROR("1 2", "unexpected '2' after a complete expression (column 3)");
	ERROR("a, b", "unexpected ',' after a complete expression (column 2)");
	ERROR("a == b not", "unexpected 'not' after a complete expression (column 8)");
	ERROR("1 < a < 5", "comparisons cannot be chained: write 'a <= b and b <= c' (column 7)");
	ERROR("0 <= a == 1", "comparisons cannot be chained: write 'a <= b and b <= c' (column 8)");
}

static void test_error_functions(void **state)
{
	char src[200];

	(void)state;
	ERROR("sum(a)", "unknown function 'sum' (known: if, answered, min, max, abs, round, ceil, floor) (column 1)");
	ERROR("a + Max(a)", "unknown function 'Max' (known: if, answered, min, max, abs, round, ceil, floor) (column 5)");
	ERROR("min()", "min() needs at least 1 argument(s) (column 1)");
	ERROR("a + if()", "if() needs at least 3 argument(s) (column 5)");
	ERROR("if(a, 1)", "if() takes 3 argument(s), not 2 (column 1)");
	ERROR("if(a, 1, 2, 3)", "if() takes 3 argument(s), not 4 (column 1)");
	ERROR("abs(a, b)", "abs() takes 1 argument(s), not 2 (column 1)");
	ERROR("ceil(1, 2)", "ceil() takes 1 argument(s), not 2 (column 1)");
	ERROR("round(a, 1, 2)", "round() takes 1 to 2 arguments, not 3 (column 1)");
	strcpy(src, "max(");
	for (int i = 0; i < 17; i++)
		strcat(src, i ? ", 1" : "1");
	strcat(src, ")");
	ERROR(src, "max() takes at most 16 arguments (column 53)");
	ERROR("min(a b)", "expected ',' or ')' but found 'b' (column 7)");
	ERROR("min(a, b", "expected ',' or ')' but found end of expression (column 9)");
	ERROR("max(a, )", "expected a number, a field or '(' but found ')' (column 8)");
	ERROR("max(, a)", "expected a number, a field or '(' but found ',' (column 5)");
	ERROR("answered(1)", "answered() takes one field name (column 10)");
	ERROR("answered()", "answered() takes one field name (column 10)");
	ERROR("answered(a + 1)", "expected ')' but found '+' (column 12)");
	ERROR("answered(a", "expected ')' but found end of expression (column 11)");
	ERROR("answered(a, b)", "expected ')' but found ',' (column 11)");
	ERROR("answered(zz)", "unknown field 'zz' (column 10)");
}

/* "PREFIX" n times, then "a", then "SUFFIX" n times (in a static buffer: nothing to
 * free when an assertion jumps out). */
static const char *nested(const char *prefix, int n, const char *suffix)
{
	static char buf[1024];

	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		strcat(buf, prefix);
	strcat(buf, "a");
	for (int i = 0; i < n; i++)
		strcat(buf, suffix);
	return buf;
}

static void test_error_nesting(void **state)
{
	(void)state;
	/* Each '(' costs three of the 64 levels (or, not, unary): 20 are fine, the 21st
	 * is too many, and the message points just inside it. */
	NUM(nested("(", 20, ")"), 3);
	ERROR(nested("(", 21, ")"), "expression is nested too deeply (column 22)");
	ERROR(nested("(", 30, ")"), "expression is nested too deeply (column 22)");
	/* Deep in function arguments, the same. */
	NUM(nested("abs(", 20, ")"), 3);
	ERROR(nested("abs(", 30, ")"), "expression is nested too deeply (column 85)");
	/* 'not' and unary minus cost one level each. */
	NUM(nested("not ", 61, ""), 0);
	ERROR(nested("not ", 100, ""), "expression is nested too deeply (column 253)");
	NUM(nested("-", 61, ""), -3);
	ERROR(nested("-", 100, ""), "expression is nested too deeply (column 63)");
}

static void test_first_error_wins(void **state)
{
	(void)state;
	/* Only the first problem is reported, even when more follow. */
	ERROR("a & b = c", "unexpected character '&' (column 3)");
	ERROR("zz + yy", "unknown field 'zz' (column 1)");
	ERROR("(1.2.3", "malformed number '1.2.3' (column 2)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_numbers_and_fields, setup),
		cmocka_unit_test_setup(test_precedence_and_associativity, setup),
		cmocka_unit_test_setup(test_comparisons, setup),
		cmocka_unit_test_setup(test_missing_values, setup),
		cmocka_unit_test_setup(test_not_applicable, setup),
		cmocka_unit_test_setup(test_kleene_logic, setup),
		cmocka_unit_test_setup(test_if, setup),
		cmocka_unit_test_setup(test_answered, setup),
		cmocka_unit_test_setup(test_min_max_abs, setup),
		cmocka_unit_test_setup(test_round_ceil_floor, setup),
		cmocka_unit_test_setup(test_each_ref, setup),
		cmocka_unit_test_setup(test_long_flat_expressions, setup),
		cmocka_unit_test_setup(test_error_characters, setup),
		cmocka_unit_test_setup(test_error_numbers_and_names, setup),
		cmocka_unit_test_setup(test_error_structure, setup),
		cmocka_unit_test_setup(test_error_functions, setup),
		cmocka_unit_test_setup(test_error_nesting, setup),
		cmocka_unit_test_setup(test_first_error_wins, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
