/* run.c -- see run.h. */
#include "run.h"

#include <errno.h>
#include <glob.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "actions.h"
#include "analyze.h"
#include "changes.h"
#include "detect.h"
#include "dist.h"
#include "fileio.h"
#include "forecast.h"
#include "growth.h"
#include "outdir.h"
#include "pm.h"
#include "prevrun.h"
#include "report.h"
#include "run_dist.h"
#include "store.h"
#include "strmap.h"
#include "tables.h"
#include "timefmt.h"
#include "units.h"

static void say(const hr_run_opts *o, int level, const char *msg)
{
    if (o->diag)
        o->diag(level, msg, o->diag_ud);
}

/* The wall and CPU time of a stage, for -v: where a night's minutes go,
 * and (CPU over wall) how well it used the threads. */
typedef struct stage_clock {
    double wall, cpu;
} stage_clock;

static stage_clock clock_now(void)
{
    stage_clock c;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    c.wall = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
    struct rusage ru;
    c.cpu = getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
                                                   (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec
                                             : 0;
    return c;
}

static void say_time(const hr_run_opts *o, const char *stage, stage_clock *t0)
{
    stage_clock t = clock_now();
    char msg[160];
    snprintf(msg, sizeof msg, "%s: %.2f s wall, %.2f s CPU", stage, t.wall - t0->wall, t.cpu - t0->cpu);
    say(o, HR_DIAG_INFO, msg);
    *t0 = t;
}

/* Expands the export globs (each must match something), in glob order. */
static int expand(const hr_config *cfg, char ***files, size_t *n, hr_err *err)
{
    *files = NULL;
    *n = 0;
    for (size_t i = 0; i < cfg->nexports; i++) {
        glob_t g;
        int r = glob(cfg->exports[i], 0, NULL, &g);
        if (r == GLOB_NOMATCH || (r == 0 && g.gl_pathc == 0)) {
            globfree(&g);
            return hr_err_set(err, HR_ENOINPUT, "%s: [ingest] exports: no file matches \"%s\"", cfg->path,
                              cfg->exports[i]);
        }
        /* out of memory is 70, not an I/O error (globfree after any
         * failure is safe: glibc's leaves gl_pathv NULL) */
        if (r == GLOB_NOSPACE) {
            globfree(&g);
            return hr_err_set(err, HR_ESOFTWARE, "out of memory expanding \"%s\"", cfg->exports[i]);
        }
        if (r != 0) {
            globfree(&g);
            return hr_err_set(err, HR_EIO, "%s: [ingest] exports: cannot read \"%s\"", cfg->path,
                              cfg->exports[i]);
        }
        char **p = realloc(*files, (*n + g.gl_pathc) * sizeof *p);
        if (!p) {
            globfree(&g);
            return hr_err_set(err, HR_ESOFTWARE, "out of memory");
        }
        *files = p;
        for (size_t k = 0; k < g.gl_pathc; k++)
            if (!(p[(*n)++] = strdup(g.gl_pathv[k]))) {
                globfree(&g);
                return hr_err_set(err, HR_ESOFTWARE, "out of memory");
            }
        globfree(&g);
    }
    return HR_OK;
}

static int cmp_anom(const void *a, const void *b, const hr_rep_series *s)
{
    const hr_rep_anomaly *x = a, *y = b;
    if (x->start_ms != y->start_ms)
        return x->start_ms < y->start_ms ? -1 : 1;
    int c = strcmp(s[x->series].key, s[y->series].key);
    if (c)
        return c;
    return (x->peak_ms > y->peak_ms) - (x->peak_ms < y->peak_ms);
}

/* merge sort with context (qsort_r is not C11): stable, total order */
static void sort_anoms(hr_rep_anomaly *a, size_t n, hr_rep_anomaly *tmp, const hr_rep_series *s)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_anoms(a, h, tmp, s);
    sort_anoms(a + h, n - h, tmp, s);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_anom(&a[j], &a[i], s) < 0 ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

int hr_run_growth_all(const hr_seriesset *set, const hr_growth_cfg *cfg, hr_growth_out *out, hr_err *errs,
                      hr_err *err)
{
    size_t max_n = 1;
    for (size_t i = 0; i < set->n; i++)
        if (set->s[i].n > max_n)
            max_n = set->s[i].n;
    int ws_failed = 0;
    const long nser = (long)set->n;
#pragma omp parallel reduction(| : ws_failed)
    {
        hr_analyze_ws *ws = hr_analyze_ws_alloc(max_n);
        if (!ws)
            ws_failed = 1;
#pragma omp for schedule(dynamic, 4)
        for (long i = 0; i < nser; i++) {
            memset(&errs[i], 0, sizeof errs[i]);
            memset(&out[i], 0, sizeof out[i]);
            if (ws)
                hr_analyze_growth(&set->s[i], hr_analyze_values(&set->s[i], ws), cfg, ws, &out[i], &errs[i]);
            else
                hr_err_set(&errs[i], HR_ESOFTWARE, "out of memory");
        }
        hr_analyze_ws_free(ws);
    }
    if (ws_failed)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory for the analysis workspaces");
    return HR_OK;
}

/* ---- the shared stages of run and capacity ----------------------------- */

typedef struct stage stage;
static int stage_actions(stage *st, hr_err *err);

/* Everything one analysis of a set of series needs and produces. */
struct stage {
    hr_seriesset set;
    hr_inventory inv;
    hr_events ev;
    hr_strmap idx;
    hr_capacity_in *caps;
    hr_result *res;
    hr_report rep;
    hr_rep_event *revs;
    const hr_rep_event **planned;
    hr_rep_step *steps;
    hr_pm_stage pm;
    hr_rep_action *actions;
    /* the store, read a block of series at a time (NULL: set holds every
     * grid already); keep[i]: series i's values stay after its block
     * (an SLO's series, read again by the problem-management stage) */
    hr_store_rd *rd;
    unsigned char *keep;
};

/* The suggested actions of the report's rules (reports/actions.h). */
static int stage_actions(stage *st, hr_err *err)
{
    size_t n = 0;
    if (hr_actions_build(&st->rep, &st->actions, &n))
        return hr_err_set(err, HR_ESOFTWARE, "out of memory building the suggested actions");
    st->rep.actions = st->actions;
    st->rep.nactions = n;
    return HR_OK;
}

static void stage_clear(stage *st)
{
    if (st->res)
        for (size_t i = 0; i < st->set.n; i++)
            hr_result_clear(&st->res[i]);
    free(st->res);
    free(st->caps);
    free(st->rep.s);
    free(st->rep.a);
    free(st->rep.missing_inventory);
    free(st->revs);
    free(st->planned);
    free(st->steps);
    hr_strmap_clear(&st->idx);
    hr_pm_stage_clear(&st->pm);
    free(st->actions);
    hr_inventory_clear(&st->inv);
    hr_events_clear(&st->ev);
    hr_seriesset_clear(&st->set);
    hr_store_close(st->rd);
    free(st->keep);
}

/* Indexes the set, loads the tables, matches the inventory. */
static int stage_tables(stage *st, const char *inventory, double default_target, const char *events,
                        const hr_run_opts *o, hr_err *err)
{
    char msg[1024];
    hr_strmap_init(&st->idx);
    for (size_t i = 0; i < st->set.n; i++)
        if (hr_strmap_put(&st->idx, st->set.s[i].key, strlen(st->set.s[i].key), i))
            return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    int rc;
    if (inventory && (rc = hr_inventory_load(inventory, default_target, &st->inv, o->diag, o->diag_ud, err)))
        return rc;
    if (events && (rc = hr_events_load(events, &st->ev, o->diag, o->diag_ud, err)))
        return rc;
    size_t n = st->set.n ? st->set.n : 1;
    st->caps = calloc(n, sizeof *st->caps);
    st->res = calloc(n, sizeof *st->res);
    st->rep.s = calloc(n, sizeof *st->rep.s);
    st->rep.missing_inventory = calloc(st->inv.n ? st->inv.n : 1, sizeof *st->rep.missing_inventory);
    if (!st->caps || !st->res || !st->rep.s || !st->rep.missing_inventory)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    for (size_t k = 0; k < st->inv.n; k++) {
        size_t i = hr_strmap_get(&st->idx, st->inv.r[k].series, strlen(st->inv.r[k].series));
        if (i == (size_t)-1) {
            st->rep.missing_inventory[st->rep.nmissing++] = st->inv.r[k].series;
            snprintf(msg, sizeof msg, "%s:%lu: series \"%s\" is not in the data", inventory, st->inv.r[k].line,
                     st->inv.r[k].series);
            say(o, HR_DIAG_WARN, msg);
            continue;
        }
        const hr_inv_row *iv = &st->inv.r[k];
        st->caps[i] = (hr_capacity_in){1, iv->capacity, iv->target, iv->unit_capacity, iv->units,
                                       iv->lead_time_days, iv->redundancy};
    }
    return HR_OK;
}

/* A block of series to hold in memory at once: its grids take up to
 * BLOCK_POINTS values (32 MiB), and the next block is read while this
 * one is analysed, so a run holds two blocks' grids and every series'
 * results, not the fleet's grids. 2^22 points are 480 series of a year
 * of hours: enough series per block that the threads' dynamic schedule
 * evens out, few enough that 100,000 series need no more memory than
 * 10,000. */
#define BLOCK_POINTS ((size_t)1 << 22)

/* Series [i0, end) of the next block: at least one series. */
static size_t block_end(const hr_seriesset *set, size_t i0)
{
    size_t pts = 0, i = i0;
    while (i < set->n && (i == i0 || pts + set->s[i].n <= BLOCK_POINTS))
        pts += set->s[i++].n;
    return i;
}

static int read_block(stage *st, size_t i0, size_t i1, hr_err *err)
{
    for (size_t i = i0; i < i1; i++) {
        int rc = hr_store_read_values(st->rd, &st->set, i, err);
        if (rc)
            return rc;
    }
    return HR_OK;
}

/* One parallel loop over series, one result slot per series; with a store
 * reader, block by block, the next block read by one thread while the
 * others analyse (HDF5 calls stay on one thread at a time). */
static int stage_analyse(stage *st, const hr_analysis_cfg *acfg, size_t lo, size_t hi, hr_err *err)
{
    size_t max_n = 1;
    for (size_t i = lo; i < hi; i++)
        if (st->set.s[i].n > max_n)
            max_n = st->set.s[i].n;
    int ws_failed = 0, read_rc = HR_OK;
    hr_err read_err = {0};
    hr_seriesset *set = &st->set;
    hr_capacity_in *caps = st->caps;
    hr_result *res = st->res;
    /* blocks within [lo, hi): a set of hi series ends there */
    hr_seriesset part = *set;
    part.n = hi;
    size_t b0 = lo, b1 = st->rd ? block_end(&part, lo) : hi;
    if (st->rd && b1 > b0 && (read_rc = read_block(st, b0, b1, err)))
        return read_rc;
#pragma omp parallel reduction(| : ws_failed)
    {
        hr_analyze_ws *ws = hr_analyze_ws_alloc(max_n);
        if (!ws)
            ws_failed = 1;
        while (b0 < hi) {
            size_t n0 = b1, n1 = b1 < hi && st->rd ? block_end(&part, b1) : b1;
#pragma omp single nowait
            {
                if (n1 > n0 && read_rc == HR_OK)
                    read_rc = read_block(st, n0, n1, &read_err);
            }
#pragma omp for schedule(dynamic, 4)
            for (long i = (long)b0; i < (long)b1; i++) {
                if (ws)
                    hr_analyze_series(&set->s[i], &caps[i], acfg, ws, &res[i]);
                else
                    res[i].rc = hr_err_set(&res[i].err, HR_ESOFTWARE, "out of memory");
            }
            /* the implicit barrier: the block is analysed, the next read */
#pragma omp single
            {
                for (size_t i = b0; st->rd && i < b1; i++)
                    if (!st->keep || !st->keep[i]) {
                        free(set->s[i].v);
                        set->s[i].v = NULL;
                    }
                b0 = b1;
                b1 = read_rc == HR_OK ? n1 : hi; /* a failed read: stop */
                if (read_rc != HR_OK)
                    b0 = hi;
            }
        }
        hr_analyze_ws_free(ws);
    }
    if (read_rc != HR_OK) {
        *err = read_err;
        return read_rc;
    }
    if (ws_failed)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory for the analysis workspaces");
    return HR_OK;
}

/* A series whose last point is more than stale_after before the fleet's
 * newest: its exporter stopped or the series was retired. Either way a
 * forecast from where it stopped is not a date to order by: the status
 * becomes stale and the dates, the forecast fan and the units are
 * withheld; the history (peaks, growth, steps, anomalies) stays, as it
 * is what the data said. The reports list it under data problems with
 * the status its data gave where it stopped, so a resource that was
 * saturated does not go quiet when its exporter dies. */
static void mark_stale(hr_report *rep, hr_rep_series *s, int64_t stale_after_ms)
{
    if (stale_after_ms <= 0 || s->last_ms < 0 || rep->as_of_ms - s->last_ms <= stale_after_ms)
        return;
    s->stale = 1;
    rep->nstale++;
    s->stale_sat_status = s->sat_status;
    s->sat_status = HR_SAT_STALE;
    s->sat_p10_ms = s->sat_p50_ms = s->sat_p90_ms = -1;
    s->peak_end_p50 = NAN;
    s->bound = NAN;
    s->bound_p50_ms = -1;
    s->units_to_add = s->units_reclaimable = 0;
    s->order_by_ms = -1;
    s->chart.nfan = 0;
}

/* Folds the results into the report model, serially and in series order.
 * stale_after_ms > 0 marks stale series (mark_stale). */
static int stage_report(stage *st, const hr_analysis_cfg *acfg, int64_t stale_after_ms, const hr_run_opts *o,
                        hr_err *err)
{
    char msg[1024];
    hr_report *rep = &st->rep;
    const hr_seriesset *set = &st->set;
    hr_result *res = st->res;
    rep->as_of_ms = -1;
    size_t na = 0, nst = 0;
    for (size_t i = 0; i < set->n; i++) {
        /* out of memory (or an internal error) in a series' analysis
         * fails the night: a report that lacks one series' figures for
         * want of memory is not one to publish (found by make faults: a
         * failed calloc of a series' steps, and the run exited 0) */
        if (res[i].rc == HR_ESOFTWARE)
            return hr_err_set(err, HR_ESOFTWARE, "series %s: %s", set->s[i].key, res[i].err.msg);
        if (res[i].rc) {
            snprintf(msg, sizeof msg, "series %s: %s", set->s[i].key, res[i].err.msg);
            say(o, HR_DIAG_WARN, msg);
        }
        if (res[i].last_ms > rep->as_of_ms)
            rep->as_of_ms = res[i].last_ms;
        na += res[i].nanom;
        nst += res[i].growth.nsteps;
    }
    rep->a = calloc(na ? na : 1, sizeof *rep->a);
    hr_rep_anomaly *tmp = malloc((na ? na : 1) * sizeof *tmp);
    st->planned = calloc(set->n * (st->ev.n ? st->ev.n : 1) + 1, sizeof *st->planned);
    st->revs = calloc(st->ev.n ? st->ev.n : 1, sizeof *st->revs);
    st->steps = calloc(nst ? nst : 1, sizeof *st->steps);
    if (!rep->a || !tmp || !st->planned || !st->revs || !st->steps) {
        free(tmp);
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    }
    for (size_t k = 0; k < st->ev.n; k++)
        st->revs[k] = (hr_rep_event){st->ev.e[k].t_ms, st->ev.e[k].name, st->ev.e[k].scope, st->ev.e[k].expected_pct};
    rep->events = st->revs;
    rep->nevents = st->ev.n;
    size_t np = 0, ns = 0;
    for (size_t i = 0; i < set->n; i++) {
        hr_result *r = &res[i];
        hr_rep_series *s = &rep->s[i];
        s->key = set->s[i].key;
        s->counter = set->s[i].kind == HR_COUNTER;
        s->step_ms = set->s[i].step_ms;
        s->first_ms = r->first_ms;
        s->last_ms = r->last_ms;
        s->points = r->points;
        s->gaps = r->gaps;
        s->last_value = r->last_value;
        s->error = r->rc ? r->err.msg : NULL;
        s->trend_days = r->trend_days;
        s->current_peak = r->current_peak;
        s->current_peak_day_ms = r->current_peak_day_ms;
        s->window_max_peak = r->window_max_peak;
        s->trend_level = r->trend_days ? r->line.level : NAN;
        s->slope_per_day = r->trend_days ? r->line.slope : NAN;
        s->slope_lo = r->trend_days ? r->line.slope_lo : NAN;
        s->slope_hi = r->trend_days ? r->line.slope_hi : NAN;
        s->growth_pct_30d = r->growth_pct_30d;
        s->organic_pct_30d = r->growth.organic_pct_30d;
        s->organic_log_scale = r->growth.log_scale;
        s->organic_fit_days = r->growth.fit_days;
        s->yearly = r->growth.yearly.found;
        s->yearly_amp_pct = s->yearly ? 100 * (exp(r->growth.yearly.hi - r->growth.yearly.lo) - 1) : NAN;
        s->yearly_peak_doy = r->growth.yearly.peak_doy;
        s->yearly_trough_doy = r->growth.yearly.trough_doy;
        s->yearly_corr = r->growth.yearly.corr;
        s->threshold = r->threshold;
        s->sat_status = r->sat_status == HR_ST_ALREADY    ? HR_SAT_ALREADY
                        : r->sat_status == HR_ST_WITHIN  ? HR_SAT_WITHIN
                        : r->sat_status == HR_ST_BEYOND  ? HR_SAT_BEYOND
                        : r->sat_status == HR_ST_UNKNOWN ? HR_SAT_UNKNOWN
                                                         : HR_SAT_NONE;
        s->sat_p10_ms = r->sat_p10_ms;
        s->sat_p50_ms = r->sat_p50_ms;
        s->sat_p90_ms = r->sat_p90_ms;
        s->sat_method = r->sat_method;
        s->peak_end_p50 = r->peak_end_p50;
        s->bound = r->bound;
        s->bound_p50_ms = r->bound_p50_ms;
        s->organic_lo_pct_30d = r->growth.organic_lo_pct_30d;
        s->organic_hi_pct_30d = r->growth.organic_hi_pct_30d;
        s->has_units = r->has_units;
        s->units_needed = r->units_needed;
        s->units_to_add = r->units_to_add;
        s->units_reclaimable = r->units_reclaimable;
        s->order_by_ms = r->order_by_ms;
        s->capacity = s->target = s->unit_capacity = s->units = s->lead_time_days = s->unit_cost = NAN;
        hr_unit_infer(s->key, s->counter, s->unit, sizeof s->unit);
        s->nanomalies = r->nanom;
        s->wpat = r->wpat;
        s->nwpat = r->nwpat;
        if (r->chart_days) {
            size_t m = r->chart_days, nf = r->fan_n;
            const double *b = r->chart_buf;
            s->chart = (hr_rep_chart){m, r->chart_day0_ms, b, b + m, b + 2 * m, nf, r->fan0_ms, r->fan_step_days,
                                      b + 3 * m, b + 3 * m + nf, b + 3 * m + 2 * nf};
        }
        for (size_t k = 0; k < r->nanom; k++) {
            hr_anom *x = &r->anom[k];
            rep->a[rep->na++] = (hr_rep_anomaly){i, x->start_ms, x->end_ms, x->peak_ms, x->peak_z,
                                                 x->direction, x->peak_value, x->expected_value, x->fired};
        }
        s->steps = st->steps + ns;
        for (size_t k = 0; k < r->growth.nsteps; k++) {
            const hr_step_out *g = &r->growth.steps[k];
            st->steps[ns + s->nsteps++] = (hr_rep_step){g->t_ms, g->kind == HR_STEP_SLOPE, g->delta, g->delta_pct,
                                                       g->event >= 0 ? st->ev.e[g->event].name : NULL, NULL};
        }
        ns += s->nsteps;
        s->planned = st->planned + np;
        for (size_t k = 0; k < st->ev.n; k++)
            if (st->ev.e[k].t_ms > rep->as_of_ms &&
                (double)(st->ev.e[k].t_ms - rep->as_of_ms) <= acfg->horizon_days * 86400000.0 &&
                hr_event_matches(&st->ev.e[k], s->key))
                st->planned[np + s->nplanned++] = &st->revs[k];
        np += s->nplanned;
        mark_stale(rep, s, stale_after_ms);
    }
    for (size_t k = 0; k < st->inv.n; k++) {
        size_t i = hr_strmap_get(&st->idx, st->inv.r[k].series, strlen(st->inv.r[k].series));
        if (i == (size_t)-1)
            continue;
        hr_rep_series *s = &rep->s[i];
        s->has_capacity = 1;
        s->capacity = st->inv.r[k].capacity;
        s->target = st->inv.r[k].target;
        s->unit_capacity = st->inv.r[k].unit_capacity;
        s->units = st->inv.r[k].units;
        s->redundancy = st->inv.r[k].redundancy;
        s->lead_time_days = st->inv.r[k].lead_time_days;
        s->unit_name = st->inv.r[k].unit_name;
        s->unit_cost = st->inv.r[k].unit_cost;
        if (st->inv.r[k].unit) /* the inventory knows better than the name */
            snprintf(s->unit, sizeof s->unit, "%s", st->inv.r[k].unit);
    }
    sort_anoms(rep->a, rep->na, tmp, rep->s);
    free(tmp);
    rep->horizon_days = acfg->horizon_days;
    rep->trend_window_days = acfg->trend_window_days;
    rep->anomaly_z = acfg->anomaly_threshold;
    rep->models = "growth split: ACF periods, median seasonal decomposition (on the log scale for "
                  "positive series), a yearly season with two years or more, PELT change points on "
                  "daily medians, organic compound growth; saturation: daily-peak forecast (organic "
                  "level x growth x weekday peak factor x yearly season x planned events); anomalies: "
                  "causal detector (local, daily and weekly baselines; point and level-shift "
                  "statistics, tail-calibrated and fused); baseline kept for comparison: Theil-Sen "
                  "line through daily peaks";
    rep->as_of_day_ms = rep->as_of_ms >= 0 ? rep->as_of_ms / 86400000 * 86400000 : -1;
    rep->stale_after_ms = stale_after_ms;
    rep->run_ms = -1;
    rep->n = set->n;
    return hr_pm_stage_services(set, rep, &st->pm, err);
}

static hr_analysis_cfg analysis_cfg(double trend_window, double horizon, double thr, const hr_events *ev, double tol)
{
    hr_analysis_cfg a;
    memset(&a, 0, sizeof a);
    a.trend_window_days = trend_window;
    a.horizon_days = horizon;
    a.anomaly_threshold = thr;
    a.growth.organic_window_days = HR_ORGANIC_WINDOW_DAYS;
    a.growth.events = ev;
    a.growth.tolerance_days = tol;
    a.growth.inorganic_only = 1;
    a.growth.min_step_pct = HR_MIN_STEP_PCT;
    return a;
}

int hr_run_detect(const double *const *x, const int64_t *const *t, const size_t *n, size_t nseries, double **score,
                  double **level, hr_err *err)
{
    size_t max_n = 1;
    for (size_t i = 0; i < nseries; i++)
        if (n[i] > max_n)
            max_n = n[i];
    int ws_failed = 0;
    const long ns = (long)nseries;
#pragma omp parallel reduction(| : ws_failed)
    {
        hr_det_ws *ws = hr_det_ws_alloc(max_n);
        if (!ws)
            ws_failed = 1;
#pragma omp for schedule(dynamic, 4)
        for (long i = 0; i < ns; i++)
            if (ws)
                hr_det_score(x[i], t[i], n[i], ws, score[i], level ? level[i] : NULL);
        hr_det_ws_free(ws);
    }
    if (ws_failed)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory for the detector workspaces");
    return HR_OK;
}

/* ---- past one machine: the ranks of an MPI job (engine/dist.h) ------------ */

/* What every rank does between the ingest and the gathering: the store's
 * index, the tables, its series analysed. */
/* The grids the ingest just wrote, still in memory (one process): each
 * series of the store's index that has them takes them, so the analysis
 * does not read back and inflate what it has just deflated. A series
 * whose key or grid differs (none should) is read from the store. */
static void take_grids(hr_seriesset *set, hr_seriesset *grids)
{
    if (grids->n != set->n)
        return;
    for (size_t i = 0; i < set->n; i++) {
        hr_series *s = &set->s[i], *g = &grids->s[i];
        if (!s->v && g->v && g->n == s->n && g->t0_ms == s->t0_ms && g->step_ms == s->step_ms &&
            g->kind == s->kind && strcmp(g->key, s->key) == 0) {
            s->v = g->v;
            g->v = NULL;
        }
    }
}

static int analyse_here(stage *st, const hr_config *cfg, const hr_run_opts *o, int rank, int nranks,
                        hr_seriesset *grids, hr_analysis_cfg *acfg, size_t *lo, size_t *hi, hr_err *err)
{
    int rc;
    /* the store's index; the values are read a block at a time */
    if ((rc = hr_store_open(cfg->store, &st->set, &st->rd, err)))
        return rc;
    if (st->set.n == 0)
        return hr_err_set(err, HR_EINPUT, "%s: the store holds no series", cfg->store);
    if (grids)
        take_grids(&st->set, grids);
    if ((rc = stage_tables(st, cfg->inventory, cfg->default_target, cfg->events, o, err)))
        return rc;
    st->rep.currency = cfg->currency;
    if ((rc = hr_pm_stage_prepare(cfg, &st->idx, &st->pm, o->diag, o->diag_ud, err)))
        return rc;
    if (!(st->keep = calloc(st->set.n, 1)))
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    for (size_t k = 0; rank == 0 && k < 2 * cfg->nslos; k++)
        if (st->pm.slo_series[k] != SIZE_MAX)
            st->keep[st->pm.slo_series[k]] = 1;
    *acfg = analysis_cfg(cfg->trend_window_days, cfg->horizon_days, cfg->anomaly_threshold, &st->ev,
                         cfg->event_tolerance_days);
    hr_run_rank_range(&st->set, rank, nranks, lo, hi);
    return stage_analyse(st, acfg, *lo, *hi, err);
}

int hr_run(const hr_config *cfg, const hr_run_opts *o, char *report_dir, size_t size, hr_run_outcome *out,
           hr_err *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    const int rank = hr_dist_rank(), nranks = hr_dist_size();
    int rc = HR_OK, lockfd = -1;
    char **files = NULL;
    size_t nfiles = 0;
    stage st;
    memset(&st, 0, sizeof st);
    hr_strmap_init(&st.idx);
    hr_ingest_summary sum;
    memset(&sum, 0, sizeof sum);
    hr_rep_skipped *skipped = NULL;
    hr_prev_run prev;
    memset(&prev, 0, sizeof prev);
    int have_prev = 0;
    hr_changes changes;
    memset(&changes, 0, sizeof changes);
    stage_clock t0 = clock_now();

    /* 1. ingest: rank 0 alone, holding the store's lock for the whole run */
    if (rank == 0) {
        /* the store's folder is created like the output folder */
        char sdir[4096];
        snprintf(sdir, sizeof sdir, "%s", cfg->store);
        char *slash = strrchr(sdir, '/');
        if (slash && slash != sdir) {
            *slash = '\0';
            rc = hr_mkdirs(sdir, err);
        }
        if (rc == HR_OK)
            rc = hr_store_lock(cfg->store, &lockfd, err);
        if (rc == HR_OK)
            hr_outdir_clean_partial(o->out_dir ? o->out_dir : cfg->out_dir, o);
        if (rc == HR_OK)
            rc = expand(cfg, &files, &nfiles, err);
        if (rc == HR_OK && nfiles) {
            hr_ingest_opts io;
            hr_ingest_opts_init(&io);
            io.format = cfg->format;
            io.max_bad_share = cfg->max_bad_share;
            io.step_ms = cfg->step_ms;
            if (cfg->mem_budget_set)
                io.mem_budget = cfg->mem_budget;
            io.counter_globs = (const char *const *)cfg->counters;
            io.ncounter_globs = cfg->ncounters;
            io.tz = cfg->tz;
            io.skip_bad_files = cfg->skip_bad_files;
            io.diag = o->diag;
            io.diag_ud = o->diag_ud;
            io.keep_grids = nranks == 1; /* the analysis starts from them */
            rc = hr_ingest_into_store(cfg->store, files, nfiles, &io, 0, o->progress, o->progress_ud, &sum, err);
        }
    }
    if (nranks > 1)
        rc = hr_dist_bcast_int(rc);
    if (rc)
        goto out; /* rank 0 says why */
    if (rank == 0 && nfiles)
        say_time(o, "ingest", &t0);
    /* 2. each rank its share of the series (all of them on one rank) */
    size_t lo = 0, hi = 0;
    hr_analysis_cfg acfg;
    rc = analyse_here(&st, cfg, o, rank, nranks, &sum.grids, &acfg, &lo, &hi, err);
    hr_seriesset_clear(&sum.grids); /* what the analysis did not take */
    if (rc == HR_OK && rank == 0)
        say_time(o, "analysis (read, growth, forecasts, detection)", &t0);
    if (nranks > 1) {
        uint64_t *rss = rank == 0 ? calloc((size_t)nranks, sizeof *rss) : NULL;
        rc = hr_run_gather(st.res, st.set.n, rc, err, rank, nranks, lo, hi, rss);
        if (rank != 0)
            goto synced;
        if (rc == HR_OK && rss) {
            /* how the series were split, and each rank's peak memory */
            char msg[1024];
            size_t a, b;
            hr_run_rank_range(&st.set, nranks - 1, nranks, &a, &b);
            rss[0] = hr_run_peak_rss_kb();
            int k = snprintf(msg, sizeof msg, "%zu series analysed on %d ranks (rank 0: %zu, the last: %zu); "
                             "peak RSS per rank (MB):", st.set.n, nranks, hi - lo, b - a);
            for (int r = 0; r < nranks && k > 0 && (size_t)k < sizeof msg - 16; r++)
                k += snprintf(msg + k, sizeof msg - (size_t)k, " %.0f", (double)rss[r] / 1024);
            say(o, HR_DIAG_INFO, msg);
        }
        free(rss);
    }
    if (rc)
        goto synced;
    /* rank 0 reads the SLO series the other ranks analysed */
    for (size_t i = 0; i < st.set.n && rc == HR_OK; i++)
        if (st.keep[i])
            rc = hr_store_read_values(st.rd, &st.set, i, err);
    /* 3. fold into the report, problem management, actions */
    if (rc || (rc = stage_report(&st, &acfg, cfg->stale_after_ms, o, err)) ||
        (rc = hr_pm_stage_run(cfg, &st.set, &st.rep, &st.pm, err)) || (rc = stage_actions(&st, err)))
        goto synced;
    say_time(o, "report model, problem management, actions", &t0);
    /* the data problems: the files left out, in input order */
    if (sum.nskipped && !(skipped = calloc(sum.nskipped, sizeof *skipped))) {
        rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
        goto synced;
    }
    for (size_t k = 0; k < sum.nskipped; k++)
        skipped[k] = (hr_rep_skipped){sum.skipped[k].path, sum.skipped[k].error, sum.skipped[k].first_bad};
    st.rep.skipped = skipped;
    st.rep.nskipped = sum.nskipped;
    int64_t now_ms = o->now_ms ? o->now_ms : (int64_t)time(NULL) * 1000;
    st.rep.run_ms = now_ms;
    char stamp[64];
    if (o->stamp) {
        snprintf(stamp, sizeof stamp, "%s", o->stamp);
    } else {
        time_t now = (time_t)(now_ms / 1000);
        struct tm tmv;
        gmtime_r(&now, &tmv);
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tmv);
    }
    /* 4. compare with the previous report folder, publish, prune */
    const char *odir = o->out_dir ? o->out_dir : cfg->out_dir;
    char pdir[4096];
    if (hr_outdir_previous(odir, o->compare_dir, pdir, sizeof pdir)) {
        hr_err perr = {0};
        if ((rc = hr_prev_run_load(pdir, &prev, &perr)) == HR_OK) {
            have_prev = 1;
        } else if (o->compare_dir || rc == HR_ESOFTWARE) {
            /* out of memory: the changes would be against nothing */
            *err = perr;
            goto synced;
        } else {
            char msg[1024];
            snprintf(msg, sizeof msg, "%s; comparing with no previous run", perr.msg);
            say(o, HR_DIAG_WARN, msg);
        }
        rc = HR_OK;
    }
    hr_changes_carry(st.actions, st.rep.nactions, have_prev ? &prev : NULL);
    if (hr_changes_build(&st.rep, have_prev ? &prev : NULL, &changes)) {
        rc = hr_err_set(err, HR_ESOFTWARE, "out of memory comparing with the previous run");
        goto synced;
    }
    st.rep.changes = &changes;
    say_time(o, "comparison with the previous run", &t0);
    rc = hr_outdir_publish(&st.rep, odir, stamp, report_dir, size, err);
    if (rc == HR_OK)
        say_time(o, "writing the report files", &t0);
    if (rc == HR_OK && cfg->keep > 0)
        hr_outdir_prune(odir, cfg->keep, o);
    if (rc == HR_OK && out) {
        out->files_skipped = sum.nskipped;
        out->stale_series = st.rep.nstale;
    }
synced:
    /* every rank ends with rank 0's status */
    if (nranks > 1)
        rc = hr_dist_bcast_int(rc);
out:
    hr_changes_clear(&changes);
    hr_prev_run_clear(&prev);
    free(skipped);
    hr_ingest_summary_clear(&sum);
    stage_clear(&st);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    hr_store_unlock(lockfd);
    return rc;
}

int hr_capacity(char *const *inputs, size_t ninputs, const hr_capacity_opts *co, const hr_run_opts *o, hr_err *err)
{
    stage st;
    memset(&st, 0, sizeof st);
    hr_ingest_opts io;
    hr_ingest_opts_init(&io);
    io.format = co->format;
    io.tz = co->tz;
    io.diag = o->diag;
    io.diag_ud = o->diag_ud;
    int rc = hr_input_load(inputs, ninputs, &io, &st.set, NULL, err);
    if (rc == HR_OK)
        rc = stage_tables(&st, co->resources, 0.8, co->events, o, err);
    hr_analysis_cfg acfg = analysis_cfg(90, co->horizon_days, HR_ANOMALY_THRESHOLD, &st.ev, 3);
    if (rc == HR_OK)
        rc = stage_analyse(&st, &acfg, 0, st.set.n, err);
    if (rc == HR_OK)
        rc = stage_report(&st, &acfg, HR_STALE_AFTER_MS, o, err);
    if (rc == HR_OK)
        rc = stage_actions(&st, err);
    if (rc == HR_OK)
        rc = hr_mkdirs(co->out_dir, err);
    const char *names[] = {"capacity.json", "capacity.md", "capacity.html"};
    char *(*const fns[])(const hr_report *) = {hr_report_capacity_json, hr_report_capacity_md,
                                               hr_report_capacity_html};
    for (int k = 0; k < 3 && rc == HR_OK; k++) {
        char *text = fns[k](&st.rep);
        if (!text) {
            rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
            break;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", co->out_dir, names[k]);
        rc = hr_file_write_atomic(path, text, strlen(text), err);
        free(text);
    }
    stage_clear(&st);
    return rc;
}
