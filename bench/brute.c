/* brute.c - the brute-force baseline: plain Jaro-Winkler of the query against every name. */
#include "brute.h"

#include "util/alloc.h"

#include <string.h>

/* Longer strings are compared on their first JW_MAX bytes (names are
 * shorter in practice; the cap keeps the match flags on the stack). */
#define JW_MAX 256

struct bench_brute {
	const bench_corpus *c;
	char *lower;   /* the corpus pool, lowercased */
};

static char lower_ascii(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
}

bench_brute *bench_brute_new(const bench_corpus *c)
{
	bench_brute *b = bench_xmalloc(sizeof(*b));
	size_t i;

	b->c = c;
	b->lower = bench_xmalloc(c->pool_len + 1);
	for (i = 0; i < c->pool_len; i++)
		b->lower[i] = lower_ascii(c->pool[i]);
	return b;
}

void bench_brute_free(bench_brute *b)
{
	if (b == NULL)
		return;
	eg__free(b->lower);
	eg__free(b);
}

double bench_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned char am[JW_MAX], bm[JW_MAX];
	size_t window, i, j, k, m = 0, t = 0, prefix = 0;
	double jaro;

	if (alen > JW_MAX)
		alen = JW_MAX;
	if (blen > JW_MAX)
		blen = JW_MAX;
	if (alen == 0 || blen == 0)
		return alen == blen ? 1.0 : 0.0;
	window = (alen > blen ? alen : blen) / 2;
	window = window > 0 ? window - 1 : 0;
	memset(am, 0, alen);
	memset(bm, 0, blen);
	for (i = 0; i < alen; i++) {
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < blen ? i + window + 1 : blen;
		for (j = lo; j < hi; j++) {
			if (!bm[j] && a[i] == b[j]) {
				am[i] = bm[j] = 1;
				m++;
				break;
			}
		}
	}
	if (m == 0)
		return 0.0;
	for (i = 0, k = 0; i < alen; i++) {
		if (!am[i])
			continue;
		while (!bm[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	jaro = ((double)m / (double)alen + (double)m / (double)blen +
	        ((double)m - (double)t / 2.0) / (double)m) / 3.0;
	while (prefix < 4 && prefix < alen && prefix < blen && a[prefix] == b[prefix])
		prefix++;
	return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

void bench_brute_search(const bench_brute *b, const char *q, size_t len, bench_result *out)
{
	const bench_corpus *c = b->c;
	char ql[JW_MAX];
	size_t i;
	uint32_t cur = 0;
	double best = -1.0;

	if (len > JW_MAX)
		len = JW_MAX;
	for (i = 0; i < len; i++)
		ql[i] = lower_ascii(q[i]);
	out->n = 0;
	/* The names of an entity are contiguous: keep its best, offer it when
	 * the next entity starts. */
	for (i = 0; i < c->n; i++) {
		double s = bench_jaro_winkler(ql, len, b->lower + c->off[i], c->len[i]);
		if (c->entity[i] != cur) {
			if (best >= 0)
				bench_result_offer(out, cur, best);
			cur = c->entity[i];
			best = -1.0;
		}
		if (s > best)
			best = s;
	}
	if (best >= 0)
		bench_result_offer(out, cur, best);
}
