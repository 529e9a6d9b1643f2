/* countries.c - loading, validating and querying versioned country lists (see countries.h, docs/countries.md). */
#include "countries.h"
#include "format.h"
#include "../util/alloc.h"
#include "../util/date.h"
#include "../util/error.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Caps on input-grown memory, local to this module (candidates for caps.h). */
#define CAP_FILE_BYTES    (1024u * 1024)   /* one list file */
#define CAP_ISO_BYTES     (4u * 1024 * 1024) /* iso_3166-1.json */
#define CAP_FILES         256              /* list files in one directory */
#define CAP_VERSIONS      1024             /* versions of one list */
#define CAP_SOURCES       64               /* sources of one version */
#define CAP_TEXT_BYTES    8192             /* one title, note or citation */
#define CAP_NAME_BYTES    64               /* one list name */
#define N_CODES           (26 * 26)        /* every possible alpha-2 code */

struct eg__country_lists {
	eg__arena arena;          /* every list, version, code array and string */
	eg__country_list *lists;  /* eg__realloc'd, sorted by name */
	size_t n, cap;
};

/* ---- codes ---- */

static int code_index(const char *s, size_t len)
{
	if (len != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z')
		return -1;
	return (s[0] - 'A') * 26 + (s[1] - 'A');
}

static int code_cmp(const void *a, const void *b)
{
	return strcmp(((const eg__country_code *)a)->c, ((const eg__country_code *)b)->c);
}

static int code_in(const eg__country_code *arr, size_t n, const char *code)
{
	eg__country_code key;

	if (n == 0)
		return 0;
	memcpy(key.c, code, 2);
	key.c[2] = '\0';
	return bsearch(&key, arr, n, sizeof(*arr), code_cmp) != NULL;
}

/* Writes a short, printable, quoted rendering of s[0..len) for messages. */
static void quote(char *out, size_t cap, const char *s, size_t len)
{
	size_t o = 0, i;

	out[o++] = '"';
	for (i = 0; i < len && o + 8 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i == 24) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c >= 0x20 && c < 0x7f) {
			out[o++] = (char)c;
		} else {
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
		}
	}
	out[o++] = '"';
	out[o] = '\0';
}

int eg__countries_iso_has(const eg__iso_codes *iso, const char *s, size_t len)
{
	int i = code_index(s, len);

	return i >= 0 && iso->valid[i];
}

/* ---- reading files ---- */

int eg__countries_iso_load(eg__iso_codes *iso, const char *path, eg_error *err)
{
	char *data = NULL;
	size_t len, i;
	json_t *root = NULL, *arr, *e;
	json_error_t jerr;
	int rc;

	memset(iso, 0, sizeof(*iso));
	if (path == NULL)
		path = EG__COUNTRIES_ISO_PATH;
	rc = eg__read_file_capped(&data, &len, path, CAP_ISO_BYTES, err);
	if (rc == EG_ENOTFOUND) {
		rc = eg__error_set(err, EG_ENOTFOUND,
		                   "%s: missing: the ISO 3166-1 table of Debian's iso-codes package "
		                   "is needed to validate country codes (scripts/deps.sh installs it)",
		                   path);
		goto done;
	}
	if (rc != 0)
		goto done;
	root = json_loadb(data, len, 0, &jerr);
	if (root == NULL) {
		rc = eg__error_set(err, EG_EPARSE, "%s:%d:%d: JSON syntax error: %s", path,
		                   jerr.line, jerr.column, jerr.text);
		goto done;
	}
	arr = json_object_get(root, "3166-1");
	if (!json_is_array(arr)) {
		rc = eg__error_set(err, EG_EPARSE, "%s: \"3166-1\": not an array", path);
		goto done;
	}
	json_array_foreach(arr, i, e) {
		json_t *a2 = json_object_get(e, "alpha_2");
		int ix;

		if (!json_is_string(a2) ||
		    (ix = code_index(json_string_value(a2), json_string_length(a2))) < 0) {
			rc = eg__error_set(err, EG_EPARSE, "%s: \"3166-1\"[%zu].alpha_2: not two "
			                   "upper-case letters", path, i);
			goto done;
		}
		if (!iso->valid[ix]) {
			iso->valid[ix] = 1;
			iso->count++;
		}
	}
	if (iso->count == 0)
		rc = eg__error_set(err, EG_EPARSE, "%s: no alpha_2 codes", path);
done:
	json_decref(root);
	eg__free(data);
	if (rc != 0)
		memset(iso, 0, sizeof(*iso));
	return rc;
}

/* ---- the lists object ---- */

eg__country_lists *eg__countries_new(void)
{
	eg__country_lists *l = eg__calloc(1, sizeof(*l));

	if (l != NULL)
		eg__arena_init(&l->arena, 0);
	return l;
}

void eg__countries_free(eg__country_lists *lists)
{
	if (lists == NULL)
		return;
	eg__arena_clear(&lists->arena);
	eg__free(lists->lists);
	eg__free(lists);
}

size_t eg__countries_count(const eg__country_lists *lists)
{
	return lists != NULL ? lists->n : 0;
}

const eg__country_list *eg__countries_at(const eg__country_lists *lists, size_t i)
{
	return lists != NULL && i < lists->n ? &lists->lists[i] : NULL;
}

const eg__country_list *eg__countries_find(const eg__country_lists *lists, const char *name)
{
	size_t lo = 0, hi;

	if (lists == NULL || name == NULL)
		return NULL;
	hi = lists->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(lists->lists[mid].name, name);
		if (c == 0)
			return &lists->lists[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- parsing one list ---- */

typedef struct pstate {
	eg__country_lists *lists;
	const eg__iso_codes *iso;
	const char *name; /* for messages */
	eg_error *err;
} pstate;

/* Which set of a version a code was named in, for duplicate messages. */
enum { SET_NONE = 0, SET_MEMBERS, SET_NON_MEMBERS, SET_UNKNOWN };
static const char *const set_names[] = {"", "members", "non_members", "unknown"};

static int check_keys(pstate *st, json_t *obj, const char *const *allowed, const char *path)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		size_t i;
		int ok = 0;
		char q[96];

		for (i = 0; allowed[i] != NULL && !ok; i++)
			ok = strcmp(key, allowed[i]) == 0;
		if (!ok) {
			quote(q, sizeof(q), key, strlen(key));
			return eg__error_set(st->err, EG_EPARSE, "%s: %s: unknown key %s", st->name,
			                     path, q);
		}
	}
	return 0;
}

/* Copies the optional (required when need) string obj[key] into the arena;
 * *out NULL when absent or null. */
static int get_text(pstate *st, json_t *obj, const char *key, int need, const char *path,
                    size_t cap, const char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (need)
			return eg__error_set(st->err, EG_EPARSE, "%s: %s%s%s: missing", st->name,
			                     path, *path ? "." : "", key);
		return 0;
	}
	if (!json_is_string(v))
		return eg__error_set(st->err, EG_EPARSE, "%s: %s%s%s: not a string", st->name,
		                     path, *path ? "." : "", key);
	if (json_string_length(v) == 0 && need)
		return eg__error_set(st->err, EG_EPARSE, "%s: %s%s%s: empty", st->name, path,
		                     *path ? "." : "", key);
	if (json_string_length(v) > cap)
		return eg__error_set(st->err, EG_ETOOBIG, "%s: %s%s%s: longer than %zu bytes",
		                     st->name, path, *path ? "." : "", key, cap);
	*out = eg__arena_strndup(&st->lists->arena, json_string_value(v), json_string_length(v));
	if (*out == NULL)
		return eg__error_set(st->err, EG_ENOMEM, "%s: out of memory", st->name);
	return 0;
}

static int get_bool(pstate *st, json_t *obj, const char *key, int need, const char *path,
                    int *out)
{
	json_t *v = json_object_get(obj, key);

	*out = 0;
	if (v == NULL) {
		if (need)
			return eg__error_set(st->err, EG_EPARSE, "%s: %s.%s: missing", st->name, path,
			                     key);
		return 0;
	}
	if (!json_is_boolean(v))
		return eg__error_set(st->err, EG_EPARSE, "%s: %s.%s: not true or false", st->name,
		                     path, key);
	*out = json_is_true(v);
	return 0;
}

static int get_date(pstate *st, json_t *obj, const char *key, int need, const char *path,
                    char out[11])
{
	json_t *v = json_object_get(obj, key);
	char q[96];

	out[0] = '\0';
	if (v == NULL || (!need && json_is_null(v))) {
		if (need)
			return eg__error_set(st->err, EG_EPARSE, "%s: %s.%s: missing", st->name, path,
			                     key);
		return 0;
	}
	if (!json_is_string(v))
		return eg__error_set(st->err, EG_EPARSE, "%s: %s.%s: not a string", st->name, path,
		                     key);
	if (!eg__date_valid(json_string_value(v), json_string_length(v))) {
		quote(q, sizeof(q), json_string_value(v), json_string_length(v));
		return eg__error_set(st->err, EG_EPARSE, "%s: %s.%s: %s is not a valid date "
		                     "YYYY-MM-DD", st->name, path, key, q);
	}
	memcpy(out, json_string_value(v), 11);
	return 0;
}

/* Reads the optional array obj[key] of codes into a sorted arena array.
 * set != SET_NONE: every code is recorded in seen/seen_at, and a code
 * already named in any set is a duplicate. */
static int get_codes(pstate *st, json_t *obj, const char *key, const char *path, int set,
                     unsigned char *seen, size_t *seen_at, const eg__country_code **out,
                     size_t *n_out)
{
	json_t *arr = json_object_get(obj, key), *v;
	eg__country_code *codes = NULL;
	unsigned char local[N_CODES];
	size_t i, local_at[N_CODES];
	char q[96];

	*out = NULL;
	*n_out = 0;
	if (arr == NULL)
		return 0;
	if (!json_is_array(arr))
		return eg__error_set(st->err, EG_EPARSE, "%s: %s.%s: not an array", st->name, path,
		                     key);
	if (json_array_size(arr) > N_CODES)
		return eg__error_set(st->err, EG_ETOOBIG, "%s: %s.%s: %zu codes, more than there "
		                     "are two-letter codes", st->name, path, key,
		                     json_array_size(arr));
	if (json_array_size(arr) == 0)
		return 0;
	codes = eg__arena_calloc(&st->lists->arena, json_array_size(arr), sizeof(*codes));
	if (codes == NULL)
		return eg__error_set(st->err, EG_ENOMEM, "%s: out of memory", st->name);
	memset(local, 0, sizeof(local));
	json_array_foreach(arr, i, v) {
		const char *s;
		size_t len;
		int ix;

		if (!json_is_string(v))
			return eg__error_set(st->err, EG_EPARSE, "%s: %s.%s[%zu]: not a string",
			                     st->name, path, key, i);
		s = json_string_value(v);
		len = json_string_length(v);
		quote(q, sizeof(q), s, len);
		ix = code_index(s, len);
		if (ix < 0)
			return eg__error_set(st->err, EG_EPARSE, "%s: %s.%s[%zu]: %s is not an "
			                     "upper-case ISO 3166-1 alpha-2 code", st->name, path,
			                     key, i, q);
		if (!st->iso->valid[ix])
			return eg__error_set(st->err, EG_EPARSE, "%s: %s.%s[%zu]: %s is not an ISO "
			                     "3166-1 alpha-2 code (Debian iso-codes)", st->name, path,
			                     key, i, q);
		if (local[ix])
			return eg__error_set(st->err, EG_EPARSE, "%s: %s.%s[%zu]: %s listed twice "
			                     "(also %s[%zu])", st->name, path, key, i, q, key,
			                     local_at[ix]);
		local[ix] = 1;
		local_at[ix] = i;
		if (set != SET_NONE) {
			if (seen[ix])
				return eg__error_set(st->err, EG_EPARSE, "%s: %s.%s[%zu]: %s listed "
				                     "twice (also %s[%zu])", st->name, path, key, i, q,
				                     set_names[seen[ix]], seen_at[ix]);
			seen[ix] = (unsigned char)set;
			seen_at[ix] = i;
		}
		memcpy(codes[i].c, s, 2);
		codes[i].c[2] = '\0';
	}
	qsort(codes, json_array_size(arr), sizeof(*codes), code_cmp);
	*out = codes;
	*n_out = json_array_size(arr);
	return 0;
}

static const char *const list_keys[] = {"list", "title", "description", "versions", NULL};
static const char *const version_keys[] = {
	"effective", "effective_approximate", "effective_note", "until", "partial", "size",
	"members", "non_members", "unknown", "inferred", "unverified", "sources", "notes", NULL};
static const char *const source_keys[] = {"cite", "url", "accessed", "note", NULL};

static int parse_sources(pstate *st, json_t *vo, const char *path, eg__country_version *v)
{
	json_t *arr = json_object_get(vo, "sources"), *so;
	eg__country_source *src;
	size_t i;
	char sp[96];
	int rc;

	if (arr == NULL || (json_is_array(arr) && json_array_size(arr) == 0))
		return eg__error_set(st->err, EG_EPARSE, "%s: %s.sources: missing: every version "
		                     "cites at least one source", st->name, path);
	if (!json_is_array(arr))
		return eg__error_set(st->err, EG_EPARSE, "%s: %s.sources: not an array", st->name,
		                     path);
	if (json_array_size(arr) > CAP_SOURCES)
		return eg__error_set(st->err, EG_ETOOBIG, "%s: %s.sources: more than %d",
		                     st->name, path, CAP_SOURCES);
	src = eg__arena_calloc(&st->lists->arena, json_array_size(arr), sizeof(*src));
	if (src == NULL)
		return eg__error_set(st->err, EG_ENOMEM, "%s: out of memory", st->name);
	json_array_foreach(arr, i, so) {
		const char *ignored;

		snprintf(sp, sizeof(sp), "%s.sources[%zu]", path, i);
		if (!json_is_object(so))
			return eg__error_set(st->err, EG_EPARSE, "%s: %s: not an object", st->name, sp);
		if ((rc = check_keys(st, so, source_keys, sp)) != 0 ||
		    (rc = get_text(st, so, "cite", 1, sp, CAP_TEXT_BYTES, &src[i].cite)) != 0 ||
		    (rc = get_text(st, so, "url", 0, sp, CAP_TEXT_BYTES, &src[i].url)) != 0 ||
		    (rc = get_text(st, so, "accessed", 0, sp, CAP_TEXT_BYTES, &ignored)) != 0 ||
		    (rc = get_text(st, so, "note", 0, sp, CAP_TEXT_BYTES, &ignored)) != 0)
			return rc;
	}
	v->sources = src;
	v->n_sources = json_array_size(arr);
	return 0;
}

/* Every code of marks must be a member or a non-member of v. */
static int check_marks(pstate *st, const char *path, const char *key,
                       const eg__country_code *marks, size_t n, const eg__country_version *v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!code_in(v->members, v->n_members, marks[i].c) &&
		    !code_in(v->non_members, v->n_non_members, marks[i].c))
			return eg__error_set(st->err, EG_EPARSE, "%s: %s.%s: \"%s\" is neither in "
			                     "members nor in non_members", st->name, path, key,
			                     marks[i].c);
	return 0;
}

static int parse_version(pstate *st, json_t *vo, size_t idx, eg__country_version *v)
{
	unsigned char seen[N_CODES];
	size_t seen_at[N_CODES], i;
	char path[48];
	json_t *size;
	int rc;

	snprintf(path, sizeof(path), "versions[%zu]", idx);
	memset(seen, 0, sizeof(seen));
	v->index = idx;
	if (!json_is_object(vo))
		return eg__error_set(st->err, EG_EPARSE, "%s: %s: not an object", st->name, path);
	if ((rc = check_keys(st, vo, version_keys, path)) != 0 ||
	    (rc = get_date(st, vo, "effective", 1, path, v->effective)) != 0 ||
	    (rc = get_bool(st, vo, "effective_approximate", 0, path,
	                   &v->effective_approximate)) != 0 ||
	    (rc = get_text(st, vo, "effective_note", 0, path, CAP_TEXT_BYTES,
	                   &v->effective_note)) != 0 ||
	    (rc = get_date(st, vo, "until", 0, path, v->until)) != 0 ||
	    (rc = get_bool(st, vo, "partial", 1, path, &v->partial)) != 0 ||
	    (rc = get_codes(st, vo, "members", path, SET_MEMBERS, seen, seen_at, &v->members,
	                    &v->n_members)) != 0 ||
	    (rc = get_codes(st, vo, "non_members", path, SET_NON_MEMBERS, seen, seen_at,
	                    &v->non_members, &v->n_non_members)) != 0 ||
	    (rc = get_codes(st, vo, "unknown", path, SET_UNKNOWN, seen, seen_at, &v->unknown,
	                    &v->n_unknown)) != 0 ||
	    (rc = get_codes(st, vo, "inferred", path, SET_NONE, NULL, NULL, &v->inferred,
	                    &v->n_inferred)) != 0 ||
	    (rc = get_codes(st, vo, "unverified", path, SET_NONE, NULL, NULL, &v->unverified,
	                    &v->n_unverified)) != 0 ||
	    (rc = parse_sources(st, vo, path, v)) != 0 ||
	    (rc = get_text(st, vo, "notes", 0, path, CAP_TEXT_BYTES, &v->notes)) != 0)
		return rc;
	if (json_object_get(vo, "members") == NULL)
		return eg__error_set(st->err, EG_EPARSE, "%s: %s.members: missing", st->name, path);
	if (v->until[0] != '\0' && strcmp(v->until, v->effective) < 0)
		return eg__error_set(st->err, EG_EPARSE, "%s: %s.until: %s is before effective %s",
		                     st->name, path, v->until, v->effective);
	if (v->partial && v->n_unknown > 0)
		return eg__error_set(st->err, EG_EPARSE, "%s: %s.unknown: only a complete version "
		                     "lists unknown codes (in a partial one every code not named "
		                     "is unknown)", st->name, path);
	if (!v->partial && v->n_non_members > 0)
		return eg__error_set(st->err, EG_EPARSE, "%s: %s.non_members: only a partial "
		                     "version lists non-members (in a complete one every code not "
		                     "named is one)", st->name, path);
	if ((rc = check_marks(st, path, "inferred", v->inferred, v->n_inferred, v)) != 0 ||
	    (rc = check_marks(st, path, "unverified", v->unverified, v->n_unverified, v)) != 0)
		return rc;
	for (i = 0; i < v->n_inferred; i++)
		if (code_in(v->unverified, v->n_unverified, v->inferred[i].c))
			return eg__error_set(st->err, EG_EPARSE, "%s: %s.unverified: \"%s\" is also "
			                     "in inferred", st->name, path, v->inferred[i].c);
	size = json_object_get(vo, "size");
	if (size != NULL && !json_is_null(size)) {
		json_int_t n;

		if (!json_is_integer(size) || (n = json_integer_value(size)) < 0 ||
		    n > (json_int_t)st->iso->count)
			return eg__error_set(st->err, EG_EPARSE, "%s: %s.size: not an integer from 0 "
			                     "to %zu", st->name, path, st->iso->count);
		v->size_known = 1;
		v->size = (size_t)n;
		if (v->size < v->n_members)
			return eg__error_set(st->err, EG_EPARSE, "%s: %s.size: %zu, fewer than the "
			                     "%zu members listed", st->name, path, v->size,
			                     v->n_members);
		if (!v->partial && v->size > v->n_members + v->n_unknown)
			return eg__error_set(st->err, EG_EPARSE, "%s: %s.size: %zu, but the version is "
			                     "complete with %zu members%s", st->name, path, v->size,
			                     v->n_members, v->n_unknown > 0 ?
			                     " and few enough unknown codes" : "");
		if (v->size + v->n_non_members > st->iso->count)
			return eg__error_set(st->err, EG_EPARSE, "%s: %s.size: %zu members and %zu "
			                     "non-members exceed the %zu ISO codes", st->name, path,
			                     v->size, v->n_non_members, st->iso->count);
	} else if (!v->partial && v->n_unknown == 0) {
		v->size_known = 1;
		v->size = v->n_members;
	}
	return 0;
}

static int valid_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > CAP_NAME_BYTES)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] == '-' && i > 0)))
			return 0;
	return 1;
}

static int add_list(pstate *st, const eg__country_list *l)
{
	eg__country_lists *ls = st->lists;
	size_t pos = 0;

	while (pos < ls->n && strcmp(ls->lists[pos].name, l->name) < 0)
		pos++;
	if (pos < ls->n && strcmp(ls->lists[pos].name, l->name) == 0)
		return eg__error_set(st->err, EG_EEXISTS, "%s: list: \"%s\" is already loaded "
		                     "(from %s)", st->name, l->name, ls->lists[pos].file);
	if (ls->n == ls->cap) {
		size_t ncap = ls->cap ? ls->cap * 2 : 8, bytes;
		eg__country_list *nl;

		if (eg__mul_overflow(&bytes, ncap, sizeof(*nl)) != 0 ||
		    (nl = eg__realloc(ls->lists, bytes)) == NULL)
			return eg__error_set(st->err, EG_ENOMEM, "%s: out of memory", st->name);
		ls->lists = nl;
		ls->cap = ncap;
	}
	memmove(&ls->lists[pos + 1], &ls->lists[pos], (ls->n - pos) * sizeof(*l));
	ls->lists[pos] = *l;
	ls->n++;
	return 0;
}

int eg__countries_parse_mem(eg__country_lists *lists, const char *data, size_t len,
                            const char *name, const eg__iso_codes *iso, eg_error *err)
{
	pstate st;
	json_t *root = NULL, *vs, *vo, *lname;
	json_error_t jerr;
	eg__country_list l;
	eg__country_version *versions;
	const char *ignored;
	size_t i;
	int rc = 0;

	st.lists = lists;
	st.iso = iso;
	st.name = name;
	st.err = err;
	memset(&l, 0, sizeof(l));
	if (len > CAP_FILE_BYTES)
		return eg__error_set(err, EG_ETOOBIG, "%s: %zu bytes, over the cap of %u", name,
		                     len, CAP_FILE_BYTES);
	if (iso == NULL || iso->count == 0)
		return eg__error_set(err, EG_EINVAL, "%s: no ISO 3166-1 codes loaded", name);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		rc = eg__error_set(err, EG_EPARSE, "%s:%d:%d: JSON syntax error: %s", name,
		                   jerr.line, jerr.column, jerr.text);
		goto done;
	}
	if (!json_is_object(root)) {
		rc = eg__error_set(err, EG_EPARSE, "%s: the top level is not an object", name);
		goto done;
	}
	if ((rc = check_keys(&st, root, list_keys, "(top level)")) != 0)
		goto done;
	lname = json_object_get(root, "list");
	if (!json_is_string(lname) ||
	    !valid_name(json_string_value(lname), json_string_length(lname))) {
		rc = eg__error_set(err, EG_EPARSE, "%s: list: missing, or not a name of lower-case "
		                   "letters, digits and '-' (at most %d)", name, CAP_NAME_BYTES);
		goto done;
	}
	l.name = eg__arena_strdup(&lists->arena, json_string_value(lname));
	l.file = eg__arena_strdup(&lists->arena, name);
	if (l.name == NULL || l.file == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", name);
		goto done;
	}
	if ((rc = get_text(&st, root, "title", 1, "", CAP_TEXT_BYTES, &l.title)) != 0 ||
	    (rc = get_text(&st, root, "description", 0, "", CAP_TEXT_BYTES, &ignored)) != 0)
		goto done;
	vs = json_object_get(root, "versions");
	if (!json_is_array(vs) || json_array_size(vs) == 0) {
		rc = eg__error_set(err, EG_EPARSE, "%s: versions: missing, or not a non-empty "
		                   "array", name);
		goto done;
	}
	if (json_array_size(vs) > CAP_VERSIONS) {
		rc = eg__error_set(err, EG_ETOOBIG, "%s: versions: more than %d", name,
		                   CAP_VERSIONS);
		goto done;
	}
	versions = eg__arena_calloc(&lists->arena, json_array_size(vs), sizeof(*versions));
	if (versions == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", name);
		goto done;
	}
	json_array_foreach(vs, i, vo) {
		if ((rc = parse_version(&st, vo, i, &versions[i])) != 0)
			goto done;
		if (i == 0)
			continue;
		if (strcmp(versions[i].effective, versions[i - 1].effective) <= 0) {
			rc = eg__error_set(err, EG_EPARSE, "%s: versions[%zu].effective: %s is not "
			                   "after versions[%zu].effective %s", name, i,
			                   versions[i].effective, i - 1, versions[i - 1].effective);
			goto done;
		}
		if (versions[i - 1].until[0] != '\0' &&
		    strcmp(versions[i - 1].until, versions[i].effective) >= 0) {
			rc = eg__error_set(err, EG_EPARSE, "%s: versions[%zu].until: %s is not before "
			                   "versions[%zu].effective %s", name, i - 1,
			                   versions[i - 1].until, i, versions[i].effective);
			goto done;
		}
	}
	l.versions = versions;
	l.n_versions = json_array_size(vs);
	rc = add_list(&st, &l);
done:
	json_decref(root);
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int eg__countries_load_dir(eg__country_lists **out, const char *dir,
                           const eg__iso_codes *iso, eg_error *err)
{
	eg__country_lists *lists = NULL;
	DIR *d = NULL;
	struct dirent *de;
	char **names = NULL, *path = NULL, *data = NULL;
	size_t n = 0, i, len;
	int rc = 0;

	*out = NULL;
	lists = eg__countries_new();
	names = eg__calloc(CAP_FILES, sizeof(*names));
	if (lists == NULL || names == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", dir);
		goto done;
	}
	d = opendir(dir);
	if (d == NULL) {
		rc = eg__error_set(err, errno == ENOENT ? EG_ENOTFOUND : EG_EIO,
		                   "%s: cannot open directory: %s", dir, strerror(errno));
		goto done;
	}
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);

		if (de->d_name[0] == '.' || nl <= 5 || strcmp(de->d_name + nl - 5, ".json") != 0)
			continue;
		if (n == CAP_FILES) {
			rc = eg__error_set(err, EG_ETOOBIG, "%s: more than %d list files", dir,
			                   CAP_FILES);
			goto done;
		}
		if ((names[n] = eg__strdup(de->d_name)) == NULL) {
			rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", dir);
			goto done;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		size_t dl = strlen(dir), nl = strlen(names[i]);
		const eg__country_list *l;

		eg__free(path);
		if ((path = eg__malloc(dl + nl + 2)) == NULL) {
			rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", dir);
			goto done;
		}
		memcpy(path, dir, dl);
		path[dl] = '/';
		memcpy(path + dl + 1, names[i], nl + 1);
		eg__free(data);
		data = NULL;
		if ((rc = eg__read_file_capped(&data, &len, path, CAP_FILE_BYTES, err)) != 0 ||
		    (rc = eg__countries_parse_mem(lists, data, len, path, iso, err)) != 0)
			goto done;
		names[i][nl - 5] = '\0';
		l = eg__countries_find(lists, names[i]);
		if (l == NULL || strcmp(l->file, path) != 0) {
			rc = eg__error_set(err, EG_EPARSE, "%s: list: the name differs from the file "
			                   "name \"%s\"", path, names[i]);
			goto done;
		}
	}
	*out = lists;
	lists = NULL;
done:
	if (d != NULL)
		closedir(d);
	for (i = 0; names != NULL && i < n; i++)
		eg__free(names[i]);
	eg__free(names);
	eg__free(path);
	eg__free(data);
	eg__countries_free(lists);
	return rc;
}

/* ---- queries ---- */

const eg__country_version *eg__countries_version_at(const eg__country_list *list,
                                                    const char *date)
{
	const eg__country_version *v = NULL;
	size_t i;

	if (list == NULL || list->n_versions == 0)
		return NULL;
	if (date == NULL)
		return &list->versions[list->n_versions - 1];
	if (!eg__date_valid(date, strlen(date)))
		return NULL;
	for (i = 0; i < list->n_versions && strcmp(list->versions[i].effective, date) <= 0; i++)
		v = &list->versions[i];
	if (v != NULL && v->until[0] != '\0' && strcmp(date, v->until) > 0)
		return NULL;
	return v;
}

eg__country_answer eg__countries_answer(const eg__country_version *v, const char *code)
{
	if (code_in(v->members, v->n_members, code))
		return EG__COUNTRY_YES;
	if (v->partial)
		return code_in(v->non_members, v->n_non_members, code) ? EG__COUNTRY_NO
		                                                        : EG__COUNTRY_UNKNOWN;
	return code_in(v->unknown, v->n_unknown, code) ? EG__COUNTRY_UNKNOWN : EG__COUNTRY_NO;
}

eg__country_basis eg__countries_basis(const eg__country_version *v, const char *code)
{
	if (code_in(v->unverified, v->n_unverified, code))
		return EG__BASIS_UNVERIFIED;
	if (code_in(v->inferred, v->n_inferred, code))
		return EG__BASIS_INFERRED;
	return EG__BASIS_VERIFIED;
}

const char *eg__countries_answer_name(eg__country_answer a)
{
	return a == EG__COUNTRY_YES ? "yes" : a == EG__COUNTRY_NO ? "no" : "unknown";
}

int eg__countries_member(eg__country_answer *out, const eg__country_version **version_out,
                         const eg__country_lists *lists, const char *list,
                         const char *code, const char *date, eg_error *err)
{
	const eg__country_list *l;
	const eg__country_version *v;
	char today[11];

	*out = EG__COUNTRY_UNKNOWN;
	if (version_out != NULL)
		*version_out = NULL;
	if (code == NULL || code_index(code, strlen(code)) < 0)
		return eg__error_set(err, EG_EINVAL, "country code: not two upper-case letters");
	if (date != NULL && !eg__date_valid(date, strlen(date)))
		return eg__error_set(err, EG_EINVAL, "date: not a valid date YYYY-MM-DD");
	l = eg__countries_find(lists, list);
	if (l == NULL)
		return eg__error_set(err, EG_ENOTFOUND, "country list \"%s\": not loaded",
		                     list != NULL ? list : "");
	if (date == NULL) {
		/* the question is about today: a version vouched for only until
		 * an earlier day does not answer it */
		eg__date_today(today);
		date = today;
	}
	v = eg__countries_version_at(l, date);
	if (v == NULL && l->n_versions > 0 && strcmp(l->versions[0].effective, date) <= 0) {
		const eg__country_version *w = &l->versions[0];
		size_t i;
		for (i = 1; i < l->n_versions && strcmp(l->versions[i].effective, date) <= 0; i++)
			w = &l->versions[i];
		return eg__error_set(err, EG_ENOTFOUND, "country list \"%s\": its version of %s is "
		                     "vouched for until %s, not on %s", l->name, w->effective,
		                     w->until, date);
	}
	if (v == NULL)
		return eg__error_set(err, EG_ENOTFOUND, "country list \"%s\": no version covers "
		                     "%s (first effective %s)", l->name, date, l->versions[0].effective);
	*out = eg__countries_answer(v, code);
	if (version_out != NULL)
		*version_out = v;
	return 0;
}

/* ---- diff ---- */

static void mark_all(unsigned char *named, const eg__country_code *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		named[code_index(c[i].c, 2)] = 1;
}

/* |from ∩ to|, or -1 when the versions do not determine it: it is known
 * when one side is complete and each of its members has a known answer on
 * the other side. */
static long intersection(const eg__country_version *a, const eg__country_version *b)
{
	const eg__country_version *full = NULL, *other = NULL;
	long inter = 0;
	size_t i;

	if (!b->partial && b->n_unknown == 0) {
		full = b;
		other = a;
	}
	for (i = 0; full != NULL && i < full->n_members; i++) {
		eg__country_answer x = eg__countries_answer(other, full->members[i].c);
		if (x == EG__COUNTRY_UNKNOWN) {
			full = NULL;
			break;
		}
		inter += x == EG__COUNTRY_YES;
	}
	if (full != NULL)
		return inter;
	if (a->partial || a->n_unknown != 0)
		return -1;
	inter = 0;
	for (i = 0; i < a->n_members; i++) {
		eg__country_answer x = eg__countries_answer(b, a->members[i].c);
		if (x == EG__COUNTRY_UNKNOWN)
			return -1;
		inter += x == EG__COUNTRY_YES;
	}
	return inter;
}

void eg__countries_diff_dispose(eg__country_diff *d)
{
	if (d == NULL)
		return;
	eg__free(d->dropped);
	eg__free(d->added);
	eg__free(d->stayed);
	eg__free(d->unknown);
	memset(d, 0, sizeof(*d));
}

int eg__countries_diff(eg__country_diff *out, const eg__country_version *from,
                       const eg__country_version *to, eg_error *err)
{
	unsigned char named[N_CODES];
	eg__country_code **arr[4];
	size_t *cnt[4];
	long inter;
	int i, k, rc = 0;

	memset(out, 0, sizeof(*out));
	out->from = from;
	out->to = to;
	arr[0] = &out->dropped; cnt[0] = &out->n_dropped;
	arr[1] = &out->added;   cnt[1] = &out->n_added;
	arr[2] = &out->stayed;  cnt[2] = &out->n_stayed;
	arr[3] = &out->unknown; cnt[3] = &out->n_unknown;
	for (k = 0; k < 4; k++) {
		*arr[k] = eg__calloc(N_CODES, sizeof(eg__country_code));
		if (*arr[k] == NULL) {
			rc = eg__error_set(err, EG_ENOMEM, "country list diff: out of memory");
			goto done;
		}
	}
	memset(named, 0, sizeof(named));
	mark_all(named, from->members, from->n_members);
	mark_all(named, from->non_members, from->n_non_members);
	mark_all(named, from->unknown, from->n_unknown);
	mark_all(named, to->members, to->n_members);
	mark_all(named, to->non_members, to->n_non_members);
	mark_all(named, to->unknown, to->n_unknown);
	for (i = 0; i < N_CODES; i++) {
		char code[3] = {(char)('A' + i / 26), (char)('A' + i % 26), '\0'};
		eg__country_answer a, b;

		if (!named[i])
			continue;
		a = eg__countries_answer(from, code);
		b = eg__countries_answer(to, code);
		if (a == EG__COUNTRY_UNKNOWN || b == EG__COUNTRY_UNKNOWN)
			k = 3;
		else if (a == EG__COUNTRY_YES && b == EG__COUNTRY_NO)
			k = 0;
		else if (a == EG__COUNTRY_NO && b == EG__COUNTRY_YES)
			k = 1;
		else if (a == EG__COUNTRY_YES)
			k = 2;
		else
			continue;
		memcpy((*arr[k])[*cnt[k]].c, code, 3);
		(*cnt[k])++;
	}
	inter = intersection(from, to);
	out->dropped_total = out->dropped_unnamed = -1;
	out->added_total = out->added_unnamed = -1;
	if (inter >= 0 && from->size_known) {
		out->dropped_total = (long)from->size - inter;
		out->dropped_unnamed = out->dropped_total - (long)out->n_dropped;
	}
	if (inter >= 0 && to->size_known) {
		out->added_total = (long)to->size - inter;
		out->added_unnamed = out->added_total - (long)out->n_added;
	}
done:
	if (rc != 0) {
		eg__countries_diff_dispose(out);
		out->from = from;
		out->to = to;
	}
	return rc;
}
