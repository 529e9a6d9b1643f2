/* cli/cmd_import.c - to be written. */
typedef int eg__stub_cli_cmd_import_c;
