/* cli/table.c - to be written. */
typedef int eg__stub_cli_table_c;
