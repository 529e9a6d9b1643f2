/* score.c - token similarity and query/name alignment (see score.h). */
#include "score.h"

#include <math.h>
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

size_t eg__osa_distance(const char *a, size_t alen, const char *b, size_t blen,
                        size_t max)
{
	/* Banded: only cells with |i - j| <= max can hold a distance <= max,
	 * so each row costs 2 * max + 1 cells; cells outside the band count as
	 * max + 1. Rows are kept three at a time for the transposition. */
	size_t d[3][66];
	size_t i, j, inf = max + 1;

	if (alen > 64 || blen > 64)
		return (alen == blen && memcmp(a, b, alen) == 0) ? 0 : max + 1;
	if ((alen > blen ? alen - blen : blen - alen) > max)
		return max + 1;
	for (j = 0; j <= blen; j++)
		d[0][j] = j <= max ? j : inf;
	for (i = 1; i <= alen; i++) {
		size_t *cur = d[i % 3], *prev = d[(i - 1) % 3], *prev2 = d[(i + 1) % 3];
		size_t lo = i > max ? i - max : 1, hi = i + max < blen ? i + max : blen;
		size_t rowmin;
		cur[0] = i <= max ? i : inf;
		rowmin = cur[0];
		if (lo > 1)
			cur[lo - 1] = inf;
		for (j = lo; j <= hi; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = prev[j] + 1;
			if (j > i + max - 1) /* prev[j] lies outside the previous band */
				v = inf;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			if (v > inf)
				v = inf;
			cur[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (hi < blen)
			cur[hi + 1] = inf;
		if (rowmin > max)
			return max + 1;
	}
	return d[alen % 3][blen] > max ? max + 1 : d[alen % 3][blen];
}

static double maxd(double a, double b) { return a > b ? a : b; }

size_t eg__abjad_key(char *out, const char *skel, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		char c = skel[i];
		if (i == 0 && c != '\0' && strchr("aeiou", c) != NULL)
			c = 'a';
		/* an initial w or y before a consonant is a vowel letter too
		 * (Hebrew and Arabic write no initial alef in some spellings) */
		else if (i == 0 && (c == 'w' || c == 'y') && i + 1 < n &&
		         strchr("aeiou", skel[i + 1]) == NULL)
			c = 'a';
		else if (i > 0 && (c == 'w' || c == 'y'))
			continue;
		if (k > 0 && out[k - 1] == c)
			continue;
		out[k++] = c;
	}
	/* a final ta marbuta (t) or he (h) after three letters is a vowel */
	if (k >= 4 && (out[k - 1] == 't' || out[k - 1] == 'h'))
		k--;
	out[k] = '\0';
	return k;
}

double eg__token_sim(const eg__tokfeat *q, const eg__tokfeat *n)
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
	/* Most pairs are one edit apart or far apart: a linear test first,
	 * the banded distance only where two edits can still count. */
	if (eg__text_one_edit(q->text, q->len, n->text, n->len))
		d = 1;
	else if (minlen >= 6)
		d = eg__osa_distance(q->text, q->len, n->text, n->len, 2);
	else
		d = 3;
	if (d == 1 && minlen >= 4)
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
		return s;
	jw = eg__jaro_winkler(q->text, q->len, n->text, n->len);
	if (jw >= 0.90 && minlen >= 3)
		s = maxd(s, 0.75 + (jw - 0.90) * 1.5);
	if (q->phon_len >= 2 && q->phon_len == n->phon_len &&
	    memcmp(q->phon, n->phon, q->phon_len) == 0 && minlen >= 3)
		/* a key of three letters or fewer says less */
		s = maxd(s, q->phon_len >= 4 ? 0.90 : 0.82);
	if ((q->abjad == EG__SCRIPT_ABJAD || n->abjad == EG__SCRIPT_ABJAD) && q->skel_len >= 2) {
		/* Arabic and Hebrew script omit short vowels, so transliterations
		 * agree on consonants only. */
		char qk[64], nk[64];
		size_t ql = q->skel_len < 63 ? q->skel_len : 63;
		size_t nl = n->skel_len < 63 ? n->skel_len : 63;
		ql = eg__abjad_key(qk, q->skel, ql);
		nl = eg__abjad_key(nk, n->skel, nl);
		if (ql >= 2 && ql == nl && memcmp(qk, nk, ql) == 0)
			s = maxd(s, 0.93);
		else if (ql >= 3 && nl >= 3 && eg__osa_distance(qk, ql, nk, nl, 1) == 1)
			s = maxd(s, 0.80);
	}
	return s >= EG__SIM_FLOOR ? s : 0.0;
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
	/* cq^0.6 * cn^0.4, by one exp of logs in float: a third of two pows */
	if (out->query_cover <= 0.0 || out->name_cover <= 0.0)
		out->score = 0.0;
	else
		out->score = (double)expf(0.6f * logf((float)out->query_cover) +
		                          0.4f * logf((float)out->name_cover)) *
		             (1.0 - EG__CONFLICT_COST * conflict);
	if (out->score > 1.0)
		out->score = 1.0;
}

void eg__score_align(eg__alignment *out, const float *sim, size_t nq, size_t nn,
                     const float *wq, const float *wn)
{
	uint8_t qused[EG__NORM_MAX_TOKENS] = {0}, nused[EG__NORM_MAX_TOKENS] = {0};
	size_t i, j, k;

	for (i = 0; i < nq; i++) {
		out->match[i] = EG__NO_MATCH;
		out->sim[i] = 0.0f;
	}
	for (j = 0; j < nn; j++)
		out->nsim[j] = 0.0f;
	/* Greedy: the best remaining pair first. Exact for the usual case of
	 * one clearly best pair per token; nq, nn <= 64 keep it cheap. */
	for (k = 0; k < nq && k < nn; k++) {
		float best = 0.0f;
		size_t bi = 0, bj = 0;
		for (i = 0; i < nq; i++) {
			if (qused[i])
				continue;
			for (j = 0; j < nn; j++) {
				float v = sim[i * nn + j];
				/* Ties go to the heavier pair, so a rare token is not
				 * spent on a common one. */
				if (!nused[j] && (v > best ||
				    (v == best && v > 0 && wq[i] + wn[j] > wq[bi] + wn[bj]))) {
					best = v;
					bi = i;
					bj = j;
				}
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

/* Cheap test that t may be a and b joined: lengths within one, and the
 * first letters agree. */
static int joinable(const eg__tokfeat *t, const eg__tokfeat *a, const eg__tokfeat *b)
{
	size_t len = (size_t)a->len + b->len;

	return (len == t->len || len == (size_t)t->len + 1 || len + 1 == t->len) &&
	       a->text[0] == t->text[0];
}

/* Similarity of token t and the concatenation of a and b. */
static float joined_sim(const eg__tokfeat *t, const eg__tokfeat *a, const eg__tokfeat *b)
{
	char buf[128];
	size_t len = (size_t)a->len + b->len;

	if (len > sizeof(buf) || len < 4 || a->cls == EG__TOK_NUMBER || b->cls == EG__TOK_NUMBER)
		return 0.0f;
	memcpy(buf, a->text, a->len);
	memcpy(buf + a->len, b->text, b->len);
	if (len == t->len && memcmp(buf, t->text, len) == 0)
		return 1.0f;
	if (len >= 6 && t->len >= 6 && eg__osa_distance(buf, len, t->text, t->len, 1) <= 1)
		return 0.9f;
	return 0.0f;
}

void eg__score_merge(eg__alignment *al, const eg__tokfeat *q, size_t nq,
                     const eg__tokfeat *n, size_t nn, const float *wq, const float *wn)
{
	size_t i, j;
	int changed = 0, weak_q = 0, weak_n = 0, free_pair_n = 0, free_pair_q = 0;

	/* Nothing to merge unless a token of one side is weakly matched and
	 * two adjacent tokens of the other side are free: the common case of a
	 * full alignment costs only this scan. */
	for (i = 0; i < nq; i++) {
		weak_q |= al->sim[i] < 0.9f;
		if (i + 1 < nq && al->sim[i] < 0.9f && al->sim[i + 1] < 0.9f)
			free_pair_q = 1;
	}
	for (j = 0; j < nn; j++) {
		weak_n |= al->nsim[j] < 0.9f;
		if (j + 1 < nn && (al->nsim[j] < 0.9f || al->nsim[j + 1] < 0.9f))
			free_pair_n = 1;
	}
	if (!(weak_q && free_pair_n) && !(weak_n && free_pair_q))
		return;

	/* One query token for two adjacent name tokens. A name token may be
	 * taken from a weaker match only if that match is the token itself. */
	for (i = 0; i < nq; i++) {
		if (al->sim[i] >= 0.9f)
			continue;
		for (j = 0; j + 1 < nn; j++) {
			int free_j = al->nsim[j] <= 0.0f || al->match[i] == j;
			int free_k = al->nsim[j + 1] <= 0.0f || al->match[i] == j + 1;
			float s;
			if (!free_j || !free_k || !joinable(&q[i], &n[j], &n[j + 1]))
				continue;
			s = joined_sim(&q[i], &n[j], &n[j + 1]);
			if (s > al->sim[i]) {
				if (al->match[i] != EG__NO_MATCH)
					al->nsim[al->match[i]] = 0.0f;
				al->match[i] = (uint8_t)j;
				al->sim[i] = s;
				al->nsim[j] = al->nsim[j + 1] = s;
				changed = 1;
				break;
			}
		}
	}
	/* One name token for two adjacent query tokens. */
	for (j = 0; j < nn; j++) {
		if (al->nsim[j] >= 0.9f)
			continue;
		for (i = 0; i + 1 < nq; i++) {
			int free_i = al->sim[i] <= 0.0f || al->match[i] == j;
			int free_k = al->sim[i + 1] <= 0.0f || al->match[i + 1] == j;
			float s;
			if (!free_i || !free_k || !joinable(&n[j], &q[i], &q[i + 1]))
				continue;
			s = joined_sim(&n[j], &q[i], &q[i + 1]);
			if (s > al->nsim[j]) {
				al->match[i] = al->match[i + 1] = (uint8_t)j;
				al->sim[i] = al->sim[i + 1] = s;
				al->nsim[j] = s;
				changed = 1;
				break;
			}
		}
	}
	if (changed)
		score_finish(al, nq, nn, wq, wn);
}
