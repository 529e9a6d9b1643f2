/* test_entity.c - tests of the entity model (src/lists/entity.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lists/entity.h"
#include "../fuzz/invariants.h"

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

/* A name wrapped over lines (the UN list's original-script names) or holding
 * a control character (a C1 quote in the CSL) is stored as one line with a
 * space for each run holding a control: the normaliser refuses control
 * characters, so the index would leave such a name out. Runs of plain spaces
 * stay; a duplicate is found on the stored text. */
Test(entity, names_made_one_line)
{
	static const struct { const char *in, *out; } cases[] = {
		{"ABD\n      AL-RAHMAN", "ABD AL-RAHMAN"},
		{"A\r\nB\tC", "A B C"},
		{"A  B", "A  B"},
		{"A \n B", "A B"},
		{"Xi\xC2\x92" "an Factory", "Xi an Factory"},
		{"\x01", " "},
		{"caf\xC3\xA9", "caf\xC3\xA9"},
	};
	eg__entity_set s;
	eg__entity *e;
	size_t i;
	int dup;

	eg__entity_set_init(&s);
	e = eg__entity_set_add(&s, "1", 1, &dup);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_eq(eg__entity_add_name(&s, e, cases[i].in, strlen(cases[i].in),
		                                 EG__NAME_AKA, 0), 0);
		cr_assert_eq(e->n_names, i + 1);
		cr_assert_str_eq(e->names[i].text, cases[i].out, "case %zu", i);
	}
	cr_assert_eq(eg__entity_add_name(&s, e, "ABD\tAL-RAHMAN", 13, EG__NAME_AKA, 0), 0);
	cr_assert_eq(e->n_names, i, "the same name once made one line");
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

/* A set as a parser may leave it, with one entity "1" broken by `breaker`. */
static void expect_violation(void (*breaker)(eg__entity_set *s, eg__entity *e),
                             const char *expected)
{
	eg__entity_set s;
	eg__entity *e;
	eg__address a = {"1 Main St", "Moscow", "Russia", NULL};
	char why[256] = "";

	eg__entity_set_init(&s);
	e = eg__entity_set_add(&s, "1", 1, NULL);
	cr_assert_eq(eg__entity_add_name(&s, e, "ACME", 4, EG__NAME_PRIMARY, 0), 0);
	cr_assert_eq(eg__entity_add_address(&s, e, &a), 0);
	cr_assert_eq(eg__entity_set_str(&s, &e->start_date, "2020-02-29", 10), 0);
	e = eg__entity_set_add(&s, "2", 1, NULL);
	cr_assert_eq(eg__entity_add_name(&s, e, "OTHER", 5, EG__NAME_PRIMARY, 0), 0);
	if (breaker == NULL) {
		cr_assert_eq(fuzz_check_set(&s, why, sizeof(why)), 0, "%s", why);
		cr_assert_eq(s.v[0].n_iso, 1, "countries resolved by the check");
	} else {
		breaker(&s, &s.v[0]);
		cr_assert_eq(fuzz_check_set(&s, why, sizeof(why)), -1, "no violation found");
		cr_assert_not_null(strstr(why, expected), "\"%s\" lacks \"%s\"", why, expected);
	}
	eg__entity_set_free(&s);
}

static void no_name(eg__entity_set *s, eg__entity *e) { (void)s; e->n_names = 0; }
static void bad_utf8(eg__entity_set *s, eg__entity *e)
{
	cr_assert_eq(eg__entity_add_name(s, e, "AC\xc3", 3, EG__NAME_AKA, 0), 0);
}
static void bad_date(eg__entity_set *s, eg__entity *e)
{
	cr_assert_eq(eg__entity_set_str(s, &e->end_date, "2023-02-30", 10), 0);
}
static void bad_type(eg__entity_set *s, eg__entity *e) { (void)s; e->type = (eg_entity_type)9; }
static void any_type(eg__entity_set *s, eg__entity *e) { (void)s; e->type = EG_TYPE_ANY; }
static void count_over(eg__entity_set *s, eg__entity *e) { (void)s; e->n_programs = 3; }
static void empty_uid(eg__entity_set *s, eg__entity *e) { (void)s; e->uid = ""; }
static void same_uid(eg__entity_set *s, eg__entity *e) { s->v[1].uid = e->uid; }
static void not_primary(eg__entity_set *s, eg__entity *e)
{
	(void)s;
	e->names[0].kind = EG__NAME_AKA;
}
static void bad_published(eg__entity_set *s, eg__entity *e)
{
	(void)e;
	cr_assert_eq(eg__entity_set_str(s, &s->published, "2024-13-01", 10), 0);
}

Test(entity, fuzz_invariant_checker_finds_every_broken_set)
{
	expect_violation(NULL, "");
	expect_violation(no_name, "entity 1: no name");
	expect_violation(bad_utf8, "entity 1: name 1 not UTF-8");
	expect_violation(bad_date, "entity 1: a date not YYYY-MM-DD");
	expect_violation(bad_type, "entity 1: type 9 out of the enum");
	expect_violation(any_type, "entity 1: type 0 out of the enum");
	expect_violation(count_over, "entity 1: a count over its capacity");
	expect_violation(empty_uid, "empty uid");
	expect_violation(same_uid, "not unique");
	expect_violation(not_primary, "entity 1: first name not primary");
	expect_violation(bad_published, "published not YYYY-MM-DD");
}
