/* test_ofac_xml.c - tests of the OFAC classic sdnList XML parser. */
#include <criterion/criterion.h>

#include "lists/format.h"
#include "lists/xml_formats.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

#define CONS_2018 "../shared/data/ofac_cons_xml_2018-05/consolidated.xml"
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

TestSuite(ofac_xml, .init = setup, .fini = teardown);

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
	rc = eg__format_ofac_xml.parse(&ctx, path, &err);
	cr_assert_eq(eg__sha256_final(&sha, digest), 0);
	return rc;
}

static int parse_text(const char *text)
{
	eg__sha256 sha;
	eg__parse_ctx ctx;
	int rc;

	init_ctx(&ctx, &sha);
	rc = eg__ofac_xml_parse_mem(&ctx, text, strlen(text), "mem.xml", &err);
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

Test(ofac_xml, real_file_counts_and_published)
{
	char hex[65];
	size_t i, ind = 0, ent = 0, ves = 0;

	cr_assert_eq(parse_path(CONS_2018), 0, "%s", err.message);
	cr_assert_eq(set.n, 639);
	for (i = 0; i < set.n; i++) {
		ind += set.v[i].type == EG_TYPE_INDIVIDUAL;
		ent += set.v[i].type == EG_TYPE_ENTITY;
		ves += set.v[i].type == EG_TYPE_VESSEL;
		cr_assert_eq(set.v[i].names[0].kind, EG__NAME_PRIMARY);
	}
	cr_assert_eq(ind, 94);
	cr_assert_eq(ent, 471);
	cr_assert_eq(ves, 74);
	cr_assert_str_eq(set.published, "2018-04-06");
	cr_assert_eq(n_warn, 0, "unexpected warning: %s", last_warn);
	file_digest(CONS_2018, hex);
	cr_assert_str_eq(digest, hex);
}

Test(ofac_xml, real_file_names_and_fields)
{
	const eg__entity *e;
	const eg__name *n;

	cr_assert_eq(parse_path(CONS_2018), 0, "%s", err.message);

	e = get("9639");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_str_eq(e->names[0].text, "HANIYA, Ismail Abdul Salah");
	cr_assert_not_null(name_of(e, "HANIYYA, Ismaeel"));
	cr_assert(has(e->programs, e->n_programs, "NS-PLC"));
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1962");
	cr_assert_str_eq(eg__entity_attr(e, "pob"), "Shati");

	e = get("4637");
	cr_assert_eq(e->type, EG_TYPE_ENTITY);
	cr_assert_str_eq(e->names[0].text, "BANK OF INDUSTRY AND MINE (OF IRAN)");
	n = name_of(e, "BIM");
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 1, "category weak must give a weak alias");
	n = name_of(e, "BANK SANAD VA MADAN");
	cr_assert_not_null(n);
	cr_assert_eq(n->weak, 0);
	cr_assert(has(e->countries, e->n_countries, "Iran"));
	cr_assert_str_eq(e->remarks, "all offices worldwide");

	e = get("4632");
	cr_assert_eq(e->n_addresses, 2);
	cr_assert_str_eq(e->addresses[1].street, "213 Ferdowsi Avenue");
	cr_assert_str_eq(e->addresses[1].city, "Tehran 11365");
	cr_assert_str_eq(e->addresses[1].country, "Iran");
	cr_assert_not_null(eg__entity_attr(e, "id:Additional Sanctions Information -"));

	e = get("15036");
	cr_assert_eq(e->type, EG_TYPE_VESSEL);
	cr_assert_str_eq(e->names[0].text, "SHONA");
	cr_assert_eq(name_of(e, "ABADAN")->kind, EG__NAME_FKA);
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

	cr_assert_eq(eg__read_file(&data, &len, FIX "ofac_small.xml", NULL, &err), 0);
	cr_assert_eq(parse_text(data), 0, "%s", err.message);
	eg__free(data);
	cr_assert_eq(set.n, 4);
	cr_assert_eq(n_warn, 0, "%s", last_warn);
}

Test(ofac_xml, record_count_mismatch_warns)
{
	cr_assert_eq(parse_path(FIX "ofac_count_mismatch.xml"), 0, "%s", err.message);
	cr_assert_eq(set.n, 4);
	cr_assert_eq(n_warn, 1);
	cr_assert(strstr(last_warn, "Record_Count says 639") != NULL, "%s", last_warn);
}

Test(ofac_xml, malformed_tag_names_line_and_path)
{
	cr_assert_eq(parse_path(FIX "ofac_bad_tag.xml"), EG_EPARSE);
	cr_assert(strstr(err.message, "ofac_bad_tag.xml:113: sdnList/sdnEntry/uid: ") != NULL,
	          "%s", err.message);
}

Test(ofac_xml, duplicate_uid)
{
	cr_assert_eq(parse_path(FIX "ofac_dup_uid.xml"), EG_EPARSE);
	cr_assert(strstr(err.message, "sdnList/sdnEntry: duplicate uid 4637") != NULL, "%s", err.message);
}

Test(ofac_xml, entry_without_uid_or_name)
{
	cr_assert_eq(parse_text("<sdnList><sdnEntry><lastName>X</lastName></sdnEntry></sdnList>"),
	             EG_EPARSE);
	cr_assert(strstr(err.message, "mem.xml:1: sdnList/sdnEntry: entry without uid") != NULL,
	          "%s", err.message);
	eg__entity_set_free(&set);
	eg__entity_set_init(&set);
	cr_assert_eq(parse_text("<sdnList>\n<sdnEntry>\n<uid>7</uid><sdnType>Entity</sdnType>\n</sdnEntry></sdnList>"),
	             EG_EPARSE);
	cr_assert(strstr(err.message, "mem.xml:2: sdnList/sdnEntry: entry 7 has no name") != NULL,
	          "%s", err.message);
}

Test(ofac_xml, unknown_element_warns_once)
{
	cr_assert_eq(parse_path(FIX "ofac_unknown.xml"), 0, "%s", err.message);
	cr_assert_eq(set.n, 4);
	cr_assert_eq(n_warn, 1, "%s", last_warn);
	cr_assert(strstr(last_warn, "sdnList/sdnEntry/shoeSize") != NULL, "%s", last_warn);
}

Test(ofac_xml, external_entity_not_fetched)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE sdnList [<!ENTITY xxe SYSTEM \"tests/data/xml/secret.txt\">]>\n"
		"<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\"><sdnEntry><uid>1</uid>"
		"<lastName>A&xxe;</lastName><sdnType>Entity</sdnType><remarks>&xxe;</remarks>"
		"</sdnEntry></sdnList>\n";
	const eg__entity *e;

	cr_assert_eq(parse_text(doc), 0, "%s", err.message);
	e = get("1");
	cr_assert_str_eq(e->names[0].text, "A");
	cr_assert(e->remarks == NULL || strstr(e->remarks, "TOP-SECRET") == NULL);
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

	cr_assert_eq(parse_text(doc), 0, "%s", err.message);
	cr_assert_str_eq(set.published, "2019-12-31");
	e = get("5");
	cr_assert_str_eq(e->names[0].text, "DOE, John");
	cr_assert_eq(name_of(e, "ROE, Jim")->kind, EG__NAME_NKA);
	cr_assert_eq(name_of(e, "JD")->weak, 1);
	cr_assert(has(e->countries, e->n_countries, "Utopia"));
	cr_assert(has(e->countries, e->n_countries, "Atlantis"));
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
	cr_assert(strstr(err.message, "sdnList/sdnEntry/remarks: ") != NULL, "%s", err.message);
}
