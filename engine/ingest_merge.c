/* ingest_merge.c -- the merge step of the accumulator (hr_ingest_merge,
 * see ingest.h): each series read is sorted and placed on its grid in
 * the series set. Series are independent (one builder per key, one set
 * entry per key), so sorting and placing run in an OpenMP loop over
 * builders; new set entries are made before it and every message is
 * written after it, in builder order, so the result and the messages do
 * not depend on the thread count. Each builder's samples are freed as
 * soon as they are placed, so the grids grow while the samples shrink
 * and the merge's peak is about the samples read, not samples + grids. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_int.h"
#include "timefmt.h"

/* What placing one builder gave, kept for the messages. */
typedef struct placed {
    int rc;
    hr_err err;
    hr_place_stats ps;
} placed;

/* Sorts builder bd's samples and places them on series sr; with
 * present (hr_input_load), *pr receives new flags of the slots that
 * had a sample. The samples become hr_samples in *tmp (the calling
 * thread's scratch, grown as needed; the caller frees it) with seq =
 * their index, which is their input order (ingest_int.h), so the sort
 * by (t_ms, seq) and "last wins" are as if seq had been kept. The
 * builder's array is freed here, placed or not: the merge holds at most
 * one copy of a series' samples beside the grids. Returns an hr_status
 * with err set. */
static int place_one(builder *bd, hr_series *sr, int64_t step_ms, int replace, unsigned char **pr,
                     hr_sample **tmp, size_t *tcap, hr_place_stats *ps, hr_err *err)
{
    memset(ps, 0, sizeof *ps);
    size_t n = bd->n;
    if (n > *tcap) {
        free(*tmp);
        *tcap = 0;
        if (!(*tmp = malloc(n * sizeof **tmp))) {
            free(bd->smp);
            bd->smp = NULL;
            bd->n = bd->cap = 0;
            return hr_err_set(err, HR_ESOFTWARE, "out of memory");
        }
        *tcap = n;
    }
    hr_sample *smp = *tmp;
    for (size_t k = 0; k < n; k++)
        smp[k] = (hr_sample){bd->smp[k].t_ms, bd->smp[k].v, k};
    free(bd->smp);
    bd->smp = NULL;
    bd->cap = 0;
    hr_samples_sort(smp, n);
    int rc = hr_series_place(sr, smp, n, step_ms, replace, ps, err);
    if (rc || !pr)
        return rc;
    unsigned char *f = calloc(sr->n ? sr->n : 1, 1);
    if (!f)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    for (size_t k = 0; k < n; k++) {
        double q = sr->step_ms ? floor((double)(smp[k].t_ms - sr->t0_ms) / (double)sr->step_ms + 0.5) : 0;
        if (q >= 0 && q < (double)sr->n)
            f[(size_t)q] = 1;
    }
    free(*pr);
    *pr = f;
    return HR_OK;
}

int hr_ingest_merge(hr_ingest *ig, hr_seriesset *set, int replace, int *changed, hr_err *err)
{
    *changed = 0;
    hr_strmap idx;
    hr_strmap_init(&idx);
    int rc = HR_OK;
    size_t *si = malloc((ig->nb ? ig->nb : 1) * sizeof *si);
    placed *res = calloc(ig->nb ? ig->nb : 1, sizeof *res);
    if (!si || !res)
        rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
    for (size_t i = 0; i < set->n && rc == HR_OK; i++)
        if (hr_strmap_put(&idx, set->s[i].key, strlen(set->s[i].key), i))
            rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
    /* serial: the set entry of every builder, new keys appended in order */
    for (size_t b = 0; b < ig->nb && rc == HR_OK; b++) {
        builder *bd = &ig->b[b];
        si[b] = hr_strmap_get(&idx, bd->key, strlen(bd->key));
        if (si[b] == (size_t)-1) {
            long k = hr_seriesset_add(set, bd->key, bd->kind);
            if (k < 0) {
                rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
                break;
            }
            si[b] = (size_t)k;
            *changed = 1;
        } else if (bd->kind == HR_COUNTER && set->s[si[b]].kind != HR_COUNTER) {
            set->s[si[b]].kind = HR_COUNTER;
            *changed = 1;
        }
    }
    /* parallel: sort and place, each builder on its own set entry */
    if (rc == HR_OK) {
        long nb = (long)ig->nb;
#pragma omp parallel
        {
            hr_sample *tmp = NULL; /* this thread's scratch */
            size_t tcap = 0;
#pragma omp for schedule(dynamic, 16)
            for (long b = 0; b < nb; b++) {
                size_t s = si[b];
                unsigned char **pr = ig->present && s < ig->npresent ? &(*ig->present)[s] : NULL;
                res[b].rc = place_one(&ig->b[b], &set->s[s], ig->o.step_ms, replace, pr, &tmp, &tcap,
                                      &res[b].ps, &res[b].err);
            }
            free(tmp);
        }
    }
    /* serial: messages in builder order, up to the first failure */
    char tb[40];
    for (size_t b = 0; b < ig->nb && rc == HR_OK; b++) {
        builder *bd = &ig->b[b];
        const hr_place_stats *ps = &res[b].ps;
        if (res[b].rc) {
            rc = hr_err_set(err, res[b].rc, "%s", res[b].err.msg);
            break;
        }
        if (ps->added || ps->replaced || ps->extended)
            *changed = 1;
        if (ps->conflicts)
            hr_ig_diag(ig, HR_DIAG_WARN,
                 "series %s: %zu values differ from the stored ones (first at %s); kept the "
                 "stored values (use --replace to overwrite)",
                 bd->key, ps->conflicts, hr_time_format(ps->first_conflict_ms, tb, sizeof tb));
        if (ps->replaced)
            hr_ig_diag(ig, HR_DIAG_INFO, "series %s: replaced %zu stored values", bd->key, ps->replaced);
        if (ps->offgrid)
            hr_ig_diag(ig, HR_DIAG_WARN,
                 "series %s: %zu samples lie more than a quarter step off the %lld ms grid; "
                 "each was moved to the nearest grid point",
                 bd->key, ps->offgrid, (long long)set->s[si[b]].step_ms);
        if (ps->duplicates)
            hr_ig_diag(ig, HR_DIAG_INFO,
                 "series %s: %zu samples superseded by a later sample for the same grid point",
                 bd->key, ps->duplicates);
    }
    hr_strmap_clear(&idx);
    free(si);
    free(res);
    return rc;
}
