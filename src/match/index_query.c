/* index_query.c - the query side of a search: each query token's
 * features, its exact and fuzzy matches in the vocabulary (through the
 * fuzzy keys, split and joined spellings, diminutives) and its weight. */
#include "index_impl.h"
#include "util/alloc.h"

#include <string.h>

#define MAX_TOKEN_MATCHES 256 /* fuzzy matches kept per query token */

/* Vocabulary tokens a query token has been compared with, matched or not,
 * so that a token met through several keys is judged once: an open
 * addressing set of ids + 1; when full, tokens are judged again. */
#define JUDGED_SLOTS 1024

typedef struct keys_ud {
	const eg__index *ix;
	eg__index_query *q;
	size_t qi;
	size_t n_judged;
	uint32_t judged[JUDGED_SLOTS];
} keys_ud;

/* Adds id to the judged set; 1 if it was there already. */
static int judged_add(keys_ud *k, uint32_t id)
{
	size_t j = (id * 0x9E3779B1u) & (JUDGED_SLOTS - 1);

	for (;;) {
		if (k->judged[j] == id + 1)
			return 1;
		if (k->judged[j] == 0)
			break;
		j = (j + 1) & (JUDGED_SLOTS - 1);
	}
	if (k->n_judged < JUDGED_SLOTS / 2) {
		k->judged[j] = id + 1;
		k->n_judged++;
	}
	return 0;
}

static int add_match(eg__index_query *q, size_t qi, uint32_t id, float s)
{
	size_t k;

	for (k = 0; k < q->nm[qi]; k++) {
		if (q->mid[qi][k] == id) {
			if (s > q->msim[qi][k])
				q->msim[qi][k] = s;
			return 0;
		}
	}
	if (q->nm[qi] >= MAX_TOKEN_MATCHES)
		return 0;
	q->mid[qi][q->nm[qi]] = id;
	q->msim[qi][q->nm[qi]] = s;
	q->nm[qi]++;
	return 0;
}

static int lookup_key(void *ud, uint32_t key, char kind)
{
	keys_ud *k = ud;
	const eg__index *ix = k->ix;
	size_t lo, j;

	if (ix->n_fz_slots == 0)
		return 0;
	for (j = eg__index_fz_home(ix, key); ix->fz_slots[j] != 0; j = (j + 1) & (ix->n_fz_slots - 1))
		if ((ix->fuzzy[ix->fz_slots[j] - 1] >> 32) == key)
			break;
	if (ix->fz_slots[j] == 0)
		return 0;
	for (lo = ix->fz_slots[j] - 1; lo < ix->n_fuzzy && (ix->fuzzy[lo] >> 32) == key; lo++) {
		uint32_t id = (uint32_t)ix->fuzzy[lo];
		eg__tokfeat f;
		double s;
		/* a token met through another key is already judged */
		if (k->q->nm[k->qi] >= MAX_TOKEN_MATCHES || judged_add(k, id))
			continue;
		/* A sound key only tells something when one side is abjad or
		 * a transcription; Latin spellings meet through the other keys. */
		if ((kind == 'S' || kind == 'T') && k->q->f[k->qi].abjad != EG__SCRIPT_ABJAD &&
		    ix->voc[id].abjad != EG__SCRIPT_ABJAD &&
		    k->q->f[k->qi].abjad != EG__SCRIPT_TRANSCRIBED &&
		    ix->voc[id].abjad != EG__SCRIPT_TRANSCRIBED)
			continue;
		eg__index_voc_feat(ix, id, &f);
		s = eg__token_sim(&k->q->f[k->qi], &f);
		if (s > 0)
			add_match(k->q, k->qi, id, (float)s);
	}
	return 0;
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
	size_t lo, j;

	(void)kind;
	if (ix->n_fz_slots == 0)
		return 0;
	for (j = eg__index_fz_home(ix, key); ix->fz_slots[j] != 0; j = (j + 1) & (ix->n_fz_slots - 1))
		if ((ix->fuzzy[ix->fz_slots[j] - 1] >> 32) == key)
			break;
	if (ix->fz_slots[j] == 0)
		return 0;
	for (lo = ix->fz_slots[j] - 1; lo < ix->n_fuzzy && (ix->fuzzy[lo] >> 32) == key; lo++) {
		uint32_t id = (uint32_t)ix->fuzzy[lo];
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

void eg__index_query_free(eg__index_query *q)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		eg__free(q->mid[i]);
		eg__free(q->msim[i]);
	}
	eg__free(q->pkeys);
	eg__free(q->psim);
}

/* Names written together on one side and apart on the other: a query
 * token that is two listed tokens joined ("alaqsa": "al" + "aqsa") matches
 * both, and two adjacent query tokens that form one listed token
 * ("siemens ag": "siemensag") match it, so candidates are found; the
 * aligner's merge pass scores them. */
static void query_split_join(const eg__index *ix, eg__index_query *q)
{
	char buf[128];
	size_t i, k;

	for (i = 0; i < q->n; i++) {
		const eg__tokfeat *f = &q->f[i];
		if (q->exact[i] >= 0 || f->len < 5 || f->cls == EG__TOK_NUMBER)
			continue;
		for (k = 2; k + 2 <= f->len; k++) {
			long a = eg__index_voc_find(ix, f->text, k, NULL);
			long b = a >= 0 ? eg__index_voc_find(ix, f->text + k, f->len - k, NULL) : -1;
			if (b >= 0) {
				/* Each part alone stands for its share of the token;
				 * the aligner's merge pass credits the two together. */
				add_match(q, i, (uint32_t)a, 0.95f * (float)k / f->len);
				add_match(q, i, (uint32_t)b, 0.95f * (float)(f->len - k) / f->len);
				break;
			}
		}
	}
	for (i = 0; i + 1 < q->n; i++) {
		size_t la = q->f[i].len, lb = q->f[i + 1].len;
		long id;
		if (la + lb > sizeof(buf) || la + lb < 4 || q->f[i].cls == EG__TOK_NUMBER ||
		    q->f[i + 1].cls == EG__TOK_NUMBER)
			continue;
		memcpy(buf, q->f[i].text, la);
		memcpy(buf + la, q->f[i + 1].text, lb);
		id = eg__index_voc_find(ix, buf, la + lb, NULL);
		if (id >= 0) {
			add_match(q, i, (uint32_t)id, 0.95f);
			add_match(q, i + 1, (uint32_t)id, 0.95f);
		}
	}
}


typedef struct nick_ud {
	const eg__index *ix;
	eg__index_query *q;
	size_t qi;
} nick_ud;

static void nick_match(void *ud, const char *text, size_t len)
{
	nick_ud *k = ud;
	long id = eg__index_voc_find(k->ix, text, len, NULL);

	if (id >= 0)
		add_match(k->q, k->qi, (uint32_t)id, EG__NICKNAME_SIM);
}

double eg__index_neighbour_sim(size_t len, size_t n_query)
{
	if (n_query <= EG__SHORT_QUERY_TOKENS)
		return EG__SHORT_QUERY_SIM;
	if (len <= EG__SHORT_TOKEN_LEN)
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

/* Prepares the query: features, exact and fuzzy matches, weights. */
int eg__index_query_prepare(const eg__index *ix, eg__index_query *q, const eg__norm *norm)
{
	size_t i, k, total = 0;
	keys_ud judged; /* 4 KiB, one token's at a time */

	/* Only what the query uses is initialised: the struct is ~12 KiB. */
	q->n = norm->n;
	q->pkeys = NULL;
	q->psim = NULL;
	for (i = 0; i < q->n; i++) {
		q->mid[i] = NULL;
		q->msim[i] = NULL;
		q->nm[i] = 0;
	}
	for (i = 0; i < q->n; i++) {
		const eg__token *t = &norm->tok[i];
		eg__tokfeat *f = &q->f[i];
		keys_ud *ud = &judged;
		size_t slot, art;

		eg__index_token_feat(f, t, q->skel[i], q->phon[i]);
		q->mid[i] = eg__malloc(MAX_TOKEN_MATCHES * sizeof(uint32_t));
		q->msim[i] = eg__malloc(MAX_TOKEN_MATCHES * sizeof(float));
		if (q->mid[i] == NULL || q->msim[i] == NULL)
			return EG_ENOMEM;
		q->exact[i] = eg__index_voc_find(ix, t->text, t->len, &slot);
		judged.ix = ix;
		judged.q = q;
		judged.qi = i;
		judged.n_judged = 0;
		memset(judged.judged, 0, sizeof(judged.judged));
		if (q->exact[i] >= 0) {
			add_match(q, i, (uint32_t)q->exact[i], 1.0f);
			(void)judged_add(ud, (uint32_t)q->exact[i]);
		}
		eg__index_token_keys(t->text, t->len, t->cls, t->abjad, 1, f->skel, f->skel_len,
		                     f->phon, f->phon_len, lookup_key, ud);
		if (t->abjad == EG__SCRIPT_ABJAD) {
			/* its waw read as v: the abjad key of that spelling */
			char vk[64];
			size_t vl = eg__abjad_key_v(vk, f->skel, f->skel_len < 63 ? f->skel_len : 63);
			if (vl >= 3)
				eg__index_abjad_key_lookup(vk, vl, lookup_key, ud);
		}
		art = eg__abjad_article(t->text, t->len, t->abjad);
		if (art > 0 && t->len - art < 63) {
			/* the word without its article: lists write it apart */
			char sk[64], ph[64];
			size_t sl = eg__text_skeleton(sk, t->text + art, t->len - art);
			size_t pl = eg__text_phonetic(ph, t->text + art, t->len - art);
			eg__index_token_keys(t->text + art, t->len - art, t->cls, t->abjad, 1, sk, sl,
			                     ph, pl, lookup_key, ud);
		}
		if (q->exact[i] >= 0)
			drop_near_neighbours(q, i, eg__index_neighbour_sim(t->len, norm->n));
		if (t->cls == EG__TOK_WORD) {
			nick_ud nu = {ix, q, i};
			eg__text_nicknames(t->text, t->len, nick_match, &nu);
		}
		/* The weight of a query token: its own rarity when listed;
		 * otherwise that of its closest listed spelling; otherwise the
		 * rarest weight, since a token never listed is strong evidence. */
		if (q->exact[i] >= 0) {
			q->w[i] = ix->voc[q->exact[i]].w;
		} else {
			float best = 0.0f;
			q->w[i] = ix->w_unknown * (float)eg__token_factor(t->text, t->len, t->cls);
			for (k = 0; k < q->nm[i]; k++) {
				if (q->msim[i][k] > best) {
					best = q->msim[i][k];
					q->w[i] = ix->voc[q->mid[i][k]].w;
				}
			}
		}
		if (q->w[i] <= 0.0f)
			q->w[i] = 1e-3f;
	}
	query_split_join(ix, q);
	query_abjad_pairs(ix, q);
	cap_unseen(q);
	for (i = 0; i < q->n; i++)
		total += q->nm[i];
	q->npslots = 64;
	while (q->npslots < total * 2 + 2)
		q->npslots *= 2;
	q->pkeys = eg__calloc(q->npslots, sizeof(uint64_t));
	q->psim = eg__calloc(q->npslots, sizeof(float));
	if (q->pkeys == NULL || q->psim == NULL)
		return EG_ENOMEM;
	for (i = 0; i < q->n; i++) {
		for (k = 0; k < q->nm[i]; k++) {
			uint64_t key = ((uint64_t)(i + 1) << 32) | q->mid[i][k];
			size_t s = eg__index_pslot(q, key);
			q->pkeys[s] = key;
			q->psim[s] = q->msim[i][k];
		}
	}
	return 0;
}
