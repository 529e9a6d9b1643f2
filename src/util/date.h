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
/* eg__date_from_slashes(out, s, len, 1). */
int eg__date_from_dmy(char out[11], const char *s, size_t len);
/* Copies s[0..len) NUL-terminated into out when it is a valid YYYY-MM-DD
 * calendar date. Returns 0, or -1 (out untouched) when it is not. */
int eg__date_iso(char out[11], const char *s, size_t len);
/* A date of birth written DD/MM/YYYY: YYYY-MM-DD in out (returns 10), or,
 * when only the year is known ("dd/mm/1945", "00/00/1945"), YYYY (returns
 * 4); 0 when s[0..len) is neither. */
int eg__date_dmy_or_year(char out[11], const char *s, size_t len);

#endif
