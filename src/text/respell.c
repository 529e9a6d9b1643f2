/* text/respell.c - a word read back through the spelling habits of other
 * languages (data/text/respellings.tsv): German "setschin", French
 * "setchine", Hungarian "szecsin" all read as "sechin"; and a name that
 * Kana or Han spelt sound by sound read back through the habits of
 * transcription (ミシュスチン "mishusuchin" as "mishustin"). */
#include "text/normalize.h"
#include "text/tables.h"

#include <pthread.h>
#include <string.h>

#define MAX_HABITS 16
#define MAX_RULES 256

/* Each habit's rules in eg__text_respells, by first letter (a habit's
 * rules are sorted by from, so those of one letter are together), and the
 * first letters of its rules as a bit mask: most words hold none of a
 * habit's letters and are passed over in a few operations. Made at first
 * use, with every rule's lengths. */
static struct {
	uint16_t by_letter[26][2]; /* [start, end) in eg__text_respells */
	uint32_t firsts;
	int transcription;         /* its name begins with "tr" */
} habits[MAX_HABITS];
static uint8_t from_len[MAX_RULES], to_len[MAX_RULES];
static size_t n_habits;
static pthread_once_t habits_once = PTHREAD_ONCE_INIT;

static void habits_make(void)
{
	size_t i, start = 0;

	for (i = 0; i < eg__text_respell_count && i < MAX_RULES; i++) {
		const eg__text_respell_rule *r = &eg__text_respells[i];
		int c = r->from[0] - 'a';
		if (i == 0 || strcmp(eg__text_respells[start].habit, r->habit) != 0) {
			if (n_habits == MAX_HABITS)
				break; /* the generator allows no more */
			start = i;
			memset(&habits[n_habits], 0, sizeof(habits[0]));
			habits[n_habits].transcription = strncmp(r->habit, "tr", 2) == 0;
			n_habits++;
		}
		from_len[i] = (uint8_t)strlen(r->from);
		to_len[i] = (uint8_t)strlen(r->to);
		if (!(habits[n_habits - 1].firsts >> c & 1))
			habits[n_habits - 1].by_letter[c][0] = (uint16_t)i;
		habits[n_habits - 1].by_letter[c][1] = (uint16_t)(i + 1);
		habits[n_habits - 1].firsts |= (uint32_t)1 << c;
	}
}

/* The longest rule of habit h that applies at tok[i..len), or -1. */
static long rule_at(size_t h, const char *tok, size_t len, size_t i)
{
	int c = tok[i] - 'a';
	size_t k, best_n = 0;
	long best = -1;

	if (!(habits[h].firsts >> c & 1))
		return -1;
	for (k = habits[h].by_letter[c][0]; k < habits[h].by_letter[c][1]; k++) {
		const eg__text_respell_rule *r = &eg__text_respells[k];
		size_t n = from_len[k];
		if (n <= best_n || i + n > len || memcmp(tok + i, r->from, n) != 0)
			continue;
		if ((r->anchors & EG__RESPELL_AT_START) && i != 0)
			continue;
		if ((r->anchors & EG__RESPELL_AT_END) && i + n != len)
			continue;
		best = (long)k;
		best_n = n;
	}
	return best;
}

/* Writes tok read through habit h into out (EG__RESPELL_MAX + 1 bytes);
 * returns its length, or 0 when no rule applied or it would not fit. */
static size_t read_through(size_t h, const char *tok, size_t len, char *out)
{
	size_t i = 0, o = 0;
	int changed = 0;

	while (i < len) {
		long k = rule_at(h, tok, len, i);
		if (k < 0) {
			if (o == EG__RESPELL_MAX)
				return 0;
			out[o++] = tok[i++];
			continue;
		}
		if (o + to_len[k] > EG__RESPELL_MAX)
			return 0;
		memcpy(out + o, eg__text_respells[k].to, to_len[k]);
		o += to_len[k];
		i += from_len[k];
		changed = 1;
	}
	out[o] = '\0';
	return changed ? o : 0;
}

size_t eg__text_respell(const char *tok, size_t len, int script, eg__text_name_fn fn,
                        void *ud)
{
	char out[EG__RESPELL_READINGS][EG__RESPELL_MAX + 1];
	size_t outl[EG__RESPELL_READINGS];
	uint32_t letters = 0;
	size_t h, i, n = 0;

	if (len < EG__RESPELL_MIN || len > EG__RESPELL_MAX ||
	    (script != 0 && script != EG__SCRIPT_TRANSCRIBED))
		return 0;
	for (i = 0; i < len; i++) {
		if (tok[i] < 'a' || tok[i] > 'z')
			return 0; /* a Latin word only: no digits */
		letters |= (uint32_t)1 << (tok[i] - 'a');
	}
	if (pthread_once(&habits_once, habits_make) != 0)
		return 0;
	for (h = 0; h < n_habits && n < EG__RESPELL_READINGS; h++) {
		size_t k, ol;
		if ((habits[h].firsts & letters) == 0 ||
		    habits[h].transcription != (script == EG__SCRIPT_TRANSCRIBED))
			continue;
		ol = read_through(h, tok, len, out[n]);
		if (ol < EG__RESPELL_MIN || (ol == len && memcmp(out[n], tok, len) == 0))
			continue;
		for (k = 0; k < n; k++)
			if (outl[k] == ol && memcmp(out[k], out[n], ol) == 0)
				break;
		if (k < n)
			continue; /* another habit read it so already */
		outl[n] = ol;
		fn(ud, out[n], ol);
		n++;
	}
	return n;
}
