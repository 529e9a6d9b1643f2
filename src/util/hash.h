/* hash.h - SHA-256 (OpenSSL libcrypto) and a fast string hash for tables. */
#ifndef EG_HASH_H
#define EG_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct eg__sha256 {
	void *ctx; /* private: EVP_MD_CTX */
} eg__sha256;

/* Starts a digest. Returns 0 or EG_ENOMEM. */
int eg__sha256_init(eg__sha256 *h);
/* Adds bytes. Returns 0 or EG_EIO. */
int eg__sha256_update(eg__sha256 *h, const void *data, size_t len);
/* Writes the 64 hex digits and a NUL into hex, and frees the context.
 * Returns 0 or EG_EIO. */
int eg__sha256_final(eg__sha256 *h, char hex[65]);
/* Frees a context that will not be finished. NULL-safe. */
void eg__sha256_dispose(eg__sha256 *h);

/* FNV-1a over len bytes: for hash tables, not for security. */
uint64_t eg__hash_bytes(const void *data, size_t len);
/* FNV-1a a byte at a time: eg__hash_bytes(p, n + 1) is
 * eg__hash_step(eg__hash_bytes(p, n), p[n]), and eg__hash_bytes(p, 0) is
 * EG__HASH_INIT; for the hashes of every prefix of a text in one pass. */
#define EG__HASH_INIT 1469598103934665603ULL
static inline uint64_t eg__hash_step(uint64_t h, unsigned char c)
{
	return (h ^ c) * 1099511628211ULL;
}

#endif
