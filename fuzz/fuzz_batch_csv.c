/* fuzz_batch_csv.c - feeds arbitrary bytes to the `screen --batch` CSV reader. */
#include "batch_csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads the bytes with the given columns; aborts on a broken result. */
static void read_once(const uint8_t *data, size_t size, const char *id_col, const char *type_col)
{
	static batch_csv b; /* 1 KiB of message: not on the fuzzer's stack */
	batch_csv_opts o;
	size_t i;
	int rc;

	memset(&o, 0, sizeof(o));
	o.path = "fuzz.csv";
	o.name_col = "name";
	o.id_col = id_col;
	o.type_col = type_col;
	o.type = EG_TYPE_ANY;
	memset(&b, 0, sizeof(b));
	rc = batch_csv_read_mem(&b, &o, (const char *)data, size);
	if (rc != 0 && rc != EXIT_USAGE && rc != EXIT_INPUT && rc != EXIT_FAIL)
		abort();
	if (rc != 0 && b.msg[0] == '\0')
		abort();
	for (i = 0; i < b.n_rows; i++) {
		const batch_row *row = &b.rows[i];
		/* the kept fields lie in the pool, each followed by its NUL */
		if (row->name_off + row->name_len >= b.pool.len ||
		    b.pool.ptr[row->name_off + row->name_len] != '\0')
			abort();
		if (row->id_off != SIZE_MAX && (row->id_off + row->id_len >= b.pool.len ||
		                                b.pool.ptr[row->id_off + row->id_len] != '\0'))
			abort();
		if (id_col == NULL && row->id_off != SIZE_MAX)
			abort();
		/* CR-ended records may share a line; lines never go back */
		if (row->line == 0 || (i > 0 && row->line < b.rows[i - 1].line))
			abort();
		if (row->out != NULL || row->state != ROW_PENDING)
			abort();
	}
	batch_csv_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_once(data, size, NULL, NULL);
	read_once(data, size, "ref", "kind");
	return 0;
}
