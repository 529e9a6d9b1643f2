/* cmd_decide.c - `exportgate decide`: one deal, its decision and reasons. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A deal file larger than this is refused (the library caps a deal too). */
#define DECIDE_MAX_FILE (1024 * 1024)

static const char usage[] =
	"usage: exportgate decide DEAL.json [--json]\n"
	"\n"
	"Decides whether a deal may go ahead (docs/deals.md): every party screened\n"
	"against the lists in force on the deal's date, every rule of the\n"
	"applicable policies (DATA/policies) evaluated, each reason cited. The\n"
	"strictest outcome wins: deny > licence_required > review > allow.\n"
	"Exit code 0 for allow, 1 for review, licence_required or deny, 3 for a\n"
	"deal that is not valid (the message names the JSON path).\n"
	"\n"
	"  --json   the decision as one JSON object on stdout\n";

/* Reads the whole file into a new buffer; prints the error. */
static int read_deal(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "exportgate: %s: %s\n", path, strerror(errno));
		return EXIT_INPUT;
	}
	buf = malloc(DECIDE_MAX_FILE + 1);
	if (buf == NULL) {
		fclose(f);
		fprintf(stderr, "exportgate: out of memory\n");
		return EXIT_FAIL;
	}
	n = fread(buf, 1, DECIDE_MAX_FILE + 1, f);
	if (ferror(f) || n > DECIDE_MAX_FILE) {
		fprintf(stderr, "exportgate: %s: %s\n", path,
		        ferror(f) ? "read error" : "larger than the cap of 1 MiB for a deal");
		fclose(f);
		free(buf);
		return EXIT_INPUT;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

/* One evidence object, on one line. */
static void print_evidence(const json_t *ev)
{
	const char *kind = json_string_value(json_object_get(ev, "kind"));

	if (kind != NULL && strcmp(kind, "screening") == 0) {
		printf("           party %lld \"%s\" ~ %s version %lld %s \"%s\" (%s) score %.3f",
		       (long long)json_integer_value(json_object_get(ev, "party")),
		       json_string_value(json_object_get(ev, "party_name")),
		       json_string_value(json_object_get(ev, "source")),
		       (long long)json_integer_value(json_object_get(ev, "list_version")),
		       json_string_value(json_object_get(ev, "uid")),
		       json_string_value(json_object_get(ev, "primary_name")),
		       json_string_value(json_object_get(ev, "matched_name")),
		       json_real_value(json_object_get(ev, "score")));
		if (json_is_string(json_object_get(ev, "listed_on")))
			printf(", listed %s", json_string_value(json_object_get(ev, "listed_on")));
		putchar('\n');
		return;
	}
	{
		char *s = json_dumps(ev, JSON_COMPACT);
		printf("           %s\n", s ? s : "");
		free(s);
	}
}

static void print_table(const json_t *d)
{
	const json_t *reasons = json_object_get(d, "reasons"), *r, *v;
	size_t i, j;

	printf("decision: %s\n", json_string_value(json_object_get(d, "decision")));
	json_array_foreach(reasons, i, r) {
		const json_t *cit = json_object_get(r, "citation");
		const char *pol = json_string_value(json_object_get(r, "policy"));
		printf("  %-16s %s%s%s: %s%s\n", json_string_value(json_object_get(r, "outcome")),
		       pol && pol[0] ? pol : "", pol && pol[0] ? "/" : "",
		       json_string_value(json_object_get(r, "rule")),
		       json_string_value(json_object_get(r, "message")),
		       json_is_true(json_object_get(r, "unverified")) ? " [unverified]" : "");
		if (json_is_object(cit))
			printf("           cites %s, %s (%s)\n",
			       json_string_value(json_object_get(cit, "instrument")),
			       json_string_value(json_object_get(cit, "article")),
			       json_string_value(json_object_get(cit, "date")));
		json_array_foreach(json_object_get(r, "evidence"), j, v)
			print_evidence(v);
	}
	fputs("lists screened:", stdout);
	json_array_foreach(json_object_get(d, "lists"), i, v)
		printf("%s %s version %lld (%s)%s", i ? "," : "",
		       json_string_value(json_object_get(v, "source")),
		       (long long)json_integer_value(json_object_get(v, "version_id")),
		       json_is_string(json_object_get(v, "published"))
		           ? json_string_value(json_object_get(v, "published")) : "date unknown",
		       json_is_true(json_object_get(v, "reconstructed")) ? " reconstructed" : "");
	putchar('\n');
	v = json_object_get(d, "audit");
	if (json_is_object(v))
		printf("decision log: record %lld, leaf %s\n",
		       (long long)json_integer_value(json_object_get(v, "index")),
		       json_string_value(json_object_get(v, "leaf_hash")));
}

int cmd_decide(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	eg_decide_options o = EG_DECIDE_OPTIONS_INIT;
	eg_decision *dec = NULL;
	eg_engine *e = NULL;
	eg_error err;
	char *deal = NULL;
	size_t len = 0;
	int c, json = 0, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_bad_option("decide", argv);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("decide", "give exactly one DEAL.json");
	if ((rc = read_deal(argv[optind], &deal, &len)) != 0)
		return rc;
	if ((rc = cli_open(&e, g, 0)) != 0)
		goto done;
	o.asked_by = getenv("USER") ? getenv("USER") : "cli";
	if (eg_decide(e, &dec, deal, len, &o, &err) != 0) {
		rc = cli_fail(&err);
		goto done;
	}
	if (json) {
		fwrite(dec->json, 1, dec->json_len, stdout);
		fputc('\n', stdout);
	} else {
		json_t *d = json_loadb(dec->json, dec->json_len, 0, NULL);
		if (d == NULL) {
			fprintf(stderr, "exportgate: out of memory\n");
			rc = EXIT_FAIL;
			goto done;
		}
		print_table(d);
		json_decref(d);
	}
	rc = dec->outcome == EG_OUTCOME_ALLOW ? EXIT_OK : EXIT_HITS;
done:
	eg_decision_free(dec);
	eg_engine_free(e);
	free(deal);
	return rc;
}
