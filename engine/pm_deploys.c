/* pm_deploys.c -- see pm_deploys.h. */
#include "pm_deploys.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int hr_pm_deploys_prepare(const hr_config *cfg, hr_pm_deploys *d, hr_diag_fn diag, void *ud, hr_err *err)
{
    if (!cfg->changes)
        return HR_OK;
    return hr_changelog_load(cfg->changes, &d->log, diag, ud, err);
}

/* The level shifts of series that came with a change to their service:
 * the latest change c of that service with c.t <= step <= c.t + window.
 * The steps are the run's own array (engine/run.c fills it), borrowed by
 * the report as const; this stage owns the marking. */
static void mark_steps(const hr_config *cfg, hr_report *rep, const hr_changelog *log)
{
    for (size_t i = 0; i < rep->n; i++) {
        const hr_rep_series *s = &rep->s[i];
        if (!s->service)
            continue;
        hr_rep_step *st = (hr_rep_step *)s->steps;
        for (size_t j = 0; j < s->nsteps; j++) {
            const hr_dep_change *best = NULL;
            if (st[j].slope)
                continue;
            for (size_t k = 0; k < log->n; k++) {
                const hr_dep_change *c = &log->r[k];
                if (strcmp(c->service, s->service) != 0 || c->t_ms > st[j].t_ms ||
                    st[j].t_ms - c->t_ms > cfg->change_window_ms)
                    continue;
                if (!best || c->t_ms > best->t_ms || (c->t_ms == best->t_ms && strcmp(c->id, best->id) < 0))
                    best = c;
            }
            st[j].change = best ? best->id : NULL;
        }
    }
}

int hr_pm_deploys_run(const hr_config *cfg, hr_report *rep, hr_pm_deploys *d, hr_err *err)
{
    if (!cfg->changes)
        return HR_OK;
    size_t ni = rep->inc ? rep->inc->n : 0, nm = 0;
    for (size_t k = 0; k < ni; k++)
        nm += rep->inc->inc[k].n_series;
    hr_dep_incident *inc = malloc((ni ? ni : 1) * sizeof *inc);
    const char **names = malloc((nm ? nm : 1) * sizeof *names);
    if (!inc || !names) {
        free(inc);
        free(names);
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    }
    /* each incident's distinct services, in member (onset) order */
    size_t used = 0;
    for (size_t k = 0; k < ni; k++) {
        const hr_pm_incident *x = &rep->inc->inc[k];
        const char **v = names + used;
        size_t nv = 0;
        for (size_t m = 0; m < x->n_series; m++) {
            const char *svc = rep->s[x->members[m].series].service;
            size_t q = 0;
            while (q < nv && (!svc || strcmp(v[q], svc) != 0))
                q++;
            if (svc && q == nv)
                v[nv++] = svc;
        }
        used += nv;
        inc[k] = (hr_dep_incident){x->start_ms, x->end_ms, x->level >= HR_PM_MAJOR, rep->s[x->origin].service, v, nv};
    }
    hr_dep_cfg dc;
    hr_dep_cfg_init(&dc);
    dc.window_ms = cfg->change_window_ms;
    dc.to_ms = rep->as_of_ms;
    dc.from_ms = rep->as_of_ms;
    for (size_t i = 0; i < rep->n; i++)
        if (rep->s[i].points && rep->s[i].first_ms < dc.from_ms)
            dc.from_ms = rep->s[i].first_ms;
    size_t bad = HR_DEP_NONE;
    int rc = hr_dep_analyze(d->log.r, d->log.n, inc, ni, &dc, &d->res, &bad);
    free(inc);
    free(names);
    if (rc == HR_DEP_EINPUT && bad < d->log.n)
        return hr_err_set(err, HR_EINPUT, "%s:%lu: rollback_of names no earlier change", cfg->changes, d->log.line[bad]);
    if (rc)
        return hr_err_set(err, rc == HR_DEP_ENOMEM ? HR_ESOFTWARE : rc, "%s: change management: %s", cfg->changes,
                          rc == HR_DEP_ENOMEM ? "out of memory" : "bad [changes] window");
    mark_steps(cfg, rep, &d->log);
    d->rep = (hr_rep_deploys){cfg->changes, cfg->change_window_ms, cfg->max_failure_rate, d->log.r,
                              (const char *const *)d->log.description, d->log.n, d->res};
    rep->deploys = &d->rep;
    return HR_OK;
}

void hr_pm_deploys_clear(hr_pm_deploys *d)
{
    if (!d)
        return;
    hr_changelog_clear(&d->log);
    hr_dep_result_free(d->res);
    memset(d, 0, sizeof *d);
}
