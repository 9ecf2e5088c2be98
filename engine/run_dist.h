/* run_dist.h -- the part of `run` that spans the ranks of an MPI job
 * (engine/dist.h moves the bytes): which series each rank analyses and
 * how rank 0 gathers the others' results. Internal to engine/run.c. */
#ifndef HR_RUN_DIST_H
#define HR_RUN_DIST_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"
#include "err.h"
#include "series.h"

/* Series [*lo, *hi) of rank r of nr: contiguous, about the same number
 * of points each, the same on every rank. */
void hr_run_rank_range(const hr_seriesset *set, int r, int nr, size_t *lo, size_t *hi);
/* The process's peak resident memory so far, KiB. */
uint64_t hr_run_peak_rss_kb(void);
/* Rank 0 takes every other rank's results into res[0..n) and the first
 * failure, if rc is HR_OK, and each rank's peak RSS into rss_kb (may be
 * NULL); the other ranks send theirs (res[lo..hi)). Every rank calls it
 * once, whatever rc. Returns the status. */
int hr_run_gather(hr_result *res, size_t n, int rc, hr_err *err, int rank, int nranks, size_t lo, size_t hi,
                  uint64_t *rss_kb);

#endif
