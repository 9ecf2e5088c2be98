/* report_pm_md.c -- problems.md (hr_report_problems_md) and the
 * Markdown "what to do" actions block that capacity.md also prints. */
#include "report_int.h"

#include <math.h>

#include "dataprob.h"
#include "timefmt.h"
#include "units.h"
#include "fileio.h"

static const char *hours(double ms, char *b, size_t n)
{
    if (!isfinite(ms))
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%.1f h", ms / 3600000.0);
    return b;
}

/* a share as a percentage for people (hr_rep_pct) */
static const char *pct1(double share, char *b, size_t n) { return hr_rep_pct(100.0 * share, 0, b, n); }

void hr_rep_md_actions(FILE *f, const hr_report *r, int which)
{
    char a[40], b[40];
    size_t n = 0;
    for (size_t k = 0; k < r->nactions; k++)
        n += r->actions[k].report == which;
    fprintf(f, "\n## Suggested actions\n\n");
    if (!n) {
        fprintf(f, "None: no rule fired.\n");
        return;
    }
    fprintf(f, "| priority | due | owner | action | evidence | id | first seen |\n|---:|---|---|---|---|---|---|\n");
    for (size_t k = 0; k < r->nactions; k++) {
        const hr_rep_action *x = &r->actions[k];
        if (x->report != which)
            continue;
        fprintf(f, "| P%d | %s | ", x->priority, hr_rep_fdate(x->due_ms, a, sizeof a));
        hr_rep_md_cell(f, x->owner ? x->owner : "-");
        fputs(" | ", f);
        hr_rep_md_cell(f, x->title);
        fputs(" | ", f);
        for (size_t e = 0; e < x->nev; e++) {
            if (e)
                fputs("; ", f);
            hr_rep_md_cell(f, x->ev[e].what);
            fprintf(f, " %s", x->ev[e].unit ? hr_fmt_unit(x->ev[e].value, x->ev[e].unit, b, sizeof b)
                                             : hr_rep_fmt(x->ev[e].value, b, sizeof b));
            if (x->ev[e].series) {
                fputs(" (", f);
                hr_rep_md_code(f, x->ev[e].series);
                if (x->ev[e].t_ms >= 0)
                    fprintf(f, ", %s", hr_time_format(x->ev[e].t_ms, a, sizeof a));
                fputs(")", f);
            }
        }
        fputs(" | ", f);
        hr_rep_md_code(f, x->id);
        fprintf(f, " | %s |\n", hr_rep_fdate(x->first_seen_ms, a, sizeof a));
    }
}

char *hr_report_problems_md(const hr_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = hr_memstream(&buf, &len);
    if (!f)
        return NULL;
    char a[40], b[40], c[40], d[40], id[32];
    size_t nser = 0;
    for (size_t i = 0; i < r->n; i++)
        nser += r->s[i].nanomalies > 0;
    size_t lv[3] = {0, 0, 0}, ninc = r->inc ? r->inc->n : 0;
    for (size_t k = 0; k < ninc; k++)
        lv[r->inc->inc[k].level]++;
    fprintf(f, "# Problems report\n\nAs of %s (last data point).\n\n", hr_time_format(r->as_of_ms, a, sizeof a));
    hr_rep_md_data_head(f, r);
    fputs("## Summary\n\n", f);
    fprintf(f, "- %zu anomalies in %zu of %zu series (score >= %s).\n", r->na, nser, r->n,
            hr_rep_fmt(r->anomaly_z, b, sizeof b));
    fprintf(f, "- %zu incidents: %zu critical, %zu major, %zu minor.\n", ninc, lv[HR_PM_CRITICAL], lv[HR_PM_MAJOR],
            lv[HR_PM_MINOR]);
    fprintf(f, "- %zu recurring problems.\n", r->rec ? r->rec->n : 0);
    for (size_t k = 0; r->rec && k < r->rec->n; k++) {
        const hr_pm_recur *p = &r->rec->rec[k];
        fprintf(f, "  - %s: %s %s of ", hr_report_recurring_id(k, id, sizeof id), hr_pm_period_name(p->period),
                hr_rep_direction_name(p->direction));
        hr_rep_md_code(f, r->s[p->origin].key);
        fprintf(f, " at %s, %zu times, next expected %s", hr_rep_phase_text(p, c, sizeof c), p->count,
                hr_time_format(hr_report_recurring_next(r, p), a, sizeof a));
        if (hr_report_recurring_lapsed(r, p))
            fprintf(f, " (lapsed: no anomaly since %s)", hr_time_format(p->last_ms, a, sizeof a));
        else if (hr_report_recurring_in_pattern(r, p))
            fprintf(f, " (no anomaly since %s: it runs on as part of the weekly pattern the detector learnt)",
                    hr_time_format(p->last_ms, a, sizeof a));
        fputs(".\n", f);
    }
    for (size_t k = 0; k < r->nslo; k++) {
        const hr_rep_slo *s = &r->slo[k];
        if (!s->res)
            continue;
        char sl[40];
        if (isfinite(s->res->sli))
            snprintf(sl, sizeof sl, "%.3f %%", 100 * s->res->sli);
        else
            snprintf(sl, sizeof sl, "-");
        fprintf(f, "- SLO %s: SLI %s against %s %%; error budget left %s%s; %zu burn-rate alerts.\n", s->name, sl,
                hr_rep_fmt(100 * s->objective, b, sizeof b), pct1(s->res->remaining, c, sizeof c),
                s->res->exhausted ? " (exhausted)" : "", s->res->n_alerts);
    }
    if (r->logstats)
        fprintf(f, "- Incident log: %zu incidents; MTTD %s, MTTR %s; %zu seen by the detector, %zu missed, "
                   "%zu detected incidents not in the log.\n",
                r->logstats->all.n, hours(r->logstats->all.mttd_ms, a, sizeof a),
                hours(r->logstats->all.mttr_ms, b, sizeof b), r->match ? r->match->n_seen : 0,
                r->match ? r->match->n_missed : 0, r->match ? r->match->n_unlogged : 0);
    int svc_oom = hr_rep_md_services(f, r) < 0;
    hr_rep_md_actions(f, r, HR_REP_PROBLEMS);

    fprintf(f, "\n## Incidents\n\nAnomaly spans of all series joined when they overlap or start within %s of "
               "each other%s%s%s. The suspected origin is the series with the earliest onset.\n\n",
            hours((double)r->incident_gap_ms, a, sizeof a), r->group_by ? " (within one " : "",
            r->group_by ? r->group_by : "", r->group_by ? ")" : "");
    if (!ninc)
        fprintf(f, "None.\n");
    else
        fprintf(f, "| id | start | duration | level | severity | origin | series | logged |%s\n"
                   "|---|---|---:|---|---:|---|---:|---|%s\n",
                r->deploys ? " change |" : "", r->deploys ? "---|" : "");
    for (size_t k = 0; k < ninc; k++) {
        const hr_pm_incident *x = &r->inc->inc[k];
        fprintf(f, "| %s | %s | %s | %s | %s | ", hr_report_incident_id(k, id, sizeof id),
                hr_time_format(x->start_ms, a, sizeof a), hours((double)x->duration_ms, b, sizeof b),
                hr_pm_level_name(x->level), hr_rep_fmt(x->severity, c, sizeof c));
        hr_rep_md_code(f, r->s[x->origin].key);
        fprintf(f, " | %zu | ", x->n_series);
        size_t row = r->match ? r->match->inc_row[k] : HR_PM_NONE;
        hr_rep_md_cell(f, row == HR_PM_NONE ? (r->match ? "no" : "-") : r->log[row].title);
        if (r->deploys) {
            char ct[160];
            fputs(" | ", f);
            hr_rep_md_cell(f, hr_rep_change_text(r, k, ct, sizeof ct) ? ct : "-");
        }
        fputs(" |\n", f);
    }
    for (size_t k = 0; k < ninc; k++) {
        const hr_pm_incident *x = &r->inc->inc[k];
        if (x->n_series < 2)
            continue;
        fprintf(f, "\n### %s: %s %s, %zu series\n\n", hr_report_incident_id(k, id, sizeof id),
                hr_pm_level_name(x->level), hr_rep_direction_name(x->direction), x->n_series);
        for (size_t m = 0; m < x->n_series; m++) {
            const hr_pm_member *p = &x->members[m];
            fprintf(f, "%zu. ", m + 1);
            hr_rep_md_code(f, r->s[p->series].key);
            fprintf(f, " onset %s (+%s), %s, peak score %s%s\n", hr_time_format(p->onset_ms, a, sizeof a),
                    hours((double)(p->onset_ms - x->start_ms), b, sizeof b), hr_rep_direction_name(p->direction),
                    hr_rep_fmt(p->peak_score, c, sizeof c), m == 0 ? " (suspected origin)" : "");
        }
    }

    fprintf(f, "\n## Recurring problems\n\nIncidents of the same service (or origin) and direction at a similar "
               "time of day or week and with similar durations, %zu or more times.\n\n",
            r->recurring_min);
    if (!r->rec || !r->rec->n)
        fprintf(f, "None.\n");
    else
        fprintf(f, "| id | origin | pattern | period | count | first | last | next expected | median duration | incidents |\n"
                   "|---|---|---|---|---:|---|---|---|---:|---|\n");
    for (size_t k = 0; r->rec && k < r->rec->n; k++) {
        const hr_pm_recur *p = &r->rec->rec[k];
        fprintf(f, "| %s | ", hr_report_recurring_id(k, id, sizeof id));
        hr_rep_md_code(f, r->s[p->origin].key);
        fprintf(f, " | %s %s | %s | %zu | %s | ", hr_rep_direction_name(p->direction), hr_rep_phase_text(p, c, sizeof c),
                hr_pm_period_name(p->period), p->count, hr_time_format(p->first_ms, a, sizeof a));
        fprintf(f, "%s | ", hr_time_format(p->last_ms, a, sizeof a));
        fprintf(f, "%s | %s | ", hr_time_format(hr_report_recurring_next(r, p), a, sizeof a), hours((double)p->median_duration_ms, b, sizeof b));
        for (size_t j = 0; j < p->count; j++)
            fprintf(f, "%s%s", j ? ", " : "", hr_report_incident_id(p->occ[j], id, sizeof id));
        fputs(" |\n", f);
    }

    fprintf(f, "\n## SLOs and error budgets\n\n");
    if (!r->nslo)
        fprintf(f, "No SLO in the configuration.\n");
    for (size_t k = 0; k < r->nslo; k++) {
        const hr_rep_slo *s = &r->slo[k];
        const hr_slo_result *x = s->res;
        fprintf(f, "### %s\n\n", s->name);
        if (s->latency) {
            fputs("- Latency SLO: share of points of ", f);
            hr_rep_md_code(f, s->latency);
            fprintf(f, " at or under %s.\n", hr_rep_fmt(s->threshold, a, sizeof a));
        } else {
            fputs("- Request SLO: good events of ", f);
            hr_rep_md_code(f, s->total);
            fprintf(f, " (%s ", s->good ? "good:" : "minus");
            hr_rep_md_code(f, s->good ? s->good : s->bad);
            fputs(").\n", f);
        }
        if (!x) {
            fprintf(f, "- Not evaluated: %s.\n\n", s->error ? s->error : "no data");
            continue;
        }
        fprintf(f, "- Objective %s %% over %s days (%s to %s)%s.\n", hr_rep_fmt(100 * s->objective, a, sizeof a),
                hr_rep_fmt(s->window_days, b, sizeof b), hr_time_format(x->window_start_ms, c, sizeof c),
                hr_time_format(x->window_end_ms, d, sizeof d), x->partial ? ", partial window: less data than the window" : "");
        fprintf(f, "- SLI %.4f %%; error budget consumed %s, remaining %s", 100 * x->sli, pct1(x->consumed, a, sizeof a),
                pct1(x->remaining, b, sizeof b));
        if (x->exhausted)
            fprintf(f, "; exhausted at %s", hr_time_format(x->exhausted_ms, c, sizeof c));
        fputs(".\n", f);
        if (!x->n_alerts) {
            fprintf(f, "- No burn-rate alert.\n\n");
            continue;
        }
        fprintf(f, "\n| rule | severity | burn > | start | end | peak burn | open |\n|---|---|---:|---|---|---:|---|\n");
        for (size_t q = 0; q < x->n_alerts; q++) {
            const hr_slo_alert *y = &x->alerts[q];
            fprintf(f, "| %s | %s | %s | ", hr_report_rule_name(&x->rules[y->rule], id, sizeof id),
                    y->severity == HR_SLO_PAGE ? "page" : "ticket", hr_rep_fmt(x->rules[y->rule].burn, a, sizeof a));
            fprintf(f, "%s | ", hr_time_format(y->start_ms, a, sizeof a));
            fprintf(f, "%s | %s | %s |\n", hr_time_format(y->end_ms, a, sizeof a), hr_rep_fmt(y->peak_burn, b, sizeof b),
                    y->open ? "yes" : "no");
        }
        fputs("\n", f);
    }

    fprintf(f, "\n## Incident log\n\n");
    if (!r->logstats) {
        fprintf(f, "No incident log given ([incidents] path).\n");
    } else {
        fputs("From ", f);
        hr_rep_md_code(f, r->log_path);
        fprintf(f, ". MTTD: start to detected; MTTR: start to resolved (time to restore); MTBF: mean time "
                   "between successive starts.\n\n| service | incidents | MTTD | MTTR | MTBF | impact |\n"
                   "|---|---:|---:|---:|---:|---:|\n");
        for (size_t k = 0; k <= r->logstats->n_svc; k++) {
            const hr_pm_svc *v = k < r->logstats->n_svc ? &r->logstats->svc[k] : &r->logstats->all;
            fputs("| ", f);
            hr_rep_md_cell(f, v->service ? v->service : "all");
            fprintf(f, " | %zu | %s | ", v->n, hours(v->mttd_ms, a, sizeof a));
            fprintf(f, "%s | %s | ", hours(v->mttr_ms, a, sizeof a), hours(v->mtbf_ms, b, sizeof b));
            fprintf(f, "%s |\n", hours(v->impact_ms, a, sizeof a));
        }
        if (r->match) {
            fprintf(f, "\nDetector against the log (within %s): %zu seen, %zu missed, %zu detected incidents not "
                       "in the log; median detection lead %s.\n",
                    hours((double)r->match_tolerance_ms, a, sizeof a), r->match->n_seen, r->match->n_missed,
                    r->match->n_unlogged, hours(r->match->median_lead_ms, b, sizeof b));
            for (size_t k = 0; k < r->nlog; k++)
                if (r->match->row_status[k] == HR_PM_MISSED) {
                    fprintf(f, "- Missed: %s ", hr_time_format(r->log[k].start_ms, a, sizeof a));
                    hr_rep_md_cell(f, r->log[k].service ? r->log[k].service : "");
                    fputs(": ", f);
                    hr_rep_md_cell(f, r->log[k].title ? r->log[k].title : "");
                    long pat = hr_report_log_in_pattern(r, k);
                    if (pat >= 0)
                        fprintf(f, " (the weekly job of %s, which the detector has learnt as normal)",
                                hr_report_recurring_id((size_t)pat, id, sizeof id));
                    fputs("\n", f);
                }
        }
    }

    hr_rep_md_deploys(f, r);
    fprintf(f, "\n## Anomalies\n\nIn order of start time.\n\n");
    if (!r->na)
        fprintf(f, "None.\n");
    else
        fprintf(f, "| start | end | series | kind | peak score | peak value | expected | incident |\n"
                   "|---|---|---|---|---:|---:|---:|---|\n");
    for (size_t i = 0; i < r->na; i++) {
        const hr_rep_anomaly *x = &r->a[i];
        fprintf(f, "| %s | %s | ", hr_time_format(x->start_ms, a, sizeof a),
                hr_time_format(x->end_ms, b, sizeof b));
        hr_rep_md_code(f, r->s[x->series].key);
        fprintf(f, " | %s | %s | %s | %s | ", hr_rep_direction_name(x->direction),
                hr_rep_fmt(x->peak_z, c, sizeof c), hr_rep_val(&r->s[x->series], x->peak_value, d, sizeof d),
                hr_rep_val(&r->s[x->series], x->expected_value, a, sizeof a));
        size_t ik = r->anomaly_incident ? r->anomaly_incident[i] : SIZE_MAX;
        if (ik != SIZE_MAX)
            fprintf(f, "%s |\n", hr_report_incident_id(ik, id, sizeof id));
        else if (r->anomaly_event && r->anomaly_event[i]) {
            fputs("change: ", f);
            hr_rep_md_cell(f, r->anomaly_event[i]);
            fputs(" |\n", f);
        } else
            fputs("- |\n", f);
    }
    fprintf(f, "\n## Method and caveats\n\n%s\n\n"
               "- Anomaly: a span where the causal detector's score reaches %s (and stays above "
               "half of it); the score of a point uses only the points before it, so past scores "
               "never change as data arrives. Expected value: trend plus seasonal profile of the "
               "decomposition.\n"
               "- Incident severity: 0.40 x peak score + 0.35 x breadth (log2 of the series involved / 4) + "
               "0.25 x duration (log scale, 24 h = 1); critical from 0.70, major from 0.45.\n"
               "- SLO burn-rate alerts: the SRE Workbook's multiwindow rules (1 h and 5 min windows at 14.4x "
               "the budget rate, 6 h and 30 min at 6x); windows shorter than the data step are widened to one "
               "step.\n",
            r->models, hr_rep_fmt(r->anomaly_z, a, sizeof a));
    if (fclose(f) || svc_oom) { /* lost text, or no Services section: not written */
        free(buf);
        return NULL;
    }
    return buf;
}
