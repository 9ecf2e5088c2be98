/* test_robust.c -- hr_select and hr_median_finite against a full sort
 * and gsl_stats_median, and the block sliding medians against the
 * brute-force median of hr_median_finite, bit for bit, on random data
 * with gaps, infinities and ties. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "check.h"
#include "robust.h"

#define RNG_SEED 4242
#include "rng.h"

/* the brute-force median of x[lo..hi) */
static double brute(const double *x, size_t lo, size_t hi, double *tmp)
{
    memcpy(tmp, x + lo, (hi - lo) * sizeof *x);
    return hr_median_finite(tmp, hi - lo);
}

static int same(double a, double b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* hr_select for every k of x[0..n) against the sorted values, with the
 * partition it promises; hr_median_finite against gsl_stats_median;
 * returns the mismatches. */
static int select_all(const double *x, size_t n, double *srt, double *tmp)
{
    int bad = 0;
    memcpy(srt, x, n * sizeof *x);
    qsort(srt, n, sizeof *srt, cmp_dbl);
    for (size_t k = 0; k < n; k++) {
        memcpy(tmp, x, n * sizeof *x);
        double v = hr_select(tmp, n, k);
        int ok = v == srt[k] && tmp[k] == v;
        for (size_t i = 0; i < n && ok; i++)
            ok = i < k ? tmp[i] <= v : tmp[i] >= v;
        if (!ok && bad++ < 5)
            fprintf(stderr, "select n %zu k %zu: got %.17g, want %.17g\n", n, k, v, srt[k]);
    }
    /* hr_median's partition about the lower middle value (a selection,
     * or a sort of at most HR_MEDIAN_SORT values) */
    memcpy(tmp, x, n * sizeof *x);
    double hm = hr_median(tmp, n);
    size_t lhs = (n - 1) / 2;
    int pok = tmp[lhs] == srt[lhs] && same(hm, n % 2 ? srt[lhs] : 0.5 * (srt[lhs] + srt[lhs + 1]));
    for (size_t i = 0; i < n && pok; i++)
        pok = i < lhs ? tmp[i] <= srt[lhs] : tmp[i] >= srt[lhs];
    if (!pok && bad++ < 5)
        fprintf(stderr, "hr_median n %zu: got %.17g, not partitioned about %.17g\n", n, hm, srt[lhs]);
    memcpy(tmp, x, n * sizeof *x);
    double m = hr_median_finite(tmp, n);
    memcpy(tmp, x, n * sizeof *x);
    double g = gsl_stats_median(tmp, 1, n);
    if (!same(m, g) && bad++ < 5)
        fprintf(stderr, "median n %zu: got %.17g, want %.17g\n", n, m, g);
    return bad;
}

/* Windows of 1 .. HR_BLOCK_MAX blocks of `block` points moved by one
 * block over x, as decompose.c's trend does, each median checked against
 * hr_median_finite; returns the mismatches. */
static int slide(const double *x, size_t n, size_t block, double *sorted, size_t *cnt, double *tmp)
{
    size_t nb = hr_block_sort(x, n, block, sorted, cnt);
    int bad = 0;
    for (size_t w = 1; w <= 4 && w <= HR_BLOCK_MAX; w++)
        for (size_t b0 = 0; b0 < nb; b0++) {
            size_t b1 = b0 + w < nb ? b0 + w : nb, lo = b0 * block, hi = b1 * block < n ? b1 * block : n;
            double a = hr_block_median(sorted, cnt, block, b0, b1), b = brute(x, lo, hi, tmp);
            if (!same(a, b)) {
                if (bad < 5)
                    fprintf(stderr, "block %zu blocks %zu..%zu: got %.17g, want %.17g\n", block, b0, b1, a, b);
                bad++;
            }
        }
    return bad;
}

int main(void)
{
    size_t n = 1500;
    double *x = malloc(n * sizeof *x), *sorted = malloc(n * sizeof *sorted), *tmp = malloc(n * sizeof *tmp);
    size_t *cnt = malloc(n * sizeof *cnt);

    /* hr_median_finite: odd, even (the mean of the middle two), gaps */
    double a[] = {3.5, NAN, -1, 7, INFINITY};
    CHECK(hr_median_finite(a, 5) == 3.5);
    double b[] = {4, 1, NAN, 2, 3};
    CHECK(hr_median_finite(b, 5) == 2.5);
    double c[] = {NAN, NAN};
    CHECK(isnan(hr_median_finite(c, 2)));

    /* hr_select on continuous values, a coarse grid (ties), ascending,
     * descending, organ-pipe and constant orders; n from 1 to 300 */
    int sbad = 0;
    for (size_t len = 1; len <= 300; len += len < 40 ? 1 : 13)
        for (int kind = 0; kind < 6; kind++) {
            for (size_t i = 0; i < len; i++) {
                double r = (double)i;
                x[i] = kind == 0   ? 100 * unif() - 30
                       : kind == 1 ? floor(5 * unif()) - 2
                       : kind == 2 ? r
                       : kind == 3 ? -r
                       : kind == 4 ? (i < len / 2 ? r : (double)len - r)
                                   : 2.5;
            }
            sbad += select_all(x, len, sorted, tmp);
        }
    CHECK_EQ_INT(sbad, 0);
    /* the sorting network behind short medians: every 0/1 input of 8
     * and of 16 values (one and two groups of 8; the 0-1 principle) */
    int zbad = 0;
    for (size_t len = 8; len <= 16; len += 8)
        for (unsigned bits = 0; bits < (1u << len); bits++) {
            double v[16];
            int ones = 0;
            for (size_t i = 0; i < len; i++)
                ones += (int)(v[i] = (bits >> i) & 1);
            /* the middle two of the sorted zeros and ones: the lower is 1
             * when more than len / 2 are ones, the upper when at least
             * len / 2 are */
            double want = 0.5 * ((double)((size_t)ones > len / 2) + (double)((size_t)ones >= len / 2));
            zbad += hr_median(v, len) != want;
        }
    CHECK_EQ_INT(zbad, 0);
    /* interleaved signs: -1, 2, -3, 4 ... (medians of three keep
     * landing near the ends) */
    double *big = malloc(4000 * sizeof *big), *btmp = malloc(4000 * sizeof *btmp);
    for (size_t i = 0; i < 4000; i++)
        big[i] = i % 2 ? (double)(i + 1) : -(double)(i + 1);
    memcpy(btmp, big, 4000 * sizeof *big);
    CHECK(hr_select(btmp, 4000, 1999) == -1);
    memcpy(btmp, big, 4000 * sizeof *big);
    double gm = hr_median_finite(btmp, 4000);
    CHECK(same(gm, gsl_stats_median(big, 1, 4000)));
    free(big);
    free(btmp);

    /* the median networks: every 0/1 input (a comparator network that
     * sorts or selects right on all of them does so on any input: the
     * 0-1 principle, Knuth TAOCP 5.3.4), then random values with ties
     * against the sorted middle */
    int nbad = 0;
    for (int w = 3; w <= 9; w += w == 3 ? 2 : 4)
        for (unsigned bits = 0; bits < (1u << w); bits++) {
            double v[9];
            int ones = 0;
            for (int i = 0; i < w; i++) {
                v[i] = (bits >> i) & 1;
                ones += (int)v[i];
            }
            double want = ones > w / 2 ? 1 : 0; /* the middle of w - ones zeros, then ones */
            double got = w == 3 ? hr_median3(v) : w == 5 ? hr_median5(v) : hr_median9(v);
            nbad += got != want;
        }
    for (int rep = 0; rep < 3000; rep++) {
        int w = rep % 3 == 0 ? 3 : rep % 3 == 1 ? 5 : 9;
        double v[9], srt[9];
        for (int i = 0; i < w; i++)
            v[i] = rep % 2 ? floor(4 * unif()) : 10 * unif() - 5;
        memcpy(srt, v, sizeof v);
        qsort(srt, (size_t)w, sizeof *srt, cmp_dbl);
        double got = w == 3 ? hr_median3(v) : w == 5 ? hr_median5(v) : hr_median9(v);
        nbad += got != srt[w / 2];
    }
    CHECK_EQ_INT(nbad, 0);

    /* hr_merge and hr_kth_of_two against a sort of both arrays, every
     * k, lengths 0 to 40, continuous values and a coarse grid (ties) */
    int mbad = 0;
    for (size_t na = 0; na <= 40; na += 1 + na / 8)
        for (size_t nb = 0; nb <= 40; nb += 1 + nb / 6)
            for (int kind = 0; kind < 2 && na + nb > 0; kind++) {
                double A[40], B[40], M[80], S[80];
                for (size_t i = 0; i < na; i++)
                    A[i] = kind ? floor(4 * unif()) : unif();
                for (size_t i = 0; i < nb; i++)
                    B[i] = kind ? floor(4 * unif()) : unif();
                qsort(A, na, sizeof *A, cmp_dbl);
                qsort(B, nb, sizeof *B, cmp_dbl);
                memcpy(S, A, na * sizeof *A);
                memcpy(S + na, B, nb * sizeof *B);
                qsort(S, na + nb, sizeof *S, cmp_dbl);
                hr_merge(A, na, B, nb, M);
                for (size_t k = 0; k < na + nb; k++)
                    mbad += M[k] != S[k] || hr_kth_of_two(A, na, B, nb, k) != S[k];
            }
    CHECK_EQ_INT(mbad, 0);
    /* ... and stable, from both ends: equal values (-0 and +0 compare
     * equal) come out a's first, each array's in its own order */
    {
        const double A[] = {-1, -0.0, 0.0, -0.0, 2}, B[] = {0.0, -0.0, 0.0, 3};
        const int want_neg[] = {1, 1, 0, 1, 0, 1, 0, 0, 0}; /* signbit of each */
        double M[9];
        hr_merge(A, 5, B, 4, M);
        int sgn_bad = 0;
        for (int k = 0; k < 9; k++)
            sgn_bad += (signbit(M[k]) != 0) != want_neg[k];
        CHECK_EQ_INT(sgn_bad, 0);
        CHECK(M[0] == -1 && M[7] == 2 && M[8] == 3);
    }

    /* the sliding median on three kinds of data: continuous values,
     * values on a coarse grid (many ties), a seasonal series; each with
     * 10% gaps and a few infinities (not finite: skipped) */
    for (int kind = 0; kind < 3; kind++) {
        for (size_t i = 0; i < n; i++) {
            double u = unif();
            x[i] = kind == 0   ? 100 * unif() - 30
                   : kind == 1 ? floor(7 * unif()) - 3
                               : 50 + 20 * sin(2 * M_PI * (double)(i % 24) / 24) + unif();
            if (u < 0.1)
                x[i] = NAN;
            else if (u < 0.11)
                x[i] = u < 0.105 ? INFINITY : -INFINITY;
        }
        /* windows of 1 to 800 points (blocks of 1 to 200, up to 4 of
         * them), odd and even counts; the series' length is not a
         * multiple of most block sizes (a short last block) */
        int bad = 0;
        for (size_t block = 1; block <= 200; block++)
            bad += slide(x, n - kind, block, sorted, cnt, tmp);
        CHECK_EQ_INT(bad, 0);
    }
    /* hr_block_sort's blocks against qsort of their finite values, for
     * blocks of 1 to 300 points (merge sort to 256, quicksort beyond) */
    int bsbad = 0;
    for (size_t block = 1; block <= 300; block += block < 20 ? 1 : 7) {
        size_t nb2 = hr_block_sort(x, n, block, sorted, cnt);
        for (size_t bk = 0; bk < nb2; bk++) {
            size_t lo = bk * block, hi = lo + block < n ? lo + block : n, m = 0;
            for (size_t i = lo; i < hi; i++)
                if (isfinite(x[i]))
                    tmp[m++] = x[i];
            qsort(tmp, m, sizeof *tmp, cmp_dbl);
            bsbad += cnt[bk] != m || (m && memcmp(tmp, sorted + lo, m * sizeof *tmp) != 0);
        }
    }
    CHECK_EQ_INT(bsbad, 0);

    /* a window of HR_BLOCK_MAX blocks; an all-gap window */
    size_t nb = hr_block_sort(x, 160, 10, sorted, cnt);
    CHECK_EQ_INT(nb, 16);
    CHECK(same(hr_block_median(sorted, cnt, 10, 0, 16), brute(x, 0, 160, tmp)));
    double g[6] = {NAN, NAN, NAN, 1, 2, 3};
    hr_block_sort(g, 6, 3, sorted, cnt);
    CHECK(isnan(hr_block_median(sorted, cnt, 3, 0, 1)));
    CHECK(hr_block_median(sorted, cnt, 3, 0, 2) == 2);

    free(x);
    free(sorted);
    free(cnt);
    free(tmp);
    return check_summary("robust");
}
