/* num.h - numbers read from text (command lines, query strings). */
#ifndef EG_UTIL_NUM_H
#define EG_UTIL_NUM_H

#include <stddef.h>
#include <stdint.h>

/* Reads s as a decimal number in [lo, hi]: digits only (no sign, no
 * space, nothing after). Returns 0 and sets *out, or -1 (*out untouched). */
int eg__parse_u64(uint64_t *out, const char *s, uint64_t lo, uint64_t hi);
/* The same into a size_t. */
int eg__parse_size(size_t *out, const char *s, size_t lo, size_t hi);

#endif
