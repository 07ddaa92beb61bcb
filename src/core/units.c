/* units.c - changing the township's units, checked before written (see units.h). */
#include "core/units.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "forms/load.h"
#include "forms/units_write.h"
#include "lib/diag.h"
#include "lib/file.h"
#include "lib/gbk_table.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/strlist.h"
#include "lib/text.h"
#include "store/store.h"
#include "store/values.h"

#define UNITS_FILE_MAX (1u << 20)

/* One change in the making: the folder's set as it is, and the units as they will be. */
struct edit {
	const char *dir;
	struct formset fs;
	char *header;
	struct unit *units;
	int n;
};

static void unit_free(struct unit *u)
{
	free(u->code);
	free(u->name);
	free(u->name_en);
	free(u->role);
	free(u->dhis2);
}

static void edit_free(struct edit *ed)
{
	for (int i = 0; i < ed->n; i++)
		unit_free(&ed->units[i]);
	free(ed->units);
	free(ed->header);
	formset_free(&ed->fs);
	memset(ed, 0, sizeof *ed);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static struct unit *edit_append(struct edit *ed)
{
	struct unit *u;

	ed->units = xreallocarray(ed->units, (size_t)ed->n + 1, sizeof *ed->units);
	u = &ed->units[ed->n++];
	memset(u, 0, sizeof *u);
	return u;
}

static struct unit *edit_find(struct edit *ed, const char *code)
{
	for (int i = 0; i < ed->n; i++)
		if (strcmp(ed->units[i].code, code) == 0)
			return &ed->units[i];
	return NULL;
}

static struct unit *edit_find_name(struct edit *ed, const char *name)
{
	for (int i = 0; i < ed->n; i++)
		if (strcmp(ed->units[i].name, name) == 0)
			return &ed->units[i];
	return NULL;
}

static const struct unit *edit_township(const struct edit *ed)
{
	for (int i = 0; i < ed->n; i++)
		if (ed->units[i].kind == UK_TOWNSHIP)
			return &ed->units[i];
	return NULL;
}

/* Steps 1 and 2 of units.h: the folder, its set loaded clean, its units copied. */
static int edit_begin(struct app *app, struct edit *ed, struct units_result *res, struct err *e)
{
	enum forms_source before = app_forms_source(app);
	struct diag_list diags;
	char *text;
	size_t len;

	memset(ed, 0, sizeof *ed);
	memset(res, 0, sizeof *res);
	if (app_writable_forms_dir(app, &ed->dir, e) != 0)
		return -1;
	res->copied = before == FORMS_SYSTEM || before == FORMS_DEFAULTS;
	diag_init(&diags);
	if (formset_load_dir(ed->dir, &ed->fs, &diags) != 0) {
		err_set(e, _("the forms in %s have %d problem(s), so the units are not changed: run 'tianbao check-forms %s' and fix them first"),
			ed->dir, diags.n, ed->dir);
		diag_free(&diags);
		formset_free(&ed->fs);
		return -1;
	}
	diag_free(&diags);
	res->file = xstrdup(ed->fs.units_file);
	text = read_file(ed->fs.units_file, UNITS_FILE_MAX, &len, e);
	if (!text) {
		formset_free(&ed->fs);
		return -1;
	}
	ed->header = units_ini_header(text);
	free(text);
	for (int i = 0; i < ed->fs.nunits; i++) {
		const struct unit *from = &ed->fs.units[i];
		struct unit *u = edit_append(ed);

		u->code = xstrdup(from->code);
		u->name = xstrdup(from->name);
		u->name_en = dup_or_null(from->name_en);
		u->role = dup_or_null(from->role);
		u->dhis2 = dup_or_null(from->dhis2);
		u->kind = from->kind;
	}
	return 0;
}

/* s with each `from` replaced by `to` (a temporary file's name by the one it stands for). */
static char *replace_all(const char *s, const char *from, const char *to)
{
	struct strbuf sb;
	const char *p;

	sb_init(&sb);
	while ((p = strstr(s, from))) {
		sb_addn(&sb, s, (size_t)(p - s));
		sb_add(&sb, to);
		s = p + strlen(from);
	}
	sb_add(&sb, s);
	return sb_take(&sb);
}

/* Steps 4 and 5 of units.h. */
static int edit_commit(struct edit *ed, struct units_result *res, struct err *e)
{
	char *text = units_ini_text(ed->header, ed->units, ed->n);
	char *tmp = xasprintf("%s/.units.%ld.units.ini", ed->dir, (long)getpid());
	const char *units_file = ed->fs.units_file;
	struct atomic_file af;
	struct diag_list diags;
	struct formset check;
	const char **paths = NULL;
	int npaths = 0, rc;
	DIR *d;
	struct dirent *de;

	unlink(tmp);   /* left by this process id before, killed half-way */
	if (atomic_open(&af, units_file, tmp, ATOMIC_REPLACE) != 0 || write_all(af.fd, text, strlen(text)) != 0) {
		err_set(e, _("cannot write %s: %s"), tmp, strerror(errno));
		if (af.fd >= 0)
			atomic_abort(&af);
		free(text);
		free(tmp);
		return -1;
	}
	free(text);
	/* The folder's forms as they are, with the new units file instead of the old. */
	d = opendir(ed->dir);
	while (d && (de = readdir(d))) {
		char *p;

		if (de->d_name[0] == '.' || !str_ends(de->d_name, ".ini"))
			continue;
		p = xasprintf("%s/%s", ed->dir, de->d_name);
		if (strcmp(p, units_file) == 0) {
			free(p);
			continue;
		}
		paths = xreallocarray(paths, (size_t)npaths + 2, sizeof *paths);
		paths[npaths++] = p;
	}
	if (d)
		closedir(d);
	paths = xreallocarray(paths, (size_t)npaths + 1, sizeof *paths);
	paths[npaths++] = af.tmp;
	diag_init(&diags);
	rc = formset_load_files(paths, npaths, &check, &diags);
	formset_free(&check);
	for (int i = 0; i < npaths - 1; i++)
		free((char *)paths[i]);
	free(paths);
	if (rc != 0) {
		struct strbuf sb;

		sb_init(&sb);
		for (int i = 0; i < diags.n && i < 3; i++) {
			char *msg = replace_all(diags.v[i].msg, tmp, units_file);

			sb_addf(&sb, "%s%s", i ? "; " : "", msg);
			free(msg);
		}
		err_set(e, _("nothing was changed: with this change the forms would have %d problem(s): %s"), diags.n,
			sb_str(&sb));
		sb_free(&sb);
		diag_free(&diags);
		atomic_abort(&af);
		free(tmp);
		return -1;
	}
	diag_free(&diags);
	free(tmp);
	if (atomic_commit(&af) != 0) {
		err_set(e, _("cannot write %s: %s"), units_file, strerror(errno));
		return -1;
	}
	res->written = true;
	return 0;
}

/* The roles the forms are reported by: a department must have one of them. */
static bool role_known(const struct formset *fs, const char *role, struct strbuf *known)
{
	bool found = false;

	for (int i = 0; i < fs->nforms; i++) {
		const char *r = fs->forms[i].reported_by;
		bool seen = false;

		if (strcmp(r, "village") == 0 || strcmp(r, "township") == 0)
			continue;
		if (strcmp(r, role) == 0)
			found = true;
		for (int j = 0; j < i; j++)
			if (strcmp(fs->forms[j].reported_by, r) == 0)
				seen = true;
		if (!seen)
			sb_addf(known, "%s%s", known->len ? ", " : "", r);
	}
	return found;
}

static int check_name(struct edit *ed, const char *name, const char *code, struct err *e)
{
	const struct unit *other;

	if (!units_value_valid(name)) {
		err_set(e, _("the name '%s': write 1 to 64 characters, without quotes, backslashes or control characters"),
			name);
		return -1;
	}
	other = edit_find_name(ed, name);
	if (other && (!code || strcmp(other->code, code) != 0)) {
		err_set(e, _("the name '%s' is already the name of unit %s: give each unit its own name"), name,
			other->code);
		return -1;
	}
	return 0;
}

int units_add(struct app *app, const struct unit_spec *spec, struct units_result *res, struct err *e)
{
	struct edit ed;
	const struct unit *twp;
	struct unit *u;
	enum unit_kind kind;
	size_t n = strlen(spec->code);
	bool digits = n > 0 && strspn(spec->code, "0123456789") == n;
	int rc;

	if (edit_begin(app, &ed, res, e) != 0)
		return -1;
	twp = edit_township(&ed);
	kind = digits && n == 12 ? UK_VILLAGE : UK_DEPARTMENT;
	rc = -1;
	if (edit_find(&ed, spec->code)) {
		err_set(e, _("unit %s is already in %s (%s): to change its name, use 'tianbao units rename %s NAME'"),
			spec->code, res->file, edit_find(&ed, spec->code)->name, spec->code);
	} else if (digits && n == 9) {
		err_set(e, _("%s is a township's code, and there is one township: to change its name, use 'tianbao units rename %s NAME'"),
			spec->code, twp ? twp->code : spec->code);
	} else if (kind == UK_VILLAGE && twp && strncmp(spec->code, twp->code, 9) != 0) {
		err_set(e, _("village code %s is not under the township %s (%.9s): a village's code starts with the township's 9 digits"),
			spec->code, twp->name, twp->code);
	} else if (kind == UK_VILLAGE && spec->role) {
		err_set(e, _("%s is a village's code (12 digits): a village reports the village forms, so it takes no --role"),
			spec->code);
	} else if (kind == UK_DEPARTMENT && digits) {
		err_set(e, _("'%s' is not a village's code: a village has the 12-digit division code (统计用区划代码), a department a short name such as %.9s-hc"),
			spec->code, twp ? twp->code : "360730105");
	} else if (kind == UK_DEPARTMENT && !unit_code_valid(spec->code)) {
		err_set(e, _("department code '%s': use a-z, 0-9, '_' and '-', at most %d characters"), spec->code,
			UNIT_CODE_MAX);
	} else if (kind == UK_DEPARTMENT && !spec->role) {
		err_set(e, _("a department needs --role ROLE: which forms it reports"));
	} else if (check_name(&ed, spec->name, NULL, e) != 0) {
		;
	} else if (spec->name_en && !units_value_valid(spec->name_en)) {
		err_set(e, _("the English name '%s': write 1 to 64 characters, without quotes, backslashes or control characters"),
			spec->name_en);
	} else {
		struct strbuf known;

		sb_init(&known);
		if (kind == UK_DEPARTMENT && !role_known(&ed.fs, spec->role, &known)) {
			err_set(e, _("no form is reported by role '%s': the forms' roles are %s"), spec->role,
				known.len ? sb_str(&known) : _("(none)"));
		} else {
			u = edit_append(&ed);
			u->code = xstrdup(spec->code);
			u->name = xstrdup(spec->name);
			u->name_en = dup_or_null(spec->name_en);
			u->role = dup_or_null(spec->role);
			u->kind = kind;
			res->added = 1;
			rc = edit_commit(&ed, res, e);
		}
		sb_free(&known);
	}
	edit_free(&ed);
	return rc;
}

/* An edit of the unit of that code: NULL with e (and nothing left to free) when the
 * folder cannot be edited or has no such unit. */
static struct unit *edit_begin_unit(struct app *app, const char *code, struct edit *ed, struct units_result *res,
				    struct err *e)
{
	struct unit *u;

	if (edit_begin(app, ed, res, e) != 0)
		return NULL;
	u = edit_find(ed, code);
	if (!u) {
		err_set(e, _("unknown unit '%s': it is not in %s ('tianbao units' lists them)"), code, res->file);
		edit_free(ed);
	}
	return u;
}

int units_rename(struct app *app, const char *code, const char *name, struct units_result *res, struct err *e)
{
	struct edit ed;
	struct unit *u;
	int rc = -1;

	if (!(u = edit_begin_unit(app, code, &ed, res, e)))
		return -1;
	if (strcmp(u->name, name) == 0) {
		res->unchanged = 1;
		rc = 0;
	} else if (check_name(&ed, name, code, e) == 0) {
		free(u->name);
		u->name = xstrdup(name);
		res->renamed = 1;
		rc = edit_commit(&ed, res, e);
	}
	edit_free(&ed);
	return rc;
}

/* The values the database holds for a unit; none when there is no database yet. */
static int count_values(struct app *app, const char *code, long *n, struct err *e)
{
	const char *path = app_db_path(app);
	struct store *st;
	int64_t count = 0;
	int rc;

	*n = 0;
	if (access(path, F_OK) != 0)
		return 0;
	if (store_open(path, STORE_READ, &st, e) != 0)
		return -1;
	rc = store_count_values(st, code, false, &count, e);
	*n = (long)count;
	store_close(st);
	return rc;
}

int units_remove(struct app *app, const char *code, struct units_result *res, struct err *e)
{
	struct edit ed;
	struct unit *u;
	long n = 0;
	int rc = -1;

	if (!(u = edit_begin_unit(app, code, &ed, res, e)))
		return -1;
	if (u->kind == UK_TOWNSHIP) {
		err_set(e, _("%s is the township itself, which cannot be removed (rename it with 'tianbao units rename %s NAME')"),
			code, code);
	} else if (count_values(app, code, &n, e) != 0) {
		;
	} else if (n > 0) {
		err_set(e, _("%s (%s) is not removed: the database %s holds %ld value(s) for it, which would be left without their unit. Rename it instead if it has a new name."),
			u->name, code, app_db_path(app), n);
	} else {
		unit_free(u);
		memmove(u, u + 1, (size_t)(ed.n - (u - ed.units) - 1) * sizeof *u);
		ed.n--;
		rc = edit_commit(&ed, res, e);
	}
	edit_free(&ed);
	return rc;
}

/* ---- import ------------------------------------------------------------------------- */

/* The list's bytes as UTF-8: as they are when they are valid UTF-8, else read as GBK
 * (what Excel writes in China; lib/gbk_table.h); NULL with e naming the first line
 * that is neither. */
static char *list_to_utf8(const char *file, const char *data, size_t len, struct err *e)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	char *out, *o;
	int line = 1;

	if (utf8_valid(data, len))
		return xstrndup(data, len);
	out = xmalloc(len / 2 * 3 + len % 2 + 1);
	o = out;
	while (p < end) {
		unsigned cp = 0;

		if (*p < 0x80) {
			line += *p == '\n';
			*o++ = (char)*p++;
			continue;
		}
		if (end - p >= 2 && p[0] >= GBK_LEAD_FIRST && p[0] <= GBK_LEAD_LAST && p[1] >= GBK_TRAIL_FIRST &&
		    p[1] <= GBK_TRAIL_LAST)
			cp = gbk_to_unicode[p[0] - GBK_LEAD_FIRST][p[1] - GBK_TRAIL_FIRST];
		if (!cp) {
			err_set(e, _("%s:%d: this line is neither UTF-8 nor GBK text: save the list as CSV (UTF-8 or GBK) and try again"),
				file, line);
			free(out);
			return NULL;
		}
		o += utf8_encode((wchar_t)cp, o);
		p += 2;
	}
	*o = '\0';
	return out;
}

/* Splits one line into at most max fields, CSV quoting allowed ("a,b", "" for a quote)
 * or separated by tabs. Each field trimmed of spaces. Returns the count, -1 for an
 * unclosed quote. */
static int split_line(char *line, char sep, char **fields, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *start, *w;

		while (*p == ' ')
			p++;
		start = w = p;
		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p)
					return -1;
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*w++ = *p++;
				}
			}
			while (*p && *p != sep)
				p++;
		} else {
			while (*p && *p != sep)
				*w++ = *p++;
		}
		{
			char end = *p;

			*w = '\0';
			if (n < max)
				fields[n++] = str_trim(start);
			if (!end)
				return n;
			p++;
		}
	}
}

struct listed {
	char *code, *name;
	int line;
};

static void add_problem(struct units_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_problem(struct units_result *res, const char *fmt, ...)
{
	va_list ap;

	if (res->nproblems >= UNITS_IMPORT_MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	res->problems = xreallocarray(res->problems, (size_t)res->nproblems + 1, sizeof *res->problems);
	res->problems[res->nproblems++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* The list's villages (and the township's line, *twp_name) in *out; problems in res. */
static void read_list(const char *file, char *text, struct listed **out, int *nout, char **twp_name, char twp_code[13],
		      struct units_result *res)
{
	char *line = text, *next;
	int lineno = 0;
	bool first = true;

	*out = NULL;
	*nout = 0;
	if (strncmp(line, "\xEF\xBB\xBF", 3) == 0)
		line += 3;
	for (; line && *line; line = next) {
		char *fields[4], *code, *name = "";
		size_t len;
		int nf;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (lineno > UNITS_IMPORT_MAX_LINES) {
			add_problem(res, _("%s:%d: more than %d lines: a township's list of villages is much shorter; check that this is the right file"),
				    file, lineno, UNITS_IMPORT_MAX_LINES);
			return;
		}
		if (len > UNITS_IMPORT_MAX_LINE) {
			add_problem(res, _("%s:%d: the line is longer than %d bytes: a line holds a division code and a name"),
				    file, lineno, UNITS_IMPORT_MAX_LINE);
			continue;
		}
		if (text_is_blank(line) || strspn(line, ", \t") == len)
			continue;
		nf = split_line(line, strchr(line, '\t') ? '\t' : ',', fields, 4);
		if (nf < 0) {
			add_problem(res, _("%s:%d: a quote is not closed: close it, or take it out"), file, lineno);
			continue;
		}
		code = fields[0];
		/* The name is the first column after the code that is not a number: the
		 * statistics bureau's lists put the urban-rural class (220) between them. */
		for (int k = 1; k < nf && !*name; k++)
			if (*fields[k] && strspn(fields[k], "0123456789") != strlen(fields[k]))
				name = fields[k];
		/* A first line without a digit in its first column is the list's header
		 * (代码,名称); one with digits is a code, right or wrong. */
		if (first && !strpbrk(code, "0123456789")) {
			first = false;
			continue;
		}
		first = false;
		if (strchr(code, '+') && strpbrk(code, "Ee")) {
			char shown[200];

			add_problem(res, _("%s:%d: '%s' is a code the spreadsheet turned into a number: set the code column's format to text, type the 12 digits again and save again"),
				    file, lineno, text_shown(code, strlen(code), shown, sizeof shown));
			continue;
		}
		if (!*code || strspn(code, "0123456789") != strlen(code) || (strlen(code) != 12 && strlen(code) != 9)) {
			char shown[200];

			add_problem(res, _("%s:%d: '%s' is not a division code: write the 12-digit code (统计用区划代码) in the first column, the name in the second"),
				    file, lineno, text_shown(code, strlen(code), shown, sizeof shown));
			continue;
		}
		if (!*name) {
			add_problem(res, _("%s:%d: code %s has no name: write the name in the second column"), file, lineno, code);
			continue;
		}
		if (!units_value_valid(name)) {
			char shown[200];

			add_problem(res, _("%s:%d: the name '%s': write 1 to 64 characters, without quotes, backslashes or control characters"),
				    file, lineno, text_shown(name, strlen(name), shown, sizeof shown));
			continue;
		}
		if (strlen(code) == 9 || strcmp(code + 9, "000") == 0) {
			if (*twp_name) {
				add_problem(res, _("%s:%d: a second line for the township itself: keep one"), file, lineno);
				continue;
			}
			*twp_name = xstrdup(name);
			snprintf(twp_code, 13, "%.9s000", code);
			continue;
		}
		{
			bool dup = false;

			for (int i = 0; i < *nout && !dup; i++) {
				if (strcmp((*out)[i].code, code) == 0) {
					add_problem(res, _("%s:%d: code %s is also on line %d: keep one of the two lines"), file,
						    lineno, code, (*out)[i].line);
					dup = true;
				} else if (strcmp((*out)[i].name, name) == 0) {
					add_problem(res, _("%s:%d: the name %s is also on line %d (code %s): two villages of one name confuse everybody; tell them apart"),
						    file, lineno, name, (*out)[i].line, (*out)[i].code);
					dup = true;
				}
			}
			if (dup)
				continue;
		}
		*out = xreallocarray(*out, (size_t)*nout + 1, sizeof **out);
		(*out)[*nout].code = xstrdup(code);
		(*out)[*nout].name = xstrdup(name);
		(*out)[(*nout)++].line = lineno;
	}
}

/* The list is another township's: when the database holds no value of the units here
 * (a laptop set up on the sample township), the township takes the list's code and name,
 * the villages here go (the list's come in), and the departments keep their names and
 * roles under the new code. Their DHIS2 codes were the old township's: they go too. */
static int switch_township(struct app *app, struct edit *ed, struct unit *twp, const char *code, char *name,
			   struct units_result *res, struct err *e)
{
	long total = 0;

	for (int i = 0; i < ed->n; i++) {
		long n = 0;

		if (count_values(app, ed->units[i].code, &n, e) != 0)
			return -1;
		total += n;
	}
	if (total > 0) {
		err_set(e, _("the list is of another township (%s, %.9s) than the one here (%s, %.9s), and the database %s holds %ld value(s) of this one's units: nothing was changed. A township's list goes on a computer set up for that township."),
			name, code, twp->name, twp->code, app_db_path(app), total);
		return -1;
	}
	res->township_code_was = xstrdup(twp->code);
	res->township_was = twp->name;
	twp->name = xstrdup(name);
	for (int i = 0; i < ed->n;) {
		struct unit *u = &ed->units[i];

		if (u->kind == UK_VILLAGE) {
			unit_free(u);
			memmove(u, u + 1, (size_t)(ed->n - i - 1) * sizeof *u);
			ed->n--;
			continue;
		}
		if (u->kind == UK_DEPARTMENT && strncmp(u->code, res->township_code_was, 9) == 0) {
			char *moved = xasprintf("%.9s%s", code, u->code + 9);

			free(u->code);
			u->code = moved;
		}
		free(u->dhis2);
		u->dhis2 = NULL;
		free(u->name_en);
		u->name_en = NULL;
		i++;
	}
	/* The villages removed moved the units down: the township is found again. */
	twp = (struct unit *)edit_township(ed);
	free(twp->code);
	twp->code = xstrdup(code);
	return 0;
}

int units_import(struct app *app, const char *file, struct units_result *res, struct err *e)
{
	struct edit ed;
	struct listed *list = NULL;
	int nlist = 0, rc = -1;
	char *raw, *text = NULL, *twp_name = NULL;
	char twp_code[13] = "";
	size_t len;
	struct unit *twp;
	bool switching;

	if (edit_begin(app, &ed, res, e) != 0)
		return -1;
	raw = read_file(file, UNITS_IMPORT_MAX_BYTES, &len, e);
	if (!raw) {
		err_prefix(e, _("the list (at most %d KiB) cannot be read: "), UNITS_IMPORT_MAX_BYTES >> 10);
		goto out;
	}
	if (memchr(raw, '\0', len)) {
		int line = 1;

		for (const char *p = raw; *p; p++)
			line += *p == '\n';
		err_set(e, _("%s:%d: a NUL byte: this is not a text list; save it as CSV and try again"), file, line);
		goto out;
	}
	text = list_to_utf8(file, raw, len, e);
	if (!text)
		goto out;
	twp = (struct unit *)edit_township(&ed);
	read_list(file, text, &list, &nlist, &twp_name, twp_code, res);
	/* The list's township: its own line, else this one. A list of another township
	 * (a real township setting up on the sample) puts its units in place of these. */
	switching = twp && twp_code[0] && strncmp(twp_code, twp->code, 9) != 0;
	for (int i = 0; i < nlist; i++) {
		const char *want = switching ? twp_code : twp ? twp->code : list[i].code;

		if (strncmp(list[i].code, want, 9) != 0)
			add_problem(res, switching || twp_code[0] ? _("%s:%d: code %s is not under the township of the list (%.9s): take the line out, or check the list")
								 : _("%s:%d: code %s is not under the township %.9s here: take the line out, or, when this is your own township's list, add the township's own line (its 9-digit code and name) so that the list replaces the units here"),
				    file, list[i].line, list[i].code, want);
	}
	if (!res->nproblems && switching && switch_township(app, &ed, twp, twp_code, twp_name, res, e) != 0)
		goto out;
	if (res->nproblems) {
		err_set(e, _("%s has %d problem(s) (listed above): nothing was changed"), file, res->nproblems);
		goto out;
	}
	if (nlist == 0 && !twp_name) {
		err_set(e, _("%s lists no village: each line is a 12-digit division code and a name"), file);
		goto out;
	}
	if (twp && twp_name && !switching && strcmp(twp->name, twp_name) != 0) {
		res->township_was = twp->name;
		twp->name = twp_name;
		twp_name = NULL;
		res->renamed++;
	}
	for (int i = 0; i < nlist; i++) {
		struct unit *u = edit_find(&ed, list[i].code);

		if (!u) {
			u = edit_append(&ed);
			u->code = xstrdup(list[i].code);
			u->name = xstrdup(list[i].name);
			u->kind = UK_VILLAGE;
			res->added++;
		} else if (strcmp(u->name, list[i].name) != 0) {
			free(u->name);
			u->name = xstrdup(list[i].name);
			res->renamed++;
		} else {
			res->unchanged++;
		}
	}
	for (int i = 0; i < ed.n; i++) {
		bool listed = false;

		if (ed.units[i].kind != UK_VILLAGE)
			continue;
		for (int j = 0; j < nlist && !listed; j++)
			listed = strcmp(list[j].code, ed.units[i].code) == 0;
		if (!listed) {
			res->kept = xreallocarray(res->kept, (size_t)res->nkept + 1, sizeof *res->kept);
			res->kept[res->nkept++] = xasprintf("%s %s", ed.units[i].code, ed.units[i].name);
		}
	}
	rc = res->added || res->renamed || res->township_code_was ? edit_commit(&ed, res, e) : 0;
out:
	for (int i = 0; i < nlist; i++) {
		free(list[i].code);
		free(list[i].name);
	}
	free(list);
	free(twp_name);
	free(raw);
	free(text);
	edit_free(&ed);
	return rc;
}

void units_result_free(struct units_result *res)
{
	free(res->file);
	free(res->township_code_was);
	free(res->township_was);
	strlist_free(res->kept, res->nkept);
	strlist_free(res->problems, res->nproblems);
	memset(res, 0, sizeof *res);
}
