/* test_audit_merkle.c - RFC 9162 Merkle hashing: the published test vectors,
 * every proof of every tree of 1..64 leaves, and tampered proofs refused. */
#include <criterion/criterion.h>

#include "audit/merkle.h"

#include <openssl/sha.h>
#include <string.h>

#define H EG__MERKLE_HASH_LEN

/* The leaves of the Certificate Transparency reference tree (RFC 6962 test
 * data, as published with certificate-transparency-go and Trillian). */
static const struct { const char *data; size_t len; } ct_leaves[8] = {
	{"", 0},
	{"\x00", 1},
	{"\x10", 1},
	{"\x20\x21", 2},
	{"\x30\x31", 2},
	{"\x40\x41\x42\x43", 4},
	{"\x50\x51\x52\x53\x54\x55\x56\x57", 8},
	{"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f", 16},
};

/* The root of the first n leaves, for n = 0..8. */
static const char *ct_roots[9] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

/* The published proofs: inclusion (leaf index, tree size) and consistency
 * (old size, size), each with its hashes. */
static const struct { uint64_t a, b; size_t n; const char *hex[3]; } ct_inclusion[] = {
	{0, 8, 3, {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	           "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
	{5, 8, 3, {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	           "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	{2, 3, 1, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
	{1, 5, 3, {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	           "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	{0, 1, 0, {NULL}},
}, ct_consistency[] = {
	{1, 8, 3, {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	           "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
	{6, 8, 3, {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	           "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	{2, 5, 2, {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	           "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	{1, 1, 0, {NULL}},
};

static void unhex(uint8_t out[H], const char *s)
{
	cr_assert_eq(eg__merkle_unhex(out, s, strlen(s)), 0, "bad hex %s", s);
}

static void ct_tree(eg__merkle_mem *t, uint8_t leaves[8][H])
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < 8; i++) {
		cr_assert_eq(eg__merkle_leaf_hash(leaves[i], ct_leaves[i].data, ct_leaves[i].len), 0);
		cr_assert_eq(eg__merkle_mem_append(t, leaves[i]), 0);
	}
}

Test(audit_merkle, split_is_the_largest_power_of_two_below)
{
	cr_assert_eq(eg__merkle_split(2), 1);
	cr_assert_eq(eg__merkle_split(3), 2);
	cr_assert_eq(eg__merkle_split(4), 2);
	cr_assert_eq(eg__merkle_split(5), 4);
	cr_assert_eq(eg__merkle_split(8), 4);
	cr_assert_eq(eg__merkle_split(9), 8);
	cr_assert_eq(eg__merkle_split(1000), 512);
	cr_assert_eq(eg__merkle_split(((uint64_t)1 << 63) + 1), (uint64_t)1 << 63);
}

Test(audit_merkle, reference_roots_of_every_size)
{
	uint8_t leaves[8][H], got[H], want[H];
	eg__merkle_mem t;
	eg_error err = {0};
	char hex[65];
	uint64_t n;

	ct_tree(&t, leaves);
	for (n = 0; n <= 8; n++) {
		unhex(want, ct_roots[n]);
		cr_assert_eq(eg__merkle_root_of(got, (const uint8_t (*)[H])leaves, n), 0);
		eg__merkle_hex(hex, got);
		cr_assert_str_eq(hex, ct_roots[n], "reference root of size %llu", (unsigned long long)n);
		cr_assert_eq(eg__merkle_root_at(got, n, eg__merkle_mem_node, &t, &err), 0, "%s", err.message);
		cr_assert_eq(memcmp(got, want, H), 0, "stored-node root of size %llu", (unsigned long long)n);
	}
	eg__merkle_mem_dispose(&t);
}

Test(audit_merkle, reference_proofs_generated_and_verified)
{
	uint8_t leaves[8][H], root[H], old_root[H];
	eg__merkle_mem t;
	eg__merkle_proof p, want;
	eg_error err = {0};
	size_t i, j;

	ct_tree(&t, leaves);
	for (i = 0; i < sizeof(ct_inclusion) / sizeof(ct_inclusion[0]); i++) {
		want.len = ct_inclusion[i].n;
		for (j = 0; j < want.len; j++)
			unhex(want.hash[j], ct_inclusion[i].hex[j]);
		cr_assert_eq(eg__merkle_inclusion_proof(&p, ct_inclusion[i].a, ct_inclusion[i].b,
		                                        eg__merkle_mem_node, &t, &err), 0, "%s", err.message);
		cr_assert_eq(p.len, want.len, "inclusion %zu length", i);
		cr_assert_eq(memcmp(p.hash, want.hash, p.len * H), 0, "inclusion %zu hashes", i);
		unhex(root, ct_roots[ct_inclusion[i].b]);
		cr_assert(eg__merkle_verify_inclusion(leaves[ct_inclusion[i].a], ct_inclusion[i].a,
		                                      ct_inclusion[i].b, &want, root), "inclusion %zu", i);
	}
	for (i = 0; i < sizeof(ct_consistency) / sizeof(ct_consistency[0]); i++) {
		want.len = ct_consistency[i].n;
		for (j = 0; j < want.len; j++)
			unhex(want.hash[j], ct_consistency[i].hex[j]);
		cr_assert_eq(eg__merkle_consistency_proof(&p, ct_consistency[i].a, ct_consistency[i].b,
		                                          eg__merkle_mem_node, &t, &err), 0, "%s", err.message);
		cr_assert_eq(p.len, want.len, "consistency %zu length", i);
		cr_assert_eq(memcmp(p.hash, want.hash, p.len * H), 0, "consistency %zu hashes", i);
		unhex(old_root, ct_roots[ct_consistency[i].a]);
		unhex(root, ct_roots[ct_consistency[i].b]);
		cr_assert(eg__merkle_verify_consistency(ct_consistency[i].a, ct_consistency[i].b, old_root,
		                                        root, &want), "consistency %zu", i);
	}
	eg__merkle_mem_dispose(&t);
}

/* Every way of spoiling a valid inclusion proof must be refused. */
static void inclusion_refusals(const uint8_t leaf[H], uint64_t i, uint64_t n, const eg__merkle_proof *p,
                               const uint8_t root[H])
{
	eg__merkle_proof bad;
	uint8_t other[H];
	size_t j;

	memset(other, 0xab, H);
	if (i > 0)
		cr_assert_not(eg__merkle_verify_inclusion(leaf, i - 1, n, p, root));
	cr_assert_not(eg__merkle_verify_inclusion(leaf, i + 1, n, p, root));
	if ((i ^ 2) < n && n > 2)
		cr_assert_not(eg__merkle_verify_inclusion(leaf, i ^ 2, n, p, root));
	cr_assert_not(eg__merkle_verify_inclusion(leaf, i, n * 2, p, root));
	if (n / 2 > i)
		cr_assert_not(eg__merkle_verify_inclusion(leaf, i, n / 2, p, root));
	cr_assert_not(eg__merkle_verify_inclusion(other, i, n, p, root));
	cr_assert_not(eg__merkle_verify_inclusion(leaf, i, n, p, other));
	for (j = 0; j < p->len; j++) {
		bad = *p;
		bad.hash[j][0] ^= 8;
		cr_assert_not(eg__merkle_verify_inclusion(leaf, i, n, &bad, root), "bit flip %zu", j);
	}
	bad = *p;
	memcpy(bad.hash[bad.len++], root, H);
	cr_assert_not(eg__merkle_verify_inclusion(leaf, i, n, &bad, root), "trailing root");
	if (p->len > 0) {
		bad = *p;
		bad.len--;
		cr_assert_not(eg__merkle_verify_inclusion(leaf, i, n, &bad, root), "removed hash");
		bad = *p;
		memmove(bad.hash[1], bad.hash[0], p->len * H);
		memcpy(bad.hash[0], other, H);
		bad.len++;
		cr_assert_not(eg__merkle_verify_inclusion(leaf, i, n, &bad, root), "preceding garbage");
	}
}

static void consistency_refusals(uint64_t m, uint64_t n, const uint8_t r1[H], const uint8_t r2[H],
                                 const eg__merkle_proof *p)
{
	eg__merkle_proof bad;
	uint8_t other[H];
	size_t j;

	memset(other, 0xcd, H);
	if (m > 1)
		cr_assert_not(eg__merkle_verify_consistency(m - 1, n, r1, r2, p));
	if (m + 1 < n)
		cr_assert_not(eg__merkle_verify_consistency(m + 1, n, r1, r2, p));
	cr_assert_not(eg__merkle_verify_consistency(m, n * 2, r1, r2, p));
	cr_assert_not(eg__merkle_verify_consistency(m, n, other, r2, p));
	cr_assert_not(eg__merkle_verify_consistency(m, n, r1, other, p));
	cr_assert_not(eg__merkle_verify_consistency(m, n, r2, r1, p));
	bad.len = 0;
	cr_assert_not(eg__merkle_verify_consistency(m, n, r1, r2, &bad), "empty proof");
	for (j = 0; j < p->len; j++) {
		bad = *p;
		bad.hash[j][0] ^= 16;
		cr_assert_not(eg__merkle_verify_consistency(m, n, r1, r2, &bad), "bit flip %zu", j);
	}
	bad = *p;
	memcpy(bad.hash[bad.len++], r2, H);
	cr_assert_not(eg__merkle_verify_consistency(m, n, r1, r2, &bad), "trailing root");
	bad = *p;
	bad.len--;
	cr_assert_not(eg__merkle_verify_consistency(m, n, r1, r2, &bad), "truncated");
	bad = *p;
	memmove(bad.hash[1], bad.hash[0], p->len * H);
	memcpy(bad.hash[0], r1, H);
	bad.len++;
	cr_assert_not(eg__merkle_verify_consistency(m, n, r1, r2, &bad), "preceding root");
}

Test(audit_merkle, every_proof_of_every_size_to_64)
{
	enum { N = 64 };
	static uint8_t leaves[N][H], roots[N + 1][H];
	eg__merkle_mem t;
	eg__merkle_proof p;
	eg_error err = {0};
	uint64_t n, i, m;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < N; i++) {
		uint8_t data[2] = {(uint8_t)i, (uint8_t)(i * 7)};
		cr_assert_eq(eg__merkle_leaf_hash(leaves[i], data, sizeof(data)), 0);
		cr_assert_eq(eg__merkle_mem_append(&t, leaves[i]), 0);
	}
	for (n = 0; n <= N; n++) {
		uint8_t got[H];
		cr_assert_eq(eg__merkle_root_of(roots[n], (const uint8_t (*)[H])leaves, n), 0);
		cr_assert_eq(eg__merkle_root_at(got, n, eg__merkle_mem_node, &t, &err), 0);
		cr_assert_eq(memcmp(got, roots[n], H), 0, "root of %llu", (unsigned long long)n);
	}
	for (n = 1; n <= N; n++) {
		for (i = 0; i < n; i++) {
			cr_assert_eq(eg__merkle_inclusion_proof(&p, i, n, eg__merkle_mem_node, &t, &err), 0);
			cr_assert(eg__merkle_verify_inclusion(leaves[i], i, n, &p, roots[n]),
			          "inclusion of %llu in %llu", (unsigned long long)i, (unsigned long long)n);
			inclusion_refusals(leaves[i], i, n, &p, roots[n]);
		}
		for (m = 1; m <= n; m++) {
			cr_assert_eq(eg__merkle_consistency_proof(&p, m, n, eg__merkle_mem_node, &t, &err), 0);
			cr_assert(eg__merkle_verify_consistency(m, n, roots[m], roots[n], &p),
			          "consistency %llu -> %llu", (unsigned long long)m, (unsigned long long)n);
			if (m < n)
				consistency_refusals(m, n, roots[m], roots[n], &p);
		}
	}
	eg__merkle_mem_dispose(&t);
}

Test(audit_merkle, bad_arguments_refused)
{
	eg__merkle_mem t;
	eg__merkle_proof p;
	eg_error err = {0};
	uint8_t leaf[H], root[H];

	memset(&t, 0, sizeof(t));
	cr_assert_eq(eg__merkle_leaf_hash(leaf, "x", 1), 0);
	cr_assert_eq(eg__merkle_mem_append(&t, leaf), 0);
	cr_assert_eq(eg__merkle_inclusion_proof(&p, 1, 1, eg__merkle_mem_node, &t, &err), EG_EINVAL);
	cr_assert_eq(eg__merkle_consistency_proof(&p, 2, 1, eg__merkle_mem_node, &t, &err), EG_EINVAL);
	/* A node beyond the tree is not found, not read out of bounds. */
	cr_assert_eq(eg__merkle_inclusion_proof(&p, 0, 2, eg__merkle_mem_node, &t, &err), EG_ENOTFOUND);
	/* A one-leaf tree: the root is the leaf, the proof empty. */
	p.len = 0;
	memcpy(root, leaf, H);
	cr_assert(eg__merkle_verify_inclusion(leaf, 0, 1, &p, root));
	cr_assert_not(eg__merkle_verify_inclusion(leaf, 0, 0, &p, root));
	cr_assert_not(eg__merkle_verify_inclusion(leaf, 1, 1, &p, root));
	cr_assert_not(eg__merkle_verify_consistency(2, 1, root, root, &p));
	cr_assert_eq(eg__merkle_unhex(root, "zz", 2), EG_EPARSE);
	eg__merkle_mem_dispose(&t);
}

/* Leaves on both sides of the stack fast path hash as SHA-256(0x00 || data). */
Test(audit_merkle, long_and_short_leaves)
{
	static unsigned char data[5001];
	uint8_t a[H], b[H];
	size_t lens[] = {0, 1, 1023, 1024, 5000};
	size_t i;

	memset(data, 'q', sizeof(data));
	data[0] = 0x00;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		cr_assert_eq(eg__merkle_leaf_hash(a, data + 1, lens[i]), 0);
		cr_assert_not_null(SHA256(data, lens[i] + 1, b));
		cr_assert_eq(memcmp(a, b, H), 0, "leaf of %zu bytes", lens[i]);
	}
}
