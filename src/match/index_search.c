/* index_search.c - a search: candidates gathered from the postings of the
 * query's heaviest tokens, pruned by bounds on their score, scored best
 * first; and the comparison of two names with the index's weights. */
#include "index_impl.h"
#include "util/alloc.h"
#include "util/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The prefix filter (choose_tokens) plans for a score of at least
 * PREFIX_MIN_SCORE, however low min_score, and lets a name reach it with
 * PREFIX_SLACK of the query cover the score needs (needed_cover): fuzzy
 * similarities and the aligner's merge pass give covers a little above
 * what the postings' gains add up to. Lower finds more, slower. */
#define PREFIX_MIN_SCORE 0.05
#define PREFIX_SLACK 0.85

/* What a weak alias's score is multiplied by: a low-quality name by the
 * publisher's own word. At most 1, as the bounds of prune() assume. */
#define WEAK_ALIAS_FACTOR 0.95

/* Whether eg__score_subset (parts of the name left out) applies to a name
 * of this type: a person's, or one of no known type. */
static int subset_applies(uint8_t type)
{
	return type == EG_TYPE_INDIVIDUAL || type == EG_TYPE_ANY || type == EG_TYPE_UNKNOWN;
}

/* cq^EG__SCORE_QUERY_EXP * cn^e for the covers sq / tq and sn / tn (at
 * most 1 each), as score_finish computes it: one exp of logs, in float. */
static double cover_score(double sq, double tq, double sn, double tn, float e)
{
	if (sq <= 0 || sn <= 0)
		return 0.0;
	if (sq >= tq && sn >= tn)
		return 1.0;
	return (double)expf((float)EG__SCORE_QUERY_EXP * logf(sq < tq ? (float)(sq / tq) : 1.0f) +
	                    e * logf(sn < tn ? (float)(sn / tn) : 1.0f));
}

/* The most name `name` can score, from the best similarity of each of its
 * tokens (nbest) and of each query token (qbest) in their matrix, and the
 * weights: each token matched at most at its best similarity in
 * the matrix, or fully where the merge pass may reach it
 * (eg__score_merge_reach), gives covers cq and cn no alignment exceeds;
 * every score is at most cq^EG__SCORE_QUERY_EXP * cn^e (score.h), e the
 * lesser name exponent where eg__score_subset may apply, and the passes
 * after the merge only lower it. */
static double score_bound(const eg__index_query *q, const eg__tokfeat *nf, size_t nn,
                          const float *qbest, const float *nbest, const float *wn, int subset)
{
	eg__merge_side side;
	uint64_t q_reach, n_reach;
	double sq = 0, tq = 0, sn = 0, tn = 0;
	float e = subset && EG__SUBSET_NAME_EXP < EG__SCORE_NAME_EXP ? EG__SUBSET_NAME_EXP
	                                                             : (float)EG__SCORE_NAME_EXP;
	size_t i, j;

	eg__score_merge_side(&side, nf, nn);
	eg__score_merge_reach(&q->side, q->f, q->n, &side, nf, nn, &q_reach, &n_reach);
	for (i = 0; i < q->n; i++) {
		tq += q->w[i];
		sq += q->w[i] * (q_reach >> i & 1 ? 1.0f : qbest[i]);
	}
	for (j = 0; j < nn; j++) {
		tn += wn[j];
		sn += wn[j] * (n_reach >> j & 1 ? 1.0f : nbest[j]);
	}
	return cover_score(sq, tq, sn, tn, e);
}

/* The scorer's view of the nn tokens of a name, from name_toks[start]. */
static void feats(const eg__index *ix, size_t start, size_t nn, eg__tokfeat *nf)
{
	size_t j;

	for (j = 0; j < nn; j++)
		eg__index_voc_feat(ix, ix->name_toks[start + j], &nf[j]);
}

/* Whether query token i may pair in score_name through eg__short_typo_sim
 * with a name token its lists lack (add_short_typos). */
static int typo_able(const eg__index_query *q, size_t i)
{
	return q->short_typos && eg__index_pair_word(q->f[i].cls, q->f[i].len, q->f[i].abjad,
	                                             q->f[i].native);
}

/* Pairs a query word of two letters met by nothing with a name token met
 * by nothing a letter longer ("Digital Media Lb" / DIGITAL MEDIA LAB), in
 * a query whose longer words tell the name (q->short_typos). */
static void add_short_typos(const eg__index_query *q, const eg__tokfeat *nf, size_t nn,
                            float *sim, float *qbest, float *nbest)
{
	size_t i, j;

	for (i = 0; i < q->n; i++) {
		if (qbest[i] > 0.0f || !typo_able(q, i))
			continue;
		for (j = 0; j < nn; j++) {
			float v;
			if (nbest[j] > 0.0f || (v = (float)eg__short_typo_sim(&q->f[i], &nf[j])) <= 0.0f)
				continue;
			sim[i * nn + j] = v;
			if (v > qbest[i])
				qbest[i] = v;
		}
		for (j = 0; j < nn; j++)
			if (sim[i * nn + j] > nbest[j])
				nbest[j] = sim[i * nn + j];
	}
}

/* What a bound must fall short of a threshold by for a name to be left
 * unscored: the scorer computes in float. */
#define BOUND_MARGIN 1e-4

/* Scores name `name` against the query and fills m, unless it cannot reach
 * floor (score_bound): then returns 0 and m is not filled. floor 0: every
 * name is scored. */
static int score_name(const eg__index *ix, const eg__index_query *q, uint32_t name,
                      eg__match *m, double floor)
{
	float sim[EG__NORM_MAX_TOKENS * EG__NORM_MAX_TOKENS];
	float wn[EG__NORM_MAX_TOKENS];
	float qbest[EG__NORM_MAX_TOKENS] = {0}, nbest[EG__NORM_MAX_TOKENS];
	eg__tokfeat nf[EG__NORM_MAX_TOKENS]; /* the name's tokens, made once */
	int have_nf = 0;
	size_t start = ix->name_start[name], nn = ix->name_start[name + 1] - start;
	size_t i, j;

	if (nn > EG__NORM_MAX_TOKENS)
		nn = EG__NORM_MAX_TOKENS;
	sim[0] = wn[0] = 0.0f; /* every name has a token; this quiets the compiler */
	for (j = 0; j < nn; j++) {
		uint32_t id = ix->name_toks[start + j];
		wn[j] = ix->voc[id].w > 0 ? ix->voc[id].w : 1e-3f;
		nbest[j] = 0.0f;
		for (i = 0; i < q->n; i++) {
			float v = eg__index_pair_sim(ix, q, i, id);
			sim[i * nn + j] = v;
			if (v > nbest[j])
				nbest[j] = v;
			if (v > qbest[i])
				qbest[i] = v;
		}
	}
	if (floor > 0 || q->short_typos) {
		feats(ix, start, nn, nf);
		have_nf = 1;
	}
	if (q->short_typos)
		add_short_typos(q, nf, nn, sim, qbest, nbest);
	if (floor > 0) {
		if (score_bound(q, nf, nn, qbest, nbest, wn, subset_applies(ix->name_type[name])) <
		    floor - BOUND_MARGIN)
			return 0;
	}
	eg__score_align(&m->align, sim, q->n, nn, q->w, wn);
	if (m->align.score < 0.999 || q->has_nasab) {
		uint8_t listed[EG__NORM_MAX_TOKENS];
		if (!have_nf)
			feats(ix, start, nn, nf);
		if (m->align.score < 0.999) {
			eg__score_merge(&m->align, q->f, q->n, nf, nn, q->w, wn);
			eg__score_legal_conflict(&m->align, q->f, q->n, nf, nn);
			if (subset_applies(ix->name_type[name]))
				eg__score_subset(&m->align, q->f, q->n, nf, nn);
			for (i = 0; i < q->n; i++)
				listed[i] = q->exact[i] >= 0;
			eg__score_substitution(&m->align, q->f, q->n, listed, nf, nn, q->w, wn);
		}
		if (q->has_nasab)
			eg__score_nasab_swap(&m->align, q->f, q->n, nf, nn, q->w, wn);
	}
	m->name_id = name;
	m->entity = ix->name_entity[name];
	m->name_no = ix->name_no[name];
	m->weak = ix->name_weak[name];
	m->score = m->align.score * (m->weak ? WEAK_ALIAS_FACTOR : 1.0);
	memcpy(m->wq, q->w, q->n * sizeof(float));
	return 1;
}

typedef struct cand {
	uint32_t name;
	float acc;   /* query weight matched by the tokens looked at */
	float acc_n; /* name weight matched by them */
} cand;

/* Sorts candidates by acc, largest first, in place (glibc's qsort
 * allocates and merges; this is a plain quicksort with insertion sort for
 * short runs, recursing on the smaller side). */
static void sort_cands(cand *c, size_t n)
{
	while (n > 16) {
		float pivot = c[n / 2].acc;
		size_t i = 0, j = n - 1;
		for (;;) {
			while (c[i].acc > pivot)
				i++;
			while (c[j].acc < pivot)
				j--;
			if (i >= j)
				break;
			{
				cand t = c[i];
				c[i] = c[j];
				c[j] = t;
			}
			i++;
			j--;
		}
		/* [0, j] and [j + 1, n) */
		if (j + 1 < n - j - 1) {
			sort_cands(c, j + 1);
			c += j + 1;
			n -= j + 1;
		} else {
			sort_cands(c + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	{
		size_t i, j;
		for (i = 1; i < n; i++) {
			cand t = c[i];
			for (j = i; j > 0 && c[j - 1].acc < t.acc; j--)
				c[j] = c[j - 1];
			c[j] = t;
		}
	}
}

/* The best name found so far for one entity. */
typedef struct best_rec {
	uint32_t entity, name;
	float score;
	uint32_t heap_pos; /* its place in the top heap + 1; 0: not in it */
} best_rec;

static int cmp_best(const void *a, const void *b)
{
	const best_rec *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->entity < y->entity ? -1 : x->entity > y->entity;
}

/* A min-heap of the k best entity records by score (ties in any order): the
 * root is the k-th best score, what a newcomer must beat, known at once for
 * any k. It holds indexes into the records; a record's score only grows.
 * Invariant: rec[h[i]].heap_pos == i + 1 for i < n, and every record not in
 * the heap scores at most the root's score once n == k. */
typedef struct top_heap {
	uint32_t *h;
	size_t n, k;
} top_heap;

static void heap_set(top_heap *t, best_rec *rec, size_t i, uint32_t r)
{
	t->h[i] = r;
	rec[r].heap_pos = (uint32_t)i + 1;
}

static void heap_down(top_heap *t, best_rec *rec, size_t i)
{
	uint32_t r = t->h[i];

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= t->n)
			break;
		if (c + 1 < t->n && rec[t->h[c + 1]].score < rec[t->h[c]].score)
			c++;
		if (rec[t->h[c]].score >= rec[r].score)
			break;
		heap_set(t, rec, i, t->h[c]);
		i = c;
	}
	heap_set(t, rec, i, r);
}

static void heap_up(top_heap *t, best_rec *rec, size_t i)
{
	uint32_t r = t->h[i];

	while (i > 0 && rec[t->h[(i - 1) / 2]].score > rec[r].score) {
		heap_set(t, rec, i, t->h[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(t, rec, i, r);
}

/* Record r is new or its score grew: keeps the heap the k best. Returns 1
 * when the root (the k-th best score) may have changed. */
static int heap_offer(top_heap *t, best_rec *rec, uint32_t r)
{
	if (rec[r].heap_pos != 0) {
		heap_down(t, rec, rec[r].heap_pos - 1);
		return 1;
	}
	if (t->n < t->k) {
		t->n++;
		heap_set(t, rec, t->n - 1, r);
		heap_up(t, rec, t->n - 1);
		return 1;
	}
	if (rec[r].score <= rec[t->h[0]].score)
		return 0;
	rec[t->h[0]].heap_pos = 0;
	heap_set(t, rec, 0, r);
	heap_down(t, rec, 0);
	return 1;
}

/* The k-th best score when k records are in hand, else 0. */
static double heap_floor(const top_heap *t, const best_rec *rec)
{
	return t->n == t->k && t->k > 0 ? (double)rec[t->h[0]].score : 0.0;
}

/* The most query cover a name with this accumulated gain can reach; its
 * score is at most that to the power EG__SCORE_QUERY_EXP (score.h), so it
 * is compared with needed_cover(score). */
static double cover_bound(float acc, double excluded, double total_w)
{
	return total_w > 0 ? ((double)acc + excluded) / total_w : 0.0;
}

/* score to the power 1 / EG__SCORE_QUERY_EXP. A search asks it of the same
 * two thresholds for every list: the last two answers are kept per thread. */
static double root_exp(double score)
{
	static _Thread_local double in[2] = {-1.0, -1.0}, out[2];
	static _Thread_local unsigned next;

	if (score == in[0])
		return out[0];
	if (score == in[1])
		return out[1];
	next ^= 1;
	in[next] = score;
	out[next] = pow(score, 1.0 / EG__SCORE_QUERY_EXP);
	return out[next];
}

/* The query cover a score needs at least. */
static double needed_cover(double score)
{
	return score > 0 ? root_exp(score) : 0.0;
}

/* Moves the k candidates with the largest acc to the front (quickselect,
 * Hoare partition: after it, [lo, j] >= pivot >= [i, hi)). */
static void select_top(cand *c, size_t n, size_t k)
{
	long lo = 0, hi = (long)n - 1, want = (long)k - 1;

	while (lo < hi) {
		float pivot = c[lo + (hi - lo) / 2].acc;
		long i = lo, j = hi;
		while (i <= j) {
			while (c[i].acc > pivot)
				i++;
			while (c[j].acc < pivot)
				j--;
			if (i <= j) {
				cand t = c[i];
				c[i] = c[j];
				c[j] = t;
				i++;
				j--;
			}
		}
		if (want <= j)
			hi = j;
		else if (want >= i)
			lo = i;
		else
			return;
	}
}

static int type_ok(eg_entity_type want, uint8_t have)
{
	if (want == EG_TYPE_ANY || have == EG_TYPE_UNKNOWN)
		return 1;
	if (want == EG_TYPE_ENTITY) /* organisations: anything but a person */
		return have != EG_TYPE_INDIVIDUAL;
	return want == have;
}

/* Whether entity e passes the country and date filters of opts. */
static int entity_ok(const eg__index *ix, const eg__search_opts *opts, uint32_t e)
{
	size_t i, j;

	if (e >= ix->n_ents)
		return opts->n_countries == 0 && opts->date == 0 && !opts->dated_only;
	if (opts->dated_only && (!ix->has_dates || ix->ent_start[e] == 0))
		return 0;
	if (opts->date != 0 && ix->has_dates &&
	    ((ix->ent_start[e] != 0 && ix->ent_start[e] > opts->date) ||
	     (ix->ent_end[e] != 0 && ix->ent_end[e] < opts->date)))
		return 0;
	if (opts->n_countries == 0)
		return 1;
	if (!ix->has_iso)
		return 0;
	for (i = ix->ent_iso_start[e]; i < ix->ent_iso_start[e + 1]; i++)
		for (j = 0; j < opts->n_countries; j++)
			if (ix->ent_iso[i] == opts->countries[j])
				return 1;
	return 0;
}

/* One search in progress. */
typedef struct search {
	const eg__index *ix;
	const eg__search_opts *opts;
	eg__index_query *q;
	size_t order[EG__NORM_MAX_TOKENS]; /* query tokens, heaviest first */
	size_t n_order;                    /* how many of them bring candidates */
	double total_w;                    /* the query's weight */
	double excluded;                   /* weight of the tokens not looked at,
	                                      and what a short word looked at may
	                                      gain beyond its lists (typo_able) */
	int typo_slack;                    /* a short word looked at may pair in
	                                      score_name with a name token its
	                                      lists lack: no name-cover bound */
	cand *cands;
	size_t n_cands;
	uint32_t *slots;
	size_t nslots;
	eg__arena *a;                      /* every array above but order */
} search;

/* Whether listed token id is a part of query token qi (its split) that is
 * none of its matches: a part of a listed token written apart
 * (query_split_join in index_query.c), which brings names and counts in
 * the bounds only. */
static int part_only(const eg__index_query *q, size_t qi, size_t k)
{
	size_t m;

	if (q->split_gain[qi][k] <= 0)
		return 0;
	for (m = 0; m < q->nm[qi]; m++)
		if (q->mid[qi][m] == q->split[qi][k])
			return 0;
	return 1;
}

/* The postings of token id: the name count. */
static size_t postings_of(const eg__index *ix, uint32_t id)
{
	return ix->post_start[id + 1] - ix->post_start[id];
}

/* Prefix filtering: a name must match query weight of at least `need` to
 * reach min_score, so only the heaviest tokens whose complement weighs
 * less than that bring candidates. Sets order, n_order, total_w, excluded;
 * returns the number of postings they hold. */
static size_t choose_tokens(search *s)
{
	const eg__index_query *q = s->q;
	double need, floor_score;
	size_t i, k, postings = 0;

	s->total_w = 0;
	for (i = 0; i < q->n; i++) {
		s->order[i] = i;
		s->total_w += q->w[i];
	}
	for (i = 1; i < q->n; i++) {
		size_t v = s->order[i], j = i;
		while (j > 0 && q->w[s->order[j - 1]] < q->w[v]) {
			s->order[j] = s->order[j - 1];
			j--;
		}
		s->order[j] = v;
	}
	floor_score = s->opts->min_score > PREFIX_MIN_SCORE ? s->opts->min_score : PREFIX_MIN_SCORE;
	need = root_exp(floor_score) * PREFIX_SLACK * s->total_w;
	s->excluded = s->total_w;
	s->n_order = 0;
	s->typo_slack = 0;
	for (i = 0; i < q->n && s->excluded >= need; i++) {
		eg__index_listed_parts(s->ix, s->q, s->order[i]);
		if (q->parts_full[s->order[i]]) {
			/* parts left out: any name may match it whole */
		} else if (typo_able(q, s->order[i])) {
			/* a short word's lists lack the pairs
			 * eg__short_typo_sim makes in score_name: what they
			 * may add stays in the bound */
			s->excluded -= q->w[s->order[i]] * (1.0 - EG__SHORT_CHANGED_SIM);
			s->typo_slack = 1;
		} else {
			s->excluded -= q->w[s->order[i]];
		}
		s->n_order++;
		for (k = 0; k < q->nm[s->order[i]]; k++)
			postings += postings_of(s->ix, q->mid[s->order[i]][k]);
		for (k = 0; k < q->n_split[s->order[i]]; k++)
			if (part_only(q, s->order[i], k))
				postings += postings_of(s->ix, q->split[s->order[i]][k]);
	}
	/* a token with parts left out may cover any of a name's tokens */
	for (i = 0; i < q->n; i++)
		s->typo_slack |= q->parts_full[i];
	return postings;
}

/* Adds the names of token id's postings that pass the filters to the
 * candidates, each with query weight gain and name weight gain_n. */
static void gather_postings(search *s, uint32_t id, float gain, float gain_n)
{
	const eg__index *ix = s->ix;
	int filtered = s->opts->n_countries > 0 || s->opts->date != 0 || s->opts->dated_only;
	int typed = s->opts->type != EG_TYPE_ANY; /* else no name's type is read */
	uint32_t p;

	for (p = ix->post_start[id]; p < ix->post_start[id + 1]; p++) {
		uint32_t name = ix->post[p];
		size_t sl = ((size_t)name * 2654435761u) & (s->nslots - 1);
		cand *c;
		if (typed && !type_ok(s->opts->type, ix->name_type[name]))
			continue;
		while (s->slots[sl] != 0 && s->cands[s->slots[sl] - 1].name != name)
			sl = (sl + 1) & (s->nslots - 1);
		if (s->slots[sl] == 0) {
			/* the filters, when the name is first met: before any cut */
			if (filtered && !entity_ok(ix, s->opts, ix->name_entity[name]))
				continue;
			c = &s->cands[s->n_cands];
			c->name = name;
			c->acc = gain;
			c->acc_n = gain_n;
			s->slots[sl] = (uint32_t)++s->n_cands;
		} else if (gain > 0) {
			/* Sums over query tokens; a name holding two spellings
			 * of one token is slightly favoured, which only orders
			 * candidates and loosens the bounds. */
			c = &s->cands[s->slots[sl] - 1];
			c->acc += gain;
			c->acc_n += gain_n;
		}
	}
}

/* Gathers the names of the chosen tokens' postings that pass the filters,
 * each with the query and name weight its tokens match. Returns 0 or
 * EG_ENOMEM. */
static int gather(search *s, size_t postings)
{
	const eg__index *ix = s->ix;
	const eg__index_query *q = s->q;
	size_t i, k;

	/* Initials-only queries reach nothing through the keys. */
	s->nslots = 64;
	while (s->nslots < postings * 2 + 2)
		s->nslots *= 2;
	s->slots = eg__arena_calloc(s->a, s->nslots, sizeof(uint32_t));
	s->cands = eg__arena_alloc(s->a, (postings + 1) * sizeof(cand));
	if (s->slots == NULL || s->cands == NULL)
		return EG_ENOMEM;
	for (i = 0; i < s->n_order; i++) {
		size_t qi = s->order[i];
		for (k = 0; k < q->nm[qi]; k++) {
			uint32_t id = q->mid[qi][k];
			/* a part of a token written apart or with a moved
			 * boundary may be matched whole by the merge pass: see
			 * eg__index_query's split */
			int part = eg__index_split_part(q, qi, id);
			float gain = part >= 0 && q->split_gain[qi][part] > 0
			             ? q->split_gain[qi][part] : q->w[qi] * q->msim[qi][k];
			float gain_n = part < 0 ? ix->voc[id].w * q->msim[qi][k]
			                        : fmaxf(ix->voc[id].w, q->split_gain_n[qi][part]);
			gather_postings(s, id, gain, gain_n);
		}
		for (k = 0; k < q->n_split[qi]; k++)
			if (part_only(q, qi, k))
				gather_postings(s, q->split[qi][k], q->split_gain[qi][k],
				                q->split_gain_n[qi][k]);
	}
	return 0;
}

/* How many candidates ahead prune() asks for the records it reads. */
#define PRUNE_AHEAD 8

/* Drops the candidates that cannot reach min_score. A name's query cover
 * is at most cq = (acc + excluded) / total_w and its name cover at most
 * cn = (acc_n + excluded_n) / name_w, so its score at most
 * cq^EG__SCORE_QUERY_EXP * cn^e (score.h). */
static void prune(search *s)
{
	const eg__index *ix = s->ix;
	const eg__index_query *q = s->q;
	double need_c = needed_cover(s->opts->min_score), excluded_n = 0.0;
	float min_score = (float)s->opts->min_score - 1e-6f;
	size_t i, k, w = 0;

	/* the most name weight the tokens not looked at could match, a
	 * pair of name tokens where the merge pass may take them for one
	 * (the parts of an unlisted split or of a join; a listed token's
	 * split is made only for the tokens looked at) */
	for (i = s->n_order; i < q->n; i++) {
		size_t qi = s->order[i];
		float m = 0.0f;
		for (k = 0; k < q->nm[qi]; k++)
			if (ix->voc[q->mid[qi][k]].w > m)
				m = ix->voc[q->mid[qi][k]].w;
		for (k = 0; k < q->n_split[qi]; k++)
			if (q->split_gain_n[qi][k] > m)
				m = q->split_gain_n[qi][k];
		excluded_n += m;
	}
	for (i = 0; i < s->n_cands; i++) {
		const cand *c = &s->cands[i];
		double cq = cover_bound(c->acc, s->excluded, s->total_w), cn;
		uint8_t type;
		float ne;
		if (i + PRUNE_AHEAD < s->n_cands) {
			EG__PREFETCH(&ix->name_type[s->cands[i + PRUNE_AHEAD].name]);
			EG__PREFETCH(&ix->name_w[s->cands[i + PRUNE_AHEAD].name]);
		}
		type = ix->name_type[c->name];
		if (cq < need_c)
			continue;
		/* e is EG__SUBSET_NAME_EXP when eg__score_subset may apply,
		 * which needs every query token matched at
		 * EG__SUBSET_MIN_SIM or more */
		ne = cq >= EG__SUBSET_MIN_SIM && subset_applies(type)
		     ? EG__SUBSET_NAME_EXP : (float)EG__SCORE_NAME_EXP;
		cn = s->typo_slack ? 1.0 : ((double)c->acc_n + excluded_n) / ix->name_w[c->name];
		if (cq < 1.0 && cn < 1.0 &&
		    expf((float)EG__SCORE_QUERY_EXP * logf((float)cq) + ne * logf((float)cn)) <
		        min_score)
			continue;
		if (cq >= 1.0 && cn < 1.0 && powf((float)cn, ne) < min_score)
			continue;
		s->cands[w++] = *c;
	}
	s->n_cands = w;
}

/* The candidates are scored in an order known ahead, and each reads its
 * name's records in six arrays, its tokens' in the vocabulary and their
 * texts: while candidate i is scored, those of the candidates after it are
 * asked for, each level one candidate ahead of the level it depends on. */
static void prefetch_ahead(const eg__index *ix, const cand *c, size_t n, size_t i)
{
	uint32_t j;

	if (i + 4 < n) {
		uint32_t name = c[i + 4].name;
		EG__PREFETCH(&ix->name_start[name]);
		EG__PREFETCH(&ix->name_entity[name]);
		EG__PREFETCH(&ix->name_no[name]);
		EG__PREFETCH(&ix->name_weak[name]);
		EG__PREFETCH(&ix->name_type[name]);
	}
	if (i + 3 < n)
		EG__PREFETCH(&ix->name_toks[ix->name_start[c[i + 3].name]]);
	if (i + 2 < n)
		for (j = ix->name_start[c[i + 2].name]; j < ix->name_start[c[i + 2].name + 1]; j++)
			EG__PREFETCH(&ix->voc[ix->name_toks[j]]);
	if (i + 1 < n)
		for (j = ix->name_start[c[i + 1].name]; j < ix->name_start[c[i + 1].name + 1]; j++)
			EG__PREFETCH(ix->pool + ix->voc[ix->name_toks[j]].off);
}

/* Scores the candidates, most promising first, keeping the best name of
 * each entity; writes the max_out best into out. Once max_out entities are
 * in hand, a candidate whose bound is below the weakest of them cannot
 * enter, and as candidates come in decreasing bound, none after it can. */
static int rank(search *s, eg__match *out, size_t max_out, size_t *n_out, size_t *scored)
{
	const eg__index *ix = s->ix;
	best_rec *best = NULL;
	top_heap top = {NULL, 0, max_out};
	size_t i, n_best = 0;
	double floor_cover = 0.0;

	best = eg__arena_alloc(s->a, (s->n_cands + 1) * sizeof(*best));
	top.h = eg__arena_alloc(s->a, ((max_out < s->n_cands ? max_out : s->n_cands) + 1) *
	                              sizeof(uint32_t));
	/* a table of the entities seen, sized for the candidates left */
	s->nslots = 16;
	while (s->nslots < s->n_cands * 2 + 2)
		s->nslots *= 2;
	s->slots = eg__arena_calloc(s->a, s->nslots, sizeof(uint32_t));
	if (best == NULL || top.h == NULL || s->slots == NULL)
		return EG_ENOMEM;
	for (i = 0; i < s->n_cands; i++) {
		eg__match m;
		size_t sl;
		uint32_t r;
		if (top.n == top.k &&
		    cover_bound(s->cands[i].acc, s->excluded, s->total_w) < floor_cover)
			break;
		prefetch_ahead(ix, s->cands, s->n_cands, i);
		(*scored)++;
		if (!score_name(ix, s->q, s->cands[i].name, &m, s->opts->min_score) ||
		    m.score < s->opts->min_score)
			continue;
		sl = ((size_t)m.entity * 2654435761u) & (s->nslots - 1);
		while (s->slots[sl] != 0 && best[s->slots[sl] - 1].entity != m.entity)
			sl = (sl + 1) & (s->nslots - 1);
		if (s->slots[sl] == 0) {
			r = (uint32_t)n_best++;
			best[r].entity = m.entity;
			best[r].heap_pos = 0;
			s->slots[sl] = r + 1;
		} else if (m.score > best[s->slots[sl] - 1].score) {
			r = s->slots[sl] - 1;
		} else {
			continue;
		}
		best[r].name = m.name_id;
		best[r].score = (float)m.score;
		if (heap_offer(&top, best, r))
			floor_cover = needed_cover(heap_floor(&top, best));
	}
	qsort(best, n_best, sizeof(*best), cmp_best);
	/* The full alignment, for the explanation, of the returned ones only. */
	for (i = 0; i < n_best && i < max_out; i++)
		(void)score_name(ix, s->q, best[i].name, &out[i], 0.0);
	*n_out = i;
	return 0;
}

int eg__index_search(const eg__index *ix, eg__match *out, size_t max_out,
                     size_t *n_out, size_t *scored, const eg__norm *norm,
                     const eg__search_opts *opts, eg_error *err)
{
	search s;
	eg__index_qprep *qp, *own = NULL;
	size_t scored_here = 0;
	size_t max_cands = opts->max_candidates ? opts->max_candidates : (size_t)-1;
	int rc = 0;

	*n_out = 0;
	if (scored != NULL)
		*scored = 0;
	if (norm->n == 0 || ix->n_names == 0 || max_out == 0)
		return 0;
	memset(&s, 0, sizeof(s));
	s.ix = ix;
	s.opts = opts;
	/* the preparation is the caller's, but for its memo and scratch
	 * space, which every search changes (one thread at a time) */
	qp = (eg__index_qprep *)opts->qprep;
	if (qp == NULL) {
		if ((rc = eg__index_qprep_new(&own, norm, err)) != 0)
			return rc;
		qp = own;
	} else if (qp->norm != norm) {
		return eg__error_set(err, EG_EINVAL, "search: the preparation of another query");
	}
	s.a = &qp->scratch;
	eg__arena_rewind(s.a);
	if ((s.q = eg__arena_alloc(s.a, sizeof(*s.q))) == NULL ||
	    (rc = eg__index_query_prepare(ix, s.q, qp, s.a)) != 0 ||
	    (rc = gather(&s, choose_tokens(&s))) != 0) {
		rc = EG_ENOMEM;
		rc = eg__error_set(err, rc, "search: out of memory");
		goto done;
	}
	prune(&s);
	if (s.n_cands > max_cands) {
		select_top(s.cands, s.n_cands, max_cands);
		s.n_cands = max_cands;
	}
	sort_cands(s.cands, s.n_cands);
	rc = rank(&s, out, max_out, n_out, &scored_here);
	if (rc != 0) {
		rc = eg__error_set(err, rc, "search: out of memory");
		goto done;
	}
	if (scored != NULL)
		*scored = scored_here;
done:
	/* a large query's arrays are not kept for the next search */
	eg__arena_rewind(s.a);
	eg__index_qprep_free(own);
	return rc;
}

/* Raises row `row` of the similarity matrix sim (columns every `stride`,
 * n of them) to what each reading of the word `row` stands for meets in
 * the other name's tokens `other`: as index_query.c judges a query word no
 * list holds. */
typedef struct reading_ud {
	const eg__tokfeat *other;
	size_t n, stride;
	float *row;
	uint8_t abjad; /* the word's script: a transcription's readings are one */
} reading_ud;

static void reading_one(void *ud, const char *text, size_t len)
{
	reading_ud *r = ud;
	char skel[EG__RESPELL_MAX + 1], phon[EG__RESPELL_MAX + 1];
	eg__token t = {text, (uint16_t)len, EG__TOK_WORD, r->abjad, 0};
	eg__tokfeat f;
	size_t j;

	eg__index_token_feat(&f, &t, skel, phon);
	for (j = 0; j < r->n; j++) {
		float v;
		if (r->other[j].cls != EG__TOK_WORD)
			continue;
		v = eg__reading_value(&f, &r->other[j], eg__token_sim(&f, &r->other[j]));
		if (v > r->row[j * r->stride])
			r->row[j * r->stride] = v;
	}
}

/* Reads word t through other languages' spelling habits (a transcription
 * through the habits of transcription), once, against
 * every token of the other name (row: t's similarities, every stride). */
static void reading_sims(const eg__tokfeat *t, const eg__tokfeat *other, size_t n, float *row,
                         size_t stride)
{
	reading_ud r = {other, n, stride, row, t->abjad};

	if (t->cls == EG__TOK_WORD && t->native == 0)
		eg__text_respell(t->text, t->len, t->abjad, reading_one, &r);
}

/* What add_short_typos does in a search, for two names compared: x the
 * query's side (its tokens every xs in sim, the other side's every ys). */
static void compare_short_typos(const eg__tokfeat *x, size_t nx, const eg__tokfeat *y,
                                size_t ny, float *sim, size_t xs, size_t ys)
{
	size_t i, j, k, n_long = 0;

	for (i = 0; i < nx; i++)
		n_long += eg__index_long_word(x[i].cls, x[i].len);
	if (n_long < EG__SHORT_TOKEN_CONTEXT)
		return;
	for (i = 0; i < nx; i++) {
		int met = 0;
		for (j = 0; j < ny && !met; j++)
			met = sim[i * xs + j * ys] > 0.0f;
		if (met || !eg__index_pair_word(x[i].cls, x[i].len, x[i].abjad, x[i].native))
			continue;
		for (j = 0; j < ny; j++) {
			for (k = 0, met = 0; k < nx && !met; k++)
				met = sim[k * xs + j * ys] > 0.0f;
			if (!met)
				sim[i * xs + j * ys] = (float)eg__short_typo_sim(&x[i], &y[j]);
		}
	}
}

double eg__index_compare(const eg__index *ix, const eg__norm *a, const eg__norm *b)
{
	float sim[EG__NORM_MAX_TOKENS * EG__NORM_MAX_TOKENS];
	float wa[EG__NORM_MAX_TOKENS], wb[EG__NORM_MAX_TOKENS];
	eg__tokfeat fa[EG__NORM_MAX_TOKENS], fb[EG__NORM_MAX_TOKENS];
	char sk[2][EG__NORM_MAX_TOKENS][64], ph[2][EG__NORM_MAX_TOKENS][64];
	uint8_t listed[2][EG__NORM_MAX_TOKENS];
	eg__alignment al;
	const eg__norm *side[2] = {a, b};
	eg__tokfeat *feat[2] = {fa, fb};
	float *w[2] = {wa, wb};
	size_t s, i, j;

	if (a->n == 0 || b->n == 0)
		return 0.0;
	for (s = 0; s < 2; s++) {
		for (i = 0; i < side[s]->n; i++) {
			const eg__token *t = &side[s]->tok[i];
			long id = eg__index_voc_find(ix, t->text, t->len, NULL);
			eg__index_token_feat(&feat[s][i], t, sk[s][i], ph[s][i]);
			listed[s][i] = id >= 0;
			w[s][i] = id >= 0 ? ix->voc[id].w
			                  : ix->w_unknown *
			                    (float)eg__token_factor(t->text, t->len, t->cls);
			if (w[s][i] <= 0.0f)
				w[s][i] = 1e-3f;
		}
	}
	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++) {
			float v = (float)eg__token_sim(&fa[i], &fb[j]);
			if (v < EG__NICKNAME_SIM && fa[i].cls == EG__TOK_WORD && fb[j].cls == EG__TOK_WORD &&
			    eg__text_nickname_pair(fa[i].text, fa[i].len, fb[j].text, fb[j].len))
				v = EG__NICKNAME_SIM;
			sim[i * b->n + j] = v;
		}
	/* as a search reads a query word */
	for (i = 0; i < a->n; i++)
		if (eg__index_reads(listed[0][i], &fa[i]))
			reading_sims(&fa[i], fb, b->n, &sim[i * b->n], 1);
	for (j = 0; j < b->n; j++)
		if (eg__index_reads(listed[1][j], &fb[j]))
			reading_sims(&fb[j], fa, a->n, &sim[j], b->n);
	/* as a search pairs a short word met by nothing, either name the
	 * query */
	compare_short_typos(fa, a->n, fb, b->n, sim, 1, b->n);
	compare_short_typos(fb, b->n, fa, a->n, sim, b->n, 1);
	eg__score_align(&al, sim, a->n, b->n, wa, wb);
	eg__score_merge(&al, fa, a->n, fb, b->n, wa, wb);
	eg__score_legal_conflict(&al, fa, a->n, fb, b->n);
	eg__score_subset(&al, fa, a->n, fb, b->n);
	eg__score_substitution(&al, fa, a->n, listed[0], fb, b->n, wa, wb);
	eg__score_nasab_swap(&al, fa, a->n, fb, b->n, wa, wb);
	{
		/* Two names compared have no query side: score both ways and
		 * keep the better, so the shorter may be either. */
		eg__alignment al2;
		float simt[EG__NORM_MAX_TOKENS * EG__NORM_MAX_TOKENS];
		for (i = 0; i < a->n; i++)
			for (j = 0; j < b->n; j++)
				simt[j * a->n + i] = sim[i * b->n + j];
		eg__score_align(&al2, simt, b->n, a->n, wb, wa);
		eg__score_merge(&al2, fb, b->n, fa, a->n, wb, wa);
		eg__score_legal_conflict(&al2, fb, b->n, fa, a->n);
		eg__score_subset(&al2, fb, b->n, fa, a->n);
		eg__score_substitution(&al2, fb, b->n, listed[1], fa, a->n, wb, wa);
		eg__score_nasab_swap(&al2, fb, b->n, fa, a->n, wb, wa);
		return al.score > al2.score ? al.score : al2.score;
	}
}
