/* analyze.c -- see analyze.h. */
#include "analyze.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "zscore.h"

#define DAY_MS INT64_C(86400000)
/* Theil-Sen pairs: all pairs up to ~2 years of daily peaks */
#define MAX_PAIRS ((size_t)300000)

struct hr_analyze_ws {
    size_t max_n, max_days;
    double *rate, *level, *z, *work, *prof, *day, *peak, *ts;
    hr_span *spans;
    size_t max_spans;
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
    ws->work = malloc(2 * n * sizeof *ws->work);
    ws->prof = malloc((size_t)(HR_WEEK_MS / 1000) * sizeof *ws->prof); /* slots >= 1 s */
    ws->day = malloc(ws->max_days * sizeof *ws->day);
    ws->peak = malloc(ws->max_days * sizeof *ws->peak);
    ws->ts = malloc((MAX_PAIRS + ws->max_days) * sizeof *ws->ts);
    ws->max_spans = 64;
    ws->spans = malloc(ws->max_spans * sizeof *ws->spans);
    if (!ws->rate || !ws->level || !ws->z || !ws->work || !ws->prof || !ws->day || !ws->peak ||
        !ws->ts || !ws->spans) {
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
    free(ws->work);
    free(ws->prof);
    free(ws->day);
    free(ws->peak);
    free(ws->ts);
    free(ws->spans);
    free(ws);
}

void hr_result_clear(hr_result *r)
{
    if (!r)
        return;
    free(r->anom);
    r->anom = NULL;
    r->nanom = 0;
}

static int64_t day_ms(double d) { return (int64_t)llround(d) * DAY_MS; }

int hr_analyze_series(const hr_series *s, const hr_capacity_in *cap, const hr_analysis_cfg *cfg,
                      hr_analyze_ws *ws, hr_result *out)
{
    memset(out, 0, sizeof *out);
    out->first_ms = out->last_ms = -1;
    out->sat_p10_ms = out->sat_p50_ms = out->sat_p90_ms = -1;
    out->current_peak = out->window_max_peak = out->growth_pct_30d = out->threshold = NAN;
    out->last_value = NAN;
    out->sat_status = cap->has ? HR_ST_UNKNOWN : HR_ST_NONE;
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

    /* anomalies: robust residual z-scores against the seasonal profile */
    hr_season season = hr_season_choose(s->t0_ms, s->step_ms, n);
    if (season.period_ms && s->step_ms < DAY_MS)
        hr_daily_level(v, n, s->t0_ms, s->step_ms, ws->level, ws->work);
    else
        for (size_t i = 0; i < n; i++)
            ws->level[i] = 0;
    if (season.slots > (size_t)(HR_WEEK_MS / 1000))
        season = hr_season_choose(s->t0_ms, 0, 0); /* sub-second steps: no profile */
    hr_profile_fit(v, n, &season, ws->level, ws->prof, ws->work);
    hr_zscore(v, n, &season, ws->level, ws->prof, ws->z, ws->work);
    size_t total = hr_spans(ws->z, n, cfg->anomaly_z, cfg->anomaly_max_gap, ws->spans, ws->max_spans);
    if (total > ws->max_spans) {
        hr_span *p = realloc(ws->spans, total * sizeof *p);
        if (!p)
            return out->rc = hr_err_set(&out->err, HR_ESOFTWARE, "out of memory");
        ws->spans = p;
        ws->max_spans = total;
        hr_spans(ws->z, n, cfg->anomaly_z, cfg->anomaly_max_gap, ws->spans, ws->max_spans);
    }
    if (total) {
        out->anom = malloc(total * sizeof *out->anom);
        if (!out->anom)
            return out->rc = hr_err_set(&out->err, HR_ESOFTWARE, "out of memory");
        for (size_t k = 0; k < total; k++) {
            const hr_span *sp = &ws->spans[k];
            hr_anom *a = &out->anom[k];
            a->start_ms = s->t0_ms + (int64_t)sp->start * s->step_ms;
            a->end_ms = s->t0_ms + (int64_t)sp->end * s->step_ms;
            a->peak_ms = s->t0_ms + (int64_t)sp->peak * s->step_ms;
            a->peak_z = sp->peak_z;
            a->direction = sp->direction;
            a->peak_value = v[sp->peak];
            a->expected_value = ws->level[sp->peak] + ws->prof[hr_season_slot(&season, sp->peak)];
        }
        out->nanom = total;
    }
    return out->rc = HR_OK;
}
