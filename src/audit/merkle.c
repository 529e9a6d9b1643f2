/* merkle.c - RFC 9162 section 2.1 Merkle tree hashing, proofs and their verification.
 *
 * The one invariant everything here leans on: every subtree the RFC's
 * recursion visits is either complete (2^k leaves starting at a multiple of
 * 2^k, stored as a node) or lies on the right edge of a tree, [a, size) with
 * a aligned to a power of two at least size - a. Such an edge subtree is the
 * fold, from the right, of the complete subtrees given by the binary digits
 * of size - a, so any subtree hash costs O(log n) node reads, never a scan. */
#include "merkle.h"

#include "util/alloc.h"
#include "util/error.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <string.h>

#define HLEN EG__MERKLE_HASH_LEN

int eg__merkle_leaf_hash(uint8_t out[HLEN], const void *data, size_t len)
{
	static const unsigned char prefix = 0x00;
	EVP_MD_CTX *ctx;
	unsigned int n = 0;
	int ok;

	/* Short leaves are hashed in one call on a stack copy: the log hashes
	 * a million of them when it verifies, and a context costs more than
	 * the hash of a few hundred bytes. */
	if (len < 1024) {
		unsigned char buf[1025];
		buf[0] = prefix;
		if (len > 0)
			memcpy(buf + 1, data, len);
		return SHA256(buf, len + 1, out) != NULL ? 0 : EG_EIO;
	}
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return EG_ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	     EVP_DigestUpdate(ctx, &prefix, 1) == 1 &&
	     EVP_DigestUpdate(ctx, data, len) == 1 &&
	     EVP_DigestFinal_ex(ctx, out, &n) == 1 && n == HLEN;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : EG_EIO;
}

int eg__merkle_node_hash(uint8_t out[HLEN], const uint8_t left[HLEN], const uint8_t right[HLEN])
{
	unsigned char buf[1 + 2 * HLEN];

	buf[0] = 0x01;
	memcpy(buf + 1, left, HLEN);
	memcpy(buf + 1 + HLEN, right, HLEN);
	return SHA256(buf, sizeof(buf), out) != NULL ? 0 : EG_EIO;
}

void eg__merkle_empty_root(uint8_t out[HLEN])
{
	static const uint8_t empty[HLEN] = {
		0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
		0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
	};
	memcpy(out, empty, HLEN);
}

/* Index of the highest set bit of n > 0. */
static unsigned high_bit(uint64_t n)
{
	return 63u - (unsigned)__builtin_clzll(n);
}

uint64_t eg__merkle_split(uint64_t n)
{
	/* The largest power of two strictly below n: the high bit of n - 1. */
	return (uint64_t)1 << high_bit(n - 1);
}

static int root_of_range(uint8_t out[HLEN], const uint8_t (*leaves)[HLEN], uint64_t n)
{
	uint8_t l[HLEN], r[HLEN];
	uint64_t k;
	int rc;

	if (n == 1) {
		memcpy(out, leaves[0], HLEN);
		return 0;
	}
	k = eg__merkle_split(n);
	if ((rc = root_of_range(l, leaves, k)) != 0 || (rc = root_of_range(r, leaves + k, n - k)) != 0)
		return rc;
	return eg__merkle_node_hash(out, l, r);
}

int eg__merkle_root_of(uint8_t out[HLEN], const uint8_t (*leaves)[HLEN], uint64_t n)
{
	if (n == 0) {
		eg__merkle_empty_root(out);
		return 0;
	}
	return root_of_range(out, leaves, n);
}

/* The hash of leaves [a, b), a subtree of the kind the file comment names:
 * the complete blocks of b - a from the left, folded from the right. */
static int subtree_hash(uint8_t out[HLEN], uint64_t a, uint64_t b, eg__merkle_node_fn fn,
                        void *ctx, eg_error *err)
{
	uint8_t blocks[64][HLEN];
	unsigned nb = 0;
	int rc;

	while (a < b) {
		unsigned level = high_bit(b - a);
		if ((rc = fn(ctx, level, a >> level, blocks[nb], err)) != 0)
			return rc;
		nb++;
		a += (uint64_t)1 << level;
	}
	if (nb == 0)
		return eg__error_set(err, EG_EINVAL, "merkle: empty subtree");
	memcpy(out, blocks[nb - 1], HLEN);
	while (nb-- > 1)
		if ((rc = eg__merkle_node_hash(out, blocks[nb - 1], out)) != 0)
			return eg__error_set(err, rc, "merkle: SHA-256 failed");
	return 0;
}

int eg__merkle_root_at(uint8_t out[HLEN], uint64_t size, eg__merkle_node_fn fn, void *ctx,
                       eg_error *err)
{
	if (size == 0) {
		eg__merkle_empty_root(out);
		return 0;
	}
	return subtree_hash(out, 0, size, fn, ctx, err);
}

/* Reverses proof hashes in place: the proofs are found from the root down
 * and given from the leaf up. */
static void reverse(eg__merkle_proof *p, size_t from)
{
	size_t i = from, j = p->len;
	uint8_t t[HLEN];

	while (j > i + 1) {
		j--;
		memcpy(t, p->hash[i], HLEN);
		memcpy(p->hash[i], p->hash[j], HLEN);
		memcpy(p->hash[j], t, HLEN);
		i++;
	}
}

int eg__merkle_inclusion_proof(eg__merkle_proof *out, uint64_t index, uint64_t size,
                               eg__merkle_node_fn fn, void *ctx, eg_error *err)
{
	uint64_t s = 0, e = size;
	int rc;

	out->len = 0;
	if (index >= size)
		return eg__error_set(err, EG_EINVAL, "merkle: leaf %llu is not in a tree of %llu leaves",
		                     (unsigned long long)index, (unsigned long long)size);
	while (e - s > 1) {
		uint64_t k = eg__merkle_split(e - s);
		if (index < s + k) {
			rc = subtree_hash(out->hash[out->len], s + k, e, fn, ctx, err);
			e = s + k;
		} else {
			rc = subtree_hash(out->hash[out->len], s, s + k, fn, ctx, err);
			s += k;
		}
		if (rc != 0)
			return rc;
		out->len++;
	}
	reverse(out, 0);
	return 0;
}

int eg__merkle_consistency_proof(eg__merkle_proof *out, uint64_t old_size, uint64_t size,
                                 eg__merkle_node_fn fn, void *ctx, eg_error *err)
{
	uint64_t s = 0, e = size, m = old_size;
	int whole = 1; /* the RFC's b: still the old tree's own root */
	int rc;

	out->len = 0;
	if (old_size > size)
		return eg__error_set(err, EG_EINVAL, "merkle: old size %llu is larger than size %llu",
		                     (unsigned long long)old_size, (unsigned long long)size);
	if (old_size == 0 || old_size == size)
		return 0;
	/* SUBPROOF(m, D[s:e], whole), unrolled; m counts leaves from s. */
	for (;;) {
		uint64_t k;
		if (m == e - s) {
			if (!whole) {
				if ((rc = subtree_hash(out->hash[out->len], s, e, fn, ctx, err)) != 0)
					return rc;
				out->len++;
			}
			break;
		}
		k = eg__merkle_split(e - s);
		if (m <= k) {
			rc = subtree_hash(out->hash[out->len], s + k, e, fn, ctx, err);
			e = s + k;
		} else {
			rc = subtree_hash(out->hash[out->len], s, s + k, fn, ctx, err);
			s += k;
			m -= k;
			whole = 0;
		}
		if (rc != 0)
			return rc;
		out->len++;
	}
	reverse(out, 0);
	return 0;
}

int eg__merkle_verify_inclusion(const uint8_t leaf_hash[HLEN], uint64_t index, uint64_t size,
                                const eg__merkle_proof *proof, const uint8_t root[HLEN])
{
	uint64_t fn, sn;
	uint8_t r[HLEN];
	size_t i;

	if (index >= size || proof->len > EG__MERKLE_PROOF_MAX)
		return 0;
	fn = index;
	sn = size - 1;
	memcpy(r, leaf_hash, HLEN);
	for (i = 0; i < proof->len; i++) {
		const uint8_t *p = proof->hash[i];
		if (sn == 0)
			return 0;
		if ((fn & 1) || fn == sn) {
			if (eg__merkle_node_hash(r, p, r) != 0)
				return 0;
			if (!(fn & 1))
				while (!(fn & 1) && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
		} else if (eg__merkle_node_hash(r, r, p) != 0) {
			return 0;
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(r, root, HLEN) == 0;
}

int eg__merkle_verify_consistency(uint64_t old_size, uint64_t size, const uint8_t old_root[HLEN],
                                  const uint8_t root[HLEN], const eg__merkle_proof *proof)
{
	uint8_t path[EG__MERKLE_PROOF_MAX][HLEN];
	uint8_t fr[HLEN], sr[HLEN];
	size_t n = 0, i;
	uint64_t fn, sn;

	if (old_size > size || proof->len > EG__MERKLE_PROOF_MAX - 1)
		return 0;
	if (old_size == size)
		return proof->len == 0 && memcmp(old_root, root, HLEN) == 0;
	if (old_size == 0)
		return proof->len == 0;
	/* 1. An empty path fails. */
	if (proof->len == 0)
		return 0;
	/* 2. A first tree of 2^k leaves is a node of the second: its root
	 * starts the path. */
	if ((old_size & (old_size - 1)) == 0)
		memcpy(path[n++], old_root, HLEN);
	for (i = 0; i < proof->len; i++)
		memcpy(path[n++], proof->hash[i], HLEN);
	/* 3, 4. */
	fn = old_size - 1;
	sn = size - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	/* 5. */
	memcpy(fr, path[0], HLEN);
	memcpy(sr, path[0], HLEN);
	/* 6. */
	for (i = 1; i < n; i++) {
		const uint8_t *c = path[i];
		if (sn == 0)
			return 0;
		if ((fn & 1) || fn == sn) {
			if (eg__merkle_node_hash(fr, c, fr) != 0 || eg__merkle_node_hash(sr, c, sr) != 0)
				return 0;
			if (!(fn & 1))
				while (!(fn & 1) && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
		} else if (eg__merkle_node_hash(sr, sr, c) != 0) {
			return 0;
		}
		fn >>= 1;
		sn >>= 1;
	}
	/* 7. */
	return memcmp(fr, old_root, HLEN) == 0 && memcmp(sr, root, HLEN) == 0 && sn == 0;
}

int eg__merkle_mem_append(eg__merkle_mem *t, const uint8_t leaf_hash[HLEN])
{
	uint64_t n = t->size;
	uint8_t carry[HLEN];
	unsigned k;

	/* Make room first, so a failed allocation leaves the tree as it was:
	 * appending leaf n completes one node on each level k where the low
	 * k bits of n are all ones. */
	for (k = 0; k < 64; k++) {
		uint64_t idx = (n + 1) >> k;
		if (k > 0 && (((n + 1) & (((uint64_t)1 << k) - 1)) != 0))
			break;
		if (idx > t->cap[k]) {
			uint64_t cap = t->cap[k] ? t->cap[k] * 2 : 1024;
			size_t bytes;
			void *p;
			if (eg__mul_overflow(&bytes, (size_t)cap, HLEN) != 0)
				return EG_ENOMEM;
			p = eg__realloc(t->level[k], bytes);
			if (p == NULL)
				return EG_ENOMEM;
			t->level[k] = p;
			t->cap[k] = cap;
		}
	}
	memcpy(t->level[0][n], leaf_hash, HLEN);
	memcpy(carry, leaf_hash, HLEN);
	for (k = 0; (n >> k) & 1; k++) {
		if (eg__merkle_node_hash(carry, t->level[k][(n >> k) - 1], carry) != 0)
			return EG_EIO;
		memcpy(t->level[k + 1][((n + 1) >> (k + 1)) - 1], carry, HLEN);
	}
	t->size = n + 1;
	return 0;
}

int eg__merkle_mem_node(void *ctx, unsigned level, uint64_t index, uint8_t out[HLEN], eg_error *err)
{
	const eg__merkle_mem *t = ctx;

	if (level >= 64 || ((index + 1) << level) > t->size || ((index + 1) << level) >> level != index + 1)
		return eg__error_set(err, EG_ENOTFOUND, "merkle: no node at level %u index %llu in a tree of %llu",
		                     level, (unsigned long long)index, (unsigned long long)t->size);
	memcpy(out, t->level[level][index], HLEN);
	return 0;
}

void eg__merkle_mem_dispose(eg__merkle_mem *t)
{
	unsigned k;

	if (t == NULL)
		return;
	for (k = 0; k < 64; k++) {
		eg__free(t->level[k]);
		t->level[k] = NULL;
		t->cap[k] = 0;
	}
	t->size = 0;
}

void eg__merkle_hex(char out[2 * HLEN + 1], const uint8_t h[HLEN])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < HLEN; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * HLEN] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int eg__merkle_unhex(uint8_t out[HLEN], const char *s, size_t len)
{
	size_t i;

	if (len != 2 * HLEN)
		return EG_EPARSE;
	for (i = 0; i < HLEN; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return EG_EPARSE;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
