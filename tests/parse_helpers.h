/* parse_helpers.h - the fixture shared by the list parsers' test suites.
 *
 * One suite runs at a time per process (Criterion forks per test), so the
 * fixture is one set of globals: the set parsed into, the error, the hex
 * SHA-256 of the input, and the warnings seen. A suite's .init calls
 * ph_setup() and its .fini ph_teardown(). */
#ifndef EG_TESTS_PARSE_HELPERS_H
#define EG_TESTS_PARSE_HELPERS_H

#include "lists/format.h"

#include <stddef.h>

extern eg__entity_set ph_set;
extern eg_error ph_err;
extern char ph_digest[65];
extern int ph_n_warn;          /* warnings since ph_setup() */
extern char ph_last_warn[512]; /* the last of them */

/* An in-memory entry point of a format (eg__un_xml_parse_mem, ...). */
typedef int (*ph_parse_mem_fn)(eg__parse_ctx *ctx, const char *data, size_t len,
                               const char *name, eg_error *err);

/* Empties the fixture; the set is ready to fill. */
void ph_setup(void);
/* Frees the set. */
void ph_teardown(void);
/* A context that fills ph_set and counts warnings; its digest goes to sha,
 * initialised here unless NULL. */
void ph_init_ctx(eg__parse_ctx *ctx, eg__sha256 *sha);
/* Parses path with fmt into ph_set; the digest of what was read goes to
 * ph_digest, the error to ph_err. Returns the parser's result. */
int ph_parse_path(const eg__format *fmt, const char *path);
/* Likewise for the NUL-terminated text, called name, through fn. */
int ph_parse_mem(ph_parse_mem_fn fn, const char *text, const char *name);
/* The SHA-256 of a whole file, read independently of the parser. */
void ph_file_digest(const char *path, char hex[65]);
/* The entity of ph_set with this uid; the test fails when there is none. */
const eg__entity *ph_get(const char *uid);
/* The name of e with this text, or NULL. */
const eg__name *ph_name_of(const eg__entity *e, const char *text);
/* 1 when e has a name of this text and kind. */
int ph_has_name(const eg__entity *e, const char *text, eg__name_kind kind);
/* 1 when s is one of the n strings of v. */
int ph_has(const char *const *v, size_t n, const char *s);
/* Parses dir/file with fmt and checks it fails with code and an error
 * message holding both where and what. */
void ph_expect_error(const eg__format *fmt, const char *dir, const char *file, int code,
                     const char *where, const char *what);

#endif
