/* index_query.c - the query side of a search: each query token's
 * features, its exact and fuzzy matches in the vocabulary (through the
 * fuzzy keys, split and joined spellings, diminutives) and its weight. */
#include "index_impl.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"

#include <string.h>

#define MAX_TOKEN_MATCHES 256 /* fuzzy matches kept per query token */

typedef struct keys_ud {
	const eg__index *ix;
	eg__index_query *q;
	size_t qi;
	eg__index_qprep *qp;
} keys_ud;

/* Adds id to the vocabulary tokens query token k->qi has been compared
 * with in this index, matched or not, so that a token met through several
 * keys is judged once; 1 if it was there already. The set (in the qprep,
 * an open addressing table) is emptied for each token and index by a new
 * stamp, not by clearing it; when half full, tokens are judged again. */
static int judged_add(keys_ud *k, uint32_t id)
{
	eg__index_qprep *qp = k->qp;
	uint64_t want = ((uint64_t)qp->judged_stamp << 32) | ((uint64_t)id + 1);
	size_t j = (id * 0x9E3779B1u) & (EG__JUDGED_SLOTS - 1);

	for (;;) {
		if (qp->judged[j] == want)
			return 1;
		if ((uint32_t)(qp->judged[j] >> 32) != qp->judged_stamp)
			break; /* empty: a stamp of another token */
		j = (j + 1) & (EG__JUDGED_SLOTS - 1);
	}
	if (qp->n_judged < EG__JUDGED_SLOTS / 2) {
		qp->judged[j] = want;
		qp->n_judged++;
	}
	return 0;
}

/* Empties the judged set for the next token or index. */
static void judged_reset(eg__index_qprep *qp)
{
	if (++qp->judged_stamp == 0) { /* wrapped: every old stamp could come back */
		memset(qp->judged, 0, sizeof(qp->judged));
		qp->judged_stamp = 1;
	}
	qp->n_judged = 0;
}

/* eg__token_sim of query token qi and vocabulary token f, remembered in
 * qp for the searches of the other indexes (which hold many of the same
 * tokens): the similarity depends on the two tokens' text, class and
 * script only. */
static double memo_sim(eg__index_qprep *qp, size_t qi, const eg__tokfeat *qf,
                       const eg__tokfeat *f)
{
	uint32_t h = (uint32_t)eg__hash_bytes(f->text, f->len) ^ (uint32_t)(qi * 0x9E3779B1u);
	size_t i = h & (EG__QMEMO_SLOTS - 1);
	eg__qmemo *m;
	double s;

	for (;; i = (i + 1) & (EG__QMEMO_SLOTS - 1)) {
		m = &qp->memo[i];
		if (!(qp->memo_used[i / 64] >> (i % 64) & 1))
			break;
		if (m->hash == h && m->qi == qi && m->len == f->len && m->cls == f->cls &&
		    m->abjad == f->abjad && memcmp(m->text, f->text, f->len) == 0)
			return m->sim;
	}
	s = eg__token_sim(qf, f);
	if (qp->n_memo < EG__QMEMO_SLOTS / 4 * 3) {
		m->text = f->text;
		m->hash = h;
		m->len = (uint16_t)f->len;
		m->qi = (uint8_t)qi;
		m->cls = f->cls;
		m->abjad = f->abjad;
		m->sim = (float)s;
		qp->memo_used[i / 64] |= (uint64_t)1 << (i % 64);
		qp->n_memo++;
	}
	return s;
}

/* Appends (id, s) to the matches of query token qi, which has room and
 * does not hold id. */
static void append_match(eg__index_query *q, size_t qi, uint32_t id, float s)
{
	q->mid[qi][q->nm[qi]] = id;
	q->msim[qi][q->nm[qi]] = s;
	q->nm[qi]++;
}

/* Adds (id, s) to the matches of query token qi, or raises the similarity
 * of id there. Full, the weakest match gives way to a stronger one, so
 * that the matches kept are the best MAX_TOKEN_MATCHES whatever order
 * the keys met them in. */
static int add_match(eg__index_query *q, size_t qi, uint32_t id, float s)
{
	size_t k, weakest = 0;

	for (k = 0; k < q->nm[qi]; k++) {
		if (q->mid[qi][k] == id) {
			if (s > q->msim[qi][k])
				q->msim[qi][k] = s;
			return 0;
		}
		if (q->msim[qi][k] < q->msim[qi][weakest])
			weakest = k;
	}
	if (q->nm[qi] >= MAX_TOKEN_MATCHES) {
		if (s > q->msim[qi][weakest] && (long)q->mid[qi][weakest] != q->exact[qi]) {
			q->mid[qi][weakest] = id;
			q->msim[qi][weakest] = s;
		}
		return 0;
	}
	append_match(q, qi, id, s);
	return 0;
}

/* A vocabulary token met through a fuzzy key, on its way to be judged. */
#define LOOKUP_BATCH 64

/* Judges the vocabulary tokens ids[0..n) for query token k->qi: their
 * similarity, remembered across indexes, and a match where it is above 0.
 * Their records were asked for ahead (below); the text of the token two
 * places on is asked for while this one is compared. */
static void judge_batch(keys_ud *k, const uint32_t *ids, size_t n)
{
	const eg__index *ix = k->ix;
	size_t j;

	/* While the judged set has taken every token met (it is not full),
	 * none of these is among the matches yet: no need to look. */
	int fresh = k->qp->n_judged < EG__JUDGED_SLOTS / 2;

	for (j = 0; j < n; j++) {
		eg__index_query *q = k->q;
		eg__tokfeat f;
		double s;
		if (j + 2 < n)
			EG__PREFETCH(ix->pool + ix->voc[ids[j + 2]].off);
		eg__index_voc_feat(ix, ids[j], &f);
		s = memo_sim(k->qp, k->qi, &q->f[k->qi], &f);
		if (s <= 0)
			continue;
		if (fresh && q->nm[k->qi] < MAX_TOKEN_MATCHES)
			append_match(q, k->qi, ids[j], (float)s);
		else
			add_match(q, k->qi, ids[j], (float)s);
	}
}

/* Looks up the fuzzy keys of query token k->qi: the vocabulary tokens each
 * key meets, in the order of the keys and of their entries, each judged
 * once. A search waits on memory more than it computes, and the keys are
 * known ahead, so the lookups go in stages, each asking for what the next
 * reads before reading it: the keys' home slots, then their first entries,
 * then the records of the tokens met. The tokens are judged in the order
 * one key at a time would judge them, so the matches kept are the same. */
static void lookup_keys(keys_ud *k, const uint32_t *key, const char *kind, size_t n_keys)
{
	const eg__index *ix = k->ix;
	uint8_t qa = k->q->f[k->qi].abjad;
	int sounded_query = qa == EG__SCRIPT_ABJAD || qa == EG__SCRIPT_TRANSCRIBED;
	size_t first[EG__QPREP_MAX_KEYS];
	uint32_t ids[LOOKUP_BATCH];
	size_t i, n_ids = 0;

	if (ix->n_fz_slots == 0)
		return;
	for (i = 0; i < n_keys; i++)
		EG__PREFETCH(&ix->fz_slots[eg__index_fz_home(ix, key[i])]);
	for (i = 0; i < n_keys; i++) {
		first[i] = eg__index_fz_first(ix, key[i]);
		if (first[i] < ix->n_fuzzy)
			EG__PREFETCH(&ix->fuzzy[first[i]]);
	}
	for (i = 0; i < n_keys; i++) {
		/* A sound key only tells something when one side is abjad or a
		 * transcription; Latin spellings meet through the other keys. */
		int need_sounded = (kind[i] == 'S' || kind[i] == 'T') && !sounded_query;
		size_t lo;
		for (lo = first[i]; lo < ix->n_fuzzy && (ix->fuzzy[lo] >> 32) == key[i]; lo++) {
			uint32_t id = eg__index_fz_id(ix->fuzzy[lo]);
			if (need_sounded && !(ix->fuzzy[lo] & EG__FZ_SOUNDED))
				continue;
			/* a token met through another key is already judged */
			if (judged_add(k, id))
				continue;
			EG__PREFETCH(&ix->voc[id]);
			ids[n_ids++] = id;
			if (n_ids == LOOKUP_BATCH) {
				judge_batch(k, ids, n_ids);
				n_ids = 0;
			}
		}
	}
	judge_batch(k, ids, n_ids);
}

/* Two adjacent abjad words of a compound name that a list writes as one
 * (eg__abjad_compound: حزب الله "hzb allh", HIZBALLAH): the joined word's
 * abjad key is looked up, and a listed word it meets is a match of both. */
typedef struct pair_ud {
	const eg__index *ix;
	eg__index_query *q;
	size_t qi; /* the first of the two */
	const eg__tokfeat *joined;
} pair_ud;

static int lookup_pair_key(void *ud, uint32_t key, char kind)
{
	pair_ud *p = ud;
	const eg__index *ix = p->ix;
	size_t lo;

	(void)kind;
	for (lo = eg__index_fz_first(ix, key); lo < ix->n_fuzzy && (ix->fuzzy[lo] >> 32) == key;
	     lo++) {
		uint32_t id = eg__index_fz_id(ix->fuzzy[lo]);
		eg__tokfeat f;
		double s;
		eg__index_voc_feat(ix, id, &f);
		s = eg__token_sim(p->joined, &f);
		if (s >= 0.9) {
			/* both: the aligner gives the word to one, the merge
			 * pass the pair to the word */
			add_match(p->q, p->qi, id, (float)s);
			add_match(p->q, p->qi + 1, id, (float)s);
		}
	}
	return 0;
}

static void query_abjad_pairs(const eg__index *ix, eg__index_query *q)
{
	size_t i;

	for (i = 0; i + 1 < q->n; i++) {
		const eg__tokfeat *a = &q->f[i], *b = &q->f[i + 1];
		char text[64], skel[64], phon[64], key[64];
		eg__tokfeat jf;
		pair_ud ud = {ix, q, i, &jf};
		size_t kl;

		if (!eg__abjad_compound(a, b) || (size_t)a->len + b->len > 40)
			continue;
		memcpy(text, a->text, a->len);
		memcpy(text + a->len, b->text, b->len);
		memset(&jf, 0, sizeof(jf));
		jf.text = text;
		jf.len = (uint16_t)(a->len + b->len);
		jf.cls = EG__TOK_WORD;
		jf.abjad = EG__SCRIPT_ABJAD;
		jf.skel = skel;
		jf.skel_len = (uint16_t)eg__text_skeleton(skel, text, jf.len);
		jf.phon = phon;
		jf.phon_len = (uint16_t)eg__text_phonetic(phon, text, jf.len);
		kl = eg__abjad_key(key, skel, jf.skel_len);
		eg__index_abjad_key_lookup(key, kl, lookup_pair_key, &ud);
	}
}

/* Notes listed token id as a part of query token qi (eg__index_query's
 * split) that may cover query weight gain (0: its similarity only) and
 * name weight gain_n; no part left out without a word (parts_full). */
static void note_part(eg__index_query *q, size_t qi, uint32_t id, float gain, float gain_n)
{
	int k;

	if ((k = eg__index_split_part(q, qi, id)) >= 0) {
		if (gain > q->split_gain[qi][k])
			q->split_gain[qi][k] = gain;
		if (gain_n > q->split_gain_n[qi][k])
			q->split_gain_n[qi][k] = gain_n;
	} else if (q->n_split[qi] < EG__PARTS_MAX) {
		q->split[qi][q->n_split[qi]] = id;
		q->split_gain_n[qi][q->n_split[qi]] = gain_n;
		q->split_gain[qi][q->n_split[qi]++] = gain;
	} else if (gain > 0) {
		q->parts_full[qi] = 1;
	}
}

/* A part that is a match of the query token too, at similarity s. */
static void add_part(eg__index_query *q, size_t qi, uint32_t id, float s, float gain,
                     float gain_n)
{
	add_match(q, qi, id, s);
	note_part(q, qi, id, gain, gain_n);
}

/* Adds listed tokens a and b as parts of query tokens qa and qb (the same
 * token when it splits in two), matched at sa and sb. The rarer may cover
 * the query weight of both: it is a part of the heavier query token too
 * (at a similarity of nothing, if not its own), since a search looks a
 * lighter token up only with the heavier (choose_tokens). */
static void add_parts(const eg__index *ix, eg__index_query *q, size_t qa, uint32_t a,
                      float sa, size_t qb, uint32_t b, float sb)
{
	float both = q->w[qa] + (qb != qa ? q->w[qb] : 0.0f);
	int a_rarer = ix->voc[a].w >= ix->voc[b].w;
	size_t heavy = q->w[qa] >= q->w[qb] ? qa : qb, rare_q = a_rarer ? qa : qb;

	add_part(q, qa, a, sa, 0.0f, ix->voc[a].w);
	add_part(q, qb, b, sb, 0.0f, ix->voc[b].w);
	/* the name weight of both: the bound on a name's cover counts the
	 * most a query token left out of the search may cover (prune) */
	add_part(q, heavy, a_rarer ? a : b, heavy == rare_q ? (a_rarer ? sa : sb) : 0.01f, both,
	         ix->voc[a].w + ix->voc[b].w);
}

/* Two adjacent query tokens whose boundary a typist moved by a letter or
 * two ("ALS-HAMI", "ALHA-SAN" for AL-SHAMI, AL-HASAN): where both tokens
 * with the boundary put back are listed, each is a part of its query
 * token, matched at the share of letters they have in common. The merge
 * pass scores the pair; this only brings the candidates, which the
 * heaviest tokens' own matches do not. */
static void query_moved_boundary(const eg__index *ix, eg__index_query *q)
{
	char a[64], b[64];
	size_t i, s;
	int dir;

	for (i = 0; i + 1 < q->n; i++) {
		const eg__tokfeat *x = &q->f[i], *y = &q->f[i + 1];
		if (x->cls == EG__TOK_NUMBER || y->cls == EG__TOK_NUMBER || x->len + y->len > 60)
			continue;
		for (s = 1; s <= 2; s++) {
			for (dir = 0; dir < 2; dir++) {
				size_t la, lb;
				long ia, ib;
				if (dir == 0) { /* x's last s letters to y's start */
					if (x->len < s + 2)
						continue;
					la = x->len - s;
					lb = y->len + s;
					memcpy(a, x->text, la);
					memcpy(b, x->text + la, s);
					memcpy(b + s, y->text, y->len);
				} else { /* y's first s letters to x's end */
					if (y->len < s + 2)
						continue;
					la = x->len + s;
					lb = y->len - s;
					memcpy(a, x->text, x->len);
					memcpy(a + x->len, y->text, s);
					memcpy(b, y->text + s, lb);
				}
				if ((ia = eg__index_voc_find(ix, a, la, NULL)) < 0 ||
				    (ib = eg__index_voc_find(ix, b, lb, NULL)) < 0)
					continue;
				add_parts(ix, q, i, (uint32_t)ia,
				          0.95f * (float)(la < x->len ? la : x->len) /
				                  (float)(la > x->len ? la : x->len),
				          i + 1, (uint32_t)ib,
				          0.95f * (float)(lb < y->len ? lb : y->len) /
				                  (float)(lb > y->len ? lb : y->len));
			}
		}
	}
}

typedef int (*split_fn)(void *ud, size_t k, uint32_t a, uint32_t b);

/* Calls fn(ud, k, a, b) for each split point k of token f where both parts
 * are listed, a and b their ids, until fn returns nonzero. */
static void split_points(const eg__index *ix, const eg__tokfeat *f, split_fn fn, void *ud)
{
	size_t k;
	/* the prefixes' hashes one letter at a time */
	uint64_t h = eg__hash_step(eg__hash_step(EG__HASH_INIT, (unsigned char)f->text[0]),
	                           (unsigned char)f->text[1]);

	for (k = 2; k + 2 <= f->len; h = eg__hash_step(h, (unsigned char)f->text[k]), k++) {
		long a = eg__index_voc_find_hashed(ix, f->text, k, h, NULL);
		long b = a >= 0 ? eg__index_voc_find(ix, f->text + k, f->len - k, NULL) : -1;
		if (b >= 0 && fn(ud, k, (uint32_t)a, (uint32_t)b) != 0)
			return;
	}
}

typedef struct split_ud {
	const eg__index *ix;
	eg__index_query *q;
	size_t qi, n_pairs;
} split_ud;

/* Each part alone stands for its share of the token; the aligner's merge
 * pass credits the two together. Every split point counts ("jongun": "jon
 * gun", "jong un"), not the first only. */
static int unlisted_split(void *ud, size_t k, uint32_t a, uint32_t b)
{
	split_ud *u = ud;
	size_t len = u->q->f[u->qi].len;

	add_parts(u->ix, u->q, u->qi, a, 0.95f * (float)k / len, u->qi, b,
	          0.95f * (float)(len - k) / len);
	return u->q->n_split[u->qi] == 2 * EG__SPLIT_MAX;
}

static int listed_split(void *ud, size_t k, uint32_t a, uint32_t b)
{
	split_ud *u = ud;
	const eg__index *ix = u->ix;

	(void)k;
	note_part(u->q, u->qi, ix->voc[a].w >= ix->voc[b].w ? a : b, u->q->w[u->qi],
	          ix->voc[a].w + ix->voc[b].w);
	return ++u->n_pairs == EG__SPLIT_MAX;
}

void eg__index_listed_parts(const eg__index *ix, eg__index_query *q, size_t qi)
{
	split_ud u = {ix, q, qi, 0};

	if (q->exact[qi] >= 0 && q->f[qi].len >= 5 && q->f[qi].cls != EG__TOK_NUMBER)
		split_points(ix, &q->f[qi], listed_split, &u);
}

/* Names written together on one side and apart on the other: a query
 * token that is two listed tokens joined ("alaqsa": "al" + "aqsa") matches
 * both, and two or three adjacent query tokens that form one listed token
 * ("siemens ag": "siemensag") match it, so candidates are found; the
 * aligner's merge pass scores them. */
static void query_split_join(const eg__index *ix, eg__index_query *q)
{
	char buf[128];
	size_t i;

	for (i = 0; i < q->n; i++) {
		split_ud u = {ix, q, i, 0};
		if (q->exact[i] < 0 && q->f[i].len >= 5 && q->f[i].cls != EG__TOK_NUMBER)
			split_points(ix, &q->f[i], unlisted_split, &u);
	}
	for (i = 0; i + 1 < q->n; i++) {
		size_t la = q->f[i].len, lb = q->f[i + 1].len;
		long id;
		if (la + lb > sizeof(buf) || q->f[i].cls == EG__TOK_NUMBER ||
		    q->f[i + 1].cls == EG__TOK_NUMBER)
			continue;
		memcpy(buf, q->f[i].text, la);
		memcpy(buf + la, q->f[i + 1].text, lb);
		/* a run of fewer than 4 letters is no word the merge pass joins */
		if (la + lb >= 4 && (id = eg__index_voc_find(ix, buf, la + lb, NULL)) >= 0) {
			/* the merge pass may match the two whole: each counts
			 * its weight in the bounds */
			add_part(q, i, (uint32_t)id, 0.95f, q->w[i], ix->voc[id].w);
			add_part(q, i + 1, (uint32_t)id, 0.95f, q->w[i + 1], ix->voc[id].w);
		}
		/* three a listed word joins ("s a dec v" for SADECV): the merge
		 * pass matches them whole too; a part of each in the bounds only */
		if (i + 2 < q->n && q->f[i + 2].cls != EG__TOK_NUMBER &&
		    la + lb + q->f[i + 2].len >= 4 && la + lb + q->f[i + 2].len <= sizeof(buf)) {
			size_t k;
			memcpy(buf + la + lb, q->f[i + 2].text, q->f[i + 2].len);
			id = eg__index_voc_find(ix, buf, la + lb + q->f[i + 2].len, NULL);
			for (k = i; id >= 0 && k < i + 3; k++)
				note_part(q, k, (uint32_t)id, q->w[k], ix->voc[id].w);
		}
	}
}

/* Two query words a typist split ("helicop ter", "muha mmad") that the
 * merge pass (score.c's run_sim) matches whole to a listed word one edit
 * from their join (HELICOPTERS, MOHAMMAD): the listed word is a part of
 * both, with their weights, to bring the names that hold it and count it
 * in the bounds. Only where one of the two is not listed, as a typist's
 * fragment is not: two listed words joined stay each their own. The
 * join's deletion keys are made once per query (eg__index_qprep_new). */
static void query_typed_apart(const eg__index *ix, eg__index_query *q, const eg__index_qprep *qp)
{
	size_t i, k, lo;

	for (i = 0; i + 1 < q->n; i++) {
		const eg__qtok *t = &qp->tok[i];
		size_t len = (size_t)q->f[i].len + q->f[i + 1].len;
		if (t->n_join_keys == 0 || (q->exact[i] >= 0 && q->exact[i + 1] >= 0) ||
		    ix->n_fz_slots == 0)
			continue;
		for (k = 0; k < t->n_join_keys; k++) {
			for (lo = eg__index_fz_first(ix, t->join_key[k]);
			     lo < ix->n_fuzzy && (ix->fuzzy[lo] >> 32) == t->join_key[k]; lo++) {
				uint32_t id = eg__index_fz_id(ix->fuzzy[lo]);
				const char *text = ix->pool + ix->voc[id].off;
				if (ix->voc[id].len < 6 || text[0] != q->f[i].text[0] ||
				    !eg__text_one_edit(t->join_text, len, text, ix->voc[id].len))
					continue;
				note_part(q, i, id, q->w[i], ix->voc[id].w);
				note_part(q, i + 1, id, q->w[i + 1], ix->voc[id].w);
			}
		}
	}
}

double eg__index_neighbour_sim(size_t len, size_t n_query, size_t n_long)
{
	if (n_query <= EG__SHORT_QUERY_TOKENS)
		return EG__SHORT_QUERY_SIM;
	if (len <= EG__SHORT_TOKEN_LEN && n_long < EG__SHORT_TOKEN_CONTEXT)
		return EG__SHORT_TOKEN_SIM;
	return 0.0;
}

/* Drops the fuzzy matches of query token qi, itself listed (its exact
 * match is the first), below need: see eg__index_neighbour_sim. */
static void drop_near_neighbours(eg__index_query *q, size_t qi, double need)
{
	size_t k, w = 0;

	for (k = 0; k < q->nm[qi]; k++) {
		if (q->mid[qi][k] != (uint32_t)q->exact[qi] && q->msim[qi][k] < need)
			continue;
		q->mid[qi][w] = q->mid[qi][k];
		q->msim[qi][w] = q->msim[qi][k];
		w++;
	}
	q->nm[qi] = w;
}

void eg__index_cap_unseen(float *w, const unsigned char *seen, size_t n)
{
	double sum = 0.0, cap;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (seen[i]) {
			sum += w[i];
			k++;
		}
	}
	if (k < EG__UNSEEN_MIN_SEEN)
		return;
	cap = EG__UNSEEN_CAP * sum / (double)k;
	for (i = 0; i < n; i++)
		if (!seen[i] && w[i] > cap)
			w[i] = (float)cap;
}

/* A query token the vocabulary holds nothing like: see
 * eg__index_cap_unseen. */
static void cap_unseen(eg__index_query *q)
{
	unsigned char seen[EG__NORM_MAX_TOKENS] = {0};
	size_t i;

	for (i = 0; i < q->n; i++)
		seen[i] = q->nm[i] > 0;
	eg__index_cap_unseen(q->w, seen, q->n);
}

static int collect_key(void *ud, uint32_t key, char kind)
{
	eg__qtok *t = ud;

	if (t->n_keys >= EG__QPREP_MAX_KEYS)
		return EG_ETOOBIG; /* eg__index_token_keys makes fewer: never */
	t->key[t->n_keys] = key;
	t->kind[t->n_keys] = kind;
	t->n_keys++;
	return 0;
}

static int collect_join_key(void *ud, uint32_t key, char kind)
{
	eg__qtok *t = ud;

	if (kind != 'D')
		return 0;
	if (t->n_join_keys >= EG__JOIN_MAX_KEYS)
		return EG_ETOOBIG; /* a text of 40 letters has 41: never */
	t->join_key[t->n_join_keys++] = key;
	return 0;
}

/* The deletion keys of query token i and the next joined, for
 * query_typed_apart. */
static void join_keys(eg__index_qprep *qp, size_t i)
{
	const eg__token *x = &qp->norm->tok[i], *y = &qp->norm->tok[i + 1];
	eg__qtok *t = &qp->tok[i];
	size_t len = (size_t)x->len + y->len;

	t->n_join_keys = 0;
	if (x->cls == EG__TOK_NUMBER || y->cls == EG__TOK_NUMBER || len < 6 ||
	    len >= EG__JOIN_MAX_KEYS)
		return;
	memcpy(t->join_text, x->text, x->len);
	memcpy(t->join_text + x->len, y->text, y->len);
	t->join_text[len] = '\0';
	if (eg__index_token_keys(t->join_text, len, EG__TOK_WORD, 0, 1, NULL, 0, NULL, 0,
	                         collect_join_key, t) != 0)
		t->n_join_keys = 0; /* never: see collect_join_key */
}

static void collect_nick(void *ud, const char *text, size_t len)
{
	eg__index_qprep *qp = ud;

	if (qp->n_nick == qp->cap_nick) {
		size_t ncap = qp->cap_nick ? qp->cap_nick * 2 : 16;
		eg__qnick *p = eg__realloc(qp->nick, ncap * sizeof(*p));
		if (p == NULL) {
			qp->oom = 1;
			return;
		}
		qp->nick = p;
		qp->cap_nick = ncap;
	}
	qp->nick[qp->n_nick].text = text;
	qp->nick[qp->n_nick].len = len;
	qp->nick[qp->n_nick].hash = eg__hash_bytes(text, len);
	qp->n_nick++;
}

/* The keys a reading is looked up by: a listed word's own key and
 * deletions ('D'), wildcards ('W') and phonetic key ('P'), and a
 * transcription's reading its sound key ('T'); the abjad keys are for
 * other scripts. */
static int collect_var_key(void *ud, uint32_t key, char kind)
{
	eg__qvar *v = ud;

	if (kind != 'D' && kind != 'W' && kind != 'P' && kind != 'T')
		return 0;
	if (v->n_keys >= EG__QVAR_MAX_KEYS)
		return EG_ETOOBIG; /* a reading of EG__RESPELL_MAX letters has fewer */
	v->key[v->n_keys++] = key;
	return 0;
}

static void collect_var(void *ud, const char *text, size_t len)
{
	eg__index_qprep *qp = ud;
	eg__qvar *v;

	if (qp->oom)
		return;
	if (qp->n_var == qp->cap_var) {
		size_t ncap = qp->cap_var ? qp->cap_var * 2 : 8;
		eg__qvar *p = eg__realloc(qp->var, ncap * sizeof(*p));
		if (p == NULL) {
			qp->oom = 1;
			return;
		}
		qp->var = p;
		qp->cap_var = ncap;
	}
	v = &qp->var[qp->n_var];
	memcpy(v->text, text, len);
	v->text[len] = '\0';
	v->abjad = qp->var_abjad;
	{
		eg__token t = {v->text, (uint16_t)len, EG__TOK_WORD, v->abjad, 0};
		eg__tokfeat f;
		eg__index_token_feat(&f, &t, v->skel, v->phon);
		v->len = f.len;
		v->skel_len = f.skel_len;
		v->phon_len = f.phon_len;
	}
	v->n_keys = 0;
	if (eg__index_token_keys(v->text, len, EG__TOK_WORD, v->abjad, 1, v->skel, v->skel_len, v->phon,
	                         v->phon_len, collect_var_key, v) != 0)
		return; /* never: see collect_var_key */
	qp->n_var++;
}

/* The features of reading v, pointing into v. */
static void var_feat(const eg__qvar *v, eg__tokfeat *f)
{
	memset(f, 0, sizeof(*f));
	f->text = v->text;
	f->len = v->len;
	f->skel = v->skel;
	f->skel_len = v->skel_len;
	f->phon = v->phon;
	f->phon_len = v->phon_len;
	f->cls = EG__TOK_WORD;
	f->abjad = v->abjad;
}

/* Makes the readings of query token qi through other languages' spelling
 * habits (a Latin word) or the habits of transcription (a word Kana, Han
 * or Hangul spelt sound by sound), once. 0 or EG_ENOMEM. */
static int make_readings(eg__index_qprep *qp, size_t qi)
{
	eg__qtok *t = &qp->tok[qi];

	if (t->var_made)
		return 0;
	t->var_made = 1;
	t->var_start = qp->n_var;
	if (t->f.cls == EG__TOK_WORD && t->f.native == 0) {
		qp->var_abjad = t->f.abjad;
		eg__text_respell(t->f.text, t->f.len, t->f.abjad, collect_var, qp);
	}
	t->var_end = qp->n_var;
	return qp->oom ? EG_ENOMEM : 0;
}

/* Looks up the readings of query token k->qi, which the index does not
 * hold: a listed word a reading meets is a match with EG__RESPELL_SIM
 * times its similarity to the reading. The keys of all readings are
 * looked up in stages, as in lookup_keys.
 * 0 or EG_ENOMEM. */
static int lookup_readings(keys_ud *k)
{
	const eg__index *ix = k->ix;
	eg__index_query *q = k->q;
	const eg__qtok *t;
	size_t first[EG__RESPELL_READINGS * EG__QVAR_MAX_KEYS];
	size_t r, i, j, lo, n = 0;
	int rc;

	if ((rc = make_readings(k->qp, k->qi)) != 0)
		return rc;
	t = &k->qp->tok[k->qi];
	if (ix->n_fz_slots == 0 || t->var_start == t->var_end)
		return 0;
	for (r = t->var_start; r < t->var_end; r++)
		for (i = 0; i < k->qp->var[r].n_keys; i++)
			EG__PREFETCH(&ix->fz_slots[eg__index_fz_home(ix, k->qp->var[r].key[i])]);
	for (r = t->var_start; r < t->var_end; r++)
		for (i = 0; i < k->qp->var[r].n_keys; i++) {
			first[n] = eg__index_fz_first(ix, k->qp->var[r].key[i]);
			if (first[n] < ix->n_fuzzy)
				EG__PREFETCH(&ix->fuzzy[first[n]]);
			n++;
		}
	for (r = t->var_start, j = 0; r < t->var_end; r++) {
		const eg__qvar *v = &k->qp->var[r];
		/* a similarity of EG__RESPELL_MIN_SIM needs nearly the length */
		size_t slack = v->len / 8 > 2 ? v->len / 8 : 2;
		eg__tokfeat vf;
		var_feat(v, &vf);
		for (i = 0; i < v->n_keys; i++, j++) {
			for (lo = first[j]; lo < ix->n_fuzzy && (ix->fuzzy[lo] >> 32) == v->key[i]; lo++) {
				uint32_t id = eg__index_fz_id(ix->fuzzy[lo]);
				const eg__index_voc *rec = &ix->voc[id];
				eg__tokfeat f;
				double sim;
				if (rec->cls != EG__TOK_WORD || rec->len + slack < v->len ||
				    rec->len > v->len + slack)
					continue;
				eg__index_voc_feat(ix, id, &f);
				sim = eg__reading_value(&vf, &f, eg__token_sim(&vf, &f));
				if (sim > 0.0)
					add_match(q, k->qi, id, (float)sim);
			}
		}
	}
	return 0;
}

int eg__index_qprep_new(eg__index_qprep **out, const eg__norm *norm, eg_error *err)
{
	eg__index_qprep *qp;
	size_t i, head = sizeof(*qp) + norm->n * sizeof(qp->tok[0]);

	*out = NULL;
	/* One block: the struct, its n tokens, then the memo. Only what the
	 * query uses is initialised. */
	head = (head + sizeof(void *) - 1) / sizeof(void *) * sizeof(void *);
	if ((qp = eg__malloc(head + EG__QMEMO_SLOTS * sizeof(*qp->memo))) == NULL)
		return eg__error_set(err, EG_ENOMEM, "search: out of memory");
	qp->memo = (eg__qmemo *)((char *)qp + head);
	eg__arena_init(&qp->scratch, EG__SCRATCH_BLOCK);
	qp->norm = norm;
	qp->n = norm->n;
	qp->n_memo = 0;
	memset(qp->memo_used, 0, sizeof(qp->memo_used));
	memset(qp->judged, 0, sizeof(qp->judged));
	qp->judged_stamp = 0;
	qp->n_judged = 0;
	qp->nick = NULL;
	qp->n_nick = qp->cap_nick = 0;
	qp->var = NULL;
	qp->n_var = qp->cap_var = 0;
	qp->oom = 0;
	qp->n_long = 0;
	qp->has_pair_word = 0;
	for (i = 0; i < qp->n; i++) {
		qp->n_long += eg__index_long_word(norm->tok[i].cls, norm->tok[i].len);
		qp->has_pair_word |= eg__index_pair_word(norm->tok[i].cls, norm->tok[i].len,
		                                         norm->tok[i].abjad, norm->tok[i].native);
	}
	for (i = 0; i < qp->n; i++) {
		const eg__token *t = &norm->tok[i];
		eg__qtok *qt = &qp->tok[i];
		size_t art;
		int rc;
		eg__index_token_feat(&qt->f, t, qt->skel, qt->phon);
		qt->hash = eg__hash_bytes(t->text, t->len);
		qt->factor = (float)eg__token_factor(t->text, t->len, t->cls);
		qt->n_keys = 0;
		qt->var_made = 0;
		qt->var_start = qt->var_end = 0;
		rc = eg__index_token_keys(t->text, t->len, t->cls, t->abjad, 1, qt->f.skel,
		                          qt->f.skel_len, qt->f.phon, qt->f.phon_len, collect_key, qt);
		if (rc == 0 && t->abjad == EG__SCRIPT_ABJAD) {
			/* its waw read as v: the abjad key of that spelling */
			char vk[64];
			size_t vl = eg__abjad_key_v(vk, qt->f.skel,
			                            qt->f.skel_len < 63 ? qt->f.skel_len : 63);
			if (vl >= 3)
				rc = eg__index_abjad_key_lookup(vk, vl, collect_key, qt);
		}
		art = eg__abjad_article(t->text, t->len, t->abjad);
		if (rc == 0 && art > 0 && t->len - art < 63) {
			/* the word without its article: lists write it apart */
			char sk[64], ph[64];
			size_t sl = eg__text_skeleton(sk, t->text + art, t->len - art);
			size_t pl = eg__text_phonetic(ph, t->text + art, t->len - art);
			rc = eg__index_token_keys(t->text + art, t->len - art, t->cls, t->abjad, 1, sk,
			                          sl, ph, pl, collect_key, qt);
		}
		if (rc != 0) {
			eg__index_qprep_free(qp);
			return eg__error_set(err, rc, "search: more than %d fuzzy keys for a token",
			                     EG__QPREP_MAX_KEYS);
		}
		qt->nick_start = qp->n_nick;
		if (t->cls == EG__TOK_WORD)
			eg__text_nicknames(t->text, t->len, collect_nick, qp);
		if (t->native != 0) /* a Han character's Korean readings */
			eg__text_han_readings(t->native, t->text, t->len, collect_nick, qp);
		qt->nick_end = qp->n_nick;
	}
	for (i = 0; i < qp->n; i++)
		if (i + 1 < qp->n)
			join_keys(qp, i);
		else
			qp->tok[i].n_join_keys = 0;
	if (qp->oom) {
		eg__index_qprep_free(qp);
		return eg__error_set(err, EG_ENOMEM, "search: out of memory");
	}
	*out = qp;
	return 0;
}

void eg__index_qprep_free(eg__index_qprep *qp)
{
	if (qp == NULL)
		return;
	eg__free(qp->nick);
	eg__free(qp->var);
	eg__arena_clear(&qp->scratch);
	eg__free(qp);
}

/* Prepares the query: features, exact and fuzzy matches, weights. */
int eg__index_query_prepare(const eg__index *ix, eg__index_query *q, const eg__index_qprep *qp,
                            eg__arena *a)
{
	size_t i, k, total = 0;
	uint32_t *mids;
	float *msims;

	/* Only what the query uses is initialised: the struct is ~6 KiB. */
	q->n = qp->n;
	q->has_nasab = 0;
	q->short_typos = qp->has_pair_word && qp->n_long >= EG__SHORT_TOKEN_CONTEXT;
	for (i = 1; i + 1 < q->n; i++)
		q->has_nasab |= eg__score_nasab_link(&qp->tok[i].f);
	q->pkeys = NULL;
	q->psim = NULL;
	mids = eg__arena_alloc(a, q->n * MAX_TOKEN_MATCHES * (sizeof(uint32_t) + sizeof(float)));
	if (mids == NULL)
		return EG_ENOMEM;
	msims = (float *)(mids + q->n * MAX_TOKEN_MATCHES);
	for (i = 0; i < q->n; i++) {
		q->mid[i] = mids + i * MAX_TOKEN_MATCHES;
		q->msim[i] = msims + i * MAX_TOKEN_MATCHES;
		q->nm[i] = 0;
		q->n_split[i] = 0;
		q->parts_full[i] = 0;
	}
	for (i = 0; i < q->n; i++) {
		const eg__qtok *t = &qp->tok[i];
		keys_ud ud = {ix, q, i, (eg__index_qprep *)qp};

		q->f[i] = t->f;
		q->exact[i] = eg__index_voc_find_hashed(ix, t->f.text, t->f.len, t->hash, NULL);
		judged_reset(ud.qp);
		if (q->exact[i] >= 0) {
			add_match(q, i, (uint32_t)q->exact[i], 1.0f);
			(void)judged_add(&ud, (uint32_t)q->exact[i]);
		}
		lookup_keys(&ud, t->key, t->kind, t->n_keys);
		if (q->exact[i] >= 0)
			drop_near_neighbours(q, i, eg__index_neighbour_sim(t->f.len, qp->n, qp->n_long));
		if (eg__index_reads(q->exact[i] >= 0, &t->f) && lookup_readings(&ud) != 0)
			return EG_ENOMEM;
		for (k = t->nick_start; k < t->nick_end; k++) {
			const eg__qnick *nk = &qp->nick[k];
			long id = eg__index_voc_find_hashed(ix, nk->text, nk->len, nk->hash, NULL);
			if (id >= 0)
				add_match(q, i, (uint32_t)id, EG__NICKNAME_SIM);
		}
		/* The weight of a query token: its own rarity when listed;
		 * otherwise that of its closest listed spelling; otherwise the
		 * rarest weight, since a token never listed is strong evidence. */
		if (q->exact[i] >= 0) {
			q->w[i] = ix->voc[q->exact[i]].w;
		} else {
			float best = 0.0f;
			float cap;
			q->w[i] = ix->w_unknown * t->factor;
			cap = q->w[i];
			for (k = 0; k < q->nm[i]; k++) {
				if (q->msim[i][k] > best) {
					best = q->msim[i][k];
					q->w[i] = ix->voc[q->mid[i][k]].w;
				}
			}
			/* an honorific, legal form or particle keeps its class's
			 * little weight beside a listed word it looks like
			 * ("prof" / "proff") */
			if (t->f.cls != EG__TOK_WORD && t->f.cls != EG__TOK_NUMBER && q->w[i] > cap)
				q->w[i] = cap;
		}
		if (q->w[i] <= 0.0f)
			q->w[i] = 1e-3f;
	}
	eg__score_merge_side(&q->side, q->f, q->n);
	query_split_join(ix, q);
	query_typed_apart(ix, q, qp);
	query_moved_boundary(ix, q);
	query_abjad_pairs(ix, q);
	cap_unseen(q);
	for (i = 0; i < q->n; i++)
		total += q->nm[i];
	q->npslots = 64;
	q->pshift = 64 - 6;
	while (q->npslots < total * 2 + 2) {
		q->npslots *= 2;
		q->pshift--;
	}
	memset(q->pids, 0, sizeof(q->pids));
	q->pkeys = eg__arena_calloc(a, q->npslots, sizeof(uint64_t));
	q->psim = eg__arena_alloc(a, q->npslots * sizeof(float));
	if (q->pkeys == NULL || q->psim == NULL)
		return EG_ENOMEM;
	for (i = 0; i < q->n; i++) {
		for (k = 0; k < q->nm[i]; k++) {
			uint64_t key = ((uint64_t)(i + 1) << 32) | q->mid[i][k];
			size_t s = eg__index_pslot(q, key);
			uint32_t b = (q->mid[i][k] * 0x9E3779B1u) >> (32 - EG__QPIDS_LOG2);
			q->pkeys[s] = key;
			q->psim[s] = q->msim[i][k];
			q->pids[b / 64] |= (uint64_t)1 << (b % 64);
		}
	}
	return 0;
}
