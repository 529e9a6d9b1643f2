/* cmd_lists.c - `exportgate lists`: sources, versions and their counts. */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>

static const char usage[] =
	"usage: exportgate lists [--json]\n"
	"       exportgate lists diff SOURCE|COUNTRY-LIST [FROM] [TO] [--json]\n"
	"       exportgate lists member COUNTRY-LIST CODE [--as-of DATE]\n"
	"\n"
	"Lists every stored version of every source, newest first per source:\n"
	"publication date, import time, entity and name counts, content digest.\n";

static int print_json(const eg_list_version *v, size_t n)
{
	json_t *arr = json_array();
	size_t i;
	int rc = 0;

	for (i = 0; arr != NULL && i < n; i++) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s, s:I, s:I}",
		                      "id", (json_int_t)v[i].id, "source", v[i].source,
		                      "format", v[i].format,
		                      "published", v[i].published[0] ? v[i].published : NULL,
		                      "imported", v[i].imported, "sha256", v[i].sha256,
		                      "entities", (json_int_t)v[i].entities,
		                      "names", (json_int_t)v[i].names);
		if (o == NULL || json_array_append_new(arr, o) != 0)
			rc = -1;
	}
	if (arr == NULL || rc != 0 || json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6)) != 0) {
		json_decref(arr);
		fprintf(stderr, "exportgate: out of memory\n");
		return EXIT_FAIL;
	}
	fputc('\n', stdout);
	json_decref(arr);
	return EXIT_OK;
}

/* The country lists, after the official lists. */
static void print_country_lists(eg_engine *e)
{
	const eg_country_list_info *c;
	eg_error err;
	size_t n, i;

	if (eg_country_lists(e, &c, &n, &err) != 0) {
		printf("\ncountry lists: none loaded (%s)\n", err.message);
		return;
	}
	printf("\n%-18s %8s  %-10s  %-22s  %s\n", "COUNTRY LIST", "VERSIONS", "NEWEST", "MEMBERS",
	       "TITLE");
	for (i = 0; i < n; i++) {
		char members[64];
		if (c[i].partial)
			snprintf(members, sizeof(members), "%zu known of %s%ld", c[i].known_members,
			         c[i].size < 0 ? "?" : "", c[i].size < 0 ? 0L : c[i].size);
		else
			snprintf(members, sizeof(members), "%zu", c[i].known_members);
		if (c[i].partial && c[i].size < 0)
			snprintf(members, sizeof(members), "%zu known, size ?", c[i].known_members);
		printf("%-18s %8zu  %-10s  %-22s  %s\n", c[i].name, c[i].n_versions, c[i].effective,
		       members, c[i].title ? c[i].title : "");
	}
}

/* `exportgate lists member LIST CODE [--as-of DATE]` */
static int cmd_member(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as-of", required_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *as_of = NULL;
	eg_engine *e = NULL;
	eg_membership m;
	eg_error err;
	char effective[11];
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': as_of = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("lists member", "unknown option");
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("lists member", "give COUNTRY-LIST and CODE");
	if ((rc = cli_open(&e, g, 0)) != 0)
		return rc;
	if (eg_country_member(e, &m, effective, argv[optind], argv[optind + 1], as_of, &err) != 0)
		rc = cli_fail(&err);
	else
		printf("%s %s %s: %s (version of %s)\n", argv[optind + 1],
		       m == EG_MEMBER_YES ? "is in" : m == EG_MEMBER_NO ? "is not in" : "may be in",
		       argv[optind], eg_membership_name(m), effective);
	eg_engine_free(e);
	return rc;
}

int cmd_lists(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	eg_list_version *v = NULL;
	eg_engine *e = NULL;
	eg_error err;
	size_t n = 0, i;
	int c, json = 0, rc;

	if (argc >= 2 && strcmp(argv[1], "diff") == 0)
		return cmd_diff(g, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "member") == 0)
		return cmd_member(g, argc - 1, argv + 1);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("lists", "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage_error("lists", "unexpected argument \"%s\"", argv[optind]);
	if ((rc = cli_open(&e, g, 0)) != 0)
		return rc;
	if (eg_list_versions(e, &v, &n, &err) != 0) {
		rc = cli_fail(&err);
		goto done;
	}
	if (json) {
		rc = print_json(v, n);
		goto done;
	}
	if (n == 0) {
		printf("no list imported yet: try `exportgate import --bundled`\n");
		print_country_lists(e);
		goto done;
	}
	printf("%-14s %4s  %-10s  %-20s  %-17s %8s %8s  %s\n", "SOURCE", "ID", "PUBLISHED",
	       "IMPORTED", "FORMAT", "ENTITIES", "NAMES", "SHA256");
	for (i = 0; i < n; i++)
		printf("%-14s %4lld  %-10s  %-20s  %-17s %8zu %8zu  %.12s\n", v[i].source,
		       (long long)v[i].id, v[i].published[0] ? v[i].published : "-",
		       v[i].imported, v[i].format, v[i].entities, v[i].names, v[i].sha256);
	print_country_lists(e);
done:
	eg_list_versions_free(v);
	eg_engine_free(e);
	return rc;
}
