/* str.h - a growable string, formatted strings, and small string tests. */
#ifndef TIANBAO_STR_H
#define TIANBAO_STR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

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

/* A new string formatted like printf (free it). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Trims ASCII spaces and tabs in place; returns s. */
char *str_trim(char *s);
bool str_starts(const char *s, const char *prefix);
bool str_ends(const char *s, const char *suffix);
/* True when s[0..n) is lower-case hex digits (0-9, a-f). */
bool str_is_hex(const char *s, size_t n);
/* True for [a-z0-9_] with a letter first, length 1..max. */
bool is_code_name(const char *s, size_t max);

#endif
