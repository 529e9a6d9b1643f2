/* fuzz_deal.c - feeds arbitrary bytes to the deal parser (src/policy/deal.c).
 *
 * A deal that parses must hold what deal.h promises: a valid date, known
 * ISO codes, 1 to 64 items whose classifications are in the item table and
 * whose categories and flags are declared, 1 to 64 parties with a known
 * role and type and a non-empty UTF-8 name, every count within its cap.
 * Written back as JSON it must parse to the same deal; decided against the
 * bundled policies (screening made up, policy_env.c), the decision must
 * hold the invariants of fuzz_decide_and_check. A refused deal must say why
 * with a negative code, naming the JSON path or the position. */
#include "policy_env.h"
#include "util/date.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void violated(const char *what)
{
	fprintf(stderr, "fuzz deal: invariant violated: %s\n", what);
	abort();
}

static int in_set(const char *s, const char *const *set)
{
	size_t i;

	for (i = 0; s != NULL && set[i] != NULL; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

/* Valid UTF-8 without NUL up to len, non-empty when required. */
static int utf8_ok(const char *s, size_t cap, int required)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	if (s == NULL)
		return !required;
	len = strlen(s);
	if ((required && len == 0) || len > cap)
		return 0;
	while (*p) {
		unsigned c = *p;
		size_t n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 :
		           (c & 0xF8) == 0xF0 ? 3 : 9;
		if (n == 9 || c == 0xC0 || c == 0xC1 || c > 0xF4)
			return 0;
		for (p++; n > 0; n--, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

static int country_ok(const fuzz_policy_env *e, const char c[3])
{
	return c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && c[2] == '\0' &&
	       eg__countries_iso_has(&e->iso, c, 2);
}

static void check(const fuzz_policy_env *e, const eg__deal *d)
{
	size_t i, j;

	if (!eg__date_valid(d->date, strlen(d->date)))
		violated("the date is not a calendar date");
	if (!country_ok(e, d->exporter_country) || !country_ok(e, d->destination))
		violated("a country that is not an ISO code");
	if (!utf8_ok(d->exporter_name, EG__DEAL_CAP_NAME_BYTES, 1) ||
	    !utf8_ok(d->reference, EG__DEAL_CAP_TEXT_BYTES, 0))
		violated("the exporter's name or the reference");
	if (d->n_items == 0 || d->n_items > EG__DEAL_CAP_ITEMS || d->items == NULL)
		violated("the count of items");
	for (i = 0; i < d->n_items; i++) {
		const eg__deal_item *it = &d->items[i];
		if (it->classification != NULL && eg__items_find(e->items, it->classification) == NULL)
			violated("a classification not in the item table");
		if (it->classification == NULL && it->n_categories == 0)
			violated("an item on no list without a category");
		for (j = 0; j < it->n_categories; j++) {
			size_t k;
			if (!eg__items_has_category(e->items, it->categories[j]))
				violated("a category not declared");
			for (k = 0; k < j; k++)
				if (strcmp(it->categories[k], it->categories[j]) == 0)
					violated("a category twice in an item");
		}
	}
	if (d->n_parties == 0 || d->n_parties > EG__DEAL_CAP_PARTIES || d->parties == NULL)
		violated("the count of parties");
	for (i = 0; i < d->n_parties; i++) {
		const eg__deal_party *p = &d->parties[i];
		if (!in_set(p->role, eg__deal_roles) || !in_set(p->type, eg__deal_types))
			violated("a party's role or type");
		if (!utf8_ok(p->name, EG__DEAL_CAP_NAME_BYTES, 1) || !country_ok(e, p->country))
			violated("a party's name or country");
	}
	if (d->n_statements > EG__DEAL_CAP_STATEMENTS || d->n_flags > EG__DEAL_CAP_FLAGS ||
	    d->n_policies > EG__DEAL_CAP_POLICIES)
		violated("a count over its cap");
	for (i = 0; i < d->n_statements; i++)
		if (!utf8_ok(d->statements[i], EG__DEAL_CAP_TEXT_BYTES, 0))
			violated("a statement");
	for (i = 0; i < d->n_flags; i++)
		if (!eg__items_has_flag(e->items, d->flags[i]))
			violated("a flag not declared");
	for (i = 0; i < d->n_policies; i++)
		if (!utf8_ok(d->policies[i], EG__DEAL_CAP_ID_BYTES, 1))
			violated("a policy id");
}

static json_t *strings(const char *const *v, size_t from, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = from; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* The deal as JSON, the categories an item's table entry gives left out. */
static char *write_back(const fuzz_policy_env *e, const eg__deal *d)
{
	json_t *o = json_object(), *items = json_array(), *parties = json_array();
	char *s;
	size_t i;

	json_object_set_new(o, "date", json_string(d->date));
	if (d->reference != NULL)
		json_object_set_new(o, "reference", json_string(d->reference));
	json_object_set_new(o, "exporter", json_pack("{s:s, s:s}", "name", d->exporter_name,
	                                             "country", d->exporter_country));
	for (i = 0; i < d->n_items; i++) {
		const eg__deal_item *it = &d->items[i];
		const eg__item_entry *t = it->classification ?
		                          eg__items_find(e->items, it->classification) : NULL;
		json_t *io = json_object();
		json_object_set_new(io, "classification", it->classification ?
		                    json_string(it->classification) : json_null());
		json_object_set_new(io, "categories", strings(it->categories,
		                    t ? t->n_categories : 0, it->n_categories));
		json_array_append_new(items, io);
	}
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "destination", json_string(d->destination));
	for (i = 0; i < d->n_parties; i++) {
		const eg__deal_party *p = &d->parties[i];
		json_array_append_new(parties, json_pack("{s:s, s:s, s:s, s:s}", "role", p->role,
		                                         "name", p->name, "country", p->country,
		                                         "type", p->type));
	}
	json_object_set_new(o, "parties", parties);
	json_object_set_new(o, "end_use", json_pack("{s:o, s:o}",
	                    "statements", strings(d->statements, 0, d->n_statements),
	                    "flags", strings(d->flags, 0, d->n_flags)));
	if (d->n_policies > 0)
		json_object_set_new(o, "policies", strings(d->policies, 0, d->n_policies));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static int same_strings(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same(const eg__deal *a, const eg__deal *b)
{
	size_t i;

	if (strcmp(a->date, b->date) || !same_str(a->reference, b->reference) ||
	    strcmp(a->exporter_name, b->exporter_name) ||
	    strcmp(a->exporter_country, b->exporter_country) ||
	    strcmp(a->destination, b->destination) || a->n_items != b->n_items ||
	    a->n_parties != b->n_parties ||
	    !same_strings(a->statements, a->n_statements, b->statements, b->n_statements) ||
	    !same_strings(a->flags, a->n_flags, b->flags, b->n_flags) ||
	    !same_strings(a->policies, a->n_policies, b->policies, b->n_policies))
		return 0;
	for (i = 0; i < a->n_items; i++)
		if (!same_str(a->items[i].classification, b->items[i].classification) ||
		    !same_strings(a->items[i].categories, a->items[i].n_categories,
		                  b->items[i].categories, b->items[i].n_categories))
			return 0;
	for (i = 0; i < a->n_parties; i++)
		if (strcmp(a->parties[i].role, b->parties[i].role) ||
		    strcmp(a->parties[i].name, b->parties[i].name) ||
		    strcmp(a->parties[i].country, b->parties[i].country) ||
		    strcmp(a->parties[i].type, b->parties[i].type))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const fuzz_policy_env *e = fuzz_policy_env_get();
	eg__deal *d = NULL, *back = NULL;
	eg_error err;
	char *json;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = eg__deal_parse(&d, (const char *)data, size, e->items, &e->iso, &err);
	if (rc != 0) {
		if (rc > 0 || d != NULL || err.message[0] == '\0' || err.code != rc)
			violated("a refusal without its code, or with a deal");
		if ((rc == EG_EINVAL || rc == EG_ETOOBIG) && strstr(err.message, "$") == NULL)
			violated("an invalid field not named by its JSON path");
		return 0;
	}
	check(e, d);
	if ((json = write_back(e, d)) == NULL)
		violated("the deal cannot be written back");
	rc = eg__deal_parse(&back, json, strlen(json), e->items, &e->iso, &err);
	if (rc != 0) {
		fprintf(stderr, "%s\n%s\n", json, err.message);
		violated("the deal written back does not parse");
	}
	if (!same(d, back)) {
		fprintf(stderr, "%s\n", json);
		violated("the deal written back parses to another deal");
	}
	free(json);
	eg__deal_free(back);
	fuzz_decide_and_check(e->policies, d, "deal");
	eg__deal_free(d);
	return 0;
}
