/* test_alloc_inject.c - allocation-failure injection (SQLite's method, issue
 * 13 items 10 and 12): for an import of every format, a screening, a diff
 * and the country lists, the 1st, 2nd, ... allocation of the library fails
 * until the operation succeeds. Every failing run must return EG_ENOMEM
 * (err.code too: never "not a list format", "row too large" or a parse
 * error), and leave the store as it was (same versions, same counts); the
 * sanitizer build checks that nothing leaks.
 *
 * Sampling, to keep the run short: every allocation up to INJECT_DENSE,
 * then one in every INJECT_STEP percent more; EG_INJECT_FULL=1 in the
 * environment fails every allocation in turn (slow). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <execinfo.h>

#include "exportgate.h"
#include "store_fixture.h"

#define INJECT_DENSE 150
#define INJECT_STEP 7

static char dir[64];
static char store[128];

/* --- the failing allocator ------------------------------------------------- */

static long n_allocs;  /* allocations since the count was reset */
static long fail_at;   /* the allocation that fails (1-based); 0: none */

static void trace(void)
{
	void *bt[16];
	if (getenv("EG_INJECT_TRACE"))
		backtrace_symbols_fd(bt, backtrace(bt, 16), 2);
}

static void *t_malloc(size_t size, void *ud)
{
	(void)ud;
	if (++n_allocs == fail_at) {
		trace();
		return NULL;
	}
	return malloc(size);
}

static void *t_realloc(void *p, size_t size, void *ud)
{
	(void)ud;
	if (++n_allocs == fail_at) {
		trace();
		return NULL;
	}
	return realloc(p, size);
}

static void t_free(void *p, void *ud)
{
	(void)ud;
	free(p);
}

static void setup(void)
{
	static const eg_allocator a = {t_malloc, t_realloc, t_free, NULL};

	eg_set_allocator(&a);
	fail_at = 0;
	snprintf(dir, sizeof(dir), "/tmp/eg-inject-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(store, sizeof(store), "%s/store.db", dir);
}

static void teardown(void)
{
	char cmd[128];

	eg_set_allocator(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(alloc_inject, .init = setup, .fini = teardown, .timeout = 300);

static long next_k(long k)
{
	static int full = -1;
	long step;

	if (full < 0) {
		const char *v = getenv("EG_INJECT_FULL");
		full = v != NULL && v[0] == '1';
	}
	if (full || k < INJECT_DENSE)
		return k + 1;
	step = k * INJECT_STEP / 100;
	return k + (step > 0 ? step : 1);
}

/* --- the store as it is ---------------------------------------------------- */

typedef struct snapshot {
	size_t n;
	char text[4096];
} snapshot;

static eg_engine *open_engine(void)
{
	eg_open_options o = EG_OPEN_OPTIONS_INIT;
	eg_engine *e = NULL;
	eg_error err = {0};

	o.store_path = store;
	o.index_dir = "";
	cr_assert_eq(eg_engine_open(&e, &o, &err), 0, "%s", err.message);
	return e;
}

/* The versions of the store, with their counts, as text. */
static void take(eg_engine *e, snapshot *s)
{
	eg_list_version *v = NULL;
	eg_error err = {0};
	size_t i, used = 0;

	cr_assert_eq(eg_list_versions(e, &v, &s->n, &err), 0, "%s", err.message);
	s->text[0] = '\0';
	for (i = 0; i < s->n; i++) {
		int w = snprintf(s->text + used, sizeof(s->text) - used, "%lld %s %s %zu %zu\n",
		                 (long long)v[i].id, v[i].source, v[i].sha256, v[i].entities,
		                 v[i].names);
		cr_assert(w > 0 && (size_t)w < sizeof(s->text) - used);
		used += (size_t)w;
	}
	eg_list_versions_free(v);
}

/* --- the operations ---------------------------------------------------------- */

/* An operation; on success it writes a summary of its answer to out (the
 * counts), which every run that succeeds must give alike. */
typedef int (*op_fn)(eg_engine *e, const void *arg, char out[256], eg_error *err);

/* Fails allocation k = 1, 2, ... of op (sampled, see the top) on a fresh
 * engine over the store as it was, until a run succeeds without reaching
 * the failing allocation. A run that fails must say EG_ENOMEM and leave the
 * store as it was; a run that succeeded although an allocation failed (a
 * failure the code may absorb: libcsv retries a smaller buffer) must give
 * the same answer as the clean run. */
static void inject(op_fn op, const void *arg, const char *what)
{
	snapshot before, after;
	char pristine[160], answer[256], clean[256] = "";
	long k, failed = 0, absorbed = 0;
	int rc = -1, done = 0;
	char (*absorbed_answers)[256] = calloc(4096, 256);

	cr_assert_not_null(absorbed_answers);
	{
		eg_engine *e = open_engine();
		take(e, &before);
		eg_engine_free(e);
	}
	snprintf(pristine, sizeof(pristine), "%s/pristine.db", dir);
	copy_store(store, pristine);
	for (k = 1; !done; k = next_k(k)) {
		eg_engine *e;
		eg_error err = {0};

		copy_store(pristine, store);
		e = open_engine();
		n_allocs = 0;
		fail_at = k;
		answer[0] = '\0';
		rc = op(e, arg, answer, &err);
		fail_at = 0;
		if (rc != 0) {
			failed++;
			cr_assert_eq(rc, EG_ENOMEM, "%s, allocation %ld failing: rc %s: %s", what, k,
			             eg_err_name(rc), err.message);
			cr_assert_eq(err.code, EG_ENOMEM, "%s, allocation %ld: err.code %d", what, k,
			             err.code);
			cr_assert_null(strstr(err.message, "too large"), "%s: %s", what, err.message);
			cr_assert_null(strstr(err.message, "not a list format"), "%s: %s", what,
			               err.message);
			cr_assert_lt(k, n_allocs + 1, "%s: failed without failing allocation %ld: %s",
			             what, k, err.message);
			take(e, &after);
			cr_assert_str_eq(before.text, after.text, "%s, allocation %ld: the store changed",
			                 what, k);
		} else if (k <= n_allocs) {
			cr_assert_lt(absorbed, 4096);
			memcpy(absorbed_answers[absorbed++], answer, 256);
		} else {
			memcpy(clean, answer, sizeof(clean));
			done = 1;
		}
		eg_engine_free(e);
		cr_assert_lt(k, 50000000, "%s never succeeded", what);
	}
	for (k = 0; k < absorbed; k++)
		cr_assert_str_eq(absorbed_answers[k], clean,
		                 "%s: a run with a failed allocation answered otherwise", what);
	free(absorbed_answers);
	fprintf(stderr, "inject: %s: %ld allocations, %ld runs failing with EG_ENOMEM, "
	        "%ld absorbing the failure\n", what, n_allocs, failed, absorbed);
}

typedef struct import_arg {
	const char *source;
	const char *path;
} import_arg;

static int op_import(eg_engine *e, const void *arg, char out[256], eg_error *err)
{
	const import_arg *a = arg;
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;
	eg_list_version v;
	int rc;

	o.source = a->source;
	o.path = a->path;
	o.published = "2024-01-01";
	if ((rc = eg_import(e, &v, &o, err)) == 0)
		snprintf(out, 256, "%s %s %zu %zu %d %u", v.source, v.sha256, v.entities, v.names,
		         v.created, v.carries);
	return rc;
}

static void import_ok(const char *source, const char *path, const char *published)
{
	eg_engine *e = open_engine();
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;
	eg_list_version v;
	eg_error err = {0};

	o.source = source;
	o.path = path;
	o.published = published;
	cr_assert_eq(eg_import(e, &v, &o, &err), 0, "%s", err.message);
	eg_engine_free(e);
}

static void inject_import(const char *source, const char *path)
{
	import_arg a = {source, path};

	/* a version already there: the store must keep it, unchanged */
	import_ok("us-ofac-sdn", "tests/data/ofac_csv/good", "2020-01-01");
	inject(op_import, &a, path);
}

/* The first lines of a (possibly gzipped) file into dir/name. */
static const char *head_of(const char *from, const char *name, int lines)
{
	static char path[192];
	char buf[65536];
	gzFile in = gzopen(from, "rb");
	FILE *out;

	cr_assert_not_null(in, "%s", from);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_not_null(out = fopen(path, "wb"));
	while (lines > 0 && gzgets(in, buf, sizeof(buf)) != NULL) {
		fputs(buf, out);
		lines--;
	}
	gzclose(in);
	fclose(out);
	return path;
}

Test(alloc_inject, import_ofac_csv)
{
	inject_import("us-ofac-sdn", "tests/data/ofac_csv/utf8");
}

Test(alloc_inject, import_ofac_xml)
{
	inject_import(NULL, "tests/data/xml/ofac_small.xml");
}

Test(alloc_inject, import_ofac_enhanced_xml)
{
	inject_import(NULL, "tests/data/xml/ofac_enhanced_small.xml");
}

Test(alloc_inject, import_un_xml)
{
	inject_import(NULL, "tests/data/xml/un_small.xml");
}

Test(alloc_inject, import_eu_fsf_xml)
{
	inject_import(NULL, "tests/data/eu/fsf_small.xml");
}

Test(alloc_inject, import_uk_xml)
{
	inject_import(NULL, "tests/data/uk/uk_small.xml");
}

Test(alloc_inject, import_uk_conlist_csv)
{
	inject_import(NULL, "tests/data/uk/conlist_small.csv");
}

Test(alloc_inject, import_ftm_json)
{
	inject_import("eu-fsf", "tests/data/ftm/sample.ftm.json");
}

Test(alloc_inject, import_bis_dpl)
{
	inject_import(NULL, head_of("data/lists/us_bis_dpl_2023-11/dpl.txt", "dpl.txt", 12));
}

Test(alloc_inject, import_csl_csv)
{
	inject_import(NULL, head_of("data/lists/us_csl_2022/consolidated.csv.gz",
	                            "consolidated.csv", 12));
}

static int op_screen(eg_engine *e, const void *arg, char out[256], eg_error *err)
{
	eg_hits *h = NULL;
	int rc = eg_screen(e, &h, arg, strlen(arg), NULL, err);

	if (rc == 0) {
		cr_assert_gt(h->count, 0, "the listed name is a hit");
		snprintf(out, 256, "%zu hits, best %s %.6f, %zu consulted", h->count,
		         eg_hits_at(h, 0)->uid, eg_hits_at(h, 0)->score, h->n_consulted);
	}
	eg_hits_free(h);
	return rc;
}

Test(alloc_inject, screen)
{
	import_ok("us-ofac-sdn", "tests/data/ofac_csv/good", "2021-01-01");
	inject(op_screen, "Banco Nacional de Cuba", "screen");
}

static int op_diff(eg_engine *e, const void *arg, char out[256], eg_error *err)
{
	eg_diff *d = NULL;
	int rc = eg_list_diff(e, &d, arg, NULL, NULL, err);

	if (rc == 0)
		snprintf(out, 256, "%zu added, %zu removed, %zu changed, %zu unchanged, %zu entries",
		         d->added, d->removed, d->changed, d->unchanged, d->count);
	eg_diff_free(d);
	return rc;
}

Test(alloc_inject, diff)
{
	import_ok("us-ofac-sdn", "tests/data/ofac_csv/good", "2021-01-01");
	import_ok("us-ofac-sdn", "tests/data/ofac_csv/utf8", "2021-02-01");
	inject(op_diff, "us-ofac-sdn", "diff");
}

static int op_countries(eg_engine *e, const void *arg, char out[256], eg_error *err)
{
	const eg_country_list_info *info = NULL;
	eg_country_diff *d = NULL;
	eg_membership m;
	char eff[11];
	size_t n;
	int rc;

	(void)arg;
	if ((rc = eg_country_lists(e, &info, &n, err)) != 0 ||
	    (rc = eg_country_member(e, &m, eff, "il-cyber-exempt", "AE", "2021-11-02", err)) != 0)
		return rc;
	rc = eg_country_list_diff(e, &d, "il-cyber-exempt", NULL, NULL, err);
	if (rc == 0)
		snprintf(out, 256, "%zu lists, AE %s, %zu dropped %zu added %zu stayed %zu unknown", n,
		         eg_membership_name(m), d->n_dropped, d->n_added, d->n_stayed, d->n_unknown);
	eg_country_diff_free(d);
	return rc;
}

Test(alloc_inject, country_lists)
{
	inject(op_countries, NULL, "country lists");
}
