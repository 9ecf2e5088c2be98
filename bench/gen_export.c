/* gen_export.c -- writes a deterministic, realistic long-CSV metric export
 * (FORMATS.md #4: header "timestamp,series,value") for the ingest benchmark.
 *
 * Usage: gen_export OUT.csv TARGET_MB
 *
 * The export covers a fleet of hosts, each with a handful of series whose
 * keys look like what Prometheus/VictoriaMetrics/Graphite exports carry:
 *   node_cpu_utilisation{host="web-017",service="checkout"}   (quoted: "" and ,)
 *   node_load1{host="web-017"}                                 (quoted: "")
 *   web-017.disk_used_pct                                      (plain)
 * Rows are time-major (every series at one timestamp, then the next step),
 * like an SQL or Grafana-long export, 5-minute steps from
 * 2025-01-01T00:00:00Z. Values have daily and weekly seasonality, a trend and
 * Gaussian noise; counters (*_total) are monotonic; about 0.1% of the rows are
 * missing (scrape gaps). Whole steps are written until the file holds at
 * least TARGET_MB * 1e6 bytes, so every series ends at the same time.
 *
 * Everything comes from one fixed-seed splitmix64 stream: the same
 * arguments give a byte-identical file. The file is written to OUT.csv.tmp
 * and renamed, so an interrupted run never leaves a plausible-looking file.
 * On success one line "bytes=... rows=... series=... steps=... step_s=...
 * first=... last=..." goes to stdout. */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STEP_S 300
#define START_S INT64_C(1735689600) /* 2025-01-01T00:00:00Z */
#define OUTBUF (8u << 20)

/* ---- PRNG ------------------------------------------------------------- */

static uint64_t rng_state = UINT64_C(0x68656164726f6f6d); /* "headroom" */

static uint64_t splitmix64(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* uniform in [0, 1) with 53 random bits */
static double unif(void) { return (double)(splitmix64() >> 11) * (1.0 / 9007199254740992.0); }

/* standard normal (Box-Muller, both values used) */
static double gauss(void)
{
    static int have;
    static double spare;
    if (have) {
        have = 0;
        return spare;
    }
    double u1 = unif(), u2 = unif();
    if (u1 < 1e-300)
        u1 = 1e-300;
    double r = sqrt(-2.0 * log(u1)), a = 2.0 * M_PI * u2;
    spare = r * sin(a);
    have = 1;
    return r * cos(a);
}

/* ---- series catalogue ------------------------------------------------- */

enum kind { K_PCT, K_BYTES_UP, K_BYTES_DOWN, K_COUNTER, K_LOAD, K_LATENCY, K_DISKPCT };

typedef struct series {
    char *field;     /* the key as a CSV field (quoted when needed) */
    size_t flen;
    enum kind kind;
    int decimals;
    double base, amp, phase, trend_per_day, noise, lo, hi;
    double acc;      /* counters: running total */
} series;

static const char *const services[] = {"checkout", "search", "cart", "auth", "catalog", "payments"};
static const char *const roles[] = {"web", "web", "web", "api", "api", "db", "cache"};

/* Renders key as one CSV field: quoted, with quotes doubled, when it holds
 * a quote, comma, CR or LF (RFC 4180). */
static char *csv_field(const char *key, size_t *len)
{
    size_t n = strlen(key), q = 0;
    int need = 0;
    for (size_t i = 0; i < n; i++) {
        if (key[i] == '"')
            q++;
        if (key[i] == '"' || key[i] == ',' || key[i] == '\n' || key[i] == '\r')
            need = 1;
    }
    char *out = malloc(n + q + 3);
    if (!out)
        return NULL;
    char *o = out;
    if (need)
        *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (key[i] == '"')
            *o++ = '"';
        *o++ = key[i];
    }
    if (need)
        *o++ = '"';
    *o = '\0';
    *len = (size_t)(o - out);
    return out;
}

static int add(series **v, size_t *n, size_t *cap, const char *key, enum kind k)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        series *p = realloc(*v, nc * sizeof *p);
        if (!p)
            return -1;
        *v = p;
        *cap = nc;
    }
    series *s = &(*v)[*n];
    memset(s, 0, sizeof *s);
    s->field = csv_field(key, &s->flen);
    if (!s->field)
        return -1;
    s->kind = k;
    s->phase = unif() * 2.0 * M_PI / 6.0 - M_PI / 6.0; /* peak within +-2 h of the fleet's */
    switch (k) {
    case K_PCT: /* CPU utilisation, % */
        s->decimals = 2;
        s->base = 15.0 + 40.0 * unif();
        s->amp = s->base * (0.2 + 0.4 * unif());
        s->trend_per_day = 0.05 + 0.25 * unif();
        s->noise = 1.0 + 3.0 * unif();
        s->lo = 0.0;
        s->hi = 100.0;
        break;
    case K_BYTES_UP: /* memory used, bytes: grows (leaks, caches) */
        s->decimals = 0;
        s->base = (2.0 + 30.0 * unif()) * 1073741824.0;
        s->amp = s->base * 0.05 * unif();
        s->trend_per_day = s->base * (0.002 + 0.01 * unif());
        s->noise = s->base * 0.005;
        s->lo = 0.0;
        s->hi = 256.0 * 1073741824.0;
        break;
    case K_BYTES_DOWN: /* filesystem free bytes: shrinks */
        s->decimals = 0;
        s->base = (50.0 + 450.0 * unif()) * 1073741824.0;
        s->amp = s->base * 0.002;
        s->trend_per_day = -s->base * (0.003 + 0.02 * unif());
        s->noise = s->base * 0.0005;
        s->lo = 0.0;
        s->hi = 1e15;
        break;
    case K_COUNTER: /* requests, per-second rate integrated */
        s->decimals = 0;
        s->base = 20.0 + 400.0 * unif();
        s->amp = s->base * (0.3 + 0.5 * unif());
        s->trend_per_day = s->base * 0.003 * unif();
        s->noise = s->base * 0.05;
        s->lo = 0.0;
        s->hi = 1e12;
        s->acc = floor(1e6 * unif());
        break;
    case K_LOAD:
        s->decimals = 2;
        s->base = 0.5 + 6.0 * unif();
        s->amp = s->base * 0.5;
        s->trend_per_day = 0.01 * unif();
        s->noise = 0.3;
        s->lo = 0.0;
        s->hi = 512.0;
        break;
    case K_LATENCY: /* p99 seconds */
        s->decimals = 4;
        s->base = 0.05 + 0.4 * unif();
        s->amp = s->base * 0.4;
        s->trend_per_day = s->base * 0.002 * unif();
        s->noise = s->base * 0.1;
        s->lo = 0.0005;
        s->hi = 60.0;
        break;
    case K_DISKPCT:
        s->decimals = 1;
        s->base = 30.0 + 40.0 * unif();
        s->amp = 1.0;
        s->trend_per_day = 0.1 + 0.5 * unif();
        s->noise = 0.2;
        s->lo = 0.0;
        s->hi = 100.0;
        break;
    }
    (*n)++;
    return 0;
}

static int build_catalogue(size_t nhosts, series **v, size_t *n)
{
    size_t cap = 0;
    char key[512];
    for (size_t h = 0; h < nhosts; h++) {
        const char *role = roles[h % (sizeof roles / sizeof *roles)];
        const char *svc = services[(h / 3) % (sizeof services / sizeof *services)];
        char host[64];
        snprintf(host, sizeof host, "%s-%03zu", role, h + 1);
#define ADD(k)                                                                                     \
    do {                                                                                           \
        if (add(v, n, &cap, key, (k)))                                                             \
            return -1;                                                                             \
    } while (0)
        snprintf(key, sizeof key, "node_cpu_utilisation{host=\"%s\",service=\"%s\"}", host, svc);
        ADD(K_PCT);
        snprintf(key, sizeof key, "node_memory_used_bytes{host=\"%s\",service=\"%s\"}", host, svc);
        ADD(K_BYTES_UP);
        snprintf(key, sizeof key,
                 "node_filesystem_avail_bytes{device=\"/dev/nvme0n1p2\",host=\"%s\",mountpoint=\"/var\"}",
                 host);
        ADD(K_BYTES_DOWN);
        snprintf(key, sizeof key, "node_load1{host=\"%s\"}", host);
        ADD(K_LOAD);
        snprintf(key, sizeof key, "%s.disk_used_pct", host);
        ADD(K_DISKPCT);
        if (strcmp(role, "web") == 0 || strcmp(role, "api") == 0) {
            snprintf(key, sizeof key, "http_requests_total{code=\"200\",host=\"%s\",service=\"%s\"}", host,
                     svc);
            ADD(K_COUNTER);
            snprintf(key, sizeof key, "http_requests_total{code=\"500\",host=\"%s\",service=\"%s\"}", host,
                     svc);
            ADD(K_COUNTER);
            (*v)[*n - 1].base *= 0.002; /* errors are rare */
            (*v)[*n - 1].amp *= 0.002;
            (*v)[*n - 1].noise *= 0.002;
            snprintf(key, sizeof key,
                     "http_request_duration_seconds{host=\"%s\",quantile=\"0.99\",service=\"%s\"}", host, svc);
            ADD(K_LATENCY);
        }
#undef ADD
    }
    return 0;
}

/* ---- formatting ------------------------------------------------------- */

/* Writes v with exactly `dec` decimals (0..6); returns the length. */
static size_t fmt_fixed(char *p, double v, int dec)
{
    static const int64_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    char tmp[32];
    char *o = p;
    int64_t x = llround(v * (double)pow10[dec]);
    if (x < 0) {
        *o++ = '-';
        x = -x;
    }
    uint64_t ip = (uint64_t)x / (uint64_t)pow10[dec], fp = (uint64_t)x % (uint64_t)pow10[dec];
    size_t k = 0;
    do {
        tmp[k++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    while (k)
        *o++ = tmp[--k];
    if (dec) {
        *o++ = '.';
        for (int i = dec - 1; i >= 0; i--) {
            o[i] = (char)('0' + fp % 10);
            fp /= 10;
        }
        o += dec;
    }
    return (size_t)(o - p);
}

static double value_at(series *s, int64_t t_s)
{
    double days = (double)(t_s - START_S) / 86400.0;
    double tod = 2.0 * M_PI * (double)((t_s % 86400 + 86400) % 86400) / 86400.0;
    /* fleet peak around 14:00 UTC, with a second harmonic for the lunch dip */
    double season = sin(tod - 2.0 * M_PI * 8.0 / 24.0 + s->phase) + 0.25 * sin(2.0 * tod + s->phase);
    int64_t dow = ((t_s / 86400) + 4) % 7; /* 0 = Sunday; 1970-01-01 was a Thursday */
    double weekly = (dow == 0 || dow == 6) ? 0.75 : 1.0;
    double x;
    switch (s->kind) {
    case K_COUNTER: {
        double rate = (s->base + s->trend_per_day * days + s->amp * season) * weekly + s->noise * gauss();
        if (rate < 0.0)
            rate = 0.0;
        s->acc += floor(rate * STEP_S);
        return s->acc;
    }
    case K_BYTES_DOWN:
    case K_BYTES_UP:
    case K_DISKPCT:
        x = s->base + s->trend_per_day * days + s->amp * season + s->noise * gauss();
        break;
    default:
        x = (s->base + s->trend_per_day * days) * weekly + s->amp * season * weekly + s->noise * gauss();
        break;
    }
    if (x < s->lo)
        x = s->lo;
    if (x > s->hi)
        x = s->hi;
    return x;
}

/* ---- main ------------------------------------------------------------- */

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen_export OUT.csv TARGET_MB\n");
        return 64;
    }
    char *e;
    errno = 0;
    double mb = strtod(argv[2], &e);
    if (*e || e == argv[2] || errno || !(mb > 0 && mb <= 1e6)) {
        fprintf(stderr, "gen_export: bad TARGET_MB '%s'\n", argv[2]);
        return 64;
    }
    uint64_t target = (uint64_t)(mb * 1e6);

    /* about 4 series per target MB (1200 for 300 MB), between 64 and 20000 */
    double want_series = mb * 4.0;
    if (want_series < 64)
        want_series = 64;
    if (want_series > 20000)
        want_series = 20000;
    size_t nhosts = (size_t)ceil(want_series / 6.7); /* 5 or 8 series per host, 6.7 on average */

    series *s = NULL;
    size_t ns = 0;
    if (build_catalogue(nhosts, &s, &ns)) {
        fprintf(stderr, "gen_export: out of memory\n");
        return 70;
    }

    size_t plen = strlen(argv[1]);
    char *tmp = malloc(plen + 5);
    if (!tmp) {
        fprintf(stderr, "gen_export: out of memory\n");
        return 70;
    }
    memcpy(tmp, argv[1], plen);
    memcpy(tmp + plen, ".tmp", 5);
    FILE *fp = fopen(tmp, "wb");
    if (!fp) {
        fprintf(stderr, "gen_export: %s: cannot create: %s\n", tmp, strerror(errno));
        return 73;
    }
    setvbuf(fp, NULL, _IONBF, 0); /* we buffer ourselves */
    char *buf = malloc(OUTBUF);
    if (!buf) {
        fprintf(stderr, "gen_export: out of memory\n");
        return 70;
    }
    size_t bl = 0;
    uint64_t bytes = 0, rows = 0;
    int ioerr = 0;
#define FLUSH()                                                                                    \
    do {                                                                                           \
        if (bl && fwrite(buf, 1, bl, fp) != bl)                                                    \
            ioerr = 1;                                                                             \
        bytes += bl;                                                                               \
        bl = 0;                                                                                    \
    } while (0)

    static const char hdr[] = "timestamp,series,value\n";
    memcpy(buf, hdr, sizeof hdr - 1);
    bl = sizeof hdr - 1;

    int64_t step = 0;
    char ts[32];
    size_t tslen = 0;
    while (bytes + bl < target && !ioerr) {
        int64_t t = START_S + step * STEP_S;
        /* one timestamp string per step, shared by all its rows */
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        tslen = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ,", &tm);
        for (size_t i = 0; i < ns; i++) {
            double v = value_at(&s[i], t);
            if (unif() < 0.001)
                continue; /* a scrape gap: the export has no row */
            if (bl + tslen + s[i].flen + 48 > OUTBUF)
                FLUSH();
            memcpy(buf + bl, ts, tslen);
            bl += tslen;
            memcpy(buf + bl, s[i].field, s[i].flen);
            bl += s[i].flen;
            buf[bl++] = ',';
            bl += fmt_fixed(buf + bl, v, s[i].decimals);
            buf[bl++] = '\n';
            rows++;
        }
        step++;
    }
    FLUSH();
#undef FLUSH
    if (fclose(fp) != 0)
        ioerr = 1;
    if (ioerr) {
        fprintf(stderr, "gen_export: %s: write failed: %s\n", tmp, strerror(errno));
        remove(tmp);
        return 74;
    }
    if (rename(tmp, argv[1]) != 0) {
        fprintf(stderr, "gen_export: cannot rename %s to %s: %s\n", tmp, argv[1], strerror(errno));
        remove(tmp);
        return 73;
    }
    char first[32], last[32];
    time_t t0 = (time_t)START_S, t1 = (time_t)(START_S + (step - 1) * STEP_S);
    struct tm tm;
    strftime(first, sizeof first, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t0, &tm));
    strftime(last, sizeof last, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t1, &tm));
    printf("bytes=%" PRIu64 " rows=%" PRIu64 " series=%zu steps=%" PRId64 " step_s=%d first=%s last=%s\n",
           bytes, rows, ns, step, STEP_S, first, last);
    for (size_t i = 0; i < ns; i++)
        free(s[i].field);
    free(s);
    free(buf);
    free(tmp);
    return 0;
}
