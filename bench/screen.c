/* screen.c - bench-screen: exportgate's index beside a brute-force Jaro-Winkler scan and pg_trgm, same names, same queries, one run.
 *
 * Usage: bench-screen [--data DIR] [--eval DIR] [--pg CONNINFO] [--quick]
 *                     [--names N] [--brute-1m N] [--pg-1m N] [--gist-1m]
 *                     [--no-brute] [--slowest N]
 * (run from the repository root; bench/run-screen.sh starts PostgreSQL and
 * passes --pg). Without --pg the pg_trgm rows are skipped.
 *
 * Corpora: every name and alias of the bundled OFAC SDN list of 2021-07,
 * then (unless --quick) N names (default 1,000,000): those SDN names plus
 * synthetic names built from the tokens of the SDN and UN lists.
 * Queries: the rows of EVAL/screen.tsv whose list is us-ofac-sdn.
 *
 * Each method answers every query once to warm up, then --repeat times
 * (default 3), one thread; a query's latency is its fastest timed pass,
 * taken with CLOCK_MONOTONIC around the call: for
 * exportgate, normalisation plus index search (as eg_screen does); for
 * brute force, lowercasing the query and scoring every name; for pg_trgm,
 * the prepared statement's round trip over the socket. See docs/bench.md
 * for what every figure means.
 */
#include "brute.h"
#include "corpus.h"
#include "pg.h"
#include "results.h"

#include "exportgate.h"
#include "lists/format.h"
#include "match/index.h"
#include "text/normalize.h"
#include "util/alloc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SDN_DIR "lists/ofac_sdn_2021-07"
#define UN_DIR "lists/un_sc_2026-02"
#define LIST "us-ofac-sdn"
#define SEED 0x6567656e63686d31ULL
#define FPR_MAX 0.01

/* --- the figures of one method on one corpus ------------------------------ */

typedef struct quality {
	double thr;          /* the threshold applied */
	double recall, recall1, fpr;
	size_t n_pos, n_neg;
} quality;

typedef struct row {
	char method[48];
	char note[80];
	int ran;
	double floor;        /* the method drops scores below this (min_score) */
	size_t n_queries;    /* timed */
	double median_us, p99_us, qps;
	int has_cpu;
	double cpu_median_us, cpu_p99_us; /* this thread's CPU time per query */
	quality at_fpr;      /* at the lowest threshold with FPR <= 1% */
	int has_fixed;
	quality fixed;       /* at the default threshold (exportgate) */
	int has_breakdown;   /* exportgate: normalisation time, names scored */
	double norm_median_us, norm_p99_us;
	size_t scored_median, scored_p99;
} row;

typedef int (*search_fn)(void *ctx, const bench_query *q, bench_result *out);

/* --slowest N: the N slowest queries of each method, and the N negatives
 * it scores highest, go to stderr; g_corpus names their top entities. */
static size_t g_slowest;
/* Timed passes over the queries; a query's latency is its fastest pass, so
 * a pass that another process interrupted does not count (same for every
 * method). */
static size_t g_repeat = 3;
static const bench_corpus *g_corpus;

/* The first name of an entity (names are grouped by entity, in order). */
static const char *entity_name(uint32_t entity)
{
	size_t lo = 0, hi = g_corpus->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g_corpus->entity[mid] < entity)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g_corpus->n ? bench_corpus_name(g_corpus, lo) : "?";
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static const uint64_t *g_sort_by;

static int cmp_by_lat(const void *a, const void *b)
{
	uint64_t x = g_sort_by[*(const size_t *)a], y = g_sort_by[*(const size_t *)b];
	return x > y ? -1 : x < y;
}

static double median_of(const uint64_t *sorted, size_t n)
{
	return n % 2 ? (double)sorted[n / 2]
	             : ((double)sorted[n / 2 - 1] + (double)sorted[n / 2]) / 2.0;
}

static double p99_of(const uint64_t *sorted, size_t n)
{
	return (double)sorted[(size_t)ceil(0.99 * (double)n) - 1];
}

static int cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x > y ? -1 : x < y;
}

/* The expected entity's best score among the hits, or -1. */
static double want_score(const bench_query *q, const bench_result *r)
{
	double best = -1.0;
	size_t i, k;

	for (i = 0; i < r->n; i++)
		for (k = 0; k < q->n_want; k++)
			if (r->hit[i].entity == q->want[k] && r->hit[i].score > best)
				best = r->hit[i].score;
	return best;
}

static int first_is_wanted(const bench_query *q, const bench_result *r)
{
	size_t k;

	if (r->n == 0)
		return 0;
	for (k = 0; k < q->n_want; k++)
		if (r->hit[0].entity == q->want[k])
			return 1;
	return 0;
}

/* Quality at threshold thr: a hit counts when its score >= thr (a score of
 * -1 is no hit at all). */
static quality quality_at(const bench_query *const *qs, const bench_result *res, size_t n,
                          double thr)
{
	quality o;
	size_t i, rec = 0, rec1 = 0, fp = 0;

	memset(&o, 0, sizeof(o));
	o.thr = thr;
	for (i = 0; i < n; i++) {
		const bench_query *q = qs[i];
		if (q->expect[0] == '\0') {
			o.n_neg++;
			if (res[i].n > 0 && res[i].hit[0].score >= thr)
				fp++;
		} else {
			o.n_pos++;
			if (want_score(q, &res[i]) >= thr)
				rec++;
			if (first_is_wanted(q, &res[i]) && res[i].hit[0].score >= thr)
				rec1++;
		}
	}
	o.recall = o.n_pos ? (double)rec / (double)o.n_pos : 0;
	o.recall1 = o.n_pos ? (double)rec1 / (double)o.n_pos : 0;
	o.fpr = o.n_neg ? (double)fp / (double)o.n_neg : 0;
	return o;
}

/* The lowest threshold whose false-positive rate on the negatives is at
 * most FPR_MAX: just above the (k+1)-th highest negative top score, k the
 * false positives allowed. Recall falls as the threshold rises, so this
 * threshold gives the method's best recall at that FPR. */
static quality quality_at_fpr(const bench_query *const *qs, const bench_result *res, size_t n,
                              double floor_thr)
{
	double *neg = bench_xmalloc((n + 1) * sizeof(double)), thr;
	size_t i, n_neg = 0, allowed;

	for (i = 0; i < n; i++)
		if (qs[i]->expect[0] == '\0')
			neg[n_neg++] = res[i].n > 0 ? res[i].hit[0].score : -1.0;
	qsort(neg, n_neg, sizeof(double), cmp_desc);
	allowed = (size_t)floor(FPR_MAX * (double)n_neg + 1e-9);
	if (allowed >= n_neg || neg[allowed] < 0)
		thr = 0.0; /* fewer negatives than allowed get any hit at all */
	else
		thr = nextafter(neg[allowed], 2.0);
	/* a method that already drops scores below floor_thr cannot go lower */
	if (thr < floor_thr)
		thr = floor_thr;
	eg__free(neg);
	return quality_at(qs, res, n, thr);
}

/* Answers the queries twice (warm-up on the first `warm` of them, then all
 * timed) and fills the row's timing and quality. With cpu, also this
 * thread's CPU time per query (meaningful for in-process methods only: on a
 * busy machine wall time also counts the time other processes ran). */
static int run_method(row *r, search_fn fn, void *ctx, const bench_query *const *qs, size_t n,
                      size_t warm, double fixed_thr, int cpu)
{
	uint64_t *lat = bench_xmalloc((n + 1) * sizeof(uint64_t)), total = 0;
	uint64_t *cpu_ns = bench_xmalloc((n + 1) * sizeof(uint64_t));
	size_t *order = bench_xmalloc((n + 1) * sizeof(size_t));
	bench_result *res = bench_xmalloc((n + 1) * sizeof(bench_result));
	size_t i;
	int rc = 0;

	for (i = 0; i < warm && i < n && rc == 0; i++)
		rc = fn(ctx, qs[i], &res[i]);
	for (i = 0; i < n; i++)
		lat[i] = cpu_ns[i] = UINT64_MAX;
	{
		size_t pass;
		for (pass = 0; pass < g_repeat && rc == 0; pass++) {
			for (i = 0; i < n && rc == 0; i++) {
				uint64_t c0 = cpu ? thread_cpu_ns() : 0, t0 = bench_now_ns(), dt, dc;
				rc = fn(ctx, qs[i], &res[i]);
				dt = bench_now_ns() - t0;
				dc = cpu ? thread_cpu_ns() - c0 : 0;
				if (dt < lat[i])
					lat[i] = dt;
				if (dc < cpu_ns[i])
					cpu_ns[i] = dc;
			}
		}
		for (i = 0; i < n; i++)
			total += lat[i];
	}
	if (rc == 0 && n > 0) {
		if (g_slowest > 0) {
			for (i = 0; i < n; i++)
				order[i] = i;
			g_sort_by = lat;
			qsort(order, n, sizeof(size_t), cmp_by_lat);
			for (i = 0; i < g_slowest && i < n; i++)
				fprintf(stderr, "slowest %s: %.1f us (cpu %.1f us) id %s \"%s\"\n",
				        r->method, (double)lat[order[i]] / 1e3,
				        (double)cpu_ns[order[i]] / 1e3, qs[order[i]]->id,
				        qs[order[i]]->text);
			uint64_t *key = bench_xmalloc((n + 1) * sizeof(uint64_t));
			for (i = 0; i < n; i++) {
				order[i] = i;
				/* negatives ranked by their top score */
				key[i] = qs[i]->expect[0] == '\0' && res[i].n > 0
				                 ? (uint64_t)(res[i].hit[0].score * 1e6) + 1
				                 : 0;
			}
			g_sort_by = key;
			qsort(order, n, sizeof(size_t), cmp_by_lat);
			for (i = 0; i < g_slowest && i < n && key[order[i]] > 0; i++)
				fprintf(stderr, "negative %s: %.3f id %s \"%s\" -> \"%s\"\n", r->method,
				        res[order[i]].hit[0].score, qs[order[i]]->id, qs[order[i]]->text,
				        entity_name(res[order[i]].hit[0].entity));
			eg__free(key);
		}
		r->at_fpr = quality_at_fpr(qs, res, n, r->floor);
		if (fixed_thr >= 0) {
			r->has_fixed = 1;
			r->fixed = quality_at(qs, res, n, fixed_thr);
		}
		qsort(lat, n, sizeof(uint64_t), cmp_u64);
		r->ran = 1;
		r->n_queries = n;
		r->median_us = median_of(lat, n) / 1e3;
		r->p99_us = p99_of(lat, n) / 1e3;
		r->qps = (double)n / ((double)total / 1e9);
		if (cpu) {
			qsort(cpu_ns, n, sizeof(uint64_t), cmp_u64);
			r->has_cpu = 1;
			r->cpu_median_us = median_of(cpu_ns, n) / 1e3;
			r->cpu_p99_us = p99_of(cpu_ns, n) / 1e3;
		}
	}
	eg__free(res);
	eg__free(order);
	eg__free(cpu_ns);
	eg__free(lat);
	return rc;
}

/* --- the three methods ----------------------------------------------------- */

typedef struct eg_ctx {
	const eg__index *ix;
	eg__norm *norm;
	eg__match *m;
	double min_score;
	/* per query of the last pass (call number modulo n): where the time
	 * goes, for the notes under the table */
	size_t calls, n;
	uint64_t *norm_ns;
	size_t *scored;
} eg_ctx;

static int eg_search(void *vctx, const bench_query *q, bench_result *out)
{
	eg_ctx *c = vctx;
	eg__search_opts so = {0};
	eg_error err;
	size_t n = 0, i, k = c->calls++ % c->n;
	uint64_t t0 = bench_now_ns();
	int rc;

	memset(&err, 0, sizeof(err));
	c->scored[k] = 0;
	out->n = 0;
	so.type = EG_TYPE_ANY;
	so.min_score = c->min_score;
	so.max_candidates = 0;
	/* A query the normaliser refuses or that has no letters is no hit,
	 * as eg_screen would refuse it. */
	rc = eg__text_normalize(c->norm, q->text, strlen(q->text), &err);
	c->norm_ns[k] = bench_now_ns() - t0;
	if (rc != 0)
		return 0;
	if (eg__index_search(c->ix, c->m, BENCH_TOP, &n, &c->scored[k], c->norm, &so, &err) != 0) {
		fprintf(stderr, "bench-screen: search: %s\n", err.message);
		return -1;
	}
	for (i = 0; i < n; i++) {
		out->hit[i].entity = c->m[i].entity;
		out->hit[i].score = c->m[i].score;
	}
	out->n = n;
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Median normalisation time and names scored per query of the last pass. */
static void eg_breakdown(row *r, eg_ctx *c)
{
	qsort(c->norm_ns, c->n, sizeof(uint64_t), cmp_u64);
	qsort(c->scored, c->n, sizeof(size_t), cmp_size);
	r->norm_median_us = median_of(c->norm_ns, c->n) / 1e3;
	r->norm_p99_us = p99_of(c->norm_ns, c->n) / 1e3;
	r->scored_median = c->scored[c->n / 2];
	r->scored_p99 = c->scored[(size_t)ceil(0.99 * (double)c->n) - 1];
	r->has_breakdown = 1;
}

static int brute_search(void *ctx, const bench_query *q, bench_result *out)
{
	bench_brute_search(ctx, q->text, strlen(q->text), out);
	return 0;
}

static int pg_search(void *ctx, const bench_query *q, bench_result *out)
{
	return bench_pg_search(ctx, q->text, out);
}

/* --- one corpus ------------------------------------------------------------ */

typedef struct options {
	const char *data, *eval, *pg;
	int quick, gist_1m, no_brute;
	size_t names, brute_big, pg_big;
} options;

#define MAX_ROWS 6

typedef struct corpus_figures {
	char label[96];
	size_t n_names, n_entities, name_bytes, n_queries;
	double build_s;
	size_t memory, vocabulary;
	row rows[MAX_ROWS];
	size_t n_rows;
	int eg_row, brute_row, pg_row; /* -1: not run; pg_row: the faster pg_trgm */
} corpus_figures;

static int build_index(eg__index **out, const bench_corpus *c, double *secs)
{
	eg__index_builder *b = NULL;
	eg_error err;
	uint64_t t0 = bench_now_ns();
	size_t i;
	int rc;

	memset(&err, 0, sizeof(err));
	if ((rc = eg__index_builder_new(&b, &err)) != 0)
		goto fail;
	for (i = 0; i < c->n; i++) {
		rc = eg__index_builder_add(b, c->entity[i], c->name_no[i],
		                           (eg_entity_type)c->type[i], c->weak[i],
		                           bench_corpus_name(c, i), c->len[i], &err);
		/* as eg__index_from_set: a name the normaliser refuses is left out */
		if (rc == EG_EUTF8 || rc == EG_EINVAL || rc == EG_ETOOBIG)
			rc = 0;
		if (rc != 0) {
			eg__index_builder_free(b);
			goto fail;
		}
	}
	if ((rc = eg__index_builder_finish(b, out, &err)) != 0)
		goto fail;
	*secs = (double)(bench_now_ns() - t0) / 1e9;
	return 0;
fail:
	fprintf(stderr, "bench-screen: index: %s\n", err.message);
	return rc;
}

/* Picks n queries spread evenly over all of them (every k-th), so a
 * subset keeps the mix of positives and negatives. */
static size_t pick(const bench_query **out, const bench_queries *qs, size_t n)
{
	size_t i;

	if (n == 0 || n >= qs->n) {
		for (i = 0; i < qs->n; i++)
			out[i] = &qs->v[i];
		return qs->n;
	}
	for (i = 0; i < n; i++)
		out[i] = &qs->v[i * qs->n / n];
	return n;
}

static row *new_row(corpus_figures *f, const char *method)
{
	row *r = &f->rows[f->n_rows++];

	memset(r, 0, sizeof(*r));
	snprintf(r->method, sizeof(r->method), "%s", method);
	return r;
}

static void progress(const char *what)
{
	fprintf(stderr, "bench-screen: %s\n", what);
}

static int run_corpus(corpus_figures *f, const bench_corpus *c, bench_queries *qs,
                      const options *o, bench_pg *pg, int big)
{
	const bench_query **all = bench_xmalloc((qs->n + 1) * sizeof(*all));
	eg__index *ix = NULL;
	eg_ctx ec;
	size_t n_all, n_sub, missing;
	int rc = 0;
	char buf[160];

	f->eg_row = f->brute_row = f->pg_row = -1;
	g_corpus = c;
	f->n_names = c->n;
	f->n_entities = c->n_entities;
	f->name_bytes = c->name_bytes;
	missing = bench_queries_expect(qs, c);
	if (missing > 0)
		fprintf(stderr, "bench-screen: %zu expected names are not in the corpus\n", missing);
	n_all = pick(all, qs, 0);
	f->n_queries = n_all;

	/* (a) exportgate */
	snprintf(buf, sizeof(buf), "%s: building the exportgate index", f->label);
	progress(buf);
	if ((rc = build_index(&ix, c, &f->build_s)) != 0)
		goto done;
	f->memory = eg__index_memory(ix);
	f->vocabulary = eg__index_vocabulary(ix);
	memset(&ec, 0, sizeof(ec));
	ec.ix = ix;
	ec.norm = bench_xmalloc(sizeof(*ec.norm));
	ec.m = bench_xmalloc(BENCH_TOP * sizeof(*ec.m));
	ec.n = n_all;
	ec.norm_ns = bench_xmalloc((n_all + 1) * sizeof(*ec.norm_ns));
	ec.scored = bench_xmalloc((n_all + 1) * sizeof(*ec.scored));
	{
		row *r = new_row(f, "exportgate");
		snprintf(r->note, sizeof(r->note), "min_score %.2f (eg_screen default)",
		         eg_default_threshold());
		ec.min_score = eg_default_threshold();
		r->floor = ec.min_score;
		f->eg_row = (int)(r - f->rows);
		rc = run_method(r, eg_search, &ec, all, n_all, n_all, eg_default_threshold(), 1);
		eg_breakdown(r, &ec);
		if (rc == 0) {
			r = new_row(f, "exportgate, all scores");
			snprintf(r->note, sizeof(r->note), "min_score 0: every candidate kept");
			ec.min_score = 0.0;
			ec.calls = 0;
			rc = run_method(r, eg_search, &ec, all, n_all, n_all, eg_default_threshold(), 1);
			eg_breakdown(r, &ec);
		}
	}
	eg__free(ec.scored);
	eg__free(ec.norm_ns);
	eg__free(ec.m);
	eg__free(ec.norm);
	eg__index_free(ix);
	if (rc != 0)
		goto done;

	/* (b) brute force */
	if (!o->no_brute) {
		bench_brute *bb = bench_brute_new(c);
		row *r = new_row(f, "brute-force Jaro-Winkler");
		const bench_query **sub = bench_xmalloc((qs->n + 1) * sizeof(*sub));
		n_sub = pick(sub, qs, big ? o->brute_big : 0);
		if (n_sub < n_all)
			snprintf(r->note, sizeof(r->note), "%zu of the queries (every %zu-th)", n_sub,
			         qs->n / n_sub);
		snprintf(buf, sizeof(buf), "%s: brute force, %zu queries", f->label, n_sub);
		progress(buf);
		f->brute_row = (int)(r - f->rows);
		rc = run_method(r, brute_search, bb, sub, n_sub, n_sub < n_all ? 5 : n_sub, -1, 1);
		eg__free(sub);
		bench_brute_free(bb);
		if (rc != 0)
			goto done;
	}

	/* (c) pg_trgm */
	if (pg != NULL) {
		static const bench_pg_mode modes[2] = {BENCH_PG_GIN, BENCH_PG_GIST};
		static const char *const names[2] = {"pg_trgm GIN, % operator",
		                                     "pg_trgm GiST, <-> KNN"};
		size_t m;
		for (m = 0; m < 2; m++) {
			double copy_s = 0, index_s = 0;
			row *r;
			const bench_query **sub;
			if (big && modes[m] == BENCH_PG_GIST && !o->gist_1m)
				continue;
			snprintf(buf, sizeof(buf), "%s: loading PostgreSQL (%s)", f->label, names[m]);
			progress(buf);
			if ((rc = bench_pg_load(pg, c, modes[m], &copy_s, &index_s)) != 0)
				goto done;
			r = new_row(f, names[m]);
			sub = bench_xmalloc((qs->n + 1) * sizeof(*sub));
			n_sub = pick(sub, qs, big ? o->pg_big : 0);
			if (n_sub < n_all)
				snprintf(r->note, sizeof(r->note),
				         "COPY %.1f s, index %.1f s; %zu of the queries", copy_s, index_s,
				         n_sub);
			else
				snprintf(r->note, sizeof(r->note), "COPY %.1f s, index+ANALYZE %.1f s",
				         copy_s, index_s);
			rc = run_method(r, pg_search, pg, sub, n_sub, n_sub, -1, 0);
			eg__free(sub);
			if (rc != 0)
				goto done;
			if (f->pg_row < 0 || r->median_us < f->rows[f->pg_row].median_us)
				f->pg_row = (int)(r - f->rows);
		}
	}
done:
	eg__free(all);
	return rc;
}

/* --- output ---------------------------------------------------------------- */

static void print_corpus(const corpus_figures *f)
{
	size_t i;
	const row *e = f->eg_row >= 0 ? &f->rows[f->eg_row] : NULL;

	printf("\n== %s ==\n", f->label);
	printf("names: %zu of %zu entities, %zu bytes of names; queries: %zu (%zu expected, "
	       "%zu negatives)\n",
	       f->n_names, f->n_entities, f->name_bytes, f->n_queries,
	       e ? e->at_fpr.n_pos : 0, e ? e->at_fpr.n_neg : 0);
	printf("exportgate index: built in %.3f s (one thread, wall), %zu bytes in memory "
	       "(%.2f x the names), %zu distinct tokens\n\n",
	       f->build_s, f->memory, (double)f->memory / (double)f->name_bytes, f->vocabulary);
	printf("%-26s %7s %10s %10s %9s %10s %10s  %-20s %8s  %s\n", "method", "queries",
	       "median us", "p99 us", "qps", "cpu med us", "cpu p99 us", "recall@FPR<=1% (thr)",
	       "recall@1", "FPR");
	for (i = 0; i < f->n_rows; i++) {
		const row *r = &f->rows[i];
		char rec[32], cm[16], cp[16];
		if (!r->ran)
			continue;
		snprintf(rec, sizeof(rec), "%.3f (%.3f)", r->at_fpr.recall, r->at_fpr.thr);
		snprintf(cm, sizeof(cm), "%.1f", r->cpu_median_us);
		snprintf(cp, sizeof(cp), "%.1f", r->cpu_p99_us);
		if (!r->has_cpu)
			cm[0] = cp[0] = '-', cm[1] = cp[1] = '\0';
		printf("%-26s %7zu %10.1f %10.1f %9.0f %10s %10s  %-20s %8.3f  %.3f\n", r->method,
		       r->n_queries, r->median_us, r->p99_us, r->qps, cm, cp, rec,
		       r->at_fpr.recall1, r->at_fpr.fpr);
	}
	for (i = 0; i < f->n_rows; i++) {
		const row *r = &f->rows[i];
		if (r->ran && r->has_fixed)
			printf("  %s [%s]: at the default threshold %.2f: recall %.3f, recall@1 "
			       "%.3f, FPR %.3f\n",
			       r->method, r->note, r->fixed.thr, r->fixed.recall, r->fixed.recall1,
			       r->fixed.fpr);
		if (r->ran && r->has_breakdown)
			printf("    of which normalisation: median %.1f us, p99 %.1f us; names scored "
			       "per query: median %zu, p99 %zu\n",
			       r->norm_median_us, r->norm_p99_us, r->scored_median, r->scored_p99);
		if (r->ran && !r->has_fixed && r->note[0])
			printf("  %s: %s\n", r->method, r->note);
	}
	if (e != NULL) {
		for (i = 0; i < f->n_rows; i++) {
			const row *r = &f->rows[i];
			if (!r->ran || strncmp(r->method, "exportgate", 10) == 0)
				continue;
			printf("  speed: exportgate is %.0fx faster than %s (median), %.0fx (p99), "
			       "%.0fx (qps)\n",
			       r->median_us / e->median_us, r->method, r->p99_us / e->p99_us,
			       e->qps / r->qps);
		}
	}
}

static void target(int met, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

#include <stdarg.h>

static void target(int met, const char *fmt, ...)
{
	va_list ap;

	printf("TARGET %-8s ", met ? "met:" : "NOT met:");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void print_targets(const corpus_figures *sdn, const corpus_figures *big)
{
	const row *e = sdn->eg_row >= 0 ? &sdn->rows[sdn->eg_row] : NULL;

	printf("\n== targets ==\n");
	if (e != NULL) {
		target(e->median_us <= 30.0, "SDN, one thread: exportgate median %.1f us <= 30 us",
		       e->median_us);
		if (sdn->brute_row >= 0) {
			const row *b = &sdn->rows[sdn->brute_row];
			double x = b->median_us / e->median_us;
			target(x >= 100.0 && e->at_fpr.recall >= b->at_fpr.recall,
			       "SDN: exportgate %.0fx faster than brute force (>= 100x), recall@FPR<=1%% "
			       "%.3f vs %.3f (equal or better)",
			       x, e->at_fpr.recall, b->at_fpr.recall);
		}
		if (sdn->pg_row >= 0) {
			const row *p = &sdn->rows[sdn->pg_row];
			double x = p->median_us / e->median_us;
			target(x >= 20.0 && e->at_fpr.recall >= p->at_fpr.recall,
			       "SDN: exportgate %.0fx faster than %s, the faster pg_trgm (>= 20x), "
			       "recall@FPR<=1%% %.3f vs %.3f (equal or better)",
			       x, p->method, e->at_fpr.recall, p->at_fpr.recall);
		} else {
			printf("TARGET skipped:  SDN vs pg_trgm (no --pg)\n");
		}
	}
	if (big == NULL) {
		printf("TARGET skipped:  1,000,000 names (--quick)\n");
		return;
	}
	e = big->eg_row >= 0 ? &big->rows[big->eg_row] : NULL;
	if (e != NULL)
		target(e->p99_us <= 2000.0, "%zu names: exportgate p99 %.1f us <= 2 ms",
		       big->n_names, e->p99_us);
	target(big->build_s <= 10.0, "%zu names: index build %.2f s <= 10 s", big->n_names,
	       big->build_s);
	target((double)big->memory <= 4.0 * (double)big->name_bytes,
	       "%zu names: index memory %zu bytes = %.2f x the %zu bytes of names (<= 4x)",
	       big->n_names, big->memory, (double)big->memory / (double)big->name_bytes,
	       big->name_bytes);
}

/* --- main ------------------------------------------------------------------ */

static int load_set(eg__entity_set *set, const char *data, const char *sub)
{
	char path[4096];
	const eg__format *fmt;
	eg__parse_ctx ctx;
	eg_error err;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&ctx, 0, sizeof(ctx));
	snprintf(path, sizeof(path), "%s/%s", data, sub);
	fmt = eg__format_detect(path);
	if (fmt == NULL) {
		fprintf(stderr, "bench-screen: %s: not a list this build can read\n", path);
		return -1;
	}
	ctx.set = set;
	if ((rc = fmt->parse(&ctx, path, &err)) != 0) {
		fprintf(stderr, "bench-screen: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int parse_size(size_t *out, const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-')
		return -1;
	*out = (size_t)v;
	return 0;
}

static const char usage[] =
	"usage: bench-screen [--data DIR] [--eval DIR] [--pg CONNINFO] [--quick]\n"
	"                    [--names N] [--brute-1m N] [--pg-1m N] [--gist-1m]\n"
	"                    [--no-brute] [--slowest N] [--repeat N]\n"
	"  --repeat N     timed passes; a query's latency is its fastest (default 3)\n"
	"  --data DIR     bundled data (default data)\n"
	"  --eval DIR     the eval set (default ../shared/eval)\n"
	"  --pg CONNINFO  libpq connection string of a scratch database; without it\n"
	"                 the pg_trgm baseline is skipped\n"
	"  --quick        the SDN corpus only (skip the large corpus)\n"
	"  --names N      size of the large corpus (default 1000000)\n"
	"  --brute-1m N   queries for brute force on the large corpus (default 50)\n"
	"  --pg-1m N      queries for pg_trgm on the large corpus (default 0: all)\n"
	"  --gist-1m      also run the (slower) GiST <-> variant on the large corpus\n"
	"  --no-brute     skip the brute-force baseline (for profiling)\n"
	"  --slowest N    print each method's N slowest queries on stderr\n";

int main(int argc, char **argv)
{
	options o = {"data", "../shared/eval", NULL, 0, 0, 0, 1000000, 50, 0};
	eg__entity_set sdn, un;
	bench_corpus small, large;
	bench_queries qs;
	corpus_figures *fs = NULL, *fb = NULL;
	bench_pg *pg = NULL;
	char path[4096];
	int i, rc = 1;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int has = i + 1 < argc;
		if (strcmp(a, "--data") == 0 && has)
			o.data = argv[++i];
		else if (strcmp(a, "--eval") == 0 && has)
			o.eval = argv[++i];
		else if (strcmp(a, "--pg") == 0 && has)
			o.pg = argv[++i];
		else if (strcmp(a, "--quick") == 0)
			o.quick = 1;
		else if (strcmp(a, "--slowest") == 0 && has &&
		         parse_size(&g_slowest, argv[i + 1]) == 0)
			i++;
		else if (strcmp(a, "--repeat") == 0 && has &&
		         parse_size(&g_repeat, argv[i + 1]) == 0 && g_repeat > 0)
			i++;
		else if (strcmp(a, "--no-brute") == 0)
			o.no_brute = 1;
		else if (strcmp(a, "--gist-1m") == 0)
			o.gist_1m = 1;
		else if (strcmp(a, "--names") == 0 && has && parse_size(&o.names, argv[i + 1]) == 0)
			i++;
		else if (strcmp(a, "--brute-1m") == 0 && has &&
		         parse_size(&o.brute_big, argv[i + 1]) == 0 && o.brute_big > 0)
			i++;
		else if (strcmp(a, "--pg-1m") == 0 && has && parse_size(&o.pg_big, argv[i + 1]) == 0)
			i++;
		else {
			fputs(usage, strcmp(a, "--help") == 0 ? stdout : stderr);
			return strcmp(a, "--help") == 0 ? 0 : 2;
		}
	}

	eg__entity_set_init(&sdn);
	eg__entity_set_init(&un);
	bench_corpus_init(&small);
	bench_corpus_init(&large);
	memset(&qs, 0, sizeof(qs));
	fs = bench_xmalloc(sizeof(*fs));
	fb = bench_xmalloc(sizeof(*fb));
	memset(fs, 0, sizeof(*fs));
	memset(fb, 0, sizeof(*fb));

	snprintf(path, sizeof(path), "%s/screen.tsv", o.eval);
	if (bench_queries_load(&qs, path, LIST) != 0 || load_set(&sdn, o.data, SDN_DIR) != 0)
		goto done;
	if (qs.n == 0) {
		fprintf(stderr, "bench-screen: %s: no query of list %s\n", path, LIST);
		goto done;
	}
	if (o.pg != NULL && bench_pg_open(&pg, o.pg) != 0)
		goto done;

	printf("bench-screen: the same %zu queries (%s rows of %s) against the same names,\n"
	       "one thread, after a warm-up pass; a query's latency is its fastest of the\n"
	       "timed passes (--repeat, default 3, the same for every method), in microseconds.\n"
	       "PostgreSQL: %s\n",
	       qs.n, LIST, path, pg ? bench_pg_version(pg) : "not run (no --pg)");

	bench_corpus_add_set(&small, &sdn);
	snprintf(fs->label, sizeof(fs->label), "OFAC SDN 2021-07, every name and alias");
	if (run_corpus(fs, &small, &qs, &o, pg, 0) != 0)
		goto done;
	print_corpus(fs);
	fflush(stdout);

	if (!o.quick) {
		const eg__entity_set *sets[2] = {&sdn, &un};
		uint64_t t0;
		if (load_set(&un, o.data, UN_DIR) != 0)
			goto done;
		t0 = bench_now_ns();
		bench_corpus_add_set(&large, &sdn);
		bench_corpus_synth(&large, sets, 2, o.names, SEED);
		fprintf(stderr, "bench-screen: %zu names generated in %.1f s\n", large.n,
		        (double)(bench_now_ns() - t0) / 1e9);
		snprintf(fb->label, sizeof(fb->label),
		         "%zu names: the SDN names + synthetic names from SDN and UN tokens",
		         o.names);
		if (run_corpus(fb, &large, &qs, &o, pg, 1) != 0)
			goto done;
		print_corpus(fb);
		if (large.n > small.n + 4)
			printf("synthetic names, e.g.: \"%s\", \"%s\", \"%s\", \"%s\"\n",
			       bench_corpus_name(&large, small.n), bench_corpus_name(&large, small.n + 1),
			       bench_corpus_name(&large, small.n + 2),
			       bench_corpus_name(&large, small.n + 3));
	}
	print_targets(fs, o.quick ? NULL : fb);
	rc = 0;
done:
	bench_pg_close(pg);
	eg__free(fb);
	eg__free(fs);
	bench_queries_free(&qs);
	bench_corpus_free(&large);
	bench_corpus_free(&small);
	eg__entity_set_free(&un);
	eg__entity_set_free(&sdn);
	return rc;
}
