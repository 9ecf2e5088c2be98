/* html_incidents.c -- the incident sections of problems.html: the
 * incident timeline (one row per series, incidents as bars) and the
 * incident list with one detail block per incident (member strip chart
 * and member table). Called from html_problems.c. */
#include "html_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

/* ---- problems: incident timeline ------------------------------------------ */

typedef struct rowk {
    size_t i;
    double score;
    int64_t first;
    const char *key;
} rowk;

static int rowk_score_cmp(const void *pa, const void *pb)
{
    const rowk *x = pa, *y = pb;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static int rowk_time_cmp(const void *pa, const void *pb)
{
    const rowk *x = pa, *y = pb;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

int hr_html_pm_timeline(FILE *f, const hr_report *r)
{
    char a[40], b[40], tip[400], id[24];
    fputs("<section id=\"timeline\">\n<h2>Incident timeline</h2>\n", f);
    if (!r->na) {
        fputs("<p>No anomalies: nothing to draw.</p>\n</section>\n", f);
        return 0;
    }
    double *score = malloc((r->n ? r->n : 1) * sizeof *score);
    int64_t *first = malloc((r->n ? r->n : 1) * sizeof *first);
    size_t *row = malloc((r->n ? r->n : 1) * sizeof *row);
    rowk *rk = malloc((r->n ? r->n : 1) * sizeof *rk);
    if (!score || !first || !row || !rk) {
        free(score);
        free(first);
        free(row);
        free(rk);
        return -1;
    }
    for (size_t i = 0; i < r->n; i++) {
        score[i] = -1;
        first[i] = INT64_MAX;
        row[i] = SIZE_MAX;
    }
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < r->n; i++)
        if (r->s[i].points) {
            lo = r->s[i].first_ms < lo ? r->s[i].first_ms : lo;
            hi = r->s[i].last_ms > hi ? r->s[i].last_ms : hi;
        }
    for (size_t k = 0; k < r->na; k++) {
        const hr_rep_anomaly *x = &r->a[k];
        lo = x->start_ms < lo ? x->start_ms : lo;
        hi = x->end_ms > hi ? x->end_ms : hi;
        if (x->series >= r->n)
            continue;
        size_t j = hr_html_anomaly_incident(r, k);
        if (hr_html_have_map(r) && j == HR_PM_NONE)
            continue; /* not part of an incident (e.g. a shift an event explains) */
        double sc = j != HR_PM_NONE ? r->inc->inc[j].severity : x->peak_z;
        if (!isfinite(sc))
            sc = 0;
        score[x->series] = fmax(score[x->series], sc);
        if (x->start_ms < first[x->series])
            first[x->series] = x->start_ms;
    }
    size_t nr = 0;
    for (size_t i = 0; i < r->n; i++)
        if (score[i] >= 0)
            rk[nr++] = (rowk){i, score[i], first[i], r->s[i].key ? r->s[i].key : ""};
    qsort(rk, nr, sizeof *rk, rowk_score_cmp);
    size_t shown = nr < MAX_TIMELINE_ROWS ? nr : MAX_TIMELINE_ROWS;
    qsort(rk, shown, sizeof *rk, rowk_time_cmp);
    for (size_t q = 0; q < shown; q++)
        row[rk[q].i] = q;

    if (!shown)
        fputs("<p>No series in any incident.</p>\n", f);
    else {
        const double L = 280, T = 20, PW = 560, RH = 16;
        double PH = RH * (double)shown, W = L + PW + 20, H = T + PH + 62;
        char title[200];
        snprintf(title, sizeof title, "Incident timeline: %zu series from %s to %s", shown,
                 hr_rep_fdate(lo, a, sizeof a), hr_rep_fdate(hi, b, sizeof b));
        fputs("<figure>\n", f);
        hr_svg_begin(f, W, H, title,
                     "One row per series involved in an incident, a bar per anomaly span, coloured by the "
                     "level of its incident.",
                     0);
        hr_svg p;
        hr_svg_frame(&p, f, L, T, PW, PH, (double)lo, (double)hi, (double)shown, 0);
        hr_svg_time_axis(&p, 7);
        for (size_t q = 0; q < shown; q++)
            hr_svg_row_label(&p, q, rk[q].key, 42, NULL);
        for (size_t k = 0; k < r->na; k++) {
            const hr_rep_anomaly *x = &r->a[k];
            if (x->series >= r->n || row[x->series] == SIZE_MAX)
                continue;
            size_t j = hr_html_anomaly_incident(r, k);
            if (hr_html_have_map(r) && j == HR_PM_NONE)
                continue;
            const char *cls = j != HR_PM_NONE ? hr_html_level_cls(r->inc->inc[j].level) : "hs-span";
            snprintf(tip, sizeof tip, "%s%s%s %.200s: %s to %s",
                     j != HR_PM_NONE ? hr_report_incident_id(j, id, sizeof id) : "anomaly",
                     j != HR_PM_NONE ? " " : "", j != HR_PM_NONE ? hr_pm_level_name(r->inc->inc[j].level) : "",
                     r->s[x->series].key, hr_html_ftime(x->start_ms, a, sizeof a), hr_html_ftime(x->end_ms, b, sizeof b));
            hr_svg_bar(&p, row[x->series], (double)x->start_ms, (double)x->end_ms, cls, tip);
        }
        double lx = L, ly = H - 8;
        if (hr_html_have_map(r)) {
            lx = hr_svg_legend(f, lx, ly, 1, "hs-critical", "critical");
            lx = hr_svg_legend(f, lx, ly, 1, "hs-major", "major");
            hr_svg_legend(f, lx, ly, 1, "hs-minor", "minor");
        } else
            hr_svg_legend(f, lx, ly, 1, "hs-span", "anomaly");
        hr_svg_end(f);
        fputs("<figcaption>Time runs left to right over the data range (UTC); one row per series, "
              "ordered by first anomaly; each bar is an anomaly span coloured by its incident's "
              "level.</figcaption>\n</figure>\n",
              f);
        if (nr > shown)
            fprintf(f, "<p class=\"note\">%zu series involved; the %zu with the most severe incidents are drawn, "
                       "%zu left out.</p>\n",
                    nr, shown, nr - shown);
    }
    fputs("</section>\n", f);
    free(score);
    free(first);
    free(row);
    free(rk);
    return 0;
}

/* ---- problems: incidents ---------------------------------------------------- */

void hr_html_inc_strip_svg(FILE *f, const hr_report *r, size_t k, int standalone)
{
    const hr_pm_incident *x = &r->inc->inc[k];
    size_t nrow = x->n_series < MAX_STRIP_ROWS ? x->n_series : MAX_STRIP_ROWS;
    if (!nrow || !x->members)
        return;
    char id[24], title[200], tip[400], a[40], b[40];
    hr_report_incident_id(k, id, sizeof id);
    double d = (double)(x->end_ms - x->start_ms);
    double pad = fmax(d * 0.06, 5.0 * (double)MIN_MS);
    const double L = 280, T = 12, PW = 560, RH = 20;
    double PH = RH * (double)nrow, W = L + PW + 20, H = T + PH + 58;
    snprintf(title, sizeof title, "%s: %zu series from onset to end", id, x->n_series);
    hr_svg_begin(f, W, H, title,
                 "One row per series of the incident, ranked by onset; bars from onset to end; the "
                 "suspected origin is outlined.",
                 standalone);
    if (standalone) {
        fputs("<style>\n", f);
        hr_svg_css(f);
        fputs("</style>\n", f);
    }
    hr_svg p;
    hr_svg_frame(&p, f, L, T, PW, PH, (double)x->start_ms - pad, (double)x->end_ms + pad, (double)nrow, 0);
    hr_svg_time_axis(&p, 7);
    const char *lc = hr_html_level_cls(x->level);
    char cls[40];
    for (size_t q = 0; q < nrow; q++) {
        const hr_pm_member *mb = &x->members[q];
        hr_svg_row_label(&p, q, hr_html_skey(r, mb->series), 42, q == 0 ? "hs-origin" : NULL);
        snprintf(cls, sizeof cls, "%s%s", lc, q == 0 ? " hs-origin" : "");
        snprintf(tip, sizeof tip, "%.200s%s: onset +%s, peak score %s", hr_html_skey(r, mb->series),
                 q == 0 ? " (suspected origin)" : "", hr_html_dur(mb->onset_ms - x->start_ms, a, sizeof a),
                 hr_rep_fmt(mb->peak_score, b, sizeof b));
        hr_svg_bar(&p, q, (double)mb->onset_ms, (double)mb->end_ms, cls, tip);
    }
    hr_svg_legend(f, L, H - 8, 1, lc, hr_pm_level_name(x->level));
    hr_svg_end(f);
}

static void inc_strip(FILE *f, const hr_report *r, size_t k, const hr_pm_incident *x)
{
    size_t nrow = x->n_series < MAX_STRIP_ROWS ? x->n_series : MAX_STRIP_ROWS;
    if (!nrow || !x->members)
        return;
    fputs("<figure>\n", f);
    hr_html_inc_strip_svg(f, r, k, 0);
    fputs("<figcaption>Members ranked by onset; the first (outlined, bold) is the suspected origin.", f);
    if (x->n_series > nrow)
        fprintf(f, " %zu more series not drawn.", x->n_series - nrow);
    fputs("</figcaption>\n</figure>\n", f);
}

static void inc_detail(FILE *f, const hr_report *r, size_t k, const size_t *recmap)
{
    const hr_pm_incident *x = &r->inc->inc[k];
    char id[24], a[40], b[40], c[40], d[40];
    hr_report_incident_id(k, id, sizeof id);
    fprintf(f, "<section class=\"incident\" id=\"%s-detail\">\n<h3>%s &#8212; ", id, id);
    hr_html_level_span(f, x->level);
    fprintf(f, ", %s</h3>\n<div class=\"tw\"><table class=\"facts\">\n<tbody>\n", hr_html_ftime(x->start_ms, a, sizeof a));
    fputs("<tr><th>suspected origin</th><td>", f);
    hr_html_code(f, hr_html_skey(r, x->origin));
    fputs(" (the first onset)</td></tr>\n", f);
    fprintf(f, "<tr><th>severity</th><td>index %s, %s: peak score %s, %zu series, %zu spans, duration %s</td></tr>\n",
            hr_rep_fmt(x->severity, a, sizeof a), hr_pm_level_name(x->level), hr_rep_fmt(x->peak_score, b, sizeof b),
            x->n_series, x->n_spans, hr_html_dur(x->duration_ms, c, sizeof c));
    fprintf(f, "<tr><th>time</th><td>%s to %s; peak at %s</td></tr>\n", hr_html_ftime(x->start_ms, a, sizeof a),
            hr_html_ftime(x->end_ms, b, sizeof b), hr_html_ftime(x->peak_ms, d, sizeof d));
    fprintf(f, "<tr><th>direction</th><td>%s</td></tr>\n", hr_rep_direction_name(x->direction));
    size_t rp = recmap[k];
    if (rp != SIZE_MAX) {
        fputs("<tr><th>recurring</th><td>occurrence of ", f);
        hr_html_rec_link(f, rp);
        fputs("</td></tr>\n", f);
    }
    fputs("<tr><th>incident log</th><td>", f);
    if (!r->match || !r->log)
        fputs("no incident log given", f);
    else {
        size_t row = hr_html_inc_logrow(r, k);
        if (row == HR_PM_NONE)
            fputs("not in the log (unlogged)", f);
        else {
            const hr_pm_logrow *lr = &r->log[row];
            fprintf(f, "row %zu: ", row + 1);
            hr_html_esc(f, lr->title ? lr->title : "(no title)");
            fputs(", service ", f);
            hr_html_esc(f, lr->service && *lr->service ? lr->service : "-");
            fprintf(f, ", logged start %s, detected %s, resolved %s", hr_html_ftime(lr->start_ms, a, sizeof a),
                    hr_html_ftime(lr->detected_ms, b, sizeof b), hr_html_ftime(lr->resolved_ms, c, sizeof c));
        }
    }
    fputs("</td></tr>\n", f);
    if (r->deploys) {
        char ct[200];
        fputs("<tr><th>change</th><td>", f);
        if (hr_rep_change_text(r, k, ct, sizeof ct))
            hr_html_esc(f, ct);
        else
            fputs("no change to its services in the window before it", f);
        fputs("</td></tr>\n", f);
    }
    if (hr_report_postmortem_wanted(r, k))
        fprintf(f, "<tr><th>postmortem</th><td><a href=\"postmortems/%s.md\">draft postmortems/%s.md</a></td></tr>\n",
                id, id);
    size_t ncap = 0;
    for (size_t q = 0; x->members && q < x->n_series; q++) {
        const hr_rep_series *s = &r->s[x->members[q].series];
        if (!s->has_capacity)
            continue;
        fputs(ncap++ ? ", " : "<tr><th>capacity</th><td>", f);
        hr_html_cap_link(f, r, x->members[q].series);
    }
    if (ncap)
        fputs("</td></tr>\n", f);
    fputs("</tbody>\n</table></div>\n", f);
    if (x->members && x->n_series) {
        fputs("<div class=\"tw\"><table>\n<thead><tr><th class=\"n\">rank</th><th>series</th><th class=\"n\">onset</th><th>end</th>"
              "<th class=\"n\">peak score</th><th>peak time</th><th>direction</th><th class=\"n\">spans</th></tr>"
              "</thead>\n<tbody>\n",
              f);
        for (size_t q = 0; q < x->n_series && q < MAX_MEMBER_ROWS; q++) {
            const hr_pm_member *mb = &x->members[q];
            fprintf(f, "<tr><td class=\"n\">%zu</td><td>", q + 1);
            hr_html_cap_link(f, r, mb->series);
            if (q == 0)
                fputs(" (origin)", f);
            fprintf(f, "</td><td class=\"n\">+%s</td><td>%s</td><td class=\"n\">%s</td><td>%s</td><td>%s</td>"
                       "<td class=\"n\">%zu</td></tr>\n",
                    hr_html_dur(mb->onset_ms - x->start_ms, a, sizeof a), hr_html_ftime(mb->end_ms, b, sizeof b),
                    hr_rep_fmt(mb->peak_score, c, sizeof c), hr_html_ftime(mb->peak_ms, d, sizeof d), hr_rep_direction_name(mb->direction),
                    mb->n_spans);
        }
        fputs("</tbody>\n</table></div>\n", f);
        if (x->n_series > MAX_MEMBER_ROWS)
            fprintf(f, "<p class=\"note\">%zu more series.</p>\n", x->n_series - MAX_MEMBER_ROWS);
        if (x->n_series >= 2) /* one bar tells nothing the table does not */
            inc_strip(f, r, k, x);
    }
    fputs("</section>\n", f);
}

int hr_html_pm_incidents(FILE *f, const hr_report *r, const sevk *bysev)
{
    char a[40], c[40], d[40], id[24];
    fputs("<section id=\"incidents\">\n<h2>Incidents</h2>\n", f);
    if (!r->inc) {
        fputs("<p>Incidents were not computed.</p>\n</section>\n", f);
        return 0;
    }
    size_t n = r->inc->n;
    if (!n) {
        fputs("<p>None.</p>\n</section>\n", f);
        return 0;
    }
    fprintf(f, "<p class=\"note\">Anomaly spans grouped by time overlap (gap %s); the first series to "
               "start is the suspected origin. Severity index 0.40 peak score + 0.35 breadth + 0.25 "
               "duration: critical from 0.70, major from 0.45.</p>\n",
            hr_html_dur(r->incident_gap_ms, a, sizeof a));
    if (r->group_by) {
        fputs("<p class=\"note\">Grouped within the label ", f);
        hr_html_code(f, r->group_by);
        fputs(".</p>\n", f);
    }
    size_t *recmap = hr_html_recurring_map(r);
    unsigned char *pick = calloc(n, 1);
    if (!recmap || !pick) {
        free(recmap);
        free(pick);
        return -1;
    }
    fputs("<div class=\"tw\"><table>\n<thead><tr><th>incident</th><th>start</th><th class=\"n\">duration</th>"
          "<th>suspected origin</th><th class=\"n\">series</th><th class=\"n\">severity</th><th>level</th>"
          "<th>direction</th><th>recurring</th><th>incident log</th>",
          f);
    fputs(r->deploys ? "<th>change</th><th>postmortem</th></tr></thead>\n<tbody>\n"
                     : "<th>postmortem</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t k = 0; k < n && k < MAX_TABLE_ROWS; k++) {
        const hr_pm_incident *x = &r->inc->inc[k];
        hr_report_incident_id(k, id, sizeof id);
        fprintf(f, "<tr id=\"%s\"><td>%s</td><td>%s</td><td class=\"n\">%s</td><td>", id, id,
                hr_html_ftime(x->start_ms, a, sizeof a), hr_html_dur(x->duration_ms, c, sizeof c));
        hr_html_code(f, hr_html_skey(r, x->origin));
        fprintf(f, "</td><td class=\"n\">%zu</td><td class=\"n\">%s</td><td>", x->n_series,
                hr_rep_fmt(x->severity, d, sizeof d));
        hr_html_level_span(f, x->level);
        fprintf(f, "</td><td>%s</td><td>", hr_rep_direction_name(x->direction));
        size_t rp = recmap[k];
        if (rp != SIZE_MAX)
            hr_html_rec_link(f, rp);
        else
            fputs("-", f);
        fputs("</td><td class=\"w\">", f);
        hr_html_log_cell(f, r, k);
        if (r->deploys) {
            size_t ch = hr_rep_incident_change(r, k);
            fputs("</td><td>", f);
            if (ch != HR_DEP_NONE)
                hr_html_code(f, r->deploys->c[ch].id);
            else
                fputs("-", f);
        }
        if (hr_report_postmortem_wanted(r, k))
            fprintf(f, "</td><td><a href=\"postmortems/%s.md\">draft</a></td></tr>\n", id);
        else
            fputs("</td><td>-</td></tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n", f);
    if (n > MAX_TABLE_ROWS)
        fprintf(f, "<p class=\"note\">%zu more incidents not listed.</p>\n", n - MAX_TABLE_ROWS);

    /* the most severe, described one by one in order of start */
    size_t nd = n < MAX_INC_DETAIL ? n : MAX_INC_DETAIL;
    for (size_t j = 0; j < nd; j++)
        pick[bysev[j].k] = 1;
    fprintf(f, "<h3>Incident details</h3>\n<p class=\"note\">%s, in order of start.</p>\n",
            nd == n ? "Every incident" : "The most severe incidents");
    if (nd < n)
        fprintf(f, "<p class=\"note\">%zu of %zu incidents described; the rest are in the table above.</p>\n", nd, n);
    for (size_t k = 0; k < n; k++)
        if (pick[k])
            inc_detail(f, r, k, recmap);
    free(pick);
    free(recmap);
    fputs("</section>\n", f);
    return 0;
}
