/* policy.h - policies as data (data/policies/NAME.json, docs/policies.md): loading, validating, looking up.
 *
 * A policy is a versioned, ordered list of cited rules. A rule is a
 * condition (a tree of all/any/not over leaves on items, destination, end
 * use, date and parties), an outcome (allow, review, licence_required, deny)
 * and a message. No country, entity or classification is named in C code:
 * the leaves hold what the JSON names, checked at load against the item
 * table (classifications, categories, flags), the ISO table (exporter
 * countries) and, when given, the country lists (list names).
 *
 * Ownership: an eg__policy_set owns every policy, rule and condition it
 * hands out until eg__policy_set_free. Read-only once loaded, so several
 * threads may evaluate deals against one set at once. */
#ifndef EG_POLICY_POLICY_H
#define EG_POLICY_POLICY_H

#include "exportgate.h"
#include "items.h"
#include "../lists/countries.h"

#include <stddef.h>

#define EG__POLICY_CAP_FILE_BYTES (1024u * 1024)
#define EG__POLICY_CAP_FILES      256   /* policy files of one directory */
#define EG__POLICY_CAP_RULES      256   /* rules of one policy */
#define EG__POLICY_CAP_DEPTH      16    /* nesting of all/any/not/party */
#define EG__POLICY_CAP_CHILDREN   64    /* children of one all/any */
#define EG__POLICY_CAP_SET        256   /* elements of one set of a leaf */
#define EG__POLICY_CAP_ID_BYTES   64    /* ids, list names, sources */
#define EG__POLICY_CAP_TEXT_BYTES 4096  /* messages, titles, citations */

/* Outcomes, in increasing strictness: the strictest of a decision wins. */
typedef enum eg__outcome {
	EG__OUTCOME_ALLOW = 0,
	EG__OUTCOME_REVIEW = 1,
	EG__OUTCOME_LICENCE_REQUIRED = 2,
	EG__OUTCOME_DENY = 3
} eg__outcome;

const char *eg__outcome_name(eg__outcome o); /* "allow", ..., "deny" */
/* Parses an outcome name; -1 when s is not one. */
int eg__outcome_parse(const char *s);

typedef enum eg__cond_kind {
	EG__COND_ALL, EG__COND_ANY, EG__COND_NOT,
	EG__COND_CLASSIFICATION,  /* some item's classification is in set */
	EG__COND_CATEGORY,        /* some item has a category in set */
	EG__COND_UNLISTED,        /* some item with no classification has a category in set */
	EG__COND_DESTINATION_IN,  /* destination is a member of list on the deal date */
	EG__COND_FLAG,            /* the end use raises a flag in set */
	EG__COND_DATE,            /* from <= deal date < before */
	EG__COND_PARTY,           /* some party satisfies child */
	/* Party leaves: only inside a EG__COND_PARTY. */
	EG__COND_ROLE,            /* the party's role is in set */
	EG__COND_TYPE,            /* the party's type is in set */
	EG__COND_HIT              /* a screening hit of the party meets hit */
} eg__cond_kind;

/* What a screening hit must meet. Every field given must hold. */
typedef struct eg__hit_cond {
	const char *const *sources; size_t n_sources;  /* 0: any source */
	const char *const *lists;   size_t n_lists;    /* sub-list name contains one (any case); 0: any */
	double min_score;                               /* score >= min_score */
	double below_score;                             /* score < below_score; > 1: no bound */
	const char *licence_policy;  /* the listing's licence policy contains it (any case); NULL: any */
	int listed_by_deal_date;     /* 1: the listing started on or before the deal date */
} eg__hit_cond;

typedef struct eg__cond eg__cond;
struct eg__cond {
	eg__cond_kind kind;
	const char *path;                   /* its JSON path, for messages */
	const eg__cond *const *children;    /* all, any: >= 1; not, party: 1 */
	size_t n_children;
	const char *const *set; size_t n_set; /* classification, category, flag, role, type */
	const char *list;                   /* destination_in */
	char from[11], before[11];          /* date; "" = unbounded */
	eg__hit_cond hit;                   /* hit */
};

typedef struct eg__citation {
	const char *instrument;  /* e.g. "15 CFR 740.22 (License Exception ACE)" */
	const char *article;     /* e.g. "§740.22(c)(2)" */
	char date[11];           /* of the instrument or its effect */
	const char *url;         /* NULL when none */
} eg__citation;

typedef struct eg__rule {
	const char *id;          /* unique in its policy */
	eg__outcome outcome;
	const char *message;
	eg__citation citation;
	int otherwise;           /* 1: applies only when no earlier rule of the policy applied */
	int unverified;          /* 1: rests on a fact not verified in a stored source */
	const char *unverified_reason; /* set when unverified */
	const eg__cond *when;
} eg__rule;

typedef struct eg__policy {
	const char *id;          /* the file name without ".json" */
	const char *version;
	const char *title;
	const char *file;        /* the path it was loaded from */
	const char *const *exporter_countries; size_t n_exporter_countries;
	const eg__rule *rules;   size_t n_rules; /* in order */
} eg__policy;

typedef struct eg__policy_set eg__policy_set;

/* Loads every *.json file of dir (in name order) into a new set in *out.
 * Each file holds one policy whose "policy" id is the file name without
 * ".json". items and iso are required; lists may be NULL (country list names
 * are then not checked). Atomic: on any error *out is untouched (a caller's
 * previous good set stays in use), nothing is kept, and err names the file
 * and the JSON path of the first fault. */
int eg__policy_set_load_dir(eg__policy_set **out, const char *dir, const eg__items *items,
                            const eg__iso_codes *iso, const eg__country_lists *lists,
                            eg_error *err);
/* Parses one policy from data[0..len) and adds it to set (a new set when
 * *set is NULL). name is the policy id expected and is used in messages.
 * On error the set is unchanged. The fuzzing entry point. */
int eg__policy_parse_mem(eg__policy_set **set, const char *data, size_t len, const char *name,
                         const eg__items *items, const eg__iso_codes *iso,
                         const eg__country_lists *lists, eg_error *err);
void eg__policy_set_free(eg__policy_set *set); /* NULL: no-op */

size_t eg__policy_set_count(const eg__policy_set *set);
const eg__policy *eg__policy_set_at(const eg__policy_set *set, size_t i); /* name order */
const eg__policy *eg__policy_set_find(const eg__policy_set *set, const char *id);
/* 1 when p lists country among its exporter countries. */
int eg__policy_for_exporter(const eg__policy *p, const char *country);

#endif
