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

#endif
