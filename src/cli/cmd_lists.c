/* cmd_lists.c - `exportgate lists`: sources, versions and their counts. */
#include "cli.h"
#include "util/date.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>

static const char usage[] =
	"usage: exportgate lists [--json]\n"
	"       exportgate lists diff SOURCE|COUNTRY-LIST [FROM] [TO] [--json]\n"
	"       exportgate lists member COUNTRY-LIST CODE [--as-of DATE] [--json]\n"
	"\n"
	"Lists every stored version of every source, newest first per source:\n"
	"publication date, import time, entity and name counts, content digest.\n"
	"\n"
	"lists member: whether country CODE (ISO 3166-1 alpha-2, any case) is on\n"
	"COUNTRY-LIST on DATE (default: today), by the version in force then;\n"
	"exit code 1 yes, 0 no, 6 unknown (a partial version that does not name\n"
	"the country, or no version vouched for on that date).\n";

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
		if (o != NULL) {
			char kinds[96];
			json_object_set_new(o, "lacks", json_string(eg_carries_missing(
			                    EG_CARRIES_ALL & ~v[i].carries, kinds, sizeof(kinds))));
		}
		if (o == NULL || json_array_append_new(arr, o) != 0)
			rc = -1;
	}
	if (rc != 0) {
		json_decref(arr);
		arr = NULL;
	}
	return cli_print_json(arr);
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

/* One membership answer. version: the effective date of the version that
 * answered, NULL when none covers the date; why: the reason when none. */
typedef struct member_answer {
	const char *list, *code, *as_of;
	eg_membership m;
	eg_basis basis;
	const char *version;
	const char *why;
} member_answer;

static int print_member_json(const member_answer *a)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "list", a->list,
	                      "code", a->code, "as_of", a->as_of, "answer",
	                      eg_membership_name(a->m), "version", a->version, "basis",
	                      a->version ? eg_basis_name(a->basis) : NULL, "reason", a->why);

	return cli_print_json(o);
}

static void print_member_text(const member_answer *a)
{
	const char *verb = a->m == EG_MEMBER_YES ? "is in" : a->m == EG_MEMBER_NO ? "is not in"
	                                                                           : "may be in";

	if (a->version != NULL)
		printf("%s %s %s on %s: %s (version of %s%s)\n", a->code, verb, a->list, a->as_of,
		       eg_membership_name(a->m), a->version,
		       a->basis == EG_BASIS_INFERRED ? "; inferred, not stated by the source"
		       : a->basis == EG_BASIS_UNVERIFIED ? "; unverified" : "");
	else
		printf("%s %s %s on %s: %s (%s)\n", a->code, verb, a->list, a->as_of,
		       eg_membership_name(a->m), a->why);
}

/* `exportgate lists member LIST CODE [--as-of DATE] [--json]`. The date
 * defaults to today, not to the newest version: a version vouched for only
 * until some day answers nothing after it (docs/countries.md, `until`). */
static int cmd_member(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as-of", required_argument, NULL, 'a'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	member_answer a;
	eg_engine *e = NULL;
	eg_error err;
	char effective[11], today[11], code[3];
	int c, json = 0, rc;

	memset(&a, 0, sizeof(a));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': a.as_of = optarg; break;
		case 'j': json = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_bad_option("lists member", argv);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("lists member", "give COUNTRY-LIST and CODE");
	a.list = argv[optind];
	/* Codes are upper case in ISO 3166-1; "ir" means IR. Anything else than
	 * two ASCII letters goes as given, for the library to refuse. */
	snprintf(code, sizeof(code), "%s", argv[optind + 1]);
	if (strlen(argv[optind + 1]) == 2 && code[0] >= 'a' && code[0] <= 'z')
		code[0] = (char)(code[0] - 'a' + 'A');
	if (strlen(argv[optind + 1]) == 2 && code[1] >= 'a' && code[1] <= 'z')
		code[1] = (char)(code[1] - 'a' + 'A');
	a.code = strlen(argv[optind + 1]) == 2 ? code : argv[optind + 1];
	if (a.as_of == NULL) {
		eg__date_today(today);
		a.as_of = today;
	}
	if ((rc = cli_open(&e, g, 0)) != 0)
		return rc;
	if (eg_country_member_basis(e, &a.m, &a.basis, effective, a.list, a.code, a.as_of,
	                            &err) == 0) {
		a.version = effective;
	} else if (err.code == EG_ENOTFOUND && cli_country_list(e, a.list)) {
		/* The list exists but no version speaks for the date. */
		a.m = EG_MEMBER_UNKNOWN;
		a.why = err.message;
	} else {
		rc = cli_fail(&err);
		goto done;
	}
	rc = json ? print_member_json(&a) : (print_member_text(&a), EXIT_OK);
	if (rc == EXIT_OK)
		rc = a.m == EG_MEMBER_YES ? EXIT_HITS : a.m == EG_MEMBER_NO ? EXIT_OK : EXIT_UNKNOWN;
done:
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
		default: return cli_bad_option("lists", argv);
		}
	}
	if (optind != argc)
		return cli_usage_error("lists", "unexpected argument \"%s\"", argv[optind]);
	if ((rc = cli_open(&e, g, 1)) != 0)
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
	printf("%-14s %4s  %-10s  %-20s  %-17s %8s %8s  %-12s  %s\n", "SOURCE", "ID",
	       "PUBLISHED", "IMPORTED", "FORMAT", "ENTITIES", "NAMES", "SHA256", "LACKS");
	for (i = 0; i < n; i++) {
		char kinds[96];
		printf("%-14s %4lld  %-10s  %-20s  %-17s %8zu %8zu  %.12s  %s\n", v[i].source,
		       (long long)v[i].id, v[i].published[0] ? v[i].published : "-",
		       v[i].imported, v[i].format, v[i].entities, v[i].names, v[i].sha256,
		       eg_carries_missing(EG_CARRIES_ALL & ~v[i].carries, kinds, sizeof(kinds)));
	}
	for (i = 0; i < n; i++)
		if (v[i].carries != EG_CARRIES_ALL) {
			printf("LACKS: kinds of field no entry of the version carries; a party "
			       "listed only by those is not found in it\n");
			break;
		}
	print_country_lists(e);
done:
	eg_list_versions_free(v);
	eg_engine_free(e);
	return rc;
}
