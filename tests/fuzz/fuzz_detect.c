/* fuzz_detect.c -- the anomaly detector on a short series, as `headroom
 * detect` drives it: hr_run_detect (scores and levels), then hr_det_spans,
 * and a second pass with hr_det_trace on. Bytes: [0] the step of the
 * timestamps (including 0, repeats, and going backwards), [1] the value
 * scale and the threshold, the rest the values (fuzz_series.h).
 * Oracles: every score is in [0,1]; spans lie within the series. */
#include "detect.h"
#include "fuzz_series.h"
#include "run.h"

static const int64_t STEPS[] = {60000, 3600000, 1000, 0, 300000, 86400000, -60000, 1};
static const double SCALES[] = {1, 0.001, 1e6, 1e-300, 1e200, 0.5, 37.25, 1e12};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static double x[FUZZ_MAX_N], score[FUZZ_MAX_N], level[FUZZ_MAX_N];
    static int64_t t[FUZZ_MAX_N];
    static unsigned char fired[FUZZ_MAX_N];
    int64_t step = STEPS[data[0] & 7];
    double scale = SCALES[data[1] & 7];
    double threshold = ((data[1] >> 3) + 1) / 32.0; /* 1/32 .. 1 */
    size_t n = fuzz_series(data + 2, size - 2, scale, x);
    for (size_t i = 0; i < n; i++)
        t[i] = INT64_C(1717200000000) + (int64_t)i * step + ((data[0] & 8) && (i & 3) == 3 ? -7 * step : 0);
    const double *xs[1] = {x};
    const int64_t *ts[1] = {(data[0] & 16) ? NULL : t};
    double *sc[1] = {score}, *lv[1] = {level};
    hr_err err = {0};
    if (hr_run_detect(xs, ts, &n, 1, sc, lv, &err) != HR_OK)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(score[i] >= 0 && score[i] <= 1) || !(level[i] >= 0 && level[i] <= 1))
            abort();
    hr_det_span sp[64];
    size_t ns = hr_det_spans(score, level, x, n, threshold, sp, 64);
    for (size_t k = 0; k < ns && k < 64; k++)
        if (sp[k].start > sp[k].end || sp[k].end >= n || sp[k].peak < sp[k].start || sp[k].peak > sp[k].end)
            abort();
    hr_det_spans(score, NULL, x, n, threshold, NULL, 0);
    hr_det_ws *ws = hr_det_ws_alloc(n);
    if (ws) {
        hr_det_trace(ws, fired);
        hr_det_score(x, ts[0], n, ws, score, NULL);
        for (size_t i = 0; i < n; i++)
            if (fired[i] && (!hr_det_base_name(hr_det_fired_base(fired[i])) ||
                             !hr_det_stat_name(hr_det_fired_stat(fired[i]))))
                abort();
        hr_det_ws_free(ws);
    }
    return 0;
}
