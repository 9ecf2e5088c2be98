/* main.c -- the headroom command line: parses options, calls the engine,
 * prints messages and picks the exit status. The command line (this file,
 * cli.c and the single-stage commands in cli_analyze.c) is the only code
 * that prints. Here: main, ingest, info, dump and run. */

#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <hdf5.h>
#include <inttypes.h>
#include <malloc.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dist.h"
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

#define HR_VERSION "0.1.0"

/* run: the reports are published but some exports were left out
 * ([ingest] on_bad_file = skip). Not a sysexits code, because the run did
 * its job; not 0, so cron still mails; not 1, which DESIGN.md keeps for
 * an opt-in exit on findings (--fail-on). */
#define EXIT_INPUT_SKIPPED 2

static void help_main(void)
{
    printf("headroom %s: capacity planning and anomaly detection for metric exports.\n\n"
           "Usage: headroom COMMAND [OPTIONS] [ARGS]\n\n"
           "Commands:\n"
           "  run      the nightly job: ingest, analyse every series, write the reports\n"
           "  ingest   read metric exports (CSV, Prometheus JSON) into the HDF5 store\n"
           "  changepoints  level shifts and slope breaks of every series, as CSV\n"
           "  capacity organic growth, inorganic steps and saturation of the resources\n"
           "  forecast N steps (or a duration) ahead with prediction intervals, as CSV\n"
           "  backtest rolling-origin accuracy of the forecasts on the input's history\n"
           "  detect   causal anomaly scores of every point, as CSV\n"
           "  info     list the series in a store\n"
           "  dump     write a store's series as long CSV\n\n"
           "Options:\n"
           "  -h, --help     this text; 'headroom COMMAND --help' for a command\n"
           "  -V, --version  print the version\n\n"
           "Messages go to stderr as 'headroom: LEVEL: text'; nothing is printed on\n"
           "success unless -v is given.\n\n%s",
           HR_VERSION, exit_codes);
}

/* ---- ingest ------------------------------------------------------------ */

static void help_ingest(void)
{
    printf("Usage: headroom ingest --store STORE.h5 [OPTIONS] FILE...\n\n"
           "Reads metric exports into the store, creating it if needed. Each series\n"
           "is put on a regular grid (step detected per series); gaps stay empty.\n"
           "Ingesting the same export twice changes nothing; a newer export appends.\n"
           "All or nothing: if any file fails, the store is left exactly as it was.\n\n"
           "Formats (--format, default auto):\n"
           "  long        CSV with timestamp, value and series, or metric plus label\n"
           "              columns (key rendered metric{k=\"v\",...}, labels sorted)\n"
           "  wide        Grafana CSV: Time, then one column per series\n"
           "  prometheus  /api/v1/query_range JSON (matrix or vector), or its result list\n"
           "  openmetrics OpenMetrics or Prometheus text with a time on every\n"
           "              sample (promtool tsdb dump, dump-openmetrics); the unit\n"
           "              (s or ms) is fixed per file by the first timestamp\n"
           "  victoriametrics\n"
           "              VictoriaMetrics /api/v1/export JSON lines\n"
           "  influx      InfluxDB 2 annotated CSV (Flux results, influx query --raw);\n"
           "              key <_measurement>_<_field>{tags}\n"
           "  influxql    InfluxDB 1 InfluxQL CSV (influx -format csv): name,tags,time,\n"
           "              then fields; key <name>_<field>{tags}\n"
           "  datadog     Datadog /api/v1/query JSON (series[].pointlist)\n"
           "  cloudwatch  aws cloudwatch get-metric-data output (MetricDataResults)\n"
           "  graphite    Graphite render?format=json (target, datapoints)\n"
           "Timestamps: epoch s/ms/us/ns (by magnitude), RFC 3339, or\n"
           "'YYYY-MM-DD HH:MM:SS' (UTC, or local time in the --tz zone).\n\n"
           "Options:\n"
           "  -s, --store FILE        the HDF5 store (required)\n"
           "  -f, --format FMT        one of the formats above, or auto (the default)\n"
           "      --step DUR          grid step for new series (e.g. 60s, 5m, 1h);\n"
           "                          default: the median gap between samples\n"
           "      --counter GLOB      series whose key matches GLOB are counters\n"
           "                          (besides every metric named *_total); counters\n"
           "                          are stored raw and read back as per-second rates\n"
           "      --max-bad-share F   a file with more rejected rows than this share\n"
           "                          fails (default 0.01, i.e. 1%%)\n"
           "      --memory SIZE       refuse an input whose grids would take more than\n"
           "                          SIZE (e.g. 512M, 8G; 0: no limit; default three\n"
           "                          quarters of physical memory)\n"
           "      --replace           overwrite stored values that the export changes\n"
           "                          (default: keep stored values and warn)\n"
           "      --tz ZONE           times without a UTC offset are local time in ZONE,\n"
           "                          an IANA name such as Europe/Berlin (default UTC);\n"
           "                          epochs and times with Z or an offset stay as they are\n"
           "  -v, --verbose           report per file and store totals (-vv: more)\n"
           "  -q, --quiet             errors only\n"
           "  -h, --help              this text\n\n"
           "Rules: a sample lands on the nearest grid point; several samples for one\n"
           "point keep the latest timestamp, and for equal timestamps the last one in\n"
           "input order. NaN is a gap; +Inf/-Inf are kept as gaps with a warning.\n"
           "Each rejected row is reported as file:line:column: reason (the first 1000\n"
           "per file; -v shows all). A local time that daylight saving skips or\n"
           "repeats is read with the offset in effect just before the change (a\n"
           "skipped 02:30 as if the clock had not moved yet, a repeated one as its\n"
           "first occurrence) and warned about the same way; the row is kept.\n\n%s",
           exit_codes);
}

static int cmd_ingest(int argc, char **argv)
{
    static const struct option lo[] = {
        {"store", required_argument, 0, 's'},  {"format", required_argument, 0, 'f'},
        {"step", required_argument, 0, 1},     {"counter", required_argument, 0, 2},
        {"max-bad-share", required_argument, 0, 3}, {"replace", no_argument, 0, 4},
        {"tz", required_argument, 0, OPT_TZ},  {"memory", required_argument, 0, 5},
        {"verbose", no_argument, 0, 'v'},      {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    hr_ingest_opts o;
    hr_ingest_opts_init(&o);
    const char *store = NULL;
    const char **globs = NULL;
    size_t nglobs = 0;
    int replace = 0, c, rc;
    while ((c = getopt_long(argc, argv, "s:f:vqh", lo, NULL)) != -1) {
        switch (c) {
        case 's': store = optarg; break;
        case 'f':
            if (hr_format_parse(optarg, &o.format))
                return bad_format("ingest", optarg);
            break;
        case 1:
            if (hr_duration_parse(optarg, &o.step_ms))
                return usage_error("ingest", "bad --step '%s' (want e.g. 60s, 5m, 1h)", optarg);
            break;
        case 2: {
            const char **g = realloc(globs, (nglobs + 1) * sizeof *g);
            if (!g)
                return HR_ESOFTWARE;
            globs = g;
            globs[nglobs++] = optarg;
            break;
        }
        case 3: {
            char *e;
            o.max_bad_share = strtod(optarg, &e);
            if (*e || e == optarg || !(o.max_bad_share >= 0 && o.max_bad_share <= 1)) {
                free(globs);
                return usage_error("ingest", "bad --max-bad-share '%s' (want a share from 0 to 1)", optarg);
            }
            break;
        }
        case 4: replace = 1; break;
        case 5:
            if (hr_size_parse(optarg, &o.mem_budget)) {
                free(globs);
                return usage_error("ingest", "bad --memory '%s' (want a size like 512M or 8G; 0: no limit)", optarg);
            }
            break;
        case OPT_TZ:
            if ((rc = tz_option("ingest", optarg))) {
                free(globs);
                return rc;
            }
            break;
        case 'v': verbosity++; break;
        case 'q': verbosity = 0; break;
        case 'h': help_ingest(); free(globs); return 0;
        default: free(globs); return bad_option("ingest", argv);
        }
    }
    if (!store) {
        free(globs);
        return usage_error("ingest", "--store is required");
    }
    if (optind >= argc) {
        free(globs);
        return usage_error("ingest", "no input files");
    }
    if (verbosity >= 2)
        o.max_reported = 0;
    o.counter_globs = globs;
    o.ncounter_globs = nglobs;
    o.tz = opt_tz;
    o.diag = on_diag;
    int nfiles = argc - optind;
    char **files = argv + optind;
    if (!readable(files, nfiles)) {
        free(globs);
        return HR_ENOINPUT;
    }

    hr_err err = {0};
    int lockfd = -1;
    rc = hr_store_lock(store, &lockfd, &err);
    if (rc) {
        free(globs);
        return fail(&err);
    }
    hr_ingest_summary sum;
    rc = hr_ingest_into_store(store, files, (size_t)nfiles, &o, replace, isatty(2) && verbosity > 0 ? on_progress : NULL,
                              NULL, &sum, &err);
    if (isatty(2) && verbosity > 0)
        fprintf(stderr, "\r\033[K");
    if (rc)
        fail(&err);
    else
        say(HR_DIAG_INFO, "store %s: %zu series (%zu new)%s", store, sum.series_after,
            sum.series_after - sum.series_before, sum.changed ? "" : ", unchanged");
    hr_store_unlock(lockfd);
    free(globs);
    return rc;
}

/* ---- info -------------------------------------------------------------- */

static void help_info(void)
{
    printf("Usage: headroom info [-q] STORE.h5\n\n"
           "Lists the series in a store, one per line: key, kind, step, first and\n"
           "last time, points, gaps; then a total line.\n\n%s",
           exit_codes);
}

static int cmd_info(int argc, char **argv)
{
    static const struct option lo[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        if (c == 'h') {
            help_info();
            return 0;
        }
        return bad_option("info", argv);
    }
    if (optind != argc - 1)
        return usage_error("info", "want exactly one store");
    hr_seriesset set = {0};
    hr_err err = {0};
    int rc = hr_store_load(argv[optind], &set, &err);
    if (rc)
        return fail(&err);
    size_t total = 0, gaps = 0;
    char a[40], b[40];
    printf("series\tkind\tstep_s\tfirst\tlast\tpoints\tgaps\n");
    for (size_t i = 0; i < set.n; i++) {
        hr_series *s = &set.s[i];
        size_t g = 0;
        for (size_t k = 0; k < s->n; k++)
            g += isnan(s->v[k]);
        total += s->n;
        gaps += g;
        printf("%s\t%s\t%g\t%s\t%s\t%zu\t%zu\n", s->key, s->kind == HR_COUNTER ? "counter" : "gauge",
               (double)s->step_ms / 1000.0, hr_time_format(s->t0_ms, a, sizeof a),
               hr_time_format(s->t0_ms + (int64_t)(s->n ? s->n - 1 : 0) * s->step_ms, b, sizeof b),
               s->n, g);
    }
    printf("total: %zu series, %zu points, %zu gaps\n", set.n, total, gaps);
    hr_seriesset_clear(&set);
    return 0;
}

/* ---- dump -------------------------------------------------------------- */

static void help_dump(void)
{
    printf("Usage: headroom dump [--series KEY] [--raw] [-o OUT.csv] STORE.h5\n\n"
           "Writes the store's series as long CSV 'timestamp,series,value' (RFC 3339\n"
           "times, gaps omitted), in store order. Counters are written as per-second\n"
           "rates unless --raw is given.\n\n"
           "Options:\n"
           "      --series KEY  only this series (exact key)\n"
           "      --raw         counters as stored (raw cumulative values)\n"
           "  -o, --out FILE    write to FILE (atomically) instead of stdout\n\n%s",
           exit_codes);
}

static int cmd_dump(int argc, char **argv)
{
    static const struct option lo[] = {{"series", required_argument, 0, 1}, {"raw", no_argument, 0, 2},
                                       {"out", required_argument, 0, 'o'},  {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
    const char *only = NULL, *out = NULL;
    int raw = 0, c;
    while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
        switch (c) {
        case 1: only = optarg; break;
        case 2: raw = 1; break;
        case 'o': out = optarg; break;
        case 'h': help_dump(); return 0;
        default: return bad_option("dump", argv);
        }
    }
    if (optind != argc - 1)
        return usage_error("dump", "want exactly one store");
    hr_seriesset set = {0};
    hr_err err = {0};
    int rc = hr_store_load(argv[optind], &set, &err);
    if (rc)
        return fail(&err);
    char tmp[4096];
    FILE *fp = open_out(out, tmp, sizeof tmp);
    if (!fp) {
        hr_seriesset_clear(&set);
        return HR_ECANTCREAT;
    }
    fputs("timestamp,series,value\n", fp);
    char tb[40], nb[40];
    int found = 0;
    for (size_t i = 0; i < set.n; i++) {
        hr_series *s = &set.s[i];
        if (only && strcmp(only, s->key) != 0)
            continue;
        found = 1;
        double *v = s->v, *rate = NULL;
        if (s->kind == HR_COUNTER && !raw && s->n) {
            rate = malloc(s->n * sizeof *rate);
            if (!rate) {
                rc = HR_ESOFTWARE;
                break;
            }
            hr_series_rate(s, rate);
            v = rate;
        }
        for (size_t k = 0; k < s->n; k++) {
            if (isnan(v[k]))
                continue;
            fputs(hr_time_format(s->t0_ms + (int64_t)k * s->step_ms, tb, sizeof tb), fp);
            fputc(',', fp);
            hr_csv_put(fp, s->key);
            fprintf(fp, ",%s\n", hr_fmt_double(v[k], nb, sizeof nb));
        }
        free(rate);
    }
    if (only && !found) {
        say(HR_DIAG_ERROR, "%s: no series \"%s\"", argv[optind], only);
        rc = HR_EINPUT;
    }
    rc = close_out(fp, out, tmp, rc);
    hr_seriesset_clear(&set);
    return rc;
}

/* ---- run --------------------------------------------------------------- */

static void help_run(void)
{
    printf("Usage: headroom run --config CONFIG.ini [--out DIR] [--now TIME] [--compare DIR] [-v|-q]\n"
           "                    [--print-config]\n\n"
           "The nightly job. Ingests the configured exports into the store (all or\n"
           "nothing, as 'ingest'), analyses every series in parallel, groups the\n"
           "anomalies into incidents, evaluates the SLOs and the incident log, and\n"
           "writes the reports (capacity.html, capacity.md, capacity.json,\n"
           "problems.html, problems.md, problems.json, summary.csv, and changes.json,\n"
           "changes.md against the previous run, and a postmortem draft\n"
           "postmortems/<incident id>.md per critical or major incident) into a new\n"
           "directory DIR/<UTC stamp>/, then points\n"
           "DIR/latest at it. DIR is the config's [output] dir (default out/).\n"
           "Holds the store's lock for the whole run.\n\n"
           "With [ingest] on_bad_file = skip, a file that fails is left out whole, the\n"
           "others are stored, the reports are published and the run exits 2. Series\n"
           "whose last point is more than [input] stale_after (48h) before the newest\n"
           "data get status 'stale' and no saturation date or order. Both reports\n"
           "open with a Data problems section naming the skipped files (with their\n"
           "file:line:column errors) and the stale series.\n\n"
           "Each run compares itself with the previous report folder (the one DIR/latest\n"
           "pointed to, or --compare) and writes changes.json and changes.md: actions\n"
           "new, still open and closed (by their stable ids), saturation dates moved by\n"
           "7 days or more, new incidents; both HTML reports open with them. [output]\n"
           "keep = N removes the report folders beyond the newest N.\n\n"
           "Options:\n"
           "  -c, --config FILE   the INI configuration (see README.md)\n"
           "  -o, --out DIR       output folder, overriding [output] dir\n"
           "      --now TIME      the run's clock (RFC 3339 or epoch seconds) instead of\n"
           "                      the wall clock: names the report directory and is the\n"
           "                      time the reports' 'newest data ... before this run'\n"
           "                      line compares with, so reruns give the same bytes\n"
           "      --compare DIR   compare with this report folder instead of the one\n"
           "                      DIR/latest points to (an error when it cannot be read)\n"
           "      --print-config  print the effective configuration and exit\n"
           "  -v, --verbose       report progress and the report directory\n"
           "  -q, --quiet         errors only\n"
           "  -h, --help          this text\n\n%s",
           exit_codes);
}

static int cmd_run(int argc, char **argv)
{
    static const struct option lo[] = {{"config", required_argument, 0, 'c'}, {"out", required_argument, 0, 'o'},
                                       {"print-config", no_argument, 0, 1},    {"verbose", no_argument, 0, 'v'},
                                       {"quiet", no_argument, 0, 'q'},         {"help", no_argument, 0, 'h'},
                                       {"now", required_argument, 0, 2},       {"compare", required_argument, 0, 3},
                                       {0, 0, 0, 0}};
    const char *config = NULL, *out = NULL, *why = NULL, *compare = NULL;
    int print = 0, c;
    int64_t now_ms = 0;
    while ((c = getopt_long(argc, argv, "c:o:vqh", lo, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'o': out = optarg; break;
        case 1: print = 1; break;
        case 2:
            if (hr_time_parse(optarg, strlen(optarg), &now_ms, &why) != 0 || now_ms <= 0)
                return usage_error("run", "--now: want an RFC 3339 time or epoch seconds, got '%s'%s%s", optarg,
                                   why ? ": " : "", why ? why : "");
            break;
        case 3: compare = optarg; break;
        case 'v': verbosity++; break;
        case 'q': verbosity = 0; break;
        case 'h': help_run(); return 0;
        default: return bad_option("run", argv);
        }
    }
    if (!config)
        return usage_error("run", "--config is required");
    if (optind != argc)
        return usage_error("run", "unexpected argument '%s'", argv[optind]);
    hr_config cfg;
    hr_err err = {0};
    int rc = hr_config_load(config, &cfg, &err);
    if (rc) {
        hr_config_clear(&cfg);
        return fail(&err);
    }
    if (out) {
        free(cfg.out_dir);
        cfg.out_dir = strdup(out);
    }
    if (print) {
        hr_config_print(&cfg, stdout);
        hr_config_clear(&cfg);
        return 0;
    }
    hr_run_opts ro = {0};
    ro.diag = on_diag;
    ro.now_ms = now_ms;
    ro.compare_dir = compare;
    if (isatty(2) && verbosity > 0)
        ro.progress = on_progress;
    char dir[4096] = "";
    hr_run_outcome res;
    rc = hr_run(&cfg, &ro, dir, sizeof dir, &res, &err);
    if (ro.progress)
        fprintf(stderr, "\r\033[K");
    if (rc) {
        fail(&err);
    } else if (res.files_skipped) {
        say(HR_DIAG_WARN, "reports written to %s without %zu skipped input file%s (see Data problems)", dir,
            res.files_skipped, res.files_skipped == 1 ? "" : "s");
        rc = EXIT_INPUT_SKIPPED;
    } else {
        say(HR_DIAG_INFO, "reports written to %s", dir);
    }
    /* info, not a warning: a retired series would mail cron every night */
    if (res.stale_series)
        say(HR_DIAG_INFO, "%zu stale series (see Data problems)", res.stale_series);
    hr_config_clear(&cfg);
    return rc;
}

/* The command line of every rank of an MPI job (./headroom-mpi; the plain
 * build is one rank): rank 0 does what the plain build does; the other
 * ranks take their share of `run` silently (rank 0 reports their
 * failures) and skip every other command, exiting 0. */
static int main_cmd(int argc, char **argv);

/* Two settings the libraries read once, before main, from the
 * environment, so the program starts again with them set (the same
 * process and arguments; without /proc it goes on as it is); a setting
 * the environment already has is left as it is.
 * - OMP_WAIT_POLICY=passive: OpenMP threads that wait for work sleep
 *   rather than spin; a spinning thread takes the core from the thread
 *   that reads the JSON exports beside the long CSV (ingest_ahead.c) and
 *   from the other work the machine runs. Measured on the 10,000-series
 *   night: 29.2 -> 27.7 s wall, 10 % less CPU.
 * - GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (glibc 2.35 and later): malloc
 *   asks the kernel for transparent huge pages, where the kernel leaves
 *   them to the program ("madvise", Debian's default). The night's 1.4 GB
 *   of samples and its grids were touched a 4 KiB page at a time, a page
 *   fault each: a tenth of the CPU. Measured on the 10,000-series night
 *   at 2 threads, three alternating pairs: 27.5-27.6 -> 25.1-25.4 s wall,
 *   kernel time 5.0-5.2 -> 3.3-3.4 s, user 46.7 -> 44.4-45.2 s, peak RSS
 *   +5 MB; the same bytes out. */
static void start_with_env(char **argv)
{
    int set_wait = 0, set_tun = 0;
    if (!getenv("OMP_WAIT_POLICY") && setenv("OMP_WAIT_POLICY", "passive", 1) == 0)
        set_wait = 1;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
    if (!getenv("GLIBC_TUNABLES") && setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1) == 0)
        set_tun = 1;
#endif
    if (!set_wait && !set_tun)
        return;
    execv("/proc/self/exe", argv);
    /* not started again: as it was */
    if (set_wait)
        unsetenv("OMP_WAIT_POLICY");
    if (set_tun)
        unsetenv("GLIBC_TUNABLES");
}

/* Two settings of malloc (mallopt(3)), fixed before any allocation:
 * - M_MMAP_THRESHOLD 32 MiB: a block below it comes from the heap. The
 *   default threshold starts at 128 KiB and rises only as mapped blocks
 *   are freed, so a series' samples (140 KiB for a year of hours), grown
 *   by realloc, were mapped, copied and unmapped over and over, a page
 *   fault per 4 KiB in the fresh mapping each time (1,721 mappings of
 *   164 KiB in the 10,000-series night).
 * - M_TRIM_THRESHOLD 256 MiB: the top of the heap is given back to the
 *   kernel only when that much is free, not at every free of its last
 *   block; memory given back and taken again is faulted in and zeroed
 *   again.
 * Measured on `ingest` of the 10,000-series exports at 2 threads, pairs
 * alternated: long CSV 11.3-12.0 -> 10.1-10.4 s CPU (6.8-7.2 -> 6.0 s
 * wall), Grafana CSV and Prometheus JSON 7.6-7.7 -> 7.0-7.1 s CPU; peak
 * RSS +30 to +50 MB; the same store. */
static void malloc_settings(void)
{
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

int main(int argc, char **argv)
{
    start_with_env(argv);
    malloc_settings();
    if (hr_dist_init(&argc, &argv)) {
        fprintf(stderr, "headroom: error: cannot start MPI\n");
        return HR_ESOFTWARE;
    }
    int rank = hr_dist_rank(), rc;
    if (rank != 0 && (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)))
        rc = HR_ESOFTWARE;
    else if (rank != 0 && (argc < 2 || strcmp(argv[1], "run") != 0))
        rc = 0;
    else
        rc = main_cmd(argc, argv);
    hr_dist_finalize();
    return rc;
}

static int main_cmd(int argc, char **argv)
{
    gsl_set_error_handler_off();
    /* no HDF5 exit handler: after a failed write (disk full, file size
     * limit) HDF5 keeps the half-written file open and its exit handler
     * crashes flushing it again; the process ends anyway, and the store
     * was never touched (the write went to STORE.h5.tmp) */
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (argc < 2) {
        help_main();
        return HR_EUSAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        help_main();
        return 0;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("headroom %s\n", HR_VERSION);
        return 0;
    }
    argc--;
    argv++;
    optind = 1;
    opterr = 0; /* bad options are reported by bad_option() */
    int rc;
    if (strcmp(cmd, "run") == 0)
        rc = cmd_run(argc, argv);
    else if (strcmp(cmd, "changepoints") == 0)
        rc = cmd_changepoints(argc, argv);
    else if (strcmp(cmd, "capacity") == 0)
        rc = cmd_capacity(argc, argv);
    else if (strcmp(cmd, "forecast") == 0)
        rc = cmd_forecast(argc, argv);
    else if (strcmp(cmd, "backtest") == 0)
        rc = cmd_backtest(argc, argv);
    else if (strcmp(cmd, "detect") == 0)
        rc = cmd_detect(argc, argv);
    else if (strcmp(cmd, "ingest") == 0)
        rc = cmd_ingest(argc, argv);
    else if (strcmp(cmd, "info") == 0)
        rc = cmd_info(argc, argv);
    else if (strcmp(cmd, "dump") == 0)
        rc = cmd_dump(argc, argv);
    else
        rc = usage_error(NULL, "unknown command '%s'", cmd);
    hr_tz_free(opt_tz);
    return rc;
}
