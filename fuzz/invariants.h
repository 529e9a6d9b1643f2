/* invariants.h - what every parser's output must satisfy, checked by every
 * fuzz target after a successful parse (and by tests/test_entity.c).
 *
 * A fuzz input that parses into a set breaking one of these is a bug even
 * when nothing crashed: the replay of the corpora aborts on it. */
#ifndef EG_FUZZ_INVARIANTS_H
#define EG_FUZZ_INVARIANTS_H

#include "lists/entity.h"

#include <stddef.h>

/*
 * Checks the set s as a parser left it, then resolves its countries
 * (eg__entity_set_resolve_countries, which changes s->v[].iso) and checks
 * the codes and the carries flags:
 *  - every entity has a non-empty uid, unique in the set (and found by
 *    eg__entity_set_find), and at least one name, none empty, the first
 *    of kind primary;
 *  - every string (uid, names, addresses, programs, countries, attributes,
 *    remarks, dates, published) is valid UTF-8;
 *  - start_date, end_date and published are NULL or a valid YYYY-MM-DD;
 *  - the type is individual, entity, vessel, aircraft or unknown;
 *  - every count is at most its capacity, and an array with a count is
 *    not NULL; the set's count at most its capacity;
 *  - after resolving, every ISO code is two upper-case letters, a code of
 *    the table, distinct within its entity, at most one per country and
 *    address;
 *  - eg__entity_set_carries gives exactly the kinds of field present.
 * Returns 0, or -1 with the first violation described in why[0..cap)
 * (naming the entity), or -2 when resolving ran out of memory.
 */
int fuzz_check_set(eg__entity_set *s, char *why, size_t cap);

/* For a fuzz target: when the parse succeeded (parse_rc 0), checks s and
 * aborts with the violation on stderr, so the replay of a corpus (and
 * libFuzzer) reports the input. A failed parse is not checked: its set is
 * to be discarded. */
void fuzz_check_or_abort(int parse_rc, eg__entity_set *s, const char *target);

#endif
