/* test_text_rules.c - rewrites of native-script text before transliteration
 * (data/text/script_rules.tsv, src/text/romanize.c; issue 12 item 4). */
#include <criterion/criterion.h>

#include "text/normalize.h"
#include "text/norm_internal.h"

#include <stdlib.h>
#include <string.h>

#include "norm_fixture.h"

#define expect_tokens(name, want) do { \
	char got_[512]; \
	norm_tokens(name, got_, sizeof(got_)); \
	cr_expect_str_eq(got_, want, "%s", name); \
} while (0)

Test(text_rules, greek_as_the_press_spells_it)
{
	expect_tokens("Μπασάρ αλ Άσαντ", "basar al asad");
	expect_tokens("Νικολάς Μαδούρο", "nikolas maduro");
	expect_tokens("Αλί Χαμενεΐ", "ali khamenei");
	expect_tokens("Ντόναλντ", "donald");
	expect_tokens("Πρόεδρος Νικολάς Μαδούρο", "president nikolas maduro");
	/* β v, φ f; μπ and γκ inside a word b and g */
	expect_tokens("Γεβγκένι Πριγκόζιν", "yevgeni prigozin");
	expect_tokens("Χεζμπολάχ", "khezbolakh");
	expect_tokens("Ισμαήλ Χανίγια", "ismail khaniya"); /* γι before a vowel: y */
	expect_tokens("Ραμζάν Καντίροφ", "ramzan kandirof"); /* ντ inside a word nd */
}

Test(text_rules, kana_loanwords_end_in_their_consonant)
{
	expect_tokens("バッシャール・アル＝アサド", "basshar al asad");
	expect_tokens("ニコラス・マドゥロ", "nikoras maduro");
	expect_tokens("ヴィクトル", "vikutor"); /* ヴィ vi, not "vu~i" */
}

Test(text_rules, company_words_of_other_scripts_meet_the_tables)
{
	expect_tokens("华为技术有限公司", "hua wei technology co ltd");
	expect_tokens("トヨタ自動車株式会社", "toyota automobile co ltd");
	expect_tokens("بانک ملی ایران", "bank mly ayran");
	expect_tokens("בנק מלי", "bank mly");
	expect_tokens("한국 은행", "han kuk bank");
}

Test(text_rules, the_arabic_article_stays_on_its_word_and_allah_whole)
{
	expect_tokens("الله", "allh");
	expect_tokens("الرئيس", "president");
}

Test(text_rules, abjad_letters_as_names_spell_them)
{
	/* Hebrew: shin is sh, an initial alef or ayin is a vowel, a geresh
	 * marks j, zh, ch, th and does not split the word */
	expect_tokens("בשאר אל-אסד", "bshr al asd");
	expect_tokens("עלי", "aly");
	expect_tokens("ג'ונג", "jwng");
	expect_tokens("פריגוז'ין", "prygwzhyn");
	/* Arabic: an initial ayin is a vowel; ta marbuta is -h */
	expect_tokens("علي", "aly");
	expect_tokens("هنية", "hnyh");
	/* Persian: he before the suffix -i is the vowel e */
	expect_tokens("خامنه‌ای", "khamnei");
	/* Urdu letters ICU leaves: heh goal h, aspiration h, retroflex t */
	expect_tokens("ابراہیم", "abrahym");
	expect_tokens("بھٹو", "bhtw");
	/* sayyid, not Saeed (سعید keeps its ayn until ICU drops it) */
	expect_tokens("سعید", "syd");
	/* honorifics written as one word */
	expect_tokens("سید علی", "sayyid aly");
	expect_tokens("آیت‌الله", "ayatollah");
}

/* The inherent vowel of Indo-Aryan scripts: dropped where it is not said. */
Test(text_rules, indic_inherent_vowel)
{
	expect_tokens("हसन नसरल्लाह", "hasan nasrallah");   /* final; V C a C V */
	expect_tokens("रमज़ान कादिरोव", "ramzan kadirov");
	expect_tokens("नरेंद्र मोदी", "narendra modi");     /* kept after a cluster */
	expect_tokens("किम जोंग-उन", "kim jong un");        /* dropped after nasal + consonant */
	expect_tokens("हमास", "hamas");                     /* a written aa stays */
	expect_tokens("चंद्रशेखर", "chandrashekhar");       /* c is ch, sh, an aspirate one consonant */
	expect_tokens("कृष्ण", "krishna");
	expect_tokens("শেখ হাসিনা", "shekh hasina");        /* Bengali */
	expect_tokens("মিন অং", "min ang");                 /* a final anusvara after a: ng */
	expect_tokens("হাফিজ", "hafij");                    /* Bengali ফ f; Devanagari फ ph */
	expect_tokens("फूलन", "phulan");
	expect_tokens("हैं", "hain");                        /* after another vowel: n */
	expect_tokens("ਅਮਰਿੰਦਰ ਸਿੰਘ", "amrindar singh");      /* Gurmukhi tippi */
	expect_tokens("ઝવેરચંદ મેઘાણી", "jhaverchand meghani"); /* Gujarati */
	expect_tokens("बैंक मेल्ली", "bank melli");
}

/* Foreign names written sound by sound in Han and Hangul: one word each,
 * read as transcriptions sound; Chinese and Korean names stay a token a
 * syllable. */
Test(text_rules, han_and_hangul_transcriptions_joined)
{
	expect_tokens("巴沙尔·阿萨德", "bashar asad");     /* a name dot; 尔 r, 德 d */
	expect_tokens("哈马斯", "hamas");                  /* 斯 after the first character */
	expect_tokens("阿里·哈梅内伊", "ali hamenei");     /* mei me, nei ne, yi i */
	expect_tokens("维克托·维克塞尔伯格", "vikto viksairbog"); /* wei vi, tuo to; 克 k, 尔 r, 格 g */
	expect_tokens("习近平", "xi jin ping");            /* a Chinese name */
	expect_tokens("李克强", "li ke qiang");            /* 克 alone marks no transcription */
	expect_tokens("바샤르 알아사드", "bashar alasad"); /* sya sha, the added eu dropped */
	expect_tokens("니콜라스 마두로", "nikolas maduro"); /* l + r once; 마 no family name here */
	expect_tokens("김정은", "kim jong un");            /* a Korean name */
	expect_tokens("솔레이마니", "soleimani");
	expect_tokens("람잔 알리", "ramjan ali");          /* two syllables, no family name first */
	expect_tokens("김 정은", "kim jong un");           /* 정 is one */
}

/* Thai as the press spells names, not ICU's letter-for-letter ISO 11940. */
Test(text_rules, thai_as_names_are_spelt)
{
	expect_tokens("นิโกลัส มาดูโร", "nikolas maduro"); /* a leading vowel after its consonant */
	expect_tokens("คิม", "kim");                        /* the aspirate as k */
	expect_tokens("รามซาน คาดีรอฟ", "ramsan kadirof");  /* o after a consonant */
	expect_tokens("อิสมาอีล", "ismail");                /* o silent before a vowel */
	expect_tokens("วิกตอร์", "wiktor");                 /* a cancelled letter: the foreign name's */
	expect_tokens("อัลอะซัด", "alasad");                /* อ before a vowel sign: silent */
	expect_tokens("เปรม", "prem");                      /* a cluster inside a leading vowel */
	expect_tokens("เวลา", "wela");
	expect_tokens("ธนาคารกรุงเทพ จำกัด", "bank krungtep ltd");
}

/* Burmese a syllable a word, as Burmese names are romanised. */
Test(text_rules, burmese_by_syllables)
{
	expect_tokens("မင်းအောင်လှိုင်", "min aung hlaing"); /* ောင် aung, ှ h before, ိုင် aing */
	expect_tokens("အောင်ဆန်းစုကြည်", "aung san su kyi");  /* ြ y, ည် i */
	expect_tokens("သိန်းစိန်", "thein sein");              /* ိန် ein */
	expect_tokens("ထွန်း", "htun");                       /* ွန် un */
	expect_tokens("ဝင်းမြင့်", "win myin");                 /* a tone mark before the killer */
}

/* Offices and forms of address of other scripts become honorifics. */
Test(text_rules, offices_of_other_scripts)
{
	expect_tokens("总统习近平", "president xi jin ping");
	expect_tokens("대통령 윤석열", "president yun sok yol");
	expect_tokens("ประธานาธิบดี", "president");
	expect_tokens("ဦးသန့်", "mr than");
	expect_tokens("הרב", "rabbi");
}

Test(text_rules, latin_and_plain_text_untouched)
{
	expect_tokens("Nicolás Maduro", "nicolas maduro");
	expect_tokens("Владимир", "vladimir");
}

/* Korean names as the Russian press writes them (Kontsevich, a syllable a
 * word) are read as lists spell Korean names; Russian words stay Russian. */
Test(text_rules, korean_names_in_cyrillic)
{
	expect_tokens("Ким Чен Ын", "kim jong un");
	expect_tokens("Хван Бён Со", "hwan pyong so");
	expect_tokens("Чхве Рён Хэ", "chwe ryong hae");
	expect_tokens("Ли Пён Чхоль", "ri pyong chol");
	expect_tokens("Ким Ё Чжон", "kim yo jong");
	expect_tokens("Председатель Ким Чен Ын", "chairman kim jong un");
	expect_tokens("Чан Сон-Чхоль", "jan song chol");
	/* one such word alone, or none: Russian */
	expect_tokens("Ким Иванов", "kim ivanov");
	expect_tokens("Иван Петров", "ivan petrov");
}

Test(text_rules, korean_syllables_in_cyrillic)
{
	char out[16];

	cr_assert_eq(eg__romanize_korean_syllable("чхоль", strlen("чхоль"), out), 4);
	cr_assert_str_eq(out, "chol");
	cr_assert_gt(eg__romanize_korean_syllable("ён", strlen("ён"), out), 0);
	cr_assert_str_eq(out, "yong");
	cr_assert_eq(eg__romanize_korean_syllable("петров", strlen("петров"), out), 0);
	cr_assert_eq(eg__romanize_korean_syllable("лев", strlen("лев"), out), 0);
}

/* Hebrew writes a final vowel with alef, which ICU drops (script_rules.tsv). */
Test(text_rules, hebrew_final_alef_is_a_vowel)
{
	expect_tokens("עזרא", "azra");
	expect_tokens("אבא", "aba");
}

/* The words of company names translated into French, Spanish and Italian
 * read as the lists' English words (words.tsv, legal_forms.tsv). */
Test(text_rules, translated_company_words)
{
	expect_tokens("Banque commerciale de Syrie", "bank commercial de syria");
	expect_tokens("Compañía Nacional Iraní de Petroleros", "co national iranian de tanker");
	expect_tokens("Corporación Nacional de Seguros de Corea", "corp national de insurance de korea");
	expect_tokens("Lignes maritimes de la République islamique d'Iran",
	              "shipping lines de la republic islamic diran");
}

/* Chinese names as the Russian press writes them (Palladius, the given
 * name one word) are read into pinyin; Korean ones and Russian ones are
 * not (a word of Chinese alone, or no mark of Chinese, stays). */
Test(text_rules, chinese_names_in_cyrillic)
{
	char out[64];

	expect_tokens("Чжан Сяомин", "zhang xiaoming");
	expect_tokens("Чэнь Цюаньго", "chen quanguo");
	expect_tokens("Си Цзиньпин", "xi jinping");
	expect_tokens("Ло Хуэйнин", "luo huining"); /* о after a consonant: uo */
	expect_tokens("Ху Юнъань", "hu yongan");    /* the hard sign parts syllables */
	expect_tokens("Сунь Сыдун", "sun sidong");  /* ы: the i of si */
	expect_tokens("Ким Чен Ын", "kim jong un"); /* Korean */
	expect_tokens("Иван Петров", "ivan petrov");
	cr_assert_eq(eg__romanize_chinese_word("хунань", strlen("хунань"), out), 2);
	cr_assert_str_eq(out, "hunan"); /* not hong an: that needs ъ */
	cr_assert_eq(eg__romanize_chinese_word("петров", strlen("петров"), out), 0);
}
