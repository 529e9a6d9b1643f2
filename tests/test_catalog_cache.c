/* test_catalog_cache.c - the entities of a mapped version that answers
 * read from the store: kept in the version's bounded cache, the same as
 * read, and read into the caller's scratch once the cache is full. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "lists/entity.h"
#include "store/store.h"

#define N_ENTITIES (EG__CATALOG_ENTITY_CACHE + 300)

static char g_dir[64];

static void make_dir(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(g_dir, sizeof(g_dir), "%s/eg-ecache-XXXXXX", t && strlen(t) < 40 ? t : "/tmp");
	cr_assert(mkdtemp(g_dir) != NULL);
}

static void remove_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(catalog_cache, .init = make_dir, .fini = remove_dir, .timeout = 120);

/* Adds set to the store at path as a version of "test-src" whose digest
 * is the number n written out; returns the version. */
static eg_list_version add_version(const char *path, const eg__entity_set *set, int n)
{
	eg__store *st = NULL;
	eg_list_version v;
	eg_error err;

	cr_assert_eq(eg__store_open_sqlite(&st, path, 0, &err), 0, "%s", err.message);
	memset(&v, 0, sizeof(v));
	snprintf(v.source, sizeof(v.source), "test-src");
	snprintf(v.format, sizeof(v.format), "ofac-csv");
	snprintf(v.sha256, sizeof(v.sha256), "%064d", n);
	cr_assert_eq(eg__store_add_version(st, &v, set, &err), 0, "%s", err.message);
	eg__store_close(st);
	return v;
}

/* A store of one version of N_ENTITIES entities, "E<i>" named "Name <i>
 * Holding" with two countries; returns its version. */
static eg_list_version make_store(const char *path)
{
	eg__entity_set set;
	eg_list_version v;
	char buf[64];
	size_t i;

	eg__entity_set_init(&set);
	for (i = 0; i < N_ENTITIES; i++) {
		eg__entity *e;
		snprintf(buf, sizeof(buf), "E%zu", i);
		e = eg__entity_set_add(&set, buf, strlen(buf), NULL);
		cr_assert_not_null(e);
		snprintf(buf, sizeof(buf), "Name%zu Holding", i);
		cr_assert_eq(eg__entity_add_name(&set, e, buf, strlen(buf), EG__NAME_PRIMARY, 0), 0);
		cr_assert_eq(eg__entity_add_country(&set, e, "Cuba", 4), 0);
		cr_assert_eq(eg__entity_add_country(&set, e, i % 2 ? "Iran" : "Syria", i % 2 ? 4 : 5),
		             0);
	}
	v = add_version(path, &set, 7);
	eg__entity_set_free(&set);
	return v;
}

/* The version loaded by a fresh catalog over the store at path. */
static eg__catalog *open_catalog(const char *path, const char *idx, const eg_list_version *v,
                                 eg__loaded **l)
{
	eg__catalog_options o = {idx, 0, 100, 0, NULL, NULL};
	eg__catalog *cat = NULL;
	eg__store *st = NULL;
	eg_error err;

	cr_assert_eq(eg__store_open_sqlite(&st, path, 1, &err), 0, "%s", err.message);
	cr_assert_eq(eg__catalog_open(&cat, st, &o, &err), 0, "%s", err.message);
	cr_assert_eq(eg__catalog_get(cat, l, v, &err), 0, "%s", err.message);
	return cat;
}

Test(catalog_cache, entities_of_a_mapped_version_are_cached_up_to_the_cap)
{
	char path[128], idx[128], want[64];
	eg_list_version v;
	eg__catalog *cat;
	eg__loaded *l;
	eg_error err;
	const eg__entity *first[N_ENTITIES];
	uint32_t ord;

	snprintf(path, sizeof(path), "%s/s.db", g_dir);
	snprintf(idx, sizeof(idx), "%s/s.db.idx", g_dir);
	v = make_store(path);
	/* the first catalog builds the index, saves it and answers from the
	 * saved file; so does the second, which finds it */
	cat = open_catalog(path, idx, &v, &l);
	cr_assert_null(l->set, "a built index is answered from its saved file");
	eg__loaded_release(l);
	eg__catalog_free(cat);
	cat = open_catalog(path, idx, &v, &l);
	cr_assert_null(l->set, "the second open maps the index");

	for (ord = 0; ord < N_ENTITIES; ord++) {
		eg__entity_set scratch, scratch2;
		const eg__entity *e, *again;
		eg__entity_set_init(&scratch);
		eg__entity_set_init(&scratch2);
		cr_assert_eq(eg__catalog_entities(cat, l, &scratch, &ord, 1, &e, &err), 0, "%s",
		             err.message);
		snprintf(want, sizeof(want), "E%u", ord);
		cr_assert_str_eq(e->uid, want);
		snprintf(want, sizeof(want), "Name%u Holding", ord);
		cr_assert_eq(e->n_names, 1);
		cr_assert_str_eq(e->names[0].text, want);
		cr_assert_eq(e->n_countries, 2);
		cr_assert_str_eq(e->countries[1], ord % 2 ? "Iran" : "Syria");
		cr_assert_eq(e->n_iso, 2, "countries resolved to ISO codes");
		/* asked again: the same entity, from the cache while there was room */
		cr_assert_eq(eg__catalog_entities(cat, l, &scratch2, &ord, 1, &again, &err), 0, "%s",
		             err.message);
		cr_assert_str_eq(again->uid, e->uid);
		if (ord < EG__CATALOG_ENTITY_CACHE) {
			cr_assert_eq(again, e, "entity %u is cached", ord);
			cr_assert_eq(scratch.n + scratch2.n, 0, "nothing read into scratch while cached");
			first[ord] = e;
		} else {
			cr_assert(scratch.n == 1 && scratch2.n == 1, "the cache is full: read into scratch");
		}
		eg__entity_set_free(&scratch);
		eg__entity_set_free(&scratch2);
	}
	cr_assert_eq(l->ecache->n, EG__CATALOG_ENTITY_CACHE);
	/* cached entities never move while the version is held */
	for (ord = 0; ord < EG__CATALOG_ENTITY_CACHE; ord += 97) {
		const eg__entity *e;
		eg__entity_set scratch;
		eg__entity_set_init(&scratch);
		cr_assert_eq(eg__catalog_entities(cat, l, &scratch, &ord, 1, &e, &err), 0);
		cr_assert_eq(e, first[ord]);
		eg__entity_set_free(&scratch);
	}
	/* one past the version's entities is an error, cached or not */
	ord = N_ENTITIES;
	{
		const eg__entity *e;
		eg__entity_set scratch;
		eg__entity_set_init(&scratch);
		cr_assert_neq(eg__catalog_entities(cat, l, &scratch, &ord, 1, &e, &err), 0);
		eg__entity_set_free(&scratch);
	}
	eg__loaded_release(l);
	eg__catalog_free(cat);
}

/* A version that a newer one of its source replaced, left unused for the
 * catalog's idle time, is dropped (its memory with it); the newest stays. */
Test(catalog_cache, replaced_idle_versions_are_dropped)
{
	char path[128], idx[128];
	eg_list_version v1, v2;
	eg__catalog_options o;
	eg__catalog *cat = NULL;
	eg__store *st = NULL;
	eg__loaded *l1, *l2, *again;
	eg__versions *vs;
	eg__entity_set set;
	eg_error err;

	snprintf(path, sizeof(path), "%s/s.db", g_dir);
	snprintf(idx, sizeof(idx), "%s/s.db.idx", g_dir);
	v1 = make_store(path);
	memset(&o, 0, sizeof(o));
	o.index_dir = idx;
	o.refresh_ms = 10;
	o.idle_ms = 1500;
	cr_assert_eq(eg__store_open_sqlite(&st, path, 1, &err), 0, "%s", err.message);
	cr_assert_eq(eg__catalog_open(&cat, st, &o, &err), 0, "%s", err.message);
	cr_assert_eq(eg__catalog_versions(cat, &vs, &err), 0, "%s", err.message);
	eg__versions_release(vs);
	cr_assert_eq(eg__catalog_get(cat, &l1, &v1, &err), 0, "%s", err.message);

	/* another handle (as another process) adds a newer version */
	eg__entity_set_init(&set);
	cr_assert_not_null(eg__entity_set_add(&set, "N1", 2, NULL));
	cr_assert_eq(eg__entity_add_name(&set, &set.v[0], "New Name", 8, EG__NAME_PRIMARY, 0), 0);
	v2 = add_version(path, &set, 8);
	eg__entity_set_free(&set);
	usleep(50 * 1000);
	cr_assert_eq(eg__catalog_versions(cat, &vs, &err), 0, "%s", err.message);
	cr_assert_eq(vs->n, 2);
	eg__versions_release(vs);

	/* used just now: kept, though replaced */
	cr_assert_eq(eg__catalog_get(cat, &again, &v1, &err), 0, "%s", err.message);
	eg__loaded_release(again);
	cr_assert_eq(eg__catalog_get(cat, &l2, &v2, &err), 0, "%s", err.message);
	cr_assert_eq(atomic_load(&l1->refs), 2, "the catalog still holds the old version");
	usleep(1700 * 1000);
	/* the next use of the newest looks for idle ones */
	cr_assert_eq(eg__catalog_get(cat, &again, &v2, &err), 0, "%s", err.message);
	cr_assert_eq(again, l2, "the newest stays loaded");
	cr_assert_eq(atomic_load(&l1->refs), 1, "the replaced, idle version was dropped");
	eg__loaded_release(again);
	eg__loaded_release(l2);
	eg__loaded_release(l1);
	eg__catalog_free(cat);
}
