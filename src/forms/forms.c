/* forms.c - builds forms and units from INI files and finds every problem in them. */
#include "forms/forms.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/i18n.h"
#include "forms/ini.h"
#include "lib/sha256.h"
#include "lib/text.h"
#include "lib/mem.h"
#include "lib/number.h"
#include "lib/str.h"

/* ---- key tables ---------------------------------------------------------------- */

struct keydef {
	const char *name;
	bool required;
	bool text;      /* free text: an unquoted ';' or '#' would silently cut it */
};

static const struct keydef form_keys[] = {
	{ "id", true, false }, { "title", true, true }, { "title_en", false, true },
	{ "reported_by", true, false }, { "period", true, false }, { "version", true, false },
	{ "help", false, true }, { "help_en", false, true },
};

static const struct keydef section_keys[] = {
	{ "label", true, true }, { "label_en", false, true }, { "help", false, true },
	{ "help_en", false, true }, { "skip_if", false, false },
};

static const struct keydef field_keys[] = {
	{ "label", true, true }, { "label_en", false, true }, { "type", true, false },
	{ "unit", false, true }, { "required", false, false }, { "range", false, false },
	{ "soft_range", false, false }, { "decimals", false, false }, { "max_length", false, false },
	{ "choices", false, true }, { "choices_en", false, true }, { "help", false, true },
	{ "help_en", false, true }, { "skip_if", false, false }, { "compute", false, false },
	{ "target", false, false }, { "target_source", false, true },
	{ "target_source_en", false, true }, { "dhis2", false, false },
};

static const struct keydef check_keys[] = {
	{ "rule", true, false }, { "message", true, true }, { "message_en", false, true },
	{ "severity", false, false },
};

static const struct keydef township_keys[] = {
	{ "name", true, true }, { "name_en", false, true }, { "dhis2", false, false },
};

static const struct keydef village_keys[] = {
	{ "name", true, true }, { "name_en", false, true }, { "dhis2", false, false },
};

static const struct keydef department_keys[] = {
	{ "name", true, true }, { "name_en", false, true }, { "role", true, false },
	{ "dhis2", false, false },
};

struct keyset {
	const struct keydef *keys;
	size_t n;
};

#define KEYSET(a) ((struct keyset){ a, ARRAY_LEN(a) })

/* ---- small helpers ----------------------------------------------------------- */

struct loader {
	struct formset *fs;
	struct diag_list *diags;
	int errors;
	const char *file;
};

static void problem(struct loader *L, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void problem(struct loader *L, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(L->diags, L->file, line, fmt, ap);
	va_end(ap);
	L->errors++;
}

/* Edit distance, to suggest what a typo meant ("lable" -> "label"). */
static int distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	int row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		int prev = row[0], cur;

		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev : 1 + (prev < row[j] ? (prev < row[j - 1] ? prev : row[j - 1])
								    : (row[j] < row[j - 1] ? row[j] : row[j - 1]));
			prev = cur;
		}
	}
	return row[lb];
}

/* " (did you mean 'x'?)" when a known name is close, else "". */
static void suggest(char *buf, size_t size, const char *name, const char *const *known, size_t n)
{
	int best = 3;
	const char *pick = NULL;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int d = distance(name, known[i]);

		if (d < best) {
			best = d;
			pick = known[i];
		}
	}
	if (pick)
		snprintf(buf, size, _(" (did you mean '%s'?)"), pick);
}

static const char *key_value(const struct ini_section *s, const char *name)
{
	const struct ini_key *k = ini_find_key(s, name);

	return k ? k->value : NULL;
}

static int key_line(const struct ini_section *s, const char *name)
{
	const struct ini_key *k = ini_find_key(s, name);

	return k ? k->line : s->line;
}

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

/* Unknown keys, missing required keys, text values cut by a comment. */
static void check_keys_of(struct loader *L, const struct ini_section *s, struct keyset ks)
{
	const char *names[32];

	for (size_t i = 0; i < ks.n; i++)
		names[i] = ks.keys[i].name;
	for (int i = 0; i < s->nkeys; i++) {
		const struct ini_key *k = &s->keys[i];
		const struct keydef *def = NULL;

		for (size_t j = 0; j < ks.n; j++)
			if (strcmp(ks.keys[j].name, k->name) == 0)
				def = &ks.keys[j];
		if (!def) {
			char hint[96];

			suggest(hint, sizeof hint, k->name, names, ks.n);
			problem(L, k->line, _("unknown key '%s' in [%s]%s"), k->name, s->name, hint);
			continue;
		}
		if (def->text && k->raw[0] != '"' && k->raw[0] != '\'' && strpbrk(k->raw, ";#")) {
			problem(L, k->line, _("the value of '%s' is cut at '%c' (read as a comment): put the whole value in double quotes"),
				k->name, *strpbrk(k->raw, ";#"));
		}
	}
	for (size_t j = 0; j < ks.n; j++) {
		if (ks.keys[j].required && !ini_find_key(s, ks.keys[j].name))
			problem(L, s->line, _("[%s] has no '%s' (required)"), s->name, ks.keys[j].name);
		else if (ks.keys[j].required && ks.keys[j].text && !*key_value(s, ks.keys[j].name))
			problem(L, key_line(s, ks.keys[j].name), _("'%s' in [%s] is empty"), ks.keys[j].name, s->name);
	}
}

static bool parse_yes_no(const char *v, bool *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0) {
		*out = false;
		return true;
	}
	return false;
}

/* A whole number as a definition writes it: no sign, no leading zero ("08" is either
 * a typo or a number from somewhere else; it is not silently read as 8). */
static bool parse_small_int(const char *v, int lo, int hi, int *out)
{
	int64_t n;

	if (v[0] == '-' || (v[0] == '0' && v[1] != '\0'))
		return false;
	if (parse_int64(v, &n) != 0 || n < lo || n > hi)
		return false;
	*out = (int)n;
	return true;
}

/* "MIN..MAX", "MIN..", "..MAX". */
static bool parse_range(const char *v, struct range *r)
{
	const char *dots = strstr(v, "..");
	char lo[64], hi[64];
	size_t n;

	memset(r, 0, sizeof *r);
	if (!dots)
		return false;
	n = (size_t)(dots - v);
	if (n >= sizeof lo || strlen(dots + 2) >= sizeof hi)
		return false;
	memcpy(lo, v, n);
	lo[n] = '\0';
	snprintf(hi, sizeof hi, "%s", dots + 2);
	str_trim(lo);
	str_trim(hi);
	if (!*lo && !*hi)
		return false;
	if (*lo) {
		if (parse_decimal(lo, &r->min, NULL) != 0)
			return false;
		r->has_min = true;
	}
	if (*hi) {
		if (parse_decimal(hi, &r->max, NULL) != 0)
			return false;
		r->has_max = true;
	}
	return !(r->has_min && r->has_max && r->min > r->max);
}

/* ">= 30", "> 0", "<= 12", "< 12", "103..107". */
static bool parse_target(const char *v, struct target *t)
{
	static const struct { const char *s; enum target_op op; } ops[] = {
		{ ">=", TG_GE }, { "<=", TG_LE }, { ">", TG_GT }, { "<", TG_LT },
	};
	char buf[64];

	snprintf(buf, sizeof buf, "%s", v);
	str_trim(buf);
	for (size_t i = 0; i < ARRAY_LEN(ops); i++) {
		if (str_starts(buf, ops[i].s)) {
			char *num = buf + strlen(ops[i].s);

			str_trim(num);
			if (parse_decimal(num, &t->a, NULL) != 0)
				return false;
			t->op = ops[i].op;
			return true;
		}
	}
	{
		struct range r;

		if (parse_range(buf, &r) && r.has_min && r.has_max) {
			t->op = TG_BETWEEN;
			t->a = r.min;
			t->b = r.max;
			return true;
		}
	}
	return false;
}

bool unit_code_valid(const char *c)
{
	size_t n = strlen(c);

	if (n == 0 || n > UNIT_CODE_MAX)
		return false;
	for (; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
			return false;
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool valid_dhis2_code(const char *c)
{
	size_t n = strlen(c);

	if (n == 0 || n > 50)
		return false;
	for (; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      *c == '_' || *c == '-' || *c == '.'))
			return false;
	return true;
}

const char *field_type_name(enum field_type t)
{
	static const char *names[] = { "integer", "decimal", "yesno", "choice", "text", "date" };

	return names[t];
}

const char *period_type_name(enum period_type t)
{
	static const char *names[] = { "year", "quarter", "month" };

	return names[t];
}

const char *unit_kind_name(enum unit_kind k)
{
	/* Also shown translated (tianbao init): the words are in the message catalogue. */
	static const char *names[] = { N_("township"), N_("village"), N_("department") };

	return names[k];
}

bool field_is_numeric(const struct field *fd)
{
	return fd->type != FT_TEXT && fd->type != FT_DATE;
}

/* ---- forms ----------------------------------------------------------------- */

struct resolve_ctx {
	struct loader *L;
	const struct form *form;
	const struct formset *fs;
	int position;       /* skip_if: only fields before this index; -1 = any */
	const char *what;   /* which key, for messages */
};

static int resolve_field(void *vctx, const char *name, bool in_answered, struct err *e)
{
	struct resolve_ctx *c = vctx;
	const struct form *f = c->form;
	int idx = form_field_index(f, name);

	if (idx < 0) {
		const char *names[512];
		size_t n = 0;
		char hint[96];

		for (int i = 0; i < f->nfields && n < ARRAY_LEN(names); i++)
			names[n++] = f->fields[i].code;
		for (int i = 0; i < c->fs->nforms; i++) {
			const struct form *o = &c->fs->forms[i];

			if (o != f && form_field_index(o, name) >= 0) {
				err_set(e, _("field '%s' belongs to form '%s'; a rule can only use fields of its own form"),
					name, o->id);
				return -1;
			}
		}
		suggest(hint, sizeof hint, name, names, n);
		err_set(e, _("unknown field '%s'%s"), name, hint);
		return -1;
	}
	if (!in_answered && !field_is_numeric(&f->fields[idx])) {
		err_set(e, _("'%s' is a field of type %s: only answered(%s) can use it"), name,
			field_type_name(f->fields[idx].type), name);
		return -1;
	}
	if (c->position >= 0) {
		if (f->fields[idx].compute) {
			err_set(e, _("skip_if cannot use the computed field '%s'; use the fields it is computed from"), name);
			return -1;
		}
		if (idx >= c->position) {
			err_set(e, _("skip_if can only use fields asked before it, and '%s' is not"), name);
			return -1;
		}
	}
	return idx;
}

static struct expr *parse_expr_key(struct loader *L, const struct formset *fs, const struct form *f,
				   const struct ini_section *s, const char *key, int position, char **text_out)
{
	const struct ini_key *k = ini_find_key(s, key);
	struct resolve_ctx ctx = { L, f, fs, position, key };
	struct expr *x;
	struct err e;

	if (!k)
		return NULL;
	x = expr_parse(k->value, resolve_field, &ctx, &e);
	if (!x) {
		problem(L, k->line, _("%s of [%s]: %s"), key, s->name, e.msg);
		return NULL;
	}
	if (text_out)
		*text_out = xstrdup(k->value);
	return x;
}

static bool split_kind(const char *secname, const char *kind, const char **rest)
{
	size_t n = strlen(kind);

	if (strncmp(secname, kind, n) == 0 && secname[n] == '.') {
		*rest = secname + n + 1;
		return true;
	}
	return false;
}

static void parse_choices(struct loader *L, struct field *fd, const struct ini_section *s)
{
	const char *v = key_value(s, "choices");
	const char *ven = key_value(s, "choices_en");
	int line = key_line(s, "choices");
	char *copy, *save = NULL, *item;
	int errors_before = L->errors;

	if (!v)
		return;
	copy = xstrdup(v);
	for (item = strtok_r(copy, "|", &save); item; item = strtok_r(NULL, "|", &save)) {
		char *eq = strchr(item, '=');
		int code;

		str_trim(item);
		if (!eq) {
			problem(L, line, _("choice '%s' needs the form CODE=LABEL, e.g. 1=是"), item);
			continue;
		}
		*eq = '\0';
		str_trim(item);
		if (!parse_small_int(item, 0, 999, &code)) {
			problem(L, line, _("choice code '%s' must be a whole number from 0 to 999"), item);
			continue;
		}
		for (int i = 0; i < fd->nchoices; i++) {
			if (fd->choices[i].code == code) {
				problem(L, line, _("choice code %d is listed twice"), code);
				code = -1;
				break;
			}
		}
		if (code < 0)
			continue;
		fd->choices = xreallocarray(fd->choices, (size_t)fd->nchoices + 1, sizeof *fd->choices);
		fd->choices[fd->nchoices].code = code;
		fd->choices[fd->nchoices].label = xstrdup(str_trim(eq + 1));
		fd->choices[fd->nchoices].label_en = NULL;
		if (!*fd->choices[fd->nchoices].label)
			problem(L, line, _("choice %d has no label"), code);
		fd->nchoices++;
	}
	free(copy);
	/* Not when every item was already reported as bad. */
	if (fd->nchoices == 0 && L->errors == errors_before)
		problem(L, line, "%s", _("'choices' lists no choice"));
	if (!ven)
		return;
	copy = xstrdup(ven);
	for (item = strtok_r(copy, "|", &save); item; item = strtok_r(NULL, "|", &save)) {
		char *eq = strchr(item, '=');
		int code, i;

		if (!eq || (*eq = '\0', !parse_small_int(str_trim(item), 0, 999, &code))) {
			problem(L, key_line(s, "choices_en"), _("choices_en item '%s' needs the form CODE=LABEL"), str_trim(item));
			continue;
		}
		for (i = 0; i < fd->nchoices && fd->choices[i].code != code; i++)
			;
		if (i == fd->nchoices) {
			problem(L, key_line(s, "choices_en"), _("choices_en names code %d, which 'choices' does not have"), code);
			continue;
		}
		free(fd->choices[i].label_en);
		fd->choices[i].label_en = xstrdup(str_trim(eq + 1));
	}
	free(copy);
}

/* First pass over a field section: everything but expressions. */
static void build_field(struct loader *L, struct form *f, struct field *fd, const struct ini_section *s,
			const char *code)
{
	static const char *types[] = { "integer", "decimal", "yesno", "choice", "text", "date" };
	const char *v;
	bool computed = ini_find_key(s, "compute") != NULL;

	(void)f;
	fd->code = xstrdup(code);
	fd->line = s->line;
	fd->label = xstrdup(key_value(s, "label") ? key_value(s, "label") : code);
	fd->label_en = dup_or_null(key_value(s, "label_en"));
	fd->unit = xstrdup(key_value(s, "unit") ? key_value(s, "unit") : "");
	fd->help = dup_or_null(key_value(s, "help"));
	fd->help_en = dup_or_null(key_value(s, "help_en"));
	fd->required = !computed;
	fd->decimals = -1;
	fd->max_length = 100;
	fd->type = FT_INTEGER;
	if (!is_code_name(code, CODE_MAX))
		problem(L, s->line, _("invalid field code '%s': use a-z, 0-9 and '_', starting with a letter, at most %d characters"),
			code, CODE_MAX);
	v = key_value(s, "type");
	if (v) {
		size_t i;

		for (i = 0; i < ARRAY_LEN(types) && strcmp(types[i], v) != 0; i++)
			;
		if (i == ARRAY_LEN(types)) {
			char hint[96];

			suggest(hint, sizeof hint, v, types, ARRAY_LEN(types));
			problem(L, key_line(s, "type"), _("unknown type '%s' (use integer, decimal, yesno, choice, text or date)%s"),
				v, hint);
		} else {
			fd->type = (enum field_type)i;
		}
	}
	if (computed && fd->type != FT_INTEGER && fd->type != FT_DECIMAL)
		problem(L, key_line(s, "type"), "%s", _("a computed field must be of type integer or decimal"));
	v = key_value(s, "required");
	if (v) {
		if (!parse_yes_no(v, &fd->required))
			problem(L, key_line(s, "required"), _("required must be yes or no, not '%s'"), v);
		else if (computed)
			problem(L, key_line(s, "required"), "%s", _("a computed field is never typed in, so 'required' does not apply"));
	}
	v = key_value(s, "range");
	if (v) {
		if (!parse_range(v, &fd->hard))
			problem(L, key_line(s, "range"), _("bad range '%s': write MIN..MAX with MIN <= MAX, e.g. 0..100, 3.. or ..7"), v);
		else if (computed)
			problem(L, key_line(s, "range"), "%s", _("a computed field cannot reject a value: use soft_range to warn"));
		else if (!field_is_numeric(fd) || fd->type == FT_YESNO || fd->type == FT_CHOICE)
			problem(L, key_line(s, "range"), _("range does not apply to a field of type %s"), field_type_name(fd->type));
	}
	v = key_value(s, "soft_range");
	if (v) {
		if (!parse_range(v, &fd->soft))
			problem(L, key_line(s, "soft_range"), _("bad soft_range '%s': write MIN..MAX with MIN <= MAX, e.g. 0..100, 3.. or ..7"), v);
		else if (!field_is_numeric(fd) || fd->type == FT_YESNO || fd->type == FT_CHOICE)
			problem(L, key_line(s, "soft_range"), _("soft_range does not apply to a field of type %s"), field_type_name(fd->type));
	}
	v = key_value(s, "decimals");
	if (v) {
		if (!parse_small_int(v, 0, 6, &fd->decimals))
			problem(L, key_line(s, "decimals"), _("decimals must be a whole number from 0 to 6, not '%s'"), v);
		else if (fd->type != FT_DECIMAL)
			problem(L, key_line(s, "decimals"), _("decimals does not apply to a field of type %s"), field_type_name(fd->type));
	}
	if (fd->decimals < 0)
		fd->decimals = fd->type == FT_DECIMAL ? (computed ? 1 : 2) : 0;
	v = key_value(s, "max_length");
	if (v) {
		if (!parse_small_int(v, 1, TEXT_MAX_CHARS, &fd->max_length))
			problem(L, key_line(s, "max_length"), _("max_length must be a whole number from 1 to %d, not '%s'"),
				TEXT_MAX_CHARS, v);
		else if (fd->type != FT_TEXT)
			problem(L, key_line(s, "max_length"), _("max_length does not apply to a field of type %s"), field_type_name(fd->type));
	}
	if (fd->type == FT_CHOICE) {
		if (!ini_find_key(s, "choices"))
			problem(L, s->line, _("[%s] is of type choice but has no 'choices'"), s->name);
		else
			parse_choices(L, fd, s);
	} else if (ini_find_key(s, "choices") || ini_find_key(s, "choices_en")) {
		problem(L, key_line(s, "choices"), _("choices only apply to a field of type choice, not %s"),
			field_type_name(fd->type));
	}
	v = key_value(s, "target");
	if (v) {
		fd->target.text = xstrdup(v);
		if (!parse_target(v, &fd->target))
			problem(L, key_line(s, "target"), _("bad target '%s': write >= N, > N, <= N, < N or MIN..MAX"), v);
		else if (!field_is_numeric(fd) || fd->type == FT_CHOICE)
			problem(L, key_line(s, "target"), _("a target does not apply to a field of type %s"), field_type_name(fd->type));
		if (!key_value(s, "target_source") || !*key_value(s, "target_source"))
			problem(L, key_line(s, "target"), "%s", _("a target needs target_source: the document it comes from"));
	} else if (ini_find_key(s, "target_source")) {
		problem(L, key_line(s, "target_source"), "%s", _("target_source is given but there is no target"));
	}
	fd->target.source = dup_or_null(key_value(s, "target_source"));
	fd->target.source_en = dup_or_null(key_value(s, "target_source_en"));
	v = key_value(s, "dhis2");
	if (v) {
		if (!valid_dhis2_code(v))
			problem(L, key_line(s, "dhis2"), _("bad DHIS2 code '%s': letters, digits, '_', '-', '.' only, at most 50"), v);
		fd->dhis2 = xstrdup(v);
	}
}

static int load_form(struct loader *L, const struct ini_file *ini, struct form *f)
{
	static const char *kinds[] = { "form", "section", "field", "check" };
	const struct ini_section *head = NULL;
	const char *v;
	int cur_section = -1;

	memset(f, 0, sizeof *f);
	f->file = xstrdup(ini->path);
	sha256_hex(ini->sha256, f->hash);
	for (int i = 0; i < ini->nsections; i++)
		if (strcmp(ini->sections[i].name, "form") == 0)
			head = &ini->sections[i];
	check_keys_of(L, head, KEYSET(form_keys));
	v = key_value(head, "id");
	f->id = xstrdup(v ? v : "");
	if (v && !is_code_name(v, CODE_MAX))
		problem(L, key_line(head, "id"), _("invalid form id '%s': use a-z, 0-9 and '_', starting with a letter"), v);
	f->title = xstrdup(key_value(head, "title") ? key_value(head, "title") : f->id);
	f->title_en = dup_or_null(key_value(head, "title_en"));
	f->help = dup_or_null(key_value(head, "help"));
	f->help_en = dup_or_null(key_value(head, "help_en"));
	v = key_value(head, "reported_by");
	f->reported_by = xstrdup(v ? v : "");
	if (v && !is_code_name(v, CODE_MAX))
		problem(L, key_line(head, "reported_by"), _("reported_by must be village, township or a department role such as hc, not '%s'"), v);
	v = key_value(head, "period");
	if (v) {
		if (strcmp(v, "year") == 0)
			f->period = PT_YEAR;
		else if (strcmp(v, "quarter") == 0)
			f->period = PT_QUARTER;
		else if (strcmp(v, "month") == 0)
			f->period = PT_MONTH;
		else
			problem(L, key_line(head, "period"), _("period must be year, quarter or month, not '%s'"), v);
	}
	v = key_value(head, "version");
	if (v && !parse_small_int(v, 1, 1000000, &f->version))
		problem(L, key_line(head, "version"), _("version must be a whole number from 1 to 1000000, not '%s'"), v);

	/* Pass 1: sections, fields and checks in file order, without expressions. */
	for (int i = 0; i < ini->nsections; i++) {
		const struct ini_section *s = &ini->sections[i];
		const char *rest;

		if (s == head)
			continue;
		if (split_kind(s->name, "section", &rest)) {
			struct section *sec;

			check_keys_of(L, s, KEYSET(section_keys));
			if (!is_code_name(rest, CODE_MAX))
				problem(L, s->line, _("invalid section name '%s': use a-z, 0-9 and '_', starting with a letter"), rest);
			f->sections = xreallocarray(f->sections, (size_t)f->nsections + 1, sizeof *f->sections);
			sec = &f->sections[f->nsections];
			memset(sec, 0, sizeof *sec);
			sec->name = xstrdup(rest);
			sec->label = xstrdup(key_value(s, "label") ? key_value(s, "label") : rest);
			sec->label_en = dup_or_null(key_value(s, "label_en"));
			sec->help = dup_or_null(key_value(s, "help"));
			sec->help_en = dup_or_null(key_value(s, "help_en"));
			sec->first_field = f->nfields;
			sec->line = s->line;
			cur_section = f->nsections++;
		} else if (split_kind(s->name, "field", &rest)) {
			struct field *fd;

			check_keys_of(L, s, KEYSET(field_keys));
			if (cur_section < 0) {
				/* Fields before any [section.*] get an untitled section of their own. */
				f->sections = xreallocarray(f->sections, 1, sizeof *f->sections);
				memset(&f->sections[0], 0, sizeof *f->sections);
				f->sections[0].name = xstrdup("");
				f->sections[0].label = xstrdup("");
				f->sections[0].line = s->line;
				cur_section = f->nsections++;
			}
			f->fields = xreallocarray(f->fields, (size_t)f->nfields + 1, sizeof *f->fields);
			fd = &f->fields[f->nfields];
			memset(fd, 0, sizeof *fd);
			build_field(L, f, fd, s, rest);
			fd->section = cur_section;
			f->sections[cur_section].nfields++;
			f->nfields++;
		} else if (split_kind(s->name, "check", &rest)) {
			struct check *c;

			check_keys_of(L, s, KEYSET(check_keys));
			if (!is_code_name(rest, CODE_MAX))
				problem(L, s->line, _("invalid check name '%s': use a-z, 0-9 and '_', starting with a letter"), rest);
			f->checks = xreallocarray(f->checks, (size_t)f->nchecks + 1, sizeof *f->checks);
			c = &f->checks[f->nchecks++];
			memset(c, 0, sizeof *c);
			c->name = xstrdup(rest);
			c->line = s->line;
			c->message = xstrdup(key_value(s, "message") ? key_value(s, "message") : rest);
			c->message_en = dup_or_null(key_value(s, "message_en"));
			c->is_error = true;
			v = key_value(s, "severity");
			if (v && strcmp(v, "warning") == 0)
				c->is_error = false;
			else if (v && strcmp(v, "error") != 0)
				problem(L, key_line(s, "severity"), _("severity must be error or warning, not '%s'"), v);
		} else {
			char hint[96], guess[80];
			const char *dot = strchr(s->name, '.');

			if (dot) {
				char kind[32];

				snprintf(kind, sizeof kind, "%.*s", (int)(dot - s->name) > 31 ? 31 : (int)(dot - s->name), s->name);
				suggest(guess, sizeof guess, kind, kinds + 1, 3);
			} else {
				suggest(guess, sizeof guess, s->name, kinds, 4);
			}
			snprintf(hint, sizeof hint, "%s", guess);
			problem(L, s->line, _("unknown section [%s]: a form has [form], [section.NAME], [field.CODE] and [check.NAME]%s"),
				s->name, hint);
		}
	}
	if (f->nfields == 0)
		problem(L, head->line, "%s", _("the form has no fields: add [field.CODE] sections"));
	for (int i = 0; i < f->nsections; i++)
		if (f->sections[i].nfields == 0)
			problem(L, f->sections[i].line, _("[section.%s] has no fields: put [field.CODE] sections after it, or remove it"),
				f->sections[i].name);
	return 0;
}

static void collect_ref(void *ctx, int id)
{
	struct check *c = ctx;

	for (int i = 0; i < c->nfields; i++)
		if (c->fields[i] == id)
			return;
	c->fields = xreallocarray(c->fields, (size_t)c->nfields + 1, sizeof *c->fields);
	c->fields[c->nfields++] = id;
}

/* Pass 2: expressions, once every field of every form is known. */
static void load_form_exprs(struct loader *L, const struct ini_file *ini, struct form *f)
{
	int fi = 0, si = 0, ci = 0;

	for (int i = 0; i < ini->nsections; i++) {
		const struct ini_section *s = &ini->sections[i];
		const char *rest;

		if (split_kind(s->name, "section", &rest) && si < f->nsections) {
			struct section *sec = &f->sections[si];

			/* An untitled leading section has no INI section of its own. */
			if (sec->name[0] == '\0' && si + 1 < f->nsections)
				sec = &f->sections[++si];
			sec->skip_if = parse_expr_key(L, L->fs, f, s, "skip_if", sec->first_field, &sec->skip_if_text);
			si++;
		} else if (split_kind(s->name, "field", &rest) && fi < f->nfields) {
			struct field *fd = &f->fields[fi];

			fd->skip_if = parse_expr_key(L, L->fs, f, s, "skip_if", fi, &fd->skip_if_text);
			fd->compute = parse_expr_key(L, L->fs, f, s, "compute", -1, &fd->compute_text);
			fi++;
		} else if (split_kind(s->name, "check", &rest) && ci < f->nchecks) {
			struct check *c = &f->checks[ci++];

			c->rule = parse_expr_key(L, L->fs, f, s, "rule", -1, &c->rule_text);
			if (c->rule)
				expr_each_ref(c->rule, collect_ref, c);
		}
	}
}

struct deps {
	int *v;
	int n, cap;
};

static void add_dep(void *ctx, int id)
{
	struct deps *d = ctx;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->v = xreallocarray(d->v, (size_t)d->cap, sizeof *d->v);
	}
	d->v[d->n++] = id;
}

/* Orders computed fields so inputs come first; reports a cycle with its path. */
static void order_computed(struct loader *L, struct form *f)
{
	int n = f->nfields;
	int *state = xcalloc((size_t)n, sizeof *state); /* 0 new, 1 on stack, 2 done */
	int *stack = xcalloc((size_t)n + 1, sizeof *stack);
	struct deps *deps = xcalloc((size_t)n, sizeof *deps);

	f->compute_order = xcalloc((size_t)n, sizeof *f->compute_order);
	for (int i = 0; i < n; i++)
		if (f->fields[i].compute)
			expr_each_ref(f->fields[i].compute, add_dep, &deps[i]);
	for (int root = 0; root < n; root++) {
		int depth = 0;
		int *next = NULL;

		if (!f->fields[root].compute || state[root])
			continue;
		next = xcalloc((size_t)n + 1, sizeof *next);
		stack[depth++] = root;
		state[root] = 1;
		while (depth > 0) {
			int top = stack[depth - 1];

			if (next[depth - 1] < deps[top].n) {
				int d = deps[top].v[next[depth - 1]++];

				if (!f->fields[d].compute || state[d] == 2)
					continue;
				if (state[d] == 1) {
					struct strbuf path;
					int from = 0;

					sb_init(&path);
					while (stack[from] != d)
						from++;
					for (int k = from; k < depth; k++)
						sb_addf(&path, "%s -> ", f->fields[stack[k]].code);
					sb_add(&path, f->fields[d].code);
					diag_add(L->diags, L->file, f->fields[d].line,
						 _("computed fields form a cycle: %s"), sb_str(&path));
					L->errors++;
					sb_free(&path);
					/* Mark the cycle done so it is reported once. */
					for (int k = from; k < depth; k++)
						state[stack[k]] = 2;
					depth = from;
					continue;
				}
				state[d] = 1;
				next[depth] = 0;
				stack[depth++] = d;
			} else {
				if (state[top] == 1)
					f->compute_order[f->ncompute++] = top;
				state[top] = 2;
				depth--;
			}
		}
		free(next);
	}
	for (int i = 0; i < n; i++)
		free(deps[i].v);
	free(deps);
	free(stack);
	free(state);
}

/* ---- units ----------------------------------------------------------------- */

static void load_units(struct loader *L, const struct ini_file *ini)
{
	struct formset *fs = L->fs;
	int townships = 0;
	const char *prefix = NULL;

	free(fs->units_file);
	fs->units_file = xstrdup(ini->path);
	sha256_hex(ini->sha256, fs->units_hash);
	/* The township's code first: villages listed before it are checked against it too. */
	for (int i = 0; i < ini->nsections && !prefix; i++) {
		const char *code;

		if (split_kind(ini->sections[i].name, "township", &code) && (all_digits(code, 9) || all_digits(code, 12)))
			prefix = code;
	}
	for (int i = 0; i < ini->nsections; i++) {
		const struct ini_section *s = &ini->sections[i];
		const char *code;
		enum unit_kind kind;
		struct unit *u;

		if (split_kind(s->name, "township", &code)) {
			kind = UK_TOWNSHIP;
			check_keys_of(L, s, KEYSET(township_keys));
			if (!all_digits(code, 9) && !all_digits(code, 12))
				problem(L, s->line, _("township code '%s' must be the 9- or 12-digit division code"), code);
			if (++townships > 1)
				problem(L, s->line, "%s", _("a units file names exactly one township"));
		} else if (split_kind(s->name, "village", &code)) {
			kind = UK_VILLAGE;
			check_keys_of(L, s, KEYSET(village_keys));
			if (!all_digits(code, 12))
				problem(L, s->line, _("village code '%s' must be the 12-digit division code"), code);
			else if (prefix && strncmp(code, prefix, 9) != 0)
				problem(L, s->line, _("village code '%s' does not start with the township's code %.9s"), code, prefix);
		} else if (split_kind(s->name, "department", &code)) {
			const char *role = key_value(s, "role");

			kind = UK_DEPARTMENT;
			check_keys_of(L, s, KEYSET(department_keys));
			if (!unit_code_valid(code))
				problem(L, s->line, _("department code '%s': use a-z, 0-9, '_' and '-', at most %d characters"),
					code, UNIT_CODE_MAX);
			if (role && !is_code_name(role, CODE_MAX))
				problem(L, key_line(s, "role"), _("role '%s': use a-z, 0-9 and '_', starting with a letter"), role);
			else if (role && (strcmp(role, "village") == 0 || strcmp(role, "township") == 0))
				problem(L, key_line(s, "role"), _("role '%s' is reserved; name the department's own role"), role);
		} else {
			problem(L, s->line, _("unknown section [%s]: a units file has [township.CODE], [village.CODE] and [department.CODE]"),
				s->name);
			continue;
		}
		for (int j = 0; j < fs->nunits; j++) {
			if (strcmp(fs->units[j].code, code) == 0) {
				problem(L, s->line, _("unit code '%s' is used twice; the first is on line %d"), code, fs->units[j].line);
				code = NULL;
				break;
			}
		}
		if (!code)
			continue;
		fs->units = xreallocarray(fs->units, (size_t)fs->nunits + 1, sizeof *fs->units);
		u = &fs->units[fs->nunits++];
		memset(u, 0, sizeof *u);
		u->code = xstrdup(code);
		u->kind = kind;
		u->line = s->line;
		u->name = xstrdup(key_value(s, "name") ? key_value(s, "name") : code);
		u->name_en = dup_or_null(key_value(s, "name_en"));
		u->role = dup_or_null(key_value(s, "role"));
		u->dhis2 = dup_or_null(key_value(s, "dhis2"));
		if (u->dhis2 && !valid_dhis2_code(u->dhis2))
			problem(L, key_line(s, "dhis2"), _("bad DHIS2 code '%s': letters, digits, '_', '-', '.' only, at most 50"), u->dhis2);
		for (int j = 0; u->dhis2 && j < fs->nunits - 1; j++)
			if (fs->units[j].dhis2 && strcmp(fs->units[j].dhis2, u->dhis2) == 0)
				problem(L, key_line(s, "dhis2"), _("DHIS2 code '%s' is also used by unit %s (line %d)"), u->dhis2,
					fs->units[j].code, fs->units[j].line);
	}
	if (townships == 0)
		problem(L, 0, "%s", _("the units file names no [township.CODE]"));
}

/* ---- the set --------------------------------------------------------------- */

enum file_kind { FK_NONE, FK_FORM, FK_UNITS, FK_BOTH };

static enum file_kind kind_of(const struct ini_file *ini)
{
	bool form = false, units = false;
	const char *rest;

	for (int i = 0; i < ini->nsections; i++) {
		const char *n = ini->sections[i].name;

		if (strcmp(n, "form") == 0)
			form = true;
		else if (split_kind(n, "township", &rest) || split_kind(n, "village", &rest) ||
			 split_kind(n, "department", &rest))
			units = true;
	}
	if (form && units)
		return FK_BOTH;
	return form ? FK_FORM : units ? FK_UNITS : FK_NONE;
}

/* The line of a key of [form] (of [form] itself when the key is missing). */
static int form_key_line(const struct ini_file *ini, const char *key)
{
	for (int i = 0; i < ini->nsections; i++)
		if (strcmp(ini->sections[i].name, "form") == 0)
			return key_line(&ini->sections[i], key);
	return 0;
}

static int load_set(const char *const *paths, int n, struct formset *fs, struct diag_list *diags)
{
	struct loader L = { fs, diags, 0, NULL };
	struct ini_file *inis = xcalloc((size_t)n, sizeof *inis);
	enum file_kind *kinds = xcalloc((size_t)n, sizeof *kinds);
	int *form_of = xcalloc((size_t)n, sizeof *form_of);
	int units_files = 0;

	for (int i = 0; i < n; i++) {
		L.file = paths[i];
		form_of[i] = -1;
		if (ini_load(paths[i], &inis[i], diags) != 0) {
			L.errors++;
			continue;
		}
		kinds[i] = kind_of(&inis[i]);
		if (kinds[i] == FK_NONE) {
			problem(&L, 0, "%s", _("neither a form (no [form] section) nor a units file (no [township.CODE])"));
		} else if (kinds[i] == FK_BOTH) {
			problem(&L, 0, "%s", _("both a form ([form]) and a units file ([township.CODE], [village.CODE] or "
					       "[department.CODE]): put the units in units.ini"));
		} else if (kinds[i] == FK_UNITS) {
			if (units_files++ == 0)
				load_units(&L, &inis[i]);
			else
				problem(&L, 0, _("a second units file; the units are already read from %s"), fs->units_file);
		}
	}
	if (units_files == 0) {
		L.file = fs->dir ? fs->dir : (n > 0 ? paths[0] : "");
		problem(&L, 0, "%s", _("no units file: put units.ini (the township, its villages and departments) beside the forms"));
	}
	/* Forms: structure first, so that pass 2 can name fields of every form. */
	for (int i = 0; i < n; i++) {
		if (kinds[i] != FK_FORM)
			continue;
		L.file = paths[i];
		fs->forms = xreallocarray(fs->forms, (size_t)fs->nforms + 1, sizeof *fs->forms);
		load_form(&L, &inis[i], &fs->forms[fs->nforms]);
		form_of[i] = fs->nforms++;
	}
	for (int i = 0; i < n; i++) {
		struct form *f;

		if (form_of[i] < 0)
			continue;
		f = &fs->forms[form_of[i]];
		L.file = paths[i];
		for (int j = 0; j < form_of[i]; j++) {
			if (fs->forms[j].id[0] && strcmp(fs->forms[j].id, f->id) == 0)
				problem(&L, form_key_line(&inis[i], "id"), _("form id '%s' is also used by %s"), f->id,
					fs->forms[j].file);
		}
		for (int k = 0; k < f->nfields; k++) {
			for (int j = 0; j < form_of[i]; j++) {
				int other = form_field_index(&fs->forms[j], f->fields[k].code);

				if (other >= 0)
					problem(&L, f->fields[k].line, _("field code '%s' is also defined in %s:%d; codes must be unique across forms"),
						f->fields[k].code, fs->forms[j].file, fs->forms[j].fields[other].line);
			}
			/* Two fields under one DHIS2 code would overwrite each other at the county. */
			for (int j = 0; j <= form_of[i] && f->fields[k].dhis2; j++) {
				const struct form *o = &fs->forms[j];

				for (int m = 0; m < (j == form_of[i] ? k : o->nfields); m++) {
					if (o->fields[m].dhis2 && strcmp(o->fields[m].dhis2, f->fields[k].dhis2) == 0)
						problem(&L, f->fields[k].line, _("DHIS2 code '%s' is also used by field '%s' (%s:%d)"),
							f->fields[k].dhis2, o->fields[m].code, o->file, o->fields[m].line);
				}
			}
		}
		load_form_exprs(&L, &inis[i], f);
		order_computed(&L, f);
		if (units_files && f->reported_by[0] && strcmp(f->reported_by, "village") != 0 &&
		    strcmp(f->reported_by, "township") != 0) {
			bool found = false;

			for (int u = 0; u < fs->nunits; u++)
				if (fs->units[u].role && strcmp(fs->units[u].role, f->reported_by) == 0)
					found = true;
			if (!found)
				problem(&L, form_key_line(&inis[i], "reported_by"),
					_("no department in %s has role '%s', so nobody reports this form"),
					fs->units_file ? fs->units_file : "units.ini", f->reported_by);
		}
	}
	for (int i = 0; i < n; i++)
		ini_free(&inis[i]);
	free(inis);
	free(kinds);
	free(form_of);
	diag_sort(diags);
	return L.errors ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int formset_load_dir(const char *dir, struct formset *fs, struct diag_list *diags)
{
	DIR *d;
	struct dirent *de;
	char **paths = NULL;
	int n = 0, rc;

	memset(fs, 0, sizeof *fs);
	fs->dir = xstrdup(dir);
	d = opendir(dir);
	if (!d) {
		diag_add(diags, dir, 0, _("cannot open the forms directory: %s"), strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !str_ends(de->d_name, ".ini"))
			continue;
		paths = xreallocarray(paths, (size_t)n + 1, sizeof *paths);
		paths[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	/* File name order is the order forms are listed in. (No .ini file: paths is NULL,
	 * which qsort must not be given even with n == 0.) */
	if (n > 1)
		qsort(paths, (size_t)n, sizeof *paths, cmp_str);
	rc = load_set((const char *const *)paths, n, fs, diags);
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

int formset_load_files(const char *const *paths, int n, struct formset *fs, struct diag_list *diags)
{
	const char **all = xcalloc((size_t)n + 1, sizeof *all);
	char *beside = NULL;
	int m = 0, rc;
	bool has_units = false;

	memset(fs, 0, sizeof *fs);
	for (int i = 0; i < n; i++) {
		all[m++] = paths[i];
		if (str_ends(paths[i], "units.ini"))
			has_units = true;
	}
	if (!has_units && n > 0) {
		const char *slash = strrchr(paths[0], '/');

		beside = slash ? xasprintf("%.*s/units.ini", (int)(slash - paths[0]), paths[0]) : xstrdup("units.ini");
		if (access(beside, R_OK) == 0)
			all[m++] = beside;
	}
	rc = load_set(all, m, fs, diags);
	free(beside);
	free(all);
	return rc;
}

static void free_field(struct field *fd)
{
	free(fd->code);
	free(fd->label);
	free(fd->label_en);
	free(fd->unit);
	for (int i = 0; i < fd->nchoices; i++) {
		free(fd->choices[i].label);
		free(fd->choices[i].label_en);
	}
	free(fd->choices);
	free(fd->help);
	free(fd->help_en);
	expr_free(fd->skip_if);
	free(fd->skip_if_text);
	expr_free(fd->compute);
	free(fd->compute_text);
	free(fd->target.text);
	free(fd->target.source);
	free(fd->target.source_en);
	free(fd->dhis2);
}

void formset_free(struct formset *fs)
{
	for (int i = 0; i < fs->nforms; i++) {
		struct form *f = &fs->forms[i];

		for (int j = 0; j < f->nfields; j++)
			free_field(&f->fields[j]);
		free(f->fields);
		for (int j = 0; j < f->nsections; j++) {
			free(f->sections[j].name);
			free(f->sections[j].label);
			free(f->sections[j].label_en);
			free(f->sections[j].help);
			free(f->sections[j].help_en);
			expr_free(f->sections[j].skip_if);
			free(f->sections[j].skip_if_text);
		}
		free(f->sections);
		for (int j = 0; j < f->nchecks; j++) {
			free(f->checks[j].name);
			expr_free(f->checks[j].rule);
			free(f->checks[j].rule_text);
			free(f->checks[j].message);
			free(f->checks[j].message_en);
			free(f->checks[j].fields);
		}
		free(f->checks);
		free(f->compute_order);
		free(f->id);
		free(f->title);
		free(f->title_en);
		free(f->reported_by);
		free(f->help);
		free(f->help_en);
		free(f->file);
	}
	free(fs->forms);
	for (int i = 0; i < fs->nunits; i++) {
		free(fs->units[i].code);
		free(fs->units[i].name);
		free(fs->units[i].name_en);
		free(fs->units[i].role);
		free(fs->units[i].dhis2);
	}
	free(fs->units);
	free(fs->units_file);
	free(fs->dir);
	memset(fs, 0, sizeof *fs);
}

const struct form *formset_find_form(const struct formset *fs, const char *id)
{
	for (int i = 0; i < fs->nforms; i++)
		if (strcmp(fs->forms[i].id, id) == 0)
			return &fs->forms[i];
	return NULL;
}

const struct unit *formset_find_unit(const struct formset *fs, const char *code)
{
	for (int i = 0; i < fs->nunits; i++)
		if (strcmp(fs->units[i].code, code) == 0)
			return &fs->units[i];
	return NULL;
}

const struct unit *formset_township(const struct formset *fs)
{
	for (int i = 0; i < fs->nunits; i++)
		if (fs->units[i].kind == UK_TOWNSHIP)
			return &fs->units[i];
	return NULL;
}

const struct form *formset_form_of_field(const struct formset *fs, const char *code, int *index)
{
	for (int i = 0; i < fs->nforms; i++) {
		int k = form_field_index(&fs->forms[i], code);

		if (k >= 0) {
			if (index)
				*index = k;
			return &fs->forms[i];
		}
	}
	return NULL;
}

int form_field_index(const struct form *f, const char *code)
{
	for (int i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].code, code) == 0)
			return i;
	return -1;
}

bool form_applies_to(const struct form *f, const struct unit *u)
{
	switch (u->kind) {
	case UK_VILLAGE:
		return strcmp(f->reported_by, "village") == 0;
	case UK_TOWNSHIP:
		return strcmp(f->reported_by, "township") == 0;
	case UK_DEPARTMENT:
		return u->role && strcmp(f->reported_by, u->role) == 0;
	}
	return false;
}

/* ---- periods --------------------------------------------------------------- */

/* DHIS2 period codes: 2026, 2026Q1, 202603. Years from 1990 to 2100. */
static int year_of(const char *p)
{
	int y = 0;

	for (int i = 0; i < 4; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		y = y * 10 + (p[i] - '0');
	}
	return y >= 1990 && y <= 2100 ? y : -1;
}

int period_type_of(const char *p)
{
	size_t n = strlen(p);

	if (year_of(p) < 0)
		return -1;
	if (n == 4)
		return PT_YEAR;
	if (n == 6 && p[4] == 'Q' && p[5] >= '1' && p[5] <= '4')
		return PT_QUARTER;
	if (n == 6 && ((p[4] == '0' && p[5] >= '1' && p[5] <= '9') || (p[4] == '1' && p[5] >= '0' && p[5] <= '2')))
		return PT_MONTH;
	return -1;
}

bool period_valid(const char *p, enum period_type t)
{
	return period_type_of(p) == (int)t;
}

bool period_previous(const char *p, char out[16])
{
	int t = period_type_of(p), y;

	if (t < 0)
		return false;
	y = year_of(p);
	if (t == PT_YEAR) {
		if (y - 1 < 1990)
			return false;
		snprintf(out, 16, "%04d", y - 1);
	} else if (t == PT_QUARTER) {
		int q = p[5] - '0';

		if (q == 1 && y - 1 < 1990)
			return false;
		if (q == 1)
			snprintf(out, 16, "%04dQ4", y - 1);
		else
			snprintf(out, 16, "%04dQ%d", y, q - 1);
	} else {
		int m = (p[4] - '0') * 10 + (p[5] - '0');

		if (m == 1 && y - 1 < 1990)
			return false;
		if (m == 1)
			snprintf(out, 16, "%04d12", y - 1);
		else
			snprintf(out, 16, "%04d%02d", y, m - 1);
	}
	return true;
}
