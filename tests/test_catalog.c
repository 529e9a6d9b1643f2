/* test_catalog.c - the answers the catalog makes right: any number of
 * sources, the versions consulted and the sources skipped, a version
 * imported by another engine (another process) used by the next screen,
 * concurrent screens while another engine imports. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exportgate.h"

#include "engine_fixture.h"

/* Writes an OFAC sdn.csv of one entity named name into DIR/sub and returns
 * the path of the file. */
static const char *write_sdn(const char *sub, const char *num, const char *name)
{
	static char path[256];
	char d[200];
	FILE *f;

	snprintf(d, sizeof(d), "%s/%s", dir, sub);
	cr_assert_eq(mkdir(d, 0777), 0);
	snprintf(path, sizeof(path), "%s/sdn.csv", d);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "%s,\"%s\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", num, name);
	fclose(f);
	return path;
}

static void import_as(eg_engine *e, const char *source, const char *path, const char *published)
{
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;
	eg_list_version v;
	eg_error err;

	o.source = source;
	o.path = path;
	o.published = published;
	o.new_source = 1;
	cr_assert_eq(eg_import(e, &v, &o, &err), 0, "%s: %s", source, err.message);
	cr_assert_eq(v.created, 1);
}

TestSuite(catalog, .init = setup, .fini = teardown, .timeout = 120);

/* Issue 9 item 1: a party listed only in the 20th source is found. */
Test(catalog, twenty_sources_all_screened)
{
	eg_engine *e = open_engine();
	eg_hits *hits = NULL;
	eg_error err;
	char src[32], sub[16], name[64];
	int i;

	for (i = 0; i < 20; i++) {
		snprintf(src, sizeof(src), "test-src-%02d", i);
		snprintf(sub, sizeof(sub), "s%02d", i);
		snprintf(name, sizeof(name), i == 19 ? "ZORBULON QUANTEX TRADING" : "FILLER %c%c CO",
		         'A' + i, 'B' + i);
		import_as(e, src, write_sdn(sub, "100", name), "2020-01-01");
	}
	cr_assert_eq(eg_screen(e, &hits, "Zorbulon Quantex Trading", 24, NULL, &err), 0, "%s",
	             err.message);
	cr_assert_eq(hits->n_consulted, 20);
	cr_assert_eq(hits->n_skipped, 0);
	cr_assert_geq(hits->count, 1);
	cr_assert_str_eq(eg_hits_at(hits, 0)->source, "test-src-19");
	cr_assert_eq(eg_hits_at(hits, 0)->size, sizeof(eg_hit));
	eg_hits_free(hits);
	eg_engine_free(e);
}

/* Issue 9 item 2: sources without a version in force are named with the
 * reason; when none is in force the screen is an error, not "no hit". */
Test(catalog, skipped_sources_are_named)
{
	eg_engine *e = open_engine();
	eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
	eg_hits *hits = NULL;
	eg_error err;

	import_as(e, "test-old", write_sdn("old", "1", "ZORBULON QUANTEX TRADING"), "2010-05-01");
	import_as(e, "test-new", write_sdn("new", "2", "ZORBULON QUANTEX TRADING"), "2020-05-01");
	so.as_of = "2015-01-01";
	cr_assert_eq(eg_screen(e, &hits, "Zorbulon Quantex", 16, &so, &err), 0, "%s", err.message);
	cr_assert_eq(hits->n_consulted, 1);
	cr_assert_str_eq(eg_hits_consulted(hits, 0)->source, "test-old");
	cr_assert_eq(hits->n_skipped, 1);
	cr_assert_str_eq(eg_hits_skipped(hits, 0)->source, "test-new");
	cr_assert_not_null(strstr(eg_hits_skipped(hits, 0)->reason, "2020-05-01"),
	                   "%s", eg_hits_skipped(hits, 0)->reason);
	cr_assert_null(eg_hits_skipped(hits, 1));
	eg_hits_free(hits);

	so.as_of = "1900-01-01";
	hits = NULL;
	cr_assert_eq(eg_screen(e, &hits, "Zorbulon Quantex", 16, &so, &err), EG_ENOTFOUND);
	cr_assert_null(hits);
	cr_assert_not_null(strstr(err.message, "test-old"), "%s", err.message);
	cr_assert_not_null(strstr(err.message, "test-new"), "%s", err.message);
	eg_engine_free(e);
}

/* Issue 9 item 3: a version imported through another engine (as another
 * process would) is used by the next screen of this one. */
Test(catalog, import_by_another_engine_is_seen)
{
	eg_engine *a = open_engine(), *b = open_engine();
	eg_hits *hits = NULL;
	eg_error err;

	import_as(a, "test-src", write_sdn("v1", "1", "ALPHA ONE TRADING"), "2020-01-01");
	cr_assert_eq(eg_screen(b, &hits, "Alpha One Trading", 17, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(hits->count, 1);
	eg_hits_free(hits);
	import_as(a, "test-src", write_sdn("v2", "1", "ZORBULON QUANTEX TRADING"), "2021-01-01");
	usleep(150 * 1000); /* the catalog checks the store every 100 ms */
	cr_assert_eq(eg_screen(b, &hits, "Zorbulon Quantex Trading", 24, NULL, &err), 0, "%s",
	             err.message);
	cr_assert_eq(hits->count, 1, "the new version was not used");
	cr_assert_eq(eg_hits_consulted(hits, 0)->version_id, 2);
	eg_hits_free(hits);
	eg_engine_free(a);
	eg_engine_free(b);
}

typedef struct screener {
	eg_engine *e;
	int failures;
	int rounds;
} screener;

static void *screen_loop(void *arg)
{
	screener *s = arg;
	eg_hits *hits;
	eg_error err;
	int i;

	for (i = 0; i < s->rounds; i++) {
		hits = NULL;
		if (eg_screen(s->e, &hits, "Nicolas Maduro Moros", 20, NULL, &err) != 0 ||
		    hits->count == 0)
			s->failures++;
		eg_hits_free(hits);
	}
	return NULL;
}

/* Screens on four threads while the same engine imports new versions: no
 * screen fails or misses the party listed in every version. */
Test(catalog, screens_during_imports)
{
	eg_engine *e = open_engine();
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;
	screener s[4];
	pthread_t t[4];
	eg_list_version v;
	eg_error err;
	int i;

	o.source = "us-ofac-sdn";
	o.path = "data/lists/ofac_sdn_2021-07";
	o.published = "2021-07-07";
	cr_assert_eq(eg_import(e, &v, &o, &err), 0, "%s", err.message);
	for (i = 0; i < 4; i++) {
		s[i].e = e;
		s[i].failures = 0;
		s[i].rounds = 200;
		cr_assert_eq(pthread_create(&t[i], NULL, screen_loop, &s[i]), 0);
	}
	o.path = "data/lists/ofac_sdn_2024-05";
	o.published = "2024-05-01";
	cr_assert_eq(eg_import(e, &v, &o, &err), 0, "%s", err.message);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(s[i].failures, 0, "thread %d: %d failed screens", i, s[i].failures);
	}
	eg_engine_free(e);
}

/* Issue 9 item 8: an unknown source is refused unless the caller says it
 * is new; a publication date after today is refused; nothing is stored. */
Test(catalog, import_refuses_unknown_source_and_future_date)
{
	eg_engine *e = open_engine();
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;
	eg_list_version v, *all = NULL;
	size_t n = 1;
	eg_error err;

	o.path = write_sdn("x", "1", "ALPHA ONE TRADING");
	o.source = "us-ofac-sdnn";
	cr_assert_eq(eg_import(e, &v, &o, &err), EG_EINVAL);
	cr_assert_not_null(strstr(err.message, "--new-source"), "%s", err.message);
	o.source = "us-ofac-sdn";
	o.published = "2999-01-01";
	cr_assert_eq(eg_import(e, &v, &o, &err), EG_EINVAL);
	cr_assert_not_null(strstr(err.message, "future"), "%s", err.message);
	cr_assert_eq(eg_list_versions(e, &all, &n, &err), 0);
	cr_assert_eq(n, 0);
	/* a known source, and a new one when asked */
	o.published = "2020-01-01";
	cr_assert_eq(eg_import(e, &v, &o, &err), 0, "%s", err.message);
	o.source = "my-own-list";
	o.new_source = 1;
	cr_assert_eq(eg_import(e, &v, &o, &err), 0, "%s", err.message);
	/* once stored, the source is known */
	o.new_source = 0;
	o.path = write_sdn("y", "1", "BETA TWO TRADING");
	cr_assert_eq(eg_import(e, &v, &o, &err), 0, "%s", err.message);
	eg_engine_free(e);
}

/* Issue 10 item 3: a date before a source's first stored publication is
 * answered from the earliest later one, keeping the entries whose listing
 * dates cover the date, and the answer says so. NSO Group went on the
 * Entity List on 2021-11-04 (86 FR 60760); the bundled CSL is of 2022. */
Test(catalog, list_reconstructed_before_first_publication)
{
	eg_engine *e = open_engine();
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;
	eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
	eg_list_version v;
	eg_hits *hits = NULL;
	eg_error err;

	o.source = "us-csl";
	o.path = "data/lists/us_csl_2022/consolidated.csv.gz";
	o.published = "2022-05-16";
	cr_assert_eq(eg_import(e, &v, &o, &err), 0, "%s", err.message);
	so.as_of = "2021-11-03";
	cr_assert_eq(eg_screen(e, &hits, "NSO Group", 9, &so, &err), 0, "%s", err.message);
	cr_assert_eq(hits->count, 0);
	cr_assert_eq(hits->n_consulted, 1);
	cr_assert(eg_hits_consulted(hits, 0)->reconstructed);
	cr_assert_gt(eg_hits_consulted(hits, 0)->dropped_undated, 0);
	eg_hits_free(hits);
	so.as_of = "2021-11-04";
	cr_assert_eq(eg_screen(e, &hits, "NSO Group", 9, &so, &err), 0, "%s", err.message);
	cr_assert_geq(hits->count, 1);
	cr_assert_str_eq(eg_hits_at(hits, 0)->primary_name, "NSO Group");
	cr_assert_str_eq(eg_hits_at(hits, 0)->listed_on, "2021-11-04");
	cr_assert_str_eq(eg_hits_at(hits, 0)->citation, "86 FR 60760");
	cr_assert_str_eq(eg_hits_at(hits, 0)->licence_policy, "Presumption of denial.");
	cr_assert_not_null(strstr(eg_hits_at(hits, 0)->list_name, "Entity List"));
	cr_assert(eg_hits_consulted(hits, 0)->reconstructed);
	eg_hits_free(hits);
	/* today: the publication itself, not reconstructed */
	cr_assert_eq(eg_screen(e, &hits, "NSO Group", 9, NULL, &err), 0, "%s", err.message);
	cr_assert_not(eg_hits_consulted(hits, 0)->reconstructed);
	eg_hits_free(hits);
	eg_engine_free(e);
}

/* Issue 13 item 5: processes importing the same content at the same time
 * all succeed; one creates the version, the others name it. */
Test(catalog, concurrent_imports_of_the_same_content)
{
	pid_t pid[3];
	int i, st, created = 0;
	eg_engine *e;
	eg_list_version *all = NULL;
	size_t n = 0;
	eg_error err;

	e = open_engine(); /* creates the store before the race */
	eg_engine_free(e);
	for (i = 0; i < 3; i++) {
		pid[i] = fork();
		cr_assert_geq(pid[i], 0);
		if (pid[i] == 0) {
			eg_import_options o = EG_IMPORT_OPTIONS_INIT;
			eg_list_version v;
			eg_engine *c = NULL;
			eg_open_options oo = EG_OPEN_OPTIONS_INIT;
			oo.store_path = store;
			if (eg_engine_open(&c, &oo, &err) != 0)
				_exit(10);
			o.path = "data/lists/ofac_sdn_2021-07";
			o.published = "2021-07-07";
			if (eg_import(c, &v, &o, &err) != 0) {
				fprintf(stderr, "child %d: %s\n", i, err.message);
				_exit(11);
			}
			eg_engine_free(c);
			_exit(v.created ? 1 : 0);
		}
	}
	for (i = 0; i < 3; i++) {
		cr_assert_eq(waitpid(pid[i], &st, 0), pid[i]);
		cr_assert(WIFEXITED(st));
		cr_assert_leq(WEXITSTATUS(st), 1, "import %d failed with %d", i, WEXITSTATUS(st));
		created += WEXITSTATUS(st);
	}
	cr_assert_eq(created, 1);
	e = open_engine();
	cr_assert_eq(eg_list_versions(e, &all, &n, &err), 0);
	cr_assert_eq(n, 1);
	eg_list_versions_free(all);
	eg_engine_free(e);
}

/* Issue 9 item 4: the country filter takes an ISO code in any case or a
 * name, and meets lists that write names (the SDN) and codes (the CSL). */
Test(catalog, country_filter_by_code_or_name)
{
	eg_engine *e = open_engine();
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;
	eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
	const char *ve[] = {"VE", "ve", "Venezuela", "VENEZUELA"};
	eg_list_version v;
	eg_hits *hits = NULL;
	eg_error err;
	size_t i;

	o.path = "data/lists/ofac_sdn_2021-07";
	o.published = "2021-07-07";
	cr_assert_eq(eg_import(e, &v, &o, &err), 0, "%s", err.message);
	o.source = "us-csl";
	o.path = "data/lists/us_csl_2022/consolidated.csv.gz";
	o.published = "2022-05-16";
	cr_assert_eq(eg_import(e, &v, &o, &err), 0, "%s", err.message);
	so.source = "us-ofac-sdn";
	for (i = 0; i < 4; i++) {
		so.country = ve[i];
		cr_assert_eq(eg_screen(e, &hits, "Nicolas Maduro Moros", 20, &so, &err), 0, "%s",
		             err.message);
		cr_assert_geq(hits->count, 1, "--country %s", ve[i]);
		cr_assert_str_eq(eg_hits_at(hits, 0)->country_codes[0], "VE");
		eg_hits_free(hits);
	}
	so.country = "RU";
	cr_assert_eq(eg_screen(e, &hits, "Nicolas Maduro Moros", 20, &so, &err), 0);
	cr_assert_eq(hits->count, 0);
	eg_hits_free(hits);
	so.source = "us-csl";
	so.country = "Russia";
	cr_assert_eq(eg_screen(e, &hits, "Positive Technologies", 21, &so, &err), 0);
	cr_assert_geq(hits->count, 1);
	eg_hits_free(hits);
	so.country = "Narnia";
	hits = NULL;
	cr_assert_eq(eg_screen(e, &hits, "Positive Technologies", 21, &so, &err), EG_EINVAL);
	cr_assert_null(hits);
	eg_engine_free(e);
}

typedef struct decider {
	eg_engine *e;
	int failures;
} decider;

static void *decide_loop(void *arg)
{
	static const char deal[] =
		"{\"date\": \"2022-06-01\", \"exporter\": {\"name\": \"X\", \"country\": \"US\"}, "
		"\"items\": [{\"classification\": \"4D004\"}], \"destination\": \"DE\", "
		"\"parties\": [{\"role\": \"end_user\", \"name\": \"Nicolas Maduro Moros\", "
		"\"country\": \"VE\", \"type\": \"private\"}], "
		"\"end_use\": {\"statements\": [], \"flags\": []}}";
	decider *d = arg;
	int i;

	for (i = 0; i < 10; i++) {
		eg_decision *dec = NULL;
		eg_error err;
		if (eg_decide(d->e, &dec, deal, sizeof(deal) - 1, NULL, &err) != 0 ||
		    dec->audit_index < 0)
			d->failures++;
		eg_decision_free(dec);
	}
	return NULL;
}

/* Decisions from four threads at once: every one logged (group commit),
 * the log verifies, each record once. */
Test(catalog, concurrent_decisions_all_logged)
{
	eg_engine *e = open_engine();
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;
	eg_list_version v;
	decider d[4];
	pthread_t t[4];
	uint64_t size = 0;
	char *report = NULL;
	eg_error err;
	int i, ok = 0;

	o.path = "data/lists/ofac_sdn_2021-07";
	o.published = "2021-07-07";
	cr_assert_eq(eg_import(e, &v, &o, &err), 0, "%s", err.message);
	for (i = 0; i < 4; i++) {
		d[i].e = e;
		d[i].failures = 0;
		cr_assert_eq(pthread_create(&t[i], NULL, decide_loop, &d[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(d[i].failures, 0);
	}
	cr_assert_eq(eg_audit_size(e, &size, &err), 0, "%s", err.message);
	cr_assert_eq(size, 40);
	cr_assert_eq(eg_audit_verify(e, &report, &ok, NULL, 0, &err), 0, "%s", err.message);
	cr_assert(ok, "%s", report);
	eg_free(report);
	eg_engine_free(e);
}
