/* cli/cmd_screen.c - to be written. */
typedef int eg__stub_cli_cmd_screen_c;
