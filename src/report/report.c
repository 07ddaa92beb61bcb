/* report.c - the report model: a period's values mapped onto units and forms, and the
 * township figures worked out from them (see report.h). No SQL, no output. */
#include "report/report.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "store/report_rows.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "core/form_status.h"
#include "forms/period.h"
#include "store/states.h"

/* ---- memory: everything of a report lives in one arena -------------------------- */

struct report_arena {
	struct report_arena *next;
	size_t used, cap;
	max_align_t data[];
};

static void *arena_alloc(struct report *r, size_t n)
{
	struct report_arena *a = r->arena;
	void *p;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (!a || a->cap - a->used < n) {
		size_t cap = n > 256 * 1024 ? n : 256 * 1024;

		a = xmalloc(sizeof *a + cap);
		a->next = r->arena;
		a->used = 0;
		a->cap = cap;
		r->arena = a;
	}
	p = (char *)a->data + a->used;
	a->used += n;
	return p;
}

static void *arena_zalloc(struct report *r, size_t n, size_t size)
{
	void *p;

	if (n == 0)
		return NULL;
	p = arena_alloc(r, n * size);
	memset(p, 0, n * size);
	return p;
}

static const char *arena_str(struct report *r, const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = arena_alloc(r, n);
	memcpy(p, s, n);
	return p;
}

/* ---- a small string map for codes -------------------------------------------------- */

struct strmap {
	const char **keys;
	int *vals;
	size_t mask;
};

static size_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

static void strmap_init(struct strmap *m, int n)
{
	size_t cap = 16;

	while (cap < (size_t)n * 2)
		cap *= 2;
	m->keys = xcalloc(cap, sizeof *m->keys);
	m->vals = xcalloc(cap, sizeof *m->vals);
	m->mask = cap - 1;
}

static void strmap_free(struct strmap *m)
{
	free(m->keys);
	free(m->vals);
}

/* The key must outlive the map (the formset's strings do). */
static void strmap_put(struct strmap *m, const char *k, int v)
{
	size_t i = hash_str(k) & m->mask;

	while (m->keys[i] && strcmp(m->keys[i], k) != 0)
		i = (i + 1) & m->mask;
	m->keys[i] = k;
	m->vals[i] = v;
}

static int strmap_get(const struct strmap *m, const char *k)
{
	size_t i = hash_str(k) & m->mask;

	while (m->keys[i]) {
		if (strcmp(m->keys[i], k) == 0)
			return m->vals[i];
		i = (i + 1) & m->mask;
	}
	return -1;
}

/* ---- names ------------------------------------------------------------------------ */

static const char *const kind_names[] = { "completeness", "indicators", "units", "targets" };

int report_kind_parse(const char *s)
{
	for (size_t i = 0; i < ARRAY_LEN(kind_names); i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (int)i;
	return -1;
}

double report_percent(int part, int whole)
{
	return whole > 0 ? 100.0 * part / whole : 0;
}

struct ev report_change(struct ev cur, struct ev prev)
{
	if (cur.kind != EV_NUM || prev.kind != EV_NUM)
		return ev_missing();
	return ev_num(cur.num - prev.num);
}

/* Whether a township value meets the field's target; for a yes/no field the value is
 * the share in percent (unlike target_met, which reads one unit's 1 or 0). */
static int figure_met(const struct field *fd, struct ev v)
{
	struct field share;

	if (fd->type != FT_YESNO)
		return target_met(fd, v);
	/* target_met reads a yes/no value as one unit's answer (1 -> 100%); the township's
	 * is already a percentage. */
	share = *fd;
	share.type = FT_DECIMAL;
	return target_met(&share, v);
}

struct ev report_entry_value(const struct report_entry *en, int field)
{
	const struct field_eval *fe = &en->ev.fields[field];

	return fe->skipped ? ev_missing() : fe->val;
}

enum report_stored report_stored_value(const struct report_entry *en, int field)
{
	if (!en->values[field].text || !en->values[field].text[0])
		return RS_NONE;
	if (en->ev.fields[field].skipped)
		return RS_SKIPPED;
	for (int p = 0; p < en->ev.nproblems; p++)
		if (en->ev.problems[p].kind == PK_INVALID && en->ev.problems[p].field == field)
			return RS_INVALID;
	return RS_USED;
}

int report_entry_conflicts(const struct report *r, const struct report_entry *en, int form, int field)
{
	const struct report_form *rf = &r->cur.forms[form];
	int n = rf->form->nfields, c = 0;

	if (en->nconflicts == 0)
		return 0;
	for (int j = 0; j < n; j++)
		if (rf->deps[field * n + j] && en->values[j].conflict)
			c++;
	return c;
}

const struct report_figure *report_figure_of(const struct report *r, int form, int field)
{
	return &r->cur.forms[form].figures[field];
}

/* ---- the inputs each field is made of --------------------------------------------- */

struct deps_ctx {
	const struct form *f;
	unsigned char *row;
	int depth;
};

static void add_dep(void *vctx, int id)
{
	struct deps_ctx *c = vctx;

	if (c->f->fields[id].compute) {
		/* Computed fields form no cycle (the loader refuses one); the depth only guards. */
		if (c->depth < 64) {
			c->depth++;
			expr_each_ref(c->f->fields[id].compute, add_dep, c);
			c->depth--;
		}
	} else {
		c->row[id] = 1;
	}
}

static unsigned char *make_deps(struct report *r, const struct form *f)
{
	int n = f->nfields;
	unsigned char *deps = arena_zalloc(r, (size_t)n * (size_t)n, 1);

	for (int i = 0; i < n; i++) {
		struct deps_ctx c = { f, deps + (size_t)i * (size_t)n, 0 };

		if (f->fields[i].compute)
			expr_each_ref(f->fields[i].compute, add_dep, &c);
		else
			c.row[i] = 1;
	}
	return deps;
}

/* ---- loading ------------------------------------------------------------------------ */

struct build {
	struct report *r;
	struct strmap units;       /* unit code -> index in formset->units */
	struct strmap fields;      /* field code -> (form index in the period) << 16 | field index */
	struct strmap forms;       /* form id -> form index in the period */
	int *entry_of;             /* [form * nunits + unit] -> entry index, or -1 */
	int nunits;
};

static struct report_period *period_of(struct report *r, const char *p)
{
	if (strcmp(p, r->cur.period) == 0)
		return &r->cur;
	if (r->has_prev_period && strcmp(p, r->prev.period) == 0)
		return &r->prev;
	return NULL;
}

static struct report_entry *find_entry(struct build *b, const char *period, const char *unit, int form)
{
	struct report_period *p = period_of(b->r, period);
	int u = strmap_get(&b->units, unit), ei;

	if (!p || u < 0 || form < 0)
		return NULL;
	ei = b->entry_of[form * b->nunits + u];
	return ei < 0 ? NULL : &p->forms[form].entries[ei];
}

static int on_value(void *ctx, const struct report_value_row *row)
{
	struct build *b = ctx;
	struct report *r = b->r;
	int fk = strmap_get(&b->fields, row->field);
	struct report_entry *en;
	struct report_value *v;
	int form = fk < 0 ? -1 : fk >> 16, field = fk < 0 ? -1 : fk & 0xffff;

	en = find_entry(b, row->period, row->unit, form);
	if (!en || r->cur.forms[form].form->fields[field].compute) {
		if (strcmp(row->period, r->cur.period) == 0)
			r->ignored++;
		return 0;
	}
	period_of(r, row->period)->has_data = true;
	v = &en->values[field];
	v->text = arena_str(r, row->value);
	v->updated_at = arena_str(r, row->updated_at);
	v->updated_by = arena_str(r, row->updated_by);
	v->comment = arena_str(r, row->comment);
	v->conflict = row->conflict;
	if (v->text)
		en->nvalues++;
	if (v->conflict)
		en->nconflicts++;
	return 0;
}

static int on_state(void *ctx, const struct report_state_row *row)
{
	struct build *b = ctx;
	struct report_entry *en = find_entry(b, row->period, row->unit, strmap_get(&b->forms, row->form));

	if (!en)
		return 0;
	period_of(b->r, row->period)->has_data = true;
	en->state = row->state;
	en->changed_at = arena_str(b->r, row->changed_at);
	en->changed_by = arena_str(b->r, row->changed_by);
	return 0;
}

static int on_alt(void *ctx, const struct report_alt_row *row)
{
	struct build *b = ctx;
	int fk = strmap_get(&b->fields, row->field);
	struct report_entry *en = find_entry(b, row->period, row->unit, fk < 0 ? -1 : fk >> 16);
	struct report_alt *a, **tail;

	if (!en)
		return 0;
	a = arena_zalloc(b->r, 1, sizeof *a);
	a->field = fk & 0xffff;
	a->value = arena_str(b->r, row->value);
	a->updated_by = arena_str(b->r, row->updated_by);
	a->updated_at = arena_str(b->r, row->updated_at);
	a->installation = arena_str(b->r, row->installation);
	/* Kept in the order read (by time), so the oldest is listed first. */
	for (tail = &en->alts; *tail; tail = &(*tail)->next)
		;
	*tail = a;
	return 0;
}

/* The forms of the period's type, each with an entry per unit that reports it. */
static void setup_period(struct report *r, struct report_period *p, const int *form_idx, int nforms)
{
	const struct formset *fs = r->fs;

	p->nforms = nforms;
	p->forms = arena_zalloc(r, (size_t)nforms, sizeof *p->forms);
	for (int k = 0; k < nforms; k++) {
		struct report_form *rf = &p->forms[k];
		const struct form *f = &fs->forms[form_idx[k]];
		int n = 0;

		rf->form = f;
		for (int u = 0; u < fs->nunits; u++)
			if (form_applies_to(f, &fs->units[u]))
				n++;
		rf->entries = arena_zalloc(r, (size_t)n, sizeof *rf->entries);
		rf->figures = arena_zalloc(r, (size_t)f->nfields, sizeof *rf->figures);
		for (int u = 0; u < fs->nunits; u++) {
			struct report_entry *en;

			if (!form_applies_to(f, &fs->units[u]))
				continue;
			en = &rf->entries[rf->nentries++];
			en->unit = &fs->units[u];
			en->unit_index = u;
			en->state = FST_EMPTY;
			en->values = arena_zalloc(r, (size_t)f->nfields, sizeof *en->values);
		}
	}
}

/* Applies the form's rules to every entry, and settles states of forms that have values
 * but no state row (values merged from elsewhere): in progress, by whoever wrote last;
 * a complete form with a value in conflict counts as in progress. */
static void evaluate_period(struct report_period *p)
{
	const char **raw = NULL;
	int cap = 0;

	for (int k = 0; k < p->nforms; k++) {
		struct report_form *rf = &p->forms[k];
		const struct form *f = rf->form;

		if (f->nfields > cap) {
			cap = f->nfields;
			raw = xreallocarray(raw, (size_t)cap, sizeof *raw);
		}
		for (int ei = 0; ei < rf->nentries; ei++) {
			struct report_entry *en = &rf->entries[ei];

			for (int i = 0; i < f->nfields; i++) {
				raw[i] = en->values[i].text;
				if (en->state == FST_EMPTY && en->values[i].text &&
				    (!en->changed_at || strcmp(en->values[i].updated_at, en->changed_at) > 0)) {
					en->changed_at = en->values[i].updated_at;
					en->changed_by = en->values[i].updated_by;
				}
			}
			en->state = form_status_shown(en->state, en->nvalues, en->nconflicts);
			form_eval_init(&en->ev, f);
			form_evaluate(&en->ev, raw);
			switch (en->state) {
			case FST_COMPLETE: rf->ncomplete++; break;
			case FST_PROGRESS: rf->nprogress++; break;
			default: rf->nempty++; break;
			}
			rf->nconflicts += en->nconflicts;
		}
	}
	free(raw);
}

/* ---- township figures ------------------------------------------------------------- */

struct sum_ctx {
	const struct report_form *rf;
	int over;                  /* the computed field whose computable units are summed */
	int depth;
};

static bool computable(const struct report_entry *en, int field)
{
	const struct field_eval *fe = &en->ev.fields[field];

	return !fe->skipped && fe->val.kind != EV_MISSING;
}

static struct ev sum_lookup(void *vctx, int id)
{
	struct sum_ctx *c = vctx;
	const struct form *f = c->rf->form;
	double s = 0;
	int n = 0;

	if (f->fields[id].compute) {
		struct ev v = ev_missing();

		if (c->depth < 64) {
			c->depth++;
			v = expr_eval(f->fields[id].compute, sum_lookup, c);
			c->depth--;
		}
		return v;
	}
	for (int ei = 0; ei < c->rf->nentries; ei++) {
		const struct report_entry *en = &c->rf->entries[ei];
		struct ev v = report_entry_value(en, id);

		if (!computable(en, c->over) || v.kind != EV_NUM)
			continue;
		s += v.num;
		n++;
	}
	return n ? ev_num(s) : ev_missing();
}

static void make_figure(struct report *r, struct report_form *rf, int i)
{
	const struct form *f = rf->form;
	const struct field *fd = &f->fields[i];
	struct report_figure *fg = &rf->figures[i];
	int nf = f->nfields;
	double sum = 0;

	fg->value = ev_missing();
	fg->met = -1;
	if (fd->compute)
		fg->agg = RA_COMPUTED;
	else if (fd->type == FT_YESNO)
		fg->agg = RA_SHARE;
	else if (fd->type == FT_CHOICE)
		fg->agg = RA_CHOICE;
	else if (fd->type == FT_TEXT || fd->type == FT_DATE)
		fg->agg = RA_NONE;
	else
		fg->agg = RA_SUM;
	if (fg->agg == RA_CHOICE)
		fg->choices = arena_zalloc(r, (size_t)fd->nchoices, sizeof *fg->choices);

	for (int ei = 0; ei < rf->nentries; ei++) {
		const struct report_entry *en = &rf->entries[ei];
		struct ev v = report_entry_value(en, i);
		bool counted;

		if (en->ev.fields[i].skipped)
			continue;
		fg->m++;
		switch (fg->agg) {
		case RA_NONE:
			counted = en->values[i].text != NULL;
			break;
		case RA_COMPUTED:
			counted = v.kind != EV_MISSING;
			break;
		default:
			counted = v.kind == EV_NUM;
			break;
		}
		if (!counted)
			continue;
		fg->n++;
		for (int j = 0; j < nf; j++)
			if (rf->deps[i * nf + j] && en->values[j].conflict)
				fg->nconflicts++;
		if (v.kind != EV_NUM)
			continue;
		sum += v.num;
		if (fg->agg == RA_SHARE && v.num != 0)
			fg->yes++;
		if (fg->agg == RA_CHOICE)
			for (int k = 0; k < fd->nchoices; k++)
				if (fd->choices[k].code == (int)v.num)
					fg->choices[k]++;
	}
	if (fg->n == 0)
		return;
	switch (fg->agg) {
	case RA_SUM:
		fg->value = ev_num(sum);
		break;
	case RA_SHARE:
		fg->value = ev_num(100.0 * fg->yes / fg->n);
		break;
	case RA_COMPUTED: {
		struct sum_ctx c = { rf, i, 0 };

		fg->value = expr_eval(fd->compute, sum_lookup, &c);
		break;
	}
	default:
		break;
	}
	fg->met = figure_met(fd, fg->value);
}

static void make_figures(struct report *r, struct report_period *p)
{
	for (int k = 0; k < p->nforms; k++)
		for (int i = 0; i < p->forms[k].form->nfields; i++)
			make_figure(r, &p->forms[k], i);
}

/* ---- completeness -------------------------------------------------------------------- */

static void make_completeness(struct report *r)
{
	const struct formset *fs = r->fs;
	struct report_unit_row *row;
	int *slot = xcalloc((size_t)fs->nunits, sizeof *slot);

	r->units = arena_zalloc(r, (size_t)fs->nunits, sizeof *r->units);
	for (int u = 0; u < fs->nunits; u++)
		slot[u] = -1;
	for (int u = 0; u < fs->nunits; u++) {
		for (int k = 0; k < r->cur.nforms; k++) {
			if (form_applies_to(r->cur.forms[k].form, &fs->units[u])) {
				slot[u] = r->nunits++;
				r->units[slot[u]].unit = &fs->units[u];
				r->units[slot[u]].cells = arena_zalloc(r, (size_t)r->cur.nforms, sizeof(void *));
				break;
			}
		}
	}
	for (int k = 0; k < r->cur.nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];

		for (int ei = 0; ei < rf->nentries; ei++) {
			const struct report_entry *en = &rf->entries[ei];

			row = &r->units[slot[en->unit_index]];
			row->cells[k] = en;
			row->nforms++;
			row->nconflicts += en->nconflicts;
			if (en->state == FST_COMPLETE)
				row->ncomplete++;
			else if (en->state == FST_PROGRESS)
				row->nprogress++;
			else
				row->nempty++;
		}
		r->total += rf->nentries;
		r->complete += rf->ncomplete;
		r->progress += rf->nprogress;
		r->empty += rf->nempty;
		r->conflicts += rf->nconflicts;
	}
	free(slot);
}

/* ---- a unit's value, as ranked and judged ------------------------------------------- */

static struct ev target_terms(const struct field *fd, struct ev v)
{
	if (fd->type == FT_YESNO && v.kind == EV_NUM)
		return ev_num(v.num != 0 ? 100 : 0);
	return v;
}

static void unit_value(const struct report *r, int form, int field, int ei, struct report_unit_value *out)
{
	const struct report_entry *en = &r->cur.forms[form].entries[ei];
	const struct field *fd = &r->cur.forms[form].form->fields[field];

	memset(out, 0, sizeof *out);
	out->entry = en;
	out->value = target_terms(fd, report_entry_value(en, field));
	out->prev = r->prev.forms ? target_terms(fd, report_entry_value(&r->prev.forms[form].entries[ei], field))
				  : ev_missing();
	out->met = target_met(fd, out->value);
	out->nconflicts = report_entry_conflicts(r, en, form, field);
}

struct rank_item {
	struct report_unit_value v;
	int cls;                   /* 0 a number, 1 not applicable, 2 no value */
	double key;                /* smaller ranks first */
	int order;
};

static int rank_cmp(const void *pa, const void *pb)
{
	const struct rank_item *a = pa, *b = pb;

	if (a->cls != b->cls)
		return a->cls - b->cls;
	if (a->cls == 0 && ev_compare(a->key, b->key) != 0)
		return a->key < b->key ? -1 : 1;
	return a->order - b->order;
}

/* Best first in the direction of the target: larger first, smaller first under a
 * "<=" or "<" target, closest to the range under "a..b". */
static double rank_key(const struct field *fd, double v)
{
	switch (fd->target.op) {
	case TG_LE:
	case TG_LT:
		return v;
	case TG_BETWEEN:
		return v < fd->target.a ? fd->target.a - v : v > fd->target.b ? v - fd->target.b : 0;
	default:
		return -v;
	}
}

/* The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten)
 * at or above v, for the end of a bar chart's axis. */
static double nice_ceil(double v)
{
	static const double steps[] = { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 };
	double p = 1;

	if (v <= 0 || !isfinite(v))
		return 1;
	while (p * 10 <= v)
		p *= 10;
	while (p > v)
		p /= 10;
	for (size_t i = 0; i < ARRAY_LEN(steps); i++)
		if (ev_compare(steps[i] * p, v) >= 0)
			return steps[i] * p;
	return 10 * p;
}

static void make_ranking(struct report *r, int form, int field)
{
	const struct report_form *rf = &r->cur.forms[form];
	const struct field *fd = &rf->form->fields[field];
	struct report_ranking *rk = &r->ranking;
	struct rank_item *items = xcalloc((size_t)rf->nentries + 1, sizeof *items);
	double max = 0;

	rk->form = form;
	rk->field = field;
	rk->nrows = rf->nentries;
	rk->rows = arena_zalloc(r, (size_t)rf->nentries, sizeof *rk->rows);
	for (int ei = 0; ei < rf->nentries; ei++) {
		struct rank_item *it = &items[ei];

		unit_value(r, form, field, ei, &it->v);
		it->order = ei;
		it->cls = it->v.value.kind == EV_NUM ? 0 : it->v.value.kind == EV_NA ? 1 : 2;
		if (it->cls == 0) {
			it->key = rank_key(fd, it->v.value.num);
			if (it->v.value.num > max)
				max = it->v.value.num;
		}
	}
	qsort(items, (size_t)rf->nentries, sizeof *items, rank_cmp);
	for (int i = 0; i < rf->nentries; i++) {
		rk->rows[i] = items[i].v;
		if (items[i].cls != 0)
			continue;
		/* Equal values share a rank (1, 2, 2, 4). */
		if (i > 0 && items[i - 1].cls == 0 && ev_compare(items[i - 1].key, items[i].key) == 0)
			rk->rows[i].rank = rk->rows[i - 1].rank;
		else
			rk->rows[i].rank = i + 1;
	}
	free(items);
	if (fd->target.op != TG_NONE) {
		if (fd->target.a > max)
			max = fd->target.a;
		if (fd->target.op == TG_BETWEEN && fd->target.b > max)
			max = fd->target.b;
	}
	/* Percentages are drawn against 100 when they all fit; other values against the
	 * largest of the values and the target. */
	if ((fd->type == FT_YESNO || strcmp(fd->unit, "%") == 0) && max <= 100)
		max = 100;
	else
		max = nice_ceil(max);
	rk->scale = max > 0 ? max : 1;
}

static void make_targets(struct report *r)
{
	int n = 0;

	for (int k = 0; k < r->cur.nforms; k++)
		for (int i = 0; i < r->cur.forms[k].form->nfields; i++)
			if (r->cur.forms[k].form->fields[i].target.op != TG_NONE)
				n++;
	r->targets = arena_zalloc(r, (size_t)n, sizeof *r->targets);
	for (int k = 0; k < r->cur.nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];

		for (int i = 0; i < rf->form->nfields; i++) {
			struct report_target *t;

			if (rf->form->fields[i].target.op == TG_NONE)
				continue;
			t = &r->targets[r->ntargets++];
			t->form = k;
			t->field = i;
			t->nunits = rf->nentries;
			t->units = arena_zalloc(r, (size_t)rf->nentries, sizeof *t->units);
			for (int ei = 0; ei < rf->nentries; ei++) {
				unit_value(r, k, i, ei, &t->units[ei]);
				if (t->units[ei].met > 0)
					t->nmet++;
				else if (t->units[ei].met == 0)
					t->nnot++;
				else
					t->nnone++;
			}
		}
	}
}

/* ---- building -------------------------------------------------------------------------- */

static int find_ranked_field(const struct report *r, const char *code, int *form, int *field, struct err *e)
{
	const struct formset *fs = r->fs;
	int idx;
	const struct form *f = formset_form_of_field(fs, code, &idx);
	const struct field *fd;

	if (!f) {
		err_set(e, _("unknown field '%s': no form has it"), code);
		return -1;
	}
	for (int k = 0; k < r->cur.nforms; k++) {
		if (r->cur.forms[k].form == f) {
			*form = k;
			*field = idx;
			fd = &f->fields[idx];
			if (fd->type == FT_TEXT || fd->type == FT_DATE || fd->type == FT_CHOICE) {
				err_set(e, _("%s is a %s field: only numbers and yes/no answers can be ranked"), code,
					field_type_name(fd->type));
				return -1;
			}
			return 0;
		}
	}
	err_set(e, _("%s is on form '%s', which is not filled in for a period like %s"), code, f->id, r->cur.period);
	return -1;
}

int report_build(struct store *st, const struct formset *fs, const struct report_options *opt, struct report *r,
		 struct err *e)
{
	int type;
	int *form_idx = NULL, nforms = 0, rank_form = -1, rank_field = -1, nconflicts = 0;
	struct build b;
	int rc = -1;

	memset(r, 0, sizeof *r);
	memset(&b, 0, sizeof b);
	r->kind = opt->kind;
	r->fs = fs;
	r->township = formset_township(fs);
	r->ranking.form = r->ranking.field = -1;
	if ((type = period_check(opt->period, e)) < 0)
		return -1;
	snprintf(r->cur.period, sizeof r->cur.period, "%s", opt->period);
	r->has_prev_period = period_previous(opt->period, r->prev.period);
	form_idx = xcalloc((size_t)fs->nforms + 1, sizeof *form_idx);
	for (int i = 0; i < fs->nforms; i++)
		if ((int)fs->forms[i].period == type)
			form_idx[nforms++] = i;
	if (nforms == 0) {
		err_set(e, _("no form is filled in for a period like %s (the forms are for other kinds of period)"),
			opt->period);
		goto out;
	}
	setup_period(r, &r->cur, form_idx, nforms);
	if (r->has_prev_period)
		setup_period(r, &r->prev, form_idx, nforms);
	for (int k = 0; k < nforms; k++) {
		unsigned char *deps = (unsigned char *)make_deps(r, r->cur.forms[k].form);

		r->cur.forms[k].deps = deps;
		if (r->has_prev_period)
			r->prev.forms[k].deps = deps;
	}
	if (opt->kind == RK_UNITS) {
		if (!opt->field) {
			err_set(e, "%s", _("the units report needs --field CODE"));
			goto out;
		}
		if (find_ranked_field(r, opt->field, &rank_form, &rank_field, e) != 0)
			goto out;
	}

	/* Codes to places. */
	b.r = r;
	b.nunits = fs->nunits;
	strmap_init(&b.units, fs->nunits);
	for (int u = 0; u < fs->nunits; u++)
		strmap_put(&b.units, fs->units[u].code, u);
	strmap_init(&b.forms, nforms);
	{
		int nfields = 0;

		for (int k = 0; k < nforms; k++)
			nfields += r->cur.forms[k].form->nfields;
		strmap_init(&b.fields, nfields);
	}
	b.entry_of = xcalloc((size_t)nforms * (size_t)fs->nunits + 1, sizeof *b.entry_of);
	for (int k = 0; k < nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];
		int ei = 0;

		strmap_put(&b.forms, rf->form->id, k);
		for (int i = 0; i < rf->form->nfields; i++)
			strmap_put(&b.fields, rf->form->fields[i].code, k << 16 | i);
		for (int u = 0; u < fs->nunits; u++)
			b.entry_of[k * fs->nunits + u] =
				ei < rf->nentries && rf->entries[ei].unit_index == u ? ei++ : -1;
	}

	/* Two statements, and a third only when something is in conflict. */
	if (store_report_values(st, r->cur.period, r->has_prev_period ? r->prev.period : NULL, on_value, &b,
				&nconflicts, e) != 0 ||
	    store_report_states(st, r->cur.period, r->has_prev_period ? r->prev.period : NULL, on_state, &b, e) != 0)
		goto out;
	if (nconflicts > 0 &&
	    store_report_alternatives(st, r->cur.period, r->has_prev_period ? r->prev.period : NULL, on_alt, &b, e) != 0)
		goto out;

	evaluate_period(&r->cur);
	make_figures(r, &r->cur);
	if (r->has_prev_period) {
		evaluate_period(&r->prev);
		make_figures(r, &r->prev);
	}
	make_completeness(r);
	if (rank_form >= 0)
		make_ranking(r, rank_form, rank_field);
	make_targets(r);
	rc = 0;
out:
	free(form_idx);
	free(b.entry_of);
	if (b.r) {
		strmap_free(&b.units);
		strmap_free(&b.forms);
		strmap_free(&b.fields);
	}
	if (rc != 0)
		report_free(r);
	return rc;
}

static void free_period(struct report_period *p)
{
	for (int k = 0; k < p->nforms; k++)
		for (int ei = 0; ei < p->forms[k].nentries; ei++)
			if (p->forms[k].entries[ei].ev.fields)
				form_eval_free(&p->forms[k].entries[ei].ev);
}

void report_free(struct report *r)
{
	struct report_arena *a = r->arena, *next;

	free_period(&r->cur);
	free_period(&r->prev);
	for (; a; a = next) {
		next = a->next;
		free(a);
	}
	memset(r, 0, sizeof *r);
}
