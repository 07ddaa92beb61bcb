/* csv.c - CSV fields and rows. */
#include "lib/csv.h"

#include <string.h>
#include "lib/number.h"
#include "lib/str.h"

void csv_field(struct strbuf *sb, const char *s, bool formula_guard)
{
	bool guard = formula_guard && s[0] && strchr("=+-@\t\r", s[0]);
	bool quote = guard || strpbrk(s, ",\"\r\n") != NULL;

	if (!quote) {
		sb_add(sb, s);
		return;
	}
	sb_addc(sb, '"');
	if (guard)
		sb_addc(sb, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sb_addc(sb, '"');
		sb_addc(sb, *s);
	}
	sb_addc(sb, '"');
}

void csv_value(struct strbuf *sb, const char *s)
{
	double v;

	csv_field(sb, s, parse_decimal(s, &v, NULL) != 0);
}

void csv_sep(struct strbuf *sb)
{
	sb_addc(sb, ',');
}

void csv_end_row(struct strbuf *sb, bool crlf)
{
	sb_add(sb, crlf ? "\r\n" : "\n");
}
