/* fcrun.c -- forecasts and backtests of a whole series set (fcrun.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "fcrun.h"
#include "growth.h"
#include "timefmt.h"
#include "units.h"

int hr_len_parse(const char *s, size_t max_steps, hr_len *l)
{
    memset(l, 0, sizeof *l);
    if (!s || !*s)
        return -1;
    size_t k = strspn(s, "0123456789");
    if (s[k] == '\0') {
        char *e;
        unsigned long long v = strtoull(s, &e, 10);
        if (*e || v < 1 || v > max_steps)
            return -1;
        l->steps = (size_t)v;
        return 0;
    }
    return hr_duration_parse(s, &l->ms) == 0 && l->ms > 0 ? 0 : -1;
}

size_t hr_len_steps(const hr_len *l, int64_t step_ms, int up)
{
    if (l->steps)
        return l->steps;
    if (step_ms <= 0 || l->ms <= 0)
        return 0;
    int64_t k = up ? (l->ms + step_ms - 1) / step_ms : (l->ms + step_ms / 2) / step_ms;
    return k > 0 ? (size_t)k : 0;
}

int hr_len_parse_periods(const char *s, hr_len *p, size_t *np)
{
    *np = 0;
    if (strcmp(s, "0") == 0)
        return 0;
    char buf[64];
    while (*s) {
        size_t k = strcspn(s, ",");
        if (k == 0 || k >= sizeof buf || *np >= 2)
            return -1;
        memcpy(buf, s, k);
        buf[k] = '\0';
        if (hr_len_parse(buf, 10000000, &p[*np]) || p[*np].steps == 1)
            return -1;
        (*np)++;
        s += k;
        if (*s == ',' && !*++s)
            return -1;
    }
    return *np ? 0 : -1;
}

/* Forecasts series s from its first n points by plan pl: the points after
 * the last level shift the growth split finds in them (when at least
 * max(3 periods, 2 H, 48) remain), with the seasons it finds (or the
 * forced ones). Writes mean/lo/hi as hr_fc_forecast; why may be NULL.
 * Returns hr_fc_forecast's result. */
static int forecast_one(const hr_series *s, size_t n, const hr_fc_plan *pl, const double *levels, size_t nlevels,
                        hr_analyze_ws *aws, hr_fc_ws *fws, double *mean, double *lo, double *hi, hr_fc_why *why)
{
    hr_series sv = *s;
    sv.n = n;
    const double *v = hr_analyze_values(&sv, aws);
    hr_growth_cfg gc;
    memset(&gc, 0, sizeof gc);
    gc.periods = pl->np == (size_t)-1 ? NULL : pl->periods;
    gc.nperiods = pl->np == (size_t)-1 ? 0 : pl->np;
    gc.organic_window_days = HR_ORGANIC_WINDOW_DAYS;
    hr_growth_out g;
    hr_err gerr = {0};
    size_t start = 0;
    hr_fc_opts fo;
    memset(&fo, 0, sizeof fo);
    if (hr_analyze_growth(&sv, v, &gc, aws, &g, &gerr) == HR_OK) {
        for (size_t k = 0; k < g.np && k < 2; k++)
            fo.periods[fo.np++] = g.periods[k];
        size_t pmax = fo.np ? fo.periods[fo.np - 1] : 1, need = 3 * pmax;
        if (need < 2 * pl->H)
            need = 2 * pl->H;
        if (need < 48)
            need = 48;
        for (size_t k = 0; k < g.nsteps; k++)
            if (g.steps[k].kind == HR_STEP_LEVEL && n - g.steps[k].index >= need)
                start = g.steps[k].index;
    }
    hr_growth_out_clear(&g);
    if (pl->np != (size_t)-1) { /* forced periods stand even when too long to detect */
        fo.np = 0;
        for (size_t k = 0; k < pl->np && k < 2; k++)
            fo.periods[fo.np++] = pl->periods[k];
    }
    fo.horizon = pl->H;
    fo.levels = levels;
    fo.nlevels = nlevels;
    hr_fc_info info;
    int rc = hr_fc_forecast(v + start, n - start, &fo, fws, mean, lo, hi, &info);
    /* a ratio or a percentage cannot pass its bound: nor can its fan */
    double bound = hr_unit_bound(s->key, s->kind == HR_COUNTER);
    for (size_t h = 0; rc == 0 && isfinite(bound) && h < pl->H; h++) {
        mean[h] = fmin(mean[h], bound);
        for (size_t l = 0; l < nlevels; l++) {
            lo[l * pl->H + h] = fmin(lo[l * pl->H + h], bound);
            hi[l * pl->H + h] = fmin(hi[l * pl->H + h], bound);
        }
    }
    if (why) {
        why->info = info;
        why->start = start;
        why->np = fo.np;
        memcpy(why->periods, fo.periods, sizeof why->periods);
    }
    return rc;
}

/* The workspace sizes for plan over set: the longest series, horizon
 * and period. */
static void ws_sizes(const hr_seriesset *set, const hr_fc_plan *plan, size_t *max_n, size_t *max_h,
                     size_t *max_period)
{
    *max_n = *max_h = *max_period = 1;
    for (size_t i = 0; i < set->n; i++) {
        const hr_fc_plan *pl = &plan[i];
        if (set->s[i].n > *max_n)
            *max_n = set->s[i].n;
        if (pl->H > *max_h)
            *max_h = pl->H;
        if (pl->np == (size_t)-1) {
            size_t half = set->s[i].n / 2; /* detected: within the series */
            if (half > *max_period)
                *max_period = half;
        }
        for (size_t k = 0; pl->np != (size_t)-1 && k < pl->np; k++)
            if (pl->periods[k] > *max_period)
                *max_period = pl->periods[k];
    }
}

int hr_run_forecast_all(const hr_seriesset *set, const hr_fc_plan *plan, const double *levels, size_t nlevels,
                        double **mean, double **lo, double **hi, int *rcs, hr_fc_why *why, hr_err *err)
{
    size_t max_n, max_h, max_period;
    ws_sizes(set, plan, &max_n, &max_h, &max_period);
    int ws_failed = 0;
    const long nser = (long)set->n;
#pragma omp parallel reduction(| : ws_failed)
    {
        hr_analyze_ws *aws = hr_analyze_ws_alloc(max_n);
        hr_fc_ws *fws = hr_fc_ws_alloc(max_n, max_h, max_period);
        if (!aws || !fws)
            ws_failed = 1;
#pragma omp for schedule(dynamic, 4)
        for (long i = 0; i < nser; i++) {
            rcs[i] = -1;
            if (aws && fws && plan[i].H)
                rcs[i] = forecast_one(&set->s[i], set->s[i].n, &plan[i], levels, nlevels, aws, fws, mean[i], lo[i],
                                      hi[i], why ? &why[i] : NULL);
        }
        hr_fc_ws_free(fws);
        hr_analyze_ws_free(aws);
    }
    if (ws_failed)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory for the forecast workspaces");
    return HR_OK;
}

/* The mean absolute one-season change of x[0..n) (the M4 MASE scale,
 * season m; 1 for none): NaN when no pair of finite points exists. */
static double naive_scale(const double *x, size_t n, size_t m)
{
    double s = 0;
    size_t k = 0;
    for (size_t t = m; t < n; t++)
        if (isfinite(x[t]) && isfinite(x[t - m])) {
            s += fabs(x[t] - x[t - m]);
            k++;
        }
    return k ? s / (double)k : NAN;
}

/* Scores the backtest of one series into *bt; scratch holds 5 H doubles
 * (the forecast and its two intervals). */
static void backtest_one(const hr_series *s, const hr_fc_plan *pl, size_t every, size_t norigins,
                         hr_analyze_ws *aws, hr_fc_ws *fws, double *scratch, hr_backtest *bt)
{
    static const double lv[2] = {80, 95};
    memset(bt, 0, sizeof *bt);
    bt->smape = bt->mase = bt->cover80 = bt->cover95 = NAN;
    size_t H = pl->H, n = s->n;
    if (!H || !every || n < H + 48)
        return;
    size_t span = H + (norigins - 1) * every;
    if (span > n - 48) /* the oldest origins that leave too little history go */
        span = (n - 48 - H) / every * every + H;
    size_t first = n - span; /* the oldest origin */
    double *mean = scratch, *lo = mean + H, *hi = lo + 2 * H;
    double sm = 0, ms = 0, in80 = 0, in95 = 0;
    size_t pts = 0, nms = 0;
    for (size_t o = first; o + H <= n; o += every) {
        hr_fc_why why;
        if (forecast_one(s, o, pl, lv, 2, aws, fws, mean, lo, hi, &why))
            continue;
        /* the actual values and the scale (the season's naive error in
         * the history before o), from the full series' values: rebuilt
         * here, as forecast_one's pass over the truncated series reused
         * the workspace */
        const double *v = hr_analyze_values(s, aws);
        size_t m = why.np ? why.periods[0] : 1;
        double scale = naive_scale(v, o, m);
        double ae = 0;
        size_t k = 0;
        for (size_t h = 0; h < H; h++) {
            double y = v[o + h], f = mean[h];
            if (!isfinite(y) || !isfinite(f))
                continue;
            double d = fabs(y) + fabs(f);
            sm += d > 0 ? 200 * fabs(y - f) / d : 0;
            in80 += y >= lo[h] && y <= hi[h];
            in95 += y >= lo[H + h] && y <= hi[H + h];
            ae += fabs(y - f);
            k++;
        }
        if (!k)
            continue;
        pts += k;
        bt->origins++;
        if (isfinite(scale) && scale > 0) {
            ms += ae / (double)k / scale;
            nms++;
        }
        bt->model = why.info.model;
        bt->period = m > 1 ? m : 0;
    }
    bt->points = pts;
    if (pts) {
        bt->smape = sm / (double)pts;
        bt->cover80 = in80 / (double)pts;
        bt->cover95 = in95 / (double)pts;
    }
    if (nms)
        bt->mase = ms / (double)nms;
}

int hr_run_backtest(const hr_seriesset *set, const hr_fc_plan *plan, const size_t *every, size_t norigins,
                    hr_backtest *out, hr_err *err)
{
    size_t max_n, max_h, max_period;
    ws_sizes(set, plan, &max_n, &max_h, &max_period);
    int ws_failed = 0;
    const long nser = (long)set->n;
#pragma omp parallel reduction(| : ws_failed)
    {
        hr_analyze_ws *aws = hr_analyze_ws_alloc(max_n);
        hr_fc_ws *fws = hr_fc_ws_alloc(max_n, max_h, max_period);
        double *scratch = malloc(5 * max_h * sizeof *scratch);
        if (!aws || !fws || !scratch)
            ws_failed = 1;
#pragma omp for schedule(dynamic, 1)
        for (long i = 0; i < nser; i++) {
            memset(&out[i], 0, sizeof out[i]);
            out[i].smape = out[i].mase = out[i].cover80 = out[i].cover95 = NAN;
            if (aws && fws && scratch && norigins)
                backtest_one(&set->s[i], &plan[i], every[i] ? every[i] : plan[i].H, norigins, aws, fws, scratch,
                             &out[i]);
        }
        free(scratch);
        hr_fc_ws_free(fws);
        hr_analyze_ws_free(aws);
    }
    if (ws_failed)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory for the backtest workspaces");
    return HR_OK;
}
