/* capacity.h -- saturation dates and provisioning from a daily-peak
 * forecast.
 * Owns: the peak factors (daily peak over the daily organic level, per
 * day of the week), the daily-peak forecast (organic level x compound
 * growth x peak factor x planned events), the threshold crossing days for
 * the median and the plausible early and late paths, and N+k unit
 * arithmetic. Pure numerics: no I/O; reentrant. */
#ifndef HR_CAPACITY_H
#define HR_CAPACITY_H

#include <stddef.h>

/* Peak factors of the last `weeks` weeks: for day d with level L[d] (the
 * daily organic level, native units) and peak P[d], f = P[d] / L[d];
 * per weekday w (day index mod 7, 0 = the weekday of day 0) the median,
 * 10th and 90th percentile of its factors. Days with a non-finite or
 * non-positive level are skipped; weekdays without data take the all-day
 * values. Returns the number of factors used (0: no factors; then
 * fmid[] = 1 and the bounds are 1). scratch holds 7 * weeks + 7 doubles. */
size_t hr_cap_peak_factors(const double *level, const double *peak, size_t nd, size_t weeks, double *flo,
                           double *fmid, double *fhi, double *scratch);

/* The peak of each weekday's typical day, over its level: for weekday w
 * (day index mod 7) and each slot h of the day (per_day slots; the value
 * of day d slot h is v[d * per_day + h]) the median over the last `weeks`
 * weeks of v / level[d], and fprof[w] the largest of those medians; NAN
 * for a weekday with fewer than 3 such days at every slot. A day's
 * largest value is the largest of many noisy ones, so it stands above
 * the noiseless peak by about the noise of the slots near the peak (a
 * few % at 3% noise); the median of the same slot over weeks does not
 * carry that bias, and a weekday keeps its own shape. Returns the number
 * of weekdays with a value. scratch holds `weeks` doubles. */
size_t hr_cap_profile_peaks(const double *v, size_t n, size_t per_day, const double *level, size_t nd,
                            size_t weeks, double *fprof, double *scratch);

/* The same from a multiplicative seasonal component: lseas[i] the log of
 * the seasonal factor of point i (day d holds points d * per_day ..
 * (d + 1) * per_day - 1). fout[w] = the median, over the days of weekday
 * w in the last `weeks` weeks, of the day's largest factor
 * exp(max lseas): the noiseless peak over the day's level. NAN for a
 * weekday without such a day. Returns the number of weekdays with a
 * value. scratch holds `weeks` doubles. */
size_t hr_cap_season_peaks(const double *lseas, size_t n, size_t per_day, size_t nd, size_t weeks, double *fout,
                           double *scratch);

/* Moves each weekday's middle factor to fnew[w] (where that is finite and
 * fmid[w] > 0), scaling flo[w] and fhi[w] by the same ratio: the spread
 * of the days' peaks around the middle stays. */
void hr_cap_recentre(double *flo, double *fmid, double *fhi, const double *fnew);

/* The daily-peak forecast and its crossings.
 * Day j = 1..horizon after the last day (day index nd - 1 + j, whose
 * weekday slot is (nd - 1 + j) mod 7):
 *     peak_q(j) = level_end * g_q^(j / 30) * f_q[slot] * ev[j]
 * with g_q = 1 + growth_q / 100 for q = lo, mid, hi (compound % per 30
 * days) and ev[j] the product of (1 + change / 100) of the planned events
 * on or before day j (ev may be NULL). */
typedef struct hr_cap_fc {
    double level_end;        /* organic level at the last day (native units) */
    double growth_lo, growth_mid, growth_hi; /* % per 30 days */
    const double *flo, *fmid, *fhi;          /* 7 peak factors each */
    const double *ev;        /* [horizon + 1] multipliers, or NULL */
    size_t nd;               /* days of history (for the weekday slot) */
    size_t horizon;          /* days */
    double bound;            /* > 0: the metric cannot exceed it (a ratio's 1, a
                              * percentage's 100): every path stops there */
    /* When line_sd_slope > 0, the lo and hi paths are instead the mid
     * growth times exp(-+1.2816 sd(j)), sd(j) = sqrt(line_sd_mid^2 +
     * (line_sd_slope (line_age + j))^2): the 10% and 90% quantiles of a
     * fitted line's value j days after the last, relative (log) standard
     * errors of its level at the window's middle day with the peak
     * factor's error added in quadrature (line_sd_mid) and of
     * its slope per day (line_sd_slope), line_age days before the last
     * day. The saturation dates' range uses it: the level at the last day
     * is uncertain too, not only the slope. 0: growth_lo and growth_hi. */
    double line_sd_mid, line_sd_slope, line_age;
} hr_cap_fc;

/* Daily peak forecast at day j (0 = the last day of history) on path q,
 * at most fc->bound when that is set. */
double hr_cap_peak(const hr_cap_fc *fc, size_t j, int q /* -1 lo, 0 mid, +1 hi */);

/* First day j in 0..horizon with peak_q(j) >= threshold, or -1. Day 0
 * compares the last day's forecast itself (already saturated). */
long hr_cap_crossing(const hr_cap_fc *fc, double threshold, int q);

/* Units needed so that peak <= target x unit_capacity x (units - k) up to
 * and including day `through`, with k spare units (N+k): ceil(max peak /
 * (target x unit_capacity)) + k. 0 when unit_capacity is not positive. */
long hr_cap_units_needed(const hr_cap_fc *fc, double target, double unit_capacity, int k, size_t through,
                         int q);

#endif
