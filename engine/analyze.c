/* analyze.c -- see analyze.h. */
#include "analyze.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capacity.h"
#include "changepoint.h"
#include "detect.h"
#include "growth.h"
#include "profile.h"
#include "robust.h"
#include "units.h"
#include "yearly.h"
#include "zscore.h"

#define DAY_MS INT64_C(86400000)
/* the longest saturation horizon ([analysis] horizon_days is at most 3650) */
#define HR_MAX_HORIZON_DAYS 3650
/* Theil-Sen pairs: all pairs up to ~2 years of daily peaks */
#define MAX_PAIRS ((size_t)300000)

struct hr_analyze_ws {
    size_t max_n, max_days;
    double *rate, *level, *z, *work, *prof, *day, *peak, *ts;
    hr_span *spans;
    size_t max_spans;
    /* growth split */
    hr_dc_ws *dc;
    hr_cp_ws *cp;
    double *trend, *seas, *rem, *y, *daily, *gscratch;
    int dc_log; /* trend and seas are of log x (multiplicative seasonality) */
    hr_cp *cps;
    hr_gstep *gsteps;
    size_t max_cps;
    double *ev; /* HR_MAX_HORIZON_DAYS + 1 event multipliers */
    /* the causal detector */
    hr_det_ws *det;
    int64_t *tms;
    double *zlev; /* the detector's unsuppressed scores, for spans */
    unsigned char *fired; /* which member fired (hr_det_trace) */
    hr_det_span *dspans;
    size_t max_dspans;
};

hr_analyze_ws *hr_analyze_ws_alloc(size_t max_n)
{
    hr_analyze_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    size_t n = max_n ? max_n : 1;
    ws->max_n = n;
    ws->max_days = n + 2; /* a daily series has one peak per point */
    ws->rate = malloc(n * sizeof *ws->rate);
    ws->level = malloc(n * sizeof *ws->level);
    ws->z = malloc(n * sizeof *ws->z);
    ws->zlev = malloc(n * sizeof *ws->zlev);
    ws->work = malloc(2 * n * sizeof *ws->work);
    ws->prof = malloc((size_t)(HR_WEEK_MS / 1000) * sizeof *ws->prof); /* slots >= 1 s */
    ws->day = malloc(ws->max_days * sizeof *ws->day);
    ws->peak = malloc(ws->max_days * sizeof *ws->peak);
    ws->ts = malloc((MAX_PAIRS + ws->max_days) * sizeof *ws->ts);
    ws->max_spans = 64;
    ws->spans = malloc(ws->max_spans * sizeof *ws->spans);
    ws->dc = hr_dc_ws_alloc(n, n);
    ws->cp = hr_cp_ws_alloc(n);
    ws->trend = malloc(n * sizeof *ws->trend);
    ws->seas = malloc(n * sizeof *ws->seas);
    ws->rem = malloc(n * sizeof *ws->rem);
    ws->y = malloc(n * sizeof *ws->y);
    ws->daily = malloc((n + 1) * sizeof *ws->daily);
    /* growth scratch: 2 nd + w^2 for measuring, nd + pairs for the fit */
    ws->gscratch = malloc((3 * n + 2 + 200 * 200) * sizeof *ws->gscratch);
    ws->max_cps = 256;
    ws->cps = malloc(ws->max_cps * sizeof *ws->cps);
    ws->gsteps = malloc(ws->max_cps * sizeof *ws->gsteps);
    ws->ev = malloc((HR_MAX_HORIZON_DAYS + 1) * sizeof *ws->ev);
    ws->det = hr_det_ws_alloc(n);
    ws->tms = malloc(n * sizeof *ws->tms);
    ws->fired = malloc(n);
    if (ws->det)
        hr_det_trace(ws->det, ws->fired);
    ws->max_dspans = 64;
    ws->dspans = malloc(ws->max_dspans * sizeof *ws->dspans);
    if (!ws->rate || !ws->level || !ws->z || !ws->zlev || !ws->work || !ws->prof || !ws->day || !ws->peak ||
        !ws->ts || !ws->spans || !ws->dc || !ws->cp || !ws->trend || !ws->seas || !ws->rem || !ws->y ||
        !ws->daily || !ws->gscratch || !ws->cps || !ws->gsteps || !ws->ev || !ws->det || !ws->tms ||
        !ws->fired || !ws->dspans) {
        hr_analyze_ws_free(ws);
        return NULL;
    }
    return ws;
}

void hr_analyze_ws_free(hr_analyze_ws *ws)
{
    if (!ws)
        return;
    free(ws->rate);
    free(ws->level);
    free(ws->z);
    free(ws->zlev);
    free(ws->work);
    free(ws->prof);
    free(ws->day);
    free(ws->peak);
    free(ws->ts);
    free(ws->spans);
    hr_dc_ws_free(ws->dc);
    hr_cp_ws_free(ws->cp);
    free(ws->trend);
    free(ws->seas);
    free(ws->rem);
    free(ws->y);
    free(ws->daily);
    free(ws->gscratch);
    free(ws->cps);
    free(ws->gsteps);
    free(ws->ev);
    hr_det_ws_free(ws->det);
    free(ws->tms);
    free(ws->fired);
    free(ws->dspans);
    free(ws);
}

void hr_result_clear(hr_result *r)
{
    if (!r)
        return;
    free(r->anom);
    r->anom = NULL;
    r->nanom = 0;
    hr_growth_out_clear(&r->growth);
    free(r->chart_buf);
    r->chart_buf = NULL;
    r->chart_days = r->fan_n = 0;
}

int hr_result_pack(const hr_result *r, FILE *f)
{
    hr_result c = *r; /* the pointers travel as their arrays */
    c.anom = NULL;
    c.growth.steps = NULL;
    c.chart_buf = NULL;
    size_t nchart = r->chart_buf ? 3 * r->chart_days + 3 * r->fan_n : 0;
    if (!r->chart_buf)
        c.chart_days = c.fan_n = 0;
    if (fwrite(&c, sizeof c, 1, f) != 1 || (r->nanom && fwrite(r->anom, sizeof *r->anom, r->nanom, f) != r->nanom) ||
        (r->growth.nsteps && fwrite(r->growth.steps, sizeof *r->growth.steps, r->growth.nsteps, f) != r->growth.nsteps) ||
        (nchart && fwrite(r->chart_buf, sizeof *r->chart_buf, nchart, f) != nchart))
        return -1;
    return 0;
}

/* Takes n bytes at *p (within end) into dst; 0, or -1 when short. */
static int take(void *dst, size_t n, const unsigned char **p, const unsigned char *end)
{
    if ((size_t)(end - *p) < n)
        return -1;
    memcpy(dst, *p, n);
    *p += n;
    return 0;
}

int hr_result_unpack(hr_result *r, const unsigned char **p, const unsigned char *end)
{
    memset(r, 0, sizeof *r);
    hr_result h;
    if (take(&h, sizeof h, p, end))
        return -1;
    size_t na = h.nanom, ns = h.growth.nsteps, cd = h.chart_days, nf = h.fan_n;
    size_t left = (size_t)(end - *p);
    if (na > left / sizeof *r->anom || ns > left / sizeof *r->growth.steps || cd > left / 24 || nf > left / 24)
        return -1; /* sizes the bytes cannot hold: not a packed result */
    size_t nchart = 3 * cd + 3 * nf;
    h.anom = NULL;
    h.growth.steps = NULL;
    h.chart_buf = NULL;
    h.nanom = h.growth.nsteps = h.chart_days = h.fan_n = 0;
    *r = h; /* hr_result_clear-able from here on */
    if ((na && !(r->anom = malloc(na * sizeof *r->anom))) ||
        (ns && !(r->growth.steps = malloc(ns * sizeof *r->growth.steps))) ||
        (nchart && !(r->chart_buf = malloc(nchart * sizeof *r->chart_buf))))
        return -1;
    if ((na && take(r->anom, na * sizeof *r->anom, p, end)) ||
        (ns && take(r->growth.steps, ns * sizeof *r->growth.steps, p, end)) ||
        (nchart && take(r->chart_buf, nchart * sizeof *r->chart_buf, p, end)))
        return -1;
    r->nanom = na;
    r->growth.nsteps = ns;
    r->chart_days = cd;
    r->fan_n = nf;
    return 0;
}

static int64_t day_ms(double d) { return (int64_t)llround(d) * DAY_MS; }

/* Saturation and provisioning from the daily-peak forecast of the growth
 * split (capacity.h); keeps the baseline line's answer when the split has
 * no peak model for this series. */
/* The chart data of a capacity resource (analyze.h): daily peaks, levels
 * and the organic fit of the last HR_CHART_DAYS day blocks, and the
 * daily-peak forecast on its three paths. Returns 0, or -1 out of memory
 * (then the series fails: a capacity report published without the
 * resource's chart would be short with exit 0; make faults). */
static int chart(const hr_series *s, const double *v, const hr_cap_fc *fc, size_t H, const hr_analyze_ws *ws,
                  hr_result *out)
{
    const hr_growth_out *g = &out->growth;
    size_t nd = g->peak_days, per_day = (size_t)(DAY_MS / s->step_ms);
    if (!nd || !per_day)
        return 0;
    size_t m = nd < HR_CHART_DAYS ? nd : HR_CHART_DAYS, d0 = nd - m;
    int step = H > 120 ? 7 : 1;
    size_t nf = H >= 1 ? (H - 1) / (size_t)step + 1 : 0; /* day j = 1 + k step <= H */
    double *b = malloc((3 * m + 3 * nf) * sizeof *b);
    if (!b)
        return -1;
    double rate = log1p(g->organic_pct_30d / 100) / 30;
    for (size_t k = 0; k < m; k++) {
        size_t d = d0 + k;
        double mx = -INFINITY;
        for (size_t i = d * per_day; i < (d + 1) * per_day && i < s->n; i++)
            if (isfinite(v[i]) && v[i] > mx)
                mx = v[i];
        b[k] = isfinite(mx) ? mx : NAN;
        b[m + k] = isfinite(ws->daily[d]) ? exp(ws->daily[d]) : NAN;
        size_t back = nd - 1 - d;
        b[2 * m + k] = back < g->fit_days ? g->organic_level_end * exp(-rate * (double)back) : NAN;
    }
    for (size_t k = 0; k < nf; k++) {
        size_t j = k * (size_t)step + 1;
        b[3 * m + k] = hr_cap_peak(fc, j, -1);
        b[3 * m + nf + k] = hr_cap_peak(fc, j, 0);
        b[3 * m + 2 * nf + k] = hr_cap_peak(fc, j, +1);
    }
    out->chart_buf = b;
    out->chart_days = m;
    out->chart_day0_ms = g->day0_ms + (int64_t)d0 * DAY_MS;
    out->fan_n = nf;
    out->fan0_ms = g->day0_ms + (int64_t)nd * DAY_MS;
    out->fan_step_days = step;
    return 0;
}

static int saturation(const hr_series *s, const double *v, const hr_capacity_in *cap, const hr_analysis_cfg *cfg,
                      hr_analyze_ws *ws, hr_result *out)
{
    const hr_growth_out *g = &out->growth;
    if (!g->peak_days || !(g->organic_level_end > 0) || !isfinite(g->organic_pct_30d))
        return 0;
    size_t H = cfg->horizon_days > 0 ? (size_t)cfg->horizon_days : 365;
    if (H > HR_MAX_HORIZON_DAYS)
        H = HR_MAX_HORIZON_DAYS;
    /* planned events with an expected change, from their day on (for
     * their duration, when they have one) */
    double *ev = ws->ev;
    int64_t last_day_ms = g->day0_ms + (int64_t)(g->peak_days - 1) * DAY_MS;
    {
        for (size_t j = 0; j <= H; j++)
            ev[j] = 1;
        const hr_events *evs = cfg->growth.events;
        for (size_t e = 0; evs && e < evs->n; e++) {
            const hr_event *x = &evs->e[e];
            if (!isfinite(x->expected_pct) || x->t_ms <= last_day_ms || !hr_event_matches(x, s->key))
                continue;
            size_t j0 = (size_t)((x->t_ms - last_day_ms + DAY_MS - 1) / DAY_MS);
            /* a change with a duration lasts that many days (at least
             * the day it starts), then ends */
            size_t j1 = x->dur_ms > 0 ? j0 + (size_t)((x->dur_ms + DAY_MS - 1) / DAY_MS) : H + 1;
            for (size_t j = j0; j <= H && j < j1; j++)
                ev[j] *= 1 + x->expected_pct / 100;
        }
    }
    /* the yearly season, relative to the organic level (which has none) */
    if (g->yearly.found)
        for (size_t j = 0; j <= H; j++)
            ev[j] *= exp(hr_yearly_at(&g->yearly, g->day_num0 + (int64_t)(g->peak_days - 1 + j)));
    hr_cap_fc fc = {
        .level_end = g->organic_level_end,
        .growth_lo = isfinite(g->organic_lo_pct_30d) ? g->organic_lo_pct_30d : g->organic_pct_30d,
        .growth_mid = g->organic_pct_30d,
        .growth_hi = isfinite(g->organic_hi_pct_30d) ? g->organic_hi_pct_30d : g->organic_pct_30d,
        .flo = g->flo,
        .fmid = g->fmid,
        .fhi = g->fhi,
        .ev = ev,
        .nd = g->peak_days,
        .horizon = H,
        .bound = isfinite(out->bound) ? out->bound : 0,
    };
    /* The dates: when the typical (median-factor) peak crosses, on the
     * median path and on the 90% and 10% quantiles of the fitted line's
     * value (its level as uncertain as its slope: a line fitted to the
     * last year is known best at the year's middle, and the error of
     * the level at the last day moves every date; pivoting the slope's
     * interval about the last day, as the fan does, left that out and
     * held the true date in p10..p90 for only 46-51% of the generated
     * fleets' resources once the window was a year; with the level's
     * error 66-74%), the typical peak factor's own error added to the
     * level's (0.76-0.90, bench/growth). The days' scatter
     * around the typical peak (flo, fhi) belongs to the fan of daily
     * peaks and to the units the fast path needs, not to the date's
     * uncertainty: stacked on the growth interval it made p10..p90 hold
     * the true date 95-100% of the time for an 80% range. */
    hr_cap_fc fd = fc;
    fd.flo = fd.fhi = fd.fmid;
    if (g->log_scale && g->organic_slope_se > 0 && isfinite(g->organic_slope_se) &&
        isfinite(g->organic_level_se) && isfinite(g->organic_mid_age)) {
        double pse = isfinite(g->peak_factor_se) ? g->peak_factor_se : 0;
        fd.line_sd_mid = sqrt(g->organic_level_se * g->organic_level_se + pse * pse);
        fd.line_sd_slope = g->organic_slope_se;
        fd.line_age = g->organic_mid_age;
    }
    long d50 = hr_cap_crossing(&fd, out->threshold, 0);
    long d10 = hr_cap_crossing(&fd, out->threshold, +1);
    long d90 = hr_cap_crossing(&fd, out->threshold, -1);
    out->sat_method = 1;
    out->sat_p50_ms = d50 >= 0 ? last_day_ms + d50 * DAY_MS : -1;
    out->sat_p10_ms = d10 >= 0 ? last_day_ms + d10 * DAY_MS : -1;
    out->sat_p90_ms = d90 >= 0 ? last_day_ms + d90 * DAY_MS : -1;
    out->sat_status = d50 == 0 ? HR_ST_ALREADY : d50 > 0 ? HR_ST_WITHIN : HR_ST_BEYOND;
    out->peak_end_p50 = hr_cap_peak(&fc, H, 0);
    long db = isfinite(out->bound) ? hr_cap_crossing(&fc, out->bound, 0) : -1;
    out->bound_p50_ms = db >= 0 ? last_day_ms + db * DAY_MS : -1;
    if (chart(s, v, &fc, H, ws, out) != 0)
        return -1;
    /* N+k provisioning through the horizon on the median path */
    double u = cap->unit_capacity;
    if (!(u > 0) && cap->units > 0)
        u = cap->capacity / cap->units;
    double units = cap->units > 0 ? cap->units : (u > 0 ? round(cap->capacity / u) : NAN);
    if (u > 0 && units > 0) {
        out->has_units = 1;
        out->units_needed = hr_cap_units_needed(&fc, cap->target, u, cap->redundancy, H, 0);
        long have = (long)units;
        out->units_to_add = out->units_needed > have ? out->units_needed - have : 0;
        /* reclaim only what even the fast-growth path does not need */
        long need_hi = hr_cap_units_needed(&fc, cap->target, u, cap->redundancy, H, +1);
        out->units_reclaimable = need_hi < have ? have - need_hi : 0;
        out->order_by_ms = -1;
        if (out->units_to_add > 0) {
            /* order-by = p10 - lead time: the units arrive before the
             * earliest plausible saturation day. Without a p10 in the
             * horizon the need comes from the k spare units alone: then
             * the earliest day demand passes what the N+k fleet carries. */
            long base = d10;
            if (base < 0) {
                double usable = cap->target * u * (units - cap->redundancy);
                base = hr_cap_crossing(&fc, usable, +1);
            }
            if (base < 0)
                base = (long)H;
            double lead = isfinite(cap->lead_time_days) ? cap->lead_time_days : 0;
            out->order_by_ms = last_day_ms + base * DAY_MS - (int64_t)llround(lead) * DAY_MS;
        }
    }
    return 0;
}

int hr_analyze_series(const hr_series *s, const hr_capacity_in *cap, const hr_analysis_cfg *cfg,
                      hr_analyze_ws *ws, hr_result *out)
{
    memset(out, 0, sizeof *out);
    out->first_ms = out->last_ms = -1;
    out->sat_p10_ms = out->sat_p50_ms = out->sat_p90_ms = -1;
    out->current_peak = out->window_max_peak = out->growth_pct_30d = out->threshold = NAN;
    out->last_value = NAN;
    out->sat_status = cap->has ? HR_ST_UNKNOWN : HR_ST_NONE;
    out->peak_end_p50 = NAN;
    out->bound = hr_unit_bound(s->key, s->kind == HR_COUNTER);
    out->bound_p50_ms = -1;
    out->order_by_ms = -1;
    if (cap->has)
        out->threshold = cap->capacity * cap->target;
    size_t n = s->n;
    if (n > ws->max_n)
        return out->rc = HR_INTERNAL(&out->err, "workspace smaller than the series");
    const double *v = s->v;
    if (s->kind == HR_COUNTER) {
        hr_series_rate(s, ws->rate);
        v = ws->rate;
    }
    for (size_t i = 0; i < n; i++) {
        if (isfinite(v[i])) {
            out->points++;
            if (out->first_ms < 0)
                out->first_ms = s->t0_ms + (int64_t)i * s->step_ms;
            out->last_ms = s->t0_ms + (int64_t)i * s->step_ms;
            out->last_value = v[i];
        } else {
            out->gaps++;
        }
    }
    out->growth.organic_pct_30d = out->growth.organic_level_end = NAN;
    if (out->points < 3 || s->step_ms <= 0)
        return out->rc = HR_OK; /* too short to say anything */

    /* trend of daily peaks */
    size_t nd = hr_daily_peaks(v, n, s->t0_ms, s->step_ms, ws->day, ws->peak);
    if (nd > 0) {
        out->current_peak = ws->peak[nd - 1];
        out->current_peak_day_ms = day_ms(ws->day[nd - 1]);
    }
    if (hr_theil_sen(ws->day, ws->peak, nd, cfg->trend_window_days - 1, MAX_PAIRS, ws->ts, &out->line) == 0) {
        out->trend_days = out->line.used;
        out->growth_pct_30d = hr_growth_pct_30d(&out->line);
        double mx = -INFINITY;
        for (size_t k = nd - out->line.used; k < nd; k++)
            mx = fmax(mx, ws->peak[k]);
        out->window_max_peak = mx;
        if (cap->has) {
            hr_line lo = out->line, hi = out->line;
            hi.slope = out->line.slope_hi; /* faster growth: earliest day */
            lo.slope = out->line.slope_lo;
            long d50 = hr_line_crossing_day(&out->line, out->threshold, cfg->horizon_days);
            long d10 = hr_line_crossing_day(&hi, out->threshold, cfg->horizon_days);
            long d90 = hr_line_crossing_day(&lo, out->threshold, cfg->horizon_days);
            double xe = out->line.x_end;
            out->sat_p50_ms = d50 >= 0 ? day_ms(xe + (double)d50) : -1;
            out->sat_p10_ms = d10 >= 0 ? day_ms(xe + (double)d10) : -1;
            out->sat_p90_ms = d90 >= 0 ? day_ms(xe + (double)d90) : -1;
            out->sat_status = d50 == 0 ? HR_ST_ALREADY : d50 > 0 ? HR_ST_WITHIN : HR_ST_BEYOND;
        }
    }

    /* the growth split first: its decomposition gives each point's
     * expected value */
    out->rc = hr_analyze_growth(s, v, &cfg->growth, ws, &out->growth, &out->err);
    if (out->rc != HR_OK)
        return out->rc;
    if (cap->has && saturation(s, v, cap, cfg, ws, out) != 0)
        return out->rc = hr_err_set(&out->err, HR_ESOFTWARE, "out of memory");

    /* anomalies: the causal detector (models/detect.h), thresholded into
     * spans; the baseline z-score stays in bench/ for comparison */
    for (size_t i = 0; i < n; i++)
        ws->tms[i] = s->t0_ms + (int64_t)i * s->step_ms;
    hr_det_score(v, ws->tms, n, ws->det, ws->z, ws->zlev);
    out->nwpat = hr_det_weekly_pattern(ws->det, HR_PATTERN_Z, out->wpat, HR_PATTERN_MAX);
    size_t total = hr_det_spans(ws->z, ws->zlev, v, n, cfg->anomaly_threshold, ws->dspans, ws->max_dspans);
    if (total > ws->max_dspans) {
        hr_det_span *p = realloc(ws->dspans, total * sizeof *p);
        if (!p)
            return out->rc = hr_err_set(&out->err, HR_ESOFTWARE, "out of memory");
        ws->dspans = p;
        ws->max_dspans = total;
        hr_det_spans(ws->z, ws->zlev, v, n, cfg->anomaly_threshold, ws->dspans, ws->max_dspans);
    }
    if (total) {
        out->anom = malloc(total * sizeof *out->anom);
        if (!out->anom)
            return out->rc = hr_err_set(&out->err, HR_ESOFTWARE, "out of memory");
        for (size_t k = 0; k < total; k++) {
            const hr_det_span *sp = &ws->dspans[k];
            hr_anom *a = &out->anom[k];
            a->start_ms = ws->tms[sp->start];
            a->end_ms = ws->tms[sp->end] + s->step_ms; /* exclusive: the first normal slot */
            a->peak_ms = ws->tms[sp->peak];
            a->peak_z = sp->peak_score;
            a->direction = sp->direction;
            a->peak_value = v[sp->peak];
            a->expected_value = ws->dc_log ? exp(ws->trend[sp->peak] + ws->seas[sp->peak])
                                           : ws->trend[sp->peak] + ws->seas[sp->peak];
            a->fired = ws->fired[sp->start]; /* the point that crossed the threshold */
        }
        out->nanom = total;
    }
    return out->rc;
}

void hr_growth_out_clear(hr_growth_out *g)
{
    if (!g)
        return;
    free(g->steps);
    g->steps = NULL;
    g->nsteps = 0;
}

const double *hr_analyze_values(const hr_series *s, hr_analyze_ws *ws)
{
    if (s->kind != HR_COUNTER)
        return s->v;
    hr_series_rate(s, ws->rate);
    return ws->rate;
}

/* Step 3 of hr_analyze_growth: the change points of the daily series,
 * refined to the native grid and sized, into ws->gsteps; *ncp_out of
 * them. */
static int find_steps(size_t n, size_t per_day, size_t nd, int log_scale, hr_analyze_ws *ws, size_t *ncp_out,
                      hr_err *err)
{
    long found = hr_cp_detect(ws->daily, nd, NULL, ws->cp, ws->cps, ws->max_cps, NULL);
    if (found < 0)
        return HR_INTERNAL(err, "change-point workspace too small");
    size_t ncp = (size_t)found < ws->max_cps ? (size_t)found : ws->max_cps;
    *ncp_out = ncp;
    for (size_t k = 0; k < ncp; k++) {
        const hr_cp *c = &ws->cps[k];
        hr_gstep *g = &ws->gsteps[k];
        memset(g, 0, sizeof *g);
        g->day = c->index;
        g->kind = c->kind == HR_CP_SLOPE ? HR_STEP_SLOPE : HR_STEP_LEVEL;
        g->index = g->kind == HR_STEP_LEVEL ? hr_growth_refine(ws->y, n, per_day, c->index, ws->gscratch)
                                            : c->index * per_day;
        if (g->kind == HR_STEP_LEVEL) {
            double lb = c->level_before;
            if (log_scale) {
                g->log_delta = c->level_delta;
                g->delta = exp(lb + c->level_delta) - exp(lb);
                g->delta_pct = 100 * (exp(c->level_delta) - 1);
            } else {
                g->log_delta = 0;
                g->delta = c->level_delta;
                g->delta_pct = c->delta_pct;
            }
        } else {
            double sd = c->slope_delta; /* per day (log or native units) */
            if (log_scale) {
                g->delta = exp(c->level_before) * sd;
                g->delta_pct = 100 * (exp(30 * sd) - 1);
            } else {
                g->delta = sd * (double)per_day;
                g->delta_pct = fabs(c->level_before) > 0 ? 100 * 30 * sd / fabs(c->level_before) : NAN;
            }
        }
    }
    return HR_OK;
}

int hr_analyze_growth(const hr_series *s, const double *v, const hr_growth_cfg *cfg, hr_analyze_ws *ws,
                      hr_growth_out *out, hr_err *err)
{
    memset(out, 0, sizeof *out);
    out->organic_pct_30d = out->organic_level_end = NAN;
    out->organic_slope_se = out->organic_level_se = out->organic_mid_age = out->peak_factor_se = NAN;
    size_t n = s->n;
    if (n > ws->max_n)
        return HR_INTERNAL(err, "workspace smaller than the series");
    if (n < 3 || s->step_ms <= 0)
        return HR_OK;
    /* 1. seasonality and the deseasonalised series */
    if (cfg->periods) {
        for (size_t k = 0; k < cfg->nperiods && k < HR_DC_MAX_PERIODS; k++)
            if (cfg->periods[k] >= 2 && 2 * cfg->periods[k] <= n)
                out->periods[out->np++] = cfg->periods[k];
    } else {
        out->np = hr_dc_detect_periods(v, n, s->step_ms, out->periods, ws->dc);
    }
    /* Multiplicative seasonality: a series of positive values is
     * decomposed on the log scale, where a season that grows with the
     * level is one fixed profile. Decomposed on the native scale, the
     * medians fit one amplitude to the whole history: too large for the
     * early days and too small for the late ones of a growing series, and
     * the daily levels (step 2) then grow more slowly than the series:
     * on the demo fleet the organic rate's error was 0.047 points per 30
     * days against 0.032 now, mostly on the series of large daily swings
     * and fast growth (bench/growth). */
    hr_decomp dc = {ws->trend, ws->seas, ws->rem, {NULL, NULL}};
    int pos = out->np > 0;
    for (size_t i = 0; pos && i < n; i++)
        if (isfinite(v[i]) && !(v[i] > 0))
            pos = 0;
    ws->dc_log = pos;
    if (pos) {
        for (size_t i = 0; i < n; i++)
            ws->y[i] = log(v[i]);
        /* the profiles (each period at most n / 2 points) in gscratch,
         * free until step 2: the deseasonalised values are v times the
         * profiles' factors, an exp per profile entry, not per point */
        double *pf[HR_DC_MAX_PERIODS] = {NULL, NULL};
        size_t at = 0;
        for (size_t k = 0; k < out->np; k++) {
            pf[k] = ws->gscratch + at;
            at += out->periods[k];
        }
        dc.profile[0] = pf[0];
        dc.profile[1] = pf[1];
        hr_dc_decompose(ws->y, n, out->periods, out->np, ws->dc, &dc);
        /* the seasonal factors' standard error (log scale): each
         * profile value is a median of the remainders at its phase, n / P
         * of them, so about 1.2533 sd / sqrt(n / P) (sd = 1.4826 MAD of
         * the remainder), and a day's peak factor sums one value of each
         * profile. The remainder is not used after this (it is taken
         * apart here); its sd from every fourth point (a quarter of the
         * selection's cost, the same estimate to a few percent). */
        {
            size_t m = 0, nf = 0;
            for (size_t i = 0; i < n; i++)
                if (isfinite(ws->rem[i]) && nf++ % 4 == 0)
                    ws->rem[m++] = fabs(ws->rem[i]);
            double sd = m ? 1.4826 * hr_median(ws->rem, m) : NAN, inv = 0;
            for (size_t k = 0; k < out->np; k++)
                inv += (double)out->periods[k] / (double)(nf ? nf : 1);
            out->peak_factor_se = 1.2533 * sd * sqrt(inv);
        }
        for (size_t k = 0; k < out->np; k++)
            for (size_t j = 0; j < out->periods[k]; j++)
                pf[k][j] = exp(-pf[k][j]);
        size_t ph[HR_DC_MAX_PERIODS] = {0, 0};
        for (size_t i = 0; i < n; i++) {
            double f = v[i];
            for (size_t k = 0; k < out->np; k++) {
                f *= pf[k][ph[k]];
                if (++ph[k] == out->periods[k])
                    ph[k] = 0;
            }
            ws->y[i] = f;
        }
    } else {
        hr_dc_decompose(v, n, out->periods, out->np, ws->dc, &dc);
        for (size_t i = 0; i < n; i++)
            ws->y[i] = v[i] - ws->seas[i];
    }

    /* 2. the series the change points are sought on: daily medians for
     * sub-daily data with at least four weeks (robust to incidents of
     * hours), else the deseasonalised series itself */
    size_t per_day = DAY_MS % s->step_ms == 0 ? (size_t)(DAY_MS / s->step_ms) : 1;
    if (per_day < 2 || n < 28 * per_day)
        per_day = 1;
    size_t nd = hr_growth_daily(ws->y, n, per_day, ws->daily, ws->gscratch);
    int log_scale = per_day > 1;
    size_t finite = 0;
    for (size_t d = 0; d < nd; d++)
        if (isfinite(ws->daily[d])) {
            finite++;
            if (!(ws->daily[d] > 0))
                log_scale = 0;
        }
    if (finite < 3)
        return HR_OK;
    if (log_scale)
        for (size_t d = 0; d < nd; d++)
            ws->daily[d] = log(ws->daily[d]);
    out->log_scale = log_scale;

    /* 3. change points, refined and sized */
    size_t ncp = 0;
    int rc = find_steps(n, per_day, nd, log_scale, ws, &ncp, err);
    if (rc != HR_OK)
        return rc;
    /* 3b. a yearly season (two years of daily levels or more): fitted
     * beside the trend and the level steps just found, then taken out of
     * the daily levels, and the change points sought again, so that a
     * holiday peak or a summer lull is neither a step nor organic growth
     * (models/yearly.h); the forecast puts it back */
    int64_t day0 = s->t0_ms / DAY_MS - (s->t0_ms % DAY_MS < 0);
    if (log_scale && nd >= HR_YEARLY_MIN_DAYS) {
        size_t lv[64], nl = 0;
        for (size_t k = 0; k < ncp && nl < 64; k++)
            if (ws->gsteps[k].kind == HR_STEP_LEVEL)
                lv[nl++] = ws->gsteps[k].day;
        if (hr_yearly_fit(ws->daily, nd, day0, lv, nl, &out->yearly) < 0)
            return hr_err_set(err, HR_ESOFTWARE, "out of memory");
        if (out->yearly.found) {
            for (size_t d = 0; d < nd; d++)
                ws->daily[d] -= hr_yearly_at(&out->yearly, day0 + (int64_t)d);
            rc = find_steps(n, per_day, nd, log_scale, ws, &ncp, err);
            if (rc != HR_OK)
                return rc;
        }
    }
    out->day_num0 = day0;
    hr_growth gr;
    double win = cfg->organic_window_days > 0 ? cfg->organic_window_days : HR_ORGANIC_WINDOW_DAYS;
    if (per_day == 1)
        win = (double)nd; /* coarse series: all of the last regime */
    hr_growth_organic(ws->daily, nd, log_scale, ws->gsteps, ncp, win, ws->gscratch, &gr);
    if (per_day == 1 && isfinite(gr.slope_per_day) && !log_scale) {
        /* per point, not per day: restate per 30 days of time */
        double pts_per_30d = 30.0 * (double)DAY_MS / (double)s->step_ms;
        double prev = gr.level_end - pts_per_30d * gr.slope_per_day;
        gr.rate_pct_30d = fabs(prev) > 0 ? 100 * (gr.level_end / prev - 1) : NAN;
    }
    out->organic_pct_30d = gr.rate_pct_30d;
    out->organic_level_end = gr.level_end;
    out->fit_days = gr.fit_days;
    out->organic_slope_se = gr.slope_se;
    out->organic_level_se = gr.level_se;
    out->organic_mid_age = gr.mid_age;
    out->organic_lo_pct_30d = out->organic_hi_pct_30d = NAN;
    if (log_scale && isfinite(gr.slope_lo)) {
        out->organic_lo_pct_30d = 100 * (exp(30 * gr.slope_lo) - 1);
        out->organic_hi_pct_30d = 100 * (exp(30 * gr.slope_hi) - 1);
    }
    /* peak factors: each day's peak over its level, last 8 weeks */
    if (log_scale && (per_day > 1 || s->step_ms == DAY_MS)) {
        double *lvl = ws->gscratch, *pk = ws->gscratch + nd, *scr = ws->gscratch + 2 * nd;
        for (size_t d = 0; d < nd; d++) {
            /* the level as it was, its yearly season included */
            lvl[d] = isfinite(ws->daily[d]) ? exp(ws->daily[d] + hr_yearly_at(&out->yearly, day0 + (int64_t)d)) : NAN;
            double mx = -INFINITY;
            for (size_t i = d * per_day; i < (d + 1) * per_day && i < n; i++)
                if (isfinite(v[i]) && v[i] > mx)
                    mx = v[i];
            pk[d] = isfinite(mx) ? mx : NAN;
        }
        hr_cap_peak_factors(lvl, pk, nd, 8, out->flo, out->fmid, out->fhi, scr);
        /* The middle factor of a weekday: the noiseless peak over the
         * level, not the median of the days' largest values, which stands
         * above it by the noise of the hours near the peak (+1-3% at the
         * demo fleet's 3% noise, moving saturation dates 10-40 days early
         * at 2-5% growth a month). With multiplicative seasonality (step
         * 1) it is the day's largest seasonal factor; otherwise the peak
         * of the weekday's typical day (medians of each hour over the
         * weeks). The days' spread around it stays (capacity.h). */
        double fnew[7];
        if (ws->dc_log)
            hr_cap_season_peaks(ws->seas, n, per_day, nd, 8, fnew, scr);
        else
            hr_cap_profile_peaks(v, n, per_day, lvl, nd, 8, fnew, scr);
        hr_cap_recentre(out->flo, out->fmid, out->fhi, fnew);
        out->peak_days = nd;
        out->day0_ms = s->t0_ms;
    }

    /* 4. steps out, matched to events (closest within the tolerance,
     * each event at most once per series) */
    if (ncp) {
        out->steps = calloc(ncp, sizeof *out->steps);
        if (!out->steps)
            return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    }
    for (size_t k = 0; k < ncp; k++) {
        hr_step_out *o = &out->steps[k];
        const hr_gstep *g = &ws->gsteps[k];
        o->index = g->index;
        o->t_ms = s->t0_ms + (int64_t)g->index * s->step_ms;
        o->kind = g->kind;
        o->delta = g->delta;
        o->delta_pct = g->delta_pct;
        o->event = -1;
    }
    out->nsteps = ncp;
    if (cfg->inorganic_only) {
        /* capacity reports: level shifts big enough to plan for; slope
         * breaks change the organic rate and stay part of it */
        size_t m = 0;
        for (size_t k = 0; k < ncp; k++)
            if (out->steps[k].kind == HR_STEP_LEVEL && fabs(out->steps[k].delta_pct) >= cfg->min_step_pct)
                out->steps[m++] = out->steps[k];
        out->nsteps = ncp = m;
    }
    if (cfg->events) {
        const hr_events *ev = cfg->events;
        double tol = (cfg->tolerance_days >= 0 ? cfg->tolerance_days : 3) * (double)DAY_MS;
        for (size_t k = 0; k < ncp; k++) {
            long best = -1;
            double bd = INFINITY;
            for (size_t e = 0; e < ev->n; e++) {
                double dist = fabs((double)(ev->e[e].t_ms - out->steps[k].t_ms));
                if (dist > tol || dist >= bd || !hr_event_matches(&ev->e[e], s->key))
                    continue;
                int used = 0;
                for (size_t j = 0; j < k && !used; j++)
                    used = out->steps[j].event == (long)e;
                if (!used) {
                    best = (long)e;
                    bd = dist;
                }
            }
            out->steps[k].event = best;
        }
    }
    return HR_OK;
}
