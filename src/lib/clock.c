/* clock.c - dates and stamps (see clock.h). */
#include "lib/clock.h"

#include <stdio.h>
#include <string.h>

bool date_valid(int year, int month, int day)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (month < 1 || month > 12 || day < 1)
		return false;
	return day <= days[month - 1] + (month == 2 && leap);
}

void iso8601_of(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void now_iso8601(char buf[32])
{
	iso8601_of(time(NULL), buf);
}

void today_local(char buf[16])
{
	time_t t = time(NULL);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(buf, 16, "%Y-%m-%d", &tm) == 0)
		buf[0] = '\0';
}

/* The digits of s[from..from+n), or -1 when one is not a digit. */
static int digits(const char *s, int from, int n)
{
	int v = 0;

	for (int i = from; i < from + n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Reads the first `len` characters of "YYYY-MM-DDTHH:MM:SSZ" (len 4, 7, 10, 16, 19 or
 * 20): the shape, a real day, hours below 24, minutes and seconds below 60. Fields not
 * written stay 1 (month, day) or 0. */
static bool read_stamp(const char *s, size_t len, struct tm *tm)
{
	static const char shape[] = "0000-00-00T00:00:00Z";
	int y, mo = 1, d = 1, h = 0, mi = 0, se = 0;

	if (strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (shape[i] == '0' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
			return false;
	y = digits(s, 0, 4);
	if (len >= 7)
		mo = digits(s, 5, 2);
	if (len >= 10)
		d = digits(s, 8, 2);
	if (len >= 16) {
		h = digits(s, 11, 2);
		mi = digits(s, 14, 2);
	}
	if (len >= 19)
		se = digits(s, 17, 2);
	if (!date_valid(y, mo, d) || h > 23 || mi > 59 || se > 59)
		return false;
	memset(tm, 0, sizeof *tm);
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = se;
	return true;
}

int iso8601_seconds(const char *at, time_t *t)
{
	struct tm tm;

	if (!read_stamp(at, 20, &tm))
		return -1;
	*t = timegm(&tm);
	return 0;
}

int iso8601_next_second(const char *at, char out[32])
{
	time_t t;

	if (iso8601_seconds(at, &t) != 0)
		return -1;
	iso8601_of(t + 1, out);
	return 0;
}

enum stamp_check stamp_check(const char *s, time_t now)
{
	time_t t;

	if (iso8601_seconds(s, &t) != 0)
		return STAMP_MALFORMED;
	if (digits(s, 0, 4) < 2000)
		return STAMP_EARLY;
	return t <= now + CLOCK_AHEAD_MAX ? STAMP_OK : STAMP_FUTURE;
}

bool stamp_prefix_valid(const char *s)
{
	size_t n = strlen(s);
	struct tm tm;

	return (n == 4 || n == 7 || n == 10 || n == 16 || n == 19 || n == 20) && read_stamp(s, n, &tm);
}
