/* engine.c - bench-engine: the paths users call, timed with their real limits.
 *
 * Usage: bench-engine --exe BUILD/exportgate [--data DIR] [--eval DIR]
 *                     [--repeat N] [--cold N]
 * (run from the repository root; bench/run-screen.sh runs it after
 * bench-screen). Every bundled list is imported into a temporary store with
 * `exportgate import --bundled`, then:
 *
 *  1. eg_screen (the public API the CLI and the server call) with its
 *     defaults: every source, limit 10, the default threshold; then with
 *     the query's country (an ISO code) and type as filters. Per query, the
 *     fastest of --repeat passes after a warm-up pass; one thread;
 *     CLOCK_MONOTONIC around the call. Its baseline is bench-screen's
 *     "exportgate index" row of the same run (run-screen.sh): the index
 *     search alone, on one list, without the engine around it.
 *  2. A cold CLI process, `exportgate screen NAME` end to end (fork, exec,
 *     open, screen, print, exit), --cold times: with the index files of
 *     the store in place (mapped) and, as the baseline, with them removed
 *     before each run (the index rebuilt, as every run did before).
 *  3. A version imported by another process: an engine screens in a loop
 *     while a child process imports a new version; the time from the
 *     child's exit to the first screen answering from the new version.
 */
#include "exportgate.h"
#include "proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_QUERIES 20000

typedef struct query {
	char *name;
	char country[3];   /* ISO code, "" none */
	eg_entity_type type;
} query;

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench-engine: %s: %s\n", what, msg);
	exit(1);
}

/* The queries of EVAL/screen.tsv: its query, country and schema columns. */
static size_t read_queries(query *q, const char *eval)
{
	char path[1024], line[4096];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/screen.tsv", eval);
	if ((f = fopen(path, "r")) == NULL)
		die(path, strerror(errno));
	if (fgets(line, sizeof(line), f) == NULL) /* header */
		die(path, "empty");
	while (n < MAX_QUERIES && fgets(line, sizeof(line), f) != NULL) {
		char *col[8] = {0}, *p = line;
		size_t k = 0;
		line[strcspn(line, "\r\n")] = '\0';
		while (k < 8 && p != NULL) {
			col[k++] = p;
			if ((p = strchr(p, '\t')) != NULL)
				*p++ = '\0';
		}
		if (k < 7 || col[2][0] == '\0')
			continue;
		q[n].name = strdup(col[2]);
		if (q[n].name == NULL)
			die("queries", "out of memory");
		q[n].country[0] = '\0';
		if (strlen(col[6]) == 2) {
			q[n].country[0] = (char)(col[6][0] & ~0x20);
			q[n].country[1] = (char)(col[6][1] & ~0x20);
			q[n].country[2] = '\0';
		}
		q[n].type = strcmp(col[3], "Person") == 0 ? EG_TYPE_INDIVIDUAL : EG_TYPE_ANY;
		n++;
	}
	fclose(f);
	return n;
}

/* Times eg_screen over the queries; filtered: with country and type. */
static void bench_screen(eg_engine *e, const query *q, size_t n, int repeat, int filtered)
{
	double *best = malloc(n * sizeof(*best)), total = 0;
	size_t i, hits = 0, errors = 0;
	int r;

	if (best == NULL)
		die("screen", "out of memory");
	for (r = -1; r < repeat; r++) {
		for (i = 0; i < n; i++) {
			eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
			eg_hits *h = NULL;
			eg_error err;
			double t0, t;
			int rc;
			if (filtered) {
				so.country = q[i].country[0] ? q[i].country : NULL;
				so.type = q[i].type;
			}
			t0 = bench_now_us();
			rc = eg_screen(e, &h, q[i].name, strlen(q[i].name), &so, &err);
			t = bench_now_us() - t0;
			if (r == 0) {
				errors += rc != 0;
				hits += rc == 0 && h->count > 0;
			}
			eg_hits_free(h);
			if (r < 0)
				continue; /* warm-up */
			if (r == 0 || t < best[i])
				best[i] = t;
		}
	}
	for (i = 0; i < n; i++)
		total += best[i];
	printf("%-44s %7zu %10.1f %10.1f %10.0f %7zu %6zu\n",
	       filtered ? "eg_screen, every list, country+type filters" : "eg_screen, every list, defaults",
	       n, bench_quantile(best, n, 0.5), bench_quantile(best, n, 0.99), n / (total / 1e6), hits, errors);
	free(best);
}

/* Times `exe --store store screen NAME` cold, with or without index files. */
static void bench_cold(const char *exe, const char *store, const char *name, int runs, int mapped)
{
	char idx[1100], cmd[1200];
	char *argv[] = {(char *)exe, "--store", (char *)store, "screen", (char *)name, NULL};
	double *t = malloc((size_t)runs * sizeof(*t));
	int i, st;

	if (t == NULL)
		die("cold", "out of memory");
	snprintf(idx, sizeof(idx), "%s.idx", store);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", idx);
	if (mapped && (st = bench_run(argv, 1)) != 1) /* writes the index files */
		die("cold", "exportgate screen did not find the name");
	for (i = 0; i < runs; i++) {
		double t0;
		if (!mapped && system(cmd) != 0)
			die("cold", "rm failed");
		t0 = bench_now_us();
		st = bench_run(argv, 1);
		t[i] = (bench_now_us() - t0) / 1000.0;
		if (st != 1)
			die("cold", "exportgate screen did not find the name");
	}
	printf("%-44s %7d %10.1f %10.1f   (ms, wall, whole process)\n",
	       mapped ? "CLI screen, cold process, index mapped" : "CLI screen, cold process, index rebuilt",
	       runs, bench_quantile(t, (size_t)runs, 0.5), bench_quantile(t, (size_t)runs, 0.9));
	free(t);
}

/* A version imported by a child process: ms until this engine uses it. */
static void bench_cross_process(eg_engine *e, const char *exe, const char *store,
                                const char *data, const char *dir)
{
	char path[1024], cmd[3200];
	char *argv[] = {(char *)exe, "--store", (char *)store, "import", "--source", "us-ofac-sdn",
	                "--published", "2025-01-01", path, NULL};
	eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
	double t0, seen = -1;
	int64_t before = -1;
	eg_hits *h = NULL;
	eg_error err;

	/* a new publication: the 2024-05 SDN with one more entry */
	snprintf(path, sizeof(path), "%s/newsdn", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && { printf '99999999,\"ZZBENCH NEW ENTRY\",-0- ,"
	         "\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \\r\\n'; cat "
	         "'%s/lists/ofac_sdn_2024-05/sdn.csv'; } > '%s/sdn.csv'", path, data, path);
	if (system(cmd) != 0)
		die("cross-process", "writing the new publication failed");
	so.source = "us-ofac-sdn";
	if (eg_screen(e, &h, "Nicolas Maduro Moros", 20, &so, &err) != 0)
		die("cross-process", err.message);
	before = eg_hits_consulted(h, 0)->version_id;
	eg_hits_free(h);
	if (bench_run(argv, 1) != 0)
		die("cross-process", "the child's import failed");
	t0 = bench_now_us();
	while (bench_now_us() - t0 < 5e6) {
		h = NULL;
		if (eg_screen(e, &h, "Nicolas Maduro Moros", 20, &so, &err) != 0)
			die("cross-process", err.message);
		if (eg_hits_consulted(h, 0)->version_id != before)
			seen = (bench_now_us() - t0) / 1000.0;
		eg_hits_free(h);
		if (seen >= 0)
			break;
	}
	if (seen < 0)
		printf("%-44s %7s %10s   NOT seen within 5 s\n", "version imported by another process", "1", "-");
	else
		printf("%-44s %7d %10.1f   (ms from the child's exit to the first screen using it)\n",
		       "version imported by another process", 1, seen);
}

int main(int argc, char **argv)
{
	const char *exe = NULL, *data = "data", *eval = "../shared/eval";
	char dir[] = "/tmp/eg-bench-engine-XXXXXX", store[256], cmd[512];
	int repeat = 3, cold = 20, i;
	eg_open_options o = EG_OPEN_OPTIONS_INIT;
	static query q[MAX_QUERIES];
	eg_engine *e = NULL;
	eg_error err;
	size_t n;

	for (i = 1; i < argc; i++) {
		int has = i + 1 < argc;
		if (strcmp(argv[i], "--exe") == 0 && has)
			exe = argv[++i];
		else if (strcmp(argv[i], "--data") == 0 && has)
			data = argv[++i];
		else if (strcmp(argv[i], "--eval") == 0 && has)
			eval = argv[++i];
		else if (strcmp(argv[i], "--repeat") == 0 && has)
			repeat = atoi(argv[++i]);
		else if (strcmp(argv[i], "--cold") == 0 && has)
			cold = atoi(argv[++i]);
		else
			die("usage", "bench-engine --exe BUILD/exportgate [--data DIR] [--eval DIR] "
			             "[--repeat N] [--cold N]");
	}
	if (exe == NULL || repeat < 1 || cold < 1)
		die("usage", "--exe is required; --repeat and --cold at least 1");
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", strerror(errno));
	snprintf(store, sizeof(store), "%s/store.db", dir);
	{
		char *imp[] = {(char *)exe, "--store", store, "--data", (char *)data, "import",
		               "--bundled", NULL};
		if (bench_run(imp, 1) != 0)
			die("import", "exportgate import --bundled failed");
	}
	n = read_queries(q, eval);
	o.store_path = store;
	o.data_dir = data;
	if (eg_engine_open(&e, &o, &err) != 0)
		die("open", err.message);
	printf("== bench-engine: every bundled list, %zu queries of %s/screen.tsv ==\n", n, eval);
	printf("%-44s %7s %10s %10s %10s %7s %6s\n", "path", "queries", "median us", "p99 us",
	       "qps", "w/ hit", "errors");
	bench_screen(e, q, n, repeat, 0);
	bench_screen(e, q, n, repeat, 1);
	printf("%-44s %7s %10s %10s\n", "", "runs", "median ms", "p90 ms");
	bench_cold(exe, store, "Nicolas Maduro Moros", cold, 0);
	bench_cold(exe, store, "Nicolas Maduro Moros", cold, 1);
	bench_cross_process(e, exe, store, data, dir);
	eg_engine_free(e);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		die("cleanup", dir);
	for (i = 0; (size_t)i < n; i++)
		free(q[i].name);
	return 0;
}
