/* test_entity.c - tests of the entity model (src/lists/entity.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lists/entity.h"

Test(entity, add_find_and_dedupe)
{
	eg__entity_set s;
	eg__entity *e;
	eg__address a = {"Zweierstrasse 35", "Zurich", "Switzerland", NULL};
	int dup;

	eg__entity_set_init(&s);
	e = eg__entity_set_add(&s, "306", 3, &dup);
	cr_assert_not_null(e);
	cr_assert_eq(eg__entity_add_name(&s, e, "BANCO NACIONAL DE CUBA", 22, EG__NAME_PRIMARY, 0), 0);
	cr_assert_eq(eg__entity_add_name(&s, e, "BNC", 3, EG__NAME_AKA, 1), 0);
	cr_assert_eq(eg__entity_add_name(&s, e, "BNC", 3, EG__NAME_AKA, 1), 0);
	cr_assert_eq(eg__entity_add_name(&s, e, "", 0, EG__NAME_AKA, 0), 0);
	cr_assert_eq(e->n_names, 2);
	cr_assert_eq(e->names[1].weak, 1);
	cr_assert_eq(eg__entity_add_address(&s, e, &a), 0);
	cr_assert_eq(eg__entity_add_program(&s, e, "CUBA", 4), 0);
	cr_assert_eq(eg__entity_add_program(&s, e, "CUBA", 4), 0);
	cr_assert_eq(e->n_programs, 1);
	cr_assert_eq(eg__entity_add_attr(&s, e, "title", "Bank", 4), 0);
	cr_assert_str_eq(eg__entity_attr(e, "title"), "Bank");
	cr_assert_null(eg__entity_attr(e, "nope"));
	cr_assert_null(eg__entity_set_add(&s, "306", 3, &dup));
	cr_assert_eq(dup, 1);
	cr_assert_eq(eg__entity_set_find(&s, "306", 3), &s.v[0]);
	cr_assert_null(eg__entity_set_find(&s, "30", 2));
	cr_assert_eq(eg__entity_set_names(&s), 2);
	eg__entity_set_free(&s);
}

Test(entity, many_entities_keep_their_index)
{
	eg__entity_set s;
	char uid[16];
	int i, n;

	eg__entity_set_init(&s);
	for (i = 0; i < 5000; i++) {
		n = snprintf(uid, sizeof(uid), "u%d", i);
		cr_assert_not_null(eg__entity_set_add(&s, uid, (size_t)n, NULL));
	}
	for (i = 0; i < 5000; i += 7) {
		eg__entity *e;
		n = snprintf(uid, sizeof(uid), "u%d", i);
		e = eg__entity_set_find(&s, uid, (size_t)n);
		cr_assert_not_null(e);
		cr_assert_str_eq(e->uid, uid);
	}
	eg__entity_set_free(&s);
	eg__entity_set_free(NULL);
}

Test(entity, resolve_countries_to_iso_codes)
{
	eg__entity_set s;
	eg__entity *e, *f;
	eg__address a = {"Tverskaya 1", "Moscow", "Russia", NULL};
	eg__address b = {NULL, "Simferopol", "Region: Crimea", NULL};
	eg_error err;
	size_t missed = 99;

	memset(&err, 0, sizeof(err));
	eg__entity_set_init(&s);
	e = eg__entity_set_add(&s, "1", 1, NULL);
	cr_assert_eq(eg__entity_add_name(&s, e, "A", 1, EG__NAME_PRIMARY, 0), 0);
	cr_assert_eq(eg__entity_add_country(&s, e, "RU", 2), 0);
	cr_assert_eq(eg__entity_add_country(&s, e, "Korea, North", 12), 0);
	cr_assert_eq(eg__entity_add_country(&s, e, "na", 2), 0);
	cr_assert_eq(eg__entity_add_address(&s, e, &a), 0);
	cr_assert_eq(eg__entity_add_address(&s, e, &b), 0);
	f = eg__entity_set_add(&s, "2", 1, NULL);
	cr_assert_eq(eg__entity_add_name(&s, f, "B", 1, EG__NAME_PRIMARY, 0), 0);
	e = &s.v[0];
	cr_assert_null(e->iso);
	cr_assert_eq(eg__entity_set_resolve_countries(&s, &missed, &err), 0);
	cr_assert_eq(missed, 2); /* "na", "Region: Crimea" */
	cr_assert_eq(e->n_iso, 2); /* RU once, KP */
	cr_assert(e->iso[0] == EG__ISO_PACK('R', 'U'));
	cr_assert(e->iso[1] == EG__ISO_PACK('K', 'P'));
	cr_assert_str_eq(e->countries[1], "Korea, North"); /* the text is kept */
	cr_assert_eq(s.v[1].n_iso, 0);
	cr_assert_null(s.v[1].iso);
	/* again: the same codes, not doubled */
	cr_assert_eq(eg__entity_set_resolve_countries(&s, NULL, &err), 0);
	cr_assert_eq(s.v[0].n_iso, 2);
	eg__entity_set_free(&s);
}

Test(entity, carries_the_kinds_of_field_present)
{
	eg__entity_set s;
	eg__entity *e;
	eg__address a = {"Main St 1", NULL, NULL, NULL};
	eg__address c = {NULL, NULL, "Iran", NULL};

	eg__entity_set_init(&s);
	cr_assert_eq(eg__entity_set_carries(&s), 0);
	e = eg__entity_set_add(&s, "1", 1, NULL);
	cr_assert_eq(eg__entity_add_name(&s, e, "A", 1, EG__NAME_PRIMARY, 0), 0);
	cr_assert_eq(eg__entity_set_carries(&s), 0);
	/* a weak alias (read from remarks) is not an alias file */
	cr_assert_eq(eg__entity_add_name(&s, e, "AA", 2, EG__NAME_AKA, 1), 0);
	cr_assert_eq(eg__entity_set_carries(&s), 0);
	cr_assert_eq(eg__entity_add_address(&s, e, &a), 0);
	cr_assert_eq(eg__entity_set_carries(&s), EG_CARRIES_ADDRESSES);
	e = eg__entity_set_add(&s, "2", 1, NULL);
	cr_assert_eq(eg__entity_add_name(&s, e, "B", 1, EG__NAME_PRIMARY, 0), 0);
	cr_assert_eq(eg__entity_add_address(&s, e, &c), 0);
	cr_assert_eq(eg__entity_set_carries(&s), EG_CARRIES_ADDRESSES | EG_CARRIES_COUNTRIES);
	cr_assert_eq(eg__entity_add_name(&s, e, "BB", 2, EG__NAME_FKA, 0), 0);
	cr_assert_eq(eg__entity_add_attr(&s, e, "dob", "1970", 4), 0);
	cr_assert_eq(eg__entity_add_program(&s, e, "SDGT", 4), 0);
	cr_assert_eq(eg__entity_set_carries(&s), EG_CARRIES_ALL);
	eg__entity_set_free(&s);
}
