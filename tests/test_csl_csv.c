/* test_csl_csv.c - tests of the csl_csv module (US Consolidated Screening List CSV). */
#include <criterion/criterion.h>

#include "lists/csv_formats.h"
#include "lists/format.h"
#include "parse_helpers.h"
#include "util/alloc.h"

#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#define CSL_GZ "../shared/data/us_csl_2022/consolidated.csv.gz"

#define HEADER                                                                              \
	"_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice," \
	"start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"     \
	"vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks," \
	"source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth," \
	"source_information_url,ids\n"
/* 28 commas: a row of 29 fields after the given first six. */
#define EL "Entity List (EL) - Bureau of Industry and Security"

TestSuite(csl_csv, .init = ph_setup, .fini = ph_teardown);

static int parse_path(const char *path)
{
	return ph_parse_path(&eg__format_csl_csv, path);
}

/* No digest: the parser runs without a hash. */
static int parse_str(const char *text)
{
	eg__parse_ctx ctx;

	ph_init_ctx(&ctx, NULL);
	return eg__csl_csv_parse_mem(&ctx, text, strlen(text), "t.csv", &ph_err);
}

static const eg__entity *by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ph_set.n; i++)
		if (strcmp(ph_set.v[i].names[0].text, name) == 0)
			return &ph_set.v[i];
	cr_assert_fail("no entity named %s", name);
	return NULL;
}

static size_t count_list(const char *list)
{
	size_t i, n = 0;

	for (i = 0; i < ph_set.n; i++) {
		const char *v = eg__entity_attr(&ph_set.v[i], "list");
		if (v != NULL && strcmp(v, list) == 0)
			n++;
	}
	return n;
}

Test(csl_csv, real_file_entities_and_lists)
{
	cr_assert_eq(parse_path(CSL_GZ), 0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 14160);
	cr_assert_null(ph_set.published);
	cr_assert_eq(count_list("Specially Designated Nationals (SDN) - Treasury Department"), 10026);
	cr_assert_eq(count_list(EL), 2001);
	cr_assert_eq(count_list("Denied Persons List (DPL) - Bureau of Industry and Security"), 462);
	cr_assert_eq(count_list("Unverified List (UVL) - Bureau of Industry and Security"), 201);
	cr_assert_eq(count_list("Military End User (MEU) List - Bureau of Industry and Security"), 71);
	cr_assert_eq(count_list("ITAR Debarred (DTC) - State Department"), 727);
	cr_assert_eq(ph_n_warn, 0, "%s", ph_last_warn);
}

Test(csl_csv, digest_is_of_the_file_as_stored)
{
	cr_assert_eq(parse_path(CSL_GZ), 0, "%s", ph_err.message);
	/* sha256sum of the gzip file itself, not of its uncompressed text */
	cr_assert_str_eq(ph_digest, "f55c580c0eadaeef6f291d5cd3653b147650c2019f227c92a93814aa5dc4364c");
}

Test(csl_csv, nso_group_on_the_entity_list)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(CSL_GZ), 0, "%s", ph_err.message);
	e = by_name("NSO Group");
	cr_assert_str_eq(e->uid, "EL:9bb32c725b10b9658db3bc6cf92b6c6830195e42");
	cr_assert_eq(e->type, EG_TYPE_UNKNOWN); /* the Entity List rows give no type */
	cr_assert_str_eq(eg__entity_attr(e, "list"), EL);
	cr_assert_str_eq(eg__entity_attr(e, "license_requirement"),
	                 "All items subject to the EAR. (See §744.11 of the EAR)");
	cr_assert_str_eq(eg__entity_attr(e, "license_policy"), "Presumption of denial.");
	cr_assert_str_eq(eg__entity_attr(e, "federal_register_notice"), "86 FR 60760");
	cr_assert_str_eq(e->start_date, "2021-11-04");
	cr_assert_null(e->end_date);
	cr_assert_eq(e->n_addresses, 1);
	cr_assert_str_eq(e->addresses[0].street,
	                 "22 Galgalei Haplada, Herzliya, Tel Aviv-Yafo, 4672222, IL");
	cr_assert_str_eq(e->addresses[0].country, "IL");
	cr_assert_eq(e->n_countries, 1);
	cr_assert_str_eq(e->countries[0], "IL");
}

Test(csl_csv, candiru_aliases_without_the_list_prose)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(CSL_GZ), 0, "%s", ph_err.message);
	e = by_name("Candiru");
	cr_assert_eq(e->n_names, 8);
	cr_assert(ph_has_name(e, "Candiru", EG__NAME_PRIMARY));
	cr_assert(ph_has_name(e, "Saito Tech Ltd.", EG__NAME_AKA));
	cr_assert(ph_has_name(e, "Grindavik Solutions Ltd.", EG__NAME_AKA));
	cr_assert(ph_has_name(e, "Tabatha Ltd.", EG__NAME_AKA), "the final \"and \" is dropped");
	cr_assert(!ph_has_name(e, "and Tabatha Ltd.", EG__NAME_AKA));
	cr_assert_str_eq(eg__entity_attr(e, "license_policy"), "Presumption of denial.");
}

Test(csl_csv, coseinc_is_an_alias)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(CSL_GZ), 0, "%s", ph_err.message);
	e = by_name("Computer Security Initiative Consultancy PTE. LTD.");
	cr_assert(ph_has_name(e, "COSEINC", EG__NAME_AKA));
	cr_assert_str_eq(e->countries[0], "SG");
}

Test(csl_csv, uid_is_list_and_id_made_unique)
{
	cr_assert_eq(parse_path(CSL_GZ), 0, "%s", ph_err.message);
	/* One _id on two lists gives two entities. */
	cr_assert_str_eq(ph_get("SDN:34616")->names[0].text, "ARIMERO HOLDING LIMITED");
	cr_assert_str_eq(ph_get("CAP:34616")->names[0].text, "ARIMERO HOLDING LIMITED");
	/* A row repeated on the same list gets a suffix. */
	cr_assert_str_eq(ph_get("CAP:15268")->names[0].text, "BANK OF KUNLUN CO LTD");
	cr_assert_str_eq(ph_get("CAP:15268#2")->names[0].text, "BANK OF KUNLUN CO LTD");
	cr_assert_null(eg__entity_set_find(&ph_set, "CAP:15268#3", 11));
}

Test(csl_csv, individual_fields)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(CSL_GZ), 0, "%s", ph_err.message);
	e = ph_get("SDN:21944");
	cr_assert_str_eq(e->names[0].text, "'ABBAS, Rim");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1973-03-25");
	cr_assert_str_eq(e->programs[0], "SYRIA");
	cr_assert_str_eq(e->countries[0], "SY");
	/* A DPL row of the CSL has an empty type: unknown. */
	e = by_name("I. ASH");
	cr_assert_eq(e->type, EG_TYPE_UNKNOWN);
	cr_assert_str_eq(e->end_date, "2056-06-29");
}

Test(csl_csv, control_characters_become_spaces)
{
	const eg__entity *e;
	size_t i;

	cr_assert_eq(parse_path(CSL_GZ), 0, "%s", ph_err.message);
	e = by_name("Gaobeidian Kaituo Precise Instrument Co. Ltd");
	cr_assert_not_null(e);
	by_name("Government Flying Service");
	for (i = 0; i < ph_set.n; i++) {
		size_t j;
		for (j = 0; j < ph_set.v[i].n_names; j++)
			cr_assert_null(strpbrk(ph_set.v[i].names[j].text, "\n\r\t"));
	}
}

Test(csl_csv, plain_text_gives_the_same_entities)
{
	gzFile gz = gzopen(CSL_GZ, "rb");
	char *text = NULL;
	size_t len = 0, cap = 8u << 20;
	eg__parse_ctx ctx;
	int n;

	cr_assert_not_null(gz);
	text = eg__malloc(cap);
	cr_assert_not_null(text);
	while ((n = gzread(gz, text + len, (unsigned)(cap - len))) > 0)
		len += (size_t)n;
	gzclose(gz);
	cr_assert_eq(len, 5829294);
	ph_init_ctx(&ctx, NULL);
	cr_assert_eq(eg__csl_csv_parse_mem(&ctx, text, len, "consolidated.csv", &ph_err), 0, "%s",
	             ph_err.message);
	eg__free(text);
	cr_assert_eq(ph_set.n, 14160);
	cr_assert_not_null(eg__entity_set_find(&ph_set, "CAP:15268#2", 11));
}

Test(csl_csv, small_row_and_dates)
{
	const eg__entity *e;

	cr_assert_eq(parse_str(HEADER
	             "x1," EL ",,,,  Acme Ltd ,,\"1 Road, Town, CN; 2 Street, Paris, FR\",,"
	             "04/21/2022,2023-01-02,,,,,,,,,,,,\"ACME; and Acme Two\",,,,,,\n"), 0,
	             "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 1);
	e = ph_get("EL:x1");
	cr_assert_str_eq(e->names[0].text, "Acme Ltd");
	cr_assert(ph_has_name(e, "Acme Two", EG__NAME_AKA));
	cr_assert_null(e->start_date, "a date not YYYY-MM-DD is left out");
	cr_assert_eq(ph_n_warn, 1, "and said so");
	cr_assert_not_null(strstr(ph_last_warn, "t.csv:2: field start_date: \"04/21/2022\" is not a "
	                          "date"), "%s", ph_last_warn);
	cr_assert_str_eq(eg__entity_attr(e, "start_date"), "04/21/2022");
	cr_assert_str_eq(e->end_date, "2023-01-02");
	cr_assert_eq(e->n_addresses, 2);
	cr_assert_str_eq(e->addresses[1].country, "FR");
	cr_assert_eq(e->n_countries, 2);
}

Test(csl_csv, wrong_field_count_names_the_line)
{
	/* The record on line 2 spans two lines: the bad one starts on line 4. */
	int rc = parse_str(HEADER
	                   "a1," EL ",,,,\"Two\nLines\",,,,,,,,,,,,,,,,,,,,,,,\n"
	                   "a2," EL ",,,,Short,,,,,,,,,,,,,,,,,,,,,,\n");

	cr_assert_eq(rc, EG_EPARSE);
	cr_assert_str_eq(ph_err.message, "t.csv:4: expected 29 fields, got 28");
}

Test(csl_csv, empty_name_is_an_error)
{
	int rc = parse_str(HEADER "a1," EL ",,,,  ,,,,,,,,,,,,,,,,,,,,,,,\n");

	cr_assert_eq(rc, EG_EPARSE);
	cr_assert_str_eq(ph_err.message, "t.csv:2: field name: empty");
}

Test(csl_csv, invalid_utf8_names_line_and_field)
{
	int rc = parse_str(HEADER "a1," EL ",,,,Good,,\"bad \xC3\x28 here\",,,,,,,,,,,,,,,,,,,,,\n");

	cr_assert_eq(rc, EG_EPARSE);
	cr_assert(strstr(ph_err.message, "t.csv:2: field addresses: invalid UTF-8") != NULL, "%s",
	          ph_err.message);
}

Test(csl_csv, unknown_column_warns_once)
{
	cr_assert_eq(parse_str("_id,source,name,colour\n1,X (X) - Y,Bob,red\n2,X (X) - Y,Al,blue\n"),
	             0, "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 2);
	cr_assert_eq(ph_n_warn, 1);
	cr_assert(strstr(ph_last_warn, "colour") != NULL, "%s", ph_last_warn);
	cr_assert_not_null(eg__entity_set_find(&ph_set, "X:2", 3));
}

Test(csl_csv, header_needs_name_and_id)
{
	cr_assert_eq(parse_str("_id,source,title\n1,X,Y\n"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "name") != NULL, "%s", ph_err.message);
	cr_assert_eq(parse_str("name,title\nBob,Y\n"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "_id") != NULL, "%s", ph_err.message);
}

Test(csl_csv, malformed_quoting_and_empty_input)
{
	cr_assert_eq(parse_str("_id,source,name\n1,X,\"Bob\n"), EG_EPARSE);
	cr_assert(strstr(ph_err.message, "t.csv:") != NULL, "%s", ph_err.message);
	cr_assert_eq(parse_str("_id,source,name\n1,X,\"Bob\"x\n"), EG_EPARSE);
	cr_assert_eq(parse_str(""), EG_EEMPTY);
}

Test(csl_csv, truncated_gzip_is_an_error)
{
	char *data;
	size_t len;
	eg__parse_ctx ctx;

	cr_assert_eq(eg__read_file(&data, &len, CSL_GZ, NULL, &ph_err), 0);
	ph_init_ctx(&ctx, NULL);
	cr_assert_eq(eg__csl_csv_parse_mem(&ctx, data, len / 2, "c.csv.gz", &ph_err), EG_EPARSE);
	eg__free(data);
	cr_assert(strstr(ph_err.message, "c.csv.gz") != NULL, "%s", ph_err.message);
}

Test(csl_csv, detect)
{
	cr_assert(eg__format_csl_csv.detect(CSL_GZ));
	cr_assert(!eg__format_csl_csv.detect("tests/data/ftm/sample.ftm.json"));
	cr_assert(!eg__format_csl_csv.detect("../shared/data/us_bis_dpl_2023-11/dpl.txt"));
	cr_assert(!eg__format_csl_csv.detect("../shared/data/ofac_sdn_2024-05/sdn.csv"));
	cr_assert_eq(eg__format_detect(CSL_GZ), &eg__format_csl_csv);
}

/* Appends text as one gzip member to buf at *len. */
static void gzip_member(unsigned char *buf, size_t cap, size_t *len, const char *text)
{
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	cr_assert_eq(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)(uintptr_t)text;
	zs.avail_in = (uInt)strlen(text);
	zs.next_out = buf + *len;
	zs.avail_out = (uInt)(cap - *len);
	cr_assert_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*len = cap - zs.avail_out;
	deflateEnd(&zs);
}

Test(csl_csv, gzip_members_are_read_in_turn)
{
	unsigned char buf[512];
	size_t len = 0;
	eg__parse_ctx ctx;

	/* Two members in a row, as `cat a.gz b.gz` makes. */
	gzip_member(buf, sizeof(buf), &len, "_id,source,name\n1,Entity List (EL) - BIS,Acme\n");
	gzip_member(buf, sizeof(buf), &len, "2,Entity List (EL) - BIS,Bolt\n");
	ph_init_ctx(&ctx, NULL);
	cr_assert_eq(eg__csl_csv_parse_mem(&ctx, (const char *)buf, len, "m.csv.gz", &ph_err), 0,
	             "%s", ph_err.message);
	cr_assert_eq(ph_set.n, 2);
	cr_assert_str_eq(ph_get("EL:2")->names[0].text, "Bolt");
	/* Bytes after the last member that are not gzip are an error. */
	buf[len++] = 'x';
	buf[len++] = 'y';
	eg__entity_set_free(&ph_set);
	eg__entity_set_init(&ph_set);
	cr_assert_eq(eg__csl_csv_parse_mem(&ctx, (const char *)buf, len, "m.csv.gz", &ph_err),
	             EG_EPARSE);
}

/* A type the parser does not know is not guessed as an entity. */
Test(csl_csv, unknown_type_is_unknown)
{
	cr_assert_eq(parse_str(HEADER
	             "x1," EL ",,Submarine,,Acme,,,,,,,,,,,,,,,,,,,,,,,\n"
	             "x2," EL ",,Individual,,Jane Roe,,,,,,,,,,,,,,,,,,,,,,,\n"), 0,
	             "%s", ph_err.message);
	cr_assert_eq(ph_get("EL:x1")->type, EG_TYPE_UNKNOWN);
	cr_assert_eq(ph_get("EL:x2")->type, EG_TYPE_INDIVIDUAL);
}

/* Aliases joined by a bare ';' are separate names too. */
Test(csl_csv, aliases_joined_by_a_bare_semicolon)
{
	const eg__entity *e;

	cr_assert_eq(parse_str(HEADER
	             "x1," EL ",,,,Acme,,,,,,,,,,,,,,,,,\"A One; A Two;A Three ;; A Four\",,,,,,\n"),
	             0, "%s", ph_err.message);
	e = ph_get("EL:x1");
	cr_assert_eq(e->n_names, 5);
	cr_assert(ph_has_name(e, "A Three", EG__NAME_AKA));
	cr_assert(ph_has_name(e, "A Two", EG__NAME_AKA));
	cr_assert_eq(parse_path(CSL_GZ), 0, "%s", ph_err.message);
	e = by_name("Kalashnikov Concern");
	cr_assert_not_null(e);
	cr_assert(ph_has_name(e, "OJSC Concern Kalashnikov", EG__NAME_AKA));
	cr_assert(ph_has_name(e, "NPO Izhmash OAO", EG__NAME_AKA));
}
