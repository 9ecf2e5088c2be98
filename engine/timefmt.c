/* timefmt.c -- see timefmt.h.
 * Civil-date arithmetic after Howard Hinnant, "chrono-Compatible Low-Level
 * Date Algorithms" (days_from_civil / civil_from_days), which is exact for
 * the proleptic Gregorian calendar and needs no time-zone database. */
#include "timefmt.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t hr_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void hr_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Reads exactly n digits at *p; returns -1 if any is not a digit. */
static long digits(const char **p, const char *end, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        if (*p >= end || !isdigit((unsigned char)**p))
            return -1;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    return v;
}

static int range_ok(int64_t t_ms, int64_t *out, const char **why)
{
    if (t_ms < HR_TIME_MIN_MS || t_ms > HR_TIME_MAX_MS) {
        *why = "timestamp out of range (before 1970 or after 2200)";
        return -1;
    }
    *out = t_ms;
    return 0;
}

int hr_time_from_epoch(double x, double unit_per_s, int64_t *t_ms, const char **why)
{
    if (!isfinite(x)) {
        *why = "timestamp is not a finite number";
        return -1;
    }
    double ms = x * (1000.0 / unit_per_s);
    if (ms < (double)HR_TIME_MIN_MS - 0.5 || ms > (double)HR_TIME_MAX_MS + 0.5) {
        *why = "timestamp out of range (before 1970 or after 2200)";
        return -1;
    }
    return range_ok((int64_t)llround(ms), t_ms, why);
}

static int parse_epoch(const char *s, const char *end, int64_t *t_ms, const char **why)
{
    char buf[64];
    size_t len = (size_t)(end - s);
    if (len >= sizeof buf) {
        *why = "timestamp too long";
        return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    /* Only plain decimal numbers: no hex, no exponents, no inf/nan. */
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)buf[i]) && buf[i] != '.' && !(i == 0 && buf[i] == '-')) {
            *why = "unrecognised timestamp";
            return -1;
        }
    char *e;
    errno = 0;
    double x = strtod(buf, &e);
    if (e != buf + len || errno) {
        *why = "unrecognised timestamp";
        return -1;
    }
    double ax = fabs(x), unit;
    if (ax < 1e11)
        unit = 1.0; /* seconds: up to year 5138 */
    else if (ax < 1e14)
        unit = 1e3; /* milliseconds */
    else if (ax < 1e17)
        unit = 1e6; /* microseconds */
    else
        unit = 1e9; /* nanoseconds */
    return hr_time_from_epoch(x, unit, t_ms, why);
}

int hr_time_parse(const char *s, size_t len, int64_t *t_ms, const char **why)
{
    return hr_time_parse_tz(s, len, NULL, t_ms, NULL, why);
}

int hr_time_parse_tz(const char *s, size_t len, const hr_tz *tz, int64_t *t_ms, int *dst, const char **why)
{
    if (dst)
        *dst = HR_TZ_UNIQUE;
    const char *end = s + len;
    while (s < end && isspace((unsigned char)*s))
        s++;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    if (s == end) {
        *why = "empty timestamp";
        return -1;
    }
    /* A date has '-' at position 4; an epoch number has only digits there. */
    if (end - s < 10 || s[4] != '-')
        return parse_epoch(s, end, t_ms, why);

    const char *p = s;
    long y = digits(&p, end, 4);
    if (y < 0 || p >= end || *p++ != '-')
        goto bad;
    long mo = digits(&p, end, 2);
    if (mo < 0 || p >= end || *p++ != '-')
        goto bad;
    long d = digits(&p, end, 2);
    if (d < 0)
        goto bad;
    if (mo < 1 || mo > 12 || d < 1 || d > (long)days_in_month(y, (unsigned)mo)) {
        *why = "no such date";
        return -1;
    }
    long hh = 0, mi = 0, ss = 0;
    double frac = 0.0;
    long off_min = 0;
    int local = 1; /* no Z and no offset: local time in tz */
    if (p < end) {
        if (*p != 'T' && *p != 't' && *p != ' ')
            goto bad;
        p++;
        hh = digits(&p, end, 2);
        if (hh < 0 || p >= end || *p++ != ':')
            goto bad;
        mi = digits(&p, end, 2);
        if (mi < 0)
            goto bad;
        if (p < end && *p == ':') {
            p++;
            ss = digits(&p, end, 2);
            if (ss < 0)
                goto bad;
        }
        if (hh > 23 || mi > 59 || ss > 60) {
            *why = "no such time of day";
            return -1;
        }
        if (p < end && (*p == '.' || *p == ',')) {
            p++;
            double scale = 0.1;
            if (p >= end || !isdigit((unsigned char)*p))
                goto bad;
            while (p < end && isdigit((unsigned char)*p)) {
                frac += (*p - '0') * scale;
                scale /= 10;
                p++;
            }
        }
        if (p < end) {
            if (*p == 'Z' || *p == 'z') {
                p++;
                local = 0;
            } else if (*p == '+' || *p == '-') {
                int sign = *p == '-' ? -1 : 1;
                p++;
                long oh = digits(&p, end, 2);
                if (oh < 0)
                    goto bad;
                if (p < end && *p == ':')
                    p++;
                long om = digits(&p, end, 2);
                if (om < 0 || oh > 23 || om > 59)
                    goto bad;
                off_min = sign * (oh * 60 + om);
                local = 0;
            }
        }
        if (p != end)
            goto bad;
    }
    int64_t days = hr_days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t secs = days * 86400 + hh * 3600 + mi * 60 + (ss == 60 ? 59 : ss) - off_min * 60;
    if (local && tz) {
        int k = hr_tz_to_utc(tz, secs, &secs);
        if (dst)
            *dst = k;
    }
    return range_ok(secs * 1000 + (int64_t)llround(frac * 1000.0), t_ms, why);
bad:
    *why = "unrecognised timestamp (want epoch seconds/ms, RFC 3339 or YYYY-MM-DD HH:MM:SS)";
    return -1;
}

char *hr_time_format(int64_t t_ms, char *buf, size_t size)
{
    int64_t secs = t_ms >= 0 ? t_ms / 1000 : -((-t_ms + 999) / 1000);
    int ms = (int)(t_ms - secs * 1000);
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t sod = secs - days * 86400;
    int64_t y;
    unsigned m, d;
    hr_civil_from_days(days, &y, &m, &d);
    if (ms)
        snprintf(buf, size, "%04" PRId64 "-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d,
                 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), ms);
    else
        snprintf(buf, size, "%04" PRId64 "-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
                 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
    return buf;
}

char *hr_date_format(int64_t t_ms, char *buf, size_t size)
{
    int64_t secs = t_ms >= 0 ? t_ms / 1000 : -((-t_ms + 999) / 1000);
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t y;
    unsigned m, d;
    hr_civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04" PRId64 "-%02u-%02u", y, m, d);
    return buf;
}

int hr_duration_parse(const char *s, int64_t *ms)
{
    char *e;
    errno = 0;
    double x = strtod(s, &e);
    if (e == s || errno || !isfinite(x) || x <= 0)
        return -1;
    double mult;
    if (*e == '\0' || strcmp(e, "s") == 0)
        mult = 1000;
    else if (strcmp(e, "ms") == 0)
        mult = 1;
    else if (strcmp(e, "m") == 0 || strcmp(e, "min") == 0)
        mult = 60e3;
    else if (strcmp(e, "h") == 0)
        mult = 3600e3;
    else if (strcmp(e, "d") == 0)
        mult = 86400e3;
    else if (strcmp(e, "w") == 0)
        mult = 7 * 86400e3;
    else
        return -1;
    double v = x * mult;
    if (v < 1 || v > 1e15)
        return -1;
    *ms = (int64_t)llround(v);
    return 0;
}
