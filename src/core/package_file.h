/* package_file.h - form packages (.tbp) on USB sticks: written durably, read back and
 * verified; copied off a stick before they are read; found in a folder.
 *
 * The format and its checks are src/tbx/package.h; here is the care a stick needs, the
 * same as for an export file (core/stick.h): a package is built in a private file on the
 * local disk and checked there, copied to OUT/.NAME.tmp, synced, renamed, the folder
 * synced, then read back from the stick and compared. On any failure nothing is left
 * in OUT. A package to open is copied off the stick into a private file first, and only
 * that copy is read. These are the core functions the commands and screens call: they
 * print nothing.
 */
#ifndef TIANBAO_PACKAGE_FILE_H
#define TIANBAO_PACKAGE_FILE_H

#include <stdbool.h>

#include "lib/err.h"
#include "tbx/package.h"

/* Form packages are named tianbao-forms-<township code>-v<version>.tbp (ASCII only). */
#define PACKAGE_EXT ".tbp"

/* The name a package of this township and version gets. */
void package_file_name(const struct package_meta *meta, char *out, size_t size);
/* The township code and version a path's name gives when it is named as above; false
 * for another name (the name of a file on a stick says nothing certain: it only orders). */
bool package_file_name_parse(const char *path, char code[16], long long *version);

/* Writes the forms and units of forms_dir into a new package in out_dir ("." when NULL),
 * named package_file_name. meta gives the version and who writes it. Returns 0 with
 * *path_out (free it); -1 with e (a full or read-only disk named so; an existing package
 * of that version is not replaced). */
int package_export(const char *forms_dir, const struct package_meta *meta, const char *out_dir, char **path_out,
		   struct err *e);

/* Copies the package at path off the stick into a private file and reads it
 * (package_read); messages call it by path made safe to print. 0 with *pkg (free with
 * package_free), or -1 with *pb and e. */
int package_open(const char *path, struct package *pkg, enum package_problem *pb, struct err *e);

/* The form packages in a folder: *.tbp regular files not starting with '.', as DIR/NAME,
 * sorted by name (free with strlist_free). 0, or -1 with e. */
int package_find(const char *dir, char ***files, int *n, struct err *e);

#endif
