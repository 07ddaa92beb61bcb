/* store_exchange.c - export files written, read and merged (see store_exchange.h). All
 * SQL of the exchange is here: on the store's own connection, on the connection that
 * builds a new export file, and on the locked-down connection that reads an untrusted
 * one. */
#include "store/store_exchange.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "forms/formeval.h"
#include "lib/i18n.h"
#include "store/schema_sql.h"
#include "store/store_impl.h"
#include "lib/text.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/number.h"
#include "lib/clock.h"

#ifndef TIANBAO_VERSION
#define TIANBAO_VERSION "0.0.0"
#endif

#define DB_APPLICATION_ID 0x54424442 /* "TBDB": a tianbao database, not an export */
/* A value's text is at most TEXT_MAX_CHARS characters of at most 4 bytes. */
#define VALUE_MAX_BYTES (4 * TEXT_MAX_CHARS)
/* How much an untrusted file may make SQLite work: units of 1000 VM instructions, a
 * base plus a share of the file's size (a real file needs far less). */
#define WORK_BASE 2000
#define WORK_PER_BYTES 16

int export_version(void)
{
	const char *p = strstr(export_sql, "PRAGMA user_version = ");

	return p ? atoi(p + strlen("PRAGMA user_version = ")) : 0;
}

/* ---- the canonical serialization --------------------------------------------------- */

void export_sum_begin(struct sha256 *c, const char *kind)
{
	static const char head[] = "tianbao-export-1 ";

	sha256_init(c);
	sha256_update(c, head, sizeof head - 1);
	sha256_update(c, kind, strlen(kind));
	sha256_update(c, "\n", 1);
}

void export_sum_section(struct sha256 *c, const char *name)
{
	sha256_update(c, "#", 1);
	sha256_update(c, name, strlen(name));
	sha256_update(c, "\n", 1);
}

/* "<tag><decimal><end>", e.g. "T12:" or "I3;": written by hand, it is called for every
 * cell of every value. */
static size_t tagged_number(char *out, char tag, uint64_t v, bool negative, char end)
{
	char digits[24];
	size_t n = 0, k = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out[k++] = tag;
	if (negative)
		out[k++] = '-';
	while (n)
		out[k++] = digits[--n];
	out[k++] = end;
	return k;
}

void export_sum_row(struct sha256 *c, const struct export_cell *cells, int n)
{
	char num[48];
	size_t k;

	for (int i = 0; i < n; i++) {
		const struct export_cell *x = &cells[i];

		switch (x->type) {
		case EC_NULL:
			sha256_update(c, "N", 1);
			break;
		case EC_INT:
			k = tagged_number(num, 'I', x->i < 0 ? 0 - (uint64_t)x->i : (uint64_t)x->i, x->i < 0, ';');
			sha256_update(c, num, k);
			break;
		case EC_REAL:
			k = (size_t)snprintf(num, sizeof num, "R%.17g;", x->r);
			sha256_update(c, num, k);
			break;
		case EC_TEXT:
		case EC_BLOB:
			k = tagged_number(num, x->type == EC_TEXT ? 'T' : 'B', x->n, false, ':');
			sha256_update(c, num, k);
			if (x->n)
				sha256_update(c, x->s, x->n);
			break;
		}
	}
	sha256_update(c, "\n", 1);
}

static struct export_cell text_cell(const char *s)
{
	struct export_cell c = { EC_NULL, 0, 0, NULL, 0 };

	if (s) {
		c.type = EC_TEXT;
		c.s = s;
		c.n = strlen(s);
	}
	return c;
}

static struct export_cell int_cell(int64_t v)
{
	struct export_cell c = { EC_INT, v, 0, NULL, 0 };

	return c;
}

/* The value row in the order of db/export.sql, for the checksum. */
static void sum_value(struct sha256 *c, const struct export_value *v)
{
	struct export_cell cells[9] = {
		text_cell(v->unit), text_cell(v->period), text_cell(v->field), text_cell(v->installation),
		text_cell(v->form), text_cell(v->value), int_cell(v->revision), text_cell(v->updated_at),
		text_cell(v->updated_by),
	};

	export_sum_row(c, cells, 9);
}

/* The form state row in the order of db/export.sql, for the checksum. */
static void sum_state(struct sha256 *c, const struct export_state *st)
{
	struct export_cell cells[7] = {
		text_cell(st->unit), text_cell(st->period), text_cell(st->form), text_cell(st->state),
		text_cell(st->changed_at), text_cell(st->changed_by), text_cell(st->installation),
	};

	export_sum_row(c, cells, 7);
}

static void sum_hex(struct sha256 *c, char out[65])
{
	unsigned char d[32];

	sha256_final(c, d);
	sha256_hex(d, out);
}

/* ---- small helpers ------------------------------------------------------------------ */

void export_info_free(struct export_info *info)
{
	store_free_list(info->units, info->nunits);
	store_free_list(info->periods, info->nperiods);
	free(info->forms);
	memset(info, 0, sizeof *info);
}

void export_file_free(struct export_file *xf)
{
	if (!xf)
		return;
	for (int i = 0; i < xf->nvalues; i++) {
		struct export_value *v = &xf->values[i];

		free(v->unit);
		free(v->period);
		free(v->field);
		free(v->installation);
		free(v->form);
		free(v->value);
		free(v->updated_at);
		free(v->updated_by);
	}
	free(xf->values);
	for (int i = 0; i < xf->nstates; i++) {
		struct export_state *st = &xf->states[i];

		free(st->unit);
		free(st->period);
		free(st->form);
		free(st->state);
		free(st->changed_at);
		free(st->changed_by);
		free(st->installation);
	}
	free(xf->states);
	free(xf->said);
	export_info_free(&xf->info);
	free(xf);
}

/* Adds s to a sorted list of distinct strings. */
static void set_add(char ***list, int *n, const char *s)
{
	int lo = 0, hi = *n;

	while (lo < hi) {
		int mid = (lo + hi) / 2, c = strcmp((*list)[mid], s);

		if (c == 0)
			return;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*list = xreallocarray(*list, (size_t)*n + 1, sizeof **list);
	memmove(*list + lo + 1, *list + lo, (size_t)(*n - lo) * sizeof **list);
	(*list)[lo] = xstrdup(s);
	(*n)++;
}

static char *join_list(char **list, int n)
{
	struct strbuf sb;

	sb_init(&sb);
	for (int i = 0; i < n; i++) {
		if (i)
			sb_addc(&sb, ',');
		sb_add(&sb, list[i]);
	}
	return sb_take(&sb);
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* A name or text from a file, safe to show on a terminal: invalid bytes and control
 * characters become '?', at most 40 characters. */
static const char *shown(const char *s, size_t n, char *buf, size_t size)
{
	size_t i = 0, o = 0;
	int chars = 0;
	wchar_t wc;

	while (i < n && o + 8 < size) {
		int k = utf8_decode(s + i, n - i, &wc);

		if (chars++ == 40) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (k < 0 || wc < 0x20 || (wc >= 0x7F && wc < 0xA0)) {
			buf[o++] = '?';
			i += k < 0 ? 1 : (size_t)k;
			continue;
		}
		memcpy(buf + o, s + i, (size_t)k);
		o += (size_t)k;
		i += (size_t)k;
	}
	buf[o] = '\0';
	return buf;
}

static const char *shown_str(const char *s, char *buf, size_t size)
{
	return s ? shown(s, strlen(s), buf, size) : "";
}

/* ---- the expected schema --------------------------------------------------------------- */

struct schema_row {
	char *type, *name, *tbl_name, *sql;
	size_t nname, nsql;
};

static void free_schema(struct schema_row *rows, int n)
{
	for (int i = 0; i < n; i++) {
		free(rows[i].type);
		free(rows[i].name);
		free(rows[i].tbl_name);
		free(rows[i].sql);
	}
	free(rows);
}

static char *col_dup(sqlite3_stmt *s, int i, size_t *n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t len = (size_t)sqlite3_column_bytes(s, i);

	if (n)
		*n = len;
	if (!t)
		return NULL;
	{
		char *out = xmalloc(len + 1);

		memcpy(out, t, len);
		out[len] = '\0';
		return out;
	}
}

/* Every row of sqlite_schema, by type and name. Reading it parses the schema but runs
 * nothing of it. */
static int read_schema(sqlite3 *db, struct schema_row **out, int *n)
{
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name", -1, &s,
			       NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct schema_row *r;

		*out = xreallocarray(*out, (size_t)*n + 1, sizeof **out);
		r = &(*out)[(*n)++];
		r->type = col_dup(s, 0, NULL);
		r->name = col_dup(s, 1, &r->nname);
		r->tbl_name = col_dup(s, 2, NULL);
		r->sql = col_dup(s, 3, &r->nsql);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

static bool same_opt(const char *a, size_t na, const char *b, size_t nb)
{
	if (!a || !b)
		return a == b;
	return na == nb && memcmp(a, b, na) == 0;
}

/* The rows the export script of `version` makes (db/export.sql for the version written
 * now, db/export_v1.sql and db/export_v2.sql for versions 1 and 2), from an in-memory
 * database: made once per process and version. */
static int expected_schema(int version, const struct schema_row **out, int *n)
{
	static struct schema_row *rows[3];
	static int nrows[3];
	int k = version - 1;
	const char *sql = version == 1 ? export_v1_sql : version == 2 ? export_v2_sql : export_sql;
	sqlite3 *db = NULL;
	int rc = -1;

	if (version < 1 || version > export_version() || k >= (int)ARRAY_LEN(rows))
		return -1;
	if (!rows[k]) {
		if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
		    sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
			rc = read_schema(db, &rows[k], &nrows[k]);
		sqlite3_close(db);
		if (rc != 0) {
			free_schema(rows[k], nrows[k]);
			rows[k] = NULL;
			return -1;
		}
	}
	*out = rows[k];
	*n = nrows[k];
	return 0;
}

/* Compares the file's schema with the expected one; on a difference says what it is. */
static int compare_schema(const struct schema_row *got, int ngot, const struct schema_row *want, int nwant,
			  const char *name, enum export_problem *pb, struct err *e)
{
	char b1[256];

	for (int i = 0; i < ngot; i++) {
		const struct schema_row *g = &got[i];
		const struct schema_row *w = NULL;

		for (int j = 0; j < nwant; j++)
			if (g->type && g->name && strcmp(g->type, want[j].type) == 0 &&
			    same_opt(g->name, g->nname, want[j].name, want[j].nname))
				w = &want[j];
		*pb = EP_SCHEMA;
		if (!w) {
			const char *what = !g->type ? "?" : g->type;

			shown_str(g->name, b1, sizeof b1);
			if (strcmp(what, "trigger") == 0)
				err_set(e, _("%s: refused: it holds a trigger '%s', which tianbao never writes into an export file. Do not merge it; export again from the computer it came from."),
					name, b1);
			else if (strcmp(what, "view") == 0)
				err_set(e, _("%s: refused: it holds a view '%s', which tianbao never writes into an export file. Do not merge it; export again from the computer it came from."),
					name, b1);
			else if (strcmp(what, "index") == 0)
				err_set(e, _("%s: refused: it holds an index '%s', which tianbao never writes into an export file. Do not merge it; export again from the computer it came from."),
					name, b1);
			else
				err_set(e, _("%s: refused: it holds a table '%s', which tianbao never writes into an export file. Do not merge it; export again from the computer it came from."),
					name, b1);
			return -1;
		}
		if (!same_opt(g->tbl_name, g->tbl_name ? strlen(g->tbl_name) : 0, w->tbl_name, strlen(w->tbl_name)) ||
		    !same_opt(g->sql, g->nsql, w->sql, w->nsql)) {
			err_set(e, _("%s: refused: its table '%s' is not laid out the way tianbao writes it (a changed, added or generated column). Do not merge it; export again from the computer it came from."),
				name, w->name);
			return -1;
		}
	}
	for (int j = 0; j < nwant; j++) {
		bool found = false;

		for (int i = 0; i < ngot && !found; i++)
			found = got[i].type && strcmp(got[i].type, want[j].type) == 0 &&
				same_opt(got[i].name, got[i].nname, want[j].name, want[j].nname);
		if (!found) {
			*pb = EP_NOT_EXPORT;
			err_set(e, _("%s: refused: it has no table '%s', so it is not a tianbao export file."), name, want[j].name);
			return -1;
		}
	}
	return 0;
}

/* ---- reading an untrusted file ----------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Looks at the 100-byte SQLite header before SQLite does: identity, version, encoding,
 * journal mode and size, so that the reason given is the true one. */
static int check_header(const char *path, const char *name, enum export_problem *pb, struct err *e,
			off_t *size_out, int *version_out)
{
	unsigned char h[100];
	struct stat sb;
	ssize_t n;
	uint32_t page, pages, appid, version;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &sb) != 0) {
		*pb = EP_UNREADABLE;
		err_set(e, _("%s: cannot read it: %s"), name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	n = read(fd, h, sizeof h);
	close(fd);
	*size_out = sb.st_size;
	if (sb.st_size == 0) {
		*pb = EP_DAMAGED;
		err_set(e, _("%s: refused: the file is empty (0 bytes): it was cut short, or it is not a tianbao export. Export it again."),
			name);
		return -1;
	}
	if (n < 16 || memcmp(h, "SQLite format 3", 16) != 0) {
		*pb = EP_NOT_EXPORT;
		err_set(e, _("%s: refused: this is not a tianbao export file (it is not even an SQLite file)."), name);
		return -1;
	}
	if (n != (ssize_t)sizeof h) {
		*pb = EP_DAMAGED;
		err_set(e, _("%s: refused: the file is damaged or cut short (only %lld bytes). Export it again."), name,
			(long long)sb.st_size);
		return -1;
	}
	appid = be32(h + 68);
	version = be32(h + 60);
	if (appid == DB_APPLICATION_ID) {
		*pb = EP_NOT_EXPORT;
		err_set(e, _("%s: refused: this is a tianbao database, not an export file. Run 'tianbao export' on the computer it belongs to and merge that file."),
			name);
		return -1;
	}
	if (appid != EXPORT_APPLICATION_ID) {
		*pb = EP_NOT_EXPORT;
		err_set(e, _("%s: refused: this is an SQLite file of another program, not a tianbao export file."), name);
		return -1;
	}
	if ((int64_t)version > export_version()) {
		*pb = EP_NEWER;
		err_set(e, _("%s: refused: it was made by a newer tianbao (export version %u; this tianbao reads up to %d). Update tianbao here, then merge it again."),
			name, version, export_version());
		return -1;
	}
	if (version < 1) {
		*pb = EP_NOT_EXPORT;
		err_set(e, _("%s: refused: it has the mark of a tianbao export but no export version; it was not written by tianbao."),
			name);
		return -1;
	}
	*version_out = (int)version;
	page = (uint32_t)h[16] << 8 | h[17];
	if (page == 1)
		page = 65536;
	pages = be32(h + 28);
	if (page < 512 || (page & (page - 1)) != 0 || h[18] != 1 || h[19] != 1 || be32(h + 56) != 1) {
		*pb = EP_DAMAGED;
		err_set(e, _("%s: refused: its SQLite header is not what tianbao writes (damaged, or changed by another program). Export it again."),
			name);
		return -1;
	}
	if (be32(h + 24) != be32(h + 92) || pages == 0 || (off_t)pages * page != sb.st_size) {
		*pb = EP_DAMAGED;
		err_set(e, _("%s: refused: the file is damaged or cut short (%lld bytes where its header says %lld). Copy or export it again."),
			name, (long long)sb.st_size, (long long)pages * page);
		return -1;
	}
	return 0;
}

struct work {
	long left;
};

static int out_of_work(void *ctx)
{
	struct work *w = ctx;

	return --w->left < 0;
}

/* The settings of ../shared/reference/reliability.md section 1 on a connection to an untrusted file. */
static void lock_down(sqlite3 *db, struct work *w)
{
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 100);
	sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 10);
	sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 3);
	sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, 25000);
	sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 8);
	sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 50);
	sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, 10);
	sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
	sqlite3_limit(db, SQLITE_LIMIT_WORKER_THREADS, 0);
	sqlite3_progress_handler(db, 1000, out_of_work, w);
	/* The pragmas set connection state only; they read nothing of the file yet. */
	sqlite3_exec(db, "PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON; PRAGMA mmap_size = 0; "
			 "PRAGMA query_only = ON",
		     NULL, NULL, NULL);
}

/* A failed statement on the file: damaged, or stopped for taking too much work. */
static void file_failed(sqlite3 *db, const char *name, enum export_problem *pb, struct err *e)
{
	int code = sqlite3_errcode(db);
	char b[256];

	*pb = EP_DAMAGED;
	if (code == SQLITE_INTERRUPT)
		err_set(e, _("%s: refused: reading it takes far more work than an export file needs; it is damaged or was made to stall tianbao."),
			name);
	else if (code == SQLITE_NOMEM)
		err_set(e, _("%s: refused: reading it needs more memory than an export file could; it is damaged."), name);
	else
		err_set(e, _("%s: refused: the file is damaged or cut short (%s). Copy or export it again."), name,
			shown_str(sqlite3_errmsg(db), b, sizeof b));
}

static char *uri_of(const char *path)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_add(&sb, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			sb_addf(&sb, "%%%02X", (unsigned char)*p);
		else
			sb_addc(&sb, *p);
	}
	sb_add(&sb, "?mode=ro&immutable=1");
	return sb_take(&sb);
}

static void column_cell(sqlite3_stmt *s, int i, struct export_cell *c)
{
	memset(c, 0, sizeof *c);
	switch (sqlite3_column_type(s, i)) {
	case SQLITE_INTEGER:
		c->type = EC_INT;
		c->i = sqlite3_column_int64(s, i);
		break;
	case SQLITE_FLOAT:
		c->type = EC_REAL;
		c->r = sqlite3_column_double(s, i);
		break;
	case SQLITE_TEXT:
		c->type = EC_TEXT;
		c->s = (const char *)sqlite3_column_text(s, i);
		c->n = (size_t)sqlite3_column_bytes(s, i);
		break;
	case SQLITE_BLOB:
		c->type = EC_BLOB;
		c->s = sqlite3_column_blob(s, i);
		c->n = (size_t)sqlite3_column_bytes(s, i);
		break;
	default:
		c->type = EC_NULL;
		break;
	}
}

/* Text as tianbao writes it: valid UTF-8 without NUL bytes or control characters,
 * 1 to max bytes (0 allowed when empty_ok). */
static bool cell_text_ok(const struct export_cell *c, size_t max, bool empty_ok)
{
	if (c->type != EC_TEXT || c->n > max)
		return false;
	if (c->n == 0)
		return empty_ok;
	if (!c->s || memchr(c->s, '\0', c->n) || !utf8_valid(c->s, c->n))
		return false;
	return !text_has_control(c->s);
}

/* The manifest's keys, sorted (the order its checksum takes them in). */
static const char *const manifest_keys[] = {
	"checksum", "export_version", "installation", "installation_unit", "manifest_checksum", "operator", "periods",
	"program_version", "units", "value_count", "written_at",
};
enum { MK_CHECKSUM = 0, MK_MANIFEST_CHECKSUM = 4 };

/* The first problem found while reading, kept until the checksums are known: a damaged
 * file is reported as damaged, not as holding a strange value. */
struct first_problem {
	enum export_problem kind;
	struct err e;
	int more;
};

static void note(struct first_problem *fp, enum export_problem kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(struct first_problem *fp, enum export_problem kind, const char *fmt, ...)
{
	va_list ap;

	if (fp->kind != EP_NONE) {
		fp->more++;
		return;
	}
	fp->kind = kind;
	va_start(ap, fmt);
	err_vset(&fp->e, fmt, ap);
	va_end(ap);
}

static int split_list(const char *s, char ***out, int *n)
{
	const char *p = s;

	*out = NULL;
	*n = 0;
	if (!*s)
		return 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char *item = xstrndup(p, len);

		*out = xreallocarray(*out, (size_t)*n + 1, sizeof **out);
		(*out)[(*n)++] = item;
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

static bool same_list(char **a, int na, char **b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* Reads the manifest into info; returns its keys' values for the checks after. */
static int read_manifest(sqlite3 *db, struct sha256 *msum, char *mvals[ARRAY_LEN(manifest_keys)], const char *name,
			 enum export_problem *pb, struct err *e)
{
	sqlite3_stmt *s;
	int rc, count = 0;
	char b[256];

	if (sqlite3_prepare_v2(db, "SELECT key, value FROM manifest ORDER BY key", -1, &s, NULL) != SQLITE_OK) {
		file_failed(db, name, pb, e);
		return -1;
	}
	export_sum_begin(msum, "manifest");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct export_cell c[2];
		size_t k;

		column_cell(s, 0, &c[0]);
		column_cell(s, 1, &c[1]);
		for (k = 0; k < ARRAY_LEN(manifest_keys); k++)
			if (c[0].type == EC_TEXT && c[0].n == strlen(manifest_keys[k]) &&
			    memcmp(c[0].s, manifest_keys[k], c[0].n) == 0)
				break;
		if (k == ARRAY_LEN(manifest_keys) || mvals[k] || !cell_text_ok(&c[1], EXPORT_MANIFEST_VALUE_MAX, true)) {
			*pb = EP_DAMAGED;
			if (k == ARRAY_LEN(manifest_keys))
				err_set(e, _("%s: refused: its manifest has an entry '%s' that tianbao does not write; the file is damaged or was not written by tianbao."),
					name, c[0].type == EC_TEXT ? shown(c[0].s, c[0].n, b, sizeof b) : "?");
			else
				err_set(e, _("%s: refused: its manifest entry '%s' is repeated or not text; the file is damaged or was not written by tianbao."),
					name, manifest_keys[k]);
			sqlite3_finalize(s);
			return -1;
		}
		mvals[k] = xstrndup(c[1].s ? c[1].s : "", c[1].n);
		count++;
		if (strcmp(manifest_keys[k], "manifest_checksum") != 0)
			export_sum_row(msum, c, 2);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		file_failed(db, name, pb, e);
		return -1;
	}
	if (count != (int)ARRAY_LEN(manifest_keys)) {
		for (size_t k = 0; k < ARRAY_LEN(manifest_keys); k++) {
			if (!mvals[k]) {
				*pb = EP_DAMAGED;
				err_set(e, _("%s: refused: its manifest lacks '%s'; the file is damaged or was not written by tianbao."),
					name, manifest_keys[k]);
				return -1;
			}
		}
	}
	return 0;
}

static int read_forms(sqlite3 *db, struct export_info *info, struct sha256 *msum, const char *name,
		      enum export_problem *pb, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id, version, hash FROM forms ORDER BY id", -1, &s, NULL) != SQLITE_OK) {
		file_failed(db, name, pb, e);
		return -1;
	}
	export_sum_section(msum, "forms");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct export_cell c[3];
		struct export_form *f;

		for (int i = 0; i < 3; i++)
			column_cell(s, i, &c[i]);
		export_sum_row(msum, c, 3);
		if (c[0].type != EC_TEXT || c[0].n > CODE_MAX || c[1].type != EC_INT || c[1].i < 1 || c[1].i > 1000000 ||
		    c[2].type != EC_TEXT || c[2].n != 64 || !is_hex(c[2].s, 64) || info->nforms >= 1000) {
			*pb = EP_DAMAGED;
			err_set(e, _("%s: refused: its list of forms is not what tianbao writes; the file is damaged."), name);
			sqlite3_finalize(s);
			return -1;
		}
		{
			char id[CODE_MAX + 1];

			memcpy(id, c[0].s, c[0].n);
			id[c[0].n] = '\0';
			if (!is_code_name(id, CODE_MAX) ||
			    (info->nforms > 0 && strcmp(info->forms[info->nforms - 1].id, id) >= 0)) {
				*pb = EP_DAMAGED;
				err_set(e, _("%s: refused: its list of forms is not what tianbao writes; the file is damaged."), name);
				sqlite3_finalize(s);
				return -1;
			}
			info->forms = xreallocarray(info->forms, (size_t)info->nforms + 1, sizeof *info->forms);
			f = &info->forms[info->nforms++];
			memcpy(f->id, id, sizeof id);
			f->version = (int)c[1].i;
			memcpy(f->hash, c[2].s, 64);
			f->hash[64] = '\0';
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		file_failed(db, name, pb, e);
		return -1;
	}
	return 0;
}

static int find_form(const struct export_info *info, const char *id)
{
	for (int i = 0; i < info->nforms; i++)
		if (strcmp(info->forms[i].id, id) == 0)
			return i;
	return -1;
}

static int key_cmp(const struct export_value *a, const struct export_value *b)
{
	int c = strcmp(a->unit, b->unit);

	if (!c)
		c = strcmp(a->period, b->period);
	if (!c)
		c = strcmp(a->field, b->field);
	if (!c)
		c = strcmp(a->installation, b->installation);
	return c;
}

/* Reads every value, checking each as far as the file alone can tell. */
/* Reads every row of vals (the active candidates) or, when `superseded`, of the table
 * superseded (export version 3 on: the candidates decisions set aside; in the checksum
 * after "#superseded"), appending them to xf->values. */
static int read_values(sqlite3 *db, struct export_file *xf, bool superseded, struct sha256 *vsum,
		       struct first_problem *fp, const char *name, enum export_problem *pb, struct err *e)
{
	sqlite3_stmt *s;
	int rc, first = xf->nvalues;
	time_t now = time(NULL);
	char b1[128], b2[128], b3[128], last_time[21] = "", now_text[32];

	iso8601_of(now, now_text);

	if (sqlite3_prepare_v2(db,
			       superseded ? "SELECT unit, period, field, installation, form, value, revision, updated_at, "
					    "updated_by FROM superseded ORDER BY unit, period, field, installation"
					  : "SELECT unit, period, field, installation, form, value, revision, updated_at, "
					    "updated_by FROM vals ORDER BY unit, period, field, installation",
			       -1, &s, NULL) != SQLITE_OK) {
		file_failed(db, name, pb, e);
		return -1;
	}
	if (!superseded)
		export_sum_begin(vsum, "values");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct export_cell c[9];
		struct export_value *v;
		bool keys_ok;

		for (int i = 0; i < 9; i++)
			column_cell(s, i, &c[i]);
		if (superseded && xf->nvalues == first)
			export_sum_section(vsum, "superseded");
		export_sum_row(vsum, c, 9);
		keys_ok = cell_text_ok(&c[0], UNIT_CODE_MAX, false) && cell_text_ok(&c[1], 6, false) &&
			  cell_text_ok(&c[2], CODE_MAX, false) && c[3].type == EC_TEXT && c[3].n == 32 &&
			  is_hex(c[3].s, 32) && cell_text_ok(&c[4], CODE_MAX, false);
		if (!keys_ok) {
			note(fp, EP_DAMAGED, _("%s: refused: a value's unit, period, field, installation or form is not what tianbao writes; the file is damaged."),
			     name);
			continue;
		}
		xf->values = xreallocarray(xf->values, (size_t)xf->nvalues + 1, sizeof *xf->values);
		v = &xf->values[xf->nvalues];
		memset(v, 0, sizeof *v);
		v->unit = xstrndup(c[0].s, c[0].n);
		v->period = xstrndup(c[1].s, c[1].n);
		v->field = xstrndup(c[2].s, c[2].n);
		v->installation = xstrndup(c[3].s, c[3].n);
		v->form = xstrndup(c[4].s, c[4].n);
		v->superseded = superseded;
		xf->nvalues++;
		if (xf->nvalues - 1 > first && key_cmp(&xf->values[xf->nvalues - 2], v) >= 0)
			note(fp, EP_DAMAGED, _("%s: refused: its values are out of order or repeated; the file is damaged."), name);
		if (!unit_code_valid(v->unit) || period_type_of(v->period) < 0 || !is_code_name(v->field, CODE_MAX) ||
		    !is_code_name(v->form, CODE_MAX))
			note(fp, EP_DAMAGED, _("%s: refused: a value's unit, period, field or form is not written the way tianbao writes them; the file is damaged."),
			     name);
		else if (find_form(&xf->info, v->form) < 0)
			note(fp, EP_DAMAGED, _("%s: refused: a value belongs to form '%s', which the file's list of forms lacks; the file is damaged."),
			     name, v->form);
		if (c[5].type == EC_TEXT && c[5].n <= VALUE_MAX_BYTES && cell_text_ok(&c[5], VALUE_MAX_BYTES, true))
			v->value = xstrndup(c[5].s, c[5].n);
		else if (c[5].type != EC_NULL)
			note(fp, EP_VALUE, _("%s: refused: %s %s %s: %s"), name, shown_str(v->unit, b1, sizeof b1),
			     shown_str(v->period, b2, sizeof b2), shown_str(v->field, b3, sizeof b3),
			     c[5].type != EC_TEXT ? _("the value is not stored as text, the way tianbao writes values")
			     : c[5].n > VALUE_MAX_BYTES ? _("the value is longer than any field allows")
			     : memchr(c[5].s, '\0', c[5].n) || !utf8_valid(c[5].s, c[5].n) ? _("the text is not valid UTF-8")
			     : _("the text contains control characters (such as a line break or tab)"));
		if (c[6].type == EC_INT && c[6].i > 0 && c[6].i <= EXPORT_REVISION_MAX)
			v->revision = c[6].i;
		else if (c[6].type == EC_INT && c[6].i > EXPORT_REVISION_MAX)
			note(fp, EP_DAMAGED, _("%s: refused: %s %s %s has revision %lld, more than tianbao ever writes (at most %d); the file was changed or was not written by tianbao. Do not merge it."),
			     name, v->unit, v->period, v->field, (long long)c[6].i, EXPORT_REVISION_MAX);
		else
			note(fp, EP_DAMAGED, _("%s: refused: %s %s %s has a revision that is not a positive whole number; the file is damaged."),
			     name, v->unit, v->period, v->field);
		if (c[7].type == EC_TEXT && c[7].n == 20 && cell_text_ok(&c[7], 20, false)) {
			enum stamp_check tc = STAMP_OK;

			v->updated_at = xstrndup(c[7].s, c[7].n);
			if (strcmp(v->updated_at, last_time) == 0)
				;   /* checked already: values of one write share their time */
			else if ((tc = stamp_check(v->updated_at, now)) == STAMP_OK)
				memcpy(last_time, v->updated_at, sizeof last_time);
			if (tc == STAMP_FUTURE)
				note(fp, EP_VALUE, _("%s: refused: %s %s %s was written at %s, more than a day later than this computer's clock (now %s). Either this computer's clock or that of the computer that wrote it is wrong: check this computer's date and time first; if they are right, set the other computer's clock right, enter that value there again and export again."),
				     name, v->unit, v->period, v->field, v->updated_at, now_text);
			else if (tc == STAMP_EARLY)
				note(fp, EP_VALUE, _("%s: refused: %s %s %s was written at %s, before 2000: the clock of the computer that wrote it was wrong then. Set that computer's clock right, enter that value there again and export again."),
				     name, v->unit, v->period, v->field, v->updated_at);
			else if (tc == STAMP_MALFORMED)
				note(fp, EP_DAMAGED, _("%s: refused: %s %s %s was written at '%s', which is not a real date and time; the file is damaged or was not written by tianbao."),
				     name, v->unit, v->period, v->field, v->updated_at);
		} else {
			v->updated_at = xstrdup("");
			note(fp, EP_DAMAGED, _("%s: refused: %s %s %s has no valid time of writing; the file is damaged."), name,
			     v->unit, v->period, v->field);
		}
		if (cell_text_ok(&c[8], EXPORT_NAME_MAX, false)) {
			v->updated_by = xstrndup(c[8].s, c[8].n);
		} else {
			v->updated_by = xstrdup("");
			note(fp, EP_VALUE, _("%s: refused: %s %s %s: the name of who wrote it is empty, too long, not valid UTF-8 or holds control characters."),
			     name, v->unit, v->period, v->field);
		}
		if (superseded) {
			xf->info.superseded_count++;
		} else {
			/* The units and periods of the file are those of its active values (a
			 * set-aside candidate is always beside an active one: merge_rows). */
			if (xf->nvalues == 1 || strcmp(xf->values[xf->nvalues - 2].unit, v->unit) != 0)
				set_add(&xf->info.units, &xf->info.nunits, v->unit);
			set_add(&xf->info.periods, &xf->info.nperiods, v->period);
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		file_failed(db, name, pb, e);
		return -1;
	}
	return 0;
}

/* Export version 3: the set-aside candidates (read after the active ones) go in key
 * order among them; a candidate may not be in both tables, and a key may not have
 * set-aside candidates only (the writer puts a key whose candidates are all set aside
 * in vals: then every one counts). */
static void merge_rows(struct export_file *xf, int nactive, struct first_problem *fp, const char *name)
{
	struct export_value *all;
	int a = 0, b = nactive, n = 0;

	if (nactive == xf->nvalues)
		return;
	all = xcalloc((size_t)xf->nvalues, sizeof *all);
	while (a < nactive || b < xf->nvalues) {
		int c = a == nactive ? 1 : b == xf->nvalues ? -1 : key_cmp(&xf->values[a], &xf->values[b]);

		if (c == 0)
			note(fp, EP_DAMAGED, _("%s: refused: %s %s %s of installation %s is both an active and a set-aside candidate; the file is damaged or was not written by tianbao."),
			     name, xf->values[a].unit, xf->values[a].period, xf->values[a].field, xf->values[a].installation);
		all[n++] = c <= 0 ? xf->values[a++] : xf->values[b++];
	}
	free(xf->values);
	xf->values = all;
	for (int i = 0, j; i < n; i = j) {
		bool active = false;

		for (j = i; j < n && strcmp(all[j].unit, all[i].unit) == 0 && strcmp(all[j].period, all[i].period) == 0 &&
			    strcmp(all[j].field, all[i].field) == 0;
		     j++)
			active = active || !all[j].superseded;
		if (!active)
			note(fp, EP_DAMAGED, _("%s: refused: %s %s %s has only set-aside candidates and no active one; the file is damaged or was not written by tianbao."),
			     name, all[i].unit, all[i].period, all[i].field);
	}
}

static int state_key_cmp(const struct export_state *a, const struct export_state *b)
{
	int c = strcmp(a->unit, b->unit);

	if (!c)
		c = strcmp(a->period, b->period);
	if (!c)
		c = strcmp(a->form, b->form);
	return c;
}

/* Reads every form state (export version 2 on), checking each as far as the file alone
 * can tell; their rows follow the values in the checksum. */
static int read_states(sqlite3 *db, struct export_file *xf, struct sha256 *vsum, struct first_problem *fp,
		       const char *name, enum export_problem *pb, struct err *e)
{
	sqlite3_stmt *s;
	int rc;
	time_t now = time(NULL);
	char b1[128], b2[128], b3[128], b4[128], now_text[32];

	iso8601_of(now, now_text);

	if (sqlite3_prepare_v2(db,
			       "SELECT unit, period, form, state, changed_at, changed_by, installation "
			       "FROM form_states ORDER BY unit, period, form",
			       -1, &s, NULL) != SQLITE_OK) {
		file_failed(db, name, pb, e);
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct export_cell c[7];
		struct export_state *st;

		for (int i = 0; i < 7; i++)
			column_cell(s, i, &c[i]);
		if (xf->nstates == 0)
			export_sum_section(vsum, "states");
		export_sum_row(vsum, c, 7);
		if (!cell_text_ok(&c[0], UNIT_CODE_MAX, false) || !cell_text_ok(&c[1], 6, false) ||
		    !cell_text_ok(&c[2], CODE_MAX, false) || c[6].type != EC_TEXT || c[6].n != 32 || !is_hex(c[6].s, 32)) {
			note(fp, EP_DAMAGED, _("%s: refused: a form state's unit, period, form or installation is not what tianbao writes; the file is damaged."),
			     name);
			continue;
		}
		xf->states = xreallocarray(xf->states, (size_t)xf->nstates + 1, sizeof *xf->states);
		st = &xf->states[xf->nstates];
		memset(st, 0, sizeof *st);
		st->unit = xstrndup(c[0].s, c[0].n);
		st->period = xstrndup(c[1].s, c[1].n);
		st->form = xstrndup(c[2].s, c[2].n);
		st->installation = xstrndup(c[6].s, c[6].n);
		xf->nstates++;
		if (xf->nstates > 1 && state_key_cmp(&xf->states[xf->nstates - 2], st) >= 0)
			note(fp, EP_DAMAGED, _("%s: refused: its form states are out of order or repeated; the file is damaged."), name);
		if (!unit_code_valid(st->unit) || period_type_of(st->period) < 0 || !is_code_name(st->form, CODE_MAX))
			note(fp, EP_DAMAGED, _("%s: refused: a form state's unit, period or form is not written the way tianbao writes them; the file is damaged."),
			     name);
		if (c[3].type == EC_TEXT &&
		    ((c[3].n == 8 && memcmp(c[3].s, "progress", 8) == 0) || (c[3].n == 8 && memcmp(c[3].s, "complete", 8) == 0))) {
			st->state = xstrndup(c[3].s, c[3].n);
			if (st->state[0] == 'c')
				xf->info.complete_count++;
		} else {
			st->state = xstrdup("");
			note(fp, EP_DAMAGED, _("%s: refused: %s %s %s: the form state '%s' is not one tianbao writes ('progress' or 'complete'); the file is damaged or was not written by tianbao."),
			     name, shown_str(st->unit, b1, sizeof b1), shown_str(st->period, b2, sizeof b2),
			     shown_str(st->form, b3, sizeof b3),
			     c[3].type == EC_TEXT || c[3].type == EC_BLOB ? shown(c[3].s, c[3].n, b4, sizeof b4) : "?");
		}
		if (c[4].type == EC_TEXT && c[4].n == 20 && cell_text_ok(&c[4], 20, false)) {
			enum stamp_check tc;

			st->changed_at = xstrndup(c[4].s, c[4].n);
			tc = stamp_check(st->changed_at, now);
			if (tc == STAMP_FUTURE)
				note(fp, EP_VALUE, _("%s: refused: the state of %s %s %s was set at %s, more than a day later than this computer's clock (now %s). Either this computer's clock or that of the computer that set it is wrong: check this computer's date and time first; if they are right, the other computer's clock was ahead: set it right there, set the form's state there again (change a value, or complete the form again after changing one) and export again."),
				     name, st->unit, st->period, st->form, st->changed_at, now_text);
			else if (tc == STAMP_EARLY)
				note(fp, EP_VALUE, _("%s: refused: the state of %s %s %s was set at %s, before 2000: the clock of the computer that set it was wrong then. Set that computer's clock right, set the form's state there again and export again."),
				     name, st->unit, st->period, st->form, st->changed_at);
			else if (tc == STAMP_MALFORMED)
				note(fp, EP_DAMAGED, _("%s: refused: the state of %s %s %s was set at '%s', which is not a real date and time; the file is damaged or was not written by tianbao."),
				     name, st->unit, st->period, st->form, st->changed_at);
		} else {
			st->changed_at = xstrdup("");
			note(fp, EP_DAMAGED, _("%s: refused: the state of %s %s %s has no valid time; the file is damaged."), name,
			     st->unit, st->period, st->form);
		}
		if (cell_text_ok(&c[5], EXPORT_NAME_MAX, false)) {
			st->changed_by = xstrndup(c[5].s, c[5].n);
		} else {
			st->changed_by = xstrdup("");
			note(fp, EP_VALUE, _("%s: refused: %s %s %s: the name of who set the form's state is empty, too long, not valid UTF-8 or holds control characters."),
			     name, st->unit, st->period, st->form);
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		file_failed(db, name, pb, e);
		return -1;
	}
	xf->info.state_count = xf->nstates;
	return 0;
}

/* The manifest's own statements against what the file holds. */
static void check_manifest(struct export_file *xf, int version, char *mvals[ARRAY_LEN(manifest_keys)],
			   struct first_problem *fp, const char *name)
{
	struct export_info *in = &xf->info;
	time_t now = time(NULL);
	char **list = NULL;
	int nlist = 0;
	int64_t count = -1;
	enum stamp_check written = STAMP_OK;

	for (size_t k = 0; k < ARRAY_LEN(manifest_keys); k++) {
		const char *key = manifest_keys[k], *v = mvals[k];
		size_t n = strlen(v);
		bool ok = true;

		if (strcmp(key, "checksum") == 0 || strcmp(key, "manifest_checksum") == 0) {
			ok = n == 64 && is_hex(v, 64);
		} else if (strcmp(key, "export_version") == 0) {
			ok = parse_int64(v, &count) == 0 && count == version;
			in->version = version;
		} else if (strcmp(key, "installation") == 0) {
			ok = n == 32 && is_hex(v, 32);
			if (ok)
				memcpy(in->installation, v, 33);
		} else if (strcmp(key, "installation_unit") == 0) {
			ok = n == 0 || unit_code_valid(v);
			if (ok)
				memcpy(in->installation_unit, v, n + 1);
		} else if (strcmp(key, "operator") == 0) {
			ok = n >= 1 && n <= EXPORT_NAME_MAX;
			if (ok)
				memcpy(in->written_by, v, n + 1);
		} else if (strcmp(key, "program_version") == 0) {
			ok = n >= 1 && n < sizeof in->program_version;
			for (size_t i = 0; ok && i < n; i++)
				ok = (v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'z') || v[i] == '.' || v[i] == '-' ||
				     v[i] == '+' || (v[i] >= 'A' && v[i] <= 'Z');
			if (ok)
				memcpy(in->program_version, v, n + 1);
		} else if (strcmp(key, "written_at") == 0) {
			written = stamp_check(v, now);
			ok = written == STAMP_OK;
			if (ok)
				memcpy(in->written_at, v, n + 1);
		} else if (strcmp(key, "value_count") == 0) {
			ok = parse_int64(v, &in->value_count) == 0 &&
			     in->value_count == xf->nvalues - in->superseded_count;
		} else if (strcmp(key, "units") == 0 || strcmp(key, "periods") == 0) {
			bool units = key[0] == 'u';

			split_list(v, &list, &nlist);
			ok = units ? same_list(list, nlist, in->units, in->nunits) : same_list(list, nlist, in->periods, in->nperiods);
			store_free_list(list, nlist);
			list = NULL;
		}
		if (!ok && strcmp(key, "written_at") == 0 && written == STAMP_FUTURE) {
			char now_text[32];

			iso8601_of(now, now_text);
			note(fp, EP_VALUE, _("%s: refused: it says it was written at %s, more than a day later than this computer's clock (now %s). Either this computer's clock or that of the computer that wrote it is wrong: check this computer's date and time first; if they are right, set the other computer's clock right and export again."),
			     name, v, now_text);
		} else if (!ok && strcmp(key, "written_at") == 0 && written == STAMP_EARLY) {
			note(fp, EP_VALUE, _("%s: refused: it says it was written at %s, before 2000: the clock of the computer that wrote it was wrong. Set that computer's clock right and export again."),
			     name, v);
		} else if (!ok)
			note(fp, EP_DAMAGED, _("%s: refused: its manifest entry '%s' does not match the file; the file is damaged or was not written by tianbao."),
			     name, key);
	}
	/* Every form listed is used, and nothing else. */
	for (int i = 0; i < in->nforms; i++) {
		bool used = false;

		for (int j = 0; j < xf->nvalues && !used; j++)
			used = strcmp(xf->values[j].form, in->forms[i].id) == 0;
		if (!used)
			note(fp, EP_DAMAGED, _("%s: refused: its manifest lists form '%s' but the file holds no value of it; the file is damaged."),
			     name, in->forms[i].id);
	}
}

/* Values by unit, period and form, the latest first (greatest updated_at, then the
 * greater installation id). */
static int latest_first(const void *pa, const void *pb)
{
	const struct export_value *a = *(const struct export_value *const *)pa, *b = *(const struct export_value *const *)pb;
	int c = strcmp(a->unit, b->unit);

	if (!c)
		c = strcmp(a->period, b->period);
	if (!c)
		c = strcmp(a->form, b->form);
	if (!c)
		c = strcmp(b->updated_at, a->updated_at);
	if (!c)
		c = strcmp(b->installation, a->installation);
	return c;
}

/* What the file says of the state of each form it has values of (xf->said), and that it
 * carries no state of a form it has no value of. */
static void settle_states(struct export_file *xf, struct first_problem *fp, const char *name)
{
	const struct export_value **by = xcalloc((size_t)xf->nvalues + 1, sizeof *by);
	int k = 0, nby = 0;

	/* The active values: a form has values in the file when it has active ones. */
	for (int i = 0; i < xf->nvalues; i++)
		if (!xf->values[i].superseded)
			by[nby++] = &xf->values[i];
	qsort(by, (size_t)nby, sizeof *by, latest_first);
	xf->said = xcalloc((size_t)nby + 1, sizeof *xf->said);
	for (int i = 0, j; i < nby; i = j) {
		const struct export_value *v = by[i];
		struct export_form_state *fst = &xf->said[xf->nsaid++];
		struct export_state key = { v->unit, v->period, v->form, NULL, NULL, NULL, NULL };
		int c = -1;

		for (j = i + 1; j < nby && strcmp(by[j]->unit, v->unit) == 0 && strcmp(by[j]->period, v->period) == 0 &&
				strcmp(by[j]->form, v->form) == 0;
		     j++)
			;
		while (k < xf->nstates && (c = state_key_cmp(&xf->states[k], &key)) < 0) {
			note(fp, EP_DAMAGED, _("%s: refused: it holds a state of form '%s' for %s %s but no value of that form there; the file is damaged or was not written by tianbao."),
			     name, xf->states[k].form, xf->states[k].unit, xf->states[k].period);
			k++;
		}
		fst->unit = v->unit;
		fst->period = v->period;
		fst->form = v->form;
		if (k < xf->nstates && c == 0) {
			const struct export_state *st = &xf->states[k++];

			fst->state = st->state;
			fst->changed_at = st->changed_at;
			fst->changed_by = st->changed_by;
			fst->installation = st->installation;
		} else {
			fst->state = "progress";
			fst->changed_at = v->updated_at;
			fst->changed_by = v->updated_by;
			fst->installation = v->installation;
			fst->implied = true;
		}
	}
	for (; k < xf->nstates; k++)
		note(fp, EP_DAMAGED, _("%s: refused: it holds a state of form '%s' for %s %s but no value of that form there; the file is damaged or was not written by tianbao."),
		     name, xf->states[k].form, xf->states[k].unit, xf->states[k].period);
	free(by);
}

/* A form's fields by code, for looking up every value of a file. */
struct field_code {
	const char *code;
	int index;
};

static int field_code_cmp(const void *a, const void *b)
{
	return strcmp(((const struct field_code *)a)->code, ((const struct field_code *)b)->code);
}

struct form_index {
	const struct form *form;
	struct field_code *codes;
};

static struct form_index *index_forms(const struct formset *fs)
{
	struct form_index *ix = xcalloc((size_t)fs->nforms + 1, sizeof *ix);

	for (int i = 0; i < fs->nforms; i++) {
		const struct form *f = &fs->forms[i];

		ix[i].form = f;
		ix[i].codes = xcalloc((size_t)f->nfields + 1, sizeof *ix[i].codes);
		for (int k = 0; k < f->nfields; k++)
			ix[i].codes[k] = (struct field_code){ f->fields[k].code, k };
		qsort(ix[i].codes, (size_t)f->nfields, sizeof *ix[i].codes, field_code_cmp);
	}
	return ix;
}

static void free_form_index(struct form_index *ix)
{
	for (int i = 0; ix[i].form; i++)
		free(ix[i].codes);
	free(ix);
}

static const struct form_index *index_of(const struct form_index *ix, const char *form_id)
{
	for (int i = 0; ix[i].form; i++)
		if (strcmp(ix[i].form->id, form_id) == 0)
			return &ix[i];
	return NULL;
}

static int field_of(const struct form_index *fi, const char *code)
{
	struct field_code key = { code, -1 };
	const struct field_code *hit = bsearch(&key, fi->codes, (size_t)fi->form->nfields, sizeof *fi->codes, field_code_cmp);

	return hit ? hit->index : -1;
}

/* The township's own rules: its units and forms, and each value like typed input. */
static void check_against_forms(const struct export_file *xf, const struct formset *fs, const char *name,
				struct first_problem *fp)
{
	const struct export_info *in = &xf->info;
	struct form_index *ix = index_forms(fs);
	const struct unit *u = NULL;
	struct strbuf sb;
	int bad = 0;

	sb_init(&sb);
	for (int i = 0; i < in->nunits; i++) {
		if (!formset_find_unit(fs, in->units[i])) {
			sb_addf(&sb, "%s%s", bad ? ", " : "", in->units[i]);
			bad++;
		}
	}
	if (bad) {
		note(fp, EP_UNIT, _("%s: refused: it holds data of %d unit(s) this township does not have: %s. Check that the file belongs to this township; otherwise add the unit(s) to %s and merge again."),
		     name, bad, sb_str(&sb), fs->units_file ? fs->units_file : "units.ini");
		goto done;
	}
	for (int i = 0; i < in->nforms; i++) {
		const struct export_form *xform = &in->forms[i];
		const struct form_index *fx = index_of(ix, xform->id);
		const struct form *f = fx ? fx->form : NULL;

		if (!f) {
			note(fp, EP_FIELD, _("%s: refused: it was made with form '%s' (version %d), which this township does not have. Add that form's definition here, then merge again; nothing was merged."),
			     name, xform->id, xform->version);
			goto done;
		}
		{
			char **unknown = NULL;
			int nunknown = 0;

			for (int j = 0; j < xf->nvalues; j++)
				if (strcmp(xf->values[j].form, f->id) == 0 && field_of(fx, xf->values[j].field) < 0)
					set_add(&unknown, &nunknown, xf->values[j].field);
			sb_reset(&sb);
			for (int k = 0; k < nunknown; k++)
				sb_addf(&sb, "%s%s", k ? ", " : "", unknown[k]);
			bad = nunknown;
			store_free_list(unknown, nunknown);
		}
		if (bad) {
			const struct form *other = NULL;

			for (int j = 0; j < xf->nvalues && !other; j++)
				if (strcmp(xf->values[j].form, f->id) == 0 && form_field_index(f, xf->values[j].field) < 0)
					other = formset_form_of_field(fs, xf->values[j].field, NULL);
			if (other)
				note(fp, EP_FIELD, _("%s: refused: it puts field(s) %s on form '%s', but here they belong to form '%s'; the file is damaged or the forms differ. Nothing was merged."),
				     name, sb_str(&sb), f->id, other->id);
			else if (xform->version != f->version)
				note(fp, EP_FIELD, _("%s: refused: it was made with version %d of form '%s' (this township has version %d), and holds field(s) this township does not know: %s. Update the form definitions here, then merge again; nothing was merged."),
				     name, xform->version, f->id, f->version, sb_str(&sb));
			else
				note(fp, EP_FIELD, _("%s: refused: it holds field(s) that form '%s' here does not have: %s (the file's form has the same version %d but a different definition). Make the form definitions agree, then merge again; nothing was merged."),
				     name, f->id, sb_str(&sb), f->version);
			goto done;
		}
	}
	bad = 0;
	for (int j = 0; j < xf->nvalues; j++) {
		const struct export_value *v = &xf->values[j];
		const struct form_index *fx = index_of(ix, v->form);
		const struct form *f = fx->form;
		int fi = field_of(fx, v->field);
		const struct field *fd = &f->fields[fi];
		char *canon = NULL;
		struct ev num;
		struct err ve;

		if (!u || strcmp(u->code, v->unit) != 0)
			u = formset_find_unit(fs, v->unit);   /* values come sorted by unit */
		if (fd->compute) {
			note(fp, EP_FIELD, _("%s: refused: %s %s %s: this field is computed here from other fields, so it takes no value from a file."),
			     name, v->unit, v->period, v->field);
			continue;
		}
		if (!form_applies_to(f, u)) {
			note(fp, EP_VALUE, _("%s: refused: %s %s %s: form '%s' is not reported by %s (%s)."), name, v->unit,
			     v->period, v->field, f->id, i18n_pick(u->name, u->name_en), u->code);
			continue;
		}
		if (!period_valid(v->period, f->period)) {
			note(fp, EP_VALUE, _("%s: refused: %s %s %s: the period does not fit form '%s' (%s)."), name, v->unit,
			     v->period, v->field, f->id, period_type_name(f->period));
			continue;
		}
		if (!v->value)
			continue;
		if (field_parse(fd, v->value, &canon, &num, &ve) != 0) {
			note(fp, EP_VALUE, _("%s: refused: %s %s %s: %s"), name, v->unit, v->period, v->field, ve.msg);
		} else if (!canon || strcmp(canon, v->value) != 0) {
			char b[128];

			note(fp, EP_VALUE, _("%s: refused: %s %s %s: '%s' is not written the way tianbao stores it; the file was not written by tianbao."),
			     name, v->unit, v->period, v->field, shown_str(v->value, b, sizeof b));
		}
		free(canon);
	}
done:
	free_form_index(ix);
	sb_free(&sb);
}

int export_file_load(const char *path, const char *name, const struct formset *fs, struct export_file **out,
		     enum export_problem *problem, struct err *e)
{
	struct export_file *xf = xcalloc(1, sizeof *xf);
	struct schema_row *got = NULL;
	const struct schema_row *want = NULL;
	int ngot = 0, nwant = 0;
	struct work work;
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	char *uri = NULL, *mvals[ARRAY_LEN(manifest_keys)] = { 0 };
	struct sha256 vsum, msum;
	char vhex[65], mhex[65];
	struct first_problem fp;
	off_t size = 0;
	int rc, file_version = 0, nactive = 0;

	*out = NULL;
	*problem = EP_NONE;
	memset(&fp, 0, sizeof fp);
	if (check_header(path, name, problem, e, &size, &file_version) != 0)
		goto fail;
	work.left = WORK_BASE + (long)(size / WORK_PER_BYTES);
	uri = uri_of(path);
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
		file_failed(db, name, problem, e);
		goto fail;
	}
	lock_down(db, &work);

	/* The schema, before anything runs: nothing of the file's own is trusted. */
	if (read_schema(db, &got, &ngot) != 0) {
		file_failed(db, name, problem, e);
		goto fail;
	}
	if (expected_schema(file_version, &want, &nwant) != 0) {
		*problem = EP_STORE;
		err_set(e, "%s", _("tianbao cannot build its own export schema (db/export.sql); this tianbao is broken"));
		goto fail;
	}
	if (compare_schema(got, ngot, want, nwant, name, problem, e) != 0)
		goto fail;

	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK) {
		file_failed(db, name, problem, e);
		goto fail;
	}
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		file_failed(db, name, problem, e);
		goto fail;
	}
	if (strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0 || sqlite3_step(s) != SQLITE_DONE) {
		char b[256];

		*problem = EP_DAMAGED;
		err_set(e, _("%s: refused: the file is damaged or cut short (%s). Copy or export it again."), name,
			shown_str((const char *)sqlite3_column_text(s, 0), b, sizeof b));
		goto fail;
	}
	sqlite3_finalize(s);
	s = NULL;
	{
		int appid = 0, version = 0;

		if (sqlite3_prepare_v2(db, "SELECT (SELECT application_id FROM pragma_application_id), "
				       "(SELECT user_version FROM pragma_user_version)", -1, &s, NULL) != SQLITE_OK ||
		    sqlite3_step(s) != SQLITE_ROW) {
			file_failed(db, name, problem, e);
			goto fail;
		}
		appid = sqlite3_column_int(s, 0);
		version = sqlite3_column_int(s, 1);
		sqlite3_finalize(s);
		s = NULL;
		if (appid != EXPORT_APPLICATION_ID || version != file_version) {
			*problem = EP_DAMAGED;
			err_set(e, _("%s: refused: the file is damaged (its identity changed while it was read)."), name);
			goto fail;
		}
	}

	if (read_manifest(db, &msum, mvals, name, problem, e) != 0 ||
	    read_forms(db, &xf->info, &msum, name, problem, e) != 0 ||
	    read_values(db, xf, false, &vsum, &fp, name, problem, e) != 0)
		goto fail;
	nactive = xf->nvalues;
	if ((file_version >= 3 && read_values(db, xf, true, &vsum, &fp, name, problem, e) != 0) ||
	    (file_version >= 2 && read_states(db, xf, &vsum, &fp, name, problem, e) != 0))
		goto fail;
	sqlite3_close(db);
	db = NULL;
	merge_rows(xf, nactive, &fp, name);

	sum_hex(&vsum, vhex);
	sum_hex(&msum, mhex);
	if (strcmp(vhex, mvals[MK_CHECKSUM]) != 0) {
		*problem = EP_CHECKSUM;
		if (xf->nstates > 0 || xf->info.superseded_count > 0)
			err_set(e, _("%s: refused: checksum mismatch: its values or form states are not the ones it was written with (damaged on the way, or changed). Copy or export it again."),
				name);
		else
			err_set(e, _("%s: refused: checksum mismatch: its values are not the ones it was written with (damaged on the way, or changed). Copy or export it again."),
				name);
		goto fail;
	}
	if (strcmp(mhex, mvals[MK_MANIFEST_CHECKSUM]) != 0) {
		*problem = EP_CHECKSUM;
		err_set(e, _("%s: refused: checksum mismatch: its manifest (who wrote it, when, with which forms) is not the one it was written with. Copy or export it again."),
			name);
		goto fail;
	}
	memcpy(xf->info.checksum, vhex, 65);
	memcpy(xf->info.manifest_checksum, mhex, 65);
	check_manifest(xf, file_version, mvals, &fp, name);
	if (fp.kind == EP_NONE)
		settle_states(xf, &fp, name);
	if (fp.kind == EP_NONE && fs)
		check_against_forms(xf, fs, name, &fp);
	if (fp.kind != EP_NONE) {
		*problem = fp.kind;
		*e = fp.e;
		if (fp.more > 0 && fp.kind == EP_VALUE) {
			size_t n = strlen(e->msg);

			snprintf(e->msg + n, sizeof e->msg - n, _(" (and %d more problem(s))"), fp.more);
		}
		goto fail;
	}
	for (size_t k = 0; k < ARRAY_LEN(manifest_keys); k++)
		free(mvals[k]);
	free_schema(got, ngot);
	free(uri);
	*out = xf;
	return 0;
fail:
	sqlite3_finalize(s);
	sqlite3_close(db);
	for (size_t k = 0; k < ARRAY_LEN(manifest_keys); k++)
		free(mvals[k]);
	free_schema(got, ngot);
	free(uri);
	export_file_free(xf);
	return -1;
}

/* ---- writing ------------------------------------------------------------------------ */

struct kv {
	const char *key;
	char *value;
};

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->key, ((const struct kv *)b)->key);
}

static bool period_wanted(const struct export_spec *spec, const char *period)
{
	if (!spec->periods || spec->nperiods == 0)
		return true;
	for (int i = 0; i < spec->nperiods; i++)
		if (strcmp(spec->periods[i], period) == 0)
			return true;
	return false;
}

static void out_failed(sqlite3 *db, const char *path, struct err *e)
{
	store_fail_db(db, path, e);
}

/* The forms (unit, period, form) an export writes values of, in key order: gathered a
 * unit and period at a time, as the values come. */
struct form_keys {
	struct form_key {
		char *unit, *period, *form;
	} *keys;
	int n;
	char unit[UNIT_CODE_MAX + 1], period[8];
	char **forms;                   /* of the current unit and period, sorted */
	int nforms;
};

static void keys_flush(struct form_keys *k)
{
	k->keys = xreallocarray(k->keys, (size_t)k->n + (size_t)k->nforms + 1, sizeof *k->keys);
	for (int i = 0; i < k->nforms; i++) {
		struct form_key *fk = &k->keys[k->n++];

		fk->unit = xstrdup(k->unit);
		fk->period = xstrdup(k->period);
		fk->form = k->forms[i];
	}
	free(k->forms);
	k->forms = NULL;
	k->nforms = 0;
}

static void keys_add(struct form_keys *k, const char *unit, const char *period, const char *form)
{
	if (strcmp(k->unit, unit) != 0 || strcmp(k->period, period) != 0) {
		keys_flush(k);
		snprintf(k->unit, sizeof k->unit, "%s", unit);
		snprintf(k->period, sizeof k->period, "%s", period);
	}
	set_add(&k->forms, &k->nforms, form);
}

static void keys_free(struct form_keys *k)
{
	for (int i = 0; i < k->n; i++) {
		free(k->keys[i].unit);
		free(k->keys[i].period);
		free(k->keys[i].form);
	}
	free(k->keys);
	store_free_list(k->forms, k->nforms);
	memset(k, 0, sizeof *k);
}

static int key_vs_row(const struct form_key *k, sqlite3_stmt *s)
{
	int c = strcmp(k->unit, (const char *)sqlite3_column_text(s, 0));

	if (!c)
		c = strcmp(k->period, (const char *)sqlite3_column_text(s, 1));
	if (!c)
		c = strcmp(k->form, (const char *)sqlite3_column_text(s, 2));
	return c;
}

/* Whether a time stored here would make a township refuse the file (stamp_check, as an
 * import will run it): then e says which value or form state, what is wrong with its
 * time, that this computer's clock was (or is) wrong, and what to do. Not the stick's
 * fault, and not a damaged file: so it is found before anything is written. */
static bool export_time_refused(const char *unit, const char *period, const char *what, const char *at, bool state,
				time_t now, struct err *e)
{
	enum stamp_check tc = stamp_check(at, now);
	char now_text[32];

	if (tc == STAMP_OK)
		return false;
	iso8601_of(now, now_text);
	if (tc == STAMP_FUTURE && !state)
		err_set(e, _("cannot export: %s %s %s was saved at %s, more than a day later than this computer's clock (now %s), so a township would refuse the file. This computer's clock is wrong now, or was ahead when the value was saved: check its date and time; if they are right, enter that value again (change it, then set it back) so that it is saved with the right time, then export again."),
			unit, period, what, at, now_text);
	else if (tc == STAMP_FUTURE)
		err_set(e, _("cannot export: the state of %s %s %s was set at %s, more than a day later than this computer's clock (now %s), so a township would refuse the file. This computer's clock is wrong now, or was ahead when the state was set: check its date and time; if they are right, set the form's state again (change a value, or complete it again after changing one), then export again."),
			unit, period, what, at, now_text);
	else if (tc == STAMP_EARLY && !state)
		err_set(e, _("cannot export: %s %s %s was saved at %s, before 2000, so a township would refuse the file: this computer's clock was wrong when the value was saved (now it says %s). Check its date and time, enter that value again (change it, then set it back) so that it is saved with the right time, then export again."),
			unit, period, what, at, now_text);
	else if (tc == STAMP_EARLY)
		err_set(e, _("cannot export: the state of %s %s %s was set at %s, before 2000, so a township would refuse the file: this computer's clock was wrong then (now it says %s). Check its date and time, set the form's state again (complete it, or change a value), then export again."),
			unit, period, what, at, now_text);
	else
		err_set(e, _("cannot export: %s %s %s has the time '%s', which is not a real date and time; the database is damaged"),
			unit, period, what, at);
	return true;
}

/* Inside the export's read transaction: the stored state of each form the file has
 * values of, into the file and (after "#states") the values' checksum. */
static int write_states(struct store *st, sqlite3 *out, const char *path, const struct form_keys *k,
			struct sha256 *vsum, struct export_info *info, struct err *e)
{
	sqlite3_stmt *rd = NULL, *wr = NULL;
	int rc = SQLITE_DONE, i = 0, status = -1;
	time_t now = time(NULL);

	if (sqlite3_prepare_v2(st->db,
			       "SELECT unit, period, form, state, changed_at, changed_by, installation FROM form_state "
			       "ORDER BY unit, period, form",
			       -1, &rd, NULL) != SQLITE_OK) {
		store_fail_db(st->db, st->path, e);
		goto done;
	}
	if (sqlite3_prepare_v2(out, "INSERT INTO form_states (unit, period, form, state, changed_at, changed_by, "
			       "installation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &wr, NULL) != SQLITE_OK) {
		out_failed(out, path, e);
		goto done;
	}
	while (i < k->n && (rc = sqlite3_step(rd)) == SQLITE_ROW) {
		struct export_state row;
		int c = 0;

		while (i < k->n && (c = key_vs_row(&k->keys[i], rd)) < 0)
			i++;
		if (i == k->n || c > 0)
			continue;
		row = (struct export_state){
			(char *)sqlite3_column_text(rd, 0), (char *)sqlite3_column_text(rd, 1),
			(char *)sqlite3_column_text(rd, 2), (char *)sqlite3_column_text(rd, 3),
			(char *)sqlite3_column_text(rd, 4), (char *)sqlite3_column_text(rd, 5),
			(char *)sqlite3_column_text(rd, 6),
		};
		if (export_time_refused(row.unit, row.period, row.form, row.changed_at, true, now, e))
			goto done;
		sqlite3_reset(wr);
		for (int col = 0; col < 7; col++)
			store_bind_text(wr, col + 1, (const char *)sqlite3_column_text(rd, col));
		if (sqlite3_step(wr) != SQLITE_DONE) {
			out_failed(out, path, e);
			goto done;
		}
		if (info->state_count++ == 0)
			export_sum_section(vsum, "states");
		sum_state(vsum, &row);
		if (strcmp(row.state, "complete") == 0)
			info->complete_count++;
		i++;
	}
	if (i < k->n && rc != SQLITE_DONE) {
		store_fail_db(st->db, st->path, e);
		goto done;
	}
	status = 0;
done:
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	return status;
}

int store_export_write(struct store *st, const char *path, const struct export_spec *spec, struct export_info *info,
		       int *left_out, struct err *e)
{
	sqlite3 *out = NULL;
	sqlite3_stmt *rd = NULL, *wr = NULL;
	struct sha256 vsum, msum;
	char *unit = NULL, count[32], ver[16];
	struct kv kv[ARRAY_LEN(manifest_keys)];
	struct form_keys keys;
	int rc, nkv = 0, result = -1;
	bool reading = false;
	time_t now = time(NULL);
	char last_time[32] = "";

	memset(info, 0, sizeof *info);
	memset(&keys, 0, sizeof keys);
	memset(kv, 0, sizeof kv);
	*left_out = 0;
	if (store_meta_get(st, "unit", &unit, e) != 0)
		return -1;
	if (sqlite3_open_v2(path, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL) !=
	    SQLITE_OK) {
		out_failed(out, path, e);
		goto done;
	}
	/* A private file the caller copies and syncs: no journal needed while it is built. */
	if (sqlite3_exec(out, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(out, export_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(out, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		out_failed(out, path, e);
		goto done;
	}
	/* One read transaction: a consistent picture even while another tianbao writes. */
	if (store_exec(st, "BEGIN", e) != 0)
		goto done;
	reading = true;
	export_sum_begin(&vsum, "values");
	/* First the active candidates into vals, then those a decision set aside into
	 * superseded (only beside an active one: a key whose candidates are all set aside -
	 * copies of one database that decided differently - has them all counted, so they
	 * go in vals). */
	for (int pass = 0; pass < 2; pass++) {
		static const char *const read_sql[2] = {
			"SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by "
			"FROM candidates c WHERE superseded = 0 OR NOT EXISTS (SELECT 1 FROM candidates a "
			"WHERE a.unit = c.unit AND a.period = c.period AND a.field = c.field AND a.superseded = 0) "
			"ORDER BY unit, period, field, installation",
			"SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by "
			"FROM candidates c WHERE superseded = 1 AND EXISTS (SELECT 1 FROM candidates a "
			"WHERE a.unit = c.unit AND a.period = c.period AND a.field = c.field AND a.superseded = 0) "
			"ORDER BY unit, period, field, installation",
		};
		static const char *const write_sql[2] = {
			"INSERT INTO vals (unit, period, field, installation, form, value, revision, updated_at, "
			"updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			"INSERT INTO superseded (unit, period, field, installation, form, value, revision, updated_at, "
			"updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		};

		if (sqlite3_prepare_v2(out, write_sql[pass], -1, &wr, NULL) != SQLITE_OK) {
			out_failed(out, path, e);
			goto done;
		}
		if (sqlite3_prepare_v2(st->db, read_sql[pass], -1, &rd, NULL) != SQLITE_OK) {
			store_fail_db(st->db, st->path, e);
			goto done;
		}
		while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
			struct export_value v = {
				(char *)sqlite3_column_text(rd, 0), (char *)sqlite3_column_text(rd, 1),
				(char *)sqlite3_column_text(rd, 2), (char *)sqlite3_column_text(rd, 3),
				(char *)sqlite3_column_text(rd, 4), (char *)sqlite3_column_text(rd, 5),
				sqlite3_column_int64(rd, 6), (char *)sqlite3_column_text(rd, 7),
				(char *)sqlite3_column_text(rd, 8), pass == 1,
			};
			const struct form *f;
			int fi;

			if (!period_wanted(spec, v.period))
				continue;
			f = formset_find_form(spec->fs, v.form);
			if (!f) {
				err_set(e, _("the database holds values of form '%s', which the form definitions here do not have; add that form's definition, then export again"),
					v.form);
				goto done;
			}
			fi = form_field_index(f, v.field);
			if (fi < 0 || f->fields[fi].compute) {
				/* A field a later version of the form dropped: kept here, not carried. */
				if (pass == 0)
					(*left_out)++;
				continue;
			}
			if (strcmp(v.updated_at, last_time) != 0) {
				/* Values of one write share their time: each time is checked once. */
				if (export_time_refused(v.unit, v.period, v.field, v.updated_at, false, now, e))
					goto done;
				snprintf(last_time, sizeof last_time, "%s", v.updated_at);
			}
			sqlite3_reset(wr);
			store_bind_text(wr, 1, v.unit);
			store_bind_text(wr, 2, v.period);
			store_bind_text(wr, 3, v.field);
			store_bind_text(wr, 4, v.installation);
			store_bind_text(wr, 5, v.form);
			store_bind_text(wr, 6, v.value);
			sqlite3_bind_int64(wr, 7, v.revision);
			store_bind_text(wr, 8, v.updated_at);
			store_bind_text(wr, 9, v.updated_by);
			if (sqlite3_step(wr) != SQLITE_DONE) {
				out_failed(out, path, e);
				goto done;
			}
			if (pass == 1 && info->superseded_count == 0)
				export_sum_section(&vsum, "superseded");
			sum_value(&vsum, &v);
			if (pass == 0) {
				keys_add(&keys, v.unit, v.period, v.form);
				info->value_count++;
				if (info->nunits == 0 || strcmp(info->units[info->nunits - 1], v.unit) != 0)
					set_add(&info->units, &info->nunits, v.unit);
				set_add(&info->periods, &info->nperiods, v.period);
			} else {
				info->superseded_count++;
			}
			if (find_form(info, f->id) < 0) {
				int k;

				info->forms = xreallocarray(info->forms, (size_t)info->nforms + 1, sizeof *info->forms);
				for (k = info->nforms; k > 0 && strcmp(info->forms[k - 1].id, f->id) > 0; k--)
					info->forms[k] = info->forms[k - 1];
				snprintf(info->forms[k].id, sizeof info->forms[k].id, "%s", f->id);
				info->forms[k].version = f->version;
				memcpy(info->forms[k].hash, f->hash, 65);
				info->nforms++;
			}
		}
		if (rc != SQLITE_DONE) {
			store_fail_db(st->db, st->path, e);
			goto done;
		}
		sqlite3_finalize(rd);
		rd = NULL;
		sqlite3_finalize(wr);
		wr = NULL;
	}
	keys_flush(&keys);
	if (write_states(st, out, path, &keys, &vsum, info, e) != 0)
		goto done;
	store_rollback(st);
	reading = false;
	if (info->value_count == 0) {
		result = 1;
		goto done;
	}
	sqlite3_finalize(wr);
	wr = NULL;

	/* The manifest, then its checksum over itself and the forms. */
	info->version = export_version();
	sum_hex(&vsum, info->checksum);
	memcpy(info->installation, store_installation_id(st), 33);
	snprintf(info->installation_unit, sizeof info->installation_unit, "%s", unit ? unit : "");
	snprintf(info->written_by, sizeof info->written_by, "%s", spec->operator_name);
	snprintf(info->program_version, sizeof info->program_version, "%s", TIANBAO_VERSION);
	now_iso8601(info->written_at);
	snprintf(count, sizeof count, "%lld", (long long)info->value_count);
	snprintf(ver, sizeof ver, "%d", info->version);
	for (int i = 0; i < 2; i++) {
		char *list = i == 0 ? join_list(info->units, info->nunits) : join_list(info->periods, info->nperiods);
		size_t n = strlen(list);

		free(list);
		if (n > EXPORT_MANIFEST_VALUE_MAX) {
			if (i == 0)
				err_set(e, _("cannot export: the values are of %d units, and their list (%zu bytes) is longer than an export file may carry (%d bytes)"),
					info->nunits, n, EXPORT_MANIFEST_VALUE_MAX);
			else
				err_set(e, _("cannot export: the values are of %d periods, and their list (%zu bytes) is longer than an export file may carry (%d bytes); export fewer periods at a time with --period"),
					info->nperiods, n, EXPORT_MANIFEST_VALUE_MAX);
			goto done;
		}
	}
	kv[nkv++] = (struct kv){ "checksum", xstrdup(info->checksum) };
	kv[nkv++] = (struct kv){ "export_version", xstrdup(ver) };
	kv[nkv++] = (struct kv){ "installation", xstrdup(info->installation) };
	kv[nkv++] = (struct kv){ "installation_unit", xstrdup(info->installation_unit) };
	kv[nkv++] = (struct kv){ "operator", xstrdup(info->written_by) };
	kv[nkv++] = (struct kv){ "periods", join_list(info->periods, info->nperiods) };
	kv[nkv++] = (struct kv){ "program_version", xstrdup(info->program_version) };
	kv[nkv++] = (struct kv){ "units", join_list(info->units, info->nunits) };
	kv[nkv++] = (struct kv){ "value_count", xstrdup(count) };
	kv[nkv++] = (struct kv){ "written_at", xstrdup(info->written_at) };
	qsort(kv, (size_t)nkv, sizeof *kv, kv_cmp);
	export_sum_begin(&msum, "manifest");
	for (int i = 0; i < nkv; i++) {
		struct export_cell c[2] = { text_cell(kv[i].key), text_cell(kv[i].value) };

		export_sum_row(&msum, c, 2);
	}
	export_sum_section(&msum, "forms");
	for (int i = 0; i < info->nforms; i++) {
		struct export_cell c[3] = { text_cell(info->forms[i].id), int_cell(info->forms[i].version),
					    text_cell(info->forms[i].hash) };

		export_sum_row(&msum, c, 3);
	}
	sum_hex(&msum, info->manifest_checksum);
	kv[nkv++] = (struct kv){ "manifest_checksum", xstrdup(info->manifest_checksum) };

	if (sqlite3_prepare_v2(out, "INSERT INTO manifest (key, value) VALUES (?1, ?2)", -1, &wr, NULL) != SQLITE_OK) {
		out_failed(out, path, e);
		goto done;
	}
	for (int i = 0; i < nkv; i++) {
		sqlite3_reset(wr);
		store_bind_text(wr, 1, kv[i].key);
		store_bind_text(wr, 2, kv[i].value);
		if (sqlite3_step(wr) != SQLITE_DONE) {
			out_failed(out, path, e);
			goto done;
		}
	}
	sqlite3_finalize(wr);
	if (sqlite3_prepare_v2(out, "INSERT INTO forms (id, version, hash) VALUES (?1, ?2, ?3)", -1, &wr, NULL) !=
	    SQLITE_OK) {
		wr = NULL;
		out_failed(out, path, e);
		goto done;
	}
	for (int i = 0; i < info->nforms; i++) {
		sqlite3_reset(wr);
		store_bind_text(wr, 1, info->forms[i].id);
		sqlite3_bind_int(wr, 2, info->forms[i].version);
		store_bind_text(wr, 3, info->forms[i].hash);
		if (sqlite3_step(wr) != SQLITE_DONE) {
			out_failed(out, path, e);
			goto done;
		}
	}
	sqlite3_finalize(wr);
	wr = NULL;
	if (sqlite3_exec(out, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		out_failed(out, path, e);
		goto done;
	}
	if (sqlite3_close(out) != SQLITE_OK) {
		out_failed(out, path, e);
		goto done;
	}
	out = NULL;
	result = 0;
done:
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	if (reading)
		store_rollback(st);
	if (out) {
		sqlite3_close(out);
		unlink(path);
	}
	for (int i = 0; i < nkv; i++)
		free(kv[i].value);
	free(unit);
	keys_free(&keys);
	if (result != 0)
		export_info_free(info);
	return result;
}

/* ---- merging ---------------------------------------------------------------------- */

enum merge_stmt {
	M_FIND, M_INSERT, M_COUNTS, M_VALS_OF, M_CANDS_OF, M_CAND_PUT, M_CAND_DEL, M_VAL_PUT, M_STATE_GET, M_STATE_PUT,
	M_COUNT
};

static const char *const merge_sql[M_COUNT] = {
	[M_FIND] = "SELECT merged_at FROM merges WHERE checksum = ?1",
	[M_INSERT] = "INSERT INTO merges (checksum, file_name, installation, source_units, exported_by, exported_at, "
		     "merged_at, merged_by, n_new, n_updated, n_unchanged, n_conflicts) "
		     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, 0, 0, 0)",
	[M_COUNTS] = "UPDATE merges SET n_new = ?2, n_updated = ?3, n_unchanged = ?4, n_conflicts = ?5 WHERE id = ?1",
	/* What is stored for a unit and period, in the files' order (by field). */
	[M_VALS_OF] = "SELECT field, value, conflict FROM vals WHERE unit = ?1 AND period = ?2 ORDER BY field",
	/* Every candidate of a unit and period, set aside or not, by field and installation. */
	[M_CANDS_OF] = "SELECT field, installation, form, value, revision, updated_at, updated_by, source, superseded "
		       "FROM candidates WHERE unit = ?1 AND period = ?2 ORDER BY field, installation",
	[M_CAND_PUT] = "INSERT INTO candidates (unit, period, field, installation, form, value, revision, updated_at, "
		       "updated_by, source, superseded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
		       "ON CONFLICT (unit, period, field, installation) DO UPDATE SET form = excluded.form, "
		       "value = excluded.value, revision = excluded.revision, updated_at = excluded.updated_at, "
		       "updated_by = excluded.updated_by, source = excluded.source, superseded = excluded.superseded",
	[M_CAND_DEL] = "DELETE FROM candidates WHERE unit = ?1 AND period = ?2 AND field = ?3 AND installation = ?4",
	[M_VAL_PUT] = "INSERT INTO vals (unit, period, field, form, value, updated_at, updated_by, installation, revision, "
		      "conflict, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
		      "ON CONFLICT (unit, period, field) DO UPDATE SET form = excluded.form, value = excluded.value, "
		      "updated_at = excluded.updated_at, updated_by = excluded.updated_by, "
		      "installation = excluded.installation, revision = excluded.revision, "
		      "conflict = excluded.conflict, source = excluded.source",
	[M_STATE_GET] = "SELECT state, changed_at, changed_by, installation FROM form_state "
			"WHERE unit = ?1 AND period = ?2 AND form = ?3",
	[M_STATE_PUT] = "INSERT INTO form_state (unit, period, form, state, changed_at, changed_by, installation) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (unit, period, form) DO UPDATE SET "
			"state = excluded.state, changed_at = excluded.changed_at, changed_by = excluded.changed_by, "
			"installation = excluded.installation",
};

/* One candidate of a key as the merge rules see it: stored here, or from the file. */
struct crow {
	const char *inst;               /* the installation it is stored (or would be) under */
	const char *form, *value, *updated_at, *updated_by;  /* value NULL: cleared */
	int64_t revision, source;       /* source: a merges.id, 0 when typed here */
	bool superseded;
	bool stored;                    /* read from this database */
	const char *base;               /* the installation it belongs to (copies: see copy_id) */
	char id[33];                    /* a target's installation, when derived (copy_id) */
};

struct store_merger {
	struct store *st;
	bool dry_run;
	sqlite3_stmt *s[M_COUNT];
	struct crow *rows, *targets;    /* scratch for one key, grown as needed */
	int cap;
};

int store_merger_open(struct store *st, bool dry_run, struct store_merger **out, struct err *e)
{
	struct store_merger *m = xcalloc(1, sizeof *m);

	*out = NULL;
	m->st = st;
	m->dry_run = dry_run;
	/* A dry run: one transaction around every file, rolled back at the end. */
	if (dry_run && store_exec(st, "BEGIN IMMEDIATE", e) != 0) {
		free(m);
		return -1;
	}
	*out = m;
	return 0;
}

void store_merger_close(struct store_merger *m)
{
	if (!m)
		return;
	for (int i = 0; i < M_COUNT; i++)
		sqlite3_finalize(m->s[i]);
	if (m->dry_run)
		store_rollback(m->st);
	free(m->rows);
	free(m->targets);
	free(m);
}

static sqlite3_stmt *mstmt(struct store_merger *m, enum merge_stmt id, struct err *e)
{
	if (!m->s[id] &&
	    sqlite3_prepare_v3(m->st->db, merge_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &m->s[id], NULL) != SQLITE_OK) {
		store_fail_db(m->st->db, m->st->path, e);
		return NULL;
	}
	sqlite3_reset(m->s[id]);
	sqlite3_clear_bindings(m->s[id]);
	return m->s[id];
}

/* The merge binds strings that outlive the statement's step: no copies. */
static void bind_static(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static void bind_key(sqlite3_stmt *s, const struct export_value *v)
{
	bind_static(s, 1, v->unit);
	bind_static(s, 2, v->period);
	bind_static(s, 3, v->field);
}

static char *col_text_dup(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NULL : xstrdup((const char *)sqlite3_column_text(s, i));
}

/* ---- copies of one database ------------------------------------------------------------ */

/* Two databases with one installation id (a restored backup, a database file copied to a
 * second computer) number their revisions alike, so two different rows may claim the
 * same installation and revision. Both are kept: the row that is later by content_cmp
 * under the installation's id, every other one under an id derived from it and the row
 * - the first 8 hex digits replaced by those of a SHA-256 over the base id, the
 * revision and the row (the last 24 kept, so the two stay recognisably related).
 * Deterministic, so every township and county that meets the same rows makes the same
 * ids, whatever order they come in. */
static void copy_id(const char *base, int64_t revision, const struct crow *c, char out[33])
{
	struct export_cell cells[6] = {
		text_cell(base), int_cell(revision), text_cell(c->form), text_cell(c->value), text_cell(c->updated_at),
		text_cell(c->updated_by),
	};
	struct sha256 h;
	char hex[65];

	export_sum_begin(&h, "copy");
	export_sum_row(&h, cells, 6);
	sum_hex(&h, hex);
	memcpy(out, memcmp(hex, base, 8) == 0 ? hex + 8 : hex, 8);
	memcpy(out + 8, base + 8, 24);
	out[32] = '\0';
}

/* Whether row c, stored under its own installation, is a copy's row of installation
 * base (its id derived from base, its revision and itself). */
static bool is_copy_of(const struct crow *c, const char *base)
{
	char id[33];

	if (strcmp(c->inst, base) == 0 || strlen(base) != 32 || strlen(c->inst) != 32 ||
	    memcmp(c->inst + 8, base + 8, 24) != 0)
		return false;
	copy_id(base, c->revision, c, id);
	return strcmp(id, c->inst) == 0;
}

static bool same_content(const struct crow *a, const struct crow *b)
{
	return strcmp(a->form, b->form) == 0 && store_same_text(a->value, b->value) &&
	       strcmp(a->updated_at, b->updated_at) == 0 && strcmp(a->updated_by, b->updated_by) == 0;
}

/* Of two different rows at one installation and revision, the one that keeps the
 * installation's id: the later write (greater updated_at), then the greater updated_by,
 * the greater value (a cleared one least), the greater form. */
static int content_cmp(const struct crow *a, const struct crow *b)
{
	int c = strcmp(a->updated_at, b->updated_at);

	if (!c)
		c = strcmp(a->updated_by, b->updated_by);
	if (!c)
		c = (a->value != NULL) - (b->value != NULL);
	if (!c && a->value && b->value)
		c = strcmp(a->value, b->value);
	if (!c)
		c = strcmp(a->form, b->form);
	return c;
}

static int content_later_first(const void *pa, const void *pb)
{
	return content_cmp(pb, pa);
}

/* Each row's base: its own installation, or - when its installation is a copy's id
 * (copy_id) of another installation among the rows - that one's base. */
static void find_bases(struct crow *r, int n)
{
	for (int k = 0; k < n; k++) {
		r[k].base = r[k].inst;
		for (int j = 0; j < n; j++)
			if (strcmp(r[j].inst, r[k].inst) != 0 && (r[k].base == r[k].inst || strcmp(r[j].inst, r[k].base) < 0) &&
			    is_copy_of(&r[k], r[j].inst))
				r[k].base = r[j].inst;
	}
	/* A copy of a copy belongs to the first one's base. */
	for (int pass = 0; pass < n; pass++) {
		bool moved = false;

		for (int k = 0; k < n; k++)
			for (int j = 0; j < n; j++)
				if (r[j].base != r[j].inst && strcmp(r[j].inst, r[k].base) == 0 && strcmp(r[j].base, r[k].base) != 0) {
					r[k].base = r[j].base;
					moved = true;
				}
		if (!moved)
			break;
	}
}

/* ---- one key ------------------------------------------------------------------------------ */

/* A value stored here before the file: what is shown, and whether it is disputed. */
struct stored {
	char *field, *value;
	bool conflict;
};

static void free_stored(struct stored *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].field);
		free(v[i].value);
	}
	free(v);
}

/* A stored candidate (strings owned). */
struct stored_cand {
	char *field;
	struct crow row;
	char *own[6];
};

static void free_stored_cands(struct stored_cand *c, int n)
{
	for (int i = 0; i < n; i++)
		for (int k = 0; k < 6; k++)
			free(c[i].own[k]);
	free(c);
}

static int load_stored(struct store_merger *m, const struct export_value *key, struct stored **out, int *n,
		       struct stored_cand **cands, int *ncands, struct err *e)
{
	sqlite3_stmt *s = mstmt(m, M_VALS_OF, e);
	int rc;

	*out = NULL;
	*n = 0;
	*cands = NULL;
	*ncands = 0;
	if (!s)
		return -1;
	bind_static(s, 1, key->unit);
	bind_static(s, 2, key->period);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xreallocarray(*out, (size_t)*n + 1, sizeof **out);
		(*out)[*n].field = col_text_dup(s, 0);
		(*out)[*n].value = col_text_dup(s, 1);
		(*out)[*n].conflict = sqlite3_column_int(s, 2) != 0;
		(*n)++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	if (*n == 0)
		return 0;   /* no value, so no candidate either (every writer makes both together) */
	if (!(s = mstmt(m, M_CANDS_OF, e)))
		goto fail_quiet;
	bind_static(s, 1, key->unit);
	bind_static(s, 2, key->period);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct stored_cand *c;

		*cands = xreallocarray(*cands, (size_t)*ncands + 1, sizeof **cands);
		c = &(*cands)[(*ncands)++];
		memset(c, 0, sizeof *c);
		c->field = c->own[0] = col_text_dup(s, 0);
		c->row.inst = c->own[1] = col_text_dup(s, 1);
		c->row.form = c->own[2] = col_text_dup(s, 2);
		c->row.value = c->own[3] = col_text_dup(s, 3);
		c->row.revision = sqlite3_column_int64(s, 4);
		c->row.updated_at = c->own[4] = col_text_dup(s, 5);
		c->row.updated_by = c->own[5] = col_text_dup(s, 6);
		c->row.source = sqlite3_column_int64(s, 7);
		c->row.superseded = sqlite3_column_int(s, 8) != 0;
		c->row.stored = true;
		if (!c->field || !c->row.inst || !c->row.form || !c->row.updated_at || !c->row.updated_by) {
			sqlite3_reset(s);
			err_set(e, _("%s: a candidate of %s %s has an empty column; the database is damaged"), m->st->path,
				key->unit, key->period);
			goto fail_quiet;
		}
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
fail:
	store_fail_db(m->st->db, m->st->path, e);
fail_quiet:
	free_stored(*out, *n);
	free_stored_cands(*cands, *ncands);
	*out = NULL;
	*n = 0;
	*cands = NULL;
	*ncands = 0;
	return -1;
}

static void grow_scratch(struct store_merger *m, int n)
{
	if (n <= m->cap)
		return;
	m->cap = n < 16 ? 16 : 2 * n;
	m->rows = xreallocarray(m->rows, (size_t)m->cap, sizeof *m->rows);
	m->targets = xreallocarray(m->targets, (size_t)m->cap, sizeof *m->targets);
}

/* The candidates a key must have, from every row known of it (rows[0..n): stored here and
 * in the file), into targets; returns how many. Per installation (with the rows of its
 * copies, find_bases) only the highest revision counts; of its rows at that revision,
 * the same row seen several times is one, set aside when any copy of it was (a decision
 * anywhere sets it aside for good; a higher revision is new and counts again); different
 * rows (copies of one database) are all kept, the later one under the installation's
 * id, each other under copy_id. *copies says whether there were different rows. A
 * function of the set of rows alone, so the result never depends on the order files
 * come in. */
static int settle_key(struct crow *rows, int n, struct crow *targets, bool *copies)
{
	int nt = 0;

	*copies = false;
	find_bases(rows, n);
	for (int k = 0; k < n; k++) {
		const char *base = rows[k].base;
		int64_t top = 0;
		int first = nt;
		bool seen = false;

		for (int j = 0; j < k && !seen; j++)
			seen = strcmp(rows[j].base, base) == 0;
		if (seen)
			continue;   /* this installation's rows were settled with an earlier row */
		for (int j = k; j < n; j++)
			if (strcmp(rows[j].base, base) == 0 && rows[j].revision > top)
				top = rows[j].revision;
		for (int j = k; j < n; j++) {
			struct crow *r = &rows[j];
			int t;

			if (strcmp(r->base, base) != 0 || r->revision != top)
				continue;
			for (t = first; t < nt && !same_content(&targets[t], r); t++)
				;
			if (t == nt) {
				targets[nt] = *r;
				targets[nt].stored = false;
				targets[nt].source = r->stored ? r->source : -1;
				nt++;
			} else {
				targets[t].superseded = targets[t].superseded || r->superseded;
				if (r->stored && targets[t].source < 0)
					targets[t].source = r->source;   /* keeps where it first came from */
			}
		}
		if (nt - first > 1) {
			*copies = true;
			qsort(&targets[first], (size_t)(nt - first), sizeof *targets, content_later_first);
		}
		for (int t = first; t < nt; t++) {
			if (t == first) {
				targets[t].inst = base;
			} else {
				copy_id(base, top, &targets[t], targets[t].id);
				targets[t].inst = targets[t].id;
			}
		}
	}
	return nt;
}

static bool same_row(const struct crow *a, const struct crow *b)
{
	return a->revision == b->revision && a->superseded == b->superseded && same_content(a, b);
}

/* The value shown: of the active candidates (when a decision set every one aside - copies
 * of one database deciding differently - of all of them), the latest write, ties to the
 * greater installation id; in conflict while they disagree. */
static const struct crow *pick_of(const struct crow *t, int n, bool *conflict)
{
	const struct crow *best = NULL, *first = NULL;
	bool any_active = false;

	for (int i = 0; i < n; i++)
		any_active = any_active || !t[i].superseded;
	*conflict = false;
	for (int i = 0; i < n; i++) {
		int c;

		if (any_active && t[i].superseded)
			continue;
		if (!first)
			first = &t[i];
		else if (!store_same_text(first->value, t[i].value))
			*conflict = true;
		c = best ? strcmp(t[i].updated_at, best->updated_at) : 1;
		if (c > 0 || (c == 0 && strcmp(t[i].inst, best->inst) > 0))
			best = &t[i];
	}
	return best;
}

/* One key of the file: values[i..j) are its rows; old is what is stored (NULL: nothing
 * yet), sc[0..nsc) its stored candidates. */
static int merge_key(struct store_merger *m, const struct export_file *xf, int i, int j, const struct stored *old,
		     const struct stored_cand *sc, int nsc, int64_t merge_id, const char *by, const char *now,
		     struct merge_counts *counts, struct err *e)
{
	const struct export_value *key = &xf->values[i];
	const char *old_value = old ? old->value : NULL;
	bool conflict_before = old && old->conflict, changed = false, value_changed, conflict, copies;
	const struct crow *p;
	sqlite3_stmt *s;
	int n = 0, nt;

	grow_scratch(m, nsc + (j - i));
	for (int k = 0; k < nsc; k++)
		m->rows[n++] = sc[k].row;
	for (int k = i; k < j; k++) {
		const struct export_value *v = &xf->values[k];

		m->rows[n++] = (struct crow){ v->installation, v->form, v->value, v->updated_at, v->updated_by, v->revision,
					      merge_id, v->superseded, false, NULL, "" };
	}
	nt = settle_key(m->rows, n, m->targets, &copies);
	/* Write what differs from what is stored: new and changed candidates, and drop those
	 * that are no longer one (an older revision of an installation's copies). */
	for (int t = 0; t < nt; t++) {
		struct crow *tg = &m->targets[t];
		const struct crow *was = NULL;

		for (int k = 0; k < nsc && !was; k++)
			if (strcmp(sc[k].row.inst, tg->inst) == 0)
				was = &sc[k].row;
		if (tg->source < 0)
			tg->source = merge_id;
		if (was && same_row(was, tg) && was->source == tg->source)
			continue;
		if (!(s = mstmt(m, M_CAND_PUT, e)))
			return -1;
		bind_key(s, key);
		bind_static(s, 4, tg->inst);
		bind_static(s, 5, tg->form);
		bind_static(s, 6, tg->value);
		sqlite3_bind_int64(s, 7, tg->revision);
		bind_static(s, 8, tg->updated_at);
		bind_static(s, 9, tg->updated_by);
		if (tg->source > 0)
			sqlite3_bind_int64(s, 10, tg->source);
		sqlite3_bind_int(s, 11, tg->superseded);
		if (store_step_done(m->st, s, e) != 0)
			return -1;
		changed = true;
	}
	for (int k = 0; k < nsc; k++) {
		bool kept = false;

		for (int t = 0; t < nt && !kept; t++)
			kept = strcmp(m->targets[t].inst, sc[k].row.inst) == 0;
		if (kept)
			continue;
		if (!(s = mstmt(m, M_CAND_DEL, e)))
			return -1;
		bind_key(s, key);
		bind_static(s, 4, sc[k].row.inst);
		if (store_step_done(m->st, s, e) != 0)
			return -1;
		changed = true;
	}
	if (!changed) {
		/* Everything in the file was known: the key stays as it is. */
		if (conflict_before)
			counts->n_conflicting++;
		else
			counts->n_unchanged++;
		return 0;
	}
	if (copies)
		counts->n_copies++;
	p = pick_of(m->targets, nt, &conflict);
	value_changed = !store_same_text(old_value, p->value);
	if (!(s = mstmt(m, M_VAL_PUT, e)))
		return -1;
	bind_key(s, key);
	bind_static(s, 4, p->form);
	bind_static(s, 5, p->value);
	bind_static(s, 6, p->updated_at);
	bind_static(s, 7, p->updated_by);
	bind_static(s, 8, p->inst);
	sqlite3_bind_int64(s, 9, p->revision);
	sqlite3_bind_int(s, 10, conflict);
	if (p->source > 0)
		sqlite3_bind_int64(s, 11, p->source);
	if (store_step_done(m->st, s, e) != 0)
		return -1;
	if (value_changed && store_audit_add(m->st, now, key->unit, key->period, p->form, key->field, old_value, p->value, by,
					     "imported", merge_id, e) != 0)
		return -1;
	/* The form's state is not touched here: it comes from the file (merge_state), and a
	 * value in conflict shows the form in progress when read (form_state_shown). */
	if (conflict)
		counts->n_conflicting++;
	else if (!old)
		counts->n_new++;
	else if (value_changed)
		counts->n_updated++;
	else
		counts->n_unchanged++;
	return 0;
}

static bool same_group(const struct export_value *a, const struct export_value *b)
{
	return strcmp(a->unit, b->unit) == 0 && strcmp(a->period, b->period) == 0;
}

/* Every key of the file, a unit and period at a time. */
static int merge_values(struct store_merger *m, const struct export_file *xf, int64_t id, const char *by, const char *now,
			struct merge_counts *counts, struct err *e)
{
	for (int g = 0, gend; g < xf->nvalues; g = gend) {
		struct stored *old = NULL;
		struct stored_cand *sc = NULL;
		int nold = 0, nsc = 0, o = 0, c = 0;

		for (gend = g + 1; gend < xf->nvalues && same_group(&xf->values[g], &xf->values[gend]); gend++)
			;
		if (load_stored(m, &xf->values[g], &old, &nold, &sc, &nsc, e) != 0)
			return -1;
		for (int i = g, j; i < gend; i = j) {
			const struct export_value *k = &xf->values[i];
			int c0;

			for (j = i + 1; j < gend && strcmp(xf->values[j].field, k->field) == 0; j++)
				;
			while (o < nold && strcmp(old[o].field, k->field) < 0)
				o++;
			while (c < nsc && strcmp(sc[c].field, k->field) < 0)
				c++;
			for (c0 = c; c < nsc && strcmp(sc[c].field, k->field) == 0; c++)
				;
			if (merge_key(m, xf, i, j, o < nold && strcmp(old[o].field, k->field) == 0 ? &old[o] : NULL, &sc[c0],
				      c - c0, id, by, now, counts, e) != 0) {
				free_stored(old, nold);
				free_stored_cands(sc, nsc);
				return -1;
			}
		}
		free_stored(old, nold);
		free_stored_cands(sc, nsc);
	}
	return 0;
}

/* The state of one form the file has values of: what the file says of it (carried, or
 * taken from its values) replaces the state stored here when it is later, with an audit
 * row "imported" when the state itself changes. So the state here is always the latest
 * of every state received and set here, whatever order the files came in. */
static int merge_state(struct store_merger *m, const struct export_form_state *f, int64_t id, const char *by,
		       const char *now, struct merge_counts *counts, struct err *e)
{
	struct state_stamp in = { f->state, f->changed_at, f->changed_by, f->installation };
	char *old[4] = { NULL, NULL, NULL, NULL };
	sqlite3_stmt *s = mstmt(m, M_STATE_GET, e);
	int rc, status = -1;

	if (!s)
		return -1;
	bind_static(s, 1, f->unit);
	bind_static(s, 2, f->period);
	bind_static(s, 3, f->form);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		for (int c = 0; c < 4; c++)
			old[c] = col_text_dup(s, c);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail_db(m->st->db, m->st->path, e);
		goto done;
	}
	if (old[0] && old[1] && old[2] && old[3]) {
		struct state_stamp here = { old[0], old[1], old[2], old[3] };

		if (!store_state_later(&in, &here)) {
			status = 0;
			goto done;
		}
	}
	if (!(s = mstmt(m, M_STATE_PUT, e)))
		goto done;
	bind_static(s, 1, f->unit);
	bind_static(s, 2, f->period);
	bind_static(s, 3, f->form);
	bind_static(s, 4, f->state);
	bind_static(s, 5, f->changed_at);
	bind_static(s, 6, f->changed_by);
	bind_static(s, 7, f->installation);
	if (store_step_done(m->st, s, e) != 0)
		goto done;
	if (!old[0] || strcmp(old[0], f->state) != 0) {
		if (store_audit_add(m->st, now, f->unit, f->period, f->form, "", old[0] ? old[0] : "empty", f->state, by,
				    "imported", id, e) != 0)
			goto done;
		if (strcmp(f->state, "complete") == 0)
			counts->n_complete++;
		else
			counts->n_progress++;
	}
	status = 0;
done:
	for (int c = 0; c < 4; c++)
		free(old[c]);
	return status;
}

static void merge_end(struct store *st, bool nested, bool keep)
{
	if (nested) {
		if (!keep)
			sqlite3_exec(st->db, "ROLLBACK TO merge_file", NULL, NULL, NULL);
		sqlite3_exec(st->db, "RELEASE merge_file", NULL, NULL, NULL);
	} else if (!keep) {
		store_rollback(st);
	}
}

int store_merge_file(struct store_merger *m, const struct export_file *xf, const char *file_name,
		     const char *operator_name, struct merge_counts *counts, char merged_before[32], struct err *e)
{
	struct store *st = m->st;
	bool nested = !sqlite3_get_autocommit(st->db);
	char now[32], *units = NULL;
	sqlite3_stmt *s;
	int64_t id;
	int rc;

	memset(counts, 0, sizeof *counts);
	merged_before[0] = '\0';
	now_iso8601(now);
	if (store_exec(st, nested ? "SAVEPOINT merge_file" : "BEGIN IMMEDIATE", e) != 0)
		return -1;
	if (!(s = mstmt(m, M_FIND, e)))
		goto fail;
	bind_static(s, 1, xf->info.checksum);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(merged_before, 32, "%s", (const char *)sqlite3_column_text(s, 0));
		sqlite3_reset(s);
		merge_end(st, nested, false);
		return 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_fail_db(st->db, st->path, e);
		goto fail;
	}
	if (!(s = mstmt(m, M_INSERT, e)))
		goto fail;
	units = join_list(xf->info.units, xf->info.nunits);
	bind_static(s, 1, xf->info.checksum);
	bind_static(s, 2, file_name);
	bind_static(s, 3, xf->info.installation);
	bind_static(s, 4, units);
	bind_static(s, 5, xf->info.written_by);
	bind_static(s, 6, xf->info.written_at);
	bind_static(s, 7, now);
	bind_static(s, 8, operator_name);
	if (store_step_done(st, s, e) != 0)
		goto fail;
	id = sqlite3_last_insert_rowid(st->db);
	if (merge_values(m, xf, id, operator_name, now, counts, e) != 0)
		goto fail;
	for (int i = 0; i < xf->nsaid; i++)
		if (merge_state(m, &xf->said[i], id, operator_name, now, counts, e) != 0)
			goto fail;
	if (!(s = mstmt(m, M_COUNTS, e)))
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, counts->n_new);
	sqlite3_bind_int(s, 3, counts->n_updated);
	sqlite3_bind_int(s, 4, counts->n_unchanged);
	sqlite3_bind_int(s, 5, counts->n_conflicting);
	if (store_step_done(st, s, e) != 0)
		goto fail;
	free(units);
	if (nested) {
		merge_end(st, true, true);
		return 0;
	}
	return store_commit(st, e);
fail:
	free(units);
	merge_end(st, nested, false);
	return -1;
}

/* ---- conflicts -------------------------------------------------------------------------- */

void store_free_conflicts(struct conflict *c, int n)
{
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < c[i].ncands; k++) {
			free(c[i].cands[k].value);
			free(c[i].cands[k].updated_at);
			free(c[i].cands[k].updated_by);
			free(c[i].cands[k].file);
		}
		free(c[i].cands);
		free(c[i].unit);
		free(c[i].period);
		free(c[i].field);
		free(c[i].form);
		free(c[i].value);
	}
	free(c);
}

int store_list_conflicts(struct store *st, const char *period, struct conflict **out, int *n, struct err *e)
{
	sqlite3_stmt *s = NULL, *c = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT unit, period, field, form, value FROM vals WHERE conflict = 1 "
			       "AND (?1 IS NULL OR period = ?1) ORDER BY unit, period, field",
			       -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db,
			       "SELECT c.installation, c.value, c.revision, c.updated_at, c.updated_by, m.file_name "
			       "FROM candidates c LEFT JOIN merges m ON m.id = c.source "
			       "WHERE c.unit = ?1 AND c.period = ?2 AND c.field = ?3 AND c.superseded = 0 "
			       "ORDER BY c.installation",
			       -1, &c, NULL) != SQLITE_OK) {
		store_fail_db(st->db, st->path, e);
		goto fail;
	}
	store_bind_text(s, 1, period);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct conflict *k;

		*out = xreallocarray(*out, (size_t)*n + 1, sizeof **out);
		k = &(*out)[(*n)++];
		memset(k, 0, sizeof *k);
		k->unit = col_text_dup(s, 0);
		k->period = col_text_dup(s, 1);
		k->field = col_text_dup(s, 2);
		k->form = col_text_dup(s, 3);
		k->value = col_text_dup(s, 4);
		sqlite3_reset(c);
		store_bind_text(c, 1, k->unit);
		store_bind_text(c, 2, k->period);
		store_bind_text(c, 3, k->field);
		while ((rc = sqlite3_step(c)) == SQLITE_ROW) {
			struct conflict_candidate *cc;

			k->cands = xreallocarray(k->cands, (size_t)k->ncands + 1, sizeof *k->cands);
			cc = &k->cands[k->ncands++];
			snprintf(cc->installation, sizeof cc->installation, "%s", (const char *)sqlite3_column_text(c, 0));
			cc->value = col_text_dup(c, 1);
			cc->revision = sqlite3_column_int64(c, 2);
			cc->updated_at = col_text_dup(c, 3);
			cc->updated_by = col_text_dup(c, 4);
			cc->file = col_text_dup(c, 5);
		}
		if (rc != SQLITE_DONE) {
			store_fail_db(st->db, st->path, e);
			goto fail;
		}
	}
	if (rc != SQLITE_DONE) {
		store_fail_db(st->db, st->path, e);
		goto fail;
	}
	sqlite3_finalize(s);
	sqlite3_finalize(c);
	return 0;
fail:
	sqlite3_finalize(s);
	sqlite3_finalize(c);
	store_free_conflicts(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}

int store_conflict_is_open(struct store *st, const char *unit, const char *period, const char *field, bool *open,
			   struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	*open = false;
	if (sqlite3_prepare_v2(st->db, "SELECT conflict FROM vals WHERE unit = ?1 AND period = ?2 AND field = ?3", -1, &s,
			       NULL) != SQLITE_OK) {
		store_fail_db(st->db, st->path, e);
		return -1;
	}
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, field);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*open = sqlite3_column_int(s, 0) != 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail_db(st->db, st->path, e);
		return -1;
	}
	return 0;
}

void resolve_result_free(struct resolve_result *r)
{
	free(r->old_value);
	free(r->new_value);
	memset(r, 0, sizeof *r);
}

int store_resolve_take(struct store *st, const char *unit, const char *period, const char *field, const char *prefix,
			const char *operator_name, struct resolve_result *res, struct err *e)
{
	sqlite3_stmt *s = NULL;
	char want[33], now[32];
	struct crow *c = NULL, *taken = NULL;
	char **own = NULL;
	int nc = 0, nown = 0;
	struct strbuf all;
	size_t plen = strlen(prefix);
	int rc, matches = 0;
	int64_t own_rev = 0, source = 0;
	bool open = false, any_active = false;
	const struct crow *shown;
	const char *me = st->installation;

	memset(res, 0, sizeof *res);
	sb_init(&all);
	if (plen < 6 || plen > 32) {
		err_set(e, _("'%s': give at least 6 (and at most 32) hex digits of the installation id, as 'tianbao conflicts' shows it"),
			prefix);
		return -1;
	}
	for (size_t i = 0; i <= plen; i++)
		want[i] = (char)((prefix[i] >= 'A' && prefix[i] <= 'F') ? prefix[i] - 'A' + 'a' : prefix[i]);
	if (!is_hex(want, plen)) {
		err_set(e, _("'%s' is not an installation id: it has letters other than 0-9 and a-f"), prefix);
		return -1;
	}
	now_iso8601(now);
	if (store_exec(st, "BEGIN IMMEDIATE", e) != 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, "SELECT value, conflict FROM vals WHERE unit = ?1 AND period = ?2 AND field = ?3", -1,
			       &s, NULL) != SQLITE_OK)
		goto db_fail;
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, field);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		open = sqlite3_column_int(s, 1) != 0;
		res->old_value = col_text_dup(s, 0);
	} else if (rc != SQLITE_DONE) {
		goto db_fail;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (!open) {
		err_set(e, _("there is no open conflict for %s %s %s: nothing to resolve (see 'tianbao conflicts')"), unit,
			period, field);
		goto fail;
	}
	/* Every candidate: those that count are the active ones (or, when a decision set
	 * every one aside, all of them: pick_of). */
	if (sqlite3_prepare_v2(st->db,
			       "SELECT installation, form, value, revision, updated_at, updated_by, source, superseded "
			       "FROM candidates WHERE unit = ?1 AND period = ?2 AND field = ?3 ORDER BY installation",
			       -1, &s, NULL) != SQLITE_OK)
		goto db_fail;
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, field);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct crow *r;

		c = xreallocarray(c, (size_t)nc + 1, sizeof *c);
		own = xreallocarray(own, (size_t)nown + 5, sizeof *own);
		r = &c[nc++];
		memset(r, 0, sizeof *r);
		r->inst = own[nown++] = col_text_dup(s, 0);
		r->form = own[nown++] = col_text_dup(s, 1);
		r->value = own[nown++] = col_text_dup(s, 2);
		r->revision = sqlite3_column_int64(s, 3);
		r->updated_at = own[nown++] = col_text_dup(s, 4);
		r->updated_by = own[nown++] = col_text_dup(s, 5);
		r->source = sqlite3_column_int64(s, 6);
		r->superseded = sqlite3_column_int(s, 7) != 0;
		any_active = any_active || !r->superseded;
		if (!r->inst || !r->form || !r->updated_at || !r->updated_by)
			goto db_fail;
		if (strcmp(r->inst, me) == 0)
			own_rev = r->revision;
	}
	if (rc != SQLITE_DONE)
		goto db_fail;
	sqlite3_finalize(s);
	s = NULL;
	for (int i = 0; i < nc; i++) {
		if (any_active && c[i].superseded)
			continue;
		sb_addf(&all, "%s%s", all.len ? ", " : "", c[i].inst);
		if (strncmp(c[i].inst, want, plen) == 0 && matches++ == 0)
			taken = &c[i];
	}
	if (matches == 0) {
		err_set(e, _("installation %s is not one of the candidates of %s %s %s; they are: %s"), prefix, unit, period,
			field, sb_str(&all));
		goto fail;
	}
	if (matches > 1) {
		err_set(e, _("'%s' matches %d candidates of %s %s %s; give more digits (they are: %s)"), prefix, matches, unit,
			period, field, sb_str(&all));
		goto fail;
	}
	if (own_rev >= EXPORT_REVISION_MAX) {
		err_set(e, _("cannot record the decision: this installation's revision of %s %s %s is already %lld, the highest tianbao writes"),
			unit, period, field, (long long)own_rev);
		goto fail;
	}
	snprintf(res->installation, sizeof res->installation, "%s", taken->inst);
	res->new_value = taken->value ? xstrdup(taken->value) : NULL;
	source = taken->source;
	/* The decision is a candidate of this installation (the taken value, by the clerk,
	 * now) beside the taken one, which agrees; every other candidate is set aside. So it
	 * travels in this installation's export like any value: a township's decision
	 * reaches the county, and two decisions made in different places that disagree
	 * meet there as a conflict. */
	if (sqlite3_prepare_v2(st->db,
			       "UPDATE candidates SET superseded = 1 WHERE unit = ?1 AND period = ?2 AND field = ?3 "
			       "AND installation != ?4 AND installation != ?5 AND superseded = 0",
			       -1, &s, NULL) != SQLITE_OK)
		goto db_fail;
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, field);
	store_bind_text(s, 4, taken->inst);
	store_bind_text(s, 5, me);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto db_fail;
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(st->db,
			       "INSERT INTO candidates (unit, period, field, installation, form, value, revision, updated_at, "
			       "updated_by, source, superseded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, 0) "
			       "ON CONFLICT (unit, period, field, installation) DO UPDATE SET form = excluded.form, "
			       "value = excluded.value, revision = excluded.revision, updated_at = excluded.updated_at, "
			       "updated_by = excluded.updated_by, source = NULL, superseded = 0",
			       -1, &s, NULL) != SQLITE_OK) {
		s = NULL;
		goto db_fail;
	}
	store_bind_text(s, 1, unit);
	store_bind_text(s, 2, period);
	store_bind_text(s, 3, field);
	store_bind_text(s, 4, me);
	store_bind_text(s, 5, taken->form);
	store_bind_text(s, 6, taken->value);
	sqlite3_bind_int64(s, 7, own_rev + 1);
	store_bind_text(s, 8, now);
	store_bind_text(s, 9, operator_name);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto db_fail;
	sqlite3_finalize(s);
	s = NULL;
	/* Shown: the later of the decision and the taken candidate when that one is still
	 * active (pick_of's rule); they hold the same value. */
	{
		struct crow decision = { me, taken->form, taken->value, now, operator_name, own_rev + 1, 0, false, false,
					 NULL, "" };

		shown = &decision;
		if (strcmp(taken->inst, me) != 0 && !taken->superseded &&
		    (strcmp(taken->updated_at, now) > 0 || (strcmp(taken->updated_at, now) == 0 && strcmp(taken->inst, me) > 0)))
			shown = taken;
		if (sqlite3_prepare_v2(st->db,
				       "UPDATE vals SET form = ?4, value = ?5, updated_at = ?6, updated_by = ?7, installation = ?8, "
				       "revision = ?9, source = ?10, conflict = 0 WHERE unit = ?1 AND period = ?2 AND field = ?3",
				       -1, &s, NULL) != SQLITE_OK) {
			s = NULL;
			goto db_fail;
		}
		store_bind_text(s, 1, unit);
		store_bind_text(s, 2, period);
		store_bind_text(s, 3, field);
		store_bind_text(s, 4, shown->form);
		store_bind_text(s, 5, shown->value);
		store_bind_text(s, 6, shown->updated_at);
		store_bind_text(s, 7, shown->updated_by);
		store_bind_text(s, 8, shown->inst);
		sqlite3_bind_int64(s, 9, shown->revision);
		if (shown->source > 0)
			sqlite3_bind_int64(s, 10, shown->source);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto db_fail;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (store_audit_add(st, now, unit, period, taken->form, field, res->old_value, res->new_value, operator_name,
			    "resolved", source, e) != 0)
		goto fail;
	if (!store_same_text(res->old_value, res->new_value) &&
	    store_touch_form_state(st, unit, period, taken->form, operator_name, now, e) != 0)
		goto fail;
	for (int i = 0; i < nown; i++)
		free(own[i]);
	free(own);
	free(c);
	sb_free(&all);
	return store_commit(st, e);
db_fail:
	store_fail_db(st->db, st->path, e);
fail:
	sqlite3_finalize(s);
	store_rollback(st);
	for (int i = 0; i < nown; i++)
		free(own[i]);
	free(own);
	free(c);
	sb_free(&all);
	resolve_result_free(res);
	return -1;
}

/* ---- the merge log ----------------------------------------------------------------------- */

int store_each_merge(struct store *st, merge_row_fn fn, void *ctx, struct err *e)
{
	sqlite3_stmt *s;
	int rc, status = 0;

	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, checksum, file_name, installation, source_units, exported_by, exported_at, "
			       "merged_at, merged_by, n_new, n_updated, n_unchanged, n_conflicts FROM merges ORDER BY id",
			       -1, &s, NULL) != SQLITE_OK) {
		store_fail_db(st->db, st->path, e);
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct merge_row r = {
			sqlite3_column_int64(s, 0),
			(const char *)sqlite3_column_text(s, 1),
			(const char *)sqlite3_column_text(s, 2),
			(const char *)sqlite3_column_text(s, 3),
			(const char *)sqlite3_column_text(s, 4),
			(const char *)sqlite3_column_text(s, 5),
			(const char *)sqlite3_column_text(s, 6),
			(const char *)sqlite3_column_text(s, 7),
			(const char *)sqlite3_column_text(s, 8),
			/* The log keeps the values' counts; form state changes are in the audit. */
			{ sqlite3_column_int(s, 9), sqlite3_column_int(s, 10), sqlite3_column_int(s, 11),
			  sqlite3_column_int(s, 12), 0, 0, 0 },
		};

		status = fn(ctx, &r);
		if (status != 0)
			break;
	}
	if (status == 0 && rc != SQLITE_DONE) {
		store_fail_db(st->db, st->path, e);
		status = -1;
	}
	sqlite3_finalize(s);
	return status;
}
