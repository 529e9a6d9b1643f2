/* threads.c - screening from several threads on one shared engine, the way
 * the server and `screen --batch` use it: every thread must get the answers
 * a single thread gets. A plain program (exit 0 on success) rather than a
 * Criterion test, because Criterion's runner does not start under
 * ThreadSanitizer (Snaipe/Criterion#274): scripts/test.sh runs it in every
 * build, and it is what the ThreadSanitizer build (build-tsan) checks.
 * Usage: eg-threads [DIR], DIR an OFAC SDN CSV publication (default
 * tests/data/ofac_csv/good, relative to the source root). */
#include "exportgate.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_THREADS 4
#define ROUNDS 20

static const char *const queries[] = {
	"Banco Nacional de Cuba", "Abu Abbas", "abbas abu", "Morteza Rezaie", "REZAIE, Morteza",
	"Hermann", "Zzyzx Quorblat Trading", "Николас Мадуро", "Banco Nacional",
};
#define N_QUERIES (sizeof(queries) / sizeof(queries[0]))

/* What one screen answered: enough to tell two answers apart. */
typedef struct answer {
	size_t count;
	char top_uid[64];
	double top_score;
	double compared; /* eg_compare(query, "Abu Abbas") */
} answer;

typedef struct job {
	eg_engine *engine;
	const answer *expected;
	int failures;
	char why[EG_ERROR_MESSAGE_MAX + 128];
} job;

static int ask(eg_engine *e, answer *out, const char *q, eg_error *err)
{
	eg_hits *hits = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = eg_screen(e, &hits, q, strlen(q), NULL, err)) != 0)
		return rc;
	out->count = hits->count;
	if (hits->count > 0) {
		snprintf(out->top_uid, sizeof(out->top_uid), "%s", hits->hits[0].uid);
		out->top_score = hits->hits[0].score;
	}
	eg_hits_free(hits);
	return eg_compare(e, &out->compared, q, strlen(q), "Abu Abbas", strlen("Abu Abbas"), err);
}

static void *worker(void *arg)
{
	job *j = arg;
	eg_error err;
	answer a;
	size_t r, i;

	for (r = 0; r < ROUNDS && j->failures == 0; r++) {
		for (i = 0; i < N_QUERIES; i++) {
			const answer *x = &j->expected[i];
			if (ask(j->engine, &a, queries[i], &err) != 0) {
				snprintf(j->why, sizeof(j->why), "\"%s\": %s", queries[i], err.message);
				j->failures++;
				break;
			}
			if (a.count != x->count || strcmp(a.top_uid, x->top_uid) != 0 ||
			    a.top_score != x->top_score || a.compared != x->compared) {
				snprintf(j->why, sizeof(j->why), "\"%s\": %zu hits, top %s %.6f; one thread "
				         "got %zu, %s %.6f", queries[i], a.count, a.top_uid, a.top_score,
				         x->count, x->top_uid, x->top_score);
				j->failures++;
				break;
			}
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	eg_open_options o = EG_OPEN_OPTIONS_INIT;
	eg_import_options io = EG_IMPORT_OPTIONS_INIT;
	eg_engine *e = NULL;
	eg_list_version v;
	eg_error err;
	answer expected[N_QUERIES];
	job jobs[N_THREADS];
	pthread_t th[N_THREADS];
	const char *tmp = getenv("TMPDIR");
	char dir[512], store[600];
	size_t i;
	int t, failures = 0;

	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(dir, sizeof(dir), "%s/eg-threads-XXXXXX", tmp) >= sizeof(dir)) {
		fprintf(stderr, "eg-threads: TMPDIR too long\n");
		return 1;
	}
	if (mkdtemp(dir) == NULL) {
		perror("eg-threads: mkdtemp");
		return 1;
	}
	snprintf(store, sizeof(store), "%s/store.db", dir);
	o.store_path = store;
	io.source = "us-ofac-sdn";
	io.path = argc > 1 ? argv[1] : "tests/data/ofac_csv/good";
	io.published = "2021-07-07";
	if (eg_engine_open(&e, &o, &err) != 0 || eg_import(e, &v, &io, &err) != 0) {
		fprintf(stderr, "eg-threads: %s\n", err.message);
		failures = 1;
		goto done;
	}
	for (i = 0; i < N_QUERIES; i++) {
		if (ask(e, &expected[i], queries[i], &err) != 0) {
			fprintf(stderr, "eg-threads: \"%s\": %s\n", queries[i], err.message);
			failures = 1;
			goto done;
		}
	}
	if (expected[0].count == 0) {
		fprintf(stderr, "eg-threads: no hit for \"%s\": the data is not the test list\n",
		        queries[0]);
		failures = 1;
		goto done;
	}
	for (t = 0; t < N_THREADS; t++) {
		jobs[t].engine = e;
		jobs[t].expected = expected;
		jobs[t].failures = 0;
		jobs[t].why[0] = '\0';
		if (pthread_create(&th[t], NULL, worker, &jobs[t]) != 0) {
			fprintf(stderr, "eg-threads: cannot start a thread\n");
			failures = 1;
			while (--t >= 0)
				pthread_join(th[t], NULL);
			goto done;
		}
	}
	for (t = 0; t < N_THREADS; t++) {
		pthread_join(th[t], NULL);
		if (jobs[t].failures) {
			fprintf(stderr, "eg-threads: thread %d: %s\n", t, jobs[t].why);
			failures = 1;
		}
	}
	if (!failures)
		printf("eg-threads: %d threads x %d rounds x %zu queries agree\n", N_THREADS, ROUNDS,
		       (size_t)N_QUERIES);
done:
	eg_engine_free(e);
	snprintf(store, sizeof(store), "%s/store.db", dir);
	unlink(store);
	snprintf(store, sizeof(store), "%s/store.db-wal", dir);
	unlink(store);
	snprintf(store, sizeof(store), "%s/store.db-shm", dir);
	unlink(store);
	rmdir(dir);
	return failures;
}
