/* test_problems.c -- incidents from spans (overlap, chains, gaps, groups,
 * origin and ties, severity), agreement with a brute-force O(n^2)
 * grouping on random spans, 10^5 spans, recurring problems (weekly,
 * daily, series sets, and look-alikes that are not), incident-log
 * metrics and validation, and log/detection matching, against
 * hand-computed answers. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "problems.h"

#define MIN INT64_C(60000)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)
#define T0 INT64_C(1704067200000) /* 2024-01-01 00:00 UTC, a Monday */

static uint64_t rng = UINT64_C(0x9e3779b97f4a7c15);

static uint64_t next_u64(void)
{
    uint64_t z = (rng += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double unif(void) { return (double)(next_u64() >> 11) * (1.0 / 9007199254740992.0); }

static hr_pm_span sp(size_t series, int64_t start, int64_t end, double score, int dir, size_t group)
{
    return (hr_pm_span){series, start, end, start + (end - start) / 2, score, dir, group};
}

/* random spans over `days` days: 50 series in 5 groups, durations up to ~3 h */
static void random_spans(hr_pm_span *s, size_t n, int64_t days)
{
    for (size_t i = 0; i < n; i++) {
        int64_t st = T0 + (int64_t)(unif() * (double)(days * DAY));
        int64_t d = (int64_t)(-log(1 - unif()) * 40.0 * (double)MIN);
        size_t ser = (size_t)(unif() * 50);
        s[i] = sp(ser, st, st + d, unif(), unif() < 0.5 ? 1 : -1, ser % 5);
        if (i % 97 == 0)
            s[i].group = HR_PM_NOGROUP;
        if (i % 89 == 0)
            s[i].peak_score = NAN;
    }
}

/* union-find reference: a and b are joined when they overlap once each
 * is widened by gap (and share a group in group mode) */
static size_t uf_find(size_t *p, size_t x)
{
    while (p[x] != x)
        x = p[x] = p[p[x]];
    return x;
}

static void brute_force(const hr_pm_span *s, size_t n, const hr_pm_cfg *cfg, size_t *root)
{
    for (size_t i = 0; i < n; i++)
        root[i] = i;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            if (cfg->by_group && s[i].group != s[j].group)
                continue;
            if (s[i].start_ms <= s[j].end_ms + cfg->gap_ms && s[j].start_ms <= s[i].end_ms + cfg->gap_ms) {
                size_t a = uf_find(root, i), b = uf_find(root, j);
                if (a != b)
                    root[a > b ? a : b] = a < b ? a : b;
            }
        }
    for (size_t i = 0; i < n; i++)
        root[i] = uf_find(root, i);
}

/* the structural invariants of a grouping result */
static int well_formed(const hr_pm_span *s, size_t n, const hr_pm_incidents *r)
{
    size_t spans = 0;
    for (size_t k = 0; k < r->n; k++) {
        const hr_pm_incident *x = &r->inc[k];
        if (k && (r->inc[k - 1].start_ms > x->start_ms ||
                  (r->inc[k - 1].start_ms == x->start_ms && r->inc[k - 1].origin > x->origin)))
            return 0;
        if (x->origin != x->members[0].series || x->duration_ms != x->end_ms - x->start_ms)
            return 0;
        if (x->members[0].onset_ms != x->start_ms)
            return 0;
        for (size_t j = 1; j < x->n_series; j++)
            if (x->members[j - 1].onset_ms > x->members[j].onset_ms)
                return 0;
        spans += x->n_spans;
    }
    if (spans != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const hr_pm_incident *x = &r->inc[r->span_incident[i]];
        if (s[i].start_ms < x->start_ms || s[i].end_ms > x->end_ms)
            return 0;
    }
    return 1;
}

static void test_grouping(void)
{
    hr_pm_cfg cfg;
    hr_pm_cfg_init(&cfg);
    CHECK_EQ_INT(cfg.gap_ms, HOUR);
    CHECK_EQ_INT(cfg.by_group, 0);
    int64_t t = T0 + 10 * HOUR;
    hr_pm_span s[] = {
        sp(3, t, t + 20 * MIN, 0.8, 1, 0),                 /* A: the first onset */
        sp(1, t + 5 * MIN, t + 30 * MIN, 0.9, -1, 0),      /* B overlaps A */
        sp(2, t + 70 * MIN, t + 75 * MIN, 0.6, 1, 1),      /* C: 40 min after, chained */
        sp(5, t + 4 * HOUR, t + 4 * HOUR + 10 * MIN, 0.7, 1, 1), /* D: apart */
        sp(1, t + 25 * MIN, t + 40 * MIN, 0.95, 1, 0),     /* E: series 1 again */
    };
    hr_pm_incidents *r = NULL;
    hr_pm_err err;
    CHECK_EQ_INT(hr_pm_group(s, 5, &cfg, &r, &err), HR_PM_OK);
    CHECK_EQ_INT(r->n, 2);
    const hr_pm_incident *a = &r->inc[0], *b = &r->inc[1];
    CHECK_EQ_INT(a->start_ms, t);
    CHECK_EQ_INT(a->end_ms, t + 75 * MIN);
    CHECK_EQ_INT(a->duration_ms, 75 * MIN);
    CHECK_EQ_INT(a->n_spans, 4);
    CHECK_EQ_INT(a->n_series, 3);
    CHECK_EQ_INT(a->origin, 3);
    CHECK_EQ_INT(a->direction, 1);
    CHECK_EQ_INT(a->members[0].series, 3);
    CHECK_EQ_INT(a->members[1].series, 1);
    CHECK_EQ_INT(a->members[1].onset_ms, t + 5 * MIN);
    CHECK_EQ_INT(a->members[1].end_ms, t + 40 * MIN);
    CHECK_EQ_INT(a->members[1].n_spans, 2);
    CHECK_NEAR(a->members[1].peak_score, 0.95, 0);
    CHECK_EQ_INT(a->members[1].direction, 1); /* the highest-scoring span's */
    CHECK_EQ_INT(a->members[2].series, 2);
    CHECK_NEAR(a->peak_score, 0.95, 0);
    CHECK_EQ_INT(a->group, HR_PM_NOGROUP); /* groups 0 and 1 mixed */
    /* severity: I = 0.95, B = log2(3)/4, T = ln(1 + 75/5)/ln(289) */
    double S = 0.40 * 0.95 + 0.35 * log2(3.0) / 4 + 0.25 * log(16.0) / log(289.0);
    CHECK_NEAR(a->severity, S, 1e-12); /* 0.6413 */
    CHECK_EQ_INT(a->level, HR_PM_MAJOR);
    CHECK_EQ_INT(b->origin, 5);
    CHECK_EQ_INT(b->n_series, 1);
    CHECK_EQ_INT(b->group, 1);
    CHECK_EQ_INT(b->start_ms, t + 4 * HOUR);
    CHECK_EQ_INT(b->level, HR_PM_MINOR);
    CHECK_EQ_INT(r->span_incident[0], 0);
    CHECK_EQ_INT(r->span_incident[2], 0);
    CHECK_EQ_INT(r->span_incident[3], 1);
    CHECK_EQ_INT(r->span_incident[4], 0);
    CHECK(well_formed(s, 5, r));
    hr_pm_incidents_free(r);

    /* gap 0: only overlaps join; C stands alone now (3 incidents) */
    cfg.gap_ms = 0;
    CHECK_EQ_INT(hr_pm_group(s, 5, &cfg, &r, &err), HR_PM_OK);
    CHECK_EQ_INT(r->n, 3);
    CHECK_EQ_INT(r->inc[0].end_ms, t + 40 * MIN);
    CHECK_EQ_INT(r->inc[1].origin, 2);
    CHECK_EQ_INT(r->inc[1].start_ms, t + 70 * MIN);
    hr_pm_incidents_free(r);
    /* touching spans join at gap 0 */
    hr_pm_span touch[] = {sp(0, t, t + MIN, 0.5, 1, 0), sp(1, t + MIN, t + 2 * MIN, 0.5, 1, 0)};
    CHECK_EQ_INT(hr_pm_group(touch, 2, &cfg, &r, &err), HR_PM_OK);
    CHECK_EQ_INT(r->n, 1);
    hr_pm_incidents_free(r);

    /* group mode: A, B, E (group 0) and C, D (group 1) never join; a
     * by-group incident carries its group */
    cfg.gap_ms = 3 * HOUR;
    CHECK_EQ_INT(hr_pm_group(s, 5, &cfg, &r, &err), HR_PM_OK);
    CHECK_EQ_INT(r->n, 1); /* any group, 3 h: all five chain */
    CHECK_EQ_INT(r->inc[0].n_series, 4);
    CHECK_EQ_INT(r->inc[0].origin, 3);
    hr_pm_incidents_free(r);
    cfg.by_group = 1;
    CHECK_EQ_INT(hr_pm_group(s, 5, &cfg, &r, &err), HR_PM_OK);
    CHECK_EQ_INT(r->n, 2);
    CHECK_EQ_INT(r->inc[0].group, 0);
    CHECK_EQ_INT(r->inc[0].origin, 3);
    CHECK_EQ_INT(r->inc[0].n_series, 2);
    CHECK_EQ_INT(r->inc[0].end_ms, t + 40 * MIN);
    CHECK_EQ_INT(r->inc[1].group, 1);
    CHECK_EQ_INT(r->inc[1].origin, 2); /* C then D, 2h45 apart < 3 h */
    CHECK_EQ_INT(r->inc[1].n_series, 2);
    CHECK(well_formed(s, 5, r));
    hr_pm_incidents_free(r);

    /* origin ties: same onset -> higher peak score, then lower index */
    cfg.by_group = 0;
    cfg.gap_ms = 0;
    hr_pm_span tie[] = {sp(7, t, t + 10 * MIN, 0.5, 1, 0), sp(4, t, t + 5 * MIN, 0.9, -1, 0),
                        sp(2, t, t + 5 * MIN, 0.5, 1, 0)};
    CHECK_EQ_INT(hr_pm_group(tie, 3, &cfg, &r, &err), HR_PM_OK);
    CHECK_EQ_INT(r->n, 1);
    CHECK_EQ_INT(r->inc[0].origin, 4);
    CHECK_EQ_INT(r->inc[0].direction, -1);
    CHECK_EQ_INT(r->inc[0].members[1].series, 2);
    CHECK_EQ_INT(r->inc[0].members[2].series, 7);
    hr_pm_incidents_free(r);

    /* two incidents with the same start: by origin index */
    hr_pm_span same[] = {sp(9, t, t + MIN, 0.5, 1, 1), sp(3, t, t + MIN, 0.5, 1, 2)};
    cfg.by_group = 1;
    CHECK_EQ_INT(hr_pm_group(same, 2, &cfg, &r, &err), HR_PM_OK);
    CHECK_EQ_INT(r->n, 2);
    CHECK_EQ_INT(r->inc[0].origin, 3);
    CHECK_EQ_INT(r->inc[1].origin, 9);
    CHECK_EQ_INT(r->span_incident[0], 1);
    hr_pm_incidents_free(r);

    /* ungrouped spans form incidents among themselves in group mode */
    hr_pm_span ng[] = {sp(1, t, t + MIN, 0.5, 1, HR_PM_NOGROUP), sp(2, t, t + MIN, 0.5, 1, HR_PM_NOGROUP),
                       sp(3, t, t + MIN, 0.5, 1, 4)};
    CHECK_EQ_INT(hr_pm_group(ng, 3, &cfg, &r, &err), HR_PM_OK);
    CHECK_EQ_INT(r->n, 2);
    CHECK_EQ_INT(r->inc[0].group, HR_PM_NOGROUP);
    CHECK_EQ_INT(r->inc[0].n_series, 2);
    CHECK_EQ_INT(r->inc[1].group, 4);
    hr_pm_incidents_free(r);

    /* severity levels: the table of the header */
    int lv;
    CHECK_NEAR(hr_pm_severity(1, 0, 0.3, &lv), 0.12, 1e-12);
    CHECK_EQ_INT(lv, HR_PM_MINOR);
    CHECK_NEAR(hr_pm_severity(1, 1000 * DAY, 5.0, &lv), 0.65, 1e-12); /* one series caps at major */
    CHECK_EQ_INT(lv, HR_PM_MAJOR);
    CHECK_NEAR(hr_pm_severity(16, 24 * HOUR, 1.0, &lv), 1.0, 1e-12);
    CHECK_EQ_INT(lv, HR_PM_CRITICAL);
    CHECK_NEAR(hr_pm_severity(4, 0, 1.0, &lv), 0.4 + 0.175, 1e-12);
    CHECK_EQ_INT(lv, HR_PM_MAJOR);
    hr_pm_severity(2, 24 * HOUR, 1.0, &lv); /* 0.40 + 0.0875 + 0.25 = 0.7375 */
    CHECK_EQ_INT(lv, HR_PM_CRITICAL);
    CHECK_NEAR(hr_pm_severity(1, 0, NAN, NULL), 0, 0);
    CHECK_STR(hr_pm_level_name(HR_PM_CRITICAL), "critical");
    CHECK_STR(hr_pm_level_name(HR_PM_MINOR), "minor");

    /* errors: end before start names the span; negative gap */
    hr_pm_span bad[] = {sp(0, t, t + MIN, 0.5, 1, 0), sp(1, t, t + MIN, 0.5, 1, 0), sp(2, t, t - 1, 0.5, 1, 0)};
    r = (hr_pm_incidents *)&err; /* must be reset to NULL */
    CHECK_EQ_INT(hr_pm_group(bad, 3, &cfg, &r, &err), HR_PM_EINPUT);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, HR_PM_EINPUT);
    CHECK_EQ_INT(err.index, 2);
    CHECK_CONTAINS(err.msg, "before it starts");
    cfg.gap_ms = -1;
    CHECK_EQ_INT(hr_pm_group(s, 5, &cfg, &r, &err), HR_PM_ECONFIG);
    CHECK_EQ_INT(err.index, SIZE_MAX);
    CHECK_EQ_INT(hr_pm_group(s, 5, &cfg, &r, NULL), HR_PM_ECONFIG); /* err may be NULL */
    /* times at the ends of int64: no overflow (the gap and the duration
     * saturate) */
    cfg.gap_ms = HOUR;
    cfg.by_group = 0;
    hr_pm_span ext[] = {{0, INT64_MIN + 5, INT64_MAX - 5, 0, 0.5, 1, 0},
                        {1, INT64_MAX - 3, INT64_MAX, INT64_MAX, 0.5, 1, 0},
                        {2, INT64_MIN, INT64_MIN, INT64_MIN, 0.5, 1, 0}};
    CHECK_EQ_INT(hr_pm_group(ext, 3, &cfg, &r, &err), HR_PM_OK);
    CHECK_EQ_INT(r->n, 1);
    CHECK_EQ_INT(r->inc[0].duration_ms, INT64_MAX);
    CHECK_EQ_INT(r->inc[0].origin, 2);
    hr_pm_recur_cfg rc;
    hr_pm_recur_cfg_init(&rc);
    rc.min_count = 2;
    hr_pm_recurs *rec = NULL;
    CHECK_EQ_INT(hr_pm_recurring(r, &rc, &rec, &err), HR_PM_OK);
    CHECK_EQ_INT(rec->n, 0);
    hr_pm_recurs_free(rec);
    hr_pm_incidents_free(r);
    /* no spans: an empty result */
    cfg.gap_ms = HOUR;
    CHECK_EQ_INT(hr_pm_group(NULL, 0, &cfg, &r, &err), HR_PM_OK);
    CHECK(r && r->n == 0);
    hr_pm_incidents_free(r);
    hr_pm_incidents_free(NULL);
}

/* the sweep agrees with the O(n^2) components on 2,000 random spans, in
 * both modes; the result does not depend on the input order */
static void test_brute_force(void)
{
    enum { N = 2000 };
    static hr_pm_span s[N], sh[N];
    static size_t root[N], perm[N];
    random_spans(s, N, 365);
    for (int mode = 0; mode < 2; mode++) {
        hr_pm_cfg cfg;
        hr_pm_cfg_init(&cfg);
        cfg.by_group = mode;
        cfg.gap_ms = mode ? 2 * HOUR : 20 * MIN;
        hr_pm_incidents *r = NULL;
        CHECK_EQ_INT(hr_pm_group(s, N, &cfg, &r, NULL), HR_PM_OK);
        brute_force(s, N, &cfg, root);
        size_t bad = 0, ncomp = 0;
        for (size_t i = 0; i < N; i++) {
            ncomp += root[i] == i;
            for (size_t j = i + 1; j < N; j++)
                bad += (root[i] == root[j]) != (r->span_incident[i] == r->span_incident[j]);
        }
        CHECK_EQ_INT(bad, 0);
        CHECK_EQ_INT(r->n, ncomp);
        CHECK(r->n > 50 && r->n < N); /* a real mix of joins and singles */
        CHECK(well_formed(s, N, r));
        /* start and end are the component's extremes */
        size_t wrong = 0;
        for (size_t i = 0; i < N; i++) {
            int64_t lo = INT64_MAX, hi = INT64_MIN;
            if (root[i] != i)
                continue;
            for (size_t j = 0; j < N; j++)
                if (root[j] == i) {
                    lo = s[j].start_ms < lo ? s[j].start_ms : lo;
                    hi = s[j].end_ms > hi ? s[j].end_ms : hi;
                }
            const hr_pm_incident *x = &r->inc[r->span_incident[i]];
            wrong += x->start_ms != lo || x->end_ms != hi;
        }
        CHECK_EQ_INT(wrong, 0);

        /* shuffled input: the same incidents */
        for (size_t i = 0; i < N; i++)
            perm[i] = i;
        for (size_t i = N - 1; i > 0; i--) {
            size_t j = (size_t)(unif() * (double)(i + 1)), x = perm[i];
            perm[i] = perm[j];
            perm[j] = x;
        }
        for (size_t i = 0; i < N; i++)
            sh[i] = s[perm[i]];
        hr_pm_incidents *q = NULL;
        CHECK_EQ_INT(hr_pm_group(sh, N, &cfg, &q, NULL), HR_PM_OK);
        size_t diff = q->n != r->n;
        for (size_t k = 0; !diff && k < r->n; k++) {
            const hr_pm_incident *x = &r->inc[k], *y = &q->inc[k];
            diff += x->start_ms != y->start_ms || x->end_ms != y->end_ms || x->origin != y->origin ||
                    x->n_series != y->n_series || x->n_spans != y->n_spans || x->severity != y->severity ||
                    x->group != y->group || x->peak_ms != y->peak_ms;
            for (size_t j = 0; !diff && j < x->n_series; j++)
                diff += x->members[j].series != y->members[j].series ||
                        x->members[j].onset_ms != y->members[j].onset_ms;
        }
        for (size_t i = 0; i < N; i++)
            diff += q->span_incident[i] != r->span_incident[perm[i]];
        CHECK_EQ_INT(diff, 0);
        hr_pm_incidents_free(q);
        hr_pm_incidents_free(r);
    }
}

static void test_large(void)
{
    size_t n = 100000;
    hr_pm_span *s = malloc(n * sizeof *s);
    random_spans(s, n, 3650);
    hr_pm_cfg cfg;
    hr_pm_cfg_init(&cfg);
    cfg.gap_ms = 10 * MIN;
    hr_pm_incidents *r = NULL;
    CHECK_EQ_INT(hr_pm_group(s, n, &cfg, &r, NULL), HR_PM_OK);
    CHECK(r->n > 1000);
    CHECK(well_formed(s, n, r));
    /* recurring problems over them: valid, start-ordered occurrence
     * lists, each incident in at most one problem, the signature kept */
    hr_pm_recur_cfg rc;
    hr_pm_recur_cfg_init(&rc);
    hr_pm_recurs *rec = NULL;
    CHECK_EQ_INT(hr_pm_recurring(r, &rc, &rec, NULL), HR_PM_OK);
    unsigned char *used = calloc(r->n, 1);
    size_t bad = 0;
    for (size_t k = 0; k < rec->n; k++) {
        const hr_pm_recur *x = &rec->rec[k];
        bad += x->count < 3 || x->first_ms != r->inc[x->occ[0]].start_ms ||
               x->next_ms != x->last_ms + x->period_ms || (k && rec->rec[k - 1].first_ms > x->first_ms);
        for (size_t j = 0; j < x->count; j++) {
            size_t o = x->occ[j];
            bad += o >= r->n || used[o]++ || r->inc[o].origin != x->origin || r->inc[o].direction != x->direction ||
                   (j && r->inc[x->occ[j - 1]].start_ms > r->inc[o].start_ms);
        }
    }
    CHECK_EQ_INT(bad, 0);
    free(used);
    hr_pm_recurs_free(rec);
    hr_pm_incidents_free(r);
    cfg.by_group = 1;
    CHECK_EQ_INT(hr_pm_group(s, n, &cfg, &r, NULL), HR_PM_OK);
    CHECK(well_formed(s, n, r));
    hr_pm_incidents_free(r);
    free(s);
}

static void test_recurring(void)
{
    hr_pm_span s[64];
    size_t n = 0;
    /* series 7: Mondays around 03:00 for 4 weeks, 20-30 min, spikes */
    int64_t off[4] = {0, 10 * MIN, -10 * MIN, 5 * MIN};
    for (int w = 0; w < 4; w++) {
        int64_t st = T0 + w * 7 * DAY + 3 * HOUR + off[w];
        s[n++] = sp(7, st, st + (20 + 3 * w) * MIN, 0.7, 1, 0);
    }
    s[n++] = sp(7, T0 + 2 * DAY + 15 * HOUR, T0 + 2 * DAY + 15 * HOUR + 20 * MIN, 0.7, 1, 0); /* once */
    /* series 9: daily at 12:00 for 5 days, dips */
    for (int d = 0; d < 5; d++)
        s[n++] = sp(9, T0 + (10 + d) * DAY + 12 * HOUR, T0 + (10 + d) * DAY + 12 * HOUR + 15 * MIN, 0.6, -1, 1);
    /* series 11: three times at different hours */
    s[n++] = sp(11, T0 + 1 * DAY + 1 * HOUR, T0 + 1 * DAY + 1 * HOUR + 10 * MIN, 0.6, 1, 2);
    s[n++] = sp(11, T0 + 2 * DAY + 9 * HOUR, T0 + 2 * DAY + 9 * HOUR + 10 * MIN, 0.6, 1, 2);
    s[n++] = sp(11, T0 + 3 * DAY + 17 * HOUR, T0 + 3 * DAY + 17 * HOUR + 10 * MIN, 0.6, 1, 2);
    /* series 12: same hour, durations 10 min, 1 h, 5 h: shapes differ */
    s[n++] = sp(12, T0 + 4 * DAY + 20 * HOUR, T0 + 4 * DAY + 20 * HOUR + 10 * MIN, 0.6, 1, 3);
    s[n++] = sp(12, T0 + 5 * DAY + 20 * HOUR, T0 + 5 * DAY + 21 * HOUR, 0.6, 1, 3);
    s[n++] = sp(12, T0 + 6 * DAY + 20 * HOUR, T0 + 7 * DAY + 1 * HOUR, 0.6, 1, 3);
    /* series 13: same hour and shape, but directions up, down, up */
    for (int d = 0; d < 3; d++)
        s[n++] = sp(13, T0 + (20 + d) * DAY + 22 * HOUR, T0 + (20 + d) * DAY + 22 * HOUR + 10 * MIN, 0.6,
                    d == 1 ? -1 : 1, 4);
    /* series 2 and 5 together at 05:00 on 3 days, each starting first in turn */
    for (int d = 0; d < 3; d++) {
        int64_t st = T0 + (40 + d) * DAY + 5 * HOUR;
        s[n++] = sp(d == 1 ? 5 : 2, st, st + 30 * MIN, 0.5, 1, 5);
        s[n++] = sp(d == 1 ? 2 : 5, st + 2 * MIN, st + 30 * MIN, 0.5, 1, 5);
    }

    hr_pm_cfg cfg;
    hr_pm_cfg_init(&cfg);
    hr_pm_incidents *inc = NULL;
    CHECK_EQ_INT(hr_pm_group(s, n, &cfg, &inc, NULL), HR_PM_OK);
    CHECK_EQ_INT(inc->n, 5 + 5 + 3 + 3 + 3 + 3);

    hr_pm_recur_cfg rc;
    hr_pm_recur_cfg_init(&rc);
    hr_pm_recurs *rec = NULL;
    hr_pm_err err;
    CHECK_EQ_INT(hr_pm_recurring(inc, &rc, &rec, &err), HR_PM_OK);
    CHECK_EQ_INT(rec->n, 2);
    /* by first occurrence: series 7 (day 0) then series 9 (day 10) */
    const hr_pm_recur *w = &rec->rec[0], *d = &rec->rec[1];
    CHECK_EQ_INT(w->origin, 7);
    CHECK_EQ_INT(w->period, HR_PM_WEEKLY);
    CHECK_STR(hr_pm_period_name(w->period), "weekly");
    CHECK_EQ_INT(w->period_ms, 7 * DAY);
    CHECK_EQ_INT(w->count, 4);
    CHECK_EQ_INT(w->direction, 1);
    CHECK_EQ_INT(w->first_ms, T0 + 3 * HOUR);
    CHECK_EQ_INT(w->last_ms, T0 + 21 * DAY + 3 * HOUR + 5 * MIN);
    CHECK_EQ_INT(w->next_ms, T0 + 28 * DAY + 3 * HOUR + 5 * MIN);
    /* Monday (0) 03:00 + the circular mean of 0, +10, -10, +5 min */
    CHECK(llabs(w->phase_ms - (3 * HOUR + 75 * 1000)) <= 1000);
    CHECK_EQ_INT(w->median_duration_ms, 24 * MIN + 30000); /* of 20, 23, 26, 29 */
    for (size_t i = 0; i < w->count; i++)
        CHECK_EQ_INT(inc->inc[w->occ[i]].origin, 7);
    CHECK_EQ_INT(inc->inc[w->occ[3]].start_ms, w->last_ms);
    CHECK_EQ_INT(d->origin, 9);
    CHECK_EQ_INT(d->period, HR_PM_DAILY);
    CHECK_EQ_INT(d->period_ms, DAY);
    CHECK_EQ_INT(d->count, 5);
    CHECK_EQ_INT(d->direction, -1);
    CHECK_EQ_INT(d->phase_ms, 12 * HOUR);
    CHECK_EQ_INT(d->next_ms, T0 + 15 * DAY + 12 * HOUR);
    CHECK_EQ_INT(d->group, 1);
    hr_pm_recurs_free(rec);

    /* by series set: {2, 5} recurs daily although the origin alternates */
    rc.key = HR_PM_KEY_SERIES;
    CHECK_EQ_INT(hr_pm_recurring(inc, &rc, &rec, &err), HR_PM_OK);
    CHECK_EQ_INT(rec->n, 3);
    CHECK_EQ_INT(rec->rec[2].count, 3);
    CHECK_EQ_INT(rec->rec[2].period, HR_PM_DAILY);
    CHECK_EQ_INT(rec->rec[2].first_ms, T0 + 40 * DAY + 5 * HOUR);
    CHECK_EQ_INT(rec->rec[2].next_ms, T0 + 43 * DAY + 5 * HOUR);
    hr_pm_recurs_free(rec);
    /* by group: the same three (groups 0, 1, 5) */
    rc.key = HR_PM_KEY_GROUP;
    CHECK_EQ_INT(hr_pm_recurring(inc, &rc, &rec, &err), HR_PM_OK);
    CHECK_EQ_INT(rec->n, 3);
    CHECK_EQ_INT(rec->rec[0].group, 0);
    hr_pm_recurs_free(rec);

    /* four is the bar: with min_count 5 the weekly one goes */
    rc.key = HR_PM_KEY_ORIGIN;
    rc.min_count = 5;
    CHECK_EQ_INT(hr_pm_recurring(inc, &rc, &rec, &err), HR_PM_OK);
    CHECK_EQ_INT(rec->n, 1);
    CHECK_EQ_INT(rec->rec[0].origin, 9);
    hr_pm_recurs_free(rec);

    /* bad configurations */
    rc.min_count = 1;
    CHECK_EQ_INT(hr_pm_recurring(inc, &rc, &rec, &err), HR_PM_ECONFIG);
    CHECK(rec == NULL);
    hr_pm_recur_cfg_init(&rc);
    rc.phase_tol_ms = 0;
    CHECK_EQ_INT(hr_pm_recurring(inc, &rc, &rec, &err), HR_PM_ECONFIG);
    CHECK_CONTAINS(err.msg, "phase tolerance");
    hr_pm_recur_cfg_init(&rc);
    rc.dur_factor = NAN;
    CHECK_EQ_INT(hr_pm_recurring(inc, &rc, &rec, &err), HR_PM_ECONFIG);
    hr_pm_incidents_free(inc);
}

/* two weekly patterns at the same hour (Mondays and Thursdays 08:00) are
 * two weekly problems; every other day at 06:00 is an interval of 48 h */
static void test_recurring_split(void)
{
    hr_pm_span s[32];
    size_t n = 0;
    for (int w = 0; w < 3; w++) {
        s[n++] = sp(1, T0 + w * 7 * DAY + 8 * HOUR, T0 + w * 7 * DAY + 8 * HOUR + 10 * MIN, 0.5, 1, 0);
        s[n++] = sp(1, T0 + (w * 7 + 3) * DAY + 8 * HOUR, T0 + (w * 7 + 3) * DAY + 8 * HOUR + 10 * MIN, 0.5, 1,
                    0);
    }
    for (int k = 0; k < 4; k++)
        s[n++] = sp(2, T0 + 2 * k * DAY + 6 * HOUR, T0 + 2 * k * DAY + 6 * HOUR + 10 * MIN, 0.5, 1, 0);
    hr_pm_cfg cfg;
    hr_pm_cfg_init(&cfg);
    hr_pm_incidents *inc = NULL;
    CHECK_EQ_INT(hr_pm_group(s, n, &cfg, &inc, NULL), HR_PM_OK);
    CHECK_EQ_INT(inc->n, 10);
    hr_pm_recur_cfg rc;
    hr_pm_recur_cfg_init(&rc);
    hr_pm_recurs *rec = NULL;
    CHECK_EQ_INT(hr_pm_recurring(inc, &rc, &rec, NULL), HR_PM_OK);
    CHECK_EQ_INT(rec->n, 3);
    /* order: first_ms then origin: series 2 at 06:00 day 0, series 1
     * Monday 08:00, series 1 Thursday 08:00 */
    CHECK_EQ_INT(rec->rec[0].origin, 2);
    CHECK_EQ_INT(rec->rec[0].period, HR_PM_INTERVAL);
    CHECK_EQ_INT(rec->rec[0].period_ms, 2 * DAY);
    CHECK_EQ_INT(rec->rec[0].next_ms, T0 + 8 * DAY + 6 * HOUR);
    CHECK_EQ_INT(rec->rec[1].period, HR_PM_WEEKLY);
    CHECK_EQ_INT(rec->rec[1].phase_ms, 8 * HOUR); /* Monday 08:00 */
    CHECK_EQ_INT(rec->rec[1].count, 3);
    CHECK_EQ_INT(rec->rec[2].period, HR_PM_WEEKLY);
    CHECK_EQ_INT(rec->rec[2].phase_ms, 3 * DAY + 8 * HOUR); /* Thursday 08:00 */
    CHECK_EQ_INT(rec->rec[2].next_ms, T0 + 24 * DAY + 8 * HOUR);
    hr_pm_recurs_free(rec);
    hr_pm_recurs_free(NULL);
    hr_pm_incidents_free(inc);
}

static hr_pm_logrow row(int64_t s, int64_t e, int64_t d, int64_t r, const char *svc)
{
    return (hr_pm_logrow){T0 + s * MIN, T0 + e * MIN, d < 0 ? HR_PM_MISSING : T0 + d * MIN,
                          r < 0 ? HR_PM_MISSING : T0 + r * MIN, svc, "title"};
}

static void test_log(void)
{
    /* api: 3 incidents (detect 5, 10, 2 min; restore 45, 90 min, one
     * open); db: 1 incident, no detection time, restored in 50 min */
    hr_pm_logrow rows[] = {
        row(0, 60, 5, 45, "api"),
        row(1440, 1500, 1450, 1530, "api"),
        row(100, 200, -1, 150, "db"),
        row(4320, 4330, 4322, -1, "api"),
    };
    hr_pm_logstats *st = NULL;
    hr_pm_err err;
    CHECK_EQ_INT(hr_pm_log_metrics(rows, 4, &st, &err), HR_PM_OK);
    CHECK_EQ_INT(st->n_svc, 2);
    const hr_pm_svc *api = &st->svc[0], *db = &st->svc[1];
    CHECK_STR(api->service, "api");
    CHECK_STR(db->service, "db");
    CHECK_EQ_INT(api->n, 3);
    CHECK_EQ_INT(api->n_detected, 3);
    CHECK_EQ_INT(api->n_resolved, 2);
    CHECK_NEAR(api->mttd_ms, 17.0 / 3 * MIN, 1e-12);
    CHECK_NEAR(api->mttr_ms, 67.5 * MIN, 1e-12);
    CHECK_NEAR(api->mtbf_ms, 2160.0 * MIN, 1e-12); /* (4320 - 0) / 2 */
    CHECK_NEAR(api->impact_ms, 130.0 * MIN, 1e-12);
    CHECK_EQ_INT(api->first_ms, T0);
    CHECK_EQ_INT(api->last_ms, T0 + 4320 * MIN);
    CHECK_EQ_INT(db->n, 1);
    CHECK(isnan(db->mttd_ms));
    CHECK_NEAR(db->mttr_ms, 50.0 * MIN, 1e-12);
    CHECK(isnan(db->mtbf_ms));
    CHECK_EQ_INT(st->all.n, 4);
    CHECK(st->all.service == NULL);
    CHECK_NEAR(st->all.mttd_ms, 17.0 / 3 * MIN, 1e-12);
    CHECK_NEAR(st->all.mttr_ms, 185.0 / 3 * MIN, 1e-12);
    CHECK_NEAR(st->all.mtbf_ms, 1440.0 * MIN, 1e-12); /* starts 0, 100, 1440, 4320 */
    hr_pm_logstats_free(st);

    /* NULL service reads as "", sorted first; no rows: empty */
    hr_pm_logrow r2[] = {row(0, 1, 0, 1, NULL), row(5, 6, 5, 6, "x")};
    CHECK_EQ_INT(hr_pm_log_metrics(r2, 2, &st, &err), HR_PM_OK);
    CHECK_EQ_INT(st->n_svc, 2);
    CHECK_STR(st->svc[0].service, "");
    hr_pm_logstats_free(st);
    CHECK_EQ_INT(hr_pm_log_metrics(NULL, 0, &st, &err), HR_PM_OK);
    CHECK_EQ_INT(st->n_svc, 0);
    CHECK_EQ_INT(st->all.n, 0);
    CHECK(isnan(st->all.mttr_ms));
    hr_pm_logstats_free(st);
    hr_pm_logstats_free(NULL);

    /* validation: each rule, with the row index */
    struct {
        hr_pm_logrow r;
        const char *what;
    } bad[] = {
        {row(100, 90, 100, 120, "a"), "end (" /* before start */},
        {row(100, 120, 95, 120, "a"), "detected ("},
        {row(100, 120, 110, 105, "a"), "resolved ("},
        {row(100, 120, -1, 99, "a"), "before start"},
    };
    const char *want[] = {"before start", "before start", "before detected", "before start"};
    for (int k = 0; k < 4; k++) {
        hr_pm_logrow rs[5] = {rows[0], rows[1], rows[2], rows[3], rows[0]};
        rs[k == 3 ? 4 : k + 1] = bad[k].r;
        size_t at = k == 3 ? 4 : (size_t)k + 1;
        st = (hr_pm_logstats *)&err;
        CHECK_EQ_INT(hr_pm_log_metrics(rs, 5, &st, &err), HR_PM_EINPUT);
        CHECK(st == NULL);
        CHECK_EQ_INT(err.index, at);
        CHECK_CONTAINS(err.msg, bad[k].what);
        CHECK_CONTAINS(err.msg, want[k]);
        CHECK_EQ_INT(hr_pm_log_validate(rs, 5, &err), HR_PM_EINPUT);
        CHECK_EQ_INT(err.index, at);
    }
    CHECK_EQ_INT(hr_pm_log_validate(rows, 4, &err), HR_PM_OK);
    CHECK_EQ_INT(err.code, HR_PM_OK);
}

static void test_match(void)
{
    hr_pm_logrow rows[] = {
        row(0, 60, 5, 45, "api"),
        row(1440, 1500, 1450, 1530, "api"),
        row(4320, 4330, 4322, -1, "api"),
        row(100, 200, -1, 150, "db"),
    };
    const char *names[] = {"api", "db"};
    /* detected, by group: A api [10, 30], B db [95, 130], C api [5000,
     * 5010], D no group [1430, 1460], E api [150, 160] (inside the db
     * row's window: wrong service) */
    hr_pm_span s[] = {
        sp(1, T0 + 10 * MIN, T0 + 30 * MIN, 0.8, 1, 0),     sp(2, T0 + 95 * MIN, T0 + 130 * MIN, 0.8, 1, 1),
        sp(3, T0 + 5000 * MIN, T0 + 5010 * MIN, 0.8, 1, 0), sp(4, T0 + 1430 * MIN, T0 + 1460 * MIN, 0.8, 1, HR_PM_NOGROUP),
        sp(5, T0 + 150 * MIN, T0 + 160 * MIN, 0.8, 1, 0),
    };
    hr_pm_cfg cfg;
    hr_pm_cfg_init(&cfg);
    cfg.by_group = 1;
    cfg.gap_ms = 0;
    hr_pm_incidents *inc = NULL;
    CHECK_EQ_INT(hr_pm_group(s, 5, &cfg, &inc, NULL), HR_PM_OK);
    CHECK_EQ_INT(inc->n, 5);
    /* incident order: A(10) B(95) E(150) D(1430) C(5000) */
    CHECK_EQ_INT(inc->inc[2].origin, 5);
    hr_pm_match *m = NULL;
    hr_pm_err err;
    CHECK_EQ_INT(hr_pm_match_log(rows, 4, inc, names, 2, 30 * MIN, &m, &err), HR_PM_OK);
    CHECK_EQ_INT(m->n_seen, 3);
    CHECK_EQ_INT(m->n_missed, 1);
    CHECK_EQ_INT(m->n_unlogged, 2);
    CHECK_EQ_INT(m->row_status[0], HR_PM_SEEN);
    CHECK_EQ_INT(m->row_incident[0], 0);
    CHECK_EQ_INT(m->row_lead_ms[0], 10 * MIN);
    CHECK_EQ_INT(m->row_status[1], HR_PM_SEEN); /* D has no group: any service */
    CHECK_EQ_INT(m->row_incident[1], 3);
    CHECK_EQ_INT(m->row_lead_ms[1], -10 * MIN);
    CHECK_EQ_INT(m->row_status[2], HR_PM_MISSED);
    CHECK_EQ_INT(m->row_incident[2], HR_PM_NONE);
    CHECK_EQ_INT(m->row_status[3], HR_PM_SEEN);
    CHECK_EQ_INT(m->row_incident[3], 1);
    CHECK_EQ_INT(m->row_lead_ms[3], -5 * MIN);
    CHECK_EQ_INT(m->inc_row[0], 0);
    CHECK_EQ_INT(m->inc_row[1], 3);
    CHECK_EQ_INT(m->inc_row[2], HR_PM_NONE); /* E: api, but only the db row is near */
    CHECK_EQ_INT(m->inc_row[3], 1);
    CHECK_EQ_INT(m->inc_row[4], HR_PM_NONE);
    CHECK_NEAR(m->mean_lead_ms, -5.0 / 3 * MIN, 1e-12);
    CHECK_NEAR(m->median_lead_ms, -5.0 * MIN, 1e-12);
    hr_pm_match_free(m);

    /* without service names every incident matches any row: E now
     * matches the db row too (B is still the earliest there) */
    CHECK_EQ_INT(hr_pm_match_log(rows, 4, inc, NULL, 0, 30 * MIN, &m, &err), HR_PM_OK);
    CHECK_EQ_INT(m->n_unlogged, 1);
    CHECK_EQ_INT(m->inc_row[2], 3);
    CHECK_EQ_INT(m->row_incident[3], 1);
    hr_pm_match_free(m);

    /* a wider tolerance reaches C from the 4320 row: lead 680 min */
    CHECK_EQ_INT(hr_pm_match_log(rows, 4, inc, names, 2, 700 * MIN, &m, &err), HR_PM_OK);
    CHECK_EQ_INT(m->row_status[2], HR_PM_SEEN);
    CHECK_EQ_INT(m->row_lead_ms[2], 680 * MIN);
    CHECK_EQ_INT(m->n_missed, 0);
    hr_pm_match_free(m);
    hr_pm_match_free(NULL);

    /* tolerance 0: exact overlap only; the db row still overlaps B */
    CHECK_EQ_INT(hr_pm_match_log(rows, 4, inc, names, 2, 0, &m, &err), HR_PM_OK);
    CHECK_EQ_INT(m->row_status[3], HR_PM_SEEN);
    CHECK_EQ_INT(m->row_status[0], HR_PM_SEEN);
    CHECK_EQ_INT(m->row_status[1], HR_PM_SEEN);
    hr_pm_match_free(m);

    /* errors */
    CHECK_EQ_INT(hr_pm_match_log(rows, 4, inc, names, 2, -1, &m, &err), HR_PM_ECONFIG);
    CHECK(m == NULL);
    rows[2].end_ms = rows[2].start_ms - 1;
    CHECK_EQ_INT(hr_pm_match_log(rows, 4, inc, names, 2, 0, &m, &err), HR_PM_EINPUT);
    CHECK_EQ_INT(err.index, 2);
    /* no rows: every incident unlogged */
    CHECK_EQ_INT(hr_pm_match_log(NULL, 0, inc, names, 2, 0, &m, &err), HR_PM_OK);
    CHECK_EQ_INT(m->n_unlogged, 5);
    CHECK(isnan(m->mean_lead_ms));
    hr_pm_match_free(m);
    hr_pm_incidents_free(inc);
}

int main(void)
{
    test_grouping();
    test_brute_force();
    test_large();
    test_recurring();
    test_recurring_split();
    test_log();
    test_match();
    return check_summary("problems");
}
