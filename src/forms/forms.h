/* forms.h - form definitions and the township's units, loaded from the .ini files in forms/.
 *
 * Everything a form says (fields, types, ranges, computed values, checks, skip logic,
 * targets) lives in this model; expressions are parsed once at load (forms/load.h).
 * Nothing in src/forms knows about storage or screens. The file format: docs/forms.md.
 */
#ifndef TIANBAO_FORMS_H
#define TIANBAO_FORMS_H

#include <stdbool.h>

#include "lib/diag.h"
#include "forms/expr.h"
#include "lib/err.h"

#define CODE_MAX 32         /* form ids, field codes, check names */
#define UNIT_CODE_MAX 32
#define TEXT_MAX_CHARS 2000 /* the longest text value any form may allow */
#define COMMENT_MAX_CHARS 100 /* a comment on a value: a short note, one line */

enum field_type { FT_INTEGER, FT_DECIMAL, FT_YESNO, FT_CHOICE, FT_TEXT, FT_DATE };
enum period_type { PT_YEAR, PT_QUARTER, PT_MONTH };
enum target_op { TG_NONE, TG_GE, TG_GT, TG_LE, TG_LT, TG_BETWEEN };
enum unit_kind { UK_TOWNSHIP, UK_VILLAGE, UK_DEPARTMENT };
/* What an empty field is offered when the cursor comes to it (prefill = ...). */
enum prefill { PF_NONE, PF_OPERATOR, PF_TODAY };

struct range {
	bool has_min, has_max;
	double min, max;
};

struct choice {
	int code;
	char *label;
	char *label_en;
};

struct target {
	enum target_op op;
	double a, b;          /* b only for TG_BETWEEN */
	char *text;           /* as written, e.g. ">= 30" */
	char *source;         /* where the goal comes from; says so when unverified */
	char *source_en;
};

struct field {
	char *code;
	char *label, *label_en;
	enum field_type type;
	char *unit;           /* 人, 件, %, ‰, 1/10万 ... or "" */
	bool required;
	struct range hard, soft;
	int decimals;         /* decimal places typed (decimal) or shown (computed) */
	int max_length;       /* characters, for text */
	enum prefill prefill; /* empty: the operator's name (text) or today (date), editable */
	struct choice *choices;
	int nchoices;
	char *help, *help_en;
	struct expr *skip_if;
	char *skip_if_text;
	struct expr *compute;
	char *compute_text;
	struct target target;
	char *dhis2;          /* optional DHIS2 data element code */
	int section;          /* index into form->sections */
	int line;
};

struct section {
	char *name;
	char *label, *label_en;
	char *help, *help_en;
	struct expr *skip_if;
	char *skip_if_text;
	int first_field, nfields;
	int line;
};

struct check {
	char *name;
	struct expr *rule;    /* must hold; false is a problem */
	char *rule_text;
	char *message, *message_en;
	bool is_error;        /* error blocks completing; a warning is listed */
	int *fields;          /* the fields the rule names, to show it on */
	int nfields;
	int line;
};

struct form {
	char *id;
	char *title, *title_en;
	char *reported_by;    /* "village", "township" or a department role */
	enum period_type period;
	int version;
	char *help, *help_en;
	char *file;
	char hash[65];        /* SHA-256 of the definition file, hex */
	struct field *fields;
	int nfields;
	struct section *sections;
	int nsections;
	struct check *checks;
	int nchecks;
	int *compute_order;   /* computed fields, inputs before the fields that use them */
	int ncompute;
};

struct unit {
	char *code;
	char *name, *name_en;
	enum unit_kind kind;
	char *role;           /* departments: which forms they report ("hc", "edu", ...) */
	char *dhis2;          /* optional DHIS2 org unit code */
	int line;
};

struct formset {
	char *dir;
	struct form *forms;
	int nforms;
	struct unit *units;
	int nunits;
	char *units_file;
	char units_hash[65];
};

void formset_free(struct formset *fs);

const struct form *formset_find_form(const struct formset *fs, const char *id);
const struct unit *formset_find_unit(const struct formset *fs, const char *code);
/* The unit of a code, or NULL with e "unknown unit 'X': it is not in units.ini". */
const struct unit *formset_need_unit(const struct formset *fs, const char *code, struct err *e);
/* The units file, as messages name it. */
const char *formset_units_name(const struct formset *fs);
/* The unit of an exact name (its Chinese name, as units.ini writes it, or its English
 * one), or NULL. Names are unique in a loaded set (forms/load_units.c checks it). */
const struct unit *formset_find_unit_by_name(const struct formset *fs, const char *name);
/* The unit of that code, else of that exact name: what a person types for a unit. */
const struct unit *formset_find_unit_by_code_or_name(const struct formset *fs, const char *text);
const struct unit *formset_township(const struct formset *fs);
/* The order people look for their unit in (villages, then departments, the township
 * last): the indices of fs->units into order (fs->nunits of them). */
void formset_unit_order(const struct formset *fs, int *order);
/* The form a field code belongs to (field codes are unique across forms), or NULL. */
const struct form *formset_form_of_field(const struct formset *fs, const char *code, int *index);
int form_field_index(const struct form *f, const char *code);
/* An expression of form f as people read it: each field code replaced by the field's
 * label in 「」, the rest as written ("v_vc_female / v_vc_total * 100" becomes
 * "「女性成员数」 / 「村委会成员数」 * 100"). */
char *form_readable_expr(const struct form *f, const char *src);
/* Whether unit u reports form f (villages report village forms, departments the forms
 * of their role, the township its own). */
bool form_applies_to(const struct form *f, const struct unit *u);

const char *field_type_name(enum field_type t);
const char *period_type_name(enum period_type t);
const char *unit_kind_name(enum unit_kind k);
bool field_is_numeric(const struct field *fd);
/* A unit code as the units file may write it: a-z, 0-9, '_' and '-', 1 to UNIT_CODE_MAX. */
bool unit_code_valid(const char *code);

#endif
