/* results.h - one method's answer to one query: its top entities, best first. */
#ifndef BENCH_RESULTS_H
#define BENCH_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_TOP 10

typedef struct bench_hit {
	uint32_t entity;
	double score;
} bench_hit;

typedef struct bench_result {
	bench_hit hit[BENCH_TOP]; /* best first */
	size_t n;
} bench_result;

/* Offers (entity, score) to a top list kept sorted, best first; an entity
 * already in the list keeps its best score. */
static inline void bench_result_offer(bench_result *r, uint32_t entity, double score)
{
	size_t i, at;

	for (i = 0; i < r->n; i++) {
		if (r->hit[i].entity == entity) {
			if (score <= r->hit[i].score)
				return;
			/* remove it, then insert below */
			for (; i + 1 < r->n; i++)
				r->hit[i] = r->hit[i + 1];
			r->n--;
			break;
		}
	}
	if (r->n == BENCH_TOP && score <= r->hit[BENCH_TOP - 1].score)
		return;
	at = r->n < BENCH_TOP ? r->n : BENCH_TOP - 1;
	while (at > 0 && r->hit[at - 1].score < score) {
		r->hit[at] = r->hit[at - 1];
		at--;
	}
	r->hit[at].entity = entity;
	r->hit[at].score = score;
	if (r->n < BENCH_TOP)
		r->n++;
}

#endif
