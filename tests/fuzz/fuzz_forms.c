/* fuzz_forms.c - libFuzzer harness: any bytes as a form definition file, loaded beside the
 * shipped units file. The loader must report problems, never crash, leak or hang. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/diag.h"
#include "forms/forms.h"
#include "forms/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64], units[512];
	struct formset fs;
	struct diag_list diags;
	const char *files[2];
	FILE *f;

	if (!path[0]) {
		const char *root = getenv("TIANBAO_ROOT");

		snprintf(path, sizeof path, "/dev/shm/tianbao-fuzz-%d.ini", (int)getpid());
		snprintf(units, sizeof units, "%s/forms/units.ini", root ? root : ".");
	}
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	files[0] = path;
	files[1] = units;
	diag_init(&diags);
	formset_load_files(files, 2, &fs, &diags);
	formset_free(&fs);
	diag_free(&diags);
	return 0;
}
