/* cli/cmd_lists.c - to be written. */
typedef int eg__stub_cli_cmd_lists_c;
