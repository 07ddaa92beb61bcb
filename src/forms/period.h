/* period.h - reporting periods, written as DHIS2 writes them: a year (2026), a quarter
 * (2026Q1) or a month (202603), years 1990 to 2100. The one place that says what a
 * period is, and what to write when it is not one. */
#ifndef TIANBAO_PERIOD_H
#define TIANBAO_PERIOD_H

#include <stdbool.h>

#include "forms/forms.h"
#include "lib/err.h"

/* The period type a code is written in; -1 when it is none. */
int period_type_of(const char *period);
/* Checks a period code against a period type. */
bool period_valid(const char *period, enum period_type t);
/* The period before p of the same type ("2025", "2025Q4", "202512"); false if none. */
bool period_previous(const char *p, char out[16]);
/* p's type; -1 with e when p is no period, saying what to write. */
int period_check(const char *p, struct err *e);
/* 0 when p is a period of form f's type; -1 with e: not a period, or of another type
 * (saying how f's periods are written). */
int period_check_form(const char *p, const struct form *f, struct err *e);

#endif
