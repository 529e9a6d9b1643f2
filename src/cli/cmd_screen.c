/* cmd_screen.c - `exportgate screen` and `exportgate compare`. */
#include "cli.h"
#include "util/answer.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>

static const char usage[] =
	"usage: exportgate screen NAME [options]\n"
	"       exportgate screen --batch FILE.csv --column C [options]\n"
	"\n"
	"Screens one name against the stored lists and prints the hits at or above\n"
	"the threshold, best first. Exit code 1 when there is a hit, 0 when none.\n"
	"\n"
	"  --type T        individual, entity, vessel or aircraft (default: any); entries\n"
	"                  of lists that give no type (unknown) pass every type\n"
	"  --source S      one source only (default: every source)\n"
	"  --as-of DATE    the list versions in force on YYYY-MM-DD (default: newest)\n"
	"  --country C     only entities of this country: an ISO 3166-1 code or a name\n"
	"  --limit N       at most N hits (default 10, at most 1000)\n"
	"  --min-score S   threshold in [0,1] (default: the calibrated default)\n"
	"  --json          one JSON object on stdout\n"
	"  --explain       per hit, which query token matched which name token\n"
	"  --batch FILE    screen a column of every row of a CSV file, on all cores\n"
	"                  (see `exportgate screen --batch x --help`)\n";

/* Under the table: the versions screened, then every warning of the
 * answer (kinds of field a version lacks, a reconstructed list, a source
 * not screened and why). */
static void print_consulted(const eg_hits *hits)
{
	json_t *o = json_object(), *w;
	size_t i;

	fputs("screened:", stdout);
	for (i = 0; i < hits->n_consulted; i++) {
		const eg_consulted *c = eg_hits_consulted(hits, i);
		printf("%s %s version %lld (%s)", i ? "," : "", c->source, (long long)c->version_id,
		       c->published[0] ? c->published : c->imported);
	}
	fputc('\n', stdout);
	if (o == NULL || eg__answer_json(o, hits) != 0) {
		json_decref(o);
		fputs("warning: out of memory: the answer's warnings cannot be shown\n", stdout);
		return;
	}
	json_array_foreach(json_object_get(o, "warnings"), i, w)
		printf("warning: %s\n", json_string_value(w));
	json_decref(o);
}

/* The width of the widest UID, for whole UIDs in the table. */
static size_t uid_width(const eg_hits *hits)
{
	size_t i, w = 3;

	for (i = 0; i < hits->count; i++) {
		size_t l = cli_width(eg_hits_at(hits, i)->uid);
		if (l > w)
			w = l;
	}
	return w;
}

static void print_table(const char *name, const eg_hits *hits, int explain)
{
	size_t i, j, uw = uid_width(hits);

	if (hits->count == 0) {
		printf("no hit for \"%s\" at or above %.2f (%zu names scored)\n", name,
		       hits->threshold, hits->candidates);
		print_consulted(hits);
		return;
	}
	printf("%-5s  %-12s ", "SCORE", "SOURCE");
	cli_pad(stdout, "UID", uw);
	printf(" %-10s  %-40s %-24s %s\n", "TYPE", "NAME", "PROGRAMS", "MATCHED NAME");
	for (i = 0; i < hits->count; i++) {
		const eg_hit *h = eg_hits_at(hits, i);
		printf("%5.3f  ", h->score);
		cli_cell(stdout, h->source, 12);
		fputc(' ', stdout);
		cli_pad(stdout, h->uid, uw);
		fputc(' ', stdout);
		cli_cell(stdout, eg_type_name(h->type), 10);
		fputs("  ", stdout);
		cli_cell(stdout, h->primary_name, 40);
		fputc(' ', stdout);
		cli_cell(stdout, h->programs, 24);
		fputc(' ', stdout);
		fputs(strcmp(h->matched_name, h->primary_name) == 0 ? "(primary)" : h->matched_name,
		      stdout);
		fputc('\n', stdout);
		for (j = 0; j < h->n_also; j++) {
			const eg_hit_also *al = eg_hit_also_at(h, j);
			printf("%5.3f    also listed by %s as %s", al->score, al->source, al->uid);
			if (al->list_name != NULL)
				printf(" (%s)", al->list_name);
			fputc('\n', stdout);
		}
		if (!explain)
			continue;
		for (j = 0; j < h->n_tokens; j++) {
			const eg_token_match *t = &h->tokens[j];
			printf("         %-16s -> %-16s similarity %.2f  weight %.2f\n",
			       t->query_token, t->name_token[0] ? t->name_token : "(none)",
			       t->similarity, t->weight);
		}
	}
	printf("%zu hit%s at or above %.2f (%zu names scored)\n", hits->count,
	       hits->count == 1 ? "" : "s", hits->threshold, hits->candidates);
	print_consulted(hits);
}

int cmd_screen(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"type", required_argument, NULL, 't'},
		{"source", required_argument, NULL, 's'},
		{"as-of", required_argument, NULL, 'a'},
		{"country", required_argument, NULL, 'c'},
		{"limit", required_argument, NULL, 'l'},
		{"min-score", required_argument, NULL, 'm'},
		{"json", no_argument, NULL, 'j'},
		{"explain", no_argument, NULL, 'x'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
	eg_engine *e = NULL;
	eg_hits *hits = NULL;
	eg_error err;
	const char *name;
	int c, json = 0, explain = 0, rc;

	so.group = 1; /* one hit per party, its other listings under it */
	for (c = 1; c < argc && strcmp(argv[c], "--") != 0; c++)
		if (strcmp(argv[c], "--batch") == 0 || strncmp(argv[c], "--batch=", 8) == 0)
			return cmd_batch(g, argc, argv);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (eg_type_parse(&so.type, optarg) != 0)
				return cli_usage_error("screen", "--type \"%s\": individual, entity, "
				                       "vessel, aircraft or any", optarg);
			break;
		case 's': so.source = optarg; break;
		case 'a': so.as_of = optarg; break;
		case 'c': so.country = optarg; break;
		case 'l':
			if (cli_parse_size(&so.limit, optarg, 1, 1000) != 0)
				return cli_usage_error("screen", "--limit \"%s\": a number from 1 to 1000",
				                       optarg);
			break;
		case 'm':
			if (cli_parse_double(&so.min_score, optarg, 0.0, 1.0) != 0)
				return cli_usage_error("screen", "--min-score \"%s\": a number in [0,1]",
				                       optarg);
			break;
		case 'j': json = 1; break;
		case 'x': explain = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_bad_option("screen", argv);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("screen", "give exactly one NAME (quote it)");
	name = argv[optind];
	if ((rc = cli_open(&e, g, 1)) != 0)
		return rc;
	if (eg_screen(e, &hits, name, strlen(name), &so, &err) != 0) {
		rc = cli_fail(&err);
		goto done;
	}
	if (json) {
		json_t *o = json_pack("{s:s, s:f, s:I, s:[]}", "query", name,
		                      "threshold", hits->threshold,
		                      "candidates", (json_int_t)hits->candidates, "hits");
		size_t i;
		for (i = 0; o != NULL && i < hits->count; i++)
			if (json_array_append_new(json_object_get(o, "hits"),
			                          eg__hit_json(eg_hits_at(hits, i), explain)) != 0) {
				json_decref(o);
				o = NULL;
			}
		if (o != NULL && eg__answer_json(o, hits) != 0) {
			json_decref(o);
			o = NULL;
		}
		if ((rc = cli_print_json(o)) != EXIT_OK)
			goto done;
	} else {
		print_table(name, hits, explain);
	}
	rc = hits->count > 0 ? EXIT_HITS : EXIT_OK;
done:
	eg_hits_free(hits);
	eg_engine_free(e);
	return rc;
}

int cmd_compare(const cli_global *g, int argc, char **argv)
{
	eg_engine *e = NULL;
	eg_error err;
	double score;
	int rc;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		fputs("usage: exportgate compare NAME1 NAME2\n\nPrints the score of two names "
		      "in [0,1], with token weights from the stored lists.\n", stdout);
		return EXIT_OK;
	}
	if (argc != 3)
		return cli_usage_error("compare", "give exactly two names");
	if ((rc = cli_open(&e, g, 1)) != 0)
		return rc;
	if (eg_compare(e, &score, argv[1], strlen(argv[1]), argv[2], strlen(argv[2]), &err) != 0)
		rc = cli_fail(&err);
	else
		printf("%.3f\n", score);
	eg_engine_free(e);
	return rc;
}
