/* corpus.c - bench-screen's names (real list names, a synthetic 1M corpus) and eval queries. */
#include "corpus.h"

#include "text/normalize.h"
#include "util/alloc.h"
#include "util/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void *bench_xmalloc(size_t n)
{
	void *p = eg__malloc(n ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "bench-screen: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

void *bench_xrealloc(void *p, size_t n)
{
	void *np = eg__realloc(p, n ? n : 1);

	if (np == NULL) {
		fprintf(stderr, "bench-screen: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return np;
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Doubles *cap until it holds need elements of elem bytes; returns the
 * grown array. Sizes here come from our own data, well below overflow, but
 * the multiplication is checked all the same. */
static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 1024, bytes;

	if (need <= *cap)
		return p;
	while (ncap < need)
		ncap *= 2;
	if (eg__mul_overflow(&bytes, ncap, elem) != 0) {
		fprintf(stderr, "bench-screen: size overflow\n");
		exit(1);
	}
	*cap = ncap;
	return bench_xrealloc(p, bytes);
}

/* --- the corpus ---------------------------------------------------------- */

void bench_corpus_init(bench_corpus *c)
{
	memset(c, 0, sizeof(*c));
}

void bench_corpus_free(bench_corpus *c)
{
	eg__free(c->pool);
	eg__free(c->off);
	eg__free(c->len);
	eg__free(c->entity);
	eg__free(c->name_no);
	eg__free(c->type);
	eg__free(c->weak);
	memset(c, 0, sizeof(*c));
}

void bench_corpus_add(bench_corpus *c, uint32_t entity, uint16_t name_no,
                      eg_entity_type type, int weak, const char *text, size_t len)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4096, k;
		k = c->cap; c->off = grow(c->off, &k, cap, sizeof(*c->off));
		k = c->cap; c->len = grow(c->len, &k, cap, sizeof(*c->len));
		k = c->cap; c->entity = grow(c->entity, &k, cap, sizeof(*c->entity));
		k = c->cap; c->name_no = grow(c->name_no, &k, cap, sizeof(*c->name_no));
		k = c->cap; c->type = grow(c->type, &k, cap, sizeof(*c->type));
		k = c->cap; c->weak = grow(c->weak, &k, cap, sizeof(*c->weak));
		c->cap = cap;
	}
	c->pool = grow(c->pool, &c->pool_cap, c->pool_len + len + 1, 1);
	memcpy(c->pool + c->pool_len, text, len);
	c->pool[c->pool_len + len] = '\0';
	c->off[c->n] = c->pool_len;
	c->len[c->n] = (uint32_t)len;
	c->entity[c->n] = entity;
	c->name_no[c->n] = name_no;
	c->type[c->n] = (uint8_t)type;
	c->weak[c->n] = (uint8_t)(weak != 0);
	c->n++;
	c->pool_len += len + 1;
	c->name_bytes += len;
	if (entity >= c->n_entities)
		c->n_entities = (size_t)entity + 1;
}

void bench_corpus_add_set(bench_corpus *c, const eg__entity_set *set)
{
	size_t base = c->n_entities, i, j;

	for (i = 0; i < set->n; i++) {
		const eg__entity *e = &set->v[i];
		for (j = 0; j < e->n_names && j < UINT16_MAX; j++)
			bench_corpus_add(c, (uint32_t)(base + i), (uint16_t)j, e->type,
			                 e->names[j].weak, e->names[j].text,
			                 strlen(e->names[j].text));
	}
	c->n_entities = base + set->n;
}

/* --- synthetic names ------------------------------------------------------ */

/* splitmix64: small, fast, and the same sequence on every machine. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t rng_below(uint64_t *s, size_t n)
{
	return (size_t)(rng_next(s) % n);
}

/* A multiset of tokens: each occurrence in the real names is one entry, so
 * a uniform draw follows the real frequencies. */
typedef struct tokpool {
	uint32_t *off;
	uint16_t *len;
	size_t n, cap;
} tokpool;

typedef struct tokens {
	char *chars;
	size_t n_chars, cap_chars;
	tokpool surname, given, word, legal;
	size_t ind_k[6], org_k[6];  /* names by token count, clamped to 2..5 */
	size_t org_legal;            /* organisation names ending in a legal form */
} tokens;

static void pool_add(tokens *t, tokpool *p, const char *s, size_t len)
{
	if (len == 0 || len > 60)
		return;
	if (p->n == p->cap) {
		size_t k = p->cap;
		p->off = grow(p->off, &k, p->n + 1, sizeof(*p->off));
		k = p->cap;
		p->len = grow(p->len, &k, p->n + 1, sizeof(*p->len));
		p->cap = k;
	}
	t->chars = grow(t->chars, &t->cap_chars, t->n_chars + len, 1);
	memcpy(t->chars + t->n_chars, s, len);
	p->off[p->n] = (uint32_t)t->n_chars;
	p->len[p->n] = (uint16_t)len;
	p->n++;
	t->n_chars += len;
}

static void pool_free(tokpool *p)
{
	eg__free(p->off);
	eg__free(p->len);
}

typedef struct slice {
	const char *p;
	size_t len;
} slice;

/* Splits [s, end) on spaces and commas into at most max slices. */
static size_t split(const char *s, const char *end, slice *out, size_t max)
{
	size_t n = 0;

	while (s < end && n < max) {
		const char *b;
		while (s < end && (*s == ' ' || *s == ','))
			s++;
		b = s;
		while (s < end && *s != ' ' && *s != ',')
			s++;
		if (s > b) {
			out[n].p = b;
			out[n].len = (size_t)(s - b);
			n++;
		}
	}
	return n;
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static size_t clamp_k(size_t k)
{
	return k < 2 ? 2 : k > 5 ? 5 : k;
}

/* 1 when the token alone normalises to one legal-form token. */
static int is_legal(eg__norm *nm, const slice *s)
{
	eg_error err;

	memset(&err, 0, sizeof(err));
	if (eg__text_normalize(nm, s->p, s->len, &err) != 0)
		return 0;
	return nm->n == 1 && nm->tok[0].cls == EG__TOK_LEGAL;
}

static void collect(tokens *t, const eg__entity_set *set, eg__norm *nm)
{
	slice sl[32];
	size_t i, j, k, n;

	for (i = 0; i < set->n; i++) {
		const eg__entity *e = &set->v[i];
		for (j = 0; j < e->n_names; j++) {
			const char *s = e->names[j].text, *end = s + strlen(s);
			const char *comma = strchr(s, ',');
			if (!is_ascii(s))
				continue;
			if (e->type == EG_TYPE_INDIVIDUAL) {
				if (comma != NULL) {
					size_t ns = split(s, comma, sl, 32);
					size_t ng = split(comma + 1, end, sl + ns, 32 - ns);
					for (k = 0; k < ns; k++)
						pool_add(t, &t->surname, sl[k].p, sl[k].len);
					for (k = ns; k < ns + ng; k++)
						pool_add(t, &t->given, sl[k].p, sl[k].len);
					n = ns + ng;
				} else {
					n = split(s, end, sl, 32);
					if (n == 0)
						continue;
					for (k = 0; k + 1 < n; k++)
						pool_add(t, &t->given, sl[k].p, sl[k].len);
					pool_add(t, &t->surname, sl[n - 1].p, sl[n - 1].len);
				}
				t->ind_k[clamp_k(n)]++;
			} else {
				n = split(s, end, sl, 32);
				if (n == 0)
					continue;
				if (n >= 2 && is_legal(nm, &sl[n - 1])) {
					pool_add(t, &t->legal, sl[n - 1].p, sl[n - 1].len);
					t->org_legal++;
					n--;
					t->org_k[clamp_k(n + 1)]++;
				} else {
					t->org_k[clamp_k(n)]++;
				}
				for (k = 0; k < n; k++)
					pool_add(t, &t->word, sl[k].p, sl[k].len);
			}
		}
	}
}

static size_t draw_k(uint64_t *rng, const size_t *hist)
{
	size_t total = hist[2] + hist[3] + hist[4] + hist[5], r, k;

	if (total == 0)
		return 2;
	r = rng_below(rng, total);
	for (k = 2; k < 5 && r >= hist[k]; k++)
		r -= hist[k];
	return k;
}

static size_t put(char *buf, size_t at, size_t cap, const tokens *t, const tokpool *p,
                  uint64_t *rng)
{
	size_t i = rng_below(rng, p->n), len = p->len[i];

	if (at + len + 2 >= cap)
		return at;
	memcpy(buf + at, t->chars + p->off[i], len);
	return at + len;
}

void bench_corpus_synth(bench_corpus *c, const eg__entity_set *const *sets, size_t n_sets,
                        size_t total, uint64_t seed)
{
	tokens t;
	eg__norm *nm = bench_xmalloc(sizeof(*nm));
	uint64_t rng = seed;
	size_t i, n_ind, n_org;
	char buf[512];

	memset(&t, 0, sizeof(t));
	for (i = 0; i < n_sets; i++)
		collect(&t, sets[i], nm);
	n_ind = t.ind_k[2] + t.ind_k[3] + t.ind_k[4] + t.ind_k[5];
	n_org = t.org_k[2] + t.org_k[3] + t.org_k[4] + t.org_k[5];
	if (t.surname.n == 0 || t.given.n == 0 || t.word.n == 0 || t.legal.n == 0) {
		fprintf(stderr, "bench-screen: too few real tokens to build names from\n");
		exit(1);
	}
	while (c->n < total) {
		size_t k, at = 0, j;
		int ind = rng_below(&rng, n_ind + n_org) < n_ind;
		if (ind) {
			/* "SURNAME, Given Middle": two surnames in long names half
			 * the time, as Hispanic and Arabic names often have. */
			size_t ns;
			k = draw_k(&rng, t.ind_k);
			ns = k >= 4 && (rng_next(&rng) & 1) ? 2 : 1;
			for (j = 0; j < ns; j++) {
				if (j > 0)
					buf[at++] = ' ';
				at = put(buf, at, sizeof(buf), &t, &t.surname, &rng);
			}
			buf[at++] = ',';
			for (j = ns; j < k; j++) {
				buf[at++] = ' ';
				at = put(buf, at, sizeof(buf), &t, &t.given, &rng);
			}
		} else {
			/* "WORD WORD LEGALFORM", the legal form as often as in the
			 * real organisation names. */
			int legal;
			k = draw_k(&rng, t.org_k);
			legal = rng_below(&rng, n_org) < t.org_legal;
			for (j = 0; j < k - (size_t)legal; j++) {
				if (j > 0)
					buf[at++] = ' ';
				at = put(buf, at, sizeof(buf), &t, &t.word, &rng);
			}
			if (legal) {
				buf[at++] = ' ';
				at = put(buf, at, sizeof(buf), &t, &t.legal, &rng);
			}
		}
		bench_corpus_add(c, (uint32_t)c->n_entities, 0,
		                 ind ? EG_TYPE_INDIVIDUAL : EG_TYPE_ENTITY, 0, buf, at);
	}
	pool_free(&t.surname);
	pool_free(&t.given);
	pool_free(&t.word);
	pool_free(&t.legal);
	eg__free(t.chars);
	eg__free(nm);
}

/* --- queries -------------------------------------------------------------- */

int bench_queries_load(bench_queries *qs, const char *path, const char *list)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 0, size = 0, got, line = 0, cap_v = 0;
	char *p, *end;

	memset(qs, 0, sizeof(*qs));
	if (f == NULL) {
		fprintf(stderr, "bench-screen: %s: cannot open\n", path);
		return -1;
	}
	do {
		qs->buf = grow(qs->buf, &cap, size + 65536, 1);
		got = fread(qs->buf + size, 1, cap - size - 1, f);
		size += got;
	} while (got > 0);
	fclose(f);
	qs->buf[size] = '\0';
	p = qs->buf;
	end = qs->buf + size;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *fld[8];
		size_t nf = 0;
		if (nl == NULL)
			nl = end;
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		line++;
		fld[nf++] = p;
		while (nf < 8) {
			char *tab = strchr(fld[nf - 1], '\t');
			if (tab == NULL)
				break;
			*tab = '\0';
			fld[nf++] = tab + 1;
		}
		p = nl + 1;
		if (line == 1 || fld[0][0] == '\0')
			continue;
		if (nf < 5) {
			fprintf(stderr, "bench-screen: %s:%zu: expected 8 fields, got %zu\n", path,
			        line, nf);
			return -1;
		}
		if (strcmp(fld[1], list) != 0)
			continue;
		qs->v = grow(qs->v, &cap_v, qs->n + 1, sizeof(*qs->v));
		memset(&qs->v[qs->n], 0, sizeof(qs->v[0]));
		qs->v[qs->n].id = fld[0];
		qs->v[qs->n].text = fld[2];
		qs->v[qs->n].expect = fld[4];
		if (fld[4][0] != '\0')
			qs->n_pos++;
		else
			qs->n_neg++;
		qs->n++;
	}
	return 0;
}

void bench_queries_free(bench_queries *qs)
{
	size_t i;

	for (i = 0; i < qs->n; i++)
		eg__free(qs->v[i].want);
	eg__free(qs->v);
	eg__free(qs->buf);
	memset(qs, 0, sizeof(*qs));
}

/* Lowercases ASCII and folds runs of spaces (trimmed), as the eval's
 * "same name" does; returns the length written (at most cap - 1). */
static size_t fold(char *out, size_t cap, const char *s, size_t len)
{
	size_t n = 0, i;
	int space = 0;

	for (i = 0; i < len && n + 2 < cap; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == ' ') {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = 0;
		out[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
	}
	out[n] = '\0';
	return n;
}

size_t bench_queries_expect(bench_queries *qs, const bench_corpus *c)
{
	size_t n_slots = 64, i, missing = 0;
	size_t *slots, *next;
	char **keys;
	char buf[1024];

	while (n_slots < qs->n * 4)
		n_slots *= 2;
	slots = bench_xmalloc(n_slots * sizeof(*slots));
	next = bench_xmalloc((qs->n + 1) * sizeof(*next));
	keys = bench_xmalloc((qs->n + 1) * sizeof(*keys));
	memset(slots, 0, n_slots * sizeof(*slots));
	/* slots hold the first query (+1) of each distinct folded expect;
	 * next[] chains the queries sharing it. */
	for (i = 0; i < qs->n; i++) {
		bench_query *q = &qs->v[i];
		size_t len, s;
		eg__free(q->want);
		q->want = NULL;
		q->n_want = 0;
		keys[i] = NULL;
		next[i] = 0;
		if (q->expect[0] == '\0')
			continue;
		len = fold(buf, sizeof(buf), q->expect, strlen(q->expect));
		keys[i] = bench_xmalloc(len + 1);
		memcpy(keys[i], buf, len + 1);
		s = (size_t)eg__hash_bytes(buf, len) & (n_slots - 1);
		while (slots[s] != 0 && strcmp(keys[slots[s] - 1], buf) != 0)
			s = (s + 1) & (n_slots - 1);
		if (slots[s] == 0) {
			slots[s] = i + 1;
		} else {
			size_t h = slots[s] - 1;
			next[i] = next[h];
			next[h] = i + 1;
		}
	}
	for (i = 0; i < c->n; i++) {
		size_t len = fold(buf, sizeof(buf), bench_corpus_name(c, i), c->len[i]);
		size_t s = (size_t)eg__hash_bytes(buf, len) & (n_slots - 1), qi;
		while (slots[s] != 0 && strcmp(keys[slots[s] - 1], buf) != 0)
			s = (s + 1) & (n_slots - 1);
		for (qi = slots[s]; qi != 0; qi = next[qi - 1]) {
			bench_query *q = &qs->v[qi - 1];
			if (q->n_want > 0 && q->want[q->n_want - 1] == c->entity[i])
				continue;
			q->want = bench_xrealloc(q->want, (q->n_want + 1) * sizeof(*q->want));
			q->want[q->n_want++] = c->entity[i];
		}
	}
	for (i = 0; i < qs->n; i++) {
		if (qs->v[i].expect[0] != '\0' && qs->v[i].n_want == 0)
			missing++;
		eg__free(keys[i]);
	}
	eg__free(keys);
	eg__free(next);
	eg__free(slots);
	return missing;
}
