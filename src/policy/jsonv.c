/* jsonv.c - validated reads from jansson trees, with JSON paths in every message (see jsonv.h). */
#include "jsonv.h"
#include "../util/alloc.h"
#include "../util/date.h"
#include "../util/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* A path too long for its buffer ends in "..." (it names its start: the
 * path is used in messages only). */
static void mark_cut(eg__jpath *out, int n)
{
	if (n < 0 || (size_t)n >= sizeof(out->s))
		memcpy(out->s + sizeof(out->s) - 4, "...", 4);
}

void eg__jpath_key(eg__jpath *out, const eg__jpath *base, const char *key)
{
	mark_cut(out, snprintf(out->s, sizeof(out->s), "%s.%s", base ? base->s : "$", key));
}

void eg__jpath_idx(eg__jpath *out, const eg__jpath *base, size_t i)
{
	mark_cut(out, snprintf(out->s, sizeof(out->s), "%s[%zu]", base ? base->s : "$", i));
}

int eg__jv_fail(const eg__jv *jv, int code, const eg__jpath *path, const char *fmt, ...)
{
	char msg[EG_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return eg__error_set(jv->err, code, "%s: %s: %s", jv->where, path ? path->s : "$", msg);
}

int eg__jv_parse(json_t **out, const eg__jv *jv, const char *data, size_t len, size_t cap)
{
	json_error_t je;

	*out = NULL;
	if (len > cap)
		return eg__error_set(jv->err, EG_ETOOBIG, "%s: %zu bytes, more than the cap of %zu",
		                     jv->where, len, cap);
	*out = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (*out == NULL)
		return eg__error_set(jv->err, EG_EPARSE, "%s: line %d, column %d: %s", jv->where,
		                     je.line, je.column, je.text);
	return 0;
}

int eg__jv_read_file(char **out, size_t *len, const char *path, size_t cap, eg_error *err)
{
	struct stat st;
	FILE *f = NULL;
	char *buf = NULL;
	int rc = 0;

	*out = NULL;
	*len = 0;
	if (stat(path, &st) != 0)
		return eg__error_set(err, errno == ENOENT ? EG_ENOTFOUND : EG_EIO, "%s: %s", path,
		                     strerror(errno));
	if ((unsigned long long)st.st_size > cap)
		return eg__error_set(err, EG_ETOOBIG, "%s: %lld bytes, more than the cap of %zu",
		                     path, (long long)st.st_size, cap);
	f = fopen(path, "rb");
	if (f == NULL)
		return eg__error_set(err, EG_EIO, "%s: %s", path, strerror(errno));
	buf = eg__malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", path);
		goto done;
	}
	*len = fread(buf, 1, (size_t)st.st_size, f);
	if (*len != (size_t)st.st_size || ferror(f)) {
		rc = eg__error_set(err, EG_EIO, "%s: short read", path);
		goto done;
	}
	buf[*len] = '\0';
	*out = buf;
	buf = NULL;
done:
	eg__free(buf);
	fclose(f);
	return rc;
}

int eg__jv_in(const char *s, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

int eg__jv_object(const eg__jv *jv, const json_t *obj, const eg__jpath *path,
                  const char *const *allowed)
{
	const char *key;
	json_t *v;
	size_t n = 0;

	if (!json_is_object(obj))
		return eg__jv_fail(jv, EG_EINVAL, path, "not an object");
	while (allowed[n] != NULL)
		n++;
	json_object_foreach((json_t *)obj, key, v) {
		eg__jpath p;

		(void)v;
		if (!eg__jv_in(key, allowed, n)) {
			eg__jpath_key(&p, path, key);
			return eg__jv_fail(jv, EG_EINVAL, &p, "unknown field");
		}
	}
	return 0;
}

/* Checks one JSON string value and copies it. */
static int take_string(const char **out, const eg__jv *jv, const json_t *v,
                       const eg__jpath *p, size_t cap)
{
	size_t len;
	const char *s;

	if (!json_is_string(v))
		return eg__jv_fail(jv, EG_EINVAL, p, "not a string");
	s = json_string_value(v);
	len = json_string_length(v);
	if (len == 0)
		return eg__jv_fail(jv, EG_EINVAL, p, "empty string");
	if (len > cap)
		return eg__jv_fail(jv, EG_ETOOBIG, p, "%zu bytes, more than the cap of %zu", len, cap);
	if (memchr(s, '\0', len) != NULL)
		return eg__jv_fail(jv, EG_EINVAL, p, "holds a NUL character");
	*out = eg__arena_strndup(jv->arena, s, len);
	if (*out == NULL)
		return eg__jv_fail(jv, EG_ENOMEM, p, "out of memory");
	return 0;
}

int eg__jv_string(const char **out, const eg__jv *jv, const json_t *obj,
                  const eg__jpath *path, const char *key, int required, size_t cap)
{
	eg__jpath p;
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	eg__jpath_key(&p, path, key);
	if (v == NULL)
		return required ? eg__jv_fail(jv, EG_EINVAL, &p, "missing") : 0;
	return take_string(out, jv, v, &p, cap);
}

int eg__jv_date(char out[11], const eg__jv *jv, const json_t *obj,
                const eg__jpath *path, const char *key, int required)
{
	eg__jpath p;
	const json_t *v = json_object_get(obj, key);
	const char *s;
	size_t len;

	out[0] = '\0';
	eg__jpath_key(&p, path, key);
	if (v == NULL)
		return required ? eg__jv_fail(jv, EG_EINVAL, &p, "missing") : 0;
	if (!json_is_string(v))
		return eg__jv_fail(jv, EG_EINVAL, &p, "not a string");
	s = json_string_value(v);
	len = json_string_length(v);
	if (len != 10 || !eg__date_valid(s, len))
		return eg__jv_fail(jv, EG_EINVAL, &p, "\"%.40s\" is not a date (YYYY-MM-DD)", s);
	memcpy(out, s, 10);
	out[10] = '\0';
	return 0;
}

int eg__jv_bool(int *out, const eg__jv *jv, const json_t *obj, const eg__jpath *path,
                const char *key, int dflt)
{
	eg__jpath p;
	const json_t *v = json_object_get(obj, key);

	*out = dflt;
	if (v == NULL)
		return 0;
	if (!json_is_boolean(v)) {
		eg__jpath_key(&p, path, key);
		return eg__jv_fail(jv, EG_EINVAL, &p, "not true or false");
	}
	*out = json_is_true(v);
	return 0;
}

int eg__jv_strings(const char ***out, size_t *n, const eg__jv *jv, const json_t *obj,
                   const eg__jpath *path, const char *key, int required, int nonempty,
                   size_t n_cap, size_t str_cap)
{
	eg__jpath p, pi;
	const json_t *arr = json_object_get(obj, key);
	const char **vals;
	size_t i, count;
	int rc;

	*out = NULL;
	*n = 0;
	eg__jpath_key(&p, path, key);
	if (arr == NULL)
		return required ? eg__jv_fail(jv, EG_EINVAL, &p, "missing") : 0;
	if (!json_is_array(arr))
		return eg__jv_fail(jv, EG_EINVAL, &p, "not an array");
	count = json_array_size(arr);
	if (count == 0 && nonempty)
		return eg__jv_fail(jv, EG_EINVAL, &p, "empty array");
	if (count > n_cap)
		return eg__jv_fail(jv, EG_ETOOBIG, &p, "%zu elements, more than the cap of %zu",
		                   count, n_cap);
	vals = eg__arena_calloc(jv->arena, count ? count : 1, sizeof(*vals));
	if (vals == NULL)
		return eg__jv_fail(jv, EG_ENOMEM, &p, "out of memory");
	for (i = 0; i < count; i++) {
		eg__jpath_idx(&pi, &p, i);
		if ((rc = take_string(&vals[i], jv, json_array_get(arr, i), &pi, str_cap)) != 0)
			return rc;
		if (eg__jv_in(vals[i], vals, i))
			return eg__jv_fail(jv, EG_EINVAL, &pi, "\"%s\" appears twice", vals[i]);
	}
	*out = vals;
	*n = count;
	return 0;
}
