/* decide.c - bench-decide: deals decided and durably logged, beside the cost
 * of one durable SQLite commit, in one run.
 *
 * Usage: bench-decide --exe BUILD/exportgate [--data DIR] [--n N]
 *                     [--threads T] [--per-thread M] [--store URI]
 * (--store: decide on that store, e.g. a postgresql:// database, instead
 * of a new SQLite file; with PostgreSQL $EXPORTGATE_AUDIT_KEY is not needed)
 * (from the repository root). Every bundled list is imported into a
 * temporary store with `exportgate import --bundled`; then:
 *   1. the baseline: one row inserted and committed durably (WAL,
 *      synchronous=FULL, as the store runs) in a scratch SQLite file beside
 *      the store, N times;
 *   2. eg_decide of one deal with 3 parties (screened against every list,
 *      evaluated, logged durably before the answer), N times, one thread;
 *   3. T threads each deciding M deals through one engine: durable
 *      decisions per second (group commit: each caller answered only after
 *      its record is on disk).
 *   4. A new SDN publication (the 2024-05 one with one more entry) imported
 *      by another process, then eg_rescreen: every logged party screened
 *      against what the update added or changed; its time beside the
 *      parties it screened.
 * Latencies are wall time around the call (CLOCK_MONOTONIC).
 *
 * --load-only (with --store, already imported): only step 3, after the
 * engine is warm; with --go FILE it prints "ready" and waits until FILE
 * exists before starting, so that several processes start together (as
 * bench/run-decide-pg.sh runs three), and prints the wall clock of the
 * first decision's start and the last one's end (CLOCK_REALTIME, seconds)
 * on a line "span START END DECISIONS FAILED".
 */
#include "exportgate.h"
#include "proc.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char deal[] =
	"{\"date\": \"2022-06-01\", \"exporter\": {\"name\": \"Bench Exporter Ltd\", \"country\": "
	"\"US\"}, \"items\": [{\"classification\": \"4D004\"}], \"destination\": \"DE\", "
	"\"parties\": [{\"role\": \"end_user\", \"name\": \"Siemens Aktiengesellschaft\", "
	"\"country\": \"DE\", \"type\": \"private\"}, {\"role\": \"consignee\", \"name\": "
	"\"Hamburg Logistik GmbH\", \"country\": \"DE\", \"type\": \"private\"}, {\"role\": "
	"\"purchaser\", \"name\": \"Positive Technologies\", \"country\": \"RU\", \"type\": "
	"\"private\"}], \"end_use\": {\"statements\": [], \"flags\": []}}";

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench-decide: %s: %s\n", what, msg);
	exit(1);
}

static void row(const char *what, size_t n, double *t)
{
	printf("%-52s %6zu %10.2f %10.2f\n", what, n, bench_quantile(t, n, 0.5) / 1e3,
	       bench_quantile(t, n, 0.99) / 1e3);
}

/* 1. A durable commit alone. */
static void bench_commit(const char *dir, size_t n)
{
	char path[600];
	sqlite3 *db;
	double *t = malloc(n * sizeof(*t));
	size_t i;

	snprintf(path, sizeof(path), "%s/commit.db", dir);
	if (t == NULL || sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                     "CREATE TABLE r(x BLOB)", NULL, NULL, NULL) != SQLITE_OK)
		die("baseline", "cannot set up the scratch database");
	for (i = 0; i < n; i++) {
		double t0 = bench_now_us();
		if (sqlite3_exec(db, "INSERT INTO r VALUES (randomblob(2000))", NULL, NULL, NULL) !=
		    SQLITE_OK)
			die("baseline", sqlite3_errmsg(db));
		t[i] = bench_now_us() - t0;
	}
	sqlite3_close(db);
	row("baseline: one durable SQLite commit (2 KB row)", n, t);
	free(t);
}

/* 2. One thread. */
static void bench_one(eg_engine *e, size_t n)
{
	double *t = malloc(n * sizeof(*t));
	eg_decide_options o = EG_DECIDE_OPTIONS_INIT;
	size_t i;

	o.asked_by = "bench";
	for (i = 0; i < n; i++) {
		eg_decision *d = NULL;
		eg_error err;
		double t0 = bench_now_us();
		if (eg_decide(e, &d, deal, sizeof(deal) - 1, &o, &err) != 0)
			die("decide", err.message);
		t[i] = bench_now_us() - t0;
		eg_decision_free(d);
	}
	row("eg_decide, 3 parties, logged durably, one thread", n, t);
	free(t);
}

typedef struct worker {
	eg_engine *e;
	size_t m;
	int failed;
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	eg_decide_options o = EG_DECIDE_OPTIONS_INIT;
	size_t i;

	o.asked_by = "bench";
	for (i = 0; i < w->m; i++) {
		eg_decision *d = NULL;
		eg_error err;
		if (eg_decide(w->e, &d, deal, sizeof(deal) - 1, &o, &err) != 0) {
			if (w->failed++ == 0)
				fprintf(stderr, "bench-decide: a decision failed: %s\n", err.message);
		}
		eg_decision_free(d);
	}
	return NULL;
}

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 3. T threads. */
static void bench_threads(eg_engine *e, int threads, size_t m, int span)
{
	double w0 = wall_s();
	pthread_t *t = malloc((size_t)threads * sizeof(*t));
	worker *w = malloc((size_t)threads * sizeof(*w));
	uint64_t before = 0, after = 0;
	double t0, secs;
	int i, failed = 0;
	eg_error err;

	if (t == NULL || w == NULL || eg_audit_size(e, &before, &err) != 0)
		die("threads", "setup");
	t0 = bench_now_us();
	for (i = 0; i < threads; i++) {
		w[i].e = e;
		w[i].m = m;
		w[i].failed = 0;
		if (pthread_create(&t[i], NULL, work, &w[i]) != 0)
			die("threads", "pthread_create");
	}
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		failed += w[i].failed;
	}
	secs = (bench_now_us() - t0) / 1e6;
	if (eg_audit_size(e, &after, &err) != 0)
		die("threads", err.message);
	if (span)
		printf("span %.6f %.6f %zu %d\n", w0, wall_s(), (size_t)threads * m, failed);
	printf("%-52s %6zu %10.0f decisions/s, %d failed, log grew by %llu\n",
	       "eg_decide, concurrent callers, group commit", (size_t)threads * m,
	       (double)threads * (double)m / secs, failed, (unsigned long long)(after - before));
	free(t);
	free(w);
}

/* 4. Delta screening of every logged party against one SDN update. */
static void bench_rescreen(eg_engine *e, const char *exe, const char *store, const char *data,
                           const char *dir)
{
	char path[600], cmd[2000], *out = NULL;
	char *imp[] = {(char *)exe, "--store", (char *)store, "import", "--source", "us-ofac-sdn",
	               "--published", "2025-06-01", path, NULL};
	eg_list_version *v = NULL;
	size_t n = 0, i, differ = 0;
	int64_t last = 0;
	eg_error err;
	double t0, t;

	if (eg_list_versions(e, &v, &n, &err) != 0)
		die("rescreen", err.message);
	for (i = 0; i < n; i++)
		if (v[i].id > last)
			last = v[i].id;
	eg_list_versions_free(v);
	snprintf(path, sizeof(path), "%s/newsdn", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && { printf '99999999,\"ZZBENCH NEW ENTRY\",-0- ,"
	         "\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \\r\\n'; cat "
	         "'%s/lists/ofac_sdn_2024-05/sdn.csv'; } > '%s/sdn.csv'", path, data, path);
	if (system(cmd) != 0 || bench_run(imp, 0) != 0)
		die("rescreen", "importing the new SDN publication failed");
	t0 = bench_now_us();
	if (eg_rescreen(e, &out, last, &differ, &err) != 0)
		die("rescreen", err.message);
	t = bench_now_us() - t0;
	{
		const char *p = strstr(out, "\"parties_screened\": ");
		unsigned long parties = p ? strtoul(p + 20, NULL, 10) : 0;
		printf("%-52s %6lu %10.0f ms in all, %.1f us per party, %zu decisions differ\n",
		       "eg_rescreen, logged parties x one SDN update", parties, t / 1e3,
		       parties ? t / (double)parties : 0.0, differ);
	}
	eg_free(out);
}

int main(int argc, char **argv)
{
	const char *exe = NULL, *data = "data", *uri = NULL, *go = NULL;
	int load_only = 0;
	char dir[] = "/tmp/eg-bench-decide-XXXXXX", store[256], cmd[512];
	size_t n = 200, m = 50;
	int threads = 64, i;
	eg_open_options o = EG_OPEN_OPTIONS_INIT;
	eg_engine *e = NULL;
	eg_error err;

	for (i = 1; i < argc; i++) {
		int has = i + 1 < argc;
		if (strcmp(argv[i], "--exe") == 0 && has)
			exe = argv[++i];
		else if (strcmp(argv[i], "--data") == 0 && has)
			data = argv[++i];
		else if (strcmp(argv[i], "--n") == 0 && has)
			n = (size_t)atol(argv[++i]);
		else if (strcmp(argv[i], "--threads") == 0 && has)
			threads = atoi(argv[++i]);
		else if (strcmp(argv[i], "--per-thread") == 0 && has)
			m = (size_t)atol(argv[++i]);
		else if (strcmp(argv[i], "--store") == 0 && has)
			uri = argv[++i];
		else if (strcmp(argv[i], "--go") == 0 && has)
			go = argv[++i];
		else if (strcmp(argv[i], "--load-only") == 0)
			load_only = 1;
		else
			die("usage", "bench-decide --exe BUILD/exportgate [--data DIR] [--n N] "
			             "[--threads T] [--per-thread M] [--store URI] [--load-only [--go FILE]]");
	}
	if (load_only && uri == NULL)
		die("usage", "--load-only needs --store (imported)");
	if (load_only && exe == NULL)
		exe = "exportgate";
	if (exe == NULL || n < 1 || threads < 1 || m < 1)
		die("usage", "--exe is required; counts at least 1");
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", strerror(errno));
	snprintf(store, sizeof(store), "%s", uri != NULL ? uri : "");
	if (uri == NULL || strlen(uri) >= sizeof(store))
		snprintf(store, sizeof(store), "%s/store.db", dir);
	if (!load_only) {
		char *imp[] = {(char *)exe, "--store", store, "--data", (char *)data, "import",
		               "--bundled", NULL};
		if (bench_run(imp, 0) != 0)
			die("import", "exportgate import --bundled failed");
	}
	o.store_path = store;
	o.data_dir = data;
	if (eg_engine_open(&e, &o, &err) != 0)
		die("open", err.message);
	{ /* warm: lists indexed, policies loaded, log opened */
		eg_decision *d = NULL;
		if (eg_decide(e, &d, deal, sizeof(deal) - 1, NULL, &err) != 0)
			die("decide", err.message);
		eg_decision_free(d);
	}
	if (load_only) {
		if (go != NULL) {
			printf("ready\n");
			fflush(stdout);
			while (access(go, F_OK) != 0)
				usleep(1000);
		}
		bench_threads(e, threads, m, 1);
		eg_engine_free(e);
		rmdir(dir);
		return 0;
	}
	printf("== bench-decide: every bundled list, the bundled policies ==\n");
	printf("%-52s %6s %10s %10s\n", "path", "n", "median ms", "p99 ms");
	bench_commit(dir, n);
	bench_one(e, n);
	bench_threads(e, threads, m, 0);
	bench_rescreen(e, exe, store, data, dir);
	eg_engine_free(e);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
