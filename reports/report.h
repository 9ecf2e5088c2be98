/* report.h -- the report model of one run and its renderers: capacity and
 * problem-management reports as JSON and Markdown, and the summary CSV.
 * Owns the report file formats (documented in README.md). The model
 * borrows every string and array from the caller; renderers only read it.
 * Output is a pure function of the model: no wall-clock time, no absolute
 * paths, keys sorted, so identical data gives identical bytes. */
#ifndef HR_REPORT_H
#define HR_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define HR_REPORT_SCHEMA 1

enum { HR_SAT_NONE = 0, HR_SAT_ALREADY, HR_SAT_WITHIN, HR_SAT_BEYOND, HR_SAT_UNKNOWN };

typedef struct hr_rep_event {
    int64_t t_ms;             /* 00:00 UTC of its date */
    const char *name, *scope;
    double expected_pct;      /* NaN when not given */
} hr_rep_event;

typedef struct hr_rep_step {
    int64_t t_ms;
    int slope;                /* 0 level shift, 1 slope break */
    double delta, delta_pct;
    const char *event;        /* matched event name, or NULL (unexplained) */
} hr_rep_step;

typedef struct hr_rep_anomaly {
    size_t series;            /* index into hr_report.s */
    int64_t start_ms, end_ms, peak_ms;
    double peak_z;
    int direction;            /* +1 spike, -1 dip */
    double peak_value, expected_value;
} hr_rep_anomaly;

typedef struct hr_rep_series {
    const char *key;
    int counter;              /* values are per-second rates of a counter */
    int64_t step_ms, first_ms, last_ms;
    size_t points, gaps;
    double last_value;
    const char *error;        /* analysis failed: why (else NULL) */
    /* trend of daily peaks (baseline: Theil-Sen) */
    size_t trend_days;        /* daily peaks in the fit window (0: no trend) */
    double current_peak;      /* last full day's peak */
    int64_t current_peak_day_ms;
    double window_max_peak;   /* highest daily peak in the fit window */
    double trend_level;       /* fitted peak at the end of the window */
    double slope_per_day, slope_lo, slope_hi;
    double growth_pct_30d;    /* of the daily-peak line (baseline) */
    /* growth split */
    double organic_pct_30d;   /* organic growth, compound % per 30 days */
    int organic_log_scale;
    size_t organic_fit_days;
    const hr_rep_step *steps; /* inorganic steps in time order (borrowed) */
    size_t nsteps;
    /* capacity (inventory) */
    int has_capacity;
    double capacity, target, threshold;
    double unit_capacity, units, lead_time_days;
    int redundancy;
    int sat_status;           /* HR_SAT_* */
    int64_t sat_p10_ms, sat_p50_ms, sat_p90_ms; /* -1 = none within horizon */
    int sat_method;           /* 1 daily-peak forecast, 0 baseline line */
    double peak_end_p50;      /* forecast daily peak at the horizon */
    double organic_lo_pct_30d, organic_hi_pct_30d;
    /* provisioning (N+k) */
    int has_units;
    long units_needed, units_to_add, units_reclaimable;
    int64_t order_by_ms;      /* -1: nothing to order */
    /* anomalies of this series: indices into hr_report.a */
    size_t nanomalies;
    /* planned events matching this series (borrowed pointers) */
    const hr_rep_event **planned;
    size_t nplanned;
} hr_rep_series;

typedef struct hr_report {
    int64_t as_of_ms;         /* last data timestamp of the fleet */
    int64_t as_of_day_ms;     /* 00:00 UTC of that day */
    double horizon_days;
    double trend_window_days;
    double anomaly_z;         /* the anomaly score threshold */
    const char *models;       /* one line naming the models used */
    hr_rep_series *s;
    size_t n;
    hr_rep_anomaly *a;        /* sorted by start, then series key */
    size_t na;
    const char **missing_inventory; /* inventory series absent from the store */
    size_t nmissing;
} hr_report;

/* Writes capacity.json, capacity.md, problems.json, problems.md and
 * summary.csv into dir (which must exist), each atomically. */
int hr_report_write_all(const hr_report *r, const char *dir, hr_err *err);

/* The single files, for tests and single-stage commands. Each returns a
 * new NUL-terminated string (caller frees) or NULL when out of memory. */
char *hr_report_capacity_json(const hr_report *r);
char *hr_report_capacity_md(const hr_report *r);
char *hr_report_problems_json(const hr_report *r);
char *hr_report_problems_md(const hr_report *r);
char *hr_report_summary_csv(const hr_report *r);

#endif
