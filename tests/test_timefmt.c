/* test_timefmt.c -- timestamp grammar, civil dates, durations. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "timefmt.h"

static int64_t P(const char *s)
{
    int64_t t = -1;
    const char *why = NULL;
    if (hr_time_parse(s, strlen(s), &t, &why))
        return -1;
    return t;
}

static const char *WHY(const char *s)
{
    int64_t t;
    const char *why = NULL;
    return hr_time_parse(s, strlen(s), &t, &why) ? why : "(parsed)";
}

int main(void)
{
    /* known answers: 2024-06-01T00:00:00Z is 1717200000 (date -d) */
    CHECK_EQ_INT(P("1717200000"), 1717200000000LL);
    CHECK_EQ_INT(P("1717200000000"), 1717200000000LL);
    CHECK_EQ_INT(P("1717200000.123"), 1717200000123LL);
    CHECK_EQ_INT(P("1717200000123456"), 1717200000123LL);      /* microseconds */
    CHECK_EQ_INT(P("1717200000123456789"), 1717200000123LL);   /* nanoseconds */
    CHECK_EQ_INT(P("2024-06-01T00:00:00Z"), 1717200000000LL);
    CHECK_EQ_INT(P("2024-06-01t00:00:00z"), 1717200000000LL);
    CHECK_EQ_INT(P("2024-06-01 00:00:00"), 1717200000000LL);
    CHECK_EQ_INT(P("  2024-06-01 00:00:00 "), 1717200000000LL);
    CHECK_EQ_INT(P("2024-06-01T02:00:00+02:00"), 1717200000000LL);
    CHECK_EQ_INT(P("2024-05-31T19:30:00-04:30"), 1717200000000LL);
    CHECK_EQ_INT(P("2024-06-01T00:00:00.250Z"), 1717200000250LL);
    CHECK_EQ_INT(P("2024-06-01"), 1717200000000LL);
    CHECK_EQ_INT(P("2024-02-29 12:00:00"), 1709208000000LL);
    /* a leap second is the last second of its minute (POSIX time has none,
     * as Prometheus and the exporters count): 2016-12-31T23:59:60Z is
     * 23:59:59 (1483228799), its fraction kept; :61 is no time */
    CHECK_EQ_INT(P("2016-12-31T23:59:60Z"), 1483228799000LL);
    CHECK_EQ_INT(P("2016-12-31T23:59:60.5Z"), 1483228799500LL);
    CHECK_EQ_INT(P("2016-12-31T23:59:59Z"), 1483228799000LL);
    CHECK(P("2016-12-31T23:59:61Z") == -1);
    CHECK_EQ_INT(P("1970-01-01T00:00:00Z"), 0);
    CHECK_EQ_INT(P("2014-04-01 00:00:00"), 1396310400000LL);   /* NAB layout */
    /* rejections, with their reasons */
    CHECK_EQ_INT(P("2023-02-29 00:00:00"), -1);
    CHECK_STR(WHY("2023-02-29 00:00:00"), "no such date");
    CHECK_STR(WHY("2024-06-01 24:00:00"), "no such time of day");
    CHECK_STR(WHY(""), "empty timestamp");
    CHECK_CONTAINS(WHY("yesterday"), "unrecognised timestamp");
    CHECK_CONTAINS(WHY("0x1234"), "unrecognised timestamp");
    CHECK_CONTAINS(WHY("2024-06-01T00:00:00Zjunk"), "unrecognised timestamp");
    CHECK_CONTAINS(WHY("1e9"), "unrecognised timestamp");
    CHECK_CONTAINS(WHY("-5"), "out of range");
    CHECK_CONTAINS(WHY("2300-01-01 00:00:00"), "out of range");
    CHECK_CONTAINS(WHY("1960-01-01"), "out of range");

    /* civil round trip over a wide range of days */
    int okrt = 1;
    for (int64_t d = -800000; d <= 800000; d += 7919) {
        int64_t y;
        unsigned m, dd;
        hr_civil_from_days(d, &y, &m, &dd);
        okrt &= hr_days_from_civil(y, m, dd) == d;
    }
    CHECK(okrt);

    char buf[40];
    CHECK_STR(hr_time_format(1717200000000LL, buf, sizeof buf), "2024-06-01T00:00:00Z");
    CHECK_STR(hr_time_format(1717200000250LL, buf, sizeof buf), "2024-06-01T00:00:00.250Z");
    CHECK_STR(hr_time_format(951782400000LL, buf, sizeof buf), "2000-02-29T00:00:00Z");
    CHECK_STR(hr_date_format(1717286399999LL, buf, sizeof buf), "2024-06-01");

    int64_t ms;
    CHECK(hr_duration_parse("1h", &ms) == 0 && ms == 3600000);
    CHECK(hr_duration_parse("5m", &ms) == 0 && ms == 300000);
    CHECK(hr_duration_parse("90", &ms) == 0 && ms == 90000);
    CHECK(hr_duration_parse("250ms", &ms) == 0 && ms == 250);
    CHECK(hr_duration_parse("1d", &ms) == 0 && ms == 86400000);
    CHECK(hr_duration_parse("0s", &ms) == -1);
    CHECK(hr_duration_parse("5 parsecs", &ms) == -1);
    CHECK(hr_duration_parse("-1h", &ms) == -1);
    return check_summary("timefmt");
}
