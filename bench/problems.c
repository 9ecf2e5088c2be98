/* bench/problems.c -- cost of grouping anomaly spans into incidents
 * (models/problems.h, hr_pm_group) for 10^4, 10^5 and 10^6 random spans,
 * in both modes (any series; only within a group), and of the recurring
 * problem search over the incidents found.
 *
 * Usage (from the repo root): build/bench/problems [RUNS]
 * Spans come from a fixed-seed splitmix64 stream: a fleet of n / 20
 * series in 50 services, 20 spans a day (so the time range grows with n
 * and the density stays that of a busy fleet: about one incident an
 * hour), durations exponential with a mean of 15 minutes, 1 in 20 spans
 * riding on a daily event at the same hour of its series; gap 30 min.
 * Each cell is the fastest of RUNS runs (default 3), one thread.
 * Prints one table: n, mode, incidents, total ms, ns per span, and the
 * recurring search in ms. */
#ifndef _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "problems.h"

#define MIN_MS INT64_C(60000)
#define DAY_MS (1440 * MIN_MS)
#define T0 INT64_C(1704067200000)

static uint64_t rng_state;

static uint64_t splitmix64(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double unif(void) { return (double)(splitmix64() >> 11) * (1.0 / 9007199254740992.0); }

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void gen(hr_pm_span *s, size_t n)
{
    rng_state = UINT64_C(0x68656164726f6f6d) ^ n; /* "headroom" */
    size_t nser = n / 20 ? n / 20 : 1;
    int64_t days = (int64_t)(n / 20) + 1;
    for (size_t i = 0; i < n; i++) {
        size_t ser = (size_t)(unif() * (double)nser);
        int64_t st;
        if (i % 20 == 0) /* a daily job: the series' own hour, a random day */
            st = T0 + (int64_t)(unif() * (double)days) * DAY_MS + (int64_t)(ser % 24) * 60 * MIN_MS;
        else
            st = T0 + (int64_t)(unif() * (double)(days * DAY_MS));
        int64_t d = (int64_t)(-log(1 - unif()) * 15.0 * (double)MIN_MS);
        s[i] = (hr_pm_span){ser, st, st + d, st + d / 3, unif(), unif() < 0.7 ? 1 : -1, ser % 50};
    }
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 3;
    if (runs < 1)
        runs = 1;
    size_t sizes[] = {10000, 100000, 1000000};
    printf("%-9s %-6s %10s %10s %9s %12s\n", "spans", "mode", "incidents", "total_ms", "ns/span",
           "recurring_ms");
    for (size_t k = 0; k < 3; k++) {
        size_t n = sizes[k];
        hr_pm_span *s = malloc(n * sizeof *s);
        if (!s) {
            fprintf(stderr, "problems: out of memory\n");
            return 1;
        }
        gen(s, n);
        for (int mode = 0; mode < 2; mode++) {
            hr_pm_cfg cfg;
            hr_pm_cfg_init(&cfg);
            cfg.gap_ms = 30 * MIN_MS;
            cfg.by_group = mode;
            double best = 1e30, best_rec = 1e30;
            size_t ninc = 0;
            for (int r = 0; r < runs; r++) {
                hr_pm_incidents *inc = NULL;
                hr_pm_err err;
                double t = now_s();
                if (hr_pm_group(s, n, &cfg, &inc, &err)) {
                    fprintf(stderr, "problems: %s\n", err.msg);
                    return 1;
                }
                t = now_s() - t;
                best = t < best ? t : best;
                ninc = inc->n;
                hr_pm_recur_cfg rc;
                hr_pm_recur_cfg_init(&rc);
                hr_pm_recurs *rec = NULL;
                double t2 = now_s();
                if (hr_pm_recurring(inc, &rc, &rec, &err)) {
                    fprintf(stderr, "problems: %s\n", err.msg);
                    return 1;
                }
                t2 = now_s() - t2;
                best_rec = t2 < best_rec ? t2 : best_rec;
                hr_pm_recurs_free(rec);
                hr_pm_incidents_free(inc);
            }
            printf("%-9zu %-6s %10zu %10.1f %9.0f %12.1f\n", n, mode ? "group" : "any", ninc, best * 1e3,
                   best * 1e9 / (double)n, best_rec * 1e3);
        }
        free(s);
    }
    return 0;
}
