/* check.h - an export file's values against this installation's own units and forms.
 *
 * What an import must refuse although the file itself is sound: a unit the township does
 * not have, a form or field it does not know (with the form's version when they differ),
 * a computed field, a form the unit does not report, a period of the wrong kind, and
 * each value exactly as typed input would be refused (field_parse), or not written the
 * way tianbao stores it.
 */
#ifndef TIANBAO_CHECK_H
#define TIANBAO_CHECK_H

#include "forms/forms.h"
#include "tbx/problem.h"
#include "tbx/tbx.h"
#include "lib/str.h"

/* Notes the first such problem in fp (the file is called `name`). */
void export_check_against_forms(const struct export_file *xf, const struct formset *fs, const char *name,
				struct first_problem *fp);

/* The forms of a file filled in an older version than this computer's (whose values
 * then passed the checks of the current version): one line each, appended to out, so
 * that a merge says so rather than merging silently. */
void export_form_version_notes(const struct export_info *in, const struct formset *fs, struct strbuf *out);

#endif
