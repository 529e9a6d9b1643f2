/* cmd_keys.c - `exportgate keys add|list|revoke`: the server's API keys. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: exportgate keys add NAME --role R [--role R]...\n"
	"       exportgate keys list [--json]\n"
	"       exportgate keys revoke NAME\n"
	"\n"
	"The keys of the HTTP server (`exportgate serve`). A key is shown once, when\n"
	"added; the store keeps only its SHA-256. Roles: screen (screening, lists,\n"
	"countries, /match), decide (POST /v1/decide), review (the decision log),\n"
	"admin (all of them, and signing checkpoints). A role may also be given as a\n"
	"comma-separated list (--role screen,decide).\n";

static int parse_roles(unsigned *roles, const char *arg)
{
	char buf[128], *tok, *save = NULL;
	unsigned r;

	if (strlen(arg) >= sizeof(buf))
		return -1;
	memcpy(buf, arg, strlen(arg) + 1);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (eg_role_parse(&r, tok) != 0)
			return -1;
		*roles |= r;
	}
	return 0;
}

static void print_roles(FILE *f, unsigned roles)
{
	unsigned bit;
	int first = 1;

	for (bit = 1; bit <= EG_ROLE_ADMIN; bit <<= 1)
		if (roles & bit) {
			fprintf(f, "%s%s", first ? "" : ",", eg_role_name(bit));
			first = 0;
		}
}

static int keys_add(eg_engine *e, int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char key[EG_KEY_SIZE];
	unsigned roles = 0;
	eg_error err;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (parse_roles(&roles, optarg) != 0)
				return cli_usage_error("keys", "unknown role \"%s\" (screen, decide, "
				                       "review, admin)", optarg);
			break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_bad_option("keys", argv);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("keys", "keys add takes exactly one NAME");
	if (roles == 0)
		return cli_usage_error("keys", "give at least one --role");
	if (eg_key_add(e, key, argv[optind], roles, &err) != 0)
		return cli_fail(&err);
	printf("%s\n", key);
	fprintf(stderr, "key %s added (roles ", argv[optind]);
	print_roles(stderr, roles);
	fprintf(stderr, "): it is shown this once; the store keeps only its SHA-256\n");
	memset(key, 0, sizeof(key));
	return EXIT_OK;
}

static int keys_list(eg_engine *e, int argc, char **argv)
{
	eg_key_info *k = NULL;
	eg_error err;
	size_t n, i;
	int json = 0, a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--json") == 0)
			json = 1;
		else if (strcmp(argv[a], "--help") == 0)
			return fputs(usage, stdout), EXIT_OK;
		else
			return cli_usage_error("keys", "unknown argument \"%s\"", argv[a]);
	}
	if (eg_key_list(e, &k, &n, &err) != 0)
		return cli_fail(&err);
	if (json) {
		fputs("[", stdout);
		for (i = 0; i < n; i++) {
			printf("%s{\"name\": \"%s\", \"roles\": [", i ? ", " : "", k[i].name);
			unsigned bit;
			int first = 1;
			for (bit = 1; bit <= EG_ROLE_ADMIN; bit <<= 1)
				if (k[i].roles & bit) {
					printf("%s\"%s\"", first ? "" : ", ", eg_role_name(bit));
					first = 0;
				}
			printf("], \"created\": \"%s\", \"revoked\": %s%s%s, \"prefix\": \"%s\"}",
			       k[i].created, k[i].revoked[0] ? "\"" : "",
			       k[i].revoked[0] ? k[i].revoked : "null", k[i].revoked[0] ? "\"" : "",
			       k[i].prefix);
		}
		fputs("]\n", stdout);
	} else if (n == 0) {
		printf("no key yet: try exportgate keys add NAME --role screen\n");
	} else {
		printf("%-24s %-28s %-14s %-21s %s\n", "NAME", "ROLES", "PREFIX", "CREATED", "REVOKED");
		for (i = 0; i < n; i++) {
			char roles[64] = "";
			unsigned bit;
			for (bit = 1; bit <= EG_ROLE_ADMIN; bit <<= 1)
				if (k[i].roles & bit) {
					if (roles[0])
						strncat(roles, ",", sizeof(roles) - strlen(roles) - 1);
					strncat(roles, eg_role_name(bit), sizeof(roles) - strlen(roles) - 1);
				}
			printf("%-24s %-28s %-14s %-21s %s\n", k[i].name, roles, k[i].prefix,
			       k[i].created, k[i].revoked[0] ? k[i].revoked : "-");
		}
	}
	eg_key_list_free(k);
	return EXIT_OK;
}

int cmd_keys(const cli_global *g, int argc, char **argv)
{
	eg_engine *e = NULL;
	eg_error err;
	int rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "list") != 0 &&
	    strcmp(argv[1], "revoke") != 0)
		return cli_usage_error("keys", "unknown subcommand \"%s\" (add, list, revoke)",
		                       argv[1]);
	if ((rc = cli_open(&e, g, strcmp(argv[1], "list") == 0)) != 0)
		return rc;
	if (strcmp(argv[1], "add") == 0) {
		rc = keys_add(e, argc - 1, argv + 1);
	} else if (strcmp(argv[1], "list") == 0) {
		rc = keys_list(e, argc - 1, argv + 1);
	} else if (argc != 3) {
		rc = cli_usage_error("keys", "keys revoke takes exactly one NAME");
	} else if (eg_key_revoke(e, argv[2], &err) != 0) {
		rc = cli_fail(&err);
	} else {
		fprintf(stderr, "key %s revoked\n", argv[2]);
		rc = EXIT_OK;
	}
	eg_engine_free(e);
	return rc;
}
