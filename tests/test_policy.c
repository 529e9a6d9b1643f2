/* test_policy.c - tests of the policy layer: the item table, deals, policy files and the evaluator.
 *
 * The scenarios are data: the JSON files of tests/data/deals, each a deal with the fake
 * hits of its parties (by name) and the expected decision and reasons
 * ("policy/rule=outcome", in order), or a bad deal and the error it must
 * give. Country lists are the real data/countries, optionally overridden per
 * scenario ("members": {"list": "yes"|"no"|"unknown"}). */
#include <criterion/criterion.h>

#include "policy/deal.h"
#include "policy/eval.h"
#include "policy/items.h"
#include "policy/policy.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEALS "tests/data/deals"

static eg__iso_codes iso;
static eg__items *items;
static eg__country_lists *lists;
static eg__policy_set *set;
static eg_error err;

static void setup(void)
{
	memset(&err, 0, sizeof(err));
	cr_assert_eq(eg__countries_iso_load(&iso, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(eg__items_load(&items, "data/items.json", &err), 0, "%s", err.message);
	cr_assert_eq(eg__countries_load_dir(&lists, "data/countries", &iso, &err), 0, "%s",
	             err.message);
	cr_assert_eq(eg__policy_set_load_dir(&set, "data/policies", items, &iso, lists, &err), 0,
	             "%s", err.message);
}

static void teardown(void)
{
	eg__policy_set_free(set);
	eg__countries_free(lists);
	eg__items_free(items);
}

TestSuite(policy, .init = setup, .fini = teardown);

/* ---- the callbacks, from a scenario's fixed tables ---- */

typedef struct fixture {
	const json_t *hits;    /* {"party name": [hit, ...]} */
	const json_t *members; /* {"list": "yes"|"no"|"unknown"} */
	int screens;
} fixture;

static const char *str_or_null(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int fake_screen(void *ud, const char *name, const char *country, const char *date,
                       eg__policy_hits *out, eg_error *e)
{
	fixture *fx = ud;
	const json_t *arr = json_object_get(fx->hits, name), *h;
	size_t i;
	int rc;

	(void)country;
	(void)date;
	fx->screens++;
	json_array_foreach(arr, i, h) {
		eg__policy_hit hit;

		memset(&hit, 0, sizeof(hit));
		hit.source = str_or_null(h, "source");
		hit.version_id = json_integer_value(json_object_get(h, "version_id"));
		hit.published = str_or_null(h, "published");
		hit.uid = str_or_null(h, "uid");
		hit.primary_name = str_or_null(h, "primary_name");
		hit.matched_name = str_or_null(h, "matched_name");
		hit.score = json_number_value(json_object_get(h, "score"));
		hit.listed_on = str_or_null(h, "listed_on");
		hit.licence_policy = str_or_null(h, "licence_policy");
		hit.list_name = str_or_null(h, "list_name");
		if ((rc = eg__policy_hits_add(out, &hit, e)) != 0)
			return rc;
	}
	return 0;
}

static int real_member(void *ud, const char *list, const char *code, const char *date,
                       int *answer, char effective[11], eg_error *e)
{
	fixture *fx = ud;
	const char *forced = str_or_null(fx->members, list);
	const eg__country_version *v = NULL;
	eg__country_answer a;
	int rc;

	rc = eg__countries_member(&a, &v, lists, list, code, date, e);
	if (forced != NULL) {
		*answer = strcmp(forced, "yes") == 0 ? 1 : strcmp(forced, "no") == 0 ? 0 : -1;
		strcpy(effective, "2021-01-01");
		return 0;
	}
	if (rc != 0)
		return rc;
	*answer = a == EG__COUNTRY_YES ? 1 : a == EG__COUNTRY_NO ? 0 : -1;
	memcpy(effective, v->effective, 11);
	return 0;
}

/* ---- running one scenario file ---- */

/* Parses and decides the scenario's deal; returns the EG_E* code. */
static int run(const json_t *sc, eg__policy_decision **dec, fixture *fx, eg_error *e)
{
	const char *text = str_or_null(sc, "deal_text");
	char *dumped = NULL;
	eg__deal *deal = NULL;
	eg__policy_ctx ctx = {fx, fake_screen, real_member};
	int rc;

	*dec = NULL;
	if (text == NULL)
		text = dumped = json_dumps(json_object_get(sc, "deal"), 0);
	rc = eg__deal_parse(&deal, text, strlen(text), items, &iso, e);
	if (rc == 0)
		rc = eg__policy_decide(dec, set, deal, &ctx, e);
	eg__deal_free(deal);
	free(dumped);
	return rc;
}

/* Checks one scenario; returns 0 when it passes, logging why not. */
static int check_scenario(const char *file, const json_t *sc)
{
	const json_t *expect = json_object_get(sc, "expect"), *want_err = json_object_get(sc, "error");
	const json_t *want_reasons = json_object_get(expect, "reasons");
	fixture fx = {json_object_get(sc, "hits"), json_object_get(sc, "members"), 0};
	eg__policy_decision *dec = NULL;
	eg_error e;
	size_t i;
	int rc, bad = 0;

	memset(&e, 0, sizeof(e));
	rc = run(sc, &dec, &fx, &e);
	if (want_err != NULL) {
		const char *code = str_or_null(want_err, "code"), *msg = str_or_null(want_err, "message");

		if (rc == 0 || strcmp(eg_err_name(rc), code) != 0 || strstr(e.message, msg) == NULL) {
			cr_log_error("%s: want %s \"%s\", got %s \"%s\"", file, code, msg,
			             rc ? eg_err_name(rc) : "success", e.message);
			bad = 1;
		}
		eg__policy_decision_free(dec);
		return bad;
	}
	if (rc != 0) {
		cr_log_error("%s: %s", file, e.message);
		return 1;
	}
	if (strcmp(eg__outcome_name(dec->outcome), str_or_null(expect, "decision")) != 0) {
		cr_log_error("%s: decision %s, want %s", file, eg__outcome_name(dec->outcome),
		             str_or_null(expect, "decision"));
		bad = 1;
	}
	if (dec->n_reasons != json_array_size(want_reasons))
		bad = 1;
	for (i = 0; i < dec->n_reasons; i++) {
		char got[256];
		const char *want = json_string_value(json_array_get(want_reasons, i));
		const eg__policy_reason *r = &dec->reasons[i];

		snprintf(got, sizeof(got), "%s/%s=%s", r->policy, r->rule, eg__outcome_name(r->outcome));
		if (want == NULL || strcmp(got, want) != 0)
			bad = 1;
		if (bad)
			cr_log_error("%s: reason %zu: %s (want %s): %s", file, i, got,
			             want ? want : "none", r->message);
		if (r->unverified && strstr(r->message, "[Unverified: ") == NULL) {
			cr_log_error("%s: unverified reason %s does not say so", file, r->rule);
			bad = 1;
		}
	}
	if (fx.screens > (int)json_array_size(json_object_get(json_object_get(sc, "deal"), "parties"))) {
		cr_log_error("%s: %d screens: a party was screened twice", file, fx.screens);
		bad = 1;
	}
	eg__policy_decision_free(dec);
	return bad;
}

static json_t *load_scenario(const char *name)
{
	char path[512];
	json_error_t je;
	json_t *sc;

	snprintf(path, sizeof(path), "%s/%s", DEALS, name);
	sc = json_load_file(path, 0, &je);
	cr_assert_not_null(sc, "%s: %s", path, je.text);
	return sc;
}

Test(policy, scenarios)
{
	DIR *d = opendir(DEALS);
	struct dirent *de;
	int n = 0, n_bad = 0, failed = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);
		json_t *sc;

		if (nl < 6 || strcmp(de->d_name + nl - 5, ".json") != 0)
			continue;
		sc = load_scenario(de->d_name);
		if (json_object_get(sc, "error") != NULL)
			n_bad++;
		else
			n++;
		failed += check_scenario(de->d_name, sc);
		json_decref(sc);
	}
	closedir(d);
	cr_assert_geq(n, 40, "only %d decision scenarios", n);
	cr_assert_geq(n_bad, 20, "only %d bad deals", n_bad);
	cr_assert_eq(failed, 0, "%d of %d scenarios failed (see the log)", failed, n + n_bad);
}

/* Every reason of every scenario with its message and evidence, one line
 * each, as tests/data/policy-evidence.golden holds them: the evidence is
 * made only where it is kept (eval.c walks a rule twice), and must be what
 * it was when every leaf made its own. EG_UPDATE_GOLDEN=1 writes the file. */
Test(policy, evidence_of_every_scenario_as_recorded)
{
	const char *golden = "tests/data/policy-evidence.golden";
	struct dirent **names = NULL;
	char *got = NULL, *want = NULL;
	size_t got_len = 0;
	FILE *f = open_memstream(&got, &got_len);
	int i, n = scandir(DEALS, &names, NULL, alphasort);
	long want_len;

	cr_assert_not_null(f);
	cr_assert_gt(n, 0);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t nl = strlen(name), k;
		fixture fx;
		eg__policy_decision *dec = NULL;
		json_t *sc;

		if (nl < 6 || strcmp(name + nl - 5, ".json") != 0) {
			free(names[i]);
			continue;
		}
		sc = load_scenario(name);
		fx.hits = json_object_get(sc, "hits");
		fx.members = json_object_get(sc, "members");
		fx.screens = 0;
		if (json_object_get(sc, "error") == NULL) {
			cr_assert_eq(run(sc, &dec, &fx, &err), 0, "%s: %s", name, err.message);
			for (k = 0; k < dec->n_reasons; k++) {
				char *ev = json_dumps(dec->reasons[k].evidence, JSON_COMPACT | JSON_SORT_KEYS);
				fprintf(f, "%s %s/%s %s %s\n", name, dec->reasons[k].policy,
				        dec->reasons[k].rule, dec->reasons[k].message, ev);
				free(ev);
			}
			eg__policy_decision_free(dec);
		}
		json_decref(sc);
		free(names[i]);
	}
	free(names);
	fclose(f);
	if (getenv("EG_UPDATE_GOLDEN") != NULL) {
		cr_assert_not_null(f = fopen(golden, "w"));
		fwrite(got, 1, got_len, f);
		fclose(f);
	}
	cr_assert_not_null(f = fopen(golden, "r"), "%s is missing", golden);
	fseek(f, 0, SEEK_END);
	want_len = ftell(f);
	rewind(f);
	cr_assert_not_null(want = malloc((size_t)want_len + 1));
	cr_assert_eq(fread(want, 1, (size_t)want_len, f), (size_t)want_len);
	want[want_len] = '\0';
	fclose(f);
	cr_assert_str_eq(got, want, "the evidence differs from %s", golden);
	free(got);
	free(want);
}

/* ---- evidence and JSON ---- */

static eg__policy_decision *decide_file(const char *name, json_t **sc_out)
{
	json_t *sc = load_scenario(name);
	fixture fx = {json_object_get(sc, "hits"), json_object_get(sc, "members"), 0};
	eg__policy_decision *dec;
	int rc = run(sc, &dec, &fx, &err);

	cr_assert_eq(rc, 0, "%s", err.message);
	*sc_out = sc;
	return dec;
}

Test(policy, screening_evidence_names_party_list_entity_and_score)
{
	json_t *sc, *ev;
	eg__policy_decision *dec = decide_file("us-nso-2021-11-04.json", &sc);

	ev = json_array_get(dec->reasons[0].evidence, 0);
	cr_assert_str_eq(json_string_value(json_object_get(ev, "kind")), "screening");
	cr_assert_eq(json_integer_value(json_object_get(ev, "party")), 0);
	cr_assert_str_eq(json_string_value(json_object_get(ev, "party_name")), "NSO Group");
	cr_assert_str_eq(json_string_value(json_object_get(ev, "source")), "us-csl");
	cr_assert_eq(json_integer_value(json_object_get(ev, "list_version")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(ev, "uid")),
	                 "9bb32c725b10b9658db3bc6cf92b6c6830195e42");
	cr_assert_str_eq(json_string_value(json_object_get(ev, "matched_name")), "NSO Group");
	cr_assert_float_eq(json_real_value(json_object_get(ev, "score")), 1.0, 1e-9);
	cr_assert_str_eq(json_string_value(json_object_get(ev, "listed_on")), "2021-11-04");
	cr_assert_str_eq(dec->reasons[0].citation->date, "2021-11-04");
	cr_assert_not(dec->reasons[0].unverified);
	eg__policy_decision_free(dec);
	json_decref(sc);
}

Test(policy, unknown_membership_is_review_saying_so)
{
	json_t *sc, *ev;
	eg__policy_decision *dec = decide_file("il-br-2021-10-31.json", &sc);

	cr_assert_eq(dec->outcome, EG__OUTCOME_REVIEW);
	cr_assert(dec->reasons[0].undecided);
	cr_assert_not_null(strstr(dec->reasons[0].message, "does not know whether BR is a member"),
	                   "%s", dec->reasons[0].message);
	cr_assert_not_null(strstr(dec->reasons[0].message, "no guess"));
	ev = json_array_get(dec->reasons[0].evidence, 0);
	cr_assert_str_eq(json_string_value(json_object_get(ev, "list")), "il-cyber-exempt");
	cr_assert_str_eq(json_string_value(json_object_get(ev, "effective")), "2017-01-01");
	cr_assert_str_eq(json_string_value(json_object_get(ev, "answer")), "unknown");
	eg__policy_decision_free(dec);
	json_decref(sc);

	dec = decide_file("il-before-any-list.json", &sc);
	cr_assert_eq(dec->outcome, EG__OUTCOME_REVIEW);
	ev = json_array_get(dec->reasons[0].evidence, 0);
	cr_assert(json_is_null(json_object_get(ev, "effective")));
	cr_assert_not_null(json_object_get(ev, "note"));
	eg__policy_decision_free(dec);
	json_decref(sc);
}

Test(policy, decision_json_has_every_field)
{
	json_t *sc, *j, *r;
	eg__policy_decision *dec = decide_file("il-ae-2021-11-01.json", &sc);

	j = eg__policy_decision_json(dec);
	cr_assert_not_null(j);
	cr_assert_str_eq(json_string_value(json_object_get(j, "decision")), "licence_required");
	r = json_array_get(json_object_get(j, "reasons"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(r, "policy")), "il-deca-cyber");
	cr_assert_str_eq(json_string_value(json_object_get(r, "policy_version")), "2021.11-1");
	cr_assert_str_eq(json_string_value(json_object_get(r, "rule")), "outside-exemption-list");
	cr_assert(json_is_true(json_object_get(r, "unverified")));
	cr_assert_not_null(json_object_get(json_object_get(r, "citation"), "instrument"));
	cr_assert_eq(json_array_size(json_object_get(j, "policies")), 1);
	cr_assert_eq(json_array_size(json_object_get(j, "country_lists")), 1);
	json_decref(j);
	eg__policy_decision_free(dec);
	json_decref(sc);
}

/* ---- policy files ---- */

Test(policy, bundled_policies_load)
{
	const eg__policy *p = eg__policy_set_find(set, "us-ear-cyber");

	cr_assert_eq(eg__policy_set_count(set), 3);
	cr_assert_not_null(p);
	cr_assert_str_eq(p->version, "2022.03-1");
	cr_assert_str_eq(p->rules[0].id, "entity-list-presumption-of-denial");
	cr_assert(eg__policy_for_exporter(eg__policy_set_find(set, "il-deca-cyber"), "IL"));
	cr_assert(eg__policy_for_exporter(eg__policy_set_find(set, "eu-dual-use-cyber"), "DE"));
	cr_assert_not(eg__policy_for_exporter(p, "IL"));
}

static const char *base_policy =
	"{\"policy\": \"t\", \"version\": \"1\", \"title\": \"T\", \"exporter_countries\": [\"IL\"],"
	" \"rules\": [{\"id\": \"r\", \"outcome\": \"deny\", \"message\": \"m\","
	" \"citation\": {\"instrument\": \"i\", \"article\": \"a\", \"date\": \"2021-11-04\"},"
	" \"when\": %s}]}";

static int parse_policy_when(const char *when, eg_error *e)
{
	char buf[2048];
	eg__policy_set *s = NULL;
	int rc;

	snprintf(buf, sizeof(buf), base_policy, when);
	rc = eg__policy_parse_mem(&s, buf, strlen(buf), "t", items, &iso, lists, e);
	eg__policy_set_free(s);
	return rc;
}

Test(policy, bad_conditions_name_their_path)
{
	static const struct { const char *when, *msg; } cases[] = {
		{"{\"classification\": [\"9Z999\"]}", "t: $.rules[0].when.classification[0]: \"9Z999\" is not a classification"},
		{"{\"category\": [\"spyware\"]}", "$.rules[0].when.category[0]: \"spyware\" is not a category"},
		{"{\"destination_in\": \"no-such-list\"}", "$.rules[0].when.destination_in: \"no-such-list\" is not a country list"},
		{"{\"role\": [\"end_user\"]}", "$.rules[0].when.role: a party condition outside \"party\""},
		{"{\"party\": {\"party\": {\"role\": [\"end_user\"]}}}", "$.rules[0].when.party.party: \"party\" inside \"party\""},
		{"{\"all\": []}", "$.rules[0].when.all: not a non-empty array"},
		{"{\"any\": [{\"end_use_flag\": [\"x\"]}]}", "$.rules[0].when.any[0].end_use_flag[0]: \"x\" is not an end-use flag"},
		{"{\"date\": {\"from\": \"2022-03-07\", \"before\": \"2022-03-07\"}}", "$.rules[0].when.date: \"from\" 2022-03-07 is not before"},
		{"{\"date\": {\"from\": \"2022-02-30\"}}", "$.rules[0].when.date.from: \"2022-02-30\" is not a date"},
		{"{\"party\": {\"hit\": {\"min_score\": 0.9, \"below_score\": 0.8}}}", "$.rules[0].when.party.hit: below_score 0.8 is not above"},
		{"{\"party\": {\"hit\": {\"min_score\": 1.5}}}", "$.rules[0].when.party.hit.min_score: not a score"},
		{"{\"party\": {\"hit\": {\"sources\": [\"us-csl\"]}}}", "$.rules[0].when.party.hit.min_score: missing"},
		{"{\"frobnicate\": 1}", "$.rules[0].when.frobnicate: unknown condition"},
		{"{\"not\": {\"type\": [\"ngo\"]}}", "a party condition outside"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&err, 0, sizeof(err));
		cr_expect_neq(parse_policy_when(cases[i].when, &err), 0, "%s", cases[i].when);
		cr_expect_not_null(strstr(err.message, cases[i].msg), "%s: got \"%s\"", cases[i].when,
		                   err.message);
	}
	cr_assert_eq(parse_policy_when("{\"party\": {\"type\": [\"bank\"]}}", &err), 0, "%s",
	             err.message);
}

Test(policy, bad_policy_fields_name_their_path)
{
	static const struct { const char *doc, *msg; } cases[] = {
		{"{\"policy\": \"u\"}", "t: $.policy: \"u\" is not the file's name \"t\""},
		{"{\"policy\": \"t\", \"version\": \"1\", \"title\": \"T\", \"exporter_countries\": [\"XK\"], \"rules\": []}", "$.exporter_countries[0]: \"XK\" is not an ISO"},
		{"{\"policy\": \"t\", \"version\": \"1\", \"title\": \"T\", \"exporter_countries\": [\"IL\"], \"rules\": []}", "$.rules: not a non-empty array"},
		{"{\"policy\": \"t\", \"title\": \"T\"}", "$.version: missing"},
		{"{\"policy\": \"t\", \"version\": \"1\", \"title\": \"T\", \"exporter_countries\": [\"IL\"], \"rules\": [{\"id\": \"r\", \"outcome\": \"forbid\"}]}", "$.rules[0].outcome: \"forbid\" is not an outcome"},
		{"{\"policy\": \"t\", \"version\": \"1\", \"title\": \"T\", \"exporter_countries\": [\"IL\"], \"rules\": [{\"id\": \"r\", \"outcome\": \"deny\", \"message\": \"m\"}]}", "$.rules[0].citation: missing"},
		{"{\"policy\": \"t\", \"version\": \"1\", \"title\": \"T\", \"exporter_countries\": [\"IL\"], \"rules\": [{\"id\": \"r\", \"outcome\": \"deny\", \"message\": \"m\", \"unverified\": true, \"citation\": {\"instrument\": \"i\", \"article\": \"a\", \"date\": \"2021-01-01\"}, \"when\": {\"date\": {\"from\": \"2021-01-01\"}}}]}", "$.rules[0].unverified_reason: missing"},
		{"{\"policy\": \"t\", \"extra\": 1}", "$.extra: unknown field"},
		{"{\"policy\": ", "t: line 1"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		eg__policy_set *s = NULL;

		memset(&err, 0, sizeof(err));
		cr_expect_neq(eg__policy_parse_mem(&s, cases[i].doc, strlen(cases[i].doc), "t", items,
		                                   &iso, lists, &err), 0, "%s", cases[i].doc);
		cr_expect_null(s);
		cr_expect_not_null(strstr(err.message, cases[i].msg), "%s: got \"%s\"", cases[i].doc,
		                   err.message);
	}
}

Test(policy, a_bad_file_refuses_the_whole_directory_and_keeps_the_old_set)
{
	char dir[] = "/tmp/eg-policy-XXXXXX", path[256];
	eg__policy_set *kept = set, *fresh = set;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.json", dir); /* the id "t" is the file name */
	f = fopen(path, "w");
	fprintf(f, base_policy, "{\"date\": {\"from\": \"2021-01-01\"}}");
	fclose(f);
	snprintf(path, sizeof(path), "%s/z-bad.json", dir);
	f = fopen(path, "w");
	fputs("{\"policy\": \"z-bad\", \"version\": 1}", f);
	fclose(f);
	memset(&err, 0, sizeof(err));
	cr_assert_eq(eg__policy_set_load_dir(&fresh, dir, items, &iso, lists, &err), EG_EINVAL);
	cr_assert_eq(fresh, kept);
	cr_assert_not_null(strstr(err.message, "z-bad.json: $.version: not a string"), "%s",
	                   err.message);
	unlink(path);
	cr_assert_eq(eg__policy_set_load_dir(&fresh, dir, items, &iso, lists, &err), 0, "%s",
	             err.message);
	cr_assert_eq(eg__policy_set_count(fresh), 1);
	eg__policy_set_free(fresh);
	snprintf(path, sizeof(path), "%s/t.json", dir);
	unlink(path);
	rmdir(dir);
}

Test(policy, item_table)
{
	const eg__item_entry *e = eg__items_find(items, "5A001.j");

	cr_assert_not_null(e);
	cr_assert_str_eq(e->categories[0], "ip-surveillance");
	cr_assert(e->unverified);
	cr_assert_null(eg__items_find(items, "5a001.j"));
	cr_assert(eg__items_has_category(items, "cyber-surveillance"));
	cr_assert(eg__items_has_flag(items, "internal-repression"));
	memset(&err, 0, sizeof(err));
	{
		eg__items *bad = NULL;

		cr_assert_eq(eg__items_parse_mem(&bad, "{\"table\": \"items\"}", 18, "x.json", &err),
		             EG_EINVAL);
		cr_assert_null(bad);
		cr_assert_str_eq(err.message, "x.json: $.version: missing");
	}
}
