/* outdir.h -- the output folder of `run`: the report folders in it
 * (OUT/<stamp>, written as OUT/.<stamp>.partial and renamed when
 * complete), the link OUT/latest, what a killed run left, the previous
 * folder a run compares with, and [output] keep. Durable: folders are
 * fsynced after every rename. Messages go through the run's diag. */
#ifndef HR_OUTDIR_H
#define HR_OUTDIR_H

#include <stddef.h>

#include "err.h"
#include "report.h"
#include "run.h"

/* Writes the report files into OUT/<stamp> (OUT/<stamp>-2... on a clash)
 * and points OUT/latest at it; the folder's path into dir. On failure
 * latest still points at the old folder and no new folder is left. */
int hr_outdir_publish(const hr_report *rep, const char *out, const char *stamp, char *dir, size_t size,
                      hr_err *err);
/* Removes the half-written folders and link a killed run left in out
 * (the caller holds the store's lock); says how many. */
void hr_outdir_clean_partial(const char *out, const hr_run_opts *o);
/* The previous report folder into b: compare_dir, else the one
 * OUT/latest points to; 0 when there is none. */
int hr_outdir_previous(const char *out, const char *compare_dir, char *b, size_t n);
/* [output] keep: removes the report folders beyond the newest keep
 * (never the one latest points to); failures are warnings. */
void hr_outdir_prune(const char *out, long keep, const hr_run_opts *o);

#endif
