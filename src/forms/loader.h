/* loader.h - what the form loader's files share (load.c, load_form.c, load_units.c):
 * the problems found, keys looked up and checked, small values parsed. Nothing outside
 * src/forms includes it. */
#ifndef TIANBAO_LOADER_H
#define TIANBAO_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "forms/forms.h"
#include "forms/ini.h"
#include "lib/diag.h"
#include "lib/mem.h"

/* A key a section may have. */
struct keydef {
	const char *name;
	bool required;
	bool text;      /* free text: an unquoted ';' or '#' would silently cut it */
};

struct keyset {
	const struct keydef *keys;
	size_t n;
};

#define KEYSET(a) ((struct keyset){ a, ARRAY_LEN(a) })

/* One loading of a set of files: where problems go. */
struct loader {
	struct formset *fs;
	struct diag_list *diags;
	int errors;
	const char *file;
};

/* One problem of L->file at a line (0: the whole file). */
void loader_problem(struct loader *L, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* ", did you mean 'label'?" (in buf) when name is one edit or two from one of known. */
void loader_suggest(char *buf, size_t size, const char *name, const char *const *known, size_t n);
const char *loader_key(const struct ini_section *s, const char *name);
int loader_key_line(const struct ini_section *s, const char *name);
char *loader_dup(const char *s);
/* Every key of s known, every required one there, free text quoted where it must be. */
void loader_check_keys(struct loader *L, const struct ini_section *s, struct keyset ks);
bool loader_yes_no(const char *v, bool *out);
bool loader_small_int(const char *v, int lo, int hi, int *out);
bool loader_all_digits(const char *s, size_t n);
bool loader_dhis2_code_valid(const char *c);
/* Whether secname is "KIND.REST" (the rest in *rest). */
bool loader_split_kind(const char *secname, const char *kind, const char **rest);

#endif
