/* main.c - the `exportgate` command: global options and dispatch. */
#include "cli.h"

#include <jansson.h>
#include "util/num.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every command main() dispatches (those with a handler) and the other
 * forms of a command, in the order --help lists them, one line each. */
typedef struct command {
	const char *name;   /* the word after `exportgate` */
	int (*run)(const cli_global *g, int argc, char **argv); /* NULL: a form */
	const char *synopsis;
	const char *summary;
} command;

static int cmd_help(const cli_global *g, int argc, char **argv);

static const command commands[] = {
	{"import", cmd_import, "import [--source S] [--published DATE] PATH",
	 "import one publication of a list"},
	{"import", NULL, "import --bundled", "import the publications in DATA/lists"},
	{"lists", cmd_lists, "lists [--json]", "sources, versions, counts; the country lists"},
	{"lists", NULL, "lists diff SOURCE|COUNTRY-LIST [FROM] [TO]",
	 "what a version added, removed, changed"},
	{"lists", NULL, "lists member COUNTRY-LIST CODE [--as-of DATE]",
	 "whether a country is on a country list"},
	{"screen", cmd_screen, "screen NAME [options]", "screen one name"},
	{"screen", NULL, "screen --batch FILE.csv --column C [options]",
	 "screen a column of a CSV file"},
	{"compare", cmd_compare, "compare NAME1 NAME2", "score two names against each other"},
	{"decide", cmd_decide, "decide DEAL.json [--json]",
	 "may this deal go ahead? the decision and its cited reasons"},
	{"audit", cmd_audit, "audit show|prove|consistency|checkpoint|key|export|verify",
	 "the decision log, its proofs and its verification"},
	{"review", cmd_review, "review INDEX --party N --entity UID --verdict V --by NAME",
	 "a verdict on a hit of a logged decision"},
	{"rescreen", cmd_rescreen, "rescreen [--since VERSION_ID]",
	 "logged parties against what new list versions added or changed"},
	{"batch", cmd_pgbatch, "batch enqueue|work|status [options]",
	 "screen a PostgreSQL table of parties in chunks, on any number of workers"},
	{"refresh", cmd_refresh, "refresh [--source S]... [--url-base URL]",
	 "download the lists again, import what changed (docs/refresh.md)"},
	{"refresh", NULL, "refresh --log [--source S]", "the attempts to refresh, newest first"},
	{"serve", cmd_serve, "serve [--listen ADDR:PORT] [--no-auth] [--refresh 6h]",
	 "the HTTP API and the web page (docs/server.md)"},
	{"keys", cmd_keys, "keys add NAME --role R... | list | revoke NAME",
	 "the server's API keys and their roles"},
	{"store", cmd_store, "store migrate",
	 "bring the store's schema to this version (SQLite or PostgreSQL)"},
	{"eval", cmd_eval, "eval [DIR] [--json] [--failures]", "measure screening quality"},
	{"help", cmd_help, "help", "this text"},
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char global_help[] =
	"global options (before or after the command):\n"
	"  --store STORE  a SQLite file, or a PostgreSQL URI postgresql://...\n"
	"                 (default $EXPORTGATE_STORE or var/exportgate.db)\n"
	"  --data DIR     bundled data (default $EXPORTGATE_DATA, ./data, or the source tree's)\n";

static void print_usage(FILE *f)
{
	size_t i, w = 0;

	fputs("usage: exportgate [--store STORE] [--data DIR] COMMAND [ARGS]\n"
	      "\n"
	      "Screens names against official sanctions and export-control lists,\n"
	      "kept in every version.\n"
	      "\n"
	      "commands:\n", f);
	for (i = 0; i < N_COMMANDS; i++)
		if (strlen(commands[i].synopsis) > w)
			w = strlen(commands[i].synopsis);
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-*s  %s\n", (int)w, commands[i].synopsis, commands[i].summary);
	fputs("\n", f);
	fputs(global_help, f);
	fputs("  --help         this text; `exportgate COMMAND --help` for a command\n"
	      "\n"
	      "exit codes: 0 success (screen: no hit; lists member: no), 1 screen found hits\n"
	      "(lists member: yes), 2 usage error, 3 bad input, 4 store error, 5 other\n"
	      "failure, 6 lists member: unknown, 7 refresh: a source failed, 8 refresh: a\n"
	      "publication held for review.\n", f);
}

static int cmd_help(const cli_global *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	print_usage(stdout);
	return EXIT_OK;
}

/* What `exportgate COMMAND --help` prints after the command's own text:
 * the global options, and for screen the default threshold as the library
 * defines it (so that no document has to repeat the number). */
static void help_epilogue(const char *cmd)
{
	if (strcmp(cmd, "screen") == 0)
		printf("\nthe default threshold (--min-score): %.2f\n", eg_default_threshold());
	printf("\n%s", global_help);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "exportgate %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see `exportgate %s --help`)\n", cmd);
	return EXIT_USAGE;
}

int cli_bad_option(const char *cmd, char *const *argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (strncmp(arg, "--", 2) == 0 && optopt != 0)
		return cli_usage_error(cmd, "option \"%s\" needs a value", arg);
	if (strncmp(arg, "--", 2) != 0 && optopt != 0)
		return cli_usage_error(cmd, "unknown option \"-%c\"", optopt);
	return cli_usage_error(cmd, "unknown option \"%s\"", arg);
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
	if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi)) /* NaN too */
		return -1;
	*out = v;
	return 0;
}

int cli_print_json(json_t *o)
{
	if (o == NULL || json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6)) != 0) {
		json_decref(o);
		fprintf(stderr, "exportgate: out of memory\n");
		return EXIT_FAIL;
	}
	fputc('\n', stdout);
	json_decref(o);
	return EXIT_OK;
}

int cli_country_list(eg_engine *e, const char *name)
{
	const eg_country_list_info *info;
	eg_error err;
	size_t n, i;

	if (eg_country_lists(e, &info, &n, &err) != 0)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(info[i].name, name) == 0)
			return 1;
	return 0;
}

int cli_parse_size(size_t *out, const char *s, size_t lo, size_t hi)
{
	return eg__parse_size(out, s, lo, hi);
}

int cli_parse_duration(long *seconds, const char *s)
{
	static const struct { char unit; long mult; } units[] = {
		{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400},
	};
	char digits[24];
	size_t len = strlen(s), i, v;
	long mult = 1;

	if (len == 0 || len >= sizeof(digits))
		return -1;
	memcpy(digits, s, len + 1);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (digits[len - 1] == units[i].unit) {
			mult = units[i].mult;
			digits[--len] = '\0';
			break;
		}
	}
	if (eg__parse_size(&v, digits, 0, (size_t)(366L * 86400 / mult)) != 0)
		return -1;
	*seconds = (long)v * mult;
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
	/* Where built indexes are kept: beside a SQLite store by default; for
	 * a PostgreSQL store nowhere (built in memory) unless this names a
	 * directory (docs/store.md). */
	o.index_dir = getenv("EXPORTGATE_INDEX_DIR");
	if (o.index_dir != NULL && o.index_dir[0] == '\0')
		o.index_dir = NULL;
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

/* Whether arg is the global option name ("--store") or "--store=VALUE";
 * *value gets VALUE, or NULL when the value is the next argument. */
static int is_global(const char *arg, const char *name, const char **value)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n) != 0 || (arg[n] != '\0' && arg[n] != '='))
		return 0;
	*value = arg[n] == '=' ? arg + n + 1 : NULL;
	return 1;
}

/* Takes the global options out of a command's arguments argv[1..*argc), up
 * to a "--", so that they may follow the command; the rest keep their
 * order. Returns 0, or EXIT_USAGE (printed) for an option without a value. */
static int take_global_options(cli_global *g, const char *cmd, int *argc, char **argv)
{
	int i = 1, j, n;

	while (i < *argc && strcmp(argv[i], "--") != 0) {
		const char **slot = NULL, *value = NULL;
		if (is_global(argv[i], "--store", &value))
			slot = &g->store_path;
		else if (is_global(argv[i], "--data", &value))
			slot = &g->data_dir;
		if (slot == NULL) {
			i++;
			continue;
		}
		n = 1;
		if (value == NULL) {
			if (i + 1 >= *argc)
				return cli_usage_error(cmd, "option \"%s\" needs a value", argv[i]);
			value = argv[i + 1];
			n = 2;
		}
		*slot = value;
		for (j = i; j + n <= *argc; j++)
			argv[j] = argv[j + n];
		*argc -= n;
	}
	return 0;
}

/* Whether the command's arguments ask for its --help (before any "--"). */
static int asks_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

/* Whether stdout was written whole: flushes and closes it, so that an error
 * the C library kept for later (a full disk, a closed pipe, /dev/full) is
 * seen. Returns rc, or EXIT_FAIL with a message on stderr when the output
 * was lost: a command whose answer did not reach its reader has failed,
 * whatever it found. A command that failed already (rc other than
 * EXIT_OK, EXIT_HITS or EXIT_UNKNOWN) said why; its rc is kept. */
static int finish_output(int rc)
{
	int failed, saved = 0;

	errno = 0;
	failed = fflush(stdout) != 0 || ferror(stdout);
	if (failed)
		saved = errno;
	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (!failed)
		return rc;
	if (rc != EXIT_OK && rc != EXIT_HITS && rc != EXIT_UNKNOWN)
		return rc;
	fprintf(stderr, "exportgate: cannot write the output: %s\n",
	        saved != 0 ? strerror(saved) : "write error");
	return EXIT_FAIL;
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
	const command *cmd = NULL;
	size_t i;
	int c, rc;

	g.store_path = getenv("EXPORTGATE_STORE");
	if (g.store_path == NULL || g.store_path[0] == '\0')
		g.store_path = "var/exportgate.db";
	g.data_dir = default_data_dir();
	/* Every bad option is reported once, by us (cli_bad_option), not also
	 * by getopt. */
	opterr = 0;
	/* "+": stop at the command, whose options are its own. */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 's': g.store_path = optarg; break;
		case 'd': g.data_dir = optarg; break;
		case 'h': print_usage(stdout); return finish_output(EXIT_OK);
		default:
			fprintf(stderr, "exportgate: %s \"%s\" (see `exportgate --help`)\n",
			        optopt != 0 && strncmp(argv[optind - 1], "--", 2) == 0
			            ? "option needs a value:" : "unknown option", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "exportgate: no command given (see `exportgate --help`)\n");
		return EXIT_USAGE;
	}
	for (i = 0; i < N_COMMANDS && cmd == NULL; i++)
		if (commands[i].run != NULL && strcmp(commands[i].name, argv[optind]) == 0)
			cmd = &commands[i];
	if (cmd == NULL) {
		fprintf(stderr, "exportgate: unknown command \"%s\" (see `exportgate --help`)\n",
		        argv[optind]);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	if ((rc = take_global_options(&g, cmd->name, &argc, argv)) != 0)
		return rc;
	optind = 0; /* 0: GNU getopt re-initialises (the first scan used "+") */
	rc = cmd->run(&g, argc, argv);
	if (rc == EXIT_OK && cmd->run != cmd_help && asks_help(argc, argv))
		help_epilogue(cmd->name);
	return finish_output(rc);
}
