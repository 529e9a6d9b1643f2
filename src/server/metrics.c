/* metrics.c - counters and latency histograms for GET /metrics, in the
 * Prometheus text format (version 0.0.4). One lock guards every counter:
 * an update is a handful of additions, far below a request's cost. */
#include "server.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ep_names[SRV_EP_COUNT_] = {
	"none", "healthz", "readyz", "metrics", "web", "whoami", "screen", "screen_batch",
	"decide", "lists", "list_versions", "list_diff", "countries", "country_list", "audit",
	"audit_record", "audit_checkpoint", "audit_consistency", "audit_verify", "match",
	"review", "import",
};

/* The statuses counted apart; any other counts as "other". */
static const int statuses[] = {200, 400, 401, 403, 404, 405, 408, 413, 415, 422, 429, 431,
                               500, 503};
#define N_STATUS (sizeof(statuses) / sizeof(statuses[0]) + 1)

/* Latency buckets, seconds. */
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                 0.25, 0.5, 1, 2.5, 5, 10};
#define N_BUCKETS (sizeof(buckets) / sizeof(buckets[0]))

typedef struct series {
	unsigned long long count;
	double sum;
	unsigned long long bucket[N_BUCKETS]; /* not cumulative here */
} series;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static series by[SRV_EP_COUNT_][N_STATUS];
static unsigned long long screened;
static unsigned long long decisions[4];
static long long connections;

const char *metrics_endpoint_name(srv_endpoint ep)
{
	return (int)ep >= 0 && (int)ep < SRV_EP_COUNT_ ? ep_names[ep] : "none";
}

void metrics_init(void)
{
	pthread_mutex_lock(&lock);
	memset(by, 0, sizeof(by));
	screened = 0;
	memset(decisions, 0, sizeof(decisions));
	pthread_mutex_unlock(&lock);
}

static size_t status_index(int status)
{
	size_t i;

	for (i = 0; i < N_STATUS - 1; i++)
		if (statuses[i] == status)
			return i;
	return N_STATUS - 1;
}

void metrics_request(srv_endpoint ep, int status, double seconds)
{
	size_t s = status_index(status), b;
	series *x;

	if ((int)ep < 0 || (int)ep >= SRV_EP_COUNT_)
		ep = SRV_EP_NONE;
	pthread_mutex_lock(&lock);
	x = &by[ep][s];
	x->count++;
	x->sum += seconds;
	for (b = 0; b < N_BUCKETS; b++)
		if (seconds <= buckets[b]) {
			x->bucket[b]++;
			break;
		}
	pthread_mutex_unlock(&lock);
}

void metrics_screened(size_t names)
{
	pthread_mutex_lock(&lock);
	screened += names;
	pthread_mutex_unlock(&lock);
}

void metrics_decision(int outcome)
{
	if (outcome < 0 || outcome > 3)
		return;
	pthread_mutex_lock(&lock);
	decisions[outcome]++;
	pthread_mutex_unlock(&lock);
}

void metrics_connections(int delta)
{
	pthread_mutex_lock(&lock);
	connections += delta;
	pthread_mutex_unlock(&lock);
}

static const char *status_label(size_t i, char buf[8])
{
	if (i == N_STATUS - 1)
		return "other";
	snprintf(buf, 8, "%d", statuses[i]);
	return buf;
}

int metrics_render(eg_engine *e, char **out, size_t *len)
{
	eg__buf b;
	series (*snap)[N_STATUS];
	unsigned long long sc, dec[4];
	long long conns;
	eg_list_version *v = NULL;
	eg_error err;
	size_t nv = 0, ep, s, k, names = 0, entities = 0;
	char sb[8];
	int rc = 0;

	if ((snap = malloc(sizeof(by))) == NULL)
		return -1;
	pthread_mutex_lock(&lock);
	memcpy(snap, by, sizeof(by));
	sc = screened;
	memcpy(dec, decisions, sizeof(dec));
	conns = connections;
	pthread_mutex_unlock(&lock);

	eg__buf_init(&b, 4u * 1024 * 1024);
	rc |= eg__buf_adds(&b, "# HELP exportgate_http_requests_total HTTP requests answered, "
	                       "by endpoint and status.\n"
	                       "# TYPE exportgate_http_requests_total counter\n");
	for (ep = 0; ep < SRV_EP_COUNT_; ep++)
		for (s = 0; s < N_STATUS; s++)
			if (snap[ep][s].count)
				rc |= eg__buf_printf(&b, "exportgate_http_requests_total{endpoint=\"%s\","
				                     "status=\"%s\"} %llu\n", ep_names[ep],
				                     status_label(s, sb), snap[ep][s].count);
	rc |= eg__buf_adds(&b, "# HELP exportgate_http_request_duration_seconds Time from the "
	                       "request's headers to its answer, by endpoint and status.\n"
	                       "# TYPE exportgate_http_request_duration_seconds histogram\n");
	for (ep = 0; ep < SRV_EP_COUNT_; ep++)
		for (s = 0; s < N_STATUS; s++) {
			unsigned long long cum = 0;
			if (!snap[ep][s].count)
				continue;
			for (k = 0; k < N_BUCKETS; k++) {
				cum += snap[ep][s].bucket[k];
				rc |= eg__buf_printf(&b, "exportgate_http_request_duration_seconds_bucket"
				                     "{endpoint=\"%s\",status=\"%s\",le=\"%g\"} %llu\n",
				                     ep_names[ep], status_label(s, sb), buckets[k], cum);
			}
			rc |= eg__buf_printf(&b, "exportgate_http_request_duration_seconds_bucket"
			                     "{endpoint=\"%s\",status=\"%s\",le=\"+Inf\"} %llu\n",
			                     ep_names[ep], status_label(s, sb), snap[ep][s].count);
			rc |= eg__buf_printf(&b, "exportgate_http_request_duration_seconds_sum"
			                     "{endpoint=\"%s\",status=\"%s\"} %.6f\n", ep_names[ep],
			                     status_label(s, sb), snap[ep][s].sum);
			rc |= eg__buf_printf(&b, "exportgate_http_request_duration_seconds_count"
			                     "{endpoint=\"%s\",status=\"%s\"} %llu\n", ep_names[ep],
			                     status_label(s, sb), snap[ep][s].count);
		}
	rc |= eg__buf_printf(&b, "# HELP exportgate_screenings_total Names screened.\n"
	                     "# TYPE exportgate_screenings_total counter\n"
	                     "exportgate_screenings_total %llu\n", sc);
	rc |= eg__buf_adds(&b, "# HELP exportgate_decisions_total Decisions given, by outcome.\n"
	                       "# TYPE exportgate_decisions_total counter\n");
	for (k = 0; k < 4; k++)
		rc |= eg__buf_printf(&b, "exportgate_decisions_total{outcome=\"%s\"} %llu\n",
		                     eg_outcome_name((eg_outcome)k), dec[k]);
	rc |= eg__buf_printf(&b, "# HELP exportgate_http_connections Open connections.\n"
	                     "# TYPE exportgate_http_connections gauge\n"
	                     "exportgate_http_connections %lld\n", conns);
	if (eg_list_versions_current(e, &v, &nv, &err) == 0) {
		for (k = 0; k < nv; k++) {
			names += v[k].names;
			entities += v[k].entities;
		}
		/* the version of each source answered from: the newest (the
		 * first of its source, newest first) */
		rc |= eg__buf_adds(&b, "# HELP exportgate_list_version_current The store id of "
		                       "the version of each source answered from.\n"
		                       "# TYPE exportgate_list_version_current gauge\n");
		for (k = 0; k < nv; k++)
			if (k == 0 || strcmp(v[k].source, v[k - 1].source) != 0)
				rc |= eg__buf_printf(&b, "exportgate_list_version_current{source=\"%s\"} "
				                     "%lld\n", v[k].source, (long long)v[k].id);
		eg_list_versions_free(v);
		rc |= eg__buf_printf(&b, "# HELP exportgate_list_versions List versions in the "
		                     "store.\n# TYPE exportgate_list_versions gauge\n"
		                     "exportgate_list_versions %zu\n"
		                     "# HELP exportgate_list_entities Entities of every stored "
		                     "version.\n# TYPE exportgate_list_entities gauge\n"
		                     "exportgate_list_entities %zu\n"
		                     "# HELP exportgate_list_names Names of every stored version.\n"
		                     "# TYPE exportgate_list_names gauge\n"
		                     "exportgate_list_names %zu\n", nv, entities, names);
	}
	free(snap);
	if (rc != 0 || b.ptr == NULL) {
		eg__buf_free(&b);
		return -1;
	}
	/* The buffer's memory is the library's allocator's; the response is
	 * freed with free(), so it is copied. */
	if ((*out = malloc(b.len + 1)) == NULL) {
		eg__buf_free(&b);
		return -1;
	}
	memcpy(*out, b.ptr, b.len + 1);
	*len = b.len;
	eg__buf_free(&b);
	return 0;
}
