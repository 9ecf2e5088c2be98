/* test_yearly.c -- the yearly profile (models/yearly) on daily series
 * with a known yearly shape, a step, noise and outlier days; and its
 * refusal of series without one. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "check.h"
#include "yearly.h"

#define RNG_SEED 1717
#include "rng.h"

#define DAY0 INT64_C(19358) /* 2023-01-01 */

/* The true yearly shape on a day since 1970: a summer lull (-10% around
 * 1 August) and a December peak (+25% around 15 December, three weeks
 * wide), on the log scale. */
static double shape(int64_t day)
{
    double doy = fmod((double)day - 19358.0, 365.2425);
    if (doy < 0)
        doy += 365.2425;
    double dd = doy - 348, ds = doy - 212;
    dd -= 365.2425 * round(dd / 365.2425);
    ds -= 365.2425 * round(ds / 365.2425);
    return 0.25 * exp(-0.5 * dd * dd / 100.0) - 0.10 * exp(-0.5 * ds * ds / 900.0);
}

int main(void)
{
    gsl_set_error_handler_off(); /* as the program does (engine/main.c) */
    enum { ND = 1100 };
    double z[ND];
    /* 3 years: growth 2% a month, +20% step on day 500, 2% noise, five
     * outage days at -60%, a gap of ten days */
    for (int d = 0; d < ND; d++)
        z[d] = log(100) + d * log(1.02) / 30 + (d >= 500 ? log(1.2) : 0) + shape(DAY0 + d) + 0.02 * gauss();
    for (int k = 0; k < 5; k++)
        z[100 + 200 * k] += log(0.4);
    for (int d = 700; d < 710; d++)
        z[d] = NAN;
    size_t steps[1] = {500};
    hr_yearly y;
    CHECK_EQ_INT(hr_yearly_fit(z, ND, DAY0, steps, 1, &y), 0);
    CHECK(y.found);
    CHECK(y.corr > 0.9);
    /* the fitted profile is the true one up to a constant: compare the
     * centred curves over a year (order 10 smooths the December peak a
     * little: 3 weeks wide against ~18 days of resolution) */
    double mt = 0, mf = 0;
    for (int g = 0; g < 365; g++) {
        mt += shape(DAY0 + g) / 365;
        mf += hr_yearly_at(&y, DAY0 + g) / 365;
    }
    double worst = 0;
    for (int g = 0; g < 365; g++)
        worst = fmax(worst, fabs((hr_yearly_at(&y, DAY0 + g) - mf) - (shape(DAY0 + g) - mt)));
    CHECK(worst < 0.03);
    /* the peak on 15 December (day 348) within a few days; the lull in
     * summer */
    CHECK(abs(y.peak_doy - 348) <= 3);
    CHECK(y.trough_doy > 180 && y.trough_doy < 240);
    CHECK(y.hi - y.lo > 0.3 && y.hi - y.lo < 0.4);
    /* a year later nearly the same value, 400 years later exactly */
    CHECK(fabs(hr_yearly_at(&y, DAY0 + 10) - hr_yearly_at(&y, DAY0 + 10 + 365)) < 0.002);
    CHECK(fabs(hr_yearly_at(&y, DAY0 + 10) - hr_yearly_at(&y, DAY0 + 10 + 146097)) < 1e-12);

    /* without the step among the regressors the profile still repeats
     * (the step shows in one half only) */
    CHECK_EQ_INT(hr_yearly_fit(z, ND, DAY0, NULL, 0, &y), 0);

    /* under two years: nothing */
    CHECK_EQ_INT(hr_yearly_fit(z, 700, DAY0, steps, 1, &y), 0);
    CHECK(!y.found);
    CHECK_NEAR(hr_yearly_at(&y, DAY0), 0, 0);

    /* no yearly season: a wandering level (AR(1), 0.98 a day) and white
     * noise; the two halves' shapes do not repeat. 40 series: chance
     * passes are about 1.5% each, so at most 3 */
    int passed = 0;
    for (int r = 0; r < 40; r++) {
        double e = 0;
        for (int d = 0; d < ND; d++) {
            e = 0.98 * e + 0.02 * gauss();
            z[d] = log(50) + d * log(1.01) / 30 + (r & 1 ? e : 0.03 * gauss());
        }
        CHECK_EQ_INT(hr_yearly_fit(z, ND, DAY0, NULL, 0, &y), 0);
        passed += y.found;
    }
    CHECK(passed <= 3);
    return check_summary("yearly");
}
