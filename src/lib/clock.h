/* clock.h - dates and times: the one rule for a real date, and the ISO 8601 UTC stamps
 * ("2026-11-29T11:35:20Z") every value, form state and file is written with.
 *
 * Stamps compare as text in time order because they are always written this one way;
 * anything read from outside (a file, an option) is checked here before it is compared.
 */
#ifndef TIANBAO_CLOCK_H
#define TIANBAO_CLOCK_H

#include <stdbool.h>
#include <time.h>

/* How far a time written by a computer may be ahead of this one's clock (clocks differ a
 * little; a value or state further in the future would win every merge): an import
 * refuses more, and a state set here does not wait for one set that far ahead. */
#define CLOCK_AHEAD_MAX (24 * 3600)

/* Whether year-month-day is a day of the calendar (Gregorian, leap years counted). The
 * one rule for real dates: date fields, the times in files and `log --since` use it. */
bool date_valid(int year, int month, int day);

/* The current time as a stamp "2026-11-29T11:35:20Z". */
void now_iso8601(char buf[32]);
/* Today on this computer's calendar, "2026-11-29" (local time: the day people see). */
void today_local(char buf[16]);
/* The moment `at` names, in *t, when it is a stamp of a real moment written exactly
 * "YYYY-MM-DDTHH:MM:SSZ"; -1 otherwise. */
int iso8601_seconds(const char *at, time_t *t);
/* The stamp of time t. */
void iso8601_of(time_t t, char out[32]);
/* The second after `at` ("...:20Z" gives "...:21Z", across minutes, days and years).
 * Returns -1 when at is not a stamp. */
int iso8601_next_second(const char *at, char out[32]);

/* What a stamp from elsewhere (a file) is, against this computer's clock `now`. */
enum stamp_check {
	STAMP_OK,
	STAMP_MALFORMED,   /* not a real moment written as a stamp */
	STAMP_EARLY,       /* before 2000: the clock that wrote it was wrong */
	STAMP_FUTURE,      /* more than CLOCK_AHEAD_MAX ahead of this computer's clock */
};
enum stamp_check stamp_check(const char *s, time_t now);

/* Whether s is the start of a stamp as the log prints it, naming a real day: a year
 * (2026), a month (2026-03), a day (2026-03-01), a minute (2026-03-01T08:30) or a second
 * (2026-03-01T08:30:00, with or without the Z). Such a prefix compares with stamps as
 * text correctly; "2026-3-1" or "2026-02-30" would not. */
bool stamp_prefix_valid(const char *s);

#endif
