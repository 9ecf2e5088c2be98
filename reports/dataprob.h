/* dataprob.h -- what was wrong with a run's input, as every report opens:
 * for now the line saying how old the newest data is against the run's
 * clock. Internal to reports/: report.c and html.c call it; it reads the
 * model only and prints to the stream it is given. Reentrant. */
#ifndef HR_DATAPROB_H
#define HR_DATAPROB_H

#include <stdio.h>

#include "report.h"

/* The age of the newest data against the run's clock, one sentence with
 * no markup ("Newest data 3.2 h before this run (T)."), or nothing when
 * r->run_ms < 0. Markdown and HTML put it under their header. */
void hr_rep_data_age(FILE *f, const hr_report *r);

#endif
