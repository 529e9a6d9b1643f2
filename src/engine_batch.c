/* engine_batch.c - batch screening of a table of parties in PostgreSQL in the public API: runs created, chunks worked by threads, each with its own connection.
 *
 * A worker thread owns one store connection (a PostgreSQL connection serves
 * one thread at a time) and a eg__pgbatch handle on it; it claims a chunk,
 * screens its parties through eg_screen on the shared engine, and commits
 * their results with the chunk (src/store/pg_batch.c). The first error
 * stops every thread after its chunk in progress; a chunk whose screening
 * failed is rolled back, never committed with a silent "no hit". */
#include "engine_impl.h"
#include "match/index.h"
#include "store/pg_batch.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/error.h"
#include "text/normalize.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH_DEFAULT_TABLE "parties"
#define BATCH_DEFAULT_CHUNK 1000
#define BATCH_DEFAULT_LIMIT 3
#define BATCH_MAX_THREADS 256

/* One connection to the store and the batch statements on it. */
typedef struct conn {
	eg__store *store;
	eg__pgbatch *b;
} conn;

static void conn_close(conn *c)
{
	eg__pgbatch_close(c->b);
	eg__store_close(c->store);
	c->b = NULL;
	c->store = NULL;
}

static int conn_open(conn *c, eg_engine *e, eg_error *err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if (e->read_only)
		return eg__error_set(err, EG_ESTORE, "batch: the engine is read-only");
	if ((rc = eg__store_open(&c->store, e->store_path, 0, err)) != 0)
		return rc;
	if (eg__store_pg_conn(c->store) == NULL) {
		conn_close(c);
		return eg__error_set(err, EG_EUNSUPPORTED, "batch: screening a table of parties "
		                     "needs a PostgreSQL store (--store postgresql://...)");
	}
	if ((rc = eg__pgbatch_open(&c->b, eg__store_pg_conn(c->store),
	                           eg__store_pg_name(c->store), err)) != 0)
		conn_close(c);
	return rc;
}

int eg_batch_enqueue(eg_engine *e, eg_batch_run *out, const eg_batch_options *opts,
                     eg_error *err)
{
	eg_batch_options o = EG_BATCH_OPTIONS_INIT;
	conn c;
	int rc;

	memset(out, 0, sizeof(*out));
	if (opts != NULL)
		o = *opts;
	if (o.table == NULL)
		o.table = BATCH_DEFAULT_TABLE;
	if (o.chunk_rows == 0)
		o.chunk_rows = BATCH_DEFAULT_CHUNK;
	if (o.limit == 0)
		o.limit = BATCH_DEFAULT_LIMIT;
	if (o.min_score < 0)
		o.min_score = eg_default_threshold();
	if ((rc = conn_open(&c, e, err)) != 0)
		return rc;
	if (o.since < 0) {
		conn_close(&c);
		return eg__error_set(err, EG_EINVAL, "batch: since %lld: a list version id",
		                     (long long)o.since);
	}
	if (o.since > 0) {
		/* The version must exist, and some version be newer. */
		eg_list_version *vs = NULL;
		size_t n = 0, i, newer = 0;
		int found = 0;
		if ((rc = eg_list_versions(e, &vs, &n, err)) != 0) {
			conn_close(&c);
			return rc;
		}
		for (i = 0; i < n; i++) {
			found |= vs[i].id == o.since;
			newer += vs[i].id > o.since;
		}
		eg_list_versions_free(vs);
		if (!found || newer == 0) {
			conn_close(&c);
			return eg__error_set(err, EG_ENOTFOUND, !found ? "batch: --since %lld: no such "
			                     "list version" : "batch: --since %lld: no list version is "
			                     "newer: a delta run would find nothing", (long long)o.since);
		}
	}
	rc = eg__pgbatch_enqueue(c.b, out, o.table, o.chunk_rows, o.min_score, o.limit, o.since,
	                         err);
	conn_close(&c);
	return rc;
}

int eg_batch_status(eg_engine *e, eg_batch_run *out, const eg_batch_options *opts,
                    eg_error *err)
{
	conn c;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = conn_open(&c, e, err)) != 0)
		return rc;
	rc = eg__pgbatch_run(c.b, out, opts != NULL ? opts->run : 0, 0, err);
	conn_close(&c);
	return rc;
}

/* --- working ------------------------------------------------------------------ */

typedef struct work {
	eg_engine *e;
	eg_batch_run run;
	/* A delta run: the updates of the versions newer than run.since. */
	eg__update *u;
	size_t n_u;
	int64_t *u_ids;
	char **u_labels;
	char worker[128];
	size_t max_chunks;
	int (*stop_fn)(void *);   /* eg_batch_options.stop */
	void *stop_ud;
	pthread_mutex_t lock;     /* everything below */
	size_t claimed;           /* chunks claimed or being claimed (max_chunks) */
	int stop;
	int have_err;
	eg_error err;             /* the first error */
	eg_batch_report rep;
} work;

typedef struct worker_arg {
	work *w;
	size_t index;
	conn c;                   /* opened by the caller, so an unreachable
	                             store fails before any thread starts */
} worker_arg;

/* Whether the caller asked to stop (its flag may be set by a signal at
 * any time: asked again each time). */
static int stop_asked(const work *w)
{
	return w->stop_fn != NULL && w->stop_fn(w->stop_ud) != 0;
}

static void fail(work *w, const eg_error *err)
{
	pthread_mutex_lock(&w->lock);
	if (!w->have_err) {
		w->err = *err;
		w->have_err = 1;
	}
	w->stop = 1;
	pthread_mutex_unlock(&w->lock);
}

/* Screens party i of the claimed chunk and records its result. */
static int screen_party(work *w, eg__pgbatch *b, size_t i, eg_error *err)
{
	eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
	eg_hits *hits = NULL;
	const char *name, *type;
	char why[EG_ERROR_MESSAGE_MAX + 64];
	int64_t id;
	size_t len;
	int rc;

	eg__pgbatch_party(b, i, &id, &name, &len, &type);
	so.min_score = w->run.min_score;
	so.limit = w->run.limit;
	if (name == NULL)
		return eg__pgbatch_add(b, i, NULL, "column name: NULL", err);
	if (type != NULL && type[0] != '\0' && eg_type_parse(&so.type, type) != 0) {
		snprintf(why, sizeof(why), "column type: \"%.64s\": individual, entity, vessel, "
		         "aircraft or any", type);
		return eg__pgbatch_add(b, i, NULL, why, err);
	}
	rc = eg_screen(w->e, &hits, name, len, &so, err);
	if (rc == EG_EUTF8 || rc == EG_EINVAL || rc == EG_EEMPTY || rc == EG_ETOOBIG) {
		const char *m = err->message;
		if (strncmp(m, "name: ", 6) == 0)
			m += 6;
		else if (strncmp(m, "query: ", 7) == 0)
			m += 7;
		snprintf(why, sizeof(why), "column name: %s", m);
		return eg__pgbatch_add(b, i, NULL, why, err);
	}
	if (rc != 0)
		return rc;
	rc = eg__pgbatch_add(b, i, hits, NULL, err);
	eg_hits_free(hits);
	return rc;
}

/* What a delta run's thread keeps between parties. */
typedef struct delta {
	eg__norm *q;
	eg__match *m;         /* run.limit matches of one update */
	eg__pgbatch_hit *h;   /* every update's, gathered */
	size_t cap_h;
} delta;

static int cmp_hit(const void *a, const void *b)
{
	const eg__pgbatch_hit *x = a, *y = b;

	return x->score < y->score ? 1 : x->score > y->score ? -1 : 0;
}

/* Screens party i of the claimed chunk against only the updates' new and
 * changed entries (as eg_rescreen does for logged parties). */
static int delta_party(work *w, delta *d, eg__pgbatch *b, size_t i, eg_error *err)
{
	eg__search_opts so;
	eg__index_qprep *qp = NULL;
	const char *name, *type;
	char why[EG_ERROR_MESSAGE_MAX + 64];
	eg_entity_type t = EG_TYPE_ANY;
	int64_t id;
	size_t len, k, j, n, nh = 0;
	int rc;

	eg__pgbatch_party(b, i, &id, &name, &len, &type);
	if (name == NULL)
		return eg__pgbatch_add(b, i, NULL, "column name: NULL", err);
	if (type != NULL && type[0] != '\0' && eg_type_parse(&t, type) != 0) {
		snprintf(why, sizeof(why), "column type: \"%.64s\": individual, entity, vessel, "
		         "aircraft or any", type);
		return eg__pgbatch_add(b, i, NULL, why, err);
	}
	rc = eg__text_normalize(d->q, name, len, err);
	if (rc == EG_ENOMEM)
		return rc;
	if (rc != 0 || d->q->n == 0) {
		snprintf(why, sizeof(why), "column name: %s",
		         rc == 0 ? "no word to screen" : err->message);
		eg__error_clear(err);
		return eg__pgbatch_add(b, i, NULL, why, err);
	}
	if ((rc = eg__index_qprep_new(&qp, d->q, err)) != 0)
		return rc;
	memset(&so, 0, sizeof(so));
	so.min_score = w->run.min_score;
	so.type = t;
	so.qprep = qp;
	for (k = 0; k < w->n_u && rc == 0; k++) {
		const eg__update *u = &w->u[k];
		if (u->n_ents == 0)
			continue;
		if ((rc = eg__index_search(u->ix, d->m, w->run.limit, &n, NULL, d->q, &so, err)) != 0)
			break;
		for (j = 0; j < n; j++) {
			const eg__entity *x = u->ents[d->m[j].entity];
			eg__pgbatch_hit *h;
			if (nh == d->cap_h) {
				size_t cap = d->cap_h ? 2 * d->cap_h : 16;
				eg__pgbatch_hit *nb = eg__realloc(d->h, cap * sizeof(*nb));
				if (nb == NULL) {
					rc = eg__error_set(err, EG_ENOMEM, "batch: out of memory");
					break;
				}
				d->h = nb;
				d->cap_h = cap;
			}
			h = &d->h[nh++];
			h->score = d->m[j].score;
			h->source = u->to.source;
			h->uid = x->uid;
			h->matched_name = x->names[d->m[j].name_no].text;
			h->primary_name = x->n_names > 0 ? x->names[0].text : "";
			h->version_id = u->to.id;
		}
	}
	eg__index_qprep_free(qp);
	if (rc != 0)
		return rc;
	if (nh > 1) /* d->h is NULL until a hit is kept */
		qsort(d->h, nh, sizeof(*d->h), cmp_hit);
	if (nh > w->run.limit)
		nh = w->run.limit;
	return eg__pgbatch_add_hits(b, i, d->h, nh, w->u_ids, (const char *const *)w->u_labels,
	                            w->n_u, err);
}

static void *worker_main(void *arg)
{
	worker_arg *a = arg;
	work *w = a->w;
	char who[160];
	eg_error err;

	delta d;

	memset(&d, 0, sizeof(d));
	snprintf(who, sizeof(who), "%s/%zu", w->worker, a->index);
	if (w->n_u > 0 && ((d.q = eg__calloc(1, sizeof(*d.q))) == NULL ||
	                   (d.m = eg__calloc(w->run.limit, sizeof(*d.m))) == NULL)) {
		eg__error_set(&err, EG_ENOMEM, "batch: out of memory");
		fail(w, &err);
		goto done;
	}
	for (;;) {
		uint64_t counts[4];
		size_t n = 0, i;
		int got = 0, chunk = 0, rc = 0;

		pthread_mutex_lock(&w->lock);
		if (w->stop || (w->max_chunks > 0 && w->claimed >= w->max_chunks) ||
		    stop_asked(w)) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		w->claimed++;
		pthread_mutex_unlock(&w->lock);
		if ((rc = eg__pgbatch_claim(a->c.b, &w->run, &got, &chunk, &n, &err)) != 0) {
			fail(w, &err);
			break;
		}
		if (!got) {
			pthread_mutex_lock(&w->lock);
			w->claimed--;
			pthread_mutex_unlock(&w->lock);
			break;
		}
		for (i = 0; rc == 0 && i < n; i++)
			rc = w->n_u > 0 ? delta_party(w, &d, a->c.b, i, &err)
			                : screen_party(w, a->c.b, i, &err);
		if (rc != 0) {
			eg__pgbatch_abort(a->c.b);
			eg__error_set(&err, err.code, "batch run %lld chunk %d: %s",
			              (long long)w->run.id, chunk, err.message);
			fail(w, &err);
			break;
		}
		if ((rc = eg__pgbatch_finish(a->c.b, who, counts, &err)) != 0) {
			fail(w, &err);
			break;
		}
		pthread_mutex_lock(&w->lock);
		w->rep.chunks++;
		w->rep.screened += counts[0];
		w->rep.rejected += counts[1];
		w->rep.with_hits += counts[2];
		w->rep.hits += counts[3];
		pthread_mutex_unlock(&w->lock);
	}
done:
	eg__free(d.q);
	eg__free(d.m);
	eg__free(d.h);
	return NULL;
}

/* A delta run: the updates of every version newer than run.since. */
static int delta_prepare(work *w, eg_error *err)
{
	eg__versions *vs = NULL;
	size_t i, n = 0;
	char label[64];
	int rc;

	if ((rc = eg__catalog_versions(w->e->cat, &vs, err)) != 0)
		return rc;
	for (i = 0; i < vs->n; i++)
		n += vs->v[i].id > w->run.since;
	if (n == 0) {
		eg__versions_release(vs);
		return eg__error_set(err, EG_ENOTFOUND, "batch run %lld: no list version newer than "
		                     "%lld", (long long)w->run.id, (long long)w->run.since);
	}
	if ((w->u = eg__calloc(n, sizeof(*w->u))) == NULL ||
	    (w->u_ids = eg__calloc(n, sizeof(*w->u_ids))) == NULL ||
	    (w->u_labels = eg__calloc(n, sizeof(*w->u_labels))) == NULL) {
		eg__versions_release(vs);
		return eg__error_set(err, EG_ENOMEM, "batch: out of memory");
	}
	for (i = 0; i < vs->n && rc == 0; i++) {
		const eg_list_version *v = &vs->v[i];
		if (v->id <= w->run.since)
			continue;
		rc = eg__update_prepare(w->e, &w->u[w->n_u], v, err);
		w->u_ids[w->n_u] = v->id;
		snprintf(label, sizeof(label), "%s:%lld", v->source, (long long)v->id);
		if ((w->u_labels[w->n_u] = eg__strdup(label)) == NULL && rc == 0)
			rc = eg__error_set(err, EG_ENOMEM, "batch: out of memory");
		w->n_u++;
	}
	eg__versions_release(vs);
	return rc;
}

static void delta_dispose(work *w)
{
	size_t i;

	for (i = 0; i < w->n_u; i++) {
		eg__update_dispose(&w->u[i]);
		eg__free(w->u_labels[i]);
	}
	eg__free(w->u);
	eg__free(w->u_ids);
	eg__free(w->u_labels);
	w->u = NULL;
	w->u_ids = NULL;
	w->u_labels = NULL;
	w->n_u = 0;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Works on w->run with the threads until no chunk of it is left free (or
 * a stop): the lists it needs loaded first, its chunks then claimed by
 * every thread. The seconds of the work are added to w->rep. */
static int work_run(work *w, worker_arg *args, size_t threads, eg_error *err)
{
	pthread_t *tids = NULL;
	size_t i, started = 0;
	double t0;
	int rc = 0;

	if (w->run.since == 0) {
		/* Options no party can fix (no list at all, a store that cannot be
		 * read) fail here, once, before a chunk is claimed. */
		eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
		eg_hits *probe = NULL;
		so.min_score = w->run.min_score;
		so.limit = w->run.limit;
		if ((rc = eg_screen(w->e, &probe, "probe", 5, &so, err)) != 0)
			return rc;
		eg_hits_free(probe);
	}
	if (w->run.since > 0 && (rc = delta_prepare(w, err)) != 0)
		goto done;
	if ((tids = eg__calloc(threads, sizeof(*tids))) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "batch: out of memory");
		goto done;
	}
	t0 = mono_s(); /* the work, the indexes loaded */
	for (i = 0; i < threads; i++) {
		if (pthread_create(&tids[i], NULL, worker_main, &args[i]) != 0) {
			eg_error e2;
			eg__error_set(&e2, EG_ENOMEM, "batch: cannot start a thread");
			fail(w, &e2);
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	w->rep.seconds += mono_s() - t0;
	if (w->have_err) {
		*err = w->err;
		rc = w->err.code != 0 ? w->err.code : EG_ESTORE;
	}
done:
	delta_dispose(w);
	eg__free(tids);
	return rc;
}

/* Waits, on the listening connection, until a run is announced, or
 * EG_BATCH_POLL_MS pass, or a stop is asked, or the idle time is over
 * (*idle 1). */
static int wait_runs(work *w, eg__pgbatch *b, double idle_since, double idle_seconds,
                     int *idle, eg_error *err)
{
	double until = mono_s() + EG_BATCH_POLL_MS / 1000.0, now;
	int got = 0, rc;

	*idle = 0;
	while (!stop_asked(w)) {
		now = mono_s();
		if (idle_seconds > 0 && now - idle_since >= idle_seconds) {
			*idle = 1;
			return 0;
		}
		if (now >= until)
			return 0;
		/* slices of at most 250 ms, so that a stop is seen soon */
		if ((rc = eg__pgbatch_wait(b, 250, &got, err)) != 0)
			return rc;
		if (got)
			return 0;
	}
	return 0;
}

int eg_batch_work(eg_engine *e, eg_batch_report *out, const eg_batch_options *opts,
                  eg_error *err)
{
	eg_batch_options o = EG_BATCH_OPTIONS_INIT;
	worker_arg *args = NULL;
	work w;
	size_t i, opened = 0;
	double idle_since;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	if (opts != NULL) {
		if (opts->version < 1 || opts->version > EG_BATCH_OPTIONS_VERSION)
			return eg__error_set(err, EG_EINVAL, "eg_batch_options: version %u, expected 1 "
			                     "to %u", opts->version, EG_BATCH_OPTIONS_VERSION);
		/* the fields the caller's version knows */
		memcpy(&o, opts, opts->version == 1 ? offsetof(eg_batch_options, wait) : sizeof(o));
	}
	if (o.threads == 0)
		o.threads = 1;
	if (o.threads > BATCH_MAX_THREADS)
		return eg__error_set(err, EG_EINVAL, "batch: %zu threads (1..%d)", o.threads,
		                     BATCH_MAX_THREADS);
	if (!(o.idle_seconds >= 0.0))
		return eg__error_set(err, EG_EINVAL, "batch: idle_seconds %g: 0 or more",
		                     o.idle_seconds);
	w.e = e;
	w.max_chunks = o.max_chunks;
	w.stop_fn = o.stop;
	w.stop_ud = o.stop_ud;
	if (o.worker != NULL) {
		snprintf(w.worker, sizeof(w.worker), "%s", o.worker);
	} else {
		char host[64] = "";
		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		snprintf(w.worker, sizeof(w.worker), "%s:%ld", host, (long)getpid());
	}
	pthread_mutex_init(&w.lock, NULL);
	if ((args = eg__calloc(o.threads, sizeof(*args))) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "batch: out of memory");
		goto done;
	}
	for (i = 0; i < o.threads; i++) {
		if ((rc = conn_open(&args[i].c, e, err)) != 0)
			goto done;
		opened++;
		args[i].w = &w;
		args[i].index = i;
	}
	/* LISTEN before the first look for a run: a run enqueued after that
	 * look is announced to this connection. Announcements that arrive
	 * while the threads work wait in it and end the next wait at once. */
	if (o.wait && (rc = eg__pgbatch_listen(args[0].c.b, err)) != 0)
		goto done;
	idle_since = mono_s();
	for (;;) {
		size_t before = w.rep.chunks;
		int idle = 0;
		rc = eg__pgbatch_run(args[0].c.b, &w.run, o.run,
		                     o.run != 0 ? 0 : o.wait ? 2 : 1, err);
		if (rc == EG_ENOTFOUND && o.run == 0) {
			rc = 0; /* nothing left to do now */
			eg__error_clear(err);
		} else if (rc != 0) {
			goto done;
		} else if (o.wait && o.run != 0 && w.run.chunks_done >= w.run.chunks) {
			out->run = w.run.id; /* the run waited for is done */
			break;
		} else {
			if ((rc = work_run(&w, args, o.threads, err)) != 0)
				goto done;
			w.rep.run = w.run.id;
			w.rep.runs++;
		}
		if (w.rep.chunks > before)
			idle_since = mono_s();
		if (!o.wait || stop_asked(&w) ||
		    (w.max_chunks > 0 && w.claimed >= w.max_chunks))
			break;
		if (w.rep.chunks > before)
			continue; /* look again at once: more may be free */
		if ((rc = wait_runs(&w, args[0].c.b, idle_since, o.idle_seconds, &idle, err)) != 0)
			goto done;
		if (idle || stop_asked(&w))
			break;
	}
	*out = w.rep;
	if (out->run == 0 && o.run != 0)
		out->run = o.run;
done:
	delta_dispose(&w);
	for (i = 0; i < opened; i++)
		conn_close(&args[i].c);
	pthread_mutex_destroy(&w.lock);
	eg__free(args);
	return rc;
}
