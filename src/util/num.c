/* num.c - numbers read from text (num.h). */
#include "num.h"

#include <errno.h>
#include <stdlib.h>

int eg__parse_u64(uint64_t *out, const char *s, uint64_t lo, uint64_t hi)
{
	char *end;
	unsigned long long v;

	if (s == NULL || s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int eg__parse_size(size_t *out, const char *s, size_t lo, size_t hi)
{
	uint64_t v;

	if (eg__parse_u64(&v, s, lo, hi) != 0)
		return -1;
	*out = (size_t)v;
	return 0;
}
