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
#include <stdio.h>
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

/* Builder bd's samples as hr_samples in *tmp (the calling thread's
 * scratch, grown as needed; the caller frees it) with seq = their index,
 * which is their input order (ingest_int.h), so a sort by (t_ms, seq)
 * and "last wins" are as if seq had been kept. Returns 0, or -1 when
 * out of memory. */
static int as_samples(const builder *bd, hr_sample **tmp, size_t *tcap)
{
    size_t n = bd->n;
    if (n > *tcap) {
        free(*tmp);
        *tcap = 0;
        if (!(*tmp = malloc(n * sizeof **tmp)))
            return -1;
        *tcap = n;
    }
    hr_sample *smp = *tmp;
    for (size_t k = 0; k < n; k++)
        smp[k] = (hr_sample){bd->smp[k].t_ms, bd->smp[k].v, k};
    return 0;
}

/* Sorts builder bd's samples in place (stably: among equal times input
 * order stays) and plans the grid they give series sr (series.h), so
 * that every grid can be checked before any is allocated. */
static int plan_one(builder *bd, const hr_series *sr, int64_t step_ms, hr_sample **tmp, size_t *tcap,
                    hr_grid_plan *pl, hr_err *err)
{
    if (as_samples(bd, tmp, tcap))
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    hr_sample *smp = *tmp;
    hr_samples_sort(smp, bd->n);
    for (size_t k = 0; k < bd->n; k++)
        bd->smp[k] = (hr_rawpt){smp[k].t_ms, smp[k].v};
    return hr_series_plan(sr, smp, bd->n, step_ms, pl, err);
}

/* Places builder bd's samples (sorted by plan_one) on series sr at the
 * planned step; with present (hr_input_load), *pr receives new flags of
 * the slots that had a sample. The builder's array is freed here,
 * placed or not: the merge holds at most one copy of a series' samples
 * beside the grids. Returns an hr_status with err set. */
static int place_one(builder *bd, hr_series *sr, int64_t step_ms, int replace, unsigned char **pr,
                     hr_sample **tmp, size_t *tcap, hr_place_stats *ps, hr_err *err)
{
    memset(ps, 0, sizeof *ps);
    size_t n = bd->n;
    int oom = as_samples(bd, tmp, tcap);
    free(bd->smp);
    bd->smp = NULL;
    bd->n = bd->cap = 0;
    if (oom)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    hr_sample *smp = *tmp;
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

/* A step for messages: "60 s", "250 ms". */
static const char *step_text(int64_t ms, char *buf, size_t size)
{
    if (ms % 1000 == 0)
        snprintf(buf, size, "%lld s", (long long)(ms / 1000));
    else
        snprintf(buf, size, "%lld ms", (long long)ms);
    return buf;
}

/* Bytes as "1.5 GiB" for the budget's message. */
static const char *bytes_text(double b, char *buf, size_t size)
{
    static const char *u[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int i = 0;
    while (b >= 1024 && i < 5) {
        b /= 1024;
        i++;
    }
    snprintf(buf, size, i ? "%.1f %s" : "%.0f %s", b, u[i]);
    return buf;
}

/* Refuses a grid that so few points would fill (HR_SPARSE_MIN_FILL of
 * at least HR_SPARSE_MIN_SLOTS slots): names the series, its span and
 * step, and where its outlying timestamp was read. */
static int check_sparse(const hr_ingest *ig, const builder *bd, const hr_grid_plan *pl, hr_err *err)
{
    if (pl->slots < HR_SPARSE_MIN_SLOTS || (double)pl->filled >= HR_SPARSE_MIN_FILL * (double)pl->slots)
        return HR_OK;
    char tb[3][40], sb[32], at[600] = "";
    int64_t t = pl->far_low ? bd->tmin : bd->tmax;
    unsigned long f = pl->far_low ? bd->fmin : bd->fmax, l = pl->far_low ? bd->lmin : bd->lmax;
    if (f >= 1 && f <= ig->nfpath && l)
        snprintf(at, sizeof at, " (%s:%lu)", ig->fpath[f - 1], l);
    else if (f >= 1 && f <= ig->nfpath)
        snprintf(at, sizeof at, " (in %s)", ig->fpath[f - 1]);
    return hr_err_set(err, HR_EINPUT,
                      "series %s: %zu points would fill %.2g %% of the %zu slots its span from %s to %s "
                      "needs at a step of %s; its %s timestamp %s%s lies far from the others: fix or "
                      "remove that row (a mistyped date?)",
                      bd->key, pl->filled, 100.0 * (double)pl->filled / (double)pl->slots, pl->slots,
                      hr_time_format(pl->t_first, tb[0], sizeof tb[0]),
                      hr_time_format(pl->t_last, tb[1], sizeof tb[1]), step_text(pl->step_ms, sb, sizeof sb),
                      pl->far_low ? "earliest" : "latest", hr_time_format(t, tb[2], sizeof tb[2]), at);
}

/* The checks between planning and placing: a plan that failed, a grid
 * too sparse (check_sparse) or too long (HR_MAX_POINTS), and the memory
 * budget for all grids afterwards (the set's other series as they are,
 * plus the slot flags of hr_input_load). */
static int check_plans(const hr_ingest *ig, const hr_seriesset *set, const size_t *si, const hr_grid_plan *pl,
                       const placed *res, hr_err *err)
{
    char tb[2][40], sb[32], b1[32], b2[32];
    double total = 0, per_slot = sizeof(double) + (ig->present ? 1 : 0);
    size_t big = (size_t)-1;
    for (size_t i = 0; i < set->n; i++)
        total += (double)set->s[i].n * per_slot;
    for (size_t b = 0; b < ig->nb; b++) {
        const builder *bd = &ig->b[b];
        if (res[b].rc)
            return hr_err_set(err, res[b].rc, "%s", res[b].err.msg);
        int rc = check_sparse(ig, bd, &pl[b], err);
        if (rc)
            return rc;
        if (pl[b].slots > HR_MAX_POINTS)
            return hr_err_set(err, HR_EINPUT,
                              "series %s: timestamps from %s to %s at a step of %s need %zu points (limit "
                              "%zu): look for a stray timestamp or give the step",
                              bd->key, hr_time_format(pl[b].t_first, tb[0], sizeof tb[0]),
                              hr_time_format(pl[b].t_last, tb[1], sizeof tb[1]),
                              step_text(pl[b].step_ms, sb, sizeof sb), pl[b].slots, HR_MAX_POINTS);
        total += ((double)pl[b].slots - (double)set->s[si[b]].n) * per_slot;
        if (big == (size_t)-1 || pl[b].slots > pl[big].slots)
            big = b;
    }
    if (ig->o.mem_budget && total > (double)ig->o.mem_budget && big != (size_t)-1)
        return hr_err_set(err, HR_EINPUT,
                          "the series' grids would take %s, over the memory budget of %s ([ingest] memory, "
                          "--memory); the largest is %s, %zu points from %s to %s at a step of %s",
                          bytes_text(total, b1, sizeof b1), bytes_text((double)ig->o.mem_budget, b2, sizeof b2),
                          ig->b[big].key, pl[big].slots, hr_time_format(pl[big].t_first, tb[0], sizeof tb[0]),
                          hr_time_format(pl[big].t_last, tb[1], sizeof tb[1]),
                          step_text(pl[big].step_ms, sb, sizeof sb));
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
    /* parallel: sort and plan each builder's grid */
    hr_grid_plan *pl = rc == HR_OK ? calloc(ig->nb ? ig->nb : 1, sizeof *pl) : NULL;
    if (rc == HR_OK && !pl)
        rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
    long nb = (long)ig->nb;
    if (rc == HR_OK) {
#pragma omp parallel
        {
            hr_sample *tmp = NULL; /* this thread's scratch */
            size_t tcap = 0;
#pragma omp for schedule(dynamic, 16)
            for (long b = 0; b < nb; b++)
                res[b].rc = plan_one(&ig->b[b], &set->s[si[b]], ig->o.step_ms, &tmp, &tcap, &pl[b], &res[b].err);
            free(tmp);
        }
    }
    /* serial, in builder order: every grid checked before any grows */
    if (rc == HR_OK)
        rc = check_plans(ig, set, si, pl, res, err);
    /* parallel: place, each builder on its own set entry */
    if (rc == HR_OK) {
#pragma omp parallel
        {
            hr_sample *tmp = NULL;
            size_t tcap = 0;
#pragma omp for schedule(dynamic, 16)
            for (long b = 0; b < nb; b++) {
                size_t s = si[b];
                unsigned char **pr = ig->present && s < ig->npresent ? &(*ig->present)[s] : NULL;
                res[b].rc = place_one(&ig->b[b], &set->s[s], pl[b].step_ms, replace, pr, &tmp, &tcap,
                                      &res[b].ps, &res[b].err);
            }
            free(tmp);
        }
    }
    free(pl);
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
