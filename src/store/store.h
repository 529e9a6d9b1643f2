/* store.h - the store interface: list versions and their entities (and the
 * refresh attempts, the server's API keys, the reviews of hits), behind
 * one table of operations per back end, opened by URI.
 *
 * A store keeps every version of every source; versions are never
 * overwritten. eg__store_add_version writes one version and all its
 * entities in one transaction: on any error the store is exactly as it was.
 * A store handle is used by one thread at a time (the engine serialises);
 * several handles, in one process or several, may use one store at once.
 *
 * The as-of rule (the only place it is stated; every back end implements
 * it, and nothing above the store reimplements it):
 *   A version's effective date is its publication date, or, when the
 *   source gave none, the UTC day it was imported. Versions of a source are
 *   ordered by (effective date, store id): the later import wins a tie. The
 *   version in force on date D is the greatest in that order whose
 *   effective date is on or before D; "the newest" is the greatest of all;
 *   "the previous version" of v is the greatest below v.
 *
 * Errors: every function returns 0 or a negative EG_E* code with err set to
 * one line naming the store (its path) and the cause. A failure of the
 * store itself (disk full, I/O error, corruption, a file that is not a
 * store, cannot be opened, or is read-only) is EG_ESTORE, whatever the back
 * end; only running out of memory is EG_ENOMEM. */
#ifndef EG_STORE_H
#define EG_STORE_H

#include "exportgate.h"
#include "../lists/entity.h"

#include <stdint.h>

typedef struct eg__store eg__store;

/* An API key as a store keeps it: never the key, only its SHA-256. */
typedef struct eg__store_key {
	char name[EG_KEY_NAME_MAX + 1];
	unsigned roles;             /* EG_ROLE_* bits */
	unsigned char sha256[32];   /* of the whole key */
	char prefix[13];            /* the key's first 12 characters */
} eg__store_key;

/* A review of a hit (engine_review.c): the party's normalised name, the
 * listing's source, uid and digest (64 hex digits), the verdict
 * ("false-positive" or "true-match") and the index of the decision-log
 * record that holds it. */
typedef struct eg__store_review {
	const char *party, *source, *uid, *listing, *verdict;
	int64_t log_index;
} eg__store_review;

/* The operations of one back end. Each has the contract of the eg__store_*
 * function of the same name below, which dispatches to it; the store
 * argument is the back end's own handle (whose first member is the base). */
typedef struct eg__store_ops {
	const char *name; /* "sqlite", "postgresql", for messages */
	void (*close)(eg__store *store);
	int (*find_version)(eg__store *store, eg_list_version *out, const char *source,
	                    const char *sha256, eg_error *err);
	int (*add_version)(eg__store *store, eg_list_version *v, const eg__entity_set *set,
	                   eg_error *err);
	int (*versions)(eg__store *store, eg_list_version **out, size_t *count, eg_error *err);
	int (*version_as_of)(eg__store *store, eg_list_version *out, const char *source,
	                     const char *date, eg_error *err);
	int (*version_by_id)(eg__store *store, eg_list_version *out, int64_t id, eg_error *err);
	int (*previous_version)(eg__store *store, eg_list_version *out,
	                        const eg_list_version *v, eg_error *err);
	int (*load)(eg__store *store, eg__entity_set *set, int64_t version_id, eg_error *err);
	int (*load_entities)(eg__store *store, eg__entity_set *set, int64_t version_id,
	                     const uint32_t *ordinals, size_t n, eg_error *err);
	int (*changed)(eg__store *store, int *changed, eg_error *err);
	int (*check)(eg__store *store, eg_error *err);
	/* the attempts log of eg_refresh */
	int (*refresh_log_add)(eg__store *store, eg_refresh_attempt *a, eg_error *err);
	int (*refresh_log_list)(eg__store *store, eg_refresh_attempt **out, size_t *count,
	                        const char *source, int accepted_only, size_t limit,
	                        eg_error *err);
	int (*schema)(eg__store *store, int *at_open, int *now);
	/* the server's API keys (engine_keys.c) */
	int (*key_add)(eg__store *store, const struct eg__store_key *k, eg_error *err);
	int (*key_list)(eg__store *store, eg_key_info **out, size_t *count, eg_error *err);
	int (*key_revoke)(eg__store *store, const char *name, eg_error *err);
	int (*key_count)(eg__store *store, size_t *count, eg_error *err);
	int (*keys_in_force)(eg__store *store, struct eg__store_key **out, size_t *count,
	                     eg_error *err);
	/* the reviews of hits (engine_review.c) */
	int (*review_table)(eg__store *store, eg_error *err);
	int (*review_put)(eg__store *store, const struct eg__store_review *r, eg_error *err);
	int (*review_listings)(eg__store *store, const char *party, const char *verdict,
	                       char (**out)[65], size_t *count, eg_error *err);
} eg__store_ops;

/* The base of every back end's handle: back ends embed it as their first
 * member. Callers never touch it. */
struct eg__store {
	const eg__store_ops *ops;
};

/* Opens the store named by uri:
 *   "sqlite:PATH" or a plain PATH   the embedded SQLite store (see below);
 *   "postgresql://..." or "postgres://..."   PostgreSQL (eg__store_open_postgres);
 *   any other "scheme://..."        EG_EUNSUPPORTED naming the scheme.
 * read_only: open without creating or writing anything (see
 * eg__store_open_sqlite). On error *out is NULL. */
int eg__store_open(eg__store **out, const char *uri, int read_only, eg_error *err);
/* 1 when uri names a PostgreSQL store ("postgresql://" or "postgres://"). */
int eg__store_is_postgres(const char *uri);
/* The file of a SQLite store URI ("sqlite:PATH", "sqlite://PATH" or a
 * plain path; "" when the path is missing), or NULL for another scheme. */
const char *eg__store_sqlite_path(const char *uri);

/* Opens or creates the SQLite store at path (creating the file, not its
 * directory), WAL mode, and migrates an older schema (docs/store.md).
 * read_only: no creation, no writes, no migration; a missing file is
 * EG_ESTORE "no store at PATH; run `exportgate import` first" and creates
 * nothing; a file without the schema is EG_ESTORE; a store of schema 1 is
 * read as it is. A file that is not SQLite, or holds a newer schema
 * (EG_EUNSUPPORTED), is an error naming the file. On error *out is NULL. */
int eg__store_open_sqlite(eg__store **out, const char *path, int read_only,
                          eg_error *err);
/* Opens the PostgreSQL store at uri (a libpq connection URI,
 * "postgresql://[user[:password]@][host][:port][/dbname][?param=value&...]"),
 * connecting with a 10 s timeout unless the URI sets connect_timeout, and
 * LISTENing for new versions. A writable open applies the schema's pending
 * migrations (docs/store.md); a read-only open of a database whose schema is
 * older (or absent) is EG_ESTORE "run `exportgate store migrate` first", and
 * writes nothing. A newer schema is EG_EUNSUPPORTED; a server that cannot be
 * reached, or refuses the login, is EG_ESTORE. Messages name the URI with
 * its password replaced by "***". On error *out is NULL. */
int eg__store_open_postgres(eg__store **out, const char *uri, int read_only,
                            eg_error *err);
/* Closes the store. NULL is a no-op. */
void eg__store_close(eg__store *store);

/* The SQLite connection of a store opened by eg__store_open_sqlite, NULL for
 * other back ends. For tests and diagnostics only: a caller that changes
 * the connection's state owns the consequences. */
struct sqlite3 *eg__store_sqlite_db(eg__store *store);

/* The last error of a SQLite connection, for a message: its cause named in
 * words a user acts on when SQLite knows it ("disk full: ...", "I/O error:
 * ..."), else sqlite3_errmsg(db). Every message built from a failed SQLite
 * call goes through it. The string lives until the connection's next call. */
const char *eg__store_sqlite_error(struct sqlite3 *db);
/* The store's schema version when this handle opened it (before its
 * migration, if it ran one) in *at_open, and now in *now. Returns 0. */
int eg__store_schema(eg__store *store, int *at_open, int *now);

/* Shared by the back ends: whether s is "YYYY-MM-DD" (shape only), and the
 * checks of the fields add_version reads (EG_EINVAL naming store). */
int eg__store_is_date(const char *s);
int eg__store_check_new_version(const char *store, const eg_list_version *v, eg_error *err);

/* The libpq connection of a PostgreSQL store, NULL for other back ends
 * (the decision log shares it: src/audit/log_pg.c), and the store's name
 * for messages (its URI without the password). A caller that changes the
 * connection's state owns the consequences. */
struct pg_conn;
struct pg_conn *eg__store_pg_conn(eg__store *store);
const char *eg__store_pg_name(eg__store *store);
/* The descriptor that becomes readable when the server sends something
 * (a notification of a new version) to a PostgreSQL store's connection,
 * for poll(); -1 for another store or a connection that is down. Read it
 * under the store's lock: a reconnection changes it. */
int eg__store_notify_fd(eg__store *store);

/* Looks up the version of `source` whose content digest is sha256.
 * Returns 0 and fills *out when found, EG_ENOTFOUND when not. */
int eg__store_find_version(eg__store *store, eg_list_version *out,
                           const char *source, const char *sha256, eg_error *err);

/* Adds a version: reads v->source, v->format, v->published ("" or
 * YYYY-MM-DD), v->sha256 (64 lowercase hex digits) and v->carries (the
 * EG_CARRIES_* flags as the caller computed them, stored as given; unknown
 * bits are EG_EINVAL); on success writes v->id, v->imported (UTC now),
 * v->entities, v->names and sets v->created to 1. Atomic: on any error
 * (EG_EEXISTS when the source already has a version with this sha256;
 * EG_ESTORE when the disk is full) the store and *v are as they were. */
int eg__store_add_version(eg__store *store, eg_list_version *v,
                          const eg__entity_set *set, eg_error *err);

/* Every version, ordered by source then newest first (the as-of order), in
 * *out (free with eg__free; NULL when there are none) and their count in
 * *count. Every read of a version, here and below, fills carries. */
int eg__store_versions(eg__store *store, eg_list_version **out, size_t *count,
                       eg_error *err);

/* The version of source in force on date ("YYYY-MM-DD"; NULL: the newest)
 * by the as-of rule above. EG_ENOTFOUND if none; EG_EINVAL for a date not
 * of that shape. */
int eg__store_version_as_of(eg__store *store, eg_list_version *out,
                            const char *source, const char *date, eg_error *err);

/* The version with store id `id`. Returns 0 and fills *out, or EG_ENOTFOUND. */
int eg__store_version_by_id(eg__store *store, eg_list_version *out, int64_t id,
                            eg_error *err);

/* The version of v->source just older than v (store id v->id) by the as-of
 * order. EG_ENOTFOUND "SOURCE: version N is the oldest" when there is none,
 * or "no list version N" when v is not in the store; EG_EINVAL when v's
 * stored source is not v->source. *out is written only on success. */
int eg__store_previous_version(eg__store *store, eg_list_version *out,
                               const eg_list_version *v, eg_error *err);

/* Appends every entity of a version to set (initialised by the caller), in
 * the order they were added, with all their fields; strings go into the
 * set's arena, and set->published is the version's publication date (unset
 * when unknown). EG_ENOTFOUND when there is no such version. On error the
 * set may hold part of the version; the caller frees it. */
int eg__store_load(eg__store *store, eg__entity_set *set, int64_t version_id,
                   eg_error *err);

/* Appends to set the entities at positions ordinals[0..n) of the version
 * (0-based, in eg__store_load's order), in the order given, each with all
 * its fields exactly as eg__store_load gives it; set->published is left
 * alone. Positions count the entities the version recorded at import
 * (eg_list_version.entities): one past them is EG_ENOTFOUND naming it, as is
 * a missing version. A position whose row is missing or belongs to another
 * version is EG_ESTORE (a damaged store), never another entity; a position
 * given twice (or a uid the set already holds) is EG_EINVAL. Reads one
 * snapshot. On error the set may hold some of the entities; the caller
 * frees it. */
int eg__store_load_entities(eg__store *store, eg__entity_set *set, int64_t version_id,
                            const uint32_t *ordinals, size_t n, eg_error *err);

/* Sets *changed to 1 when anything was committed to the store (by any
 * handle: this one, another in this process, or another process) since the
 * previous call on this handle, or since the open for the first call; else
 * 0. Cheap (a few microseconds): meant to be called before every use of a
 * cached view of the store. */
int eg__store_changed(eg__store *store, int *changed, eg_error *err);

/* Checks the store's structure (SQLite: PRAGMA quick_check, which reads
 * every page: about as costly as reading the whole file; PostgreSQL: every
 * version's entity and name counts against what it recorded). Returns 0
 * when sound, EG_ESTORE with the first problem found otherwise. */
int eg__store_check(eg__store *store, eg_error *err);

/* Records one attempt of eg_refresh (every field of *a; its strings may
 * not be NULL) and sets a->id. Durable on return. EG_ESTORE on a read-only
 * store. */
int eg__store_refresh_log_add(eg__store *store, eg_refresh_attempt *a, eg_error *err);

/* The recorded attempts, newest first, in *out (free with
 * eg__store_refresh_attempts_free; NULL when none) and their number in
 * *count: of source (NULL: every source), only those whose download was
 * accepted (imported, unchanged, not-modified) when accepted_only, at most
 * limit of them (0: all). A store older than the attempts log has none. */
int eg__store_refresh_log_list(eg__store *store, eg_refresh_attempt **out, size_t *count,
                               const char *source, int accepted_only, size_t limit,
                               eg_error *err);
/* Frees attempts whose strings were each allocated with eg__malloc (as
 * eg__store_refresh_log_list gives them). NULL is a no-op. */
void eg__store_refresh_attempts_free(eg_refresh_attempt *a, size_t count);

/* --- API keys (docs/store.md, "API keys and reviews") ---------------------
 * One row per key ever added, oldest first; at most one key in force per
 * name; a revoked key keeps its row. The time stamps are UTC
 * "YYYY-MM-DDThh:mm:ssZ" (SQLite: this machine's clock; PostgreSQL: the
 * database's, one clock for every server). A store no key was ever added
 * to has none. Each write is durable on return. */

/* Adds k (created now). EG_EEXISTS "key NAME exists already (revoke it
 * first)" when a key in force has its name; EG_ESTORE on a read-only
 * handle. */
int eg__store_key_add(eg__store *store, const eg__store_key *k, eg_error *err);
/* Every key, in force or revoked, oldest first, in *out (free with
 * eg__free; NULL when none) and their number in *count. */
int eg__store_key_list(eg__store *store, eg_key_info **out, size_t *count, eg_error *err);
/* Revokes (now) the key in force named name; EG_ENOTFOUND when none. */
int eg__store_key_revoke(eg__store *store, const char *name, eg_error *err);
/* The number of keys in force. */
int eg__store_key_count(eg__store *store, size_t *count, eg_error *err);
/* The name, roles and hash of every key in force, oldest first, in *out
 * (free with eg__free; NULL when none). The caller compares hashes (in
 * constant time: engine_keys.c); the store never looks a key up by it. */
int eg__store_keys_in_force(eg__store *store, eg__store_key **out, size_t *count,
                            eg_error *err);

/* --- reviews ------------------------------------------------------------------
 * One row per (party, source, uid, listing): a later review of the same
 * listing replaces the earlier. The caller appends the review to the
 * decision log first and records it here after (a review is in force only
 * once it is logged). */

/* Makes the review table ready on a writable handle (SQLite: creates it
 * when missing; PostgreSQL: the migration did). */
int eg__store_review_table(eg__store *store, eg_error *err);
/* Records r (inserts, or replaces the review of the same listing).
 * Durable on return. */
int eg__store_review_put(eg__store *store, const eg__store_review *r, eg_error *err);
/* The listings (their digests: 64 hex digits and a NUL each) that reviews
 * of party with verdict name, in *out (free with eg__free; NULL when none)
 * and their number in *count: one read for all the hits of a party (a
 * listing's digest covers its source and uid). A store without the table
 * has none. */
int eg__store_review_listings(eg__store *store, const char *party, const char *verdict,
                              char (**out)[65], size_t *count, eg_error *err);

#endif
