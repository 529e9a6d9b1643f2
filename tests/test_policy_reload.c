/* test_policy_reload.c - policies changed on disk while an engine runs
 * (a server): the next decision uses them, without a restart; a changed
 * directory that does not load leaves the set in use and says why. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exportgate.h"

#include "engine_fixture.h"

static char warnings[4096];

static void on_log(void *ud, eg_log_level level, const char *msg)
{
	(void)ud;
	if (level == EG_LOG_WARNING && strlen(warnings) + strlen(msg) + 2 < sizeof(warnings)) {
		strcat(warnings, msg);
		strcat(warnings, "\n");
	}
}

static const char deal[] =
	"{\"date\": \"2022-06-01\", \"exporter\": {\"name\": \"X\", \"country\": \"US\"}, "
	"\"items\": [{\"classification\": \"4D004\"}], \"destination\": \"DE\", "
	"\"parties\": [{\"role\": \"end_user\", \"name\": \"Hamburg Logistik GmbH\", "
	"\"country\": \"DE\", \"type\": \"private\"}], "
	"\"end_use\": {\"statements\": [], \"flags\": []}}";

/* The decision's JSON, which names the policies and versions it used. */
static char *decide_json(eg_engine *e)
{
	eg_decision *d = NULL;
	eg_error err;
	char *json;

	cr_assert_eq(eg_decide(e, &d, deal, sizeof(deal) - 1, NULL, &err), 0, "%s", err.message);
	cr_assert_geq(d->audit_index, 0);
	json = strdup(d->json);
	eg_decision_free(d);
	return json;
}

/* Rewrites the "version" of DIR/data/policies/us-ear-cyber.json to v. */
static void set_version(const char *v)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
	         "sed -i 's/\"version\": \"[^\"]*\"/\"version\": \"%s\"/' %s/data/policies/us-ear-cyber.json",
	         v, dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(policy_reload, .init = setup, .fini = teardown, .timeout = 60);

Test(policy_reload, changed_policies_are_used_by_the_next_decision)
{
	eg_open_options o = EG_OPEN_OPTIONS_INIT;
	eg_import_options io = EG_IMPORT_OPTIONS_INIT;
	eg_list_version v;
	eg_engine *e = NULL;
	eg_error err;
	char cmd[512], data[128], path[160], *j;
	FILE *f;

	snprintf(data, sizeof(data), "%s/data", dir);
	snprintf(cmd, sizeof(cmd), "mkdir %s && cp -r data/policies data/items.json data/countries data/sources.json %s",
	         data, data);
	cr_assert_eq(system(cmd), 0);
	o.store_path = store;
	o.data_dir = data;
	o.log = on_log;
	cr_assert_eq(eg_engine_open(&e, &o, &err), 0, "%s", err.message);
	io.path = "data/lists/ofac_sdn_2021-07";
	io.published = "2021-07-07";
	cr_assert_eq(eg_import(e, &v, &io, &err), 0, "%s", err.message);

	j = decide_json(e);
	cr_assert(strstr(j, "\"version\":\"2022.03-1\"") != NULL, "%s", j);
	free(j);

	/* a new version of the policy on disk: used once the check comes */
	set_version("reload-test-1");
	usleep(1100 * 1000);
	j = decide_json(e);
	cr_assert(strstr(j, "\"version\":\"reload-test-1\"") != NULL, "%s", j);
	cr_assert(strstr(j, "2022.03-1") == NULL, "%s", j);
	free(j);

	/* a file that does not parse: the set in use stays, with a warning */
	snprintf(path, sizeof(path), "%s/policies/us-ear-cyber.json", data);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs("{\"policy\": \"us-ear-cyber\", \"version\": ", f);
	fclose(f);
	usleep(1100 * 1000);
	warnings[0] = '\0';
	j = decide_json(e);
	cr_assert(strstr(j, "\"version\":\"reload-test-1\"") != NULL, "%s", j);
	free(j);
	cr_assert(strstr(warnings, "not reloaded") != NULL, "warnings: %s", warnings);
	cr_assert(strstr(warnings, "us-ear-cyber.json") != NULL, "warnings: %s", warnings);
	/* ... said once, not at every decision */
	warnings[0] = '\0';
	usleep(1100 * 1000);
	free(decide_json(e));
	cr_assert_str_eq(warnings, "");
	eg_engine_free(e);
}
