/* services.h -- the per-service rollup both reports print: for each
 * service (the value of the `service` label; owner = service, as in the
 * suggested actions) its resources with a capacity and their status,
 * what to order for it per kind (orders.h, never summed across kinds),
 * the detected incidents that touch it by level, and its SLOs with the
 * error budget left. Series without a service label roll up into one
 * row with service NULL ("-" for people), present only when there are
 * such series. Computes only: the renderers print the rows (JSON in
 * report.c, Markdown in report.c, HTML in html.c). Reads the report
 * model; no I/O. Reentrant. */
#ifndef HR_SERVICES_H
#define HR_SERVICES_H

#include <stddef.h>

#include "orders.h"
#include "report.h"

typedef struct hr_rep_svc_slo {
    const char *name;         /* borrowed from the SLO */
    double budget_left;       /* share of the error budget left (res->
                                 remaining; negative: overspent); NaN when
                                 the SLO could not be evaluated */
} hr_rep_svc_slo;

typedef struct hr_rep_service {
    const char *service;      /* borrowed; NULL: series without the label */
    size_t resources;         /* series with a capacity */
    size_t saturated, order_overdue, order_now; /* by hr_rep_status */
    hr_rep_orders orders;     /* its resources only, grouped as orders.h */
    size_t incidents[3];      /* incidents with a member series of this
                                 service, by level (HR_PM_MINOR, MAJOR,
                                 CRITICAL); one touching two services
                                 counts for both */
    hr_rep_svc_slo *slo;      /* lowest budget left first (NaN last), then
                                 name */
    size_t nslo;
} hr_rep_service;

typedef struct hr_rep_services {
    hr_rep_service *v;        /* by service name (strcmp), NULL row last */
    size_t n;
} hr_rep_services;

/* Fills sv with one row per service named by a series or an SLO of r.
 * Returns HR_OK or HR_ESOFTWARE (out of memory; sv is then empty). Free
 * with hr_rep_services_clear (NULL ok). */
int hr_rep_services_build(const hr_report *r, hr_rep_services *sv);
void hr_rep_services_clear(hr_rep_services *sv);

#endif
