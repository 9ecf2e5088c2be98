/* orders.c -- see orders.h. */
#include "orders.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hr_rep_order_kind_of(const hr_rep_series *s, char *b, size_t n)
{
    if (s->unit_name && *s->unit_name)
        snprintf(b, n, "%s", s->unit_name);
    else
        snprintf(b, n, "%.*s", (int)strcspn(s->key, "{"), s->key);
}

static int cmp_kind(const void *pa, const void *pb)
{
    const hr_rep_order_kind *a = pa, *b = pb;
    if (a->first_order_by_ms != b->first_order_by_ms)
        return a->first_order_by_ms < b->first_order_by_ms ? -1 : 1;
    int c = strcmp(a->kind, b->kind);
    return c ? c : a->named - b->named;
}

/* idx NULL: every resource, else those of the series idx[0..nidx) (in
 * ascending order) */
static int build(const hr_report *r, const size_t *idx, size_t nidx, hr_rep_orders *o)
{
    memset(o, 0, sizeof *o);
    o->cost = NAN;
    /* few kinds (a fleet buys a handful of things): a linear search */
    for (size_t j = 0, nj = idx ? nidx : r->n; j < nj; j++) {
        const hr_rep_series *s = &r->s[idx ? idx[j] : j];
        if (!s->has_capacity || !s->has_units || s->units_to_add <= 0)
            continue;
        char kind[96];
        hr_rep_order_kind_of(s, kind, sizeof kind);
        int named = s->unit_name && *s->unit_name;
        size_t q = 0;
        while (q < o->n && (strcmp(o->k[q].kind, kind) || o->k[q].named != named))
            q++;
        if (q == o->n) {
            hr_rep_order_kind *p = realloc(o->k, (o->n + 1) * sizeof *p);
            if (!p) {
                hr_rep_orders_clear(o);
                return HR_ESOFTWARE;
            }
            o->k = p;
            memset(&p[q], 0, sizeof p[q]);
            snprintf(p[q].kind, sizeof p[q].kind, "%s", kind);
            p[q].named = named;
            p[q].first_order_by_ms = -1;
            o->n++;
        }
        hr_rep_order_kind *k = &o->k[q];
        k->resources++;
        k->units += s->units_to_add;
        /* a kind is priced only when every resource of it is */
        double c = isfinite(s->unit_cost) ? (double)s->units_to_add * s->unit_cost : NAN;
        k->cost = k->resources == 1 ? c : k->cost + c;
        if (s->order_by_ms >= 0 && (k->first_order_by_ms < 0 || s->order_by_ms < k->first_order_by_ms))
            k->first_order_by_ms = s->order_by_ms;
        o->resources++;
    }
    if (o->n)
        qsort(o->k, o->n, sizeof *o->k, cmp_kind);
    /* summed in the sorted order, so the total does not depend on the
     * order of the series */
    for (size_t q = 0; q < o->n; q++) {
        if (isnan(o->k[q].cost))
            o->unpriced++;
        else
            o->cost = isnan(o->cost) ? o->k[q].cost : o->cost + o->k[q].cost;
    }
    return HR_OK;
}

int hr_rep_orders_build(const hr_report *r, hr_rep_orders *o) { return build(r, NULL, 0, o); }

int hr_rep_orders_build_list(const hr_report *r, const size_t *idx, size_t n, hr_rep_orders *o)
{
    return build(r, idx, n, o);
}

void hr_rep_orders_clear(hr_rep_orders *o)
{
    if (!o)
        return;
    free(o->k);
    memset(o, 0, sizeof *o);
    o->cost = NAN;
}
