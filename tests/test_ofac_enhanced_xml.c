/* test_ofac_enhanced_xml.c - tests of the OFAC enhanced XML parser. */
#include <criterion/criterion.h>

#include "lists/format.h"
#include "parse_helpers.h"
#include "lists/xml_formats.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

#define ENH_2025 "../shared/data/ofac_cons_enhanced_2025-01/CONS_ENHANCED.XML"
#define FIX "tests/data/xml/"

TestSuite(ofac_enhanced_xml, .init = ph_setup, .fini = ph_teardown);

static int parse_path(const char *path)
{
	return ph_parse_path(&eg__format_ofac_enhanced_xml, path);
}

static int parse_text(const char *text)
{
	return ph_parse_mem(eg__ofac_enhanced_xml_parse_mem, text, "mem.xml");
}

Test(ofac_enhanced_xml, real_file_counts_and_published)
{
	char hex[65];
	size_t i, ind = 0, ent = 0;

	cr_assert_eq(parse_path(ENH_2025), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 443);
	for (i = 0; i < ph_set.n; i++) {
		ind += ph_set.v[i].type == EG_TYPE_INDIVIDUAL;
		ent += ph_set.v[i].type == EG_TYPE_ENTITY;
		cr_assert_eq(ph_set.v[i].names[0].kind, EG__NAME_PRIMARY);
		cr_assert_geq(ph_set.v[i].n_programs, 1);
	}
	cr_assert_eq(ind, 80);
	cr_assert_eq(ent, 363);
	cr_assert_str_eq(ph_set.published, "2025-01-10");
	cr_assert_eq(ph_n_warn, 0, "unexpected warning: %s", ph_last_warn);
	ph_file_digest(ENH_2025, hex);
	cr_assert_str_eq(ph_digest, hex);
}

Test(ofac_enhanced_xml, real_file_names_and_fields)
{
	const eg__entity *e;
	const eg__name *n;

	cr_assert_eq(parse_path(ENH_2025), 0, "%s", ph_err.message);

	e = ph_get("9639");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_str_eq(e->names[0].text, "HANIYA, Ismail Abdul Salah");
	cr_assert_not_null(ph_name_of(e, "HANIYYA, Ismaeel"));
	cr_assert(ph_has(e->programs, e->n_programs, "NS-PLC"));
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1962");
	cr_assert_str_eq(e->start_date, "2006-04-12");

	e = ph_get("17013");
	cr_assert_eq(e->type, EG_TYPE_ENTITY);
	cr_assert_str_eq(e->names[0].text, "VTB BANK PUBLIC JOINT STOCK COMPANY");
	n = ph_name_of(e, "БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО");
	cr_assert_not_null(n, "Cyrillic translation of the primary name missing");
	cr_assert_eq(n->kind, EG__NAME_AKA);
	cr_assert_eq(ph_name_of(e, "JSC VTB BANK")->kind, EG__NAME_FKA);
	n = ph_name_of(e, "JSC VTB BANK NEW DELHI BRANCH");
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 1, "isLowQuality must give a weak alias");
	cr_assert(ph_has(e->programs, e->n_programs, "RUSSIA-EO14024"));
	cr_assert(ph_has(e->countries, e->n_countries, "Russia"));
	cr_assert(ph_has(e->countries, e->n_countries, "India"));
	cr_assert_str_eq(e->addresses[0].street, "29, Bolshaya Morskaya str.");
	cr_assert_str_eq(e->addresses[0].country, "Russia");
	cr_assert_str_eq(eg__entity_attr(e, "id:Tax ID No."), "7702070139");
	cr_assert_str_eq(eg__entity_attr(e, "feature:SWIFT/BIC"), "VTBRRUMM");
	cr_assert_str_eq(e->start_date, "2014-07-29");

	e = ph_get("9647");
	cr_assert_str_eq(eg__entity_attr(e, "related:Acting for or on behalf of"), "HAMAS (4695)");
}

Test(ofac_enhanced_xml, detect)
{
	cr_assert_eq(eg__format_ofac_enhanced_xml.detect(ENH_2025), 1);
	cr_assert_eq(eg__format_ofac_enhanced_xml.detect(FIX "ofac_enhanced_small.xml"), 1);
	cr_assert_eq(eg__format_ofac_enhanced_xml.detect(FIX "ofac_small.xml"), 0);
	cr_assert_eq(eg__format_ofac_enhanced_xml.detect(FIX "un_small.xml"), 0);
}

Test(ofac_enhanced_xml, small_fixture)
{
	cr_assert_eq(parse_path(FIX "ofac_enhanced_small.xml"), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 3);
	cr_assert_eq(ph_n_warn, 0, "%s", ph_last_warn);
	cr_assert_str_eq(ph_get("9647")->names[0].text, "ZAHHAR, Mahmoud Khaled");
}

Test(ofac_enhanced_xml, malformed_names_line_and_path)
{
	static const char doc[] =
		"<sanctionsData>\n<entities>\n<entity id=\"1\">\n<names>\n<name>\n"
		"<isPrimary>true</isPrimary>\n<translations><translation>\n"
		"<formattedFullName>A</formattedFullNam>\n"
		"</translation></translations></name></names></entity></entities></sanctionsData>\n";

	cr_assert_eq(parse_text(doc), EG_EPARSE);
	cr_assert(strstr(ph_err.message,
	                 "mem.xml:8: sanctionsData/entities/entity/names/name/translations/"
	                 "translation/formattedFullName: ") != NULL, "%s", ph_err.message);
}

Test(ofac_enhanced_xml, entity_without_id_or_name)
{
	cr_assert_eq(parse_text("<sanctionsData><entities><entity><generalInfo/></entity></entities></sanctionsData>"),
	             EG_EPARSE);
	cr_assert(strstr(ph_err.message, "sanctionsData/entities/entity: entry without id") != NULL,
	          "%s", ph_err.message);
	eg__entity_set_free(&ph_set);
	eg__entity_set_init(&ph_set);
	cr_assert_eq(parse_text("<sanctionsData><entities><entity id=\"4\"/></entities></sanctionsData>"),
	             EG_EPARSE);
	cr_assert(strstr(ph_err.message, "entry 4 has no name") != NULL, "%s", ph_err.message);
}

Test(ofac_enhanced_xml, duplicate_id)
{
	static const char doc[] =
		"<sanctionsData><entities>"
		"<entity id=\"1\"><names><name><isPrimary>true</isPrimary><translations><translation>"
		"<isPrimary>true</isPrimary><formattedFullName>A</formattedFullName></translation></translations></name></names></entity>"
		"<entity id=\"1\"><names><name><isPrimary>true</isPrimary><translations><translation>"
		"<isPrimary>true</isPrimary><formattedFullName>B</formattedFullName></translation></translations></name></names></entity>"
		"</entities></sanctionsData>";

	cr_assert_eq(parse_text(doc), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "duplicate id 1") != NULL, "%s", ph_err.message);
}

Test(ofac_enhanced_xml, unknown_element_warns_once)
{
	static const char doc[] =
		"<sanctionsData><entities>"
		"<entity id=\"1\"><gossip>x</gossip><names><name><isPrimary>true</isPrimary><translations><translation>"
		"<isPrimary>true</isPrimary><formattedFullName>A</formattedFullName></translation></translations></name></names></entity>"
		"<entity id=\"2\"><gossip><more/></gossip><names><name><isPrimary>true</isPrimary><translations><translation>"
		"<isPrimary>true</isPrimary><formattedFullName>B</formattedFullName></translation></translations></name></names></entity>"
		"</entities></sanctionsData>";

	cr_assert_eq(parse_text(doc), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 2);
	cr_assert_eq(ph_n_warn, 1, "%s", ph_last_warn);
	cr_assert(strstr(ph_last_warn, "sanctionsData/entities/entity/gossip") != NULL, "%s", ph_last_warn);
}

Test(ofac_enhanced_xml, external_entity_not_fetched)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE sanctionsData [<!ENTITY xxe SYSTEM \"tests/data/xml/secret.txt\">]>\n"
		"<sanctionsData><entities><entity id=\"1\"><names><name><isPrimary>true</isPrimary>"
		"<translations><translation><isPrimary>true</isPrimary>"
		"<formattedFullName>A&xxe;</formattedFullName></translation></translations></name></names>"
		"</entity></entities></sanctionsData>";

	/* Refused whole (issue 13 item 3): no list format declares entities. */
	cr_assert_eq(parse_text(doc), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "declares XML entities (not a list format)") != NULL,
	          "%s", ph_err.message);
	cr_assert(strstr(ph_err.message, "TOP-SECRET") == NULL, "%s", ph_err.message);
}
