/* cmd_audit.c - `exportgate audit`: the decision log, its proofs and its
 * verification. */
#include "cli.h"
#include "util/num.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* A checkpoint file a regulator kept is small; more is not one. */
#define AUDIT_MAX_CHECKPOINT (64 * 1024)

static const char usage[] =
	"usage: exportgate audit show INDEX\n"
	"       exportgate audit prove INDEX [SIZE]\n"
	"       exportgate audit consistency OLD_SIZE [SIZE]\n"
	"       exportgate audit checkpoint\n"
	"       exportgate audit key\n"
	"       exportgate audit export\n"
	"       exportgate audit verify [--checkpoint FILE]\n"
	"\n"
	"The decision log: every decision is a record of an append-only Merkle tree\n"
	"(RFC 9162), durable before the decision is answered (docs/audit.md).\n"
	"\n"
	"  show         one record as JSON (its deal, decision, who asked, leaf hash)\n"
	"  prove        the inclusion proof of a record in the tree of SIZE records\n"
	"  consistency  the proof that the log of SIZE records extends that of OLD_SIZE\n"
	"  checkpoint   signs (Ed25519) and prints a checkpoint: size and root; keep it\n"
	"  key          the public half of the signing key (PEM)\n"
	"  export       every record with its proof, for an independent verifier\n"
	"  verify       recomputes every record and the tree, checks the latest signed\n"
	"               checkpoint and, with --checkpoint, that the log only grew since\n"
	"               the one you kept; exit 0 when it holds, 1 when it does not\n";

/* Parses a record index or a size; prints the usage error. */
static int parse_u64(uint64_t *out, const char *s, const char *what)
{
	if (eg__parse_u64(out, s, 0, UINT64_MAX) != 0)
		return cli_usage_error("audit", "%s \"%s\": a number from 0", what, s);
	return 0;
}

/* Prints a string the library returned, then frees it. */
static int print_owned(char *s)
{
	fputs(s, stdout);
	if (s[0] != '\0' && s[strlen(s) - 1] != '\n')
		fputc('\n', stdout);
	eg_free(s);
	return EXIT_OK;
}

/* Reads the checkpoint file; prints the error. */
static int read_checkpoint(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (f == NULL) {
		fprintf(stderr, "exportgate: %s: %s\n", path, strerror(errno));
		return EXIT_INPUT;
	}
	buf = malloc(AUDIT_MAX_CHECKPOINT + 1);
	*len = buf ? fread(buf, 1, AUDIT_MAX_CHECKPOINT + 1, f) : 0;
	fclose(f);
	if (buf == NULL || *len > AUDIT_MAX_CHECKPOINT) {
		fprintf(stderr, "exportgate: %s: %s\n", path,
		        buf ? "larger than a checkpoint (64 KiB)" : "out of memory");
		free(buf);
		return buf ? EXIT_INPUT : EXIT_FAIL;
	}
	*out = buf;
	return 0;
}

static int verify(eg_engine *e, int argc, char **argv)
{
	char *old = NULL, *report = NULL;
	size_t old_len = 0;
	eg_error err;
	int ok = 0, rc;

	if (argc == 4 && strcmp(argv[2], "--checkpoint") == 0) {
		if ((rc = read_checkpoint(argv[3], &old, &old_len)) != 0)
			return rc;
	} else if (argc != 2) {
		return cli_usage_error("audit", "verify takes only --checkpoint FILE");
	}
	rc = eg_audit_verify(e, &report, &ok, old, old_len, &err);
	free(old);
	if (rc != 0)
		return cli_fail(&err);
	print_owned(report);
	if (!ok)
		fprintf(stderr, "exportgate: the decision log does NOT verify: see \"problem\"\n");
	return ok ? EXIT_OK : EXIT_HITS;
}

/* One subcommand on an open engine. */
static int run(eg_engine *e, int argc, char **argv)
{
	const char *sub = argv[1];
	uint64_t a = 0, b = 0;
	char *out = NULL;
	eg_error err;
	int rc;

	if (strcmp(sub, "verify") == 0)
		return verify(e, argc, argv);
	if (strcmp(sub, "show") == 0 || strcmp(sub, "prove") == 0 ||
	    strcmp(sub, "consistency") == 0) {
		if (argc < 3 || argc > (strcmp(sub, "show") == 0 ? 3 : 4))
			return cli_usage_error("audit", "%s: give %s", sub,
			                       strcmp(sub, "show") == 0 ? "INDEX" : "a number and "
			                                                             "optionally SIZE");
		if ((rc = parse_u64(&a, argv[2], "index or size")) != 0 ||
		    (argc == 4 && (rc = parse_u64(&b, argv[3], "size")) != 0))
			return rc;
		if (strcmp(sub, "show") == 0)
			rc = eg_audit_record(e, &out, a, &err);
		else if (strcmp(sub, "prove") == 0)
			rc = eg_audit_prove(e, &out, a, b, &err);
		else
			rc = eg_audit_consistency(e, &out, a, b, &err);
	} else if (argc != 2) {
		return cli_usage_error("audit", "%s takes no argument", sub);
	} else if (strcmp(sub, "checkpoint") == 0) {
		rc = eg_audit_checkpoint(e, &out, &err);
	} else if (strcmp(sub, "key") == 0) {
		rc = eg_audit_public_key(e, &out, &err);
	} else if (strcmp(sub, "export") == 0) {
		rc = eg_audit_export(e, &out, &err);
	} else {
		return cli_usage_error("audit", "unknown subcommand \"%s\"", sub);
	}
	return rc != 0 ? cli_fail(&err) : print_owned(out);
}

int cmd_audit(const cli_global *g, int argc, char **argv)
{
	eg_engine *e = NULL;
	int rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if ((rc = cli_open(&e, g, 0)) != 0)
		return rc;
	rc = run(e, argc, argv);
	eg_engine_free(e);
	return rc;
}

static const char review_usage[] =
	"usage: exportgate review INDEX --party N --entity UID --verdict V --by NAME\n"
	"                         [--note TEXT]\n"
	"\n"
	"Records a verdict on a hit that decision INDEX of the log raised: party N\n"
	"of the deal (from 0) against entity UID. With --verdict false-positive, later\n"
	"decisions do not raise the same party name against that entity again until\n"
	"its listing changes in a later version (each decision names the hits its\n"
	"reviews suppressed). --verdict true-match confirms the hit. The review is a\n"
	"record of the decision log.\n";

int cmd_review(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"party", required_argument, NULL, 'p'},
		{"entity", required_argument, NULL, 'e'},
		{"verdict", required_argument, NULL, 'v'},
		{"by", required_argument, NULL, 'b'},
		{"note", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	eg_review_options o = EG_REVIEW_OPTIONS_INIT;
	eg_engine *e = NULL;
	char *out = NULL;
	uint64_t index = 0, party = 0;
	eg_error err;
	int c, rc, have_party = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if ((rc = parse_u64(&party, optarg, "--party")) != 0)
				return rc;
			have_party = 1;
			break;
		case 'e': o.uid = optarg; break;
		case 'v': o.verdict = optarg; break;
		case 'b': o.by = optarg; break;
		case 'n': o.note = optarg; break;
		case 'h': fputs(review_usage, stdout); return EXIT_OK;
		default: return cli_bad_option("review", argv);
		}
	}
	if (optind != argc - 1 || !have_party || o.uid == NULL || o.verdict == NULL ||
	    o.by == NULL)
		return cli_usage_error("review", "give INDEX, --party, --entity, --verdict and --by");
	if ((rc = parse_u64(&index, argv[optind], "INDEX")) != 0)
		return rc;
	o.decision = index;
	o.party = (size_t)party;
	if ((rc = cli_open(&e, g, 0)) != 0)
		return rc;
	if (eg_review(e, &out, &o, &err) != 0)
		rc = cli_fail(&err);
	else
		rc = print_owned(out);
	eg_engine_free(e);
	return rc;
}

static const char rescreen_usage[] =
	"usage: exportgate rescreen [--since VERSION_ID]\n"
	"\n"
	"Delta screening after a list update: the parties of every logged decision\n"
	"are screened against only the entries that the new versions added or\n"
	"changed (each source's newest version against its predecessor, or every\n"
	"version after VERSION_ID), and each decision they touch is decided again,\n"
	"dated today, against today's lists. Prints JSON; exit 0 when no decision\n"
	"would come out differently, 1 when some would.\n";

int cmd_rescreen(const cli_global *g, int argc, char **argv)
{
	eg_engine *e = NULL;
	uint64_t since = 0;
	size_t differ = 0;
	char *out = NULL;
	eg_error err;
	int rc;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		fputs(rescreen_usage, stdout);
		return EXIT_OK;
	}
	if (argc == 3 && strcmp(argv[1], "--since") == 0) {
		if ((rc = parse_u64(&since, argv[2], "--since")) != 0)
			return rc;
	} else if (argc != 1) {
		return cli_usage_error("rescreen", "only --since VERSION_ID");
	}
	if ((rc = cli_open(&e, g, 0)) != 0)
		return rc;
	if (eg_rescreen(e, &out, (int64_t)since, &differ, &err) != 0)
		rc = cli_fail(&err);
	else
		rc = print_owned(out) == EXIT_OK && differ > 0 ? EXIT_HITS : EXIT_OK;
	eg_engine_free(e);
	return rc;
}
