/* test_uk_conlist_csv.c - tests of the HM Treasury OFSI ConList CSV parser. */
#include <criterion/criterion.h>

#include "lists/euuk_formats.h"
#include "lists/format.h"
#include "parse_helpers.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

#define FIX "tests/data/uk/"

static void setup(void)
{
	eg__formats_init();
	ph_setup();
}

TestSuite(uk_conlist_csv, .init = setup, .fini = ph_teardown);

static int parse_path(const char *path)
{
	return ph_parse_path(&eg__format_uk_conlist_csv, path);
}

static int parse_text(const char *text)
{
	return ph_parse_mem(eg__uk_conlist_csv_parse_mem, text, "mem.csv");
}

static void expect_error(const char *file, int code, const char *where, const char *what)
{
	ph_expect_error(&eg__format_uk_conlist_csv, FIX, file, code, where, what);
}

Test(uk_conlist_csv, small_file_counts_published_digest)
{
	char hex[65];
	size_t i;

	cr_assert_eq(parse_path(FIX "conlist_small.csv"), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 3);
	cr_assert_eq(eg__entity_set_names(&ph_set), 8);
	for (i = 0; i < ph_set.n; i++)
		cr_assert_eq(ph_set.v[i].names[0].kind, EG__NAME_PRIMARY);
	cr_assert_str_eq(ph_set.published, "2026-03-02");
	cr_assert_eq(ph_n_warn, 0, "unexpected warning: %s", ph_last_warn);
	ph_file_digest(FIX "conlist_small.csv", hex);
	cr_assert_str_eq(ph_digest, hex);
}

Test(uk_conlist_csv, group_rows_make_one_individual)
{
	const eg__entity *e;
	const eg__name *n;

	cr_assert_eq(parse_path(FIX "conlist_small.csv"), 0, "%s", ph_err.message);
	e = ph_get("7172");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_eq(e->n_names, 4);
	cr_assert_str_eq(e->names[0].text, "MOHAMMAD HASSAN AKHUND", "the primary row comes second");
	cr_assert_str_eq(e->names[1].text, "Haji Mohammad Hassan AKHUND");
	cr_assert_eq(e->names[1].kind, EG__NAME_AKA);
	cr_assert_eq(e->names[1].weak, 0);
	n = ph_name_of(e, "Mohammad Hassan Akhund");
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 0);
	n = ph_name_of(e, "Mullah Hassan");
	cr_assert_not_null(n, "rows of a group need not be adjacent");
	cr_assert_eq(n->weak, 1, "Low quality must be weak");
	cr_assert_eq(e->n_programs, 1);
	cr_assert_str_eq(e->programs[0], "Afghanistan");
	cr_assert_eq(e->n_countries, 1);
	cr_assert_str_eq(e->countries[0], "Afghanistan");
	cr_assert_eq(e->n_addresses, 1, "an address repeated on every row counts once");
	cr_assert_str_eq(e->addresses[0].city, "Kabul");
	cr_assert_str_eq(e->start_date, "2001-01-25", "Date Designated, DD/MM/YYYY");
	cr_assert_str_eq(eg__entity_attr(e, "listed_on"), "2001-02-23");
	cr_assert_str_eq(eg__entity_attr(e, "last_updated"), "2025-04-14");
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1945");
	cr_assert_str_eq(eg__entity_attr(e, "pob"), "Kandahar, Afghanistan");
	cr_assert_str_eq(eg__entity_attr(e, "title"), "Mullah");
	cr_assert_str_eq(eg__entity_attr(e, "passport"), "SAMPLE-P1");
	cr_assert_str_eq(e->remarks,
	                 "(UK Sanctions List Ref):AFG0006. Sample, \"quoted\" information.");
}

Test(uk_conlist_csv, entity_former_name_and_ship)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(FIX "conlist_small.csv"), 0, "%s", ph_err.message);
	e = ph_get("12703");
	cr_assert_eq(e->type, EG_TYPE_ENTITY);
	cr_assert_eq(e->n_names, 3);
	cr_assert_str_eq(e->names[0].text, "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE");
	cr_assert_eq(ph_name_of(e, "حاجی خيرالله و حاجی ستار صرافی")->kind, EG__NAME_AKA);
	cr_assert_eq(ph_name_of(e, "Haji Khairullah Sattar Exchange")->kind, EG__NAME_FKA);
	cr_assert_str_eq(e->addresses[0].street, "Sample Street 1");
	cr_assert_str_eq(e->addresses[0].city, "Kandahar, 0000");
	cr_assert_str_eq(e->start_date, "2012-06-29", "Listed On when no Date Designated");
	e = ph_get("90001");
	cr_assert_eq(e->type, EG_TYPE_VESSEL);
	cr_assert_str_eq(e->names[0].text, "SAMPLE SHIP ONE", "Prime Alias is the primary name");
	cr_assert_str_eq(e->start_date, "2020-01-03");
}

Test(uk_conlist_csv, memory_entry_matches_file)
{
	char *data = NULL;
	size_t len = 0;
	char file_hex[65];
	eg__sha256 sha;
	eg__parse_ctx ctx;

	cr_assert_eq(parse_path(FIX "conlist_small.csv"), 0, "%s", ph_err.message);
	memcpy(file_hex, ph_digest, sizeof(file_hex));
	eg__entity_set_free(&ph_set);
	eg__entity_set_init(&ph_set);
	cr_assert_eq(eg__read_file(&data, &len, FIX "conlist_small.csv", NULL, &ph_err), 0);
	ph_init_ctx(&ctx, &sha);
	cr_assert_eq(eg__uk_conlist_csv_parse_mem(&ctx, data, len, "conlist_small.csv", &ph_err), 0,
	             "%s", ph_err.message);
	cr_assert_eq(eg__sha256_final(&sha, ph_digest), 0);
	eg__free(data);
	cr_assert_eq(ph_set.n, 3);
	cr_assert_str_eq(ph_digest, file_hex);
}

Test(uk_conlist_csv, detect)
{
	cr_assert_eq(eg__format_uk_conlist_csv.detect(FIX "conlist_small.csv"), 1);
	cr_assert_eq(eg__format_uk_conlist_csv.detect(FIX "cl_bad_first.csv"), 0);
	cr_assert_eq(eg__format_uk_conlist_csv.detect(FIX "uk_small.xml"), 0);
	cr_assert_eq(eg__format_uk_conlist_csv.detect("tests/data/batch/names.csv"), 0);
	cr_assert_eq(eg__format_uk_conlist_csv.detect(FIX), 0);
}

Test(uk_conlist_csv, first_line_errors)
{
	expect_error("cl_bad_first.csv", EG_EPARSE, "cl_bad_first.csv:1: field Last Updated: ",
	             "is not \"Last Updated,DD/MM/YYYY\"");
	expect_error("cl_bad_date.csv", EG_EPARSE, "cl_bad_date.csv:1: field Last Updated: ",
	             "\"2026-03-02\" is not a DD/MM/YYYY date");
}

Test(uk_conlist_csv, header_without_group_id)
{
	expect_error("cl_missing_col.csv", EG_EPARSE, "cl_missing_col.csv:2: field Group ID: ",
	             "lacks");
	cr_assert_eq(ph_n_warn, 1, "the unknown \"Group Ref\" column: %s", ph_last_warn);
}

Test(uk_conlist_csv, row_errors_name_line_and_field)
{
	expect_error("cl_bad_type.csv", EG_EPARSE, "cl_bad_type.csv:12: field Group Type: ",
	             "\"Aircraft\"");
	expect_error("cl_no_group.csv", EG_EPARSE, "cl_no_group.csv:12: field Group ID: ", "empty");
	expect_error("cl_no_name.csv", EG_EPARSE, "cl_no_name.csv:12: field Name 6: ", "no name");
	expect_error("cl_fields.csv", EG_EPARSE, "cl_fields.csv:12: ", "expected 36 fields, got 35");
	expect_error("cl_bad_utf8.csv", EG_EPARSE, "cl_bad_utf8.csv:12: field Name 6: ",
	             "invalid UTF-8 at byte 8");
	expect_error("cl_bad_quote.csv", EG_EPARSE, "cl_bad_quote.csv:12: ", "malformed quoting");
	expect_error("cl_truncated.csv", EG_EPARSE, "cl_truncated.csv:", "malformed quoting");
}

Test(uk_conlist_csv, unknown_column_warns_once)
{
	cr_assert_eq(parse_path(FIX "cl_unknown_col.csv"), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 3);
	cr_assert_eq(ph_n_warn, 1, "%d warnings, last: %s", ph_n_warn, ph_last_warn);
	cr_assert(strstr(ph_last_warn, "Favourite Colour") != NULL, "%s", ph_last_warn);
}

Test(uk_conlist_csv, group_without_primary_and_padded_first_line)
{
	static const char doc[] =
		"\xEF\xBB\xBF" "Last Updated:,2/3/2026,,\n"
		"Name 6,Name 1,Group Type,Alias Type,Alias Quality,Listed On,Group ID\n"
		"ONE,A,Entity,AKA,Low quality,31/02/2020,G1\n"
		"TWO,,Entity,Pet name,,,G1\n"
		"THREE,,Individual,Primary name,,,G2\n"
		"THREE,,Individual,Primary name,,,G2\n"
		"FOUR,,Individual,Primary name,Low,,G2\n";
	const eg__entity *e;

	cr_assert_eq(parse_text(doc), 0, "%s", ph_err.message);
	cr_assert_str_eq(ph_set.published, "2026-03-02");
	e = ph_get("G1");
	cr_assert_str_eq(e->names[0].text, "A ONE");
	cr_assert_eq(e->names[0].kind, EG__NAME_PRIMARY);
	cr_assert_eq(e->names[0].weak, 0);
	cr_assert_null(e->start_date, "31/02 is no date");
	e = ph_get("G2");
	cr_assert_eq(e->n_names, 2);
	cr_assert_str_eq(e->names[1].text, "FOUR");
	cr_assert_eq(e->names[1].kind, EG__NAME_AKA, "a second primary row is an a.k.a.");
	cr_assert_eq(e->names[1].weak, 0);
	/* unknown columns none; Alias Type "Pet name", Listed On, no primary */
	cr_assert_eq(ph_n_warn, 3, "%d warnings, last: %s", ph_n_warn, ph_last_warn);
	cr_assert(strstr(ph_last_warn, "G1") != NULL, "%s", ph_last_warn);
}

Test(uk_conlist_csv, empty_and_header_only)
{
	cr_assert_eq(parse_text(""), EG_EEMPTY);
	cr_assert(strstr(ph_err.message, "mem.csv:1: field Last Updated: empty file") != NULL, "%s",
	          ph_err.message);
	cr_assert_eq(parse_text("Last Updated,02/03/2026\n"), EG_EEMPTY);
	cr_assert(strstr(ph_err.message, "no header row") != NULL, "%s", ph_err.message);
	cr_assert_eq(parse_text("Last Updated,02/03/2026\nName 6,Group Type,Group ID\n"), 0,
	             "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 0);
}
