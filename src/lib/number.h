/* number.h - numbers read strictly and written for people. */
#ifndef TIANBAO_NUMBER_H
#define TIANBAO_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* Strict decimal integer: optional '-', digits only, no spaces, no overflow. */
int parse_int64(const char *s, int64_t *out);
/* Strict decimal number: optional '-', digits, optional '.' and digits (".5" is 0.5); no exponent,
 * no hex, no spaces. *decimals (may be NULL) gets the number of fraction digits. */
int parse_decimal(const char *s, double *out, int *decimals);
/* Formats a number with exactly `decimals` fraction digits, "-0" shown as "0". */
void format_decimal(char *buf, size_t size, double v, int decimals);
/* Formats a number for messages: whole numbers without a fraction, others with up to
 * six significant decimals and no trailing zeros. */
void format_number(char *buf, size_t size, double v);

#endif
