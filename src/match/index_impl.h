/* index_impl.h - the index's private parts, shared by index.c (lifetime
 * and what build and query share: vocabulary lookup, fuzzy keys),
 * index_build.c (builder), index_query.c (query preparation) and
 * index_search.c (candidates, pruning, scoring). Not for other modules.
 *
 * Invariants once built: token ids are dense in [0, n_vocab); post_start has
 * n_vocab + 1 entries and post[post_start[t] .. post_start[t+1]) lists, in
 * increasing order and without repeats, the names holding token t;
 * name_start likewise delimits each name's token ids; fuzzy[] is sorted, each
 * entry (key hash << 32 | EG__FZ_SOUNDED if the token is abjad or a
 * transcription | token id). Nothing changes after finish, so searches need
 * no lock.
 *
 * A search is bound by memory latency more than by arithmetic, so the hash
 * tables keep what a probe compares in the slot itself: a probe that misses
 * reads one cache line, not the vocabulary and the pool behind it. */
#ifndef EG_INDEX_IMPL_H
#define EG_INDEX_IMPL_H

#include "index.h"
#include "util/arena.h"

#include <stddef.h>
#include <stdint.h>

typedef struct eg__index_voc {
	uint32_t off, skel, phon; /* in pool */
	float w;                  /* rarity times class factor */
	uint16_t len;
	uint8_t skel_len, phon_len, cls, abjad;
} eg__index_voc;

struct eg__index {
	/* vocabulary */
	size_t n_vocab;
	char *pool;           /* token texts, skeletons and phonetic keys */
	size_t pool_len;
	eg__index_voc *voc;         /* one record per token: what a comparison reads
	                         sits in one cache line */
	uint64_t *voc_slots;  /* open addressing: the text's hash >> 32 << 32 |
	                         token id + 1; 0 = empty */
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
	uint64_t *fz_slots;   /* key << 32 | its first entry in fuzzy + 1; 0 = empty */
	size_t n_fz_slots;    /* a power of two */
	float w_unknown;      /* weight of a token never seen */
	/* entities, for the filters: n_ents of them, each with its type.
	 * When any has an ISO code (has_iso), entity e's codes are
	 * ent_iso[ent_iso_start[e] .. ent_iso_start[e + 1]); else both arrays
	 * are absent (NULL or empty). When any has a date (has_dates),
	 * ent_start and ent_end hold each one's, YYYYMMDD or 0 for none; else
	 * they are absent. Absent arrays cost nothing for lists (or synthetic
	 * corpora) that carry no country or no date. */
	size_t n_ents;
	uint8_t *ent_type;
	uint32_t *ent_iso_start;
	uint16_t *ent_iso;
	int32_t *ent_start, *ent_end;
	uint8_t has_iso, has_dates;
	/* a mapped index (eg__index_map): every array above points into this
	 * read-only mapping, which eg__index_free unmaps; NULL when built */
	void *map;
	size_t map_len;
};

/* Asks for the cache line holding p ahead of its use: a search waits on
 * memory more than it computes (below). Nothing where the compiler has no
 * such builtin. */
#if defined(__GNUC__) || defined(__clang__)
#define EG__PREFETCH(p) __builtin_prefetch(p)
#else
#define EG__PREFETCH(p) ((void)(p))
#endif

/* Fletcher-64 (J. G. Fletcher, "An Arithmetic Checksum for Serial
 * Transmissions", IEEE Trans. Commun. 1982; the 64-bit form over 32-bit
 * words): over the data as 32-bit words in this machine's byte order, the
 * last one padded with zero bytes, s1 = sum of the words and s2 = sum of
 * the successive s1, both modulo 2^32 - 1; the checksum is s2 << 32 | s1.
 * It detects every error in one word but one (a word of all zero bits
 * changed to all one bits, or back), every reordering of unequal words
 * and most burst errors; not a defence against deliberate change.
 * Chunks may be of any length: the result is that of the data in one. */
typedef struct eg__index_sum {
	uint64_t s1, s2;
	unsigned char pend[4]; /* bytes of a word not complete yet */
	unsigned n_pend;
} eg__index_sum;
void eg__index_sum_init(eg__index_sum *s);
void eg__index_sum_update(eg__index_sum *s, const void *data, size_t len);
uint64_t eg__index_sum_final(eg__index_sum *s);
uint64_t eg__index_checksum(const void *data, size_t len);

/* Finds the token id of text in the vocabulary, or returns -1; *slot (may
 * be NULL) gets the slot where it is or would go. */
long eg__index_voc_find(const eg__index *ix, const char *text, size_t len, size_t *slot);
/* The same with the text's eg__hash_bytes already known. */
long eg__index_voc_find_hashed(const eg__index *ix, const char *text, size_t len, uint64_t hash,
                               size_t *slot);

/* Calls fn for every fuzzy key of a token. The same function makes the keys
 * of the vocabulary (query 0) and of a query (query 1), which is what makes
 * them meet; script is the token's eg__token.abjad. */
typedef int (*eg__index_key_fn)(void *ud, uint32_t key, char kind);
int eg__index_token_keys(const char *t, size_t len, uint8_t cls, uint8_t script, int query,
                         const char *skel, size_t skel_len, const char *phon, size_t phon_len,
                         eg__index_key_fn fn, void *ud);

/* Calls fn for the abjad key key[0..len) (eg__abjad_key) as
 * eg__index_token_keys files it: another reading of an abjad token. */
int eg__index_abjad_key_lookup(const char *key, size_t len, eg__index_key_fn fn, void *ud);

/* A fuzzy entry's flag: its token is written in an abjad or transcribed
 * from a syllabary (eg__index_voc.abjad), what a sound key needs on one
 * side; the id is the entry's low 31 bits. */
#define EG__FZ_SOUNDED 0x80000000u
#define EG__FZ_MAX_VOCAB 0x7FFFFFFFu
static inline uint32_t eg__index_fz_id(uint64_t entry)
{
	return (uint32_t)entry & ~EG__FZ_SOUNDED;
}

/* The home slot of a fuzzy key in fz_slots. */
static inline size_t eg__index_fz_home(const eg__index *ix, uint32_t key)
{
	return (size_t)((key * 0x9E3779B1u) >> 7) & (ix->n_fz_slots - 1);
}

/* The first entry of fuzzy key `key` in fuzzy[] (its entries follow it),
 * or n_fuzzy when no vocabulary token has that key. */
static inline size_t eg__index_fz_first(const eg__index *ix, uint32_t key)
{
	size_t j;

	if (ix->n_fz_slots == 0)
		return ix->n_fuzzy;
	for (j = eg__index_fz_home(ix, key); ix->fz_slots[j] != 0; j = (j + 1) & (ix->n_fz_slots - 1))
		if ((ix->fz_slots[j] >> 32) == key)
			return (uint32_t)ix->fz_slots[j] - 1;
	return ix->n_fuzzy;
}

/* The scorer's view of vocabulary token id. */
static inline void eg__index_voc_feat(const eg__index *ix, uint32_t id, eg__tokfeat *f)
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
void eg__index_token_feat(eg__tokfeat *f, const eg__token *t, char *skel, char *phon);

/* Frees the arrays of ix (not ix itself). */
void eg__index_release(eg__index *ix);

/* A given name and its diminutive ("ted" / "theodore"): a strong match,
 * not an exact one. */
#define EG__NICKNAME_SIM 0.90f

/* A query token the list holds in this very spelling: another listed
 * token near it is as often another name as a spelling of it (Sepahan /
 * SOBHAN, min / man), and the fewer the query's tokens or the shorter the
 * token, the more one look-alike decides the score. Measured on the
 * project's eval set, two-token queries lost a transliteration (qasima /
 * qasem) for no negative gained, so the stricter bound is for one token. Such a match counts
 * only from the similarity this returns for a token of len letters in a
 * query of n_query tokens (0: every match counts): EG__SHORT_QUERY_SIM, a
 * spelling one edit away, in a query of at most EG__SHORT_QUERY_TOKENS
 * tokens; EG__SHORT_TOKEN_SIM for a token of at most EG__SHORT_TOKEN_LEN
 * letters in a longer query with fewer than EG__SHORT_TOKEN_CONTEXT words
 * of more letters (n_long): beside two such words, which tell the name,
 * a short word one letter off is a typo as often as another word ("Fresh
 * Ait Farm House", "Palm Service Ldt"), while a name of short words alone
 * (Korean "Kim Yong Nam") is told by them. Diminutives (data, not
 * look-alikes) and joined or split spellings always count. */
#define EG__SHORT_QUERY_TOKENS 1
#define EG__SHORT_QUERY_SIM 0.92
#define EG__SHORT_TOKEN_LEN 3
#define EG__SHORT_TOKEN_SIM 0.86
#define EG__SHORT_TOKEN_CONTEXT 2
double eg__index_neighbour_sim(size_t len, size_t n_query, size_t n_long);
/* Whether a token of class cls and len letters is one of the longer words
 * EG__SHORT_TOKEN_CONTEXT counts. */
static inline int eg__index_long_word(unsigned cls, size_t len)
{
	return cls == EG__TOK_WORD && len > EG__SHORT_TOKEN_LEN;
}
/* Whether a token is a Latin word of two letters, which eg__short_typo_sim
 * may pair with a name token a letter longer or shorter. */
static inline int eg__index_pair_word(unsigned cls, size_t len, unsigned abjad, uint32_t native)
{
	return cls == EG__TOK_WORD && len == 2 && abjad == 0 && native == 0;
}
/* Whether a query word listed or not (listed) is read through the habits
 * of respell.c: a listed word is not read again ("Szecsin" listed is not
 * SECHIN); a transcription is, its romanisation meeting a listed word by
 * chance (尤里 "youli", a company's YOULI, is YURI). */
static inline int eg__index_reads(int listed, const eg__tokfeat *f)
{
	return !listed || f->abjad == EG__SCRIPT_TRANSCRIBED;
}

/* A name token the list never holds (no exact spelling, no fuzzy key in
 * the vocabulary) is an office, a place, a word of another language as
 * often as a name of another party: its weight, the rarest of the list
 * (w_unknown), would outweigh a whole matched name. When at least
 * EG__UNSEEN_MIN_SEEN tokens of a name are seen, each unseen one weighs at
 * most EG__UNSEEN_CAP times their mean weight: it still costs score (it
 * stays in the query's cover), but one extra word beside a matched name
 * no longer hides it. With fewer seen tokens the unseen ones keep their
 * full weight: "John Doe" against a listed "JOHN" is evidence of another
 * person. seen[i] says whether token i has a listed spelling; w is
 * changed in place. */
#define EG__UNSEEN_CAP 0.5
#define EG__UNSEEN_MIN_SEEN 2
void eg__index_cap_unseen(float *w, const unsigned char *seen, size_t n);

/* The fuzzy keys of one token: eg__index_token_keys makes at most one
 * per letter (a token of at most 40) and four more, for the token and
 * for it without an abjad article, and one more sound key. */
#define EG__QPREP_MAX_KEYS 96
/* The deletion keys of two words joined: the joined text's own and one
 * per letter, at most 40 letters. */
#define EG__JOIN_MAX_KEYS 41

/* One query token's preparation, whatever the index. */
typedef struct eg__qtok {
	eg__tokfeat f;           /* skel and phon point into this struct */
	uint64_t hash;           /* eg__hash_bytes of the text */
	float factor;            /* eg__token_factor of the text */
	char skel[64], phon[64];
	uint32_t key[EG__QPREP_MAX_KEYS];
	char kind[EG__QPREP_MAX_KEYS];
	size_t n_keys;
	size_t nick_start, nick_end; /* its diminutives in the qprep's nick[] */
	size_t var_start, var_end;   /* its readings in the qprep's var[] */
	int var_made;                /* whether they were made (at first need) */
	/* the deletion keys of this token and the next joined (a space a
	 * typist put in: "helicop ter"), which the merge pass may match to
	 * a listed word one edit away; none when not two words of 6 to 40
	 * letters in all */
	uint32_t join_key[EG__JOIN_MAX_KEYS];
	uint8_t n_join_keys;
	char join_text[EG__JOIN_MAX_KEYS];
} eg__qtok;

/* A reading of a query word through another language's spelling habits
 * (eg__text_respell), or of a transcription through the habits of
 * transcription, made when an index does not hold the word, with the
 * fuzzy keys (deletions, wildcards, phonetic; a transcription's reading
 * its sound key too) it is looked up by. A listed
 * word it meets is a match of the query word with EG__RESPELL_SIM times
 * its similarity to the reading, when that is more than the word's own. */
#define EG__RESPELL_SIM 0.90f
/* A reading's similarity below this is not counted: a reading differs
 * from the word in several letters, so only one that nearly is a listed
 * word tells something ("zhinhe", a French reading of "jinhe", is no
 * evidence of "zhanghe"). */
#define EG__RESPELL_MIN_SIM 0.88
/* What a reading that meets listed word n with similarity sim counts, 0
 * for nothing: EG__RESPELL_SIM times sim when sim is at least
 * EG__RESPELL_MIN_SIM; a reading of a transcription whose sound key meets
 * n's, and whose first letter may be n's, counts as much as the word's
 * own letters would then (eg__token_sound_sim, from
 * EG__READING_SOUND_MIN_SIM up: 尤里 "youli" read "yuli", YURI): its
 * readings undo the script's own conventions (pinyin's q and x, Kana's
 * added vowel), which that key cannot. The key alone is too coarse for a
 * reading, one of several guesses ("yeltin", a reading of 옐친 Yeltsin,
 * shares it with URDANETA). */
#define EG__READING_SOUND_MIN_SIM 0.86
static inline float eg__reading_value(const eg__tokfeat *r, const eg__tokfeat *n, double sim)
{
	float v = sim >= EG__RESPELL_MIN_SIM ? EG__RESPELL_SIM * (float)sim : 0.0f;

	if (r->abjad == EG__SCRIPT_TRANSCRIBED && eg__first_sounds_agree(r, n)) {
		double s = eg__token_sound_sim(r, n);
		if (s >= EG__READING_SOUND_MIN_SIM && s > v)
			v = (float)s;
	}
	return v;
}
#define EG__QVAR_MAX_KEYS (EG__RESPELL_MAX + 8)
typedef struct eg__qvar {
	char text[EG__RESPELL_MAX + 1], skel[EG__RESPELL_MAX + 1], phon[EG__RESPELL_MAX + 1];
	uint16_t len, skel_len, phon_len;
	uint8_t abjad;           /* the word's: 0 or EG__SCRIPT_TRANSCRIBED */
	uint32_t key[EG__QVAR_MAX_KEYS];
	size_t n_keys;
} eg__qvar;

typedef struct eg__qnick {
	const char *text;        /* static: the tables of src/text/nickname.c */
	size_t len;
	uint64_t hash;
} eg__qnick;

/* A similarity already computed, for the search of another index: query
 * token qi against a vocabulary token of this text, class and script. */
typedef struct eg__qmemo {
	const char *text;        /* in the pool of the index first met */
	uint32_t hash;
	uint16_t len;
	uint8_t qi, cls, abjad;
	float sim;
} eg__qmemo;
#define EG__QMEMO_SLOTS 512  /* a power of two; filled to 3/4 at most */
#define EG__JUDGED_SLOTS 1024 /* a power of two; filled to half at most */
#define EG__SCRATCH_BLOCK (32 * 1024) /* the scratch arena's block */

struct eg__index_qprep {
	const eg__norm *norm;    /* the query it was made from */
	/* what one search needs for itself (the query's matches, the
	 * candidates, the ranking), rewound by the next: a screen of every
	 * list allocates it once, not at each list */
	eg__arena scratch;
	eg__qmemo *memo;         /* EG__QMEMO_SLOTS, changed by every search */
	uint64_t memo_used[EG__QMEMO_SLOTS / 64]; /* a bit per slot in use */
	size_t n_memo;           /* (the indexes a screen searches all stay
	                          * loaded while it runs) */
	/* the vocabulary tokens one query token was compared with in one
	 * index (index_query.c): stamp << 32 | id + 1 */
	uint64_t judged[EG__JUDGED_SLOTS];
	uint32_t judged_stamp;
	size_t n_judged;
	size_t n;
	eg__qnick *nick;
	size_t n_nick, cap_nick;
	eg__qvar *var;
	size_t n_var, cap_var;
	uint8_t var_abjad;       /* the script of the word being read */
	size_t n_long;           /* eg__index_long_word words */
	int has_pair_word;       /* a word of two letters */
	int oom;
	eg__qtok tok[];          /* n of them, allocated with the struct */
};

/* The split points of a query token looked at: every one where both
 * parts are listed is a way the lists may write it apart. */
#define EG__SPLIT_MAX 4
/* The parts a query token may have: its splits, and the boundaries with
 * its two neighbours moved by one or two letters either way. */
#define EG__PARTS_MAX (2 * EG__SPLIT_MAX + 8)

/* The query side of a search: token features, weights, fuzzy matches. */
#define EG__QPIDS_LOG2 12
#define EG__QPIDS_BITS (1u << EG__QPIDS_LOG2)

typedef struct query {
	size_t n;
	eg__tokfeat f[EG__NORM_MAX_TOKENS]; /* copies of the qprep's */
	float w[EG__NORM_MAX_TOKENS];
	long exact[EG__NORM_MAX_TOKENS];          /* token id or -1 */
	int has_nasab;                            /* a token "bin", "bint" or "ould" */
	int short_typos;                          /* a word of two letters beside
	                                             EG__SHORT_TOKEN_CONTEXT longer words:
	                                             eg__short_typo_sim counts */
	eg__merge_side side;                      /* for eg__score_merge_reach */
	/* fuzzy matches: (token id, similarity), per query token */
	uint32_t *mid[EG__NORM_MAX_TOKENS];
	float *msim[EG__NORM_MAX_TOKENS];
	size_t nm[EG__NORM_MAX_TOKENS];
	/* the listed tokens that are parts of a query token written apart or
	 * with a moved boundary: two for each of its first EG__SPLIT_MAX split
	 * points ("jongun": "jon" + "gun", "jong" + "un") and one for each
	 * boundary with a neighbour moved by a letter or two ("als hami": "al"
	 * + "shami"). Each matches a share of the token, but the merge pass
	 * may match each whole, so the bounds on the covers count them whole:
	 * a part counts its whole name weight, and the rarer part of each pair
	 * the query weight of the token(s) the pair may cover (split_gain; 0
	 * for the commoner part, which counts its similarity as any match):
	 * a name that holds the pair holds the rarer part, and the commoner
	 * ("al") would bring every name that holds it. */
	uint32_t split[EG__NORM_MAX_TOKENS][EG__PARTS_MAX];
	float split_gain[EG__NORM_MAX_TOKENS][EG__PARTS_MAX];
	/* the name weight each part may cover: both tokens of a pair the
	 * merge pass takes for the query token */
	float split_gain_n[EG__NORM_MAX_TOKENS][EG__PARTS_MAX];
	uint8_t n_split[EG__NORM_MAX_TOKENS];
	/* a token whose parts did not all fit: 1, and the bounds count its
	 * weight whole for every name */
	uint8_t parts_full[EG__NORM_MAX_TOKENS];
	/* (query token, token id) -> similarity, open addressing; slots by
	 * the top bits of a multiplicative hash (pshift: 64 - log2 npslots) */
	uint64_t *pkeys;
	float *psim;
	size_t npslots;
	unsigned pshift;
	/* a bit per hash of every token id in the pairs: most tokens of a
	 * candidate name meet no query token, and skip the probes */
	uint64_t pids[EG__QPIDS_BITS / 64];
} eg__index_query;

/* The index of token id among the parts of query token qi (split), or -1. */
static inline int eg__index_split_part(const eg__index_query *q, size_t qi, uint32_t id)
{
	size_t k;

	for (k = 0; k < q->n_split[qi]; k++)
		if (q->split[qi][k] == id)
			return (int)k;
	return -1;
}

/* Notes the parts of listed query token qi that a name may write apart
 * ("abdal": ABD AL): the merge pass matches the pair whole, so the rarer
 * part of each pair brings the names that hold it and counts the token's
 * weight in the bounds, but it is no match of its own (the token's
 * similarities stay what they were). For the tokens a search looks at. */
void eg__index_listed_parts(const eg__index *ix, eg__index_query *q, size_t qi);

/* Prepares the query: features, exact and fuzzy matches, weights, its
 * arrays in the arena a. Returns 0 or EG_ENOMEM. */
int eg__index_query_prepare(const eg__index *ix, eg__index_query *q,
                            const eg__index_qprep *qp, eg__arena *a);

static inline size_t eg__index_pslot(const eg__index_query *q, uint64_t key)
{
	size_t mask = q->npslots - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> q->pshift);

	while (q->pkeys[i] != 0 && q->pkeys[i] != key)
		i = (i + 1) & mask;
	return i;
}

/* Similarity of query token qi and vocabulary token id. */
static inline float eg__index_pair_sim(const eg__index *ix, const eg__index_query *q,
                                       size_t qi, uint32_t id)
{
	uint32_t b = (id * 0x9E3779B1u) >> (32 - EG__QPIDS_LOG2);

	if (q->pids[b / 64] >> (b % 64) & 1) {
		uint64_t key = ((uint64_t)(qi + 1) << 32) | id;
		size_t s = eg__index_pslot(q, key);
		if (q->pkeys[s] == key)
			return q->psim[s];
	}
	/* Initials are never fuzzy-matched through keys; compare directly. */
	if (q->f[qi].len == 1 || ix->voc[id].len == 1) {
		eg__tokfeat f;
		eg__index_voc_feat(ix, id, &f);
		return (float)eg__token_sim(&q->f[qi], &f);
	}
	return 0.0f;
}

#endif
