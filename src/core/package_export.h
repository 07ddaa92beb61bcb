/* package_export.h - the township hands out its forms: the package written onto a stick,
 * with the version it gets.
 *
 * Only a township installation writes packages (a village's forms come from its
 * township). A package's version grows by one each time the township's forms or units
 * change: the forms folder remembers the version last written and a digest of the files
 * it held (PACKAGE_WRITTEN, beside the *.ini files, which the loader never reads), so
 * writing the same forms again gives the same version, and a village never sees two
 * packages of one version that differ. It is kept with the forms, not in the database,
 * so that a township's database made anew does not start the versions again; and a
 * stick that carried its packages before knows their versions too (a township laptop
 * set up anew): the same forms are that package, other forms get the next version.
 */
#ifndef TIANBAO_PACKAGE_EXPORT_H
#define TIANBAO_PACKAGE_EXPORT_H

#include <stdbool.h>

#include "core/access.h"
#include "forms/forms.h"
#include "lib/err.h"

#include "core/app.h"

#define PACKAGE_WRITTEN ".package-written"

struct package_export_result {
	char *path;           /* the package on the stick (free it) */
	long long version;
	bool already;         /* that very package was on the stick already */
};

/* Whether a data export here takes the township's package along: at a township with
 * forms of its own (this user's configuration: units set up, forms edited). The sample
 * and a folder given by --forms or $TIANBAO_FORMS stay where they are. */
bool package_goes_with_export(struct app *app, const struct access *acc);

/* Writes the township's forms (fs, loaded from forms_dir, which must be writable:
 * app_writable_forms_dir) as a package into out_dir. 0 with *res; -1 with e (not a
 * township installation, the stick, the disk). */
int package_export_township(const struct formset *fs, const struct access *acc, const char *forms_dir,
			    const char *out_dir, const char *by, struct package_export_result *res, struct err *e);

#endif
