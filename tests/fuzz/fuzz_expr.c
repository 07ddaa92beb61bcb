/* fuzz_expr.c - libFuzzer harness: any bytes as an expression, parsed against a few field
 * names and, when it parses, evaluated with missing, not-applicable and numeric values. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forms/expr.h"
#include "lib/mem.h"
#include "lib/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *names[] = { "a", "b", "c", "v_vc_total", "note" };

static int resolve(void *ctx, const char *name, bool in_answered, struct err *e)
{
	(void)ctx;
	for (int i = 0; i < 5; i++) {
		if (strcmp(names[i], name) == 0) {
			if (i == 4 && !in_answered) {
				err_set(e, "text");
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
	const struct ev *vals = ctx;

	return vals[id];
}

static void count_ref(void *ctx, int id)
{
	(void)id;
	(*(int *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = xstrndup((const char *)data, size);
	struct err e;
	struct expr *x = expr_parse(src, resolve, NULL, &e);

	if (x) {
		struct ev sets[3][5] = {
			{ { EV_NUM, 1 }, { EV_NUM, 0 }, { EV_NUM, -3.5 }, { EV_NUM, 7 }, { EV_NA, 0 } },
			{ { EV_MISSING, 0 }, { EV_NUM, 2 }, { EV_NA, 0 }, { EV_NUM, 1e300 }, { EV_MISSING, 0 } },
			{ { EV_NA, 0 }, { EV_MISSING, 0 }, { EV_NUM, 0 }, { EV_NUM, -1e-300 }, { EV_NA, 0 } },
		};
		int refs = 0;

		for (int i = 0; i < 3; i++)
			expr_eval(x, lookup, sets[i]);
		expr_each_ref(x, count_ref, &refs);
		expr_free(x);
	}
	free(src);
	return 0;
}
