/* fuzz_export.c - libFuzzer harness: any bytes as an export file from a USB stick, read
 * through the untrusted-file pipeline (export_file_load: schema compared before any data
 * is read, quick_check, every value checked like typed input, checksums) against the
 * shipped forms. It must refuse with a reason, never crash, leak or hang. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/diag.h"
#include "forms/forms.h"
#include "forms/load.h"
#include "lib/err.h"
#include "tbx/tbx.h"
#include "tbx/read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct formset fs;
static bool loaded;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct export_file *xf = NULL;
	enum export_problem problem;
	struct err e;
	FILE *f;

	if (!loaded) {
		const char *root = getenv("TIANBAO_ROOT");
		char dir[512];
		struct diag_list diags;

		snprintf(dir, sizeof dir, "%s/forms", root ? root : ".");
		diag_init(&diags);
		if (formset_load_dir(dir, &fs, &diags) != 0)
			abort();
		diag_free(&diags);
		snprintf(path, sizeof path, "/dev/shm/tianbao-fuzz-%d.tbx", (int)getpid());
		loaded = true;
	}
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (export_file_load(path, "fuzz.tbx", &fs, &xf, &problem, &e) == 0)
		export_file_free(xf);
	unlink(path);
	return 0;
}
