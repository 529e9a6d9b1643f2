/* corpus.h - the names and queries bench-screen runs every method on.
 *
 * A corpus is a flat list of names, each with the number of the entity it
 * names; the names of one entity are contiguous and entity numbers are
 * dense from 0. Every method (exportgate's index, the brute-force scan,
 * pg_trgm) is given exactly these names. Failures to allocate end the
 * program (a benchmark has nothing to recover). */
#ifndef BENCH_CORPUS_H
#define BENCH_CORPUS_H

#include "exportgate.h"
#include "lists/entity.h"

#include <stddef.h>
#include <stdint.h>

typedef struct bench_corpus {
	char *pool;         /* every name, NUL-terminated, back to back */
	size_t pool_len, pool_cap;
	size_t *off;        /* name i is pool + off[i] */
	uint32_t *len;      /* its length in bytes */
	uint32_t *entity;   /* its entity, non-decreasing */
	uint16_t *name_no;  /* its position within its entity */
	uint8_t *type;      /* eg_entity_type of its entity */
	uint8_t *weak;      /* 1: a weak alias */
	size_t n, cap;
	size_t n_entities;
	size_t name_bytes;  /* sum of len[] */
} bench_corpus;

static inline const char *bench_corpus_name(const bench_corpus *c, size_t i)
{
	return c->pool + c->off[i];
}

void bench_corpus_init(bench_corpus *c);
void bench_corpus_free(bench_corpus *c);
/* Appends a name of entity (entity >= the last one added). */
void bench_corpus_add(bench_corpus *c, uint32_t entity, uint16_t name_no,
                      eg_entity_type type, int weak, const char *text, size_t len);
/* Appends every name of every entity of set, entity numbers offset by
 * c->n_entities. */
void bench_corpus_add_set(bench_corpus *c, const eg__entity_set *set);
/*
 * Appends synthetic names until c holds total names, one entity each,
 * built from the tokens of the names in the sets (tokens drawn with their
 * frequency in the real names): individual-style "SURNAME, Given Middle"
 * and organisation-style "WORD WORD LEGALFORM", 2-5 tokens, shapes in the
 * proportions of the real names. Deterministic for a given seed.
 */
void bench_corpus_synth(bench_corpus *c, const eg__entity_set *const *sets, size_t n_sets,
                        size_t total, uint64_t seed);

/* One eval query, with the entities of the corpus it must find. */
typedef struct bench_query {
	const char *id;
	const char *text;
	const char *expect;   /* "" for a negative */
	uint32_t *want;       /* expected entities in the current corpus */
	size_t n_want;
} bench_query;

typedef struct bench_queries {
	bench_query *v;
	size_t n, n_pos, n_neg;
	char *buf;            /* owns the strings */
} bench_queries;

/* Loads the rows of path (screen.tsv) whose list is `list`. Returns 0, or
 * -1 with a message on stderr. */
int bench_queries_load(bench_queries *qs, const char *path, const char *list);
void bench_queries_free(bench_queries *qs);
/* Sets each query's expected entities: those with a name equal to its
 * `expect` (case-insensitive, runs of spaces folded). Returns the number of
 * positive queries whose expected entity is not in c. */
size_t bench_queries_expect(bench_queries *qs, const bench_corpus *c);

/* Memory helpers that end the program on failure. */
void *bench_xmalloc(size_t n);
void *bench_xrealloc(void *p, size_t n);

/* Monotonic clock, nanoseconds. */
uint64_t bench_now_ns(void);

#endif
