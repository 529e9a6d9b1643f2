/* text/han.c - Korean readings of Han characters (data/text/han_korean.tsv). */
#include "text/normalize.h"
#include "text/tables.h"

#include <string.h>

size_t eg__text_han_readings(uint32_t cp, const char *tok, size_t len, eg__text_name_fn fn,
                             void *ud)
{
	size_t lo = 0, hi = eg__text_han_korean_count, found = 0;
	const char *p;

	/* Han starts at U+2E80; Hangul syllables (U+AC00..U+D7A3) have no
	 * entry and are not searched for */
	if (cp < 0x2E80 || (cp >= 0xAC00 && cp <= 0xD7A3))
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (eg__text_han_korean[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == eg__text_han_korean_count || eg__text_han_korean[lo].cp != cp)
		return 0;
	for (p = eg__text_han_korean[lo].readings; *p != '\0';) {
		size_t n = strcspn(p, " ");
		if (n != len || memcmp(p, tok, n) != 0) {
			fn(ud, p, n);
			found++;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	return found;
}
