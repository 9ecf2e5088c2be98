/* tables.h -- the small CSV tables a run reads beside the metrics: the
 * capacity inventory and the events calendar.
 * Owns their columns, validation and file:line:column messages (through
 * the caller's diag callback). All or nothing: any bad row fails the table
 * with HR_EINPUT, because a half-read inventory would give wrong advice.
 * Not thread-safe per object; no globals. */
#ifndef HR_TABLES_H
#define HR_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ingest.h"

/* Inventory row: series,capacity[,target_utilization,unit_capacity,units,
 * redundancy,lead_time_days]. Missing optional values: target = the
 * default, unit_capacity = capacity / units or NaN, units = NaN,
 * redundancy = 0, lead_time_days = NaN. */
typedef struct hr_inv_row {
    char *series;
    double capacity, target, unit_capacity, units, lead_time_days;
    int redundancy;
    unsigned long line;
} hr_inv_row;

typedef struct hr_inventory {
    hr_inv_row *r;
    size_t n;
} hr_inventory;

int hr_inventory_load(const char *path, double default_target, hr_inventory *inv, hr_diag_fn diag,
                      void *ud, hr_err *err);
void hr_inventory_clear(hr_inventory *inv); /* NULL ok */

/* Event row: date,name,scope,expected_change_pct. date is YYYY-MM-DD (or
 * any timestamp headroom reads); scope is a series key, a key prefix, or
 * label=value (every series with that label, e.g. service=search);
 * expected_change_pct may be empty (NaN). */
typedef struct hr_event {
    int64_t t_ms;
    char *name, *scope;
    double expected_pct;
    unsigned long line;
} hr_event;

typedef struct hr_events {
    hr_event *e;
    size_t n;
} hr_events;

int hr_events_load(const char *path, hr_events *ev, hr_diag_fn diag, void *ud, hr_err *err);
void hr_events_clear(hr_events *ev); /* NULL ok */

/* True when the event's scope covers the series key: a prefix of it, or
 * label=value matching one of its labels. */
int hr_event_matches(const hr_event *e, const char *key);

#endif
