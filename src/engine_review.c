/* engine_review.c - hit review memory: an analyst's verdict on a hit of a
 * logged decision ("false-positive": this party is not that listed entity)
 * keeps the same party name from being raised against the same entity
 * again, until the entity's listing changes in a later version.
 *
 * A review is a record of the decision log (durable, verifiable) and a row
 * of the store's review table, keyed by the party's normalised name, the
 * source, the entity's uid and a digest of the listing as the hit showed
 * it (primary name, listing date, sub-list, licence policy): a later
 * version that changes any of these raises the hit again. */
#include "engine_impl.h"
#include "store/store.h"
#include "text/normalize.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The party's name as the screen sees it: its normalised tokens, one space
 * apart ("" when it has none). */
int eg__review_party_key(const char *name, char *out, size_t size, eg_error *err)
{
	eg__norm *n = eg__malloc(sizeof(*n));
	size_t i, used = 0;
	int rc;

	out[0] = '\0';
	if (n == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	if ((rc = eg__text_normalize(n, name, strlen(name), err)) == 0) {
		for (i = 0; i < n->n; i++) {
			int w = snprintf(out + used, size - used, "%s%s", i ? " " : "", n->tok[i].text);
			if (w < 0 || (size_t)w >= size - used) {
				rc = eg__error_set(err, EG_ETOOBIG, "party name: too long to review");
				break;
			}
			used += (size_t)w;
		}
	}
	eg__free(n);
	return rc;
}

/* The digest of a listing as a hit shows it. */
static int listing_digest(const char *source, const char *uid, const char *primary,
                          const char *listed_on, const char *list, const char *policy,
                          char hex[65])
{
	const char *f[6];
	eg__sha256 h;
	size_t i;
	int rc;

	f[0] = source, f[1] = uid, f[2] = primary, f[3] = listed_on, f[4] = list, f[5] = policy;
	if ((rc = eg__sha256_init(&h)) != 0)
		return rc;
	for (i = 0; rc == 0 && i < 6; i++) {
		const char *s = f[i] ? f[i] : "";
		rc = eg__sha256_update(&h, s, strlen(s) + 1); /* the NUL separates */
	}
	if (rc == 0)
		rc = eg__sha256_final(&h, hex);
	eg__sha256_dispose(&h);
	return rc;
}

int eg__review_load(eg_engine *e, const char *key, eg__review_set *s, eg_error *err)
{
	eg__store *st;
	int rc;

	s->listing = NULL;
	s->n = 0;
	if ((rc = eg__dlog_review_begin(e, &st, err)) != 0)
		return rc;
	rc = eg__store_review_listings(st, key, "false-positive", &s->listing, &s->n, err);
	eg__dlog_review_end(e);
	return rc;
}

int eg__review_suppressed(const eg__review_set *s, const eg_hit *h, int *suppressed,
                          eg_error *err)
{
	char digest[65];
	size_t i;

	*suppressed = 0;
	if (s->n == 0)
		return 0;
	/* the digest covers the source and the uid too */
	if (listing_digest(h->source, h->uid, h->primary_name, h->listed_on, h->list_name,
	                   h->licence_policy, digest) != 0)
		return eg__error_set(err, EG_ENOMEM, "hashing failed");
	for (i = 0; i < s->n && !*suppressed; i++)
		*suppressed = memcmp(s->listing[i], digest, 65) == 0;
	return 0;
}

void eg__review_set_dispose(eg__review_set *s)
{
	eg__free(s->listing);
	s->listing = NULL;
	s->n = 0;
}

/* The screening evidence of decision `dec` for party `party` and entity
 * uid, or NULL. */
static const json_t *find_evidence(const json_t *dec, long long party, const char *uid)
{
	const json_t *r, *ev;
	size_t i, j;

	json_array_foreach(json_object_get(dec, "reasons"), i, r)
		json_array_foreach(json_object_get(r, "evidence"), j, ev) {
			const char *k = json_string_value(json_object_get(ev, "kind"));
			const char *u = json_string_value(json_object_get(ev, "uid"));
			if (k && strcmp(k, "screening") == 0 && u && strcmp(u, uid) == 0 &&
			    json_integer_value(json_object_get(ev, "party")) == party)
				return ev;
		}
	return NULL;
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int eg_review(eg_engine *e, char **json, const eg_review_options *o, eg_error *err)
{
	json_t *rec = NULL, *dec, *deal, *rv = NULL;
	const json_t *ev;
	const char *party_name;
	char *text = NULL, key[EG__REVIEW_KEY_SIZE], digest[65], leaf[65];
	eg__store_review r;
	eg__store *st;
	int64_t index = -1;
	int rc;

	eg__error_clear(err);
	*json = NULL;
	if (o == NULL || o->version != EG_REVIEW_OPTIONS_VERSION || o->uid == NULL ||
	    o->verdict == NULL || o->by == NULL || o->by[0] == '\0')
		return eg__error_set(err, EG_EINVAL, "review: the options with the entity uid, a "
		                     "verdict and who reviews are required");
	if (strcmp(o->verdict, "false-positive") != 0 && strcmp(o->verdict, "true-match") != 0)
		return eg__error_set(err, EG_EINVAL, "review: verdict \"%s\": false-positive or "
		                     "true-match", o->verdict);
	if ((rc = eg_audit_record(e, &text, o->decision, err)) != 0)
		return rc;
	rec = json_loads(text, 0, NULL);
	eg_free(text);
	text = NULL;
	dec = json_object_get(json_object_get(rec, "payload"), "decision");
	deal = json_object_get(json_object_get(rec, "payload"), "deal");
	party_name = str(json_array_get(json_object_get(deal, "parties"), o->party), "name");
	if (!json_is_object(dec) || party_name == NULL) {
		rc = eg__error_set(err, EG_EINVAL, "review: record %llu is not a decision with a "
		                   "party %zu", (unsigned long long)o->decision, o->party);
		goto done;
	}
	if ((ev = find_evidence(dec, (long long)o->party, o->uid)) == NULL) {
		rc = eg__error_set(err, EG_ENOTFOUND, "review: decision %llu raised no hit of entity "
		                   "%s for party %zu", (unsigned long long)o->decision, o->uid,
		                   o->party);
		goto done;
	}
	if ((rc = eg__review_party_key(party_name, key, sizeof(key), err)) != 0)
		goto done;
	if (listing_digest(str(ev, "source"), o->uid, str(ev, "primary_name"),
	                   str(ev, "listed_on"), str(ev, "list"), str(ev, "licence_policy"),
	                   digest) != 0) {
		rc = eg__error_set(err, EG_ENOMEM, "hashing failed");
		goto done;
	}
	rv = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}", "record", "review",
	               "decision", (json_int_t)o->decision, "party", (json_int_t)o->party,
	               "party_name", party_name, "source", str(ev, "source"), "uid", o->uid,
	               "listing", digest, "verdict", o->verdict, "by", o->by, "note", o->note);
	text = rv ? json_dumps(rv, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (text == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	/* the log first: a review is only in force once it is recorded (and
	 * durable: eg__dlog_append returns after its commit) */
	if ((rc = eg__dlog_append(e, text, strlen(text), &index, leaf, err)) != 0 ||
	    (rc = eg__dlog_review_begin(e, &st, err)) != 0)
		goto done;
	memset(&r, 0, sizeof(r));
	r.party = key, r.source = str(ev, "source"), r.uid = o->uid, r.listing = digest;
	r.verdict = o->verdict, r.log_index = index;
	rc = eg__store_review_put(st, &r, err);
	eg__dlog_review_end(e);
	if (rc != 0)
		goto done;
	json_object_set_new(rv, "audit", json_pack("{s:I, s:s}", "index", (json_int_t)index,
	                                           "leaf_hash", leaf));
	free(text);
	text = json_dumps(rv, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (text == NULL || (*json = eg__strdup(text)) == NULL)
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
done:
	free(text);
	json_decref(rv);
	json_decref(rec);
	return rc;
}
