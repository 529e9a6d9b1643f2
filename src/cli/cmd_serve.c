/* cmd_serve.c - `exportgate serve`: the HTTP API and the web page
 * (src/server, docs/server.md). */
#include "cli.h"
#include "server/server.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: exportgate serve [--listen ADDR:PORT] [--no-auth] [--web DIR] [--threads N]\n"
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
	"  --threads N    threads answering requests (default 8, at most 256)\n";

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
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	srv_config cfg;
	eg_engine *e = NULL;
	eg_error err;
	char host[64] = "127.0.0.1", web[4096];
	size_t threads = 8, keys = 0;
	const char *web_dir = NULL;
	struct stat st;
	int c, rc;

	memset(&cfg, 0, sizeof(cfg));
	cfg.port = 8080;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (parse_listen(optarg, host, sizeof(host), &cfg.port) != 0)
				return cli_usage_error("serve", "--listen \"%s\": give ADDR:PORT, e.g. "
				                       "127.0.0.1:8080", optarg);
			break;
		case 'n': cfg.no_auth = 1; break;
		case 'w': web_dir = optarg; break;
		case 't':
			if (cli_parse_size(&threads, optarg, 1, 256) != 0)
				return cli_usage_error("serve", "--threads: a number from 1 to 256");
			break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_bad_option("serve", argv);
		}
	}
	if (optind != argc)
		return cli_usage_error("serve", "unexpected argument \"%s\"", argv[optind]);
	cfg.host = host;
	cfg.threads = (unsigned)threads;
	if (web_dir == NULL) {
		snprintf(web, sizeof(web), "%s/../web", g->data_dir);
		web_dir = web;
	}
	if ((rc = cli_open(&e, g, 0)) != 0)
		return rc;
	/* Keys live in a SQLite store only for now; a server that checks none
	 * (--no-auth) runs on a PostgreSQL store too. */
	if (eg_key_count(e, &keys, &err) != 0) {
		if (!(cfg.no_auth && err.code == EG_EUNSUPPORTED)) {
			rc = cli_fail(&err);
			goto done;
		}
		keys = 0;
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
	if (stat(web_dir, &st) == 0 && S_ISDIR(st.st_mode) && web_load(web_dir) == 0)
		cfg.web_dir = web_dir;
	else
		fprintf(stderr, "exportgate serve: no web page: %s holds no page files\n", web_dir);
	rc = srv_run(e, &cfg);
	web_free();
done:
	eg_engine_free(e);
	return rc;
}
