/* index.h - the candidate index over every name of a list version.
 *
 * Built once from names (a list version's entities, or any set of names),
 * then immutable: any number of threads may search one index without locks.
 * A search never scans every name: each query token is looked up exactly
 * and through fuzzy keys (one-deletion neighbourhoods, phonetic keys,
 * consonant skeletons) in the vocabulary of name tokens; the postings of the
 * heaviest query tokens give the candidate names, which are then scored
 * with the aligner of score.h. */
#ifndef EG_INDEX_H
#define EG_INDEX_H

#include "exportgate.h"
#include "lists/entity.h"
#include "score.h"
#include "text/normalize.h"

#include <stddef.h>
#include <stdint.h>

typedef struct eg__index eg__index;
typedef struct eg__index_builder eg__index_builder;

/* Starts a builder. Returns 0 or EG_ENOMEM. */
int eg__index_builder_new(eg__index_builder **out, eg_error *err);
/* Adds one name of an entity (entity numbers are the caller's, dense from
 * 0; name_no is the name's position within its entity). A name that
 * normalises to no token is skipped (returns 0). Errors: EG_ENOMEM,
 * EG_ETOOBIG, EG_EUTF8, EG_EINVAL (the builder stays usable). */
int eg__index_builder_add(eg__index_builder *b, uint32_t entity, uint16_t name_no,
                          eg_entity_type type, int weak, const char *text, size_t len,
                          eg_error *err);
/* Describes entity `entity` for the filters of a search: its type, its ISO
 * 3166-1 alpha-2 codes (n_iso of them, each packed by EG__ISO_PACK, copied)
 * and the dates its listing took effect and ended, as YYYYMMDD (0: none).
 * An entity never described keeps the type of the names added for it, no
 * country and no dates. Calls may come in any order, before or after the
 * entity's names. Errors: EG_ENOMEM, EG_ETOOBIG (entity number or codes
 * beyond 32 bits); the builder stays usable. */
int eg__index_builder_entity(eg__index_builder *b, uint32_t entity, eg_entity_type type,
                             const uint16_t *iso, size_t n_iso, int32_t start, int32_t end,
                             eg_error *err);
/* Finishes: *out is the index, the builder is freed either way. */
int eg__index_builder_finish(eg__index_builder *b, eg__index **out, eg_error *err);
/* Frees an unfinished builder. NULL is a no-op. */
void eg__index_builder_free(eg__index_builder *b);

/* Builds the index of every name of every entity of set (entity numbers are
 * positions in set->v), with each entity's type, ISO codes (e->iso, as
 * eg__entity_set_resolve_countries left them: none before) and listing
 * dates for the filters (a date that is not YYYY-MM-DD counts as none). */
int eg__index_from_set(eg__index **out, const eg__entity_set *set, eg_error *err);
void eg__index_free(eg__index *ix);

/*
 * Saves ix into the file path, with key (the caller's identity of what the
 * index was built from, e.g. "<version id>:<sha256>"; at most 4096 bytes)
 * for eg__index_map to check. Atomic: writes path.tmp.PID, fsyncs it,
 * renames it over path and fsyncs the directory, so a reader sees the old
 * file or the new one, whole. Errors (EG_EIO, EG_ENOMEM, EG_ETOOBIG for the
 * key) name the file; the temporary file is removed then. ix is only read:
 * thread-safe with searches of ix, but two threads of one process must not
 * save to the same path at once (they would share the temporary file).
 */
int eg__index_save(const eg__index *ix, const char *path, const char *key, eg_error *err);

/*
 * Maps the index saved in path, read-only: its arrays point into the
 * mapping (nothing is parsed or copied), and eg__index_free unmaps it. The
 * whole file's checksum is verified first. Errors:
 *   EG_ENOTFOUND  no such file, or (message "stale") saved with another key:
 *                 the caller builds the index (and saves it);
 *   EG_EPARSE     not an index file (bad magic), another format version
 *                 ("format version 3, expected 1"), another byte order or
 *                 word size, a size other than its header says (truncated),
 *                 "checksum mismatch", a section out of place;
 *   EG_EIO, EG_ENOMEM.
 * Every message names the file. *out is NULL on error. The result is
 * searched like a built index, by any number of threads.
 */
int eg__index_map(eg__index **out, const char *path, const char *key, eg_error *err);

/* Bytes the index holds; names indexed; distinct tokens; entities (one
 * more than the largest entity number, as the builder's caller numbers
 * them: for eg__index_from_set, set->n unless its last entities have no
 * name). */
size_t eg__index_memory(const eg__index *ix);
size_t eg__index_names(const eg__index *ix);
size_t eg__index_vocabulary(const eg__index *ix);
size_t eg__index_entities(const eg__index *ix);

/* What a search looks for. Zero-initialise it ({0}) and set what is
 * needed: a zero field is no filter (or a default). The filters apply to
 * each candidate before the candidates are cut to max_candidates (when
 * set) and the matches to max_out, so a filter never loses a match that
 * the cut made room for. */
/* The part of a search's preparation that depends on the query alone:
 * each token's features, fuzzy keys, hash and diminutives. A screen over
 * many lists makes it once (eg__index_qprep_new) and gives it to the
 * search of every index through eg__search_opts.qprep. It points into the
 * normalised query it was made from, which must outlive it. */
typedef struct eg__index_qprep eg__index_qprep;
/* Returns 0, or EG_ENOMEM with err set (*out NULL). */
int eg__index_qprep_new(eg__index_qprep **out, const eg__norm *norm, eg_error *err);
/* NULL is a no-op. */
void eg__index_qprep_free(eg__index_qprep *qp);

typedef struct eg__search_opts {
	/* EG_TYPE_ANY: all. EG_TYPE_ENTITY: anything but a person. An entity
	 * of type EG_TYPE_UNKNOWN passes every type filter. */
	eg_entity_type type;
	double min_score;      /* drop matches below */
	size_t max_candidates; /* names scored at most; 0: no cut (every candidate the
	                          bounds keep is scored: see index_search.c) */
	/* Codes packed by EG__ISO_PACK (src/lists/entity.h): an entity passes
	 * when any of its ISO codes is in this list. n_countries == 0: no
	 * filter. Not owned; read during the call only. */
	const uint16_t *countries;
	size_t n_countries;
	/* YYYYMMDD: an entity passes when its listing's start is none or
	 * <= date and its end is none or >= date. 0: no filter. */
	int32_t date;
	/* Nonzero: an entity passes only when its listing's start date is
	 * known (a list reconstructed from a later publication keeps only the
	 * entries known to have been listed on the date). */
	int dated_only;
	/* The preparation of the query searched (eg__index_qprep_new of the
	 * very norm given to the search; another is EG_EINVAL), or NULL: the
	 * search makes its own. */
	const eg__index_qprep *qprep;
} eg__search_opts;

/* One matched entity: its best-scoring name, with the alignment. */
typedef struct eg__match {
	uint32_t entity;
	uint16_t name_no;
	uint32_t name_id;     /* for eg__index_name_token */
	uint8_t weak;
	double score;
	eg__alignment align;
	float wq[EG__NORM_MAX_TOKENS]; /* weight of each query token */
} eg__match;

/*
 * Searches q (normalised) and writes up to max_out matches, best first, one
 * per entity, into out, their number into *n_out, and the number of names
 * scored into *scored (may be NULL). Returns 0 or EG_ENOMEM.
 * Thread-safe: the index is only read.
 */
int eg__index_search(const eg__index *ix, eg__match *out, size_t max_out,
                     size_t *n_out, size_t *scored, const eg__norm *q,
                     const eg__search_opts *opts, eg_error *err);

/* The text of token j of an indexed name (NULL past its end) and the
 * number of its tokens. */
const char *eg__index_name_token(const eg__index *ix, uint32_t name_id, size_t j);
size_t eg__index_name_ntokens(const eg__index *ix, uint32_t name_id);

/* Scores two normalised names with this index's token weights (tokens not
 * in the index weigh as the rarest). Thread-safe. */
double eg__index_compare(const eg__index *ix, const eg__norm *a, const eg__norm *b);

#endif
