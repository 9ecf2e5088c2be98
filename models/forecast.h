/* forecast.h -- short-horizon point and interval forecasts of one regular
 * series (hourly metrics: daily and weekly seasonality).
 * Owns: gap filling for forecasting, the candidate models (seasonal naive,
 * robust seasonal decomposition + a model of the block-mean level: naive,
 * SES, damped-trend ETS, Theta; each with the daily profile alone or with
 * the weekly one too, on the raw and on the log scale), their rolling-origin holdout, the combination rule and the
 * empirical (conformal-style) prediction intervals.
 * Not: period detection (decompose.h), level-shift detection (the caller
 * passes the current regime), saturation dates.
 * Pure numerics: reads no files, prints nothing. Reentrant: give each
 * thread its own workspace; nothing is allocated per call. */
#ifndef HR_FORECAST_H
#define HR_FORECAST_H

#include <stddef.h>

/* Candidate models. Ids 1 and 2 are the seasonal naive forecasts of the
 * first and second period; ids from HR_FC_DECOMP0 are decomposition
 * models: id = HR_FC_DECOMP0 + (log_scale * 2 + weekly) * HR_FC_NLEVEL +
 * level_model, with level_model one of HR_FC_LV_*. hr_fc_model_name()
 * names each. */
enum {
    HR_FC_AUTO = 0,    /* select and combine by rolling-origin holdout */
    HR_FC_SNAIVE = 1,  /* seasonal naive, first period (naive if none) */
    HR_FC_SNAIVE2 = 2, /* seasonal naive, second period */
    HR_FC_DECOMP0 = 3
};
enum { HR_FC_LV_NAIVE, HR_FC_LV_SES, HR_FC_LV_DAMPED, HR_FC_LV_THETA, HR_FC_NLEVEL };
#define HR_FC_NMODELS (HR_FC_DECOMP0 + 4 * HR_FC_NLEVEL)
#define HR_FC_MAX_LEVELS 8

typedef struct hr_fc_opts {
    size_t periods[2]; size_t np;         /* seasonal periods in points, ascending; np = 0: none */
    size_t horizon;                       /* H steps ahead, >= 1 */
    const double *levels; size_t nlevels; /* central interval levels in percent, e.g. {80, 95};
                                           * at most HR_FC_MAX_LEVELS */
    int model;      /* HR_FC_AUTO (0, the default), or force one candidate id */
    int no_weekly;  /* 1: with one daily period (a multiple of 24 points), do not also try
                     * the weekly period 7 * periods[0] */
} hr_fc_opts;

typedef struct hr_fc_info {
    int model;                       /* the candidate with the lowest holdout error */
    int ncomb;                       /* candidates in the combination */
    double weight[HR_FC_NMODELS];    /* combination weights (sum 1) */
    double cand_mae[HR_FC_NMODELS];  /* holdout MAE of each candidate; NaN: not run */
    double holdout_mase;             /* holdout MAE of the final forecast / in-sample MAE of the
                                      * seasonal naive forecast (NaN without a holdout) */
    size_t norigins;                 /* rolling origins in the holdout */
    size_t period2;                  /* the second period used (0: none) */
    size_t gaps;                     /* NaN points filled */
} hr_fc_info;

typedef struct hr_fc_ws hr_fc_ws;

/* A workspace for series of up to max_n points, horizons up to max_h and
 * periods up to max_period points (the weekly period 7 * max_period is
 * provided for). NULL when out of memory. */
hr_fc_ws *hr_fc_ws_alloc(size_t max_n, size_t max_h, size_t max_period);
void hr_fc_ws_free(hr_fc_ws *ws); /* NULL ok */

/* Forecasts x[n .. n+H) from x[0..n) on a regular grid (NaN = gap; the
 * caller passes the current regime, i.e. the points after the last level
 * shift when enough remain). Writes mean[0..H) and, for each level l,
 * lo[l*H + h] and hi[l*H + h]. info may be NULL.
 * Returns 0; -1 when nothing can be forecast (no finite value) or the
 * arguments do not fit the workspace (then the outputs are NaN). Outputs
 * are never NaN on success; intervals never narrow as h grows, and lower
 * bounds are clipped at 0 when the history has no negative value.
 * Borrows x and o; keeps no pointer. */
int hr_fc_forecast(const double *x, size_t n, const hr_fc_opts *o, hr_fc_ws *ws, double *mean, double *lo,
                   double *hi, hr_fc_info *info);

/* A short name for a candidate id ("snaive", "ets-damped/w/log", ...);
 * "?" for an unknown id. */
const char *hr_fc_model_name(int id);

#endif
