/* load.h - the form definitions loaded from their INI files.
 *
 * Every problem is found and reported as file:line: message (lib/diag.h), with a guess
 * at what a typo meant; a set with any problem is not used. iniparser is read only
 * through forms/ini.h.
 */
#ifndef TIANBAO_LOAD_H
#define TIANBAO_LOAD_H

#include "forms/forms.h"
#include "lib/diag.h"

/* Loads every *.ini in dir (forms and exactly one units file). Every problem found is
 * added to diags; returns 0 only when there is none. */
int formset_load_dir(const char *dir, struct formset *fs, struct diag_list *diags);
/* Loads the named files (forms, and at most one units file; when none is named, a
 * units.ini beside the first file is used if present). */
int formset_load_files(const char *const *paths, int n, struct formset *fs, struct diag_list *diags);

#endif
