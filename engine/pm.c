/* pm.c -- see pm.h. */
#include "pm.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "timefmt.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted unique values of `label` over the keys of set, and each
 * series' index into them (SIZE_MAX: no such label). */
static int label_values(const hr_seriesset *set, const char *label, char ***names, size_t *nnames,
                        size_t *of_series, hr_err *err)
{
    hr_strmap m;
    hr_strmap_init(&m);
    char **v = NULL;
    size_t n = 0;
    int rc = HR_OK;
    for (size_t i = 0; i < set->n && rc == HR_OK; i++) {
        const char *val;
        size_t len = hr_key_label(set->s[i].key, label, &val);
        if (!len || hr_strmap_get(&m, val, len) != (size_t)-1)
            continue;
        char **p = realloc(v, (n + 1) * sizeof *p);
        char *c = malloc(len + 1);
        if (p)
            v = p;
        if (!p || !c || hr_strmap_put(&m, val, len, n)) {
            free(c);
            rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
            break;
        }
        memcpy(c, val, len);
        c[len] = '\0';
        v[n++] = c;
    }
    hr_strmap_clear(&m);
    if (rc) {
        for (size_t k = 0; k < n; k++)
            free(v[k]);
        free(v);
        return rc;
    }
    if (n)
        qsort(v, n, sizeof *v, cmp_str);
    /* index the sorted names */
    hr_strmap_init(&m);
    for (size_t k = 0; k < n && rc == HR_OK; k++)
        if (hr_strmap_put(&m, v[k], strlen(v[k]), k))
            rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
    for (size_t i = 0; i < set->n && rc == HR_OK; i++) {
        const char *val;
        size_t len = hr_key_label(set->s[i].key, label, &val);
        of_series[i] = len ? hr_strmap_get(&m, val, len) : SIZE_MAX;
    }
    hr_strmap_clear(&m);
    *names = v;
    *nnames = n;
    return rc;
}

int hr_pm_stage_services(const hr_seriesset *set, hr_report *rep, hr_pm_stage *pm, hr_err *err)
{
    pm->series_service = malloc((set->n ? set->n : 1) * sizeof *pm->series_service);
    if (!pm->series_service)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    int rc = label_values(set, HR_SERVICE_LABEL, &pm->services, &pm->nservices, pm->series_service, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < set->n && i < rep->n; i++)
        rep->s[i].service = pm->series_service[i] == SIZE_MAX ? NULL : pm->services[pm->series_service[i]];
    return HR_OK;
}

/* ---- incidents and recurring problems ----------------------------------- */

/* An anomaly within a day of an explained step is that step. */
#define HR_PM_STEP_TOL_MS INT64_C(86400000)

static int incidents(const hr_config *cfg, const hr_seriesset *set, hr_report *rep, hr_pm_stage *pm, hr_err *err)
{
    const char *label = cfg->group_by && cfg->group_by[0] ? cfg->group_by : HR_SERVICE_LABEL;
    size_t *grp = malloc((set->n ? set->n : 1) * sizeof *grp);
    pm->spans = malloc((rep->na ? rep->na : 1) * sizeof *pm->spans);
    if (!grp || !pm->spans) {
        free(grp);
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    }
    int rc = label_values(set, label, &pm->groups, &pm->ngroups, grp, err);
    if (rc) {
        free(grp);
        return rc;
    }
    pm->anomaly_incident = malloc((rep->na ? rep->na : 1) * sizeof *pm->anomaly_incident);
    pm->anomaly_event = calloc(rep->na ? rep->na : 1, sizeof *pm->anomaly_event);
    size_t *span_of = malloc((rep->na ? rep->na : 1) * sizeof *span_of);
    if (!pm->anomaly_incident || !pm->anomaly_event || !span_of) {
        free(grp);
        free(span_of);
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    }
    /* an anomaly of a series within a day of a level shift of that series
     * that the events calendar explains is the planned change showing
     * (the detector reacts to a step before it adapts): it is listed with
     * the event, not grouped into incidents */
    size_t ns = 0;
    for (size_t k = 0; k < rep->na; k++) {
        const hr_rep_anomaly *a = &rep->a[k];
        const hr_rep_series *s = &rep->s[a->series];
        span_of[k] = SIZE_MAX;
        for (size_t j = 0; j < s->nsteps && !pm->anomaly_event[k]; j++)
                if (s->steps[j].event && !s->steps[j].slope && s->steps[j].t_ms >= a->start_ms - HR_PM_STEP_TOL_MS &&
                    s->steps[j].t_ms <= a->end_ms + HR_PM_STEP_TOL_MS)
                    pm->anomaly_event[k] = s->steps[j].event;
        if (pm->anomaly_event[k])
            continue;
        span_of[k] = ns;
        pm->spans[ns++] = (hr_pm_span){a->series, a->start_ms, a->end_ms, a->peak_ms, a->peak_z, a->direction,
                                       grp[a->series] == SIZE_MAX ? HR_PM_NOGROUP : grp[a->series]};
    }
    free(grp);
    hr_pm_cfg pc;
    hr_pm_cfg_init(&pc);
    pc.gap_ms = cfg->incident_gap_ms;
    pc.by_group = cfg->group_by && cfg->group_by[0];
    hr_pm_err pe;
    if (hr_pm_group(pm->spans, ns, &pc, &pm->inc, &pe)) {
        free(span_of);
        return hr_err_set(err, pe.code == HR_PM_ECONFIG ? HR_ECONFIG : pe.code == HR_PM_EINPUT ? HR_ESOFTWARE : pe.code,
                          "incident grouping: %s", pe.msg);
    }
    for (size_t k = 0; k < rep->na; k++)
        pm->anomaly_incident[k] = span_of[k] == SIZE_MAX ? SIZE_MAX : pm->inc->span_incident[span_of[k]];
    free(span_of);
    rep->anomaly_incident = pm->anomaly_incident;
    rep->anomaly_event = pm->anomaly_event;
    hr_pm_recur_cfg rc_cfg;
    hr_pm_recur_cfg_init(&rc_cfg);
    /* the same group (service) when the keys carry one: a recurring
     * problem may show first in cpu one week and in latency the next */
    rc_cfg.key = pm->ngroups ? HR_PM_KEY_GROUP : HR_PM_KEY_ORIGIN;
    rc_cfg.min_count = (size_t)cfg->recurring_min;
    if (hr_pm_recurring(pm->inc, &rc_cfg, &pm->rec, &pe))
        return hr_err_set(err, pe.code == HR_PM_ECONFIG ? HR_ECONFIG : pe.code, "recurring problems: %s", pe.msg);
    rep->group_by = pc.by_group ? cfg->group_by : NULL;
    rep->incident_gap_ms = cfg->incident_gap_ms;
    rep->inc = pm->inc;
    rep->rec = pm->rec;
    rep->recurring_min = rc_cfg.min_count;
    return HR_OK;
}

/* ---- the incident log ----------------------------------------------------- */

int hr_pm_stage_prepare(const hr_config *cfg, const hr_strmap *idx, hr_pm_stage *pm, hr_diag_fn diag, void *ud,
                        hr_err *err)
{
    pm->slo_series = malloc((cfg->nslos ? 2 * cfg->nslos : 1) * sizeof *pm->slo_series);
    if (!pm->slo_series)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    for (size_t k = 0; k < cfg->nslos; k++) {
        const hr_slo_def *d = &cfg->slos[k];
        const char *keys[2] = {d->latency ? d->latency : d->total, d->latency ? NULL : d->good ? d->good : d->bad};
        for (int j = 0; j < 2; j++) {
            size_t i = keys[j] ? hr_strmap_get(idx, keys[j], strlen(keys[j])) : SIZE_MAX;
            if (keys[j] && i == (size_t)-1)
                return hr_err_set(err, HR_ECONFIG, "%s: [slo %s]: series \"%s\" is not in the store", cfg->path,
                                  d->name, keys[j]);
            pm->slo_series[2 * k + (size_t)j] = i;
        }
    }
    int rc = hr_pm_deploys_prepare(cfg, &pm->deploys, diag, ud, err);
    if (rc || !cfg->incidents)
        return rc;
    rc = hr_inclog_load(cfg->incidents, &pm->log, diag, ud, err);
    if (rc)
        return rc;
    hr_pm_err pe;
    if (hr_pm_log_validate(pm->log.r, pm->log.n, &pe) && pe.index < pm->log.n)
        return hr_err_set(err, HR_EINPUT, "%s:%lu: %s", cfg->incidents, pm->log.line[pe.index], pe.msg);
    return HR_OK;
}

static int incident_log(const hr_config *cfg, hr_report *rep, hr_pm_stage *pm, hr_err *err)
{
    if (!cfg->incidents)
        return HR_OK;
    hr_pm_err pe;
    if (hr_pm_log_metrics(pm->log.r, pm->log.n, &pm->stats, &pe)) {
        if (pe.code == HR_PM_EINPUT && pe.index < pm->log.n)
            return hr_err_set(err, HR_EINPUT, "%s:%lu: %s", cfg->incidents, pm->log.line[pe.index], pe.msg);
        return hr_err_set(err, pe.code, "%s: %s", cfg->incidents, pe.msg);
    }
    /* a detected incident belongs to the service of its suspected origin:
     * a logged row matches it when the services agree (incidents whose
     * origin has no service match any row) */
    hr_pm_incidents *inc = pm->inc;
    size_t *saved = malloc((inc->n ? inc->n : 1) * sizeof *saved);
    if (!saved)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    for (size_t k = 0; k < inc->n; k++) {
        saved[k] = inc->inc[k].group;
        size_t s = pm->series_service[inc->inc[k].origin];
        inc->inc[k].group = s == SIZE_MAX ? HR_PM_NOGROUP : s;
    }
    int mr = hr_pm_match_log(pm->log.r, pm->log.n, inc, (const char *const *)pm->services, pm->nservices,
                             cfg->match_tolerance_ms, &pm->match, &pe);
    for (size_t k = 0; k < inc->n; k++)
        inc->inc[k].group = saved[k];
    free(saved);
    if (mr)
        return hr_err_set(err, pe.code, "%s: matching with the detected incidents: %s", cfg->incidents, pe.msg);
    rep->log_path = cfg->incidents;
    rep->log = pm->log.r;
    rep->nlog = pm->log.n;
    rep->logstats = pm->stats;
    rep->match = pm->match;
    rep->match_tolerance_ms = cfg->match_tolerance_ms;
    return HR_OK;
}

/* ---- SLOs ------------------------------------------------------------------ */

/* The values of series s on the grid [t0, t0 + n step): the events of
 * each slot for a counter (rate x step), else the values; NaN outside
 * the series. */
static int grid_values(const hr_series *s, int64_t t0, int64_t step, size_t n, double *out, hr_err *err)
{
    double *v = malloc((s->n ? s->n : 1) * sizeof *v);
    if (!v)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    if (s->kind == HR_COUNTER)
        hr_series_rate(s, v);
    else
        memcpy(v, s->v, s->n * sizeof *v);
    /* a counter's events of a slot: its per-second rate x the step */
    double scale = s->kind == HR_COUNTER ? (double)step / 1000.0 : 1.0;
    for (size_t i = 0; i < n; i++) {
        int64_t d = t0 + (int64_t)i * step - s->t0_ms;
        size_t j = (size_t)(d / step);
        out[i] = d >= 0 && j < s->n ? v[j] * scale : NAN;
    }
    free(v);
    return HR_OK;
}

/* SLO d with its series si[0] (total or latency) and si[1] (good or bad). */
static int slo_one(const hr_config *cfg, const hr_slo_def *d, const hr_seriesset *set, const size_t *si,
                   hr_rep_slo *rs, hr_slo_result **res, hr_err *err)
{
    const char *keys[2] = {d->latency ? d->latency : d->total, d->good ? d->good : d->bad};
    size_t nk = d->latency ? 1 : 2;
    const hr_series *a = &set->s[si[0]];
    int64_t step = a->step_ms, t0 = a->t0_ms, t1 = a->t0_ms + (int64_t)(a->n ? a->n - 1 : 0) * step;
    if (nk == 2) {
        const hr_series *b = &set->s[si[1]];
        if (b->step_ms != step || (b->t0_ms - t0) % step != 0)
            return hr_err_set(err, HR_ECONFIG, "%s: [slo %s]: \"%s\" and \"%s\" are not on the same time grid", cfg->path,
                              d->name, keys[0], keys[1]);
        int64_t b1 = b->t0_ms + (int64_t)(b->n ? b->n - 1 : 0) * step;
        if (b->t0_ms > t0)
            t0 = b->t0_ms;
        if (b1 < t1)
            t1 = b1;
        if (t1 < t0)
            return hr_err_set(err, HR_ECONFIG, "%s: [slo %s]: \"%s\" and \"%s\" do not overlap in time", cfg->path,
                              d->name, keys[0], keys[1]);
    }
    size_t n = (size_t)((t1 - t0) / step) + 1;
    double *x = malloc(2 * n * sizeof *x);
    if (!x)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    int rc = grid_values(a, t0, step, n, x, err);
    if (rc == HR_OK && nk == 2)
        rc = grid_values(&set->s[si[1]], t0, step, n, x + n, err);
    if (rc) {
        free(x);
        return rc;
    }
    hr_slo_cfg sc;
    hr_slo_cfg_init(&sc);
    sc.objective = d->objective;
    sc.window_days = d->window_days;
    hr_slo_err se;
    int r;
    int pair = nk == 2;
    if (nk == 1) {
        r = hr_slo_eval_latency(t0, step, n, x, d->threshold, &sc, res, &se);
    } else {
        double *tot = x, *good = x + n;
        if (d->bad) /* good = total - bad; a bad rate a hair above the total
                       (separate scrapes) counts as all bad */
            for (size_t i = 0; i < n; i++)
                good[i] = isfinite(tot[i]) && isfinite(good[i]) ? fmax(0.0, tot[i] - good[i]) : NAN;
        r = hr_slo_eval(t0, step, n, good, tot, &sc, res, &se);
    }
    free(x);
    if (r == HR_SLO_EINPUT && se.index < n) {
        char tb[40];
        return hr_err_set(err, HR_EINPUT, "[slo %s]: series %s%s%s at %s: %s", d->name, keys[0],
                          pair ? " and " : "", pair ? keys[1] : "",
                          hr_time_format(t0 + (int64_t)se.index * step, tb, sizeof tb), se.msg);
    }
    if (r)
        return hr_err_set(err, r == HR_SLO_ECONFIG ? HR_ECONFIG : r, "%s: [slo %s]: %s", cfg->path, d->name, se.msg);
    *rs = (hr_rep_slo){d->name, d->service, d->good, d->bad, d->total, d->latency, d->threshold,
                       d->objective, d->window_days, *res, NULL};
    return HR_OK;
}

static int slos(const hr_config *cfg, const hr_seriesset *set, hr_report *rep, hr_pm_stage *pm, hr_err *err)
{
    if (!cfg->nslos)
        return HR_OK;
    pm->slo = calloc(cfg->nslos, sizeof *pm->slo);
    pm->slores = calloc(cfg->nslos, sizeof *pm->slores);
    if (!pm->slo || !pm->slores)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    for (size_t k = 0; k < cfg->nslos; k++) {
        int rc = slo_one(cfg, &cfg->slos[k], set, pm->slo_series + 2 * k, &pm->slo[k], &pm->slores[k], err);
        pm->nslo = k + 1;
        if (rc)
            return rc;
    }
    rep->slo = pm->slo;
    rep->nslo = pm->nslo;
    return HR_OK;
}

int hr_pm_stage_run(const hr_config *cfg, const hr_seriesset *set, hr_report *rep, hr_pm_stage *pm, hr_err *err)
{
    int rc = incidents(cfg, set, rep, pm, err);
    if (rc == HR_OK)
        rc = incident_log(cfg, rep, pm, err);
    if (rc == HR_OK)
        rc = slos(cfg, set, rep, pm, err);
    if (rc == HR_OK)
        rc = hr_pm_deploys_run(cfg, rep, &pm->deploys, err);
    return rc;
}

void hr_pm_stage_clear(hr_pm_stage *pm)
{
    if (!pm)
        return;
    for (size_t k = 0; k < pm->nservices; k++)
        free(pm->services[k]);
    free(pm->services);
    for (size_t k = 0; k < pm->ngroups; k++)
        free(pm->groups[k]);
    free(pm->groups);
    free(pm->series_service);
    free(pm->spans);
    free(pm->anomaly_incident);
    free(pm->anomaly_event);
    hr_pm_incidents_free(pm->inc);
    hr_pm_recurs_free(pm->rec);
    hr_inclog_clear(&pm->log);
    free(pm->slo_series);
    hr_pm_logstats_free(pm->stats);
    hr_pm_match_free(pm->match);
    for (size_t k = 0; k < pm->nslo; k++)
        hr_slo_result_free(pm->slores[k]);
    free(pm->slores);
    free(pm->slo);
    hr_pm_deploys_clear(&pm->deploys);
    memset(pm, 0, sizeof *pm);
}
