/* util.h - memory, strings, errors and strict number parsing shared by every layer. */
#ifndef TIANBAO_UTIL_H
#define TIANBAO_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* An error message filled by a failing function; the caller shows it. */
struct err {
	char msg[1024];
};

void err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_vset(struct err *e, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Put text in front of an existing message ("file: " + msg). */
void err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Called before abort() when memory runs out, so the UI can restore the terminal. */
void util_set_fatal_hook(void (*hook)(void));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable NUL-terminated byte string. */
struct strbuf {
	char *buf;
	size_t len, cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hands the buffer to the caller (never NULL) and leaves sb empty. */
char *sb_take(struct strbuf *sb);
/* Never NULL, even for an empty buffer. */
const char *sb_str(const struct strbuf *sb);

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

/* Trims ASCII spaces and tabs in place; returns s. */
char *str_trim(char *s);
bool str_starts(const char *s, const char *prefix);
bool str_ends(const char *s, const char *suffix);
/* True for [a-z0-9_] with a letter first, length 1..max. */
bool is_code_name(const char *s, size_t max);

/* Reads a whole file (at most max_bytes); NUL-terminated, length in *len. */
char *read_file(const char *path, size_t max_bytes, size_t *len, struct err *e);

/* The current time as an ISO 8601 UTC string "2026-11-29T11:35:20Z". */
void now_iso8601(char buf[32]);
/* The second after `at` ("2026-11-29T11:35:20Z" gives "...:21Z", across minutes, days
 * and years). Returns -1 when at is not written that way. */
int iso8601_next_second(const char *at, char out[32]);
/* The moment `at` ("2026-11-29T11:35:20Z") names, in *t. Returns -1 when at is not
 * written that way. */
int iso8601_seconds(const char *at, time_t *t);

#endif
