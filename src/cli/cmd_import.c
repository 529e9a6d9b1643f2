/* cmd_import.c - `exportgate import`: one publication, or the bundled ones. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char usage[] =
	"usage: exportgate import [--source S [--new-source]] [--published YYYY-MM-DD] PATH\n"
	"       exportgate import --bundled\n"
	"\n"
	"Imports one publication of an official list (a file, or a directory of\n"
	"files) as a new list version, in one transaction: on any error the store\n"
	"is unchanged and the message names the file, line and field. The format\n"
	"is detected; the source defaults to the format's usual one. Importing\n"
	"content identical to an existing version adds nothing.\n"
	"\n"
	"Formats: OFAC legacy CSV (a directory with sdn.csv or cons_prim.csv), OFAC\n"
	"sdnList XML and enhanced XML, UN Security Council XML, US CSL CSV (.gz or not),\n"
	"BIS Denied Persons (dpl.txt), FollowTheMoney JSON lines (needs --source), EU FSF\n"
	"XML, UK Sanctions List XML, HM Treasury ConList CSV.\n"
	"\n"
	"  --source S        e.g. us-ofac-sdn, us-ofac-cons, un-sc, us-csl, us-bis-dpl:\n"
	"                    one of DATA/sources.json or already in the store\n"
	"  --new-source      let --source name a source exportgate does not know\n"
	"  --published DATE  publication date, when the data does not carry one (not\n"
	"                    after today)\n"
	"  --bundled         import every publication shipped in DATA/lists\n";

/* The publications of data/lists (dates per data/SOURCES.md: the legacy
 * CSV files carry none, so the date they were published or committed). */
const cli_bundled cli_bundled_lists[] = {
	{"us-ofac-sdn", "lists/ofac_sdn_2021-07", "2021-07-07"},
	{"us-ofac-sdn", "lists/ofac_sdn_2024-05", "2024-05-03"},
	{"un-sc", "lists/un_sc_2026-02", NULL},
	{"us-ofac-cons", "lists/ofac_cons_xml_2018-05/consolidated.xml", NULL},
	{"us-ofac-cons", "lists/ofac_cons_enhanced_2025-01/CONS_ENHANCED.XML", NULL},
	{"us-ofac-cons", "lists/ofac_cons_2025-12", "2025-12-19"},
	{"us-csl", "lists/us_csl_2022/consolidated.csv.gz", "2022-05-16"},
	{"us-bis-dpl", "lists/us_bis_dpl_2023-11/dpl.txt", NULL},
	{NULL, NULL, NULL},
};

static void report(const eg_list_version *v)
{
	char kinds[96];

	printf("%s %s: version %lld, published %s, %zu entries, %zu names (sha256 %.12s)\n",
	       v->source, v->created ? "imported" : "unchanged, already stored as",
	       (long long)v->id, v->published[0] ? v->published : "unknown", v->entities,
	       v->names, v->sha256);
	if (v->carries != EG_CARRIES_ALL)
		fprintf(stderr, "exportgate: warning: %s version %lld carries no %s: a party listed "
		        "only by those is not found in it\n", v->source, (long long)v->id,
		        eg_carries_missing(EG_CARRIES_ALL & ~v->carries, kinds, sizeof(kinds)));
}

int cli_import_bundled(eg_engine *e, const cli_global *g, int verbose)
{
	size_t i;

	for (i = 0; cli_bundled_lists[i].source != NULL; i++) {
		eg_import_options o = EG_IMPORT_OPTIONS_INIT;
		eg_list_version v;
		eg_error err;
		char path[4096];
		int n;

		n = snprintf(path, sizeof(path), "%s/%s", g->data_dir, cli_bundled_lists[i].dir);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			fprintf(stderr, "exportgate: data directory path too long\n");
			return EXIT_USAGE;
		}
		o.source = cli_bundled_lists[i].source;
		o.path = path;
		o.published = cli_bundled_lists[i].published;
		if (eg_import(e, &v, &o, &err) != 0)
			return cli_fail(&err);
		if (verbose || v.created)
			report(&v);
	}
	return 0;
}

int cmd_import(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, 's'},
		{"published", required_argument, NULL, 'p'},
		{"bundled", no_argument, NULL, 'b'},
		{"new-source", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;
	eg_engine *e = NULL;
	eg_list_version v;
	eg_error err;
	int c, bundled = 0, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': o.source = optarg; break;
		case 'p': o.published = optarg; break;
		case 'b': bundled = 1; break;
		case 'n': o.new_source = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_bad_option("import", argv);
		}
	}
	if (bundled ? optind != argc : optind != argc - 1)
		return cli_usage_error("import", bundled ? "--bundled takes no PATH"
		                                         : "give exactly one PATH");
	if ((rc = cli_open(&e, g, 0)) != 0)
		return rc;
	if (bundled) {
		rc = cli_import_bundled(e, g, 1);
	} else {
		o.path = argv[optind];
		rc = eg_import(e, &v, &o, &err);
		if (rc != 0)
			rc = cli_fail(&err);
		else
			report(&v);
	}
	eg_engine_free(e);
	return rc;
}
