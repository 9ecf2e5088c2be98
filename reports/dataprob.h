/* dataprob.h -- what was wrong with a run's input, as every report opens:
 * the exports left out ([ingest] on_bad_file = skip) with their located
 * errors, the stale series, and the line saying how old the newest data
 * is against the run's clock. Internal to reports/: the report_*.c and html*.c renderers
 * call it; it reads the model only and prints to the stream it is given.
 * Reentrant. */
#ifndef HR_DATAPROB_H
#define HR_DATAPROB_H

#include <jansson.h>
#include <stdio.h>

#include "report.h"

/* True when the model has a data problem to show (a skipped file or a
 * stale series). */
int hr_rep_has_data_problems(const hr_report *r);

/* The "data_problems" object of both JSON reports, always present:
 * skipped_files[] (path, error, first_rejected_row), stale_series[]
 * (series, last_point, age_s against as_of, status_at_last_point) and
 * stale_after_s. No clock:
 * identical data gives identical JSON. Returns a new reference or NULL. */
json_t *hr_rep_data_problems_json(const hr_report *r);

/* "## Data problems" with its tables, only when there are problems. */
void hr_rep_data_problems_md(FILE *f, const hr_report *r);
/* <section id="data-problems">, only when there are problems. */
void hr_rep_data_problems_html(FILE *f, const hr_report *r);

/* The age of the newest data against the run's clock, one sentence with
 * no markup ("Newest data 3.2 h before this run (T)."), or nothing when
 * r->run_ms < 0. Markdown and HTML put it under their header. */
void hr_rep_data_age(FILE *f, const hr_report *r);

/* Markdown text for a table cell or a sentence: '|' escaped, line breaks
 * as blanks, '<', '>' and '&' as entities, so nothing from an input file
 * renders as HTML (report.c). */
void hr_rep_md_cell(FILE *f, const char *s);
/* s as a Markdown code span (its own backtick fence, longer than any run
 * of backticks in s; '|' escaped, line breaks as blanks). */
void hr_rep_md_code(FILE *f, const char *s);

#endif
