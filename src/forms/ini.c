/* ini.c - INI files through iniparser, with a line scanner in front (see ini.h). */
#include "forms/ini.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iniparser.h>

#include "lib/i18n.h"
#include "lib/sha256.h"
#include "lib/text.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/mem.h"
#include "lib/str.h"

#define INI_MAX_BYTES (4u << 20)
/* iniparser reads a logical line with fgets into 1024 bytes: 1022 bytes of text, the
 * newline and the NUL. A longer line makes the whole load fail. */
#define INI_MAX_LINE 1022

struct scan {
	const char *path;
	struct diag_list *diags;
	struct ini_file *out;
	int errors;
};

static void scan_error(struct scan *s, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void scan_error(struct scan *s, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(s->diags, s->path, line, fmt, ap);
	va_end(ap);
	s->errors++;
}

static char *lower_dup(const char *p, size_t n)
{
	char *s = xstrndup(p, n);

	for (char *q = s; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return s;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n';
}

/* Byte-level checks: BOM, NUL, line length, UTF-8. All lines are looked at. */
static void check_bytes(struct scan *s, const char *data, size_t len)
{
	size_t start = 0;
	int line = 1;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		scan_error(s, 1, "%s", _("the file starts with a byte-order mark (BOM): save it as UTF-8 without BOM"));
	while (start < len) {
		const char *nl = memchr(data + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t n = end - start;
		const char *p = data + start;

		if (memchr(p, '\0', n))
			scan_error(s, line, "%s", _("the line contains a NUL byte"));
		else if (!utf8_valid(line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? p + 3 : p,
				     line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? n - 3 : n))
			scan_error(s, line, "%s", _("the line is not valid UTF-8: save the file as UTF-8"));
		if (n > INI_MAX_LINE)
			scan_error(s, line, _("the line is %zu bytes long; the limit is %d bytes"), n, INI_MAX_LINE);
		start = end + 1;
		line++;
	}
}

static bool valid_name_char(char c, bool section)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || (section && c == '.');
}

static struct ini_section *find_section(struct ini_file *f, const char *name)
{
	for (int i = 0; i < f->nsections; i++)
		if (strcmp(f->sections[i].name, name) == 0)
			return &f->sections[i];
	return NULL;
}

const struct ini_key *ini_find_key(const struct ini_section *s, const char *name)
{
	for (int i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i].name, name) == 0)
			return &s->keys[i];
	return NULL;
}

static void add_section(struct scan *s, const char *name, size_t n, int line)
{
	struct ini_file *f = s->out;
	struct ini_section *dup;
	char *lname;
	bool upper = false;

	for (size_t i = 0; i < n; i++) {
		if (!valid_name_char(name[i], true)) {
			scan_error(s, line, _("invalid section name [%.*s]: use letters a-z, digits, '_', '-' and '.'"),
				   (int)n, name);
			return;
		}
		if (name[i] >= 'A' && name[i] <= 'Z')
			upper = true;
	}
	if (n == 0) {
		scan_error(s, line, "%s", _("empty section name []"));
		return;
	}
	if (upper) {
		/* iniparser would lower-case it silently, changing a stored code. */
		scan_error(s, line, _("write section names in lower case: [%.*s]"), (int)n, name);
		return;
	}
	lname = lower_dup(name, n);
	dup = find_section(f, lname);
	if (dup) {
		scan_error(s, line, _("duplicate section [%s]; the first one is on line %d"), lname, dup->line);
		free(lname);
		return;
	}
	f->sections = xreallocarray(f->sections, (size_t)f->nsections + 1, sizeof *f->sections);
	memset(&f->sections[f->nsections], 0, sizeof *f->sections);
	f->sections[f->nsections].name = lname;
	f->sections[f->nsections].line = line;
	f->nsections++;
}

/* The section keys are added to: the last one opened, or NULL after a bad header. */
static struct ini_section *current_section(struct scan *s, bool *bad_header)
{
	if (*bad_header || s->out->nsections == 0)
		return NULL;
	return &s->out->sections[s->out->nsections - 1];
}

static void add_key(struct scan *s, struct ini_section *sec, const char *key, size_t klen,
		    const char *raw, int line)
{
	char *lkey;
	const struct ini_key *dup;
	struct ini_key *k;

	for (size_t i = 0; i < klen; i++) {
		if (!valid_name_char(key[i], false)) {
			scan_error(s, line, _("invalid key name '%.*s': use letters a-z, digits, '_' and '-'"),
				   (int)klen, key);
			return;
		}
	}
	lkey = lower_dup(key, klen);
	dup = ini_find_key(sec, lkey);
	if (dup) {
		scan_error(s, line, _("duplicate key '%s' in [%s]; the first one is on line %d"), lkey, sec->name,
			   dup->line);
		free(lkey);
		return;
	}
	sec->keys = xreallocarray(sec->keys, (size_t)sec->nkeys + 1, sizeof *sec->keys);
	k = &sec->keys[sec->nkeys++];
	k->name = lkey;
	k->raw = xstrdup(raw);
	k->value = NULL;
	k->line = line;
}

/* Checks quoting the way iniparser reads values: "..." and '...' keep ';' and '#',
 * an unquoted ';' or '#' starts a comment. iniparser drops whatever follows the closing
 * quote: only a comment may stand there. */
static void check_value(struct scan *s, const char *raw, int line)
{
	char q = raw[0];

	if (q == '"' || q == '\'') {
		const char *close = strchr(raw + 1, q);

		if (!close) {
			scan_error(s, line, _("the quote %c is never closed"), q);
			return;
		}
		for (const char *p = close + 1; *p && *p != ';' && *p != '#'; p++) {
			if (!is_space(*p)) {
				scan_error(s, line, "%s", _("text after the closing quote (a value cannot contain its own quote character)"));
				return;
			}
		}
	}
}

static void scan_lines(struct scan *s, const char *data, size_t len)
{
	struct strbuf logical;
	size_t pos = 0;
	int line = 0, first_line = 0;
	bool bad_header = false, continued = false;

	sb_init(&logical);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t n = end - pos;
		const char *p = data + pos;
		char *t;
		size_t tl;

		line++;
		pos = end + 1;
		if (logical.len == 0)
			first_line = line;
		/* Trailing spaces go first, as in iniparser; a final backslash continues. */
		while (n > 0 && is_space(p[n - 1]))
			n--;
		if (n > 0 && p[n - 1] == '\\') {
			sb_addn(&logical, p, n - 1);
			continued = true;
			continue;
		}
		continued = false;
		sb_addn(&logical, p, n);
		t = logical.buf ? logical.buf : (char *)"";
		if (logical.len > INI_MAX_LINE) {
			scan_error(s, first_line, _("the joined line is %zu bytes long; the limit is %d bytes"),
				   logical.len, INI_MAX_LINE);
			sb_reset(&logical);
			continue;
		}
		while (is_space(*t))
			t++;
		tl = strlen(t);
		while (tl > 0 && is_space(t[tl - 1]))
			t[--tl] = '\0';
		if (tl == 0 || t[0] == ';' || t[0] == '#') {
			/* Blank line or comment. One ending in '\' swallows the next line, as
			 * iniparser joins lines before it looks for comments. */
			if ((t[0] == ';' || t[0] == '#') && line > first_line)
				scan_error(s, first_line, _("the comment ends with '\\', so line %d is joined to it and ignored"),
					   first_line + 1);
		} else if (t[0] == '[' && t[tl - 1] == ']') {
			const char *name = t + 1;
			size_t nl2 = tl - 2;

			while (nl2 > 0 && is_space(*name)) {
				name++;
				nl2--;
			}
			while (nl2 > 0 && is_space(name[nl2 - 1]))
				nl2--;
			int before = s->out->nsections;

			add_section(s, name, nl2, first_line);
			bad_header = s->out->nsections == before;
		} else if (t[0] == '[') {
			scan_error(s, first_line, "%s", _("a section header must be alone on its line, like [form]"));
			bad_header = true;
		} else if (strchr(t, '=')) {
			const char *eq = strchr(t, '=');
			size_t kl = (size_t)(eq - t);
			const char *raw = eq + 1;
			struct ini_section *sec = current_section(s, &bad_header);

			while (kl > 0 && is_space(t[kl - 1]))
				kl--;
			while (is_space(*raw))
				raw++;
			if (kl == 0) {
				scan_error(s, first_line, "%s", _("a key is missing before '='"));
			} else if (!sec) {
				if (!bad_header)
					scan_error(s, first_line, _("key '%.*s' is outside any [section]"), (int)kl, t);
			} else {
				check_value(s, raw, first_line);
				add_key(s, sec, t, kl, raw, first_line);
			}
		} else {
			scan_error(s, first_line, "%s", _("expected a [section] header or 'key = value'"));
		}
		sb_reset(&logical);
	}
	/* iniparser drops a line continued past the end of the file: the key would silently
	 * vanish (a field required, a warning an error, a skip gone). */
	if (continued)
		scan_error(s, line, "%s", _("the last line ends with '\\', which joins it to a next line the file does not have, so it would be dropped: remove the '\\'"));
	sb_free(&logical);
}

static char captured[512];

/* iniparser's error callback has no user pointer: keep its last message here, never on
 * the terminal (it would tear a curses screen). */
static int capture_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(captured, sizeof captured, fmt, ap);
#pragma GCC diagnostic pop
	va_end(ap);
	return 0;
}

static int read_values(struct scan *s)
{
	dictionary *d;
	int bad = 0;

	captured[0] = '\0';
	iniparser_set_error_callback(capture_error);
	d = iniparser_load(s->path);
	if (!d) {
		char *nl;

		while ((nl = strchr(captured, '\n')))
			*nl = ' ';
		scan_error(s, 0, _("iniparser could not read the file: %s"), captured[0] ? captured : "?");
		return -1;
	}
	for (int i = 0; i < s->out->nsections; i++) {
		struct ini_section *sec = &s->out->sections[i];

		for (int j = 0; j < sec->nkeys; j++) {
			char *full = xasprintf("%s:%s", sec->name, sec->keys[j].name);
			/* Only "section:key" lookups: a bare section name returns NULL in 4.1. */
			const char *v = iniparser_getstring(d, full, NULL);

			free(full);
			if (!v) {
				scan_error(s, sec->keys[j].line, _("iniparser did not read key '%s'"), sec->keys[j].name);
				bad = 1;
				continue;
			}
			sec->keys[j].value = xstrdup(v);
		}
	}
	if (!bad && iniparser_getnsec(d) != s->out->nsections) {
		scan_error(s, 0, _("iniparser read %d sections where %d were expected"), iniparser_getnsec(d),
			   s->out->nsections);
		bad = 1;
	}
	iniparser_freedict(d);
	return bad ? -1 : 0;
}

int ini_load(const char *path, struct ini_file *out, struct diag_list *diags)
{
	struct scan s = { path, diags, out, 0 };
	struct sha256 h;
	struct err e;
	size_t len;
	char *data;

	memset(out, 0, sizeof *out);
	out->path = xstrdup(path);
	data = read_file(path, INI_MAX_BYTES, &len, &e);
	if (!data) {
		diag_add(diags, path, 0, "%s", e.msg);
		return -1;
	}
	sha256_init(&h);
	sha256_update(&h, data, len);
	sha256_final(&h, out->sha256);
	check_bytes(&s, data, len);
	if (s.errors == 0)
		scan_lines(&s, data, len);
	free(data);
	if (s.errors)
		return -1;
	return read_values(&s);
}

void ini_free(struct ini_file *f)
{
	for (int i = 0; i < f->nsections; i++) {
		for (int j = 0; j < f->sections[i].nkeys; j++) {
			free(f->sections[i].keys[j].name);
			free(f->sections[i].keys[j].value);
			free(f->sections[i].keys[j].raw);
		}
		free(f->sections[i].keys);
		free(f->sections[i].name);
	}
	free(f->sections);
	free(f->path);
	memset(f, 0, sizeof *f);
}
