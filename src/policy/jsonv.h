/* jsonv.h - reading validated values out of jansson trees, every fault named by its JSON path.
 *
 * The policy layer's three formats (item table, policy, deal) share these
 * helpers so that every error reads the same way:
 *   "<where>: $.parties[1].role: \"buyer\" is not a role (end_user, ...)".
 * A path is built in a caller-owned eg__jpath (fixed size: a path longer than
 * EG__JPATH_MAX is cut with "..." in messages only; it is never used as data).
 * Strings handed out are copied into the caller's arena. */
#ifndef EG_POLICY_JSONV_H
#define EG_POLICY_JSONV_H

#include "exportgate.h"
#include "../util/arena.h"

#include <jansson.h>
#include <stddef.h>

#define EG__JPATH_MAX 256

typedef struct eg__jpath {
	char s[EG__JPATH_MAX];
} eg__jpath;

/* The context every helper needs: where messages say the input came from
 * (a file name or "deal"), the arena strings are copied into, and err. */
typedef struct eg__jv {
	const char *where;
	eg__arena *arena;
	eg_error *err;
} eg__jv;

/* out = base + "." + key, or base + "[i]". */
void eg__jpath_key(eg__jpath *out, const eg__jpath *base, const char *key);
void eg__jpath_idx(eg__jpath *out, const eg__jpath *base, size_t i);

/* Sets jv->err to code with "<where>: <path>: <message>" and returns code. */
int eg__jv_fail(const eg__jv *jv, int code, const eg__jpath *path, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* Parses data[0..len) (duplicate keys refused) into *out. A syntax error is
 * EG_EPARSE naming line and column; a document larger than cap EG_ETOOBIG. */
int eg__jv_parse(json_t **out, const eg__jv *jv, const char *data, size_t len, size_t cap);
/* Reads the file at path (at most cap bytes) into a new eg__malloc'd buffer
 * *out of *len bytes. EG_ENOTFOUND / EG_EIO / EG_ETOOBIG name the file. */
int eg__jv_read_file(char **out, size_t *len, const char *path, size_t cap, eg_error *err);

/* Checks that obj (at path) is an object whose keys are all in allowed
 * (NULL-terminated). An unknown key is EG_EINVAL naming it. */
int eg__jv_object(const eg__jv *jv, const json_t *obj, const eg__jpath *path,
                  const char *const *allowed);

/* The string member key of obj, copied into the arena, in *out. A missing
 * member is EG_EINVAL when required, else *out = NULL. Not a string, empty,
 * longer than cap bytes (EG_ETOOBIG), or holding a NUL byte: an error. */
int eg__jv_string(const char **out, const eg__jv *jv, const json_t *obj,
                  const eg__jpath *path, const char *key, int required, size_t cap);
/* A member that must be a valid YYYY-MM-DD date into out (""
 * when optional and missing). */
int eg__jv_date(char out[11], const eg__jv *jv, const json_t *obj,
                const eg__jpath *path, const char *key, int required);
/* A boolean member; *out = dflt when missing. */
int eg__jv_bool(int *out, const eg__jv *jv, const json_t *obj, const eg__jpath *path,
                const char *key, int dflt);
/* An array of strings (each non-empty, at most str_cap bytes, at most
 * n_cap elements, no duplicates) copied into the arena. Missing: required ->
 * error, else *out = NULL, *n = 0. An empty array is an error when
 * nonempty is set. */
int eg__jv_strings(const char ***out, size_t *n, const eg__jv *jv, const json_t *obj,
                   const eg__jpath *path, const char *key, int required, int nonempty,
                   size_t n_cap, size_t str_cap);

/* 1 when s is one of set[0..n). */
int eg__jv_in(const char *s, const char *const *set, size_t n);

#endif
