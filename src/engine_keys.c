/* engine_keys.c - API keys and their roles, for the HTTP server: stored as
 * SHA-256 hashes in the store (SQLite or PostgreSQL, through the store's
 * key operations: store.h), checked in constant time here.
 *
 * The table lives beside the lists and the decision log:
 *   api_key(id, name, roles, sha256, prefix, created, revoked)
 * with one key in force per name (a partial unique index). A key is never
 * stored, only its digest; a revoked key keeps its row so the log's
 * asked_by names stay explained. Adding, listing, revoking and counting
 * open a connection of their own (eg__store_open, as the decision log
 * does), so a key call never mixes with the catalog's reads or an import;
 * checks, which a server makes at every cache miss, share one read-only
 * connection of the engine (keys_lock), opened on the first check. The
 * server caches what a check answers for a short while (docs/server.md). */
#include "engine_impl.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/error.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#define KEY_PREFIX "egk_"
#define KEY_RANDOM_BYTES 32

static const char *const role_names[] = {"screen", "decide", "review", "admin"};

const char *eg_role_name(unsigned role)
{
	size_t i;

	for (i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (role == (1u << i))
			return role_names[i];
	return "";
}

int eg_role_parse(unsigned *out, const char *name)
{
	size_t i;

	*out = 0;
	for (i = 0; name != NULL && i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcmp(name, role_names[i]) == 0) {
			*out = 1u << i;
			return 0;
		}
	return EG_EINVAL;
}

static int name_valid(const char *name)
{
	size_t i, n = name ? strlen(name) : 0;

	if (n == 0 || n > EG_KEY_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '@' || c == '-'))
			return 0;
	}
	return 1;
}

/* SHA-256 of len bytes into out. */
static int digest(unsigned char out[32], const void *data, size_t len)
{
	unsigned int n = 0;

	return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 && n == 32 ? 0 : EG_EIO;
}

/* Opens a connection of the engine's store, read-only unless write. */
static int keys_open(eg_engine *e, eg__store **st, int write, eg_error *err)
{
	*st = NULL;
	if (write && e->read_only)
		return eg__error_set(err, EG_ESTORE, "keys: the store was opened read-only");
	return eg__store_open(st, e->store_path, write ? 0 : 1, err);
}

int eg_key_add(eg_engine *e, char key_out[EG_KEY_SIZE], const char *name, unsigned roles,
               eg_error *err)
{
	unsigned char rnd[KEY_RANDOM_BYTES];
	char key[EG_KEY_SIZE];
	eg__store_key k;
	eg__store *st = NULL;
	size_t i;
	int rc;

	key_out[0] = '\0';
	if (!name_valid(name))
		return eg__error_set(err, EG_EINVAL, "key name \"%.64s\": 1 to %d characters of "
		                     "A-Z a-z 0-9 . _ @ -", name ? name : "", EG_KEY_NAME_MAX);
	if ((roles & EG_ROLE_ALL) == 0 || (roles & ~EG_ROLE_ALL) != 0)
		return eg__error_set(err, EG_EINVAL, "key %s: give at least one role (screen, "
		                     "decide, review, admin)", name);
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return eg__error_set(err, EG_EIO, "key: no random bytes from libcrypto");
	memcpy(key, KEY_PREFIX, 4);
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(key + 4 + 2 * i, 3, "%02x", rnd[i]);
	OPENSSL_cleanse(rnd, sizeof(rnd));
	memset(&k, 0, sizeof(k));
	snprintf(k.name, sizeof(k.name), "%s", name);
	k.roles = roles;
	memcpy(k.prefix, key, 12);
	if ((rc = digest(k.sha256, key, strlen(key))) != 0) {
		rc = eg__error_set(err, rc, "key: SHA-256 failed");
		goto done;
	}
	if ((rc = keys_open(e, &st, 1, err)) != 0 || (rc = eg__store_key_add(st, &k, err)) != 0)
		goto done;
	memcpy(key_out, key, EG_KEY_SIZE);
done:
	OPENSSL_cleanse(key, sizeof(key));
	eg__store_close(st);
	return rc;
}

int eg_key_list(eg_engine *e, eg_key_info **out, size_t *count, eg_error *err)
{
	eg__store *st = NULL;
	int rc;

	*out = NULL;
	*count = 0;
	if ((rc = keys_open(e, &st, 0, err)) == 0)
		rc = eg__store_key_list(st, out, count, err);
	eg__store_close(st);
	return rc;
}

void eg_key_list_free(eg_key_info *keys)
{
	eg__free(keys);
}

int eg_key_revoke(eg_engine *e, const char *name, eg_error *err)
{
	eg__store *st = NULL;
	int rc;

	if (!name_valid(name))
		return eg__error_set(err, EG_ENOTFOUND, "no key in force named \"%.64s\"",
		                     name ? name : "");
	if ((rc = keys_open(e, &st, 1, err)) == 0)
		rc = eg__store_key_revoke(st, name, err);
	eg__store_close(st);
	return rc;
}

int eg_key_count(eg_engine *e, size_t *count, eg_error *err)
{
	eg__store *st = NULL;
	int rc;

	*count = 0;
	if ((rc = keys_open(e, &st, 0, err)) == 0)
		rc = eg__store_key_count(st, count, err);
	eg__store_close(st);
	return rc;
}

/* The keys in force, read on the engine's connection for checks (opened on
 * first use; a SQLite connection that fails is closed, and the next check
 * opens another; a PostgreSQL one reconnects by itself). When the store
 * cannot be read (a database that is down or unreachable) the keys of the
 * last successful read answer, with a warning: a server that loses its
 * database keeps screening for the keys it knew (decisions are refused
 * anyway: they need the log), at the price that a key revoked meanwhile
 * stays good on it until the database is back. Called with keys_lock held;
 * *keys is the caller's copy. */
static int keys_in_force(eg_engine *e, eg__store_key **keys, size_t *n, eg_error *err)
{
	eg__store_key *copy;
	int rc;

	*keys = NULL;
	*n = 0;
	if ((rc = e->keys != NULL ? 0 : keys_open(e, &e->keys, 0, err)) == 0 &&
	    (rc = eg__store_keys_in_force(e->keys, keys, n, err)) != 0 &&
	    eg__store_pg_conn(e->keys) == NULL) {
		eg__store_close(e->keys);
		e->keys = NULL;
	}
	if (rc == 0) {
		copy = *n > 0 ? eg__malloc(*n * sizeof(**keys)) : NULL;
		if (*n > 0 && copy == NULL)
			return 0; /* the answer stands; the fallback stays as it was */
		if (copy != NULL)
			memcpy(copy, *keys, *n * sizeof(**keys));
		eg__free(e->keys_last);
		e->keys_last = copy;
		e->n_keys_last = *n;
		e->keys_read = 1;
		return 0;
	}
	if (rc != EG_ESTORE || !e->keys_read)
		return rc;
	eg__engine_log(e, EG_LOG_WARNING, "keys: %s; checking against the %zu keys in force when "
	               "the store was last read", err->message, e->n_keys_last);
	eg__error_clear(err);
	if (e->n_keys_last == 0)
		return 0;
	if ((*keys = eg__malloc(e->n_keys_last * sizeof(**keys))) == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	memcpy(*keys, e->keys_last, e->n_keys_last * sizeof(**keys));
	*n = e->n_keys_last;
	return 0;
}

int eg_key_check(eg_engine *e, unsigned *roles, char name_out[EG_KEY_NAME_MAX + 1],
                 const char *key, size_t len, eg_error *err)
{
	unsigned char h[32];
	eg__store_key *keys = NULL;
	size_t n = 0, i;
	int rc, found = 0;

	*roles = 0;
	name_out[0] = '\0';
	if (key == NULL || len == 0 || len > 256)
		return eg__error_set(err, EG_ENOTFOUND, "no key in force matches");
	if ((rc = digest(h, key, len)) != 0)
		return eg__error_set(err, rc, "key: SHA-256 failed");
	pthread_mutex_lock(&e->keys_lock);
	rc = keys_in_force(e, &keys, &n, err);
	pthread_mutex_unlock(&e->keys_lock);
	if (rc != 0)
		return rc;
	/* Every key in force is compared, whatever matched before: the time
	 * taken tells nothing about which stored hash is near the key. */
	for (i = 0; i < n; i++)
		if (CRYPTO_memcmp(keys[i].sha256, h, 32) == 0 && !found) {
			found = 1;
			*roles = keys[i].roles;
			memcpy(name_out, keys[i].name, EG_KEY_NAME_MAX + 1);
		}
	if (n > 0)
		OPENSSL_cleanse(keys, n * sizeof(*keys));
	eg__free(keys);
	if (!found)
		return eg__error_set(err, EG_ENOTFOUND, "no key in force matches");
	return 0;
}
