/* html_problems.c -- problems.html (hr_report_problems_html): the entry
 * point, the summary section, and the helpers the other problems.html
 * sections share (incident and recurring-problem links, severity order,
 * alert-log cells, SLO rule text). The incident timeline and incident
 * details are in html_incidents.c; recurring problems, SLOs, the alert
 * log, anomalies and the method note in html_slos.c. */
#include "html_int.h"
#include "fileio.h"

#include <math.h>
#include <stdlib.h>

/* ---- problems: helpers ---------------------------------------------------- */

/* incidents and the anomaly -> incident map are both there */
int hr_html_have_map(const hr_report *r) { return r->inc && r->anomaly_incident; }

/* the incident of anomaly k, or HR_PM_NONE (not grouped, or no map) */
size_t hr_html_anomaly_incident(const hr_report *r, size_t k)
{
    if (!hr_html_have_map(r) || k >= r->na)
        return HR_PM_NONE;
    size_t j = r->anomaly_incident[k];
    return j < r->inc->n ? j : HR_PM_NONE;
}

/* For each incident the (first) recurring problem it belongs to, or
 * SIZE_MAX: a new array of inc->n (free()), NULL when out of memory. */
size_t *hr_html_recurring_map(const hr_report *r)
{
    size_t n = r->inc ? r->inc->n : 0;
    size_t *m = malloc((n ? n : 1) * sizeof *m);
    if (!m)
        return NULL;
    for (size_t k = 0; k < n; k++)
        m[k] = SIZE_MAX;
    for (size_t p = r->rec ? r->rec->n : 0; p-- > 0;) /* the first problem wins */
        for (size_t j = 0; r->rec->rec[p].occ && j < r->rec->rec[p].count; j++)
            if (r->rec->rec[p].occ[j] < n)
                m[r->rec->rec[p].occ[j]] = p;
    return m;
}

void hr_html_rec_link(FILE *f, size_t p)
{
    char id[24];
    hr_report_recurring_id(p, id, sizeof id);
    fprintf(f, "<a href=\"#%s\">%s</a>", id, id);
}

const char *hr_html_level_cls(int level)
{
    return level == HR_PM_CRITICAL ? "hs-critical" : level == HR_PM_MAJOR ? "hs-major" : "hs-minor";
}

void hr_html_inc_link(FILE *f, size_t k)
{
    char id[24];
    hr_report_incident_id(k, id, sizeof id);
    fprintf(f, "<a href=\"#%s\">%s</a>", id, id);
}

void hr_html_cap_link(FILE *f, const hr_report *r, size_t i)
{
    int link = i < r->n && r->s[i].has_capacity;
    if (link)
        fprintf(f, "<a href=\"capacity.html#r-%zu\">", i);
    hr_html_code(f, hr_html_skey(r, i));
    if (link)
        fputs("</a>", f);
}

void hr_html_series_incidents(FILE *f, const hr_report *r, size_t i, size_t max)
{
    size_t n = 0, ninc = r->inc ? r->inc->n : 0;
    for (size_t k = 0; k < ninc; k++)
        for (size_t q = 0; q < r->inc->inc[k].n_series; q++)
            n += r->inc->inc[k].members[q].series == i;
    if (!n) {
        fputs("-", f);
        return;
    }
    size_t seen = 0, w = 0;
    char id[24];
    for (size_t k = 0; k < ninc; k++)
        for (size_t q = 0; q < r->inc->inc[k].n_series; q++) {
            if (r->inc->inc[k].members[q].series != i)
                continue;
            if (seen++ + max >= n) { /* the latest max */
                hr_report_incident_id(k, id, sizeof id);
                fprintf(f, "%s<a href=\"problems.html#%s\">%s</a>", w++ ? ", " : "", id, id);
            }
        }
    if (n > max)
        fprintf(f, " (+%zu earlier)", n - max);
}

void hr_html_level_span(FILE *f, int level)
{
    const char *n = hr_pm_level_name(level);
    fprintf(f, "<span class=\"lv-%s\">%s</span>", n, n);
}

static int sevk_cmp(const void *pa, const void *pb)
{
    const sevk *x = pa, *y = pb;
    double a = isfinite(x->sev) ? x->sev : -1, b = isfinite(y->sev) ? y->sev : -1;
    if (a != b)
        return a > b ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

static sevk *by_severity(const hr_report *r)
{
    size_t n = r->inc ? r->inc->n : 0;
    sevk *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return NULL;
    for (size_t k = 0; k < n; k++)
        s[k] = (sevk){k, r->inc->inc[k].severity};
    qsort(s, n, sizeof *s, sevk_cmp);
    return s;
}

/* the logged row matched by incident k, or HR_PM_NONE */
size_t hr_html_inc_logrow(const hr_report *r, size_t k)
{
    if (!r->match || !r->match->inc_row || !r->log || k >= r->match->n_inc)
        return HR_PM_NONE;
    size_t row = r->match->inc_row[k];
    return row < r->nlog ? row : HR_PM_NONE;
}

void hr_html_log_cell(FILE *f, const hr_report *r, size_t k)
{
    if (!r->match || !r->log) {
        fputs("-", f);
        return;
    }
    size_t row = hr_html_inc_logrow(r, k);
    if (row == HR_PM_NONE) {
        fputs("unlogged", f);
        return;
    }
    const hr_pm_logrow *lr = &r->log[row];
    fprintf(f, "row %zu: ", row + 1);
    hr_html_esc(f, lr->title ? lr->title : "(no title)");
    if (lr->service && *lr->service) {
        fputs(" (", f);
        hr_html_esc(f, lr->service);
        fputs(")", f);
    }
}

/* "Mondays 03:00 UTC", "daily 03:00 UTC", "every 36.0 h, near 03:00 UTC";
 * the phase cut to the minute, as the Markdown report does */
const char *hr_html_recur_when(const hr_pm_recur *x, char *b, size_t n)
{
    static const char *const wd[] = {"Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays",
                                     "Sundays"};
    int64_t span = x->period == HR_PM_WEEKLY ? 7 * DAY_MS : DAY_MS;
    int64_t ph = x->phase_ms % span;
    if (ph < 0)
        ph += span;
    int64_t mins = ph / 60000;
    int hh = (int)(mins % 1440 / 60), mm = (int)(mins % 60);
    if (x->period == HR_PM_WEEKLY)
        snprintf(b, n, "%s %02d:%02d UTC", wd[mins / 1440], hh, mm);
    else if (x->period == HR_PM_DAILY)
        snprintf(b, n, "daily %02d:%02d UTC", hh, mm);
    else
        snprintf(b, n, "every %.1f h, near %02d:%02d UTC", (double)x->period_ms / 3600000.0, hh, mm);
    return b;
}

const char *hr_html_sev_name(int sev) { return sev == HR_SLO_PAGE ? "page" : sev == HR_SLO_TICKET ? "ticket" : "?"; }

/* "1h/5m burn &gt; 14.4x" (long/short windows, the name of the JSON and
 * Markdown reports), with the windows used when the grid widened them:
 * "(as 1h/1h on this grid)" */
void hr_html_rule_text(FILE *f, const hr_slo_result *res, size_t k)
{
    char a[40], nm[64];
    if (k >= res->n_rules || !res->rules) {
        fputs("-", f);
        return;
    }
    const hr_slo_rule *ru = &res->rules[k];
    fprintf(f, "%s burn &gt; %sx", hr_report_rule_name(ru, nm, sizeof nm), hr_rep_fmt(ru->burn, a, sizeof a));
    if (res->eff && res->eff[k].widened) {
        hr_slo_rule w = *ru;
        w.long_ms = res->eff[k].long_ms;
        w.short_ms = res->eff[k].short_ms;
        fprintf(f, " (as %s on this grid)", hr_report_rule_name(&w, nm, sizeof nm));
    }
}

/* decimals so the SLI and objective show the budget: 99.9 -> 2 */
int hr_html_slo_decimals(const hr_slo_result *res, double objective)
{
    double budget = res ? res->budget : 1 - objective;
    if (!(budget > 0) || !isfinite(budget))
        return 2;
    int d = (int)ceil(-log10(budget * 100) - 1e-9) + 1;
    return d < 1 ? 1 : d > 6 ? 6 : d;
}

/* ---- problems: summary ---------------------------------------------------- */

static void pm_summary(FILE *f, const hr_report *r, const sevk *bysev)
{
    char a[40], b[40], c[40], d[40];
    size_t nser = 0;
    for (size_t i = 0; i < r->n; i++)
        nser += r->s[i].nanomalies > 0;
    size_t ninc = r->inc ? r->inc->n : 0, lv[3] = {0, 0, 0};
    for (size_t k = 0; k < ninc; k++) {
        int l = r->inc->inc[k].level;
        lv[l == HR_PM_CRITICAL ? 2 : l == HR_PM_MAJOR ? 1 : 0]++;
    }
    size_t nrec = r->rec ? r->rec->n : 0;
    size_t nalerts = 0, nopen = 0, nexh = 0;
    for (size_t i = 0; i < r->nslo; i++) {
        const hr_slo_result *res = r->slo ? r->slo[i].res : NULL;
        if (!res)
            continue;
        nexh += res->exhausted || res->remaining < 0;
        nalerts += res->n_alerts;
        for (size_t k = 0; k < res->n_alerts; k++)
            nopen += res->alerts[k].open;
    }

    fputs("<section id=\"summary\">\n<h2>Summary</h2>\n<p class=\"headline\">", f);
    if (!r->na)
        fprintf(f, "No anomalies in %zu series (score &gt;= %s): nothing to investigate.", r->n,
                hr_rep_fmt(r->anomaly_z, a, sizeof a));
    else if (!r->inc)
        fprintf(f, "%zu anomalies in %zu of %zu series (score &gt;= %s); incidents were not computed.", r->na, nser,
                r->n, hr_rep_fmt(r->anomaly_z, a, sizeof a));
    else {
        fprintf(f, "<strong>%zu incident%s</strong> (%zu critical, %zu major, %zu minor) from %zu anomalies in %zu of "
                   "%zu series.",
                ninc, ninc == 1 ? "" : "s", lv[2], lv[1], lv[0], r->na, nser, r->n);
        if (ninc) {
            const hr_pm_incident *x = &r->inc->inc[bysev[0].k];
            fputs(" The most severe is ", f);
            hr_html_inc_link(f, bysev[0].k);
            fputs(" (", f);
            hr_html_level_span(f, x->level);
            fprintf(f, ", %s, %zu series) from %s, suspected origin ", hr_html_dur(x->duration_ms, a, sizeof a), x->n_series,
                    hr_html_ftime(x->start_ms, b, sizeof b));
            hr_html_code(f, hr_html_skey(r, x->origin));
            fputs(".", f);
        }
    }
    if (nrec)
        fprintf(f, " %zu recurring problem%s.", nrec, nrec == 1 ? "" : "s");
    if (nexh)
        fprintf(f, " <span class=\"overdue\">%zu SLO%s out of error budget.</span>", nexh, nexh == 1 ? "" : "s");
    if (nopen)
        fprintf(f, " <span class=\"overdue\">%zu burn-rate alert%s still firing.</span>", nopen, nopen == 1 ? "" : "s");
    fputs("</p>\n<ul class=\"kpis\">\n", f);
    if (r->inc) {
        fprintf(f, "<li><b>%zu</b>incidents</li>\n<li><b>%zu</b>critical</li>\n<li><b>%zu</b>major</li>\n"
                   "<li><b>%zu</b>minor</li>\n",
                ninc, lv[2], lv[1], lv[0]);
    }
    fprintf(f, "<li><b>%zu</b>anomalies</li>\n", r->na);
    if (r->rec)
        fprintf(f, "<li><b>%zu</b>recurring problems</li>\n", nrec);
    fprintf(f, "<li><b>%zu</b>SLOs (%zu out of budget)</li>\n", r->nslo, nexh);
    fprintf(f, "<li><b>%zu</b>burn-rate alerts (%zu open)</li>\n", nalerts, nopen);
    if (r->logstats) {
        fprintf(f, "<li><b>%s h</b>MTTD</li>\n", hr_html_hours(r->logstats->all.mttd_ms, a, sizeof a));
        fprintf(f, "<li><b>%s h</b>MTTR</li>\n", hr_html_hours(r->logstats->all.mttr_ms, a, sizeof a));
    }
    fputs("</ul>\n", f);

    fputs("<h3>Top incidents</h3>\n", f);
    if (!r->inc)
        fputs("<p>Incidents were not computed.</p>\n", f);
    else if (!ninc)
        fputs("<p>None: no anomaly, so no incident.</p>\n", f);
    else {
        fputs("<div class=\"tw\"><table>\n<thead><tr><th>incident</th><th>start</th><th>suspected origin</th><th>series involved</th>"
              "<th class=\"n\">severity</th><th>level</th><th class=\"n\">duration</th><th>direction</th></tr>"
              "</thead>\n<tbody>\n",
              f);
        for (size_t j = 0; j < ninc && j < TOP_N; j++) {
            const hr_pm_incident *x = &r->inc->inc[bysev[j].k];
            fputs("<tr><td>", f);
            hr_html_inc_link(f, bysev[j].k);
            fprintf(f, "</td><td>%s</td><td>", hr_html_ftime(x->start_ms, a, sizeof a));
            hr_html_code(f, hr_html_skey(r, x->origin));
            fprintf(f, "</td><td class=\"w\">%zu", x->n_series);
            for (size_t q = 1; q < x->n_series && q < 3 && x->members; q++) {
                fputs(q == 1 ? " (also " : ", ", f);
                hr_html_code(f, hr_html_skey(r, x->members[q].series));
            }
            if (x->n_series > 1 && x->members)
                fputs(x->n_series > 3 ? ", ...)" : ")", f);
            fprintf(f, "</td><td class=\"n\">%s</td><td>", hr_rep_fmt(x->severity, b, sizeof b));
            hr_html_level_span(f, x->level);
            fprintf(f, "</td><td class=\"n\">%s</td><td>%s</td></tr>\n", hr_html_dur(x->duration_ms, c, sizeof c),
                    hr_rep_direction_name(x->direction));
        }
        fputs("</tbody>\n</table></div>\n", f);
    }

    fputs("<h3>Recurring problems</h3>\n", f);
    if (!r->rec)
        fputs("<p>Not computed.</p>\n", f);
    else if (!nrec)
        fputs("<p>None.</p>\n", f);
    else {
        fputs("<div class=\"tw\"><table>\n<thead><tr><th>problem</th><th>origin</th><th>direction</th><th>when</th>"
              "<th class=\"n\">times</th><th>next expected</th></tr></thead>\n<tbody>\n",
              f);
        for (size_t k = 0; k < nrec && k < TOP_N; k++) {
            const hr_pm_recur *x = &r->rec->rec[k];
            fputs("<tr><td>", f);
            hr_html_rec_link(f, k);
            fputs("</td><td>", f);
            hr_html_code(f, hr_html_skey(r, x->origin));
            fprintf(f, "</td><td>%s</td><td>%s</td><td class=\"n\">%zu</td><td><strong>%s</strong>",
                    hr_rep_direction_name(x->direction), hr_html_recur_when(x, a, sizeof a), x->count, hr_html_ftime(hr_report_recurring_next(r, x), b, sizeof b));
            if (hr_report_recurring_lapsed(r, x))
                fprintf(f, " (lapsed: no anomaly since %s)", hr_html_ftime(x->last_ms, b, sizeof b));
            else if (hr_report_recurring_in_pattern(r, x))
                fprintf(f, " (no anomaly since %s: it runs on as part of the weekly pattern the detector learnt)",
                        hr_html_ftime(x->last_ms, b, sizeof b));
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody>\n</table></div>\n", f);
        if (nrec > TOP_N)
            fprintf(f, "<p class=\"note\">%zu more below.</p>\n", nrec - TOP_N);
    }

    fputs("<h3>SLOs</h3>\n", f);
    if (!r->nslo || !r->slo)
        fputs("<p>No SLOs configured.</p>\n", f);
    else {
        fputs("<div class=\"tw\"><table>\n<thead><tr><th>SLO</th><th>service</th><th class=\"n\">SLI %</th>"
              "<th class=\"n\">objective %</th><th class=\"n\">budget left</th><th>exhausted</th>"
              "<th class=\"n\">alerts (open)</th></tr></thead>\n<tbody>\n",
              f);
        for (size_t i = 0; i < r->nslo; i++) {
            const hr_rep_slo *o = &r->slo[i];
            const hr_slo_result *res = o->res;
            int dec = hr_html_slo_decimals(res, o->objective);
            fprintf(f, "<tr><td><a href=\"#slo-%zu\">", i + 1);
            hr_html_esc(f, o->name);
            fputs("</a></td><td>", f);
            hr_html_esc(f, o->service ? o->service : "-");
            if (!res) {
                fprintf(f, "</td><td class=\"n\">-</td><td class=\"n\">%s</td><td class=\"w\" colspan=\"3\">not evaluated",
                        hr_html_pctd(100 * o->objective, dec, b, sizeof b));
                if (o->error) {
                    fputs(": ", f);
                    hr_html_esc(f, o->error);
                }
                fputs("</td></tr>\n", f);
                continue;
            }
            size_t op = 0;
            for (size_t k = 0; k < res->n_alerts; k++)
                op += res->alerts[k].open;
            fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s</td>"
                       "<td class=\"n\">%zu (%zu)</td></tr>\n",
                    hr_html_pctd(100 * res->sli, dec, a, sizeof a), hr_html_pctd(100 * res->objective, dec, b, sizeof b),
                    hr_rep_pct(100 * res->remaining, 0, c, sizeof c),
                    res->exhausted ? hr_html_ftime(res->exhausted_ms, d, sizeof d) : "no", res->n_alerts, op);
        }
        fputs("</tbody>\n</table></div>\n", f);
    }

    fputs("<h3>Burn-rate alerts</h3>\n", f);
    if (!nalerts)
        fputs("<p>None.</p>\n", f);
    else {
        fputs("<div class=\"tw\"><table>\n<thead><tr><th>SLO</th><th>severity</th><th>rule</th><th>start</th><th>end</th>"
              "<th class=\"n\">peak burn</th></tr></thead>\n<tbody>\n",
              f);
        /* open ones first, then the rest, each in SLO and start order */
        size_t shown = 0;
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < r->nslo; i++) {
                const hr_slo_result *res = r->slo[i].res;
                if (!res)
                    continue;
                for (size_t k = 0; k < res->n_alerts && shown < TOP_N; k++) {
                    const hr_slo_alert *al = &res->alerts[k];
                    if ((al->open != 0) != (pass == 0))
                        continue;
                    shown++;
                    fprintf(f, "<tr><td><a href=\"#slo-%zu\">", i + 1);
                    hr_html_esc(f, r->slo[i].name);
                    fprintf(f, "</a></td><td>%s</td><td>", hr_html_sev_name(al->severity));
                    hr_html_rule_text(f, res, al->rule);
                    fprintf(f, "</td><td>%s</td><td>%s</td><td class=\"n\">%sx</td></tr>\n",
                            hr_html_ftime(al->start_ms, a, sizeof a),
                            al->open ? "<span class=\"overdue\">open</span>" : hr_html_ftime(al->end_ms, b, sizeof b),
                            hr_rep_fmt(al->peak_burn, c, sizeof c));
                }
            }
        fputs("</tbody>\n</table></div>\n", f);
        if (nalerts > shown)
            fprintf(f, "<p class=\"note\">%zu more in the SLO sections.</p>\n", nalerts - shown);
    }

    fputs("<h3>Detection and restoration</h3>\n", f);
    if (!r->logstats)
        fputs("<p>No incident log given: MTTD, MTTR and MTBF not computed.</p>\n", f);
    else {
        const hr_pm_svc *all = &r->logstats->all;
        fprintf(f, "<p>Over %zu logged incidents: MTTD <strong>%s h</strong>, MTTR <strong>%s h</strong>, MTBF %s h.",
                all->n, hr_html_hours(all->mttd_ms, a, sizeof a), hr_html_hours(all->mttr_ms, b, sizeof b),
                hr_html_hours(all->mtbf_ms, c, sizeof c));
        if (r->match)
            fprintf(f, " The detector saw %zu of them and missed %zu; %zu detected incidents are not in the log.",
                    r->match->n_seen, r->match->n_missed, r->match->n_unlogged);
        fputs("</p>\n", f);
    }
    hr_html_actions_block(f, r, HR_REP_PROBLEMS, TOP_N, "actions", "actions-all");
    fputs("</section>\n", f);
}

char *hr_report_problems_html(const hr_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = hr_memstream(&buf, &len);
    if (!f)
        return NULL;
    sevk *bysev = by_severity(r);
    if (!bysev) {
        fclose(f);
        free(buf);
        return NULL;
    }
    char a[40];
    hr_html_doc_begin(f, "Problem-management report", r);
    fprintf(f, "<header>\n<h1>Problem-management report</h1>\n<p class=\"meta\">As of %s (last data point). "
               "%zu series analysed, %zu anomalies.</p>\n",
            hr_html_ftime(r->as_of_ms, a, sizeof a), r->n, r->na);
    hr_html_header_end(f, r, HR_REP_PROBLEMS,
               r->deploys ? "<a href=\"#summary\">Summary</a><a href=\"#services\">Services</a><a href=\"#timeline\">"
                            "Timeline</a><a href=\"#incidents\">Incidents</a><a href=\"#recurring\">Recurring</a>"
                            "<a href=\"#slos\">SLOs</a><a href=\"#log\">Incident log</a><a href=\"#deploys\">Changes</a>"
                            "<a href=\"#anomalies\">Anomalies</a><a href=\"#method\">Method</a>"
                          : "<a href=\"#summary\">Summary</a><a href=\"#services\">Services</a><a href=\"#timeline\">"
                            "Timeline</a><a href=\"#incidents\">Incidents</a><a href=\"#recurring\">Recurring</a>"
                            "<a href=\"#slos\">SLOs</a><a href=\"#log\">Incident log</a><a href=\"#anomalies\">"
                            "Anomalies</a><a href=\"#method\">Method</a>");
    pm_summary(f, r, bysev);
    int rc = hr_html_services(f, r);
    if (!rc)
        rc = hr_html_pm_timeline(f, r);
    if (!rc)
        rc = hr_html_pm_incidents(f, r, bysev);
    if (!rc) {
        hr_html_pm_recurring(f, r);
        rc = hr_html_pm_slos(f, r);
    }
    if (!rc) {
        hr_html_pm_log(f, r);
        hr_html_pm_deploys(f, r);
        hr_html_pm_anomalies(f, r);
        hr_html_actions_all(f, r, HR_REP_PROBLEMS);
        hr_html_pm_method(f, r);
        fputs("</main>\n", f);
        hr_html_doc_end(f, r);
    }
    free(bysev);
    if (rc) {
        fclose(f);
        free(buf);
        return NULL;
    }
    return hr_html_finish(f, &buf);
}
