/* test_countries.c - tests of the countries module (versioned country lists in data/countries/). */
#include <criterion/criterion.h>

#include "lists/countries.h"
#include "lists/isocountry.h"

#include <stdio.h>
#include <string.h>

#define BUNDLED "data/countries"
#define FIXTURES "tests/data/countries"

static eg__iso_codes iso;
static eg__country_lists *lists;
static eg_error err;

static void setup(void)
{
	memset(&err, 0, sizeof(err));
	lists = NULL;
	cr_assert_eq(eg__countries_iso_load(&iso, NULL, &err), 0, "%s", err.message);
}

static void teardown(void)
{
	eg__countries_free(lists);
}

TestSuite(countries, .init = setup, .fini = teardown);

static void load_bundled(void)
{
	int rc = eg__countries_load_dir(&lists, BUNDLED, &iso, &err);
	cr_assert_eq(rc, 0, "%s", err.message);
	cr_assert_not_null(lists);
}

static eg__country_answer ask(const char *list, const char *code, const char *date)
{
	eg__country_answer a;
	int rc = eg__countries_member(&a, NULL, lists, list, code, date, &err);
	cr_assert_eq(rc, 0, "%s %s %s: %s", list, code, date ? date : "newest", err.message);
	return a;
}

static int has(const eg__country_code *c, size_t n, const char *code)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(c[i].c, code) == 0)
			return 1;
	return 0;
}

Test(countries, iso_table_has_the_codes_we_use)
{
	cr_assert_geq(iso.count, 240);
	cr_assert(eg__countries_iso_has(&iso, "GB", 2));
	cr_assert(eg__countries_iso_has(&iso, "TW", 2));
	cr_assert_not(eg__countries_iso_has(&iso, "XK", 2)); /* Kosovo: not in ISO 3166-1 */
	cr_assert_not(eg__countries_iso_has(&iso, "gb", 2));
	cr_assert_not(eg__countries_iso_has(&iso, "GBR", 3));
}

Test(countries, missing_iso_table_names_the_file)
{
	eg__iso_codes none;
	int rc = eg__countries_iso_load(&none, "tests/data/countries/no-such-iso.json", &err);
	cr_assert_eq(rc, EG_ENOTFOUND);
	cr_assert(strstr(err.message, "no-such-iso.json") != NULL, "%s", err.message);
	cr_assert(strstr(err.message, "iso-codes") != NULL, "%s", err.message);
}

Test(countries, bundled_lists_and_versions)
{
	static const struct { const char *name; size_t versions; } want[] = {
		{"eu001", 2}, {"il-cyber-exempt", 2}, {"us-cg-a6", 1}, {"us-cg-d1", 1},
		{"us-cg-d5", 1}, {"us-cg-e1", 1}, {"us-cg-e2", 1},
	};
	size_t i;

	load_bundled();
	cr_assert_eq(eg__countries_count(lists), sizeof(want) / sizeof(want[0]));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const eg__country_list *l = eg__countries_at(lists, i);
		cr_assert_str_eq(l->name, want[i].name); /* iteration is in name order */
		cr_assert_eq(l->n_versions, want[i].versions, "%s", l->name);
		cr_assert_eq(eg__countries_find(lists, want[i].name), l);
		cr_assert_geq(l->versions[0].n_sources, 1);
	}
	cr_assert_null(eg__countries_at(lists, i));
	cr_assert_null(eg__countries_find(lists, "il-cyber"));
}

Test(countries, israel_versions)
{
	const eg__country_list *l;
	const eg__country_version *old, *cur;

	load_bundled();
	l = eg__countries_find(lists, "il-cyber-exempt");
	cr_assert_not_null(l);
	old = &l->versions[0];
	cur = &l->versions[1];
	cr_assert_str_eq(cur->effective, "2021-11-01");
	cr_assert_not(cur->partial);
	cr_assert(cur->size_known);
	cr_assert_eq(cur->size, 37);
	cr_assert_eq(cur->n_members, 37);
	cr_assert(old->partial);
	cr_assert(old->size_known);
	cr_assert_eq(old->size, 102);
	cr_assert_eq(old->n_members, 41);
	cr_assert(old->effective_approximate);
	cr_assert_eq(eg__countries_version_at(l, "2021-10-31"), old);
	cr_assert_eq(eg__countries_version_at(l, "2021-11-01"), cur);
	cr_assert_eq(eg__countries_version_at(l, NULL), cur);
	cr_assert_null(eg__countries_version_at(l, "2016-12-31")); /* before the first */
	cr_assert_null(eg__countries_version_at(l, "2021-13-01"));
	/* FR stayed by inference; AE is named as dropped, a reported fact. */
	cr_assert_eq(eg__countries_basis(old, "FR"), EG__BASIS_INFERRED);
	cr_assert_eq(eg__countries_basis(old, "AE"), EG__BASIS_VERIFIED);
}

Test(countries, israel_membership)
{
	load_bundled();
	cr_assert_eq(ask("il-cyber-exempt", "IN", "2021-11-15"), EG__COUNTRY_YES);
	cr_assert_eq(ask("il-cyber-exempt", "AE", "2021-11-15"), EG__COUNTRY_NO);
	cr_assert_eq(ask("il-cyber-exempt", "AE", "2020-06-01"), EG__COUNTRY_YES);
	cr_assert_eq(ask("il-cyber-exempt", "MX", "2020-06-01"), EG__COUNTRY_YES);
	cr_assert_eq(ask("il-cyber-exempt", "FR", "2020-06-01"), EG__COUNTRY_YES);
	cr_assert_eq(ask("il-cyber-exempt", "BR", "2020-06-01"), EG__COUNTRY_UNKNOWN);
	cr_assert_eq(ask("il-cyber-exempt", "BR", "2021-11-15"), EG__COUNTRY_NO);
	cr_assert_eq(ask("il-cyber-exempt", "HU", "2021-11-15"), EG__COUNTRY_NO);
	cr_assert_eq(ask("il-cyber-exempt", "HU", NULL), EG__COUNTRY_NO);
}

Test(countries, member_errors)
{
	eg__country_answer a;
	const eg__country_version *v = (const eg__country_version *)&a;

	load_bundled();
	cr_assert_eq(eg__countries_member(&a, &v, lists, "il-cyber-exempt", "FR", "2016-01-01",
	                                  &err), EG_ENOTFOUND);
	cr_assert_null(v);
	cr_assert(strstr(err.message, "il-cyber-exempt") != NULL, "%s", err.message);
	cr_assert_eq(eg__countries_member(&a, NULL, lists, "nope", "FR", NULL, &err),
	             EG_ENOTFOUND);
	cr_assert_eq(eg__countries_member(&a, NULL, lists, "eu001", "fr", NULL, &err), EG_EINVAL);
	cr_assert_eq(eg__countries_member(&a, NULL, lists, "eu001", "FR", "2021-02-30", &err),
	             EG_EINVAL);
	cr_assert_eq(eg__countries_member(&a, &v, lists, "eu001", "FR", "2022-01-01", &err), 0);
	cr_assert_eq(a, EG__COUNTRY_NO);
	cr_assert_str_eq(v->effective, "2021-01-01");
}

Test(countries, israel_diff)
{
	const eg__country_list *l;
	eg__country_diff d;

	load_bundled();
	l = eg__countries_find(lists, "il-cyber-exempt");
	cr_assert_eq(eg__countries_diff(&d, &l->versions[0], &l->versions[1], &err), 0, "%s",
	             err.message);
	cr_assert_eq(d.n_dropped, 4);
	cr_assert(has(d.dropped, d.n_dropped, "AE"));
	cr_assert(has(d.dropped, d.n_dropped, "MA"));
	cr_assert(has(d.dropped, d.n_dropped, "SA"));
	cr_assert(has(d.dropped, d.n_dropped, "MX"));
	cr_assert_eq(d.n_stayed, 37);
	cr_assert(has(d.stayed, d.n_stayed, "IN"));
	cr_assert_eq(d.n_added, 0);
	cr_assert_eq(d.n_unknown, 0);
	cr_assert_eq(d.dropped_total, 65);
	cr_assert_eq(d.dropped_unnamed, 61);
	cr_assert_eq(d.added_total, 0);
	cr_assert_eq(d.added_unnamed, 0);
	eg__countries_diff_dispose(&d);

	/* Backwards: the 4 reappear as added; 65 added, 61 of them unnamed. */
	cr_assert_eq(eg__countries_diff(&d, &l->versions[1], &l->versions[0], &err), 0);
	cr_assert_eq(d.n_added, 4);
	cr_assert_eq(d.n_dropped, 0);
	cr_assert_eq(d.added_total, 65);
	cr_assert_eq(d.added_unnamed, 61);
	eg__countries_diff_dispose(&d);
}

Test(countries, eu001_iceland_unknown_then_member)
{
	const eg__country_list *l;
	eg__country_diff d;

	load_bundled();
	cr_assert_eq(ask("eu001", "GB", "2021-01-01"), EG__COUNTRY_YES);
	cr_assert_eq(ask("eu001", "IS", "2022-01-01"), EG__COUNTRY_UNKNOWN);
	cr_assert_eq(ask("eu001", "IS", "2024-10-01"), EG__COUNTRY_YES);
	cr_assert_eq(ask("eu001", "BR", "2024-10-01"), EG__COUNTRY_NO);
	l = eg__countries_find(lists, "eu001");
	cr_assert_null(eg__countries_version_at(l, "2020-12-31"));
	cr_assert_eq(eg__countries_diff(&d, &l->versions[0], &l->versions[1], &err), 0);
	cr_assert_eq(d.n_stayed, 9);
	cr_assert_eq(d.n_unknown, 1);
	cr_assert_str_eq(d.unknown[0].c, "IS");
	cr_assert_eq(d.dropped_total, -1); /* IS's earlier status is unknown */
	eg__countries_diff_dispose(&d);
}

Test(countries, us_groups)
{
	load_bundled();
	cr_assert_eq(ask("us-cg-e1", "IR", "2022-03-07"), EG__COUNTRY_YES);
	cr_assert_eq(ask("us-cg-e1", "CU", "2022-03-07"), EG__COUNTRY_NO);
	cr_assert_eq(ask("us-cg-e2", "CU", "2022-03-07"), EG__COUNTRY_YES);
	cr_assert_eq(ask("us-cg-a6", "IL", "2022-03-07"), EG__COUNTRY_YES);
	cr_assert_eq(ask("us-cg-a6", "BR", "2022-03-07"), EG__COUNTRY_UNKNOWN);
	cr_assert_eq(ask("us-cg-d1", "CN", "2022-03-07"), EG__COUNTRY_YES);
	cr_assert_eq(ask("us-cg-d1", "IL", "2022-03-07"), EG__COUNTRY_NO);
	cr_assert_eq(ask("us-cg-d1", "VN", "2022-03-07"), EG__COUNTRY_UNKNOWN);
	cr_assert_eq(ask("us-cg-d5", "KP", "2022-03-07"), EG__COUNTRY_YES);
	cr_assert_eq(eg__countries_basis(eg__countries_version_at(
	                 eg__countries_find(lists, "us-cg-e1"), NULL), "IR"),
	             EG__BASIS_UNVERIFIED);
	/* Vouched for through 2022 only. */
	cr_assert_null(eg__countries_version_at(eg__countries_find(lists, "us-cg-e1"),
	                                        "2023-01-01"));
}

/* A malformed file: the load fails, names the file and path, loads nothing. */
static void bad(const char *file, int code, const char *path_part)
{
	char dir[256];
	eg__country_lists *got = (eg__country_lists *)&iso;
	int rc;

	snprintf(dir, sizeof(dir), FIXTURES "/%s", file);
	rc = eg__countries_load_dir(&got, dir, &iso, &err);
	cr_assert_eq(rc, code, "%s: rc %d: %s", file, rc, err.message);
	cr_assert_null(got, "%s: something was loaded", file);
	cr_assert(strstr(err.message, ".json") != NULL, "%s", err.message);
	cr_assert(strstr(err.message, path_part) != NULL, "%s: want \"%s\" in: %s", file,
	          path_part, err.message);
}

Test(countries, malformed_fixtures)
{
	bad("bad-code", EG_EPARSE, "bad-code.json: versions[1].members[3]: \"XX\" is not an ISO 3166-1 alpha-2 code");
	bad("kosovo", EG_EPARSE, "kosovo.json: versions[0].members[1]: \"XK\" is not an ISO");
	bad("lower-case", EG_EPARSE, "lower-case.json: versions[0].members[0]: \"fr\" is not an upper-case");
	bad("duplicate", EG_EPARSE, "duplicate.json: versions[0].members[2]: \"FR\" listed twice (also members[0])");
	bad("dup-across", EG_EPARSE, "dup-across.json: versions[0].non_members[0]: \"AE\" listed twice (also members[1])");
	bad("unsorted", EG_EPARSE, "unsorted.json: versions[1].effective: 2020-01-01 is not after versions[0].effective 2021-11-01");
	bad("bad-date", EG_EPARSE, "bad-date.json: versions[0].effective: \"2021-02-29\" is not a valid date");
	bad("no-source", EG_EPARSE, "no-source.json: versions[0].sources: missing");
	bad("empty-cite", EG_EPARSE, "empty-cite.json: versions[0].sources[0].cite: empty");
	bad("size-mismatch", EG_EPARSE, "size-mismatch.json: versions[0].size: 4, but the version is complete with 3 members");
	bad("size-small", EG_EPARSE, "size-small.json: versions[0].size: 2, fewer than the 3 members");
	bad("syntax", EG_EPARSE, "syntax.json:4:");
	bad("unknown-key", EG_EPARSE, "unknown-key.json: versions[0]: unknown key \"member\"");
	bad("name-mismatch", EG_EPARSE, "name-mismatch.json: list: the name differs");
	bad("mark-stray", EG_EPARSE, "mark-stray.json: versions[0].unverified: \"DE\" is neither");
	bad("nonmember-complete", EG_EPARSE, "nonmember-complete.json: versions[0].non_members: only a partial");
}

Test(countries, one_bad_file_loads_nothing)
{
	eg__country_lists *got = (eg__country_lists *)&iso;

	/* good.json loads alone; with a bad sibling the whole directory fails. */
	cr_assert_eq(eg__countries_load_dir(&got, FIXTURES "/good", &iso, &err), 0, "%s",
	             err.message);
	cr_assert_eq(eg__countries_count(got), 1);
	eg__countries_free(got);
	cr_assert_eq(eg__countries_load_dir(&got, FIXTURES "/bad-code", &iso, &err), EG_EPARSE);
	cr_assert_null(got);
}

Test(countries, parse_mem_rejects_a_second_list_of_the_same_name)
{
	static const char doc[] = "{\"list\": \"x\", \"title\": \"t\", \"versions\": [{"
		"\"effective\": \"2020-01-01\", \"partial\": false, \"members\": [\"FR\"], "
		"\"sources\": [{\"cite\": \"c\"}]}]}";
	eg__country_lists *l = eg__countries_new();

	cr_assert_not_null(l);
	cr_assert_eq(eg__countries_parse_mem(l, doc, sizeof(doc) - 1, "a.json", &iso, &err), 0,
	             "%s", err.message);
	cr_assert_eq(eg__countries_parse_mem(l, doc, sizeof(doc) - 1, "b.json", &iso, &err),
	             EG_EEXISTS);
	cr_assert(strstr(err.message, "a.json") != NULL, "%s", err.message);
	cr_assert_eq(eg__countries_count(l), 1);
	/* Not NUL-terminated input: the parser must stop at len. */
	cr_assert_neq(eg__countries_parse_mem(l, doc, 10, "c.json", &iso, &err), 0);
	eg__countries_free(l);
}

/* --- country text to ISO code (src/lists/isocountry.c) ------------------- */

static void expect_code(const char *text, const char *code)
{
	uint16_t c = 0;
	int rc = eg__isocountry_code(text, strlen(text), &c);

	cr_assert_eq(rc, 0, "\"%s\" did not resolve", text);
	cr_assert(c == EG__ISO_PACK(code[0], code[1]), "\"%s\" gave %c%c, not %s", text,
	          EG__ISO_FIRST(c), EG__ISO_SECOND(c), code);
}

static void expect_none(const char *text, size_t len)
{
	uint16_t c = 0x4242;

	cr_assert_eq(eg__isocountry_code(text, len, &c), EG_ENOTFOUND, "\"%.*s\" resolved",
	             (int)len, text);
	cr_assert_eq(c, 0x4242, "output written on failure");
}

Test(isocountry, codes_in_any_case)
{
	uint16_t c;

	expect_code("VE", "VE");
	expect_code("ve", "VE");
	expect_code("vE", "VE");
	expect_code("XK", "XK");
	/* a list writes "na" for "not available" */
	cr_assert_eq(eg__isocountry_code_listed("na", 2, &c), EG_ENOTFOUND);
	cr_assert_eq(eg__isocountry_code_listed("NA", 2, &c), 0);
	cr_assert(c == EG__ISO_PACK('N', 'A'));
	expect_none("ZZ", 2);
	expect_none("V", 1);
	expect_none("", 0);
	cr_assert(eg__isocountry_valid(EG__ISO_PACK('R', 'U')));
	cr_assert(!eg__isocountry_valid(EG__ISO_PACK('Q', 'Q')));
	cr_assert(!eg__isocountry_valid(EG__ISO_PACK('r', 'u')));
	cr_assert_geq(eg__iso_code_count, 249);
}

Test(isocountry, names_as_lists_write_them)
{
	expect_code("Russia", "RU");
	expect_code("Russian Federation", "RU");
	expect_code("RUSSIA", "RU");
	expect_code("Iran (Islamic Republic of)", "IR");
	expect_code("Burma", "MM");
	expect_code("Korea, North", "KP");
	expect_code("North Korea", "KP");
	expect_code("Democratic People's Republic of Korea", "KP");
	expect_code("Korea, South", "KR");
	expect_code("Congo, Democratic Republic of the", "CD");
	expect_code("Democratic Republic of the Congo", "CD");
	expect_code("Congo, Republic of the", "CG");
	expect_code("Côte d'Ivoire", "CI");
	expect_code("Cote d Ivoire", "CI");
	expect_code("C\xc3\xb4te d\xe2\x80\x99Ivoire", "CI"); /* U+2019 */
	expect_code("Türkiye", "TR");
	expect_code("Turkey", "TR");
	expect_code("  syria ", "SY");
	expect_code("Viet Nam", "VN");
	expect_code("Vietnam", "VN");
	expect_code("Bahamas, The", "BS");
	expect_code("China, Hong Kong Special Administrative Region", "HK");
	expect_code("Macedonia, The Former Yugoslav Republic of", "MK");
	expect_code("Region: Gaza", "PS");
	expect_code("West Bank", "PS");
	expect_code("RUS", "RU");
	/* regions with no code of their own, words that name no country */
	expect_none("Region: Crimea", 14);
	expect_none("undetermined", 12);
	expect_none("Korea", 5);
	expect_none("the", 3);
	expect_none(", ;", 3);
	/* not UTF-8; over the length cap */
	expect_none("Fran\xff" "ce", 7);
	{
		char big[EG__ISO_MAX_TEXT + 10];
		memset(big, ' ', sizeof(big));
		memcpy(big + sizeof(big) - 6, "France", 6);
		expect_none(big, sizeof(big));
	}
}

/* Every name of the data file resolves to its code: the run-time key rule of
 * isocountry.c agrees with the generator's (accents, punctuation, order). */
Test(isocountry, every_name_of_the_table_resolves)
{
	FILE *f = fopen("data/text/iso_countries.tsv", "r");
	char line[512];
	size_t n = 0, i;

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t len = strcspn(line, "\r\n");
		uint16_t c = 0;
		if (len == 0 || line[0] == '#')
			continue;
		cr_assert_eq(line[2], '\t');
		cr_assert_eq(eg__isocountry_code(line + 3, len - 3, &c), 0, "%.*s", (int)len, line);
		cr_assert(c == EG__ISO_PACK(line[0], line[1]), "%.*s", (int)len, line);
		n++;
	}
	fclose(f);
	cr_assert_gt(n, 700);
	for (i = 1; i < eg__iso_name_count; i++)
		cr_assert_lt(strcmp(eg__iso_names[i - 1].key, eg__iso_names[i].key), 0);
}
