/* brute.h - the baseline a simple implementation would be: score every
 * name of the corpus with plain Jaro-Winkler and keep the best.
 *
 * Names are lowercased once (ASCII letters; other bytes as they are) when
 * the scanner is made; a search lowercases the query, scores it against
 * each whole name, keeps each entity's best name and returns the top
 * entities. No index, no tokens, no normalisation beyond case. */
#ifndef BENCH_BRUTE_H
#define BENCH_BRUTE_H

#include "corpus.h"
#include "results.h"

typedef struct bench_brute bench_brute;

/* Lowercases a copy of every name of c (which must outlive the scanner). */
bench_brute *bench_brute_new(const bench_corpus *c);
void bench_brute_free(bench_brute *b);
/* Scores q (len bytes) against every name; out gets the top entities. */
void bench_brute_search(const bench_brute *b, const char *q, size_t len, bench_result *out);
/* Jaro-Winkler similarity of two byte strings (prefix scale 0.1, prefix
 * up to 4), in [0,1]. */
double bench_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);

#endif
