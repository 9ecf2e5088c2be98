/* deploys.c -- the change-management parts of the reports (the changes
 * log of [changes], models/deploys.h): problems.json's "changes" object
 * and each incident's "changes" list, problems.md's "Change management"
 * section, and the one-line "started 12 min after deploy 4711 of
 * checkout" that problems.md, problems.html and the postmortem drafts
 * print beside a linked incident. problems.html's section is
 * html_deploys.c. Not reports/changes.c (the diff against the previous
 * report folder). */
#include "report_int.h"

#include <math.h>

#include "dataprob.h"
#include "timefmt.h"

/* Change c of the log, or NULL. */
static const hr_dep_change *change_of(const hr_rep_deploys *d, size_t c) { return c < d->n ? &d->c[c] : NULL; }

size_t hr_rep_incident_change(const hr_report *r, size_t k)
{
    const hr_rep_deploys *d = r->deploys;
    if (!d || !d->res || !r->inc || k >= r->inc->n)
        return HR_DEP_NONE;
    return d->res->incident_change[k];
}

/* "12 min", "1.5 h": a lag for people. */
const char *hr_rep_lag_text(int64_t ms, char *b, size_t n)
{
    if (ms < 3600000)
        snprintf(b, n, "%lld min", (long long)(ms / 60000));
    else
        snprintf(b, n, "%.1f h", (double)ms / 3600000.0);
    return b;
}

const char *hr_rep_change_text(const hr_report *r, size_t k, char *b, size_t n)
{
    size_t c = hr_rep_incident_change(r, k);
    const hr_dep_change *x = c == HR_DEP_NONE ? NULL : change_of(r->deploys, c);
    if (!x)
        return NULL;
    char l[32];
    snprintf(b, n, "started %s after %s %s of %s", hr_rep_lag_text(r->inc->inc[k].start_ms - x->t_ms, l, sizeof l),
             hr_dep_kind_name(x->kind), x->id, x->service);
    return b;
}

/* ---- JSON ----------------------------------------------------------------- */

json_t *hr_rep_incident_changes_json(const hr_report *r, size_t k)
{
    json_t *a = json_array();
    size_t c = hr_rep_incident_change(r, k);
    if (c != HR_DEP_NONE && c < r->deploys->n)
        json_array_append_new(a, json_string(r->deploys->c[c].id));
    return a;
}

static void metrics_json(json_t *o, const hr_dep_metrics *m)
{
    json_object_set_new(o, "deploys_per_week", hr_rep_jnum(m->deploys_per_week));
    json_object_set_new(o, "change_failure_rate", hr_rep_jnum(m->failure_rate));
    json_object_set_new(o, "lead_time_h_p50", hr_rep_jnum(m->lead_p50_h));
    json_object_set_new(o, "lead_time_h_p90", hr_rep_jnum(m->lead_p90_h));
    json_object_set_new(o, "restore_h_p50", hr_rep_jnum(m->restore_p50_h));
    json_object_set_new(o, "n_changes", json_integer((json_int_t)m->n_changes));
    json_object_set_new(o, "n_deploys", json_integer((json_int_t)m->n_deploys));
    json_object_set_new(o, "n_failed", json_integer((json_int_t)m->n_failed));
}

static json_t *both_json(const char *service, const hr_dep_metrics *all, const hr_dep_metrics *recent)
{
    json_t *o = json_object(), *l = json_object();
    if (service)
        json_object_set_new(o, "service", json_string(service));
    metrics_json(o, all);
    metrics_json(l, recent);
    json_object_set_new(o, "last_30d", l);
    return o;
}

json_t *hr_rep_deploys_json(const hr_report *r)
{
    const hr_rep_deploys *d = r->deploys;
    if (!d || !d->res)
        return json_null();
    const hr_dep_result *x = d->res;
    char id[32];
    json_t *o = json_object(), *svcs = json_array(), *links = json_array(), *failed = json_array();
    json_object_set_new(o, "path", json_string(d->path));
    json_object_set_new(o, "window_s", json_integer((json_int_t)(d->window_ms / 1000)));
    json_object_set_new(o, "max_failure_rate", hr_rep_jnum(d->max_failure_rate));
    for (size_t k = 0; k < x->nsvc; k++)
        json_array_append_new(svcs, both_json(x->svc[k].service, &x->svc[k].all, &x->svc[k].recent));
    json_object_set_new(o, "services", svcs);
    json_object_set_new(o, "all", both_json(NULL, &x->all, &x->recent));
    for (size_t k = 0; k < x->nlinks; k++) {
        json_t *j = json_object();
        const hr_dep_change *c = &d->c[x->links[k].change];
        json_object_set_new(j, "change", json_string(c->id));
        json_object_set_new(j, "service", json_string(c->service));
        json_object_set_new(j, "kind", json_string(hr_dep_kind_name(c->kind)));
        json_object_set_new(j, "time", hr_rep_jtime(c->t_ms));
        json_object_set_new(j, "incident", json_string(hr_report_incident_id(x->links[k].incident, id, sizeof id)));
        json_object_set_new(j, "lag_s", json_integer((json_int_t)(x->links[k].lag_ms / 1000)));
        json_array_append_new(links, j);
    }
    json_object_set_new(o, "links", links);
    /* the failed changes in the log's order, with why */
    for (size_t c = 0; c < d->n; c++) {
        if (!x->failed[c])
            continue;
        json_t *j = json_object(), *inc = json_array();
        json_object_set_new(j, "change", json_string(d->c[c].id));
        json_object_set_new(j, "service", json_string(d->c[c].service));
        json_object_set_new(j, "kind", json_string(hr_dep_kind_name(d->c[c].kind)));
        json_object_set_new(j, "time", hr_rep_jtime(d->c[c].t_ms));
        for (size_t k = 0; k < x->nlinks; k++)
            if (x->links[k].change == c)
                json_array_append_new(inc, json_string(hr_report_incident_id(x->links[k].incident, id, sizeof id)));
        json_object_set_new(j, "incidents", inc);
        size_t rb = x->rolled_back_by[c];
        json_object_set_new(j, "rolled_back_by", rb == HR_DEP_NONE ? json_null() : json_string(d->c[rb].id));
        json_array_append_new(failed, j);
    }
    json_object_set_new(o, "failed", failed);
    return o;
}

/* ---- Markdown -------------------------------------------------------------- */

static const char *num_or_dash(double x, const char *fmt, char *b, size_t n)
{
    if (!isfinite(x))
        snprintf(b, n, "-");
    else
        snprintf(b, n, fmt, x);
    return b;
}

static void md_row(FILE *f, const char *name, const hr_dep_metrics *m, const hr_dep_metrics *l)
{
    char a[40], b[40], c[40], e[40], g[40], h[40], w[40];
    fputs("| ", f);
    hr_rep_md_cell(f, name);
    fprintf(f, " | %zu | %s | %zu | %s | %s | %s | %s | %s | %s |\n", m->n_changes,
            num_or_dash(m->deploys_per_week, "%.2f", a, sizeof a), m->n_failed,
            hr_rep_pct(100.0 * m->failure_rate, 0, b, sizeof b), hr_rep_pct(100.0 * l->failure_rate, 0, c, sizeof c),
            num_or_dash(m->lead_p50_h, "%.1f h", e, sizeof e), num_or_dash(m->lead_p90_h, "%.1f h", g, sizeof g),
            num_or_dash(m->restore_p50_h, "%.1f h", h, sizeof h), num_or_dash(l->deploys_per_week, "%.2f", w, sizeof w));
}

void hr_rep_md_deploys(FILE *f, const hr_report *r)
{
    const hr_rep_deploys *d = r->deploys;
    if (!d || !d->res)
        return;
    const hr_dep_result *x = d->res;
    char a[40], id[32], l[32];
    fprintf(f, "\n## Change management\n\nFrom the changes log `%s`: an incident starting within %s after a change "
               "to one of its services is linked to the latest such change; a change failed when it led to a major "
               "or critical incident or was rolled back. Lead time is from commit to production, time to restore "
               "from the change to the end of its incident.\n\n",
            d->path, hr_rep_lag_text(d->window_ms, l, sizeof l));
    fputs("| service | changes | deploys per week | failed | failure rate | failure rate 30 d | lead time p50 | "
          "lead time p90 | restore p50 | deploys per week 30 d |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n", f);
    for (size_t k = 0; k < x->nsvc; k++)
        md_row(f, x->svc[k].service, &x->svc[k].all, &x->svc[k].recent);
    md_row(f, "all", &x->all, &x->recent);
    fputs("\n### Changes linked to incidents\n\n", f);
    if (!x->nlinks)
        fputs("None.\n", f);
    else
        fputs("| incident | change | kind | service | change time | lag | level |\n|---|---|---|---|---|---:|---|\n", f);
    for (size_t k = 0; k < x->nlinks; k++) {
        const hr_dep_link *p = &x->links[k];
        const hr_dep_change *c = &d->c[p->change];
        fprintf(f, "| %s | ", hr_report_incident_id(p->incident, id, sizeof id));
        hr_rep_md_code(f, c->id);
        fprintf(f, " | %s | ", hr_dep_kind_name(c->kind));
        hr_rep_md_cell(f, c->service);
        fprintf(f, " | %s | %s | %s |\n", hr_time_format(c->t_ms, a, sizeof a), hr_rep_lag_text(p->lag_ms, l, sizeof l),
                hr_pm_level_name(r->inc->inc[p->incident].level));
    }
    size_t nf = 0;
    for (size_t c = 0; c < d->n; c++)
        nf += x->failed[c] != 0;
    fputs("\n### Failed changes\n\n", f);
    if (!nf)
        fputs("None.\n", f);
    else
        fputs("| change | kind | service | time | why |\n|---|---|---|---|---|\n", f);
    for (size_t c = 0; c < d->n; c++) {
        if (!x->failed[c])
            continue;
        const hr_dep_change *y = &d->c[c];
        fputs("| ", f);
        hr_rep_md_code(f, y->id);
        fprintf(f, " | %s | ", hr_dep_kind_name(y->kind));
        hr_rep_md_cell(f, y->service);
        fprintf(f, " | %s | ", hr_time_format(y->t_ms, a, sizeof a));
        int first = 1;
        for (size_t k = 0; k < x->nlinks; k++)
            if (x->links[k].change == c && r->inc->inc[x->links[k].incident].level >= HR_PM_MAJOR) {
                fprintf(f, "%s%s incident %s", first ? "" : ", ", hr_pm_level_name(r->inc->inc[x->links[k].incident].level),
                        hr_report_incident_id(x->links[k].incident, id, sizeof id));
                first = 0;
            }
        if (x->rolled_back_by[c] != HR_DEP_NONE) {
            fprintf(f, "%srolled back by ", first ? "" : ", ");
            hr_rep_md_code(f, d->c[x->rolled_back_by[c]].id);
        }
        fputs(" |\n", f);
    }
}
