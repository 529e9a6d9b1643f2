/* bench_normalize.c - time per name of eg__text_normalize, ASCII fast path and ICU path, one thread.
 *
 * Usage: bench-normalize [SDN_CSV [UN_XML]]   (run from the repository root)
 *
 * Name sets (each cycled to NAMES names):
 *  - ascii:    column 2 of the OFAC SDN CSV (default
 *              ../shared/data/ofac_sdn_2021-07/sdn.csv), parsed with libcsv;
 *  - cyrillic: the same names written in Cyrillic by ICU's Latin-Cyrillic
 *              transliterator (real name shapes and lengths);
 *  - arabic:   every NAME_ORIGINAL_SCRIPT of the UN SC consolidated list
 *              (default ../shared/data/un_sc_2026-02/consolidated.xml) that
 *              holds Arabic script, read with libxml2's xmlTextReader.
 * The baseline beside the ASCII figure is what the fast path avoids: the
 * same ASCII names through ICU's "Any-Latin; Latin-ASCII" transliterator
 * alone (no tokenising), as the normaliser would cost without it.
 */
#include "text/normalize.h"

#include <csv.h>
#include <libxml/xmlreader.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NAMES 20000

typedef struct names {
	char **v;
	size_t n, cap;
} names;

static void names_add(names *s, const char *p, size_t len)
{
	char *c;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		char **v = realloc(s->v, cap * sizeof(*v));
		if (v == NULL) {
			perror("realloc");
			exit(1);
		}
		s->v = v;
		s->cap = cap;
	}
	c = malloc(len + 1);
	if (c == NULL) {
		perror("malloc");
		exit(1);
	}
	memcpy(c, p, len);
	c[len] = '\0';
	s->v[s->n++] = c;
}

static void names_free(names *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

/* --- reading the SDN names ----------------------------------------------- */

typedef struct csv_state {
	names *out;
	int field;
} csv_state;

static void on_field(void *f, size_t len, void *ud)
{
	csv_state *st = ud;

	if (st->field == 1 && len > 0)
		names_add(st->out, f, len);
	st->field++;
}

static void on_row(int c, void *ud)
{
	(void)c;
	((csv_state *)ud)->field = 0;
}

static int read_sdn(names *out, const char *path)
{
	struct csv_parser p;
	csv_state st = {out, 0};
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		perror(path);
		return -1;
	}
	if (csv_init(&p, CSV_APPEND_NULL) != 0) {
		fclose(f);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (csv_parse(&p, buf, n, on_field, on_row, &st) != n) {
			fprintf(stderr, "%s: %s\n", path, csv_strerror(csv_error(&p)));
			break;
		}
	}
	csv_fini(&p, on_field, on_row, &st);
	csv_free(&p);
	fclose(f);
	return 0;
}

/* --- reading the UN original-script names -------------------------------- */

static int has_arabic(const char *s)
{
	int32_t i = 0, n = (int32_t)strlen(s);

	while (i < n) {
		UChar32 c;
		UErrorCode st = U_ZERO_ERROR;
		U8_NEXT(s, i, n, c);
		if (c > 0 && uscript_getScript(c, &st) == USCRIPT_ARABIC)
			return 1;
	}
	return 0;
}

static int read_un(names *out, const char *path)
{
	xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET);
	int ret, in_name = 0;

	if (r == NULL) {
		fprintf(stderr, "%s: cannot open\n", path);
		return -1;
	}
	while ((ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		const xmlChar *name = xmlTextReaderConstName(r);

		if (type == XML_READER_TYPE_ELEMENT)
			in_name = strcmp((const char *)name, "NAME_ORIGINAL_SCRIPT") == 0;
		else if (type == XML_READER_TYPE_END_ELEMENT)
			in_name = 0;
		else if (in_name && type == XML_READER_TYPE_TEXT) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			char buf[2048];
			size_t o = 0;
			/* collapse white space runs, as the list parser does */
			for (; v != NULL && *v != '\0' && o + 1 < sizeof(buf); v++) {
				int sp = *v == ' ' || *v == '\n' || *v == '\t' || *v == '\r';
				if (!sp)
					buf[o++] = *v;
				else if (o > 0 && buf[o - 1] != ' ')
					buf[o++] = ' ';
			}
			while (o > 0 && buf[o - 1] == ' ')
				o--;
			buf[o] = '\0';
			if (o > 0 && has_arabic(buf))
				names_add(out, buf, o);
		}
	}
	xmlFreeTextReader(r);
	return ret == 0 ? 0 : -1;
}

/* --- transliterating with ICU directly ------------------------------------ */

static UTransliterator *open_trans(const char *id)
{
	UChar uid[64];
	UErrorCode st = U_ZERO_ERROR;
	UTransliterator *t;

	u_uastrcpy(uid, id);
	t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	if (U_FAILURE(st)) {
		fprintf(stderr, "%s: %s\n", id, u_errorName(st));
		exit(1);
	}
	return t;
}

/* Writes name through t into out (UTF-8), or "" on error. */
static void translit(UTransliterator *t, const char *name, char *out, size_t cap)
{
	UChar buf[4096];
	int32_t len = 0, limit;
	UErrorCode st = U_ZERO_ERROR;

	out[0] = '\0';
	u_strFromUTF8(buf, 1024, &len, name, -1, &st);
	if (U_FAILURE(st))
		return;
	limit = len;
	utrans_transUChars(t, buf, &len, 4096, 0, &limit, &st);
	if (U_FAILURE(st) || len > 4096)
		return;
	u_strToUTF8(out, (int32_t)cap, NULL, buf, len, &st);
	if (U_FAILURE(st))
		out[0] = '\0';
}

/* --- timing --------------------------------------------------------------- */

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Normalises NAMES names cycling through s; returns µs per name. */
static double time_normalize(const names *s, size_t *tokens, size_t *errors)
{
	static eg__norm norm;
	double t0, t1;
	size_t i;

	*tokens = 0;
	*errors = 0;
	t0 = now_us();
	for (i = 0; i < NAMES; i++) {
		const char *name = s->v[i % s->n];
		eg_error err;
		if (eg__text_normalize(&norm, name, strlen(name), &err) != 0)
			(*errors)++;
		else
			*tokens += norm.n;
	}
	t1 = now_us();
	return (t1 - t0) / NAMES;
}

static double time_icu_only(UTransliterator *t, const names *s)
{
	char out[8192];
	double t0, t1;
	size_t i;

	t0 = now_us();
	for (i = 0; i < NAMES; i++)
		translit(t, s->v[i % s->n], out, sizeof(out));
	t1 = now_us();
	return (t1 - t0) / NAMES;
}

int main(int argc, char **argv)
{
	const char *sdn = argc > 1 ? argv[1] : "../shared/data/ofac_sdn_2021-07/sdn.csv";
	const char *un = argc > 2 ? argv[2] : "../shared/data/un_sc_2026-02/consolidated.xml";
	names ascii = {0}, cyr = {0}, ar = {0};
	UTransliterator *to_cyr, *any_ascii;
	size_t i, tokens, errors, n_ascii = 0;
	eg__norm warm;
	eg_error err;
	double us;
	char buf[8192];

	if (read_sdn(&ascii, sdn) != 0 || read_un(&ar, un) != 0)
		return 1;
	for (i = 0; i < ascii.n; i++) {
		const char *p;
		for (p = ascii.v[i]; *p != '\0' && (unsigned char)*p < 0x80; p++)
			;
		n_ascii += *p == '\0';
	}
	to_cyr = open_trans("Latin-Cyrillic");
	for (i = 0; i < ascii.n; i++) {
		char lower[1024];
		size_t j;
		/* Latin-Cyrillic maps lowercase best */
		for (j = 0; ascii.v[i][j] != '\0' && j + 1 < sizeof(lower); j++)
			lower[j] = (char)(ascii.v[i][j] >= 'A' && ascii.v[i][j] <= 'Z'
			                  ? ascii.v[i][j] - 'A' + 'a' : ascii.v[i][j]);
		lower[j] = '\0';
		translit(to_cyr, lower, buf, sizeof(buf));
		if (buf[0] != '\0')
			names_add(&cyr, buf, strlen(buf));
	}
	utrans_close(to_cyr);
	if (ascii.n == 0 || cyr.n == 0 || ar.n == 0) {
		fprintf(stderr, "no names read\n");
		return 1;
	}
	/* builds this thread's transliterator outside the timed loops */
	eg__text_normalize(&warm, "Путин", strlen("Путин"), &err);

	printf("normalize: %d names per set, one thread (sets cycle through their names)\n", NAMES);
	us = time_normalize(&ascii, &tokens, &errors);
	printf("  ascii    (%zu SDN names, %zu pure ASCII): %.3f us/name, %.2f tokens/name, %zu errors\n",
	       ascii.n, n_ascii, us, (double)tokens / NAMES, errors);
	any_ascii = open_trans("Any-Latin; Latin-ASCII");
	printf("    baseline: the same names through ICU Any-Latin; Latin-ASCII alone: %.3f us/name\n",
	       time_icu_only(any_ascii, &ascii));
	us = time_normalize(&cyr, &tokens, &errors);
	printf("  cyrillic (%zu names):                   %.3f us/name, %.2f tokens/name, %zu errors\n",
	       cyr.n, us, (double)tokens / NAMES, errors);
	printf("    sample: %s\n", cyr.v[cyr.n / 2]);
	us = time_normalize(&ar, &tokens, &errors);
	printf("  arabic   (%zu UN original-script names):  %.3f us/name, %.2f tokens/name, %zu errors\n",
	       ar.n, us, (double)tokens / NAMES, errors);
	printf("    sample: %s\n", ar.v[ar.n / 2]);
	utrans_close(any_ascii);
	eg__text_thread_cleanup();
	names_free(&ascii);
	names_free(&cyr);
	names_free(&ar);
	xmlCleanupParser();
	return 0;
}
