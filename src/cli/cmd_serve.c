/* cmd_serve.c - `exportgate serve`: the HTTP API and the web page
 * (src/server, docs/server.md). */
#include "cli.h"
#include "server/server.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"usage: exportgate serve [--listen ADDR:PORT] [--no-auth] [--web DIR] [--threads N]\n"
	"                        [--work-threads N] [--request-seconds N]\n"
	"                        [--refresh D [--refresh-source S]... [--refresh-url-base URL]]\n"
	"\n"
	"Serves the HTTP API (docs/openapi.yaml) and the web page until SIGINT or\n"
	"SIGTERM, then finishes the requests in flight and exits 0. Every request\n"
	"but /healthz, /readyz, /metrics and the page needs a key (exportgate keys).\n"
	"An address other than loopback is refused while no key exists, unless\n"
	"--no-auth is given. One access-log line per request on stderr.\n"
	"\n"
	"  --listen A:P   numeric address and port (default 127.0.0.1:8080; port 0:\n"
	"                 any free port, printed); IPv6 as [::1]:8080\n"
	"  --no-auth      no keys: every request has every role (announced at start)\n"
	"  --web DIR      the page's files (default: web/ beside the data directory)\n"
	"  --threads N    threads answering requests (default: one per processor, at\n"
	"                 least 2; at most 256)\n"
	"  --work-threads N\n"
	"                 threads running the requests that wait on the disk or run\n"
	"                 long: decisions, reviews, imports, POST /v1/screen, the log's\n"
	"                 verification (default 8, 0 to 256; 0: on the threads above)\n"
	"  --request-seconds N\n"
	"                 a request's time to arrive whole (408 beyond), and how long\n"
	"                 an idle connection stays open (default 10, 1 to 3600)\n"
	"  --refresh D    refresh the lists from their publishers at start, then every D\n"
	"                 (6h, 30m, 90s), in the background (exportgate refresh): a new\n"
	"                 version is answered from once imported; a failure is logged on\n"
	"                 stderr and in the attempts log, and the versions in force stay\n"
	"  --refresh-source S, --refresh-url-base URL: as refresh's --source, --url-base\n";

/* The background refresh of --refresh: a thread that calls eg_refresh at
 * start and then every `every` seconds, until stopped. */
typedef struct refresher {
	eg_engine *e;
	long every;
	eg_refresh_options o;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;  /* on the monotonic clock */
	int stop;
	volatile int cancel;  /* set at stop: the refresh in progress gives up */
} refresher;

static void refresh_once(refresher *r)
{
	eg_refresh_attempt *v = NULL;
	eg_error err;
	size_t n = 0, i;

	if (eg_refresh(r->e, &v, &n, &r->o, &err) != 0) {
		fprintf(stderr, "exportgate serve: refresh: %s\n", err.message);
		return;
	}
	for (i = 0; i < n; i++) {
		fprintf(stderr, "exportgate serve: refresh %s: %s", v[i].source,
		        eg_refresh_outcome_name(v[i].outcome));
		if (v[i].version_id > 0)
			fprintf(stderr, " (version %lld)", (long long)v[i].version_id);
		fprintf(stderr, "%s%s\n", v[i].reason[0] ? ": " : "", v[i].reason);
	}
	fflush(stderr);
	eg_refresh_attempts_free(v, n);
}

static void *refresh_loop(void *ud)
{
	refresher *r = ud;
	struct timespec until;

	pthread_mutex_lock(&r->lock);
	while (!r->stop) {
		pthread_mutex_unlock(&r->lock);
		refresh_once(r);
		pthread_mutex_lock(&r->lock);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += r->every;
		while (!r->stop && pthread_cond_timedwait(&r->wake, &r->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* Starts the thread with SIGINT and SIGTERM blocked: they are the server's
 * (srv_run waits for them). Returns 0 or -1 (printed). */
static int refresher_start(refresher *r)
{
	pthread_condattr_t ca;
	sigset_t set, old;
	int rc;

	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->wake, &ca);
	pthread_condattr_destroy(&ca);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	rc = pthread_create(&r->thread, NULL, refresh_loop, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		fprintf(stderr, "exportgate serve: cannot start the refresh thread: %s\n",
		        strerror(rc));
		return -1;
	}
	fprintf(stderr, "exportgate serve: refreshing the lists now and every %ld s\n", r->every);
	return 0;
}

/* Stops the thread: a refresh in progress abandons its download (that
 * source's attempt is logged as failed, "cancelled") within a second. */
static void refresher_stop(refresher *r)
{
	__atomic_store_n(&r->cancel, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
}

/* Splits "HOST:PORT" or "[V6]:PORT". */
static int parse_listen(const char *arg, char *host, size_t size, unsigned *port)
{
	const char *colon, *h = arg;
	size_t hl;
	size_t p;

	if (arg[0] == '[') {
		const char *end = strchr(arg, ']');
		if (end == NULL || end[1] != ':')
			return -1;
		h = arg + 1;
		hl = (size_t)(end - h);
		colon = end + 1;
	} else {
		if ((colon = strrchr(arg, ':')) == NULL)
			return -1;
		hl = (size_t)(colon - arg);
	}
	if (hl == 0 || hl >= size || cli_parse_size(&p, colon + 1, 0, 65535) != 0)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (strcmp(host, "localhost") == 0)
		memcpy(host, "127.0.0.1", 10);
	*port = (unsigned)p;
	return 0;
}

static int is_loopback(const char *host)
{
	return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0;
}

int cmd_serve(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"no-auth", no_argument, NULL, 'n'},
		{"web", required_argument, NULL, 'w'},
		{"threads", required_argument, NULL, 't'},
		{"work-threads", required_argument, NULL, 'k'},
		{"request-seconds", required_argument, NULL, 'q'},
		{"refresh", required_argument, NULL, 'r'},
		{"refresh-source", required_argument, NULL, 's'},
		{"refresh-url-base", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	srv_config cfg;
	refresher rf;
	const char **rsources = NULL;
	size_t n_rsources = 0;
	int refreshing = 0;
	eg_engine *e = NULL;
	eg_error err;
	char host[64] = "127.0.0.1", web[4096];
	size_t threads = 0, work_threads = 8, keys = 0, secs = 0;
	const char *web_dir = NULL;
	struct stat st;
	int c, rc;

#ifdef __GLIBC__
	/* A fixed threshold: every block of 128 KiB or more (the arrays of an
	 * index build after each import) comes from mmap and goes back to the
	 * system when freed. glibc otherwise raises the threshold after such a
	 * free, and the next builds fragment the heaps of the pool's threads:
	 * measured, the server kept 4-5 MB more after every import. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	memset(&cfg, 0, sizeof(cfg));
	memset(&rf, 0, sizeof(rf));
	rf.o = (eg_refresh_options)EG_REFRESH_OPTIONS_INIT;
	cfg.port = 8080;
	if ((rsources = calloc((size_t)argc + 1, sizeof(*rsources))) == NULL) {
		fprintf(stderr, "exportgate: out of memory\n");
		return EXIT_FAIL;
	}
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (parse_listen(optarg, host, sizeof(host), &cfg.port) != 0) {
				rc = cli_usage_error("serve", "--listen \"%s\": give ADDR:PORT, e.g. "
				                     "127.0.0.1:8080", optarg);
				goto out;
			}
			break;
		case 'n': cfg.no_auth = 1; break;
		case 'w': web_dir = optarg; break;
		case 't':
			if (cli_parse_size(&threads, optarg, 1, 256) != 0) {
				rc = cli_usage_error("serve", "--threads: a number from 1 to 256");
				goto out;
			}
			break;
		case 'k':
			if (cli_parse_size(&work_threads, optarg, 0, SRV_CAP_WORK_THREADS) != 0) {
				rc = cli_usage_error("serve", "--work-threads: a number from 0 to %d",
				                     SRV_CAP_WORK_THREADS);
				goto out;
			}
			break;
		case 'q':
			if (cli_parse_size(&secs, optarg, 1, 3600) != 0) {
				rc = cli_usage_error("serve", "--request-seconds: a number from 1 to 3600");
				goto out;
			}
			cfg.request_seconds = (unsigned)secs;
			break;
		case 'r':
			if (cli_parse_duration(&rf.every, optarg) != 0 || rf.every < 1) {
				rc = cli_usage_error("serve", "--refresh \"%s\": a duration such as 6h, "
				                     "30m, 90s", optarg);
				goto out;
			}
			break;
		case 's': rsources[n_rsources++] = optarg; break;
		case 'u': rf.o.url_base = optarg; break;
		case 'h': fputs(usage, stdout); rc = EXIT_OK; goto out;
		default: rc = cli_bad_option("serve", argv); goto out;
		}
	}
	if (optind != argc) {
		rc = cli_usage_error("serve", "unexpected argument \"%s\"", argv[optind]);
		goto out;
	}
	if (rf.every == 0 && (n_rsources > 0 || rf.o.url_base != NULL)) {
		rc = cli_usage_error("serve", "--refresh-source and --refresh-url-base need --refresh");
		goto out;
	}
	if (n_rsources > 0) {
		rf.o.sources = rsources;
		rf.o.n_sources = n_rsources;
	}
	cfg.host = host;
	if (threads == 0) {
		/* one per processor: the requests that wait are the work pool's */
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		threads = ncpu < 2 ? 2 : ncpu > 256 ? 256 : (size_t)ncpu;
	}
	cfg.threads = (unsigned)threads;
	cfg.work_threads = (unsigned)work_threads;
	if (web_dir == NULL) {
		snprintf(web, sizeof(web), "%s/../web", g->data_dir);
		web_dir = web;
	}
	if ((rc = cli_open(&e, g, 0)) != 0)
		goto out;
	if (eg_key_count(e, &keys, &err) != 0) {
		rc = cli_fail(&err);
		goto done;
	}
	if (cfg.no_auth) {
		fprintf(stderr, "exportgate serve: --no-auth: NO KEYS ARE CHECKED; every request "
		        "may screen, decide and read the decision log\n");
	} else if (keys == 0 && !is_loopback(host)) {
		fprintf(stderr, "exportgate serve: refusing to listen on %s without a key: add one "
		        "(exportgate keys add NAME --role screen) or pass --no-auth\n", host);
		rc = EXIT_USAGE;
		goto done;
	} else if (keys == 0) {
		fprintf(stderr, "exportgate serve: no key yet: every API call will be refused "
		        "(401) until one is added with `exportgate keys add NAME --role ...`\n");
	}
	{ /* the lists in force loaded before the server says it is ready */
		size_t loaded = 0;
		if (eg_prepare(e, &loaded, &err) != 0) {
			rc = cli_fail(&err);
			goto done;
		}
		fprintf(stderr, "exportgate serve: %zu list versions loaded\n", loaded);
	}
	/* versions imported from now on (by any process) loaded in the
	 * background, and answered from once loaded */
	if (eg_engine_watch(e, &err) != 0) {
		rc = cli_fail(&err);
		goto done;
	}
	if (stat(web_dir, &st) == 0 && S_ISDIR(st.st_mode) && web_load(web_dir) == 0)
		cfg.web_dir = web_dir;
	else
		fprintf(stderr, "exportgate serve: no web page: %s holds no page files\n", web_dir);
	rf.e = e;
	rf.o.cancel = &rf.cancel;
	if (rf.every > 0) {
		if (refresher_start(&rf) != 0) {
			rc = EXIT_FAIL;
			web_free();
			goto done;
		}
		refreshing = 1;
	}
	rc = srv_run(e, &cfg);
	if (refreshing)
		refresher_stop(&rf);
	web_free();
done:
	eg_engine_free(e);
out:
	free(rsources);
	return rc;
}
