/*
 * exportgate.h - the public C API of exportgate: screen names against
 * official sanctions and export-control lists, kept in every version.
 *
 * Conventions (see docs/api.md):
 *  - functions return 0 or a negative EG_E* code; the one-line detail goes
 *    into the caller's eg_error, never into global or thread-local state;
 *  - outputs come first, options last; options structs carry a version and
 *    have an _INIT macro;
 *  - what the library allocates, the caller releases with the matching
 *    _free function; every _free accepts NULL.
 */
#ifndef EXPORTGATE_H
#define EXPORTGATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && defined(EG_BUILDING)
#define EG_EXTERN __attribute__((visibility("default")))
#else
#define EG_EXTERN
#endif

/* The version of this header, equal to meson.build's project version (the
 * build checks it). eg_version() returns the version of the library in use,
 * "MAJOR.MINOR.PATCH", which may differ from the header a program was
 * compiled with when the shared library was replaced. Thread-safe. */
#define EG_VERSION_MAJOR 0
#define EG_VERSION_MINOR 1
#define EG_VERSION_PATCH 0
#define EG_VERSION_STRING "0.1.0"
EG_EXTERN const char *eg_version(void);

/* Error codes. This list only grows: a code, once given, keeps its value. */
#define EG_ERRORS(X)                                              \
	X(OK, 0, "success")                                           \
	X(ENOMEM, -1, "out of memory")                                \
	X(EINVAL, -2, "invalid argument")                             \
	X(EIO, -3, "input/output error")                              \
	X(EPARSE, -4, "malformed input")                              \
	X(ETOOBIG, -5, "input larger than its cap")                   \
	X(ENOTFOUND, -6, "not found")                                 \
	X(ESTORE, -7, "store error")                                  \
	X(EUTF8, -8, "invalid UTF-8")                                 \
	X(EEXISTS, -9, "already exists")                              \
	X(EUNSUPPORTED, -10, "unsupported")                           \
	X(EUNICODE, -11, "Unicode library error")                     \
	X(EEMPTY, -12, "empty input")

typedef enum eg_code {
#define EG_X_ENUM(name, value, text) EG_##name = value,
	EG_ERRORS(EG_X_ENUM)
#undef EG_X_ENUM
	EG_ELAST_ = -13
} eg_code;

#define EG_ERROR_MESSAGE_MAX 512

/* The detail of a failure. Caller-owned; may live on the stack. */
typedef struct eg_error {
	int code;                           /* OUT: the EG_E* code, 0 if none */
	char message[EG_ERROR_MESSAGE_MAX]; /* OUT: one line naming file/line/field */
} eg_error;

/* The fixed text of an error code ("out of memory"); never NULL. */
EG_EXTERN const char *eg_strerror(int code);
/* The symbolic name of an error code ("EG_ENOMEM"); never NULL. */
EG_EXTERN const char *eg_err_name(int code);

/*
 * The allocation hook. Every allocation of the library goes through it, so a
 * test can fail any one of them. Set it before any other call, from one
 * thread; NULL restores the C library's allocator. Not thread-safe.
 */
typedef struct eg_allocator {
	void *(*malloc_fn)(size_t size, void *ud);
	void *(*realloc_fn)(void *ptr, size_t size, void *ud);
	void (*free_fn)(void *ptr, void *ud);
	void *ud;
} eg_allocator;
EG_EXTERN void eg_set_allocator(const eg_allocator *alloc);

/* --- the engine ---------------------------------------------------------- */

typedef struct eg_engine eg_engine;

/* Levels of the messages an engine reports through eg_log_fn. */
typedef enum eg_log_level {
	EG_LOG_DEBUG = 0,
	EG_LOG_INFO,
	EG_LOG_WARNING,
	EG_LOG_ERROR
} eg_log_level;
/* Receives the engine's messages (warnings of an import, a rebuilt index,
 * ...), one line each without a newline; called from the thread doing the
 * work. NULL in eg_open_options: the engine stays silent. */
typedef void (*eg_log_fn)(void *ud, eg_log_level level, const char *msg);

/* Options of eg_engine_open. Fields are only ever added at the end, and
 * version tells the library how many of them the caller knows. */
#define EG_OPEN_OPTIONS_VERSION 2
typedef struct eg_open_options {
	unsigned version;
	/* The store: "sqlite:PATH", or a plain path of a SQLite file, or a
	 * PostgreSQL connection URI "postgresql://..." (docs/store.md); NULL:
	 * "var/exportgate.db". */
	const char *store_path;
	int read_only;          /* nonzero: open without creating or writing */
	const char *data_dir;   /* bundled data (country lists); NULL: "data" */
	/* since version 2 */
	eg_log_fn log;          /* NULL: no messages */
	void *log_ud;
	/* Where built indexes are kept, mapped by later opens; NULL: beside a
	 * SQLite store ("PATH.idx"); "": nowhere. */
	const char *index_dir;
} eg_open_options;
#define EG_OPEN_OPTIONS_INIT {EG_OPEN_OPTIONS_VERSION, NULL, 0, NULL, NULL, NULL, NULL}

/*
 * Opens (creating if needed) the store and returns an engine in *out.
 * On error, *out is NULL, err says why and nothing is left open.
 * An engine may be shared by threads for every call but eg_engine_free.
 */
EG_EXTERN int eg_engine_open(eg_engine **out, const eg_open_options *opts,
                             eg_error *err);
/*
 * Starts a thread of the engine that loads new list versions before the
 * engine answers from them: it waits for the store's announcements (on a
 * PostgreSQL store, the LISTEN/NOTIFY of every process's imports; any
 * other store is looked at every 100 ms), then maps or builds the index of
 * each source's newest version, and only then swaps the versions in force,
 * atomically. No screen or decision waits for the build of a version
 * imported elsewhere, and eg_list_versions_current names a version only
 * once it is answered from. Without it (the default, for short-lived
 * commands), a new version is read at the first call after it and its
 * index built by the first screen that needs it. A version that cannot be
 * loaded is logged (eg_log_fn) and tried again every few seconds; the
 * versions before it stay in force. Call it once, before sharing the
 * engine with other threads; eg_engine_free stops the thread.
 */
EG_EXTERN int eg_engine_watch(eg_engine *engine, eg_error *err);
/* Closes the store and frees the engine. NULL is a no-op. */
EG_EXTERN void eg_engine_free(eg_engine *engine);

/*
 * Brings the schema of the store named by store_path (as
 * eg_open_options.store_path; NULL: "var/exportgate.db") to this program's
 * version, creating it in an empty store: every pending migration, in one
 * transaction (docs/store.md). *from gets the version found (0: no schema),
 * *to the version now (the same when nothing was pending). A store of a
 * newer schema is EG_EUNSUPPORTED; one that cannot be reached or written,
 * or a migration that fails, EG_ESTORE, and the store is as it was.
 * An engine's writable open applies the same migrations; this is for
 * doing it first, before read-only servers start.
 */
EG_EXTERN int eg_store_migrate(const char *store_path, int *from, int *to, eg_error *err);

/* --- list versions ------------------------------------------------------- */

#define EG_IMPORT_OPTIONS_VERSION 3
typedef struct eg_import_options {
	unsigned version;
	const char *source;    /* e.g. "us-ofac-sdn", "un-sc"; NULL: detect */
	const char *path;      /* a directory or a file of the publication */
	const char *published; /* "YYYY-MM-DD", NULL: read from the data */
	/* since version 2 */
	int new_source;        /* nonzero: source may be one exportgate does not
	                          know (data/sources.json) and the store lacks */
	/* since version 3 */
	size_t min_entities;   /* nonzero: a publication with fewer entities is
	                          not imported (EG_EEMPTY naming both counts) */
} eg_import_options;
#define EG_IMPORT_OPTIONS_INIT {EG_IMPORT_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0}

typedef struct eg_list_version {
	int64_t id;          /* store id of the version */
	char source[32];     /* e.g. "us-ofac-sdn" */
	char format[32];     /* the parser that read it, e.g. "ofac-csv" */
	char published[11];  /* YYYY-MM-DD, "" if unknown */
	char imported[21];   /* YYYY-MM-DDThh:mm:ssZ */
	char sha256[65];     /* hex digest of the input files */
	size_t entities;     /* entity count */
	size_t names;        /* names (primary and aliases) */
	int created;         /* eg_import: 0 when identical content existed */
	unsigned carries;    /* EG_CARRIES_* flags: the kinds of field the
	                        version holds for at least one entity */
} eg_list_version;

/* Kinds of field a list version may carry (eg_list_version.carries). A
 * version without aliases, say, cannot find a party by an alias: every
 * answer built on it says so (eg_carries_missing). */
#define EG_CARRIES_ALIASES   0x01u
#define EG_CARRIES_ADDRESSES 0x02u
#define EG_CARRIES_DATES     0x04u  /* dates of birth or listing dates */
#define EG_CARRIES_COUNTRIES 0x08u
#define EG_CARRIES_PROGRAMS  0x10u
#define EG_CARRIES_ALL       0x1Fu

/*
 * Imports one publication as a new list version, in one transaction: on
 * error the store is exactly as before and err names the file, line and
 * field. Importing content identical to an existing version of the same
 * source adds nothing and reports that version with created == 0.
 */
EG_EXTERN int eg_import(eg_engine *engine, eg_list_version *out,
                        const eg_import_options *opts, eg_error *err);

/* All list versions, newest first per source, in *out (free with
 * eg_list_versions_free) and their number in *count. */
EG_EXTERN int eg_list_versions(eg_engine *engine, eg_list_version **out,
                               size_t *count, eg_error *err);
/* The list versions the engine answers from now (newest first per source;
 * free with eg_list_versions_free): those of eg_list_versions, but for
 * versions imported by another process and not yet loaded by the thread of
 * eg_engine_watch. */
EG_EXTERN int eg_list_versions_current(eg_engine *engine, eg_list_version **out,
                                       size_t *count, eg_error *err);
EG_EXTERN void eg_list_versions_free(eg_list_version *versions);

/* --- refreshing the lists from their publishers --------------------------- */

/*
 * eg_refresh downloads the publications of DATA/sources.json (each source's
 * "download": its files, their official URLs, the format) and imports what
 * changed as a new list version (docs/refresh.md). Per source, in order:
 * a conditional request per file (the ETag and Last-Modified of the last
 * accepted download, from the attempts log); every file to a temporary file
 * under timeouts, a stall limit, a size cap and at most a few redirects, TLS
 * verified; the digest of the files (the last accepted digest again:
 * "unchanged"); the format detected, which must be one the source is
 * published in; the entity count, which must be at least half the newest
 * version's, or the publication is held for review (kept in a directory an
 * operator can pass to `exportgate import`); then eg_import. On any failure
 * the versions stay as they were. Every attempt is recorded in the store.
 */
typedef enum eg_refresh_outcome {
	EG_REFRESH_IMPORTED = 0,  /* a new version, version_id */
	EG_REFRESH_UNCHANGED,     /* the same content as before: nothing added */
	EG_REFRESH_NOT_MODIFIED,  /* the server answered 304 */
	EG_REFRESH_HELD,          /* not imported: kept in held_path for review */
	EG_REFRESH_FAILED         /* not imported: reason says why */
} eg_refresh_outcome;

/* "imported", "unchanged", "not-modified", "held", "failed". */
EG_EXTERN const char *eg_refresh_outcome_name(eg_refresh_outcome outcome);

/* One attempt to refresh one source. The strings belong to the array
 * (eg_refresh_attempts_free) and are never NULL. A source of several files
 * has one URL, ETag and Last-Modified per file in url, etag and
 * last_modified, one per line, in the order of sources.json. */
typedef struct eg_refresh_attempt {
	int64_t id;            /* the attempts log's id, 0 if not recorded */
	char source[32];
	char time[21];         /* start, YYYY-MM-DDThh:mm:ssZ */
	int64_t millis;        /* how long it took */
	eg_refresh_outcome outcome;
	long http_status;      /* the last HTTP status seen, 0 when none */
	uint64_t bytes;        /* bytes downloaded */
	char sha256[65];       /* the digest of the files downloaded, "" if none */
	int64_t version_id;    /* the version imported, or the one that holds the
	                          same content (unchanged); 0 otherwise */
	const char *url;
	const char *etag;      /* as the server sent them ("" if none) */
	const char *last_modified;
	const char *reason;    /* failed, held: why; else "" */
	const char *held_path; /* held: where the files are kept; else "" */
} eg_refresh_attempt;

/* The defaults of eg_refresh_options (docs/refresh.md). */
#define EG_REFRESH_MAX_BYTES ((uint64_t)512 * 1024 * 1024) /* one file */

#define EG_REFRESH_OPTIONS_VERSION 1
typedef struct eg_refresh_options {
	unsigned version;
	const char *const *sources; /* the sources to refresh; NULL: every source
	                               of sources.json with a download */
	size_t n_sources;
	/* NULL: the official URLs. Else every file is fetched from
	 * url_base + SOURCE + "/" + FILE (e.g. "http://127.0.0.1:8000/" gives
	 * http://127.0.0.1:8000/us-bis-dpl/dpl.txt): a mirror, or a test. */
	const char *url_base;
	long connect_timeout_ms;    /* 0: 30 s */
	long timeout_ms;            /* one file, whole transfer; 0: 30 min */
	long stall_seconds;         /* under 1 byte a second this long is a
	                               stall; 0: 60 s */
	uint64_t max_bytes;         /* one file; 0: EG_REFRESH_MAX_BYTES */
	/* Where downloads are made and held publications kept; NULL: beside a
	 * SQLite store ("PATH.refresh"), else "var/refresh". */
	const char *work_dir;
	/* NULL, or a flag another thread may set (to nonzero) to stop the
	 * refresh soon: the download in progress is abandoned (that source's
	 * attempt fails, "cancelled") and no further source is attempted. */
	const volatile int *cancel;
} eg_refresh_options;
#define EG_REFRESH_OPTIONS_INIT \
	{EG_REFRESH_OPTIONS_VERSION, NULL, 0, NULL, 0, 0, 0, 0, NULL, NULL}

/*
 * Refreshes the sources of opts (NULL: every one, with the defaults) one
 * after the other, and returns their attempts in *out, in that order
 * (free with eg_refresh_attempts_free), their number in *count. A source
 * that fails is an attempt with outcome EG_REFRESH_FAILED, not an error of
 * the call: the call fails (nothing attempted) only for bad options, a
 * source sources.json does not name or gives no download, an unreadable
 * sources.json, a read-only engine or a store that cannot record. Safe to
 * call from any thread; screens meanwhile answer from the versions in force
 * and see a new one once imported.
 */
EG_EXTERN int eg_refresh(eg_engine *engine, eg_refresh_attempt **out, size_t *count,
                         const eg_refresh_options *opts, eg_error *err);

/* The attempts log, newest first: of source (NULL: all), at most limit
 * (0: all). */
EG_EXTERN int eg_refresh_log(eg_engine *engine, eg_refresh_attempt **out, size_t *count,
                             const char *source, size_t limit, eg_error *err);
EG_EXTERN void eg_refresh_attempts_free(eg_refresh_attempt *attempts, size_t count);

/* --- what a new version changed ----------------------------------------- */

typedef enum eg_diff_kind {
	EG_DIFF_ADDED = 1,
	EG_DIFF_REMOVED,
	EG_DIFF_CHANGED
} eg_diff_kind;

/* One field of a changed entity: the values only in the old version and
 * those only in the new one. Fields: "type", "names", "programs",
 * "countries", "addresses", "remarks", "start_date", "end_date", and
 * "attr:KEY" for the listing's other facts (e.g. "attr:license_policy"). */
typedef struct eg_diff_field {
	const char *field;
	const char *const *removed; /* values no longer there */
	size_t n_removed;
	const char *const *added;   /* values new in this version */
	size_t n_added;
} eg_diff_field;

typedef struct eg_diff_entry {
	eg_diff_kind kind;
	const char *uid;            /* the source's id of the entity */
	const char *name;           /* its primary name (the newer one if changed) */
	size_t n_fields;            /* for EG_DIFF_CHANGED */
	const eg_diff_field *fields;
} eg_diff_entry;

typedef struct eg_diff {
	eg_list_version from, to;   /* the versions compared */
	size_t added, removed, changed, unchanged;
	const char *not_compared;   /* fields one publication does not carry at
	                               all (e.g. "aliases, addresses, countries"
	                               when only OFAC's sdn.csv was published),
	                               so not compared; "" if none */
	size_t count;               /* entries: added, removed and changed */
	const eg_diff_entry *entries;
} eg_diff;

/*
 * Compares two versions of a source. from and to name a version by its id
 * ("12") or by a date ("YYYY-MM-DD": the version in force then); to NULL is
 * the newest version, from NULL the one before `to`. Entities are matched by
 * their uid. On success *out is to be freed with eg_diff_free.
 * EG_ENOTFOUND when a version does not exist (or `to` has no predecessor).
 */
EG_EXTERN int eg_list_diff(eg_engine *engine, eg_diff **out, const char *source,
                           const char *from, const char *to, eg_error *err);
EG_EXTERN void eg_diff_free(eg_diff *diff);

/* --- country lists -------------------------------------------------------- */

/*
 * Country lists are named, versioned sets of ISO 3166-1 alpha-2 codes
 * (Israel's cyber marketing-licence exemption list, US Country Groups,
 * EU001 destinations), read from DATA/countries (docs/countries.md). A
 * version may be partial: its size known, some members known, the rest
 * unknown; membership then answers yes, no or unknown, never a guess.
 */
typedef enum eg_membership {
	EG_MEMBER_NO = 0,
	EG_MEMBER_YES = 1,
	EG_MEMBER_UNKNOWN = 2
} eg_membership;

/* "yes", "no" or "unknown". */
EG_EXTERN const char *eg_membership_name(eg_membership m);

typedef struct eg_country_list_info {
	const char *name;          /* e.g. "il-cyber-exempt" */
	const char *title;
	size_t n_versions;
	const char *effective;     /* YYYY-MM-DD of the newest version */
	int partial;               /* the newest version is partial */
	long size;                 /* its member count, -1 if unknown */
	size_t known_members;      /* members it names */
} eg_country_list_info;

/* Every country list, by name, in *out (owned by the engine, valid until
 * eg_engine_free) and their number in *count. Loads DATA/countries on first
 * use; a bad file fails the call, naming the file and JSON path. */
EG_EXTERN int eg_country_lists(eg_engine *engine, const eg_country_list_info **out,
                               size_t *count, eg_error *err);

/* Whether country `code` (alpha-2) belongs to `list` on date `as_of`
 * (NULL: today; a version vouched for only until an earlier day
 * does not answer). *effective gets the effective date of the
 * version that answered. EG_ENOTFOUND for an unknown list or a date before
 * its first version; EG_EINVAL for a malformed code or date. */
EG_EXTERN int eg_country_member(eg_engine *engine, eg_membership *out,
                                char effective[11], const char *list, const char *code,
                                const char *as_of, eg_error *err);

/* Every member of `list` on date `as_of` at once, by the rule of
 * eg_country_member: the assigned ISO 3166-1 codes it answers "yes" for
 * and those it answers "unknown" for (a partial list), each in code
 * order, and how many it answers "no" for. Free with
 * eg_country_members_free. Errors as eg_country_member's. */
typedef struct eg_country_members {
	const char *list;
	char effective[11];        /* the version that answered */
	const char *const *members; size_t n_members;
	const char *const *unknown; size_t n_unknown;
	size_t n_non_members;
} eg_country_members;
EG_EXTERN int eg_country_members_of(eg_engine *engine, eg_country_members **out,
                                    const char *list, const char *as_of, eg_error *err);
EG_EXTERN void eg_country_members_free(eg_country_members *m);

/* How an answer about a country is supported: stated by a cited source,
 * inferred from cited sources (the list's notes say how), or not checked
 * against a stored source. */
typedef enum eg_basis {
	EG_BASIS_VERIFIED = 0,
	EG_BASIS_INFERRED,
	EG_BASIS_UNVERIFIED
} eg_basis;
/* eg_country_member, and how its answer is supported in *basis. */
EG_EXTERN int eg_country_member_basis(eg_engine *engine, eg_membership *out, eg_basis *basis,
                                      char effective[11], const char *list, const char *code,
                                      const char *as_of, eg_error *err);
/* "verified", "inferred", "unverified". */
EG_EXTERN const char *eg_basis_name(eg_basis basis);

/* What changed between two versions of a country list: the versions in
 * force on the dates from and to (to NULL: the newest; from NULL: the one
 * before to). Codes known dropped (yes before, no after), known added,
 * known to have stayed, and unknown (either side unknown); with the totals
 * a partial version's known size implies (-1 when they cannot be told). */
typedef struct eg_country_diff {
	const char *list;
	char from_effective[11], to_effective[11];
	int from_partial, to_partial;
	long from_size, to_size;          /* -1: unknown */
	const char *const *dropped; size_t n_dropped;
	const char *const *added;   size_t n_added;
	const char *const *stayed;  size_t n_stayed;
	const char *const *unknown; size_t n_unknown;
	long dropped_total, dropped_unnamed; /* -1: cannot be told */
	long added_total, added_unnamed;
} eg_country_diff;

EG_EXTERN int eg_country_list_diff(eg_engine *engine, eg_country_diff **out,
                                   const char *list, const char *from, const char *to,
                                   eg_error *err);
EG_EXTERN void eg_country_diff_free(eg_country_diff *diff);

/* --- screening ----------------------------------------------------------- */

typedef enum eg_entity_type {
	EG_TYPE_ANY = 0,
	EG_TYPE_INDIVIDUAL,
	EG_TYPE_ENTITY,
	EG_TYPE_VESSEL,
	EG_TYPE_AIRCRAFT,
	EG_TYPE_UNKNOWN  /* the list gives no type: kept by every type filter */
} eg_entity_type;

/* "individual", "entity", ..., "unknown"; "any" for EG_TYPE_ANY. */
EG_EXTERN const char *eg_type_name(eg_entity_type type);
/* Parses a type name; returns EG_EINVAL for an unknown one. */
EG_EXTERN int eg_type_parse(eg_entity_type *out, const char *name);

/* Fields are only ever added at the end; version 1 callers (without
 * `group`) are still served. */
#define EG_SCREEN_OPTIONS_VERSION 2
typedef struct eg_screen_options {
	unsigned version;
	eg_entity_type type; /* EG_TYPE_ANY: all types */
	const char *source;  /* NULL: every source in the store */
	const char *country; /* ISO alpha-2 or name; NULL: any */
	const char *as_of;   /* "YYYY-MM-DD": version in force then; NULL: newest */
	size_t limit;        /* most hits returned; 0: 10 */
	double min_score;    /* hits below are dropped; < 0: the default threshold;
	                        above 1 or NaN: EG_EINVAL */
	/* since version 2 */
	/* Nonzero: a party that several sources list (the CSL repeats SDN
	 * entries) is one hit, its best-scoring listing, with the others in
	 * eg_hit's `also`; limit counts such hits. Listings are one party only
	 * when they have the same primary name (case and punctuation aside),
	 * compatible types, a shared country when both name one and the same
	 * year of birth when both give one. 0: every listing its own hit (what
	 * decisions use: a policy may cite any of them). */
	int group;
} eg_screen_options;
#define EG_SCREEN_OPTIONS_INIT \
	{EG_SCREEN_OPTIONS_VERSION, EG_TYPE_ANY, NULL, NULL, NULL, 0, -1.0, 0}

/* Another listing of a hit's party, by another source (eg_screen_options
 * `group`). */
typedef struct eg_hit_also {
	size_t size;              /* sizeof(eg_hit_also) of the library: use eg_hit_also_at */
	const char *source;
	const char *published;    /* "" unknown */
	int64_t version_id;
	const char *uid;          /* the source's id of that listing */
	const char *primary_name; /* as that list writes it */
	const char *list_name;    /* its sub-list, NULL when not said */
	double score;             /* the query against that listing */
} eg_hit_also;

/* One aligned query token, for the explanation of a hit. */
typedef struct eg_token_match {
	const char *query_token; /* normalised query token */
	const char *name_token;  /* the name token it matched, "" if none */
	double similarity;       /* in [0,1] */
	double weight;           /* rarity weight of the pair */
} eg_token_match;

typedef struct eg_hit {
	size_t size;              /* sizeof(eg_hit) of the library: use eg_hits_at */
	const char *source;       /* source of the list */
	const char *published;    /* publication date of the version, "" unknown */
	int64_t version_id;       /* list version screened */
	const char *uid;          /* the source's id of the entity, whole */
	eg_entity_type type;
	const char *primary_name; /* as the list writes it */
	const char *matched_name; /* the name or alias that matched */
	const char *programs;     /* "; "-joined */
	const char *countries;    /* "; "-joined, as the list writes them */
	const char *const *names; /* every name of the entity, primary first */
	size_t n_names;
	double score;             /* in [0,1] */
	size_t n_tokens;
	const eg_token_match *tokens; /* per query token */
	/* What the listing says, each NULL when the list does not say it. */
	const char *listed_on;      /* YYYY-MM-DD the listing took effect */
	const char *delisted_on;    /* YYYY-MM-DD it ended */
	const char *list_name;      /* the sub-list, e.g. "Entity List (EL) - Bureau of Industry and Security" */
	const char *citation;       /* legal citation, e.g. a Federal Register notice */
	const char *licence_policy; /* e.g. "Presumption of denial." */
	const char *const *program_list;  /* the programs, one each */
	size_t n_programs;
	const char *const *country_list;  /* the countries, as written, one each */
	size_t n_countries;
	const char *const *country_codes; /* their ISO 3166-1 alpha-2 codes */
	size_t n_country_codes;
	/* The same party's listings by other sources, best first (only with
	 * eg_screen_options `group`): read through eg_hit_also_at. */
	size_t n_also;
	const eg_hit_also *also;
} eg_hit;

/* A list version an answer consulted. */
typedef struct eg_consulted {
	size_t size;            /* sizeof(eg_consulted) of the library */
	const char *source;
	int64_t version_id;
	const char *published;  /* "" unknown */
	const char *imported;
	unsigned missing;       /* EG_CARRIES_* kinds of field the version lacks:
	                           a party known to it only by those is not found */
	/* Nonzero when no version of the source was published on or before
	 * as_of and the list on that date was reconstructed from this, its
	 * earliest later publication: only entries whose own listing dates
	 * cover as_of are kept, and entries removed before this publication
	 * cannot be known. */
	int reconstructed;
	size_t dropped_undated; /* reconstructed: entries left out because they
	                           carry no listing date */
} eg_consulted;

/* A source an answer could not consult, and why. */
typedef struct eg_skipped {
	size_t size;            /* sizeof(eg_skipped) of the library */
	const char *source;
	const char *reason;     /* e.g. "no version in force on 1900-01-01: the
	                           first was published on 2021-07-07" */
} eg_skipped;

typedef struct eg_hits {
	size_t size;         /* sizeof(eg_hits) of the library */
	size_t count;        /* number of hits, best first */
	const eg_hit *hits;  /* read through eg_hits_at for ABI stability */
	double threshold;    /* the min_score applied */
	size_t candidates;   /* names scored (for the curious) */
	size_t n_consulted;  /* the versions screened, by source */
	const eg_consulted *consulted;
	size_t n_skipped;    /* the sources that could not be screened */
	const eg_skipped *skipped;
} eg_hits;

/* Hit i of hits (NULL past the end), consulted version i, skipped source
 * i: valid whatever the size of the structs the caller was built with. */
EG_EXTERN const eg_hit *eg_hits_at(const eg_hits *hits, size_t i);
/* Listing i of hit's `also` (NULL past the end, or from a library whose
 * eg_hit has no `also`). */
EG_EXTERN const eg_hit_also *eg_hit_also_at(const eg_hit *hit, size_t i);
EG_EXTERN const eg_consulted *eg_hits_consulted(const eg_hits *hits, size_t i);
EG_EXTERN const eg_skipped *eg_hits_skipped(const eg_hits *hits, size_t i);

/* A sentence naming the kinds of field in missing (EG_CARRIES_*), e.g.
 * "aliases, addresses", into buf; returns buf. */
EG_EXTERN const char *eg_carries_missing(unsigned missing, char *buf, size_t size);

/* The default threshold: one value for every source and type. */
EG_EXTERN double eg_default_threshold(void);

/*
 * Screens one name (UTF-8, len bytes) against the lists. On success *out
 * holds the hits (possibly none), to free with eg_hits_free. Invalid UTF-8,
 * control characters, empty or over-long names give EG_EUTF8, EG_EINVAL,
 * EG_EEMPTY or EG_ETOOBIG. Thread-safe: threads may screen on one engine.
 *
 * The answer names every version it consulted and every source it could
 * not consult, with the reason (a source with no version in force on
 * as_of, say). When no source at all could be consulted, or a version could
 * not be read, it is an error (EG_ENOTFOUND, EG_ESTORE), never "no hit".
 * A version imported meanwhile by any process is used from the next screen
 * on (the store is checked at most every 100 ms).
 */
EG_EXTERN int eg_screen(eg_engine *engine, eg_hits **out, const char *name,
                        size_t len, const eg_screen_options *opts,
                        eg_error *err);
EG_EXTERN void eg_hits_free(eg_hits *hits);

/*
 * Loads the version in force today of every source (its index mapped from
 * the index file beside the store, or built and saved), so that the first
 * screens do not wait for it; *loaded gets their number. A server calls it
 * before it says it is ready. A version that cannot be loaded is an error
 * naming it.
 */
EG_EXTERN int eg_prepare(eg_engine *engine, size_t *loaded, eg_error *err);

/*
 * Scores two names against each other, in [0,1], with the same method as
 * eg_screen (token weights from the lists in the store). Thread-safe.
 */
EG_EXTERN int eg_compare(eg_engine *engine, double *out, const char *a,
                         size_t alen, const char *b, size_t blen,
                         eg_error *err);

/* --- deciding deals --------------------------------------------------------- */

/* Outcomes of a decision, in increasing strictness: the strictest reason
 * wins. */
typedef enum eg_outcome {
	EG_OUTCOME_ALLOW = 0,
	EG_OUTCOME_REVIEW,
	EG_OUTCOME_LICENCE_REQUIRED,
	EG_OUTCOME_DENY
} eg_outcome;

/* "allow", "review", "licence_required", "deny". */
EG_EXTERN const char *eg_outcome_name(eg_outcome outcome);

#define EG_DECIDE_OPTIONS_VERSION 1
typedef struct eg_decide_options {
	unsigned version;
	const char *asked_by;  /* the key or user asking, recorded in the log;
	                          NULL: "library" */
} eg_decide_options;
#define EG_DECIDE_OPTIONS_INIT {EG_DECIDE_OPTIONS_VERSION, NULL}

typedef struct eg_decision {
	size_t size;          /* sizeof(eg_decision) of the library */
	eg_outcome outcome;
	/* The whole decision as JSON (docs/deals.md): decision, reasons with
	 * citations and evidence, the list versions and policies used, the
	 * country lists asked, and the audit record. */
	const char *json;
	size_t json_len;
	int64_t audit_index;  /* the decision log's record, -1 when not logged */
	char leaf_hash[65];   /* its RFC 9162 leaf hash, hex; "" when not logged */
} eg_decision;

/*
 * Decides a deal (JSON, docs/deals.md, len bytes) against the policies of
 * DATA/policies as of the deal's date: every party screened against every
 * list in force on that date, every country list asked as of that date.
 * On success *out holds the decision, to free with eg_decision_free. A deal
 * missing a field or with an unknown code, role, type, classification or a
 * bad date is EG_EINVAL / EG_EPARSE / EG_ETOOBIG naming the JSON path, and
 * nothing is recorded. Thread-safe.
 */
EG_EXTERN int eg_decide(eg_engine *engine, eg_decision **out, const char *deal,
                        size_t len, const eg_decide_options *opts, eg_error *err);
EG_EXTERN void eg_decision_free(eg_decision *decision);

/*
 * Recomputes the decision of log record `index` and says whether it comes
 * out the same: with the list versions it recorded (now == 0), or, with now,
 * dated today against today's lists; the current policies either way (their
 * versions then and now are shown). "same": the same outcome from the same
 * rules; "evidence_same": the reasons' evidence too. *json (eg_free):
 * {"index", "mode", "same", "evidence_same", "original", "replayed",
 * "changes": {"reasons_gone", "reasons_new"},
 * "policies_then", "policies_now", "lists_then", "lists_now"}. Nothing is
 * logged. A recorded version no longer stored is EG_ENOTFOUND.
 */
EG_EXTERN int eg_decide_replay(eg_engine *engine, char **json, uint64_t index, int now,
                               eg_error *err);

/*
 * Re-screening on a list update (delta screening): the parties of every
 * logged decision screened against only the entries that new versions
 * added or changed (since > 0: every version with a greater id, each
 * against its predecessor; else each source's newest), and every decision
 * they touch decided again, dated today, against today's lists. *json
 * (eg_free): {"versions": [{source, version_id, previous_id, added,
 * changed}], "decisions_read", "parties_screened", "hits", "decisions":
 * [{decision, then, now, same, changes}], "differ", "seconds"}; *differ the
 * number of decisions that would now come out differently.
 */
EG_EXTERN int eg_rescreen(eg_engine *engine, char **json, int64_t since, size_t *differ,
                          eg_error *err);

/* --- batch screening of a table of parties in PostgreSQL -------------------- */

/*
 * A customer base kept in a PostgreSQL table (columns id: an integer with a
 * PRIMARY KEY or UNIQUE index, name: text, and optionally type: text) is
 * screened by runs (docs/scale.md). eg_batch_enqueue splits the table into
 * chunks of parties by id; any number of eg_batch_work callers, in any
 * number of processes on any machines, claim chunks with SELECT ... FOR
 * UPDATE SKIP LOCKED and write each party's result (its hits, the list
 * versions its screen consulted, the sources it could not consult) and the
 * chunk's completion in one transaction: a worker killed mid-chunk loses
 * nothing (the chunk is claimable again) and no chunk is completed twice.
 * Results are the tables batch_result and batch_hit of the store. Only on
 * a PostgreSQL store (else EG_EUNSUPPORTED).
 */
typedef struct eg_batch_run {
	int64_t id;
	char table[128];        /* the parties table, as PostgreSQL names it */
	int has_type;           /* the table has a type column */
	char created[21];       /* YYYY-MM-DDThh:mm:ssZ */
	size_t chunk_rows;      /* parties per chunk */
	size_t chunks;          /* chunks of the run */
	size_t chunks_done;
	uint64_t rows;          /* parties when the run was created */
	uint64_t screened;      /* parties screened by the chunks done */
	uint64_t rejected;      /* parties whose name could not be screened */
	uint64_t with_hits, hits;
	double min_score;       /* the threshold of every screen of the run */
	size_t limit;           /* at most this many hits per party */
	char versions[512];     /* "source:version_id ..." the chunks done
	                           consulted ("..." ends a cut list) */
	char skipped[512];      /* "source: reason" lines of sources a chunk
	                           could not consult; "" when none */
	int64_t since;          /* 0: every party against every list in force;
	                           else a delta run: every party against only the
	                           entries that the versions with a greater id
	                           added or changed (each against the version
	                           before it) */
} eg_batch_run;

/* Fields are only ever added at the end, and version tells the library
 * how many of them the caller knows. */
#define EG_BATCH_OPTIONS_VERSION 2
typedef struct eg_batch_options {
	unsigned version;
	/* eg_batch_enqueue */
	const char *table;      /* [schema.]table; NULL: "parties" */
	size_t chunk_rows;      /* 0: 1000 */
	double min_score;       /* < 0: the default threshold */
	size_t limit;           /* hits per party; 0: 3 */
	/* eg_batch_work and eg_batch_status */
	int64_t run;            /* 0: work: the newest run with chunks left;
	                           status: the newest run */
	/* eg_batch_work */
	size_t threads;         /* parallel chunks, one connection each; 0: 1 */
	const char *worker;     /* recorded as claimed_by; NULL: "HOST:PID" */
	size_t max_chunks;      /* stop after this many chunks; 0: none left */
	/* eg_batch_enqueue: 0, or a list version id: a delta run (see
	 * eg_batch_run.since); a version id the store lacks is EG_ENOTFOUND */
	int64_t since;
	/* since version 2, eg_batch_work */
	int wait;               /* nonzero: when no chunk is free, wait for one
	                           (a run enqueued later, announced by NOTIFY,
	                           or a chunk freed, found by a check every
	                           EG_BATCH_POLL_MS) instead of returning */
	double idle_seconds;    /* with wait: return after this long without a
	                           chunk to work on; 0: never */
	/* Non-NULL: asked by the working threads before each chunk is claimed
	 * and at least every 250 ms while waiting (so it must be thread-safe:
	 * reading a flag that a signal handler sets, say); nonzero: return 0
	 * once the chunks in progress are committed. */
	int (*stop)(void *stop_ud);
	void *stop_ud;
} eg_batch_options;
#define EG_BATCH_OPTIONS_INIT \
	{EG_BATCH_OPTIONS_VERSION, NULL, 0, -1.0, 0, 0, 0, NULL, 0, 0, 0, 0.0, NULL, NULL}
/* How often a waiting eg_batch_work looks for free chunks without being
 * told (a notification missed, a chunk freed by a worker that died). */
#define EG_BATCH_POLL_MS 2000

/* What one eg_batch_work call did. */
typedef struct eg_batch_report {
	int64_t run;
	size_t chunks;          /* chunks this call completed */
	uint64_t screened, rejected, with_hits, hits;
	double seconds;         /* wall time of the chunks' work (after the
	                           lists' indexes were loaded; not the waits) */
	size_t runs;            /* runs worked on (run: the last of them) */
} eg_batch_report;

/*
 * Creates a run over opts->table, in one transaction: *out the run. A table
 * that does not exist, lacks id or name, or whose id is not unique, and a
 * store that cannot be reached, are EG_ESTORE naming it; nothing is
 * written then.
 */
EG_EXTERN int eg_batch_enqueue(eg_engine *engine, eg_batch_run *out,
                               const eg_batch_options *opts, eg_error *err);
/*
 * Works on run opts->run until no chunk is left unclaimed (or max_chunks
 * are done): each of opts->threads threads claims a chunk, screens its
 * parties with eg_screen and commits their results with the chunk. A name
 * that cannot be screened (empty, bad UTF-8, too long, a bad type) is a
 * result saying why. A store error, or a screen that could consult no list,
 * is an error: the chunk in progress is rolled back (claimable again), the
 * chunks committed stay. No run with work left: 0, with nothing done.
 * With opts->wait, a run finished is not the end: the call LISTENs for
 * runs enqueued later (any process's eg_batch_enqueue announces its run at
 * its commit) and works on each (opts->run 0: every run; else that run
 * until it is done), until opts->stop says so, opts->idle_seconds pass
 * without a chunk, or an error.
 */
EG_EXTERN int eg_batch_work(eg_engine *engine, eg_batch_report *out,
                            const eg_batch_options *opts, eg_error *err);
/* The run opts->run (0: the newest) with its counts. */
EG_EXTERN int eg_batch_status(eg_engine *engine, eg_batch_run *out,
                              const eg_batch_options *opts, eg_error *err);

/* --- reviews of hits ---------------------------------------------------------- */

#define EG_REVIEW_OPTIONS_VERSION 1
typedef struct eg_review_options {
	unsigned version;
	uint64_t decision;   /* the decision log record that raised the hit */
	size_t party;        /* the party's position in the deal, from 0 */
	const char *uid;     /* the listed entity's uid */
	const char *verdict; /* "false-positive" or "true-match" */
	const char *by;      /* who reviewed */
	const char *note;    /* why; may be NULL */
} eg_review_options;
#define EG_REVIEW_OPTIONS_INIT {EG_REVIEW_OPTIONS_VERSION, 0, 0, NULL, NULL, NULL, NULL}

/*
 * Records an analyst's verdict on a hit of a logged decision, as a record
 * of the decision log. A false-positive keeps the same party name from
 * being raised against the same entity by later decisions, until the
 * entity's listing (its primary name, listing date, sub-list or licence
 * policy) changes in a later version; each decision says which hits its
 * reviews suppressed. *json (eg_free) is the review with its log record.
 * A hit the decision did not raise is EG_ENOTFOUND.
 */
EG_EXTERN int eg_review(eg_engine *engine, char **json, const eg_review_options *opts,
                        eg_error *err);

/* --- the decision log -------------------------------------------------------- */

/*
 * Every decision is a record of an append-only Merkle tree (RFC 9162) in
 * the store, durable before eg_decide returns (docs/audit.md). Checkpoints
 * (tree size and root) are signed with an Ed25519 key kept beside the
 * store ("STORE.key", created on first use). Strings returned here are
 * JSON or checkpoint text, to free with eg_free. A read-only engine cannot
 * open the log (EG_ESTORE).
 */
EG_EXTERN void eg_free(void *p);
/* The number of records. */
EG_EXTERN int eg_audit_size(eg_engine *engine, uint64_t *size, eg_error *err);
/* Record `index`: {"index", "time_ms", "leaf_hash", "payload"}. */
EG_EXTERN int eg_audit_record(eg_engine *engine, char **json, uint64_t index,
                              eg_error *err);
/* The inclusion proof of record `index` in the tree of `size` records (0:
 * all): {"index", "tree_size", "root", "inclusion_proof": [hex...]}. */
EG_EXTERN int eg_audit_prove(eg_engine *engine, char **json, uint64_t index, uint64_t size,
                             eg_error *err);
/* The consistency proof from old_size to size (0: all) records:
 * {"old_size", "old_root", "tree_size", "root", "consistency_proof"}. */
EG_EXTERN int eg_audit_consistency(eg_engine *engine, char **json, uint64_t old_size,
                                   uint64_t size, eg_error *err);
/* Signs and keeps a checkpoint of the whole log; its text in *text. */
EG_EXTERN int eg_audit_checkpoint(eg_engine *engine, char **text, eg_error *err);
/* The public half of the signing key, PEM. */
EG_EXTERN int eg_audit_public_key(eg_engine *engine, char **pem, eg_error *err);
/*
 * Recomputes every record, the tree and the latest signed checkpoint, and,
 * given an older checkpoint (text, old_len bytes; NULL: none), proves the
 * log only grew since. *ok is 1 when nothing is wrong; *json the report
 * ({"ok", "records", "checked", "first_bad", "problem", ...}). Returns
 * nonzero only when the log could not be read at all.
 */
EG_EXTERN int eg_audit_verify(eg_engine *engine, char **json, int *ok,
                              const char *old_checkpoint, size_t old_len, eg_error *err);
/* Every record with its inclusion proof, the latest checkpoint and the
 * public key, as JSON for an independent verifier (docs/audit.md). */
EG_EXTERN int eg_audit_export(eg_engine *engine, char **json, eg_error *err);

/* --- API keys and roles ------------------------------------------------------ */

/*
 * Keys let programs and people use the HTTP server (docs/server.md). A key
 * has a name (who holds it, recorded in the decision log as asked_by) and
 * roles. Only the SHA-256 of a key is stored, in a table of the store's
 * SQLite file; the key itself is shown once, by eg_key_add, and never kept
 * or logged. A revoked key stays in the table, marked, and no longer
 * matches. Every call here is thread-safe; each opens its own connection to
 * the store.
 */
#define EG_ROLE_SCREEN 0x01u  /* GET/POST /v1/screen, /match, lists, countries */
#define EG_ROLE_DECIDE 0x02u  /* POST /v1/decide */
#define EG_ROLE_REVIEW 0x04u  /* the decision log: records, proofs, verification */
#define EG_ROLE_ADMIN  0x08u  /* every role, and checkpoints */
#define EG_ROLE_ALL    0x0Fu

#define EG_KEY_NAME_MAX 64    /* bytes of a key's name: [A-Za-z0-9._@-] */
#define EG_KEY_SIZE 69        /* "egk_", 64 hex digits and a NUL */

/* "screen", "decide", "review", "admin" for one EG_ROLE_* bit; "" else. */
EG_EXTERN const char *eg_role_name(unsigned role);
/* Parses one role name into its bit; EG_EINVAL for an unknown name. */
EG_EXTERN int eg_role_parse(unsigned *out, const char *name);

typedef struct eg_key_info {
	char name[EG_KEY_NAME_MAX + 1];
	unsigned roles;            /* EG_ROLE_* bits */
	char created[21];          /* YYYY-MM-DDThh:mm:ssZ */
	char revoked[21];          /* "" while in force */
	char prefix[13];           /* the key's first 12 characters, to tell keys apart */
} eg_key_info;

/*
 * Creates a key named `name` with `roles` (EG_ROLE_* bits, at least one):
 * 32 random bytes from libcrypto, written as "egk_" and 64 hex digits into
 * key_out, which the caller shows once. EG_EEXISTS when a key in force has
 * that name; EG_EINVAL for a bad name or no role; EG_ESTORE on a read-only
 * engine or a store error. On error key_out is "".
 */
EG_EXTERN int eg_key_add(eg_engine *engine, char key_out[EG_KEY_SIZE], const char *name,
                         unsigned roles, eg_error *err);
/* Every key, in force or revoked, oldest first, in *out (free with
 * eg_key_list_free) and their number in *count. No key at all: *count 0. */
EG_EXTERN int eg_key_list(eg_engine *engine, eg_key_info **out, size_t *count,
                          eg_error *err);
EG_EXTERN void eg_key_list_free(eg_key_info *keys);
/* Revokes the key in force named `name`; EG_ENOTFOUND when there is none. */
EG_EXTERN int eg_key_revoke(eg_engine *engine, const char *name, eg_error *err);
/* The number of keys in force, in *count. */
EG_EXTERN int eg_key_count(eg_engine *engine, size_t *count, eg_error *err);
/*
 * Checks a presented key (len bytes): its SHA-256 is compared, in constant
 * time (CRYPTO_memcmp), with the hash of every key in force. On a match
 * returns 0 with the key's roles in *roles and its name in name_out;
 * EG_ENOTFOUND when no key in force matches (*roles 0, name_out ""). The
 * keys are read on one connection of the engine, shared by every check
 * (thread-safe). When the store cannot be read (EG_ESTORE: a PostgreSQL
 * server that is away), the keys in force at the engine's last successful
 * read answer, and a warning goes to the engine's log; before any
 * successful read, the store's error is returned.
 */
EG_EXTERN int eg_key_check(eg_engine *engine, unsigned *roles,
                           char name_out[EG_KEY_NAME_MAX + 1], const char *key, size_t len,
                           eg_error *err);

#ifdef __cplusplus
}
#endif
#endif /* EXPORTGATE_H */
