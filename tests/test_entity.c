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
