/* text/nickname.c - diminutives of given names (data/text/nicknames.tsv). */
#include "text/normalize.h"
#include "text/tables.h"

#include <string.h>

/* The first pair of t (sorted by its `by_name` field) whose key is
 * k[0..n), or count if none. */
static size_t first_of(const eg__text_nickname *t, int by_name, const char *k, size_t n)
{
	size_t lo = 0, hi = eg__text_nickname_count;

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
