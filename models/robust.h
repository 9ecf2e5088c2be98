/* robust.h -- small robust statistics shared by the models.
 * Owns: selection (the k-th smallest), the median of the finite values
 * of an array, and sliding medians over windows of whole blocks.
 * Pure functions on caller-owned arrays; no I/O, no globals; reentrant. */
#ifndef HR_ROBUST_H
#define HR_ROBUST_H

#include <stddef.h>

/* Median of the finite values of x[0..n), NaN when there are none.
 * Reorders x (compacts the finite values to the front, then hr_select:
 * O(n), unlike a full sort). The same value as gsl_stats_median on the
 * finite values: the middle one, or 0.5 * (a + b) of the middle two. */
double hr_median_finite(double *x, size_t n);

/* Median of the n values x[0..n), none NaN (infinities count), as
 * gsl_stats_median (0 for n == 0): the middle one, or 0.5 * (a + b) of
 * the middle two. Reorders x so that x[0..(n - 1) / 2] <= the lower
 * middle value <= the rest: hr_select, or for n <= HR_MEDIAN_SORT a
 * full sort (groups of 8 by a sorting network, then merges), branch-free:
 * a day of hours, the commonest short median here, 6.0 -> 4.9 ns per
 * value, 8 values 10.6 -> 2.1 (the same value, but for the sign of a
 * zero, as hr_select notes). */
#define HR_MEDIAN_SORT 24
double hr_median(double *x, size_t n);

/* The k-th smallest (from 0) of the n > k values x[0..n), none NaN.
 * Reorders x so that x[0..k) <= x[k] <= x(k..n). A quickselect with a
 * median-of-three pivot and branch-free partitions (two per round: below
 * the pivot, then equal to it, so ties cannot stall it), insertion sort
 * for the last HR_SELECT_SMALL values and a heapsort when the pivots
 * keep failing: O(n) expected, O(n log n) at worst. The value is the
 * order statistic, so any correct selection (gsl_stats_select's, a sort)
 * gives it bit for bit, except which of equal +0 and -0 comes back. */
double hr_select(double *x, size_t n, size_t k);

/* Below this many values the rest is insertion-sorted. 8, not the 16 of
 * most introsorts (and of sort_finite): a sort must find the one place of
 * each value, a branch the predictor misses about once per value, while
 * a branch-free partition round only halves the range. Measured on
 * medians of random blocks (ns per value, 16 -> 8): 24 values 7.6 -> 6.2,
 * 52 values 6.1 -> 5.8, 168 values 3.7 -> 3.5, 365 values 3.3 -> 3.1. */
#define HR_SELECT_SMALL 8

/* Sliding medians over windows made of whole blocks (trend windows
 * that move by a fraction of their length): sort each block's finite
 * values once, then the median of any run of consecutive blocks is a
 * selection among a few sorted arrays, O(blocks x log(window)), instead
 * of a selection over the whole window at every step. The median is the
 * one of hr_median_finite over the same values: the middle value, or
 * 0.5 * (a + b) of the two middle values for an even count (as
 * gsl_stats_median). Non-finite values are ignored, as there. */

/* Writes the finite values of each block of x[0..n) (block points each
 * from index 0, the last one possibly shorter), ascending, to
 * sorted[b * block ...] and their count to cnt[b]; sorted has room for n,
 * cnt for the returned number of blocks, ceil(n / block). block >= 1. */
size_t hr_block_sort(const double *x, size_t n, size_t block, double *sorted, size_t *cnt);

/* The median of the finite values of blocks b0 .. b1 - 1 (b1 - b0 <=
 * HR_BLOCK_MAX) as laid out by hr_block_sort; NaN when they hold none.
 * HR_BLOCK_MAX bounds the stack arrays of the selection: the trend's
 * windows are 4 blocks (a period in quarters; 2 blocks of one point for
 * periods under 4 points), so 16 is room to spare; with many more blocks
 * (m rounds of m comparisons each) a plain selection would be cheaper. */
#define HR_BLOCK_MAX 16
double hr_block_median(const double *sorted, const size_t *cnt, size_t block, size_t b0, size_t b1);

/* Merges the ascending a[0..na) and b[0..nb) into out[0..na + nb)
 * (not overlapping them), ascending; of equal values a's come first.
 * Branch-free: each step moves the smaller head with a conditional
 * move, where a merge that branches mispredicts on every interleaving. */
void hr_merge(const double *a, size_t na, const double *b, size_t nb, double *out);

/* The k-th smallest (from 0; k < na + nb) of the union of the ascending
 * a[0..na) and b[0..nb), none NaN: a binary search for how many of the
 * k + 1 smallest come from a, O(log(na + nb)). The order statistic
 * numerically, as hr_select. Reads a and b only. */
double hr_kth_of_two(const double *a, size_t na, const double *b, size_t nb, size_t k);

/* Medians of 3, 5 and 9 values by comparator networks (Paeth 1990,
 * "Median finding on a 3x3 grid", Graphics Gems; Devillard 1998, "Fast
 * median search", opt_med3/5/9: 3, 7 and 19 compare-exchanges). Each
 * exchange is a minimum (a < b ? a : b) and a maximum (b < a ? a : b),
 * the operand order of minsd/maxsd, which GCC then emits (with the
 * maximum as (a < b ? b : a) it emitted branches): no branch on the
 * data, where a sorted window updated by insertion mispredicts about
 * twice per update. For values without NaN the result is the middle
 * order statistic, numerically; of equal +0 and -0 either may come
 * back. Inline: the detector calls them for every point. Reads v; keeps
 * nothing. */
#define HR_CE_(a, b)                    \
    do {                                \
        double lo_ = a < b ? a : b;     \
        double hi_ = b < a ? a : b;     \
        a = lo_;                        \
        b = hi_;                        \
    } while (0)

static inline double hr_median3(const double *v)
{
    double a = v[0], b = v[1], c = v[2];
    HR_CE_(a, b);
    HR_CE_(b, c);
    HR_CE_(a, b);
    return b;
}

static inline double hr_median5(const double *v)
{
    double p0 = v[0], p1 = v[1], p2 = v[2], p3 = v[3], p4 = v[4];
    HR_CE_(p0, p1);
    HR_CE_(p3, p4);
    HR_CE_(p0, p3);
    HR_CE_(p1, p4);
    HR_CE_(p1, p2);
    HR_CE_(p2, p3);
    HR_CE_(p1, p2);
    return p2;
}

static inline double hr_median9(const double *v)
{
    double p0 = v[0], p1 = v[1], p2 = v[2], p3 = v[3], p4 = v[4], p5 = v[5], p6 = v[6], p7 = v[7],
           p8 = v[8];
    HR_CE_(p1, p2);
    HR_CE_(p4, p5);
    HR_CE_(p7, p8);
    HR_CE_(p0, p1);
    HR_CE_(p3, p4);
    HR_CE_(p6, p7);
    HR_CE_(p1, p2);
    HR_CE_(p4, p5);
    HR_CE_(p7, p8);
    HR_CE_(p0, p3);
    HR_CE_(p5, p8);
    HR_CE_(p4, p7);
    HR_CE_(p3, p6);
    HR_CE_(p1, p4);
    HR_CE_(p2, p5);
    HR_CE_(p4, p7);
    HR_CE_(p4, p2);
    HR_CE_(p6, p4);
    HR_CE_(p4, p2);
    return p4;
}

#endif
