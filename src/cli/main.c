/* main.c - the `exportgate` command: global options and dispatch. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: exportgate [--store FILE] [--data DIR] COMMAND [ARGS]\n"
	"\n"
	"Screens names against official sanctions and export-control lists,\n"
	"kept in every version.\n"
	"\n"
	"commands:\n"
	"  import [--source S] [--published DATE] PATH   import one publication\n"
	"  import --bundled                              import the lists in DATA/lists\n"
	"  lists [--json]                                sources, versions, counts\n"
	"  screen NAME [options]                         screen one name\n"
	"  compare NAME1 NAME2                           score two names\n"
	"  eval [DIR] [--json]                           measure screening quality\n"
	"\n"
	"global options:\n"
	"  --store FILE   the SQLite store (default $EXPORTGATE_STORE or var/exportgate.db)\n"
	"  --data DIR     bundled data (default $EXPORTGATE_DATA, ./data, or the source tree's)\n"
	"  --help         this text; `exportgate COMMAND --help` for a command\n"
	"\n"
	"exit codes: 0 success (screen: no hit), 1 screen found hits, 2 usage error,\n"
	"3 bad input, 4 store error, 5 other failure.\n";

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "exportgate %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see `exportgate %s --help`)\n", cmd);
	return EXIT_USAGE;
}

int cli_fail(const eg_error *err)
{
	fprintf(stderr, "exportgate: %s\n",
	        err->message[0] ? err->message : eg_strerror(err->code));
	switch (err->code) {
	case EG_EPARSE: case EG_ENOTFOUND: case EG_EUTF8: case EG_EINVAL:
	case EG_ETOOBIG: case EG_EEMPTY: case EG_EUNSUPPORTED: case EG_EIO:
		return EXIT_INPUT;
	case EG_ESTORE:
		return EXIT_STORE;
	default:
		return EXIT_FAIL;
	}
}

int cli_parse_double(double *out, const char *s, double lo, double hi)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int cli_parse_size(size_t *out, const char *s, size_t lo, size_t hi)
{
	char *end;
	unsigned long long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* The engine's warnings and errors, one line each on stderr. */
static void cli_log(void *ud, eg_log_level level, const char *msg)
{
	(void)ud;
	if (level >= EG_LOG_WARNING)
		fprintf(stderr, "exportgate: %s%s\n", level == EG_LOG_WARNING ? "warning: " : "",
		        msg);
}

int cli_open(eg_engine **out, const cli_global *g, int read_only)
{
	eg_open_options o = EG_OPEN_OPTIONS_INIT;
	eg_error err;
	int rc;

	/* The default store's directory is ours to create; a path the user
	 * names must exist. */
	if (strcmp(g->store_path, "var/exportgate.db") == 0 && !read_only)
		mkdir("var", 0777);
	o.store_path = g->store_path;
	o.read_only = read_only;
	o.data_dir = g->data_dir;
	o.log = cli_log;
	rc = eg_engine_open(out, &o, &err);
	if (rc != 0) {
		fprintf(stderr, "exportgate: %s\n", err.message);
		return EXIT_STORE;
	}
	return 0;
}

/* The bundled data: $EXPORTGATE_DATA, else ./data when it holds the lists,
 * else the data folder of the source tree the binary was built in (the
 * binary sits in BUILD/ beside it). */
static const char *default_data_dir(void)
{
	static char dir[4096];
	const char *env = getenv("EXPORTGATE_DATA");
	struct stat st;
	char exe[4096], probe[4200];
	ssize_t n;
	char *slash;

	if (env != NULL && env[0] != '\0')
		return env;
	if (stat("data/lists", &st) == 0 && S_ISDIR(st.st_mode))
		return "data";
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(probe, sizeof(probe), "%s/../data/lists", exe);
			if (stat(probe, &st) == 0 && S_ISDIR(st.st_mode) &&
			    (size_t)snprintf(dir, sizeof(dir), "%s/../data", exe) < sizeof(dir))
				return dir;
		}
	}
	return "data";
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"data", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli_global g;
	const char *cmd;
	int c;

	g.store_path = getenv("EXPORTGATE_STORE");
	if (g.store_path == NULL || g.store_path[0] == '\0')
		g.store_path = "var/exportgate.db";
	g.data_dir = default_data_dir();
	/* "+": stop at the command, whose options are its own. */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 's': g.store_path = optarg; break;
		case 'd': g.data_dir = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	optind = 0; /* 0: GNU getopt re-initialises (the first scan used "+") */
	if (strcmp(cmd, "import") == 0)
		return cmd_import(&g, argc, argv);
	if (strcmp(cmd, "lists") == 0)
		return cmd_lists(&g, argc, argv);
	if (strcmp(cmd, "screen") == 0)
		return cmd_screen(&g, argc, argv);
	if (strcmp(cmd, "compare") == 0)
		return cmd_compare(&g, argc, argv);
	if (strcmp(cmd, "eval") == 0)
		return cmd_eval(&g, argc, argv);
	if (strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	fprintf(stderr, "exportgate: unknown command \"%s\"\n\n%s", cmd, usage);
	return EXIT_USAGE;
}
