/* deploys.c -- change management (see deploys.h).
 *
 * Method. The link rule is the postmortem question "what changed just
 * before this started?": among the changes to a service the incident
 * touches, the latest one at or before its onset and no more than the
 * window (2 h by default) before it. One change per incident, so an
 * incident is never blamed on two releases; a change may explain several
 * incidents (a bad deploy paging twice). Ties (changes at the same time)
 * prefer the incident's origin service, the suspected cause, then go by
 * service name and id, so the result does not depend on the log's order.
 *
 * A change failed when it led to a major or critical incident (a minor
 * blip is not a failed change: the SRE book's "degraded service") or was
 * rolled back; this is DORA's change failure rate. Time to restore is
 * measured from the change, not from the incident onset: it is what the
 * release cost (the incident log's MTTR is the other, per-incident view).
 *
 * Quantiles come from GSL on sorted data (gsl_stats_quantile_from_sorted_data,
 * linear interpolation between order statistics), so p50 of an even count
 * is the mean of the two middle values, as the tests compute by hand.
 * Cost: O(incidents x changes of their services) through a per-service
 * time-sorted index; logs are thousands of rows at most. */
#include "deploys.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WEEK_MS 604800000.0
#define HOUR_MS 3600000.0

static const char *const KIND[HR_DEP_NKINDS] = {"deploy", "config", "flag", "infra"};

const char *hr_dep_kind_name(int kind) { return kind >= 0 && kind < HR_DEP_NKINDS ? KIND[kind] : "deploy"; }

int hr_dep_kind_parse(const char *s, int *kind)
{
    for (int k = 0; k < HR_DEP_NKINDS; k++)
        if (strcmp(s, KIND[k]) == 0) {
            *kind = k;
            return 0;
        }
    return -1;
}

void hr_dep_cfg_init(hr_dep_cfg *cfg)
{
    cfg->window_ms = 2 * INT64_C(3600000);
    cfg->from_ms = cfg->to_ms = 0;
    cfg->recent_ms = 30 * INT64_C(86400000);
}

void hr_dep_result_free(hr_dep_result *r)
{
    if (!r)
        return;
    free(r->links);
    free(r->incident_change);
    free(r->failed);
    free(r->rolled_back_by);
    free(r->svc);
    free(r);
}

/* by service, then time, then id, then position: the per-service time
 * index (pointers into the caller's array, so no global for qsort) */
static int cmp_ptr(const void *a, const void *b)
{
    const hr_dep_change *x = *(const hr_dep_change *const *)a, *y = *(const hr_dep_change *const *)b;
    int c = strcmp(x->service, y->service);
    if (c)
        return c;
    if (x->t_ms != y->t_ms)
        return x->t_ms < y->t_ms ? -1 : 1;
    c = strcmp(x->id, y->id);
    if (c)
        return c;
    return (x > y) - (x < y);
}

/* Is change a a better link than change b for an incident whose origin
 * service is origin? (later first, then the origin's, then by service
 * name, then by id) */
static int better(const hr_dep_change *a, const hr_dep_change *b, const char *origin)
{
    if (a->t_ms != b->t_ms)
        return a->t_ms > b->t_ms;
    int ao = origin && strcmp(a->service, origin) == 0, bo = origin && strcmp(b->service, origin) == 0;
    if (ao != bo)
        return ao;
    int c = strcmp(a->service, b->service);
    if (c)
        return c < 0;
    return strcmp(a->id, b->id) < 0;
}

static double quantile(double *x, size_t n, double q)
{
    if (!n)
        return NAN;
    gsl_sort(x, 1, n);
    return gsl_stats_quantile_from_sorted_data(x, 1, n, q);
}

/* The metrics of the changes idx[0..n) that fall in [lo, hi] (lo_open:
 * (lo, hi]); weeks = the window's length. scratch holds 2 n doubles. */
static void metrics(const hr_dep_change *c, const size_t *idx, size_t n, const hr_dep_result *r,
                    const int64_t *restore_ms, int64_t lo, int lo_open, int64_t hi, double len_ms, double *scratch,
                    hr_dep_metrics *m)
{
    memset(m, 0, sizeof *m);
    double *lead = scratch, *rest = scratch + n;
    size_t nl = 0, nr = 0;
    for (size_t k = 0; k < n; k++) {
        const hr_dep_change *x = &c[idx[k]];
        if (x->t_ms > hi || x->t_ms < lo || (lo_open && x->t_ms == lo))
            continue;
        m->n_changes++;
        m->n_deploys += x->kind == HR_DEP_DEPLOY;
        m->n_failed += r->failed[idx[k]] != 0;
        if (x->commit_ms != HR_DEP_MISSING)
            lead[nl++] = (double)(x->t_ms - x->commit_ms) / HOUR_MS;
        if (restore_ms[idx[k]] >= 0)
            rest[nr++] = (double)restore_ms[idx[k]] / HOUR_MS;
    }
    m->deploys_per_week = len_ms > 0 ? (double)m->n_deploys / (len_ms / WEEK_MS) : NAN;
    m->failure_rate = m->n_changes ? (double)m->n_failed / (double)m->n_changes : NAN;
    m->lead_p50_h = quantile(lead, nl, 0.5);
    m->lead_p90_h = quantile(lead, nl, 0.9);
    m->restore_p50_h = quantile(rest, nr, 0.5);
}

int hr_dep_analyze(const hr_dep_change *c, size_t nc, const hr_dep_incident *inc, size_t ni, const hr_dep_cfg *cfg,
                   hr_dep_result **out, size_t *err_index)
{
    *out = NULL;
    if (err_index)
        *err_index = HR_DEP_NONE;
    if (!cfg || cfg->window_ms <= 0 || cfg->recent_ms <= 0)
        return HR_DEP_ECONFIG;
    for (size_t k = 0; k < nc; k++)
        if (c[k].rollback_of != HR_DEP_NONE && (c[k].rollback_of >= nc || c[k].rollback_of == k)) {
            if (err_index)
                *err_index = k;
            return HR_DEP_EINPUT;
        }
    hr_dep_result *r = calloc(1, sizeof *r);
    size_t one = 1;
    size_t *idx = malloc((nc ? nc : one) * sizeof *idx);
    int64_t *restore = malloc((nc ? nc : one) * sizeof *restore);
    double *scratch = malloc((nc ? 2 * nc : one) * sizeof *scratch);
    if (r) {
        r->links = malloc((ni ? ni : one) * sizeof *r->links);
        r->incident_change = malloc((ni ? ni : one) * sizeof *r->incident_change);
        r->failed = calloc(nc ? nc : one, sizeof *r->failed);
        r->rolled_back_by = malloc((nc ? nc : one) * sizeof *r->rolled_back_by);
        r->svc = calloc(nc ? nc : one, sizeof *r->svc);
    }
    if (!r || !idx || !restore || !scratch || !r->links || !r->incident_change || !r->failed || !r->rolled_back_by ||
        !r->svc) {
        free(idx);
        free(restore);
        free(scratch);
        hr_dep_result_free(r);
        return HR_DEP_ENOMEM;
    }
    const hr_dep_change **ptr = malloc((nc ? nc : one) * sizeof *ptr);
    if (!ptr) {
        free(idx);
        free(restore);
        free(scratch);
        hr_dep_result_free(r);
        return HR_DEP_ENOMEM;
    }
    for (size_t k = 0; k < nc; k++) {
        ptr[k] = &c[k];
        restore[k] = -1;
        r->rolled_back_by[k] = HR_DEP_NONE;
    }
    if (nc)
        qsort(ptr, nc, sizeof *ptr, cmp_ptr);
    for (size_t k = 0; k < nc; k++)
        idx[k] = (size_t)(ptr[k] - c);
    free(ptr);
    /* rollbacks: the earliest reverting change (by time, then id) */
    for (size_t k = 0; k < nc; k++) {
        size_t j = idx[k], v = c[j].rollback_of;
        if (v == HR_DEP_NONE)
            continue;
        size_t *b = &r->rolled_back_by[v];
        if (*b == HR_DEP_NONE || c[j].t_ms < c[*b].t_ms || (c[j].t_ms == c[*b].t_ms && strcmp(c[j].id, c[*b].id) < 0))
            *b = j;
        r->failed[v] = 1;
    }
    /* links: per incident, per service, the latest change in the window
     * (binary search in that service's run of the index) */
    for (size_t i = 0; i < ni; i++) {
        const hr_dep_incident *x = &inc[i];
        size_t best = HR_DEP_NONE;
        for (size_t s = 0; s < x->nservices; s++) {
            const char *svc = x->services[s];
            if (!svc)
                continue;
            /* first index entry of svc with t > start */
            size_t lo = 0, hi = nc;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                const hr_dep_change *m = &c[idx[mid]];
                int cs = strcmp(m->service, svc);
                if (cs < 0 || (cs == 0 && m->t_ms <= x->start_ms))
                    lo = mid + 1;
                else
                    hi = mid;
            }
            /* walk back over the changes at the latest time (ties) */
            for (size_t p = lo; p > 0; p--) {
                const hr_dep_change *m = &c[idx[p - 1]];
                if (strcmp(m->service, svc) != 0 || x->start_ms - m->t_ms > cfg->window_ms)
                    break;
                if (best == HR_DEP_NONE || better(m, &c[best], x->origin_service))
                    best = idx[p - 1];
                else if (m->t_ms < c[best].t_ms)
                    break;
            }
        }
        r->incident_change[i] = best;
        if (best == HR_DEP_NONE)
            continue;
        r->links[r->nlinks++] = (hr_dep_link){best, i, x->start_ms - c[best].t_ms};
        if (x->major)
            r->failed[best] = 1;
        int64_t d = x->end_ms - c[best].t_ms;
        if (d > restore[best])
            restore[best] = d;
    }
    /* restore time only for failed changes */
    for (size_t k = 0; k < nc; k++)
        if (!r->failed[k])
            restore[k] = -1;
    /* per service: runs of the index */
    int64_t rec_lo = cfg->to_ms - cfg->recent_ms;
    for (size_t a = 0; a < nc;) {
        size_t b = a;
        while (b < nc && strcmp(c[idx[b]].service, c[idx[a]].service) == 0)
            b++;
        hr_dep_svc *v = &r->svc[r->nsvc++];
        v->service = c[idx[a]].service;
        metrics(c, idx + a, b - a, r, restore, cfg->from_ms, 0, cfg->to_ms, (double)(cfg->to_ms - cfg->from_ms),
                scratch, &v->all);
        metrics(c, idx + a, b - a, r, restore, rec_lo, 1, cfg->to_ms, (double)cfg->recent_ms, scratch, &v->recent);
        a = b;
    }
    metrics(c, idx, nc, r, restore, cfg->from_ms, 0, cfg->to_ms, (double)(cfg->to_ms - cfg->from_ms), scratch,
            &r->all);
    metrics(c, idx, nc, r, restore, rec_lo, 1, cfg->to_ms, (double)cfg->recent_ms, scratch, &r->recent);
    free(idx);
    free(restore);
    free(scratch);
    *out = r;
    return HR_DEP_OK;
}
