/* test_eu_fsf_xml.c - tests of the EU financial sanctions files (FSF) XML parser. */
#include <criterion/criterion.h>

#include "lists/euuk_formats.h"
#include "lists/format.h"
#include "parse_helpers.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

#define FIX "tests/data/eu/"

static void setup(void)
{
	eg__formats_init();
	ph_setup();
}

TestSuite(eu_fsf_xml, .init = setup, .fini = ph_teardown);

static int parse_path(const char *path)
{
	return ph_parse_path(&eg__format_eu_fsf_xml, path);
}

static int parse_text(const char *text)
{
	return ph_parse_mem(eg__eu_fsf_xml_parse_mem, text, "mem.xml");
}

static void expect_error(const char *file, int code, const char *where, const char *what)
{
	ph_expect_error(&eg__format_eu_fsf_xml, FIX, file, code, where, what);
}

Test(eu_fsf_xml, small_file_counts_published_digest)
{
	char hex[65];
	size_t i;

	cr_assert_eq(parse_path(FIX "fsf_small.xml"), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 3);
	cr_assert_eq(eg__entity_set_names(&ph_set), 8);
	for (i = 0; i < ph_set.n; i++)
		cr_assert_eq(ph_set.v[i].names[0].kind, EG__NAME_PRIMARY);
	cr_assert_str_eq(ph_set.published, "2026-03-02");
	cr_assert_eq(ph_n_warn, 0, "unexpected warning: %s", ph_last_warn);
	ph_file_digest(FIX "fsf_small.xml", hex);
	cr_assert_str_eq(ph_digest, hex);
}

Test(eu_fsf_xml, person_mapping)
{
	const eg__entity *e;
	const eg__name *n;

	cr_assert_eq(parse_path(FIX "fsf_small.xml"), 0, "%s", ph_err.message);
	e = ph_get("13");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_str_eq(e->names[0].text, "Saddam Hussein Al-Tikriti");
	cr_assert_eq(e->n_names, 3);
	n = ph_name_of(e, "Abu Ali");
	cr_assert_not_null(n);
	cr_assert_eq(n->kind, EG__NAME_AKA);
	cr_assert_eq(n->weak, 0);
	n = ph_name_of(e, "Saddam Hussein"); /* no wholeName: firstName lastName */
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 1, "strong=\"false\" must be weak");
	cr_assert_eq(e->n_programs, 1);
	cr_assert_str_eq(e->programs[0], "IRQ");
	cr_assert_eq(e->n_countries, 1);
	cr_assert_str_eq(e->countries[0], "IQ");
	cr_assert_str_eq(e->start_date, "2003-07-08");
	cr_assert_str_eq(eg__entity_attr(e, "eu_reference_number"), "EU.27.28");
	cr_assert_str_eq(eg__entity_attr(e, "un_id"), "IQi.001");
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1937-04-28");
	cr_assert_str_eq(eg__entity_attr(e, "pob"), "al-Awja, near Tikrit, IQ");
	cr_assert_str_eq(eg__entity_attr(e, "remark"), "UNSC RESOLUTION 1483 (sample)");
	cr_assert_str_eq(eg__entity_attr(e, "gender"), "M");
	cr_assert_str_eq(eg__entity_attr(e, "id:passport"), "SAMPLE-0001");
	cr_assert_str_eq(e->remarks, "UNSC RESOLUTION 1483 (sample)");
}

Test(eu_fsf_xml, enterprise_addresses_and_unknown_country)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(FIX "fsf_small.xml"), 0, "%s", ph_err.message);
	e = ph_get("6010");
	cr_assert_eq(e->type, EG_TYPE_ENTITY);
	cr_assert_str_eq(e->names[0].text, "ADF");
	cr_assert_not_null(ph_name_of(e, "Forces Démocratiques Alliées"));
	cr_assert_str_eq(e->programs[0], "COD");
	/* "00"/UNKNOWN is no country */
	cr_assert_eq(e->n_countries, 1);
	cr_assert_str_eq(e->countries[0], "CD");
	cr_assert_eq(e->n_addresses, 1);
	cr_assert_str_eq(e->addresses[0].city, "Beni, North Kivu");
	cr_assert_str_eq(e->addresses[0].country, "CD");
	cr_assert_null(eg__entity_attr(e, "dob"));
}

Test(eu_fsf_xml, first_strong_name_is_primary)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(FIX "fsf_small.xml"), 0, "%s", ph_err.message);
	e = ph_get("7001");
	cr_assert_str_eq(e->names[0].text, "KOREA MINING DEVELOPMENT TRADING CORPORATION");
	cr_assert_eq(e->names[0].weak, 0);
	cr_assert_str_eq(e->names[1].text, "KOMID");
	cr_assert_eq(e->names[1].weak, 1);
	cr_assert_eq(e->n_programs, 1, "a programme repeated by two regulations counts once");
	cr_assert_str_eq(e->addresses[0].street, "Central District");
}

Test(eu_fsf_xml, memory_entry_matches_file)
{
	char *data = NULL;
	size_t len = 0;
	char file_hex[65];
	eg__sha256 sha;
	eg__parse_ctx ctx;

	cr_assert_eq(parse_path(FIX "fsf_small.xml"), 0, "%s", ph_err.message);
	memcpy(file_hex, ph_digest, sizeof(file_hex));
	eg__entity_set_free(&ph_set);
	eg__entity_set_init(&ph_set);
	cr_assert_eq(eg__read_file(&data, &len, FIX "fsf_small.xml", NULL, &ph_err), 0);
	ph_init_ctx(&ctx, &sha);
	cr_assert_eq(eg__eu_fsf_xml_parse_mem(&ctx, data, len, "fsf_small.xml", &ph_err), 0, "%s",
	             ph_err.message);
	cr_assert_eq(eg__sha256_final(&sha, ph_digest), 0);
	eg__free(data);
	cr_assert_eq(ph_set.n, 3);
	cr_assert_str_eq(ph_digest, file_hex);
}

Test(eu_fsf_xml, detect)
{
	cr_assert_eq(eg__format_eu_fsf_xml.detect(FIX "fsf_small.xml"), 1);
	cr_assert_eq(eg__format_eu_fsf_xml.detect("tests/data/uk/uk_small.xml"), 0);
	cr_assert_eq(eg__format_eu_fsf_xml.detect("tests/data/xml/un_small.xml"), 0);
	cr_assert_eq(eg__format_eu_fsf_xml.detect("tests/data/uk/conlist_small.csv"), 0);
	cr_assert_eq(eg__format_eu_fsf_xml.detect(FIX "README.md"), 0);
}

Test(eu_fsf_xml, malformed_tag_names_line_and_path)
{
	expect_error("eu_bad_tag.xml", EG_EPARSE, "eu_bad_tag.xml:13: ",
	             "export/sanctionEntity/nameAlias/regulationSummary");
}

Test(eu_fsf_xml, truncated_file)
{
	expect_error("eu_truncated.xml", EG_EPARSE, "eu_truncated.xml:", "export/sanctionEntity");
}

Test(eu_fsf_xml, entry_without_logical_id)
{
	expect_error("eu_no_uid.xml", EG_EPARSE, "eu_no_uid.xml:20: export/sanctionEntity: ",
	             "entry without logicalId");
}

Test(eu_fsf_xml, entry_without_name)
{
	expect_error("eu_no_name.xml", EG_EPARSE, "eu_no_name.xml:32: export/sanctionEntity: ",
	             "entry 7001 has no name");
}

Test(eu_fsf_xml, duplicate_logical_id)
{
	expect_error("eu_dup_uid.xml", EG_EPARSE, "eu_dup_uid.xml:32: export/sanctionEntity: ",
	             "duplicate logicalId 6010");
}

Test(eu_fsf_xml, unknown_subject_type)
{
	expect_error("eu_bad_subject.xml", EG_EPARSE,
	             "eu_bad_subject.xml:35: export/sanctionEntity/subjectType: ",
	             "attribute code: unknown subject type \"vessel\"");
}

Test(eu_fsf_xml, bad_strong_flag)
{
	expect_error("eu_bad_strong.xml", EG_EPARSE,
	             "eu_bad_strong.xml:24: export/sanctionEntity/nameAlias: ",
	             "attribute strong: \"yes\"");
}

Test(eu_fsf_xml, unknown_elements_warn_once_each)
{
	cr_assert_eq(parse_path(FIX "eu_unknown.xml"), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 3);
	/* favouriteColour twice, mystery once: two distinct names */
	cr_assert_eq(ph_n_warn, 2, "%d warnings, last: %s", ph_n_warn, ph_last_warn);
	cr_assert(strstr(ph_last_warn, "mystery") != NULL, "%s", ph_last_warn);
	cr_assert_str_eq(ph_get("13")->names[0].text, "Saddam Hussein Al-Tikriti");
}

Test(eu_fsf_xml, no_strong_name_promotes_the_first_and_warns_without_subject)
{
	static const char doc[] =
		"<export generationDate=\"bad\"><sanctionEntity logicalId=\"1\" designationDate=\"2020-13-01\">"
		"<nameAlias wholeName=\"A ONE\" strong=\"false\"/><nameAlias firstName=\"B\" lastName=\"TWO\" strong=\"FALSE\"/>"
		"</sanctionEntity></export>";
	const eg__entity *e;

	cr_assert_eq(parse_text(doc), 0, "%s", ph_err.message);
	e = ph_get("1");
	cr_assert_eq(e->type, EG_TYPE_UNKNOWN); /* no subjectType: the list gives no type */
	cr_assert_eq(e->n_names, 2);
	cr_assert_str_eq(e->names[0].text, "A ONE");
	cr_assert_eq(e->names[0].kind, EG__NAME_PRIMARY);
	cr_assert_eq(e->names[0].weak, 0);
	cr_assert_str_eq(e->names[1].text, "B TWO");
	cr_assert_eq(e->names[1].weak, 1);
	cr_assert_null(e->start_date);
	cr_assert_null(ph_set.published);
	cr_assert_eq(ph_n_warn, 3, "%d warnings, last: %s", ph_n_warn, ph_last_warn);
}

Test(eu_fsf_xml, wrong_root_empty_input_and_entities)
{
	static const char xxe[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE export [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
		"<export><sanctionEntity logicalId=\"9\"><subjectType code=\"person\"/>"
		"<nameAlias wholeName=\"JOHN DOE\"/><remark>&x;</remark></sanctionEntity></export>\n";

	cr_assert_eq(parse_text("<Designations/>"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "not an EU financial sanctions file") != NULL, "%s", ph_err.message);
	cr_assert_eq(parse_text(""), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "mem.xml:") != NULL, "%s", ph_err.message);
	eg__entity_set_free(&ph_set);
	eg__entity_set_init(&ph_set);
	/* Refused whole (issue 13 item 3): no list format declares entities. */
	cr_assert_eq(parse_text(xxe), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "declares XML entities (not a list format)") != NULL,
	          "%s", ph_err.message);
	cr_assert(strstr(ph_err.message, "root:") == NULL, "%s", ph_err.message);
}
