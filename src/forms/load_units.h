/* load_units.h - the units file: the township (9 or 12 digits), its villages (12
 * digits) and its departments (a role: which forms they report). */
#ifndef TIANBAO_LOAD_UNITS_H
#define TIANBAO_LOAD_UNITS_H

#include "forms/loader.h"

/* Adds the units of ini to L->fs, each problem to L. */
void load_units(struct loader *L, const struct ini_file *ini);

#endif
