/* fuzz_policy.c - feeds arbitrary bytes as one policy file to the policy
 * parser (src/policy/policy.c).
 *
 * A policy that parses must hold what policy.h promises: its id the name
 * given, at most EG__POLICY_CAP_RULES rules with unique non-empty ids, an
 * outcome, a message, a citation whose date is empty or valid; conditions
 * no deeper than EG__POLICY_CAP_DEPTH, all/any with 1 to
 * EG__POLICY_CAP_CHILDREN children, not and party with one, party leaves
 * only inside a party, sets within EG__POLICY_CAP_SET, dates valid and
 * ordered, scores in [0, 1]. Then three fixed deals naming it are decided
 * against it and the decisions checked (fuzz_decide_and_check). */
#include "policy_env.h"
#include "util/date.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const deal_text[] = {
	"{\"date\": \"2021-12-01\", \"exporter\": {\"name\": \"X\", \"country\": \"IL\"},"
	" \"items\": [{\"classification\": \"4D004\"}], \"destination\": \"AE\","
	" \"parties\": [{\"role\": \"end_user\", \"name\": \"listed co\", \"country\": \"AE\","
	" \"type\": \"private\"}], \"end_use\": {\"statements\": [], \"flags\": []},"
	" \"policies\": [\"fuzz\"]}",
	"{\"date\": \"2022-03-07\", \"exporter\": {\"name\": \"X\", \"country\": \"US\"},"
	" \"items\": [{\"classification\": null, \"categories\": [\"ip-surveillance\"]}],"
	" \"destination\": \"CN\", \"parties\": [{\"role\": \"consignee\", \"name\": \"clean\","
	" \"country\": \"CN\", \"type\": \"government\"}], \"end_use\": {\"statements\":"
	" [\"research\"], \"flags\": [\"internal-repression\"]}, \"policies\": [\"fuzz\"]}",
	"{\"date\": \"2020-01-01\", \"exporter\": {\"name\": \"X\", \"country\": \"DE\"},"
	" \"items\": [{\"classification\": \"5A001.j\"}, {\"classification\": \"4.A.5\"}],"
	" \"destination\": \"RU\", \"parties\": [{\"role\": \"end_user\", \"name\": \"A B\","
	" \"country\": \"RU\", \"type\": \"bank\"}, {\"role\": \"intermediate\", \"name\":"
	" \"listed\", \"country\": \"AE\", \"type\": \"us-subsidiary\"}], \"end_use\":"
	" {\"statements\": [], \"flags\": [\"national-csirt\"]}, \"policies\": [\"fuzz\"]}",
};
#define N_DEALS (sizeof(deal_text) / sizeof(deal_text[0]))
static eg__deal *deals[N_DEALS];

static void violated(const char *what)
{
	fprintf(stderr, "fuzz policy: invariant violated: %s\n", what);
	abort();
}

static int date_ok(const char d[11])
{
	return d[0] == '\0' || eg__date_valid(d, strlen(d));
}

static void check_cond(const eg__cond *c, int depth, int in_party)
{
	size_t i;

	if (c == NULL || depth > EG__POLICY_CAP_DEPTH || c->path == NULL)
		violated("a condition missing, too deep or without its path");
	switch (c->kind) {
	case EG__COND_ALL: case EG__COND_ANY:
		if (c->n_children < 1 || c->n_children > EG__POLICY_CAP_CHILDREN)
			violated("all/any: the count of children");
		break;
	case EG__COND_NOT: case EG__COND_PARTY:
		if (c->n_children != 1)
			violated("not/party: one child");
		if (c->kind == EG__COND_PARTY && in_party)
			violated("a party inside a party");
		break;
	case EG__COND_ROLE: case EG__COND_TYPE: case EG__COND_HIT:
		if (!in_party)
			violated("a party leaf outside a party");
		/* fall through */
	default:
		if (c->n_children != 0)
			violated("a leaf with children");
	}
	if (c->n_children > 0 && c->children == NULL)
		violated("children counted, not there");
	if (c->n_set > EG__POLICY_CAP_SET || (c->n_set > 0 && c->set == NULL))
		violated("a set over its cap");
	for (i = 0; i < c->n_set; i++)
		if (c->set[i] == NULL || c->set[i][0] == '\0')
			violated("an empty element of a set");
	if (c->kind == EG__COND_DESTINATION_IN && (c->list == NULL || c->list[0] == '\0'))
		violated("destination_in without a list");
	if (c->kind == EG__COND_DATE) {
		if (!date_ok(c->from) || !date_ok(c->before))
			violated("a date condition's dates");
		if (c->from[0] && c->before[0] && strcmp(c->from, c->before) >= 0)
			violated("a date condition from on or after before");
	}
	if (c->kind == EG__COND_HIT && (!(c->hit.min_score >= 0.0 && c->hit.min_score <= 1.0) ||
	                                !(c->hit.below_score >= 0.0)))
		violated("a hit's scores");
	for (i = 0; i < c->n_children; i++)
		check_cond(c->children[i], depth + 1,
		           in_party || c->kind == EG__COND_PARTY);
}

static void check(const eg__policy_set *set)
{
	const eg__policy *p = eg__policy_set_find(set, "fuzz");
	size_t i, j;

	if (eg__policy_set_count(set) != 1 || p == NULL || strcmp(p->id, "fuzz") != 0)
		violated("the policy is not the one named");
	if (p->n_rules > EG__POLICY_CAP_RULES || (p->n_rules > 0 && p->rules == NULL))
		violated("the count of rules");
	if (p->n_exporter_countries > 0 && p->exporter_countries == NULL)
		violated("exporter countries counted, not there");
	for (i = 0; i < p->n_rules; i++) {
		const eg__rule *r = &p->rules[i];
		if (r->id == NULL || r->id[0] == '\0' || r->message == NULL)
			violated("a rule without id or message");
		if ((int)r->outcome < 0 || r->outcome > EG__OUTCOME_DENY)
			violated("a rule's outcome");
		if (!date_ok(r->citation.date))
			violated("a citation's date");
		if (r->unverified && r->unverified_reason == NULL)
			violated("unverified without a reason");
		for (j = 0; j < i; j++)
			if (strcmp(p->rules[j].id, r->id) == 0)
				violated("two rules of one id");
		if (r->when != NULL)
			check_cond(r->when, 1, 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const fuzz_policy_env *e = fuzz_policy_env_get();
	eg__policy_set *set = NULL;
	eg_error err;
	size_t i;
	int rc;

	memset(&err, 0, sizeof(err));
	if (deals[0] == NULL)
		for (i = 0; i < N_DEALS; i++)
			if (eg__deal_parse(&deals[i], deal_text[i], strlen(deal_text[i]), e->items,
			                   &e->iso, &err) != 0) {
				fprintf(stderr, "fuzz policy: deal %zu: %s\n", i, err.message);
				abort();
			}
	rc = eg__policy_parse_mem(&set, (const char *)data, size, "fuzz", e->items, &e->iso,
	                          e->lists, &err);
	if (rc != 0) {
		if (rc > 0 || set != NULL || err.message[0] == '\0' || err.code != rc)
			violated("a refusal without its code, or with a set");
		return 0;
	}
	check(set);
	for (i = 0; i < N_DEALS; i++)
		fuzz_decide_and_check(set, deals[i], "policy");
	eg__policy_set_free(set);
	return 0;
}
