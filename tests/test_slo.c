/* test_slo.c -- SLI, error budget, burn-down and multiwindow burn-rate
 * alerts (SRE Workbook) against hand-computed answers: a constant error
 * rate, 1x burn, a burst with the expected 14.4x and 6x pages, hourly
 * data (widened windows), gaps, no events, a latency SLO, validation. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "slo.h"

#define MIN INT64_C(60000)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)
#define T0 INT64_C(1704067200000) /* 2024-01-01 00:00 UTC */

/* 35 days of 5-minute steps, 1234.5 events per step, bad share `err` */
static size_t constant(double *g, double *t, double err)
{
    size_t n = 35 * 288;
    for (size_t i = 0; i < n; i++) {
        t[i] = 1234.5;
        g[i] = 1234.5 * (1 - err);
    }
    return n;
}

static void test_constant(void)
{
    static double g[35 * 288], t[35 * 288];
    size_t n = constant(g, t, 0.0005);
    hr_slo_cfg cfg;
    hr_slo_cfg_init(&cfg);
    CHECK_NEAR(cfg.objective, 0.999, 0);
    CHECK_NEAR(cfg.window_days, 30, 0);
    hr_slo_result *r = NULL;
    hr_slo_err err;
    CHECK_EQ_INT(hr_slo_eval(T0, 5 * MIN, n, g, t, &cfg, &r, &err), HR_SLO_OK);
    CHECK_EQ_INT(err.code, HR_SLO_OK);
    CHECK_NEAR(r->budget, 0.001, 1e-12);
    CHECK_EQ_INT(r->window_ms, 30 * DAY);
    CHECK_EQ_INT(r->window_first, n - 30 * 288);
    CHECK_EQ_INT(r->window_start_ms, T0 + 5 * DAY);
    CHECK_EQ_INT(r->window_end_ms, T0 + 35 * DAY);
    CHECK_EQ_INT(r->partial, 0);
    CHECK_EQ_INT(r->n_valid, 30 * 288);
    CHECK_EQ_INT(r->n_gaps, 0);
    CHECK_NEAR(r->total, 1234.5 * 8640, 1e-12);
    CHECK_NEAR(r->bad, 1234.5 * 0.0005 * 8640, 1e-9);
    CHECK_NEAR(r->sli, 0.9995, 1e-12);
    CHECK_NEAR(r->consumed, 0.5, 1e-9);
    /* budget used in a span: a day of the window is 1/30 of it; a span
     * ending in the window reads against the window's budget, one before
     * it against the window ending with its last point (here the data's
     * first 289 points, at the same error rate: half of it) */
    int64_t we = 0;
    CHECK_NEAR(hr_slo_consumed_between(r, T0 + 5 * DAY, T0 + 6 * DAY - 1, &we), 0.5 / 30, 1e-9);
    CHECK_EQ_INT(we, r->window_end_ms);
    CHECK_NEAR(hr_slo_consumed_between(r, r->window_start_ms, r->window_end_ms, NULL), 0.5, 1e-9);
    CHECK_NEAR(hr_slo_consumed_between(r, T0, T0 + 5 * DAY, NULL), 1441 * 0.5 / 8640, 1e-9);
    CHECK_NEAR(hr_slo_consumed_between(r, T0, T0 + DAY, &we), 0.5, 1e-9);
    CHECK_EQ_INT(we, T0 + 289 * 5 * MIN);
    CHECK(isnan(hr_slo_consumed_between(r, T0 + 5 * DAY + 1, T0 + 5 * DAY + 2, NULL)));
    CHECK(isnan(hr_slo_consumed_between(r, T0 + 6 * DAY, T0 + 5 * DAY, NULL)));
    CHECK(isnan(hr_slo_consumed_between(r, r->window_end_ms, r->window_end_ms + DAY, NULL)));
    CHECK(isnan(hr_slo_consumed_between(r, T0 - DAY, T0 - 1, NULL)));
    CHECK_NEAR(r->remaining, 0.5, 1e-9);
    CHECK_EQ_INT(r->exhausted, 0);
    CHECK_EQ_INT(r->n_alerts, 0);
    CHECK_EQ_INT(r->n_rules, 2);
    CHECK_EQ_INT(r->eff[0].long_steps, 12);
    CHECK_EQ_INT(r->eff[0].short_steps, 1);
    CHECK_EQ_INT(r->eff[0].widened, 0);
    CHECK_EQ_INT(r->eff[1].long_steps, 72);
    CHECK_EQ_INT(r->eff[1].short_steps, 6);
    /* burn-down: 31 points, day d leaves 1 - 0.5 d / 30 */
    CHECK_EQ_INT(r->n_curve, 31);
    CHECK_EQ_INT(r->curve_ms[0], T0 + 5 * DAY);
    CHECK_NEAR(r->curve_remaining[0], 1, 0);
    CHECK_EQ_INT(r->curve_ms[10], T0 + 15 * DAY);
    CHECK_NEAR(r->curve_remaining[10], 1 - 0.5 * 10 / 30, 1e-9);
    CHECK_EQ_INT(r->curve_ms[30], T0 + 35 * DAY);
    CHECK_NEAR(r->curve_remaining[30], 0.5, 1e-9);
    hr_slo_result_free(r);

    /* 1x burn: the budget is spent exactly by the last point, and
     * nothing pages (the page rules; burn 1 against the ticket rule's 1
     * is a tie that rounding decides, so it is not asserted) */
    constant(g, t, 0.001);
    CHECK_EQ_INT(hr_slo_eval(T0, 5 * MIN, n, g, t, &cfg, &r, &err), HR_SLO_OK);
    CHECK_NEAR(r->sli, 0.999, 1e-12);
    CHECK_NEAR(r->consumed, 1, 1e-9);
    CHECK_EQ_INT(r->n_alerts, 0);
    CHECK_EQ_INT(r->exhausted, 1);
    CHECK_EQ_INT(r->exhausted_index, n - 1);
    hr_slo_result_free(r);
    /* 10x burn: below 14.4, above 6: the 6 h / 30 min rule pages over
     * the whole series (still open at the end) */
    constant(g, t, 0.01);
    CHECK_EQ_INT(hr_slo_eval(T0, 5 * MIN, n, g, t, &cfg, &r, &err), HR_SLO_OK);
    CHECK_NEAR(r->consumed, 10, 1e-9);
    CHECK_NEAR(r->remaining, -9, 1e-9);
    CHECK_EQ_INT(r->n_alerts, 1);
    CHECK_EQ_INT(r->alerts[0].rule, 1);
    CHECK_EQ_INT(r->alerts[0].first, 0);
    CHECK_EQ_INT(r->alerts[0].last, n - 1);
    CHECK_EQ_INT(r->alerts[0].open, 1);
    CHECK_NEAR(r->alerts[0].peak_burn, 10, 1e-9);
    /* exhausted after a tenth of the window: 864 points in */
    CHECK_EQ_INT(r->exhausted, 1);
    CHECK_EQ_INT(r->exhausted_index, r->window_first + 863);
    CHECK_EQ_INT(r->exhausted_ms, T0 + 5 * DAY + 863 * 5 * MIN);
    CHECK(fabs(r->curve_remaining[3]) < 1e-9);
    CHECK_NEAR(r->curve_remaining[30], -9, 1e-9);
    hr_slo_result_free(r);
}

/* 2 days of 5-minute steps at a 0.02% error rate (burn 0.2), and 30
 * minutes of 20% errors (burn 200) from point B = 300. */
static void test_burst(void)
{
    enum { N = 576, B = 300 };
    double g[N], t[N];
    for (size_t i = 0; i < N; i++) {
        t[i] = 5000;
        g[i] = 5000 * (i >= B && i < B + 6 ? 0.8 : 0.9998);
    }
    hr_slo_cfg cfg;
    hr_slo_cfg_init(&cfg);
    hr_slo_result *r = NULL;
    CHECK_EQ_INT(hr_slo_eval(T0, 5 * MIN, N, g, t, &cfg, &r, NULL), HR_SLO_OK);
    CHECK_EQ_INT(r->partial, 1);
    CHECK_EQ_INT(r->window_first, 0);
    CHECK_EQ_INT(r->n_alerts, 2);
    /* 1 h / 5 min at 14.4: at B the 5-min burn is 200 and the hour's
     * (11 x 0.2 + 200) / 12 = 16.85; it stops at B + 6, when the last
     * 5 minutes are clean again. Peak: 6 burst points in the hour,
     * (6 x 200 + 6 x 0.2) / 12 = 100.1 at B + 5. */
    const hr_slo_alert *a = &r->alerts[0], *b = &r->alerts[1];
    CHECK_EQ_INT(a->rule, 0);
    CHECK_EQ_INT(a->severity, HR_SLO_PAGE);
    CHECK_EQ_INT(a->first, B);
    CHECK_EQ_INT(a->last, B + 5);
    CHECK_EQ_INT(a->start_ms, T0 + B * 5 * MIN);
    CHECK_EQ_INT(a->end_ms, T0 + (B + 6) * 5 * MIN);
    CHECK_NEAR(a->peak_burn, 100.1, 1e-9);
    CHECK_EQ_INT(a->peak_ms, T0 + (B + 5) * 5 * MIN);
    CHECK_EQ_INT(a->open, 0);
    /* 6 h / 30 min at 6: the 6 h burn reaches (69 x 0.2 + 3 x 200) / 72
     * = 8.53 at B + 2 (5.75 at B + 1); the 30 min window holds burst
     * points through B + 10. Peak (66 x 0.2 + 6 x 200) / 72 = 16.85. */
    CHECK_EQ_INT(b->rule, 1);
    CHECK_EQ_INT(b->first, B + 2);
    CHECK_EQ_INT(b->last, B + 10);
    CHECK_EQ_INT(b->end_ms, T0 + (B + 11) * 5 * MIN);
    CHECK_NEAR(b->peak_burn, (66 * 0.2 + 6 * 200) / 72, 1e-9);
    CHECK(b->peak_ms >= T0 + (B + 5) * 5 * MIN && b->peak_ms <= T0 + (B + 10) * 5 * MIN);
    /* budget: allowed 0.001 x 576 x 5000 = 2880 bad events; 1 per point
     * before the burst (300), then 1000 per burst point: 2300 after B+1,
     * 3300 after B+2 */
    CHECK_NEAR(r->bad, 570 + 6000, 1e-9);
    CHECK_NEAR(r->consumed, 6570.0 / 2880, 1e-9);
    CHECK_EQ_INT(r->exhausted, 1);
    CHECK_EQ_INT(r->exhausted_index, B + 2);
    CHECK_EQ_INT(r->n_curve, 3);
    CHECK_NEAR(r->curve_remaining[1], 1 - 288.0 / 2880, 1e-9);
    CHECK_NEAR(r->curve_remaining[2], 1 - 6570.0 / 2880, 1e-9);

    /* with the Workbook's ticket rule too (3 d / 6 h at 1): the 3-day
     * window (all the data so far, here) burns (300 x 0.2 + 200) / 301 =
     * 0.86 at B and (300 x 0.2 + 2 x 200) / 302 = 1.52 at B + 1; the 6 h
     * window holds a burst point until B + 76 */
    hr_slo_result_free(r);
    cfg.rules = hr_slo_rules_workbook;
    cfg.n_rules = 3;
    CHECK_EQ_INT(hr_slo_eval(T0, 5 * MIN, N, g, t, &cfg, &r, NULL), HR_SLO_OK);
    CHECK_EQ_INT(r->n_alerts, 3);
    CHECK_EQ_INT(r->alerts[0].rule, 0);
    CHECK_EQ_INT(r->alerts[1].rule, 2);
    CHECK_EQ_INT(r->alerts[1].severity, HR_SLO_TICKET);
    CHECK_EQ_INT(r->alerts[1].first, B + 1);
    CHECK_EQ_INT(r->alerts[1].last, B + 76);
    CHECK_EQ_INT(r->alerts[2].rule, 1);
    CHECK_EQ_INT(r->eff[2].long_steps, 864);
    hr_slo_result_free(r);
}

/* hourly data: the 5-minute and 30-minute windows become one step */
static void test_hourly(void)
{
    enum { N = 240 };
    double g[N], t[N];
    for (size_t i = 0; i < N; i++) {
        t[i] = 36000;
        g[i] = 36000 * (i == 100 ? 0.8 : 0.9998);
    }
    hr_slo_cfg cfg;
    hr_slo_cfg_init(&cfg);
    hr_slo_result *r = NULL;
    CHECK_EQ_INT(hr_slo_eval(T0, HOUR, N, g, t, &cfg, &r, NULL), HR_SLO_OK);
    CHECK_EQ_INT(r->eff[0].long_steps, 1);
    CHECK_EQ_INT(r->eff[0].short_steps, 1);
    CHECK_EQ_INT(r->eff[0].short_ms, HOUR);
    CHECK_EQ_INT(r->eff[0].widened, 1);
    CHECK_EQ_INT(r->eff[1].long_steps, 6);
    CHECK_EQ_INT(r->eff[1].short_steps, 1);
    CHECK_EQ_INT(r->eff[1].widened, 1);
    /* rule 0: the hour itself, burn 200; rule 1: (200 + 5 x 0.2) / 6 =
     * 33.5 in the 6 h window, but the 1-step short window is clean again
     * at 101 */
    CHECK_EQ_INT(r->n_alerts, 2);
    CHECK_EQ_INT(r->alerts[0].rule, 0);
    CHECK_EQ_INT(r->alerts[0].first, 100);
    CHECK_EQ_INT(r->alerts[0].last, 100);
    CHECK_NEAR(r->alerts[0].peak_burn, 200, 1e-9);
    CHECK_EQ_INT(r->alerts[1].rule, 1);
    CHECK_EQ_INT(r->alerts[1].first, 100);
    CHECK_EQ_INT(r->alerts[1].last, 100);
    CHECK_NEAR(r->alerts[1].peak_burn, (200 + 5 * 0.2) / 6, 1e-9);
    hr_slo_result_free(r);

    /* a 7-minute step: 5 min -> 1 step (7 min), 1 h -> 9 steps (63 min) */
    CHECK_EQ_INT(hr_slo_eval(T0, 7 * MIN, N, g, t, &cfg, &r, NULL), HR_SLO_OK);
    CHECK_EQ_INT(r->eff[0].long_steps, 9);
    CHECK_EQ_INT(r->eff[0].long_ms, 63 * MIN);
    CHECK_EQ_INT(r->eff[0].short_ms, 7 * MIN);
    CHECK_EQ_INT(r->eff[0].widened, 1);
    hr_slo_result_free(r);
}

static void test_gaps(void)
{
    static double g[35 * 288], t[35 * 288];
    size_t n = constant(g, t, 0.0005);
    for (size_t i = 0; i < n; i += 10)
        g[i] = NAN;
    for (size_t i = 5; i < n; i += 10)
        t[i] = NAN;
    hr_slo_cfg cfg;
    hr_slo_cfg_init(&cfg);
    hr_slo_result *r = NULL;
    CHECK_EQ_INT(hr_slo_eval(T0, 5 * MIN, n, g, t, &cfg, &r, NULL), HR_SLO_OK);
    CHECK_EQ_INT(r->n_gaps, 30 * 288 / 5);
    CHECK_EQ_INT(r->n_valid, 30 * 288 * 4 / 5);
    CHECK_NEAR(r->sli, 0.9995, 1e-12);
    CHECK_NEAR(r->consumed, 0.5, 1e-9);
    CHECK_NEAR(r->total, 1234.5 * 8640 * 0.8, 1e-12);
    hr_slo_result_free(r);

    /* no events at all: the SLI is undefined, nothing is consumed, no
     * alert; a quiet hour inside traffic does not alert either */
    for (size_t i = 0; i < n; i++)
        g[i] = t[i] = 0;
    CHECK_EQ_INT(hr_slo_eval(T0, 5 * MIN, n, g, t, &cfg, &r, NULL), HR_SLO_OK);
    CHECK(isnan(r->sli));
    CHECK_NEAR(r->consumed, 0, 0);
    CHECK_NEAR(r->remaining, 1, 0);
    CHECK_EQ_INT(r->exhausted, 0);
    CHECK_EQ_INT(r->n_alerts, 0);
    CHECK_NEAR(r->curve_remaining[30], 1, 0);
    hr_slo_result_free(r);
    for (size_t i = 0; i < n; i++)
        g[i] = t[i] = NAN;
    CHECK_EQ_INT(hr_slo_eval(T0, 5 * MIN, n, g, t, &cfg, &r, NULL), HR_SLO_OK);
    CHECK(isnan(r->sli));
    CHECK_EQ_INT(r->n_gaps, 8640);
    hr_slo_result_free(r);
    /* good a hair above total (rate rounding) is clamped */
    double g1[3] = {100, 100 * (1 + 1e-12), 99}, t1[3] = {100, 100, 100};
    CHECK_EQ_INT(hr_slo_eval(T0, 5 * MIN, 3, g1, t1, &cfg, &r, NULL), HR_SLO_OK);
    CHECK_NEAR(r->sli, 299.0 / 300, 1e-12);
    CHECK_EQ_INT(r->n_curve, 2);
    hr_slo_result_free(r);
}

static void test_latency(void)
{
    /* 1000 one-minute points, 0.12 s mostly; 10 over the 0.3 s threshold
     * (100, 200, ..., 900 and 950), one exactly at it (good), 5 gaps:
     * SLI = 985 / 995 */
    enum { N = 1000 };
    double lat[N];
    for (size_t i = 0; i < N; i++)
        lat[i] = 0.12 + 0.001 * (double)(i % 7);
    for (size_t i = 100; i <= 900; i += 100)
        lat[i] = 0.8;
    lat[950] = 1.7;
    lat[42] = 0.3;
    for (size_t i = 0; i < 5; i++)
        lat[501 + 7 * i] = NAN;
    hr_slo_cfg cfg;
    hr_slo_cfg_init(&cfg);
    cfg.objective = 0.99;
    hr_slo_result *r = NULL;
    hr_slo_err err;
    CHECK_EQ_INT(hr_slo_eval_latency(T0, MIN, N, lat, 0.3, &cfg, &r, &err), HR_SLO_OK);
    CHECK_NEAR(r->total, 995, 1e-12);
    CHECK_NEAR(r->good, 985, 1e-12);
    CHECK_NEAR(r->sli, 985.0 / 995, 1e-12);
    CHECK_NEAR(r->consumed, (10.0 / 995) / 0.01, 1e-9);
    CHECK_EQ_INT(r->n_gaps, 5);
    /* allowed 9.95 bad points: the 10th (at 950) exhausts the budget */
    CHECK_EQ_INT(r->exhausted, 1);
    CHECK_EQ_INT(r->exhausted_index, 950);
    CHECK_EQ_INT(r->exhausted_ms, T0 + 950 * MIN);
    /* one bad minute an hour is a burn of 1.7: no page */
    CHECK_EQ_INT(r->n_alerts, 0);
    hr_slo_result_free(r);
    /* a bad quarter of an hour pages (1 h/5 min: 15/60/0.01 = 25) */
    for (size_t i = 600; i < 615; i++)
        lat[i] = 2.5;
    CHECK_EQ_INT(hr_slo_eval_latency(T0, MIN, N, lat, 0.3, &cfg, &r, &err), HR_SLO_OK);
    CHECK(r->n_alerts >= 1);
    CHECK_EQ_INT(r->alerts[0].rule, 0);
    /* the hour's burn passes 14.4 with the 9th bad minute (9/60/0.01 = 15) */
    CHECK_EQ_INT(r->alerts[0].first, 608);
    CHECK_EQ_INT(r->alerts[0].last, 614 + 5 - 1); /* the 5-min window clears at 619 */
    hr_slo_result_free(r);

    lat[77] = -0.001;
    CHECK_EQ_INT(hr_slo_eval_latency(T0, MIN, N, lat, 0.3, &cfg, &r, &err), HR_SLO_EINPUT);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.index, 77);
    CHECK_CONTAINS(err.msg, "negative");
    lat[77] = INFINITY;
    CHECK_EQ_INT(hr_slo_eval_latency(T0, MIN, N, lat, 0.3, &cfg, &r, &err), HR_SLO_EINPUT);
    CHECK_CONTAINS(err.msg, "infinite");
    lat[77] = 0.1;
    CHECK_EQ_INT(hr_slo_eval_latency(T0, MIN, N, lat, NAN, &cfg, &r, &err), HR_SLO_ECONFIG);
    CHECK_CONTAINS(err.msg, "threshold");
}

static void test_errors(void)
{
    double g[10], t[10];
    for (int i = 0; i < 10; i++) {
        t[i] = 50;
        g[i] = 49.5;
    }
    hr_slo_cfg cfg;
    hr_slo_cfg_init(&cfg);
    hr_slo_result *r = NULL;
    hr_slo_err err;
    cfg.objective = 1.0;
    CHECK_EQ_INT(hr_slo_eval(T0, MIN, 10, g, t, &cfg, &r, &err), HR_SLO_ECONFIG);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.index, SIZE_MAX);
    CHECK_CONTAINS(err.msg, "no error budget");
    cfg.objective = 0;
    CHECK_EQ_INT(hr_slo_eval(T0, MIN, 10, g, t, &cfg, &r, &err), HR_SLO_ECONFIG);
    cfg.objective = NAN;
    CHECK_EQ_INT(hr_slo_eval(T0, MIN, 10, g, t, &cfg, &r, &err), HR_SLO_ECONFIG);
    cfg.objective = 99.9; /* a percentage by mistake */
    CHECK_EQ_INT(hr_slo_eval(T0, MIN, 10, g, t, &cfg, &r, NULL), HR_SLO_ECONFIG);
    cfg.objective = 0.995;
    cfg.window_days = 0;
    CHECK_EQ_INT(hr_slo_eval(T0, MIN, 10, g, t, &cfg, &r, &err), HR_SLO_ECONFIG);
    CHECK_CONTAINS(err.msg, "window");
    cfg.window_days = -3;
    CHECK_EQ_INT(hr_slo_eval(T0, MIN, 10, g, t, &cfg, &r, &err), HR_SLO_ECONFIG);
    cfg.window_days = 28;
    CHECK_EQ_INT(hr_slo_eval(T0, 0, 10, g, t, &cfg, &r, &err), HR_SLO_ECONFIG);
    CHECK_EQ_INT(hr_slo_eval(T0, MIN, 0, g, t, &cfg, &r, &err), HR_SLO_ECONFIG);
    CHECK_EQ_INT(hr_slo_eval(T0, INT64_C(1) << 60, 10, g, t, &cfg, &r, &err), HR_SLO_ECONFIG);
    CHECK_CONTAINS(err.msg, "out of range");
    hr_slo_rule bad_rule = {HOUR, 0, 14.4, HR_SLO_PAGE};
    cfg.rules = &bad_rule;
    cfg.n_rules = 1;
    CHECK_EQ_INT(hr_slo_eval(T0, MIN, 10, g, t, &cfg, &r, &err), HR_SLO_ECONFIG);
    CHECK_CONTAINS(err.msg, "rule 0");
    cfg.rules = NULL;
    cfg.n_rules = 0;

    g[7] = 50.5; /* good > total */
    CHECK_EQ_INT(hr_slo_eval(T0, MIN, 10, g, t, &cfg, &r, &err), HR_SLO_EINPUT);
    CHECK_EQ_INT(err.code, HR_SLO_EINPUT);
    CHECK_EQ_INT(err.index, 7);
    CHECK_CONTAINS(err.msg, "more good events");
    g[7] = 49.5;
    t[3] = -1;
    CHECK_EQ_INT(hr_slo_eval(T0, MIN, 10, g, t, &cfg, &r, &err), HR_SLO_EINPUT);
    CHECK_EQ_INT(err.index, 3);
    CHECK_CONTAINS(err.msg, "negative");
    t[3] = 50;
    g[4] = -INFINITY;
    CHECK_EQ_INT(hr_slo_eval(T0, MIN, 10, g, t, &cfg, &r, &err), HR_SLO_EINPUT);
    CHECK_EQ_INT(err.index, 4);
    g[4] = 49.5;
    /* and valid again; a 28-day window on 10 minutes is partial */
    CHECK_EQ_INT(hr_slo_eval(T0, MIN, 10, g, t, &cfg, &r, &err), HR_SLO_OK);
    CHECK_EQ_INT(r->partial, 1);
    CHECK_NEAR(r->sli, 0.99, 1e-12);
    CHECK_NEAR(r->consumed, 2, 1e-9);
    hr_slo_result_free(r);
    hr_slo_result_free(NULL);
}

int main(void)
{
    test_constant();
    test_burst();
    test_hourly();
    test_gaps();
    test_latency();
    test_errors();
    return check_summary("slo");
}
