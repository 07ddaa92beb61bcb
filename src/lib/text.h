/* text.h - UTF-8 checks, display widths and cropping by columns (never mid-character). */
#ifndef TIANBAO_TEXT_H
#define TIANBAO_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>
#include "lib/str.h"


/* Decodes one UTF-8 character (strict: no overlongs, surrogates or > U+10FFFF).
 * Returns the bytes used (1..4) or -1 when s[0..n) does not start with a valid one. */
int utf8_decode(const char *s, size_t n, wchar_t *out);
/* Encodes one character; returns the bytes written (1..4) into out[4]. */
int utf8_encode(wchar_t wc, char out[4]);
bool utf8_valid(const char *s, size_t n);
/* Number of characters in a valid UTF-8 string. */
size_t utf8_chars(const char *s);
/* True when the text holds C0/C1 control characters or DEL (tab and newline included),
 * the line and paragraph separators U+2028 and U+2029 (a line break to many readers of
 * a CSV), or a Unicode noncharacter (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF). */
bool text_has_control(const char *s);
/* Where the first character text_has_control objects to is (a byte offset), or -1; the
 * character in *wc (an invalid byte as itself) when wc is not NULL. */
long text_find_control(const char *s, wchar_t *wc);
/* "U+001B ESC", "U+0009 TAB", "U+0085 NEL", "U+0001": a control character named for a
 * message, in buf. Returns buf. */
const char *text_control_name(wchar_t wc, char buf[32]);
/* True when the text is nothing but spaces: ASCII, no-break (U+00A0) and ideographic
 * (U+3000, what a Chinese input method types). */
bool text_is_blank(const char *s);
/* A copy of s that is safe to print on a terminal: each C0 or C1 control character, DEL
 * and each byte that is not part of valid UTF-8 becomes '?' (so a file name cannot carry
 * escape sequences to the screen). NULL gives NULL. Free the result. */
char *text_sanitize(const char *s);
/* The first 40 characters of s[0..n) (then "..."), made safe like text_sanitize, in
 * buf: for naming a text from an untrusted file in a message. Returns buf. */
const char *text_shown(const char *s, size_t n, char *buf, size_t size);
/* A copy of s with every control character shown, not sent (a file name, a user's
 * argument in a message): each character text_has_control objects to is written visibly
 * as an escape (\n, \t, \r, \x1B, \u0085, \u2028) and each byte that is not valid UTF-8
 * as \xHH; with keep_newlines, '\n' stays a line break. NULL gives NULL. Free it. */
char *text_visible(const char *s, bool keep_newlines);
/* What a message echoes of the user's input (an argument, an option's value, a field
 * name): text_visible, cropped to TEXT_ECHO_COLS columns at a character boundary (then
 * "…"), in buf of TEXT_ECHO_SIZE bytes. NULL gives "". Returns buf. */
#define TEXT_ECHO_COLS 40
#define TEXT_ECHO_SIZE 256
const char *text_echo(const char *s, char *buf, size_t size);

/* Display width of one character: 0, 1 or 2 columns; controls and unprintables count 1
 * (they are drawn as '?'). */
int char_width(wchar_t wc);
/* Display width of a UTF-8 string; invalid bytes count one column each. */
int text_width(const char *s);
/* Appends s to sb in at most `cols` columns; when it does not fit, it is cut at a
 * character boundary (in English after the last whole word, when that keeps at least
 * 70 % of the room), without a space before the "…" it ends in. Returns the columns used. */
int text_crop(struct strbuf *sb, const char *s, int cols);
/* Like text_crop, then pads with spaces to exactly `cols` columns. */
void text_pad(struct strbuf *sb, const char *s, int cols);
/* Pads on the left (right-aligns) to `cols` columns. */
void text_pad_left(struct strbuf *sb, const char *s, int cols);

/* Splits text into lines of at most `cols` columns, malloc'd into *lines_out: at newlines,
 * and at spaces for Latin text; Chinese may break between any two characters. Returns
 * how many lines. */
int text_wrap(const char *text, int cols, char ***lines_out);

#endif
