/* fetch.c - one published file downloaded with libcurl (fetch.h).
 *
 * The body goes to the file as it arrives, counted against the cap; the
 * cap is also given to libcurl, which refuses an announced length over it
 * before reading the body. Only the headers of the last answer (after the
 * redirects) are read, with curl_easy_header. */
#include "fetch.h"
#include "../util/error.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static CURLcode init_rc = CURLE_OK;

static void init_curl(void)
{
	init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int eg__fetch_init(eg_error *err)
{
	pthread_once(&init_once, init_curl);
	if (init_rc != CURLE_OK)
		return eg__error_set(err, init_rc == CURLE_OUT_OF_MEMORY ? EG_ENOMEM : EG_EIO,
		                     "libcurl: cannot initialise: %s", curl_easy_strerror(init_rc));
	return 0;
}

typedef struct sink {
	FILE *f;
	uint64_t bytes, cap;
	int over_cap;   /* the body went over cap */
	int write_failed;
	int saved_errno;
} sink;

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
	sink *s = ud;
	size_t len = size * n;

	if (len > s->cap - s->bytes) {
		s->over_cap = 1;
		return 0; /* libcurl stops with CURLE_WRITE_ERROR */
	}
	if (len > 0 && fwrite(data, 1, len, s->f) != len) {
		s->write_failed = 1;
		s->saved_errno = errno;
		return 0;
	}
	s->bytes += len;
	return len;
}

/* libcurl's progress callback: nonzero stops the transfer
 * (CURLE_ABORTED_BY_CALLBACK). Called at least once a second. */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	const volatile int *cancel = ud;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return __atomic_load_n(cancel, __ATOMIC_RELAXED) != 0;
}

/* Copies header `name` of the last answer into out ("" when absent). */
static void last_header(CURL *h, const char *name, char *out, size_t size)
{
	struct curl_header *hd = NULL;

	out[0] = '\0';
	if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) == CURLHE_OK && hd->value != NULL)
		snprintf(out, size, "%s", hd->value);
}

static long or_default(long v, long def)
{
	return v > 0 ? v : def;
}

/* The error of a failed transfer, naming the URL and the cause. */
static int transfer_error(CURL *h, CURLcode cc, const char *url, const char *errbuf,
                          const sink *s, const eg__fetch_limits *lim, eg_error *err)
{
	const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(cc);
	curl_off_t announced = -1;

	switch (cc) {
	case CURLE_FILESIZE_EXCEEDED:
		return eg__error_set(err, EG_ETOOBIG, "%s: larger than the cap of %llu bytes "
		                     "(announced)", url, (unsigned long long)s->cap);
	case CURLE_WRITE_ERROR:
		if (s->over_cap)
			return eg__error_set(err, EG_ETOOBIG, "%s: larger than the cap of %llu bytes",
			                     url, (unsigned long long)s->cap);
		if (s->write_failed)
			return eg__error_set(err, EG_EIO, "%s: cannot write the download: %s", url,
			                     strerror(s->saved_errno));
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		return eg__error_set(err, EG_EIO, "%s: more than %ld redirects (a redirect loop?)",
		                     url, or_default(lim->max_redirects, EG__FETCH_MAX_REDIRECTS));
	case CURLE_OPERATION_TIMEDOUT:
		if (strstr(detail, "too slow") != NULL)
			return eg__error_set(err, EG_EIO, "%s: stalled: under %ld bytes a second for "
			                     "%ld s, after %llu bytes", url,
			                     or_default(lim->low_speed_bytes, EG__FETCH_LOW_SPEED_BYTES),
			                     or_default(lim->low_speed_seconds, EG__FETCH_LOW_SPEED_SECONDS),
			                     (unsigned long long)s->bytes);
		return eg__error_set(err, EG_EIO, "%s: timed out (connect %ld ms, whole transfer "
		                     "%ld ms): %s", url,
		                     or_default(lim->connect_timeout_ms, EG__FETCH_CONNECT_TIMEOUT_MS),
		                     or_default(lim->timeout_ms, EG__FETCH_TIMEOUT_MS), detail);
	case CURLE_PARTIAL_FILE:
		curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced);
		if (announced >= 0)
			return eg__error_set(err, EG_EIO, "%s: truncated: %llu of the %lld bytes "
			                     "announced", url, (unsigned long long)s->bytes,
			                     (long long)announced);
		return eg__error_set(err, EG_EIO, "%s: truncated after %llu bytes", url,
		                     (unsigned long long)s->bytes);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
		return eg__error_set(err, EG_EIO, "%s: TLS: the server could not be verified: %s",
		                     url, detail);
	case CURLE_OUT_OF_MEMORY:
		return eg__error_set(err, EG_ENOMEM, "%s: out of memory", url);
	case CURLE_ABORTED_BY_CALLBACK:
		return eg__error_set(err, EG_EIO, "%s: cancelled after %llu bytes", url,
		                     (unsigned long long)s->bytes);
	default:
		break;
	}
	return eg__error_set(err, EG_EIO, "%s: %s", url, detail);
}

int eg__fetch_file(eg__fetch_result *out, const char *url, const char *path,
                   const char *etag, const char *last_modified,
                   const eg__fetch_limits *limits, eg_error *err)
{
	static const eg__fetch_limits none = {0, 0, 0, 0, 0, 0, NULL};
	const eg__fetch_limits *lim = limits ? limits : &none;
	char errbuf[CURL_ERROR_SIZE], hdr[EG__FETCH_HEADER_MAX + 32];
	struct curl_slist *headers = NULL, *more;
	int conditional = 0, rc = 0;
	CURL *h = NULL;
	CURLcode cc;
	sink s;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	errbuf[0] = '\0';
	if ((rc = eg__fetch_init(err)) != 0)
		return rc;
	s.cap = lim->max_bytes > 0 ? lim->max_bytes : EG__FETCH_MAX_BYTES;
	if ((s.f = fopen(path, "wb")) == NULL)
		return eg__error_set(err, EG_EIO, "%s: cannot create %s: %s", url, path,
		                     strerror(errno));
	if ((h = curl_easy_init()) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "%s: libcurl: out of memory", url);
		goto done;
	}
	if (etag != NULL && etag[0] != '\0') {
		snprintf(hdr, sizeof(hdr), "If-None-Match: %s", etag);
		if ((more = curl_slist_append(headers, hdr)) == NULL)
			goto nomem;
		headers = more;
		conditional = 1;
	}
	if (last_modified != NULL && last_modified[0] != '\0') {
		snprintf(hdr, sizeof(hdr), "If-Modified-Since: %s", last_modified);
		if ((more = curl_slist_append(headers, hdr)) == NULL)
			goto nomem;
		headers = more;
		conditional = 1;
	}
	if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK) {
		rc = eg__error_set(err, EG_EINVAL, "%s: not a URL libcurl accepts", url);
		goto done;
	}
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, or_default(lim->max_redirects,
	                                                  EG__FETCH_MAX_REDIRECTS));
	/* Verification is libcurl's default; said here so that no one turns
	 * it off by accident. */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
	                 or_default(lim->connect_timeout_ms, EG__FETCH_CONNECT_TIMEOUT_MS));
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, or_default(lim->timeout_ms, EG__FETCH_TIMEOUT_MS));
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT,
	                 or_default(lim->low_speed_bytes, EG__FETCH_LOW_SPEED_BYTES));
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
	                 or_default(lim->low_speed_seconds, EG__FETCH_LOW_SPEED_SECONDS));
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s.cap);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* decoded bytes count for the cap */
	curl_easy_setopt(h, CURLOPT_USERAGENT, "exportgate/" EG_VERSION_STRING);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	if (lim->cancel != NULL) {
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)lim->cancel);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	out->bytes = s.bytes;
	if (cc != CURLE_OK) {
		rc = transfer_error(h, cc, url, errbuf, &s, lim, err);
		goto done;
	}
	last_header(h, "ETag", out->etag, sizeof(out->etag));
	last_header(h, "Last-Modified", out->last_modified, sizeof(out->last_modified));
	if (out->status == 304 && conditional) {
		out->not_modified = 1;
	} else if (out->status != 200) {
		rc = eg__error_set(err, EG_EIO, "%s: HTTP %ld%s", url, out->status,
		                   out->status >= 300 && out->status < 400
		                       ? " (a redirect without a usable Location)" : "");
		goto done;
	}
	if (fflush(s.f) != 0 || ferror(s.f)) {
		rc = eg__error_set(err, EG_EIO, "%s: cannot write %s: %s", url, path, strerror(errno));
		goto done;
	}
	goto done;
nomem:
	rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", url);
done:
	if (fclose(s.f) != 0 && rc == 0)
		rc = eg__error_set(err, EG_EIO, "%s: cannot write %s: %s", url, path, strerror(errno));
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	return rc;
}
