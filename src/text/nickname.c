/* text/nickname.c - diminutives of given names (data/text/nicknames.tsv). */
#include "text/normalize.h"
#include "text/tables.h"
#include "util/hash.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

/* A bit filter in front of the binary searches, a bit per hash of every
 * nickname (0) and of every name (1): most tokens are neither, and are
 * turned away in a few operations. Made at first use. */
#define FILTER_BITS 16384
static uint64_t filter[2][FILTER_BITS / 64];
static pthread_once_t filter_once = PTHREAD_ONCE_INIT;

static size_t filter_bit(const char *k, size_t n)
{
	uint64_t h = eg__hash_bytes(k, n);
	return (size_t)(h ^ h >> 32) & (FILTER_BITS - 1);
}

static void filter_make(void)
{
	size_t i, b;

	for (i = 0; i < eg__text_nickname_count; i++) {
		const char *nick = eg__text_nick_pairs[i].nick, *name = eg__text_nick_pairs[i].name;
		b = filter_bit(nick, strlen(nick));
		filter[0][b / 64] |= (uint64_t)1 << (b % 64);
		b = filter_bit(name, strlen(name));
		filter[1][b / 64] |= (uint64_t)1 << (b % 64);
	}
}

/* 0 when k[0..n) is surely no nickname (which 0) or no name (which 1). */
static int filter_may(int which, const char *k, size_t n)
{
	size_t b;

	if (pthread_once(&filter_once, filter_make) != 0)
		return 1; /* no filter: every token is looked up */
	b = filter_bit(k, n);
	return (int)(filter[which][b / 64] >> (b % 64) & 1);
}

/* The first pair of t (sorted by its `by_name` field) whose key is
 * k[0..n), or count if none. */
static size_t first_of(const eg__text_nickname *t, int by_name, const char *k, size_t n)
{
	size_t lo = 0, hi = eg__text_nickname_count;

	if (!filter_may(by_name, k, n))
		return eg__text_nickname_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (eg__text_slice_cmp(k, n, by_name ? t[mid].name : t[mid].nick) <= 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo < eg__text_nickname_count &&
	    eg__text_slice_cmp(k, n, by_name ? t[lo].name : t[lo].nick) == 0)
		return lo;
	return eg__text_nickname_count;
}

size_t eg__text_nicknames(const char *tok, size_t len, eg__text_name_fn fn, void *ud)
{
	size_t i, found = 0;

	for (i = first_of(eg__text_nick_pairs, 0, tok, len);
	     i < eg__text_nickname_count &&
	     eg__text_slice_cmp(tok, len, eg__text_nick_pairs[i].nick) == 0;
	     i++, found++)
		fn(ud, eg__text_nick_pairs[i].name, strlen(eg__text_nick_pairs[i].name));
	for (i = first_of(eg__text_nick_by_name, 1, tok, len);
	     i < eg__text_nickname_count &&
	     eg__text_slice_cmp(tok, len, eg__text_nick_by_name[i].name) == 0;
	     i++, found++)
		fn(ud, eg__text_nick_by_name[i].nick,
		   strlen(eg__text_nick_by_name[i].nick));
	return found;
}

/* Whether b is among the names the nickname a stands for. */
static int stands_for(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i;

	for (i = first_of(eg__text_nick_pairs, 0, a, al);
	     i < eg__text_nickname_count &&
	     eg__text_slice_cmp(a, al, eg__text_nick_pairs[i].nick) == 0;
	     i++)
		if (eg__text_slice_cmp(b, bl, eg__text_nick_pairs[i].name) == 0)
			return 1;
	return 0;
}

int eg__text_nickname_pair(const char *a, size_t al, const char *b, size_t bl)
{
	return stands_for(a, al, b, bl) || stands_for(b, bl, a, al);
}
