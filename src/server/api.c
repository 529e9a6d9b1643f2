/* api.c - the /v1 endpoints: screening, deciding, list versions and their
 * diffs, country lists, the decision log. Each handler validates every
 * parameter before calling the engine, so a bad request changes nothing and
 * its error names the field (docs/openapi.yaml). */
#include "server.h"
#include "util/answer.h"
#include "util/num.h"
#include "util/date.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- parameters ----------------------------------------------------------- */


static int parse_score(double *out, const char *s)
{
	char *end;
	double v;

	if (s == NULL || s[0] == '\0')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !(v >= 0.0 && v <= 1.0))
		return -1;
	*out = v;
	return 0;
}

static int parse_bool(int *out, const char *s)
{
	if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 || strcmp(s, "") == 0)
		*out = 1;
	else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int date_ok(const char *s)
{
	return s != NULL && eg__date_valid(s, strlen(s));
}

/* --- screening ------------------------------------------------------------ */

/* The options common to both screens, from strings; field names the
 * parameter at fault (prefix "" for the query string, "$." for a body). */
typedef struct screen_params {
	eg_screen_options o;
	int explain;
} screen_params;

static int screen_params_set(srv_req *r, screen_params *p, const char *prefix,
                             const char *type, const char *country, const char *source,
                             const char *limit, const char *min_score, const char *as_of,
                             const char *explain)
{
	char f[32];
	eg_screen_options init = EG_SCREEN_OPTIONS_INIT;

	p->o = init;
	p->o.group = 1; /* one hit per party, its other listings in also_in */
	p->explain = 0;
#define FIELD(n) (snprintf(f, sizeof(f), "%s%s", prefix, n), f)
	if (type != NULL && eg_type_parse(&p->o.type, type) != 0)
		return srv_error(r, 422, "invalid", FIELD("type"), "\"%.64s\" is not a type "
		                 "(individual, entity, vessel, aircraft, any)", type), -1;
	if (country != NULL) {
		if (country[0] == '\0' || strlen(country) > 64)
			return srv_error(r, 422, "invalid", FIELD("country"),
			                 "a country: an ISO 3166-1 code or a name"), -1;
		p->o.country = country;
	}
	if (source != NULL) {
		if (source[0] == '\0' || strlen(source) > 31)
			return srv_error(r, 422, "invalid", FIELD("source"), "a source name"), -1;
		p->o.source = source;
	}
	if (limit != NULL && eg__parse_size(&p->o.limit, limit, 1, SRV_CAP_LIMIT) != 0)
		return srv_error(r, 422, "invalid", FIELD("limit"), "a number from 1 to %d",
		                 SRV_CAP_LIMIT), -1;
	if (min_score != NULL && parse_score(&p->o.min_score, min_score) != 0)
		return srv_error(r, 422, "invalid", FIELD("min_score"), "a number from 0 to 1"), -1;
	if (as_of != NULL) {
		if (!date_ok(as_of))
			return srv_error(r, 422, "invalid", FIELD("as_of"), "\"%.32s\" is not a date "
			                 "(YYYY-MM-DD)", as_of), -1;
		p->o.as_of = as_of;
	}
	if (explain != NULL && parse_bool(&p->explain, explain) != 0)
		return srv_error(r, 422, "invalid", FIELD("explain"), "true or false"), -1;
#undef FIELD
	return 0;
}

/* Screens one name: *hits the engine's answer (the caller frees it), *out
 * the object {"query", "threshold", "candidates", "hits": [...]}. */
static int screen_head(srv_req *r, json_t **out, eg_hits **hits, const char *name,
                       const screen_params *p, const char *field)
{
	eg_error err;
	json_t *o, *arr;
	size_t i;

	*out = NULL;
	*hits = NULL;
	if (eg_screen(r->e, hits, name, strlen(name), &p->o, &err) != 0)
		return srv_engine_error(r, &err, field), -1;
	r->screened++;
	arr = json_array();
	for (i = 0; arr != NULL && i < (*hits)->count; i++)
		if (json_array_append_new(arr, eg__hit_json(eg_hits_at(*hits, i), p->explain)) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	o = json_pack("{s:s, s:f, s:I, s:o}", "query", name, "threshold", (*hits)->threshold,
	              "candidates", (json_int_t)(*hits)->candidates, "hits", arr);
	if (o == NULL) {
		eg_hits_free(*hits);
		*hits = NULL;
		return srv_error(r, 503, "no_memory", NULL, "out of memory"), -1;
	}
	*out = o;
	return 0;
}

/* Screens one name into a result object {"query", "hits": [...]}, plus the
 * answer's consulted versions when whole. */
static int screen_one(srv_req *r, json_t **out, const char *name, const screen_params *p,
                      const char *field, int whole)
{
	eg_hits *hits;
	json_t *o;

	if (screen_head(r, &o, &hits, name, p, field) != 0)
		return -1;
	if ((whole || hits->n_skipped > 0) && eg__answer_json(o, hits) != 0) {
		json_decref(o);
		o = NULL;
	}
	eg_hits_free(hits);
	if (o == NULL)
		return srv_error(r, 503, "no_memory", NULL, "out of memory"), -1;
	*out = o;
	return 0;
}

/* --- the tail of an answer, remembered -------------------------------------- */

/* The "consulted", "skipped" and "warnings" members of an answer depend on
 * the versions consulted and the sources skipped alone: the same for every
 * screen until a list or an as_of changes. Built and written by jansson,
 * they cost a server more than the hits of a typical answer (1.3 times the
 * instructions of the screen itself, callgrind), so the last TAIL_SLOTS are
 * kept as text, each under the key eg__answer_key makes of every input
 * they are made of, compared byte for byte. A key or a tail too big for a
 * slot is made each time. */
#define TAIL_SLOTS    8
#define TAIL_KEY_MAX  2048
#define TAIL_TEXT_MAX 8192

static struct tail_slot {
	size_t key_len, text_len;
	char key[TAIL_KEY_MAX];
	char text[TAIL_TEXT_MAX];
} tails[TAIL_SLOTS];
static size_t tail_next, tail_used;
static pthread_mutex_t tail_lock = PTHREAD_MUTEX_INITIALIZER;

/* The answer's text into r: head h[0..hl) ("{...}"), its last brace giving
 * way to the tail's members t[0..tl). */
static int join_answer(srv_req *r, const char *h, size_t hl, const char *t, size_t tl)
{
	if ((r->text = malloc(hl + tl + 3)) == NULL)
		return -1;
	memcpy(r->text, h, hl - 1);
	r->text[hl - 1] = ',';
	memcpy(r->text + hl, t, tl);
	memcpy(r->text + hl + tl, "}\n", 3);
	r->text_len = hl + tl + 2;
	r->content_type = "application/json";
	return 0;
}

/* The whole answer as text: head's members, then the tail of hits, from a
 * slot or made (and kept). */
static int answer_text(srv_req *r, json_t *head, const eg_hits *hits)
{
	char *h = json_dumps(head, SRV_JSON_FLAGS), *t = NULL;
	eg__buf key;
	json_t *o = NULL;
	size_t hl, tl, i;
	int keyed, rc = -1;

	eg__buf_init(&key, TAIL_KEY_MAX);
	if (h == NULL)
		goto done;
	hl = strlen(h);
	keyed = eg__answer_key(&key, hits) == 0;
	if (keyed) {
		pthread_mutex_lock(&tail_lock);
		for (i = 0; i < tail_used; i++)
			if (tails[i].key_len == key.len && memcmp(tails[i].key, key.ptr, key.len) == 0)
				break;
		if (i < tail_used)
			rc = join_answer(r, h, hl, tails[i].text, tails[i].text_len);
		pthread_mutex_unlock(&tail_lock);
		if (i < tail_used)
			goto done;
	}
	if ((o = json_object()) == NULL || eg__answer_json(o, hits) != 0 ||
	    (t = json_dumps(o, SRV_JSON_FLAGS)) == NULL)
		goto done;
	tl = strlen(t) - 2; /* its members: "{...}" without the braces */
	rc = join_answer(r, h, hl, t + 1, tl);
	if (rc == 0 && keyed && tl < TAIL_TEXT_MAX) {
		pthread_mutex_lock(&tail_lock);
		i = tail_next;
		tail_next = (tail_next + 1) % TAIL_SLOTS;
		if (tail_used < TAIL_SLOTS)
			tail_used++;
		tails[i].key_len = key.len;
		memcpy(tails[i].key, key.ptr, key.len);
		tails[i].text_len = tl;
		memcpy(tails[i].text, t + 1, tl);
		pthread_mutex_unlock(&tail_lock);
	}
done:
	json_decref(o);
	free(h);
	free(t);
	eg__buf_free(&key);
	if (rc != 0)
		srv_error(r, 503, "no_memory", NULL, "out of memory");
	return rc;
}

int api_screen_get(srv_req *r)
{
	screen_params p;
	const char *name = srv_query(r, "name");
	eg_hits *hits;
	json_t *o;
	int rc;

	if (name == NULL)
		return srv_error(r, 422, "missing", "name", "give the name to screen: ?name=");
	if (screen_params_set(r, &p, "", srv_query(r, "type"), srv_query(r, "country"),
	                      srv_query(r, "source"), srv_query(r, "limit"),
	                      srv_query(r, "min_score"), srv_query(r, "as_of"),
	                      srv_query(r, "explain")) != 0)
		return 0;
	if (screen_head(r, &o, &hits, name, &p, "name") != 0)
		return 0;
	if (json_object_set_new(o, "as_of", p.o.as_of ? json_string(p.o.as_of) : json_null()) != 0) {
		srv_error(r, 503, "no_memory", NULL, "out of memory");
		rc = -1;
	} else {
		rc = answer_text(r, o, hits);
	}
	json_decref(o);
	eg_hits_free(hits);
	if (rc == 0)
		r->status = 200;
	return 0;
}

/* A string member of a body, or NULL; a member of another type is an
 * error (-1, answer set). Numbers are given back as text for the parsers. */
static int body_str(srv_req *r, json_t *obj, const char *key, const char **out, char *num,
                    size_t num_size)
{
	json_t *v = json_object_get(obj, key);
	char f[48];

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	snprintf(f, sizeof(f), "$.%s", key);
	if (json_is_string(v)) {
		*out = json_string_value(v);
		return 0;
	}
	if (num != NULL && json_is_number(v)) {
		if (json_is_integer(v))
			snprintf(num, num_size, "%lld", (long long)json_integer_value(v));
		else
			snprintf(num, num_size, "%.17g", json_real_value(v));
		*out = num;
		return 0;
	}
	if (num != NULL && json_is_boolean(v)) {
		*out = json_is_true(v) ? "true" : "false";
		return 0;
	}
	return srv_error(r, 422, "invalid", f, "%s has the wrong type", key), -1;
}

int api_screen_post(srv_req *r)
{
	static const char *const allowed[] = {"names", "type", "country", "source", "limit",
	                                      "min_score", "as_of", "explain", NULL};
	const char *type, *country, *source, *limit, *min_score, *as_of, *explain;
	char nlimit[32], nscore[32], nexplain[8];
	json_t *body, *names, *v, *results = NULL, *first = NULL, *o;
	screen_params p;
	char field[48];
	size_t i;

	if ((body = srv_body_json(r)) == NULL)
		return 0;
	if (srv_only_keys(r, body, "$.", allowed) != 0)
		goto done;
	names = json_object_get(body, "names");
	if (!json_is_array(names) || json_array_size(names) == 0) {
		srv_error(r, 422, "invalid", "$.names", "names: an array of 1 to %d names",
		          SRV_CAP_BATCH_NAMES);
		goto done;
	}
	if (json_array_size(names) > SRV_CAP_BATCH_NAMES) {
		srv_error(r, 413, "too_big", "$.names", "%zu names: at most %d per request",
		          json_array_size(names), SRV_CAP_BATCH_NAMES);
		goto done;
	}
	json_array_foreach(names, i, v)
		if (!json_is_string(v)) {
			snprintf(field, sizeof(field), "$.names[%zu]", i);
			srv_error(r, 422, "invalid", field, "a name is a string");
			goto done;
		}
	if (body_str(r, body, "type", &type, NULL, 0) || body_str(r, body, "country", &country,
	    NULL, 0) || body_str(r, body, "source", &source, NULL, 0) ||
	    body_str(r, body, "limit", &limit, nlimit, sizeof(nlimit)) ||
	    body_str(r, body, "min_score", &min_score, nscore, sizeof(nscore)) ||
	    body_str(r, body, "as_of", &as_of, NULL, 0) ||
	    body_str(r, body, "explain", &explain, nexplain, sizeof(nexplain)))
		goto done;
	if (screen_params_set(r, &p, "$.", type, country, source, limit, min_score, as_of,
	                      explain) != 0)
		goto done;
	results = json_array();
	json_array_foreach(names, i, v) {
		snprintf(field, sizeof(field), "$.names[%zu]", i);
		if (screen_one(r, &o, json_string_value(v), &p, field, i == 0) != 0)
			goto done;
		if (i == 0) {
			first = o;
			o = json_deep_copy(first);
			json_object_del(o, "consulted");
			json_object_del(o, "skipped");
			json_object_del(o, "warnings");
		}
		json_array_append_new(results, o);
	}
	r->json = json_pack("{s:I, s:o, s:O, s:O, s:O, s:o}", "count",
	                    (json_int_t)json_array_size(results), "results", results,
	                    "consulted", json_object_get(first, "consulted"),
	                    "skipped", json_object_get(first, "skipped"),
	                    "warnings", json_object_get(first, "warnings"),
	                    "as_of", p.o.as_of ? json_string(p.o.as_of) : json_null());
	results = NULL;
	r->status = 200;
done:
	json_decref(first);
	json_decref(results);
	json_decref(body);
	return 0;
}

/* --- deciding ------------------------------------------------------------- */

int api_decide(srv_req *r)
{
	eg_decide_options o = EG_DECIDE_OPTIONS_INIT;
	eg_decision *d = NULL;
	eg_error err;
	json_t *body;

	o.asked_by = r->key_name;
	if (eg_decide(r->e, &d, r->body, r->body_len, &o, &err) != 0) {
		/* A body that is not a JSON object is answered as such, a 400
		 * with its line and column or a 422, whatever the engine said:
		 * checked only once the decision failed (the engine parses the
		 * body with the same flags, so a decided body is a JSON object),
		 * not parsed twice for every decision. */
		if ((body = srv_body_json(r)) == NULL)
			return 0;
		json_decref(body);
		return srv_engine_error(r, &err, NULL);
	}
	/* The engine's JSON text is the answer as it stands: parsed and
	 * written again, it cost a decision more than its own record. */
	r->outcome = (int)d->outcome;
	if ((r->text = malloc(d->json_len + 2)) == NULL) {
		eg_decision_free(d);
		return srv_error(r, 503, "no_memory", NULL, "out of memory");
	}
	memcpy(r->text, d->json, d->json_len);
	r->text[d->json_len] = '\n'; /* a final newline, as for every answer */
	r->text[d->json_len + 1] = '\0';
	r->text_len = d->json_len + 1;
	r->content_type = "application/json";
	eg_decision_free(d);
	r->status = 200;
	return 0;
}

static json_t *version_json(const eg_list_version *v);

/* POST /v1/reviews {"decision", "party", "entity", "verdict", "note"}: the
 * key's name is the reviewer. */
int api_review(srv_req *r)
{
	static const char *const keys[] = {"decision", "party", "entity", "verdict", "note", NULL};
	eg_review_options o = EG_REVIEW_OPTIONS_INIT;
	json_t *body;
	char *out = NULL;
	eg_error err;

	if ((body = srv_body_json(r)) == NULL)
		return 0;
	if (srv_only_keys(r, body, "$", keys) != 0) {
		json_decref(body);
		return 0;
	}
	if (!json_is_integer(json_object_get(body, "decision")) ||
	    json_integer_value(json_object_get(body, "decision")) < 0 ||
	    !json_is_integer(json_object_get(body, "party")) ||
	    json_integer_value(json_object_get(body, "party")) < 0) {
		json_decref(body);
		return srv_error(r, 422, "invalid", "decision", "decision and party: record index "
		                 "and party position, numbers from 0");
	}
	o.decision = (uint64_t)json_integer_value(json_object_get(body, "decision"));
	o.party = (size_t)json_integer_value(json_object_get(body, "party"));
	o.uid = json_string_value(json_object_get(body, "entity"));
	o.verdict = json_string_value(json_object_get(body, "verdict"));
	o.note = json_string_value(json_object_get(body, "note"));
	o.by = r->key_name;
	if (eg_review(r->e, &out, &o, &err) != 0) {
		json_decref(body);
		return srv_engine_error(r, &err, NULL);
	}
	json_decref(body);
	r->json = json_loads(out, 0, NULL);
	eg_free(out);
	if (r->json == NULL)
		return srv_error(r, 503, "no_memory", NULL, "out of memory");
	r->status = 201;
	return 0;
}

/* POST /v1/lists/{source}/import?file=NAME&published=DATE: the body is the
 * published file, written under its own name to a private directory (the
 * format is told by name and content) and imported in one transaction. */
int api_import(srv_req *r)
{
	const char *file = srv_query(r, "file"), *published = srv_query(r, "published");
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;
	char dir[] = "/tmp/eg-import-XXXXXX", path[512];
	eg_list_version v;
	eg_error err;
	FILE *f;
	int rc;

	if (file == NULL || file[0] == '\0' || strchr(file, '/') != NULL || file[0] == '.' ||
	    strlen(file) > 200)
		return srv_error(r, 422, "invalid", "file", "file: the published file's name (e.g. "
		                 "sdn.csv, consolidated.xml), without a directory");
	if (r->body_len == 0)
		return srv_error(r, 422, "invalid", "body", "the body is the published file");
	if (mkdtemp(dir) == NULL)
		return srv_error(r, 503, "unavailable", NULL, "cannot make a temporary directory");
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	rc = (f = fopen(path, "wb")) != NULL && fwrite(r->body, 1, r->body_len, f) == r->body_len;
	if (f != NULL && fclose(f) != 0)
		rc = 0;
	if (!rc) {
		remove(path);
		rmdir(dir);
		return srv_error(r, 503, "unavailable", NULL, "cannot write the upload");
	}
	o.source = r->arg;
	o.path = strcmp(file, "sdn.csv") == 0 || strncmp(file, "cons_", 5) == 0 ? dir : path;
	o.published = published;
	rc = eg_import(r->e, &v, &o, &err);
	remove(path);
	rmdir(dir);
	if (rc != 0)
		return srv_engine_error(r, &err, "body");
	r->json = version_json(&v);
	if (r->json != NULL)
		json_object_set_new(r->json, "created", json_boolean(v.created));
	r->status = v.created ? 201 : 200;
	return r->json ? 0 : srv_error(r, 503, "no_memory", NULL, "out of memory");
}

/* --- list versions -------------------------------------------------------- */

static json_t *version_json(const eg_list_version *v)
{
	json_t *carries = json_array();
	char kinds[96];
	unsigned bit;

	for (bit = 1; bit <= EG_CARRIES_PROGRAMS; bit <<= 1)
		if (v->carries & bit)
			json_array_append_new(carries, json_string(eg_carries_missing(bit, kinds,
			                                                              sizeof(kinds))));
	return json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s, s:I, s:I, s:o}", "id", (json_int_t)v->id,
	                 "source", v->source, "format", v->format,
	                 "published", v->published[0] ? v->published : NULL,
	                 "imported", v->imported, "sha256", v->sha256,
	                 "entities", (json_int_t)v->entities, "names", (json_int_t)v->names,
	                 "carries", carries);
}

int api_lists(srv_req *r)
{
	eg_list_version *v = NULL;
	const eg_country_list_info *cl = NULL;
	eg_error err;
	size_t n, ncl = 0, i;
	json_t *sources, *arr, *countries;

	if (eg_list_versions(r->e, &v, &n, &err) != 0)
		return srv_engine_error(r, &err, NULL);
	sources = json_object();
	for (i = 0; i < n; i++) {
		json_t *s = json_object_get(sources, v[i].source);
		if (s == NULL) {
			s = json_pack("{s:s, s:o, s:[]}", "source", v[i].source, "current",
			              version_json(&v[i]), "versions");
			json_object_set_new(sources, v[i].source, s);
		}
		json_array_append_new(json_object_get(s, "versions"), version_json(&v[i]));
	}
	eg_list_versions_free(v);
	arr = json_array();
	{
		const char *k;
		json_t *s;
		json_object_foreach(sources, k, s)
			json_array_append(arr, s);
	}
	json_decref(sources);
	countries = json_array();
	if (eg_country_lists(r->e, &cl, &ncl, &err) == 0)
		for (i = 0; i < ncl; i++)
			json_array_append_new(countries, json_pack("{s:s, s:s?, s:I, s:s?, s:b, s:I, s:I}",
			    "name", cl[i].name, "title", cl[i].title, "versions",
			    (json_int_t)cl[i].n_versions, "effective", cl[i].effective,
			    "partial", cl[i].partial, "size", (json_int_t)cl[i].size,
			    "known_members", (json_int_t)cl[i].known_members));
	r->json = json_pack("{s:o, s:o}", "sources", arr, "country_lists", countries);
	r->status = 200;
	return 0;
}

int api_list_versions(srv_req *r)
{
	eg_list_version *v = NULL;
	eg_error err;
	size_t n, i;
	json_t *arr;

	if (eg_list_versions(r->e, &v, &n, &err) != 0)
		return srv_engine_error(r, &err, NULL);
	arr = json_array();
	for (i = 0; i < n; i++)
		if (strcmp(v[i].source, r->arg) == 0)
			json_array_append_new(arr, version_json(&v[i]));
	eg_list_versions_free(v);
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return srv_error(r, 404, "not_found", "source", "no version of source \"%.64s\"",
		                 r->arg);
	}
	r->json = json_pack("{s:s, s:o}", "source", r->arg, "versions", arr);
	r->status = 200;
	return 0;
}

static int version_ref_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (date_ok(s))
		return 1;
	if (n == 0 || n > 18)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static json_t *strs(const char *const *v, size_t n)
{
	return eg__str_array(v, n);
}

int api_list_diff(srv_req *r)
{
	const char *from = srv_query(r, "from"), *to = srv_query(r, "to");
	size_t limit = 1000, i, j;
	eg_diff *d = NULL;
	eg_error err;
	json_t *entries;

	if (from != NULL && !version_ref_ok(from))
		return srv_error(r, 422, "invalid", "from", "a version id or a date (YYYY-MM-DD)");
	if (to != NULL && !version_ref_ok(to))
		return srv_error(r, 422, "invalid", "to", "a version id or a date (YYYY-MM-DD)");
	if (srv_query(r, "limit") != NULL &&
	    eg__parse_size(&limit, srv_query(r, "limit"), 0, 100000) != 0)
		return srv_error(r, 422, "invalid", "limit", "a number from 0 to 100000");
	if (eg_list_diff(r->e, &d, r->arg, from, to, &err) != 0)
		return srv_engine_error(r, &err, "source");
	entries = json_array();
	for (i = 0; i < d->count && i < limit; i++) {
		const eg_diff_entry *en = &d->entries[i];
		json_t *fields = json_array();
		for (j = 0; j < en->n_fields; j++)
			json_array_append_new(fields, json_pack("{s:s, s:o, s:o}", "field",
			    en->fields[j].field, "removed", strs(en->fields[j].removed,
			    en->fields[j].n_removed), "added", strs(en->fields[j].added,
			    en->fields[j].n_added)));
		json_array_append_new(entries, json_pack("{s:s, s:s, s:s, s:o}", "kind",
		    en->kind == EG_DIFF_ADDED ? "added" : en->kind == EG_DIFF_REMOVED ? "removed"
		                                                                    : "changed",
		    "uid", en->uid, "name", en->name ? en->name : "", "fields", fields));
	}
	r->json = json_pack("{s:s, s:o, s:o, s:I, s:I, s:I, s:I, s:s, s:I, s:b, s:o}",
	                    "source", r->arg, "from", version_json(&d->from), "to",
	                    version_json(&d->to), "added", (json_int_t)d->added, "removed",
	                    (json_int_t)d->removed, "changed", (json_int_t)d->changed,
	                    "unchanged", (json_int_t)d->unchanged, "not_compared",
	                    d->not_compared ? d->not_compared : "", "count",
	                    (json_int_t)d->count, "truncated", d->count > limit, "entries", entries);
	eg_diff_free(d);
	r->status = 200;
	return 0;
}

/* --- country lists -------------------------------------------------------- */

int api_countries(srv_req *r)
{
	const eg_country_list_info *cl = NULL;
	eg_error err;
	size_t n, i;
	json_t *arr;

	if (eg_country_lists(r->e, &cl, &n, &err) != 0)
		return srv_engine_error(r, &err, NULL);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s?, s:I, s:s?, s:b, s:I, s:I}",
		    "name", cl[i].name, "title", cl[i].title, "versions",
		    (json_int_t)cl[i].n_versions, "effective", cl[i].effective, "partial",
		    cl[i].partial, "size", (json_int_t)cl[i].size, "known_members",
		    (json_int_t)cl[i].known_members));
	r->json = json_pack("{s:o}", "country_lists", arr);
	r->status = 200;
	return 0;
}

int api_country_list(srv_req *r)
{
	const char *as_of = srv_query(r, "as_of");
	const eg_country_list_info *cl = NULL, *info = NULL;
	eg_country_members *m = NULL;
	json_t *yes, *unknown;
	eg_error err;
	size_t n, i;

	if (as_of != NULL && !date_ok(as_of))
		return srv_error(r, 422, "invalid", "as_of", "\"%.32s\" is not a date (YYYY-MM-DD)",
		                 as_of);
	if (eg_country_lists(r->e, &cl, &n, &err) != 0)
		return srv_engine_error(r, &err, NULL);
	for (i = 0; i < n; i++)
		if (strcmp(cl[i].name, r->arg) == 0)
			info = &cl[i];
	if (info == NULL)
		return srv_error(r, 404, "not_found", "list", "no country list \"%.64s\"", r->arg);
	if (eg_country_members_of(r->e, &m, r->arg, as_of, &err) != 0)
		return srv_engine_error(r, &err, "as_of");
	yes = eg__str_array(m->members, m->n_members);
	unknown = eg__str_array(m->unknown, m->n_unknown);
	r->json = json_pack("{s:s, s:s?, s:o, s:s, s:b, s:I, s:o, s:o, s:I}", "list", r->arg,
	                    "title", info->title, "as_of", as_of ? json_string(as_of) : json_null(),
	                    "effective", m->effective, "partial", m->n_unknown > 0,
	                    "size", (json_int_t)m->n_members, "members", yes, "unknown", unknown,
	                    "non_members", (json_int_t)m->n_non_members);
	eg_country_members_free(m);
	if (r->json == NULL)
		return srv_error(r, 503, "no_memory", NULL, "out of memory");
	r->status = 200;
	return 0;
}

/* --- the decision log ----------------------------------------------------- */

static int parse_u64(uint64_t *out, const char *s)
{
	size_t v;

	if (eg__parse_size(&v, s, 0, (size_t)1 << 62) != 0)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* Takes a JSON string the engine allocated into a json_t; NULL on error. */
static json_t *take_json(char *s)
{
	json_t *j = s ? json_loads(s, 0, NULL) : NULL;

	eg_free(s);
	return j;
}

int api_audit(srv_req *r)
{
	uint64_t size, after = 0, i;
	size_t limit = 50;
	eg_error err;
	json_t *recs;
	int backwards = srv_query(r, "after") == NULL;

	if (srv_query(r, "after") != NULL && parse_u64(&after, srv_query(r, "after")) != 0)
		return srv_error(r, 422, "invalid", "after", "a record index");
	if (srv_query(r, "limit") != NULL && eg__parse_size(&limit, srv_query(r, "limit"), 1, 500) != 0)
		return srv_error(r, 422, "invalid", "limit", "a number from 1 to 500");
	if (eg_audit_size(r->e, &size, &err) != 0)
		return srv_engine_error(r, &err, NULL);
	recs = json_array();
	/* Without ?after: the newest records, newest first; with it: the
	 * records after that index, oldest first. */
	for (i = 0; i < limit; i++) {
		uint64_t idx;
		char *s = NULL;
		json_t *rec, *p;
		if (backwards) {
			if (i >= size)
				break;
			idx = size - 1 - i;
		} else {
			idx = after + 1 + i;
			if (idx >= size)
				break;
		}
		if (eg_audit_record(r->e, &s, idx, &err) != 0) {
			json_decref(recs);
			return srv_engine_error(r, &err, NULL);
		}
		if ((rec = take_json(s)) == NULL)
			continue;
		p = json_object_get(rec, "payload");
		if (json_is_string(p)) {
			json_t *pj = json_loads(json_string_value(p), 0, NULL);
			if (pj != NULL)
				json_object_set_new(rec, "payload", pj);
		}
		json_array_append_new(recs, rec);
	}
	r->json = json_pack("{s:I, s:o}", "size", (json_int_t)size, "records", recs);
	r->status = 200;
	return 0;
}

int api_audit_record(srv_req *r)
{
	uint64_t idx, size;
	char *rec = NULL, *proof = NULL;
	eg_error err;
	json_t *rj, *pj, *p;

	if (parse_u64(&idx, r->arg) != 0)
		return srv_error(r, 422, "invalid", "index", "a record index (0, 1, ...)");
	if (eg_audit_size(r->e, &size, &err) != 0)
		return srv_engine_error(r, &err, NULL);
	if (idx >= size)
		return srv_error(r, 404, "not_found", "index", "no record %llu: the log holds %llu",
		                 (unsigned long long)idx, (unsigned long long)size);
	if (eg_audit_record(r->e, &rec, idx, &err) != 0)
		return srv_engine_error(r, &err, "index");
	if (eg_audit_prove(r->e, &proof, idx, 0, &err) != 0) {
		eg_free(rec);
		return srv_engine_error(r, &err, "index");
	}
	rj = take_json(rec);
	pj = take_json(proof);
	if (rj == NULL || pj == NULL) {
		json_decref(rj);
		json_decref(pj);
		return srv_error(r, 503, "store", NULL, "the record could not be read");
	}
	p = json_object_get(rj, "payload");
	if (json_is_string(p)) {
		json_t *parsed = json_loads(json_string_value(p), 0, NULL);
		if (parsed != NULL)
			json_object_set_new(rj, "payload", parsed);
	}
	r->json = json_pack("{s:o, s:o}", "record", rj, "proof", pj);
	r->status = 200;
	return 0;
}

int api_audit_checkpoint(srv_req *r)
{
	char *text = NULL, *pem = NULL;
	eg_error err;

	if (eg_audit_checkpoint(r->e, &text, &err) != 0)
		return srv_engine_error(r, &err, NULL);
	if (eg_audit_public_key(r->e, &pem, &err) != 0) {
		eg_free(text);
		return srv_engine_error(r, &err, NULL);
	}
	r->json = json_pack("{s:s, s:s}", "checkpoint", text, "public_key", pem);
	eg_free(text);
	eg_free(pem);
	r->status = 200;
	return 0;
}

int api_audit_consistency(srv_req *r)
{
	const char *old = srv_query(r, "old"), *sz = srv_query(r, "size");
	uint64_t o, s = 0, size;
	char *json = NULL;
	eg_error err;

	if (old == NULL)
		return srv_error(r, 422, "missing", "old", "give the older tree size: ?old=");
	if (parse_u64(&o, old) != 0 || o == 0)
		return srv_error(r, 422, "invalid", "old", "a tree size of at least 1");
	if (sz != NULL && (parse_u64(&s, sz) != 0 || s == 0))
		return srv_error(r, 422, "invalid", "size", "a tree size of at least 1");
	if (eg_audit_size(r->e, &size, &err) != 0)
		return srv_engine_error(r, &err, NULL);
	if (o > size || s > size || (s != 0 && o > s))
		return srv_error(r, 422, "invalid", "old", "old %llu is past the tree's %llu records",
		                 (unsigned long long)o, (unsigned long long)(s ? s : size));
	if (eg_audit_consistency(r->e, &json, o, s, &err) != 0)
		return srv_engine_error(r, &err, "old");
	if ((r->json = take_json(json)) == NULL)
		return srv_error(r, 503, "store", NULL, "the proof could not be read");
	r->status = 200;
	return 0;
}

int api_audit_verify(srv_req *r)
{
	char *json = NULL;
	eg_error err;
	int ok = 0;

	if (eg_audit_verify(r->e, &json, &ok, NULL, 0, &err) != 0)
		return srv_engine_error(r, &err, NULL);
	if ((r->json = take_json(json)) == NULL)
		return srv_error(r, 503, "store", NULL, "the report could not be read");
	r->status = 200;
	return 0;
}

int api_readyz(srv_req *r)
{
	eg_list_version *v = NULL;
	eg_error err;
	size_t n = 0;

	json_t *current;
	size_t i;

	/* the versions answered from: a version imported elsewhere is named
	 * only once its index is loaded (eg_engine_watch) */
	if (eg_list_versions_current(r->e, &v, &n, &err) != 0)
		return srv_error(r, 503, "store", NULL, "%s", err.message);
	if (n == 0) {
		eg_list_versions_free(v);
		return srv_error(r, 503, "not_ready", NULL, "no list imported yet");
	}
	/* The version of each source this server answers from now (the
	 * newest: versions come newest first per source), so that servers
	 * sharing a store can be seen to agree after an import. */
	current = json_object();
	for (i = 0; i < n; i++)
		if (json_object_get(current, v[i].source) == NULL)
			json_object_set_new(current, v[i].source, json_integer((json_int_t)v[i].id));
	eg_list_versions_free(v);
	r->json = json_pack("{s:s, s:I, s:o}", "status", "ready", "list_versions", (json_int_t)n,
	                    "current", current);
	r->status = 200;
	return 0;
}
