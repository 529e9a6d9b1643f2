/* index.c - what every part of the candidate index shares: its lifetime,
 * vocabulary lookup, the fuzzy keys of a token, token features and the
 * accessors. The builder is in index_build.c, the query's preparation in
 * index_query.c, the search in index_search.c. */
#include "index_impl.h"
#include "util/alloc.h"
#include "util/hash.h"

#include <string.h>
#include <sys/mman.h>

static uint32_t hash32(const char *s, size_t len, char tag)
{
	uint64_t h = eg__hash_bytes(s, len) ^ ((uint64_t)(unsigned char)tag * 0x9E3779B97F4A7C15ULL);
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

long eg__index_voc_find(const eg__index *ix, const char *text, size_t len, size_t *slot)
{
	return eg__index_voc_find_hashed(ix, text, len, eg__hash_bytes(text, len), slot);
}

long eg__index_voc_find_hashed(const eg__index *ix, const char *text, size_t len, uint64_t hash,
                               size_t *slot)
{
	size_t mask = ix->n_voc_slots - 1;
	size_t i = (size_t)hash & mask;
	uint32_t tag = (uint32_t)(hash >> 32);

	for (;;) {
		uint64_t v = ix->voc_slots[i];
		uint32_t id = (uint32_t)v - 1;
		if (v == 0) {
			if (slot != NULL)
				*slot = i;
			return -1;
		}
		if ((uint32_t)(v >> 32) == tag && ix->voc[id].len == len &&
		    memcmp(ix->pool + ix->voc[id].off, text, len) == 0) {
			if (slot != NULL)
				*slot = i;
			return (long)id;
		}
		i = (i + 1) & mask;
	}
}

/* Calls fn for every fuzzy key of a token. The same function makes the keys
 * of the vocabulary and of a query, which is what makes them meet. */
typedef int (*eg__index_key_fn)(void *ud, uint32_t key, char kind);

int eg__index_token_keys(const char *t, size_t len, uint8_t cls, uint8_t script, int query,
                         const char *skel, size_t skel_len, const char *phon, size_t phon_len,
                         eg__index_key_fn fn, void *ud)
{
	int foreign = script == EG__SCRIPT_ABJAD || script == EG__SCRIPT_TRANSCRIBED;
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
	if (skel_len >= 2) {
		char ak[64], key[64];
		size_t al = eg__abjad_key(ak, skel, skel_len < 63 ? skel_len : 63);
		size_t kl = eg__sound_key_skel(key, skel, skel_len);
		/* Two consonants are a key for a short word only: Arabic and
		 * Hebrew spell Ali, Raisi, Said with two and vowel letters.
		 * Every word is filed under its abjad key ('S') and its sound
		 * key ('T'), an abjad word or transcription under its abjad key
		 * again ('A'). A query's abjad word looks up 'S', a
		 * transcription 'T' (the coarser key it needs), any other word
		 * 'A': a Latin query has no use for the Latin words an abjad
		 * key meets. */
		int a_ok = al >= 3 || (al == 2 && len <= 6), k_ok = kl >= 3 || (kl == 2 && len <= 6);
		if (!query) {
			if (a_ok && (rc = fn(ud, hash32(ak, al, 'S'), 'S')) != 0)
				return rc;
			if (k_ok && (rc = fn(ud, hash32(key, kl, 'T'), 'T')) != 0)
				return rc;
			if (a_ok && foreign && (rc = fn(ud, hash32(ak, al, 'A'), 'A')) != 0)
				return rc;
		} else if (script == EG__SCRIPT_ABJAD) {
			if (a_ok && (rc = fn(ud, hash32(ak, al, 'S'), 'S')) != 0)
				return rc;
		} else if (script == EG__SCRIPT_TRANSCRIBED) {
			if (k_ok && (rc = fn(ud, hash32(key, kl, 'T'), 'T')) != 0)
				return rc;
		} else if (a_ok && (rc = fn(ud, hash32(ak, al, 'A'), 'A')) != 0) {
			return rc;
		}
	}
	return 0;
}

int eg__index_abjad_key_lookup(const char *key, size_t len, eg__index_key_fn fn, void *ud)
{
	return len >= 3 ? fn(ud, hash32(key, len, 'S'), 'S') : 0;
}

void eg__index_token_feat(eg__tokfeat *f, const eg__token *t, char *skel, char *phon)
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

void eg__index_release(eg__index *ix)
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
	eg__free(ix->ent_type);
	eg__free(ix->ent_iso_start);
	eg__free(ix->ent_iso);
	eg__free(ix->ent_start);
	eg__free(ix->ent_end);
}

void eg__index_free(eg__index *ix)
{
	if (ix == NULL)
		return;
	if (ix->map != NULL)
		munmap(ix->map, ix->map_len);
	else
		eg__index_release(ix);
	eg__free(ix);
}

size_t eg__index_memory(const eg__index *ix)
{
	size_t v = ix->n_vocab, n = ix->n_names;

	return sizeof(*ix) + ix->pool_len +
	       v * (3 * sizeof(uint32_t) + sizeof(uint16_t) + 4 + sizeof(float)) +
	       ix->n_voc_slots * sizeof(uint64_t) +
	       (v + 1) * sizeof(uint32_t) + ix->post_start[v] * sizeof(uint32_t) +
	       (n + 1) * sizeof(uint32_t) + ix->name_start[n] * sizeof(uint32_t) +
	       n * (sizeof(uint32_t) + sizeof(uint16_t) + 2 + sizeof(float)) +
	       ix->n_fuzzy * sizeof(uint64_t) + ix->n_fz_slots * sizeof(uint64_t) +
	       ix->n_ents +
	       (ix->has_iso ? (ix->n_ents + 1) * sizeof(uint32_t) +
	                      ix->ent_iso_start[ix->n_ents] * sizeof(uint16_t) : 0) +
	       (ix->has_dates ? ix->n_ents * 2 * sizeof(int32_t) : 0);
}

size_t eg__index_names(const eg__index *ix) { return ix->n_names; }
size_t eg__index_vocabulary(const eg__index *ix) { return ix->n_vocab; }
size_t eg__index_entities(const eg__index *ix) { return ix->n_ents; }

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
