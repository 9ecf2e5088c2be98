/* slo.c -- see slo.h. */
#include "slo.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

const hr_slo_rule hr_slo_rules_page[2] = {
    {HOUR_MS, 5 * MIN_MS, 14.4, HR_SLO_PAGE},
    {6 * HOUR_MS, 30 * MIN_MS, 6.0, HR_SLO_PAGE},
};

const hr_slo_rule hr_slo_rules_workbook[3] = {
    {HOUR_MS, 5 * MIN_MS, 14.4, HR_SLO_PAGE},
    {6 * HOUR_MS, 30 * MIN_MS, 6.0, HR_SLO_PAGE},
    {3 * DAY_MS, 6 * HOUR_MS, 1.0, HR_SLO_TICKET},
};

static int fail(hr_slo_err *err, int code, size_t index, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(hr_slo_err *err, int code, size_t index, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        err->index = index;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void hr_slo_cfg_init(hr_slo_cfg *cfg)
{
    cfg->objective = 0.999;
    cfg->window_days = 30;
    cfg->rules = NULL;
    cfg->n_rules = 0;
}

void hr_slo_result_free(hr_slo_result *r)
{
    if (!r)
        return;
    free(r->rules);
    free(r->eff);
    free(r->alerts);
    free(r->curve_ms);
    free(r->curve_remaining);
    free(r->cum_bad);
    free(r->cum_total);
    free(r);
}

double hr_slo_consumed_between(const hr_slo_result *r, int64_t a_ms, int64_t b_ms, int64_t *win_end_ms)
{
    if (!r || !r->cum_bad || !r->n || a_ms > b_ms || b_ms < r->t0_ms)
        return NAN;
    /* points i with t0 + i step in [a, b]: ia..ib-1 */
    int64_t da = a_ms - r->t0_ms, db = b_ms - r->t0_ms;
    size_t ia = da <= 0 ? 0 : (size_t)(da / r->step_ms + (da % r->step_ms != 0));
    size_t ib = (size_t)(db / r->step_ms) + 1;
    if (ib > r->n)
        ib = r->n;
    if (ia >= ib)
        return NAN;
    /* the budget: the report's window, or the one ending with point ib-1 */
    size_t w1 = ib - 1 >= r->window_first ? r->n : ib;
    size_t ks = r->n - r->window_first, w0 = w1 > ks ? w1 - ks : 0;
    double allowed = r->budget * (r->cum_total[w1] - r->cum_total[w0]);
    if (win_end_ms)
        *win_end_ms = r->t0_ms + (int64_t)w1 * r->step_ms;
    if (!(allowed > 0))
        return NAN;
    return (r->cum_bad[ib] - r->cum_bad[ia]) / allowed;
}

/* whole steps covering w_ms, at least one */
static size_t steps_for(int64_t w_ms, int64_t step_ms)
{
    int64_t k = w_ms / step_ms + (w_ms % step_ms != 0);
    return k < 1 ? 1 : (size_t)k;
}

/* Burn rate over the k points ending at i, from the prefix sums; NaN when
 * the window holds no events. */
static double burn_at(const long double *pb, const long double *pt, size_t i, size_t k, double budget)
{
    size_t j = i + 1 >= k ? i + 1 - k : 0;
    long double tot = pt[i + 1] - pt[j];
    if (!(tot > 0))
        return NAN;
    return (double)((pb[i + 1] - pb[j]) / tot) / budget;
}

static int check_cfg(int64_t t0_ms, int64_t step_ms, size_t n, const hr_slo_cfg *cfg, hr_slo_err *err)
{
    if (!(cfg->objective > 0 && cfg->objective < 1))
        return fail(err, HR_SLO_ECONFIG, SIZE_MAX,
                    "objective %g is not in (0, 1): %s", cfg->objective,
                    cfg->objective >= 1 ? "100% leaves no error budget" : "it must be a fraction");
    if (!(cfg->window_days > 0) || !isfinite(cfg->window_days) || cfg->window_days > 3660)
        return fail(err, HR_SLO_ECONFIG, SIZE_MAX, "SLO window of %g days is not in (0, 3660]",
                    cfg->window_days);
    if (step_ms <= 0)
        return fail(err, HR_SLO_ECONFIG, SIZE_MAX, "grid step %lld ms is not positive", (long long)step_ms);
    if (n == 0)
        return fail(err, HR_SLO_ECONFIG, SIZE_MAX, "no data points");
    /* every grid time t0 + i step, and one step past the end, must be an
     * int64: about 292 million years in all */
    if (step_ms > INT64_MAX / 4 / (int64_t)(n + 1) || llabs(t0_ms) > INT64_MAX / 4)
        return fail(err, HR_SLO_ECONFIG, SIZE_MAX, "grid of %zu steps of %lld ms from %lld is out of range", n,
                    (long long)step_ms, (long long)t0_ms);
    const hr_slo_rule *rules = cfg->rules ? cfg->rules : hr_slo_rules_page;
    size_t nr = cfg->rules ? cfg->n_rules : 2;
    for (size_t r = 0; r < nr; r++)
        if (rules[r].long_ms <= 0 || rules[r].short_ms <= 0 || rules[r].long_ms > 366 * DAY_MS ||
            rules[r].short_ms > 366 * DAY_MS || !(rules[r].burn > 0) ||
            !isfinite(rules[r].burn) || (rules[r].severity != HR_SLO_PAGE && rules[r].severity != HR_SLO_TICKET))
            return fail(err, HR_SLO_ECONFIG, SIZE_MAX, "burn-rate rule %zu: windows %lld/%lld ms, burn %g",
                        r, (long long)rules[r].long_ms, (long long)rules[r].short_ms, rules[r].burn);
    return HR_SLO_OK;
}

static int cmp_alert(const void *a, const void *b)
{
    const hr_slo_alert *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return (x->rule > y->rule) - (x->rule < y->rule);
}

int hr_slo_eval(int64_t t0_ms, int64_t step_ms, size_t n, const double *good, const double *total,
                const hr_slo_cfg *cfg, hr_slo_result **out, hr_slo_err *err)
{
    *out = NULL;
    int rc = check_cfg(t0_ms, step_ms, n, cfg, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        double g = good[i], t = total[i];
        if (isnan(g) || isnan(t))
            continue;
        if (!isfinite(g) || !isfinite(t))
            return fail(err, HR_SLO_EINPUT, i, "infinite event count (good %g, total %g)", g, t);
        if (g < 0 || t < 0)
            return fail(err, HR_SLO_EINPUT, i, "negative event count (good %g, total %g)", g, t);
        if (g > t * (1 + 1e-9))
            return fail(err, HR_SLO_EINPUT, i, "more good events than events (good %.17g, total %.17g)", g, t);
    }

    const hr_slo_rule *rules = cfg->rules ? cfg->rules : hr_slo_rules_page;
    size_t nr = cfg->rules ? cfg->n_rules : 2;
    double budget = 1 - cfg->objective;
    hr_slo_result *r = calloc(1, sizeof *r);
    long double *pb = malloc((n + 1) * sizeof *pb), *pt = malloc((n + 1) * sizeof *pt);
    double *bl = malloc(n * sizeof *bl);
    if (!r || !pb || !pt || !bl)
        goto nomem;
    r->objective = cfg->objective;
    r->budget = budget;
    r->step_ms = step_ms;
    r->n_rules = nr;
    r->rules = malloc((nr + 1) * sizeof *r->rules);
    r->eff = malloc((nr + 1) * sizeof *r->eff);
    if (!r->rules || !r->eff)
        goto nomem;
    if (nr)
        memcpy(r->rules, rules, nr * sizeof *rules);

    /* prefix sums of bad and total events; a gap adds nothing. Adding
     * non-negative terms keeps them monotone, so window differences are
     * never negative. */
    pb[0] = pt[0] = 0;
    for (size_t i = 0; i < n; i++) {
        int gap = isnan(good[i]) || isnan(total[i]);
        double t = gap ? 0 : total[i], g = gap ? 0 : fmin(good[i], total[i]);
        pb[i + 1] = pb[i] + (long double)(t - g);
        pt[i + 1] = pt[i] + (long double)t;
    }

    /* the SLO window: the last ceil(window / step) points */
    r->window_ms = (int64_t)llround(cfg->window_days * (double)DAY_MS);
    size_t ks = steps_for(r->window_ms, step_ms);
    r->partial = n < ks;
    size_t w0 = n > ks ? n - ks : 0;
    r->window_first = w0;
    r->window_start_ms = t0_ms + (int64_t)w0 * step_ms;
    r->window_end_ms = t0_ms + (int64_t)n * step_ms;
    for (size_t i = w0; i < n; i++) {
        if (isnan(good[i]) || isnan(total[i]))
            r->n_gaps++;
        else
            r->n_valid++;
    }
    long double bad = pb[n] - pb[w0], tot = pt[n] - pt[w0];
    r->bad = (double)bad;
    r->total = (double)tot;
    r->good = (double)(tot - bad);
    r->sli = tot > 0 ? (double)((tot - bad) / tot) : NAN;
    long double allowed = (long double)budget * tot;
    r->consumed = tot > 0 ? (double)(bad / allowed) : 0.0;
    r->remaining = 1 - r->consumed;

    /* exhaustion: the first point at which the window's bad events reach
     * the allowance (1e-9 relative slack for rounding) */
    r->exhausted_index = SIZE_MAX;
    if (tot > 0 && r->consumed >= 1 - 1e-9)
        for (size_t i = w0; i < n; i++)
            if ((pb[i + 1] - pb[w0]) >= allowed * (1 - 1e-9L)) {
                r->exhausted = 1;
                r->exhausted_index = i;
                r->exhausted_ms = t0_ms + (int64_t)i * step_ms;
                break;
            }

    /* the running sums, for the budget used in any span */
    r->t0_ms = t0_ms;
    r->n = n;
    r->cum_bad = malloc((n + 1) * sizeof *r->cum_bad);
    r->cum_total = malloc((n + 1) * sizeof *r->cum_total);
    if (!r->cum_bad || !r->cum_total)
        goto nomem;
    for (size_t k = 0; k <= n; k++) {
        r->cum_bad[k] = (double)pb[k];
        r->cum_total[k] = (double)pt[k];
    }

    /* burn-down: remaining budget at the window start and every day after */
    int64_t span = r->window_end_ms - r->window_start_ms;
    size_t nd = (size_t)(span / DAY_MS + (span % DAY_MS != 0));
    r->n_curve = nd + 1;
    r->curve_ms = malloc(r->n_curve * sizeof *r->curve_ms);
    r->curve_remaining = malloc(r->n_curve * sizeof *r->curve_remaining);
    if (!r->curve_ms || !r->curve_remaining)
        goto nomem;
    size_t i = w0;
    for (size_t d = 0; d <= nd; d++) {
        int64_t b = r->window_start_ms + (int64_t)d * DAY_MS;
        if (b > r->window_end_ms)
            b = r->window_end_ms;
        while (i < n && t0_ms + (int64_t)i * step_ms < b)
            i++;
        r->curve_ms[d] = b;
        r->curve_remaining[d] = tot > 0 ? 1 - (double)((pb[i] - pb[w0]) / allowed) : 1.0;
    }

    /* burn-rate alerts: runs of points where both windows exceed the burn */
    size_t cap = 0;
    for (size_t q = 0; q < nr; q++) {
        hr_slo_rule_eff *e = &r->eff[q];
        e->long_steps = steps_for(rules[q].long_ms, step_ms);
        e->short_steps = steps_for(rules[q].short_ms, step_ms);
        e->long_ms = (int64_t)e->long_steps * step_ms;
        e->short_ms = (int64_t)e->short_steps * step_ms;
        e->widened = e->long_ms != rules[q].long_ms || e->short_ms != rules[q].short_ms;
        size_t open = SIZE_MAX;
        for (size_t p = 0; p <= n; p++) {
            int on = 0;
            if (p < n) {
                bl[p] = burn_at(pb, pt, p, e->long_steps, budget);
                double bs = burn_at(pb, pt, p, e->short_steps, budget);
                on = bl[p] > rules[q].burn && bs > rules[q].burn;
            }
            if (on && open == SIZE_MAX)
                open = p;
            if (!on && open != SIZE_MAX) {
                if (r->n_alerts == cap) {
                    size_t nc = cap ? 2 * cap : 16;
                    hr_slo_alert *na = realloc(r->alerts, nc * sizeof *na);
                    if (!na)
                        goto nomem;
                    r->alerts = na;
                    cap = nc;
                }
                hr_slo_alert *a = &r->alerts[r->n_alerts++];
                a->rule = q;
                a->severity = rules[q].severity;
                a->first = open;
                a->last = p - 1;
                a->start_ms = t0_ms + (int64_t)open * step_ms;
                a->end_ms = t0_ms + (int64_t)p * step_ms;
                a->open = p == n;
                a->peak_burn = bl[open];
                a->peak_ms = a->start_ms;
                for (size_t j = open + 1; j < p; j++)
                    if (bl[j] > a->peak_burn) {
                        a->peak_burn = bl[j];
                        a->peak_ms = t0_ms + (int64_t)j * step_ms;
                    }
                open = SIZE_MAX;
            }
        }
    }
    if (r->n_alerts)
        qsort(r->alerts, r->n_alerts, sizeof *r->alerts, cmp_alert);
    free(pb);
    free(pt);
    free(bl);
    *out = r;
    if (err) {
        err->code = HR_SLO_OK;
        err->index = SIZE_MAX;
        err->msg[0] = 0;
    }
    return HR_SLO_OK;

nomem:
    free(pb);
    free(pt);
    free(bl);
    hr_slo_result_free(r);
    return fail(err, HR_SLO_ENOMEM, SIZE_MAX, "out of memory evaluating an SLO over %zu points", n);
}

int hr_slo_eval_latency(int64_t t0_ms, int64_t step_ms, size_t n, const double *latency, double threshold,
                        const hr_slo_cfg *cfg, hr_slo_result **out, hr_slo_err *err)
{
    *out = NULL;
    if (!isfinite(threshold))
        return fail(err, HR_SLO_ECONFIG, SIZE_MAX, "latency threshold %g is not finite", threshold);
    int rc = check_cfg(t0_ms, step_ms, n, cfg, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (!isnan(latency[i]) && (!isfinite(latency[i]) || latency[i] < 0))
            return fail(err, HR_SLO_EINPUT, i, "latency %g is %s", latency[i],
                        isfinite(latency[i]) ? "negative" : "infinite");
    double *g = malloc(2 * n * sizeof *g);
    if (!g)
        return fail(err, HR_SLO_ENOMEM, SIZE_MAX, "out of memory evaluating an SLO over %zu points", n);
    double *t = g + n;
    for (size_t i = 0; i < n; i++) {
        if (isnan(latency[i]))
            g[i] = t[i] = NAN;
        else {
            t[i] = 1;
            g[i] = latency[i] <= threshold ? 1 : 0;
        }
    }
    rc = hr_slo_eval(t0_ms, step_ms, n, g, t, cfg, out, err);
    free(g);
    return rc;
}
