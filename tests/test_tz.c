/* test_tz.c -- time zones: local times in Europe/Berlin and
 * America/New_York (summer, winter, the DST gap and overlap, history and
 * the far future), offsets and epochs untouched, the transition table
 * against the C library in several zones, TZ restored, bad zone names.
 * Known answers from Python's zoneinfo (fold=0, which for a gap also
 * takes the offset before the change). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "timefmt.h"
#include "tz.h"

static char got[96];

/* Parses s in tz and renders the result as "RFC3339 kind", kind being
 * "", " gap" or " fold"; or "error: why". */
static const char *L(const hr_tz *tz, const char *s)
{
    int64_t t;
    int dst = -1;
    const char *why = NULL;
    if (hr_time_parse_tz(s, strlen(s), tz, &t, &dst, &why)) {
        snprintf(got, sizeof got, "error: %s", why);
        return got;
    }
    char b[40];
    hr_time_format(t, b, sizeof b);
    snprintf(got, sizeof got, "%s%s", b, dst == HR_TZ_GAP ? " gap" : dst == HR_TZ_FOLD ? " fold" : "");
    return got;
}

static hr_tz *open_zone(const char *name)
{
    hr_tz *tz = NULL;
    hr_err err = {0};
    int rc = hr_tz_open(name, &tz, &err);
    CHECK_EQ_INT(rc, HR_OK);
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    return tz;
}

/* hr_tz_offset agrees with localtime_r under TZ=name at instants spread
 * over 1970..2199 (a prime step in minutes, so every time of day and
 * season comes up), and every unique local time converts back. Returns
 * the number of disagreements. */
static int against_libc(const char *name)
{
    hr_tz *tz = open_zone(name);
    if (!tz)
        return 1;
    setenv("TZ", name, 1);
    tzset();
    int bad = 0;
    for (int64_t t = 0; t < INT64_C(7258118400); t += 7919 * 60) {
        time_t tt = (time_t)t;
        struct tm tm;
        localtime_r(&tt, &tm);
        int32_t off = hr_tz_offset(tz, t);
        if (off != tm.tm_gmtoff) {
            if (bad++ < 3)
                fprintf(stderr, "%s at %lld: offset %d, libc %ld\n", name, (long long)t, (int)off, tm.tm_gmtoff);
        }
        int64_t back;
        if (hr_tz_to_utc(tz, t + off, &back) == HR_TZ_UNIQUE && back != t) {
            if (bad++ < 3)
                fprintf(stderr, "%s at %lld: local %lld back to %lld\n", name, (long long)t, (long long)(t + off),
                        (long long)back);
        }
    }
    setenv("TZ", "UTC", 1);
    tzset();
    hr_tz_free(tz);
    return bad;
}

static const char *open_err(const char *name, int *code)
{
    static hr_err err;
    hr_tz *tz = NULL;
    memset(&err, 0, sizeof err);
    *code = hr_tz_open(name, &tz, &err);
    CHECK(tz == NULL);
    hr_tz_free(tz);
    return err.msg;
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();

    hr_tz *be = open_zone("Europe/Berlin");
    hr_tz *ny = open_zone("America/New_York");
    if (!be || !ny)
        return check_summary("tz");
    CHECK_STR(hr_tz_name(be), "Europe/Berlin");

    /* Europe/Berlin: CEST (+02) in summer, CET (+01) in winter */
    CHECK_STR(L(be, "2024-06-01 00:00:00"), "2024-05-31T22:00:00Z");
    CHECK_STR(L(be, "2024-06-01T00:00:00"), "2024-05-31T22:00:00Z");
    CHECK_STR(L(be, "2024-01-15 12:00:00"), "2024-01-15T11:00:00Z");
    CHECK_STR(L(be, "2024-01-15 12:00:00.250"), "2024-01-15T11:00:00.250Z");
    CHECK_STR(L(be, "2024-01-15 12:00"), "2024-01-15T11:00:00Z");
    /* date only: local midnight */
    CHECK_STR(L(be, "2024-06-01"), "2024-05-31T22:00:00Z");
    CHECK_STR(L(be, "2024-01-15"), "2024-01-14T23:00:00Z");
    /* the gap: 2024-03-31 02:00 CET jumps to 03:00 CEST (01:00Z) */
    CHECK_STR(L(be, "2024-03-31 01:59:59"), "2024-03-31T00:59:59Z");
    CHECK_STR(L(be, "2024-03-31 02:00:00"), "2024-03-31T01:00:00Z gap");
    CHECK_STR(L(be, "2024-03-31 02:30:00"), "2024-03-31T01:30:00Z gap");
    CHECK_STR(L(be, "2024-03-31 02:59:59"), "2024-03-31T01:59:59Z gap");
    CHECK_STR(L(be, "2024-03-31 03:00:00"), "2024-03-31T01:00:00Z");
    CHECK_STR(L(be, "2024-03-31 03:30:00"), "2024-03-31T01:30:00Z");
    /* the overlap: 2024-10-27 03:00 CEST goes back to 02:00 CET (01:00Z);
     * 02:00..02:59 is read as its first occurrence, in summer time */
    CHECK_STR(L(be, "2024-10-27 01:59:59"), "2024-10-26T23:59:59Z");
    CHECK_STR(L(be, "2024-10-27 02:00:00"), "2024-10-27T00:00:00Z fold");
    CHECK_STR(L(be, "2024-10-27 02:30:00"), "2024-10-27T00:30:00Z fold");
    CHECK_STR(L(be, "2024-10-27 02:59:59"), "2024-10-27T00:59:59Z fold");
    CHECK_STR(L(be, "2024-10-27 03:00:00"), "2024-10-27T02:00:00Z");
    /* history: Germany had no DST in 1979, and did in 1980 */
    CHECK_STR(L(be, "1979-06-01 12:00:00"), "1979-06-01T11:00:00Z");
    CHECK_STR(L(be, "1980-06-01 12:00:00"), "1980-06-01T10:00:00Z");
    /* offsets and Z are kept, epochs are UTC: no warnings either */
    CHECK_STR(L(be, "2024-03-31T02:30:00+01:00"), "2024-03-31T01:30:00Z");
    CHECK_STR(L(be, "2024-10-27T02:30:00+01:00"), "2024-10-27T01:30:00Z");
    CHECK_STR(L(be, "2024-06-01T00:00:00Z"), "2024-06-01T00:00:00Z");
    CHECK_STR(L(be, "2024-06-01 00:00:00z"), "2024-06-01T00:00:00Z");
    CHECK_STR(L(be, "1717200000"), "2024-06-01T00:00:00Z");
    CHECK_STR(L(be, "1717200000000"), "2024-06-01T00:00:00Z");
    /* errors are those of hr_time_parse; the range is checked in UTC */
    CHECK_STR(L(be, "2023-02-29 00:00:00"), "error: no such date");
    CHECK_CONTAINS(L(be, "1970-01-01 00:30:00"), "out of range");
    CHECK_STR(L(be, "1970-01-01 01:00:00"), "1970-01-01T00:00:00Z");

    /* America/New_York: EDT (-04) and EST (-05) */
    CHECK_STR(L(ny, "2024-06-01 00:00:00"), "2024-06-01T04:00:00Z");
    CHECK_STR(L(ny, "2024-01-15 12:00:00"), "2024-01-15T17:00:00Z");
    CHECK_STR(L(ny, "2024-01-15"), "2024-01-15T05:00:00Z");
    /* the gap: 2024-03-10 02:00 EST jumps to 03:00 EDT (07:00Z) */
    CHECK_STR(L(ny, "2024-03-10 01:59:59"), "2024-03-10T06:59:59Z");
    CHECK_STR(L(ny, "2024-03-10 02:30:00"), "2024-03-10T07:30:00Z gap");
    CHECK_STR(L(ny, "2024-03-10 03:00:00"), "2024-03-10T07:00:00Z");
    /* the overlap: 2024-11-03 02:00 EDT goes back to 01:00 EST (06:00Z) */
    CHECK_STR(L(ny, "2024-11-03 00:59:59"), "2024-11-03T04:59:59Z");
    CHECK_STR(L(ny, "2024-11-03 01:00:00"), "2024-11-03T05:00:00Z fold");
    CHECK_STR(L(ny, "2024-11-03 01:30:00"), "2024-11-03T05:30:00Z fold");
    CHECK_STR(L(ny, "2024-11-03 02:00:00"), "2024-11-03T07:00:00Z");
    /* the rules before 2007 (first Sunday of April), and the far future */
    CHECK_STR(L(ny, "2006-03-12 02:30:00"), "2006-03-12T07:30:00Z");
    CHECK_STR(L(ny, "2006-04-02 02:30:00"), "2006-04-02T07:30:00Z gap");
    CHECK_STR(L(ny, "2150-07-01 12:00:00"), "2150-07-01T16:00:00Z");
    CHECK_STR(L(ny, "2024-03-10T02:30:00-05:00"), "2024-03-10T07:30:00Z");
    CHECK_STR(L(ny, "1717200000"), "2024-06-01T00:00:00Z");

    /* NULL is UTC: hr_time_parse exactly */
    CHECK_STR(L(NULL, "2024-03-31 02:30:00"), "2024-03-31T02:30:00Z");
    CHECK_STR(L(NULL, "2024-06-01"), "2024-06-01T00:00:00Z");
    int64_t t;
    const char *why;
    CHECK(hr_time_parse_tz("2024-06-01", 10, be, &t, NULL, &why) == 0 && t == INT64_C(1717192800000));

    /* UTC needs no file */
    hr_tz *utc = open_zone("UTC");
    if (utc) {
        CHECK_STR(L(utc, "2024-03-31 02:30:00"), "2024-03-31T02:30:00Z");
        CHECK_EQ_INT(hr_tz_offset(utc, 1717200000), 0);
    }
    hr_tz_free(utc);
    hr_tz_free(NULL);

    /* the table agrees with the C library: DST zones north and south,
     * a half-hour DST (Lord Howe), a day skipped (Apia, 2011), none */
    const char *zones[] = {"Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
                           "Pacific/Apia", "Asia/Kolkata", "America/Sao_Paulo", "Europe/London"};
    for (size_t i = 0; i < sizeof zones / sizeof *zones; i++) {
        int bad = against_libc(zones[i]);
        CHECK_EQ_INT(bad, 0);
    }
    /* Apia skipped 2011-12-30 entirely: a gap of a whole day */
    hr_tz *apia = open_zone("Pacific/Apia");
    if (apia)
        CHECK_STR(L(apia, "2011-12-30 12:00:00"), "2011-12-30T22:00:00Z gap");
    hr_tz_free(apia);

    /* hr_tz_open leaves TZ as it found it, set or unset */
    CHECK_STR(getenv("TZ"), "UTC");
    unsetenv("TZ");
    hr_tz_free(open_zone("Europe/Berlin"));
    CHECK(getenv("TZ") == NULL);
    setenv("TZ", "UTC", 1);
    tzset();

    /* bad names: usage errors naming the zone and the file looked for */
    int code;
    const char *m = open_err("Mars/Olympus", &code);
    CHECK_EQ_INT(code, HR_EUSAGE);
    CHECK_CONTAINS(m, "unknown time zone \"Mars/Olympus\": no file /usr/share/zoneinfo/Mars/Olympus");
    CHECK_CONTAINS(open_err("Europe", &code), "unknown time zone \"Europe\": no file");
    CHECK_CONTAINS(open_err("../../etc/passwd", &code), "want an IANA name");
    CHECK_CONTAINS(open_err("/usr/share/zoneinfo/UTC", &code), "want an IANA name");
    CHECK_CONTAINS(open_err("", &code), "want an IANA name");
    CHECK_CONTAINS(open_err("CET-1CEST,M3.5.0,M10.5.0/3", &code), "want an IANA name");
    /* a file that is not TZif (TZDIR points elsewhere) */
    char dir[] = "/tmp/hr_tz_XXXXXX";
    if (mkdtemp(dir)) {
        char path[64];
        snprintf(path, sizeof path, "%s/Fake", dir);
        FILE *fp = fopen(path, "w");
        if (fp) {
            fputs("not a zone\n", fp);
            fclose(fp);
        }
        setenv("TZDIR", dir, 1);
        m = open_err("Fake", &code);
        CHECK_EQ_INT(code, HR_EUSAGE);
        CHECK_CONTAINS(m, "is not a TZif file");
        unsetenv("TZDIR");
        unlink(path);
        rmdir(dir);
    }

    hr_tz_free(be);
    hr_tz_free(ny);
    return check_summary("tz");
}
