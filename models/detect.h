/* detect.h -- the causal anomaly detector: one score in [0,1] per point,
 * from two statistics on what the best of three baselines does not
 * explain, each calibrated against its own trailing history, and spans.
 * Owns: the online baselines (a local median; the same on top of a daily
 * or of a weekly seasonal profile), the point and level-shift statistics,
 * their tail calibration and fusion, reporting an anomaly once, spans.
 * Causal: score[i] depends only on x[0..i] and t_ms[0..i], so appending
 * data never changes earlier scores. One configuration for every series.
 * Pure numerics: no I/O, no globals. Reentrant: scratch comes from an
 * hr_det_ws, one per thread; nothing allocates per point. */
#ifndef HR_DETECT_H
#define HR_DETECT_H

#include <stddef.h>
#include <stdint.h>

typedef struct hr_det_ws hr_det_ws;

/* A workspace; its size does not depend on max_n (the detector keeps
 * O(1) state per series: a trailing history of fixed length), which is
 * kept only as a hint. Returns new, free with hr_det_ws_free; NULL when
 * out of memory. */
hr_det_ws *hr_det_ws_alloc(size_t max_n);
void hr_det_ws_free(hr_det_ws *ws); /* NULL is a no-op */

/* Scores x[0..n) (values in input row order, NaN = missing) with their
 * timestamps t_ms[0..n) (UTC ms; may repeat or go backwards: the input is
 * taken as a sequence, timestamps only place points in the day).
 * Writes score[i] in [0,1], never NaN, for every i; 0 at a missing value.
 * The raw score is -log10(p) / 10 (capped at 1) for p the smaller of the
 * two statistics' tail probabilities times 2 (Bonferroni), damped while
 * the history is short. score[i] is the raw score where an anomaly starts
 * or clearly worsens (a p ten times smaller than reported so far in the
 * episode) and a tenth of it at the other points of an anomalous episode:
 * an anomaly crosses a threshold once, at its start (see detect.c, step 5).
 * level (may be NULL) receives the raw score, what spans follow.
 * t_ms may be NULL (no seasonality then). Returns 0. */
int hr_det_score(const double *x, const int64_t *t_ms, size_t n, hr_det_ws *ws, double *score, double *level);

/* Which member fired at each point, for explaining a detection: after
 * hr_det_trace(ws, fired), every later hr_det_score with that workspace
 * writes fired[i] (room for n) = 0 where no score was given, else
 * 1 + 2 b + s: b the baseline in use (HR_DET_BASE_*), s the statistic
 * with the smaller tail probability (HR_DET_STAT_*). NULL turns it off. */
enum { HR_DET_BASE_LOCAL = 0, HR_DET_BASE_DAILY = 1, HR_DET_BASE_WEEKLY = 2 };
enum { HR_DET_STAT_POINT = 0, HR_DET_STAT_SHIFT = 1 };
void hr_det_trace(hr_det_ws *ws, unsigned char *fired);
/* The parts of a fired[] value: -1 when it is 0 (not scored). Names:
 * "local median", "daily profile", "weekly profile"; "point", "shift";
 * NULL for anything else. */
int hr_det_fired_base(int fired);
int hr_det_fired_stat(int fired);
const char *hr_det_base_name(int base);
const char *hr_det_stat_name(int stat);

enum { HR_DET_SPIKE = 1, HR_DET_DIP = -1, HR_DET_SHIFT = 2 };

/* A slot of the week that the weekly baseline holds apart from the rest
 * of the days: a weekly job the detector has learnt as normal. */
typedef struct hr_det_pattern {
    int64_t week_ms; /* the slot's start, from Monday 00:00 UTC */
    int direction;   /* HR_DET_SPIKE (above the other days) or HR_DET_DIP */
    double z;        /* (weekly offset - daily offset) / the weekly model's scale */
} hr_det_pattern;

/* After hr_det_score with ws: the slots of the week whose weekly offset
 * (the median of their last 5 weeks) differs from the daily offset at
 * that time of day (the median of the last 3 days) by zmin or more of
 * the weekly model's scale: the weekly jobs that ran in at least 3 of
 * the last 5 weeks, which the detector takes as normal (the weekly
 * baseline holds them, or, when the daily one predicts as well, its
 * calibration does). Writes the cap largest |z| to out, the largest
 * first (ties: earlier in the week first); returns how many. */
size_t hr_det_weekly_pattern(const hr_det_ws *ws, double zmin, hr_det_pattern *out, size_t cap);

typedef struct hr_det_span {
    size_t start, end; /* indices, inclusive */
    size_t peak;       /* index of the largest score */
    double peak_score;
    int direction; /* HR_DET_SPIKE, HR_DET_DIP or HR_DET_SHIFT */
} hr_det_span;

/* Thresholds scores into spans: a span opens at a score >= threshold and
 * goes on while the levels (the raw scores of hr_det_score; score itself
 * when level is NULL) stay >= threshold / 2, allowing gaps of up to 3
 * points: an anomaly reported once is one span for as long as it lasts. direction, from x alone: with pre and post the
 * means of the 2 finite points just before and just after the span, and
 * the excursion the point of the span farthest from (pre + post) / 2:
 * HR_DET_SHIFT when |post - pre| exceeds the excursion, else HR_DET_SPIKE
 * or HR_DET_DIP by the sign of the excursion. x may hold NaN.
 * Writes at most cap spans (out may be NULL when cap is 0) and returns how
 * many there are in all. */
size_t hr_det_spans(const double *score, const double *level, const double *x, size_t n, double threshold,
                    hr_det_span *out, size_t cap);

#endif
