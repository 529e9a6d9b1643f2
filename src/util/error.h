/* error.h - filling the caller's eg_error. */
#ifndef EG_ERROR_H
#define EG_ERROR_H

#include "exportgate.h"

#if defined(__GNUC__)
#define EG__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define EG__PRINTF(a, b)
#endif

/* Sets err (if not NULL) to code and a formatted one-line message and
 * returns code, so callers can write `return eg__error_set(...)`. */
int eg__error_set(eg_error *err, int code, const char *fmt, ...) EG__PRINTF(3, 4);
/* Clears err to EG_OK. */
void eg__error_clear(eg_error *err);
/* Prefixes the existing message with a formatted context ("file: ").
 * Returns err->code. */
int eg__error_prefix(eg_error *err, const char *fmt, ...) EG__PRINTF(2, 3);

#endif
