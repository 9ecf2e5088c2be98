/* fcrun.h -- forecasts of a whole series set, as `forecast` and
 * `backtest` run them: per series the horizon and seasons (given in steps
 * or as durations), the current regime after the last level shift, the
 * model's explanation, and rolling-origin backtests over the series' own
 * history. Owns: lengths given as steps or durations (hr_len), the
 * per-series forecast plan, hr_run_forecast_all and hr_run_backtest.
 * Not: the models (models/forecast.h), reading inputs, printing.
 * Threads: one OpenMP loop over series inside each call; results do not
 * depend on the thread count. */
#ifndef HR_FCRUN_H
#define HR_FCRUN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "forecast.h"
#include "series.h"

/* A length given as a number of steps ("48") or a duration ("2d",
 * "168h", "1w": timefmt.h's units). */
typedef struct hr_len {
    size_t steps;  /* > 0: steps */
    int64_t ms;    /* > 0: a duration */
} hr_len;

/* Parses "48" (steps, 1 to max_steps) or a duration; 0 or -1. */
int hr_len_parse(const char *s, size_t max_steps, hr_len *l);
/* The length in steps of step_ms: a duration rounded up (up = 1, for a
 * horizon: cover it) or to the nearest step (up = 0, for a season);
 * 0 when step_ms is 0 and l is a duration. */
size_t hr_len_steps(const hr_len *l, int64_t step_ms, int up);
/* Parses "P", "P,P2" (steps or durations, ascending) or "0" (no season). */
int hr_len_parse_periods(const char *s, hr_len *p, size_t *np);

/* What to forecast for one series. */
typedef struct hr_fc_plan {
    size_t H;           /* steps ahead (0: skip the series) */
    size_t periods[2];  /* forced seasonal periods in points */
    size_t np;          /* (size_t)-1: detect them (the growth split's) */
} hr_fc_plan;

/* How a series' forecast came about (forecast --explain). */
typedef struct hr_fc_why {
    hr_fc_info info;     /* the model's own account (forecast.h) */
    size_t start;        /* first point of the regime fitted on */
    size_t periods[2];   /* the seasons the model was given */
    size_t np;
} hr_fc_why;

/* Forecasts of every series of set (one parallel loop): plan[i].H steps
 * ahead of its last grid point, fitted on the points after its last level
 * shift (when at least max(3 periods, 2 H, 48) points remain); a ratio or
 * percentage (units.h: hr_unit_bound) is kept at or under its bound. mean[i] is
 * plan[i].H doubles, lo[i]/hi[i] nlevels * plan[i].H; rcs[i] is 0 or -1
 * (nothing to forecast); why (NULL: not wanted) gets set->n entries. */
int hr_run_forecast_all(const hr_seriesset *set, const hr_fc_plan *plan, const double *levels, size_t nlevels,
                        double **mean, double **lo, double **hi, int *rcs, hr_fc_why *why, hr_err *err);

/* One series' backtest: forecasts from origins n - H - k * every
 * (k = norigins - 1 .. 0, oldest first; origins leaving fewer than
 * max(3 periods, 48) points of history are skipped), each fitted on the
 * history before its origin only (level shifts and seasons found there)
 * and scored on the H points after it. */
typedef struct hr_backtest {
    size_t origins;      /* origins scored */
    size_t points;       /* forecast points with an actual value */
    double smape;        /* mean sMAPE over them, percent (M4: 200 |y - f| / (|y| + |f|)) */
    double mase;         /* mean over origins of MAE / in-sample seasonal-naive MAE */
    double cover80, cover95; /* share of actual values inside the 80 % / 95 % intervals */
    int model;           /* the best candidate at the newest origin */
    size_t period;       /* the first season at the newest origin (0: none) */
} hr_backtest;

/* Backtests of every series of set (one parallel loop): plan[i] as for
 * hr_run_forecast_all (H per origin), norigins origins every `every[i]`
 * points (0: H). out[i].origins is 0 when the history is too short. */
int hr_run_backtest(const hr_seriesset *set, const hr_fc_plan *plan, const size_t *every, size_t norigins,
                    hr_backtest *out, hr_err *err);

#endif
