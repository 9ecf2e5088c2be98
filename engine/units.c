/* units.c -- see units.h.
 *
 * Why one formatter: capacity reviews read these numbers aloud, so
 * "3.87e+13" or "257.59999999999997" in a table costs the meeting time;
 * before this file each renderer picked its own printf format. Three
 * significant digits is what a capacity decision needs (the forecasts
 * are not better than that) and matches how df -h and Grafana print.
 * Binary prefixes for bytes because disks and memory are bought and
 * shown by the operating system in KiB/MiB/GiB; SI for everything else
 * (IEC 80000-13 and the SI brochure respectively). */
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- inference ------------------------------------------------------------ */

static int ends_with(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* 1 when the underscore-separated name s[0..n) has the word w */
static int has_word(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if ((i == 0 || s[i - 1] == '_') && memcmp(s + i, w, k) == 0 && (i + k == n || s[i + k] == '_'))
            return 1;
    return 0;
}

char *hr_unit_infer(const char *key, int counter, char *out, size_t size)
{
    const char *u = "";
    size_t n = key ? strcspn(key, "{") : 0;
    if (n && ends_with(key, n, "_total")) {
        counter = 1;
        n -= 6;
    }
    int cpu = has_word(key, n, "cpu") || has_word(key, n, "cpus") || has_word(key, n, "cores");
    if (counter) {
        if (ends_with(key, n, "_bytes"))
            u = "bytes/s";
        else if (cpu && ends_with(key, n, "_seconds"))
            u = "cores"; /* CPU seconds per second: cores busy */
        else if (has_word(key, n, "requests") || has_word(key, n, "request"))
            u = "req/s";
        else
            u = "/s";
    } else if (ends_with(key, n, "_bytes")) {
        u = "bytes";
    } else if (ends_with(key, n, "_seconds")) {
        u = "seconds";
    } else if (ends_with(key, n, "_ratio")) {
        u = "ratio";
    } else if (ends_with(key, n, "_percent")) {
        u = "percent";
    } else if (ends_with(key, n, "_celsius")) {
        u = "celsius";
    } else if (cpu) {
        u = "cores";
    }
    snprintf(out, size, "%s", u);
    return out;
}

/* ---- formatting ----------------------------------------------------------- */

/* Writes |m| (>= 0, finite) with 3 significant digits and no exponent:
 * "%.3g" up to 999, fixed decimals below 1e-4 where %g would switch to
 * an exponent. An m that overflowed to infinity is "inf" (its log10
 * would not fit the int of the decimals). */
static void digits3(double m, char *b, size_t n)
{
    if (!isfinite(m)) { /* a ratio near DBL_MAX times 100 */
        snprintf(b, n, "inf");
        return;
    }
    if (m == 0 || (m >= 1e-4 && m < 1e15)) {
        snprintf(b, n, "%.3g", m);
        if (!strchr(b, 'e'))
            return;
    }
    int dec = 2 - (int)floor(log10(m));
    if (dec < 0)
        dec = 0;
    if (dec > 20)
        dec = 20;
    snprintf(b, n, "%.*f", dec, m);
}

/* The mantissa after rounding to 3 significant digits, so that 999.7
 * moves to the next prefix instead of printing "1e+03" or "1000 k". */
static double round3(double m)
{
    if (m <= 0)
        return m;
    double p = pow(10, 2 - floor(log10(m)));
    return round(m * p) / p;
}

/* Scales m (>= 0) by `base` while it would need 4 digits (or until the
 * prefixes run out), returning the index of the prefix: 1000 B is
 * "0.977 KiB", 3 digits like the rest, not "1000 B". */
static int scale(double *m, double base, int nprefix)
{
    int k = 0;
    while (k + 1 < nprefix && round3(*m) >= 1000) {
        *m /= base;
        k++;
    }
    return k;
}

char *hr_fmt_unit(double x, const char *unit, char *buf, size_t size)
{
    if (!unit)
        unit = "";
    if (isnan(x)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    if (isinf(x)) {
        snprintf(buf, size, x > 0 ? "inf" : "-inf");
        return buf;
    }
    const char *sign = x < 0 && round3(fabs(x)) != 0 ? "-" : "";
    double m = fabs(x);
    char d[48];
    if (!strcmp(unit, "bytes") || !strcmp(unit, "bytes/s")) {
        static const char *const bin[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int k = scale(&m, 1024, 7);
        digits3(m, d, sizeof d);
        snprintf(buf, size, "%s%s %s%s", sign, d, bin[k], unit[5] ? "/s" : "");
    } else if (!strcmp(unit, "seconds")) {
        static const struct { double s; const char *name; } T[] = {
            {1e-6, "us"}, {1e-3, "ms"}, {1, "s"}, {60, "min"}, {3600, "h"}, {86400, "d"}};
        size_t k = 0;
        /* the largest unit in which the value is at least 1 (seconds up
         * to a minute, minutes up to an hour ...); below 1 us stay in us */
        for (size_t j = 0; j < sizeof T / sizeof T[0]; j++)
            if (round3(m / T[j].s) >= 1)
                k = j;
        if (m == 0)
            k = 2;
        digits3(m / T[k].s, d, sizeof d);
        snprintf(buf, size, "%s%s %s", sign, d, T[k].name);
    } else if (!strcmp(unit, "ratio") || !strcmp(unit, "percent")) {
        digits3(unit[0] == 'r' ? m * 100 : m, d, sizeof d);
        snprintf(buf, size, "%s%s %%", sign, d);
    } else if (!strcmp(unit, "celsius")) {
        digits3(m, d, sizeof d);
        snprintf(buf, size, "%s%s \xc2\xb0" "C", sign, d);
    } else {
        static const char *const si[] = {"", "k", "M", "G", "T", "P", "E"};
        int k = m >= 1 ? scale(&m, 1000, 7) : 0;
        digits3(m, d, sizeof d);
        const char *sep = k || (unit[0] && unit[0] != '/') ? " " : "";
        /* "/s" directly after the number or prefix: "12 /s" reads oddly */
        snprintf(buf, size, "%s%s%s%s%s%s", sign, d, sep, si[k], k && unit[0] && unit[0] != '/' ? " " : "",
                 unit);
    }
    return buf;
}

double hr_unit_bound(const char *key, int counter)
{
    char u[HR_UNIT_MAX];
    hr_unit_infer(key, counter, u, sizeof u);
    return !strcmp(u, "ratio") ? 1 : !strcmp(u, "percent") ? 100 : NAN;
}
