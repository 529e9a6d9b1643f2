/* text/icu.c - the per-thread ICU transliterators and growable UTF-16 work buffers. */
#include "text/norm_internal.h"
#include "util/alloc.h"
#include "util/error.h"

#include <pthread.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

/* --- the per-thread transliterators -------------------------------------- */

/* ICU transliterators are not thread-safe and cost milliseconds to build
 * and microseconds to run, so each thread builds its own on first use and
 * keeps them until it exits (the key's destructor) or calls
 * eg__text_thread_cleanup. Two are kept instead of the compound
 * "Any-Latin; Latin-ASCII": Latin-ASCII is the costlier half and is only
 * needed for the few Latin letters that NFD does not take apart (ø, đ, ł,
 * æ, ı, ...), so it runs only on text that still holds one. */
static pthread_once_t icu_once = PTHREAD_ONCE_INIT;
static pthread_key_t icu_key;
static int icu_key_ok;

static void thread_icu_free(void *p)
{
	eg__thread_icu *t = p;

	if (t == NULL)
		return;
	if (t->any_latin != NULL)
		utrans_close(t->any_latin);
	if (t->latin_ascii != NULL)
		utrans_close(t->latin_ascii);
	eg__free(t);
}

static void icu_key_init(void)
{
	icu_key_ok = pthread_key_create(&icu_key, thread_icu_free) == 0;
}

static UTransliterator *open_trans(const char *id, eg_error *err)
{
	UChar uid[32];
	UTransliterator *t;
	UErrorCode st = U_ZERO_ERROR;

	u_uastrncpy(uid, id, (int32_t)(sizeof(uid) / sizeof(uid[0])));
	t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	if (U_FAILURE(st) || t == NULL) {
		eg__error_set(err, EG_EUNICODE, "name: ICU transliterator %s: %s", id,
		              u_errorName(st));
		return NULL;
	}
	return t;
}

/* Sets *out to this thread's transliterators, building them on first use.
 * Returns 0, or EG_ENOMEM/EG_EUNICODE with err set. */
int eg__icu_get(eg__thread_icu **out, eg_error *err)
{
	eg__thread_icu *t;

	*out = NULL;
	if (pthread_once(&icu_once, icu_key_init) != 0 || !icu_key_ok)
		return eg__error_set(err, EG_EUNICODE, "name: cannot create a thread key for ICU");
	t = pthread_getspecific(icu_key);
	if (t != NULL) {
		*out = t;
		return 0;
	}
	t = eg__calloc(1, sizeof(*t));
	if (t == NULL)
		return eg__error_set(err, EG_ENOMEM, "name: out of memory");
	t->any_latin = open_trans("Any-Latin", err);
	if (t->any_latin != NULL)
		t->latin_ascii = open_trans("Latin-ASCII", err);
	if (t->latin_ascii == NULL) {
		thread_icu_free(t);
		return EG_EUNICODE;
	}
	if (pthread_setspecific(icu_key, t) != 0) {
		thread_icu_free(t);
		return eg__error_set(err, EG_EUNICODE, "name: cannot keep the ICU transliterators");
	}
	*out = t;
	return 0;
}

void eg__text_thread_cleanup(void)
{
	eg__thread_icu *t;

	if (pthread_once(&icu_once, icu_key_init) != 0 || !icu_key_ok)
		return;
	t = pthread_getspecific(icu_key);
	if (t != NULL) {
		pthread_setspecific(icu_key, NULL);
		thread_icu_free(t);
	}
}

/* Grows *buf to hold at least need code units (need <= WORK_MAX_UNITS). */
int eg__icu_grow(UChar **buf, int32_t *cap, int32_t need, eg_error *err)
{
	UChar *p;

	if (need <= *cap)
		return 0;
	if (need > WORK_MAX_UNITS)
		return eg__error_set(err, EG_ETOOBIG,
		                     "name: longer than %d UTF-16 units once normalised",
		                     WORK_MAX_UNITS);
	p = eg__realloc(*buf, (size_t)need * sizeof(UChar));
	if (p == NULL)
		return eg__error_set(err, EG_ENOMEM, "name: out of memory");
	*buf = p;
	*cap = need;
	return 0;
}

/* Writes s[0..n) normalised by nf into *dst (grown as needed); the length
 * goes to *dlen. */
int eg__icu_normalize(const UNormalizer2 *nf, const UChar *s, int32_t n, UChar **dst,
                          int32_t *dcap, int32_t *dlen, eg_error *err)
{
	int rc = eg__icu_grow(dst, dcap, n + n / 2 + 16 < WORK_MAX_UNITS ?
	                    n + n / 2 + 16 : WORK_MAX_UNITS, err);

	while (rc == 0) {
		UErrorCode st = U_ZERO_ERROR;
		*dlen = unorm2_normalize(nf, s, n, *dst, *dcap, &st);
		if (st == U_BUFFER_OVERFLOW_ERROR) {
			rc = eg__icu_grow(dst, dcap, *dlen + 1, err);
			continue;
		}
		if (U_FAILURE(st))
			rc = eg__error_set(err, EG_EUNICODE, "name: ICU normalisation: %s",
			                   u_errorName(st));
		break;
	}
	return rc;
}

/* Transliterates s[0..n) with trans into *dst (grown as needed; s must not
 * point into *dst); the length goes to *dlen. */
int eg__icu_translit(UTransliterator *trans, const UChar *s, int32_t n, UChar **dst,
                         int32_t *dcap, int32_t *dlen, eg_error *err)
{
	int32_t want = n < WORK_MAX_UNITS / 4 ? n * 4 + 32 : WORK_MAX_UNITS;
	int rc;

	for (;;) {
		UErrorCode st = U_ZERO_ERROR;
		int32_t limit = n;

		if (want > WORK_MAX_UNITS)
			want = WORK_MAX_UNITS;
		rc = eg__icu_grow(dst, dcap, want, err);
		if (rc != 0)
			return rc;
		if (n > *dcap)
			return eg__error_set(err, EG_ETOOBIG, "name: too long to transliterate");
		memcpy(*dst, s, (size_t)n * sizeof(UChar));
		*dlen = n;
		utrans_transUChars(trans, *dst, dlen, *dcap, 0, &limit, &st);
		if (st == U_BUFFER_OVERFLOW_ERROR || (U_SUCCESS(st) && *dlen > *dcap)) {
			if (*dcap >= WORK_MAX_UNITS)
				return eg__error_set(err, EG_ETOOBIG,
				                     "name: longer than %d UTF-16 units once transliterated",
				                     WORK_MAX_UNITS);
			want = *dlen > *dcap ? *dlen + 16 : *dcap * 2;
			continue;
		}
		if (U_FAILURE(st))
			return eg__error_set(err, EG_EUNICODE, "name: ICU transliteration: %s",
			                     u_errorName(st));
		return 0;
	}
}
