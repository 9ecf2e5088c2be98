/* test_detect.c -- the causal anomaly detector: injected spikes, dips and
 * level shifts found where they start, quiet on clean seasonal noise,
 * causality bit for bit, row order with repeated and backward timestamps,
 * degenerate inputs, warm-up, spans, a long anomaly reported once, and a
 * weekly job that becomes normal. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "detect.h"

#define H INT64_C(3600000)
#define T0 INT64_C(1717372800000) /* 2024-06-03 00:00 UTC, a Monday */
#define THR 0.5 /* the alarm level used below: p = 1e-5 */

/* deterministic noise: splitmix64 -> uniform -> Box-Muller */
#define RNG_SEED 12345
#include "rng.h"

/* hourly, daily shape of amplitude 20 on a level of 200, noise sd 2 */
static void seasonal(double *x, int64_t *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        t[i] = T0 + (int64_t)i * H;
        x[i] = 200 + 20 * sin(2 * M_PI * (double)(i % 24) / 24) + 2 * gauss();
    }
}

static size_t first_at_or_above(const double *s, size_t from, size_t to, double thr)
{
    for (size_t i = from; i < to; i++)
        if (s[i] >= thr)
            return i;
    return (size_t)-1;
}

static double max_in(const double *s, size_t from, size_t to)
{
    double m = 0;
    for (size_t i = from; i < to; i++)
        if (s[i] > m)
            m = s[i];
    return m;
}

static int all_in_unit(const double *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(s[i] >= 0 && s[i] <= 1))
            return 0;
    return 1;
}

int main(void)
{
    enum { N = 24 * 7 * 6 }; /* six weeks hourly */
    double *x = malloc(N * sizeof *x), *s = malloc(N * sizeof *s), *s2 = malloc(N * sizeof *s2);
    int64_t *t = malloc(N * sizeof *t);
    hr_det_ws *ws = hr_det_ws_alloc(N);
    CHECK(ws != NULL);
    hr_det_span sp[64];

    /* clean seasonal noise: nothing reaches the alarm level, over several
     * seeds (two weeks each after a week of history, and all six weeks) */
    for (int seed = 0; seed < 5; seed++) {
        rs = 1000 + (uint64_t)seed;
        seasonal(x, t, N);
        CHECK_EQ_INT(hr_det_score(x, t, N, ws, s, NULL), 0);
        CHECK(all_in_unit(s, N));
        double m = max_in(s, 0, N);
        CHECK_REPORT_(m < THR, "seed %d: clean noise scored %.3f >= %.2f", seed, m, THR);
        CHECK_EQ_INT(hr_det_spans(s, NULL, x, N, THR, sp, 64), 0);
    }
    /* two weeks exactly, as in a short export */
    rs = 77;
    seasonal(x, t, 24 * 14);
    hr_det_score(x, t, 24 * 14, ws, s, NULL);
    CHECK(max_in(s, 0, 24 * 14) < THR);

    /* a spike, a dip and a level shift, each in its own series after four
     * weeks of history: the score crosses the alarm level within 2 points
     * of the start and not before; spans with the right directions */
    size_t at = 700;
    for (int kind = 0; kind < 3; kind++) {
        rs = 4242 + (uint64_t)kind;
        seasonal(x, t, N);
        if (kind == 0)
            x[at] += 20; /* 10 sd */
        else if (kind == 1)
            x[at] -= 20;
        else
            for (size_t i = at; i < N; i++)
                x[i] += 12; /* 6 sd, and stays */
        hr_det_score(x, t, N, ws, s, NULL);
        CHECK(all_in_unit(s, N));
        size_t f = first_at_or_above(s, 0, N, THR);
        CHECK_REPORT_(f >= at && f <= at + 2, "kind %d at %zu found at %zu", kind, at, f);
        size_t ns = hr_det_spans(s, NULL, x, N, THR, sp, 64);
        CHECK_EQ_INT(ns, 1);
        if (ns >= 1) {
            CHECK(sp[0].start == f && sp[0].end >= sp[0].start);
            CHECK(sp[0].peak >= sp[0].start && sp[0].peak <= sp[0].end);
            CHECK_NEAR(sp[0].peak_score, s[sp[0].peak], 0);
        }
        /* the cap: nothing written, the count is all of them */
        CHECK_EQ_INT(hr_det_spans(s, NULL, x, N, THR, sp, 0), ns);
        /* reported once: after the refractory period the new level is
         * the normal one */
        if (kind == 2)
            CHECK(max_in(s, at + 150, N) < THR);
    }
    /* directions, judged from x next to the span: on a series without a
     * steep daily shape (which can make a shift look like a spike) */
    for (int kind = 0; kind < 3; kind++) {
        rs = 5151 + (uint64_t)kind;
        for (size_t i = 0; i < N; i++) {
            t[i] = T0 + (int64_t)i * H;
            x[i] = 50 + 2 * gauss();
        }
        if (kind == 0)
            x[at] += 20;
        else if (kind == 1)
            x[at] -= 20;
        else
            for (size_t i = at; i < N; i++)
                x[i] += 12;
        hr_det_score(x, t, N, ws, s, NULL);
        size_t ns = hr_det_spans(s, NULL, x, N, THR, sp, 64);
        CHECK_EQ_INT(ns, 1);
        if (ns >= 1) {
            CHECK(sp[0].start >= at && sp[0].start <= at + 2);
            CHECK_EQ_INT(sp[0].direction, kind == 0 ? HR_DET_SPIKE : kind == 1 ? HR_DET_DIP : HR_DET_SHIFT);
        }
    }
    /* the spike series again, for the causality checks below */
    rs = 4242;
    seasonal(x, t, N);
    x[at] += 20;
    hr_det_score(x, t, N, ws, s, NULL);

    /* causality: the scores of every prefix are those of the whole, bit
     * for bit (a prefix may end anywhere, also mid-event) */
    {
        size_t cuts[] = {1, 2, 9, 10, 64, 100, 499, 500, 699, 700, 701, 801, N - 1};
        int same = 1;
        for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
            hr_det_score(x, t, cuts[c], ws, s2, NULL);
            if (memcmp(s, s2, cuts[c] * sizeof *s) != 0)
                same = 0;
        }
        CHECK(same);
        /* and changing the future changes nothing before it */
        double keep = x[600];
        x[600] += 1000;
        hr_det_score(x, t, N, ws, s2, NULL);
        CHECK(memcmp(s, s2, 600 * sizeof *s) == 0);
        CHECK(s2[600] >= THR);
        x[600] = keep;
    }

    /* the trace says which member fired; it changes no score. The spike
     * of one point on a seasonal series fires against a seasonal profile
     * (the shift chart, at LAM_C 0.5, sees it as much as the point
     * statistic); nothing is scored before N_MIN points. */
    {
        unsigned char *fired = malloc(N);
        memset(fired, 0xee, N);
        hr_det_trace(ws, fired);
        hr_det_score(x, t, N, ws, s2, NULL);
        hr_det_trace(ws, NULL);
        CHECK(memcmp(s, s2, N * sizeof *s) == 0);
        CHECK_EQ_INT(fired[0], 0);
        CHECK_EQ_INT(fired[63], 0);
        CHECK(fired[at] != 0);
        int st = hr_det_fired_stat(fired[at]);
        CHECK(st == HR_DET_STAT_POINT || st == HR_DET_STAT_SHIFT);
        int b = hr_det_fired_base(fired[at]);
        CHECK_REPORT_(b == HR_DET_BASE_DAILY || b == HR_DET_BASE_WEEKLY, "spike fired on baseline %d", b);
        int bad = 0;
        for (size_t i = 0; i < N; i++)
            bad += fired[i] > 6 || ((s2[i] > 0) != (fired[i] > 0));
        CHECK_EQ_INT(bad, 0);
        CHECK(strcmp(hr_det_stat_name(HR_DET_STAT_SHIFT), "shift") == 0);
        CHECK(strcmp(hr_det_base_name(HR_DET_BASE_WEEKLY), "weekly profile") == 0);
        CHECK(hr_det_base_name(3) == NULL && hr_det_stat_name(-1) == NULL);
        CHECK_EQ_INT(hr_det_fired_base(0), -1);
        CHECK_EQ_INT(hr_det_fired_stat(0), -1);
        free(fired);
    }

    /* a fresh workspace, or one sized for 1 point, gives the same scores:
     * nothing carries over between calls, the size is only a hint */
    {
        hr_det_ws *w2 = hr_det_ws_alloc(1);
        hr_det_score(x, t, N, w2, s2, NULL);
        CHECK(memcmp(s, s2, N * sizeof *s) == 0);
        hr_det_ws_free(w2);
    }

    /* repeated and backward timestamps: one score per row, in row order */
    {
        rs = 99;
        seasonal(x, t, N);
        for (size_t i = 0; i < N; i++) {
            if (i % 7 == 3)
                t[i] = t[i - 1];                   /* repeated */
            if (i % 50 == 20)
                t[i] = t[i] - 5 * H;               /* backward */
            if (i % 97 == 0)
                t[i] = INT64_C(-86400000) * 3 + 5; /* far back, before 1970 */
        }
        /* a large spike: with a sixth of the points in the wrong slot of
         * the day the seasonal residuals are heavy-tailed, and the
         * calibration (rightly) asks for more: the spike is the largest
         * score and an alarm at the run's threshold (0.3, p = 1e-3; it
         * scores about 0.45), not at the 0.5 of the clean cases */
        x[600] += 100;
        for (size_t i = 0; i < N; i++)
            s[i] = -1;
        hr_det_score(x, t, N, ws, s, NULL);
        CHECK(all_in_unit(s, N)); /* every row written */
        size_t arg = 0;
        for (size_t i = 1; i < N; i++)
            if (s[i] > s[arg])
                arg = i;
        CHECK_EQ_INT(arg, 600);
        CHECK(s[600] >= 0.3);
        /* all timestamps equal: no seasonality, still a score per row */
        for (size_t i = 0; i < N; i++)
            t[i] = T0;
        hr_det_score(x, t, N, ws, s, NULL);
        CHECK(all_in_unit(s, N));
        CHECK(s[600] >= THR);
        /* no timestamps at all */
        hr_det_score(x, NULL, N, ws, s, NULL);
        CHECK(all_in_unit(s, N));
        CHECK(s[600] >= THR);
    }

    /* degenerate inputs: finite scores in [0,1] */
    {
        for (size_t i = 0; i < N; i++) {
            x[i] = NAN;
            t[i] = T0 + (int64_t)i * H;
        }
        hr_det_score(x, t, N, ws, s, NULL);
        CHECK(all_in_unit(s, N));
        CHECK(max_in(s, 0, N) == 0);
        CHECK_EQ_INT(hr_det_spans(s, NULL, x, N, THR, sp, 64), 0);
        for (size_t i = 0; i < N; i++)
            x[i] = 42.5;
        hr_det_score(x, t, N, ws, s, NULL);
        CHECK(all_in_unit(s, N));
        CHECK(max_in(s, 0, N) == 0);
        /* constant zero, then one change: a flat series' first move is news */
        for (size_t i = 0; i < N; i++)
            x[i] = 0;
        x[700] = 1;
        hr_det_score(x, t, N, ws, s, NULL);
        CHECK(all_in_unit(s, N));
        CHECK(s[700] >= THR);
        /* infinities are missing values; huge values do not overflow */
        for (size_t i = 0; i < N; i++)
            x[i] = i % 5 == 0 ? INFINITY : i % 5 == 1 ? -INFINITY : 1e300 * (i % 3);
        hr_det_score(x, t, N, ws, s, NULL);
        CHECK(all_in_unit(s, N));
        /* NaN gaps in a normal series: scored 0, the rest as usual */
        rs = 5;
        seasonal(x, t, N);
        for (size_t i = 300; i < 340; i++)
            x[i] = NAN;
        x[900] += 30;
        hr_det_score(x, t, N, ws, s, NULL);
        CHECK(all_in_unit(s, N));
        CHECK(max_in(s, 300, 340) == 0);
        CHECK(s[900] >= THR);
        CHECK(max_in(s, 168, 900) < THR);
        /* n = 0 and n = 1 */
        CHECK_EQ_INT(hr_det_score(x, t, 0, ws, s, NULL), 0);
        hr_det_score(x, t, 1, ws, s, NULL);
        CHECK(s[0] == 0);
        hr_det_ws_free(NULL);
    }

    /* warm-up: a huge spike among the first points scores low */
    {
        rs = 31;
        seasonal(x, t, N);
        x[20] += 500;
        x[60] += 500;
        hr_det_score(x, t, N, ws, s, NULL);
        CHECK(s[20] == 0);
        CHECK(s[60] == 0);
        CHECK(max_in(s, 0, 72) == 0);
        /* and the same spike once there is history is an alarm */
        x[400] += 500;
        hr_det_score(x, t, N, ws, s, NULL);
        CHECK(s[400] >= THR);
    }

    /* a 5-minute series with a daily square wave (the shape of NAB's
     * artificial series): the seasonal model learns the edges, which are
     * then no alarm; a day without its high phase is one */
    {
        enum { M = 288 * 12 };
        double *y = malloc(M * sizeof *y), *sy = malloc(M * sizeof *sy);
        int64_t *ty = malloc(M * sizeof *ty);
        rs = 8;
        for (size_t i = 0; i < M; i++) {
            ty[i] = T0 + (int64_t)i * 300000;
            size_t k = i % 288;
            int high = k >= 100 && k < 200;
            y[i] = (high ? 80 : 20) + (high ? 3 : 1) * gauss();
            if (i / 288 == 9 && high)
                y[i] = 20 + gauss(); /* day 9: no high phase */
        }
        hr_det_score(y, ty, M, ws, sy, NULL);
        CHECK(all_in_unit(sy, M));
        CHECK(max_in(sy, 288 * 3, 288 * 9 + 100) < THR);
        size_t fy = first_at_or_above(sy, 288 * 9, M, THR);
        CHECK_REPORT_(fy >= 288 * 9 + 100 && fy <= 288 * 9 + 102, "missing phase found at %zu", fy);
        free(y);
        free(sy);
        free(ty);
    }

    /* report once: a plateau of 6 sd for 200 hours crosses a low
     * threshold (0.25, p = 1e-2.5 / 2) once, at its start; the raw level
     * stays high on it, so the span covers it; after it ends and the
     * series has been quiet, a second, equal plateau is reported again */
    {
        rs = 606;
        seasonal(x, t, N);
        for (size_t i = 500; i < 700; i++)
            x[i] += 12;
        for (size_t i = 850; i < 900; i++)
            x[i] += 12;
        double *lv = malloc(N * sizeof *lv);
        hr_det_score(x, t, N, ws, s, lv);
        size_t crossings = 0;
        for (size_t i = 500; i < 700; i++)
            crossings += s[i] >= 0.25;
        CHECK_REPORT_(crossings == 1, "a 200-point plateau crossed 0.25 at %zu points", crossings);
        size_t f = first_at_or_above(s, 0, N, THR);
        CHECK_REPORT_(f >= 500 && f <= 502, "plateau found at %zu", f);
        CHECK(max_in(lv, 500, 700) >= THR);
        size_t ns = hr_det_spans(s, lv, x, N, THR, sp, 64);
        CHECK(ns >= 1 && sp[0].start == f && sp[0].end >= 510);
        /* the second plateau is reported at its start, not suppressed, but
         * lower: the first one's statistics are now 1/4 of the 850-point
         * history, which the calibration forgets over HIST points */
        size_t f2 = first_at_or_above(s, 800, N, 0.2);
        CHECK_REPORT_(f2 >= 850 && f2 <= 852, "second plateau found at %zu", f2);
        CHECK(f2 < N && s[f2] == lv[f2]);
        free(lv);
    }

    /* weekly pattern: a job every Monday at 03:00 doubles the load for an
     * hour, the same every week; its first occurrences are anomalies, from
     * the fifth week on it is the weekly baseline and scores low */
    {
        enum { W = 24 * 7 * 8 };
        double *y = malloc(W * sizeof *y), *sy = malloc(W * sizeof *sy);
        int64_t *ty = malloc(W * sizeof *ty);
        rs = 707;
        for (size_t i = 0; i < W; i++) {
            ty[i] = T0 + (int64_t)i * H; /* T0 is a Monday, 00:00 */
            y[i] = 200 + 20 * sin(2 * M_PI * (double)(i % 24) / 24) + 2 * gauss();
            if (i % (24 * 7) == 3)
                y[i] += 200;
        }
        hr_det_score(y, ty, W, ws, sy, NULL);
        CHECK(sy[24 * 7 + 3] >= THR); /* the second Monday (the first is warm-up) */
        for (size_t wk = 5; wk < 8; wk++)
            CHECK_REPORT_(sy[wk * 24 * 7 + 3] < 0.25, "week %zu's job scored %.3f", wk, sy[wk * 24 * 7 + 3]);
        CHECK(max_in(sy, 24 * 7 * 5, W) < THR);
        /* ... and the weekly pattern names it: Monday 03:00, above the
         * other days by about 200 / (1.2533 x 1.6) = 100 scales; at 4
         * scales also Tuesday 03:00, 4 below (its offsets are taken
         * against the mean of a day that held the job: 200 / 24 lower);
         * at 8 nothing else */
        hr_det_pattern pat[3];
        CHECK_EQ_INT(hr_det_weekly_pattern(ws, 4, pat, 3), 2);
        CHECK(pat[1].direction == HR_DET_DIP && pat[1].week_ms == 27 * H);
        size_t npat = hr_det_weekly_pattern(ws, 8, pat, 3);
        CHECK_EQ_INT(npat, 1);
        if (npat) {
            CHECK_EQ_INT(pat[0].week_ms, 3 * H);
            CHECK_EQ_INT(pat[0].direction, HR_DET_SPIKE);
            CHECK_REPORT_(pat[0].z > 50 && pat[0].z < 150, "the job stands out by %.1f", pat[0].z);
        }
        CHECK_EQ_INT(hr_det_weekly_pattern(ws, 4, pat, 0), 0);
        /* a Monday without the job is then the anomaly */
        y[7 * 24 * 7 + 3] -= 200;
        hr_det_score(y, ty, W, ws, sy, NULL);
        CHECK_REPORT_(sy[7 * 24 * 7 + 3] >= THR, "the missing job scored %.3f", sy[7 * 24 * 7 + 3]);
        free(y);
        free(sy);
        free(ty);
    }

    /* a weekly job whose size varies from week to week (200 +- 30, the
     * rest of the week's noise sd 2; a nightly backup and a bigger one on
     * Sundays, each +-10% from run to run): once in the baseline its size
     * alone is not an alarm (the slot's own spread scales the weekly
     * model's residuals; without it the Sunday rows reached 0.40, with it
     * 0.22), while a Sunday job of three times the size still is (1.0) */
    {
        enum { W = 24 * 7 * 16 };
        double *y = malloc(W * sizeof *y), *sy = malloc(W * sizeof *sy);
        int64_t *ty = malloc(W * sizeof *ty);
        rs = 4242;
        for (size_t i = 0; i < W; i++) {
            ty[i] = T0 + (int64_t)i * H;
            y[i] = 200 + 20 * sin(2 * M_PI * (double)(i % 24) / 24) + 2 * gauss();
            size_t h = i % (24 * 7);
            if (h % 24 == 2 && h < 24 * 6) /* a nightly backup, Monday to Saturday */
                y[i] += 1000 * (0.9 + 0.2 * unif());
            if (h == 24 * 6 + 2 || h == 24 * 6 + 3 || h == 24 * 6 + 4) /* Sunday's full one */
                y[i] += (h == 24 * 6 + 3 ? 2000 : 1000) * (0.9 + 0.2 * unif());
        }
        hr_det_score(y, ty, W, ws, sy, NULL);
        double jmax = 0;
        for (size_t wk = 6; wk < 16; wk++)
            jmax = fmax(jmax, max_in(sy, wk * 24 * 7 + 24 * 6, wk * 24 * 7 + 24 * 6 + 8));
        CHECK_REPORT_(jmax < 0.25, "a varying weekly job scored %.3f in weeks 6-15", jmax);
        y[15 * 24 * 7 + 24 * 6 + 3] += 4000;
        hr_det_score(y, ty, W, ws, sy, NULL);
        CHECK_REPORT_(sy[15 * 24 * 7 + 24 * 6 + 3] >= THR, "a job of three times the size scored %.3f",
                      sy[15 * 24 * 7 + 24 * 6 + 3]);
        free(y);
        free(sy);
        free(ty);
    }

    free(x);
    free(s);
    free(s2);
    free(t);
    hr_det_ws_free(ws);
    return check_summary("detect");
}
