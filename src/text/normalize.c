/* text/normalize.c - the normalisation pipeline: validation, raw tokens, classification. */
#include "text/norm_internal.h"
#include "util/alloc.h"
#include "util/error.h"

#include <stddef.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

/*
 * The pipeline: validate the UTF-8 bytes; collect raw tokens (ASCII input
 * directly, anything else through NFKC_Casefold and the per-thread ICU
 * transliterators, see eg__tokenize_icu); then classify the raw tokens,
 * merging multi-word table variants into their canonical token(s).
 *
 * Raw tokens are kept apart from the result because a table variant may be
 * shorter or longer than its canonical form ("limited liability company"
 * -> "llc", "bn" -> "bin"), and several raw tokens may merge into one.
 */

/* --- validation ---------------------------------------------------------- */

/* Checks len bytes of UTF-8: well-formed, no C0 or C1 control character
 * and no DEL. Sets *ascii (all bytes < 0x80) and *blank (only white space
 * or nothing). */
static int validate(const char *in, size_t len, int *ascii, int *blank, eg_error *err)
{
	const uint8_t *s = (const uint8_t *)in;
	int32_t i = 0, n = (int32_t)len;

	*ascii = 1;
	*blank = 1;
	while (i < n) {
		int32_t at = i;
		UChar32 c;

		if (s[i] < 0x80) {
			c = s[i++];
			if (c < 0x20 || c == 0x7f)
				return eg__error_set(err, EG_EINVAL,
				                     "name: control character U+%04X at byte %d",
				                     (unsigned)c, (int)at);
			if (c != ' ')
				*blank = 0;
			continue;
		}
		*ascii = 0;
		U8_NEXT(s, i, n, c);
		if (c < 0)
			return eg__error_set(err, EG_EUTF8, "name: invalid UTF-8 at byte %d", (int)at);
		if (c >= 0x80 && c <= 0x9f)
			return eg__error_set(err, EG_EINVAL,
			                     "name: control character U+%04X at byte %d",
			                     (unsigned)c, (int)at);
		if (*blank && !u_isUWhiteSpace(c))
			*blank = 0;
	}
	return 0;
}

int eg__text_check_query(const char *in, size_t len, eg_error *err)
{
	int ascii, blank, rc;

	if (in == NULL || len == 0)
		return eg__error_set(err, EG_EEMPTY, "query: empty name");
	if (len > EG__CAP_QUERY_BYTES)
		return eg__error_set(err, EG_ETOOBIG, "query: name of %zu bytes, over the cap of %d",
		                     len, EG__CAP_QUERY_BYTES);
	rc = validate(in, len, &ascii, &blank, err);
	if (rc != 0)
		return rc;
	if (blank)
		return eg__error_set(err, EG_EEMPTY, "query: name is only white space");
	return 0;
}

int eg__text_normalize(eg__norm *out, const char *in, size_t len, eg_error *err)
{
	eg__raw_tokens *r = NULL;
	int ascii, blank, rc;

	out->n = 0;
	out->truncated = 0;
	if (in == NULL && len > 0)
		return eg__error_set(err, EG_EINVAL, "name: NULL with a length");
	if (len > EG__CAP_NORM_INPUT_BYTES)
		return eg__error_set(err, EG_ETOOBIG, "name: %zu bytes, over the cap of %d",
		                     len, EG__CAP_NORM_INPUT_BYTES);
	rc = validate(in, len, &ascii, &blank, err);
	if (rc != 0 || blank)
		return rc;
	/* about 10 KiB: on the heap, so deep callers' stacks stay small */
	r = eg__malloc(offsetof(eg__raw_tokens, buf) + RAW_MAX_BYTES);
	if (r == NULL)
		return eg__error_set(err, EG_ENOMEM, "name: out of memory");
	r->used = 0;
	r->n = 0;
	r->open = 0;
	r->truncated = 0;
	r->toobig = 0;
	if (ascii)
		eg__tokenize_ascii(r, in, len);
	else {
		rc = eg__tokenize_icu(r, in, len, err);
		if (rc != 0)
			goto done;
	}
	if (r->toobig) {
		rc = eg__error_set(err, EG_ETOOBIG, "name: over %d bytes once normalised",
		                   EG__CAP_NORM_BYTES);
		goto done;
	}
	eg__romanize_korean_rr(r);
	eg__classify_join_chinese(r);
	eg__classify_respace(r);
	eg__classify_correct(r);
	eg__classify_join_initials(r);
	rc = eg__classify(out, r, err);

done:
	if (rc != 0) {
		out->n = 0;
		out->truncated = 0;
	}
	eg__free(r);
	return rc;
}
