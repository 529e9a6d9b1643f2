/* isocountry.h - a country as text (an ISO 3166-1 alpha-2 code or a name)
 * resolved to its code, from a table compiled into the program.
 *
 * The table is generated at build time from data/text/iso_countries.tsv by
 * scripts/embed_countries.py (see its header for the key rule). Nothing is
 * read at run time and nothing is allocated; every function here is
 * thread-safe. (The module is isocountry, not country: countries.h already
 * names the type eg__country_code.) */
#ifndef EG_ISOCOUNTRY_H
#define EG_ISOCOUNTRY_H

#include "exportgate.h"
#include "entity.h"

#include <stddef.h>
#include <stdint.h>

/* Longest key of a name (the generator refuses longer ones); a text longer
 * than EG__ISO_MAX_TEXT bytes names no country. */
#define EG__ISO_MAX_KEY 95
#define EG__ISO_MAX_TEXT 256

/*
 * Resolves text[0..len) (UTF-8, not NUL-terminated) to a packed code
 * (EG__ISO_PACK) in *out: two ASCII letters in any case ("ve", "VE") that
 * form a code of the table, or a name of the table, compared without
 * regard to case, accents, punctuation, the words "the", "of", "and" and
 * the order of words ("Korea, North" == "north korea", "Côte d'Ivoire" ==
 * "Cote d Ivoire"). Returns 0, or EG_ENOTFOUND (*out untouched) when the
 * text names no country of the table, is longer than EG__ISO_MAX_TEXT
 * bytes or is not valid UTF-8.
 */
int eg__isocountry_code(const char *text, size_t len, uint16_t *out);

/* The same for text as a list writes it: a two-letter code counts only in
 * upper case, since lists write "na" for "not available", not Namibia. */
int eg__isocountry_code_listed(const char *text, size_t len, uint16_t *out);

/* 1 when code (EG__ISO_PACK) is a code of the table, else 0. */
int eg__isocountry_valid(uint16_t code);

/* The code (EG__ISO_PACK) of the country one of whose names is the one
 * word w[0..n) (lowercase ASCII letters, as normalisation writes a token:
 * "iran", "nigeria"), else 0. Words of EG__ISO_MIN_WORD letters or more
 * only: two and three letters are codes ("al", "irn"), not names. A bit
 * filter answers most words without the search; thread-safe. */
#define EG__ISO_MIN_WORD 4
uint16_t eg__isocountry_word(const char *w, size_t n);

/* The table, for the generated file and the tests only. */
typedef struct eg__iso_name {
	const char *key;  /* lowercase ASCII words, sorted, one space apart */
	uint16_t code;    /* EG__ISO_PACK */
} eg__iso_name;
extern const eg__iso_name eg__iso_names[];      /* sorted bytewise by key */
extern const size_t eg__iso_name_count;
extern const unsigned char eg__iso_valid[26 * 26]; /* 1 per code AA..ZZ */
extern const size_t eg__iso_code_count;

#endif
