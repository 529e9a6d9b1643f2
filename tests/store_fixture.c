/* store_fixture.c - entity sets, versions and comparisons shared by the
 * store tests (test_sqlite.c, test_store.c). */
#include <criterion/criterion.h>

#include "store_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

eg_list_version version_of(const char *source, const char *published, char shachar)
{
	eg_list_version v;

	memset(&v, 0, sizeof(v));
	snprintf(v.source, sizeof(v.source), "%s", source);
	snprintf(v.format, sizeof(v.format), "%s", "ofac-csv");
	snprintf(v.published, sizeof(v.published), "%s", published);
	memset(v.sha256, shachar, 64);
	v.sha256[64] = '\0';
	return v;
}

void add_name(eg__entity_set *s, eg__entity *e, const char *t, eg__name_kind k, int weak)
{
	cr_assert_eq(eg__entity_add_name(s, e, t, strlen(t), k, weak), 0);
}

/* Three entities using every field, NULLs included, in a non-sorted uid order. */
void build_set(eg__entity_set *s)
{
	eg__address a1 = {"Calle 23 No. 55", "Havana", "Cuba", "head office"};
	eg__address a2 = {NULL, "Madrid", "Spain", NULL};
	eg__entity *e;

	eg__entity_set_init(s);
	e = eg__entity_set_add(s, "306", 3, NULL);
	cr_assert_not_null(e);
	e->type = EG_TYPE_ENTITY;
	add_name(s, e, "BANCO NACIONAL DE CUBA", EG__NAME_PRIMARY, 0);
	add_name(s, e, "BNC", EG__NAME_AKA, 1);
	add_name(s, e, "NATIONAL BANK OF CUBA", EG__NAME_FKA, 0);
	add_name(s, e, "BANCO CENTRAL", EG__NAME_NKA, 0);
	cr_assert_eq(eg__entity_add_address(s, e, &a1), 0);
	cr_assert_eq(eg__entity_add_address(s, e, &a2), 0);
	cr_assert_eq(eg__entity_add_program(s, e, "CUBA", 4), 0);
	cr_assert_eq(eg__entity_add_program(s, e, "SDGT", 4), 0);
	cr_assert_eq(eg__entity_add_country(s, e, "Cuba", 4), 0);
	cr_assert_eq(eg__entity_add_country(s, e, "Spain", 5), 0);
	cr_assert_eq(eg__entity_add_attr(s, e, "federal_register_notice", "89 FR 1234", 10), 0);
	cr_assert_eq(eg__entity_add_attr(s, e, "license_policy", "Presumption of denial", 21), 0);
	cr_assert_eq(eg__entity_set_str(s, &e->remarks, "a.k.a. 'BNC'; Linked To: X.", 27), 0);
	cr_assert_eq(eg__entity_set_str(s, &e->start_date, "1962-02-07", 10), 0);
	cr_assert_eq(eg__entity_set_str(s, &e->end_date, "2030-12-31", 10), 0);

	e = eg__entity_set_add(s, "10001", 5, NULL);
	cr_assert_not_null(e);
	e->type = EG_TYPE_INDIVIDUAL;
	add_name(s, e, "Иван Петрович ПЕТРОВ", EG__NAME_PRIMARY, 0);
	add_name(s, e, "محمد", EG__NAME_AKA, 1);
	add_name(s, e, "王伟", EG__NAME_AKA, 0);

	e = eg__entity_set_add(s, "2", 1, NULL);
	cr_assert_not_null(e);
	e->type = EG_TYPE_VESSEL;
	add_name(s, e, "SEA STAR", EG__NAME_PRIMARY, 0);
	s->published = NULL;
}

/* A set of n plain entities with two names each; uids prefixed by tag. */
void build_plain(eg__entity_set *s, size_t n, const char *tag)
{
	char buf[64];
	size_t i;

	eg__entity_set_init(s);
	for (i = 0; i < n; i++) {
		int len = snprintf(buf, sizeof(buf), "%s-%zu", tag, i);
		eg__entity *e = eg__entity_set_add(s, buf, (size_t)len, NULL);
		cr_assert_not_null(e);
		add_name(s, e, buf, EG__NAME_PRIMARY, 0);
		len = snprintf(buf, sizeof(buf), "alias %s %zu", tag, i);
		add_name(s, e, buf, EG__NAME_AKA, (int)(i & 1));
		cr_assert_eq(eg__entity_add_program(s, e, "P", 1), 0);
	}
}

void assert_str_eq(const char *a, const char *b, const char *what)
{
	if (a == NULL || b == NULL)
		cr_assert(a == b, "%s: %s vs %s", what, a ? a : "NULL", b ? b : "NULL");
	else
		cr_assert_str_eq(a, b, "%s", what);
}

void assert_sets_equal(const eg__entity_set *a, const eg__entity_set *b)
{
	size_t i, j;

	cr_assert_eq(a->n, b->n, "entity count %zu vs %zu", a->n, b->n);
	for (i = 0; i < a->n; i++) {
		const eg__entity *x = &a->v[i], *y = &b->v[i];
		assert_str_eq(x->uid, y->uid, "uid");
		cr_assert_eq(x->type, y->type, "type of %s", x->uid);
		assert_str_eq(x->remarks, y->remarks, "remarks");
		assert_str_eq(x->start_date, y->start_date, "start_date");
		assert_str_eq(x->end_date, y->end_date, "end_date");
		cr_assert_eq(x->n_names, y->n_names, "names of %s", x->uid);
		for (j = 0; j < x->n_names; j++) {
			assert_str_eq(x->names[j].text, y->names[j].text, "name");
			cr_assert_eq(x->names[j].kind, y->names[j].kind, "kind of %s", x->names[j].text);
			cr_assert_eq(x->names[j].weak, y->names[j].weak, "weak of %s", x->names[j].text);
		}
		cr_assert_eq(x->n_addresses, y->n_addresses, "addresses of %s", x->uid);
		for (j = 0; j < x->n_addresses; j++) {
			assert_str_eq(x->addresses[j].street, y->addresses[j].street, "street");
			assert_str_eq(x->addresses[j].city, y->addresses[j].city, "city");
			assert_str_eq(x->addresses[j].country, y->addresses[j].country, "country");
			assert_str_eq(x->addresses[j].remarks, y->addresses[j].remarks, "addr remarks");
		}
		cr_assert_eq(x->n_programs, y->n_programs, "programs of %s", x->uid);
		for (j = 0; j < x->n_programs; j++)
			assert_str_eq(x->programs[j], y->programs[j], "program");
		cr_assert_eq(x->n_countries, y->n_countries, "countries of %s", x->uid);
		for (j = 0; j < x->n_countries; j++)
			assert_str_eq(x->countries[j], y->countries[j], "country");
		cr_assert_eq(x->n_attrs, y->n_attrs, "attrs of %s", x->uid);
		for (j = 0; j < x->n_attrs; j++) {
			assert_str_eq(x->attrs[j].key, y->attrs[j].key, "attr key");
			assert_str_eq(x->attrs[j].value, y->attrs[j].value, "attr value");
		}
		cr_assert_not_null(eg__entity_set_find(b, x->uid, strlen(x->uid)),
		                   "loaded set indexes uid %s", x->uid);
	}
}

/* Field by field: struct copies need not preserve padding bytes. */
void assert_version_eq(const eg_list_version *a, const eg_list_version *b)
{
	cr_assert_eq(a->id, b->id);
	cr_assert_str_eq(a->source, b->source);
	cr_assert_str_eq(a->format, b->format);
	cr_assert_str_eq(a->published, b->published);
	cr_assert_str_eq(a->imported, b->imported);
	cr_assert_str_eq(a->sha256, b->sha256);
	cr_assert_eq(a->entities, b->entities);
	cr_assert_eq(a->names, b->names);
}

void add_ok(eg__store *st, eg_list_version *v, const eg__entity_set *set)
{
	eg_error err = {0};
	int rc = eg__store_add_version(st, v, set, &err);

	cr_assert_eq(rc, 0, "add_version: %s", err.message);
}

void today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Loads the given positions and checks each against the full load. */
void check_positions(eg__store *st, int64_t id, const eg__entity_set *all,
                            const uint32_t *ord, size_t n)
{
	eg__entity_set got, want;
	eg_error err = {0};
	size_t k;

	eg__entity_set_init(&got);
	eg__entity_set_init(&want);
	cr_assert_eq(eg__store_load_entities(st, &got, id, ord, n, &err), 0, "%s", err.message);
	for (k = 0; k < n; k++) {
		const eg__entity *src = &all->v[ord[k]];
		eg__entity *e = eg__entity_set_add(&want, src->uid, strlen(src->uid), NULL);
		size_t j;
		cr_assert_not_null(e);
		e->type = src->type;
		for (j = 0; j < src->n_names; j++)
			add_name(&want, e, src->names[j].text, src->names[j].kind, src->names[j].weak);
		for (j = 0; j < src->n_addresses; j++)
			cr_assert_eq(eg__entity_add_address(&want, e, &src->addresses[j]), 0);
		for (j = 0; j < src->n_programs; j++)
			cr_assert_eq(eg__entity_add_program(&want, e, src->programs[j],
			                                    strlen(src->programs[j])), 0);
		for (j = 0; j < src->n_countries; j++)
			cr_assert_eq(eg__entity_add_country(&want, e, src->countries[j],
			                                    strlen(src->countries[j])), 0);
		for (j = 0; j < src->n_attrs; j++)
			cr_assert_eq(eg__entity_add_attr(&want, e, src->attrs[j].key, src->attrs[j].value,
			                                 strlen(src->attrs[j].value)), 0);
		if (src->remarks)
			cr_assert_eq(eg__entity_set_str(&want, &e->remarks, src->remarks,
			                                strlen(src->remarks)), 0);
		if (src->start_date)
			cr_assert_eq(eg__entity_set_str(&want, &e->start_date, src->start_date, 10), 0);
		if (src->end_date)
			cr_assert_eq(eg__entity_set_str(&want, &e->end_date, src->end_date, 10), 0);
	}
	assert_sets_equal(&want, &got);
	cr_assert_null(got.published, "published is left alone");
	eg__entity_set_free(&got);
	eg__entity_set_free(&want);
}

void copy_store(const char *from, const char *to)
{
	char cmd[2048];
	int len = snprintf(cmd, sizeof(cmd), "rm -f %s-shm %s-wal && cp %s %s && "
	                   "{ [ ! -e %s-wal ] || cp %s-wal %s-wal; }", to, to, from, to, from, from,
	                   to);

	cr_assert(len > 0 && (size_t)len < sizeof(cmd), "paths too long: %s, %s", from, to);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}
