/* index.c - the candidate index: vocabulary, postings, fuzzy keys, search.
 *
 * Invariants once built: token ids are dense in [0, n_vocab); post_start has
 * n_vocab + 1 entries and post[post_start[t] .. post_start[t+1]) lists, in
 * increasing order and without repeats, the names holding token t;
 * name_start likewise delimits each name's token ids; fuzzy[] is sorted, each
 * entry (key hash << 32 | token id). Nothing changes after finish, so
 * searches need no lock. */
#include "index.h"
#include "util/alloc.h"
#include "util/caps.h"
#include "util/error.h"
#include "util/hash.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CANDIDATES 400
#define MAX_TOKEN_MATCHES 256 /* fuzzy matches kept per query token */

typedef struct voc_rec {
	uint32_t off, skel, phon; /* in pool */
	float w;                  /* rarity times class factor */
	uint16_t len;
	uint8_t skel_len, phon_len, cls, abjad;
} voc_rec;

struct eg__index {
	/* vocabulary */
	size_t n_vocab;
	char *pool;           /* token texts, skeletons and phonetic keys */
	size_t pool_len;
	voc_rec *voc;         /* one record per token: what a comparison reads
	                         sits in one cache line */
	uint32_t *voc_slots;  /* open addressing: token id + 1, 0 = empty */
	size_t n_voc_slots;
	/* postings */
	uint32_t *post_start, *post;
	/* names */
	size_t n_names;
	uint32_t *name_start, *name_toks, *name_entity;
	uint16_t *name_no;
	uint8_t *name_type, *name_weak;
	float *name_w;        /* total weight of each name's tokens */
	/* fuzzy keys */
	uint64_t *fuzzy;
	size_t n_fuzzy;
	uint32_t *fz_slots;   /* key -> first entry + 1 in fuzzy, 0 = empty */
	size_t n_fz_slots;    /* a power of two */
	float w_unknown;      /* weight of a token never seen */
};

struct eg__index_builder {
	eg__index ix;         /* filled progressively */
	size_t cap_vocab, cap_pool, cap_names, cap_toks, n_toks;
	uint32_t *voc_df;
};

/* --- growable arrays (builder only) ------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 1024, bytes;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if (eg__mul_overflow(&bytes, ncap, elem) != 0)
		return EG_ENOMEM;
	np = eg__realloc(*p, bytes);
	if (np == NULL)
		return EG_ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

/* Grows every per-token array of the builder to hold need tokens. */
static int grow_vocab(eg__index_builder *b, size_t need)
{
	eg__index *ix = &b->ix;
	size_t c;

	if (need <= b->cap_vocab)
		return 0;
#define GROW_V(arr) (c = b->cap_vocab, grow((void **)&(arr), &c, need, sizeof(*(arr))))
	if (GROW_V(ix->voc) || GROW_V(b->voc_df))
		return EG_ENOMEM;
#undef GROW_V
	b->cap_vocab = c;
	return 0;
}

static int grow_names(eg__index_builder *b, size_t need)
{
	eg__index *ix = &b->ix;
	size_t c;

	if (need + 1 <= b->cap_names)
		return 0;
#define GROW_N(arr) (c = b->cap_names, grow((void **)&(arr), &c, need + 1, sizeof(*(arr))))
	if (GROW_N(ix->name_start) || GROW_N(ix->name_entity) || GROW_N(ix->name_no) ||
	    GROW_N(ix->name_type) || GROW_N(ix->name_weak))
		return EG_ENOMEM;
#undef GROW_N
	b->cap_names = c;
	return 0;
}

static uint32_t hash32(const char *s, size_t len, char tag)
{
	uint64_t h = eg__hash_bytes(s, len) ^ ((uint64_t)(unsigned char)tag * 0x9E3779B97F4A7C15ULL);
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

/* Finds the token id of text in the vocabulary, or returns -1; *slot gets
 * the slot where it is or would go. */
static long voc_find(const eg__index *ix, const char *text, size_t len, size_t *slot)
{
	size_t mask = ix->n_voc_slots - 1;
	size_t i = (size_t)eg__hash_bytes(text, len) & mask;

	for (;;) {
		uint32_t v = ix->voc_slots[i];
		if (v == 0) {
			if (slot != NULL)
				*slot = i;
			return -1;
		}
		if (ix->voc[v - 1].len == len &&
		    memcmp(ix->pool + ix->voc[v - 1].off, text, len) == 0) {
			if (slot != NULL)
				*slot = i;
			return (long)(v - 1);
		}
		i = (i + 1) & mask;
	}
}

static int voc_rehash(eg__index *ix)
{
	size_t n = ix->n_voc_slots ? ix->n_voc_slots * 2 : 4096, i;
	uint32_t *old = ix->voc_slots;

	ix->voc_slots = eg__calloc(n, sizeof(uint32_t));
	if (ix->voc_slots == NULL) {
		ix->voc_slots = old;
		return EG_ENOMEM;
	}
	ix->n_voc_slots = n;
	for (i = 0; i < ix->n_vocab; i++) {
		size_t slot;
		voc_find(ix, ix->pool + ix->voc[i].off, ix->voc[i].len, &slot);
		ix->voc_slots[slot] = (uint32_t)(i + 1);
	}
	eg__free(old);
	return 0;
}

static int pool_add(eg__index_builder *b, const char *s, size_t len, uint32_t *off)
{
	eg__index *ix = &b->ix;

	if (ix->pool_len + len + 1 > UINT32_MAX)
		return EG_ETOOBIG;
	if (grow((void **)&ix->pool, &b->cap_pool, ix->pool_len + len + 1, 1) != 0)
		return EG_ENOMEM;
	memcpy(ix->pool + ix->pool_len, s, len);
	ix->pool[ix->pool_len + len] = '\0';
	*off = (uint32_t)ix->pool_len;
	ix->pool_len += len + 1;
	return 0;
}

/* The id of token t, added to the vocabulary if new. */
static int voc_intern(eg__index_builder *b, const eg__token *t, uint32_t *id)
{
	eg__index *ix = &b->ix;
	size_t slot;
	long found;
	int rc;

	if ((ix->n_vocab + 1) * 2 > ix->n_voc_slots && (rc = voc_rehash(ix)) != 0)
		return rc;
	found = voc_find(ix, t->text, t->len, &slot);
	if (found >= 0) {
		*id = (uint32_t)found;
		if (t->abjad > ix->voc[found].abjad)
			ix->voc[found].abjad = t->abjad;
		return 0;
	}
	if ((rc = grow_vocab(b, ix->n_vocab + 1)) != 0)
		return rc;
	if ((rc = pool_add(b, t->text, t->len, &ix->voc[ix->n_vocab].off)) != 0)
		return rc;
	ix->voc[ix->n_vocab].len = t->len;
	ix->voc[ix->n_vocab].cls = t->cls;
	ix->voc[ix->n_vocab].abjad = t->abjad;
	b->voc_df[ix->n_vocab] = 0;
	ix->voc_slots[slot] = (uint32_t)(ix->n_vocab + 1);
	*id = (uint32_t)ix->n_vocab++;
	return 0;
}

int eg__index_builder_new(eg__index_builder **out, eg_error *err)
{
	eg__index_builder *b = eg__calloc(1, sizeof(*b));

	*out = NULL;
	if (b == NULL || voc_rehash(&b->ix) != 0 || grow_names(b, 0) != 0) {
		eg__index_builder_free(b);
		return eg__error_set(err, EG_ENOMEM, "index: out of memory");
	}
	b->ix.name_start[0] = 0;
	*out = b;
	return 0;
}

int eg__index_builder_add(eg__index_builder *b, uint32_t entity, uint16_t name_no,
                          eg_entity_type type, int weak, const char *text, size_t len,
                          eg_error *err)
{
	eg__index *ix = &b->ix;
	eg__norm *norm = NULL;
	size_t i, j, n0 = b->n_toks;
	int rc;

	norm = eg__malloc(sizeof(*norm));
	if (norm == NULL)
		return eg__error_set(err, EG_ENOMEM, "index: out of memory");
	rc = eg__text_normalize(norm, text, len, err);
	if (rc != 0 || norm->n == 0)
		goto done;
	if (ix->n_names >= UINT32_MAX - 1) {
		rc = eg__error_set(err, EG_ETOOBIG, "index: too many names");
		goto done;
	}
	if ((rc = grow_names(b, ix->n_names + 1)) != 0 ||
	    (rc = grow((void **)&ix->name_toks, &b->cap_toks, b->n_toks + norm->n,
	               sizeof(uint32_t))) != 0) {
		rc = eg__error_set(err, EG_ENOMEM, "index: out of memory");
		goto done;
	}
	for (i = 0; i < norm->n; i++) {
		uint32_t id;
		int seen = 0;
		if ((rc = voc_intern(b, &norm->tok[i], &id)) != 0) {
			rc = eg__error_set(err, rc, "index: out of memory");
			goto done;
		}
		for (j = n0; j < b->n_toks; j++)
			if (ix->name_toks[j] == id)
				seen = 1;
		if (!seen)
			b->voc_df[id]++;
		ix->name_toks[b->n_toks++] = id;
	}
	ix->name_entity[ix->n_names] = entity;
	ix->name_no[ix->n_names] = name_no;
	ix->name_type[ix->n_names] = (uint8_t)type;
	ix->name_weak[ix->n_names] = weak ? 1 : 0;
	ix->n_names++;
	ix->name_start[ix->n_names] = (uint32_t)b->n_toks;
done:
	eg__free(norm);
	return rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Calls fn for every fuzzy key of a token. The same function makes the keys
 * of the vocabulary and of a query, which is what makes them meet. */
typedef int (*key_fn)(void *ud, uint32_t key, char kind);

static int token_keys(const char *t, size_t len, uint8_t cls, const char *skel,
                      size_t skel_len, const char *phon, size_t phon_len,
                      key_fn fn, void *ud)
{
	char del[64];
	size_t i;
	int rc;

	if (cls == EG__TOK_NUMBER || len < 2 || len > 40)
		return 0;
	if ((rc = fn(ud, hash32(t, len, 'D'), 'D')) != 0)
		return rc;
	if (len == 3) {
		/* Deletions of three letters would be two-letter keys that half
		 * the vocabulary shares; a wildcard in each place finds the one
		 * substitution away, and a four-letter token's deletions meet
		 * this token's own key. */
		for (i = 0; i < len; i++) {
			memcpy(del, t, len);
			del[i] = '?';
			if ((rc = fn(ud, hash32(del, len, 'W'), 'W')) != 0)
				return rc;
		}
		/* and a swap of neighbours meets the other spelling's own key */
		for (i = 0; i + 1 < len; i++) {
			memcpy(del, t, len);
			del[i] = t[i + 1];
			del[i + 1] = t[i];
			if ((rc = fn(ud, hash32(del, len, 'D'), 'D')) != 0)
				return rc;
		}
	} else if (len >= 4) {
		for (i = 0; i < len; i++) {
			memcpy(del, t, i);
			memcpy(del + i, t + i + 1, len - i - 1);
			if ((rc = fn(ud, hash32(del, len - 1, 'D'), 'D')) != 0)
				return rc;
		}
	}
	/* a phonetic key of three letters or fewer is shared by too many
	 * unrelated tokens ("mtr": maduro, mokhtar, mutairi) to look up */
	if (phon_len >= 4 && (rc = fn(ud, hash32(phon, phon_len, 'P'), 'P')) != 0)
		return rc;
	if (skel_len >= 3) {
		char key[64];
		size_t kl = eg__abjad_key(key, skel, skel_len < 63 ? skel_len : 63);
		if (kl >= 3 && (rc = fn(ud, hash32(key, kl, 'S'), 'S')) != 0)
			return rc;
	}
	return 0;
}

typedef struct fuzzy_sink {
	uint64_t *v;
	size_t n, cap;
	uint32_t id;
} fuzzy_sink;

static int fuzzy_push(void *ud, uint32_t key, char kind)
{
	fuzzy_sink *s = ud;

	(void)kind;
	if (grow((void **)&s->v, &s->cap, s->n + 1, sizeof(uint64_t)) != 0)
		return EG_ENOMEM;
	s->v[s->n++] = ((uint64_t)key << 32) | s->id;
	return 0;
}

static size_t fz_home(const eg__index *ix, uint32_t key)
{
	return (size_t)((key * 0x9E3779B1u) >> 7) & (ix->n_fz_slots - 1);
}

static int finish_vocab(eg__index_builder *b)
{
	eg__index *ix = &b->ix;
	fuzzy_sink sink = {NULL, 0, 0, 0};
	char tmp[EG__CAP_NORM_BYTES];
	size_t i, cap;
	int rc;

	ix->w_unknown = (float)log(1.0 + (double)(ix->n_names + 1));
	for (i = 0; i < ix->n_vocab; i++) {
		const char *t = ix->pool + ix->voc[i].off;
		size_t len = ix->voc[i].len, n;
		double idf = log(1.0 + (double)ix->n_names / (double)(b->voc_df[i] ? b->voc_df[i] : 1));
		ix->voc[i].w = (float)(idf * eg__token_factor(t, len, ix->voc[i].cls));
		n = eg__text_skeleton(tmp, t, len);
		if (n > 255)
			n = 255;
		if ((rc = pool_add(b, tmp, n, &ix->voc[i].skel)) != 0)
			return rc;
		ix->voc[i].skel_len = (uint8_t)n;
		/* pool_add may move the pool: find the token again */
		t = ix->pool + ix->voc[i].off;
		n = eg__text_phonetic(tmp, t, len);
		if (n > 255)
			n = 255;
		if ((rc = pool_add(b, tmp, n, &ix->voc[i].phon)) != 0)
			return rc;
		ix->voc[i].phon_len = (uint8_t)n;
	}
	for (i = 0; i < ix->n_vocab; i++) {
		sink.id = (uint32_t)i;
		rc = token_keys(ix->pool + ix->voc[i].off, ix->voc[i].len, ix->voc[i].cls,
		                ix->pool + ix->voc[i].skel, ix->voc[i].skel_len,
		                ix->pool + ix->voc[i].phon, ix->voc[i].phon_len,
		                fuzzy_push, &sink);
		if (rc != 0) {
			eg__free(sink.v);
			return rc;
		}
	}
	if (sink.n > 0)
		qsort(sink.v, sink.n, sizeof(uint64_t), cmp_u64);
	ix->fuzzy = sink.v;
	ix->n_fuzzy = sink.n;
	/* A hash of the distinct keys to their first entry: a lookup costs a
	 * cache miss or two instead of a binary search's eighteen. */
	{
		size_t distinct = 0, j;
		for (i = 0; i < sink.n; i++)
			distinct += i == 0 || (sink.v[i] >> 32) != (sink.v[i - 1] >> 32);
		ix->n_fz_slots = 16;
		while (ix->n_fz_slots < distinct + distinct / 2)
			ix->n_fz_slots *= 2;
		ix->fz_slots = eg__calloc(ix->n_fz_slots, sizeof(uint32_t));
		if (ix->fz_slots == NULL)
			return EG_ENOMEM;
		for (i = 0; i < sink.n; i++) {
			uint32_t key = (uint32_t)(sink.v[i] >> 32);
			if (i > 0 && (sink.v[i - 1] >> 32) == key)
				continue;
			j = fz_home(ix, key);
			while (ix->fz_slots[j] != 0)
				j = (j + 1) & (ix->n_fz_slots - 1);
			ix->fz_slots[j] = (uint32_t)(i + 1);
		}
	}
	(void)cap;
	return 0;
}

static int finish_postings(eg__index_builder *b)
{
	eg__index *ix = &b->ix;
	uint32_t *fill;
	size_t i, j, total = 0;

	ix->post_start = eg__calloc(ix->n_vocab + 1, sizeof(uint32_t));
	fill = eg__calloc(ix->n_vocab + 1, sizeof(uint32_t));
	if (ix->post_start == NULL || fill == NULL) {
		eg__free(fill);
		return EG_ENOMEM;
	}
	for (i = 0; i < ix->n_vocab; i++) {
		ix->post_start[i] = (uint32_t)total;
		total += b->voc_df[i];
	}
	ix->post_start[ix->n_vocab] = (uint32_t)total;
	ix->post = eg__calloc(total + 1, sizeof(uint32_t));
	if (ix->post == NULL) {
		eg__free(fill);
		return EG_ENOMEM;
	}
	for (i = 0; i < ix->n_names; i++) {
		for (j = ix->name_start[i]; j < ix->name_start[i + 1]; j++) {
			uint32_t t = ix->name_toks[j];
			/* Names are visited in order, so a repeated token of one name
			 * shows as the same last posting. */
			if (fill[t] > 0 && ix->post[ix->post_start[t] + fill[t] - 1] == i)
				continue;
			ix->post[ix->post_start[t] + fill[t]++] = (uint32_t)i;
		}
	}
	eg__free(fill);
	return 0;
}

/* Each name's total token weight, as score_name weighs it (the first
 * EG__NORM_MAX_TOKENS tokens), for the search's bound on the name cover. */
static int finish_name_weights(eg__index_builder *b)
{
	eg__index *ix = &b->ix;
	size_t i, j;

	ix->name_w = eg__calloc(ix->n_names + 1, sizeof(float));
	if (ix->name_w == NULL)
		return EG_ENOMEM;
	for (i = 0; i < ix->n_names; i++) {
		float w = 0.0f;
		size_t end = ix->name_start[i + 1];
		if (end - ix->name_start[i] > EG__NORM_MAX_TOKENS)
			end = ix->name_start[i] + EG__NORM_MAX_TOKENS;
		for (j = ix->name_start[i]; j < end; j++) {
			float t = ix->voc[ix->name_toks[j]].w;
			w += t > 0 ? t : 1e-3f;
		}
		ix->name_w[i] = w;
	}
	return 0;
}

int eg__index_builder_finish(eg__index_builder *b, eg__index **out, eg_error *err)
{
	eg__index *ix;
	int rc;

	*out = NULL;
	if ((rc = finish_postings(b)) != 0 || (rc = finish_vocab(b)) != 0 ||
	    (rc = finish_name_weights(b)) != 0) {
		eg__index_builder_free(b);
		return eg__error_set(err, rc, "index: out of memory while finishing");
	}
	ix = eg__malloc(sizeof(*ix));
	if (ix == NULL) {
		eg__index_builder_free(b);
		return eg__error_set(err, EG_ENOMEM, "index: out of memory");
	}
	*ix = b->ix;
	eg__free(b->voc_df);
	eg__free(b);
	*out = ix;
	return 0;
}

static void index_release(eg__index *ix)
{
	eg__free(ix->pool);
	eg__free(ix->voc);
	eg__free(ix->voc_slots);
	eg__free(ix->post_start);
	eg__free(ix->post);
	eg__free(ix->name_start);
	eg__free(ix->name_toks);
	eg__free(ix->name_entity);
	eg__free(ix->name_no);
	eg__free(ix->name_type);
	eg__free(ix->name_weak);
	eg__free(ix->name_w);
	eg__free(ix->fuzzy);
	eg__free(ix->fz_slots);
}

void eg__index_builder_free(eg__index_builder *b)
{
	if (b == NULL)
		return;
	index_release(&b->ix);
	eg__free(b->voc_df);
	eg__free(b);
}

void eg__index_free(eg__index *ix)
{
	if (ix == NULL)
		return;
	index_release(ix);
	eg__free(ix);
}

int eg__index_from_set(eg__index **out, const eg__entity_set *set, eg_error *err)
{
	eg__index_builder *b;
	size_t i, j;
	int rc;

	*out = NULL;
	if ((rc = eg__index_builder_new(&b, err)) != 0)
		return rc;
	for (i = 0; i < set->n; i++) {
		const eg__entity *e = &set->v[i];
		for (j = 0; j < e->n_names && j < UINT16_MAX; j++) {
			const char *t = e->names[j].text;
			rc = eg__index_builder_add(b, (uint32_t)i, (uint16_t)j, e->type,
			                           e->names[j].weak, t, strlen(t), err);
			/* A listed name the normaliser refuses (a control character
			 * in the official data, say) is left out, not fatal. */
			if (rc == EG_EUTF8 || rc == EG_EINVAL || rc == EG_ETOOBIG)
				rc = 0;
			if (rc != 0) {
				eg__index_builder_free(b);
				return rc;
			}
		}
	}
	return eg__index_builder_finish(b, out, err);
}

size_t eg__index_memory(const eg__index *ix)
{
	size_t v = ix->n_vocab, n = ix->n_names;

	return sizeof(*ix) + ix->pool_len +
	       v * (3 * sizeof(uint32_t) + sizeof(uint16_t) + 4 + sizeof(float)) +
	       ix->n_voc_slots * sizeof(uint32_t) +
	       (v + 1) * sizeof(uint32_t) + ix->post_start[v] * sizeof(uint32_t) +
	       (n + 1) * sizeof(uint32_t) + ix->name_start[n] * sizeof(uint32_t) +
	       n * (sizeof(uint32_t) + sizeof(uint16_t) + 2 + sizeof(float)) +
	       ix->n_fuzzy * sizeof(uint64_t) + ix->n_fz_slots * sizeof(uint32_t);
}

size_t eg__index_names(const eg__index *ix) { return ix->n_names; }
size_t eg__index_vocabulary(const eg__index *ix) { return ix->n_vocab; }

const char *eg__index_name_token(const eg__index *ix, uint32_t name_id, size_t j)
{
	size_t k;

	if (name_id >= ix->n_names)
		return NULL;
	k = ix->name_start[name_id] + j;
	if (k >= ix->name_start[name_id + 1])
		return NULL;
	return ix->pool + ix->voc[ix->name_toks[k]].off;
}

size_t eg__index_name_ntokens(const eg__index *ix, uint32_t name_id)
{
	return name_id < ix->n_names ? ix->name_start[name_id + 1] - ix->name_start[name_id] : 0;
}

/* --- search -------------------------------------------------------------- */

static void voc_feat(const eg__index *ix, uint32_t id, eg__tokfeat *f)
{
	f->text = ix->pool + ix->voc[id].off;
	f->len = ix->voc[id].len;
	f->skel = ix->pool + ix->voc[id].skel;
	f->skel_len = ix->voc[id].skel_len;
	f->phon = ix->pool + ix->voc[id].phon;
	f->phon_len = ix->voc[id].phon_len;
	f->cls = ix->voc[id].cls;
	f->abjad = ix->voc[id].abjad;
	f->native = 0;
}

/* The scorer's view of a normalised token; skel and phon hold 64 bytes
 * each (keys of the first 63 letters). */
static void token_feat(eg__tokfeat *f, const eg__token *t, char *skel, char *phon)
{
	size_t len = t->len < 63 ? t->len : 63;

	f->text = t->text;
	f->len = t->len;
	f->cls = t->cls;
	f->abjad = t->abjad;
	f->native = t->native;
	f->skel_len = (uint16_t)eg__text_skeleton(skel, t->text, len);
	f->skel = skel;
	f->phon_len = (uint16_t)eg__text_phonetic(phon, t->text, len);
	f->phon = phon;
}

/* The query side of a search: token features, weights, fuzzy matches. */
typedef struct query {
	size_t n;
	eg__tokfeat f[EG__NORM_MAX_TOKENS];
	char skel[EG__NORM_MAX_TOKENS][64];
	char phon[EG__NORM_MAX_TOKENS][64];
	float w[EG__NORM_MAX_TOKENS];
	long exact[EG__NORM_MAX_TOKENS];          /* token id or -1 */
	/* fuzzy matches: (token id, similarity), per query token */
	uint32_t *mid[EG__NORM_MAX_TOKENS];
	float *msim[EG__NORM_MAX_TOKENS];
	size_t nm[EG__NORM_MAX_TOKENS];
	/* (query token, token id) -> similarity, open addressing */
	uint64_t *pkeys;
	float *psim;
	size_t npslots;
} query;

typedef struct keys_ud {
	const eg__index *ix;
	query *q;
	size_t qi;
} keys_ud;

static int add_match(query *q, size_t qi, uint32_t id, float s)
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
	for (j = fz_home(ix, key); ix->fz_slots[j] != 0; j = (j + 1) & (ix->n_fz_slots - 1))
		if ((ix->fuzzy[ix->fz_slots[j] - 1] >> 32) == key)
			break;
	if (ix->fz_slots[j] == 0)
		return 0;
	for (lo = ix->fz_slots[j] - 1; lo < ix->n_fuzzy && (ix->fuzzy[lo] >> 32) == key; lo++) {
		uint32_t id = (uint32_t)ix->fuzzy[lo];
		eg__tokfeat f;
		double s;
		size_t k2;
		/* a token met through another key is already judged */
		for (k2 = 0; k2 < k->q->nm[k->qi] && k->q->mid[k->qi][k2] != id; k2++)
			;
		if (k2 < k->q->nm[k->qi] || k->q->nm[k->qi] >= MAX_TOKEN_MATCHES)
			continue;
		/* An abjad key only tells something when one side is abjad;
		 * Latin spellings meet through the other keys. */
		if (kind == 'S' && k->q->f[k->qi].abjad != EG__SCRIPT_ABJAD &&
		    ix->voc[id].abjad != EG__SCRIPT_ABJAD)
			continue;
		voc_feat(ix, id, &f);
		s = eg__token_sim(&k->q->f[k->qi], &f);
		if (s > 0)
			add_match(k->q, k->qi, id, (float)s);
	}
	return 0;
}

static void query_free(query *q)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		eg__free(q->mid[i]);
		eg__free(q->msim[i]);
	}
	eg__free(q->pkeys);
	eg__free(q->psim);
}

static size_t pslot(const query *q, uint64_t key)
{
	size_t mask = q->npslots - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask;

	while (q->pkeys[i] != 0 && q->pkeys[i] != key)
		i = (i + 1) & mask;
	return i;
}

/* Names written together on one side and apart on the other: a query
 * token that is two listed tokens joined ("alaqsa": "al" + "aqsa") matches
 * both, and two adjacent query tokens that form one listed token
 * ("siemens ag": "siemensag") match it, so candidates are found; the
 * aligner's merge pass scores them. */
static void query_split_join(const eg__index *ix, query *q)
{
	char buf[128];
	size_t i, k;

	for (i = 0; i < q->n; i++) {
		const eg__tokfeat *f = &q->f[i];
		if (q->exact[i] >= 0 || f->len < 5 || f->cls == EG__TOK_NUMBER)
			continue;
		for (k = 2; k + 2 <= f->len; k++) {
			long a = voc_find(ix, f->text, k, NULL);
			long b = a >= 0 ? voc_find(ix, f->text + k, f->len - k, NULL) : -1;
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
		id = voc_find(ix, buf, la + lb, NULL);
		if (id >= 0) {
			add_match(q, i, (uint32_t)id, 0.95f);
			add_match(q, i + 1, (uint32_t)id, 0.95f);
		}
	}
}

/* A given name and its diminutive ("ted" / "theodore"): a strong match,
 * not an exact one. */
#define NICKNAME_SIM 0.90f

typedef struct nick_ud {
	const eg__index *ix;
	query *q;
	size_t qi;
} nick_ud;

static void nick_match(void *ud, const char *text, size_t len)
{
	nick_ud *k = ud;
	long id = voc_find(k->ix, text, len, NULL);

	if (id >= 0)
		add_match(k->q, k->qi, (uint32_t)id, NICKNAME_SIM);
}

/* Prepares the query: features, exact and fuzzy matches, weights. */
static int query_prepare(const eg__index *ix, query *q, const eg__norm *norm)
{
	size_t i, k, total = 0;

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
		keys_ud ud = {ix, q, i};
		size_t slot;

		token_feat(f, t, q->skel[i], q->phon[i]);
		q->mid[i] = eg__malloc(MAX_TOKEN_MATCHES * sizeof(uint32_t));
		q->msim[i] = eg__malloc(MAX_TOKEN_MATCHES * sizeof(float));
		if (q->mid[i] == NULL || q->msim[i] == NULL)
			return EG_ENOMEM;
		q->exact[i] = voc_find(ix, t->text, t->len, &slot);
		if (q->exact[i] >= 0)
			add_match(q, i, (uint32_t)q->exact[i], 1.0f);
		token_keys(t->text, t->len, t->cls, f->skel, f->skel_len, f->phon,
		           f->phon_len, lookup_key, &ud);
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
			size_t s = pslot(q, key);
			q->pkeys[s] = key;
			q->psim[s] = q->msim[i][k];
		}
	}
	return 0;
}

/* Similarity of query token qi and vocabulary token id. */
static float pair_sim(const eg__index *ix, const query *q, size_t qi, uint32_t id)
{
	uint64_t key = ((uint64_t)(qi + 1) << 32) | id;
	size_t s = pslot(q, key);

	if (q->pkeys[s] == key)
		return q->psim[s];
	/* Initials are never fuzzy-matched through keys; compare directly. */
	if (q->f[qi].len == 1 || ix->voc[id].len == 1) {
		eg__tokfeat f;
		voc_feat(ix, id, &f);
		return (float)eg__token_sim(&q->f[qi], &f);
	}
	return 0.0f;
}

/* Scores name `name` against the query; fills m. */
static void score_name(const eg__index *ix, const query *q, uint32_t name, eg__match *m)
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
			sim[i * nn + j] = pair_sim(ix, q, i, id);
	}
	eg__score_align(&m->align, sim, q->n, nn, q->w, wn);
	if (m->align.score < 0.999) {
		eg__tokfeat nf[EG__NORM_MAX_TOKENS];
		for (j = 0; j < nn; j++)
			voc_feat(ix, ix->name_toks[start + j], &nf[j]);
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
	query *q = NULL;
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
	if ((rc = query_prepare(ix, q, norm)) != 0) {
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
		query_free(q);
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
			long id = voc_find(ix, t->text, t->len, NULL);
			token_feat(&feat[s][i], t, sk[s][i], ph[s][i]);
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
			if (v < NICKNAME_SIM && fa[i].cls == EG__TOK_WORD && fb[j].cls == EG__TOK_WORD &&
			    eg__text_nickname_pair(fa[i].text, fa[i].len, fb[j].text, fb[j].len))
				v = NICKNAME_SIM;
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
