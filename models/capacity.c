/* capacity.c -- see capacity.h. */
#include "capacity.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>

static void quantiles(double *x, size_t m, double *lo, double *mid, double *hi)
{
    *mid = gsl_stats_median(x, 1, m);
    *lo = gsl_stats_select(x, 1, m, (size_t)floor(0.1 * (double)(m - 1)));
    *hi = gsl_stats_select(x, 1, m, (size_t)ceil(0.9 * (double)(m - 1)));
}

size_t hr_cap_peak_factors(const double *level, const double *peak, size_t nd, size_t weeks, double *flo,
                           double *fmid, double *fhi, double *scratch)
{
    size_t span = 7 * weeks, from = nd > span ? nd - span : 0, all = 0;
    double *x = scratch;
    for (size_t d = from; d < nd; d++)
        if (isfinite(level[d]) && level[d] > 0 && isfinite(peak[d]))
            x[all++] = peak[d] / level[d];
    double alo = 1, amid = 1, ahi = 1;
    if (all)
        quantiles(x, all, &alo, &amid, &ahi);
    for (size_t w = 0; w < 7; w++) {
        size_t m = 0;
        for (size_t d = from; d < nd; d++)
            if (d % 7 == w && isfinite(level[d]) && level[d] > 0 && isfinite(peak[d]))
                x[m++] = peak[d] / level[d];
        if (m >= 2)
            quantiles(x, m, &flo[w], &fmid[w], &fhi[w]);
        else {
            flo[w] = alo;
            fmid[w] = amid;
            fhi[w] = ahi;
        }
        /* the bounds bracket the median even with few values */
        if (flo[w] > fmid[w])
            flo[w] = fmid[w];
        if (fhi[w] < fmid[w])
            fhi[w] = fmid[w];
    }
    return all;
}

double hr_cap_peak(const hr_cap_fc *fc, size_t j, int q)
{
    double g = q < 0 ? fc->growth_lo : q > 0 ? fc->growth_hi : fc->growth_mid;
    const double *f = q < 0 ? fc->flo : q > 0 ? fc->fhi : fc->fmid;
    size_t slot = (fc->nd - 1 + j) % 7;
    double p = fc->level_end * pow(1 + g / 100, (double)j / 30.0) * f[slot];
    if (fc->ev)
        p *= fc->ev[j];
    return fc->bound > 0 && p > fc->bound ? fc->bound : p;
}

long hr_cap_crossing(const hr_cap_fc *fc, double threshold, int q)
{
    if (!(fc->level_end > 0) || !isfinite(threshold))
        return -1;
    for (size_t j = 0; j <= fc->horizon; j++) {
        double p = hr_cap_peak(fc, j, q);
        if (isfinite(p) && p >= threshold)
            return (long)j;
    }
    return -1;
}

long hr_cap_units_needed(const hr_cap_fc *fc, double target, double unit_capacity, int k, size_t through, int q)
{
    if (!(unit_capacity > 0) || !(target > 0))
        return 0;
    double mx = 0;
    for (size_t j = 0; j <= through && j <= fc->horizon; j++) {
        double p = hr_cap_peak(fc, j, q);
        if (isfinite(p) && p > mx)
            mx = p;
    }
    return (long)ceil(mx / (target * unit_capacity) - 1e-9) + k;
}
