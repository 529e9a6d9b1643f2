/* rules.h - rewrites of native-script text before transliteration, compiled
 * in from data/text/script_rules.tsv by scripts/embed_rules.py.
 *
 * Invariants the generator guarantees: the array is sorted by `from`, code
 * unit by code unit (a shorter string before its extensions), with no
 * (from, anchors) pair twice; every string holds at most 32 code units and
 * is followed by a 0 unit that its length does not count. */
#ifndef EG_TEXT_RULES_H
#define EG_TEXT_RULES_H

#include <stddef.h>
#include <stdint.h>

#define EG__RULE_WORD_START 1 /* from must start a word */
#define EG__RULE_WORD_END 2   /* from must end a word */

typedef struct eg__text_rule {
	const uint16_t *from; /* UTF-16 code units, NFKC-casefolded */
	const uint16_t *to;   /* UTF-16: what replaces from */
	uint8_t nfrom, nto;   /* lengths in code units */
	uint8_t anchors;      /* EG__RULE_WORD_START | EG__RULE_WORD_END */
} eg__text_rule;

extern const eg__text_rule eg__text_rules[];
extern const size_t eg__text_rule_count;

#endif
