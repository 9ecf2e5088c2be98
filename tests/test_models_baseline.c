/* test_models_baseline.c -- the baseline models against known answers:
 * seasonal profile, seasonal naive, daily peaks, Theil-Sen, saturation
 * day, robust z-scores and spans. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "profile.h"
#include "trend.h"
#include "zscore.h"

#define H INT64_C(3600000)
/* 2024-06-03 is a Monday */
#define MON INT64_C(1717372800000)

/* deterministic noise: splitmix64 -> uniform -> Box-Muller */
#define RNG_SEED 12345
#include "rng.h"

int main(void)
{
    /* season choice */
    hr_season s = hr_season_choose(MON, H, 24 * 28);
    CHECK_EQ_INT(s.period_ms, HR_WEEK_MS);
    CHECK_EQ_INT(s.slots, 168);
    CHECK_EQ_INT(hr_season_choose(MON, H, 24 * 10).period_ms, HR_DAY_MS);
    CHECK_EQ_INT(hr_season_choose(MON, H, 24).period_ms, 0);
    CHECK_EQ_INT(hr_season_choose(MON, 7 * H, 500).period_ms, HR_WEEK_MS); /* 7h divides a week */
    CHECK_EQ_INT(hr_season_choose(MON, 5 * H, 500).period_ms, 0);          /* 5h divides neither */
    CHECK_EQ_INT(hr_season_slot(&s, 0), 0);     /* Monday 00:00 */
    CHECK_EQ_INT(hr_season_slot(&s, 24 + 5), 29); /* Tuesday 05:00 */
    hr_season s2 = hr_season_choose(MON + 2 * H, H, 24 * 28);
    CHECK_EQ_INT(hr_season_slot(&s2, 0), 2);
    CHECK_EQ_INT(hr_season_slot(&s2, 166), 0);

    /* a profile recovers a known weekly shape under noise and trend */
    size_t n = 24 * 7 * 8;
    double *v = malloc(n * sizeof *v), *lvl = malloc(n * sizeof *lvl), *work = malloc(2 * n * sizeof *work);
    double *z = malloc(n * sizeof *z), prof[168], shape[168];
    for (int k = 0; k < 168; k++)
        shape[k] = 10 * sin(2 * M_PI * (k % 24) / 24.0) + (k >= 120 ? -5 : 0);
    for (size_t i = 0; i < n; i++)
        v[i] = 100 + 0.01 * (double)i + shape[i % 168] + gauss();
    hr_daily_level(v, n, MON, H, lvl, work);
    hr_profile_fit(v, n, &s, lvl, prof, work);
    /* the daily median absorbs each day's mean of the shape: compare
     * day-centred shapes */
    double maxerr = 0;
    for (int d = 0; d < 7; d++) {
        double a[24], b[24];
        for (int h = 0; h < 24; h++) {
            a[h] = prof[24 * d + h];
            b[h] = shape[24 * d + h];
        }
        double ma = 0, mb = 0;
        for (int h = 0; h < 24; h++) {
            ma += a[h] / 24;
            mb += b[h] / 24;
        }
        for (int h = 0; h < 24; h++)
            maxerr = fmax(maxerr, fabs((a[h] - ma) - (b[h] - mb)));
    }
    CHECK(maxerr < 1.5); /* noise sd 1, 8 weeks per slot */

    /* seasonal naive: one week back, skipping a gap to two weeks back */
    double fc[170];
    hr_season_naive(v, n, &s, fc, 170);
    CHECK_NEAR(fc[0], v[n - 168], 0);
    CHECK_NEAR(fc[169], v[n - 168 + 1], 0);
    v[n - 168 + 5] = NAN;
    hr_season_naive(v, n, &s, fc, 170);
    CHECK_NEAR(fc[5], v[n - 336 + 5], 0);
    hr_season none = hr_season_choose(MON, H, 10);
    double w[4] = {1, 2, 3, NAN};
    hr_season_naive(w, 4, &none, fc, 2);
    CHECK_NEAR(fc[0], 3, 0);
    CHECK_NEAR(fc[1], 3, 0);

    /* z-scores: clean seasonal noise stays under 6; a spike and a dip are
     * found where injected, with direction */
    for (size_t i = 0; i < n; i++)
        v[i] = 100 + 0.01 * (double)i + shape[i % 168] + gauss();
    hr_daily_level(v, n, MON, H, lvl, work);
    hr_profile_fit(v, n, &s, lvl, prof, work);
    hr_zscore(v, n, &s, lvl, prof, z, work);
    double zmax = 0;
    for (size_t i = 0; i < n; i++)
        zmax = fmax(zmax, fabs(z[i]));
    CHECK(zmax < 6);
    hr_span sp[8];
    CHECK_EQ_INT(hr_spans(z, n, 6, 1, sp, 8), 0);
    v[500] += 15;
    v[501] += 20;
    v[900] -= 18;
    hr_daily_level(v, n, MON, H, lvl, work);
    hr_profile_fit(v, n, &s, lvl, prof, work);
    hr_zscore(v, n, &s, lvl, prof, z, work);
    size_t ns = hr_spans(z, n, 6, 1, sp, 8);
    CHECK_EQ_INT(ns, 2);
    CHECK_EQ_INT(sp[0].start, 500);
    CHECK_EQ_INT(sp[0].end, 501);
    CHECK_EQ_INT(sp[0].peak, 501);
    CHECK_EQ_INT(sp[0].direction, HR_SPIKE);
    CHECK_EQ_INT(sp[1].start, 900);
    CHECK_EQ_INT(sp[1].direction, HR_DIP);
    /* mostly-zero counts: MAD is 0, the mean deviation takes over */
    double c[400];
    for (int i = 0; i < 400; i++)
        c[i] = i % 10 == 0 ? 1 : 0;
    c[250] = 40;
    double cl[400], cz[400], cw[800], cp[1] = {0};
    for (int i = 0; i < 400; i++)
        cl[i] = 0;
    hr_season cs = {0, 1, MON, H};
    hr_zscore(c, 400, &cs, cl, cp, cz, cw);
    CHECK(cz[250] > 50);
    CHECK(fabs(cz[10]) < 6);

    /* spans: gap joining and the cap */
    double zz[10] = {0, 7, 0, 8, 0, 0, -9, 0, 0, 0};
    CHECK_EQ_INT(hr_spans(zz, 10, 6, 1, sp, 8), 2);
    CHECK_EQ_INT(sp[0].start, 1);
    CHECK_EQ_INT(sp[0].end, 3);
    CHECK_NEAR(sp[0].peak_z, 8, 0);
    CHECK_EQ_INT(hr_spans(zz, 10, 6, 0, sp, 1), 3);

    /* daily peaks: days with too few points are skipped */
    double pv[72], day[4], pk[4];
    for (int i = 0; i < 72; i++)
        pv[i] = i % 24 == 14 ? 50 + i / 24 : 10;
    for (int i = 24; i < 40; i++)
        pv[i] = NAN; /* day 2 has 8 of 24 points */
    size_t nd = hr_daily_peaks(pv, 72, MON, H, day, pk);
    CHECK_EQ_INT(nd, 2);
    CHECK_NEAR(day[0], (double)(MON / 86400000), 0);
    CHECK_NEAR(pk[0], 50, 0);
    CHECK_NEAR(pk[1], 52, 0);

    /* Theil-Sen: exact on a line, unmoved by 20% outliers */
    double x[100], y[100], scr[6000];
    for (int i = 0; i < 100; i++) {
        x[i] = i;
        y[i] = 40 + 0.25 * i + (i % 5 == 0 ? 30 : 0);
    }
    hr_line ln;
    CHECK_EQ_INT(hr_theil_sen(x, y, 100, 0, 5000, scr, &ln), 0);
    CHECK_NEAR(ln.slope, 0.25, 1e-9);
    CHECK_NEAR(ln.level, 40 + 0.25 * 99, 1e-9);
    CHECK_EQ_INT(ln.used, 100);
    CHECK_NEAR(hr_growth_pct_30d(&ln), 100.0 * 30 * 0.25 / 64.75, 1e-9);
    /* the slope's 80% interval brackets the slope; noisy data widen it */
    CHECK(ln.slope_lo <= ln.slope && ln.slope <= ln.slope_hi);
    for (int i = 0; i < 100; i++)
        y[i] = 40 + 0.25 * i + 3 * gauss();
    CHECK_EQ_INT(hr_theil_sen(x, y, 100, 0, 5000, scr, &ln), 0);
    CHECK(ln.slope_lo < ln.slope && ln.slope < ln.slope_hi);
    CHECK(ln.slope_lo < 0.25 + 0.05 && ln.slope_hi > 0.25 - 0.05);
    CHECK(ln.slope_hi - ln.slope_lo < 0.1);
    for (int i = 0; i < 100; i++)
        y[i] = 40 + 0.25 * i + (i % 5 == 0 ? 30 : 0);
    CHECK_EQ_INT(hr_theil_sen(x, y, 100, 30, 5000, scr, &ln), 0);
    CHECK_EQ_INT(ln.used, 31);
    CHECK_NEAR(ln.slope, 0.25, 1e-9);
    CHECK_EQ_INT(hr_theil_sen(x, y, 2, 0, 10, scr, &ln), -1);
    /* crossing: level 64.75, slope 0.25 -> 80 after ceil(61) = 61 days */
    hr_line L = {99, 64.75, 0.25, 0.25, 0.25, 100};
    CHECK_EQ_INT(hr_line_crossing_day(&L, 80, 365), 61);
    CHECK_EQ_INT(hr_line_crossing_day(&L, 80, 60), -1);
    CHECK_EQ_INT(hr_line_crossing_day(&L, 60, 365), 0);
    L.slope = -0.1;
    CHECK_EQ_INT(hr_line_crossing_day(&L, 80, 365), -1);
    free(v);
    free(lvl);
    free(work);
    free(z);
    return check_summary("models_baseline");
}
