/* store/store.c - opening a store by URI, and the eg__store_* calls, each
 * dispatched to its back end's operation (store.h holds the contracts). */
#include "store.h"
#include "../util/alloc.h"
#include "../util/error.h"

#include <assert.h>
#include <string.h>

/* A URI names its scheme as "scheme://"; a plain path may hold ':' (and
 * "sqlite:" is a prefix of its own), so only this shape counts as one. */
static size_t scheme_len(const char *uri)
{
	size_t i = 0;

	if (!((uri[0] >= 'a' && uri[0] <= 'z') || (uri[0] >= 'A' && uri[0] <= 'Z')))
		return 0;
	for (i = 1; uri[i] != '\0' && uri[i] != ':'; i++) {
		char c = uri[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '-' || c == '.'))
			return 0;
	}
	return strncmp(uri + i, "://", 3) == 0 ? i : 0;
}

const char *eg__store_sqlite_path(const char *uri)
{
	if (strncmp(uri, "sqlite:", 7) == 0) {
		const char *path = uri + 7;
		/* "sqlite://PATH" is accepted too, as URIs are often written. */
		if (strncmp(path, "//", 2) == 0)
			path += 2;
		return path;
	}
	return scheme_len(uri) == 0 ? uri : NULL;
}

int eg__store_open(eg__store **out, const char *uri, int read_only, eg_error *err)
{
	const char *path;
	size_t n;

	*out = NULL;
	if (uri == NULL || uri[0] == '\0')
		return eg__error_set(err, EG_EINVAL, "store: empty URI");
	if ((path = eg__store_sqlite_path(uri)) != NULL) {
		if (path[0] == '\0')
			return eg__error_set(err, EG_EINVAL, "store %s: no path after \"sqlite:\"", uri);
		return eg__store_open_sqlite(out, path, read_only, err);
	}
	if (eg__store_is_postgres(uri))
		return eg__store_open_postgres(out, uri, read_only, err);
	/* The rest of a URI may hold a password: only the scheme is echoed. */
	n = scheme_len(uri);
	return eg__error_set(err, EG_EUNSUPPORTED, "store: unknown scheme \"%.*s\" (known: "
	                     "sqlite:PATH or a plain path, postgresql://...)",
	                     (int)(n < 32 ? n : 32), uri);
}

int eg__store_is_postgres(const char *uri)
{
	size_t n = scheme_len(uri);

	return (n == 10 && strncmp(uri, "postgresql", 10) == 0) ||
	       (n == 8 && strncmp(uri, "postgres", 8) == 0);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int eg__store_is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	for (i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
			return 0;
	}
	return s[i] == '\0';
}

static int is_sha256_hex(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!is_digit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return 0;
	return s[64] == '\0';
}

int eg__store_check_new_version(const char *store, const eg_list_version *v, eg_error *err)
{
	if (memchr(v->source, '\0', sizeof(v->source)) == NULL || v->source[0] == '\0' ||
	    memchr(v->format, '\0', sizeof(v->format)) == NULL)
		return eg__error_set(err, EG_EINVAL, "store %s: version: empty or unterminated source "
		                     "or format", store);
	if (memchr(v->published, '\0', sizeof(v->published)) == NULL ||
	    (v->published[0] != '\0' && !eg__store_is_date(v->published)))
		return eg__error_set(err, EG_EINVAL, "store %s: version of %s: published date "
		                     "\"%.10s\" is not YYYY-MM-DD", store, v->source, v->published);
	if (memchr(v->sha256, '\0', sizeof(v->sha256)) == NULL || !is_sha256_hex(v->sha256))
		return eg__error_set(err, EG_EINVAL, "store %s: version of %s: sha256 is not 64 "
		                     "lowercase hex digits", store, v->source);
	if ((v->carries & ~EG_CARRIES_ALL) != 0)
		return eg__error_set(err, EG_EINVAL, "store %s: version of %s: carries 0x%x has "
		                     "unknown flags", store, v->source, v->carries);
	return 0;
}

int eg__store_schema(eg__store *store, int *at_open, int *now)
{
	assert(store != NULL);
	return store->ops->schema(store, at_open, now);
}

void eg__store_close(eg__store *store)
{
	if (store != NULL)
		store->ops->close(store);
}

int eg__store_find_version(eg__store *store, eg_list_version *out,
                           const char *source, const char *sha256, eg_error *err)
{
	assert(store != NULL);
	return store->ops->find_version(store, out, source, sha256, err);
}

int eg__store_add_version(eg__store *store, eg_list_version *v,
                          const eg__entity_set *set, eg_error *err)
{
	assert(store != NULL);
	return store->ops->add_version(store, v, set, err);
}

int eg__store_versions(eg__store *store, eg_list_version **out, size_t *count,
                       eg_error *err)
{
	assert(store != NULL);
	return store->ops->versions(store, out, count, err);
}

int eg__store_version_as_of(eg__store *store, eg_list_version *out,
                            const char *source, const char *date, eg_error *err)
{
	assert(store != NULL);
	return store->ops->version_as_of(store, out, source, date, err);
}

int eg__store_version_by_id(eg__store *store, eg_list_version *out, int64_t id,
                            eg_error *err)
{
	assert(store != NULL);
	return store->ops->version_by_id(store, out, id, err);
}

int eg__store_previous_version(eg__store *store, eg_list_version *out,
                               const eg_list_version *v, eg_error *err)
{
	assert(store != NULL && v != NULL);
	return store->ops->previous_version(store, out, v, err);
}

int eg__store_load(eg__store *store, eg__entity_set *set, int64_t version_id,
                   eg_error *err)
{
	assert(store != NULL);
	return store->ops->load(store, set, version_id, err);
}

int eg__store_load_entities(eg__store *store, eg__entity_set *set, int64_t version_id,
                            const uint32_t *ordinals, size_t n, eg_error *err)
{
	assert(store != NULL && (ordinals != NULL || n == 0));
	return store->ops->load_entities(store, set, version_id, ordinals, n, err);
}

int eg__store_changed(eg__store *store, int *changed, eg_error *err)
{
	assert(store != NULL);
	return store->ops->changed(store, changed, err);
}

int eg__store_check(eg__store *store, eg_error *err)
{
	assert(store != NULL);
	return store->ops->check(store, err);
}

int eg__store_refresh_log_add(eg__store *store, eg_refresh_attempt *a, eg_error *err)
{
	assert(store != NULL && a != NULL);
	return store->ops->refresh_log_add(store, a, err);
}

int eg__store_refresh_log_list(eg__store *store, eg_refresh_attempt **out, size_t *count,
                               const char *source, int accepted_only, size_t limit,
                               eg_error *err)
{
	assert(store != NULL);
	return store->ops->refresh_log_list(store, out, count, source, accepted_only, limit, err);
}

void eg__store_refresh_attempts_free(eg_refresh_attempt *a, size_t count)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < count; i++) {
		eg__free((char *)a[i].url);
		eg__free((char *)a[i].etag);
		eg__free((char *)a[i].last_modified);
		eg__free((char *)a[i].reason);
		eg__free((char *)a[i].held_path);
	}
	eg__free(a);
}

int eg__store_key_add(eg__store *store, const eg__store_key *k, eg_error *err)
{
	assert(store != NULL && k != NULL);
	return store->ops->key_add(store, k, err);
}

int eg__store_key_list(eg__store *store, eg_key_info **out, size_t *count, eg_error *err)
{
	assert(store != NULL);
	*out = NULL;
	*count = 0;
	return store->ops->key_list(store, out, count, err);
}

int eg__store_key_revoke(eg__store *store, const char *name, eg_error *err)
{
	assert(store != NULL && name != NULL);
	return store->ops->key_revoke(store, name, err);
}

int eg__store_key_count(eg__store *store, size_t *count, eg_error *err)
{
	assert(store != NULL);
	*count = 0;
	return store->ops->key_count(store, count, err);
}

int eg__store_keys_in_force(eg__store *store, eg__store_key **out, size_t *count,
                            eg_error *err)
{
	assert(store != NULL);
	*out = NULL;
	*count = 0;
	return store->ops->keys_in_force(store, out, count, err);
}

int eg__store_review_table(eg__store *store, eg_error *err)
{
	assert(store != NULL);
	return store->ops->review_table(store, err);
}

int eg__store_review_put(eg__store *store, const eg__store_review *r, eg_error *err)
{
	assert(store != NULL && r != NULL);
	return store->ops->review_put(store, r, err);
}

int eg__store_review_listings(eg__store *store, const char *party, const char *verdict,
                              char (**out)[65], size_t *count, eg_error *err)
{
	assert(store != NULL && party != NULL && verdict != NULL);
	*out = NULL;
	*count = 0;
	return store->ops->review_listings(store, party, verdict, out, count, err);
}
