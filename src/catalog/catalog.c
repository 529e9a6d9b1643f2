/* catalog.c - the list versions in force and their indexes (catalog.h).
 *
 * Locks: store_lock guards the store handle; lock guards the pointers and
 * the slot array. A thread never takes store_lock while holding lock. */
#include "catalog.h"
#include "build_id.h"
#include "util/alloc.h"
#include "util/error.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Versions evicted by one eg__catalog_get at most (each adds one). */
#define EVICT_MAX 4

typedef struct slot {
	int64_t id;        /* version id */
	eg__loaded *l;     /* NULL while building */
	uint64_t used;     /* tick of the last use, for eviction */
	uint64_t used_ms;  /* and its time */
} slot;

struct eg__catalog {
	eg__store *store;
	pthread_mutex_t store_lock;
	pthread_mutex_t lock;
	pthread_cond_t built;   /* a build ended (lock) */
	eg__versions *versions; /* current, or NULL before the first read */
	int stale;              /* changed through this handle */
	uint64_t checked_ms;    /* when the store was last checked */
	slot *slots;
	size_t n_slots, cap_slots;
	uint64_t tick;
	uint64_t evicted_ms;    /* when idle versions were last looked for */
	char *index_dir;
	size_t max_loaded;
	unsigned refresh_ms;
	unsigned idle_ms;
	/* The watcher (eg__catalog_watch): while it runs, screens never
	 * look at the store for new versions; it does, and publishes a new
	 * snapshot only once the newest version of every source in it is
	 * loaded. wake[1] written: stop. */
	int watching;
	pthread_t watcher;
	int wake[2];
	eg_log_fn log;
	void *log_ud;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int eg__catalog_open(eg__catalog **out, eg__store *store, const eg__catalog_options *opts,
                     eg_error *err)
{
	eg__catalog *cat;

	*out = NULL;
	cat = eg__calloc(1, sizeof(*cat));
	if (cat == NULL) {
		eg__store_close(store);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	cat->store = store;
	cat->max_loaded = opts && opts->max_loaded ? opts->max_loaded : EG__CATALOG_MAX_LOADED;
	cat->refresh_ms = opts ? opts->refresh_ms : EG__CATALOG_REFRESH_MS;
	cat->idle_ms = opts && opts->idle_ms ? opts->idle_ms : EG__CATALOG_IDLE_MS;
	cat->log = opts ? opts->log : NULL;
	cat->log_ud = opts ? opts->log_ud : NULL;
	cat->wake[0] = cat->wake[1] = -1;
	if (opts && opts->index_dir && (cat->index_dir = eg__strdup(opts->index_dir)) == NULL) {
		eg__store_close(store);
		eg__free(cat);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&cat->store_lock, NULL);
	pthread_mutex_init(&cat->lock, NULL);
	pthread_cond_init(&cat->built, NULL);
	*out = cat;
	return 0;
}

static void loaded_free(eg__loaded *l)
{
	eg__index_free(l->ix);
	if (l->set != NULL) {
		eg__entity_set_free(l->set);
		eg__free(l->set);
	}
	if (l->ecache != NULL) {
		eg__entity_set_free(l->ecache);
		eg__free(l->ecache);
	}
	eg__free(l->ecache_slots);
	pthread_mutex_destroy(&l->ecache_lock);
	eg__free(l);
}

void eg__loaded_release(eg__loaded *l)
{
	if (l != NULL && atomic_fetch_sub(&l->refs, 1) == 1)
		loaded_free(l);
}

void eg__versions_release(eg__versions *vs)
{
	if (vs != NULL && atomic_fetch_sub(&vs->refs, 1) == 1)
		eg__free(vs); /* one block: see versions_new */
}

void eg__catalog_free(eg__catalog *cat)
{
	size_t i;

	if (cat == NULL)
		return;
	if (cat->watching) {
		ssize_t ignored = write(cat->wake[1], "x", 1);
		(void)ignored;
		pthread_join(cat->watcher, NULL);
	}
	if (cat->wake[0] >= 0) {
		close(cat->wake[0]);
		close(cat->wake[1]);
	}
	for (i = 0; i < cat->n_slots; i++)
		eg__loaded_release(cat->slots[i].l);
	eg__free(cat->slots);
	eg__versions_release(cat->versions);
	eg__store_close(cat->store);
	eg__free(cat->index_dir);
	pthread_cond_destroy(&cat->built);
	pthread_mutex_destroy(&cat->lock);
	pthread_mutex_destroy(&cat->store_lock);
	eg__free(cat);
}

eg__store *eg__catalog_lock(eg__catalog *cat)
{
	pthread_mutex_lock(&cat->store_lock);
	return cat->store;
}

void eg__catalog_unlock(eg__catalog *cat)
{
	pthread_mutex_unlock(&cat->store_lock);
}

void eg__catalog_changed(eg__catalog *cat)
{
	pthread_mutex_lock(&cat->lock);
	cat->stale = 1;
	pthread_mutex_unlock(&cat->lock);
}

/* --- versions -------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One block holding the snapshot, a copy of v[0..n) and the source table
 * (whose strings point into the copy). */
static eg__versions *versions_new(const eg_list_version *v, size_t n)
{
	size_t size = sizeof(eg__versions) + n * sizeof(eg_list_version) + n * sizeof(char *);
	eg__versions *vs = eg__malloc(size);
	eg_list_version *copy;
	const char **src;
	size_t i, k = 0;

	if (vs == NULL)
		return NULL;
	copy = (eg_list_version *)(vs + 1);
	src = (const char **)(copy + n);
	if (n > 0)
		memcpy(copy, v, n * sizeof(*copy));
	for (i = 0; i < n; i++)
		src[i] = copy[i].source;
	if (n > 1)
		qsort(src, n, sizeof(*src), cmp_str);
	for (i = 0; i < n; i++)
		if (k == 0 || strcmp(src[k - 1], src[i]) != 0)
			src[k++] = src[i];
	vs->v = copy;
	vs->n = n;
	vs->sources = src;
	vs->n_sources = k;
	atomic_init(&vs->refs, 1);
	return vs;
}

static int same_versions(const eg__versions *vs, const eg_list_version *v, size_t n)
{
	size_t i;

	if (vs == NULL || vs->n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (vs->v[i].id != v[i].id)
			return 0;
	return 1;
}

/* Re-reads the store's versions when it changed (or when force) and
 * publishes them if they differ. */
static int versions_reload(eg__catalog *cat, int force, eg_error *err)
{
	eg_list_version *v = NULL;
	eg__versions *fresh = NULL, *old = NULL;
	size_t n = 0;
	int rc, changed = 0;

	pthread_mutex_lock(&cat->store_lock);
	/* cheap (microseconds): the versions are re-read only after a commit */
	rc = eg__store_changed(cat->store, &changed, err);
	if (rc == 0 && (changed || force))
		rc = eg__store_versions(cat->store, &v, &n, err);
	pthread_mutex_unlock(&cat->store_lock);
	if (rc != 0 && changed) {
		/* the change is consumed: read again next time, whatever happens */
		pthread_mutex_lock(&cat->lock);
		cat->stale = 1;
		pthread_mutex_unlock(&cat->lock);
	}
	if (rc != 0)
		return rc;
	if (!changed && !force) {
		pthread_mutex_lock(&cat->lock);
		cat->checked_ms = now_ms();
		pthread_mutex_unlock(&cat->lock);
		return 0;
	}
	pthread_mutex_lock(&cat->lock);
	if (!same_versions(cat->versions, v, n)) {
		if ((fresh = versions_new(v, n)) == NULL) {
			cat->stale = 1; /* the change is consumed: read again next time */
			pthread_mutex_unlock(&cat->lock);
			eg__free(v);
			return eg__error_set(err, EG_ENOMEM, "out of memory");
		}
		old = cat->versions;
		cat->versions = fresh;
	}
	cat->stale = 0;
	cat->checked_ms = now_ms();
	pthread_mutex_unlock(&cat->lock);
	eg__versions_release(old);
	eg__free(v);
	return 0;
}

int eg__catalog_versions(eg__catalog *cat, eg__versions **out, eg_error *err)
{
	int due, force, rc;

	*out = NULL;
	pthread_mutex_lock(&cat->lock);
	force = cat->versions == NULL || cat->stale;
	due = force || (!cat->watching && now_ms() - cat->checked_ms >= cat->refresh_ms);
	pthread_mutex_unlock(&cat->lock);
	if (due && (rc = versions_reload(cat, force, err)) != 0) {
		/* A store that cannot be reached (a PostgreSQL server gone) leaves
		 * the view it gave last in force, when no change was seen that it
		 * could not read (that is `stale`, and an error): screening goes on
		 * from the versions it knew, which no import can have changed
		 * without a change being seen; the check is retried after
		 * refresh_ms, and the store says `changed` after reconnecting. */
		if (force || rc != EG_ESTORE)
			return rc;
		pthread_mutex_lock(&cat->lock);
		if (cat->stale) {
			pthread_mutex_unlock(&cat->lock);
			return rc;
		}
		cat->checked_ms = now_ms();
		pthread_mutex_unlock(&cat->lock);
		eg__error_clear(err);
	}
	pthread_mutex_lock(&cat->lock);
	*out = cat->versions;
	atomic_fetch_add(&cat->versions->refs, 1);
	pthread_mutex_unlock(&cat->lock);
	return 0;
}

/* --- loaded versions --------------------------------------------------------- */

/* The index file of version v and the key it is saved with: the version's
 * id and content digest, and the source revision the library was built
 * from (normalisation and country resolution change with the code). */
static int index_file(const eg__catalog *cat, const eg_list_version *v, char *path,
                      size_t psize, char *key, size_t ksize)
{
	int n = snprintf(path, psize, "%s/%lld-%.16s.egx", cat->index_dir, (long long)v->id,
	                 v->sha256);

	snprintf(key, ksize, "%lld:%s:%s", (long long)v->id, v->sha256, EG__BUILD_ID);
	return n > 0 && (size_t)n < psize;
}

/* Maps the saved index of l->v: 0 when mapped, EG_ENOTFOUND when there is
 * none (or a stale one), EG_ESTORE for a file that is damaged or of another
 * format: refused, never searched. */
static int map_index(eg__catalog *cat, eg__loaded *l, const char *path, const char *key,
                     eg_error *err)
{
	int rc = eg__index_map(&l->ix, path, key, err);

	if (rc == EG_EPARSE)
		return eg__error_set(err, EG_ESTORE, "%s: remove the file: it is rebuilt from the "
		                     "store on the next screen", err->message);
	(void)cat;
	return rc;
}

/* Saves a built index for later processes; a directory that cannot be
 * written only costs them the build. */
static void save_index(eg__catalog *cat, const eg__loaded *l, const char *path,
                       const char *key)
{
	eg_error ignored;

	if (mkdir(cat->index_dir, 0777) != 0 && errno != EEXIST)
		return;
	(void)eg__index_save(l->ix, path, key, &ignored);
}

/* Maps the version's saved index, or loads every entity of it from the
 * store, builds its index and saves it. */
static int build(eg__catalog *cat, eg__loaded *l, eg_error *err)
{
	char path[4096], key[256];
	int rc, persist = cat->index_dir != NULL &&
	                  index_file(cat, &l->v, path, sizeof(path), key, sizeof(key));

	if (persist) {
		rc = map_index(cat, l, path, key, err);
		if (rc != EG_ENOTFOUND)
			return rc;
		eg__error_clear(err);
	}

	if ((l->set = eg__calloc(1, sizeof(*l->set))) == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	eg__entity_set_init(l->set);
	pthread_mutex_lock(&cat->store_lock);
	rc = eg__store_load(cat->store, l->set, l->v.id, err);
	pthread_mutex_unlock(&cat->store_lock);
	if (rc != 0)
		return rc;
	if (l->set->n != l->v.entities)
		return eg__error_set(err, EG_ESTORE,
		                     "%s version %lld: %zu entities in the store, %zu recorded "
		                     "at import: the store is damaged",
		                     l->v.source, (long long)l->v.id, l->set->n, l->v.entities);
	if ((rc = eg__entity_set_resolve_countries(l->set, NULL, err)) != 0 ||
	    (rc = eg__index_from_set(&l->ix, l->set, err)) != 0)
		return rc;
	if (persist) {
		/* Answer from the saved file, as a later process will: the
		 * built index and every entity held in memory would make each
		 * new version cost the server its whole size (for the bundled
		 * SDN, tens of megabytes) until evicted. Kept as built when the
		 * file cannot be written or mapped. */
		eg__index *built = l->ix;
		eg__entity_set *set = l->set;
		eg_error ignored;
		save_index(cat, l, path, key);
		l->ix = NULL;
		l->set = NULL;
		if (map_index(cat, l, path, key, &ignored) == 0) {
			eg__index_free(built);
			eg__entity_set_free(set);
			eg__free(set);
#ifdef __GLIBC__
			/* the build's tens of megabytes, freed, back to the system
			 * rather than kept by this thread's malloc arena */
			malloc_trim(0);
#endif
		} else {
			l->ix = built;
			l->set = set;
		}
	}
	return 0;
}

static slot *slot_find(eg__catalog *cat, int64_t id)
{
	size_t i;

	for (i = 0; i < cat->n_slots; i++)
		if (cat->slots[i].id == id)
			return &cat->slots[i];
	return NULL;
}

/* Whether version id is the newest of its source in the current
 * versions (the one screens use unless asked for a date). */
static int newest_of_source(const eg__catalog *cat, int64_t id)
{
	const eg__versions *vs = cat->versions;
	size_t k;

	for (k = 0; vs != NULL && k < vs->n; k++)
		if (vs->v[k].id == id)
			return k == 0 || strcmp(vs->v[k - 1].source, vs->v[k].source) != 0;
	return 0;
}

/* Drops the catalog's reference of the loaded versions that a newer one
 * of their source replaced and that no screen used for
 * EG__CATALOG_IDLE_MS (a server importing every day would otherwise keep
 * every day's index), then of the least recently used beyond max_loaded.
 * Called with lock held; the caller releases what lands in dropped. */
static void evict(eg__catalog *cat, uint64_t now, eg__loaded **dropped, size_t *n_dropped)
{
	size_t ready = 0, i, lru;

	*n_dropped = 0;
	cat->evicted_ms = now;
	for (i = 0; i < cat->n_slots && *n_dropped < EVICT_MAX;) {
		slot *s = &cat->slots[i];
		if (s->l != NULL && now - s->used_ms > cat->idle_ms &&
		    !newest_of_source(cat, s->id)) {
			dropped[(*n_dropped)++] = s->l;
			*s = cat->slots[--cat->n_slots];
			continue;
		}
		i++;
	}
	for (i = 0; i < cat->n_slots; i++)
		ready += cat->slots[i].l != NULL;
	while (ready > cat->max_loaded && *n_dropped < EVICT_MAX) {
		lru = cat->n_slots;
		for (i = 0; i < cat->n_slots; i++)
			if (cat->slots[i].l != NULL &&
			    (lru == cat->n_slots || cat->slots[i].used < cat->slots[lru].used))
				lru = i;
		dropped[(*n_dropped)++] = cat->slots[lru].l;
		cat->slots[lru] = cat->slots[--cat->n_slots];
		ready--;
	}
}

int eg__catalog_get(eg__catalog *cat, eg__loaded **out, const eg_list_version *v,
                    eg_error *err)
{
	eg__loaded *l, *dropped[EVICT_MAX];
	size_t n_dropped = 0, i;
	slot *s;
	int rc;

	*out = NULL;
	pthread_mutex_lock(&cat->lock);
	while ((s = slot_find(cat, v->id)) != NULL && s->l == NULL)
		pthread_cond_wait(&cat->built, &cat->lock);
	if (s != NULL) {
		uint64_t now = now_ms();
		s->used = ++cat->tick;
		s->used_ms = now;
		atomic_fetch_add(&s->l->refs, 1);
		*out = s->l;
		if (now - cat->evicted_ms > cat->idle_ms / 10)
			evict(cat, now, dropped, &n_dropped);
		pthread_mutex_unlock(&cat->lock);
		for (i = 0; i < n_dropped; i++)
			eg__loaded_release(dropped[i]);
		return 0;
	}
	if (cat->n_slots == cat->cap_slots) {
		size_t ncap = cat->cap_slots ? cat->cap_slots * 2 : 8;
		slot *ns = eg__realloc(cat->slots, ncap * sizeof(*ns));
		if (ns == NULL) {
			pthread_mutex_unlock(&cat->lock);
			return eg__error_set(err, EG_ENOMEM, "out of memory");
		}
		cat->slots = ns;
		cat->cap_slots = ncap;
	}
	/* a slot without a version marks the build in progress */
	cat->slots[cat->n_slots].id = v->id;
	cat->slots[cat->n_slots].l = NULL;
	cat->slots[cat->n_slots].used = ++cat->tick;
	cat->slots[cat->n_slots].used_ms = now_ms();
	cat->n_slots++;
	pthread_mutex_unlock(&cat->lock);

	l = eg__calloc(1, sizeof(*l));
	if (l == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
	} else {
		l->v = *v;
		pthread_mutex_init(&l->ecache_lock, NULL);
		atomic_init(&l->refs, 2); /* the catalog's and the caller's */
		atomic_init(&l->dated_known, 0);
		rc = build(cat, l, err);
	}

	pthread_mutex_lock(&cat->lock);
	s = slot_find(cat, v->id);
	if (rc == 0) {
		s->l = l;
		evict(cat, now_ms(), dropped, &n_dropped);
		*out = l;
	} else {
		*s = cat->slots[--cat->n_slots];
		if (l != NULL)
			loaded_free(l);
	}
	pthread_cond_broadcast(&cat->built);
	pthread_mutex_unlock(&cat->lock);
	for (i = 0; i < n_dropped; i++)
		eg__loaded_release(dropped[i]);
	return rc;
}

/* The slot of ordinal ord in l's cache (where it is, or where it goes). */
static size_t ecache_slot(const eg__loaded *l, uint32_t ord)
{
	const size_t mask = 2 * EG__CATALOG_ENTITY_CACHE - 1;
	size_t i = ((size_t)ord * 2654435761u) & mask;

	while (l->ecache_slots[i] != 0 && (uint32_t)(l->ecache_slots[i] >> 32) != ord + 1)
		i = (i + 1) & mask;
	return i;
}

/* Appends the entities at positions ord[0..n) of version id to set, read
 * from the store under its lock, with their countries resolved. */
static int read_entities(eg__catalog *cat, eg__entity_set *set, int64_t id,
                         const uint32_t *ord, size_t n, eg_error *err)
{
	size_t first = set->n;
	int rc;

	pthread_mutex_lock(&cat->store_lock);
	rc = eg__store_load_entities(cat->store, set, id, ord, n, err);
	pthread_mutex_unlock(&cat->store_lock);
	if (rc == 0)
		rc = eg__entity_set_resolve_countries_from(set, first, NULL, err);
	return rc;
}

/* With l->ecache_lock held: points out[0..n) at l's cached entities,
 * reading the missing ones from the store into the cache first. Returns 0,
 * a negative EG_E* code (err set), or 1 when the cache cannot take them
 * (full, or off): the caller reads them into its scratch set. */
static int from_cache(eg__catalog *cat, eg__loaded *l, const uint32_t *ord, size_t n,
                      const eg__entity **out, eg_error *err)
{
	uint32_t miss[16];
	size_t i, n_miss = 0, first;
	int rc;

	if (l->ecache_off || n > sizeof(miss) / sizeof(miss[0]))
		return 1;
	if (l->ecache == NULL) {
		l->ecache = eg__malloc(sizeof(*l->ecache));
		l->ecache_slots = eg__calloc(2 * EG__CATALOG_ENTITY_CACHE, sizeof(uint64_t));
		if (l->ecache == NULL || l->ecache_slots == NULL) {
			eg__free(l->ecache);
			eg__free(l->ecache_slots);
			l->ecache = NULL;
			l->ecache_slots = NULL;
			return eg__error_set(err, EG_ENOMEM, "out of memory");
		}
		eg__entity_set_init(l->ecache);
		/* room for all from the start: a cached entity never moves */
		if (eg__entity_set_reserve(l->ecache, EG__CATALOG_ENTITY_CACHE) != 0) {
			l->ecache_off = 1;
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		size_t k;
		if (l->ecache_slots[ecache_slot(l, ord[i])] != 0)
			continue;
		for (k = 0; k < n_miss && miss[k] != ord[i]; k++)
			;
		if (k == n_miss)
			miss[n_miss++] = ord[i];
	}
	if (l->ecache->n + n_miss > EG__CATALOG_ENTITY_CACHE)
		return 1;
	if (n_miss > 0) {
		first = l->ecache->n;
		if ((rc = read_entities(cat, l->ecache, l->v.id, miss, n_miss, err)) != 0) {
			/* the cache may hold part of the read: never use it again */
			l->ecache_off = 1;
			return rc;
		}
		for (i = 0; i < n_miss; i++)
			l->ecache_slots[ecache_slot(l, miss[i])] =
			    ((uint64_t)(miss[i] + 1) << 32) | (uint64_t)(first + i);
	}
	for (i = 0; i < n; i++)
		out[i] = &l->ecache->v[(uint32_t)l->ecache_slots[ecache_slot(l, ord[i])]];
	return 0;
}

int eg__catalog_entities(eg__catalog *cat, const eg__loaded *l, eg__entity_set *scratch,
                         const uint32_t *ord, size_t n, const eg__entity **out,
                         eg_error *err)
{
	eg__loaded *w = (eg__loaded *)l; /* its cache changes under its lock */
	size_t i, first;
	int rc;

	if (l->set != NULL) {
		for (i = 0; i < n; i++) {
			if (ord[i] >= l->set->n)
				return eg__error_set(err, EG_ESTORE, "%s version %lld: no entity %u",
				                     l->v.source, (long long)l->v.id, ord[i]);
			out[i] = &l->set->v[ord[i]];
		}
		return 0;
	}
	/* mapped: the entities come from the store, by position, through
	 * the version's cache when there is room in it */
	pthread_mutex_lock(&w->ecache_lock);
	rc = from_cache(cat, w, ord, n, out, err);
	pthread_mutex_unlock(&w->ecache_lock);
	if (rc != 1)
		return rc;
	first = scratch->n;
	rc = read_entities(cat, scratch, l->v.id, ord, n, err);
	for (i = 0; rc == 0 && i < n; i++)
		out[i] = &scratch->v[first + i];
	return rc;
}

/* Counts the entities of set with and without a start date. */
static void count_dated(const eg__entity_set *set, size_t *dated, size_t *undated)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		if (set->v[i].start_date != NULL)
			(*dated)++;
		else
			(*undated)++;
	}
}

int eg__catalog_dated(eg__catalog *cat, const eg__loaded *l, size_t *dated, size_t *undated,
                      eg_error *err)
{
	eg__loaded *w = (eg__loaded *)l; /* the counts are cached in it, once */
	eg__entity_set set;
	int rc = 0;

	*dated = *undated = 0;
	if (atomic_load(&w->dated_known)) {
		*dated = w->dated;
		*undated = w->undated;
		return 0;
	}
	if (l->set != NULL) {
		count_dated(l->set, dated, undated);
	} else {
		eg__entity_set_init(&set);
		pthread_mutex_lock(&cat->store_lock);
		rc = eg__store_load(cat->store, &set, l->v.id, err);
		pthread_mutex_unlock(&cat->store_lock);
		if (rc == 0)
			count_dated(&set, dated, undated);
		eg__entity_set_free(&set);
	}
	if (rc == 0) {
		pthread_mutex_lock(&cat->lock);
		w->dated = *dated;
		w->undated = *undated;
		atomic_store(&w->dated_known, 1);
		pthread_mutex_unlock(&cat->lock);
	}
	return rc;
}

/* --- the watcher ----------------------------------------------------------------- */

static void watch_log(eg__catalog *cat, eg_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void watch_log(eg__catalog *cat, eg_log_level level, const char *fmt, ...)
{
	char line[EG_ERROR_MESSAGE_MAX + 128];
	va_list ap;

	if (cat->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	cat->log(cat->log_ud, level, line);
}

/* Loads the newest version of every source of vs that is not loaded yet
 * (mapped or built here, as a screen would), then publishes vs. A version
 * that cannot be loaded keeps the snapshot before it in force: 1 is
 * returned, and the caller tries again later. */
static int watch_publish(eg__catalog *cat, eg__versions *vs)
{
	eg__versions *old = NULL;
	eg_error err;
	size_t k;
	int failed = 0;

	for (k = 0; k < vs->n; k++) {
		const eg_list_version *v = &vs->v[k];
		eg__loaded *l = NULL;
		if (k > 0 && strcmp(vs->v[k - 1].source, v->source) == 0)
			continue; /* not the newest of its source */
		if (eg__catalog_get(cat, &l, v, &err) != 0) {
			watch_log(cat, EG_LOG_WARNING, "%s version %lld: cannot load its index, still "
			          "answering from the version before it: %s", v->source,
			          (long long)v->id, err.message);
			failed = 1;
			continue;
		}
		eg__loaded_release(l);
	}
	if (failed)
		return 1;
	pthread_mutex_lock(&cat->lock);
	if (!same_versions(cat->versions, vs->v, vs->n)) {
		old = cat->versions;
		cat->versions = vs;
		atomic_fetch_add(&vs->refs, 1);
	}
	cat->checked_ms = now_ms();
	pthread_mutex_unlock(&cat->lock);
	eg__versions_release(old);
	return 0;
}

/* One look at the store: when it changed (or when force), its versions
 * read, loaded and published. 1: to be tried again (force next time). */
static int watch_round(eg__catalog *cat, int force)
{
	eg_list_version *v = NULL;
	eg__versions *vs;
	eg_error err;
	size_t n = 0;
	int rc, changed = 0;

	pthread_mutex_lock(&cat->store_lock);
	rc = eg__store_changed(cat->store, &changed, &err);
	if (rc == 0 && (changed || force))
		rc = eg__store_versions(cat->store, &v, &n, &err);
	pthread_mutex_unlock(&cat->store_lock);
	if (rc != 0)
		return 1; /* the store away: screens go on from what is loaded */
	if (!changed && !force)
		return 0;
	vs = versions_new(v, n);
	eg__free(v);
	if (vs == NULL)
		return 1;
	rc = watch_publish(cat, vs);
	eg__versions_release(vs);
	return rc;
}

/* Waits for the store's notification socket (or, without one, for
 * refresh_ms), at most ms; 1 when told to stop. */
static int watch_wait(eg__catalog *cat, int ms)
{
	struct pollfd p[2];
	nfds_t n = 1;
	char c;

	p[0].fd = cat->wake[0];
	p[0].events = POLLIN;
	p[0].revents = 0;
	pthread_mutex_lock(&cat->store_lock);
	p[1].fd = eg__store_notify_fd(cat->store);
	pthread_mutex_unlock(&cat->store_lock);
	if (p[1].fd >= 0) {
		p[1].events = POLLIN;
		p[1].revents = 0;
		n = 2;
	} else if ((unsigned)ms > cat->refresh_ms) {
		ms = (int)cat->refresh_ms;
	}
	if (poll(p, n, ms) > 0 && (p[0].revents & POLLIN) != 0 && read(cat->wake[0], &c, 1) >= 0)
		return 1;
	return 0;
}

static void *watch_main(void *arg)
{
	eg__catalog *cat = arg;
	int again = 1; /* the first round reads and loads whatever there is */
	uint64_t retry_ms = 0;

	for (;;) {
		uint64_t now = now_ms();
		int force = again && now >= retry_ms;
		if (force || !again) {
			if (watch_round(cat, force) != 0) {
				again = 1;
				retry_ms = now_ms() + EG__CATALOG_WATCH_RETRY_MS;
			} else {
				again = 0;
			}
		}
		/* the socket's traffic wakes the wait; the time-out is the
		 * fallback that also finds a lost connection again */
		if (watch_wait(cat, EG__CATALOG_WATCH_POLL_MS))
			break;
	}
	return NULL;
}

int eg__catalog_watch(eg__catalog *cat, eg_error *err)
{
	sigset_t set, old;
	int i, rc;

	if (cat->watching)
		return 0;
	if (pipe(cat->wake) != 0)
		return eg__error_set(err, EG_ENOMEM, "catalog: cannot make a pipe: %s",
		                     strerror(errno));
	for (i = 0; i < 2; i++)
		(void)fcntl(cat->wake[i], F_SETFD, FD_CLOEXEC);
	/* the program's signals are not the library's thread's to take */
	sigfillset(&set);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	rc = pthread_create(&cat->watcher, NULL, watch_main, cat);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		close(cat->wake[0]);
		close(cat->wake[1]);
		cat->wake[0] = cat->wake[1] = -1;
		return eg__error_set(err, EG_ENOMEM, "catalog: cannot start the watcher thread");
	}
	pthread_mutex_lock(&cat->lock);
	cat->watching = 1;
	pthread_mutex_unlock(&cat->lock);
	return 0;
}

int eg__catalog_current(eg__catalog *cat, eg_list_version **out, size_t *n, eg_error *err)
{
	eg__versions *vs = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = eg__catalog_versions(cat, &vs, err)) != 0)
		return rc;
	if (vs->n > 0 && (*out = eg__malloc(vs->n * sizeof(**out))) == NULL) {
		eg__versions_release(vs);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	if (vs->n > 0)
		memcpy(*out, vs->v, vs->n * sizeof(**out));
	*n = vs->n;
	eg__versions_release(vs);
	return 0;
}
