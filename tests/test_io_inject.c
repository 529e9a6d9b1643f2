/* test_io_inject.c - I/O failure injection (issue 13 item 13): through the
 * failing VFS of vfs_fault.h, the 1st, 2nd, ... write, sync or lock of an
 * import, and of a logged decision, fails, or the disk is full from the Nth
 * write on, until the operation succeeds without reaching the fault. Each
 * run must either have committed whole (what the run without faults
 * leaves) or leave the store exactly as it was (same versions, counts and
 * log size); a failure must be EG_ESTORE with the cause named ("disk
 * full", "I/O error"); the store must then pass PRAGMA integrity_check and
 * its log verify. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exportgate.h"
#include "store_fixture.h"
#include "vfs_fault.h"

static char dir[64];
static char store[128];

static void setup(void)
{
	cr_assert_eq(vf_install(), SQLITE_OK);
	vf_arm(VF_NONE, 0);
	snprintf(dir, sizeof(dir), "/tmp/eg-io-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(store, sizeof(store), "%s/store.db", dir);
}

static void teardown(void)
{
	char cmd[128];

	vf_arm(VF_NONE, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(io_inject, .init = setup, .fini = teardown, .timeout = 600);

static eg_engine *open_engine(void)
{
	eg_open_options o = EG_OPEN_OPTIONS_INIT;
	eg_engine *e = NULL;
	eg_error err = {0};

	o.store_path = store;
	o.index_dir = "";
	cr_assert_eq(eg_engine_open(&e, &o, &err), 0, "%s", err.message);
	return e;
}

/* The store as the public API sees it: versions with counts, log size. */
typedef struct snapshot {
	char text[4096];
} snapshot;

static void take(snapshot *s)
{
	eg_engine *e = open_engine();
	eg_list_version *v = NULL;
	eg_error err = {0};
	uint64_t log = 0;
	size_t i, n, used = 0;
	int w;

	cr_assert_eq(eg_list_versions(e, &v, &n, &err), 0, "%s", err.message);
	for (i = 0; i < n; i++) {
		w = snprintf(s->text + used, sizeof(s->text) - used, "%lld %s %s %s %zu %zu\n",
		             (long long)v[i].id, v[i].source, v[i].published, v[i].sha256,
		             v[i].entities, v[i].names);
		cr_assert(w > 0 && (size_t)w < sizeof(s->text) - used);
		used += (size_t)w;
	}
	eg_list_versions_free(v);
	cr_assert_eq(eg_audit_size(e, &log, &err), 0, "%s", err.message);
	w = snprintf(s->text + used, sizeof(s->text) - used, "log %llu\n", (unsigned long long)log);
	cr_assert(w > 0 && (size_t)w < sizeof(s->text) - used);
	if (log > 0) {
		char *report = NULL;
		int ok = 0;
		cr_assert_eq(eg_audit_verify(e, &report, &ok, NULL, 0, &err), 0, "%s", err.message);
		cr_assert(ok, "the log does not verify: %s", report);
		eg_free(report);
	}
	eg_engine_free(e);
}

static void integrity_ok(const char *what, long n)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const unsigned char *t;

	cr_assert_eq(sqlite3_open_v2(store, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	t = sqlite3_column_text(st, 0);
	cr_assert(t != NULL && strcmp((const char *)t, "ok") == 0, "%s, fault %ld: "
	          "integrity_check: %s", what, n, t ? (const char *)t : "(null)");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* --- the operations ---------------------------------------------------------- */

typedef int (*op_fn)(eg_engine *e, eg_error *err);

static int op_import(eg_engine *e, eg_error *err)
{
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;
	eg_list_version v;
	char path[160];

	snprintf(path, sizeof(path), "%s/dpl.txt", dir);
	o.path = path;
	o.published = "2023-11-01";
	return eg_import(e, &v, &o, err);
}

static const char deal[] =
	"{\"date\": \"2022-06-01\", \"exporter\": {\"name\": \"X\", \"country\": \"US\"}, "
	"\"items\": [{\"classification\": \"4D004\"}], \"destination\": \"DE\", "
	"\"parties\": [{\"role\": \"end_user\", \"name\": \"Nicolas Maduro Moros\", "
	"\"country\": \"VE\", \"type\": \"private\"}], "
	"\"end_use\": {\"statements\": [], \"flags\": []}}";

static int op_decide(eg_engine *e, eg_error *err)
{
	eg_decision *d = NULL;
	int rc = eg_decide(e, &d, deal, sizeof(deal) - 1, NULL, err);

	if (rc == 0)
		cr_assert_geq(d->audit_index, 0, "a decision is logged");
	eg_decision_free(d);
	return rc;
}

/* The store every run starts from: an SDN version and a logged decision
 * (the log's tables and its first record exist); dir/dpl.txt the first
 * 40 lines of the bundled BIS Denied Persons List, to import. */
static void seed(void)
{
	eg_engine *e = open_engine();
	eg_import_options o = EG_IMPORT_OPTIONS_INIT;
	eg_list_version v;
	eg_error err = {0};
	char cmd[256];

	o.source = "us-ofac-sdn";
	o.path = "tests/data/ofac_csv/good";
	o.published = "2021-01-01";
	cr_assert_eq(eg_import(e, &v, &o, &err), 0, "%s", err.message);
	cr_assert_eq(op_decide(e, &err), 0, "%s", err.message);
	eg_engine_free(e);
	snprintf(cmd, sizeof(cmd), "head -n 40 data/lists/us_bis_dpl_2023-11/dpl.txt >%s/dpl.txt",
	         dir);
	cr_assert_eq(system(cmd), 0);
}

/* The cause a failure of kind must name. */
static const char *cause_of(vf_kind kind)
{
	return kind == VF_FULL ? "disk full" : "I/O error";
}

static void inject(op_fn op, vf_kind kind, const char *what)
{
	snapshot before, after, clean;
	char pristine[160];
	long n, failed = 0, absorbed = 0, committed_anyway = 0;
	int done = 0;

	seed();
	take(&before);
	snprintf(pristine, sizeof(pristine), "%s/pristine.db", dir);
	copy_store(store, pristine);
	{ /* the run without faults: what a whole commit leaves */
		eg_engine *e = open_engine();
		eg_error err = {0};
		cr_assert_eq(op(e, &err), 0, "%s: %s", what, err.message);
		eg_engine_free(e);
		take(&clean);
		cr_assert_str_neq(before.text, clean.text, "%s changes the store", what);
	}
	for (n = 1; !done; n++) {
		eg_engine *e;
		eg_error err = {0};
		int rc, fired;

		copy_store(pristine, store);
		e = open_engine();
		vf_arm(kind, n);
		rc = op(e, &err);
		fired = vf_fired();
		vf_arm(VF_NONE, 0);
		eg_engine_free(e);
		integrity_ok(what, n);
		take(&after);
		if (!fired) {
			cr_assert_eq(rc, 0, "%s: failed with no fault: %s", what, err.message);
			cr_assert_str_eq(after.text, clean.text, "%s", what);
			done = 1;
		} else if (rc == 0) {
			absorbed++;
			cr_assert_str_eq(after.text, clean.text, "%s, %s %ld failing: succeeded, "
			                 "but the store is not what it commits", what, vf_kind_name(kind), n);
		} else {
			failed++;
			cr_assert_eq(rc, EG_ESTORE, "%s, %s %ld failing: %s: %s", what,
			             vf_kind_name(kind), n, eg_err_name(rc), err.message);
			cr_assert_eq(err.code, EG_ESTORE, "%s: err.code %d", what, err.code);
			cr_assert_not_null(strstr(err.message, cause_of(kind)), "%s, %s %ld failing: "
			                   "the cause is not named: %s", what, vf_kind_name(kind), n,
			                   err.message);
			if (strcmp(after.text, clean.text) == 0)
				committed_anyway++;
			else
				cr_assert_str_eq(after.text, before.text, "%s, %s %ld failing (%s): the "
				                 "store is neither as before nor whole", what,
				                 vf_kind_name(kind), n, err.message);
		}
		cr_assert_lt(n, 100000, "%s never succeeded", what);
	}
	fprintf(stderr, "io_inject: %s, %s: %ld calls, %ld runs failing with EG_ESTORE (%ld of "
	        "them committed whole), %ld absorbing the fault\n", what, vf_kind_name(kind),
	        n - 1, failed, committed_anyway, absorbed);
}

Test(io_inject, import_write) { inject(op_import, VF_WRITE, "import"); }
Test(io_inject, import_sync) { inject(op_import, VF_SYNC, "import"); }
Test(io_inject, import_lock) { inject(op_import, VF_LOCK, "import"); }
Test(io_inject, import_full) { inject(op_import, VF_FULL, "import"); }
Test(io_inject, decide_write) { inject(op_decide, VF_WRITE, "decide"); }
Test(io_inject, decide_sync) { inject(op_decide, VF_SYNC, "decide"); }
Test(io_inject, decide_lock) { inject(op_decide, VF_LOCK, "decide"); }
Test(io_inject, decide_full) { inject(op_decide, VF_FULL, "decide"); }
