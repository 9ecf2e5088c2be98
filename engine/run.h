/* run.h -- the nightly job: ingest the configured exports, analyse every
 * series in one OpenMP loop, write the reports into OUT/<stamp>/ and
 * repoint OUT/latest. Prints nothing: messages go to the diag callback.
 * Call from one thread; it runs the parallel region itself. */
#ifndef HR_RUN_H
#define HR_RUN_H

#include <stddef.h>

#include "config.h"
#include "err.h"
#include "ingest.h"

typedef struct hr_run_opts {
    const char *out_dir;      /* overrides the config's [output] dir; NULL = config */
    const char *stamp;        /* directory name; NULL = the UTC wall clock */
    hr_diag_fn diag;
    void *diag_ud;
    hr_progress_fn progress;  /* NULL = none */
    void *progress_ud;
} hr_run_opts;

/* Runs the job. On success writes the report directory into report_dir
 * (size bytes). Returns HR_OK or a status with err set. */
int hr_run(const hr_config *cfg, const hr_run_opts *opts, char *report_dir, size_t size, hr_err *err);

#endif
