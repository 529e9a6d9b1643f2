/* cmd_eval.c - `exportgate eval`: screening quality on a labelled set.
 *
 * screen.tsv rows are screened against the bundled lists; pairs.tsv rows
 * are scored with eg_compare. Metrics at the default threshold, as the
 * evaluation set's README defines them, with a threshold sweep beside. */
#include "cli.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/date.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char usage[] =
	"usage: exportgate eval [DIR] [--json] [--failures]\n"
	"\n"
	"Measures screening quality on DIR/screen.tsv and DIR/pairs.tsv (default\n"
	"DIR: ../shared/eval): recall, recall@1 and false-positive rate at the\n"
	"default threshold, by origin; the pairs' precision, recall and F1. The\n"
	"bundled lists are imported first if the store lacks them. --failures\n"
	"prints every row the default threshold gets wrong. A DIR without\n"
	"pairs.tsv measures screening alone. Without DIR and without --json, the\n"
	"project's own set (eval/: names as other languages, scripts and newsrooms\n"
	"write them, and hard negatives) is measured after the shared one, then\n"
	"eval/synth/ (SDN names changed as the shared set's sdn-2021-07 rows are,\n"
	"written by eval/make_synth.py), then eval/respaced/ (SDN names with a space\n"
	"lost or put in, written by eval/make_synth.py SEED OUT respaced).\n";

#define MAX_ORIGINS 256 /* more is an error naming the row, never a merge */
#define MAX_FIELDS 8
#define N_SWEEP 8
static const double sweep[N_SWEEP] = {0.70, 0.74, 0.76, 0.78, 0.80, 0.82, 0.85, 0.88};

typedef struct origin_stat {
	char name[64];
	size_t pos, found, first, neg, fp;
} origin_stat;

typedef struct eval_state {
	origin_stat origins[MAX_ORIGINS];
	size_t n_origins;
	size_t pos, neg;
	size_t found[N_SWEEP], first[N_SWEEP], fp[N_SWEEP];
	size_t found_def, first_def, fp_def;
	/* hits at or above the default threshold in the screen at the
	 * sweep's lowest that the screen at the default threshold lacks (or
	 * scores lower), and how many of them are the expected party */
	size_t inconsistent, inconsistent_expected;
	size_t errors;
	int show_failures;  /* --failures: print each missed or false hit */
} eval_state;

/* Splits a line at tabs in place; returns the number of fields. */
static size_t split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (n < max) {
		char *tab = strchr(p, '\t');
		f[n++] = p;
		if (tab == NULL)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	return n;
}

/* Names are "the same" case-insensitively with runs of spaces folded. */
static int same_name(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' && (a[1] == ' ' || a[1] == '\0'))
			a++;
		while (*b == ' ' && (b[1] == ' ' || b[1] == '\0'))
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if ((*a | 0x20) != (*b | 0x20) && !(((unsigned char)*a & 0x80) && *a == *b))
			return 0;
		a++;
		b++;
	}
}

static int hit_is(const eg_hit *h, const char *expect)
{
	size_t i;

	for (i = 0; i < h->n_names; i++)
		if (same_name(h->names[i], expect))
			return 1;
	return 0;
}

static origin_stat *origin_of(eval_state *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_origins; i++)
		if (strcmp(s->origins[i].name, name) == 0)
			return &s->origins[i];
	if (s->n_origins == MAX_ORIGINS)
		return NULL;
	snprintf(s->origins[s->n_origins].name, sizeof(s->origins[0].name), "%s", name);
	return &s->origins[s->n_origins++];
}

/* "source@YYYY-MM" or "source": the source, and the end of the month of
 * the publication to screen against (the eval README's defaults). */
static int parse_list(const char *list, char *source, size_t n, char as_of[11])
{
	const char *at = strchr(list, '@');
	const char *month = NULL;
	char ym[8];
	int y, m;

	snprintf(source, n, "%.*s", at ? (int)(at - list) : (int)strlen(list), list);
	if (at != NULL)
		month = at + 1;
	else if (strcmp(source, "us-ofac-sdn") == 0)
		month = "2021-07";
	else if (strcmp(source, "un-sc") == 0)
		month = "2026-02";
	if (month == NULL) {
		as_of[0] = '\0';
		return 0;
	}
	if (strlen(month) != 7 || month[4] != '-')
		return -1;
	snprintf(ym, sizeof(ym), "%s", month);
	y = (int)strtol(ym, NULL, 10);
	m = (int)strtol(ym + 5, NULL, 10);
	if (y < 1900)
		return -1;
	return eg__date_month_end(as_of, y, m);
}

/* The sweep's figures come from the screen at its lowest threshold (hits),
 * the default threshold's from a screen at it (at_def), as users get them. */
static void count_row(eval_state *s, origin_stat *o, const eg_hits *hits,
                      const eg_hits *at_def, const char *expect)
{
	double def = eg_default_threshold();
	size_t k, i;

	if (expect[0] == '\0') {
		double top = hits->count > 0 ? hits->hits[0].score : -1.0;
		s->neg++;
		o->neg++;
		for (k = 0; k < N_SWEEP; k++)
			s->fp[k] += top >= sweep[k];
		if (at_def->count > 0 && at_def->hits[0].score >= def) {
			s->fp_def++;
			o->fp++;
		}
		return;
	}
	s->pos++;
	o->pos++;
	for (k = 0; k < N_SWEEP + 1; k++) {
		double t = k < N_SWEEP ? sweep[k] : def;
		const eg_hits *h = k < N_SWEEP ? hits : at_def;
		int found = 0, first = 0, rank = 0;
		for (i = 0; i < h->count && h->hits[i].score >= t; i++, rank++) {
			if (hit_is(&h->hits[i], expect)) {
				found = 1;
				first = rank == 0;
				break;
			}
		}
		if (k < N_SWEEP) {
			s->found[k] += found;
			s->first[k] += first;
		} else {
			s->found_def += found;
			s->first_def += first;
			o->found += found;
			o->first += first;
		}
	}
}

/* Counts the hits of the lower screen at or above the default threshold
 * that the screen at the default threshold lacks or scores lower: a
 * search must not depend on the threshold but for what it drops. */
static void count_consistency(eval_state *s, const eg_hits *low, const eg_hits *at_def,
                              const char *query, const char *expect, int show)
{
	double def = eg_default_threshold();
	size_t i, j;

	for (i = 0; i < low->count && low->hits[i].score >= def; i++) {
		const eg_hit *x = &low->hits[i];
		for (j = 0; j < at_def->count; j++) {
			const eg_hit *y = &at_def->hits[j];
			if (strcmp(x->source, y->source) == 0 && strcmp(x->uid, y->uid) == 0 &&
			    y->score + 1e-6 >= x->score)
				break;
		}
		if (j < at_def->count)
			continue;
		s->inconsistent++;
		if (expect[0] && hit_is(x, expect))
			s->inconsistent_expected++;
		if (show)
			printf("-	threshold	INCONSISTENT	query=%s	%s %s %.3f at %.2f, not so at "
			       "%.2f\n", query, x->source, x->primary_name, x->score, sweep[0], def);
	}
}

/* Prints a row the default threshold gets wrong, with the top hit. */
static void show_failure(char **fld, const eg_hits *hits)
{
	double def = eg_default_threshold();
	const eg_hit *top = hits->count > 0 ? &hits->hits[0] : NULL;
	int found = 0;
	size_t i;

	for (i = 0; i < hits->count && hits->hits[i].score >= def; i++)
		found |= fld[4][0] && hit_is(&hits->hits[i], fld[4]);
	if (fld[4][0] == '\0' ? (top == NULL || top->score < def) : found)
		return;
	printf("%s\t%s\t%s\tquery=%s\texpect=%s\ttop=%s (%.3f)\n", fld[0], fld[7],
	       fld[4][0] ? "MISS" : "FALSE-HIT", fld[2], fld[4], top ? top->matched_name : "-",
	       top ? top->score : 0.0);
}

static int run_screen(eg_engine *e, const char *path, eval_state *s)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t got;

	if (f == NULL) {
		fprintf(stderr, "exportgate: %s: cannot open\n", path);
		return EXIT_INPUT;
	}
	while ((got = getline(&line, &cap, f)) > 0) {
		char *fld[MAX_FIELDS], source[32], as_of[11];
		eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
		eg_hits *hits = NULL, *at_def = NULL;
		origin_stat *o;
		eg_error err;
		size_t nf;

		lineno++;
		while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
			line[--got] = '\0';
		if (lineno == 1)
			continue; /* header */
		nf = split_tabs(line, fld, MAX_FIELDS);
		if (nf < 8) {
			fprintf(stderr, "exportgate: %s:%zu: expected 8 fields, got %zu\n", path, lineno, nf);
			s->errors++;
			continue;
		}
		if (parse_list(fld[1], source, sizeof(source), as_of) != 0) {
			fprintf(stderr, "exportgate: %s:%zu: field list: bad value \"%s\"\n", path,
			        lineno, fld[1]);
			s->errors++;
			continue;
		}
		if ((o = origin_of(s, fld[7])) == NULL) {
			fprintf(stderr, "exportgate: %s:%zu: field origin: more than %d origins\n", path,
			        lineno, MAX_ORIGINS);
			s->errors++;
			continue;
		}
		so.source = source;
		so.as_of = as_of[0] ? as_of : NULL;
		so.min_score = sweep[0];
		so.limit = 50;
		if (strcasecmp(fld[3], "Person") == 0)
			so.type = EG_TYPE_INDIVIDUAL;
		else if (strcasecmp(fld[3], "Organization") == 0 || strcasecmp(fld[3], "Company") == 0)
			so.type = EG_TYPE_ENTITY;
		if (eg_screen(e, &hits, fld[2], strlen(fld[2]), &so, &err) != 0) {
			fprintf(stderr, "exportgate: %s:%zu: %s\n", path, lineno, err.message);
			s->errors++;
			continue;
		}
		so.min_score = eg_default_threshold();
		if (eg_screen(e, &at_def, fld[2], strlen(fld[2]), &so, &err) != 0) {
			fprintf(stderr, "exportgate: %s:%zu: %s\n", path, lineno, err.message);
			s->errors++;
			eg_hits_free(hits);
			continue;
		}
		count_row(s, o, hits, at_def, fld[4]);
		count_consistency(s, hits, at_def, fld[2], fld[4], s->show_failures);
		if (s->show_failures)
			show_failure(fld, at_def);
		eg_hits_free(hits);
		eg_hits_free(at_def);
	}
	free(line);
	fclose(f);
	return 0;
}

typedef struct pair_stat {
	size_t n, errors;
	size_t tp[N_SWEEP + 1], fp[N_SWEEP + 1], fn[N_SWEEP + 1];
} pair_stat;

static int run_pairs(eg_engine *e, const char *path, pair_stat *p, int show_failures)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0, k;
	ssize_t got;

	if (f == NULL && errno == ENOENT && strstr(path, "/pairs.tsv") != NULL)
		return 0; /* no pairs: screening is measured alone */
	if (f == NULL) {
		fprintf(stderr, "exportgate: %s: cannot open\n", path);
		return EXIT_INPUT;
	}
	while ((got = getline(&line, &cap, f)) > 0) {
		char *fld[MAX_FIELDS];
		eg_error err;
		double score;
		int truth;

		lineno++;
		while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
			line[--got] = '\0';
		if (lineno == 1)
			continue;
		if (split_tabs(line, fld, MAX_FIELDS) < 6) {
			fprintf(stderr, "exportgate: %s:%zu: expected 6 fields\n", path, lineno);
			p->errors++;
			continue;
		}
		truth = strcmp(fld[4], "true") == 0;
		if (eg_compare(e, &score, fld[2], strlen(fld[2]), fld[3], strlen(fld[3]), &err) != 0) {
			fprintf(stderr, "exportgate: %s:%zu: %s\n", path, lineno, err.message);
			p->errors++;
			continue;
		}
		p->n++;
		if (show_failures && (score >= eg_default_threshold()) != truth)
			printf("%s\t%s\tPAIR-%s\t%s\t%s\t%.3f\n", fld[0], fld[5],
			       truth ? "MISS" : "FALSE", fld[2], fld[3], score);
		for (k = 0; k < N_SWEEP + 1; k++) {
			double t = k < N_SWEEP ? sweep[k] : eg_default_threshold();
			int pred = score >= t;
			p->tp[k] += pred && truth;
			p->fp[k] += pred && !truth;
			p->fn[k] += !pred && truth;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0.0; }

static void prf(const pair_stat *p, size_t k, double *pr, double *rc, double *f1)
{
	*pr = ratio(p->tp[k], p->tp[k] + p->fp[k]);
	*rc = ratio(p->tp[k], p->tp[k] + p->fn[k]);
	*f1 = *pr + *rc > 0 ? 2 * *pr * *rc / (*pr + *rc) : 0.0;
}

static int print_json(const eval_state *s, const pair_stat *p)
{
	json_t *by = json_object(), *o;
	double pr, rc, f1;
	size_t i;

	for (i = 0; by != NULL && i < s->n_origins; i++) {
		const origin_stat *os = &s->origins[i];
		json_t *g = os->pos > 0
		    ? json_pack("{s:I, s:f, s:f}", "n", (json_int_t)os->pos,
		                "recall", ratio(os->found, os->pos),
		                "recall_at_1", ratio(os->first, os->pos))
		    : json_pack("{s:I, s:f}", "n", (json_int_t)os->neg, "fpr", ratio(os->fp, os->neg));
		json_object_set_new(by, os->name, g);
	}
	prf(p, N_SWEEP, &pr, &rc, &f1);
	o = json_pack("{s:f, s:{s:f, s:f, s:f, s:o, s:{s:I, s:I}}, s:{s:f, s:f, s:f}}",
	              "threshold", eg_default_threshold(),
	              "screen", "recall", ratio(s->found_def, s->pos),
	              "recall_at_1", ratio(s->first_def, s->pos), "fpr", ratio(s->fp_def, s->neg),
	              "by_origin", by, "threshold_consistency", "inconsistent",
	              (json_int_t)s->inconsistent, "expected", (json_int_t)s->inconsistent_expected,
	              "pairs", "precision", pr, "recall", rc, "f1", f1);
	return cli_print_json(o);
}

static void print_text(const eval_state *s, const pair_stat *p)
{
	double pr, rc, f1;
	size_t i, k;

	printf("screening at the default threshold %.2f: %zu listed, %zu unlisted queries\n",
	       eg_default_threshold(), s->pos, s->neg);
	printf("  recall %.4f   recall@1 %.4f   false-positive rate %.4f\n",
	       ratio(s->found_def, s->pos), ratio(s->first_def, s->pos), ratio(s->fp_def, s->neg));
	printf("  by origin:\n");
	for (i = 0; i < s->n_origins; i++) {
		const origin_stat *os = &s->origins[i];
		if (os->pos > 0)
			printf("    %-50s n=%4zu  recall %.4f  recall@1 %.4f\n", os->name, os->pos,
			       ratio(os->found, os->pos), ratio(os->first, os->pos));
		else
			printf("    %-50s n=%4zu  false-positive rate %.4f\n", os->name, os->neg,
			       ratio(os->fp, os->neg));
	}
	printf("threshold consistency: %zu hits at or above %.2f when screened at %.2f are missing "
	       "or lower when screened at %.2f (%zu of them the expected party)\n",
	       s->inconsistent, eg_default_threshold(), sweep[0], eg_default_threshold(),
	       s->inconsistent_expected);
	prf(p, N_SWEEP, &pr, &rc, &f1);
	printf("pairs at %.2f: %zu pairs   precision %.4f   recall %.4f   F1 %.4f\n",
	       eg_default_threshold(), p->n, pr, rc, f1);
	printf("threshold sweep:\n  %-9s %-8s %-9s %-8s %-8s\n", "threshold", "recall", "recall@1",
	       "fpr", "pairs F1");
	for (k = 0; k < N_SWEEP; k++) {
		prf(p, k, &pr, &rc, &f1);
		printf("  %-9.2f %-8.4f %-9.4f %-8.4f %-8.4f\n", sweep[k], ratio(s->found[k], s->pos),
		       ratio(s->first[k], s->pos), ratio(s->fp[k], s->neg), f1);
	}
	if (s->errors || p->errors)
		printf("rows in error: %zu screen, %zu pairs\n", s->errors, p->errors);
}

/* Imports the bundled lists the store lacks. cli_import_bundled reports
 * each import on stdout; with --json stdout is for the JSON alone, so the
 * reports go to stderr meanwhile (descriptor 1 pointed at 2). */
static int import_bundled(eg_engine *e, const cli_global *g, int json)
{
	int saved = -1, rc;

	fflush(stdout);
	if (json && ((saved = dup(STDOUT_FILENO)) < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)) {
		fprintf(stderr, "exportgate: eval: cannot redirect the import reports\n");
		if (saved >= 0)
			close(saved);
		return EXIT_FAIL;
	}
	rc = cli_import_bundled(e, g, 0);
	if (saved >= 0) {
		fflush(stdout);
		if (dup2(saved, STDOUT_FILENO) < 0) {
			fprintf(stderr, "exportgate: eval: cannot restore stdout\n");
			rc = rc != 0 ? rc : EXIT_FAIL;
		}
		close(saved);
	}
	return rc;
}

/* Measures one set: DIR/screen.tsv and, if there is one, DIR/pairs.tsv. */
static int eval_dir(eg_engine *e, const char *dir, eval_state *s, pair_stat *p, int json,
                    eg__buf *path)
{
	int rc = 0;

	eg__buf_reset(path);
	if (eg__buf_printf(path, "%s/screen.tsv", dir) != 0 ||
	    (rc = run_screen(e, eg__buf_str(path), s)) != 0)
		return rc ? rc : EXIT_FAIL;
	eg__buf_reset(path);
	if (eg__buf_printf(path, "%s/pairs.tsv", dir) != 0 ||
	    (rc = run_pairs(e, eg__buf_str(path), p, s->show_failures)) != 0)
		return rc ? rc : EXIT_FAIL;
	if (json)
		rc = print_json(s, p);
	else
		print_text(s, p);
	/* figures over fewer rows than the set holds are no measurement of it */
	return rc == 0 && (s->errors || p->errors) ? EXIT_INPUT : rc;
}

int cmd_eval(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"failures", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	/* the project's own sets, measured after the shared one */
	static const struct {
		const char *dir, *title;
	} own[] = {
		{"eval", "the project's own set"},
		{"eval/synth", "the shared set's categories on SDN names of its own"},
		{"eval/respaced", "SDN names with a space lost or put in, some with a typo"},
	};
	int show_failures = 0;
	size_t k;
	const char *dir = "../shared/eval";
	eval_state *s = NULL;
	pair_stat p;
	eg_engine *e = NULL;
	eg__buf path;
	int c, json = 0, given = 0, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'f': show_failures = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_bad_option("eval", argv);
		}
	}
	if (optind < argc) {
		dir = argv[optind++];
		given = 1;
	}
	if (optind != argc)
		return cli_usage_error("eval", "at most one DIR");
	if ((rc = cli_open(&e, g, 0)) != 0)
		return rc;
	eg__buf_init(&path, 4096);
	memset(&p, 0, sizeof(p));
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		rc = EXIT_FAIL;
		goto done;
	}
	s->show_failures = show_failures;
	if ((rc = import_bundled(e, g, json)) != 0)
		goto done;
	if ((rc = eval_dir(e, dir, s, &p, json, &path)) != 0)
		goto done;
	for (k = 0; rc == 0 && !json && !given && k < sizeof(own) / sizeof(own[0]); k++) {
		eg__buf_reset(&path);
		if (eg__buf_printf(&path, "%s/screen.tsv", own[k].dir) != 0) {
			rc = EXIT_FAIL;
			break;
		}
		if (access(eg__buf_str(&path), R_OK) != 0)
			continue;
		printf("\n== %s (%s/) ==\n", own[k].title, own[k].dir);
		memset(s, 0, sizeof(*s));
		memset(&p, 0, sizeof(p));
		s->show_failures = show_failures;
		rc = eval_dir(e, own[k].dir, s, &p, json, &path);
	}
done:
	eg__buf_free(&path);
	free(s);
	eg_engine_free(e);
	return rc;
}
