/* cmd_diff.c - `exportgate lists diff`: what a publication added, removed
 * and changed. */
#include "cli.h"
#include "util/answer.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>

static const char usage[] =
	"usage: exportgate lists diff SOURCE|COUNTRY-LIST [FROM] [TO] [--json] [--summary]\n"
	"\n"
	"Compares two versions of a source: entities added, removed, and changed\n"
	"field by field (names and aliases, addresses, programmes, countries,\n"
	"licence requirement and policy, ...), matched by the source's own ids.\n"
	"FROM and TO are version ids (see `exportgate lists`) or dates (the\n"
	"version in force then); TO defaults to the newest version, FROM to the\n"
	"one before TO. For a country list (see `exportgate lists`), FROM and TO\n"
	"are dates, and the diff says which countries are known to have been\n"
	"dropped, added or to have stayed, and what is unknown.\n"
	"--summary prints the counts only (with --json: no entries, no codes).\n";

static int summarise_codes(json_t *o);

/* "label count: the first n codes" */
static void print_codes(const char *label, const char *const *v, size_t n, size_t count)
{
	size_t i;

	printf("%-9s %zu:", label, count);
	for (i = 0; i < n; i++)
		printf(" %s", v[i]);
	fputc('\n', stdout);
}

static void size_text(char *buf, size_t n, long size, int partial)
{
	if (size < 0)
		snprintf(buf, n, "size unknown%s", partial ? ", partial" : "");
	else
		snprintf(buf, n, "%ld countries%s", size, partial ? ", partial" : "");
}

/* With summary, the JSON holds the counts of the code arrays instead of
 * the arrays, and the text leaves the codes out. */
static int country_diff(eg_engine *e, const char *list, const char *from, const char *to,
                        int json, int summary)
{
	eg_country_diff *d = NULL;
	eg_error err;
	char a[64], b[64];
	int rc = EXIT_OK;

	if (eg_country_list_diff(e, &d, list, from, to, &err) != 0)
		return cli_fail(&err);
	if (json) {
		json_t *o = json_pack("{s:s, s:{s:s, s:b, s:I}, s:{s:s, s:b, s:I}, s:o, s:o, s:o, s:o,"
		                      " s:I, s:I, s:I, s:I}", "list", d->list,
		                      "from", "effective", d->from_effective, "partial", d->from_partial,
		                      "size", (json_int_t)d->from_size,
		                      "to", "effective", d->to_effective, "partial", d->to_partial,
		                      "size", (json_int_t)d->to_size,
		                      "dropped", eg__str_array(d->dropped, d->n_dropped),
		                      "added", eg__str_array(d->added, d->n_added),
		                      "stayed", eg__str_array(d->stayed, d->n_stayed),
		                      "unknown", eg__str_array(d->unknown, d->n_unknown),
		                      "dropped_total", (json_int_t)d->dropped_total,
		                      "dropped_unnamed", (json_int_t)d->dropped_unnamed,
		                      "added_total", (json_int_t)d->added_total,
		                      "added_unnamed", (json_int_t)d->added_unnamed);
		if (o != NULL && summary)
			rc = summarise_codes(o);
		if (o == NULL || rc != EXIT_OK || json_dumpf(o, stdout, JSON_INDENT(2)) != 0)
			rc = EXIT_FAIL;
		else
			fputc('\n', stdout);
		json_decref(o);
	} else {
		size_text(a, sizeof(a), d->from_size, d->from_partial);
		size_text(b, sizeof(b), d->to_size, d->to_partial);
		printf("%s: version of %s (%s) -> version of %s (%s)\n", d->list, d->from_effective,
		       a, d->to_effective, b);
		print_codes("dropped", d->dropped, summary ? 0 : d->n_dropped, d->n_dropped);
		print_codes("added", d->added, summary ? 0 : d->n_added, d->n_added);
		print_codes("stayed", d->stayed, summary ? 0 : d->n_stayed, d->n_stayed);
		print_codes("unknown", d->unknown, summary ? 0 : d->n_unknown, d->n_unknown);
		if (d->dropped_total >= 0)
			printf("dropped in all: %ld, of which %ld not named by any source\n",
			       d->dropped_total, d->dropped_unnamed);
		if (d->added_total >= 0)
			printf("added in all: %ld, of which %ld not named by any source\n",
			       d->added_total, d->added_unnamed);
	}
	eg_country_diff_free(d);
	return rc;
}

/* Replaces each array of codes in o ("dropped", ...) by its length. */
static int summarise_codes(json_t *o)
{
	static const char *const keys[] = {"dropped", "added", "stayed", "unknown"};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *n = json_integer((json_int_t)json_array_size(json_object_get(o, keys[i])));
		if (n == NULL || json_object_set_new(o, keys[i], n) != 0)
			return EXIT_FAIL;
	}
	return EXIT_OK;
}

static const char *kind_name(eg_diff_kind k)
{
	return k == EG_DIFF_ADDED ? "added" : k == EG_DIFF_REMOVED ? "removed" : "changed";
}

static json_t *version_json(const eg_list_version *v)
{
	return json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)v->id, "source", v->source,
	                 "published", v->published[0] ? v->published : NULL);
}

/* With summary, the versions and the counts only: no "entries". */
static int print_json(const eg_diff *d, int summary)
{
	json_t *entries = json_array(), *o;
	size_t i, j;

	for (i = 0; !summary && entries != NULL && i < d->count; i++) {
		const eg_diff_entry *e = &d->entries[i];
		json_t *je = json_pack("{s:s, s:s, s:s}", "kind", kind_name(e->kind), "uid", e->uid,
		                       "name", e->name);
		if (je != NULL && e->kind == EG_DIFF_CHANGED) {
			json_t *fields = json_object();
			for (j = 0; fields != NULL && j < e->n_fields; j++) {
				const eg_diff_field *f = &e->fields[j];
				json_object_set_new(fields, f->field,
				    json_pack("{s:o, s:o}", "removed", eg__str_array(f->removed, f->n_removed),
				              "added", eg__str_array(f->added, f->n_added)));
			}
			json_object_set_new(je, "changes", fields);
		}
		json_array_append_new(entries, je);
	}
	o = json_pack("{s:o, s:o, s:{s:I, s:I, s:I, s:I}, s:s, s:o}", "from",
	              version_json(&d->from), "to", version_json(&d->to), "counts", "added",
	              (json_int_t)d->added, "removed", (json_int_t)d->removed, "changed",
	              (json_int_t)d->changed, "unchanged", (json_int_t)d->unchanged,
	              "not_compared", d->not_compared, "entries", entries);
	if (o != NULL && summary)
		json_object_del(o, "entries");
	return cli_print_json(o);
}

static void print_values(const char *sign, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("      %s %s\n", sign, v[i]);
}

static void print_text(const eg_diff *d, int summary)
{
	size_t i, j;

	printf("%s: version %lld (published %s) -> version %lld (published %s)\n",
	       d->from.source, (long long)d->from.id, d->from.published[0] ? d->from.published : "?",
	       (long long)d->to.id, d->to.published[0] ? d->to.published : "?");
	printf("%zu added, %zu removed, %zu changed, %zu unchanged\n", d->added, d->removed,
	       d->changed, d->unchanged);
	if (d->not_compared[0])
		printf("not compared (one publication does not carry them): %s\n", d->not_compared);
	if (summary)
		return;
	for (i = 0; i < d->count; i++) {
		const eg_diff_entry *e = &d->entries[i];
		printf("%-7s %-8s %s\n", kind_name(e->kind), e->uid, e->name);
		for (j = 0; j < e->n_fields; j++) {
			const eg_diff_field *f = &e->fields[j];
			printf("    %s:\n", f->field);
			print_values("-", f->removed, f->n_removed);
			print_values("+", f->added, f->n_added);
		}
	}
}

int cmd_diff(const cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"summary", no_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	eg_engine *e = NULL;
	eg_diff *d = NULL;
	eg_error err;
	const char *source, *from = NULL, *to = NULL;
	int c, json = 0, summary = 0, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 's': summary = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_bad_option("lists diff", argv);
		}
	}
	if (optind >= argc || argc - optind > 3)
		return cli_usage_error("lists diff", "give SOURCE and at most FROM and TO");
	source = argv[optind];
	if (argc - optind >= 2)
		from = argv[optind + 1];
	if (argc - optind == 3)
		to = argv[optind + 2];
	if ((rc = cli_open(&e, g, 0)) != 0)
		return rc;
	if (cli_country_list(e, source)) {
		rc = country_diff(e, source, from, to, json, summary);
		goto done;
	}
	if (eg_list_diff(e, &d, source, from, to, &err) != 0) {
		rc = cli_fail(&err);
		goto done;
	}
	if (json)
		rc = print_json(d, summary);
	else
		print_text(d, summary);
done:
	eg_diff_free(d);
	eg_engine_free(e);
	return rc;
}
