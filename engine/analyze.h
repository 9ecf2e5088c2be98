/* analyze.h -- the analysis of one series: the per-series stage of a run
 * (counter rates, seasonal profile, daily-peak trend, saturation against
 * capacity, anomalies), calling the models in models/.
 * Reentrant: one workspace per thread; writes only its own result. */
#ifndef HR_ANALYZE_H
#define HR_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "series.h"
#include "trend.h"

typedef struct hr_analysis_cfg {
    double trend_window_days;
    double horizon_days;
    double anomaly_z;
    size_t anomaly_max_gap;
} hr_analysis_cfg;

/* Capacity of the series from the inventory (has = 0 when none). */
typedef struct hr_capacity_in {
    int has;
    double capacity, target;
} hr_capacity_in;

enum { HR_ST_NONE = 0, HR_ST_ALREADY, HR_ST_WITHIN, HR_ST_BEYOND, HR_ST_UNKNOWN };

typedef struct hr_anom {
    int64_t start_ms, end_ms, peak_ms;
    double peak_z, peak_value, expected_value;
    int direction; /* +1 spike, -1 dip */
} hr_anom;

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
    /* anomalies, in time order */
    hr_anom *anom;
    size_t nanom;
} hr_result;

typedef struct hr_analyze_ws hr_analyze_ws;

/* A workspace for series of up to max_n points; NULL when out of memory. */
hr_analyze_ws *hr_analyze_ws_alloc(size_t max_n);
void hr_analyze_ws_free(hr_analyze_ws *ws); /* NULL ok */

/* Analyses s into out (which it initialises). Returns out->rc. */
int hr_analyze_series(const hr_series *s, const hr_capacity_in *cap, const hr_analysis_cfg *cfg,
                      hr_analyze_ws *ws, hr_result *out);

void hr_result_clear(hr_result *r); /* frees the anomalies; NULL ok */

#endif
