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

size_t hr_cap_profile_peaks(const double *v, size_t n, size_t per_day, const double *level, size_t nd,
                            size_t weeks, double *fprof, double *scratch)
{
    size_t span = 7 * weeks, from = nd > span ? nd - span : 0, found = 0;
    for (size_t w = 0; w < 7; w++) {
        double best = NAN;
        for (size_t h = 0; h < per_day; h++) {
            size_t m = 0;
            for (size_t d = from; d < nd; d++) {
                size_t i = d * per_day + h;
                if (d % 7 == w && i < n && isfinite(level[d]) && level[d] > 0 && isfinite(v[i]))
                    scratch[m++] = v[i] / level[d];
            }
            if (m < 3)
                continue;
            double med = gsl_stats_median(scratch, 1, m);
            if (!(med <= best))
                best = med;
        }
        fprof[w] = best;
        found += isfinite(best);
    }
    return found;
}

size_t hr_cap_season_peaks(const double *lseas, size_t n, size_t per_day, size_t nd, size_t weeks, double *fout,
                           double *scratch)
{
    size_t span = 7 * weeks, from = nd > span ? nd - span : 0, found = 0;
    for (size_t w = 0; w < 7; w++) {
        size_t m = 0;
        for (size_t d = from; d < nd; d++) {
            if (d % 7 != w)
                continue;
            double mx = -INFINITY;
            for (size_t i = d * per_day; i < (d + 1) * per_day && i < n; i++)
                if (isfinite(lseas[i]) && lseas[i] > mx)
                    mx = lseas[i];
            if (isfinite(mx))
                scratch[m++] = exp(mx);
        }
        fout[w] = m ? gsl_stats_median(scratch, 1, m) : NAN;
        found += m > 0;
    }
    return found;
}

void hr_cap_recentre(double *flo, double *fmid, double *fhi, const double *fnew)
{
    for (size_t w = 0; w < 7; w++)
        if (isfinite(fnew[w]) && fmid[w] > 0) {
            double r = fnew[w] / fmid[w];
            flo[w] *= r;
            fmid[w] = fnew[w];
            fhi[w] *= r;
        }
}

double hr_cap_peak(const hr_cap_fc *fc, size_t j, int q)
{
    int line = q && fc->line_sd_slope > 0;
    double g = line ? fc->growth_mid : q < 0 ? fc->growth_lo : q > 0 ? fc->growth_hi : fc->growth_mid;
    const double *f = q < 0 ? fc->flo : q > 0 ? fc->fhi : fc->fmid;
    size_t slot = (fc->nd - 1 + j) % 7;
    double p = fc->level_end * pow(1 + g / 100, (double)j / 30.0) * f[slot];
    if (line) {
        double a = fc->line_sd_slope * (fc->line_age + (double)j);
        p *= exp((double)q * 1.2815516 * sqrt(fc->line_sd_mid * fc->line_sd_mid + a * a));
    }
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
