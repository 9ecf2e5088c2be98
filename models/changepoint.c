/* changepoint.c -- see changepoint.h.
 *
 * References:
 *  - Killick, Fearnhead & Eckley (2012), "Optimal detection of changepoints
 *    with a linear computational cost", JASA 107: PELT and its pruning rule
 *    F(s) + C(s, t) + K > F(t) (K = 0 for least-squares costs).
 *  - Zhang & Siegmund (2007), Biometrics 63: the modified BIC, whose
 *    3 log(n) per change is the penalty constant used here.
 *  - Wu & Zhao (2007), "Inference of trends in time series", JRSS-B 69:
 *    long-run variance from differences of block means, insensitive to
 *    trends and breaks.
 *  - Rousseeuw & Croux (1993), JASA 88: the MAD, 1.4826 for consistency.
 *  - Truong, Oudre & Vayatis (2020), "Selective review of offline change
 *    point detection methods", Signal Processing 167 (the ruptures
 *    package): PELT over a grid of candidate positions (`jump`).
 *  - van den Burg & Williams (2020), "An evaluation of change point
 *    detection algorithms", arXiv:2003.06222: the TCPD F1 and Cover.
 *
 * The cost of a segment is its residual sum of squares about a least-
 * squares line (or mean), computed in O(1) from prefix sums; the data are
 * standardised (centre = median, unit = point noise) and positions mapped
 * to u = (i - n/2) / n so that the prefix sums stay well conditioned. */
#include "changepoint.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAD_K 1.4826

struct hr_cp_ws {
    double scale, floor;
    size_t cap;
    int mv;
    double pslope;
    double *v, *z, *tmp, *win;           /* finite values, clipped, scratch */
    double *pu, *puu, *pw, *puw, *pww;   /* prefix sums, m + 1 each */
    double *pu3, *pu4, *puuw;            /* for the quadratic alternative */
    double *F;                           /* optimal cost per node */
    size_t *pos, *last, *npos, *R, *cps; /* positions, PELT state, breaks */
};

hr_cp_ws *hr_cp_ws_alloc(size_t max_n)
{
    hr_cp_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    size_t k = max_n + 2;
    ws->cap = max_n;
    double **d[] = {&ws->v, &ws->z, &ws->tmp, &ws->win, &ws->pu, &ws->puu,
                    &ws->pw, &ws->puw, &ws->pww, &ws->F, &ws->pu3, &ws->pu4, &ws->puuw};
    size_t **s[] = {&ws->pos, &ws->last, &ws->npos, &ws->R, &ws->cps};
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if (!(*d[i] = malloc(k * sizeof(double)))) {
            hr_cp_ws_free(ws);
            return NULL;
        }
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (!(*s[i] = malloc(k * sizeof(size_t)))) {
            hr_cp_ws_free(ws);
            return NULL;
        }
    return ws;
}

void hr_cp_ws_free(hr_cp_ws *ws)
{
    if (!ws)
        return;
    free(ws->v);
    free(ws->z);
    free(ws->tmp);
    free(ws->win);
    free(ws->pu);
    free(ws->puu);
    free(ws->pw);
    free(ws->puw);
    free(ws->pww);
    free(ws->pu3);
    free(ws->pu4);
    free(ws->puuw);
    free(ws->F);
    free(ws->pos);
    free(ws->last);
    free(ws->npos);
    free(ws->R);
    free(ws->cps);
    free(ws);
}

/* ---- robust scales ------------------------------------------------------ */

/* Median of a[0..k-1] (k >= 1); reorders a. */
static double median(double *a, size_t k)
{
    return gsl_stats_median(a, 1, k);
}

/* Robust standard deviation of a[0..k-1] about its median: the MAD times
 * 1.4826; when more than half the values tie (MAD 0, e.g. a noise-free or
 * quantised series) the mean absolute deviation times sqrt(pi/2), which is
 * also consistent for normal data. Reorders a. */
static double robust_sd(double *a, size_t k)
{
    if (k == 0)
        return 0;
    double med = median(a, k);
    double sum = 0;
    for (size_t i = 0; i < k; i++) {
        a[i] = fabs(a[i] - med);
        sum += a[i];
    }
    double mad = median(a, k);
    if (mad > 0)
        return MAD_K * mad;
    return sqrt(M_PI / 2) * sum / (double)k;
}

/* ---- costs ---------------------------------------------------------------- */

typedef struct seg_fit {
    double k, ubar, wbar, suu, slope; /* points, means, centred sum of u^2, slope */
} seg_fit;

static seg_fit fit_of(const hr_cp_ws *ws, size_t s, size_t t, int linear)
{
    seg_fit f;
    f.k = (double)(t - s);
    double su = ws->pu[t] - ws->pu[s], sw = ws->pw[t] - ws->pw[s];
    f.ubar = su / f.k;
    f.wbar = sw / f.k;
    f.suu = (ws->puu[t] - ws->puu[s]) - su * f.ubar;
    double suw = (ws->puw[t] - ws->puw[s]) - su * f.wbar;
    f.slope = linear && f.suu > 0 ? suw / f.suu : 0;
    return f;
}

/* Residual sum of squares of points s..t-1 about their least-squares line
 * (linear) or mean; 0 for fewer than 2 points. */
static double lik(const hr_cp_ws *ws, double c, double k)
{
    if (!(c > 0))
        return 0;
    double f = ws->floor;
    if (ws->mv && c > k * f)
        return k * log(c / (k * f)) + k;
    return c / f;
}

static double cost(const hr_cp_ws *ws, size_t s, size_t t, int linear)
{
    if (t <= s + 1)
        return 0;
    double k = (double)(t - s);
    double sw = ws->pw[t] - ws->pw[s];
    double c = (ws->pww[t] - ws->pww[s]) - sw * sw / k;
    if (linear) {
        double su = ws->pu[t] - ws->pu[s];
        double suu = (ws->puu[t] - ws->puu[s]) - su * su / k;
        double suw = (ws->puw[t] - ws->puw[s]) - su * sw / k;
        double cl = suu > 0 ? c - suw * suw / suu : c;
        if (ws->pslope > 0)
            return fmin(lik(ws, c, k), lik(ws, cl, k) + ws->pslope);
        c = cl;
    }
    return lik(ws, c, k);
}

/* Cost of points s..t-1 about their least-squares parabola: the smooth
 * alternative to a break between two lines. */
static double cost_quad(const hr_cp_ws *ws, size_t s, size_t t)
{
    double k = (double)(t - s);
    if (t < s + 4)
        return 0;
    double s1 = ws->pu[t] - ws->pu[s], s2 = ws->puu[t] - ws->puu[s];
    double s3 = ws->pu3[t] - ws->pu3[s], s4 = ws->pu4[t] - ws->pu4[s];
    double t0 = ws->pw[t] - ws->pw[s], t1 = ws->puw[t] - ws->puw[s];
    double t2 = ws->puuw[t] - ws->puuw[s], ww = ws->pww[t] - ws->pww[s];
    double ub = s1 / k, u2 = ub * ub;
    /* central moments of u and cross moments with w */
    double d2 = s2 - s1 * ub;
    double d3 = s3 - 3 * ub * s2 + 3 * u2 * s1 - k * u2 * ub;
    double d4 = s4 - 4 * ub * s3 + 6 * u2 * s2 - 4 * u2 * ub * s1 + k * u2 * u2;
    double dw = t1 - ub * t0, d2w = t2 - 2 * ub * t1 + u2 * t0;
    double c = ww - t0 * t0 / k;
    if (!(d2 > 0))
        return c > 0 ? c : 0;
    c -= dw * dw / d2;
    /* the part of d^2 orthogonal to 1 and d */
    double qq = d4 - d2 * d2 / k - d3 * d3 / d2;
    double qw = d2w - d2 / k * t0 - d3 / d2 * dw;
    if (qq > 1e-9 * d4)
        c -= qw * qw / qq;
    return lik(ws, c, k);
}

/* ---- the detector ----------------------------------------------------------- */

static void opts_resolve(const hr_cp_opts *in, hr_cp_opts *o)
{
    memset(o, 0, sizeof *o);
    if (in)
        *o = *in;
    if (o->model != HR_CP_MEAN)
        o->model = HR_CP_LINEAR;
    if (!(o->penalty > 0))
        o->penalty = 3.0;
    if (o->min_seg_floor == 0)
        o->min_seg_floor = 5;
    if (!(o->min_seg_frac > 0))
        o->min_seg_frac = 0.02;
    if (o->spike_len == 0)
        o->spike_len = 6;
    if (!(o->clip_k > 0))
        o->clip_k = 3.0;
}

/* Running median of v over [j - h, j + h] (clipped at the ends) into out. */
static void running_median(const double *v, size_t m, size_t h, double *win, double *out)
{
    for (size_t j = 0; j < m; j++) {
        size_t lo = j > h ? j - h : 0, hi = j + h < m ? j + h : m - 1;
        size_t k = hi - lo + 1;
        memcpy(win, v + lo, k * sizeof *win);
        out[j] = median(win, k);
    }
}

/* Long-run standard deviation of w (already clipped) from overlapping
 * blocks of b points (Wu & Zhao 2007, made robust with the MAD): second
 * differences of block means for the linear model, first differences for
 * the mean model, so that a trend (resp. a level) cancels and a break
 * spoils only the few differences that straddle it. In units of w. */
static double longrun_sd(const hr_cp_ws *ws, size_t m, size_t b, int linear, double *tmp)
{
    size_t span = (linear ? 3 : 2) * b;
    if (b < 1 || m < span + 8)
        return 0;
    const double *pw = ws->pw;
    size_t k = 0;
    double bb = (double)b;
    for (size_t j = 0; j + span <= m; j++) {
        double m0 = (pw[j + b] - pw[j]) / bb, m1 = (pw[j + 2 * b] - pw[j + b]) / bb;
        if (linear) {
            double m2 = (pw[j + 3 * b] - pw[j + 2 * b]) / bb;
            tmp[k++] = m2 - 2 * m1 + m0;
        } else {
            tmp[k++] = m1 - m0;
        }
    }
    if (getenv("LOCAL")) {
        /* standardise each difference by the point noise of its block */
        size_t W = 4 * span > 24 ? 4 * span : 24;
        double *sc = ws->win; /* scale per block, m / W + 1 entries */
        const double *z = ws->z;
        size_t nb = 0;
        for (size_t q = 0; q < m; q += W, nb++) {
            size_t e = q + W < m ? q + W : m, c = 0;
            double *t2 = ws->F; /* free until PELT */
            for (size_t i = q + 1; i + 1 < e; i++)
                t2[c++] = linear ? z[i + 1] - 2 * z[i] + z[i - 1] : z[i + 1] - z[i];
            sc[nb] = c >= 3 ? robust_sd(t2, c) / sqrt(linear ? 6.0 : 2.0) / ws->scale : 0;
        }
        size_t k2 = 0;
        for (size_t j = 0; j < k; j++) {
            size_t q = (j + span / 2) / W;
            if (q >= nb) q = nb - 1;
            if (sc[q] > 0)
                tmp[k2++] = tmp[j] / sc[q];
        }
        k = k2;
    }
    double sd = robust_sd(tmp, k);
    return sd * sqrt(bb / (linear ? 6.0 : 2.0));
}

long hr_cp_detect(const double *x, size_t n, const hr_cp_opts *opts, hr_cp_ws *ws, hr_cp *out,
                  size_t cap, hr_cp_info *info)
{
    hr_cp_opts o;
    opts_resolve(opts, &o);
    int linear = o.model == HR_CP_LINEAR;
    if (info)
        memset(info, 0, sizeof *info);
    if (n == 0)
        return 0;
    if (!x || !ws || n > ws->cap)
        return -1;

    /* the finite points, in order, with their positions */
    size_t m = 0;
    double vmax = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i])) {
            ws->v[m] = x[i];
            ws->pos[m++] = i;
            vmax = fmax(vmax, fabs(x[i]));
        }
    size_t L = o.min_seg;
    if (L == 0) {
        double f = ceil(o.min_seg_frac * (double)n);
        L = f > (double)o.min_seg_floor ? (size_t)f : o.min_seg_floor;
    }
    if (L < (linear ? 3u : 2u))
        L = linear ? 3 : 2;
    if (info) {
        info->used = m;
        info->min_seg = L;
    }
    if (m < 2 * L)
        return 0;

    /* point noise from second (first) differences: a trend (level)
     * cancels, a break or spike spoils two or three of them */
    const double *v = ws->v;
    double *tmp = ws->tmp;
    size_t k = 0;
    for (size_t j = 1; j + 1 < m; j++)
        tmp[k++] = linear ? v[j + 1] - 2 * v[j] + v[j - 1] : v[j + 1] - v[j];
    if (!linear)
        tmp[k++] = v[1] - v[0];
    double sig_w = robust_sd(tmp, k) / sqrt(linear ? 6.0 : 2.0);
    if (!(sig_w > 1e-12 * vmax) || !isfinite(sig_w))
        return 0; /* constant, or a straight line with no break */

    /* spikes: winsorise at clip_k robust sigmas of the residual about a
     * running median of 2h + 1 points, which follows steps and lines but
     * not bursts of h points or fewer */
    double *z = ws->z;
    size_t h = o.spike_len < L - 1 ? o.spike_len : L - 1;
    if (h >= 1) {
        running_median(v, m, h, ws->win, z); /* z = running median for now */
        size_t B = 4 * h + 2;
        if (getenv("BMUL")) B = (size_t)atoi(getenv("BMUL")) * (2 * h + 1);
        if (getenv("GLOBAL")) B = m;
        for (size_t q = 0; q < m; q += B) {
            size_t e = q + B <= m ? q + B : m;
            if (m - e < B / 2)
                e = m; /* no short last block */
            for (size_t j = q; j < e; j++)
                tmp[j - q] = v[j] - z[j];
            double lim = o.clip_k * robust_sd(tmp, e - q);
            for (size_t j = q; j < e; j++) {
                double r = v[j] - z[j];
                if (getenv("CLIPMODE")) z[j] += r > lim ? lim : r < -lim ? -lim : r;
                else if (fabs(r) <= lim) z[j] = v[j];
            }
            q = e - B; /* so that q += B lands on e */
        }
    } else {
        memcpy(z, v, m * sizeof *z);
    }

    ws->mv = getenv("MV") != NULL;
    /* standardise and build the prefix sums */
    memcpy(tmp, v, m * sizeof *tmp);
    double centre = median(tmp, m), scale = sig_w;
    ws->scale = scale;
    double dn = (double)n;
    ws->pu[0] = ws->puu[0] = ws->pw[0] = ws->puw[0] = ws->pww[0] = 0;
    ws->pu3[0] = ws->pu4[0] = ws->puuw[0] = 0;
    for (size_t j = 0; j < m; j++) {
        double u = ((double)ws->pos[j] - dn / 2) / dn, w = (z[j] - centre) / scale;
        ws->pu[j + 1] = ws->pu[j] + u;
        ws->puu[j + 1] = ws->puu[j] + u * u;
        ws->pw[j + 1] = ws->pw[j] + w;
        ws->puw[j + 1] = ws->puw[j] + u * w;
        ws->pww[j + 1] = ws->pww[j] + w * w;
        ws->pu3[j + 1] = ws->pu3[j] + u * u * u;
        ws->pu4[j + 1] = ws->pu4[j] + u * u * u * u;
        ws->puuw[j + 1] = ws->puuw[j] + u * u * w;
    }

    /* the penalty's noise scale: the point noise or the long-run one at
     * the scale of half a minimum segment, whichever is larger */
    size_t b = L / (getenv("BDIV") ? (size_t)atoi(getenv("BDIV")) : 2), bmax = m / (linear ? 12 : 8);
    if (b > bmax)
        b = bmax; /* at least half the differences must be free of breaks */
    if (b < 1)
        b = 1;
    ws->floor = 1;
    double sig_pen = fmax(1.0, longrun_sd(ws, m, b, linear, tmp));
    if (getenv("LAMMV")) {
        /* marginal sd at lag b: differences of points b apart */
        size_t span = (linear ? 3 : 2) * b, kk = 0;
        if (m >= span + 8) {
            for (size_t j = 0; j + 2 * b < m; j++)
                tmp[kk++] = linear ? z[j + 2 * b] - 2 * z[j + b] + z[j] : z[j + b] - z[j];
            double sl = robust_sd(tmp, kk) / sqrt(linear ? 6.0 : 2.0) / scale;
            double sb = longrun_sd(ws, m, b, linear, tmp);
            sig_pen = sl > 0 ? fmax(1.0, sb / sl) : 1.0;
            if (getenv("UNI") && sl > 0) ws->floor = sl * sl;
        }
    }
    if (getenv("LRVMAX")) {
        size_t bx = getenv("LRVB") ? (size_t)atoi(getenv("LRVB")) : L;
        if (bx > bmax) bx = bmax;
        for (size_t bb = 1; bb <= bx; bb *= 2)
            sig_pen = fmax(sig_pen, longrun_sd(ws, m, bb, linear, tmp));
    }
    double beta = o.penalty * log((double)m) * sig_pen * sig_pen;
    ws->pslope = getenv("PSLOPE") ? atof(getenv("PSLOPE")) * log((double)m) * sig_pen * sig_pen : 0;
    if (info) {
        info->sigma_noise = sig_w;
        info->sigma_pen = sig_pen * scale;
        info->penalty = beta * scale * scale;
    }

    /* PELT over the nodes 0 (start), L, L + jump, ... <= m - L, and m */
    size_t jump = L / 4, jm = (m + 511) / 512;
    if (jump > jm)
        jump = jm;
    if (jump < 1)
        jump = 1;
    size_t G = (m - 2 * L) / jump + 1; /* grid nodes 1..G */
    size_t *npos = ws->npos, *last = ws->last, *R = ws->R;
    double *F = ws->F;
    npos[0] = 0;
    for (size_t i = 1; i <= G; i++)
        npos[i] = L + (i - 1) * jump;
    npos[G + 1] = m;
    F[0] = -beta;
    last[0] = 0;
    size_t nr = 1;
    R[0] = 0;
    for (size_t i = 1; i <= G + 1; i++) {
        size_t t = npos[i];
        double best = INFINITY;
        size_t arg = 0;
        for (size_t r = 0; r < nr; r++) {
            size_t s = npos[R[r]];
            if (t - s < L)
                continue;
            double val = F[R[r]] + cost(ws, s, t, linear);
            if (val < best) {
                best = val;
                arg = R[r];
            }
        }
        F[i] = best + beta;
        last[i] = arg;
        if (i == G + 1)
            break;
        /* prune against the node u <= t - L, so that the node that
         * dominates stays eligible for every later t */
        if (t >= 2 * L) {
            size_t iu = 1 + (t - 2 * L) / jump;
            size_t u = npos[iu];
            size_t keep = 0;
            for (size_t r = 0; r < nr; r++) {
                size_t s = npos[R[r]];
                if (u >= s + L && F[R[r]] + cost(ws, s, u, linear) - ws->pslope > F[iu])
                    continue;
                R[keep++] = R[r];
            }
            nr = keep;
        }
        R[nr++] = i;
    }
    size_t *cps = ws->cps, K = 0;
    for (size_t i = last[G + 1]; i != 0; i = last[i])
        cps[K++] = npos[i];
    for (size_t a = 0, c = K ? K - 1 : 0; a < c; a++, c--) {
        size_t t = cps[a];
        cps[a] = cps[c];
        cps[c] = t;
    }

    /* place each break exactly between its neighbours */
    if (jump > 1)
        for (size_t j = 0; j < K; j++) {
            size_t a = j ? cps[j - 1] : 0, e = j + 1 < K ? cps[j + 1] : m;
            size_t lo = cps[j] > a + L + jump - 1 ? cps[j] - (jump - 1) : a + L;
            size_t hi = cps[j] + jump - 1 < e - L ? cps[j] + jump - 1 : e - L;
            double best = INFINITY;
            for (size_t c = lo; c <= hi; c++) {
                double val = cost(ws, a, c, linear) + cost(ws, c, e, linear);
                if (val < best) {
                    best = val;
                    cps[j] = c;
                }
            }
        }

    /* keep only breaks that pay their penalty with their neighbours fixed
     * (true of an exact optimum; guards the grid's approximation) */
    for (;;) {
        size_t worst = K;
        double wg = INFINITY;
        for (size_t j = 0; j < K; j++) {
            size_t a = j ? cps[j - 1] : 0, e = j + 1 < K ? cps[j + 1] : m;
            double alt = cost(ws, a, e, linear);
            if (linear && getenv("QUAD"))
                alt = fmin(alt, cost_quad(ws, a, e) + atof(getenv("QUAD")) * beta + 2 * ws->pslope);
            double g = alt - cost(ws, a, cps[j], linear) - cost(ws, cps[j], e, linear);
            if (g < wg) {
                wg = g;
                worst = j;
            }
        }
        if (worst == K || wg >= beta)
            break;
        memmove(cps + worst, cps + worst + 1, (K - worst - 1) * sizeof *cps);
        K--;
    }

    /* describe each break from the two segments' lines */
    size_t nout = K < cap ? K : cap;
    for (size_t j = 0; j < nout; j++) {
        size_t a = j ? cps[j - 1] : 0, c = cps[j], e = j + 1 < K ? cps[j + 1] : m;
        seg_fit fl = fit_of(ws, a, c, linear), fr = fit_of(ws, c, e, linear);
        double ustar = (((double)ws->pos[c - 1] + (double)ws->pos[c]) / 2 - dn / 2) / dn;
        double before = fl.wbar + fl.slope * (ustar - fl.ubar);
        double after = fr.wbar + fr.slope * (ustar - fr.ubar);
        double jmp = after - before, ds = fr.slope - fl.slope;
        double s2 = sig_pen * sig_pen;
        double vj = s2 * (1 / fl.k + 1 / fr.k);
        double vs = 0;
        if (linear && fl.suu > 0 && fr.suu > 0) {
            vj += s2 * ((ustar - fl.ubar) * (ustar - fl.ubar) / fl.suu +
                        (ustar - fr.ubar) * (ustar - fr.ubar) / fr.suu);
            vs = s2 * (1 / fl.suu + 1 / fr.suu);
        }
        double tj = fabs(jmp) / sqrt(vj), ts = vs > 0 ? fabs(ds) / sqrt(vs) : 0;
        hr_cp *p = &out[j];
        p->index = ws->pos[c];
        p->kind = !linear || tj >= 3 || tj >= ts ? HR_CP_LEVEL : HR_CP_SLOPE;
        p->level_before = centre + scale * before;
        p->level_delta = scale * jmp;
        p->slope_delta = scale * ds / dn;
        p->delta = p->kind == HR_CP_LEVEL ? p->level_delta : p->slope_delta;
        p->delta_pct = fabs(p->level_before) > sig_w ? 100 * p->delta / fabs(p->level_before)
                                                      : NAN;
        double g = cost(ws, a, e, linear) - cost(ws, a, c, linear) - cost(ws, c, e, linear);
        p->score = g / beta;
    }
    return (long)K;
}

/* ---- TCPD metrics ------------------------------------------------------------ */

/* Marks the valid points of a set in flags[0..n-1] (1 = present) and
 * always index 0. lo/hi bound the accepted indices. */
static void mark(size_t *flags, size_t n, const size_t *idx, size_t k, size_t lo, size_t hi)
{
    memset(flags, 0, n * sizeof *flags);
    flags[0] = 1;
    for (size_t i = 0; i < k; i++)
        if (idx[i] >= lo && idx[i] < hi)
            flags[idx[i]] = 1;
}

/* Number of true points (flags t) matched to predictions (flags x; the
 * matched ones are cleared in the copy `used`), each to the closest unused
 * prediction within the margin, the smaller index on ties; true points in
 * ascending order (TCPD's true_positives). */
static size_t true_positives(const size_t *t, const size_t *x, size_t *used, size_t n,
                             size_t margin)
{
    memcpy(used, x, n * sizeof *used);
    size_t tp = 0;
    for (size_t i = 0; i < n; i++) {
        if (!t[i])
            continue;
        for (size_t d = 0; d <= margin; d++) {
            if (d <= i && used[i - d]) {
                used[i - d] = 0;
                tp++;
                break;
            }
            if (d > 0 && i + d < n && used[i + d]) {
                used[i + d] = 0;
                tp++;
                break;
            }
        }
    }
    return tp;
}

double hr_cp_score_f1(const size_t *const *ann, const size_t *ann_n, size_t K,
                      const size_t *pred, size_t npred, size_t n, size_t margin,
                      size_t *scratch, double *precision, double *recall)
{
    if (n == 0 || K == 0)
        return NAN;
    size_t *x = scratch, *t = scratch + n, *used = scratch + 2 * n;
    mark(x, n, pred, npred, 1, n - 1);
    size_t nx = 0;
    for (size_t i = 0; i < n; i++)
        nx += x[i];
    /* precision against the union of the annotators' points */
    memset(t, 0, n * sizeof *t);
    t[0] = 1;
    for (size_t k = 0; k < K; k++)
        for (size_t i = 0; i < ann_n[k]; i++)
            if (ann[k][i] < n)
                t[ann[k][i]] = 1;
    double P = (double)true_positives(t, x, used, n, margin) / (double)nx;
    double R = 0;
    for (size_t k = 0; k < K; k++) {
        mark(t, n, ann[k], ann_n[k], 0, n);
        size_t nt = 0;
        for (size_t i = 0; i < n; i++)
            nt += t[i];
        R += (double)true_positives(t, x, used, n, margin) / (double)nt;
    }
    R /= (double)K;
    if (precision)
        *precision = P;
    if (recall)
        *recall = R;
    return P + R > 0 ? 2 * P * R / (P + R) : 0;
}

/* Segment starts of a set of change points: starts[0] = 0, then every
 * marked index in 1..n-1 in order; starts[count] = n. */
static size_t starts_of(const size_t *flags, size_t n, size_t *starts)
{
    size_t c = 0;
    starts[c++] = 0;
    for (size_t i = 1; i < n; i++)
        if (flags[i])
            starts[c++] = i;
    starts[c] = n;
    return c;
}

double hr_cp_score_cover(const size_t *const *ann, const size_t *ann_n, size_t K,
                         const size_t *pred, size_t npred, size_t n, size_t *scratch)
{
    if (n == 0 || K == 0)
        return NAN;
    size_t *flags = scratch, *ps = scratch + n, *as = scratch + 2 * n + 1;
    /* the TCPD partition ignores only indices >= n, so prediction 0 and
     * n - 1 would count there; the README's rule drops them first */
    mark(flags, n, pred, npred, 1, n - 1);
    size_t np = starts_of(flags, n, ps);
    double total = 0;
    for (size_t k = 0; k < K; k++) {
        mark(flags, n, ann[k], ann_n[k], 0, n);
        size_t na = starts_of(flags, n, as);
        double c = 0;
        size_t q = 0; /* first predicted segment that can meet A */
        for (size_t s = 0; s < na; s++) {
            size_t a0 = as[s], a1 = as[s + 1];
            while (ps[q + 1] <= a0)
                q++;
            double best = 0;
            for (size_t r = q; r < np && ps[r] < a1; r++) {
                size_t b0 = ps[r], b1 = ps[r + 1];
                double inter = (double)((a1 < b1 ? a1 : b1) - (a0 > b0 ? a0 : b0));
                double uni = (double)((a1 > b1 ? a1 : b1) - (a0 < b0 ? a0 : b0));
                if (inter / uni > best)
                    best = inter / uni;
            }
            c += (double)(a1 - a0) * best;
        }
        total += c / (double)n;
    }
    return total / (double)K;
}
