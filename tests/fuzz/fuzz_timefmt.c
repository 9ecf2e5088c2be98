/* fuzz_timefmt.c -- the timestamp and duration parsers (engine/timefmt.c),
 * in UTC and in a zone with DST. Oracles: a parsed time is in range,
 * and its RFC 3339 text (hr_time_format) parses back to the same time. */
#include "fuzz.h"
#include "timefmt.h"
#include "tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static hr_tz *tz;
    static int once;
    if (!once) {
        once = 1;
        hr_err err = {0};
        if (hr_tz_open("Europe/Berlin", &tz, &err) != HR_OK)
            tz = NULL; /* no tzdata: the zone part is skipped */
    }
    const char *s = (const char *)data;
    int64_t t, back;
    const char *why;
    char buf[64], day[32];
    if (hr_time_parse(s, size, &t, &why) == 0) {
        if (t < HR_TIME_MIN_MS || t > HR_TIME_MAX_MS)
            abort();
        hr_time_format(t, buf, sizeof buf);
        if (hr_time_parse(buf, strlen(buf), &back, &why) != 0 || back != t)
            abort();
        hr_date_format(t, day, sizeof day);
    }
    int dst = 0;
    if (tz && hr_time_parse_tz(s, size, tz, &t, &dst, &why) == 0 && (t < HR_TIME_MIN_MS || t > HR_TIME_MAX_MS))
        abort();
    char *z = fuzz_str(data, size);
    if (z) {
        int64_t ms;
        hr_duration_parse(z, &ms);
        free(z);
    }
    if (size >= 8) { /* an epoch number of known unit, from 8 raw bytes */
        double x;
        memcpy(&x, data, sizeof x);
        hr_time_from_epoch(x, 1, &t, &why);
        hr_time_from_epoch(x, 1000, &t, &why);
    }
    return 0;
}
