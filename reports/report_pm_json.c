/* report_pm_json.c -- problems.json (hr_report_problems_json):
 * incidents, recurring problems, the alert log per service, SLOs and the
 * suggested actions as JSON, plus the ids and names the other renderers
 * reuse (incident, recurring-problem and SLO-rule ids). */
#include "report_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataprob.h"
#include "detect.h"
#include "timefmt.h"

/* ---- problems ---------------------------------------------------------- */

const char *hr_rep_direction_name(int d) { return d == 2 ? "shift" : d > 0 ? "spike" : "dip"; }

/* "Mon 03:00 UTC" (weekly), "03:00 UTC" (daily), or "every 36.5 h" */
const char *hr_rep_phase_text(const hr_pm_recur *p, char *b, size_t n)
{
    static const char *const dow[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    int64_t ph = p->phase_ms / 60000; /* minutes */
    if (p->period == HR_PM_WEEKLY)
        snprintf(b, n, "%s %02d:%02d UTC", dow[(ph / 1440) % 7], (int)(ph % 1440 / 60), (int)(ph % 60));
    else if (p->period == HR_PM_DAILY)
        snprintf(b, n, "daily %02d:%02d UTC", (int)(ph % 1440 / 60), (int)(ph % 60));
    else
        snprintf(b, n, "every %.1f h", (double)p->period_ms / 3600000.0);
    return b;
}

static json_t *jsecs(double ms) { return isfinite(ms) ? json_real(ms / 1000.0) : json_null(); }

const char *hr_report_recurring_id(size_t k, char *b, size_t n)
{
    snprintf(b, n, "R-%02zu", k + 1);
    return b;
}

/* Whether times of the week a and b (ms from Monday 00:00 UTC) are at
 * most the recurring-problem search's phase tolerance apart, around the
 * week. */
static int near_in_week(int64_t a, int64_t b)
{
    hr_pm_recur_cfg cfg;
    hr_pm_recur_cfg_init(&cfg);
    const int64_t week = 7 * INT64_C(86400000);
    int64_t d = ((a - b) % week + week) % week;
    return d <= cfg.phase_tol_ms || week - d <= cfg.phase_tol_ms;
}

int hr_report_recurring_in_pattern(const hr_report *r, const hr_pm_recur *p)
{
    if (p->period != HR_PM_WEEKLY || r->as_of_ms <= p->next_ms + p->period_ms / 2 || p->origin >= r->n)
        return 0;
    const hr_rep_series *s = &r->s[p->origin];
    for (size_t k = 0; k < s->nwpat; k++)
        if (s->wpat[k].direction == p->direction && near_in_week(s->wpat[k].week_ms, p->phase_ms))
            return 1;
    return 0;
}

int hr_report_recurring_lapsed(const hr_report *r, const hr_pm_recur *p)
{
    return r->as_of_ms > p->next_ms + p->period_ms / 2 && !hr_report_recurring_in_pattern(r, p);
}

long hr_report_log_in_pattern(const hr_report *r, size_t k)
{
    if (!r->log || k >= r->nlog || !r->match || !r->match->row_status || k >= r->match->n_rows ||
        r->match->row_status[k] != HR_PM_MISSED || !r->rec)
        return -1;
    const hr_pm_logrow *row = &r->log[k];
    for (size_t j = 0; j < r->rec->n; j++) {
        const hr_pm_recur *p = &r->rec->rec[j];
        const char *svc = p->origin < r->n ? r->s[p->origin].service : NULL;
        if (!svc || !row->service || strcmp(svc, row->service) != 0 || row->start_ms <= p->last_ms ||
            !hr_report_recurring_in_pattern(r, p))
            continue;
        if (near_in_week(hr_pm_phase_week(row->start_ms), p->phase_ms))
            return (long)j;
    }
    return -1;
}

int64_t hr_report_recurring_next(const hr_report *r, const hr_pm_recur *p)
{
    if (!hr_report_recurring_in_pattern(r, p))
        return p->next_ms;
    return p->next_ms + ((r->as_of_ms - p->next_ms) / p->period_ms + 1) * p->period_ms;
}

/* index of the recurring problem incident k belongs to, or SIZE_MAX */
static size_t recurring_of(const hr_report *r, size_t k)
{
    for (size_t p = 0; r->rec && p < r->rec->n; p++)
        for (size_t j = 0; j < r->rec->rec[p].count; j++)
            if (r->rec->rec[p].occ[j] == k)
                return p;
    return SIZE_MAX;
}

json_t *hr_rep_actions_json(const hr_report *r, int which)
{
    json_t *arr = json_array();
    char b[40];
    for (size_t k = 0; k < r->nactions; k++) {
        const hr_rep_action *x = &r->actions[k];
        if (x->report != which)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "rule", json_string(x->rule));
        json_object_set_new(o, "id", json_string(x->id));
        json_object_set_new(o, "first_seen", hr_rep_jdate(x->first_seen_ms));
        json_object_set_new(o, "title", json_string(x->title));
        json_object_set_new(o, "owner", hr_rep_jstr(x->owner));
        json_object_set_new(o, "due", hr_rep_jdate(x->due_ms));
        json_object_set_new(o, "priority", json_integer(x->priority));
        json_t *ev = json_array();
        for (size_t e = 0; e < x->nev; e++) {
            json_t *j = json_object();
            json_object_set_new(j, "series", hr_rep_jstr(x->ev[e].series));
            json_object_set_new(j, "time", x->ev[e].t_ms >= 0 ? json_string(hr_time_format(x->ev[e].t_ms, b, sizeof b))
                                                              : json_null());
            json_object_set_new(j, "value", hr_rep_jnum(x->ev[e].value));
            if (x->ev[e].unit)
                json_object_set_new(j, "unit", json_string(x->ev[e].unit));
            json_object_set_new(j, "what", json_string(x->ev[e].what));
            json_array_append_new(ev, j);
        }
        json_object_set_new(o, "evidence", ev);
        json_array_append_new(arr, o);
    }
    return arr;
}

typedef struct svc_at {
    const char *svc;
    size_t m;
} svc_at;

static int cmp_svc_at(const void *pa, const void *pb)
{
    const svc_at *a = pa, *b = pb;
    if (a->svc != b->svc)
        return (uintptr_t)a->svc < (uintptr_t)b->svc ? -1 : 1;
    return a->m < b->m ? -1 : a->m > b->m;
}

static int cmp_svc_m(const void *pa, const void *pb)
{
    const svc_at *a = pa, *b = pb;
    return a->m < b->m ? -1 : a->m > b->m;
}

/* The services of incident x's members (the report's shared strings),
 * each once, in the order of its first member: sorted by string and
 * member, the first of each string kept, back in member order (a scan
 * of the earlier members per member was quadratic in large incidents). */
static json_t *member_services(const hr_report *r, const hr_pm_incident *x)
{
    json_t *arr = json_array();
    /* through jansson's allocator, whose failures fail the report
     * (jalloc.h) as a value it could not make does */
    json_malloc_t jmalloc;
    json_free_t jfree;
    json_get_alloc_funcs(&jmalloc, &jfree);
    svc_at *v = jmalloc((x->n_series ? x->n_series : 1) * sizeof *v);
    if (!v)
        return arr;
    size_t n = 0, u = 0;
    for (size_t m = 0; m < x->n_series; m++)
        if (r->s[x->members[m].series].service)
            v[n++] = (svc_at){r->s[x->members[m].series].service, m};
    qsort(v, n, sizeof *v, cmp_svc_at);
    for (size_t i = 0; i < n; i++)
        if (!u || v[u - 1].svc != v[i].svc)
            v[u++] = v[i];
    qsort(v, u, sizeof *v, cmp_svc_m);
    for (size_t i = 0; i < u; i++)
        json_array_append_new(arr, json_string(v[i].svc));
    jfree(v);
    return arr;
}

static json_t *incidents_json(const hr_report *r)
{
    json_t *arr = json_array();
    char id[32];
    for (size_t k = 0; r->inc && k < r->inc->n; k++) {
        const hr_pm_incident *x = &r->inc->inc[k];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(hr_report_incident_id(k, id, sizeof id)));
        json_object_set_new(o, "start", hr_rep_jtime(x->start_ms));
        json_object_set_new(o, "end", hr_rep_jtime(x->end_ms));
        json_object_set_new(o, "duration_s", json_integer((json_int_t)(x->duration_ms / 1000)));
        json_object_set_new(o, "origin", json_string(r->s[x->origin].key));
        json_object_set_new(o, "origin_service", hr_rep_jstr(r->s[x->origin].service));
        json_object_set_new(o, "direction", json_string(hr_rep_direction_name(x->direction)));
        json_object_set_new(o, "severity", hr_rep_jnum(x->severity));
        json_object_set_new(o, "level", json_string(hr_pm_level_name(x->level)));
        json_object_set_new(o, "peak_score", hr_rep_jnum(x->peak_score));
        json_object_set_new(o, "peak_time", hr_rep_jtime(x->peak_ms));
        json_object_set_new(o, "n_series", json_integer((json_int_t)x->n_series));
        json_object_set_new(o, "n_spans", json_integer((json_int_t)x->n_spans));
        json_t *svcs = member_services(r, x), *mem = json_array();
        for (size_t m = 0; m < x->n_series; m++) {
            const hr_pm_member *p = &x->members[m];
            const hr_rep_series *s = &r->s[p->series];
            json_t *j = json_object();
            json_object_set_new(j, "series", json_string(s->key));
            json_object_set_new(j, "service", hr_rep_jstr(s->service));
            json_object_set_new(j, "onset", hr_rep_jtime(p->onset_ms));
            json_object_set_new(j, "onset_offset_s", json_integer((json_int_t)((p->onset_ms - x->start_ms) / 1000)));
            json_object_set_new(j, "end", hr_rep_jtime(p->end_ms));
            json_object_set_new(j, "peak_time", hr_rep_jtime(p->peak_ms));
            json_object_set_new(j, "peak_score", hr_rep_jnum(p->peak_score));
            json_object_set_new(j, "direction", json_string(hr_rep_direction_name(p->direction)));
            json_object_set_new(j, "spans", json_integer((json_int_t)p->n_spans));
            json_array_append_new(mem, j);
        }
        json_object_set_new(o, "services", svcs);
        json_object_set_new(o, "members", mem);
        size_t row = r->match ? r->match->inc_row[k] : HR_PM_NONE;
        json_object_set_new(o, "logged", row == HR_PM_NONE ? json_null() : json_string(r->log[row].title ? r->log[row].title : ""));
        size_t p = recurring_of(r, k);
        json_object_set_new(o, "recurring", p == SIZE_MAX ? json_null() : json_string(hr_report_recurring_id(p, id, sizeof id)));
        char pm[48];
        snprintf(pm, sizeof pm, "postmortems/%s.md", hr_report_incident_id(k, id, sizeof id));
        json_object_set_new(o, "postmortem", hr_report_postmortem_wanted(r, k) ? json_string(pm) : json_null());
        json_object_set_new(o, "changes", hr_rep_incident_changes_json(r, k));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *recurring_json(const hr_report *r)
{
    json_t *arr = json_array();
    char id[32], ph[64];
    for (size_t k = 0; r->rec && k < r->rec->n; k++) {
        const hr_pm_recur *p = &r->rec->rec[k];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(hr_report_recurring_id(k, id, sizeof id)));
        json_object_set_new(o, "origin", json_string(r->s[p->origin].key));
        json_object_set_new(o, "service", hr_rep_jstr(r->s[p->origin].service));
        json_object_set_new(o, "direction", json_string(hr_rep_direction_name(p->direction)));
        json_object_set_new(o, "period", json_string(hr_pm_period_name(p->period)));
        json_object_set_new(o, "period_s", json_integer((json_int_t)(p->period_ms / 1000)));
        json_object_set_new(o, "pattern", json_string(hr_rep_phase_text(p, ph, sizeof ph)));
        json_object_set_new(o, "phase_s", json_integer((json_int_t)(p->phase_ms / 1000)));
        json_object_set_new(o, "median_duration_s", json_integer((json_int_t)(p->median_duration_ms / 1000)));
        json_object_set_new(o, "count", json_integer((json_int_t)p->count));
        json_object_set_new(o, "first", hr_rep_jtime(p->first_ms));
        json_object_set_new(o, "last", hr_rep_jtime(p->last_ms));
        json_object_set_new(o, "next_expected", hr_rep_jtime(hr_report_recurring_next(r, p)));
        json_object_set_new(o, "status", json_string(hr_report_recurring_lapsed(r, p) ? "lapsed" : "active"));
        json_object_set_new(o, "in_weekly_pattern", json_boolean(hr_report_recurring_in_pattern(r, p)));
        json_t *occ = json_array();
        for (size_t j = 0; j < p->count; j++)
            json_array_append_new(occ, json_string(hr_report_incident_id(p->occ[j], id, sizeof id)));
        json_object_set_new(o, "incidents", occ);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *svc_json(const hr_pm_svc *v)
{
    json_t *o = json_object();
    json_object_set_new(o, "service", hr_rep_jstr(v->service));
    json_object_set_new(o, "incidents", json_integer((json_int_t)v->n));
    json_object_set_new(o, "with_detected", json_integer((json_int_t)v->n_detected));
    json_object_set_new(o, "with_resolved", json_integer((json_int_t)v->n_resolved));
    json_object_set_new(o, "mttd_s", jsecs(v->mttd_ms));
    json_object_set_new(o, "mttr_s", jsecs(v->mttr_ms));
    json_object_set_new(o, "mtbf_s", jsecs(v->mtbf_ms));
    json_object_set_new(o, "impact_s", jsecs(v->impact_ms));
    json_object_set_new(o, "first", hr_rep_jtime(v->n ? v->first_ms : -1));
    json_object_set_new(o, "last", hr_rep_jtime(v->n ? v->last_ms : -1));
    return o;
}

static json_t *log_json(const hr_report *r)
{
    if (!r->logstats)
        return json_null();
    json_t *o = json_object(), *svcs = json_array(), *rows = json_array();
    json_object_set_new(o, "path", json_string(r->log_path));
    json_object_set_new(o, "match_tolerance_s", json_integer((json_int_t)(r->match_tolerance_ms / 1000)));
    for (size_t k = 0; k < r->logstats->n_svc; k++)
        json_array_append_new(svcs, svc_json(&r->logstats->svc[k]));
    json_object_set_new(o, "services", svcs);
    json_object_set_new(o, "all", svc_json(&r->logstats->all));
    char id[32];
    for (size_t k = 0; k < r->nlog; k++) {
        const hr_pm_logrow *x = &r->log[k];
        json_t *j = json_object();
        json_object_set_new(j, "start", hr_rep_jtime(x->start_ms));
        json_object_set_new(j, "end", hr_rep_jtime(x->end_ms));
        json_object_set_new(j, "detected", hr_rep_jtime(x->detected_ms));
        json_object_set_new(j, "resolved", hr_rep_jtime(x->resolved_ms));
        json_object_set_new(j, "service", hr_rep_jstr(x->service));
        json_object_set_new(j, "title", hr_rep_jstr(x->title));
        int seen = r->match && r->match->row_status[k] == HR_PM_SEEN;
        json_object_set_new(j, "status", json_string(seen ? "seen" : "missed"));
        json_object_set_new(j, "incident", seen ? json_string(hr_report_incident_id(r->match->row_incident[k], id, sizeof id))
                                                : json_null());
        json_object_set_new(j, "detection_lead_s", seen ? json_integer((json_int_t)(r->match->row_lead_ms[k] / 1000))
                                                        : json_null());
        long pat = hr_report_log_in_pattern(r, k);
        json_object_set_new(j, "weekly_pattern_of",
                            pat >= 0 ? json_string(hr_report_recurring_id((size_t)pat, id, sizeof id)) : json_null());
        json_array_append_new(rows, j);
    }
    json_object_set_new(o, "logged", rows);
    json_t *m = json_object();
    if (r->match) {
        json_object_set_new(m, "seen", json_integer((json_int_t)r->match->n_seen));
        json_object_set_new(m, "missed", json_integer((json_int_t)r->match->n_missed));
        json_object_set_new(m, "unlogged", json_integer((json_int_t)r->match->n_unlogged));
        json_object_set_new(m, "mean_detection_lead_s", jsecs(r->match->mean_lead_ms));
        json_object_set_new(m, "median_detection_lead_s", jsecs(r->match->median_lead_ms));
    }
    json_object_set_new(o, "match", m);
    return o;
}

const char *hr_report_rule_name(const hr_slo_rule *ru, char *b, size_t n)
{
    char x[32], y[32];
    int64_t t[2] = {ru->long_ms, ru->short_ms};
    char *o[2] = {x, y};
    for (int k = 0; k < 2; k++) {
        int64_t v = t[k] / 1000;
        if (v % 86400 == 0)
            snprintf(o[k], sizeof x, "%lldd", (long long)(v / 86400));
        else if (v % 3600 == 0)
            snprintf(o[k], sizeof x, "%lldh", (long long)(v / 3600));
        else if (v % 60 == 0)
            snprintf(o[k], sizeof x, "%lldm", (long long)(v / 60));
        else
            snprintf(o[k], sizeof x, "%llds", (long long)v);
    }
    snprintf(b, n, "%s/%s", x, y);
    return b;
}

static json_t *slos_json(const hr_report *r)
{
    json_t *arr = json_array();
    char b[40];
    for (size_t k = 0; k < r->nslo; k++) {
        const hr_rep_slo *d = &r->slo[k];
        const hr_slo_result *x = d->res;
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(d->name));
        json_object_set_new(o, "service", hr_rep_jstr(d->service));
        json_object_set_new(o, "kind", json_string(d->latency ? "latency" : "ratio"));
        json_object_set_new(o, "good", hr_rep_jstr(d->good));
        json_object_set_new(o, "bad", hr_rep_jstr(d->bad));
        json_object_set_new(o, "total", hr_rep_jstr(d->total));
        json_object_set_new(o, "latency", hr_rep_jstr(d->latency));
        json_object_set_new(o, "threshold", d->latency ? hr_rep_jnum(d->threshold) : json_null());
        json_object_set_new(o, "objective", hr_rep_jnum(d->objective));
        json_object_set_new(o, "window_days", hr_rep_jnum(d->window_days));
        json_object_set_new(o, "error", hr_rep_jstr(d->error));
        if (x) {
            json_object_set_new(o, "window_start", hr_rep_jtime(x->window_start_ms));
            json_object_set_new(o, "window_end", hr_rep_jtime(x->window_end_ms));
            json_object_set_new(o, "partial_window", json_boolean(x->partial));
            json_object_set_new(o, "points", json_integer((json_int_t)x->n_valid));
            json_object_set_new(o, "gaps", json_integer((json_int_t)x->n_gaps));
            json_object_set_new(o, "good_events", hr_rep_jnum(x->good));
            json_object_set_new(o, "total_events", hr_rep_jnum(x->total));
            json_object_set_new(o, "bad_events", hr_rep_jnum(x->bad));
            json_object_set_new(o, "sli", hr_rep_jnum(x->sli));
            json_object_set_new(o, "error_budget", hr_rep_jnum(x->budget));
            json_object_set_new(o, "budget_consumed", hr_rep_jnum(x->consumed));
            json_object_set_new(o, "budget_remaining", hr_rep_jnum(x->remaining));
            json_object_set_new(o, "exhausted", json_boolean(x->exhausted));
            json_object_set_new(o, "exhausted_at", x->exhausted ? hr_rep_jtime(x->exhausted_ms) : json_null());
            json_t *al = json_array();
            for (size_t a = 0; a < x->n_alerts; a++) {
                const hr_slo_alert *y = &x->alerts[a];
                const hr_slo_rule *ru = &x->rules[y->rule];
                json_t *j = json_object();
                json_object_set_new(j, "rule", json_string(hr_report_rule_name(ru, b, sizeof b)));
                json_object_set_new(j, "severity", json_string(y->severity == HR_SLO_PAGE ? "page" : "ticket"));
                json_object_set_new(j, "burn_threshold", hr_rep_jnum(ru->burn));
                json_object_set_new(j, "long_window_s", json_integer((json_int_t)(x->eff[y->rule].long_ms / 1000)));
                json_object_set_new(j, "short_window_s", json_integer((json_int_t)(x->eff[y->rule].short_ms / 1000)));
                json_object_set_new(j, "start", hr_rep_jtime(y->start_ms));
                json_object_set_new(j, "end", hr_rep_jtime(y->end_ms));
                json_object_set_new(j, "peak_burn", hr_rep_jnum(y->peak_burn));
                json_object_set_new(j, "peak_time", hr_rep_jtime(y->peak_ms));
                json_object_set_new(j, "open", json_boolean(y->open));
                json_array_append_new(al, j);
            }
            json_object_set_new(o, "alerts", al);
            json_t *bd = json_array();
            for (size_t c = 0; c < x->n_curve; c++) {
                json_t *j = json_object();
                json_object_set_new(j, "time", hr_rep_jtime(x->curve_ms[c]));
                json_object_set_new(j, "budget_remaining", hr_rep_jnum(x->curve_remaining[c]));
                json_array_append_new(bd, j);
            }
            json_object_set_new(o, "burn_down", bd);
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

char *hr_report_problems_json(const hr_report *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "schema_version", json_integer(HR_REPORT_SCHEMA));
    json_object_set_new(root, "report", json_string("problems"));
    json_object_set_new(root, "as_of", hr_rep_jtime(r->as_of_ms));
    json_object_set_new(root, "data_problems", hr_rep_data_problems_json(r));
    json_object_set_new(root, "models", json_string(r->models));
    json_object_set_new(root, "anomaly_threshold", hr_rep_jnum(r->anomaly_z));
    json_t *arr = json_array();
    size_t nser = 0;
    char id[32];
    for (size_t i = 0; i < r->n; i++)
        nser += r->s[i].nanomalies > 0;
    for (size_t i = 0; i < r->na; i++) {
        const hr_rep_anomaly *x = &r->a[i];
        json_t *o = json_object();
        json_object_set_new(o, "series", json_string(r->s[x->series].key));
        json_object_set_new(o, "start", hr_rep_jtime(x->start_ms));
        json_object_set_new(o, "end", hr_rep_jtime(x->end_ms));
        json_object_set_new(o, "peak_time", hr_rep_jtime(x->peak_ms));
        json_object_set_new(o, "peak_score", hr_rep_jnum(x->peak_z));
        json_object_set_new(o, "direction", json_string(hr_rep_direction_name(x->direction)));
        json_object_set_new(o, "peak_value", hr_rep_jnum(x->peak_value));
        json_object_set_new(o, "unit", json_string(r->s[x->series].unit));
        json_object_set_new(o, "expected_value", hr_rep_jnum(x->expected_value));
        json_object_set_new(o, "duration_s", json_integer((json_int_t)((x->end_ms - x->start_ms) / 1000)));
        size_t ik = r->anomaly_incident ? r->anomaly_incident[i] : SIZE_MAX;
        json_object_set_new(o, "incident", ik != SIZE_MAX ? json_string(hr_report_incident_id(ik, id, sizeof id))
                                                          : json_null());
        json_object_set_new(o, "explained_by", hr_rep_jstr(r->anomaly_event ? r->anomaly_event[i] : NULL));
        json_object_set_new(o, "statistic", hr_rep_jstr(hr_det_stat_name(hr_det_fired_stat(x->fired))));
        json_object_set_new(o, "baseline", hr_rep_jstr(hr_det_base_name(hr_det_fired_base(x->fired))));
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "anomalies", arr);
    json_object_set_new(root, "series_with_anomalies", json_integer((json_int_t)nser));
    json_object_set_new(root, "series_analysed", json_integer((json_int_t)r->n));
    json_t *grp = json_object();
    json_object_set_new(grp, "group_by", hr_rep_jstr(r->group_by));
    json_object_set_new(grp, "gap_s", json_integer((json_int_t)(r->incident_gap_ms / 1000)));
    json_object_set_new(root, "incident_grouping", grp);
    size_t lv[3] = {0, 0, 0};
    for (size_t k = 0; r->inc && k < r->inc->n; k++)
        lv[r->inc->inc[k].level]++;
    json_t *cnt = json_object();
    json_object_set_new(cnt, "critical", json_integer((json_int_t)lv[HR_PM_CRITICAL]));
    json_object_set_new(cnt, "major", json_integer((json_int_t)lv[HR_PM_MAJOR]));
    json_object_set_new(cnt, "minor", json_integer((json_int_t)lv[HR_PM_MINOR]));
    json_object_set_new(root, "incident_counts", cnt);
    json_object_set_new(root, "incidents", incidents_json(r));
    json_object_set_new(root, "recurring_problems", recurring_json(r));
    json_object_set_new(root, "incident_log", log_json(r));
    json_object_set_new(root, "slos", slos_json(r));
    json_object_set_new(root, "changes", hr_rep_deploys_json(r));
    json_object_set_new(root, "actions", hr_rep_actions_json(r, HR_REP_PROBLEMS));
    json_t *svc = hr_rep_services_json(r);
    if (!svc) {
        json_decref(root);
        return NULL;
    }
    json_object_set_new(root, "services", svc);
    return hr_rep_dump(root);
}
