/* engine_keys.c - API keys and their roles, for the HTTP server: stored as
 * SHA-256 hashes in the store's SQLite file, checked in constant time.
 *
 * The table lives beside the lists and the decision log:
 *   api_key(id INTEGER PRIMARY KEY, name, roles, sha256 BLOB, prefix,
 *           created, revoked)
 * with one key in force per name (a partial unique index). A key is never
 * stored, only its digest; a revoked key keeps its row so the log's
 * asked_by names stay explained. Each call opens its own connection
 * (eg__store_open, as the decision log does), so a key call never mixes
 * with the catalog's reads or an import; the server caches what a check
 * answers for a short while (docs/server.md). */
#include "engine_impl.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/error.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define KEY_PREFIX "egk_"
#define KEY_RANDOM_BYTES 32

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS api_key ("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL, roles INTEGER NOT NULL,"
	" sha256 BLOB NOT NULL, prefix TEXT NOT NULL, created TEXT NOT NULL,"
	" revoked TEXT);"
	"CREATE UNIQUE INDEX IF NOT EXISTS api_key_in_force ON api_key(name)"
	" WHERE revoked IS NULL;";

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

/* Opens a connection of the engine's store; for writing, creates the table. */
static int keys_open(eg_engine *e, eg__store **st, sqlite3 **db, int write, eg_error *err)
{
	char *msg = NULL;
	int rc;

	*db = NULL;
	if (write && e->read_only)
		return eg__error_set(err, EG_ESTORE, "keys: the store was opened read-only");
	if ((rc = eg__store_open(st, e->store_path, write ? 0 : 1, err)) != 0)
		return rc;
	if ((*db = eg__store_sqlite_db(*st)) == NULL) {
		eg__store_close(*st);
		*st = NULL;
		return eg__error_set(err, EG_EUNSUPPORTED, "keys need a SQLite store");
	}
	if (write && sqlite3_exec(*db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		rc = eg__error_set(err, EG_ESTORE, "keys: creating the table: %s",
		                   msg ? msg : eg__store_sqlite_error(*db));
		sqlite3_free(msg);
		eg__store_close(*st);
		*st = NULL;
		*db = NULL;
		return rc;
	}
	return 0;
}

/* Whether the table exists (a store no key was ever added to lacks it). */
static int has_table(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	int found = 0;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
	                       "name = 'api_key'", -1, &s, NULL) == SQLITE_OK)
		found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return found;
}

int eg_key_add(eg_engine *e, char key_out[EG_KEY_SIZE], const char *name, unsigned roles,
               eg_error *err)
{
	unsigned char rnd[KEY_RANDOM_BYTES], h[32];
	char key[EG_KEY_SIZE], created[21];
	eg__store *st = NULL;
	sqlite3 *db;
	sqlite3_stmt *s = NULL;
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
	if ((rc = digest(h, key, strlen(key))) != 0) {
		rc = eg__error_set(err, rc, "key: SHA-256 failed");
		goto done;
	}
	if ((rc = keys_open(e, &st, &db, 1, err)) != 0)
		goto done;
	eg__date_now(created);
	if (sqlite3_prepare_v2(db, "INSERT INTO api_key(name, roles, sha256, prefix, created) "
	                       "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &s, NULL) != SQLITE_OK) {
		rc = eg__error_set(err, EG_ESTORE, "keys: %s", eg__store_sqlite_error(db));
		goto done;
	}
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)roles);
	sqlite3_bind_blob(s, 3, h, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, key, 12, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, created, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_CONSTRAINT) {
		rc = eg__error_set(err, EG_EEXISTS, "key %s exists already (revoke it first)", name);
		goto done;
	}
	if (rc != SQLITE_DONE) {
		rc = eg__error_set(err, EG_ESTORE, "keys: adding %s: %s", name, eg__store_sqlite_error(db));
		goto done;
	}
	rc = 0;
	memcpy(key_out, key, EG_KEY_SIZE);
done:
	OPENSSL_cleanse(key, sizeof(key));
	sqlite3_finalize(s);
	eg__store_close(st);
	return rc;
}

static void copy_text(char *dst, size_t size, const unsigned char *src)
{
	snprintf(dst, size, "%s", src ? (const char *)src : "");
}

int eg_key_list(eg_engine *e, eg_key_info **out, size_t *count, eg_error *err)
{
	eg__store *st = NULL;
	sqlite3 *db;
	sqlite3_stmt *s = NULL;
	eg_key_info *v = NULL, *nv;
	size_t n = 0, alloc = 0;
	int rc, step;

	*out = NULL;
	*count = 0;
	if ((rc = keys_open(e, &st, &db, 0, err)) != 0)
		return rc;
	if (!has_table(db))
		goto done;
	if (sqlite3_prepare_v2(db, "SELECT name, roles, created, revoked, prefix FROM api_key "
	                       "ORDER BY id", -1, &s, NULL) != SQLITE_OK) {
		rc = eg__error_set(err, EG_ESTORE, "keys: %s", eg__store_sqlite_error(db));
		goto done;
	}
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			if ((nv = eg__realloc(v, alloc * sizeof(*v))) == NULL) {
				rc = eg__error_set(err, EG_ENOMEM, "out of memory");
				goto done;
			}
			v = nv;
		}
		memset(&v[n], 0, sizeof(v[n]));
		copy_text(v[n].name, sizeof(v[n].name), sqlite3_column_text(s, 0));
		v[n].roles = (unsigned)sqlite3_column_int(s, 1);
		copy_text(v[n].created, sizeof(v[n].created), sqlite3_column_text(s, 2));
		copy_text(v[n].revoked, sizeof(v[n].revoked), sqlite3_column_text(s, 3));
		copy_text(v[n].prefix, sizeof(v[n].prefix), sqlite3_column_text(s, 4));
		n++;
	}
	if (step != SQLITE_DONE) {
		rc = eg__error_set(err, EG_ESTORE, "keys: %s", eg__store_sqlite_error(db));
		goto done;
	}
	*out = v;
	*count = n;
	v = NULL;
done:
	eg__free(v);
	sqlite3_finalize(s);
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
	sqlite3 *db;
	sqlite3_stmt *s = NULL;
	char now[21];
	int rc;

	if (!name_valid(name))
		return eg__error_set(err, EG_ENOTFOUND, "no key in force named \"%.64s\"",
		                     name ? name : "");
	if ((rc = keys_open(e, &st, &db, 1, err)) != 0)
		return rc;
	eg__date_now(now);
	if (sqlite3_prepare_v2(db, "UPDATE api_key SET revoked = ?1 WHERE name = ?2 AND "
	                       "revoked IS NULL", -1, &s, NULL) != SQLITE_OK) {
		rc = eg__error_set(err, EG_ESTORE, "keys: %s", eg__store_sqlite_error(db));
		goto done;
	}
	sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = eg__error_set(err, EG_ESTORE, "keys: revoking %s: %s", name, eg__store_sqlite_error(db));
	else if (sqlite3_changes(db) == 0)
		rc = eg__error_set(err, EG_ENOTFOUND, "no key in force named \"%s\"", name);
done:
	sqlite3_finalize(s);
	eg__store_close(st);
	return rc;
}

int eg_key_count(eg_engine *e, size_t *count, eg_error *err)
{
	eg__store *st = NULL;
	sqlite3 *db;
	sqlite3_stmt *s = NULL;
	int rc;

	*count = 0;
	if ((rc = keys_open(e, &st, &db, 0, err)) != 0)
		return rc;
	if (has_table(db)) {
		if (sqlite3_prepare_v2(db, "SELECT count(*) FROM api_key WHERE revoked IS NULL", -1,
		                       &s, NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW)
			rc = eg__error_set(err, EG_ESTORE, "keys: %s", eg__store_sqlite_error(db));
		else
			*count = (size_t)sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	eg__store_close(st);
	return rc;
}

int eg_key_check(eg_engine *e, unsigned *roles, char name_out[EG_KEY_NAME_MAX + 1],
                 const char *key, size_t len, eg_error *err)
{
	unsigned char h[32];
	eg__store *st = NULL;
	sqlite3 *db;
	sqlite3_stmt *s = NULL;
	int rc, step, found = 0;

	*roles = 0;
	name_out[0] = '\0';
	if (key == NULL || len == 0 || len > 256)
		return eg__error_set(err, EG_ENOTFOUND, "no key in force matches");
	if ((rc = digest(h, key, len)) != 0)
		return eg__error_set(err, rc, "key: SHA-256 failed");
	if ((rc = keys_open(e, &st, &db, 0, err)) != 0)
		return rc;
	if (!has_table(db))
		goto done;
	if (sqlite3_prepare_v2(db, "SELECT name, roles, sha256 FROM api_key WHERE revoked IS NULL",
	                       -1, &s, NULL) != SQLITE_OK) {
		rc = eg__error_set(err, EG_ESTORE, "keys: %s", eg__store_sqlite_error(db));
		goto done;
	}
	/* Every key in force is compared, whatever matched before: the time
	 * taken tells nothing about which stored hash is near the key. */
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(s, 2);
		if (b != NULL && sqlite3_column_bytes(s, 2) == 32 && CRYPTO_memcmp(b, h, 32) == 0 &&
		    !found) {
			found = 1;
			*roles = (unsigned)sqlite3_column_int(s, 1);
			copy_text(name_out, EG_KEY_NAME_MAX + 1, sqlite3_column_text(s, 0));
		}
	}
	if (step != SQLITE_DONE)
		rc = eg__error_set(err, EG_ESTORE, "keys: %s", eg__store_sqlite_error(db));
done:
	sqlite3_finalize(s);
	eg__store_close(st);
	if (rc == 0 && !found)
		rc = eg__error_set(err, EG_ENOTFOUND, "no key in force matches");
	return rc;
}
