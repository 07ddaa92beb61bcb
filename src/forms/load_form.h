/* load_form.h - one form's definition file into a struct form. Expressions are parsed
 * after every form is loaded (field names resolve across the set), then computed fields
 * ordered so their inputs come first. */
#ifndef TIANBAO_LOAD_FORM_H
#define TIANBAO_LOAD_FORM_H

#include "forms/loader.h"

/* The form, sections, fields and checks of ini; -1 when it cannot be a form at all. */
int load_form(struct loader *L, const struct ini_file *ini, struct form *f);
/* Its skip_if, compute and rule expressions, against L->fs. */
void load_form_exprs(struct loader *L, const struct ini_file *ini, struct form *f);
/* f->compute_order, refusing cycles. */
void order_computed(struct loader *L, struct form *f);

#endif
