/* test_bis_dpl.c - tests of the bis_dpl module (BIS Denied Persons List, tab-separated). */
#include <criterion/criterion.h>

#include "lists/csv_formats.h"
#include "lists/format.h"

#include <stdio.h>
#include <string.h>

#define DPL "../shared/data/us_bis_dpl_2023-11/dpl.txt"

#define HEADER                                                                           \
	"\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t" \
	"\"Effective_Date\"\t\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t"     \
	"\"Action\"\t\"FR_Citation\"\n"

static eg__entity_set set;
static eg_error err;
static char digest[65];
static int n_warn;
static char warns[4096];

static void on_warn(void *ud, const char *msg)
{
	size_t used = strlen(warns);

	(void)ud;
	n_warn++;
	snprintf(warns + used, sizeof(warns) - used, "%s\n", msg);
}

static void setup(void)
{
	eg__entity_set_init(&set);
	memset(&err, 0, sizeof(err));
	digest[0] = '\0';
	n_warn = 0;
	warns[0] = '\0';
}

static void teardown(void)
{
	eg__entity_set_free(&set);
}

TestSuite(bis_dpl, .init = setup, .fini = teardown);

static int parse_path(const char *path)
{
	eg__sha256 sha;
	eg__parse_ctx ctx;
	int rc;

	cr_assert_eq(eg__sha256_init(&sha), 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.set = &set;
	ctx.sha = &sha;
	ctx.warn = on_warn;
	rc = eg__format_bis_dpl.parse(&ctx, path, &err);
	if (rc == 0)
		cr_assert_eq(eg__sha256_final(&sha, digest), 0);
	else
		eg__sha256_dispose(&sha);
	return rc;
}

static int parse_str(const char *text, const char *today)
{
	eg__parse_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.set = &set;
	ctx.warn = on_warn;
	return eg__bis_dpl_parse_mem(&ctx, text, strlen(text), "d.txt", today, &err);
}

static const eg__entity *entity(const char *uid)
{
	const eg__entity *e = eg__entity_set_find(&set, uid, strlen(uid));

	cr_assert_not_null(e, "no entity %s", uid);
	return e;
}

Test(bis_dpl, real_file_one_entity_per_order)
{
	size_t i, j, distinct = 0;

	cr_assert_eq(parse_path(DPL), 0, "%s", err.message);
	/* 665 rows, 546 distinct names as written, 545 once " I. ASH" is trimmed;
	 * HAYDEE HERRERA and I. ASH have two orders each. */
	cr_assert_eq(set.n, 547);
	for (i = 0; i < set.n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(set.v[i].names[0].text, set.v[j].names[0].text) == 0)
				break;
		distinct += j == i;
	}
	cr_assert_eq(distinct, 545);
	cr_assert_str_eq(digest, "b4d9a287f8527af7c5713f7cc03751c639819aa44595863088506a80cd63988a");
}

Test(bis_dpl, published_is_the_newest_believable_update)
{
	cr_assert_eq(parse_path(DPL), 0, "%s", err.message);
	cr_assert_str_eq(set.published, "2023-11-28");
	cr_assert_eq(n_warn, 1, "%s", warns);
	cr_assert(strstr(warns, "3033-09-30") != NULL, "%s", warns);
}

Test(bis_dpl, the_typo_date_is_kept_as_written)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(DPL), 0, "%s", err.message);
	e = entity("JOSE ERNESTO GARCIA/2022-09-26");
	cr_assert_str_eq(eg__entity_attr(e, "last_update"), "3033-09-30");
	cr_assert_str_eq(e->start_date, "2022-09-26");
	cr_assert_str_eq(e->end_date, "2030-02-03");
	cr_assert_str_eq(eg__entity_attr(e, "federal_register_notice"), "87 F.R. 59396 9/30/2022");
}

Test(bis_dpl, addresses_of_one_order_are_merged)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(DPL), 0, "%s", err.message);
	e = entity("AL NASER AIRLINES/2023-10-31");
	cr_assert_eq(e->n_names, 1);
	cr_assert_eq(e->n_addresses, 4);
	cr_assert_eq(e->n_countries, 3);
	cr_assert_str_eq(e->addresses[2].street, "P.O. BOX 28360");
	cr_assert_str_eq(e->addresses[2].city, "DUBAI");
	cr_assert_str_eq(e->addresses[2].country, "AE");
	cr_assert_str_eq(e->start_date, "2023-10-31");
	cr_assert_str_eq(e->end_date, "2024-10-30");
	cr_assert_str_eq(eg__entity_attr(e, "last_update"), "2023-11-01");
	cr_assert_str_eq(eg__entity_attr(e, "standard_order"), "Y");
}

Test(bis_dpl, names_are_trimmed_and_orders_kept_apart)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(DPL), 0, "%s", err.message);
	e = entity("I. ASH/2003-06-19");
	cr_assert_str_eq(e->names[0].text, "I. ASH");
	cr_assert_str_eq(e->addresses[0].city, "SEAGOVILLE, TX, 75159");
	cr_assert_eq(e->type, EG_TYPE_UNKNOWN);
	e = entity("I. ASH/2002-03-04");
	cr_assert_eq(e->n_addresses, 2);
	entity("HAYDEE HERRERA/2002-03-04");
	entity("HAYDEE HERRERA/2003-06-19");
}

Test(bis_dpl, today_decides_what_is_believed)
{
	const char *text = HEADER
		"\"A\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"01/02/2020\"\t\"\"\t\"Y\"\t\"2021-05-01\"\t\"\"\t\"\"\n"
		"\"B\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"1/2/2020\"\t\"\"\t\"Y\"\t\"2030-01-01\"\t\"\"\t\"\"\n";

	cr_assert_eq(parse_str(text, "2025-01-01"), 0, "%s", err.message);
	cr_assert_str_eq(set.published, "2021-05-01");
	cr_assert_str_eq(entity("B/2020-01-02")->start_date, "2020-01-02");
	cr_assert_null(entity("B/2020-01-02")->end_date);
	eg__entity_set_free(&set);
	eg__entity_set_init(&set);
	cr_assert_eq(parse_str(text, "2031-01-01"), 0, "%s", err.message);
	cr_assert_str_eq(set.published, "2030-01-01");
}

Test(bis_dpl, wrong_field_count_names_the_line)
{
	cr_assert_eq(parse_str(HEADER "\"A\"\t\"x\"\n", NULL), EG_EPARSE);
	cr_assert_str_eq(err.message, "d.txt:2: expected 12 fields, got 2");
}

Test(bis_dpl, empty_name_is_an_error)
{
	cr_assert_eq(parse_str(HEADER
	             "\" \"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"01/02/2020\"\t\"\"\t\"Y\"\t\"\"\t\"\"\t\"\"\n",
	             NULL), EG_EPARSE);
	cr_assert_str_eq(err.message, "d.txt:2: field Name: empty");
}

Test(bis_dpl, invalid_utf8_names_the_field)
{
	cr_assert_eq(parse_str(HEADER
	             "\"A\"\t\"\"\t\"Z\xFF\"\t\"\"\t\"\"\t\"\"\t\"01/02/2020\"\t\"\"\t\"Y\"\t\"\"\t\"\"\t\"\"\n",
	             NULL), EG_EPARSE);
	cr_assert(strstr(err.message, "d.txt:2: field City: invalid UTF-8") != NULL, "%s",
	          err.message);
}

Test(bis_dpl, header_needs_name_and_effective_date)
{
	cr_assert_eq(parse_str("\"Name\"\t\"City\"\n\"A\"\t\"B\"\n", NULL), EG_EPARSE);
	cr_assert(strstr(err.message, "Effective_Date") != NULL, "%s", err.message);
	cr_assert_eq(parse_str("", NULL), EG_EEMPTY);
}

Test(bis_dpl, detect)
{
	cr_assert(eg__format_bis_dpl.detect(DPL));
	cr_assert(!eg__format_bis_dpl.detect("../shared/data/us_csl_2022/consolidated.csv.gz"));
	cr_assert(!eg__format_bis_dpl.detect("tests/data/ftm/sample.ftm.json"));
	cr_assert_eq(eg__format_detect(DPL), &eg__format_bis_dpl);
}
