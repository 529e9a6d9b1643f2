/* engine_decide.c - deciding deals in the public API: the deal parsed and
 * checked (src/policy/deal.c), the policies evaluated (src/policy/eval.c)
 * with the engine's own screening and country lists as the evaluator's
 * callbacks, and the decision returned as JSON with the list versions it
 * used. */
#include "engine_impl.h"
#include "policy/deal.h"
#include "policy/eval.h"
#include "policy/items.h"
#include "policy/policy.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/error.h"
#include "util/hash.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Hits a party may bring to the evaluator, best first. */
#define DECIDE_HITS_PER_PARTY 20

/* The public eg_decision and the JSON text it points to. */
typedef struct decision_block {
	eg_decision pub;
	char *json;
} decision_block;

/* What the callbacks share during one decision. */
typedef struct decide_ctx {
	eg_engine *e;
	json_t *lists;   /* the list versions screened, each once */
	json_t *suppressed; /* hits dropped by a review in force */
	const eg__pin *pins; /* a replay's recorded versions, or NULL */
	size_t n_pins;
} decide_ctx;

const char *eg_outcome_name(eg_outcome outcome)
{
	return eg__outcome_name((eg__outcome)outcome);
}

void eg__policies_release(eg__policies *p)
{
	if (p != NULL && atomic_fetch_sub(&p->refs, 1) == 1) {
		eg__policy_set_free(p->set);
		eg__free(p);
	}
}

static int is_json_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && d->d_name[0] != '.' && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* The SHA-256 (hex) of what the policy directory holds: the name, size and
 * modification time of each *.json file, in name order. A policy file
 * written, added or removed changes it. */
static int policies_fingerprint(const char *dir, char hex[65], eg_error *err)
{
	struct dirent **names = NULL;
	eg__sha256 h;
	int i, n, rc;

	if ((n = scandir(dir, &names, is_json_file, alphasort)) < 0)
		return eg__error_set(err, EG_EIO, "policies: %s: %s", dir, strerror(errno));
	rc = eg__sha256_init(&h);
	for (i = 0; i < n; i++) {
		char path[4096], line[4400];
		struct stat st;
		int len;
		if (rc == 0 && (size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) >=
		               sizeof(path))
			rc = eg__error_set(err, EG_EINVAL, "policies: %s: path too long", dir);
		if (rc == 0 && stat(path, &st) != 0)
			rc = eg__error_set(err, EG_EIO, "policies: %s: %s", path, strerror(errno));
		len = snprintf(line, sizeof(line), "%s %lld %lld.%09ld\n", names[i]->d_name,
		               rc == 0 ? (long long)st.st_size : 0LL,
		               rc == 0 ? (long long)st.st_mtim.tv_sec : 0LL,
		               rc == 0 ? st.st_mtim.tv_nsec : 0L);
		if (rc == 0 && eg__sha256_update(&h, line, (size_t)len) != 0)
			rc = eg__error_set(err, EG_EIO, "policies: hashing the directory");
		free(names[i]);
	}
	free(names);
	if (rc == 0 && eg__sha256_final(&h, hex) != 0)
		rc = eg__error_set(err, EG_EIO, "policies: hashing the directory");
	if (rc != 0)
		eg__sha256_dispose(&h);
	return rc;
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* With e->lock held: (re)loads the policies when their files changed since
 * the last look, at most every EG__POLICY_CHECK_MS once loaded. A changed
 * directory that no longer loads leaves the set in use as it was, says why
 * through the engine's log, and is tried again only once it changes again;
 * with no set loaded yet, its error is the caller's. */
static int policies_refresh(eg_engine *e, eg_error *err)
{
	char path[4096], fp[65];
	eg__policy_set *set = NULL;
	eg__policies *p;
	eg_error lerr;
	int64_t now = monotonic_ms();
	int rc;

	if (e->policies != NULL && now - e->policies_checked < EG__POLICY_CHECK_MS)
		return 0;
	snprintf(path, sizeof(path), "%s/policies", e->data_dir);
	if ((rc = policies_fingerprint(path, fp, &lerr)) != 0) {
		if (e->policies == NULL) {
			*err = lerr;
			return rc;
		}
		fp[0] = '\0'; /* unreadable now: try again at the next check */
	}
	e->policies_checked = now;
	if (e->policies != NULL && strcmp(fp, e->policies_seen) == 0)
		return 0;
	if (e->policies != NULL && fp[0] == '\0') {
		eg__engine_log(e, EG_LOG_WARNING, "policies in %s not reloaded: %s", path, lerr.message);
		return 0;
	}
	rc = eg__policy_set_load_dir(&set, path, e->items, &e->iso, e->countries, &lerr);
	memcpy(e->policies_seen, fp, sizeof(fp));
	if (rc != 0) {
		if (e->policies == NULL) {
			*err = lerr;
			return rc;
		}
		eg__engine_log(e, EG_LOG_WARNING, "policies in %s changed but not reloaded (the set in "
		        "use stays): %s", path, lerr.message);
		return 0;
	}
	if ((p = eg__malloc(sizeof(*p))) == NULL) {
		eg__policy_set_free(set);
		e->policies_seen[0] = '\0';
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	atomic_init(&p->refs, 1);
	p->set = set;
	if (e->policies != NULL)
		eg__engine_log(e, EG_LOG_INFO, "policies in %s reloaded: %zu policies", path,
		        eg__policy_set_count(set));
	eg__policies_release(e->policies);
	e->policies = p;
	return 0;
}

/* Loads the country lists and the item table once, the policies when they
 * changed, and gives the policy set in force, held (eg__policies_release). */
static int policies_acquire(eg_engine *e, eg__policies **out, eg_error *err)
{
	char path[4096];
	int rc = 0;

	*out = NULL;
	pthread_mutex_lock(&e->lock);
	if ((rc = eg__engine_countries_load(e, err)) != 0)
		goto done;
	if ((size_t)snprintf(path, sizeof(path), "%s/items.json", e->data_dir) >= sizeof(path)) {
		rc = eg__error_set(err, EG_EINVAL, "data directory path too long");
		goto done;
	}
	if (e->items == NULL && (rc = eg__items_load(&e->items, path, err)) != 0)
		goto done;
	if ((rc = policies_refresh(e, err)) != 0)
		goto done;
	atomic_fetch_add(&e->policies->refs, 1);
	*out = e->policies;
done:
	pthread_mutex_unlock(&e->lock);
	return rc;
}

/* Records a consulted version in the decision's "lists", once. */
static void note_version(json_t *lists, const eg_consulted *c)
{
	size_t i;
	json_t *v, *o;

	json_array_foreach(lists, i, v)
		if (json_integer_value(json_object_get(v, "version_id")) == c->version_id)
			return;
	/* json_pack("{s:s, s:I, s:s?, s:b}") without reading its format */
	o = json_object();
	if (o == NULL || json_object_set_new_nocheck(o, "source", json_string(c->source)) != 0 ||
	    json_object_set_new_nocheck(o, "version_id", json_integer((json_int_t)c->version_id)) ||
	    json_object_set_new_nocheck(o, "published", c->published[0] ? json_string(c->published)
	                                                                : json_null()) != 0 ||
	    json_object_set_new_nocheck(o, "reconstructed", json_boolean(c->reconstructed)) != 0) {
		json_decref(o);
		return;
	}
	json_array_append_new(lists, o);
}

/* The evaluator's screen callback: eg_screen as of the deal date. */
static int screen_cb(void *ud, const char *name, const char *country, const char *date,
                     eg__policy_hits *out, eg_error *err)
{
	decide_ctx *d = ud;
	eg_screen_options so = EG_SCREEN_OPTIONS_INIT;
	eg_hits *hits = NULL;
	char key[EG__REVIEW_KEY_SIZE];
	eg__review_set reviews = {NULL, 0};
	size_t i;
	int rc;

	(void)country; /* a listed party is found wherever the deal says it is */
	so.as_of = date;
	so.limit = DECIDE_HITS_PER_PARTY;
	if ((rc = eg__screen_pinned(d->e, &hits, name, strlen(name), &so, d->pins, d->n_pins,
	                            err)) != 0)
		return rc;
	for (i = 0; i < hits->n_consulted; i++)
		note_version(d->lists, eg_hits_consulted(hits, i));
	/* reviews file the party under its normalised name: made once, and the
	 * party's reviews read once for all its hits */
	if (hits->count > 0 && d->pins == NULL && !d->e->read_only &&
	    (rc = eg__review_party_key(name, key, sizeof(key), err)) == 0)
		rc = eg__review_load(d->e, key, &reviews, err);
	for (i = 0; rc == 0 && i < hits->count; i++) {
		const eg_hit *h = eg_hits_at(hits, i);
		eg__policy_hit ph;
		int suppressed = 0;
		if ((rc = eg__review_suppressed(&reviews, h, &suppressed, err)) != 0)
			break;
		if (suppressed) {
			json_array_append_new(d->suppressed, json_pack("{s:s, s:s, s:s, s:f}",
			                      "party_name", name, "source", h->source, "uid", h->uid,
			                      "score", h->score));
			continue;
		}
		ph.source = h->source;
		ph.version_id = h->version_id;
		ph.published = h->published;
		ph.uid = h->uid;
		ph.primary_name = h->primary_name;
		ph.matched_name = h->matched_name;
		ph.score = h->score;
		ph.listed_on = h->listed_on;
		ph.licence_policy = h->licence_policy;
		ph.list_name = h->list_name;
		rc = eg__policy_hits_add(out, &ph, err);
	}
	eg__review_set_dispose(&reviews);
	eg_hits_free(hits);
	return rc;
}

/* The evaluator's member callback: the engine's country lists. */
static int member_cb(void *ud, const char *list, const char *code, const char *date,
                     int *answer, char effective[11], eg_error *err)
{
	decide_ctx *d = ud;
	const eg__country_version *v = NULL;
	eg__country_answer a;
	int rc;

	rc = eg__countries_member(&a, &v, d->e->countries, list, code, date, err);
	if (rc != 0)
		return rc;
	*answer = a == EG__COUNTRY_YES ? 1 : a == EG__COUNTRY_NO ? 0 : -1;
	snprintf(effective, 11, "%s", v->effective);
	return 0;
}

/* Records the decision in the log, durably: {"record": "decision",
 * "asked_by", "deal" (as given), "decision" (without "audit")}; adds
 * "audit": {"index", "leaf_hash"} to o. */
static int log_decision(eg_engine *e, json_t *o, const char *deal, size_t len,
                        const char *asked_by, int64_t *index, char leaf[65], eg_error *err)
{
	json_t *rec, *dj = json_loadb(deal, len, 0, NULL);
	char *text;
	int rc;

	rec = json_pack("{s:s, s:s, s:o?, s:O}", "record", "decision", "asked_by",
	                asked_by ? asked_by : "library", "deal", dj, "decision", o);
	text = rec ? json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17))
	           : NULL;
	json_decref(rec);
	if (text == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	rc = eg__dlog_append(e, text, strlen(text), index, leaf, err);
	free(text);
	if (rc == 0 && json_object_set_new(o, "audit", json_pack("{s:I, s:s}", "index",
	                                   (json_int_t)*index, "leaf_hash", leaf)) != 0)
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
	return rc;
}

/* The decision, logged, as JSON text in a new public block. */
static int finish(eg_engine *e, eg_decision **out, const eg__policy_decision *pd,
                  const decide_ctx *dc, const char *deal, size_t len, const char *asked_by,
                  eg_error *err)
{
	decision_block *b;
	json_t *o = eg__policy_decision_json(pd);
	int64_t index = -1;
	char leaf[65] = "";
	int rc;

	if (o == NULL || json_object_set(o, "lists", dc->lists) != 0 ||
	    json_object_set(o, "suppressed_by_review", dc->suppressed) != 0) {
		json_decref(o);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	if ((rc = log_decision(e, o, deal, len, asked_by, &index, leaf, err)) != 0) {
		json_decref(o);
		return rc;
	}
	b = eg__calloc(1, sizeof(*b));
	if (b == NULL || (b->json = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6))) == NULL) {
		json_decref(o);
		eg__free(b);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	json_decref(o);
	b->pub.size = sizeof(b->pub);
	b->pub.outcome = (eg_outcome)pd->outcome;
	b->pub.json = b->json;
	b->pub.json_len = strlen(b->json);
	b->pub.audit_index = index;
	snprintf(b->pub.leaf_hash, sizeof(b->pub.leaf_hash), "%s", leaf);
	*out = &b->pub;
	return 0;
}

/* Parses the deal and evaluates the policies; *pd and dc->lists hold the
 * result. */
static int evaluate(eg_engine *e, eg__policy_decision **pd, decide_ctx *dc, const char *deal,
                    size_t len, eg_error *err)
{
	eg__policy_ctx ctx;
	eg__policies *pol = NULL;
	eg__deal *d = NULL;
	int rc;

	*pd = NULL;
	if (deal == NULL)
		return eg__error_set(err, EG_EINVAL, "deal: NULL");
	if ((rc = policies_acquire(e, &pol, err)) != 0)
		return rc;
	if ((rc = eg__deal_parse(&d, deal, len, e->items, &e->iso, err)) != 0) {
		eg__policies_release(pol);
		return rc;
	}
	dc->e = e;
	ctx.ud = dc;
	ctx.screen = screen_cb;
	ctx.member = member_cb;
	if ((dc->lists = json_array()) == NULL || (dc->suppressed = json_array()) == NULL)
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
	else
		rc = eg__policy_decide(pd, pol->set, d, &ctx, err);
	eg__deal_free(d);
	eg__policies_release(pol);
	return rc;
}

int eg_decide(eg_engine *e, eg_decision **out, const char *deal, size_t len,
              const eg_decide_options *opts, eg_error *err)
{
	eg__policy_decision *pd = NULL;
	decide_ctx dc;
	int rc;

	eg__error_clear(err);
	*out = NULL;
	if (opts != NULL && opts->version != EG_DECIDE_OPTIONS_VERSION)
		return eg__error_set(err, EG_EINVAL, "eg_decide_options: version %u, expected %u",
		                     opts->version, EG_DECIDE_OPTIONS_VERSION);
	memset(&dc, 0, sizeof(dc));
	if ((rc = evaluate(e, &pd, &dc, deal, len, err)) == 0)
		rc = finish(e, out, pd, &dc, deal, len, opts ? opts->asked_by : NULL, err);
	eg__policy_decision_free(pd);
	json_decref(dc.lists);
	json_decref(dc.suppressed);
	return rc;
}

/* --- replay ---------------------------------------------------------------- */

/* The versions a logged decision recorded, as pins (eg__free). */
static int pins_of(const json_t *lists, eg__pin **out, size_t *n, eg_error *err)
{
	const json_t *v;
	size_t i;

	*n = json_array_size(lists);
	if ((*out = eg__calloc(*n ? *n : 1, sizeof(**out))) == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	json_array_foreach(lists, i, v) {
		if (!json_is_integer(json_object_get(v, "version_id"))) {
			eg__free(*out);
			return eg__error_set(err, EG_ESTORE, "decision log record: lists[%zu] has no "
			                     "version_id", i);
		}
		(*out)[i].version_id = json_integer_value(json_object_get(v, "version_id"));
		(*out)[i].reconstructed = json_is_true(json_object_get(v, "reconstructed"));
	}
	return 0;
}

/* "rule: outcome" of every reason, to say what changed. */
static json_t *reason_keys(const json_t *decision)
{
	json_t *keys = json_array(), *r;
	size_t i;

	json_array_foreach(json_object_get(decision, "reasons"), i, r) {
		char k[256];
		snprintf(k, sizeof(k), "%s/%s: %s",
		         json_string_value(json_object_get(r, "policy")),
		         json_string_value(json_object_get(r, "rule")),
		         json_string_value(json_object_get(r, "outcome")));
		json_array_append_new(keys, json_string(k));
	}
	return keys;
}

/* The reasons in a but not in b. */
static json_t *missing_from(const json_t *a, const json_t *b)
{
	json_t *out = json_array(), *x, *y;
	size_t i, j;

	json_array_foreach(a, i, x) {
		int found = 0;
		json_array_foreach(b, j, y)
			found |= json_equal(x, y);
		if (!found)
			json_array_append(out, x);
	}
	return out;
}

/* The replayed decision beside the original, and what changed. */
static json_t *compare(uint64_t index, int now, json_t *orig, json_t *redo)
{
	json_t *ko = reason_keys(orig), *kr = reason_keys(redo), *o;
	/* the same outcome for the same rules; the evidence (scores, versions,
	 * dates) may still differ, and evidence_same says so */
	int same = json_equal(json_object_get(orig, "decision"), json_object_get(redo, "decision")) &&
	           json_equal(ko, kr);
	int evidence = json_equal(json_object_get(orig, "reasons"), json_object_get(redo, "reasons"));

	o = json_pack("{s:I, s:s, s:b, s:b, s:O, s:O, s:{s:o, s:o}, s:O, s:O}", "index",
	              (json_int_t)index, "mode", now ? "today's lists and policies, dated today"
	                                             : "the recorded list versions, the current policies",
	              "same", same, "evidence_same", evidence, "original", json_object_get(orig, "decision"), "replayed",
	              json_object_get(redo, "decision"), "changes", "reasons_gone",
	              missing_from(ko, kr), "reasons_new", missing_from(kr, ko),
	              "policies_then", json_object_get(orig, "policies"), "policies_now",
	              json_object_get(redo, "policies"));
	json_decref(ko);
	json_decref(kr);
	return o;
}

int eg_decide_replay(eg_engine *e, char **json, uint64_t index, int now, eg_error *err)
{
	eg__policy_decision *pd = NULL;
	json_t *rec = NULL, *payload, *deal, *orig, *redo = NULL;
	eg__pin *pins = NULL;
	char *text = NULL, *deal_text = NULL, today[11];
	decide_ctx dc;
	int rc;

	eg__error_clear(err);
	*json = NULL;
	memset(&dc, 0, sizeof(dc));
	if ((rc = eg_audit_record(e, &text, index, err)) != 0)
		return rc;
	rec = json_loads(text, 0, NULL);
	eg_free(text);
	payload = json_object_get(rec, "payload");
	deal = json_object_get(payload, "deal");
	orig = json_object_get(payload, "decision");
	if (!json_is_object(deal) || !json_is_object(orig)) {
		rc = eg__error_set(err, EG_EINVAL, "decision log record %llu is not a decision",
		                   (unsigned long long)index);
		goto done;
	}
	if (now) {
		eg__date_today(today);
		json_object_set_new(deal, "date", json_string(today));
	} else if ((rc = pins_of(json_object_get(orig, "lists"), &pins, &dc.n_pins, err)) != 0) {
		goto done;
	}
	dc.pins = pins;
	if ((deal_text = json_dumps(deal, JSON_COMPACT)) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = evaluate(e, &pd, &dc, deal_text, strlen(deal_text), err)) != 0)
		goto done;
	redo = eg__policy_decision_json(pd);
	if (redo == NULL || json_object_set(redo, "lists", dc.lists) != 0) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	{
		json_t *o = compare(index, now, orig, redo);
		if (o != NULL && json_object_set(o, "lists_then", json_object_get(orig, "lists")) == 0 &&
		    json_object_set(o, "lists_now", dc.lists) == 0)
			text = json_dumps(o, JSON_INDENT(2));
		json_decref(o);
	}
	if (text == NULL || (*json = eg__strdup(text)) == NULL)
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
	free(text);
done:
	free(deal_text);
	eg__free(pins);
	eg__policy_decision_free(pd);
	json_decref(redo);
	json_decref(dc.lists);
	json_decref(dc.suppressed);
	json_decref(rec);
	return rc;
}

void eg_decision_free(eg_decision *decision)
{
	decision_block *b = (decision_block *)decision;

	if (b == NULL)
		return;
	free(b->json); /* jansson's json_dumps allocates with malloc */
	eg__free(b);
}
