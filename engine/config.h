/* config.h -- the INI configuration of `headroom run` (read with inih).
 * Owns: the config model, defaults, parsing and validation with
 * file:line messages, and printing the effective configuration.
 * Prints only in hr_config_print (to the stream it is given). */
#ifndef HR_CONFIG_H
#define HR_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "ingest.h"

/* One SLO ([slo NAME]): a request-based SLO from a total series and
 * either its good or its bad series (good = total - bad), or a latency
 * series with a threshold (good = points at or under it). */
typedef struct hr_slo_def {
    char *name;
    char *good, *bad, *total; /* request-based SLO */
    char *latency;            /* or a latency series ... */
    double threshold;         /* ... and its threshold */
    double objective;         /* e.g. 0.999 (given as 99.9) */
    double window_days;       /* default 30 */
    char *service;            /* owner, optional */
} hr_slo_def;

/* The detector score from which a point is anomalous: 0.3, a Bonferroni
 * p of 1e-3 per point (models/detect.c). NAB's standard profile, which
 * charges a missed window nine times a false alarm, is best near 0.25 on
 * nab-dev; a report read by people wants fewer alarms: on the demo fleet
 * 0.25 gave ~1000 anomalies and noise-merged incidents, 0.3 ~400 and 37
 * of 40 injected anomalies, 0.5 missed a quarter (measured when 0.3 was
 * chosen; with the detector of the fourth wave, 0.3 gives 267 anomalies
 * and 41 of 44 injected ones: tests/test_demo.c). */
#define HR_ANOMALY_THRESHOLD 0.3

/* A series is stale when its last point is more than this before the
 * run's as-of time (the fleet's newest point): 48 h lets a nightly export
 * miss one night without a false alarm, and catches an exporter that has
 * been down for two. */
#define HR_STALE_AFTER_MS (48 * INT64_C(3600000))

typedef struct hr_config {
    char *path;               /* the config file, for messages */
    /* [store] */
    char *store;
    /* [ingest] */
    char **exports;           /* globs */
    size_t nexports;
    hr_format format;
    double max_bad_share;
    int64_t step_ms;
    unsigned long long mem_budget; /* [ingest] memory, bytes (0: no limit) */
    int mem_budget_set;            /* else the default, hr_mem_budget_default() */
    char **counters;          /* counter globs */
    size_t ncounters;
    int skip_bad_files;       /* on_bad_file = skip (default fail: all or nothing) */
    /* [input] */
    hr_tz *tz;                /* zone of times without a UTC offset; NULL = UTC */
    int64_t stale_after_ms;   /* a series whose last point is older than this
                                 before the run's as-of time is stale (48 h) */
    /* [inventory] [events] [incidents] */
    char *inventory;
    char *currency;           /* [inventory] currency of unit_cost, e.g. "EUR"
                                 (NULL: costs are plain numbers) */
    double default_target;    /* target utilisation when the inventory has none */
    char *events;
    double event_tolerance_days;
    char *incidents;
    char *group_by;           /* label grouping incidents ("": across series) */
    int64_t incident_gap_ms;  /* spans this close join one incident */
    int64_t match_tolerance_ms; /* logged and detected incidents this close match */
    long recurring_min;       /* occurrences that make a recurring problem */
    /* [changes] (the changes log: deploys and other changes, engine/deploys.h) */
    char *changes;
    int64_t change_window_ms; /* an incident this soon after a change is linked to it */
    double max_failure_rate;  /* 30-day change failure rate above which a
                                 service short of error budget is told to
                                 slow its releases */
    /* [analysis] */
    double horizon_days;
    double trend_window_days;
    double anomaly_threshold; /* causal detector score of an anomaly */
    /* [output] */
    char *out_dir;
    long keep;                /* report folders kept (newest first); 0 = all */
    /* [slo NAME] */
    hr_slo_def *slos;
    size_t nslos;
} hr_config;

/* Loads path into cfg (defaults first). Returns HR_OK, HR_ENOINPUT when
 * the file cannot be read, or HR_ECONFIG with "path:line: reason". */
int hr_config_load(const char *path, hr_config *cfg, hr_err *err);

void hr_config_defaults(hr_config *cfg);
void hr_config_clear(hr_config *cfg); /* frees; NULL ok */

/* Writes the effective configuration as INI (for --print-config). */
void hr_config_print(const hr_config *cfg, FILE *fp);

#endif
