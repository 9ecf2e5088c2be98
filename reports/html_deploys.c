/* html_deploys.c -- problems.html's "Change management" section: the
 * change-management metrics per service and overall (over the data's
 * span and the last 30 days), the changes linked to incidents and the
 * failed changes, from the changes log ([changes], models/deploys.h).
 * The JSON and Markdown forms are reports/deploys.c. */
#include "html_int.h"

#include <math.h>

static const char *num(double x, const char *fmt, char *b, size_t n)
{
    if (!isfinite(x))
        snprintf(b, n, "-");
    else
        snprintf(b, n, fmt, x);
    return b;
}

static void row(FILE *f, const char *name, const hr_dep_metrics *m, const hr_dep_metrics *l)
{
    char a[40], b[40], c[40], d[40], e[40], g[40], h[40];
    fputs("<tr><td>", f);
    hr_html_esc(f, name);
    fprintf(f, "</td><td class=\"n\">%zu</td><td class=\"n\">%s</td><td class=\"n\">%zu</td><td class=\"n\">%s</td>"
               "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
               "<td class=\"n\">%s</td></tr>\n",
            m->n_changes, num(m->deploys_per_week, "%.2f", a, sizeof a), m->n_failed,
            hr_rep_pct(100.0 * m->failure_rate, 0, b, sizeof b), hr_rep_pct(100.0 * l->failure_rate, 0, c, sizeof c),
            num(m->lead_p50_h, "%.1f", d, sizeof d), num(m->lead_p90_h, "%.1f", e, sizeof e),
            num(m->restore_p50_h, "%.1f", g, sizeof g), num(l->deploys_per_week, "%.2f", h, sizeof h));
}

void hr_html_pm_deploys(FILE *f, const hr_report *r)
{
    const hr_rep_deploys *d = r->deploys;
    if (!d || !d->res)
        return;
    const hr_dep_result *x = d->res;
    char a[40], l[32];
    fputs("<section id=\"deploys\">\n<h2>Change management</h2>\n<p class=\"note\">From ", f);
    hr_html_code(f, d->path);
    fprintf(f, ": an incident starting within %s after a change to one of its services is linked to the latest "
               "such change; a change failed when it led to a major or critical incident or was rolled back. Lead "
               "time: commit to production; restore: change to the end of its incident; in hours.</p>\n",
            hr_rep_lag_text(d->window_ms, l, sizeof l));
    fputs("<div class=\"tw\"><table>\n<thead><tr><th>service</th><th class=\"n\">changes</th>"
          "<th class=\"n\">deploys per week</th><th class=\"n\">failed</th><th class=\"n\">failure rate</th>"
          "<th class=\"n\">failure rate 30 d</th><th class=\"n\">lead time p50</th><th class=\"n\">lead time p90</th>"
          "<th class=\"n\">restore p50</th><th class=\"n\">deploys per week 30 d</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t k = 0; k < x->nsvc; k++)
        row(f, x->svc[k].service, &x->svc[k].all, &x->svc[k].recent);
    row(f, "all", &x->all, &x->recent);
    fputs("</tbody>\n</table></div>\n<h3>Changes linked to incidents</h3>\n", f);
    if (!x->nlinks)
        fputs("<p>None.</p>\n", f);
    else
        fputs("<div class=\"tw\"><table>\n<thead><tr><th>incident</th><th>change</th><th>kind</th><th>service</th>"
              "<th>change time</th><th class=\"n\">lag</th><th>level</th></tr></thead>\n<tbody>\n",
              f);
    for (size_t k = 0; k < x->nlinks && k < MAX_TABLE_ROWS; k++) {
        const hr_dep_link *p = &x->links[k];
        const hr_dep_change *c = &d->c[p->change];
        fputs("<tr><td>", f);
        hr_html_inc_link(f, p->incident);
        fputs("</td><td>", f);
        hr_html_code(f, c->id);
        fprintf(f, "</td><td>%s</td><td>", hr_dep_kind_name(c->kind));
        hr_html_esc(f, c->service);
        fprintf(f, "</td><td>%s</td><td class=\"n\">%s</td><td>", hr_html_ftime(c->t_ms, a, sizeof a),
                hr_rep_lag_text(p->lag_ms, l, sizeof l));
        hr_html_level_span(f, r->inc->inc[p->incident].level);
        fputs("</td></tr>\n", f);
    }
    if (x->nlinks)
        fputs("</tbody>\n</table></div>\n", f);
    size_t nf = 0;
    for (size_t c = 0; c < d->n; c++)
        nf += x->failed[c] != 0;
    fputs("<h3>Failed changes</h3>\n", f);
    if (!nf)
        fputs("<p>None.</p>\n", f);
    else
        fputs("<div class=\"tw\"><table>\n<thead><tr><th>change</th><th>kind</th><th>service</th><th>time</th>"
              "<th>why</th></tr></thead>\n<tbody>\n",
              f);
    for (size_t c = 0; c < d->n; c++) {
        if (!x->failed[c])
            continue;
        const hr_dep_change *y = &d->c[c];
        fputs("<tr><td>", f);
        hr_html_code(f, y->id);
        fprintf(f, "</td><td>%s</td><td>", hr_dep_kind_name(y->kind));
        hr_html_esc(f, y->service);
        fprintf(f, "</td><td>%s</td><td>", hr_html_ftime(y->t_ms, a, sizeof a));
        int first = 1;
        for (size_t k = 0; k < x->nlinks; k++)
            if (x->links[k].change == c && r->inc->inc[x->links[k].incident].level >= HR_PM_MAJOR) {
                fprintf(f, "%s%s incident ", first ? "" : ", ", hr_pm_level_name(r->inc->inc[x->links[k].incident].level));
                hr_html_inc_link(f, x->links[k].incident);
                first = 0;
            }
        if (x->rolled_back_by[c] != HR_DEP_NONE) {
            fprintf(f, "%srolled back by ", first ? "" : ", ");
            hr_html_code(f, d->c[x->rolled_back_by[c]].id);
        }
        fputs("</td></tr>\n", f);
    }
    if (nf)
        fputs("</tbody>\n</table></div>\n", f);
    fputs("</section>\n", f);
}
