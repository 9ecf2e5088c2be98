/* test_forecast.c -- the short-horizon forecaster against known answers:
 * exact seasonal and trend series, constants, gaps, short and all-NaN
 * series, robustness to a spike, every candidate model, and the empirical
 * coverage of the intervals on simulated series. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "forecast.h"

#define NMAX 2000
#define HMAX 48

#define RNG_SEED 4242
#include "rng.h"

static double daily(size_t i) { return 12 * sin(2 * M_PI * (double)(i % 24) / 24.0) + 3 * cos(4 * M_PI * (double)(i % 24) / 24.0); }
static double weekly(size_t i) { return (i % 168) >= 120 ? -7.5 : 3.0; }

static const double LV[2] = {80, 95};
static double x[NMAX + HMAX], mean[HMAX + 1], lo[2 * HMAX + 2], hi[2 * HMAX + 2]; /* room for H = HMAX + 1 */

static int all_finite(size_t H)
{
    for (size_t h = 0; h < H; h++)
        if (!isfinite(mean[h]) || !isfinite(lo[h]) || !isfinite(hi[h]) || !isfinite(lo[H + h]) ||
            !isfinite(hi[H + h]))
            return 0;
    return 1;
}

/* lo95 <= lo80 <= mean <= hi80 <= hi95 and the spreads never narrow */
static int intervals_ok(size_t H)
{
    for (size_t h = 0; h < H; h++) {
        if (!(lo[H + h] <= lo[h] + 1e-9 && lo[h] <= mean[h] + 1e-9 && mean[h] <= hi[h] + 1e-9 &&
              hi[h] <= hi[H + h] + 1e-9))
            return 0;
        if (h && (hi[H + h] - lo[H + h] < hi[H + h - 1] - lo[H + h - 1] - 1e-9 ||
                  hi[h] - lo[h] < hi[h - 1] - lo[h - 1] - 1e-9))
            return 0;
    }
    return 1;
}

static double max_rel_err(const double *want, size_t H)
{
    double e = 0;
    for (size_t h = 0; h < H; h++)
        e = fmax(e, fabs(mean[h] - want[h]) / fmax(fabs(want[h]), 1e-300));
    return e;
}

int main(void)
{
    hr_fc_ws *ws = hr_fc_ws_alloc(NMAX, HMAX, 24);
    CHECK(ws != NULL);
    hr_fc_ws_free(NULL);
    hr_fc_info info;
    hr_fc_opts o = {{24, 0}, 1, 48, LV, 2, HR_FC_AUTO, HR_FC_SCALE_AUTO, 0};
    size_t n, H = 48;

    /* a pure daily + weekly series is forecast exactly, intervals of width 0 */
    n = 24 * 7 * 5 + 7;
    for (size_t i = 0; i < n + H; i++)
        x[i] = 250.5 + daily(i) + weekly(i);
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    CHECK(max_rel_err(x + n, H) < 1e-9);
    CHECK(all_finite(H));
    CHECK(fabs(hi[H + 47] - lo[H + 47]) < 1e-6);
    CHECK_EQ_INT(info.period2, 168);
    CHECK(info.norigins >= 3);
    CHECK(info.holdout_mase < 1e-9);
    /* the same with the periods given explicitly */
    o.periods[1] = 168;
    o.np = 2;
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    CHECK(max_rel_err(x + n, H) < 1e-9);
    o.np = 1;
    o.periods[1] = 0;
    /* and with the weekly period switched off: only the exact seasonal naive
     * of a week is missing, so the daily models must still be close */
    o.no_weekly = 1;
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    CHECK_EQ_INT(info.period2, 0);
    CHECK(all_finite(H));
    o.no_weekly = 0;

    /* a linear trend without season: extrapolated exactly (drift) */
    hr_fc_opts o0 = {{0, 0}, 0, 24, LV, 2, HR_FC_AUTO, HR_FC_SCALE_AUTO, 0};
    n = 500;
    for (size_t i = 0; i < n + 24; i++)
        x[i] = 100.25 + 0.5 * (double)i;
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o0, ws, mean, lo, hi, &info), 0);
    CHECK(max_rel_err(x + n, 24) < 1e-9);
    CHECK(intervals_ok(24));
    /* a linear trend with a daily season: the damped trend on daily means
     * extrapolates it to within 0.2% over two days */
    n = 24 * 30;
    for (size_t i = 0; i < n + H; i++)
        x[i] = 300 + 0.2 * (double)i + daily(i);
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    CHECK(max_rel_err(x + n, H) < 2e-3);
    CHECK(mean[H - 1] > mean[0] + 5); /* it does rise */

    /* a constant, raw and through the log scale */
    n = 300;
    for (size_t i = 0; i < n; i++)
        x[i] = 42;
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    for (size_t h = 0; h < H; h++) {
        CHECK_NEAR(mean[h], 42, 1e-12);
        CHECK_NEAR(lo[H + h], 42, 1e-12);
        CHECK_NEAR(hi[H + h], 42, 1e-12);
    }
    for (size_t i = 0; i < n; i++)
        x[i] = -3.5;
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    CHECK_NEAR(mean[H - 1], -3.5, 1e-12);
    CHECK_NEAR(lo[H + H - 1], -3.5, 1e-12); /* a negative series is not clipped at 0 */

    /* all NaN: -1, outputs NaN; so is a horizon beyond the workspace */
    n = 100;
    for (size_t i = 0; i < n; i++)
        x[i] = NAN;
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), -1);
    CHECK(isnan(mean[0]) && isnan(lo[0]) && isnan(hi[2 * H - 1]));
    CHECK_EQ_INT(hr_fc_forecast(x, 0, &o, ws, mean, lo, hi, &info), -1);
    x[0] = 1;
    hr_fc_opts big = o;
    big.horizon = HMAX + 1;
    CHECK_EQ_INT(hr_fc_forecast(x, 1, &big, ws, mean, lo, hi, NULL), -1);
    CHECK(isnan(mean[0]));

    /* gaps: scattered NaNs and a gap of 30 points in a pure seasonal
     * series are filled exactly; leading NaNs are skipped */
    n = 24 * 7 * 5;
    size_t ngap = 0;
    for (size_t i = 0; i < n + H; i++)
        x[i] = 80.25 + daily(i) + weekly(i);
    for (size_t i = 0; i < n; i++)
        if (i < 5 || (i > 200 && unif() < 0.1) || (i >= 500 && i < 530)) {
            x[i] = NAN;
            ngap += i >= 5;
        }
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    CHECK_EQ_INT(info.gaps, ngap);
    CHECK(max_rel_err(x + n, H) < 1e-9);
    CHECK(all_finite(H));
    /* trailing NaNs (the last 10 points missing): still close */
    for (size_t i = 0; i < n + H; i++)
        x[i] = 80.25 + daily(i) + weekly(i) + 0.3 * gauss();
    double truth[HMAX];
    memcpy(truth, x + n, H * sizeof *truth);
    for (size_t i = n - 10; i < n; i++)
        x[i] = NAN;
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    CHECK(max_rel_err(truth, H) < 0.05);
    CHECK(all_finite(H) && intervals_ok(H));

    /* short series: shorter than a season, one point, two points */
    n = 10;
    for (size_t i = 0; i < n; i++)
        x[i] = 5 + 0.1 * gauss();
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    CHECK(all_finite(H) && intervals_ok(H));
    CHECK(fabs(mean[0] - 5) < 1);
    CHECK(hi[H + H - 1] - lo[H + H - 1] > 0);
    CHECK_EQ_INT(hr_fc_forecast(x, 1, &o, ws, mean, lo, hi, &info), 0);
    CHECK_NEAR(mean[H - 1], x[0], 1e-12);
    CHECK(all_finite(H));
    CHECK_EQ_INT(hr_fc_forecast(x, 2, &o, ws, mean, lo, hi, &info), 0);
    CHECK(all_finite(H));
    /* between one and two days: seasonal naive and non-seasonal levels */
    n = 40;
    for (size_t i = 0; i < n + H; i++)
        x[i] = 50 + daily(i);
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    CHECK(all_finite(H) && intervals_ok(H));

    /* robustness: one huge spike in the history does not bend the forecast */
    n = 24 * 7 * 4;
    for (size_t i = 0; i < n + H; i++)
        x[i] = 500 + daily(i) + weekly(i) + 0.5 * gauss();
    memcpy(truth, x + n, H * sizeof *truth);
    x[n - 100] = 5000;
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    CHECK(max_rel_err(truth, H) < 0.01);

    /* multiplicative season on a growing level: the log scale */
    n = 24 * 7 * 5;
    for (size_t i = 0; i < n + H; i++)
        x[i] = (100 + 0.05 * (double)i) * exp(0.3 * sin(2 * M_PI * (double)(i % 24) / 24.0) + 0.02 * gauss());
    memcpy(truth, x + n, H * sizeof *truth);
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    CHECK(max_rel_err(truth, H) < 0.08);
    double mape = 0;
    for (size_t h = 0; h < H; h++)
        mape += fabs(mean[h] - truth[h]) / truth[h] / (double)H;
    CHECK(mape < 0.03);
    for (size_t h = 0; h < 2 * H; h++)
        CHECK(lo[h] >= 0); /* non-negative history: lower bounds clipped at 0 */

    /* every candidate can be forced, gives finite output, and has a name;
     * the same input gives the same output (no state kept in ws) */
    n = 24 * 7 * 4 + 11;
    for (size_t i = 0; i < n + H; i++)
        x[i] = 60 + daily(i) + weekly(i) + 0.5 * gauss();
    double first[HMAX];
    for (int c = 0; c < 3 * HR_FC_NMODELS; c++) {
        hr_fc_opts oc = o;
        oc.model = c % HR_FC_NMODELS;
        oc.scale = c / HR_FC_NMODELS; /* auto, raw, log */
        CHECK_EQ_INT(hr_fc_forecast(x, n, &oc, ws, mean, lo, hi, &info), 0);
        CHECK(all_finite(H) && intervals_ok(H));
        /* every candidate, raw or log, daily or weekly, is sane here: the
         * daily-only ones miss the weekly part (up to 10.5), the others not */
        int id = oc.model;
        double tol = id == HR_FC_SNAIVE || (id >= HR_FC_DECOMP0 && id < HR_FC_DECOMP0 + HR_FC_NLEVEL) ? 0.35 : 0.06;
        if (!(max_rel_err(x + n, H) < tol))
            fprintf(stderr, "model %s scale %d: max rel err %.3f\n", hr_fc_model_name(id), oc.scale,
                    max_rel_err(x + n, H));
        CHECK(max_rel_err(x + n, H) < tol);
        CHECK_EQ_INT(info.log_scale, oc.scale == HR_FC_SCALE_LOG || (oc.scale == 0 && info.log_scale));
        CHECK(strcmp(hr_fc_model_name(id), "?") != 0);
        if (c == 0)
            memcpy(first, mean, sizeof first);
    }
    CHECK_EQ_INT(hr_fc_forecast(x, n, &o, ws, mean, lo, hi, &info), 0);
    CHECK(memcmp(first, mean, sizeof first) == 0);
    CHECK_STR(hr_fc_model_name(HR_FC_SNAIVE), "snaive");
    CHECK_STR(hr_fc_model_name(HR_FC_DECOMP0 + HR_FC_NLEVEL + HR_FC_LV_DAMPED), "ets-damped/w");
    CHECK_STR(hr_fc_model_name(HR_FC_DECOMP0 + HR_FC_LV_THETA), "theta/d");
    CHECK_STR(hr_fc_model_name(-1), "?");
    CHECK_STR(hr_fc_model_name(HR_FC_NMODELS), "?");
    double wsum = 0;
    for (int c = 0; c < HR_FC_NMODELS; c++)
        wsum += info.weight[c];
    CHECK_NEAR(wsum, 1, 1e-12);
    CHECK(info.ncomb >= 1 && info.model > 0);

    /* coverage on 200 simulated series: daily season, AR(1) noise, a
     * random-walk level; 48 steps ahead from 600 points */
    size_t cov80 = 0, cov95 = 0, tot = 0, wide_ok = 1;
    for (int s = 0; s < 200; s++) {
        double amp = 5 + 20 * unif(), phi = 0.2 + 0.7 * unif(), sd = 1 + 2 * unif(), e = 0, lvl = 200;
        int mult = s % 2;
        n = 600;
        for (size_t i = 0; i < n + H; i++) {
            e = phi * e + sd * gauss();
            lvl += 0.1 * gauss();
            double v = lvl + amp * sin(2 * M_PI * (double)((i + (size_t)s) % 24) / 24.0) + e;
            x[i] = mult ? 200 * exp((v - 200) / 200) : v;
        }
        if (hr_fc_forecast(x, n, &o, ws, mean, lo, hi, NULL) != 0 || !all_finite(H))
            wide_ok = 0;
        wide_ok &= intervals_ok(H);
        for (size_t h = 0; h < H; h++) {
            double y = x[n + h];
            cov80 += y >= lo[h] && y <= hi[h];
            cov95 += y >= lo[H + h] && y <= hi[H + h];
            tot++;
        }
    }
    double c80 = (double)cov80 / (double)tot, c95 = (double)cov95 / (double)tot;
    CHECK(wide_ok);
    CHECK(c80 >= 0.70 && c80 <= 0.90);
    CHECK(c95 >= 0.88 && c95 <= 0.99);
    printf("forecast: simulated coverage %.3f (80%%), %.3f (95%%)\n", c80, c95);

    hr_fc_ws_free(ws);
    return check_summary("forecast");
}
