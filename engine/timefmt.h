/* timefmt.h -- parsing and formatting of timestamps (UTC milliseconds).
 * Owns: the timestamp grammar every reader accepts. Reads no files.
 * Reentrant; no locale or TZ dependence (no mktime/strptime): a time
 * zone comes in only as an open hr_tz (tz.h), a table of offset
 * transitions made once per zone, so parsing a local time costs a
 * binary search and never touches the process's TZ. */
#ifndef HR_TIMEFMT_H
#define HR_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#include "tz.h"

/* Earliest and latest timestamps accepted (1970-01-01 and 2200-01-01 UTC):
 * anything outside is a corrupt or mis-scaled value, not a metric. */
#define HR_TIME_MIN_MS INT64_C(0)
#define HR_TIME_MAX_MS INT64_C(7258118400000)

/* Parses s[0..len) as one of:
 *   epoch number: seconds, milliseconds, microseconds or nanoseconds,
 *     told apart by magnitude (< 1e11 s, < 1e14 ms, < 1e17 us, else ns),
 *     optionally with a fraction ("1717200000.123");
 *   RFC 3339: 2024-06-01T00:00:00[.fff](Z|+hh:mm|-hh:mm) ('t'/'z'/' ' ok);
 *   "YYYY-MM-DD HH:MM:SS[.fff]" or "YYYY-MM-DD" taken as UTC (the same
 *     with 'T', and no Z or offset, too).
 * Leading/trailing blanks are ignored. Returns 0 and sets *t_ms, or -1
 * with a short reason in *why (a static string). Range-checks against
 * HR_TIME_MIN_MS..HR_TIME_MAX_MS. */
int hr_time_parse(const char *s, size_t len, int64_t *t_ms, const char **why);

/* Like hr_time_parse, but a date-time without Z or a UTC offset, and a
 * bare date (its midnight), is local time in tz, converted by the DST
 * rules of tz.h; tz NULL means UTC, exactly hr_time_parse. Epoch numbers
 * and times with an offset mean what they say whatever tz is. *dst, when
 * dst is not NULL, is set to HR_TZ_GAP or HR_TZ_FOLD when the local time
 * did not exist or occurred twice (the caller may warn), else 0. */
int hr_time_parse_tz(const char *s, size_t len, const hr_tz *tz, int64_t *t_ms, int *dst, const char **why);

/* Like hr_time_parse for epoch numbers whose unit is known (1 = s,
 * 1000 = ms): no magnitude guessing. */
int hr_time_from_epoch(double x, double unit_per_s, int64_t *t_ms, const char **why);

/* Days since 1970-01-01 of a proleptic Gregorian civil date. */
int64_t hr_days_from_civil(int64_t y, unsigned m, unsigned d);
void hr_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (with ".fff" when t_ms has milliseconds)
 * into buf (>= 32 bytes). Returns buf. */
char *hr_time_format(int64_t t_ms, char *buf, size_t size);

/* Writes "YYYY-MM-DD". Returns buf. */
char *hr_date_format(int64_t t_ms, char *buf, size_t size);

/* Parses a duration like "3600", "90s", "5m", "1h", "1d", "250ms" into
 * milliseconds. Returns 0 or -1. */
int hr_duration_parse(const char *s, int64_t *ms);

#endif
