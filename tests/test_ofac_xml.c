/* test_ofac_xml.c - tests of the OFAC classic sdnList XML parser. */
#include <criterion/criterion.h>

#include "lists/format.h"
#include "parse_helpers.h"
#include "lists/xml_formats.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

#define CONS_2018 "../shared/data/ofac_cons_xml_2018-05/consolidated.xml"
#define FIX "tests/data/xml/"

TestSuite(ofac_xml, .init = ph_setup, .fini = ph_teardown);

static int parse_path(const char *path)
{
	return ph_parse_path(&eg__format_ofac_xml, path);
}

static int parse_text(const char *text)
{
	return ph_parse_mem(eg__ofac_xml_parse_mem, text, "mem.xml");
}

Test(ofac_xml, real_file_counts_and_published)
{
	char hex[65];
	size_t i, ind = 0, ent = 0, ves = 0;

	cr_assert_eq(parse_path(CONS_2018), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 639);
	for (i = 0; i < ph_set.n; i++) {
		ind += ph_set.v[i].type == EG_TYPE_INDIVIDUAL;
		ent += ph_set.v[i].type == EG_TYPE_ENTITY;
		ves += ph_set.v[i].type == EG_TYPE_VESSEL;
		cr_assert_eq(ph_set.v[i].names[0].kind, EG__NAME_PRIMARY);
	}
	cr_assert_eq(ind, 94);
	cr_assert_eq(ent, 471);
	cr_assert_eq(ves, 74);
	cr_assert_str_eq(ph_set.published, "2018-04-06");
	cr_assert_eq(ph_n_warn, 0, "unexpected warning: %s", ph_last_warn);
	ph_file_digest(CONS_2018, hex);
	cr_assert_str_eq(ph_digest, hex);
}

Test(ofac_xml, real_file_names_and_fields)
{
	const eg__entity *e;
	const eg__name *n;

	cr_assert_eq(parse_path(CONS_2018), 0, "%s", ph_err.message);

	e = ph_get("9639");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_str_eq(e->names[0].text, "HANIYA, Ismail Abdul Salah");
	cr_assert_not_null(ph_name_of(e, "HANIYYA, Ismaeel"));
	cr_assert(ph_has(e->programs, e->n_programs, "NS-PLC"));
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1962");
	cr_assert_str_eq(eg__entity_attr(e, "pob"), "Shati");

	e = ph_get("4637");
	cr_assert_eq(e->type, EG_TYPE_ENTITY);
	cr_assert_str_eq(e->names[0].text, "BANK OF INDUSTRY AND MINE (OF IRAN)");
	n = ph_name_of(e, "BIM");
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 1, "category weak must give a weak alias");
	n = ph_name_of(e, "BANK SANAD VA MADAN");
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 0);
	cr_assert(ph_has(e->countries, e->n_countries, "Iran"));
	cr_assert_str_eq(e->remarks, "all offices worldwide");

	e = ph_get("4632");
	cr_assert_eq(e->n_addresses, 2);
	cr_assert_str_eq(e->addresses[1].street, "213 Ferdowsi Avenue");
	cr_assert_str_eq(e->addresses[1].city, "Tehran 11365");
	cr_assert_str_eq(e->addresses[1].country, "Iran");
	cr_assert_not_null(eg__entity_attr(e, "id:Additional Sanctions Information -"));

	e = ph_get("15036");
	cr_assert_eq(e->type, EG_TYPE_VESSEL);
	cr_assert_str_eq(e->names[0].text, "SHONA");
	cr_assert_eq(ph_name_of(e, "ABADAN")->kind, EG__NAME_FKA);
	cr_assert_str_eq(eg__entity_attr(e, "id:Vessel Registration Identification"), "IMO 9187629");
	cr_assert_str_eq(eg__entity_attr(e, "vessel_flag"), "Tanzania");
}

Test(ofac_xml, detect)
{
	cr_assert_eq(eg__format_ofac_xml.detect(CONS_2018), 1);
	cr_assert_eq(eg__format_ofac_xml.detect(FIX "ofac_small.xml"), 1);
	cr_assert_eq(eg__format_ofac_xml.detect(FIX "un_small.xml"), 0);
	cr_assert_eq(eg__format_ofac_xml.detect("../shared/data/ofac_cons_xml_2018-05/cons_dat_spec.txt"), 0);
}

Test(ofac_xml, small_fixture_from_memory)
{
	char *data = NULL;
	size_t len = 0;

	cr_assert_eq(eg__read_file(&data, &len, FIX "ofac_small.xml", NULL, &ph_err), 0);
	cr_assert_eq(parse_text(data), 0, "%s", ph_err.message);
	eg__free(data);
	cr_assert_eq(ph_set.n, 4);
	cr_assert_eq(ph_n_warn, 0, "%s", ph_last_warn);
}

Test(ofac_xml, record_count_mismatch_warns)
{
	cr_assert_eq(parse_path(FIX "ofac_count_mismatch.xml"), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 4);
	cr_assert_eq(ph_n_warn, 1);
	cr_assert(strstr(ph_last_warn, "Record_Count says 639") != NULL, "%s", ph_last_warn);
}

Test(ofac_xml, malformed_tag_names_line_and_path)
{
	cr_assert_eq(parse_path(FIX "ofac_bad_tag.xml"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "ofac_bad_tag.xml:113: sdnList/sdnEntry/uid: ") != NULL,
	          "%s", ph_err.message);
}

Test(ofac_xml, duplicate_uid)
{
	cr_assert_eq(parse_path(FIX "ofac_dup_uid.xml"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "sdnList/sdnEntry: duplicate uid 4637") != NULL, "%s", ph_err.message);
}

Test(ofac_xml, entry_without_uid_or_name)
{
	cr_assert_eq(parse_text("<sdnList><sdnEntry><lastName>X</lastName></sdnEntry></sdnList>"),
	             EG_EPARSE);
	cr_assert(strstr(ph_err.message, "mem.xml:1: sdnList/sdnEntry: entry without uid") != NULL,
	          "%s", ph_err.message);
	eg__entity_set_free(&ph_set);
	eg__entity_set_init(&ph_set);
	cr_assert_eq(parse_text("<sdnList>\n<sdnEntry>\n<uid>7</uid><sdnType>Entity</sdnType>\n</sdnEntry></sdnList>"),
	             EG_EPARSE);
	cr_assert(strstr(ph_err.message, "mem.xml:2: sdnList/sdnEntry: entry 7 has no name") != NULL,
	          "%s", ph_err.message);
}

Test(ofac_xml, unknown_element_warns_once)
{
	cr_assert_eq(parse_path(FIX "ofac_unknown.xml"), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 4);
	cr_assert_eq(ph_n_warn, 1, "%s", ph_last_warn);
	cr_assert(strstr(ph_last_warn, "sdnList/sdnEntry/shoeSize") != NULL, "%s", ph_last_warn);
}

Test(ofac_xml, external_entity_not_fetched)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE sdnList [<!ENTITY xxe SYSTEM \"tests/data/xml/secret.txt\">]>\n"
		"<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\"><sdnEntry><uid>1</uid>"
		"<lastName>A&xxe;</lastName><sdnType>Entity</sdnType><remarks>&xxe;</remarks>"
		"</sdnEntry></sdnList>\n";

	/* Refused whole (issue 13 item 3): no list format declares entities. */
	cr_assert_eq(parse_text(doc), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "mem.xml: declares XML entities (not a list format)") != NULL,
	          "%s", ph_err.message);
	cr_assert(strstr(ph_err.message, "TOP-SECRET") == NULL, "%s", ph_err.message);
}

Test(ofac_xml, individual_name_order_and_aka_types)
{
	static const char doc[] =
		"<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\">"
		"<publshInformation><Publish_Date>12/31/2019</Publish_Date></publshInformation>"
		"<sdnEntry><uid>5</uid><firstName>John</firstName><lastName>DOE</lastName>"
		"<sdnType>Individual</sdnType><akaList>"
		"<aka><uid>1</uid><type>n.k.a.</type><category>strong</category><lastName>ROE</lastName><firstName>Jim</firstName></aka>"
		"<aka><uid>2</uid><type>a.k.a.</type><category>weak</category><lastName>JD</lastName></aka>"
		"</akaList><nationalityList><nationality><uid>3</uid><country>Utopia</country></nationality></nationalityList>"
		"<citizenshipList><citizenship><uid>4</uid><country>Atlantis</country></citizenship></citizenshipList>"
		"</sdnEntry></sdnList>";
	const eg__entity *e;

	cr_assert_eq(parse_text(doc), 0, "%s", ph_err.message);
	cr_assert_str_eq(ph_set.published, "2019-12-31");
	e = ph_get("5");
	cr_assert_str_eq(e->names[0].text, "DOE, John");
	cr_assert_eq(ph_name_of(e, "ROE, Jim")->kind, EG__NAME_NKA);
	cr_assert_eq(ph_name_of(e, "JD")->weak, 1);
	cr_assert(ph_has(e->countries, e->n_countries, "Utopia"));
	cr_assert(ph_has(e->countries, e->n_countries, "Atlantis"));
}

Test(ofac_xml, text_over_cap_is_too_big)
{
	static const char head[] = "<sdnList><sdnEntry><remarks>";
	static const char tail[] = "</remarks></sdnEntry></sdnList>";
	size_t n = 65 * 1024, hl = strlen(head), tl = strlen(tail);
	char *doc = eg__malloc(hl + n + tl + 1);

	cr_assert_not_null(doc);
	memcpy(doc, head, hl);
	memset(doc + hl, 'x', n);
	memcpy(doc + hl + n, tail, tl + 1);
	cr_assert_eq(parse_text(doc), EG_ETOOBIG);
	eg__free(doc);
	cr_assert(strstr(ph_err.message, "sdnList/sdnEntry/remarks: ") != NULL, "%s", ph_err.message);
}

/* An sdnType the parser does not know, or none, is not guessed. */
Test(ofac_xml, unknown_or_missing_type_is_unknown)
{
	cr_assert_eq(parse_text("<sdnList><sdnEntry><uid>7</uid><lastName>A</lastName>"
	                        "<sdnType>Submarine</sdnType></sdnEntry>"
	                        "<sdnEntry><uid>8</uid><lastName>B</lastName></sdnEntry>"
	                        "<sdnEntry><uid>9</uid><lastName>C</lastName>"
	                        "<sdnType>Entity</sdnType></sdnEntry></sdnList>"),
	             0, "%s", ph_err.message);
	cr_assert_eq(ph_get("7")->type, EG_TYPE_UNKNOWN);
	cr_assert_eq(ph_get("8")->type, EG_TYPE_UNKNOWN);
	cr_assert_eq(ph_get("9")->type, EG_TYPE_ENTITY);
}
