/* formeval.c - applying a form's rules to values (see formeval.h). */
#include "forms/formeval.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/i18n.h"
#include "lib/text.h"
#include "lib/mem.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/number.h"

/* Input methods often type full-width digits ("１２") or an ideographic space; numbers
 * are read through this so a cadre never sees "not a number" for what looks like one. */
static void normalize_number(const char *in, char *out, size_t size)
{
	size_t n = strlen(in), i = 0, o = 0;
	wchar_t wc;

	while (i < n && o + 1 < size) {
		int k = utf8_decode(in + i, n - i, &wc);

		if (k < 0) {
			out[o++] = in[i++];
			continue;
		}
		if (wc >= 0xFF10 && wc <= 0xFF19)
			out[o++] = (char)('0' + (wc - 0xFF10));
		else if (wc == 0xFF0E)
			out[o++] = '.';
		else if (wc == 0xFF0D || wc == 0x2212)
			out[o++] = '-';
		else if (wc == 0x3000)
			out[o++] = ' ';
		else {
			if (o + (size_t)k >= size)
				break;
			memcpy(out + o, in + i, (size_t)k);
			o += (size_t)k;
		}
		i += (size_t)k;
	}
	out[o] = '\0';
	str_trim(out);
}

static void range_message(const struct range *r, double v, struct err *e)
{
	char lo[32], hi[32], got[32];

	format_number(lo, sizeof lo, r->min);
	format_number(hi, sizeof hi, r->max);
	format_number(got, sizeof got, v);
	if (r->has_min && r->has_max)
		err_set(e, _("%s is out of range: it must be between %s and %s"), got, lo, hi);
	else if (r->has_min)
		err_set(e, _("%s is too small: it must be at least %s"), got, lo);
	else
		err_set(e, _("%s is too large: it must be at most %s"), got, hi);
}

/* Typed values are compared exactly (1000000001 is over 1000000000); computed ones
 * with the expression language's small tolerance (3/10*100 is 30). */
static bool in_range(const struct range *r, double v, bool exact)
{
	if (r->has_min && (exact ? v < r->min : ev_compare(v, r->min) < 0))
		return false;
	if (r->has_max && (exact ? v > r->max : ev_compare(v, r->max) > 0))
		return false;
	return true;
}

/* The text a decimal is stored as, made from the digits typed (never through a double,
 * which would turn 12345678901.12 into 12345678901.120001): no leading zeros, no
 * trailing zeros after the point, no "-0". s is already checked by parse_decimal. */
static char *canonical_decimal(const char *s)
{
	struct strbuf sb;
	const char *p = s, *dot, *end;
	bool neg = false, zero = true;

	sb_init(&sb);
	if (*p == '-') {
		neg = true;
		p++;
	}
	while (*p == '0' && p[1] >= '0' && p[1] <= '9')
		p++;
	dot = strchr(p, '.');
	end = p + strlen(p);
	if (dot) {
		while (end > dot + 1 && end[-1] == '0')
			end--;
		if (end == dot + 1)
			end = dot;
	}
	for (const char *q = p; q < end; q++)
		if (*q >= '1' && *q <= '9')
			zero = false;
	if (neg && !zero)
		sb_addc(&sb, '-');
	if (p == dot || *p == '\0')
		sb_addc(&sb, '0');
	sb_addn(&sb, p, (size_t)(end - p));
	return sb_take(&sb);
}

/* A date as typed (2026-03-08, 2026/03/08 or 2026.03.08, a year from 1900 to 2100, a
 * real day) in the form it is stored: 2026-03-08. */
static int parse_date(const char *s, char out[16])
{
	int y, m, d;
	char sep;

	if (strlen(s) != 10)
		return -1;
	sep = s[4];
	if ((sep != '-' && sep != '/' && sep != '.') || s[7] != sep)
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2100 || !date_valid(y, m, d))
		return -1;
	memcpy(out, s, 10);
	out[4] = out[7] = '-';
	out[10] = '\0';
	return 0;
}

int field_parse(const struct field *fd, const char *input, char **canonical, struct ev *num, struct err *e)
{
	char buf[128];

	*canonical = NULL;
	*num = ev_missing();
	if (fd->compute) {
		err_set(e, "%s", _("this value is computed from other fields and cannot be entered"));
		return -1;
	}
	if (fd->type == FT_TEXT) {
		size_t n = strlen(input);

		if (n == 0)
			return 0;
		if (!utf8_valid(input, n)) {
			err_set(e, "%s", _("the text is not valid UTF-8"));
			return -1;
		}
		if (text_has_control(input)) {
			err_set(e, "%s", _("the text contains control characters (such as a line break or tab)"));
			return -1;
		}
		/* Spaces alone look empty on every screen and report: the field is not answered. */
		if (text_is_blank(input))
			return 0;
		if (utf8_chars(input) > (size_t)fd->max_length) {
			err_set(e, _("the text is %zu characters long; at most %d are allowed"), utf8_chars(input), fd->max_length);
			return -1;
		}
		*canonical = xstrdup(input);
		return 0;
	}
	if (strlen(input) >= sizeof buf) {
		err_set(e, "%s", _("the value is too long"));
		return -1;
	}
	normalize_number(input, buf, sizeof buf);
	if (!buf[0])
		return 0;
	switch (fd->type) {
	case FT_INTEGER: {
		int64_t v;

		if (parse_int64(buf, &v) != 0 || v > 999999999999LL || v < -999999999999LL) {
			const char *d = buf + (buf[0] == '-');

			if (*d && strspn(d, "0123456789") == strlen(d))
				err_set(e, _("'%s' has too many digits: at most 12"), input);
			else
				err_set(e, _("'%s' is not a whole number"), input);
			return -1;
		}
		*num = ev_num((double)v);
		break;
	}
	case FT_DECIMAL: {
		double v;
		int dec;

		if (parse_decimal(buf, &v, &dec) != 0) {
			err_set(e, _("'%s' is not a number (write it like 12 or 12.5)"), input);
			return -1;
		}
		if (dec > fd->decimals) {
			err_set(e, _("at most %d decimal place(s) are allowed"), fd->decimals);
			return -1;
		}
		/* A double holds 15 significant digits exactly: more would not come back. */
		{
			int digits = 0;

			for (const char *q = buf; *q; q++)
				digits += *q >= '0' && *q <= '9';
			if (digits > 15) {
				err_set(e, _("'%s' has too many digits: at most 15"), input);
				return -1;
			}
		}
		*num = ev_num(v);
		break;
	}
	case FT_YESNO: {
		static const char *yes[] = { "1", "yes", "y", "true", "是", "有" };
		static const char *no[] = { "0", "no", "n", "false", "否", "无" };

		for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
			if (strcasecmp(buf, yes[i]) == 0)
				*num = ev_num(1);
			if (strcasecmp(buf, no[i]) == 0)
				*num = ev_num(0);
		}
		if (num->kind != EV_NUM) {
			err_set(e, _("'%s' is not yes or no: type 1 (是) or 0 (否)"), input);
			return -1;
		}
		*canonical = xstrdup(num->num != 0 ? "1" : "0");
		return 0;
	}
	case FT_CHOICE: {
		int64_t v;

		if (parse_int64(buf, &v) == 0) {
			for (int i = 0; i < fd->nchoices; i++) {
				if (fd->choices[i].code == v) {
					*num = ev_num((double)v);
					*canonical = xasprintf("%d", fd->choices[i].code);
					return 0;
				}
			}
		}
		{
			struct strbuf sb;

			sb_init(&sb);
			for (int i = 0; i < fd->nchoices; i++)
				sb_addf(&sb, "%s%d=%s", i ? ", " : "", fd->choices[i].code,
					i18n_pick(fd->choices[i].label, fd->choices[i].label_en));
			err_set(e, _("'%s' is not one of the choices: %s"), input, sb_str(&sb));
			sb_free(&sb);
		}
		return -1;
	}
	case FT_DATE: {
		char d[16];

		if (parse_date(buf, d) != 0) {
			err_set(e, _("'%s' is not a date: write it as YYYY-MM-DD, e.g. 2026-03-08"), input);
			return -1;
		}
		*canonical = xstrdup(d);
		return 0;
	}
	default:
		break;
	}
	if (!in_range(&fd->hard, num->num, true)) {
		range_message(&fd->hard, num->num, e);
		*num = ev_missing();
		return -1;
	}
	if (fd->type == FT_INTEGER)
		*canonical = xasprintf("%lld", (long long)num->num);
	else
		*canonical = canonical_decimal(buf);
	return 0;
}

void form_eval_init(struct form_eval *ev, const struct form *f)
{
	memset(ev, 0, sizeof *ev);
	ev->form = f;
	ev->fields = xcalloc((size_t)f->nfields, sizeof *ev->fields);
}

void form_eval_free(struct form_eval *ev)
{
	free(ev->fields);
	free(ev->problems);
	memset(ev, 0, sizeof *ev);
}

static struct ev lookup(void *ctx, int id)
{
	struct form_eval *ev = ctx;

	if (ev->fields[id].skipped)
		return ev_missing();
	return ev->fields[id].val;
}

static bool truthy(struct ev v)
{
	return v.kind == EV_NUM && v.num != 0;
}

static void add_problem(struct form_eval *ev, enum problem_kind kind, bool is_error, int field, int check)
{
	struct problem *p;

	if (ev->nproblems == ev->cap) {
		ev->cap = ev->cap ? ev->cap * 2 : 16;
		ev->problems = xreallocarray(ev->problems, (size_t)ev->cap, sizeof *ev->problems);
	}
	p = &ev->problems[ev->nproblems++];
	p->kind = kind;
	p->is_error = is_error;
	p->field = field;
	p->check = check;
	if (is_error)
		ev->errors++;
	else
		ev->warnings++;
	if (field >= 0) {
		if (is_error)
			ev->fields[field].errors++;
		else
			ev->fields[field].warnings++;
	}
}

void form_evaluate(struct form_eval *ev, const char *const *raw)
{
	const struct form *f = ev->form;
	bool section_skipped = false;
	int cur_section = -1;

	ev->nproblems = ev->asked = ev->filled = ev->errors = ev->warnings = ev->missing = 0;
	/* Inputs in form order: skip conditions only look at earlier inputs. */
	for (int i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		struct field_eval *fe = &ev->fields[i];

		memset(fe, 0, sizeof *fe);
		fe->val = ev_missing();
		fe->target = -1;
		if (fd->section != cur_section) {
			cur_section = fd->section;
			section_skipped = f->sections[cur_section].skip_if &&
					  truthy(expr_eval(f->sections[cur_section].skip_if, lookup, ev));
		}
		fe->skipped = section_skipped || (fd->skip_if && truthy(expr_eval(fd->skip_if, lookup, ev)));
		if (fd->compute || fe->skipped)
			continue;
		ev->asked++;
		if (raw && raw[i] && raw[i][0]) {
			char *canon = NULL;
			struct err e;

			fe->filled = true;
			ev->filled++;
			if (field_parse(fd, raw[i], &canon, &fe->val, &e) != 0) {
				fe->val = ev_missing();
				add_problem(ev, PK_INVALID, true, i, -1);
			} else if (!field_is_numeric(fd)) {
				/* A text or date has no number, but it is not missing: answered()
				 * is how rules ask about it. */
				fe->val = ev_na();
			}
			free(canon);
		} else if (fd->required) {
			add_problem(ev, PK_REQUIRED, true, i, -1);
			fe->missing = true;
			ev->missing++;
		}
	}
	for (int k = 0; k < f->ncompute; k++) {
		int i = f->compute_order[k];

		if (!ev->fields[i].skipped)
			ev->fields[i].val = expr_eval(f->fields[i].compute, lookup, ev);
	}
	for (int i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		struct field_eval *fe = &ev->fields[i];

		if (fe->skipped || fe->val.kind != EV_NUM)
			continue;
		if ((fd->soft.has_min || fd->soft.has_max) && !in_range(&fd->soft, fe->val.num, !fd->compute))
			add_problem(ev, PK_SOFT_RANGE, false, i, -1);
		fe->target = target_met(fd, fe->val);
	}
	for (int c = 0; c < f->nchecks; c++) {
		const struct check *ck = &f->checks[c];
		struct ev r;
		int shown_on = -1;

		if (!ck->rule)
			continue;
		/* A rule about a question not asked says nothing (docs/forms.md): "and" and
		 * "or" could otherwise decide it without the missing answer. */
		{
			bool about_skipped = false;

			for (int j = 0; j < ck->nfields; j++)
				if (ev->fields[ck->fields[j]].skipped)
					about_skipped = true;
			if (about_skipped)
				continue;
		}
		r = expr_eval(ck->rule, lookup, ev);
		if (r.kind != EV_NUM || r.num != 0)
			continue;
		for (int j = 0; j < ck->nfields && shown_on < 0; j++)
			if (!f->fields[ck->fields[j]].compute)
				shown_on = ck->fields[j];
		if (shown_on < 0 && ck->nfields > 0)
			shown_on = ck->fields[0];
		add_problem(ev, PK_CHECK, ck->is_error, shown_on, c);
		/* The other fields a rule names carry it too, so each shows the mark. */
		for (int j = 0; j < ck->nfields; j++) {
			int fi = ck->fields[j];

			if (fi == shown_on)
				continue;
			if (ck->is_error)
				ev->fields[fi].errors++;
			else
				ev->fields[fi].warnings++;
		}
	}
}

void problem_describe(const struct form_eval *ev, const struct problem *p, struct strbuf *out)
{
	const struct form *f = ev->form;
	const struct field *fd = p->field >= 0 ? &f->fields[p->field] : NULL;
	char v[64], lo[32], hi[32];

	switch (p->kind) {
	case PK_REQUIRED:
		sb_addf(out, _("%s: not filled in yet"), i18n_pick(fd->label, fd->label_en));
		break;
	case PK_INVALID:
		sb_addf(out, _("%s: the stored value is not valid for this version of the form; enter it again"),
			i18n_pick(fd->label, fd->label_en));
		break;
	case PK_SOFT_RANGE:
		field_format(fd, ev->fields[p->field].val, v, sizeof v);
		format_number(lo, sizeof lo, fd->soft.min);
		format_number(hi, sizeof hi, fd->soft.max);
		if (fd->soft.has_min && fd->soft.has_max)
			sb_addf(out, _("%s: %s is outside the usual range %s to %s; check it"),
				i18n_pick(fd->label, fd->label_en), v, lo, hi);
		else if (fd->soft.has_min)
			sb_addf(out, _("%s: %s is below the usual minimum %s; check it"),
				i18n_pick(fd->label, fd->label_en), v, lo);
		else
			sb_addf(out, _("%s: %s is above the usual maximum %s; check it"),
				i18n_pick(fd->label, fd->label_en), v, hi);
		break;
	case PK_CHECK:
		sb_add(out, i18n_pick(f->checks[p->check].message, f->checks[p->check].message_en));
		break;
	}
}

int target_met(const struct field *fd, struct ev v)
{
	double x;

	if (fd->target.op == TG_NONE || v.kind != EV_NUM)
		return -1;
	x = fd->type == FT_YESNO ? (v.num != 0 ? 100 : 0) : v.num;
	switch (fd->target.op) {
	case TG_GE: return ev_compare(x, fd->target.a) >= 0;
	case TG_GT: return ev_compare(x, fd->target.a) > 0;
	case TG_LE: return ev_compare(x, fd->target.a) <= 0;
	case TG_LT: return ev_compare(x, fd->target.a) < 0;
	case TG_BETWEEN: return ev_compare(x, fd->target.a) >= 0 && ev_compare(x, fd->target.b) <= 0;
	default: return -1;
	}
}

void field_format(const struct field *fd, struct ev v, char *buf, size_t size)
{
	if (v.kind == EV_MISSING) {
		snprintf(buf, size, "%s", "");
		return;
	}
	if (v.kind == EV_NA) {
		/* Shown instead of a rate whose denominator is zero: "not applicable". */
		snprintf(buf, size, "%s", _("n/a"));
		return;
	}
	switch (fd->type) {
	case FT_YESNO:
		snprintf(buf, size, "%s", v.num != 0 ? _("yes") : _("no"));
		break;
	case FT_CHOICE:
		for (int i = 0; i < fd->nchoices; i++) {
			if (fd->choices[i].code == (int)v.num) {
				snprintf(buf, size, "%s", i18n_pick(fd->choices[i].label, fd->choices[i].label_en));
				return;
			}
		}
		format_number(buf, size, v.num);
		break;
	case FT_DECIMAL:
		format_decimal(buf, size, v.num, fd->decimals);
		break;
	default:
		format_decimal(buf, size, v.num, 0);
		break;
	}
}
