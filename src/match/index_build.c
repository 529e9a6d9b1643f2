/* index_build.c - the index builder: names in, vocabulary with weights,
 * postings, fuzzy keys and name weights out (invariants in index_impl.h). */
#include "index_impl.h"
#include "util/alloc.h"
#include "util/caps.h"
#include "util/date.h"
#include "util/error.h"
#include "util/hash.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct eg__index_builder {
	eg__index ix;         /* filled progressively */
	size_t cap_vocab, cap_pool, cap_names, cap_toks, n_toks;
	uint32_t *voc_df;
	/* entities: ix.n_ents of them, ix.ent_type, ent_start and ent_end
	 * filled, each one's ISO codes at iso_pool[ent_iso_off[e]], ent_iso_n[e]
	 * of them (ix.ent_iso_start and ix.ent_iso are made by finish) */
	size_t cap_ents, cap_iso, n_iso;
	uint8_t *ent_described;
	uint32_t *ent_iso_off, *ent_iso_n;
	uint16_t *iso_pool;
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

/* Makes entity numbers up to `entity` known, new ones zeroed: no country,
 * no dates, type EG_TYPE_ANY until a name or a description says. */
static int grow_ents(eg__index_builder *b, uint32_t entity)
{
	eg__index *ix = &b->ix;
	size_t need = (size_t)entity + 1, c, i;

	if (need <= ix->n_ents)
		return 0;
	if (need > b->cap_ents) {
#define GROW_E(arr) (c = b->cap_ents, grow((void **)&(arr), &c, need, sizeof(*(arr))))
		if (GROW_E(ix->ent_type) || GROW_E(ix->ent_start) || GROW_E(ix->ent_end) ||
		    GROW_E(b->ent_described) || GROW_E(b->ent_iso_off) || GROW_E(b->ent_iso_n))
			return EG_ENOMEM;
#undef GROW_E
		b->cap_ents = c;
	}
	for (i = ix->n_ents; i < need; i++) {
		ix->ent_type[i] = EG_TYPE_ANY;
		ix->ent_start[i] = ix->ent_end[i] = 0;
		b->ent_described[i] = 0;
		b->ent_iso_off[i] = b->ent_iso_n[i] = 0;
	}
	ix->n_ents = need;
	return 0;
}

static int voc_rehash(eg__index *ix)
{
	size_t n = ix->n_voc_slots ? ix->n_voc_slots * 2 : 4096, i;
	uint64_t *old = ix->voc_slots;

	ix->voc_slots = eg__calloc(n, sizeof(uint64_t));
	if (ix->voc_slots == NULL) {
		ix->voc_slots = old;
		return EG_ENOMEM;
	}
	ix->n_voc_slots = n;
	for (i = 0; i < ix->n_vocab; i++) {
		uint64_t h = eg__hash_bytes(ix->pool + ix->voc[i].off, ix->voc[i].len);
		size_t slot;
		eg__index_voc_find_hashed(ix, ix->pool + ix->voc[i].off, ix->voc[i].len, h, &slot);
		ix->voc_slots[slot] = (h >> 32 << 32) | (i + 1);
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
	uint64_t h = eg__hash_bytes(t->text, t->len);
	size_t slot;
	long found;
	int rc;

	if ((ix->n_vocab + 1) * 2 > ix->n_voc_slots && (rc = voc_rehash(ix)) != 0)
		return rc;
	found = eg__index_voc_find_hashed(ix, t->text, t->len, h, &slot);
	if (found >= 0) {
		*id = (uint32_t)found;
		if (t->abjad > ix->voc[found].abjad)
			ix->voc[found].abjad = t->abjad;
		return 0;
	}
	if (ix->n_vocab >= EG__FZ_MAX_VOCAB)
		return EG_ETOOBIG; /* a fuzzy entry's id has 31 bits */
	if ((rc = grow_vocab(b, ix->n_vocab + 1)) != 0)
		return rc;
	/* padding bytes too: a saved index is the same bytes for the same names */
	memset(&ix->voc[ix->n_vocab], 0, sizeof(ix->voc[0]));
	if ((rc = pool_add(b, t->text, t->len, &ix->voc[ix->n_vocab].off)) != 0)
		return rc;
	ix->voc[ix->n_vocab].len = t->len;
	ix->voc[ix->n_vocab].cls = t->cls;
	ix->voc[ix->n_vocab].abjad = t->abjad;
	b->voc_df[ix->n_vocab] = 0;
	ix->voc_slots[slot] = (h >> 32 << 32) | (ix->n_vocab + 1);
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
	if (ix->n_names >= UINT32_MAX - 1 || entity == UINT32_MAX) {
		rc = eg__error_set(err, EG_ETOOBIG, "index: too many names or entities");
		goto done;
	}
	if (grow_ents(b, entity) != 0) {
		rc = eg__error_set(err, EG_ENOMEM, "index: out of memory");
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
	if (!b->ent_described[entity])
		ix->ent_type[entity] = (uint8_t)type;
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

int eg__index_builder_entity(eg__index_builder *b, uint32_t entity, eg_entity_type type,
                             const uint16_t *iso, size_t n_iso, int32_t start, int32_t end,
                             eg_error *err)
{
	eg__index *ix = &b->ix;

	if (entity == UINT32_MAX || n_iso > UINT32_MAX - b->n_iso)
		return eg__error_set(err, EG_ETOOBIG, "index: entity %u: too large", entity);
	if (grow_ents(b, entity) != 0 ||
	    grow((void **)&b->iso_pool, &b->cap_iso, b->n_iso + n_iso, sizeof(uint16_t)) != 0)
		return eg__error_set(err, EG_ENOMEM, "index: out of memory");
	if (n_iso > 0)
		memcpy(b->iso_pool + b->n_iso, iso, n_iso * sizeof(uint16_t));
	b->ent_iso_off[entity] = (uint32_t)b->n_iso;
	b->ent_iso_n[entity] = (uint32_t)n_iso;
	b->n_iso += n_iso;
	ix->ent_type[entity] = (uint8_t)type;
	ix->ent_start[entity] = start;
	ix->ent_end[entity] = end;
	b->ent_described[entity] = 1;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

typedef struct fuzzy_sink {
	uint64_t *v;
	size_t n, cap;
	uint32_t id;          /* with EG__FZ_SOUNDED for an abjad or transcribed token */
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
		sink.id = (uint32_t)i | (ix->voc[i].abjad == EG__SCRIPT_ABJAD ||
		                         ix->voc[i].abjad == EG__SCRIPT_TRANSCRIBED ? EG__FZ_SOUNDED : 0);
		rc = eg__index_token_keys(ix->pool + ix->voc[i].off, ix->voc[i].len, ix->voc[i].cls,
		                ix->voc[i].abjad, 0, ix->pool + ix->voc[i].skel, ix->voc[i].skel_len,
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
		ix->fz_slots = eg__calloc(ix->n_fz_slots, sizeof(uint64_t));
		if (ix->fz_slots == NULL)
			return EG_ENOMEM;
		for (i = 0; i < sink.n; i++) {
			uint32_t key = (uint32_t)(sink.v[i] >> 32);
			if (i > 0 && (sink.v[i - 1] >> 32) == key)
				continue;
			j = eg__index_fz_home(ix, key);
			while (ix->fz_slots[j] != 0)
				j = (j + 1) & (ix->n_fz_slots - 1);
			ix->fz_slots[j] = ((uint64_t)key << 32) | (i + 1);
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

/* Each entity's ISO codes, contiguous in entity order; the arrays of
 * codes or of dates are dropped when no entity has one. */
static int finish_entities(eg__index_builder *b)
{
	eg__index *ix = &b->ix;
	size_t e, total = 0;

	for (e = 0; e < ix->n_ents && !ix->has_dates; e++)
		ix->has_dates = ix->ent_start[e] != 0 || ix->ent_end[e] != 0;
	if (!ix->has_dates) {
		eg__free(ix->ent_start);
		eg__free(ix->ent_end);
		ix->ent_start = ix->ent_end = NULL;
	}
	ix->has_iso = b->n_iso > 0;
	if (!ix->has_iso)
		return 0;
	ix->ent_iso_start = eg__calloc(ix->n_ents + 1, sizeof(uint32_t));
	ix->ent_iso = eg__calloc(b->n_iso + 1, sizeof(uint16_t));
	if (ix->ent_iso_start == NULL || ix->ent_iso == NULL)
		return EG_ENOMEM;
	for (e = 0; e < ix->n_ents; e++) {
		ix->ent_iso_start[e] = (uint32_t)total;
		if (b->ent_iso_n[e] > 0)
			memcpy(ix->ent_iso + total, b->iso_pool + b->ent_iso_off[e],
			       b->ent_iso_n[e] * sizeof(uint16_t));
		total += b->ent_iso_n[e];
	}
	ix->ent_iso_start[ix->n_ents] = (uint32_t)total;
	return 0;
}

static void builder_free_scratch(eg__index_builder *b)
{
	eg__free(b->voc_df);
	eg__free(b->ent_described);
	eg__free(b->ent_iso_off);
	eg__free(b->ent_iso_n);
	eg__free(b->iso_pool);
}

int eg__index_builder_finish(eg__index_builder *b, eg__index **out, eg_error *err)
{
	eg__index *ix;
	int rc;

	*out = NULL;
	if ((rc = finish_postings(b)) != 0 || (rc = finish_vocab(b)) != 0 ||
	    (rc = finish_name_weights(b)) != 0 || (rc = finish_entities(b)) != 0) {
		eg__index_builder_free(b);
		return eg__error_set(err, rc, "index: out of memory while finishing");
	}
	ix = eg__malloc(sizeof(*ix));
	if (ix == NULL) {
		eg__index_builder_free(b);
		return eg__error_set(err, EG_ENOMEM, "index: out of memory");
	}
	*ix = b->ix;
	builder_free_scratch(b);
	eg__free(b);
	*out = ix;
	return 0;
}

void eg__index_builder_free(eg__index_builder *b)
{
	if (b == NULL)
		return;
	eg__index_release(&b->ix);
	builder_free_scratch(b);
	eg__free(b);
}

/* "YYYY-MM-DD" as YYYYMMDD, or 0 for NULL or anything else. */
static int32_t ymd(const char *s)
{
	int32_t v = 0;
	size_t i;

	if (s == NULL || strlen(s) != 10 || !eg__date_valid(s, 10))
		return 0;
	for (i = 0; i < 10; i++)
		if (s[i] != '-')
			v = v * 10 + (s[i] - '0');
	return v;
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
		rc = eg__index_builder_entity(b, (uint32_t)i, e->type, e->iso, e->n_iso,
		                              ymd(e->start_date), ymd(e->end_date), err);
		if (rc != 0) {
			eg__index_builder_free(b);
			return rc;
		}
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
