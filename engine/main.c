/* main.c -- the headroom command line: parses options, calls the engine,
 * prints messages and picks the exit status. The only file that prints. */

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

#define HR_VERSION "0.1.0"

/* run: the reports are published but some exports were left out
 * ([ingest] on_bad_file = skip). Not a sysexits code, because the run did
 * its job; not 0, so cron still mails; not 1, which DESIGN.md keeps for
 * an opt-in exit on findings (--fail-on). */
#define EXIT_INPUT_SKIPPED 2

static int verbosity = 1; /* 0 = -q, 1 = default, 2 = -v, 3 = -vv */

static void say(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(int level, const char *fmt, ...)
{
    static const char *names[] = {"error", "warning", "info", "debug"};
    int need = level == HR_DIAG_ERROR ? 0 : level == HR_DIAG_WARN ? 1 : level == HR_DIAG_INFO ? 2 : 3;
    if (need > verbosity)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "headroom: %s: ", names[level < 4 ? level : 3]);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void on_diag(int level, const char *msg, void *ud)
{
    (void)ud;
    say(level, "%s", msg);
}

/* The progress line, only when stderr is a terminal. */
static void on_progress(size_t i, size_t n, const char *what, void *ud)
{
    (void)ud;
    if (i < n)
        fprintf(stderr, "\rheadroom: reading %s (%zu/%zu)\033[K", what, i + 1, n);
    else
        fprintf(stderr, "\rheadroom: writing %s\033[K", what);
}

static int fail(const hr_err *err)
{
    say(HR_DIAG_ERROR, "%s", err->msg);
    return err->code ? err->code : HR_ESOFTWARE;
}

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "headroom: error: ");
    vfprintf(stderr, fmt, ap);
    if (cmd)
        fprintf(stderr, "\nheadroom: error: try 'headroom %s --help'\n", cmd);
    else
        fprintf(stderr, "\nheadroom: error: try 'headroom --help'\n");
    va_end(ap);
    return HR_EUSAGE;
}

/* The message for getopt's '?' or ':' result. */
static int bad_option(const char *cmd, char **argv)
{
    const char *arg = argv[optind - 1];
    if (optopt && strncmp(arg, "--", 2) != 0)
        return usage_error(cmd, "option '-%c' %s", optopt,
                           strchr("sfo", optopt) ? "requires an argument" : "is unknown");
    if (strchr(arg, '='))
        return usage_error(cmd, "option '%.*s' takes no argument", (int)(strchr(arg, '=') - arg), arg);
    if (optopt)
        return usage_error(cmd, "option '%s' requires an argument", arg);
    return usage_error(cmd, "unknown option '%s'", arg);
}

static const char exit_codes[] =
    "Exit codes:\n"
    "  0   success\n"
    "  2   run: reports published, but input files were skipped (on_bad_file =\n"
    "      skip); the reports' Data problems section names them\n"
    "  64  usage error (bad command line)\n"
    "  65  bad input data (the message names file:line:column)\n"
    "  66  an input file is missing or unreadable\n"
    "  70  internal error (a bug: please report it)\n"
    "  73  cannot create an output file or directory\n"
    "  74  I/O error\n"
    "  75  another headroom run holds the store's lock; try again later\n"
    "  78  bad configuration\n";

static void help_main(void)
{
    printf("headroom %s: capacity planning and anomaly detection for metric exports.\n\n"
           "Usage: headroom COMMAND [OPTIONS] [ARGS]\n\n"
           "Commands:\n"
           "  run      the nightly job: ingest, analyse every series, write the reports\n"
           "  ingest   read metric exports (CSV, Prometheus JSON) into the HDF5 store\n"
           "  changepoints  level shifts and slope breaks of every series, as CSV\n"
           "  capacity organic growth, inorganic steps and saturation of the resources\n"
           "  forecast N steps ahead with prediction intervals, as CSV\n"
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

/* True when every path can be read ("-": standard input); else says
 * which cannot. */
static int readable(char *const *paths, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(paths[i], "-") != 0 && access(paths[i], R_OK) != 0) {
            say(HR_DIAG_ERROR, "%s: cannot read: %s", paths[i], strerror(errno));
            return 0;
        }
    return 1;
}

/* The usage error of an unknown --format, naming the known ones. */
static int bad_format(const char *cmd, const char *name)
{
    char names[256];
    return usage_error(cmd, "unknown format '%s' (want %s)", name, hr_format_list(names, sizeof names));
}

/* The zone of --tz (NULL: UTC), freed by main() after the command. */
static hr_tz *opt_tz;
enum { OPT_TZ = 256 }; /* getopt value of --tz in every command */

/* Opens --tz ZONE for cmd: a zone the tzdata lacks is a usage error. */
static int tz_option(const char *cmd, const char *zone)
{
    hr_err err = {0};
    hr_tz_free(opt_tz);
    opt_tz = NULL;
    if (hr_tz_open(zone, &opt_tz, &err))
        return err.code == HR_EUSAGE ? usage_error(cmd, "--tz: %s", err.msg) : fail(&err);
    return 0;
}

static int cmd_ingest(int argc, char **argv)
{
    static const struct option lo[] = {
        {"store", required_argument, 0, 's'},  {"format", required_argument, 0, 'f'},
        {"step", required_argument, 0, 1},     {"counter", required_argument, 0, 2},
        {"max-bad-share", required_argument, 0, 3}, {"replace", no_argument, 0, 4},
        {"tz", required_argument, 0, OPT_TZ},
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
    FILE *fp = stdout;
    if (out) {
        snprintf(tmp, sizeof tmp, "%s.tmp", out);
        fp = fopen(tmp, "w");
        if (!fp) {
            say(HR_DIAG_ERROR, "%s: cannot create: %s", tmp, strerror(errno));
            hr_seriesset_clear(&set);
            return HR_ECANTCREAT;
        }
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
    if (out) {
        int bad = ferror(fp) | fflush(fp);
        fclose(fp);
        if (rc == HR_OK && bad) {
            say(HR_DIAG_ERROR, "%s: write failed", tmp);
            rc = HR_EIO;
        }
        if (rc == HR_OK && hr_file_commit(tmp, out, &err))
            rc = fail(&err);
        if (rc)
            unlink(tmp);
    } else if (fflush(stdout) != 0) {
        say(HR_DIAG_ERROR, "stdout: write failed");
        rc = HR_EIO;
    }
    hr_seriesset_clear(&set);
    return rc;
}

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

/* Parses "24" or "24,168" (or "0" for none) into periods. */
static int parse_periods(const char *s, size_t *p, size_t *np)
{
    *np = 0;
    char *e;
    while (*s) {
        unsigned long v = strtoul(s, &e, 10);
        if (e == s || (*e && *e != ',') || *np >= 2 || v > 10000000)
            return -1;
        if (v == 1 || (v == 0 && *np))
            return -1;
        if (v)
            p[(*np)++] = v;
        s = *e ? e + 1 : e;
    }
    return 0;
}

/* Opens OUT (atomically through OUT.tmp) or stdout. */
static FILE *open_out(const char *out, char *tmp, size_t size)
{
    if (!out)
        return stdout;
    snprintf(tmp, size, "%s.tmp", out);
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        say(HR_DIAG_ERROR, "%s: cannot create: %s", tmp, strerror(errno));
    return fp;
}

static int close_out(FILE *fp, const char *out, const char *tmp, int rc)
{
    hr_err err = {0};
    if (!out) {
        if (fflush(stdout) != 0 && rc == HR_OK) {
            say(HR_DIAG_ERROR, "stdout: write failed");
            rc = HR_EIO;
        }
        return rc;
    }
    int bad = ferror(fp) | fflush(fp);
    fclose(fp);
    if (rc == HR_OK && bad) {
        say(HR_DIAG_ERROR, "%s: write failed", tmp);
        rc = HR_EIO;
    }
    if (rc == HR_OK && hr_file_commit(tmp, out, &err))
        rc = fail(&err);
    if (rc)
        unlink(tmp);
    return rc;
}

static int cmd_changepoints(int argc, char **argv)
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
    gc.organic_window_days = 90;
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

/* ---- forecast ----------------------------------------------------------- */

static void help_forecast(void)
{
    printf("Usage: headroom forecast --horizon N [--season P[,P2]] [--levels 80,95] [-o OUT.csv] INPUT...\n\n"
           "Forecasts every series of INPUT (any format 'ingest' reads, or a store) N steps\n"
           "ahead on its own grid, with prediction intervals. Each series is fitted on its\n"
           "current regime (the points after its last level shift, when enough remain).\n"
           "Models: seasonal naive, ETS with damped trend and Theta on the seasonally\n"
           "adjusted series, combined per series by rolling-origin holdout; intervals from\n"
           "the holdout errors at each step ahead.\n\n"
           "Output CSV: series,timestamp,mean,lo80,hi80,lo95,hi95 (one lo/hi pair per\n"
           "level, in the order given), one row per series and future step, series in\n"
           "input order, names as in INPUT.\n\n"
           "Options:\n"
           "  -H, --horizon N      steps ahead (required, 1 to 100000)\n"
           "      --season P[,P2]  seasonal periods in points (0 = none); default: detected\n"
           "      --levels L[,L2]  interval levels in percent (default 80,95)\n"
           "  -o, --out FILE       write the CSV to FILE (atomically)\n"
           "  -f, --format FMT     input format: auto, or a name from 'ingest --help'\n"
           "      --tz ZONE        times without a UTC offset are local to ZONE (IANA name)\n"
           "  -h, --help           this text\n\n%s",
           exit_codes);
}

static int cmd_forecast(int argc, char **argv)
{
    static const struct option lo[] = {{"horizon", required_argument, 0, 'H'}, {"season", required_argument, 0, 1},
                                       {"levels", required_argument, 0, 2},    {"out", required_argument, 0, 'o'},
                                       {"format", required_argument, 0, 'f'},  {"help", no_argument, 0, 'h'},
                                       {"quiet", no_argument, 0, 'q'},         {"verbose", no_argument, 0, 'v'},
                                       {"tz", required_argument, 0, OPT_TZ},   {0, 0, 0, 0}};
    const char *out = NULL;
    size_t per[2], np = (size_t)-1, H = 0;
    double levels[HR_FC_MAX_LEVELS] = {80, 95};
    size_t nlev = 2;
    int c;
    hr_ingest_opts io;
    hr_ingest_opts_init(&io);
    io.diag = on_diag;
    while ((c = getopt_long(argc, argv, "H:o:f:hqv", lo, NULL)) != -1) {
        switch (c) {
        case 'H': {
            char *e;
            unsigned long v = strtoul(optarg, &e, 10);
            if (*e || e == optarg || v < 1 || v > 100000)
                return usage_error("forecast", "bad --horizon '%s' (want 1 to 100000 steps)", optarg);
            H = v;
            break;
        }
        case 1:
            if (parse_periods(optarg, per, &np))
                return usage_error("forecast", "bad --season '%s' (want P or P,P2 in points, or 0)", optarg);
            break;
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
        case 'o': out = optarg; break;
        case 'f':
            if (hr_format_parse(optarg, &io.format))
                return bad_format("forecast", optarg);
            break;
        case OPT_TZ: {
            int r = tz_option("forecast", optarg);
            if (r)
                return r;
            break;
        }
        case 'q': verbosity = 0; break;
        case 'v': verbosity++; break;
        case 'h': help_forecast(); return 0;
        default: return bad_option("forecast", argv);
        }
    }
    if (!H)
        return usage_error("forecast", "--horizon is required");
    if (optind >= argc)
        return usage_error("forecast", "no INPUT");
    io.tz = opt_tz;
    if (!readable(argv + optind, argc - optind))
        return HR_ENOINPUT;
    hr_seriesset set = {0};
    hr_err err = {0};
    int rc = hr_input_load(argv + optind, (size_t)(argc - optind), &io, &set, NULL, &err);
    if (rc) {
        hr_seriesset_clear(&set);
        return fail(&err);
    }
    size_t n = set.n ? set.n : 1;
    double **mean = calloc(n, sizeof *mean), **los = calloc(n, sizeof *los), **his = calloc(n, sizeof *his);
    int *rcs = calloc(n, sizeof *rcs);
    int oom = !mean || !los || !his || !rcs;
    for (size_t i = 0; !oom && i < set.n; i++) {
        mean[i] = malloc(H * sizeof **mean);
        los[i] = malloc(nlev * H * sizeof **los);
        his[i] = malloc(nlev * H * sizeof **his);
        oom = !mean[i] || !los[i] || !his[i];
    }
    if (oom) {
        say(HR_DIAG_ERROR, "out of memory for %zu series x %zu steps", set.n, H);
        rc = HR_ESOFTWARE;
    } else {
        rc = hr_run_forecast_all(&set, H, per, np, levels, nlev, mean, los, his, rcs, &err);
        if (rc)
            fail(&err);
    }
    if (rc == HR_OK) {
        char tmp[4096], tb[40], nb[40];
        FILE *fp = open_out(out, tmp, sizeof tmp);
        if (!fp) {
            rc = HR_ECANTCREAT;
        } else {
            fputs("series,timestamp,mean", fp);
            for (size_t l = 0; l < nlev; l++)
                fprintf(fp, ",lo%s,hi%s", hr_fmt_double(levels[l], nb, sizeof nb), hr_fmt_double(levels[l], tb, sizeof tb));
            fputc('\n', fp);
            for (size_t i = 0; i < set.n; i++) {
                const hr_series *s = &set.s[i];
                if (rcs[i])
                    say(HR_DIAG_WARN, "series %s: no finite value to forecast from; its rows are empty", s->key);
                int64_t step = s->step_ms > 0 ? s->step_ms : 1000;
                int64_t last = s->t0_ms + (int64_t)(s->n ? s->n - 1 : 0) * s->step_ms;
                for (size_t h = 0; h < H; h++) {
                    hr_csv_put(fp, s->key);
                    fprintf(fp, ",%s", hr_time_format(last + (int64_t)(h + 1) * step, tb, sizeof tb));
                    double m = rcs[i] ? NAN : mean[i][h];
                    fprintf(fp, ",%s", isfinite(m) ? hr_fmt_double(m, nb, sizeof nb) : "");
                    for (size_t l = 0; l < nlev; l++) {
                        double a = rcs[i] ? NAN : los[i][l * H + h], b = rcs[i] ? NAN : his[i][l * H + h];
                        fprintf(fp, ",%s", isfinite(a) ? hr_fmt_double(a, nb, sizeof nb) : "");
                        fprintf(fp, ",%s", isfinite(b) ? hr_fmt_double(b, nb, sizeof nb) : "");
                    }
                    fputc('\n', fp);
                }
            }
            rc = close_out(fp, out, tmp, HR_OK);
        }
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

static int cmd_detect(int argc, char **argv)
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

static int cmd_capacity(int argc, char **argv)
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

/* ---- run --------------------------------------------------------------- */

static void help_run(void)
{
    printf("Usage: headroom run --config CONFIG.ini [--out DIR] [--now TIME] [--compare DIR] [-v|-q]\n"
           "                    [--print-config]\n\n"
           "The nightly job. Ingests the configured exports into the store (all or\n"
           "nothing, as 'ingest'), analyses every series in parallel, groups the\n"
           "anomalies into incidents, evaluates the SLOs and the incident log, and\n"
           "writes the reports (capacity.html, capacity.md, capacity.json,\n"
           "problems.html, problems.md, problems.json, summary.csv) into a new\n"
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

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
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
