/* cli_analyze.c -- the single-stage commands of the command line:
 * changepoints, detect and capacity (each reads exports or a
 * store, runs one stage of the engine and writes CSV or reports). */
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <hdf5.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "analyze.h"
#include "fileio.h"
#include "forecast.h"
#include "growth.h"
#include "config.h"
#include "detect.h"
#include "ingest.h"
#include "run.h"
#include "numfmt.h"
#include "report.h"
#include "series.h"
#include "store.h"
#include "timefmt.h"

#include "cli.h"
#include "tz.h"

/* ---- changepoints ------------------------------------------------------- */

static void help_changepoints(void)
{
    printf("Usage: headroom changepoints [-o OUT.csv] [--season P[,P2]] [--format FMT] [--tz ZONE] INPUT...\n\n"
           "Finds level shifts and slope breaks in every series of INPUT (any format\n"
           "'ingest' reads, or a store): on the deseasonalised series, by PELT with\n"
           "a robust cost; for sub-daily data with four weeks or more, on its daily\n"
           "medians (log scale when positive), each level shift then placed at the\n"
           "native step. Spikes and incidents of hours do not count.\n\n"
           "Output CSV (stdout unless -o): series,index,timestamp,kind,delta,delta_pct\n"
           "  index      0-based position of the first point of the new regime among\n"
           "             that series' rows of INPUT\n"
           "  timestamp  its time, RFC 3339\n"
           "  kind       level | slope\n"
           "  delta      level: change in the series' units; slope: change of the\n"
           "             slope per day\n"
           "  delta_pct  level: percent of the level just before; slope: change of the\n"
           "             growth rate in percentage points per 30 days\n"
           "A series without change points (or too short to have one) has no rows.\n\n"
           "Options:\n"
           "  -o, --out FILE      write the CSV to FILE (atomically)\n"
           "      --season P[,P2] seasonal periods in points (0 = none); default: detected\n"
           "  -f, --format FMT    input format: auto, or a name from 'ingest --help'\n"
           "      --tz ZONE       times without a UTC offset are local to ZONE (IANA name)\n"
           "  -h, --help          this text\n\n%s",
           exit_codes);
}

int cmd_changepoints(int argc, char **argv)
{
    static const struct option lo[] = {{"out", required_argument, 0, 'o'}, {"season", required_argument, 0, 1},
                                       {"format", required_argument, 0, 'f'}, {"help", no_argument, 0, 'h'},
                                       {"quiet", no_argument, 0, 'q'}, {"verbose", no_argument, 0, 'v'},
                                       {"tz", required_argument, 0, OPT_TZ}, {0, 0, 0, 0}};
    const char *out = NULL;
    size_t per[2], np = 0;
    int forced = 0, c;
    hr_ingest_opts io;
    hr_ingest_opts_init(&io);
    io.diag = on_diag;
    while ((c = getopt_long(argc, argv, "o:f:hqv", lo, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 1:
            if (parse_periods(optarg, per, &np))
                return usage_error("changepoints", "bad --season '%s' (want P or P,P2 in points, or 0)", optarg);
            forced = 1;
            break;
        case 'f':
            if (hr_format_parse(optarg, &io.format))
                return bad_format("changepoints", optarg);
            break;
        case OPT_TZ: {
            int r = tz_option("changepoints", optarg);
            if (r)
                return r;
            break;
        }
        case 'q': verbosity = 0; break;
        case 'v': verbosity++; break;
        case 'h': help_changepoints(); return 0;
        default: return bad_option("changepoints", argv);
        }
    }
    if (optind >= argc)
        return usage_error("changepoints", "no INPUT");
    io.tz = opt_tz;
    if (!readable(argv + optind, argc - optind))
        return HR_ENOINPUT;
    hr_seriesset set = {0};
    unsigned char **present = NULL;
    hr_err err = {0};
    int rc = hr_input_load(argv + optind, (size_t)(argc - optind), &io, &set, &present, &err);
    if (rc) {
        fail(&err);
        goto done;
    }
    hr_growth_cfg gc = {0};
    gc.periods = forced ? per : NULL;
    gc.nperiods = np;
    gc.organic_window_days = HR_ORGANIC_WINDOW_DAYS;
    hr_growth_out *g = calloc(set.n ? set.n : 1, sizeof *g);
    hr_err *errs = calloc(set.n ? set.n : 1, sizeof *errs);
    if (!g || !errs) {
        free(g);
        free(errs);
        rc = HR_ESOFTWARE;
        goto done;
    }
    rc = hr_run_growth_all(&set, &gc, g, errs, &err);
    if (rc) {
        fail(&err);
    } else {
        char tmp[4096], tb[40], nb[40];
        FILE *fp = open_out(out, tmp, sizeof tmp);
        if (!fp) {
            rc = HR_ECANTCREAT;
        } else {
            fputs("series,index,timestamp,kind,delta,delta_pct\n", fp);
            for (size_t i = 0; i < set.n; i++) {
                if (errs[i].code)
                    say(HR_DIAG_WARN, "series %s: %s", set.s[i].key, errs[i].msg);
                size_t row = 0, j = 0;
                for (size_t k = 0; k < g[i].nsteps; k++) {
                    const hr_step_out *st = &g[i].steps[k];
                    for (; j < st->index && j < set.s[i].n; j++)
                        row += present && present[i] ? present[i][j] != 0 : 1;
                    hr_csv_put(fp, set.s[i].key);
                    fprintf(fp, ",%zu,%s,%s,", row, hr_time_format(st->t_ms, tb, sizeof tb),
                            st->kind == HR_STEP_SLOPE ? "slope" : "level");
                    fprintf(fp, "%s,", isfinite(st->delta) ? hr_fmt_double(st->delta, nb, sizeof nb) : "");
                    fprintf(fp, "%s\n", isfinite(st->delta_pct) ? hr_fmt_double(st->delta_pct, nb, sizeof nb) : "");
                }
            }
            rc = close_out(fp, out, tmp, HR_OK);
        }
    }
    for (size_t i = 0; i < set.n; i++)
        hr_growth_out_clear(&g[i]);
    free(g);
    free(errs);
done:
    if (present)
        for (size_t i = 0; i < set.n; i++)
            free(present[i]);
    free(present);
    hr_seriesset_clear(&set);
    return rc;
}

/* ---- detect ------------------------------------------------------------- */

static void help_detect(void)
{
    char thr[40];
    hr_fmt_double(HR_ANOMALY_THRESHOLD, thr, sizeof thr);
    printf("Usage: headroom detect [--threshold T] [--spans] [-o OUT.csv] INPUT...\n\n"
           "Scores every point of every series for anomalies, causally: a point's score\n"
           "uses only the points before it and itself, so scores never change when data\n"
           "is appended. Scores are in [0,1] (never NaN); low during the warm-up.\n\n"
           "Output CSV: timestamp,value,anomaly_score[,series]\n"
           "  For long CSV input (timestamp,value files such as NAB's, or files with a\n"
           "  series or metric column): one row per input row, in input row order, even\n"
           "  where timestamps repeat or go backwards; timestamp and value are the input's\n"
           "  text, unchanged; series is present when the input names its series. A row\n"
           "  that was rejected (reported as file:line:column) scores 0.\n"
           "  For other inputs (wide CSV, Prometheus JSON, a store): one row per stored\n"
           "  point, series by series, with RFC 3339 timestamps and a series column.\n\n"
           "Output CSV with --spans: series,start,end,peak_time,peak_score,direction\n"
           "  One row per anomaly span, as 'run' reports them in problems.json: a span\n"
           "  opens at a score >= T and goes on while scores stay >= T/2. Series in input\n"
           "  order (a timestamp,value file's series is named after the file), spans in\n"
           "  the order of the series' points. start and peak_time are the times of the\n"
           "  span's first and highest-scoring points; end is exclusive: the first slot\n"
           "  after the span's last point (its time + the series' step). Times are RFC\n"
           "  3339 UTC. direction is spike, dip or shift. No span: the header alone.\n\n"
           "Options:\n"
           "      --threshold T  the score (0.01 to 1) from which a point is anomalous, as\n"
           "                     [analysis] anomaly_threshold of 'run' (%s); scores do not\n"
           "                     depend on it, so without --spans it is only checked\n"
           "      --spans        write one row per anomaly span instead of per point\n"
           "  -o, --out FILE    write the CSV to FILE (atomically)\n"
           "  -f, --format FMT  input format: auto, or a name from 'ingest --help'\n"
           "      --tz ZONE     times without a UTC offset are local to ZONE (IANA name)\n"
           "      --max-bad-share F  a file with more rejected rows fails (0.01)\n"
           "  -h, --help        this text\n\n%s",
           thr, exit_codes);
}

#define SPANS_HEADER "series,start,end,peak_time,peak_score,direction\n"

/* The step of each of the ns series of the row log (cnt[k] rows each),
 * for the exclusive end of their spans: detected from the accepted rows'
 * times as ingest detects a new series' grid step (0 when fewer than two
 * distinct times). Fills step[0..ns). Returns 0, or -1 when out of memory. */
static int log_steps(const hr_logrow *rows, size_t nr, const size_t *cnt, size_t ns, int64_t *step)
{
    hr_sample *smp = malloc((nr + 1) * sizeof *smp);
    size_t *off = calloc(ns + 1, sizeof *off), *m = calloc(ns + 1, sizeof *m);
    int rc = !smp || !off || !m ? -1 : 0;
    for (size_t k = 1; rc == 0 && k <= ns; k++)
        off[k] = off[k - 1] + cnt[k - 1];
    for (size_t r = 0; rc == 0 && r < nr; r++) {
        long k = rows[r].series;
        if (k >= 0 && rows[r].ok) {
            hr_sample *q = &smp[off[k] + m[k]];
            q->t_ms = rows[r].t_ms;
            q->v = rows[r].v;
            q->seq = m[k]++;
        }
    }
    for (size_t k = 0; rc == 0 && k < ns; k++) {
        hr_samples_sort(smp + off[k], m[k]);
        step[k] = hr_step_detect(smp + off[k], m[k]);
    }
    free(smp);
    free(off);
    free(m);
    return rc;
}

/* Writes the anomaly spans of one series (x, t, score, level: its n
 * points) as rows of the --spans CSV: start and peak_time the times of
 * those points, end the time of the span's last point + step_ms
 * (exclusive, as problems.json). *buf / *cap is a span buffer reused
 * across series (grown here). Returns HR_OK or HR_ESOFTWARE (out of
 * memory, reported). */
static int put_spans(FILE *fp, const char *key, const double *x, const int64_t *t, const double *score,
                     const double *level, size_t n, int64_t step_ms, double threshold, hr_det_span **buf,
                     size_t *cap)
{
    size_t total = hr_det_spans(score, level, x, n, threshold, *buf, *cap);
    if (total > *cap) {
        hr_det_span *p = realloc(*buf, total * sizeof *p);
        if (!p) {
            say(HR_DIAG_ERROR, "out of memory");
            return HR_ESOFTWARE;
        }
        *buf = p;
        *cap = total;
        hr_det_spans(score, level, x, n, threshold, *buf, *cap);
    }
    char a[40], b[40], c[40], d[40];
    for (size_t i = 0; i < total; i++) {
        const hr_det_span *sp = &(*buf)[i];
        hr_csv_put(fp, key);
        fprintf(fp, ",%s,%s,%s,%s,%s\n", hr_time_format(t[sp->start], a, sizeof a),
                hr_time_format(t[sp->end] + step_ms, b, sizeof b), hr_time_format(t[sp->peak], c, sizeof c),
                hr_fmt_double(sp->peak_score, d, sizeof d), hr_rep_direction_name(sp->direction));
    }
    return HR_OK;
}

int cmd_detect(int argc, char **argv)
{
    static const struct option lo[] = {{"out", required_argument, 0, 'o'}, {"format", required_argument, 0, 'f'},
                                       {"help", no_argument, 0, 'h'},      {"quiet", no_argument, 0, 'q'},
                                       {"verbose", no_argument, 0, 'v'},   {"max-bad-share", required_argument, 0, 1},
                                       {"threshold", required_argument, 0, 2}, {"spans", no_argument, 0, 3},
                                       {"tz", required_argument, 0, OPT_TZ},   {0, 0, 0, 0}};
    const char *out = NULL;
    double threshold = HR_ANOMALY_THRESHOLD;
    int c, spans = 0;
    hr_ingest_opts io;
    hr_ingest_opts_init(&io);
    io.diag = on_diag;
    while ((c = getopt_long(argc, argv, "o:f:hqv", lo, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 1: {
            char *e;
            io.max_bad_share = strtod(optarg, &e);
            if (*e || e == optarg || !(io.max_bad_share >= 0 && io.max_bad_share <= 1))
                return usage_error("detect", "bad --max-bad-share '%s' (want a share from 0 to 1)", optarg);
            break;
        }
        case 2: {
            /* the range of [analysis] anomaly_threshold (engine/config.c) */
            char *e;
            threshold = strtod(optarg, &e);
            if (*e || e == optarg || !(threshold >= 0.01 && threshold <= 1))
                return usage_error("detect", "bad --threshold '%s' (want a score from 0.01 to 1)", optarg);
            break;
        }
        case 3: spans = 1; break;
        case 'f':
            if (hr_format_parse(optarg, &io.format))
                return bad_format("detect", optarg);
            break;
        case OPT_TZ: {
            int r = tz_option("detect", optarg);
            if (r)
                return r;
            break;
        }
        case 'q': verbosity = 0; break;
        case 'v': verbosity++; break;
        case 'h': help_detect(); return 0;
        default: return bad_option("detect", argv);
        }
    }
    if (optind >= argc)
        return usage_error("detect", "no INPUT");
    io.tz = opt_tz;
    if (!readable(argv + optind, argc - optind))
        return HR_ENOINPUT;
    hr_err err = {0};
    int rc = HR_OK, all_long = 1, named = 0;
    hr_ingest *ig = hr_ingest_alloc(&io);
    if (!ig)
        return HR_ESOFTWARE;
    hr_ingest_keep_rows(ig, 1);
    for (int i = optind; i < argc && rc == HR_OK; i++) {
        if (hr_store_is_store(argv[i])) {
            all_long = 0;
            continue;
        }
        hr_file_stats st;
        int r = hr_ingest_file(ig, argv[i], &st, &err);
        if (r) {
            rc = fail(&err);
            break;
        }
        if (st.format != HR_FMT_LONG)
            all_long = 0;
        named |= hr_ingest_named(ig);
    }
    char tmp[4096], nb[40], tb[40];
    FILE *fp = NULL;
    if (rc == HR_OK && all_long) {
        /* the row log: sequences per series, scored, then written back in
         * input order */
        const hr_logrow *rows;
        size_t nr = hr_ingest_rows(ig, &rows), ns = hr_ingest_nseries(ig);
        size_t *cnt = calloc(ns + 1, sizeof *cnt), *at = calloc(ns + 1, sizeof *at);
        double **x = calloc(ns + 1, sizeof *x), **sc = calloc(ns + 1, sizeof *sc), **lv = calloc(ns + 1, sizeof *lv);
        int64_t **t = calloc(ns + 1, sizeof *t);
        double *score = calloc(nr + 1, sizeof *score);
        int oom = !cnt || !at || !x || !sc || !lv || !t || !score;
        for (size_t r = 0; !oom && r < nr; r++)
            if (rows[r].series >= 0)
                cnt[rows[r].series]++;
        for (size_t k = 0; !oom && k < ns; k++) {
            x[k] = malloc((cnt[k] + 1) * sizeof **x);
            sc[k] = malloc((cnt[k] + 1) * sizeof **sc);
            t[k] = malloc((cnt[k] + 1) * sizeof **t);
            if (spans)
                lv[k] = malloc((cnt[k] + 1) * sizeof **lv);
            oom = !x[k] || !sc[k] || !t[k] || (spans && !lv[k]);
        }
        if (oom) {
            rc = HR_ESOFTWARE;
            say(HR_DIAG_ERROR, "out of memory");
        } else {
            for (size_t r = 0; r < nr; r++)
                if (rows[r].series >= 0) {
                    long k = rows[r].series;
                    x[k][at[k]] = rows[r].v;
                    t[k][at[k]++] = rows[r].t_ms;
                }
            rc = hr_run_detect((const double *const *)x, (const int64_t *const *)t, cnt, ns, sc, spans ? lv : NULL,
                               &err);
            if (rc)
                fail(&err);
        }
        if (rc == HR_OK && !(fp = open_out(out, tmp, sizeof tmp)))
            rc = HR_ECANTCREAT;
        if (rc == HR_OK && spans) {
            /* one row per span, series in order of first appearance */
            hr_det_span *buf = NULL;
            size_t cap = 0;
            int64_t *step = calloc(ns + 1, sizeof *step);
            if (!step || log_steps(rows, nr, cnt, ns, step)) {
                say(HR_DIAG_ERROR, "out of memory");
                rc = HR_ESOFTWARE;
            }
            fputs(SPANS_HEADER, fp);
            for (size_t k = 0; k < ns && rc == HR_OK; k++)
                rc = put_spans(fp, hr_ingest_key(ig, (long)k), x[k], t[k], sc[k], lv[k], cnt[k], step[k], threshold,
                               &buf, &cap);
            free(step);
            free(buf);
            rc = close_out(fp, out, tmp, rc);
        } else if (rc == HR_OK) {
            fputs(named ? "timestamp,value,anomaly_score,series\n" : "timestamp,value,anomaly_score\n", fp);
            memset(at, 0, (ns + 1) * sizeof *at);
            for (size_t r = 0; r < nr; r++) {
                double s = 0;
                long k = rows[r].series;
                if (k >= 0)
                    s = sc[k][at[k]++];
                if (!isfinite(s))
                    s = 0;
                hr_csv_put(fp, rows[r].ts);
                fputc(',', fp);
                hr_csv_put(fp, rows[r].val);
                fprintf(fp, ",%s", hr_fmt_double(s, nb, sizeof nb));
                if (named) {
                    fputc(',', fp);
                    hr_csv_put(fp, k >= 0 ? hr_ingest_key(ig, k) : "");
                }
                fputc('\n', fp);
            }
            rc = close_out(fp, out, tmp, HR_OK);
        }
        for (size_t k = 0; x && sc && lv && t && k < ns; k++) {
            free(x[k]);
            free(sc[k]);
            free(lv[k]);
            free(t[k]);
        }
        free(cnt);
        free(at);
        free(x);
        free(sc);
        free(lv);
        free(t);
        free(score);
    } else if (rc == HR_OK) {
        /* grids: every stored point, series by series */
        hr_seriesset set = {0};
        rc = hr_input_load(argv + optind, (size_t)(argc - optind), &io, &set, NULL, &err);
        if (rc)
            fail(&err);
        size_t ns = set.n;
        double **x = calloc(ns + 1, sizeof *x), **sc = calloc(ns + 1, sizeof *sc), **lv = calloc(ns + 1, sizeof *lv);
        int64_t **t = calloc(ns + 1, sizeof *t);
        size_t *cnt = calloc(ns + 1, sizeof *cnt);
        int oom = !x || !sc || !lv || !t || !cnt;
        for (size_t k = 0; rc == HR_OK && !oom && k < ns; k++) {
            const hr_series *s = &set.s[k];
            x[k] = malloc((s->n + 1) * sizeof **x);
            sc[k] = malloc((s->n + 1) * sizeof **sc);
            t[k] = malloc((s->n + 1) * sizeof **t);
            if (spans)
                lv[k] = malloc((s->n + 1) * sizeof **lv);
            oom = !x[k] || !sc[k] || !t[k] || (spans && !lv[k]);
            if (oom)
                break;
            double *rate = NULL;
            const double *v = s->v;
            if (s->kind == HR_COUNTER && (rate = malloc((s->n + 1) * sizeof *rate)) != NULL) {
                hr_series_rate(s, rate);
                v = rate;
            }
            for (size_t j = 0; j < s->n; j++)
                if (isfinite(v[j])) {
                    x[k][cnt[k]] = v[j];
                    t[k][cnt[k]++] = s->t0_ms + (int64_t)j * s->step_ms;
                }
            free(rate);
        }
        if (rc == HR_OK && oom) {
            rc = HR_ESOFTWARE;
            say(HR_DIAG_ERROR, "out of memory");
        }
        if (rc == HR_OK && (rc = hr_run_detect((const double *const *)x, (const int64_t *const *)t, cnt, ns, sc,
                                               spans ? lv : NULL, &err)))
            fail(&err);
        if (rc == HR_OK && !(fp = open_out(out, tmp, sizeof tmp)))
            rc = HR_ECANTCREAT;
        if (rc == HR_OK && spans) {
            /* one row per span, series in input order; the grid's step
             * makes end exclusive exactly as problems.json's */
            hr_det_span *buf = NULL;
            size_t cap = 0;
            fputs(SPANS_HEADER, fp);
            for (size_t k = 0; k < ns && rc == HR_OK; k++)
                rc = put_spans(fp, set.s[k].key, x[k], t[k], sc[k], lv[k], cnt[k], set.s[k].step_ms, threshold, &buf,
                               &cap);
            free(buf);
            rc = close_out(fp, out, tmp, rc);
        } else if (rc == HR_OK) {
            fputs("timestamp,value,anomaly_score,series\n", fp);
            for (size_t k = 0; k < ns; k++)
                for (size_t j = 0; j < cnt[k]; j++) {
                    fprintf(fp, "%s,%s,", hr_time_format(t[k][j], tb, sizeof tb), hr_fmt_double(x[k][j], nb, sizeof nb));
                    fprintf(fp, "%s,", hr_fmt_double(isfinite(sc[k][j]) ? sc[k][j] : 0, nb, sizeof nb));
                    hr_csv_put(fp, set.s[k].key);
                    fputc('\n', fp);
                }
            rc = close_out(fp, out, tmp, HR_OK);
        }
        for (size_t k = 0; x && sc && lv && t && k < ns; k++) {
            free(x[k]);
            free(sc[k]);
            free(lv[k]);
            free(t[k]);
        }
        free(x);
        free(sc);
        free(lv);
        free(t);
        free(cnt);
        hr_seriesset_clear(&set);
    }
    hr_ingest_free(ig);
    return rc;
}

/* ---- capacity ----------------------------------------------------------- */

static void help_capacity(void)
{
    printf("Usage: headroom capacity --resources RES.csv [--events EV.csv] [--horizon DAYS]\n"
           "                         --out DIR INPUT...\n\n"
           "The capacity stage of 'run' on its own: reads INPUT (any format 'ingest'\n"
           "reads, or a store), splits every resource's growth into organic growth and\n"
           "inorganic steps matched to the events calendar, finds saturation dates, and\n"
           "writes DIR/capacity.json, DIR/capacity.md and DIR/capacity.html (DIR is\n"
           "created if missing).\n\n"
           "Options:\n"
           "  -r, --resources FILE  inventory CSV: series,capacity[,target_utilization,\n"
           "                        unit_capacity,units,redundancy,lead_time_days]\n"
           "  -e, --events FILE     events calendar CSV: date,name,scope,expected_change_pct\n"
           "                        (scope: a series key, a key prefix, or label=value)\n"
           "      --horizon DAYS    how far ahead saturation is looked for (365)\n"
           "  -o, --out DIR         output folder (required)\n"
           "  -f, --format FMT      input format: auto, or a name from 'ingest --help'\n"
           "      --tz ZONE         times without a UTC offset are local to ZONE (IANA name)\n"
           "  -h, --help            this text\n\n%s",
           exit_codes);
}

int cmd_capacity(int argc, char **argv)
{
    static const struct option lo[] = {{"resources", required_argument, 0, 'r'}, {"events", required_argument, 0, 'e'},
                                       {"horizon", required_argument, 0, 1},     {"out", required_argument, 0, 'o'},
                                       {"format", required_argument, 0, 'f'},    {"help", no_argument, 0, 'h'},
                                       {"quiet", no_argument, 0, 'q'},           {"verbose", no_argument, 0, 'v'},
                                       {"tz", required_argument, 0, OPT_TZ},     {0, 0, 0, 0}};
    hr_capacity_opts co = {0};
    co.horizon_days = 365;
    int c;
    while ((c = getopt_long(argc, argv, "r:e:o:f:hqv", lo, NULL)) != -1) {
        switch (c) {
        case 'r': co.resources = optarg; break;
        case 'e': co.events = optarg; break;
        case 'o': co.out_dir = optarg; break;
        case 1: {
            char *e;
            co.horizon_days = strtod(optarg, &e);
            if (*e || e == optarg || !(co.horizon_days >= 1 && co.horizon_days <= 3650))
                return usage_error("capacity", "bad --horizon '%s' (want 1 to 3650 days)", optarg);
            break;
        }
        case 'f':
            if (hr_format_parse(optarg, &co.format))
                return bad_format("capacity", optarg);
            break;
        case OPT_TZ: {
            int r = tz_option("capacity", optarg);
            if (r)
                return r;
            break;
        }
        case 'q': verbosity = 0; break;
        case 'v': verbosity++; break;
        case 'h': help_capacity(); return 0;
        default: return bad_option("capacity", argv);
        }
    }
    if (!co.resources)
        return usage_error("capacity", "--resources is required");
    if (!co.out_dir)
        return usage_error("capacity", "--out is required");
    if (optind >= argc)
        return usage_error("capacity", "no INPUT");
    co.tz = opt_tz;
    const char *must[] = {co.resources, co.events};
    for (int k = 0; k < 2; k++)
        if (must[k] && access(must[k], R_OK) != 0) {
            say(HR_DIAG_ERROR, "%s: cannot read: %s", must[k], strerror(errno));
            return HR_ENOINPUT;
        }
    if (!readable(argv + optind, argc - optind))
        return HR_ENOINPUT;
    hr_run_opts ro = {0};
    ro.diag = on_diag;
    hr_err err = {0};
    int rc = hr_capacity(argv + optind, (size_t)(argc - optind), &co, &ro, &err);
    if (rc)
        return fail(&err);
    say(HR_DIAG_INFO, "wrote %s/capacity.json, %s/capacity.md and %s/capacity.html", co.out_dir, co.out_dir,
            co.out_dir);
    return 0;
}

