/* cmd_decide.c - `exportgate decide`: one deal, its decision and reasons. */
#include "cli.h"
#include "util/num.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <unistd.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A deal file larger than this is refused (the library caps a deal too). */
#define DECIDE_MAX_FILE (1024 * 1024)

static const char usage[] =
	"usage: exportgate decide DEAL.json [--json]\n"
	"       exportgate decide --batch DEALS.jsonl [--threads N]\n"
	"       exportgate decide --replay INDEX [--now]\n"
	"\n"
	"Decides whether a deal may go ahead (docs/deals.md): every party screened\n"
	"against the lists in force on the deal's date, every rule of the\n"
	"applicable policies (DATA/policies) evaluated, each reason cited. The\n"
	"strictest outcome wins: deny > licence_required > review > allow.\n"
	"Exit code 0 for allow, 1 for review, licence_required or deny, 3 for a\n"
	"deal that is not valid (the message names the JSON path).\n"
	"\n"
	"  --json         the decision as one JSON object on stdout\n"
	"  --batch FILE   one deal per line (JSON lines), decided on all cores; one\n"
	"                 JSON line per deal on stdout, in input order:\n"
	"                 {\"line\": N, \"decision\": {...}} or {\"line\": N, \"error\": ...};\n"
	"                 a progress line on stderr when it is a terminal; exit 0 when\n"
	"                 every deal is allowed, 1 when any is not, 3 when any is invalid\n"
	"  --threads N    workers for --batch (default: the cores)\n"
	"  --replay INDEX recomputes the decision of log record INDEX with the list\n"
	"                 versions it recorded and says whether it comes out the same\n"
	"                 (exit 0) or not (exit 1, with what changed); with --now,\n"
	"                 dated today against today's lists\n";

/* Deals decided at once by --batch: lines read, decided in parallel, then
 * written in order, so memory does not grow with the file. */
#define BATCH_CHUNK 1024
/* A line of a deals file longer than this is an error naming the line. */
#define BATCH_MAX_LINE (256 * 1024)

typedef struct batch_item {
	size_t line;         /* its line number in the file */
	char *deal;          /* the line */
	size_t len;
	eg_decision *dec;    /* or: */
	eg_error err;
	int rc;
} batch_item;

typedef struct batch_ctx {
	eg_engine *e;
	batch_item *items;
	size_t n;
	size_t next;         /* next item to take (lock) */
	pthread_mutex_t lock;
} batch_ctx;

static void *batch_worker(void *arg)
{
	batch_ctx *c = arg;
	eg_decide_options o = EG_DECIDE_OPTIONS_INIT;

	o.asked_by = getenv("USER") ? getenv("USER") : "cli";
	for (;;) {
		size_t i;
		pthread_mutex_lock(&c->lock);
		i = c->next++;
		pthread_mutex_unlock(&c->lock);
		if (i >= c->n)
			return NULL;
		if (c->items[i].deal == NULL)
			continue; /* failed before it could be decided */
		c->items[i].rc = eg_decide(c->e, &c->items[i].dec, c->items[i].deal,
		                           c->items[i].len, &o, &c->items[i].err);
	}
}

/* Writes the chunk's answers in order and frees them; updates the worst
 * exit code. */
static void batch_write(batch_item *items, size_t n, int *worst)
{
	size_t i;

	for (i = 0; i < n; i++) {
		batch_item *it = &items[i];
		if (it->rc == 0) {
			printf("{\"line\": %zu, \"decision\": %.*s}\n", it->line,
			       (int)it->dec->json_len, it->dec->json);
			if (it->dec->outcome != EG_OUTCOME_ALLOW && *worst == EXIT_OK)
				*worst = EXIT_HITS;
		} else {
			json_t *o = json_pack("{s:I, s:{s:s, s:s}}", "line", (json_int_t)(it->line),
			                      "error", "code", eg_err_name(it->rc), "message",
			                      it->err.message);
			char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
			printf("%s\n", s ? s : "{\"error\": \"out of memory\"}");
			free(s);
			json_decref(o);
			*worst = *worst == EXIT_FAIL ? EXIT_FAIL
			         : it->rc == EG_ENOMEM || it->rc == EG_ESTORE ? EXIT_FAIL : EXIT_INPUT;
		}
		eg_decision_free(it->dec);
		free(it->deal);
		memset(it, 0, sizeof(*it));
	}
}

/* Decides every line of path; returns the exit code. */
static int decide_batch(eg_engine *e, const char *path, int threads)
{
	FILE *f = fopen(path, "rb");
	batch_item *items = calloc(BATCH_CHUNK, sizeof(*items));
	pthread_t *tid = calloc((size_t)threads, sizeof(*tid));
	char *line = NULL;
	size_t cap = 0, lineno = 0, done = 0;
	int worst = EXIT_OK, tty = isatty(2), i;
	batch_ctx c;
	ssize_t got;

	if (f == NULL || items == NULL || tid == NULL) {
		fprintf(stderr, "exportgate: %s: %s\n", path, f ? "out of memory" : strerror(errno));
		if (f)
			fclose(f);
		free(items);
		free(tid);
		return f ? EXIT_FAIL : EXIT_INPUT;
	}
	c.e = e;
	c.items = items;
	pthread_mutex_init(&c.lock, NULL);
	for (;;) {
		c.n = 0;
		while (c.n < BATCH_CHUNK && (got = getline(&line, &cap, f)) >= 0) {
			lineno++;
			if (line[strspn(line, " \t\r\n")] == '\0')
				continue; /* a blank line holds no deal */
			items[c.n].line = lineno;
			if ((size_t)got > BATCH_MAX_LINE) {
				items[c.n].rc = EG_ETOOBIG;
				snprintf(items[c.n].err.message, sizeof(items[c.n].err.message),
				         "%s:%zu: a line over %d bytes", path, lineno, BATCH_MAX_LINE);
			} else if ((items[c.n].deal = strdup(line)) == NULL) {
				items[c.n].rc = EG_ENOMEM;
				snprintf(items[c.n].err.message, sizeof(items[c.n].err.message),
				         "out of memory");
			}
			items[c.n].len = items[c.n].deal ? strlen(items[c.n].deal) : 0;
			if (items[c.n].rc != 0) { /* not given to a worker */
				items[c.n].len = 0;
				free(items[c.n].deal);
				items[c.n].deal = NULL;
			}
			c.n++;
		}
		if (c.n == 0)
			break;
		c.next = 0;
		/* items already failed are skipped by giving them no deal */
		for (i = 0; i < threads; i++)
			pthread_create(&tid[i], NULL, batch_worker, &c);
		for (i = 0; i < threads; i++)
			pthread_join(tid[i], NULL);
		batch_write(items, c.n, &worst);
		done += c.n;
		if (tty)
			fprintf(stderr, "\rexportgate: %zu deals decided", done);
	}
	if (tty)
		fputc('\n', stderr);
	if (ferror(f)) {
		fprintf(stderr, "exportgate: %s: read error\n", path);
		worst = EXIT_INPUT;
	}
	pthread_mutex_destroy(&c.lock);
	fclose(f);
	free(line);
	free(items);
	free(tid);
	return worst;
}

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

/* --replay INDEX [--now]: exit 0 when the decision comes out the same. */
static int decide_replay(const cli_global *g, const char *index, int now)
{
	eg_engine *e = NULL;
	eg_error err;
	char *out = NULL;
	uint64_t i;
	json_t *o;
	int rc;

	if (eg__parse_u64(&i, index, 0, UINT64_MAX) != 0)
		return cli_usage_error("decide", "--replay \"%s\": a record index", index);
	if ((rc = cli_open(&e, g, 0)) != 0)
		return rc;
	if (eg_decide_replay(e, &out, i, now, &err) != 0) {
		rc = cli_fail(&err);
		eg_engine_free(e);
		return rc;
	}
	eg_engine_free(e);
	fputs(out, stdout);
	fputc('\n', stdout);
	o = json_loads(out, 0, NULL);
	rc = json_is_true(json_object_get(o, "same")) ? EXIT_OK : EXIT_HITS;
	json_decref(o);
	eg_free(out);
	return rc;
}

int cmd_decide(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"batch", required_argument, NULL, 'b'},
		{"threads", required_argument, NULL, 't'},
		{"replay", required_argument, NULL, 'r'},
		{"now", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	eg_decide_options o = EG_DECIDE_OPTIONS_INIT;
	eg_decision *dec = NULL;
	eg_engine *e = NULL;
	eg_error err;
	char *deal = NULL;
	const char *batch = NULL, *replay = NULL;
	size_t len = 0, threads = 0;
	int c, json = 0, now = 0, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'b': batch = optarg; break;
		case 'r': replay = optarg; break;
		case 'n': now = 1; break;
		case 't':
			if (cli_parse_size(&threads, optarg, 1, 256) != 0)
				return cli_usage_error("decide", "--threads \"%s\": 1 to 256", optarg);
			break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_bad_option("decide", argv);
		}
	}
	if (replay != NULL)
		return optind == argc ? decide_replay(g, replay, now)
		                      : cli_usage_error("decide", "--replay takes no DEAL.json");
	if (now)
		return cli_usage_error("decide", "--now goes with --replay");
	if (batch != NULL) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		if (optind != argc)
			return cli_usage_error("decide", "--batch takes no DEAL.json");
		if ((rc = cli_open(&e, g, 0)) != 0)
			return rc;
		rc = decide_batch(e, batch, threads ? (int)threads : cores > 0 ? (int)cores : 1);
		eg_engine_free(e);
		return rc;
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
