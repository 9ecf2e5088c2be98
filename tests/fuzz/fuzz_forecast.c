/* fuzz_forecast.c -- the forecaster on a short hourly series, as `headroom
 * forecast` drives it: hr_run_forecast_all (growth split, periods, the
 * last level shift, then hr_fc_forecast), periods detected or forced as
 * --season gives them (any P >= 2 and a P2 that need not be a multiple),
 * and hr_fc_forecast directly with every candidate model forced.
 * Bytes: [0] horizon, [1] season choice and scale, [2] [3] periods, the
 * rest the values (fuzz_series.h). Oracle (forecast.h): on success no
 * output is NaN, and lo <= hi. */
#include "forecast.h"
#include "fuzz_series.h"
#include "fcrun.h"
#include "series.h"

static const double SCALES[] = {1, 0.001, 1e6, 1e-300, 1e200, 0.5, 37.25, 1e12};

static void check(size_t H, size_t nlev, const double *mean, const double *lo, const double *hi)
{
    for (size_t h = 0; h < H; h++) {
        if (isnan(mean[h]))
            abort();
        for (size_t l = 0; l < nlev; l++)
            if (isnan(lo[l * H + h]) || isnan(hi[l * H + h]) || lo[l * H + h] > hi[l * H + h])
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    static double x[FUZZ_MAX_N];
    size_t H = 1 + data[0] % 48;
    size_t per[2], np;
    switch (data[1] & 3) {
    case 0: np = (size_t)-1; break; /* detected */
    case 1: np = 0; break;          /* --season 0 */
    case 2: np = 1; break;
    default: np = 2; break;
    }
    per[0] = 2 + data[2];
    per[1] = per[0] + data[3] * (data[1] & 4 ? 1 : per[0] / 2 + 1);
    double scale = SCALES[(data[1] >> 3) & 7];
    size_t n = fuzz_series(data + 4, size - 4, scale, x);
    const double levels[2] = {80, 95};
    const size_t nlev = 2;
    static double mean[48], lo[2 * 48], hi[2 * 48];

    hr_seriesset set = {0};
    if (hr_seriesset_add(&set, "load{host=\"a\"}", HR_GAUGE) < 0)
        return 0;
    hr_series *s = &set.s[0];
    s->t0_ms = INT64_C(1717200000000);
    s->step_ms = 3600000;
    s->n = n;
    s->v = malloc((n ? n : 1) * sizeof *s->v);
    if (!s->v) {
        hr_seriesset_clear(&set);
        return 0;
    }
    if (n)
        memcpy(s->v, x, n * sizeof *x);
    double *m[1] = {mean}, *l[1] = {lo}, *u[1] = {hi};
    int rcs[1];
    hr_err err = {0};
    hr_fc_plan plan = {H, {per[0], per[1]}, np};
    hr_fc_why why;
    if (hr_run_forecast_all(&set, &plan, levels, nlev, m, l, u, rcs, &why, &err) == HR_OK && rcs[0] == 0)
        check(H, nlev, mean, lo, hi);
    hr_seriesset_clear(&set);

    /* each candidate forced, on the raw and the log scale */
    size_t maxp = np == (size_t)-1 || np == 0 ? 24 : per[np - 1];
    hr_fc_ws *ws = hr_fc_ws_alloc(n ? n : 1, H, maxp);
    if (!ws)
        return 0;
    hr_fc_opts o;
    memset(&o, 0, sizeof o);
    o.horizon = H;
    o.levels = levels;
    o.nlevels = nlev;
    if (np != (size_t)-1)
        for (size_t k = 0; k < np; k++)
            o.periods[o.np++] = per[k];
    o.no_weekly = data[1] & 4;
    for (int model = 0; model < HR_FC_NMODELS; model++) {
        o.model = model;
        o.scale = model % 3;
        if (hr_fc_forecast(x, n, &o, ws, mean, lo, hi, NULL) == 0)
            check(H, nlev, mean, lo, hi);
        if (!hr_fc_model_name(model))
            abort();
    }
    hr_fc_ws_free(ws);
    return 0;
}
