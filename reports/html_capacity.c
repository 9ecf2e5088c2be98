/* html_capacity.c -- capacity.html (hr_report_capacity_html): the
 * summary, the resource table, one detail section per resource, the step,
 * planned-change and reclaim tables, missing data and the method note.
 * The charts are drawn by html_capchart.c; the document frame, formatting
 * and actions block come from html.c. */
#include "html_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "growth.h"
#include "orders.h"
#include "units.h"
#include "fileio.h"

/* ---- capacity: sections -------------------------------------------------- */

static int actionable(const hr_rep_series *s)
{
    return s->sat_status == HR_SAT_ALREADY || s->sat_status == HR_SAT_WITHIN ||
           (s->has_units && s->units_to_add > 0);
}

/* the change of an inorganic step in the series' unit (per day for a
 * slope change) */
static const char *step_delta(const hr_rep_series *s, const hr_rep_step *st, char *b, size_t n)
{
    hr_rep_val(s, st->delta, b, n);
    if (st->slope && isfinite(st->delta)) {
        size_t k = strlen(b);
        snprintf(b + k, n - k, "/d");
    }
    return b;
}

static void status_span(FILE *f, const hr_report *r, const hr_rep_series *s)
{
    fprintf(f, "<span class=\"st-%s\">%s</span>", hr_rep_status(r, s), hr_rep_status_text(r, s));
    if (hr_rep_reclaimable(s))
        fputs(", reclaimable", f);
}

/* series key, linked to its detail section when it has one */
static void res_link(FILE *f, const hr_rep_series *s, long anchor)
{
    if (anchor >= 0)
        fprintf(f, "<a href=\"#res-%ld\">", anchor);
    hr_html_code(f, s->key);
    if (anchor >= 0)
        fputs("</a>", f);
}

/* an unexplained level shift: largest |change| first, ties in series
 * and step order (as the Markdown summary) */
typedef struct ustep {
    size_t series, step;
    double mag;
} ustep;

static int ustep_cmp(const void *pa, const void *pb)
{
    const ustep *x = pa, *y = pb;
    if (x->mag != y->mag)
        return x->mag > y->mag ? -1 : 1;
    if (x->series != y->series)
        return x->series < y->series ? -1 : 1;
    return x->step < y->step ? -1 : x->step > y->step;
}

/* When a resource needs someone: the order-by date when units are to be
 * ordered, today when it is saturated, else its earliest saturation date.
 * Ties keep the review order (pos). */
typedef struct urg {
    int64_t due;
    size_t pos;
} urg;

static int64_t urgency(const hr_report *r, const hr_rep_series *s)
{
    if (s->has_units && s->units_to_add > 0 && s->order_by_ms >= 0)
        return s->order_by_ms;
    if (s->sat_status == HR_SAT_ALREADY)
        return r->as_of_day_ms;
    if (s->sat_status == HR_SAT_WITHIN)
        return s->sat_p10_ms >= 0 ? s->sat_p10_ms : s->sat_p50_ms >= 0 ? s->sat_p50_ms : INT64_MAX;
    return INT64_MAX;
}

static int urg_cmp(const void *pa, const void *pb)
{
    const urg *x = pa, *y = pb;
    if (x->due != y->due)
        return x->due < y->due ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* the reason in a few words, as the Markdown "Order first" table gives
 * it, and the lead time when units are to be ordered */
static void why_cell(FILE *f, const hr_rep_series *s)
{
    char a[40], b[40], c[40];
    if (s->sat_status == HR_SAT_ALREADY)
        fprintf(f, "daily peak %s is above the threshold %s now", hr_rep_val(s, s->current_peak, a, sizeof a),
                hr_rep_val(s, s->threshold, b, sizeof b));
    else if (s->sat_p10_ms >= 0)
        fprintf(f, "reaches the threshold %s from %s (p10; p50 %s)", hr_rep_val(s, s->threshold, a, sizeof a),
                hr_rep_fdate(s->sat_p10_ms, b, sizeof b), hr_rep_fdate(s->sat_p50_ms, c, sizeof c));
    else if (s->has_units)
        fprintf(f, "the forecast peak %s needs %ld units at N+%d", hr_rep_val(s, s->peak_end_p50, a, sizeof a),
                s->units_needed, s->redundancy);
    else
        fputs("-", f);
    if (s->has_units && s->units_to_add > 0)
        fprintf(f, "; lead time %s d", hr_rep_fmt(s->lead_time_days, a, sizeof a));
}

/* "22 units of cpu_used_cores, 47 x 2 TiB disk; cost 12.4 k EUR. ":
 * units summed within each kind only (reports/orders.h). */
static int order_kinds(FILE *f, const hr_report *r)
{
    hr_rep_orders o;
    if (hr_rep_orders_build(r, &o))
        return -1;
    char b[48];
    for (size_t q = 0; q < o.n; q++) {
        const hr_rep_order_kind *k = &o.k[q];
        if (q)
            fputs(", ", f);
        fprintf(f, "<strong>%ld</strong> ", k->units);
        if (k->named) {
            fputs("&times; ", f);
            hr_html_esc(f, k->kind);
        } else {
            fprintf(f, "unit%s of ", k->units == 1 ? "" : "s");
            hr_html_code(f, k->kind);
        }
    }
    if (isfinite(o.cost))
        fprintf(f, "; cost <strong>%s</strong>%s", hr_fmt_unit(o.cost, r->currency, b, sizeof b),
                o.unpriced ? " for the kinds with a unit cost" : "");
    fputs(". ", f);
    hr_rep_orders_clear(&o);
    return 0;
}

/* Executive summary: what to buy, by when and why, on the first screen. */
static int cap_summary(FILE *f, const hr_report *r, const hr_rep_series **v, size_t m, const long *anchor)
{
    char a[40], b[40], c[40], d[40], e[40];
    size_t nsat = 0, nwithin = 0, nrec = 0, norder = 0, noverdue = 0, nact = 0;
    const hr_rep_series *first = NULL;
    for (size_t i = 0; i < m; i++) {
        const hr_rep_series *s = v[i];
        nsat += s->sat_status == HR_SAT_ALREADY;
        nwithin += s->sat_status == HR_SAT_WITHIN;
        nrec += hr_rep_reclaimable(s);
        nact += actionable(s);
        if (s->has_units && s->units_to_add > 0) {
            norder++;
            noverdue += hr_html_overdue(r, s->order_by_ms);
            if (!first || (s->order_by_ms >= 0 &&
                           (first->order_by_ms < 0 || s->order_by_ms < first->order_by_ms ||
                            (s->order_by_ms == first->order_by_ms && strcmp(s->key, first->key) < 0))))
                first = s;
        }
    }
    /* unexplained level shifts of every series */
    size_t nu = 0;
    for (size_t i = 0; i < r->n; i++)
        for (size_t k = 0; k < r->s[i].nsteps; k++)
            nu += !r->s[i].steps[k].event && !r->s[i].steps[k].slope && isfinite(r->s[i].steps[k].delta_pct);
    ustep *us = malloc((nu ? nu : 1) * sizeof *us);
    urg *ug = malloc((nact ? nact : 1) * sizeof *ug);
    if (!us || !ug) {
        free(us);
        free(ug);
        return -1;
    }
    nu = 0;
    for (size_t i = 0; i < r->n; i++)
        for (size_t k = 0; k < r->s[i].nsteps; k++) {
            const hr_rep_step *st = &r->s[i].steps[k];
            if (st->event || st->slope || !isfinite(st->delta_pct))
                continue;
            us[nu++] = (ustep){i, k, fabs(st->delta_pct)};
        }
    qsort(us, nu, sizeof *us, ustep_cmp);
    size_t nug = 0;
    for (size_t i = 0; i < m; i++)
        if (actionable(v[i]))
            ug[nug++] = (urg){urgency(r, v[i]), i};
    qsort(ug, nug, sizeof *ug, urg_cmp);

    fprintf(f, "<section id=\"summary\">\n<h2>Executive summary</h2>\n<p class=\"headline\">");
    if (!m)
        fputs("No resources with a capacity in the inventory: nothing to plan and nothing to buy.", f);
    else if (norder) {
        fprintf(f, "<strong>Order for %zu resource%s</strong> within the %s-day horizon: ", norder,
                norder == 1 ? "" : "s", hr_rep_fmt(r->horizon_days, a, sizeof a));
        if (order_kinds(f, r))
            return -1; /* not a report that says "(out of memory)" (make faults) */
        fprintf(f, "The first order is due <strong>by %s</strong>%s: ", hr_rep_fdate(first->order_by_ms, a, sizeof a),
                hr_html_overdue(r, first->order_by_ms) ? " <span class=\"overdue\">(overdue)</span>" : "");
        hr_html_code(f, first->key);
        fprintf(f, " needs %ld unit%s: ", first->units_to_add, first->units_to_add == 1 ? "" : "s");
        why_cell(f, first);
        fputs(".", f);
        if (noverdue)
            fprintf(f, " <span class=\"overdue\">%zu order%s overdue.</span>", noverdue, noverdue == 1 ? " is" : "s are");
    } else
        fprintf(f, "Nothing to buy: no resource needs more units within the %s-day horizon.",
                hr_rep_fmt(r->horizon_days, a, sizeof a));
    if (m) {
        if (nsat) {
            fprintf(f, " %zu resource%s already above %s target utilisation (", nsat, nsat == 1 ? " is" : "s are",
                    nsat == 1 ? "its" : "their");
            size_t shown = 0;
            for (size_t i = 0; i < m && shown < 3; i++)
                if (v[i]->sat_status == HR_SAT_ALREADY) {
                    if (shown++)
                        fputs(", ", f);
                    hr_html_code(f, v[i]->key);
                }
            fprintf(f, "%s).", nsat > 3 ? ", ..." : "");
        }
        if (nwithin) {
            for (size_t i = 0; i < m; i++)
                if (v[i]->sat_status == HR_SAT_WITHIN) {
                    fprintf(f, " %zu reach%s the target within the horizon; the first is ", nwithin,
                            nwithin == 1 ? "es" : "");
                    hr_html_code(f, v[i]->key);
                    fprintf(f, " on %s (p10 %s).", hr_rep_fdate(v[i]->sat_p50_ms, a, sizeof a),
                            hr_rep_fdate(v[i]->sat_p10_ms, b, sizeof b));
                    break;
                }
        } else
            fputs(" No resource reaches its target within the horizon.", f);
    }
    if (nu)
        fprintf(f, " %zu level shift%s ha%s no event in the calendar (below).", nu, nu == 1 ? "" : "s",
                nu == 1 ? "s" : "ve");
    fputs("</p>\n<ul class=\"kpis\">\n", f);
    fprintf(f, "<li><b>%zu</b>resources with a capacity</li>\n", m);
    fprintf(f, "<li><b>%zu</b>saturated now</li>\n", nsat);
    fprintf(f, "<li><b>%zu</b>saturating within %s days</li>\n", nwithin, hr_rep_fmt(r->horizon_days, a, sizeof a));
    fprintf(f, "<li><b>%zu</b>resource%s to order for</li>\n", norder, norder == 1 ? "" : "s");
    fprintf(f, "<li><b>%zu</b>orders overdue</li>\n", noverdue);
    fprintf(f, "<li><b>%zu</b>reclaimable</li>\n", nrec);
    fprintf(f, "<li><b>%zu</b>unexplained level shifts</li>\n", nu);
    if (r->nmissing)
        fprintf(f, "<li><b>%zu</b>inventory entries without data</li>\n", r->nmissing);
    fputs("</ul>\n", f);

    fputs("<h3>Most urgent resources</h3>\n", f);
    if (!nact)
        fputs("<p>None: no resource is saturated, saturating within the horizon or short of units.</p>\n", f);
    else {
        fputs("<p class=\"note\">By the date someone must act: the order-by date, today when saturated, else "
              "the earliest saturation date.</p>\n<div class=\"tw\"><table>\n<thead><tr><th>series</th><th>status</th>"
              "<th class=\"n\">now</th><th class=\"n\">growth / 30 d</th><th>earliest (p10)</th><th>p50</th>"
              "<th class=\"n\">units to order</th><th>order by</th><th>why</th></tr></thead>\n<tbody>\n",
              f);
        size_t shown = 0;
        for (size_t q = 0; q < nug && shown < TOP_N; q++) {
            size_t i = ug[q].pos;
            const hr_rep_series *s = v[i];
            shown++;
            fputs("<tr><td class=\"k\">", f);
            res_link(f, s, anchor[i]);
            fputs("</td><td>", f);
            status_span(f, r, s);
            fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s</td><td>%s</td>",
                    hr_rep_pct(hr_rep_util_pct(s, s->current_peak), 0, a, sizeof a), hr_rep_pct(s->organic_pct_30d, 1, b, sizeof b),
                    hr_rep_fdate(s->sat_p10_ms, c, sizeof c), hr_rep_fdate(s->sat_p50_ms, d, sizeof d));
            if (s->has_units)
                fprintf(f, "<td class=\"n\">%ld</td>", s->units_to_add);
            else
                fputs("<td class=\"n\">-</td>", f);
            fprintf(f, "<td>%s%s</td><td class=\"w\">", hr_rep_fdate(s->order_by_ms, e, sizeof e),
                    hr_html_overdue(r, s->order_by_ms) ? " <span class=\"overdue\">(overdue)</span>" : "");
            why_cell(f, s);
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody>\n</table></div>\n", f);
        if (nact > shown)
            fprintf(f, "<p class=\"note\">%zu more in the resources table below.</p>\n", nact - shown);
    }

    fputs("<h3>Largest unexplained level shifts</h3>\n", f);
    if (!nu)
        fputs("<p>None: every level shift matches an event of the calendar.</p>\n", f);
    else {
        fputs("<p class=\"note\">Level shifts with no event in the calendar within the tolerance: "
              "investigate, or add the event. Largest first.</p>\n<div class=\"tw\"><table>\n<thead><tr><th>time</th>"
              "<th>series</th><th class=\"n\">relative change</th><th class=\"n\">change</th></tr></thead>\n<tbody>\n",
              f);
        for (size_t k = 0; k < nu && k < TOP_N; k++) {
            const hr_rep_step *st = &r->s[us[k].series].steps[us[k].step];
            fprintf(f, "<tr><td>%s</td><td>", hr_html_ftime(st->t_ms, a, sizeof a));
            hr_html_code(f, r->s[us[k].series].key);
            fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n", hr_rep_pct(st->delta_pct, 1, b, sizeof b),
                    step_delta(&r->s[us[k].series], st, c, sizeof c));
        }
        fputs("</tbody>\n</table></div>\n", f);
        if (nu > TOP_N)
            fprintf(f, "<p class=\"note\">%zu more in the steps section.</p>\n", nu - TOP_N);
    }
    free(us);
    free(ug);
    hr_html_actions_block(f, r, HR_REP_CAPACITY, TOP_N, "actions", "actions-all");
    fputs("</section>\n", f);
    return 0;
}

static void cap_table(FILE *f, const hr_report *r, const hr_rep_series **v, size_t m, const long *anchor)
{
    char a[40], b[40], c[40], d[40], e[40], g[40], h[40];
    fputs("<section id=\"resources\">\n<h2>Resources</h2>\n", f);
    if (!m) {
        fputs("<p>No resources with a capacity: nothing to show.</p>\n</section>\n", f);
        return;
    }
    fputs("<p class=\"note\">Every resource with a capacity: saturated first, then by the day the forecast "
          "daily peak reaches capacity x target (p50, with the plausible p10-p90 range), then the stale ones "
          "(no dates: see Data problems), then by name. "
          "Headroom: the share of the threshold (capacity x target) still free above the last full "
          "day's peak. The dates and the order come first; the measurements follow.</p>\n"
          "<div class=\"tw\"><table>\n<thead><tr><th>series</th><th>status</th><th>p10</th><th>p50</th><th>p90</th>"
          "<th class=\"n\">units to add</th><th>order by</th><th class=\"n\">current peak</th>"
          "<th class=\"n\">threshold</th><th class=\"n\">utilisation now</th><th class=\"n\">peak "
          "utilisation</th><th class=\"n\">headroom</th><th class=\"n\">organic growth / 30 d</th>"
          "<th class=\"n\">steps (unexplained)</th><th>incidents</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < m; i++) {
        const hr_rep_series *s = v[i];
        size_t unexpl = 0;
        for (size_t k = 0; k < s->nsteps; k++)
            unexpl += s->steps[k].event == NULL;
        fprintf(f, "<tr id=\"r-%zu\"><td class=\"k\">", (size_t)(s - r->s));
        res_link(f, s, anchor[i]);
        fputs("</td><td>", f);
        status_span(f, r, s);
        fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td>", hr_rep_fdate(s->sat_p10_ms, g, sizeof g),
                hr_rep_fdate(s->sat_p50_ms, h, sizeof h), hr_rep_fdate(s->sat_p90_ms, b, sizeof b));
        if (s->has_units && !s->stale) /* stale: withheld, not zero */
            fprintf(f, "<td class=\"n\">%ld</td>", s->units_to_add);
        else
            fputs("<td class=\"n\">-</td>", f);
        fprintf(f, "<td>%s%s</td>", hr_rep_fdate(s->order_by_ms, c, sizeof c),
                hr_html_overdue(r, s->order_by_ms) ? " <span class=\"overdue\">(overdue)</span>" : "");
        double head = s->threshold > 0 ? 100.0 * (s->threshold - s->current_peak) / s->threshold : NAN;
        fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                   "<td class=\"n\">%s</td><td class=\"n\">%s</td>",
                hr_rep_val(s, s->current_peak, a, sizeof a), hr_rep_val(s, s->threshold, b, sizeof b),
                hr_rep_pct(hr_rep_util_pct(s, s->current_peak), 0, c, sizeof c),
                hr_rep_pct(hr_rep_util_pct(s, s->window_max_peak), 0, d, sizeof d), hr_rep_pct(head, 0, e, sizeof e));
        fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%zu (%zu)</td><td>", hr_rep_pct(s->organic_pct_30d, 1, a, sizeof a),
                s->nsteps, unexpl);
        hr_html_series_incidents(f, r, (size_t)(s - r->s), 3);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n</section>\n", f);
}

static void cap_detail(FILE *f, const hr_report *r, const hr_rep_series *s, long anchor)
{
    char a[40], b[40], c[40], d[40], e[40];
    fprintf(f, "<section class=\"res\" id=\"res-%ld\">\n<h3>", anchor);
    hr_html_code(f, s->key);
    fputs(" &#8212; ", f);
    status_span(f, r, s);
    fputs("</h3>\n<div class=\"tw\"><table class=\"facts\">\n<tbody>\n", f);

    fprintf(f, "<tr><th>utilisation</th><td>current peak %s", hr_rep_val(s, s->current_peak, a, sizeof a));
    if (s->trend_days)
        fprintf(f, " on %s", hr_rep_fdate(s->current_peak_day_ms, a, sizeof a));
    fprintf(f, " = %s of capacity %s; highest daily peak of the last %zu days %s = %s</td></tr>\n",
            hr_rep_pct(hr_rep_util_pct(s, s->current_peak), 0, b, sizeof b), hr_rep_val(s, s->capacity, c, sizeof c),
            s->trend_days, hr_rep_val(s, s->window_max_peak, d, sizeof d),
            hr_rep_pct(hr_rep_util_pct(s, s->window_max_peak), 0, e, sizeof e));

    double head = s->threshold - s->current_peak;
    fprintf(f, "<tr><th>headroom</th><td>threshold %s (capacity %s x target %s) - current peak %s = %s",
            hr_rep_val(s, s->threshold, a, sizeof a), hr_rep_val(s, s->capacity, b, sizeof b),
            hr_rep_pct(100 * s->target, 0, c, sizeof c), hr_rep_val(s, s->current_peak, d, sizeof d),
            hr_rep_fmt(head, e, sizeof e));
    fprintf(f, " (%s of the threshold)</td></tr>\n",
            hr_rep_pct(s->threshold > 0 ? 100.0 * head / s->threshold : NAN, 0, a, sizeof a));

    fprintf(f, "<tr><th>organic growth</th><td>%s per 30 days (80%% interval %s to %s), fitted over "
               "%zu days%s</td></tr>\n",
            hr_rep_pct(s->organic_pct_30d, 1, a, sizeof a), hr_rep_pct(s->organic_lo_pct_30d, 1, b, sizeof b),
            hr_rep_pct(s->organic_hi_pct_30d, 1, c, sizeof c), s->organic_fit_days,
            s->organic_log_scale ? " on the log scale" : "");

    fprintf(f, "<tr><th>saturation</th><td>%s; p10 %s, p50 <strong>%s</strong>, p90 %s (%s); forecast daily "
               "peak at the horizon %s</td></tr>\n",
            hr_rep_sat_name(s->sat_status), hr_rep_fdate(s->sat_p10_ms, a, sizeof a),
            hr_rep_fdate(s->sat_p50_ms, b, sizeof b), hr_rep_fdate(s->sat_p90_ms, c, sizeof c),
            s->sat_method ? "daily-peak forecast" : "daily-peak line (baseline)",
            hr_rep_val(s, s->peak_end_p50, d, sizeof d));

    fputs("<tr><th>provisioning</th><td>", f);
    if (s->has_units) {
        fprintf(f, "%s units of %s, N+%d; units needed %ld, <strong>to add %ld</strong>, reclaimable %ld; lead time "
                   "%s days; order by <strong>%s</strong>%s",
                hr_rep_fmt(s->units, a, sizeof a), hr_rep_val(s, s->unit_capacity, b, sizeof b), s->redundancy,
                s->units_needed, s->units_to_add, s->units_reclaimable, hr_rep_fmt(s->lead_time_days, c, sizeof c),
                hr_rep_fdate(s->order_by_ms, d, sizeof d),
                hr_html_overdue(r, s->order_by_ms) ? " <span class=\"overdue\">(overdue)</span>" : "");
    } else
        fputs("no units in the inventory (unit capacity and units not given): no order computed", f);
    fputs("</td></tr>\n", f);

    fputs("<tr><th>inorganic steps</th><td>", f);
    if (!s->nsteps)
        fputs("none", f);
    else {
        fputs("<ul class=\"ev\">", f);
        for (size_t k = 0; k < s->nsteps; k++) {
            const hr_rep_step *st = &s->steps[k];
            fprintf(f, "<li>%s %s %s (%s): ", hr_html_ftime(st->t_ms, a, sizeof a), st->slope ? "slope change" : "level shift",
                    hr_rep_pct(st->delta_pct, 1, b, sizeof b), step_delta(s, st, c, sizeof c));
            if (st->event)
                hr_html_esc(f, st->event);
            else
                fputs("<strong>unexplained</strong>", f);
            if (st->change) {
                fputs(", with change ", f);
                hr_html_code(f, st->change);
            }
            fputs("</li>", f);
        }
        fputs("</ul>", f);
    }
    fputs("</td></tr>\n<tr><th>planned events</th><td>", f);
    if (!s->nplanned)
        fputs("none within the horizon", f);
    else {
        fputs("<ul class=\"ev\">", f);
        for (size_t k = 0; k < s->nplanned; k++) {
            fprintf(f, "<li>%s ", hr_rep_fdate(s->planned[k]->t_ms, a, sizeof a));
            hr_html_esc(f, s->planned[k]->name);
            fprintf(f, ", expected change %s</li>", hr_rep_pct(s->planned[k]->expected_pct, 1, b, sizeof b));
        }
        fputs("</ul>", f);
    }
    fputs("</td></tr>\n", f);
    if (s->error) {
        fputs("<tr><th>error</th><td>", f);
        hr_html_esc(f, s->error);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n", f);
    if (hr_html_has_chart(s)) {
        hr_html_chart_capacity(f, r, s);
        hr_html_chart_organic(f, s);
    } else
        fputs("<p class=\"note\">No chart data for this resource.</p>\n", f);
    fputs("</section>\n", f);
}

static void cap_details(FILE *f, const hr_report *r, const hr_rep_series **v, size_t m, const long *anchor)
{
    size_t nact = 0, ndet = 0;
    for (size_t i = 0; i < m; i++) {
        nact += actionable(v[i]);
        ndet += anchor[i] >= 0;
    }
    fputs("<section id=\"details\">\n<h2>Resources needing action</h2>\n", f);
    if (!ndet) {
        fputs("<p>None: no resource is saturated, saturating within the horizon or short of units.</p>\n"
              "</section>\n",
              f);
        return;
    }
    fprintf(f, "<p class=\"note\">The %zu resource%s saturated, saturating or short of units, in review order",
            ndet, ndet == 1 ? "" : "s");
    if (nact > ndet)
        fprintf(f, " (the first %zu of %zu; the others are in the table above)", ndet, nact);
    fputs(".</p>\n", f);
    for (size_t i = 0; i < m; i++)
        if (anchor[i] >= 0)
            cap_detail(f, r, v[i], anchor[i]);
    fputs("</section>\n", f);
}

static void cap_steps(FILE *f, const hr_report *r, const hr_rep_series **v, size_t m)
{
    char a[40], b[40], c[40];
    fputs("<section id=\"steps\">\n<h2>Inorganic steps</h2>\n", f);
    for (int pass = 0; pass < 2; pass++) {
        size_t shown = 0, total = 0;
        fputs(pass == 0 ? "<h3>Attributed to events</h3>\n" : "<h3>Unexplained</h3>\n", f);
        for (size_t i = 0; i < m; i++)
            for (size_t k = 0; k < v[i]->nsteps; k++) {
                const hr_rep_step *st = &v[i]->steps[k];
                if ((st->event != NULL) != (pass == 0))
                    continue;
                if (total++ >= MAX_TABLE_ROWS)
                    continue;
                if (!shown++)
                    fprintf(f, "<div class=\"tw\"><table>\n<thead><tr><th>time</th><th>series</th><th>kind</th>"
                               "<th class=\"n\">relative change</th><th class=\"n\">change</th>%s%s</tr></thead>\n<tbody>\n",
                            pass == 0 ? "<th>event</th>" : "", r->deploys ? "<th>with change</th>" : "");
                fprintf(f, "<tr><td>%s</td><td>", hr_html_ftime(st->t_ms, a, sizeof a));
                hr_html_code(f, v[i]->key);
                fprintf(f, "</td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>", st->slope ? "slope" : "level",
                        hr_rep_pct(st->delta_pct, 1, b, sizeof b), step_delta(v[i], st, c, sizeof c));
                if (st->event) {
                    fputs("<td class=\"w\">", f);
                    hr_html_esc(f, st->event);
                    fputs("</td>", f);
                }
                if (r->deploys) {
                    fputs("<td>", f);
                    if (st->change)
                        hr_html_code(f, st->change);
                    else
                        fputs("-", f);
                    fputs("</td>", f);
                }
                fputs("</tr>\n", f);
            }
        if (shown)
            fputs("</tbody>\n</table></div>\n", f);
        else
            fputs("<p>None.</p>\n", f);
        if (total > shown)
            fprintf(f, "<p class=\"note\">%zu more in capacity.json.</p>\n", total - shown);
    }
    fputs("</section>\n", f);
}

static void cap_planned(FILE *f, const hr_rep_series **v, size_t m)
{
    char a[40], b[40];
    size_t any = 0;
    fputs("<section id=\"planned\">\n<h2>Planned events</h2>\n", f);
    for (size_t i = 0; i < m; i++)
        for (size_t k = 0; k < v[i]->nplanned; k++) {
            if (!any++)
                fputs("<div class=\"tw\"><table>\n<thead><tr><th>date</th><th>event</th><th>series</th>"
                      "<th class=\"n\">expected change</th></tr></thead>\n<tbody>\n",
                      f);
            fprintf(f, "<tr><td>%s</td><td class=\"w\">", hr_rep_fdate(v[i]->planned[k]->t_ms, a, sizeof a));
            hr_html_esc(f, v[i]->planned[k]->name);
            fputs("</td><td>", f);
            hr_html_code(f, v[i]->key);
            fprintf(f, "</td><td class=\"n\">%s</td></tr>\n", hr_rep_pct(v[i]->planned[k]->expected_pct, 1, b, sizeof b));
        }
    fputs(any ? "</tbody>\n</table></div>\n</section>\n" : "<p>None within the horizon.</p>\n</section>\n", f);
}

static void cap_reclaim(FILE *f, const hr_rep_series **v, size_t m)
{
    char a[40], b[40];
    size_t any = 0;
    fputs("<section id=\"reclaimable\">\n<h2>Reclaimable</h2>\n", f);
    for (size_t i = 0; i < m; i++) {
        const hr_rep_series *s = v[i];
        if (!hr_rep_reclaimable(s))
            continue;
        if (!any++)
            fputs("<p class=\"note\">Units not needed through the horizon even on the fast-growth path (N+k kept); "
                  "without a unit inventory, resources whose highest daily peak stays under half of "
                  "capacity x target.</p>\n<div class=\"tw\"><table>\n<thead><tr><th>series</th><th class=\"n\">units now</th>"
                  "<th class=\"n\">units needed</th><th class=\"n\">reclaimable units</th>"
                  "<th class=\"n\">peak utilisation</th></tr></thead>\n<tbody>\n",
                  f);
        fputs("<tr><td>", f);
        hr_html_code(f, s->key);
        if (s->has_units)
            fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>",
                    hr_rep_fmt(s->units, a, sizeof a), s->units_needed, s->units_reclaimable);
        else
            fputs("</td><td class=\"n\">-</td><td class=\"n\">-</td><td class=\"n\">-</td>", f);
        fprintf(f, "<td class=\"n\">%s</td></tr>\n", hr_rep_pct(hr_rep_util_pct(s, s->window_max_peak), 0, b, sizeof b));
    }
    fputs(any ? "</tbody>\n</table></div>\n</section>\n" : "<p>None.</p>\n</section>\n", f);
}

static void cap_missing(FILE *f, const hr_report *r)
{
    fputs("<section id=\"missing\">\n<h2>Inventory without data</h2>\n", f);
    if (!r->nmissing || !r->missing_inventory) {
        fputs("<p>None: every inventory entry has data in the store.</p>\n</section>\n", f);
        return;
    }
    fputs("<ul>\n", f);
    for (size_t i = 0; i < r->nmissing; i++) {
        fputs("<li>", f);
        hr_html_code(f, r->missing_inventory[i]);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n</section>\n", f);
}

static void cap_method(FILE *f, const hr_report *r)
{
    char a[40];
    fprintf(f, "<section id=\"method\">\n<h2>Method and caveats</h2>\n<ul>\n"
               "<li>Daily peak: the highest value of each UTC day with at least half of its points.</li>\n"
               "<li>Organic growth: the series minus its seasonal profiles, as daily medians on the log "
               "scale, with every inorganic step removed; compound rate of a Theil-Sen line over the last "
               "%d days (after the last change of slope).</li>\n"
               "<li>Inorganic steps: change points of those daily medians, level shifts of at least 3%%, "
               "matched to the events calendar within the tolerance, else unexplained.</li>\n"
               "<li>Saturation: daily-peak forecast = organic level x compound organic growth x the "
               "weekday's peak factor x planned events with an expected change; p50 = first day it "
               "reaches capacity x target; p10 / p90 = first day the 90%% / 10%% quantile of the fitted "
               "organic line (its level and slope uncertain, the daily levels' autocorrelation allowed "
               "for) does.</li>\n"
               "<li>Provisioning: units to add keep the median path under target x unit capacity x "
               "(units - k) through the horizon (N+k); order by = p10 date minus the lead time.</li>\n"
               "<li>Baseline kept in capacity.json: Theil-Sen line through the daily peaks of the last "
               "%s days.</li>\n</ul>\n</section>\n",
            HR_ORGANIC_WINDOW_DAYS, hr_rep_fmt(r->trend_window_days, a, sizeof a));
}

char *hr_report_capacity_html(const hr_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = hr_memstream(&buf, &len);
    if (!f)
        return NULL;
    size_t m = 0;
    const hr_rep_series **v = hr_rep_sorted_resources(r, &m);
    long *anchor = malloc((m ? m : 1) * sizeof *anchor);
    if (!v || !anchor) {
        free(v);
        free(anchor);
        fclose(f);
        free(buf);
        return NULL;
    }
    long nd = 0;
    for (size_t i = 0; i < m; i++)
        anchor[i] = actionable(v[i]) && nd < MAX_CHARTS ? nd++ : -1;

    char a[40], b[40];
    hr_html_doc_begin(f, "Capacity report", r);
    fprintf(f, "<header>\n<h1>Capacity report</h1>\n<p class=\"meta\">As of %s (last data point). Horizon %s "
               "days. %zu resources with a capacity, %zu series analysed.</p>\n",
            hr_html_ftime(r->as_of_ms, a, sizeof a), hr_rep_fmt(r->horizon_days, b, sizeof b), m, r->n);
    hr_html_header_end(f, r, HR_REP_CAPACITY,
               "<a href=\"#summary\">Summary</a><a href=\"#services\">Services</a><a href=\"#resources\">Resources</a>"
               "<a href=\"#details\">Needing action</a><a href=\"#steps\">Steps</a><a href=\"#planned\">Planned "
               "events</a><a href=\"#reclaimable\">Reclaimable</a><a href=\"#missing\">Inventory without data</a>"
               "<a href=\"#method\">Method</a>");
    int rc = cap_summary(f, r, v, m, anchor);
    if (rc == 0)
        rc = hr_html_services(f, r);
    if (rc == 0) {
        cap_table(f, r, v, m, anchor);
        cap_details(f, r, v, m, anchor);
        cap_steps(f, r, v, m);
        cap_planned(f, v, m);
        cap_reclaim(f, v, m);
        cap_missing(f, r);
        hr_html_actions_all(f, r, HR_REP_CAPACITY);
        cap_method(f, r);
        fputs("</main>\n", f);
        hr_html_doc_end(f, r);
    }
    free(v);
    free(anchor);
    if (rc) {
        fclose(f);
        free(buf);
        return NULL;
    }
    return hr_html_finish(f, &buf);
}
