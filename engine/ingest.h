/* ingest.h -- the readers for metric exports (FORMATS.md tier 1) and the
 * accumulator that turns their rows into series on a regular grid.
 * Owns: format detection, the accumulator (engine/ingest.c), series
 * keys, row validation with file:line:column messages, the per-file
 * share of rejected rows, and the store step; the readers are
 * engine/read_*.c (long and wide CSV: read_csv.c, the rows of a long CSV
 * file in parallel: read_csv_par.c; the others through ingest_rd.h),
 * placing series on their grids is engine/ingest_merge.c, opening an
 * input (a file or "-", gzip or plain) is engine/input.c.
 * Threads: hr_ingest_file and hr_ingest_merge use OpenMP inside; their
 * results and messages are the same at any OMP_NUM_THREADS.
 * Prints nothing: messages go to the caller's diag callback.
 * Not thread-safe: one hr_ingest per thread. */
#ifndef HR_INGEST_H
#define HR_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "series.h"
#include "tz.h"

typedef enum hr_format {
    HR_FMT_AUTO = 0,
    HR_FMT_LONG,
    HR_FMT_WIDE,
    HR_FMT_PROMETHEUS,
    HR_FMT_OPENMETRICS,
    HR_FMT_VICTORIA,
    HR_FMT_INFLUX,
    HR_FMT_INFLUXQL,
    HR_FMT_DATADOG,
    HR_FMT_CLOUDWATCH,
    HR_FMT_GRAPHITE
} hr_format;

enum { HR_DIAG_ERROR = 0, HR_DIAG_WARN = 1, HR_DIAG_INFO = 2 };

/* Receives one message (no trailing newline) at a level. */
typedef void (*hr_diag_fn)(int level, const char *msg, void *ud);

/* Values with a larger magnitude are rejected as absurd: no metric of a
 * real fleet comes near 1e24 (a yotta-unit), so such a value is a parse
 * or export bug, not data. */
#define HR_ABSURD_VALUE 1e24

typedef struct hr_ingest_opts {
    hr_format format;
    double max_bad_share;        /* a file fails above this share (default 0.01) */
    unsigned long max_reported;  /* rejected rows reported per file; 0 = all */
    int skip_bad_files;          /* hr_ingest_into_store: drop a failing file whole and
                                    store the others ([ingest] on_bad_file = skip) */
    int64_t step_ms;             /* grid step override for new series; 0 = detect */
    unsigned long long mem_budget; /* bytes all grids may take after a merge ([ingest] memory,
                                    --memory); default three quarters of physical memory,
                                    0 = no limit (ingest_merge.c checks it before they grow) */
    const char *const *counter_globs; /* keys matching any (fnmatch) are counters */
    size_t ncounter_globs;
    const hr_tz *tz;             /* zone of CSV times without a UTC offset; NULL = UTC (borrowed) */
    int keep_grids;              /* hr_ingest_into_store: hand the store's series, grids
                                    and values as written back in sum->grids */
    hr_diag_fn diag;
    void *diag_ud;
} hr_ingest_opts;

void hr_ingest_opts_init(hr_ingest_opts *o);

/* The longest series key accepted, in bytes. Prometheus-style keys are a
 * metric name and a few labels (Mimir's default limits: names of 1 KiB,
 * values of 2 KiB, 30 labels); a key past 4 KiB is an export that put a
 * payload (a URL with a query string, a stack trace) into a label, which
 * no report can show and which would make one series per row. A row
 * whose key is longer is rejected like a malformed one. */
#define HR_MAX_KEY 4096

/* The most columns a CSV header may have: 2^20. A wide export is one
 * series per column, and each costs a series builder and a grid; past a
 * million series a file is not a dashboard export but a dump to be split
 * (and a header that wide is more often a missing line end). */
#define HR_MAX_COLUMNS ((size_t)1 << 20)

/* Why a new series key is refused: "series key is longer than 4096
 * bytes (N)" or "series key is not valid UTF-8". */
const char *hr_key_refusal(const char *key, size_t len, char *buf, size_t size);
/* The default memory budget: three quarters of physical memory (0 when
 * the system does not say). */
unsigned long long hr_mem_budget_default(void);

typedef struct hr_file_stats {
    hr_format format;          /* the format read */
    unsigned long rows;        /* data records (rows, or values for JSON) */
    unsigned long bad;         /* rejected ones */
    unsigned long samples;     /* samples accepted */
    unsigned long nonfinite;   /* +Inf/-Inf values, kept as gaps */
    unsigned long series;      /* distinct series in the file */
    uint64_t bytes;
} hr_file_stats;

typedef struct hr_ingest hr_ingest;

/* Returns a new accumulator (caller frees) or NULL when out of memory.
 * opts is copied; the glob strings are borrowed. */
hr_ingest *hr_ingest_alloc(const hr_ingest_opts *opts);
void hr_ingest_free(hr_ingest *ig); /* NULL ok */

/* Reads one export (path "-": standard input; gzip-compressed input is
 * inflated) into the accumulator. Rejected rows are reported through
 * diag as "path:line:column: reason"; a local time that the zone's DST
 * makes nonexistent or ambiguous is read by the rule of tz.h and warned
 * about the same way (not a rejected row). Returns HR_OK, HR_ENOINPUT
 * (cannot open), HR_EIO, or HR_EINPUT when the file is unusable or its
 * rejected share exceeds max_bad_share. After a failure the accumulator
 * holds part of the file: discard it (ingest is all or nothing). */
int hr_ingest_file(hr_ingest *ig, const char *path, hr_file_stats *st, hr_err *err);

/* Number of series accumulated so far. */
size_t hr_ingest_nseries(const hr_ingest *ig);

/* Places everything read onto grids, merging into set: a key already in
 * set is merged under the rules of hr_series_place (stored values win
 * unless replace); new keys are appended in first-seen order. *changed
 * is set when set differs afterwards. Conflicts and off-grid samples are
 * reported through diag as warnings naming series and time. */
int hr_ingest_merge(hr_ingest *ig, hr_seriesset *set, int replace, int *changed, hr_err *err);

/* Renders metric + labels as metric{k="v",...} with labels sorted by name,
 * empty values dropped and \\ \" \n escaped. names/values have n entries.
 * Returns a new string (caller frees) or NULL. */
char *hr_key_render(const char *metric, const char *const *names, const char *const *values,
                    size_t n);

/* Parses a sample value: decimal numbers, NaN (a gap). Returns 0 with
 * *v set, 1 for +Inf/-Inf (*v = NaN, kept as a gap), or -1 with *why. */
int hr_value_parse(const char *s, size_t len, double *v, const char **why);

/* True when s[0..n) is valid UTF-8 without NUL bytes. */
int hr_utf8_valid(const char *s, size_t n);

/* The name of a format ("auto", "long", ...), and the format of a name
 * (0, or -1 when unknown); hr_format_list writes "auto, long, ... or x"
 * into buf (for messages) and returns buf. */
const char *hr_format_name(hr_format f);
int hr_format_parse(const char *name, hr_format *f);
char *hr_format_list(char *buf, size_t size);

/* ---- rows as read (for detect: one output row per input row) ------------ */

/* One data row of a long CSV, in input order: its timestamp and value
 * text as written, and what was made of them. */
typedef struct hr_logrow {
    long series;      /* builder index (hr_ingest_key), -1 when the row was rejected
                         before its series was known */
    int ok;           /* the row was accepted */
    int64_t t_ms;     /* parsed time (0 when rejected) */
    double v;         /* parsed value (NaN when rejected or a gap) */
    char *ts, *val;   /* the fields' text (owned by the accumulator) */
} hr_logrow;

/* Keeps every data row of long CSV files from now on (off by default). */
void hr_ingest_keep_rows(hr_ingest *ig, int on);
/* The rows kept, in input order; valid until the accumulator is freed. */
size_t hr_ingest_rows(const hr_ingest *ig, const hr_logrow **rows);
/* The key of builder b (a series seen so far), or NULL. */
const char *hr_ingest_key(const hr_ingest *ig, long b);
/* The layout of the last file read (HR_FMT_LONG, ...). */
hr_format hr_ingest_layout(const hr_ingest *ig);
/* True when the last long CSV named its series (a series or metric column). */
int hr_ingest_named(const hr_ingest *ig);

/* ---- the whole ingest step ---------------------------------------------- */

/* Called before each file (i of n) and before writing the store (i == n). */
typedef void (*hr_progress_fn)(size_t i, size_t n, const char *what, void *ud);

/* A file that hr_ingest_into_store dropped (opts->skip_bad_files). */
typedef struct hr_skipped_file {
    char *path;
    char *error;      /* why, as reported: "path:line:col: reason" or "path: reason" */
    char *first_bad;  /* the first rejected row's message when the file failed
                         on its share of rejected rows, else NULL */
} hr_skipped_file;

typedef struct hr_ingest_summary {
    size_t files, failed;
    size_t series_before, series_after;
    int changed;
    hr_skipped_file *skipped; /* files dropped, in input order (skip_bad_files) */
    size_t nskipped;
    /* with opts->keep_grids, after success: every series of the store in
     * its order, values included, as the store now holds them (so that
     * `run` need not read back what it has just written) */
    hr_seriesset grids;
} hr_ingest_summary;

/* Frees the skipped list and the grids; NULL ok. */
void hr_ingest_summary_clear(hr_ingest_summary *sum);

/* Reads files and merges them into the store at path, all or nothing:
 * when any file fails (reported through opts->diag) nothing is written
 * and HR_EINPUT (or the worst other status) is returned. The store is
 * only rewritten when something changed. The caller holds the lock.
 * With opts->skip_bad_files, a file that fails as input (HR_EINPUT,
 * HR_ENOINPUT, HR_EIO) is dropped whole instead, none of its rows kept,
 * and listed in sum->skipped; the other files are stored as if the
 * dropped ones had not been given, and HR_OK is returned. The caller
 * frees the list with hr_ingest_summary_clear, also after a failure. */
int hr_ingest_into_store(const char *store, char *const *files, size_t nfiles,
                         const hr_ingest_opts *opts, int replace, hr_progress_fn progress,
                         void *pud, hr_ingest_summary *sum, hr_err *err);


/* Reads INPUT files into set (empty on entry) without touching any store:
 * an HDF5 file is read as a headroom store, anything else as an export
 * (all or nothing, as ingest). The single-stage commands use this. When
 * present is not NULL it receives, per series of set, a new array of n
 * flags marking the grid slots that had an input row (for a store: the
 * finite values), so results can name rows of INPUT; the caller frees
 * each array and the list (set->n entries). */
int hr_input_load(char *const *paths, size_t n, const hr_ingest_opts *opts, hr_seriesset *set,
                  unsigned char ***present, hr_err *err);

#endif
