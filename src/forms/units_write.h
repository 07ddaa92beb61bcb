/* units_write.h - the text of a units file, written back from units.
 *
 * What forms/load_units.c reads: the header comment of the file it replaces (the lines
 * before its first section) kept, then [township.CODE], the villages in code order and
 * the departments in the order given, each with name, name_en, role and dhis2 as they
 * are set. Comments between sections are not kept. A value holding ';' or '#' is
 * quoted, so that it is not cut as a comment; the caller passes only values the loader
 * takes (no '"', no control characters: see units_value_valid).
 */
#ifndef TIANBAO_UNITS_WRITE_H
#define TIANBAO_UNITS_WRITE_H

#include <stdbool.h>

#include "forms/forms.h"

/* The comment lines before the first section of a units file's text (malloc'd, maybe
 * ""). */
char *units_ini_header(const char *text);
/* The whole file: header, then each unit. Free the result. */
char *units_ini_text(const char *header, const struct unit *units, int n);
/* A name as a units file can hold it: 1 to 64 characters of UTF-8, no control
 * characters, no '"' or '\\', not starting or ending with a space. */
bool units_value_valid(const char *s);

#endif
