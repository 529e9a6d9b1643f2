/* engine_fixture.h - what the tests of the public API share: a temporary
 * directory per test with a store in it, and an engine opened on it.
 * Included by one test file each (its statics are that file's). */
#ifndef EG_TEST_ENGINE_FIXTURE_H
#define EG_TEST_ENGINE_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "exportgate.h"

static char dir[64];
static char store[128];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/eg-engine-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(store, sizeof(store), "%s/store.db", dir);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

/* (a test file that opens its engine with other options leaves it unused) */
__attribute__((unused)) static eg_engine *open_engine(void)
{
	eg_open_options o = EG_OPEN_OPTIONS_INIT;
	eg_engine *e = NULL;
	eg_error err;

	o.store_path = store;
	cr_assert_eq(eg_engine_open(&e, &o, &err), 0, "%s", err.message);
	return e;
}

#endif
