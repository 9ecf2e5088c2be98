/* forecast.h -- short-horizon point and interval forecasts of one regular
 * series (hourly metrics: daily and weekly seasonality).
 * Owns: gap filling for forecasting; the scale (raw or log); the candidate
 * models -- seasonal naive of each period, and a robust seasonal
 * decomposition (daily profile, or daily + weekly) with a model of the
 * daily-mean level: naive, drift, SES, damped-trend ETS, Theta; their
 * rolling-origin holdout, the combination rule, and the empirical
 * (conformal-style) prediction intervals.
 * Not: period detection (decompose.h), level-shift detection (the caller
 * passes the current regime), saturation dates.
 * Pure numerics: reads no files, prints nothing. Reentrant: give each
 * thread its own workspace; nothing is allocated per call, and the output
 * depends on the inputs only (not on what the workspace saw before). */
#ifndef HR_FORECAST_H
#define HR_FORECAST_H

#include <stddef.h>

/* Candidate models. Ids 1 and 2 are the seasonal naive forecasts of the
 * first and second period; ids from HR_FC_DECOMP0 are decomposition
 * models: id = HR_FC_DECOMP0 + weekly * HR_FC_NLEVEL + level_model, with
 * weekly 0 (profile of the first period) or 1 (both periods) and
 * level_model one of HR_FC_LV_*. hr_fc_model_name() names each
 * ("ses/d", "ets-damped/w", ...). Without a usable season the
 * decomposition models run on the raw points (no profile). */
enum {
    HR_FC_AUTO = 0,    /* select and combine by rolling-origin holdout */
    HR_FC_SNAIVE = 1,  /* seasonal naive, first period (naive if none) */
    HR_FC_SNAIVE2 = 2, /* seasonal naive, second period */
    HR_FC_DECOMP0 = 3
};
enum { HR_FC_LV_NAIVE, HR_FC_LV_DRIFT, HR_FC_LV_SES, HR_FC_LV_DAMPED, HR_FC_LV_THETA, HR_FC_NLEVEL };
#define HR_FC_NMODELS (HR_FC_DECOMP0 + 2 * HR_FC_NLEVEL)
enum { HR_FC_SCALE_AUTO, HR_FC_SCALE_RAW, HR_FC_SCALE_LOG };
#define HR_FC_MAX_LEVELS 8

/* Zero-initialised fields are the defaults. */
typedef struct hr_fc_opts {
    size_t periods[2]; size_t np;         /* seasonal periods in points, ascending; np = 0: none.
                                           * A second period must be a multiple of the first */
    size_t horizon;                       /* H steps ahead, >= 1 */
    const double *levels; size_t nlevels; /* central interval levels in percent, e.g. {80, 95};
                                           * at most HR_FC_MAX_LEVELS */
    int model;      /* HR_FC_AUTO (0), or force one candidate id (for benchmarks) */
    int scale;      /* HR_FC_SCALE_AUTO (0: log when the series is positive and the log
                     * stabilises its variance, Guerrero 1993), _RAW, or _LOG (positive
                     * series only, else raw) */
    int no_weekly;  /* 1: with one period that is a day (a multiple of 24 points that
                     * divides 86400: a day at a step of whole seconds), do not also try
                     * the weekly period 7 * periods[0] (tried by default; used when 3
                     * weeks exist and the holdout favours it) */
} hr_fc_opts;

typedef struct hr_fc_info {
    int model;                       /* the candidate with the lowest holdout error */
    int ncomb;                       /* candidates in the combination */
    double weight[HR_FC_NMODELS];    /* combination weights (sum 1) */
    double cand_mae[HR_FC_NMODELS];  /* holdout MAE of each candidate; NaN: not run */
    double holdout_mase;             /* holdout MAE of the whole procedure / in-sample MAE of
                                      * the seasonal naive forecast (NaN without a holdout) */
    size_t norigins;                 /* rolling origins in the holdout (0: intervals from the
                                      * spread of seasonal differences instead) */
    size_t period2;                  /* the second period used (0: none) */
    size_t gaps;                     /* NaN points filled */
    int log_scale;                   /* 1: the models ran on the log scale */
} hr_fc_info;

typedef struct hr_fc_ws hr_fc_ws;

/* A workspace for horizons up to max_h and periods up to max_period
 * points (the weekly period 7 * max_period is provided for). At most the
 * last max_n points of a series are used, and never more than the last
 * 8 periods + max(8 weeks, 56 periods): the cost per series is bounded.
 * NULL when out of memory. */
hr_fc_ws *hr_fc_ws_alloc(size_t max_n, size_t max_h, size_t max_period);
void hr_fc_ws_free(hr_fc_ws *ws); /* NULL ok */

/* Forecasts x[n .. n+H) from x[0..n) on a regular grid (NaN or inf = gap;
 * the caller passes the current regime, i.e. the points after the last
 * level shift when enough remain). A period longer than n/2 (or than the
 * workspace's max_period) is not used. Writes mean[0..H) and, for each
 * level l, lo[l*H + h] and hi[l*H + h]; info may be NULL.
 * Returns 0; -1 when nothing can be forecast (no finite value) or the
 * arguments do not fit the workspace (H > max_h, too many levels): then
 * the outputs are NaN (nothing is written when H = 0).
 * On success no output is NaN; the spread of every interval never
 * narrows as h grows; lower bounds are clipped at 0 when the history has
 * no negative value. Borrows x and o; keeps no pointer. */
int hr_fc_forecast(const double *x, size_t n, const hr_fc_opts *o, hr_fc_ws *ws, double *mean, double *lo,
                   double *hi, hr_fc_info *info);

/* A short name for a candidate id ("auto", "snaive", "ets-damped/w",
 * ...); "?" for an unknown id. Static storage. */
const char *hr_fc_model_name(int id);

#endif
