/* yente.c - POST /match/{dataset} in the shape of yente (OpenSanctions'
 * API), so that a client written for yente works unchanged against
 * exportgate. docs/api-yente.md gives the mapping field by field. */
#include "server.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The yente schemata exportgate can screen, and the type each means. */
static const struct {
	const char *schema;
	eg_entity_type type;
} schemata[] = {
	{"Person", EG_TYPE_INDIVIDUAL}, {"Organization", EG_TYPE_ENTITY},
	{"Company", EG_TYPE_ENTITY},    {"PublicBody", EG_TYPE_ENTITY},
	{"LegalEntity", EG_TYPE_ANY},   {"Thing", EG_TYPE_ANY},
	{"Vessel", EG_TYPE_VESSEL},     {"Airplane", EG_TYPE_AIRCRAFT},
};

static const char *schema_of(eg_entity_type t)
{
	switch (t) {
	case EG_TYPE_INDIVIDUAL: return "Person";
	case EG_TYPE_ENTITY: return "Organization";
	case EG_TYPE_VESSEL: return "Vessel";
	case EG_TYPE_AIRCRAFT: return "Airplane";
	default: return "LegalEntity";
	}
}

/* The source a dataset names: NULL for every source ("default",
 * "sanctions"), else the source with '_' read as '-'. */
static int dataset_source(srv_req *r, char *out, size_t size)
{
	eg_list_version *v = NULL;
	eg_error err;
	size_t n, i;
	int found = 0;

	if (strcmp(r->arg, "default") == 0 || strcmp(r->arg, "sanctions") == 0) {
		out[0] = '\0';
		return 1;
	}
	if (strlen(r->arg) >= size)
		return 0;
	for (i = 0; r->arg[i]; i++)
		out[i] = r->arg[i] == '_' ? '-' : r->arg[i];
	out[i] = '\0';
	if (eg_list_versions(r->e, &v, &n, &err) != 0)
		return 0;
	for (i = 0; i < n && !found; i++)
		found = strcmp(v[i].source, out) == 0;
	eg_list_versions_free(v);
	return found;
}

static int param_double(srv_req *r, const char *name, double *out)
{
	const char *s = srv_query(r, name);
	char *end;
	double v;

	if (s == NULL)
		return 0;
	errno = 0;
	v = strtod(s, &end);
	if (s[0] == '\0' || errno != 0 || *end != '\0' || !(v >= 0.0 && v <= 1.0))
		return srv_error(r, 422, "invalid", name, "%s: a number from 0 to 1", name), -1;
	*out = v;
	return 0;
}

/* Strings of a property of the query: an array of strings (or one string,
 * as yente accepts). NULL when absent; -1 on a bad type. */
static int prop_values(srv_req *r, json_t *props, const char *qid, const char *key,
                       json_t **out)
{
	json_t *v = json_object_get(props, key), *x;
	char f[160];
	size_t i;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	snprintf(f, sizeof(f), "$.queries.%.64s.properties.%s", qid, key);
	if (json_is_string(v)) {
		*out = json_pack("[O]", v);
		return 0;
	}
	if (!json_is_array(v))
		return srv_error(r, 422, "invalid", f, "an array of strings"), -1;
	json_array_foreach(v, i, x)
		if (!json_is_string(x))
			return srv_error(r, 422, "invalid", f, "an array of strings"), -1;
	*out = json_incref(v);
	return 0;
}

/* One result in yente's shape. */
static json_t *result_json(const eg_hit *h, double threshold, const char *qcountry)
{
	json_t *props, *alias = json_array(), *country = json_array(), *features, *datasets;
	json_t *referents;
	char id[160], low[3];
	size_t i, j;
	int country_match = -1;

	for (i = 1; i < h->n_names; i++)
		json_array_append_new(alias, json_string(h->names[i]));
	for (i = 0; i < h->n_country_codes; i++) {
		for (j = 0; j < 2 && h->country_codes[i][j]; j++)
			low[j] = (char)tolower((unsigned char)h->country_codes[i][j]);
		low[j] = '\0';
		json_array_append_new(country, json_string(low));
		if (qcountry != NULL)
			country_match = country_match == 1 || strcasecmp(qcountry, low) == 0;
	}
	props = json_pack("{s:[s], s:o, s:o, s:[s]}", "name", h->primary_name, "alias", alias,
	                  "country", country, "topics", "sanction");
	{
		json_t *prog = json_array();
		for (i = 0; i < h->n_programs; i++)
			json_array_append_new(prog, json_string(h->program_list[i]));
		json_object_set_new(props, "program", prog);
	}
	if (h->listed_on)
		json_object_set_new(props, "createdAt", json_pack("[s]", h->listed_on));
	if (h->citation)
		json_object_set_new(props, "sourceUrl", json_pack("[s]", h->citation));
	if (h->licence_policy)
		json_object_set_new(props, "notes", json_pack("[s]", h->licence_policy));
	features = json_pack("{s:f}", "exportgate_name", h->score);
	if (country_match >= 0)
		json_object_set_new(features, "country_match", json_real(country_match ? 1.0 : 0.0));
	/* the party's other listings: yente's datasets and referents */
	datasets = json_pack("[s]", h->source);
	referents = json_array();
	for (i = 0; i < h->n_also; i++) {
		const eg_hit_also *al = eg_hit_also_at(h, i);
		snprintf(id, sizeof(id), "%s-%.120s", al->source, al->uid);
		json_array_append_new(datasets, json_string(al->source));
		json_array_append_new(referents, json_string(id));
	}
	snprintf(id, sizeof(id), "%s-%.120s", h->source, h->uid);
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:s?, s:s?, s:s?, s:f, s:o, s:b}",
	                 "id", id, "caption", h->primary_name, "schema", schema_of(h->type),
	                 "properties", props, "datasets", datasets, "referents", referents,
	                 "target", 1,
	                 "first_seen", h->published[0] ? h->published : NULL,
	                 "last_seen", h->published[0] ? h->published : NULL,
	                 "last_change", h->published[0] ? h->published : NULL,
	                 "score", h->score, "features", features, "match", h->score >= threshold);
}

/* Screens every name of one query; the best hit per entity, best first. */
static int match_query(srv_req *r, json_t **out, const char *qid, json_t *q, const char *source,
                       double threshold, double cutoff, size_t limit)
{
	static const char *const q_allowed[] = {"id", "schema", "properties", NULL};
	eg_screen_options o = EG_SCREEN_OPTIONS_INIT;
	json_t *props, *names = NULL, *countries = NULL, *dob = NULL, *results, *seen, *v;
	const char *schema = "LegalEntity", *qcountry = NULL;
	char prefix[96], f[160];
	eg_error err;
	size_t i, k;
	int rc = -1;

	*out = NULL;
	snprintf(prefix, sizeof(prefix), "$.queries.%.64s.", qid);
	if (!json_is_object(q)) {
		snprintf(f, sizeof(f), "$.queries.%.64s", qid);
		return srv_error(r, 422, "invalid", f, "a query is an object"), -1;
	}
	if (srv_only_keys(r, q, prefix, q_allowed) != 0)
		return -1;
	v = json_object_get(q, "schema");
	if (v != NULL) {
		snprintf(f, sizeof(f), "%sschema", prefix);
		if (!json_is_string(v))
			return srv_error(r, 422, "invalid", f, "a schema name"), -1;
		schema = json_string_value(v);
	}
	for (i = 0; i < sizeof(schemata) / sizeof(schemata[0]); i++)
		if (strcmp(schemata[i].schema, schema) == 0)
			break;
	if (i == sizeof(schemata) / sizeof(schemata[0])) {
		snprintf(f, sizeof(f), "%sschema", prefix);
		return srv_error(r, 422, "invalid", f, "schema \"%.64s\" is not one exportgate "
		                 "screens (Person, Organization, Company, PublicBody, LegalEntity, "
		                 "Thing, Vessel, Airplane)", schema), -1;
	}
	o.type = schemata[i].type;
	o.source = source;
	o.min_score = cutoff;
	o.limit = limit;
	o.group = 1; /* a party listed by several sources: one result, its datasets */
	props = json_object_get(q, "properties");
	snprintf(f, sizeof(f), "%sproperties", prefix);
	if (!json_is_object(props))
		return srv_error(r, 422, "invalid", f, "properties: an object with a name"), -1;
	if (prop_values(r, props, qid, "name", &names) != 0 ||
	    prop_values(r, props, qid, "country", &countries) != 0 ||
	    prop_values(r, props, qid, "birthDate", &dob) != 0)
		goto done;
	if (names == NULL || json_array_size(names) == 0) {
		snprintf(f, sizeof(f), "%sproperties.name", prefix);
		srv_error(r, 422, "missing", f, "give at least one name");
		goto done;
	}
	if (json_array_size(names) > 32) {
		snprintf(f, sizeof(f), "%sproperties.name", prefix);
		srv_error(r, 413, "too_big", f, "at most 32 names per query");
		goto done;
	}
	if (countries != NULL && json_array_size(countries) > 0)
		qcountry = json_string_value(json_array_get(countries, 0));
	results = json_array();
	seen = json_object();
	json_array_foreach(names, k, v) {
		eg_hits *hits = NULL;
		const char *name = json_string_value(v);
		if (eg_screen(r->e, &hits, name, strlen(name), &o, &err) != 0) {
			snprintf(f, sizeof(f), "%sproperties.name[%zu]", prefix, k);
			srv_engine_error(r, &err, f);
			json_decref(results);
			json_decref(seen);
			goto done;
		}
		r->screened++;
		for (i = 0; i < hits->count; i++) {
			const eg_hit *h = eg_hits_at(hits, i);
			json_t *res = result_json(h, threshold, qcountry), *old;
			const char *id = json_string_value(json_object_get(res, "id"));
			old = json_object_get(seen, id);
			if (old != NULL && json_real_value(json_object_get(old, "score")) >= h->score) {
				json_decref(res);
				continue;
			}
			json_object_set_new(seen, id, res);
		}
		eg_hits_free(hits);
	}
	{
		const char *key;
		json_object_foreach(seen, key, v)
			json_array_append(results, v);
	}
	json_decref(seen);
	/* Best first; ties by id, so the answer does not depend on order. */
	{
		size_t n = json_array_size(results), a, b;
		for (a = 1; a < n; a++)
			for (b = a; b > 0; b--) {
				json_t *x = json_array_get(results, b - 1), *y = json_array_get(results, b);
				double sx = json_real_value(json_object_get(x, "score"));
				double sy = json_real_value(json_object_get(y, "score"));
				if (sx > sy || (sx == sy && strcmp(json_string_value(json_object_get(x, "id")),
				                                   json_string_value(json_object_get(y, "id"))) <= 0))
					break;
				json_incref(x);
				json_array_set(results, b - 1, y);
				json_array_set_new(results, b, x);
			}
	}
	{
		size_t total = json_array_size(results);
		while (json_array_size(results) > limit)
			json_array_remove(results, json_array_size(results) - 1);
		*out = json_pack("{s:i, s:o, s:{s:I, s:s}, s:O}", "status", 200, "results", results,
		                 "total", "value", (json_int_t)total, "relation", "eq", "query", q);
	}
	rc = 0;
done:
	json_decref(names);
	json_decref(countries);
	json_decref(dob);
	return rc;
}

int yente_match(srv_req *r)
{
	static const char *const allowed[] = {"queries", "weights", "config", NULL};
	char source[32];
	double threshold = 0.7, cutoff = 0.5;
	size_t limit = 5;
	json_t *body, *queries, *q, *responses = NULL, *one;
	const char *qid, *ls = srv_query(r, "limit");

	if (!dataset_source(r, source, sizeof(source)))
		return srv_error(r, 404, "not_found", "dataset", "no dataset \"%.64s\" (default, "
		                 "sanctions, or a source such as us_ofac_sdn)", r->arg);
	threshold = eg_default_threshold();
	if (param_double(r, "threshold", &threshold) != 0 || param_double(r, "cutoff", &cutoff) != 0)
		return 0;
	if (ls != NULL) {
		char *end;
		unsigned long v;
		errno = 0;
		v = strtoul(ls, &end, 10);
		if (ls[0] < '0' || ls[0] > '9' || errno != 0 || *end != '\0' || v < 1 ||
		    v > SRV_CAP_LIMIT)
			return srv_error(r, 422, "invalid", "limit", "a number from 1 to %d",
			                 SRV_CAP_LIMIT);
		limit = v;
	}
	if ((body = srv_body_json(r)) == NULL)
		return 0;
	if (srv_only_keys(r, body, "$.", allowed) != 0)
		goto done;
	queries = json_object_get(body, "queries");
	if (!json_is_object(queries) || json_object_size(queries) == 0) {
		srv_error(r, 422, "invalid", "$.queries", "queries: an object of named queries");
		goto done;
	}
	if (json_object_size(queries) > SRV_CAP_YENTE_QUERIES) {
		srv_error(r, 413, "too_big", "$.queries", "at most %d queries per request",
		          SRV_CAP_YENTE_QUERIES);
		goto done;
	}
	responses = json_object();
	json_object_foreach(queries, qid, q) {
		if (match_query(r, &one, qid, q, source[0] ? source : NULL, threshold,
		                cutoff < threshold ? cutoff : threshold, limit) != 0)
			goto done;
		json_object_set_new(responses, qid, one);
	}
	r->json = json_pack("{s:o, s:{s:s, s:s, s:s}, s:I}", "responses", responses, "matcher",
	                    "name", "exportgate", "version", eg_version(), "description",
	                    "exportgate's token-weighted name score (docs/screening.md)",
	                    "limit", (json_int_t)limit);
	responses = NULL;
	r->status = 200;
done:
	json_decref(responses);
	json_decref(body);
	return 0;
}
