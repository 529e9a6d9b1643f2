/* policy_env.c - the shared tables and the decision checks of policy_env.h. */
#include "policy_env.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static fuzz_policy_env env;
static int loaded;

static void die(const char *what, const eg_error *err)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, err->message);
	abort();
}

/* Screening made up from the name, so that rules on hits are reached: a
 * name holding "listed" has a hit of every source, its score from the name's
 * length; a name holding "clean" has none; others one hit of us-csl. */
static int fake_screen(void *ud, const char *name, const char *country, const char *date,
                       eg__policy_hits *out, eg_error *err)
{
	static const char *const sources[] = {"us-ofac-sdn", "us-csl", "eu-fsf", "uk-hmt", "un-sc"};
	eg__policy_hit h;
	size_t i, n;
	int rc;

	(void)ud;
	(void)country;
	if (strstr(name, "clean") != NULL)
		return 0;
	n = strstr(name, "listed") != NULL ? 5 : 1;
	for (i = 0; i < n; i++) {
		memset(&h, 0, sizeof(h));
		h.source = sources[n == 1 ? 1 : i];
		h.version_id = (int64_t)i + 1;
		h.published = "2021-01-01";
		h.uid = "fuzz-1";
		h.primary_name = name;
		h.matched_name = name;
		h.score = 0.7 + (double)(strlen(name) % 31) / 100.0;
		h.listed_on = i % 2 ? date : "2021-11-04";
		h.licence_policy = i % 2 ? "Presumption of denial." : NULL;
		h.list_name = "Entity List (EL) - Bureau of Industry and Security";
		if ((rc = eg__policy_hits_add(out, &h, err)) != 0)
			return rc;
	}
	return 0;
}

/* Membership made up from the code and the list's name: yes, no or
 * unknown, and now and then no version in force. */
static int fake_member(void *ud, const char *list, const char *code, const char *date,
                       int *answer, char effective[11], eg_error *err)
{
	unsigned h = (unsigned)(unsigned char)code[0] * 31u + (unsigned char)code[1] +
	             (unsigned)strlen(list);

	(void)ud;
	(void)date;
	if (h % 7 == 0) {
		snprintf(err->message, sizeof(err->message), "%s: no version in force", list);
		err->code = EG_ENOTFOUND;
		return EG_ENOTFOUND;
	}
	*answer = (int)(h % 3) - 1;
	memcpy(effective, "2021-11-01", 11);
	return 0;
}

const fuzz_policy_env *fuzz_policy_env_get(void)
{
	eg_error err;

	if (loaded)
		return &env;
	memset(&err, 0, sizeof(err));
	if (eg__countries_iso_load(&env.iso, NULL, &err) != 0)
		die("the ISO table", &err);
	if (eg__items_load(&env.items, "data/items.json", &err) != 0)
		die("data/items.json", &err);
	if (eg__countries_load_dir(&env.lists, "data/countries", &env.iso, &err) != 0)
		die("data/countries", &err);
	if (eg__policy_set_load_dir(&env.policies, "data/policies", env.items, &env.iso,
	                            env.lists, &err) != 0)
		die("data/policies", &err);
	env.ctx.screen = fake_screen;
	env.ctx.member = fake_member;
	loaded = 1;
	return &env;
}

static int rule_known(const eg__policy_set *set, const eg__policy_reason *r)
{
	const eg__policy *p;
	size_t i;

	if (r->policy[0] == '\0')
		return 1; /* the evaluator's own: no policy, no rule applied */
	if ((p = eg__policy_set_find(set, r->policy)) == NULL)
		return 0;
	for (i = 0; i < p->n_rules; i++)
		if (strcmp(p->rules[i].id, r->rule) == 0)
			return 1;
	return 0;
}

static void violated(const char *target, const char *what)
{
	fprintf(stderr, "fuzz %s: invariant violated: %s\n", target, what);
	abort();
}

void fuzz_decide_and_check(const eg__policy_set *set, const eg__deal *deal, const char *target)
{
	const fuzz_policy_env *e = fuzz_policy_env_get();
	eg__policy_decision *d = NULL, *again = NULL;
	eg_error err;
	json_t *j = NULL, *j2 = NULL;
	char *s = NULL, *s2 = NULL;
	size_t i;
	int strictest = -1, rc;

	memset(&err, 0, sizeof(err));
	rc = eg__policy_decide(&d, set, deal, &e->ctx, &err);
	if (rc != 0) {
		if (rc > 0 || err.message[0] == '\0' || d != NULL)
			violated(target, "a failed decision without a code and a message");
		return;
	}
	if (d->n_reasons == 0)
		violated(target, "a decision without a reason");
	for (i = 0; i < d->n_reasons; i++) {
		const eg__policy_reason *r = &d->reasons[i];
		if ((int)r->outcome < 0 || r->outcome > EG__OUTCOME_DENY)
			violated(target, "a reason's outcome out of range");
		if ((int)r->outcome > strictest)
			strictest = (int)r->outcome;
		if (r->rule == NULL || r->rule[0] == '\0' || r->message == NULL)
			violated(target, "a reason without its rule or message");
		if (!rule_known(set, r))
			violated(target, "a reason citing a rule of no policy loaded");
	}
	if ((int)d->outcome != strictest)
		violated(target, "the outcome is not the strictest of the reasons'");
	j = eg__policy_decision_json(d);
	if (j == NULL || !json_is_string(json_object_get(j, "decision")) ||
	    strcmp(json_string_value(json_object_get(j, "decision")),
	           eg__outcome_name(d->outcome)) != 0)
		violated(target, "the decision's JSON does not name its outcome");
	if (eg__policy_decide(&again, set, deal, &e->ctx, &err) != 0)
		violated(target, "the same deal decided twice: the second failed");
	j2 = eg__policy_decision_json(again);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	s2 = j2 ? json_dumps(j2, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	if (s == NULL || s2 == NULL || strcmp(s, s2) != 0)
		violated(target, "the same deal decided twice: two answers");
	free(s);
	free(s2);
	json_decref(j);
	json_decref(j2);
	eg__policy_decision_free(d);
	eg__policy_decision_free(again);
}
