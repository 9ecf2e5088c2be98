/* deploys.h -- change management: changes (deploys, config pushes, flag
 * flips, infrastructure work) linked to the incidents that followed them,
 * and the release-engineering metrics of the SRE practice (the DORA four:
 * deployment frequency, lead time for changes, change failure rate and
 * time to restore; Forsgren, Humble & Kim, "Accelerate", 2018).
 * Owns: the change-to-incident link rule, "failed" for a change, and the
 * metrics per service and overall over two windows (the report's span
 * and the last 30 days). Not: reading the changes log (engine/tables.c),
 * naming the services of an incident (the caller gives them), printing.
 * Not to be confused with reports/changes.h, which compares two nightly
 * report folders.
 * Pure numerics: no I/O, no globals. Reentrant: each call allocates its
 * own result (one allocation per array); free it with hr_dep_result_free.
 * Times are int64 UTC milliseconds. */
#ifndef HR_DEPLOYS_H
#define HR_DEPLOYS_H

#include <stddef.h>
#include <stdint.h>

/* Status codes, numerically equal to the engine's hr_status values. */
enum { HR_DEP_OK = 0, HR_DEP_EINPUT = 65, HR_DEP_ENOMEM = 70, HR_DEP_ECONFIG = 78 };

#define HR_DEP_NONE SIZE_MAX
#define HR_DEP_MISSING INT64_C(-1) /* no commit time */

enum { HR_DEP_DEPLOY = 0, HR_DEP_CONFIG, HR_DEP_FLAG, HR_DEP_INFRA, HR_DEP_NKINDS };
const char *hr_dep_kind_name(int kind); /* "deploy", "config", "flag", "infra" */
int hr_dep_kind_parse(const char *s, int *kind); /* 0 or -1 */

/* One change of the log. rollback_of is the index of the change this one
 * reverts (HR_DEP_NONE: none), resolved by the caller from the ids. */
typedef struct hr_dep_change {
    int64_t t_ms;          /* when it reached production */
    int64_t commit_ms;     /* when it was written; HR_DEP_MISSING */
    const char *service;   /* required */
    const char *id;        /* unique in the log */
    int kind;              /* HR_DEP_* */
    size_t rollback_of;
} hr_dep_change;

/* One detected incident as the link rule sees it. */
typedef struct hr_dep_incident {
    int64_t start_ms, end_ms; /* onset and end */
    int major;                /* level major or critical */
    const char *origin_service; /* may be NULL */
    const char *const *services; /* nservices distinct service names */
    size_t nservices;
} hr_dep_incident;

typedef struct hr_dep_cfg {
    int64_t window_ms;     /* link window after a change (> 0) */
    int64_t from_ms, to_ms; /* the report's span: changes with t in
                              [from, to] count in the metrics */
    int64_t recent_ms;     /* the recent window: (to - recent, to] */
} hr_dep_cfg;

/* Defaults: window 2 h, recent 30 days, from = to = 0. */
void hr_dep_cfg_init(hr_dep_cfg *cfg);

/* Metrics of one set of changes. NaN when there is nothing to take them
 * from (no changes, no commit times, no restores). */
typedef struct hr_dep_metrics {
    size_t n_changes;        /* every kind */
    size_t n_deploys;        /* kind deploy */
    size_t n_failed;
    double deploys_per_week; /* n_deploys / (window length in weeks) */
    double failure_rate;     /* n_failed / n_changes */
    double lead_p50_h, lead_p90_h; /* t - commit over changes with a commit
                                time, hours; GSL's quantile of sorted
                                data (linear interpolation, R type 7) */
    double restore_p50_h;    /* median over failed changes with a linked
                                incident of (the latest end of its linked
                                incidents - change time), hours */
} hr_dep_metrics;

typedef struct hr_dep_svc {
    const char *service;     /* borrowed from the changes */
    hr_dep_metrics all, recent;
} hr_dep_svc;

typedef struct hr_dep_link {
    size_t change, incident;
    int64_t lag_ms;          /* incident onset - change time, >= 0 */
} hr_dep_link;

typedef struct hr_dep_result {
    hr_dep_link *links;      /* by incident, at most one per incident */
    size_t nlinks;
    size_t *incident_change; /* [ninc] the linked change or HR_DEP_NONE */
    int *failed;             /* [nchanges] 1: failed */
    size_t *rolled_back_by;  /* [nchanges] the first change reverting it, or NONE */
    hr_dep_svc *svc;         /* by service name (strcmp) */
    size_t nsvc;
    hr_dep_metrics all, recent;
} hr_dep_result;

/* Links incidents to changes and computes the metrics.
 * Link rule: incident k is linked to the change c with c.service among
 * k's services and 0 <= k.start - c.t <= window that is nearest (latest
 * c.t); ties: a change of the incident's origin service first, then by
 * service name, then by id (strcmp). Each incident gets at most one
 * change; a change may be linked to several incidents.
 * Failed: a change linked to an incident with major set, or reverted by
 * a later change (rollback_of). A rollback is itself a change and counts
 * in n_changes.
 * Windows: changes with from <= t <= to count in `all`, with
 * to - recent < t <= to in `recent`; deploys_per_week divides by the
 * window's length in weeks (to - from; recent_ms), NaN when it is 0.
 * Borrows everything; returns HR_DEP_OK and *out, HR_DEP_EINPUT when a
 * rollback_of index is out of range (err_index = that change),
 * HR_DEP_ECONFIG for window <= 0, HR_DEP_ENOMEM. err_index may be NULL. */
int hr_dep_analyze(const hr_dep_change *c, size_t nc, const hr_dep_incident *inc, size_t ni, const hr_dep_cfg *cfg,
                   hr_dep_result **out, size_t *err_index);
void hr_dep_result_free(hr_dep_result *r); /* NULL is a no-op */

#endif
