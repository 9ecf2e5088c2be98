/* cli_forecast.c -- the `forecast` and `backtest` commands: forecasts of
 * every series of the input with intervals (and, with --explain, the
 * model behind each), and rolling-origin accuracy over the input's own
 * history. The work is engine/fcrun.c's; this file parses, checks the
 * seasons against each series and writes the CSVs. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fcrun.h"
#include "forecast.h"
#include "numfmt.h"
#include "series.h"
#include "timefmt.h"

/* A number cell: shortest round-trip text, empty when not finite. */
static void put_num(FILE *fp, double x)
{
    char nb[40];
    fprintf(fp, ",%s", isfinite(x) ? hr_fmt_double(x, nb, sizeof nb) : "");
}

/* A length as given, for messages: "8760" or "365d". */
static const char *len_text(const hr_len *l, const char *arg, char *buf, size_t size)
{
    if (l->steps)
        snprintf(buf, size, "%zu", l->steps);
    else
        snprintf(buf, size, "%s", arg);
    return buf;
}

/* The plan of each series of set: the horizon in its steps and the
 * seasons given (np == (size_t)-1: detect). A season that a series cannot
 * support (fewer than two cycles of points, or a duration shorter than
 * two of its steps) is dropped from that series' plan with a warning,
 * rather than giving a silently flat forecast; when every season given
 * is dropped, the series' seasons are detected as without --season. */
static void make_plans(const hr_seriesset *set, const hr_len *horizon, const hr_len *per, size_t np,
                       const char *season_arg, hr_fc_plan *plan)
{
    char b1[64];
    for (size_t i = 0; i < set->n; i++) {
        const hr_series *s = &set->s[i];
        hr_fc_plan *pl = &plan[i];
        memset(pl, 0, sizeof *pl);
        pl->H = hr_len_steps(horizon, s->step_ms, 1);
        if (!pl->H)
            say(HR_DIAG_WARN, "series %s: a single point has no step to count a --horizon duration in; "
                "its rows are empty", s->key);
        if (pl->H > 100000) {
            say(HR_DIAG_WARN, "series %s: --horizon is %zu of its steps; capped at 100000", s->key, pl->H);
            pl->H = 100000;
        }
        pl->np = np;
        if (np == (size_t)-1)
            continue;
        pl->np = 0;
        for (size_t k = 0; k < np; k++) {
            size_t P = hr_len_steps(&per[k], s->step_ms, 0);
            if (P < 2) {
                say(HR_DIAG_WARN, "series %s: season %s is under two of its steps: not used", s->key,
                    len_text(&per[k], season_arg, b1, sizeof b1));
                continue;
            }
            if (s->n < 2 * P) {
                say(HR_DIAG_WARN, "series %s: season %s (%zu points) needs two cycles, %zu points; the series "
                    "has %zu: not used", s->key, len_text(&per[k], season_arg, b1, sizeof b1), P,
                    2 * P, s->n);
                continue;
            }
            if (pl->np && P % pl->periods[0]) {
                say(HR_DIAG_WARN, "series %s: the second season (%zu points) is not a multiple of the first "
                    "(%zu): not used", s->key, P, pl->periods[0]);
                continue;
            }
            pl->periods[pl->np++] = P;
        }
        if (np && !pl->np) {
            pl->np = (size_t)-1;
            say(HR_DIAG_WARN, "series %s: no season given fits it: its seasons are detected", s->key);
        }
    }
}

/* The --explain row of series s: the model's account and what its
 * forecast (mean[0..H)) says: level (the mean over the first season, or
 * over the horizon without one), trend (least-squares slope of the mean,
 * per day) and seasonal amplitude (range of the mean around that line
 * over the first season). */
static void put_explain(FILE *fp, const hr_series *s, const hr_fc_why *w, const double *mean, size_t H, int rc)
{
    char tb[40];
    hr_csv_put(fp, s->key);
    if (rc) {
        fputs(",,,,,,,,,,,,,\n", fp);
        return;
    }
    const hr_fc_info *in = &w->info;
    fprintf(fp, ",%s,", hr_fc_model_name(in->model));
    int first = 1;
    for (int c = 0; c < HR_FC_NMODELS; c++)
        if (in->weight[c] > 0) {
            char nb[40];
            fprintf(fp, "%s%s:%s", first ? "" : ";", hr_fc_model_name(c), hr_fmt_double(round(in->weight[c] * 1000) / 1000, nb, sizeof nb));
            first = 0;
        }
    fprintf(fp, ",%s,", in->log_scale ? "log" : "raw");
    for (size_t k = 0; k < w->np; k++)
        fprintf(fp, "%s%zu", k ? ";" : "", w->periods[k]);
    fputc(',', fp);
    if (in->period2 && (w->np < 2 || in->period2 != w->periods[1]))
        fprintf(fp, "%zu", in->period2);
    fprintf(fp, ",%s,%zu", hr_time_format(s->t0_ms + (int64_t)w->start * s->step_ms, tb, sizeof tb),
            s->n - w->start);
    size_t P = w->np ? w->periods[0] : 0, L = P && P <= H ? P : H;
    double lev = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (size_t h = 0; h < L; h++)
        lev += mean[h];
    for (size_t h = 0; h < H; h++) {
        sx += (double)h;
        sy += mean[h];
        sxx += (double)h * (double)h;
        sxy += (double)h * mean[h];
    }
    double den = (double)H * sxx - sx * sx;
    double slope = H > 1 && den > 0 ? ((double)H * sxy - sx * sy) / den : NAN;
    double per_day = s->step_ms > 0 && isfinite(slope) ? slope * 86400000.0 / (double)s->step_ms : NAN;
    double amp = NAN;
    if (P && P <= H && isfinite(slope)) {
        double icpt = (sy - slope * sx) / (double)H, mn = INFINITY, mx = -INFINITY;
        for (size_t h = 0; h < P; h++) {
            double r = mean[h] - (icpt + slope * (double)h);
            mn = r < mn ? r : mn;
            mx = r > mx ? r : mx;
        }
        amp = mx - mn;
    }
    put_num(fp, L ? lev / (double)L : NAN);
    put_num(fp, per_day);
    put_num(fp, amp);
    put_num(fp, in->holdout_mase);
    fprintf(fp, ",%zu,%zu\n", in->norigins, in->gaps);
}

/* What forecast and backtest both take. */
typedef struct fc_args {
    hr_len horizon, per[2];
    size_t np;              /* (size_t)-1: no --season */
    const char *season_arg; /* --season as given, for messages */
    const char *out;
    hr_ingest_opts io;
} fc_args;

static void fc_args_init(fc_args *a)
{
    memset(a, 0, sizeof *a);
    a->np = (size_t)-1;
    hr_ingest_opts_init(&a->io);
    a->io.diag = on_diag;
}

/* Handles getopt result c of cmd if it is an option both commands take:
 * returns -1 when it is not, else 0 or the exit code of a bad value. */
static int fc_common_opt(const char *cmd, int c, fc_args *a)
{
    switch (c) {
    case 'H':
        if (hr_len_parse(optarg, 100000, &a->horizon))
            return usage_error(cmd, "bad --horizon '%s' (want 1 to 100000 steps, or a duration such as 7d)", optarg);
        return 0;
    case 1:
        if (hr_len_parse_periods(optarg, a->per, &a->np))
            return usage_error(cmd, "bad --season '%s' (want P or P,P2 in points or as durations such as 1d,1w, or 0)",
                               optarg);
        a->season_arg = optarg;
        return 0;
    case 'o': a->out = optarg; return 0;
    case 'f': return hr_format_parse(optarg, &a->io.format) ? bad_format(cmd, optarg) : 0;
    case OPT_TZ: return tz_option(cmd, optarg);
    case 'q': verbosity = 0; return 0;
    case 'v': verbosity++; return 0;
    default: return -1;
    }
}

/* The horizon check and INPUTs read into set, as every single-stage
 * command reads them; on failure set is cleared and the exit code
 * returned. */
static int load(const char *cmd, char **paths, int n, fc_args *a, hr_seriesset *set)
{
    if (!a->horizon.steps && !a->horizon.ms)
        return usage_error(cmd, "--horizon is required");
    if (n <= 0)
        return usage_error(cmd, "no INPUT");
    a->io.tz = opt_tz;
    if (!readable(paths, n))
        return HR_ENOINPUT;
    hr_err err = {0};
    int rc = hr_input_load(paths, (size_t)n, &a->io, set, NULL, &err);
    if (rc) {
        hr_seriesset_clear(set);
        return fail(&err);
    }
    return HR_OK;
}

static void help_forecast(void)
{
    printf("Usage: headroom forecast --horizon N|DUR [--season P[,P2]] [--levels 80,95]\n"
           "                         [--explain FILE] [-o OUT.csv] INPUT...\n\n"
           "Forecasts every series of INPUT (any format 'ingest' reads, or a store) ahead\n"
           "on its own grid, with prediction intervals. Each series is fitted on its\n"
           "current regime (the points after its last level shift, when enough remain).\n"
           "Models: seasonal naive, ETS with damped trend and Theta on the seasonally\n"
           "adjusted series, combined per series by rolling-origin holdout; intervals from\n"
           "the holdout errors at each step ahead.\n\n"
           "Output CSV: series,timestamp,mean,lo80,hi80,lo95,hi95 (one lo/hi pair per\n"
           "level, in the order given), one row per series and future step, series in\n"
           "input order, names as in INPUT.\n\n"
           "--explain FILE writes one row per series: series,model,combination,scale,\n"
           "season,second_season,regime_start,points,level,trend_per_day,\n"
           "seasonal_amplitude,holdout_mase,holdout_origins,gaps_filled (README:\n"
           "forecast, detect).\n\n"
           "Options:\n"
           "  -H, --horizon N|DUR  steps ahead (1 to 100000), or a duration (7d, 168h, 1w)\n"
           "                       counted in each series' own steps (rounded up)\n"
           "      --season P[,P2]  seasonal periods in points or as durations (1d,1w);\n"
           "                       0 = none; default: detected. A season a series cannot\n"
           "                       support (under two cycles of data) is dropped with a\n"
           "                       warning (none left: detected)\n"
           "      --levels L[,L2]  interval levels in percent (default 80,95)\n"
           "      --explain FILE   write the model and components per series to FILE\n"
           "  -o, --out FILE       write the CSV to FILE (atomically)\n"
           "  -f, --format FMT     input format: auto, or a name from 'ingest --help'\n"
           "      --tz ZONE        times without a UTC offset are local to ZONE (IANA name)\n"
           "  -h, --help           this text\n\n%s",
           exit_codes);
}

/* Writes the forecast CSV (and the --explain CSV) of set. */
static int write_forecasts(const hr_seriesset *set, const hr_fc_plan *plan, const double *levels, size_t nlev,
                           double **mean, double **los, double **his, const int *rcs, const hr_fc_why *why,
                           const char *out, const char *explain)
{
    char tmp[4096], tb[40], nb[40];
    FILE *fp = open_out(out, tmp, sizeof tmp);
    if (!fp)
        return HR_ECANTCREAT;
    fputs("series,timestamp,mean", fp);
    for (size_t l = 0; l < nlev; l++)
        fprintf(fp, ",lo%s,hi%s", hr_fmt_double(levels[l], nb, sizeof nb), hr_fmt_double(levels[l], tb, sizeof tb));
    fputc('\n', fp);
    for (size_t i = 0; i < set->n; i++) {
        const hr_series *s = &set->s[i];
        size_t H = plan[i].H;
        if (rcs[i] && H)
            say(HR_DIAG_WARN, "series %s: no finite value to forecast from; its rows are empty", s->key);
        int64_t step = s->step_ms > 0 ? s->step_ms : 1000;
        int64_t last = s->t0_ms + (int64_t)(s->n ? s->n - 1 : 0) * s->step_ms;
        for (size_t h = 0; h < H; h++) {
            hr_csv_put(fp, s->key);
            fprintf(fp, ",%s", hr_time_format(last + (int64_t)(h + 1) * step, tb, sizeof tb));
            put_num(fp, rcs[i] ? NAN : mean[i][h]);
            for (size_t l = 0; l < nlev; l++) {
                put_num(fp, rcs[i] ? NAN : los[i][l * H + h]);
                put_num(fp, rcs[i] ? NAN : his[i][l * H + h]);
            }
            fputc('\n', fp);
        }
    }
    int rc = close_out(fp, out, tmp, HR_OK);
    if (rc || !explain)
        return rc;
    char tmp2[4096];
    FILE *ep = open_out(explain, tmp2, sizeof tmp2);
    if (!ep)
        return HR_ECANTCREAT;
    fputs("series,model,combination,scale,season,second_season,regime_start,points,level,trend_per_day,"
          "seasonal_amplitude,holdout_mase,holdout_origins,gaps_filled\n", ep);
    for (size_t i = 0; i < set->n; i++)
        put_explain(ep, &set->s[i], &why[i], mean[i], plan[i].H, rcs[i]);
    return close_out(ep, explain, tmp2, HR_OK);
}

int cmd_forecast(int argc, char **argv)
{
    static const struct option lo[] = {{"horizon", required_argument, 0, 'H'}, {"season", required_argument, 0, 1},
                                       {"levels", required_argument, 0, 2},    {"out", required_argument, 0, 'o'},
                                       {"format", required_argument, 0, 'f'},  {"help", no_argument, 0, 'h'},
                                       {"quiet", no_argument, 0, 'q'},         {"verbose", no_argument, 0, 'v'},
                                       {"tz", required_argument, 0, OPT_TZ},   {"explain", required_argument, 0, 3},
                                       {0, 0, 0, 0}};
    const char *explain = NULL;
    fc_args A;
    fc_args_init(&A);
    double levels[HR_FC_MAX_LEVELS] = {80, 95};
    size_t nlev = 2;
    int c;
    while ((c = getopt_long(argc, argv, "H:o:f:hqv", lo, NULL)) != -1) {
        int r = fc_common_opt("forecast", c, &A);
        if (r > 0)
            return r;
        if (r == 0)
            continue;
        switch (c) {
        case 2: {
            nlev = 0;
            const char *q = optarg;
            while (*q) {
                char *e;
                double L = strtod(q, &e);
                if (e == q || (*e && *e != ',') || !(L > 0 && L < 100) || nlev >= HR_FC_MAX_LEVELS)
                    return usage_error("forecast", "bad --levels '%s' (want percentages above 0 and below 100, e.g. 80,95)", optarg);
                levels[nlev++] = L;
                q = *e ? e + 1 : e;
            }
            if (!nlev)
                return usage_error("forecast", "bad --levels '%s'", optarg);
            break;
        }
        case 3: explain = optarg; break;
        case 'h': help_forecast(); return 0;
        default: return bad_option("forecast", argv);
        }
    }
    hr_seriesset set = {0};
    int rc = load("forecast", argv + optind, argc - optind, &A, &set);
    if (rc)
        return rc;
    size_t n = set.n ? set.n : 1;
    double **mean = calloc(n, sizeof *mean), **los = calloc(n, sizeof *los), **his = calloc(n, sizeof *his);
    int *rcs = calloc(n, sizeof *rcs);
    hr_fc_plan *plan = calloc(n, sizeof *plan);
    hr_fc_why *why = explain ? calloc(n, sizeof *why) : NULL;
    int oom = !mean || !los || !his || !rcs || !plan || (explain && !why);
    if (!oom)
        make_plans(&set, &A.horizon, A.per, A.np, A.season_arg, plan);
    for (size_t i = 0; !oom && i < set.n; i++) {
        size_t H = plan[i].H ? plan[i].H : 1;
        mean[i] = malloc(H * sizeof **mean);
        los[i] = malloc(nlev * H * sizeof **los);
        his[i] = malloc(nlev * H * sizeof **his);
        oom = !mean[i] || !los[i] || !his[i];
    }
    hr_err err = {0};
    if (oom) {
        say(HR_DIAG_ERROR, "out of memory for %zu series", set.n);
        rc = HR_ESOFTWARE;
    } else if ((rc = hr_run_forecast_all(&set, plan, levels, nlev, mean, los, his, rcs, why, &err))) {
        fail(&err);
    } else {
        rc = write_forecasts(&set, plan, levels, nlev, mean, los, his, rcs, why, A.out, explain);
    }
    for (size_t i = 0; i < set.n; i++) {
        if (mean)
            free(mean[i]);
        if (los)
            free(los[i]);
        if (his)
            free(his[i]);
    }
    free(mean);
    free(los);
    free(his);
    free(rcs);
    free(plan);
    free(why);
    hr_seriesset_clear(&set);
    return rc;
}

/* ---- backtest ------------------------------------------------------------ */

static void help_backtest(void)
{
    printf("Usage: headroom backtest --horizon N|DUR [--origins K] [--every N|DUR]\n"
           "                         [--season P[,P2]] [-o OUT.csv] INPUT...\n\n"
           "Judges the forecasts on INPUT's own history (any format 'ingest' reads, or a\n"
           "store): for each series, K rolling origins, the newest one horizon before the\n"
           "last point and each older one --every earlier; at each origin the series is\n"
           "forecast exactly as 'forecast' would from the points before it (level shifts\n"
           "and seasons found in them alone) and scored on the points after it. Origins\n"
           "that would leave fewer than 48 points of history are skipped.\n\n"
           "Output CSV, one row per series in input order (sort it as you like):\n"
           "  series,origins,horizon,points,smape,mase,coverage80,coverage95,model,season\n"
           "  smape: mean over the scored points of 200 |y - f| / (|y| + |f|), percent\n"
           "  mase: mean over origins of the forecast's MAE / the MAE of the seasonal naive\n"
           "        forecast in the history before that origin (season: the model's first,\n"
           "        else 1), as in the M4 competition; under 1 beats the naive forecast\n"
           "  coverage80, coverage95: share of scored points inside the 80 %% / 95 %%\n"
           "        intervals (well calibrated: about 0.80 and 0.95)\n"
           "  model, season: the best candidate and first season at the newest origin\n"
           "  A series too short for one origin has origins 0 and empty scores.\n\n"
           "Options:\n"
           "  -H, --horizon N|DUR  steps ahead (1 to 100000), or a duration (7d, 168h, 1w)\n"
           "      --origins K      rolling origins per series (1 to 1000; default 4)\n"
           "      --every N|DUR    between origins (default: the horizon)\n"
           "      --season P[,P2]  as for 'forecast'\n"
           "  -o, --out FILE       write the CSV to FILE (atomically)\n"
           "  -f, --format FMT     input format: auto, or a name from 'ingest --help'\n"
           "      --tz ZONE        times without a UTC offset are local to ZONE (IANA name)\n"
           "  -h, --help           this text\n\n%s",
           exit_codes);
}

int cmd_backtest(int argc, char **argv)
{
    static const struct option lo[] = {{"horizon", required_argument, 0, 'H'}, {"season", required_argument, 0, 1},
                                       {"origins", required_argument, 0, 2},   {"every", required_argument, 0, 3},
                                       {"out", required_argument, 0, 'o'},     {"format", required_argument, 0, 'f'},
                                       {"help", no_argument, 0, 'h'},          {"quiet", no_argument, 0, 'q'},
                                       {"verbose", no_argument, 0, 'v'},       {"tz", required_argument, 0, OPT_TZ},
                                       {0, 0, 0, 0}};
    fc_args A;
    fc_args_init(&A);
    hr_len every = {0, 0};
    size_t norigins = 4;
    int c;
    while ((c = getopt_long(argc, argv, "H:o:f:hqv", lo, NULL)) != -1) {
        int r = fc_common_opt("backtest", c, &A);
        if (r > 0)
            return r;
        if (r == 0)
            continue;
        switch (c) {
        case 2: {
            char *e;
            unsigned long v = strtoul(optarg, &e, 10);
            if (*e || e == optarg || v < 1 || v > 1000)
                return usage_error("backtest", "bad --origins '%s' (want 1 to 1000)", optarg);
            norigins = v;
            break;
        }
        case 3:
            if (hr_len_parse(optarg, 10000000, &every))
                return usage_error("backtest", "bad --every '%s' (want steps or a duration such as 1d)", optarg);
            break;
        case 'h': help_backtest(); return 0;
        default: return bad_option("backtest", argv);
        }
    }
    hr_seriesset set = {0};
    int rc = load("backtest", argv + optind, argc - optind, &A, &set);
    if (rc)
        return rc;
    size_t n = set.n ? set.n : 1;
    hr_fc_plan *plan = calloc(n, sizeof *plan);
    size_t *ev = calloc(n, sizeof *ev);
    hr_backtest *bt = calloc(n, sizeof *bt);
    hr_err err = {0};
    if (!plan || !ev || !bt) {
        say(HR_DIAG_ERROR, "out of memory for %zu series", set.n);
        rc = HR_ESOFTWARE;
    } else {
        make_plans(&set, &A.horizon, A.per, A.np, A.season_arg, plan);
        for (size_t i = 0; i < set.n; i++)
            ev[i] = every.steps || every.ms ? hr_len_steps(&every, set.s[i].step_ms, 1) : plan[i].H;
        if ((rc = hr_run_backtest(&set, plan, ev, norigins, bt, &err)))
            fail(&err);
    }
    if (rc == HR_OK) {
        char tmp[4096];
        FILE *fp = open_out(A.out, tmp, sizeof tmp);
        if (!fp) {
            rc = HR_ECANTCREAT;
        } else {
            fputs("series,origins,horizon,points,smape,mase,coverage80,coverage95,model,season\n", fp);
            for (size_t i = 0; i < set.n; i++) {
                hr_csv_put(fp, set.s[i].key);
                fprintf(fp, ",%zu,%zu,%zu", bt[i].origins, plan[i].H, bt[i].points);
                put_num(fp, bt[i].smape);
                put_num(fp, bt[i].mase);
                put_num(fp, bt[i].cover80);
                put_num(fp, bt[i].cover95);
                fprintf(fp, ",%s,", bt[i].origins ? hr_fc_model_name(bt[i].model) : "");
                if (bt[i].origins && bt[i].period)
                    fprintf(fp, "%zu", bt[i].period);
                fputc('\n', fp);
                if (!bt[i].origins)
                    say(HR_DIAG_WARN, "series %s: %zu points are too few for one origin (horizon %zu + 48)",
                        set.s[i].key, set.s[i].n, plan[i].H);
            }
            rc = close_out(fp, A.out, tmp, HR_OK);
        }
    }
    free(plan);
    free(ev);
    free(bt);
    hr_seriesset_clear(&set);
    return rc;
}
