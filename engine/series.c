/* series.c -- see series.h. */
#include "series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"

void hr_series_clear(hr_series *s)
{
    if (!s)
        return;
    free(s->key);
    free(s->v);
    memset(s, 0, sizeof *s);
}

void hr_seriesset_clear(hr_seriesset *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        hr_series_clear(&set->s[i]);
    free(set->s);
    memset(set, 0, sizeof *set);
}

long hr_seriesset_add(hr_seriesset *set, const char *key, int kind)
{
    if (set->n == set->cap) {
        size_t nc = set->cap ? set->cap * 2 : 16;
        hr_series *p = realloc(set->s, nc * sizeof *p);
        if (!p)
            return -1;
        set->s = p;
        set->cap = nc;
    }
    hr_series *s = &set->s[set->n];
    memset(s, 0, sizeof *s);
    s->key = strdup(key);
    if (!s->key)
        return -1;
    s->kind = kind;
    return (long)set->n++;
}

static int cmp_sample(const void *a, const void *b)
{
    const hr_sample *x = a, *y = b;
    if (x->t_ms != y->t_ms)
        return x->t_ms < y->t_ms ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

void hr_samples_sort(hr_sample *smp, size_t n)
{
    /* exports are nearly always already in order: check before sorting */
    for (size_t i = 1; i < n; i++)
        if (cmp_sample(&smp[i - 1], &smp[i]) > 0) {
            qsort(smp, n, sizeof *smp, cmp_sample);
            return;
        }
}

/* The k-th smallest of d[0..n) (k < n), reordering d: quickselect with
 * a three-way partition, so that the runs of equal gaps of a regular
 * series (nearly all of them) end the search at once instead of making
 * it quadratic. The value is the one a full sort would put at k; this
 * only avoids sorting n - 1 gaps per series (5 % of an ingest). */
static int64_t kth_i64(int64_t *d, size_t n, size_t k)
{
    size_t lo = 0, hi = n; /* the answer is in d[lo..hi) */
    for (;;) {
        int64_t piv = d[lo + (hi - lo) / 2];
        size_t lt = lo, i = lo, gt = hi; /* [lo,lt) < piv, [lt,i) == piv, [gt,hi) > piv */
        while (i < gt) {
            if (d[i] < piv) {
                int64_t x = d[i];
                d[i++] = d[lt];
                d[lt++] = x;
            } else if (d[i] > piv) {
                int64_t x = d[i];
                d[i] = d[--gt];
                d[gt] = x;
            } else {
                i++;
            }
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return piv;
    }
}

int64_t hr_step_detect(const hr_sample *smp, size_t n)
{
    if (n < 2)
        return 0;
    int64_t *d = malloc((n - 1) * sizeof *d);
    if (!d)
        return 0;
    size_t m = 0;
    for (size_t i = 1; i < n; i++)
        if (smp[i].t_ms != smp[i - 1].t_ms)
            d[m++] = smp[i].t_ms - smp[i - 1].t_ms;
    int64_t step = 0;
    if (m) {
        step = kth_i64(d, m, (m - 1) / 2); /* lower median: a real observed gap */
        if (step >= 1000)
            step = (step + 500) / 1000 * 1000;
    }
    free(d);
    return step;
}

static int64_t slot_of(int64_t t, int64_t t0, int64_t step)
{
    return (int64_t)floor((double)(t - t0) / (double)step + 0.5);
}

/* The step a grid without one gets: the override, else the one detected
 * in the samples plus s's single stored point (if any). */
static int plan_step(const hr_series *s, const hr_sample *smp, size_t n, int64_t step_ms, int64_t *step,
                     hr_err *err)
{
    *step = step_ms;
    if (step_ms > 0)
        return HR_OK;
    hr_sample *all = malloc((n + 1) * sizeof *all);
    if (!all)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    memcpy(all, smp, n * sizeof *all);
    size_t m = n;
    if (s->n == 1)
        all[m++] = (hr_sample){s->t0_ms, s->v[0], 0};
    hr_samples_sort(all, m);
    *step = hr_step_detect(all, m);
    free(all);
    return HR_OK;
}

int hr_series_plan(const hr_series *s, const hr_sample *smp, size_t n, int64_t step_ms, hr_grid_plan *pl,
                   hr_err *err)
{
    memset(pl, 0, sizeof *pl);
    int64_t t0 = s->n ? s->t0_ms : (n ? smp[0].t_ms : 0);
    int64_t step = s->n ? s->step_ms : 0;
    if (step == 0 && n && plan_step(s, smp, n, step_ms, &step, err))
        return err->code;
    pl->step_ms = step;
    size_t stored = 0;
    for (size_t i = 0; i < s->n; i++)
        stored += !isnan(s->v[i]);
    pl->filled = stored + n;
    if (step == 0 || n == 0) {
        pl->slots = s->n ? s->n : (n ? 1 : 0);
        pl->t_first = pl->t_last = t0;
        return HR_OK;
    }
    int64_t kmin = s->n ? 0 : INT64_MAX, kmax = s->n ? (int64_t)s->n - 1 : INT64_MIN;
    int64_t k0 = slot_of(smp[0].t_ms, t0, step), k1 = slot_of(smp[n - 1].t_ms, t0, step);
    kmin = k0 < kmin ? k0 : kmin;
    kmax = k1 > kmax ? k1 : kmax;
    pl->slots = (size_t)((uint64_t)(kmax - kmin) + 1);
    pl->t_first = t0 + kmin * step;
    pl->t_last = t0 + kmax * step;
    /* the bulk: the stored grid's middle, else the samples' median */
    double mid = s->n ? (double)t0 + 0.5 * (double)(s->n - 1) * (double)step : (double)smp[n / 2].t_ms;
    pl->far_low = mid - (double)smp[0].t_ms > (double)smp[n - 1].t_ms - mid;
    return HR_OK;
}

int hr_series_place(hr_series *s, const hr_sample *smp, size_t n, int64_t step_ms, int replace,
                    hr_place_stats *st, hr_err *err)
{
    hr_place_stats dummy;
    if (!st)
        st = &dummy;
    if (n == 0)
        return HR_OK;
    char tb[2][40];
    if (s->n == 0) {
        s->t0_ms = smp[0].t_ms;
        s->step_ms = 0;
    }
    if (s->step_ms == 0) {
        /* a grid without a step (empty, or a single stored point) takes
         * its step from the override or from the data (plus that point) */
        int64_t step;
        if (plan_step(s, smp, n, step_ms, &step, err))
            return err->code;
        s->step_ms = step;
        if (step == 0) {
            /* every sample at one timestamp: a one-point grid */
            if (s->n == 0) {
                s->v = malloc(sizeof *s->v);
                if (!s->v)
                    return hr_err_set(err, HR_ESOFTWARE, "out of memory");
                s->v[0] = NAN;
                s->n = 1;
                st->extended = 1;
            }
            for (size_t i = 0; i < n; i++) {
                if (isnan(smp[i].v))
                    continue;
                double old = s->v[0];
                if (isnan(old))
                    st->added++;
                else if (old == smp[i].v)
                    st->same++;
                else if (replace)
                    st->replaced++;
                else {
                    st->conflicts++;
                    st->first_conflict_ms = smp[i].t_ms;
                    continue;
                }
                s->v[0] = smp[i].v;
            }
            return HR_OK;
        }
    }
    const int64_t step = s->step_ms;
    if (s->n == 0 && step >= 27 * INT64_C(86400000)) {
        /* Calendar steps (months, quarters, years) are not of equal length:
         * on a grid of their median length, a long history drifts until
         * two rows share a slot. Such a new series is placed by order
         * instead, one slot per distinct timestamp, at their mean spacing;
         * its grid times t0 + i * step are then within the calendar's
         * unevenness of the true times. */
        int collide = 0;
        int64_t prev_slot = INT64_MIN;
        for (size_t i = 0; i < n && !collide; i++) {
            if (i && smp[i].t_ms == smp[i - 1].t_ms)
                continue;
            int64_t k = slot_of(smp[i].t_ms, smp[0].t_ms, step);
            collide = k == prev_slot;
            prev_slot = k;
        }
        if (collide) {
            size_t m = 1;
            for (size_t i = 1; i < n; i++)
                m += smp[i].t_ms != smp[i - 1].t_ms;
            if (m > HR_MAX_POINTS)
                return hr_err_set(err, HR_EINPUT, "series %s: too many points", s->key);
            s->v = malloc(m * sizeof *s->v);
            if (!s->v)
                return hr_err_set(err, HR_ESOFTWARE, "out of memory for series %s", s->key);
            s->n = m;
            s->t0_ms = smp[0].t_ms;
            /* the mean spacing keeps t0 + i * step within the calendar's
             * own unevenness of the true times (days for months) */
            if (m > 1)
                s->step_ms = (smp[n - 1].t_ms - smp[0].t_ms) / (int64_t)(m - 1) / 1000 * 1000;
            st->extended = 1;
            size_t k = 0;
            for (size_t i = 0; i < n; i++) {
                if (i && smp[i].t_ms != smp[i - 1].t_ms)
                    k++;
                if (i == 0 || smp[i].t_ms != smp[i - 1].t_ms)
                    s->v[k] = NAN;
                if (!isnan(smp[i].v)) {
                    if (!isnan(s->v[k]))
                        st->duplicates++;
                    else
                        st->added++;
                    s->v[k] = smp[i].v;
                }
            }
            return HR_OK;
        }
    }
    int64_t kmin = s->n ? 0 : INT64_MAX, kmax = s->n ? (int64_t)s->n - 1 : INT64_MIN;
    int64_t k0 = slot_of(smp[0].t_ms, s->t0_ms, step);
    int64_t k1 = slot_of(smp[n - 1].t_ms, s->t0_ms, step);
    if (k0 < kmin)
        kmin = k0;
    if (k1 > kmax)
        kmax = k1;
    uint64_t span = (uint64_t)(kmax - kmin) + 1;
    if (span > HR_MAX_POINTS)
        return hr_err_set(err, HR_EINPUT,
                          "series %s: timestamps from %s to %s at a step of %lld ms need %llu "
                          "points (limit %zu): look for a stray timestamp or give --step",
                          s->key, hr_time_format(s->t0_ms + kmin * step, tb[0], sizeof tb[0]),
                          hr_time_format(s->t0_ms + kmax * step, tb[1], sizeof tb[1]),
                          (long long)step, (unsigned long long)span, HR_MAX_POINTS);
    if (kmin < 0 || kmax >= (int64_t)s->n) {
        double *nv = malloc(span * sizeof *nv);
        if (!nv)
            return hr_err_set(err, HR_ESOFTWARE, "out of memory for series %s", s->key);
        for (size_t i = 0; i < span; i++)
            nv[i] = NAN;
        if (s->n)
            memcpy(nv + (0 - kmin), s->v, s->n * sizeof *nv);
        free(s->v);
        s->v = nv;
        s->n = span;
        s->t0_ms += kmin * step;
        st->extended = 1;
    }
    /* samples are sorted, so the samples of one slot are adjacent: the
     * last non-NaN one of each run is the one kept */
    size_t i = 0;
    while (i < n) {
        int64_t k = slot_of(smp[i].t_ms, s->t0_ms, step);
        size_t j = i, last = (size_t)-1, valid = 0;
        while (j < n && slot_of(smp[j].t_ms, s->t0_ms, step) == k) {
            int64_t off = smp[j].t_ms - (s->t0_ms + k * step);
            if (4 * llabs(off) > step)
                st->offgrid++;
            if (!isnan(smp[j].v)) {
                last = j;
                valid++;
            }
            j++;
        }
        if (valid > 1)
            st->duplicates += valid - 1;
        if (last != (size_t)-1) {
            double x = smp[last].v, old = s->v[k];
            if (isnan(old)) {
                s->v[k] = x;
                st->added++;
            } else if (old == x) {
                st->same++;
            } else if (replace) {
                s->v[k] = x;
                st->replaced++;
            } else {
                if (!st->conflicts)
                    st->first_conflict_ms = smp[last].t_ms;
                st->conflicts++;
            }
        }
        i = j;
    }
    return HR_OK;
}

void hr_series_rate(const hr_series *s, double *out)
{
    double prev = NAN;
    size_t pi = 0;
    for (size_t i = 0; i < s->n; i++) {
        double x = s->v[i];
        out[i] = NAN;
        if (!isfinite(x))
            continue;
        if (isfinite(prev) && s->step_ms > 0) {
            double inc = x >= prev ? x - prev : x; /* reset: restarted from 0 */
            out[i] = inc / ((double)(i - pi) * (double)s->step_ms / 1000.0);
        }
        prev = x;
        pi = i;
    }
}

size_t hr_key_metric_len(const char *key)
{
    const char *b = strchr(key, '{');
    return b ? (size_t)(b - key) : strlen(key);
}

int hr_key_is_counter(const char *key)
{
    size_t n = hr_key_metric_len(key);
    return n >= 6 && memcmp(key + n - 6, "_total", 6) == 0;
}
