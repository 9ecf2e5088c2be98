/* read_victoria.c -- VictoriaMetrics /api/v1/export, JSON lines: one
 * object per line,
 *   {"metric":{"__name__":"up","job":"api"},"values":[1,0.5,null],
 *    "timestamps":[1717200000000,1717200015000,1717200030000]}
 * with values[i] taken at timestamps[i] (epoch milliseconds). One line at
 * a time: each is parsed on its own (json_loadb on the line buffer), so
 * memory grows with the samples, not with the file. A series may come
 * back on several lines (VictoriaMetrics exports block by block, not
 * always in time order); the accumulator sorts samples by time.
 *
 * Series key: __name__ and the other labels (hr_key_render). Values:
 * JSON numbers; null is a gap (VictoriaMetrics writes NaN, staleness
 * markers included, as null); the bare NaN, +Inf, -Inf and Inf that
 * older versions wrote (not JSON) are read as NaN and infinities, and
 * numbers in strings are taken too. Numbers are read as doubles
 * (JSON_DECODE_INT_AS_REAL), exact for every millisecond time.
 *
 * Errors: a line is the unit of the file. A line that is not JSON, not an
 * object with a "metric" object and "values" and "timestamps" arrays, or
 * whose two arrays differ in length, is one rejected row (its points
 * cannot be paired), reported as path:line:column; a bad point within a
 * good line is one rejected row at the column of its element. When the
 * first line is already not such an object the file is not this format
 * at all: HR_EINPUT. Blank lines, trailing blanks and CRLF are fine. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest_rd.h"
#include "timefmt.h"

static int is_ws(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && is_ws((unsigned char)s[i]))
        i++;
    return i;
}

/* The end of the JSON string opening at s[i] (the index of its closing
 * quote, or n). */
static size_t string_end(const char *s, size_t n, size_t i)
{
    for (i++; i < n && s[i] != '"'; i++)
        if (s[i] == '\\')
            i++;
    return i < n ? i : n;
}

/* Rewrites the bare NaN / Inf / +Inf / -Inf / Infinity tokens (any case)
 * that stand as values outside strings into the marker strings "N",
 * "I", "+I" and "-I", padded with blanks to the same length, so that the
 * line is JSON and every column stays where it was. */
static void mark_nonfinite(char *s, size_t n)
{
    char prev = 0; /* the last non-blank character outside strings */
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') {
            i = string_end(s, n, i);
            prev = '"';
            continue;
        }
        if (is_ws((unsigned char)s[i]))
            continue;
        if (prev != '[' && prev != ',' && prev != ':') {
            prev = s[i];
            continue;
        }
        size_t a = i + (s[i] == '+' || s[i] == '-'), b = a;
        while (b < n && ((s[b] >= 'a' && s[b] <= 'z') || (s[b] >= 'A' && s[b] <= 'Z')))
            b++;
        const char *mark = NULL;
        if (b - a == 3 && strncasecmp(s + a, "nan", 3) == 0)
            mark = "\"N\"";
        else if ((b - a == 3 && strncasecmp(s + a, "inf", 3) == 0) ||
                 (b - a == 8 && strncasecmp(s + a, "infinity", 8) == 0))
            mark = s[i] == '-' ? "\"-I\"" : s[i] == '+' ? "\"+I\"" : "\"I\"";
        if (mark) {
            size_t ml = strlen(mark);
            memcpy(s + i, mark, ml);
            memset(s + i + ml, ' ', b - i - ml);
            i = b - 1;
            prev = '"';
        } else {
            prev = s[i];
        }
    }
}

/* The byte column (1-based) in the line s[0..n) of the top-level key
 * "key", or, when idx is not (size_t)-1, of element idx of the array it
 * holds; 1 when there is no such thing. Only called for messages. */
static size_t vm_col(const char *s, size_t n, const char *key, size_t idx)
{
    size_t kl = strlen(key);
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '{' || s[i] == '[') {
            depth++;
        } else if (s[i] == '}' || s[i] == ']') {
            depth--;
        } else if (s[i] == '"') {
            size_t j = string_end(s, n, i), k = skip_ws(s, n, j + 1);
            if (depth == 1 && j - i - 1 == kl && memcmp(s + i + 1, key, kl) == 0 && k < n && s[k] == ':') {
                k = skip_ws(s, n, k + 1);
                if (idx == (size_t)-1 || k >= n || s[k] != '[')
                    return i + 1;
                size_t p = skip_ws(s, n, k + 1), count = 0;
                int d = 0;
                for (size_t q = p; q < n && count < idx; q++) {
                    if (s[q] == '"')
                        q = string_end(s, n, q);
                    else if (s[q] == '[' || s[q] == '{')
                        d++;
                    else if ((s[q] == ']' || s[q] == '}') && d-- == 0)
                        return i + 1;
                    else if (s[q] == ',' && d == 0 && ++count == idx)
                        p = skip_ws(s, n, q + 1);
                }
                return count == idx ? p + 1 : i + 1;
            }
            i = j;
        }
    }
    return 1;
}

typedef struct vm {
    hr_ingest *ig;
    int lines_ok; /* a line has been read as an export line */
    const char **names, **vals;
    size_t labcap;
} vm;

/* Gathers the labels of a "metric" object into r->names/vals (*m of
 * them, besides *name). Returns 0, -2 with *why (the line is rejected),
 * or -1 (no memory). */
static int vm_labels(vm *r, json_t *metric, const char **name, size_t *mp, const char **why)
{
    size_t n = json_object_size(metric), m = 0;
    if (n > r->labcap) {
        const char **a = realloc(r->names, n * sizeof *a);
        if (a)
            r->names = a;
        const char **b = a ? realloc(r->vals, n * sizeof *b) : NULL;
        if (!b)
            return -1;
        r->vals = b;
        r->labcap = n;
    }
    const char *k;
    json_t *v;
    *name = "";
    json_object_foreach(metric, k, v)
    {
        if (!json_is_string(v)) {
            *why = "a label value in \"metric\" is not a string";
            return -2;
        }
        if (strcmp(k, "__name__") == 0) {
            *name = json_string_value(v);
        } else {
            r->names[m] = k;
            r->vals[m] = json_string_value(v);
            m++;
        }
    }
    *mp = m;
    if (!(*name)[0] && m == 0) {
        *why = "series has no name and no labels";
        return -2;
    }
    return 0;
}

/* One value of "values": 0 taken (*v, NaN for a gap), or -1 with *why. */
static int vm_value(hr_ingest *ig, json_t *jv, double *v, const char **why)
{
    if (json_is_null(jv)) {
        *v = NAN;
        return 0;
    }
    if (json_is_number(jv))
        return hr_rd_number(ig, json_number_value(jv), v, why) < 0 ? -1 : 0;
    if (!json_is_string(jv)) {
        *why = "value is not a number";
        return -1;
    }
    const char *s = json_string_value(jv);
    if (strcmp(s, "N") == 0) /* bare NaN, see mark_nonfinite */
        return hr_rd_number(ig, NAN, v, why) < 0 ? -1 : 0;
    if (strcmp(s, "I") == 0 || strcmp(s, "+I") == 0 || strcmp(s, "-I") == 0)
        return hr_rd_number(ig, s[0] == '-' ? -INFINITY : INFINITY, v, why) < 0 ? -1 : 0;
    size_t len = strlen(s);
    if (len == 0) {
        *why = "empty value";
        return -1;
    }
    if (hr_rd_value(ig, s, len, v, why) >= 0)
        return 0;
    if (strncmp(*why, "expected a number", 17) == 0)
        *why = "expected a number"; /* without the hint about Grafana's CSV */
    return -1;
}

/* A line that is not an export line: the whole file when it is the first
 * (HR_EINPUT), else one rejected row. */
static int vm_bad_line(vm *r, unsigned long ln, size_t col, const char *why)
{
    hr_ingest *ig = r->ig;
    if (!r->lines_ok)
        return hr_err_set(hr_rd_err(ig), HR_EINPUT, "%s:%lu:%zu: not a VictoriaMetrics export line: %s",
                          hr_rd_path(ig), ln, col, why);
    hr_file_stats *st = hr_rd_stats(ig);
    st->rows++;
    st->bad++;
    hr_rd_reject(ig, ln, col, "%s", why);
    return HR_OK;
}

/* Reads one line s[0..n) (not blank). Returns HR_OK or an hr_status with
 * err set. */
static int vm_line(vm *r, char *s, size_t n, unsigned long ln)
{
    hr_ingest *ig = r->ig;
    hr_rd_line(ig, ln);
    hr_file_stats *st = hr_rd_stats(ig);
    char why[256];
    mark_nonfinite(s, n);
    json_error_t je;
    json_t *root = json_loadb(s, n, JSON_DECODE_INT_AS_REAL, &je);
    if (!root)
        return vm_bad_line(r, ln, je.position > 0 ? (size_t)je.position : 1, je.text);
    json_t *metric = json_object_get(root, "metric");
    json_t *vals = json_object_get(root, "values");
    json_t *ts = json_object_get(root, "timestamps");
    int rc = HR_OK;
    if (!json_is_object(root)) {
        rc = vm_bad_line(r, ln, 1, "expected an object {\"metric\":...,\"values\":[...],\"timestamps\":[...]}");
    } else if (!json_is_object(metric)) {
        rc = vm_bad_line(r, ln, vm_col(s, n, "metric", (size_t)-1), "no \"metric\" object");
    } else if (!json_is_array(vals) || !json_is_array(ts)) {
        const char *k = !json_is_array(vals) ? "values" : "timestamps";
        snprintf(why, sizeof why, "no \"%s\" list", k);
        rc = vm_bad_line(r, ln, vm_col(s, n, k, (size_t)-1), why);
    } else if (json_array_size(vals) != json_array_size(ts)) {
        snprintf(why, sizeof why, "\"values\" has %zu entries but \"timestamps\" has %zu: line skipped",
                 json_array_size(vals), json_array_size(ts));
        rc = vm_bad_line(r, ln, vm_col(s, n, "timestamps", (size_t)-1), why);
    } else {
        const char *w, *name;
        size_t m = 0;
        int lr = vm_labels(r, metric, &name, &m, &w);
        long bid = -1; /* made with the first good point: no empty series */
        if (lr == -1) {
            rc = hr_err_set(hr_rd_err(ig), HR_ESOFTWARE, "out of memory");
        } else if (lr == -2) {
            rc = vm_bad_line(r, ln, vm_col(s, n, "metric", (size_t)-1), w);
        } else {
            r->lines_ok = 1;
            size_t np = json_array_size(vals);
            for (size_t j = 0; j < np && rc == HR_OK; j++) {
                st->rows++;
                json_t *jt = json_array_get(ts, j);
                int64_t t;
                double v;
                if (!json_is_number(jt)) {
                    st->bad++;
                    hr_rd_reject(ig, ln, vm_col(s, n, "timestamps", j), "timestamps[%zu]: not a number", j);
                } else if (hr_time_from_epoch(json_number_value(jt), 1000.0, &t, &w)) {
                    st->bad++;
                    hr_rd_reject(ig, ln, vm_col(s, n, "timestamps", j), "timestamps[%zu]: %s", j, w);
                } else if (vm_value(ig, json_array_get(vals, j), &v, &w)) {
                    json_t *jv = json_array_get(vals, j);
                    char ex[256];
                    st->bad++;
                    if (json_is_string(jv))
                        hr_rd_reject(ig, ln, vm_col(s, n, "values", j), "values[%zu]: %s, got \"%s\"", j, w,
                                     hr_rd_excerpt(json_string_value(jv), strlen(json_string_value(jv)), ex,
                                                   sizeof ex));
                    else
                        hr_rd_reject(ig, ln, vm_col(s, n, "values", j), "values[%zu]: %s", j, w);
                } else if (bid < 0 && (bid = hr_rd_label_series(ig, name, r->names, r->vals, m, &w)) == -2) {
                    st->bad++; /* (jansson's strings are UTF-8: not expected) */
                    hr_rd_reject(ig, ln, vm_col(s, n, "metric", (size_t)-1), "%s", w);
                    bid = -1;
                } else if (bid == -1 || hr_rd_sample(ig, bid, t, v)) {
                    rc = hr_err_set(hr_rd_err(ig), HR_ESOFTWARE, "out of memory");
                }
            }
        }
    }
    json_decref(root);
    return rc;
}

int hr_read_victoria(hr_ingest *ig, FILE *fp)
{
    vm r;
    memset(&r, 0, sizeof r);
    r.ig = ig;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    unsigned long ln = 0;
    int rc = HR_OK;
    while (rc == HR_OK && (got = getline(&line, &cap, fp)) >= 0) {
        ln++;
        size_t n = (size_t)got;
        while (n && is_ws((unsigned char)line[n - 1]))
            n--;
        if (skip_ws(line, n, 0) < n)
            rc = vm_line(&r, line, n, ln);
    }
    free(line);
    free(r.names);
    free(r.vals);
    return rc;
}

/* True when the first non-blank line of h[0..n) is an object whose
 * top-level keys are "metric", "values" and "timestamps" (all three when
 * the line ends within h; a line longer than h must show at least
 * "metric" and "values"), and no others: the JSON readers' documents
 * (Prometheus, Datadog, CloudWatch ...) have other top-level keys or
 * start with '['. */
int hr_sniff_victoria(const unsigned char *h, size_t n)
{
    const char *s = (const char *)h;
    size_t i = skip_ws(s, n, 0);
    if (i >= n || s[i] != '{')
        return 0;
    int depth = 0, seen = 0, complete = 0;
    for (; i < n && s[i] != '\n'; i++) {
        if (s[i] == '{' || s[i] == '[') {
            depth++;
        } else if (s[i] == '}' || s[i] == ']') {
            if (--depth == 0) {
                complete = 1;
                break;
            }
        } else if (s[i] == '"') {
            size_t j = string_end(s, n, i), k = skip_ws(s, n, j + 1);
            if (depth == 1 && k < n && s[k] == ':') {
                static const char *const KEYS[] = {"metric", "values", "timestamps"};
                int which = -1;
                for (int q = 0; q < 3; q++)
                    if (j - i - 1 == strlen(KEYS[q]) && memcmp(s + i + 1, KEYS[q], j - i - 1) == 0)
                        which = q;
                if (which < 0)
                    return 0;
                seen |= 1 << which;
            }
            i = j;
        }
    }
    return complete ? seen == 7 : (seen & 3) == 3;
}
