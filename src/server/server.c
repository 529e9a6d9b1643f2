/* server.c - the daemon: libmicrohttpd with its internal thread pool on
 * epoll, one engine shared by every thread (the engine is thread-safe and
 * picks up a version imported meanwhile by itself), routing, keys and
 * roles, the caps, JSON errors, the access log and a graceful stop.
 *
 * A request goes: first call (headers read) -> route, header cap,
 * connection cap, key -> body chunks (cap, content type, time) -> the
 * handler -> the response with its security headers -> the completed
 * callback (access log line, metrics, free). Nothing a client sends is
 * written to the log but the method and path: no key, no body, no query
 * (a query holds the names screened). */
#include "server.h"
#include "util/hash.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* --- state shared by every thread ----------------------------------------- */

static eg_engine *srv_engine;
static const srv_config *srv_cfg;

/* The cap on a request's time to arrive, in seconds. */
static unsigned request_seconds(void)
{
	return srv_cfg->request_seconds ? srv_cfg->request_seconds : SRV_CAP_REQUEST_SECONDS;
}
static int in_flight;          /* requests begun, not completed (atomic) */
static int draining;           /* set once on SIGTERM (atomic) */

/* Open connections per client address: a small open-addressed table
 * under a lock. The address is the key (IPv4 or IPv6 bytes). */
#define CLIENT_SLOTS 4096
typedef struct client_slot {
	unsigned char addr[16];
	int used;
	int count;
} client_slot;
static client_slot clients[CLIENT_SLOTS];
static pthread_mutex_t clients_lock = PTHREAD_MUTEX_INITIALIZER;

/* What key checks answered, for SRV_KEY_CACHE_MS: the SHA-256 of the key
 * (never the key) and the answer. */
#define KEY_SLOTS 256
typedef struct key_slot {
	char hash[65];
	int64_t until_ms;
	int found;
	unsigned roles;
	char name[EG_KEY_NAME_MAX + 1];
} key_slot;
static key_slot key_cache[KEY_SLOTS];
static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t now_ms(int clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- one request ---------------------------------------------------------- */

typedef struct req_ctx {
	srv_req r;
	srv_endpoint ep;
	int (*handler)(srv_req *r);
	unsigned need;           /* the role the endpoint needs; 0: none */
	double start;
	eg__buf body;
	int responded;           /* a response is queued */
	int body_failed;         /* over the cap or too slow: answered, body dropped */
	char client[64];
	char path_arg[256];
	char key_name[EG_KEY_NAME_MAX + 1];
	char allow[64];          /* the methods a path takes, for a 405 */
	size_t sent;
	int slow;                /* the handler runs in the work pool */
	int ran;                 /* the pool ran it: answer when resumed */
	struct MHD_Connection *conn;
	struct req_ctx *next;    /* in the work queue */
} req_ctx;

const char *srv_query(srv_req *r, const char *name)
{
	return MHD_lookup_connection_value((struct MHD_Connection *)r->conn,
	                                   MHD_GET_ARGUMENT_KIND, name);
}

/* --- routing -------------------------------------------------------------- */

typedef struct route {
	const char *method;
	const char *prefix;    /* the path, or its part before {arg} */
	const char *suffix;    /* after {arg}; NULL: no argument */
	srv_endpoint ep;
	unsigned need;         /* role needed; 0: none */
	int (*handler)(srv_req *r);
	int slow;              /* waits on the disk or runs long: the work pool */
} route;

static int h_healthz(srv_req *r)
{
	r->json = json_pack("{s:s, s:s}", "status", "ok", "version", eg_version());
	r->status = 200;
	return 0;
}

static int h_metrics(srv_req *r)
{
	if (metrics_render(r->e, &r->text, &r->text_len) != 0)
		return srv_error(r, 503, "no_memory", NULL, "out of memory");
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	r->status = 200;
	return 0;
}

static int h_whoami(srv_req *r)
{
	json_t *roles = json_array();
	unsigned bit;

	for (bit = 1; bit <= EG_ROLE_ADMIN; bit <<= 1)
		if (r->roles & bit)
			json_array_append_new(roles, json_string(eg_role_name(bit)));
	r->json = json_pack("{s:s, s:o, s:b}", "name", r->key_name, "roles", roles,
	                    "auth", !srv_cfg->no_auth);
	r->status = 200;
	return 0;
}

static int h_web(srv_req *r)
{
	size_t len;
	const char *type, *f = web_file(r->url, &len, &type);

	if (f == NULL)
		return srv_error(r, 404, "not_found", NULL, "no such page");
	if ((r->text = malloc(len ? len : 1)) == NULL)
		return srv_error(r, 503, "no_memory", NULL, "out of memory");
	memcpy(r->text, f, len);
	r->text_len = len;
	r->content_type = type;
	r->cache = "no-cache";
	r->status = 200;
	return 0;
}

#define R_SCREEN EG_ROLE_SCREEN
#define R_DECIDE EG_ROLE_DECIDE
#define R_REVIEW EG_ROLE_REVIEW
static const route routes[] = {
	{"GET", "/healthz", NULL, SRV_EP_HEALTHZ, 0, h_healthz, 0},
	{"GET", "/readyz", NULL, SRV_EP_READYZ, 0, api_readyz, 0},
	{"GET", "/metrics", NULL, SRV_EP_METRICS, 0, h_metrics, 0},
	{"GET", "/v1/whoami", NULL, SRV_EP_WHOAMI, EG_ROLE_ALL, h_whoami, 0},
	{"GET", "/v1/screen", NULL, SRV_EP_SCREEN, R_SCREEN, api_screen_get, 0},
	{"POST", "/v1/screen", NULL, SRV_EP_SCREEN_BATCH, R_SCREEN, api_screen_post, 1},
	{"POST", "/v1/decide", NULL, SRV_EP_DECIDE, R_DECIDE, api_decide, 1},
	{"POST", "/v1/reviews", NULL, SRV_EP_REVIEW, R_REVIEW, api_review, 1},
	{"POST", "/v1/lists/", "/import", SRV_EP_IMPORT, EG_ROLE_ADMIN, api_import, 1},
	{"GET", "/v1/lists", NULL, SRV_EP_LISTS, R_SCREEN, api_lists, 0},
	{"GET", "/v1/lists/", "/versions", SRV_EP_LIST_VERSIONS, R_SCREEN, api_list_versions, 0},
	{"GET", "/v1/lists/", "/diff", SRV_EP_LIST_DIFF, R_SCREEN, api_list_diff, 0},
	{"GET", "/v1/countries", NULL, SRV_EP_COUNTRIES, R_SCREEN, api_countries, 0},
	{"GET", "/v1/countries/", "", SRV_EP_COUNTRY_LIST, R_SCREEN, api_country_list, 0},
	{"GET", "/v1/audit", NULL, SRV_EP_AUDIT, R_REVIEW, api_audit, 0},
	{"GET", "/v1/audit/checkpoint", NULL, SRV_EP_AUDIT_CHECKPOINT, R_REVIEW,
	 api_audit_checkpoint, 0},
	{"GET", "/v1/audit/consistency", NULL, SRV_EP_AUDIT_CONSISTENCY, R_REVIEW,
	 api_audit_consistency, 0},
	{"GET", "/v1/audit/verify", NULL, SRV_EP_AUDIT_VERIFY, R_REVIEW, api_audit_verify, 1},
	{"GET", "/v1/audit/", "", SRV_EP_AUDIT_RECORD, R_REVIEW, api_audit_record, 0},
	{"POST", "/match/", "", SRV_EP_MATCH, R_SCREEN, yente_match, 0},
};
#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

/* Whether url matches rt; the argument (one path segment) into arg. */
static int route_match(const route *rt, const char *url, char *arg, size_t arg_size)
{
	size_t pl = strlen(rt->prefix), ul = strlen(url), sl, al;

	if (rt->suffix == NULL)
		return strcmp(url, rt->prefix) == 0;
	if (strncmp(url, rt->prefix, pl) != 0)
		return 0;
	sl = strlen(rt->suffix);
	if (ul < pl + sl + 1 || strcmp(url + ul - sl, rt->suffix) != 0)
		return 0;
	al = ul - pl - sl;
	if (al >= arg_size || memchr(url + pl, '/', al) != NULL)
		return 0;
	memcpy(arg, url + pl, al);
	arg[al] = '\0';
	return 1;
}

/* Finds the route of method and url. *allow gets the methods the path
 * takes when only the method is wrong (405). */
static const route *route_find(const char *method, const char *url, char *arg,
                               size_t arg_size, char *allow, size_t allow_size)
{
	size_t i;
	const route *exact = NULL;

	allow[0] = '\0';
	for (i = 0; i < N_ROUTES; i++) {
		if (!route_match(&routes[i], url, arg, arg_size))
			continue;
		/* A fixed path ("/v1/audit/verify") wins over a pattern
		 * ("/v1/audit/{index}"): the fixed routes come first. */
		if (strcmp(routes[i].method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
			if (exact == NULL)
				exact = &routes[i];
		} else if (strstr(allow, routes[i].method) == NULL) {
			snprintf(allow + strlen(allow), allow_size - strlen(allow), "%s%s",
			         allow[0] ? ", " : "", routes[i].method);
		}
		if (exact != NULL)
			return exact;
	}
	return NULL;
}

/* --- keys ------------------------------------------------------------------ */

/* The key a request presents: "Authorization: Bearer KEY" or "X-API-Key". */
static const char *presented_key(struct MHD_Connection *c)
{
	const char *a = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");

	if (a != NULL && strncasecmp(a, "Bearer ", 7) == 0)
		return a + 7;
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-API-Key");
}

/* Checks a key through the cache; 1 when it is a key in force. */
static int key_check(const char *key, unsigned *roles, char name[EG_KEY_NAME_MAX + 1])
{
	eg__sha256 h;
	char hex[65];
	key_slot *s;
	eg_error err;
	int64_t now = now_ms(CLOCK_MONOTONIC);
	int found;

	if (eg__sha256_init(&h) != 0 || eg__sha256_update(&h, key, strlen(key)) != 0 ||
	    eg__sha256_final(&h, hex) != 0)
		return 0;
	s = &key_cache[eg__hash_bytes(hex, 64) % KEY_SLOTS];
	pthread_mutex_lock(&key_lock);
	if (strcmp(s->hash, hex) == 0 && s->until_ms > now) {
		found = s->found;
		*roles = s->roles;
		memcpy(name, s->name, EG_KEY_NAME_MAX + 1);
		pthread_mutex_unlock(&key_lock);
		return found;
	}
	pthread_mutex_unlock(&key_lock);
	found = eg_key_check(srv_engine, roles, name, key, strlen(key), &err) == 0;
	if (!found && err.code != EG_ENOTFOUND)
		fprintf(stderr, "exportgate serve: checking a key: %s\n", err.message);
	pthread_mutex_lock(&key_lock);
	memcpy(s->hash, hex, 65);
	s->until_ms = now + SRV_KEY_CACHE_MS;
	s->found = found;
	s->roles = found ? *roles : 0;
	memcpy(s->name, found ? name : "", found ? EG_KEY_NAME_MAX + 1 : 1);
	pthread_mutex_unlock(&key_lock);
	return found;
}

/* --- clients ---------------------------------------------------------------- */

static void client_addr(struct MHD_Connection *c, unsigned char out[16], char *text,
                        size_t text_size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	memset(out, 0, 16);
	if (text != NULL)
		snprintf(text, text_size, "-");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)(const void *)sa;
		memcpy(out, &s4->sin_addr, 4);
		if (text != NULL)
			inet_ntop(AF_INET, &s4->sin_addr, text, (socklen_t)text_size);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)sa;
		memcpy(out, &s6->sin6_addr, 16);
		if (text != NULL)
			inet_ntop(AF_INET6, &s6->sin6_addr, text, (socklen_t)text_size);
	}
}

/* Adds delta to the connections of addr; returns the count after. */
static int client_count(const unsigned char addr[16], int delta)
{
	size_t i, h = (size_t)(eg__hash_bytes(addr, 16) % CLIENT_SLOTS);
	int n = 0;

	pthread_mutex_lock(&clients_lock);
	for (i = 0; i < CLIENT_SLOTS; i++) {
		client_slot *s = &clients[(h + i) % CLIENT_SLOTS];
		if (s->used && memcmp(s->addr, addr, 16) == 0) {
			s->count += delta;
			n = s->count;
			break;
		}
		if (!s->used && delta > 0) {
			s->used = 1;
			memcpy(s->addr, addr, 16);
			s->count = delta;
			n = delta;
			break;
		}
		if (!s->used)
			break;
	}
	pthread_mutex_unlock(&clients_lock);
	return n;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
	unsigned char addr[16];

	(void)cls;
	(void)socket_ctx;
	client_addr(c, addr, NULL, 0);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		client_count(addr, 1);
		metrics_connections(1);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		client_count(addr, -1);
		metrics_connections(-1);
	}
}

/* --- the work pool ----------------------------------------------------------- */

/* A decision, a review or an import waits for its commit to be durable;
 * a batch of names or a verification of the log runs long. Run on
 * libmicrohttpd's threads, each would hold up every other connection of
 * its thread, so those threads would have to be many. Instead such a
 * request's connection is suspended and its handler runs on a thread of
 * this pool, which resumes the connection when it is done; the
 * libmicrohttpd threads can be as many as the cores. */
static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cond = PTHREAD_COND_INITIALIZER;
static req_ctx *work_head, *work_tail;
static int work_stopping;
static pthread_t work_threads[SRV_CAP_WORK_THREADS];
static unsigned work_threads_n;

static void work_push(req_ctx *x)
{
	pthread_mutex_lock(&work_lock);
	x->next = NULL;
	if (work_tail != NULL)
		work_tail->next = x;
	else
		work_head = x;
	work_tail = x;
	pthread_cond_signal(&work_cond);
	pthread_mutex_unlock(&work_lock);
}

/* Runs queued handlers until stopped with the queue empty. */
static void *work_main(void *arg)
{
	(void)arg;
	for (;;) {
		req_ctx *x;
		pthread_mutex_lock(&work_lock);
		while (work_head == NULL && !work_stopping)
			pthread_cond_wait(&work_cond, &work_lock);
		x = work_head;
		if (x != NULL && (work_head = x->next) == NULL)
			work_tail = NULL;
		pthread_mutex_unlock(&work_lock);
		if (x == NULL)
			return NULL;
		x->handler(&x->r);
		x->ran = 1;
		MHD_resume_connection(x->conn);
	}
}

static void work_stop(void);

/* Starts n threads; returns 0, or -1 with the threads started stopped. */
static int work_start(unsigned n)
{
	for (work_threads_n = 0; work_threads_n < n; work_threads_n++) {
		if (pthread_create(&work_threads[work_threads_n], NULL, work_main, NULL) != 0) {
			work_stop();
			return -1;
		}
	}
	return 0;
}

/* Lets the threads finish every queued request (resuming its connection),
 * then joins them. */
static void work_stop(void)
{
	unsigned i;

	pthread_mutex_lock(&work_lock);
	work_stopping = 1;
	pthread_cond_broadcast(&work_cond);
	pthread_mutex_unlock(&work_lock);
	for (i = 0; i < work_threads_n; i++)
		pthread_join(work_threads[i], NULL);
	work_threads_n = 0;
}

/* --- responses ---------------------------------------------------------------- */

static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
	"frame-ancestors 'none'";

static enum MHD_Result respond(struct MHD_Connection *c, req_ctx *x)
{
	srv_req *r = &x->r;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *out;
	size_t len;

	if (r->text != NULL) {
		out = r->text;
		len = r->text_len;
		r->text = NULL;
	} else {
		if (r->json == NULL)
			srv_error(r, 500, "internal", NULL, "no answer");
		out = json_dumps(r->json, SRV_JSON_FLAGS);
		if (out == NULL) {
			out = strdup("{\"error\": {\"code\": \"no_memory\", \"message\": \"out of memory\","
			             " \"field\": null}}");
			r->status = 503;
		}
		len = out ? strlen(out) : 0;
		if (out != NULL && len + 1 > len) { /* a final newline for curl users */
			char *o2 = realloc(out, len + 2);
			if (o2 != NULL) {
				out = o2;
				out[len++] = '\n';
				out[len] = '\0';
			}
		}
		r->content_type = "application/json";
	}
	resp = MHD_create_response_from_buffer_with_free_callback(len, out, free);
	if (resp == NULL) {
		free(out);
		return MHD_NO;
	}
	x->sent = len;
	MHD_add_response_header(resp, "Content-Type", r->content_type);
	MHD_add_response_header(resp, "Cache-Control", r->cache ? r->cache : "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	if (r->status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"exportgate\"");
	if (r->status == 429)
		MHD_add_response_header(resp, "Retry-After", "1");
	if (r->status == 405 && x->allow[0] != '\0')
		MHD_add_response_header(resp, "Allow", x->allow);
	if (__atomic_load_n(&draining, __ATOMIC_SEQ_CST))
		MHD_add_response_header(resp, "Connection", "close");
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	x->responded = 1;
	return ret;
}

/* Answers at once (an error before the handler ran). */
static enum MHD_Result respond_error(struct MHD_Connection *c, req_ctx *x, int status,
                                     const char *code, const char *field, const char *msg)
{
	srv_error(&x->r, status, code, field, "%s", msg);
	return respond(c, x);
}

/* The whole size of the request line and headers. */
static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
	size_t *n = cls;

	(void)kind;
	*n += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* Finds a query parameter holding a NUL byte ("%00" decoded): the handlers
 * read parameters as C strings, so "name=a%00b" would be answered for "a".
 * Its key (a NUL in the key reads as "?") goes to cls; stops there. */
static enum MHD_Result find_nul_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                    size_t key_size, const char *value, size_t value_size)
{
	char *out = cls;
	size_t i, n = key_size < 64 ? key_size : 64;

	(void)kind;
	if ((value == NULL || memchr(value, '\0', value_size) == NULL) &&
	    (key == NULL || memchr(key, '\0', key_size) == NULL))
		return MHD_YES;
	for (i = 0; i < n; i++)
		out[i] = key[i] != '\0' ? key[i] : '?';
	out[n] = '\0';
	if (n == 0)
		snprintf(out, 8, "%s", "?");
	return MHD_NO;
}

/* What uri_log gives the first call of on_request when the path holds a
 * NUL byte ("%00"): libmicrohttpd hands the path decoded, as a C string, so
 * "/v1/countries/X%00Y" would be answered as "/v1/countries/X". */
static char nul_in_path;

/* Sees the request line's URI as it came, before decoding. */
static void *uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	const char *nul = strstr(uri, "%00");

	(void)cls;
	(void)c;
	return nul != NULL && (size_t)(nul - uri) < strcspn(uri, "?") ? &nul_in_path : NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
	req_ctx *x = *con_cls;
	int nul_path = 0;

	(void)cls;
	(void)version;
	if (x == (req_ctx *)(void *)&nul_in_path) {
		x = NULL;
		nul_path = 1;
	}
	if (x == NULL) {
		/* The first call: headers only. */
		char allow[64], msg[160];
		const route *rt;
		const char *len, *type;
		unsigned char addr[16];
		size_t hdr = strlen(url) + strlen(method) + 16;

		if ((x = calloc(1, sizeof(*x))) == NULL)
			return MHD_NO;
		*con_cls = x;
		__atomic_add_fetch(&in_flight, 1, __ATOMIC_SEQ_CST);
		x->start = now_s();
		x->r.e = srv_engine;
		x->r.conn = c;
		x->r.method = method;
		x->r.url = url;
		x->r.outcome = -1;
		x->r.key_name = "";
		eg__buf_init(&x->body, SRV_CAP_BODY_BYTES);
		client_addr(c, addr, x->client, sizeof(x->client));
		MHD_get_connection_values(c, MHD_HEADER_KIND, add_header_size, &hdr);
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_header_size, &hdr);
		if (nul_path)
			return respond_error(c, x, 400, "bad_path", NULL, "a NUL byte (%00) in the path");
		if (hdr > SRV_CAP_HEADER_BYTES) {
			snprintf(msg, sizeof(msg), "request line and headers of %zu bytes: the cap is %d",
			         hdr, SRV_CAP_HEADER_BYTES);
			return respond_error(c, x, 431, "headers_too_big", NULL, msg);
		}
		if (client_count(addr, 0) > SRV_CAP_CONN_PER_CLIENT) {
			snprintf(msg, sizeof(msg), "more than %d open connections from one address",
			         SRV_CAP_CONN_PER_CLIENT);
			return respond_error(c, x, 429, "too_many_connections", NULL, msg);
		}
		if (strncmp(url, "/v1/", 4) != 0 && strncmp(url, "/match/", 7) != 0 &&
		    strcmp(url, "/healthz") != 0 && strcmp(url, "/readyz") != 0 &&
		    strcmp(url, "/metrics") != 0) {
			x->ep = SRV_EP_WEB;
			if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
				snprintf(x->allow, sizeof(x->allow), "GET, HEAD");
				snprintf(msg, sizeof(msg), "%.16s is not allowed here", method);
				return respond_error(c, x, 405, "method_not_allowed", NULL, msg);
			}
			x->handler = h_web;
			return MHD_YES;
		}
		rt = route_find(method, url, x->path_arg, sizeof(x->path_arg), allow, sizeof(allow));
		if (rt == NULL && allow[0] != '\0') {
			memcpy(x->allow, allow, sizeof(x->allow));
			snprintf(msg, sizeof(msg), "%.16s is not allowed on %.64s (allowed: %s)", method,
			         url, allow);
			return respond_error(c, x, 405, "method_not_allowed", NULL, msg);
		}
		if (rt == NULL)
			return respond_error(c, x, 404, "not_found", NULL, "no such endpoint");
		x->ep = rt->ep;
		x->handler = rt->handler;
		x->need = rt->need;
		x->slow = rt->slow;
		x->r.arg = x->path_arg;
		if (__atomic_load_n(&draining, __ATOMIC_SEQ_CST) && rt->ep == SRV_EP_READYZ)
			return respond_error(c, x, 503, "stopping", NULL, "the server is stopping");
		/* Keys: none needed for health, readiness, metrics and the page. */
		if (srv_cfg->no_auth) {
			x->r.roles = EG_ROLE_ALL;
			x->r.key_name = "no-auth";
		} else if (rt->need != 0) {
			const char *key = presented_key(c);
			unsigned roles = 0;
			if (key == NULL || key[0] == '\0')
				return respond_error(c, x, 401, "unauthorized", NULL, "give a key: "
				                     "Authorization: Bearer KEY (exportgate keys add)");
			if (!key_check(key, &roles, x->key_name))
				return respond_error(c, x, 401, "unauthorized", NULL, "the key is not "
				                     "one in force");
			if (roles & EG_ROLE_ADMIN)
				roles = EG_ROLE_ALL;
			x->r.roles = roles;
			x->r.key_name = x->key_name;
			if ((roles & rt->need) == 0) {
				snprintf(msg, sizeof(msg), "the key %s lacks the role %s", x->key_name,
				         eg_role_name(rt->need));
				return respond_error(c, x, 403, "forbidden", NULL, msg);
			}
		}
		if (strcmp(method, "POST") == 0) {
			/* an import's body is the published file, of its own size */
			int file = rt->ep == SRV_EP_IMPORT;
			const char *want = file ? "application/octet-stream" : "application/json";
			unsigned cap = file ? SRV_CAP_IMPORT_BYTES : SRV_CAP_BODY_BYTES;
			size_t wl = strlen(want);
			type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
			if (type == NULL || strncasecmp(type, want, wl) != 0 ||
			    (type[wl] != '\0' && type[wl] != ';')) {
				snprintf(msg, sizeof(msg), "send the body as %s", want);
				return respond_error(c, x, 415, "unsupported_media_type", "Content-Type",
				                     msg);
			}
			if (file) {
				eg__buf_free(&x->body);
				eg__buf_init(&x->body, cap);
			}
			len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
			if (len != NULL && strtoull(len, NULL, 10) > cap) {
				snprintf(msg, sizeof(msg), "a body of %.20s bytes: the cap is %u", len,
				         cap);
				return respond_error(c, x, 413, "too_big", NULL, msg);
			}
		}
		return MHD_YES;
	}
	if (x->responded) {
		/* Answered early (an error): the rest of the body is dropped. */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		/* libmicrohttpd (0.9.75) takes no answer while a body is arriving:
		 * past a cap the connection is closed, and the access log gives the
		 * status (408 or 413) and "(aborted)". A body whose Content-Length
		 * is over its cap was answered 413 at its headers, above. */
		if (now_s() - x->start > request_seconds()) {
			*upload_data_size = 0;
			x->r.status = 408;
			return MHD_NO;
		}
		if (eg__buf_add(&x->body, upload_data, *upload_data_size) != 0) {
			*upload_data_size = 0;
			x->r.status = 413;
			return MHD_NO;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	/* The work pool ran the handler and resumed the connection: answer. */
	if (x->ran)
		return respond(c, x);
	/* The whole request is in: run the handler. */
	{
		char key[72] = "";
		MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, find_nul_arg, key);
		if (key[0] != '\0')
			return respond_error(c, x, 422, "invalid", key, "a NUL byte (%00) in a query "
			                     "parameter");
	}
	x->r.body = x->body.ptr ? x->body.ptr : "";
	x->r.body_len = x->body.len;
	if (x->slow && work_threads_n > 0) {
		/* off this thread, which keeps answering its other connections */
		x->conn = c;
		MHD_suspend_connection(c);
		work_push(x);
		return MHD_YES;
	}
	x->handler(&x->r);
	return respond(c, x);
}

/* Copies what a client sent into out for the access log, at most size - 1
 * bytes: every byte but printable ASCII (and '%') as %XX, as it came on the
 * wire. libmicrohttpd hands the path decoded, so "%0A" would otherwise
 * start a forged log line, and other bytes make the log not UTF-8. */
static void log_escape(char *out, size_t size, const char *in)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t w = 0;

	for (; in != NULL && *in && w + 4 <= size; in++) {
		unsigned char b = (unsigned char)*in;
		if (b > 0x20 && b < 0x7F && b != '%') {
			out[w++] = (char)b;
		} else {
			out[w++] = '%';
			out[w++] = hex[b >> 4];
			out[w++] = hex[b & 15];
		}
	}
	out[w] = '\0';
}

/* Writes line[0..len) to stderr in one write: a line is never split by
 * another thread's, and no lock of stdio is taken. The threads of the pool
 * waited on stderr's lock, held across its write, on one in three requests
 * (strace): each wait a sleep and a wakeup. A log line that cannot be
 * written does not fail the request. */
static void log_line(const char *line, size_t len)
{
	while (len > 0) {
		ssize_t w = write(STDERR_FILENO, line, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		line += w;
		len -= (size_t)w;
	}
}

/* The time of the access log, made again once a second by each thread. */
static const char *log_time(void)
{
	static __thread time_t last = -1;
	static __thread char when[21];
	time_t t = time(NULL);

	if (t != last) {
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		last = t;
	}
	return when;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	req_ctx *x = *con_cls;
	double secs;
	char method[40], path[208], line[512];
	int n;

	(void)cls;
	(void)c;
	if (x == NULL)
		return;
	secs = now_s() - x->start;
	/* The access log: no key, no body, no query string. */
	log_escape(method, sizeof(method), x->r.method);
	log_escape(path, sizeof(path), x->r.url);
	n = snprintf(line, sizeof(line), "%s %s %s %s %d %zu %.3fms %s%s\n", log_time(), x->client,
	             method, path, x->r.status, x->sent, secs * 1000.0,
	             x->r.key_name && x->r.key_name[0] ? x->r.key_name : "-",
	             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	if (n >= (int)sizeof(line)) { /* cut, but still a line */
		line[sizeof(line) - 2] = '\n';
		n = (int)sizeof(line) - 1;
	}
	if (n > 0)
		log_line(line, (size_t)n);
	metrics_request(x->ep, x->r.status, secs);
	if (x->r.screened)
		metrics_screened(x->r.screened);
	if (x->r.outcome >= 0)
		metrics_decision(x->r.outcome);
	json_decref(x->r.json);
	free(x->r.text);
	eg__buf_free(&x->body);
	free(x);
	*con_cls = NULL;
	__atomic_sub_fetch(&in_flight, 1, __ATOMIC_SEQ_CST);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("exportgate serve: libmicrohttpd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* --- the daemon ----------------------------------------------------------------- */

int srv_run(eg_engine *e, const srv_config *cfg)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	sigset_t set;
	int sig = 0, waited, left;
	unsigned port;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, cfg->host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)cfg->port);
	} else if (inet_pton(AF_INET6, cfg->host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)cfg->port);
	} else {
		fprintf(stderr, "exportgate serve: \"%s\" is not a numeric IPv4 or IPv6 address\n",
		        cfg->host);
		return 2;
	}
	srv_engine = e;
	srv_cfg = cfg;
	metrics_init();
	/* SIGINT and SIGTERM are taken by sigwait below: blocked before the
	 * pool's threads start, so they inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (work_start(cfg->work_threads) != 0) {
		fprintf(stderr, "exportgate serve: cannot start %u work threads\n", cfg->work_threads);
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
		return 1;
	}
	/* A connection's memory: twice the header cap, room for the largest
	 * headers accepted and the answer's. libmicrohttpd clears it between
	 * requests, so more costs time on every request (at four times the
	 * cap, 4.4 % of the server's time went to that memset; at twice, 2.6 %). */
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
	                         MHD_ALLOW_SUSPEND_RESUME |
	                         MHD_USE_ERROR_LOG | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
	                     (uint16_t)cfg->port, NULL, NULL, on_request, NULL,
	                     MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	                     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	                     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
	                     MHD_OPTION_CONNECTION_LIMIT, (unsigned)SRV_CAP_CONNECTIONS,
	                     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(SRV_CAP_CONN_PER_CLIENT * 2),
	                     MHD_OPTION_CONNECTION_TIMEOUT, request_seconds(),
	                     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(SRV_CAP_HEADER_BYTES * 2),
	                     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	                     MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
	                     MHD_OPTION_URI_LOG_CALLBACK, uri_log, NULL,
	                     MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "exportgate serve: cannot listen on %s:%u (in use? a bad "
		        "address?)\n", cfg->host, cfg->port);
		work_stop();
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
		return 1;
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = di ? di->port : cfg->port;
	fprintf(stderr, "exportgate serve: listening on http://%s%s%s:%u/ (%u threads, %u work "
	        "threads)\n", ss.ss_family == AF_INET6 ? "[" : "", cfg->host,
	        ss.ss_family == AF_INET6 ? "]" : "", port, cfg->threads, cfg->work_threads);
	fflush(stderr);
	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "exportgate serve: %s: finishing the requests in flight\n",
	        sig == SIGINT ? "SIGINT" : "SIGTERM");
	__atomic_store_n(&draining, 1, __ATOMIC_SEQ_CST);
	MHD_quiesce_daemon(d);
	for (waited = 0; waited < SRV_DRAIN_SECONDS * 100 &&
	                 __atomic_load_n(&in_flight, __ATOMIC_SEQ_CST) > 0; waited++)
		usleep(10000);
	/* no connection may be suspended when the daemon stops: the pool
	 * finishes what it holds and resumes every connection first */
	work_stop();
	left = __atomic_load_n(&in_flight, __ATOMIC_SEQ_CST);
	MHD_stop_daemon(d);
	if (left > 0)
		fprintf(stderr, "exportgate serve: stopped with %d requests unfinished after %d s\n",
		        left, SRV_DRAIN_SECONDS);
	else
		fprintf(stderr, "exportgate serve: stopped\n");
	return left > 0 ? 1 : 0;
}
