/* util/date.c - to be written. */
typedef int eg__stub_util_date_c;
