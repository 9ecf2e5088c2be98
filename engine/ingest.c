/* ingest.c -- see ingest.h. */
#include "ingest.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

#include "csvread.h"
#include "ingest_int.h"
#include "input.h"
#include "store.h"
#include "strmap.h"
#include "timefmt.h"


/* The formats: names for --format and [ingest] format, in the order
 * the help text lists them, and the reader of each (NULL: the CSV path,
 * whose header tells long from wide). */
static const struct fmt_info {
    hr_format f;
    const char *name;
    hr_reader_fn read;
} FORMATS[] = {
    {HR_FMT_AUTO, "auto", NULL},
    {HR_FMT_LONG, "long", hr_read_csv},
    {HR_FMT_WIDE, "wide", hr_read_csv},
    {HR_FMT_PROMETHEUS, "prometheus", hr_read_prometheus},
    {HR_FMT_OPENMETRICS, "openmetrics", hr_read_openmetrics},
    {HR_FMT_VICTORIA, "victoriametrics", hr_read_victoria},
    {HR_FMT_INFLUX, "influx", hr_read_influx},
    {HR_FMT_INFLUXQL, "influxql", hr_read_influxql},
    {HR_FMT_DATADOG, "datadog", hr_read_datadog},
    {HR_FMT_CLOUDWATCH, "cloudwatch", hr_read_cloudwatch},
    {HR_FMT_GRAPHITE, "graphite", hr_read_graphite},
};
#define NFORMATS (sizeof FORMATS / sizeof *FORMATS)

const char *hr_format_name(hr_format f)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (FORMATS[i].f == f)
            return FORMATS[i].name;
    return "auto";
}

int hr_format_parse(const char *s, hr_format *f)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (strcmp(FORMATS[i].name, s) == 0) {
            *f = FORMATS[i].f;
            return 0;
        }
    return -1;
}

char *hr_format_list(char *buf, size_t size)
{
    size_t j = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NFORMATS && j < size; i++)
        j += (size_t)snprintf(buf + j, size - j, "%s%s", i ? (i + 1 == NFORMATS ? " or " : ", ") : "",
                              FORMATS[i].name);
    return buf;
}

void hr_ingest_opts_init(hr_ingest_opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = HR_FMT_AUTO;
    o->max_bad_share = 0.01;
    o->max_reported = 1000;
    o->mem_budget = hr_mem_budget_default();
}

unsigned long long hr_mem_budget_default(void)
{
    /* three quarters of the machine: the grids are most of a night's
     * memory, and the rest (analysis scratch, reports, the OS) needs the
     * last quarter; past it the OOM killer would end the run instead */
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (unsigned long long)pages * (unsigned long long)size / 4 * 3 : 0;
}

hr_ingest *hr_ingest_alloc(const hr_ingest_opts *opts)
{
    hr_ingest *ig = calloc(1, sizeof *ig);
    if (!ig)
        return NULL;
    ig->o = *opts;
    hr_strmap_init(&ig->map);
    return ig;
}


void hr_ingest_keep_rows(hr_ingest *ig, int on) { ig->keep_rows = on; }

size_t hr_ingest_rows(const hr_ingest *ig, const hr_logrow **rows)
{
    *rows = ig->rows;
    return ig->nrows;
}

const char *hr_ingest_key(const hr_ingest *ig, long b) { return b >= 0 && (size_t)b < ig->nb ? ig->b[b].key : NULL; }

hr_format hr_ingest_layout(const hr_ingest *ig) { return ig->layout; }

int hr_ingest_named(const hr_ingest *ig) { return ig->layout == HR_FMT_LONG && !ig->single_key; }


void hr_ingest_free(hr_ingest *ig)
{
    if (!ig)
        return;
    for (size_t i = 0; i < ig->nrows; i++) {
        free(ig->rows[i].ts);
        free(ig->rows[i].val);
    }
    free(ig->rows);
    hr_ig_csv_reset(ig);
    for (size_t i = 0; i < ig->nb; i++) {
        free(ig->b[i].key);
        free(ig->b[i].smp);
    }
    free(ig->b);
    for (size_t i = 0; i < ig->nfpath; i++)
        free(ig->fpath[i]);
    free(ig->fpath);
    free(ig->last_key);
    free(ig->tup);
    hr_strmap_clear(&ig->map);
    free(ig);
}

size_t hr_ingest_nseries(const hr_ingest *ig) { return ig->nb; }

/* ---- messages ---------------------------------------------------------- */

void hr_ig_diag(hr_ingest *ig, int level, const char *fmt, ...)
{
    if (!ig->o.diag)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ig->o.diag(level, buf, ig->o.diag_ud);
}

/* Quotes at most 40 bytes of a field for a message, escaping controls. */
const char *hr_rd_excerpt(const char *s, size_t n, char *buf, size_t size)
{
    size_t j = 0;
    for (size_t i = 0; i < n && i < 40 && j + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
            j += (size_t)snprintf(buf + j, size - j, "\\x%02x", c);
        else
            buf[j++] = (char)c;
    }
    if (n > 40 && j + 4 < size) {
        memcpy(buf + j, "...", 3);
        j += 3;
    }
    buf[j] = '\0';
    return buf;
}

/* Reports one rejected row (counted once per row by the caller). */
void hr_ig_reject(hr_ingest *ig, unsigned long line, unsigned long col, const char *fmt, ...)
{
    ig->reported++;
    if (ig->o.max_reported && ig->reported > ig->o.max_reported)
        return;
    char why[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (col)
        hr_ig_diag(ig, HR_DIAG_ERROR, "%s:%lu:%lu: %s", ig->path, line, col, why);
    else
        hr_ig_diag(ig, HR_DIAG_ERROR, "%s: %s", ig->path, why);
}

/* ---- values, keys ------------------------------------------------------ */

int hr_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        unsigned c = *p;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            p++;
            continue;
        }
        size_t len;
        unsigned min;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            c &= 0x1F;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            c &= 0x0F;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            c &= 0x07;
            min = 0x10000;
        } else {
            return 0;
        }
        if ((size_t)(e - p) < len)
            return 0;
        for (size_t i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        p += len;
    }
    return 1;
}

static const char ABSURD_WHY[] = "absurd value (magnitude above 1e24)";

int hr_value_parse(const char *s, size_t len, double *v, const char **why)
{
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len == 0) {
        *v = NAN;
        return 0;
    }
    const char *p = s;
    size_t n = len;
    if (*p == '+' || *p == '-') {
        p++;
        n--;
    }
    if (n == 3 && strncasecmp(p, "nan", 3) == 0) {
        *v = NAN;
        return 0;
    }
    if ((n == 3 && strncasecmp(p, "inf", 3) == 0) || (n == 8 && strncasecmp(p, "infinity", 8) == 0)) {
        *v = NAN;
        return 1;
    }
    /* fast path: up to 15 digits with an optional point and no exponent
     * is an exact integer divided by an exact power of ten, so one
     * division gives the correctly rounded double, as strtod would */
    {
        static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                     1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
        const char *q = s, *e = s + len;
        int neg = 0;
        if (*q == '-' || *q == '+')
            neg = *q++ == '-';
        uint64_t mant = 0;
        int nd = 0, frac = -1;
        for (; q < e; q++) {
            if (*q >= '0' && *q <= '9') {
                mant = mant * 10 + (uint64_t)(*q - '0');
                nd++;
                if (frac >= 0)
                    frac++;
            } else if (*q == '.' && frac < 0) {
                frac = 0;
            } else {
                break;
            }
        }
        if (q == e && nd > 0 && nd <= 15) {
            double x = (double)mant / p10[frac > 0 ? frac : 0];
            *v = neg ? -x : x;
            return 0;
        }
    }
    char buf[64];
    int ok = len < sizeof buf;
    for (size_t i = 0; ok && i < len; i++)
        ok = isdigit((unsigned char)s[i]) || s[i] == '.' || s[i] == 'e' || s[i] == 'E' ||
             s[i] == '+' || s[i] == '-';
    if (!ok) {
        *why = isdigit((unsigned char)*p) || *p == '.'
                   ? "expected a number (units such as %, ms or GB are not allowed: turn off "
                     "Grafana's \"Formatted data\")"
                   : "expected a number";
        return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *e;
    errno = 0;
    double x = strtod(buf, &e);
    if (e != buf + len || e == buf) {
        *why = "expected a number";
        return -1;
    }
    if (errno == ERANGE && fabs(x) > 1.0) {
        *why = "number out of range";
        return -1;
    }
    if (fabs(x) > HR_ABSURD_VALUE) {
        *why = ABSURD_WHY;
        return -1;
    }
    *v = x;
    return 0;
}

static int cmp_lab(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    return strcmp(x[0], y[0]);
}

char *hr_key_render(const char *metric, const char *const *names, const char *const *values,
                    size_t n)
{
    /* pairs sorted by name */
    const char **pairs = malloc((n ? n : 1) * 2 * sizeof *pairs);
    if (!pairs)
        return NULL;
    size_t m = 0, size = strlen(metric) + 3;
    for (size_t i = 0; i < n; i++) {
        if (!values[i][0])
            continue;
        pairs[2 * m] = names[i];
        pairs[2 * m + 1] = values[i];
        size += strlen(names[i]) + 2 * strlen(values[i]) + 5;
        m++;
    }
    qsort(pairs, m, 2 * sizeof *pairs, cmp_lab);
    char *out = malloc(size);
    if (!out) {
        free(pairs);
        return NULL;
    }
    char *o = out;
    o += sprintf(o, "%s", metric);
    if (m) {
        *o++ = '{';
        for (size_t i = 0; i < m; i++) {
            if (i)
                *o++ = ',';
            o += sprintf(o, "%s=\"", pairs[2 * i]);
            for (const char *v = pairs[2 * i + 1]; *v; v++) {
                if (*v == '\\' || *v == '"') {
                    *o++ = '\\';
                    *o++ = *v;
                } else if (*v == '\n') {
                    *o++ = '\\';
                    *o++ = 'n';
                } else {
                    *o++ = *v;
                }
            }
            *o++ = '"';
        }
        *o++ = '}';
    }
    *o = '\0';
    free(pairs);
    return out;
}

/* Finds or creates the builder of a key. Returns its index, -1 when out
 * of memory, or -2 when a new key is not valid UTF-8 or longer than
 * HR_MAX_KEY (hr_key_refusal says which; keys already known were checked
 * when they were created). */
const char *hr_key_refusal(const char *key, size_t len, char *buf, size_t size)
{
    (void)key;
    if (len > HR_MAX_KEY)
        snprintf(buf, size, "series key is longer than %d bytes (%zu)", HR_MAX_KEY, len);
    else
        snprintf(buf, size, "series key is not valid UTF-8");
    return buf;
}

long hr_ig_builder(hr_ingest *ig, const char *key, size_t len)
{
    if (ig->last_bid != (size_t)-1 && ig->last_len == len && memcmp(ig->last_key, key, len) == 0)
        return (long)ig->last_bid;
    size_t id = hr_strmap_get(&ig->map, key, len);
    if (id == (size_t)-1) {
        if (len > HR_MAX_KEY || !hr_utf8_valid(key, len))
            return -2;
        if (ig->nb == ig->bcap) {
            size_t nc = ig->bcap ? ig->bcap * 2 : 64;
            builder *p = realloc(ig->b, nc * sizeof *p);
            if (!p)
                return -1;
            ig->b = p;
            ig->bcap = nc;
        }
        builder *b = &ig->b[ig->nb];
        memset(b, 0, sizeof *b);
        b->key = malloc(len + 1);
        if (!b->key)
            return -1;
        memcpy(b->key, key, len);
        b->key[len] = '\0';
        b->kind = hr_key_is_counter(b->key) ? HR_COUNTER : HR_GAUGE;
        for (size_t g = 0; g < ig->o.ncounter_globs; g++)
            if (fnmatch(ig->o.counter_globs[g], b->key, 0) == 0)
                b->kind = HR_COUNTER;
        if (hr_strmap_put(&ig->map, key, len, ig->nb)) {
            free(b->key);
            return -1;
        }
        id = ig->nb++;
    }
    if (len + 1 > ig->last_cap) {
        char *p = realloc(ig->last_key, len + 1);
        if (!p)
            return -1;
        ig->last_key = p;
        ig->last_cap = len + 1;
    }
    memcpy(ig->last_key, key, len);
    ig->last_len = len;
    ig->last_bid = id;
    return (long)id;
}

int hr_ig_add_sample(hr_ingest *ig, size_t bid, int64_t t_ms, double v)
{
    builder *b = &ig->b[bid];
    if (b->n == b->cap) {
        size_t nc = hr_ig_grow(b->cap);
        hr_rawpt *p = realloc(b->smp, nc * sizeof *p);
        if (!p)
            return -1;
        b->smp = p;
        b->cap = nc;
    }
    hr_ig_extent(b, ig->file_gen, t_ms, ig->line);
    b->smp[b->n++] = (hr_rawpt){t_ms, v};
    if (b->file_gen != ig->file_gen) {
        b->file_gen = ig->file_gen;
        ig->st->series++;
    }
    return 0;
}

/* Warns (capped as rejections are) about a local time that DST makes
 * nonexistent (gap) or ambiguous, read as t by the rule of tz.h; at
 * line:col, or the file alone when line is 0. ex quotes the text. */
void hr_ig_warn_dst(hr_ingest *ig, unsigned long line, unsigned long col, const char *ex, int dst, int64_t t)
{
    char tb[40], at[64] = "";
    ig->tz_warned++;
    if (ig->o.max_reported && ig->tz_warned > ig->o.max_reported)
        return;
    if (line)
        snprintf(at, sizeof at, ":%lu:%lu", line, col);
    if (dst == HR_TZ_GAP)
        hr_ig_diag(ig, HR_DIAG_WARN, "%s%s: %s does not exist in %s (DST gap); read with the offset before the change, as %s",
             ig->path, at, ex, hr_tz_name(ig->o.tz), hr_time_format(t, tb, sizeof tb));
    else
        hr_ig_diag(ig, HR_DIAG_WARN, "%s%s: %s occurs twice in %s (DST overlap); read as the first occurrence, %s",
             ig->path, at, ex, hr_tz_name(ig->o.tz), hr_time_format(t, tb, sizeof tb));
}

/* ---- the reader interface (ingest_rd.h) --------------------------------- */

const char *hr_rd_path(const hr_ingest *ig) { return ig->path; }
hr_file_stats *hr_rd_stats(hr_ingest *ig) { return ig->st; }
hr_err *hr_rd_err(hr_ingest *ig) { return ig->err; }

long hr_rd_series(hr_ingest *ig, const char *key, size_t len) { return hr_ig_builder(ig, key, len); }

void hr_rd_counter(hr_ingest *ig, long bid)
{
    if (bid >= 0 && (size_t)bid < ig->nb)
        ig->b[bid].kind = HR_COUNTER;
}

void hr_rd_line(hr_ingest *ig, unsigned long line) { ig->line = line; }

int hr_rd_sample(hr_ingest *ig, long bid, int64_t t_ms, double v)
{
    if (hr_ig_add_sample(ig, (size_t)bid, t_ms, v))
        return -1;
    ig->st->samples++;
    return 0;
}

void hr_rd_reject(hr_ingest *ig, unsigned long line, unsigned long col, const char *fmt, ...)
{
    char why[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    hr_ig_reject(ig, line, col, "%s", why);
}

void hr_rd_warn(hr_ingest *ig, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hr_ig_diag(ig, HR_DIAG_WARN, "%s", msg);
}

int hr_rd_time(hr_ingest *ig, const char *s, size_t len, int64_t *t_ms, const char **why)
{
    int dst;
    if (hr_time_parse_tz(s, len, ig->o.tz, t_ms, &dst, why))
        return -1;
    if (dst != HR_TZ_UNIQUE) {
        char ex[256];
        hr_ig_warn_dst(ig, 0, 0, hr_rd_excerpt(s, len, ex, sizeof ex), dst, *t_ms);
    }
    return 0;
}

int hr_rd_value(hr_ingest *ig, const char *s, size_t len, double *v, const char **why)
{
    int r = hr_value_parse(s, len, v, why);
    if (r == 1)
        ig->st->nonfinite++;
    return r;
}

int hr_rd_number(hr_ingest *ig, double x, double *v, const char **why)
{
    if (isinf(x)) {
        ig->st->nonfinite++;
        *v = NAN;
        return 1;
    }
    if (fabs(x) > HR_ABSURD_VALUE) {
        *why = ABSURD_WHY;
        return -1;
    }
    *v = x;
    return 0;
}


/* ---- files ------------------------------------------------------------- */

/* True when the head h[0..n) contains the text s. */
static int head_has(const unsigned char *h, size_t n, const char *s)
{
    return memmem(h, n, s, strlen(s)) != NULL;
}

/* The format of an input from its first bytes h[0..n) (up to 64 KiB,
 * after a BOM); the first rule that matches wins:
 *   1. the line formats, whose first line is specific: VictoriaMetrics
 *      JSON lines (an object of just "metric", "values", "timestamps"),
 *      OpenMetrics / Prometheus text (read_openmetrics.c says how);
 *   2. other JSON ('{' or '['):
 *      "MetricDataResults"                        cloudwatch
 *      "pointlist" or "res_type"                  datadog
 *      "datapoints" and "target"                  graphite
 *      anything else                              prometheus: a response
 *      ("status", "data", "resultType" in any order), its bare result
 *      list ('[' with "metric"), or what its reader says it lacks
 *      (a new JSON layout goes above prometheus);
 *   3. the CSV dialects that say so: InfluxDB annotated and InfluxQL CSV;
 *   4. anything else is CSV, whose header then tells long from wide. */
static hr_format sniff_format(const unsigned char *h, size_t n)
{
    size_t i = 0;
    while (i < n && isspace(h[i]))
        i++;
    if (hr_sniff_victoria(h, n))
        return HR_FMT_VICTORIA;
    if (hr_sniff_openmetrics(h, n))
        return HR_FMT_OPENMETRICS;
    if (i < n && (h[i] == '{' || h[i] == '[')) {
        if (head_has(h, n, "\"MetricDataResults\""))
            return HR_FMT_CLOUDWATCH;
        if (head_has(h, n, "\"pointlist\"") || head_has(h, n, "\"res_type\""))
            return HR_FMT_DATADOG;
        if (head_has(h, n, "\"datapoints\"") && head_has(h, n, "\"target\""))
            return HR_FMT_GRAPHITE;
        return HR_FMT_PROMETHEUS;
    }
    return hr_sniff_influx(h + i, n - i); /* annotated CSV, InfluxQL CSV, else AUTO */
}

/* True when the first line of h names a column of the long layout
 * (value, series, metric, __name__), as read_csv.c's header rule does;
 * a guess from the head, for hr_ingest_par_csv only. */
static int head_long(const unsigned char *h, size_t n)
{
    size_t i = 0;
    while (i < n && h[i] != '\n') {
        while (i < n && (h[i] == ' ' || h[i] == '"' || h[i] == '\t'))
            i++;
        size_t a = i;
        while (i < n && h[i] != ',' && h[i] != ';' && h[i] != '\t' && h[i] != '\n' && h[i] != '\r' &&
               h[i] != '"')
            i++;
        size_t k = i - a;
        const char *f = (const char *)h + a;
        if ((k == 5 && strncasecmp(f, "value", 5) == 0) || (k == 6 && strncasecmp(f, "series", 6) == 0) ||
            (k == 6 && strncasecmp(f, "metric", 6) == 0) || (k == 8 && strncmp(f, "__name__", 8) == 0))
            return 1;
        while (i < n && h[i] != ',' && h[i] != ';' && h[i] != '\t' && h[i] != '\n')
            i++;
        if (i < n && h[i] != '\n')
            i++;
    }
    return 0;
}

int hr_ingest_par_csv(const hr_ingest_opts *o, const char *path)
{
    if (strcmp(path, "-") == 0)
        return 1; /* standard input stays on the main thread */
    hr_input *in;
    uint64_t bytes = 0;
    hr_err err = {0};
    FILE *fp = hr_input_open(path, &in, &bytes, &err);
    if (!fp)
        return 1; /* the main thread will say why */
    size_t nh;
    const unsigned char *h = hr_input_head(in, &nh);
    hr_format f = o->format != HR_FMT_AUTO ? o->format : sniff_format(h, nh);
    int par = bytes > 0 && hr_input_plain(in) &&
              (f == HR_FMT_LONG || (f == HR_FMT_AUTO && head_long(h, nh)));
    fclose(fp);
    return par;
}

int hr_ingest_file(hr_ingest *ig, const char *path, hr_file_stats *st, hr_err *err)
{
    hr_file_stats dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    hr_input *in;
    FILE *fp = hr_input_open(path, &in, &st->bytes, err);
    if (!fp)
        return err->code;
    char **fp2 = realloc(ig->fpath, (ig->nfpath + 1) * sizeof *fp2);
    if (fp2)
        ig->fpath = fp2;
    if (!fp2 || !(ig->fpath[ig->nfpath] = strdup(path))) {
        fclose(fp);
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    }
    ig->nfpath++;
    ig->path = path;
    ig->st = st;
    ig->err = err;
    ig->reported = ig->tz_warned = 0;
    ig->line = 0;
    ig->file_gen++;
    hr_ig_csv_reset(ig);

    size_t nh;
    const unsigned char *h = hr_input_head(in, &nh);
    /* a plain regular file (not gzip, not a pipe): read_csv_par.c may read it again */
    ig->par_ok = st->bytes > 0 && strcmp(path, "-") != 0 && hr_input_plain(in);
    hr_format f = ig->o.format;
    if (f == HR_FMT_AUTO)
        f = sniff_format(h, nh);
    hr_reader_fn read = hr_read_csv;
    for (size_t i = 0; i < NFORMATS; i++)
        if (FORMATS[i].f == f && FORMATS[i].read)
            read = FORMATS[i].read;
    st->format = f;
    int rc = read(ig, fp);
    if (hr_input_zerror(in)) /* whatever the reader made of the cut-off text */
        rc = hr_err_set(err, HR_EINPUT, "%s: corrupt gzip data: %s", path, hr_input_zerror(in));
    else if (ferror(fp) && rc == HR_OK)
        rc = hr_err_set(err, HR_EIO, "%s: read error", path);
    fclose(fp);
    if (rc != HR_OK)
        return rc;
    if (ig->o.max_reported && ig->reported > ig->o.max_reported)
        hr_ig_diag(ig, HR_DIAG_ERROR, "%s: %lu more rejected rows not shown (use -v to see all)", path,
             ig->reported - ig->o.max_reported);
    if (ig->o.max_reported && ig->tz_warned > ig->o.max_reported)
        hr_ig_diag(ig, HR_DIAG_WARN, "%s: %lu more DST warnings not shown (use -v to see all)", path,
             ig->tz_warned - ig->o.max_reported);
    if (st->rows == 0)
        hr_ig_diag(ig, HR_DIAG_WARN, "%s: no data rows", path);
    if (st->nonfinite)
        hr_ig_diag(ig, HR_DIAG_WARN, "%s: %lu values were +Inf or -Inf; they are kept as gaps", path,
             st->nonfinite);
    if (st->bad && (double)st->bad > ig->o.max_bad_share * (double)st->rows)
        return hr_err_set(err, HR_EINPUT,
                          "%s: %lu of %lu rows rejected (%.2f%%), over the limit of %g%%: file not ingested",
                          path, st->bad, st->rows, 100.0 * (double)st->bad / (double)st->rows,
                          100.0 * ig->o.max_bad_share);
    return HR_OK;
}

/* ---- on_bad_file = skip -------------------------------------------------- */

/* Sits between the accumulator and the caller's diag: keeps the first
 * rejected row of the file being read (its located error when the file
 * fails on its share of rejected rows) and is silent while files read
 * once already are read again. */
typedef struct skipctx {
    hr_diag_fn diag;
    void *ud;
    int quiet;
    int have_first;
    char first[1024];
    hr_skipped_file *rec; /* [nfiles]: a dropped file's record, else path NULL */
} skipctx;

static void skip_diag(int level, const char *msg, void *ud)
{
    skipctx *c = ud;
    if (level == HR_DIAG_ERROR && !c->have_first) {
        snprintf(c->first, sizeof c->first, "%s", msg);
        c->have_first = 1;
    }
    if (!c->quiet && c->diag)
        c->diag(level, msg, c->ud);
}

/* A failure that dropping the file answers: the file, not the machine. */
static int skippable(int r) { return r == HR_EINPUT || r == HR_ENOINPUT || r == HR_EIO; }

static int skip_record(skipctx *c, size_t i, const char *path, const char *msg, int row_share)
{
    hr_skipped_file *k = &c->rec[i];
    k->path = strdup(path);
    k->error = strdup(msg);
    k->first_bad = row_share && c->have_first ? strdup(c->first) : NULL;
    if (!k->path || !k->error || (row_share && c->have_first && !k->first_bad))
        return -1;
    return 0;
}

/* After files[upto] failed part-way, the accumulator holds some of its
 * rows: rebuild it from files[0..upto) minus the dropped ones, quietly
 * (each was reported when first read). A file that fails now (it changed
 * in between) is dropped too and the rebuild starts over. Reading again
 * costs time only on nights with a bad file; it keeps the accumulator
 * free of any rollback logic. */
static int skip_rebuild(hr_ingest **ig, const hr_ingest_opts *o, char *const *files, size_t upto, skipctx *c,
                        hr_err *err)
{
    for (;;) {
        hr_ingest_free(*ig);
        if (!(*ig = hr_ingest_alloc(o)))
            return hr_err_set(err, HR_ESOFTWARE, "out of memory");
        size_t j = 0;
        for (; j < upto; j++) {
            if (c->rec[j].path)
                continue;
            hr_err ferr = {0};
            hr_file_stats st;
            c->quiet = 1;
            c->have_first = 0;
            int r = hr_ingest_file(*ig, files[j], &st, &ferr);
            c->quiet = 0;
            if (r == HR_OK)
                continue;
            if (!skippable(r))
                return hr_err_set(err, r, "%s", ferr.msg);
            if (skip_record(c, j, files[j], ferr.msg, st.bad > 0))
                return hr_err_set(err, HR_ESOFTWARE, "out of memory");
            hr_ig_diag(*ig, HR_DIAG_ERROR, "%s (the file changed while being read)", ferr.msg);
            break;
        }
        if (j == upto)
            return HR_OK;
    }
}

void hr_ingest_summary_clear(hr_ingest_summary *sum)
{
    if (!sum)
        return;
    for (size_t i = 0; i < sum->nskipped; i++) {
        free(sum->skipped[i].path);
        free(sum->skipped[i].error);
        free(sum->skipped[i].first_bad);
    }
    free(sum->skipped);
    sum->skipped = NULL;
    sum->nskipped = 0;
    hr_seriesset_clear(&sum->grids);
}

int hr_ingest_into_store(const char *store, char *const *files, size_t nfiles,
                         const hr_ingest_opts *opts, int replace, hr_progress_fn progress,
                         void *pud, hr_ingest_summary *sum, hr_err *err)
{
    memset(sum, 0, sizeof *sum);
    sum->files = nfiles;
    hr_ingest_opts o = *opts;
    skipctx sc = {opts->diag, opts->diag_ud, 0, 0, "", NULL};
    if (o.skip_bad_files) {
        if (!(sc.rec = calloc(nfiles ? nfiles : 1, sizeof *sc.rec)))
            return hr_err_set(err, HR_ESOFTWARE, "out of memory");
        o.diag = skip_diag;
        o.diag_ud = &sc;
    }
    hr_ingest *ig = hr_ingest_alloc(&o);
    hr_seriesset set = {0};
    hr_ahead *ahead = NULL;
    int rc = HR_OK, worst = HR_OK;
    if (!ig) {
        rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
        goto out;
    }
    /* the files whose reader is one thread are read ahead beside the
     * others (ingest_ahead.c), with the options the accumulator has */
    ahead = hr_ahead_start(files, nfiles, &o, omp_get_max_threads());
    for (size_t i = 0; i < nfiles; i++) {
        if (progress)
            progress(i, nfiles, files[i], pud);
        hr_file_stats st;
        hr_err ferr = {0};
        sc.have_first = 0;
        int r = hr_ahead_has(ahead, i) ? hr_ahead_take(ahead, i, ig, &st, &ferr)
                                       : hr_ingest_file(ig, files[i], &st, &ferr);
        if (r) {
            /* recorded before the message, which skip_diag would keep as
             * the first rejected row */
            if (o.skip_bad_files && skippable(r) && skip_record(&sc, i, files[i], ferr.msg, st.bad > 0)) {
                rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
                goto out;
            }
            hr_ig_diag(ig, HR_DIAG_ERROR, "%s", ferr.msg);
            sum->failed++;
            if (!worst || r == HR_EINPUT)
                worst = r;
            if (o.skip_bad_files && skippable(r)) {
                if ((rc = skip_rebuild(&ig, &o, files, i, &sc, err)))
                    goto out;
            } else if (o.skip_bad_files) {
                rc = hr_err_set(err, r, "store %s not changed: %s", store, ferr.msg);
                goto out;
            }
            continue;
        }
        hr_ig_diag(ig, HR_DIAG_INFO, "%s: %s, %lu rows, %lu rejected, %lu samples, %lu series", files[i],
             hr_format_name(st.format), st.rows, st.bad, st.samples, st.series);
    }
    hr_ahead_stop(ahead);
    ahead = NULL;
    if (sum->failed && !o.skip_bad_files) {
        rc = hr_err_set(err, worst, "store %s not changed: %zu of %zu files failed", store, sum->failed,
                        nfiles);
        goto out;
    }
    rc = hr_store_load(store, &set, err);
    if (rc == HR_ENOINPUT)
        rc = HR_OK; /* a new store */
    if (rc)
        goto out;
    if (sum->failed)
        hr_ig_diag(ig, HR_DIAG_WARN, "%zu of %zu files skipped (on_bad_file = skip); the others go into %s", sum->failed,
             nfiles, store);
    sum->series_before = set.n;
    rc = hr_ingest_merge(ig, &set, replace, &sum->changed, err);
    if (rc) {
        hr_ig_diag(ig, HR_DIAG_ERROR, "%s", err->msg);
        hr_err_set(err, rc, "store %s not changed", store);
        goto out;
    }
    sum->series_after = set.n;
    if (sum->changed) {
        if (progress)
            progress(nfiles, nfiles, store, pud);
        rc = hr_store_write(store, &set, err);
    }
out:
    hr_ahead_stop(ahead);
    /* the dropped files in input order (a rebuild may drop an earlier one late) */
    for (size_t i = 0; sc.rec && i < nfiles; i++)
        if (sc.rec[i].path || sc.rec[i].error)
            sc.rec[sum->nskipped++] = sc.rec[i];
    if (sum->nskipped)
        sum->skipped = sc.rec;
    else
        free(sc.rec);
    if (rc == HR_OK && o.keep_grids) {
        sum->grids = set;
        memset(&set, 0, sizeof set);
    }
    hr_seriesset_clear(&set);
    hr_ingest_free(ig);
    return rc;
}

int hr_input_load(char *const *paths, size_t n, const hr_ingest_opts *opts, hr_seriesset *set,
                  unsigned char ***present, hr_err *err)
{
    hr_ingest *ig = hr_ingest_alloc(opts);
    if (!ig)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    int rc = HR_OK;
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (hr_store_is_store(paths[i])) {
            hr_seriesset st = {0};
            int r = hr_store_load(paths[i], &st, err);
            if (r) {
                rc = r;
                break;
            }
            /* move the stored series over; a key seen before keeps its
             * first copy */
            for (size_t k = 0; k < st.n; k++) {
                int dup = 0;
                for (size_t j = 0; j < set->n && !dup; j++)
                    dup = strcmp(set->s[j].key, st.s[k].key) == 0;
                if (dup)
                    continue;
                long at = hr_seriesset_add(set, st.s[k].key, st.s[k].kind);
                if (at < 0) {
                    rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
                    break;
                }
                free(set->s[at].key);
                set->s[at] = st.s[k];
                memset(&st.s[k], 0, sizeof st.s[k]);
            }
            hr_seriesset_clear(&st);
            if (rc)
                break;
            continue;
        }
        hr_file_stats fst;
        hr_err ferr = {0};
        int r = hr_ingest_file(ig, paths[i], &fst, &ferr);
        if (r) {
            hr_ig_diag(ig, HR_DIAG_ERROR, "%s", ferr.msg);
            failed++;
            if (!rc || r == HR_EINPUT)
                rc = r;
        }
    }
    if (failed)
        hr_err_set(err, rc, "%zu of %zu inputs failed", failed, n);
    if (rc == HR_OK && present) {
        /* room for the stored series plus every new key */
        size_t cap = set->n + ig->nb;
        *present = calloc(cap ? cap : 1, sizeof **present);
        if (!*present)
            rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
        for (size_t k = 0; rc == HR_OK && k < set->n; k++) {
            (*present)[k] = calloc(set->s[k].n ? set->s[k].n : 1, 1);
            if (!(*present)[k])
                rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
            else
                for (size_t j = 0; j < set->s[k].n; j++)
                    (*present)[k][j] = isfinite(set->s[k].v[j]) != 0;
        }
        ig->present = present;
        ig->npresent = cap;
    }
    if (rc == HR_OK) {
        int changed;
        rc = hr_ingest_merge(ig, set, 0, &changed, err);
    }
    hr_ingest_free(ig);
    return rc;
}
