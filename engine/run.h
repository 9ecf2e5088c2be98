/* run.h -- the nightly job: ingest the configured exports, analyse every
 * series in one OpenMP loop, write the reports into OUT/<stamp>/ and
 * repoint OUT/latest. Prints nothing: messages go to the diag callback.
 * Call from one thread; it runs the parallel region itself. */
#ifndef HR_RUN_H
#define HR_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "analyze.h"
#include "ingest.h"

typedef struct hr_run_opts {
    const char *out_dir;      /* overrides the config's [output] dir; NULL = config */
    const char *stamp;        /* directory name; NULL = the run's clock (now_ms) as a UTC stamp */
    int64_t now_ms;           /* the run's clock, UTC ms: the stamp and the reports'
                                 "newest data ... before this run" line; 0 = the wall clock */
    const char *compare_dir;  /* the report folder to compare with; NULL = the
                                 one OUT/latest points to before this run */
    hr_diag_fn diag;
    void *diag_ud;
    hr_progress_fn progress;  /* NULL = none */
    void *progress_ud;
} hr_run_opts;

/* The growth split of every series of set, in one parallel loop; out has
 * set->n slots (free each with hr_growth_out_clear). Per-series failures
 * are in errs[i] (code 0 = fine). Returns HR_OK or a fatal status. */
int hr_run_growth_all(const hr_seriesset *set, const hr_growth_cfg *cfg, hr_growth_out *out, hr_err *errs,
                      hr_err *err);

/* Level shifts smaller than this share of the level are organic noise for
 * capacity planning: not reported as inorganic steps (3%). */
#define HR_MIN_STEP_PCT 3.0

typedef struct hr_capacity_opts {
    const char *resources;    /* inventory CSV (required) */
    const char *events;       /* events calendar CSV or NULL */
    double horizon_days;
    const char *out_dir;
    hr_format format;
    const hr_tz *tz;          /* zone of times without a UTC offset; NULL = UTC */
} hr_capacity_opts;

/* The capacity stage alone (`headroom capacity`): reads INPUT (exports or
 * stores), analyses every series as `run` does, and writes capacity.json
 * and capacity.md straight into co->out_dir (created if missing). */
int hr_capacity(char *const *inputs, size_t ninputs, const hr_capacity_opts *co, const hr_run_opts *o, hr_err *err);

/* Causal anomaly scores of nseries sequences (one parallel loop):
 * score[i][0..n[i]) from x[i], t[i] (models/detect.h); level, when not
 * NULL, gets the unsuppressed scores that hr_det_spans continues on. */
int hr_run_detect(const double *const *x, const int64_t *const *t, const size_t *n, size_t nseries, double **score,
                  double **level, hr_err *err);

/* What a published run left out or could not trust (the reports' data
 * problems). */
typedef struct hr_run_outcome {
    size_t files_skipped;     /* exports dropped ([ingest] on_bad_file = skip) */
    size_t stale_series;      /* series older than [input] stale_after */
} hr_run_outcome;

/* Runs the job. Compares it with the previous report folder
 * (opts->compare_dir, else the one OUT/latest pointed to; none on a
 * first run) for first_seen and changes.json / changes.md
 * (reports/changes.h): an unreadable --compare folder is an error, an
 * unreadable latest folder a warning (compared with nothing). After
 * publishing, [output] keep = N removes the report folders beyond the
 * newest N (never the one latest points to; a failed removal warns).
 * On success writes the report directory into report_dir
 * (size bytes) and, when out is not NULL, what the reports list as data
 * problems. Returns HR_OK (also when files were skipped: the reports are
 * published) or a status with err set. */
int hr_run(const hr_config *cfg, const hr_run_opts *opts, char *report_dir, size_t size, hr_run_outcome *out,
           hr_err *err);

#endif
