/* fuzz_normalize.c - feeds arbitrary bytes to the name normaliser and the query check. */
#include "text/normalize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The readings of a word (eg__text_respell): letters a-z, within the
 * lengths promised, never the word itself, never one given twice. */
typedef struct readings {
	const char *word;
	size_t len, n;
	char seen[EG__RESPELL_READINGS][EG__RESPELL_MAX + 1];
} readings;

static void check_reading(void *ud, const char *text, size_t len)
{
	readings *r = ud;
	size_t i;

	if (r->n >= EG__RESPELL_READINGS || len < EG__RESPELL_MIN || len > EG__RESPELL_MAX)
		abort();
	if (len == r->len && memcmp(text, r->word, len) == 0)
		abort();
	for (i = 0; i < len; i++)
		if (text[i] < 'a' || text[i] > 'z')
			abort();
	for (i = 0; i < r->n; i++)
		if (strlen(r->seen[i]) == len && memcmp(r->seen[i], text, len) == 0)
			abort();
	memcpy(r->seen[r->n], text, len);
	r->seen[r->n][len] = '\0';
	r->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static eg__norm norm; /* 5 KiB: not on the fuzzer's stack */
	eg_error err;
	size_t i;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = eg__text_check_query((const char *)data, size, &err);
	if (rc != 0 && err.code != rc)
		abort();
	memset(&err, 0, sizeof(err));
	rc = eg__text_normalize(&norm, (const char *)data, size, &err);
	if (rc != 0) {
		if (err.code != rc || norm.n != 0)
			abort();
		return 0;
	}
	if (norm.n > EG__NORM_MAX_TOKENS)
		abort();
	for (i = 0; i < norm.n; i++) {
		const eg__token *t = &norm.tok[i];
		char key[EG__CAP_NORM_BYTES + 1];
		size_t j;

		if (t->len == 0 || strlen(t->text) != t->len)
			abort();
		for (j = 0; j < t->len; j++)
			if (!((t->text[j] >= 'a' && t->text[j] <= 'z') ||
			      (t->text[j] >= '0' && t->text[j] <= '9')))
				abort();
		if (eg__text_skeleton(key, t->text, t->len) > t->len)
			abort();
		if (eg__text_phonetic(key, t->text, t->len) > t->len)
			abort();
		{
			readings r = {t->text, t->len, 0, {{0}}};
			if (eg__text_respell(t->text, t->len, t->abjad, check_reading, &r) != r.n)
				abort();
		}
	}
	/* keys of arbitrary bytes too: they must stay within len */
	if (size > 0 && size <= EG__CAP_NORM_BYTES) {
		char key[EG__CAP_NORM_BYTES + 1];
		if (eg__text_skeleton(key, (const char *)data, size) > size ||
		    eg__text_phonetic(key, (const char *)data, size) > size)
			abort();
	}
	return 0;
}
