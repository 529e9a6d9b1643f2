/* match/score.c - to be written. */
typedef int eg__stub_match_score_c;
