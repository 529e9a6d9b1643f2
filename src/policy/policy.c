/* policy.c - loading and validating policy files (see policy.h, docs/policies.md).
 *
 * Invariant of a loaded set: every condition tree is well formed (all/any
 * have children, party leaves sit under exactly one party node, sets are
 * non-empty and name only what the item table and the format declare), so
 * the evaluator never meets a malformed tree. */
#include "policy.h"
#include "deal.h"
#include "jsonv.h"
#include "../util/alloc.h"
#include "../util/arena.h"
#include "../util/error.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct eg__policy_set {
	eg__arena arena;
	eg__policy *policies; /* eg__realloc'd, sorted by id */
	size_t n, cap;
};

typedef struct loader {
	eg__jv jv;
	const eg__items *items;
	const eg__iso_codes *iso;
	const eg__country_lists *lists;
} loader;

static const char *const outcome_names[] = {"allow", "review", "licence_required", "deny"};

const char *eg__outcome_name(eg__outcome o)
{
	return (unsigned)o < 4 ? outcome_names[o] : "?";
}

int eg__outcome_parse(const char *s)
{
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, outcome_names[i]) == 0)
			return i;
	return -1;
}

void eg__policy_set_free(eg__policy_set *set)
{
	if (set == NULL)
		return;
	eg__arena_clear(&set->arena);
	eg__free(set->policies);
	eg__free(set);
}

static eg__policy_set *set_new(void)
{
	eg__policy_set *set = eg__calloc(1, sizeof(*set));

	if (set != NULL)
		eg__arena_init(&set->arena, 0);
	return set;
}

/* ---- conditions ---- */

static int parse_cond(const eg__cond **out, const loader *ld, const json_t *o,
                      const eg__jpath *p, int depth, int in_party);

/* A set-valued leaf: an array of ids, each checked by check (NULL: any). */
static int leaf_set(eg__cond *c, const loader *ld, const json_t *o, const eg__jpath *p,
                    const char *key, int (*check)(const loader *, const char *),
                    const char *what)
{
	eg__jpath pk, pi;
	const char **set;
	size_t i;
	int rc;

	if ((rc = eg__jv_strings(&set, &c->n_set, &ld->jv, o, p, key, 1, 1, EG__POLICY_CAP_SET,
	                         EG__POLICY_CAP_ID_BYTES)) != 0)
		return rc;
	eg__jpath_key(&pk, p, key);
	for (i = 0; check != NULL && i < c->n_set; i++) {
		if (!check(ld, set[i])) {
			eg__jpath_idx(&pi, &pk, i);
			return eg__jv_fail(&ld->jv, EG_EINVAL, &pi, "\"%s\" is not %s", set[i], what);
		}
	}
	c->set = set;
	return 0;
}

static int is_classification(const loader *ld, const char *s)
{
	return eg__items_find(ld->items, s) != NULL;
}

static int is_category(const loader *ld, const char *s)
{
	return eg__items_has_category(ld->items, s);
}

static int is_flag(const loader *ld, const char *s)
{
	return eg__items_has_flag(ld->items, s);
}

static int in_null_set(const char *s, const char *const *set)
{
	size_t i;

	for (i = 0; set[i] != NULL; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

static int is_role(const loader *ld, const char *s)
{
	(void)ld;
	return in_null_set(s, eg__deal_roles);
}

static int is_type(const loader *ld, const char *s)
{
	(void)ld;
	return in_null_set(s, eg__deal_types);
}

static int leaf_list(eg__cond *c, const loader *ld, const json_t *o, const eg__jpath *p,
                     const char *key)
{
	eg__jpath pk;
	int rc;

	if ((rc = eg__jv_string(&c->list, &ld->jv, o, p, key, 1, EG__POLICY_CAP_ID_BYTES)) != 0)
		return rc;
	if (ld->lists != NULL && eg__countries_find(ld->lists, c->list) == NULL) {
		eg__jpath_key(&pk, p, key);
		return eg__jv_fail(&ld->jv, EG_EINVAL, &pk, "\"%s\" is not a country list of data/countries",
		                   c->list);
	}
	return 0;
}

static int leaf_date(eg__cond *c, const loader *ld, const json_t *o, const eg__jpath *p)
{
	static const char *const allowed[] = {"from", "before", NULL};
	const json_t *d = json_object_get(o, "date");
	eg__jpath pd;
	int rc;

	eg__jpath_key(&pd, p, "date");
	if ((rc = eg__jv_object(&ld->jv, d, &pd, allowed)) != 0 ||
	    (rc = eg__jv_date(c->from, &ld->jv, d, &pd, "from", 0)) != 0 ||
	    (rc = eg__jv_date(c->before, &ld->jv, d, &pd, "before", 0)) != 0)
		return rc;
	if (c->from[0] == '\0' && c->before[0] == '\0')
		return eg__jv_fail(&ld->jv, EG_EINVAL, &pd, "needs \"from\", \"before\" or both");
	if (c->from[0] != '\0' && c->before[0] != '\0' && strcmp(c->from, c->before) >= 0)
		return eg__jv_fail(&ld->jv, EG_EINVAL, &pd, "\"from\" %s is not before \"before\" %s",
		                   c->from, c->before);
	return 0;
}

/* A number member in [0,1]; *out = dflt when missing and not required. */
static int score(double *out, const loader *ld, const json_t *o, const eg__jpath *p,
                 const char *key, int required, double dflt)
{
	const json_t *v = json_object_get(o, key);
	eg__jpath pk;

	*out = dflt;
	eg__jpath_key(&pk, p, key);
	if (v == NULL)
		return required ? eg__jv_fail(&ld->jv, EG_EINVAL, &pk, "missing") : 0;
	if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1)
		return eg__jv_fail(&ld->jv, EG_EINVAL, &pk, "not a score in [0, 1]");
	*out = json_number_value(v);
	return 0;
}

static int leaf_hit(eg__cond *c, const loader *ld, const json_t *o, const eg__jpath *p)
{
	static const char *const allowed[] = {"sources", "lists", "min_score", "below_score",
		"licence_policy", "listed_by_deal_date", NULL};
	const json_t *h = json_object_get(o, "hit");
	eg__hit_cond *hc = &c->hit;
	const char **sources, **lists;
	eg__jpath ph;
	int rc;

	eg__jpath_key(&ph, p, "hit");
	if ((rc = eg__jv_object(&ld->jv, h, &ph, allowed)) != 0 ||
	    (rc = eg__jv_strings(&sources, &hc->n_sources, &ld->jv, h, &ph, "sources", 0, 1,
	                         EG__POLICY_CAP_SET, EG__POLICY_CAP_ID_BYTES)) != 0 ||
	    (rc = eg__jv_strings(&lists, &hc->n_lists, &ld->jv, h, &ph, "lists", 0, 1,
	                         EG__POLICY_CAP_SET, EG__POLICY_CAP_TEXT_BYTES)) != 0 ||
	    (rc = score(&hc->min_score, ld, h, &ph, "min_score", 1, 0)) != 0 ||
	    (rc = score(&hc->below_score, ld, h, &ph, "below_score", 0, 2)) != 0 ||
	    (rc = eg__jv_string(&hc->licence_policy, &ld->jv, h, &ph, "licence_policy", 0,
	                        EG__POLICY_CAP_TEXT_BYTES)) != 0 ||
	    (rc = eg__jv_bool(&hc->listed_by_deal_date, &ld->jv, h, &ph, "listed_by_deal_date",
	                      0)) != 0)
		return rc;
	if (hc->below_score <= hc->min_score)
		return eg__jv_fail(&ld->jv, EG_EINVAL, &ph, "below_score %g is not above min_score %g",
		                   hc->below_score, hc->min_score);
	hc->sources = sources;
	hc->lists = lists;
	return 0;
}

/* all / any: an array of conditions; not / party: one condition. */
static int parse_children(eg__cond *c, const loader *ld, const json_t *v, const eg__jpath *pk,
                          int depth, int in_party)
{
	const eg__cond **kids;
	eg__jpath pi;
	size_t i, n = 1;
	int rc, many = c->kind == EG__COND_ALL || c->kind == EG__COND_ANY;

	if (many) {
		if (!json_is_array(v) || json_array_size(v) == 0)
			return eg__jv_fail(&ld->jv, EG_EINVAL, pk, "not a non-empty array of conditions");
		n = json_array_size(v);
		if (n > EG__POLICY_CAP_CHILDREN)
			return eg__jv_fail(&ld->jv, EG_ETOOBIG, pk, "more than %d conditions",
			                   EG__POLICY_CAP_CHILDREN);
	}
	kids = eg__arena_calloc(ld->jv.arena, n, sizeof(*kids));
	if (kids == NULL)
		return eg__jv_fail(&ld->jv, EG_ENOMEM, pk, "out of memory");
	for (i = 0; i < n; i++) {
		if (many)
			eg__jpath_idx(&pi, pk, i);
		else
			pi = *pk;
		rc = parse_cond(&kids[i], ld, many ? json_array_get(v, i) : v, &pi, depth + 1,
		                in_party || c->kind == EG__COND_PARTY);
		if (rc != 0)
			return rc;
	}
	c->children = kids;
	c->n_children = n;
	return 0;
}

typedef struct cond_key {
	const char *key;
	eg__cond_kind kind;
	int party_leaf;
} cond_key;

static const cond_key cond_keys[] = {
	{"all", EG__COND_ALL, 0}, {"any", EG__COND_ANY, 0}, {"not", EG__COND_NOT, 0},
	{"classification", EG__COND_CLASSIFICATION, 0}, {"category", EG__COND_CATEGORY, 0},
	{"unlisted_category", EG__COND_UNLISTED, 0},
	{"destination_in", EG__COND_DESTINATION_IN, 0},
	{"destination_not_in", EG__COND_DESTINATION_IN, 0},
	{"end_use_flag", EG__COND_FLAG, 0}, {"date", EG__COND_DATE, 0},
	{"party", EG__COND_PARTY, 0},
	{"role", EG__COND_ROLE, 1}, {"type", EG__COND_TYPE, 1}, {"hit", EG__COND_HIT, 1},
};
#define N_COND_KEYS (sizeof(cond_keys) / sizeof(cond_keys[0]))

static int parse_leaf(eg__cond *c, const loader *ld, const json_t *o, const eg__jpath *p,
                      const char *key)
{
	switch (c->kind) {
	case EG__COND_CLASSIFICATION:
		return leaf_set(c, ld, o, p, key, is_classification,
		                "a classification of the item table");
	case EG__COND_CATEGORY: case EG__COND_UNLISTED:
		return leaf_set(c, ld, o, p, key, is_category, "a category of the item table");
	case EG__COND_FLAG:
		return leaf_set(c, ld, o, p, key, is_flag, "an end-use flag of the item table");
	case EG__COND_ROLE:
		return leaf_set(c, ld, o, p, key, is_role, "a party role");
	case EG__COND_TYPE:
		return leaf_set(c, ld, o, p, key, is_type, "a party type");
	case EG__COND_DESTINATION_IN:
		return leaf_list(c, ld, o, p, key);
	case EG__COND_DATE:
		return leaf_date(c, ld, o, p);
	case EG__COND_HIT:
		return leaf_hit(c, ld, o, p);
	default:
		return 0;
	}
}

/* "destination_not_in": L is read as not(destination_in: L); the node and
 * its child share the path. */
static int wrap_not(const eg__cond **out, const loader *ld, eg__cond *inner,
                    const eg__jpath *p)
{
	eg__cond *n = eg__arena_calloc(ld->jv.arena, 1, sizeof(*n));
	const eg__cond **kids = eg__arena_calloc(ld->jv.arena, 1, sizeof(*kids));

	if (n == NULL || kids == NULL)
		return eg__jv_fail(&ld->jv, EG_ENOMEM, p, "out of memory");
	n->kind = EG__COND_NOT;
	n->path = inner->path;
	kids[0] = inner;
	n->children = kids;
	n->n_children = 1;
	*out = n;
	return 0;
}

static int parse_cond(const eg__cond **out, const loader *ld, const json_t *o,
                      const eg__jpath *p, int depth, int in_party)
{
	const cond_key *ck = NULL;
	const char *key = NULL;
	eg__jpath pk;
	eg__cond *c;
	json_t *v = NULL;
	size_t i;
	int rc;

	if (depth > EG__POLICY_CAP_DEPTH)
		return eg__jv_fail(&ld->jv, EG_ETOOBIG, p, "conditions nested deeper than %d",
		                   EG__POLICY_CAP_DEPTH);
	if (!json_is_object(o) || json_object_size(o) != 1)
		return eg__jv_fail(&ld->jv, EG_EINVAL, p,
		                   "a condition is an object with exactly one key (all, any, not, "
		                   "classification, category, unlisted_category, destination_in, destination_not_in, "
		                   "end_use_flag, date, party, role, type, hit)");
	json_object_foreach((json_t *)o, key, v)
		break;
	for (i = 0; i < N_COND_KEYS; i++)
		if (strcmp(key, cond_keys[i].key) == 0)
			ck = &cond_keys[i];
	eg__jpath_key(&pk, p, key);
	if (ck == NULL)
		return eg__jv_fail(&ld->jv, EG_EINVAL, &pk, "unknown condition");
	if (ck->party_leaf && !in_party)
		return eg__jv_fail(&ld->jv, EG_EINVAL, &pk, "a party condition outside \"party\"");
	if (ck->kind == EG__COND_PARTY && in_party)
		return eg__jv_fail(&ld->jv, EG_EINVAL, &pk, "\"party\" inside \"party\"");
	c = eg__arena_calloc(ld->jv.arena, 1, sizeof(*c));
	if (c == NULL || (c->path = eg__arena_strdup(ld->jv.arena, pk.s)) == NULL)
		return eg__jv_fail(&ld->jv, EG_ENOMEM, p, "out of memory");
	c->kind = ck->kind;
	if (c->kind == EG__COND_ALL || c->kind == EG__COND_ANY || c->kind == EG__COND_NOT ||
	    c->kind == EG__COND_PARTY)
		rc = parse_children(c, ld, v, &pk, depth, in_party);
	else
		rc = parse_leaf(c, ld, o, p, key);
	if (rc != 0)
		return rc;
	*out = c;
	if (strcmp(key, "destination_not_in") == 0)
		return wrap_not(out, ld, c, p);
	return 0;
}

/* ---- rules and policies ---- */

static int parse_citation(eg__citation *ci, const loader *ld, const json_t *r,
                          const eg__jpath *p)
{
	static const char *const allowed[] = {"instrument", "article", "date", "url", NULL};
	const json_t *o = json_object_get(r, "citation");
	eg__jpath pc;
	int rc;

	eg__jpath_key(&pc, p, "citation");
	if (o == NULL)
		return eg__jv_fail(&ld->jv, EG_EINVAL, &pc, "missing: every rule is cited");
	if ((rc = eg__jv_object(&ld->jv, o, &pc, allowed)) != 0 ||
	    (rc = eg__jv_string(&ci->instrument, &ld->jv, o, &pc, "instrument", 1,
	                        EG__POLICY_CAP_TEXT_BYTES)) != 0 ||
	    (rc = eg__jv_string(&ci->article, &ld->jv, o, &pc, "article", 1,
	                        EG__POLICY_CAP_TEXT_BYTES)) != 0 ||
	    (rc = eg__jv_date(ci->date, &ld->jv, o, &pc, "date", 1)) != 0)
		return rc;
	return eg__jv_string(&ci->url, &ld->jv, o, &pc, "url", 0, EG__POLICY_CAP_TEXT_BYTES);
}

static int parse_rule(eg__rule *ru, const loader *ld, const json_t *r, const eg__jpath *p)
{
	static const char *const allowed[] = {"id", "outcome", "message", "citation", "when",
		"otherwise", "unverified", "unverified_reason", "notes", NULL};
	const char *outcome, *notes;
	eg__jpath pk;
	int rc, oc;

	if ((rc = eg__jv_object(&ld->jv, r, p, allowed)) != 0 ||
	    (rc = eg__jv_string(&ru->id, &ld->jv, r, p, "id", 1, EG__POLICY_CAP_ID_BYTES)) != 0 ||
	    (rc = eg__jv_string(&outcome, &ld->jv, r, p, "outcome", 1, EG__POLICY_CAP_ID_BYTES)) != 0)
		return rc;
	if ((oc = eg__outcome_parse(outcome)) < 0) {
		eg__jpath_key(&pk, p, "outcome");
		return eg__jv_fail(&ld->jv, EG_EINVAL, &pk,
		                   "\"%s\" is not an outcome (allow, review, licence_required, deny)",
		                   outcome);
	}
	ru->outcome = (eg__outcome)oc;
	if ((rc = eg__jv_string(&ru->message, &ld->jv, r, p, "message", 1,
	                        EG__POLICY_CAP_TEXT_BYTES)) != 0 ||
	    (rc = parse_citation(&ru->citation, ld, r, p)) != 0 ||
	    (rc = eg__jv_bool(&ru->otherwise, &ld->jv, r, p, "otherwise", 0)) != 0 ||
	    (rc = eg__jv_bool(&ru->unverified, &ld->jv, r, p, "unverified", 0)) != 0 ||
	    (rc = eg__jv_string(&ru->unverified_reason, &ld->jv, r, p, "unverified_reason",
	                        ru->unverified, EG__POLICY_CAP_TEXT_BYTES)) != 0 ||
	    (rc = eg__jv_string(&notes, &ld->jv, r, p, "notes", 0, EG__POLICY_CAP_TEXT_BYTES)) != 0)
		return rc;
	if (!ru->unverified && ru->unverified_reason != NULL) {
		eg__jpath_key(&pk, p, "unverified_reason");
		return eg__jv_fail(&ld->jv, EG_EINVAL, &pk, "given but \"unverified\" is not true");
	}
	eg__jpath_key(&pk, p, "when");
	if (json_object_get(r, "when") == NULL)
		return eg__jv_fail(&ld->jv, EG_EINVAL, &pk, "missing");
	return parse_cond(&ru->when, ld, json_object_get(r, "when"), &pk, 0, 0);
}

static int parse_rules(eg__policy *po, const loader *ld, const json_t *root)
{
	const json_t *arr = json_object_get(root, "rules");
	eg__rule *rules;
	eg__jpath p, pi;
	size_t i, j, n;
	int rc;

	eg__jpath_key(&p, NULL, "rules");
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return eg__jv_fail(&ld->jv, EG_EINVAL, &p, arr ? "not a non-empty array" : "missing");
	n = json_array_size(arr);
	if (n > EG__POLICY_CAP_RULES)
		return eg__jv_fail(&ld->jv, EG_ETOOBIG, &p, "%zu rules, more than the cap of %d", n,
		                   EG__POLICY_CAP_RULES);
	rules = eg__arena_calloc(ld->jv.arena, n, sizeof(*rules));
	if (rules == NULL)
		return eg__jv_fail(&ld->jv, EG_ENOMEM, &p, "out of memory");
	for (i = 0; i < n; i++) {
		eg__jpath_idx(&pi, &p, i);
		if ((rc = parse_rule(&rules[i], ld, json_array_get(arr, i), &pi)) != 0)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(rules[j].id, rules[i].id) == 0)
				return eg__jv_fail(&ld->jv, EG_EINVAL, &pi, "rule id \"%s\" used twice",
				                   rules[i].id);
	}
	po->rules = rules;
	po->n_rules = n;
	return 0;
}

static int parse_policy(eg__policy *po, const loader *ld, const json_t *root, const char *name)
{
	static const char *const allowed[] = {"policy", "version", "title", "description",
		"exporter_countries", "rules", "notes", NULL};
	const char *s, **ex;
	eg__jpath p, pi;
	size_t i;
	int rc;

	if ((rc = eg__jv_object(&ld->jv, root, NULL, allowed)) != 0 ||
	    (rc = eg__jv_string(&po->id, &ld->jv, root, NULL, "policy", 1,
	                        EG__POLICY_CAP_ID_BYTES)) != 0)
		return rc;
	if (strcmp(po->id, name) != 0) {
		eg__jpath_key(&p, NULL, "policy");
		return eg__jv_fail(&ld->jv, EG_EINVAL, &p, "\"%s\" is not the file's name \"%s\"",
		                   po->id, name);
	}
	if ((rc = eg__jv_string(&po->version, &ld->jv, root, NULL, "version", 1,
	                        EG__POLICY_CAP_ID_BYTES)) != 0 ||
	    (rc = eg__jv_string(&po->title, &ld->jv, root, NULL, "title", 1,
	                        EG__POLICY_CAP_TEXT_BYTES)) != 0 ||
	    (rc = eg__jv_string(&s, &ld->jv, root, NULL, "description", 0,
	                        EG__POLICY_CAP_TEXT_BYTES * 4)) != 0 ||
	    (rc = eg__jv_string(&s, &ld->jv, root, NULL, "notes", 0,
	                        EG__POLICY_CAP_TEXT_BYTES * 4)) != 0 ||
	    (rc = eg__jv_strings(&ex, &po->n_exporter_countries, &ld->jv, root, NULL,
	                         "exporter_countries", 1, 1, EG__POLICY_CAP_SET, 2)) != 0)
		return rc;
	eg__jpath_key(&p, NULL, "exporter_countries");
	for (i = 0; i < po->n_exporter_countries; i++) {
		if (!eg__countries_iso_has(ld->iso, ex[i], strlen(ex[i]))) {
			eg__jpath_idx(&pi, &p, i);
			return eg__jv_fail(&ld->jv, EG_EINVAL, &pi,
			                   "\"%s\" is not an ISO 3166-1 alpha-2 country code", ex[i]);
		}
	}
	po->exporter_countries = ex;
	return parse_rules(po, ld, root);
}

static int set_insert(eg__policy_set *set, const eg__policy *po, eg_error *err)
{
	size_t at = 0;

	while (at < set->n && strcmp(set->policies[at].id, po->id) < 0)
		at++;
	if (at < set->n && strcmp(set->policies[at].id, po->id) == 0)
		return eg__error_set(err, EG_EEXISTS, "%s: policy \"%s\" already loaded", po->file,
		                     po->id);
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 8;
		eg__policy *np = eg__realloc(set->policies, cap * sizeof(*np));

		if (np == NULL)
			return eg__error_set(err, EG_ENOMEM, "%s: out of memory", po->file);
		set->policies = np;
		set->cap = cap;
	}
	memmove(&set->policies[at + 1], &set->policies[at], (set->n - at) * sizeof(*po));
	set->policies[at] = *po;
	set->n++;
	return 0;
}

/* Parses into set; where names the input in messages (a path or name). */
static int parse_into(eg__policy_set *set, const char *data, size_t len, const char *where,
                      const char *name, const eg__items *items, const eg__iso_codes *iso,
                      const eg__country_lists *lists, eg_error *err)
{
	loader ld;
	eg__policy po;
	json_t *root = NULL;
	int rc;

	memset(&po, 0, sizeof(po));
	ld.jv.where = where;
	ld.jv.arena = &set->arena;
	ld.jv.err = err;
	ld.items = items;
	ld.iso = iso;
	ld.lists = lists;
	if ((rc = eg__jv_parse(&root, &ld.jv, data, len, EG__POLICY_CAP_FILE_BYTES)) == 0 &&
	    (rc = parse_policy(&po, &ld, root, name)) == 0) {
		po.file = eg__arena_strdup(&set->arena, where);
		rc = po.file ? set_insert(set, &po, err)
		             : eg__error_set(err, EG_ENOMEM, "%s: out of memory", where);
	}
	json_decref(root);
	return rc;
}

int eg__policy_parse_mem(eg__policy_set **set, const char *data, size_t len, const char *name,
                         const eg__items *items, const eg__iso_codes *iso,
                         const eg__country_lists *lists, eg_error *err)
{
	eg__policy_set *fresh = NULL;
	int rc;

	if (*set == NULL && (fresh = set_new()) == NULL)
		return eg__error_set(err, EG_ENOMEM, "%s: out of memory", name);
	rc = parse_into(fresh ? fresh : *set, data, len, name, name, items, iso, lists, err);
	if (fresh != NULL) {
		if (rc == 0)
			*set = fresh;
		else
			eg__policy_set_free(fresh);
	}
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The *.json names of dir, sorted, in a new array of n eg__strdup'd names. */
static int list_dir(char ***out, size_t *n, const char *dir, eg_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (d == NULL)
		return eg__error_set(err, errno == ENOENT ? EG_ENOTFOUND : EG_EIO,
		                     "%s: cannot open directory: %s", dir, strerror(errno));
	names = eg__calloc(EG__POLICY_CAP_FILES, sizeof(*names));
	if (names == NULL)
		rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", dir);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);

		if (de->d_name[0] == '.' || nl <= 5 || strcmp(de->d_name + nl - 5, ".json") != 0)
			continue;
		if (*n == EG__POLICY_CAP_FILES)
			rc = eg__error_set(err, EG_ETOOBIG, "%s: more than %d policy files", dir,
			                   EG__POLICY_CAP_FILES);
		else if ((names[*n] = eg__strdup(de->d_name)) == NULL)
			rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", dir);
		else
			(*n)++;
	}
	closedir(d);
	if (names != NULL)
		qsort(names, *n, sizeof(*names), name_cmp);
	*out = names;
	return rc;
}

int eg__policy_set_load_dir(eg__policy_set **out, const char *dir, const eg__items *items,
                            const eg__iso_codes *iso, const eg__country_lists *lists,
                            eg_error *err)
{
	eg__policy_set *set = NULL;
	char **names = NULL, *path = NULL, *data = NULL;
	size_t n = 0, i, len;
	int rc;

	if ((rc = list_dir(&names, &n, dir, err)) != 0)
		goto done;
	if (n == 0) {
		rc = eg__error_set(err, EG_ENOTFOUND, "%s: no policy files (*.json)", dir);
		goto done;
	}
	if ((set = set_new()) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", dir);
		goto done;
	}
	for (i = 0; i < n && rc == 0; i++) {
		size_t pl = strlen(dir) + strlen(names[i]) + 2;

		eg__free(path);
		eg__free(data);
		data = NULL;
		if ((path = eg__malloc(pl)) == NULL) {
			rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", dir);
			break;
		}
		snprintf(path, pl, "%s/%s", dir, names[i]);
		names[i][strlen(names[i]) - 5] = '\0'; /* the policy id */
		if ((rc = eg__jv_read_file(&data, &len, path, EG__POLICY_CAP_FILE_BYTES, err)) == 0)
			rc = parse_into(set, data, len, path, names[i], items, iso, lists, err);
	}
	if (rc == 0) {
		*out = set;
		set = NULL;
	}
done:
	for (i = 0; names != NULL && i < n; i++)
		eg__free(names[i]);
	eg__free(names);
	eg__free(path);
	eg__free(data);
	eg__policy_set_free(set);
	return rc;
}

size_t eg__policy_set_count(const eg__policy_set *set)
{
	return set ? set->n : 0;
}

const eg__policy *eg__policy_set_at(const eg__policy_set *set, size_t i)
{
	return set != NULL && i < set->n ? &set->policies[i] : NULL;
}

const eg__policy *eg__policy_set_find(const eg__policy_set *set, const char *id)
{
	size_t i;

	for (i = 0; set != NULL && i < set->n; i++)
		if (strcmp(set->policies[i].id, id) == 0)
			return &set->policies[i];
	return NULL;
}

int eg__policy_for_exporter(const eg__policy *p, const char *country)
{
	return eg__jv_in(country, p->exporter_countries, p->n_exporter_countries);
}
