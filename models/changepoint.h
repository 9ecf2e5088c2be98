/* changepoint.h -- change points of one series: level shifts and slope
 * breaks, found by PELT (Killick, Fearnhead & Eckley 2012) on a robust,
 * piecewise-linear least-squares cost; and the TCPD accuracy metrics
 * (van den Burg & Williams 2020) used to judge it.
 * Owns: the noise and dependence estimates that scale the penalty, spike
 * clipping, the search, the classification of each break and its size.
 * Does not own: deseasonalising (the caller passes the series it wants
 * segmented) or matching breaks to events.
 * Pure numerics on arrays: no I/O, no globals. Reentrant: give each thread
 * its own workspace; nothing allocates after hr_cp_ws_alloc(). */
#ifndef HR_CHANGEPOINT_H
#define HR_CHANGEPOINT_H

#include <stddef.h>

/* Segment models. LINEAR: each segment is a line of its own (level and
 * slope may both change at a break); breaks are then classified as level
 * or slope. MEAN: each segment is a constant; only level shifts. */
enum { HR_CP_LINEAR = 0, HR_CP_MEAN = 1 };

/* Kinds of change point. */
enum { HR_CP_LEVEL = 1, HR_CP_SLOPE = 2 };

/* Options. Zero-initialised fields take the defaults shown, so `{0}` and
 * NULL both mean "defaults"; the defaults are meant for every series
 * unchanged (they adapt to length and noise by themselves). */
typedef struct hr_cp_opts {
    int model;           /* HR_CP_LINEAR (default) or HR_CP_MEAN */
    double penalty;      /* c in beta = c * log(m) * sigma^2 per break (3) */
    size_t min_seg;      /* shortest segment in points; 0 = automatic:
                          * max(min_seg_floor, ceil(min_seg_frac * n)) */
    size_t min_seg_floor;/* 5 */
    double min_seg_frac; /* 0.02 */
    size_t spike_len;    /* longest burst of points treated as a spike (6),
                          * capped at (min_seg - 1) / 2 */
    double clip_k;       /* spikes are clipped at clip_k robust sigmas
                          * around a running median (3) */
} hr_cp_opts;

/* One change point. Positions are indices into the caller's x. */
typedef struct hr_cp {
    size_t index;        /* first point of the new segment (finite x) */
    int kind;            /* HR_CP_LEVEL or HR_CP_SLOPE */
    double delta;        /* LEVEL: level_delta; SLOPE: slope_delta */
    double delta_pct;    /* 100 * delta / |level_before|, NaN when the
                          * level before is within noise of 0; for a
                          * SLOPE, percent of that level per point */
    double level_before; /* the previous segment's line at the break */
    double level_delta;  /* jump between the two segments' lines at the
                          * break (between the last old and first new point) */
    double slope_delta;  /* new slope - old slope, per index step (0 for
                          * HR_CP_MEAN) */
    double score;        /* cost saved by this break (neighbours fixed)
                          * over the penalty; >= 1 for every break kept */
} hr_cp;

/* What the detector used for one series (for reports and tests). */
typedef struct hr_cp_info {
    size_t used;         /* finite points */
    size_t min_seg;      /* effective minimum segment length */
    double sigma_noise;  /* robust point noise (from second differences) */
    double sigma_pen;    /* noise scale of the penalty, >= sigma_noise:
                          * also counts short-range dependence */
    double penalty;      /* beta in squared units of x */
} hr_cp_info;

typedef struct hr_cp_ws hr_cp_ws; /* opaque */

/* A workspace for series of up to max_n points. Returns new (NULL when
 * out of memory); free with hr_cp_ws_free, which accepts NULL. */
hr_cp_ws *hr_cp_ws_alloc(size_t max_n);
void hr_cp_ws_free(hr_cp_ws *ws);

/* Finds the change points of x[0..n-1] (NaN = missing: skipped by the
 * costs, positions kept). Writes the first min(found, cap) change points,
 * in index order, to out and returns how many were found in all; -1 when
 * n exceeds the workspace or x / ws is NULL with n > 0.
 *
 * Method: the finite points are winsorised at clip_k robust sigmas around
 * a running median of 2 * spike_len + 1 points (so bursts of up to
 * spike_len points cannot make segments), then segmented by PELT with
 * the cost of a least-squares line (or mean) per segment, a minimum
 * segment length, and the penalty beta = c * log(m) * sigma_pen^2, where
 * m is the number of finite points and sigma_pen^2 is the larger of the
 * point noise (MAD of second differences, Rousseeuw & Croux 1993) and a
 * long-run variance from differences of block means (Wu & Zhao 2007), so
 * that autocorrelated wiggles, seasonality and smooth curvature at the
 * scale of a segment do not pass for breaks. PELT's candidates lie on a
 * grid of every max(1, min(min_seg / 4, m / 512)) points (exact for up to
 * ~1,000 points; ruptures' `jump`, Truong et al. 2020), and each break
 * found is then placed exactly; the cost stays O(m) for any length.
 * A break is a LEVEL shift when the jump between the two lines is
 * significant (|t| >= 3) or larger in t than the change of slope; else a
 * SLOPE break.
 * Returns 0 (none) for fewer than 2 * min_seg finite points, a constant
 * series, or an all-NaN one. info (may be NULL) gets the scales used. */
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
