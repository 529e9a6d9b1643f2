/* hash.c - SHA-256 through libcrypto's EVP interface; FNV-1a for tables. */
#include "exportgate.h"
#include "hash.h"

#include <openssl/evp.h>
#include <pthread.h>

/* SHA-256 fetched from OpenSSL's provider once: EVP_sha256() fetches it
 * again on every EVP_DigestInit_ex, most of the cost of hashing a short
 * string such as the API key of each request. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

int eg__sha256_init(eg__sha256 *h)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	h->ctx = NULL;
	if (ctx == NULL)
		return EG_ENOMEM;
	pthread_once(&sha256_once, sha256_fetch);
	if (EVP_DigestInit_ex(ctx, sha256_md ? sha256_md : EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return EG_EIO;
	}
	h->ctx = ctx;
	return 0;
}

int eg__sha256_update(eg__sha256 *h, const void *data, size_t len)
{
	return EVP_DigestUpdate(h->ctx, data, len) == 1 ? 0 : EG_EIO;
}

int eg__sha256_final(eg__sha256 *h, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	int ok = EVP_DigestFinal_ex(h->ctx, md, &n) == 1 && n == 32;

	eg__sha256_dispose(h);
	if (!ok)
		return EG_EIO;
	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}

void eg__sha256_dispose(eg__sha256 *h)
{
	if (h != NULL && h->ctx != NULL) {
		EVP_MD_CTX_free(h->ctx);
		h->ctx = NULL;
	}
}

uint64_t eg__hash_bytes(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = EG__HASH_INIT;
	size_t i;

	for (i = 0; i < len; i++)
		h = eg__hash_step(h, p[i]);
	return h;
}
