/* test_decompose.c -- period detection and robust decomposition against
 * known answers. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "decompose.h"

#define H INT64_C(3600000)

#define RNG_SEED 777
#include "rng.h"

static double daily(size_t i) { return 8 * sin(2 * M_PI * (double)(i % 24) / 24.0); }
static double weekly(size_t i) { return (i % 168) >= 120 ? -6 : 1.5; }

int main(void)
{
    size_t n = 24 * 7 * 10, P[2], np;
    hr_dc_ws *ws = hr_dc_ws_alloc(n, 168);
    double *x = malloc(n * sizeof *x), *t = malloc(n * sizeof *t), *s = malloc(n * sizeof *s),
           *r = malloc(n * sizeof *r), prof0[168], prof1[168];
    hr_decomp d = {t, s, r, {prof0, prof1}};

    /* daily + weekly */
    for (size_t i = 0; i < n; i++)
        x[i] = 100 + 0.02 * (double)i + daily(i) + weekly(i) + gauss();
    np = hr_dc_detect_periods(x, n, H, P, ws);
    CHECK_EQ_INT(np, 2);
    CHECK_EQ_INT(P[0], 24);
    CHECK_EQ_INT(P[1], 168);
    /* daily only */
    for (size_t i = 0; i < n; i++)
        x[i] = 100 + daily(i) + gauss();
    np = hr_dc_detect_periods(x, n, H, P, ws);
    CHECK_EQ_INT(np, 1);
    CHECK_EQ_INT(P[0], 24);
    /* white noise, a random walk: no season */
    for (size_t i = 0; i < n; i++)
        x[i] = 100 + gauss();
    CHECK_EQ_INT(hr_dc_detect_periods(x, n, H, P, ws), 0);
    for (size_t i = 0; i < n; i++)
        x[i] = (i ? x[i - 1] : 0) + gauss();
    CHECK_EQ_INT(hr_dc_detect_periods(x, n, H, P, ws), 0);
    /* too short for a week: daily only; too short for a day: none */
    for (size_t i = 0; i < n; i++)
        x[i] = 100 + daily(i) + weekly(i) + 0.5 * gauss();
    np = hr_dc_detect_periods(x, 24 * 14, H, P, ws);
    CHECK_EQ_INT(np, 1);
    CHECK_EQ_INT(hr_dc_detect_periods(x, 60, H, P, ws), 0);
    /* annual data (step of a year is not a divisor of a day) */
    CHECK_EQ_INT(hr_dc_detect_periods(x, 40, 365 * 24 * H, P, ws), 0);
    /* all NaN */
    for (size_t i = 0; i < n; i++)
        r[i] = NAN;
    CHECK_EQ_INT(hr_dc_detect_periods(r, n, H, P, ws), 0);

    /* decomposition: profiles recovered, a step stays in the trend,
     * a spike and gaps stay out of it */
    for (size_t i = 0; i < n; i++)
        x[i] = 100 + daily(i) + weekly(i) + 0.5 * gauss() + (i >= 800 ? 30 : 0);
    x[500] += 80;
    x[501] += 60;
    for (size_t i = 300; i < 330; i++)
        x[i] = NAN;
    size_t per[2] = {24, 168};
    hr_dc_decompose(x, n, per, 2, ws, &d);
    double e = 0;
    for (size_t i = 24; i < n - 24; i++)
        if (i < 790 || i > 820)
            e = fmax(e, fabs(s[i] - (daily(i) + weekly(i) - 1.5)));
    CHECK(e < 1.5); /* the weekly profile is centred at its median, 1.5 */
    CHECK_NEAR(t[700], 101.5, 0.02);
    CHECK_NEAR(t[900], 131.5, 0.02);
    CHECK(r[500] > 70);
    CHECK(isnan(r[310]));
    CHECK(isfinite(t[310]));
    /* the deseasonalised series keeps the step sharp; the trend reaches
     * the new level within a week */
    CHECK(fabs(x[790] - s[790] - 101.5) < 2.5);
    CHECK(fabs(x[810] - s[810] - 131.5) < 2.5);
    CHECK(fabs(t[800 + 168] - 131.5) < 0.5);
    /* no periods: the trend is the series itself (block 1), remainder 0 */
    hr_dc_decompose(x, 50, per, 0, ws, &d);
    CHECK_NEAR(t[10], x[10], 1e-12);
    CHECK_NEAR(r[10], 0, 1e-12);
    CHECK_NEAR(s[10], 0, 0);
    /* block medians */
    double y[7] = {1, 9, 3, NAN, NAN, NAN, 5}, out[3];
    CHECK_EQ_INT(hr_dc_block_median(y, 7, 3, out, ws), 3);
    CHECK_NEAR(out[0], 3, 0);
    CHECK(isnan(out[1]));
    CHECK_NEAR(out[2], 5, 0);
    hr_dc_ws_free(ws);
    free(x);
    free(t);
    free(s);
    free(r);
    return check_summary("decompose");
}
