/* merkle.h - RFC 9162 section 2.1 Merkle tree hashing, proofs and their verification. */
#ifndef EG_AUDIT_MERKLE_H
#define EG_AUDIT_MERKLE_H

#include "exportgate.h"

#include <stddef.h>
#include <stdint.h>

#define EG__MERKLE_HASH_LEN 32
/* The longest proof of a tree of at most 2^63 leaves: an inclusion path has
 * at most 63 hashes, a consistency proof at most 64 (RFC 9162 2.1.4.1),
 * plus one for the first hash the verifier prepends. */
#define EG__MERKLE_PROOF_MAX 66

/* A proof: hashes in the order RFC 9162 gives them (from the leaf up). */
typedef struct eg__merkle_proof {
	size_t len;                                            /* hashes in use */
	uint8_t hash[EG__MERKLE_PROOF_MAX][EG__MERKLE_HASH_LEN];
} eg__merkle_proof;

/*
 * Where proofs read the tree from. A node is a *complete* subtree: the node
 * at (level, index) is the Merkle Tree Hash of the 2^level leaves
 * [index * 2^level, (index + 1) * 2^level); level 0 is the leaf hashes.
 * Only complete subtrees are ever asked for: the incomplete subtrees on the
 * right edge of a tree are folded from them. Returns 0, or a negative EG_E*
 * code with err filled (EG_ENOTFOUND when the node is not stored).
 */
typedef int (*eg__merkle_node_fn)(void *ctx, unsigned level, uint64_t index,
                                  uint8_t out[EG__MERKLE_HASH_LEN], eg_error *err);

/* SHA-256(0x00 || data): the hash of one leaf. Returns 0 or EG_EIO. */
int eg__merkle_leaf_hash(uint8_t out[EG__MERKLE_HASH_LEN], const void *data, size_t len);
/* SHA-256(0x01 || left || right): the hash of an interior node. Returns 0 or EG_EIO. */
int eg__merkle_node_hash(uint8_t out[EG__MERKLE_HASH_LEN], const uint8_t left[EG__MERKLE_HASH_LEN],
                         const uint8_t right[EG__MERKLE_HASH_LEN]);
/* SHA-256 of nothing: the Merkle Tree Hash of the empty tree. */
void eg__merkle_empty_root(uint8_t out[EG__MERKLE_HASH_LEN]);
/* The largest power of two strictly below n (n >= 2): RFC 9162's split k. */
uint64_t eg__merkle_split(uint64_t n);

/* The Merkle Tree Hash of n leaf hashes by the RFC's recursion, O(n) time:
 * the reference the faster paths are tested against. Returns 0 or EG_EIO. */
int eg__merkle_root_of(uint8_t out[EG__MERKLE_HASH_LEN], const uint8_t (*leaves)[EG__MERKLE_HASH_LEN],
                       uint64_t n);

/* The Merkle Tree Hash of the first `size` leaves, read through fn in
 * O(log size) node reads. Returns 0 or fn's error. */
int eg__merkle_root_at(uint8_t out[EG__MERKLE_HASH_LEN], uint64_t size, eg__merkle_node_fn fn,
                       void *ctx, eg_error *err);

/* The inclusion proof PATH(index, D[size]) of RFC 9162 2.1.3.1 into *out, in
 * O(log size) node reads. EG_EINVAL when index >= size. */
int eg__merkle_inclusion_proof(eg__merkle_proof *out, uint64_t index, uint64_t size,
                               eg__merkle_node_fn fn, void *ctx, eg_error *err);

/* The consistency proof PROOF(old_size, D[size]) of RFC 9162 2.1.4.1 into
 * *out. An empty proof when old_size == size or old_size == 0 (nothing to
 * prove); EG_EINVAL when old_size > size. */
int eg__merkle_consistency_proof(eg__merkle_proof *out, uint64_t old_size, uint64_t size,
                                 eg__merkle_node_fn fn, void *ctx, eg_error *err);

/* RFC 9162 2.1.3.2, step by step: 1 when `proof` proves that leaf_hash is
 * leaf `index` of the tree of `size` leaves whose root is `root`, else 0. */
int eg__merkle_verify_inclusion(const uint8_t leaf_hash[EG__MERKLE_HASH_LEN], uint64_t index,
                                uint64_t size, const eg__merkle_proof *proof,
                                const uint8_t root[EG__MERKLE_HASH_LEN]);

/* RFC 9162 2.1.4.2, step by step: 1 when `proof` proves that the tree of
 * old_size leaves with root old_root is a prefix of the tree of `size`
 * leaves with root `root`, else 0. Beyond the RFC (which requires
 * 0 < old_size < size): equal sizes are consistent with an empty proof when
 * the roots are equal, and old_size 0 with an empty proof. */
int eg__merkle_verify_consistency(uint64_t old_size, uint64_t size,
                                  const uint8_t old_root[EG__MERKLE_HASH_LEN],
                                  const uint8_t root[EG__MERKLE_HASH_LEN],
                                  const eg__merkle_proof *proof);

/*
 * The "levels" tree in memory: every complete node of every level, so an
 * append costs O(1) amortised hashes (O(log n) at worst) and a proof
 * O(log n) reads. For tests, benchmarks and verifiers; the log keeps its
 * nodes in its store instead. Memory: about 2n hashes.
 */
typedef struct eg__merkle_mem {
	uint64_t size;           /* read-only: leaves appended */
	uint8_t (*level[64])[EG__MERKLE_HASH_LEN]; /* private: complete nodes per level */
	uint64_t cap[64];        /* private: capacity of each level, in nodes */
} eg__merkle_mem;

/* Appends one leaf hash. Returns 0, EG_ENOMEM (the tree is unchanged) or EG_EIO. */
int eg__merkle_mem_append(eg__merkle_mem *t, const uint8_t leaf_hash[EG__MERKLE_HASH_LEN]);
/* An eg__merkle_node_fn over an eg__merkle_mem passed as ctx. */
int eg__merkle_mem_node(void *ctx, unsigned level, uint64_t index,
                        uint8_t out[EG__MERKLE_HASH_LEN], eg_error *err);
/* Frees the levels; the struct may be reused after being zeroed. NULL-safe. */
void eg__merkle_mem_dispose(eg__merkle_mem *t);

/* Writes 64 lowercase hex digits and a NUL. */
void eg__merkle_hex(char out[2 * EG__MERKLE_HASH_LEN + 1], const uint8_t h[EG__MERKLE_HASH_LEN]);
/* Parses exactly 64 hex digits from s[0..len). Returns 0 or EG_EPARSE. */
int eg__merkle_unhex(uint8_t out[EG__MERKLE_HASH_LEN], const char *s, size_t len);

#endif
