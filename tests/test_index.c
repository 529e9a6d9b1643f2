/* test_index.c - tests of the candidate index (src/match/index.c). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists/entity.h"
#include "match/index.h"
#include "match/index_impl.h"
#include "text/normalize.h"

#include "index_fixture.h"

static const char *names[] = {
	"MADURO MOROS, Nicolas",
	"BANCO NACIONAL DE CUBA",
	"NATIONAL BANK OF CUBA",
	"AL-QAIDA",
	"PUTIN, Vladimir Vladimirovich",
	"ACME TRADING CO., LTD.",
	"EMMA LLC",
	"11420 CORP.",
	"HAMID, Mohamed Abdelrahman",
	"SMITH, John",
};
#define N_NAMES (sizeof(names) / sizeof(names[0]))

static eg__index *build(void)
{
	eg__index_builder *b;
	eg__index *ix;
	eg_error err;
	size_t i;

	cr_assert_eq(eg__index_builder_new(&b, &err), 0);
	for (i = 0; i < N_NAMES; i++) {
		eg_entity_type t = strchr(names[i], ',') && i != 5 && i != 7 ? EG_TYPE_INDIVIDUAL
		                                                             : EG_TYPE_ENTITY;
		/* entities 1 and 2 are one bank under two names */
		uint32_t ent = i >= 2 ? (uint32_t)i - 1 : (uint32_t)i;
		cr_assert_eq(eg__index_builder_add(b, ent, 0, t, 0, names[i], strlen(names[i]), &err), 0,
		             "%s", err.message);
	}
	cr_assert_eq(eg__index_builder_finish(b, &ix, &err), 0);
	return ix;
}

static double top(const eg__index *ix, const char *q, uint32_t *entity, size_t *n)
{
	eg__norm norm;
	eg__match m[8];
	eg__search_opts o = {.type = EG_TYPE_ANY, .min_score = 0.5, .max_candidates = 0};
	eg_error err;

	cr_assert_eq(eg__text_normalize(&norm, q, strlen(q), &err), 0);
	cr_assert_eq(eg__index_search(ix, m, 8, n, NULL, &norm, &o, &err), 0);
	if (*n == 0)
		return 0.0;
	*entity = m[0].entity;
	return m[0].score;
}

Test(index, finds_names_in_any_order_with_typos)
{
	eg__index *ix = build();
	uint32_t ent = 99;
	size_t n;

	cr_assert_eq(eg__index_names(ix), N_NAMES);
	cr_assert_float_eq(top(ix, "Nicolas Maduro Moros", &ent, &n), 1.0, 1e-6);
	cr_assert_eq(ent, 0);
	cr_assert_gt(top(ix, "maduro moros nicolas", &ent, &n), 0.99);
	cr_assert_eq(ent, 0);
	cr_assert_gt(top(ix, "Nicolas Madurro", &ent, &n), 0.8);
	cr_assert_eq(ent, 0);
	cr_assert_gt(top(ix, "Vladimir Putin", &ent, &n), 0.8);
	cr_assert_eq(ent, 3);
	eg__index_free(ix);
}

Test(index, one_hit_per_entity_and_legal_forms_weigh_little)
{
	eg__index *ix = build();
	uint32_t ent = 99;
	size_t n;

	cr_assert_gt(top(ix, "Banco Nacional de Cuba S.A.", &ent, &n), 0.85);
	cr_assert_eq(ent, 1);
	cr_assert_eq(n, 1, "the bank's two names give one hit, got %zu", n);
	cr_assert_gt(top(ix, "Acme Trading Company Limited", &ent, &n), 0.85);
	cr_assert_eq(ent, 4);
	eg__index_free(ix);
}

Test(index, does_not_match_on_legal_forms_or_different_numbers)
{
	eg__index *ix = build();
	uint32_t ent = 99;
	size_t n;

	/* "EMMA LLC" must not be a strong match for "emma daniels". */
	cr_assert_lt(top(ix, "emma daniels", &ent, &n), 0.8);
	/* "11420 CORP." is not any corp. */
	cr_assert_lt(top(ix, "11421 corp", &ent, &n), 0.8);
	cr_assert_lt(top(ix, "global corp", &ent, &n), 0.8);
	eg__index_free(ix);
}

Test(index, type_filter_and_empty_query)
{
	eg__index *ix = build();
	eg__norm norm;
	eg__match m[8];
	eg__search_opts o = {.type = EG_TYPE_ENTITY, .min_score = 0.5, .max_candidates = 0};
	eg_error err;
	size_t n = 9;

	cr_assert_eq(eg__text_normalize(&norm, "Nicolas Maduro", 14, &err), 0);
	cr_assert_eq(eg__index_search(ix, m, 8, &n, NULL, &norm, &o, &err), 0);
	cr_assert_eq(n, 0);
	norm.n = 0;
	cr_assert_eq(eg__index_search(ix, m, 8, &n, NULL, &norm, &o, &err), 0);
	cr_assert_eq(n, 0);
	eg__index_free(ix);
}

typedef struct job {
	const eg__index *ix;
	int ok;
} job;

static void *worker(void *arg)
{
	job *j = arg;
	int i;

	j->ok = 1;
	for (i = 0; i < 200; i++) {
		eg__norm norm;
		eg__match m[4];
		eg__search_opts o = {.type = EG_TYPE_ANY, .min_score = 0.5, .max_candidates = 0};
		eg_error err;
		size_t n = 0;
		const char *q = i % 2 ? "Vladimir Putin" : "maduro nicolas";
		if (eg__text_normalize(&norm, q, strlen(q), &err) != 0 ||
		    eg__index_search(j->ix, m, 4, &n, NULL, &norm, &o, &err) != 0 || n == 0 ||
		    m[0].entity != (i % 2 ? 3u : 0u))
			j->ok = 0;
	}
	return NULL;
}

Test(index, shared_by_threads_without_locks)
{
	eg__index *ix = build();
	pthread_t t[2];
	job j[2] = {{ix, 0}, {ix, 0}};
	int i;

	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, &j[i]);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	cr_assert(j[0].ok && j[1].ok);
	eg__index_free(ix);
}

Test(index, candidates_are_few_on_a_large_index)
{
	eg__index_builder *b;
	eg__index *ix;
	eg__norm norm;
	eg__match m[4];
	eg__search_opts o = {.type = EG_TYPE_ANY, .min_score = 0.8, .max_candidates = 0};
	eg_error err;
	char name[64];
	size_t i, n = 0, scored = 0;
	static const char *first[] = {"anna", "boris", "carla", "dmitri", "elena", "farid", "greta", "hugo"};

	cr_assert_eq(eg__index_builder_new(&b, &err), 0);
	for (i = 0; i < 20000; i++) {
		int len = snprintf(name, sizeof(name), "%s x%zuq%zu", first[i % 8], i / 8, i % 97);
		cr_assert_eq(eg__index_builder_add(b, (uint32_t)i, 0, EG_TYPE_INDIVIDUAL, 0, name,
		                                   (size_t)len, &err), 0);
	}
	cr_assert_eq(eg__index_builder_finish(b, &ix, &err), 0);
	i = 1234 * 8 + 1;
	{
		int len = snprintf(name, sizeof(name), "%s x%zuq%zu", first[i % 8], i / 8, i % 97);
		cr_assert_eq(eg__text_normalize(&norm, name, (size_t)len, &err), 0);
	}
	cr_assert_eq(eg__index_search(ix, m, 4, &n, &scored, &norm, &o, &err), 0);
	cr_assert_geq(n, 1);
	cr_assert_eq(m[0].entity, 1234 * 8 + 1);
	cr_assert_lt(scored, 1000, "scored %zu of 20000 names", scored);
	eg__index_free(ix);
}

Test(index, finds_a_given_name_through_its_diminutive)
{
	eg__index *ix = build();
	uint32_t ent = 99;
	size_t n;

	/* "SMITH, John" is entity 8: "Jack" is a diminutive of John */
	cr_assert_gt(top(ix, "Jack Smith", &ent, &n), 0.9);
	cr_assert_eq(ent, 8);
	cr_assert_lt(top(ix, "Jack Smythe-Brown", &ent, &n), 0.76);
	eg__index_free(ix);
}

/* 150 entities named exactly "Ivan Petrov", 1500 "Ivan <other>": a search
 * for the best 100 must stop scoring once 100 perfect ones are in hand
 * (the bound of every other is below their score), for any max_out. */
static eg__index *build_many_ivans(void)
{
	eg__index_builder *b;
	eg__index *ix;
	eg_error err;
	char name[64];
	uint32_t i;

	cr_assert_eq(eg__index_builder_new(&b, &err), 0);
	for (i = 0; i < 1650; i++) {
		int len;
		if (i % 11 == 0)
			len = snprintf(name, sizeof(name), "Ivan Petrov");
		else
			len = snprintf(name, sizeof(name), "Ivan %c%c%c%cov", 'a' + (int)(i % 26),
			               'a' + (int)(i / 26 % 26), 'a' + (int)(i / 676 % 26), 'k');
		cr_assert_eq(eg__index_builder_add(b, i, 0, EG_TYPE_INDIVIDUAL, 0, name, (size_t)len,
		                                   &err), 0, "%s", err.message);
	}
	cr_assert_eq(eg__index_builder_finish(b, &ix, &err), 0);
	return ix;
}

Test(index, stops_early_for_any_max_out)
{
	eg__index *ix = build_many_ivans();
	eg__norm norm;
	eg__match *few = calloc(100, sizeof(*few)), *all = calloc(2000, sizeof(*all));
	eg__search_opts o = {.type = EG_TYPE_ANY, .min_score = 0.01, .max_candidates = 5000};
	eg_error err;
	size_t n_few = 0, n_all = 0, scored_few = 0, scored_all = 0, i;

	cr_assert(few != NULL && all != NULL);
	cr_assert_eq(eg__text_normalize(&norm, "Ivan Petrov", 11, &err), 0);
	cr_assert_eq(eg__index_search(ix, few, 100, &n_few, &scored_few, &norm, &o, &err), 0);
	cr_assert_eq(eg__index_search(ix, all, 2000, &n_all, &scored_all, &norm, &o, &err), 0);
	cr_assert_eq(n_few, 100);
	cr_assert_gt(n_all, 1000, "%zu found", n_all);
	cr_assert_gt(scored_all, 1000, "%zu scored", scored_all);
	cr_assert_leq(scored_few, 160, "%zu of %zu names scored", scored_few, scored_all);
	/* the same best 100, in the same order */
	for (i = 0; i < 100; i++) {
		cr_assert_eq(few[i].entity, all[i].entity, "rank %zu", i);
		cr_assert_float_eq(few[i].score, 1.0, 1e-9);
		cr_assert_eq(few[i].score, all[i].score);
	}
	free(few);
	free(all);
	eg__index_free(ix);
}

/* --- filters inside the search ------------------------------------------- */

/* Adds an entity named `name`, of type t, in the given countries (two
 * letters each, "" for none), listed from start to end (NULL: none). */
static void add_entity(eg__entity_set *set, const char *uid, const char *name,
                       eg_entity_type t, const char *const *iso, size_t n_iso,
                       const char *start, const char *end)
{
	int dup = 0;
	eg__entity *e = eg__entity_set_add(set, uid, strlen(uid), &dup);
	size_t i;

	cr_assert(e != NULL);
	cr_assert_eq(eg__entity_add_name(set, e, name, strlen(name), EG__NAME_PRIMARY, 0), 0);
	e->type = t;
	e->iso = eg__arena_calloc(&set->arena, n_iso + 1, sizeof(uint16_t));
	cr_assert(e->iso != NULL);
	for (i = 0; i < n_iso; i++)
		e->iso[i] = EG__ISO_PACK(iso[i][0], iso[i][1]);
	e->n_iso = (uint32_t)n_iso;
	if (start != NULL)
		cr_assert_eq(eg__entity_set_str(set, &e->start_date, start, strlen(start)), 0);
	if (end != NULL)
		cr_assert_eq(eg__entity_set_str(set, &e->end_date, end, strlen(end)), 0);
}

/* 40 companies named "Acme Trading", the last one in Venezuela and Cuba,
 * the others in Russia; the first one's listing ended in 2020, the second's
 * starts in 2030. */
static eg__index *build_acmes(eg__entity_set *set)
{
	static const char *const ru[] = {"RU"}, *const ve[] = {"VE", "CU"};
	eg__index *ix;
	eg_error err;
	char uid[16];
	int i;

	eg__entity_set_init(set);
	for (i = 0; i < 40; i++) {
		snprintf(uid, sizeof(uid), "%d", i);
		add_entity(set, uid, "ACME TRADING", EG_TYPE_ENTITY, i == 39 ? ve : ru,
		           i == 39 ? 2 : 1, i == 1 ? "2030-01-01" : "2001-05-06",
		           i == 0 ? "2020-12-31" : NULL);
	}
	cr_assert_eq(eg__index_from_set(&ix, set, &err), 0, "%s", err.message);
	cr_assert_eq(eg__index_entities(ix), 40);
	return ix;
}

static size_t search_acme(const eg__index *ix, const eg__search_opts *o, eg__match *m,
                          size_t max_out)
{
	eg__norm norm;
	eg_error err;
	size_t n = 0;

	cr_assert_eq(eg__text_normalize(&norm, "Acme Trading", 12, &err), 0);
	cr_assert_eq(eg__index_search(ix, m, max_out, &n, NULL, &norm, o, &err), 0);
	return n;
}

Test(index, country_filter_applies_before_the_cuts)
{
	eg__entity_set set;
	eg__index *ix = build_acmes(&set);
	eg__match m[4];
	uint16_t want[2] = {EG__ISO_PACK('D', 'E'), EG__ISO_PACK('C', 'U')};
	eg__search_opts o = {.min_score = 0.5, .max_candidates = 5,
	                     .countries = want, .n_countries = 2};

	/* the only Cuban one, though 39 others score as well and only 5
	 * candidates and 2 matches are kept */
	cr_assert_eq(search_acme(ix, &o, m, 2), 1);
	cr_assert_eq(m[0].entity, 39);
	o.n_countries = 1; /* Germany only */
	cr_assert_eq(search_acme(ix, &o, m, 2), 0);
	o.n_countries = 0;
	cr_assert_eq(search_acme(ix, &o, m, 2), 2);
	eg__index_free(ix);
	eg__entity_set_free(&set);
}

Test(index, date_filter_keeps_listings_in_force)
{
	eg__entity_set set;
	eg__index *ix = build_acmes(&set);
	eg__match *m = calloc(64, sizeof(*m));
	eg__search_opts o = {.min_score = 0.5, .date = 20210101};
	size_t n, i;
	int seen0 = 0, seen1 = 0;

	cr_assert(m != NULL);
	n = search_acme(ix, &o, m, 64);
	cr_assert_eq(n, 38); /* not 0 (ended) nor 1 (not yet) */
	for (i = 0; i < n; i++)
		cr_assert(m[i].entity != 0 && m[i].entity != 1);
	o.date = 20200101; /* 0 in force, 1 not yet */
	n = search_acme(ix, &o, m, 64);
	cr_assert_eq(n, 39);
	for (i = 0; i < n; i++) {
		seen0 |= m[i].entity == 0;
		seen1 |= m[i].entity == 1;
	}
	cr_assert(seen0 && !seen1);
	o.date = 20010505; /* before every start */
	cr_assert_eq(search_acme(ix, &o, m, 64), 0);
	o.date = 20310101; /* only 0 has ended */
	cr_assert_eq(search_acme(ix, &o, m, 64), 39);
	free(m);
	eg__index_free(ix);
	eg__entity_set_free(&set);
}

Test(index, an_unknown_type_passes_every_type_filter)
{
	eg__entity_set set;
	eg__index *ix;
	eg__match m[4];
	eg__norm norm;
	eg_error err;
	eg_entity_type want[] = {EG_TYPE_INDIVIDUAL, EG_TYPE_ENTITY, EG_TYPE_VESSEL, EG_TYPE_ANY};
	size_t i, n;

	eg__entity_set_init(&set);
	add_entity(&set, "p", "Ivan Petrov", EG_TYPE_INDIVIDUAL, NULL, 0, NULL, NULL);
	add_entity(&set, "u", "Ivan Petrov", EG_TYPE_UNKNOWN, NULL, 0, NULL, NULL);
	cr_assert_eq(eg__index_from_set(&ix, &set, &err), 0);
	cr_assert_eq(eg__text_normalize(&norm, "Ivan Petrov", 11, &err), 0);
	for (i = 0; i < 4; i++) {
		eg__search_opts o = {.type = want[i], .min_score = 0.5};
		cr_assert_eq(eg__index_search(ix, m, 4, &n, NULL, &norm, &o, &err), 0);
		cr_assert_eq(n, want[i] == EG_TYPE_INDIVIDUAL || want[i] == EG_TYPE_ANY ? 2 : 1,
		             "type %d: %zu", (int)want[i], n);
		cr_assert(m[0].entity == 1 || m[n - 1].entity == 1); /* the unknown one */
	}
	eg__index_free(ix);
	eg__entity_set_free(&set);
}

/* An index of names alone knows no country and no date: a country filter
 * keeps nothing, a date filter everything. */
Test(index, filters_on_an_index_without_countries_or_dates)
{
	eg__index *ix = build();
	eg__match m[8];
	eg__norm norm;
	eg_error err;
	uint16_t ve = EG__ISO_PACK('V', 'E');
	eg__search_opts by_country = {.min_score = 0.5, .countries = &ve, .n_countries = 1};
	eg__search_opts by_date = {.min_score = 0.5, .date = 20240101};
	size_t n = 9;

	cr_assert_eq(eg__index_entities(ix), 9);
	cr_assert_eq(eg__text_normalize(&norm, "Nicolas Maduro", 14, &err), 0);
	cr_assert_eq(eg__index_search(ix, m, 8, &n, NULL, &norm, &by_country, &err), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(eg__index_search(ix, m, 8, &n, NULL, &norm, &by_date, &err), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(m[0].entity, 0);
	eg__index_free(ix);
}

static double top_at(const eg__index *ix, const char *q, double min_score, uint32_t *entity)
{
	eg__norm norm;
	eg__match m[8];
	eg__search_opts o = {.type = EG_TYPE_ANY, .min_score = min_score, .max_candidates = 0};
	eg_error err;
	size_t n;

	cr_assert_eq(eg__text_normalize(&norm, q, strlen(q), &err), 0);
	cr_assert_eq(eg__index_search(ix, m, 8, &n, NULL, &norm, &o, &err), 0);
	if (n == 0)
		return 0.0;
	*entity = m[0].entity;
	return m[0].score;
}

/* Issue 12 item 1: words the list never holds (an office, a place in
 * another language) beside a matched name cost score, but do not hide it. */
Test(index, unseen_words_beside_a_name_never_hide_it)
{
	eg__index *ix = build();
	uint32_t ent = 99;
	double full, extra;

	full = top_at(ix, "Nicolas Maduro Moros", 0.76, &ent);
	extra = top_at(ix, "Glavnyi Zorblaxov Nicolas Maduro Moros", 0.76, &ent);
	cr_assert_gt(extra, 0.76, "two unseen words hid the name: %f", extra);
	cr_assert_eq(ent, 0);
	cr_assert_lt(extra, full - 0.1, "an unseen word must cost score: %f", extra);
	/* with one seen token the unseen one keeps its weight: another person */
	cr_assert_lt(top_at(ix, "Zorblaxov Emma", 0.3, &ent), 0.76);
	eg__index_free(ix);
}

/* Issue 12 item 5: a query token listed in its own spelling needs more
 * than a look-alike of another listed token, the more so in a one-token
 * query or for a token of three letters. */
Test(index, a_listed_token_does_not_hit_its_look_alikes)
{
	static const char *const list[] = {
		"SOBHAN", "SEPAHAN STEEL COMPANY", "KIM, Jong Man", "MIN, Aung Hlaing",
		"PETROV, Ivan", "IVANOV, Petr",
	};
	eg__index *ix = index_fixture_build(list, sizeof(list) / sizeof(list[0]));
	uint32_t ent = 99;

	/* Sepahan is listed: SOBHAN, a phonetic look-alike, is another name */
	cr_assert_lt(top_at(ix, "Sepahan", 0.5, &ent), 0.76);
	/* min is listed: man, one letter changed in three, is another name */
	ent = 99;
	if (top_at(ix, "Kim Jong Min", 0.5, &ent) >= 0.76)
		cr_assert_neq(ent, 2, "Kim Jong Min hit KIM, Jong Man");
	/* the listed names themselves and a typo of an unlisted spelling */
	cr_assert_gt(top_at(ix, "Sobhan", 0.76, &ent), 0.99);
	cr_assert_eq(ent, 0);
	cr_assert_gt(top_at(ix, "Kim Jong Man", 0.76, &ent), 0.99);
	cr_assert_eq(ent, 2);
	cr_assert_gt(top_at(ix, "Sobhaan", 0.76, &ent), 0.76);
	cr_assert_eq(ent, 0);
	eg__index_free(ix);
}

Test(index, neighbour_similarity_grows_as_the_query_shrinks)
{
	cr_assert_float_eq(eg__index_neighbour_sim(7, 1, 1), EG__SHORT_QUERY_SIM, 1e-9);
	cr_assert_float_eq(eg__index_neighbour_sim(3, 3, 0), EG__SHORT_TOKEN_SIM, 1e-9);
	cr_assert_float_eq(eg__index_neighbour_sim(3, 3, 1), EG__SHORT_TOKEN_SIM, 1e-9);
	/* beside two longer words a short one meets its look-alikes */
	cr_assert_float_eq(eg__index_neighbour_sim(3, 3, 2), 0.0, 1e-9);
	cr_assert_float_eq(eg__index_neighbour_sim(7, 3, 1), 0.0, 1e-9);
}

/* dated_only: a list reconstructed from a later publication keeps only
 * the entries whose listing start is known. */
Test(index, dated_only_keeps_entries_with_a_known_start)
{
	eg__index_builder *b = NULL;
	eg__index *ix = NULL;
	eg__match m[4];
	eg__search_opts o = {.min_score = 0.5, .date = 20211104};
	eg__norm *q = malloc(sizeof(*q));
	eg_error err;
	size_t n = 0;

	cr_assert_not_null(q);
	cr_assert_eq(eg__index_builder_new(&b, &err), 0);
	cr_assert_eq(eg__index_builder_add(b, 0, 0, EG_TYPE_ENTITY, 0, "Zorbulon Quantex", 16,
	                                   &err), 0);
	cr_assert_eq(eg__index_builder_add(b, 1, 0, EG_TYPE_ENTITY, 0, "Zorbulon Quantex", 16,
	                                   &err), 0);
	cr_assert_eq(eg__index_builder_entity(b, 0, EG_TYPE_ENTITY, NULL, 0, 20211104, 0, &err), 0);
	cr_assert_eq(eg__index_builder_entity(b, 1, EG_TYPE_ENTITY, NULL, 0, 0, 0, &err), 0);
	cr_assert_eq(eg__index_builder_finish(b, &ix, &err), 0);
	cr_assert_eq(eg__text_normalize(q, "Zorbulon Quantex", 16, &err), 0);
	cr_assert_eq(eg__index_search(ix, m, 4, &n, NULL, q, &o, &err), 0);
	cr_assert_eq(n, 2); /* no start date: in force on any date */
	o.dated_only = 1;
	cr_assert_eq(eg__index_search(ix, m, 4, &n, NULL, q, &o, &err), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(m[0].entity, 0);
	free(q);
	eg__index_free(ix);
}
