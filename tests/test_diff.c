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

	memset(&d, 0, sizeof(d));

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

	memset(&d, 0, sizeof(d));

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

/* The case in small: the same listing published as OFAC's legacy
 * CSV and as its enhanced XML differs only in how each format writes it. */
Test(diff, values_compared_normalised)
{
	eg__entity_set a, b;
	eg__arena ar;
	eg_diff d;
	eg__address xa = {"37 Plyushchikha ul.", "Moscow, 119121", "Russia", NULL};
	eg__address xb = {"37 PLYUSHCHIKHA UL., Moscow", "119121", "RU", NULL};
	eg__address ya = {"1 Main St", "Gaza", "Region: Gaza", NULL};
	eg__address yb = {"1 Main St.", "Gaza", "Palestinian", NULL};
	eg__entity *e;
	const eg_diff_field *f;

	memset(&d, 0, sizeof(d));
	eg__entity_set_init(&a);
	eg__entity_set_init(&b);
	eg__arena_init(&ar, 0);
	e = add(&a, "1", "BANK VTB PJSC");
	e->type = EG_TYPE_UNKNOWN;
	eg__entity_add_name(&a, e, "VTB BANK", 8, EG__NAME_AKA, 0);
	eg__entity_add_name(&a, e, "JSC BANK", 8, EG__NAME_AKA, 0);
	eg__entity_add_program(&a, e, "UKRAINE-EO13662", 15);
	eg__entity_add_program(&a, e, "RUSSIA-EO14024", 14);
	eg__entity_add_country(&a, e, "Russia", 6);
	eg__entity_add_address(&a, e, &xa);
	eg__entity_add_address(&a, e, &ya);
	e = add(&b, "1", "BANK VTB PJSC");
	eg__entity_add_name(&b, e, "JSC Bank", 8, EG__NAME_AKA, 0);
	eg__entity_add_name(&b, e, "VTB Bank", 8, EG__NAME_AKA, 0);
	eg__entity_add_program(&b, e, "RUSSIA-EO14024", 14);
	eg__entity_add_program(&b, e, "ukraine-eo13662", 15);
	eg__entity_add_address(&b, e, &yb);
	eg__entity_add_address(&b, e, &xb); /* its country RU is the listed "Russia" */
	cr_assert_eq(eg__diff_sets(&d, &ar, &a, &b), 0);
	cr_assert_eq(d.changed, 0, "%zu changed", d.changed);
	cr_assert_eq(d.unchanged, 1);
	cr_assert_str_eq(d.not_compared, "");

	/* a real change is still one: another postal code, a country dropped */
	eg__arena_clear(&ar);
	eg__arena_init(&ar, 0);
	memset(&d, 0, sizeof(d));
	xb.city = "119122";
	e = &b.v[0];
	e->n_addresses = 1; /* yb only */
	eg__entity_add_address(&b, e, &xb);
	e = add(&b, "2", "OTHER");
	eg__entity_add_country(&b, e, "Iran", 4);
	e = add(&a, "2", "OTHER");
	eg__entity_add_country(&a, e, "Iran", 4);
	eg__entity_add_country(&a, e, "Syria", 5);
	cr_assert_eq(eg__diff_sets(&d, &ar, &a, &b), 0);
	cr_assert_eq(d.changed, 2);
	f = field(entry(&d, "1"), "addresses");
	cr_assert_not_null(f);
	cr_assert_eq(f->n_removed, 1);
	cr_assert_eq(f->n_added, 1);
	cr_assert_null(field(entry(&d, "1"), "countries"), "RU still named by an address");
	f = field(entry(&d, "2"), "countries");
	cr_assert_not_null(f);
	cr_assert_eq(f->n_removed, 1);
	cr_assert_str_eq(f->removed[0], "Syria");
	eg__arena_clear(&ar);
	eg__entity_set_free(&a);
	eg__entity_set_free(&b);
}

Test(diff, kinds_one_version_lacks_are_named_not_compared)
{
	eg__entity_set a, b;
	eg__arena ar;
	eg_diff d;
	eg__entity *e;

	memset(&d, 0, sizeof(d));
	strcpy(d.from.format, "ofac-enhanced-xml");
	strcpy(d.to.format, "ofac-csv");
	eg__entity_set_init(&a);
	eg__entity_set_init(&b);
	eg__arena_init(&ar, 0);
	e = add(&a, "1", "SBERBANK");
	eg__entity_add_name(&a, e, "\xd0\xa1\xd0\x91\xd0\x95\xd0\xa0\xd0\x91\xd0\x90\xd0\x9d\xd0\x9a", 16,
	                    EG__NAME_AKA, 0); /* СБЕРБАНК: the CSV has no Cyrillic */
	eg__entity_add_name(&a, e, "SBER", 4, EG__NAME_AKA, 0);
	eg__entity_add_program(&a, e, "RUSSIA-EO14024", 14);
	eg__entity_set_str(&a, &e->start_date, "2022-02-24", 10);
	eg__entity_set_str(&a, &e->remarks, "Linked To: X", 12);
	eg__entity_add_attr(&a, e, "sanctions_type", "Block", 5);
	eg__entity_add_attr(&a, e, "gender", "Male", 4);
	e = add(&b, "1", "SBERBANK");
	eg__entity_add_name(&b, e, "SBER", 4, EG__NAME_AKA, 0);
	eg__entity_set_str(&b, &e->remarks, "Gender Male; Linked To: X.", 26);
	eg__entity_add_attr(&b, e, "gender", "Female", 6);
	cr_assert_eq(eg__diff_sets(&d, &ar, &a, &b), 0);
	cr_assert_eq(d.changed, 1, "only the gender both carry");
	cr_assert_eq(entry(&d, "1")->n_fields, 1);
	cr_assert_not_null(field(entry(&d, "1"), "attr:gender"));
	cr_assert_str_eq(d.not_compared,
	                 "programs, names in non-Latin scripts, start_date, remarks, 1 attribute");
	/* remarks of one format are compared */
	eg__arena_clear(&ar);
	eg__arena_init(&ar, 0);
	strcpy(d.from.format, "ofac-csv");
	cr_assert_eq(eg__diff_sets(&d, &ar, &a, &b), 0);
	cr_assert_not_null(field(entry(&d, "1"), "remarks"));
	eg__arena_clear(&ar);
	eg__entity_set_free(&a);
	eg__entity_set_free(&b);
}
