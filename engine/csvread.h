/* csvread.h -- record-at-a-time CSV reading on top of libcsv, with the
 * physical line and byte column of every field, for located errors.
 * Owns: BOM and Excel "sep=" handling, delimiter sniffing, line counting,
 * and the fast path: a line that starts a record and holds no quote and
 * no carriage return before its end is split with memchr instead of
 * libcsv, giving the same fields; any other line goes through libcsv.
 * Does not interpret fields. Reentrant: one hr_csv per file (or per
 * thread reading a piece of one). */
#ifndef HR_CSVREAD_H
#define HR_CSVREAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

/* One parsed record. Fields are NUL-terminated copies owned by the reader
 * and valid only during the callback. */
typedef struct hr_csvrow {
    size_t nf;
    char **f;               /* nf field strings */
    size_t *len;            /* their lengths */
    unsigned long line;     /* 1-based physical line where the record starts */
    const char *raw;        /* raw bytes of the record (without line end) */
    size_t rawlen;
} hr_csvrow;

/* Called per record; return 0 to go on, non-zero to stop reading (that
 * value is then returned by hr_csv_read). */
typedef int (*hr_csv_row_fn)(const hr_csvrow *row, void *ud);

/* Called for a record libcsv cannot parse (stray quote): the reader
 * resynchronises at the next line. */
typedef void (*hr_csv_bad_fn)(unsigned long line, unsigned long col, const char *why, void *ud);

/* Reads all of fp. delim 0 sniffs ',' ';' or '\t' from the first record.
 * A leading UTF-8 BOM and an Excel "sep=X" first line are skipped.
 * Returns 0, the callback's non-zero value, or an hr_status with err set
 * (I/O error, unterminated quote at end of file). path is for messages. */
int hr_csv_read(FILE *fp, const char *path, unsigned char delim, hr_csv_row_fn row_fn,
                hr_csv_bad_fn bad_fn, void *ud, hr_err *err);

/* Where hr_csv_read_at starts and where it stopped. */
typedef struct hr_csv_at {
    unsigned long line;  /* in: 0 = fp is at the start of the input (BOM, "sep=",
                            sniffing); else fp's first line has this number and
                            delim must be given. out: the last line read */
    uint64_t off;        /* out: bytes read from fp through that line */
    unsigned char delim; /* out: the delimiter in effect */
} hr_csv_at;

/* hr_csv_read, starting where at says (NULL: at the start) and telling
 * in *at where it stopped: after a callback's non-zero value, the line
 * of that record and the bytes through it, so that a caller can go on
 * reading the rest of the input by other means. */
int hr_csv_read_at(FILE *fp, const char *path, unsigned char delim, hr_csv_row_fn row_fn,
                   hr_csv_bad_fn bad_fn, void *ud, hr_csv_at *at, hr_err *err);

/* ---- line at a time, for callers that split the input themselves ---- */

typedef struct hr_csv hr_csv; /* opaque */

/* A reader for delimiter delim (not 0) whose lines the caller feeds.
 * Returns new (free with hr_csv_free) or NULL when out of memory. path
 * is borrowed, for messages. */
hr_csv *hr_csv_alloc(const char *path, unsigned char delim, hr_csv_row_fn row_fn, hr_csv_bad_fn bad_fn,
                     void *ud);
void hr_csv_free(hr_csv *r); /* NULL ok */

/* Feeds one physical line s[0..n) (with its '\n', or without at the end
 * of input) numbered lineno. Records it completes go to row_fn. Returns
 * 0, the callback's non-zero value, or an hr_status with err set. */
int hr_csv_feed(hr_csv *r, const char *s, size_t n, unsigned long lineno, hr_err *err);

/* True when a record began on a line fed and has not ended yet (a quoted
 * field spans lines, or the last line had no line end). */
int hr_csv_pending(const hr_csv *r);

/* Ends the input: the last record when it had no line end, or the error
 * of a quote never closed. Returns as hr_csv_feed. */
int hr_csv_finish(hr_csv *r, hr_err *err);

/* Locates field k (0-based) of row: 1-based physical line and byte
 * column of its first byte. For k == row->nf, the position just past the
 * record (where a missing field would start). */
void hr_csv_locate(const hr_csvrow *row, size_t k, unsigned char delim, unsigned long *line,
                   unsigned long *col);

/* The delimiter in effect for the file being read (valid in callbacks). */
unsigned char hr_csv_delim(const hr_csvrow *row);

#endif
