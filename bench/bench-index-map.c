/* bench-index-map.c - the candidate index: building it beside mapping a saved copy, and searches for few or many matches.
 *
 * Usage: bench-index-map [--data DIR] [--eval DIR] [--repeat N] [--dir TMPDIR]
 *                        [--first NAME]
 * (run from the repository root).
 *
 * 0. The first normalisation of the process (of NAME, default one in
 *    Cyrillic and Arabic script): what a cold CLI pays once for ICU.
 *
 * 1. The OFAC SDN of 2021-07 (DATA/lists/ofac_sdn_2021-07): its index is
 *    built, and the rows of EVAL/screen.tsv whose list is us-ofac-sdn are
 *    searched with max_out 10 (bench-screen's) and 1000 (what eg_screen
 *    asks for), min_score 0.76 (the default threshold), then with max_out
 *    10, 100 and 1000 at min_score 0.3, where the top fills: latency per query
 *    (its fastest of --repeat passes, default 3, normalisation excluded)
 *    and names scored.
 * 2. Every bundled publication (each directory of DATA/lists): its index is
 *    built, saved into TMPDIR (default /tmp) and mapped back; the times are
 *    printed side by side, with the file's size. A map's time includes the
 *    checksum's verification over the whole file; it is the fastest of
 *    --repeat maps, so the file is in the page cache (a CLI started right
 *    after another finds it there too).
 */
#include "corpus.h"

#include "exportgate.h"
#include "lists/format.h"
#include "match/index.h"
#include "match/index_impl.h"
#include "text/normalize.h"
#include "util/hash.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SDN_DIR "lists/ofac_sdn_2021-07"
#define LIST "us-ofac-sdn"
#define THRESHOLD 0.76
#define LOW 0.3 /* where many entities match: the top max_out fills */

static size_t g_repeat = 3;

static int load_set(eg__entity_set *set, const char *path)
{
	const eg__format *fmt = eg__format_detect(path);
	eg__parse_ctx ctx;
	eg_error err;

	memset(&err, 0, sizeof(err));
	memset(&ctx, 0, sizeof(ctx));
	if (fmt == NULL) {
		/* a directory of one file that its format knows by itself */
		DIR *d = opendir(path);
		struct dirent *de;
		char file[4400];
		int rc = -1;
		while (d != NULL && (de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
			if (eg__format_detect(file) != NULL) {
				rc = load_set(set, file);
				break;
			}
		}
		if (d != NULL)
			closedir(d);
		if (rc == 0)
			return 0;
		fprintf(stderr, "bench-index-map: %s: not a list this build can read\n", path);
		return -1;
	}
	ctx.set = set;
	if (fmt->parse(&ctx, path, &err) != 0) {
		fprintf(stderr, "bench-index-map: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static double ms(uint64_t ns) { return (double)ns / 1e6; }

/* Searches every query with max_out and prints the median and p99 latency
 * and names scored. */
static int bench_search(const eg__index *ix, const bench_queries *qs, size_t max_out,
                        double min_score)
{
	eg__norm *norm = bench_xmalloc(qs->n * sizeof(*norm));
	eg__match *m = bench_xmalloc(max_out * sizeof(*m));
	uint64_t *best = bench_xmalloc(qs->n * sizeof(*best));
	size_t *scored = bench_xmalloc(qs->n * sizeof(*scored));
	uint8_t *ok = bench_xmalloc(qs->n);
	eg__search_opts so;
	size_t i, pass, n_ok = 0, hits = 0;
	eg_error err;
	int rc = 0;

	memset(&so, 0, sizeof(so));
	so.type = EG_TYPE_ANY;
	so.min_score = min_score;
	for (i = 0; i < qs->n; i++) {
		ok[i] = eg__text_normalize(&norm[i], qs->v[i].text, strlen(qs->v[i].text), &err) == 0;
		best[i] = UINT64_MAX;
	}
	for (pass = 0; pass <= g_repeat && rc == 0; pass++) { /* pass 0 warms up */
		for (i = 0; i < qs->n; i++) {
			uint64_t t0;
			size_t n = 0;
			if (!ok[i])
				continue;
			t0 = bench_now_ns();
			if (eg__index_search(ix, m, max_out, &n, &scored[i], &norm[i], &so, &err) != 0) {
				fprintf(stderr, "bench-index-map: search: %s\n", err.message);
				rc = -1;
				break;
			}
			t0 = bench_now_ns() - t0;
			if (pass > 0 && t0 < best[i])
				best[i] = t0;
			if (pass == 1)
				hits += n;
		}
	}
	for (i = 0; i < qs->n; i++)
		if (ok[i]) {
			best[n_ok] = best[i];
			scored[n_ok++] = scored[i];
		}
	if (rc == 0 && n_ok > 0) {
		qsort(best, n_ok, sizeof(*best), cmp_u64);
		qsort(scored, n_ok, sizeof(*scored), cmp_size);
		printf("  min_score %.2f, max_out %4zu: median %7.1f us, p99 %7.1f us; names scored median %zu, "
		       "p99 %zu; %zu hits in all\n",
		       min_score, max_out, (double)best[n_ok / 2] / 1e3, (double)best[n_ok * 99 / 100] / 1e3,
		       scored[n_ok / 2], scored[n_ok * 99 / 100], hits);
	}
	free(norm);
	free(m);
	free(best);
	free(scored);
	free(ok);
	return rc;
}

/* Builds, saves and maps the index of the publication in path; prints one
 * row and adds the times to the totals. */
static int bench_file(const char *path, const char *label, const char *tmpdir,
                      double totals[5], size_t *total_bytes)
{
	eg__entity_set set;
	eg__index *ix = NULL, *mx = NULL;
	char file[4200];
	uint64_t t0, build, save, map = UINT64_MAX, sum_ns = 0, sha_ns = 0;
	size_t pass, bytes;
	eg_error err;
	FILE *f;
	int rc = -1;

	eg__entity_set_init(&set);
	memset(&err, 0, sizeof(err));
	snprintf(file, sizeof(file), "%s/bench-index-map.%ld.egix", tmpdir, (long)getpid());
	if (load_set(&set, path) != 0)
		goto done;
	t0 = bench_now_ns();
	if (eg__index_from_set(&ix, &set, &err) != 0)
		goto fail;
	build = bench_now_ns() - t0;
	t0 = bench_now_ns();
	if (eg__index_save(ix, file, "bench", &err) != 0)
		goto fail;
	save = bench_now_ns() - t0;
	for (pass = 0; pass < g_repeat; pass++) {
		t0 = bench_now_ns();
		if (eg__index_map(&mx, file, "bench", &err) != 0)
			goto fail;
		t0 = bench_now_ns() - t0;
		if (t0 < map)
			map = t0;
		eg__index_free(mx);
		mx = NULL;
	}
	f = fopen(file, "rb");
	bytes = 0;
	if (f != NULL && fseek(f, 0, SEEK_END) == 0)
		bytes = (size_t)ftell(f);
	/* the checksum alone, and SHA-256 in its place, on the file in memory */
	{
		unsigned char *buf = bench_xmalloc(bytes + 1);
		eg__sha256 sha;
		char hex[65];
		volatile uint64_t sink;
		if (f != NULL && fseek(f, 0, SEEK_SET) == 0 && fread(buf, 1, bytes, f) == bytes) {
			for (pass = 0; pass < g_repeat; pass++) {
				t0 = bench_now_ns();
				sink = eg__index_checksum(buf, bytes);
				t0 = bench_now_ns() - t0;
				if (pass == 0 || t0 < sum_ns)
					sum_ns = t0;
				t0 = bench_now_ns();
				if (eg__sha256_init(&sha) != 0 || eg__sha256_update(&sha, buf, bytes) != 0 ||
				    eg__sha256_final(&sha, hex) != 0)
					break;
				t0 = bench_now_ns() - t0;
				if (pass == 0 || t0 < sha_ns)
					sha_ns = t0;
			}
			(void)sink;
		}
		free(buf);
	}
	if (f != NULL)
		fclose(f);
	printf("  %-27s %6zu names %5.1f MB  build %6.1f ms  save %5.1f ms  map %5.2f ms"
	       "  (Fletcher-64 %5.2f ms, SHA-256 %5.2f ms)\n",
	       label, eg__index_names(ix), (double)bytes / 1e6, ms(build), ms(save), ms(map),
	       ms(sum_ns), ms(sha_ns));
	totals[0] += ms(build);
	totals[1] += ms(save);
	totals[2] += ms(map);
	totals[3] += ms(sum_ns);
	totals[4] += ms(sha_ns);
	*total_bytes += bytes;
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "bench-index-map: %s\n", err.message);
done:
	unlink(file);
	eg__index_free(ix);
	eg__entity_set_free(&set);
	return rc;
}

/* Every publication under DATA/lists, one row each, and the totals. */
static int bench_files(const char *data, const char *tmpdir)
{
	char dir[4096], path[4400];
	struct dirent **ents = NULL;
	double totals[5] = {0, 0, 0, 0, 0};
	size_t bytes = 0;
	int n, i, rc = 0;

	snprintf(dir, sizeof(dir), "%s/lists", data);
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "bench-index-map: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	printf("Every bundled publication: index built, saved (fsync included) and mapped "
	       "(checksum verified; fastest of %zu maps):\n", g_repeat);
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' && rc == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			rc = bench_file(path, ents[i]->d_name, tmpdir, totals, &bytes);
		}
		free(ents[i]);
	}
	free(ents);
	if (rc == 0)
		printf("  %-27s %12s %5.1f MB  build %6.1f ms  save %5.1f ms  map %5.2f ms"
		       "  (Fletcher-64 %5.2f ms, SHA-256 %5.2f ms)\n",
		       "all together", "", (double)bytes / 1e6, totals[0], totals[1], totals[2],
		       totals[3], totals[4]);
	return rc;
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

int main(int argc, char **argv)
{
	const char *data = "data", *eval = "../shared/eval", *tmpdir = "/tmp";
	const char *first_text = "Владимир محمد Ltd";
	char path[4096];
	eg__entity_set sdn;
	eg__index *ix = NULL;
	bench_queries qs;
	eg_error err;
	uint64_t t0;
	int i, rc = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			data = argv[++i];
		else if (strcmp(argv[i], "--eval") == 0 && i + 1 < argc)
			eval = argv[++i];
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			tmpdir = argv[++i];
		else if (strcmp(argv[i], "--first") == 0 && i + 1 < argc)
			first_text = argv[++i];
		else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc &&
		         parse_size(&g_repeat, argv[i + 1]) == 0 && g_repeat > 0)
			i++;
		else {
			fprintf(stderr, "usage: bench-index-map [--data DIR] [--eval DIR] [--repeat N] "
			        "[--dir TMPDIR] [--first NAME]\n");
			return 2;
		}
	}
	/* what a cold CLI pays once besides the maps: the first normalisation
	 * of the process builds ICU's objects */
	{
		eg__norm *first = bench_xmalloc(sizeof(*first));
		t0 = bench_now_ns();
		if (eg__text_normalize(first, first_text, strlen(first_text), &err) != 0)
			fprintf(stderr, "bench-index-map: %s\n", err.message);
		printf("First normalisation of the process (\"%s\"): %.2f ms\n", first_text,
		       ms(bench_now_ns() - t0));
		free(first);
	}
	eg__formats_init();
	eg__entity_set_init(&sdn);
	memset(&qs, 0, sizeof(qs));
	memset(&err, 0, sizeof(err));
	snprintf(path, sizeof(path), "%s/screen.tsv", eval);
	if (bench_queries_load(&qs, path, LIST) != 0)
		goto done;
	snprintf(path, sizeof(path), "%s/%s", data, SDN_DIR);
	if (load_set(&sdn, path) != 0)
		goto done;
	t0 = bench_now_ns();
	if (eg__index_from_set(&ix, &sdn, &err) != 0) {
		fprintf(stderr, "bench-index-map: %s\n", err.message);
		goto done;
	}
	printf("OFAC SDN 2021-07: %zu names, index built in %.1f ms; %zu queries (%s rows of "
	       "screen.tsv), fastest of %zu passes:\n",
	       eg__index_names(ix), ms(bench_now_ns() - t0), qs.n, LIST, g_repeat);
	if (bench_search(ix, &qs, 10, THRESHOLD) != 0 || bench_search(ix, &qs, 1000, THRESHOLD) != 0 ||
	    bench_search(ix, &qs, 10, LOW) != 0 || bench_search(ix, &qs, 100, LOW) != 0 ||
	    bench_search(ix, &qs, 1000, LOW) != 0)
		goto done;
	if (bench_files(data, tmpdir) != 0)
		goto done;
	rc = 0;
done:
	eg__index_free(ix);
	eg__entity_set_free(&sdn);
	bench_queries_free(&qs);
	return rc;
}
