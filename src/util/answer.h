/* answer.h - the JSON of a screening answer, shared by the command line
 * and the server (both see only the public header and src/util): a hit
 * with what its listing says, and the versions consulted, the sources
 * skipped and the warnings of an answer. */
#ifndef EG_UTIL_ANSWER_H
#define EG_UTIL_ANSWER_H

#include "exportgate.h"
#include "buf.h"

#include <jansson.h>

/* A JSON array of the strings v[0..n). NULL when out of memory. */
json_t *eg__str_array(const char *const *v, size_t n);
/* One hit: source, version, uid, type, names, programs, countries, ISO
 * codes, score, listing facts; with explain, the per-token explanation. */
json_t *eg__hit_json(const eg_hit *h, int explain);
/* Sets "consulted", "skipped" and "warnings" of o from hits (a warning per
 * version that lacks kinds of field, per reconstructed list, per skipped
 * source). Returns 0, or -1 when out of memory. */
int eg__answer_json(json_t *o, const eg_hits *hits);
/* Appends to key (bytes, not text) every input eg__answer_json reads from
 * hits: two answers with the same key have the same "consulted",
 * "skipped" and "warnings", which a server may keep (src/server/api.c).
 * Kept beside eg__answer_json: what one reads, the other must. Returns 0,
 * or the error of eg__buf_add (EG_ETOOBIG past the buffer's cap). */
int eg__answer_key(eg__buf *key, const eg_hits *hits);

#endif
