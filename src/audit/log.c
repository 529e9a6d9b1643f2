/* log.c - the append-only decision log: records as leaves of an RFC 9162 Merkle tree over a record store.
 *
 * Invariants: the store holds records 0..size-1 with their leaf hashes and
 * every complete node of the tree of those leaves; the handle's edge holds
 * the roots of the complete subtrees of that tree. An append writes one
 * record and the O(1) amortised nodes it completes (O(log n) at worst), in
 * the same transaction, so a crash leaves either all of them or none. */
#include "log.h"

#include "util/alloc.h"
#include "util/error.h"

#include <jansson.h>
#include <pthread.h>
#include <string.h>

#define HLEN EG__MERKLE_HASH_LEN

struct eg__audit_log {
	eg__audit_store store;
	pthread_mutex_t mu;
	eg__audit_edge edge; /* the tree the store holds, as this handle last saw it */
};

static void put_be64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

int eg__audit_leaf_hash(uint8_t out[HLEN], uint64_t index, int64_t time_ms, const char *payload,
                        size_t len)
{
	unsigned char stack[1024];
	unsigned char *buf = stack;
	size_t head = EG__AUDIT_LEAF_MAGIC_LEN + 24, total;
	int rc;

	if (len > EG__AUDIT_PAYLOAD_MAX)
		return EG_ETOOBIG;
	total = head + len;
	if (total > sizeof(stack) && (buf = eg__malloc(total)) == NULL)
		return EG_ENOMEM;
	memcpy(buf, EG__AUDIT_LEAF_MAGIC, EG__AUDIT_LEAF_MAGIC_LEN);
	put_be64(buf + EG__AUDIT_LEAF_MAGIC_LEN, index);
	put_be64(buf + EG__AUDIT_LEAF_MAGIC_LEN + 8, (uint64_t)time_ms);
	put_be64(buf + EG__AUDIT_LEAF_MAGIC_LEN + 16, (uint64_t)len);
	if (len > 0)
		memcpy(buf + head, payload, len);
	rc = eg__merkle_leaf_hash(out, buf, total);
	if (buf != stack)
		eg__free(buf);
	return rc;
}

int eg__audit_edge_push(eg__audit_edge *e, const uint8_t leaf[HLEN],
                        int (*made)(void *arg, unsigned level, uint64_t index, const uint8_t hash[HLEN],
                                    eg_error *err),
                        void *arg, eg_error *err)
{
	uint64_t n = e->size;
	uint8_t carry[HLEN];
	unsigned k;
	int rc;

	memcpy(carry, leaf, HLEN);
	for (k = 0; (n >> k) & 1; k++) {
		if (eg__merkle_node_hash(carry, e->node[k], carry) != 0)
			return eg__error_set(err, EG_EIO, "audit: SHA-256 failed");
		if (made != NULL && (rc = made(arg, k + 1, ((n + 1) >> (k + 1)) - 1, carry, err)) != 0)
			return rc;
	}
	memcpy(e->node[k], carry, HLEN);
	e->size = n + 1;
	return 0;
}

int eg__audit_edge_root(const eg__audit_edge *e, uint8_t out[HLEN])
{
	unsigned k;
	int have = 0;

	for (k = 0; k < 64; k++) {
		if (!((e->size >> k) & 1))
			continue;
		if (!have) {
			memcpy(out, e->node[k], HLEN);
			have = 1;
		} else if (eg__merkle_node_hash(out, e->node[k], out) != 0) {
			return EG_EIO;
		}
	}
	if (!have)
		eg__merkle_empty_root(out);
	return 0;
}

/* Reads the edge of the tree of `size` leaves from the store. */
static int load_edge(eg__audit_edge *e, const eg__audit_store *st, uint64_t size, eg_error *err)
{
	unsigned k;
	int rc;

	memset(e, 0, sizeof(*e));
	for (k = 0; k < 64; k++) {
		if (!((size >> k) & 1))
			continue;
		if ((rc = st->get_node(st->ctx, k, (size >> k) - 1, e->node[k], err)) != 0)
			return eg__error_prefix(err, "audit: reading the tree's right edge: ");
	}
	e->size = size;
	return 0;
}

int eg__audit_open(eg__audit_log **out, const eg__audit_store *store, eg_error *err)
{
	eg__audit_log *log;
	uint64_t n;
	int rc;

	*out = NULL;
	log = eg__calloc(1, sizeof(*log));
	if (log == NULL)
		return eg__error_set(err, EG_ENOMEM, "audit: out of memory");
	log->store = *store;
	if ((rc = store->count(store->ctx, &n, err)) != 0 || (rc = load_edge(&log->edge, store, n, err)) != 0) {
		eg__free(log);
		return rc;
	}
	if (pthread_mutex_init(&log->mu, NULL) != 0) {
		eg__free(log);
		return eg__error_set(err, EG_ENOMEM, "audit: cannot make a mutex");
	}
	*out = log;
	return 0;
}

void eg__audit_close(eg__audit_log *log)
{
	if (log == NULL)
		return;
	pthread_mutex_destroy(&log->mu);
	eg__free(log);
}

static int payload_ok(const eg__audit_entry *e, size_t i, eg_error *err)
{
	json_error_t jerr;
	json_t *j;

	if (e->payload == NULL && e->len > 0)
		return eg__error_set(err, EG_EINVAL, "audit: entry %zu: no payload", i);
	if (e->len > EG__AUDIT_PAYLOAD_MAX)
		return eg__error_set(err, EG_ETOOBIG, "audit: entry %zu: payload of %zu bytes is over %u",
		                     i, e->len, EG__AUDIT_PAYLOAD_MAX);
	if (e->from_jansson)
		return 0;
	j = json_loadb(e->payload ? e->payload : "", e->len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (j == NULL)
		return eg__error_set(err, EG_EINVAL, "audit: entry %zu: payload is not JSON: line %d column %d: %s",
		                     i, jerr.line, jerr.column, jerr.text);
	json_decref(j);
	return 0;
}

static int write_node(void *arg, unsigned level, uint64_t index, const uint8_t hash[HLEN], eg_error *err)
{
	const eg__audit_store *st = arg;

	return st->put_node(st->ctx, level, index, hash, err);
}

int eg__audit_append_batch(eg__audit_log *log, eg__audit_entry *entries, size_t n, eg_error *err)
{
	eg__audit_edge saved;
	eg__audit_store *st = &log->store;
	uint64_t stored;
	size_t i;
	int rc;

	if (n == 0 || n > EG__AUDIT_BATCH_MAX)
		return eg__error_set(err, EG_EINVAL, "audit: a batch of %zu records (1..%d)", n, EG__AUDIT_BATCH_MAX);
	for (i = 0; i < n; i++)
		if ((rc = payload_ok(&entries[i], i, err)) != 0)
			return rc;
	pthread_mutex_lock(&log->mu);
	if (st->append_all != NULL) {
		eg__audit_edge after;
		rc = st->append_all(st->ctx, entries, n, &after, err);
		if (rc == 0)
			log->edge = after;
		if (rc != EG_EUNSUPPORTED)
			goto done;
		eg__error_clear(err); /* not on this connection now: the usual way */
	}
	saved = log->edge;
	if ((rc = st->begin(st->ctx, err)) != 0)
		goto done;
	/* Under the store's write lock: another process may have appended. */
	if ((rc = st->count(st->ctx, &stored, err)) != 0)
		goto fail;
	if (stored != log->edge.size && (rc = load_edge(&log->edge, st, stored, err)) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		eg__audit_record rec;
		rec.index = log->edge.size;
		rec.time_ms = entries[i].time_ms;
		rec.payload = entries[i].payload;
		rec.len = entries[i].len;
		if ((rc = eg__audit_leaf_hash(rec.leaf_hash, rec.index, rec.time_ms, rec.payload, rec.len)) != 0) {
			rc = eg__error_set(err, rc, "audit: entry %zu: cannot hash", i);
			goto fail;
		}
		if ((rc = st->put_record(st->ctx, &rec, err)) != 0 ||
		    (rc = eg__audit_edge_push(&log->edge, rec.leaf_hash, write_node, st, err)) != 0)
			goto fail;
		entries[i].index = rec.index;
		memcpy(entries[i].leaf_hash, rec.leaf_hash, HLEN);
	}
	if ((rc = st->commit(st->ctx, err)) != 0)
		goto fail;
	goto done;
fail:
	st->rollback(st->ctx);
	log->edge = saved;
done:
	pthread_mutex_unlock(&log->mu);
	return rc;
}

int eg__audit_append(eg__audit_log *log, uint64_t *index, uint8_t leaf_hash[HLEN], int64_t time_ms,
                     const char *payload, size_t len, eg_error *err)
{
	eg__audit_entry e;
	int rc;

	memset(&e, 0, sizeof(e));
	e.time_ms = time_ms;
	e.payload = payload;
	e.len = len;
	if ((rc = eg__audit_append_batch(log, &e, 1, err)) != 0)
		return rc;
	if (index != NULL)
		*index = e.index;
	if (leaf_hash != NULL)
		memcpy(leaf_hash, e.leaf_hash, HLEN);
	return 0;
}

uint64_t eg__audit_size(eg__audit_log *log)
{
	uint64_t n;

	pthread_mutex_lock(&log->mu);
	n = log->edge.size;
	pthread_mutex_unlock(&log->mu);
	return n;
}

/* Checks a size against the tree this handle knows; called with the lock. */
static int size_ok(eg__audit_log *log, uint64_t size, eg_error *err)
{
	if (size > log->edge.size)
		return eg__error_set(err, EG_EINVAL, "audit: size %llu is beyond the log's %llu records",
		                     (unsigned long long)size, (unsigned long long)log->edge.size);
	return 0;
}

int eg__audit_root(eg__audit_log *log, uint8_t out[HLEN], uint64_t size, eg_error *err)
{
	int rc;

	pthread_mutex_lock(&log->mu);
	if ((rc = size_ok(log, size, err)) == 0) {
		if (size == log->edge.size)
			rc = eg__audit_edge_root(&log->edge, out);
		else
			rc = eg__merkle_root_at(out, size, log->store.get_node, log->store.ctx, err);
	}
	pthread_mutex_unlock(&log->mu);
	return rc;
}

int eg__audit_prove_inclusion(eg__audit_log *log, eg__merkle_proof *out, uint64_t index, uint64_t size,
                              eg_error *err)
{
	int rc;

	pthread_mutex_lock(&log->mu);
	if ((rc = size_ok(log, size, err)) == 0)
		rc = eg__merkle_inclusion_proof(out, index, size, log->store.get_node, log->store.ctx, err);
	pthread_mutex_unlock(&log->mu);
	return rc;
}

int eg__audit_prove_consistency(eg__audit_log *log, eg__merkle_proof *out, uint64_t old_size,
                                uint64_t size, eg_error *err)
{
	int rc;

	pthread_mutex_lock(&log->mu);
	if ((rc = size_ok(log, size, err)) == 0)
		rc = eg__merkle_consistency_proof(out, old_size, size, log->store.get_node, log->store.ctx, err);
	pthread_mutex_unlock(&log->mu);
	return rc;
}

int eg__audit_get(eg__audit_log *log, eg__audit_record *out, uint64_t index, eg_error *err)
{
	int rc;

	pthread_mutex_lock(&log->mu);
	rc = log->store.get_record(log->store.ctx, index, out, err);
	pthread_mutex_unlock(&log->mu);
	return rc;
}

int eg__audit_node(eg__audit_log *log, uint8_t out[HLEN], unsigned level, uint64_t index, eg_error *err)
{
	int rc;

	pthread_mutex_lock(&log->mu);
	rc = log->store.get_node(log->store.ctx, level, index, out, err);
	pthread_mutex_unlock(&log->mu);
	return rc;
}

int eg__audit_stored_count(eg__audit_log *log, uint64_t *out, eg_error *err)
{
	int rc;

	pthread_mutex_lock(&log->mu);
	rc = log->store.count(log->store.ctx, out, err);
	pthread_mutex_unlock(&log->mu);
	return rc;
}

int eg__audit_checkpoint(eg__audit_log *log, char **text, const eg__checkpoint_key *key,
                         const char *origin, int64_t time_ms, eg_error *err)
{
	eg__checkpoint cp;
	char *t = NULL;
	size_t olen = strlen(origin);
	int rc;

	if (text != NULL)
		*text = NULL;
	if (olen > EG__CHECKPOINT_ORIGIN_MAX)
		return eg__error_set(err, EG_EINVAL, "audit: origin over %d bytes", EG__CHECKPOINT_ORIGIN_MAX);
	memset(&cp, 0, sizeof(cp));
	memcpy(cp.origin, origin, olen);
	cp.time_ms = time_ms;
	pthread_mutex_lock(&log->mu);
	cp.size = log->edge.size;
	if ((rc = eg__audit_edge_root(&log->edge, cp.root)) != 0)
		rc = eg__error_set(err, rc, "audit: SHA-256 failed");
	if (rc == 0)
		rc = eg__checkpoint_sign(&t, &cp, key, err);
	if (rc == 0)
		rc = log->store.put_checkpoint(log->store.ctx, cp.size, time_ms, t, err);
	pthread_mutex_unlock(&log->mu);
	if (rc == 0 && text != NULL)
		*text = t;
	else
		eg__free(t);
	return rc;
}

int eg__audit_latest_checkpoint(eg__audit_log *log, char **text, eg_error *err)
{
	int rc;

	pthread_mutex_lock(&log->mu);
	rc = log->store.latest_checkpoint(log->store.ctx, text, err);
	pthread_mutex_unlock(&log->mu);
	return rc;
}
