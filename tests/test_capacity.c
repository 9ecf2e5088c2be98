/* test_capacity.c -- peak factors, the daily-peak forecast, crossings and
 * N+k units against hand-computed answers. */
#include <math.h>

#include "capacity.h"
#include "check.h"

int main(void)
{
    /* factors: weekday slot w of the last 8 weeks; peaks 1.5x the level on
     * slots 0-4 and 1.2x on slots 5-6, with one outlier day */
    double lvl[70], pk[70], flo[7], fmid[7], fhi[7], scr[70];
    for (int d = 0; d < 70; d++) {
        lvl[d] = 100 + d;
        pk[d] = lvl[d] * (d % 7 < 5 ? 1.5 : 1.2);
    }
    pk[65] = lvl[65] * 9; /* slot 2 */
    CHECK_EQ_INT(hr_cap_peak_factors(lvl, pk, 70, 8, flo, fmid, fhi, scr), 56);
    CHECK_NEAR(fmid[0], 1.5, 1e-12);
    CHECK_NEAR(fmid[6], 1.2, 1e-12);
    CHECK_NEAR(fmid[2], 1.5, 1e-12); /* the median ignores the outlier */
    CHECK(fhi[2] >= fmid[2] && flo[2] <= fmid[2]);
    /* no usable level: factors 1 */
    double z[3] = {0, -1, NAN};
    CHECK_EQ_INT(hr_cap_peak_factors(z, z, 3, 8, flo, fmid, fhi, scr), 0);
    CHECK_NEAR(fmid[3], 1, 0);

    /* the typical day's peak: 10 weeks of 24 hourly points, level 100,
     * a day shaped 1 + 0.4 cos (peak 1.4 at hour 12) times 1.1 on weekday
     * slot 3, with +-3% noise alternating by week. The days' largest
     * values stand 3% high on the weeks the noise is up; the median over
     * the weeks per hour does not. */
    {
        enum { ND = 70, PD = 24 };
        double v[ND * PD], lv[ND], ls[ND * PD], fp[7], sc[8], pkd[ND], fl[7], fm[7], fh[7], sc2[70];
        for (int d = 0; d < ND; d++) {
            lv[d] = 100;
            double mx = 0;
            for (int h = 0; h < PD; h++) {
                double shape = (1 + 0.4 * cos(2 * M_PI * (h - 12) / PD)) * (d % 7 == 3 ? 1.1 : 1.0);
                double noise = ((d / 7 + h) % 2 ? 1.03 : 0.97);
                v[d * PD + h] = 100 * shape * noise;
                ls[d * PD + h] = log(shape);
                mx = fmax(mx, v[d * PD + h]);
            }
            pkd[d] = mx;
        }
        CHECK_EQ_INT(hr_cap_profile_peaks(v, ND * PD, PD, lv, ND, 8, fp, sc), 7);
        /* hour 12 and its neighbours: medians of four 1.03 and four 0.97
         * values are the shape itself; the largest is 1.4 (1.54 on slot 3) */
        CHECK_NEAR(fp[0], 1.4, 1e-12);
        CHECK_NEAR(fp[3], 1.54, 1e-12);
        CHECK_EQ_INT(hr_cap_season_peaks(ls, ND * PD, PD, ND, 8, fp, sc), 7);
        CHECK_NEAR(fp[1], 1.4, 1e-12);
        CHECK_NEAR(fp[3], 1.54, 1e-12);
        /* the days' largest values: 3% high */
        hr_cap_peak_factors(lv, pkd, ND, 8, fl, fm, fh, sc2);
        CHECK(fm[0] > 1.4 * 1.02);
        /* recentred: the middle moves, the spread keeps its ratios */
        double r_lo = fl[0] / fm[0], r_hi = fh[0] / fm[0];
        hr_cap_recentre(fl, fm, fh, fp);
        CHECK_NEAR(fm[0], 1.4, 1e-12);
        CHECK_NEAR(fl[0] / fm[0], r_lo, 1e-12);
        CHECK_NEAR(fh[0] / fm[0], r_hi, 1e-12);
        /* too few days: NAN, and recentring leaves that weekday alone */
        CHECK_EQ_INT(hr_cap_profile_peaks(v, 2 * 7 * PD, PD, lv, 14, 8, fp, sc), 0);
        CHECK(isnan(fp[2]));
        double keep = fm[2];
        hr_cap_recentre(fl, fm, fh, fp);
        CHECK_NEAR(fm[2], keep, 0);
    }

    /* forecast: level 100, 10% per 30 days, flat factors 1.5 */
    double f15[7] = {1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5}, f14[7], f16[7];
    for (int w = 0; w < 7; w++) {
        f14[w] = 1.4;
        f16[w] = 1.6;
    }
    hr_cap_fc fc = {.level_end = 100, .growth_lo = 5, .growth_mid = 10, .growth_hi = 15,
                    .flo = f14, .fmid = f15, .fhi = f16, .ev = NULL, .nd = 70, .horizon = 365, .bound = 0};
    CHECK_NEAR(hr_cap_peak(&fc, 0, 0), 150, 1e-12);
    CHECK_NEAR(hr_cap_peak(&fc, 30, 0), 165, 1e-9);
    CHECK_NEAR(hr_cap_peak(&fc, 60, 0), 181.5, 1e-9);
    /* threshold 181.5: the median path reaches it on day 60 exactly */
    CHECK_EQ_INT(hr_cap_crossing(&fc, 181.5 - 1e-9, 0), 60);
    /* the fast path (15%, 1.6x) earlier; the slow (5%, 1.4x) later */
    long d10 = hr_cap_crossing(&fc, 181.5, +1), d90 = hr_cap_crossing(&fc, 181.5, -1);
    CHECK(d10 >= 0 && d10 < 60);
    CHECK(d90 > 60);
    /* 1.4 * 100 * 1.05^(j/30) >= 181.5  <=>  j >= 30 ln(181.5/140)/ln(1.05) = 159.4 */
    CHECK_EQ_INT(d90, 160);
    CHECK_EQ_INT(hr_cap_crossing(&fc, 149, 0), 0);  /* already above */
    CHECK_EQ_INT(hr_cap_crossing(&fc, 1e9, 0), -1); /* never within the horizon */
    /* planned event: +20% from day 10 */
    double ev[366];
    for (int j = 0; j <= 365; j++)
        ev[j] = j >= 10 ? 1.2 : 1.0;
    fc.ev = ev;
    CHECK_NEAR(hr_cap_peak(&fc, 10, 0), 150 * pow(1.1, 10.0 / 30) * 1.2, 1e-9);
    CHECK_EQ_INT(hr_cap_crossing(&fc, 150 * pow(1.1, 10.0 / 30) * 1.2 - 1e-9, 0), 10);
    fc.ev = NULL;
    /* N+k: peak through day 60 is 181.5; target 0.75, 10 per unit:
     * ceil(181.5 / 7.5) = 25, plus k = 2 spares -> 27 */
    CHECK_EQ_INT(hr_cap_units_needed(&fc, 0.75, 10, 2, 60, 0), 27);
    CHECK_EQ_INT(hr_cap_units_needed(&fc, 0.75, 10, 0, 0, 0), 20);
    CHECK_EQ_INT(hr_cap_units_needed(&fc, 0.75, 0, 2, 60, 0), 0);
    /* a bounded metric (a ratio: bound 1): level 0.5, 10% a month, factor
     * 1.5 -> 0.75 today, 0.825 at day 30; every path stops at 1, which the
     * median path reaches at 30 ln(1/0.75)/ln(1.1) = 90.5 -> day 91 */
    hr_cap_fc rat = {.level_end = 0.5, .growth_lo = 5, .growth_mid = 10, .growth_hi = 15,
                    .flo = f14, .fmid = f15, .fhi = f16, .ev = NULL, .nd = 70, .horizon = 365, .bound = 1};
    CHECK_NEAR(hr_cap_peak(&rat, 30, 0), 0.825, 1e-12);
    CHECK_NEAR(hr_cap_peak(&rat, 365, 0), 1, 0);
    CHECK_NEAR(hr_cap_peak(&rat, 365, +1), 1, 0);
    CHECK_EQ_INT(hr_cap_crossing(&rat, 1, 0), 91);
    CHECK_EQ_INT(hr_cap_crossing(&rat, 1.2, +1), -1); /* past the bound: never */
    CHECK(hr_cap_crossing(&rat, 1, +1) < 91);
    /* the line's quantiles (analyze.c's dates): the mid growth times
     * exp(-+1.2816 sqrt(se_mid^2 + (se_slope (age + j))^2)) */
    {
        hr_cap_fc ln = fc;
        ln.line_sd_mid = 0.01;
        ln.line_sd_slope = 0.0002;
        ln.line_age = 50;
        double sd10 = sqrt(0.01 * 0.01 + (0.0002 * 60) * (0.0002 * 60));
        CHECK_NEAR(hr_cap_peak(&ln, 10, +1) / hr_cap_peak(&ln, 10, 0) * f15[(70 - 1 + 10) % 7] / f16[(70 - 1 + 10) % 7],
                   exp(1.2815516 * sd10), 1e-12);
        CHECK_NEAR(hr_cap_peak(&ln, 10, -1) / hr_cap_peak(&ln, 10, 0) * f15[(70 - 1 + 10) % 7] / f14[(70 - 1 + 10) % 7],
                   exp(-1.2815516 * sd10), 1e-12);
        CHECK(hr_cap_crossing(&ln, 200, +1) <= hr_cap_crossing(&ln, 200, 0));
        CHECK(hr_cap_crossing(&ln, 200, -1) >= hr_cap_crossing(&ln, 200, 0));
    }
    /* falling demand */
    hr_cap_fc fall = {.level_end = 100, .growth_lo = -5, .growth_mid = -5, .growth_hi = -5,
                    .flo = f15, .fmid = f15, .fhi = f15, .ev = NULL, .nd = 70, .horizon = 365, .bound = 0};
    CHECK_EQ_INT(hr_cap_crossing(&fall, 160, 0), -1);
    return check_summary("capacity");
}
