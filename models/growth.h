/* growth.h -- organic versus inorganic growth of a deseasonalised series.
 * Owns: the daily level series, refining a change point found on it to
 * the native resolution, the size of each step, and the organic growth
 * rate once the steps are removed. Pure numerics: no I/O; reentrant.
 *
 * Demand grows by compounding and launches add a share of the demand, so
 * when the series is positive everything is done on the log scale: a
 * step of +20% is an additive log(1.2) there, and removing it leaves the
 * organic curve exactly; the rate is then exp(30 * slope) - 1. */
#ifndef HR_GROWTH_H
#define HR_GROWTH_H

#include <stddef.h>

enum { HR_STEP_LEVEL = 0, HR_STEP_SLOPE = 1 };

typedef struct hr_gstep {
    size_t day;        /* index into the daily series: first day of the new regime */
    size_t index;      /* grid index of the native series (after refining) */
    int kind;          /* HR_STEP_LEVEL or HR_STEP_SLOPE */
    double delta;      /* level: change in native units; slope: per day, native units */
    double delta_pct;  /* level: percent of the level just before; slope: change of the
                          growth rate in percentage points per 30 days */
    double log_delta;  /* level on the log scale (0 in linear mode) */
} hr_gstep;

typedef struct hr_growth {
    int log_scale;     /* the series was positive: log-scale fit */
    double rate_pct_30d; /* 100 * (organic(t_end) / organic(t_end - 30 d) - 1) */
    double slope_per_day;/* organic slope (log or native units per day) */
    double slope_lo, slope_hi; /* its 80% interval: slope -+ 1.2816 slope_se */
    double slope_se;   /* the slope's standard error (log or native units per day),
                        * the residuals' lag-1 autocorrelation allowed for */
    double level_se;   /* the fitted line's standard error at the window's
                        * middle day, on the same scale */
    double mid_age;    /* days from that middle day to the last day */
    double level_end;  /* organic level at the last day (native units) */
    size_t fit_days;   /* days the organic fit used */
} hr_growth;

/* Daily level: the median of each block of per_day points (per_day 1:
 * a copy). Returns the number of days. out holds n / per_day + 1. */
size_t hr_growth_daily(const double *y, size_t n, size_t per_day, double *out, double *scratch);

/* Refines a level shift found at day d of the daily series to a native
 * index: the split point within days d-3 .. d+1 maximising the difference
 * of the means of a day of points before and after, after clipping
 * spikes. scratch holds 2 * (7 * per_day + 2) doubles. */
size_t hr_growth_refine(const double *y, size_t n, size_t per_day, size_t d, double *scratch);

/* Measures each step on the daily series z (log scale when log_scale):
 * level: median of up to `w` days after minus median of up to w days
 * before, bounded by the neighbouring steps; slope: Theil-Sen slope
 * after minus before. Fills delta, delta_pct and log_delta; native
 * units come from exp() when log_scale. steps must be sorted by day.
 * scratch holds 2 * nd + w * w doubles. */
void hr_growth_measure(const double *z, size_t nd, int log_scale, hr_gstep *steps, size_t ns, size_t w,
                       double *scratch);

/* The organic rate's window: the last year of the regime. The rate is
 * projected 6 to 24 months ahead to date saturation, and a date's error
 * follows the rate's (bench/growth: correlation 0.9 and more); the
 * standard error of a slope over W days falls as W^-1.5, so a year gives
 * 2.5x less noise than half a year (and 7x less than 90 days), and over a
 * whole year a yearly season that two years of history cannot yet
 * remove averages out instead of tilting the line. The window never
 * reaches back past a level step (removed) or a slope break (the window
 * starts after it), so a longer one does not mix regimes that the change
 * points separate. Measured on the generated fleets (bench/growth, three
 * seeds): the organic rate's error 0.032-0.034 points per 30 days at 180
 * days, 0.014-0.018 at 365; the saturation dates' mean error 4.2-5.2
 * days at 180, 3.0-4.0 at 365. */
#define HR_ORGANIC_WINDOW_DAYS 365

/* The organic curve: z with every level step's log_delta (or delta)
 * removed from its day on; the organic slope is the Theil-Sen slope of
 * the last window_days of it, starting no earlier than the last slope
 * break when at least 21 days follow it. Over W > HR_TS_SPAN days only
 * the pairs at least W - HR_TS_SPAN days apart are taken (the long
 * baselines, which carry most of the slope's information), so the pairs
 * stay at most HR_TS_SPAN (HR_TS_SPAN + 1) / 2. scratch holds nd + that
 * + window_days doubles. The slope's standard error is that of a line
 * through the window with the residuals' robust scale (1.4826 MAD),
 * inflated by sqrt((1 + r) / (1 - r)) for their lag-1 autocorrelation r;
 * its 80% interval is slope -+ 1.2816 of it. */
#define HR_TS_SPAN 200
void hr_growth_organic(const double *z, size_t nd, int log_scale, const hr_gstep *steps, size_t ns,
                       double window_days, double *scratch, hr_growth *out);

#endif
