/* tz.h -- IANA time zones, for timestamps written without a UTC offset.
 * Owns: opening a zone of the system tzdata (/usr/share/zoneinfo, or
 * $TZDIR) and the UTC offset of a local wall-clock time, with the rules
 * for the daylight-saving gap and overlap. Prints nothing.
 *
 * Approach: the C library does the time-zone maths, once per zone.
 * hr_tz_open points TZ at the zone's file, calls tzset(), and walks UTC
 * time from 1970 to 2200 a day at a time with localtime_r; where the
 * offset (tm_gmtoff) changes it bisects to the second of the transition.
 * TZ is then restored. The zone is the resulting table of transitions
 * (~2 a year with DST, ~460 in all), so a conversion is a binary search:
 * no mktime per row, no TZ access, nothing shared that changes.
 * An offset that changes and changes back within one day would be
 * missed; no zone has done that since 1970.
 *
 * DST rules (hr_tz_to_utc): a local time that does not exist (the clock
 * jumps forward over it: 2024-03-31 02:30 in Europe/Berlin) and one that
 * occurs twice (the clock goes back: 2024-10-27 02:30 in Europe/Berlin)
 * are both read with the offset in effect just before the change. For a
 * gap that reads the time as if the clock had not been changed yet
 * (02:30 CET = 01:30Z); for an overlap it is the first occurrence, the
 * earlier instant (02:30 CEST = 00:30Z). One rule for both, and it does
 * not depend on neighbouring rows, so a row means the same instant in
 * any order or file.
 *
 * Thread-safety: hr_tz_open changes the process's TZ for a moment: call
 * it from one thread while no other thread uses local time (main, before
 * any parallel region). An open zone is read-only; share it freely. */
#ifndef HR_TZ_H
#define HR_TZ_H

#include <stdint.h>

#include "err.h"

typedef struct hr_tz hr_tz; /* opaque */

/* What hr_tz_to_utc found about a local time. */
enum { HR_TZ_UNIQUE = 0, HR_TZ_GAP = 1, HR_TZ_FOLD = 2 };

/* Opens the IANA zone name ("Europe/Berlin", "America/New_York", "UTC").
 * The name must be a relative path of letters, digits and _ + - . /
 * without ".." naming a TZif file under the tzdata directory; "UTC" and
 * "Etc/UTC" need no file. Returns HR_OK with *out a new zone (free with
 * hr_tz_free), or HR_EUSAGE with a message naming the zone and the file
 * looked for (config callers report it as HR_ECONFIG), or HR_ESOFTWARE
 * when out of memory. Not thread-safe (see above). */
int hr_tz_open(const char *name, hr_tz **out, hr_err *err);
void hr_tz_free(hr_tz *tz); /* NULL is a no-op */

/* The name given to hr_tz_open (owned by tz). */
const char *hr_tz_name(const hr_tz *tz);

/* The UTC offset in seconds (east positive) in effect at UTC second t. */
int32_t hr_tz_offset(const hr_tz *tz, int64_t t);

/* Converts a local wall-clock time, in seconds since 1970-01-01 00:00 of
 * the local calendar, to UTC seconds in *utc (local - offset). Returns
 * HR_TZ_UNIQUE, or HR_TZ_GAP / HR_TZ_FOLD when the time does not exist
 * or occurs twice, read by the rule above. Reentrant. */
int hr_tz_to_utc(const hr_tz *tz, int64_t local, int64_t *utc);

#endif
