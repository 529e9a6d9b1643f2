/* test_ofac_enhanced_xml.c - tests of the OFAC enhanced XML parser. */
#include <criterion/criterion.h>

#include "lists/format.h"
#include "lists/xml_formats.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

#define ENH_2025 "../shared/data/ofac_cons_enhanced_2025-01/CONS_ENHANCED.XML"
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

TestSuite(ofac_enhanced_xml, .init = setup, .fini = teardown);

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
	rc = eg__format_ofac_enhanced_xml.parse(&ctx, path, &err);
	cr_assert_eq(eg__sha256_final(&sha, digest), 0);
	return rc;
}

static int parse_text(const char *text)
{
	eg__sha256 sha;
	eg__parse_ctx ctx;
	int rc;

	init_ctx(&ctx, &sha);
	rc = eg__ofac_enhanced_xml_parse_mem(&ctx, text, strlen(text), "mem.xml", &err);
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

Test(ofac_enhanced_xml, real_file_counts_and_published)
{
	char hex[65];
	size_t i, ind = 0, ent = 0;

	cr_assert_eq(parse_path(ENH_2025), 0, "%s", err.message);
	cr_assert_eq(set.n, 443);
	for (i = 0; i < set.n; i++) {
		ind += set.v[i].type == EG_TYPE_INDIVIDUAL;
		ent += set.v[i].type == EG_TYPE_ENTITY;
		cr_assert_eq(set.v[i].names[0].kind, EG__NAME_PRIMARY);
		cr_assert_geq(set.v[i].n_programs, 1);
	}
	cr_assert_eq(ind, 80);
	cr_assert_eq(ent, 363);
	cr_assert_str_eq(set.published, "2025-01-10");
	cr_assert_eq(n_warn, 0, "unexpected warning: %s", last_warn);
	file_digest(ENH_2025, hex);
	cr_assert_str_eq(digest, hex);
}

Test(ofac_enhanced_xml, real_file_names_and_fields)
{
	const eg__entity *e;
	const eg__name *n;

	cr_assert_eq(parse_path(ENH_2025), 0, "%s", err.message);

	e = get("9639");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_str_eq(e->names[0].text, "HANIYA, Ismail Abdul Salah");
	cr_assert_not_null(name_of(e, "HANIYYA, Ismaeel"));
	cr_assert(has(e->programs, e->n_programs, "NS-PLC"));
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1962");
	cr_assert_str_eq(e->start_date, "2006-04-12");

	e = get("17013");
	cr_assert_eq(e->type, EG_TYPE_ENTITY);
	cr_assert_str_eq(e->names[0].text, "VTB BANK PUBLIC JOINT STOCK COMPANY");
	n = name_of(e, "БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО");
	cr_assert_not_null(n, "Cyrillic translation of the primary name missing");
	cr_assert_eq(n->kind, EG__NAME_AKA);
	cr_assert_eq(name_of(e, "JSC VTB BANK")->kind, EG__NAME_FKA);
	n = name_of(e, "JSC VTB BANK NEW DELHI BRANCH");
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 1, "isLowQuality must give a weak alias");
	cr_assert(has(e->programs, e->n_programs, "RUSSIA-EO14024"));
	cr_assert(has(e->countries, e->n_countries, "Russia"));
	cr_assert(has(e->countries, e->n_countries, "India"));
	cr_assert_str_eq(e->addresses[0].street, "29, Bolshaya Morskaya str.");
	cr_assert_str_eq(e->addresses[0].country, "Russia");
	cr_assert_str_eq(eg__entity_attr(e, "id:Tax ID No."), "7702070139");
	cr_assert_str_eq(eg__entity_attr(e, "feature:SWIFT/BIC"), "VTBRRUMM");
	cr_assert_str_eq(e->start_date, "2014-07-29");

	e = get("9647");
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
	cr_assert_eq(parse_path(FIX "ofac_enhanced_small.xml"), 0, "%s", err.message);
	cr_assert_eq(set.n, 3);
	cr_assert_eq(n_warn, 0, "%s", last_warn);
	cr_assert_str_eq(get("9647")->names[0].text, "ZAHHAR, Mahmoud Khaled");
}

Test(ofac_enhanced_xml, malformed_names_line_and_path)
{
	static const char doc[] =
		"<sanctionsData>\n<entities>\n<entity id=\"1\">\n<names>\n<name>\n"
		"<isPrimary>true</isPrimary>\n<translations><translation>\n"
		"<formattedFullName>A</formattedFullNam>\n"
		"</translation></translations></name></names></entity></entities></sanctionsData>\n";

	cr_assert_eq(parse_text(doc), EG_EPARSE);
	cr_assert(strstr(err.message,
	                 "mem.xml:8: sanctionsData/entities/entity/names/name/translations/"
	                 "translation/formattedFullName: ") != NULL, "%s", err.message);
}

Test(ofac_enhanced_xml, entity_without_id_or_name)
{
	cr_assert_eq(parse_text("<sanctionsData><entities><entity><generalInfo/></entity></entities></sanctionsData>"),
	             EG_EPARSE);
	cr_assert(strstr(err.message, "sanctionsData/entities/entity: entry without id") != NULL,
	          "%s", err.message);
	eg__entity_set_free(&set);
	eg__entity_set_init(&set);
	cr_assert_eq(parse_text("<sanctionsData><entities><entity id=\"4\"/></entities></sanctionsData>"),
	             EG_EPARSE);
	cr_assert(strstr(err.message, "entry 4 has no name") != NULL, "%s", err.message);
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
	cr_assert(strstr(err.message, "duplicate id 1") != NULL, "%s", err.message);
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

	cr_assert_eq(parse_text(doc), 0, "%s", err.message);
	cr_assert_eq(set.n, 2);
	cr_assert_eq(n_warn, 1, "%s", last_warn);
	cr_assert(strstr(last_warn, "sanctionsData/entities/entity/gossip") != NULL, "%s", last_warn);
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

	cr_assert_eq(parse_text(doc), 0, "%s", err.message);
	cr_assert_str_eq(get("1")->names[0].text, "A");
}
