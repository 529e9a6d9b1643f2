/* test_ofac_csv.c - tests of the ofac_csv module (OFAC legacy CSV parser). */
#include <criterion/criterion.h>

#include "lists/format.h"
#include "lists/ofac_csv.h"
#include "util/alloc.h"
#include "util/caps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The bundled publications (data/SOURCES.md). */
#define SDN_2021 "data/lists/ofac_sdn_2021-07"
#define SDN_2024 "data/lists/ofac_sdn_2024-05/sdn.csv"
#define CONS_2025 "data/lists/ofac_cons_2025-12"
#define FIX "tests/data/ofac_csv/"

static eg__entity_set set;
static eg_error err;
static char digest[65];

static void setup(void)
{
	eg__entity_set_init(&set);
	memset(&err, 0, sizeof(err));
	digest[0] = '\0';
}

static void teardown(void)
{
	eg__entity_set_free(&set);
}

TestSuite(ofac_csv, .init = setup, .fini = teardown);

/* Parses path into the suite's set; the digest of the input goes to digest. */
static int parse_path(const char *path)
{
	eg__sha256 sha;
	eg__parse_ctx ctx;
	int rc;

	cr_assert_eq(eg__sha256_init(&sha), 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.set = &set;
	ctx.sha = &sha;
	rc = eg__format_ofac_csv.parse(&ctx, path, &err);
	if (rc == 0)
		cr_assert_eq(eg__sha256_final(&sha, digest), 0);
	else
		eg__sha256_dispose(&sha);
	return rc;
}

static const eg__entity *entity(const char *uid)
{
	const eg__entity *e = eg__entity_set_find(&set, uid, strlen(uid));

	cr_assert_not_null(e, "no entity %s", uid);
	return e;
}

/* Index of the name, or -1. */
static int name_index(const eg__entity *e, const char *text, eg__name_kind kind, int weak)
{
	size_t i;

	for (i = 0; i < e->n_names; i++)
		if (strcmp(e->names[i].text, text) == 0 && e->names[i].kind == kind &&
		    e->names[i].weak == weak)
			return (int)i;
	return -1;
}

static int has_str(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

Test(ofac_csv, format_registered)
{
	cr_assert_str_eq(eg__format_ofac_csv.name, "ofac-csv");
	cr_assert_str_eq(eg__format_ofac_csv.default_source, "us-ofac-sdn");
	cr_assert_eq(eg__format_find("ofac-csv"), &eg__format_ofac_csv);
}

Test(ofac_csv, detect)
{
	cr_assert(eg__format_ofac_csv.detect(SDN_2021));
	cr_assert(eg__format_ofac_csv.detect(SDN_2021 "/sdn.csv"));
	cr_assert(eg__format_ofac_csv.detect(CONS_2025));
	cr_assert(eg__format_ofac_csv.detect(CONS_2025 "/cons_prim.csv"));
	cr_assert_not(eg__format_ofac_csv.detect(SDN_2021 "/add.csv"));
	cr_assert_not(eg__format_ofac_csv.detect(FIX "lone_cr.csv"));
	cr_assert_not(eg__format_ofac_csv.detect("tests"));
	cr_assert_not(eg__format_ofac_csv.detect(FIX "no-such-dir"));
}

Test(ofac_csv, sdn_2021_07_count)
{
	cr_assert_eq(parse_path(SDN_2021), 0, "%s", err.message);
	cr_assert_eq(set.n, 8976);
	cr_assert_str_eq(set.v[0].uid, "36");
	cr_assert_str_eq(set.v[0].names[0].text, "AEROCARIBBEAN AIRLINES");
}

Test(ofac_csv, banco_nacional_de_cuba)
{
	const eg__entity *e;
	size_t i;
	int zurich = 0;

	cr_assert_eq(parse_path(SDN_2021), 0, "%s", err.message);
	e = entity("306");
	cr_assert_eq(e->type, EG_TYPE_ENTITY);
	cr_assert_str_eq(e->names[0].text, "BANCO NACIONAL DE CUBA");
	cr_assert_eq(e->names[0].kind, EG__NAME_PRIMARY);
	cr_assert_eq(e->names[0].weak, 0);
	cr_assert_geq(name_index(e, "NATIONAL BANK OF CUBA", EG__NAME_AKA, 0), 1);
	cr_assert_geq(name_index(e, "BNC", EG__NAME_AKA, 1), 1, "weak alias 'BNC' missing");
	cr_assert_eq(e->n_programs, 1);
	cr_assert_str_eq(e->programs[0], "CUBA");
	cr_assert_eq(e->n_addresses, 4);
	for (i = 0; i < e->n_addresses; i++) {
		const eg__address *a = &e->addresses[i];
		if (a->city != NULL && strcmp(a->city, "Zurich CH-8022") == 0) {
			cr_assert_str_eq(a->street, "Zweierstrasse 35");
			cr_assert_str_eq(a->country, "Switzerland");
			cr_assert_null(a->remarks);
			zurich = 1;
		}
	}
	cr_assert(zurich, "Zurich address missing");
	cr_assert(has_str(e->countries, e->n_countries, "Switzerland"));
	cr_assert(has_str(e->countries, e->n_countries, "Panama"));
	cr_assert_str_eq(e->remarks, "a.k.a. 'BNC'.");
}

Test(ofac_csv, individual_programs_split)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(SDN_2021), 0, "%s", err.message);
	e = entity("10479");
	cr_assert_eq(e->type, EG_TYPE_INDIVIDUAL);
	cr_assert_str_eq(e->names[0].text, "REZAIE, Morteza");
	cr_assert_geq(name_index(e, "REZAI, Morteza", EG__NAME_AKA, 0), 1);
	cr_assert_eq(e->n_programs, 4);
	cr_assert_str_eq(e->programs[0], "SDGT");
	cr_assert_str_eq(e->programs[1], "NPWMD");
	cr_assert_str_eq(e->programs[2], "IRGC");
	cr_assert_str_eq(e->programs[3], "IFSR");
	/* "nationality Iran; citizen Iran" gives one country */
	cr_assert_eq(e->n_countries, 1);
	cr_assert_str_eq(e->countries[0], "Iran");
	cr_assert_eq(e->n_addresses, 0, "an all-null address row is no address");
}

Test(ofac_csv, remarks_continuation_joined)
{
	const eg__entity *e;
	const char *tail = "a.k.a. 'snowsjohn'; Linked To: LAZARUS GROUP.";
	size_t n;

	cr_assert_eq(parse_path(SDN_2021), 0, "%s", err.message);
	e = entity("28263");
	cr_assert_not_null(e->remarks);
	n = strlen(e->remarks);
	cr_assert_eq(n, 1000 + strlen("hn'; Linked To: LAZARUS GROUP."));
	cr_assert_str_eq(e->remarks + n - strlen(tail), tail);
	cr_assert_geq(name_index(e, "snowsjohn", EG__NAME_AKA, 1), 1,
	              "the weak alias spanning the cut is missing");
	cr_assert_geq(name_index(e, "tianyinyin0404", EG__NAME_AKA, 1), 1);
	cr_assert(has_str(e->programs, e->n_programs, "DPRK3"));
	cr_assert(has_str(e->programs, e->n_programs, "CYBER2"));
	cr_assert(has_str(e->countries, e->n_countries, "China"));
}

Test(ofac_csv, vessel_attrs)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(SDN_2021), 0, "%s", err.message);
	e = entity("4234");
	cr_assert_eq(e->type, EG_TYPE_VESSEL);
	cr_assert_str_eq(e->names[0].text, "HERMANN");
	cr_assert_str_eq(eg__entity_attr(e, "call_sign"), "CL2685");
	cr_assert_str_eq(eg__entity_attr(e, "vessel_type"), "General Cargo");
	cr_assert_str_eq(eg__entity_attr(e, "tonnage"), "2597");
	cr_assert_str_eq(eg__entity_attr(e, "grt"), "1098");
	cr_assert_str_eq(eg__entity_attr(e, "vessel_flag"), "Cuba");
	cr_assert_str_eq(eg__entity_attr(e, "vessel_owner"), "Compania Navegacion Golfo S.A.");
	cr_assert_null(eg__entity_attr(e, "title"));
	cr_assert_null(e->remarks);
	e = entity("4238");
	cr_assert_null(eg__entity_attr(e, "tonnage"), "the null marker is no value");
	cr_assert_str_eq(eg__entity_attr(e, "grt"), "212");
}

Test(ofac_csv, title_and_aircraft)
{
	const eg__entity *e;
	size_t i, aircraft = 0;

	cr_assert_eq(parse_path(SDN_2021), 0, "%s", err.message);
	e = entity("2674");
	cr_assert_str_eq(eg__entity_attr(e, "title"),
	                 "Director of PALESTINE LIBERATION FRONT - ABU ABBAS FACTION");
	for (i = 0; i < set.n; i++)
		aircraft += set.v[i].type == EG_TYPE_AIRCRAFT;
	cr_assert_eq(aircraft, 277);
}

Test(ofac_csv, sdn_2024_05_single_file)
{
	cr_assert_eq(parse_path(SDN_2024), 0, "%s", err.message);
	cr_assert_eq(set.n, 14965);
	/* no alt.csv: only the remarks' weak aliases are aliases */
	cr_assert_geq(name_index(entity("306"), "BNC", EG__NAME_AKA, 1), 1);
	cr_assert_eq(name_index(entity("306"), "NATIONAL BANK OF CUBA", EG__NAME_AKA, 0), -1);
}

Test(ofac_csv, cons_2025_12)
{
	cr_assert_eq(parse_path(CONS_2025), 0, "%s", err.message);
	cr_assert_eq(set.n, 442);
}

Test(ofac_csv, cons_prim_path_reads_siblings)
{
	cr_assert_eq(parse_path(CONS_2025 "/cons_prim.csv"), 0, "%s", err.message);
	cr_assert_eq(set.n, 442);
	cr_assert_gt(eg__entity_set_names(&set), 442, "aliases of cons_alt.csv missing");
}

Test(ofac_csv, small_publication)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(FIX "good"), 0, "%s", err.message);
	cr_assert_eq(set.n, 5);
	e = entity("28263");
	cr_assert_geq(name_index(e, "snowsjohn", EG__NAME_AKA, 1), 1);
	e = entity("306");
	cr_assert_eq(e->n_addresses, 4);
}

Test(ofac_csv, utf8_names)
{
	const eg__entity *e;

	cr_assert_eq(parse_path(FIX "utf8"), 0, "%s", err.message);
	e = entity("501");
	cr_assert_str_eq(e->names[0].text, "M\xc3\x9cLLER, J\xc3\xbcrgen");
	cr_assert_geq(name_index(e, "\xd0\x9c\xd0\xae\xd0\x9b\xd0\x9b\xd0\x95\xd0\xa0",
	                         EG__NAME_AKA, 1), 1);
	cr_assert_eq(e->n_countries, 1);
	cr_assert_str_eq(e->countries[0], "Germany");
}

/* The malformed fixtures: each fails with the file, line and field. */
static void expect_error(const char *path, int code, const char *message)
{
	int rc = parse_path(path);

	cr_assert_eq(rc, code, "%s: rc %d, %s", path, rc, err.message);
	cr_assert_eq(err.code, code);
	cr_assert(strstr(err.message, message) != NULL, "%s: message \"%s\" lacks \"%s\"",
	          path, err.message, message);
	cr_assert_null(strchr(err.message, '\n'));
}

Test(ofac_csv, bad_field_count)
{
	expect_error(FIX "bad_fields", EG_EPARSE, "sdn.csv:2: field Remarks: missing");
}

Test(ofac_csv, bad_extra_field)
{
	expect_error(FIX "bad_extra", EG_EPARSE, "sdn.csv:1: field 13: unexpected");
}

Test(ofac_csv, bad_ent_num_after_multiline_row)
{
	expect_error(FIX "bad_entnum", EG_EPARSE, "sdn.csv:4: field ent_num: not a number \"12a\"");
}

Test(ofac_csv, bad_empty_name)
{
	expect_error(FIX "bad_name", EG_EPARSE, "sdn.csv:2: field SDN_Name: empty");
}

Test(ofac_csv, bad_duplicate)
{
	expect_error(FIX "bad_dup", EG_EPARSE, "sdn.csv:3: field ent_num: duplicate value \"36\"");
}

Test(ofac_csv, bad_sdn_type)
{
	expect_error(FIX "bad_type", EG_EPARSE, "sdn.csv:1: field SDN_Type: unknown value \"company\"");
}

Test(ofac_csv, bad_truncated_quote)
{
	expect_error(FIX "bad_trunc", EG_EPARSE,
	             "sdn.csv:2: field Remarks: unterminated quoted value");
}

Test(ofac_csv, bad_quoting)
{
	expect_error(FIX "bad_quote", EG_EPARSE, "sdn.csv:2: field SDN_Name: malformed quoting");
}

Test(ofac_csv, bad_utf8)
{
	expect_error(FIX "bad_utf8", EG_EPARSE, "sdn.csv:2: field SDN_Name: invalid UTF-8");
}

Test(ofac_csv, bad_add_orphan)
{
	expect_error(FIX "bad_add_orphan", EG_EPARSE,
	             "add.csv:2: field ent_num: no entry 999 in sdn.csv");
}

Test(ofac_csv, bad_alt_type)
{
	expect_error(FIX "bad_alt_type", EG_EPARSE, "alt.csv:3: field alt_type: unknown value \"xyz\"");
}

Test(ofac_csv, bad_cons_alt_type)
{
	expect_error(FIX "cons_bad_alt", EG_EPARSE,
	             "cons_alt.csv:2: field alt_type: unknown value \"xyz\"");
}

Test(ofac_csv, bad_comments_orphan)
{
	expect_error(FIX "bad_comments", EG_EPARSE,
	             "sdn_comments.csv:1: field ent_num: no entry 37 in sdn.csv");
}

Test(ofac_csv, lone_cr_rows_count_lines)
{
	expect_error(FIX "lone_cr.csv", EG_EPARSE, "lone_cr.csv:3: field ent_num: not a number");
}

Test(ofac_csv, only_eof_byte_is_no_entries)
{
	expect_error(FIX "eof_only", EG_EEMPTY, "sdn.csv: no entries");
}

Test(ofac_csv, missing_path)
{
	expect_error(FIX "no-such-dir", EG_ENOTFOUND, "no-such-dir");
}

Test(ofac_csv, empty_directory)
{
	char dir[] = "/tmp/eg-ofac-csv-XXXXXX";

	cr_assert_not_null(mkdtemp(dir));
	expect_error(dir, EG_ENOTFOUND, "no sdn.csv or cons_prim.csv");
	rmdir(dir);
}

Test(ofac_csv, same_content_same_digest)
{
	char first[65];

	cr_assert_eq(parse_path(SDN_2021), 0, "%s", err.message);
	memcpy(first, digest, sizeof(first));
	cr_assert_eq(strlen(first), 64);
	eg__entity_set_free(&set);
	eg__entity_set_init(&set);
	/* the primary file's path reads the same four files */
	cr_assert_eq(parse_path(SDN_2021 "/sdn.csv"), 0, "%s", err.message);
	cr_assert_str_eq(digest, first);
	eg__entity_set_free(&set);
	eg__entity_set_init(&set);
	cr_assert_eq(parse_path(FIX "good"), 0, "%s", err.message);
	cr_assert_str_neq(digest, first);
}

/* The digest is that of the four files' bytes in order: the same as hashing
 * them directly, and the same through the in-memory entry point. */
Test(ofac_csv, digest_covers_files_in_order)
{
	static const char *const names[] = {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"};
	char *data[4];
	size_t len[4];
	char path[256], direct[65], mem[65];
	eg__sha256 sha;
	eg__parse_ctx ctx;
	int i;

	cr_assert_eq(eg__sha256_init(&sha), 0);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), FIX "good/%s", names[i]);
		cr_assert_eq(eg__read_file(&data[i], &len[i], path, &sha, &err), 0, "%s", err.message);
	}
	cr_assert_eq(eg__sha256_final(&sha, direct), 0);
	cr_assert_eq(parse_path(FIX "good"), 0, "%s", err.message);
	cr_assert_str_eq(digest, direct);

	eg__entity_set_free(&set);
	eg__entity_set_init(&set);
	cr_assert_eq(eg__sha256_init(&sha), 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.set = &set;
	ctx.sha = &sha;
	cr_assert_eq(eg__ofac_csv_parse_mem(&ctx, data[0], len[0], data[1], len[1], data[2],
	                                    len[2], data[3], len[3], &err), 0, "%s", err.message);
	cr_assert_eq(eg__sha256_final(&sha, mem), 0);
	cr_assert_str_eq(mem, direct);
	cr_assert_eq(set.n, 5);
	for (i = 0; i < 4; i++)
		eg__free(data[i]);
}

Test(ofac_csv, mem_optional_files_and_errors)
{
	static const char prim[] =
		"36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
		"\x1a";
	static const char alt[] = "36,12,\"nka\",\"AERO-CARIBBEAN\",-0- \r\n37,13,\"aka\",\"X\",-0- ";
	eg__parse_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.set = &set;
	cr_assert_eq(eg__ofac_csv_parse_mem(&ctx, prim, sizeof(prim) - 1, NULL, 0, NULL, 0,
	                                    NULL, 0, &err), 0, "%s", err.message);
	cr_assert_eq(set.n, 1);
	eg__entity_set_free(&set);
	eg__entity_set_init(&set);
	cr_assert_eq(eg__ofac_csv_parse_mem(&ctx, prim, sizeof(prim) - 1, NULL, 0, alt,
	                                    sizeof(alt) - 1, NULL, 0, &err), EG_EPARSE);
	cr_assert_str_eq(err.message, "alt.csv:2: field ent_num: no entry 37 in sdn.csv");
	eg__entity_set_free(&set);
	eg__entity_set_init(&set);
	cr_assert_eq(eg__ofac_csv_parse_mem(&ctx, "", 0, NULL, 0, NULL, 0, NULL, 0, &err),
	             EG_EEMPTY);
}

/* Failing each allocation in turn gives EG_ENOMEM (never a crash), until
 * enough succeed for the parse to complete. */
static long alloc_budget;

static void *budget_malloc(size_t n, void *ud)
{
	(void)ud;
	return alloc_budget-- > 0 ? malloc(n) : NULL;
}

static void *budget_realloc(void *p, size_t n, void *ud)
{
	(void)ud;
	return alloc_budget-- > 0 ? realloc(p, n) : NULL;
}

static void budget_free(void *p, void *ud)
{
	(void)ud;
	free(p);
}

Test(ofac_csv, allocation_failures)
{
	eg_allocator a = {budget_malloc, budget_realloc, budget_free, NULL};
	long n;
	int rc = -1;

	eg_set_allocator(&a);
	for (n = 0; n < 100000 && rc != 0; n++) {
		eg__entity_set_free(&set);
		eg__entity_set_init(&set);
		alloc_budget = n;
		rc = parse_path(FIX "good");
		cr_assert(rc == 0 || rc == EG_ENOMEM, "budget %ld: rc %d, %s", n, rc, err.message);
	}
	eg_set_allocator(NULL);
	cr_assert_eq(rc, 0);
	cr_assert_gt(n, 1);
	cr_assert_eq(set.n, 5);
}

/* --- streaming and the row cap (issue 13 item 4) --------------------------- */

#define ROW_FMT "%d,\"NAME %d\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"%s\"%s"

/* A fresh directory for a generated sdn.csv; its path goes to dir. */
static FILE *open_generated(char dir[64])
{
	char path[96];
	FILE *f;

	snprintf(dir, 64, "/tmp/eg-ofac-stream-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sdn.csv", dir);
	cr_assert_not_null(f = fopen(path, "wb"));
	return f;
}

static void remove_generated(const char *dir)
{
	char path[96];

	snprintf(path, sizeof(path), "%s/sdn.csv", dir);
	unlink(path);
	rmdir(dir);
}

/* Writes n bytes of c. */
static void put_run(FILE *f, char c, size_t n)
{
	char buf[4096];
	size_t k;

	memset(buf, c, sizeof(buf));
	for (; n > 0; n -= k) {
		k = n < sizeof(buf) ? n : sizeof(buf);
		cr_assert_eq(fwrite(buf, 1, k, f), k);
	}
}

/* A 2 MB line of short fields (each under the field cap) is refused with
 * its own line number and the row cap, not read whole. */
Test(ofac_csv, long_line_is_row_over_cap)
{
	char dir[64], want[128];
	FILE *f = open_generated(dir);
	size_t i;

	fprintf(f, ROW_FMT, 1, 1, "r", "\n");
	fprintf(f, "2,\"NAME 2\",\"individual\",\"SDGT\"");
	for (i = 0; i < 1024u * 1024; i++)
		fputs(",a", f);
	fprintf(f, "\n");
	fprintf(f, ROW_FMT, 3, 3, "r", "\n");
	fclose(f);
	snprintf(want, sizeof(want), "sdn.csv:2: row over %u bytes", EG__CAP_CSV_ROW_BYTES);
	expect_error(dir, EG_ETOOBIG, want);
	remove_generated(dir);
}

/* Quoted fields over many lines count every line towards the row, which
 * is named by the line it starts on. */
Test(ofac_csv, multiline_row_over_cap_names_its_first_line)
{
	char dir[64], want[128];
	FILE *f = open_generated(dir);
	int i;

	fprintf(f, ROW_FMT, 1, 1, "r", "\n");
	fprintf(f, ROW_FMT, 2, 2, "r", "\n");
	fprintf(f, "3,\"NAME 3\",\"individual\",\"SDGT\"");
	for (i = 0; i < 40; i++) {
		fputs(",\"", f);
		put_run(f, 'x', 32 * 1024);
		fputs("\n\"", f);
	}
	fprintf(f, "\n");
	fclose(f);
	snprintf(want, sizeof(want), "sdn.csv:3: row over %u bytes", EG__CAP_CSV_ROW_BYTES);
	expect_error(dir, EG_ETOOBIG, want);
	remove_generated(dir);
}

/* A row over many lines, under both caps, is read; so is the row after it. */
Test(ofac_csv, multiline_row_under_cap_is_read)
{
	char dir[64];
	FILE *f = open_generated(dir);
	int i;

	fprintf(f, ROW_FMT, 1, 1, "r", "\n");
	fprintf(f, "2,\"NAME 2\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"");
	for (i = 0; i < 15; i++) {
		put_run(f, 'x', 4000);
		fputc('\n', f);
	}
	fprintf(f, "\"\n");
	fprintf(f, ROW_FMT, 3, 3, "r", "\n");
	fclose(f);
	cr_assert_eq(parse_path(dir), 0, "%s", err.message);
	cr_assert_eq(set.n, 3);
	remove_generated(dir);
}

/* CRLF line ends whose CR ends a read block and whose LF starts the next
 * count as one line: the bad row after them is named by its own line. */
Test(ofac_csv, crlf_split_across_blocks_counts_one_line)
{
	char dir[64], pad[256], want[64];
	FILE *f = open_generated(dir);
	long at;
	int line = 1, rows = 0;

	for (;;) {
		at = ftell(f);
		if (at + 200 > 65536)
			break;
		fprintf(f, ROW_FMT, line, line, "r", "\r\n");
		line++;
	}
	/* one row ending with its CR at byte 65535 (offset of the 65536th byte) */
	{
		int head = snprintf(pad, sizeof(pad), ROW_FMT, line, line, "", "");
		size_t fill = (size_t)(65535 - at - head);

		fprintf(f, "%d,\"NAME %d\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"",
		        line, line);
		put_run(f, 'p', fill);
		fprintf(f, "\"");
		cr_assert_eq(ftell(f), 65535);
		fprintf(f, "\r\n");
		line++;
	}
	for (rows = 0; rows < 3; rows++, line++)
		fprintf(f, ROW_FMT, line, line, "r", "\r\n");
	fprintf(f, "x%d,\"BAD\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"r\"\r\n",
	        line);
	fclose(f);
	snprintf(want, sizeof(want), "sdn.csv:%d: field ent_num: not a number", line);
	expect_error(dir, EG_EPARSE, want);
	remove_generated(dir);
}

/* The 0x1A that ends OFAC's files, the last byte of a read block, with up
 * to EOF_TAIL_MAX (4096) line ends after it in the next block, is dropped;
 * one that is followed by a row is not. */
Test(ofac_csv, eof_byte_streamed)
{
	char dir[64], pad[256];
	FILE *f = open_generated(dir);
	int head = snprintf(pad, sizeof(pad), ROW_FMT, 1, 1, "", "\r\n");

	fprintf(f, "1,\"NAME 1\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"");
	put_run(f, 'p', (size_t)(65535 - head));
	fprintf(f, "\"\r\n");
	cr_assert_eq(ftell(f), 65535);
	fputc(0x1A, f);
	put_run(f, '\n', 3000);
	fclose(f);
	cr_assert_eq(parse_path(dir), 0, "%s", err.message);
	cr_assert_eq(set.n, 1);
	remove_generated(dir);

	eg__entity_set_free(&set);
	eg__entity_set_init(&set);
	f = open_generated(dir);
	fprintf(f, ROW_FMT, 1, 1, "r", "\r\n");
	fputc(0x1A, f);
	fputc('\n', f);
	fprintf(f, ROW_FMT, 2, 2, "r", "\r\n");
	fclose(f);
	expect_error(dir, EG_EPARSE, "sdn.csv:2:");
	remove_generated(dir);
}
