/* growth.c -- see growth.h. */
#include "growth.h"

#include <math.h>

#include "robust.h"
#include <string.h>


size_t hr_growth_daily(const double *y, size_t n, size_t per_day, double *out, double *scratch)
{
    if (per_day <= 1) {
        memcpy(out, y, n * sizeof *y);
        return n;
    }
    size_t nd = 0;
    for (size_t lo = 0; lo < n; lo += per_day) {
        size_t hi = lo + per_day < n ? lo + per_day : n;
        memcpy(scratch, y + lo, (hi - lo) * sizeof *y);
        /* a day with less than half its points is unknown */
        size_t have = 0;
        for (size_t i = lo; i < hi; i++)
            have += isfinite(y[i]) != 0;
        out[nd++] = 2 * have >= per_day ? hr_median_finite(scratch, hi - lo) : NAN;
    }
    return nd;
}

size_t hr_growth_refine(const double *y, size_t n, size_t per_day, size_t d, double *scratch)
{
    if (per_day <= 1)
        return d;
    /* candidates: days d-3 .. d+1 (a break found on noisy daily medians
     * can be a few days late). Criterion: the difference of the means of
     * one day before and one day after, which peaks at the true break
     * (medians plateau there); the values are first clipped at four
     * robust sigmas of the local first differences, so a spike of a few
     * hours cannot pull the peak. */
    size_t w = per_day;
    size_t lo = d >= 3 ? (d - 3) * per_day : 0, hi = (d + 2) * per_day;
    if (hi > n)
        hi = n;
    size_t a0 = lo >= w ? lo - w : 0, b0 = hi + w < n ? hi + w : n;
    size_t best = d * per_day < n ? d * per_day : n - 1;
    if (b0 <= a0 + 2)
        return best;
    double *c = scratch, *t = scratch + (b0 - a0);
    size_t m = 0;
    for (size_t i = a0 + 1; i < b0; i++)
        if (isfinite(y[i]) && isfinite(y[i - 1]))
            t[m++] = fabs(y[i] - y[i - 1]);
    double sd = m ? 1.4826 * hr_median_finite(t, m) / sqrt(2.0) : 0;
    memcpy(t, y + a0, (b0 - a0) * sizeof *y);
    double med = hr_median_finite(t, b0 - a0);
    /* clip around a running centre: the median of the nearest day */
    for (size_t i = a0; i < b0; i++) {
        c[i - a0] = y[i];
        if (!isfinite(y[i]) || !(sd > 0))
            continue;
        size_t ca = i >= w / 2 ? i - w / 2 : 0, cb = i + w / 2 < n ? i + w / 2 : n;
        memcpy(t, y + ca, (cb - ca) * sizeof *y);
        double cm = hr_median_finite(t, cb - ca);
        if (!isfinite(cm))
            cm = med;
        c[i - a0] = fmax(cm - 4 * sd, fmin(cm + 4 * sd, y[i]));
    }
    double bestv = -1;
    for (size_t k = lo + 1; k < hi; k++) {
        size_t a = k >= w ? k - w : 0, b = k + w < n ? k + w : n;
        double s1 = 0, s2 = 0;
        size_t n1 = 0, n2 = 0;
        for (size_t i = a; i < k; i++)
            if (isfinite(c[i - a0])) {
                s1 += c[i - a0];
                n1++;
            }
        for (size_t i = k; i < b; i++)
            if (isfinite(c[i - a0])) {
                s2 += c[i - a0];
                n2++;
            }
        if (!n1 || !n2)
            continue;
        double v = fabs(s2 / (double)n2 - s1 / (double)n1);
        if (v > bestv) {
            bestv = v;
            best = k;
        }
    }
    return best;
}

/* Theil-Sen slope of z[a..b) against its index (finite points only). */
static double ts_slope(const double *z, size_t a, size_t b, double *pairs)
{
    size_t k = 0;
    for (size_t i = a; i < b; i++) {
        if (!isfinite(z[i]))
            continue;
        for (size_t j = i + 1; j < b; j++)
            if (isfinite(z[j]))
                pairs[k++] = (z[j] - z[i]) / (double)(j - i);
    }
    if (!k)
        return NAN;
    return hr_median_finite(pairs, k);
}

void hr_growth_measure(const double *z, size_t nd, int log_scale, hr_gstep *steps, size_t ns, size_t w,
                       double *scratch)
{
    for (size_t s = 0; s < ns; s++) {
        hr_gstep *st = &steps[s];
        size_t d = st->day;
        size_t prev = s > 0 ? steps[s - 1].day : 0, next = s + 1 < ns ? steps[s + 1].day : nd;
        size_t a = d >= w && d - w > prev ? d - w : prev, b = d + w < next ? d + w : next;
        st->delta = st->delta_pct = st->log_delta = NAN;
        if (a >= d || b <= d)
            continue;
        if (st->kind == HR_STEP_SLOPE) {
            double s1 = ts_slope(z, a, d, scratch), s2 = ts_slope(z, d, b, scratch);
            double lvl;
            memcpy(scratch, z + a, (d - a) * sizeof *z);
            lvl = hr_median_finite(scratch, d - a);
            if (log_scale) {
                st->delta_pct = 100 * (exp(30 * s2) - exp(30 * s1));
                st->delta = exp(lvl) * (s2 - s1);
            } else {
                st->delta = s2 - s1;
                st->delta_pct = fabs(lvl) > 0 ? 100 * 30 * (s2 - s1) / fabs(lvl) : NAN;
            }
            st->log_delta = 0;
            continue;
        }
        /* the level just before and just after: medians of the nearest
         * days, so organic growth inside the window does not count */
        size_t wb = d - a < 7 ? d - a : 7, wa = b - d < 7 ? b - d : 7;
        memcpy(scratch, z + d - wb, wb * sizeof *z);
        double before = hr_median_finite(scratch, wb);
        memcpy(scratch, z + d, wa * sizeof *z);
        double after = hr_median_finite(scratch, wa);
        if (log_scale) {
            st->log_delta = after - before;
            st->delta = exp(after) - exp(before);
            st->delta_pct = 100 * (exp(after - before) - 1);
        } else {
            st->log_delta = 0;
            st->delta = after - before;
            st->delta_pct = fabs(before) > 0 ? 100 * (after - before) / fabs(before) : NAN;
        }
    }
}

void hr_growth_organic(const double *z, size_t nd, int log_scale, const hr_gstep *steps, size_t ns,
                       double window_days, double *scratch, hr_growth *out)
{
    memset(out, 0, sizeof *out);
    out->log_scale = log_scale;
    out->rate_pct_30d = out->slope_per_day = out->level_end = out->slope_lo = out->slope_hi = NAN;
    out->slope_se = out->level_se = out->mid_age = NAN;
    if (nd < 3)
        return;
    double *org = scratch, *pairs = scratch + nd;
    double off = 0;
    size_t s = 0, start = 0;
    for (size_t i = 0; i < nd; i++) {
        while (s < ns && steps[s].day <= i) {
            if (steps[s].kind == HR_STEP_LEVEL && isfinite(steps[s].log_delta))
                off += log_scale ? steps[s].log_delta : steps[s].delta;
            else if (steps[s].kind == HR_STEP_SLOPE && nd - steps[s].day >= 21)
                start = steps[s].day;
            s++;
        }
        org[i] = z[i] - off;
    }
    size_t w = (size_t)window_days;
    if (nd - start > w)
        start = nd - w;
    /* the pairwise slopes of the window (over a long window only the
     * pairs at least W - HR_TS_SPAN days apart: growth.h) */
    size_t k = 0, W = nd - start, gap = W > HR_TS_SPAN ? W - HR_TS_SPAN : 1;
    for (size_t i = start; i < nd; i++) {
        if (!isfinite(org[i]))
            continue;
        for (size_t j = i + gap; j < nd; j++)
            if (isfinite(org[j]))
                pairs[k++] = (org[j] - org[i]) / (double)(j - i);
    }
    if (!k)
        return;
    double b = hr_median(pairs, k); /* no NaN here: as gsl_stats_median */
    /* the slope's and the line's standard errors, with the residuals'
     * lag-1 autocorrelation allowed for: daily levels wander, and
     * independent-data intervals would be too narrow for a year-ahead
     * saturation date */
    double *res = pairs + k;
    size_t m = 0;
    for (size_t i = start; i < nd; i++)
        if (isfinite(org[i]))
            res[m++] = org[i] - b * ((double)i - (double)(nd - 1));
    double c0 = hr_median_finite(res, m); /* reorders res: recompute below */
    /* in one pass: the residuals' lag-1 sums, |residual| (for their
     * robust scale) and the sums of the days (for the line's errors) */
    double s0 = 0, s1 = 0, sx = 0, sxx = 0;
    double prev = NAN;
    size_t q = 0;
    for (size_t i = start; i < nd; i++) {
        if (!isfinite(org[i])) {
            prev = NAN;
            continue;
        }
        double x = (double)i - (double)(nd - 1), e = org[i] - b * x - c0;
        s0 += e * e;
        if (isfinite(prev))
            s1 += e * prev;
        prev = e;
        sx += x;
        sxx += x * x;
        res[q++] = fabs(e);
    }
    double rho = s0 > 0 ? s1 / s0 : 0;
    /* NaN (residuals so large that their squares overflow) counts as 0 */
    rho = rho > 0 ? (rho > 0.95 ? 0.95 : rho) : 0;
    double infl = sqrt((1 + rho) / (1 - rho));
    double xbar = sx / (double)q, Sxx = sxx - sx * xbar;
    double se_e = 1.4826 * hr_median(res, q); /* q >= 2: k > 0 above */
    out->slope_se = Sxx > 0 ? se_e / sqrt(Sxx) * infl : INFINITY;
    out->level_se = se_e / sqrt((double)q) * infl;
    out->mid_age = -xbar;
    out->slope_lo = b - 1.2815516 * out->slope_se;
    out->slope_hi = b + 1.2815516 * out->slope_se;
    double lvl = c0 + off; /* back on the observed scale */
    out->fit_days = nd - start;
    out->slope_per_day = b;
    if (log_scale) {
        out->rate_pct_30d = 100 * (exp(30 * b) - 1);
        out->level_end = exp(lvl);
    } else {
        out->level_end = lvl;
        double p0 = lvl - 30 * b;
        out->rate_pct_30d = fabs(p0) > 0 ? 100 * (lvl / p0 - 1) : NAN;
    }
}
