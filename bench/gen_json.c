/* gen_json.c -- writes a deterministic JSON metric export of a target size
 * for the ingest memory benchmark (bench/run.sh, section ingest_mem).
 *
 * Usage: gen_json LAYOUT OUT.json TARGET_MB
 *   LAYOUT  prometheus  /api/v1/query_range response (values [t, "v"])
 *           datadog     /api/v1/query response (pointlist [ms, v])
 *           cloudwatch  get-metric-data output (Timestamps/Values, newest first)
 *           graphite    render?format=json (datapoints [v, t])
 *
 * The export holds SERIES series (hosts x CPU modes) of a bounded random
 * walk at a 60 s step from 2025-01-01T00:00:00Z, written series after
 * series as the servers do; the number of steps is chosen so that the
 * file holds about TARGET_MB * 1e6 bytes (one pass measures a point's
 * size, the second writes). Minified, as the APIs send it. The same
 * arguments give a byte-identical file, written to OUT.tmp and renamed.
 * On success one line "bytes=... points=... series=... steps=..." goes to
 * stdout. */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#define SERIES 240
#define STEP_S 60
#define START_S INT64_C(1735689600) /* 2025-01-01T00:00:00Z */

/* one stream per series (GSL's MT19937 seeded by the series index), so a
 * series' walk does not depend on the layout or the step count */
static gsl_rng *rng;

static void seed(int s) { gsl_rng_set(rng, UINT64_C(0x68656164) + (unsigned long)s); }
static double unif(void) { return gsl_rng_uniform(rng); }

enum layout { PROM, DD, CW, GR };
static const char *const modes[] = {"user", "system", "iowait", "steal"};

/* Writes series s (steps points) in the layout; returns bytes written. */
static size_t write_series(FILE *f, enum layout L, int s, long steps)
{
    char host[32], name[96];
    snprintf(host, sizeof host, "web-%03d", s / 4);
    const char *mode = modes[s % 4];
    long before = ftell(f);
    seed(s);
    double v = 20.0 + 40.0 * unif();
    if (s)
        fputc(',', f);
    switch (L) {
    case PROM:
        fprintf(f, "{\"metric\":{\"__name__\":\"node_cpu_pct\",\"instance\":\"%s:9100\",\"mode\":\"%s\"},\"values\":[",
                host, mode);
        break;
    case DD:
        fprintf(f, "{\"metric\":\"system.cpu.%s\",\"display_name\":\"system.cpu.%s\",\"scope\":\"host:%s\","
                   "\"tag_set\":[\"host:%s\"],\"expression\":\"avg:system.cpu.%s{host:%s}\",\"interval\":60,"
                   "\"length\":%ld,\"pointlist\":[",
                mode, mode, host, host, mode, host, steps);
        break;
    case CW:
        snprintf(name, sizeof name, "%s_%s", host, mode);
        for (char *p = name; *p; p++)
            if (*p == '-')
                *p = '_';
        fprintf(f, "{\"Id\":\"%s\",\"Label\":\"CPUUtilization %s\",\"Timestamps\":[", name, mode);
        break;
    case GR:
        fprintf(f, "{\"target\":\"servers.%s.cpu.%s\",\"tags\":{\"name\":\"servers.%s.cpu.%s\"},\"datapoints\":[",
                host, mode, host, mode);
        break;
    }
    char tb[40];
    for (long i = 0; i < steps; i++) {
        long k = L == CW ? steps - 1 - i : i; /* CloudWatch: newest first */
        int64_t t = START_S + (int64_t)k * STEP_S;
        v += (unif() - 0.5) * 4.0;
        if (v < 0.5)
            v = 0.5 + unif();
        if (v > 99.5)
            v = 99.5 - unif();
        const char *sep = i ? "," : "";
        switch (L) {
        case PROM:
            fprintf(f, "%s[%" PRId64 ",\"%.4f\"]", sep, t, v);
            break;
        case DD:
            fprintf(f, "%s[%" PRId64 ".0,%.4f]", sep, t * 1000, v);
            break;
        case CW: {
            time_t tt = (time_t)t;
            struct tm tm;
            gmtime_r(&tt, &tm);
            strftime(tb, sizeof tb, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
            fprintf(f, "%s\"%s\"", sep, tb);
            break;
        }
        case GR:
            fprintf(f, "%s[%.4f,%" PRId64 "]", sep, v, t);
            break;
        }
    }
    if (L == CW) {
        fputs("],\"Values\":[", f);
        seed(s);
        v = 20.0 + 40.0 * unif();
        /* values in the timestamps' (reversed) order: regenerate the walk
         * forward, then write it backwards */
        double *w = malloc((size_t)steps * sizeof *w);
        if (!w)
            return 0;
        for (long i = 0; i < steps; i++) {
            v += (unif() - 0.5) * 4.0;
            if (v < 0.5)
                v = 0.5 + unif();
            if (v > 99.5)
                v = 99.5 - unif();
            w[i] = v;
        }
        for (long i = steps - 1; i >= 0; i--)
            fprintf(f, "%s%.4f", i == steps - 1 ? "" : ",", w[i]);
        free(w);
        fputs("],\"StatusCode\":\"Complete\"}", f);
    } else if (L == DD) {
        fputs("],\"unit\":[{\"family\":\"percentage\",\"name\":\"percent\"},null]}", f);
    } else {
        fputs("]}", f);
    }
    return (size_t)(ftell(f) - before);
}

static void write_all(FILE *f, enum layout L, long steps)
{
    switch (L) {
    case PROM:
        fputs("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[", f);
        break;
    case DD:
        fputs("{\"status\":\"ok\",\"res_type\":\"time_series\",\"series\":[", f);
        break;
    case CW:
        fputs("{\"MetricDataResults\":[", f);
        break;
    case GR:
        fputc('[', f);
        break;
    }
    for (int s = 0; s < SERIES; s++)
        write_series(f, L, s, steps);
    switch (L) {
    case PROM:
        fputs("]}}\n", f);
        break;
    case DD:
        fprintf(f, "],\"from_date\":%" PRId64 ",\"to_date\":%" PRId64 ",\"query\":\"system.cpu.*{*} by {host}\"}\n",
                START_S * 1000, (START_S + steps * STEP_S) * 1000);
        break;
    case CW:
        fputs("],\"Messages\":[]}\n", f);
        break;
    case GR:
        fputs("]\n", f);
        break;
    }
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"prometheus", "datadog", "cloudwatch", "graphite"};
    if (argc != 4) {
        fprintf(stderr, "usage: gen_json prometheus|datadog|cloudwatch|graphite OUT.json TARGET_MB\n");
        return 64;
    }
    int L = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(argv[1], names[i]) == 0)
            L = i;
    char *e;
    double mb = strtod(argv[3], &e);
    if (L < 0 || *e || !(mb > 0 && mb <= 1e5)) {
        fprintf(stderr, "gen_json: bad layout or TARGET_MB\n");
        return 64;
    }
    rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return 70;
    /* one series of 1000 points measures a point's size */
    FILE *probe = tmpfile();
    if (!probe) {
        fprintf(stderr, "gen_json: tmpfile: %s\n", strerror(errno));
        return 74;
    }
    double per_point = (double)write_series(probe, (enum layout)L, 1, 1000) / 1000.0;
    fclose(probe);
    long steps = (long)(mb * 1e6 / SERIES / per_point);
    if (steps < 2)
        steps = 2;
    size_t plen = strlen(argv[2]);
    char *tmp = malloc(plen + 5);
    if (!tmp)
        return 70;
    memcpy(tmp, argv[2], plen);
    memcpy(tmp + plen, ".tmp", 5);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "gen_json: cannot create %s: %s\n", tmp, strerror(errno));
        return 73;
    }
    write_all(f, (enum layout)L, steps);
    long bytes = ftell(f);
    if (fclose(f) != 0 || rename(tmp, argv[2]) != 0) {
        fprintf(stderr, "gen_json: cannot write %s: %s\n", argv[2], strerror(errno));
        return 74;
    }
    free(tmp);
    gsl_rng_free(rng);
    printf("bytes=%ld points=%ld series=%d steps=%ld\n", bytes, steps * SERIES, SERIES, steps);
    return 0;
}
