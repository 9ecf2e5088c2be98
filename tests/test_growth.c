/* test_growth.c -- the organic/inorganic split, on its own (models/growth)
 * and through hr_analyze_growth on synthetic hourly series with known
 * growth, steps, spikes, gaps and events. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "analyze.h"
#include "check.h"
#include "growth.h"

#define H INT64_C(3600000)
#define DAY (24 * H)
#define T0 INT64_C(1735689600000) /* 2025-01-01T00:00:00Z */

#define RNG_SEED 4242
#include "rng.h"

/* hourly demand: level * (1+g)^(t/30d) * daily/weekly shape * noise, with
 * multiplicative steps */
static void make(double *v, size_t n, double level, double g30, const size_t *at, const double *pct, size_t ns,
                 double noise)
{
    for (size_t i = 0; i < n; i++) {
        double x = level * pow(1 + g30 / 100, (double)i / 720.0);
        for (size_t k = 0; k < ns; k++)
            if (i >= at[k])
                x *= 1 + pct[k] / 100;
        double hod = (double)(i % 24), dow = (double)((i / 24) % 7);
        x *= 1 + 0.3 * sin(2 * M_PI * (hod - 9) / 24) - (dow >= 5 ? 0.1 : 0);
        v[i] = x * (1 + noise * gauss());
    }
}

int main(void)
{
    gsl_set_error_handler_off(); /* as the program does (engine/main.c) */
    size_t n = 24 * 300;
    double *v = malloc(n * sizeof *v);
    hr_analyze_ws *ws = hr_analyze_ws_alloc(n);
    hr_err err = {0};
    hr_series s = {(char *)"cpu{service=\"a\"}", HR_GAUGE, T0, H, n, v};
    hr_growth_cfg cfg = {0};
    cfg.organic_window_days = 90;
    cfg.inorganic_only = 1; /* as the capacity report uses it */
    cfg.min_step_pct = 3;
    hr_growth_out g;

    /* 1. organic growth only: 3% per 30 days, no steps */
    make(v, n, 100, 3.0, NULL, NULL, 0, 0.02);
    CHECK_EQ_INT(hr_analyze_growth(&s, v, &cfg, ws, &g, &err), HR_OK);
    CHECK_EQ_INT(g.np, 2);
    CHECK_EQ_INT(g.periods[0], 24);
    CHECK_EQ_INT(g.periods[1], 168);
    CHECK(g.log_scale);
    CHECK_NEAR(g.organic_pct_30d, 3.0, 0.1);
    CHECK_EQ_INT(g.nsteps, 0);
    /* the seasonal factors' standard error: remainder sd 0.02 (log), a
     * day's peak sums a daily and a weekly profile value, medians of
     * 7200 / 24 and 7200 / 168 remainders: 1.2533 * 0.02 * sqrt(192 / 7200) */
    CHECK_NEAR(g.peak_factor_se / (1.2533 * 0.02 * sqrt(192.0 / 7200)), 1, 0.2);
    hr_growth_out_clear(&g);

    /* 2. two steps (+25% launch, -15% migration), spikes of hours and a
     * two-day outage of data: steps found within 24 h with their sizes,
     * organic growth unchanged, spikes ignored */
    size_t at[2] = {24 * 100 + 14, 24 * 200 + 3};
    double pct[2] = {25, -15};
    make(v, n, 100, 2.0, at, pct, 2, 0.02);
    for (size_t i = 24 * 60; i < 24 * 60 + 5; i++)
        v[i] *= 3; /* a 5-hour incident */
    v[24 * 150 + 7] *= 0.2;
    for (size_t i = 24 * 250; i < 24 * 252; i++)
        v[i] = NAN;
    CHECK_EQ_INT(hr_analyze_growth(&s, v, &cfg, ws, &g, &err), HR_OK);
    CHECK_EQ_INT(g.nsteps, 2);
    if (g.nsteps == 2) {
        CHECK(llabs((long long)g.steps[0].index - (long long)at[0]) <= 24);
        CHECK(llabs((long long)g.steps[1].index - (long long)at[1]) <= 24);
        CHECK_NEAR(g.steps[0].delta_pct, 25, 0.12);
        CHECK_NEAR(g.steps[1].delta_pct, -15, 0.12);
        CHECK_EQ_INT(g.steps[0].kind, HR_STEP_LEVEL);
        CHECK_EQ_INT(g.steps[0].t_ms, T0 + (int64_t)g.steps[0].index * H);
        CHECK_EQ_INT(g.steps[0].event, -1);
    }
    CHECK_NEAR(g.organic_pct_30d, 2.0, 0.15);
    hr_growth_out_clear(&g);

    /* 3. the same with an events calendar: the launch is attributed (its
     * date within the tolerance, scope by label), the migration is not
     * (scope of another service) */
    hr_event evs[2] = {{.t_ms = T0 + 100 * DAY, .name = (char *)"launch", .scope = (char *)"service=a",
                        .expected_pct = 20, .line = 2},
                       {.t_ms = T0 + 200 * DAY, .name = (char *)"migration", .scope = (char *)"cpu{service=\"b\"}",
                        .expected_pct = NAN, .line = 3}};
    hr_events ev = {evs, 2};
    cfg.events = &ev;
    cfg.tolerance_days = 3;
    CHECK_EQ_INT(hr_analyze_growth(&s, v, &cfg, ws, &g, &err), HR_OK);
    if (g.nsteps == 2) {
        CHECK_EQ_INT(g.steps[0].event, 0);
        CHECK_EQ_INT(g.steps[1].event, -1);
    }
    hr_growth_out_clear(&g);
    cfg.events = NULL;

    /* 4. negative organic growth */
    make(v, n, 100, -2.5, NULL, NULL, 0, 0.02);
    CHECK_EQ_INT(hr_analyze_growth(&s, v, &cfg, ws, &g, &err), HR_OK);
    CHECK_NEAR(g.organic_pct_30d, -2.5, 0.1);
    CHECK_EQ_INT(g.nsteps, 0);
    for (size_t k = 0; k < g.nsteps; k++)
        fprintf(stderr, "growth: step %zu at %zu kind %d pct %g\n", k, g.steps[k].index, g.steps[k].kind, g.steps[k].delta_pct);
    hr_growth_out_clear(&g);

    /* 5. a step in the last days and one in the first days (beyond the
     * minimum segment of 6 days of 300) */
    size_t at2[2] = {24 * 9, n - 24 * 9};
    double pct2[2] = {30, 30};
    make(v, n, 100, 1.0, at2, pct2, 2, 0.02);
    CHECK_EQ_INT(hr_analyze_growth(&s, v, &cfg, ws, &g, &err), HR_OK);
    int first = 0, last = 0;
    for (size_t k = 0; k < g.nsteps; k++) {
        first |= llabs((long long)g.steps[k].index - (long long)at2[0]) <= 24;
        last |= llabs((long long)g.steps[k].index - (long long)at2[1]) <= 24;
    }
    CHECK(first);
    CHECK(last);
    CHECK_NEAR(g.organic_pct_30d, 1.0, 0.35);
    hr_growth_out_clear(&g);
    /* a step at the very first or last point is no step at all: nothing
     * before (or after) it to compare with */
    size_t at3[2] = {1, n - 1};
    make(v, n, 100, 1.0, at3, pct2, 2, 0.02);
    CHECK_EQ_INT(hr_analyze_growth(&s, v, &cfg, ws, &g, &err), HR_OK);
    CHECK_EQ_INT(g.nsteps, 0);
    CHECK_NEAR(g.organic_pct_30d, 1.0, 0.35);
    hr_growth_out_clear(&g);

    /* 6. constant, all-NaN, too short: no steps, no crash */
    for (size_t i = 0; i < n; i++)
        v[i] = 5;
    CHECK_EQ_INT(hr_analyze_growth(&s, v, &cfg, ws, &g, &err), HR_OK);
    CHECK_EQ_INT(g.nsteps, 0);
    CHECK_NEAR(g.organic_pct_30d, 0, 1e-9);
    hr_growth_out_clear(&g);
    for (size_t i = 0; i < n; i++)
        v[i] = NAN;
    CHECK_EQ_INT(hr_analyze_growth(&s, v, &cfg, ws, &g, &err), HR_OK);
    CHECK_EQ_INT(g.nsteps, 0);
    CHECK(isnan(g.organic_pct_30d));
    hr_growth_out_clear(&g);
    hr_series shorts = {(char *)"x", HR_GAUGE, T0, H, 2, v};
    v[0] = 1;
    v[1] = 2;
    CHECK_EQ_INT(hr_analyze_growth(&shorts, v, &cfg, ws, &g, &err), HR_OK);
    CHECK_EQ_INT(g.nsteps, 0);

    /* 7. an annual series (no season; a step detected on the points) */
    double yv[40];
    for (int i = 0; i < 40; i++)
        yv[i] = 50 + (i >= 22 ? 20 : 0) + gauss();
    hr_series ys = {(char *)"gdp", HR_GAUGE, 0, 365 * DAY, 40, yv};
    CHECK_EQ_INT(hr_analyze_growth(&ys, yv, &cfg, ws, &g, &err), HR_OK);
    CHECK_EQ_INT(g.np, 0);
    CHECK_EQ_INT(g.nsteps, 1);
    if (g.nsteps)
        CHECK_EQ_INT(g.steps[0].index, 22);
    hr_growth_out_clear(&g);

    /* models/growth.h pieces: daily medians, organic fit with a step */
    double d[10] = {1, 2, 3, 100, 5, 6, NAN, NAN, NAN, 7}, out[4], scr[64];
    CHECK_EQ_INT(hr_growth_daily(d, 10, 3, out, scr), 4);
    CHECK_NEAR(out[0], 2, 0);
    CHECK_NEAR(out[1], 6, 0);
    CHECK(isnan(out[2]));
    CHECK(isnan(out[3])); /* one point of three: unknown */
    double z[60], gsc[4000];
    for (int i = 0; i < 60; i++)
        z[i] = log(100) + 0.01 * i + (i >= 30 ? log(1.2) : 0);
    hr_gstep st = {30, 30 * 24, HR_STEP_LEVEL, 0, 0, 0};
    hr_growth_measure(z, 60, 1, &st, 1, 14, gsc);
    /* the 7-day medians either side add 7 days of organic growth */
    CHECK_NEAR(st.delta_pct, 100 * (1.2 * exp(0.07) - 1), 1e-9);
    st.log_delta = log(1.2);
    hr_growth gr;
    hr_growth_organic(z, 60, 1, &st, 1, 90, gsc, &gr);
    CHECK_NEAR(gr.rate_pct_30d, 100 * (exp(0.3) - 1), 1e-6);
    CHECK_EQ_INT(gr.fit_days, 60);
    /* a noiseless line: no spread, so the interval is the slope itself */
    CHECK_NEAR(gr.slope_se, 0, 1e-12);
    CHECK_NEAR(gr.slope_lo, 0.01, 1e-12);
    CHECK_NEAR(gr.slope_hi, 0.01, 1e-12);
    CHECK_NEAR(gr.mid_age, 29.5, 1e-12); /* the window's middle day, 29.5 days back */

    /* a year of daily levels (365 > HR_TS_SPAN): the slope from the pairs
     * at least 165 days apart, its standard errors those of a line
     * through independent noise of sd 0.02: slope 0.02 / sqrt(Sxx), Sxx =
     * 365 (365^2 - 1) / 12, and the level at the middle day 0.02 /
     * sqrt(365) (within the noise of a MAD and of r over 365 values);
     * the 80% interval holds the true slope in about 80% of 200 series */
    {
        double zy[365], gy[40000];
        double sxx = 365.0 * (365.0 * 365.0 - 1) / 12, se_th = 0.02 / sqrt(sxx), lse_th = 0.02 / sqrt(365.0);
        int inside = 0;
        double se_sum = 0, lse_sum = 0;
        for (int rep = 0; rep < 200; rep++) {
            for (int i = 0; i < 365; i++)
                zy[i] = log(50) + 0.002 * i + 0.02 * gauss();
            hr_growth_organic(zy, 365, 1, NULL, 0, 365, gy, &gr);
            CHECK_EQ_INT(gr.fit_days, 365);
            inside += gr.slope_lo <= 0.002 && 0.002 <= gr.slope_hi;
            se_sum += gr.slope_se;
            lse_sum += gr.level_se;
        }
        CHECK_NEAR(se_sum / 200 / se_th, 1, 0.15);
        CHECK_NEAR(lse_sum / 200 / lse_th, 1, 0.15);
        CHECK(inside >= 140 && inside <= 180);
        for (int i = 0; i < 365; i++)
            zy[i] = log(50) + 0.002 * i;
        hr_growth_organic(zy, 365, 1, NULL, 0, 365, gy, &gr);
        CHECK_NEAR(gr.slope_per_day, 0.002, 1e-12);
        CHECK_NEAR(gr.mid_age, 182, 1e-12);
    }
    hr_analyze_ws_free(ws);
    free(v);

    /* 6. a yearly season (two and a half years): a December peak of +35%
     * (three weeks wide) and an August lull, growth 2% a month and a +20%
     * launch on day 400. Without the yearly profile the peaks are taken
     * for steps and the last half year's slope for growth (the December
     * ramp); with it the launch alone is found and the rate is right */
    {
        size_t ny = 24 * 900;
        double *y = malloc(ny * sizeof *y);
        hr_analyze_ws *wy = hr_analyze_ws_alloc(ny);
        hr_series sy = {(char *)"cpu{service=\"y\"}", HR_GAUGE, T0, H, ny, y};
        size_t at1[1] = {24 * 400 + 10};
        double pc1[1] = {20};
        make(y, ny, 100, 2.0, at1, pc1, 1, 0.02);
        for (size_t i = 0; i < ny; i++) {
            double doy = fmod((double)(i / 24), 365.2425), dp = doy - 348, dl = doy - 212;
            dp -= 365.2425 * floor(dp / 365.2425 + 0.5);
            dl -= 365.2425 * floor(dl / 365.2425 + 0.5);
            y[i] *= exp(0.3 * (exp(-0.5 * dp * dp / 100) - 0.4 * exp(-0.5 * dl * dl / 900)));
        }
        CHECK_EQ_INT(hr_analyze_growth(&sy, y, &cfg, wy, &g, &err), HR_OK);
        CHECK(g.yearly.found);
        CHECK(abs(g.yearly.peak_doy - 348) <= 3);
        CHECK_NEAR(g.organic_pct_30d, 2.0, 0.05);
        CHECK_EQ_INT(g.nsteps, 1);
        if (g.nsteps == 1) {
            CHECK(llabs((long long)g.steps[0].index - (long long)at1[0]) <= 24);
            CHECK_NEAR(g.steps[0].delta_pct, 20, 0.1);
        }
        hr_growth_out_clear(&g);
        hr_analyze_ws_free(wy);
        free(y);
    }
    return check_summary("growth");
}
