/* engine_refresh.c - refreshing list versions from their publishers
 * (eg_refresh, docs/refresh.md): download, check, import, log.
 *
 * Invariants: nothing reaches the store but through eg_import (one
 * transaction) and the attempts log; a download lives in its own
 * temporary directory under the work directory, removed at the end unless
 * the publication is held, when it is renamed (same file system) into
 * WORK/held/; conditional headers come only from an accepted download
 * (imported, unchanged, not modified), never from a held or failed one. */
#include "engine_impl.h"
#include "catalog/sources.h"
#include "fetch/fetch.h"
#include "lists/format.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *eg_refresh_outcome_name(eg_refresh_outcome outcome)
{
	switch (outcome) {
	case EG_REFRESH_IMPORTED: return "imported";
	case EG_REFRESH_UNCHANGED: return "unchanged";
	case EG_REFRESH_NOT_MODIFIED: return "not-modified";
	case EG_REFRESH_HELD: return "held";
	case EG_REFRESH_FAILED: return "failed";
	}
	return "unknown";
}

void eg_refresh_attempts_free(eg_refresh_attempt *attempts, size_t count)
{
	eg__store_refresh_attempts_free(attempts, count);
}

/* snprintf that says whether the text fit: 0, or -1 when cut (paths are
 * then refused; messages are kept cut). */
static int put(char *out, size_t size, const char *fmt, ...) EG__PRINTF(3, 4);
static int put(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Bytes of a work directory's path: room is left for the names below it. */
#define EG__REFRESH_WORK_MAX 3000

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The work directory: given, beside a SQLite store, or var/refresh. */
static char *work_dir_of(const eg_engine *e, const eg_refresh_options *o)
{
	const char *store;
	char *dir;
	size_t len;

	if (o->work_dir != NULL && o->work_dir[0] != '\0')
		return eg__strdup(o->work_dir);
	if ((store = eg__store_sqlite_path(e->store_path)) == NULL || store[0] == '\0')
		return eg__strdup("var/refresh");
	len = strlen(store);
	if ((dir = eg__malloc(len + sizeof(".refresh"))) == NULL)
		return NULL;
	memcpy(dir, store, len);
	memcpy(dir + len, ".refresh", sizeof(".refresh"));
	return dir;
}

static int make_dir(const char *path, eg_error *err)
{
	struct stat st;

	if (mkdir(path, 0755) == 0 || (errno == EEXIST && stat(path, &st) == 0 &&
	                               S_ISDIR(st.st_mode)))
		return 0;
	return eg__error_set(err, EG_EIO, "refresh: cannot create the directory %s: %s", path,
	                     strerror(errno));
}

/* Line k (from 0) of a newline-separated list, into out ("" if none). */
static void line_of(const char *list, size_t k, char *out, size_t size)
{
	const char *p = list, *end;
	size_t len;

	out[0] = '\0';
	while (k > 0 && p != NULL) {
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
		k--;
	}
	if (p == NULL || *p == '\0')
		return;
	end = strchr(p, '\n');
	len = end ? (size_t)(end - p) : strlen(p);
	if (len >= size)
		return; /* longer than any header kept: not one we sent */
	memcpy(out, p, len);
	out[len] = '\0';
}

/* Appends s and a newline to the growing string *list. */
static int add_line(char **list, const char *s)
{
	size_t old = *list ? strlen(*list) : 0, n = strlen(s);
	char *p = eg__realloc(*list, old + n + 2);

	if (p == NULL)
		return EG_ENOMEM;
	memcpy(p + old, s, n);
	p[old + n] = '\n';
	p[old + n + 1] = '\0';
	*list = p;
	return 0;
}

/* The digest of a download: every file's name, size and bytes, in order. */
static int digest_files(char hex[65], const char *dir, const eg__source_download *d,
                        eg_error *err)
{
	eg__sha256 sha;
	char path[4096], buf[65536];
	size_t k, n;
	int rc;

	if ((rc = eg__sha256_init(&sha)) != 0)
		return eg__error_set(err, rc, "refresh: out of memory");
	for (k = 0; k < d->n_files && rc == 0; k++) {
		FILE *f;
		struct stat st;
		put(path, sizeof(path), "%s/%s", dir, d->name[k]);
		if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) != 0) {
			rc = eg__error_set(err, EG_EIO, "refresh: %s: %s", path, strerror(errno));
			if (f != NULL)
				fclose(f);
			break;
		}
		put(buf, sizeof(buf), "%s\n%lld\n", d->name[k], (long long)st.st_size);
		eg__sha256_update(&sha, buf, strlen(buf));
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			eg__sha256_update(&sha, buf, n);
		if (ferror(f))
			rc = eg__error_set(err, EG_EIO, "refresh: %s: read error", path);
		fclose(f);
	}
	if (rc == 0 && (rc = eg__sha256_final(&sha, hex)) != 0)
		rc = eg__error_set(err, rc, "refresh: hashing failed");
	eg__sha256_dispose(&sha);
	return rc;
}

/* Removes the download directory and the files of d in it. */
static void remove_download(const char *dir, const eg__source_download *d)
{
	char path[4096];
	size_t k;

	for (k = 0; k < d->n_files; k++) {
		put(path, sizeof(path), "%s/%s", dir, d->name[k]);
		unlink(path);
	}
	rmdir(dir);
}

/* The state of one source's attempt, filled as it goes. */
typedef struct attempt_ctx {
	eg_engine *e;
	const eg__source_download *d;
	const eg_refresh_options *o;
	eg__fetch_limits lim;
	const char *work;
	eg_refresh_attempt *a;
	char url[EG__SOURCE_FILES_MAX][EG__SOURCE_URL_MAX + 64];
	char *urls, *etags, *lms;  /* one line per file */
	char reason[EG_ERROR_MESSAGE_MAX + 256];
	char held[4096];
} attempt_ctx;

/* The URL of file k: the official one, or url_base + SOURCE/NAME. */
static int url_of(attempt_ctx *c, size_t k, eg_error *err)
{
	const char *base = c->o->url_base;
	int n;

	if (base == NULL || base[0] == '\0')
		n = put(c->url[k], sizeof(c->url[k]), "%s", c->d->url[k]);
	else
		n = put(c->url[k], sizeof(c->url[k]), "%s%s%s/%s", base,
		             base[strlen(base) - 1] == '/' ? "" : "/", c->d->id, c->d->name[k]);
	if (n < 0 || (size_t)n >= sizeof(c->url[k]))
		return eg__error_set(err, EG_EINVAL, "refresh %s: --url-base too long", c->d->id);
	return 0;
}

static void fail_with(attempt_ctx *c, const char *detail)
{
	c->a->outcome = EG_REFRESH_FAILED;
	put(c->reason, sizeof(c->reason), "%s", detail);
}

/* Downloads, checks and imports one source into c->a (whose outcome and
 * reason say what happened). Returns nonzero only when out of memory. */
static int refresh_one(attempt_ctx *c)
{
	const eg__source_download *d = c->d;
	eg_refresh_attempt *a = c->a, *prev = NULL;
	eg__fetch_result res[EG__SOURCE_FILES_MAX];
	char tmp[4096], path[4096], pe[EG__FETCH_HEADER_MAX], pl[EG__FETCH_HEADER_MAX];
	const eg__format *fmt = NULL;
	eg_list_version newest, v;
	size_t n_prev = 0, k, n_not_modified = 0;
	int have_newest = 0, rc, ok, use_prev;
	eg_error err = {0};

	/* the last accepted download: its headers and digest */
	rc = eg__store_refresh_log_list(eg__catalog_lock(c->e->cat), &prev, &n_prev, d->id, 1, 1,
	                                &err);
	eg__catalog_unlock(c->e->cat);
	if (rc != 0) {
		fail_with(c, err.message);
		return rc == EG_ENOMEM ? rc : 0;
	}
	for (k = 0; k < d->n_files; k++) {
		if ((rc = url_of(c, k, &err)) != 0) {
			fail_with(c, err.message);
			goto done;
		}
	}
	/* the same URLs as then (no --url-base switch in between) */
	use_prev = n_prev == 1;
	for (k = 0; k < d->n_files && use_prev; k++) {
		line_of(prev->url, k, path, sizeof(path));
		use_prev = strcmp(path, c->url[k]) == 0;
	}
	if (put(tmp, sizeof(tmp), "%s/tmp-%s-XXXXXX", c->work, d->id) != 0 ||
	    mkdtemp(tmp) == NULL) {
		put(c->reason, sizeof(c->reason), "cannot create a download directory in %s: %s",
		         c->work, strerror(errno));
		a->outcome = EG_REFRESH_FAILED;
		goto done;
	}
	memset(res, 0, sizeof(res));
	for (k = 0; k < d->n_files; k++) {
		pe[0] = pl[0] = '\0';
		if (use_prev) {
			line_of(prev->etag, k, pe, sizeof(pe));
			line_of(prev->last_modified, k, pl, sizeof(pl));
		}
		put(path, sizeof(path), "%s/%s", tmp, d->name[k]);
		rc = eg__fetch_file(&res[k], c->url[k], path, pe, pl, &c->lim, &err);
		a->http_status = res[k].status;
		a->bytes += res[k].bytes;
		if (rc != 0)
			break;
		n_not_modified += (size_t)res[k].not_modified;
	}
	/* Some files unchanged, some not: the unchanged ones are needed whole. */
	for (k = 0; rc == 0 && n_not_modified > 0 && n_not_modified < d->n_files &&
	            k < d->n_files; k++) {
		if (!res[k].not_modified)
			continue;
		put(path, sizeof(path), "%s/%s", tmp, d->name[k]);
		rc = eg__fetch_file(&res[k], c->url[k], path, NULL, NULL, &c->lim, &err);
		a->http_status = res[k].status;
		a->bytes += res[k].bytes;
	}
	for (k = 0; k < d->n_files; k++) {
		/* a 304's headers may be absent: the ones sent still hold */
		if (res[k].not_modified && use_prev && res[k].etag[0] == '\0')
			line_of(prev->etag, k, res[k].etag, sizeof(res[k].etag));
		if (res[k].not_modified && use_prev && res[k].last_modified[0] == '\0')
			line_of(prev->last_modified, k, res[k].last_modified,
			        sizeof(res[k].last_modified));
		if (add_line(&c->urls, c->url[k]) != 0 || add_line(&c->etags, res[k].etag) != 0 ||
		    add_line(&c->lms, res[k].last_modified) != 0) {
			rc = EG_ENOMEM;
			goto cleanup;
		}
	}
	if (rc != 0) {
		fail_with(c, err.message);
		goto cleanup;
	}
	if (n_not_modified == d->n_files) {
		a->outcome = EG_REFRESH_NOT_MODIFIED;
		put(a->sha256, sizeof(a->sha256), "%s", prev->sha256);
		a->version_id = prev->version_id;
		goto cleanup;
	}
	if ((rc = digest_files(a->sha256, tmp, d, &err)) != 0) {
		fail_with(c, err.message);
		rc = rc == EG_ENOMEM ? rc : 0;
		goto cleanup;
	}
	if (n_prev == 1 && strcmp(prev->sha256, a->sha256) == 0) {
		a->outcome = EG_REFRESH_UNCHANGED;
		a->version_id = prev->version_id;
		goto cleanup;
	}
	/* the format: one the source is published in */
	if (d->n_files == 1)
		put(path, sizeof(path), "%s/%s", tmp, d->name[0]);
	else
		put(path, sizeof(path), "%s", tmp);
	if ((rc = eg__format_for_path(&fmt, path, &err)) != 0) {
		if (rc == EG_ENOMEM)
			goto cleanup;
		put(c->reason, sizeof(c->reason), "%s: the download is not a list format "
		         "exportgate reads (expected %s; an error page?)", c->url[0], d->format);
		a->outcome = EG_REFRESH_FAILED;
		rc = 0;
		goto cleanup;
	}
	ok = 0;
	for (k = 0; k < d->n_formats; k++)
		ok |= strcmp(d->formats[k], fmt->name) == 0;
	if (!ok) {
		put(c->reason, sizeof(c->reason), "%s: the download is in format %s, not one "
		         "%s is published in (%s expected)", c->url[0], fmt->name, d->id, d->format);
		a->outcome = EG_REFRESH_FAILED;
		goto cleanup;
	}
	/* the sanity bound: at least half the newest version's entities */
	rc = eg__store_version_as_of(eg__catalog_lock(c->e->cat), &newest, d->id, NULL, &err);
	eg__catalog_unlock(c->e->cat);
	if (rc == 0) {
		have_newest = 1;
	} else if (rc != EG_ENOTFOUND) {
		fail_with(c, err.message);
		rc = rc == EG_ENOMEM ? rc : 0;
		goto cleanup;
	}
	rc = 0;
	{
		eg_import_options io = EG_IMPORT_OPTIONS_INIT;
		io.source = d->id;
		io.path = path;
		io.min_entities = have_newest ? (newest.entities + 1) / 2 : 0;
		rc = eg_import(c->e, &v, &io, &err);
		if (rc == 0) {
			a->outcome = v.created ? EG_REFRESH_IMPORTED : EG_REFRESH_UNCHANGED;
			a->version_id = v.id;
		} else if (rc == EG_EEMPTY && io.min_entities > 0) {
			/* the import's "PATH: N entities, under the M required" */
			const char *why = err.message;
			char stamp[21];
			size_t j, m = 0;

			if (strncmp(why, path, strlen(path)) == 0 && why[strlen(path)] == ':')
				why += strlen(path) + 2;
			/* held/SOURCE-YYYYMMDDThhmmssZ-XXXXXX (mkdtemp's letters) */
			for (j = 0; a->time[j] != '\0'; j++)
				if (a->time[j] != '-' && a->time[j] != ':')
					stamp[m++] = a->time[j];
			stamp[m] = '\0';
			put(path, sizeof(path), "%s/held/%s-%s-%s", c->work, d->id, stamp,
			    tmp + strlen(tmp) - 6);
			if (rename(tmp, path) != 0) {
				remove_download(tmp, d);
				put(c->reason, sizeof(c->reason), "%s: under half of version %lld's %zu "
				         "entities, and cannot be kept for review in %s: %s", d->id,
				         (long long)newest.id, newest.entities, path, strerror(errno));
				a->outcome = EG_REFRESH_FAILED;
			} else {
				put(c->held, sizeof(c->held), "%s%s%s", path, d->n_files == 1 ? "/" : "",
				         d->n_files == 1 ? d->name[0] : "");
				put(c->reason, sizeof(c->reason), "%s (half of version %lld's %zu): "
				         "held for review, not imported; to import it anyway: exportgate "
				         "import --source %s %s", why, (long long)newest.id, newest.entities,
				         d->id, c->held);
				a->outcome = EG_REFRESH_HELD;
			}
			rc = 0;
			goto done; /* the directory is kept (or already gone) */
		} else if (rc != EG_ENOMEM) {
			put(c->reason, sizeof(c->reason), "%s: %s", c->url[0], err.message);
			a->outcome = EG_REFRESH_FAILED;
			rc = 0;
		}
	}
cleanup:
	remove_download(tmp, d);
done:
	eg__store_refresh_attempts_free(prev, n_prev);
	return rc;
}

/* Fills the attempt's strings (never NULL) from the context. */
static int finish_attempt(attempt_ctx *c)
{
	eg_refresh_attempt *a = c->a;

	a->url = eg__strdup(c->urls ? c->urls : "");
	a->etag = eg__strdup(c->etags ? c->etags : "");
	a->last_modified = eg__strdup(c->lms ? c->lms : "");
	a->reason = eg__strdup(c->reason);
	a->held_path = eg__strdup(c->held);
	/* drop the last newline of each list */
	if (a->url && a->url[0])
		((char *)a->url)[strlen(a->url) - 1] = '\0';
	if (a->etag && a->etag[0])
		((char *)a->etag)[strlen(a->etag) - 1] = '\0';
	if (a->last_modified && a->last_modified[0])
		((char *)a->last_modified)[strlen(a->last_modified) - 1] = '\0';
	eg__free(c->urls);
	eg__free(c->etags);
	eg__free(c->lms);
	c->urls = c->etags = c->lms = NULL;
	return a->url && a->etag && a->last_modified && a->reason && a->held_path ? 0 : EG_ENOMEM;
}

static void utc_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int eg_refresh(eg_engine *e, eg_refresh_attempt **out, size_t *count,
               const eg_refresh_options *opts, eg_error *err)
{
	eg_refresh_options o = EG_REFRESH_OPTIONS_INIT;
	eg__source_download *all = NULL;
	const eg__source_download **pick = NULL;
	eg_refresh_attempt *v = NULL;
	attempt_ctx c;
	char *work = NULL, held[4200];
	size_t n_all = 0, n = 0, i, k;
	int rc;

	eg__error_clear(err);
	*out = NULL;
	*count = 0;
	if (opts != NULL) {
		if (opts->version < 1 || opts->version > EG_REFRESH_OPTIONS_VERSION)
			return eg__error_set(err, EG_EINVAL, "eg_refresh_options: version %u, expected 1 "
			                     "to %u", opts->version, EG_REFRESH_OPTIONS_VERSION);
		o = *opts;
	}
	if (o.connect_timeout_ms < 0 || o.timeout_ms < 0 || o.stall_seconds < 0)
		return eg__error_set(err, EG_EINVAL, "refresh: negative timeout");
	if (o.url_base != NULL && o.url_base[0] != '\0' && strncmp(o.url_base, "http://", 7) != 0 &&
	    strncmp(o.url_base, "https://", 8) != 0)
		return eg__error_set(err, EG_EINVAL, "refresh: --url-base \"%s\": an http:// or "
		                     "https:// URL expected", o.url_base);
	if (e->read_only)
		return eg__error_set(err, EG_ESTORE, "refresh: the store is open read-only");
	if ((rc = eg__source_downloads(e->data_dir, &all, &n_all, err)) != 0)
		return rc;
	if ((pick = eg__calloc(o.sources ? o.n_sources + 1 : n_all + 1, sizeof(*pick))) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	if (o.sources == NULL) {
		for (i = 0; i < n_all; i++)
			pick[n++] = &all[i];
	} else {
		for (i = 0; i < o.n_sources; i++) {
			for (k = 0; k < n_all && strcmp(all[k].id, o.sources[i]) != 0; k++)
				;
			if (k == n_all) {
				rc = eg__error_set(err, EG_EINVAL, "refresh: source \"%s\" has no download "
				                   "in %s/sources.json", o.sources[i], e->data_dir);
				goto done;
			}
			pick[n++] = &all[k];
		}
	}
	if ((work = work_dir_of(e, &o)) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	if (strlen(work) > EG__REFRESH_WORK_MAX) {
		rc = eg__error_set(err, EG_EINVAL, "refresh: work directory path over %d bytes: %s",
		                   EG__REFRESH_WORK_MAX, work);
		goto done;
	}
	put(held, sizeof(held), "%s/held", work);
	if ((rc = make_dir(work, err)) != 0 || (rc = make_dir(held, err)) != 0)
		goto done;
	if (n > 0 && (v = eg__calloc(n, sizeof(*v))) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		int64_t t0 = now_ms();
		memset(&c, 0, sizeof(c));
		c.e = e;
		c.d = pick[i];
		c.o = &o;
		c.work = work;
		c.a = &v[i];
		c.lim.connect_timeout_ms = o.connect_timeout_ms;
		c.lim.timeout_ms = o.timeout_ms;
		c.lim.low_speed_seconds = o.stall_seconds;
		c.lim.max_bytes = o.max_bytes > 0 ? o.max_bytes : EG_REFRESH_MAX_BYTES;
		c.lim.cancel = o.cancel;
		if (o.cancel != NULL && __atomic_load_n(o.cancel, __ATOMIC_RELAXED) != 0)
			break; /* no further source: *count says how many were tried */
		put(v[i].source, sizeof(v[i].source), "%s", pick[i]->id);
		utc_now(v[i].time);
		rc = refresh_one(&c);
		v[i].millis = now_ms() - t0;
		if (finish_attempt(&c) != 0 || rc == EG_ENOMEM) {
			rc = eg__error_set(err, EG_ENOMEM, "refresh %s: out of memory", pick[i]->id);
			eg__free(c.urls);
			eg__free(c.etags);
			eg__free(c.lms);
			*count = i + 1;
			goto done;
		}
		rc = eg__store_refresh_log_add(eg__catalog_lock(e->cat), &v[i], err);
		eg__catalog_unlock(e->cat);
		*count = i + 1;
		if (rc != 0)
			goto done;
		eg__engine_log(e, v[i].outcome == EG_REFRESH_FAILED ? EG_LOG_ERROR
		                  : v[i].outcome == EG_REFRESH_HELD ? EG_LOG_WARNING : EG_LOG_INFO,
		               "refresh %s: %s%s%s", v[i].source,
		               eg_refresh_outcome_name(v[i].outcome), v[i].reason[0] ? ": " : "",
		               v[i].reason);
	}
	rc = 0;
done:
	if (rc != 0) {
		eg__store_refresh_attempts_free(v, *count);
		*count = 0;
	} else {
		*out = v;
	}
	eg__free(work);
	eg__free(pick);
	eg__free(all);
	return rc;
}

int eg_refresh_log(eg_engine *e, eg_refresh_attempt **out, size_t *count,
                   const char *source, size_t limit, eg_error *err)
{
	int rc;

	eg__error_clear(err);
	rc = eg__store_refresh_log_list(eg__catalog_lock(e->cat), out, count, source, 0, limit,
	                                err);
	eg__catalog_unlock(e->cat);
	return rc;
}
