/* orders.h -- what to order, summed per resource kind and in money.
 * Owns the "Orders by kind" model every renderer prints: units are added
 * up only within one kind (the inventory's unit_name, e.g. "2 TiB disk",
 * else the metric name), never across kinds, because 22 CPUs and 47 disks
 * make no "69 units". Money (units x unit_cost) is added across kinds.
 * Reads the report model only; no I/O. Reentrant. */
#ifndef HR_ORDERS_H
#define HR_ORDERS_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

typedef struct hr_rep_order_kind {
    char kind[96];            /* unit_name, or the metric name */
    int named;                /* kind is the inventory's unit_name */
    size_t resources;         /* resources of this kind with units to add */
    long units;               /* units to add, summed over them */
    double cost;              /* units x unit_cost summed; NaN when any of
                                 them has no unit_cost */
    int64_t first_order_by_ms;/* earliest order-by date (-1: none) */
} hr_rep_order_kind;

typedef struct hr_rep_orders {
    hr_rep_order_kind *k;     /* by first order-by date, then kind */
    size_t n;
    size_t resources;         /* resources to order for, all kinds */
    double cost;              /* over the priced kinds; NaN when none is */
    size_t unpriced;          /* kinds without a cost */
} hr_rep_orders;

/* Fills o from every resource with units to add (has_units, units_to_add
 * > 0; stale ones have none). Returns HR_OK or HR_ESOFTWARE (out of
 * memory). Free with hr_rep_orders_clear (NULL ok). */
int hr_rep_orders_build(const hr_report *r, hr_rep_orders *o);
/* The same for the resources among the series idx[0..n) (ascending): one
 * service's, for the per-service rollup (services.h groups the series by
 * service in one pass). */
int hr_rep_orders_build_list(const hr_report *r, const size_t *idx, size_t n, hr_rep_orders *o);
void hr_rep_orders_clear(hr_rep_orders *o);

/* The kind of resource s: its unit_name, else its metric name. */
void hr_rep_order_kind_of(const hr_rep_series *s, char *b, size_t n);

#endif
