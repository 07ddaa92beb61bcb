/* load_form.c - one form's definition file: its form, sections, fields and checks, and
 * the expressions among them (see load_form.h). */
#include "forms/load_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/number.h"
#include "lib/sha256.h"
#include "lib/str.h"
#include "lib/text.h"

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
	{ "target_source_en", false, true }, { "dhis2", false, false }, { "prefill", false, false },
};

static const struct keydef check_keys[] = {
	{ "rule", true, false }, { "message", true, true }, { "message_en", false, true },
	{ "severity", false, false },
};

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
		loader_suggest(hint, sizeof hint, name, names, n);
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
		loader_problem(L, k->line, _("%s of [%s]: %s"), key, s->name, e.msg);
		return NULL;
	}
	if (text_out)
		*text_out = xstrdup(k->value);
	return x;
}


static void parse_choices(struct loader *L, struct field *fd, const struct ini_section *s)
{
	const char *v = loader_key(s, "choices");
	const char *ven = loader_key(s, "choices_en");
	int line = loader_key_line(s, "choices");
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
			loader_problem(L, line, _("choice '%s' needs the form CODE=LABEL, e.g. 1=是"), item);
			continue;
		}
		*eq = '\0';
		str_trim(item);
		if (!loader_small_int(item, 0, 999, &code)) {
			loader_problem(L, line, _("choice code '%s' must be a whole number from 0 to 999"), item);
			continue;
		}
		for (int i = 0; i < fd->nchoices; i++) {
			if (fd->choices[i].code == code) {
				loader_problem(L, line, _("choice code %d is listed twice"), code);
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
			loader_problem(L, line, _("choice %d has no label"), code);
		fd->nchoices++;
	}
	free(copy);
	/* Not when every item was already reported as bad. */
	if (fd->nchoices == 0 && L->errors == errors_before)
		loader_problem(L, line, "%s", _("'choices' lists no choice"));
	if (!ven)
		return;
	copy = xstrdup(ven);
	for (item = strtok_r(copy, "|", &save); item; item = strtok_r(NULL, "|", &save)) {
		char *eq = strchr(item, '=');
		int code, i;

		if (!eq || (*eq = '\0', !loader_small_int(str_trim(item), 0, 999, &code))) {
			loader_problem(L, loader_key_line(s, "choices_en"), _("choices_en item '%s' needs the form CODE=LABEL"), str_trim(item));
			continue;
		}
		for (i = 0; i < fd->nchoices && fd->choices[i].code != code; i++)
			;
		if (i == fd->nchoices) {
			loader_problem(L, loader_key_line(s, "choices_en"), _("choices_en names code %d, which 'choices' does not have"), code);
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
	fd->label = xstrdup(loader_key(s, "label") ? loader_key(s, "label") : code);
	fd->label_en = loader_dup(loader_key(s, "label_en"));
	fd->unit = xstrdup(loader_key(s, "unit") ? loader_key(s, "unit") : "");
	fd->help = loader_dup(loader_key(s, "help"));
	fd->help_en = loader_dup(loader_key(s, "help_en"));
	fd->required = !computed;
	fd->decimals = -1;
	fd->max_length = 100;
	fd->type = FT_INTEGER;
	if (!is_code_name(code, CODE_MAX))
		loader_problem(L, s->line, _("invalid field code '%s': use a-z, 0-9 and '_', starting with a letter, at most %d characters"),
			code, CODE_MAX);
	v = loader_key(s, "type");
	if (v) {
		size_t i;

		for (i = 0; i < ARRAY_LEN(types) && strcmp(types[i], v) != 0; i++)
			;
		if (i == ARRAY_LEN(types)) {
			char hint[96];

			loader_suggest(hint, sizeof hint, v, types, ARRAY_LEN(types));
			loader_problem(L, loader_key_line(s, "type"), _("unknown type '%s' (use integer, decimal, yesno, choice, text or date)%s"),
				v, hint);
		} else {
			fd->type = (enum field_type)i;
		}
	}
	if (computed && fd->type != FT_INTEGER && fd->type != FT_DECIMAL)
		loader_problem(L, loader_key_line(s, "type"), "%s", _("a computed field must be of type integer or decimal"));
	v = loader_key(s, "required");
	if (v) {
		if (!loader_yes_no(v, &fd->required))
			loader_problem(L, loader_key_line(s, "required"), _("required must be yes or no, not '%s'"), v);
		else if (computed)
			loader_problem(L, loader_key_line(s, "required"), "%s", _("a computed field is never typed in, so 'required' does not apply"));
	}
	v = loader_key(s, "range");
	if (v) {
		if (!parse_range(v, &fd->hard))
			loader_problem(L, loader_key_line(s, "range"), _("bad range '%s': write MIN..MAX with MIN <= MAX, e.g. 0..100, 3.. or ..7"), v);
		else if (computed)
			loader_problem(L, loader_key_line(s, "range"), "%s", _("a computed field cannot reject a value: use soft_range to warn"));
		else if (!field_is_numeric(fd) || fd->type == FT_YESNO || fd->type == FT_CHOICE)
			loader_problem(L, loader_key_line(s, "range"), _("range does not apply to a field of type %s"), field_type_name(fd->type));
	}
	v = loader_key(s, "soft_range");
	if (v) {
		if (!parse_range(v, &fd->soft))
			loader_problem(L, loader_key_line(s, "soft_range"), _("bad soft_range '%s': write MIN..MAX with MIN <= MAX, e.g. 0..100, 3.. or ..7"), v);
		else if (!field_is_numeric(fd) || fd->type == FT_YESNO || fd->type == FT_CHOICE)
			loader_problem(L, loader_key_line(s, "soft_range"), _("soft_range does not apply to a field of type %s"), field_type_name(fd->type));
	}
	v = loader_key(s, "decimals");
	if (v) {
		if (!loader_small_int(v, 0, 6, &fd->decimals))
			loader_problem(L, loader_key_line(s, "decimals"), _("decimals must be a whole number from 0 to 6, not '%s'"), v);
		else if (fd->type != FT_DECIMAL)
			loader_problem(L, loader_key_line(s, "decimals"), _("decimals does not apply to a field of type %s"), field_type_name(fd->type));
	}
	if (fd->decimals < 0)
		fd->decimals = fd->type == FT_DECIMAL ? (computed ? 1 : 2) : 0;
	v = loader_key(s, "max_length");
	if (v) {
		if (!loader_small_int(v, 1, TEXT_MAX_CHARS, &fd->max_length))
			loader_problem(L, loader_key_line(s, "max_length"), _("max_length must be a whole number from 1 to %d, not '%s'"),
				TEXT_MAX_CHARS, v);
		else if (fd->type != FT_TEXT)
			loader_problem(L, loader_key_line(s, "max_length"), _("max_length does not apply to a field of type %s"), field_type_name(fd->type));
	}
	v = loader_key(s, "prefill");
	if (v) {
		if (strcmp(v, "operator") == 0 && fd->type == FT_TEXT && !computed)
			fd->prefill = PF_OPERATOR;
		else if (strcmp(v, "today") == 0 && fd->type == FT_DATE && !computed)
			fd->prefill = PF_TODAY;
		else
			loader_problem(L, loader_key_line(s, "prefill"),
				_("prefill must be 'operator' (a text field) or 'today' (a date field), not '%s' on a field of type %s"), v,
				computed ? _("computed") : field_type_name(fd->type));
	}
	if (fd->type == FT_CHOICE) {
		if (!ini_find_key(s, "choices"))
			loader_problem(L, s->line, _("[%s] is of type choice but has no 'choices'"), s->name);
		else
			parse_choices(L, fd, s);
	} else if (ini_find_key(s, "choices") || ini_find_key(s, "choices_en")) {
		loader_problem(L, loader_key_line(s, "choices"), _("choices only apply to a field of type choice, not %s"),
			field_type_name(fd->type));
	}
	v = loader_key(s, "target");
	if (v) {
		fd->target.text = xstrdup(v);
		if (!parse_target(v, &fd->target))
			loader_problem(L, loader_key_line(s, "target"), _("bad target '%s': write >= N, > N, <= N, < N or MIN..MAX"), v);
		else if (!field_is_numeric(fd) || fd->type == FT_CHOICE)
			loader_problem(L, loader_key_line(s, "target"), _("a target does not apply to a field of type %s"), field_type_name(fd->type));
		if (!loader_key(s, "target_source") || !*loader_key(s, "target_source"))
			loader_problem(L, loader_key_line(s, "target"), "%s", _("a target needs target_source: the document it comes from"));
	} else if (ini_find_key(s, "target_source")) {
		loader_problem(L, loader_key_line(s, "target_source"), "%s", _("target_source is given but there is no target"));
	}
	fd->target.source = loader_dup(loader_key(s, "target_source"));
	fd->target.source_en = loader_dup(loader_key(s, "target_source_en"));
	v = loader_key(s, "dhis2");
	if (v) {
		if (!loader_dhis2_code_valid(v))
			loader_problem(L, loader_key_line(s, "dhis2"), _("bad DHIS2 code '%s': letters, digits, '_', '-', '.' only, at most 50"), v);
		fd->dhis2 = xstrdup(v);
	}
}

/* The [form] section: id, titles, who reports it, its period and version. */
static void load_head(struct loader *L, const struct ini_section *head, struct form *f)
{
	const char *v;

	loader_check_keys(L, head, KEYSET(form_keys));
	v = loader_key(head, "id");
	f->id = xstrdup(v ? v : "");
	if (v && !is_code_name(v, CODE_MAX))
		loader_problem(L, loader_key_line(head, "id"), _("invalid form id '%s': use a-z, 0-9 and '_', starting with a letter"), v);
	f->title = xstrdup(loader_key(head, "title") ? loader_key(head, "title") : f->id);
	f->title_en = loader_dup(loader_key(head, "title_en"));
	f->help = loader_dup(loader_key(head, "help"));
	f->help_en = loader_dup(loader_key(head, "help_en"));
	v = loader_key(head, "reported_by");
	f->reported_by = xstrdup(v ? v : "");
	if (v && !is_code_name(v, CODE_MAX))
		loader_problem(L, loader_key_line(head, "reported_by"), _("reported_by must be village, township or a department role such as hc, not '%s'"), v);
	v = loader_key(head, "period");
	if (v) {
		if (strcmp(v, "year") == 0)
			f->period = PT_YEAR;
		else if (strcmp(v, "quarter") == 0)
			f->period = PT_QUARTER;
		else if (strcmp(v, "month") == 0)
			f->period = PT_MONTH;
		else
			loader_problem(L, loader_key_line(head, "period"), _("period must be year, quarter or month, not '%s'"), v);
	}
	v = loader_key(head, "version");
	if (v && !loader_small_int(v, 1, 1000000, &f->version))
		loader_problem(L, loader_key_line(head, "version"), _("version must be a whole number from 1 to 1000000, not '%s'"), v);
}

/* A [section.NAME]; returns its index. */
static int add_section(struct loader *L, struct form *f, const struct ini_section *s, const char *rest)
{
	struct section *sec;

	loader_check_keys(L, s, KEYSET(section_keys));
	if (!is_code_name(rest, CODE_MAX))
		loader_problem(L, s->line, _("invalid section name '%s': use a-z, 0-9 and '_', starting with a letter"), rest);
	f->sections = xreallocarray(f->sections, (size_t)f->nsections + 1, sizeof *f->sections);
	sec = &f->sections[f->nsections];
	memset(sec, 0, sizeof *sec);
	sec->name = xstrdup(rest);
	sec->label = xstrdup(loader_key(s, "label") ? loader_key(s, "label") : rest);
	sec->label_en = loader_dup(loader_key(s, "label_en"));
	sec->help = loader_dup(loader_key(s, "help"));
	sec->help_en = loader_dup(loader_key(s, "help_en"));
	sec->first_field = f->nfields;
	sec->line = s->line;
	return f->nsections++;
}

/* A [field.CODE] in section *cur_section (fields before any [section.*] get an untitled
 * section of their own). */
static void add_field(struct loader *L, struct form *f, const struct ini_section *s, const char *rest, int *cur_section)
{
	struct field *fd;

	loader_check_keys(L, s, KEYSET(field_keys));
	if (*cur_section < 0) {
		f->sections = xreallocarray(f->sections, 1, sizeof *f->sections);
		memset(&f->sections[0], 0, sizeof *f->sections);
		f->sections[0].name = xstrdup("");
		f->sections[0].label = xstrdup("");
		f->sections[0].line = s->line;
		*cur_section = f->nsections++;
	}
	f->fields = xreallocarray(f->fields, (size_t)f->nfields + 1, sizeof *f->fields);
	fd = &f->fields[f->nfields];
	memset(fd, 0, sizeof *fd);
	build_field(L, f, fd, s, rest);
	fd->section = *cur_section;
	f->sections[*cur_section].nfields++;
	f->nfields++;
}

/* A [check.NAME], its expression parsed later (load_form_exprs). */
static void add_check(struct loader *L, struct form *f, const struct ini_section *s, const char *rest)
{
	struct check *c;
	const char *v;

	loader_check_keys(L, s, KEYSET(check_keys));
	if (!is_code_name(rest, CODE_MAX))
		loader_problem(L, s->line, _("invalid check name '%s': use a-z, 0-9 and '_', starting with a letter"), rest);
	f->checks = xreallocarray(f->checks, (size_t)f->nchecks + 1, sizeof *f->checks);
	c = &f->checks[f->nchecks++];
	memset(c, 0, sizeof *c);
	c->name = xstrdup(rest);
	c->line = s->line;
	c->message = xstrdup(loader_key(s, "message") ? loader_key(s, "message") : rest);
	c->message_en = loader_dup(loader_key(s, "message_en"));
	c->is_error = true;
	v = loader_key(s, "severity");
	if (v && strcmp(v, "warning") == 0)
		c->is_error = false;
	else if (v && strcmp(v, "error") != 0)
		loader_problem(L, loader_key_line(s, "severity"), _("severity must be error or warning, not '%s'"), v);
}

/* A section a form file may not have, with a guess at what was meant. */
static void unknown_section(struct loader *L, const struct ini_section *s)
{
	static const char *kinds[] = { "form", "section", "field", "check" };
	char hint[96], guess[80];
	const char *dot = strchr(s->name, '.');

	if (dot) {
		char kind[32];

		snprintf(kind, sizeof kind, "%.*s", (int)(dot - s->name) > 31 ? 31 : (int)(dot - s->name), s->name);
		loader_suggest(guess, sizeof guess, kind, kinds + 1, 3);
	} else {
		loader_suggest(guess, sizeof guess, s->name, kinds, 4);
	}
	snprintf(hint, sizeof hint, "%s", guess);
	loader_problem(L, s->line, _("unknown section [%s]: a form has [form], [section.NAME], [field.CODE] and [check.NAME]%s"),
		       s->name, hint);
}

int load_form(struct loader *L, const struct ini_file *ini, struct form *f)
{
	const struct ini_section *head = NULL;
	int cur_section = -1;

	memset(f, 0, sizeof *f);
	f->file = xstrdup(ini->path);
	sha256_hex(ini->sha256, f->hash);
	for (int i = 0; i < ini->nsections; i++)
		if (strcmp(ini->sections[i].name, "form") == 0)
			head = &ini->sections[i];
	load_head(L, head, f);
	/* Sections, fields and checks in file order, without expressions. */
	for (int i = 0; i < ini->nsections; i++) {
		const struct ini_section *s = &ini->sections[i];
		const char *rest;

		if (s == head)
			continue;
		if (loader_split_kind(s->name, "section", &rest))
			cur_section = add_section(L, f, s, rest);
		else if (loader_split_kind(s->name, "field", &rest))
			add_field(L, f, s, rest, &cur_section);
		else if (loader_split_kind(s->name, "check", &rest))
			add_check(L, f, s, rest);
		else
			unknown_section(L, s);
	}
	if (f->nfields == 0)
		loader_problem(L, head->line, "%s", _("the form has no fields: add [field.CODE] sections"));
	for (int i = 0; i < f->nsections; i++)
		if (f->sections[i].nfields == 0)
			loader_problem(L, f->sections[i].line, _("[section.%s] has no fields: put [field.CODE] sections after it, or remove it"),
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
void load_form_exprs(struct loader *L, const struct ini_file *ini, struct form *f)
{
	int fi = 0, si = 0, ci = 0;

	for (int i = 0; i < ini->nsections; i++) {
		const struct ini_section *s = &ini->sections[i];
		const char *rest;

		if (loader_split_kind(s->name, "section", &rest) && si < f->nsections) {
			struct section *sec = &f->sections[si];

			/* An untitled leading section has no INI section of its own. */
			if (sec->name[0] == '\0' && si + 1 < f->nsections)
				sec = &f->sections[++si];
			sec->skip_if = parse_expr_key(L, L->fs, f, s, "skip_if", sec->first_field, &sec->skip_if_text);
			si++;
		} else if (loader_split_kind(s->name, "field", &rest) && fi < f->nfields) {
			struct field *fd = &f->fields[fi];

			fd->skip_if = parse_expr_key(L, L->fs, f, s, "skip_if", fi, &fd->skip_if_text);
			fd->compute = parse_expr_key(L, L->fs, f, s, "compute", -1, &fd->compute_text);
			fi++;
		} else if (loader_split_kind(s->name, "check", &rest) && ci < f->nchecks) {
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
void order_computed(struct loader *L, struct form *f)
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
