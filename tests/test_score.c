/* test_score.c - tests of token similarity and alignment (src/match/score.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "match/score.h"

static eg__tokfeat feat(const char *t, unsigned cls)
{
	eg__tokfeat f;

	memset(&f, 0, sizeof(f));
	f.text = t;
	f.len = (uint16_t)strlen(t);
	f.cls = (uint8_t)cls;
	f.skel = "";
	f.phon = "";
	return f;
}

Test(score, jaro_winkler_known_values)
{
	cr_assert_float_eq(eg__jaro_winkler("martha", 6, "marhta", 6), 0.9611, 1e-3);
	cr_assert_float_eq(eg__jaro_winkler("dixon", 5, "dicksonx", 8), 0.8133, 1e-3);
	cr_assert_float_eq(eg__jaro_winkler("abc", 3, "abc", 3), 1.0, 1e-9);
	cr_assert_float_eq(eg__jaro_winkler("abc", 3, "xyz", 3), 0.0, 1e-9);
}

Test(score, osa_distance)
{
	cr_assert_eq(eg__osa_distance("maduro", 6, "madruo", 6, 2), 1);
	cr_assert_eq(eg__osa_distance("maduro", 6, "naduro", 6, 2), 1);
	cr_assert_eq(eg__osa_distance("kitten", 6, "sitting", 7, 2), 3);
	cr_assert_eq(eg__osa_distance("a", 1, "abcdef", 6, 2), 3);
}

Test(score, token_similarity)
{
	eg__tokfeat a = feat("maduro", EG__TOK_WORD), b = feat("naduro", EG__TOK_WORD);
	eg__tokfeat n1 = feat("11420", EG__TOK_NUMBER), n2 = feat("11421", EG__TOK_NUMBER);
	eg__tokfeat jon = feat("jon", EG__TOK_WORD), john = feat("john", EG__TOK_WORD);
	eg__tokfeat emma = feat("emma", EG__TOK_WORD), daniels = feat("daniels", EG__TOK_WORD);
	eg__tokfeat j = feat("j", EG__TOK_WORD);

	/* A typo in the first letter still matches well. */
	cr_assert_geq(eg__token_sim(&a, &b), 0.9);
	/* Numbers match exactly or not at all. */
	cr_assert_eq(eg__token_sim(&n1, &n2), 0.0);
	cr_assert_eq(eg__token_sim(&n1, &n1), 1.0);
	/* Short tokens have no cliff: jon ~ john. */
	cr_assert_geq(eg__token_sim(&jon, &john), 0.8);
	cr_assert_eq(eg__token_sim(&emma, &daniels), 0.0);
	/* An initial matches a name with that first letter, weakly. */
	cr_assert_gt(eg__token_sim(&j, &john), 0.0);
	cr_assert_lt(eg__token_sim(&j, &john), 0.8);
}

/* Two countries' names are never one name misspelt, whatever their
 * letters; a typo of one, or its nationality's adjective, still is it. */
Test(score, two_countries_names_never_pair)
{
	static const char *const apart[][2] = {
		{"iraq", "iran"}, {"niger", "nigeria"}, {"mali", "malawi"}, {"austria", "australia"},
	};
	static const char *const near[][2] = {
		{"irna", "iran"}, {"syria", "syrian"}, {"nigera", "nigeria"}, {"iraq", "iraqi"},
	};
	size_t i;

	for (i = 0; i < sizeof(apart) / sizeof(apart[0]); i++) {
		eg__tokfeat a = feat(apart[i][0], EG__TOK_WORD), b = feat(apart[i][1], EG__TOK_WORD);
		cr_assert_eq(eg__token_sim(&a, &b), 0.0, "%s / %s", apart[i][0], apart[i][1]);
		cr_assert_eq(eg__token_sim(&b, &a), 0.0, "%s / %s", apart[i][1], apart[i][0]);
		cr_assert_eq(eg__token_sim(&a, &a), 1.0);
	}
	for (i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
		eg__tokfeat a = feat(near[i][0], EG__TOK_WORD), b = feat(near[i][1], EG__TOK_WORD);
		cr_assert_geq(eg__token_sim(&a, &b), 0.8, "%s / %s", near[i][0], near[i][1]);
	}
}

Test(score, abjad_tokens_compare_by_skeleton)
{
	eg__tokfeat q = feat("mhmd", EG__TOK_WORD), n = feat("mohammed", EG__TOK_WORD);

	q.abjad = 1;
	q.skel = "mhmd";
	q.skel_len = 4;
	n.skel = "mhmd";
	n.skel_len = 4;
	cr_assert_geq(eg__token_sim(&q, &n), 0.9);
	q.abjad = 0;
	cr_assert_lt(eg__token_sim(&q, &n), 0.9);
}

static size_t akey(char *out, const char *skel)
{
	return eg__abjad_key(out, skel, strlen(skel));
}

/* One abjad letter, several Latin letters: the key puts them in one class. */
Test(score, abjad_key_classes)
{
	char a[64], b[64];

	akey(a, "kdrf"); /* قديروف qdyrwf, skeleton without its waw */
	akey(b, "kdrv"); /* kadyrov */
	cr_assert_str_eq(a, b);
	akey(a, "brghwjn"); /* بريغوجين: Arabic writes p as b, zh as j */
	akey(b, "prgzhn");  /* prigozhin */
	cr_assert_str_eq(a, b);
	akey(a, "hmn");   /* חמינאי, heth as h */
	akey(b, "khmn");  /* khamenei */
	cr_assert_str_eq(a, b);
	akey(a, "yfghn"); /* يفغيني */
	akey(b, "yvgn");  /* yevgeniy */
	cr_assert_str_eq(a, b);
	akey(a, "dwd");   /* داود: a vowel letter between two d */
	cr_assert_str_eq(a, "dd");
	cr_assert_eq(eg__abjad_key_v(a, "jwd", 3), 3); /* جواد read with v: Javad */
	akey(b, "jvd");
	cr_assert_str_eq(a, b);
	cr_assert_eq(eg__abjad_key_v(a, "jvd", 3), 0); /* no waw: no other reading */
	/* different consonants stay apart */
	akey(a, "mdr");
	akey(b, "mtr");
	cr_assert_str_neq(a, b);
}

/* Two consonants: the whole of a short abjad word, less of a longer one;
 * never a particle for a word. */
Test(score, abjad_two_consonants)
{
	eg__tokfeat aly = feat("aly", EG__TOK_WORD), ali = feat("ali", EG__TOK_WORD);
	eg__tokfeat al = feat("al", EG__TOK_PARTICLE);
	eg__tokfeat ryysy = feat("ryysy", EG__TOK_WORD), raisi = feat("raisi", EG__TOK_WORD);

	aly.abjad = ryysy.abjad = EG__SCRIPT_ABJAD;
	aly.skel = "al";
	aly.skel_len = 2;
	ali.skel = al.skel = "al";
	ali.skel_len = al.skel_len = 2;
	ryysy.skel = raisi.skel = "rs";
	ryysy.skel_len = raisi.skel_len = 2;
	cr_assert_geq(eg__token_sim(&aly, &ali), 0.9);
	cr_assert_lt(eg__token_sim(&aly, &al), 0.76);
	cr_assert_geq(eg__token_sim(&ryysy, &raisi), 0.8);
	cr_assert_lt(eg__token_sim(&ryysy, &raisi), 0.9);
}

/* The Arabic article joined to an abjad word: the word without it meets
 * the list's word, which the list writes after a separate "AL-". */
Test(score, abjad_article_comes_off)
{
	eg__tokfeat q = feat("alasd", EG__TOK_WORD), n = feat("assad", EG__TOK_WORD);
	eg__tokfeat al = feat("alsri", EG__TOK_WORD);

	q.abjad = EG__SCRIPT_ABJAD;
	q.skel = "alsd";
	q.skel_len = 4;
	n.skel = "asd";
	n.skel_len = 3;
	cr_assert_eq(eg__abjad_article("alasd", 5, EG__SCRIPT_ABJAD), 2);
	cr_assert_eq(eg__abjad_article("alasd", 5, 0), 0);
	cr_assert_geq(eg__token_sim(&q, &n), 0.9);
	/* a Latin word starting with al keeps it */
	q.abjad = 0;
	cr_assert_lt(eg__token_sim(&q, &n), 0.76);
	/* both with the article: compared whole, as before */
	q.abjad = EG__SCRIPT_ABJAD;
	al.skel = "alsr";
	al.skel_len = 4;
	cr_assert_lt(eg__token_sim(&q, &al), 0.9);
}

/* A transcription through Kana, Han or Hangul: l for r, p for v. */
Test(score, transcriptions_compare_by_sound)
{
	eg__tokfeat q = feat("kadirop", EG__TOK_WORD), n = feat("kadyrov", EG__TOK_WORD);
	eg__tokfeat far = feat("goryoayon", EG__TOK_WORD), carlon = feat("carlon", EG__TOK_WORD);
	char k[64];

	q.abjad = EG__SCRIPT_TRANSCRIBED;
	q.skel = "kdrp";
	q.skel_len = 4;
	n.skel = "kdrv";
	n.skel_len = 4;
	cr_assert_geq(eg__token_sim(&q, &n), 0.88);
	/* the same pair from Latin spellings: no sound key */
	q.abjad = 0;
	cr_assert_lt(eg__token_sim(&q, &n), 0.88);
	/* three consonants shared by words of nine and six letters: weak */
	far.abjad = EG__SCRIPT_TRANSCRIBED;
	far.skel = "gryn";
	far.skel_len = 4;
	carlon.skel = "crln";
	carlon.skel_len = 4;
	cr_assert_lt(eg__token_sim(&far, &carlon), 0.76);
	{
		/* two consonants, the whole of two short words: ari / ali */
		eg__tokfeat ari = feat("ari", EG__TOK_WORD), ali = feat("ali", EG__TOK_WORD);
		ari.abjad = EG__SCRIPT_TRANSCRIBED;
		ari.skel = "ar";
		ali.skel = "al";
		ari.skel_len = ali.skel_len = 2;
		cr_assert_geq(eg__token_sim(&ari, &ali), 0.8);
	}
	cr_assert_eq(eg__sound_key(k, "brjn", 4), 4);
	cr_assert_str_eq(k, "brsn");
	/* Thai ช (ch) for a foreign zh: ปรีโกชิน prikochin / Prigozhin */
	cr_assert_eq(eg__sound_key_skel(k, "prkchn", 6), 5);
	{
		char k2[64];
		eg__sound_key_skel(k2, "prgzhn", 6);
		cr_assert_str_eq(k, k2);
	}
}

Test(score, alignment_is_order_free_and_penalises_extra_tokens)
{
	/* query: a b ; name: b a c (weights 1) */
	float sim[6] = {0, 1, 0,
	                1, 0, 0};
	float wq[2] = {1, 1}, wn[3] = {1, 1, 1};
	float sim2[4] = {0, 1, 1, 0};
	eg__alignment al, al2;

	eg__score_align(&al, sim, 2, 3, wq, wn);
	cr_assert_eq(al.match[0], 1);
	cr_assert_eq(al.match[1], 0);
	cr_assert_float_eq(al.query_cover, 1.0, 1e-9);
	cr_assert_float_eq(al.name_cover, 2.0 / 3.0, 1e-6);
	cr_assert_lt(al.score, 1.0);
	cr_assert_gt(al.score, 0.8);
	eg__score_align(&al2, sim2, 2, 2, wq, wn);
	cr_assert_float_eq(al2.score, 1.0, 1e-9);
	cr_assert_gt(al2.score, al.score);
}

Test(score, light_tokens_cost_little)
{
	/* name "acme llc" (llc weighs 0.1) vs query "acme" */
	float sim[2] = {1, 0};
	float wq[1] = {5}, wn[2] = {5, 0.1f};
	eg__alignment al;

	eg__score_align(&al, sim, 1, 2, wq, wn);
	cr_assert_gt(al.score, 0.98);
	cr_assert_eq(al.match[0], 0);
}

/* Plain full-matrix optimal string alignment distance, as a reference. */
static size_t osa_ref(const char *a, size_t n, const char *b, size_t m)
{
	static size_t d[72][72];
	size_t i, j;

	for (i = 0; i <= n; i++)
		d[i][0] = i;
	for (j = 0; j <= m; j++)
		d[0][j] = j;
	for (i = 1; i <= n; i++) {
		for (j = 1; j <= m; j++) {
			size_t v = d[i - 1][j] + 1, c = a[i - 1] != b[j - 1];
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + c < v)
				v = d[i - 1][j - 1] + c;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[n][m];
}

Test(score, banded_osa_agrees_with_the_full_matrix)
{
	unsigned seed = 12345;
	char a[72], b[72];
	int t;

	/* short words of 3 letters (many transpositions), then words up to
	 * and past the 64 letters of the bit-vector method, of 3 to 30
	 * letters (bytes above 127 too), with bounds up to 70 */
	for (t = 0; t < 40000; t++) {
		size_t n, m, i, max, ref, got, top = t < 20000 ? 12 : 71;
		unsigned letters = t < 20000 ? 3 : 3 + (unsigned)t % 28;
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % top;
		seed = seed * 1103515245u + 12345u;
		m = t % 3 == 0 ? n : (seed >> 16) % top;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			a[i] = (char)((t % 5 == 0 ? 0xc0 : 'a') + (seed >> 16) % letters);
		}
		for (i = 0; i < m; i++) {
			seed = seed * 1103515245u + 12345u;
			/* b a copy of a with a few changes, or random */
			b[i] = i < n && t % 2 == 0 && (seed >> 16) % 8 != 0
			           ? a[i]
			           : (char)((t % 5 == 0 ? 0xc0 : 'a') + (seed >> 20) % letters);
		}
		max = t < 20000 ? (size_t)(t % 4) : (size_t)(t % 7 == 0 ? 70 : t % 5);
		if (n > 64 || m > 64) {
			/* past 64 letters only equal strings are measured */
			got = eg__osa_distance(a, n, b, m, max);
			cr_assert_eq(got, n == m && memcmp(a, b, n) == 0 ? 0 : max + 1);
			continue;
		}
		ref = osa_ref(a, n, b, m);
		got = eg__osa_distance(a, n, b, m, max);
		if (ref <= max)
			cr_assert_eq(got, ref, "case %d: %.*s / %.*s max %zu: %zu, expected %zu", t,
			             (int)n, a, (int)m, b, max, got, ref);
		else
			cr_assert_eq(got, max + 1, "case %d: %.*s / %.*s max %zu: %zu, expected %zu", t,
			             (int)n, a, (int)m, b, max, got, max + 1);
	}
}

/* Aligns two token lists (weights 1, digits as numbers) with the merge
 * pass, as the index does. */
static double align_words(const char *const *q, size_t nq, const char *const *n, size_t nn)
{
	eg__tokfeat fq[8], fn[8];
	float sim[64], wq[8], wn[8];
	eg__alignment al;
	size_t i, j;

	for (i = 0; i < nq; i++) {
		fq[i] = feat(q[i], q[i][0] >= '0' && q[i][0] <= '9' && q[i][strlen(q[i]) - 1] <= '9'
		                   ? EG__TOK_NUMBER : EG__TOK_WORD);
		wq[i] = 1;
	}
	for (j = 0; j < nn; j++) {
		fn[j] = feat(n[j], n[j][0] >= '0' && n[j][0] <= '9' && n[j][strlen(n[j]) - 1] <= '9'
		                   ? EG__TOK_NUMBER : EG__TOK_WORD);
		wn[j] = 1;
	}
	for (i = 0; i < nq; i++)
		for (j = 0; j < nn; j++)
			sim[i * nn + j] = (float)eg__token_sim(&fq[i], &fn[j]);
	eg__score_align(&al, sim, nq, nn, wq, wn);
	eg__score_merge(&al, fq, nq, fn, nn, wq, wn);
	return al.score;
}

static unsigned subset_class(const char *t)
{
	return strcmp(t, "ltd") == 0 ? EG__TOK_LEGAL
	       : strcmp(t, "al") == 0 ? EG__TOK_PARTICLE
	                              : EG__TOK_WORD;
}

/* As align_words, then eg__score_subset ("ltd" is a legal form, "al" a
 * particle). */
static double align_subset(const char *const *q, size_t nq, const char *const *n, size_t nn)
{
	eg__tokfeat fq[8], fn[8];
	float sim[64], w[8] = {1, 1, 1, 1, 1, 1, 1, 1};
	eg__alignment al;
	size_t i, j;

	for (i = 0; i < nq; i++)
		fq[i] = feat(q[i], subset_class(q[i]));
	for (j = 0; j < nn; j++)
		fn[j] = feat(n[j], subset_class(n[j]));
	for (i = 0; i < nq; i++)
		for (j = 0; j < nn; j++)
			sim[i * nn + j] = (float)eg__token_sim(&fq[i], &fn[j]);
	eg__score_align(&al, sim, nq, nn, w, w);
	eg__score_subset(&al, fq, nq, fn, nn);
	return al.score;
}

Test(score, merge_pass_reads_runs_of_tokens)
{
	static const char *const brigade44[] = {"brigade", "44"};
	static const char *const brigade_words[] = {"brigade", "forty", "four"};
	static const char *const brigade_typo[] = {"brigade", "fourty", "four"};
	static const char *const brigade45[] = {"brigade", "45"};
	static const char *const first[] = {"first", "bank"}, *const first1[] = {"1st", "bank"};
	static const char *const three[] = {"three", "percenters"}, *const three3[] = {"3", "percenters"};
	static const char *const pla[] = {"pla"}, *const army[] = {"peoples", "liberation", "army"};
	static const char *const pna[] = {"pna"};
	static const char *const joined[] = {"vanderbilt", "corp"};
	static const char *const apart[] = {"van", "der", "bilt", "corp"};
	static const char *const uun[] = {"kim", "jong", "uun"}, *const un[] = {"kim", "jong", "un"};

	cr_assert_float_eq(align_words(brigade44, 2, brigade_words, 3), 1.0, 1e-6);
	cr_assert_float_eq(align_words(brigade_words, 3, brigade44, 2), 1.0, 1e-6);
	cr_assert_float_eq(align_words(brigade_typo, 3, brigade44, 2), 1.0, 1e-6);
	cr_assert_lt(align_words(brigade45, 2, brigade_words, 3), 0.76);
	cr_assert_float_eq(align_words(first1, 2, first, 2), 1.0, 1e-6);
	cr_assert_float_eq(align_words(three3, 2, three, 2), 1.0, 1e-6);
	cr_assert_gt(align_words(pla, 1, army, 3), 0.8);
	cr_assert_lt(align_words(pna, 1, army, 3), 0.5);
	cr_assert_float_eq(align_words(joined, 2, apart, 4), 1.0, 1e-6);
	cr_assert_gt(align_words(uun, 3, un, 3), 0.9);
}

/* A joined name token first met by one of the query's syllables (the
 * index gives the pair the join's 0.95) still takes the run of both. */
Test(score, merge_pass_takes_a_run_its_token_half_matched)
{
	eg__tokfeat fq[3] = {feat("chen", EG__TOK_WORD), feat("quan", EG__TOK_WORD),
	                     feat("guo", EG__TOK_WORD)};
	eg__tokfeat fn[2] = {feat("chen", EG__TOK_WORD), feat("quanguo", EG__TOK_WORD)};
	float sim[6] = {1, 0, 0, 0.95f, 0, 0}, w[3] = {1, 1, 1};
	eg__alignment al;

	eg__score_align(&al, sim, 3, 2, w, w);
	cr_assert_lt(al.score, 0.9);
	eg__score_merge(&al, fq, 3, fn, 2, w, w);
	cr_assert_float_eq(al.score, 1.0, 1e-6);
}

/* An abjad compound written in two words, a list's one word. */
Test(score, abjad_compound_meets_one_word)
{
	eg__tokfeat fq[2] = {feat("hzb", EG__TOK_WORD), feat("allh", EG__TOK_WORD)};
	eg__tokfeat fn[1] = {feat("hizballah", EG__TOK_WORD)};
	eg__tokfeat mshh = feat("mshh", EG__TOK_WORD), dyyn = feat("dyyn", EG__TOK_WORD);
	float sim[2] = {0.96f, 0}, w[2] = {1, 1};
	eg__alignment al;

	fq[0].abjad = fq[1].abjad = mshh.abjad = dyyn.abjad = EG__SCRIPT_ABJAD;
	fq[0].skel = "hzb";
	fq[0].skel_len = 3;
	fq[1].skel = "alh";
	fq[1].skel_len = 3;
	fn[0].skel = "hzblh";
	fn[0].skel_len = 5;
	cr_assert(eg__abjad_compound(&fq[0], &fq[1]));
	cr_assert(!eg__abjad_compound(&mshh, &dyyn)); /* משה דיין is no compound */
	eg__score_align(&al, sim, 2, 1, w, w);
	cr_assert_lt(al.score, 0.76);
	eg__score_merge(&al, fq, 2, fn, 1, w, w);
	cr_assert_geq(al.score, 0.9);
}

Test(score, different_legal_forms_are_different_companies)
{
	eg__tokfeat q[3] = {feat("deutsche", EG__TOK_WORD), feat("bank", EG__TOK_WORD),
	                    feat("ag", EG__TOK_LEGAL)};
	eg__tokfeat n[3] = {feat("deutsche", EG__TOK_WORD), feat("bank", EG__TOK_WORD),
	                    feat("gmbh", EG__TOK_LEGAL)};
	float sim[9] = {1, 0, 0, 0, 1, 0, 0, 0, 0}, w[3] = {1, 1, 0.12f};
	eg__alignment al;
	double before;

	eg__score_align(&al, sim, 3, 3, w, w);
	before = al.score;
	eg__score_legal_conflict(&al, q, 3, n, 3);
	cr_assert_float_eq(al.score, before * EG__LEGAL_CONFLICT, 1e-9);
	/* the same form on both sides, or a form on one side only: no cost */
	sim[8] = 1;
	eg__score_align(&al, sim, 3, 3, w, w);
	before = al.score;
	eg__score_legal_conflict(&al, q, 3, q, 3);
	cr_assert_float_eq(al.score, before, 1e-9);
	sim[8] = 0;
	eg__score_align(&al, sim, 3, 2, w, w);
	before = al.score;
	eg__score_legal_conflict(&al, q, 3, n, 2);
	cr_assert_float_eq(al.score, before, 1e-9);
}

Test(score, patronymics_weigh_half)
{
	cr_assert_float_eq(eg__token_factor("viktorovich", 11, EG__TOK_WORD), 0.5, 1e-9);
	cr_assert_float_eq(eg__token_factor("ivanovna", 8, EG__TOK_WORD), 0.5, 1e-9);
	cr_assert_float_eq(eg__token_factor("vladimirovic", 12, EG__TOK_WORD), 0.5, 1e-9);
	cr_assert_float_eq(eg__token_factor("ivan", 4, EG__TOK_WORD), 1.0, 1e-9);
	cr_assert_float_eq(eg__token_factor("evich", 5, EG__TOK_WORD), 1.0, 1e-9); /* too short */
	cr_assert_float_eq(eg__token_factor("llc", 3, EG__TOK_LEGAL), eg__class_factor(EG__TOK_LEGAL),
	                   1e-9);
}

Test(score, compound_names_are_told_apart_by_their_stems)
{
	eg__tokfeat a = feat("abdurrahim", EG__TOK_WORD), b = feat("abdurrahman", EG__TOK_WORD);
	eg__tokfeat c = feat("samasuddin", EG__TOK_WORD), d = feat("sahabuddin", EG__TOK_WORD);
	eg__tokfeat e = feat("abdulrahman", EG__TOK_WORD), f = feat("abdulrahamn", EG__TOK_WORD);

	cr_assert_lt(eg__token_sim(&a, &b), 0.7);
	cr_assert_lt(eg__token_sim(&c, &d), 0.7);
	cr_assert_gt(eg__token_sim(&e, &f), 0.9); /* a typo in the stem stays one */
}

Test(score, a_person_name_with_parts_left_out)
{
	static const char *const q[] = {"boris", "johnson"};
	static const char *const n[] = {"alexandre", "boris", "de", "pfeffel", "johnson"};
	static const char *const swapped[] = {"johnson", "boris"};
	static const char *const co[] = {"boris", "johnson", "ltd"};

	cr_assert_gt(align_subset(q, 2, n, 5), 0.76);
	cr_assert_gt(align_subset(q, 2, n, 5), align_words(q, 2, n, 5) + 0.05);
	/* out of order, or a company: the usual weights */
	cr_assert_float_eq(align_subset(swapped, 2, n, 5), align_words(swapped, 2, n, 5), 1e-9);
	cr_assert_float_eq(align_subset(q, 2, co, 3), align_words(q, 2, co, 3), 1e-9);
}

/* The relations the index's pruning bounds rely on (score.h). */
Test(score, exponents_keep_the_pruning_bounds_valid)
{
	float sim[2] = {1.0f, 0.0f}, wq[1] = {1.0f}, wn[2] = {1.0f, 3.0f};
	eg__alignment al;

	cr_assert_float_eq(EG__SCORE_QUERY_EXP + EG__SCORE_NAME_EXP, 1.0, 1e-12);
	cr_assert_geq(1.0 - EG__SUBSET_NAME_EXP, EG__SCORE_QUERY_EXP);
	cr_assert_gt(EG__SCORE_QUERY_EXP, EG__SCORE_NAME_EXP);
	/* one query token matching one of two name tokens: cq = 1, cn = 1/4 */
	eg__score_align(&al, sim, 1, 2, wq, wn);
	cr_assert_float_eq(al.score, pow(0.25, EG__SCORE_NAME_EXP), 1e-5);
	cr_assert_leq(al.score, pow(al.query_cover, EG__SCORE_QUERY_EXP) + 1e-9);
}

/* Issue 12: "Ali Khamenei" for "KHAMENEI, Ali Husseini": one name token
 * left out and the surname moved to the end is that name with a part left
 * out; with more left out, the order must be the list's or its surname
 * moved whole behind the first given name. */
Test(score, a_listed_surname_first_name_turned_around)
{
	static const char *const q[] = {"ali", "khamenei"};
	static const char *const n[] = {"khamenei", "ali", "husseini"};
	static const char *const q3[] = {"nicolas", "maduro", "moros"};
	static const char *const n4[] = {"maduro", "moros", "nicolas", "ernesto"};
	static const char *const q2[] = {"ismail", "yassin"};
	static const char *const n5[] = {"yassin", "sheik", "ahmed", "ismail", "x"};

	cr_assert_gt(align_subset(q, 2, n, 3), align_words(q, 2, n, 3) + 0.03);
	cr_assert_gt(align_subset(q3, 3, n4, 4), align_words(q3, 3, n4, 4) + 0.01);
	/* three name tokens left out, given names before the query's first
	 * among them: the usual weights */
	cr_assert_float_eq(align_subset(q2, 2, n5, 5), align_words(q2, 2, n5, 5), 1e-9);
	/* two or more left out, the first given name and the whole surname
	 * kept: a list's "SURNAME, Given Middle" with its middle names left
	 * out */
	{
		static const char *const q5[] = {"walid", "al", "rawi"};
		static const char *const n7[] = {"al", "rawi", "walid", "talib", "zughayr"};
		static const char *const q6[] = {"walid", "rawi"};
		cr_assert_gt(align_subset(q5, 3, n7, 5), align_words(q5, 3, n7, 5) + 0.03);
		cr_assert_gt(align_subset(q5, 3, n7, 5), 0.76);
		/* the surname's particle may be left out, not a given name */
		static const char *const q7[] = {"talib", "al", "rawi"};
		cr_assert_gt(align_subset(q6, 2, n7, 5), align_words(q6, 2, n7, 5) + 0.03);
		cr_assert_float_eq(align_subset(q7, 3, n7, 5), align_words(q7, 3, n7, 5), 1e-9);
	}
	/* turned twice ("husseini khamenei" past "ali"): the usual weights */
	{
		static const char *const q4[] = {"husseini", "ali", "khamenei"};
		static const char *const n6[] = {"khamenei", "ali", "husseini", "x"};
		cr_assert_float_eq(align_subset(q4, 3, n6, 4), align_words(q4, 3, n6, 4), 1e-9);
	}
}

/* A title of the query is no part of the name: "Ayatollah Ali Khamenei" is
 * "KHAMENEI, Ali Husseini" with a part left out, as "Ali Khamenei" is. */
Test(score, a_title_does_not_stop_a_name_with_parts_left_out)
{
	eg__tokfeat q[3], n[3];
	float sim[9], wq[3] = {0.05f, 1, 1}, wn[3] = {1, 1, 1};
	eg__alignment al;
	double before;
	size_t i, j;

	q[0] = feat("ayatollah", EG__TOK_HONORIFIC);
	q[1] = feat("ali", EG__TOK_WORD);
	q[2] = feat("khamenei", EG__TOK_WORD);
	n[0] = feat("khamenei", EG__TOK_WORD);
	n[1] = feat("ali", EG__TOK_WORD);
	n[2] = feat("husseini", EG__TOK_WORD);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			sim[i * 3 + j] = (float)eg__token_sim(&q[i], &n[j]);
	eg__score_align(&al, sim, 3, 3, wq, wn);
	before = al.score;
	eg__score_subset(&al, q, 3, n, 3);
	cr_assert_gt(al.score, before + 0.03, "%f -> %f", before, al.score);
	/* a word of the query the name lacks still stops it */
	q[0] = feat("hamas", EG__TOK_WORD);
	for (j = 0; j < 3; j++)
		sim[j] = (float)eg__token_sim(&q[0], &n[j]);
	eg__score_align(&al, sim, 3, 3, wq, wn);
	before = al.score;
	eg__score_subset(&al, q, 3, n, 3);
	cr_assert_float_eq(al.score, before, 1e-9);
}

/* Issue 12 item 5: 손흥민 (son hung min) is not SON Min: a syllable of a
 * Hangul or Han name left unmatched beside one matched alone costs as a
 * token that differs on both sides; beside one matched to a longer word
 * that holds it (이란 "i ran" / IRAN) it does not. */
Test(score, a_lone_syllable_of_a_given_name_is_another_name)
{
	eg__tokfeat q[3], n[2];
	float sim[6], wq[3] = {1, 1, 1}, wn[2] = {1, 1};
	eg__alignment al;
	double before;
	size_t i, j;

	q[0] = feat("son", EG__TOK_WORD);
	q[1] = feat("hung", EG__TOK_WORD);
	q[2] = feat("min", EG__TOK_WORD);
	for (i = 0; i < 3; i++) {
		q[i].abjad = EG__SCRIPT_SYLLABIC;
		q[i].native = 0xC190 + (uint32_t)i;
	}
	n[0] = feat("son", EG__TOK_WORD);
	n[1] = feat("min", EG__TOK_WORD);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 2; j++)
			sim[i * 2 + j] = (float)eg__token_sim(&q[i], &n[j]);
	eg__score_align(&al, sim, 3, 2, wq, wn);
	before = al.score;
	cr_assert_gt(before, 0.76);
	eg__score_merge(&al, q, 3, n, 2, wq, wn);
	cr_assert_lt(al.score, 0.7, "%f -> %f", before, al.score);
	/* the same words in Latin letters: the usual score */
	for (i = 0; i < 3; i++) {
		q[i].abjad = 0;
		q[i].native = 0;
	}
	eg__score_align(&al, sim, 3, 2, wq, wn);
	eg__score_merge(&al, q, 3, n, 2, wq, wn);
	cr_assert_float_eq(al.score, before, 1e-9);
}

/* Two tokens for two with the word boundary moved (a typo, or another
 * split of an Arabic compound): "als hami" is "al shami", "abdel rahman"
 * is "abd elrahman"; other letters are not. */
Test(score, a_moved_word_boundary_is_the_same_name)
{
	static const char *const q1[] = {"husayn", "als", "hami"};
	static const char *const n1[] = {"al", "shami", "husayn"};
	static const char *const q2[] = {"abdel", "rahman", "zaidi"};
	static const char *const n2[] = {"abd", "elrahman", "zaidi"};
	static const char *const q3[] = {"husayn", "als", "hamo"};
	static const char *const q4[] = {"husayn", "alb", "hami"};

	cr_assert_gt(align_words(q1, 3, n1, 3), 0.99);
	cr_assert_gt(align_words(q2, 3, n2, 3), 0.99);
	cr_assert_lt(align_words(q3, 3, n1, 3), 0.9);
	cr_assert_lt(align_words(q4, 3, n1, 3), 0.9);
}

/* The bound a search puts on a name's score before aligning it
 * (index_search.c: score_bound): every token keeps at most its best
 * similarity in the matrix unless eg__score_merge_reach says the merge
 * pass may raise it, and no pass after the merge raises the score past
 * cq^EG__SCORE_QUERY_EXP * cn^e. Random names of tokens that the merge
 * pass joins, splits and re-divides, 20,000 of them. */
Test(score, the_merge_pass_stays_within_its_reach)
{
	static const char *const pool[] = {
		"al", "aqsa", "alaqsa", "siemens", "ag", "siemensag", "van", "der", "bilt",
		"vanderbilt", "jean", "claude", "jeanclaude", "jc", "pla", "peoples", "liberation",
		"army", "als", "hami", "shami", "abdel", "rahman", "abd", "elrahman", "abdelrahman",
		"44", "forty", "four", "1st", "first", "kim", "jong", "un", "uun", "hzb", "allh",
		"hizballah", "ltd", "bank", "mohammed", "ali", "hassan", "a", "j", "bin", "omar",
		"quan", "guo", "quanguo", "abdallah"};
	const size_t n_pool = sizeof(pool) / sizeof(pool[0]);
	uint32_t seed = 12345;
	size_t round, raised = 0, unreached = 0;

	for (round = 0; round < 20000; round++) {
		eg__tokfeat fq[6], fn[6];
		float sim[36], wq[6], wn[6], qbest[6] = {0}, nbest[6] = {0};
		uint8_t listed[6];
		eg__merge_side qs, ns;
		uint64_t q_reach, n_reach;
		eg__alignment al;
		double sq = 0, tq = 0, sn = 0, tn = 0, bound;
		size_t nq, nn, i, j;
		eg__tokfeat *side[2] = {fq, fn};
		float *w[2] = {wq, wn};
		size_t *cnt[2] = {&nq, &nn}, s;

#define NEXT() (seed = seed * 1103515245u + 12345u, (seed >> 8) & 0xffff)
		nq = 1 + NEXT() % 5;
		nn = 1 + NEXT() % 6;
		for (s = 0; s < 2; s++) {
			for (i = 0; i < *cnt[s]; i++) {
				const char *t = pool[NEXT() % n_pool];
				unsigned cls = t[0] >= '0' && t[0] <= '9' && t[strlen(t) - 1] <= '9'
				               ? EG__TOK_NUMBER
				               : strcmp(t, "ltd") == 0 ? EG__TOK_LEGAL
				               : strcmp(t, "bin") == 0 ? EG__TOK_PARTICLE : EG__TOK_WORD;
				side[s][i] = feat(t, cls);
				if (strcmp(t, "hzb") == 0 || strcmp(t, "allh") == 0 || strcmp(t, "abd") == 0)
					side[s][i].abjad = EG__SCRIPT_ABJAD;
				w[s][i] = 0.1f + (float)(NEXT() % 100) / 50.0f;
			}
		}
#undef NEXT
		for (i = 0; i < nq; i++) {
			listed[i] = (uint8_t)(i & 1);
			for (j = 0; j < nn; j++) {
				sim[i * nn + j] = (float)eg__token_sim(&fq[i], &fn[j]);
				if (sim[i * nn + j] > qbest[i])
					qbest[i] = sim[i * nn + j];
				if (sim[i * nn + j] > nbest[j])
					nbest[j] = sim[i * nn + j];
			}
		}
		eg__score_merge_side(&qs, fq, nq);
		eg__score_merge_side(&ns, fn, nn);
		eg__score_merge_reach(&qs, fq, nq, &ns, fn, nn, &q_reach, &n_reach);
		eg__score_align(&al, sim, nq, nn, wq, wn);
		eg__score_merge(&al, fq, nq, fn, nn, wq, wn);
		for (i = 0; i < nq; i++) {
			int reach = q_reach >> i & 1;
			if (!reach)
				cr_assert_leq(al.sim[i], qbest[i] + 1e-6f, "round %zu: query token %s raised to %f out of reach",
				              round, fq[i].text, al.sim[i]);
			raised += al.sim[i] > qbest[i] + 1e-6f;
			unreached += !reach;
			tq += wq[i];
			sq += wq[i] * (reach ? 1.0f : qbest[i]);
		}
		for (j = 0; j < nn; j++) {
			int reach = n_reach >> j & 1;
			if (!reach)
				cr_assert_leq(al.nsim[j], nbest[j] + 1e-6f, "round %zu: name token %s raised out of reach",
				              round, fn[j].text);
			tn += wn[j];
			sn += wn[j] * (reach ? 1.0f : nbest[j]);
		}
		eg__score_legal_conflict(&al, fq, nq, fn, nn);
		eg__score_subset(&al, fq, nq, fn, nn);
		eg__score_substitution(&al, fq, nq, listed, fn, nn, wq, wn);
		eg__score_nasab_swap(&al, fq, nq, fn, nn, wq, wn);
		bound = pow(sq < tq ? sq / tq : 1.0, EG__SCORE_QUERY_EXP) *
		        pow(sn < tn ? sn / tn : 1.0, EG__SUBSET_NAME_EXP < EG__SCORE_NAME_EXP
		                                         ? EG__SUBSET_NAME_EXP : EG__SCORE_NAME_EXP);
		cr_assert_leq(al.score, bound + 1e-5, "round %zu: score %f above its bound %f", round,
		              al.score, bound);
	}
	/* the pool does make the merge pass raise tokens, and the reach
	 * leaves most tokens out of it: the test tests something */
	cr_assert_gt(raised, 100);
	cr_assert_gt(unreached, 10000);
}

/* What the merge pass may reach: a run the joined token spells, a moved
 * word boundary, nothing between unrelated names. */
Test(score, merge_reach_of_known_pairs)
{
	eg__tokfeat fq[3] = {feat("al", EG__TOK_WORD), feat("aqsa", EG__TOK_WORD),
	                     feat("brigade", EG__TOK_WORD)};
	eg__tokfeat fn[2] = {feat("alaqsa", EG__TOK_WORD), feat("brigades", EG__TOK_WORD)};
	eg__tokfeat gq[2] = {feat("als", EG__TOK_WORD), feat("hami", EG__TOK_WORD)};
	eg__tokfeat gn[2] = {feat("al", EG__TOK_WORD), feat("shami", EG__TOK_WORD)};
	eg__tokfeat hq[2] = {feat("ivan", EG__TOK_WORD), feat("petrov", EG__TOK_WORD)};
	eg__tokfeat hn[2] = {feat("sergei", EG__TOK_WORD), feat("kozlov", EG__TOK_WORD)};
	eg__merge_side a, b;
	uint64_t qr, nr;

	eg__score_merge_side(&a, fq, 3);
	eg__score_merge_side(&b, fn, 2);
	eg__score_merge_reach(&a, fq, 3, &b, fn, 2, &qr, &nr);
	cr_assert_eq(qr & 3, 3); /* "al" "aqsa" for "alaqsa" */
	cr_assert_eq(nr & 1, 1);
	eg__score_merge_side(&a, gq, 2);
	eg__score_merge_side(&b, gn, 2);
	eg__score_merge_reach(&a, gq, 2, &b, gn, 2, &qr, &nr);
	cr_assert_eq(qr, 3);
	cr_assert_eq(nr, 3);
	eg__score_merge_side(&a, hq, 2);
	eg__score_merge_side(&b, hn, 2);
	eg__score_merge_reach(&a, hq, 2, &b, hn, 2, &qr, &nr);
	cr_assert_eq(qr, 0);
	cr_assert_eq(nr, 0);
}

/* A token with its skeleton and phonetic key as the index computes them;
 * abjad: its script. The buffers are the caller's. */
static eg__tokfeat feat_keys(const char *t, int abjad, char *skel, char *phon)
{
	eg__tokfeat f = feat(t, EG__TOK_WORD);

	f.abjad = (uint8_t)abjad;
	f.skel_len = (uint16_t)eg__text_skeleton(skel, t, f.len);
	f.skel = skel;
	f.phon_len = (uint16_t)eg__text_phonetic(phon, t, f.len);
	f.phon = phon;
	return f;
}

/* sim(abjad word a, Latin word b), both ways round */
static double abjad_latin(const char *a, const char *b)
{
	char s1[64], p1[64], s2[64], p2[64];
	eg__tokfeat fa = feat_keys(a, EG__SCRIPT_ABJAD, s1, p1), fb = feat_keys(b, 0, s2, p2);
	double x = eg__token_sim(&fa, &fb), y = eg__token_sim(&fb, &fa);

	cr_assert_float_eq(x, y, 1e-9, "%s / %s: %f one way, %f the other", a, b, x, y);
	return x;
}

/* An abjad word writes a word's final vowel (alef, waw, yod): a Latin
 * spelling ending in a vowel where it ends in a consonant, or the other
 * way round, is another word (issue 12 item 5: short names in abjad
 * scripts against look-alikes). A final he is either. */
Test(score, abjad_final_vowel_is_written)
{
	cr_assert_lt(abjad_latin("dlq", "delice"), 0.76);   /* דלק Delek */
	cr_assert_lt(abjad_latin("sdy", "said"), 0.76);     /* سعدی Saadi */
	cr_assert_lt(abjad_latin("bzq", "vizcaya"), 0.76);  /* בזק Bezeq */
	cr_assert_lt(abjad_latin("asm", "iseema"), 0.76);   /* אסם Osem */
	cr_assert_lt(abjad_latin("almray", "alamir"), 0.76); /* المراعي Almarai */
	cr_assert_geq(abjad_latin("aly", "ali"), 0.9);      /* علي */
	cr_assert_geq(abjad_latin("mwsy", "musa"), 0.8);    /* موسى */
	cr_assert_geq(abjad_latin("asamh", "usama"), 0.9);  /* أسامة: final he */
	cr_assert_geq(abjad_latin("qasm", "qasem"), 0.9);   /* قاسم */
	cr_assert_geq(abjad_latin("azra", "ezra"), 0.9);    /* עזרא, its alef kept */
	cr_assert(eg__abjad_ends_agree("mshh", 4, "moshe", 5));
	cr_assert(!eg__abjad_ends_agree("msqt", 4, "moscow", 6));
}

/* Two written letters against a Latin word of four or more leave two
 * vowels unwritten; a consonant changed in a key of three is a third of
 * the word; a Latin token without a vowel is an acronym: each too little
 * on its own to name a party. */
Test(score, abjad_short_words_need_their_letters)
{
	cr_assert_lt(abjad_latin("tb", "taba"), 0.76);   /* טבע Teva */
	cr_assert_lt(abjad_latin("pz", "faiz"), 0.76);   /* פז Paz */
	cr_assert_lt(abjad_latin("pz", "foz"), 0.76);    /* a word of two letters */
	cr_assert_lt(abjad_latin("tb", "top"), 0.76);
	cr_assert_lt(abjad_latin("asnp", "asp"), 0.76);  /* اسنپ Snapp */
	cr_assert_lt(abjad_latin("sabk", "sfcc"), 0.76); /* سابك SABIC */
	cr_assert_lt(abjad_latin("msqt", "msc"), 0.76);  /* مسقط Muscat */
	/* some evidence beside other tokens, never none */
	cr_assert_geq(abjad_latin("th", "tah"), 0.7);
	cr_assert_geq(abjad_latin("aly", "ali"), 0.9); /* three letters are a word */
}

/* The Latin spelling's own edits do not count for an abjad word: amran /
 * aman is one letter in Latin, a consonant in the abjad (عمران Imran). */
Test(score, abjad_word_is_judged_by_its_consonants)
{
	cr_assert_lt(abjad_latin("amran", "aman"), 0.76);
	cr_assert_lt(abjad_latin("kalh", "kach"), 0.76); /* کاله Kalleh / KACH */
	cr_assert_geq(abjad_latin("frdws", "firdaws"), 0.9);
}

/* A word's first waw or vav is the consonant v or w, never a vowel letter
 * (ויקטור וקסלברג: Viktor Vekselberg). */
Test(score, abjad_first_waw_is_a_consonant)
{
	cr_assert_geq(abjad_latin("wyqtwr", "viktor"), 0.9);
	cr_assert_geq(abjad_latin("wqslbrg", "vekselberg"), 0.9);
	cr_assert_geq(abjad_latin("wlyd", "walid"), 0.9); /* وليد, w read as a vowel too */
}

/* An abjad word writes its long vowels: a vowel letter between two
 * consonants where the Latin spelling has none is another word. */
Test(score, abjad_long_vowels_are_written)
{
	cr_assert_lt(abjad_latin("aramkw", "armaco"), 0.76); /* أرامكو Aramco */
	cr_assert_lt(abjad_latin("sabk", "spoc"), 0.76);     /* سابك SABIC */
	cr_assert_geq(abjad_latin("aramkw", "aramco"), 0.9);
	cr_assert_geq(abjad_latin("mhmd", "muhammad"), 0.9); /* short vowels unwritten */
	cr_assert_geq(abjad_latin("hsyny", "hosseini"), 0.9);
	cr_assert(eg__abjad_vowels_written("syd", 3, "said", 4));
	cr_assert(!eg__abjad_vowels_written("sabk", 4, "spoc", 4));
}

static double latin_sim(const char *a, const char *b)
{
	char s1[64], p1[64], s2[64], p2[64];
	eg__tokfeat fa = feat_keys(a, 0, s1, p1), fb = feat_keys(b, 0, s2, p2);

	return eg__token_sim(&fa, &fb);
}

/* A word of three letters or fewer is read whole (issue 12 item 5): a
 * consonant changed, moved or added is another word, a vowel or an h is
 * spelling. */
Test(score, short_words_are_read_whole)
{
	cr_assert_lt(latin_sim("dhl", "dml"), 0.76);
	cr_assert_lt(latin_sim("nba", "npa"), 0.76);
	cr_assert_lt(latin_sim("pkn", "pkk"), 0.76);
	cr_assert_lt(latin_sim("spd", "spnd"), 0.76);
	cr_assert_lt(latin_sim("nsk", "hsk"), 0.76);
	cr_assert_geq(latin_sim("jon", "john"), 0.8);
	cr_assert_geq(latin_sim("ali", "aly"), 0.76);
	cr_assert_geq(latin_sim("hon", "hong"), 0.8); /* Хон: Russian -н for -ng */
	cr_assert(eg__same_consonants("wan", 3, "wang", 4));
	cr_assert(!eg__same_consonants("kim", 3, "kin", 3));
}

/* So is a Chinese or Korean syllable in Latin letters: another first
 * consonant is another syllable, so another name; a vowel, another
 * spelling. */
Test(score, syllables_are_read_whole)
{
	cr_assert_lt(latin_sim("kang", "jang"), 0.76);
	cr_assert_lt(latin_sim("hong", "song"), 0.76);
	cr_assert_lt(latin_sim("wang", "yang"), 0.76);
	cr_assert_lt(latin_sim("chang", "hang"), 0.76);
	cr_assert_geq(latin_sim("kang", "keng"), 0.76);   /* the same first consonant */
	cr_assert_geq(latin_sim("kyong", "kyung"), 0.76); /* no Mandarin syllables */
	cr_assert_geq(latin_sim("hans", "jans"), 0.76);   /* words, not syllables */
}

/* The three-letter rule reads words only: a legal form's abbreviation
 * drops consonants (Lda / LTDA). */
Test(score, short_words_rule_spares_legal_forms)
{
	char s1[64], p1[64], s2[64], p2[64];
	eg__tokfeat a = feat_keys("lda", 0, s1, p1), b = feat_keys("ltda", 0, s2, p2);

	b.cls = EG__TOK_LEGAL;
	a.cls = EG__TOK_LEGAL;
	cr_assert_geq(eg__token_sim(&a, &b), 0.8);
	a.cls = b.cls = EG__TOK_WORD;
	cr_assert_lt(eg__token_sim(&a, &b), 0.76);
}

/* A sound key, or a phonetic key, shared by two words that differ in
 * their first consonant and their first vowel says little: プーシキン
 * "pushikin" (Pushkin) is not BASHKIN; a vowel a script adds after a
 * consonant is no first vowel (弗拉 "fula" for vla), and a first vowel
 * alone often is spelt otherwise (Esad / Assad). */
Test(score, a_shared_key_with_another_first_sound_says_little)
{
	char k[6][2][32];
	eg__tokfeat push = feat_keys("pushikin", EG__SCRIPT_TRANSCRIBED, k[0][0], k[0][1]);
	eg__tokfeat bash = feat_keys("bashkin", 0, k[1][0], k[1][1]);
	eg__tokfeat fula = feat_keys("fuladimir", EG__SCRIPT_TRANSCRIBED, k[2][0], k[2][1]);
	eg__tokfeat vlad = feat_keys("vladimir", 0, k[3][0], k[3][1]);
	eg__tokfeat esad = feat_keys("esad", 0, k[4][0], k[4][1]);
	eg__tokfeat assad = feat_keys("assad", 0, k[5][0], k[5][1]);

	cr_assert_lt(eg__token_sim(&push, &bash), 0.76);
	cr_assert_lt(eg__token_sound_sim(&push, &bash), 0.76);
	cr_assert_geq(eg__token_sound_sim(&fula, &vlad), 0.88);
	cr_assert_geq(eg__token_sim(&esad, &assad), 0.8);
	cr_assert(eg__first_sounds_agree(&fula, &vlad));
	cr_assert_not(eg__first_sounds_agree(&push, &esad));
}

/* A Latin word of two letters a letter shorter than another word: the
 * pair a search counts beside longer words that tell the name. */
Test(score, a_short_word_one_edit_away)
{
	eg__tokfeat lb = feat("lb", EG__TOK_WORD), lab = feat("lab", EG__TOK_WORD);
	eg__tokfeat et = feat("et", EG__TOK_WORD), set = feat("set", EG__TOK_WORD);
	eg__tokfeat nam = feat("nam", EG__TOK_WORD), man = feat("man", EG__TOK_WORD);
	eg__tokfeat media = feat("media", EG__TOK_WORD), medic = feat("medic", EG__TOK_WORD);
	eg__tokfeat ltd = feat("ltd", EG__TOK_LEGAL);

	cr_assert_float_eq(eg__short_typo_sim(&lb, &lab), EG__SHORT_CHANGED_SIM, 1e-9);
	cr_assert_float_eq(eg__short_typo_sim(&et, &set), EG__SHORT_CHANGED_SIM, 1e-9);
	eg__tokfeat ju = feat("ju", EG__TOK_WORD), jo = feat("jo", EG__TOK_WORD);

	cr_assert_float_eq(eg__short_typo_sim(&nam, &man), 0.0, 1e-9); /* two edits */
	cr_assert_float_eq(eg__short_typo_sim(&ju, &jo), 0.0, 1e-9);   /* a letter changed */
	cr_assert_float_eq(eg__short_typo_sim(&media, &medic), 0.0, 1e-9); /* not short */
	cr_assert_float_eq(eg__short_typo_sim(&lb, &ltd), 0.0, 1e-9);  /* a legal form */
}
