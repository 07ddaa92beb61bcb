/* expr.h - the small expression language of form definitions.
 *
 * Parsed once (when forms load) into a tree; evaluated many times. It knows nothing of
 * forms or storage: field names are turned into ids by a resolver the caller gives,
 * and values are fetched through a lookup callback.
 *
 *   expr    := or
 *   or      := and ("or" and)*
 *   and     := not ("and" not)*
 *   not     := "not" not | cmp
 *   cmp     := sum (("<"|"<="|">"|">="|"=="|"!=") sum)?
 *   sum     := term (("+"|"-") term)*
 *   term    := unary (("*"|"/") unary)*
 *   unary   := "-" unary | primary
 *   primary := NUMBER | FIELD | "(" expr ")" | FUNC "(" expr ("," expr)* ")"
 *   FUNC    := if | answered | min | max | abs | round | ceil | floor
 *
 * Values are three-valued: a number, MISSING (an input not entered yet) or NA (not
 * applicable: a division by zero). Missing wins over NA; "and"/"or" follow Kleene logic
 * (false and missing = false, true or missing = true).
 */
#ifndef TIANBAO_EXPR_H
#define TIANBAO_EXPR_H

#include <stdbool.h>
#include "lib/err.h"


enum ev_kind { EV_MISSING, EV_NA, EV_NUM };

struct ev {
	enum ev_kind kind;
	double num;
};

struct expr;

/* Resolves a field name to an id >= 0. `in_answered` is true inside answered(...),
 * where text and date fields may be named. On failure returns -1 and fills e with
 * why (unknown field, text field used as a number, ...). */
typedef int (*expr_resolve_fn)(void *ctx, const char *name, bool in_answered, struct err *e);
typedef struct ev (*expr_lookup_fn)(void *ctx, int id);
typedef void (*expr_ref_fn)(void *ctx, int id);

/* Parses src. On error returns NULL and e says what is wrong and at which column. */
struct expr *expr_parse(const char *src, expr_resolve_fn resolve, void *ctx, struct err *e);
void expr_free(struct expr *x);
struct ev expr_eval(const struct expr *x, expr_lookup_fn lookup, void *ctx);
/* Calls fn once per field reference in the tree (a field named twice is seen twice). */
void expr_each_ref(const struct expr *x, expr_ref_fn fn, void *ctx);

struct ev ev_num(double v);
struct ev ev_missing(void);
struct ev ev_na(void);
/* Comparisons use a small relative tolerance, so 3/10*100 >= 30 holds. */
int ev_compare(double a, double b);

#endif
