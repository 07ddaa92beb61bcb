/* Unit tests of the command table (cli/commands.c): every entry declares what the
 * dispatcher needs to run it the way cli/cli.h says, and the option accessors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

static int noptions(const struct cmd_entry *en)
{
	int n = 0;

	while (n < CMD_MAX_OPTIONS && en->options[n].name)
		n++;
	return n;
}

static bool live_store(enum cmd_store s)
{
	return s == CMD_STORE_READ_LIVE || s == CMD_STORE_WRITE;
}

static void test_entries_are_whole(void **state)
{
	int n = 0;

	(void)state;
	for (const struct cmd_entry *const *c = cli_commands; *c; c++, n++) {
		const struct cmd_entry *en = *c;

		assert_non_null(en->name);
		assert_non_null(en->summary);
		assert_non_null(en->help);
		assert_non_null(en->run);
		/* The usage starts with the command's name: it follows "Usage: tianbao ". */
		assert_int_equal(strncmp(en->usage, en->name, strlen(en->name)), 0);
		for (const struct cmd_entry *const *d = cli_commands; d < c; d++)
			assert_string_not_equal((*d)->name, en->name);
		assert_true(en->args.max == -1 || en->args.min <= en->args.max);
		if (en->args.min > 0)
			assert_non_null(en->args_missing);
	}
	assert_int_equal(n, 16);
}

static void test_options_are_whole(void **state)
{
	static const char *const reserved[] = { "db", "lang", "help", "" };

	(void)state;
	for (const struct cmd_entry *const *c = cli_commands; *c; c++) {
		const struct cmd_entry *en = *c;
		int n = noptions(en), periods = 0, units = 0;

		/* One entry left without a name ends the list. */
		assert_true(n < CMD_MAX_OPTIONS);
		for (int k = 0; k < n; k++) {
			const struct cmd_option *o = &en->options[k];

			/* An entry's options are read before the global ones: one named like them
			 * would hide them after the command. Only --forms may be (export's flag: the
			 * forms folder is given before the command), and only as a flag, so that
			 * "export --forms DIR" is refused for its extra argument, not misread. */
			for (size_t r = 0; r < sizeof reserved / sizeof *reserved; r++)
				assert_string_not_equal(o->name, reserved[r]);
			if (strcmp(o->name, "forms") == 0)
				assert_int_equal(o->kind, CV_FLAG);
			for (int j = 0; j < k; j++)
				assert_string_not_equal(en->options[j].name, o->name);
			if (o->valid || o->kind == CV_NUMBER)
				assert_non_null(o->refused);
			if (o->valid)
				assert_int_equal(o->kind, CV_TEXT);
			if (o->kind == CV_NUMBER)
				assert_true(o->min <= o->max);
			if (o->kind == CV_FLAG)
				assert_null(o->required);
			periods += o->kind == CV_PERIOD || o->kind == CV_PERIODS;
			units += o->kind == CV_UNIT;
		}
		assert_true(periods <= 1);
		assert_true(units <= 1);
	}
}

static void test_needs_hold_together(void **state)
{
	(void)state;
	for (const struct cmd_entry *const *c = cli_commands; *c; c++) {
		const struct cmd_entry *en = *c;
		bool forms = (en->flags & CMD_FORMS) || live_store(en->store);
		bool unit_option = false, form_option = false;

		for (int k = 0; k < noptions(en); k++) {
			unit_option |= en->options[k].kind == CV_UNIT;
			form_option |= en->options[k].kind == CV_FORM;
		}
		/* The access is read from the store, with the forms. */
		if (en->flags & CMD_ACCESS) {
			assert_int_not_equal(en->store, CMD_NO_STORE);
			assert_true(forms);
		}
		/* This installation's own unit comes from the access. */
		if (en->flags & CMD_UNIT_OWN) {
			assert_true(en->flags & CMD_ACCESS);
			assert_true(unit_option);
		}
		/* A unit is missing only where a default could have been found. */
		if (en->unit_missing)
			assert_true(en->flags & CMD_UNIT_OWN);
		/* A unit checked before the store needs the forms loaded before it. */
		if ((en->flags & CMD_UNIT_KNOWN) && !(en->flags & CMD_UNIT_OWN))
			assert_true(en->flags & CMD_FORMS);
		if (en->flags & CMD_UNIT_KNOWN) {
			assert_true(unit_option);
			assert_true(forms);
		}
		if (form_option)
			assert_true(forms);
	}
}

static const struct cmd_entry test_entry = {
	.name = "test",
	.options = {
		{ .name = "period", .kind = CV_PERIOD },
		{ .name = "dry-run", .kind = CV_FLAG },
		{ .name = "width", .kind = CV_NUMBER, .min = 1, .max = 9 },
	},
};

static void test_accessors(void **state)
{
	struct cmd_ctx ctx;

	(void)state;
	memset(&ctx, 0, sizeof ctx);
	ctx.entry = &test_entry;
	assert_null(cmd_opt(&ctx, "period"));
	assert_false(cmd_flag(&ctx, "dry-run"));
	assert_int_equal(cmd_number(&ctx, "width", 7), 7);
	ctx.values[0] = "2026";
	ctx.values[1] = "1";
	ctx.values[2] = "3";
	ctx.numbers[2] = 3;
	assert_string_equal(cmd_opt(&ctx, "period"), "2026");
	assert_true(cmd_flag(&ctx, "dry-run"));
	assert_int_equal(cmd_number(&ctx, "width", 7), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_are_whole),
		cmocka_unit_test(test_options_are_whole),
		cmocka_unit_test(test_needs_hold_together),
		cmocka_unit_test(test_accessors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
