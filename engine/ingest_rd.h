/* ingest_rd.h -- what a format reader may call: the accumulator's side of
 * hr_ingest_file, internal to the ingest step (engine/ingest.c and the
 * engine/read_*.c readers; nothing else includes it).
 *
 * A reader is an hr_reader_fn: it reads one export from fp (already
 * decompressed; a UTF-8 BOM already skipped), finds or creates a series
 * per key with hr_rd_series, adds samples with hr_rd_sample, and for each
 * data record counts st->rows and, when the record is rejected, st->bad
 * after one hr_rd_reject naming where it is (line:column, or the JSON
 * path). A file that cannot be read at all is an error return with err
 * set (HR_EINPUT, "path:line:column: reason"); the 1% rule, the summary
 * messages and all-or-nothing are the caller's. */
#ifndef HR_INGEST_RD_H
#define HR_INGEST_RD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "ingest.h"

/* Reads one export; returns HR_OK or an hr_status with hr_rd_err set. */
typedef int (*hr_reader_fn)(hr_ingest *ig, FILE *fp);

/* The file being read (for messages), its counters, its error. */
const char *hr_rd_path(const hr_ingest *ig);
hr_file_stats *hr_rd_stats(hr_ingest *ig);
hr_err *hr_rd_err(hr_ingest *ig);

/* The series of key[0..len) (rendered by hr_key_render): its index, -1
 * when out of memory, -2 when the key is not valid UTF-8. */
long hr_rd_series(hr_ingest *ig, const char *key, size_t len);

/* Marks series bid as a counter (an export that says so, such as
 * OpenMetrics' "# TYPE x counter"). */
void hr_rd_counter(hr_ingest *ig, long bid);

/* Adds one sample (v NaN: a gap) to series bid; counts it in
 * st->samples. Returns 0, or -1 when out of memory. */
int hr_rd_sample(hr_ingest *ig, long bid, int64_t t_ms, double v);
/* The line of the rows whose samples follow (readers of line-based text
 * call it per row), so a refused grid can name the row of its outlying
 * timestamp (ingest_merge.c). */
void hr_rd_line(hr_ingest *ig, unsigned long line);

/* Reports one rejected record: "path:line:col: why" when line is not 0,
 * else "path: why" (why then starts with the JSON path). Counts nothing:
 * the reader adds 1 to st->bad. */
void hr_rd_reject(hr_ingest *ig, unsigned long line, unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A warning about the file (not a rejection), through the diag callback. */
void hr_rd_warn(hr_ingest *ig, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a timestamp as every reader does (hr_time_parse: epoch numbers
 * by magnitude, RFC 3339, "YYYY-MM-DD HH:MM:SS"; times without an offset
 * in the --tz zone, with a warning naming the file when DST makes one
 * nonexistent or ambiguous). Returns 0, or -1 with *why. */
int hr_rd_time(hr_ingest *ig, const char *s, size_t len, int64_t *t_ms, const char **why);

/* Parses a sample value given as text (hr_value_parse) or as a JSON-style
 * number; on a problem returns -1 with *why. Returns 0 (a value or NaN,
 * a gap) or 1 (+Inf/-Inf: *v = NaN, counted in st->nonfinite). */
int hr_rd_value(hr_ingest *ig, const char *s, size_t len, double *v, const char **why);
int hr_rd_number(hr_ingest *ig, double x, double *v, const char **why);

/* Quotes at most 40 bytes of s for a message, escaping controls. */
const char *hr_rd_excerpt(const char *s, size_t n, char *buf, size_t size);

/* ---- the readers (one file each: engine/read_*.c) ---- */

int hr_read_prometheus(hr_ingest *ig, FILE *fp); /* read_prom.c */
int hr_read_openmetrics(hr_ingest *ig, FILE *fp); /* read_openmetrics.c */
int hr_read_victoria(hr_ingest *ig, FILE *fp);    /* read_victoria.c */

/* The series of a metric name and labels (names must not hold __name__),
 * keyed by hr_key_render: its index, -2 with *why when the key is empty
 * or not valid UTF-8 (reject the record), or -1 (no memory). Shared by
 * the label-set readers; in read_openmetrics.c. */
long hr_rd_label_series(hr_ingest *ig, const char *name, const char *const *names, const char *const *vals,
                        size_t n, const char **why);

/* Format detection from the head of an input (its first up to 64 KiB,
 * after a BOM): true when it looks like the reader's format. */
int hr_sniff_openmetrics(const unsigned char *h, size_t n); /* read_openmetrics.c */
int hr_sniff_victoria(const unsigned char *h, size_t n);    /* read_victoria.c */

int hr_read_influx(hr_ingest *ig, FILE *fp);     /* read_influx.c: InfluxDB 2 annotated CSV */
int hr_read_influxql(hr_ingest *ig, FILE *fp);   /* read_influx.c: InfluxDB 1 InfluxQL CSV */
/* read_influx.c: HR_FMT_INFLUX or HR_FMT_INFLUXQL from an input's head, else HR_FMT_AUTO */
hr_format hr_sniff_influx(const unsigned char *h, size_t n);

int hr_read_datadog(hr_ingest *ig, FILE *fp);    /* read_datadog.c */
int hr_read_cloudwatch(hr_ingest *ig, FILE *fp); /* read_cloudwatch.c */
int hr_read_graphite(hr_ingest *ig, FILE *fp);   /* read_graphite.c */

#endif
