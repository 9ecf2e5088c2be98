/* run_dist.c -- see run_dist.h. */
#include "run_dist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "dist.h"
#include "fileio.h"

/* Series [*lo, *hi) of rank r of nr: contiguous, with about the same
 * number of points each, the same on every rank. */
void hr_run_rank_range(const hr_seriesset *set, int r, int nr, size_t *lo, size_t *hi)
{
    uint64_t total = 0;
    for (size_t i = 0; i < set->n; i++)
        total += set->s[i].n;
    uint64_t want[2] = {total * (uint64_t)r / (uint64_t)nr, total * (uint64_t)(r + 1) / (uint64_t)nr};
    size_t *out[2] = {lo, hi};
    for (int k = 0; k < 2; k++) {
        uint64_t cum = 0;
        size_t i = 0;
        while (i < set->n && cum < want[k])
            cum += set->s[i++].n;
        *out[k] = r + k == nr ? set->n : i;
    }
    if (*hi < *lo)
        *hi = *lo;
}

uint64_t hr_run_peak_rss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_maxrss > 0 ? (uint64_t)ru.ru_maxrss : 0;
}

/* Rank 0 takes every other rank's results into res[0..n) (a rank's message:
 * its status and error, its range and peak RSS, its packed results) and
 * its first failure, if rc is HR_OK, and each rank's peak RSS into
 * rss_kb[rank] (may be NULL); the other ranks send theirs. Every rank
 * calls it once, whatever rc, so none waits for ever. Returns the
 * status. */
int hr_run_gather(hr_result *res, size_t n, int rc, hr_err *err, int rank, int nranks, size_t lo, size_t hi,
                  uint64_t *rss_kb)
{
    if (rank != 0) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = hr_memstream(&buf, &len);
        int ok = f != NULL;
        if (ok) {
            uint64_t range[3] = {lo, rc == HR_OK ? hi : lo, hr_run_peak_rss_kb()};
            ok = fwrite(&rc, sizeof rc, 1, f) == 1 && fwrite(err, sizeof *err, 1, f) == 1 &&
                 fwrite(range, sizeof range, 1, f) == 1;
            for (size_t i = range[0]; ok && i < range[1]; i++)
                ok = hr_result_pack(&res[i], f) == 0;
            ok = fclose(f) == 0 && ok;
        }
        if (!ok) {
            /* at least the failure: a status and an error, no results */
            int fr = HR_ESOFTWARE;
            hr_err e = {0};
            hr_err_set(&e, HR_ESOFTWARE, "rank %d: out of memory packing its results", rank);
            uint64_t none[3] = {0, 0, 0};
            free(buf);
            len = sizeof fr + sizeof e + sizeof none;
            buf = malloc(len);
            if (buf) {
                memcpy(buf, &fr, sizeof fr);
                memcpy(buf + sizeof fr, &e, sizeof e);
                memcpy(buf + sizeof fr + sizeof e, none, sizeof none);
            }
        }
        int sent = buf ? hr_dist_send(buf, len, 0) : hr_dist_send("", 0, 0);
        free(buf);
        return sent ? HR_ESOFTWARE : rc;
    }
    for (int r = 1; r < nranks; r++) {
        void *buf = NULL;
        size_t len = 0;
        int got = hr_dist_recv(&buf, &len, r);
        const unsigned char *p = buf, *end = p + len;
        int rrc = HR_ESOFTWARE;
        hr_err rerr = {0};
        uint64_t range[3] = {0, 0, 0};
        if (got || len < sizeof rrc + sizeof rerr + sizeof range) {
            hr_err_set(&rerr, HR_ESOFTWARE, "rank %d sent no results", r);
        } else {
            memcpy(&rrc, p, sizeof rrc);
            memcpy(&rerr, p + sizeof rrc, sizeof rerr);
            rerr.msg[sizeof rerr.msg - 1] = '\0';
            memcpy(range, p + sizeof rrc + sizeof rerr, sizeof range);
            p += sizeof rrc + sizeof rerr + sizeof range;
            if (rss_kb)
                rss_kb[r] = range[2];
            if (range[0] > range[1] || range[1] > n) {
                rrc = HR_ESOFTWARE;
                hr_err_set(&rerr, HR_ESOFTWARE, "rank %d sent results of series outside the store", r);
            }
            for (uint64_t i = range[0]; rrc == HR_OK && i < range[1]; i++)
                if (hr_result_unpack(&res[i], &p, end)) {
                    rrc = HR_ESOFTWARE;
                    hr_err_set(&rerr, HR_ESOFTWARE, "rank %d: its results do not unpack (series %llu)", r,
                               (unsigned long long)i);
                }
        }
        free(buf);
        if (rrc != HR_OK && rc == HR_OK) {
            rc = rrc;
            *err = rerr;
        }
    }
    return rc;
}

