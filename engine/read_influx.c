/* read_influx.c -- InfluxDB query results as CSV, in two dialects.
 *
 * "influx": InfluxDB 2.x annotated CSV, what Flux queries return
 * (`influx query --raw`, the /api/v2/query response), as the InfluxDB 2
 * reference describes it (Syntax > Annotated CSV):
 *   #group,false,false,true,...            annotation rows, optional, any
 *   #datatype,string,long,dateTime:RFC3339,... order; column 0 holds the
 *   #default,_result,,,...                 annotation name
 *   ,result,table,_start,_stop,_time,_value,_field,_measurement,host
 *   ,,0,2024-...Z,2024-...Z,2024-06-01T00:05:00Z,0.62,used,mem,db1
 * A result holds several tables: tables of one schema follow each other
 * in one block (told apart by the table column); a blank line starts a
 * new block with its own annotation rows and header. The same without
 * annotation rows (plain Flux CSV, with or without the leading empty
 * column) is read alike, types then being guessed from the text.
 *   Series key: metric <_measurement>_<_field> (Telegraf's Prometheus
 *   naming: measurement cpu, field usage_user -> cpu_usage_user; either
 *   alone when the other is empty), labels every other column whose name
 *   does not start with '_', except result and table: the tags (empty
 *   ones dropped). _start, _stop and any other '_' column are ignored.
 *   _time: RFC 3339 (hr_rd_time), or epoch ns when #datatype says
 *   dateTime:number. _value: double, long or unsignedLong are numbers;
 *   boolean is 1 (true) or 0 (false); string and the other types are
 *   rejected. An empty cell takes its column's #default; an empty _value
 *   without one is a gap (Flux null: aggregateWindow's empty windows).
 *   A Flux error table (columns error, reference) fails the file with
 *   its message.
 *
 * "influxql": InfluxDB 1.x InfluxQL results as CSV, from the CLI
 * (`influx -format csv -execute ...`) or the /query endpoint (Accept:
 * application/csv):
 *   name,tags,time,usage_user,usage_system
 *   cpu,"cpu=cpu0,host=a",1717200000000000000,1.5,0.25
 * The CLI leaves out the tags column when a series has no tags and
 * repeats the header before every series (GROUP BY); the endpoint always
 * writes name and tags, escapes ',' '=' ' ' in tags with '\', and writes a
 * blank line plus a new header when the columns change. Both are read:
 * a header comes first, after a blank line, or wherever a record starts
 * with name/tags/time and has a time column.
 *   Series key: one series per (name, field, tags): metric <name>_<field>
 *   (the field alone without a name), labels the tags. time: epoch ns
 *   (the CLI's default precision; a smaller number is rejected, since
 *   `-precision s` and the like cannot be told apart from ns) or RFC 3339
 *   (`-precision rfc3339`). An empty field cell is no sample; true/false
 *   are 1/0; any other text is rejected.
 *
 * Both: every rejected record is reported once, at the line:column of
 * the first offending field. Keys are rendered once per series change
 * (records of one series are contiguous), not once per record. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "ingest_rd.h"
#include "timefmt.h"

/* ---- shared ------------------------------------------------------------ */

/* What both readers keep per file: the accumulator's side and where the
 * previous record ended (a record starting further down had blank lines
 * before it, which libcsv swallows). First member of each reader's state. */
typedef struct rdbase {
    hr_ingest *ig;
    hr_file_stats *st;
    hr_err *err;
    const char *path;
    unsigned long next_line; /* first line after the previous record; 0: none yet */
} rdbase;

/* True when blank lines separate row from the previous record; notes
 * where row ends. */
static int after_blank(rdbase *b, const hr_csvrow *row)
{
    int gap = b->next_line && row->line > b->next_line;
    b->next_line = row->line + 1;
    for (size_t i = 0; i < row->rawlen; i++)
        b->next_line += row->raw[i] == '\n';
    return gap;
}

static void rdbase_init(rdbase *b, hr_ingest *ig)
{
    *b = (rdbase){ig, hr_rd_stats(ig), hr_rd_err(ig), hr_rd_path(ig), 0};
}

/* Counts a data record that was read with result r: 0 taken, 1 rejected
 * (reported), else a status that stops reading. Returns what the CSV
 * callback returns. */
static int count_record(rdbase *b, int r)
{
    b->st->rows++;
    if (r == 1)
        b->st->bad++;
    return r == 1 ? 0 : r;
}

static int oom(rdbase *b) { return hr_err_set(b->err, HR_ESOFTWARE, "out of memory"); }

/* Field k of row as the reason: with fail 0 the record is rejected
 * (reported at the field's line:column; returns 1), else the file fails
 * (err set to "path:line:col: why"; returns HR_EINPUT). */
static int at_field(rdbase *b, int fail, const hr_csvrow *row, size_t k, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int at_field(rdbase *b, int fail, const hr_csvrow *row, size_t k, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    unsigned long l, c;
    hr_csv_locate(row, k, ',', &l, &c);
    if (fail)
        return hr_err_set(b->err, HR_EINPUT, "%s:%lu:%lu: %s", b->path, l, c, why);
    hr_rd_reject(b->ig, l, c, "%s", why);
    return 1;
}
#define reject_at(b, row, k, ...) at_field((b), 0, (row), (k), __VA_ARGS__)
#define fail_at(b, row, k, ...) at_field((b), 1, (row), (k), __VA_ARGS__)

/* A record libcsv cannot parse counts as one rejected record. */
static void on_bad(unsigned long line, unsigned long col, const char *why, void *ud)
{
    rdbase *b = ud;
    b->st->rows++;
    b->st->bad++;
    hr_rd_reject(b->ig, line, col, "malformed CSV record (%s)", why);
}

/* s[0..n) for a message that passes on InfluxDB's own words (an error
 * it returned): longer than hr_rd_excerpt allows, control characters as
 * blanks. Returns buf. */
static const char *words(const char *s, size_t n, char *buf, size_t size)
{
    size_t j = 0;
    for (size_t i = 0; i < n && j + 4 < size; i++)
        buf[j++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
    if (j + 4 >= size && j < n) {
        memcpy(buf + j, "...", 3);
        j += 3;
    }
    buf[j] = '\0';
    return buf;
}

/* Epoch nanoseconds written as digits ("1717200000000000000"). Returns 0
 * with *t_ms (rounded half up, in integers: a double cannot hold ns
 * exactly), -1 with *why, or 1 when s is not a digit string. Numbers
 * below 1e17 (March 1973 in ns) are refused: they are seconds, ms or us
 * of an export made with another precision, not nanoseconds. */
static int epoch_ns(const char *s, size_t len, int64_t *t_ms, const char **why)
{
    uint64_t ns = 0;
    if (len == 0)
        return 1;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 1;
    if (len > 19) {
        *why = "timestamp out of range (before 1970 or after 2200)";
        return -1;
    }
    for (size_t i = 0; i < len; i++)
        ns = ns * 10 + (uint64_t)(s[i] - '0');
    if (ns < UINT64_C(100000000000000000)) {
        *why = "epoch time is not in nanoseconds (below 1e17, i.e. before 1973): export with the "
               "default precision (ns) or as RFC 3339";
        return -1;
    }
    return hr_time_from_epoch((double)((ns + 500000) / 1000000), 1000.0, t_ms, why) ? -1 : 0;
}

/* hr_rd_value's reason, without its hint for Grafana exports. */
static const char *value_why(const char *why)
{
    return strncmp(why, "expected a number", 17) == 0 ? "expected a number" : why;
}

/* Flux booleans (and InfluxQL's) are written true/false. Returns 1 with
 * *v = 1 or 0 when s is one of them. */
static int boolean(const char *s, size_t len, double *v)
{
    if (len == 4 && memcmp(s, "true", 4) == 0)
        *v = 1.0;
    else if (len == 5 && memcmp(s, "false", 5) == 0)
        *v = 0.0;
    else
        return 0;
    return 1;
}

/* The series of the last record, remembered by the raw text of the parts
 * its key is made of, so a key is rendered once per run of records. */
typedef struct keycache {
    char *tup, *cand; /* last tuple, candidate tuple (swapped on a miss) */
    size_t tlen, clen, tcap, ccap;
    long bid;         /* the series of tup; -1: none */
    char *name;       /* scratch: the metric name */
    size_t ncap;
} keycache;

static void keycache_clear(keycache *k)
{
    free(k->tup);
    free(k->cand);
    free(k->name);
    memset(k, 0, sizeof *k);
    k->bid = -1;
}

/* Builds the length-prefixed tuple of parts[0..n) as the candidate.
 * Returns 1 when it is the last tuple (k->bid is its series), 0 when it
 * is not, -1 when out of memory. */
static int keycache_probe(keycache *k, const char *const *parts, const size_t *lens, size_t n)
{
    size_t need = 0;
    for (size_t i = 0; i < n; i++)
        need += sizeof(size_t) + lens[i];
    if (need > k->ccap) {
        char *p = realloc(k->cand, need);
        if (!p)
            return -1;
        k->cand = p;
        k->ccap = need;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(k->cand + o, &lens[i], sizeof(size_t));
        memcpy(k->cand + o + sizeof(size_t), parts[i], lens[i]);
        o += sizeof(size_t) + lens[i];
    }
    k->clen = o;
    return k->bid >= 0 && k->clen == k->tlen && memcmp(k->cand, k->tup, o) == 0;
}

/* Makes the candidate the last tuple, of series bid. */
static void keycache_keep(keycache *k, long bid)
{
    char *t = k->tup;
    size_t c = k->tcap;
    k->tup = k->cand;
    k->tcap = k->ccap;
    k->tlen = k->clen;
    k->cand = t;
    k->ccap = c;
    k->bid = bid;
}

/* Writes "<m>_<f>", or whichever of them is not empty, into k->name.
 * Returns it, or NULL when out of memory. */
static const char *metric_name(keycache *k, const char *m, size_t mlen, const char *f, size_t flen)
{
    size_t need = mlen + flen + 2;
    if (need > k->ncap) {
        char *p = realloc(k->name, need);
        if (!p)
            return NULL;
        k->name = p;
        k->ncap = need;
    }
    memcpy(k->name, m, mlen);
    size_t o = mlen;
    if (mlen && flen)
        k->name[o++] = '_';
    memcpy(k->name + o, f, flen);
    k->name[o + flen] = '\0';
    return k->name;
}

/* The series of metric{names=vals}: its index, -1 when out of memory
 * (err set), -2 when the key is not valid UTF-8. */
static long series_of(rdbase *b, const char *metric, const char *const *names, const char *const *vals,
                      size_t n)
{
    char *key = hr_key_render(metric, names, vals, n);
    if (!key) {
        oom(b);
        return -1;
    }
    long bid = hr_rd_series(b->ig, key, strlen(key));
    free(key);
    if (bid == -1)
        oom(b);
    return bid;
}

/* A copy of a record's fields (for annotation rows and header names). */
static char **copy_fields(const hr_csvrow *row)
{
    char **a = calloc(row->nf ? row->nf : 1, sizeof *a);
    for (size_t i = 0; a && i < row->nf; i++)
        if (!(a[i] = strdup(row->f[i]))) {
            for (size_t j = 0; j < i; j++)
                free(a[j]);
            free(a);
            return NULL;
        }
    return a;
}

static void free_fields(char **a, size_t n)
{
    if (a)
        for (size_t i = 0; i < n; i++)
            free(a[i]);
    free(a);
}

/* Finds two columns of one name in names[0..n) (empty names aside).
 * Returns the index of the second, or -1. */
static long twice(char *const *names, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = 0; names[i][0] && j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                return (long)i;
    return -1;
}

/* ---- InfluxDB 2 annotated CSV -------------------------------------------- */

/* What the #datatype annotation says of _value. */
enum { VT_GUESS, VT_NUMBER, VT_BOOL, VT_STRING, VT_OTHER };

typedef struct flux {
    rdbase b;
    /* annotations of the current block: copies of the rows (column 0 is
     * the annotation's name), NULL when the block has none */
    char **dtype, **dflt;
    size_t ndtype, ndflt;
    int in_ann;      /* the previous record was an annotation row */
    int want_header; /* the next record is a header */
    /* the header */
    char **col;
    size_t ncol;
    long c_time, c_value, c_field, c_meas, c_error, c_ref;
    size_t *tag, ntag;   /* tag columns */
    const char **tname;  /* their names, ntag */
    const char **part;   /* scratch: measurement, field, tag values */
    size_t *plen;
    int ns_time;         /* _time is dateTime:number */
    int vt;              /* VT_* of _value */
    int errors;          /* the block is an error table */
    keycache kc;
} flux;

static void flux_drop_annotations(flux *fx)
{
    free_fields(fx->dtype, fx->ndtype);
    free_fields(fx->dflt, fx->ndflt);
    fx->dtype = fx->dflt = NULL;
    fx->ndtype = fx->ndflt = 0;
}

static void flux_drop_header(flux *fx)
{
    free_fields(fx->col, fx->ncol);
    free(fx->tag);
    free(fx->tname);
    free(fx->part);
    free(fx->plen);
    fx->col = NULL;
    fx->tag = NULL;
    fx->tname = fx->part = NULL;
    fx->plen = NULL;
    fx->ncol = fx->ntag = 0;
    fx->c_time = fx->c_value = fx->c_field = fx->c_meas = fx->c_error = fx->c_ref = -1;
    fx->errors = 0;
    fx->kc.bid = -1;
}

/* Cell i of row, or its column's #default when the cell is empty. */
static const char *flux_cell(const flux *fx, const hr_csvrow *row, long i, size_t *len)
{
    if (i < 0 || (size_t)i >= row->nf) {
        *len = 0;
        return "";
    }
    const char *s = row->f[i];
    if (!row->len[i] && fx->dflt && (size_t)i < fx->ndflt)
        s = fx->dflt[i];
    *len = s == row->f[i] ? row->len[i] : strlen(s);
    return s;
}

static int flux_annotation(flux *fx, const hr_csvrow *row)
{
    if (!fx->in_ann)
        flux_drop_annotations(fx); /* a new block */
    fx->in_ann = 1;
    fx->want_header = 1;
    char ***slot = strcmp(row->f[0], "#datatype") == 0 ? &fx->dtype
                   : strcmp(row->f[0], "#default") == 0 ? &fx->dflt
                                                        : NULL; /* #group, comments */
    if (!slot)
        return 0;
    size_t *n = slot == &fx->dtype ? &fx->ndtype : &fx->ndflt;
    free_fields(*slot, *n);
    *n = 0;
    if (!(*slot = copy_fields(row)))
        return oom(&fx->b);
    *n = row->nf;
    return 0;
}

static int flux_header(flux *fx, const hr_csvrow *row)
{
    rdbase *b = &fx->b;
    flux_drop_header(fx);
    fx->want_header = 0;
    if (fx->dtype && fx->ndtype != row->nf)
        return fail_at(b, row, 0, "the header has %zu columns but its #datatype row %zu", row->nf, fx->ndtype);
    if (fx->dflt && fx->ndflt != row->nf)
        return fail_at(b, row, 0, "the header has %zu columns but its #default row %zu", row->nf, fx->ndflt);
    for (size_t i = 0; i < row->nf; i++)
        if (!hr_utf8_valid(row->f[i], row->len[i]))
            return fail_at(b, row, i, "column name is not valid UTF-8");
    if (!(fx->col = copy_fields(row)) || !(fx->tag = malloc(row->nf * sizeof *fx->tag)) ||
        !(fx->tname = malloc((row->nf + 2) * sizeof *fx->tname)) ||
        !(fx->part = malloc((row->nf + 2) * sizeof *fx->part)) ||
        !(fx->plen = malloc((row->nf + 2) * sizeof *fx->plen)))
        return oom(b);
    fx->ncol = row->nf;
    long dup = twice(fx->col, fx->ncol);
    if (dup >= 0)
        return fail_at(b, row, (size_t)dup, "column \"%s\" appears twice in the header", fx->col[dup]);
    for (size_t i = 0; i < row->nf; i++) {
        const char *n = row->f[i];
        long *c = strcmp(n, "_time") == 0          ? &fx->c_time
                  : strcmp(n, "_value") == 0       ? &fx->c_value
                  : strcmp(n, "_field") == 0       ? &fx->c_field
                  : strcmp(n, "_measurement") == 0 ? &fx->c_meas
                                                   : NULL;
        if (c) {
            *c = (long)i;
            continue;
        }
        if (strcmp(n, "error") == 0)
            fx->c_error = (long)i;
        else if (strcmp(n, "reference") == 0)
            fx->c_ref = (long)i;
        if (!n[0] || n[0] == '_' || strcmp(n, "result") == 0 || strcmp(n, "table") == 0)
            continue;
        fx->tname[fx->ntag] = fx->col[i];
        fx->tag[fx->ntag++] = i;
    }
    if (fx->c_time < 0 && fx->c_error >= 0) {
        fx->errors = 1; /* the next record says what went wrong */
        return 0;
    }
    if (fx->c_time < 0)
        return fail_at(b, row, 0, "the table header has no _time column");
    if (fx->c_value < 0)
        return fail_at(b, row, 0, "the table header has no _value column (a pivoted result? "
                                  "export the query without pivot())");
    if (fx->c_meas < 0 && fx->c_field < 0)
        return fail_at(b, row, 0, "the table header has neither _measurement nor _field: the series "
                                  "cannot be named");
    fx->ns_time = fx->dtype && strcmp(fx->dtype[fx->c_time], "dateTime:number") == 0;
    const char *vt = fx->dtype ? fx->dtype[fx->c_value] : "";
    fx->vt = !vt[0]                                                        ? VT_GUESS
             : strcmp(vt, "double") == 0 || strcmp(vt, "long") == 0 ||
                       strcmp(vt, "unsignedLong") == 0                     ? VT_NUMBER
             : strcmp(vt, "boolean") == 0                                  ? VT_BOOL
             : strcmp(vt, "string") == 0                                   ? VT_STRING
                                                                           : VT_OTHER;
    return 0;
}

/* One data record: 0 (taken), 1 (rejected, reported) or an error status. */
static int flux_record(flux *fx, const hr_csvrow *row)
{
    rdbase *b = &fx->b;
    char ex[256];
    const char *why;
    size_t len;
    if (fx->errors) {
        const char *msg = flux_cell(fx, row, fx->c_error, &len);
        size_t rlen;
        const char *ref = flux_cell(fx, row, fx->c_ref, &rlen);
        return fail_at(b, row, (size_t)fx->c_error, "InfluxDB returned an error: %s%s%.20s%s",
                       words(msg, len, ex, sizeof ex), rlen ? " (reference " : "", ref, rlen ? ")" : "");
    }
    if (row->nf != fx->ncol)
        return reject_at(b, row, row->nf < fx->ncol ? row->nf : fx->ncol,
                         "expected %zu fields as in the header, got %zu", fx->ncol, row->nf);
    int64_t t;
    const char *s = flux_cell(fx, row, fx->c_time, &len);
    int r = len == 0 ? -2 : fx->ns_time ? epoch_ns(s, len, &t, &why) : hr_rd_time(b->ig, s, len, &t, &why);
    if (r) {
        if (r == -2)
            why = "empty";
        else if (r == 1)
            why = "expected epoch nanoseconds (#datatype dateTime:number)";
        return reject_at(b, row, (size_t)fx->c_time, "_time: %s, got \"%s\"", why, hr_rd_excerpt(s, len, ex, sizeof ex));
    }
    size_t flen, mlen;
    const char *fld = flux_cell(fx, row, fx->c_field, &flen);
    const char *meas = flux_cell(fx, row, fx->c_meas, &mlen);
    double v = NAN;
    s = flux_cell(fx, row, fx->c_value, &len);
    size_t cv = (size_t)fx->c_value;
    if (fx->vt == VT_STRING)
        return reject_at(b, row, cv, "_value of field \"%s\" is a string (#datatype string): only numbers can be "
                         "ingested; filter string fields out of the query", hr_rd_excerpt(fld, flen, ex, sizeof ex));
    if (fx->vt == VT_OTHER)
        return reject_at(b, row, cv, "_value has #datatype %s, not a number",
                         hr_rd_excerpt(fx->dtype[cv], strlen(fx->dtype[cv]), ex, sizeof ex));
    if (len && !((fx->vt == VT_BOOL || fx->vt == VT_GUESS) && boolean(s, len, &v))) {
        if (fx->vt == VT_BOOL)
            return reject_at(b, row, cv, "_value: expected true or false (#datatype boolean), got \"%s\"",
                             hr_rd_excerpt(s, len, ex, sizeof ex));
        if (hr_rd_value(b->ig, s, len, &v, &why) < 0)
            return reject_at(b, row, cv, "_value: %s, got \"%s\"", value_why(why), hr_rd_excerpt(s, len, ex, sizeof ex));
    }
    /* the series: measurement, field, tag values */
    size_t np = 0;
    fx->part[np] = meas;
    fx->plen[np++] = mlen;
    fx->part[np] = fld;
    fx->plen[np++] = flen;
    for (size_t k = 0; k < fx->ntag; k++) {
        fx->part[np] = flux_cell(fx, row, (long)fx->tag[k], &fx->plen[np]);
        np++;
    }
    long bid;
    int hit = keycache_probe(&fx->kc, fx->part, fx->plen, np);
    if (hit < 0)
        return oom(b);
    if (hit) {
        bid = fx->kc.bid;
    } else {
        if (!mlen && !flen)
            return reject_at(b, row, (size_t)(fx->c_meas >= 0 ? fx->c_meas : fx->c_field),
                             "empty _measurement and _field: the series cannot be named");
        for (size_t k = 0; k < np; k++)
            if (!hr_utf8_valid(fx->part[k], fx->plen[k])) {
                long c = k == 0 ? fx->c_meas : k == 1 ? fx->c_field : (long)fx->tag[k - 2];
                return reject_at(b, row, (size_t)c, "column \"%s\" is not valid UTF-8", fx->col[c]);
            }
        const char *name = metric_name(&fx->kc, meas, mlen, fld, flen);
        if (!name)
            return oom(b);
        bid = series_of(b, name, fx->tname, fx->part + 2, fx->ntag);
        if (bid == -1)
            return b->err->code;
        if (bid < 0) /* cannot happen: the parts were checked */
            return reject_at(b, row, (size_t)fx->c_value, "series key is not valid UTF-8 or longer than 4096 bytes");
        keycache_keep(&fx->kc, bid);
    }
    hr_rd_line(b->ig, row->line);
    return hr_rd_sample(b->ig, bid, t, v) ? oom(b) : 0;
}

static int flux_row(const hr_csvrow *row, void *ud)
{
    flux *fx = ud;
    int blank = after_blank(&fx->b, row);
    if (row->nf == 1 && row->len[0] == 0)
        return 0;
    if (row->len[0] && row->f[0][0] == '#')
        return flux_annotation(fx, row);
    int repeat = 0;
    if (blank && !fx->in_ann) { /* a new block without annotations */
        flux_drop_annotations(fx);
        fx->want_header = 1;
    } else if (!fx->want_header && fx->col && !fx->errors) {
        /* a header again with no blank line (files concatenated) */
        size_t ct = (size_t)fx->c_time, cv = (size_t)fx->c_value;
        repeat = ct < row->nf && cv < row->nf && strcmp(row->f[ct], "_time") == 0 &&
                 strcmp(row->f[cv], "_value") == 0;
        if (repeat)
            flux_drop_annotations(fx);
    }
    fx->in_ann = 0;
    if (fx->want_header || repeat)
        return flux_header(fx, row);
    return count_record(&fx->b, flux_record(fx, row));
}

int hr_read_influx(hr_ingest *ig, FILE *fp)
{
    flux fx;
    memset(&fx, 0, sizeof fx);
    rdbase_init(&fx.b, ig);
    fx.want_header = 1;
    flux_drop_header(&fx);
    int rc = hr_csv_read(fp, fx.b.path, ',', flux_row, on_bad, &fx, fx.b.err);
    if (rc == HR_OK && fx.errors)
        rc = hr_err_set(fx.b.err, HR_EINPUT, "%s: InfluxDB returned an error table without a message",
                        fx.b.path);
    else if (rc == HR_OK && !fx.col)
        rc = hr_err_set(fx.b.err, HR_EINPUT, "%s:%lu:1: no table header (want ,result,table,...,_time,_value,...)",
                        fx.b.path, fx.b.next_line ? fx.b.next_line : 1);
    flux_drop_header(&fx);
    flux_drop_annotations(&fx);
    keycache_clear(&fx.kc);
    return rc;
}

/* ---- InfluxDB 1 InfluxQL CSV --------------------------------------------- */

typedef struct iql {
    rdbase b;
    int want_header;
    int errors;       /* the header was "error": the next record is the message */
    char **col;
    size_t ncol;
    long c_name, c_tags, c_time; /* fields are the columns after time */
    long *fbid;       /* per column: the series of (current name+tags, field); -1 not yet */
    keycache kc;      /* name and tags of fbid's series (kc.bid is 0 when valid) */
    char *tagbuf;     /* the parsed tags: key and value strings, NUL-terminated */
    size_t tagcap;
    const char **tk, **tv;
    size_t ntag, tcap;
    const char *name; /* the current series' measurement (in tagbuf) */
} iql;

static void iql_drop_header(iql *q)
{
    free_fields(q->col, q->ncol);
    free(q->fbid);
    q->col = NULL;
    q->fbid = NULL;
    q->ncol = 0;
    q->c_name = q->c_tags = q->c_time = -1;
    q->kc.bid = -1;
}

/* A record that is a header: it starts with name, tags or time and has
 * a time column. */
static int iql_is_header(const hr_csvrow *row)
{
    const char *f0 = row->f[0];
    if (strcmp(f0, "name") && strcmp(f0, "tags") && strcmp(f0, "time"))
        return 0;
    for (size_t i = 0; i < row->nf; i++)
        if (strcmp(row->f[i], "time") == 0)
            return 1;
    return 0;
}

static int iql_header(iql *q, const hr_csvrow *row)
{
    rdbase *b = &q->b;
    iql_drop_header(q);
    q->want_header = 0;
    if (row->nf == 1 && strcmp(row->f[0], "error") == 0) {
        q->errors = 1;
        return 0;
    }
    for (size_t i = 0; i < row->nf; i++) {
        if (!hr_utf8_valid(row->f[i], row->len[i]))
            return fail_at(b, row, i, "column name is not valid UTF-8");
        if (!row->len[i])
            return fail_at(b, row, i, "empty column name in the header");
    }
    if (!(q->col = copy_fields(row)) || !(q->fbid = malloc(row->nf * sizeof *q->fbid)))
        return oom(b);
    q->ncol = row->nf;
    for (size_t i = 0; i < row->nf && q->c_time < 0; i++) {
        if (strcmp(row->f[i], "time") == 0)
            q->c_time = (long)i;
        else if (strcmp(row->f[i], "name") == 0 && q->c_name < 0 && q->c_tags < 0)
            q->c_name = (long)i;
        else if (strcmp(row->f[i], "tags") == 0 && q->c_tags < 0)
            q->c_tags = (long)i;
        else
            return fail_at(b, row, i, "unexpected column \"%s\" before time (want name,tags,time,<fields>)",
                           row->f[i]);
    }
    if (q->c_time < 0)
        return fail_at(b, row, 0, "the header has no time column (want name,tags,time,<fields>)");
    if ((size_t)q->c_time + 1 == row->nf)
        return fail_at(b, row, row->nf, "the header has no field columns after time");
    long dup = twice(q->col, q->ncol);
    if (dup >= 0)
        return fail_at(b, row, (size_t)dup, "column \"%s\" appears twice in the header", q->col[dup]);
    return 0;
}

/* Parses the tags cell "k=v,k2=v2" together with the measurement into
 * q->tagbuf: q->name, and q->tk/tv[0..ntag). The endpoint escapes ','
 * '=' ' ' and '\' with '\'; the CLI writes them raw, so there a piece
 * without '=' carries on the previous value after its comma. Returns 0,
 * 1 (rejected, reported) or an error status. */
static int iql_tags(iql *q, const hr_csvrow *row, const char *name, size_t nlen, const char *s, size_t len)
{
    rdbase *b = &q->b;
    size_t need = nlen + len + 4; /* each piece grows by one NUL at most */
    if (need > q->tagcap) {
        char *p = realloc(q->tagbuf, need);
        if (!p)
            return oom(b);
        q->tagbuf = p;
        q->tagcap = need;
    }
    memcpy(q->tagbuf, name, nlen);
    q->tagbuf[nlen] = '\0';
    q->name = q->tagbuf;
    char *o = q->tagbuf + nlen + 1;
    q->ntag = 0;
    for (size_t i = 0; i < len; i++) { /* one piece, up to an unescaped ',' */
        size_t j = i, eq = (size_t)-1;
        for (; j < len && s[j] != ','; j++)
            if (s[j] == '\\' && j + 1 < len)
                j++;
            else if (s[j] == '=' && eq == (size_t)-1)
                eq = j;
        if (eq == (size_t)-1 && !q->ntag)
            return reject_at(b, row, (size_t)q->c_tags, "tags: a tag is not key=value");
        if (eq == i)
            return reject_at(b, row, (size_t)q->c_tags, "tags: empty tag key");
        if (eq == (size_t)-1) {
            o[-1] = ','; /* the previous value goes on */
        } else {
            if (q->ntag == q->tcap) {
                size_t nc = q->tcap ? q->tcap * 2 : 8;
                const char **k = realloc(q->tk, nc * sizeof *k);
                if (k)
                    q->tk = k;
                const char **v = k ? realloc(q->tv, nc * sizeof *v) : NULL;
                if (!v)
                    return oom(b);
                q->tv = v;
                q->tcap = nc;
            }
            q->tk[q->ntag++] = o;
        }
        for (size_t k = i; k < j; k++) {
            if (k == eq) {
                *o++ = '\0';
                q->tv[q->ntag - 1] = o;
            } else {
                if (s[k] == '\\' && k + 1 < j && strchr(",= \\", s[k + 1]))
                    k++;
                *o++ = s[k];
            }
        }
        *o++ = '\0';
        i = j;
    }
    return 0;
}

/* One data record: 0 (taken), 1 (rejected, reported) or an error status. */
static int iql_record(iql *q, const hr_csvrow *row)
{
    rdbase *b = &q->b;
    char ex[256];
    const char *why;
    if (row->nf != q->ncol)
        return reject_at(b, row, row->nf < q->ncol ? row->nf : q->ncol,
                         "expected %zu fields as in the header, got %zu", q->ncol, row->nf);
    size_t ct = (size_t)q->c_time;
    int64_t t;
    int r = epoch_ns(row->f[ct], row->len[ct], &t, &why);
    if (r == 1)
        r = hr_rd_time(b->ig, row->f[ct], row->len[ct], &t, &why);
    if (r)
        return reject_at(b, row, ct, "time: %s, got \"%s\"", why, hr_rd_excerpt(row->f[ct], row->len[ct], ex, sizeof ex));
    /* a new (name, tags): parse the tags, forget the fields' series */
    const char *parts[2] = {q->c_name >= 0 ? row->f[q->c_name] : "", q->c_tags >= 0 ? row->f[q->c_tags] : ""};
    size_t lens[2] = {q->c_name >= 0 ? row->len[q->c_name] : 0, q->c_tags >= 0 ? row->len[q->c_tags] : 0};
    int hit = keycache_probe(&q->kc, parts, lens, 2);
    if (hit < 0)
        return oom(b);
    if (!hit) {
        for (int k = 0; k < 2; k++)
            if (!hr_utf8_valid(parts[k], lens[k]))
                return reject_at(b, row, (size_t)(k ? q->c_tags : q->c_name), "%s: not valid UTF-8", k ? "tags" : "name");
        r = iql_tags(q, row, parts[0], lens[0], parts[1], lens[1]);
        if (r) {
            q->kc.bid = -1; /* the parsed tags are spoilt */
            return r;
        }
        for (size_t j = 0; j < q->ncol; j++)
            q->fbid[j] = -1;
        keycache_keep(&q->kc, 0);
    }
    int bad = 0;
    for (size_t j = ct + 1; j < row->nf; j++) {
        if (!row->len[j])
            continue; /* no value: no sample */
        double v;
        if (!boolean(row->f[j], row->len[j], &v) && hr_rd_value(b->ig, row->f[j], row->len[j], &v, &why) < 0) {
            /* the cell is dropped and the record counts as rejected,
             * reported at its first bad cell */
            if (!bad)
                reject_at(b, row, j, "field \"%s\": %s, got \"%s\"", q->col[j], value_why(why),
                          hr_rd_excerpt(row->f[j], row->len[j], ex, sizeof ex));
            bad = 1;
            continue;
        }
        if (q->fbid[j] < 0) {
            const char *name = metric_name(&q->kc, q->name, strlen(q->name), q->col[j], strlen(q->col[j]));
            if (!name)
                return oom(b);
            long bid = series_of(b, name, q->tk, q->tv, q->ntag);
            if (bid == -1)
                return b->err->code;
            if (bid < 0) /* cannot happen: name, tags and header were checked */
                return reject_at(b, row, j, "series key is not valid UTF-8 or longer than 4096 bytes");
            q->fbid[j] = bid;
        }
        hr_rd_line(b->ig, row->line);
        if (hr_rd_sample(b->ig, q->fbid[j], t, v))
            return oom(b);
    }
    return bad;
}

static int iql_row(const hr_csvrow *row, void *ud)
{
    iql *q = ud;
    rdbase *b = &q->b;
    char ex[256];
    if (after_blank(b, row))
        q->want_header = 1;
    if (row->nf == 1 && row->len[0] == 0)
        return 0;
    if (q->errors)
        return fail_at(b, row, 0, "InfluxDB returned an error: %s", words(row->f[0], row->len[0], ex, sizeof ex));
    if (strncmp(row->f[0], "ERR:", 4) == 0) /* the CLI's stdout caught its error */
        return fail_at(b, row, 0, "the influx CLI reported an error: %s", words(row->raw, row->rawlen, ex, sizeof ex));
    if (q->want_header || iql_is_header(row))
        return iql_header(q, row);
    return count_record(b, iql_record(q, row));
}

int hr_read_influxql(hr_ingest *ig, FILE *fp)
{
    iql q;
    memset(&q, 0, sizeof q);
    rdbase_init(&q.b, ig);
    q.want_header = 1;
    q.kc.bid = -1;
    iql_drop_header(&q);
    int rc = hr_csv_read(fp, q.b.path, ',', iql_row, on_bad, &q, q.b.err);
    if (rc == HR_OK && q.errors)
        rc = hr_err_set(q.b.err, HR_EINPUT, "%s: InfluxDB returned an error without a message", q.b.path);
    else if (rc == HR_OK && !q.col)
        rc = hr_err_set(q.b.err, HR_EINPUT, "%s:1:1: empty file: no header (want name,tags,time,<fields>)",
                        q.b.path);
    iql_drop_header(&q);
    keycache_clear(&q.kc);
    free(q.tagbuf);
    free(q.tk);
    free(q.tv);
    return rc;
}

/* ---- detection ----------------------------------------------------------- */

/* True when the line l[0..n) has a comma-separated field equal to s
 * (quotes around it allowed). */
static int has_field(const unsigned char *l, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && l[j] != ',')
            j++;
        size_t a = i, e = j;
        if (e - a >= 2 && l[a] == '"' && l[e - 1] == '"')
            a++, e--;
        if (e - a == k && memcmp(l + a, s, k) == 0)
            return 1;
        i = j + 1;
    }
    return 0;
}

static int starts(const unsigned char *h, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && memcmp(h, s, k) == 0;
}

hr_format hr_sniff_influx(const unsigned char *h, size_t n)
{
    size_t e = 0;
    while (e < n && h[e] != '\n' && h[e] != '\r')
        e++;
    if (starts(h, e, "#group,") || starts(h, e, "#datatype,") || starts(h, e, "#default,"))
        return HR_FMT_INFLUX;
    if (has_field(h, e, "_time") &&
        (has_field(h, e, "_value") || has_field(h, e, "_field") || has_field(h, e, "_measurement")))
        return HR_FMT_INFLUX;
    if (starts(h, e, "name,tags,time,") || starts(h, e, "name,time,"))
        return HR_FMT_INFLUXQL;
    return HR_FMT_AUTO;
}
