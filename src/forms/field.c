/* field.c - one value against its field: as typed, as stored, as shown (see field.h). */
#include "forms/field.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/clock.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/number.h"
#include "lib/str.h"
#include "lib/text.h"

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

bool field_in_range(const struct range *r, double v, bool exact)
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

/* Reads 1 to `most` digits at *p into *v; moves *p past them. */
static bool read_digits(const char **p, int most, int *v)
{
	int n = 0;

	*v = 0;
	while (n < most && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n > 0;
}

/* A date as people write it, in the form it is stored (2026-03-08): 2026-03-08, 2026-3-8,
 * with '/' or '.' instead of '-' (the same both times), 2026年3月8日 (日 may be left out),
 * or 20260308. Only a year first is read: 03/08/2026 could be either month first or day
 * first, so it is refused rather than guessed. A year from 1900 to 2100, a real day. */
static int parse_date(const char *s, char out[16])
{
	const char *p = s;
	int y, m, d;

	if (strlen(s) == 8 && strspn(s, "0123456789") == 8) {
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[4] - '0') * 10 + (s[5] - '0');
		d = (s[6] - '0') * 10 + (s[7] - '0');
	} else {
		if (strspn(s, "0123456789") != 4 || !read_digits(&p, 4, &y))
			return -1;
		if (strncmp(p, "年", strlen("年")) == 0) {
			p += strlen("年");
			if (!read_digits(&p, 2, &m) || strncmp(p, "月", strlen("月")) != 0)
				return -1;
			p += strlen("月");
			if (!read_digits(&p, 2, &d))
				return -1;
			if (strncmp(p, "日", strlen("日")) == 0)
				p += strlen("日");
		} else {
			char sep = *p;

			if (sep != '-' && sep != '/' && sep != '.')
				return -1;
			p++;
			if (!read_digits(&p, 2, &m) || *p != sep)
				return -1;
			p++;
			if (!read_digits(&p, 2, &d))
				return -1;
		}
		if (*p != '\0')
			return -1;
	}
	if (y < 1900 || y > 2100 || !date_valid(y, m, d))
		return -1;
	/* The ranges were checked above; the modulo tells the compiler so. */
	snprintf(out, 16, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
	return 0;
}

static int parse_text(const struct field *fd, const char *input, char **canonical, struct err *e)
{
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

/* buf is the input with full-width digits and spaces made plain (normalize_number). */
static int parse_integer(const char *buf, const char *input, struct ev *num, struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	int64_t v;

	if (parse_int64(buf, &v) != 0 || v > 999999999999LL || v < -999999999999LL) {
		const char *d = buf + (buf[0] == '-');

		if (*d && strspn(d, "0123456789") == strlen(d))
			err_set(e, _("'%s' has too many digits: at most 12"), text_echo(input, eb, sizeof eb));
		else
			err_set(e, _("'%s' is not a whole number"), text_echo(input, eb, sizeof eb));
		return -1;
	}
	*num = ev_num((double)v);
	return 0;
}

static int parse_decimal_value(const struct field *fd, const char *buf, const char *input, struct ev *num,
			       struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	int digits = 0, dec;
	double v;

	if (parse_decimal(buf, &v, &dec) != 0) {
		err_set(e, _("'%s' is not a number (write it like 12 or 12.5)"), text_echo(input, eb, sizeof eb));
		return -1;
	}
	if (dec > fd->decimals) {
		err_set(e, _("at most %d decimal place(s) are allowed"), fd->decimals);
		return -1;
	}
	/* A double holds 15 significant digits exactly: more would not come back. */
	for (const char *q = buf; *q; q++)
		digits += *q >= '0' && *q <= '9';
	if (digits > 15) {
		err_set(e, _("'%s' has too many digits: at most 15"), text_echo(input, eb, sizeof eb));
		return -1;
	}
	*num = ev_num(v);
	return 0;
}

static int parse_yesno(const char *buf, const char *input, char **canonical, struct ev *num, struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	static const char *yes[] = { "1", "yes", "y", "true", "是", "有" };
	static const char *no[] = { "0", "no", "n", "false", "否", "无" };

	for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
		if (strcasecmp(buf, yes[i]) == 0)
			*num = ev_num(1);
		if (strcasecmp(buf, no[i]) == 0)
			*num = ev_num(0);
	}
	if (num->kind != EV_NUM) {
		err_set(e, _("'%s' is not yes or no: type 1 (是) or 0 (否)"), text_echo(input, eb, sizeof eb));
		return -1;
	}
	*canonical = xstrdup(num->num != 0 ? "1" : "0");
	return 0;
}

static int parse_choice(const struct field *fd, const char *buf, const char *input, char **canonical, struct ev *num,
			struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	struct strbuf sb;
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
	sb_init(&sb);
	for (int i = 0; i < fd->nchoices; i++)
		sb_addf(&sb, "%s%d=%s", i ? ", " : "", fd->choices[i].code,
			i18n_pick(fd->choices[i].label, fd->choices[i].label_en));
	err_set(e, _("'%s' is not one of the choices: %s"), text_echo(input, eb, sizeof eb), sb_str(&sb));
	sb_free(&sb);
	return -1;
}

int field_parse(const struct field *fd, const char *input, char **canonical, struct ev *num, struct err *e)
{
	char eb[TEXT_ECHO_SIZE];
	char buf[128], d[16];

	*canonical = NULL;
	*num = ev_missing();
	if (fd->compute) {
		err_set(e, "%s", _("this value is computed from other fields and cannot be entered"));
		return -1;
	}
	if (fd->type == FT_TEXT)
		return parse_text(fd, input, canonical, e);
	if (strlen(input) >= sizeof buf) {
		err_set(e, "%s", _("the value is too long"));
		return -1;
	}
	normalize_number(input, buf, sizeof buf);
	if (!buf[0])
		return 0;
	switch (fd->type) {
	case FT_YESNO:
		return parse_yesno(buf, input, canonical, num, e);
	case FT_CHOICE:
		return parse_choice(fd, buf, input, canonical, num, e);
	case FT_DATE:
		if (parse_date(buf, d) != 0) {
			err_set(e, _("'%s' is not a date: write the year first, e.g. 2026-03-08, 2026年3月8日 or 20260308"), text_echo(input, eb, sizeof eb));
			return -1;
		}
		*canonical = xstrdup(d);
		return 0;
	case FT_INTEGER:
		if (parse_integer(buf, input, num, e) != 0)
			return -1;
		break;
	default:
		if (parse_decimal_value(fd, buf, input, num, e) != 0)
			return -1;
		break;
	}
	if (!field_in_range(&fd->hard, num->num, true)) {
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

void field_answer_hint(const struct field *fd, struct strbuf *out)
{
	char lo[32] = "", hi[32] = "";

	if (fd->hard.has_min)
		format_number(lo, sizeof lo, fd->hard.min);
	if (fd->hard.has_max)
		format_number(hi, sizeof hi, fd->hard.max);
	switch (fd->type) {
	case FT_INTEGER:
	case FT_DECIMAL:
		sb_add(out, fd->type == FT_INTEGER ? _("a whole number") : _("a number"));
		if (fd->unit[0])
			sb_addf(out, _(" (%s)"), fd->unit);
		if (lo[0] && hi[0])
			sb_addf(out, _(", %s to %s"), lo, hi);
		else if (lo[0])
			sb_addf(out, _(", at least %s"), lo);
		else if (hi[0])
			sb_addf(out, _(", at most %s"), hi);
		break;
	case FT_YESNO:
		sb_add(out, _("yes or no (是 or 否), or 1 or 0"));
		break;
	case FT_CHOICE:
		sb_add(out, _("the number of the answer: "));
		for (int c = 0; c < fd->nchoices; c++)
			sb_addf(out, "%s%d = %s", c ? ", " : "", fd->choices[c].code,
				i18n_pick(fd->choices[c].label, fd->choices[c].label_en));
		break;
	case FT_DATE:
		sb_add(out, _("a date, year first: 2025-12-28, 2025年12月28日 or 20251228"));
		break;
	case FT_TEXT:
		sb_addf(out, _("text, at most %d characters"), fd->max_length);
		break;
	}
}

int comment_check(const char *comment, struct err *e)
{
	if (!comment)
		return 0;
	if (!utf8_valid(comment, strlen(comment))) {
		err_set(e, "%s", _("the comment is not valid UTF-8 text"));
		return -1;
	}
	if (text_has_control(comment)) {
		err_set(e, "%s", _("the comment contains control characters (such as a line break or tab): write it on one line"));
		return -1;
	}
	if (utf8_chars(comment) > COMMENT_MAX_CHARS) {
		err_set(e, _("the comment is %zu characters long; at most %d fit (a short note: who to ask, what to check)"),
			utf8_chars(comment), COMMENT_MAX_CHARS);
		return -1;
	}
	return 0;
}
