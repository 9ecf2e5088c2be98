/* read_csv.c -- long and Grafana wide CSV (FORMATS.md tier 1): the header
 * tells the layout (a value column: long, with series, metric or label
 * columns; Time first: wide, one column per series), rows become samples
 * with file:line:column for every rejected field, and for detect the row
 * log (one entry per input row). The accumulator's half is ingest.c. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "ingest_int.h"
#include "timefmt.h"
#include "tz.h"

void hr_ig_csv_reset(hr_ingest *ig)
{
    if (ig->colnames)
        for (size_t i = 0; i < ig->ncol; i++)
            free(ig->colnames[i]);
    free(ig->colnames);
    free(ig->lab_cols);
    free(ig->wide_bid);
    free(ig->lnames);
    free(ig->lvals);
    ig->colnames = NULL;
    ig->lab_cols = NULL;
    ig->wide_bid = NULL;
    ig->lnames = ig->lvals = NULL;
    free(ig->single_key);
    ig->single_key = NULL;
    ig->ncol = ig->nlab = 0;
    ig->header_done = 0;
    ig->c_time = ig->c_value = ig->c_series = ig->c_metric = -1;
    ig->last_len = 0;
    ig->last_bid = (size_t)-1;
    hr_strmap_clear(&ig->tuples);
}

/* Appends the current row to the row log. */
static int log_row(hr_ingest *ig, const hr_csvrow *row, int ok)
{
    if (ig->nrows == ig->rows_cap) {
        size_t nc = ig->rows_cap ? ig->rows_cap * 2 : 1024;
        hr_logrow *p = realloc(ig->rows, nc * sizeof *p);
        if (!p)
            return -1;
        ig->rows = p;
        ig->rows_cap = nc;
    }
    hr_logrow *r = &ig->rows[ig->nrows];
    r->series = ok ? ig->row_bid : -1;
    r->ok = ok;
    r->t_ms = ok ? ig->row_t : 0;
    r->v = ok ? ig->row_v : NAN;
    size_t ct = (size_t)ig->c_time, cv = (size_t)ig->c_value;
    r->ts = strdup(ig->c_time >= 0 && ct < row->nf ? row->f[ct] : "");
    r->val = strdup(ig->c_value >= 0 && cv < row->nf ? row->f[cv] : "");
    if (!r->ts || !r->val) {
        free(r->ts);
        free(r->val);
        return -1;
    }
    ig->nrows++;
    return 0;
}

/* ---- CSV --------------------------------------------------------------- */

static int is_name(const char *s, const char *want) { return strcasecmp(s, want) == 0; }

static const char *lab_name_of(const hr_ingest *ig, size_t k) { return ig->colnames[ig->lab_cols[k]]; }

static int cmp_labcol_ig(const void *a, const void *b, void *ctx)
{
    const hr_ingest *ig = ctx;
    return strcmp(ig->colnames[*(const size_t *)a], ig->colnames[*(const size_t *)b]);
}

/* insertion sort with context (qsort_r is a GNU extension under C11) */
static void sort_labcols(hr_ingest *ig)
{
    for (size_t i = 1; i < ig->nlab; i++) {
        size_t x = ig->lab_cols[i], j = i;
        while (j > 0 && cmp_labcol_ig(&ig->lab_cols[j - 1], &x, ig) > 0) {
            ig->lab_cols[j] = ig->lab_cols[j - 1];
            j--;
        }
        ig->lab_cols[j] = x;
    }
}

static int header(hr_ingest *ig, const hr_csvrow *row)
{
    if (row->nf > HR_MAX_COLUMNS) {
        unsigned long l, c;
        hr_csv_locate(row, HR_MAX_COLUMNS, hr_csv_delim(row), &l, &c);
        return hr_err_set(ig->err, HR_EINPUT,
                          "%s:%lu:%lu: the header has %zu columns, more than the limit of %zu: split the "
                          "export (a wide file is one series per column)",
                          ig->path, l, c, row->nf, HR_MAX_COLUMNS);
    }
    ig->ncol = row->nf;
    ig->colnames = calloc(row->nf, sizeof *ig->colnames);
    if (!ig->colnames)
        return hr_err_set(ig->err, HR_ESOFTWARE, "out of memory");
    /* columns are located (a scan from the line's start) only for an
     * error: per column it would make a wide header quadratic */
    for (size_t i = 0; i < row->nf; i++) {
        if (row->len[i] > HR_MAX_KEY) {
            unsigned long l, c;
            hr_csv_locate(row, i, hr_csv_delim(row), &l, &c);
            return hr_err_set(ig->err, HR_EINPUT, "%s:%lu:%lu: column name is longer than %d bytes (%zu)",
                              ig->path, l, c, HR_MAX_KEY, row->len[i]);
        }
        if (!hr_utf8_valid(row->f[i], row->len[i])) {
            unsigned long l, c;
            hr_csv_locate(row, i, hr_csv_delim(row), &l, &c);
            return hr_err_set(ig->err, HR_EINPUT, "%s:%lu:%lu: column name is not valid UTF-8",
                              ig->path, l, c);
        }
        ig->colnames[i] = strdup(row->f[i]);
        if (!ig->colnames[i])
            return hr_err_set(ig->err, HR_ESOFTWARE, "out of memory");
    }
    for (size_t i = 0; i < row->nf; i++) {
        const char *n = row->f[i];
        if (ig->c_time < 0 && (is_name(n, "timestamp") || is_name(n, "time") || is_name(n, "t") ||
                               is_name(n, "date") || is_name(n, "ds")))
            ig->c_time = (long)i;
        else if (ig->c_value < 0 && is_name(n, "value"))
            ig->c_value = (long)i;
        else if (ig->c_series < 0 && is_name(n, "series"))
            ig->c_series = (long)i;
        else if (ig->c_metric < 0 && (is_name(n, "metric") || strcmp(n, "__name__") == 0))
            ig->c_metric = (long)i;
    }
    hr_format f = ig->o.format;
    if (f == HR_FMT_AUTO)
        f = ig->c_value >= 0 || ig->c_series >= 0 || ig->c_metric >= 0 ? HR_FMT_LONG
            : ig->c_time == 0                                        ? HR_FMT_WIDE
                                                                     : HR_FMT_AUTO;
    if (f == HR_FMT_AUTO)
        return hr_err_set(ig->err, HR_EINPUT,
                          "%s:%lu:1: cannot tell the layout from the header: want a long CSV "
                          "(timestamp,value and series or metric) or a wide one (Time first)",
                          ig->path, row->line);
    ig->layout = f;
    ig->st->format = f;
    if (f == HR_FMT_LONG) {
        /* timestamp,value alone (the NAB layout) is one series named after
         * the file: its name without folder and extension */
        if (ig->c_time >= 0 && ig->c_value >= 0 && ig->c_series < 0 && ig->c_metric < 0 && row->nf == 2) {
            const char *b = strrchr(ig->path, '/');
            b = b ? b + 1 : ig->path;
            const char *dot = strrchr(b, '.');
            free(ig->single_key);
            ig->single_key = strndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
            if (!ig->single_key)
                return hr_err_set(ig->err, HR_ESOFTWARE, "out of memory");
            if (!hr_utf8_valid(ig->single_key, strlen(ig->single_key)))
                return hr_err_set(ig->err, HR_EINPUT, "%s: the file name (the series key of a timestamp,value file) is not valid UTF-8", ig->path);
            ig->header_done = 1;
            return HR_OK;
        }
        const char *miss = ig->c_time < 0    ? "timestamp"
                           : ig->c_value < 0 ? "value"
                           : (ig->c_series < 0 && ig->c_metric < 0) ? "series (or metric)"
                                                                     : NULL;
        if (miss)
            return hr_err_set(ig->err, HR_EINPUT, "%s:%lu:1: long CSV header has no %s column",
                              ig->path, row->line, miss);
        if (ig->c_series < 0) {
            ig->lab_cols = malloc((row->nf ? row->nf : 1) * sizeof *ig->lab_cols);
            ig->lnames = malloc((row->nf ? row->nf : 1) * sizeof *ig->lnames);
            ig->lvals = malloc((row->nf ? row->nf : 1) * sizeof *ig->lvals);
            if (!ig->lab_cols || !ig->lnames || !ig->lvals)
                return hr_err_set(ig->err, HR_ESOFTWARE, "out of memory");
            for (size_t i = 0; i < row->nf; i++)
                if ((long)i != ig->c_time && (long)i != ig->c_value && (long)i != ig->c_metric) {
                    if (!row->f[i][0]) {
                        unsigned long l, c;
                        hr_csv_locate(row, i, hr_csv_delim(row), &l, &c);
                        return hr_err_set(ig->err, HR_EINPUT, "%s:%lu:%lu: empty label column name",
                                          ig->path, l, c);
                    }
                    ig->lab_cols[ig->nlab++] = i;
                }
            sort_labcols(ig);
            for (size_t k = 1; k < ig->nlab; k++)
                if (strcmp(lab_name_of(ig, k - 1), lab_name_of(ig, k)) == 0)
                    return hr_err_set(ig->err, HR_EINPUT, "%s:%lu:1: label column \"%s\" appears twice",
                                      ig->path, row->line, lab_name_of(ig, k));
        }
    } else {
        if (ig->c_time != 0)
            return hr_err_set(ig->err, HR_EINPUT, "%s:%lu:1: wide CSV must start with a Time column",
                              ig->path, row->line);
        if (row->nf < 2)
            return hr_err_set(ig->err, HR_EINPUT, "%s:%lu:1: wide CSV header has no series columns",
                              ig->path, row->line);
        ig->wide_bid = malloc(row->nf * sizeof *ig->wide_bid);
        if (!ig->wide_bid)
            return hr_err_set(ig->err, HR_ESOFTWARE, "out of memory");
        hr_strmap seen;
        hr_strmap_init(&seen);
        int rc = HR_OK;
        for (size_t i = 1; i < row->nf && rc == HR_OK; i++) {
            unsigned long l = 0, c = 0;
            if (!row->f[i][0] || hr_strmap_get(&seen, row->f[i], row->len[i]) != (size_t)-1)
                hr_csv_locate(row, i, hr_csv_delim(row), &l, &c); /* only for the error below */
            if (!row->f[i][0])
                rc = hr_err_set(ig->err, HR_EINPUT, "%s:%lu:%lu: empty series name in header",
                                ig->path, l, c);
            else if (hr_strmap_get(&seen, row->f[i], row->len[i]) != (size_t)-1)
                rc = hr_err_set(ig->err, HR_EINPUT, "%s:%lu:%lu: series \"%s\" appears twice in header",
                                ig->path, l, c, row->f[i]);
            else if (hr_strmap_put(&seen, row->f[i], row->len[i], i))
                rc = hr_err_set(ig->err, HR_ESOFTWARE, "out of memory");
        }
        hr_strmap_clear(&seen);
        if (rc)
            return rc;
        /* builders are created lazily, on the first value of a column,
         * so that a column without data does not become an empty series */
        for (size_t i = 0; i < row->nf; i++)
            ig->wide_bid[i] = (size_t)-1;
    }
    ig->header_done = 1;
    return HR_OK;
}

/* Parses the timestamp in field k of row into *t, a time without a UTC
 * offset as local time in the options' zone. A bad timestamp is reported
 * (the caller counts the row as rejected) and gives 1. A local time in a
 * DST gap or overlap is read by the rule of tz.h and warned about, up to
 * max_reported warnings per file; the row is kept. Else 0. */
static int parse_time(hr_ingest *ig, const hr_csvrow *row, size_t k, int64_t *t)
{
    const char *why;
    int dst;
    int r = hr_time_parse_tz(row->f[k], row->len[k], ig->o.tz, t, &dst, &why);
    if (r == 0 && dst == HR_TZ_UNIQUE)
        return 0;
    unsigned long l, c;
    char ex[256];
    hr_csv_locate(row, k, hr_csv_delim(row), &l, &c);
    hr_rd_excerpt(row->f[k], row->len[k], ex, sizeof ex);
    if (r) {
        hr_ig_reject(ig, l, c, "%s, got \"%s\"", why, ex);
        return 1;
    }
    hr_ig_warn_dst(ig, l, c, ex, dst, *t);
    return 0;
}

static int long_row(hr_ingest *ig, const hr_csvrow *row)
{
    ig->line = row->line;
    unsigned char d = hr_csv_delim(row);
    unsigned long l, c;
    char ex[256];
    if (row->nf != ig->ncol) {
        size_t k = row->nf < ig->ncol ? row->nf : ig->ncol;
        hr_csv_locate(row, k, d, &l, &c);
        hr_ig_reject(ig, l, c, "expected %zu fields, got %zu", ig->ncol, row->nf);
        return 1;
    }
    int64_t t;
    const char *why;
    size_t ct = (size_t)ig->c_time, cv = (size_t)ig->c_value;
    if (parse_time(ig, row, ct, &t))
        return 1;
    double v;
    int vr = hr_value_parse(row->f[cv], row->len[cv], &v, &why);
    if (vr < 0) {
        hr_csv_locate(row, cv, d, &l, &c);
        hr_ig_reject(ig, l, c, "%s, got \"%s\"", why, hr_rd_excerpt(row->f[cv], row->len[cv], ex, sizeof ex));
        return 1;
    }
    if (vr == 1)
        ig->st->nonfinite++;
    long bid;
    if (ig->single_key) {
        bid = hr_ig_builder(ig, ig->single_key, strlen(ig->single_key));
    } else if (ig->c_series >= 0) {
        size_t cs = (size_t)ig->c_series;
        bid = row->len[cs] ? hr_ig_builder(ig, row->f[cs], row->len[cs]) : -3;
        if (bid < -1) {
            hr_csv_locate(row, cs, d, &l, &c);
            char kw[80];
            hr_ig_reject(ig, l, c, "%s",
                         bid == -2 ? hr_key_refusal(row->f[cs], row->len[cs], kw, sizeof kw) : "empty series key");
            return 1;
        }
    } else {
        size_t cm = (size_t)ig->c_metric;
        if (row->len[cm] == 0) {
            hr_csv_locate(row, cm, d, &l, &c);
            hr_ig_reject(ig, l, c, "empty metric name");
            return 1;
        }
        /* the raw tuple (metric, label values), length-prefixed */
        size_t need = 0;
        for (size_t k = 0; k <= ig->nlab; k++)
            need += sizeof(size_t) + row->len[k < ig->nlab ? ig->lab_cols[k] : cm];
        if (need > ig->tcap) {
            char *nt = realloc(ig->tup, need);
            if (!nt)
                return -1;
            ig->tup = nt;
            ig->tcap = need;
        }
        size_t o = 0;
        for (size_t k = 0; k <= ig->nlab; k++) {
            size_t col = k < ig->nlab ? ig->lab_cols[k] : cm;
            memcpy(ig->tup + o, &row->len[col], sizeof(size_t));
            memcpy(ig->tup + o + sizeof(size_t), row->f[col], row->len[col]);
            o += sizeof(size_t) + row->len[col];
        }
        size_t hit = hr_strmap_get(&ig->tuples, ig->tup, o);
        if (hit != (size_t)-1) {
            bid = (long)hit;
        } else {
            for (size_t k = 0; k <= ig->nlab; k++) {
                size_t col = k < ig->nlab ? ig->lab_cols[k] : cm;
                if (!hr_utf8_valid(row->f[col], row->len[col])) {
                    hr_csv_locate(row, col, d, &l, &c);
                    hr_ig_reject(ig, l, c, "column \"%s\" is not valid UTF-8", ig->colnames[col]);
                    return 1;
                }
            }
            for (size_t k = 0; k < ig->nlab; k++) {
                ig->lnames[k] = lab_name_of(ig, k);
                ig->lvals[k] = row->f[ig->lab_cols[k]];
            }
            char *key = hr_key_render(row->f[cm], ig->lnames, ig->lvals, ig->nlab);
            if (!key)
                return -1;
            bid = hr_ig_builder(ig, key, strlen(key));
            if (bid == -2) {
                char kw[80];
                hr_csv_locate(row, cm, d, &l, &c);
                hr_ig_reject(ig, l, c, "%s", hr_key_refusal(key, strlen(key), kw, sizeof kw));
                free(key);
                return 1;
            }
            free(key);
            if (bid >= 0 && hr_strmap_put(&ig->tuples, ig->tup, o, (size_t)bid))
                return -1;
        }
    }
    if (bid < 0 || hr_ig_add_sample(ig, (size_t)bid, t, v))
        return -1;
    ig->st->samples++;
    ig->row_bid = bid;
    ig->row_t = t;
    ig->row_v = v;
    return 0;
}

static int wide_row(hr_ingest *ig, const hr_csvrow *row)
{
    ig->line = row->line;
    unsigned char d = hr_csv_delim(row);
    unsigned long l, c;
    char ex[256];
    const char *why;
    if (row->nf != ig->ncol) {
        size_t k = row->nf < ig->ncol ? row->nf : ig->ncol;
        hr_csv_locate(row, k, d, &l, &c);
        hr_ig_reject(ig, l, c, "expected %zu fields, got %zu", ig->ncol, row->nf);
        return 1;
    }
    int64_t t;
    if (parse_time(ig, row, 0, &t))
        return 1;
    int bad = 0;
    for (size_t i = 1; i < row->nf; i++) {
        if (row->len[i] == 0) {
            /* no value: a gap, recorded once the column has a series so
             * that the row still counts as a row of that series */
            if (ig->wide_bid[i] != (size_t)-1 && hr_ig_add_sample(ig, ig->wide_bid[i], t, NAN))
                return -1;
            continue;
        }
        double v;
        int vr = hr_value_parse(row->f[i], row->len[i], &v, &why);
        if (vr < 0) {
            /* only the bad cell is dropped; the row counts as rejected */
            hr_csv_locate(row, i, d, &l, &c);
            hr_ig_reject(ig, l, c, "%s, got \"%s\"", why, hr_rd_excerpt(row->f[i], row->len[i], ex, sizeof ex));
            bad = 1;
            continue;
        }
        if (vr == 1)
            ig->st->nonfinite++;
        if (ig->wide_bid[i] == (size_t)-1) {
            long bid = hr_ig_builder(ig, ig->colnames[i], strlen(ig->colnames[i]));
            if (bid < 0)
                return -1; /* the header was checked for UTF-8 */
            ig->wide_bid[i] = (size_t)bid;
        }
        if (hr_ig_add_sample(ig, ig->wide_bid[i], t, v))
            return -1;
        ig->st->samples++;
    }
    return bad;
}

/* on_csv_row's value after the header of a long CSV whose rows go to
 * read_csv_par.c (stops the sequential reader). */
#define CSV_GO_PAR 1000

static int on_csv_row(const hr_csvrow *row, void *ud)
{
    hr_ingest *ig = ud;
    if (!ig->header_done) {
        int rc = header(ig, row);
        if (rc)
            return rc;
        /* a carriage return inside the header's line (old Mac line ends,
         * or one in a quoted name) may end it mid-line: stay here, as
         * read_csv_par.c starts at the next line */
        return ig->par_ok && !ig->keep_rows && ig->layout == HR_FMT_LONG && !memchr(row->raw, '\r', row->rawlen)
                   ? CSV_GO_PAR
                   : 0;
    }
    ig->st->rows++;
    int r = ig->layout == HR_FMT_LONG ? long_row(ig, row) : wide_row(ig, row);
    if (r >= 0 && ig->keep_rows && ig->layout == HR_FMT_LONG && log_row(ig, row, r == 0))
        r = -1;
    if (r < 0)
        return hr_err_set(ig->err, HR_ESOFTWARE, "%s:%lu: out of memory", ig->path, row->line);
    if (r > 0)
        ig->st->bad++;
    return 0;
}

static void on_csv_bad(unsigned long line, unsigned long col, const char *why, void *ud)
{
    hr_ingest *ig = ud;
    ig->st->rows++;
    ig->st->bad++;
    hr_ig_reject(ig, line, col, "malformed CSV record (%s)", why);
}

/* The CSV path (long or wide, told by the header). The rows of a long
 * CSV in a plain file go to read_csv_par.c, which may hand the end of
 * the file back (a quoted field across its pieces) to be read here. */
int hr_read_csv(hr_ingest *ig, FILE *fp)
{
    hr_csv_at at = {0, 0, 0};
    int rc = hr_csv_read_at(fp, ig->path, 0, on_csv_row, on_csv_bad, ig, &at, ig->err);
    if (rc == CSV_GO_PAR) {
        uint64_t toff = 0;
        unsigned long tline = 0;
        rc = hr_read_csv_par(ig, at.off, at.line + 1, at.delim, &toff, &tline);
        if (rc == HR_CSV_TAIL) {
            FILE *tf = fopen(ig->path, "rb");
            if (!tf || fseeko(tf, (off_t)toff, SEEK_SET) != 0) {
                rc = hr_err_set(ig->err, HR_EIO, "%s: cannot open again", ig->path);
            } else {
                hr_csv_at tat = {tline, 0, 0};
                rc = hr_csv_read_at(tf, ig->path, at.delim, on_csv_row, on_csv_bad, ig, &tat, ig->err);
            }
            if (tf)
                fclose(tf);
        }
    }
    if (rc == HR_OK && !ig->header_done)
        rc = hr_err_set(ig->err, HR_EINPUT, "%s:1:1: empty file: no header", ig->path);
    return rc;
}
