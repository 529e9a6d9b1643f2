/* score.h - how alike two names are: token similarity and the alignment of
 * a query's tokens with a listed name's tokens.
 *
 * A name score is in [0,1]. Each query token is aligned to at most one name
 * token and each name token to at most one query token (best pairs first);
 * tokens carry weights (rarity in the lists, times a class factor: legal
 * forms, particles and honorifics weigh little). The score combines how
 * much of the query's weight is matched with how much of the name's weight
 * is matched, so unmatched tokens on either side cost in proportion to their
 * weight; word order does not matter. */
#ifndef EG_SCORE_H
#define EG_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "text/normalize.h"

/* What the scorer knows of one token. Strings are not owned. */
typedef struct eg__tokfeat {
	const char *text;
	const char *skel;   /* consonant skeleton (eg__text_skeleton) */
	const char *phon;   /* phonetic key (eg__text_phonetic) */
	uint16_t len, skel_len, phon_len;
	uint8_t cls;        /* eg__tok_class */
	uint8_t abjad;      /* from a script that omits short vowels */
	uint32_t native;    /* eg__token.native, or 0 when not known */
} eg__tokfeat;

/*
 * The exponents of the score. An alignment scores
 *     query_cover^EG__SCORE_QUERY_EXP * name_cover^EG__SCORE_NAME_EXP
 * times factors that are each at most 1 (a token unmatched on both sides,
 * EG__CONFLICT_COST; two legal forms, EG__LEGAL_CONFLICT; a weak alias).
 * The query's cover counts more than the name's; the two sum to 1.
 * eg__score_subset scores query_cover^(1 - EG__SUBSET_NAME_EXP) *
 * name_cover^EG__SUBSET_NAME_EXP instead when that is higher.
 *
 * What depends on them: the candidate index prunes by upper bounds on the
 * score (index_search.c). As both covers are at most 1, every score is at
 * most query_cover^EG__SCORE_QUERY_EXP (true of the subset score too as
 * long as 1 - EG__SUBSET_NAME_EXP >= EG__SCORE_QUERY_EXP), so a name needs
 * a query cover of score^(1 / EG__SCORE_QUERY_EXP) to reach a score; and at
 * most cq^EG__SCORE_QUERY_EXP * cn^e with e = EG__SCORE_NAME_EXP, or
 * EG__SUBSET_NAME_EXP where the subset rule may apply. Change an exponent
 * here and those bounds follow; test_score.c checks the relations they
 * rely on. Doubles, so that the bounds' pow(x, 1 / exp) are
 * computed as before; (float)EG__SCORE_QUERY_EXP is 0.6f.
 */
#define EG__SCORE_QUERY_EXP 0.6
#define EG__SCORE_NAME_EXP 0.4

/* What a token unmatched on both sides costs again (see score.c). */
#define EG__CONFLICT_COST 0.5

/* Similarities below this count as no match at all. */
#define EG__SIM_FLOOR 0.70

/* An abjad word and a Latin one of the same consonant key (vowels free). */
#define EG__ABJAD_KEY_SIM 0.96
/* What an abjad word meets a Latin one at when its letters say too little
 * (two written against four or more, a consonant changed in three, the
 * final vowel written on one side only): below the default threshold on
 * its own, some evidence beside other tokens. */
#define EG__ABJAD_WEAK_SIM 0.74

/* What two Latin tokens meet at when the shorter has three letters or
 * fewer and their consonants differ (eg__same_consonants): below the
 * default threshold on its own. */
#define EG__SHORT_CHANGED_SIM 0.74

/* Whether a[0..al) and b[0..bl) have the same consonants in the same
 * order, h aside and a doubled one as one ("jon" / "john", "ali" / "aly"). */
int eg__same_consonants(const char *a, size_t al, const char *b, size_t bl);

/* Whether abjad token ab[0..al) and Latin token lt[0..ll) agree on ending
 * in a vowel or a consonant (a final he or h agrees with both). */
int eg__abjad_ends_agree(const char *ab, size_t al, const char *lt, size_t ll);

/* Whether Latin token lt[0..ll) has a vowel between every two consonants
 * that abjad token ab[0..al) writes a vowel letter (alef, waw, yod)
 * between; true when the two count their consonants differently. */
int eg__abjad_vowels_written(const char *ab, size_t al, const char *lt, size_t ll);

/* Jaro-Winkler similarity of two byte strings, in [0,1]. */
double eg__jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);
/* Optimal-string-alignment (Damerau) distance, or max + 1 when it exceeds
 * max. Strings longer than 64 bytes give max + 1 unless equal. */
size_t eg__osa_distance(const char *a, size_t alen, const char *b, size_t blen,
                        size_t max);

/* Similarity of a query token and a name token in [0,1]: 1 when equal, 0 for
 * different numbers, high for one typo, a transliteration variant (same
 * phonetic key) or, when either side is from an abjad script, the same
 * consonant skeleton; 0 below EG__SIM_FLOOR. Pure; thread-safe. */
double eg__token_sim(const eg__tokfeat *q, const eg__tokfeat *n);
/* The part of eg__token_sim that a transcription (Kana, Han, Hangul) has
 * of its own: the similarity the sound keys of q and n give (0.90 equal,
 * less for few consonants or a first vowel that differs), 0 for none. */
double eg__token_sound_sim(const eg__tokfeat *q, const eg__tokfeat *n);
/* A Latin word q of two letters one letter away from word n by a letter
 * dropped or added ("lb" / LAB, "et" / SET): EG__SHORT_CHANGED_SIM, else
 * 0. A letter changed is another word as often (Korean "ju" / JO,
 * "kyung-ju" is not "kyong-chol"). The search has no key for such pairs
 * and eg__token_sim scores them 0; a query with two or more longer words,
 * which tell the name, counts them where nothing else met either token
 * (index_search.c). A word of three letters needs none of this: its keys
 * find those neighbours, and eg__token_sim scores them. */
double eg__short_typo_sim(const eg__tokfeat *q, const eg__tokfeat *n);
/* 1 when the first letters of a and b may be one sound in a transcription
 * (b and v, k and kh written h, s and x, l and r, e and y, ...), else 0. */
int eg__first_sounds_agree(const eg__tokfeat *a, const eg__tokfeat *b);

/* Writes into out (at least n + 1 bytes) the key under which a consonant
 * skeleton is compared when one side was written in an abjad: an initial
 * vowel is any vowel, w and y after the first letter are vowel letters
 * (Arabic waw and ya, Hebrew vav and yod) and dropped, and a final t after
 * three or more letters is the Arabic ta marbuta, dropped: "asmt" and "usm"
 * (Usama) share "asm", "mwhmd" and "mhmd" (Muhammad) share "mhmd".
 * Returns the key's length. */
size_t eg__abjad_key(char *out, const char *skel, size_t n);

/* As eg__abjad_key, with a w after the first letter read as the consonant
 * v (Persian and Hebrew write v with waw and vav); 0, out untouched, when
 * the skeleton holds no such w. */
size_t eg__abjad_key_v(char *out, const char *skel, size_t n);

/* Writes into out (at least n + 1 bytes) the coarser key of an abjad key
 * akey[0..n) under which names spelt through the sounds of Kana, Han or
 * Hangul are compared, and under which the index files both: l and r, k
 * and g, t and d, s, z, j and x, sh and s share a letter, a final h is
 * dropped. Returns the key's length. */
size_t eg__sound_key(char *out, const char *akey, size_t n);

/* Whether the abjad words a and b, adjacent, are the parts of a compound
 * name that lists write as one word: عبد or أبو and a name, a name and الله
 * or الدين (نصر الله: NASRALLAH, حزب الله: HIZBALLAH). */
int eg__abjad_compound(const eg__tokfeat *a, const eg__tokfeat *b);

/* The sound key of a token's skeleton skel[0..n): its abjad key (an
 * initial w read as v) through eg__sound_key. out holds 64 bytes. */
size_t eg__sound_key_skel(char *out, const char *skel, size_t n);

/* The length of the Arabic article joined to the front of a token written
 * in an abjad ("alasd" from الأسد: 2), or of a transcription (알아사드
 * "alasad"), else 0; abjad is the token's
 * eg__token.abjad. The word without it is compared and looked up too. */
size_t eg__abjad_article(const char *t, size_t len, int abjad);

/* Class factor of a token's weight (1 for words and numbers). */
double eg__class_factor(unsigned cls);
/* Factor of a token's weight: its class factor, halved for a patronymic
 * ("viktorovich", "ivanovna", "aliyev oglu"). */
double eg__token_factor(const char *text, size_t len, unsigned cls);

#define EG__NO_MATCH 0xFF

/* The result of aligning a query with a name. */
typedef struct eg__alignment {
	uint8_t match[EG__NORM_MAX_TOKENS]; /* query token -> name token, or EG__NO_MATCH */
	float sim[EG__NORM_MAX_TOKENS];     /* similarity of that pair */
	float nsim[EG__NORM_MAX_TOKENS];    /* name token's similarity, 0 if unmatched */
	double query_cover;                 /* matched share of the query's weight */
	double name_cover;                  /* matched share of the name's weight */
	double score;                       /* in [0,1] */
	double conflict;                    /* the lesser unmatched share of the
	                                       two sides (score_finish) */
} eg__alignment;

/*
 * Aligns nq query tokens with nn name tokens given their similarity matrix
 * sim[i * nn + j] and weights wq[i], wn[j] (> 0), and fills out. nq and nn
 * are at most EG__NORM_MAX_TOKENS. Pure; thread-safe.
 */
void eg__score_align(eg__alignment *out, const float *sim, size_t nq, size_t nn,
                     const float *wq, const float *wn);

/*
 * A second pass over an alignment for names written together on one side
 * and apart on the other ("alaqsa" / "al aqsa", "siemensag" / "siemens ag"):
 * an unmatched token may match two adjacent unmatched tokens of the other
 * side taken together. Recomputes the covers and the score. q and n are
 * the tokens the similarity matrix was made of. Then a syllable of a query
 * name written in Hangul or Han left unmatched beside a syllable matched
 * alone costs as a token unmatched on both sides (EG__CONFLICT_COST times
 * its share of the query's weight): 손흥민 is not SON Min.
 */
void eg__score_merge(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                     const eg__tokfeat *n, size_t nn, const float *wq, const float *wn);

/* What eg__score_merge_reach reads of one side's tokens, made once per
 * side by eg__score_merge_side. */
typedef struct eg__merge_side {
	int digit;                          /* a token starts with a digit */
	uint64_t letters;                   /* bit (c & 63) of each first letter c */
	char first[EG__NORM_MAX_TOKENS];    /* each token's first letter */
	uint32_t sum[EG__NORM_MAX_TOKENS + 1]; /* the lengths of tokens [0, i) */
} eg__merge_side;
void eg__score_merge_side(eg__merge_side *s, const eg__tokfeat *t, size_t n);

/*
 * The tokens eg__score_merge may give a similarity the matrix does not
 * hold, whatever the alignment: bit i of *q_reach for query token i, bit j
 * of *n_reach for name token j (nq, nn <= 64; qs and ns made from q and n
 * by eg__score_merge_side). Every other token keeps at most its best
 * similarity in the matrix, which is what lets a search bound a name's
 * score before aligning it (index_search.c). Over-approximates: a set bit
 * says only that the pass may raise it.
 */
void eg__score_merge_reach(const eg__merge_side *qs, const eg__tokfeat *q, size_t nq,
                           const eg__merge_side *ns, const eg__tokfeat *n, size_t nn,
                           uint64_t *q_reach, uint64_t *n_reach);

/* The name cover's exponent for a query that is the listed name with
 * parts left out (eg__score_subset); the usual one is EG__SCORE_NAME_EXP. */
#define EG__SUBSET_NAME_EXP 0.25f
/* The least similarity of every query token for eg__score_subset. */
#define EG__SUBSET_MIN_SIM 0.9f

/*
 * A query of two or more tokens, each matched strongly (0.9 or more) and in
 * the listed name's order (or, when the name has one token more than the
 * query, in that order turned once: "Ali Khamenei" for "KHAMENEI, Ali
 * Husseini"; a title of the query need not match: "Ayatollah Ali
 * Khamenei"), is that name with parts left out: "Boris
 * Johnson" for "Alexandre Boris de Pfeffel Johnson", "Akhtar Mansour" for
 * "Akhtar Mohammad Mansour Shah Mohammed". A person's middle names,
 * patronymics and kunyas go missing so, so the name's cover then weighs
 * EG__SUBSET_NAME_EXP instead of EG__SCORE_NAME_EXP (the query's
 * 1 - EG__SUBSET_NAME_EXP instead of EG__SCORE_QUERY_EXP).
 * Not for names with a legal form or a generic organisation word: a
 * company's extra word names another company ("Banco Santander México");
 * the index applies it to names of individuals (or of no known type) only.
 * Raises al->score only. After eg__score_merge.
 */
void eg__score_subset(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                      const eg__tokfeat *n, size_t nn);

/* What two different legal forms leave of a score: "Deutsche Bank AG" and
 * "Deutsche Bank GmbH" are two companies, whatever their names share. */
#define EG__LEGAL_CONFLICT 0.8

/*
 * Lowers al->score by EG__LEGAL_CONFLICT when both names carry a legal
 * form and none of the query's was matched. After eg__score_merge.
 */
void eg__score_legal_conflict(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                              const eg__tokfeat *n, size_t nn);

/* The least share of a name's weight a token unmatched on both sides
 * costs as (EG__CONFLICT_COST times it), when both are words of a name
 * (eg__score_substitution). */
#define EG__SUBST_MIN_SHARE 0.3

/*
 * A word of the query that is itself listed (q_listed[i] non-zero), left
 * unmatched while a word of the name is left unmatched too, is another
 * name in that place, not a typo of it ("... BEN HAMID AL-AOUADI" /
 * "... BEN ABDALLAH AL-AOUADI"): the substitution costs as if the lesser
 * unmatched share were at least EG__SUBST_MIN_SHARE, however many other
 * tokens the names share. Lowers al->score only. After eg__score_subset.
 */
void eg__score_substitution(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                            const uint8_t *q_listed, const eg__tokfeat *n, size_t nn,
                            const float *wq, const float *wn);

/*
 * An Arabic nasab reads "X bin Y": X son of Y. Two query tokens on either
 * side of "bin" (or "bint", "ould") matched to two different name tokens
 * that stand the other way round across the name's own "bin" ("ABDULLAH
 * BIN OMAR" / "OMAR BIN ABDULLAH") name a son and his father swapped: the
 * pair counts as unmatched, the score times (1 - the lesser of their two
 * sides' shares). Lowers al->score only. After eg__score_merge.
 */
/* Whether t is a particle that links a name to its father's in a nasab:
 * "bin" (ben, ibn), "bint", "ould". */
int eg__score_nasab_link(const eg__tokfeat *t);

void eg__score_nasab_swap(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                          const eg__tokfeat *n, size_t nn, const float *wq, const float *wn);

#endif
