/* date.h - calendar dates as "YYYY-MM-DD" text, the form every layer uses. */
#ifndef EG_DATE_H
#define EG_DATE_H

#include <stddef.h>

/* 1 when s[0..len) is a valid calendar date YYYY-MM-DD (leap years
 * included), else 0. */
int eg__date_valid(const char *s, size_t len);
/* Writes today's UTC date into out. */
void eg__date_today(char out[11]);
/* Writes the current UTC time as YYYY-MM-DDThh:mm:ssZ into out. */
void eg__date_now(char out[21]);
/* Writes the last day of month m (1-12) of year y as YYYY-MM-DD into out.
 * Returns 0, or -1 for a month or year out of range. */
int eg__date_month_end(char out[11], int y, int m);
/* Converts "MM/DD/YYYY" (day_first 0, US) or "DD/MM/YYYY" (day_first 1),
 * with 1- or 2-digit month and day, to YYYY-MM-DD in out. Returns 0, or -1
 * when s[0..len) is not such a valid calendar date. */
int eg__date_from_slashes(char out[11], const char *s, size_t len, int day_first);
/* eg__date_from_slashes(out, s, len, 0). */
int eg__date_from_mdy(char out[11], const char *s, size_t len);

#endif
