/* test_ftm_json.c - tests of the ftm_json module (OpenSanctions FollowTheMoney JSON lines). */
#include <criterion/criterion.h>

#include "lists/csv_formats.h"
#include "lists/format.h"
#include "util/caps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SAMPLE "tests/data/ftm/sample.ftm.json"

static eg__entity_set set;
static eg_error err;
static int n_warn;
static char last_warn[512];

static void on_warn(void *ud, const char *msg)
{
	(void)ud;
	n_warn++;
	snprintf(last_warn, sizeof(last_warn), "%s", msg);
}

static void setup(void)
{
	eg__entity_set_init(&set);
	memset(&err, 0, sizeof(err));
	n_warn = 0;
	last_warn[0] = '\0';
}

static void teardown(void)
{
	eg__entity_set_free(&set);
}

TestSuite(ftm_json, .init = setup, .fini = teardown);

static int parse_path(const char *path)
{
	eg__parse_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.set = &set;
	ctx.warn = on_warn;
	return eg__format_ftm_json.parse(&ctx, path, &err);
}

static int parse_str(const char *text)
{
	eg__parse_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.set = &set;
	ctx.warn = on_warn;
	return eg__ftm_json_parse_mem(&ctx, text, strlen(text), "f.json", &err);
}

static const eg__entity *entity(const char *uid)
{
	const eg__entity *e = eg__entity_set_find(&set, uid, strlen(uid));

	cr_assert_not_null(e, "no entity %s", uid);
	return e;
}

static const eg__name *find_name(const eg__entity *e, const char *text)
{
	size_t i;

	for (i = 0; i < e->n_names; i++)
		if (strcmp(e->names[i].text, text) == 0)
			return &e->names[i];
	cr_assert_fail("%s has no name %s", e->uid, text);
	return NULL;
}

Test(ftm_json, sample_parties_and_skipped_records)
{
	size_t i, persons = 0;

	cr_assert_eq(parse_path(SAMPLE), 0, "%s", err.message);
	cr_assert_eq(set.n, 21);
	cr_assert_null(set.published);
	for (i = 0; i < set.n; i++)
		persons += set.v[i].type == EG_TYPE_INDIVIDUAL;
	cr_assert_eq(persons, 3);
	cr_assert_eq(n_warn, 1);
	cr_assert(strstr(last_warn, "3 records") != NULL, "%s", last_warn);
	cr_assert(strstr(last_warn, "Sanction") != NULL, "%s", last_warn);
	cr_assert_null(eg__entity_set_find(&set, "unsc-6907995-sanction", 21));
}

Test(ftm_json, person_names_dates_and_attributes)
{
	const eg__entity *e;
	const eg__name *n;

	cr_assert_eq(parse_path(SAMPLE), 0, "%s", err.message);
	e = entity("unsc-6907995");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_str_eq(e->names[0].text, "GASTON IYAMUREMYE");
	cr_assert_eq(e->names[0].kind, EG__NAME_PRIMARY);
	n = find_name(e, "Victor Rumuri");
	cr_assert_eq(n->kind, EG__NAME_AKA);
	cr_assert_eq(n->weak, 0);
	n = find_name(e, "Rumuli");
	cr_assert_eq(n->weak, 1);
	cr_assert_str_eq(eg__entity_attr(e, "dob"), "1948");
	cr_assert_str_eq(eg__entity_attr(e, "datasets"), "un_sc_sanctions");
	cr_assert_str_eq(eg__entity_attr(e, "topics"), "sanction");
	cr_assert_str_eq(e->countries[0], "Rwanda");
	cr_assert_str_eq(e->programs[0], "DRC");
	cr_assert_str_eq(e->start_date, "2010-12-01");
	cr_assert_null(e->end_date);
}

Test(ftm_json, schemas_map_to_types)
{
	cr_assert_eq(parse_path(SAMPLE), 0, "%s", err.message);
	cr_assert_eq(entity("ofac-23156")->type, EG_TYPE_VESSEL);
	cr_assert_eq(entity("ofac-15445")->type, EG_TYPE_AIRCRAFT);
	cr_assert_eq(entity("ofac-15445")->n_programs, 3);
	cr_assert_eq(entity("us-ndaa-889-huawei-technologies-company")->type, EG_TYPE_ENTITY);
	cr_assert_eq(entity("us-bis-mieu-reconnaissance-general-bureau")->type, EG_TYPE_ENTITY);
	cr_assert_str_eq(entity("us-bis-mieu-reconnaissance-general-bureau")->countries[0], "KP");
	cr_assert_str_eq(entity("us-dod-1260h-beijing-megvii-technology-co-ltd")->end_date,
	                 "2025-01-07");
}

Test(ftm_json, previous_names_and_prefix_dates)
{
	const eg__entity *e;

	cr_assert_eq(parse_str("\n{\"id\":\"x\",\"schema\":\"Company\",\"properties\":{"
	                       "\"name\":[\"New Co\",\"New Company\"],\"previousName\":[\"Old Co\"],"
	                       "\"startDate\":[\"2020-03-04T10:00:00\"],\"endDate\":[\"2021\"]}}\n\n"),
	             0, "%s", err.message);
	e = entity("x");
	cr_assert_eq(e->n_names, 3);
	cr_assert_eq(find_name(e, "New Company")->kind, EG__NAME_AKA);
	cr_assert_eq(find_name(e, "Old Co")->kind, EG__NAME_FKA);
	cr_assert_str_eq(e->start_date, "2020-03-04");
	cr_assert_null(e->end_date);
}

Test(ftm_json, invalid_json_names_line_and_column)
{
	cr_assert_eq(parse_str("{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n"
	                       "{\"id\": \"b\", oops}\n"), EG_EPARSE);
	cr_assert(strncmp(err.message, "f.json:2: column ", 17) == 0, "%s", err.message);
}

Test(ftm_json, missing_fields_are_named)
{
	cr_assert_eq(parse_str("{\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n"), EG_EPARSE);
	cr_assert_str_eq(err.message, "f.json:1: field id: missing");
	cr_assert_eq(parse_str("{\"id\":\"q\",\"schema\":\"Person\",\"properties\":{\"alias\":[\"A\"]}}\n"),
	             EG_EPARSE);
	cr_assert_str_eq(err.message, "f.json:1: field properties.name: missing");
	cr_assert_eq(parse_str("{\"id\":\"r\",\"properties\":{}}\n"), EG_EPARSE);
	cr_assert_str_eq(err.message, "f.json:1: field schema: missing");
	cr_assert_eq(parse_str("{\"id\":\"s\",\"schema\":\"Person\",\"properties\":{\"name\":\"A\","
	                       "\"country\":[1]}}\n"), EG_EPARSE);
	cr_assert_str_eq(err.message, "f.json:1: field properties.country[0]: not a string");
}

Test(ftm_json, duplicate_id_is_an_error)
{
	cr_assert_eq(parse_str("{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n"
	                       "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"B\"]}}\n"),
	             EG_EPARSE);
	cr_assert(strstr(err.message, "f.json:2: field id") != NULL, "%s", err.message);
}

Test(ftm_json, empty_input)
{
	cr_assert_eq(parse_str(""), EG_EEMPTY);
	cr_assert_eq(parse_str("[1,2]\n"), EG_EPARSE);
}

Test(ftm_json, detect)
{
	cr_assert(eg__format_ftm_json.detect(SAMPLE));
	cr_assert(!eg__format_ftm_json.detect("../shared/data/us_bis_dpl_2023-11/dpl.txt"));
	cr_assert(!eg__format_ftm_json.detect("tests/data/ftm/README.md"));
	cr_assert_eq(eg__format_detect(SAMPLE), &eg__format_ftm_json);
}

/* A UTF-8 byte order mark before the first line is not JSON: it is skipped,
 * by format detection too; later in the file it is an error. */
Test(ftm_json, byte_order_mark_skipped)
{
	char path[] = "/tmp/eg-ftm-bom-XXXXXX.json";
	int fd = mkstemps(path, 5);
	static const char line[] =
		"{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Ann Bee\"]}}\n";
	char *text;

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "\xEF\xBB\xBF", 3), 3);
	cr_assert_eq(write(fd, line, sizeof(line) - 1), (ssize_t)sizeof(line) - 1);
	close(fd);
	cr_assert_eq(eg__format_ftm_json.detect(path), 1, "detected with its mark");
	unlink(path);
	cr_assert_eq(parse_str("\xEF\xBB\xBF{\"id\": \"a\", \"schema\": \"Person\", \"properties\": "
	                       "{\"name\": [\"Ann Bee\"]}}\n"), 0, "%s", err.message);
	cr_assert_not_null(entity("a"));
	eg__entity_set_free(&set);
	eg__entity_set_init(&set);
	cr_assert_not_null(text = malloc(2 * sizeof(line) + 3));
	snprintf(text, 2 * sizeof(line) + 3, "%s\xEF\xBB\xBF%s", line, line);
	cr_assert_eq(parse_str(text), EG_EPARSE);
	free(text);
}

/* A value over EG__CAP_FIELD_BYTES is EG_ETOOBIG naming the line and the
 * property, as a CSV field or an XML text over it is; one at the cap is read. */
Test(ftm_json, value_over_field_cap)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		size_t n = EG__CAP_FIELD_BYTES + i, len = n + 200;
		char *text = malloc(len);
		int at, rc;

		cr_assert_not_null(text);
		at = snprintf(text, len, "{\"id\": \"a\", \"schema\": \"Person\", \"properties\": "
		              "{\"name\": [\"");
		memset(text + at, 'A', n);
		snprintf(text + at + n, len - (size_t)at - n, "\"]}}\n");
		rc = parse_str(text);
		free(text);
		if (i == 0) {
			cr_assert_eq(rc, 0, "%s", err.message);
		} else {
			cr_assert_eq(rc, EG_ETOOBIG);
			cr_assert_not_null(strstr(err.message, "f.json:1: field properties.name"), "%s",
			                   err.message);
		}
		eg__entity_set_free(&set);
		eg__entity_set_init(&set);
	}
}
