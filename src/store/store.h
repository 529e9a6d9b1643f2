/* store.h - the store interface: list versions and their entities.
 *
 * A store keeps every version of every source; versions are never
 * overwritten. eg__store_add_version writes one version and all its
 * entities in one transaction: on any error the store is exactly as it was.
 * A store handle is used by one thread at a time (the engine serialises). */
#ifndef EG_STORE_H
#define EG_STORE_H

#include "exportgate.h"
#include "../lists/entity.h"

typedef struct eg__store eg__store;

/* Opens or creates the SQLite store at path (creating its directory's file,
 * not the directory), WAL mode. read_only: no creation, no writes; a missing
 * file or one without the schema is an error. A file that is not SQLite, or
 * holds a newer schema, is an error naming the file. On error *out is NULL. */
int eg__store_open_sqlite(eg__store **out, const char *path, int read_only,
                          eg_error *err);
/* Closes the store. NULL is a no-op. */
void eg__store_close(eg__store *store);

/* Looks up the version of `source` whose content digest is sha256.
 * Returns 0 and fills *out when found, EG_ENOTFOUND when not. */
int eg__store_find_version(eg__store *store, eg_list_version *out,
                           const char *source, const char *sha256, eg_error *err);

/* Adds a version: reads v->source, v->format, v->published ("" or
 * YYYY-MM-DD), v->sha256 (64 lowercase hex digits); on success writes v->id,
 * v->imported (UTC now), v->entities, v->names and sets v->created to 1.
 * Atomic: on any error (EG_EEXISTS when the source already has a version
 * with this sha256) the store and *v are as they were. */
int eg__store_add_version(eg__store *store, eg_list_version *v,
                          const eg__entity_set *set, eg_error *err);

/* Every version, ordered by source then newest first, in *out (free with
 * eg__free; NULL when there are none) and their count in *count. */
int eg__store_versions(eg__store *store, eg_list_version **out, size_t *count,
                       eg_error *err);

/* The version of source in force on date ("YYYY-MM-DD"; NULL: the newest):
 * the newest whose publication date (or, lacking one, import date) is on or
 * before date. EG_ENOTFOUND if none. */
int eg__store_version_as_of(eg__store *store, eg_list_version *out,
                            const char *source, const char *date, eg_error *err);

/* The version with store id `id`. Returns 0 and fills *out, or EG_ENOTFOUND. */
int eg__store_version_by_id(eg__store *store, eg_list_version *out, int64_t id,
                            eg_error *err);

/* Appends every entity of a version to set (initialised by the caller), in
 * the order they were added, with all their fields; strings go into the
 * set's arena, and set->published is the version's publication date (unset
 * when unknown). EG_ENOTFOUND when there is no such version. On error the
 * set may hold part of the version; the caller frees it. */
int eg__store_load(eg__store *store, eg__entity_set *set, int64_t version_id,
                   eg_error *err);

#endif
