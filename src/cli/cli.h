/* cli.h - what the subcommands of the `exportgate` command share. The CLI
 * uses only the public header (and src/util). */
#ifndef EG_CLI_H
#define EG_CLI_H

#include "exportgate.h"

#include <stdio.h>

/* Exit codes, documented in `exportgate --help` and the README. */
enum {
	EXIT_OK = 0,      /* success; for screen: no hit at or above the threshold */
	EXIT_HITS = 1,    /* screen: at least one hit */
	EXIT_USAGE = 2,   /* bad command line */
	EXIT_INPUT = 3,   /* bad or missing input file or name */
	EXIT_STORE = 4,   /* the store could not be opened, read or written */
	EXIT_FAIL = 5,    /* anything else (out of memory, ...) */
	EXIT_UNKNOWN = 6, /* lists member: the data cannot tell (EXIT_OK: no,
	                     EXIT_HITS: yes, as screen's "no hit" and "hit") */
	EXIT_REFRESH_FAILED = 7, /* refresh: at least one source failed */
	EXIT_REFRESH_HELD = 8    /* refresh: none failed, a publication was held */
};

typedef struct cli_global {
	const char *store_path;  /* --store or $EXPORTGATE_STORE or the default: a
	                            SQLite path or a postgresql:// URI */
	const char *data_dir;    /* --data: where the bundled lists are */
} cli_global;

/* Each subcommand: argv[0] is its name. Returns an exit code. */
int cmd_import(const cli_global *g, int argc, char **argv);
int cmd_lists(const cli_global *g, int argc, char **argv);
int cmd_diff(const cli_global *g, int argc, char **argv);
int cmd_screen(const cli_global *g, int argc, char **argv);
int cmd_batch(const cli_global *g, int argc, char **argv);
int cmd_pgbatch(const cli_global *g, int argc, char **argv);
int cmd_eval(const cli_global *g, int argc, char **argv);
int cmd_compare(const cli_global *g, int argc, char **argv);
int cmd_decide(const cli_global *g, int argc, char **argv);
int cmd_audit(const cli_global *g, int argc, char **argv);
int cmd_review(const cli_global *g, int argc, char **argv);
int cmd_rescreen(const cli_global *g, int argc, char **argv);
int cmd_keys(const cli_global *g, int argc, char **argv);
int cmd_serve(const cli_global *g, int argc, char **argv);
int cmd_refresh(const cli_global *g, int argc, char **argv);
int cmd_store(const cli_global *g, int argc, char **argv);

/* Opens the engine on the global store (creating its directory when it is
 * the default one). Prints the error and returns an exit code on failure. */
int cli_open(eg_engine **out, const cli_global *g, int read_only);
/* Prints "exportgate: <message>" for err on stderr and returns the exit
 * code matching err->code. */
int cli_fail(const eg_error *err);
/* Prints an error for a bad command line, as one line ending with a
 * pointer to `exportgate CMD --help`, and returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* For getopt_long's '?' (main sets opterr = 0, so getopt prints nothing):
 * names the unknown option, or the option missing its value, from optind
 * and optopt, through cli_usage_error. Returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, char *const *argv);
/* Prints o (NULL: out of memory) on stdout as indented JSON and a newline,
 * and releases it. Returns EXIT_OK, or EXIT_FAIL with the error printed. */
typedef struct json_t json_t;
int cli_print_json(json_t *o);
/* 1 when name is a country list the engine knows (its data loaded). */
int cli_country_list(eg_engine *e, const char *name);
/* Parses a number in [lo, hi]; returns 0 or -1. */
int cli_parse_double(double *out, const char *s, double lo, double hi);
int cli_parse_size(size_t *out, const char *s, size_t lo, size_t hi);
/* Parses a duration, "90s", "30m", "6h", "1d" or bare seconds, into
 * *seconds (at most a year); returns 0 or -1. */
int cli_parse_duration(long *seconds, const char *s);

/* The publications shipped in data/lists, in import order. */
typedef struct cli_bundled {
	const char *source;
	const char *dir;        /* under the data directory */
	const char *published;  /* NULL: read from the data */
} cli_bundled;
extern const cli_bundled cli_bundled_lists[];
/* Imports every bundled publication not yet in the store; quiet unless
 * verbose. Returns 0 or an exit code (the error printed). */
int cli_import_bundled(eg_engine *e, const cli_global *g, int verbose);

/* Display width of a UTF-8 string (code points; the names are Latin or
 * transliterated) and printing padded to a width. */
size_t cli_width(const char *s);
void cli_pad(FILE *f, const char *s, size_t width);
/* Prints s cut to at most width columns, padded. */
void cli_cell(FILE *f, const char *s, size_t width);

#endif
