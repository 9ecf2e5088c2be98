/* robust.c -- see robust.h. */
#include "robust.h"

#include <math.h>
#include <string.h>

/* Sorts the 8 values p[0..8) by the 19-exchange network of Knuth (TAOCP
 * 5.3.4), branch-free. */
static void sort8(double *p)
{
    HR_CE_(p[0], p[2]);
    HR_CE_(p[1], p[3]);
    HR_CE_(p[4], p[6]);
    HR_CE_(p[5], p[7]);
    HR_CE_(p[0], p[4]);
    HR_CE_(p[1], p[5]);
    HR_CE_(p[2], p[6]);
    HR_CE_(p[3], p[7]);
    HR_CE_(p[0], p[1]);
    HR_CE_(p[2], p[3]);
    HR_CE_(p[4], p[5]);
    HR_CE_(p[6], p[7]);
    HR_CE_(p[2], p[4]);
    HR_CE_(p[3], p[5]);
    HR_CE_(p[1], p[4]);
    HR_CE_(p[3], p[6]);
    HR_CE_(p[1], p[2]);
    HR_CE_(p[3], p[4]);
    HR_CE_(p[5], p[6]);
}

double hr_median_finite(double *x, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            x[m++] = x[i];
    return m ? hr_median(x, m) : NAN;
}

/* Merges the sorted runs of 8 of x[0..n) (the last may be shorter) pass
 * by pass, between x and tmp (n values each); returns the one of the two
 * that holds the sorted values. */
static double *merge_runs(double *x, double *tmp, size_t n)
{
    double *src = x, *dst = tmp;
    for (size_t w = 8; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            hr_merge(src + lo, mid - lo, src + mid, hi - mid, dst + lo);
        }
        double *t = src;
        src = dst;
        dst = t;
    }
    return src;
}

/* Sorts x[0..n), 0 < n <= HR_MEDIAN_SORT (none NaN): groups of 8 by the
 * network (the last padded with +inf, which sorts after every value and
 * is cut off again), then merged. */
static void sort_small(double *x, size_t n)
{
    double a[HR_MEDIAN_SORT], b[HR_MEDIAN_SORT];
    size_t m = (n + 7) / 8 * 8;
    memcpy(a, x, n * sizeof *x);
    for (size_t i = n; i < m; i++)
        a[i] = INFINITY;
    for (size_t g = 0; g < m; g += 8)
        sort8(a + g);
    memcpy(x, merge_runs(a, b, m), n * sizeof *x);
}

double hr_median(double *x, size_t n)
{
    if (!n)
        return 0;
    if (n <= HR_MEDIAN_SORT) {
        sort_small(x, n);
        /* the same values as the selection below, the same sum */
        return n & 1 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
    }
    size_t lhs = (n - 1) / 2;
    double a = hr_select(x, n, lhs);
    if (lhs == n / 2)
        return a;
    /* x(lhs..n) >= a now: the upper middle value is their least */
    double b = x[lhs + 1];
    for (size_t i = lhs + 2; i < n; i++)
        b = x[i] < b ? x[i] : b;
    /* as gsl_stats_median: 0.5 * (a + b), the same bits as (a + b) / 2 */
    return 0.5 * (a + b);
}

/* Sorts x[0..n) ascending: insertion sort for short runs, else
 * quicksort on the median of three, recursing into the smaller side
 * (O(log n) depth). Only finite values, so < is a total order up to the
 * equal +0 and -0. */
static void sort_finite(double *x, size_t n)
{
    while (n > 16) {
        double a = x[0], b = x[n / 2], c = x[n - 1];
        double piv = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        size_t i = 0, j = n - 1;
        for (;;) { /* Hoare: x[0..i) <= piv, x(j..n) >= piv */
            while (x[i] < piv)
                i++;
            while (piv < x[j])
                j--;
            if (i >= j)
                break;
            double t = x[i];
            x[i++] = x[j];
            x[j--] = t;
        }
        size_t left = j + 1; /* x[0..left) <= piv <= x[left..n) */
        if (left < n - left) {
            sort_finite(x, left);
            x += left;
            n -= left;
        } else {
            sort_finite(x + left, n - left);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++) {
        double t = x[i];
        size_t j = i;
        for (; j > 0 && x[j - 1] > t; j--)
            x[j] = x[j - 1];
        x[j] = t;
    }
}

/* Sorts x[0..n) by heapsort: the fallback of hr_select when its
 * pivots keep failing (adversarial orders), O(n log n) at worst. */
static void heap_sort(double *x, size_t n)
{
    for (size_t end = n, root = n / 2;;) {
        if (root > 0) {
            root--; /* building the max-heap */
        } else {
            if (end <= 1)
                return;
            end--; /* moving the maximum behind the heap */
            double t = x[0];
            x[0] = x[end];
            x[end] = t;
        }
        for (size_t r = root, c; (c = 2 * r + 1) < end; r = c) { /* sift down */
            if (c + 1 < end && x[c] < x[c + 1])
                c++;
            if (!(x[r] < x[c]))
                break;
            double t = x[r];
            x[r] = x[c];
            x[c] = t;
        }
    }
}

/* Moves the values of x[lo..hi) below p (with lt) or not above p (with
 * !lt) to the front of the range and returns where the rest begins: a
 * Lomuto partition whose swap is unconditional and whose advance is the
 * comparison's 0 or 1, so the compiler emits no branch on the data (a
 * partition that branches on each comparison mispredicts about half of
 * them on unordered data). */
static size_t partition(double *x, size_t lo, size_t hi, double p, int lt)
{
    size_t j = lo;
    if (lt)
        for (size_t i = lo; i < hi; i++) {
            double t = x[i];
            x[i] = x[j];
            x[j] = t;
            j += t < p;
        }
    else
        for (size_t i = lo; i < hi; i++) {
            double t = x[i];
            x[i] = x[j];
            x[j] = t;
            j += !(p < t);
        }
    return j;
}

double hr_select(double *x, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    /* each round at least removes the pivot's equals; a median of three
     * keeps the rounds about log2(n) on real data, and past 2 log2(n) + 8
     * rounds (a pathological order) the rest is heap-sorted */
    int budget = 8;
    for (size_t m = n; m > 1; m /= 2)
        budget += 2;
    while (hi - lo > HR_SELECT_SMALL) {
        if (budget-- == 0) {
            heap_sort(x + lo, hi - lo);
            return x[k];
        }
        double a = x[lo], b = x[lo + (hi - lo) / 2], c = x[hi - 1];
        double p = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        size_t j = partition(x, lo, hi, p, 1); /* x[lo..j) < p <= x[j..hi) */
        if (k < j) {
            hi = j;
            continue;
        }
        size_t e = partition(x, j, hi, p, 0); /* x[j..e) == p < x[e..hi) */
        if (k < e)
            return x[k];
        lo = e;
    }
    /* insertion sort of the few left (as sort_finite's tail) */
    for (size_t i = lo + 1; i < hi; i++) {
        double t = x[i];
        size_t j = i;
        for (; j > lo && x[j - 1] > t; j--)
            x[j] = x[j - 1];
        x[j] = t;
    }
    return x[k];
}

/* Sorts x[0..n) ascending, n <= MSORT_MAX, with no branch on the data:
 * groups of eight by the network (sort8), the last 0 to 7 values by
 * insertion, then bottom-up merges (hr_merge) between x and a stack
 * buffer. For the trend's blocks (42 values for a week of hours)
 * sort_finite's partitions and insertions mispredicted about 50 times per
 * block; groups of four (a five-exchange network) left one more level of
 * merges. */
#define MSORT_MAX 256 /* 2 KiB of stack; longer blocks go to sort_finite */
static void merge_sort(double *x, size_t n)
{
    double tmp[MSORT_MAX];
    size_t g = 0;
    for (; g + 8 <= n; g += 8)
        sort8(x + g);
    for (size_t i = g + 1; i < n; i++) { /* the last 0 to 7 */
        double t = x[i];
        size_t j = i;
        for (; j > g && x[j - 1] > t; j--)
            x[j] = x[j - 1];
        x[j] = t;
    }
    double *src = merge_runs(x, tmp, n);
    if (src != x)
        memcpy(x, src, n * sizeof *x);
}

size_t hr_block_sort(const double *x, size_t n, size_t block, double *sorted, size_t *cnt)
{
    size_t nb = 0;
    for (size_t lo = 0; lo < n; lo += block, nb++) {
        size_t hi = lo + block < n ? lo + block : n, m = 0;
        for (size_t i = lo; i < hi; i++)
            if (isfinite(x[i]))
                sorted[lo + m++] = x[i];
        if (m <= MSORT_MAX)
            merge_sort(sorted + lo, m);
        else
            sort_finite(sorted + lo, m);
        cnt[nb] = m;
    }
    return nb;
}

/* Pops the k-th smallest (from 0) value of the union of the m sorted
 * arrays a[j][0..len[j]), advancing the arrays past it and every value
 * below it (so k = 0 next gives the following one). Each round drops,
 * from the array whose t-th value is least (t = min(k / active, len),
 * at least 1), its first t values: fewer than k values of the union can
 * precede them (Frederickson & Johnson 1982 for two arrays), so k falls
 * by a share of itself per round: O(m log k) rounds of m comparisons.
 * Needs k < the total count. */
static double pop_kth(const double **a, size_t *len, size_t m, size_t k)
{
    for (;;) {
        size_t active = 0;
        for (size_t j = 0; j < m; j++)
            active += len[j] > 0;
        size_t step = k / active ? k / active : 1, best = m;
        double bv = 0;
        for (size_t j = 0; j < m; j++) {
            if (!len[j])
                continue;
            size_t t = k ? (step < len[j] ? step : len[j]) : 1;
            if (best == m || a[j][t - 1] < bv) {
                best = j;
                bv = a[j][t - 1];
            }
        }
        size_t t = k ? (step < len[best] ? step : len[best]) : 1;
        a[best] += t;
        len[best] -= t;
        if (!k)
            return bv;
        k -= t;
    }
}

double hr_block_median(const double *sorted, const size_t *cnt, size_t block, size_t b0, size_t b1)
{
    const double *a[HR_BLOCK_MAX];
    size_t len[HR_BLOCK_MAX], m = 0, tot = 0;
    for (size_t b = b0; b < b1 && m < HR_BLOCK_MAX; b++)
        if (cnt[b]) {
            a[m] = sorted + b * block;
            len[m++] = cnt[b];
            tot += cnt[b];
        }
    if (!tot)
        return NAN;
    size_t lhs = (tot - 1) / 2, rhs = tot / 2;
    double lo = pop_kth(a, len, m, lhs);
    if (lhs == rhs)
        return lo;
    /* as gsl_stats_median: 0.5 * (a + b), the same bits as (a + b) / 2 */
    return 0.5 * (lo + pop_kth(a, len, m, 0));
}

void hr_merge(const double *a, size_t na, const double *b, size_t nb, double *out)
{
    /* From both ends at once: the front takes the least head (a's on a
     * tie), the back the greatest tail (b's on a tie), so the front writes
     * the first values of the one stable merge and the back its last, and
     * each step of the loop has two independent chains of load, compare
     * and move (one chain per step was latency-bound: about 10 cycles per
     * value). While both arrays have values between the front and the
     * back, the two cannot take the same one: with one value of a left,
     * the front takes it only if it is <= b's head and the back only if
     * it is > b's tail. The rest, from one array, is copied. */
    size_t i = 0, j = 0, ae = na, be = nb, lo = 0, hi = na + nb;
    while (i < ae && j < be) {
        double x = a[i], y = b[j];
        int t = y < x;
        out[lo++] = t ? y : x;
        j += (size_t)t;
        i += (size_t)!t;
        double xe = a[ae - 1], ye = b[be - 1];
        int u = ye < xe; /* a's tail strictly greater: ties take b's */
        out[--hi] = u ? xe : ye;
        ae -= (size_t)u;
        be -= (size_t)!u;
    }
    while (i < ae)
        out[lo++] = a[i++];
    while (j < be)
        out[lo++] = b[j++];
}

double hr_kth_of_two(const double *a, size_t na, const double *b, size_t nb, size_t k)
{
    /* the least i (values taken from a, j = k + 1 - i from b) with
     * i == na, j == 0 or b[j - 1] <= a[i]: the predicate only turns from
     * false to true as i grows, and at its least i also a[i - 1] <= b[j]
     * (else i - 1 would do), so a[0..i) and b[0..j) are the k + 1
     * smallest and the answer is the larger of their last values */
    size_t lo = k + 1 > nb ? k + 1 - nb : 0, hi = k + 1 < na ? k + 1 : na;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, j = k + 1 - mid;
        int ok = j == 0 || b[j - 1] <= a[mid];
        hi = ok ? mid : hi;
        lo = ok ? lo : mid + 1;
    }
    size_t j = k + 1 - lo;
    if (!lo)
        return b[j - 1];
    if (!j)
        return a[lo - 1];
    return a[lo - 1] < b[j - 1] ? b[j - 1] : a[lo - 1];
}
