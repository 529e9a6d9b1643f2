/* text/keys.c - comparison keys of a token: consonant skeleton, phonetic key, one-edit test. */
#include "text/norm_internal.h"

#include <string.h>

/* --- keys ---------------------------------------------------------------- */

static char lower_ascii(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int is_vowel_y(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

int eg__text_one_edit(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i = 0;

	if (al > bl + 1 || bl > al + 1)
		return 0;
	while (i < al && i < bl && a[i] == b[i])
		i++;
	if (i == al || i == bl)
		return al + bl - 2 * i <= 1;
	if (al == bl)
		return memcmp(a + i + 1, b + i + 1, al - i - 1) == 0 ||
		       (i + 1 < al && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		        memcmp(a + i + 2, b + i + 2, al - i - 2) == 0);
	if (al > bl)
		return memcmp(a + i + 1, b + i, bl - i) == 0;
	return memcmp(a + i, b + i + 1, al - i) == 0;
}
size_t eg__text_skeleton(char *out, const char *tok, size_t len)
{
	size_t i, o = 0;
	char last;

	if (len == 0 || eg__text_all_digits(tok, len)) {
		memcpy(out, tok, len);
		out[len] = '\0';
		return len;
	}
	last = out[o++] = lower_ascii(tok[0]);
	for (i = 1; i < len; i++) {
		char c = lower_ascii(tok[i]);
		if (is_vowel_y(c) || c == last)
			continue;
		out[o++] = c;
		last = c;
	}
	out[o] = '\0';
	return o;
}

/*
 * The phonetic key. Rules, in order of application:
 *  1. A token of digits only is its own key.
 *  2. An iotated start is dropped: y, j, i, dj or dzh before a, e, o or
 *     u (yevgeniy ~ evgeny, jusuf ~ yusuf ~ usuf, djamal ~ jamal ~ amal,
 *     iurii ~ yuriy; pinyin "jin" keeps its j).
 *  3. A vowel sound at the start becomes "o" for o and u (usama ~
 *     osama), "a" for a, e, i and y (ibrahim ~ ebrahim), so yushchenko is
 *     not yatsenko; every other
 *     vowel, y included, is dropped (abjad spellings lack short vowels),
 *     and so are a w after a consonant with no vowel after it (the abjad
 *     vowel letter: ICU "bwtyn" ~ putin's b-t-n, "abw" ~ abu) and a j
 *     after a vowel with no vowel after it (ICU "evgenij" ~ evgeny).
 *  4. Letter groups, longest first: tsch shch sch tch sh ch zh ts tz cz sz
 *     -> s (the sibilants and affricates ICU and English spell differently:
 *     ICU "cernov", "sukin" for English "chernov", "shchukin"); dzh dj dz
 *     -> j; kh -> h (ICU's "mihail" for "mikhail"); gh -> g; ph -> f;
 *     th dh -> t; ck -> k.
 *  5. Single letters: c -> s before e i y and in a final "ic" (Slavic
 *     -ic ~ -ich: ICU "vladimirovic", "milosevic"), else k; q k -> k;
 *     x -> ks; v w f -> f; d t -> t; s z -> s; p b -> b (Arabic has no p:
 *     "bwtyn" for Putin); g j l m n r and digits stay.
 *  6. h (also from kh) is dropped after a vowel sound when no vowel
 *     sound follows
 *     (ahmed ~ akhmed ~ ahmad, abdallah ~ abdalla).
 *  7. A code equal to the previous code is not repeated, even across
 *     dropped vowels (mohammed ~ muhammad ~ mohamed ~ "mhmd" -> mhmt).
 *  8. In a token of seven letters or more, a final s after a vowel, v or
 *     n is dropped when four codes remain: a Baltic nominative ending
 *     (vekselbergas ~ vekselberg, kadirovs ~ kadyrov) or a plural
 *     (technologies ~ technology).
 * The key never exceeds len bytes (a trailing x may lose its s).
 */
/* The lowercase byte i of tok, or 0 past its end. */
static char at(const char *tok, size_t len, size_t i)
{
	return i < len ? lower_ascii(tok[i]) : 0;
}

/* Whether byte i of tok sounds as a vowel for the key: a e i o u y; a w
 * after a consonant with no vowel after it (the vowel letter of abjad
 * spellings: ICU "bwtyn" for Putin, "abw" for Abu; German "-ow"); a j
 * after a vowel with no vowel after it (ICU's Cyrillic short i: "sergej",
 * "evgenij" for sergei, evgeny). */
static int vowel_at(const char *tok, size_t len, size_t i)
{
	char c = at(tok, len, i), p;

	if (is_vowel_y(c))
		return 1;
	if ((c != 'w' && c != 'j') || i == 0 || is_vowel_y(at(tok, len, i + 1)))
		return 0;
	p = at(tok, len, i - 1);
	if (c == 'j')
		return is_vowel_y(p);
	return p >= 'a' && p <= 'z' && !is_vowel_y(p);
}

/* The vowels an iotated start (ya, ye, yo, yu, ja, ...) comes before; not
 * i, so pinyin "jin", "yi" keep their initial. */
static int iotated(char c)
{
	return c == 'a' || c == 'e' || c == 'o' || c == 'u';
}

size_t eg__text_phonetic(char *out, const char *tok, size_t len)
{
	static const struct {
		const char *from;
		size_t n;
		char to;
	} groups[] = {
		{"tsch", 4, 's'}, {"shch", 4, 's'}, {"sch", 3, 's'}, {"tch", 3, 's'},
		{"dzh", 3, 'j'}, {"sh", 2, 's'}, {"ch", 2, 's'}, {"zh", 2, 's'},
		{"ts", 2, 's'}, {"tz", 2, 's'}, {"cz", 2, 's'}, {"sz", 2, 's'},
		{"dj", 2, 'j'}, {"dz", 2, 'j'}, {"kh", 2, 'h'}, {"gh", 2, 'g'},
		{"ph", 2, 'f'}, {"th", 2, 't'}, {"dh", 2, 't'}, {"ck", 2, 'k'},
	};
	size_t i = 0, o = 0, g, k;
	char last = 0;

	if (eg__text_all_digits(tok, len)) {
		memcpy(out, tok, len);
		out[len] = '\0';
		return len;
	}
	/* rule 2: an iotated start */
	if ((at(tok, len, 0) == 'y' || at(tok, len, 0) == 'j' || at(tok, len, 0) == 'i') &&
	    iotated(at(tok, len, 1)))
		i = 1;
	else if (at(tok, len, 0) == 'd' && at(tok, len, 1) == 'j' && iotated(at(tok, len, 2)))
		i = 2;
	else if (at(tok, len, 0) == 'd' && at(tok, len, 1) == 'z' && at(tok, len, 2) == 'h' &&
	         iotated(at(tok, len, 3)))
		i = 3;
	/* rule 3: a vowel sound at the start, in one of two classes */
	if (i < len && is_vowel_y(at(tok, len, i)))
		last = out[o++] = (at(tok, len, i) == 'o' || at(tok, len, i) == 'u') ? 'o' : 'a';
	while (i < len) {
		char c = at(tok, len, i), code[2] = {0, 0};
		size_t step = 1;

		if (vowel_at(tok, len, i)) {
			i++;
			continue;
		}
		/* every group starts with one of these letters */
		for (g = strchr("tsdzckgp", c) != NULL && c != 0 ? 0 : sizeof(groups) / sizeof(groups[0]);
		     g < sizeof(groups) / sizeof(groups[0]); g++) {
			if (groups[g].n <= len - i) {
				for (k = 0; k < groups[g].n && at(tok, len, i + k) == groups[g].from[k]; k++)
					;
				if (k == groups[g].n) {
					code[0] = groups[g].to;
					step = groups[g].n;
					break;
				}
			}
		}
		if (code[0] == 0) {
			char nx = at(tok, len, i + 1);
			switch (c) {
			case 'c':
				code[0] = (nx == 'e' || nx == 'i' || nx == 'y' ||
				           (nx == 0 && i > 0 && at(tok, len, i - 1) == 'i')) ? 's' : 'k';
				break;
			case 'p': code[0] = 'b'; break;
			case 'q': case 'k': code[0] = 'k'; break;
			case 'x': code[0] = 'k'; code[1] = 's'; break;
			case 'v': case 'w': case 'f': code[0] = 'f'; break;
			case 'd': case 't': code[0] = 't'; break;
			case 's': case 'z': code[0] = 's'; break;
			default:
				if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
					code[0] = c;
				break;
			}
		}
		/* rule 6: a silent h */
		if (code[0] == 'h' && i > 0 && vowel_at(tok, len, i - 1) &&
		    !vowel_at(tok, len, i + step))
			code[0] = 0;
		for (k = 0; k < 2 && code[k] != 0; k++) {
			if (code[k] == last || o >= len)
				continue;
			last = out[o++] = code[k];
		}
		i += step;
	}
	/* rule 8: the s of a Baltic nominative ending (-as, -is, -us, -ovs,
	 * -ins: "vekselbergas", "kadirovs") or of a plural ("technologies")
	 * when four letters of key remain */
	if (len >= 7 && o >= 5 && out[o - 1] == 's' && at(tok, len, len - 1) == 's' &&
	    (is_vowel_y(at(tok, len, len - 2)) || at(tok, len, len - 2) == 'v' ||
	     at(tok, len, len - 2) == 'n'))
		o--;
	out[o] = '\0';
	return o;
}
