/* merge.c - an export file merged into the database (see merge.h; the rules in
 * docs/exchange.md). */
#include "store/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lib/clock.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/sha256.h"
#include "lib/strlist.h"
#include "store/internal.h"
#include "store/latest.h"
#include "store/states.h"
#include "tbx/checksum.h"

enum merge_stmt { M_FIND, M_INSERT, M_COUNTS, M_VALS_OF, M_CANDS_OF, M_CAND_DEL, M_COUNT };

/* The merge's own statements; candidates, values and states are written with the store's
 * (the one write path's: internal.h). */
static const char *const merge_sql[M_COUNT] = {
	[M_FIND] = "SELECT merged_at FROM merges WHERE checksum = ?1",
	[M_INSERT] = ("INSERT INTO merges (checksum, file_name, installation, source_units, exported_by, exported_at, "
		      "merged_at, merged_by, n_new, n_updated, n_unchanged, n_conflicts) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, 0, 0, 0)"),
	[M_COUNTS] = "UPDATE merges SET n_new = ?2, n_updated = ?3, n_unchanged = ?4, n_conflicts = ?5 WHERE id = ?1",
	/* What is stored for a unit and period, in the files' order (by field). */
	[M_VALS_OF] = "SELECT field, value, conflict, comment FROM vals WHERE unit = ?1 AND period = ?2 ORDER BY field",
	/* Every candidate of a unit and period, set aside or not, by field and installation. */
	[M_CANDS_OF] = ("SELECT field, installation, form, value, revision, updated_at, updated_by, source, superseded, comment "
			"FROM candidates WHERE unit = ?1 AND period = ?2 ORDER BY field, installation"),
	[M_CAND_DEL] = "DELETE FROM candidates WHERE unit = ?1 AND period = ?2 AND field = ?3 AND installation = ?4",
};

struct store_merger {
	struct store *st;
	bool dry_run;
	const char *file_name;          /* of the file being merged, for refusals */
	sqlite3_stmt *s[M_COUNT];
	struct cand *rows, *targets;    /* scratch for one key, grown as needed */
	struct cand **ord;              /* rows or targets sorted (find_bases, settle_key) */
	const char **insts;             /* the targets' installations, sorted */
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
	free(m->ord);
	free(m->insts);
	free(m);
}

static sqlite3_stmt *mstmt(struct store_merger *m, enum merge_stmt id, struct err *e)
{
	if (!m->s[id] &&
	    sqlite3_prepare_v3(m->st->db, merge_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &m->s[id], NULL) != SQLITE_OK) {
		sql_fail(m->st->db, m->st->path, e);
		return NULL;
	}
	sqlite3_reset(m->s[id]);
	sqlite3_clear_bindings(m->s[id]);
	return m->s[id];
}

static void bind_key(sqlite3_stmt *s, const struct export_value *v)
{
	store_bind_static(s, 1, v->unit);
	store_bind_static(s, 2, v->period);
	store_bind_static(s, 3, v->field);
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
static void copy_id(const char *base, int64_t revision, const struct cand *c, char out[33])
{
	struct export_cell cells[7] = {
		export_cell_text(base), export_cell_int(revision), export_cell_text(c->form), export_cell_text(c->value), export_cell_text(c->updated_at),
		export_cell_text(c->updated_by), export_cell_text(c->comment),
	};
	struct sha256 h;
	char hex[65];

	/* A row without a comment is hashed as before comments existed (export version 4),
	 * so the ids of copies made then stay the same. */
	export_sum_begin(&h, "copy");
	export_sum_row(&h, cells, c->comment ? 7 : 6);
	export_sum_hex(&h, hex);
	memcpy(out, memcmp(hex, base, 8) == 0 ? hex + 8 : hex, 8);
	memcpy(out + 8, base + 8, 24);
	out[32] = '\0';
}

/* Whether row c, stored under its own installation, is a copy's row of installation
 * base (its id derived from base, its revision and itself). */
static bool is_copy_of(const struct cand *c, const char *base)
{
	char id[33];

	if (strcmp(c->inst, base) == 0 || strlen(base) != 32 || strlen(c->inst) != 32 ||
	    strcmp(export_installation_family(c->inst), export_installation_family(base)) != 0)
		return false;
	copy_id(base, c->revision, c, id);
	return strcmp(id, c->inst) == 0;
}

static bool same_content(const struct cand *a, const struct cand *b)
{
	return strcmp(a->form, b->form) == 0 && store_same_text(a->value, b->value) &&
	       strcmp(a->updated_at, b->updated_at) == 0 && strcmp(a->updated_by, b->updated_by) == 0 &&
	       store_same_text(a->comment, b->comment);
}

/* Of two different rows at one installation and revision, the one that keeps the
 * installation's id: the later write (greater updated_at), then the greater updated_by,
 * the greater value (a cleared one least), the greater form, the greater comment (none
 * least). */
static int content_cmp(const struct cand *a, const struct cand *b)
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
	if (!c)
		c = (a->comment != NULL) - (b->comment != NULL);
	if (!c && a->comment && b->comment)
		c = strcmp(a->comment, b->comment);
	return c;
}

static int content_later_first(const void *pa, const void *pb)
{
	return content_cmp(pb, pa);
}

static int by_family(const void *pa, const void *pb)
{
	const struct cand *a = *(const struct cand *const *)pa, *b = *(const struct cand *const *)pb;
	int c = strcmp(export_installation_family(a->inst), export_installation_family(b->inst));

	return c ? c : strcmp(a->inst, b->inst);
}

static int by_inst_then_base(const void *pa, const void *pb)
{
	const struct cand *a = *(const struct cand *const *)pa, *b = *(const struct cand *const *)pb;
	int c = strcmp(a->inst, b->inst);

	return c ? c : strcmp(a->base, b->base);
}

/* The base of a copy row's installation x, when x is itself a copy's id among the rows
 * (copies[0..n) sorted by installation, then base): the least such base; NULL if none. */
static const char *base_of_copy(struct cand **copies, int n, const char *x)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (strcmp(copies[mid]->inst, x) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(copies[lo]->inst, x) == 0 ? copies[lo]->base : NULL;
}

/* Each row's base: its own installation, or - when its installation is a copy's id
 * (copy_id) of another installation among the rows - the least such one; a copy of a
 * copy belongs to the first one's base. Only rows of one family (export_installation_family) can be
 * copies of each other, so the rows are sorted by family and each is compared with the
 * other installations of its own family only: n log n, plus a SHA-256 per pair within a
 * family (at most EXPORT_KEY_COPIES_MAX of them come from a file). ord has room for n. */
static void find_bases(struct cand *r, int n, struct cand **ord)
{
	int ncopies = 0;

	for (int k = 0; k < n; k++) {
		r[k].base = r[k].inst;
		ord[k] = &r[k];
	}
	qsort(ord, (size_t)n, sizeof *ord, by_family);
	for (int g = 0, gend; g < n; g = gend) {
		const char *fam = export_installation_family(ord[g]->inst);

		for (gend = g + 1; gend < n && strcmp(export_installation_family(ord[gend]->inst), fam) == 0; gend++)
			;
		if (gend - g < 2)
			continue;
		for (int k = g; k < gend; k++)
			for (int j = g; j < gend; j++) {
				/* the group's installations in ascending order, each once: the first
				 * that row k is a copy of is the least */
				if ((j > g && strcmp(ord[j]->inst, ord[j - 1]->inst) == 0) || strcmp(ord[j]->inst, ord[k]->inst) == 0)
					continue;
				if (is_copy_of(ord[k], ord[j]->inst)) {
					ord[k]->base = ord[j]->inst;
					break;
				}
			}
	}
	/* A copy of a copy belongs to the first one's base: follow the chain (each step
	 * goes to an installation the one before is derived from, so it ends; n bounds it
	 * all the same). */
	for (int k = 0; k < n; k++)
		if (r[k].base != r[k].inst)
			ord[ncopies++] = &r[k];
	if (ncopies == 0)
		return;
	qsort(ord, (size_t)ncopies, sizeof *ord, by_inst_then_base);
	for (int k = 0; k < n; k++) {
		const char *b = r[k].base, *up;

		for (int step = 0; step < n && (up = base_of_copy(ord, ncopies, b)) && strcmp(up, b) != 0; step++)
			b = up;
		r[k].base = b;
	}
}

/* ---- one key ------------------------------------------------------------------------------ */

/* A value stored here before the file: what is shown, and whether it is disputed. */
struct stored {
	char *field, *value, *comment;
	bool conflict;
};

static void free_stored(struct stored *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].field);
		free(v[i].value);
		free(v[i].comment);
	}
	free(v);
}

/* A stored candidate (strings owned). */
struct stored_cand {
	char *field;
	struct cand row;
	char *own[7];
};

static void free_stored_cands(struct stored_cand *c, int n)
{
	for (int i = 0; i < n; i++)
		for (size_t k = 0; k < ARRAY_LEN(c[i].own); k++)
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
	store_bind_static(s, 1, key->unit);
	store_bind_static(s, 2, key->period);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xgrowarray(*out, (size_t)*n, sizeof **out);
		(*out)[*n].field = store_column_dup(s, 0);
		(*out)[*n].value = store_column_dup(s, 1);
		(*out)[*n].conflict = sqlite3_column_int(s, 2) != 0;
		(*out)[*n].comment = store_column_dup(s, 3);
		(*n)++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	if (*n == 0)
		return 0;   /* no value, so no candidate either (every writer makes both together) */
	if (!(s = mstmt(m, M_CANDS_OF, e)))
		goto fail_quiet;
	store_bind_static(s, 1, key->unit);
	store_bind_static(s, 2, key->period);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct stored_cand *c;

		*cands = xgrowarray(*cands, (size_t)*ncands, sizeof **cands);
		c = &(*cands)[(*ncands)++];
		memset(c, 0, sizeof *c);
		c->field = c->own[0] = store_column_dup(s, 0);
		c->row.inst = c->own[1] = store_column_dup(s, 1);
		c->row.form = c->own[2] = store_column_dup(s, 2);
		c->row.value = c->own[3] = store_column_dup(s, 3);
		c->row.revision = sqlite3_column_int64(s, 4);
		c->row.updated_at = c->own[4] = store_column_dup(s, 5);
		c->row.updated_by = c->own[5] = store_column_dup(s, 6);
		c->row.source = sqlite3_column_int64(s, 7);
		c->row.superseded = sqlite3_column_int(s, 8) != 0;
		c->row.comment = c->own[6] = store_column_dup(s, 9);
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
	sql_fail(m->st->db, m->st->path, e);
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
	m->ord = xreallocarray(m->ord, (size_t)m->cap, sizeof *m->ord);
	m->insts = xreallocarray(m->insts, (size_t)m->cap, sizeof *m->insts);
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
static int by_base(const void *pa, const void *pb)
{
	const struct cand *a = *(const struct cand *const *)pa, *b = *(const struct cand *const *)pb;

	return strcmp(a->base, b->base);
}

static int settle_key(struct cand *rows, int n, struct cand *targets, struct cand **ord, bool *copies)
{
	int nt = 0;

	*copies = false;
	find_bases(rows, n, ord);
	for (int k = 0; k < n; k++)
		ord[k] = &rows[k];
	/* One installation (with its copies) at a time: sorted by base, n log n. */
	qsort(ord, (size_t)n, sizeof *ord, by_base);
	for (int g = 0, gend; g < n; g = gend) {
		const char *base = ord[g]->base;
		int64_t top = 0;
		int first = nt;

		for (gend = g + 1; gend < n && strcmp(ord[gend]->base, base) == 0; gend++)
			;
		for (int j = g; j < gend; j++)
			if (ord[j]->revision > top)
				top = ord[j]->revision;
		for (int j = g; j < gend; j++) {
			struct cand *r = ord[j];
			int t;

			if (r->revision != top)
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
				if (r->stored && (targets[t].source < 0 || r->source < targets[t].source))
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

static bool same_row(const struct cand *a, const struct cand *b)
{
	return a->revision == b->revision && a->superseded == b->superseded && same_content(a, b);
}

/* The value shown: of the active candidates (when a decision set every one aside - copies
 * of one database deciding differently - of all of them), the latest write (latest.h);
 * in conflict while they disagree. */
static const struct cand *pick_of(const struct cand *t, int n, const char *own, bool *conflict)
{
	const struct cand *best = NULL, *first = NULL;
	bool any_active = false;

	for (int i = 0; i < n; i++)
		any_active = any_active || !t[i].superseded;
	*conflict = false;
	for (int i = 0; i < n; i++) {
		struct stamp a = { t[i].updated_at, t[i].inst }, b;

		if (any_active && t[i].superseded)
			continue;
		if (!first)
			first = &t[i];
		else if (!store_same_text(first->value, t[i].value))
			*conflict = true;
		if (best)
			b = (struct stamp){ best->updated_at, best->inst };
		if (!best || latest_cmp(&a, &b, own) > 0)
			best = &t[i];
	}
	return best;
}

static int stored_by_inst(const void *key, const void *elem)
{
	return strcmp(key, ((const struct stored_cand *)elem)->row.inst);
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What a file may not do to a key (each a refusal of the whole file, 1 with e): bring
 * this installation's own id with a change this installation never made, and give a
 * value more candidates (or related ones) than the limits of tbx.h - a value that has
 * more already (merged by an older tianbao) is not made larger. */
static int key_refused(struct store_merger *m, const struct export_file *xf, int i, int j, const struct stored_cand *sc,
		       int nsc, int nt, struct err *e)
{
	const struct export_value *key = &xf->values[i];
	const char *own = m->st->installation;
	const struct stored_cand *mine = nsc ? bsearch(own, sc, (size_t)nsc, sizeof *sc, stored_by_inst) : NULL;

	/* This installation is the one witness of its own history: it has every change
	 * it made (its candidate of a key holds its highest revision). A file's row under
	 * its id at a higher revision, or of a key it never wrote, claims a change made
	 * here that was never made here: a forged file (or this database put back from a
	 * backup by copying over the file). Taken, it would replace what the clerk typed
	 * without a conflict. */
	for (int k = i; k < j; k++) {
		const struct export_value *v = &xf->values[k];

		if (strcmp(v->installation, own) != 0 || (mine && v->revision <= mine->row.revision))
			continue;
		if (mine)
			err_set(e, _("%s: refused: it holds %s %s %s as changed on this computer (revision %lld, written %s by %s), but this computer's latest change of it is revision %lld. This computer never made that change: the file was altered, or this database was put back from an older backup. Nothing was merged."),
				m->file_name, key->unit, key->period, key->field, (long long)v->revision, v->updated_at, v->updated_by,
				(long long)mine->row.revision);
		else
			err_set(e, _("%s: refused: it holds %s %s %s as written on this computer (written %s by %s), but this computer never wrote that value. The file was altered, or this database was put back from an older backup. Nothing was merged."),
				m->file_name, key->unit, key->period, key->field, v->updated_at, v->updated_by);
		return 1;
	}
	if (nt > EXPORT_KEY_CANDIDATES_MAX && nt > nsc) {
		err_set(e, _("%s: refused: merged, %s %s %s would have %d candidates (values written on different computers); tianbao keeps at most %d for one value (EXPORT_KEY_CANDIDATES_MAX, docs/exchange.md). No real data has so many: the files were made to slow tianbao down. Nothing was merged."),
			m->file_name, key->unit, key->period, key->field, nt, EXPORT_KEY_CANDIDATES_MAX);
		return 1;
	}
	if (nt > EXPORT_KEY_COPIES_MAX) {
		int after, before = 0;

		for (int t = 0; t < nt; t++)
			m->insts[t] = m->targets[t].inst;
		after = export_largest_family(m->insts, nt);
		if (after > EXPORT_KEY_COPIES_MAX) {
			for (int k = 0; k < nsc; k++)
				m->insts[k] = sc[k].row.inst;
			before = export_largest_family(m->insts, nsc);
		}
		if (after > EXPORT_KEY_COPIES_MAX && after > before) {
			err_set(e, _("%s: refused: merged, %s %s %s would have %d candidates from copies of one database; tianbao keeps at most %d (EXPORT_KEY_COPIES_MAX, docs/exchange.md). No real data has so many: the files were made to slow tianbao down. Nothing was merged."),
				m->file_name, key->unit, key->period, key->field, after, EXPORT_KEY_COPIES_MAX);
			return 1;
		}
	}
	return 0;
}

/* One key of the file: values[i..j) are its rows; old is what is stored (NULL: nothing
 * yet), sc[0..nsc) its stored candidates (by installation). 0, 1 when the file is
 * refused (key_refused), -1 with e. */
static int merge_key(struct store_merger *m, const struct export_file *xf, int i, int j, const struct stored *old,
		     const struct stored_cand *sc, int nsc, int64_t merge_id, const char *by, const char *now,
		     struct merge_counts *counts, struct err *e)
{
	const struct export_value *key = &xf->values[i];
	const char *old_value = old ? old->value : NULL, *old_comment = old ? old->comment : NULL;
	bool conflict_before = old && old->conflict, changed = false, value_changed, conflict, copies;
	const struct cand *p;
	sqlite3_stmt *s;
	int n = 0, nt;

	grow_scratch(m, nsc + (j - i));
	for (int k = 0; k < nsc; k++)
		m->rows[n++] = sc[k].row;
	for (int k = i; k < j; k++) {
		const struct export_value *v = &xf->values[k];

		m->rows[n++] = (struct cand){ v->installation, v->form, v->value, v->updated_at, v->updated_by, v->revision,
					      merge_id, v->superseded, false, NULL, "", v->comment };
	}
	nt = settle_key(m->rows, n, m->targets, m->ord, &copies);
	if (key_refused(m, xf, i, j, sc, nsc, nt, e))
		return 1;
	/* Write what differs from what is stored: new and changed candidates, and drop those
	 * that are no longer one (an older revision of an installation's copies). The stored
	 * ones are by installation, so each is found by bisection. */
	for (int t = 0; t < nt; t++) {
		struct cand *tg = &m->targets[t];
		const struct stored_cand *hit = nsc ? bsearch(tg->inst, sc, (size_t)nsc, sizeof *sc, stored_by_inst) : NULL;
		const struct cand *was = hit ? &hit->row : NULL;

		if (tg->source < 0)
			tg->source = merge_id;
		if (was && same_row(was, tg) && was->source == tg->source)
			continue;
		if (store_put_candidate(m->st, key->unit, key->period, key->field, tg, e) != 0)
			return -1;
		changed = true;
	}
	for (int t = 0; t < nt; t++)
		m->insts[t] = m->targets[t].inst;
	qsort(m->insts, (size_t)nt, sizeof *m->insts, str_ptr_cmp);
	for (int k = 0; k < nsc; k++) {
		const char *inst = sc[k].row.inst;

		if (bsearch(&inst, m->insts, (size_t)nt, sizeof *m->insts, str_ptr_cmp))
			continue;
		if (!(s = mstmt(m, M_CAND_DEL, e)))
			return -1;
		bind_key(s, key);
		store_bind_static(s, 4, inst);
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
	p = pick_of(m->targets, nt, m->st->installation, &conflict);
	/* A new comment on the same value is an update too: what the clerk reads changed. */
	value_changed = !store_same_text(old_value, p->value) || !store_same_text(old_comment, p->comment);
	if (store_put_value(m->st, key->unit, key->period, key->field, p, conflict, e) != 0)
		return -1;
	if (value_changed &&
	    store_audit_add(m->st, now, key->unit, key->period, p->form, key->field, old_value, p->value, by, "imported",
			    merge_id, p->comment, e) != 0)
		return -1;
	/* The form's state is not touched here: it comes from the file (merge_state), and a
	 * value in conflict shows the form in progress when read (core/form_status.h). */
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

/* Every key of the file, a unit and period at a time: 0, 1 when refused, -1. */
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
			int rc = merge_key(m, xf, i, j, o < nold && strcmp(old[o].field, k->field) == 0 ? &old[o] : NULL,
					   &sc[c0], c - c0, id, by, now, counts, e);

			if (rc != 0) {
				free_stored(old, nold);
				free_stored_cands(sc, nsc);
				return rc;
			}
		}
		free_stored(old, nold);
		free_stored_cands(sc, nsc);
	}
	return 0;
}

/* What a file says of the state of one form (unit, period, form) it has values of: the
 * state it carries, or - when it carries none (export version 1) - in progress as of the
 * form's latest value there (latest_cmp over the file's own writes), by whoever wrote
 * that value. The strings point into the file's rows. */
struct said_state {
	const char *unit, *period, *form;
	struct state_stamp stamp;
};

static int state_vs(const struct export_state *st, const struct said_state *s)
{
	return export_form_order(st->unit, st->period, st->form, s->unit, s->period, s->form);
}

/* One said_state per form the file has active values of, in key order (the reader
 * checked that every state it carries is of such a form: tbx/read.c). */
static struct said_state *file_states(const struct export_file *xf, int *n)
{
	const struct export_value **by = xcalloc((size_t)xf->nvalues + 1, sizeof *by);
	struct said_state *said;
	int k = 0, nby = 0;

	*n = 0;
	for (int i = 0; i < xf->nvalues; i++)
		if (!xf->values[i].superseded)
			by[nby++] = &xf->values[i];
	qsort(by, (size_t)nby, sizeof *by, export_value_by_form);
	said = xcalloc((size_t)nby + 1, sizeof *said);
	for (int i = 0, j; i < nby; i = j) {
		const struct export_value *latest = by[i];
		struct said_state *s = &said[(*n)++];

		for (j = i + 1; j < nby && export_value_by_form(&by[i], &by[j]) == 0; j++) {
			struct stamp a = { by[j]->updated_at, by[j]->installation }, b = { latest->updated_at, latest->installation };

			if (latest_cmp(&a, &b, NULL) > 0)
				latest = by[j];
		}
		s->unit = latest->unit;
		s->period = latest->period;
		s->form = latest->form;
		while (k < xf->nstates && state_vs(&xf->states[k], s) < 0)
			k++;
		if (k < xf->nstates && state_vs(&xf->states[k], s) == 0) {
			const struct export_state *st = &xf->states[k++];

			s->stamp = (struct state_stamp){ st->state, st->changed_at, st->changed_by, st->installation };
		} else {
			s->stamp = (struct state_stamp){ "progress", latest->updated_at, latest->updated_by, latest->installation };
		}
	}
	free(by);
	return said;
}

/* The state of one form the file has values of replaces the state stored here when it
 * is later (latest.h), with an audit row "imported" when the state itself changes. So
 * the state here is always the latest of every state received and set here, whatever
 * order the files came in. */
static int merge_state(struct store_merger *m, const struct said_state *f, int64_t id, const char *by,
		       const char *now, struct merge_counts *counts, struct err *e)
{
	struct form_state_info here;

	if (store_get_form_state(m->st, f->unit, f->period, f->form, &here, e) != 0)
		return -1;
	if (here.state != FST_EMPTY) {
		struct state_stamp was = { form_state_name(here.state), here.changed_at, here.changed_by, here.installation };

		if (!state_later(&f->stamp, &was, m->st->installation))
			return 0;
	}
	if (store_put_state(m->st, f->unit, f->period, f->form, f->stamp.state, f->stamp.changed_at, f->stamp.changed_by,
			    f->stamp.installation, e) != 0)
		return -1;
	if (strcmp(form_state_name(here.state), f->stamp.state) != 0) {
		if (store_audit_add(m->st, now, f->unit, f->period, f->form, "", form_state_name(here.state), f->stamp.state, by,
				    "imported", id, NULL, e) != 0)
			return -1;
		if (strcmp(f->stamp.state, "complete") == 0)
			counts->n_complete++;
		else
			counts->n_progress++;
	}
	return 0;
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
	struct said_state *said = NULL;
	sqlite3_stmt *s;
	int64_t id;
	int rc, nsaid = 0;

	memset(counts, 0, sizeof *counts);
	merged_before[0] = '\0';
	now_iso8601(now);
	if (store_exec(st, nested ? "SAVEPOINT merge_file" : "BEGIN IMMEDIATE", e) != 0)
		return -1;
	if (!(s = mstmt(m, M_FIND, e)))
		goto fail;
	store_bind_static(s, 1, xf->info.checksum);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(merged_before, 32, "%s", (const char *)sqlite3_column_text(s, 0));
		sqlite3_reset(s);
		merge_end(st, nested, false);
		return 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		sql_fail(st->db, st->path, e);
		goto fail;
	}
	if (!(s = mstmt(m, M_INSERT, e)))
		goto fail;
	units = strlist_join(xf->info.units, xf->info.nunits);
	store_bind_static(s, 1, xf->info.checksum);
	store_bind_static(s, 2, file_name);
	store_bind_static(s, 3, xf->info.installation);
	store_bind_static(s, 4, units);
	store_bind_static(s, 5, xf->info.written_by);
	store_bind_static(s, 6, xf->info.written_at);
	store_bind_static(s, 7, now);
	store_bind_static(s, 8, operator_name);
	if (store_step_done(st, s, e) != 0)
		goto fail;
	id = sqlite3_last_insert_rowid(st->db);
	m->file_name = file_name;
	rc = merge_values(m, xf, id, operator_name, now, counts, e);
	if (rc == 1) {
		/* refused: nothing of it stays */
		free(units);
		merge_end(st, nested, false);
		memset(counts, 0, sizeof *counts);
		return 2;
	}
	if (rc != 0)
		goto fail;
	said = file_states(xf, &nsaid);
	for (int i = 0; i < nsaid; i++)
		if (merge_state(m, &said[i], id, operator_name, now, counts, e) != 0)
			goto fail;
	free(said);
	said = NULL;
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
	free(said);
	merge_end(st, nested, false);
	return -1;
}

