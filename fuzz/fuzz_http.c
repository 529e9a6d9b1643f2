/* fuzz_http.c - HTTP requests given to the server's handlers directly
 * (src/server/api.c, yente.c, request.c), without a socket: query strings,
 * path arguments and JSON bodies of /v1/screen, /v1/decide, /match and the
 * reading endpoints.
 *
 * The input: one byte choosing the endpoint, then "ARG?QUERY" up to the
 * first newline, then the body. The query is split on '&' and '=' and
 * percent-decoded as libmicrohttpd does (srv_query is this file's, not
 * server.c's). The engine is opened once, on a store of two versions of a
 * small SDN file and two logged decisions.
 *
 * Every answer must be well formed: a status the API documents for a bad
 * request (400, 404, 413, 415, 422) or a success (200, 201), never 500 or
 * 503 (the store is sound and memory plentiful); a JSON body that can be
 * written out; an error with its code and message; for a screening, hits
 * with scores in [0, 1], best first; for a decision, one of the four
 * outcomes and its log record. */
#include "server.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PARAMS 32

static eg_engine *engine;
static char dir[256];

/* The query of the request being handled. */
static struct {
	char *key[MAX_PARAMS], *val[MAX_PARAMS];
	size_t n;
} q;

const char *srv_query(srv_req *r, const char *name)
{
	size_t i;

	(void)r;
	for (i = 0; i < q.n; i++)
		if (strcmp(q.key[i], name) == 0)
			return q.val[i];
	return NULL;
}

static void violated(const char *what, const srv_req *r)
{
	char *s = r->json ? json_dumps(r->json, JSON_COMPACT) : NULL;

	fprintf(stderr, "fuzz http: invariant violated: %s (status %d): %s\n", what, r->status,
	        s ? s : r->text ? r->text : "(no answer)");
	abort();
}

static void cleanup(void)
{
	char cmd[300];

	eg_engine_free(engine);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz http: could not remove %s\n", dir);
}

/* A scratch directory: in memory when /dev/shm can be written (every
 * decision is a durable commit), else under $TMPDIR. */
static void open_once(void)
{
	static const char deal[] =
		"{\"date\": \"2021-06-01\", \"exporter\": {\"name\": \"X\", \"country\": \"US\"},"
		" \"items\": [{\"classification\": \"4D004\"}], \"destination\": \"DE\","
		" \"parties\": [{\"role\": \"end_user\", \"name\": \"Banco Nacional de Cuba\","
		" \"country\": \"CU\", \"type\": \"bank\"}], \"end_use\": {\"statements\": [],"
		" \"flags\": []}}";
	const char *tmp = getenv("TMPDIR");
	eg_open_options o = EG_OPEN_OPTIONS_INIT;
	eg_import_options io = EG_IMPORT_OPTIONS_INIT;
	eg_list_version v;
	eg_decision *d;
	char store[300];
	eg_error err;
	int i;

	if (engine != NULL)
		return;
	snprintf(dir, sizeof(dir), "%s/eg-fuzz-http-XXXXXX",
	         access("/dev/shm", W_OK) == 0 ? "/dev/shm" : tmp && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		abort();
	}
	snprintf(store, sizeof(store), "%s/store.db", dir);
	o.store_path = store;
	o.index_dir = "";
	if (eg_engine_open(&engine, &o, &err) != 0)
		goto fail;
	atexit(cleanup);
	io.source = "us-ofac-sdn";
	io.path = "tests/data/ofac_csv/good";
	io.published = "2021-01-01";
	if (eg_import(engine, &v, &io, &err) != 0)
		goto fail;
	io.path = "tests/data/ofac_csv/utf8";
	io.published = "2021-02-01";
	if (eg_import(engine, &v, &io, &err) != 0)
		goto fail;
	for (i = 0; i < 2; i++) {
		if (eg_decide(engine, &d, deal, sizeof(deal) - 1, NULL, &err) != 0)
			goto fail;
		eg_decision_free(d);
	}
	return;
fail:
	fprintf(stderr, "fuzz http: setting up the engine: %s\n", err.message);
	abort();
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes %XX and '+' in place, as libmicrohttpd does for arguments. */
static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '+') {
			*w++ = ' ';
		} else if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*w++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static void parse_query(char *s)
{
	char *save = NULL, *kv;

	q.n = 0;
	for (kv = strtok_r(s, "&", &save); kv != NULL && q.n < MAX_PARAMS;
	     kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		if (eq != NULL)
			*eq = '\0';
		unescape(kv);
		q.key[q.n] = kv;
		q.val[q.n] = eq ? eq + 1 : kv + strlen(kv); /* "?explain": "" */
		if (eq != NULL)
			unescape(eq + 1);
		q.n++;
	}
}

typedef struct endpoint {
	const char *method;
	srv_endpoint ep;
	int (*handler)(srv_req *r);
	int body;
} endpoint;

static const endpoint endpoints[] = {
	{"GET", SRV_EP_SCREEN, api_screen_get, 0},
	{"POST", SRV_EP_SCREEN_BATCH, api_screen_post, 1},
	{"POST", SRV_EP_DECIDE, api_decide, 1},
	{"POST", SRV_EP_MATCH, yente_match, 1},
	{"GET", SRV_EP_LIST_DIFF, api_list_diff, 0},
	{"GET", SRV_EP_LIST_VERSIONS, api_list_versions, 0},
	{"GET", SRV_EP_COUNTRY_LIST, api_country_list, 0},
	{"GET", SRV_EP_AUDIT, api_audit, 0},
	{"GET", SRV_EP_AUDIT_RECORD, api_audit_record, 0},
	{"GET", SRV_EP_AUDIT_CONSISTENCY, api_audit_consistency, 0},
	{"POST", SRV_EP_REVIEW, api_review, 1},
};
#define N_ENDPOINTS (sizeof(endpoints) / sizeof(endpoints[0]))

static int is_string(json_t *o, const char *key)
{
	return json_is_string(json_object_get(o, key));
}

/* A screening result {"query", "hits": [...]}: scores in [0, 1], best first. */
static void check_hits(const srv_req *r, json_t *res)
{
	json_t *hits = json_object_get(res, "hits"), *h;
	double last = 2.0;
	size_t i;

	if (!json_is_array(hits))
		violated("a screening without hits", r);
	json_array_foreach(hits, i, h) {
		double s = json_number_value(json_object_get(h, "score"));
		if (!(s >= 0.0 && s <= 1.0) || s > last + 1e-12 || !is_string(h, "uid"))
			violated("a hit's score out of [0, 1] or out of order, or no uid", r);
		last = s;
	}
}

static void check_json(const endpoint *ep, const srv_req *r, json_t *j)
{
	char *out;

	if (j == NULL)
		violated("no answer", r);
	if ((out = json_dumps(j, JSON_COMPACT)) == NULL)
		violated("an answer that cannot be written", r);
	free(out);
	switch (r->status) {
	case 200: case 201:
		break;
	case 400: case 404: case 413: case 415: case 422: {
		json_t *e = json_object_get(j, "error");
		json_t *f = json_object_get(e, "field");
		if (!is_string(e, "code") || !is_string(e, "message") ||
		    (f != NULL && !json_is_null(f) && !json_is_string(f)))
			violated("an error without its code and message", r);
		return;
	}
	default:
		violated("a status no bad request may cause", r);
	}
	if (ep->ep == SRV_EP_SCREEN) {
		check_hits(r, j);
	} else if (ep->ep == SRV_EP_SCREEN_BATCH) {
		json_t *res = json_object_get(j, "results"), *one;
		size_t i;
		if (!json_is_array(res) || json_array_size(res) == 0)
			violated("a batch screening without results", r);
		json_array_foreach(res, i, one)
			check_hits(r, one);
	} else if (ep->ep == SRV_EP_DECIDE) {
		const char *d = json_string_value(json_object_get(j, "decision"));
		if (d == NULL || (strcmp(d, "allow") && strcmp(d, "review") &&
		                  strcmp(d, "licence_required") && strcmp(d, "deny")) ||
		    !json_is_integer(json_object_get(json_object_get(j, "audit"), "index")))
			violated("a decision without its outcome or its log record", r);
	} else if (ep->ep == SRV_EP_MATCH) {
		if (!json_is_object(json_object_get(j, "responses")))
			violated("a match without responses", r);
	}
}

/* The answer's invariants. A text answer is a page, the metrics, or a
 * decision sent as the engine wrote it: that one must be JSON and holds
 * what a decision's answer holds. */
static void check(const endpoint *ep, const srv_req *r)
{
	json_t *parsed;

	if (r->text == NULL) {
		check_json(ep, r, r->json);
		return;
	}
	if (ep->ep != SRV_EP_DECIDE)
		return;
	if ((parsed = json_loadb(r->text, r->text_len, 0, NULL)) == NULL)
		violated("a decision's answer that is not JSON", r);
	check_json(ep, r, parsed);
	json_decref(parsed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const endpoint *ep;
	srv_req r;
	char *line, *body, *query, arg[256];
	const uint8_t *nl;
	size_t line_len;

	if (size < 1)
		return 0;
	open_once();
	ep = &endpoints[data[0] % N_ENDPOINTS];
	data++;
	size--;
	nl = memchr(data, '\n', size);
	line_len = nl ? (size_t)(nl - data) : size;
	if ((line = malloc(line_len + 1)) == NULL)
		return 0;
	memcpy(line, data, line_len);
	line[line_len] = '\0';
	body = malloc(size - line_len + 1);
	if (body == NULL) {
		free(line);
		return 0;
	}
	if (nl != NULL)
		memcpy(body, nl + 1, size - line_len - 1);
	body[nl ? size - line_len - 1 : 0] = '\0';
	/* The path argument: one segment of at most 255 bytes, as routed. */
	query = strchr(line, '?');
	if (query != NULL)
		*query++ = '\0';
	snprintf(arg, sizeof(arg), "%s", line);
	if (strchr(arg, '/') != NULL || arg[0] == '\0')
		snprintf(arg, sizeof(arg), "%s", "us-ofac-sdn");
	parse_query(query ? query : line + strlen(line));
	memset(&r, 0, sizeof(r));
	r.e = engine;
	r.method = ep->method;
	r.url = "/fuzz";
	r.arg = arg;
	r.body = ep->body ? body : NULL;
	r.body_len = ep->body && nl ? size - line_len - 1 : 0;
	r.roles = EG_ROLE_ALL;
	r.key_name = "fuzz";
	r.outcome = -1;
	ep->handler(&r);
	check(ep, &r);
	json_decref(r.json);
	free(r.text);
	free(line);
	free(body);
	return 0;
}
