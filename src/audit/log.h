/* log.h - the append-only decision log: records as leaves of an RFC 9162 Merkle tree over a record store. */
#ifndef EG_AUDIT_LOG_H
#define EG_AUDIT_LOG_H

#include "exportgate.h"
#include "audit/checkpoint.h"
#include "audit/merkle.h"

#include <stddef.h>
#include <stdint.h>

#define EG__AUDIT_PAYLOAD_MAX (1024u * 1024) /* bytes of one record's JSON payload */
#define EG__AUDIT_BATCH_MAX   4096           /* records in one append_batch */
/* The first bytes of every leaf: names the serialisation, so a later one
 * can never be confused with it. */
#define EG__AUDIT_LEAF_MAGIC     "exportgate-audit-v1\n"
#define EG__AUDIT_LEAF_MAGIC_LEN 20

/* One record: its place in the log, its time and its JSON payload. */
typedef struct eg__audit_record {
	uint64_t index;          /* 0, 1, 2, ...: the leaf's place in the tree */
	int64_t time_ms;         /* Unix milliseconds, UTC, as the caller gave it */
	const char *payload;     /* the JSON text, exactly as appended */
	size_t len;              /* its bytes */
	uint8_t leaf_hash[EG__MERKLE_HASH_LEN]; /* SHA-256(0x00 || leaf data) */
} eg__audit_record;

/*
 * Where the log keeps its records, nodes and checkpoints: a table of
 * operations so the integrator can put the log in SQLite (log_sqlite.c),
 * PostgreSQL or memory. Every operation returns 0 or a negative EG_E* code
 * with err filled. The log calls them with its own lock held, so a store is
 * never called from two threads at once through one log.
 *
 * Writes happen only between begin and commit. begin takes the store's
 * write lock (other processes appending to the same store wait); commit
 * returns only once everything written since begin is durable; rollback
 * forgets it. A node is a complete subtree (see merkle.h); put_node is
 * called for levels >= 1 only, and get_node at level 0 answers the leaf
 * hash stored with record `index`.
 */
struct eg__audit_entry;
struct eg__audit_edge;
typedef struct eg__audit_store {
	void *ctx;
	int (*begin)(void *ctx, eg_error *err);
	int (*commit)(void *ctx, eg_error *err);
	void (*rollback)(void *ctx);
	/* *out = 1 + the highest index stored, 0 for an empty log. */
	int (*count)(void *ctx, uint64_t *out, eg_error *err);
	int (*put_record)(void *ctx, const eg__audit_record *rec, eg_error *err);
	/* Fills *out; out->payload stays valid until the next call on this
	 * store. EG_ENOTFOUND when there is no record `index`. */
	int (*get_record)(void *ctx, uint64_t index, eg__audit_record *out, eg_error *err);
	int (*put_node)(void *ctx, unsigned level, uint64_t index, const uint8_t hash[EG__MERKLE_HASH_LEN],
	                eg_error *err);
	eg__merkle_node_fn get_node;
	/* Keeps a signed checkpoint's text (outside any begin/commit: it is
	 * durable on return). */
	int (*put_checkpoint)(void *ctx, uint64_t size, int64_t time_ms, const char *text, eg_error *err);
	/* The text of the checkpoint of the largest size into *text (freed
	 * with eg__free); EG_ENOTFOUND when there is none. */
	int (*latest_checkpoint)(void *ctx, char **text, eg_error *err);
	/* Optional (NULL, or EG_EUNSUPPORTED for a call: the log appends by
	 * begin, count, put_record, put_node and commit): appends entries
	 * [0..n) in one transaction of its own, in which the store itself
	 * continues the stored tree: each leaf hash and the nodes it completes
	 * computed exactly as eg__audit_leaf_hash and eg__audit_edge_push do.
	 * Fills each entry's index and leaf_hash, and *edge with the tree's
	 * right edge after them. Committed as commit is (durable, or not yet
	 * when the store defers its flush); on failure nothing is. */
	int (*append_all)(void *ctx, struct eg__audit_entry *entries, size_t n,
	                  struct eg__audit_edge *edge, eg_error *err);
} eg__audit_store;

typedef struct eg__audit_log eg__audit_log;

/* One record to append: the caller fills time_ms, payload and len; the log
 * fills index and leaf_hash. */
typedef struct eg__audit_entry {
	int64_t time_ms;                        /* IN */
	const char *payload;                    /* IN: JSON text, not NUL-terminated */
	size_t len;                             /* IN */
	uint64_t index;                         /* OUT */
	uint8_t leaf_hash[EG__MERKLE_HASH_LEN]; /* OUT */
	/* IN: nonzero when payload is json_dumps's output, JSON by
	 * construction: not parsed again to be checked (a decision's record
	 * of 6 KB costs about a million instructions to parse, a quarter of
	 * the decision) */
	int from_jansson;
} eg__audit_entry;

/*
 * The leaf data of a record, the canonical serialisation the leaf hash is
 * taken over (docs/audit.md):
 *     "exportgate-audit-v1\n" || u64be(index) || i64be(time_ms) || u64be(len) || payload
 * eg__audit_leaf_hash writes SHA-256(0x00 || leaf data). Returns 0 or EG_E*.
 */
int eg__audit_leaf_hash(uint8_t out[EG__MERKLE_HASH_LEN], uint64_t index, int64_t time_ms,
                        const char *payload, size_t len);

/* Opens the log over *store (copied; the store's ctx must outlive the log),
 * reading the right edge of the tree (O(log n) nodes). */
int eg__audit_open(eg__audit_log **out, const eg__audit_store *store, eg_error *err);
/* NULL-safe. Does not close the store. */
void eg__audit_close(eg__audit_log *log);

/*
 * Appends n (1..EG__AUDIT_BATCH_MAX) records in one store transaction: every
 * payload must be valid JSON (parsed to be sure, but for from_jansson's) of
 * at most EG__AUDIT_PAYLOAD_MAX bytes. On
 * return 0 every record is committed durably and each entry holds its index
 * and leaf hash; on failure none is (EG_EINVAL/EG_ETOOBIG naming the entry,
 * or the store's error). Group commit: the integrator gathers concurrent
 * callers' records into one batch, one fsync for all. Thread-safe; appends
 * of other processes to the same store are seen and continued.
 */
int eg__audit_append_batch(eg__audit_log *log, eg__audit_entry *entries, size_t n, eg_error *err);
/* One record: eg__audit_append_batch of one. */
int eg__audit_append(eg__audit_log *log, uint64_t *index, uint8_t leaf_hash[EG__MERKLE_HASH_LEN],
                     int64_t time_ms, const char *payload, size_t len, eg_error *err);

/* The number of records, as of this handle's last append or open. */
uint64_t eg__audit_size(eg__audit_log *log);
/* The root of the first `size` records (size <= eg__audit_size). */
int eg__audit_root(eg__audit_log *log, uint8_t out[EG__MERKLE_HASH_LEN], uint64_t size, eg_error *err);
/* The inclusion proof of record `index` in the tree of `size` records. */
int eg__audit_prove_inclusion(eg__audit_log *log, eg__merkle_proof *out, uint64_t index, uint64_t size,
                              eg_error *err);
/* The consistency proof of the tree of old_size records with that of `size`. */
int eg__audit_prove_consistency(eg__audit_log *log, eg__merkle_proof *out, uint64_t old_size,
                                uint64_t size, eg_error *err);
/* Reads record `index`; its payload stays valid until the next call on this
 * log, from any thread: copy it to keep it. */
int eg__audit_get(eg__audit_log *log, eg__audit_record *out, uint64_t index, eg_error *err);

/*
 * Signs a checkpoint of the whole log (its size and root now, time_ms as
 * given, origin naming the log) with a private key, keeps it in the store
 * and gives its text in *text (freed with eg__free) if text is not NULL.
 */
int eg__audit_checkpoint(eg__audit_log *log, char **text, const eg__checkpoint_key *key,
                         const char *origin, int64_t time_ms, eg_error *err);
/* The latest checkpoint's text in *text (freed with eg__free); EG_ENOTFOUND if none. */
int eg__audit_latest_checkpoint(eg__audit_log *log, char **text, eg_error *err);

/* The store operations of log_sqlite.c over an open database handle: the
 * tables audit_record, audit_node and audit_checkpoint are created when
 * missing. The caller's handle keeps its own settings (the store sets WAL
 * and synchronous=FULL). *out is released with eg__audit_sqlite_close,
 * before the handle is closed. */
struct sqlite3;
int eg__audit_sqlite_open(eg__audit_store *out, struct sqlite3 *db, eg_error *err);
void eg__audit_sqlite_close(eg__audit_store *store);

/* The store operations of log_pg.c over an open libpq connection of a
 * PostgreSQL store (eg__store_pg_conn) whose schema holds the audit tables
 * (migration 2 of src/store/postgres.c); name names the store in messages
 * and must outlive the log. begin takes pg_advisory_xact_lock, so appends
 * from every process and machine form one order. Released with
 * eg__audit_pg_close, before the connection is closed. */
struct pg_conn;
int eg__audit_pg_open(eg__audit_store *out, struct pg_conn *conn, const char *name,
                      eg_error *err);
void eg__audit_pg_close(eg__audit_store *store);
/* on nonzero: the commit of an append on this PostgreSQL store returns once
 * the append is committed, ordered and its lock released, WITHOUT waiting
 * for the WAL flush: eg__audit_append_batch's records are then NOT durable
 * on return, and the caller must make them so with eg__audit_pg_flush
 * (on another store of its own, so that appends go on meanwhile) before it
 * answers from them. */
void eg__audit_pg_defer_flush(eg__audit_store *store, int on);
/* Waits until the WAL is flushed past every commit that returned before
 * the call, on any connection of the server: a transaction with an id
 * committed synchronously on store's connection. 0: they are durable. */
int eg__audit_pg_flush(eg__audit_store *store, eg_error *err);

/* For verification: a stored node (level 0: a stored leaf hash), and the
 * number of records the store holds now (1 + its highest index). */
int eg__audit_node(eg__audit_log *log, uint8_t out[EG__MERKLE_HASH_LEN], unsigned level, uint64_t index,
                   eg_error *err);
int eg__audit_stored_count(eg__audit_log *log, uint64_t *out, eg_error *err);

/* The right edge of a tree: the roots of its complete subtrees, one per set
 * bit of its size. Appending a leaf merges equal subtrees, as binary
 * addition carries; the root folds them from the smallest. */
typedef struct eg__audit_edge {
	uint64_t size;
	uint8_t node[64][EG__MERKLE_HASH_LEN]; /* node[k] valid when bit k of size is set */
} eg__audit_edge;
/* Appends a leaf hash; for each complete node it makes, calls made(arg,
 * level, index, hash) when made is not NULL. */
int eg__audit_edge_push(eg__audit_edge *e, const uint8_t leaf[EG__MERKLE_HASH_LEN],
                        int (*made)(void *arg, unsigned level, uint64_t index,
                                    const uint8_t hash[EG__MERKLE_HASH_LEN], eg_error *err),
                        void *arg, eg_error *err);
/* The root of the tree the edge ends. */
int eg__audit_edge_root(const eg__audit_edge *e, uint8_t out[EG__MERKLE_HASH_LEN]);

#endif
