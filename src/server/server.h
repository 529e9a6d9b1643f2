/* server.h - the HTTP API of exportgate (libmicrohttpd) and the web page.
 *
 * Reading order: server.h (caps, the request, the handlers' contract),
 * server.c (the daemon: routing, keys and roles, caps, the access log,
 * shutdown), request.c (errors, bodies: what handlers share, without
 * libmicrohttpd), api.c (the /v1 endpoints), yente.c (POST /match, yente's
 * shape), metrics.c (Prometheus text), web.c (the static page).
 * The server uses only include/exportgate.h and src/util (DESIGN.md). */
#ifndef EG_SERVER_H
#define EG_SERVER_H

#include "exportgate.h"
#include "util/buf.h"

#include <jansson.h>
#include <stddef.h>

/* How every JSON answer is written. */
#define SRV_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10))

/* Every cap of the server, named once (docs/server.md lists them). */
#define SRV_CAP_BODY_BYTES       (2u * 1024 * 1024) /* one request body: 413 */
#define SRV_CAP_IMPORT_BYTES     (64u * 1024 * 1024) /* a published list file: 413 */
#define SRV_CAP_BATCH_NAMES      1000   /* names of one POST /v1/screen: 413 */
#define SRV_CAP_YENTE_QUERIES    100    /* queries of one POST /match: 413 */
#define SRV_CAP_HEADER_BYTES     (16 * 1024) /* request line and headers: 431 */
#define SRV_CAP_REQUEST_SECONDS  10     /* a request's time to arrive: 408
                                        * (serve --request-seconds) */
#define SRV_CAP_CONN_PER_CLIENT  128    /* open connections of one address: 429 */
#define SRV_CAP_CONNECTIONS      1024   /* open connections in all */
#define SRV_CAP_LIMIT            1000   /* hits of one screen (?limit=) */
#define SRV_CAP_WEB_FILE_BYTES   (1024 * 1024) /* one file of web/ */
#define SRV_CAP_WORK_THREADS     256    /* serve --work-threads */
#define SRV_DRAIN_SECONDS        30     /* waiting for requests in flight on SIGTERM */
#define SRV_KEY_CACHE_MS         1000   /* a key check is trusted this long */

typedef struct srv_config {
	const char *host;       /* numeric address to listen on */
	unsigned port;          /* 0: any free port (printed) */
	int no_auth;            /* every request has every role */
	const char *web_dir;    /* the page's files; NULL: no page */
	unsigned threads;       /* libmicrohttpd's thread pool */
	unsigned work_threads;  /* the pool of the requests that wait on the disk or
	                         * run long (decisions, reviews, imports, batches,
	                         * the log's verification); 0: on libmicrohttpd's */
	unsigned request_seconds; /* a request's time to arrive (408), and the idle
	                           * timeout; 0: SRV_CAP_REQUEST_SECONDS */
} srv_config;

/* Runs the server on engine e until SIGINT or SIGTERM, then stops taking
 * connections, finishes the requests in flight and returns 0; returns
 * nonzero when it could not start (the reason printed). */
int srv_run(eg_engine *e, const srv_config *cfg);

/* The endpoints, for routing and the metrics' labels. */
typedef enum srv_endpoint {
	SRV_EP_NONE = 0, SRV_EP_HEALTHZ, SRV_EP_READYZ, SRV_EP_METRICS, SRV_EP_WEB,
	SRV_EP_WHOAMI, SRV_EP_SCREEN, SRV_EP_SCREEN_BATCH, SRV_EP_DECIDE, SRV_EP_LISTS,
	SRV_EP_LIST_VERSIONS, SRV_EP_LIST_DIFF, SRV_EP_COUNTRIES, SRV_EP_COUNTRY_LIST,
	SRV_EP_AUDIT, SRV_EP_AUDIT_RECORD, SRV_EP_AUDIT_CHECKPOINT, SRV_EP_AUDIT_CONSISTENCY,
	SRV_EP_AUDIT_VERIFY, SRV_EP_MATCH, SRV_EP_REVIEW, SRV_EP_IMPORT, SRV_EP_COUNT_
} srv_endpoint;

/* One request as the handlers see it. */
typedef struct srv_req {
	eg_engine *e;
	void *conn;             /* struct MHD_Connection */
	const char *method;
	const char *url;        /* the path, without the query */
	const char *arg;        /* the path's variable part ({source}, {index}, ...) */
	const char *arg2;       /* a second one, unused for now */
	const char *body;       /* the body, NUL-terminated */
	size_t body_len;
	unsigned roles;         /* EG_ROLE_* of the key */
	const char *key_name;   /* for asked_by; "no-auth" without keys */
	/* The answer a handler sets: status and JSON (or text and type). */
	int status;
	json_t *json;
	char *text;             /* malloc'd; with content_type */
	size_t text_len;
	const char *content_type;
	const char *cache;      /* Cache-Control, NULL: no-store */
	/* For the metrics: names screened, a decision's outcome (-1 none). */
	size_t screened;
	int outcome;
} srv_req;

/* Sets the answer to {"error": {"code", "message", "field"}} with status;
 * field may be NULL. Returns 0 so handlers can `return srv_error(...)`. */
int srv_error(srv_req *r, int status, const char *code, const char *field,
              const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;
/* The error of a failed engine call: status by code (400 parse, 422
 * invalid, 413 too big, 404 not found, 503 store), the field named by the
 * caller or found in the message ("$.parties[1].role"). */
int srv_engine_error(srv_req *r, const eg_error *err, const char *field);
/* A query parameter, or NULL. */
const char *srv_query(srv_req *r, const char *name);
/* The body parsed as a JSON object; on failure the answer is set (400,
 * 415) and NULL returned. */
json_t *srv_body_json(srv_req *r);
/* Checks that obj holds only the keys of the NULL-ended list allowed; on
 * failure sets a 422 naming "$.KEY" (prefix + key) and returns -1. */
int srv_only_keys(srv_req *r, json_t *obj, const char *prefix, const char *const *allowed);

/* The handlers (api.c, yente.c). Each sets r->status and the answer. */
int api_screen_get(srv_req *r);
int api_screen_post(srv_req *r);
int api_decide(srv_req *r);
int api_review(srv_req *r);
int api_import(srv_req *r);
int api_lists(srv_req *r);
int api_list_versions(srv_req *r);
int api_list_diff(srv_req *r);
int api_countries(srv_req *r);
int api_country_list(srv_req *r);
int api_audit(srv_req *r);
int api_audit_record(srv_req *r);
int api_audit_checkpoint(srv_req *r);
int api_audit_consistency(srv_req *r);
int api_audit_verify(srv_req *r);
int api_readyz(srv_req *r);
int yente_match(srv_req *r);

/* The metrics (metrics.c): thread-safe. */
void metrics_init(void);
void metrics_request(srv_endpoint ep, int status, double seconds);
void metrics_screened(size_t names);
void metrics_decision(int outcome);
void metrics_connections(int delta);
/* The Prometheus text, malloc'd, in *out; lists loaded from the engine. */
int metrics_render(eg_engine *e, char **out, size_t *len);
const char *metrics_endpoint_name(srv_endpoint ep);

/* The web page (web.c): the files of dir, read once. */
int web_load(const char *dir);
/* The file for a path ("/" is index.html), or NULL. */
const char *web_file(const char *path, size_t *len, const char **type);
void web_free(void);

#endif
