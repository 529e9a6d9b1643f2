/* text/normalize.c - to be written. */
typedef int eg__stub_text_normalize_c;
