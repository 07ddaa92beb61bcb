/* write.c - writing an export file (see write.h). */
#include "tbx/write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/clock.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/sha256.h"
#include "lib/str.h"
#include "lib/strlist.h"
#include "tbx/checksum.h"
#include "tbx/export_sql.h"
#include "tbx/sql.h"

#ifndef TIANBAO_VERSION
#define TIANBAO_VERSION "0.0.0"
#endif

struct kv {
	const char *key;
	char *value;
};

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->key, ((const struct kv *)b)->key);
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
	strlist_add_sorted(&k->forms, &k->nforms, form);
}

static void keys_free(struct form_keys *k)
{
	for (int i = 0; i < k->n; i++) {
		free(k->keys[i].unit);
		free(k->keys[i].period);
		free(k->keys[i].form);
	}
	free(k->keys);
	strlist_free(k->forms, k->nforms);
	memset(k, 0, sizeof *k);
}

/* A state's key against a form's. */
static int key_vs_state(const struct form_key *k, const struct export_state *st)
{
	int c = strcmp(k->unit, st->unit);

	if (!c)
		c = strcmp(k->period, st->period);
	if (!c)
		c = strcmp(k->form, st->form);
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


enum { W_VALS, W_SUPERSEDED, W_STATES, W_MANIFEST, W_FORMS, W_COUNT };

static const char *const insert_sql[W_COUNT] = {
	[W_VALS] = "INSERT INTO vals (unit, period, field, installation, form, value, revision, updated_at, "
		   "updated_by, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[W_SUPERSEDED] = "INSERT INTO superseded (unit, period, field, installation, form, value, revision, "
			 "updated_at, updated_by, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[W_STATES] = "INSERT INTO form_states (unit, period, form, state, changed_at, changed_by, installation) "
		     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[W_MANIFEST] = "INSERT INTO manifest (key, value) VALUES (?1, ?2)",
	[W_FORMS] = "INSERT INTO forms (id, version, hash) VALUES (?1, ?2, ?3)",
};

struct tbx_writer {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *s[W_COUNT];
	struct sha256 vsum;
	struct export_info info;
	struct form_keys keys;          /* the forms with active values, for the states */
	int next_key;
	bool keys_done;
	time_t now;
	char last_time[32];
};

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static int step(struct tbx_writer *w, sqlite3_stmt *s, struct err *e)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE) {
		sql_fail(w->db, w->path, e);
		return -1;
	}
	return 0;
}

static void writer_free(struct tbx_writer *w)
{
	for (int i = 0; i < W_COUNT; i++)
		sqlite3_finalize(w->s[i]);
	sqlite3_close(w->db);
	export_info_free(&w->info);
	keys_free(&w->keys);
	free(w->path);
	free(w);
}

void tbx_writer_abort(struct tbx_writer *w)
{
	if (!w)
		return;
	for (int i = 0; i < W_COUNT; i++) {
		sqlite3_finalize(w->s[i]);
		w->s[i] = NULL;
	}
	sqlite3_close(w->db);
	w->db = NULL;
	unlink(w->path);
	writer_free(w);
}

int tbx_writer_open(const char *path, struct tbx_writer **out, struct err *e)
{
	struct tbx_writer *w = xcalloc(1, sizeof *w);

	*out = NULL;
	w->path = xstrdup(path);
	w->now = time(NULL);
	if (sqlite3_open_v2(path, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL) !=
	    SQLITE_OK)
		goto fail;
	/* A private file the caller copies and syncs: no journal needed while it is built. */
	if (sqlite3_exec(w->db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(w->db, export_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(w->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	for (int i = 0; i < W_COUNT; i++)
		if (sqlite3_prepare_v2(w->db, insert_sql[i], -1, &w->s[i], NULL) != SQLITE_OK)
			goto fail;
	export_sum_begin(&w->vsum, "values");
	*out = w;
	return 0;
fail:
	sql_fail(w->db, path, e);
	tbx_writer_abort(w);
	return -1;
}

static int find_form(const struct export_info *info, const char *id)
{
	for (int i = 0; i < info->nforms; i++)
		if (strcmp(info->forms[i].id, id) == 0)
			return i;
	return -1;
}

int tbx_writer_value(struct tbx_writer *w, const struct export_value *v, const struct form *f, struct err *e)
{
	struct export_info *info = &w->info;
	sqlite3_stmt *s = w->s[v->superseded ? W_SUPERSEDED : W_VALS];

	if (strcmp(v->updated_at, w->last_time) != 0) {
		/* Values of one write share their time: each time is checked once. */
		if (export_time_refused(v->unit, v->period, v->field, v->updated_at, false, w->now, e))
			return -1;
		snprintf(w->last_time, sizeof w->last_time, "%s", v->updated_at);
	}
	bind_text(s, 1, v->unit);
	bind_text(s, 2, v->period);
	bind_text(s, 3, v->field);
	bind_text(s, 4, v->installation);
	bind_text(s, 5, v->form);
	bind_text(s, 6, v->value);
	sqlite3_bind_int64(s, 7, v->revision);
	bind_text(s, 8, v->updated_at);
	bind_text(s, 9, v->updated_by);
	bind_text(s, 10, v->comment);
	if (step(w, s, e) != 0)
		return -1;
	if (v->superseded && info->superseded_count == 0)
		export_sum_section(&w->vsum, "superseded");
	export_sum_value(&w->vsum, v);
	if (!v->superseded) {
		keys_add(&w->keys, v->unit, v->period, v->form);
		info->value_count++;
		if (info->nunits == 0 || strcmp(info->units[info->nunits - 1], v->unit) != 0)
			strlist_add_sorted(&info->units, &info->nunits, v->unit);
		strlist_add_sorted(&info->periods, &info->nperiods, v->period);
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
	return 0;
}

int tbx_writer_state(struct tbx_writer *w, const struct export_state *st, struct err *e)
{
	const struct form_keys *k = &w->keys;
	sqlite3_stmt *s = w->s[W_STATES];
	int c = 0;

	if (!w->keys_done) {
		keys_flush(&w->keys);
		w->keys_done = true;
	}
	while (w->next_key < k->n && (c = key_vs_state(&k->keys[w->next_key], st)) < 0)
		w->next_key++;
	if (w->next_key == k->n || c > 0)
		return 0;
	if (export_time_refused(st->unit, st->period, st->form, st->changed_at, true, w->now, e))
		return -1;
	bind_text(s, 1, st->unit);
	bind_text(s, 2, st->period);
	bind_text(s, 3, st->form);
	bind_text(s, 4, st->state);
	bind_text(s, 5, st->changed_at);
	bind_text(s, 6, st->changed_by);
	bind_text(s, 7, st->installation);
	if (step(w, s, e) != 0)
		return -1;
	if (w->info.state_count++ == 0)
		export_sum_section(&w->vsum, "states");
	export_sum_state(&w->vsum, st);
	if (strcmp(st->state, "complete") == 0)
		w->info.complete_count++;
	w->next_key++;
	return 0;
}

/* The manifest, then its checksum over itself and the forms; the forms; the commit. */
static int write_manifest(struct tbx_writer *w, const struct tbx_author *by, struct err *e)
{
	struct export_info *info = &w->info;
	struct kv kv[12];
	struct sha256 msum;
	char count[32], ver[16];
	int nkv = 0, rc = -1;

	info->version = export_version();
	export_sum_hex(&w->vsum, info->checksum);
	snprintf(info->installation, sizeof info->installation, "%s", by->installation);
	snprintf(info->installation_unit, sizeof info->installation_unit, "%s", by->unit ? by->unit : "");
	snprintf(info->written_by, sizeof info->written_by, "%s", by->operator_name);
	snprintf(info->program_version, sizeof info->program_version, "%s", TIANBAO_VERSION);
	now_iso8601(info->written_at);
	snprintf(count, sizeof count, "%lld", (long long)info->value_count);
	snprintf(ver, sizeof ver, "%d", info->version);
	for (int i = 0; i < 2; i++) {
		char *list = i == 0 ? strlist_join(info->units, info->nunits) : strlist_join(info->periods, info->nperiods);
		size_t n = strlen(list);

		free(list);
		if (n > EXPORT_MANIFEST_VALUE_MAX) {
			if (i == 0)
				err_set(e, _("cannot export: the values are of %d units, and their list (%zu bytes) is longer than an export file may carry (%d bytes)"),
					info->nunits, n, EXPORT_MANIFEST_VALUE_MAX);
			else
				err_set(e, _("cannot export: the values are of %d periods, and their list (%zu bytes) is longer than an export file may carry (%d bytes); export fewer periods at a time with --period"),
					info->nperiods, n, EXPORT_MANIFEST_VALUE_MAX);
			return -1;
		}
	}
	kv[nkv++] = (struct kv){ "checksum", xstrdup(info->checksum) };
	kv[nkv++] = (struct kv){ "export_version", xstrdup(ver) };
	kv[nkv++] = (struct kv){ "installation", xstrdup(info->installation) };
	kv[nkv++] = (struct kv){ "installation_unit", xstrdup(info->installation_unit) };
	kv[nkv++] = (struct kv){ "operator", xstrdup(info->written_by) };
	kv[nkv++] = (struct kv){ "periods", strlist_join(info->periods, info->nperiods) };
	kv[nkv++] = (struct kv){ "program_version", xstrdup(info->program_version) };
	kv[nkv++] = (struct kv){ "units", strlist_join(info->units, info->nunits) };
	kv[nkv++] = (struct kv){ "value_count", xstrdup(count) };
	kv[nkv++] = (struct kv){ "written_at", xstrdup(info->written_at) };
	qsort(kv, (size_t)nkv, sizeof *kv, kv_cmp);
	export_sum_begin(&msum, "manifest");
	for (int i = 0; i < nkv; i++) {
		struct export_cell cells[2] = { export_cell_text(kv[i].key), export_cell_text(kv[i].value) };

		export_sum_row(&msum, cells, 2);
	}
	export_sum_section(&msum, "forms");
	for (int i = 0; i < info->nforms; i++) {
		struct export_cell cells[3] = { export_cell_text(info->forms[i].id), export_cell_int(info->forms[i].version),
						export_cell_text(info->forms[i].hash) };

		export_sum_row(&msum, cells, 3);
	}
	export_sum_hex(&msum, info->manifest_checksum);
	kv[nkv++] = (struct kv){ "manifest_checksum", xstrdup(info->manifest_checksum) };
	for (int i = 0; i < nkv; i++) {
		bind_text(w->s[W_MANIFEST], 1, kv[i].key);
		bind_text(w->s[W_MANIFEST], 2, kv[i].value);
		if (step(w, w->s[W_MANIFEST], e) != 0)
			goto done;
	}
	for (int i = 0; i < info->nforms; i++) {
		bind_text(w->s[W_FORMS], 1, info->forms[i].id);
		sqlite3_bind_int(w->s[W_FORMS], 2, info->forms[i].version);
		bind_text(w->s[W_FORMS], 3, info->forms[i].hash);
		if (step(w, w->s[W_FORMS], e) != 0)
			goto done;
	}
	rc = 0;
done:
	for (int i = 0; i < nkv; i++)
		free(kv[i].value);
	return rc;
}

int tbx_writer_finish(struct tbx_writer *w, const struct tbx_author *by, struct export_info *info, struct err *e)
{
	memset(info, 0, sizeof *info);
	if (w->info.value_count == 0) {
		tbx_writer_abort(w);
		return 1;
	}
	if (write_manifest(w, by, e) != 0)
		goto fail;
	for (int i = 0; i < W_COUNT; i++) {
		sqlite3_finalize(w->s[i]);
		w->s[i] = NULL;
	}
	if (sqlite3_exec(w->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK || sqlite3_close(w->db) != SQLITE_OK) {
		sql_fail(w->db, w->path, e);
		goto fail;
	}
	w->db = NULL;
	*info = w->info;
	memset(&w->info, 0, sizeof w->info);
	writer_free(w);
	return 0;
fail:
	tbx_writer_abort(w);
	return -1;
}
