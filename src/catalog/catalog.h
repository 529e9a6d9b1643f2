/* catalog.h - the list versions an engine answers from, and their indexes.
 *
 * The catalog owns the store handle. It keeps two kinds of immutable,
 * reference-counted object that any number of threads read without a lock:
 *
 *   eg__versions  every version of every source in the store, as read at
 *                 one moment; re-read when the store changed (any process's
 *                 import), checked at most every refresh_ms, and published
 *                 by swapping one pointer;
 *   eg__loaded    one version ready to search: its index (mapped from the
 *                 index file beside the store, or built and then saved
 *                 there) and, when it was built here, its entities.
 *
 * A version is loaded or built outside the catalog's lock: a screen of
 * other versions never waits for a build; a screen of the same version
 * waits for the one build instead of starting a second. At most
 * max_loaded versions stay loaded, the least recently used evicted first
 * (an evicted version lives on until its last reader releases it). */
#ifndef EG_CATALOG_H
#define EG_CATALOG_H

#include "exportgate.h"
#include "lists/entity.h"
#include "match/index.h"
#include "store/store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

typedef struct eg__catalog eg__catalog;

typedef struct eg__catalog_options {
	const char *index_dir; /* index files live here; NULL: none are kept */
	size_t max_loaded;     /* versions kept loaded; 0: EG__CATALOG_MAX_LOADED */
	unsigned refresh_ms;   /* store checked for changes at most this often */
	unsigned idle_ms;      /* a replaced version unused this long is dropped;
	                        * 0: EG__CATALOG_IDLE_MS */
	eg_log_fn log;          /* what the watcher meets; NULL: silent */
	void *log_ud;
} eg__catalog_options;

#define EG__CATALOG_MAX_LOADED 64
/* A loaded version a newer one of its source replaced is dropped once no
 * screen used it for this long (a later screen of its dates loads it
 * again: mapped, in milliseconds). */
#define EG__CATALOG_IDLE_MS 10000
#define EG__CATALOG_REFRESH_MS 100
/* The watcher's look at the store when no notification came (it also
 * finds a lost connection again then), and its next try after a version
 * it could not load. */
#define EG__CATALOG_WATCH_POLL_MS 500
#define EG__CATALOG_WATCH_RETRY_MS 5000

typedef struct eg__versions {
	const eg_list_version *v; /* by source, then newest first */
	size_t n;
	const char **sources;     /* the distinct sources, sorted */
	size_t n_sources;
	atomic_uint refs;         /* private */
} eg__versions;

typedef struct eg__loaded {
	eg_list_version v;
	eg__index *ix;
	/* Every entity of the version, or NULL when the index was mapped:
	 * eg__catalog_entities reads those a caller needs from the store. */
	eg__entity_set *set;
	atomic_uint refs;         /* private */
	/* private: entities with and without a listing start date, counted
	 * once (eg__catalog_dated) */
	atomic_int dated_known;
	size_t dated, undated;
	/* private, mapped versions only: the entities read from the store for
	 * answers, kept so that a party hit again is not read again. At most
	 * EG__CATALOG_ENTITY_CACHE of them, never moved or dropped while l
	 * lives; ecache_slots maps ordinal + 1 (high 32 bits) to the position
	 * in ecache (low 32 bits). ecache_off: a read failed part-way, the
	 * cache is no longer used. */
	pthread_mutex_t ecache_lock;
	eg__entity_set *ecache;
	uint64_t *ecache_slots;
	int ecache_off;
} eg__loaded;

/* Entities of one mapped version kept in memory for answers. */
#define EG__CATALOG_ENTITY_CACHE 2048

/* Takes the store (closed by eg__catalog_free, and on error here). */
int eg__catalog_open(eg__catalog **out, eg__store *store, const eg__catalog_options *opts,
                     eg_error *err);
void eg__catalog_free(eg__catalog *cat);

/* The store, locked for the calling thread until eg__catalog_unlock. */
eg__store *eg__catalog_lock(eg__catalog *cat);
void eg__catalog_unlock(eg__catalog *cat);
/* Says that the store changed through this handle (an import): the next
 * eg__catalog_versions re-reads the versions. */
void eg__catalog_changed(eg__catalog *cat);

/* Starts the watcher, a thread that loads new versions before screens
 * see them: it waits for the store's notifications (a PostgreSQL store's
 * LISTEN; any other store is looked at every refresh_ms), reads the
 * versions when the store changed, loads (maps or builds) the newest
 * version of every source, and only then publishes the new snapshot, by
 * the same pointer swap as eg__catalog_versions. From then on a screen
 * never waits for a build of a version imported elsewhere, and never looks
 * at the store for new versions itself (an import through this catalog,
 * eg__catalog_changed, is still read at the next eg__catalog_versions). A
 * version that cannot be loaded is logged and tried again after
 * EG__CATALOG_WATCH_RETRY_MS; the snapshot before it stays in force.
 * Stopped by eg__catalog_free. Call it once, before other threads use the
 * catalog. */
int eg__catalog_watch(eg__catalog *cat, eg_error *err);

/* A copy (eg__free) of the versions that screens answer from now. */
int eg__catalog_current(eg__catalog *cat, eg_list_version **out, size_t *n, eg_error *err);

/* The current versions, acquired (release with eg__versions_release). */
int eg__catalog_versions(eg__catalog *cat, eg__versions **out, eg_error *err);
void eg__versions_release(eg__versions *vs);

/* Version v loaded, acquired (release with eg__loaded_release). */
int eg__catalog_get(eg__catalog *cat, eg__loaded **out, const eg_list_version *v,
                    eg_error *err);
void eg__loaded_release(eg__loaded *l);

/* The number of entities of l with a listing start date and without (read
 * from the store when l was mapped). */
int eg__catalog_dated(eg__catalog *cat, const eg__loaded *l, size_t *dated, size_t *undated,
                      eg_error *err);

/* The entities at ordinals ord[0..n) of l: out[i] points into l->set, or,
 * when l was mapped, into its cache of entities read (valid while l is
 * held) or into scratch (initialised by the caller, who frees it after
 * using out). */
int eg__catalog_entities(eg__catalog *cat, const eg__loaded *l, eg__entity_set *scratch,
                         const uint32_t *ord, size_t n, const eg__entity **out,
                         eg_error *err);

#endif
