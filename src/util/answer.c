/* answer.c - the JSON of a screening answer (answer.h). */
#include "answer.h"

#include <stdio.h>

json_t *eg__str_array(const char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *eg__hit_json(const eg_hit *h, int explain)
{
	json_t *o = json_pack("{s:s, s:s?, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:f,"
	                      " s:s?, s:s?, s:s?, s:s?, s:s?}",
	                      "source", h->source,
	                      "published", h->published[0] ? h->published : NULL,
	                      "version_id", (json_int_t)h->version_id, "uid", h->uid,
	                      "type", eg_type_name(h->type), "primary_name", h->primary_name,
	                      "matched_name", h->matched_name,
	                      "names", eg__str_array(h->names, h->n_names),
	                      "programs", eg__str_array(h->program_list, h->n_programs),
	                      "countries", eg__str_array(h->country_list, h->n_countries),
	                      "country_codes", eg__str_array(h->country_codes, h->n_country_codes),
	                      "score", h->score, "listed_on", h->listed_on,
	                      "delisted_on", h->delisted_on, "list", h->list_name,
	                      "citation", h->citation, "licence_policy", h->licence_policy);
	size_t i;

	if (o != NULL && explain) {
		json_t *toks = json_array();
		for (i = 0; toks != NULL && i < h->n_tokens; i++)
			json_array_append_new(toks, json_pack("{s:s, s:s, s:f, s:f}",
			    "query_token", h->tokens[i].query_token,
			    "name_token", h->tokens[i].name_token,
			    "similarity", h->tokens[i].similarity,
			    "weight", h->tokens[i].weight));
		json_object_set_new(o, "explanation", toks);
	}
	return o;
}

int eg__answer_json(json_t *o, const eg_hits *hits)
{
	json_t *cons = json_array(), *skip = json_array(), *warn = json_array();
	char buf[640], kinds[96];
	size_t i;

	for (i = 0; i < hits->n_consulted; i++) {
		const eg_consulted *c = eg_hits_consulted(hits, i);
		json_t *miss = json_array();
		unsigned bit;
		for (bit = 1; bit <= EG_CARRIES_PROGRAMS; bit <<= 1)
			if (c->missing & bit)
				json_array_append_new(miss, json_string(eg_carries_missing(bit, kinds,
				                                                           sizeof(kinds))));
		json_array_append_new(cons, json_pack("{s:s, s:I, s:s?, s:s, s:o, s:b, s:I}",
		                      "source", c->source, "version_id", (json_int_t)c->version_id,
		                      "published", c->published[0] ? c->published : NULL,
		                      "imported", c->imported, "missing", miss,
		                      "reconstructed", c->reconstructed,
		                      "dropped_undated", (json_int_t)c->dropped_undated));
		if (c->reconstructed) {
			snprintf(buf, sizeof(buf), "%s: no version published on or before the date; the "
			         "list was reconstructed from version %lld (%s), keeping entries whose "
			         "listing dates cover the date (%zu without a listing date left out; "
			         "entries removed before that publication cannot be known)", c->source,
			         (long long)c->version_id, c->published[0] ? c->published : c->imported,
			         c->dropped_undated);
			json_array_append_new(warn, json_string(buf));
		}
		if (c->missing != 0) {
			snprintf(buf, sizeof(buf), "%s version %lld carries no %s: a party listed only "
			         "by those is not found in it", c->source, (long long)c->version_id,
			         eg_carries_missing(c->missing, kinds, sizeof(kinds)));
			json_array_append_new(warn, json_string(buf));
		}
	}
	for (i = 0; i < hits->n_skipped; i++) {
		const eg_skipped *k = eg_hits_skipped(hits, i);
		json_array_append_new(skip, json_pack("{s:s, s:s}", "source", k->source,
		                                      "reason", k->reason));
		snprintf(buf, sizeof(buf), "%s not screened: %s", k->source, k->reason);
		json_array_append_new(warn, json_string(buf));
	}
	return json_object_set_new(o, "consulted", cons) | json_object_set_new(o, "skipped", skip) |
	       json_object_set_new(o, "warnings", warn);
}

