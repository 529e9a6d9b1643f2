/* engine_impl.h - what the files of the engine facade share: the engine.
 *
 * engine.c opens and frees it; engine_lists.c imports, lists and diffs
 * versions; engine_countries.c answers country lists; engine_screen.c
 * screens and compares names. The catalog (src/catalog) owns the store. */
#ifndef EG_ENGINE_IMPL_H
#define EG_ENGINE_IMPL_H

#include "exportgate.h"
#include "catalog/catalog.h"
#include "lists/countries.h"

#include <pthread.h>
#include <stdatomic.h>

typedef struct eg__dlog eg__dlog;
struct eg__store;

struct eg_engine {
	eg__catalog *cat;
	char *data_dir;
	char *store_path;  /* as given: "sqlite:PATH" or PATH */
	int read_only;
	eg__dlog *dlog; /* the decision log, opened on first use (lock) */
	struct eg__store *keys;      /* read-only, for eg_key_check: opened on
	                                the first check (keys_lock) */
	struct eg__store_key *keys_last; /* the keys in force as last read */
	size_t n_keys_last;
	int keys_read;               /* keys_last holds a successful read */
	pthread_mutex_t keys_lock;
	eg_log_fn log;
	void *log_ud;
	/* Country lists, loaded from data_dir on first use (under lock), then
	 * read-only. */
	pthread_mutex_t lock;
	eg__country_lists *countries;
	eg__iso_codes iso;
	eg_country_list_info *country_info;
	size_t n_country_info;
	/* The item table, loaded on the first decision (under lock, after the
	 * country lists), then read-only; the policies, loaded then and again
	 * when the files of the policy directory change (checked at most every
	 * EG__POLICY_CHECK_MS, under lock). A decision holds the set it started
	 * with (eg__policies_acquire): a reload never changes the rules under
	 * a decision in flight. */
	struct eg__items *items;
	struct eg__policies *policies;
	char policies_seen[65];   /* SHA-256 hex of the directory as last read */
	int64_t policies_checked; /* CLOCK_MONOTONIC ms of that check */
};

/* How often a decision looks for changed policy files. */
#define EG__POLICY_CHECK_MS 1000

/* A loaded policy set shared by the decisions that use it. */
typedef struct eg__policies {
	atomic_uint refs;
	struct eg__policy_set *set;
} eg__policies;
void eg__policies_release(eg__policies *p);

/* Loads the country lists (and the ISO codes) once. Called with lock held. */
int eg__engine_countries_load(eg_engine *e, eg_error *err);

/* A list version a screen must use (a replay of a logged decision): by id,
 * and whether the list on the date was reconstructed from it. */
typedef struct eg__pin {
	int64_t version_id;
	int reconstructed;
} eg__pin;

/* eg_screen with the versions fixed: only the pinned versions are
 * screened (one per source), whatever is in force now. pins NULL: as
 * eg_screen. A pinned version no longer stored is EG_ENOTFOUND. */
int eg__screen_pinned(eg_engine *e, eg_hits **out, const char *name, size_t len,
                      const eg_screen_options *opts, const eg__pin *pins, size_t n_pins,
                      eg_error *err);

/* Appends one record (JSON written by jansson's json_dumps, not parsed
 * again: eg__audit_entry.from_jansson) to the decision log and returns once it is
 * durable, with its index and leaf hash (hex). Group commit: concurrent
 * callers share one transaction. EG_ESTORE on a read-only engine. */
int eg__dlog_append(eg_engine *e, const char *payload, size_t len, int64_t *index,
                          char leaf_hex[65], eg_error *err);
void eg__dlog_free(eg__dlog *l);
/* The store connection of the review table (opening the log), locked for
 * the calling thread until eg__dlog_review_end. */
int eg__dlog_review_begin(eg_engine *e, struct eg__store **st, eg_error *err);
void eg__dlog_review_end(eg_engine *e);

/* Calls fn with every record of the decision log, in order; stops at the
 * first nonzero return. */
typedef int (*eg__dlog_fn)(void *ud, uint64_t index, const char *payload, size_t len,
                           eg_error *err);
int eg__dlog_each(eg_engine *e, eg__dlog_fn fn, void *ud, eg_error *err);

/* The key reviews file a party's name under: its normalised tokens, one
 * space apart, into out. */
#define EG__REVIEW_KEY_SIZE 2048
int eg__review_party_key(const char *name, char *out, size_t size, eg_error *err);
/* The false-positive reviews of one party (its key, from
 * eg__review_party_key): the listings they name, read from the store at
 * once for all the party's hits. */
typedef struct eg__review_set {
	char (*listing)[65];
	size_t n;
} eg__review_set;
int eg__review_load(eg_engine *e, const char *key, eg__review_set *s, eg_error *err);
/* *suppressed = 1 when s holds the listing as hit h shows it. */
int eg__review_suppressed(const eg__review_set *s, const eg_hit *h, int *suppressed,
                          eg_error *err);
void eg__review_set_dispose(eg__review_set *s);

/* One list version's update (engine_rescreen.c): the entries it added or
 * changed against the version before it, with an index of their own, so
 * that a party costs one small search, not a screen of every list. */
struct eg__index;
typedef struct eg__update {
	eg_list_version from, to;
	int first;                  /* no previous version: everything is new */
	eg__entity_set set;         /* the new version */
	const eg__entity **ents;    /* the added or changed entities */
	size_t n_ents, added, changed;
	struct eg__index *ix;
} eg__update;
/* Loads v and its predecessor, diffs them and indexes what is new. On
 * failure u must still be disposed. */
int eg__update_prepare(eg_engine *e, eg__update *u, const eg_list_version *v, eg_error *err);
void eg__update_dispose(eg__update *u);

/* Reports a message through the engine's log callback, if any. */
void eg__engine_log(const eg_engine *e, eg_log_level level, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

#endif
