/* field.h - one value against its field: checked as typed, stored in its canonical
 * text, judged against its target, shown to people.
 *
 * Every way a value enters the database passes field_parse: typing on a screen, `set`,
 * `resolve --value`, and each value of an imported file (tbx/check.c), so a value one of
 * them refuses the others refuse too, in the same words.
 */
#ifndef TIANBAO_FIELD_H
#define TIANBAO_FIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "forms/expr.h"
#include "forms/forms.h"
#include "lib/err.h"
#include "lib/str.h"

/* Checks a typed value against its field: type, hard range, length, UTF-8.
 * On success *canonical (malloc'd) is the text to store ("08" -> "8", "是" -> "1") and
 * *num its number (numeric fields). An empty input is "clear the value": returns 0 with
 * *canonical = NULL. On failure e says why, in words for the person typing. */
int field_parse(const struct field *fd, const char *input, char **canonical, struct ev *num, struct err *e);

/* Whether a comment on a value may be stored: one line of valid UTF-8, at most
 * COMMENT_MAX_CHARS characters (NULL or "": none). 0, or -1 with e saying why. Typing,
 * `set --comment` and the reader of export files all ask it. */
int comment_check(const char *comment, struct err *e);

/* Whether v is in range r: typed values compared exactly (1000000001 is over
 * 1000000000), computed ones (exact false) with the expression language's small tolerance
 * (3/10*100 is 30). */
bool field_in_range(const struct range *r, double v, bool exact);

/* Whether a value meets a field's target: -1 when there is no target or no value. For a
 * yes/no field the value counts as 100% (yes) or 0% (no). */
int target_met(const struct field *fd, struct ev v);
/* The form of an answer the field takes, in words for the person typing ("a date, e.g.
 * 2025-12-28 or 2025年12月28日"; "是 or 否"): what field_parse accepts, said next to it. */
void field_answer_hint(const struct field *fd, struct strbuf *out);

/* A value as shown to people: decimals per the field, "—" style words for unknowns. */
void field_format(const struct field *fd, struct ev v, char *buf, size_t size);

#endif
