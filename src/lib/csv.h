/* csv.h - writing CSV (RFC 4180 quoting). */
#ifndef TIANBAO_CSV_H
#define TIANBAO_CSV_H

#include <stdbool.h>
#include "lib/str.h"


/* Appends one field, quoted when it holds a comma, quote, CR or LF (quotes doubled).
 * With formula_guard, text starting with = + - @ tab or CR gets a leading ' so that a
 * spreadsheet never runs it as a formula (OWASP CSV injection). */
void csv_field(struct strbuf *sb, const char *s, bool formula_guard);
/* A field of no known type (a stored value, as `dump` prints them): a plain number
 * (parse_decimal: "-3" stays a number) as it is, any other text with the formula guard. */
void csv_value(struct strbuf *sb, const char *s);
/* Appends the separator before every field but the first of a row. */
void csv_sep(struct strbuf *sb);
void csv_end_row(struct strbuf *sb, bool crlf);

#endif
