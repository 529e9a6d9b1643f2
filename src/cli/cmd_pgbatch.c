/* cmd_pgbatch.c - `exportgate batch enqueue|work|status`: a table of parties in PostgreSQL screened in chunks by any number of workers. */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: exportgate --store postgresql://... batch enqueue [--table T] [--chunk N]\n"
	"                  [--min-score S] [--limit N]\n"
	"       exportgate --store postgresql://... batch work [--run ID] [--threads N]\n"
	"                  [--worker NAME] [--max-chunks N] [--wait [SECONDS]]\n"
	"       exportgate --store postgresql://... batch status [--run ID] [--json]\n"
	"\n"
	"Screens every party of a PostgreSQL table (columns id: an integer with a\n"
	"PRIMARY KEY or UNIQUE index, name: text, type: text optional) against the\n"
	"lists, in chunks that any number of workers on any machines claim with\n"
	"SELECT ... FOR UPDATE SKIP LOCKED (docs/scale.md). Each chunk's results\n"
	"(tables batch_result and batch_hit: hits with score, source, uid, list\n"
	"version; the versions consulted; the sources that could not be) are\n"
	"written with its completion in one transaction: a worker killed mid-chunk\n"
	"loses nothing, and no chunk is completed twice.\n"
	"\n"
	"  enqueue   create a run: the table split into chunks by id; prints its id\n"
	"    --table T       [schema.]table of the parties (default parties)\n"
	"    --chunk N       parties per chunk (default 1000)\n"
	"    --min-score S   threshold in [0,1] (default: the calibrated default)\n"
	"    --limit N       at most N hits per party (default 3, at most 1000)\n"
	"    --since ID      a delta run: every party against only the entries the\n"
	"                    list versions newer than version ID added or changed\n"
	"                    (each against the version before it; `exportgate lists`\n"
	"                    shows the ids)\n"
	"  work      claim and screen chunks until none is left unclaimed\n"
	"    --run ID        the run (default: the newest with chunks left)\n"
	"    --threads N     chunks screened at once, one connection each\n"
	"                    (default: the online CPUs)\n"
	"    --worker NAME   recorded as the chunks' claimed_by (default HOST:PID)\n"
	"    --max-chunks N  stop after N chunks\n"
	"    --wait [SECONDS]  when no chunk is free, wait for runs enqueued later\n"
	"                    (announced by `batch enqueue`, and looked for every 2 s)\n"
	"                    instead of leaving; leave after SECONDS without a chunk\n"
	"                    (default: never). With --run, wait until that run is done.\n"
	"                  SIGINT or SIGTERM: leave once the chunks in progress are\n"
	"                  committed (exit 0); a second signal kills at once.\n"
	"  status    a run's chunks done, parties screened, hits, versions consulted\n"
	"    --run ID        (default: the newest run)\n"
	"    --json          as JSON\n"
	"Exit code 0 on success, 2 for a bad command line, 4 for a store error (no\n"
	"such table, a missing column, the database down: nothing is written).\n";

static json_t *run_json(const eg_batch_run *r)
{
	return json_pack("{s:I, s:s, s:b, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:I,"
	                 " s:s, s:s, s:I}",
	                 "run", (json_int_t)r->id, "table", r->table, "has_type", r->has_type,
	                 "created", r->created, "chunk_rows", (json_int_t)r->chunk_rows,
	                 "chunks", (json_int_t)r->chunks, "chunks_done",
	                 (json_int_t)r->chunks_done, "rows", (json_int_t)r->rows, "screened",
	                 (json_int_t)r->screened, "rejected", (json_int_t)r->rejected,
	                 "with_hits", (json_int_t)r->with_hits, "hits", (json_int_t)r->hits,
	                 "min_score", r->min_score, "limit", (json_int_t)r->limit, "versions",
	                 r->versions, "skipped", r->skipped, "since", (json_int_t)r->since);
}

/* Set by SIGINT or SIGTERM during `batch work`. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static int stop_requested(void *ud)
{
	(void)ud;
	return stop_signal != 0;
}

/* SIGINT and SIGTERM end `batch work` after its chunks in progress; the
 * handler is reset by the first, so a second kills. No SA_RESTART: nothing
 * here needs a call restarted, and a poll interrupted only ends early. */
static void catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int parse_id(int64_t *out, const char *s, const char *opt, const char *what)
{
	size_t v;

	if (cli_parse_size(&v, s, 1, (size_t)INT64_MAX) != 0)
		return cli_usage_error("batch", "%s \"%s\": %s", opt, s, what);
	*out = (int64_t)v;
	return 0;
}

int cmd_pgbatch(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"table", required_argument, NULL, 'T'},
		{"chunk", required_argument, NULL, 'c'},
		{"min-score", required_argument, NULL, 'm'},
		{"limit", required_argument, NULL, 'l'},
		{"run", required_argument, NULL, 'r'},
		{"threads", required_argument, NULL, 'j'},
		{"worker", required_argument, NULL, 'w'},
		{"max-chunks", required_argument, NULL, 'x'},
		{"json", no_argument, NULL, 'J'},
		{"since", required_argument, NULL, 'S'},
		{"wait", optional_argument, NULL, 'W'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	eg_batch_options o = EG_BATCH_OPTIONS_INIT;
	eg_engine *e = NULL;
	eg_error err;
	const char *verb;
	int c, rc, json = 0;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		if (argc < 2)
			return cli_usage_error("batch", "enqueue, work or status?");
		fputs(usage, stdout);
		return EXIT_OK;
	}
	verb = argv[1];
	if (strcmp(verb, "enqueue") != 0 && strcmp(verb, "work") != 0 &&
	    strcmp(verb, "status") != 0)
		return cli_usage_error("batch", "\"%s\": enqueue, work or status", verb);
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int for_enqueue = c == 'T' || c == 'c' || c == 'm' || c == 'l' || c == 'S';
		int for_work = c == 'j' || c == 'w' || c == 'x' || c == 'W';
		if ((for_enqueue && strcmp(verb, "enqueue") != 0) ||
		    (for_work && strcmp(verb, "work") != 0) ||
		    (c == 'r' && strcmp(verb, "enqueue") == 0) ||
		    (c == 'J' && strcmp(verb, "status") != 0))
			return cli_usage_error("batch", "%s does not take %s", verb, argv[optind - 1]);
		switch (c) {
		case 'T': o.table = optarg; break;
		case 'c':
			if (cli_parse_size(&o.chunk_rows, optarg, 1, 1000000) != 0)
				return cli_usage_error("batch", "--chunk \"%s\": a number from 1 to "
				                       "1000000", optarg);
			break;
		case 'm':
			if (cli_parse_double(&o.min_score, optarg, 0.0, 1.0) != 0)
				return cli_usage_error("batch", "--min-score \"%s\": a number in [0,1]",
				                       optarg);
			break;
		case 'l':
			if (cli_parse_size(&o.limit, optarg, 1, 1000) != 0)
				return cli_usage_error("batch", "--limit \"%s\": a number from 1 to 1000",
				                       optarg);
			break;
		case 'r':
			if ((rc = parse_id(&o.run, optarg, "--run", "a run id")) != 0)
				return rc;
			break;
		case 'j':
			if (cli_parse_size(&o.threads, optarg, 1, 256) != 0)
				return cli_usage_error("batch", "--threads \"%s\": a number from 1 to 256",
				                       optarg);
			break;
		case 'w':
			if (optarg[0] == '\0' || strlen(optarg) > 100)
				return cli_usage_error("batch", "--worker: 1 to 100 characters");
			o.worker = optarg;
			break;
		case 'x':
			if (cli_parse_size(&o.max_chunks, optarg, 1, (size_t)1 << 40) != 0)
				return cli_usage_error("batch", "--max-chunks \"%s\": a positive number",
				                       optarg);
			break;
		case 'W':
			/* --wait SECONDS as well as --wait=SECONDS: work takes no
			 * argument, so a number after --wait is its. */
			if (optarg == NULL && optind < argc && argv[optind][0] >= '0' &&
			    argv[optind][0] <= '9')
				optarg = argv[optind++];
			o.wait = 1;
			if (optarg != NULL &&
			    (cli_parse_double(&o.idle_seconds, optarg, 0.0, 31536000.0) != 0 ||
			     o.idle_seconds <= 0.0))
				return cli_usage_error("batch", "--wait \"%s\": seconds, a number above 0 "
				                       "(at most a year)", optarg);
			break;
		case 'J': json = 1; break;
		case 'S':
			if ((rc = parse_id(&o.since, optarg, "--since", "a list version id")) != 0)
				return rc;
			break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_bad_option("batch", argv);
		}
	}
	if (optind != argc)
		return cli_usage_error("batch", "%s takes no argument \"%s\"", verb, argv[optind]);
	if (strcmp(verb, "work") == 0 && o.threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		o.threads = n < 1 ? 1 : n > 256 ? 256 : (size_t)n;
	}
	if (strcmp(verb, "work") == 0) {
		o.stop = stop_requested;
		catch_stop_signals();
	}
	if ((rc = cli_open(&e, g, 0)) != 0)
		return rc;
	if (strcmp(verb, "enqueue") == 0) {
		eg_batch_run r;
		if ((rc = eg_batch_enqueue(e, &r, &o, &err)) != 0) {
			rc = cli_fail(&err);
		} else {
			printf("batch run %lld: %s, %llu parties in %zu chunks of %zu", (long long)r.id,
			       r.table, (unsigned long long)r.rows, r.chunks, r.chunk_rows);
			if (r.since > 0)
				printf(", against what the versions after %lld added or changed",
				       (long long)r.since);
			putchar('\n');
			rc = EXIT_OK;
		}
	} else if (strcmp(verb, "work") == 0) {
		eg_batch_report rep;
		if ((rc = eg_batch_work(e, &rep, &o, &err)) != 0) {
			rc = cli_fail(&err);
		} else if (rep.run == 0) {
			fprintf(stderr, "batch: no run with chunks left%s\n",
			        stop_signal ? " (stopped by a signal)" : o.wait ? " (waited)" : "");
			rc = EXIT_OK;
		} else {
			if (o.wait)
				fprintf(stderr, "batch: %zu run%s worked on%s\n", rep.runs,
				        rep.runs == 1 ? "" : "s", stop_signal ? ", stopped by a signal" : "");
			fprintf(stderr, "batch run %lld: %zu chunks, %llu parties screened, %llu "
			        "rejected, %llu with hits, %llu hits; %zu thread%s, %.2f s, %.0f "
			        "rows/s\n", (long long)rep.run, rep.chunks,
			        (unsigned long long)rep.screened, (unsigned long long)rep.rejected,
			        (unsigned long long)rep.with_hits, (unsigned long long)rep.hits,
			        o.threads, o.threads == 1 ? "" : "s", rep.seconds,
			        rep.seconds > 0 ? (double)(rep.screened + rep.rejected) / rep.seconds
			                        : 0.0);
			rc = EXIT_OK;
		}
	} else {
		eg_batch_run r;
		if ((rc = eg_batch_status(e, &r, &o, &err)) != 0) {
			rc = cli_fail(&err);
		} else if (json) {
			rc = cli_print_json(run_json(&r));
		} else {
			printf("batch run %lld: table %s, created %s%s\n", (long long)r.id, r.table,
			       r.created, r.since > 0 ? ", a delta run" : "");
			if (r.since > 0)
				printf("  against what the list versions after %lld added or changed\n",
				       (long long)r.since);
			printf("  chunks: %zu of %zu done (%zu parties each)\n", r.chunks_done, r.chunks,
			       r.chunk_rows);
			printf("  parties: %llu at enqueue, %llu screened, %llu rejected, %llu with "
			       "hits, %llu hits (min score %.2f, at most %zu each)\n",
			       (unsigned long long)r.rows, (unsigned long long)r.screened,
			       (unsigned long long)r.rejected, (unsigned long long)r.with_hits,
			       (unsigned long long)r.hits, r.min_score, r.limit);
			printf("  versions consulted: %s\n", r.versions[0] ? r.versions : "(none yet)");
			if (r.skipped[0] != '\0')
				printf("  sources not consulted:\n    %s\n", r.skipped);
			rc = EXIT_OK;
		}
	}
	eg_engine_free(e);
	return rc;
}
