/* answer.c - the JSON of a screening answer (answer.h). */
#include "answer.h"

#include <stdio.h>
#include <string.h>

/* Builders that remember a failure: jansson's json_pack reads its format
 * on every call, a cost the server paid on every answer. A member or an
 * element that could not be made (out of memory) makes the whole NULL. */
typedef struct jb {
	int bad;
} jb;

static void put(jb *b, json_t *o, const char *key, json_t *v)
{
	/* keys are literals of this file: no need to check their UTF-8 */
	if (o == NULL || json_object_set_new_nocheck(o, key, v) != 0)
		b->bad = 1;
}

static void add(jb *b, json_t *a, json_t *v)
{
	if (a == NULL || json_array_append_new(a, v) != 0)
		b->bad = 1;
}

static json_t *str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *done(jb *b, json_t *o)
{
	if (b->bad || o == NULL) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *eg__str_array(const char *const *v, size_t n)
{
	json_t *a = json_array();
	jb b = {0};
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		add(&b, a, json_string(v[i]));
	return done(&b, a);
}

json_t *eg__hit_json(const eg_hit *h, int explain)
{
	json_t *o = json_object();
	jb b = {0};
	size_t i;

	put(&b, o, "source", json_string(h->source));
	put(&b, o, "published", h->published[0] ? json_string(h->published) : json_null());
	put(&b, o, "version_id", json_integer((json_int_t)h->version_id));
	put(&b, o, "uid", json_string(h->uid));
	put(&b, o, "type", json_string(eg_type_name(h->type)));
	put(&b, o, "primary_name", json_string(h->primary_name));
	put(&b, o, "matched_name", json_string(h->matched_name));
	put(&b, o, "names", eg__str_array(h->names, h->n_names));
	put(&b, o, "programs", eg__str_array(h->program_list, h->n_programs));
	put(&b, o, "countries", eg__str_array(h->country_list, h->n_countries));
	put(&b, o, "country_codes", eg__str_array(h->country_codes, h->n_country_codes));
	put(&b, o, "score", json_real(h->score));
	put(&b, o, "listed_on", str_or_null(h->listed_on));
	put(&b, o, "delisted_on", str_or_null(h->delisted_on));
	put(&b, o, "list", str_or_null(h->list_name));
	put(&b, o, "citation", str_or_null(h->citation));
	put(&b, o, "licence_policy", str_or_null(h->licence_policy));
	{
		/* the same party's listings by other sources (a grouped screen) */
		json_t *also = json_array();
		for (i = 0; also != NULL && i < h->n_also; i++) {
			const eg_hit_also *al = eg_hit_also_at(h, i);
			json_t *x = json_object();
			put(&b, x, "source", json_string(al->source));
			put(&b, x, "published", al->published[0] ? json_string(al->published) : json_null());
			put(&b, x, "version_id", json_integer((json_int_t)al->version_id));
			put(&b, x, "uid", json_string(al->uid));
			put(&b, x, "primary_name", json_string(al->primary_name));
			put(&b, x, "list", str_or_null(al->list_name));
			put(&b, x, "score", json_real(al->score));
			add(&b, also, x);
		}
		put(&b, o, "also_in", also);
	}
	if (explain) {
		json_t *toks = json_array();
		for (i = 0; toks != NULL && i < h->n_tokens; i++) {
			json_t *t = json_object();
			put(&b, t, "query_token", json_string(h->tokens[i].query_token));
			put(&b, t, "name_token", json_string(h->tokens[i].name_token));
			put(&b, t, "similarity", json_real(h->tokens[i].similarity));
			put(&b, t, "weight", json_real(h->tokens[i].weight));
			add(&b, toks, t);
		}
		put(&b, o, "explanation", toks);
	}
	return done(&b, o);
}

int eg__answer_json(json_t *o, const eg_hits *hits)
{
	json_t *cons = json_array(), *skip = json_array(), *warn = json_array(), *co;
	char buf[640], kinds[96];
	jb b = {0};
	size_t i;

	for (i = 0; i < hits->n_consulted; i++) {
		const eg_consulted *c = eg_hits_consulted(hits, i);
		json_t *miss = json_array();
		unsigned bit;
		for (bit = 1; bit <= EG_CARRIES_PROGRAMS; bit <<= 1)
			if (c->missing & bit)
				add(&b, miss, json_string(eg_carries_missing(bit, kinds, sizeof(kinds))));
		co = json_object();
		put(&b, co, "source", json_string(c->source));
		put(&b, co, "version_id", json_integer((json_int_t)c->version_id));
		put(&b, co, "published", c->published[0] ? json_string(c->published) : json_null());
		put(&b, co, "imported", json_string(c->imported));
		put(&b, co, "missing", miss);
		put(&b, co, "reconstructed", json_boolean(c->reconstructed));
		put(&b, co, "dropped_undated", json_integer((json_int_t)c->dropped_undated));
		add(&b, cons, co);
		if (c->reconstructed) {
			snprintf(buf, sizeof(buf), "%s: no version published on or before the date; the "
			         "list was reconstructed from version %lld (%s), keeping entries whose "
			         "listing dates cover the date (%zu without a listing date left out; "
			         "entries removed before that publication cannot be known)", c->source,
			         (long long)c->version_id, c->published[0] ? c->published : c->imported,
			         c->dropped_undated);
			add(&b, warn, json_string(buf));
		}
		if (c->missing != 0) {
			snprintf(buf, sizeof(buf), "%s version %lld carries no %s: a party listed only "
			         "by those is not found in it", c->source, (long long)c->version_id,
			         eg_carries_missing(c->missing, kinds, sizeof(kinds)));
			add(&b, warn, json_string(buf));
		}
	}
	for (i = 0; i < hits->n_skipped; i++) {
		const eg_skipped *k = eg_hits_skipped(hits, i);
		json_t *ko = json_object();
		put(&b, ko, "source", json_string(k->source));
		put(&b, ko, "reason", json_string(k->reason));
		add(&b, skip, ko);
		snprintf(buf, sizeof(buf), "%s not screened: %s", k->source, k->reason);
		add(&b, warn, json_string(buf));
	}
	put(&b, o, "consulted", cons);
	put(&b, o, "skipped", skip);
	put(&b, o, "warnings", warn);
	return b.bad ? -1 : 0;
}

/* A string of the key, NUL-ended; NULL apart from "" by a byte no UTF-8
 * text holds. */
static int key_str(eg__buf *key, const char *s)
{
	return s == NULL ? eg__buf_addc(key, '\xff') : eg__buf_add(key, s, strlen(s) + 1);
}

int eg__answer_key(eg__buf *key, const eg_hits *hits)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < hits->n_consulted; i++) {
		const eg_consulted *c = eg_hits_consulted(hits, i);
		int64_t num[4] = {c->version_id, (int64_t)c->missing, c->reconstructed,
		                  (int64_t)c->dropped_undated};
		if ((rc = key_str(key, c->source)) == 0 && (rc = key_str(key, c->published)) == 0 &&
		    (rc = key_str(key, c->imported)) == 0)
			rc = eg__buf_add(key, num, sizeof(num));
	}
	if (rc == 0) /* consulted and skipped apart */
		rc = eg__buf_addc(key, '\0');
	for (i = 0; rc == 0 && i < hits->n_skipped; i++) {
		const eg_skipped *k = eg_hits_skipped(hits, i);
		if ((rc = key_str(key, k->source)) == 0)
			rc = key_str(key, k->reason);
	}
	return rc;
}
