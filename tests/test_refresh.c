/* test_refresh.c - eg_refresh's refusals before anything is attempted (bad
 * options, a source without a download, a read-only engine), an attempt
 * that fails recorded in the log with its reason, and eg_refresh_log. The
 * downloads themselves are tested by tests/cli/refresh.sh (a local HTTP
 * server) and test_fetch.c. */
#include <string.h>

#include "engine_fixture.h"

TestSuite(refresh, .init = setup, .fini = teardown, .timeout = 60);

Test(refresh, refusals_before_any_attempt)
{
	eg_engine *e = open_engine(), *ro = NULL;
	eg_refresh_options o = EG_REFRESH_OPTIONS_INIT;
	eg_open_options oo = EG_OPEN_OPTIONS_INIT;
	const char *bad[] = {"no-such-source"};
	eg_refresh_attempt *v = NULL;
	size_t n = 99;
	eg_error err;

	o.version = 0;
	cr_assert_eq(eg_refresh(e, &v, &n, &o, &err), EG_EINVAL);
	cr_assert_null(v);
	cr_assert_eq(n, 0);
	o.version = EG_REFRESH_OPTIONS_VERSION;
	o.url_base = "ftp://mirror.example/";
	cr_assert_eq(eg_refresh(e, &v, &n, &o, &err), EG_EINVAL);
	cr_assert(strstr(err.message, "ftp://mirror.example/") != NULL, "%s", err.message);
	o.url_base = NULL;
	o.sources = bad;
	o.n_sources = 1;
	cr_assert_eq(eg_refresh(e, &v, &n, &o, &err), EG_EINVAL);
	cr_assert(strstr(err.message, "\"no-such-source\" has no download") != NULL, "%s",
	          err.message);
	cr_assert_eq(eg_refresh_log(e, &v, &n, NULL, 0, &err), 0, "%s", err.message);
	cr_assert_eq(n, 0, "nothing was attempted");
	eg_engine_free(e);

	oo.store_path = store;
	oo.read_only = 1;
	cr_assert_eq(eg_engine_open(&ro, &oo, &err), 0, "%s", err.message);
	cr_assert_eq(eg_refresh(ro, &v, &n, NULL, &err), EG_ESTORE);
	eg_engine_free(ro);
}

Test(refresh, a_failed_attempt_is_logged_with_its_reason)
{
	eg_engine *e = open_engine();
	eg_refresh_options o = EG_REFRESH_OPTIONS_INIT;
	const char *src[] = {"un-sc"};
	eg_refresh_attempt *v = NULL, *log = NULL;
	char work[160];
	size_t n = 0, nlog = 0;
	eg_error err;

	snprintf(work, sizeof(work), "%s/work", dir);
	o.sources = src;
	o.n_sources = 1;
	o.url_base = "http://127.0.0.1:1/"; /* nothing listens on port 1 */
	o.connect_timeout_ms = 2000;
	o.work_dir = work;
	cr_assert_eq(eg_refresh(e, &v, &n, &o, &err), 0, "%s", err.message);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0].source, "un-sc");
	cr_assert_eq(v[0].outcome, EG_REFRESH_FAILED);
	cr_assert_str_eq(eg_refresh_outcome_name(v[0].outcome), "failed");
	cr_assert_str_eq(v[0].url, "http://127.0.0.1:1/un-sc/consolidated.xml");
	cr_assert_eq(strncmp(v[0].reason, "http://127.0.0.1:1/un-sc/consolidated.xml: ", 43), 0,
	             "%s", v[0].reason);
	cr_assert_str_eq(v[0].held_path, "");
	cr_assert(v[0].id > 0);

	cr_assert_eq(eg_refresh_log(e, &log, &nlog, "un-sc", 0, &err), 0, "%s", err.message);
	cr_assert_eq(nlog, 1);
	cr_assert_eq(log[0].id, v[0].id);
	cr_assert_eq(log[0].outcome, EG_REFRESH_FAILED);
	cr_assert_str_eq(log[0].reason, v[0].reason);
	cr_assert_str_eq(log[0].time, v[0].time);
	eg_refresh_attempts_free(log, nlog);
	cr_assert_eq(eg_refresh_log(e, &log, &nlog, "us-csl", 0, &err), 0, "%s", err.message);
	cr_assert_eq(nlog, 0);
	cr_assert_null(log);
	eg_refresh_attempts_free(v, n);

	{ /* no version appeared */
		eg_list_version *vs = NULL;
		size_t nv = 9;
		cr_assert_eq(eg_list_versions(e, &vs, &nv, &err), 0, "%s", err.message);
		cr_assert_eq(nv, 0);
		eg_list_versions_free(vs);
	}
	eg_engine_free(e);
}
