/* profile.h -- the baseline seasonal model: a robust seasonal profile (the
 * median per slot of the week or day, after removing a daily-median level)
 * and the seasonal naive forecast.
 * Owns: period choice for the baseline, slot arithmetic, profile fitting.
 * Pure numerics on arrays: no I/O, no globals. Reentrant; callers pass
 * scratch space, so nothing allocates per point. */
#ifndef HR_PROFILE_H
#define HR_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#define HR_DAY_MS INT64_C(86400000)
#define HR_WEEK_MS (7 * HR_DAY_MS)

/* The slots of one period of a regular series. period_ms 0 = no season. */
typedef struct hr_season {
    int64_t period_ms;   /* HR_WEEK_MS, HR_DAY_MS or 0 */
    size_t slots;        /* period_ms / step_ms (1 when no season) */
    int64_t t0_ms, step_ms;
} hr_season;

/* Picks the baseline's period for a series of n points: the week when the
 * step divides it and at least three weeks are present, else the day
 * (three days), else none. Weeks start on Monday 00:00 UTC. */
hr_season hr_season_choose(int64_t t0_ms, int64_t step_ms, size_t n);

/* Slot (0 .. slots-1) of grid index i. */
size_t hr_season_slot(const hr_season *s, size_t i);

/* Daily level: out[i] = median of the finite values of the UTC day that
 * holds point i (NaN when that day has none). Robust to anomalies shorter
 * than half a day. scratch holds at least (points per day) doubles. */
void hr_daily_level(const double *v, size_t n, int64_t t0_ms, int64_t step_ms, double *out,
                    double *scratch);

/* Fits the profile: prof[slot] = median over that slot of (v - level),
 * where level is hr_daily_level (or 0 for series without sub-daily
 * detail). prof has s->slots entries; a slot with no data gets 0.
 * work must hold n doubles, level n doubles. */
void hr_profile_fit(const double *v, size_t n, const hr_season *s, const double *level,
                    double *prof, double *work);

/* Seasonal naive: out[h] (h = 0..H-1, the steps after the last point) =
 * the value one period earlier, walking back whole periods past gaps;
 * the last finite value when the series has no season. NaN when nothing
 * is known. */
void hr_season_naive(const double *v, size_t n, const hr_season *s, double *out, size_t H);

#endif
