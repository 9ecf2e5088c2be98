/* changepoint.h -- change points of one series: level shifts and slope
 * breaks, found by PELT (Killick, Fearnhead & Eckley 2012) on a robust
 * cost of piecewise-constant or -linear segments; and the TCPD accuracy
 * metrics (van den Burg & Williams 2020) used to judge it.
 * Owns: spike removal, the noise and dependence estimates that scale the
 * penalty, the search, the kind of each break and its size.
 * Does not own: deseasonalising (the caller passes the series it wants
 * segmented) or matching breaks to events.
 * Pure numerics on arrays: no I/O, no globals. Reentrant: give each thread
 * its own workspace; nothing allocates after hr_cp_ws_alloc(). */
#ifndef HR_CHANGEPOINT_H
#define HR_CHANGEPOINT_H

#include <stddef.h>

/* Segment models. LINEAR: each segment is a level or a line of its own
 * (level and slope may both change at a break); breaks are classified as
 * level or slope. MEAN: each segment is a constant; only level shifts. */
enum { HR_CP_LINEAR = 0, HR_CP_MEAN = 1 };

/* Kinds of change point. */
enum { HR_CP_LEVEL = 1, HR_CP_SLOPE = 2 };

/* Options. Zero-initialised fields take the defaults shown, so `{0}` and
 * NULL both mean "defaults"; the defaults are meant for every series
 * unchanged (they adapt to length and noise by themselves). */
typedef struct hr_cp_opts {
    int model;           /* HR_CP_LINEAR (default) or HR_CP_MEAN */
    double penalty;      /* c in beta = c * log(m) * lam per break (3) */
    size_t min_seg;      /* shortest segment in points (>= 3); 0 = auto:
                          * max(min_seg_floor, ceil(min_seg_frac * n)) */
    size_t min_seg_floor;/* 5 */
    double min_seg_frac; /* 0.02 */
    size_t spike_len;    /* longest burst of points treated as a spike (6),
                          * capped at min_seg - 1 */
    double clip_k;       /* a point further than clip_k robust sds from
                          * the running median is a spike (3) */
} hr_cp_opts;

/* One change point. Positions are indices into the caller's x. */
typedef struct hr_cp {
    size_t index;        /* first point of the new segment (a finite x;
                          * after a gap, the first point past it) */
    int kind;            /* HR_CP_LEVEL or HR_CP_SLOPE */
    double delta;        /* LEVEL: level_delta; SLOPE: slope_delta */
    double delta_pct;    /* 100 * delta / |level_before|, NaN when the
                          * level before is within noise of 0; for a
                          * SLOPE, percent of that level per point */
    double level_before; /* the level just before the break: for a LEVEL,
                          * the previous segment's fit at the break, for a
                          * SLOPE the hinge's (fitted near the break) */
    double level_delta;  /* jump at the break: the next segment's fit minus
                          * the previous one's, both at the break */
    double slope_delta;  /* new slope - old slope, per index step, from
                          * a hinge over the two segments (0 for the
                          * HR_CP_MEAN model) */
    double score;        /* cost saved by this break (neighbours fixed)
                          * over the penalty; >= 1 */
} hr_cp;

/* What the detector used for one series (for reports and tests). */
typedef struct hr_cp_info {
    size_t used;         /* finite points */
    size_t min_seg;      /* effective minimum segment length */
    double sigma_noise;  /* robust point noise, units of x */
    double sigma_local;  /* noise about a line over half a minimum segment,
                          * units of x: the least variance of a segment */
    double lrv_ratio;    /* long-run over local variance (>= 1): how much
                          * dependence inflates the penalty */
    double penalty;      /* beta, in units of -2 log-likelihood */
} hr_cp_info;

typedef struct hr_cp_ws hr_cp_ws; /* opaque */

/* A workspace for series of up to max_n points. Returns new (NULL when
 * out of memory); free with hr_cp_ws_free, which accepts NULL. */
hr_cp_ws *hr_cp_ws_alloc(size_t max_n);
void hr_cp_ws_free(hr_cp_ws *ws);

/* Finds the change points of x[0..n-1] (NaN or infinite = missing:
 * skipped by the costs, positions kept). Writes the first min(found, cap)
 * change points, in index order, to out (which may be NULL when cap is 0)
 * and returns how many were found in all; -1 when n exceeds the
 * workspace's capacity or x / ws is NULL with n > 0. Deterministic.
 *
 * Method (details and references in changepoint.c):
 *  1. Spikes: a Hampel filter replaces points more than clip_k robust sds
 *     from a running median of 2h + 1 points, h = min(spike_len,
 *     min_seg - 1), so bursts of up to h points vanish while steps stay.
 *  2. Scales, from robust differences: the point noise (the unit), the
 *     sd about a line over b = min_seg / 2 points (the least variance of a
 *     segment) and the long-run sd from block means at b and 2b (Wu &
 *     Zhao 2007); lam = long-run / local variance >= 1 measures dependence
 *     (wandering, leftover seasonality, curvature). When lam >= 1.5 they
 *     are measured again without the differences that straddle the breaks
 *     found, and the search (3, 4) repeated while lam drops (at most three
 *     rounds): breaks a few blocks apart would otherwise pass for
 *     dependence. Then the same ratio at the long scales 4b, 8b, ... up
 *     to m / 12 (m / 8 for HR_CP_MEAN), without the stretches that cross
 *     a break found: when it is 1.5 times lam or more (long-range
 *     dependence: a wandering series), the search is run once more with
 *     lam raised to it.
 *  3. PELT (Killick et al. 2012) with the minimum segment length; a
 *     segment costs -2 log-likelihood of its mean, or of its line plus
 *     log(m) lam for the slope (BIC), with its own variance above the
 *     floor; each break pays beta = c log(m) lam (c = 3 as in the MBIC of
 *     Zhang & Siegmund 2007). Candidates lie on a grid of up to ~256
 *     points, refined around the breaks found down to single points: O(m)
 *     at any length, exact near the breaks.
 *  4. A break is dropped unless it pays beta against one segment and (for
 *     HR_CP_LINEAR) one parabola over its two segments, so that smooth
 *     curvature is not cut into lines.
 *  5. Kind: of a jump with a common slope, and a continuous change of
 *     slope (a hinge), the model that fits better within 3 min_seg points
 *     of the break; a slope break is then placed where the hinge fits best
 *     nearby (if it still pays its penalty there). The levels on either
 *     side come from each side's own fit (mean or line, as in the cost)
 *     within 8 min_seg points, so that smooth curvature biases both alike
 *     and cancels in the jump; the change of slope from a hinge over the
 *     two segments.
 * Returns 0 (none) for fewer than 2 * min_seg finite points, a constant
 * series (or, linear model, an exact line), or an all-NaN one. info (may
 * be NULL) gets the scales used. */
long hr_cp_detect(const double *x, size_t n, const hr_cp_opts *opts, hr_cp_ws *ws, hr_cp *out,
                  size_t cap, hr_cp_info *info);

/* ---- TCPD metrics (van den Burg & Williams 2020, "An evaluation of
 * change point detection algorithms", section 4) -----------------------
 * A set of change points is an array of indices into a series of n
 * points (any order, duplicates allowed); index i starts a new segment.
 * ann[k] / ann_n[k] are the K annotators' sets. Index 0 is added to
 * every set; predictions outside 1 <= i < n - 1 are ignored. scratch
 * holds at least 3 * n + 3 size_t. */

/* F1 with a margin: each true point is matched to at most one prediction
 * within +-margin (the closest unmatched one, true points taken in
 * ascending order); precision = matched predictions / predictions against
 * the union of the annotators' points; recall = mean over annotators of
 * their matched points / their points; F1 = 2PR / (P + R). precision and
 * recall may be NULL. Returns NaN when n == 0 or K == 0. */
double hr_cp_score_f1(const size_t *const *ann, const size_t *ann_n, size_t K,
                      const size_t *pred, size_t npred, size_t n, size_t margin,
                      size_t *scratch, double *precision, double *recall);

/* Cover: for each annotator, the sum over their segments A of |A| times
 * the largest Jaccard index |A and A'| / |A or A'| over the predicted
 * segments A', divided by n; averaged over annotators. Returns NaN when
 * n == 0 or K == 0. */
double hr_cp_score_cover(const size_t *const *ann, const size_t *ann_n, size_t K,
                         const size_t *pred, size_t npred, size_t n, size_t *scratch);

#endif
