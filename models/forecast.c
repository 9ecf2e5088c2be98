/* forecast.c -- see forecast.h.
 *
 * The model is "level x shape", the usual structure of hourly load data
 * (Taylor 2003, double seasonal exponential smoothing; Bandara, Hyndman &
 * Bergmeir 2021, MSTL): on the raw or the log scale,
 *   z(t) = level(t) + s1(t mod P1) + lambda * s2(t mod P2) + r(t)
 * with the seasonal profiles estimated from the last few weeks (a
 * two-pass classical decomposition: block-mean trend, per-phase means of
 * the detrended values), the weekly part shrunk towards 0 by a
 * James-Stein factor lambda (it rests on only a few weeks), the level
 * forecast on the daily (block) means of the seasonally adjusted series
 * (the design's "trend on daily aggregates, damped, apart from the
 * intraday shape"), and an AR(1) correction for the hourly remainder
 * that decays with h. Level models: naive, SES, ETS(A,Ad,N)
 * (Gardner & McKenzie 1985; Hyndman et al. 2008) and Theta
 * (Assimakopoulos & Nikolopoulos 2000, as SES with drift: Hyndman &
 * Billah 2003). Seasonal naive forecasts of both periods are candidates
 * too (the floor).
 *
 * Every candidate is refitted at K rolling origins spaced one period
 * apart (so each holdout window starts at the same phase as the real
 * forecast), and the candidates are combined by their holdout MAE (Tashman
 * 2000 on rolling origins; combinations: the M4 lessons, Makridakis et
 * al. 2020). The intervals are conformal-style: the final combination's
 * holdout errors, scaled per h by an isotonic (non-decreasing) fit of
 * their mean absolute value, give empirical quantiles (Vovk et al. 2005;
 * Stankeviciute et al. 2021), so they cover what the seasonal estimate
 * gets wrong too. */
#include "forecast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KMAX 10          /* rolling origins */
#include <stdio.h>
static int XK = KMAX, XSCALE = 0; /* EXPERIMENT */
#define KMIN 3           /* fewer than this: no weekly candidates */
#define PROF_DAYS 28     /* profile window, daily-only: cycles of P1 */
#define PROF_WEEKS 8     /* profile window with a second period: cycles of P2 */
#define JCAP 56          /* block means for the level models */
#define JCAP1 600        /* points for the level models without seasonality */
#define AR_BLOCKS 14     /* blocks for the AR(1) coefficient */

struct hr_fc_ws {
    size_t max_n, max_h, max_p;
    double *z, *lz, *Dz, *Dlz;      /* filled series, its log, their block means */
    double *T, *u, *A, *bv, *yc, *mad, *Lb;
    double *s1, *s2, *r1, *r2, *sday; /* profiles */
    double *F;   /* candidate forecasts: [model][origin 0..KMAX][h] */
    double *E;   /* holdout errors of the final forecast [origin][h] */
    double *U;   /* standardised errors, pooled */
    double *sc;  /* per-h scale, weights and isotonic scratch: 4 max_h */
    size_t *iso; /* isotonic block starts: max_h */
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
    ws->bv = malloc(N * sizeof(double));
    ws->s1 = malloc(P * sizeof(double));
    ws->s2 = malloc(P * sizeof(double));
    ws->Dz = malloc(N * sizeof(double));
    ws->Dlz = malloc(N * sizeof(double));
    ws->r1 = malloc(P * sizeof(double));
    ws->r2 = malloc(P * sizeof(double));
    ws->sday = malloc(P * sizeof(double));
    ws->yc = malloc(N * sizeof(double));
    ws->mad = malloc(512 * sizeof(double));
    ws->Lb = malloc((Hh + 3) * sizeof(double));
    ws->F = malloc((size_t)HR_FC_NMODELS * (KMAX + 1) * Hh * sizeof(double));
    ws->E = malloc(KMAX * Hh * sizeof(double));
    ws->U = malloc(KMAX * Hh * sizeof(double));
    ws->sc = malloc(4 * Hh * sizeof(double));
    ws->iso = malloc(Hh * sizeof(size_t));
    ws->ok = malloc(N);
    if (!ws->z || !ws->lz || !ws->T || !ws->u || !ws->A || !ws->bv || !ws->s1 || !ws->s2 || !ws->Dz || !ws->Dlz || !ws->r1 || !ws->r2 || !ws->sday || !ws->yc || !ws->mad ||
        !ws->Lb || !ws->F || !ws->E || !ws->U || !ws->sc || !ws->iso || !ws->ok) {
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
    free(ws->sday);
    free(ws->yc);
    free(ws->mad);
    free(ws->Lb);
    free(ws->F);
    free(ws->E);
    free(ws->U);
    free(ws->sc);
    free(ws->iso);
    free(ws->ok);
    free(ws);
}

static const char *const model_names[HR_FC_NMODELS] = {
    "auto",
    "snaive",
    "snaive2",
    "naive/d",
    "ses/d",
    "ets-damped/d",
    "theta/d",
    "naive/w",
    "ses/w",
    "ets-damped/w",
    "theta/w",
    "naive/d/log",
    "ses/d/log",
    "ets-damped/d/log",
    "theta/d/log",
    "naive/w/log",
    "ses/w/log",
    "ets-damped/w/log",
    "theta/w/log",
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

/* Fills the NaN runs of z[0..m) (z[0] finite). With a period P and a
 * full period of history before the gap, a gap takes the values one
 * period earlier shifted by an offset interpolated between the mean
 * seasonal differences just before and just after it (seasonal
 * interpolation); otherwise it is interpolated linearly (held flat at the
 * end). Returns the number of points filled. */
static size_t fill_gaps(double *z, size_t m, size_t P)
{
    size_t filled = 0;
    for (size_t i = 1; i < m; i++) {
        if (isfinite(z[i]))
            continue;
        size_t g0 = i, g1 = i;
        while (g1 < m && !isfinite(z[g1]))
            g1++;
        filled += g1 - g0;
        if (P >= 2 && g0 >= P) {
            size_t k = P / 4 + 1;
            double oL = seasonal_offset(z, m, P, g0 > k ? g0 - k : 0, g0);
            double oR = g1 < m ? seasonal_offset(z, m, P, g1, g1 + k) : NAN;
            if (!isfinite(oL))
                oL = 0;
            if (!isfinite(oR))
                oR = g1 < m ? oL : 0.5 * oL; /* trailing: half the offset, one point's worth is noisy */
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
    double c0 = 0.5 * (double)(B - 1), ib = 1.0 / (double)B;
    for (size_t k = 0; k + 1 < nb; k++) { /* from centre k to centre k+1 */
        size_t i0 = k == 0 ? h0 : (size_t)ceil(c0 + (double)(k * B)), i1 = (size_t)ceil(c0 + (double)((k + 1) * B));
        double d = bv[k + 1] - bv[k];
        for (size_t i = i0; i < i1 && i < W; i++)
            T[i] = bv[k] + d * (((double)i - c0) * ib - (double)k);
    }
    for (size_t i = (size_t)ceil(c0 + (double)((nb - 1) * B)); i < W; i++)
        T[i] = bv[nb - 1];
}

typedef struct dfit {
    size_t P1, P2, b, J;
    double lam, rho, elast;
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
static void profiles(hr_fc_ws *ws, const double *y, const double *T, size_t st, size_t W, dfit *f)
{
    size_t P1 = f->P1, P2 = f->P2;
    double *r1 = ws->r1, *r2 = ws->r2;
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
    double ss = 0;
    for (size_t k = 0; k < P2; k++)
        r2[k] = 0;
    for (size_t i = 0; i < W; i += P2)
        for (size_t d = 0; d < dpw; d++) {
            const double *yy = y + i + d * P1, *tt = T + i + d * P1;
            double *acc = r2 + d * P1;
            for (size_t q = 0; q < P1; q++) {
                double u = yy[q] - tt[q] - r1[q];
                acc[q] += u;
                ss += u * u;
            }
        }
    double cyc = (double)W / (double)P2, sq = 0, m2 = 0;
    for (size_t k = 0; k < P2; k++) {
        r2[k] /= cyc;
        sq += r2[k] * r2[k];
        m2 += r2[k];
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

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
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
        return 0;
    }
    size_t Pl = P2 ? P2 : P1;
    size_t cyc = t / Pl, cap = P2 ? PROF_WEEKS : PROF_DAYS;
    if (cyc > cap)
        cyc = cap;
    if (cyc < 2)
        return -1;
    size_t W = cyc * Pl, st = t - W, nd = W / P1, jd0 = (st - sv->b0) / P1;
    const double *y = z + st;
    double *T = ws->T, *u = ws->u, *bv = ws->bv;
    if (P2) { /* pass 1: weekly block means */
        size_t dpw = P2 / P1;
        for (size_t k = 0; k < cyc; k++) {
            double s = 0;
            for (size_t d = 0; d < dpw; d++)
                s += D[jd0 + k * dpw + d];
            bv[k] = s / (double)dpw;
        }
        interp_trend(bv, cyc, P2, W, T);
        profiles(ws, y, T, st, W, f);
        /* pass 2: daily means of the seasonally adjusted series */
        day_levels(ws, f, sv->b0);
        for (size_t j = 0; j < nd; j++)
            bv[j] = D[jd0 + j] - day_level(ws, f, sv->b0, jd0 + j);
        interp_trend(bv, nd, P1, W, T);
    } else
        interp_trend(D + jd0, nd, P1, W, T);
    profiles(ws, y, T, st, W, f);
    /* robust pass: sigma = 1.4826 MAD of the remainder (on a subsample) */
    seas_fill(ws, f, st, W, u);
    for (size_t i = 0; i < W; i++)
        u[i] = y[i] - T[i] - u[i];
    size_t stride = W / 256 + 1, nm = 0;
    for (size_t i = 0; i < W; i += stride)
        ws->mad[nm++] = fabs(u[i]);
    double sig = 1.4826 * select_kth(ws->mad, nm, nm / 2);
    if (sig > 0) {
        double lim = 3 * sig, *yc = ws->yc;
        for (size_t i = 0; i < W; i++) {
            double r = u[i];
            yc[i] = y[i] - (r > lim ? r - lim : r < -lim ? r + lim : 0);
        }
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
    /* AR(1) of the hourly remainder around the block means */
    size_t nb = J < AR_BLOCKS ? J : AR_BLOCKS, a = t - nb * P1;
    seas_fill(ws, f, a, nb * P1, u);
    double sxx = 0, sxy = 0, prev = 0, e = 0;
    for (size_t j = 0; j < nb; j++) {
        const double *zz = z + a + j * P1, *ss = u + j * P1;
        double Aj = ws->A[J - nb + j];
        for (size_t i = 0; i < P1; i++) {
            e = zz[i] - ss[i] - Aj;
            sxx += e * e;
            sxy += e * prev;
            prev = e;
        }
    }
    f->rho = sxx > 0 ? fmin(fmax(sxy / sxx, 0.0), 0.98) : 0;
    f->elast = e;
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

/* Least-squares parameters of damped_run within R's usual bounds (alpha
 * in [1e-4, 0.9999], beta <= alpha, phi in [0.8, 0.98]): a coarse grid,
 * then a compass search (halving steps). About 100 evaluations: the
 * series of block means is short, the optimum flat. */
static void damped_fit(const double *A, size_t J, double *par)
{
    static const double ga[] = {0.05, 0.15, 0.3, 0.5, 0.75, 0.95}, gb[] = {0.02, 0.1, 0.3},
                        gp[] = {0.8, 0.9, 0.98};
    static const double lo[3] = {1e-4, 0.0, 0.8}, hi[3] = {0.9999, 1.0, 0.98};
    double best = INFINITY, p[3];
    for (size_t i = 0; i < 6; i++)
        for (size_t j = 0; j < 3; j++)
            for (size_t k = 0; k < 3; k++) {
                p[0] = ga[i];
                p[1] = gb[j];
                p[2] = gp[k];
                double v = damped_run(A, J, p, NULL, NULL);
                if (v < best) {
                    best = v;
                    memcpy(par, p, sizeof p);
                }
            }
    double step[3] = {0.08, 0.08, 0.03};
    for (int round = 0; round < 4; round++) {
        int moved = 1;
        for (int it = 0; it < 4 && moved; it++) {
            moved = 0;
            for (int c = 0; c < 3; c++)
                for (int sgn = -1; sgn <= 1; sgn += 2) {
                    memcpy(p, par, sizeof p);
                    p[c] = fmin(fmax(p[c] + sgn * step[c], lo[c]), hi[c]);
                    double v = damped_run(A, J, p, NULL, NULL);
                    if (v < best) {
                        best = v;
                        memcpy(par, p, sizeof p);
                        moved = 1;
                    }
                }
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

/* Forecasts out[0..H) at origin t from block level forecasts Lb[1..D]
 * (block d centred at h = (d-1) b + (b+1)/2, linearly interpolated between
 * centres) plus base[0..H) (the seasonal part and the AR correction);
 * logs: base holds exp(seasonal + AR) and out = exp(level) * base, the
 * exponential taken once per segment between centres. */
static void compose(size_t b_, size_t H, const double *Lb, size_t D, int logs, const double *base, double *out)
{
    double b = (double)b_, half = 0.5 * (b + 1);
    double seg_el = 0, seg_r = 1;
    size_t seg = (size_t)-1;
    for (size_t h = 1; h <= H; h++) {
        double x = ((double)h - half) / b + 1; /* in block units, block d at x = d */
        size_t d;
        double L, sl;
        if (D < 2) {
            d = 0;
            L = Lb[1];
            sl = 0;
        } else if (x <= 1) {
            d = 0;
            sl = (Lb[2] - Lb[1]) / b;
            L = Lb[1] + (Lb[2] - Lb[1]) * (x - 1);
        } else {
            d = (size_t)x;
            if (d >= D)
                d = D - 1;
            sl = (Lb[d + 1] - Lb[d]) / b;
            L = Lb[d] + (Lb[d + 1] - Lb[d]) * (x - (double)d);
        }
        if (!logs) {
            out[h - 1] = L + base[h - 1];
            continue;
        }
        if (d != seg) {
            seg = d;
            seg_el = exp(fmin(L, 700.0));
            seg_r = exp(fmin(sl, 700.0));
        } else
            seg_el *= seg_r;
        out[h - 1] = seg_el * base[h - 1];
    }
}

/* ---- candidates at one origin ------------------------------------------ */

typedef struct setup {
    size_t m, H, P1, P2, K, step, b0;
    int logok;
    unsigned char use[HR_FC_NMODELS];
    double dpar[4][3]; /* damped-trend parameters per (log, weekly) variant */
} setup;

static double *fslot(hr_fc_ws *ws, int c, size_t k)
{
    return ws->F + ((size_t)c * (KMAX + 1) + k) * ws->max_h;
}

/* All candidate forecasts from origin t into slot k. fit: refit the
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
    for (int logs = 0; logs < 2; logs++)
        for (int wk = 0; wk < 2; wk++) {
            int v = logs * 2 + wk, c0 = HR_FC_DECOMP0 + v * HR_FC_NLEVEL, any = 0;
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
            double rp = 1;
            for (size_t h = 0; h < H; h++) {
                rp *= f.rho;
                base[h] += rp * f.elast;
                if (logs)
                    base[h] = exp(fmin(base[h], 700.0));
            }
            double al = 1, l = ws->A[f.J - 1];
            if (f.J >= 3 && (S->use[c0 + HR_FC_LV_SES] || S->use[c0 + HR_FC_LV_THETA])) {
                al = ses_alpha(ws->A, f.J);
                ses_run(ws->A, f.J, al, &l);
            }
            for (int lv = 0; lv < HR_FC_NLEVEL; lv++) {
                if (!S->use[c0 + lv])
                    continue;
                level_forecast(ws->A, f.J, lv, D, S->dpar[v], fit, al, l, ws->Lb);
                compose(f.b, H, ws->Lb, D, logs, base, fslot(ws, c0 + lv, k));
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

/* ---- the forecast --------------------------------------------------------- */

static void all_nan(double *mean, double *lo, double *hi, size_t H, size_t nl)
{
    for (size_t h = 0; h < H; h++)
        mean[h] = NAN;
    for (size_t i = 0; i < H * nl; i++)
        lo[i] = hi[i] = NAN;
}

static double normal_quantile(double p)
{
    /* Acklam's rational approximation; |rel err| < 1.2e-9 */
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                               1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    if (p <= 0)
        return -1e300;
    if (p >= 1)
        return 1e300;
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - 0.02425)
        return -normal_quantile(1 - p);
    double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

int hr_fc_forecast(const double *x, size_t n, const hr_fc_opts *o, hr_fc_ws *ws, double *mean, double *lo,
                   double *hi, hr_fc_info *info)
{
    size_t H = o->horizon, nl = o->nlevels;
    { static int init; if (!init) { init = 1; if (getenv("XK")) XK = atoi(getenv("XK")); if (getenv("XSCALE")) XSCALE = atoi(getenv("XSCALE")); } }
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
    else if (P1 && o->np == 1 && P1 % 24 == 0 && !o->no_weekly)
        P2 = 7 * P1;
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
    size_t gaps = fill_gaps(ws->z, m, P1);
    int nonneg = 1, pos = 1;
    for (size_t i = 0; i < m; i++) {
        if (ws->ok[i] && ws->z[i] < 0)
            nonneg = 0;
        if (!(ws->z[i] > 0))
            pos = 0;
    }
    if (pos)
        for (size_t i = 0; i < m; i++)
            ws->lz[i] = log(ws->z[i]);
    if (P1 && m < 2 * P1)
        P1 = 0;
    if (P2 && (!P1 || m < 2 * P2 || P2 % P1))
        P2 = 0;
    if (P1) { /* block means, blocks ending at m */
        S.b0 = m % P1;
        for (size_t j = 0; S.b0 + (j + 1) * P1 <= m; j++) {
            double a = 0, b = 0;
            for (size_t i = S.b0 + j * P1; i < S.b0 + (j + 1) * P1; i++) {
                a += ws->z[i];
                b += pos ? ws->lz[i] : 0;
            }
            ws->Dz[j] = a / (double)P1;
            ws->Dlz[j] = b / (double)P1;
        }
    }
    S.P1 = P1;
    S.P2 = P2;
    S.logok = pos;
    if (XSCALE == 1) S.logok = 0;
    if (XSCALE >= 2 && pos) {
        int uselog = 1;
        if (XSCALE == 3 && P1) { /* Guerrero */
            size_t nb = (m - S.b0) / P1, j0 = nb > 28 ? nb - 28 : 0;
            double a0 = 0, a1 = 0, q0 = 0, q1 = 0; size_t c = 0;
            for (size_t j = j0; j < nb; j++) {
                double mu = ws->Dz[j], v = 0;
                for (size_t i = S.b0 + j * P1; i < S.b0 + (j + 1) * P1; i++) v += (ws->z[i] - mu) * (ws->z[i] - mu);
                double sd = sqrt(v / (double)(P1 - 1));
                a1 += sd; q1 += sd * sd; a0 += sd / mu; q0 += (sd / mu) * (sd / mu); c++;
            }
            double cv1 = sqrt(fmax(q1 / c - (a1 / c) * (a1 / c), 0)) / (a1 / c), cv0 = sqrt(fmax(q0 / c - (a0 / c) * (a0 / c), 0)) / (a0 / c);
            uselog = cv0 < cv1;
        }
        S.logok = uselog ? 2 : 0;
    }
    S.step = P1 ? P1 : (H / 2 ? H / 2 : 1);
    /* ---- candidates and origins ---- */
    for (int pass = 0; pass < 2; pass++) {
        memset(S.use, 0, sizeof S.use);
        S.use[HR_FC_SNAIVE] = 1;
        if (S.P2)
            S.use[HR_FC_SNAIVE2] = 1;
        for (int logs = S.logok == 2; logs < 1 + (S.logok != 0); logs++)
            for (int wk = 0; wk < 1 + (S.P2 != 0); wk++)
                for (int lv = 0; lv < HR_FC_NLEVEL; lv++)
                    S.use[HR_FC_DECOMP0 + (logs * 2 + wk) * HR_FC_NLEVEL + lv] = 1;
        size_t hmin = S.P2 ? 2 * S.P2 : S.P1 ? 2 * S.P1 : 3;
        S.K = m > hmin ? (m - hmin) / S.step : 0;
        if (S.K > (size_t)XK)
            S.K = XK;
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
        if (!S.use[o->model]) { /* not available for this series: fall back */
            int fb = S.use[HR_FC_DECOMP0] ? HR_FC_DECOMP0 : HR_FC_SNAIVE;
            memset(S.use, 0, sizeof S.use);
            S.use[fb] = 1;
        } else {
            int keep = o->model;
            memset(S.use, 0, sizeof S.use);
            S.use[keep] = 1;
        }
    }
    /* the earliest holdout origin fits the damped-trend parameters that
     * the later ones reuse (no look-ahead; Tashman 2000's fixed-parameter
     * rolling origin); the final origin refits them */
    for (size_t k = S.K; k >= 1; k--)
        run_origin(ws, &S, m - k * S.step, k, k == S.K);
    run_origin(ws, &S, m, 0, 1);
    /* ---- holdout errors per candidate ---- */
    double mae[HR_FC_NMODELS], w[HR_FC_NMODELS];
    int best = -1;
    for (int c = 0; c < HR_FC_NMODELS; c++) {
        mae[c] = NAN;
        w[c] = 0;
        if (!S.use[c] || S.K == 0)
            continue;
        double s = 0;
        size_t cnt = 0;
        for (size_t k = 1; k <= S.K; k++) {
            size_t t = m - k * S.step;
            const double *f = fslot(ws, c, k);
            for (size_t h = 0; h < H && t + h < m; h++)
                if (ws->ok[t + h]) {
                    s += fabs(ws->z[t + h] - f[h]);
                    cnt++;
                }
        }
        if (cnt) {
            mae[c] = s / (double)cnt;
            if (best < 0 || mae[c] < mae[best])
                best = c;
        }
    }
    /* ---- combination ---- */
    int ncomb = 0;
    if (best < 0) {
        for (int c = 0; c < HR_FC_NMODELS && best < 0; c++)
            if (S.use[c])
                best = c;
        w[best] = 1;
        ncomb = 1;
    } else {
        /* the mean of the candidates whose holdout MAE is within 10% of the
         * best one, at most 5 of them (ranked) */
        int order[HR_FC_NMODELS], no = 0;
        for (int c = 0; c < HR_FC_NMODELS; c++)
            if (isfinite(mae[c]))
                order[no++] = c;
        for (int i = 1; i < no; i++)
            for (int j = i; j > 0 && mae[order[j]] < mae[order[j - 1]]; j--) {
                int tmp = order[j];
                order[j] = order[j - 1];
                order[j - 1] = tmp;
            }
        double lim = mae[best] * 1.10 + 1e-12 * (1 + fabs(mae[best]));
        for (int i = 0; i < no && i < 5; i++)
            if (mae[order[i]] <= lim)
                ncomb++;
        for (int i = 0; i < ncomb; i++)
            w[order[i]] = 1.0 / ncomb;
    }
    /* ---- final forecast and holdout errors of it ---- */
    for (size_t h = 0; h < H; h++) {
        double v = 0;
        for (int c = 0; c < HR_FC_NMODELS; c++)
            if (w[c] > 0)
                v += w[c] * fslot(ws, c, 0)[h];
        mean[h] = v;
    }
    size_t N = 0;
    double *sc = ws->sc, *sw = ws->sc + H;
    for (size_t h = 0; h < H; h++)
        sc[h] = sw[h] = 0;
    double fin_abs = 0;
    size_t fin_cnt = 0;
    for (size_t k = 1; k <= S.K; k++) {
        size_t t = m - k * S.step;
        for (size_t h = 0; h < H; h++) {
            double e = NAN;
            if (t + h < m && ws->ok[t + h]) {
                double v = 0;
                for (int c = 0; c < HR_FC_NMODELS; c++)
                    if (w[c] > 0)
                        v += w[c] * fslot(ws, c, k)[h];
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
    for (size_t h = 0; h < H; h++)
        if (sw[h] > 0)
            sc[h] /= sw[h];
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
        qsort(ws->U, N, sizeof *ws->U, cmp_dbl);
        for (size_t l = 0; l < nl; l++) {
            double a = 0.5 * (1 - o->levels[l] / 100);
            if (!(a > 0))
                a = 1e-9;
            double rhi = ceil((double)(N + 1) * (1 - a)), rlo = floor((double)(N + 1) * a);
            double qh = rhi > (double)N ? ws->U[N - 1] * (1 + 1.0 / (double)N) : ws->U[(size_t)rhi - 1];
            double ql = rlo < 1 ? ws->U[0] * (1 + 1.0 / (double)N) : ws->U[(size_t)rlo - 1];
            qh = fmax(qh, 0);
            ql = fmin(ql, 0);
            for (size_t h = 0; h < H; h++) {
                lo[l * H + h] = mean[h] + ql * sc[h];
                hi[l * H + h] = mean[h] + qh * sc[h];
            }
        }
    } else {
        /* too short for a holdout: Gaussian with the spread of the
         * in-sample (seasonal) differences, growing like a random walk
         * over periods */
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
            double q = normal_quantile(0.5 + o->levels[l] / 200);
            if (!isfinite(q))
                q = 10;
            for (size_t h = 0; h < H; h++) {
                double g = sqrt((double)(h / P + 1)) * (S.P1 ? 1.0 : sqrt((double)(h % P + 1)));
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
