/* html_int.h -- internal to the HTML reports (reports/html*.c), not part
 * of the public API (that is report.h). Declares the pieces one HTML file
 * uses from another: shared formatting and document parts from html.c,
 * the capacity charts of html_capchart.c, and the problems.html sections
 * and helpers split over html_problems.c, html_incidents.c and
 * html_slos.c. Contracts are in the comment above each definition.
 * Everything here writes to a caller's FILE and keeps no state. */
#ifndef HR_HTML_INT_H
#define HR_HTML_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"

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

/* html.c */
void hr_html_esc(FILE *f, const char *s);
void hr_html_code(FILE *f, const char *s);
const char *hr_html_pctd(double x, int dec, char *b, size_t n);
const char *hr_html_hours(double ms, char *b, size_t n);
const char *hr_html_dur(int64_t ms, char *b, size_t n);
const char *hr_html_ftime(int64_t t, char *b, size_t n);
const char *hr_html_skey(const hr_report *r, size_t i);
int hr_html_overdue(const hr_report *r, int64_t t);
char *hr_html_finish(FILE *f, char *const *buf);
void hr_html_doc_begin(FILE *f, const char *title, const hr_report *r);
void hr_html_doc_end(FILE *f, const hr_report *r);
void hr_html_header_end(FILE *f, const hr_report *r, int which, const char *toc);
void hr_html_actions_block(FILE *f, const hr_report *r, int which, size_t limit, const char *id, const char *more);
void hr_html_actions_all(FILE *f, const hr_report *r, int which);
int hr_html_services(FILE *f, const hr_report *r);

/* html_capchart.c */
int hr_html_has_chart(const hr_rep_series *s);
void hr_html_chart_capacity(FILE *f, const hr_report *r, const hr_rep_series *s);
void hr_html_chart_organic(FILE *f, const hr_rep_series *s);

/* html_problems.c */
/* incidents by severity (higher first), then index */
typedef struct sevk {
    size_t k;
    double sev;
} sevk;
int hr_html_have_map(const hr_report *r);
size_t hr_html_anomaly_incident(const hr_report *r, size_t k);
size_t *hr_html_recurring_map(const hr_report *r);
void hr_html_rec_link(FILE *f, size_t p);
const char *hr_html_level_cls(int level);
void hr_html_inc_link(FILE *f, size_t k);
/* Series i's key as a link to its row of the resources table in
 * capacity.html (id "r-<i>"); the key alone when it has no capacity. */
void hr_html_cap_link(FILE *f, const hr_report *r, size_t i);
/* The incidents series i takes part in, as links to their rows in
 * problems.html (the latest `max` of them, then "+N"); "-" when none. */
void hr_html_series_incidents(FILE *f, const hr_report *r, size_t i, size_t max);
void hr_html_level_span(FILE *f, int level);
size_t hr_html_inc_logrow(const hr_report *r, size_t k);
void hr_html_log_cell(FILE *f, const hr_report *r, size_t k);
const char *hr_html_recur_when(const hr_pm_recur *x, char *b, size_t n);
const char *hr_html_sev_name(int sev);
void hr_html_rule_text(FILE *f, const hr_slo_result *res, size_t k);
int hr_html_slo_decimals(const hr_slo_result *res, double objective);

/* html_incidents.c */
int hr_html_pm_timeline(FILE *f, const hr_report *r);
int hr_html_pm_incidents(FILE *f, const hr_report *r, const sevk *bysev);
/* The member strip chart of incident k (one bar per member from onset
 * to end, MAX_STRIP_ROWS at most) as an <svg>; standalone adds the SVG
 * namespace and the chart CSS, for a .svg file of its own. Nothing when
 * the incident has no members. */
void hr_html_inc_strip_svg(FILE *f, const hr_report *r, size_t k, int standalone);

/* html_slos.c */
void hr_html_pm_recurring(FILE *f, const hr_report *r);
int hr_html_pm_slos(FILE *f, const hr_report *r);
void hr_html_pm_log(FILE *f, const hr_report *r);
/* html_deploys.c: the "Change management" section (id "deploys"; nothing
 * without a changes log) */
void hr_html_pm_deploys(FILE *f, const hr_report *r);
void hr_html_pm_anomalies(FILE *f, const hr_report *r);
void hr_html_pm_method(FILE *f, const hr_report *r);

#endif
