/* csvread.h -- record-at-a-time CSV reading on top of libcsv, with the
 * physical line and byte column of every field, for located errors.
 * Owns: BOM and Excel "sep=" handling, delimiter sniffing, line counting.
 * Does not interpret fields. Reentrant: one hr_csv per file. */
#ifndef HR_CSVREAD_H
#define HR_CSVREAD_H

#include <stddef.h>
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

/* Locates field k (0-based) of row: 1-based physical line and byte
 * column of its first byte. For k == row->nf, the position just past the
 * record (where a missing field would start). */
void hr_csv_locate(const hr_csvrow *row, size_t k, unsigned char delim, unsigned long *line,
                   unsigned long *col);

/* The delimiter in effect for the file being read (valid in callbacks). */
unsigned char hr_csv_delim(const hr_csvrow *row);

#endif
