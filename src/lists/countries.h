/* countries.h - versioned country lists (sets of ISO 3166-1 alpha-2 codes) loaded from data/countries/.
 *
 * A list is a named sequence of versions, each with an effective date, cited
 * sources and its members. A version is either complete (every code it does
 * not name as a member is not a member, except the codes it names as
 * "unknown") or partial (only the named members and non-members are known;
 * every other code answers unknown). The file format and the membership and
 * diff rules are in docs/countries.md.
 *
 * Ownership: a loaded eg__country_lists owns every list, version and string
 * it hands out (one arena); they live until eg__countries_free. A loaded
 * object is read-only, so several threads may query it at once. */
#ifndef EG_COUNTRIES_H
#define EG_COUNTRIES_H

#include "exportgate.h"
#include "../util/arena.h"

#include <stddef.h>

/* Where Debian's iso-codes package puts the ISO 3166-1 table. */
#define EG__COUNTRIES_ISO_PATH "/usr/share/iso-codes/json/iso_3166-1.json"

/* The set of valid alpha-2 codes, one flag per AA..ZZ. No allocation. */
typedef struct eg__iso_codes {
	unsigned char valid[26 * 26]; /* private: 1 when the code exists */
	size_t count;                 /* read-only: number of valid codes */
} eg__iso_codes;

/* One code, NUL-terminated: "FR". */
typedef struct eg__country_code {
	char c[3];
} eg__country_code;

typedef enum eg__country_answer {
	EG__COUNTRY_NO = 0,
	EG__COUNTRY_YES = 1,
	EG__COUNTRY_UNKNOWN = 2
} eg__country_answer;

/* How a version's statement about one code is supported. */
typedef enum eg__country_basis {
	EG__BASIS_VERIFIED = 0,   /* stated by a cited source */
	EG__BASIS_INFERRED = 1,   /* inferred from cited sources (see notes) */
	EG__BASIS_UNVERIFIED = 2  /* not checked against a stored source */
} eg__country_basis;

typedef struct eg__country_source {
	const char *cite; /* never NULL, never empty */
	const char *url;  /* NULL when the source has no address */
} eg__country_source;

/* Code arrays are sorted and free of duplicates. */
typedef struct eg__country_version {
	size_t index;                   /* position in its list, oldest first */
	char effective[11];             /* YYYY-MM-DD: in force from this day */
	int effective_approximate;      /* 1: the real start date is not known */
	char until[11];                 /* last day the data is vouched for; "" = open */
	const char *effective_note;     /* NULL when none */
	int partial;                    /* 1: codes not named answer unknown */
	int size_known;                 /* 0: the number of members is not known */
	size_t size;                    /* the number of members, when size_known */
	const eg__country_code *members;      size_t n_members;
	const eg__country_code *non_members;  size_t n_non_members; /* partial only */
	const eg__country_code *unknown;      size_t n_unknown;     /* complete only */
	const eg__country_code *inferred;     size_t n_inferred;
	const eg__country_code *unverified;   size_t n_unverified;
	const eg__country_source *sources;    size_t n_sources;     /* >= 1 */
	const char *notes;              /* NULL when none */
} eg__country_version;

typedef struct eg__country_list {
	const char *name;  /* e.g. "il-cyber-exempt" */
	const char *title;
	const char *file;  /* the path it was loaded from */
	const eg__country_version *versions; /* oldest first, effective strictly increasing */
	size_t n_versions;                   /* >= 1 */
} eg__country_list;

typedef struct eg__country_lists eg__country_lists;

/* Reads the alpha_2 codes of iso-codes' iso_3166-1.json at path (NULL: the
 * Debian path above) into iso. A missing file is EG_ENOTFOUND with a message
 * naming the file and the package; a malformed one EG_EPARSE. */
int eg__countries_iso_load(eg__iso_codes *iso, const char *path, eg_error *err);
/* 1 when s[0..len) is an upper-case code present in iso, else 0. */
int eg__countries_iso_has(const eg__iso_codes *iso, const char *s, size_t len);

/* A new, empty set of lists, or NULL when out of memory. */
eg__country_lists *eg__countries_new(void);
/* Releases lists and everything it handed out; NULL is a no-op. */
void eg__countries_free(eg__country_lists *lists);

/* Loads every *.json file of dir (in name order) into a new object stored in
 * *out. Each file must hold one list whose "list" name is the file name
 * without ".json". Atomic: on any error *out is NULL, nothing stays loaded,
 * and err names the file and the JSON path of the first fault. */
int eg__countries_load_dir(eg__country_lists **out, const char *dir,
                           const eg__iso_codes *iso, eg_error *err);
/* Parses one list held in data[0..len) (not NUL-terminated) and adds it to
 * lists; name is used in messages only. On error lists is unchanged (apart
 * from arena memory kept until eg__countries_free). A list of the same name
 * already loaded is EG_EEXISTS. This is the fuzzing entry point. */
int eg__countries_parse_mem(eg__country_lists *lists, const char *data, size_t len,
                            const char *name, const eg__iso_codes *iso, eg_error *err);

/* Iteration, in name order: the number of lists, and list i (< count). */
size_t eg__countries_count(const eg__country_lists *lists);
const eg__country_list *eg__countries_at(const eg__country_lists *lists, size_t i);
/* The list of that name, or NULL. */
const eg__country_list *eg__countries_find(const eg__country_lists *lists, const char *name);

/* The version in force on date (YYYY-MM-DD): the newest whose effective date
 * is <= date. NULL when date is before the first version, after that
 * version's "until" date, or not a valid date. date NULL: the newest. */
const eg__country_version *eg__countries_version_at(const eg__country_list *list,
                                                    const char *date);
/* What version v says of code (two upper-case letters): yes when a member,
 * no when a non-member (or, in a complete version, not named at all),
 * unknown otherwise. */
eg__country_answer eg__countries_answer(const eg__country_version *v, const char *code);
/* How v's statement about code is supported (verified when not marked). */
eg__country_basis eg__countries_basis(const eg__country_version *v, const char *code);
/* The answer for code in list on date (NULL: today), and the version that
 * gave it (*version_out may be NULL). EG_ENOTFOUND (with a message) when the
 * list does not exist or no version covers date; EG_EINVAL for a malformed
 * code or date. */
int eg__countries_member(eg__country_answer *out, const eg__country_version **version_out,
                         const eg__country_lists *lists, const char *list,
                         const char *code, const char *date, eg_error *err);

const char *eg__countries_answer_name(eg__country_answer a); /* "yes", "no", "unknown" */

/* What is known to have changed between two versions. Every code named by
 * either version falls in exactly one array:
 *   dropped: yes in from, no in to;      added: no in from, yes in to;
 *   stayed:  yes in both;                unknown: unknown on either side,
 * and codes that are no in both are left out. The totals count members the
 * versions do not name: dropped_total = from.size - |from ∩ to|, known when
 * from's size is known, to is complete (no unknown codes) and every member of
 * to has a known answer in from; -1 otherwise. dropped_unnamed =
 * dropped_total - n_dropped (or -1). added_total and added_unnamed likewise
 * with the roles swapped. */
typedef struct eg__country_diff {
	const eg__country_version *from, *to;
	eg__country_code *dropped; size_t n_dropped;
	eg__country_code *added;   size_t n_added;
	eg__country_code *stayed;  size_t n_stayed;
	eg__country_code *unknown; size_t n_unknown;
	long dropped_total, dropped_unnamed;
	long added_total, added_unnamed;
} eg__country_diff;

/* Fills out (caller-owned struct; arrays from eg__malloc); release them with
 * eg__countries_diff_dispose. EG_ENOMEM leaves out empty. */
int eg__countries_diff(eg__country_diff *out, const eg__country_version *from,
                       const eg__country_version *to, eg_error *err);
void eg__countries_diff_dispose(eg__country_diff *d);

#endif
