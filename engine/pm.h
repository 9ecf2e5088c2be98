/* pm.h -- the problem-management stage of a run: the detected anomaly
 * spans grouped into incidents, recurring problems, the incident log's
 * metrics and its match with the detected incidents, and the SLOs of the
 * config with their error budgets and burn-rate alerts.
 * Owns: series-to-service and series-to-group mapping (labels of the
 * keys), reading the SLO series on a common grid, turning model errors
 * into located messages. The numerics are models/problems.c and
 * models/slo.c. Serial (cheap next to the analysis); no globals. */
#ifndef HR_PM_H
#define HR_PM_H

#include <stddef.h>

#include "config.h"
#include "err.h"
#include "pm_deploys.h"
#include "problems.h"
#include "report.h"
#include "series.h"
#include "slo.h"
#include "strmap.h"
#include "tables.h"

/* The label naming a series' owner: actions and log matching use it. */
#define HR_SERVICE_LABEL "service"

typedef struct hr_pm_stage {
    char **services;          /* unique service label values, sorted */
    size_t nservices;
    size_t *series_service;   /* [nseries] index into services or SIZE_MAX */
    char **groups;            /* values of the grouping label, sorted */
    size_t ngroups;
    hr_pm_span *spans;        /* the grouped anomalies of the report */
    size_t *anomaly_incident; /* [na] */
    const char **anomaly_event; /* [na] */
    hr_pm_incidents *inc;
    hr_pm_recurs *rec;
    hr_inclog log;
    size_t *slo_series;       /* [2 x nslos of the config]: each SLO's total (or
                                 latency) series and its good/bad series
                                 (SIZE_MAX for a latency SLO) */
    hr_pm_logstats *stats;
    hr_pm_match *match;
    hr_rep_slo *slo;
    hr_slo_result **slores;
    size_t nslo;
    hr_pm_deploys deploys;    /* the changes log and its links (pm_deploys.h) */
} hr_pm_stage;

/* Sets rep->s[i].service for every series of set (rep->n = set->n). */
int hr_pm_stage_services(const hr_seriesset *set, hr_report *rep, hr_pm_stage *pm, hr_err *err);

/* Before the analysis, so bad input fails the run early: finds the SLO
 * series of cfg in idx (the store's key -> series index; HR_ECONFIG naming
 * the [slo NAME] section and the missing series) and reads and validates
 * the incident log and the changes log (HR_EINPUT with file:line:column,
 * HR_ENOINPUT). */
int hr_pm_stage_prepare(const hr_config *cfg, const hr_strmap *idx, hr_pm_stage *pm, hr_diag_fn diag, void *ud,
                        hr_err *err);

/* The whole stage after hr_pm_stage_prepare and hr_pm_stage_services,
 * filling rep's problem-management fields (pointing into pm). Errors: SLO
 * series off the grid of their partner (HR_ECONFIG), a bad SLO data point
 * (HR_EINPUT naming the series and time). */
int hr_pm_stage_run(const hr_config *cfg, const hr_seriesset *set, hr_report *rep, hr_pm_stage *pm, hr_err *err);

void hr_pm_stage_clear(hr_pm_stage *pm); /* NULL ok */

#endif
