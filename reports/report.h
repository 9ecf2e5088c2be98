/* report.h -- the report model of one run and its renderers: capacity and
 * problem-management reports as JSON and Markdown, and the summary CSV.
 * Owns the report file formats (documented in README.md). The model
 * borrows every string and array from the caller; renderers only read it.
 * Output is a pure function of the model: keys sorted, no wall-clock time
 * but run_ms, which the caller sets (`run --now` pins it) and only the
 * Markdown and HTML headers show, so identical data gives identical JSON,
 * CSV, and Markdown and HTML but for that line. Paths are the exports'
 * as the config names them (skipped files only). */
#ifndef HR_REPORT_H
#define HR_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "deploys.h"
#include "detect.h"
#include "err.h"
#include "problems.h"
#include "slo.h"

#define HR_REPORT_SCHEMA 2

/* Rows of the executive-summary tables (every renderer). */
#define HR_REP_SUMMARY_ROWS 8

/* HR_SAT_STALE: the series' data is stale (hr_rep_series.stale), so no
 * saturation date or order is given for it. */
enum { HR_SAT_NONE = 0, HR_SAT_ALREADY, HR_SAT_WITHIN, HR_SAT_BEYOND, HR_SAT_UNKNOWN, HR_SAT_STALE };

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
    const char *change;       /* a level shift within [changes] window after a
                                 change to the series' service: that change's
                                 id (the latest), else NULL */
} hr_rep_step;

typedef struct hr_rep_anomaly {
    size_t series;            /* index into hr_report.s */
    int64_t start_ms, end_ms, peak_ms;
    double peak_z;
    int direction;            /* +1 spike, -1 dip */
    double peak_value, expected_value;
    int fired;                /* which detector member crossed the threshold
                                 at the start (detect.h hr_det_trace; 0:
                                 not known) */
} hr_rep_anomaly;

/* Chart data of one resource (ndays = 0: none). The history is the last
 * ndays whole UTC days; the forecast runs from the day after the last
 * day of history (fan0_ms) every fan_step_days days. */
typedef struct hr_rep_chart {
    size_t ndays;
    int64_t day0_ms;          /* 00:00 UTC of history day 0 */
    const double *peak;       /* [ndays] daily peak, native units (NaN: no data) */
    const double *level;      /* [ndays] daily deseasonalised level (organic
                                 trend with the inorganic steps in it) */
    const double *organic;    /* [ndays] the organic fit over its window,
                                 NaN outside it */
    size_t nfan;
    int64_t fan0_ms;
    int fan_step_days;
    const double *fan_lo, *fan_mid, *fan_hi; /* [nfan] daily-peak forecast on
                                 the slow (p90 date), median and fast (p10
                                 date) growth paths */
} hr_rep_chart;

typedef struct hr_rep_series {
    const char *key;
    const char *service;      /* its service label value, or NULL */
    int counter;              /* values are per-second rates of a counter */
    char unit[32];            /* units.h name ("bytes", "seconds", "req/s" ...)
                                 from the inventory or the metric name; ""
                                 unknown. Values stay in this base unit. */
    int64_t step_ms, first_ms, last_ms;
    size_t points, gaps;
    double last_value;
    const char *error;        /* analysis failed: why (else NULL) */
    int stale;                /* last_ms is more than hr_report.stale_after_ms
                                 before as_of: saturation dates, forecast and
                                 units withheld (status HR_SAT_STALE) */
    int stale_sat_status;     /* stale: the status its data gave where it
                                 stopped (HR_SAT_*; NONE without capacity) */
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
    /* the yearly season of the daily levels (models/yearly.h) */
    int yearly;               /* found */
    double yearly_amp_pct;    /* 100 (exp(hi - lo) - 1): peak over trough */
    int yearly_peak_doy, yearly_trough_doy; /* 0 = 1 January (a year of 365 days) */
    double yearly_corr;       /* of the profiles of the two halves of the history */
    const hr_rep_step *steps; /* inorganic steps in time order (borrowed) */
    size_t nsteps;
    /* capacity (inventory) */
    int has_capacity;
    double capacity, target, threshold;
    double unit_capacity, units, lead_time_days;
    int redundancy;
    const char *unit_name;    /* what one unit is, e.g. "2 TiB disk" (NULL) */
    double unit_cost;         /* money per unit (NaN: not given) */
    int sat_status;           /* HR_SAT_* */
    int64_t sat_p10_ms, sat_p50_ms, sat_p90_ms; /* -1 = none within horizon */
    int sat_method;           /* 1 daily-peak forecast, 0 baseline line */
    double peak_end_p50;      /* forecast daily peak at the horizon */
    double bound;             /* a ratio's 1, a percentage's 100 (NaN: none) */
    int64_t bound_p50_ms;     /* the median path reaches the bound (-1: not in the horizon) */
    double organic_lo_pct_30d, organic_hi_pct_30d;
    /* provisioning (N+k) */
    int has_units;
    long units_needed, units_to_add, units_reclaimable;
    int64_t order_by_ms;      /* -1: nothing to order */
    /* anomalies of this series: indices into hr_report.a */
    size_t nanomalies;
    /* the weekly jobs the detector has learnt as normal (borrowed) */
    const hr_det_pattern *wpat;
    size_t nwpat;
    /* planned events matching this series (borrowed pointers) */
    const hr_rep_event **planned;
    size_t nplanned;
    hr_rep_chart chart;
} hr_rep_series;

/* One SLO of the config with its evaluation (models/slo.h). */
typedef struct hr_rep_slo {
    const char *name, *service;
    const char *good, *bad, *total; /* request-based: total and good or bad */
    const char *latency;            /* or latency with threshold */
    double threshold;
    double objective;               /* share, e.g. 0.999 */
    double window_days;
    const hr_slo_result *res;       /* NULL when it could not be evaluated */
    const char *error;              /* why not (else NULL) */
} hr_rep_slo;

/* The changes log and what models/deploys.h made of it (NULL in the
 * report: no [changes] path). */
typedef struct hr_rep_deploys {
    const char *path;
    int64_t window_ms;              /* [changes] window */
    double max_failure_rate;        /* [changes] max_failure_rate */
    const hr_dep_change *c;         /* the log's rows, in file order */
    const char *const *description; /* [n] or NULL entries */
    size_t n;
    const hr_dep_result *res;       /* links (incident k: res->incident_change[k]),
                                       failed changes and the metrics */
} hr_rep_deploys;

/* An export the run dropped ([ingest] on_bad_file = skip). */
typedef struct hr_rep_skipped {
    const char *path;
    const char *error;        /* the located error, as ingest reported it */
    const char *first_bad;    /* the first rejected row of a file over its
                                 share of rejected rows, or NULL */
} hr_rep_skipped;

/* A suggested action (reports/actions.h makes them, by documented rules). */
enum { HR_REP_CAPACITY = 1, HR_REP_PROBLEMS = 2 };
#define HR_ACTION_MAX_EVIDENCE 4

typedef struct hr_rep_evidence {
    const char *series;       /* the series key (or SLO name) it rests on */
    int64_t t_ms;             /* the time it refers to */
    double value;             /* the number */
    const char *unit;         /* its unit (units.h) when it is a value of
                                 the series, else NULL (a count, a share) */
    char what[96];            /* what the number is, e.g. "p10 saturation day peak" */
} hr_rep_evidence;

typedef struct hr_rep_action {
    const char *rule;         /* rule id (reports/actions.h) */
    char id[48];              /* stable across runs for the same rule and
                                 subject: "<rule>-<8 hex>" (actions.h) */
    int64_t first_seen_ms;    /* 00:00 UTC of the as-of day of the run that
                                 first raised it (this run's unless the
                                 previous report folder had the same id) */
    int report;               /* HR_REP_CAPACITY or HR_REP_PROBLEMS */
    char title[320];
    const char *owner;        /* service, or NULL when the series has none */
    int64_t due_ms;           /* 00:00 UTC of the due date */
    int priority;             /* 1 (highest) to 4 */
    hr_rep_evidence ev[HR_ACTION_MAX_EVIDENCE];
    size_t nev;               /* >= 1 */
} hr_rep_action;

typedef struct hr_report {
    int64_t as_of_ms;         /* last data timestamp of the fleet */
    int64_t as_of_day_ms;     /* 00:00 UTC of that day */
    double horizon_days;
    double trend_window_days;
    double anomaly_z;         /* the anomaly score threshold */
    const char *models;       /* one line naming the models used */
    hr_rep_series *s;
    size_t n;
    /* data problems: both reports open with them */
    const hr_rep_skipped *skipped; /* files left out of this run, in input order */
    size_t nskipped;
    int64_t stale_after_ms;   /* staleness limit (0: not checked) */
    size_t nstale;            /* series with stale set */
    int64_t run_ms;           /* the run's clock: the Markdown and HTML headers
                                 say how old the newest data is against it
                                 (-1: not said; the JSON never has it) */
    const hr_rep_event *events; /* the events calendar, in its file's order */
    size_t nevents;
    hr_rep_anomaly *a;        /* sorted by start, then series key */
    size_t na;
    const char **missing_inventory; /* inventory series absent from the store */
    size_t nmissing;
    /* problem management */
    const char *group_by;     /* label incidents are grouped within, or NULL */
    int64_t incident_gap_ms;
    const hr_pm_incidents *inc; /* NULL: not computed */
    const size_t *anomaly_incident; /* [na] incident of anomaly k, or SIZE_MAX
                                 (not grouped: a level shift explained by an event) */
    const char *const *anomaly_event; /* [na] the calendar event that explains
                                 anomaly k (a level shift at an explained step), or NULL */
    const hr_pm_recurs *rec;
    size_t recurring_min;     /* occurrences that made a problem recurring */
    const char *log_path;     /* the incident log (NULL: none given) */
    const hr_pm_logrow *log;
    size_t nlog;
    const hr_pm_logstats *logstats;
    const hr_pm_match *match;
    int64_t match_tolerance_ms;
    const hr_rep_slo *slo;
    size_t nslo;
    const hr_rep_deploys *deploys; /* the changes log, or NULL */
    const char *currency;     /* of unit_cost ([inventory] currency) or NULL */
    /* suggested actions, both reports (by priority, due date, rule) */
    const hr_rep_action *actions;
    size_t nactions;
    /* against the previous report folder (reports/changes.h); NULL: not
     * compared, no changes files and no changes section */
    const struct hr_changes *changes;
} hr_report;

/* Shared by the renderers (reports/report.c). */
const char *hr_rep_sat_name(int sat_status);   /* "saturated", "saturating", "ok", "unknown" */
int hr_rep_reclaimable(const hr_rep_series *s); /* capacity can be handed back */
double hr_rep_util_pct(const hr_rep_series *s, double x); /* x as % of capacity (NaN: none) */
const char *hr_rep_fmt(double x, char *b, size_t n);      /* 4 significant digits, "-" for NaN */
/* A value of series s for people, in its unit (units.h hr_fmt_unit:
 * "35.2 TiB", "12.3 ms"); "-" for NaN. b >= 48 bytes. */
const char *hr_rep_val(const hr_rep_series *s, double x, char *b, size_t n);
/* The resource's status, agreeing with its order: "order_overdue" (the
 * order-by date has passed), "order_now" (it falls within the lead time
 * from today), else the saturation status (saturated wins over both;
 * stale has no order). hr_rep_status_text: the same with blanks, for
 * Markdown and HTML. */
const char *hr_rep_status(const hr_report *r, const hr_rep_series *s);
const char *hr_rep_status_text(const hr_report *r, const hr_rep_series *s);
/* A percentage (x in %) for Markdown and HTML: "85.6 %", "112 %",
 * sign = 1: "+3.0 %"; "-" for NaN. 40 bytes hold any |x| < 1e30 (longer
 * is cut at n). JSON keeps numbers. */
const char *hr_rep_pct(double x, int sign, char *b, size_t n);
const char *hr_rep_fdate(int64_t t, char *b, size_t n);   /* YYYY-MM-DD, "-" for t < 0 */
const char *hr_rep_fdur(int64_t ms, char *b, size_t n);   /* "40 s", "25 min", "3.2 h", "2.1 d" */
const char *hr_rep_direction_name(int d); /* anomaly direction: "spike", "dip", "shift" */
/* The resources with capacity in review order (saturated, then by p50
 * date, then by key); a new array of *m pointers (free()), NULL: no memory. */
const hr_rep_series **hr_rep_sorted_resources(const hr_report *r, size_t *m);

/* The changes log (reports/deploys.c): the change linked to incident k
 * (an index into r->deploys->c; HR_DEP_NONE: none, or no changes log),
 * and "started 12 min after deploy 4711 of checkout" for it (NULL: none). */
size_t hr_rep_incident_change(const hr_report *r, size_t k);
const char *hr_rep_change_text(const hr_report *r, size_t k, char *b, size_t n);
const char *hr_rep_lag_text(int64_t ms, char *b, size_t n); /* "12 min", "1.5 h" */

/* The id of detected incident k in the reports: "D-0001" for k = 0. */
const char *hr_report_incident_id(size_t k, char *b, size_t n);
/* The id of recurring problem k: "R-01" for k = 0. */
const char *hr_report_recurring_id(size_t k, char *b, size_t n);
/* 1 when recurring problem p has lapsed: the data runs more than half a
 * period past its next expected time without a new occurrence, and it
 * is not in the weekly pattern (below). */
int hr_report_recurring_lapsed(const hr_report *r, const hr_pm_recur *p);
/* 1 when weekly problem p has no new occurrence for more than half a
 * period past its next expected time because the job has become part of
 * the weekly pattern its origin series' detector learnt: a learnt slot
 * (hr_rep_series.wpat) in the problem's direction within the phase
 * tolerance of the recurring-problem search (hr_pm_recur_cfg_init) of
 * its time of the week. It still runs; it is no longer an anomaly. */
int hr_report_recurring_in_pattern(const hr_report *r, const hr_pm_recur *p);
/* The next expected start of p: its next_ms, or for a problem in the
 * weekly pattern the first of next_ms + k weeks after as_of. */
int64_t hr_report_recurring_next(const hr_report *r, const hr_pm_recur *p);
/* For logged incident row k that the detector missed: the index of the
 * recurring problem in the weekly pattern (above) whose job it is -- the
 * problem's origin has the row's service, and the row starts after the
 * problem's last occurrence within the phase tolerance of its time of
 * the week -- or -1. Such a miss is the job the detector learnt as
 * normal, which the problem's own actions cover. */
long hr_report_log_in_pattern(const hr_report *r, size_t k);
/* A burn-rate rule's windows as "1h/5m". */
const char *hr_report_rule_name(const hr_slo_rule *ru, char *b, size_t n);

/* Writes capacity.html, capacity.json, capacity.md, problems.html,
 * problems.json, problems.md and summary.csv into dir (which must
 * exist), each atomically, changes.json and changes.md when r->changes
 * is set, and the postmortem drafts in dir/postmortems/. */
int hr_report_write_all(const hr_report *r, const char *dir, hr_err *err);

/* The single files, for tests and single-stage commands. Each returns a
 * new NUL-terminated string (caller frees) or NULL when out of memory. */
char *hr_report_capacity_json(const hr_report *r);
char *hr_report_capacity_md(const hr_report *r);
char *hr_report_problems_json(const hr_report *r);
char *hr_report_problems_md(const hr_report *r);
char *hr_report_summary_csv(const hr_report *r);
char *hr_report_capacity_html(const hr_report *r); /* reports/html_capacity.c */
char *hr_report_problems_html(const hr_report *r);

/* Postmortem drafts (reports/postmortem.c). Incident k of r->inc gets
 * one when it is critical or major: postmortems/<id>.md, a blameless
 * Markdown draft with the sections Summary, Impact, Timeline, Detection,
 * Contributing signals, Related events and changes, Recurrence and
 * Action items, and for incidents of two or more series <id>.svg, its
 * member strip chart (the draft links it). The renderers return a new
 * string (caller frees), NULL when out of memory or when there is no
 * such draft (svg: fewer than two series). */
int hr_report_postmortem_wanted(const hr_report *r, size_t k);
char *hr_report_postmortem_md(const hr_report *r, size_t k);
char *hr_report_postmortem_svg(const hr_report *r, size_t k);

#endif
