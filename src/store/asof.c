/* asof.c - the as-of rule (asof.h). */
#include "asof.h"

#include <string.h>

const char *eg__version_effective(const eg_list_version *v)
{
	return v->published[0] ? v->published : v->imported;
}

/* <0, 0, >0 as a is older than, as old as, newer than b by the as-of
 * order (effective date, then id). */
static int order(const eg_list_version *a, const eg_list_version *b)
{
	int c = strncmp(eg__version_effective(a), eg__version_effective(b), 10);

	if (c != 0)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

const eg_list_version *eg__version_pick(const eg_list_version *v, size_t n,
                                        const char *source, const char *date)
{
	const eg_list_version *best = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].source, source) != 0)
			continue;
		if (date != NULL && strncmp(eg__version_effective(&v[i]), date, 10) > 0)
			continue;
		if (best == NULL || order(&v[i], best) > 0)
			best = &v[i];
	}
	return best;
}

const eg_list_version *eg__version_first(const eg_list_version *v, size_t n,
                                         const char *source)
{
	const eg_list_version *first = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].source, source) == 0 && (first == NULL || order(&v[i], first) < 0))
			first = &v[i];
	return first;
}
