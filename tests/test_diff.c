/* test_diff.c - tests of the version diff (src/lists/diff.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "lists/diff.h"

static eg__entity *add(eg__entity_set *s, const char *uid, const char *name)
{
	eg__entity *e = eg__entity_set_add(s, uid, strlen(uid), NULL);

	cr_assert_not_null(e);
	cr_assert_eq(eg__entity_add_name(s, e, name, strlen(name), EG__NAME_PRIMARY, 0), 0);
	return e;
}

static const eg_diff_entry *entry(const eg_diff *d, const char *uid)
{
	size_t i;

	for (i = 0; i < d->count; i++)
		if (strcmp(d->entries[i].uid, uid) == 0)
			return &d->entries[i];
	return NULL;
}

static const eg_diff_field *field(const eg_diff_entry *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->n_fields; i++)
		if (strcmp(e->fields[i].field, name) == 0)
			return &e->fields[i];
	return NULL;
}

Test(diff, added_removed_changed_by_field)
{
	eg__entity_set a, b;
	eg__arena ar;
	eg_diff d;
	eg__address addr = {"1 Main St", "Tel Aviv", "Israel", NULL};
	eg__entity *e;
	const eg_diff_entry *x;
	const eg_diff_field *f;

	eg__entity_set_init(&a);
	eg__entity_set_init(&b);
	eg__arena_init(&ar, 0);
	e = add(&a, "1", "NSO GROUP");
	eg__entity_add_name(&a, e, "Q CYBER", 7, EG__NAME_AKA, 0);
	eg__entity_add_address(&a, e, &addr);
	eg__entity_add_attr(&a, e, "license_policy", "Case-by-case", 12);
	add(&a, "2", "GONE LTD");
	add(&a, "3", "SAME CO");
	e = add(&b, "1", "NSO GROUP");
	eg__entity_add_name(&b, e, "NSO GROUP TECHNOLOGIES", 22, EG__NAME_AKA, 0);
	eg__entity_add_address(&b, e, &addr);
	eg__entity_add_attr(&b, e, "license_policy", "Presumption of denial", 21);
	add(&b, "3", "SAME CO");
	add(&b, "4", "CANDIRU");

	cr_assert_eq(eg__diff_sets(&d, &ar, &a, &b), 0);
	cr_assert_eq(d.added, 1);
	cr_assert_eq(d.removed, 1);
	cr_assert_eq(d.changed, 1);
	cr_assert_eq(d.unchanged, 1);
	cr_assert_str_eq(d.not_compared, "");
	cr_assert_eq(entry(&d, "4")->kind, EG_DIFF_ADDED);
	cr_assert_eq(entry(&d, "2")->kind, EG_DIFF_REMOVED);
	cr_assert_null(entry(&d, "3"));
	x = entry(&d, "1");
	cr_assert_eq(x->kind, EG_DIFF_CHANGED);
	cr_assert_eq(x->n_fields, 2, "names and the licence policy changed");
	f = field(x, "names");
	cr_assert_not_null(f);
	cr_assert_eq(f->n_removed, 1);
	cr_assert_str_eq(f->removed[0], "Q CYBER [aka]");
	cr_assert_str_eq(f->added[0], "NSO GROUP TECHNOLOGIES [aka]");
	f = field(x, "attr:license_policy");
	cr_assert_not_null(f);
	cr_assert_str_eq(f->added[0], "Presumption of denial");
	cr_assert_null(field(x, "addresses"));
	eg__arena_clear(&ar);
	eg__entity_set_free(&a);
	eg__entity_set_free(&b);
}

Test(diff, fields_a_publication_lacks_are_not_compared)
{
	eg__entity_set a, b;
	eg__arena ar;
	eg_diff d;
	eg__address addr = {"Zweierstrasse 35", "Zurich", "Switzerland", NULL};
	eg__entity *e;

	eg__entity_set_init(&a);
	eg__entity_set_init(&b);
	eg__arena_init(&ar, 0);
	e = add(&a, "306", "BANCO NACIONAL DE CUBA");
	eg__entity_add_name(&a, e, "NATIONAL BANK OF CUBA", 21, EG__NAME_AKA, 0);
	eg__entity_add_address(&a, e, &addr);
	add(&b, "306", "BANCO NACIONAL DE CUBA"); /* sdn.csv alone: no alt, no add */
	cr_assert_eq(eg__diff_sets(&d, &ar, &a, &b), 0);
	cr_assert_eq(d.changed, 0);
	cr_assert_eq(d.unchanged, 1);
	cr_assert_str_eq(d.not_compared, "aliases, addresses, countries");
	eg__arena_clear(&ar);
	eg__entity_set_free(&a);
	eg__entity_set_free(&b);
}
