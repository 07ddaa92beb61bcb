/* expr.c - parser and evaluator of the form expression language (see expr.h). */
#include "forms/expr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/text.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "lib/number.h"

/* Deep enough for any real rule, shallow enough that hostile input cannot exhaust the
 * stack of the recursive parser or evaluator. */
#define EXPR_MAX_DEPTH 64
#define EXPR_MAX_ARGS 16

enum op {
	OP_NUM, OP_FIELD, OP_NEG, OP_ADD, OP_SUB, OP_MUL, OP_DIV,
	OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, OP_AND, OP_OR, OP_NOT,
	OP_IF, OP_ANSWERED, OP_MIN, OP_MAX, OP_ABS, OP_ROUND, OP_CEIL, OP_FLOOR,
};

struct expr {
	enum op op;
	double num;
	int id;
	int nargs;
	struct expr **args;
};

struct func {
	const char *name;
	enum op op;
	int min_args, max_args;
};

static const struct func funcs[] = {
	{ "if", OP_IF, 3, 3 },
	{ "answered", OP_ANSWERED, 1, 1 },
	{ "min", OP_MIN, 1, EXPR_MAX_ARGS },
	{ "max", OP_MAX, 1, EXPR_MAX_ARGS },
	{ "abs", OP_ABS, 1, 1 },
	{ "round", OP_ROUND, 1, 2 },
	{ "ceil", OP_CEIL, 1, 1 },
	{ "floor", OP_FLOOR, 1, 1 },
};

enum tok { T_END, T_NUM, T_NAME, T_OP, T_LPAREN, T_RPAREN, T_COMMA };

struct parser {
	const char *src;
	size_t pos;        /* byte offset of the current token */
	size_t next;       /* byte offset after it */
	enum tok tok;
	char text[64];     /* the token as written (names, numbers, operators) */
	double num;
	int depth;
	expr_resolve_fn resolve;
	void *ctx;
	struct err *e;
	bool failed;
};

struct ev ev_num(double v)
{
	struct ev r = { EV_NUM, v };

	return r;
}

struct ev ev_missing(void)
{
	struct ev r = { EV_MISSING, 0 };

	return r;
}

struct ev ev_na(void)
{
	struct ev r = { EV_NA, 0 };

	return r;
}

int ev_compare(double a, double b)
{
	double scale = fmax(1.0, fmax(fabs(a), fabs(b)));

	if (fabs(a - b) <= 1e-9 * scale)
		return 0;
	return a < b ? -1 : 1;
}

/* Column (1-based, in characters) of a byte offset, for messages. */
static int column_of(const char *src, size_t pos)
{
	int col = 1;

	for (size_t i = 0; i < pos && src[i]; i++)
		if (((unsigned char)src[i] & 0xC0) != 0x80)
			col++;
	return col;
}

static void fail_at(struct parser *p, size_t pos, const char *msg)
{
	if (p->failed)
		return;
	p->failed = true;
	err_set(p->e, _("%s (column %d)"), msg, column_of(p->src, pos));
}

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static void lex(struct parser *p)
{
	const char *s = p->src;
	size_t i = p->next;
	char buf[128];

	while (s[i] == ' ' || s[i] == '\t')
		i++;
	p->pos = i;
	p->text[0] = '\0';
	if (!s[i]) {
		p->tok = T_END;
		p->next = i;
		return;
	}
	if ((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')) {
		size_t start = i, len;

		while ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')
			i++;
		len = i - start;
		if (is_name_char(s[i]) || len >= sizeof p->text) {
			while (is_name_char(s[i]) || s[i] == '.')
				i++;
			snprintf(buf, sizeof buf, _("malformed number '%.*s'"), (int)(i - start > 40 ? 40 : i - start), s + start);
			fail_at(p, start, buf);
			p->tok = T_END;
			p->next = i;
			return;
		}
		memcpy(p->text, s + start, len);
		p->text[len] = '\0';
		if (parse_decimal(p->text, &p->num, NULL) != 0) {
			snprintf(buf, sizeof buf, _("malformed number '%s'"), p->text);
			fail_at(p, start, buf);
			p->tok = T_END;
			p->next = i;
			return;
		}
		p->tok = T_NUM;
		p->next = i;
		return;
	}
	if (is_name_start(s[i])) {
		size_t start = i, len;

		while (is_name_char(s[i]))
			i++;
		len = i - start;
		if (len >= sizeof p->text) {
			fail_at(p, start, _("name too long"));
			p->tok = T_END;
			p->next = i;
			return;
		}
		memcpy(p->text, s + start, len);
		p->text[len] = '\0';
		p->tok = T_NAME;
		p->next = i;
		return;
	}
	switch (s[i]) {
	case '(': p->tok = T_LPAREN; p->next = i + 1; strcpy(p->text, "("); return;
	case ')': p->tok = T_RPAREN; p->next = i + 1; strcpy(p->text, ")"); return;
	case ',': p->tok = T_COMMA; p->next = i + 1; strcpy(p->text, ","); return;
	case '+': case '-': case '*': case '/':
		p->tok = T_OP;
		p->text[0] = s[i];
		p->text[1] = '\0';
		p->next = i + 1;
		return;
	case '<': case '>': case '=': case '!':
		if (s[i + 1] == '=') {
			p->text[0] = s[i];
			p->text[1] = '=';
			p->text[2] = '\0';
			p->next = i + 2;
		} else if (s[i] == '<' && s[i + 1] == '>') {
			strcpy(p->text, "!=");
			p->next = i + 2;
		} else if (s[i] == '<' || s[i] == '>') {
			p->text[0] = s[i];
			p->text[1] = '\0';
			p->next = i + 1;
		} else {
			snprintf(buf, sizeof buf, s[i] == '=' ? _("use '==' to compare, not '='")
				 : _("use 'not' or '!=', not '!'"));
			fail_at(p, i, buf);
			p->tok = T_END;
			p->next = i + 1;
			return;
		}
		p->tok = T_OP;
		return;
	default: {
		wchar_t wc;
		int k = utf8_decode(s + i, strlen(s + i), &wc);

		if (k > 0)
			snprintf(buf, sizeof buf, _("unexpected character '%.*s'"), k, s + i);
		else
			snprintf(buf, sizeof buf, "%s", _("invalid UTF-8 in expression"));
		fail_at(p, i, buf);
		p->tok = T_END;
		p->next = i + 1;
		return;
	}
	}
}

static struct expr *node(enum op op, int nargs)
{
	struct expr *x = xcalloc(1, sizeof *x);

	x->op = op;
	x->nargs = nargs;
	if (nargs)
		x->args = xcalloc((size_t)nargs, sizeof *x->args);
	return x;
}

static struct expr *binary(enum op op, struct expr *a, struct expr *b)
{
	struct expr *x = node(op, 2);

	x->args[0] = a;
	x->args[1] = b;
	return x;
}

void expr_free(struct expr *x)
{
	if (!x)
		return;
	for (int i = 0; i < x->nargs; i++)
		expr_free(x->args[i]);
	free(x->args);
	free(x);
}

static bool is_keyword(const struct parser *p, const char *kw)
{
	return p->tok == T_NAME && strcmp(p->text, kw) == 0;
}

static struct expr *parse_or(struct parser *p);

static bool enter(struct parser *p)
{
	if (++p->depth > EXPR_MAX_DEPTH) {
		fail_at(p, p->pos, _("expression is nested too deeply"));
		return false;
	}
	return true;
}

static void describe_token(const struct parser *p, char *buf, size_t size)
{
	if (p->tok == T_END)
		snprintf(buf, size, "%s", _("end of expression"));
	else
		snprintf(buf, size, "'%s'", p->text);
}

static void fail_expected(struct parser *p, const char *what)
{
	char tokbuf[96], buf[256];

	describe_token(p, tokbuf, sizeof tokbuf);
	snprintf(buf, sizeof buf, _("expected %s but found %s"), what, tokbuf);
	fail_at(p, p->pos, buf);
}

static struct expr *parse_call(struct parser *p, const struct func *f, size_t at)
{
	struct expr *args[EXPR_MAX_ARGS];
	int n = 0;
	struct expr *x;
	char buf[160];

	lex(p); /* past the '(' */
	if (f->op == OP_ANSWERED) {
		int id;
		struct err e;

		if (p->tok != T_NAME) {
			fail_at(p, p->pos, _("answered() takes one field name"));
			return NULL;
		}
		id = p->resolve(p->ctx, p->text, true, &e);
		if (id < 0) {
			fail_at(p, p->pos, e.msg);
			return NULL;
		}
		lex(p);
		if (p->tok != T_RPAREN) {
			fail_expected(p, "')'");
			return NULL;
		}
		lex(p);
		x = node(OP_ANSWERED, 0);
		x->id = id;
		return x;
	}
	if (p->tok == T_RPAREN) {
		snprintf(buf, sizeof buf, _("%s() needs at least %d argument(s)"), f->name, f->min_args);
		fail_at(p, at, buf);
		return NULL;
	}
	for (;;) {
		struct expr *a;

		if (n == EXPR_MAX_ARGS) {
			snprintf(buf, sizeof buf, _("%s() takes at most %d arguments"), f->name, f->max_args);
			fail_at(p, p->pos, buf);
			goto fail;
		}
		a = parse_or(p);
		if (!a)
			goto fail;
		args[n++] = a;
		if (p->tok == T_COMMA) {
			lex(p);
			continue;
		}
		if (p->tok == T_RPAREN)
			break;
		fail_expected(p, _("',' or ')'"));
		goto fail;
	}
	if (n < f->min_args || n > f->max_args) {
		if (f->min_args == f->max_args)
			snprintf(buf, sizeof buf, _("%s() takes %d argument(s), not %d"), f->name, f->min_args, n);
		else
			snprintf(buf, sizeof buf, _("%s() takes %d to %d arguments, not %d"), f->name,
				 f->min_args, f->max_args, n);
		fail_at(p, at, buf);
		goto fail;
	}
	lex(p);
	x = node(f->op, n);
	memcpy(x->args, args, (size_t)n * sizeof *args);
	return x;
fail:
	for (int i = 0; i < n; i++)
		expr_free(args[i]);
	return NULL;
}

static struct expr *parse_primary(struct parser *p)
{
	struct expr *x;

	if (p->failed)
		return NULL;
	if (p->tok == T_NUM) {
		x = node(OP_NUM, 0);
		x->num = p->num;
		lex(p);
		return x;
	}
	if (p->tok == T_LPAREN) {
		size_t open_at = p->pos;

		lex(p);
		x = parse_or(p);
		if (!x)
			return NULL;
		if (p->tok != T_RPAREN) {
			char buf[160];

			expr_free(x);
			snprintf(buf, sizeof buf, "%s", _("this '(' is never closed"));
			fail_at(p, open_at, buf);
			return NULL;
		}
		lex(p);
		return x;
	}
	if (p->tok == T_NAME && !is_keyword(p, "and") && !is_keyword(p, "or") && !is_keyword(p, "not")) {
		size_t at = p->pos;
		char name[64];
		struct err e;
		int id;

		snprintf(name, sizeof name, "%s", p->text);
		lex(p);
		if (p->tok == T_LPAREN) {
			for (size_t i = 0; i < ARRAY_LEN(funcs); i++)
				if (strcmp(funcs[i].name, name) == 0)
					return parse_call(p, &funcs[i], at);
			char buf[160];

			snprintf(buf, sizeof buf, _("unknown function '%s' (known: if, answered, min, max, abs, round, ceil, floor)"), name);
			fail_at(p, at, buf);
			return NULL;
		}
		id = p->resolve(p->ctx, name, false, &e);
		if (id < 0) {
			fail_at(p, at, e.msg);
			return NULL;
		}
		x = node(OP_FIELD, 0);
		x->id = id;
		return x;
	}
	fail_expected(p, _("a number, a field or '('"));
	return NULL;
}

static struct expr *parse_unary(struct parser *p)
{
	struct expr *x, *a;

	if (!enter(p))
		return NULL;
	if (p->tok == T_OP && strcmp(p->text, "-") == 0) {
		lex(p);
		a = parse_unary(p);
		if (!a) {
			p->depth--;
			return NULL;
		}
		x = node(OP_NEG, 1);
		x->args[0] = a;
	} else {
		x = parse_primary(p);
	}
	p->depth--;
	return x;
}

static struct expr *parse_term(struct parser *p)
{
	struct expr *x = parse_unary(p);

	while (x && p->tok == T_OP && (p->text[0] == '*' || p->text[0] == '/')) {
		enum op op = p->text[0] == '*' ? OP_MUL : OP_DIV;
		struct expr *b;

		lex(p);
		b = parse_unary(p);
		if (!b) {
			expr_free(x);
			return NULL;
		}
		x = binary(op, x, b);
	}
	return x;
}

static struct expr *parse_sum(struct parser *p)
{
	struct expr *x = parse_term(p);

	while (x && p->tok == T_OP && (p->text[0] == '+' || p->text[0] == '-') && !p->text[1]) {
		enum op op = p->text[0] == '+' ? OP_ADD : OP_SUB;
		struct expr *b;

		lex(p);
		b = parse_term(p);
		if (!b) {
			expr_free(x);
			return NULL;
		}
		x = binary(op, x, b);
	}
	return x;
}

static bool comparison_op(const char *t, enum op *op)
{
	static const struct { const char *s; enum op op; } ops[] = {
		{ "<", OP_LT }, { "<=", OP_LE }, { ">", OP_GT }, { ">=", OP_GE },
		{ "==", OP_EQ }, { "!=", OP_NE },
	};

	for (size_t i = 0; i < ARRAY_LEN(ops); i++) {
		if (strcmp(t, ops[i].s) == 0) {
			*op = ops[i].op;
			return true;
		}
	}
	return false;
}

static struct expr *parse_cmp(struct parser *p)
{
	struct expr *x = parse_sum(p), *b;
	enum op op;

	if (!x || p->tok != T_OP || !comparison_op(p->text, &op))
		return x;
	lex(p);
	b = parse_sum(p);
	if (!b) {
		expr_free(x);
		return NULL;
	}
	x = binary(op, x, b);
	if (p->tok == T_OP && comparison_op(p->text, &op)) {
		fail_at(p, p->pos, _("comparisons cannot be chained: write 'a <= b and b <= c'"));
		expr_free(x);
		return NULL;
	}
	return x;
}

static struct expr *parse_not(struct parser *p)
{
	struct expr *x, *a;

	if (!enter(p))
		return NULL;
	if (is_keyword(p, "not")) {
		lex(p);
		a = parse_not(p);
		if (!a) {
			p->depth--;
			return NULL;
		}
		x = node(OP_NOT, 1);
		x->args[0] = a;
	} else {
		x = parse_cmp(p);
	}
	p->depth--;
	return x;
}

static struct expr *parse_and(struct parser *p)
{
	struct expr *x = parse_not(p);

	while (x && is_keyword(p, "and")) {
		struct expr *b;

		lex(p);
		b = parse_not(p);
		if (!b) {
			expr_free(x);
			return NULL;
		}
		x = binary(OP_AND, x, b);
	}
	return x;
}

static struct expr *parse_or(struct parser *p)
{
	struct expr *x;

	if (!enter(p))
		return NULL;
	x = parse_and(p);
	while (x && is_keyword(p, "or")) {
		struct expr *b;

		lex(p);
		b = parse_and(p);
		if (!b) {
			expr_free(x);
			x = NULL;
			break;
		}
		x = binary(OP_OR, x, b);
	}
	p->depth--;
	return x;
}

struct expr *expr_parse(const char *src, expr_resolve_fn resolve, void *ctx, struct err *e)
{
	struct parser p;
	struct expr *x;

	memset(&p, 0, sizeof p);
	p.src = src;
	p.resolve = resolve;
	p.ctx = ctx;
	p.e = e;
	lex(&p);
	if (p.tok == T_END && !p.failed) {
		err_set(e, "%s", _("the expression is empty"));
		return NULL;
	}
	x = parse_or(&p);
	if (x && !p.failed && p.tok != T_END) {
		char tokbuf[96], buf[256];

		describe_token(&p, tokbuf, sizeof tokbuf);
		snprintf(buf, sizeof buf, _("unexpected %s after a complete expression"), tokbuf);
		fail_at(&p, p.pos, buf);
	}
	if (p.failed) {
		expr_free(x);
		return NULL;
	}
	return x;
}

static struct ev arith(enum op op, struct ev a, struct ev b)
{
	if (a.kind == EV_MISSING || b.kind == EV_MISSING)
		return ev_missing();
	if (a.kind == EV_NA || b.kind == EV_NA)
		return ev_na();
	switch (op) {
	case OP_ADD: return ev_num(a.num + b.num);
	case OP_SUB: return ev_num(a.num - b.num);
	case OP_MUL: return ev_num(a.num * b.num);
	default:
		/* A zero denominator is "not applicable", never an error and never 0. */
		if (b.num == 0)
			return ev_na();
		return ev_num(a.num / b.num);
	}
}

static struct ev compare(enum op op, struct ev a, struct ev b)
{
	int c;
	bool r;

	if (a.kind == EV_MISSING || b.kind == EV_MISSING)
		return ev_missing();
	if (a.kind == EV_NA || b.kind == EV_NA)
		return ev_na();
	c = ev_compare(a.num, b.num);
	switch (op) {
	case OP_LT: r = c < 0; break;
	case OP_LE: r = c <= 0; break;
	case OP_GT: r = c > 0; break;
	case OP_GE: r = c >= 0; break;
	case OP_EQ: r = c == 0; break;
	default: r = c != 0; break;
	}
	return ev_num(r ? 1 : 0);
}

/* Missing outranks not-applicable when two unknowns meet. */
static struct ev unknown_of(struct ev a, struct ev b)
{
	if (a.kind == EV_MISSING || b.kind == EV_MISSING)
		return ev_missing();
	return ev_na();
}

struct ev expr_eval(const struct expr *x, expr_lookup_fn lookup, void *ctx)
{
	struct ev a, b, r = ev_missing();

	switch (x->op) {
	case OP_NUM:
		return ev_num(x->num);
	case OP_FIELD:
		return lookup(ctx, x->id);
	case OP_ANSWERED:
		return ev_num(lookup(ctx, x->id).kind == EV_MISSING ? 0 : 1);
	case OP_NEG:
		a = expr_eval(x->args[0], lookup, ctx);
		return a.kind == EV_NUM ? ev_num(-a.num) : a;
	case OP_NOT:
		a = expr_eval(x->args[0], lookup, ctx);
		return a.kind == EV_NUM ? ev_num(a.num == 0 ? 1 : 0) : a;
	case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
		a = expr_eval(x->args[0], lookup, ctx);
		b = expr_eval(x->args[1], lookup, ctx);
		return arith(x->op, a, b);
	case OP_LT: case OP_LE: case OP_GT: case OP_GE: case OP_EQ: case OP_NE:
		a = expr_eval(x->args[0], lookup, ctx);
		b = expr_eval(x->args[1], lookup, ctx);
		return compare(x->op, a, b);
	case OP_AND:
		a = expr_eval(x->args[0], lookup, ctx);
		if (a.kind == EV_NUM && a.num == 0)
			return ev_num(0);
		b = expr_eval(x->args[1], lookup, ctx);
		if (b.kind == EV_NUM && b.num == 0)
			return ev_num(0);
		if (a.kind == EV_NUM && b.kind == EV_NUM)
			return ev_num(1);
		return a.kind == EV_NUM ? b : b.kind == EV_NUM ? a : unknown_of(a, b);
	case OP_OR:
		a = expr_eval(x->args[0], lookup, ctx);
		if (a.kind == EV_NUM && a.num != 0)
			return ev_num(1);
		b = expr_eval(x->args[1], lookup, ctx);
		if (b.kind == EV_NUM && b.num != 0)
			return ev_num(1);
		if (a.kind == EV_NUM && b.kind == EV_NUM)
			return ev_num(0);
		return a.kind == EV_NUM ? b : b.kind == EV_NUM ? a : unknown_of(a, b);
	case OP_IF:
		a = expr_eval(x->args[0], lookup, ctx);
		if (a.kind != EV_NUM)
			return a;
		return expr_eval(x->args[a.num != 0 ? 1 : 2], lookup, ctx);
	case OP_MIN: case OP_MAX: {
		bool unknown = false;

		/* One unknown argument makes the whole result unknown. */
		for (int i = 0; i < x->nargs; i++) {
			b = expr_eval(x->args[i], lookup, ctx);
			if (b.kind != EV_NUM) {
				r = unknown ? unknown_of(r, b) : b;
				unknown = true;
			} else if (!unknown && (i == 0 || (x->op == OP_MIN ? b.num < r.num : b.num > r.num))) {
				r = b;
			}
		}
		return r;
	}
	case OP_ABS:
		a = expr_eval(x->args[0], lookup, ctx);
		return a.kind == EV_NUM ? ev_num(fabs(a.num)) : a;
	case OP_CEIL:
		a = expr_eval(x->args[0], lookup, ctx);
		/* Nudge by the comparison tolerance so 10/3*3 stays 10, not 11. */
		return a.kind == EV_NUM ? ev_num(ceil(a.num - 1e-9 * fmax(1.0, fabs(a.num)))) : a;
	case OP_FLOOR:
		a = expr_eval(x->args[0], lookup, ctx);
		return a.kind == EV_NUM ? ev_num(floor(a.num + 1e-9 * fmax(1.0, fabs(a.num)))) : a;
	case OP_ROUND: {
		double scale = 1;

		a = expr_eval(x->args[0], lookup, ctx);
		if (x->nargs == 2) {
			b = expr_eval(x->args[1], lookup, ctx);
			if (a.kind != EV_NUM || b.kind != EV_NUM)
				return a.kind != EV_NUM ? (b.kind != EV_NUM ? unknown_of(a, b) : a) : b;
			if (b.num < 0 || b.num > 9)
				return ev_na();
			scale = pow(10, floor(b.num));
		}
		if (a.kind != EV_NUM)
			return a;
		/* Halves go away from zero even when stored a hair short of .5, as 1.005 is
		 * (1.00499999...): nudged by the comparison tolerance, like ceil and floor. */
		a.num *= scale;
		return ev_num(round(a.num + copysign(1e-9 * fmax(1.0, fabs(a.num)), a.num)) / scale);
	}
	}
	return ev_missing();
}

void expr_each_ref(const struct expr *x, expr_ref_fn fn, void *ctx)
{
	if (x->op == OP_FIELD || x->op == OP_ANSWERED)
		fn(ctx, x->id);
	for (int i = 0; i < x->nargs; i++)
		expr_each_ref(x->args[i], fn, ctx);
}
