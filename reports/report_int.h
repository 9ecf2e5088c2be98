/* report_int.h -- internal to the text renderers (reports/report*.c),
 * not part of the public API (that is report.h). Declares what one
 * renderer file uses from another: JSON value builders and Markdown
 * pieces from report.c, the actions block (JSON in report_pm_json.c,
 * Markdown in report_pm_md.c). Contracts are in the comment above each
 * definition. */
#ifndef HR_REPORT_INT_H
#define HR_REPORT_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"

/* report.c */
json_t *hr_rep_jnum(double x);
json_t *hr_rep_jtime(int64_t t);
json_t *hr_rep_jdate(int64_t t);
json_t *hr_rep_jstr(const char *s);
/* The JSON text of root (freed): keys sorted, indent 2, every real as
 * the shortest text that reads back the same double (".0" kept on
 * integral ones), ending with a newline; NULL when out of memory. */
char *hr_rep_dump(json_t *root);
/* x[0..n) as a JSON array of reals (null for non-finite) on one line,
 * written by hr_rep_dump straight into the text instead of as n jansson
 * values: for the long chart arrays. x must live until the dump. */
json_t *hr_rep_jnums(const double *x, size_t n);
size_t hr_rep_top_unexplained(const hr_report *r, const hr_rep_series **us, const hr_rep_step **ust);
void hr_rep_md_data_head(FILE *f, const hr_report *r);
/* The per-service rollup (services.h): the "services" array both JSON
 * reports carry (NULL: out of memory), and the Markdown "## Services"
 * section (nothing when there are no services; -1 when out of memory,
 * and the report must not be written without it, else 0). */
json_t *hr_rep_services_json(const hr_report *r);
int hr_rep_md_services(FILE *f, const hr_report *r);

/* report_pm_json.c */
const char *hr_rep_phase_text(const hr_pm_recur *p, char *b, size_t n);
json_t *hr_rep_actions_json(const hr_report *r, int which);

/* deploys.c: the incident's "changes" list and problems.json's "changes"
 * object (null without a changes log); problems.md's "## Change
 * management" section (nothing without). */
json_t *hr_rep_incident_changes_json(const hr_report *r, size_t k);
json_t *hr_rep_deploys_json(const hr_report *r);
void hr_rep_md_deploys(FILE *f, const hr_report *r);

/* report_pm_md.c */
void hr_rep_md_actions(FILE *f, const hr_report *r, int which);

#endif
