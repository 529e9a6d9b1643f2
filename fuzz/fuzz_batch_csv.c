/* fuzz_batch_csv.c - feeds arbitrary bytes to the `screen --batch` CSV reader. */
#include "batch_csv.h"
#include "util/alloc.h"

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
	}
	batch_csv_free(&b);
}

/* Counts what a sink sees, to compare with the rows kept. */
typedef struct seen {
	size_t n;
	unsigned long last_line;
} seen;

static int count_row(void *ud, batch_row *row, const char *pool)
{
	seen *s = ud;

	if (pool[row->name_off + row->name_len] != '\0' || row->line < s->last_line)
		abort();
	s->last_line = row->line;
	s->n++;
	eg__free(row->reason);
	return 0;
}

/* The streaming read must see the rows the keeping read keeps. */
static void stream_once(const uint8_t *data, size_t size)
{
	static batch_csv b, k;
	batch_csv_opts o;
	seen s = {0, 0};
	int rc, rk;

	memset(&o, 0, sizeof(o));
	o.path = "fuzz.csv";
	o.name_col = "name";
	o.type = EG_TYPE_ANY;
	memset(&k, 0, sizeof(k));
	rk = batch_csv_read_mem(&k, &o, (const char *)data, size);
	o.sink = count_row;
	o.sink_ud = &s;
	memset(&b, 0, sizeof(b));
	rc = batch_csv_read_mem(&b, &o, (const char *)data, size);
	if (rc != rk || s.n != k.n_rows || b.n_rows != k.n_rows || b.rows != NULL)
		abort();
	batch_csv_free(&b);
	batch_csv_free(&k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_once(data, size, NULL, NULL);
	read_once(data, size, "ref", "kind");
	stream_once(data, size);
	return 0;
}
