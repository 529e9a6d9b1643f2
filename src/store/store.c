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
	n = scheme_len(uri);
	/* The rest of a URI may hold a password: only the scheme is echoed. */
	if ((n == 10 && strncmp(uri, "postgresql", 10) == 0) ||
	    (n == 8 && strncmp(uri, "postgres", 8) == 0))
		return eg__error_set(err, EG_EUNSUPPORTED, "PostgreSQL store: not built yet");
	return eg__error_set(err, EG_EUNSUPPORTED, "store: unknown scheme \"%.*s\" (known: "
	                     "sqlite:PATH or a plain path)", (int)(n < 32 ? n : 32), uri);
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
