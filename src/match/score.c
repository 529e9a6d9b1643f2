/* score.c - token similarity and query/name alignment (see score.h). */
#include "score.h"
#include "lists/isocountry.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

double eg__jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned char amatch[64] = {0}, bmatch[64] = {0};
	size_t window, i, j, m = 0, t = 0, k, prefix = 0;
	double jaro;

	if (alen == 0 || blen == 0)
		return alen == blen ? 1.0 : 0.0;
	if (alen > 64 || blen > 64)
		return (alen == blen && memcmp(a, b, alen) == 0) ? 1.0 : 0.0;
	window = (alen > blen ? alen : blen) / 2;
	window = window > 0 ? window - 1 : 0;
	for (i = 0; i < alen; i++) {
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < blen ? i + window + 1 : blen;
		for (j = lo; j < hi; j++) {
			if (!bmatch[j] && a[i] == b[j]) {
				amatch[i] = bmatch[j] = 1;
				m++;
				break;
			}
		}
	}
	if (m == 0)
		return 0.0;
	for (i = 0, k = 0; i < alen; i++) {
		if (!amatch[i])
			continue;
		while (!bmatch[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	jaro = ((double)m / alen + (double)m / blen + (m - t / 2.0) / m) / 3.0;
	while (prefix < 4 && prefix < alen && prefix < blen && a[prefix] == b[prefix])
		prefix++;
	return jaro + prefix * 0.1 * (1.0 - jaro);
}

/* The OSA distance of a (1 to 64 letters) and b, whole, by the bit-vector
 * method of Hyyrö (2003): one machine word holds a column of the dynamic
 * programme, a letter of b costs a dozen word operations. */
static size_t osa_bits(const unsigned char *a, size_t alen, const unsigned char *b,
                       size_t blen)
{
	uint64_t pm[256]; /* pm[c]: the positions of letter c in a */
	uint64_t vp = ~(uint64_t)0, vn = 0, d0 = 0, pm_prev = 0;
	uint64_t last = (uint64_t)1 << (alen - 1);
	size_t i, dist = alen;

	for (i = 0; i < blen; i++)
		pm[b[i]] = 0;
	for (i = 0; i < alen; i++)
		pm[a[i]] = 0;
	for (i = 0; i < alen; i++)
		pm[a[i]] |= (uint64_t)1 << i;
	for (i = 0; i < blen; i++) {
		uint64_t pmj = pm[b[i]];
		uint64_t tr = ((~d0 & pmj) << 1) & pm_prev; /* a transposition */
		uint64_t hp, hn;
		d0 = (((pmj & vp) + vp) ^ vp) | pmj | vn | tr;
		hp = vn | ~(d0 | vp);
		hn = d0 & vp;
		if (hp & last)
			dist++;
		else if (hn & last)
			dist--;
		hp = (hp << 1) | 1;
		hn <<= 1;
		vp = hn | ~(d0 | hp);
		vn = hp & d0;
		pm_prev = pmj;
	}
	return dist;
}

size_t eg__osa_distance(const char *a, size_t alen, const char *b, size_t blen,
                        size_t max)
{
	size_t d;

	if (alen > 64 || blen > 64)
		return (alen == blen && memcmp(a, b, alen) == 0) ? 0 : max + 1;
	if ((alen > blen ? alen - blen : blen - alen) > max)
		return max + 1;
	if (alen == 0)
		return blen;
	d = osa_bits((const unsigned char *)a, alen, (const unsigned char *)b, blen);
	return d > max ? max + 1 : d;
}

static double maxd(double a, double b) { return a > b ? a : b; }

/* The consonant class of c in an abjad key, given the letter after it
 * (*skip set when the pair is one sound): the letters one abjad letter is
 * spelt with in Latin share a class. Arabic writes p as b and v as f,
 * Hebrew writes b and v, p and f with one letter each; q and k, kh and
 * h (ح, ח), gh and g, zh and j are one letter in one script and two in
 * another's romanisation (ph is not: Persian writes p and h, سپهر
 * Sepehr). */
static char abjad_class(char c, char next, int *skip)
{
	*skip = 0;
	if (next == 'h' && (c == 'k' || c == 'g' || c == 'z' || c == 'c')) {
		*skip = 1;
		/* ch is one sound, kept apart from k (Thai and Korean ch
		 * is a foreign sh: the sound key reads it as s) */
		return c == 'k' ? 'h' : c == 'g' ? 'g' : c == 'z' ? 'j' : 'c';
	}
	switch (c) {
	case 'q': case 'c': return 'k';
	case 'p': case 'f': case 'v': return 'b';
	default: return c;
	}
}

/* The abjad key; w_cons: a w after the first letter is the consonant v
 * (Persian and Hebrew write v with waw, vav: جواد Javad), not a vowel;
 * W_INITIAL: a first w is that consonant (ויקטור Viktor: a word's first
 * waw or vav is never a vowel letter). */
#define W_INITIAL 2
static size_t abjad_key_w(char *out, const char *skel, size_t n, int w_cons)
{
	size_t i, k = 0;
	int vowel = 0; /* a vowel letter since the last consonant written */

	for (i = 0; i < n; i++) {
		int skip;
		char c = abjad_class(skel[i], i + 1 < n ? skel[i + 1] : '\0', &skip);
		i += (size_t)skip;
		if (k == 0 && c != '\0' && strchr("aeiou", c) != NULL)
			c = 'a';
		else if (i == 0 && c == 'w' && (w_cons & W_INITIAL))
			c = 'b';
		/* an initial w or y before a consonant is a vowel letter too
		 * (Hebrew and Arabic write no initial alef in some spellings) */
		else if (k == 0 && (c == 'w' || c == 'y') && i + 1 < n &&
		         strchr("aeiou", skel[i + 1]) == NULL)
			c = 'a';
		else if (i > 0 && c == 'w' && (w_cons & 1))
			c = 'b';
		else if (i > 0 && (c == 'w' || c == 'y')) {
			vowel = 1;
			continue;
		}
		/* one consonant doubled is one; two with a vowel between are
		 * two (داود dwd: Dawood) */
		if (k > 0 && out[k - 1] == c && !vowel)
			continue;
		out[k++] = c;
		vowel = 0;
	}
	/* a final ta marbuta (t) or he (h) after three letters is a vowel */
	if (k >= 4 && (out[k - 1] == 't' || out[k - 1] == 'h'))
		k--;
	out[k] = '\0';
	return k;
}

size_t eg__abjad_key(char *out, const char *skel, size_t n)
{
	return abjad_key_w(out, skel, n, 0);
}

size_t eg__abjad_key_v(char *out, const char *skel, size_t n)
{
	return memchr(skel + (n > 0), 'w', n > 0 ? n - 1 : 0) != NULL ? abjad_key_w(out, skel, n, 1)
	                                                             : 0;
}

/* Whether a and b are equal once runs of one letter are read as one
 * ("kim jong uun", "abdallah"/"abdalah"). */
static int same_undoubled(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i = 0, j = 0;

	while (i < al && j < bl) {
		char c = a[i];
		if (b[j] != c)
			return 0;
		while (i < al && a[i] == c)
			i++;
		while (j < bl && b[j] == c)
			j++;
	}
	return i == al && j == bl;
}

/* Arabic and Persian compound names: "abd"/"abdul"/"abdur" + a name of
 * God ("abdurrahim", "abdurrahman"), a name + "uddin" or "ullah"
 * ("shamsuddin", "sahabuddin", "nasrullah"). Two names sharing the affix
 * are told apart by what is left, which is compared on its own. */
static const char *const name_prefixes[] = {"abdul", "abdel", "abdur", "abdal", "abd"};
static const char *const name_suffixes[] = {"uddin", "uddina", "eddin", "eddine", "udin",
                                            "ullah", "ulla", "allah", "ollah"};

/* Length of the longest affix of the list that t starts (ends, if
 * suffix) with, leaving at least 3 letters; 0 if none. */
static size_t affix_len(const char *t, size_t len, const char *const *list, size_t n,
                        int suffix)
{
	size_t i, best = 0;

	for (i = 0; i < n; i++) {
		size_t al = strlen(list[i]);
		if (al > best && len >= al + 3 &&
		    memcmp(suffix ? t + len - al : t, list[i], al) == 0)
			best = al;
	}
	return best;
}

/* The similarity of the stems of q and n, or -1 when they share no affix. */
static double stem_sim(const eg__tokfeat *q, const eg__tokfeat *n)
{
	size_t np = sizeof(name_prefixes) / sizeof(name_prefixes[0]);
	size_t ns = sizeof(name_suffixes) / sizeof(name_suffixes[0]);
	size_t qa = affix_len(q->text, q->len, name_prefixes, np, 0), na, qoff = 0, noff = 0;
	char qsk[64], nsk[64], qph[64], nph[64];
	eg__tokfeat qs = *q, nst = *n;

	na = affix_len(n->text, n->len, name_prefixes, np, 0);
	if (qa > 0 && qa == na && memcmp(q->text, n->text, qa) == 0) {
		qoff = noff = qa;
	} else {
		qa = affix_len(q->text, q->len, name_suffixes, ns, 1);
		na = affix_len(n->text, n->len, name_suffixes, ns, 1);
		if (qa == 0 || na == 0 || qa != na ||
		    memcmp(q->text + q->len - qa, n->text + n->len - na, qa) != 0)
			return -1.0;
	}
	qs.text = q->text + qoff;
	qs.len = (uint16_t)(q->len - qa);
	nst.text = n->text + noff;
	nst.len = (uint16_t)(n->len - na);
	if (qs.len > 63 || nst.len > 63)
		return -1.0;
	qs.skel_len = (uint16_t)eg__text_skeleton(qsk, qs.text, qs.len);
	qs.skel = qsk;
	qs.phon_len = (uint16_t)eg__text_phonetic(qph, qs.text, qs.len);
	qs.phon = qph;
	nst.skel_len = (uint16_t)eg__text_skeleton(nsk, nst.text, nst.len);
	nst.skel = nsk;
	nst.phon_len = (uint16_t)eg__text_phonetic(nph, nst.text, nst.len);
	nst.phon = nph;
	return eg__token_sim(&qs, &nst);
}

size_t eg__sound_key(char *out, const char *akey, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		char c = akey[i];
		if (i + 1 < n && akey[i + 1] == 'h' && (c == 's' || c == 't')) {
			i++; /* sh, th: s, t */
		} else if (i + 1 < n && c == 't' && akey[i + 1] == 's') {
			c = 's';
			i++;
		}
		switch (c) {
		case 'l': c = 'r'; break;
		case 'g': c = 'k'; break;
		case 'd': c = 't'; break;
		/* c is the abjad key's ch: the sh that Thai and Korean write
		 * ch (บัชชาร์ Bashar) */
		case 'z': case 'j': case 'x': case 'c': c = 's'; break;
		default: break;
		}
		if (k > 0 && out[k - 1] == c)
			continue;
		out[k++] = c;
	}
	if (k >= 4 && out[k - 1] == 'h')
		k--;
	out[k] = '\0';
	return k;
}

size_t eg__sound_key_skel(char *out, const char *skel, size_t n)
{
	char ak[64], sk[64];
	size_t al;

	if (n > 63)
		n = 63;
	/* an initial w is v in a transcription (วิกตอร์ Viktor), where the
	 * abjad key would read a vowel letter */
	memcpy(sk, skel, n);
	if (n > 0 && sk[0] == 'w')
		sk[0] = 'v';
	al = eg__abjad_key(ak, sk, n);
	return eg__sound_key(out, ak, al);
}

static size_t sound_key_of(char *out, const char *skel, size_t n)
{
	return eg__sound_key_skel(out, skel, n);
}

int eg__abjad_compound(const eg__tokfeat *a, const eg__tokfeat *b)
{
	static const char *const firsts[] = {"abd", "abu", "abw"};
	static const char *const seconds[] = {"allh", "allah", "aldyn", "aldin", "aldn"};
	size_t i;

	if (a->abjad != EG__SCRIPT_ABJAD || b->abjad != EG__SCRIPT_ABJAD)
		return 0;
	for (i = 0; i < sizeof(firsts) / sizeof(firsts[0]); i++)
		if (a->len == strlen(firsts[i]) && memcmp(a->text, firsts[i], a->len) == 0)
			return 1;
	for (i = 0; i < sizeof(seconds) / sizeof(seconds[0]); i++)
		if (b->len == strlen(seconds[i]) && memcmp(b->text, seconds[i], b->len) == 0)
			return 1;
	return 0;
}

/* A vowel letter of a Latin spelling, y counted. */
static int latin_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* The consonants of t[0..len) but h, a run of one consonant as one, and
 * a final ng as n (Russian writes a Chinese or Korean -ng as -н: Ван
 * Wang, Хон Hong), in out (at most len bytes); their number. */
static size_t consonants(char *out, const char *t, size_t len)
{
	size_t i, k = 0;

	for (i = 0; i < len; i++) {
		char c = t[i];
		if (latin_vowel(c) || c == 'h')
			continue;
		if (c == 'g' && i + 1 == len && i > 0 && t[i - 1] == 'n')
			continue;
		if (k > 0 && out[k - 1] == c)
			continue;
		out[k++] = c;
	}
	return k;
}

int eg__same_consonants(const char *a, size_t al, const char *b, size_t bl)
{
	char ca[64], cb[64];
	size_t ka, kb;

	if (al > sizeof(ca) || bl > sizeof(cb))
		return 0;
	ka = consonants(ca, a, al);
	kb = consonants(cb, b, bl);
	return ka == kb && memcmp(ca, cb, ka) == 0;
}

/* Whether a letter stands for a vowel: a Latin vowel, y or w (Moscow),
 * an abjad word's alef, waw or yod; at a word's end or between its
 * consonants. */
static int final_vowel(char c)
{
	return latin_vowel(c) || c == 'w';
}

/* The first vowel of t as a transcription writes it: 'o' for Han's ao
 * (绍 shao for sho), '*' for ai (赛 sai for se, or sai), which may be a or
 * e; 0 for none. A u between consonants, and an o after t or d before
 * one, are passed over: Kana and Han add them to a consonant that has no
 * vowel (弗拉 fula for vla, プリ puri for pri, ドミ domi for dmi). */
static char first_vowel(const char *t, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int between = i > 0 && i + 1 < len && !latin_vowel(t[i - 1]) && !latin_vowel(t[i + 1]);
		if (t[i] != 'a' && t[i] != 'e' && t[i] != 'i' && t[i] != 'o' && t[i] != 'u')
			continue;
		if (between && (t[i] == 'u' || (t[i] == 'o' && (t[i - 1] == 't' || t[i - 1] == 'd'))))
			continue;
		if (t[i] == 'a' && i + 1 < len && (t[i + 1] == 'o' || t[i + 1] == 'i'))
			return t[i + 1] == 'o' ? 'o' : '*';
		return t[i];
	}
	return 0;
}

/* Whether the first vowels of a and b may be one sound: Kana, Han and
 * Hangul write an a as a and nothing else as a, while they blur e, i, o
 * and u (伊戈尔 "iger" for Igor); so プーシキン "pushikin" (Pushkin) is not
 * BASHKIN, whose consonants' sound key it shares. */
static int first_vowels_agree(const char *a, size_t al, const char *b, size_t bl)
{
	char x = first_vowel(a, al), y = first_vowel(b, bl);

	return x == 0 || y == 0 || x == '*' || y == '*' || (x == 'a') == (y == 'a');
}

/* Whether a Latin token has a vowel: one without is letters read one by
 * one (SFCC, MSC), not a word an abjad spelling meets by its consonants. */
static int has_vowel(const char *t, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (latin_vowel(t[i]))
			return 1;
	return 0;
}

/* The consonants of t as its abjad key counts them (a first vowel, w or y
 * is one; a letter doubled, or kh, gh, zh, ch, is one), and in *mask bit
 * i set when a vowel, w or y follows the (i + 1)-th before the next. The
 * count may differ from the key's where the key reads more finely; the
 * caller compares the two and trusts only an equal count. */
static size_t vowel_gaps(const char *t, size_t len, uint64_t *mask)
{
	size_t i = 0, k = 0;
	char last = '\0';

	*mask = 0;
	if (len > 0 && final_vowel(t[0])) {
		/* the word's first vowel, with the vowel letters after it */
		k = 1;
		while (i < len && final_vowel(t[i]))
			i++;
	}
	for (; i < len && k < 64; i++) {
		char c = t[i];
		int skip;
		if (final_vowel(c)) {
			if (k > 0)
				*mask |= (uint64_t)1 << (k - 1);
			last = '\0';
			continue;
		}
		c = abjad_class(c, i + 1 < len ? t[i + 1] : '\0', &skip);
		i += (size_t)skip;
		if (c == last)
			continue;
		last = c;
		k++;
	}
	return k;
}

int eg__abjad_vowels_written(const char *ab, size_t al, const char *lt, size_t ll)
{
	uint64_t ma, ml;
	size_t ka = vowel_gaps(ab, al, &ma), kl = vowel_gaps(lt, ll, &ml);

	/* a vowel letter of the abjad word where the Latin spelling has
	 * none between the same consonants; the last gap is the ending's,
	 * which eg__abjad_ends_agree judges */
	if (ka != kl || ka < 2)
		return 1;
	return ((ma & ~ml) & (((uint64_t)1 << (ka - 1)) - 1)) == 0;
}

int eg__abjad_ends_agree(const char *ab, size_t al, const char *lt, size_t ll)
{
	char ea, el;

	if (al == 0 || ll == 0)
		return 1;
	ea = ab[al - 1];
	el = lt[ll - 1];
	/* he (and ta marbuta, read as he) ends a word as a vowel or as h;
	 * so does a Latin h (-ah, -eh) */
	if (ea == 'h' || el == 'h')
		return 1;
	return final_vowel(ea) == final_vowel(el);
}

size_t eg__abjad_article(const char *t, size_t len, int abjad)
{
	return (abjad == EG__SCRIPT_ABJAD || abjad == EG__SCRIPT_TRANSCRIBED) && len >= 5 &&
	       t[0] == 'a' && t[1] == 'l' ? 2 : 0;
}

/* Whether a, written in an abjad with the Arabic article joined to it
 * (الأسد "alasd"), is the word of key k[0..kl) once the article is taken
 * off: lists write the article apart ("AL-ASSAD") or leave it out. */
static int abjad_article_sim(const eg__tokfeat *a, const eg__tokfeat *b, const char *k,
                             size_t kl)
{
	char sk[64], ak[64];
	size_t off = eg__abjad_article(a->text, a->len, a->abjad), sl;

	if (off == 0 || a->len - off > 63 || kl < 2 ||
	    eg__abjad_article(b->text, b->len, EG__SCRIPT_ABJAD) > 0)
		return 0;
	sl = eg__text_skeleton(sk, a->text + off, a->len - off);
	sl = eg__abjad_key(ak, sk, sl);
	return sl == kl && memcmp(ak, k, kl) == 0;
}

/* As abjad_article_sim, for a transcription and sound keys (알아사드
 * "alasad" / "assad"). */
static int sound_article_sim(const eg__tokfeat *a, const eg__tokfeat *b, const char *k,
                             size_t kl)
{
	char sk[64], ak[64];
	size_t off = eg__abjad_article(a->text, a->len, a->abjad), sl;

	if (off == 0 || a->abjad != EG__SCRIPT_TRANSCRIBED || a->len - off > 63 || kl < 3 ||
	    eg__abjad_article(b->text, b->len, EG__SCRIPT_ABJAD) > 0)
		return 0;
	sl = eg__text_skeleton(sk, a->text + off, a->len - off);
	sl = sound_key_of(ak, sk, sl);
	return sl == kl && memcmp(ak, k, kl) == 0;
}

/* The class of a word's first letter as transcriptions write it: one for
 * b, p, f, v, w; one for k, g, q, c, h (Kana, Han and Hangul write kh as
 * h); t, d; s, z, x, j; l, r; a; e, i, y; o, u; any other letter its own. */
static char first_sound(char c)
{
	static const char *const classes[] = {"bpfvw", "kgqch", "td", "szxj", "lr", "eiy", "ou"};
	size_t i;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strchr(classes[i], c) != NULL)
			return classes[i][0];
	return c;
}

int eg__first_sounds_agree(const eg__tokfeat *a, const eg__tokfeat *b)
{
	return a->len > 0 && b->len > 0 && first_sound(a->text[0]) == first_sound(b->text[0]);
}

/* A name spelt through Kana, Han or Hangul sounds: l for r, p for f, k
 * for g, j for z (ラ, 라, 拉 are all "la" or "ra"); what the sound keys of
 * q and n say of them. */
double eg__token_sound_sim(const eg__tokfeat *q, const eg__tokfeat *n)
{
	char qk[64], nk[64];
	size_t ql, nl, minlen = q->len < n->len ? q->len : n->len;
	int agree;

	if (q->skel_len < 2 || n->skel_len < 2 || minlen < 3 ||
	    (size_t)(q->len > n->len ? q->len - n->len : n->len - q->len) > 1 + minlen / 3)
		return 0.0;
	ql = sound_key_of(qk, q->skel, q->skel_len);
	nl = sound_key_of(nk, n->skel, n->skel_len);
	agree = first_vowels_agree(q->text, q->len, n->text, n->len);
	/* three consonants of a long word say little, nor do the consonants
	 * of a word whose first vowel differs: a lesser score; two are the
	 * whole of a short word (アリー ari: Ali) */
	if (ql >= 3 && ql == nl && memcmp(qk, nk, ql) == 0)
		return agree && (ql >= 4 || (q->len <= 6 && n->len <= 6)) ? 0.90 : 0.72;
	if (ql == 2 && ql == nl && memcmp(qk, nk, ql) == 0 && q->len <= 4 && n->len <= 4 && agree)
		return 0.86;
	if (sound_article_sim(q, n, nk, nl) || sound_article_sim(n, q, qk, ql))
		return 0.88;
	if (ql >= 4 && nl >= 4 && eg__osa_distance(qk, ql, nk, nl, 1) == 1)
		return 0.80;
	return 0.0;
}

/* Whether a and b begin with other consonants: the letters before their
 * first vowel differ (a first y counts as a consonant). */
static int other_initial(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i = 0, j = 0;

	if (al > 0 && (a[0] == 'y' || !latin_vowel(a[0])))
		for (i = 1; i < al && !latin_vowel(a[i]); i++)
			;
	if (bl > 0 && (b[0] == 'y' || !latin_vowel(b[0])))
		for (j = 1; j < bl && !latin_vowel(b[j]); j++)
			;
	return i != j || memcmp(a, b, i) != 0;
}

/* Whether q and n are two Chinese or Korean syllables written in Latin
 * letters (data/text/chinese_syllables.tsv) that begin with other
 * consonants: another syllable, so another name (KANG / JANG, HONG / SONG,
 * WANG / YANG), however close their letters. A syllable is read whole, as
 * a word of three letters is; a vowel changed is a spelling (KYONG /
 * KYUNG). */
static int other_syllable(const eg__tokfeat *q, const eg__tokfeat *n)
{
	return q->len >= 4 && n->len >= 4 && q->abjad == 0 && n->abjad == 0 &&
	       q->cls == EG__TOK_WORD && n->cls == EG__TOK_WORD &&
	       other_initial(q->text, q->len, n->text, n->len) &&
	       eg__text_is_syllable(q->text, q->len) && eg__text_is_syllable(n->text, n->len);
}

static double token_sim(const eg__tokfeat *q, const eg__tokfeat *n)
{
	size_t minlen, d;
	double s = 0.0, jw;

	/* Two syllables both written in Han or Hangul are the same when
	 * their characters are: one spelling may stand for several (정 and 종
	 * are both "jong"). */
	if (q->native != 0 && n->native != 0)
		return q->native == n->native ? 1.0 : 0.0;
	if (q->len == n->len && memcmp(q->text, n->text, q->len) == 0)
		return 1.0;
	if (q->cls == EG__TOK_NUMBER || n->cls == EG__TOK_NUMBER)
		return 0.0;
	/* A syllable written in Han or Hangul is one character: a different
	 * letter in its transliteration is a different character, not a
	 * typo. */
	if (q->abjad == EG__SCRIPT_SYLLABIC || n->abjad == EG__SCRIPT_SYLLABIC)
		return 0.0;
	minlen = q->len < n->len ? q->len : n->len;
	if (minlen == 1) /* an initial stands for a name with that first letter */
		return q->text[0] == n->text[0] ? 0.72 : 0.0;
	/* cheap tests first: a shared "abd" or the same last two letters */
	if (minlen >= 6 && q->text[0] == n->text[0] &&
	    ((memcmp(q->text, "abd", 3) == 0 && memcmp(n->text, "abd", 3) == 0) ||
	     memcmp(q->text + q->len - 2, n->text + n->len - 2, 2) == 0) &&
	    (s = stem_sim(q, n)) >= 0.0)
		return s;
	/* Most pairs are one edit apart or far apart: a linear test first,
	 * the banded distance only where two edits can still count. */
	if (eg__text_one_edit(q->text, q->len, n->text, n->len))
		d = 1;
	else if (minlen >= 4)
		d = eg__osa_distance(q->text, q->len, n->text, n->len, 2);
	else
		d = 3;
	if (same_undoubled(q->text, q->len, n->text, n->len))
		/* "uun" / "un", "mohammed" / "mohamed": a doubled letter is a
		 * spelling, in a short token too */
		s = 0.92;
	else if (d == 1 && minlen >= 4)
		s = 0.92;
	else if (d == 1 && minlen == 3)
		/* "jon"/"john" is a spelling; "nso"/"eso", a letter changed in
		 * three, is as often another name */
		s = q->len == n->len ? 0.78 : 0.86;
	else if (d == 2 && minlen >= 6)
		s = 0.82;
	/* one typo in a long token: nothing below can say more, but the
	 * skeleton of an abjad spelling */
	if (s >= 0.92 && q->abjad != EG__SCRIPT_ABJAD && n->abjad != EG__SCRIPT_ABJAD)
		return other_syllable(q, n) ? EG__SHORT_CHANGED_SIM : s;
	/* Jaro-Winkler counts only where the distance may: computed there only */
	if (minlen >= 3 && (minlen < 4 || d <= 2) &&
	    (jw = eg__jaro_winkler(q->text, q->len, n->text, n->len)) >= 0.90)
		s = maxd(s, 0.75 + (jw - 0.90) * 1.5);
	if (q->phon_len >= 2 && q->phon_len == n->phon_len &&
	    memcmp(q->phon, n->phon, q->phon_len) == 0 && minlen >= 3)
		/* a key of three letters or fewer says less; a key of two
		 * words that differ in their first consonant and vowel both
		 * (Pushkin / BASHKIN, as Yevgeniy / Evgeniy do not) says
		 * little; a first vowel is often spelt otherwise (Esad /
		 * Assad, Osama / Usama) */
		s = maxd(s, q->text[0] != n->text[0] &&
		                    (!latin_vowel(q->text[0]) || !latin_vowel(n->text[0])) &&
		                    !first_vowels_agree(q->text, q->len, n->text, n->len)
		                ? 0.72
		                : q->phon_len >= 4 ? 0.90 : 0.82);
	if ((q->abjad == EG__SCRIPT_ABJAD || n->abjad == EG__SCRIPT_ABJAD) && q->skel_len >= 2 &&
	    q->cls == n->cls) {
		/* Arabic and Hebrew script omit short vowels, so transliterations
		 * agree on consonants only. */
		char qk[64], nk[64];
		size_t ql0 = q->skel_len < 63 ? q->skel_len : 63;
		size_t nl0 = n->skel_len < 63 ? n->skel_len : 63;
		size_t ql = eg__abjad_key(qk, q->skel, ql0);
		size_t nl = eg__abjad_key(nk, n->skel, nl0);
		char vk[64];
		size_t vl;
		double a = 0.0;
		const eg__tokfeat *ab = q->abjad == EG__SCRIPT_ABJAD ? q : n;
		const eg__tokfeat *lt = ab == q ? n : q;
		/* two consonants say less than three, unless they are all
		 * the short word has (עלי Ali; ראיסי Raisi, Rossi?); a word
		 * of two written letters, or two against four or more of a
		 * Latin spelling, leaves its vowels unwritten: too little to
		 * tell one name from another (פז: Faiz, Foz; טב: Taba, Top) */
		if (ql >= 2 && ql == nl && memcmp(qk, nk, ql) == 0)
			a = ql >= 3 ? EG__ABJAD_KEY_SIM
			    : ab->len <= 2 || (size_t)lt->len >= (size_t)ab->len + 2 ? EG__ABJAD_WEAK_SIM
			    : (q->len > n->len ? q->len : n->len) <= 3 ? EG__ABJAD_KEY_SIM
			                                                : 0.84;
		/* the abjad side's waw read as v (جواد jwad: Javad) */
		else if (((vl = eg__abjad_key_v(vk, q->abjad == EG__SCRIPT_ABJAD ? q->skel : n->skel,
		                                 q->abjad == EG__SCRIPT_ABJAD ? ql0 : nl0)) >= 3 &&
		          vl == (q->abjad == EG__SCRIPT_ABJAD ? nl : ql) &&
		          memcmp(vk, q->abjad == EG__SCRIPT_ABJAD ? nk : qk, vl) == 0))
			a = 0.93;
		/* a first waw read as v, the others as vowels (ויקטור
		 * wyqtwr: Viktor) */
		else if (ab->skel_len >= 3 && ab->skel[0] == 'w' &&
		         (vl = abjad_key_w(vk, ab->skel, ab == q ? ql0 : nl0, W_INITIAL)) >= 3 &&
		         vl == (ab == q ? nl : ql) && memcmp(vk, ab == q ? nk : qk, vl) == 0)
			a = 0.93;
		else if ((s < 0.90 || lt->abjad == 0) && (abjad_article_sim(q, n, nk, nl) ||
		                      abjad_article_sim(n, q, qk, ql)))
			a = 0.90;
		/* a consonant changed: of three, a third of the word */
		else if (ql >= 3 && nl >= 3 && eg__osa_distance(qk, ql, nk, nl, 1) == 1)
			a = ql >= 4 && nl >= 4 ? 0.80 : EG__ABJAD_WEAK_SIM;
		if (lt->abjad == 0) {
			/* An abjad word against a Latin one: its letters are
			 * the evidence, so the Latin spelling's edits (which
			 * count guessed vowels as letters) do not; and it
			 * writes a word's final vowel (alef, waw, yod), so a
			 * Latin spelling ending in a vowel where it ends in a
			 * consonant, or the other way round, is another word
			 * (דלק / DELICE, سعدی / SAID, עזרא / Ezra is one); a
			 * Latin token without a vowel is letters read one by
			 * one (سابك / SFCC); and it writes long vowels, so a
			 * vowel letter where the Latin spelling has no vowel
			 * between the same consonants is another word too
			 * (أرامكو / ARMACO, محمود / MAHAMAT) */
			if (a > EG__ABJAD_WEAK_SIM && (!eg__abjad_ends_agree(ab->text, ab->len,
			                                                     lt->text, lt->len) ||
			                               !has_vowel(lt->text, lt->len) ||
			                               !eg__abjad_vowels_written(ab->text, ab->len,
			                                                         lt->text, lt->len)))
				a = EG__ABJAD_WEAK_SIM;
			s = a;
		} else {
			s = maxd(s, a);
		}
	}
	if ((q->abjad == EG__SCRIPT_TRANSCRIBED || n->abjad == EG__SCRIPT_TRANSCRIBED) && s < 0.90)
		s = maxd(s, eg__token_sound_sim(q, n));
	/* A word of three letters or fewer is read whole: a consonant of
	 * it changed, moved or added is another word (DHL / DML, NBA / NPA,
	 * SPD / SPND, Kim / Kin), a vowel or an h is spelling (Ali / Aly,
	 * Jon / John); words only: a legal form's abbreviation drops
	 * consonants (Lda / LTDA) */
	if (minlen <= 3 && s > EG__SHORT_CHANGED_SIM && q->abjad == 0 && n->abjad == 0 &&
	    q->cls == EG__TOK_WORD && n->cls == EG__TOK_WORD &&
	    !eg__same_consonants(q->text, q->len, n->text, n->len))
		s = EG__SHORT_CHANGED_SIM;
	else if (s > EG__SHORT_CHANGED_SIM && other_syllable(q, n))
		s = EG__SHORT_CHANGED_SIM;
	return s >= EG__SIM_FLOOR ? s : 0.0;
}

/* Two countries' names are never one name misspelt: IRAQ is not IRAN,
 * NIGER not NIGERIA, MALI not MALAWI, however close their letters
 * ("Central Bank of Iraq" met CENTRAL BANK OF IRAN at 0.975). Latin words
 * only, as normalisation writes them; a country and its nationality's
 * adjective (IRAN, IRANIAN) are no two countries. */
static int other_countries(const eg__tokfeat *q, const eg__tokfeat *n)
{
	uint16_t a, b;

	if (q->cls != EG__TOK_WORD || n->cls != EG__TOK_WORD || q->abjad != 0 || n->abjad != 0)
		return 0;
	if ((a = eg__isocountry_word(q->text, q->len)) == 0)
		return 0;
	b = eg__isocountry_word(n->text, n->len);
	return b != 0 && b != a;
}

double eg__token_sim(const eg__tokfeat *q, const eg__tokfeat *n)
{
	double s = token_sim(q, n);

	return s > 0.0 && s < 1.0 && other_countries(q, n) ? 0.0 : s;
}

double eg__short_typo_sim(const eg__tokfeat *q, const eg__tokfeat *n)
{
	if (q->cls != EG__TOK_WORD || n->cls != EG__TOK_WORD || q->abjad != 0 || n->abjad != 0 ||
	    q->native != 0 || n->native != 0 || q->len != 2 || (n->len != 1 && n->len != 3))
		return 0.0;
	return eg__text_one_edit(q->text, q->len, n->text, n->len) ? EG__SHORT_CHANGED_SIM : 0.0;
}

double eg__class_factor(unsigned cls)
{
	switch (cls) {
	case EG__TOK_LEGAL: return 0.12;
	case EG__TOK_PARTICLE: return 0.35;
	case EG__TOK_HONORIFIC: return 0.05;
	case EG__TOK_ORGWORD: return 0.3;
	default: return 1.0;
	}
}

/* Whether every name token before name token `first` is matched by a
 * query token, but a particle or honorific, which a query often leaves out
 * (`Walid Rawi` for AL-RAWI). */
static int name_head_matched(const eg__alignment *al, size_t nq, const eg__tokfeat *n,
                             size_t first)
{
	size_t i, j;

	for (j = 0; j < first; j++) {
		if (n[j].cls == EG__TOK_PARTICLE || n[j].cls == EG__TOK_HONORIFIC)
			continue;
		for (i = 0; i < nq && al->match[i] != j; i++)
			;
		if (i == nq)
			return 0;
	}
	return 1;
}

void eg__score_subset(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                      const eg__tokfeat *n, size_t nn)
{
	size_t i, last = 0, turns = 0, nw = 0, first = EG__NO_MATCH;
	double sc;

	/* a title or office of the query is no part of the name: it need not
	 * match, and is not counted ("Ayatollah Ali Khamenei") */
	for (i = 0; i < nq; i++)
		nw += q[i].cls != EG__TOK_HONORIFIC;
	if (nw < 2 || nn <= nw || al->name_cover >= 1.0)
		return;
	/* In the name's order, or in that order turned once: a list writes
	 * "KHAMENEI, Ali Husseini", the world "Ali Khamenei" (the query's
	 * tokens in increasing order but for one turn, after which none
	 * reaches the first token's again). With more than one name token
	 * left out, only the turn of a list's "SURNAME, Given Middle" counts:
	 * every name token before the query's first is matched after the
	 * turn, so the query starts with the first given name and leaves out
	 * middle ones ("Walid AL-RAWI" / "AL-RAWI, Walid Talib Zughayr"), not
	 * given names before it ("Ismail Yassin" / "YASSIN, Sheik Ahmed
	 * Ismail") */
	for (i = 0; i < nq; i++) {
		if (q[i].cls == EG__TOK_HONORIFIC && al->match[i] == EG__NO_MATCH)
			continue;
		if (al->sim[i] < EG__SUBSET_MIN_SIM || al->match[i] == EG__NO_MATCH ||
		    q[i].cls == EG__TOK_LEGAL || q[i].cls == EG__TOK_ORGWORD)
			return;
		if (first == EG__NO_MATCH) {
			first = al->match[i];
		} else if (al->match[i] <= last &&
		           (++turns > 1 || al->match[i] >= first)) {
			return;
		}
		if (turns > 0 && al->match[i] >= first)
			return;
		last = al->match[i];
	}
	if (turns > 0 && nn > nw + 1 && !name_head_matched(al, nq, n, first))
		return;
	for (i = 0; i < nn; i++)
		if (n[i].cls == EG__TOK_LEGAL || n[i].cls == EG__TOK_ORGWORD)
			return;
	sc = pow(al->query_cover, 1.0 - EG__SUBSET_NAME_EXP) *
	     pow(al->name_cover, EG__SUBSET_NAME_EXP);
	if (sc > al->score)
		al->score = sc;
}

void eg__score_legal_conflict(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                              const eg__tokfeat *n, size_t nn)
{
	size_t i;
	int legal_q = 0, legal_n = 0;

	for (i = 0; i < nq; i++) {
		if (q[i].cls != EG__TOK_LEGAL)
			continue;
		if (al->sim[i] > 0.0f)
			return; /* a legal form matched */
		legal_q = 1;
	}
	for (i = 0; i < nn && !legal_n; i++)
		legal_n = n[i].cls == EG__TOK_LEGAL;
	if (legal_q && legal_n)
		al->score *= EG__LEGAL_CONFLICT;
}

void eg__score_substitution(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                            const uint8_t *q_listed, const eg__tokfeat *n, size_t nn,
                            const float *wq, const float *wn)
{
	int word_q = 0, word_n = 0;
	size_t i;

	(void)wq;
	(void)wn;
	/* score_finish charged 1 - EG__CONFLICT_COST * conflict already: no
	 * substitution (conflict 0) or one that costs enough needs no look */
	if (al->score <= 0.0 || al->conflict <= 0.0 || al->conflict >= EG__SUBST_MIN_SHARE)
		return;
	for (i = 0; i < nq && !word_q; i++)
		word_q = al->sim[i] <= 0.0f && q[i].cls == EG__TOK_WORD && q_listed[i];
	for (i = 0; i < nn && word_q && !word_n; i++)
		word_n = al->nsim[i] <= 0.0f && n[i].cls == EG__TOK_WORD;
	if (word_q && word_n)
		al->score *= (1.0 - EG__CONFLICT_COST * EG__SUBST_MIN_SHARE) /
		             (1.0 - EG__CONFLICT_COST * al->conflict);
}

int eg__score_nasab_link(const eg__tokfeat *t)
{
	return t->cls == EG__TOK_PARTICLE &&
	       ((t->len == 3 && memcmp(t->text, "bin", 3) == 0) ||
	        (t->len == 4 && memcmp(t->text, "bint", 4) == 0) ||
	        (t->len == 4 && memcmp(t->text, "ould", 4) == 0));
}

void eg__score_nasab_swap(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                          const eg__tokfeat *n, size_t nn, const float *wq, const float *wn)
{
	double tq = 0, tn = 0, worst = 0;
	size_t i, j;

	if (al->score <= 0.0 || nq < 3 || nn < 3)
		return;
	for (i = 1; i + 1 < nq; i++) {
		size_t x, y;
		if (!eg__score_nasab_link(&q[i]) || al->match[i - 1] == EG__NO_MATCH ||
		    al->match[i + 1] == EG__NO_MATCH || al->sim[i - 1] < 0.9f || al->sim[i + 1] < 0.9f)
			continue;
		x = al->match[i - 1]; /* the son's name token */
		y = al->match[i + 1]; /* the father's */
		if (y >= x || (n[x].len == n[y].len && memcmp(n[x].text, n[y].text, n[x].len) == 0))
			continue;
		/* the name says "Y bin ... X": Y the son */
		for (j = y + 1; j < x && !eg__score_nasab_link(&n[j]); j++)
			;
		if (j == x)
			continue;
		if (tq == 0) {
			for (j = 0; j < nq; j++)
				tq += wq[j];
			for (j = 0; j < nn; j++)
				tn += wn[j];
		}
		{
			double sq = (wq[i - 1] + wq[i + 1]) / tq, sn = (wn[x] + wn[y]) / tn;
			double s = sq < sn ? sq : sn;
			if (s > worst)
				worst = s;
		}
	}
	if (worst > 0.0)
		al->score *= 1.0 - (worst < 1.0 ? worst : 1.0);
}

/* Whether a word is a patronymic by its ending: Slavic -ovich, -evich
 * (ICU's -ovic), -ovna, -evna, -ichna; Turkic -ogly, -oglu, -kyzy. */
static int patronymic(const char *t, size_t len)
{
	static const char *const ends[] = {"ovich", "evich", "ovic", "evic", "ovna", "evna",
	                                   "ichna", "ogly", "oglu", "kyzy"};
	size_t i;

	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		size_t el = strlen(ends[i]);
		if (len >= el + 3 && memcmp(t + len - el, ends[i], el) == 0)
			return 1;
	}
	return 0;
}

double eg__token_factor(const char *text, size_t len, unsigned cls)
{
	/* a patronymic is as often left out as written ("Sergey Lavrov" for
	 * "Sergey Viktorovich LAVROV"), and tells less than a given name */
	if (cls == EG__TOK_WORD && patronymic(text, len))
		return 0.5;
	return eg__class_factor(cls);
}

/* Covers and score from the per-token similarities of both sides.
 *
 * The query's cover counts more than the name's: a party's extra tokens are
 * stronger evidence against a match than a listed name's extra ones
 * (middle names, patronymics and legal forms go missing in real queries).
 * A token left unmatched on both sides is a substitution, not an omission
 * ("AL-RAWI" for "AL-TIKRITI"): the lesser of the two unmatched shares
 * costs again. */
static void score_finish(eg__alignment *out, size_t nq, size_t nn, const float *wq,
                         const float *wn)
{
	double sq = 0, tq = 0, sn = 0, tn = 0, uq = 0, un = 0, conflict;
	size_t i, j;

	for (i = 0; i < nq; i++) {
		tq += wq[i];
		sq += wq[i] * out->sim[i];
		if (out->sim[i] <= 0.0f)
			uq += wq[i];
	}
	for (j = 0; j < nn; j++) {
		tn += wn[j];
		sn += wn[j] * out->nsim[j];
		if (out->nsim[j] <= 0.0f)
			un += wn[j];
	}
	out->query_cover = tq > 0 ? sq / tq : 0.0;
	out->name_cover = tn > 0 ? sn / tn : 0.0;
	uq = tq > 0 ? uq / tq : 1.0;
	un = tn > 0 ? un / tn : 1.0;
	conflict = uq < un ? uq : un;
	out->conflict = conflict;
	/* cq^EG__SCORE_QUERY_EXP * cn^EG__SCORE_NAME_EXP, by one exp of logs
	 * in float: a third of two pows */
	if (out->query_cover <= 0.0 || out->name_cover <= 0.0)
		out->score = 0.0;
	else
		out->score = (double)expf((float)EG__SCORE_QUERY_EXP * logf((float)out->query_cover) +
		                          (float)EG__SCORE_NAME_EXP * logf((float)out->name_cover)) *
		             (1.0 - EG__CONFLICT_COST * conflict);
	if (out->score > 1.0)
		out->score = 1.0;
}

void eg__score_align(eg__alignment *out, const float *sim, size_t nq, size_t nn,
                     const float *wq, const float *wn)
{
	uint8_t qused[EG__NORM_MAX_TOKENS] = {0}, nused[EG__NORM_MAX_TOKENS] = {0};
	/* the pairs of non-zero similarity, in (i, j) order: a pair of zero is
	 * never taken, and most pairs are zero */
	uint8_t ci[EG__NORM_MAX_TOKENS * EG__NORM_MAX_TOKENS];
	uint8_t cj[EG__NORM_MAX_TOKENS * EG__NORM_MAX_TOKENS];
	float cv[EG__NORM_MAX_TOKENS * EG__NORM_MAX_TOKENS];
	size_t i, j, k, c, n_cell = 0;

	for (i = 0; i < nq; i++) {
		out->match[i] = EG__NO_MATCH;
		out->sim[i] = 0.0f;
		for (j = 0; j < nn; j++)
			if (sim[i * nn + j] > 0.0f) {
				ci[n_cell] = (uint8_t)i;
				cj[n_cell] = (uint8_t)j;
				cv[n_cell++] = sim[i * nn + j];
			}
	}
	for (j = 0; j < nn; j++)
		out->nsim[j] = 0.0f;
	/* Greedy: the best remaining pair first. Exact for the usual case of
	 * one clearly best pair per token; nq, nn <= 64 keep it cheap. */
	for (k = 0; k < nq && k < nn; k++) {
		float best = 0.0f;
		size_t bi = 0, bj = 0;
		for (c = 0; c < n_cell; c++) {
			float v = cv[c];
			i = ci[c];
			j = cj[c];
			/* Ties go to the heavier pair, so a rare token is not
			 * spent on a common one. */
			if (!qused[i] && !nused[j] &&
			    (v > best || (v == best && wq[i] + wn[j] > wq[bi] + wn[bj]))) {
				best = v;
				bi = i;
				bj = j;
			}
		}
		if (best <= 0.0f)
			break;
		qused[bi] = nused[bj] = 1;
		out->match[bi] = (uint8_t)bj;
		out->sim[bi] = best;
		out->nsim[bj] = best;
	}
	score_finish(out, nq, nn, wq, wn);
}

/* --- runs of tokens ------------------------------------------------------
 * The merge pass (eg__score_merge) lets one token of a side stand for a run
 * of up to MAX_RUN adjacent tokens of the other side. */
#define MAX_RUN 3

/* English number words, cardinal and ordinal; 100 and 1000 multiply. */
#define W(w, v) {w, sizeof(w) - 1, v}
static const struct {
	const char *w;
	size_t len;
	int v;
} number_words[] = {
	W("zero", 0), W("one", 1), W("two", 2), W("three", 3), W("four", 4), W("five", 5),
	W("six", 6), W("seven", 7), W("eight", 8), W("nine", 9), W("ten", 10), W("eleven", 11),
	W("twelve", 12), W("thirteen", 13), W("fourteen", 14), W("fifteen", 15), W("sixteen", 16),
	W("seventeen", 17), W("eighteen", 18), W("nineteen", 19), W("twenty", 20),
	W("thirty", 30), W("forty", 40), W("fifty", 50), W("sixty", 60), W("seventy", 70),
	W("eighty", 80), W("ninety", 90), W("hundred", 100), W("thousand", 1000), W("first", 1),
	W("second", 2), W("third", 3), W("fourth", 4), W("fifth", 5), W("sixth", 6),
	W("seventh", 7), W("eighth", 8), W("ninth", 9), W("tenth", 10), W("eleventh", 11),
	W("twelfth", 12), W("thirteenth", 13), W("fourteenth", 14), W("fifteenth", 15),
	W("sixteenth", 16), W("seventeenth", 17), W("eighteenth", 18), W("nineteenth", 19),
	W("twentieth", 20), W("thirtieth", 30), W("fortieth", 40), W("fiftieth", 50),
	W("sixtieth", 60), W("seventieth", 70), W("eightieth", 80), W("ninetieth", 90),
	W("hundredth", 100), W("thousandth", 1000),
};
#undef W

/* The value of a number word, one edit allowed in a word of five letters
 * or more ("fourty"); -1 if none. */
static int number_word(const char *t, size_t len)
{
	size_t i;
	int fuzzy = -1;

	/* every number word is 3 to 11 letters and starts with one of these */
	if (len < 3 || len > 12 || strchr("zotfsenh", t[0]) == NULL)
		return -1;
	for (i = 0; i < sizeof(number_words) / sizeof(number_words[0]); i++) {
		size_t wl = number_words[i].len;
		if (wl == len && memcmp(t, number_words[i].w, len) == 0)
			return number_words[i].v;
		if (fuzzy < 0 && wl >= 5 && len >= 5 && eg__text_one_edit(t, len, number_words[i].w, wl))
			fuzzy = number_words[i].v;
	}
	return fuzzy;
}

/* The value of digits with an optional ordinal ending ("44", "1st",
 * "23rd"); -1 if t is not that. */
static long number_digits(const char *t, size_t len)
{
	size_t i = 0;
	long v = 0;

	while (i < len && i < 9 && t[i] >= '0' && t[i] <= '9')
		v = v * 10 + (t[i++] - '0');
	if (i == 0)
		return -1;
	if (i == len)
		return v;
	if (i + 2 == len && (memcmp(t + i, "st", 2) == 0 || memcmp(t + i, "nd", 2) == 0 ||
	                     memcmp(t + i, "rd", 2) == 0 || memcmp(t + i, "th", 2) == 0))
		return v;
	return -1;
}

/* The number k words spell ("forty four" 44, "one hundred five" 105,
 * "third" 3); -1 if they spell none. */
static long number_of_words(const eg__tokfeat *run, size_t k)
{
	long total = 0, cur = 0;
	size_t i;

	for (i = 0; i < k; i++) {
		int v = number_word(run[i].text, run[i].len);
		if (v < 0)
			return -1;
		if (v == 100)
			cur = (cur ? cur : 1) * 100;
		else if (v == 1000) {
			total += (cur ? cur : 1) * 1000;
			cur = 0;
		} else
			cur += v;
	}
	return total + cur;
}

/* Similarity of token t and the run of k tokens: written together
 * ("vanderbilt" / "van der bilt", "siemensag" / "siemens ag"), initials
 * ("pla" / "peoples liberation army", "jc" / "jean claude", "us" /
 * "united states"), or one number in digits and in words ("44" / "forty
 * four", "1st" / "first", "3" / "three"); 0 if none. */
static float run_sim(const eg__tokfeat *t, const eg__tokfeat *run, size_t k)
{
	char buf[128];
	size_t len = 0, i;
	int t_digit = t->text[0] >= '0' && t->text[0] <= '9';
	int r_digit = run[0].text[0] >= '0' && run[0].text[0] <= '9';

	if (t_digit != r_digit) {
		/* digits on one side, words on the other */
		long a = t_digit ? number_digits(t->text, t->len) : number_of_words(t, 1);
		long b = k == 1 && r_digit ? number_digits(run[0].text, run[0].len)
		                           : number_of_words(run, k);
		return a >= 0 && a == b ? 1.0f : 0.0f;
	}
	if (k < 2 || t_digit)
		return 0.0f;
	for (i = 0; i < k; i++) {
		if (run[i].cls == EG__TOK_NUMBER)
			return 0.0f;
		len += run[i].len;
	}
	if (k == 2 && eg__abjad_compound(&run[0], &run[1]) && len < 64) {
		/* two abjad words a list writes as one (حزب الله "hzb allh":
		 * HIZBALLAH): compared as one abjad word */
		char text[64], skel[64], phon[64];
		eg__tokfeat jf = run[0];
		double js;
		memcpy(text, run[0].text, run[0].len);
		memcpy(text + run[0].len, run[1].text, run[1].len);
		jf.text = text;
		jf.len = (uint16_t)len;
		jf.cls = EG__TOK_WORD;
		jf.native = 0;
		jf.skel = skel;
		jf.skel_len = (uint16_t)eg__text_skeleton(skel, text, len);
		jf.phon = phon;
		jf.phon_len = (uint16_t)eg__text_phonetic(phon, text, len);
		js = eg__token_sim(&jf, t);
		if (js >= 0.9)
			return (float)js;
	}
	if (t->len == k && t->cls == EG__TOK_WORD) {
		for (i = 0; i < k && run[i].text[0] == t->text[i]; i++)
			;
		if (i == k)
			return 0.85f;
	}
	if (len < 4 || len > sizeof(buf) || run[0].text[0] != t->text[0] ||
	    len + 1 < t->len || len > (size_t)t->len + 1)
		return 0.0f;
	for (i = 0, len = 0; i < k; i++) {
		memcpy(buf + len, run[i].text, run[i].len);
		len += run[i].len;
	}
	if (len == t->len && memcmp(buf, t->text, len) == 0)
		return 1.0f;
	if (len >= 6 && t->len >= 6 && eg__osa_distance(buf, len, t->text, t->len, 1) <= 1)
		return 0.9f;
	return 0.0f;
}

/* A cheap test that run_sim(t, run, k) may be above 0: words meet a run
 * starting with their first letter; digits or number words, a run of the
 * other kind. */
static int run_may_match(char t, char run)
{
	int t_digit = t >= '0' && t <= '9';
	int r_digit = run >= '0' && run <= '9';

	return t_digit != r_digit || (!t_digit && t == run);
}

/* Whether name token j, matched short of whole to a query token shorter
 * than itself, may be that token and a neighbour of it that is matched to
 * nothing (unmatched_q: the query has one): "quanguo" for "quan" "guo". */
static int half_matched(const eg__alignment *al, const eg__tokfeat *q, size_t nq,
                        const eg__tokfeat *n, size_t j, int unmatched_q)
{
	size_t i;

	if (!unmatched_q || al->nsim[j] >= 1.0f || al->nsim[j] <= 0.0f)
		return 0;
	for (i = 0; i < nq; i++)
		if (al->match[i] == j)
			return (size_t)q[i].len + 1 < n[j].len;
	return 0;
}

/* Whether a query token of the run i..i+k is matched to nothing. */
static int run_has_unmatched(const eg__alignment *al, size_t i, size_t k)
{
	size_t m;

	for (m = i; m < i + k; m++)
		if (al->sim[m] <= 0.0f)
			return 1;
	return 0;
}

/* Whether query token j, a syllable, is matched to a name token of its
 * own length: to that syllable alone, not to a word it is part of
 * (이란 "i ran": "ran" met IRAN, which holds "i" too). */
static int matched_alone(const eg__alignment *al, const eg__tokfeat *q, const eg__tokfeat *n,
                         size_t j)
{
	return q[j].native != 0 && al->sim[j] > 0.0f && al->match[j] != EG__NO_MATCH &&
	       n[al->match[j]].len <= q[j].len;
}

/* Whether query token i is a syllable of a name written in Hangul or Han,
 * left unmatched beside a syllable matched alone: 손흥민 (son hung min) is
 * not SON Min, a Korean or Chinese given name being its syllables
 * together. */
static int lone_syllable(const eg__alignment *al, const eg__tokfeat *q, size_t nq,
                         const eg__tokfeat *n, size_t i)
{
	if (al->sim[i] > 0.0f || q[i].native == 0 || q[i].abjad != EG__SCRIPT_SYLLABIC)
		return 0;
	return (i > 0 && matched_alone(al, q, n, i - 1)) ||
	       (i + 1 < nq && matched_alone(al, q, n, i + 1));
}

/* Lowers the score of an alignment that leaves a syllable of a query
 * name unmatched beside a matched one (lone_syllable) as a token that
 * differs on both sides does: by EG__CONFLICT_COST times its share of the
 * query's weight. */
static void syllable_conflict(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                              const eg__tokfeat *n, const float *wq)
{
	double lone = 0.0, total = 0.0;
	size_t i;

	/* most queries hold no syllable: one scan says so */
	for (i = 0; i < nq; i++)
		if (q[i].native != 0 && lone_syllable(al, q, nq, n, i))
			lone += wq[i];
	if (lone <= 0.0)
		return;
	for (i = 0; i < nq; i++)
		total += wq[i];
	if (total > 0.0)
		al->score *= 1.0 - EG__CONFLICT_COST * (lone / total);
}

/* Similarity of two adjacent tokens q[0..1] and two adjacent tokens
 * n[0..1] split at another place: the same letters with the word boundary
 * moved ("als hami" / "al shami", "abdel rahman" / "abd elrahman"), or one
 * edit apart in eight letters or more; 0 if not. */
static float boundary_sim(const eg__tokfeat *q, const eg__tokfeat *n)
{
	char a[64], b[64];
	size_t la = (size_t)q[0].len + q[1].len, lb = (size_t)n[0].len + n[1].len;

	if (q[0].len == n[0].len || la > sizeof(a) || lb > sizeof(b) ||
	    (la > lb ? la - lb : lb - la) > 1 || q[0].text[0] != n[0].text[0] ||
	    q[0].cls == EG__TOK_NUMBER || q[1].cls == EG__TOK_NUMBER ||
	    n[0].cls == EG__TOK_NUMBER || n[1].cls == EG__TOK_NUMBER)
		return 0.0f;
	memcpy(a, q[0].text, q[0].len);
	memcpy(a + q[0].len, q[1].text, q[1].len);
	memcpy(b, n[0].text, n[0].len);
	memcpy(b + n[0].len, n[1].text, n[1].len);
	if (la == lb && memcmp(a, b, la) == 0)
		return 1.0f;
	if (la >= 8 && lb >= 8 && eg__text_one_edit(a, la, b, lb))
		return 0.9f;
	return 0.0f;
}

/* Whether query tokens i, i + 1 and name tokens j, j + 1 are matched to
 * nothing or among themselves only. */
static int pair_free(const eg__alignment *al, size_t nq, size_t i, size_t j)
{
	size_t m;

	for (m = 0; m < nq; m++) {
		int inside = m == i || m == i + 1;
		int to_pair = al->match[m] == j || al->match[m] == j + 1;
		if (al->match[m] == EG__NO_MATCH)
			continue;
		if (inside != to_pair)
			return 0;
	}
	return 1;
}

/* The merge pass proper (eg__score_merge). */
static void merge_runs(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                       const eg__tokfeat *n, size_t nn, const float *wq, const float *wn)
{
	size_t i, j, k, k_min;
	int changed = 0, weak_q = 0, weak_n = 0, digit = 0, unmatched_q = 0;
	char q0[EG__NORM_MAX_TOKENS], n0[EG__NORM_MAX_TOKENS]; /* first letters */

	/* Nothing to merge unless a token of each side is weakly matched:
	 * the common case of a full alignment costs only this scan. */
	for (i = 0; i < nq; i++) {
		weak_q |= al->sim[i] < 0.9f;
		unmatched_q |= al->sim[i] <= 0.0f;
		q0[i] = q[i].text[0];
		digit |= q0[i] >= '0' && q0[i] <= '9';
	}
	for (j = 0; j < nn; j++) {
		/* a name token matched short of whole, beside a query token
		 * matched to nothing, may be that token and its neighbour
		 * ("quan guo" for "quanguo": the join met "quan" first) */
		weak_n |= al->nsim[j] < 0.9f || half_matched(al, q, nq, n, j, unmatched_q);
		n0[j] = n[j].text[0];
		digit |= n0[j] >= '0' && n0[j] <= '9';
	}
	if (!weak_q || !weak_n)
		return;
	/* a token for a single token only when a number may be in words */
	k_min = digit ? 1 : 2;

	/* One query token for a run of name tokens. A name token may be taken
	 * from a weaker match only if that match is the token itself. */
	for (i = 0; i < nq; i++) {
		int done = 0;
		size_t start[EG__NORM_MAX_TOKENS], n_start = 0, c;
		if (al->sim[i] >= 0.9f)
			continue;
		/* the name tokens a run may start at, in order: the same for
		 * every run length */
		for (j = 0; j + k_min <= nn; j++)
			if (run_may_match(q0[i], n0[j]))
				start[n_start++] = j;
		for (k = k_min; k <= MAX_RUN && !done; k++) {
			for (c = 0; c < n_start && start[c] + k <= nn && !done; c++) {
				size_t m;
				float s;
				j = start[c];
				for (m = j; m < j + k; m++)
					if (al->nsim[m] > 0.0f && al->match[i] != m)
						break;
				if (m < j + k)
					continue;
				s = run_sim(&q[i], &n[j], k);
				if (s <= al->sim[i])
					continue;
				if (al->match[i] != EG__NO_MATCH)
					al->nsim[al->match[i]] = 0.0f;
				al->match[i] = (uint8_t)j;
				al->sim[i] = s;
				for (m = j; m < j + k; m++)
					al->nsim[m] = s;
				changed = done = 1;
			}
		}
	}
	/* One name token for a run of query tokens. */
	for (j = 0; j < nn; j++) {
		int done = 0;
		size_t start[EG__NORM_MAX_TOKENS], n_start = 0, c;
		if (al->nsim[j] >= 0.9f && !half_matched(al, q, nq, n, j, unmatched_q))
			continue;
		for (i = 0; i + k_min <= nq; i++)
			if (run_may_match(n0[j], q0[i]))
				start[n_start++] = i;
		for (k = k_min; k <= MAX_RUN && !done; k++) {
			for (c = 0; c < n_start && start[c] + k <= nq && !done; c++) {
				size_t m;
				float s;
				i = start[c];
				for (m = i; m < i + k; m++)
					if (al->sim[m] > 0.0f && al->match[m] != j)
						break;
				if (m < i + k)
					continue;
				s = run_sim(&n[j], &q[i], k);
				/* as good for the name token and more of the query
				 * covered is better too */
				if (s <= 0.0f || s < al->nsim[j] ||
				    (s == al->nsim[j] && !run_has_unmatched(al, i, k)))
					continue;
				for (m = 0; m < nq; m++)
					if (al->match[m] == j) {
						al->match[m] = EG__NO_MATCH;
						al->sim[m] = 0.0f;
					}
				for (m = i; m < i + k; m++) {
					al->match[m] = (uint8_t)j;
					al->sim[m] = s;
				}
				al->nsim[j] = s;
				changed = done = 1;
			}
		}
	}
	/* Two tokens for two, the word boundary moved. */
	for (i = 0; i + 1 < nq; i++) {
		size_t lq = (size_t)q[i].len + q[i + 1].len;
		if (al->sim[i] >= 0.9f && al->sim[i + 1] >= 0.9f)
			continue;
		for (j = 0; j + 1 < nn; j++) {
			size_t ln = (size_t)n[j].len + n[j + 1].len;
			float s;
			/* cheap tests first: most pairs fail them */
			if (q0[i] != n0[j] || q[i].len == n[j].len ||
			    lq > ln + 1 || ln > lq + 1)
				continue;
			s = boundary_sim(&q[i], &n[j]);
			if (s <= 0.0f ||
			    s * (wq[i] + wq[i + 1]) <= al->sim[i] * wq[i] + al->sim[i + 1] * wq[i + 1] ||
			    !pair_free(al, nq, i, j))
				continue;
			al->match[i] = (uint8_t)j;
			al->match[i + 1] = (uint8_t)(j + 1);
			al->sim[i] = al->sim[i + 1] = s;
			al->nsim[j] = al->nsim[j + 1] = s;
			changed = 1;
			break;
		}
	}
	if (changed)
		score_finish(al, nq, nn, wq, wn);
}

/* Whether run_sim(t, run, k) may be above 0, for k >= 2 tokens of words
 * on both sides (no digit first) starting with t's first letter, the run
 * len letters long: its tests but the comparison of the letters, the
 * cheapest first. */
static inline int run_may_reach(const eg__tokfeat *t, const eg__tokfeat *run, size_t k,
                                size_t len)
{
	size_t i;

	if (len >= 4 && len <= 128 && len + 1 >= t->len && len <= (size_t)t->len + 1)
		return 1;
	if (t->len == k && t->cls == EG__TOK_WORD) {
		for (i = 0; i < k && run[i].text[0] == t->text[i]; i++)
			;
		if (i == k)
			return 1;
	}
	return k == 2 && len < 64 && run[0].abjad == EG__SCRIPT_ABJAD &&
	       run[1].abjad == EG__SCRIPT_ABJAD && eg__abjad_compound(&run[0], &run[1]);
}

/* Whether boundary_sim(q, n) may be above 0: its tests but the letters'. */
static int boundary_may_reach(const eg__tokfeat *q, const eg__tokfeat *n)
{
	size_t la = (size_t)q[0].len + q[1].len, lb = (size_t)n[0].len + n[1].len;

	return q[0].len != n[0].len && la <= 64 && lb <= 64 && (la > lb ? la - lb : lb - la) <= 1 &&
	       q[0].cls != EG__TOK_NUMBER && q[1].cls != EG__TOK_NUMBER &&
	       n[0].cls != EG__TOK_NUMBER && n[1].cls != EG__TOK_NUMBER;
}

/* Bits first .. first + k - 1. */
static uint64_t token_bits(size_t first, size_t k)
{
	return (k >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << k) - 1)) << first;
}

void eg__score_merge_side(eg__merge_side *s, const eg__tokfeat *t, size_t n)
{
	size_t i;

	s->digit = 0;
	s->letters = 0;
	s->sum[0] = 0;
	for (i = 0; i < n; i++) {
		char c = t[i].text[0];
		s->sum[i + 1] = s->sum[i] + t[i].len;
		s->first[i] = c;
		s->letters |= (uint64_t)1 << ((unsigned char)c & 63);
		s->digit |= c >= '0' && c <= '9';
	}
}

void eg__score_merge_reach(const eg__merge_side *qs, const eg__tokfeat *q, size_t nq,
                           const eg__merge_side *ns, const eg__tokfeat *n, size_t nn,
                           uint64_t *q_reach, uint64_t *n_reach)
{
	size_t i, j, k;

	*q_reach = *n_reach = 0;
	if (qs->digit || ns->digit) {
		/* a number in digits and in words: run_may_match lets any
		 * token meet any, one for one too */
		*q_reach = token_bits(0, nq);
		*n_reach = token_bits(0, nn);
		return;
	}
	/* Without digits every part of merge_runs starts from a query token
	 * and a name token of the same first letter; a run holding a number
	 * token is let through (run_sim refuses it), which only widens. */
	for (i = 0; i < nq; i++) {
		if (!(ns->letters >> ((unsigned char)qs->first[i] & 63) & 1))
			continue;
		for (j = 0; j < nn; j++) {
			if (qs->first[i] != ns->first[j])
				continue;
			for (k = 2; k <= MAX_RUN; k++) {
				if (j + k <= nn &&
				    run_may_reach(&q[i], &n[j], k, ns->sum[j + k] - ns->sum[j])) {
					*q_reach |= token_bits(i, 1);
					*n_reach |= token_bits(j, k);
				}
				if (i + k <= nq &&
				    run_may_reach(&n[j], &q[i], k, qs->sum[i + k] - qs->sum[i])) {
					*n_reach |= token_bits(j, 1);
					*q_reach |= token_bits(i, k);
				}
			}
			if (i + 1 < nq && j + 1 < nn && boundary_may_reach(&q[i], &n[j])) {
				*q_reach |= token_bits(i, 2);
				*n_reach |= token_bits(j, 2);
			}
		}
	}
}

void eg__score_merge(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                     const eg__tokfeat *n, size_t nn, const float *wq, const float *wn)
{
	merge_runs(al, q, nq, n, nn, wq, wn);
	syllable_conflict(al, q, nq, n, wq);
}
