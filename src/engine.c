/* engine.c - to be written. */
typedef int eg__stub_engine_c;
