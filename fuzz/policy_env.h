/* policy_env.h - what the deal and policy fuzz targets share: the bundled
 * tables (ISO codes, items, country lists, policies) loaded once per
 * process, a deterministic stand-in for screening and country lists, and
 * the invariants of a decision. */
#ifndef EG_FUZZ_POLICY_ENV_H
#define EG_FUZZ_POLICY_ENV_H

#include "policy/deal.h"
#include "policy/eval.h"
#include "policy/items.h"
#include "policy/policy.h"
#include "lists/countries.h"

typedef struct fuzz_policy_env {
	eg__iso_codes iso;
	eg__items *items;
	eg__country_lists *lists;
	eg__policy_set *policies;  /* the bundled ones, data/policies */
	eg__policy_ctx ctx;        /* screening and country lists, made up */
} fuzz_policy_env;

/* The tables, loaded from data/ (run from the source root) on the first
 * call; aborts when they cannot be: a target without them tests nothing. */
const fuzz_policy_env *fuzz_policy_env_get(void);

/* Decides deal against set and checks the decision: at least one reason;
 * the outcome the strictest of the reasons'; every reason's rule a rule of
 * a policy of set, or one of the evaluator's own; its JSON naming that
 * outcome; a second decision the same JSON. Aborts on a violation. An
 * error must be an EG_E* code with a message. */
void fuzz_decide_and_check(const eg__policy_set *set, const eg__deal *deal, const char *target);

#endif
