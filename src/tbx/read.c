/* read.c - reading an untrusted export file (see read.h). */
#include "tbx/read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/clock.h"
#include "forms/field.h"
#include "forms/period.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/number.h"
#include "lib/str.h"
#include "lib/strlist.h"
#include "lib/text.h"
#include "tbx/check.h"
#include "tbx/checksum.h"
#include "tbx/package.h"
#include "tbx/problem.h"
#include "tbx/schema.h"
#include "tbx/sql.h"

/* Looks at the 100-byte SQLite header before SQLite does: identity, version, encoding,
 * journal mode and size, so that the reason given is the true one. */
static int check_header(const char *path, const char *name, enum export_problem *pb, struct err *e,
			off_t *size_out, int *version_out)
{
	unsigned char h[100];
	struct stat sb;
	ssize_t n;
	struct sql_header hd;
	uint32_t appid, version;
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
	sql_header_parse(h, (size_t)n, (int64_t)sb.st_size, &hd);
	appid = hd.application_id;
	version = hd.user_version;
	if (appid == TIANBAO_DB_APPLICATION_ID) {
		*pb = EP_NOT_EXPORT;
		err_set(e, _("%s: refused: this is a tianbao database, not an export file. Run 'tianbao export' on the computer it belongs to and merge that file."),
			name);
		return -1;
	}
	if (appid == PACKAGE_APPLICATION_ID) {
		*pb = EP_NOT_EXPORT;
		err_set(e, _("%s: this is a township's form package (.tbp), not an export of data: 'tianbao merge' (or F4) installs it."),
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
	if (!hd.layout_ok) {
		*pb = EP_DAMAGED;
		err_set(e, _("%s: refused: its SQLite header is not what tianbao writes (damaged, or changed by another program). Export it again."),
			name);
		return -1;
	}
	if (!hd.size_ok) {
		*pb = EP_DAMAGED;
		err_set(e, _("%s: refused: the file is damaged or cut short (%lld bytes where its header says %lld). Copy or export it again."),
			name, (long long)sb.st_size, (long long)hd.pages * hd.page_size);
		return -1;
	}
	return 0;
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

/* Reads the manifest into info; returns its keys' values for the checks after. */
static int read_manifest(sqlite3 *db, struct sha256 *msum, char *mvals[ARRAY_LEN(manifest_keys)], const char *name,
			 enum export_problem *pb, struct err *e)
{
	sqlite3_stmt *s;
	int rc, count = 0;
	char b[256];

	if (sqlite3_prepare_v2(db, "SELECT key, value FROM manifest ORDER BY key", -1, &s, NULL) != SQLITE_OK) {
		problem_file_failed(db, name, pb, e);
		return -1;
	}
	export_sum_begin(msum, "manifest");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct export_cell c[2];
		size_t k;

		export_cell_column(s, 0, &c[0]);
		export_cell_column(s, 1, &c[1]);
		for (k = 0; k < ARRAY_LEN(manifest_keys); k++)
			if (c[0].type == EC_TEXT && c[0].n == strlen(manifest_keys[k]) &&
			    memcmp(c[0].s, manifest_keys[k], c[0].n) == 0)
				break;
		if (k == ARRAY_LEN(manifest_keys) || mvals[k] || !cell_text_ok(&c[1], EXPORT_MANIFEST_VALUE_MAX, true)) {
			*pb = EP_DAMAGED;
			if (k == ARRAY_LEN(manifest_keys))
				err_set(e, _("%s: refused: its manifest has an entry '%s' that tianbao does not write; the file is damaged or was not written by tianbao."),
					name, c[0].type == EC_TEXT ? text_shown(c[0].s, c[0].n, b, sizeof b) : "?");
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
		problem_file_failed(db, name, pb, e);
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
		problem_file_failed(db, name, pb, e);
		return -1;
	}
	export_sum_section(msum, "forms");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct export_cell c[3];
		struct export_form *f;

		for (int i = 0; i < 3; i++)
			export_cell_column(s, i, &c[i]);
		export_sum_row(msum, c, 3);
		if (c[0].type != EC_TEXT || c[0].n > CODE_MAX || c[1].type != EC_INT || c[1].i < 1 || c[1].i > 1000000 ||
		    c[2].type != EC_TEXT || c[2].n != 64 || !str_is_hex(c[2].s, 64) || info->nforms >= 1000) {
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
		problem_file_failed(db, name, pb, e);
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

/* Reads every row of vals (the active candidates) or, when `superseded`, of the table
 * superseded (export version 3 on: the candidates decisions set aside; in the checksum
 * after "#superseded"), appending them to xf->values. From export version 4 on, a row
 * ends with its comment (in the checksum too). */
static int read_values(sqlite3 *db, struct export_file *xf, int version, bool superseded, struct sha256 *vsum,
		       struct first_problem *fp, const char *name, enum export_problem *pb, struct err *e)
{
	static const char *const sql[2][2] = {
		{ "SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by "
		  "FROM vals ORDER BY unit, period, field, installation",
		  "SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by "
		  "FROM superseded ORDER BY unit, period, field, installation" },
		{ "SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by, comment "
		  "FROM vals ORDER BY unit, period, field, installation",
		  "SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by, comment "
		  "FROM superseded ORDER BY unit, period, field, installation" },
	};
	const int ncols = version >= 4 ? 10 : 9;
	sqlite3_stmt *s;
	int rc, first = xf->nvalues, nrows = 0;
	time_t now = time(NULL);
	char b1[128], b2[128], b3[128], last_time[21] = "", now_text[32];

	iso8601_of(now, now_text);

	if (sqlite3_prepare_v2(db, sql[version >= 4][superseded], -1, &s, NULL) != SQLITE_OK) {
		problem_file_failed(db, name, pb, e);
		return -1;
	}
	if (!superseded)
		export_sum_begin(vsum, "values");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct export_cell c[10];
		struct export_value *v;
		bool keys_ok;

		if (xf->nvalues >= EXPORT_CANDIDATES_MAX) {
			sqlite3_finalize(s);
			*pb = EP_DAMAGED;
			err_set(e, _("%s: refused: it holds more than %d candidates (one for each value and computer that wrote it); tianbao reads at most that many from one file (EXPORT_CANDIDATES_MAX, docs/exchange.md). No real file has so many. Nothing was merged."),
				name, EXPORT_CANDIDATES_MAX);
			return -1;
		}
		for (int i = 0; i < ncols; i++)
			export_cell_column(s, i, &c[i]);
		/* The section's marker goes before its first row, once: a row refused below
		 * is in the checksum all the same, so it is counted here, not by what was kept. */
		if (superseded && nrows == 0)
			export_sum_section(vsum, "superseded");
		nrows++;
		export_sum_row(vsum, c, ncols);
		keys_ok = cell_text_ok(&c[0], UNIT_CODE_MAX, false) && cell_text_ok(&c[1], 6, false) &&
			  cell_text_ok(&c[2], CODE_MAX, false) && c[3].type == EC_TEXT && c[3].n == 32 &&
			  str_is_hex(c[3].s, 32) && cell_text_ok(&c[4], CODE_MAX, false);
		if (!keys_ok) {
			problem_note(fp, EP_DAMAGED, _("%s: refused: a value's unit, period, field, installation or form is not what tianbao writes; the file is damaged."),
			     name);
			continue;
		}
		xf->values = xgrowarray(xf->values, (size_t)xf->nvalues, sizeof *xf->values);
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
			problem_note(fp, EP_DAMAGED, _("%s: refused: its values are out of order or repeated; the file is damaged."), name);
		if (!unit_code_valid(v->unit) || period_type_of(v->period) < 0 || !is_code_name(v->field, CODE_MAX) ||
		    !is_code_name(v->form, CODE_MAX))
			problem_note(fp, EP_DAMAGED, _("%s: refused: a value's unit, period, field or form is not written the way tianbao writes them; the file is damaged."),
			     name);
		else if (find_form(&xf->info, v->form) < 0)
			problem_note(fp, EP_DAMAGED, _("%s: refused: a value belongs to form '%s', which the file's list of forms lacks; the file is damaged."),
			     name, v->form);
		if (c[5].type == EC_TEXT && c[5].n <= EXPORT_VALUE_MAX_BYTES && cell_text_ok(&c[5], EXPORT_VALUE_MAX_BYTES, true))
			v->value = xstrndup(c[5].s, c[5].n);
		else if (c[5].type != EC_NULL)
			problem_note(fp, EP_VALUE, _("%s: refused: %s %s %s: %s"), name, problem_shown(v->unit, b1, sizeof b1),
			     problem_shown(v->period, b2, sizeof b2), problem_shown(v->field, b3, sizeof b3),
			     c[5].type != EC_TEXT ? _("the value is not stored as text, the way tianbao writes values")
			     : c[5].n > EXPORT_VALUE_MAX_BYTES ? _("the value is longer than any field allows")
			     : memchr(c[5].s, '\0', c[5].n) || !utf8_valid(c[5].s, c[5].n) ? _("the text is not valid UTF-8")
			     : _("the text contains control characters (such as a line break or tab)"));
		if (c[6].type == EC_INT && c[6].i > 0 && c[6].i <= EXPORT_REVISION_MAX)
			v->revision = c[6].i;
		else if (c[6].type == EC_INT && c[6].i > EXPORT_REVISION_MAX)
			problem_note(fp, EP_DAMAGED, _("%s: refused: %s %s %s has revision %lld, more than tianbao ever writes (at most %d); the file was changed or was not written by tianbao. Do not merge it."),
			     name, v->unit, v->period, v->field, (long long)c[6].i, EXPORT_REVISION_MAX);
		else
			problem_note(fp, EP_DAMAGED, _("%s: refused: %s %s %s has a revision that is not a positive whole number; the file is damaged."),
			     name, v->unit, v->period, v->field);
		if (c[7].type == EC_TEXT && c[7].n == 20 && cell_text_ok(&c[7], 20, false)) {
			enum stamp_check tc = STAMP_OK;

			v->updated_at = xstrndup(c[7].s, c[7].n);
			if (strcmp(v->updated_at, last_time) == 0)
				;   /* checked already: values of one write share their time */
			else if ((tc = stamp_check(v->updated_at, now)) == STAMP_OK)
				memcpy(last_time, v->updated_at, sizeof last_time);
			if (tc == STAMP_FUTURE)
				problem_note(fp, EP_VALUE, _("%s: refused: %s %s %s was written at %s, more than a day later than this computer's clock (now %s). Either this computer's clock or that of the computer that wrote it is wrong: check this computer's date and time first; if they are right, set the other computer's clock right, enter that value there again and export again."),
				     name, v->unit, v->period, v->field, v->updated_at, now_text);
			else if (tc == STAMP_EARLY)
				problem_note(fp, EP_VALUE, _("%s: refused: %s %s %s was written at %s, before 2000: the clock of the computer that wrote it was wrong then. Set that computer's clock right, enter that value there again and export again."),
				     name, v->unit, v->period, v->field, v->updated_at);
			else if (tc == STAMP_MALFORMED)
				problem_note(fp, EP_DAMAGED, _("%s: refused: %s %s %s was written at '%s', which is not a real date and time; the file is damaged or was not written by tianbao."),
				     name, v->unit, v->period, v->field, v->updated_at);
		} else {
			v->updated_at = xstrdup("");
			problem_note(fp, EP_DAMAGED, _("%s: refused: %s %s %s has no valid time of writing; the file is damaged."), name,
			     v->unit, v->period, v->field);
		}
		if (cell_text_ok(&c[8], EXPORT_NAME_MAX, false)) {
			v->updated_by = xstrndup(c[8].s, c[8].n);
		} else {
			v->updated_by = xstrdup("");
			problem_note(fp, EP_VALUE, _("%s: refused: %s %s %s: the name of who wrote it is empty, too long, not valid UTF-8 or holds control characters."),
			     name, v->unit, v->period, v->field);
		}
		if (ncols > 9 && c[9].type != EC_NULL) {
			struct err ce;

			/* The bytes bounded first, then the rule typing follows (comment_check). */
			if (cell_text_ok(&c[9], 4 * COMMENT_MAX_CHARS, false) && comment_check(c[9].s, &ce) == 0)
				v->comment = xstrndup(c[9].s, c[9].n);
			else
				problem_note(fp, EP_VALUE, _("%s: refused: %s %s %s: the comment on the value is not text of at most %d characters on one line, the way tianbao writes comments."),
				     name, v->unit, v->period, v->field, COMMENT_MAX_CHARS);
		}
		if (superseded) {
			xf->info.superseded_count++;
		} else {
			/* The units and periods of the file are those of its active values (a
			 * set-aside candidate is always beside an active one: merge_rows). */
			if (xf->nvalues == 1 || strcmp(xf->values[xf->nvalues - 2].unit, v->unit) != 0)
				strlist_add_sorted(&xf->info.units, &xf->info.nunits, v->unit);
			strlist_add_sorted(&xf->info.periods, &xf->info.nperiods, v->period);
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		problem_file_failed(db, name, pb, e);
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
			problem_note(fp, EP_DAMAGED, _("%s: refused: %s %s %s of installation %s is both an active and a set-aside candidate; the file is damaged or was not written by tianbao."),
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
			problem_note(fp, EP_DAMAGED, _("%s: refused: %s %s %s has only set-aside candidates and no active one; the file is damaged or was not written by tianbao."),
			     name, all[i].unit, all[i].period, all[i].field);
	}
}

/* What one value may bring (tbx.h): at most EXPORT_KEY_CANDIDATES_MAX candidates, of
 * which at most EXPORT_KEY_COPIES_MAX under related installation ids (the last 24 hex
 * digits alike: copies of one database), so that merging it stays cheap. The values are
 * in key order, every installation id 32 hex digits (read_values). */
static void check_key_limits(const struct export_file *xf, struct first_problem *fp, const char *name)
{
	const char **by = xcalloc((size_t)EXPORT_KEY_CANDIDATES_MAX + 1, sizeof *by);

	for (int i = 0, j; i < xf->nvalues; i = j) {
		const struct export_value *k = &xf->values[i];
		int most;

		for (j = i + 1; j < xf->nvalues && strcmp(xf->values[j].field, k->field) == 0 &&
				strcmp(xf->values[j].period, k->period) == 0 && strcmp(xf->values[j].unit, k->unit) == 0;
		     j++)
			;
		if (j - i > EXPORT_KEY_CANDIDATES_MAX) {
			problem_note(fp, EP_DAMAGED, _("%s: refused: %s %s %s has %d candidates (values written on different computers); tianbao takes at most %d for one value (EXPORT_KEY_CANDIDATES_MAX, docs/exchange.md). No real file has so many: it was made to slow tianbao down. Do not merge it."),
				     name, k->unit, k->period, k->field, j - i, EXPORT_KEY_CANDIDATES_MAX);
			continue;
		}
		if (j - i <= EXPORT_KEY_COPIES_MAX)
			continue;
		for (int n = 0; n < j - i; n++)
			by[n] = xf->values[i + n].installation;
		most = export_largest_family(by, j - i);
		if (most > EXPORT_KEY_COPIES_MAX)
			problem_note(fp, EP_DAMAGED, _("%s: refused: %s %s %s has %d candidates from copies of one database (installation ids alike but for their first 8 digits); tianbao takes at most %d (EXPORT_KEY_COPIES_MAX, docs/exchange.md). No real file has so many: it was made to slow tianbao down. Do not merge it."),
				     name, k->unit, k->period, k->field, most, EXPORT_KEY_COPIES_MAX);
	}
	free(by);
}

static int state_key_cmp(const struct export_state *a, const struct export_state *b)
{
	return export_form_order(a->unit, a->period, a->form, b->unit, b->period, b->form);
}

/* Reads every form state (export version 2 on), checking each as far as the file alone
 * can tell; their rows follow the values in the checksum. */
static int read_states(sqlite3 *db, struct export_file *xf, struct sha256 *vsum, struct first_problem *fp,
		       const char *name, enum export_problem *pb, struct err *e)
{
	sqlite3_stmt *s;
	int rc, nrows = 0;
	time_t now = time(NULL);
	char b1[128], b2[128], b3[128], b4[128], now_text[32];

	iso8601_of(now, now_text);

	if (sqlite3_prepare_v2(db,
			       "SELECT unit, period, form, state, changed_at, changed_by, installation "
			       "FROM form_states ORDER BY unit, period, form",
			       -1, &s, NULL) != SQLITE_OK) {
		problem_file_failed(db, name, pb, e);
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct export_cell c[7];
		struct export_state *st;

		for (int i = 0; i < 7; i++)
			export_cell_column(s, i, &c[i]);
		if (nrows++ == 0)
			export_sum_section(vsum, "states");   /* once, whether or not the row is kept */
		export_sum_row(vsum, c, 7);
		if (!cell_text_ok(&c[0], UNIT_CODE_MAX, false) || !cell_text_ok(&c[1], 6, false) ||
		    !cell_text_ok(&c[2], CODE_MAX, false) || c[6].type != EC_TEXT || c[6].n != 32 || !str_is_hex(c[6].s, 32)) {
			problem_note(fp, EP_DAMAGED, _("%s: refused: a form state's unit, period, form or installation is not what tianbao writes; the file is damaged."),
			     name);
			continue;
		}
		xf->states = xgrowarray(xf->states, (size_t)xf->nstates, sizeof *xf->states);
		st = &xf->states[xf->nstates];
		memset(st, 0, sizeof *st);
		st->unit = xstrndup(c[0].s, c[0].n);
		st->period = xstrndup(c[1].s, c[1].n);
		st->form = xstrndup(c[2].s, c[2].n);
		st->installation = xstrndup(c[6].s, c[6].n);
		xf->nstates++;
		if (xf->nstates > 1 && state_key_cmp(&xf->states[xf->nstates - 2], st) >= 0)
			problem_note(fp, EP_DAMAGED, _("%s: refused: its form states are out of order or repeated; the file is damaged."), name);
		if (!unit_code_valid(st->unit) || period_type_of(st->period) < 0 || !is_code_name(st->form, CODE_MAX))
			problem_note(fp, EP_DAMAGED, _("%s: refused: a form state's unit, period or form is not written the way tianbao writes them; the file is damaged."),
			     name);
		if (c[3].type == EC_TEXT &&
		    ((c[3].n == 8 && memcmp(c[3].s, "progress", 8) == 0) || (c[3].n == 8 && memcmp(c[3].s, "complete", 8) == 0))) {
			st->state = xstrndup(c[3].s, c[3].n);
			if (st->state[0] == 'c')
				xf->info.complete_count++;
		} else {
			st->state = xstrdup("");
			problem_note(fp, EP_DAMAGED, _("%s: refused: %s %s %s: the form state '%s' is not one tianbao writes ('progress' or 'complete'); the file is damaged or was not written by tianbao."),
			     name, problem_shown(st->unit, b1, sizeof b1), problem_shown(st->period, b2, sizeof b2),
			     problem_shown(st->form, b3, sizeof b3),
			     c[3].type == EC_TEXT || c[3].type == EC_BLOB ? text_shown(c[3].s, c[3].n, b4, sizeof b4) : "?");
		}
		if (c[4].type == EC_TEXT && c[4].n == 20 && cell_text_ok(&c[4], 20, false)) {
			enum stamp_check tc;

			st->changed_at = xstrndup(c[4].s, c[4].n);
			tc = stamp_check(st->changed_at, now);
			if (tc == STAMP_FUTURE)
				problem_note(fp, EP_VALUE, _("%s: refused: the state of %s %s %s was set at %s, more than a day later than this computer's clock (now %s). Either this computer's clock or that of the computer that set it is wrong: check this computer's date and time first; if they are right, the other computer's clock was ahead: set it right there, set the form's state there again (change a value, or complete the form again after changing one) and export again."),
				     name, st->unit, st->period, st->form, st->changed_at, now_text);
			else if (tc == STAMP_EARLY)
				problem_note(fp, EP_VALUE, _("%s: refused: the state of %s %s %s was set at %s, before 2000: the clock of the computer that set it was wrong then. Set that computer's clock right, set the form's state there again and export again."),
				     name, st->unit, st->period, st->form, st->changed_at);
			else if (tc == STAMP_MALFORMED)
				problem_note(fp, EP_DAMAGED, _("%s: refused: the state of %s %s %s was set at '%s', which is not a real date and time; the file is damaged or was not written by tianbao."),
				     name, st->unit, st->period, st->form, st->changed_at);
		} else {
			st->changed_at = xstrdup("");
			problem_note(fp, EP_DAMAGED, _("%s: refused: the state of %s %s %s has no valid time; the file is damaged."), name,
			     st->unit, st->period, st->form);
		}
		if (cell_text_ok(&c[5], EXPORT_NAME_MAX, false)) {
			st->changed_by = xstrndup(c[5].s, c[5].n);
		} else {
			st->changed_by = xstrdup("");
			problem_note(fp, EP_VALUE, _("%s: refused: %s %s %s: the name of who set the form's state is empty, too long, not valid UTF-8 or holds control characters."),
			     name, st->unit, st->period, st->form);
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		problem_file_failed(db, name, pb, e);
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
			ok = n == 64 && str_is_hex(v, 64);
		} else if (strcmp(key, "export_version") == 0) {
			ok = parse_int64(v, &count) == 0 && count == version;
			in->version = version;
		} else if (strcmp(key, "installation") == 0) {
			ok = n == 32 && str_is_hex(v, 32);
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

			strlist_split(v, &list, &nlist);
			ok = units ? strlist_equal(list, nlist, in->units, in->nunits) : strlist_equal(list, nlist, in->periods, in->nperiods);
			strlist_free(list, nlist);
			list = NULL;
		}
		if (!ok && strcmp(key, "written_at") == 0 && written == STAMP_FUTURE) {
			char now_text[32];

			iso8601_of(now, now_text);
			problem_note(fp, EP_VALUE, _("%s: refused: it says it was written at %s, more than a day later than this computer's clock (now %s). Either this computer's clock or that of the computer that wrote it is wrong: check this computer's date and time first; if they are right, set the other computer's clock right and export again."),
			     name, v, now_text);
		} else if (!ok && strcmp(key, "written_at") == 0 && written == STAMP_EARLY) {
			problem_note(fp, EP_VALUE, _("%s: refused: it says it was written at %s, before 2000: the clock of the computer that wrote it was wrong. Set that computer's clock right and export again."),
			     name, v);
		} else if (!ok)
			problem_note(fp, EP_DAMAGED, _("%s: refused: its manifest entry '%s' does not match the file; the file is damaged or was not written by tianbao."),
			     name, key);
	}
	/* Every form listed is used, and nothing else. */
	for (int i = 0; i < in->nforms; i++) {
		bool used = false;

		for (int j = 0; j < xf->nvalues && !used; j++)
			used = strcmp(xf->values[j].form, in->forms[i].id) == 0;
		if (!used)
			problem_note(fp, EP_DAMAGED, _("%s: refused: its manifest lists form '%s' but the file holds no value of it; the file is damaged."),
			     name, in->forms[i].id);
	}
}

/* A file carries the state of a form only where it has values of that form (active
 * ones: a form has values in a file when it has active ones). */
static void check_states(const struct export_file *xf, struct first_problem *fp, const char *name)
{
	const struct export_value **by = xcalloc((size_t)xf->nvalues + 1, sizeof *by);
	int k = 0, nby = 0;

	for (int i = 0; i < xf->nvalues; i++)
		if (!xf->values[i].superseded)
			by[nby++] = &xf->values[i];
	qsort(by, (size_t)nby, sizeof *by, export_value_by_form);
	for (int i = 0, j; i < nby; i = j) {
		const struct export_value *v = by[i];
		struct export_state key = { v->unit, v->period, v->form, NULL, NULL, NULL, NULL };
		int c = -1;

		for (j = i + 1; j < nby && export_value_by_form(&by[i], &by[j]) == 0; j++)
			;
		while (k < xf->nstates && (c = state_key_cmp(&xf->states[k], &key)) < 0) {
			problem_note(fp, EP_DAMAGED, _("%s: refused: it holds a state of form '%s' for %s %s but no value of that form there; the file is damaged or was not written by tianbao."),
				     name, xf->states[k].form, xf->states[k].unit, xf->states[k].period);
			k++;
		}
		if (k < xf->nstates && c == 0)
			k++;
	}
	for (; k < xf->nstates; k++)
		problem_note(fp, EP_DAMAGED, _("%s: refused: it holds a state of form '%s' for %s %s but no value of that form there; the file is damaged or was not written by tianbao."),
			     name, xf->states[k].form, xf->states[k].unit, xf->states[k].period);
	free(by);
}

/* The storage type of every cell, as tianbao writes them (db/export.sql): SQLite keeps
 * what was stored, whatever the column's declared type, so a file made by other means
 * may hold a number where text belongs or text where a number does. */
struct column_type {
	const char *table, *column;
	bool integer, or_null;   /* typeof() says 'integer', else 'text'; or 'null' too */
	int since;               /* the export version the table came with */
};

#define TEXT_COL(t, c, v) { t, c, false, false, v }
static const struct column_type column_types[] = {
	TEXT_COL("manifest", "key", 1), TEXT_COL("manifest", "value", 1),
	TEXT_COL("forms", "id", 1), { "forms", "version", true, false, 1 }, TEXT_COL("forms", "hash", 1),
	TEXT_COL("vals", "unit", 1), TEXT_COL("vals", "period", 1), TEXT_COL("vals", "field", 1),
	TEXT_COL("vals", "installation", 1), TEXT_COL("vals", "form", 1), { "vals", "value", false, true, 1 },
	{ "vals", "revision", true, false, 1 }, TEXT_COL("vals", "updated_at", 1), TEXT_COL("vals", "updated_by", 1),
	TEXT_COL("superseded", "unit", 3), TEXT_COL("superseded", "period", 3), TEXT_COL("superseded", "field", 3),
	TEXT_COL("superseded", "installation", 3), TEXT_COL("superseded", "form", 3),
	{ "superseded", "value", false, true, 3 }, { "superseded", "revision", true, false, 3 },
	TEXT_COL("superseded", "updated_at", 3), TEXT_COL("superseded", "updated_by", 3),
	TEXT_COL("form_states", "unit", 2), TEXT_COL("form_states", "period", 2), TEXT_COL("form_states", "form", 2),
	TEXT_COL("form_states", "state", 2), TEXT_COL("form_states", "changed_at", 2),
	TEXT_COL("form_states", "changed_by", 2), TEXT_COL("form_states", "installation", 2),
};
#undef TEXT_COL

static bool type_fits(const struct column_type *c, const char *got)
{
	return got && (strcmp(got, c->integer ? "integer" : "text") == 0 || strcmp(got, "blob") == 0 ||
		       (c->or_null && strcmp(got, "null") == 0));
}

/* Refuses a cell of a type tianbao never writes there, naming the table and column: a
 * number where text belongs, text or a real where an integer does (a blob, which no
 * column declared TEXT or INTEGER turns into anything else, is left to the checks of
 * each row, which name the value it is in). One
 * pass over each table (the statement is ours, so the limit on expression depth is
 * raised for it). A statement that fails (a damaged file) is left to quick_check. */
static int check_column_types(sqlite3 *db, int file_version, const char *name, enum export_problem *pb, struct err *e)
{
	int depth = sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 40), rc = 0;

	for (size_t t = 0, end; t < ARRAY_LEN(column_types) && rc == 0; t = end) {
		const char *table = column_types[t].table;
		struct strbuf sql;
		sqlite3_stmt *s = NULL;

		for (end = t; end < ARRAY_LEN(column_types) && strcmp(column_types[end].table, table) == 0; end++)
			;
		if (column_types[t].since > file_version)
			continue;
		sb_init(&sql);
		sb_add(&sql, "SELECT ");
		for (size_t k = t; k < end; k++)
			sb_addf(&sql, "%stypeof(%s)", k > t ? ", " : "", column_types[k].column);
		sb_addf(&sql, " FROM %s WHERE ", table);
		for (size_t k = t; k < end; k++)
			sb_addf(&sql, "%stypeof(%s) NOT IN ('blob', '%s'%s)", k > t ? " OR " : "", column_types[k].column,
				column_types[k].integer ? "integer" : "text", column_types[k].or_null ? ", 'null'" : "");
		sb_add(&sql, " LIMIT 1");
		if (sqlite3_prepare_v2(db, sb_str(&sql), -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
			for (size_t k = t; k < end && rc == 0; k++) {
				const char *got = (const char *)sqlite3_column_text(s, (int)(k - t));

				if (type_fits(&column_types[k], got))
					continue;
				*pb = EP_DAMAGED;
				err_set(e, _("%s: refused: column '%s' of its table '%s' holds a value of type %s, where tianbao writes %s; the file is damaged or was changed after it was written. Do not merge it."),
					name, column_types[k].column, table, got ? got : "?",
					column_types[k].integer ? _("a whole number (integer)")
					: column_types[k].or_null ? _("text (or nothing)") : _("text"));
				rc = -1;
			}
		}
		sqlite3_finalize(s);
		sb_free(&sql);
	}
	sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, depth);
	return rc;
}

/* Opens the file on a locked-down connection of its own and checks it before any row
 * is read: its schema (before anything of the file runs), quick_check, and that its
 * identity is still what the header said. */
static int open_checked(const char *path, const char *name, int file_version, struct sql_work *work, sqlite3 **out,
			enum export_problem *problem, struct err *e)
{
	char *uri = sql_file_uri(path, "mode=ro&immutable=1");
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	*out = db;
	if (rc != SQLITE_OK)
		goto failed;
	sql_lock_down(db, work);
	/* The schema, before anything runs: nothing of the file's own is trusted. */
	if (export_schema_check(db, file_version, name, problem, e) != 0)
		return -1;
	/* Before quick_check, which calls a number in a text column damage and says to copy
	 * the file again: the type is named instead. */
	if (check_column_types(db, file_version, name, problem, e) != 0)
		return -1;
	{
		char detail[256], b[256];

		switch (sql_check_intact(db, EXPORT_APPLICATION_ID, file_version, detail, sizeof detail)) {
		case SQL_INTACT:
			break;
		case SQL_DAMAGED:
			*problem = EP_DAMAGED;
			err_set(e, _("%s: refused: the file is damaged or cut short (%s). Copy or export it again."), name,
				problem_shown(detail, b, sizeof b));
			return -1;
		case SQL_IDENTITY:
			*problem = EP_DAMAGED;
			err_set(e, _("%s: refused: the file is damaged (its identity changed while it was read)."), name);
			return -1;
		case SQL_FAILED:
			goto failed;
		}
	}
	return 0;
failed:
	problem_file_failed(db, name, problem, e);
	sqlite3_finalize(s);
	return -1;
}

int export_file_load(const char *path, const char *name, const struct formset *fs, struct export_file **out,
		     enum export_problem *problem, struct err *e)
{
	struct export_file *xf = xcalloc(1, sizeof *xf);
	struct sql_work work;
	sqlite3 *db = NULL;
	char *mvals[ARRAY_LEN(manifest_keys)] = { 0 };
	struct sha256 vsum, msum;
	char vhex[65], mhex[65];
	struct first_problem fp;
	off_t size = 0;
	int file_version = 0, nactive = 0;

	*out = NULL;
	*problem = EP_NONE;
	memset(&fp, 0, sizeof fp);
	if (check_header(path, name, problem, e, &size, &file_version) != 0)
		goto fail;
	sql_work_init(&work, (int64_t)size);
	if (open_checked(path, name, file_version, &work, &db, problem, e) != 0)
		goto fail;

	if (read_manifest(db, &msum, mvals, name, problem, e) != 0 ||
	    read_forms(db, &xf->info, &msum, name, problem, e) != 0 ||
	    read_values(db, xf, file_version, false, &vsum, &fp, name, problem, e) != 0)
		goto fail;
	nactive = xf->nvalues;
	if ((file_version >= 3 && read_values(db, xf, file_version, true, &vsum, &fp, name, problem, e) != 0) ||
	    (file_version >= 2 && read_states(db, xf, &vsum, &fp, name, problem, e) != 0))
		goto fail;
	sqlite3_close(db);
	db = NULL;
	merge_rows(xf, nactive, &fp, name);
	if (fp.kind == EP_NONE)
		check_key_limits(xf, &fp, name);   /* needs every id well formed */

	export_sum_hex(&vsum, vhex);
	export_sum_hex(&msum, mhex);
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
		check_states(xf, &fp, name);
	if (fp.kind == EP_NONE && fs)
		export_check_against_forms(xf, fs, name, &fp);
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
	*out = xf;
	return 0;
fail:
	sqlite3_close(db);
	for (size_t k = 0; k < ARRAY_LEN(manifest_keys); k++)
		free(mvals[k]);
	export_file_free(xf);
	return -1;
}
