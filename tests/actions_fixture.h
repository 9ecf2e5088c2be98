/* actions_fixture.h -- what the tests of the suggested-action rules
 * (reports/actions.h) share: hand-built report models (series, resources,
 * a report), the invariants every action must hold (checked on every
 * build), lookups by rule, the problem-management fixture (ten incidents,
 * four recurring spikes, an incident log) and SLO results. Included by
 * test_actions.c (sort order, titles, ids), test_actions_capacity.c and
 * test_actions_pm.c; every function is static inline, so a test file
 * compiles only what it uses. */
#ifndef HR_TEST_ACTIONS_FIXTURE_H
#define HR_TEST_ACTIONS_FIXTURE_H

#include <stdint.h>
#include <stdlib.h>

#include "actions.h"
#include "changes.h"
#include "check.h"

#define MIN INT64_C(60000)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)
#define T0 INT64_C(1704067200000)   /* 2024-01-01 00:00 UTC, a Monday */
#define TODAY (T0 + 60 * DAY)       /* 2024-03-01, a Friday */
#define AS_OF (TODAY + 23 * HOUR)   /* the last data point */

static inline hr_rep_series ser(const char *key, const char *svc)
{
    hr_rep_series s;
    memset(&s, 0, sizeof s);
    s.key = key;
    s.service = svc;
    s.step_ms = HOUR;
    s.first_ms = T0;
    s.last_ms = AS_OF;
    s.last_value = s.current_peak = s.window_max_peak = s.trend_level = NAN;
    s.slope_per_day = s.slope_lo = s.slope_hi = s.growth_pct_30d = s.organic_pct_30d = NAN;
    s.capacity = s.target = s.threshold = s.unit_capacity = s.units = s.lead_time_days = NAN;
    s.peak_end_p50 = s.organic_lo_pct_30d = s.organic_hi_pct_30d = NAN;
    s.sat_p10_ms = s.sat_p50_ms = s.sat_p90_ms = s.order_by_ms = -1;
    s.current_peak_day_ms = TODAY - DAY;
    return s;
}

/* a resource with an inventory row: capacity 100 in 10 units of 10, target 0.8 */
static inline hr_rep_series res(const char *key, const char *svc)
{
    hr_rep_series s = ser(key, svc);
    s.has_capacity = 1;
    s.capacity = 100;
    s.target = 0.8;
    s.threshold = 80;
    s.unit_capacity = 10;
    s.units = 10;
    s.redundancy = 1;
    s.lead_time_days = 30;
    s.has_units = 1;
    s.units_needed = 10;
    s.current_peak = 61.25;
    s.window_max_peak = 63.5;
    s.sat_status = HR_SAT_BEYOND;
    return s;
}

static inline hr_report rep(hr_rep_series *s, size_t n)
{
    hr_report r;
    memset(&r, 0, sizeof r);
    r.as_of_ms = AS_OF;
    r.as_of_day_ms = TODAY;
    r.horizon_days = 365;
    r.trend_window_days = 90;
    r.anomaly_z = 0.5;
    r.s = s;
    r.n = n;
    return r;
}

static inline int is_capacity_rule(const char *rule)
{
    return !strcmp(rule, "order_capacity") || !strcmp(rule, "reclaim_capacity") || !strcmp(rule, "investigate_step") ||
           !strcmp(rule, "confirm_event");
}

static inline int str_null_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

/* the order of actions.h: priority, due, rule, owner (NULL first), title */
static inline int before_or_tie(const hr_rep_action *a, const hr_rep_action *b)
{
    if (a->priority != b->priority)
        return a->priority < b->priority;
    if (a->due_ms != b->due_ms)
        return a->due_ms < b->due_ms;
    int c = strcmp(a->rule, b->rule);
    if (!c)
        c = str_null_cmp(a->owner, b->owner);
    if (!c)
        c = strcmp(a->title, b->title);
    return c <= 0;
}

/* what every action of every report must satisfy */
static inline void check_invariants(const hr_report *r, const hr_rep_action *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const hr_rep_action *x = &a[i];
        CHECK(x->nev >= 1 && x->nev <= HR_ACTION_MAX_EVIDENCE);
        CHECK(x->priority >= 1 && x->priority <= 4);
        CHECK(x->due_ms >= r->as_of_day_ms);
        CHECK(x->due_ms % DAY == 0);
        CHECK(x->title[0] != '\0');
        CHECK_EQ_INT(x->report, is_capacity_rule(x->rule) ? HR_REP_CAPACITY : HR_REP_PROBLEMS);
        int clean = 1;
        for (const char *p = x->title; *p; p++)
            clean &= (unsigned char)*p >= 0x20 && *p != 0x7f;
        CHECK(clean);
        for (size_t k = 0; k < x->nev; k++) {
            CHECK(x->ev[k].series != NULL);
            CHECK(x->ev[k].what[0] != '\0');
        }
        if (i > 0)
            CHECK(before_or_tie(&a[i - 1], x));
    }
}

/* builds, checks the invariants; the caller frees */
static inline hr_rep_action *build(const hr_report *r, size_t *n)
{
    hr_rep_action *a = (hr_rep_action *)1;
    *n = 99;
    CHECK_EQ_INT(hr_actions_build(r, &a, n), HR_OK);
    CHECK(a != NULL);
    check_invariants(r, a, *n);
    return a;
}

static inline size_t count_rule(const hr_rep_action *a, size_t n, const char *rule)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += strcmp(a[i].rule, rule) == 0;
    return c;
}

/* the k-th action (in output order) of a rule, or NULL */
static inline const hr_rep_action *nth(const hr_rep_action *a, size_t n, const char *rule, size_t k)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].rule, rule) == 0 && k-- == 0)
            return &a[i];
    return NULL;
}

#define CHECK_EV(x, k, ser_, t_, v_, what_)                \
    do {                                                   \
        CHECK_STR((x)->ev[k].series, (ser_));              \
        CHECK_EQ_INT((x)->ev[k].t_ms, (t_));               \
        CHECK_NEAR((x)->ev[k].value, (v_), 1e-12);         \
        CHECK_CONTAINS((x)->ev[k].what, (what_));          \
    } while (0)

/* ---- the problem-management fixture ------------------------------------------ */

/* the fixture's six series and their services (functions, so that a test
 * file without the fixture has no unused array) */
static inline const char *const *fixture_keys(void)
{
    static const char *const keys[] = {
        "cpu_used_cores{service=\"search\"}", "latency_p99{service=\"search\"}",
        "errors{service=\"search\"}",         "queue_depth{service=\"search\"}",
        "cpu_used_cores{service=\"api\"}",    "memory_bytes{service=\"api\"}",
    };
    return keys;
}
#define KEYS (fixture_keys())

static inline const char *const *fixture_svcs(void)
{
    static const char *const svcs[] = {"search", "search", "search", "search", "api", "api"};
    return svcs;
}
#define SVCS (fixture_svcs())

static inline hr_pm_span sp(size_t series, int64_t start, int64_t end, double score, int dir)
{
    return (hr_pm_span){series, start, end, start + (end - start) / 2, score, dir, HR_PM_NOGROUP};
}

/* a critical incident: 4 search series for 4 hours from day d, hour h
 * (different hours, so the three are no recurring problem) */
static inline size_t critical(hr_pm_span *s, size_t n, int64_t d, int64_t h)
{
    int64_t st = T0 + d * DAY + h * HOUR;
    s[n++] = sp(0, st, st + 4 * HOUR, 1.0, 1);
    for (size_t k = 1; k < 4; k++)
        s[n++] = sp(k, st + 5 * MIN, st + 4 * HOUR, 0.7, 1);
    return n;
}

typedef struct fixture {
    hr_rep_series s[6];
    hr_pm_incidents *inc;
    hr_pm_recurs *rec;
    hr_pm_match *match;
    hr_pm_logrow log[7];
    size_t nlog;
} fixture;

/* Incidents by start (ids D-0001...):
 *   0 D critical day 20 06:00 (too old)        1 R1 weekly spike, day 35 03:00
 *   2 R2 day 42                                3 E critical day 45 14:00 (logged)
 *   4 R3 day 49                                5 A critical day 50 10:00 (unlogged)
 *   6 B major, 2 series, day 55 (unlogged)     7 R4 day 56
 *   8 C major, 1 series, day 57 (24 h)         9 F minor, 2 series, day 58
 * Log: E (seen); missed: search days 30 and 33, api day 40, no service
 * day 25; search day -100 (before the data) and day 62 (after it). */
static inline void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < 6; i++)
        f->s[i] = ser(KEYS[i], SVCS[i]);
    hr_pm_span s[32];
    size_t n = 0;
    n = critical(s, n, 20, 6);
    for (int64_t w = 0; w < 4; w++)
        s[n++] = sp(4, T0 + (35 + 7 * w) * DAY + 3 * HOUR, T0 + (35 + 7 * w) * DAY + 3 * HOUR + 20 * MIN, 0.6, 1);
    n = critical(s, n, 45, 14);
    n = critical(s, n, 50, 10);
    s[n++] = sp(4, T0 + 55 * DAY + 8 * HOUR, T0 + 55 * DAY + 9 * HOUR, 0.9, 1);
    s[n++] = sp(5, T0 + 55 * DAY + 8 * HOUR + 10 * MIN, T0 + 55 * DAY + 9 * HOUR, 0.8, 1);
    s[n++] = sp(4, T0 + 57 * DAY + 15 * HOUR, T0 + 58 * DAY + 15 * HOUR, 1.0, 1);
    s[n++] = sp(1, T0 + 58 * DAY + 20 * HOUR, T0 + 58 * DAY + 20 * HOUR + 15 * MIN, 0.5, 1);
    s[n++] = sp(2, T0 + 58 * DAY + 20 * HOUR + 5 * MIN, T0 + 58 * DAY + 20 * HOUR + 15 * MIN, 0.4, 1);
    hr_pm_cfg cfg;
    hr_pm_cfg_init(&cfg);
    CHECK_EQ_INT(hr_pm_group(s, n, &cfg, &f->inc, NULL), HR_PM_OK);
    CHECK_EQ_INT(f->inc->n, 10);
    hr_pm_recur_cfg rc;
    hr_pm_recur_cfg_init(&rc);
    CHECK_EQ_INT(hr_pm_recurring(f->inc, &rc, &f->rec, NULL), HR_PM_OK);
    int64_t d = T0;
    hr_pm_logrow log[] = {
        {d + 45 * DAY + 14 * HOUR, d + 45 * DAY + 18 * HOUR, HR_PM_MISSING, HR_PM_MISSING, "search", "E"},
        {d + 30 * DAY + 2 * HOUR, d + 30 * DAY + 3 * HOUR + 30 * MIN, HR_PM_MISSING, HR_PM_MISSING, "search", "L1"},
        {d + 33 * DAY + 6 * HOUR, d + 33 * DAY + 6 * HOUR + 45 * MIN, HR_PM_MISSING, HR_PM_MISSING, "search", "L2"},
        {d + 40 * DAY + 12 * HOUR, d + 40 * DAY + 14 * HOUR, HR_PM_MISSING, HR_PM_MISSING, "api", "L3"},
        {d - 100 * DAY, d - 100 * DAY + HOUR, HR_PM_MISSING, HR_PM_MISSING, "search", "before the data"},
        {d + 25 * DAY, d + 25 * DAY + HOUR, HR_PM_MISSING, HR_PM_MISSING, NULL, "no service"},
        {d + 62 * DAY, d + 62 * DAY + HOUR, HR_PM_MISSING, HR_PM_MISSING, "search", "after the data"},
    };
    f->nlog = sizeof log / sizeof log[0];
    memcpy(f->log, log, sizeof log);
    CHECK_EQ_INT(hr_pm_match_log(f->log, f->nlog, f->inc, NULL, 0, 30 * MIN, &f->match, NULL), HR_PM_OK);
}

static inline hr_report fixture_report(fixture *f)
{
    hr_report r = rep(f->s, 6);
    r.inc = f->inc;
    r.rec = f->rec;
    r.log = f->log;
    r.nlog = f->nlog;
    r.match = f->match;
    r.log_path = "incidents.csv";
    return r;
}

static inline void fixture_free(fixture *f)
{
    hr_pm_incidents_free(f->inc);
    hr_pm_recurs_free(f->rec);
    hr_pm_match_free(f->match);
}

/* ---- SLO fixtures ------------------------------------------------------------ */

/* 48 hourly points ending at AS_OF, 1000 events each, bad[i] bad ones;
 * 99% over 2 days: 480 bad events allowed */
static inline hr_slo_result *slo(const double *bad)
{
    double g[48], t[48];
    for (size_t i = 0; i < 48; i++) {
        t[i] = 1000;
        g[i] = 1000 - bad[i];
    }
    hr_slo_cfg cfg;
    hr_slo_cfg_init(&cfg);
    cfg.objective = 0.99;
    cfg.window_days = 2;
    hr_slo_result *r = NULL;
    CHECK_EQ_INT(hr_slo_eval(AS_OF - 47 * HOUR, HOUR, 48, g, t, &cfg, &r, NULL), HR_SLO_OK);
    return r;
}

static inline hr_rep_slo rslo(const char *name, const char *svc, const hr_slo_result *res)
{
    hr_rep_slo o;
    memset(&o, 0, sizeof o);
    o.name = name;
    o.service = svc;
    o.good = "good_total";
    o.total = "requests_total";
    o.objective = 0.99;
    o.window_days = 2;
    o.res = res;
    return o;
}

#endif
