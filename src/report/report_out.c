/* report_out.c - the output formats by name (see report_out.h). */
#include "report/report_out.h"

#include <string.h>

#include "lib/mem.h"

static const char *const format_names[] = { "text", "csv", "xlsx", "dhis2" };

int report_format_parse(const char *s)
{
	for (size_t i = 0; i < ARRAY_LEN(format_names); i++)
		if (strcmp(s, format_names[i]) == 0)
			return (int)i;
	return -1;
}
