/* profile.c -- see profile.h. */
#include "profile.h"

#include <math.h>

#include "robust.h"

/* 1970-01-01 was a Thursday: Monday 00:00 UTC is 4 days after a week
 * boundary counted from the epoch. */
#define MONDAY_OFFSET_MS (4 * HR_DAY_MS)

static int64_t mod64(int64_t a, int64_t m)
{
    int64_t r = a % m;
    return r < 0 ? r + m : r;
}

hr_season hr_season_choose(int64_t t0_ms, int64_t step_ms, size_t n)
{
    hr_season s = {0, 1, t0_ms, step_ms};
    if (step_ms <= 0 || n < 2)
        return s;
    double span = (double)n * (double)step_ms;
    if (HR_WEEK_MS % step_ms == 0 && step_ms < HR_WEEK_MS && span >= 3.0 * HR_WEEK_MS)
        s.period_ms = HR_WEEK_MS;
    else if (HR_DAY_MS % step_ms == 0 && step_ms < HR_DAY_MS && span >= 3.0 * HR_DAY_MS)
        s.period_ms = HR_DAY_MS;
    if (s.period_ms)
        s.slots = (size_t)(s.period_ms / step_ms);
    return s;
}

size_t hr_season_slot(const hr_season *s, size_t i)
{
    if (!s->period_ms)
        return 0;
    int64_t t = s->t0_ms + (int64_t)i * s->step_ms;
    int64_t base = s->period_ms == HR_WEEK_MS ? MONDAY_OFFSET_MS : 0;
    return (size_t)(mod64(t - base, s->period_ms) / s->step_ms);
}


void hr_daily_level(const double *v, size_t n, int64_t t0_ms, int64_t step_ms, double *out,
                    double *scratch)
{
    size_t i = 0;
    while (i < n) {
        int64_t t = t0_ms + (int64_t)i * step_ms;
        int64_t day_end = t - mod64(t, HR_DAY_MS) + HR_DAY_MS;
        size_t j = i, m = 0;
        while (j < n && t0_ms + (int64_t)j * step_ms < day_end)
            scratch[m++] = v[j++];
        double med = hr_median_finite(scratch, m);
        for (size_t k = i; k < j; k++)
            out[k] = med;
        i = j;
    }
}

void hr_profile_fit(const double *v, size_t n, const hr_season *s, const double *level,
                    double *prof, double *work)
{
    if (!s->period_ms) {
        prof[0] = 0;
        return;
    }
    /* gather each slot's detrended values contiguously: slot k's values
     * are at indices k, k + slots, ... once aligned to the first slot */
    size_t first = hr_season_slot(s, 0);
    for (size_t k = 0; k < s->slots; k++) {
        size_t m = 0;
        size_t start = (k + s->slots - first) % s->slots;
        for (size_t i = start; i < n; i += s->slots)
            if (isfinite(v[i]) && isfinite(level[i]))
                work[m++] = v[i] - level[i];
        double med = hr_median_finite(work, m);
        prof[k] = isfinite(med) ? med : 0.0;
    }
}

void hr_season_naive(const double *v, size_t n, const hr_season *s, double *out, size_t H)
{
    size_t P = s->period_ms ? s->slots : 1;
    for (size_t h = 0; h < H && n == 0; h++)
        out[h] = NAN;
    for (size_t h = 0; h < H && n > 0; h++) {
        out[h] = NAN;
        /* the same slot in the latest period with a value */
        size_t target = n + h; /* grid index of the forecast point */
        size_t back = ((target - (n - 1)) + P - 1) / P * P; /* smallest multiple of P reaching data */
        for (size_t b = back; b <= target; b += P) {
            size_t i = target - b;
            if (isfinite(v[i])) {
                out[h] = v[i];
                break;
            }
        }
    }
}
