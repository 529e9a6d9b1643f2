/* store/sqlite.c - to be written. */
typedef int eg__stub_store_sqlite_c;
