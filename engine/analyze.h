/* analyze.h -- the analysis of one series: the per-series stage of a run
 * (counter rates, seasonal profile, daily-peak trend, saturation against
 * capacity, anomalies), calling the models in models/.
 * Reentrant: one workspace per thread; writes only its own result. */
#ifndef HR_ANALYZE_H
#define HR_ANALYZE_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "decompose.h"
#include "detect.h"
#include "err.h"
#include "series.h"
#include "tables.h"
#include "trend.h"
#include "yearly.h"


/* Capacity of the series from the inventory (has = 0 when none). */
typedef struct hr_capacity_in {
    int has;
    double capacity, target;
    double unit_capacity, units, lead_time_days; /* NaN when not given */
    int redundancy;
} hr_capacity_in;

enum { HR_ST_NONE = 0, HR_ST_ALREADY, HR_ST_WITHIN, HR_ST_BEYOND, HR_ST_UNKNOWN };

typedef struct hr_anom {
    int64_t start_ms, end_ms, peak_ms;
    double peak_z;            /* the detector's peak score, in [0,1] */
    double peak_value, expected_value;
    int direction;            /* +1 spike, -1 dip, 2 level shift */
    int fired;                /* the detector member that crossed the
                                 threshold at start_ms (hr_det_trace) */
} hr_anom;


/* One inorganic step (a change point of the deseasonalised series). */
typedef struct hr_step_out {
    size_t index;        /* grid index of the first point of the new regime */
    int64_t t_ms;
    int kind;            /* HR_STEP_LEVEL or HR_STEP_SLOPE (growth.h) */
    double delta;        /* level: native units; slope: native units per day */
    double delta_pct;    /* level: % of the level just before; slope: change of
                            the growth rate in points per 30 days */
    long event;          /* index of the matched event, or -1 (unexplained) */
} hr_step_out;

/* Organic versus inorganic growth of one series. */
typedef struct hr_growth_out {
    size_t periods[HR_DC_MAX_PERIODS], np; /* seasonal periods in points */
    int log_scale;
    double organic_pct_30d;   /* 100 * (organic(t_end) / organic(t_end - 30 d) - 1) */
    double organic_level_end; /* organic trend at the end, native units */
    double organic_lo_pct_30d, organic_hi_pct_30d; /* its 80% interval */
    /* the organic line's standard errors (log scale, when log_scale):
     * of its slope per day, of its level at the fit's middle day, and
     * that day's distance from the last (days); NAN when not fitted */
    double organic_slope_se, organic_level_se, organic_mid_age;
    double peak_factor_se;    /* the seasonal factors' standard error (log scale; NAN: none) */
    size_t fit_days;
    /* the daily-peak model for saturation (valid when peak_days > 0) */
    size_t peak_days;         /* days of history (daily blocks from t0) */
    int64_t day0_ms;          /* start of day block 0 */
    double flo[7], fmid[7], fhi[7]; /* peak factors per weekday slot */
    hr_yearly yearly;         /* the yearly season of the daily levels (found = 0: none) */
    int64_t day_num0;         /* day block 0's day since 1970-01-01 */
    hr_step_out *steps;       /* in time order; free with hr_growth_out_clear */
    size_t nsteps;
} hr_growth_out;

typedef struct hr_growth_cfg {
    const size_t *periods;    /* forced periods (points); NULL = detect */
    size_t nperiods;
    double organic_window_days; /* the organic fit uses the last N days (90) */
    const hr_events *events;  /* may be NULL */
    double tolerance_days;    /* a step matches an event this close (3) */
    int inorganic_only;       /* keep only level shifts of at least min_step_pct */
    double min_step_pct;      /* (capacity reports: 3; the changepoints command: all) */
} hr_growth_cfg;

typedef struct hr_analysis_cfg {
    double trend_window_days;
    double horizon_days;
    double anomaly_z;          /* (baseline z-score; kept for the bench) */
    size_t anomaly_max_gap;
    double anomaly_threshold;  /* causal detector score from which a point is anomalous */
    hr_growth_cfg growth;
} hr_analysis_cfg;

/* A slot of the week is a learnt weekly job when the weekly baseline
 * holds it 8 of its scales or more apart from the other days: twice the
 * Huber clip of the detector's scale (a residual beyond 4 counts as an
 * outlier there), and far above what a job leaves on the next day
 * through the classical decomposition's mean of the preceding day (its
 * size times its share of the day, 1/24 for an hour). */
#define HR_PATTERN_Z 8.0
#define HR_PATTERN_MAX 4

typedef struct hr_result {
    int rc;                   /* HR_OK or the failure of this series */
    hr_err err;
    size_t points, gaps;      /* finite values, NaN slots */
    int64_t first_ms, last_ms;/* first and last finite value */
    double last_value;
    /* trend of daily peaks */
    size_t trend_days;
    hr_line line;
    double current_peak, window_max_peak, growth_pct_30d;
    int64_t current_peak_day_ms;
    /* saturation (with capacity) */
    double threshold;
    int sat_status;
    int64_t sat_p10_ms, sat_p50_ms, sat_p90_ms; /* -1 when none */
    int sat_method;           /* 1 daily-peak forecast, 0 baseline line */
    double peak_end_p50;      /* forecast daily peak at the horizon (median path) */
    double bound;             /* what the metric cannot exceed (a ratio's 1, a
                                 percentage's 100; NaN: unbounded): the forecast
                                 paths stop there */
    int64_t bound_p50_ms;     /* the day the median path reaches the bound: the
                                 resource saturated at its bound (-1: not within
                                 the horizon) */
    /* provisioning (units known) */
    int has_units;
    long units_needed, units_to_add, units_reclaimable;
    int64_t order_by_ms;      /* -1 when nothing to order */
    /* anomalies, in time order */
    hr_anom *anom;
    size_t nanom;
    /* the weekly jobs the detector has learnt as normal by the end of the
     * series (hr_det_weekly_pattern at HR_PATTERN_Z), the largest first */
    hr_det_pattern wpat[HR_PATTERN_MAX];
    size_t nwpat;
    /* organic versus inorganic growth */
    hr_growth_out growth;
    /* chart data (series with capacity and a daily-peak model; else
     * chart_days = 0): one allocation, chart_buf, holding
     * peak, level, organic [chart_days] then fan lo, mid, hi [fan_n] */
    double *chart_buf;
    size_t chart_days;        /* the last HR_CHART_DAYS daily blocks at most */
    int64_t chart_day0_ms;
    size_t fan_n;             /* forecast points at fan0 + k x fan_step days */
    int64_t fan0_ms;
    int fan_step_days;
} hr_result;

#define HR_CHART_DAYS 180

void hr_growth_out_clear(hr_growth_out *g); /* NULL ok */

typedef struct hr_analyze_ws hr_analyze_ws;

/* A workspace for series of up to max_n points; NULL when out of memory. */
hr_analyze_ws *hr_analyze_ws_alloc(size_t max_n);
void hr_analyze_ws_free(hr_analyze_ws *ws); /* NULL ok */

/* Analyses s into out (which it initialises). Returns out->rc. */
int hr_analyze_series(const hr_series *s, const hr_capacity_in *cap, const hr_analysis_cfg *cfg,
                      hr_analyze_ws *ws, hr_result *out);

void hr_result_clear(hr_result *r); /* frees the anomalies; NULL ok */

/* A result as bytes, for moving it between the ranks of one job (the
 * same binary on every rank: the struct travels as it is, then its
 * anomalies, steps and chart values). hr_result_pack appends r to f (0,
 * or -1 on a write error); hr_result_unpack reads one from *p (< end)
 * into r, advancing *p (0, or -1 when the bytes are short or out of
 * memory; r is then clearable with hr_result_clear). */
int hr_result_pack(const hr_result *r, FILE *f);
int hr_result_unpack(hr_result *r, const unsigned char **p, const unsigned char *end);

/* Organic/inorganic split of s (values v: s->v, or its rates for a
 * counter): seasonal periods (detected or forced), the deseasonalised
 * series, change points on its daily medians (log scale when positive)
 * or on itself for series of a day's step or coarser, each level shift
 * refined to the native step, sized, and matched to the events calendar;
 * the organic growth rate with the steps removed. */
int hr_analyze_growth(const hr_series *s, const double *v, const hr_growth_cfg *cfg, hr_analyze_ws *ws,
                      hr_growth_out *out, hr_err *err);

/* The rates of a counter, or the values themselves, in ws; valid until
 * the next call with this workspace. */
const double *hr_analyze_values(const hr_series *s, hr_analyze_ws *ws);

#endif
