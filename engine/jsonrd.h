/* jsonrd.h -- the streaming machinery the JSON readers share
 * (read_prom.c, read_datadog.c, read_cloudwatch.c, read_graphite.c).
 * Owns: feeding yajl from the input in 64 KiB chunks, the path to the
 * current value (for messages such as "data.result[3].values[17]"),
 * line:column of syntax errors (yajl gives byte offsets; lines are
 * counted here), and the pieces every layout has: [a, b] point tuples,
 * a series whose key may arrive after its points (JSON objects have no
 * key order), and times and values written as numbers or strings.
 * Memory: the path, yajl's own small buffers and one series' pending
 * points (only when its key comes after them); never the document, so
 * a reader's peak memory grows with the points it keeps.
 * Internal to the ingest step, as ingest_rd.h is. Not thread-safe: one
 * parse per hr_ingest at a time. */
#ifndef HR_JSONRD_H
#define HR_JSONRD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ingest_rd.h"

/* The role that ignores a container and everything inside it. */
#define HR_JR_SKIP 0
/* Roles the parser reads by itself, as set by hr_jr_points: a list of
 * point tuples, and a single tuple (Prometheus' instant "value"). */
#define HR_JR_POINTS 1000
#define HR_JR_PAIR 1001

typedef enum hr_jr_type { HR_JR_NULL, HR_JR_FALSE, HR_JR_TRUE, HR_JR_NUMBER, HR_JR_STRING } hr_jr_type;

/* A scalar as parsed. s is not NUL-terminated and lives only during the
 * callback: for a number its literal text ("1.5e3"), for a string its
 * unescaped bytes (valid UTF-8: yajl checks), else NULL. */
typedef struct hr_jr_val {
    hr_jr_type type;
    const char *s;
    size_t len;
} hr_jr_val;

typedef struct hr_jr hr_jr;

/* A reader's callbacks (never called inside HR_JR_POINTS or HR_JR_PAIR). "The place" is where the current value sits:
 * the innermost open container (its role, and its key or index), which
 * hr_jr_role, hr_jr_key_is, hr_jr_key and hr_jr_path describe. Each
 * returns -1 to stop the parse, with hr_rd_err(ig) set. */
typedef struct hr_jr_ops {
    /* A container opens at the place (is_array: '[', else '{'). Returns
     * its role: a reader's number > 0, or HR_JR_SKIP to ignore it and all
     * inside it (no callbacks until it closes). */
    int (*open)(hr_jr *jr, int is_array, void *ud);
    /* A scalar at the place (never inside a skipped container). */
    int (*scalar)(hr_jr *jr, const hr_jr_val *v, void *ud);
    /* A container of that role (not SKIP) closed; the place is its own
     * again, so hr_jr_path names it. */
    int (*close)(hr_jr *jr, int role, void *ud);
} hr_jr_ops;

/* Parses one JSON document from fp. Returns HR_OK; HR_EINPUT with
 * "path:line:column: message" for malformed JSON; or what a callback
 * set. A read error ends the parse with HR_OK: the caller checks
 * ferror(fp) (and the gzip state) and reports it. */
int hr_jr_parse(hr_ingest *ig, FILE *fp, const hr_jr_ops *ops, void *ud);

hr_ingest *hr_jr_ingest(const hr_jr *jr);
/* Open containers around the place (0 at the top level). */
size_t hr_jr_depth(const hr_jr *jr);
/* The innermost container's role (HR_JR_SKIP at the top level). */
int hr_jr_role(const hr_jr *jr);
/* True when the innermost container is an object and the place is its
 * member name. */
int hr_jr_key_is(const hr_jr *jr, const char *name);
/* The member name of the place (NULL in an array or at the top). */
const char *hr_jr_key(const hr_jr *jr, size_t *len);
/* Writes the path of the place ("data.result[3].values[17]", "[2]"
 * for an element of a top-level list, "" for the top) into buf; with up
 * > 0, the path of the container that many levels out (up 1: the
 * innermost container itself). */
const char *hr_jr_path(const hr_jr *jr, size_t up, char *buf, size_t size);

/* ---- pieces ------------------------------------------------------------- */

/* Copies a string value: into dst[size] (cut to fit), or into a new
 * *dst (the old one freed; returns -1 when out of memory). */
void hr_jr_copy(char *dst, size_t size, const hr_jr_val *v);
int hr_jr_dup(char **dst, const hr_jr_val *v);
/* Sets "out of memory" on hr_rd_err(ig); returns -1. */
int hr_jr_oom(hr_ingest *ig);

/* A time given as a number or a string. unit_per_s > 0: an epoch number
 * in that unit (1 = seconds, 1000 = ms), also as a numeric string; 0:
 * anything hr_rd_time reads (epoch by magnitude, RFC 3339, ...). Returns
 * 0, or -1 with *why. */
int hr_jr_time(hr_ingest *ig, const hr_jr_val *v, double unit_per_s, int64_t *t_ms, const char **why);

/* A value given as a number, a string ("12.5", "NaN", "+Inf") or null (a
 * gap: NaN). Returns as hr_rd_value: 0, 1 (+Inf/-Inf, kept as a gap) or
 * -1 with *why. */
int hr_jr_value(hr_ingest *ig, const hr_jr_val *v, double *x, const char **why);

/* Reports a rejected point: "where: why", with ", got <text>" when v is a
 * string or number. */
void hr_jr_reject(hr_ingest *ig, const char *where, const char *why, const hr_jr_val *v);

/* The series of one element of a layout's list, while it is read. Its
 * key is metric + labels (hr_key_render); points that come before the
 * key is known wait in pend. */
typedef struct hr_jr_point {
    int64_t t_ms;
    double v;
} hr_jr_point;

typedef struct hr_jr_series {
    long bid;               /* the series (hr_rd_series), -1 until resolved */
    char *metric;           /* NUL-terminated ("" when none) */
    size_t mlen, mcap;
    char *lab;              /* label names and values, NUL-terminated, back to back */
    size_t lablen, labcap, nlab;
    const char **names, **vals;
    size_t ncap;
    hr_jr_point *pend;
    size_t npend, pcap;
} hr_jr_series;

void hr_jr_series_init(hr_jr_series *s);
void hr_jr_series_clear(hr_jr_series *s); /* frees; NULL ok */
/* A new element: no key, no labels, no points (memory kept). */
void hr_jr_series_reset(hr_jr_series *s);
/* Sets the metric name / adds a label. Return 0, or -1 when out of memory. */
int hr_jr_series_metric(hr_jr_series *s, const char *m, size_t len);
int hr_jr_series_label(hr_jr_series *s, const char *name, size_t nlen, const char *val, size_t vlen);
/* Renders the key, finds its series and adds the pending points. where
 * names the element in messages ("series has no name and no labels").
 * Returns 0, or -1 with hr_rd_err set. */
int hr_jr_series_resolve(hr_ingest *ig, hr_jr_series *s, const char *where);
/* Adds a point: to the series when resolved, else to pend. Returns 0, or
 * -1 (out of memory) with hr_rd_err set. */
int hr_jr_series_point(hr_ingest *ig, hr_jr_series *s, int64_t t_ms, double v);

/* Called by open before returning HR_JR_POINTS (a list of tuples) or
 * HR_JR_PAIR (one tuple): how to read them. Each tuple is [time, value]
 * (ti 0) or [value, time] (ti 1), the time in unit_per_s as hr_jr_time
 * takes it, and is one data record: counted in st->rows, added to s, or
 * rejected as "<path>: <shape>" (not a pair of scalars) or with why its
 * time or value is bad, and counted in st->bad. s and shape are borrowed
 * until the container closes. */
void hr_jr_points(hr_jr *jr, hr_jr_series *s, int ti, double unit_per_s, const char *shape);

#endif
