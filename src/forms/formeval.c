/* formeval.c - applying a form's rules to values (see formeval.h). */
#include "forms/formeval.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/number.h"
#include "lib/str.h"

void form_eval_init(struct form_eval *ev, const struct form *f)
{
	memset(ev, 0, sizeof *ev);
	ev->form = f;
	ev->fields = xcalloc((size_t)f->nfields, sizeof *ev->fields);
}

void form_eval_free(struct form_eval *ev)
{
	free(ev->fields);
	free(ev->problems);
	memset(ev, 0, sizeof *ev);
}

static struct ev lookup(void *ctx, int id)
{
	struct form_eval *ev = ctx;

	if (ev->fields[id].skipped)
		return ev_missing();
	return ev->fields[id].val;
}

static bool truthy(struct ev v)
{
	return v.kind == EV_NUM && v.num != 0;
}

static void add_problem(struct form_eval *ev, enum problem_kind kind, bool is_error, int field, int check)
{
	struct problem *p;

	if (ev->nproblems == ev->cap) {
		ev->cap = ev->cap ? ev->cap * 2 : 16;
		ev->problems = xreallocarray(ev->problems, (size_t)ev->cap, sizeof *ev->problems);
	}
	p = &ev->problems[ev->nproblems++];
	p->kind = kind;
	p->is_error = is_error;
	p->field = field;
	p->check = check;
	if (is_error)
		ev->errors++;
	else
		ev->warnings++;
	if (field >= 0) {
		if (is_error)
			ev->fields[field].errors++;
		else
			ev->fields[field].warnings++;
	}
}

void form_evaluate(struct form_eval *ev, const char *const *raw)
{
	const struct form *f = ev->form;
	bool section_skipped = false;
	int cur_section = -1;

	ev->nproblems = ev->asked = ev->filled = ev->errors = ev->warnings = ev->missing = 0;
	/* Inputs in form order: skip conditions only look at earlier inputs. */
	for (int i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		struct field_eval *fe = &ev->fields[i];

		memset(fe, 0, sizeof *fe);
		fe->val = ev_missing();
		fe->target = -1;
		if (fd->section != cur_section) {
			cur_section = fd->section;
			section_skipped = f->sections[cur_section].skip_if &&
					  truthy(expr_eval(f->sections[cur_section].skip_if, lookup, ev));
		}
		fe->skipped = section_skipped || (fd->skip_if && truthy(expr_eval(fd->skip_if, lookup, ev)));
		if (fd->compute || fe->skipped)
			continue;
		ev->asked++;
		if (raw && raw[i] && raw[i][0]) {
			char *canon = NULL;
			struct err e;

			fe->filled = true;
			ev->filled++;
			if (field_parse(fd, raw[i], &canon, &fe->val, &e) != 0) {
				fe->val = ev_missing();
				add_problem(ev, PK_INVALID, true, i, -1);
			} else if (!field_is_numeric(fd)) {
				/* A text or date has no number, but it is not missing: answered()
				 * is how rules ask about it. */
				fe->val = ev_na();
			}
			free(canon);
		} else if (fd->required) {
			add_problem(ev, PK_REQUIRED, true, i, -1);
			fe->missing = true;
			ev->missing++;
		}
	}
	for (int k = 0; k < f->ncompute; k++) {
		int i = f->compute_order[k];

		if (!ev->fields[i].skipped)
			ev->fields[i].val = expr_eval(f->fields[i].compute, lookup, ev);
	}
	for (int i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		struct field_eval *fe = &ev->fields[i];

		if (fe->skipped || fe->val.kind != EV_NUM)
			continue;
		if ((fd->soft.has_min || fd->soft.has_max) && !field_in_range(&fd->soft, fe->val.num, !fd->compute))
			add_problem(ev, PK_SOFT_RANGE, false, i, -1);
		fe->target = target_met(fd, fe->val);
	}
	for (int c = 0; c < f->nchecks; c++) {
		const struct check *ck = &f->checks[c];
		struct ev r;
		int shown_on = -1;

		if (!ck->rule)
			continue;
		/* A rule about a question not asked says nothing (docs/forms.md): "and" and
		 * "or" could otherwise decide it without the missing answer. */
		{
			bool about_skipped = false;

			for (int j = 0; j < ck->nfields; j++)
				if (ev->fields[ck->fields[j]].skipped)
					about_skipped = true;
			if (about_skipped)
				continue;
		}
		r = expr_eval(ck->rule, lookup, ev);
		if (r.kind != EV_NUM || r.num != 0)
			continue;
		for (int j = 0; j < ck->nfields && shown_on < 0; j++)
			if (!f->fields[ck->fields[j]].compute)
				shown_on = ck->fields[j];
		if (shown_on < 0 && ck->nfields > 0)
			shown_on = ck->fields[0];
		add_problem(ev, PK_CHECK, ck->is_error, shown_on, c);
		/* The other fields a rule names carry it too, so each shows the mark. */
		for (int j = 0; j < ck->nfields; j++) {
			int fi = ck->fields[j];

			if (fi == shown_on)
				continue;
			if (ck->is_error)
				ev->fields[fi].errors++;
			else
				ev->fields[fi].warnings++;
		}
	}
}

void problem_describe(const struct form_eval *ev, const struct problem *p, struct strbuf *out)
{
	const struct form *f = ev->form;
	const struct field *fd = p->field >= 0 ? &f->fields[p->field] : NULL;
	char v[64], lo[32], hi[32];

	switch (p->kind) {
	case PK_REQUIRED:
		sb_addf(out, _("%s: not filled in yet"), i18n_pick(fd->label, fd->label_en));
		break;
	case PK_INVALID:
		sb_addf(out, _("%s: the stored value is not valid for this version of the form; enter it again"),
			i18n_pick(fd->label, fd->label_en));
		break;
	case PK_SOFT_RANGE:
		field_format(fd, ev->fields[p->field].val, v, sizeof v);
		format_number(lo, sizeof lo, fd->soft.min);
		format_number(hi, sizeof hi, fd->soft.max);
		if (fd->soft.has_min && fd->soft.has_max)
			sb_addf(out, _("%s: %s is outside the usual range %s to %s; check it"),
				i18n_pick(fd->label, fd->label_en), v, lo, hi);
		else if (fd->soft.has_min)
			sb_addf(out, _("%s: %s is below the usual minimum %s; check it"),
				i18n_pick(fd->label, fd->label_en), v, lo);
		else
			sb_addf(out, _("%s: %s is above the usual maximum %s; check it"),
				i18n_pick(fd->label, fd->label_en), v, hi);
		break;
	case PK_CHECK:
		sb_add(out, i18n_pick(f->checks[p->check].message, f->checks[p->check].message_en));
		break;
	}
}


