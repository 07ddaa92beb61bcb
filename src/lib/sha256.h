/* sha256.h - SHA-256 (FIPS 180-4), for form hashes and export checksums. */
#ifndef TIANBAO_SHA256_H
#define TIANBAO_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t used;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* Lower-case hex of a digest: 64 characters and a NUL. */
void sha256_hex(const unsigned char digest[32], char out[65]);

#endif
