/* eval.c - the deal evaluator (see eval.h, docs/policies.md).
 *
 * Values are three-valued: T (1), F (0), U (-1, unknown). Every leaf
 * appends what it observed to an evidence array; a combinator keeps the
 * evidence of the children whose value equals its own, so a reason shows
 * what made its condition true (or unknown) and nothing else. Unknown
 * observations carry a "note" saying what is not known; an undecided
 * rule's message quotes them.
 *
 * Evidence is made only where it is kept: a condition is first evaluated
 * for its value alone (evid NULL), then, if its evidence is wanted (a rule
 * that applies, a child whose value is its parent's), again with an array
 * to append to. Leaves are cheap and their answers cached (screening per
 * party, country lists per decision), so the second walk costs little; the
 * JSON of the evidence thrown away, most of it, cost a decision more than
 * its whole evaluation otherwise. */
#include "eval.h"
#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define T 1
#define F 0
#define U (-1)

#define CAP_MESSAGE_BYTES 8192 /* one reason's message */
#define CAP_MEMBER_CACHE  256  /* (list, code) pairs asked in one decision */

typedef struct member_ans {
	const char *list;
	int answer;          /* T, F or U */
	char effective[11];  /* "" when no version is in force */
	const char *note;    /* why unknown, or NULL */
} member_ans;

typedef struct decision_block {
	eg__policy_decision pub;
	eg__arena arena;
	eg__policy_reason *reasons; size_t n_reasons, cap_reasons;
	eg__policy_used *used;      size_t n_used;
} decision_block;

typedef struct ev {
	const eg__deal *deal;
	const eg__policy_ctx *ctx;
	eg_error *err;
	decision_block *db;
	eg__policy_hits *hits;  /* per party */
	int *screened;          /* per party */
	member_ans members[CAP_MEMBER_CACHE];
	size_t n_members;
} ev;

/* ---- hits ---- */

static const char *dup_or_null(eg__arena *a, const char *s, int *fail)
{
	const char *d;

	if (s == NULL)
		return NULL;
	if ((d = eg__arena_strdup(a, s)) == NULL)
		*fail = 1;
	return d;
}

int eg__policy_hits_add(eg__policy_hits *hits, const eg__policy_hit *h, eg_error *err)
{
	eg__policy_hit c = *h;
	int fail = 0;

	if (hits->n == EG__POLICY_CAP_HITS)
		return eg__error_set(err, EG_ETOOBIG, "more than %d hits for one party",
		                     EG__POLICY_CAP_HITS);
	if (hits->n == hits->cap) {
		eg__policy_hit *g = eg__arena_grow(hits->arena, hits->hits, hits->n, &hits->cap,
		                                   sizeof(*g));
		if (g == NULL)
			return eg__error_set(err, EG_ENOMEM, "out of memory");
		hits->hits = g;
	}
	c.source = dup_or_null(hits->arena, h->source, &fail);
	c.published = dup_or_null(hits->arena, h->published, &fail);
	c.uid = dup_or_null(hits->arena, h->uid, &fail);
	c.primary_name = dup_or_null(hits->arena, h->primary_name, &fail);
	c.matched_name = dup_or_null(hits->arena, h->matched_name, &fail);
	c.listed_on = dup_or_null(hits->arena, h->listed_on, &fail);
	c.licence_policy = dup_or_null(hits->arena, h->licence_policy, &fail);
	c.list_name = dup_or_null(hits->arena, h->list_name, &fail);
	if (fail)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	hits->hits[hits->n++] = c;
	return 0;
}

/* ---- evidence ---- */

static json_t *jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* json_pack's objects without its format read at every call (it cost a
 * decision a tenth of its instructions): o with the member key (a literal
 * of this file) = v, stolen. A NULL v (out of memory, or text that is not
 * UTF-8) frees o and gives NULL, as json_pack fails; a NULL o stays NULL. */
static json_t *set(json_t *o, const char *key, json_t *v)
{
	if (o == NULL || v == NULL) {
		json_decref(o);
		json_decref(v);
		return NULL;
	}
	if (json_object_set_new_nocheck(o, key, v) != 0) { /* v freed by it */
		json_decref(o);
		return NULL;
	}
	return o;
}

static const char *answer_name(int answer)
{
	return answer == T ? "yes" : answer == F ? "no" : "unknown";
}

/* Appends obj (stolen) to arr; EG_ENOMEM when obj is NULL or it fails. */
static int push(ev *e, json_t *arr, json_t *obj)
{
	if (obj == NULL || json_array_append_new(arr, obj) != 0)
		return eg__error_set(e->err, EG_ENOMEM, "out of memory");
	return 0;
}

static int extend(ev *e, json_t *arr, json_t *from)
{
	if (json_array_extend(arr, from) != 0)
		return eg__error_set(e->err, EG_ENOMEM, "out of memory");
	return 0;
}

/* ---- leaves ---- */

static int in_set(const eg__cond *c, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < c->n_set; i++)
		if (strcmp(c->set[i], s) == 0)
			return 1;
	return 0;
}

static int eval_items(ev *e, const eg__cond *c, int *val, json_t *evid)
{
	size_t i, k;
	json_t *o;
	int rc;

	*val = F;
	for (i = 0; i < e->deal->n_items; i++) {
		const eg__deal_item *it = &e->deal->items[i];
		const char *matched = NULL;

		int by_category = c->kind == EG__COND_CATEGORY ||
		                  (c->kind == EG__COND_UNLISTED && it->classification == NULL);

		if (c->kind == EG__COND_CLASSIFICATION && in_set(c, it->classification))
			matched = it->classification;
		for (k = 0; by_category && matched == NULL && k < it->n_categories; k++)
			if (in_set(c, it->categories[k]))
				matched = it->categories[k];
		if (matched == NULL)
			continue;
		*val = T;
		if (evid == NULL)
			return 0;
		o = set(json_object(), "kind", json_string("item"));
		o = set(o, "item", json_integer((json_int_t)i));
		o = set(o, "classification", jstr(it->classification));
		o = set(o, c->kind == EG__COND_CLASSIFICATION ? "matched" : "category",
		        json_string(matched));
		rc = push(e, evid, o);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int eval_flag(ev *e, const eg__cond *c, int *val, json_t *evid)
{
	size_t i;
	int rc;

	*val = F;
	for (i = 0; i < e->deal->n_flags; i++) {
		if (!in_set(c, e->deal->flags[i]))
			continue;
		*val = T;
		if (evid == NULL)
			return 0;
		if ((rc = push(e, evid, set(set(json_object(), "kind", json_string("end_use_flag")),
		                                "flag", json_string(e->deal->flags[i])))) != 0)
			return rc;
	}
	return 0;
}

static int eval_date(ev *e, const eg__cond *c, int *val, json_t *evid)
{
	const char *d = e->deal->date;
	json_t *o;

	*val = (c->from[0] == '\0' || strcmp(c->from, d) <= 0) &&
	       (c->before[0] == '\0' || strcmp(d, c->before) < 0) ? T : F;
	if (evid == NULL)
		return 0;
	o = set(json_object(), "kind", json_string("date"));
	o = set(o, "date", json_string(d));
	o = set(o, "from", jstr(c->from[0] ? c->from : NULL));
	o = set(o, "before", jstr(c->before[0] ? c->before : NULL));
	return push(e, evid, o);
}

/* The membership of the destination in list, asked once per decision. */
static int member(ev *e, const char *list, const member_ans **out)
{
	member_ans *m;
	eg_error merr;
	json_t *o;
	char eff[11] = "";
	int answer = -1, rc;
	size_t i;

	for (i = 0; i < e->n_members; i++)
		if (strcmp(e->members[i].list, list) == 0) {
			*out = &e->members[i];
			return 0;
		}
	if (e->n_members == CAP_MEMBER_CACHE)
		return eg__error_set(e->err, EG_ETOOBIG, "more than %d country lists asked",
		                     CAP_MEMBER_CACHE);
	memset(&merr, 0, sizeof(merr));
	m = &e->members[e->n_members];
	memset(m, 0, sizeof(*m));
	m->list = list;
	rc = e->ctx->member(e->ctx->ud, list, e->deal->destination, e->deal->date, &answer, eff,
	                    &merr);
	if (rc == EG_ENOTFOUND) {
		m->answer = U;
		m->note = eg__arena_strdup(&e->db->arena, merr.message[0] ? merr.message
		                                            : "no version in force on the deal date");
	} else if (rc != 0) {
		*e->err = merr;
		return eg__error_prefix(e->err, "country list %s: ", list);
	} else {
		m->answer = answer == 1 ? T : answer == 0 ? F : U;
		memcpy(m->effective, eff, 10);
		m->effective[10] = '\0';
		if (m->answer == U) {
			char note[256];

			snprintf(note, sizeof(note),
			         "country list %s (version in force from %s) does not know whether %s is a member",
			         list, m->effective, e->deal->destination);
			m->note = eg__arena_strdup(&e->db->arena, note);
		}
	}
	if (m->answer == U && m->note == NULL)
		return eg__error_set(e->err, EG_ENOMEM, "out of memory");
	e->n_members++;
	o = set(json_object(), "list", json_string(list));
	o = set(o, "code", json_string(e->deal->destination));
	o = set(o, "effective", jstr(m->effective[0] ? m->effective : NULL));
	o = set(o, "answer", json_string(answer_name(m->answer)));
	if (o == NULL || json_array_append_new(e->db->pub.country_lists, o) != 0)
		return eg__error_set(e->err, EG_ENOMEM, "out of memory");
	*out = m;
	return 0;
}

static int eval_destination(ev *e, const eg__cond *c, int *val, json_t *evid)
{
	const member_ans *m;
	json_t *o;
	int rc;

	if ((rc = member(e, c->list, &m)) != 0)
		return rc;
	*val = m->answer;
	if (evid == NULL)
		return 0;
	o = set(json_object(), "kind", json_string("country_list"));
	o = set(o, "list", json_string(c->list));
	o = set(o, "code", json_string(e->deal->destination));
	o = set(o, "effective", jstr(m->effective[0] ? m->effective : NULL));
	o = set(o, "answer", json_string(answer_name(m->answer)));
	if (m->note != NULL)
		o = set(o, "note", json_string(m->note));
	return push(e, evid, o);
}

/* Case-insensitive: does hay contain needle? */
static int contains_ci(const char *hay, const char *needle)
{
	size_t i, n = strlen(needle);

	for (; hay != NULL && *hay != '\0'; hay++) {
		for (i = 0; i < n && hay[i] != '\0'; i++)
			if (tolower((unsigned char)hay[i]) != tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return 1;
	}
	return n == 0;
}

/* T, F or U for one hit against the hit condition; *note set when U. */
static int hit_meets(const ev *e, const eg__hit_cond *hc, const eg__policy_hit *h,
                     const char **note)
{
	size_t i;
	int ok;

	*note = NULL;
	for (ok = hc->n_sources == 0, i = 0; !ok && i < hc->n_sources; i++)
		ok = h->source != NULL && strcmp(h->source, hc->sources[i]) == 0;
	if (!ok)
		return F;
	for (ok = hc->n_lists == 0, i = 0; !ok && i < hc->n_lists; i++)
		ok = contains_ci(h->list_name, hc->lists[i]);
	if (!ok || h->score < hc->min_score || h->score >= hc->below_score)
		return F;
	if (hc->licence_policy != NULL && !contains_ci(h->licence_policy, hc->licence_policy))
		return F;
	if (!hc->listed_by_deal_date)
		return T;
	if (h->listed_on == NULL || h->listed_on[0] == '\0') {
		*note = "the listing's start date is not known";
		return U;
	}
	return strcmp(h->listed_on, e->deal->date) <= 0 ? T : F;
}

static int screen_party(ev *e, size_t p)
{
	const eg__deal_party *pa = &e->deal->parties[p];
	int rc;

	if (e->screened[p])
		return 0;
	rc = e->ctx->screen(e->ctx->ud, pa->name, pa->country, e->deal->date, &e->hits[p], e->err);
	if (rc != 0)
		return eg__error_prefix(e->err, "screening $.parties[%zu]: ", p);
	e->screened[p] = 1;
	return 0;
}

static json_t *hit_evidence(const ev *e, size_t p, const eg__policy_hit *h, const char *note)
{
	const eg__deal_party *pa = &e->deal->parties[p];
	json_t *o = set(json_object(), "kind", json_string("screening"));

	o = set(o, "party", json_integer((json_int_t)p));
	o = set(o, "party_name", json_string(pa->name));
	o = set(o, "role", json_string(pa->role));
	o = set(o, "source", jstr(h->source));
	o = set(o, "list_version", json_integer((json_int_t)h->version_id));
	o = set(o, "published", jstr(h->published));
	o = set(o, "list", jstr(h->list_name));
	o = set(o, "uid", jstr(h->uid));
	o = set(o, "primary_name", jstr(h->primary_name));
	o = set(o, "matched_name", jstr(h->matched_name));
	o = set(o, "score", json_real(h->score));
	o = set(o, "listed_on", jstr(h->listed_on));
	o = set(o, "licence_policy", jstr(h->licence_policy));
	if (note != NULL)
		o = set(o, "note", json_string(note));
	return o;
}

static int eval_hit(ev *e, const eg__cond *c, size_t p, int *val, json_t *evid)
{
	const eg__policy_hits *hs;
	size_t i;
	int rc, v;
	json_t *unknown = NULL;

	*val = F;
	if ((rc = screen_party(e, p)) != 0)
		return rc;
	hs = &e->hits[p];
	if (evid == NULL) {
		for (i = 0; *val != T && i < hs->n; i++) {
			const char *note;
			v = hit_meets(e, &c->hit, &hs->hits[i], &note);
			*val = v == T ? T : v == U ? U : *val;
		}
		return 0;
	}
	if ((unknown = json_array()) == NULL)
		return eg__error_set(e->err, EG_ENOMEM, "out of memory");
	for (i = 0; i < hs->n; i++) {
		const char *note;

		v = hit_meets(e, &c->hit, &hs->hits[i], &note);
		if (v == F)
			continue;
		if (v == T)
			*val = T;
		else if (*val == F)
			*val = U;
		rc = push(e, v == T ? evid : unknown, hit_evidence(e, p, &hs->hits[i], note));
		if (rc != 0)
			goto done;
	}
	if (*val == U)
		rc = extend(e, evid, unknown);
done:
	json_decref(unknown);
	return rc;
}

static int eval_party_field(ev *e, const eg__cond *c, size_t p, int *val, json_t *evid)
{
	const eg__deal_party *pa = &e->deal->parties[p];
	const char *field = c->kind == EG__COND_ROLE ? "role" : "type";
	const char *value = c->kind == EG__COND_ROLE ? pa->role : pa->type;
	json_t *o;

	*val = in_set(c, value) ? T : F;
	if (evid == NULL)
		return 0;
	o = set(json_object(), "kind", json_string("party"));
	o = set(o, "party", json_integer((json_int_t)p));
	o = set(o, "party_name", json_string(pa->name));
	o = set(o, field, json_string(value));
	return push(e, evid, o);
}

/* ---- combinators ---- */

static int eval_cond(ev *e, const eg__cond *c, long party, int *val, json_t *evid);

/* all / any / not over children, or "party": any over the deal's parties.
 * The children's values first, without evidence; then the evidence of
 * those that give the value (every child of a "not"), when it is wanted. */
static int eval_many(ev *e, const eg__cond *c, long party, int *val, json_t *evid)
{
	size_t n = c->kind == EG__COND_PARTY ? e->deal->n_parties : c->n_children, i;
	int stack[16], *kid_val = n <= 16 ? stack : eg__calloc(n, sizeof(*kid_val));
	int rc = 0, any_u = 0, any_t = 0, any_f = 0, again;

	if (kid_val == NULL)
		return eg__error_set(e->err, EG_ENOMEM, "out of memory");
	for (i = 0; i < n && rc == 0; i++) {
		if (c->kind == EG__COND_PARTY)
			rc = eval_cond(e, c->children[0], (long)i, &kid_val[i], NULL);
		else
			rc = eval_cond(e, c->children[i], party, &kid_val[i], NULL);
		any_t |= kid_val[i] == T;
		any_f |= kid_val[i] == F;
		any_u |= kid_val[i] == U;
	}
	if (rc != 0)
		goto done;
	if (c->kind == EG__COND_ALL)
		*val = any_f ? F : any_u ? U : T;
	else if (c->kind == EG__COND_NOT)
		*val = kid_val[0] == U ? U : kid_val[0] == T ? F : T;
	else
		*val = any_t ? T : any_u ? U : F;
	for (i = 0; evid != NULL && i < n && rc == 0; i++) {
		if (c->kind != EG__COND_NOT && kid_val[i] != *val)
			continue;
		if (c->kind == EG__COND_PARTY)
			rc = eval_cond(e, c->children[0], (long)i, &again, evid);
		else
			rc = eval_cond(e, c->children[i], party, &again, evid);
	}
done:
	if (kid_val != stack)
		eg__free(kid_val);
	return rc;
}

static int eval_cond(ev *e, const eg__cond *c, long party, int *val, json_t *evid)
{
	switch (c->kind) {
	case EG__COND_ALL: case EG__COND_ANY: case EG__COND_NOT: case EG__COND_PARTY:
		return eval_many(e, c, party, val, evid);
	case EG__COND_CLASSIFICATION: case EG__COND_CATEGORY: case EG__COND_UNLISTED:
		return eval_items(e, c, val, evid);
	case EG__COND_FLAG:
		return eval_flag(e, c, val, evid);
	case EG__COND_DATE:
		return eval_date(e, c, val, evid);
	case EG__COND_DESTINATION_IN:
		return eval_destination(e, c, val, evid);
	case EG__COND_ROLE: case EG__COND_TYPE:
		return eval_party_field(e, c, (size_t)party, val, evid);
	case EG__COND_HIT:
		return eval_hit(e, c, (size_t)party, val, evid);
	}
	return eg__error_set(e->err, EG_EINVAL, "%s: unknown condition kind", c->path);
}

/* ---- reasons ---- */

static int add_reason(ev *e, const eg__policy_reason *r)
{
	decision_block *db = e->db;

	if (db->n_reasons == db->cap_reasons) {
		eg__policy_reason *g = eg__arena_grow(&db->arena, db->reasons, db->n_reasons,
		                                      &db->cap_reasons, sizeof(*g));
		if (g == NULL)
			return eg__error_set(e->err, EG_ENOMEM, "out of memory");
		db->reasons = g;
	}
	db->reasons[db->n_reasons++] = *r;
	if (r->outcome > db->pub.outcome)
		db->pub.outcome = r->outcome;
	return 0;
}

/* The message of a rule's reason: its own, or for an undecided rule what
 * was not known, then the unverified mark. */
static int rule_message(ev *e, const eg__rule *ru, int undecided, const json_t *evid,
                        const char **out)
{
	eg__buf b;
	size_t i, notes = 0;
	int rc = 0;

	eg__buf_init(&b, CAP_MESSAGE_BYTES);
	if (undecided) {
		rc = eg__buf_printf(&b, "Cannot tell whether this rule (%s: %s) applies: ",
		                    eg__outcome_name(ru->outcome), ru->message);
		for (i = 0; rc == 0 && i < json_array_size(evid); i++) {
			const char *note = json_string_value(json_object_get(json_array_get(evid, i),
			                                                     "note"));
			if (note != NULL)
				rc = eg__buf_printf(&b, "%s%s", notes++ ? "; " : "", note);
		}
		if (rc == 0)
			rc = eg__buf_adds(&b, ". Review needed: no guess is made.");
	} else {
		rc = eg__buf_adds(&b, ru->message);
	}
	if (rc == 0 && ru->unverified)
		rc = eg__buf_printf(&b, " [Unverified: %s]", ru->unverified_reason);
	if (rc == 0 && (*out = eg__arena_strdup(&e->db->arena, eg__buf_str(&b))) == NULL)
		rc = EG_ENOMEM;
	eg__buf_free(&b);
	return rc != 0 ? eg__error_set(e->err, rc, "rule %s: message: %s", ru->id,
	                               rc == EG_ETOOBIG ? "too long" : "out of memory")
	               : 0;
}

static int eval_policy(ev *e, const eg__policy *po)
{
	size_t i;
	int applied = 0, rc = 0, val;

	for (i = 0; i < po->n_rules && rc == 0; i++) {
		const eg__rule *ru = &po->rules[i];
		eg__policy_reason r;
		json_t *evid;

		if (ru->otherwise && applied)
			continue;
		/* the value, then the evidence of a rule that applies */
		rc = eval_cond(e, ru->when, -1, &val, NULL);
		if (rc == 0 && val != F) {
			if ((evid = json_array()) == NULL)
				return eg__error_set(e->err, EG_ENOMEM, "out of memory");
			if ((rc = eval_cond(e, ru->when, -1, &val, evid)) != 0)
				json_decref(evid);
		}
		if (rc != 0 || val == F) {
			if (rc != 0)
				eg__error_prefix(e->err, "%s: rule %s: ", po->file, ru->id);
			continue;
		}
		applied = 1;
		memset(&r, 0, sizeof(r));
		r.policy = po->id;
		r.policy_version = po->version;
		r.rule = ru->id;
		r.undecided = val == U;
		r.outcome = val == U ? EG__OUTCOME_REVIEW : ru->outcome;
		r.citation = &ru->citation;
		r.unverified = ru->unverified;
		r.evidence = evid;
		if ((rc = rule_message(e, ru, r.undecided, evid, &r.message)) != 0 ||
		    (rc = add_reason(e, &r)) != 0)
			json_decref(evid);
	}
	return rc;
}

/* A reason of the evaluator itself (no policy, no rule of one). */
static int own_reason(ev *e, eg__outcome oc, const char *rule, const char *message)
{
	eg__policy_reason r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.policy = "";
	r.policy_version = "";
	r.rule = rule;
	r.outcome = oc;
	r.message = eg__arena_strdup(&e->db->arena, message);
	r.evidence = json_array();
	if (r.message == NULL || r.evidence == NULL) {
		json_decref(r.evidence);
		return eg__error_set(e->err, EG_ENOMEM, "out of memory");
	}
	if ((rc = add_reason(e, &r)) != 0)
		json_decref(r.evidence);
	return rc;
}

/* The policies to apply, in *chosen (n_chosen). */
static int choose(ev *e, const eg__policy_set *set, const eg__policy **chosen, size_t *n)
{
	const eg__deal *d = e->deal;
	size_t i;

	*n = 0;
	if (d->n_policies > 0) {
		for (i = 0; i < d->n_policies; i++) {
			if ((chosen[i] = eg__policy_set_find(set, d->policies[i])) == NULL)
				return eg__error_set(e->err, EG_EINVAL,
				                     "deal: $.policies[%zu]: \"%s\" is not a loaded policy",
				                     i, d->policies[i]);
		}
		*n = d->n_policies;
		return 0;
	}
	for (i = 0; i < eg__policy_set_count(set); i++)
		if (eg__policy_for_exporter(eg__policy_set_at(set, i), d->exporter_country))
			chosen[(*n)++] = eg__policy_set_at(set, i);
	return 0;
}

static int decide(ev *e, const eg__policy_set *set)
{
	size_t n_set = eg__policy_set_count(set), n = 0, i;
	const eg__policy **chosen = eg__calloc(n_set + e->deal->n_policies + 1, sizeof(*chosen));
	char msg[512];
	int rc;

	if (chosen == NULL)
		return eg__error_set(e->err, EG_ENOMEM, "out of memory");
	if ((rc = choose(e, set, chosen, &n)) != 0)
		goto done;
	e->db->used = eg__arena_calloc(&e->db->arena, n + 1, sizeof(*e->db->used));
	if (e->db->used == NULL) {
		rc = eg__error_set(e->err, EG_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < n && rc == 0; i++) {
		e->db->used[i].id = chosen[i]->id;
		e->db->used[i].version = chosen[i]->version;
		e->db->n_used = i + 1;
		rc = eval_policy(e, chosen[i]);
	}
	if (rc == 0 && n == 0) {
		snprintf(msg, sizeof(msg), "No loaded policy applies to exporter country %s and the "
		         "deal names none: the deal cannot be decided automatically.",
		         e->deal->exporter_country);
		rc = own_reason(e, EG__OUTCOME_REVIEW, "no-policy", msg);
	} else if (rc == 0 && e->db->n_reasons == 0) {
		rc = own_reason(e, EG__OUTCOME_ALLOW, "no-rule-applied",
		                "No rule of the applied policies concerns this deal.");
	}
done:
	eg__free(chosen);
	return rc;
}

void eg__policy_decision_free(eg__policy_decision *d)
{
	decision_block *db = (decision_block *)d;
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->n_reasons; i++)
		json_decref(db->reasons[i].evidence);
	json_decref(db->pub.country_lists);
	eg__arena_clear(&db->arena);
	eg__free(db);
}

int eg__policy_decide(eg__policy_decision **out, const eg__policy_set *set,
                      const eg__deal *deal, const eg__policy_ctx *ctx, eg_error *err)
{
	decision_block *db;
	ev *e;
	size_t i;
	int rc;

	*out = NULL;
	db = eg__calloc(1, sizeof(*db));
	e = eg__calloc(1, sizeof(*e));
	if (db == NULL || e == NULL) {
		eg__free(db);
		eg__free(e);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	eg__arena_init(&db->arena, 8192);
	db->pub.outcome = EG__OUTCOME_ALLOW;
	db->pub.country_lists = json_array();
	e->deal = deal;
	e->ctx = ctx;
	e->err = err;
	e->db = db;
	e->hits = eg__arena_calloc(&db->arena, deal->n_parties, sizeof(*e->hits));
	e->screened = eg__arena_calloc(&db->arena, deal->n_parties, sizeof(*e->screened));
	if (db->pub.country_lists == NULL || e->hits == NULL || e->screened == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < deal->n_parties; i++)
		e->hits[i].arena = &db->arena;
	rc = decide(e, set);
done:
	db->pub.reasons = db->reasons;
	db->pub.n_reasons = db->n_reasons;
	db->pub.policies = db->used;
	db->pub.n_policies = db->n_used;
	if (rc != 0)
		eg__policy_decision_free(&db->pub);
	else
		*out = &db->pub;
	eg__free(e);
	return rc;
}

/* ---- JSON ---- */

static json_t *citation_json(const eg__citation *c)
{
	if (c == NULL)
		return json_null();
	return set(set(set(set(json_object(), "instrument", json_string(c->instrument)), "article",
	                       json_string(c->article)), "date", json_string(c->date)),
	           "url", jstr(c->url));
}

json_t *eg__policy_decision_json(const eg__policy_decision *d)
{
	json_t *reasons = json_array(), *policies = json_array(), *o;
	size_t i;
	int fail = reasons == NULL || policies == NULL;

	for (i = 0; !fail && i < d->n_reasons; i++) {
		const eg__policy_reason *r = &d->reasons[i];

		o = set(json_object(), "policy", json_string(r->policy));
		o = set(o, "policy_version", json_string(r->policy_version));
		o = set(o, "rule", json_string(r->rule));
		o = set(o, "outcome", json_string(eg__outcome_name(r->outcome)));
		o = set(o, "message", json_string(r->message));
		o = set(o, "citation", citation_json(r->citation));
		o = set(o, "unverified", json_boolean(r->unverified));
		o = set(o, "undecided", json_boolean(r->undecided));
		o = set(o, "evidence", json_incref(r->evidence));
		fail = o == NULL || json_array_append_new(reasons, o) != 0;
	}
	for (i = 0; !fail && i < d->n_policies; i++) {
		o = set(set(json_object(), "id", json_string(d->policies[i].id)), "version",
		        json_string(d->policies[i].version));
		fail = o == NULL || json_array_append_new(policies, o) != 0;
	}
	if (fail) {
		json_decref(reasons);
		json_decref(policies);
		return NULL;
	}
	o = set(json_object(), "decision", json_string(eg__outcome_name(d->outcome)));
	o = set(o, "reasons", reasons);
	o = set(o, "policies", policies);
	return set(o, "country_lists", json_incref(d->country_lists));
}
