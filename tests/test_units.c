/* test_units.c -- unit inference and the numbers-for-people formatter. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "numfmt.h"
#include "units.h"

static const char *fmt(double x, const char *unit)
{
    static char b[64];
    return hr_fmt_unit(x, unit, b, sizeof b);
}

static const char *infer(const char *key, int counter)
{
    static char b[HR_UNIT_MAX];
    return hr_unit_infer(key, counter, b, sizeof b);
}

static void test_known_answers(void)
{
    /* the examples */
    CHECK_STR(fmt(3.87e13, "bytes"), "35.2 TiB");
    CHECK_STR(fmt(0.0123, "seconds"), "12.3 ms");
    CHECK_STR(fmt(1710, "req/s"), "1.71 k req/s");
    CHECK_STR(fmt(0.82, "ratio"), "82 %");
    CHECK_STR(fmt(257.59999999999997, ""), "258");
    CHECK_STR(fmt(257.59999999999997, NULL), "258");
    /* bytes: binary prefixes, rounding across a prefix boundary */
    CHECK_STR(fmt(0, "bytes"), "0 B");
    CHECK_STR(fmt(512, "bytes"), "512 B");
    CHECK_STR(fmt(1536, "bytes"), "1.5 KiB");
    CHECK_STR(fmt(1023.9, "bytes"), "1 KiB");
    CHECK_STR(fmt(1000, "bytes"), "0.977 KiB");
    CHECK_STR(fmt(999, "bytes"), "999 B");
    CHECK_STR(fmt(6.8719476736e10, "bytes"), "64 GiB");
    CHECK_STR(fmt(1.25e9, "bytes/s"), "1.16 GiB/s");
    CHECK_STR(fmt(-2147483648.0, "bytes"), "-2 GiB");
    /* seconds: us, ms, s, min, h, d as fits */
    CHECK_STR(fmt(0, "seconds"), "0 s");
    CHECK_STR(fmt(4.56e-6, "seconds"), "4.56 us");
    CHECK_STR(fmt(0.9996, "seconds"), "1 s");
    CHECK_STR(fmt(42.26, "seconds"), "42.3 s");
    CHECK_STR(fmt(90, "seconds"), "1.5 min");
    CHECK_STR(fmt(7380, "seconds"), "2.05 h");
    CHECK_STR(fmt(3 * 86400.0, "seconds"), "3 d");
    /* percent, celsius */
    CHECK_STR(fmt(82.04, "percent"), "82 %");
    CHECK_STR(fmt(0.0137, "ratio"), "1.37 %");
    CHECK_STR(fmt(21.54, "celsius"), "21.5 \xc2\xb0" "C");
    /* SI for everything else, no exponent ever */
    CHECK_STR(fmt(12.34, "cores"), "12.3 cores");
    CHECK_STR(fmt(999.7, "req/s"), "1 k req/s");
    CHECK_STR(fmt(3.87e13, ""), "38.7 T");
    CHECK_STR(fmt(1.2e6, "/s"), "1.2 M/s");
    CHECK_STR(fmt(12, "/s"), "12/s");
    CHECK_STR(fmt(0.0123, ""), "0.0123");
    CHECK_STR(fmt(2.5e-7, ""), "0.000000250");
    CHECK_STR(fmt(4.2e21, "widgets"), "4200 E widgets");
    CHECK_STR(fmt(-0.0, ""), "0");
    CHECK_STR(fmt(NAN, "bytes"), "n/a");
    CHECK_STR(fmt(INFINITY, ""), "inf");
    CHECK_STR(fmt(-INFINITY, ""), "-inf");
    const double xs[] = {3.87e13, 1e300, 1e-300, 123456789.0, 0.1 + 0.2};
    const char *us[] = {"", "bytes", "seconds", "ratio", "cores", "req/s"};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        for (size_t k = 0; k < sizeof us / sizeof us[0]; k++)
            CHECK(strstr(fmt(xs[i], us[k]), "e+") == NULL && strstr(fmt(xs[i], us[k]), "e-") == NULL);
}

static void test_round_trip_csv(void)
{
    /* summary.csv keeps the shortest text that reads back the same number */
    char b[32];
    CHECK_STR(hr_fmt_double(257.59999999999997, b, sizeof b), "257.59999999999997");
    CHECK_STR(hr_fmt_double(257.6, b, sizeof b), "257.6");
    CHECK_STR(hr_fmt_double(3.87e13, b, sizeof b), "38700000000000");
    CHECK_STR(hr_fmt_double(2e15, b, sizeof b), "2000000000000000");
    CHECK_STR(hr_fmt_double(1.5e20, b, sizeof b), "1.5e+20");
    CHECK_STR(hr_fmt_double(1e-5, b, sizeof b), "1e-05");
    CHECK_STR(hr_fmt_double(0.1 + 0.2, b, sizeof b), "0.30000000000000004");
    /* the same text as trying every precision from 1 (the definition of
     * shortest), on decimal-looking and on arbitrary doubles of every size */
    uint64_t st = 0x9e3779b97f4a7c15u;
    int same = 1;
    char r[40];
    for (int i = 0; i < 200000 && same; i++) {
        st ^= st << 13, st ^= st >> 7, st ^= st << 17;
        double x;
        if (i % 4 == 3) {
            /* near a half at the 16th or 15th digit ("...5", "...50"),
             * where rounding 17 printed digits again could go either way,
             * and runs of nines that carry into a new leading digit */
            char t[40];
            unsigned long long m = (st >> 8) % 10000000000000000ull;
            int ex = (int)(st % 40) - 20;
            if ((st >> 4) & 1)
                snprintf(t, sizeof t, "%llu%se%d", m, (st >> 5) & 1 ? "5" : "50", ex);
            else
                snprintf(t, sizeof t, "%.*s%de%d", 8 + (int)(st % 9), "99999999999999999", (int)((st >> 6) % 10), ex);
            x = strtod(t, NULL);
        } else if (i & 1) { /* a decimal of 1..17 digits times a power of ten */
            int digits = 1 + (int)(st % 17), ex = (int)((st >> 8) % 40) - 20;
            double m = (double)((st >> 16) % 100000000000000000u);
            x = floor(m / pow(10, 17 - digits)) * pow(10, ex);
        } else {
            uint64_t bits = st & 0x7fefffffffffffffu;
            memcpy(&x, &bits, sizeof x);
        }
        if (!isfinite(x) || x == 0)
            continue;
        for (int p = 1; p <= 17; p++) {
            snprintf(r, sizeof r, "%.*g", p, x);
            if (strtod(r, NULL) == x) {
                double ax = fabs(x);
                if (strchr(r, 'e') && ax >= 1 && ax < 1e16) {
                    int dg = (int)floor(log10(ax)) + 1;
                    snprintf(r, sizeof r, "%.*g", dg > p ? dg : p, x);
                }
                break;
            }
        }
        hr_fmt_double(x, b, sizeof b);
        if (strcmp(b, r) != 0) {
            same = 0;
            CHECK_REPORT_(0, "%.17g: %s, shortest %s", x, b, r);
        }
    }
    CHECK(same);
}

static void test_infer(void)
{
    CHECK_STR(infer("disk_used_bytes{service=\"search\"}", 0), "bytes");
    CHECK_STR(infer("mem_used_bytes", 0), "bytes");
    CHECK_STR(infer("http_request_duration_seconds{le=\"0.5\"}", 0), "seconds");
    CHECK_STR(infer("cache_hit_ratio", 0), "ratio");
    CHECK_STR(infer("disk_used_percent", 0), "percent");
    CHECK_STR(infer("node_hwmon_temp_celsius", 0), "celsius");
    CHECK_STR(infer("cpu_used_cores{service=\"api\"}", 0), "cores");
    CHECK_STR(infer("container_cpu_usage", 0), "cores");
    CHECK_STR(infer("node_cpu_seconds_total{cpu=\"0\"}", 0), "cores");
    CHECK_STR(infer("http_requests_total{service=\"api\"}", 0), "req/s");
    CHECK_STR(infer("http_requests_total{service=\"api\"}", 1), "req/s");
    CHECK_STR(infer("node_network_receive_bytes_total", 0), "bytes/s");
    CHECK_STR(infer("errors_total", 0), "/s");
    CHECK_STR(infer("queue_depth", 1), "/s"); /* a counter by config */
    CHECK_STR(infer("queue_depth", 0), "");
    CHECK_STR(infer("cpuinfo_count", 0), ""); /* "cpu" must be a word */
    CHECK_STR(infer("bytes", 0), "");         /* a suffix, not the name */
    CHECK_STR(infer("", 0), "");
    CHECK_STR(infer(NULL, 0), "");
}

int main(void)
{
    test_known_answers();
    test_round_trip_csv();
    test_infer();
    return check_summary("units");
}
