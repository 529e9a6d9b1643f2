/* asof.h - the as-of rule, once, for every back end and for the catalog.
 *
 * A version's effective date is its publication date or, when the source
 * gave none, the day it was imported. The version of a source in force on
 * date D is the one with the greatest effective date on or before D, ties
 * going to the greatest id (the later import); with no date, the newest by
 * the same order. */
#ifndef EG_STORE_ASOF_H
#define EG_STORE_ASOF_H

#include "exportgate.h"

#include <stddef.h>

/* The effective date of v (10 characters, not NUL-terminated). */
const char *eg__version_effective(const eg_list_version *v);

/* The version of source in force on date ("YYYY-MM-DD"; NULL: the newest)
 * among v[0..n), or NULL when none is. */
const eg_list_version *eg__version_pick(const eg_list_version *v, size_t n,
                                        const char *source, const char *date);

/* The oldest version of source among v[0..n) by the same order, or NULL. */
const eg_list_version *eg__version_first(const eg_list_version *v, size_t n,
                                         const char *source);

#endif
