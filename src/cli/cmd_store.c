/* cmd_store.c - `exportgate store migrate`: the store's schema, brought up
 * to this program's version. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: exportgate store migrate\n"
	"\n"
	"Applies the pending schema migrations of the store (--store: a SQLite file or\n"
	"a postgresql:// URI), creating the schema in an empty store, in one\n"
	"transaction: on any failure the store is as it was. Prints the schema version\n"
	"found and the version now. A store of a newer schema than this program's is\n"
	"refused. Writable commands (import, decide, serve) migrate too; running this\n"
	"first lets read-only servers start on a migrated store.\n";

static int store_migrate(const cli_global *g, int argc, char **argv)
{
	eg_error err;
	int from = 0, to = 0;

	if (argc > 2)
		return cli_usage_error("store", "unexpected argument \"%s\"", argv[2]);
	if (eg_store_migrate(g->store_path, &from, &to, &err) != 0) {
		fprintf(stderr, "exportgate: %s\n", err.message);
		return EXIT_STORE; /* unreachable, refused or newer: the store cannot be used */
	}
	if (from == to)
		printf("store schema version %d: up to date\n", to);
	else
		printf("store schema version %d, migrated from %d\n", to, from);
	return EXIT_OK;
}

int cmd_store(const cli_global *g, int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "migrate") == 0)
		return store_migrate(g, argc, argv);
	if (argc < 2)
		return cli_usage_error("store", "missing subcommand (migrate)");
	return cli_usage_error("store", "unknown subcommand \"%s\"", argv[1]);
}
