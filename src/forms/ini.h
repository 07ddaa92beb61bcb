/* ini.h - reads an INI file into ordered sections and keys with line numbers.
 *
 * The only code that uses iniparser. iniparser 4.1 gives values but no line numbers,
 * merges duplicate sections and keys silently, lower-cases names, stops at 1024-byte
 * lines and crashes on some lookups (CVE-2023-33461). So the file is first scanned
 * here line by line, and every problem found at that level is reported with its line;
 * only a file that passes is handed to iniparser for its values.
 */
#ifndef TIANBAO_INI_H
#define TIANBAO_INI_H

#include "lib/diag.h"

struct ini_key {
	char *name;   /* as iniparser keeps it: lower case */
	char *value;  /* quotes removed, comments cut: iniparser's reading */
	char *raw;    /* the text after '=' as written, for messages */
	int line;
};

struct ini_section {
	char *name;   /* lower case */
	int line;
	struct ini_key *keys;
	int nkeys;
};

struct ini_file {
	char *path;
	struct ini_section *sections;
	int nsections;
	unsigned char sha256[32]; /* of the file's bytes */
};

/* Loads path. Returns 0 when the file could be read (problems of meaning are for the
 * caller); -1 when it has problems at the level of bytes or syntax, all of which are
 * added to diags. */
int ini_load(const char *path, struct ini_file *out, struct diag_list *diags);
void ini_free(struct ini_file *f);
const struct ini_key *ini_find_key(const struct ini_section *s, const char *name);

#endif
