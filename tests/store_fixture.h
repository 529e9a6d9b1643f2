/* store_fixture.h - entity sets, versions and comparisons shared by the
 * store tests; each failure is a Criterion assertion. */
#ifndef EG_TEST_STORE_FIXTURE_H
#define EG_TEST_STORE_FIXTURE_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* A version of source, published on published ("" for none), whose sha256
 * is 64 times shachar. */
eg_list_version version_of(const char *source, const char *published, char shachar);
void add_name(eg__entity_set *s, eg__entity *e, const char *t, eg__name_kind k, int weak);
/* Three entities using every field, NULLs included, in a non-sorted uid order. */
void build_set(eg__entity_set *s);
/* A set of n plain entities with two names each; uids prefixed by tag. */
void build_plain(eg__entity_set *s, size_t n, const char *tag);
void assert_str_eq(const char *a, const char *b, const char *what);
void assert_sets_equal(const eg__entity_set *a, const eg__entity_set *b);
void assert_version_eq(const eg_list_version *a, const eg_list_version *b);
void add_ok(eg__store *st, eg_list_version *v, const eg__entity_set *set);
/* Today's UTC date, YYYY-MM-DD. */
void today(char out[11]);
/* Copies a SQLite store's files (the database and its -wal) from one path
 * to another; the -shm is dropped (rebuilt by the next open). */
void copy_store(const char *from, const char *to);
/* Loads the given positions and checks each against the full load. */
void check_positions(eg__store *st, int64_t id, const eg__entity_set *all,
                     const uint32_t *ord, size_t n);

#endif
