/* html.c -- the pieces both HTML reports share (see html_int.h): number
 * and time formatting, HTML escaping, the document head with its inline
 * CSS, the header line and footer, and the "what to do" actions block.
 * Also the per-service rollup section both reports show (hr_html_services).
 * The two reports themselves live in html_capacity.c (capacity.html,
 * with its charts in html_capchart.c) and html_problems.c (problems.html,
 * with html_incidents.c and html_slos.c); SVG primitives in svg.c.
 *
 * Both reports are self-contained HTML5 documents (see report.h): inline
 * <style> and inline SVG charts (reports/svg.h), no scripts, nothing
 * fetched. The markup is also well-formed XML (every element closed,
 * attributes quoted), so it can be checked with an XML parser. Numbers use
 * the Markdown renderer's formatting (hr_rep_fmt: 4 significant digits;
 * dates hr_rep_fdate; times RFC 3339; percentages hr_rep_pct), so HTML,
 * Markdown and JSON agree. Output is a pure function of the model: no
 * pointers, no clock but the model's run_ms in the header line on the
 * data's age; identical data and run_ms give identical bytes. */
#include "html_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "dataprob.h"
#include "services.h"
#include "svg.h"
#include "timefmt.h"
#include "units.h"

/* ---- formatting ---------------------------------------------------------- */

void hr_html_esc(FILE *f, const char *s) { hr_svg_esc(f, s); }

/* A series key (or other identifier) as <code>, with break opportunities
 * (<wbr/>) before '{' and after ',', where a label set can wrap in a
 * narrow table cell ("-" for NULL). */
void hr_html_code(FILE *f, const char *s)
{
    /* the pieces go through a buffer on the stack: a failed malloc must
     * not change the page (same data, same bytes), and keys are short */
    char sb[1024];
    size_t n = s ? strlen(s) : 0;
    char *t = !s ? NULL : n < sizeof sb ? sb : malloc(n + 1);
    if (!t) {
        fputs("<code>", f);
        hr_html_esc(f, s ? s : "-");
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
        hr_html_esc(f, t);
        if (i < n)
            fputs("<wbr/>", f);
        a = e;
    }
    fputs("</code>", f);
    if (t != sb)
        free(t);
}

/* a percentage with the given decimals ("-" when missing) */
const char *hr_html_pctd(double x, int dec, char *b, size_t n)
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
const char *hr_html_hours(double ms, char *b, size_t n)
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
const char *hr_html_dur(int64_t ms, char *b, size_t n)
{
    hr_rep_fdur(ms, b, n);
    hr_svg_fix_neg_zero(b);
    return b;
}

const char *hr_html_ftime(int64_t t, char *b, size_t n)
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
    return t >= 0 && t % DAY_MS == 0 ? hr_rep_fdate(t, b, n) : hr_html_ftime(t, b, n);
}

const char *hr_html_skey(const hr_report *r, size_t i) { return i < r->n && r->s[i].key ? r->s[i].key : "?"; }

int hr_html_overdue(const hr_report *r, int64_t t) { return t >= 0 && t < r->as_of_day_ms; }

/* Closes the memory stream: the text, or NULL when any write failed
 * (out of memory). */
char *hr_html_finish(FILE *f, char *const *buf)
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

void hr_html_doc_begin(FILE *f, const char *title, const hr_report *r)
{
    char a[40];
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
          "<meta name=\"color-scheme\" content=\"light\"/>\n<title>",
          f);
    hr_html_esc(f, title);
    fprintf(f, ", as of %s</title>\n<style>\n", hr_html_ftime(r->as_of_ms, a, sizeof a));
    fputs(page_css, f);
    hr_svg_css(f);
    fputs("</style>\n</head>\n<body>\n", f);
}

void hr_html_doc_end(FILE *f, const hr_report *r)
{
    char a[40];
    fputs("<footer>\n<p>Models: ", f);
    hr_html_esc(f, r->models ? r->models : "-");
    fprintf(f, "</p>\n<p>As of %s (the last data timestamp). Report schema version %d. "
               "Generated by headroom from the run's data alone: the same data gives the same "
               "document%s.</p>\n</footer>\n</body>\n</html>\n",
            hr_html_ftime(r->as_of_ms, a, sizeof a), HR_REPORT_SCHEMA,
            r->run_ms >= 0 ? ", but for the header line on the run's clock" : "");
}

/* Closes the header (age of the data and the table of contents, whose
 * first entries are the data problems when there are any and the
 * changes since the last run) and opens <main> with those two sections.
 * toc holds the report's own entries; which is the report. */
void hr_html_header_end(FILE *f, const hr_report *r, int which, const char *toc)
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
    /* on the stack when it fits: a failed malloc must not change the
     * page (same data, same bytes); the payloads are small fields */
    char sb[1024];
    char *t = cap < sizeof sb ? sb : malloc(cap + 1);
    if (!t) {
        fputs("?", f);
        return;
    }
    memcpy(t, s, cap);
    t[cap] = '\0';
    hr_html_esc(f, t);
    if (t != sb)
        free(t);
}

static int same_str(const char *x, const char *y) { return x == y || (x && y && strcmp(x, y) == 0); }

/* The suggested actions of one report, in the model's order (priority,
 * due date, rule): the first `limit` of them (0: all) under a heading
 * with the given id, then how many more there are and where. */
void hr_html_actions_block(FILE *f, const hr_report *r, int which, size_t limit, const char *id, const char *more)
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
          "<th>due</th><th>evidence</th><th>id</th><th>first seen</th></tr></thead>\n<tbody>\n",
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
            hr_html_esc(f, x->rule);
            fputs(")</span>", f);
        }
        fputs("</td><td>", f);
        hr_html_esc(f, x->owner ? x->owner : "unassigned");
        fprintf(f, "</td><td>%s%s</td><td class=\"w\">", hr_rep_fdate(x->due_ms, a, sizeof a),
                hr_html_overdue(r, x->due_ms) ? " <span class=\"overdue\">(overdue)</span>" : "");
        size_t nev = x->nev < HR_ACTION_MAX_EVIDENCE ? x->nev : HR_ACTION_MAX_EVIDENCE;
        /* the series once when all the evidence rests on one */
        int one = nev > 0 && x->ev[0].series;
        for (size_t k = 1; k < nev; k++)
            one &= same_str(x->ev[k].series, x->ev[0].series);
        if (one) {
            hr_html_code(f, x->ev[0].series);
            fputc(':', f);
        }
        fputs("<ul class=\"ev\">", f);
        for (size_t k = 0; k < nev; k++) {
            const hr_rep_evidence *e = &x->ev[k];
            fputs("<li>", f);
            if (!one && e->series) {
                hr_html_code(f, e->series);
                fputs(": ", f);
            }
            esc_buf(f, e->what, sizeof e->what);
            fprintf(f, " = %s", e->unit ? hr_fmt_unit(e->value, e->unit, a, sizeof a) : hr_rep_fmt(e->value, a, sizeof a));
            if (e->t_ms >= 0)
                fprintf(f, " (%s)", fwhen(e->t_ms, b, sizeof b));
            fputs("</li>", f);
        }
        fputs("</ul></td><td><code>", f);
        esc_buf(f, x->id, sizeof x->id);
        fprintf(f, "</code></td><td>%s</td></tr>\n", hr_rep_fdate(x->first_seen_ms, a, sizeof a));
    }
    fputs("</tbody>\n</table></div>\n", f);
    if (cnt > shown && more)
        fprintf(f, "<p class=\"note\">%zu more in <a href=\"#%s\">all suggested actions</a>.</p>\n", cnt - shown,
                more);
}

/* The full list at the end, when the summary showed only the first. */
void hr_html_actions_all(FILE *f, const hr_report *r, int which)
{
    size_t cnt = 0;
    for (size_t i = 0; i < r->nactions; i++)
        cnt += r->actions[i].report == which;
    if (cnt <= TOP_N)
        return;
    fputs("<section id=\"actions-all\">\n<h2>All suggested actions</h2>\n", f);
    hr_html_actions_block(f, r, which, 0, "actions-list", NULL);
    fputs("</section>\n", f);
}

/* The "Services" section both reports show (services.h): one row per
 * service, "-" for the series without a service label (the section is
 * there without rows too: the table of contents links to it). -1 when
 * out of memory. */
int hr_html_services(FILE *f, const hr_report *r)
{
    hr_rep_services sv;
    if (hr_rep_services_build(r, &sv))
        return -1;
    if (!sv.n) {
        fputs("<section id=\"services\">\n<h2>Services</h2>\n<p>No series: nothing to roll up.</p>\n</section>\n", f);
        hr_rep_services_clear(&sv);
        return 0;
    }
    char b[48];
    fputs("<section id=\"services\">\n<h2>Services</h2>\n<p class=\"note\">Per service (the <code>service</code> "
          "label; - : series without one): resources with a capacity and their status, units to order per "
          "kind, detected incidents touching it by level, and its SLOs with the error budget left, lowest "
          "first.</p>\n<div class=\"tw\"><table>\n<thead><tr><th>service</th><th class=\"n\">resources</th>"
          "<th class=\"n\">saturated</th><th class=\"n\">order overdue</th><th class=\"n\">order now</th>"
          "<th>orders</th><th class=\"n\">critical</th><th class=\"n\">major</th><th class=\"n\">minor</th>"
          "<th>SLOs (budget left)</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t q = 0; q < sv.n; q++) {
        const hr_rep_service *p = &sv.v[q];
        fputs("<tr><td>", f);
        hr_html_esc(f, p->service ? p->service : "-");
        fprintf(f, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                   "<td class=\"n\">%zu</td><td>",
                p->resources, p->saturated, p->order_overdue, p->order_now);
        if (!p->orders.n)
            fputs("-", f);
        for (size_t k = 0; k < p->orders.n; k++) {
            const hr_rep_order_kind *o = &p->orders.k[k];
            fprintf(f, "%s%ld x ", k ? "; " : "", o->units);
            if (o->named)
                hr_html_esc(f, o->kind);
            else
                hr_html_code(f, o->kind);
            if (isfinite(o->cost))
                fprintf(f, " (%s)", hr_fmt_unit(o->cost, r->currency, b, sizeof b));
        }
        fprintf(f, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td>",
                p->incidents[HR_PM_CRITICAL], p->incidents[HR_PM_MAJOR], p->incidents[HR_PM_MINOR]);
        if (!p->nslo)
            fputs("-", f);
        for (size_t k = 0; k < p->nslo; k++) {
            fputs(k ? "; " : "", f);
            hr_html_esc(f, p->slo[k].name ? p->slo[k].name : "-");
            fprintf(f, " %s", hr_rep_pct(100 * p->slo[k].budget_left, 0, b, sizeof b));
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n</section>\n", f);
    hr_rep_services_clear(&sv);
    return 0;
}
