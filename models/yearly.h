/* yearly.h -- yearly seasonality of a daily level series (holiday peaks,
 * summer lulls) when two or more years of it exist.
 * Owns: the fit of a yearly profile beside the trend and the level steps,
 * the test that the profile repeats from one year to the next, and its
 * value on any day. Pure numerics: no I/O; reentrant (allocates per call).
 *
 * Model, on the daily log level z[d] (d = 0 .. nd-1):
 *     z[d] = a + b t + sum_s delta_s [d >= day_s]
 *            + sum_{k=1..K} (c_k cos(k w) + s_k sin(k w)) + e
 * with t = d - (nd - 1), w = 2 pi (day0 + d) / 365.2425 (the calendar
 * day, so a date falls on the same phase every year), day_s the level
 * steps already found, K = HR_YEARLY_K, fitted by robust regression
 * (bisquare weights: an incident's days do not shape the profile). This
 * is the yearly term of Prophet (Taylor & Letham 2018) at twice its
 * default order: K = 20 resolves features of about nine days (365 / 2K)
 * and wider, so a holiday season of three weeks is one; at Prophet's 10
 * (about 18 days) a December peak of that width left a bump of 4% that
 * the change points took for level shifts (bench: gen_fleet --yearly 0.3,
 * 84 steps found for 24 true at K = 10, 25 at K = 20). 42 coefficients
 * on 730 days or more are well determined. A sale of a few days is
 * sharper still and belongs in the events calendar (`repeat = yearly`).
 *
 * A profile counts only when it repeats: the same model fitted to the
 * first and to the second half of the days (each at least a year) gives
 * two profiles whose correlation over the 365 days of a year is at least
 * HR_YEARLY_MIN_CORR. A wandering level has some shape in any one year,
 * but not the same shape in the next. */
#ifndef HR_YEARLY_H
#define HR_YEARLY_H

#include <stddef.h>
#include <stdint.h>

#define HR_YEARLY_K 20
#define HR_YEARLY_MIN_DAYS 730
/* Two profiles of independent noise, each of 2K = 40 coefficients,
 * correlate with a standard deviation of about 1 / sqrt(40) = 0.16: 0.5
 * is 3 of those (measured: none of 500 white-noise series of 1,100 days
 * passes). A wandering level puts most of a year's shape in the first
 * harmonics, a single phase, so it passes more often: 4% of AR(1) series
 * of 0.98 a day, 10% of random walks. A stricter 0.7 would lower those
 * but also find a yearly season under such wander far less often (14%
 * of series instead of 40% at 0.5, measured at K = 10); a season missed
 * forecasts no holiday peak, which costs more than a small profile that
 * is not there. Prophet, for comparison, fits the yearly term to every
 * series with two years. */
#define HR_YEARLY_MIN_CORR 0.5

typedef struct hr_yearly {
    int found;                   /* the profile repeats: use it */
    double c[HR_YEARLY_K], s[HR_YEARLY_K];
    double corr;                 /* of the two halves' profiles (NAN: not tested) */
    double lo, hi;               /* the profile's smallest and largest value */
    int peak_doy, trough_doy;    /* their days of the year (0 = 1 January) */
} hr_yearly;

/* Fits z[0..nd) (NaN: missing), day0 = z[0]'s day since 1970-01-01,
 * level steps at the days steps[0..ns) (ascending; their size is fitted
 * again here). Returns 0 (out->found says whether the profile repeats),
 * or -1 when out of memory. Fewer than HR_YEARLY_MIN_DAYS days, or too
 * few finite ones: found = 0. */
int hr_yearly_fit(const double *z, size_t nd, int64_t day0, const size_t *steps, size_t ns, hr_yearly *out);

/* The profile's value on a day (days since 1970-01-01): the log factor,
 * 0 when none was found. */
double hr_yearly_at(const hr_yearly *y, int64_t day);

#endif
