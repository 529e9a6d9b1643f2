/* fetch.h - downloading one published file over HTTP(S) with libcurl, to a
 * file on disk, never whole into memory.
 *
 * A download is conditional when the caller gives the ETag or the
 * Last-Modified of the copy it already holds (If-None-Match,
 * If-Modified-Since): a 304 answer is "not modified" and writes nothing.
 * Every other answer but 200 is an error, as are: no connection within the
 * connect timeout, the whole transfer over the total timeout, fewer than
 * low_speed_bytes a second for low_speed_seconds (a stalled server), more
 * bytes than max_bytes (announced or received), more than max_redirects
 * redirects (a loop), a body shorter than its announced length (a
 * truncated transfer). TLS peers and host names are always verified; only
 * http and https are followed. Errors name the URL and the cause. */
#ifndef EG_FETCH_H
#define EG_FETCH_H

#include "exportgate.h"

#include <stdint.h>

/* The defaults of eg__fetch_limits, named once (docs/refresh.md). */
#define EG__FETCH_CONNECT_TIMEOUT_MS  30000L
#define EG__FETCH_TIMEOUT_MS          (30L * 60 * 1000)
#define EG__FETCH_LOW_SPEED_BYTES     1L     /* bytes a second ... */
#define EG__FETCH_LOW_SPEED_SECONDS   60L    /* ... for this long: stalled */
#define EG__FETCH_MAX_REDIRECTS       5L
#define EG__FETCH_MAX_BYTES           ((uint64_t)512 * 1024 * 1024) /* one file */
#define EG__FETCH_HEADER_MAX          256    /* bytes kept of an ETag or Last-Modified */

typedef struct eg__fetch_limits {
	long connect_timeout_ms;  /* 0: EG__FETCH_CONNECT_TIMEOUT_MS */
	long timeout_ms;          /* the whole transfer; 0: EG__FETCH_TIMEOUT_MS */
	long low_speed_bytes;     /* 0: EG__FETCH_LOW_SPEED_BYTES */
	long low_speed_seconds;   /* 0: EG__FETCH_LOW_SPEED_SECONDS */
	long max_redirects;       /* 0: EG__FETCH_MAX_REDIRECTS */
	uint64_t max_bytes;       /* 0: EG__FETCH_MAX_BYTES */
	const volatile int *cancel; /* NULL, or nonzero: stop ("cancelled") */
} eg__fetch_limits;

typedef struct eg__fetch_result {
	long status;              /* the last HTTP status, 0 when none came */
	int not_modified;         /* 1: a 304 to a conditional request */
	uint64_t bytes;           /* bytes written to the file */
	char etag[EG__FETCH_HEADER_MAX];          /* "" when the answer had none */
	char last_modified[EG__FETCH_HEADER_MAX]; /* "" when the answer had none */
} eg__fetch_result;

/* Initialises libcurl once per process. Thread-safe; eg__fetch_file calls
 * it. Returns 0 or EG_ENOMEM / EG_EIO with err set. */
int eg__fetch_init(eg_error *err);

/* Downloads url into the file path (created or truncated, mode 0644),
 * sending If-None-Match: etag and If-Modified-Since: last_modified when
 * they are not NULL or "". On success *out says what came (on a 304 the
 * file is left empty). On error *out holds what was seen (status, bytes),
 * err names the URL and the cause, and the file may hold part of the body:
 * the caller discards it. Thread-safe (one curl handle per call). */
int eg__fetch_file(eg__fetch_result *out, const char *url, const char *path,
                   const char *etag, const char *last_modified,
                   const eg__fetch_limits *limits, eg_error *err);

#endif
