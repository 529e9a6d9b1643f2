/* test_un_xml.c - tests of the UN Security Council consolidated XML parser. */
#include <criterion/criterion.h>

#include "lists/format.h"
#include "lists/xml_formats.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

#define UN_2026 "../shared/data/un_sc_2026-02/consolidated.xml"
#define FIX "tests/data/xml/"

static eg__entity_set set;
static eg_error err;
static char digest[65];
static int n_warn;
static char last_warn[512];

static void on_warn(void *ud, const char *message)
{
	(void)ud;
	n_warn++;
	snprintf(last_warn, sizeof(last_warn), "%s", message);
}

static void setup(void)
{
	eg__entity_set_init(&set);
	memset(&err, 0, sizeof(err));
	digest[0] = '\0';
	n_warn = 0;
	last_warn[0] = '\0';
}

static void teardown(void)
{
	eg__entity_set_free(&set);
}

TestSuite(un_xml, .init = setup, .fini = teardown);

static void init_ctx(eg__parse_ctx *ctx, eg__sha256 *sha)
{
	cr_assert_eq(eg__sha256_init(sha), 0);
	ctx->set = &set;
	ctx->sha = sha;
	ctx->warn = on_warn;
	ctx->warn_ud = NULL;
}

/* Parses path into the suite's set; the digest of the input goes to digest. */
static int parse_path(const char *path)
{
	eg__sha256 sha;
	eg__parse_ctx ctx;
	int rc;

	init_ctx(&ctx, &sha);
	rc = eg__format_un_xml.parse(&ctx, path, &err);
	cr_assert_eq(eg__sha256_final(&sha, digest), 0);
	return rc;
}

static int parse_text(const char *text)
{
	eg__sha256 sha;
	eg__parse_ctx ctx;
	int rc;

	init_ctx(&ctx, &sha);
	rc = eg__un_xml_parse_mem(&ctx, text, strlen(text), "mem.xml", &err);
	cr_assert_eq(eg__sha256_final(&sha, digest), 0);
	return rc;
}

/* The SHA-256 of a whole file, read independently of the parser. */
static void file_digest(const char *path, char hex[65])
{
	eg__sha256 sha;
	eg_error e;
	char *data = NULL;
	size_t len = 0;

	cr_assert_eq(eg__sha256_init(&sha), 0);
	cr_assert_eq(eg__read_file(&data, &len, path, &sha, &e), 0, "%s", e.message);
	cr_assert_eq(eg__sha256_final(&sha, hex), 0);
	eg__free(data);
}

static const eg__entity *get(const char *uid)
{
	const eg__entity *e = eg__entity_set_find(&set, uid, strlen(uid));
	cr_assert_not_null(e, "no entity %s", uid);
	return e;
}

/* The name of e with this text, or NULL. */
static const eg__name *name_of(const eg__entity *e, const char *text)
{
	size_t i;

	for (i = 0; i < e->n_names; i++)
		if (strcmp(e->names[i].text, text) == 0)
			return &e->names[i];
	return NULL;
}

static int has(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

Test(un_xml, real_file_counts_and_published)
{
	char hex[65];
	size_t i, ind = 0, ent = 0;

	cr_assert_eq(parse_path(UN_2026), 0, "%s", err.message);
	cr_assert_eq(set.n, 1003);
	for (i = 0; i < set.n; i++) {
		if (set.v[i].type == EG_TYPE_INDIVIDUAL)
			ind++;
		else if (set.v[i].type == EG_TYPE_ENTITY)
			ent++;
		cr_assert_geq(set.v[i].n_names, 1);
		cr_assert_eq(set.v[i].names[0].kind, EG__NAME_PRIMARY);
	}
	cr_assert_eq(ind, 730);
	cr_assert_eq(ent, 273);
	cr_assert_str_eq(set.published, "2026-02-27");
	cr_assert_eq(n_warn, 0, "unexpected warning: %s", last_warn);
	file_digest(UN_2026, hex);
	cr_assert_str_eq(digest, hex);
}

Test(un_xml, real_file_names_and_fields)
{
	const eg__entity *e;
	const eg__name *n;

	cr_assert_eq(parse_path(UN_2026), 0, "%s", err.message);

	e = get("TAi.024");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_str_eq(e->names[0].text, "ABDUL GHANI BARADAR ABDUL AHMAD TURK");
	n = name_of(e, "عبدالغنی برادر عبد الاحمد ترک");
	cr_assert_not_null(n, "original script name missing");
	cr_assert_eq(n->kind, EG__NAME_AKA);
	cr_assert_eq(n->weak, 0);
	cr_assert(has(e->programs, e->n_programs, "Taliban"));
	cr_assert(has(e->countries, e->n_countries, "Afghanistan"));
	cr_assert_str_eq(e->start_date, "2001-02-23");
	cr_assert_str_eq(eg__entity_attr(e, "reference_number"), "TAi.024");
	cr_assert_str_eq(eg__entity_attr(e, "listed_on"), "2001-02-23");
	cr_assert_str_eq(eg__entity_attr(e, "title"), "Mullah");
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1968");
	cr_assert_not_null(eg__entity_attr(e, "designation"));

	e = get("CDi.003");
	cr_assert_str_eq(e->names[0].text, "GASTON IYAMUREMYE");
	n = name_of(e, "Rumuli");
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 1, "QUALITY Low must be a weak alias");
	n = name_of(e, "Victor Rumuri");
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 0, "QUALITY Good must be a strong alias");
	cr_assert(has(e->countries, e->n_countries, "Rwanda"));
	cr_assert(has(e->countries, e->n_countries, "Democratic Republic of the Congo"));
	cr_assert_geq(e->n_addresses, 1);
	cr_assert_str_eq(e->addresses[0].country, "Democratic Republic of the Congo");
	cr_assert_str_eq(e->addresses[0].city, "North Kivu Province");

	e = get("CDe.001");
	cr_assert_eq(e->type, EG_TYPE_ENTITY);
	cr_assert_str_eq(e->names[0].text, "ADF");
	n = name_of(e, "NALU");
	cr_assert_not_null(n);
	cr_assert_eq(n->kind, EG__NAME_FKA);
	cr_assert_not_null(e->remarks);

	e = get("QDi.001");
	cr_assert(has(e->programs, e->n_programs, "Al-Qaida"));
	cr_assert(has(e->countries, e->n_countries, "Egypt"));
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
	cr_assert_eq(parse_path("../shared/data/un_sc_2026-02"), 0, "%s", err.message);
	cr_assert_eq(set.n, 1003);
}

Test(un_xml, memory_entry_matches_file)
{
	char *data = NULL;
	size_t len = 0;
	char file_hex[65];
	eg__sha256 sha;
	eg__parse_ctx ctx;

	cr_assert_eq(parse_path(FIX "un_small.xml"), 0, "%s", err.message);
	cr_assert_eq(set.n, 3);
	memcpy(file_hex, digest, sizeof(file_hex));
	eg__entity_set_free(&set);
	eg__entity_set_init(&set);
	cr_assert_eq(eg__read_file(&data, &len, FIX "un_small.xml", NULL, &err), 0);
	init_ctx(&ctx, &sha);
	cr_assert_eq(eg__un_xml_parse_mem(&ctx, data, len, "un_small.xml", &err), 0, "%s",
	             err.message);
	cr_assert_eq(eg__sha256_final(&sha, digest), 0);
	eg__free(data);
	cr_assert_eq(set.n, 3);
	cr_assert_str_eq(digest, file_hex);
	cr_assert_str_eq(get("IQi.001")->names[0].text, "SADDAM HUSSEIN AL-TIKRITI");
}

Test(un_xml, malformed_tag_names_line_and_path)
{
	cr_assert_eq(parse_path(FIX "un_bad_tag.xml"), EG_EPARSE);
	cr_assert_eq(err.code, EG_EPARSE);
	cr_assert(strstr(err.message, "un_bad_tag.xml:69: ") != NULL, "%s", err.message);
	cr_assert(strstr(err.message, "CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL/FIRST_NAME: ") != NULL,
	          "%s", err.message);
}

Test(un_xml, truncated_file)
{
	cr_assert_eq(parse_path(FIX "un_truncated.xml"), EG_EPARSE);
	cr_assert(strstr(err.message, "un_truncated.xml:80: CONSOLIDATED_LIST/INDIVIDUALS/") != NULL,
	          "%s", err.message);
}

Test(un_xml, entry_without_uid)
{
	cr_assert_eq(parse_path(FIX "un_no_uid.xml"), EG_EPARSE);
	cr_assert(strstr(err.message, "un_no_uid.xml:66: CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL: ") != NULL,
	          "%s", err.message);
	cr_assert(strstr(err.message, "REFERENCE_NUMBER") != NULL, "%s", err.message);
}

Test(un_xml, entry_without_name)
{
	cr_assert_eq(parse_path(FIX "un_no_name.xml"), EG_EPARSE);
	cr_assert(strstr(err.message, "CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL: entry IQi.001 has no name") != NULL,
	          "%s", err.message);
}

Test(un_xml, duplicate_uid)
{
	cr_assert_eq(parse_path(FIX "un_dup_uid.xml"), EG_EPARSE);
	cr_assert(strstr(err.message, "duplicate REFERENCE_NUMBER CDi.003") != NULL, "%s", err.message);
}

Test(un_xml, unknown_elements_warn_once_each)
{
	cr_assert_eq(parse_path(FIX "un_unknown.xml"), 0, "%s", err.message);
	cr_assert_eq(set.n, 3);
	/* FAVOURITE_COLOUR and MYSTERY occur in all three records */
	cr_assert_eq(n_warn, 2, "%d warnings, last: %s", n_warn, last_warn);
	cr_assert(strstr(last_warn, "MYSTERY") != NULL, "%s", last_warn);
	cr_assert_str_eq(get("IQi.001")->names[0].text, "SADDAM HUSSEIN AL-TIKRITI");
}

Test(un_xml, external_entity_not_fetched)
{
	const eg__entity *e;
	size_t i;

	cr_assert_eq(parse_path(FIX "un_xxe.xml"), 0, "%s", err.message);
	cr_assert_eq(set.n, 1);
	e = get("TSi.001");
	for (i = 0; i < e->n_names; i++)
		cr_assert(strstr(e->names[i].text, "TOP-SECRET") == NULL, "%s", e->names[i].text);
	cr_assert(e->remarks == NULL || strstr(e->remarks, "TOP-SECRET") == NULL);
	cr_assert_str_eq(e->names[0].text, "JOHN DOE");
	cr_assert_geq(n_warn, 1);
	cr_assert(strstr(last_warn, "not expanded") != NULL, "%s", last_warn);
}

Test(un_xml, internal_entity_not_expanded)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a \"AAAAAAAAAA\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n"
		"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>\n"
		"<FIRST_NAME>X&b;</FIRST_NAME><REFERENCE_NUMBER>R1</REFERENCE_NUMBER>\n"
		"</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n";

	cr_assert_eq(parse_text(doc), 0, "%s", err.message);
	cr_assert_str_eq(get("R1")->names[0].text, "X");
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
	cr_assert(strstr(err.message, "mem.xml:1: CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL/FIRST_NAME: ") != NULL,
	          "%s", err.message);
}

Test(un_xml, wrong_root_and_empty_input)
{
	cr_assert_eq(parse_text("<sdnList/>"), EG_EPARSE);
	cr_assert(strstr(err.message, "not a UN consolidated list") != NULL, "%s", err.message);
	cr_assert_eq(parse_text(""), EG_EPARSE);
	cr_assert(strstr(err.message, "mem.xml:") != NULL, "%s", err.message);
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

	cr_assert_eq(parse_text(doc), 0, "%s", err.message);
	cr_assert_str_eq(set.published, "2020-05-06");
	e = get("T.1");
	cr_assert_eq(e->n_names, 3);
	cr_assert_str_eq(e->names[0].text, "ANNA SMITH");
	cr_assert_eq(name_of(e, "ANNA JONES")->kind, EG__NAME_NKA);
	cr_assert_eq(name_of(e, "ANI")->weak, 1);
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1970-01-02");
	cr_assert_str_eq(eg__entity_attr(e, "id:Passport"), "P123");
	cr_assert_str_eq(e->start_date, "2001-02-03");
}
