/* html_capchart.c -- the two inline SVG charts of capacity.html, one per
 * resource: the capacity chart (history, forecast fan, limit and planned
 * steps) and the organic-growth chart. Built on the primitives of svg.c;
 * the sections that place them are in html_capacity.c. */
#include "html_int.h"

#include <math.h>

#include "svg.h"

/* ---- capacity: charts ----------------------------------------------------- */

/* A legend under a chart, left to right from x0, wrapping to a second
 * line (16 px lower) before it would pass xmax. */
typedef struct legend {
    FILE *f;
    double x0, x, y, xmax;
} legend;

static void leg(legend *l, int kind, const char *cls, const char *text)
{
    if (l->x > l->x0 && l->x + hr_svg_legend_width(text) > l->xmax) {
        l->x = l->x0;
        l->y += 16;
    }
    l->x = hr_svg_legend(l->f, l->x, l->y, kind, cls, text);
}

static double arr_max(const double *x, size_t n, double m)
{
    if (x)
        for (size_t i = 0; i < n; i++)
            if (isfinite(x[i]) && x[i] > m)
                m = x[i];
    return m;
}

static double arr_min(const double *x, size_t n, double m)
{
    if (x)
        for (size_t i = 0; i < n; i++)
            if (isfinite(x[i]) && x[i] < m)
                m = x[i];
    return m;
}

int hr_html_has_chart(const hr_rep_series *s) { return s->chart.ndays > 0 && s->chart.peak; }

static int has_fan(const hr_rep_chart *c)
{
    return c->nfan > 0 && c->fan_lo && c->fan_mid && c->fan_hi && c->fan_step_days > 0;
}

/* (1) daily peaks, the forecast fan, capacity and threshold, p50 date */
void hr_html_chart_capacity(FILE *f, const hr_report *r, const hr_rep_series *s)
{
    const hr_rep_chart *c = &s->chart;
    const double W = 760, L = 64, T = 44, PW = 672, PH = 226, H = T + PH + 72;
    double xa = (double)c->day0_ms, xb = (double)c->day0_ms + (double)c->ndays * DAY_MS;
    double fdx = (double)c->fan_step_days * DAY_MS;
    if (has_fan(c))
        xb = fmax(xb, (double)c->fan0_ms + (double)(c->nfan - 1) * fdx);
    double base = fmax(s->capacity, s->threshold);
    if (!isfinite(base))
        base = 0;
    base = arr_max(c->peak, c->ndays, base);
    double lo = arr_min(c->peak, c->ndays, 0);
    if (has_fan(c)) {
        base = arr_max(c->fan_mid, c->nfan, arr_max(c->fan_lo, c->nfan, base));
        lo = arr_min(c->fan_lo, c->nfan, lo);
    }
    double top = base;
    if (has_fan(c)) /* the fast path may run far off: show its start, clip the rest */
        top = fmax(top, fmin(arr_max(c->fan_hi, c->nfan, base), 1.25 * base));
    double ticks[HR_SVG_MAX_TICKS], step;
    size_t nt = hr_svg_nice_ticks_unit(lo, top * 1.02, 7, ticks, &step, s->unit);

    char a[40], b[40], d[40], e[40], g[40], p10[20], p50[20], p90[20], title[160], desc[600];
    snprintf(title, sizeof title, "Daily peak and forecast against capacity: %.100s", s->key);
    snprintf(desc, sizeof desc,
             "Daily peaks from %s to %s, forecast of the daily peak to %s (median and p10-p90 paths); "
             "capacity %s, threshold %s; saturation p50 %s (p10 %s, p90 %s).",
             hr_rep_fdate(c->day0_ms, a, sizeof a),
             hr_rep_fdate(c->day0_ms + (int64_t)(c->ndays - 1) * DAY_MS, b, sizeof b),
             hr_rep_fdate((int64_t)xb, d, sizeof d), hr_rep_val(s, s->capacity, e, sizeof e),
             hr_rep_val(s, s->threshold, g, sizeof g), hr_rep_fdate(s->sat_p50_ms, p50, sizeof p50),
             hr_rep_fdate(s->sat_p10_ms, p10, sizeof p10), hr_rep_fdate(s->sat_p90_ms, p90, sizeof p90));
    fputs("<figure>\n", f);
    hr_svg_begin(f, W, H, title, desc, 0);
    hr_svg p;
    hr_svg_frame(&p, f, L, T, PW, PH, xa, xb, ticks[0], ticks[nt - 1]);
    int band = 0;
    if (s->sat_p10_ms >= 0 || s->sat_p50_ms >= 0) {
        double sa = (double)(s->sat_p10_ms >= 0 ? s->sat_p10_ms : s->sat_p50_ms);
        double sb = s->sat_p90_ms >= 0 ? (double)s->sat_p90_ms : xb;
        hr_svg_vspan(&p, sa, sb, "hs-satband");
        band = sb > sa;
    }
    hr_svg_value_axis_unit(&p, ticks, nt, step, s->counter ? "daily peak (per second)" : "daily peak", s->unit);
    hr_svg_time_axis(&p, 8);
    if (has_fan(c)) {
        hr_svg_band(&p, NULL, (double)c->fan0_ms, fdx, c->fan_lo, c->fan_hi, c->nfan, "hs-fan");
        hr_svg_line(&p, NULL, (double)c->fan0_ms, fdx, c->fan_mid, c->nfan, "hs-mid");
    }
    hr_svg_line(&p, NULL, (double)c->day0_ms, (double)DAY_MS, c->peak, c->ndays, "hs-peak");
    snprintf(desc, sizeof desc, "capacity %s", hr_rep_val(s, s->capacity, a, sizeof a));
    hr_svg_hline(&p, s->capacity, desc, "hs-cap");
    snprintf(desc, sizeof desc, "threshold %s (target %s)", hr_rep_val(s, s->threshold, a, sizeof a),
             hr_rep_pct(100 * s->target, 0, b, sizeof b));
    if (fabs(hr_svg_py(&p, s->threshold) - hr_svg_py(&p, s->capacity)) < 14)
        hr_svg_hline(&p, s->threshold, NULL, "hs-thr"); /* the labels would collide */
    else
        hr_svg_hline(&p, s->threshold, desc, "hs-thr");
    snprintf(desc, sizeof desc, "as of %s", hr_rep_fdate(r->as_of_ms, a, sizeof a));
    hr_svg_vline(&p, (double)r->as_of_ms, desc, 0, "hs-asof");
    if (s->sat_p50_ms >= 0) {
        snprintf(desc, sizeof desc, "p50 saturation %s", hr_rep_fdate(s->sat_p50_ms, a, sizeof a));
        hr_svg_vline(&p, (double)s->sat_p50_ms, desc, 1, "hs-sat");
    }
    size_t nev = 0;
    for (size_t k = 0; k < s->nplanned; k++) {
        const hr_rep_event *ev = s->planned[k];
        if (!ev || (double)ev->t_ms < xa || (double)ev->t_ms > xb)
            continue;
        if (isfinite(ev->expected_pct))
            snprintf(desc, sizeof desc, "%.60s %s", ev->name ? ev->name : "event", hr_rep_pct(ev->expected_pct, 1, a, sizeof a));
        else
            snprintf(desc, sizeof desc, "%.60s", ev->name ? ev->name : "event");
        hr_svg_vline(&p, (double)ev->t_ms, desc, 2 + (int)(nev % 2), "hs-event");
        nev++;
    }
    legend lg = {f, L, L, T + PH + 48, W - 8};
    leg(&lg, 0, "hs-peak", "daily peak");
    if (has_fan(c)) {
        leg(&lg, 0, "hs-mid", "forecast (median)");
        leg(&lg, 1, "hs-fan", "p10-p90 paths");
    }
    leg(&lg, 0, "hs-cap", "capacity");
    leg(&lg, 0, "hs-thr", "threshold");
    if (band)
        leg(&lg, 1, "hs-satband", "saturation p10-p90");
    if (nev)
        leg(&lg, 0, "hs-event", "planned event");
    hr_svg_end(f);
    fputs("<figcaption>Daily peaks (solid) and the forecast daily peak (dashed, shaded between the "
          "slow and fast growth paths) against capacity and capacity x target; the shaded column "
          "is the p10-p90 saturation range.</figcaption>\n</figure>\n",
          f);
}

/* (2) the organic trend over the deseasonalised level, with the steps */
void hr_html_chart_organic(FILE *f, const hr_rep_series *s)
{
    const hr_rep_chart *c = &s->chart;
    if (!c->level && !c->organic)
        return;
    double lo = INFINITY, hi = -INFINITY;
    lo = arr_min(c->level, c->ndays, arr_min(c->organic, c->ndays, lo));
    hi = arr_max(c->level, c->ndays, arr_max(c->organic, c->ndays, hi));
    if (!isfinite(lo) || !isfinite(hi))
        return;
    const double W = 760, L = 64, T = 56, PW = 672, PH = 180, H = T + PH + 72;
    double xa = (double)c->day0_ms, xb = (double)c->day0_ms + (double)c->ndays * DAY_MS;
    double ticks[HR_SVG_MAX_TICKS], step;
    size_t nt = hr_svg_nice_ticks_unit(lo, hi, 6, ticks, &step, s->unit);
    char title[160], desc[400], a[40], b[40], g[40];
    size_t nexp = 0;
    for (size_t k = 0; k < s->nsteps; k++)
        nexp += s->steps[k].event != NULL;
    snprintf(title, sizeof title, "Organic trend and inorganic steps: %.100s", s->key);
    snprintf(desc, sizeof desc,
             "Deseasonalised daily level from %s to %s with the organic trend (%s per 30 days) and "
             "%zu inorganic steps, %zu of them explained by events.",
             hr_rep_fdate(c->day0_ms, a, sizeof a),
             hr_rep_fdate(c->day0_ms + (int64_t)(c->ndays - 1) * DAY_MS, b, sizeof b),
             hr_rep_pct(s->organic_pct_30d, 1, g, sizeof g), s->nsteps, nexp);
    fputs("<figure>\n", f);
    hr_svg_begin(f, W, H, title, desc, 0);
    hr_svg p;
    hr_svg_frame(&p, f, L, T, PW, PH, xa, xb, ticks[0], ticks[nt - 1]);
    hr_svg_value_axis_unit(&p, ticks, nt, step, s->counter ? "daily level (per second)" : "daily level", s->unit);
    hr_svg_time_axis(&p, 8);
    if (c->level)
        hr_svg_line(&p, NULL, xa, (double)DAY_MS, c->level, c->ndays, "hs-level");
    if (c->organic)
        hr_svg_line(&p, NULL, xa, (double)DAY_MS, c->organic, c->ndays, "hs-organic");
    int row = 0, with_event = 0, without = 0;
    for (size_t k = 0; k < s->nsteps; k++) {
        const hr_rep_step *st = &s->steps[k];
        if ((double)st->t_ms < xa || (double)st->t_ms > xb)
            continue;
        char lab[160], chg[48] = "";
        const char *what = st->event ? st->event : st->slope ? "slope change" : "unexplained";
        if (st->change) /* the change the level shift came with (pm_deploys.c) */
            snprintf(chg, sizeof chg, ", %.24s", st->change);
        snprintf(lab, sizeof lab, "%.60s %s%s", what, hr_rep_pct(st->delta_pct, 1, a, sizeof a), chg);
        hr_svg_vline(&p, (double)st->t_ms, lab, row, st->event || st->slope ? "hs-step" : "hs-unexpl");
        with_event |= st->event || st->slope;
        without |= !st->event && !st->slope;
        row = (row + 1) % 3;
    }
    legend lg = {f, L, L, T + PH + 48, W - 8};
    if (c->level)
        leg(&lg, 0, "hs-level", "deseasonalised daily level");
    if (c->organic)
        leg(&lg, 0, "hs-organic", "organic trend");
    if (with_event)
        leg(&lg, 0, "hs-step", "step with an event (or slope change)");
    if (without)
        leg(&lg, 0, "hs-unexpl", "unexplained level shift");
    hr_svg_end(f);
    fputs("<figcaption>The series without its seasonal profiles (daily level, grey) and the organic "
          "trend fitted with every inorganic step removed (green); steps are marked with their "
          "event, or \"unexplained\".</figcaption>\n</figure>\n",
          f);
}
