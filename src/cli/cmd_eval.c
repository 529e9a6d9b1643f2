/* cli/cmd_eval.c - to be written. */
typedef int eg__stub_cli_cmd_eval_c;
