/* slo.h -- service level objectives: the SLI over the SLO window, the
 * error budget consumed and left, its daily burn-down, and multiwindow
 * multi-burn-rate alerts as in the Google SRE Workbook, chapter
 * "Alerting on SLOs" (Beyer et al. 2018), alert 6.
 * Owns: event counting on a regular grid, burn rates, alert spans, budget
 * exhaustion. Not: reading series, naming services, printing.
 * Pure numerics: no I/O, no globals. Reentrant: each call allocates its
 * own result (a handful of arrays, never per point); free it with
 * hr_slo_result_free.
 *
 * Time model: point i of the grid has time t_i = t0_ms + i * step_ms and
 * holds the events of the step [t_i, t_i + step). A window of k steps
 * "at point i" covers points i-k+1..i (fewer at the start of the data).
 * A point whose good or total is NaN is a gap: it holds no events. */
#ifndef HR_SLO_H
#define HR_SLO_H

#include <stddef.h>
#include <stdint.h>

/* Status codes: numerically equal to the engine's hr_status values
 * (engine/err.h), so the engine can pass them on as exit codes. */
enum {
    HR_SLO_OK = 0,
    HR_SLO_EINPUT = 65,  /* a bad data point: hr_slo_err.index names it */
    HR_SLO_ENOMEM = 70,  /* out of memory (internal) */
    HR_SLO_ECONFIG = 78  /* a bad objective, window, grid or rule */
};

/* The error of a failed call: index is the 0-based grid index of the
 * offending point (SIZE_MAX when the error is not about one); msg says
 * what is wrong, without a location (the caller adds file:line). */
typedef struct hr_slo_err {
    int code;
    size_t index;
    char msg[160];
} hr_slo_err;

enum { HR_SLO_PAGE = 1, HR_SLO_TICKET = 2 };

/* One multiwindow burn-rate rule: fires at a point while the burn rate
 * over the long window AND over the short window both exceed `burn`.
 * Burn rate over a window = (1 - SLI_window) / (1 - objective): 1 spends
 * the budget exactly over the SLO window. */
typedef struct hr_slo_rule {
    int64_t long_ms, short_ms; /* > 0 */
    double burn;               /* > 0 */
    int severity;              /* HR_SLO_PAGE or HR_SLO_TICKET */
} hr_slo_rule;

/* The Workbook's page rules for a 30-day SLO: 2% of the budget in 1 h
 * (1 h and 5 min windows, burn 14.4) and 5% in 6 h (6 h and 30 min,
 * burn 6). */
extern const hr_slo_rule hr_slo_rules_page[2];
/* The same plus its ticket rule: 10% in 3 days (3 d and 6 h, burn 1). */
extern const hr_slo_rule hr_slo_rules_workbook[3];

typedef struct hr_slo_cfg {
    double objective;         /* target SLI, in (0,1) exclusive */
    double window_days;       /* the SLO window, > 0 */
    const hr_slo_rule *rules; /* NULL: hr_slo_rules_page */
    size_t n_rules;
} hr_slo_cfg;

/* Defaults: 0.999 over 30 days, the two page rules. */
void hr_slo_cfg_init(hr_slo_cfg *cfg);

/* A rule's windows as used on the grid: each window is rounded up to
 * whole steps, and is at least one step. When the step is coarser than a
 * window (hourly data, 5-minute window) the window becomes one step. */
typedef struct hr_slo_rule_eff {
    size_t long_steps, short_steps;
    int64_t long_ms, short_ms; /* effective lengths: steps x step_ms */
    int widened;               /* 1 when either differs from the nominal window */
} hr_slo_rule_eff;

typedef struct hr_slo_alert {
    size_t rule;          /* index into the rules */
    int severity;         /* the rule's */
    size_t first, last;   /* grid indices of the first and last firing point */
    int64_t start_ms;     /* t_first */
    int64_t end_ms;       /* t_last + step: fires over [start_ms, end_ms) */
    double peak_burn;     /* largest long-window burn rate while firing */
    int64_t peak_ms;      /* the (first) point with it */
    int open;             /* still firing at the last point */
} hr_slo_alert;

typedef struct hr_slo_result {
    double objective;
    double budget;            /* 1 - objective: the allowed fraction of bad events */
    int64_t step_ms;
    int64_t window_ms;        /* the nominal SLO window */
    size_t window_first;      /* first grid index in the SLO window: the
                                 last ceil(window / step) points */
    int64_t window_start_ms;  /* t_window_first */
    int64_t window_end_ms;    /* t_(n-1) + step */
    int partial;              /* the data is shorter than the window */
    size_t n_valid, n_gaps;   /* points in the window with and without data */
    double good, total, bad;  /* events in the window */
    double sli;               /* good / total; NaN when total = 0 (undefined) */
    double consumed;          /* bad / (budget x total): 0 when total = 0 */
    double remaining;         /* 1 - consumed; negative: overspent */
    int exhausted;            /* consumed reached 1 (within 1e-9) */
    size_t exhausted_index;   /* the point whose events used the last of it */
    int64_t exhausted_ms;     /* its time; both valid when exhausted */
    size_t n_rules;
    hr_slo_rule *rules;       /* copy of the rules used */
    hr_slo_rule_eff *eff;     /* [n_rules] */
    size_t n_alerts;
    hr_slo_alert *alerts;     /* by start, then rule */
    size_t n_curve;           /* burn-down: window start, every 24 h after, window end */
    int64_t *curve_ms;        /* [n_curve] window_start + k days, the last
                                 one clipped to window_end */
    double *curve_remaining;  /* [n_curve] 1 - bad(points before then in the
                                 window) / (budget x total) */
    int64_t t0_ms;            /* the grid: point i stands for the step from */
    size_t n;                 /* t0_ms + i step_ms; n points */
    double *cum_bad, *cum_total; /* [n + 1] events before point i (gaps add 0) */
} hr_slo_result;

/* The share of an error budget used by the events of the points whose
 * time falls in [a_ms, b_ms]. The budget is the report's SLO window's
 * when the last of those points lies in it, else that of the window of
 * the same length ending with that point (budget x its total events): so
 * an incident inside the window reads against the burn-down, an earlier
 * one against the window it happened in. *win_end_ms (may be NULL)
 * receives the end of the window used. 0 when no point's events fall
 * in the span; NaN when no point does, when a_ms > b_ms, or when that
 * window has no events. */
double hr_slo_consumed_between(const hr_slo_result *r, int64_t a_ms, int64_t b_ms, int64_t *win_end_ms);

/* Request-based SLO: good[i] and total[i] events (counts or rates) per
 * step. NaN in either is a gap (skipped). Errors (HR_SLO_EINPUT, index =
 * the point): an infinite value, a negative value, good > total (beyond
 * a relative 1e-9, which is clamped). HR_SLO_ECONFIG: objective outside
 * (0,1) (1.0, i.e. 100%, leaves no budget), window_days not in (0, 3660],
 * step_ms <= 0, n = 0, a grid whose times overflow int64, a rule with
 * a window not in (0, 366 days], a burn <= 0 or an unknown severity.
 * SLI = good / total over the last ceil(window / step) points; consumed
 * = bad / (budget x total) with bad = total - good; remaining = 1 -
 * consumed. The budget is the window's own: allowed bad events = budget x
 * the window's total events, so exhaustion and the burn-down use the
 * whole window's total (known in a batch run). A window with no events
 * has an undefined SLI (NaN) and consumes nothing; so does a burn-rate
 * window (no alert there). Sums use long double prefix sums.
 * O(n x rules). Borrows the arrays; returns HR_SLO_OK and *out. */
int hr_slo_eval(int64_t t0_ms, int64_t step_ms, size_t n, const double *good, const double *total,
                const hr_slo_cfg *cfg, hr_slo_result **out, hr_slo_err *err);

/* Latency SLO: each point is one event, good when its latency is at or
 * under threshold, counted when present (a time-slice SLI: the share of
 * points within the threshold). NaN latencies are gaps; a negative or
 * infinite latency is HR_SLO_EINPUT with its index; a non-finite
 * threshold HR_SLO_ECONFIG. Otherwise as hr_slo_eval. */
int hr_slo_eval_latency(int64_t t0_ms, int64_t step_ms, size_t n, const double *latency, double threshold,
                        const hr_slo_cfg *cfg, hr_slo_result **out, hr_slo_err *err);

void hr_slo_result_free(hr_slo_result *r); /* NULL is a no-op */

#endif
