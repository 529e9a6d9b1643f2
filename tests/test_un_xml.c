/* test_un_xml.c - tests of the UN Security Council consolidated XML parser. */
#include <criterion/criterion.h>

#include "lists/format.h"
#include "parse_helpers.h"
#include "lists/xml_formats.h"
#include "lists/xmlread.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

#define UN_2026 "../shared/data/un_sc_2026-02/consolidated.xml"
#define FIX "tests/data/xml/"

TestSuite(un_xml, .init = ph_setup, .fini = ph_teardown);

static int parse_path(const char *path)
{
	return ph_parse_path(&eg__format_un_xml, path);
}

static int parse_text(const char *text)
{
	return ph_parse_mem(eg__un_xml_parse_mem, text, "mem.xml");
}

Test(un_xml, real_file_counts_and_published)
{
	char hex[65];
	size_t i, ind = 0, ent = 0;

	cr_assert_eq(parse_path(UN_2026), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 1003);
	for (i = 0; i < ph_set.n; i++) {
		if (ph_set.v[i].type == EG_TYPE_INDIVIDUAL)
			ind++;
		else if (ph_set.v[i].type == EG_TYPE_ENTITY)
			ent++;
		cr_assert_geq(ph_set.v[i].n_names, 1);
		cr_assert_eq(ph_set.v[i].names[0].kind, EG__NAME_PRIMARY);
	}
	cr_assert_eq(ind, 730);
	cr_assert_eq(ent, 273);
	cr_assert_str_eq(ph_set.published, "2026-02-27");
	cr_assert_eq(ph_n_warn, 0, "unexpected warning: %s", ph_last_warn);
	ph_file_digest(UN_2026, hex);
	cr_assert_str_eq(ph_digest, hex);
}

Test(un_xml, real_file_names_and_fields)
{
	const eg__entity *e;
	const eg__name *n;

	cr_assert_eq(parse_path(UN_2026), 0, "%s", ph_err.message);

	e = ph_get("TAi.024");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_str_eq(e->names[0].text, "ABDUL GHANI BARADAR ABDUL AHMAD TURK");
	n = ph_name_of(e, "عبدالغنی برادر عبد الاحمد ترک");
	cr_assert_not_null(n, "original script name missing");
	cr_assert_eq(n->kind, EG__NAME_AKA);
	cr_assert_eq(n->weak, 0);
	cr_assert(ph_has(e->programs, e->n_programs, "Taliban"));
	cr_assert(ph_has(e->countries, e->n_countries, "Afghanistan"));
	cr_assert_str_eq(e->start_date, "2001-02-23");
	cr_assert_str_eq(eg__entity_attr(e, "reference_number"), "TAi.024");
	cr_assert_str_eq(eg__entity_attr(e, "listed_on"), "2001-02-23");
	cr_assert_str_eq(eg__entity_attr(e, "title"), "Mullah");
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1968");
	cr_assert_not_null(eg__entity_attr(e, "designation"));

	e = ph_get("CDi.003");
	cr_assert_str_eq(e->names[0].text, "GASTON IYAMUREMYE");
	n = ph_name_of(e, "Rumuli");
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 1, "QUALITY Low must be a weak alias");
	n = ph_name_of(e, "Victor Rumuri");
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 0, "QUALITY Good must be a strong alias");
	cr_assert(ph_has(e->countries, e->n_countries, "Rwanda"));
	cr_assert(ph_has(e->countries, e->n_countries, "Democratic Republic of the Congo"));
	cr_assert_geq(e->n_addresses, 1);
	cr_assert_str_eq(e->addresses[0].country, "Democratic Republic of the Congo");
	cr_assert_str_eq(e->addresses[0].city, "North Kivu Province");

	e = ph_get("CDe.001");
	cr_assert_eq(e->type, EG_TYPE_ENTITY);
	cr_assert_str_eq(e->names[0].text, "ADF");
	n = ph_name_of(e, "NALU");
	cr_assert_not_null(n);
	cr_assert_eq(n->kind, EG__NAME_FKA);
	cr_assert_not_null(e->remarks);

	e = ph_get("QDi.001");
	cr_assert(ph_has(e->programs, e->n_programs, "Al-Qaida"));
	cr_assert(ph_has(e->countries, e->n_countries, "Egypt"));
}

Test(un_xml, detect)
{
	cr_assert_eq(eg__format_un_xml.detect(UN_2026), 1);
	cr_assert_eq(eg__format_un_xml.detect("../shared/data/un_sc_2026-02"), 1);
	cr_assert_eq(eg__format_un_xml.detect(FIX "ofac_small.xml"), 0);
	cr_assert_eq(eg__format_un_xml.detect("../shared/data/ofac_cons_2025-12/cons_prim.csv"), 0);
	/* several UN files: no single one to pick */
	cr_assert_eq(eg__format_un_xml.detect(FIX), 0);
}

Test(un_xml, directory_with_one_file)
{
	cr_assert_eq(parse_path("../shared/data/un_sc_2026-02"), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 1003);
}

Test(un_xml, memory_entry_matches_file)
{
	char *data = NULL;
	size_t len = 0;
	char file_hex[65];
	eg__sha256 sha;
	eg__parse_ctx ctx;

	cr_assert_eq(parse_path(FIX "un_small.xml"), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 3);
	memcpy(file_hex, ph_digest, sizeof(file_hex));
	eg__entity_set_free(&ph_set);
	eg__entity_set_init(&ph_set);
	cr_assert_eq(eg__read_file(&data, &len, FIX "un_small.xml", NULL, &ph_err), 0);
	ph_init_ctx(&ctx, &sha);
	cr_assert_eq(eg__un_xml_parse_mem(&ctx, data, len, "un_small.xml", &ph_err), 0, "%s",
	             ph_err.message);
	cr_assert_eq(eg__sha256_final(&sha, ph_digest), 0);
	eg__free(data);
	cr_assert_eq(ph_set.n, 3);
	cr_assert_str_eq(ph_digest, file_hex);
	cr_assert_str_eq(ph_get("IQi.001")->names[0].text, "SADDAM HUSSEIN AL-TIKRITI");
}

Test(un_xml, malformed_tag_names_line_and_path)
{
	cr_assert_eq(parse_path(FIX "un_bad_tag.xml"), EG_EPARSE);
	cr_assert_eq(ph_err.code, EG_EPARSE);
	cr_assert(strstr(ph_err.message, "un_bad_tag.xml:69: ") != NULL, "%s", ph_err.message);
	cr_assert(strstr(ph_err.message, "CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL/FIRST_NAME: ") != NULL,
	          "%s", ph_err.message);
}

Test(un_xml, truncated_file)
{
	cr_assert_eq(parse_path(FIX "un_truncated.xml"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "un_truncated.xml:80: CONSOLIDATED_LIST/INDIVIDUALS/") != NULL,
	          "%s", ph_err.message);
}

Test(un_xml, entry_without_uid)
{
	cr_assert_eq(parse_path(FIX "un_no_uid.xml"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "un_no_uid.xml:66: CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL: ") != NULL,
	          "%s", ph_err.message);
	cr_assert(strstr(ph_err.message, "REFERENCE_NUMBER") != NULL, "%s", ph_err.message);
}

Test(un_xml, entry_without_name)
{
	cr_assert_eq(parse_path(FIX "un_no_name.xml"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL: entry IQi.001 has no name") != NULL,
	          "%s", ph_err.message);
}

Test(un_xml, duplicate_uid)
{
	cr_assert_eq(parse_path(FIX "un_dup_uid.xml"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "duplicate REFERENCE_NUMBER CDi.003") != NULL, "%s", ph_err.message);
}

Test(un_xml, unknown_elements_warn_once_each)
{
	cr_assert_eq(parse_path(FIX "un_unknown.xml"), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 3);
	/* FAVOURITE_COLOUR and MYSTERY occur in all three records */
	cr_assert_eq(ph_n_warn, 2, "%d warnings, last: %s", ph_n_warn, ph_last_warn);
	cr_assert(strstr(ph_last_warn, "MYSTERY") != NULL, "%s", ph_last_warn);
	cr_assert_str_eq(ph_get("IQi.001")->names[0].text, "SADDAM HUSSEIN AL-TIKRITI");
}

Test(un_xml, external_entity_not_fetched)
{
	/* Refused whole (issue 13 item 3): no list format declares entities,
	 * and the secret is never read. */
	cr_assert_eq(parse_path(FIX "un_xxe.xml"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "un_xxe.xml: declares XML entities (not a list format)") != NULL,
	          "%s", ph_err.message);
	cr_assert(strstr(ph_err.message, "TOP-SECRET") == NULL, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 0);
}

/* Issue 13 item 3: 1.5 million references to an entity of the internal
 * subset in one element (4.5 MB) took 250 MB resident, libxml2's reader
 * keeping a node per reference; now the declaration is refused before the
 * root element, whatever follows. */
Test(un_xml, internal_entities_refused)
{
	static const char *const docs[] = {
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a \"AAAAAAAAAA\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n"
		"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>\n"
		"<FIRST_NAME>X&b;</FIRST_NAME><REFERENCE_NUMBER>R1</REFERENCE_NUMBER>\n"
		"</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n",
		/* a parameter entity only */
		"<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY % p \"\">]>\n<CONSOLIDATED_LIST/>\n",
		/* declared and never used */
		"<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a \"A\">]><CONSOLIDATED_LIST/>",
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		cr_assert_eq(parse_text(docs[i]), EG_EPARSE, "doc %zu", i);
		cr_assert_str_eq(ph_err.message, "mem.xml: declares XML entities (not a list format)");
	}
}

Test(un_xml, doctype_without_entities_is_read)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE CONSOLIDATED_LIST [<!ELEMENT CONSOLIDATED_LIST ANY>]>\n"
		"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>\n"
		"<FIRST_NAME>X &amp; Y</FIRST_NAME><REFERENCE_NUMBER>R1</REFERENCE_NUMBER>\n"
		"</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n";

	cr_assert_eq(parse_text(doc), 0, "%s", ph_err.message);
	cr_assert_str_eq(ph_get("R1")->names[0].text, "X & Y");
}

/* An undeclared entity is an error, even with an external subset (never
 * loaded), so it cannot stand in for a declared one. */
Test(un_xml, undeclared_entity_refused)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE CONSOLIDATED_LIST SYSTEM \"un.dtd\">\n"
		"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>\n"
		"<FIRST_NAME>X&a;&a;</FIRST_NAME><REFERENCE_NUMBER>R1</REFERENCE_NUMBER>\n"
		"</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n";

	cr_assert_eq(parse_text(doc), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "Entity 'a' not defined") != NULL, "%s", ph_err.message);
}

Test(un_xml, text_over_cap_is_too_big)
{
	static const char head[] = "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>";
	static const char tail[] = "</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
	size_t n = 70 * 1024, hl = strlen(head), tl = strlen(tail);
	char *doc = eg__malloc(hl + n + tl + 1);

	cr_assert_not_null(doc);
	memcpy(doc, head, hl);
	memset(doc + hl, 'A', n);
	memcpy(doc + hl + n, tail, tl + 1);
	cr_assert_eq(parse_text(doc), EG_ETOOBIG);
	eg__free(doc);
	cr_assert(strstr(ph_err.message, "mem.xml:1: CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL/FIRST_NAME: ") != NULL,
	          "%s", ph_err.message);
}

Test(un_xml, wrong_root_and_empty_input)
{
	cr_assert_eq(parse_text("<sdnList/>"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "not a UN consolidated list") != NULL, "%s", ph_err.message);
	cr_assert_eq(parse_text(""), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "mem.xml:") != NULL, "%s", ph_err.message);
}

Test(un_xml, alias_quality_and_dob_forms)
{
	static const char doc[] =
		"<CONSOLIDATED_LIST dateGenerated=\"2020-05-06T01:02:03Z\"><INDIVIDUALS><INDIVIDUAL>"
		"<FIRST_NAME> ANNA </FIRST_NAME><SECOND_NAME/><THIRD_NAME>SMITH</THIRD_NAME>"
		"<REFERENCE_NUMBER>T.1</REFERENCE_NUMBER><LISTED_ON>2001-02-03</LISTED_ON>"
		"<INDIVIDUAL_ALIAS><QUALITY>n.k.a.</QUALITY><ALIAS_NAME>ANNA JONES</ALIAS_NAME></INDIVIDUAL_ALIAS>"
		"<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>ANI</ALIAS_NAME></INDIVIDUAL_ALIAS>"
		"<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>"
		"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-01-02</DATE></INDIVIDUAL_DATE_OF_BIRTH>"
		"<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>P123</NUMBER></INDIVIDUAL_DOCUMENT>"
		"</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
	const eg__entity *e;

	cr_assert_eq(parse_text(doc), 0, "%s", ph_err.message);
	cr_assert_str_eq(ph_set.published, "2020-05-06");
	e = ph_get("T.1");
	cr_assert_eq(e->n_names, 3);
	cr_assert_str_eq(e->names[0].text, "ANNA SMITH");
	cr_assert_eq(ph_name_of(e, "ANNA JONES")->kind, EG__NAME_NKA);
	cr_assert_eq(ph_name_of(e, "ANI")->weak, 1);
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1970-01-02");
	cr_assert_str_eq(eg__entity_attr(e, "id:Passport"), "P123");
	cr_assert_str_eq(e->start_date, "2001-02-03");
}

/* The UN packs several spellings into one ALIAS_NAME: one name each. */
Test(un_xml, names_packed_into_one_alias_are_split)
{
	const eg__entity *e;
	size_t i, j;

	cr_assert_eq(parse_path(UN_2026), 0, "%s", ph_err.message);
	e = ph_get("IRi.003");
	cr_assert_not_null(ph_name_of(e, "Azim Adhajani"));
	cr_assert_not_null(ph_name_of(e, "Azim Agha-Jani"));
	e = ph_get("CDe.003"); /* FIRST_NAME "A (CAGL) ; B (GLBC)" */
	cr_assert_str_eq(e->names[0].text, "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)");
	cr_assert_eq(ph_name_of(e, "GREAT LAKES BUSINESS COMPANY (GLBC)")->kind, EG__NAME_AKA);
	for (i = 0; i < ph_set.n; i++)
		for (j = 0; j < ph_set.v[i].n_names; j++)
			cr_assert_null(strchr(ph_set.v[i].names[j].text, ';'), "%s: %s",
			               ph_set.v[i].uid, ph_set.v[i].names[j].text);
	cr_assert_eq(parse_text("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>"
	                        "<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME>"
	                        "<NAME_ORIGINAL_SCRIPT>Б; В ;; </NAME_ORIGINAL_SCRIPT>"
	                        "<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY>"
	                        "<ALIAS_NAME> C ;D; C</ALIAS_NAME></INDIVIDUAL_ALIAS>"
	                        "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"),
	             0, "%s", ph_err.message);
	e = ph_get("X.1");
	cr_assert_eq(e->n_names, 5, "A, Б, В, C, D");
	cr_assert_eq(ph_name_of(e, "D")->weak, 1);
	cr_assert_not_null(ph_name_of(e, "В"));
}

/* ---- issue 13 item 3: what libxml2 builds before the reader sees it ---- */

/* A UN document with FIRST_NAME holding X followed by n times unit. */
static char *doc_with(const char *unit, size_t n)
{
	static const char head[] = "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>X";
	static const char tail[] = "</FIRST_NAME><REFERENCE_NUMBER>R1</REFERENCE_NUMBER>"
	                           "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
	size_t ul = strlen(unit), hl = strlen(head), tl = strlen(tail), i;
	char *doc = eg__malloc(hl + n * ul + tl + 1), *p;

	cr_assert_not_null(doc);
	memcpy(doc, head, hl);
	for (i = 0, p = doc + hl; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return doc;
}

/* 700,000 comments in one element (4.9 MB) took 128 MB, processing
 * instructions 144 MB: libxml2's reader parses on to the next tag. */
Test(un_xml, comments_pis_cdata_in_a_row_capped)
{
	static const char *const units[] = {"<!---->", "<!-- a - b? > -->\n", "<?pi x?>",
	                                    "y<![CDATA[ <!-- ]] > ]]>"};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		char *doc = doc_with(units[i], EG__XR_MAX_RUN);
		cr_assert_eq(parse_text(doc), 0, "%s: %s", units[i], ph_err.message);
		cr_assert_eq(ph_set.n, 1);
		eg__free(doc);
		eg__entity_set_free(&ph_set);
		eg__entity_set_init(&ph_set);
		doc = doc_with(units[i], EG__XR_MAX_RUN + 1);
		cr_assert_eq(parse_text(doc), EG_ETOOBIG, "%s", units[i]);
		cr_assert(strstr(ph_err.message, "mem.xml:") == ph_err.message, "%s", ph_err.message);
		cr_assert(strstr(ph_err.message, ": more than 4096 comments, processing instructions "
		                 "or CDATA sections in a row") != NULL, "%s", ph_err.message);
		eg__free(doc);
	}
	/* the count starts again at every tag */
	{
		char *doc = doc_with("<!----><b/>", 3 * EG__XR_MAX_RUN);
		/* refused for its name, not for the comments */
		cr_assert_eq(parse_text(doc), EG_EPARSE, "%s", ph_err.message);
		cr_assert(strstr(ph_err.message, "has no name") != NULL, "%s", ph_err.message);
		eg__free(doc);
	}
}

/* 500,000 attributes on one element (5.4 MB) ran for minutes (libxml2
 * checks duplicates in quadratic time) at 140 MB. */
Test(un_xml, tag_over_cap)
{
	size_t n = EG__XR_MAX_TAG_BYTES / 8 + 1, i;
	char *attrs = eg__malloc(n * 12 + 1), *p = attrs, *doc;

	cr_assert_not_null(attrs);
	for (i = 0; i < n; i++)
		p += snprintf(p, 13, " a%zu=\"\"", i);
	doc = eg__malloc((size_t)(p - attrs) + 256);
	cr_assert_not_null(doc);
	sprintf(doc, "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL%s><FIRST_NAME>X</FIRST_NAME>"
	        "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>", attrs);
	cr_assert_eq(parse_text(doc), EG_ETOOBIG);
	cr_assert(strstr(ph_err.message, "mem.xml:1: a tag longer than 65536 bytes") != NULL,
	          "%s", ph_err.message);
	eg__free(doc);
	eg__free(attrs);
}

/* Quotes in tags and declarations hide '>' and '<!--'. */
Test(un_xml, scan_follows_quotes_and_declarations)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE CONSOLIDATED_LIST [\n"
		"  <!-- don't stop at > or ' here -->\n"
		"  <!ELEMENT CONSOLIDATED_LIST ANY>\n"
		"  <!ATTLIST CONSOLIDATED_LIST dateGenerated CDATA \"]>\">\n"
		"]>\n"
		"<CONSOLIDATED_LIST dateGenerated='2026-02-27T00:00:09&gt;'><INDIVIDUALS>"
		"<INDIVIDUAL note=\"<!-- > '\"><FIRST_NAME>X</FIRST_NAME>"
		"<REFERENCE_NUMBER>R1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n";

	cr_assert_neq(parse_text(doc), EG_ETOOBIG, "%s", ph_err.message);
}

Test(un_xml, declaration_over_cap)
{
	size_t n = EG__XR_MAX_DECL_BYTES / 16 + 1, i;
	char *doc = eg__malloc(n * 40 + 256), *p = doc;

	cr_assert_not_null(doc);
	p += sprintf(p, "<!DOCTYPE CONSOLIDATED_LIST [");
	for (i = 0; i < n; i++)
		p += sprintf(p, "<!ELEMENT e%zu ANY>", i);
	sprintf(p, "]><CONSOLIDATED_LIST/>");
	cr_assert_eq(parse_text(doc), EG_ETOOBIG);
	cr_assert(strstr(ph_err.message, "a declaration (<!...>) longer than 65536 bytes") != NULL,
	          "%s", ph_err.message);
	eg__free(doc);
}

Test(un_xml, utf16_refused)
{
	static const char doc[] = "\xff\xfe<\0C\0/\0>\0";

	eg__sha256 sha;
	eg__parse_ctx ctx;

	ph_init_ctx(&ctx, &sha);
	cr_assert_eq(eg__un_xml_parse_mem(&ctx, doc, sizeof(doc) - 1, "mem.xml", &ph_err),
	             EG_EPARSE);
	cr_assert_eq(eg__sha256_final(&sha, ph_digest), 0);
	cr_assert(strstr(ph_err.message, "UTF-16 or UTF-32 (list formats are UTF-8)") != NULL,
	          "%s", ph_err.message);
}
