/* growth.c -- benchmarks of the growth split (and the per-point cost of
 * the causal detector on the same fleet).
 *   growth speed STORE [N]        ns per point of the split (periods,
 *                                 decomposition, change points, organic fit)
 *                                 on the first N series, one thread
 *   growth accuracy TRUTH CAP     step F1 (a step counts when found within
 *                                 24 h), organic growth error, and the
 *                                 saturation dates (p50 error in days,
 *                                 right within 14 days, p10..p90 coverage)
 *                                 of a capacity.json against a generator
 *                                 truth */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze.h"
#include "detect.h"
#include "growth.h"
#include "store.h"
#include "timefmt.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int speed(const char *store, size_t want)
{
    hr_seriesset set = {0};
    hr_err err = {0};
    if (hr_store_load(store, &set, &err)) {
        fprintf(stderr, "growth: %s\n", err.msg);
        return 1;
    }
    size_t n = want && want < set.n ? want : set.n, max_n = 1, points = 0, steps = 0;
    for (size_t i = 0; i < n; i++)
        if (set.s[i].n > max_n)
            max_n = set.s[i].n;
    hr_analyze_ws *ws = hr_analyze_ws_alloc(max_n);
    hr_growth_cfg cfg = {0};
    cfg.organic_window_days = HR_ORGANIC_WINDOW_DAYS;
    cfg.inorganic_only = 1;
    cfg.min_step_pct = 3;
    double t = now_s();
    for (size_t i = 0; i < n; i++) {
        hr_growth_out g;
        const double *v = hr_analyze_values(&set.s[i], ws);
        hr_analyze_growth(&set.s[i], v, &cfg, ws, &g, &err);
        points += set.s[i].n;
        steps += g.nsteps;
        hr_growth_out_clear(&g);
    }
    t = now_s() - t;
    printf("growth split: %zu series, %zu points, %.2f s on one thread: %.0f ns per point (%zu steps found)\n", n,
           points, t, t * 1e9 / (double)points, steps);
    hr_analyze_ws_free(ws);
    hr_seriesset_clear(&set);
    return 0;
}

static int detect_speed(const char *store, size_t want)
{
    hr_seriesset set = {0};
    hr_err err = {0};
    if (hr_store_load(store, &set, &err)) {
        fprintf(stderr, "growth: %s\n", err.msg);
        return 1;
    }
    size_t n = want && want < set.n ? want : set.n, max_n = 1, points = 0;
    for (size_t i = 0; i < n; i++)
        if (set.s[i].n > max_n)
            max_n = set.s[i].n;
    hr_analyze_ws *aws = hr_analyze_ws_alloc(max_n);
    hr_det_ws *ws = hr_det_ws_alloc(max_n);
    double *score = malloc(max_n * sizeof *score);
    int64_t *t = malloc(max_n * sizeof *t);
    double el = 0;
    for (size_t i = 0; i < n; i++) {
        const hr_series *s = &set.s[i];
        const double *v = hr_analyze_values(s, aws);
        for (size_t j = 0; j < s->n; j++)
            t[j] = s->t0_ms + (int64_t)j * s->step_ms;
        double t0 = now_s();
        hr_det_score(v, t, s->n, ws, score, NULL);
        el += now_s() - t0;
        points += s->n;
    }
    printf("causal detector: %zu series, %zu points, %.2f s on one thread: %.0f ns per point\n", n, points, el,
           el * 1e9 / (double)points);
    free(score);
    free(t);
    hr_det_ws_free(ws);
    hr_analyze_ws_free(aws);
    hr_seriesset_clear(&set);
    return 0;
}

static int64_t T(json_t *s)
{
    int64_t t = -1;
    const char *why, *x = json_string_value(s);
    if (!x || hr_time_parse(x, strlen(x), &t, &why))
        return -1;
    return t;
}

static int accuracy(const char *truth_path, const char *cap_path)
{
    json_error_t je;
    json_t *truth = json_load_file(truth_path, 0, &je), *cap = json_load_file(cap_path, 0, &je);
    if (!truth || !cap) {
        fprintf(stderr, "growth: cannot read %s or %s\n", truth_path, cap_path);
        return 1;
    }
    size_t tp = 0, fp = 0, fn = 0, nres = 0, nline = 0;
    double err_sum = 0, line_sum = 0;
    /* saturation dates against the truth with events: resources where
     * both say a date (error in days), agreement within 14 days (both
     * null within the horizon counts), and the p10..p90 range (p90 null:
     * beyond the horizon) holding the true date */
    size_t nsat = 0, nboth = 0, within = 0, ncov = 0, covered = 0;
    double sat_err = 0, sat_bias = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(cap, "resources"), i, r)
    {
        const char *key = json_string_value(json_object_get(r, "series"));
        json_t *ts = NULL, *x;
        size_t k;
        json_array_foreach(json_object_get(truth, "series"), k, x)
        {
            if (strcmp(json_string_value(json_object_get(x, "key")), key) == 0)
                ts = x;
        }
        if (!ts)
            continue;
        json_t *sat = json_object_get(r, "saturation");
        int64_t td = T(json_object_get(ts, "saturation_date_with_events"));
        int64_t p10 = T(json_object_get(sat, "p10")), p50 = T(json_object_get(sat, "p50")),
                p90 = T(json_object_get(sat, "p90"));
        if (json_is_object(sat)) {
            nsat++;
            if (td >= 0 && p50 >= 0) {
                double d = (double)(p50 - td) / 86400000.0;
                sat_err += fabs(d);
                sat_bias += d;
                nboth++;
            }
            within += (td < 0 && p50 < 0) || (td >= 0 && p50 >= 0 && llabs(p50 - td) <= 14 * 86400000LL);
            if (td >= 0) {
                ncov++;
                covered += p10 >= 0 && p10 <= td && (p90 < 0 || td <= p90);
            }
        }
        json_t *tg = json_object_get(ts, "organic_growth_pct_per_30d");
        double og = json_number_value(json_object_get(r, "organic_growth_pct_per_30d"));
        double lg = json_number_value(json_object_get(json_object_get(r, "trend"), "growth_pct_per_30d"));
        if (json_is_number(tg)) {
            err_sum += fabs(og - json_number_value(tg));
            nres++;
            if (json_is_number(json_object_get(json_object_get(r, "trend"), "growth_pct_per_30d"))) {
                line_sum += fabs(lg - json_number_value(tg));
                nline++;
            }
        }
        json_t *pred = json_object_get(r, "inorganic_steps"), *tru = json_object_get(ts, "steps");
        size_t np = json_array_size(pred), nt = json_array_size(tru);
        char *used = calloc(np + 1, 1);
        for (size_t a = 0; a < nt; a++) {
            int64_t tt = T(json_object_get(json_array_get(tru, a), "time"));
            size_t best = (size_t)-1;
            int64_t bd = INT64_MAX;
            for (size_t b = 0; b < np; b++) {
                int64_t d = llabs(T(json_object_get(json_array_get(pred, b), "time")) - tt);
                if (!used[b] && d <= 86400000 && d < bd) {
                    bd = d;
                    best = b;
                }
            }
            if (best != (size_t)-1) {
                used[best] = 1;
                tp++;
            } else {
                fn++;
            }
        }
        for (size_t b = 0; b < np; b++)
            fp += !used[b];
        free(used);
    }
    double P = tp + fp ? (double)tp / (double)(tp + fp) : 0, R = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    printf("steps: %zu true, %zu found, %zu matched within 24 h: precision %.3f, recall %.3f, F1 %.3f\n", tp + fn,
           tp + fp, tp, P, R, P + R > 0 ? 2 * P * R / (P + R) : 0);
    printf("organic growth: mean absolute error %.3f points per 30 days over %zu resources "
           "(line through recent daily peaks: %.3f)\n",
           nres ? err_sum / (double)nres : NAN, nres, nline ? line_sum / (double)nline : NAN);
    printf("saturation p50 vs the true date with events: mean absolute error %.1f days (bias %+.1f) over %zu "
           "resources with both dates; right within 14 days %zu of %zu (%.3f); p10..p90 holds the true date "
           "for %zu of %zu (%.3f)\n",
           nboth ? sat_err / (double)nboth : NAN, nboth ? sat_bias / (double)nboth : NAN, nboth, within, nsat,
           nsat ? (double)within / (double)nsat : NAN, covered, ncov, ncov ? (double)covered / (double)ncov : NAN);
    json_decref(truth);
    json_decref(cap);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "speed") == 0)
        return speed(argv[2], argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 0);
    if (argc >= 3 && strcmp(argv[1], "detect-speed") == 0)
        return detect_speed(argv[2], argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 0);
    if (argc == 4 && strcmp(argv[1], "accuracy") == 0)
        return accuracy(argv[2], argv[3]);
    fprintf(stderr, "usage: growth speed STORE [N] | growth detect-speed STORE [N] | growth accuracy TRUTH CAP\n");
    return 64;
}
