/* html_slos.c -- the later sections of problems.html: recurring
 * problems, SLOs (with their burn-rate charts), the alert log per
 * service, the anomaly table and the method note. Called from
 * html_problems.c. */
#include "html_int.h"

#include <math.h>
#include <stdlib.h>

#include "svg.h"

/* ---- problems: recurring, SLOs, log, anomalies ------------------------------ */

void hr_html_pm_recurring(FILE *f, const hr_report *r)
{
    char a[60], b[40], c[40], d[40], e[40];
    fputs("<section id=\"recurring\">\n<h2>Recurring problems</h2>\n", f);
    if (!r->rec) {
        fputs("<p>Not computed.</p>\n</section>\n", f);
        return;
    }
    if (!r->rec->n) {
        fputs("<p>None.</p>\n</section>\n", f);
        return;
    }
    fprintf(f, "<p class=\"note\">Incidents with the same origin and direction at a similar time of day or week and "
               "with similar durations, %zu or more times.</p>\n",
            r->recurring_min);
    fputs("<div class=\"tw\"><table>\n<thead><tr><th>problem</th><th>origin</th><th>direction</th><th>period</th>"
          "<th>when</th><th class=\"n\">times</th><th>first</th><th>last</th><th>next expected</th>"
          "<th class=\"n\">median duration</th><th>occurrences</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t k = 0; k < r->rec->n; k++) {
        const hr_pm_recur *x = &r->rec->rec[k];
        char rid[24];
        hr_report_recurring_id(k, rid, sizeof rid);
        fprintf(f, "<tr id=\"%s\"><td>%s</td><td>", rid, rid);
        hr_html_code(f, hr_html_skey(r, x->origin));
        fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td><td class=\"n\">%zu</td><td>%s</td><td>%s</td>"
                   "<td><strong>%s</strong></td><td class=\"n\">%s</td><td>",
                hr_rep_direction_name(x->direction), hr_pm_period_name(x->period), hr_html_recur_when(x, a, sizeof a), x->count,
                hr_html_ftime(x->first_ms, b, sizeof b), hr_html_ftime(x->last_ms, c, sizeof c), hr_html_ftime(hr_report_recurring_next(r, x), d, sizeof d),
                hr_html_dur(x->median_duration_ms, e, sizeof e));
        for (size_t q = 0; q < x->count && x->occ; q++) {
            if (q)
                fputs(", ", f);
            if (q == 20) {
                fprintf(f, "%zu more", x->count - q);
                break;
            }
            hr_html_inc_link(f, x->occ[q]);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n</section>\n", f);
}

static int slo_chart(FILE *f, const hr_rep_slo *o, const hr_slo_result *res)
{
    if (!res->n_curve || !res->curve_ms || !res->curve_remaining)
        return 0;
    size_t n = res->n_curve;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return -1;
    }
    double lo = 0, hi = 100;
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)res->curve_ms[i];
        y[i] = 100 * res->curve_remaining[i];
        if (isfinite(y[i])) {
            lo = fmin(lo, y[i]);
            hi = fmax(hi, y[i]);
        }
    }
    double ticks[HR_SVG_MAX_TICKS], step;
    size_t nt = hr_svg_nice_ticks(lo, hi, 6, ticks, &step);
    const double W = 760, H = 290, L = 64, T = 36, PW = 672, PH = 180;
    char title[200], desc[300], a[40], b[40], c[40];
    snprintf(title, sizeof title, "Error budget burn-down: %.120s", o->name ? o->name : "SLO");
    snprintf(desc, sizeof desc, "Share of the error budget left from %s (100 %%) to %s (%s).",
             hr_rep_fdate(res->window_start_ms, a, sizeof a), hr_rep_fdate(res->window_end_ms, b, sizeof b),
             hr_rep_pct(100 * res->remaining, 0, c, sizeof c));
    fputs("<figure>\n", f);
    hr_svg_begin(f, W, H, title, desc, 0);
    hr_svg p;
    hr_svg_frame(&p, f, L, T, PW, PH, (double)res->window_start_ms, (double)res->window_end_ms, ticks[0],
                 ticks[nt - 1]);
    for (size_t k = 0; k < res->n_alerts && k < 200; k++)
        hr_svg_vspan(&p, (double)res->alerts[k].start_ms, (double)res->alerts[k].end_ms, "hs-satband");
    hr_svg_value_axis(&p, ticks, nt, step, "% of the error budget left");
    hr_svg_time_axis(&p, 8);
    hr_svg_hline(&p, 0, "budget exhausted", "hs-zero");
    hr_svg_hline(&p, 100, NULL, "hs-cap"); /* the axis says 100 */
    hr_svg_step(&p, x, y, n, "hs-burn");
    if (res->exhausted) {
        snprintf(desc, sizeof desc, "exhausted %s", hr_html_ftime(res->exhausted_ms, a, sizeof a));
        hr_svg_vline(&p, (double)res->exhausted_ms, desc, 0, "hs-alert");
    }
    double lx = L, ly = H - 8;
    lx = hr_svg_legend(f, lx, ly, 0, "hs-burn", "budget left");
    if (res->n_alerts)
        hr_svg_legend(f, lx, ly, 1, "hs-satband", "burn-rate alert firing");
    hr_svg_end(f);
    fputs("<figcaption>Error budget left over the SLO window, 100% at its start; below 0 the budget is "
          "overspent; shaded: burn-rate alerts firing.</figcaption>\n</figure>\n",
          f);
    free(x);
    free(y);
    return 0;
}

int hr_html_pm_slos(FILE *f, const hr_report *r)
{
    char a[40], b[40], c[40], d[40];
    fputs("<section id=\"slos\">\n<h2>SLOs and error budgets</h2>\n", f);
    if (!r->nslo || !r->slo) {
        fputs("<p>No SLOs configured.</p>\n</section>\n", f);
        return 0;
    }
    for (size_t i = 0; i < r->nslo; i++) {
        const hr_rep_slo *o = &r->slo[i];
        const hr_slo_result *res = o->res;
        int dec = hr_html_slo_decimals(res, o->objective);
        fprintf(f, "<section class=\"slo\" id=\"slo-%zu\">\n<h3>", i + 1);
        hr_html_esc(f, o->name ? o->name : "SLO");
        fputs("</h3>\n<div class=\"tw\"><table class=\"facts\">\n<tbody>\n<tr><th>service</th><td>", f);
        hr_html_esc(f, o->service ? o->service : "-");
        fputs("</td></tr>\n<tr><th>SLI</th><td>", f);
        if (o->latency) {
            fputs("share of points with ", f);
            hr_html_code(f, o->latency);
            fprintf(f, " &lt;= %s", hr_rep_fmt(o->threshold, a, sizeof a));
        } else if (o->good) {
            fputs("good / total events: ", f);
            hr_html_code(f, o->good);
            fputs(" / ", f);
            hr_html_code(f, o->total);
        } else if (o->bad) {
            fputs("1 - bad / total events: ", f);
            hr_html_code(f, o->bad);
            fputs(" / ", f);
            hr_html_code(f, o->total);
        } else
            fputs("-", f);
        fputs("</td></tr>\n", f);
        if (!res) {
            fprintf(f, "<tr><th>objective</th><td>%s %% over %s days</td></tr>\n<tr><th>evaluation</th><td>"
                       "not evaluated",
                    hr_html_pctd(100 * o->objective, dec, a, sizeof a), hr_rep_fmt(o->window_days, b, sizeof b));
            if (o->error) {
                fputs(": ", f);
                hr_html_esc(f, o->error);
            }
            fputs("</td></tr>\n</tbody>\n</table></div>\n</section>\n", f);
            continue;
        }
        fprintf(f, "<tr><th>SLI vs objective</th><td><strong>%s %%</strong> against %s %% (%s)</td></tr>\n",
                hr_html_pctd(100 * res->sli, dec, a, sizeof a), hr_html_pctd(100 * res->objective, dec, b, sizeof b),
                !isfinite(res->sli) ? "no events" : res->sli >= res->objective ? "met" : "missed");
        fprintf(f, "<tr><th>error budget</th><td>consumed %s, remaining <strong>%s</strong>", hr_rep_pct(100 * res->consumed, 0, a, sizeof a),
                hr_rep_pct(100 * res->remaining, 0, b, sizeof b));
        if (res->exhausted)
            fprintf(f, "; <span class=\"overdue\">exhausted at %s</span>", hr_html_ftime(res->exhausted_ms, c, sizeof c));
        fputs("</td></tr>\n", f);
        fprintf(f, "<tr><th>window</th><td>%s days: %s to %s%s; %zu points with data, %zu gaps</td></tr>\n",
                hr_rep_fmt((double)res->window_ms / (double)DAY_MS, a, sizeof a),
                hr_html_ftime(res->window_start_ms, b, sizeof b), hr_html_ftime(res->window_end_ms, c, sizeof c),
                res->partial ? " (partial: the data is shorter than the window)" : "", res->n_valid, res->n_gaps);
        fprintf(f, "<tr><th>events</th><td>%s total, %s bad</td></tr>\n", hr_rep_fmt(res->total, a, sizeof a),
                hr_rep_fmt(res->bad, b, sizeof b));
        fputs("</tbody>\n</table></div>\n", f);
        if (!res->n_alerts)
            fputs("<p>No burn-rate alerts.</p>\n", f);
        else {
            fputs("<div class=\"tw\"><table>\n<thead><tr><th>severity</th><th>rule</th><th>start</th><th>end</th>"
                  "<th class=\"n\">peak burn</th><th>peak at</th><th>open</th></tr></thead>\n<tbody>\n",
                  f);
            for (size_t k = 0; k < res->n_alerts; k++) {
                const hr_slo_alert *al = &res->alerts[k];
                fprintf(f, "<tr><td>%s</td><td>", hr_html_sev_name(al->severity));
                hr_html_rule_text(f, res, al->rule);
                fprintf(f, "</td><td>%s</td><td>%s</td><td class=\"n\">%sx</td><td>%s</td><td>%s</td></tr>\n",
                        hr_html_ftime(al->start_ms, a, sizeof a), hr_html_ftime(al->end_ms, b, sizeof b),
                        hr_rep_fmt(al->peak_burn, c, sizeof c), hr_html_ftime(al->peak_ms, d, sizeof d),
                        al->open ? "<span class=\"overdue\">yes</span>" : "no");
            }
            fputs("</tbody>\n</table></div>\n", f);
        }
        if (slo_chart(f, o, res))
            return -1;
        fputs("</section>\n", f);
    }
    fputs("</section>\n", f);
    return 0;
}

static void svc_row(FILE *f, const hr_pm_svc *s, const char *name)
{
    char a[40], b[40], c[40], d[40], e[40], g[40];
    fputs("<tr><td>", f);
    hr_html_esc(f, name);
    fprintf(f, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%s</td>"
               "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s</td><td>%s</td></tr>\n",
            s->n, s->n_detected, s->n_resolved, hr_html_hours(s->mttd_ms, a, sizeof a), hr_html_hours(s->mttr_ms, b, sizeof b),
            hr_html_hours(s->mtbf_ms, c, sizeof c), hr_html_hours(s->impact_ms, d, sizeof d),
            s->n ? hr_html_ftime(s->first_ms, e, sizeof e) : "-", s->n ? hr_html_ftime(s->last_ms, g, sizeof g) : "-");
}

static const char *lead_min(double ms, char *b, size_t n)
{
    if (!isfinite(ms))
        snprintf(b, n, "-");
    else {
        snprintf(b, n, "%+.1f min", ms / 60000.0);
        hr_svg_fix_neg_zero(b + (b[0] == '+'));
    }
    return b;
}

void hr_html_pm_log(FILE *f, const hr_report *r)
{
    char a[40], b[40];
    fputs("<section id=\"log\">\n<h2>Incident log</h2>\n", f);
    if (!r->logstats) {
        fputs("<p>No incident log given: nothing to compare with.</p>\n</section>\n", f);
        return;
    }
    if (r->log_path) {
        fputs("<p class=\"note\">From ", f);
        hr_html_code(f, r->log_path);
        fputs(".</p>\n", f);
    }
    fputs("<p class=\"note\">MTTD: mean time from impact start to detection; MTTR: mean time from impact "
          "start to restoration; MTBF: mean interval between incident starts; all in hours.</p>\n"
          "<div class=\"tw\"><table>\n<thead><tr><th>service</th><th class=\"n\">incidents</th><th class=\"n\">detected</th>"
          "<th class=\"n\">resolved</th><th class=\"n\">MTTD h</th><th class=\"n\">MTTR h</th>"
          "<th class=\"n\">MTBF h</th><th class=\"n\">impact h</th><th>first</th><th>last</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < r->logstats->n_svc; i++)
        svc_row(f, &r->logstats->svc[i], r->logstats->svc[i].service && *r->logstats->svc[i].service
                                               ? r->logstats->svc[i].service
                                               : "(none)");
    svc_row(f, &r->logstats->all, "all services");
    fputs("</tbody>\n</table></div>\n", f);
    const hr_pm_match *mt = r->match;
    if (!mt) {
        fputs("<p>The log was not matched with detected incidents.</p>\n</section>\n", f);
        return;
    }
    fprintf(f, "<h3>Logged versus detected</h3>\n<p>Seen %zu, missed %zu of %zu logged incidents; %zu detected "
               "incidents unlogged. Detection lead (detected start minus logged start; negative: before the "
               "logged start): mean %s, median %s.",
            mt->n_seen, mt->n_missed, mt->n_rows, mt->n_unlogged, lead_min(mt->mean_lead_ms, a, sizeof a),
            lead_min(mt->median_lead_ms, b, sizeof b));
    if (r->match_tolerance_ms > 0)
        fprintf(f, " Matching tolerance %s.", hr_html_dur(r->match_tolerance_ms, a, sizeof a));
    fputs("</p>\n<h3>Missed logged incidents</h3>\n", f);
    size_t shown = 0;
    for (size_t i = 0; i < mt->n_rows && i < r->nlog && r->log && mt->row_status; i++) {
        if (mt->row_status[i] != HR_PM_MISSED)
            continue;
        if (!shown++)
            fputs("<div class=\"tw\"><table>\n<thead><tr><th class=\"n\">row</th><th>start</th><th>end</th><th>service</th>"
                  "<th>title</th></tr></thead>\n<tbody>\n",
                  f);
        const hr_pm_logrow *lr = &r->log[i];
        fprintf(f, "<tr><td class=\"n\">%zu</td><td>%s</td><td>%s</td><td>", i + 1, hr_html_ftime(lr->start_ms, a, sizeof a),
                hr_html_ftime(lr->end_ms, b, sizeof b));
        hr_html_esc(f, lr->service && *lr->service ? lr->service : "-");
        fputs("</td><td class=\"w\">", f);
        hr_html_esc(f, lr->title ? lr->title : "-");
        long pat = hr_report_log_in_pattern(r, i);
        if (pat >= 0) {
            char rid[24];
            fprintf(f, " (the weekly job of %s, which the detector has learnt as normal)",
                    hr_report_recurring_id((size_t)pat, rid, sizeof rid));
        }
        fputs("</td></tr>\n", f);
    }
    fputs(shown ? "</tbody>\n</table></div>\n</section>\n" : "<p>None: every logged incident was detected.</p>\n</section>\n",
          f);
}

void hr_html_pm_anomalies(FILE *f, const hr_report *r)
{
    char a[40], b[40], c[40];
    fputs("<section id=\"anomalies\">\n<h2>Anomalies</h2>\n", f);
    if (!r->na) {
        fputs("<p>No anomalies.</p>\n</section>\n", f);
        return;
    }
    fputs("<p class=\"note\">In order of start time.</p>\n<div class=\"tw\"><table>\n<thead><tr><th>series</th><th>start</th>"
          "<th>end</th><th>direction</th><th class=\"n\">peak score</th><th class=\"n\">peak value</th>"
          "<th class=\"n\">expected</th><th>incident</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t k = 0; k < r->na && k < MAX_TABLE_ROWS; k++) {
        const hr_rep_anomaly *x = &r->a[k];
        fputs("<tr><td>", f);
        hr_html_code(f, hr_html_skey(r, x->series));
        fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td><td class=\"n\">%s</td>", hr_html_ftime(x->start_ms, a, sizeof a),
                hr_html_ftime(x->end_ms, b, sizeof b), hr_rep_direction_name(x->direction), hr_rep_fmt(x->peak_z, c, sizeof c));
        fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td>", hr_rep_val(&r->s[x->series], x->peak_value, a, sizeof a),
                hr_rep_val(&r->s[x->series], x->expected_value, b, sizeof b));
        size_t j = hr_html_anomaly_incident(r, k);
        if (j != HR_PM_NONE)
            hr_html_inc_link(f, j);
        else if (r->anomaly_event && r->anomaly_event[k]) {
            fputs("change: ", f);
            hr_html_esc(f, r->anomaly_event[k]);
        } else
            fputs("-", f);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n", f);
    if (r->na > MAX_TABLE_ROWS)
        fprintf(f, "<p class=\"note\">%zu more in problems.json.</p>\n", r->na - MAX_TABLE_ROWS);
    fputs("</section>\n", f);
}

void hr_html_pm_method(FILE *f, const hr_report *r)
{
    char a[40];
    fprintf(f, "<section id=\"method\">\n<h2>Method and caveats</h2>\n<ul>\n"
               "<li>Anomaly: a span where the causal detector's score reaches %s (and stays above half of "
               "it); the score of a point uses only the points before it.</li>\n"
               "<li>Incidents: spans overlapping in time (within the gap) form one incident; the series "
               "that starts first is the suspected origin, not a proven cause.</li>\n"
               "<li>Recurring problems: the same origin and direction at a similar time of day and "
               "duration, daily, weekly or at a regular interval.</li>\n"
               "<li>SLOs: error budget = (1 - objective) x the window's events; multiwindow burn-rate "
               "alerts as in the SRE Workbook (14.4x over 1 h and 5 min, 6x over 6 h and 30 min).</li>\n"
               "</ul>\n</section>\n",
            hr_rep_fmt(r->anomaly_z, a, sizeof a));
}
