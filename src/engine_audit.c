/* engine_audit.c - the decision log in the public API: appends with group
 * commit, records, proofs, signed checkpoints, verification, export.
 *
 * The log (src/audit) lives in the store's file, through a second
 * connection of its own, so a log transaction never mixes with the
 * catalog's reads or an import on the first. Its signing key is a PEM file
 * beside the store ("STORE.key", mode 0600), created on first use.
 *
 * Group commit: callers queue their record; whoever finds no commit in
 * progress becomes the leader, takes everything queued, appends it in one
 * transaction (one fsync) and wakes the others. Each caller returns only
 * once its own record is durable.
 *
 * On PostgreSQL the wait for durability is taken off the append: a
 * batch's transaction commits without waiting for the WAL flush (releasing
 * the append lock of every process), the next leader may begin the next
 * batch at once, and the flush is waited for on a connection of its own
 * (fstore) by one of the waiting callers, the flusher: a flush that began
 * after batch k committed makes batches 1..k durable (the WAL is one
 * sequence), so one flush serves every batch committed before it began.
 * Invariant: a caller returns 0 only when flushed >= its batch's seq. */
#include "engine_impl.h"
#include "audit/checkpoint.h"
#include "audit/log.h"
#include "audit/verify.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/error.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The name a checkpoint gives the log. */
#define LOG_ORIGIN "exportgate/decision-log"

/* One caller's record waiting for the group commit. */
typedef struct pending {
	eg__audit_entry ent;
	uint64_t seq;              /* its batch's number, once committed */
	int done;
	int rc;
	eg_error err;
	struct pending *next;
} pending;

struct eg__dlog {
	eg__store *store;          /* the second connection */
	eg__store *rstore;         /* a third, for the review table (rlock): a
	                              connection serves one thread at a time */
	pthread_mutex_t rlock;
	eg__audit_store ops;
	eg__audit_log *log;
	char *key_path;
	pthread_mutex_t lock;      /* the queue and `committing` */
	pthread_cond_t cond;
	pending *head, *tail;
	int committing;
	/* PostgreSQL: the flush of committed batches (deferred) */
	int deferred;              /* commits do not wait for the flush */
	eg__store *fstore;         /* the flusher's connection */
	eg__audit_store fops;
	uint64_t committed;        /* batches committed (lock) */
	uint64_t flushed;          /* batches 1..flushed durable */
	uint64_t failed;           /* a flush failed for batches ..failed */
	int flush_rc;
	eg_error flush_err;
	int flushing;              /* a flush in progress */
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void eg__dlog_free(eg__dlog *l)
{
	if (l == NULL)
		return;
	eg__audit_close(l->log);
	if (l->store != NULL && eg__store_pg_conn(l->store) != NULL)
		eg__audit_pg_close(&l->ops);
	else if (l->store != NULL)
		eg__audit_sqlite_close(&l->ops);
	eg__store_close(l->store);
	if (l->fops.ctx != NULL)
		eg__audit_pg_close(&l->fops);
	eg__store_close(l->fstore);
	eg__store_close(l->rstore);
	pthread_mutex_destroy(&l->rlock);
	eg__free(l->key_path);
	pthread_cond_destroy(&l->cond);
	pthread_mutex_destroy(&l->lock);
	eg__free(l);
}

/* The log in a PostgreSQL store, on the connection l->store opened (its
 * own, as for SQLite). The signing key has no store file to live beside:
 * it is the file $EXPORTGATE_AUDIT_KEY names (the same file for every
 * server of the store); without it, appends and reads work and whatever
 * needs the key says so. The review table is opened by log_open, as for
 * SQLite. */
static int log_open_pg(eg__dlog *l, const char *store_path, eg_error *err)
{
	const char *key = getenv("EXPORTGATE_AUDIT_KEY");
	int rc;

	if (key != NULL && key[0] != '\0' && (l->key_path = eg__strdup(key)) == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	if ((rc = eg__audit_pg_open(&l->ops, eg__store_pg_conn(l->store),
	                            eg__store_pg_name(l->store), err)) != 0)
		return rc;
	if ((rc = eg__audit_open(&l->log, &l->ops, err)) != 0)
		return rc;
	/* the flusher's connection: the appends' flushes waited for there,
	 * while the next batch is appended on the first */
	if ((rc = eg__store_open(&l->fstore, store_path, 0, err)) != 0 ||
	    (rc = eg__audit_pg_open(&l->fops, eg__store_pg_conn(l->fstore),
	                            eg__store_pg_name(l->fstore), err)) != 0)
		return rc;
	eg__audit_pg_defer_flush(&l->ops, 1);
	l->deferred = 1;
	return 0;
}

/* Opens the log on the engine's store, once. */
static int log_open(eg_engine *e, eg__dlog **out, eg_error *err)
{
	eg__dlog *l;
	struct sqlite3 *db;
	int rc = 0;

	pthread_mutex_lock(&e->lock);
	if ((l = e->dlog) != NULL)
		goto done;
	if (e->read_only) {
		rc = eg__error_set(err, EG_ESTORE, "the decision log cannot be written: the store "
		                   "was opened read-only");
		goto done;
	}
	if ((l = eg__calloc(1, sizeof(*l))) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->cond, NULL);
	pthread_mutex_init(&l->rlock, NULL);
	if ((rc = eg__store_open(&l->store, e->store_path, 0, err)) != 0)
		goto fail;
	if (eg__store_pg_conn(l->store) != NULL) {
		if ((rc = log_open_pg(l, e->store_path, err)) != 0)
			goto fail;
		goto reviews;
	}
	if ((db = eg__store_sqlite_db(l->store)) == NULL) {
		rc = eg__error_set(err, EG_EUNSUPPORTED, "the decision log needs a SQLite store");
		goto fail;
	}
	{ /* the signing key beside the store's file */
		const char *file = eg__store_sqlite_path(e->store_path);
		size_t size = strlen(file) + 5;
		if ((l->key_path = eg__malloc(size)) == NULL) {
			rc = eg__error_set(err, EG_ENOMEM, "out of memory");
			goto fail;
		}
		snprintf(l->key_path, size, "%s.key", file);
	}
	if ((rc = eg__audit_sqlite_open(&l->ops, db, err)) != 0)
		goto fail;
	if ((rc = eg__audit_open(&l->log, &l->ops, err)) != 0)
		goto fail;
reviews:
	if ((rc = eg__store_open(&l->rstore, e->store_path, 0, err)) != 0 ||
	    (rc = eg__store_review_table(l->rstore, err)) != 0)
		goto fail;
	e->dlog = l;
	goto done;
fail:
	if (l->store != NULL && l->ops.ctx != NULL) {
		if (eg__store_pg_conn(l->store) != NULL)
			eg__audit_pg_close(&l->ops);
		else
			eg__audit_sqlite_close(&l->ops);
	}
	l->ops.ctx = NULL;
	eg__store_close(l->store);
	l->store = NULL;
	if (l->fops.ctx != NULL)
		eg__audit_pg_close(&l->fops);
	l->fops.ctx = NULL;
	eg__store_close(l->fstore);
	l->fstore = NULL;
	eg__store_close(l->rstore);
	l->rstore = NULL;
	eg__dlog_free(l);
	l = NULL;
done:
	pthread_mutex_unlock(&e->lock);
	*out = l;
	return rc;
}

/* Appends everything queued as one batch; called by the leader with
 * l->lock held and `committing` set; returns with the lock held. */
static void commit_queued(eg__dlog *l)
{
	pending *batch = l->head, *p;
	eg__audit_entry *ents;
	eg_error err;
	size_t n = 0, i;
	int rc;

	l->head = l->tail = NULL;
	for (p = batch; p != NULL && n < EG__AUDIT_BATCH_MAX; p = p->next)
		n++;
	if (p != NULL) { /* past one batch: the rest waits for the next round */
		pending *q = batch;
		for (i = 1; i < n; i++)
			q = q->next;
		l->head = q->next;
		for (l->tail = l->head; l->tail->next != NULL; l->tail = l->tail->next)
			;
		q->next = NULL;
	}
	pthread_mutex_unlock(&l->lock);
	ents = eg__malloc(n * sizeof(*ents));
	eg__error_clear(&err);
	if (ents == NULL) {
		rc = eg__error_set(&err, EG_ENOMEM, "out of memory");
	} else {
		for (p = batch, i = 0; p != NULL; p = p->next)
			ents[i++] = p->ent;
		rc = eg__audit_append_batch(l->log, ents, n, &err);
	}
	pthread_mutex_lock(&l->lock);
	if (rc == 0)
		l->committed++;
	for (p = batch, i = 0; p != NULL; p = p->next, i++) {
		if (rc == 0)
			p->ent = ents[i];
		p->seq = l->committed;
		p->rc = rc;
		p->err = err;
		p->done = 1;
	}
	eg__free(ents);
}

int eg__dlog_review_begin(eg_engine *e, eg__store **st, eg_error *err)
{
	eg__dlog *l;
	int rc;

	*st = NULL;
	if ((rc = log_open(e, &l, err)) != 0)
		return rc;
	pthread_mutex_lock(&l->rlock);
	*st = l->rstore;
	return 0;
}

void eg__dlog_review_end(eg_engine *e)
{
	pthread_mutex_unlock(&e->dlog->rlock);
}

int eg__dlog_each(eg_engine *e, eg__dlog_fn fn, void *ud, eg_error *err)
{
	eg__audit_record r;
	eg__dlog *l;
	uint64_t i, n;
	char *copy;
	int rc;

	if ((rc = log_open(e, &l, err)) != 0)
		return rc;
	n = eg__audit_size(l->log);
	for (i = 0; i < n; i++) {
		pthread_mutex_lock(&l->lock); /* the payload lives until the next read */
		rc = eg__audit_get(l->log, &r, i, err);
		copy = rc == 0 ? eg__malloc(r.len + 1) : NULL;
		if (copy != NULL) {
			memcpy(copy, r.payload, r.len);
			copy[r.len] = '\0';
		}
		pthread_mutex_unlock(&l->lock);
		if (rc != 0)
			return rc;
		if (copy == NULL)
			return eg__error_set(err, EG_ENOMEM, "out of memory");
		rc = fn(ud, i, copy, r.len, err);
		eg__free(copy);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* With l->lock held: returns once me's batch is durable (me->rc 0) or a
 * flush that would have made it so failed (me->rc and me->err say why;
 * the record may be durable even so: logged, never answered, never the
 * reverse). Whoever finds no flush in progress becomes the flusher. */
static void wait_flushed(eg__dlog *l, pending *me)
{
	while (l->flushed < me->seq) {
		if (l->failed >= me->seq) {
			me->rc = l->flush_rc;
			me->err = l->flush_err;
			return;
		}
		if (!l->flushing) {
			uint64_t upto = l->committed; /* every one committed before the flush */
			eg_error ferr;
			int rc;
			l->flushing = 1;
			pthread_mutex_unlock(&l->lock);
			eg__error_clear(&ferr);
			rc = eg__audit_pg_flush(&l->fops, &ferr);
			pthread_mutex_lock(&l->lock);
			l->flushing = 0;
			if (rc == 0 && upto > l->flushed)
				l->flushed = upto;
			if (rc != 0 && upto > l->failed) {
				l->failed = upto;
				l->flush_rc = rc;
				l->flush_err = ferr;
			}
			pthread_cond_broadcast(&l->cond);
		} else {
			pthread_cond_wait(&l->cond, &l->lock);
		}
	}
}

int eg__dlog_append(eg_engine *e, const char *payload, size_t len, int64_t *index,
                          char leaf_hex[65], eg_error *err)
{
	eg__dlog *l;
	pending me;
	int rc;

	if ((rc = log_open(e, &l, err)) != 0)
		return rc;
	memset(&me, 0, sizeof(me));
	me.ent.time_ms = now_ms();
	me.ent.payload = payload;
	me.ent.len = len;
	me.ent.from_jansson = 1;
	pthread_mutex_lock(&l->lock);
	if (l->tail != NULL)
		l->tail->next = &me;
	else
		l->head = &me;
	l->tail = &me;
	while (!me.done) {
		if (!l->committing) {
			l->committing = 1;
			commit_queued(l);
			l->committing = 0;
			pthread_cond_broadcast(&l->cond);
		} else {
			pthread_cond_wait(&l->cond, &l->lock);
		}
	}
	if (me.rc == 0 && l->deferred)
		wait_flushed(l, &me);
	pthread_mutex_unlock(&l->lock);
	if (me.rc != 0) {
		*err = me.err;
		return me.rc;
	}
	*index = (int64_t)me.ent.index;
	eg__merkle_hex(leaf_hex, me.ent.leaf_hash);
	return 0;
}

/* --- reading the log: the public API --------------------------------------- */

/* The log and its signing key (created on first use). */
static int log_and_key(eg_engine *e, eg__dlog **l, eg__checkpoint_key **key,
                       eg_error *err)
{
	int created = 0, rc;

	if ((rc = log_open(e, l, err)) != 0)
		return rc;
	if (key == NULL)
		return 0;
	if ((*l)->key_path == NULL)
		return eg__error_set(err, EG_EINVAL, "the decision log of a PostgreSQL store signs "
		                     "with the key file $EXPORTGATE_AUDIT_KEY names (one file for "
		                     "every server); it is not set");
	rc = eg__checkpoint_key_load_or_create(key, &created, (*l)->key_path, err);
	if (rc == 0 && created)
		eg__engine_log(e, EG_LOG_INFO, "created the decision log's signing key %s",
		               (*l)->key_path);
	return rc;
}

/* json as a new string for the caller (eg_free), or EG_ENOMEM. */
static int give_json(char **out, json_t *o, eg_error *err)
{
	char *s = o ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;

	json_decref(o);
	if (s == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	*out = eg__strdup(s);
	free(s);
	return *out ? 0 : eg__error_set(err, EG_ENOMEM, "out of memory");
}

static json_t *proof_json(const eg__merkle_proof *p)
{
	json_t *a = json_array();
	char hex[65];
	size_t i;

	for (i = 0; a != NULL && i < p->len; i++) {
		eg__merkle_hex(hex, p->hash[i]);
		json_array_append_new(a, json_string(hex));
	}
	return a;
}

void eg_free(void *p)
{
	eg__free(p);
}

int eg_audit_size(eg_engine *e, uint64_t *size, eg_error *err)
{
	eg__dlog *l;
	int rc;

	eg__error_clear(err);
	*size = 0;
	if ((rc = log_open(e, &l, err)) != 0)
		return rc;
	*size = eg__audit_size(l->log);
	return 0;
}

int eg_audit_record(eg_engine *e, char **out, uint64_t index, eg_error *err)
{
	eg__audit_record r;
	eg__dlog *l;
	json_t *payload, *o;
	char hex[65];
	int rc;

	eg__error_clear(err);
	*out = NULL;
	if ((rc = log_open(e, &l, err)) != 0)
		return rc;
	pthread_mutex_lock(&l->lock); /* the payload lives until the next call */
	rc = eg__audit_get(l->log, &r, index, err);
	payload = rc == 0 ? json_loadb(r.payload, r.len, 0, NULL) : NULL;
	pthread_mutex_unlock(&l->lock);
	if (rc != 0)
		return rc;
	if (payload == NULL)
		return eg__error_set(err, EG_ESTORE, "decision log record %llu: its payload is not "
		                     "JSON: the log is damaged (run `exportgate audit verify`)",
		                     (unsigned long long)index);
	eg__merkle_hex(hex, r.leaf_hash);
	o = json_pack("{s:I, s:I, s:s, s:o}", "index", (json_int_t)r.index, "time_ms",
	              (json_int_t)r.time_ms, "leaf_hash", hex, "payload", payload);
	return give_json(out, o, err);
}

int eg_audit_prove(eg_engine *e, char **out, uint64_t index, uint64_t size, eg_error *err)
{
	eg__merkle_proof p;
	eg__dlog *l;
	uint8_t root[EG__MERKLE_HASH_LEN];
	char hex[65];
	int rc;

	eg__error_clear(err);
	*out = NULL;
	if ((rc = log_open(e, &l, err)) != 0)
		return rc;
	if (size == 0)
		size = eg__audit_size(l->log);
	if (index >= size)
		return eg__error_set(err, EG_ENOTFOUND, "decision log: no record %llu in a log of %llu",
		                     (unsigned long long)index, (unsigned long long)size);
	if ((rc = eg__audit_prove_inclusion(l->log, &p, index, size, err)) != 0 ||
	    (rc = eg__audit_root(l->log, root, size, err)) != 0)
		return rc;
	eg__merkle_hex(hex, root);
	return give_json(out, json_pack("{s:I, s:I, s:s, s:o}", "index", (json_int_t)index,
	                                "tree_size", (json_int_t)size, "root", hex,
	                                "inclusion_proof", proof_json(&p)), err);
}

int eg_audit_consistency(eg_engine *e, char **out, uint64_t old_size, uint64_t size,
                         eg_error *err)
{
	eg__merkle_proof p;
	eg__dlog *l;
	uint8_t r1[EG__MERKLE_HASH_LEN], r2[EG__MERKLE_HASH_LEN];
	char h1[65], h2[65];
	int rc;

	eg__error_clear(err);
	*out = NULL;
	if ((rc = log_open(e, &l, err)) != 0)
		return rc;
	if (size == 0)
		size = eg__audit_size(l->log);
	if (old_size > size)
		return eg__error_set(err, EG_EINVAL, "decision log: old size %llu is past the size %llu",
		                     (unsigned long long)old_size, (unsigned long long)size);
	if ((rc = eg__audit_prove_consistency(l->log, &p, old_size, size, err)) != 0 ||
	    (rc = eg__audit_root(l->log, r1, old_size, err)) != 0 ||
	    (rc = eg__audit_root(l->log, r2, size, err)) != 0)
		return rc;
	eg__merkle_hex(h1, r1);
	eg__merkle_hex(h2, r2);
	return give_json(out, json_pack("{s:I, s:s, s:I, s:s, s:o}", "old_size",
	                                (json_int_t)old_size, "old_root", h1, "tree_size",
	                                (json_int_t)size, "root", h2, "consistency_proof",
	                                proof_json(&p)), err);
}

int eg_audit_checkpoint(eg_engine *e, char **text, eg_error *err)
{
	eg__checkpoint_key *key = NULL;
	eg__dlog *l;
	char *t = NULL;
	int rc;

	eg__error_clear(err);
	*text = NULL;
	if ((rc = log_and_key(e, &l, &key, err)) != 0)
		return rc;
	rc = eg__audit_checkpoint(l->log, &t, key, LOG_ORIGIN, now_ms(), err);
	eg__checkpoint_key_free(key);
	*text = t;
	return rc;
}

int eg_audit_public_key(eg_engine *e, char **pem, eg_error *err)
{
	eg__checkpoint_key *key = NULL;
	eg__dlog *l;
	int rc;

	eg__error_clear(err);
	*pem = NULL;
	if ((rc = log_and_key(e, &l, &key, err)) != 0)
		return rc;
	rc = eg__checkpoint_key_public_pem(pem, key, err);
	eg__checkpoint_key_free(key);
	return rc;
}

int eg_audit_verify(eg_engine *e, char **out, int *ok, const char *old_checkpoint,
                    size_t old_len, eg_error *err)
{
	eg__checkpoint_key *key = NULL;
	eg__audit_report r;
	eg__dlog *l;
	json_t *o;
	int rc;

	eg__error_clear(err);
	*out = NULL;
	*ok = 0;
	if ((rc = log_and_key(e, &l, &key, err)) != 0)
		return rc;
	rc = eg__audit_verify(&r, l->log, key, old_checkpoint, old_len, err);
	eg__checkpoint_key_free(key);
	if (rc != 0)
		return rc;
	*ok = r.ok;
	o = json_pack("{s:b, s:I, s:I, s:I, s:b, s:s}", "ok", r.ok, "records",
	              (json_int_t)r.records, "checked", (json_int_t)r.checked,
	              "checkpoint_size", (json_int_t)r.checkpoint_size, "checkpoint_verified",
	              r.has_checkpoint, "problem", r.problem);
	if (o != NULL && old_checkpoint != NULL)
		json_object_set_new(o, "grew_from_old", json_boolean(r.grew_from_old));
	if (o != NULL && r.first_bad != UINT64_MAX)
		json_object_set_new(o, "first_bad", json_integer((json_int_t)r.first_bad));
	return give_json(out, o, err);
}

int eg_audit_export(eg_engine *e, char **out, eg_error *err)
{
	eg__audit_export_options o;
	eg__checkpoint_key *key = NULL;
	eg__dlog *l;
	char *s = NULL;
	int rc;

	eg__error_clear(err);
	*out = NULL;
	if ((rc = log_and_key(e, &l, &key, err)) != 0)
		return rc;
	memset(&o, 0, sizeof(o));
	o.key = key;
	rc = eg__audit_export_json(&s, l->log, &o, err);
	eg__checkpoint_key_free(key);
	*out = s;
	return rc;
}
