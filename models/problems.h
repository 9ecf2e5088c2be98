/* problems.h -- problem management: anomaly spans grouped into incidents,
 * recurring problems, and incident-log metrics (MTTD, MTTR, MTBF) with
 * the matching of logged incidents against detected ones.
 * Owns: the grouping sweep, the incident severity, the recurrence
 * signature and period, log validation and the per-service metrics.
 * Not: reading spans or logs, service names of series, printing.
 * Pure numerics: no I/O, no globals. Reentrant: every call allocates its
 * own result (one allocation per array, never per span) and the caller
 * frees it with the matching _free function, which accepts NULL.
 * Times are int64 UTC milliseconds throughout; hours of day and days of
 * the week are UTC. */
#ifndef HR_PROBLEMS_H
#define HR_PROBLEMS_H

#include <stddef.h>
#include <stdint.h>

/* Status codes: numerically equal to the engine's hr_status values
 * (engine/err.h), so the engine can pass them on as exit codes. */
enum {
    HR_PM_OK = 0,
    HR_PM_EINPUT = 65,  /* a bad span or log row: hr_pm_err.index names it */
    HR_PM_ENOMEM = 70,  /* out of memory (internal) */
    HR_PM_ECONFIG = 78  /* a bad parameter */
};

/* The error of a failed call. index is the 0-based position of the
 * offending span or log row (SIZE_MAX when the error is not about one),
 * so the engine can turn it into file:line; msg says what is wrong,
 * without any location (the caller adds it). */
typedef struct hr_pm_err {
    int code;
    size_t index;
    char msg[160];
} hr_pm_err;

#define HR_PM_NOGROUP SIZE_MAX /* a span or incident without a group */
#define HR_PM_NONE SIZE_MAX    /* "no index" in the outputs */
#define HR_PM_MISSING INT64_C(-1) /* a missing time in a log row */

/* ---- a) incidents ----------------------------------------------------- */

/* One anomaly span of one series (from the detector). */
typedef struct hr_pm_span {
    size_t series;        /* series index */
    int64_t start_ms, end_ms; /* inclusive; end >= start */
    int64_t peak_ms;      /* time of the largest score */
    double peak_score;    /* detector score, nominally in [0,1]; NaN counts as 0 */
    int direction;        /* detector direction (e.g. +1 spike, -1 dip) */
    size_t group;         /* e.g. service id, or HR_PM_NOGROUP */
} hr_pm_span;

typedef struct hr_pm_cfg {
    int64_t gap_ms; /* spans starting within gap_ms after an incident's
                       running end join it (>= 0; 0: overlap or touch) */
    int by_group;   /* 1: only spans of the same group join one incident;
                       spans without a group (HR_PM_NOGROUP) then form
                       incidents among themselves. 0: any spans join. */
} hr_pm_cfg;

/* Defaults: gap 1 hour, by_group 0. */
void hr_pm_cfg_init(hr_pm_cfg *cfg);

/* One series taking part in an incident (its spans there folded). */
typedef struct hr_pm_member {
    size_t series;
    int64_t onset_ms;  /* earliest start of its spans in the incident */
    int64_t end_ms;    /* latest end */
    int64_t peak_ms;   /* peak time of its highest-scoring span */
    double peak_score; /* highest peak score (NaN read as 0) */
    int direction;     /* direction of that span */
    size_t n_spans;
} hr_pm_member;

enum { HR_PM_MINOR = 0, HR_PM_MAJOR = 1, HR_PM_CRITICAL = 2 };

typedef struct hr_pm_incident {
    int64_t start_ms, end_ms; /* earliest start, latest end of its spans */
    int64_t duration_ms;      /* end - start */
    size_t group;             /* by_group: the group; otherwise the group all
                                 its spans share, else HR_PM_NOGROUP */
    size_t origin;            /* suspected origin: members[0].series */
    int direction;            /* the origin's direction */
    double peak_score;        /* largest member peak score */
    int64_t peak_ms;          /* when (earliest such) */
    size_t n_series, n_spans;
    const hr_pm_member *members; /* n_series, ranked by onset, then peak
                                    score (higher first), then series index */
    double severity;          /* index in [0,1], see hr_pm_group */
    int level;                /* HR_PM_MINOR / MAJOR / CRITICAL */
} hr_pm_incident;

typedef struct hr_pm_incidents {
    size_t n;
    hr_pm_incident *inc;      /* by start, then origin series, then group
                                 (a total order: incidents that share a
                                 start and a group would have joined) */
    hr_pm_member *members;    /* all members, in incident order */
    size_t n_spans;
    size_t *span_incident;    /* [n_spans]: the incident of each input span */
} hr_pm_incidents;

/* Groups spans[0..n) into incidents: sorted by (group when by_group,
 * start, end, input index), one sweep joins a span to the current
 * incident when its start <= the incident's running end + gap_ms. This
 * is the connected components of "a and b overlap once each is widened
 * by gap_ms", so the result does not depend on the input order.
 * O(n log n) time, O(n) memory.
 *
 * Severity index S in [0,1], the weighted sum of three terms in [0,1]:
 *   I = largest member peak score, clamped to [0,1]      (intensity)
 *   B = min(1, log2(n_series) / 4)                       (breadth: 1
 *       series 0, 2 -> 0.25, 4 -> 0.5, 16 or more -> 1)
 *   T = min(1, ln(1 + D / 5 min) / ln(1 + 288))          (duration D:
 *       0 -> 0, 15 min -> 0.24, 1 h -> 0.45, 4 h -> 0.69, 24 h+ -> 1)
 *   S = 0.40 I + 0.35 B + 0.25 T
 * level: CRITICAL when S >= 0.70, MAJOR when S >= 0.45, else MINOR. A
 * single series can reach at most 0.65 (MAJOR): critical needs breadth.
 *
 * Borrows spans; keeps no pointer. Returns HR_PM_OK and *out (free with
 * hr_pm_incidents_free; n = 0 gives an empty result), HR_PM_EINPUT for a
 * span with end < start (err->index = the span), HR_PM_ECONFIG for
 * gap_ms < 0, HR_PM_ENOMEM. err may be NULL. */
int hr_pm_group(const hr_pm_span *spans, size_t n, const hr_pm_cfg *cfg, hr_pm_incidents **out,
                hr_pm_err *err);
void hr_pm_incidents_free(hr_pm_incidents *r); /* NULL is a no-op */

/* Severity index and level of an incident from its parts (the formula
 * above), for callers that build incidents themselves. */
double hr_pm_severity(size_t n_series, int64_t duration_ms, double peak_score, int *level);
const char *hr_pm_level_name(int level); /* "minor", "major", "critical" */

/* ---- b) recurring problems -------------------------------------------- */

enum {
    HR_PM_KEY_ORIGIN = 0, /* same origin series */
    HR_PM_KEY_SERIES = 1, /* same set of series */
    HR_PM_KEY_GROUP = 2   /* same group (service); ungrouped incidents skipped */
};
enum { HR_PM_DAILY = 1, HR_PM_WEEKLY = 2, HR_PM_INTERVAL = 3 };

typedef struct hr_pm_recur_cfg {
    int key;              /* HR_PM_KEY_* */
    int64_t phase_tol_ms; /* circular distance of start times (of day, of
                             week) to the anchor occurrence, > 0 */
    double dur_factor;    /* durations within this factor of the anchor's, > 1 */
    int64_t dur_floor_ms; /* durations below this count as this (>= 0),
                             so single-point incidents compare */
    size_t min_count;     /* occurrences to call it recurring, >= 2 */
} hr_pm_recur_cfg;

/* The time of the week of t (ms since the epoch, UTC) from Monday 00:00:
 * what hr_pm_recur.phase_ms measures for weekly problems. */
int64_t hr_pm_phase_week(int64_t t);

/* Defaults: origin key, 1 hour, factor 2, 5 minutes, 3 occurrences. */
void hr_pm_recur_cfg_init(hr_pm_recur_cfg *cfg);

typedef struct hr_pm_recur {
    size_t origin;        /* origin of the first occurrence (the key in
                             origin mode) */
    size_t group;         /* group of the first occurrence */
    int direction;        /* shared by all occurrences */
    int period;           /* HR_PM_DAILY, HR_PM_WEEKLY or HR_PM_INTERVAL */
    int64_t period_ms;    /* 24 h, 168 h, or the median interval */
    int64_t phase_ms;     /* circular mean start time: of the day (from
                             00:00 UTC), of the week for WEEKLY (from
                             Monday 00:00 UTC) */
    int64_t median_duration_ms;
    size_t count;
    const size_t *occ;    /* count incident indices (into the hr_pm_incidents
                             given), by start */
    int64_t first_ms, last_ms; /* starts of the first and last occurrence */
    int64_t next_ms;      /* last_ms + period_ms: the next expected start */
} hr_pm_recur;

typedef struct hr_pm_recurs {
    size_t n;
    hr_pm_recur *rec;     /* by first_ms, then origin, then phase, then period */
    size_t *occ;          /* all occurrence lists */
} hr_pm_recurs;

/* Recurring problems among the incidents of inc.
 * Signature: the key (cfg->key) and the origin's direction, then start
 * times close in time of day and durations alike. Per signature, with
 * the incidents' time-of-day phases on the 24 h circle: each incident's
 * neighbours are those within phase_tol_ms of it whose duration (floored
 * at dur_floor_ms) is within dur_factor of its own; anchors are taken by
 * most neighbours first (ties: earlier start, then incident index), and
 * an anchor with at least min_count unclaimed neighbours (itself
 * included) claims them as one cluster.
 * Period of a cluster (its successive start intervals, median m):
 *   DAILY    when |m - 24 h| <= 2 phase_tol_ms;
 *   else the cluster is split again the same way on the 168 h circle
 *   (time of week): each part of min_count or more is WEEKLY when its
 *   median interval is within 2 phase_tol_ms of 168 h, else INTERVAL
 *   with its median interval; what is left, if min_count or more, is
 *   INTERVAL with its own median interval.
 * next_ms = last occurrence + period. Deterministic; O(m log m + m w) per
 * signature for m incidents and w phase neighbours.
 * Borrows inc (occ refers to its order); returns HR_PM_OK and *out (free
 * with hr_pm_recurs_free), HR_PM_ECONFIG, HR_PM_ENOMEM. err may be NULL. */
int hr_pm_recurring(const hr_pm_incidents *inc, const hr_pm_recur_cfg *cfg, hr_pm_recurs **out,
                    hr_pm_err *err);
void hr_pm_recurs_free(hr_pm_recurs *r); /* NULL is a no-op */
const char *hr_pm_period_name(int period); /* "daily", "weekly", "interval" */

/* ---- c) incident log metrics and matching ----------------------------- */

/* One row of an incident log (a postmortem list). */
typedef struct hr_pm_logrow {
    int64_t start_ms;    /* impact began */
    int64_t end_ms;      /* impact ended, >= start */
    int64_t detected_ms; /* first alert or report, >= start; HR_PM_MISSING allowed */
    int64_t resolved_ms; /* service restored, >= detected (>= start);
                            HR_PM_MISSING allowed */
    const char *service; /* NULL reads as "" */
    const char *title;   /* not used by the numbers; may be NULL */
} hr_pm_logrow;

/* Metrics of one service (or of all rows). Times in ms, as doubles
 * (means); NaN when there is nothing to average. */
typedef struct hr_pm_svc {
    const char *service;  /* owned by the result; NULL for the all-rows total */
    size_t n;             /* incidents */
    size_t n_detected, n_resolved;
    double mttd_ms;       /* mean(detected - start) over rows with detected */
    double mttr_ms;       /* mean(resolved - start) over rows with resolved:
                             time to restore, from impact start (SRE usage) */
    double mtbf_ms;       /* mean interval between successive starts (by
                             start): (last start - first start) / (n - 1);
                             NaN for n < 2 */
    double impact_ms;     /* total (end - start) */
    int64_t first_ms, last_ms; /* first and last start */
} hr_pm_svc;

typedef struct hr_pm_logstats {
    size_t n_svc;
    hr_pm_svc *svc;       /* by service name (strcmp) */
    hr_pm_svc all;        /* every row together (service NULL) */
    char *names;          /* storage for the service names */
} hr_pm_logstats;

/* Validates rows[0..n) and computes per-service metrics.
 * Errors (HR_PM_EINPUT, err->index = the first bad row): end before start,
 * detected before start, resolved before detected (or before start when
 * detected is missing); a time below -1 counts as before. Returns HR_PM_OK
 * and *out (free with hr_pm_logstats_free). Borrows rows; copies the
 * service names. err may be NULL. */
int hr_pm_log_metrics(const hr_pm_logrow *rows, size_t n, hr_pm_logstats **out, hr_pm_err *err);
void hr_pm_logstats_free(hr_pm_logstats *r); /* NULL is a no-op */

/* Validation alone (the same rules): HR_PM_OK or HR_PM_EINPUT. */
int hr_pm_log_validate(const hr_pm_logrow *rows, size_t n, hr_pm_err *err);

enum { HR_PM_MISSED = 0, HR_PM_SEEN = 1 };

typedef struct hr_pm_match {
    size_t n_rows, n_inc;
    int *row_status;        /* [n_rows] HR_PM_SEEN or HR_PM_MISSED */
    size_t *row_incident;   /* [n_rows] the earliest-starting matching
                               incident, or HR_PM_NONE */
    int64_t *row_lead_ms;   /* [n_rows] that incident's start minus the
                               logged start (< 0: detected before the logged
                               start; > 0: after); 0 when missed */
    size_t *inc_row;        /* [n_inc] the first (lowest) matching row, or
                               HR_PM_NONE: the incident is unlogged */
    size_t n_seen, n_missed, n_unlogged;
    double mean_lead_ms, median_lead_ms; /* over seen rows; NaN when none */
} hr_pm_match;

/* Matches logged incidents with detected ones: row r and incident k
 * match when k overlaps [start_r - tol_ms, end_r + tol_ms] (k.start <=
 * end_r + tol and k.end >= start_r - tol) and, if k has a group g that
 * names a service (g < n_groups), group_names[g] equals row r's service.
 * Incidents without a group, or with g >= n_groups, match any service.
 * group_names may be NULL (n_groups 0). A row is SEEN when it matches
 * some incident, MISSED otherwise; an incident that matches no row is
 * unlogged. Rows should be valid (hr_pm_log_validate); only end < start
 * is rejected here (HR_PM_EINPUT). tol_ms >= 0 (else HR_PM_ECONFIG).
 * Cost: O(rows x log incidents + pairs scanned), using the incidents'
 * start order. Returns HR_PM_OK and *out (free with hr_pm_match_free). */
int hr_pm_match_log(const hr_pm_logrow *rows, size_t n_rows, const hr_pm_incidents *inc,
                    const char *const *group_names, size_t n_groups, int64_t tol_ms, hr_pm_match **out,
                    hr_pm_err *err);
void hr_pm_match_free(hr_pm_match *m); /* NULL is a no-op */

#endif
