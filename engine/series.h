/* series.h -- the in-memory series model and its regular grid.
 * Owns: hr_series / hr_seriesset, placing raw samples onto a series'
 * grid (step detection, duplicate rule, merge with stored values) and
 * counter-to-rate conversion. Reads no files, prints nothing.
 * Reentrant: functions touch only the objects passed in. */
#ifndef HR_SERIES_H
#define HR_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum { HR_GAUGE = 0, HR_COUNTER = 1 };

/* Largest grid one series may have: 50 million points (a year and a half
 * at one second). A larger span is nearly always a stray timestamp. */
#define HR_MAX_POINTS ((size_t)50000000)

/* One series on a regular grid: value i is at t0_ms + i * step_ms; NaN is
 * a gap. step_ms is 0 only for a series with a single point. */
typedef struct hr_series {
    char *key;       /* metric{labels} exactly as the input named it */
    int kind;        /* HR_GAUGE or HR_COUNTER (raw counter values) */
    int64_t t0_ms;
    int64_t step_ms;
    size_t n;
    double *v;
} hr_series;

/* An ordered set of series; order is meaningful (input order). */
typedef struct hr_seriesset {
    hr_series *s;
    size_t n, cap;
} hr_seriesset;

/* One raw sample as read; seq is the input order, the tie-break of the
 * duplicate rule. */
typedef struct hr_sample {
    int64_t t_ms;
    double v;
    uint64_t seq;
} hr_sample;

/* What placing samples did, for messages and tests. */
typedef struct hr_place_stats {
    size_t added;        /* slots that were gaps or new and now hold a value */
    size_t same;         /* samples equal to what was stored */
    size_t conflicts;    /* stored value differs; stored value kept */
    size_t replaced;     /* stored value differs; replaced (replace mode) */
    size_t duplicates;   /* samples superseded by a later one in the same slot */
    size_t offgrid;      /* samples more than a quarter step off the grid */
    int extended;        /* the grid grew (new slots, possibly gaps) */
    int64_t first_conflict_ms;
} hr_place_stats;

void hr_series_clear(hr_series *s);          /* frees members; NULL ok */
void hr_seriesset_clear(hr_seriesset *set);  /* frees all; NULL ok */

/* Appends a new empty series with a copy of key; returns its index or -1
 * when out of memory. */
long hr_seriesset_add(hr_seriesset *set, const char *key, int kind);

/* Detects the sampling step of sorted samples: the median gap between
 * distinct timestamps, rounded to whole seconds when >= 1 s. Returns 0
 * when fewer than two distinct timestamps exist. */
int64_t hr_step_detect(const hr_sample *smp, size_t n);

/* Sorts samples by (t_ms, seq). */
void hr_samples_sort(hr_sample *smp, size_t n);

/* A grid whose points would fill under 1 % of its slots is refused when
 * it has at least HR_SPARSE_MIN_SLOTS slots: so sparse a grid is a stray
 * timestamp (a mistyped year, a missing digit), not a fleet's sampling,
 * and it costs memory for nothing (three points a minute apart and one
 * decades later ask for 45 M slots, 360 MB). Smaller grids (under
 * 512 KiB) are accepted however sparse: they cost less than the
 * series' own report rows. */
#define HR_SPARSE_MIN_SLOTS ((size_t)1 << 16)
#define HR_SPARSE_MIN_FILL 0.01

/* What hr_series_place would make of s's grid with n sorted samples,
 * without placing them: the step (its override step_ms, s's, or
 * detected), the slots and the times of the first and last slot
 * afterwards, and at most how many slots hold a value (s's values plus
 * n). far_low tells which end of the samples is the outlying one: 1 the
 * earliest, 0 the latest (the one farther from the bulk: the stored
 * grid's middle, or the samples' median time for a new series). Returns
 * HR_OK, or HR_ESOFTWARE when out of memory. */
typedef struct hr_grid_plan {
    int64_t step_ms;
    size_t slots, filled;
    int64_t t_first, t_last;
    int far_low;
} hr_grid_plan;
int hr_series_plan(const hr_series *s, const hr_sample *smp, size_t n, int64_t step_ms, hr_grid_plan *pl,
                   hr_err *err);

/* Places sorted samples onto s's grid. An empty s (n == 0) gets its grid
 * from the samples (step_ms if > 0, else detected; t0 = first timestamp).
 * A sample lands in the nearest slot. Rules, in order:
 *  - several samples for one slot in this batch: the latest timestamp
 *    wins, and among equal timestamps the last in input order;
 *  - NaN samples are gaps and never overwrite anything;
 *  - a slot that already holds a different value keeps it (counted as a
 *    conflict) unless replace is set.
 * Fails with HR_EINPUT if the grid would exceed HR_MAX_POINTS. */
int hr_series_place(hr_series *s, const hr_sample *smp, size_t n, int64_t step_ms, int replace,
                    hr_place_stats *st, hr_err *err);

/* Per-second rate of a raw counter on its grid, into out[s->n]: the
 * increase from the previous valid sample divided by the elapsed time,
 * assigned to the later slot; a decrease is a counter reset, where the
 * counter restarted from zero, so the increase is the new value itself
 * (the rule Prometheus' rate() uses). out[0] and slots without a valid
 * predecessor are NaN. */
void hr_series_rate(const hr_series *s, double *out);

/* Metric name of a key: the text before '{' (the whole key without one). */
size_t hr_key_metric_len(const char *key);

/* True when the key's metric name ends in "_total" (Prometheus counters). */
int hr_key_is_counter(const char *key);

#endif
