/* test_uk_xml.c - tests of the UK Sanctions List XML (FCDO) parser. */
#include <criterion/criterion.h>

#include "lists/euuk_formats.h"
#include "lists/format.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

#define FIX "tests/data/uk/"

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
	eg__formats_init();
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

TestSuite(uk_xml, .init = setup, .fini = teardown);

static void init_ctx(eg__parse_ctx *ctx, eg__sha256 *sha)
{
	cr_assert_eq(eg__sha256_init(sha), 0);
	ctx->set = &set;
	ctx->sha = sha;
	ctx->warn = on_warn;
	ctx->warn_ud = NULL;
}

static int parse_path(const char *path)
{
	eg__sha256 sha;
	eg__parse_ctx ctx;
	int rc;

	init_ctx(&ctx, &sha);
	rc = eg__format_uk_xml.parse(&ctx, path, &err);
	cr_assert_eq(eg__sha256_final(&sha, digest), 0);
	return rc;
}

static int parse_text(const char *text)
{
	eg__sha256 sha;
	eg__parse_ctx ctx;
	int rc;

	init_ctx(&ctx, &sha);
	rc = eg__uk_xml_parse_mem(&ctx, text, strlen(text), "mem.xml", &err);
	cr_assert_eq(eg__sha256_final(&sha, digest), 0);
	return rc;
}

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

static const eg__name *name_of(const eg__entity *e, const char *text)
{
	size_t i;

	for (i = 0; i < e->n_names; i++)
		if (strcmp(e->names[i].text, text) == 0)
			return &e->names[i];
	return NULL;
}

static void expect_error(const char *file, int code, const char *where, const char *what)
{
	char path[256];

	snprintf(path, sizeof(path), FIX "%s", file);
	cr_assert_eq(parse_path(path), code, "%s: %s", file, err.message);
	cr_assert_eq(err.code, code);
	cr_assert(strstr(err.message, where) != NULL, "want \"%s\" in: %s", where, err.message);
	cr_assert(strstr(err.message, what) != NULL, "want \"%s\" in: %s", what, err.message);
}

static int has(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

Test(uk_xml, small_file_counts_published_digest)
{
	char hex[65];
	size_t i;

	cr_assert_eq(parse_path(FIX "uk_small.xml"), 0, "%s", err.message);
	cr_assert_eq(set.n, 3);
	cr_assert_eq(eg__entity_set_names(&set), 9);
	for (i = 0; i < set.n; i++)
		cr_assert_eq(set.v[i].names[0].kind, EG__NAME_PRIMARY);
	cr_assert_str_eq(set.published, "2026-03-02");
	cr_assert_eq(n_warn, 0, "unexpected warning: %s", last_warn);
	file_digest(FIX "uk_small.xml", hex);
	cr_assert_str_eq(digest, hex);
}

Test(uk_xml, individual_mapping)
{
	const eg__entity *e;
	const eg__name *n;

	cr_assert_eq(parse_path(FIX "uk_small.xml"), 0, "%s", err.message);
	e = get("AFG0006");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_str_eq(e->names[0].text, "MOHAMMAD HASSAN AKHUND");
	cr_assert_eq(e->n_names, 5);
	n = name_of(e, "Mohammad Hassan Akhund");
	cr_assert_not_null(n);
	cr_assert_eq(n->kind, EG__NAME_AKA);
	cr_assert_eq(n->weak, 0);
	cr_assert_eq(name_of(e, "Haji Mohammad Hassan")->weak, 0);
	n = name_of(e, "Mullah Hassan");
	cr_assert_not_null(n, "\"ALias\" must be read as an alias");
	cr_assert_eq(n->weak, 1, "Low quality must be weak");
	n = name_of(e, "محمد حسن آخوند");
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

	cr_assert_eq(parse_path(FIX "uk_small.xml"), 0, "%s", err.message);
	e = get("AFG0001");
	cr_assert_eq(e->type, EG_TYPE_ENTITY);
	cr_assert_str_eq(e->names[0].text, "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE");
	cr_assert_eq(e->n_names, 3);
	cr_assert_eq(e->n_addresses, 2);
	cr_assert_str_eq(e->addresses[0].street, "Sample Street 1");
	cr_assert_str_eq(e->addresses[0].city, "Kandahar, 0000");
	cr_assert(has(e->countries, e->n_countries, "Pakistan"));
	cr_assert(has(e->countries, e->n_countries, "Afghanistan"));
	e = get("SMP0001");
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

	cr_assert_eq(parse_path(FIX "uk_small.xml"), 0, "%s", err.message);
	memcpy(file_hex, digest, sizeof(file_hex));
	eg__entity_set_free(&set);
	eg__entity_set_init(&set);
	cr_assert_eq(eg__read_file(&data, &len, FIX "uk_small.xml", NULL, &err), 0);
	init_ctx(&ctx, &sha);
	cr_assert_eq(eg__uk_xml_parse_mem(&ctx, data, len, "uk_small.xml", &err), 0, "%s",
	             err.message);
	cr_assert_eq(eg__sha256_final(&sha, digest), 0);
	eg__free(data);
	cr_assert_eq(set.n, 3);
	cr_assert_str_eq(digest, file_hex);
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
	cr_assert_eq(parse_path(FIX "uk_unknown.xml"), 0, "%s", err.message);
	cr_assert_eq(set.n, 3);
	cr_assert_eq(n_warn, 2, "%d warnings, last: %s", n_warn, last_warn);
	cr_assert(strstr(last_warn, "Mystery") != NULL, "%s", last_warn);
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

	cr_assert_eq(parse_text(doc), 0, "%s", err.message);
	e = get("X1");
	cr_assert_eq(e->type, EG_TYPE_ENTITY);
	cr_assert_str_eq(e->names[0].text, "A ONE");
	cr_assert_eq(e->names[0].kind, EG__NAME_PRIMARY);
	cr_assert_eq(e->names[0].weak, 0);
	cr_assert_str_eq(e->names[1].text, "TWO");
	cr_assert_null(e->start_date, "31/02 is no date");
	cr_assert_null(set.published, "DateGenerated is DD/MM/YYYY");
	/* DateGenerated, NameType, DateDesignated, no type, no primary */
	cr_assert_eq(n_warn, 5, "%d warnings, last: %s", n_warn, last_warn);
}

Test(uk_xml, wrong_root_and_empty_input)
{
	cr_assert_eq(parse_text("<export/>"), EG_EPARSE);
	cr_assert(strstr(err.message, "not a UK Sanctions List") != NULL, "%s", err.message);
	cr_assert_eq(parse_text(""), EG_EPARSE);
	cr_assert(strstr(err.message, "mem.xml:") != NULL, "%s", err.message);
}
