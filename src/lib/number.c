/* number.c - strict number parsing and formatting (see number.h). */
#include "lib/number.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_int64(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = false;
	uint64_t v = 0, limit;

	if (*p == '-') {
		neg = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		return -1;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (*p)
		return -1;
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return 0;
}

int parse_decimal(const char *s, double *out, int *decimals)
{
	const char *p = s;
	int ndig = 0, nfrac = 0;
	char *end;
	double v;

	if (*p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		ndig++;
	if (*p == '.') {
		p++;
		for (; *p >= '0' && *p <= '9'; p++)
			nfrac++;
		if (nfrac == 0)
			return -1;
	}
	/* ".5" is 0.5: people write it so. */
	if (*p || ndig + nfrac == 0 || ndig + nfrac > 17)
		return -1;
	/* The shape is checked above; strtod only converts (LC_NUMERIC stays "C"). */
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	if (decimals)
		*decimals = nfrac;
	return 0;
}

void format_decimal(char *buf, size_t size, double v, int decimals)
{
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	snprintf(buf, size, "%.*f", decimals, v);
	/* "-0.0" reads as a sign error to a clerk: show it as zero. */
	if (buf[0] == '-') {
		const char *p = buf + 1;

		while (*p == '0' || *p == '.')
			p++;
		if (!*p)
			memmove(buf, buf + 1, strlen(buf));
	}
}

void format_number(char *buf, size_t size, double v)
{
	char *dot, *end;

	if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v) {
		snprintf(buf, size, "%lld", (long long)v);
		return;
	}
	{
		/* At most 15 significant digits (what a double holds), at most 6 decimals: no
		 * binary noise such as 1234567890123.449951. */
		double a = fabs(v);
		int ints = a >= 1 ? (int)floor(log10(a)) + 1 : 1;
		int dec = 15 - ints;

		snprintf(buf, size, "%.*f", dec < 0 ? 0 : dec > 6 ? 6 : dec, v);
	}
	dot = strchr(buf, '.');
	if (!dot)
		return;
	end = buf + strlen(buf);
	while (end > dot + 1 && end[-1] == '0')
		*--end = '\0';
	if (end == dot + 1)
		*dot = '\0';
}
