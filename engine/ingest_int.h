/* ingest_int.h -- the accumulator's state and the helpers its two halves
 * share: engine/ingest.c (accumulator, inputs, format detection, the
 * store step), engine/read_csv.c (long and wide CSV, the row log) and
 * engine/read_csv_par.c (the data rows of a long CSV file in parallel),
 * engine/ingest_merge.c (hr_ingest_merge).
 * Internal to them; the other readers use ingest_rd.h. */
#ifndef HR_INGEST_INT_H
#define HR_INGEST_INT_H

#include <stdint.h>
#include <stdio.h>

#include "ingest.h"
#include "ingest_rd.h"
#include "strmap.h"

/* One sample as the accumulator keeps it until the merge: 16 bytes, not
 * the 24 of hr_sample. The input order that hr_sample's seq records is
 * the order of a builder's array instead: every reader appends a
 * series' samples in input order (across files too), so a stable sort
 * by time keeps "last wins" (ingest_merge.c). */
typedef struct hr_rawpt {
    int64_t t_ms;
    double v;
} hr_rawpt;

/* The next capacity of a builder array of cap samples: 1.5 times, from
 * 16. Doubling left a typical export (8,640 samples a series a month at
 * 5 minutes) in a 16,384 array, 47 % unused; at 1.5 the unused part is
 * at most a third, and a series whose array is large enough to be
 * mmapped grows by mremap without a copy. */
static inline size_t hr_ig_grow(size_t cap) { return cap < 16 ? 16 : cap + cap / 2; }

typedef struct builder {
    char *key;
    int kind;
    hr_rawpt *smp; /* freed by hr_ingest_merge once placed */
    size_t n, cap;
    unsigned long file_gen; /* last file that touched it, to count series per file */
    /* its earliest and latest sample and where each was read (the first
     * of equal times): file number (ig->fpath[f - 1]) and line, 0 when
     * the reader has no lines; named when the grid they imply is refused
     * (ingest_merge.c) */
    int64_t tmin, tmax;
    unsigned long fmin, fmax, lmin, lmax; /* fmin == 0: no sample yet */
} builder;

struct hr_ingest {
    hr_ingest_opts o;
    hr_strmap map;
    builder *b;
    size_t nb, bcap;
    unsigned long file_gen;
    char **fpath;      /* fpath[g - 1]: the path of file number g */
    size_t nfpath;
    /* per file */
    const char *path;
    hr_file_stats *st;
    hr_err *err;
    unsigned long line; /* the line of the row being read (0: unknown), set by readers that count lines */
    unsigned long reported;
    unsigned long tz_warned; /* DST warnings this file */
    /* CSV layout */
    int header_done;
    hr_format layout;
    size_t ncol;
    long c_time, c_value, c_series, c_metric;
    size_t *lab_cols;      /* label columns, sorted by name */
    size_t nlab;
    char **colnames;
    size_t *wide_bid;      /* wide: builder per column */
    /* key cache: last key and its builder */
    char *last_key;
    size_t last_len, last_cap, last_bid;
    /* scratch for rendering keys */
    const char **lnames, **lvals;
    char *single_key; /* timestamp,value files: the series is the file */
    unsigned char ***present; /* hr_input_load: per series, slots that had a row */
    size_t npresent;
    /* the row log (detect) */
    int keep_rows;
    hr_logrow *rows;
    size_t nrows, rows_cap;
    long row_bid;
    int64_t row_t;
    double row_v;
    /* metric+labels layout: raw field tuple -> builder, so a key is
     * validated and rendered once per series, not once per row */
    hr_strmap tuples;
    char *tup;
    size_t tcap;
    /* the input is a plain regular file that can be read again by
     * offset: a long CSV's rows may go to read_csv_par.c */
    int par_ok;
};

/* A message through the caller's diag callback. */
void hr_ig_diag(hr_ingest *ig, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* One rejected row: "path:line:col: why" (capped per file). */
void hr_ig_reject(hr_ingest *ig, unsigned long line, unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The builder of a key: its index, -1 (no memory) or -2 (not UTF-8). */
long hr_ig_builder(hr_ingest *ig, const char *key, size_t len);
/* Appends a sample to builder bid (not counted in st->samples), read at
 * line ig->line of the current file. */
int hr_ig_add_sample(hr_ingest *ig, size_t bid, int64_t t_ms, double v);
/* Keeps t, read at line of the current file, as builder b's earliest or
 * latest sample when it is one (the first of equal times stays). */
static inline void hr_ig_extent(builder *b, unsigned long gen, int64_t t, unsigned long line)
{
    if (b->fmin == 0 || t < b->tmin) {
        b->tmin = t;
        b->fmin = gen;
        b->lmin = line;
    }
    if (b->fmax == 0 || t > b->tmax) {
        b->tmax = t;
        b->fmax = gen;
        b->lmax = line;
    }
}
/* The DST warning of a local time read by the rule of tz.h. */
void hr_ig_warn_dst(hr_ingest *ig, unsigned long line, unsigned long col, const char *ex, int dst, int64_t t);

/* read_csv.c: the long / wide CSV reader, and the reset of its layout
 * state between files (and before freeing). */
int hr_read_csv(hr_ingest *ig, FILE *fp);
void hr_ig_csv_reset(hr_ingest *ig);

/* read_csv_par.c: reads the data rows of the long CSV file ig->path
 * (header done, delimiter delim) from stream offset off (bytes after a
 * byte-order mark), whose line number is line, with OpenMP threads, into
 * the accumulator exactly as the sequential path would. Returns HR_OK,
 * an hr_status with ig->err set, or HR_CSV_TAIL: a quoted field spans
 * the edge of a piece, and the rest of the file from file offset
 * *tail_off (line *tail_line) must be read sequentially. */
#define HR_CSV_TAIL 1001
int hr_read_csv_par(hr_ingest *ig, uint64_t off, unsigned long line, unsigned char delim, uint64_t *tail_off,
                    unsigned long *tail_line);

/* ingest.c: a guess, from the format given or sniffed and the head of
 * the file, whether it is a long CSV that read_csv_par.c reads in
 * parallel (a plain file): 1, also for standard input and an unreadable
 * file; else 0. Only where it is read depends on it, not what is read. */
int hr_ingest_par_csv(const hr_ingest_opts *o, const char *path);

/* ingest_ahead.c: files read ahead on a second thread (see there). With
 * threads >= 2 and two files or more of which some are not parallel long
 * CSV, starts the thread and returns the handle, else NULL (read every
 * file on this thread). files must outlive it. */
typedef struct hr_ahead hr_ahead;
hr_ahead *hr_ahead_start(char *const *files, size_t nfiles, const hr_ingest_opts *o, int threads);
/* True when file i is read ahead (a NULL handle: none is). */
int hr_ahead_has(const hr_ahead *a, size_t i);
/* Waits for file i, prints its messages through ig's diag and, when it
 * was read, absorbs its series into ig as reading it into ig would have.
 * Returns as hr_ingest_file does, with *st and *err. Once per file, in
 * input order. */
int hr_ahead_take(hr_ahead *a, size_t i, hr_ingest *ig, hr_file_stats *st, hr_err *err);
/* Stops reading ahead (the file being read is finished), waits for the
 * thread and frees everything not taken. NULL is a no-op. */
void hr_ahead_stop(hr_ahead *a);

#endif
