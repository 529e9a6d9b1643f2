/* eval.h - deciding a deal against policies: the evaluator and the decision it explains.
 *
 * The evaluator neither screens names nor reads country lists: the caller
 * supplies both as callbacks (eg__policy_ctx), so the engine answers with
 * its catalog and the tests with fixed tables. Each party is screened at
 * most once per decision; each (list, code) membership asked at most once.
 *
 * Conditions are three-valued: true, false or unknown. A country list with
 * no version in force on the deal date, a partial version that does not know
 * the code, or a listing whose start date is not known makes a leaf unknown;
 * all/any/not follow Kleene's logic (false wins an all, true wins an any).
 * A rule whose condition is unknown gives `review` with a reason naming
 * what is not known. Never a guess.
 *
 * Rules of a policy are evaluated in order; each rule that applies (true or
 * unknown) gives one reason. A rule marked "otherwise" is skipped when an
 * earlier rule of its policy applied. The decision is the strictest outcome
 * of all reasons: deny > licence_required > review > allow. */
#ifndef EG_POLICY_EVAL_H
#define EG_POLICY_EVAL_H

#include "exportgate.h"
#include "deal.h"
#include "policy.h"
#include "../util/arena.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define EG__POLICY_CAP_HITS 1024 /* hits of one party */

/* One screening hit of a party. Strings may be NULL when the list does not
 * say. */
typedef struct eg__policy_hit {
	const char *source;          /* e.g. "us-csl" */
	int64_t version_id;          /* the list version screened */
	const char *published;       /* its publication date */
	const char *uid;             /* the source's id of the entity */
	const char *primary_name;
	const char *matched_name;    /* the name or alias that matched */
	double score;                /* in [0,1] */
	const char *listed_on;       /* YYYY-MM-DD the listing took effect */
	const char *licence_policy;  /* e.g. "Presumption of denial." */
	const char *list_name;       /* the sub-list, e.g. "Entity List (EL) - ..." */
} eg__policy_hit;

/* The hits of one party, filled by the screen callback through
 * eg__policy_hits_add. Owned by the evaluator. */
typedef struct eg__policy_hits {
	eg__policy_hit *hits; /* read-only */
	size_t n;             /* read-only */
	size_t cap;           /* private */
	eg__arena *arena;     /* private: where copies live */
} eg__policy_hits;

/* Adds a copy of *h (its strings copied) to hits. EG_ETOOBIG past
 * EG__POLICY_CAP_HITS, EG_ENOMEM; on error hits is unchanged. */
int eg__policy_hits_add(eg__policy_hits *hits, const eg__policy_hit *h, eg_error *err);

typedef struct eg__policy_ctx {
	void *ud;
	/* Screens one party as of date (the deal date) and adds its hits to out
	 * with eg__policy_hits_add. country is the party's ISO code. Returns 0
	 * or an EG_E* code with err set; the decision then fails with it. */
	int (*screen)(void *ud, const char *name, const char *country, const char *date,
	              eg__policy_hits *out, eg_error *err);
	/* Whether code is a member of the country list named list on date:
	 * *answer 1 yes, 0 no, -1 unknown, and the effective date of the
	 * version that answered in effective. EG_ENOTFOUND (err saying why)
	 * when the list has no version in force on date: the evaluator then
	 * treats the membership as unknown and quotes err's message. Any other
	 * error fails the decision. */
	int (*member)(void *ud, const char *list, const char *code, const char *date,
	              int *answer, char effective[11], eg_error *err);
} eg__policy_ctx;

typedef struct eg__policy_reason {
	const char *policy;          /* "" for the evaluator's own reasons */
	const char *policy_version;  /* "" likewise */
	const char *rule;            /* the rule id, or "no-policy" / "no-rule-applied" */
	eg__outcome outcome;
	const char *message;         /* says when the rule could not be decided or is unverified */
	const eg__citation *citation; /* NULL for the evaluator's own reasons */
	int unverified;
	int undecided;               /* 1: the rule's condition was unknown (outcome review) */
	json_t *evidence;            /* array of objects (docs/deals.md); owned by the decision */
} eg__policy_reason;

typedef struct eg__policy_used {
	const char *id, *version;
} eg__policy_used;

typedef struct eg__policy_decision {
	eg__outcome outcome;
	const eg__policy_reason *reasons; size_t n_reasons;
	const eg__policy_used *policies;  size_t n_policies;
	json_t *country_lists; /* [{list, code, effective, answer}] asked, in order */
} eg__policy_decision;

/* Decides deal against set: the policies the deal names, else those whose
 * exporter_countries hold the exporter's country (none: `review`, reason
 * "no-policy"). Stores a new decision in *out. A policy the deal names that
 * set lacks is EG_EINVAL naming $.policies[i]; a callback's error fails the
 * decision with its code, err prefixed with the party or list. On error *out
 * is NULL. Thread-safe when the callbacks are. */
int eg__policy_decide(eg__policy_decision **out, const eg__policy_set *set,
                      const eg__deal *deal, const eg__policy_ctx *ctx, eg_error *err);
void eg__policy_decision_free(eg__policy_decision *d); /* NULL: no-op */

/* The decision as JSON (docs/deals.md): {"decision", "reasons", "policies",
 * "country_lists"}; the caller adds "lists" and "audit". NULL when out of
 * memory. The caller owns the result. */
json_t *eg__policy_decision_json(const eg__policy_decision *d);

#endif
