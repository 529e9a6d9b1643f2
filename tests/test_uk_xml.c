/* test_uk_xml.c - tests of the UK Sanctions List XML (FCDO) parser. */
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

TestSuite(uk_xml, .init = setup, .fini = ph_teardown);

static int parse_path(const char *path)
{
	return ph_parse_path(&eg__format_uk_xml, path);
}

static int parse_text(const char *text)
{
	return ph_parse_mem(eg__uk_xml_parse_mem, text, "mem.xml");
}

static void expect_error(const char *file, int code, const char *where, const char *what)
{
	ph_expect_error(&eg__format_uk_xml, FIX, file, code, where, what);
}

Test(uk_xml, small_file_counts_published_digest)
{
	char hex[65];
	size_t i;

	cr_assert_eq(parse_path(FIX "uk_small.xml"), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 3);
	cr_assert_eq(eg__entity_set_names(&ph_set), 9);
	for (i = 0; i < ph_set.n; i++)
		cr_assert_eq(ph_set.v[i].names[0].kind, EG__NAME_PRIMARY);
	cr_assert_str_eq(ph_set.published, "2026-03-02");
	cr_assert_eq(ph_n_warn, 0, "unexpected warning: %s", ph_last_warn);
	ph_file_digest(FIX "uk_small.xml", hex);
	cr_assert_str_eq(ph_digest, hex);
}

Test(uk_xml, individual_mapping)
{
	const eg__entity *e;
	const eg__name *n;

	cr_assert_eq(parse_path(FIX "uk_small.xml"), 0, "%s", ph_err.message);
	e = ph_get("AFG0006");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_str_eq(e->names[0].text, "MOHAMMAD HASSAN AKHUND");
	cr_assert_eq(e->n_names, 5);
	n = ph_name_of(e, "Mohammad Hassan Akhund");
	cr_assert_not_null(n);
	cr_assert_eq(n->kind, EG__NAME_AKA);
	cr_assert_eq(n->weak, 0);
	cr_assert_eq(ph_name_of(e, "Haji Mohammad Hassan")->weak, 0);
	n = ph_name_of(e, "Mullah Hassan");
	cr_assert_not_null(n, "\"ALias\" must be read as an alias");
	cr_assert_eq(n->weak, 1, "Low quality must be weak");
	n = ph_name_of(e, "محمد حسن آخوند");
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 0);
	cr_assert_eq(e->n_programs, 1);
	cr_assert_str_eq(e->programs[0], "Afghanistan");
	cr_assert_eq(e->n_countries, 1);
	cr_assert_str_eq(e->countries[0], "Afghanistan");
	cr_assert_str_eq(e->start_date, "2001-01-25");
	cr_assert_str_eq(e->remarks, "Sample other information.");
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1945");
	cr_assert_str_eq(eg__entity_attr(e, "un_id"), "TAi.002");
	cr_assert_str_eq(eg__entity_attr(e, "ofsi_group_id"), "7172");
	cr_assert_str_eq(eg__entity_attr(e, "last_updated"), "2025-04-14");
	cr_assert_str_eq(eg__entity_attr(e, "title"), "Mullah");
	cr_assert_str_eq(eg__entity_attr(e, "pob"), "Kandahar, Afghanistan");
	cr_assert_str_eq(eg__entity_attr(e, "passport"), "SAMPLE-P1");
	cr_assert_str_eq(eg__entity_attr(e, "designation_source"), "UN");
	cr_assert_str_eq(e->addresses[0].city, "Kabul");
}

Test(uk_xml, entity_primary_after_variation_and_ship)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(FIX "uk_small.xml"), 0, "%s", ph_err.message);
	e = ph_get("AFG0001");
	cr_assert_eq(e->type, EG_TYPE_ENTITY);
	cr_assert_str_eq(e->names[0].text, "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE");
	cr_assert_eq(e->n_names, 3);
	cr_assert_eq(e->n_addresses, 2);
	cr_assert_str_eq(e->addresses[0].street, "Sample Street 1");
	cr_assert_str_eq(e->addresses[0].city, "Kandahar, 0000");
	cr_assert(ph_has(e->countries, e->n_countries, "Pakistan"));
	cr_assert(ph_has(e->countries, e->n_countries, "Afghanistan"));
	e = ph_get("SMP0001");
	cr_assert_eq(e->type, EG_TYPE_VESSEL);
	cr_assert_str_eq(e->start_date, "2020-01-03", "DD/MM, not MM/DD");
	cr_assert_str_eq(eg__entity_attr(e, "imo"), "IMO0000000");
}

Test(uk_xml, memory_entry_matches_file)
{
	char *data = NULL;
	size_t len = 0;
	char file_hex[65];
	eg__sha256 sha;
	eg__parse_ctx ctx;

	cr_assert_eq(parse_path(FIX "uk_small.xml"), 0, "%s", ph_err.message);
	memcpy(file_hex, ph_digest, sizeof(file_hex));
	eg__entity_set_free(&ph_set);
	eg__entity_set_init(&ph_set);
	cr_assert_eq(eg__read_file(&data, &len, FIX "uk_small.xml", NULL, &ph_err), 0);
	ph_init_ctx(&ctx, &sha);
	cr_assert_eq(eg__uk_xml_parse_mem(&ctx, data, len, "uk_small.xml", &ph_err), 0, "%s",
	             ph_err.message);
	cr_assert_eq(eg__sha256_final(&sha, ph_digest), 0);
	eg__free(data);
	cr_assert_eq(ph_set.n, 3);
	cr_assert_str_eq(ph_digest, file_hex);
}

Test(uk_xml, detect)
{
	cr_assert_eq(eg__format_uk_xml.detect(FIX "uk_small.xml"), 1);
	cr_assert_eq(eg__format_uk_xml.detect("tests/data/eu/fsf_small.xml"), 0);
	cr_assert_eq(eg__format_uk_xml.detect(FIX "conlist_small.csv"), 0);
	cr_assert_eq(eg__format_uk_xml.detect(FIX "README.md"), 0);
}

Test(uk_xml, malformed_tag_names_line_and_path)
{
	expect_error("uk_bad_tag.xml", EG_EPARSE, "uk_bad_tag.xml:16: ",
	             "Designations/Designation/Names/Name/Name1: ");
}

Test(uk_xml, truncated_file)
{
	expect_error("uk_truncated.xml", EG_EPARSE, "uk_truncated.xml:", "Designations/Designation");
}

Test(uk_xml, entry_without_unique_id)
{
	expect_error("uk_no_uid.xml", EG_EPARSE, "uk_no_uid.xml:38: Designations/Designation: ",
	             "entry without UniqueID");
}

Test(uk_xml, entry_without_name)
{
	expect_error("uk_no_name.xml", EG_EPARSE, "uk_no_name.xml:57: Designations/Designation: ",
	             "entry SMP0001 has no name");
}

Test(uk_xml, duplicate_unique_id)
{
	expect_error("uk_dup_uid.xml", EG_EPARSE, "uk_dup_uid.xml:57: Designations/Designation: ",
	             "duplicate UniqueID AFG0006");
}

Test(uk_xml, unknown_type)
{
	expect_error("uk_bad_type.xml", EG_EPARSE,
	             "uk_bad_type.xml:62: Designations/Designation/IndividualEntityShip: ",
	             "unknown value \"Aircraft\"");
}

Test(uk_xml, unknown_elements_warn_once_each)
{
	cr_assert_eq(parse_path(FIX "uk_unknown.xml"), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 3);
	cr_assert_eq(ph_n_warn, 2, "%d warnings, last: %s", ph_n_warn, ph_last_warn);
	cr_assert(strstr(ph_last_warn, "Mystery") != NULL, "%s", ph_last_warn);
}

Test(uk_xml, no_primary_name_promotes_the_first)
{
	static const char doc[] =
		"<Designations><DateGenerated>2026-01-01</DateGenerated><Designation><UniqueID>X1</UniqueID>"
		"<Names><Name><Name1>A</Name1><Name6>ONE</Name6><NameType>Alias</NameType>"
		"<AliasStrength>Low quality a.k.a</AliasStrength></Name>"
		"<Name><Name6>TWO</Name6><NameType>Nickname</NameType></Name></Names>"
		"<DateDesignated>31/02/2020</DateDesignated>"
		"</Designation></Designations>";
	const eg__entity *e;

	cr_assert_eq(parse_text(doc), 0, "%s", ph_err.message);
	e = ph_get("X1");
	cr_assert_eq(e->type, EG_TYPE_UNKNOWN);
	cr_assert_str_eq(e->names[0].text, "A ONE");
	cr_assert_eq(e->names[0].kind, EG__NAME_PRIMARY);
	cr_assert_eq(e->names[0].weak, 0);
	cr_assert_str_eq(e->names[1].text, "TWO");
	cr_assert_null(e->start_date, "31/02 is no date");
	cr_assert_null(ph_set.published, "DateGenerated is DD/MM/YYYY");
	/* DateGenerated, NameType, DateDesignated, no type, no primary */
	cr_assert_eq(ph_n_warn, 5, "%d warnings, last: %s", ph_n_warn, ph_last_warn);
}

Test(uk_xml, wrong_root_and_empty_input)
{
	cr_assert_eq(parse_text("<export/>"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "not a UK Sanctions List") != NULL, "%s", ph_err.message);
	cr_assert_eq(parse_text(""), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "mem.xml:") != NULL, "%s", ph_err.message);
}
