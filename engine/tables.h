/* tables.h -- the small CSV tables a run reads beside the metrics: the
 * capacity inventory, the events calendar, the incident log and the
 * changes log.
 * Owns their columns, validation and file:line:column messages (through
 * the caller's diag callback). All or nothing: any bad row fails the table
 * with HR_EINPUT, because a half-read inventory would give wrong advice.
 * Not thread-safe per object; no globals. */
#ifndef HR_TABLES_H
#define HR_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "deploys.h"
#include "err.h"
#include "ingest.h"
#include "problems.h"

/* Inventory row: series,capacity[,target_utilization,unit_capacity,units,
 * redundancy,lead_time_days,unit,unit_name,unit_cost]. Missing optional
 * values: target = the default, unit_capacity = capacity / units or NaN,
 * units = NaN, redundancy = 0, lead_time_days = NaN, unit and unit_name
 * NULL (unit: the series' unit as units.h names it, e.g. "bytes",
 * overriding the one inferred from its name; unit_name: what one unit
 * bought is, e.g. "2 TiB disk"), unit_cost NaN (money per unit). */
typedef struct hr_inv_row {
    char *series;
    char *unit, *unit_name;   /* owned; NULL when not given */
    double capacity, target, unit_capacity, units, lead_time_days, unit_cost;
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

/* Event row: date,name,scope,expected_change_pct[,duration,repeat]. date
 * is YYYY-MM-DD (or any timestamp headroom reads); scope is a series key,
 * a key prefix, or label=value (every series with that label, e.g.
 * service=search); expected_change_pct may be empty (NaN). duration
 * (e.g. 3d) makes the change last that long, then end (a sale, a
 * campaign); empty: from the date on (a launch, a migration). repeat
 * (yearly, quarterly or monthly; needs a duration) makes the event recur
 * on the same calendar day (the month's last day when it has no such
 * day) for HR_EVENT_REPEAT_YEARS years: each occurrence is an event of
 * its own here, in date order after the row's first. */
#define HR_EVENT_REPEAT_YEARS 10
typedef struct hr_event {
    int64_t t_ms;
    char *name, *scope;
    double expected_pct;
    int64_t dur_ms;           /* 0: from t_ms on */
    int repeat_months;        /* 0, 1, 3 or 12 */
    unsigned long line;
} hr_event;

typedef struct hr_events {
    hr_event *e;
    size_t n;
} hr_events;

int hr_events_load(const char *path, hr_events *ev, hr_diag_fn diag, void *ud, hr_err *err);
void hr_events_clear(hr_events *ev); /* NULL ok */

/* Incident log row: start,end,detected,resolved,service,title (RFC 3339
 * times; detected and resolved may be empty; title optional). Rules:
 * end >= start, detected >= start, resolved >= detected (or >= start
 * when detected is empty); each violation is a located error. */
typedef struct hr_inclog {
    hr_pm_logrow *r;          /* service and title owned by the log */
    unsigned long *line;      /* [n] line of each row in the file */
    size_t n;
} hr_inclog;

int hr_inclog_load(const char *path, hr_inclog *log, hr_diag_fn diag, void *ud, hr_err *err);
void hr_inclog_clear(hr_inclog *log); /* NULL ok */

/* Changes log row: time,service,id[,kind,commit_time,rollback_of,
 * description] (RFC 3339 times). kind is deploy (the default when empty),
 * config, flag or infra; commit_time, when given, is not after time;
 * rollback_of names the id of a change listed earlier in the file, not
 * after this one in time; ids are unique. Each violation is a located
 * error. r[k].rollback_of is resolved to that row's index. */
typedef struct hr_changelog {
    hr_dep_change *r;         /* service and id owned by the log */
    char **description;       /* [n] owned; NULL when empty */
    unsigned long *line;      /* [n] line of each row in the file */
    size_t n;
} hr_changelog;

int hr_changelog_load(const char *path, hr_changelog *log, hr_diag_fn diag, void *ud, hr_err *err);
void hr_changelog_clear(hr_changelog *log); /* NULL ok */

/* The value of label `label` in a series key such as
 * name{a="x",service="search"}: *val points into key, the return value
 * is its length (escapes kept as written); 0 when the key has no such
 * label (or it is empty). */
size_t hr_key_label(const char *key, const char *label, const char **val);

/* True when the event's scope covers the series key: a prefix of it, or
 * label=value matching one of its labels. */
int hr_event_matches(const hr_event *e, const char *key);
/* The same for a scope string (an event's scope column). */
int hr_scope_matches(const char *scope, const char *key);

#endif
