/* trend.h -- the baseline growth model: daily peaks, a Theil-Sen line
 * through them, the growth rate and the saturation date of the line.
 * Pure numerics on arrays: no I/O. Reentrant; scratch from the caller. */
#ifndef HR_TREND_H
#define HR_TREND_H

#include <stddef.h>
#include <stdint.h>

/* Daily peaks of a regular series: for each UTC day with at least half of
 * its points present, the day (days since the epoch) and the maximum.
 * Returns the number of days written to day[] / peak[] (sized for the
 * number of days spanned + 1). Series at a step of a day or more use
 * each finite value as its day's peak. */
size_t hr_daily_peaks(const double *v, size_t n, int64_t t0_ms, int64_t step_ms, double *day,
                      double *peak);

/* A fitted line y = level + slope * (x - x_end), anchored at the end. */
typedef struct hr_line {
    double x_end;    /* last x of the fit window */
    double level;    /* fitted y at x_end */
    double slope;    /* per unit of x (per day for daily peaks) */
    double slope_lo; /* 80% confidence interval of the slope (Sen 1968, */
    double slope_hi; /* ranks from the Kendall S variance; no ties term) */
    size_t used;     /* points in the fit window */
} hr_line;

/* Theil-Sen estimator (Theil 1950, Sen 1968): slope = median of pairwise
 * slopes, intercept = median of y - slope * x; breakdown point 29%, so
 * outlying peaks (incidents) do not tilt the line. Fits the points with
 * x >= x[n-1] - window (all when window <= 0). When there are more than
 * max_pairs pairs, uses a deterministic stride over pairs. scratch holds
 * max_pairs + n doubles. Returns -1 with fewer than 3 points. */
int hr_theil_sen(const double *x, const double *y, size_t n, double window, size_t max_pairs,
                 double *scratch, hr_line *out);

/* Growth of the line in percent per 30 days, relative to its level at
 * the end: 100 * 30 * slope / level. NaN when level <= 0. */
double hr_growth_pct_30d(const hr_line *l);

/* First whole day d >= 0 after x_end at which the line reaches
 * threshold (0 if it already does at x_end); -1 when it does not within
 * horizon days (or the line is flat or falling and below). */
long hr_line_crossing_day(const hr_line *l, double threshold, double horizon);

#endif
