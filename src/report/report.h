/* report.h - the reports of a period, as plain structs a screen (or a renderer) walks.
 *
 * report_build reads a period and the period before it from the store (store/report_rows.h),
 * applies each form's rules to each unit's values (form_evaluate: skip logic, computed
 * fields), and works out:
 *
 *   completeness  which unit has filled in which form: a matrix of units x forms with
 *                 the state (empty / in progress / complete), who and when, values in
 *                 conflict, and the share complete per form, per unit and overall;
 *   indicators    the township figure of every field of every form (report_figure);
 *   units         one field across the units that report it, ranked, with its target;
 *   targets       every field with a target: township and each unit, met or not.
 *
 * How the township figure is made (docs/reports.md says the same for users):
 *   - counts (integer and decimal inputs): the sum over the units that gave a value;
 *   - yes/no: the share of the units that answered which said yes, in percent, and the
 *     field's target applies to that share;
 *   - computed fields (ratios): the field's own compute expression evaluated over the
 *     sums of its inputs, taken over the units where the unit's own value can be
 *     computed (so numerator and denominator cover the same units). Never an average of
 *     the units' ratios. A zero denominator gives EV_NA (not applicable);
 *   - choice: a count per choice; text and date: only how many units answered.
 *   - n is how many units the figure covers, m how many were asked (the units that
 *     report the form, less those whose form skips the question).
 *   - a value in conflict (two installations disagree, nobody has decided) counts with
 *     its current value, and every figure it enters says how many such values it
 *     includes (nconflicts).
 *
 * No SQL, no curses, no printing: report_out.h renders a report.
 */
#ifndef TIANBAO_REPORT_H
#define TIANBAO_REPORT_H

#include <stdbool.h>

#include "forms/expr.h"
#include "forms/formeval.h"
#include "forms/forms.h"
#include "store/store.h"
#include "lib/err.h"
#include "store/states.h"

enum report_kind { RK_COMPLETENESS, RK_INDICATORS, RK_UNITS, RK_TARGETS };

/* Another installation's value of a value in conflict. */
struct report_alt {
	int field;
	const char *value;            /* NULL: cleared there */
	const char *updated_by, *updated_at, *installation;
	struct report_alt *next;
};

/* One stored value of a unit. */
struct report_value {
	const char *text;             /* canonical stored text, NULL when none */
	const char *updated_at, *updated_by;
	const char *comment;          /* the comment written with it, NULL when none */
	bool conflict;
};

/* One unit's form in one period: a cell of the completeness matrix. */
struct report_entry {
	const struct unit *unit;
	int unit_index;               /* into formset->units */
	enum form_state state;        /* as shown: a form with values but no state row, or complete
	                               * with a value in conflict, counts as in progress */
	const char *changed_at;       /* ISO 8601 UTC; NULL when empty (未填) */
	const char *changed_by;
	int nvalues;                  /* values stored */
	int nconflicts;               /* of them, in conflict */
	struct report_value *values;  /* per field of the form */
	struct form_eval ev;          /* per field: typed or computed value, skipped, target */
	struct report_alt *alts;      /* the other values of the values in conflict */
};

enum report_agg {
	RA_NONE,      /* text, date: not aggregated, only counted */
	RA_SUM,       /* integer, decimal inputs */
	RA_SHARE,     /* yes/no: percent of answering units saying yes */
	RA_COMPUTED,  /* computed: the expression over the summed inputs */
	RA_CHOICE,    /* a count per choice */
};

/* The township figure of one field in one period. */
struct report_figure {
	enum report_agg agg;
	struct ev value;              /* EV_MISSING when no unit gave one; EV_NA: zero denominator */
	int n, m;                     /* units covered, units asked */
	int nconflicts;               /* values in conflict among those it is made of */
	int yes;                      /* RA_SHARE: units answering yes */
	int *choices;                 /* RA_CHOICE: units per fd->choices[k] */
	int met;                      /* -1 no target or no value, 0 not met, 1 met */
};

/* One form in one period: its units (in units-file order) and township figures. */
struct report_form {
	const struct form *form;
	struct report_entry *entries;
	int nentries;
	int ncomplete, nprogress, nempty;
	int nconflicts;               /* values in conflict */
	struct report_figure *figures; /* per field */
	const unsigned char *deps;    /* deps[i * nfields + j]: field i is made of input j (i itself for an input) */
};

struct report_period {
	char period[16];
	bool has_data;                /* any value or form state stored */
	struct report_form *forms;    /* the forms of this period's type, in file order */
	int nforms;
};

/* A row of the completeness matrix. */
struct report_unit_row {
	const struct unit *unit;
	const struct report_entry **cells; /* per form of the period: NULL when not reported by the unit */
	int nforms, ncomplete, nprogress, nempty, nconflicts;
};

/* A unit's value of one field, as the units and targets reports show it. */
struct report_unit_value {
	const struct report_entry *entry;
	struct ev value;              /* in the target's terms: a yes/no answer is 100 (yes) or 0 (no);
				       * EV_MISSING when none (or skipped), EV_NA for a zero denominator */
	struct ev prev;               /* the previous period's, in the same terms */
	int met;                      /* -1, 0, 1 */
	int nconflicts;               /* the value, or values it is computed from, in conflict */
	int rank;                     /* units report: 1.. (equal values share a rank); 0 without a value */
};

struct report_ranking {
	int form, field;              /* into cur.forms and its form's fields; -1 when unused */
	struct report_unit_value *rows; /* best first in the target's direction; no value last */
	int nrows;
	double scale;                 /* the value a full bar stands for */
};

struct report_target {
	int form, field;
	struct report_unit_value *units; /* every unit that reports the form, units-file order */
	int nunits;
	int nmet, nnot, nnone;
};

struct report_options {
	enum report_kind kind;
	const char *period;
	const char *field;            /* RK_UNITS: the field code */
};

struct report_arena;

struct report {
	enum report_kind kind;
	const struct formset *fs;
	const struct unit *township;  /* may be NULL */
	struct report_period cur;
	struct report_period prev;    /* same forms and units as cur; prev.has_data false when none */
	bool has_prev_period;         /* a previous period exists (period_previous) */
	/* completeness */
	struct report_unit_row *units; /* the units that report any form of the period */
	int nunits;
	int total, complete, progress, empty, conflicts;
	int ignored;                  /* stored values of units or fields the forms no longer have */
	/* RK_UNITS */
	struct report_ranking ranking;
	/* RK_TARGETS */
	struct report_target *targets;
	int ntargets;
	struct report_arena *arena;
};

/* Builds a report. Returns 0, or -1 with e filled: no form for the period's type, an
 * unknown --field, a field that cannot be ranked, or the store failing. */
int report_build(struct store *st, const struct formset *fs, const struct report_options *opt, struct report *r,
		 struct err *e);
void report_free(struct report *r);

int report_kind_parse(const char *s);

/* The figure of field `field` of cur.forms[form]. */
const struct report_figure *report_figure_of(const struct report *r, int form, int field);
/* cur - prev when both are numbers, else EV_MISSING. */
struct ev report_change(struct ev cur, struct ev prev);
/* A unit's value of a field in an entry: EV_MISSING when skipped. */
struct ev report_entry_value(const struct report_entry *en, int field);
/* What became of a unit's stored value of an input field: none is stored; it is used;
 * it is left out because the form's skip logic no longer asks the question; or it is
 * left out because the current version of the form no longer accepts it (form_evaluate's
 * PK_INVALID: a tightened range, a removed choice). Left out, it counts as not given
 * everywhere: figures, rankings, targets, the Excel sheets and the DHIS2 file. */
enum report_stored { RS_NONE, RS_USED, RS_SKIPPED, RS_INVALID };
enum report_stored report_stored_value(const struct report_entry *en, int field);
/* How many values in conflict a unit's value of a field is made of (0 or 1 for an
 * input; for a computed field, its inputs'). */
int report_entry_conflicts(const struct report *r, const struct report_entry *en, int form, int field);
/* Share complete in percent (0 when nothing is expected). */
double report_percent(int part, int whole);

#endif
