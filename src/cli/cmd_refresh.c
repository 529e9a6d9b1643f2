/* cmd_refresh.c - `exportgate refresh`: the lists downloaded again from
 * their publishers, what changed imported, every attempt logged
 * (docs/refresh.md); `refresh --log` shows the attempts. */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>

static const char usage[] =
	"usage: exportgate refresh [--source S]... [--url-base URL] [--connect-timeout D]\n"
	"                          [--timeout D] [--stall D] [--max-bytes N] [--work-dir DIR]\n"
	"       exportgate refresh --log [--source S] [--limit N] [--json]\n"
	"\n"
	"Downloads the publications DATA/sources.json names (every source with a\n"
	"\"download\", or those given) from their official addresses, with a\n"
	"conditional request (ETag, Last-Modified), checks them (the format, the\n"
	"digest, at least half the entities of the newest version) and imports what\n"
	"changed as a new list version. On any failure the versions in force stay.\n"
	"A publication with under half the newest version's entities is held for\n"
	"review, not imported: the line says where it is kept and how to import it.\n"
	"One line per source; every attempt is recorded in the store (--log).\n"
	"\n"
	"  --source S           refresh S only (repeatable; with --log: S's attempts)\n"
	"  --url-base URL       fetch every file from URL/SOURCE/FILE instead of the\n"
	"                       official address (a mirror; the tests' local server)\n"
	"  --connect-timeout D  no connection within D is a failure (default 30s)\n"
	"  --timeout D          one file taking longer than D is a failure (default 30m)\n"
	"  --stall D            under 1 byte a second for D is a failure (default 60s)\n"
	"  --max-bytes N        a file over N bytes is a failure (default 536870912)\n"
	"  --work-dir DIR       downloads and held publications (default STORE.refresh)\n"
	"  --log                the attempts, newest first; --limit N: the last N\n"
	"\n"
	"Durations: a number and s, m, h or d (90s, 30m, 6h); a bare number is seconds.\n"
	"Exit codes: 0 every source imported, unchanged or not modified; 7 a source\n"
	"failed; 8 none failed but a publication was held for review; 2, 4, 5 as for\n"
	"every command.\n";

/* The strings of a multi-file source, one per line, shown comma-separated. */
static void print_lines(const char *label, const char *s)
{
	const char *p;

	if (s[0] == '\0')
		return;
	printf(" %s=", label);
	for (p = s; *p; p++)
		putchar(*p == '\n' ? ',' : *p);
}

static void print_attempt(const eg_refresh_attempt *a, int with_id)
{
	if (with_id)
		printf("%lld %s %s %s", (long long)a->id, a->time, a->source,
		       eg_refresh_outcome_name(a->outcome));
	else
		printf("%s: %s", a->source, eg_refresh_outcome_name(a->outcome));
	if (a->version_id > 0)
		printf(" version=%lld", (long long)a->version_id);
	printf(" http=%ld bytes=%llu", a->http_status, (unsigned long long)a->bytes);
	if (a->sha256[0])
		printf(" sha256=%.12s", a->sha256);
	printf(" ms=%lld", (long long)a->millis);
	if (with_id) {
		print_lines("etag", a->etag);
		print_lines("last-modified", a->last_modified);
		print_lines("url", a->url);
	}
	if (a->held_path[0])
		printf(" held=%s", a->held_path);
	if (a->reason[0])
		printf(" reason: %s", a->reason);
	putchar('\n');
}

static int print_json(const eg_refresh_attempt *v, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr != NULL && i < n; i++) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:I, s:s, s:s, s:s,"
		                      " s:s, s:s}",
		                      "id", (json_int_t)v[i].id, "time", v[i].time,
		                      "source", v[i].source,
		                      "outcome", eg_refresh_outcome_name(v[i].outcome),
		                      "millis", (json_int_t)v[i].millis,
		                      "http_status", (json_int_t)v[i].http_status,
		                      "bytes", (json_int_t)v[i].bytes, "sha256", v[i].sha256,
		                      "version_id", (json_int_t)v[i].version_id, "url", v[i].url,
		                      "etag", v[i].etag, "last_modified", v[i].last_modified,
		                      "reason", v[i].reason, "held_path", v[i].held_path);
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return cli_print_json(arr);
}

int cmd_refresh(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, 's'},
		{"url-base", required_argument, NULL, 'u'},
		{"connect-timeout", required_argument, NULL, 'c'},
		{"timeout", required_argument, NULL, 't'},
		{"stall", required_argument, NULL, 'S'},
		{"max-bytes", required_argument, NULL, 'm'},
		{"work-dir", required_argument, NULL, 'w'},
		{"log", no_argument, NULL, 'l'},
		{"limit", required_argument, NULL, 'n'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	eg_refresh_options o = EG_REFRESH_OPTIONS_INIT;
	const char **sources = NULL;
	eg_refresh_attempt *v = NULL;
	eg_engine *e = NULL;
	eg_error err;
	size_t n = 0, i, limit = 0, n_sources = 0;
	long secs;
	int c, log = 0, json = 0, rc = EXIT_OK, failed = 0, held = 0;

	sources = calloc((size_t)argc + 1, sizeof(*sources));
	if (sources == NULL) {
		fprintf(stderr, "exportgate: out of memory\n");
		return EXIT_FAIL;
	}
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': sources[n_sources++] = optarg; break;
		case 'u': o.url_base = optarg; break;
		case 'c': case 't': case 'S':
			if (cli_parse_duration(&secs, optarg) != 0 || secs < 1) {
				rc = cli_usage_error("refresh", "%s \"%s\": a duration such as 30s, 10m, 6h",
				                     argv[optind - 1], optarg);
				goto done;
			}
			if (c == 'c')
				o.connect_timeout_ms = secs * 1000;
			else if (c == 't')
				o.timeout_ms = secs * 1000;
			else
				o.stall_seconds = secs;
			break;
		case 'm': {
			size_t m;
			if (cli_parse_size(&m, optarg, 1, (size_t)EG_REFRESH_MAX_BYTES * 8) != 0) {
				rc = cli_usage_error("refresh", "--max-bytes: a number of bytes from 1");
				goto done;
			}
			o.max_bytes = (uint64_t)m;
			break;
		}
		case 'w': o.work_dir = optarg; break;
		case 'l': log = 1; break;
		case 'n':
			if (cli_parse_size(&limit, optarg, 1, (size_t)1 << 30) != 0) {
				rc = cli_usage_error("refresh", "--limit: a number from 1");
				goto done;
			}
			break;
		case 'j': json = 1; break;
		case 'h': fputs(usage, stdout); goto done;
		default: rc = cli_bad_option("refresh", argv); goto done;
		}
	}
	if (optind != argc) {
		rc = cli_usage_error("refresh", "unexpected argument \"%s\"", argv[optind]);
		goto done;
	}
	if (log && n_sources > 1) {
		rc = cli_usage_error("refresh", "--log takes at most one --source");
		goto done;
	}
	if ((rc = cli_open(&e, g, log)) != 0)
		goto done;
	if (log) {
		if (eg_refresh_log(e, &v, &n, n_sources ? sources[0] : NULL, limit, &err) != 0) {
			rc = cli_fail(&err);
			goto done;
		}
		if (json) {
			rc = print_json(v, n);
		} else {
			for (i = 0; i < n; i++)
				print_attempt(&v[i], 1);
		}
		goto done;
	}
	if (n_sources > 0) {
		o.sources = sources;
		o.n_sources = n_sources;
	}
	if (eg_refresh(e, &v, &n, &o, &err) != 0) {
		rc = cli_fail(&err);
		goto done;
	}
	for (i = 0; i < n; i++) {
		failed += v[i].outcome == EG_REFRESH_FAILED;
		held += v[i].outcome == EG_REFRESH_HELD;
	}
	if (json) {
		rc = print_json(v, n);
	} else {
		for (i = 0; i < n; i++)
			print_attempt(&v[i], 0);
	}
	if (rc == EXIT_OK)
		rc = failed ? EXIT_REFRESH_FAILED : held ? EXIT_REFRESH_HELD : EXIT_OK;
done:
	eg_refresh_attempts_free(v, n);
	eg_engine_free(e);
	free(sources);
	return rc;
}
