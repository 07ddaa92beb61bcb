/* Unit tests of text.c: UTF-8 checks, display widths and cropping by columns. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text.h"
#include "lib/str.h"

static void test_utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid("abc", 3));
	assert_true(utf8_valid("村委会", strlen("村委会")));
	assert_false(utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
	assert_false(utf8_valid("\xED\xA0\x80", 3));     /* a surrogate */
	assert_false(utf8_valid("\xE6\x9D", 2));         /* cut short */
	assert_false(utf8_valid("\xF5\x80\x80\x80", 4)); /* beyond U+10FFFF */
	assert_false(utf8_valid("a\0b", 3));              /* NUL inside */
}

static void test_widths(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("村委会"), 6);
	assert_int_equal(text_width("女性比例%"), 9);
	assert_int_equal(text_width("１２"), 4);          /* full-width digits */
	assert_int_equal(text_width("\xff"), 1);          /* invalid byte: one column */
}

static void test_crop_never_splits_a_character(void **state)
{
	struct strbuf sb;

	(void)state;
	sb_init(&sb);
	/* 6 columns of CJK into 5: two characters (4 columns) and the ellipsis. */
	assert_int_equal(text_crop(&sb, "村委会", 5), 5);
	assert_string_equal(sb_str(&sb), "村委…");
	sb_reset(&sb);
	/* Into 4: one character (2) and the ellipsis (1); the odd column stays empty. */
	assert_int_equal(text_crop(&sb, "村委会", 4), 3);
	assert_string_equal(sb_str(&sb), "村…");
	sb_reset(&sb);
	assert_int_equal(text_crop(&sb, "村委会", 6), 6);
	assert_string_equal(sb_str(&sb), "村委会");
	sb_reset(&sb);
	text_pad(&sb, "女性", 7);
	assert_string_equal(sb_str(&sb), "女性   ");
	assert_int_equal(text_width(sb_str(&sb)), 7);
	sb_reset(&sb);
	text_pad_left(&sb, "12", 5);
	assert_string_equal(sb_str(&sb), "   12");
	sb_free(&sb);
}

/* English is cut after a whole word when that keeps most of the room, else where it
 * must be; Chinese anywhere (it has no words to keep). */
static void test_crop_keeps_words(void **state)
{
	struct strbuf sb;

	(void)state;
	sb_init(&sb);
	assert_int_equal(text_crop(&sb, "One person is both Party secretary and chair", 34), 25);
	assert_string_equal(sb_str(&sb), "One person is both Party…");
	sb_reset(&sb);
	/* The last space is too far back: the word is cut. */
	assert_int_equal(text_crop(&sb, "Township Women's Federation", 26), 26);
	assert_string_equal(sb_str(&sb), "Township Women's Federati…");
	sb_reset(&sb);
	/* Cut at a space already: nothing to move. */
	assert_int_equal(text_crop(&sb, "Village committee members", 18), 18);
	assert_string_equal(sb_str(&sb), "Village committee…");
	sb_reset(&sb);
	/* No space before the ellipsis. */
	assert_int_equal(text_crop(&sb, "Village committee members", 10), 8);
	assert_string_equal(sb_str(&sb), "Village…");
	sb_reset(&sb);
	/* One long word: cut inside it. */
	assert_int_equal(text_crop(&sb, "Supercalifragilistic", 10), 10);
	assert_string_equal(sb_str(&sb), "Supercali…");
	sb_reset(&sb);
	assert_int_equal(text_crop(&sb, "村民委员会成员数", 9), 9);
	assert_string_equal(sb_str(&sb), "村民委员…");
	sb_free(&sb);
}

static void test_controls(void **state)
{
	(void)state;
	assert_false(text_has_control("东风村 第一组"));
	assert_true(text_has_control("a\tb"));
	assert_true(text_has_control("a\nb"));
	assert_true(text_has_control("a\x7f"));
	assert_true(text_has_control("\xC2\x85"));        /* C1 NEL */
	assert_true(text_has_control("a\xE2\x80\xA8" "b")); /* U+2028 line separator */
	assert_true(text_has_control("a\xE2\x80\xA9" "b")); /* U+2029 paragraph separator */
	assert_true(text_has_control("\xEF\xBF\xBE"));    /* U+FFFE */
	assert_true(text_has_control("\xF4\x8F\xBF\xBF")); /* U+10FFFF */
	assert_true(text_has_control("\xEF\xB7\x90"));    /* U+FDD0 */
	assert_false(text_has_control("\xEF\xBF\xBD"));   /* U+FFFD, a character */
	assert_false(text_has_control("\xE2\x80\xA7"));   /* U+2027, a character */
	assert_true(text_is_blank(""));
	assert_true(text_is_blank("  \xE3\x80\x80\xC2\xA0"));  /* space, U+3000, U+00A0 */
	assert_false(text_is_blank(" a "));
	assert_false(text_is_blank("\xE3\x80\x80村"));
	assert_int_equal(utf8_chars("村委会abc"), 6);
}

/* What a file name from a stick becomes before it is printed or stored. */
static void test_sanitize(void **state)
{
	char *s;

	(void)state;
	s = text_sanitize("x\033]0;PWNED\a\033[31mred.tbx");
	assert_string_equal(s, "x?]0;PWNED??[31mred.tbx");
	free(s);
	s = text_sanitize("东风村-2026.tbx");
	assert_string_equal(s, "东风村-2026.tbx");
	free(s);
	s = text_sanitize("a\x7f\xC2\x9b" "b\xff\xE4\xB8" "c\td");   /* DEL, C1 CSI, invalid bytes, a tab */
	assert_string_equal(s, "a??b???c?d");
	free(s);
	assert_null(text_sanitize(NULL));
}

/* A file name printed by check-forms: every control character visible, nothing lost. */
static void test_escape(void **state)
{
	char *s, name[32];
	wchar_t wc = 0;

	(void)state;
	s = text_visible("x\033[2Jy\nz.ini", false);
	assert_string_equal(s, "x\\x1B[2Jy\\nz.ini");
	free(s);
	s = text_visible("东风村\t\r.ini", false);
	assert_string_equal(s, "东风村\\t\\r.ini");
	free(s);
	s = text_visible("a\x7f\xC2\x9b" "b\xff\xE4\xB8" "c", false);   /* DEL, C1 CSI, invalid bytes */
	assert_string_equal(s, "a\\x7F\\u009Bb\\xFF\\xE4\\xB8c");
	free(s);
	s = text_visible("plain-10.ini", false);
	assert_string_equal(s, "plain-10.ini");
	free(s);
	assert_null(text_visible(NULL, false));

	assert_int_equal(text_find_control("总数", &wc), -1);
	assert_int_equal(text_find_control("总\033[2J", &wc), 3);
	assert_int_equal(wc, 0x1B);
	assert_string_equal(text_control_name(wc, name), "U+001B ESC");
	assert_int_equal(text_find_control("a\tb", &wc), 1);
	assert_string_equal(text_control_name(wc, name), "U+0009 TAB");
	assert_string_equal(text_control_name(0x01, name), "U+0001");
}

static void test_echo(void **state)
{
	char buf[TEXT_ECHO_SIZE], big[1000];
	char *s;

	(void)state;
	s = text_visible("a\033[2J\nb\x7f\xC2\x9b\xff\xE2\x80\xA8" "c", false);
	assert_string_equal(s, "a\\x1B[2J\\nb\\x7F\\u009B\\xFF\\u2028c");
	free(s);
	s = text_visible("one\ntwo", true);
	assert_string_equal(s, "one\ntwo");
	free(s);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	text_echo(big, buf, sizeof buf);
	assert_int_equal(text_width(buf), TEXT_ECHO_COLS);
	assert_true(strlen(buf) == TEXT_ECHO_COLS - 1 + 3 && strcmp(buf + TEXT_ECHO_COLS - 1, "\xE2\x80\xA6") == 0);
	big[0] = '\0';
	for (int i = 0; i < 30; i++)
		strcat(big, "示");
	text_echo(big, buf, sizeof buf);
	assert_int_equal(text_width(buf), TEXT_ECHO_COLS - 1);   /* 19 characters of two columns, then … */
	assert_true(utf8_valid(buf, strlen(buf)));
	assert_string_equal(text_echo("short", buf, sizeof buf), "short");
	assert_string_equal(text_echo(NULL, buf, sizeof buf), "");
	assert_string_equal(text_echo("\033", buf, 3), "\\x");   /* a small buffer: cut, still a string */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_crop_never_splits_a_character),
		cmocka_unit_test(test_crop_keeps_words),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_echo),
	};

	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
