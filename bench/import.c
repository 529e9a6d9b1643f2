/* import.c - bench-import: the import of every bundled publication, index
 * build included, with its time and peak memory next to its input size,
 * and the diff of the two SDN publications. Each publication is imported
 * by a child process into a fresh store, so its peak memory is its own.
 * Usage: bench-import [DATA_DIR] (run from the repository root). */
#include "exportgate.h"
#include "lists/format.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct pub {
	const char *source, *dir, *published;
} pub;

static const pub pubs[] = {
	{"us-ofac-sdn", "lists/ofac_sdn_2021-07", "2021-07-07"},
	{"us-ofac-sdn", "lists/ofac_sdn_2024-05", "2024-05-03"},
	{"us-ofac-cons", "lists/ofac_cons_2025-12", "2025-12-19"},
	{"us-ofac-cons", "lists/ofac_cons_xml_2018-05/consolidated.xml", NULL},
	{"us-ofac-cons", "lists/ofac_cons_enhanced_2025-01/CONS_ENHANCED.XML", NULL},
	{"un-sc", "lists/un_sc_2026-02/consolidated.xml", NULL},
	{"us-csl", "lists/us_csl_2022/consolidated.csv.gz", "2022-05-16"},
	{"us-bis-dpl", "lists/us_bis_dpl_2023-11/dpl.txt", NULL},
	{NULL, NULL, NULL},
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A line of /proc/self/status in kB ("VmRSS:", "VmHWM:"), or -1. */
static long status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return v;
}

/* Bytes of a file, or of the regular files of a directory. */
static long long input_bytes(const char *path)
{
	struct stat st;
	long long total = 0;
	DIR *d;
	struct dirent *de;

	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		/* A gzip file's data is what it unpacks to: its last four bytes
		 * give that size (mod 2^32, ample here). */
		size_t len = strlen(path);
		unsigned char t[4];
		FILE *f;
		if (len > 3 && strcmp(path + len - 3, ".gz") == 0 && (f = fopen(path, "rb")) != NULL) {
			long long u = -1;
			if (fseek(f, -4, SEEK_END) == 0 && fread(t, 1, 4, f) == 4)
				u = (long long)t[0] | (long long)t[1] << 8 | (long long)t[2] << 16 |
				    (long long)t[3] << 24;
			fclose(f);
			if (u > 0)
				return u;
		}
		return st.st_size;
	}
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		char child[4096];
		struct stat cs;
		snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
		if (de->d_name[0] != '.' && stat(child, &cs) == 0 && S_ISREG(cs.st_mode) &&
		    strstr(de->d_name, ".csv") != NULL)
			total += cs.st_size;
	}
	closedir(d);
	return total;
}

/* Counts the library's own heap through its allocation hook: the bytes
 * live and their peak. Each block carries its size in front. */
static size_t heap_live, heap_peak;

static void *count_malloc(size_t n, void *ud)
{
	size_t *p = malloc(n + sizeof(max_align_t));
	(void)ud;
	if (p == NULL)
		return NULL;
	*p = n;
	heap_live += n;
	if (heap_live > heap_peak)
		heap_peak = heap_live;
	return (char *)p + sizeof(max_align_t);
}

static void count_free(void *q, void *ud)
{
	(void)ud;
	if (q == NULL)
		return;
	heap_live -= *(size_t *)((char *)q - sizeof(max_align_t));
	free((char *)q - sizeof(max_align_t));
}

static void *count_realloc(void *q, size_t n, void *ud)
{
	void *p = count_malloc(n, ud);
	if (p != NULL && q != NULL) {
		size_t old = *(size_t *)((char *)q - sizeof(max_align_t));
		memcpy(p, q, old < n ? old : n);
		count_free(q, ud);
	}
	return p;
}

typedef struct result {
	size_t heap_peak;
	int ok;
	size_t entities, names;
	double parse_s, import_s, index_s;
	long rss_before_kb, hwm_kb, parse_hwm_kb;
	char format[32];
	char message[EG_ERROR_MESSAGE_MAX];
} result;

/* In the child: import p into a fresh store, then index it by one screen. */
static void child(const pub *p, const char *path, const char *store, int fd)
{
	eg_open_options oo = EG_OPEN_OPTIONS_INIT;
	eg_import_options io = EG_IMPORT_OPTIONS_INIT;
	eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
	eg_list_version v;
	eg_engine *e = NULL;
	eg_hits *hits = NULL;
	eg_error err;
	result r;
	double t0, t1;

	memset(&r, 0, sizeof(r));
	oo.store_path = store;
	r.rss_before_kb = status_kb("VmRSS:");
	{
		/* The parser alone: what its format costs in memory. */
		const eg__format *fmt = eg__format_detect(path);
		eg__entity_set set;
		eg__parse_ctx ctx;
		FILE *f;
		if (fmt == NULL) {
			snprintf(err.message, sizeof(err.message), "format not detected");
			goto fail;
		}
		eg_allocator counting = {count_malloc, count_realloc, count_free, NULL};
		eg_set_allocator(&counting);
		eg__entity_set_init(&set);
		memset(&ctx, 0, sizeof(ctx));
		ctx.set = &set;
		t0 = now();
		if (fmt->parse(&ctx, path, &err) != 0)
			goto fail;
		r.parse_s = now() - t0;
		r.parse_hwm_kb = status_kb("VmHWM:");
		r.heap_peak = heap_peak;
		eg__entity_set_free(&set);
		eg_set_allocator(NULL);
		/* reset the peak for what follows (Linux clear_refs) */
		if ((f = fopen("/proc/self/clear_refs", "w")) != NULL) {
			fputs("5", f);
			fclose(f);
		}
	}
	if (eg_engine_open(&e, &oo, &err) != 0)
		goto fail;
	io.source = p->source;
	io.path = path;
	io.published = p->published;
	t0 = now();
	if (eg_import(e, &v, &io, &err) != 0)
		goto fail;
	t1 = now();
	so.source = p->source;
	if (eg_screen(e, &hits, "index warm up", 13, &so, &err) != 0)
		goto fail;
	r.index_s = now() - t1;
	r.import_s = t1 - t0;
	r.entities = v.entities;
	r.names = v.names;
	snprintf(r.format, sizeof(r.format), "%s", v.format);
	r.hwm_kb = status_kb("VmHWM:");
	r.ok = 1;
	eg_hits_free(hits);
	eg_engine_free(e);
	if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(1);
	_exit(0);
fail:
	snprintf(r.message, sizeof(r.message), "%s", err.message);
	if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(1);
	_exit(1);
}

static int run_one(const pub *p, const char *data, const char *tmp, result *r)
{
	char path[4096], store[4096];
	int fds[2], status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", data, p->dir);
	snprintf(store, sizeof(store), "%s/one.db", tmp);
	unlink(store);
	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child(p, path, store, fds[1]);
	}
	close(fds[1]);
	memset(r, 0, sizeof(*r));
	if (read(fds[0], r, sizeof(*r)) != (ssize_t)sizeof(*r))
		r->ok = 0;
	close(fds[0]);
	waitpid(pid, &status, 0);
	return 0;
}

static int diff_bench(const char *data, const char *tmp)
{
	eg_open_options oo = EG_OPEN_OPTIONS_INIT;
	eg_import_options io = EG_IMPORT_OPTIONS_INIT;
	eg_list_version v;
	eg_engine *e = NULL;
	eg_diff *d = NULL;
	eg_error err;
	char store[4096], path[4096];
	double t0, best = 1e9;
	int i, k;

	snprintf(store, sizeof(store), "%s/diff.db", tmp);
	unlink(store);
	oo.store_path = store;
	if (eg_engine_open(&e, &oo, &err) != 0)
		goto fail;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", data, pubs[i].dir);
		io.source = pubs[i].source;
		io.path = path;
		io.published = pubs[i].published;
		if (eg_import(e, &v, &io, &err) != 0)
			goto fail;
	}
	for (k = 0; k < 5; k++) {
		t0 = now();
		if (eg_list_diff(e, &d, "us-ofac-sdn", NULL, NULL, &err) != 0)
			goto fail;
		if (now() - t0 < best)
			best = now() - t0;
		if (k < 4)
			eg_diff_free(d);
	}
	printf("\ndiff us-ofac-sdn 2021-07 -> 2024-05 (both loaded from the store, best of 5): %.3f s"
	       " (%zu added, %zu removed, %zu changed, %zu unchanged)\n", best, d->added,
	       d->removed, d->changed, d->unchanged);
	printf("TARGET %s: diff of two SDN versions %.3f s <= 0.2 s\n",
	       best <= 0.2 ? "met    " : "NOT met", best);
	eg_diff_free(d);
	eg_engine_free(e);
	return 0;
fail:
	fprintf(stderr, "bench-import: %s\n", err.message);
	eg_engine_free(e);
	return 1;
}

int main(int argc, char **argv)
{
	const char *data = argc > 1 ? argv[1] : "data";
	char tmp[] = "/tmp/eg-bench-import-XXXXXX";
	int i, all_mem = 1, rc;
	double sdn2024 = -1;

	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	printf("bench-import: each publication, in a process of its own: first parsed alone\n"
	       "(input B: the bytes of its files, unpacked for gzip): parse s; heap x in, the\n"
	       "peak of the library's own heap (counted through its allocation hook; libxml2's\n"
	       "and jansson's streaming buffers are not in it) as a multiple of the input; RSS\n"
	       "x in, the process's peak RSS growth, which also counts code and library data\n"
	       "paged in for the first time and so weighs on small files; then imported\n"
	       "into a fresh SQLite store through the public API (parse, SHA-256, one\n"
	       "transaction: import s) and indexed (index s); peak +MB is the growth of the\n"
	       "process's peak RSS over both, with SQLite's cache and ICU's data.\n\n");
	printf("%-44s %-17s %8s %8s %7s %7s %7s %8s %7s %8s %7s\n", "publication", "format",
	       "input B", "entities", "parse s", "heap", "RSS", "import s", "index s", "peak +MB",
	       "x in");
	printf("%-44s %-17s %8s %8s %7s %7s %7s %8s %7s %8s %7s\n", "", "", "", "", "", "x in",
	       "x in", "", "", "", "");
	for (i = 0; pubs[i].source != NULL; i++) {
		result r;
		long long in = input_bytes(pubs[i].dir[0] ? pubs[i].dir : "");
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", data, pubs[i].dir);
		in = input_bytes(path);
		run_one(&pubs[i], data, tmp, &r);
		if (!r.ok) {
			printf("%-52s FAILED: %s\n", pubs[i].dir, r.message);
			all_mem = 0;
			continue;
		}
		{
			double ppeak = (double)(r.parse_hwm_kb - r.rss_before_kb) * 1024.0;
			double peak = (double)(r.hwm_kb - r.rss_before_kb) * 1024.0;
			double pratio = in > 0 ? ppeak / (double)in : 0;
			double hratio = in > 0 ? (double)r.heap_peak / (double)in : 0;
			printf("%-44s %-17s %8lld %8zu %7.3f %7.2f %7.2f %8.3f %7.3f %8.1f %7.2f\n",
			       pubs[i].dir, r.format, in, r.entities, r.parse_s, hratio, pratio,
			       r.import_s, r.index_s, peak / 1048576.0, in > 0 ? peak / (double)in : 0);
			if (hratio > 3.0)
				all_mem = 0;
		}
		if (i == 1)
			sdn2024 = r.import_s + r.index_s;
	}
	printf("\nTARGET %s: SDN 2024-05 (15k entries) import + index %.3f s <= 0.5 s\n",
	       sdn2024 >= 0 && sdn2024 <= 0.5 ? "met    " : "NOT met", sdn2024);
	printf("TARGET %s: parser peak heap under 3x the input for every publication\n",
	       all_mem ? "met    " : "NOT met");
	rc = diff_bench(data, tmp);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
		if (system(cmd) != 0)
			rc = 1;
	}
	return rc;
}
