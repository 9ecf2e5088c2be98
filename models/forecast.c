/* forecast.c -- see forecast.h.
 *
 * The model is "level x shape", the usual structure of hourly load data
 * (Taylor 2003, double seasonal exponential smoothing; Bandara, Hyndman &
 * Bergmeir 2021, MSTL). On the log scale when the series is positive and
 * the log stabilises its variance (Guerrero 1993, as R's BoxCox.lambda),
 * else on the raw scale:
 *   z(t) = level(t) + s1(t mod P1) + lambda * s2(t mod P2) + r(t),
 * with the seasonal profiles estimated from the last 4 weeks (daily only)
 * or 8 weeks (with the weekly period) by a classical decomposition: the
 * weekday levels from the daily means (weekly block means as their
 * trend), then the trend = daily means of the adjusted series,
 * interpolated, and the per-phase means of the detrended values, refitted
 * once on values clipped at 3 robust sigmas (a Huber step). The weekly
 * part is shrunk towards 0 by a James-Stein factor lambda: it rests on a
 * few weeks only. The level is forecast from the daily (block) means of
 * the seasonally adjusted series -- the design's "trend on daily
 * aggregates, damped, apart from the intraday shape" -- by naive, drift
 * (non-seasonal series only), SES, ETS(A,Ad,N) (Gardner & McKenzie 1985;
 * Hyndman et al. 2008) or Theta (Assimakopoulos & Nikolopoulos 2000, as
 * SES with drift: Hyndman & Billah 2003), and an AR(1) correction of the
 * last point's distance from the level path decays with h. The seasonal
 * naive forecasts of both periods are candidates too (the floor).
 *
 * Every candidate is refitted at K = 8 rolling origins one period apart
 * (each holdout window starts at the phase of the real forecast; the
 * smoothing parameters come from the earliest origin: Tashman 2000), and
 * the final forecast is the equal-weight mean of the candidates within
 * 10% of the best holdout MAE, at most 5 (combinations beat selection:
 * Makridakis et al. 2020; equal weights: Smith & Wallis 2009).
 * The intervals are conformal-style (Vovk et al. 2005; Stankeviciute et
 * al. 2021): the holdout errors of the whole procedure -- at each origin
 * the combination chosen on the other origins, so the selection's
 * optimism does not shrink them -- are scaled per h by their mean
 * absolute value pooled over h -+ 4 and made non-decreasing (isotonic),
 * and the empirical quantiles of the scaled errors give the bounds. They
 * therefore cover what the seasonal estimate gets wrong too. */
#include "forecast.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KMAX 8           /* rolling origins */
#define KMIN 3           /* fewer than this: no weekly candidates */
#define PROF_DAYS 28     /* profile window, daily-only: cycles of P1 */
#define PROF_WEEKS 8     /* profile window with a second period: cycles of P2 */
#define JCAP 56          /* block means for the level models */
#define JCAP1 600        /* points for the level models without seasonality */
#define AR_BLOCKS 14     /* blocks for the AR(1) coefficient */
#define SCALE_HW 4       /* half-width of the pooling of errors over h */


struct hr_fc_ws {
    size_t max_n, max_h, max_p;
    double *z, *lz, *Dz, *Dlz;      /* filled series, its log, their block means */
    double *T, *u, *A, *bv, *yc, *mad, *Lb;
    double *s1, *s2, *r1, *r2, *q2, *sday; /* profiles */
    double *F;   /* candidate forecasts: [model][origin 0..KMAX][h] */
    double *E;   /* holdout errors of the final forecast [origin][h] */
    double *U;   /* standardised errors, pooled */
    double *sc;  /* per-h scale, weights and isotonic scratch: 4 max_h */
    double *sae; /* holdout absolute error sums and counts [2][model][origin] */
    size_t *iso; /* isotonic block starts: max_h */
    size_t *lseg; /* level path: segment and fraction per h (max_h + 1) */
    double *lfr;
    unsigned char *ok;
};

hr_fc_ws *hr_fc_ws_alloc(size_t max_n, size_t max_h, size_t max_period)
{
    hr_fc_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->max_n = max_n < 4 ? 4 : max_n;
    ws->max_h = max_h < 1 ? 1 : max_h;
    ws->max_p = 7 * (max_period < 2 ? 2 : max_period);
    size_t N = ws->max_n, Hh = ws->max_h, P = ws->max_p;
    ws->z = malloc(N * sizeof(double));
    ws->lz = malloc(N * sizeof(double));
    ws->T = malloc(N * sizeof(double));
    ws->u = malloc(N * sizeof(double));
    ws->A = malloc(N * sizeof(double));
    ws->bv = malloc(2 * N * sizeof(double));
    ws->s1 = malloc(P * sizeof(double));
    ws->s2 = malloc(P * sizeof(double));
    ws->Dz = malloc(N * sizeof(double));
    ws->Dlz = malloc(N * sizeof(double));
    ws->r1 = malloc(P * sizeof(double));
    ws->r2 = malloc(P * sizeof(double));
    ws->q2 = malloc(P * sizeof(double));
    ws->sday = malloc(P * sizeof(double));
    ws->yc = malloc(N * sizeof(double));
    ws->mad = malloc(512 * sizeof(double));
    ws->Lb = malloc((Hh + 3) * sizeof(double));
    ws->F = malloc((size_t)HR_FC_NMODELS * (KMAX + 1) * Hh * sizeof(double));
    ws->E = malloc(KMAX * Hh * sizeof(double));
    ws->U = malloc(KMAX * Hh * sizeof(double));
    ws->sc = malloc(4 * Hh * sizeof(double));
    ws->iso = malloc(Hh * sizeof(size_t));
    ws->lseg = malloc((Hh + 1) * sizeof(size_t));
    ws->lfr = malloc((Hh + 1) * sizeof(double));
    ws->sae = malloc(2 * HR_FC_NMODELS * (KMAX + 1) * sizeof(double));
    ws->ok = malloc(N);
    if (!ws->z || !ws->lz || !ws->T || !ws->u || !ws->A || !ws->bv || !ws->s1 || !ws->s2 || !ws->Dz || !ws->Dlz || !ws->r1 || !ws->r2 || !ws->q2 || !ws->sday || !ws->yc || !ws->mad ||
        !ws->Lb || !ws->F || !ws->E || !ws->U || !ws->sc || !ws->iso || !ws->lseg || !ws->lfr || !ws->sae || !ws->ok) {
        hr_fc_ws_free(ws);
        return NULL;
    }
    return ws;
}

void hr_fc_ws_free(hr_fc_ws *ws)
{
    if (!ws)
        return;
    free(ws->z);
    free(ws->lz);
    free(ws->T);
    free(ws->u);
    free(ws->A);
    free(ws->bv);
    free(ws->s1);
    free(ws->s2);
    free(ws->Dz);
    free(ws->Dlz);
    free(ws->r1);
    free(ws->r2);
    free(ws->q2);
    free(ws->sday);
    free(ws->yc);
    free(ws->mad);
    free(ws->Lb);
    free(ws->F);
    free(ws->E);
    free(ws->U);
    free(ws->sc);
    free(ws->iso);
    free(ws->lseg);
    free(ws->lfr);
    free(ws->sae);
    free(ws->ok);
    free(ws);
}

static const char *const model_names[HR_FC_NMODELS] = {
    "auto",
    "snaive",
    "snaive2",
    "naive/d",
    "drift/d",
    "ses/d",
    "ets-damped/d",
    "theta/d",
    "naive/w",
    "drift/w",
    "ses/w",
    "ets-damped/w",
    "theta/w",
};

const char *hr_fc_model_name(int id)
{
    return id >= 0 && id < HR_FC_NMODELS ? model_names[id] : "?";
}

/* ---- gaps ------------------------------------------------------------- */

/* Mean of z[i] - z[i-P] over the finite pairs with i in [a, b). */
static double seasonal_offset(const double *z, size_t m, size_t P, size_t a, size_t b)
{
    double s = 0;
    size_t c = 0;
    for (size_t i = a; i < b && i < m; i++)
        if (i >= P && isfinite(z[i]) && isfinite(z[i - P])) {
            s += z[i] - z[i - P];
            c++;
        }
    return c ? s / (double)c : NAN;
}

/* Fills the NaN runs of z[0..m) (z[0] finite). With a period P (the
 * longer of P1, P2 that has a full period of history before the gap), a
 * gap takes the values one period earlier shifted by an offset
 * interpolated between the mean seasonal differences just before and
 * just after it (seasonal interpolation); otherwise it is interpolated
 * linearly (held flat at the end). Returns the number of points filled. */
static size_t fill_gaps(double *z, size_t m, size_t P1, size_t P2)
{
    size_t filled = 0;
    for (size_t i = 1; i < m; i++) {
        if (isfinite(z[i]))
            continue;
        size_t g0 = i, g1 = i;
        while (g1 < m && !isfinite(z[g1]))
            g1++;
        filled += g1 - g0;
        size_t P = P2 >= 2 && g0 >= P2 ? P2 : P1;
        if (P >= 2 && g0 >= P) {
            size_t k = P / 4 + 1;
            double oL = seasonal_offset(z, m, P, g0 > k ? g0 - k : 0, g0);
            double oR = g1 < m ? seasonal_offset(z, m, P, g1, g1 + k) : NAN;
            if (!isfinite(oL))
                oL = 0;
            if (!isfinite(oR))
                oR = oL; /* a trailing gap, or no pairs after it: keep the offset */
            for (size_t j = g0; j < g1; j++) {
                double w = (double)(j - g0 + 1) / (double)(g1 - g0 + 1);
                z[j] = z[j - P] + (1 - w) * oL + w * oR;
            }
        } else {
            double left = z[g0 - 1], right = g1 < m ? z[g1] : left;
            for (size_t j = g0; j < g1; j++) {
                double w = (double)(j - g0 + 1) / (double)(g1 - g0 + 1);
                z[j] = (1 - w) * left + w * right;
            }
        }
        i = g1;
    }
    return filled;
}

/* ---- decomposition ------------------------------------------------------ */

/* T[0..W) = the block values bv[0..nb) (blocks of B points from 0) linearly
 * interpolated between block centres, flat beyond the first and last. */
static void interp_trend(const double *bv, size_t nb, size_t B, size_t W, double *T)
{
    size_t h0 = B / 2; /* the first index at or past the first centre (B-1)/2 */
    for (size_t i = 0; i < h0 && i < W; i++)
        T[i] = bv[0];
    if (nb == 1) {
        for (size_t i = h0; i < W; i++)
            T[i] = bv[0];
        return;
    }
    /* segment k runs from centre k to centre k+1: indices h0 + k B + j,
     * j < B, at the fraction (j + h0 - c0) / B, the same in every segment */
    double c0 = 0.5 * (double)(B - 1), ib = 1.0 / (double)B, f0 = ((double)h0 - c0) * ib;
    for (size_t k = 0; k + 1 < nb && h0 + k * B < W; k++) {
        double a = bv[k], d = bv[k + 1] - bv[k], fr = f0;
        double *out = T + h0 + k * B;
        size_t e = h0 + (k + 1) * B <= W ? B : W - h0 - k * B;
        for (size_t j = 0; j < e; j++, fr += ib)
            out[j] = a + d * fr;
    }
    for (size_t i = h0 + (nb - 1) * B; i < W; i++)
        T[i] = bv[nb - 1];
}

typedef struct dfit {
    size_t P1, P2, b, J;
    double lam, rho, alast; /* alast: the last seasonally adjusted value */
} dfit;

/* The fitted seasonal component at indices [a, a+len) into out. */
static void seas_fill(const hr_fc_ws *ws, const dfit *f, size_t a, size_t len, double *out)
{
    if (f->P1 < 2) {
        for (size_t i = 0; i < len; i++)
            out[i] = 0;
        return;
    }
    size_t p1 = a % f->P1;
    for (size_t i = 0; i < len; i++) {
        out[i] = ws->s1[p1];
        if (++p1 == f->P1)
            p1 = 0;
    }
    if (f->P2) {
        size_t p2 = a % f->P2;
        for (size_t i = 0; i < len; i++) {
            out[i] += f->lam * ws->s2[p2];
            if (++p2 == f->P2)
                p2 = 0;
        }
    }
}

/* Profiles of y - T over the window [st, st+W) (W a multiple of the
 * longest period): r1 = per-phase means (period P1, phases counted from
 * st), centred; with P2 (a multiple of P1), r2 = per-phase means of what
 * r1 leaves, centred, and its James-Stein factor lam = 1 - (noise
 * variance of a mean of W/P2 values) / (variance of r2), floored at 0:
 * the weekly profile rests on a few weeks, so it is shrunk by the share
 * of it that is noise. Also writes s1, s2 by absolute phase. */
static void profiles(hr_fc_ws *ws, const double *restrict y, const double *restrict T, size_t st, size_t W,
                     dfit *f)
{
    size_t P1 = f->P1, P2 = f->P2;
    double *restrict r1 = ws->r1, *restrict r2 = ws->r2, *restrict q2 = ws->q2;
    for (size_t q = 0; q < P1; q++)
        r1[q] = 0;
    for (size_t i = 0; i < W; i += P1) {
        const double *yy = y + i, *tt = T + i;
        for (size_t q = 0; q < P1; q++)
            r1[q] += yy[q] - tt[q];
    }
    double c = 0, inv = (double)P1 / (double)W;
    for (size_t q = 0; q < P1; q++)
        c += r1[q] *= inv;
    c /= (double)P1;
    for (size_t q = 0; q < P1; q++)
        r1[q] -= c;
    for (size_t q = 0, p = st % P1; q < P1; q++) {
        ws->s1[p] = r1[q];
        if (++p == P1)
            p = 0;
    }
    f->lam = 0;
    if (!P2)
        return;
    size_t dpw = P2 / P1;
    for (size_t k = 0; k < P2; k++)
        r2[k] = q2[k] = 0;
    for (size_t i = 0; i < W; i += P2)
        for (size_t d = 0; d < dpw; d++) {
            const double *yy = y + i + d * P1, *tt = T + i + d * P1;
            double *acc = r2 + d * P1, *acq = q2 + d * P1;
            for (size_t q = 0; q < P1; q++) {
                double u = yy[q] - tt[q] - r1[q];
                acc[q] += u;
                acq[q] += u * u;
            }
        }
    double cyc = (double)W / (double)P2, sq = 0, m2 = 0, ss = 0;
    for (size_t k = 0; k < P2; k++)
        r2[k] /= cyc;
    for (size_t k = 0; k < P2; k++) {
        sq += r2[k] * r2[k];
        m2 += r2[k];
        ss += q2[k];
    }
    m2 /= (double)P2;
    double R = fmax(ss - cyc * sq, 0.0), V = sq / (double)P2 - m2 * m2;
    double noise = R / (double)(W - P2) / cyc;
    for (size_t k = 0; k < P2; k++)
        r2[k] -= m2;
    f->lam = V > 0 ? fmax(0.0, 1 - noise / V) : 0;
    for (size_t k = 0, p = st % P2; k < P2; k++) {
        ws->s2[p] = r2[k];
        if (++p == P2)
            p = 0;
    }
}

/* u[0..W) = y - T - (r1 + lam r2) over the window (relative phases). */
static void remainder_of(const hr_fc_ws *ws, const dfit *f, const double *restrict y, const double *restrict T,
                      size_t W, double *restrict u)
{
    size_t P1 = f->P1, P2 = f->P2 ? f->P2 : f->P1;
    const double *restrict r1 = ws->r1, *restrict r2 = ws->r2;
    double lam = f->P2 ? f->lam : 0;
    for (size_t i = 0; i < W; i += P2)
        for (size_t d = 0; d < P2 / P1; d++) {
            size_t o = i + d * P1;
            const double *rr = f->P2 ? r2 + d * P1 : r1; /* unused when lam = 0 */
            for (size_t q = 0; q < P1; q++)
                u[o + q] = y[o + q] - T[o + q] - r1[q] - lam * rr[q];
        }
}

/* k-th smallest of v[0..n) (reorders v): Hoare's selection. */
static double select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double piv = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < piv)
                i++;
            while (v[j] > piv)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return v[k];
}

/* The series a decomposition works on: z (raw or log), its means D[j]
 * over the blocks [b0 + j P1, b0 + (j+1) P1) that end at the final origin
 * (shared by every origin, which are whole periods apart). */
typedef struct sview {
    const double *z, *D;
    size_t b0;
} sview;

/* Mean of s2 over the P1 phases of a block starting at index a (phase
 * P1 * k + b0 % P1 mod P2 for k = sday index), times lam: the weekly
 * profile's level for that day. */
static void day_levels(hr_fc_ws *ws, const dfit *f, size_t b0)
{
    size_t dpw = f->P2 / f->P1;
    for (size_t k = 0; k < dpw; k++) {
        double s = 0;
        for (size_t q = 0, p = (b0 % f->P1 + k * f->P1) % f->P2; q < f->P1; q++) {
            s += ws->s2[p];
            if (++p == f->P2)
                p = 0;
        }
        ws->sday[k] = f->lam * s / (double)f->P1;
    }
}
static double day_level(const hr_fc_ws *ws, const dfit *f, size_t b0, size_t j)
{
    return f->P2 ? ws->sday[((b0 + j * f->P1) % f->P2) / f->P1] : 0;
}

/* Seasonal profiles s1 (period P1) and s2 (P2, shrunk by lam) from the
 * last few cycles of z[0..t) -- a classical decomposition in two passes
 * (trend = block means of the longest period, then of P1 on the
 * seasonally adjusted series) and a robust third pass on values clipped
 * to 3 robust sigmas of the remainder (a Huber step: spikes and short
 * incidents do not bend the profile); then the block means A[0..J) of the
 * adjusted series over blocks of P1 ending at t, and the AR(1) remainder
 * correction. P1 < 2: no seasonality, blocks of one point. t must be
 * b0 + a multiple of P1. Returns -1 when the history is too short. */
static int decomp_fit(hr_fc_ws *ws, const sview *sv, size_t t, size_t P1, size_t P2, dfit *f)
{
    const double *z = sv->z, *D = sv->D;
    memset(f, 0, sizeof *f);
    f->P1 = P1;
    f->P2 = P2;
    if (P1 < 2) {
        f->b = 1;
        f->J = t < JCAP1 ? t : JCAP1;
        if (f->J < 2)
            return -1;
        memcpy(ws->A, z + t - f->J, f->J * sizeof *z);
        f->alast = z[t - 1];
        return 0;
    }
    size_t Pl = P2 ? P2 : P1;
    size_t cyc = t / Pl, cap = P2 ? PROF_WEEKS : PROF_DAYS;
    if (cyc > cap)
        cyc = cap;
    if (cyc < 2)
        return -1;
    size_t W = cyc * Pl, st = t - W, nd = W / P1, jd0 = (st - sv->b0) / P1;
    const double *y = z + st, *Dw = D + jd0;
    double *T = ws->T, *u = ws->u, *bv = ws->bv;
    if (P2) {
        /* the weekday levels, from the daily means at daily resolution:
         * the trend of the daily means = weekly block means interpolated
         * (a classical decomposition of the daily series) */
        size_t dpw = P2 / P1;
        double *Tw = bv + nd, *wm = bv + 2 * nd, *wd = ws->sday;
        for (size_t k = 0; k < cyc; k++) {
            double s = 0;
            for (size_t d = 0; d < dpw; d++)
                s += Dw[k * dpw + d];
            wm[k] = s / (double)dpw;
        }
        interp_trend(wm, cyc, dpw, nd, Tw);
        double c = 0;
        for (size_t d = 0; d < dpw; d++) {
            double s = 0;
            for (size_t k = 0; k < cyc; k++)
                s += Dw[k * dpw + d] - Tw[k * dpw + d];
            wd[d] = s / (double)cyc;
            c += wd[d];
        }
        c /= (double)dpw;
        for (size_t j = 0; j < nd; j++)
            bv[j] = Dw[j] - (wd[j % dpw] - c);
        interp_trend(bv, nd, P1, W, T);
    } else
        interp_trend(Dw, nd, P1, W, T);
    profiles(ws, y, T, st, W, f);
    /* robust pass: sigma = 1.4826 MAD of the remainder (on a subsample),
     * the profiles refitted to values clipped at 3 sigma */
    remainder_of(ws, f, y, T, W, u);
    /* AR(1) of the hourly remainder (around the trend) over the last
     * AR_BLOCKS blocks of the window */
    size_t na = W < AR_BLOCKS * P1 ? W : AR_BLOCKS * P1;
    double sxx = u[W - na] * u[W - na], sxy = 0;
    for (size_t i = W - na + 1; i < W; i++) {
        sxx += u[i] * u[i];
        sxy += u[i] * u[i - 1];
    }
    f->rho = sxx > 0 ? fmin(fmax(sxy / sxx, 0.0), 0.98) : 0;
    size_t stride = W / 128 + 1, nm = 0;
    for (size_t i = 0; i < W; i += stride)
        ws->mad[nm++] = fabs(u[i]);
    double sig = 1.4826 * select_kth(ws->mad, nm, nm / 2);
    if (sig > 0) {
        double lim = 3 * sig, *restrict yc = ws->yc, ex = 0;
        for (size_t i = 0; i < W; i++) { /* y - r + clamp(r): min/max, no branches */
            double r = u[i], c = r < lim ? r : lim;
            c = c > -lim ? c : -lim;
            yc[i] = y[i] - r + c;
            ex += fabs(r - c);
        }
        /* refit unless clipping cannot move any profile value by 1% of sigma */
        if (ex * (double)Pl / (double)W > 0.01 * sig)
            profiles(ws, yc, T, st, W, f);
    }
    if (P2)
        day_levels(ws, f, sv->b0);
    /* adjusted block means for the level model: the profile s1 sums to 0
     * over a block, so only the weekly day level is taken off */
    size_t J = (t - sv->b0) / P1;
    if (J > JCAP)
        J = JCAP;
    f->b = P1;
    f->J = J;
    size_t jt = (t - sv->b0) / P1 - J;
    for (size_t j = 0; j < J; j++)
        ws->A[j] = D[jt + j] - day_level(ws, f, sv->b0, jt + j);
    f->alast = z[t - 1] - ws->s1[(t - 1) % P1] - (P2 ? f->lam * ws->s2[(t - 1) % P2] : 0);
    return 0;
}

/* ---- level models on block means -------------------------------------- */

static double ses_run(const double *A, size_t J, double alpha, double *lend)
{
    double l = A[0], sse = 0;
    for (size_t j = 1; j < J; j++) {
        double e = A[j] - l;
        sse += e * e;
        l += alpha * e;
    }
    if (lend)
        *lend = l;
    return sse;
}

/* alpha in [0.01, 1] minimising the one-step SSE: golden section. */
static double ses_alpha(const double *A, size_t J)
{
    const double g = 0.6180339887498949;
    double a = 0.01, b = 1.0, c = b - g * (b - a), d = a + g * (b - a);
    double fc = ses_run(A, J, c, NULL), fd = ses_run(A, J, d, NULL);
    for (int it = 0; it < 20; it++) {
        if (fc <= fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = ses_run(A, J, c, NULL);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = ses_run(A, J, d, NULL);
        }
    }
    return 0.5 * (a + b);
}

static double ols_slope(const double *A, size_t J)
{
    if (J < 2)
        return 0;
    double mx = 0.5 * (double)(J - 1), my = 0, sxy = 0, sxx = 0;
    for (size_t j = 0; j < J; j++)
        my += A[j];
    my /= (double)J;
    for (size_t j = 0; j < J; j++) {
        sxy += ((double)j - mx) * (A[j] - my);
        sxx += ((double)j - mx) * ((double)j - mx);
    }
    return sxy / sxx;
}

/* ETS(A,Ad,N) in error-correction form (Hyndman et al. 2008, table 2.1):
 * e = A - (l + phi b); l += phi b + alpha e; b = phi b + beta e, beta =
 * alpha * bs. Starts from the OLS line through the first few blocks.
 * Returns the one-step SSE. */
static double damped_run(const double *A, size_t J, const double *par, double *lend, double *bend)
{
    size_t k0 = J < 6 ? J : 6;
    double b = ols_slope(A, k0), l = A[0] - b, al = par[0], be = par[0] * par[1], ph = par[2], sse = 0;
    for (size_t j = 0; j < J; j++) {
        double f = l + ph * b, e = A[j] - f;
        sse += e * e;
        l = f + al * e;
        b = ph * b + be * e;
    }
    if (lend) {
        *lend = l;
        *bend = b;
    }
    return sse;
}

/* The SSE of damped_run for 4 parameter sets p[4][3] at once: the four
 * recurrences are independent, so they overlap in the pipeline. */
static void damped_sse4(const double *A, size_t J, const double p[4][3], double *sse)
{
    size_t k0 = J < 6 ? J : 6;
    double b0 = ols_slope(A, k0), l[4], b[4], al[4], be[4], ph[4], s[4];
    for (int i = 0; i < 4; i++) {
        l[i] = A[0] - b0;
        b[i] = b0;
        al[i] = p[i][0];
        be[i] = p[i][0] * p[i][1];
        ph[i] = p[i][2];
        s[i] = 0;
    }
    for (size_t j = 0; j < J; j++)
        for (int i = 0; i < 4; i++) {
            double f = l[i] + ph[i] * b[i], e = A[j] - f;
            s[i] += e * e;
            l[i] = f + al[i] * e;
            b[i] = ph[i] * b[i] + be[i] * e;
        }
    for (int i = 0; i < 4; i++)
        sse[i] = s[i];
}

/* Least-squares parameters of damped_run within R's usual bounds (alpha
 * in [1e-4, 0.9999], beta <= alpha, phi in [0.8, 0.98]): a coarse grid,
 * then a compass search with halving steps (Kolda, Lewis & Torczon 2003).
 * About 60 evaluations, four at a time: the series of block means is
 * short and the optimum flat. */
static void damped_fit(const double *A, size_t J, double *par)
{
    static const double ga[] = {0.1, 0.3, 0.6, 0.9}, gb[] = {0.05, 0.3}, gp[] = {0.8, 0.9, 0.98};
    static const double lo[3] = {1e-4, 0.0, 0.8}, hi[3] = {0.9999, 1.0, 0.98};
    double best = INFINITY, p[8][3], v[8];
    size_t n = 0;
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 2; j++)
            for (size_t k = 0; k < 3; k++) {
                p[n][0] = ga[i];
                p[n][1] = gb[j];
                p[n][2] = gp[k];
                if (++n == 4) {
                    damped_sse4(A, J, (const double(*)[3])p, v);
                    for (size_t q = 0; q < 4; q++)
                        if (v[q] < best) {
                            best = v[q];
                            memcpy(par, p[q], sizeof p[q]);
                        }
                    n = 0;
                }
            }
    double step[3] = {0.1, 0.1, 0.04};
    for (int round = 0; round < 3; round++) {
        for (int it = 0; it < 3; it++) {
            for (int c = 0; c < 3; c++)
                for (int sg = 0; sg < 2; sg++) {
                    double *q = p[c * 2 + sg];
                    memcpy(q, par, sizeof p[0]);
                    q[c] = fmin(fmax(q[c] + (sg ? step[c] : -step[c]), lo[c]), hi[c]);
                }
            memcpy(p[6], par, sizeof p[0]);
            memcpy(p[7], par, sizeof p[0]);
            damped_sse4(A, J, (const double(*)[3])p, v);
            damped_sse4(A, J, (const double(*)[3])(p + 4), v + 4);
            int bi = -1;
            for (int q = 0; q < 6; q++)
                if (v[q] < best) {
                    best = v[q];
                    bi = q;
                }
            if (bi < 0)
                break;
            memcpy(par, p[bi], sizeof p[0]);
        }
        for (int c = 0; c < 3; c++)
            step[c] *= 0.5;
    }
}

/* Level forecasts Lb[1..D] of the block means A[0..J) by level model lv.
 * par: the damped-trend parameters, fitted here when fit != 0; al, l: the
 * SES smoothing parameter and final level (shared by SES and Theta). */
static void level_forecast(const double *A, size_t J, int lv, size_t D, double *par, int fit, double al, double l,
                           double *Lb)
{
    double last = A[J - 1];
    if (J < 3 || lv == HR_FC_LV_NAIVE) {
        for (size_t d = 1; d <= D; d++)
            Lb[d] = last;
        return;
    }
    if (lv == HR_FC_LV_DRIFT) { /* random walk with drift: the mean step */
        double sl = (last - A[0]) / (double)(J - 1);
        for (size_t d = 1; d <= D; d++)
            Lb[d] = last + (double)d * sl;
        return;
    }
    if (lv == HR_FC_LV_SES || lv == HR_FC_LV_THETA) {
        /* Theta = SES with drift half the OLS slope (Hyndman & Billah 2003) */
        double b = lv == HR_FC_LV_THETA ? 0.5 * ols_slope(A, J) : 0;
        double c = (1 - pow(1 - al, (double)J)) / al;
        for (size_t d = 1; d <= D; d++)
            Lb[d] = l + b * ((double)(d - 1) + c);
        return;
    }
    if (fit)
        damped_fit(A, J, par);
    double lv_, b;
    damped_run(A, J, par, &lv_, &b);
    double cum = 0, pw = 1;
    for (size_t d = 1; d <= D; d++) {
        pw *= par[2];
        cum += pw;
        Lb[d] = lv_ + cum * b;
    }
}

/* The level path at steps h = 0..H (h = 0: the last observed point) from
 * block level forecasts Lb[1..D] (block d centred at h = (d-1) b +
 * (b+1)/2): linear between centres, extrapolated before the first. As
 * segment d (from centre d to d+1) and the fraction of it, the same for
 * every candidate and origin. */
static void level_path(size_t b_, size_t H, size_t D, size_t *seg, double *fr)
{
    double b = (double)b_;
    for (size_t h = 0; h <= H; h++) {
        double x = ((double)h - 0.5 * (b + 1)) / b + 1; /* block d at x = d */
        size_t d = x <= 1 ? 1 : (size_t)x;
        if (d >= D)
            d = D - 1;
        seg[h] = d;
        fr[h] = x - (double)d;
    }
}

/* Forecasts out[0..H) from block level forecasts Lb[1..D], the seasonal
 * part base[0..H) (logs: exp of it), and the AR(1) correction rp[h] * c of
 * the last adjusted value's distance c from the level path at h = 0.
 * logs: out = exp(level + AR) * base, with exp taken once per segment of
 * the level path and exactly only while the AR term exceeds 1e-4 (below,
 * a second-order series is exact to 1e-13). */
static void compose(const hr_fc_ws *ws, const dfit *f, size_t H, const double *Lb, int logs, const double *base,
                    const double *rp, double *out)
{
    const size_t *seg = ws->lseg;
    const double *fr = ws->lfr;
    double c = f->alast - (Lb[seg[0]] + (Lb[seg[0] + 1] - Lb[seg[0]]) * fr[0]), el = 0, er = 1;
    for (size_t h = 1; h <= H; h++) {
        size_t d = seg[h];
        double dl = Lb[d + 1] - Lb[d], L = Lb[d] + dl * fr[h], ar = rp[h - 1] * c;
        if (!logs) {
            out[h - 1] = L + ar + base[h - 1];
            continue;
        }
        if (h == 1 || d != seg[h - 1]) {
            el = exp(fmin(L, 700.0));
            er = exp(fmin(dl / (double)f->b, 700.0));
        } else
            el *= er;
        double g = fabs(ar) > 1e-4 ? exp(fmin(ar, 700.0)) : 1 + ar + 0.5 * ar * ar;
        out[h - 1] = el * g * base[h - 1];
    }
}

/* ---- candidates at one origin ------------------------------------------ */

typedef struct setup {
    size_t m, H, P1, P2, K, step, b0;
    int logs; /* the log scale */
    unsigned char use[HR_FC_NMODELS];
    double dpar[2][3]; /* damped-trend parameters per variant (daily, weekly) */
    double alpha[2];   /* SES smoothing parameter per variant */
} setup;

static double *fslot(hr_fc_ws *ws, int c, size_t k)
{
    return ws->F + ((size_t)c * (KMAX + 1) + k) * ws->max_h;
}

/* All candidate forecasts from origin t into slot k. fit: fit the SES and
 * damped-trend parameters (else reuse those in S). */
static void run_origin(hr_fc_ws *ws, setup *S, size_t t, size_t k, int fit)
{
    size_t H = S->H;
    if (S->use[HR_FC_SNAIVE]) {
        double *o = fslot(ws, HR_FC_SNAIVE, k);
        size_t P = S->P1 >= 2 ? S->P1 : 1;
        for (size_t h = 0, p = 0; h < H; h++) {
            o[h] = ws->z[t - P + p];
            if (++p == P)
                p = 0;
        }
    }
    if (S->use[HR_FC_SNAIVE2]) {
        double *o = fslot(ws, HR_FC_SNAIVE2, k);
        for (size_t h = 0, p = 0; h < H; h++) {
            o[h] = ws->z[t - S->P2 + p];
            if (++p == S->P2)
                p = 0;
        }
    }
    double *base = ws->sc + 2 * ws->max_h; /* free until the intervals */
    int logs = S->logs;
    for (int wk = 0; wk < 2; wk++) {
        int v = wk, c0 = HR_FC_DECOMP0 + v * HR_FC_NLEVEL, any = 0;
        for (int lv = 0; lv < HR_FC_NLEVEL; lv++)
            any |= S->use[c0 + lv];
        if (!any)
            continue;
        dfit f;
        sview view = {logs ? ws->lz : ws->z, logs ? ws->Dlz : ws->Dz, S->b0};
        if (decomp_fit(ws, &view, t, S->P1, wk ? S->P2 : 0, &f) != 0)
            continue; /* cannot happen for a used candidate: histories were checked */
        size_t D = (H + f.b - 1) / f.b + 1;
        seas_fill(ws, &f, t, H, base);
        double *rp = base + H, r = 1;
        for (size_t h = 0; h < H; h++) {
            rp[h] = r *= f.rho;
            if (logs)
                base[h] = exp(fmin(base[h], 700.0));
        }
        double l = ws->A[f.J - 1];
        if (f.J >= 3 && (S->use[c0 + HR_FC_LV_SES] || S->use[c0 + HR_FC_LV_THETA])) {
            if (fit)
                S->alpha[v] = ses_alpha(ws->A, f.J);
            ses_run(ws->A, f.J, S->alpha[v], &l);
        }
        double al = S->alpha[v] > 0 ? S->alpha[v] : 1;
        for (int lv = 0; lv < HR_FC_NLEVEL; lv++) {
            if (!S->use[c0 + lv])
                continue;
            level_forecast(ws->A, f.J, lv, D, S->dpar[v], fit, al, l, ws->Lb);
            compose(ws, &f, H, ws->Lb, logs, base, rp, fslot(ws, c0 + lv, k));
        }
    }
}

/* ---- intervals ----------------------------------------------------------- */

/* Pool-adjacent-violators: the non-decreasing fit to y[0..n) with weights
 * w (w = 0: no data; takes its neighbours' value). In place. */
static void isotonic(double *y, double *w, size_t n, double *blkv, double *blkw, size_t *blkn)
{
    size_t nb = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] <= 0)
            continue;
        blkv[nb] = y[i];
        blkw[nb] = w[i];
        blkn[nb] = i;
        nb++;
        while (nb >= 2 && blkv[nb - 2] > blkv[nb - 1]) {
            double ww = blkw[nb - 2] + blkw[nb - 1];
            blkv[nb - 2] = (blkv[nb - 2] * blkw[nb - 2] + blkv[nb - 1] * blkw[nb - 1]) / ww;
            blkw[nb - 2] = ww;
            nb--;
        }
    }
    /* expand: block b covers [blkn[b], blkn[b+1]) */
    for (size_t b = 0; b < nb; b++) {
        size_t e = b + 1 < nb ? blkn[b + 1] : n;
        for (size_t i = (b == 0 ? 0 : blkn[b]); i < e; i++)
            y[i] = blkv[b];
    }
}

/* ---- the scale ------------------------------------------------------------ */

/* Guerrero's (1993) choice between the log and the raw scale (Box-Cox
 * lambda 0 or 1; R's BoxCox.lambda default): over the last 28 blocks of
 * one period, the coefficient of variation of sd_j / mean_j^(1 - lambda)
 * is smaller for the lambda that stabilises the variance. */
static int guerrero_log(const hr_fc_ws *ws, size_t m, size_t b0, size_t P1)
{
    size_t nb = (m - b0) / P1, j0 = nb > 28 ? nb - 28 : 0;
    double a0 = 0, a1 = 0, q0 = 0, q1 = 0, c = (double)(nb - j0);
    for (size_t j = j0; j < nb; j++) {
        double mu = ws->Dz[j], v = 0;
        const double *zz = ws->z + b0 + j * P1;
        for (size_t i = 0; i < P1; i++)
            v += (zz[i] - mu) * (zz[i] - mu);
        double sd = sqrt(v / (double)(P1 - 1)), r = sd / mu;
        a1 += sd;
        q1 += sd * sd;
        a0 += r;
        q0 += r * r;
    }
    a0 /= c;
    a1 /= c;
    if (!(a1 > 0) || !(a0 > 0))
        return 0;
    double cv1 = sqrt(fmax(q1 / c - a1 * a1, 0)) / a1, cv0 = sqrt(fmax(q0 / c - a0 * a0, 0)) / a0;
    return cv0 < cv1;
}

/* ---- combination ------------------------------------------------------------ */

/* The combination rule: the equal-weight mean of the candidates whose
 * holdout MAE is within 10% of the best one, at most 5 of them by rank
 * (forecast combinations beat selection: Makridakis et al. 2020; equal
 * weights beat estimated ones: the "forecast combination puzzle", Smith &
 * Wallis 2009; a trimmed pool keeps out the clearly worse candidates).
 * Without holdout errors: the first used candidate. Writes w, the best
 * candidate in *best, returns the number combined. */
static int combine(const double *mae, const unsigned char *use, double *w, int *best)
{
    int order[HR_FC_NMODELS], no = 0, ncomb = 0;
    for (int c = 0; c < HR_FC_NMODELS; c++) {
        w[c] = 0;
        if (use[c] && isfinite(mae[c])) {
            int j = no++;
            for (; j > 0 && mae[order[j - 1]] > mae[c]; j--)
                order[j] = order[j - 1];
            order[j] = c;
        }
    }
    if (!no) {
        *best = HR_FC_SNAIVE;
        for (int c = HR_FC_NMODELS - 1; c >= 0; c--)
            if (use[c])
                *best = c;
        w[*best] = 1;
        return 1;
    }
    *best = order[0];
    double lim = mae[order[0]] * 1.10 + 1e-12 * (1 + fabs(mae[order[0]]));
    for (int i = 0; i < no && i < 5; i++)
        if (mae[order[i]] <= lim)
            ncomb++;
    for (int i = 0; i < ncomb; i++)
        w[order[i]] = 1.0 / ncomb;
    return ncomb;
}

/* ---- the forecast --------------------------------------------------------- */

static void all_nan(double *mean, double *lo, double *hi, size_t H, size_t nl)
{
    for (size_t h = 0; h < H; h++)
        mean[h] = NAN;
    for (size_t i = 0; i < H * nl; i++)
        lo[i] = hi[i] = NAN;
}

int hr_fc_forecast(const double *x, size_t n, const hr_fc_opts *o, hr_fc_ws *ws, double *mean, double *lo,
                   double *hi, hr_fc_info *info)
{
    size_t H = o->horizon, nl = o->nlevels;
    if (info) {
        memset(info, 0, sizeof *info);
        for (int c = 0; c < HR_FC_NMODELS; c++)
            info->cand_mae[c] = NAN;
        info->holdout_mase = NAN;
    }
    if (H == 0)
        return -1;
    if (H > ws->max_h || nl > HR_FC_MAX_LEVELS || !x) {
        all_nan(mean, lo, hi, H, nl);
        return -1;
    }
    /* ---- periods ---- */
    setup S;
    memset(&S, 0, sizeof S);
    S.H = H;
    size_t P1 = o->np >= 1 ? o->periods[0] : 0, P2 = 0;
    if (P1 < 2 || P1 > ws->max_p / 7)
        P1 = 0;
    if (P1 && o->np >= 2 && o->periods[1] > P1 && o->periods[1] <= ws->max_p)
        P2 = o->periods[1];
    else if (P1 && o->np == 1 && P1 % 24 == 0 && 86400 % P1 == 0 && !o->no_weekly)
        P2 = 7 * P1; /* P1 is a day (at a step of whole seconds): try the week too */
    /* ---- the tail that is used ---- */
    size_t Pl = P2 ? P2 : P1;
    size_t need = KMAX * (P1 ? P1 : 1) + (P1 ? (PROF_WEEKS * Pl > JCAP * P1 ? PROF_WEEKS * Pl : JCAP * P1) : JCAP1);
    size_t use = n < need ? n : need;
    if (use > ws->max_n)
        use = ws->max_n;
    size_t off = n - use;
    while (off < n && !isfinite(x[off]))
        off++;
    if (off == n) {
        all_nan(mean, lo, hi, H, nl);
        return -1;
    }
    size_t m = n - off;
    for (size_t i = 0; i < m; i++) {
        ws->ok[i] = isfinite(x[off + i]) != 0;
        ws->z[i] = ws->ok[i] ? x[off + i] : NAN;
    }
    size_t gaps = fill_gaps(ws->z, m, P1, P2 && m >= 2 * P2 ? P2 : 0);
    int nonneg = 1, pos = 1;
    for (size_t i = 0; i < m; i++) {
        if (ws->ok[i] && ws->z[i] < 0)
            nonneg = 0;
        if (!(ws->z[i] > 0))
            pos = 0;
    }
    if (P1 && m < 2 * P1)
        P1 = 0;
    if (P2 && (!P1 || m < 2 * P2 || P2 % P1))
        P2 = 0;
    if (P1) { /* block means, blocks ending at m */
        S.b0 = m % P1;
        for (size_t j = 0; S.b0 + (j + 1) * P1 <= m; j++) {
            double a = 0;
            for (size_t i = S.b0 + j * P1; i < S.b0 + (j + 1) * P1; i++)
                a += ws->z[i];
            ws->Dz[j] = a / (double)P1;
        }
    }
    S.P1 = P1;
    S.P2 = P2;
    /* the scale: log when positive and variance-stabilising (Guerrero),
     * or as asked */
    if (o->scale == HR_FC_SCALE_AUTO)
        S.logs = pos && P1 && guerrero_log(ws, m, S.b0, P1);
    else
        S.logs = o->scale == HR_FC_SCALE_LOG && pos;
    S.step = P1 ? P1 : (H / 2 ? H / 2 : 1);
    /* ---- candidates and origins ---- */
    for (int pass = 0; pass < 2; pass++) {
        memset(S.use, 0, sizeof S.use);
        S.use[HR_FC_SNAIVE] = 1;
        if (S.P2)
            S.use[HR_FC_SNAIVE2] = 1;
        for (int wk = 0; wk < 1 + (S.P2 != 0); wk++)
            for (int lv = 0; lv < HR_FC_NLEVEL; lv++) /* drift: only without a season */
                S.use[HR_FC_DECOMP0 + wk * HR_FC_NLEVEL + lv] = lv != HR_FC_LV_DRIFT || !S.P1;
        size_t hmin = S.P2 ? 2 * S.P2 : S.P1 ? 2 * S.P1 : 3;
        S.K = m > hmin ? (m - hmin) / S.step : 0;
        if (S.K > KMAX)
            S.K = KMAX;
        if (S.K < KMIN && S.P2 && pass == 0) {
            S.P2 = 0;
            continue;
        }
        break;
    }
    if (S.P1 == 0 && m < 3) { /* too short for any model but the last value */
        memset(S.use, 0, sizeof S.use);
        S.use[HR_FC_SNAIVE] = 1;
    }
    if (o->model > 0 && o->model < HR_FC_NMODELS) {
        /* one forced candidate */
        int c = o->model, ok = c == HR_FC_SNAIVE || (c == HR_FC_SNAIVE2 && S.P2);
        if (c >= HR_FC_DECOMP0)
            ok = (c < HR_FC_DECOMP0 + HR_FC_NLEVEL || S.P2) && (S.P1 || m >= 3);
        if (!ok) /* not available for this series: the naive level, or the seasonal naive */
            c = S.P1 || m >= 3 ? HR_FC_DECOMP0 : HR_FC_SNAIVE;
        memset(S.use, 0, sizeof S.use);
        S.use[c] = 1;
    }
    if (S.logs) {
        for (size_t i = 0; i < m; i++)
            ws->lz[i] = log(ws->z[i]);
        for (size_t j = 0; P1 && S.b0 + (j + 1) * P1 <= m; j++) {
            double a = 0;
            for (size_t i = S.b0 + j * P1; i < S.b0 + (j + 1) * P1; i++)
                a += ws->lz[i];
            ws->Dlz[j] = a / (double)P1;
        }
    }
    /* the earliest holdout origin fits the smoothing parameters that the
     * later origins reuse: no look-ahead in the holdout (Tashman 2000,
     * fixed-parameter rolling origin); the final origin refits them */
    size_t blk = S.P1 ? S.P1 : 1;
    level_path(blk, H, (H + blk - 1) / blk + 1, ws->lseg, ws->lfr);
    for (size_t k = S.K; k >= 1; k--)
        run_origin(ws, &S, m - k * S.step, k, k == S.K);
    run_origin(ws, &S, m, 0, 1);
    /* ---- holdout errors per candidate and origin ---- */
    double mae[HR_FC_NMODELS], w[HR_FC_NMODELS], wk[HR_FC_NMODELS], maek[HR_FC_NMODELS];
    double *sae = ws->sae, *cnt = ws->sae + HR_FC_NMODELS * (KMAX + 1);
    for (int c = 0; c < HR_FC_NMODELS; c++) {
        mae[c] = NAN;
        double st = 0, ct = 0;
        for (size_t k = 1; k <= S.K && S.use[c]; k++) {
            size_t t = m - k * S.step;
            const double *f = fslot(ws, c, k);
            double s = 0, n_ = 0;
            for (size_t h = 0; h < H && t + h < m; h++)
                if (ws->ok[t + h]) {
                    s += fabs(ws->z[t + h] - f[h]);
                    n_ += 1;
                }
            sae[c * (KMAX + 1) + k] = s;
            cnt[c * (KMAX + 1) + k] = n_;
            st += s;
            ct += n_;
        }
        if (ct > 0)
            mae[c] = st / ct;
    }
    int best, ncomb = combine(mae, S.use, w, &best);
    /* ---- final forecast; holdout errors of the procedure ---- */
    for (size_t h = 0; h < H; h++) {
        double v = 0;
        for (int c = 0; c < HR_FC_NMODELS; c++)
            if (w[c] > 0)
                v += w[c] * fslot(ws, c, 0)[h];
        mean[h] = v;
    }
    /* The errors at origin k are those of the combination chosen on the
     * other origins (leave one origin out): the selection is part of the
     * method, so its optimism must not shrink the intervals. */
    size_t N = 0;
    double *sc = ws->sc, *sw = ws->sc + H;
    for (size_t h = 0; h < H; h++)
        sc[h] = sw[h] = 0;
    double fin_abs = 0;
    size_t fin_cnt = 0;
    for (size_t k = 1; k <= S.K; k++) {
        size_t t = m - k * S.step;
        for (int c = 0; c < HR_FC_NMODELS; c++) {
            maek[c] = NAN;
            if (!isfinite(mae[c]))
                continue;
            double st = 0, ct = 0;
            for (size_t j = 1; j <= S.K; j++)
                if (j != k) {
                    st += sae[c * (KMAX + 1) + j];
                    ct += cnt[c * (KMAX + 1) + j];
                }
            maek[c] = ct > 0 ? st / ct : mae[c];
        }
        int bk, na = 0, ac[HR_FC_NMODELS];
        combine(maek, S.use, wk, &bk);
        for (int c = 0; c < HR_FC_NMODELS; c++)
            if (wk[c] > 0)
                ac[na++] = c;
        for (size_t h = 0; h < H; h++) {
            double e = NAN;
            if (t + h < m && ws->ok[t + h]) {
                double v = 0;
                for (int i = 0; i < na; i++)
                    v += wk[ac[i]] * fslot(ws, ac[i], k)[h];
                e = ws->z[t + h] - v;
                sc[h] += fabs(e);
                sw[h] += 1;
                fin_abs += fabs(e);
                fin_cnt++;
            }
            ws->E[(k - 1) * H + h] = e;
        }
    }
    /* ---- intervals ---- */
    /* per-h scale: the mean absolute error over h -+ SCALE_HW (pooling
     * neighbours: each h alone has only K errors, and the isotonic fit of
     * a noisy flat sequence is a staircase, too low at the start), then
     * made non-decreasing by isotonic regression */
    {
        double *ms = ws->sc + 2 * H, *mw = ws->sc + 3 * H;
        for (size_t h = 0; h < H; h++) {
            double a = 0, b = 0;
            for (size_t j = h > SCALE_HW ? h - SCALE_HW : 0; j < H && j <= h + SCALE_HW; j++) {
                a += sc[j];
                b += sw[j];
            }
            ms[h] = b > 0 ? a / b : 0;
            mw[h] = b;
        }
        memcpy(sc, ms, H * sizeof *sc);
        memcpy(sw, mw, H * sizeof *sw);
    }
    isotonic(sc, sw, H, ws->sc + 2 * H, ws->sc + 3 * H, ws->iso);
    double floor_sc = 0;
    for (size_t h = 0; h < H; h++)
        if (sc[h] > floor_sc)
            floor_sc = sc[h];
    floor_sc *= 1e-9;
    for (size_t k = 1; k <= S.K; k++)
        for (size_t h = 0; h < H; h++) {
            double e = ws->E[(k - 1) * H + h];
            if (isfinite(e))
                ws->U[N++] = sc[h] > floor_sc ? e / sc[h] : 0;
        }
    if (N >= 20) {
        for (size_t l = 0; l < nl; l++) {
            double a = 0.5 * (1 - o->levels[l] / 100);
            if (!(a > 0))
                a = 1e-9;
            /* conformal ranks: the ceil((N+1)(1-a))-th smallest and its
             * mirror; past the sample, its extreme stretched by 1/N */
            double rhi = ceil((double)(N + 1) * (1 - a)), rlo = floor((double)(N + 1) * a);
            /* the errors come from K overlapping windows, so the scale is
             * known to about K degrees of freedom, not N: widen by the
             * Student-t / normal quantile ratio for K - 1 of them (the
             * classical predictive interval with an estimated scale) */
            double nu = S.K > 1 ? (double)(S.K - 1) : 1;
            double tf = a < 0.5 ? gsl_cdf_tdist_Pinv(1 - a, nu) / gsl_cdf_ugaussian_Pinv(1 - a) : 1;
            double qh = rhi > (double)N ? select_kth(ws->U, N, N - 1) * (1 + 1.0 / (double)N)
                                        : select_kth(ws->U, N, (size_t)rhi - 1);
            double ql = rlo < 1 ? select_kth(ws->U, N, 0) * (1 + 1.0 / (double)N)
                                : select_kth(ws->U, N, (size_t)rlo - 1);
            qh = fmax(qh, 0) * tf;
            ql = fmin(ql, 0) * tf;
            for (size_t h = 0; h < H; h++) {
                lo[l * H + h] = mean[h] + ql * sc[h];
                hi[l * H + h] = mean[h] + qh * sc[h];
            }
        }
    } else {
        /* too short for a holdout: Gaussian with the spread of the
         * in-sample (seasonal) differences, growing like a random walk
         * over periods (a constant: +-10% of the level, as nothing says
         * how it varies) */
        size_t P = S.P1 ? S.P1 : 1;
        double s2 = 0;
        size_t c = 0;
        for (size_t i = P; i < m; i++)
            if (ws->ok[i] && ws->ok[i - P]) {
                double d = ws->z[i] - ws->z[i - P];
                s2 += d * d;
                c++;
            }
        double sd = c ? sqrt(s2 / (double)c) : 0;
        if (!(sd > 0))
            sd = 0.1 * fabs(mean[0]);
        for (size_t l = 0; l < nl; l++) {
            double p = fmin(fmax(0.5 + o->levels[l] / 200, 0.5), 1 - 1e-12);
            double q = gsl_cdf_ugaussian_Pinv(p);
            for (size_t h = 0; h < H; h++) {
                double g = sqrt((double)(h / P + 1));
                lo[l * H + h] = mean[h] - q * sd * g;
                hi[l * H + h] = mean[h] + q * sd * g;
            }
        }
    }
    if (nonneg)
        for (size_t i = 0; i < nl * H; i++)
            if (lo[i] < 0)
                lo[i] = 0;
    /* ---- info ---- */
    if (info) {
        info->model = best;
        info->ncomb = ncomb;
        for (int c = 0; c < HR_FC_NMODELS; c++) {
            info->weight[c] = w[c];
            info->cand_mae[c] = mae[c];
        }
        info->norigins = S.K;
        info->period2 = S.P2;
        info->gaps = gaps;
        info->log_scale = S.logs;
        size_t P = S.P1 ? S.P1 : 1;
        double s = 0;
        size_t c = 0;
        for (size_t i = P; i < m; i++)
            if (ws->ok[i] && ws->ok[i - P]) {
                s += fabs(ws->z[i] - ws->z[i - P]);
                c++;
            }
        if (fin_cnt && c && s > 0)
            info->holdout_mase = (fin_abs / (double)fin_cnt) / (s / (double)c);
    }
    return 0;
}
