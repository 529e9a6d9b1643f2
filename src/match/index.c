/* match/index.c - to be written. */
typedef int eg__stub_match_index_c;
