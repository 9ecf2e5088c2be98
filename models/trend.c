/* trend.c -- see trend.h. */
#include "trend.h"

#include <math.h>

#include "robust.h"

#define DAY_MS INT64_C(86400000)

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

size_t hr_daily_peaks(const double *v, size_t n, int64_t t0_ms, int64_t step_ms, double *day,
                      double *peak)
{
    size_t m = 0;
    if (n == 0 || step_ms <= 0)
        return 0;
    if (step_ms >= DAY_MS) {
        for (size_t i = 0; i < n; i++)
            if (isfinite(v[i])) {
                day[m] = (double)floor_div(t0_ms + (int64_t)i * step_ms, DAY_MS);
                peak[m++] = v[i];
            }
        return m;
    }
    size_t per_day = (size_t)(DAY_MS / step_ms);
    size_t i = 0;
    while (i < n) {
        int64_t d = floor_div(t0_ms + (int64_t)i * step_ms, DAY_MS);
        size_t have = 0;
        double mx = -INFINITY;
        while (i < n && floor_div(t0_ms + (int64_t)i * step_ms, DAY_MS) == d) {
            if (isfinite(v[i])) {
                have++;
                if (v[i] > mx)
                    mx = v[i];
            }
            i++;
        }
        if (2 * have >= per_day) {
            day[m] = (double)d;
            peak[m++] = mx;
        }
    }
    return m;
}

int hr_theil_sen(const double *x, const double *y, size_t n, double window, size_t max_pairs,
                 double *scratch, hr_line *out)
{
    if (n < 3)
        return -1;
    size_t lo = 0;
    if (window > 0)
        while (lo < n && x[lo] < x[n - 1] - window)
            lo++;
    size_t m = n - lo;
    if (m < 3)
        return -1;
    const double *xs = x + lo, *ys = y + lo;
    double npairs = (double)m * (double)(m - 1) / 2.0;
    size_t stride = npairs > (double)max_pairs ? (size_t)ceil(npairs / (double)max_pairs) : 1;
    size_t k = 0, c = 0;
    for (size_t i = 0; i < m; i++)
        for (size_t j = i + 1; j < m; j++, c++) {
            if (c % stride)
                continue;
            if (xs[j] != xs[i] && k < max_pairs)
                scratch[k++] = (ys[j] - ys[i]) / (xs[j] - xs[i]);
        }
    if (k == 0)
        return -1;
    /* three order statistics by quickselect instead of a full sort */
    double nn = (double)m, C = 1.2815516 * sqrt(nn * (nn - 1) * (2 * nn + 5) / 18.0);
    /* Sen's interval: C = z * sqrt(Var S), Var S = n(n-1)(2n+5)/18, the
     * bounds are the slopes of rank (N - C)/2 and (N + C)/2 of N pairs;
     * with a subsample of pairs the same fractions are used. Daily peaks
     * are autocorrelated, so the interval is optimistic. */
    double frac = C / npairs;
    if (frac > 1)
        frac = 1;
    size_t ilo = (size_t)floor((1 - frac) / 2 * (double)(k - 1));
    size_t ihi = (size_t)ceil((1 + frac) / 2 * (double)(k - 1));
    if (ihi >= k)
        ihi = k - 1;
    /* hr_median leaves scratch[0..mid] <= its value <= scratch(mid..k)
     * (mid = (k - 1) / 2), so each bound is a selection in its side
     * only: the same order statistics at a third of the cost */
    double slope = hr_median(scratch, k);
    size_t mid = (k - 1) / 2;
    out->slope_lo = ilo <= mid ? hr_select(scratch, mid + 1, ilo) : hr_select(scratch + mid + 1, k - mid - 1, ilo - mid - 1);
    out->slope_hi = ihi <= mid ? hr_select(scratch, mid + 1, ihi) : hr_select(scratch + mid + 1, k - mid - 1, ihi - mid - 1);
    double *r = scratch + k;
    double xe = xs[m - 1];
    for (size_t i = 0; i < m; i++)
        r[i] = ys[i] - slope * (xs[i] - xe);
    out->x_end = xe;
    out->level = hr_median_finite(r, m);
    out->slope = slope;
    out->used = m;
    return 0;
}

double hr_growth_pct_30d(const hr_line *l)
{
    if (!(l->level > 0))
        return NAN;
    return 100.0 * 30.0 * l->slope / l->level;
}

long hr_line_crossing_day(const hr_line *l, double threshold, double horizon)
{
    if (l->level >= threshold)
        return 0;
    if (!(l->slope > 0))
        return -1;
    double d = ceil((threshold - l->level) / l->slope);
    if (d > horizon)
        return -1;
    return (long)d;
}
