/* index_search.c - a search: candidates gathered from the postings of the
 * query's heaviest tokens, pruned by bounds on their score, scored best
 * first; and the comparison of two names with the index's weights. */
#include "index_impl.h"
#include "util/alloc.h"
#include "util/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CANDIDATES 400

/* Scores name `name` against the query; fills m. */
static void score_name(const eg__index *ix, const eg__index_query *q, uint32_t name,
                       eg__match *m)
{
	float sim[EG__NORM_MAX_TOKENS * EG__NORM_MAX_TOKENS];
	float wn[EG__NORM_MAX_TOKENS];
	size_t start = ix->name_start[name], nn = ix->name_start[name + 1] - start;
	size_t i, j;

	if (nn > EG__NORM_MAX_TOKENS)
		nn = EG__NORM_MAX_TOKENS;
	sim[0] = wn[0] = 0.0f; /* every name has a token; this quiets the compiler */
	for (j = 0; j < nn; j++) {
		uint32_t id = ix->name_toks[start + j];
		wn[j] = ix->voc[id].w > 0 ? ix->voc[id].w : 1e-3f;
		for (i = 0; i < q->n; i++)
			sim[i * nn + j] = eg__index_pair_sim(ix, q, i, id);
	}
	eg__score_align(&m->align, sim, q->n, nn, q->w, wn);
	if (m->align.score < 0.999) {
		eg__tokfeat nf[EG__NORM_MAX_TOKENS];
		for (j = 0; j < nn; j++)
			eg__index_voc_feat(ix, ix->name_toks[start + j], &nf[j]);
		eg__score_merge(&m->align, q->f, q->n, nf, nn, q->w, wn);
		eg__score_legal_conflict(&m->align, q->f, q->n, nf, nn);
		/* parts left out: of a person's name, or one of no known type */
		if (ix->name_type[name] == EG_TYPE_INDIVIDUAL || ix->name_type[name] == EG_TYPE_ANY)
			eg__score_subset(&m->align, q->f, q->n, nf, nn);
	}
	m->name_id = name;
	m->entity = ix->name_entity[name];
	m->name_no = ix->name_no[name];
	m->weak = ix->name_weak[name];
	/* A weak alias is a low-quality name by the publisher's own word. */
	m->score = m->align.score * (m->weak ? 0.95 : 1.0);
	memcpy(m->wq, q->w, q->n * sizeof(float));
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
} best_rec;

static int cmp_best(const void *a, const void *b)
{
	const best_rec *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->entity < y->entity ? -1 : x->entity > y->entity;
}

/* The most query cover a name with this accumulated gain can reach; its
 * score is at most that to the power 0.6 (score.c), so it is compared with
 * needed_cover(score). */
static double cover_bound(float acc, double excluded, double total_w)
{
	return total_w > 0 ? ((double)acc + excluded) / total_w : 0.0;
}

/* The query cover a score needs at least. */
static double needed_cover(double score)
{
	return score > 0 ? pow(score, 1.0 / 0.6) : 0.0;
}

/* The k-th best score among n entity records (k <= n): what a newcomer
 * must beat. Linear, as n stays small next to the candidates. */
static double weakest(const best_rec *b, size_t n, size_t k)
{
	float top[64];
	size_t i, j, m = 0;

	if (k > 64)
		return 0.0;
	for (i = 0; i < n; i++) {
		/* keep top[] sorted descending, at most k long */
		for (j = m; j > 0 && top[j - 1] < b[i].score; j--)
			if (j < k)
				top[j] = top[j - 1];
		if (j < k) {
			top[j] = b[i].score;
			if (m < k)
				m++;
		}
	}
	return m == k ? top[k - 1] : 0.0;
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
	if (want == EG_TYPE_ANY)
		return 1;
	if (want == EG_TYPE_ENTITY) /* organisations: anything but a person */
		return have != EG_TYPE_INDIVIDUAL;
	return want == have;
}

int eg__index_search(const eg__index *ix, eg__match *out, size_t max_out,
                     size_t *n_out, size_t *scored, const eg__norm *norm,
                     const eg__search_opts *opts, eg_error *err)
{
	eg__index_query *q = NULL;
	size_t order[EG__NORM_MAX_TOKENS];
	cand *cands = NULL;
	uint32_t *slots = NULL;
	best_rec *best = NULL;
	size_t scored_here = 0, *scored_names = &scored_here;
	size_t i, k, n_order = 0, nslots, n_cands = 0, postings = 0, n_best = 0;
	size_t max_cands = opts->max_candidates ? opts->max_candidates : DEFAULT_CANDIDATES;
	double total_w = 0, excluded, need, floor_score = 0.0;
	int rc = 0, dirty = 1;

	*n_out = 0;
	if (scored != NULL)
		*scored = 0;
	if (norm->n == 0 || ix->n_names == 0)
		return 0;
	q = eg__malloc(sizeof(*q));
	if (q == NULL)
		return eg__error_set(err, EG_ENOMEM, "search: out of memory");
	if ((rc = eg__index_query_prepare(ix, q, norm)) != 0) {
		rc = eg__error_set(err, rc, "search: out of memory");
		goto done;
	}
	/* Prefix filtering: a name must match query weight of at least
	 * `need` to reach min_score, so only the heaviest tokens whose
	 * complement weighs less than that can bring candidates. */
	for (i = 0; i < q->n; i++) {
		order[i] = i;
		total_w += q->w[i];
	}
	for (i = 1; i < q->n; i++) {
		size_t v = order[i], j = i;
		while (j > 0 && q->w[order[j - 1]] < q->w[v]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = v;
	}
	need = pow(opts->min_score > 0.05 ? opts->min_score : 0.05, 1.0 / 0.6) * 0.85 * total_w;
	excluded = total_w;
	for (i = 0; i < q->n && excluded >= need; i++) {
		excluded -= q->w[order[i]];
		n_order++;
		for (k = 0; k < q->nm[order[i]]; k++) {
			uint32_t id = q->mid[order[i]][k];
			postings += ix->post_start[id + 1] - ix->post_start[id];
		}
	}
	/* Initials-only queries reach nothing through the keys. */
	nslots = 64;
	while (nslots < postings * 2 + 2)
		nslots *= 2;
	slots = eg__calloc(nslots, sizeof(uint32_t));
	cands = eg__malloc((postings + 1) * sizeof(cand));
	if (slots == NULL || cands == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "search: out of memory");
		goto done;
	}
	for (i = 0; i < n_order; i++) {
		size_t qi = order[i];
		for (k = 0; k < q->nm[qi]; k++) {
			uint32_t id = q->mid[qi][k];
			float gain = q->w[qi] * q->msim[qi][k];
			float gain_n = ix->voc[id].w * q->msim[qi][k];
			uint32_t p;
			for (p = ix->post_start[id]; p < ix->post_start[id + 1]; p++) {
				uint32_t name = ix->post[p];
				size_t s = ((size_t)name * 2654435761u) & (nslots - 1);
				if (!type_ok(opts->type, ix->name_type[name]))
					continue;
				while (slots[s] != 0 && cands[slots[s] - 1].name != name)
					s = (s + 1) & (nslots - 1);
				if (slots[s] == 0) {
					cands[n_cands].name = name;
					cands[n_cands].acc = gain;
					cands[n_cands].acc_n = gain_n;
					slots[s] = (uint32_t)++n_cands;
				} else if (gain > 0) {
					/* Sums over query tokens; a name holding two
					 * spellings of one token is slightly favoured,
					 * which only orders candidates and loosens the
					 * bounds. */
					cands[slots[s] - 1].acc += gain;
					cands[slots[s] - 1].acc_n += gain_n;
				}
			}
		}
	}
	/* A name's query cover is at most (acc + excluded) / total_w, and its
	 * score at most that to the power 0.6 (see score.c): drop the names
	 * that cannot reach min_score, keep the max_cands most promising, and
	 * score them best first. */
	{
		size_t w = 0;
		double need_c = needed_cover(opts->min_score);
		double excluded_n = 0.0;
		/* the most name weight the tokens not looked at could match */
		for (i = n_order; i < q->n; i++) {
			float m = 0.0f;
			for (k = 0; k < q->nm[order[i]]; k++)
				if (ix->voc[q->mid[order[i]][k]].w > m)
					m = ix->voc[q->mid[order[i]][k]].w;
			excluded_n += m;
		}
		for (i = 0; i < n_cands; i++) {
			double cq = cover_bound(cands[i].acc, excluded, total_w), cn;
			float ne;
			if (cq < need_c)
				continue;
			/* score <= cq^0.6 * cn^0.4 (score.c), or cn^0.25 when
			 * eg__score_subset may apply, which needs every query
			 * token matched at 0.9 or more */
			ne = cq >= EG__SUBSET_MIN_SIM &&
			     (ix->name_type[cands[i].name] == EG_TYPE_INDIVIDUAL ||
			      ix->name_type[cands[i].name] == EG_TYPE_ANY)
			     ? EG__SUBSET_NAME_EXP : 0.4f;
			cn = ((double)cands[i].acc_n + excluded_n) / ix->name_w[cands[i].name];
			if (cq < 1.0 && cn < 1.0 &&
			    expf(0.6f * logf((float)cq) + ne * logf((float)cn)) <
			        (float)opts->min_score - 1e-6f)
				continue;
			if (cq >= 1.0 && cn < 1.0 && powf((float)cn, ne) <
			        (float)opts->min_score - 1e-6f)
				continue;
			cands[w++] = cands[i];
		}
		n_cands = w;
	}
	if (n_cands > max_cands) {
		select_top(cands, n_cands, max_cands);
		n_cands = max_cands;
	}
	sort_cands(cands, n_cands);
	best = eg__malloc((n_cands + 1) * sizeof(*best));
	if (best == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "search: out of memory");
		goto done;
	}
	/* Keep the best name of each entity, in a table sized for the
	 * candidates left. Once max_out entities are in hand, a candidate whose
	 * bound is below the weakest of them cannot enter. */
	nslots = 16;
	while (nslots < n_cands * 2 + 2)
		nslots *= 2;
	eg__free(slots);
	slots = eg__calloc(nslots, sizeof(uint32_t));
	if (slots == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "search: out of memory");
		goto done;
	}
	for (i = 0; i < n_cands; i++) {
		eg__match m;
		size_t s;
		double bound = cover_bound(cands[i].acc, excluded, total_w);
		if (n_best >= max_out && dirty) {
			floor_score = needed_cover(weakest(best, n_best, max_out));
			dirty = 0;
		}
		if (n_best >= max_out && bound < floor_score)
			break;
		score_name(ix, q, cands[i].name, &m);
		(*scored_names)++;
		if (m.score < opts->min_score)
			continue;
		s = ((size_t)m.entity * 2654435761u) & (nslots - 1);
		while (slots[s] != 0 && best[slots[s] - 1].entity != m.entity)
			s = (s + 1) & (nslots - 1);
		if (slots[s] == 0) {
			best[n_best].entity = m.entity;
			best[n_best].name = m.name_id;
			best[n_best].score = (float)m.score;
			slots[s] = (uint32_t)++n_best;
			dirty = 1;
		} else if (m.score > best[slots[s] - 1].score) {
			best[slots[s] - 1].name = m.name_id;
			best[slots[s] - 1].score = (float)m.score;
			dirty = 1;
		}
	}
	if (scored != NULL)
		*scored = *scored_names;
	qsort(best, n_best, sizeof(*best), cmp_best);
	/* The full alignment, for the explanation, of the returned ones only. */
	for (i = 0; i < n_best && i < max_out; i++)
		score_name(ix, q, best[i].name, &out[i]);
	*n_out = i;
done:
	eg__free(best);
	eg__free(cands);
	eg__free(slots);
	if (q != NULL)
		eg__index_query_free(q);
	eg__free(q);
	return rc;
}

double eg__index_compare(const eg__index *ix, const eg__norm *a, const eg__norm *b)
{
	float sim[EG__NORM_MAX_TOKENS * EG__NORM_MAX_TOKENS];
	float wa[EG__NORM_MAX_TOKENS], wb[EG__NORM_MAX_TOKENS];
	eg__tokfeat fa[EG__NORM_MAX_TOKENS], fb[EG__NORM_MAX_TOKENS];
	char sk[2][EG__NORM_MAX_TOKENS][64], ph[2][EG__NORM_MAX_TOKENS][64];
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
	eg__score_align(&al, sim, a->n, b->n, wa, wb);
	eg__score_merge(&al, fa, a->n, fb, b->n, wa, wb);
	eg__score_legal_conflict(&al, fa, a->n, fb, b->n);
	eg__score_subset(&al, fa, a->n, fb, b->n);
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
		return al.score > al2.score ? al.score : al2.score;
	}
}
