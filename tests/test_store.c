/* test_store.c - the store interface (src/store/store.h): opening by URI, and
 * the contract of every operation, run against each back end.
 *
 * Every STORE_TEST runs twice: in suite store_sqlite on a new SQLite file,
 * and in suite store_pg on a new database of the PostgreSQL server that
 * EG_TEST_PG_URI names (tests/pg/run.sh starts a throwaway one and sets it;
 * scripts/test.sh runs the suite that way, and fails when no server can be
 * started). Without EG_TEST_PG_URI the store_pg tests are skipped, with a
 * message saying so. */
#include <criterion/criterion.h>

#include "audit/log.h"
#include "audit/verify.h"
#include "store/store.h"
#include "store_fixture.h"
#include "util/alloc.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[256];
static char db_path[300];

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/eg-store-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db_path, sizeof(db_path), "%s/store.db", dir);
}

static void remove_dir(void)
{
	const char *sfx[] = {"", "-wal", "-shm"};
	char p[400];
	size_t k;

	for (k = 0; k < 3; k++) {
		snprintf(p, sizeof(p), "%s%s", db_path, sfx[k]);
		unlink(p);
	}
	rmdir(dir);
}

TestSuite(store, .init = make_dir, .fini = remove_dir);

static void open_ok(const char *uri, int read_only)
{
	eg__store *st = NULL;
	eg_error err = {0};

	cr_assert_eq(eg__store_open(&st, uri, read_only, &err), 0, "%s: %s", uri, err.message);
	cr_assert_not_null(st);
	cr_assert_not_null(eg__store_sqlite_db(st));
	eg__store_close(st);
}

static void open_fails(const char *uri, int code, const char *message)
{
	eg__store *st = (eg__store *)&st;
	eg_error err = {0};

	cr_assert_eq(eg__store_open(&st, uri, 0, &err), code, "%s: %s", uri, err.message);
	cr_assert_null(st);
	cr_assert_not_null(strstr(err.message, message), "%s: %s", uri, err.message);
	cr_assert_null(strstr(err.message, "secret"), "a password is never echoed: %s",
	               err.message);
}

Test(store, sqlite_uri_and_plain_path_open_one_store)
{
	char uri[400];

	snprintf(uri, sizeof(uri), "sqlite:%s", db_path);
	open_ok(uri, 0);
	open_ok(db_path, 1);
	snprintf(uri, sizeof(uri), "sqlite://%s", db_path);
	open_ok(uri, 1);
}

Test(store, other_schemes_are_refused)
{
	open_fails("mysql://eg:secret@db.example/eg", EG_EUNSUPPORTED, "unknown scheme \"mysql\"");
	open_fails("sqlite:", EG_EINVAL, "no path");
	open_fails("", EG_EINVAL, "empty");
}

/* A server that is not there: a store error naming the URI without its
 * password, and nothing opened. No server is needed: the socket directory
 * does not exist. */
Test(store, postgres_down_is_a_store_error_without_the_password)
{
	char uri[512];

	snprintf(uri, sizeof(uri), "postgresql://eg:secret@/eg?host=%s/no-such-dir", dir);
	open_fails(uri, EG_ESTORE, "cannot connect");
	open_fails(uri, EG_ESTORE, "postgresql://eg:***@/eg?host=");
	snprintf(uri, sizeof(uri), "postgres:///eg?host=%s/no-such-dir&password=secret&user=eg",
	         dir);
	open_fails(uri, EG_ESTORE, "password=***&user=eg");
	snprintf(uri, sizeof(uri), "postgres://:secret@/eg?host=%s/no-such-dir&password=secret"
	         "&password=secret&password=&password=secret", dir);
	open_fails(uri, EG_ESTORE, "postgres://:***@/eg?host=");
	cr_assert(eg__store_is_postgres("postgres://x"));
	cr_assert(eg__store_is_postgres("postgresql://x"));
	cr_assert(!eg__store_is_postgres("postgresqlx://x"));
	cr_assert(!eg__store_is_postgres("sqlite:x"));
}

/* ---- one contract, two back ends ---------------------------------------- */

static int is_pg;            /* the back end of this test */
static char uri[1024];       /* its store */
static char pg_db[64];       /* the database made for this test */
static char pg_admin[1024];  /* EG_TEST_PG_URI, where databases are made */

/* base with its database name replaced by db ("scheme://auth/DB?params"). */
static void uri_with_db(char *out, size_t size, const char *base, const char *db)
{
	const char *auth = strstr(base, "://"), *path, *query;

	cr_assert_not_null(auth, "EG_TEST_PG_URI is not a URI: %s", base);
	auth += 3;
	path = auth + strcspn(auth, "/?");
	query = path + strcspn(path, "?");
	snprintf(out, size, "%.*s/%s%s", (int)(path - base), base, db, query);
}

static void pg_exec(const char *conninfo, const char *sql)
{
	PGconn *c = PQconnectdb(conninfo);
	PGresult *r;

	cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
	r = PQexec(c, sql);
	cr_assert(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK,
	          "%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

static void sqlite_setup(void)
{
	make_dir();
	is_pg = 0;
	snprintf(uri, sizeof(uri), "sqlite:%s", db_path);
}

static void sqlite_teardown(void)
{
	remove_dir();
}

/* A new database per test: tests run in parallel processes. */
static void pg_setup(void)
{
	const char *base = getenv("EG_TEST_PG_URI");
	char sql[128];

	is_pg = 1;
	pg_db[0] = '\0';
	if (base == NULL || base[0] == '\0')
		return;
	snprintf(pg_admin, sizeof(pg_admin), "%s", base);
	snprintf(pg_db, sizeof(pg_db), "eg_test_%ld_%ld", (long)getpid(), (long)time(NULL));
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", pg_db);
	pg_exec(pg_admin, sql);
	uri_with_db(uri, sizeof(uri), base, pg_db);
}

static void pg_teardown(void)
{
	char sql[128];

	if (pg_db[0] == '\0')
		return;
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", pg_db);
	pg_exec(pg_admin, sql);
}

static void need_backend(void)
{
	if (is_pg && pg_db[0] == '\0')
		cr_skip_test("EG_TEST_PG_URI is not set (tests/pg/run.sh starts a server and sets "
		             "it; scripts/test.sh always does)");
}

/* Runs SQL on the test's store through a connection of its own (another
 * process's view; the way damage is made). */
static void raw_exec(const char *sql)
{
	if (is_pg) {
		pg_exec(uri, sql);
	} else {
		sqlite3 *db = NULL;
		cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
		cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
		             sqlite3_errmsg(db));
		sqlite3_close(db);
	}
}

static eg__store *open_store(int read_only)
{
	eg__store *st = NULL;
	eg_error err = {0};

	cr_assert_eq(eg__store_open(&st, uri, read_only, &err), 0, "open %s: %s", uri,
	             err.message);
	cr_assert_not_null(st);
	return st;
}

TestSuite(store_sqlite, .init = sqlite_setup, .fini = sqlite_teardown);
TestSuite(store_pg, .init = pg_setup, .fini = pg_teardown);

#define STORE_TEST(name)                                        \
	static void name##_body(void);                              \
	Test(store_sqlite, name) { need_backend(); name##_body(); } \
	Test(store_pg, name) { need_backend(); name##_body(); }     \
	static void name##_body(void)

STORE_TEST(round_trip_every_field)
{
	eg__store *st = open_store(0);
	eg__entity_set in, out, again;
	eg_list_version v = version_of("us-ofac-sdn", "2024-05-01", 'a');
	eg_list_version got;
	eg_error err = {0};

	build_set(&in);
	add_ok(st, &v, &in);
	cr_assert_gt(v.id, 0);
	cr_assert_eq(v.entities, 3);
	cr_assert_eq(v.names, 8);
	cr_assert_eq(v.created, 1);
	cr_assert_eq(strlen(v.imported), 20, "imported %s", v.imported);
	cr_assert_eq(v.imported[10], 'T');
	cr_assert_eq(v.imported[19], 'Z');

	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load(st, &out, v.id, &err), 0, "%s", err.message);
	assert_sets_equal(&in, &out);
	cr_assert_str_eq(out.published, "2024-05-01");
	cr_assert_eq(eg__store_version_by_id(st, &got, v.id, &err), 0, "%s", err.message);
	assert_version_eq(&got, &v);
	cr_assert_eq(eg__store_check(st, &err), 0, "%s", err.message);
	eg__store_close(st);

	/* A second connection, read-only, sees the committed version. */
	st = open_store(1);
	eg__entity_set_init(&again);
	cr_assert_eq(eg__store_load(st, &again, v.id, &err), 0, "%s", err.message);
	assert_sets_equal(&in, &again);
	eg__store_close(st);
	eg__entity_set_free(&in);
	eg__entity_set_free(&out);
	eg__entity_set_free(&again);
}

/* Text that a text format must escape survives, byte for byte. */
STORE_TEST(awkward_text_round_trips)
{
	eg__store *st = open_store(0);
	eg__entity_set in, out;
	eg_list_version v = version_of("un-sc", "", 'f');
	eg_error err = {0};
	eg__entity *e;
	static const char odd[] = "tab\there\\N back\\slash\nnew line\r\\. end; 'q' \"qq\" ÄÖ 王";

	eg__entity_set_init(&in);
	e = eg__entity_set_add(&in, "u\t1", 3, NULL);
	cr_assert_not_null(e);
	add_name(&in, e, odd, EG__NAME_PRIMARY, 0);
	cr_assert_eq(eg__entity_set_str(&in, &e->remarks, "\\N", 2), 0);
	cr_assert_eq(eg__entity_add_attr(&in, e, "k\\", odd, strlen(odd)), 0);
	add_ok(st, &v, &in);
	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load(st, &out, v.id, &err), 0, "%s", err.message);
	assert_sets_equal(&in, &out);
	eg__entity_set_free(&in);
	eg__entity_set_free(&out);
	eg__store_close(st);
}

STORE_TEST(as_of_rule_and_previous_version)
{
	eg__store *st = open_store(0);
	eg__entity_set s;
	eg_list_version a1 = version_of("us-ofac-sdn", "2021-07-07", '1');
	eg_list_version a2 = version_of("us-ofac-sdn", "2024-05-03", '2');
	eg_list_version a3 = version_of("us-ofac-sdn", "2024-05-03", '3'); /* a tie: later wins */
	eg_list_version b1 = version_of("un-sc", "", '4');                 /* import day */
	eg_list_version got, *list = NULL;
	eg_error err = {0};
	char day[11];
	size_t n = 0;

	build_plain(&s, 3, "a");
	add_ok(st, &a2, &s);
	add_ok(st, &a1, &s);
	add_ok(st, &a3, &s);
	add_ok(st, &b1, &s);

	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", NULL, &err), 0);
	cr_assert_eq(got.id, a3.id);
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", "2024-05-03", &err), 0);
	cr_assert_eq(got.id, a3.id);
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", "2024-05-02", &err), 0);
	cr_assert_eq(got.id, a1.id);
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", "2021-07-06", &err),
	             EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, "us-ofac-sdn"), "%s", err.message);
	cr_assert_not_null(strstr(err.message, "2021-07-06"), "%s", err.message);
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", "2024-5-1", &err), EG_EINVAL);
	cr_assert_eq(eg__store_version_as_of(st, &got, "eu-fsf", NULL, &err), EG_ENOTFOUND);

	today(day);
	cr_assert_eq(eg__store_version_as_of(st, &got, "un-sc", day, &err), 0, "%s", err.message);
	cr_assert_eq(got.id, b1.id);
	cr_assert_str_eq(got.published, "");
	cr_assert_eq(eg__store_version_as_of(st, &got, "un-sc", "2000-01-01", &err), EG_ENOTFOUND);

	cr_assert_eq(eg__store_versions(st, &list, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 4);
	cr_assert_str_eq(list[0].source, "un-sc");
	cr_assert_eq(list[1].id, a3.id);
	cr_assert_eq(list[2].id, a2.id);
	cr_assert_eq(list[3].id, a1.id);
	eg__free(list);

	cr_assert_eq(eg__store_previous_version(st, &got, &a3, &err), 0, "%s", err.message);
	cr_assert_eq(got.id, a2.id);
	cr_assert_eq(eg__store_previous_version(st, &got, &a2, &err), 0);
	cr_assert_eq(got.id, a1.id);
	memset(&got, 0, sizeof(got));
	cr_assert_eq(eg__store_previous_version(st, &got, &a1, &err), EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, "is the oldest"), "%s", err.message);
	cr_assert_eq(got.id, 0, "*out untouched on error");
	got = a1;
	snprintf(got.source, sizeof(got.source), "us-csl");
	cr_assert_eq(eg__store_previous_version(st, &got, &got, &err), EG_EINVAL);
	eg__entity_set_free(&s);
	eg__store_close(st);
}

STORE_TEST(duplicate_content_and_bad_fields_change_nothing)
{
	eg__store *st = open_store(0);
	eg__entity_set s;
	eg_list_version v = version_of("us-csl", "2024-01-01", 'd');
	eg_list_version dup = version_of("us-csl", "2024-02-01", 'd');
	eg_list_version other = version_of("un-sc", "2024-02-01", 'd');
	eg_list_version got, *list = NULL;
	eg_error err = {0};
	size_t n = 0;

	build_plain(&s, 5, "d");
	add_ok(st, &v, &s);
	cr_assert_eq(eg__store_find_version(st, &got, "us-csl", v.sha256, &err), 0);
	assert_version_eq(&got, &v);
	dup.id = -3;
	cr_assert_eq(eg__store_add_version(st, &dup, &s, &err), EG_EEXISTS, "%s", err.message);
	cr_assert_eq(dup.id, -3, "the caller's version is untouched");
	cr_assert_eq(eg__store_find_version(st, &got, "un-sc", v.sha256, &err), EG_ENOTFOUND);
	add_ok(st, &other, &s); /* the same content in another source is another version */

	dup = version_of("us-csl", "2024-13", 'e');
	cr_assert_eq(eg__store_add_version(st, &dup, &s, &err), EG_EINVAL);
	dup = version_of("us-csl", "", 'E'); /* upper-case hex */
	cr_assert_eq(eg__store_add_version(st, &dup, &s, &err), EG_EINVAL);
	dup = version_of("", "", 'e');
	cr_assert_eq(eg__store_add_version(st, &dup, &s, &err), EG_EINVAL);
	dup = version_of("us-csl", "", 'e');
	dup.carries = EG_CARRIES_ALL + 1;
	cr_assert_eq(eg__store_add_version(st, &dup, &s, &err), EG_EINVAL);

	cr_assert_eq(eg__store_versions(st, &list, &n, &err), 0);
	cr_assert_eq(n, 2);
	eg__free(list);
	eg__entity_set_free(&s);
	eg__store_close(st);
}

/* An import that fails on its last entity, after thousands of rows: the
 * store is as it was, and no transaction is left open. */
STORE_TEST(atomic_on_a_failure_late_in_the_import)
{
	eg__store *st = open_store(0);
	eg__entity_set good, bad, out;
	eg_list_version v0 = version_of("us-ofac-sdn", "2024-01-10", '1');
	eg_list_version v = version_of("us-ofac-sdn", "2024-02-10", '2');
	eg_list_version later = version_of("us-ofac-sdn", "2024-03-10", '3');
	eg_list_version *list = NULL;
	eg_error err = {0};
	size_t n = 0;
	int rc;

	build_plain(&good, 10, "g");
	add_ok(st, &v0, &good);
	build_plain(&bad, 2000, "b");
	bad.v[bad.n - 1].uid = bad.v[0].uid; /* bypasses the set's own uid check */
	v.id = -7;
	rc = eg__store_add_version(st, &v, &bad, &err);
	cr_assert_eq(rc, EG_ESTORE, "rc %d: %s", rc, err.message);
	cr_assert_not_null(strstr(err.message, "2000"), "names the entity: %s", err.message);
	cr_assert_eq(v.id, -7);
	cr_assert_eq(eg__store_versions(st, &list, &n, &err), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(list[0].id, v0.id);
	eg__free(list);
	cr_assert_eq(eg__store_find_version(st, &v, "us-ofac-sdn", v.sha256, &err), EG_ENOTFOUND);
	cr_assert_eq(eg__store_check(st, &err), 0, "%s", err.message);

	add_ok(st, &later, &good);
	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load(st, &out, later.id, &err), 0, "%s", err.message);
	assert_sets_equal(&good, &out);
	eg__entity_set_free(&out);
	eg__entity_set_free(&good);
	eg__entity_set_free(&bad);
	eg__store_close(st);
}

STORE_TEST(read_only_handle_refuses_writes)
{
	eg__store *w = open_store(0), *r;
	eg__entity_set s;
	eg_list_version v = version_of("un-sc", "2024-01-01", 'c');
	eg_error err = {0};

	eg__store_close(w);
	r = open_store(1);
	build_plain(&s, 2, "r");
	cr_assert_eq(eg__store_add_version(r, &v, &s, &err), EG_EINVAL);
	cr_assert_not_null(strstr(err.message, "read-only"), "%s", err.message);
	eg__entity_set_free(&s);
	eg__store_close(r);
}

STORE_TEST(carries_and_types_round_trip)
{
	eg__store *st = open_store(0);
	eg__entity_set a, out;
	eg_list_version v = version_of("us-ofac-sdn", "2024-05-01", 'c');
	eg_list_version got, *list = NULL;
	eg_error err = {0};
	unsigned flags = EG_CARRIES_ALIASES | EG_CARRIES_PROGRAMS;
	size_t n = 0;

	build_plain(&a, 2, "c");
	a.v[1].type = EG_TYPE_UNKNOWN;
	v.carries = flags;
	add_ok(st, &v, &a);
	cr_assert_eq(eg__store_version_by_id(st, &got, v.id, &err), 0);
	cr_assert_eq(got.carries, flags);
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", NULL, &err), 0);
	cr_assert_eq(got.carries, flags);
	cr_assert_eq(eg__store_versions(st, &list, &n, &err), 0);
	cr_assert_eq(list[0].carries, flags);
	eg__free(list);
	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load(st, &out, v.id, &err), 0, "%s", err.message);
	cr_assert_eq(out.v[1].type, EG_TYPE_UNKNOWN);
	eg__entity_set_free(&out);
	eg__entity_set_free(&a);
	eg__store_close(st);
}

STORE_TEST(load_entities_by_position)
{
	eg__store *st = open_store(0);
	eg__entity_set small, big, all;
	eg_list_version vs = version_of("us-ofac-sdn", "2024-01-01", '1');
	eg_list_version vb = version_of("us-ofac-sdn", "2024-02-01", '2');
	uint32_t ord[] = {2, 0, 1};
	uint32_t far[] = {17999, 0, 9000, 123, 4567, 17000, 1, 2, 3, 12345};
	uint32_t past[] = {1, 3};
	uint32_t twice[] = {1, 1};
	eg_error err = {0};
	struct timespec t0, t1;
	int i, reps = 200;

	build_set(&small);
	build_plain(&big, 18000, "s");
	add_ok(st, &vs, &small);
	add_ok(st, &vb, &big);
	check_positions(st, vs.id, &small, ord, 3);
	check_positions(st, vb.id, &big, far, 10);

	eg__entity_set_init(&all);
	cr_assert_eq(eg__store_load(st, &all, vb.id, &err), 0, "%s", err.message);
	assert_sets_equal(&big, &all);
	eg__entity_set_free(&all);

	eg__entity_set_init(&all);
	cr_assert_eq(eg__store_load_entities(st, &all, vs.id, past, 2, &err), EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, "position 3"), "%s", err.message);
	cr_assert_eq(eg__store_load_entities(st, &all, vs.id, twice, 2, &err), EG_EINVAL);
	cr_assert_eq(eg__store_load_entities(st, &all, 999, ord, 1, &err), EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, "999"), "%s", err.message);
	eg__entity_set_free(&all);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < reps; i++) {
		eg__entity_set_init(&all);
		cr_assert_eq(eg__store_load_entities(st, &all, vb.id, far, 10, &err), 0);
		eg__entity_set_free(&all);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "measure: %s eg__store_load_entities 10 of 18000: %.1f us per call\n",
	        is_pg ? "postgresql" : "sqlite",
	        ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) /
	            reps);
	eg__entity_set_free(&small);
	eg__entity_set_free(&big);
	eg__store_close(st);
}

/* A changed row is a refused load (the rows' digest), a lost one too (the
 * count), a missing entity at a position a store error. */
STORE_TEST(damage_is_refused_never_screened)
{
	eg__store *st = open_store(0);
	eg__entity_set s, out;
	eg_list_version v = version_of("us-ofac-sdn", "2024-01-01", 'b');
	uint32_t pos[] = {1};
	eg_error err = {0};
	char sql[256];

	build_set(&s);
	add_ok(st, &v, &s);
	raw_exec("UPDATE name SET text = 'BNX' WHERE text = 'BNC'");
	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load(st, &out, v.id, &err), EG_ESTORE);
	cr_assert_not_null(strstr(err.message, "digest mismatch"), "%s", err.message);
	eg__entity_set_free(&out);
	raw_exec("UPDATE name SET text = 'BNC' WHERE text = 'BNX'");
	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load(st, &out, v.id, &err), 0, "%s", err.message);
	eg__entity_set_free(&out);

	/* The entity at position 1 and its rows removed. */
	if (is_pg) {
		snprintf(sql, sizeof(sql), "DELETE FROM name WHERE version_id = %lld AND pos = 1;"
		         "DELETE FROM entity WHERE version_id = %lld AND pos = 1",
		         (long long)v.id, (long long)v.id);
	} else {
		snprintf(sql, sizeof(sql), "DELETE FROM entity WHERE id = (SELECT min(id) + 1 FROM "
		         "entity WHERE version_id = %lld)", (long long)v.id);
	}
	raw_exec(sql);
	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load(st, &out, v.id, &err), EG_ESTORE);
	cr_assert_not_null(strstr(err.message, "damaged"), "%s", err.message);
	eg__entity_set_free(&out);
	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load_entities(st, &out, v.id, pos, 1, &err), EG_ESTORE);
	cr_assert_not_null(strstr(err.message, "missing"), "%s", err.message);
	eg__entity_set_free(&out);
	if (is_pg) { /* SQLite's quick_check does not count rows */
		cr_assert_eq(eg__store_check(st, &err), EG_ESTORE);
		cr_assert_not_null(strstr(err.message, "recorded"), "%s", err.message);
	}
	eg__entity_set_free(&s);
	eg__store_close(st);
}

static long alloc_count, fail_at = -1;

static void *failing_malloc(size_t size, void *ud)
{
	(void)ud;
	return alloc_count++ == fail_at ? NULL : malloc(size);
}

static void *failing_realloc(void *p, size_t size, void *ud)
{
	(void)ud;
	return alloc_count++ == fail_at ? NULL : realloc(p, size);
}

static void plain_free(void *p, void *ud)
{
	(void)ud;
	free(p);
}

static void fail_allocation(long n)
{
	eg_allocator a = {failing_malloc, failing_realloc, plain_free, NULL};

	alloc_count = 0;
	fail_at = n;
	eg_set_allocator(&a);
}

/* Every allocation of an open, a load and an import failed in turn: each
 * run fails with EG_ENOMEM and a message, leaks nothing (the ASan build),
 * and a failed import leaves no version behind. */
STORE_TEST(allocation_failures_fail_cleanly)
{
	eg__store *st = open_store(0);
	eg__entity_set in, out;
	eg_list_version v = version_of("us-ofac-sdn", "2024-05-01", 'a');
	eg_list_version *list = NULL;
	size_t n = 0;
	eg_error err = {0};
	long i;
	int rc, succeeded = 0;

	build_plain(&in, 1500, "m");
	add_ok(st, &v, &in);
	eg__store_close(st);
	for (i = 0; !succeeded && i < 10000; i++) {
		st = (eg__store *)&st;
		fail_allocation(i);
		rc = eg__store_open(&st, uri, 1, &err);
		if (rc == 0) {
			eg__entity_set_init(&out);
			rc = eg__store_load(st, &out, v.id, &err);
			if (rc == 0) {
				rc = eg__store_versions(st, &list, &n, &err);
				eg__free(list);
			}
			eg_set_allocator(NULL);
			if (rc == 0) {
				assert_sets_equal(&in, &out);
				succeeded = 1;
			}
			eg__entity_set_free(&out);
			eg__store_close(st);
		} else {
			eg_set_allocator(NULL);
			cr_assert_null(st);
		}
		eg_set_allocator(NULL);
		if (!succeeded) {
			cr_assert_eq(rc, EG_ENOMEM, "allocation %ld: rc %d: %s", i, rc, err.message);
			cr_assert_not_null(strstr(err.message, "out of memory"), "%s", err.message);
		}
	}
	cr_assert(succeeded, "no run got through");
	cr_assert_gt(i, 5, "the loop failed several allocations before succeeding");

	succeeded = 0;
	st = open_store(0);
	for (i = 0; !succeeded && i < 10000; i++) {
		eg_list_version w = version_of("us-ofac-sdn", "2024-06-01", 'b');
		fail_allocation(i);
		rc = eg__store_add_version(st, &w, &in, &err);
		eg_set_allocator(NULL);
		if (rc == 0) {
			succeeded = 1;
			break;
		}
		cr_assert_eq(rc, EG_ENOMEM, "allocation %ld: rc %d: %s", i, rc, err.message);
		cr_assert_eq(eg__store_versions(st, &list, &n, &err), 0, "%s", err.message);
		eg__free(list);
		cr_assert_eq(n, 1, "a failed import left a version behind");
	}
	cr_assert(succeeded, "no import got through");
	eg__store_close(st);
	eg__entity_set_free(&in);
}

static int changed_of(eg__store *st)
{
	eg_error err = {0};
	int c = -1;

	cr_assert_eq(eg__store_changed(st, &c, &err), 0, "%s", err.message);
	return c;
}

/* Another process's import (a forked child, its own handle). */
static void import_in_child(const char *source, char shachar)
{
	pid_t pid = fork();
	int status = 0;

	cr_assert_neq(pid, -1);
	if (pid == 0) {
		eg__store *st = NULL;
		eg__entity_set s;
		eg_list_version v = version_of(source, "2024-06-01", shachar);
		eg_error err = {0};
		build_plain(&s, 3, "child");
		if (eg__store_open(&st, uri, 0, &err) != 0 || eg__store_add_version(st, &v, &s, &err) != 0)
			_exit(1);
		eg__store_close(st);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child's import failed");
}

/* Another handle's commit is seen once its announcement arrives: at once
 * for SQLite (a shared counter), after PostgreSQL delivers the NOTIFY
 * (asynchronous, so the test waits for it, up to 10 s). */
static int wait_changed(eg__store *st)
{
	int k;

	for (k = 0; k < 10000; k++) {
		struct timespec ms = {0, 1000000};
		if (changed_of(st))
			return 1;
		nanosleep(&ms, NULL);
	}
	return 0;
}

STORE_TEST(changed_sees_every_commit_once)
{
	eg__store *a = open_store(0), *b = open_store(0), *r = open_store(1);
	eg__entity_set s;
	eg_list_version v1 = version_of("un-sc", "2024-01-01", '1');
	eg_list_version v2 = version_of("un-sc", "2024-02-01", '2');
	eg_list_version bad = v1;
	eg_error err = {0};
	struct timespec t0, t1;
	int i, n = 20000;

	build_plain(&s, 2, "d");
	cr_assert_eq(changed_of(a), 0, "first call after open");
	cr_assert_eq(changed_of(a), 0);
	add_ok(b, &v1, &s); /* another handle */
	cr_assert_eq(wait_changed(a), 1);
	cr_assert_eq(changed_of(a), 0, "reported once");
	cr_assert_eq(wait_changed(r), 1, "a read-only handle sees it too");
	cr_assert_eq(changed_of(b), 1, "its own commit, at once");
	cr_assert_eq(changed_of(b), 0);
	add_ok(a, &v2, &s); /* this handle's own commit */
	cr_assert_eq(changed_of(a), 1);
	cr_assert_eq(changed_of(a), 0);
	cr_assert_eq(wait_changed(b), 1);
	cr_assert_eq(changed_of(b), 0);
	cr_assert_eq(wait_changed(r), 1);
	cr_assert_eq(eg__store_add_version(a, &bad, &s, &err), EG_EEXISTS);
	cr_assert_eq(changed_of(a), 0, "a rolled-back import is no change");
	cr_assert_eq(changed_of(b), 0);
	import_in_child("us-csl", '3'); /* another process */
	cr_assert_eq(wait_changed(a), 1);
	cr_assert_eq(wait_changed(b), 1);
	cr_assert_eq(wait_changed(r), 1);
	cr_assert_eq(changed_of(r), 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		changed_of(a);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "measure: %s eg__store_changed %.2f us per call (%d calls)\n",
	        is_pg ? "postgresql" : "sqlite",
	        ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / n,
	        n);
	eg__entity_set_free(&s);
	eg__store_close(r);
	eg__store_close(b);
	eg__store_close(a);
}

STORE_TEST(schema_recorded_and_newer_schema_refused)
{
	eg__store *st = open_store(0), *again = (eg__store *)&again;
	eg_error err = {0};
	int at_open = -1, now = -1;

	cr_assert_eq(eg__store_schema(st, &at_open, &now), 0);
	cr_assert_eq(at_open, 0, "a new store");
	cr_assert_gt(now, 0);
	eg__store_close(st);
	st = open_store(1);
	cr_assert_eq(eg__store_schema(st, &at_open, &now), 0);
	cr_assert_eq(at_open, now, "nothing to migrate");
	eg__store_close(st);

	raw_exec(is_pg ? "INSERT INTO schema_version (version) VALUES (99)"
	               : "PRAGMA user_version = 99");
	cr_assert_eq(eg__store_open(&again, uri, 0, &err), EG_EUNSUPPORTED, "%s", err.message);
	cr_assert_null(again);
	cr_assert_not_null(strstr(err.message, "99"), "%s", err.message);
	cr_assert_eq(eg__store_open(&again, uri, 1, &err), EG_EUNSUPPORTED, "%s", err.message);
}

/* ---- PostgreSQL only ------------------------------------------------------ */

static int pg_count(const char *sql)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r;
	int n;

	cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
	r = PQexec(c, sql);
	cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(c));
	n = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	PQfinish(c);
	return n;
}

/* A reader never migrates: it names the command that does, and the
 * database stays empty. */
Test(store_pg, read_only_open_of_an_empty_database_writes_nothing)
{
	eg__store *st = (eg__store *)&st;
	eg_error err = {0};

	need_backend();
	cr_assert_eq(eg__store_open(&st, uri, 1, &err), EG_ESTORE);
	cr_assert_null(st);
	cr_assert_not_null(strstr(err.message, "exportgate store migrate"), "%s", err.message);
	cr_assert_eq(pg_count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), 0);
}

/* Several processes opening a new database at once: one migrates, the
 * others wait for its lock and find the work done. */
Test(store_pg, concurrent_first_opens_migrate_once)
{
	pid_t pids[4];
	int k, status;

	need_backend();
	for (k = 0; k < 4; k++) {
		pids[k] = fork();
		cr_assert_neq(pids[k], -1);
		if (pids[k] == 0) {
			eg__store *st = NULL;
			eg_error err = {0};
			if (eg__store_open(&st, uri, 0, &err) != 0) {
				fprintf(stderr, "child: %s\n", err.message);
				_exit(1);
			}
			eg__store_close(st);
			_exit(0);
		}
	}
	for (k = 0; k < 4; k++) {
		cr_assert_eq(waitpid(pids[k], &status, 0), pids[k]);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "open %d failed", k);
	}
	/* each migration applied once, the last one the program's */
	cr_assert_eq(pg_count("SELECT count(*) FROM schema_version"),
	             pg_count("SELECT max(version) FROM schema_version"));
	cr_assert_gt(pg_count("SELECT count(*) FROM pg_tables WHERE tablename = 'audit_record'"), 0);
}

/* A server restart under an open handle: the next call reconnects, and
 * `changed` says the view may be stale. */
Test(store_pg, a_lost_connection_is_reset_once)
{
	eg__store *st;
	eg_list_version got;
	eg_error err = {0};
	char sql[256];

	need_backend();
	st = open_store(0);
	cr_assert_eq(changed_of(st), 0);
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
	         "WHERE datname = '%s' AND pid <> pg_backend_pid()", pg_db);
	pg_exec(uri, sql);
	/* The first call finds the connection closed; it fails or reconnects,
	 * never answers from nothing. */
	if (eg__store_version_as_of(st, &got, "un-sc", NULL, &err) == EG_ESTORE)
		cr_assert_neq(err.message[0], '\0');
	cr_assert_eq(eg__store_version_as_of(st, &got, "un-sc", NULL, &err), EG_ENOTFOUND, "%s",
	             err.message);
	cr_assert_eq(changed_of(st), 1);

	/* The same in the middle of load_entities' pipeline. */
	{
		eg__entity_set s, out;
		eg_list_version v = version_of("un-sc", "2024-01-01", 'e');
		uint32_t pos[] = {2, 0};
		int rc;
		build_set(&s);
		add_ok(st, &v, &s);
		pg_exec(uri, sql);
		eg__entity_set_init(&out);
		rc = eg__store_load_entities(st, &out, v.id, pos, 2, &err);
		cr_assert(rc == 0 || rc == EG_ESTORE, "%d: %s", rc, err.message);
		eg__entity_set_free(&out);
		eg__entity_set_init(&out);
		cr_assert_eq(eg__store_load_entities(st, &out, v.id, pos, 2, &err), 0, "%s",
		             err.message);
		cr_assert_eq(out.n, 2);
		cr_assert_str_eq(out.v[0].uid, "2");
		eg__entity_set_free(&out);
		eg__entity_set_free(&s);
	}
	eg__store_close(st);
}

/* ---- the decision log in PostgreSQL (src/audit/log_pg.c) ----------------- */

/* Appends n records tagged by who to the log of the test's store, through
 * a handle of its own, in batches of 1 to 7. */
static int append_as(int who, int n)
{
	eg__store *st = NULL;
	eg__audit_store ops;
	eg__audit_log *log = NULL;
	eg_error err = {0};
	int i = 0, rc;

	if ((rc = eg__store_open(&st, uri, 0, &err)) != 0 ||
	    (rc = eg__audit_pg_open(&ops, eg__store_pg_conn(st), eg__store_pg_name(st), &err)) != 0 ||
	    (rc = eg__audit_open(&log, &ops, &err)) != 0) {
		fprintf(stderr, "append_as %d: %s\n", who, err.message);
		return 1;
	}
	while (i < n) {
		eg__audit_entry ents[7];
		char text[7][64];
		size_t k, batch = (size_t)(1 + (i * 5 + who) % 7);
		for (k = 0; k < batch && i < n; k++, i++) {
			int len = snprintf(text[k], sizeof(text[k]), "{\"who\":%d,\"n\":%d}", who, i);
			ents[k].time_ms = 1638316800000 + i;
			ents[k].payload = text[k];
			ents[k].len = (size_t)len;
		}
		if ((rc = eg__audit_append_batch(log, ents, k, &err)) != 0) {
			fprintf(stderr, "append_as %d: %s\n", who, err.message);
			return 1;
		}
	}
	eg__audit_close(log);
	eg__audit_pg_close(&ops);
	eg__store_close(st);
	return 0;
}

/* Three processes appending at once form one log, in one order, that
 * verifies; each one's records keep their own order. */
Test(store_pg, audit_log_appends_of_several_processes_form_one_order)
{
	enum { WRITERS = 3, EACH = 150 };
	eg__store *st;
	eg__audit_store ops;
	eg__audit_log *log = NULL;
	eg__audit_report r;
	eg__checkpoint_key *k = NULL;
	eg_error err = {0};
	pid_t pids[WRITERS];
	int next[WRITERS] = {0}, w, status;
	char path[400], *cp = NULL, *latest = NULL;
	uint64_t i;

	struct timespec t0, t1;

	need_backend();
	st = open_store(0); /* migrated before the writers start */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		cr_assert_neq(pids[w], -1);
		if (pids[w] == 0)
			_exit(append_as(w, EACH));
	}
	for (w = 0; w < WRITERS; w++) {
		cr_assert_eq(waitpid(pids[w], &status, 0), pids[w]);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d failed", w);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "measure: postgresql decision log, %d processes appending batches of 1 to 7: "
	        "%.0f records/s\n", WRITERS, WRITERS * EACH /
	        ((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9));
	cr_assert_eq(eg__audit_pg_open(&ops, eg__store_pg_conn(st), eg__store_pg_name(st), &err), 0,
	             "%s", err.message);
	cr_assert_eq(eg__audit_open(&log, &ops, &err), 0, "%s", err.message);
	cr_assert_eq(eg__audit_size(log), (uint64_t)WRITERS * EACH);
	for (i = 0; i < (uint64_t)WRITERS * EACH; i++) {
		eg__audit_record rec;
		int who = -1, n = -1;
		cr_assert_eq(eg__audit_get(log, &rec, i, &err), 0, "%s", err.message);
		cr_assert_eq(sscanf(rec.payload, "{\"who\":%d,\"n\":%d}", &who, &n), 2, "%s", rec.payload);
		cr_assert(who >= 0 && who < WRITERS);
		cr_assert_eq(n, next[who], "writer %d's records out of order at %llu", who,
		             (unsigned long long)i);
		next[who]++;
	}
	make_dir();
	snprintf(path, sizeof(path), "%s/audit.key", dir);
	cr_assert_eq(eg__checkpoint_key_load_or_create(&k, NULL, path, &err), 0, "%s", err.message);
	cr_assert_eq(eg__audit_checkpoint(log, &cp, k, "test/log", 1638317000000, &err), 0, "%s",
	             err.message);
	cr_assert_eq(eg__audit_latest_checkpoint(log, &latest, &err), 0, "%s", err.message);
	cr_assert_str_eq(cp, latest);
	cr_assert_eq(eg__audit_verify(&r, log, k, NULL, 0, &err), 0, "%s", err.message);
	cr_assert(r.ok, "%s", r.problem);
	cr_assert_eq(r.checked, (uint64_t)WRITERS * EACH);
	cr_assert(r.has_checkpoint);

	/* A changed payload is found. */
	pg_exec(uri, "UPDATE audit_record SET payload = convert_to('{\"who\":9,\"n\":9}', 'UTF8')"
	             " WHERE idx = 17");
	cr_assert_eq(eg__audit_verify(&r, log, k, NULL, 0, &err), 0, "%s", err.message);
	cr_assert(!r.ok);
	cr_assert_eq(r.first_bad, 17);
	unlink(path);
	rmdir(dir);
	eg__free(cp);
	eg__free(latest);
	eg__checkpoint_key_free(k);
	eg__audit_close(log);
	eg__audit_pg_close(&ops);
	eg__store_close(st);
}

/* A database at schema 1 (before the decision log) is migrated to the
 * current schema by a writable open; a reader of it is told to migrate. */
Test(store_pg, an_older_schema_is_migrated_by_a_writer_only)
{
	eg__store *st, *ro = (eg__store *)&ro;
	eg_error err = {0};
	int at_open = 0, now = 0;

	need_backend();
	st = open_store(0);
	eg__store_close(st);
	pg_exec(uri, "DROP TABLE audit_record, audit_node, audit_checkpoint, refresh_attempt,"
	             " batch_hit, batch_result, batch_chunk, batch_run, api_key, review;"
	             "DELETE FROM schema_version WHERE version >= 2");
	cr_assert_eq(eg__store_open(&ro, uri, 1, &err), EG_ESTORE);
	cr_assert_not_null(strstr(err.message, "schema version 1"), "%s", err.message);
	cr_assert_not_null(strstr(err.message, "store migrate"), "%s", err.message);
	st = open_store(0);
	cr_assert_eq(eg__store_schema(st, &at_open, &now), 0);
	cr_assert_eq(at_open, 1);
	cr_assert_eq(now, 5);
	cr_assert_eq(pg_count("SELECT count(*) FROM audit_record"), 0);
	cr_assert_eq(pg_count("SELECT count(*) FROM api_key"), 0);
	cr_assert_eq(pg_count("SELECT count(*) FROM review"), 0);
	cr_assert_eq(pg_count("SELECT count(*) FROM batch_chunk"), 0);
	cr_assert_eq(pg_count("SELECT count(*) FROM refresh_attempt"), 0);
	eg__store_close(st);
}

/* The attempts log of eg_refresh: what is added reads back, newest first,
 * filtered by source and by acceptance, limited; a read-only handle adds
 * nothing. */
STORE_TEST(refresh_attempts_log_round_trips)
{
	eg__store *st = open_store(0), *r;
	eg_refresh_attempt a, *got = NULL;
	eg_error err = {0};
	size_t n = 0, i;

	for (i = 0; i < 3; i++) {
		memset(&a, 0, sizeof(a));
		snprintf(a.source, sizeof(a.source), "%s", i == 1 ? "un-sc" : "us-ofac-sdn");
		snprintf(a.time, sizeof(a.time), "2026-12-0%zuT10:00:00Z", i + 1);
		a.millis = 1234 + (int64_t)i;
		a.outcome = i == 2 ? EG_REFRESH_FAILED : EG_REFRESH_IMPORTED;
		a.http_status = i == 2 ? 500 : 200;
		a.bytes = 3000000000ULL + i;
		snprintf(a.sha256, sizeof(a.sha256), "%064zu", i);
		a.version_id = (int64_t)i + 7;
		a.url = "https://example.org/sdn.csv";
		a.etag = i == 0 ? "\"abc\"" : "";
		a.last_modified = "Tue, 01 Dec 2026 10:00:00 GMT";
		a.reason = i == 2 ? "HTTP 500 from https://example.org/sdn.csv" : "";
		a.held_path = "";
		cr_assert_eq(eg__store_refresh_log_add(st, &a, &err), 0, "%s", err.message);
		cr_assert_gt(a.id, 0);
	}
	cr_assert_eq(eg__store_refresh_log_list(st, &got, &n, NULL, 0, 0, &err), 0, "%s",
	             err.message);
	cr_assert_eq(n, 3);
	cr_assert_eq(got[0].outcome, EG_REFRESH_FAILED, "newest first");
	cr_assert_eq(got[0].http_status, 500);
	cr_assert_str_eq(got[0].reason, "HTTP 500 from https://example.org/sdn.csv");
	cr_assert_eq(got[2].bytes, 3000000000ULL);
	cr_assert_str_eq(got[2].etag, "\"abc\"");
	cr_assert_str_eq(got[2].time, "2026-12-01T10:00:00Z");
	cr_assert_eq(got[2].millis, 1234);
	cr_assert_eq(got[2].version_id, 7);
	eg__store_refresh_attempts_free(got, n);
	cr_assert_eq(eg__store_refresh_log_list(st, &got, &n, "us-ofac-sdn", 1, 0, &err), 0);
	cr_assert_eq(n, 1, "the accepted attempts of one source");
	cr_assert_str_eq(got[0].source, "us-ofac-sdn");
	cr_assert_eq(got[0].outcome, EG_REFRESH_IMPORTED);
	eg__store_refresh_attempts_free(got, n);
	cr_assert_eq(eg__store_refresh_log_list(st, &got, &n, NULL, 0, 2, &err), 0);
	cr_assert_eq(n, 2, "limited");
	eg__store_refresh_attempts_free(got, n);
	eg__store_close(st);
	r = open_store(1);
	cr_assert_eq(eg__store_refresh_log_add(r, &a, &err), EG_ESTORE);
	cr_assert_not_null(strstr(err.message, "read-only"), "%s", err.message);
	eg__store_close(r);
}

/* API keys: what is added lists back oldest first, never with the key;
 * one key in force per name; a revoked key keeps its row and leaves the
 * keys in force; a read-only handle reads and refuses to write; a store no
 * key was ever added to has none. */
static eg__store_key key_of(const char *name, unsigned roles, unsigned char fill)
{
	eg__store_key k;

	memset(&k, 0, sizeof(k));
	snprintf(k.name, sizeof(k.name), "%s", name);
	k.roles = roles;
	memset(k.sha256, fill, sizeof(k.sha256));
	k.sha256[31] = 0x5c; /* a byte a text format would have to escape */
	snprintf(k.prefix, sizeof(k.prefix), "egk_%08x", (unsigned)fill);
	return k;
}

STORE_TEST(api_keys_add_list_revoke_count)
{
	eg__store *st = open_store(0), *r;
	eg__store_key a = key_of("admin", EG_ROLE_ADMIN | EG_ROLE_SCREEN, 0xa1);
	eg__store_key b = key_of("screener", EG_ROLE_SCREEN, 0x00);
	eg__store_key *in = NULL;
	eg_key_info *ks = NULL;
	eg_error err = {0};
	size_t n = 99;

	cr_assert_eq(eg__store_key_count(st, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 0, "a new store has no key");
	cr_assert_eq(eg__store_key_list(st, &ks, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 0);
	cr_assert_null(ks);
	cr_assert_eq(eg__store_keys_in_force(st, &in, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 0);
	cr_assert_eq(eg__store_key_add(st, &a, &err), 0, "%s", err.message);
	cr_assert_eq(eg__store_key_add(st, &b, &err), 0, "%s", err.message);
	cr_assert_eq(eg__store_key_add(st, &a, &err), EG_EEXISTS, "%s", err.message);
	cr_assert_not_null(strstr(err.message, "key admin exists already"), "%s", err.message);

	cr_assert_eq(eg__store_key_list(st, &ks, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(ks[0].name, "admin");
	cr_assert_eq(ks[0].roles, EG_ROLE_ADMIN | EG_ROLE_SCREEN);
	cr_assert_str_eq(ks[0].prefix, "egk_000000a1");
	cr_assert_eq(strlen(ks[0].created), 20, "created %s", ks[0].created);
	cr_assert_eq(ks[0].created[10], 'T');
	cr_assert_str_eq(ks[0].revoked, "");
	cr_assert_str_eq(ks[1].name, "screener");
	eg__free(ks);

	cr_assert_eq(eg__store_keys_in_force(st, &in, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(in[0].name, "admin");
	cr_assert_eq(in[0].roles, a.roles);
	cr_assert_eq(memcmp(in[0].sha256, a.sha256, 32), 0, "the hash round-trips byte for byte");
	cr_assert_eq(memcmp(in[1].sha256, b.sha256, 32), 0, "a hash of zero bytes too");
	eg__free(in);

	cr_assert_eq(eg__store_key_revoke(st, "screener", &err), 0, "%s", err.message);
	cr_assert_eq(eg__store_key_revoke(st, "screener", &err), EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, "no key in force named \"screener\""), "%s",
	                   err.message);
	cr_assert_eq(eg__store_key_revoke(st, "nobody", &err), EG_ENOTFOUND);
	cr_assert_eq(eg__store_key_count(st, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 1);
	/* the name is free again once revoked; the old row stays */
	b.sha256[0] = 0x77;
	cr_assert_eq(eg__store_key_add(st, &b, &err), 0, "%s", err.message);
	eg__store_close(st);

	r = open_store(1);
	cr_assert_eq(eg__store_key_list(r, &ks, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 3, "a revoked key keeps its row");
	cr_assert_str_eq(ks[1].name, "screener");
	cr_assert_eq(strlen(ks[1].revoked), 20, "revoked %s", ks[1].revoked);
	cr_assert_str_eq(ks[2].revoked, "");
	eg__free(ks);
	cr_assert_eq(eg__store_keys_in_force(r, &in, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(in[1].name, "screener");
	cr_assert_eq(in[1].sha256[0], 0x77, "the key in force is the new one");
	eg__free(in);
	cr_assert_eq(eg__store_key_add(r, &a, &err), EG_ESTORE);
	cr_assert_not_null(strstr(err.message, "read-only"), "%s", err.message);
	cr_assert_eq(eg__store_key_revoke(r, "admin", &err), EG_ESTORE);
	eg__store_close(r);
	/* no key was written by the refused calls */
	st = open_store(0);
	cr_assert_eq(eg__store_key_count(st, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 2);
	eg__store_close(st);
}

/* Whether the store holds a review of r's party with r's verdict naming r's
 * listing (eg__store_review_listings, as a decision reads them). */
static int reviewed(eg__store *st, const eg__store_review *r)
{
	char (*l)[65] = NULL;
	eg_error err = {0};
	size_t n = 0, i;
	int found = 0;

	cr_assert_eq(eg__store_review_listings(st, r->party, r->verdict, &l, &n, &err), 0, "%s",
	             err.message);
	for (i = 0; i < n; i++)
		found |= strcmp(l[i], r->listing) == 0;
	eg__free(l);
	return found;
}

/* Reviews: a recorded review is found by its party, verdict and listing,
 * by another connection too; a second review of the same listing
 * replaces the first; a store without reviews has none. */
STORE_TEST(reviews_put_find_replace)
{
	eg__store *st = open_store(0), *other;
	char listing[65], listing2[65];
	eg__store_review r, r2;
	eg_error err = {0};

	memset(listing, 'c', 64);
	listing[64] = '\0';
	memset(listing2, 'd', 64);
	listing2[64] = '\0';
	memset(&r, 0, sizeof(r));
	r.party = "nso group 'ltd' \\N";
	r.source = "us-csl";
	r.uid = "e-1";
	r.listing = listing;
	r.verdict = "false-positive";
	r.log_index = 7;
	cr_assert(!reviewed(st, &r), "no review yet");
	cr_assert_eq(eg__store_review_table(st, &err), 0, "%s", err.message);
	cr_assert_eq(eg__store_review_put(st, &r, &err), 0, "%s", err.message);
	cr_assert(reviewed(st, &r));
	/* a second listing of the same party: both are read at once */
	r2 = r;
	r2.uid = "e-2";
	r2.listing = listing2;
	cr_assert_eq(eg__store_review_put(st, &r2, &err), 0, "%s", err.message);
	cr_assert(reviewed(st, &r2));
	cr_assert(reviewed(st, &r));

	other = open_store(0);
	cr_assert(reviewed(other, &r), "another connection sees the review");
	r.verdict = "true-match";
	r.log_index = 9;
	cr_assert_eq(eg__store_review_put(other, &r, &err), 0, "%s", err.message);
	cr_assert(reviewed(st, &r));
	r.verdict = "false-positive";
	cr_assert(!reviewed(st, &r), "the later review replaced the false positive");
	cr_assert(reviewed(st, &r2), "the other listing's review stays");
	r2.party = "nso group";
	cr_assert(!reviewed(st, &r2), "another party");
	/* a verdict the table does not know is refused */
	r.verdict = "maybe";
	cr_assert_eq(eg__store_review_put(st, &r, &err), EG_ESTORE);
	eg__store_close(other);
	eg__store_close(st);
}
