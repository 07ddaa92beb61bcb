/* Unit tests of ui/keys.c: what each key code means, how bars and help texts name the
 * keys, and which actions a narrow bar keeps. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "lib/i18n.h"
#include "lib/str.h"
#include "ui/keys.h"

/* The list of forms' actions, as src/ui offers them. */
static const struct offer list_offers[] = {
	{ .action = ACT_ENTER, .label = N_("open") },
	{ .action = ACT_HELP },
	{ .action = ACT_EXPORT },
	{ .action = ACT_IMPORT },
	{ .action = ACT_REPORT },
	{ .action = ACT_CONFLICTS },
	{ .action = ACT_BACK },
	{ .action = ACT_REDRAW, .help_only = true },
	{ .action = ACT_NONE },
};

static void test_codes(void **state)
{
	static const struct { int code; enum key key; } map[] = {
		{ KEY_F(1), K_HELP }, { 7, K_HELP }, { KEY_F(2), K_REVIEW }, { 18, K_REVIEW },
		{ KEY_F(3), K_EXPORT }, { 5, K_EXPORT }, { KEY_F(4), K_IMPORT }, { 15, K_IMPORT },
		{ KEY_F(5), K_REPORT }, { 20, K_REPORT }, { KEY_F(6), K_CONFLICTS }, { 11, K_CONFLICTS },
		{ 27, K_BACK }, { KEY_F(10), K_BACK }, { 24, K_BACK }, { 12, K_REDRAW }, { 3, K_QUIT },
		{ '\t', K_TAB }, { KEY_BTAB, K_BTAB }, { '\r', K_ENTER }, { '\n', K_ENTER }, { KEY_ENTER, K_ENTER },
		{ KEY_UP, K_UP }, { 16, K_UP }, { KEY_DOWN, K_DOWN }, { 14, K_DOWN }, { KEY_HOME, K_HOME }, { 1, K_HOME },
		{ KEY_BACKSPACE, K_BACKSPACE }, { 127, K_BACKSPACE }, { 8, K_BACKSPACE }, { KEY_DC, K_DELETE },
		{ KEY_PPAGE, K_PGUP }, { KEY_NPAGE, K_PGDN }, { KEY_RESIZE, K_RESIZE },
		{ KEY_F(7), K_LANG }, { 23, K_LANG }, { KEY_F(8), K_THEME }, { 2, K_THEME }, { KEY_F(9), K_TOUR },
		{ 25, K_TOUR }, { 17, K_TOUR_END }, { KEY_F(12), K_SNAPSHOT }, { 19, K_SNAPSHOT },
		{ KEY_F(11), K_COMMENT }, { 4, K_COMMENT },
		/* Not keys of tianbao: nothing (Ctrl-Z, Ctrl-V, Ctrl-F). */
		{ 26, K_NONE }, { 22, K_NONE }, { 6, K_NONE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		assert_int_equal(keys_map(map[i].code), map[i].key);
}

static void expect_names(enum action a, const char *bar, const char *sentence)
{
	struct strbuf sb;

	sb_init(&sb);
	keys_bar_name(a, &sb);
	assert_string_equal(sb_str(&sb), bar);
	sb_reset(&sb);
	keys_names(a, &sb);
	assert_string_equal(sb_str(&sb), sentence);
	sb_free(&sb);
}

static void test_names(void **state)
{
	(void)state;
	i18n_init("test_keys", "en");
	expect_names(ACT_HELP, "F1/^G", "F1 or Ctrl-G");
	expect_names(ACT_BACK, "Esc/F10/^X", "Esc, F10 or Ctrl-X");
	expect_names(ACT_NEXT, "Tab/↓", "Tab, Enter or ↓");
	expect_names(ACT_PREV, "↑", "Shift-Tab or ↑");
	expect_names(ACT_LINE, "↑↓", "↑ or ↓");
	expect_names(ACT_PAGE, "PgUp/PgDn", "PgDn / PgUp");
	expect_names(ACT_EDIT, "", "← → Home End Backspace Delete");
	expect_names(ACT_REDRAW, "^L", "Ctrl-L");
	expect_names(ACT_DIGIT, "1-9", "1-9");
	i18n_init("test_keys", "zh");
	expect_names(ACT_BACK, "Esc/F10/^X", "Esc、F10 或 Ctrl-X");
	expect_names(ACT_NEXT, "Tab/↓", "Tab、Enter 或 ↓");
}

static bool shows(const struct bar_layout *b, const char *name)
{
	for (int i = 0; i < b->n; i++)
		if (strcmp(b->name[i], name) == 0)
			return true;
	return false;
}

/* The English list of forms is 93 columns wide: at 80 it lost its last key, back. */
static void test_narrow_bar_keeps_back(void **state)
{
	struct bar_layout b;

	(void)state;
	i18n_init("test_keys", "en");
	keys_bar_layout(list_offers, 80, &b);
	assert_true(b.width <= 80);
	assert_true(shows(&b, "Esc/F10/^X"));
	assert_true(shows(&b, "Enter"));
	assert_true(shows(&b, "F1/^G"));
	assert_true(shows(&b, "F6/^K"));
	assert_false(shows(&b, "F5/^T"));      /* the least important goes first */
	assert_false(shows(&b, "^L"));         /* help only */
	assert_int_equal(b.gap, 1);
	/* Wide enough: all of them, two spaces apart. */
	keys_bar_layout(list_offers, 120, &b);
	assert_int_equal(b.n, 7);
	assert_int_equal(b.gap, 2);
	/* So narrow that only back is left: back still. */
	keys_bar_layout(list_offers, 20, &b);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.name[0], "Esc/F10/^X");

	i18n_init("test_keys", "zh");
	keys_bar_layout(list_offers, 80, &b);
	assert_true(b.width <= 80);
	assert_true(shows(&b, "Esc/F10/^X"));
	assert_string_equal(b.label[b.n - 1], "返回");
	assert_int_equal(b.n, 6);
}

static void test_help_lines(void **state)
{
	static const struct offer form[] = {
		{ .action = ACT_NEXT }, { .action = ACT_PAGE, .help_only = true }, { .action = ACT_HELP },
		{ .action = ACT_BACK, .help = N_("back to the list of forms") }, { .action = ACT_NONE },
	};
	struct strbuf sb;

	(void)state;
	sb_init(&sb);
	i18n_init("test_keys", "en");
	keys_help(form, &sb);
	assert_string_equal(sb_str(&sb), "  Tab, Enter or ↓: next field (the value is saved)\n"
					 "  PgDn / PgUp: next / previous page\n"
					 "  F1 or Ctrl-G: this help\n"
					 "  Esc, F10 or Ctrl-X: back to the list of forms\n"
					 "\nOn every screen\n"
					 "  F9 or Ctrl-Y: the guided tour, step by step\n"
					 "  Ctrl-Q: leave the guided tour\n"
					 "  F7 or Ctrl-W: Chinese / English (what is being typed stays)\n"
					 "  F8 or Ctrl-B: high contrast on and off, for projectors\n"
					 "  F12 or Ctrl-S: this screen as text into a file, for handouts\n");
	sb_reset(&sb);
	i18n_init("test_keys", "zh");
	keys_help(form, &sb);
	assert_string_equal(sb_str(&sb), "  Tab、Enter 或 ↓：下一项（本项的值随即保存）\n"
					 "  PgDn / PgUp：下一页 / 上一页\n"
					 "  F1 或 Ctrl-G：显示本帮助\n"
					 "  Esc、F10 或 Ctrl-X：返回表格列表\n"
					 "\n每个页面都可以用\n"
					 "  F9 或 Ctrl-Y：一步一步的使用导览\n"
					 "  Ctrl-Q：结束导览\n"
					 "  F7 或 Ctrl-W：中文 / English 切换（正在输入的内容不丢）\n"
					 "  F8 或 Ctrl-B：高对比度开/关（投影、白底屏幕更清楚）\n"
					 "  F12 或 Ctrl-S：把本屏存为文本文件（做培训材料、报告问题时用）\n");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_narrow_bar_keeps_back),
		cmocka_unit_test(test_help_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
