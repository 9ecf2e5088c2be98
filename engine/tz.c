/* tz.c -- see tz.h: the zone is a table of offset transitions, taken
 * once from the C library's own reading of the tzdata file. */
#include "tz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The span scanned: the days around 1970-01-01 and 2200-01-01 UTC, so
 * that every local time of timefmt.h's accepted range is covered. */
#define SCAN_FROM_S (-3 * INT64_C(86400))
#define SCAN_TO_S (INT64_C(7258118400) + 3 * INT64_C(86400))

struct hr_tz {
    char *name;
    size_t n;     /* transitions */
    int64_t *at;  /* UTC second from which transition i's offset holds */
    int64_t *lo;  /* first local second it touches: at + min(offset before, after) */
    int32_t *off; /* n + 1 offsets: off[i] before transition i, off[i + 1] after */
};

void hr_tz_free(hr_tz *tz)
{
    if (!tz)
        return;
    free(tz->name);
    free(tz->at);
    free(tz->lo);
    free(tz->off);
    free(tz);
}

const char *hr_tz_name(const hr_tz *tz) { return tz->name; }

/* True for a relative path of [A-Za-z0-9_+-./] without empty or dot-led
 * components, which keeps the name inside the tzdata directory. */
static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 200)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int start = i == 0 || s[i - 1] == '/';
        if (start && (c == '/' || c == '.'))
            return 0;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '+' || c == '-' || c == '.' || c == '/'))
            return 0;
    }
    return s[n - 1] != '/';
}

/* The offset localtime_r gives for UTC second t under the current TZ. */
static long gmtoff_at(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return 0;
    return tm.tm_gmtoff;
}

static int push(hr_tz *tz, size_t *cap, int64_t at, int32_t before, int32_t after)
{
    if (tz->n + 1 >= *cap) {
        size_t nc = *cap * 2;
        int64_t *a = realloc(tz->at, nc * sizeof *a);
        if (a)
            tz->at = a;
        int64_t *l = realloc(tz->lo, nc * sizeof *l);
        if (l)
            tz->lo = l;
        int32_t *o = realloc(tz->off, (nc + 1) * sizeof *o);
        if (o)
            tz->off = o;
        if (!a || !l || !o)
            return -1;
        *cap = nc;
    }
    tz->at[tz->n] = at;
    tz->lo[tz->n] = at + (before < after ? before : after);
    tz->off[tz->n] = before;
    tz->off[tz->n + 1] = after;
    tz->n++;
    return 0;
}

/* Fills the table from the C library under TZ=":path" (set by the
 * caller): a day-by-day walk, bisecting each day whose offset changed. */
static int scan(hr_tz *tz)
{
    size_t cap = 64;
    tz->at = malloc(cap * sizeof *tz->at);
    tz->lo = malloc(cap * sizeof *tz->lo);
    tz->off = malloc((cap + 1) * sizeof *tz->off);
    if (!tz->at || !tz->lo || !tz->off)
        return -1;
    int64_t a = SCAN_FROM_S; /* the offset is prev at a */
    long prev = gmtoff_at(a);
    tz->off[0] = (int32_t)prev;
    while (a < SCAN_TO_S) {
        int64_t b = a + 86400;
        if ((int64_t)(time_t)b != b)
            break; /* a 32-bit time_t ends in 2038 */
        if (gmtoff_at(b) == prev) {
            a = b;
            continue;
        }
        while (b - a > 1) { /* prev at a, another offset at b */
            int64_t m = a + (b - a) / 2;
            if (gmtoff_at(m) == prev)
                a = m;
            else
                b = m;
        }
        long next = gmtoff_at(b);
        if (push(tz, &cap, b, (int32_t)prev, (int32_t)next))
            return -1;
        prev = next;
        a = b; /* a second change the same day is found from here */
    }
    return 0;
}

int hr_tz_open(const char *name, hr_tz **out, hr_err *err)
{
    *out = NULL;
    if (!name_ok(name))
        return hr_err_set(err, HR_EUSAGE, "unknown time zone \"%.200s\" (want an IANA name such as Europe/Berlin)",
                          name);
    hr_tz *tz = calloc(1, sizeof *tz);
    if (!tz || !(tz->name = strdup(name))) {
        free(tz);
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    }
    if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
        /* no file needed: offset 0 for ever */
        tz->off = calloc(1, sizeof *tz->off);
        if (!tz->off) {
            hr_tz_free(tz);
            return hr_err_set(err, HR_ESOFTWARE, "out of memory");
        }
        *out = tz;
        return HR_OK;
    }
    const char *dir = getenv("TZDIR");
    char path[512], magic[4];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    struct stat sb;
    FILE *fp = stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? fopen(path, "rb") : NULL;
    if (!fp) {
        hr_tz_free(tz);
        return hr_err_set(err, HR_EUSAGE,
                          "unknown time zone \"%s\": no file %s (want an IANA name such as Europe/Berlin; "
                          "is the tzdata package installed?)",
                          name, path);
    }
    int tzif = fread(magic, 1, 4, fp) == 4 && memcmp(magic, "TZif", 4) == 0;
    fclose(fp);
    if (!tzif) {
        hr_tz_free(tz);
        return hr_err_set(err, HR_EUSAGE, "unknown time zone \"%s\": %s is not a TZif file", name, path);
    }

    /* Let the C library read the file, under TZ=":path" (a file name to
     * glibc), then put TZ back as it was. */
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;
    char tzval[520];
    snprintf(tzval, sizeof tzval, ":%s", path);
    int rc = (old && !saved) || setenv("TZ", tzval, 1) != 0 ? -1 : 0;
    if (rc == 0) {
        tzset();
        rc = scan(tz);
        if (saved)
            setenv("TZ", saved, 1);
        else
            unsetenv("TZ");
        tzset();
    }
    free(saved);
    if (rc) {
        hr_tz_free(tz);
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    }
    *out = tz;
    return HR_OK;
}

/* The number of entries of the sorted a[0..n) that are <= x. */
static size_t count_upto(const int64_t *a, size_t n, int64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (a[m] <= x)
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
}

int32_t hr_tz_offset(const hr_tz *tz, int64_t t)
{
    return tz->off[count_upto(tz->at, tz->n, t)];
}

int hr_tz_to_utc(const hr_tz *tz, int64_t local, int64_t *utc)
{
    /* the last transition whose local window starts at or before local */
    size_t lo = count_upto(tz->lo, tz->n, local);
    if (lo == 0) {
        *utc = local - tz->off[0];
        return HR_TZ_UNIQUE;
    }
    size_t i = lo - 1;
    int32_t before = tz->off[i], after = tz->off[i + 1];
    if (local >= tz->at[i] + (before > after ? before : after)) {
        *utc = local - after;
        return HR_TZ_UNIQUE;
    }
    /* inside the window: a gap (forward) or an overlap (back); both read
     * with the offset before the change (tz.h) */
    *utc = local - before;
    return after > before ? HR_TZ_GAP : HR_TZ_FOLD;
}
