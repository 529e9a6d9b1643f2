/* test_engine.c - the public API end to end on the real bundled lists:
 * import, versions, screening, bad input, atomic imports. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exportgate.h"

#include "engine_fixture.h"

static int import(eg_engine *e, eg_list_version *v, const char *source, const char *path,
                  const char *published, eg_error *err)
{
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;

	o.source = source;
	o.path = path;
	o.published = published;
	return eg_import(e, v, &o, err);
}

TestSuite(engine, .init = setup, .fini = teardown, .timeout = 120);

Test(engine, import_sdn_and_screen_maduro)
{
	eg_engine *e = open_engine();
	eg_list_version v;
	eg_hits *hits = NULL;
	eg_error err;
	const char *q[] = {"Nicolas Maduro Moros", "maduro moros nicolas", "MADURO MOROS, Nicolás"};
	size_t i;

	cr_assert_eq(import(e, &v, "us-ofac-sdn", "data/lists/ofac_sdn_2021-07", "2021-07-07", &err),
	             0, "%s", err.message);
	cr_assert_eq(v.entities, 8976);
	cr_assert_eq(v.created, 1);
	cr_assert_str_eq(v.published, "2021-07-07");
	for (i = 0; i < 3; i++) {
		cr_assert_eq(eg_screen(e, &hits, q[i], strlen(q[i]), NULL, &err), 0, "%s", err.message);
		cr_assert_geq(hits->count, 1, "no hit for %s", q[i]);
		cr_assert_str_eq(hits->hits[0].primary_name, "MADURO MOROS, Nicolas");
		cr_assert_str_eq(hits->hits[0].source, "us-ofac-sdn");
		cr_assert_gt(hits->hits[0].score, 0.95);
		cr_assert_eq(hits->hits[0].n_tokens, 3);
		eg_hits_free(hits);
	}
	/* identical content: no new version */
	cr_assert_eq(import(e, &v, "us-ofac-sdn", "data/lists/ofac_sdn_2021-07", "2021-07-07", &err), 0);
	cr_assert_eq(v.created, 0);
	eg_engine_free(e);
}

Test(engine, bad_queries_are_refused_clearly)
{
	eg_engine *e = open_engine();
	eg_list_version v;
	eg_hits *hits = NULL;
	eg_error err;
	char big[2000];

	cr_assert_eq(import(e, &v, "us-ofac-sdn", "data/lists/ofac_sdn_2021-07", "2021-07-07", &err), 0);
	cr_assert_eq(eg_screen(e, &hits, "\xff\xfe", 2, NULL, &err), EG_EUTF8);
	cr_assert_null(hits);
	cr_assert_neq(err.message[0], '\0');
	cr_assert_eq(eg_screen(e, &hits, "", 0, NULL, &err), EG_EEMPTY);
	cr_assert_eq(eg_screen(e, &hits, "a\x01" "b", 3, NULL, &err), EG_EINVAL);
	memset(big, 'a', sizeof(big));
	cr_assert_eq(eg_screen(e, &hits, big, sizeof(big), NULL, &err), EG_ETOOBIG);
	cr_assert_eq(eg_screen(e, &hits, "!!!", 3, NULL, &err), EG_EEMPTY);
	eg_engine_free(e);
}

static void versions_snapshot(eg_engine *e, char *out, size_t n)
{
	eg_list_version *v;
	size_t count, i, used = 0;
	eg_error err;

	cr_assert_eq(eg_list_versions(e, &v, &count, &err), 0);
	out[0] = '\0';
	for (i = 0; i < count; i++)
		used += (size_t)snprintf(out + used, n - used, "%lld %s %s %zu %zu;", (long long)v[i].id,
		                         v[i].source, v[i].sha256, v[i].entities, v[i].names);
	eg_list_versions_free(v);
}

Test(engine, failed_import_leaves_store_unchanged)
{
	eg_engine *e = open_engine();
	eg_list_version v;
	eg_error err;
	char before[4096], after[4096];
	char bad[128], cmd[512];

	cr_assert_eq(import(e, &v, "us-ofac-sdn", "data/lists/ofac_sdn_2021-07", "2021-07-07", &err), 0);
	versions_snapshot(e, before, sizeof(before));
	/* A copy of the publication with one alt.csv row cut short. */
	snprintf(bad, sizeof(bad), "%s/bad", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && cp data/lists/ofac_sdn_2021-07/*.csv %s/ && "
	         "sed -i '500s/,\"aka\",.*$/,\"aka\"/' %s/alt.csv", bad, bad, bad);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(import(e, &v, "us-ofac-sdn", bad, "2021-08-01", &err), EG_EPARSE);
	cr_assert(strstr(err.message, "alt.csv") != NULL, "%s", err.message);
	cr_assert(strstr(err.message, "500") != NULL, "%s", err.message);
	versions_snapshot(e, after, sizeof(after));
	cr_assert_str_eq(before, after);
	/* missing and empty inputs */
	cr_assert_neq(import(e, &v, "us-ofac-sdn", "no/such/dir", NULL, &err), 0);
	snprintf(cmd, sizeof(cmd), "%s/empty", dir);
	mkdir(cmd, 0700);
	cr_assert_neq(import(e, &v, "us-ofac-sdn", cmd, NULL, &err), 0);
	cr_assert_neq(err.message[0], '\0');
	versions_snapshot(e, after, sizeof(after));
	cr_assert_str_eq(before, after);
	eg_engine_free(e);
}

Test(engine, screens_as_of_a_date)
{
	eg_engine *e = open_engine();
	eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
	eg_list_version v1, v2;
	eg_hits *hits = NULL;
	eg_error err;

	cr_assert_eq(import(e, &v1, "us-ofac-sdn", "data/lists/ofac_sdn_2021-07", "2021-07-07", &err), 0);
	cr_assert_eq(import(e, &v2, "us-ofac-sdn", "data/lists/ofac_sdn_2024-05", "2024-05-03", &err),
	             0, "%s", err.message);
	cr_assert_eq(v2.entities, 14965);
	so.as_of = "2021-10-15";
	cr_assert_eq(eg_screen(e, &hits, "Nicolas Maduro Moros", 20, &so, &err), 0);
	cr_assert_geq(hits->count, 1);
	cr_assert_eq(hits->hits[0].version_id, v1.id);
	eg_hits_free(hits);
	so.as_of = NULL;
	cr_assert_eq(eg_screen(e, &hits, "Nicolas Maduro Moros", 20, &so, &err), 0);
	cr_assert_eq(hits->hits[0].version_id, v2.id);
	eg_hits_free(hits);
	so.as_of = "2020-01-01";
	so.source = "us-ofac-sdn";
	cr_assert_eq(eg_screen(e, &hits, "Nicolas Maduro Moros", 20, &so, &err), EG_ENOTFOUND);
	so.as_of = "2021-02-30";
	cr_assert_eq(eg_screen(e, &hits, "Nicolas Maduro Moros", 20, &so, &err), EG_EINVAL);
	/* a threshold no score can reach, or not a number: refused, not "no hit" */
	so.as_of = NULL;
	so.min_score = 1.5;
	cr_assert_eq(eg_screen(e, &hits, "Nicolas Maduro Moros", 20, &so, &err), EG_EINVAL);
	cr_assert_not_null(strstr(err.message, "min_score"), "%s", err.message);
	so.min_score = NAN;
	cr_assert_eq(eg_screen(e, &hits, "Nicolas Maduro Moros", 20, &so, &err), EG_EINVAL);
	so.min_score = 1.0;
	cr_assert_eq(eg_screen(e, &hits, "Nicolas Maduro Moros", 20, &so, &err), 0, "%s", err.message);
	eg_hits_free(hits);
	eg_engine_free(e);
}

Test(engine, compare_names)
{
	eg_engine *e = open_engine();
	eg_list_version v;
	eg_error err;
	double s1, s2;

	cr_assert_eq(import(e, &v, "us-ofac-sdn", "data/lists/ofac_sdn_2021-07", "2021-07-07", &err), 0);
	cr_assert_eq(eg_compare(e, &s1, "Jon Smith", 9, "John Smith", 10, &err), 0);
	cr_assert_eq(eg_compare(e, &s2, "Jon Smith", 9, "Maria Lopez", 11, &err), 0);
	cr_assert_gt(s1, 0.8);
	cr_assert_lt(s2, 0.5);
	/* a Kana spelling meets the Latin one; two Hangul or Han names that
	 * lists would spell alike differ when their characters do */
	cr_assert_eq(eg_compare(e, &s1, "Barack Obama", 12, "バラク・オバマ", strlen("バラク・オバマ"), &err), 0);
	cr_assert_gt(s1, 0.8);
	cr_assert_eq(eg_compare(e, &s1, "김종은", strlen("김종은"), "김정은", strlen("김정은"), &err), 0);
	cr_assert_lt(s1, 0.7);
	cr_assert_eq(eg_compare(e, &s1, "高石早苗", strlen("高石早苗"), "高市早苗", strlen("高市早苗"), &err), 0);
	cr_assert_lt(s1, 0.76);
	cr_assert_eq(eg_compare(e, &s1, "Ted Doe", 7, "Theodore Doe", 12, &err), 0);
	cr_assert_gt(s1, 0.9);
	cr_assert_eq(eg_compare(e, &s1, "김정은", strlen("김정은"), "KIM Jong Un", 11, &err), 0);
	cr_assert_float_eq(s1, 1.0, 1e-9);
	eg_engine_free(e);
}

Test(engine, diff_of_two_sdn_publications)
{
	eg_engine *e = open_engine();
	eg_list_version v1, v2;
	eg_diff *d = NULL;
	eg_error err;

	cr_assert_eq(import(e, &v1, "us-ofac-sdn", "data/lists/ofac_sdn_2021-07", "2021-07-07", &err), 0);
	cr_assert_eq(import(e, &v2, "us-ofac-sdn", "data/lists/ofac_sdn_2024-05", "2024-05-03", &err), 0);
	cr_assert_eq(eg_list_diff(e, &d, "us-ofac-sdn", NULL, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(d->from.id, v1.id);
	cr_assert_eq(d->to.id, v2.id);
	/* every entity of either version is accounted for exactly once */
	cr_assert_eq(d->added + d->changed + d->unchanged, v2.entities);
	cr_assert_eq(d->removed + d->changed + d->unchanged, v1.entities);
	cr_assert_gt(d->added, 5000);
	cr_assert_gt(d->removed, 500);
	eg_diff_free(d);
	cr_assert_eq(eg_list_diff(e, &d, "us-ofac-sdn", "2021-10-15", NULL, &err), 0);
	cr_assert_eq(d->from.id, v1.id);
	eg_diff_free(d);
	cr_assert_eq(eg_list_diff(e, &d, "us-ofac-sdn", NULL, "2021-10-15", &err), EG_ENOTFOUND);
	cr_assert_eq(eg_list_diff(e, &d, "us-ofac-sdn", "x1", NULL, &err), EG_EINVAL);
	eg_engine_free(e);
}

Test(engine, names_in_other_scripts_find_the_listed_entity)
{
	eg_engine *e = open_engine();
	eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
	eg_list_version v;
	eg_hits *hits = NULL;
	eg_error err;
	static const struct { const char *query, *as_of, *primary; } cases[] = {
		{"Николас Мадуро Морос", "2021-08-01", "MADURO MOROS, Nicolas"},   /* Cyrillic */
		{"أسامة بن لادن", "2021-08-01", "BIN LADIN, Usama bin Muhammad bin Awad"}, /* Arabic */
		{"אוסאמה בן לאדן", "2021-08-01", "BIN LADIN, Usama bin Muhammad bin Awad"}, /* Hebrew */
		{"Владимир Путин", "2024-06-01", "PUTIN, Vladimir Vladimirovich"},  /* Cyrillic */
		{"김정은", "2021-08-01", "KIM, Jong Un"},                          /* Hangul */
		{"최룡해", "2021-08-01", "CHOE, Ryong Hae"},                       /* Hangul */
	};
	size_t i;

	cr_assert_eq(import(e, &v, "us-ofac-sdn", "data/lists/ofac_sdn_2021-07", "2021-07-07", &err), 0);
	cr_assert_eq(import(e, &v, "us-ofac-sdn", "data/lists/ofac_sdn_2024-05", "2024-05-03", &err), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		so.as_of = cases[i].as_of;
		cr_assert_eq(eg_screen(e, &hits, cases[i].query, strlen(cases[i].query), &so, &err), 0,
		             "%s", err.message);
		cr_assert_geq(hits->count, 1, "no hit for %s", cases[i].query);
		cr_assert_str_eq(hits->hits[0].primary_name, cases[i].primary, "%s", cases[i].query);
		eg_hits_free(hits);
	}
	eg_engine_free(e);
}

Test(engine, an_entity_counts_only_while_its_own_listing_dates_cover_the_date)
{
	eg_engine *e = open_engine();
	eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
	eg_list_version v;
	eg_hits *hits = NULL;
	eg_error err;
	size_t i;
	int found;

	/* The CSL of 2022 says NSO Group's Entity List entry took effect on
	 * 2021-11-04; imported here as if published at the start of 2021, so
	 * the version itself is in force on both dates. */
	cr_assert_eq(import(e, &v, "us-csl", "data/lists/us_csl_2022/consolidated.csv.gz",
	                    "2021-01-01", &err), 0, "%s", err.message);
	so.source = "us-csl";
	so.type = EG_TYPE_ENTITY;
	so.as_of = "2021-10-15";
	cr_assert_eq(eg_screen(e, &hits, "NSO Group", 9, &so, &err), 0, "%s", err.message);
	for (i = 0, found = 0; i < hits->count; i++)
		found |= strcmp(hits->hits[i].primary_name, "NSO Group") == 0;
	cr_assert_not(found, "NSO Group was not yet on the Entity List on 2021-10-15");
	eg_hits_free(hits);
	so.as_of = "2021-11-04";
	cr_assert_eq(eg_screen(e, &hits, "NSO Group", 9, &so, &err), 0, "%s", err.message);
	cr_assert_geq(hits->count, 1);
	cr_assert_str_eq(hits->hits[0].primary_name, "NSO Group");
	eg_hits_free(hits);
	eg_engine_free(e);
}

/* Every member of a country list on a date at once: the same answers as
 * asking eg_country_member code by code. */
Test(engine, country_members_of_a_list_on_a_date)
{
	eg_engine *e = open_engine();
	eg_country_members *m = NULL;
	eg_error err;
	size_t i;

	cr_assert_eq(eg_country_members_of(e, &m, "il-cyber-exempt", "2021-11-02", &err), 0, "%s",
	             err.message);
	cr_assert_str_eq(m->effective, "2021-11-01");
	cr_assert_eq(m->n_members, 37);
	cr_assert_eq(m->n_unknown, 0);
	cr_assert_gt(m->n_non_members, 200);
	for (i = 0; i < m->n_members; i++) {
		eg_membership a;
		char eff[11];
		cr_assert_eq(eg_country_member(e, &a, eff, "il-cyber-exempt", m->members[i],
		                               "2021-11-02", &err), 0);
		cr_assert_eq(a, EG_MEMBER_YES, "%s", m->members[i]);
		if (i > 0)
			cr_assert_lt(strcmp(m->members[i - 1], m->members[i]), 0, "code order");
	}
	eg_country_members_free(m);
	/* the 2017 version is partial: its unknown codes are given as such */
	cr_assert_eq(eg_country_members_of(e, &m, "il-cyber-exempt", "2018-01-01", &err), 0);
	cr_assert_str_eq(m->effective, "2017-01-01");
	cr_assert_eq(m->n_members, 41);
	cr_assert_gt(m->n_unknown, 0);
	eg_country_members_free(m);
	cr_assert_eq(eg_country_members_of(e, &m, "no-such-list", NULL, &err), EG_ENOTFOUND);
	cr_assert_null(m);
	cr_assert_eq(eg_country_members_of(e, &m, "il-cyber-exempt", "2016-12-31", &err),
	             EG_ENOTFOUND, "a date before the first version");
	eg_engine_free(e);
}

/* A party that the CSL repeats from the SDN is one hit when grouped, its
 * other listing under it, and two hits when not; version 1 options (no
 * `group`) are still taken. */
Test(engine, a_party_listed_by_two_sources_is_one_grouped_hit)
{
	eg_engine *e = open_engine();
	eg_list_version v;
	eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
	eg_hits *hits = NULL;
	eg_error err;
	const char *q = "Nicolas Maduro Moros";
	const eg_hit *h;
	const eg_hit_also *al;
	size_t i, from_sdn = 0, from_csl = 0;

	cr_assert_eq(import(e, &v, "us-ofac-sdn", "data/lists/ofac_sdn_2021-07", "2021-07-07", &err),
	             0, "%s", err.message);
	cr_assert_eq(import(e, &v, "us-csl", "data/lists/us_csl_2022/consolidated.csv.gz",
	                    "2022-05-16", &err), 0, "%s", err.message);
	/* ungrouped (the default): one hit per listing */
	cr_assert_eq(eg_screen(e, &hits, q, strlen(q), &so, &err), 0, "%s", err.message);
	for (i = 0; i < hits->count; i++) {
		h = eg_hits_at(hits, i);
		cr_assert_eq(h->n_also, 0);
		if (strcmp(h->primary_name, "MADURO MOROS, Nicolas") == 0) {
			from_sdn += strcmp(h->source, "us-ofac-sdn") == 0;
			from_csl += strcmp(h->source, "us-csl") == 0;
		}
	}
	cr_assert_eq(from_sdn, 1);
	cr_assert_eq(from_csl, 1);
	eg_hits_free(hits);
	/* grouped, with room for one hit: the party once, the other listing in also */
	so.group = 1;
	so.limit = 1;
	cr_assert_eq(eg_screen(e, &hits, q, strlen(q), &so, &err), 0, "%s", err.message);
	cr_assert_eq(hits->count, 1);
	h = eg_hits_at(hits, 0);
	cr_assert_str_eq(h->primary_name, "MADURO MOROS, Nicolas");
	cr_assert_eq(h->n_also, 1);
	al = eg_hit_also_at(h, 0);
	cr_assert_not_null(al);
	cr_assert_null(eg_hit_also_at(h, 1));
	cr_assert_str_neq(al->source, h->source);
	cr_assert(strcmp(al->source, "us-ofac-sdn") == 0 || strcmp(al->source, "us-csl") == 0);
	cr_assert_str_eq(al->primary_name, "MADURO MOROS, Nicolas");
	cr_assert(strstr(al->uid, "22790") != NULL && strstr(h->uid, "22790") != NULL,
	          "%s / %s", al->uid, h->uid);
	cr_assert(al->score > 0.95 && al->score <= h->score);
	eg_hits_free(hits);
	/* two people of one name ('ALI, Muhammad', born 1985 and 1979), each
	 * listed by both: two hits, each with its own other listing */
	so.limit = 10;
	cr_assert_eq(eg_screen(e, &hits, "Muhammad Ali", 12, &so, &err), 0, "%s", err.message);
	from_sdn = 0;
	for (i = 0; i < hits->count; i++) {
		const char *hu, *au;
		h = eg_hits_at(hits, i);
		if (strcmp(h->primary_name, "'ALI, Muhammad") != 0)
			continue;
		from_sdn++;
		cr_assert_eq(h->n_also, 1, "%s", h->uid);
		al = eg_hit_also_at(h, 0);
		hu = strchr(h->uid, ':') ? strchr(h->uid, ':') + 1 : h->uid;
		au = strchr(al->uid, ':') ? strchr(al->uid, ':') + 1 : al->uid;
		cr_assert_str_eq(hu, au, "%s grouped with %s", h->uid, al->uid);
	}
	cr_assert_eq(from_sdn, 2);
	eg_hits_free(hits);
	/* a caller built against version 1 of the options: ungrouped */
	so.version = 1;
	so.limit = 0;
	cr_assert_eq(eg_screen(e, &hits, q, strlen(q), &so, &err), 0, "%s", err.message);
	cr_assert_geq(hits->count, 2);
	cr_assert_eq(eg_hits_at(hits, 0)->n_also, 0);
	eg_hits_free(hits);
	so.version = 3;
	cr_assert_eq(eg_screen(e, &hits, q, strlen(q), &so, &err), EG_EINVAL);
	eg_engine_free(e);
}
