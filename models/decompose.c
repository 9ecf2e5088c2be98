/* decompose.c -- see decompose.h. A median-based relative of STL
 * (Cleveland et al. 1990) and MSTL (Bandara, Hyndman & Bergmeir 2021):
 * the seasonal profiles are fixed per phase rather than locally smoothed,
 * which suits a year of infrastructure metrics with stable daily/weekly
 * shapes and keeps the cost O(n log n) with no tuning. */
#include "decompose.h"

#include <math.h>

#include "robust.h"
#include <stdlib.h>
#include <string.h>

struct hr_dc_ws {
    size_t max_n, max_period;
    double *a, *b, *c, *prof[HR_DC_MAX_PERIODS], *blk;
    size_t *bcnt; /* finite values per block of trend_of's sorted blocks */
    double *pair; /* trend_of's blocks b and b + 1 merged, at 2 b stride */
    size_t *pcnt; /* their counts */
};

hr_dc_ws *hr_dc_ws_alloc(size_t max_n, size_t max_period)
{
    hr_dc_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->max_n = max_n ? max_n : 1;
    ws->max_period = max_period ? max_period : 1;
    ws->a = malloc(ws->max_n * sizeof *ws->a);
    ws->b = malloc(ws->max_n * sizeof *ws->b);
    ws->c = malloc(ws->max_n * sizeof *ws->c);
    /* the centres of trend_of: values and positions, up to n + 1 each */
    ws->blk = malloc((2 * ws->max_n + 4) * sizeof *ws->blk);
    ws->bcnt = malloc(ws->max_n * sizeof *ws->bcnt);
    ws->pair = malloc(2 * ws->max_n * sizeof *ws->pair);
    ws->pcnt = malloc(ws->max_n * sizeof *ws->pcnt);
    for (int k = 0; k < HR_DC_MAX_PERIODS; k++)
        ws->prof[k] = malloc(ws->max_period * sizeof *ws->prof[k]);
    if (!ws->a || !ws->b || !ws->c || !ws->blk || !ws->bcnt || !ws->pair || !ws->pcnt || !ws->prof[0] || !ws->prof[1]) {
        hr_dc_ws_free(ws);
        return NULL;
    }
    return ws;
}

void hr_dc_ws_free(hr_dc_ws *ws)
{
    if (!ws)
        return;
    free(ws->a);
    free(ws->b);
    free(ws->c);
    free(ws->blk);
    free(ws->bcnt);
    free(ws->pair);
    free(ws->pcnt);
    for (int k = 0; k < HR_DC_MAX_PERIODS; k++)
        free(ws->prof[k]);
    free(ws);
}


size_t hr_dc_block_median(const double *x, size_t n, size_t block, double *out, hr_dc_ws *ws)
{
    if (block == 0)
        block = 1;
    size_t nb = (n + block - 1) / block;
    for (size_t b = 0; b < nb; b++) {
        size_t lo = b * block, hi = lo + block < n ? lo + block : n;
        memcpy(ws->c, x + lo, (hi - lo) * sizeof *x);
        out[b] = hr_median_finite(ws->c, hi - lo);
    }
    return nb;
}

/* Trend: running medians of y over windows of `window` points taken every
 * window/parts points, linearly interpolated between window centres; held
 * flat before the first and after the last centre; windows without data
 * are bridged. A window of the longest period keeps every seasonal
 * component out of the trend (MSTL's rule), and the quarter stride lets
 * the trend follow a level shift within about one period. */
static void trend_of(const double *y, size_t n, size_t window, size_t parts, double *trend, hr_dc_ws *ws)
{
    if (window <= 1) {
        memcpy(trend, y, n * sizeof *y);
        return;
    }
    size_t stride = window / parts ? window / parts : 1, half = window / 2;
    size_t nc = 0;
    double *cv = ws->blk;           /* centre values */
    /* centre positions: a window below 8 points (a period of 2 to 7, as
     * --season may force) has stride 1 and so up to n centres, which
     * overran cx when it started at n/2 + 1 */
    double *cx = ws->blk + n + 1;
    /* When the windows are whole blocks of stride points (half a
     * multiple of the stride, as for the quarter stride of an even
     * period), each block is sorted once and a window's median is a
     * selection among its few sorted blocks (robust.h): each point is
     * sorted once instead of selected over in every window holding it.
     * Else (odd windows, disjoint blocks) a selection per window. Both
     * give the same medians. */
    int blocks = stride < window && half % stride == 0 && 2 * half / stride <= HR_BLOCK_MAX;
    size_t nb = blocks ? hr_block_sort(y, n, stride, ws->c, ws->bcnt) : 0;
    /* Windows of four blocks (the quarter stride) are two pairs of
     * adjacent blocks, b0 b0+1 and b0+2 b0+3: each pair is merged once
     * (branch-free) and a window's median is then a binary search in two
     * sorted arrays (robust.h: hr_kth_of_two), where hr_block_median's
     * rounds over four arrays mispredicted about 50 times per window.
     * Pair b sits at 2 b stride: below 2 n, as b + 1 < nb. */
    int pairs = blocks && 2 * half / stride == 4;
    for (size_t b = 0; pairs && b + 1 < nb; b++) {
        hr_merge(ws->c + b * stride, ws->bcnt[b], ws->c + (b + 1) * stride, ws->bcnt[b + 1],
                 ws->pair + 2 * b * stride);
        ws->pcnt[b] = ws->bcnt[b] + ws->bcnt[b + 1];
    }
    for (size_t c = 0;; c += stride) {
        size_t lo = c >= half ? c - half : 0, hi = c + half < n ? c + half : n;
        if (lo >= hi)
            break;
        double m;
        size_t b0 = lo / stride, b1 = (hi + stride - 1) / stride;
        if (pairs && b1 - b0 == 4) {
            const double *p = ws->pair + 2 * b0 * stride, *q = ws->pair + 2 * (b0 + 2) * stride;
            size_t np = ws->pcnt[b0], nq = ws->pcnt[b0 + 2], tot = np + nq, lhs = (tot - 1) / 2;
            m = NAN;
            if (tot) {
                m = hr_kth_of_two(p, np, q, nq, lhs);
                if (lhs != tot / 2) /* as hr_block_median: 0.5 * (a + b) */
                    m = 0.5 * (m + hr_kth_of_two(p, np, q, nq, tot / 2));
            }
        } else if (blocks) {
            m = hr_block_median(ws->c, ws->bcnt, stride, b0, b1);
        } else {
            memcpy(ws->c, y + lo, (hi - lo) * sizeof *y);
            m = hr_median_finite(ws->c, hi - lo);
        }
        if (isfinite(m)) {
            cv[nc] = m;
            cx[nc] = (double)c;
            nc++;
        }
        if (c >= n - 1)
            break;
    }
    if (!nc) {
        for (size_t i = 0; i < n; i++)
            trend[i] = NAN;
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double xi = (double)i;
        while (k + 1 < nc && cx[k + 1] <= xi)
            k++;
        if (xi <= cx[0])
            trend[i] = cv[0];
        else if (k + 1 >= nc)
            trend[i] = cv[nc - 1];
        else {
            double w = (xi - cx[k]) / (cx[k + 1] - cx[k]);
            trend[i] = (1 - w) * cv[k] + w * cv[k + 1];
        }
    }
}

/* profile[p] = median over i = p (mod P) of r[i], centred to median 0 */
static void profile_of(const double *r, size_t n, size_t P, double *prof, hr_dc_ws *ws)
{
    for (size_t p = 0; p < P; p++) {
        size_t m = 0;
        for (size_t i = p; i < n; i += P)
            ws->c[m++] = r[i];
        double v = hr_median_finite(ws->c, m);
        prof[p] = isfinite(v) ? v : 0.0;
    }
    memcpy(ws->c, prof, P * sizeof *prof);
    double c = hr_median_finite(ws->c, P);
    for (size_t p = 0; p < P; p++)
        prof[p] -= c;
}

/* s[i] = 0 plus the profiles of the periods P[0..np) other than skip
 * (np: none skipped) at point i's phase, added in period order: the
 * sums the decomposition has always formed, bit for bit. The phases are
 * counters that wrap, not i % P: a division per point and period, ten
 * per point in all, was a tenth of the decomposition's time. */
static void season_sum(size_t n, const size_t *P, size_t np, double *const *prof, size_t skip, double *s)
{
    size_t ph[HR_DC_MAX_PERIODS] = {0};
    for (size_t i = 0; i < n; i++) {
        double v = 0;
        for (size_t q = 0; q < np; q++) {
            if (q != skip)
                v += prof[q][ph[q]];
            ph[q] = ph[q] + 1 == P[q] ? 0 : ph[q] + 1;
        }
        s[i] = v;
    }
}

void hr_dc_decompose(const double *x, size_t n, const size_t *periods, size_t np, hr_dc_ws *ws,
                     hr_decomp *out)
{
    size_t P[HR_DC_MAX_PERIODS] = {0, 0};
    size_t k = 0;
    for (size_t j = 0; j < np && k < HR_DC_MAX_PERIODS; j++)
        if (periods[j] >= 2 && periods[j] <= ws->max_period && periods[j] * 2 <= n)
            P[k++] = periods[j];
    np = k;
    size_t block = np ? P[np - 1] : 1; /* the trend window: the longest period */
    double *y = ws->a, *r = ws->b;
    for (size_t j = 0; j < np; j++)
        for (size_t p = 0; p < P[j]; p++)
            ws->prof[j][p] = 0;
    /* the trend of the raw series, the profiles against it, the trend of
     * what they leave, the profiles again against that: the trend is the
     * one the final profiles were fitted against, so the remainder is
     * what their medians were taken of (a third trend, of what the final
     * profiles leave, was 6% of the analysis' time and moved no
     * profile: only the remainder and the trend at anomalies) */
    trend_of(x, n, block, 4, out->trend, ws);
    for (int pass = 0; pass < 2 && np; pass++) {
        for (size_t j = 0; j < np; j++) {
            season_sum(n, P, np, ws->prof, j, r); /* the other profile */
            for (size_t i = 0; i < n; i++)
                r[i] = x[i] - out->trend[i] - r[i];
            profile_of(r, n, P[j], ws->prof[j], ws);
        }
        if (pass == 1)
            break;
        season_sum(n, P, np, ws->prof, np, y);
        for (size_t i = 0; i < n; i++)
            y[i] = x[i] - y[i];
        trend_of(y, n, block, 4, out->trend, ws);
    }
    season_sum(n, P, np, ws->prof, np, out->seasonal);
    for (size_t i = 0; i < n; i++)
        out->remainder[i] = isfinite(x[i]) ? x[i] - out->trend[i] - out->seasonal[i] : NAN;
    for (size_t j = 0; j < HR_DC_MAX_PERIODS; j++)
        if (out->profile[j]) {
            if (j < np)
                memcpy(out->profile[j], ws->prof[j], P[j] * sizeof *ws->prof[j]);
        }
}

/* The autocorrelations of z (NaN-aware, mean-removed) at lags L and
 * L / 2, the pair the period test compares: the mean and the variance
 * are the same for both, so they are summed once. */
static void acf_pair(const double *z, size_t n, size_t L, double *at_l, double *at_half)
{
    double s = 0, s2 = 0;
    size_t m = 0;
    *at_l = *at_half = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(z[i])) {
            s += z[i];
            m++;
        }
    if (m < 3)
        return;
    double mu = s / (double)m;
    for (size_t i = 0; i < n; i++)
        if (isfinite(z[i]))
            s2 += (z[i] - mu) * (z[i] - mu);
    /* both lags in one pass (each sum in the order of its own loop) */
    size_t H = L / 2, ml = 0, mh = 0;
    double sl = 0, sh = 0;
    for (size_t i = H; i < n; i++) {
        if (!isfinite(z[i]))
            continue;
        double d = z[i] - mu;
        if (isfinite(z[i - H])) {
            sh += d * (z[i - H] - mu);
            mh++;
        }
        if (i >= L && isfinite(z[i - L])) {
            sl += d * (z[i - L] - mu);
            ml++;
        }
    }
    /* normalise per pair so gaps do not shrink the estimate */
    *at_l = !(s2 > 0) || ml < 2 ? 0 : (sl / (double)ml) / (s2 / (double)m);
    *at_half = !(s2 > 0) || mh < 2 ? 0 : (sh / (double)mh) / (s2 / (double)m);
}

/* z = x minus its rolling level (block medians over P, interpolated),
 * clipped at 5 robust sigmas so incidents do not dominate */
static void detrended(const double *x, size_t n, size_t P, double *z, hr_dc_ws *ws)
{
    trend_of(x, n, P, 1, z, ws); /* blocks: enough for a correlation */
    for (size_t i = 0; i < n; i++)
        z[i] = x[i] - z[i];
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(z[i]))
            ws->c[m++] = fabs(z[i]);
    double s = m ? 1.4826 * hr_median_finite(ws->c, m) : 0;
    /* comparisons, not fmin and fmax: those are calls into libm (their
     * NaN rules keep the compiler from inlining them), two per point */
    double c = 5 * s;
    if (s > 0)
        for (size_t i = 0; i < n; i++)
            if (isfinite(z[i]))
                z[i] = z[i] > c ? c : z[i] < -c ? -c : z[i];
}

size_t hr_dc_detect_periods(const double *x, size_t n, int64_t step_ms, size_t *periods, hr_dc_ws *ws)
{
    const int64_t day = INT64_C(86400000), week = 7 * day;
    size_t np = 0;
    if (step_ms <= 0)
        return 0;
    size_t Pd = day % step_ms == 0 ? (size_t)(day / step_ms) : 0;
    size_t Pw = week % step_ms == 0 ? (size_t)(week / step_ms) : 0;
    double *z = ws->a;
    if (Pd >= 2 && Pd <= ws->max_period && n >= 3 * Pd) {
        detrended(x, n, Pd, z, ws);
        double a, h;
        acf_pair(z, n, Pd, &a, &h);
        if (a >= 0.3 && a > h)
            periods[np++] = Pd;
    }
    if (Pw >= 2 && Pw <= ws->max_period && n >= 3 * Pw) {
        /* the weekly test runs on what the daily profile leaves */
        detrended(x, n, Pw, z, ws);
        if (np) {
            profile_of(z, n, Pd, ws->prof[0], ws);
            for (size_t i = 0, ph = 0; i < n; i++, ph = ph + 1 == Pd ? 0 : ph + 1)
                z[i] -= ws->prof[0][ph]; /* ph = i % Pd */
        }
        double a, h;
        acf_pair(z, n, Pw, &a, &h);
        if (a >= 0.3 && a > h)
            periods[np++] = Pw;
    }
    return np;
}
