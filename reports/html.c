/* html.c -- the capacity and problem-management reports as self-contained
 * HTML5 documents (see report.h): inline <style> and inline SVG charts
 * (reports/svg.h), no scripts, nothing fetched. The markup is also
 * well-formed XML (every element closed, attributes quoted), so it can be
 * checked with an XML parser. Numbers use the Markdown renderer's
 * formatting (hr_rep_fmt: 4 significant digits; dates hr_rep_fdate; times
 * RFC 3339), percentages one decimal, so HTML, Markdown and JSON agree.
 * Output is a pure function of the model: no pointers, no clock but the
 * model's run_ms in the header line on the data's age; identical data
 * and run_ms give identical bytes. */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "dataprob.h"
#include "orders.h"
#include "svg.h"
#include "timefmt.h"
#include "units.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

#define MAX_CHARTS 40        /* resources drawn in the capacity report */
#define TOP_N HR_REP_SUMMARY_ROWS /* rows of the summary tables */
#define MAX_TIMELINE_ROWS 60 /* series in the incident timeline */
#define MAX_INC_DETAIL 50    /* incidents described one by one */
#define MAX_STRIP_ROWS 30    /* members drawn in an incident's strip */
#define MAX_MEMBER_ROWS 60   /* members listed in an incident's table */
#define MAX_TABLE_ROWS 2000  /* long tables (steps, anomalies, incidents) */

/* ---- formatting ---------------------------------------------------------- */

static void esc(FILE *f, const char *s) { hr_svg_esc(f, s); }

/* A series key (or other identifier) as <code>, with break opportunities
 * (<wbr/>) before '{' and after ',', where a label set can wrap in a
 * narrow table cell ("-" for NULL). */
static void code(FILE *f, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *t = s ? malloc(n + 1) : NULL;
    if (!t) {
        fputs("<code>", f);
        esc(f, s ? s : "-");
        fputs("</code>", f);
        return;
    }
    fputs("<code>", f);
    size_t a = 0;
    for (size_t i = 0; i <= n; i++) {
        int brk_before = s[i] == '{' && i > 0, brk_after = s[i] == ',';
        if (i < n && !brk_before && !brk_after)
            continue;
        size_t e = brk_after ? i + 1 : i; /* the piece [a, e) */
        memcpy(t, s + a, e - a);
        t[e - a] = '\0';
        esc(f, t);
        if (i < n)
            fputs("<wbr/>", f);
        a = e;
    }
    fputs("</code>", f);
    free(t);
}


/* a percentage with one decimal ("-" when missing), sign = 1 adds '+' */
static const char *pct(double x, int sign, char *b, size_t n)
{
    if (!isfinite(x))
        snprintf(b, n, "-");
    else {
        snprintf(b, n, sign ? "%+.1f" : "%.1f", x);
        hr_svg_fix_neg_zero(b);
        if (sign && strcmp(b, "+0.0") == 0)
            snprintf(b, n, "0.0");
    }
    return b;
}

/* a percentage with the given decimals ("-" when missing) */
static const char *pctd(double x, int dec, char *b, size_t n)
{
    if (!isfinite(x))
        snprintf(b, n, "-");
    else {
        snprintf(b, n, "%.*f", dec, x);
        hr_svg_fix_neg_zero(b);
    }
    return b;
}

/* milliseconds as hours, one decimal */
static const char *hours(double ms, char *b, size_t n)
{
    if (!isfinite(ms))
        snprintf(b, n, "-");
    else {
        snprintf(b, n, "%.1f", ms / 3600000.0);
        hr_svg_fix_neg_zero(b);
    }
    return b;
}

/* a duration for people: "40 s", "25 min", "3.5 h", "2.1 d" */
static const char *dur(int64_t ms, char *b, size_t n)
{
    hr_rep_fdur(ms, b, n);
    hr_svg_fix_neg_zero(b);
    return b;
}

static const char *ftime(int64_t t, char *b, size_t n)
{
    if (t < 0) {
        snprintf(b, n, "-");
        return b;
    }
    return hr_time_format(t, b, n);
}

/* a date when t is 00:00 UTC, else the full time */
static const char *fwhen(int64_t t, char *b, size_t n)
{
    return t >= 0 && t % DAY_MS == 0 ? hr_rep_fdate(t, b, n) : ftime(t, b, n);
}

static const char *skey(const hr_report *r, size_t i) { return i < r->n && r->s[i].key ? r->s[i].key : "?"; }

static int overdue(const hr_report *r, int64_t t) { return t >= 0 && t < r->as_of_day_ms; }

/* Closes the memory stream: the text, or NULL when any write failed
 * (out of memory). */
static char *finish(FILE *f, char *const *buf)
{
    int bad = ferror(f);
    if (fclose(f) != 0)
        bad = 1;
    if (bad) {
        free(*buf);
        return NULL;
    }
    return *buf;
}

/* ---- document ------------------------------------------------------------ */

static const char *const page_css =
    ":root{color-scheme:light}\n"
    "body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;"
    "color:#1a1a1a;background:#fff;margin:0 auto;max-width:1120px;padding:16px 24px}\n"
    "h1{font-size:24px;margin:8px 0 4px}\n"
    "h2{font-size:19px;margin:30px 0 8px;padding-bottom:3px;border-bottom:2px solid #ccc}\n"
    "h3{font-size:16px;margin:20px 0 6px}\n"
    "h4{font-size:14px;margin:14px 0 4px}\n"
    "p.meta{color:#555;margin:0 0 8px}\n"
    "nav.toc{font-size:13px;margin:6px 0 12px}\n"
    "nav.toc a{margin-right:12px}\n"
    "a{color:#0b5cad}\n"
    "table{border-collapse:collapse;margin:6px 0 14px;font-size:13px}\n"
    ".tw{overflow-x:auto;max-width:100%}\n"
    "th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top;white-space:nowrap}\n"
    "td.w,table.facts td{white-space:normal;min-width:11em}\n"
    "td.k{white-space:normal;min-width:8em}\n"
    "td code{white-space:normal}\n"
    "thead th{background:#f3f3f3;white-space:normal;vertical-align:bottom}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "table.facts th{width:150px;background:#f8f8f8;font-weight:600}\n"
    "code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}\n"
    "p code,li code,h3 code{overflow-wrap:anywhere}\n"
    "p.headline{font-size:15.5px;border-left:4px solid #D55E00;padding:6px 12px;margin:8px 0}\n"
    "ul.kpis{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:10px 0}\n"
    "ul.kpis li{border:1px solid #ccc;border-radius:4px;padding:5px 10px;min-width:110px}\n"
    "ul.kpis b{display:block;font-size:20px}\n"
    "ul.ev{margin:0;padding-left:16px}\n"
    ".st-saturated,.st-order_overdue,.lv-critical,.overdue{color:#b3261e;font-weight:600}\n"
    ".st-order_now{color:#9a5b00;font-weight:600}\n"
    ".st-saturating,.lv-major{color:#9a5b00;font-weight:600}\n"
    ".st-ok,.lv-minor{color:#1f6f43}\n"
    ".st-unknown{color:#555}\n"
    ".st-stale{color:#b3261e;font-style:italic}\n"
    "section#data-problems{border-left:4px solid #b3261e;padding:0 0 4px 12px;margin:12px 0}\n"
    "section#data-problems h2{border-bottom:none;margin-top:8px}\n"
    ".note{color:#555;font-size:13px}\n"
    "figure{margin:10px 0 16px}\n"
    "figcaption{font-size:12.5px;color:#444;margin-top:2px}\n"
    "section.res,section.incident,section.slo{border-top:1px solid #ddd;margin-top:18px}\n"
    "footer{margin-top:36px;padding-top:8px;border-top:1px solid #ccc;color:#555;font-size:12.5px}\n"
    "@page{margin:14mm}\n"
    "@media print{\n"
    "body{max-width:none;padding:0;font-size:11pt;background:#fff;color:#000}\n"
    "nav.toc{display:none}\n"
    "a{color:inherit;text-decoration:none}\n"
    "thead th,table.facts th{background:none}\n"
    "thead{display:table-header-group}\n"
    ".tw{overflow:visible}\n"
    "th,td{white-space:normal}\n"
    "td code{overflow-wrap:anywhere}\n"
    "tr,figure,svg,ul.kpis li,table.facts,p.headline{break-inside:avoid;page-break-inside:avoid}\n"
    "h2,h3,h4{break-after:avoid;page-break-after:avoid}\n"
    "}\n";

static void doc_begin(FILE *f, const char *title, const hr_report *r)
{
    char a[40];
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
          "<meta name=\"color-scheme\" content=\"light\"/>\n<title>",
          f);
    esc(f, title);
    fprintf(f, ", as of %s</title>\n<style>\n", ftime(r->as_of_ms, a, sizeof a));
    fputs(page_css, f);
    hr_svg_css(f);
    fputs("</style>\n</head>\n<body>\n", f);
}

static void doc_end(FILE *f, const hr_report *r)
{
    char a[40];
    fputs("<footer>\n<p>Models: ", f);
    esc(f, r->models ? r->models : "-");
    fprintf(f, "</p>\n<p>As of %s (the last data timestamp). Report schema version %d. "
               "Generated by headroom from the run's data alone: the same data gives the same "
               "document%s.</p>\n</footer>\n</body>\n</html>\n",
            ftime(r->as_of_ms, a, sizeof a), HR_REPORT_SCHEMA,
            r->run_ms >= 0 ? ", but for the header line on the run's clock" : "");
}

/* Closes the header (age of the data and the table of contents, whose
 * first entries are the data problems when there are any and the
 * changes since the last run) and opens <main> with those two sections.
 * toc holds the report's own entries; which is the report. */
static void header_end(FILE *f, const hr_report *r, int which, const char *toc)
{
    if (r->run_ms >= 0 && r->as_of_ms >= 0) {
        fputs("<p class=\"meta\">", f);
        hr_rep_data_age(f, r);
        fputs("</p>\n", f);
    }
    fputs("<nav class=\"toc\">", f);
    if (hr_rep_has_data_problems(r))
        fputs("<a href=\"#data-problems\">Data problems</a>", f);
    if (r->changes)
        fputs("<a href=\"#changes\">Since the last run</a>", f);
    fprintf(f, "%s</nav>\n</header>\n<main>\n", toc);
    hr_rep_data_problems_html(f, r);
    hr_rep_changes_html(f, r, which);
}

/* A text payload (e.g. a fixed-size title) that may lack its NUL. */
static void esc_buf(FILE *f, const char *s, size_t cap)
{
    char *t = malloc(cap + 1);
    if (!t) {
        fputs("?", f);
        return;
    }
    memcpy(t, s, cap);
    t[cap] = '\0';
    esc(f, t);
    free(t);
}

static int same_str(const char *x, const char *y) { return x == y || (x && y && strcmp(x, y) == 0); }

/* The suggested actions of one report, in the model's order (priority,
 * due date, rule): the first `limit` of them (0: all) under a heading
 * with the given id, then how many more there are and where. */
static void actions_block(FILE *f, const hr_report *r, int which, size_t limit, const char *id, const char *more)
{
    char a[40], b[40];
    size_t cnt = 0;
    for (size_t i = 0; i < r->nactions; i++)
        cnt += r->actions[i].report == which;
    fprintf(f, "<h3 id=\"%s\">Suggested actions</h3>\n", id);
    if (!cnt) {
        fputs("<p>None: no rule fired.</p>\n", f);
        return;
    }
    fputs("<div class=\"tw\"><table class=\"actions\">\n<thead><tr><th>priority</th><th>action</th><th>owner</th>"
          "<th>due</th><th>evidence</th></tr></thead>\n<tbody>\n",
          f);
    size_t shown = 0;
    for (size_t i = 0; i < r->nactions && (!limit || shown < limit); i++) {
        const hr_rep_action *x = &r->actions[i];
        if (x->report != which)
            continue;
        shown++;
        fprintf(f, "<tr><td>P%d</td><td class=\"w\">", x->priority);
        esc_buf(f, x->title, sizeof x->title);
        if (x->rule) {
            fputs(" <span class=\"note\">(rule ", f);
            esc(f, x->rule);
            fputs(")</span>", f);
        }
        fputs("</td><td>", f);
        esc(f, x->owner ? x->owner : "unassigned");
        fprintf(f, "</td><td>%s%s</td><td class=\"w\">", hr_rep_fdate(x->due_ms, a, sizeof a),
                overdue(r, x->due_ms) ? " <span class=\"overdue\">(overdue)</span>" : "");
        size_t nev = x->nev < HR_ACTION_MAX_EVIDENCE ? x->nev : HR_ACTION_MAX_EVIDENCE;
        /* the series once when all the evidence rests on one */
        int one = nev > 0 && x->ev[0].series;
        for (size_t k = 1; k < nev; k++)
            one &= same_str(x->ev[k].series, x->ev[0].series);
        if (one) {
            code(f, x->ev[0].series);
            fputc(':', f);
        }
        fputs("<ul class=\"ev\">", f);
        for (size_t k = 0; k < nev; k++) {
            const hr_rep_evidence *e = &x->ev[k];
            fputs("<li>", f);
            if (!one && e->series) {
                code(f, e->series);
                fputs(": ", f);
            }
            esc_buf(f, e->what, sizeof e->what);
            fprintf(f, " = %s", e->unit ? hr_fmt_unit(e->value, e->unit, a, sizeof a) : hr_rep_fmt(e->value, a, sizeof a));
            if (e->t_ms >= 0)
                fprintf(f, " (%s)", fwhen(e->t_ms, b, sizeof b));
            fputs("</li>", f);
        }
        fputs("</ul></td></tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n", f);
    if (cnt > shown && more)
        fprintf(f, "<p class=\"note\">%zu more in <a href=\"#%s\">all suggested actions</a>.</p>\n", cnt - shown,
                more);
}

/* The full list at the end, when the summary showed only the first. */
static void actions_all(FILE *f, const hr_report *r, int which)
{
    size_t cnt = 0;
    for (size_t i = 0; i < r->nactions; i++)
        cnt += r->actions[i].report == which;
    if (cnt <= TOP_N)
        return;
    fputs("<section id=\"actions-all\">\n<h2>All suggested actions</h2>\n", f);
    actions_block(f, r, which, 0, "actions-list", NULL);
    fputs("</section>\n", f);
}

/* ---- capacity: charts ----------------------------------------------------- */

/* A legend under a chart, left to right from x0, wrapping to a second
 * line (16 px lower) before it would pass xmax. */
typedef struct legend {
    FILE *f;
    double x0, x, y, xmax;
} legend;

static void leg(legend *l, int kind, const char *cls, const char *text)
{
    if (l->x > l->x0 && l->x + hr_svg_legend_width(text) > l->xmax) {
        l->x = l->x0;
        l->y += 16;
    }
    l->x = hr_svg_legend(l->f, l->x, l->y, kind, cls, text);
}

static double arr_max(const double *x, size_t n, double m)
{
    if (x)
        for (size_t i = 0; i < n; i++)
            if (isfinite(x[i]) && x[i] > m)
                m = x[i];
    return m;
}

static double arr_min(const double *x, size_t n, double m)
{
    if (x)
        for (size_t i = 0; i < n; i++)
            if (isfinite(x[i]) && x[i] < m)
                m = x[i];
    return m;
}

static int has_chart(const hr_rep_series *s) { return s->chart.ndays > 0 && s->chart.peak; }

static int has_fan(const hr_rep_chart *c)
{
    return c->nfan > 0 && c->fan_lo && c->fan_mid && c->fan_hi && c->fan_step_days > 0;
}

/* (1) daily peaks, the forecast fan, capacity and threshold, p50 date */
static void chart_capacity(FILE *f, const hr_report *r, const hr_rep_series *s)
{
    const hr_rep_chart *c = &s->chart;
    const double W = 760, L = 64, T = 44, PW = 672, PH = 226, H = T + PH + 72;
    double xa = (double)c->day0_ms, xb = (double)c->day0_ms + (double)c->ndays * DAY_MS;
    double fdx = (double)c->fan_step_days * DAY_MS;
    if (has_fan(c))
        xb = fmax(xb, (double)c->fan0_ms + (double)(c->nfan - 1) * fdx);
    double base = fmax(s->capacity, s->threshold);
    if (!isfinite(base))
        base = 0;
    base = arr_max(c->peak, c->ndays, base);
    double lo = arr_min(c->peak, c->ndays, 0);
    if (has_fan(c)) {
        base = arr_max(c->fan_mid, c->nfan, arr_max(c->fan_lo, c->nfan, base));
        lo = arr_min(c->fan_lo, c->nfan, lo);
    }
    double top = base;
    if (has_fan(c)) /* the fast path may run far off: show its start, clip the rest */
        top = fmax(top, fmin(arr_max(c->fan_hi, c->nfan, base), 1.25 * base));
    double ticks[HR_SVG_MAX_TICKS], step;
    size_t nt = hr_svg_nice_ticks_unit(lo, top * 1.02, 7, ticks, &step, s->unit);

    char a[40], b[40], d[40], e[40], g[40], p10[20], p50[20], p90[20], title[160], desc[600];
    snprintf(title, sizeof title, "Daily peak and forecast against capacity: %.100s", s->key);
    snprintf(desc, sizeof desc,
             "Daily peaks from %s to %s, forecast of the daily peak to %s (median and p10-p90 paths); "
             "capacity %s, threshold %s; saturation p50 %s (p10 %s, p90 %s).",
             hr_rep_fdate(c->day0_ms, a, sizeof a),
             hr_rep_fdate(c->day0_ms + (int64_t)(c->ndays - 1) * DAY_MS, b, sizeof b),
             hr_rep_fdate((int64_t)xb, d, sizeof d), hr_rep_val(s, s->capacity, e, sizeof e),
             hr_rep_val(s, s->threshold, g, sizeof g), hr_rep_fdate(s->sat_p50_ms, p50, sizeof p50),
             hr_rep_fdate(s->sat_p10_ms, p10, sizeof p10), hr_rep_fdate(s->sat_p90_ms, p90, sizeof p90));
    fputs("<figure>\n", f);
    hr_svg_begin(f, W, H, title, desc, 0);
    hr_svg p;
    hr_svg_frame(&p, f, L, T, PW, PH, xa, xb, ticks[0], ticks[nt - 1]);
    int band = 0;
    if (s->sat_p10_ms >= 0 || s->sat_p50_ms >= 0) {
        double sa = (double)(s->sat_p10_ms >= 0 ? s->sat_p10_ms : s->sat_p50_ms);
        double sb = s->sat_p90_ms >= 0 ? (double)s->sat_p90_ms : xb;
        hr_svg_vspan(&p, sa, sb, "hs-satband");
        band = sb > sa;
    }
    hr_svg_value_axis_unit(&p, ticks, nt, step, s->counter ? "daily peak (per second)" : "daily peak", s->unit);
    hr_svg_time_axis(&p, 8);
    if (has_fan(c)) {
        hr_svg_band(&p, NULL, (double)c->fan0_ms, fdx, c->fan_lo, c->fan_hi, c->nfan, "hs-fan");
        hr_svg_line(&p, NULL, (double)c->fan0_ms, fdx, c->fan_mid, c->nfan, "hs-mid");
    }
    hr_svg_line(&p, NULL, (double)c->day0_ms, (double)DAY_MS, c->peak, c->ndays, "hs-peak");
    snprintf(desc, sizeof desc, "capacity %s", hr_rep_val(s, s->capacity, a, sizeof a));
    hr_svg_hline(&p, s->capacity, desc, "hs-cap");
    snprintf(desc, sizeof desc, "threshold %s (target %s%%)", hr_rep_val(s, s->threshold, a, sizeof a),
             pct(100 * s->target, 0, b, sizeof b));
    if (fabs(hr_svg_py(&p, s->threshold) - hr_svg_py(&p, s->capacity)) < 14)
        hr_svg_hline(&p, s->threshold, NULL, "hs-thr"); /* the labels would collide */
    else
        hr_svg_hline(&p, s->threshold, desc, "hs-thr");
    snprintf(desc, sizeof desc, "as of %s", hr_rep_fdate(r->as_of_ms, a, sizeof a));
    hr_svg_vline(&p, (double)r->as_of_ms, desc, 0, "hs-asof");
    if (s->sat_p50_ms >= 0) {
        snprintf(desc, sizeof desc, "p50 saturation %s", hr_rep_fdate(s->sat_p50_ms, a, sizeof a));
        hr_svg_vline(&p, (double)s->sat_p50_ms, desc, 1, "hs-sat");
    }
    size_t nev = 0;
    for (size_t k = 0; k < s->nplanned; k++) {
        const hr_rep_event *ev = s->planned[k];
        if (!ev || (double)ev->t_ms < xa || (double)ev->t_ms > xb)
            continue;
        if (isfinite(ev->expected_pct))
            snprintf(desc, sizeof desc, "%.60s %s%%", ev->name ? ev->name : "event", pct(ev->expected_pct, 1, a, sizeof a));
        else
            snprintf(desc, sizeof desc, "%.60s", ev->name ? ev->name : "event");
        hr_svg_vline(&p, (double)ev->t_ms, desc, 2 + (int)(nev % 2), "hs-event");
        nev++;
    }
    legend lg = {f, L, L, T + PH + 48, W - 8};
    leg(&lg, 0, "hs-peak", "daily peak");
    if (has_fan(c)) {
        leg(&lg, 0, "hs-mid", "forecast (median)");
        leg(&lg, 1, "hs-fan", "p10-p90 paths");
    }
    leg(&lg, 0, "hs-cap", "capacity");
    leg(&lg, 0, "hs-thr", "threshold");
    if (band)
        leg(&lg, 1, "hs-satband", "saturation p10-p90");
    if (nev)
        leg(&lg, 0, "hs-event", "planned event");
    hr_svg_end(f);
    fputs("<figcaption>Daily peaks (solid) and the forecast daily peak (dashed, shaded between the "
          "slow and fast growth paths) against capacity and capacity x target; the shaded column "
          "is the p10-p90 saturation range.</figcaption>\n</figure>\n",
          f);
}

/* (2) the organic trend over the deseasonalised level, with the steps */
static void chart_organic(FILE *f, const hr_rep_series *s)
{
    const hr_rep_chart *c = &s->chart;
    if (!c->level && !c->organic)
        return;
    double lo = INFINITY, hi = -INFINITY;
    lo = arr_min(c->level, c->ndays, arr_min(c->organic, c->ndays, lo));
    hi = arr_max(c->level, c->ndays, arr_max(c->organic, c->ndays, hi));
    if (!isfinite(lo) || !isfinite(hi))
        return;
    const double W = 760, L = 64, T = 56, PW = 672, PH = 180, H = T + PH + 72;
    double xa = (double)c->day0_ms, xb = (double)c->day0_ms + (double)c->ndays * DAY_MS;
    double ticks[HR_SVG_MAX_TICKS], step;
    size_t nt = hr_svg_nice_ticks_unit(lo, hi, 6, ticks, &step, s->unit);
    char title[160], desc[400], a[40], b[40], g[40];
    size_t nexp = 0;
    for (size_t k = 0; k < s->nsteps; k++)
        nexp += s->steps[k].event != NULL;
    snprintf(title, sizeof title, "Organic trend and inorganic steps: %.100s", s->key);
    snprintf(desc, sizeof desc,
             "Deseasonalised daily level from %s to %s with the organic trend (%s%% per 30 days) and "
             "%zu inorganic steps, %zu of them explained by events.",
             hr_rep_fdate(c->day0_ms, a, sizeof a),
             hr_rep_fdate(c->day0_ms + (int64_t)(c->ndays - 1) * DAY_MS, b, sizeof b),
             pct(s->organic_pct_30d, 1, g, sizeof g), s->nsteps, nexp);
    fputs("<figure>\n", f);
    hr_svg_begin(f, W, H, title, desc, 0);
    hr_svg p;
    hr_svg_frame(&p, f, L, T, PW, PH, xa, xb, ticks[0], ticks[nt - 1]);
    hr_svg_value_axis_unit(&p, ticks, nt, step, s->counter ? "daily level (per second)" : "daily level", s->unit);
    hr_svg_time_axis(&p, 8);
    if (c->level)
        hr_svg_line(&p, NULL, xa, (double)DAY_MS, c->level, c->ndays, "hs-level");
    if (c->organic)
        hr_svg_line(&p, NULL, xa, (double)DAY_MS, c->organic, c->ndays, "hs-organic");
    int row = 0, with_event = 0, without = 0;
    for (size_t k = 0; k < s->nsteps; k++) {
        const hr_rep_step *st = &s->steps[k];
        if ((double)st->t_ms < xa || (double)st->t_ms > xb)
            continue;
        char lab[96];
        const char *what = st->event ? st->event : st->slope ? "slope change" : "unexplained";
        snprintf(lab, sizeof lab, "%.60s %s%%", what, pct(st->delta_pct, 1, a, sizeof a));
        hr_svg_vline(&p, (double)st->t_ms, lab, row, st->event || st->slope ? "hs-step" : "hs-unexpl");
        with_event |= st->event || st->slope;
        without |= !st->event && !st->slope;
        row = (row + 1) % 3;
    }
    legend lg = {f, L, L, T + PH + 48, W - 8};
    if (c->level)
        leg(&lg, 0, "hs-level", "deseasonalised daily level");
    if (c->organic)
        leg(&lg, 0, "hs-organic", "organic trend");
    if (with_event)
        leg(&lg, 0, "hs-step", "step with an event (or slope change)");
    if (without)
        leg(&lg, 0, "hs-unexpl", "unexplained level shift");
    hr_svg_end(f);
    fputs("<figcaption>The series without its seasonal profiles (daily level, grey) and the organic "
          "trend fitted with every inorganic step removed (green); steps are marked with their "
          "event, or \"unexplained\".</figcaption>\n</figure>\n",
          f);
}

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
    code(f, s->key);
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
            esc(f, k->kind);
        } else {
            fprintf(f, "unit%s of ", k->units == 1 ? "" : "s");
            code(f, k->kind);
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
            noverdue += overdue(r, s->order_by_ms);
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
            fputs("(out of memory) ", f);
        fprintf(f, "The first order is due <strong>by %s</strong>%s: ", hr_rep_fdate(first->order_by_ms, a, sizeof a),
                overdue(r, first->order_by_ms) ? " <span class=\"overdue\">(overdue)</span>" : "");
        code(f, first->key);
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
                    code(f, v[i]->key);
                }
            fprintf(f, "%s).", nsat > 3 ? ", ..." : "");
        }
        if (nwithin) {
            for (size_t i = 0; i < m; i++)
                if (v[i]->sat_status == HR_SAT_WITHIN) {
                    fprintf(f, " %zu reach%s the target within the horizon; the first is ", nwithin,
                            nwithin == 1 ? "es" : "");
                    code(f, v[i]->key);
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
              "<th class=\"n\">now %</th><th class=\"n\">growth / 30 d %</th><th>earliest (p10)</th><th>p50</th>"
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
                    pct(hr_rep_util_pct(s, s->current_peak), 0, a, sizeof a), pct(s->organic_pct_30d, 1, b, sizeof b),
                    hr_rep_fdate(s->sat_p10_ms, c, sizeof c), hr_rep_fdate(s->sat_p50_ms, d, sizeof d));
            if (s->has_units)
                fprintf(f, "<td class=\"n\">%ld</td>", s->units_to_add);
            else
                fputs("<td class=\"n\">-</td>", f);
            fprintf(f, "<td>%s%s</td><td class=\"w\">", hr_rep_fdate(s->order_by_ms, e, sizeof e),
                    overdue(r, s->order_by_ms) ? " <span class=\"overdue\">(overdue)</span>" : "");
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
              "<th>series</th><th class=\"n\">change %</th><th class=\"n\">change</th></tr></thead>\n<tbody>\n",
              f);
        for (size_t k = 0; k < nu && k < TOP_N; k++) {
            const hr_rep_step *st = &r->s[us[k].series].steps[us[k].step];
            fprintf(f, "<tr><td>%s</td><td>", ftime(st->t_ms, a, sizeof a));
            code(f, r->s[us[k].series].key);
            fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n", pct(st->delta_pct, 1, b, sizeof b),
                    step_delta(&r->s[us[k].series], st, c, sizeof c));
        }
        fputs("</tbody>\n</table></div>\n", f);
        if (nu > TOP_N)
            fprintf(f, "<p class=\"note\">%zu more in the steps section.</p>\n", nu - TOP_N);
    }
    free(us);
    free(ug);
    actions_block(f, r, HR_REP_CAPACITY, TOP_N, "actions", "actions-all");
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
          "<th class=\"n\">threshold</th><th class=\"n\">utilisation now %</th><th class=\"n\">peak "
          "utilisation %</th><th class=\"n\">headroom %</th><th class=\"n\">organic growth / 30 d %</th>"
          "<th class=\"n\">steps (unexplained)</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < m; i++) {
        const hr_rep_series *s = v[i];
        size_t unexpl = 0;
        for (size_t k = 0; k < s->nsteps; k++)
            unexpl += s->steps[k].event == NULL;
        fputs("<tr><td class=\"k\">", f);
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
                overdue(r, s->order_by_ms) ? " <span class=\"overdue\">(overdue)</span>" : "");
        double head = s->threshold > 0 ? 100.0 * (s->threshold - s->current_peak) / s->threshold : NAN;
        fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                   "<td class=\"n\">%s</td><td class=\"n\">%s</td>",
                hr_rep_val(s, s->current_peak, a, sizeof a), hr_rep_val(s, s->threshold, b, sizeof b),
                pct(hr_rep_util_pct(s, s->current_peak), 0, c, sizeof c),
                pct(hr_rep_util_pct(s, s->window_max_peak), 0, d, sizeof d), pct(head, 0, e, sizeof e));
        fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%zu (%zu)</td></tr>\n", pct(s->organic_pct_30d, 1, a, sizeof a),
                s->nsteps, unexpl);
    }
    fputs("</tbody>\n</table></div>\n</section>\n", f);
}

static void cap_detail(FILE *f, const hr_report *r, const hr_rep_series *s, long anchor)
{
    char a[40], b[40], c[40], d[40], e[40];
    fprintf(f, "<section class=\"res\" id=\"res-%ld\">\n<h3>", anchor);
    code(f, s->key);
    fputs(" &#8212; ", f);
    status_span(f, r, s);
    fputs("</h3>\n<div class=\"tw\"><table class=\"facts\">\n<tbody>\n", f);

    fprintf(f, "<tr><th>utilisation</th><td>current peak %s", hr_rep_val(s, s->current_peak, a, sizeof a));
    if (s->trend_days)
        fprintf(f, " on %s", hr_rep_fdate(s->current_peak_day_ms, a, sizeof a));
    fprintf(f, " = %s%% of capacity %s; highest daily peak of the last %zu days %s = %s%%</td></tr>\n",
            pct(hr_rep_util_pct(s, s->current_peak), 0, b, sizeof b), hr_rep_val(s, s->capacity, c, sizeof c),
            s->trend_days, hr_rep_val(s, s->window_max_peak, d, sizeof d),
            pct(hr_rep_util_pct(s, s->window_max_peak), 0, e, sizeof e));

    double head = s->threshold - s->current_peak;
    fprintf(f, "<tr><th>headroom</th><td>threshold %s (capacity %s x target %s%%) - current peak %s = %s",
            hr_rep_val(s, s->threshold, a, sizeof a), hr_rep_val(s, s->capacity, b, sizeof b),
            pct(100 * s->target, 0, c, sizeof c), hr_rep_val(s, s->current_peak, d, sizeof d),
            hr_rep_fmt(head, e, sizeof e));
    fprintf(f, " (%s%% of the threshold)</td></tr>\n",
            pct(s->threshold > 0 ? 100.0 * head / s->threshold : NAN, 0, a, sizeof a));

    fprintf(f, "<tr><th>organic growth</th><td>%s%% per 30 days (80%% interval %s%% to %s%%), fitted over "
               "%zu days%s</td></tr>\n",
            pct(s->organic_pct_30d, 1, a, sizeof a), pct(s->organic_lo_pct_30d, 1, b, sizeof b),
            pct(s->organic_hi_pct_30d, 1, c, sizeof c), s->organic_fit_days,
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
                overdue(r, s->order_by_ms) ? " <span class=\"overdue\">(overdue)</span>" : "");
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
            fprintf(f, "<li>%s %s %s%% (%s): ", ftime(st->t_ms, a, sizeof a), st->slope ? "slope change" : "level shift",
                    pct(st->delta_pct, 1, b, sizeof b), step_delta(s, st, c, sizeof c));
            if (st->event)
                esc(f, st->event);
            else
                fputs("<strong>unexplained</strong>", f);
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
            esc(f, s->planned[k]->name);
            fprintf(f, ", expected change %s%%</li>", pct(s->planned[k]->expected_pct, 1, b, sizeof b));
        }
        fputs("</ul>", f);
    }
    fputs("</td></tr>\n", f);
    if (s->error) {
        fputs("<tr><th>error</th><td>", f);
        esc(f, s->error);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n", f);
    if (has_chart(s)) {
        chart_capacity(f, r, s);
        chart_organic(f, s);
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

static void cap_steps(FILE *f, const hr_rep_series **v, size_t m)
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
                               "<th class=\"n\">change %%</th><th class=\"n\">change</th>%s</tr></thead>\n<tbody>\n",
                            pass == 0 ? "<th>event</th>" : "");
                fprintf(f, "<tr><td>%s</td><td>", ftime(st->t_ms, a, sizeof a));
                code(f, v[i]->key);
                fprintf(f, "</td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>", st->slope ? "slope" : "level",
                        pct(st->delta_pct, 1, b, sizeof b), step_delta(v[i], st, c, sizeof c));
                if (st->event) {
                    fputs("<td class=\"w\">", f);
                    esc(f, st->event);
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
                      "<th class=\"n\">expected change %</th></tr></thead>\n<tbody>\n",
                      f);
            fprintf(f, "<tr><td>%s</td><td class=\"w\">", hr_rep_fdate(v[i]->planned[k]->t_ms, a, sizeof a));
            esc(f, v[i]->planned[k]->name);
            fputs("</td><td>", f);
            code(f, v[i]->key);
            fprintf(f, "</td><td class=\"n\">%s</td></tr>\n", pct(v[i]->planned[k]->expected_pct, 1, b, sizeof b));
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
                  "<th class=\"n\">peak utilisation %</th></tr></thead>\n<tbody>\n",
                  f);
        fputs("<tr><td>", f);
        code(f, s->key);
        if (s->has_units)
            fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>",
                    hr_rep_fmt(s->units, a, sizeof a), s->units_needed, s->units_reclaimable);
        else
            fputs("</td><td class=\"n\">-</td><td class=\"n\">-</td><td class=\"n\">-</td>", f);
        fprintf(f, "<td class=\"n\">%s</td></tr>\n", pct(hr_rep_util_pct(s, s->window_max_peak), 0, b, sizeof b));
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
        code(f, r->missing_inventory[i]);
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
               "90 days (after the last change of slope).</li>\n"
               "<li>Inorganic steps: change points of those daily medians, level shifts of at least 3%%, "
               "matched to the events calendar within the tolerance, else unexplained.</li>\n"
               "<li>Saturation: daily-peak forecast = organic level x compound organic growth x the "
               "weekday's peak factor x planned events with an expected change; p50 = first day it "
               "reaches capacity x target; p10 / p90 use the 80%% bounds of the growth rate and of the "
               "peak factors.</li>\n"
               "<li>Provisioning: units to add keep the median path under target x unit capacity x "
               "(units - k) through the horizon (N+k); order by = p10 date minus the lead time.</li>\n"
               "<li>Baseline kept in capacity.json: Theil-Sen line through the daily peaks of the last "
               "%s days.</li>\n</ul>\n</section>\n",
            hr_rep_fmt(r->trend_window_days, a, sizeof a));
}

char *hr_report_capacity_html(const hr_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
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
    doc_begin(f, "Capacity report", r);
    fprintf(f, "<header>\n<h1>Capacity report</h1>\n<p class=\"meta\">As of %s (last data point). Horizon %s "
               "days. %zu resources with a capacity, %zu series analysed.</p>\n",
            ftime(r->as_of_ms, a, sizeof a), hr_rep_fmt(r->horizon_days, b, sizeof b), m, r->n);
    header_end(f, r, HR_REP_CAPACITY,
               "<a href=\"#summary\">Summary</a><a href=\"#resources\">Resources</a>"
               "<a href=\"#details\">Needing action</a><a href=\"#steps\">Steps</a><a href=\"#planned\">Planned "
               "events</a><a href=\"#reclaimable\">Reclaimable</a><a href=\"#missing\">Inventory without data</a>"
               "<a href=\"#method\">Method</a>");
    int rc = cap_summary(f, r, v, m, anchor);
    if (rc == 0) {
        cap_table(f, r, v, m, anchor);
        cap_details(f, r, v, m, anchor);
        cap_steps(f, v, m);
        cap_planned(f, v, m);
        cap_reclaim(f, v, m);
        cap_missing(f, r);
        actions_all(f, r, HR_REP_CAPACITY);
        cap_method(f, r);
        fputs("</main>\n", f);
        doc_end(f, r);
    }
    free(v);
    free(anchor);
    if (rc) {
        fclose(f);
        free(buf);
        return NULL;
    }
    return finish(f, &buf);
}

/* ---- problems: helpers ---------------------------------------------------- */

/* incidents and the anomaly -> incident map are both there */
static int have_map(const hr_report *r) { return r->inc && r->anomaly_incident; }

/* the incident of anomaly k, or HR_PM_NONE (not grouped, or no map) */
static size_t anomaly_incident(const hr_report *r, size_t k)
{
    if (!have_map(r) || k >= r->na)
        return HR_PM_NONE;
    size_t j = r->anomaly_incident[k];
    return j < r->inc->n ? j : HR_PM_NONE;
}

/* For each incident the (first) recurring problem it belongs to, or
 * SIZE_MAX: a new array of inc->n (free()), NULL when out of memory. */
static size_t *recurring_map(const hr_report *r)
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

static void rec_link(FILE *f, size_t p)
{
    char id[24];
    hr_report_recurring_id(p, id, sizeof id);
    fprintf(f, "<a href=\"#%s\">%s</a>", id, id);
}

static const char *level_cls(int level)
{
    return level == HR_PM_CRITICAL ? "hs-critical" : level == HR_PM_MAJOR ? "hs-major" : "hs-minor";
}

static void inc_link(FILE *f, size_t k)
{
    char id[24];
    hr_report_incident_id(k, id, sizeof id);
    fprintf(f, "<a href=\"#%s\">%s</a>", id, id);
}

static void level_span(FILE *f, int level)
{
    const char *n = hr_pm_level_name(level);
    fprintf(f, "<span class=\"lv-%s\">%s</span>", n, n);
}

/* incidents by severity (higher first), then index */
typedef struct sevk {
    size_t k;
    double sev;
} sevk;

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
static size_t inc_logrow(const hr_report *r, size_t k)
{
    if (!r->match || !r->match->inc_row || !r->log || k >= r->match->n_inc)
        return HR_PM_NONE;
    size_t row = r->match->inc_row[k];
    return row < r->nlog ? row : HR_PM_NONE;
}

static void log_cell(FILE *f, const hr_report *r, size_t k)
{
    if (!r->match || !r->log) {
        fputs("-", f);
        return;
    }
    size_t row = inc_logrow(r, k);
    if (row == HR_PM_NONE) {
        fputs("unlogged", f);
        return;
    }
    const hr_pm_logrow *lr = &r->log[row];
    fprintf(f, "row %zu: ", row + 1);
    esc(f, lr->title ? lr->title : "(no title)");
    if (lr->service && *lr->service) {
        fputs(" (", f);
        esc(f, lr->service);
        fputs(")", f);
    }
}

/* "Mondays 03:00 UTC", "daily 03:00 UTC", "every 36.0 h, near 03:00 UTC";
 * the phase cut to the minute, as the Markdown report does */
static const char *recur_when(const hr_pm_recur *x, char *b, size_t n)
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

static const char *sev_name(int sev) { return sev == HR_SLO_PAGE ? "page" : sev == HR_SLO_TICKET ? "ticket" : "?"; }

/* "1h/5m burn &gt; 14.4x" (long/short windows, the name of the JSON and
 * Markdown reports), with the windows used when the grid widened them:
 * "(as 1h/1h on this grid)" */
static void rule_text(FILE *f, const hr_slo_result *res, size_t k)
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
static int slo_decimals(const hr_slo_result *res, double objective)
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
            inc_link(f, bysev[0].k);
            fputs(" (", f);
            level_span(f, x->level);
            fprintf(f, ", %s, %zu series) from %s, suspected origin ", dur(x->duration_ms, a, sizeof a), x->n_series,
                    ftime(x->start_ms, b, sizeof b));
            code(f, skey(r, x->origin));
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
        fprintf(f, "<li><b>%s h</b>MTTD</li>\n", hours(r->logstats->all.mttd_ms, a, sizeof a));
        fprintf(f, "<li><b>%s h</b>MTTR</li>\n", hours(r->logstats->all.mttr_ms, a, sizeof a));
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
            inc_link(f, bysev[j].k);
            fprintf(f, "</td><td>%s</td><td>", ftime(x->start_ms, a, sizeof a));
            code(f, skey(r, x->origin));
            fprintf(f, "</td><td class=\"w\">%zu", x->n_series);
            for (size_t q = 1; q < x->n_series && q < 3 && x->members; q++) {
                fputs(q == 1 ? " (also " : ", ", f);
                code(f, skey(r, x->members[q].series));
            }
            if (x->n_series > 1 && x->members)
                fputs(x->n_series > 3 ? ", ...)" : ")", f);
            fprintf(f, "</td><td class=\"n\">%s</td><td>", hr_rep_fmt(x->severity, b, sizeof b));
            level_span(f, x->level);
            fprintf(f, "</td><td class=\"n\">%s</td><td>%s</td></tr>\n", dur(x->duration_ms, c, sizeof c),
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
            rec_link(f, k);
            fputs("</td><td>", f);
            code(f, skey(r, x->origin));
            fprintf(f, "</td><td>%s</td><td>%s</td><td class=\"n\">%zu</td><td><strong>%s</strong>",
                    hr_rep_direction_name(x->direction), recur_when(x, a, sizeof a), x->count, ftime(x->next_ms, b, sizeof b));
            if (hr_report_recurring_lapsed(r, x))
                fprintf(f, " (lapsed: no occurrence since %s)", ftime(x->last_ms, b, sizeof b));
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
              "<th class=\"n\">objective %</th><th class=\"n\">budget left %</th><th>exhausted</th>"
              "<th class=\"n\">alerts (open)</th></tr></thead>\n<tbody>\n",
              f);
        for (size_t i = 0; i < r->nslo; i++) {
            const hr_rep_slo *o = &r->slo[i];
            const hr_slo_result *res = o->res;
            int dec = slo_decimals(res, o->objective);
            fprintf(f, "<tr><td><a href=\"#slo-%zu\">", i + 1);
            esc(f, o->name);
            fputs("</a></td><td>", f);
            esc(f, o->service ? o->service : "-");
            if (!res) {
                fprintf(f, "</td><td class=\"n\">-</td><td class=\"n\">%s</td><td class=\"w\" colspan=\"3\">not evaluated",
                        pctd(100 * o->objective, dec, b, sizeof b));
                if (o->error) {
                    fputs(": ", f);
                    esc(f, o->error);
                }
                fputs("</td></tr>\n", f);
                continue;
            }
            size_t op = 0;
            for (size_t k = 0; k < res->n_alerts; k++)
                op += res->alerts[k].open;
            fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s</td>"
                       "<td class=\"n\">%zu (%zu)</td></tr>\n",
                    pctd(100 * res->sli, dec, a, sizeof a), pctd(100 * res->objective, dec, b, sizeof b),
                    pct(100 * res->remaining, 0, c, sizeof c),
                    res->exhausted ? ftime(res->exhausted_ms, d, sizeof d) : "no", res->n_alerts, op);
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
                    esc(f, r->slo[i].name);
                    fprintf(f, "</a></td><td>%s</td><td>", sev_name(al->severity));
                    rule_text(f, res, al->rule);
                    fprintf(f, "</td><td>%s</td><td>%s</td><td class=\"n\">%sx</td></tr>\n",
                            ftime(al->start_ms, a, sizeof a),
                            al->open ? "<span class=\"overdue\">open</span>" : ftime(al->end_ms, b, sizeof b),
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
                all->n, hours(all->mttd_ms, a, sizeof a), hours(all->mttr_ms, b, sizeof b),
                hours(all->mtbf_ms, c, sizeof c));
        if (r->match)
            fprintf(f, " The detector saw %zu of them and missed %zu; %zu detected incidents are not in the log.",
                    r->match->n_seen, r->match->n_missed, r->match->n_unlogged);
        fputs("</p>\n", f);
    }
    actions_block(f, r, HR_REP_PROBLEMS, TOP_N, "actions", "actions-all");
    fputs("</section>\n", f);
}

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

static int pm_timeline(FILE *f, const hr_report *r)
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
        size_t j = anomaly_incident(r, k);
        if (have_map(r) && j == HR_PM_NONE)
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
            size_t j = anomaly_incident(r, k);
            if (have_map(r) && j == HR_PM_NONE)
                continue;
            const char *cls = j != HR_PM_NONE ? level_cls(r->inc->inc[j].level) : "hs-span";
            snprintf(tip, sizeof tip, "%s%s%s %.200s: %s to %s",
                     j != HR_PM_NONE ? hr_report_incident_id(j, id, sizeof id) : "anomaly",
                     j != HR_PM_NONE ? " " : "", j != HR_PM_NONE ? hr_pm_level_name(r->inc->inc[j].level) : "",
                     r->s[x->series].key, ftime(x->start_ms, a, sizeof a), ftime(x->end_ms, b, sizeof b));
            hr_svg_bar(&p, row[x->series], (double)x->start_ms, (double)x->end_ms, cls, tip);
        }
        double lx = L, ly = H - 8;
        if (have_map(r)) {
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

static void inc_strip(FILE *f, const hr_report *r, size_t k, const hr_pm_incident *x)
{
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
    fputs("<figure>\n", f);
    hr_svg_begin(f, W, H, title,
                 "One row per series of the incident, ranked by onset; bars from onset to end; the "
                 "suspected origin is outlined.",
                 0);
    hr_svg p;
    hr_svg_frame(&p, f, L, T, PW, PH, (double)x->start_ms - pad, (double)x->end_ms + pad, (double)nrow, 0);
    hr_svg_time_axis(&p, 7);
    const char *lc = level_cls(x->level);
    char cls[40];
    for (size_t q = 0; q < nrow; q++) {
        const hr_pm_member *mb = &x->members[q];
        hr_svg_row_label(&p, q, skey(r, mb->series), 42, q == 0 ? "hs-origin" : NULL);
        snprintf(cls, sizeof cls, "%s%s", lc, q == 0 ? " hs-origin" : "");
        snprintf(tip, sizeof tip, "%.200s%s: onset +%s, peak score %s", skey(r, mb->series),
                 q == 0 ? " (suspected origin)" : "", dur(mb->onset_ms - x->start_ms, a, sizeof a),
                 hr_rep_fmt(mb->peak_score, b, sizeof b));
        hr_svg_bar(&p, q, (double)mb->onset_ms, (double)mb->end_ms, cls, tip);
    }
    hr_svg_legend(f, L, H - 8, 1, lc, hr_pm_level_name(x->level));
    hr_svg_end(f);
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
    level_span(f, x->level);
    fprintf(f, ", %s</h3>\n<div class=\"tw\"><table class=\"facts\">\n<tbody>\n", ftime(x->start_ms, a, sizeof a));
    fputs("<tr><th>suspected origin</th><td>", f);
    code(f, skey(r, x->origin));
    fputs(" (the first onset)</td></tr>\n", f);
    fprintf(f, "<tr><th>severity</th><td>index %s, %s: peak score %s, %zu series, %zu spans, duration %s</td></tr>\n",
            hr_rep_fmt(x->severity, a, sizeof a), hr_pm_level_name(x->level), hr_rep_fmt(x->peak_score, b, sizeof b),
            x->n_series, x->n_spans, dur(x->duration_ms, c, sizeof c));
    fprintf(f, "<tr><th>time</th><td>%s to %s; peak at %s</td></tr>\n", ftime(x->start_ms, a, sizeof a),
            ftime(x->end_ms, b, sizeof b), ftime(x->peak_ms, d, sizeof d));
    fprintf(f, "<tr><th>direction</th><td>%s</td></tr>\n", hr_rep_direction_name(x->direction));
    size_t rp = recmap[k];
    if (rp != SIZE_MAX) {
        fputs("<tr><th>recurring</th><td>occurrence of ", f);
        rec_link(f, rp);
        fputs("</td></tr>\n", f);
    }
    fputs("<tr><th>incident log</th><td>", f);
    if (!r->match || !r->log)
        fputs("no incident log given", f);
    else {
        size_t row = inc_logrow(r, k);
        if (row == HR_PM_NONE)
            fputs("not in the log (unlogged)", f);
        else {
            const hr_pm_logrow *lr = &r->log[row];
            fprintf(f, "row %zu: ", row + 1);
            esc(f, lr->title ? lr->title : "(no title)");
            fputs(", service ", f);
            esc(f, lr->service && *lr->service ? lr->service : "-");
            fprintf(f, ", logged start %s, detected %s, resolved %s", ftime(lr->start_ms, a, sizeof a),
                    ftime(lr->detected_ms, b, sizeof b), ftime(lr->resolved_ms, c, sizeof c));
        }
    }
    fputs("</td></tr>\n</tbody>\n</table></div>\n", f);
    if (x->members && x->n_series) {
        fputs("<div class=\"tw\"><table>\n<thead><tr><th class=\"n\">rank</th><th>series</th><th class=\"n\">onset</th><th>end</th>"
              "<th class=\"n\">peak score</th><th>peak time</th><th>direction</th><th class=\"n\">spans</th></tr>"
              "</thead>\n<tbody>\n",
              f);
        for (size_t q = 0; q < x->n_series && q < MAX_MEMBER_ROWS; q++) {
            const hr_pm_member *mb = &x->members[q];
            fprintf(f, "<tr><td class=\"n\">%zu</td><td>", q + 1);
            code(f, skey(r, mb->series));
            if (q == 0)
                fputs(" (origin)", f);
            fprintf(f, "</td><td class=\"n\">+%s</td><td>%s</td><td class=\"n\">%s</td><td>%s</td><td>%s</td>"
                       "<td class=\"n\">%zu</td></tr>\n",
                    dur(mb->onset_ms - x->start_ms, a, sizeof a), ftime(mb->end_ms, b, sizeof b),
                    hr_rep_fmt(mb->peak_score, c, sizeof c), ftime(mb->peak_ms, d, sizeof d), hr_rep_direction_name(mb->direction),
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

static int pm_incidents(FILE *f, const hr_report *r, const sevk *bysev)
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
            dur(r->incident_gap_ms, a, sizeof a));
    if (r->group_by) {
        fputs("<p class=\"note\">Grouped within the label ", f);
        code(f, r->group_by);
        fputs(".</p>\n", f);
    }
    size_t *recmap = recurring_map(r);
    unsigned char *pick = calloc(n, 1);
    if (!recmap || !pick) {
        free(recmap);
        free(pick);
        return -1;
    }
    fputs("<div class=\"tw\"><table>\n<thead><tr><th>incident</th><th>start</th><th class=\"n\">duration</th>"
          "<th>suspected origin</th><th class=\"n\">series</th><th class=\"n\">severity</th><th>level</th>"
          "<th>direction</th><th>recurring</th><th>incident log</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t k = 0; k < n && k < MAX_TABLE_ROWS; k++) {
        const hr_pm_incident *x = &r->inc->inc[k];
        hr_report_incident_id(k, id, sizeof id);
        fprintf(f, "<tr id=\"%s\"><td>%s</td><td>%s</td><td class=\"n\">%s</td><td>", id, id,
                ftime(x->start_ms, a, sizeof a), dur(x->duration_ms, c, sizeof c));
        code(f, skey(r, x->origin));
        fprintf(f, "</td><td class=\"n\">%zu</td><td class=\"n\">%s</td><td>", x->n_series,
                hr_rep_fmt(x->severity, d, sizeof d));
        level_span(f, x->level);
        fprintf(f, "</td><td>%s</td><td>", hr_rep_direction_name(x->direction));
        size_t rp = recmap[k];
        if (rp != SIZE_MAX)
            rec_link(f, rp);
        else
            fputs("-", f);
        fputs("</td><td class=\"w\">", f);
        log_cell(f, r, k);
        fputs("</td></tr>\n", f);
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

/* ---- problems: recurring, SLOs, log, anomalies ------------------------------ */

static void pm_recurring(FILE *f, const hr_report *r)
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
        code(f, skey(r, x->origin));
        fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td><td class=\"n\">%zu</td><td>%s</td><td>%s</td>"
                   "<td><strong>%s</strong></td><td class=\"n\">%s</td><td>",
                hr_rep_direction_name(x->direction), hr_pm_period_name(x->period), recur_when(x, a, sizeof a), x->count,
                ftime(x->first_ms, b, sizeof b), ftime(x->last_ms, c, sizeof c), ftime(x->next_ms, d, sizeof d),
                dur(x->median_duration_ms, e, sizeof e));
        for (size_t q = 0; q < x->count && x->occ; q++) {
            if (q)
                fputs(", ", f);
            if (q == 20) {
                fprintf(f, "%zu more", x->count - q);
                break;
            }
            inc_link(f, x->occ[q]);
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
    snprintf(desc, sizeof desc, "Share of the error budget left from %s (100%%) to %s (%s%%).",
             hr_rep_fdate(res->window_start_ms, a, sizeof a), hr_rep_fdate(res->window_end_ms, b, sizeof b),
             pct(100 * res->remaining, 0, c, sizeof c));
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
        snprintf(desc, sizeof desc, "exhausted %s", ftime(res->exhausted_ms, a, sizeof a));
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

static int pm_slos(FILE *f, const hr_report *r)
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
        int dec = slo_decimals(res, o->objective);
        fprintf(f, "<section class=\"slo\" id=\"slo-%zu\">\n<h3>", i + 1);
        esc(f, o->name ? o->name : "SLO");
        fputs("</h3>\n<div class=\"tw\"><table class=\"facts\">\n<tbody>\n<tr><th>service</th><td>", f);
        esc(f, o->service ? o->service : "-");
        fputs("</td></tr>\n<tr><th>SLI</th><td>", f);
        if (o->latency) {
            fputs("share of points with ", f);
            code(f, o->latency);
            fprintf(f, " &lt;= %s", hr_rep_fmt(o->threshold, a, sizeof a));
        } else if (o->good) {
            fputs("good / total events: ", f);
            code(f, o->good);
            fputs(" / ", f);
            code(f, o->total);
        } else if (o->bad) {
            fputs("1 - bad / total events: ", f);
            code(f, o->bad);
            fputs(" / ", f);
            code(f, o->total);
        } else
            fputs("-", f);
        fputs("</td></tr>\n", f);
        if (!res) {
            fprintf(f, "<tr><th>objective</th><td>%s%% over %s days</td></tr>\n<tr><th>evaluation</th><td>"
                       "not evaluated",
                    pctd(100 * o->objective, dec, a, sizeof a), hr_rep_fmt(o->window_days, b, sizeof b));
            if (o->error) {
                fputs(": ", f);
                esc(f, o->error);
            }
            fputs("</td></tr>\n</tbody>\n</table></div>\n</section>\n", f);
            continue;
        }
        fprintf(f, "<tr><th>SLI vs objective</th><td><strong>%s%%</strong> against %s%% (%s)</td></tr>\n",
                pctd(100 * res->sli, dec, a, sizeof a), pctd(100 * res->objective, dec, b, sizeof b),
                !isfinite(res->sli) ? "no events" : res->sli >= res->objective ? "met" : "missed");
        fprintf(f, "<tr><th>error budget</th><td>consumed %s%%, remaining <strong>%s%%</strong>", pct(100 * res->consumed, 0, a, sizeof a),
                pct(100 * res->remaining, 0, b, sizeof b));
        if (res->exhausted)
            fprintf(f, "; <span class=\"overdue\">exhausted at %s</span>", ftime(res->exhausted_ms, c, sizeof c));
        fputs("</td></tr>\n", f);
        fprintf(f, "<tr><th>window</th><td>%s days: %s to %s%s; %zu points with data, %zu gaps</td></tr>\n",
                hr_rep_fmt((double)res->window_ms / (double)DAY_MS, a, sizeof a),
                ftime(res->window_start_ms, b, sizeof b), ftime(res->window_end_ms, c, sizeof c),
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
                fprintf(f, "<tr><td>%s</td><td>", sev_name(al->severity));
                rule_text(f, res, al->rule);
                fprintf(f, "</td><td>%s</td><td>%s</td><td class=\"n\">%sx</td><td>%s</td><td>%s</td></tr>\n",
                        ftime(al->start_ms, a, sizeof a), ftime(al->end_ms, b, sizeof b),
                        hr_rep_fmt(al->peak_burn, c, sizeof c), ftime(al->peak_ms, d, sizeof d),
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
    esc(f, name);
    fprintf(f, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%s</td>"
               "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s</td><td>%s</td></tr>\n",
            s->n, s->n_detected, s->n_resolved, hours(s->mttd_ms, a, sizeof a), hours(s->mttr_ms, b, sizeof b),
            hours(s->mtbf_ms, c, sizeof c), hours(s->impact_ms, d, sizeof d),
            s->n ? ftime(s->first_ms, e, sizeof e) : "-", s->n ? ftime(s->last_ms, g, sizeof g) : "-");
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

static void pm_log(FILE *f, const hr_report *r)
{
    char a[40], b[40];
    fputs("<section id=\"log\">\n<h2>Incident log</h2>\n", f);
    if (!r->logstats) {
        fputs("<p>No incident log given: nothing to compare with.</p>\n</section>\n", f);
        return;
    }
    if (r->log_path) {
        fputs("<p class=\"note\">From ", f);
        code(f, r->log_path);
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
        fprintf(f, " Matching tolerance %s.", dur(r->match_tolerance_ms, a, sizeof a));
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
        fprintf(f, "<tr><td class=\"n\">%zu</td><td>%s</td><td>%s</td><td>", i + 1, ftime(lr->start_ms, a, sizeof a),
                ftime(lr->end_ms, b, sizeof b));
        esc(f, lr->service && *lr->service ? lr->service : "-");
        fputs("</td><td class=\"w\">", f);
        esc(f, lr->title ? lr->title : "-");
        fputs("</td></tr>\n", f);
    }
    fputs(shown ? "</tbody>\n</table></div>\n</section>\n" : "<p>None: every logged incident was detected.</p>\n</section>\n",
          f);
}

static void pm_anomalies(FILE *f, const hr_report *r)
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
        code(f, skey(r, x->series));
        fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td><td class=\"n\">%s</td>", ftime(x->start_ms, a, sizeof a),
                ftime(x->end_ms, b, sizeof b), hr_rep_direction_name(x->direction), hr_rep_fmt(x->peak_z, c, sizeof c));
        fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td>", hr_rep_val(&r->s[x->series], x->peak_value, a, sizeof a),
                hr_rep_val(&r->s[x->series], x->expected_value, b, sizeof b));
        size_t j = anomaly_incident(r, k);
        if (j != HR_PM_NONE)
            inc_link(f, j);
        else if (r->anomaly_event && r->anomaly_event[k]) {
            fputs("change: ", f);
            esc(f, r->anomaly_event[k]);
        } else
            fputs("-", f);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n", f);
    if (r->na > MAX_TABLE_ROWS)
        fprintf(f, "<p class=\"note\">%zu more in problems.json.</p>\n", r->na - MAX_TABLE_ROWS);
    fputs("</section>\n", f);
}

static void pm_method(FILE *f, const hr_report *r)
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

char *hr_report_problems_html(const hr_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    sevk *bysev = by_severity(r);
    if (!bysev) {
        fclose(f);
        free(buf);
        return NULL;
    }
    char a[40];
    doc_begin(f, "Problem-management report", r);
    fprintf(f, "<header>\n<h1>Problem-management report</h1>\n<p class=\"meta\">As of %s (last data point). "
               "%zu series analysed, %zu anomalies.</p>\n",
            ftime(r->as_of_ms, a, sizeof a), r->n, r->na);
    header_end(f, r, HR_REP_PROBLEMS,
               "<a href=\"#summary\">Summary</a><a href=\"#timeline\">Timeline</a>"
               "<a href=\"#incidents\">Incidents</a><a href=\"#recurring\">Recurring</a><a href=\"#slos\">SLOs</a>"
               "<a href=\"#log\">Incident log</a><a href=\"#anomalies\">Anomalies</a><a href=\"#method\">Method</a>");
    pm_summary(f, r, bysev);
    int rc = pm_timeline(f, r);
    if (!rc)
        rc = pm_incidents(f, r, bysev);
    if (!rc) {
        pm_recurring(f, r);
        rc = pm_slos(f, r);
    }
    if (!rc) {
        pm_log(f, r);
        pm_anomalies(f, r);
        actions_all(f, r, HR_REP_PROBLEMS);
        pm_method(f, r);
        fputs("</main>\n", f);
        doc_end(f, r);
    }
    free(bysev);
    if (rc) {
        fclose(f);
        free(buf);
        return NULL;
    }
    return finish(f, &buf);
}
