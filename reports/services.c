/* services.c -- see services.h. */
#include "services.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* names sort by strcmp, NULL (no service label) after every name */
static int cmp_name(const char *a, const char *b)
{
    if (!a || !b)
        return (a == NULL) - (b == NULL);
    return strcmp(a, b);
}

static int cmp_name_p(const void *pa, const void *pb)
{
    return cmp_name(*(const char *const *)pa, *(const char *const *)pb);
}

static int cmp_slo(const void *pa, const void *pb)
{
    const hr_rep_svc_slo *a = pa, *b = pb;
    int na = isnan(a->budget_left), nb = isnan(b->budget_left);
    if (na != nb)
        return na - nb;
    if (!na && a->budget_left != b->budget_left)
        return a->budget_left < b->budget_left ? -1 : 1;
    return cmp_name(a->name, b->name);
}

/* the row of service name in the sorted rows (SIZE_MAX: none) */
static size_t find(const hr_rep_services *sv, const char *name)
{
    size_t lo = 0, hi = sv->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_name(sv->v[mid].service, name);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

/* the distinct service names of the series and SLOs, sorted, into sv */
static int rows(const hr_report *r, hr_rep_services *sv)
{
    const char **nm = malloc((r->n + r->nslo + 1) * sizeof *nm);
    if (!nm)
        return HR_ESOFTWARE;
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        nm[k++] = r->s[i].service;
    for (size_t i = 0; i < r->nslo; i++)
        nm[k++] = r->slo[i].service;
    qsort(nm, k, sizeof *nm, cmp_name_p);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || cmp_name(nm[u - 1], nm[i]))
            nm[u++] = nm[i];
    sv->v = calloc(u ? u : 1, sizeof *sv->v);
    if (!sv->v) {
        free(nm);
        return HR_ESOFTWARE;
    }
    for (size_t i = 0; i < u; i++) {
        sv->v[i].service = nm[i];
        sv->v[i].orders.cost = NAN;
    }
    sv->n = u;
    free(nm);
    return HR_OK;
}

/* incidents by level: each incident once per service among its members */
static int incidents(const hr_report *r, hr_rep_services *sv)
{
    if (!r->inc || !r->inc->n)
        return HR_OK;
    size_t *row = malloc((r->n ? r->n : 1) * sizeof *row);
    size_t *seen = malloc((sv->n ? sv->n : 1) * sizeof *seen);
    if (!row || !seen) {
        free(row);
        free(seen);
        return HR_ESOFTWARE;
    }
    for (size_t i = 0; i < r->n; i++)
        row[i] = find(sv, r->s[i].service);
    for (size_t q = 0; q < sv->n; q++)
        seen[q] = SIZE_MAX;
    for (size_t k = 0; k < r->inc->n; k++) {
        const hr_pm_incident *x = &r->inc->inc[k];
        if (x->level < HR_PM_MINOR || x->level > HR_PM_CRITICAL)
            continue;
        for (size_t m = 0; m < x->n_series; m++) {
            size_t i = x->members[m].series;
            size_t q = i < r->n ? row[i] : SIZE_MAX;
            if (q == SIZE_MAX || seen[q] == k)
                continue;
            seen[q] = k;
            sv->v[q].incidents[x->level]++;
        }
    }
    free(row);
    free(seen);
    return HR_OK;
}

int hr_rep_services_build(const hr_report *r, hr_rep_services *sv)
{
    memset(sv, 0, sizeof *sv);
    if (rows(r, sv))
        return HR_ESOFTWARE;
    for (size_t i = 0; i < r->n; i++) {
        const hr_rep_series *s = &r->s[i];
        if (!s->has_capacity)
            continue;
        hr_rep_service *p = &sv->v[find(sv, s->service)];
        const char *st = hr_rep_status(r, s);
        p->resources++;
        p->saturated += strcmp(st, "saturated") == 0;
        p->order_overdue += strcmp(st, "order_overdue") == 0;
        p->order_now += strcmp(st, "order_now") == 0;
    }
    /* each service's series, ascending, in one pass (a counting sort by
     * row): the orders of a service from its own series, not a scan of
     * the fleet per service (quadratic: 17 s of a 100,000-series run) */
    size_t *first = calloc(sv->n + 1, sizeof *first), *idx = malloc((r->n ? r->n : 1) * sizeof *idx),
           *row = malloc((r->n ? r->n : 1) * sizeof *row);
    if (!first || !idx || !row) {
        free(first);
        free(idx);
        free(row);
        goto oom;
    }
    for (size_t i = 0; i < r->n; i++) {
        row[i] = find(sv, r->s[i].service); /* every series' service has a row */
        first[row[i] + 1]++;
    }
    for (size_t q = 0; q < sv->n; q++)
        first[q + 1] += first[q];
    for (size_t i = 0; i < r->n; i++)
        idx[first[row[i]]++] = i; /* first[q] is now where q's end */
    for (size_t q = sv->n; q > 0; q--) /* back to the starts */
        first[q] = first[q - 1];
    first[0] = 0;
    free(row);
    int bad = 0;
    for (size_t q = 0; q < sv->n && !bad; q++)
        bad = hr_rep_orders_build_list(r, idx + first[q], first[q + 1] - first[q], &sv->v[q].orders) != 0;
    free(first);
    free(idx);
    if (bad)
        goto oom;
    for (size_t q = 0; q < sv->n; q++) {
        hr_rep_service *p = &sv->v[q];
        for (size_t k = 0; k < r->nslo; k++)
            p->nslo += cmp_name(r->slo[k].service, p->service) == 0;
        if (!p->nslo)
            continue;
        p->slo = malloc(p->nslo * sizeof *p->slo);
        if (!p->slo)
            goto oom;
        size_t j = 0;
        for (size_t k = 0; k < r->nslo; k++)
            if (cmp_name(r->slo[k].service, p->service) == 0) {
                p->slo[j].name = r->slo[k].name;
                p->slo[j].budget_left = r->slo[k].res ? r->slo[k].res->remaining : NAN;
                j++;
            }
        qsort(p->slo, p->nslo, sizeof *p->slo, cmp_slo);
    }
    if (incidents(r, sv))
        goto oom;
    return HR_OK;
oom:
    hr_rep_services_clear(sv);
    return HR_ESOFTWARE;
}

void hr_rep_services_clear(hr_rep_services *sv)
{
    if (!sv)
        return;
    for (size_t q = 0; q < sv->n; q++) {
        hr_rep_orders_clear(&sv->v[q].orders);
        free(sv->v[q].slo);
    }
    free(sv->v);
    sv->v = NULL;
    sv->n = 0;
}
