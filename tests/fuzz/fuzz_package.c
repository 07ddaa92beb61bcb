/* fuzz_package.c - libFuzzer harness: any bytes as a form package from a USB stick, read
 * through the untrusted-package pipeline (package_read: header before SQLite, the bytes
 * on a locked-down connection with a work budget, schema compared exactly, names, sizes,
 * UTF-8, SHA-256s and checksum), then extracted into an empty folder and loaded through
 * the form loader (package_load). It must refuse with a reason, never crash, leak, hang
 * or write outside the folder. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forms/forms.h"
#include "lib/diag.h"
#include "lib/err.h"
#include "lib/file.h"
#include "tbx/package.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct package pkg;
	enum package_problem pb;
	struct err e;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof path, "/dev/shm/tianbao-fuzz-%d.tbp", (int)getpid());
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (package_read(path, "fuzz.tbp", &pkg, &pb, &e) == 0) {
		char *dir = private_dir(&e);

		if (dir) {
			struct formset fs;
			struct diag_list diags;

			diag_init(&diags);
			if (package_load(&pkg, dir, &fs, &diags, &e) == 0)
				formset_free(&fs);
			diag_free(&diags);
			private_dir_remove(dir);
		}
		package_free(&pkg);
	}
	unlink(path);
	return 0;
}
