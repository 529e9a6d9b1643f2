/* fuzz_countries.c - feeds arbitrary bytes as one country-list file to the parser; it must neither crash nor leak. */
#include "lists/countries.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The ISO table is read once per process; without it every input is
 * rejected early, which is still a valid (if shallow) run. */
static eg__iso_codes iso;
static int iso_state; /* 0 not tried, 1 loaded, -1 missing */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eg__country_lists *lists;
	eg_error err;
	const eg__country_list *l;
	size_t i;

	memset(&err, 0, sizeof(err));
	if (iso_state == 0)
		iso_state = eg__countries_iso_load(&iso, NULL, &err) == 0 ? 1 : -1;
	lists = eg__countries_new();
	if (lists == NULL)
		return 0;
	if (eg__countries_parse_mem(lists, (const char *)data, size, "fuzz.json", &iso,
	                            &err) == 0 &&
	    (l = eg__countries_at(lists, 0)) != NULL) {
		/* Exercise the queries on what parsed: each version against the
		 * newest, and a few answers. */
		const eg__country_version *last = eg__countries_version_at(l, NULL);
		for (i = 0; i < l->n_versions; i++) {
			eg__country_diff d;
			if (eg__countries_diff(&d, &l->versions[i], last, &err) == 0)
				eg__countries_diff_dispose(&d);
			(void)eg__countries_answer(&l->versions[i], "FR");
			(void)eg__countries_basis(&l->versions[i], "AE");
			(void)eg__countries_version_at(l, l->versions[i].effective);
		}
	}
	eg__countries_free(lists);
	return 0;
}
