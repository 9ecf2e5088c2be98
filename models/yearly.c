/* yearly.c -- see yearly.h. */
#include "yearly.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>

#define YEAR_DAYS 365.2425
#define NG 365                 /* the grid of days the profiles are compared on */
#define GRID0 INT64_C(11323)   /* 2001-01-01: a year of 365 days from 1 January */
#define MIN_FINITE 300         /* finite days in each half (of at least 365) */

/* The Fourier part of coefficients c, s on day `day`. */
static double fourier(const double *c, const double *s, int64_t day)
{
    double w = 2 * M_PI * (double)(day % 146097) / YEAR_DAYS; /* 400 years: the phase stays exact */
    double v = 0;
    for (int k = 0; k < HR_YEARLY_K; k++)
        v += c[k] * cos((k + 1) * w) + s[k] * sin((k + 1) * w);
    return v;
}

double hr_yearly_at(const hr_yearly *y, int64_t day)
{
    return y && y->found ? fourier(y->c, y->s, day) : 0;
}

/* Fits the model to days [from, to) of z: iteratively reweighted least
 * squares, ordinary first, then IRLS_ITER rounds of Tukey's bisquare
 * weights (c = 4.685 robust standard deviations, the MAD's: 95%
 * efficiency under normal noise, and an incident's days weigh nothing).
 * The normal equations cost O(days x K) a round, not O(days x K^2): the
 * products of two harmonics are harmonics of the sum and difference
 * frequencies, cos(j w) cos(k w) = (cos((j - k) w) + cos((j + k) w)) / 2
 * and so on, so the harmonics' block needs only the weighted sums of
 * cos(m w) and sin(m w), m = 0 .. 2K, and a step's column only running
 * sums from the last day back. (GSL's robust regression of the same
 * design took 270 ms a series; this takes about 1 ms.)
 * Writes the Fourier coefficients. Returns 1 when fitted, 0 when too few
 * days or the equations are singular, -1 when out of memory. */
#define IRLS_ITER 5
#define TUKEY 4.685
#define NH (2 * HR_YEARLY_K + 1) /* harmonics 0 .. 2K */
static int fit(const double *z, size_t from, size_t to, int64_t day0, const size_t *steps, size_t ns, double *c,
               double *s)
{
    size_t m = 0;
    for (size_t d = from; d < to; d++)
        m += isfinite(z[d]) != 0;
    /* the steps strictly inside, with a week of finite days on each side
     * (else their column is all but constant) */
    size_t st[64], nst = 0;
    for (size_t k = 0; k < ns && nst < 64; k++) {
        if (steps[k] <= from || steps[k] >= to)
            continue;
        size_t before = 0, after = 0;
        for (size_t d = from; d < to; d++)
            if (isfinite(z[d]))
                d < steps[k] ? before++ : after++;
        if (before >= 7 && after >= 7 && (!nst || st[nst - 1] != steps[k]))
            st[nst++] = steps[k];
    }
    size_t pt = 2 + nst, p = pt + 2 * HR_YEARLY_K;
    if (m < MIN_FINITE || m < 3 * p)
        return 0;
    size_t nn = to - from;
    double *buf = malloc((4 + 2 * (size_t)NH) * nn * sizeof *buf);
    gsl_matrix *A = gsl_matrix_alloc(p, p);
    gsl_vector *rhs = gsl_vector_alloc(p), *x = gsl_vector_alloc(p);
    int rc = -1;
    if (!buf || !A || !rhs || !x)
        goto out;
    /* per day: weight, time in years (0 at the last day), residual, and
     * cos(m w), sin(m w) for m = 0 .. 2K */
    double *wt = buf, *tt = buf + nn, *res = buf + 2 * nn, *ab = buf + 3 * nn;
    double *cm = buf + 4 * nn, *sm = cm + (size_t)NH * nn;
    for (size_t i = 0; i < nn; i++) {
        size_t d = from + i;
        wt[i] = isfinite(z[d]) ? 1.0 : 0.0;
        tt[i] = ((double)d - (double)(to - 1)) / YEAR_DAYS;
        double ph = 2 * M_PI * (double)((day0 + (int64_t)d) % 146097) / YEAR_DAYS;
        double c1 = cos(ph), s1 = sin(ph), ck = 1, sk = 0;
        for (int h = 0; h < NH; h++) {
            cm[(size_t)h * nn + i] = ck;
            sm[(size_t)h * nn + i] = sk;
            double c2 = ck * c1 - sk * s1;
            sk = sk * c1 + ck * s1;
            ck = c2;
        }
    }
    for (int it = 0; it <= IRLS_ITER; it++) {
        /* the weighted sums */
        double Sc[NH], Ss[NH], Tc[HR_YEARLY_K + 1], Ts[HR_YEARLY_K + 1], Yc[HR_YEARLY_K + 1],
            Ys[HR_YEARLY_K + 1];
        double sw = 0, swt = 0, swtt = 0, swy = 0, swty = 0;
        for (int h = 0; h < NH; h++)
            Sc[h] = Ss[h] = 0;
        for (int k = 0; k <= HR_YEARLY_K; k++)
            Tc[k] = Ts[k] = Yc[k] = Ys[k] = 0;
        for (size_t i = 0; i < nn; i++) {
            double w = wt[i];
            if (!(w > 0))
                continue;
            double y = z[from + i], t = tt[i];
            sw += w;
            swt += w * t;
            swtt += w * t * t;
            swy += w * y;
            swty += w * t * y;
            for (int h = 0; h < NH; h++) {
                Sc[h] += w * cm[(size_t)h * nn + i];
                Ss[h] += w * sm[(size_t)h * nn + i];
            }
            for (int k = 1; k <= HR_YEARLY_K; k++) {
                double ck = cm[(size_t)k * nn + i], sk = sm[(size_t)k * nn + i];
                Tc[k] += w * t * ck;
                Ts[k] += w * t * sk;
                Yc[k] += w * y * ck;
                Ys[k] += w * y * sk;
            }
        }
        gsl_matrix_set_zero(A);
        gsl_vector_set_zero(rhs);
        /* columns: 0 the intercept, 1 time, 2.. the steps, then cos k and
         * sin k for k = 1 .. K */
        gsl_matrix_set(A, 0, 0, sw);
        gsl_matrix_set(A, 0, 1, swt);
        gsl_matrix_set(A, 1, 1, swtt);
        gsl_vector_set(rhs, 0, swy);
        gsl_vector_set(rhs, 1, swty);
        for (int k = 1; k <= HR_YEARLY_K; k++) {
            size_t jc = pt + 2 * (size_t)(k - 1), js = jc + 1;
            gsl_matrix_set(A, 0, jc, Sc[k]);
            gsl_matrix_set(A, 0, js, Ss[k]);
            gsl_matrix_set(A, 1, jc, Tc[k]);
            gsl_matrix_set(A, 1, js, Ts[k]);
            gsl_vector_set(rhs, jc, Yc[k]);
            gsl_vector_set(rhs, js, Ys[k]);
            for (int l = k; l <= HR_YEARLY_K; l++) {
                size_t lc = pt + 2 * (size_t)(l - 1), ls = lc + 1;
                int dif = l - k, sum = l + k;
                gsl_matrix_set(A, jc, lc, 0.5 * (Sc[dif] + Sc[sum]));
                gsl_matrix_set(A, js, ls, 0.5 * (Sc[dif] - Sc[sum]));
                /* cos(k w) sin(l w) = (sin((l + k) w) + sin((l - k) w)) / 2 */
                gsl_matrix_set(A, jc, ls, 0.5 * (Ss[sum] + Ss[dif]));
                /* sin(k w) cos(l w) = (sin((l + k) w) - sin((l - k) w)) / 2 */
                if (l > k)
                    gsl_matrix_set(A, js, lc, 0.5 * (Ss[sum] - Ss[dif]));
            }
        }
        /* the steps: running sums from the last day back to each step */
        if (nst) {
            double a0 = 0, a1 = 0, ay = 0, ac[HR_YEARLY_K + 1] = {0}, as[HR_YEARLY_K + 1] = {0};
            size_t q = nst;
            for (size_t i = nn; i-- > 0 && q > 0;) {
                double w = wt[i];
                if (w > 0) {
                    a0 += w;
                    a1 += w * tt[i];
                    ay += w * z[from + i];
                    for (int k = 1; k <= HR_YEARLY_K; k++) {
                        ac[k] += w * cm[(size_t)k * nn + i];
                        as[k] += w * sm[(size_t)k * nn + i];
                    }
                }
                while (q > 0 && from + i == st[q - 1]) {
                    size_t j = 2 + q - 1;
                    gsl_matrix_set(A, 0, j, a0);
                    gsl_matrix_set(A, 1, j, a1);
                    gsl_vector_set(rhs, j, ay);
                    for (int k = 1; k <= HR_YEARLY_K; k++) {
                        gsl_matrix_set(A, j, pt + 2 * (size_t)(k - 1), ac[k]);
                        gsl_matrix_set(A, j, pt + 2 * (size_t)(k - 1) + 1, as[k]);
                    }
                    /* with the later steps: the days after both */
                    for (size_t r = q; r < nst; r++)
                        gsl_matrix_set(A, j, 2 + r, gsl_matrix_get(A, 0, 2 + r));
                    gsl_matrix_set(A, j, j, a0);
                    q--;
                }
            }
        }
        /* symmetric: only the upper triangle was set */
        for (size_t i = 0; i < p; i++)
            for (size_t j = i + 1; j < p; j++)
                gsl_matrix_set(A, j, i, gsl_matrix_get(A, i, j));
        if (gsl_linalg_cholesky_decomp1(A) || gsl_linalg_cholesky_solve(A, rhs, x)) {
            rc = 0;
            goto out;
        }
        if (it == IRLS_ITER)
            break;
        /* residuals and the bisquare weights for the next round */
        size_t q = 0;
        for (size_t i = 0; i < nn; i++) {
            res[i] = NAN;
            if (!isfinite(z[from + i]))
                continue;
            double f = gsl_vector_get(x, 0) + gsl_vector_get(x, 1) * tt[i];
            for (size_t j = 0; j < nst; j++)
                if (from + i >= st[j])
                    f += gsl_vector_get(x, 2 + j);
            for (int k = 1; k <= HR_YEARLY_K; k++)
                f += gsl_vector_get(x, pt + 2 * (size_t)(k - 1)) * cm[(size_t)k * nn + i] +
                     gsl_vector_get(x, pt + 2 * (size_t)(k - 1) + 1) * sm[(size_t)k * nn + i];
            res[i] = z[from + i] - f;
            ab[q++] = fabs(res[i]);
        }
        double sc = TUKEY * 1.4826 * gsl_stats_median(ab, 1, q);
        if (!(sc > 0))
            break;
        for (size_t i = 0; i < nn; i++) {
            if (!isfinite(res[i]))
                continue;
            double u = res[i] / sc;
            wt[i] = fabs(u) < 1 ? (1 - u * u) * (1 - u * u) : 0;
        }
    }
    rc = 1;
    for (int k = 0; k < HR_YEARLY_K; k++) {
        c[k] = gsl_vector_get(x, pt + 2 * (size_t)k);
        s[k] = gsl_vector_get(x, pt + 2 * (size_t)k + 1);
        if (!isfinite(c[k]) || !isfinite(s[k]))
            rc = 0;
    }
out:
    gsl_vector_free(x);
    gsl_vector_free(rhs);
    gsl_matrix_free(A);
    free(buf);
    return rc;
}

int hr_yearly_fit(const double *z, size_t nd, int64_t day0, const size_t *steps, size_t ns, hr_yearly *out)
{
    *out = (hr_yearly){0};
    out->corr = NAN;
    if (nd < HR_YEARLY_MIN_DAYS)
        return 0;
    double c1[HR_YEARLY_K], s1[HR_YEARLY_K], c2[HR_YEARLY_K], s2[HR_YEARLY_K];
    int r1 = fit(z, 0, nd / 2, day0, steps, ns, c1, s1);
    int r2 = r1 == 1 ? fit(z, nd / 2, nd, day0, steps, ns, c2, s2) : r1;
    if (r1 < 0 || r2 < 0)
        return -1;
    if (!r1 || !r2)
        return 0;
    /* the two halves' profiles over a year */
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int g = 0; g < NG; g++) {
        double a = fourier(c1, s1, GRID0 + g), bq = fourier(c2, s2, GRID0 + g);
        sx += a;
        sy += bq;
        sxx += a * a;
        syy += bq * bq;
        sxy += a * bq;
    }
    double vx = sxx - sx * sx / NG, vy = syy - sy * sy / NG;
    out->corr = vx > 0 && vy > 0 ? (sxy - sx * sy / NG) / sqrt(vx * vy) : 0;
    if (!(out->corr >= HR_YEARLY_MIN_CORR))
        return 0;
    int r = fit(z, 0, nd, day0, steps, ns, out->c, out->s);
    if (r < 0)
        return -1;
    if (!r)
        return 0;
    out->found = 1;
    out->lo = INFINITY;
    out->hi = -INFINITY;
    for (int g = 0; g < NG; g++) {
        double v = fourier(out->c, out->s, GRID0 + g);
        if (v < out->lo) {
            out->lo = v;
            out->trough_doy = g;
        }
        if (v > out->hi) {
            out->hi = v;
            out->peak_doy = g;
        }
    }
    return 0;
}
