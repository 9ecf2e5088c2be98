/* jsonrd.c -- see jsonrd.h.
 *
 * yajl (a push parser) gets the input 64 KiB at a time and calls back per
 * token. A stack of levels mirrors the open containers: each holds its
 * role (the reader's answer when it opened), and the member name or
 * element index of the value being read in it, so that the path of any
 * value can be written when, and only when, a message needs it. A
 * skipped container costs a depth counter: its tokens reach no reader.
 * Lines and columns are not tracked per token: the newlines of each
 * chunk are counted once it has been parsed, and a syntax error's
 * column is found by scanning the chunk up to yajl's byte offset. */
#include "jsonrd.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "timefmt.h"

#define CHUNK 65536
/* Deeper nesting is no metric export; the cap keeps a hostile file from
 * growing the stack without bound. */
#define MAX_DEPTH 512

/* A small array of scalars such as [time, value]: the first two kept
 * (text copied), the rest counted. */
typedef struct tuple {
    size_t n;    /* scalars in it */
    int nested;  /* it holds an object or array */
    hr_jr_val v[2];
    char buf[2][80];
    int trunc[2]; /* the text was longer than buf */
} tuple;

/* The internal role of an object where a tuple should be. */
#define NOTPAIR 1002

typedef struct level {
    int role;
    int is_array;
    size_t index; /* arrays: the element being read (SIZE_MAX before the first) */
    char *key;    /* objects: the member being read */
    size_t klen, kcap;
} level;

struct hr_jr {
    hr_ingest *ig;
    const hr_jr_ops *ops;
    void *ud;
    level *lv;
    size_t depth, cap;
    size_t skip;   /* open containers inside a skipped one (0: none) */
    int failed;    /* a callback stopped the parse (err is set) */
    /* points (hr_jr_points) */
    hr_jr_series *ps;
    int ti;
    double unit;
    const char *shape;
    tuple t;
};

static int take_tuple(hr_jr *jr);
static void take_bad(hr_jr *jr, const char *why);
static void tuple_add(tuple *t, const hr_jr_val *v);

void hr_jr_points(hr_jr *jr, hr_jr_series *s, int ti, double unit_per_s, const char *shape)
{
    jr->ps = s;
    jr->ti = ti;
    jr->unit = unit_per_s;
    jr->shape = shape;
}

hr_ingest *hr_jr_ingest(const hr_jr *jr) { return jr->ig; }
size_t hr_jr_depth(const hr_jr *jr) { return jr->depth; }
int hr_jr_role(const hr_jr *jr) { return jr->depth ? jr->lv[jr->depth - 1].role : HR_JR_SKIP; }

const char *hr_jr_key(const hr_jr *jr, size_t *len)
{
    if (!jr->depth || jr->lv[jr->depth - 1].is_array) {
        *len = 0;
        return NULL;
    }
    *len = jr->lv[jr->depth - 1].klen;
    return jr->lv[jr->depth - 1].key;
}

int hr_jr_key_is(const hr_jr *jr, const char *name)
{
    if (!jr->depth)
        return 0;
    const level *l = &jr->lv[jr->depth - 1];
    size_t n = strlen(name);
    return !l->is_array && l->klen == n && memcmp(l->key, name, n) == 0;
}

const char *hr_jr_path(const hr_jr *jr, size_t up, char *buf, size_t size)
{
    size_t j = 0, depth = up < jr->depth ? jr->depth - up : 0;
    buf[0] = '\0';
    for (size_t d = 0; d < depth && j + 1 < size; d++) {
        const level *l = &jr->lv[d];
        int n;
        if (l->is_array)
            n = snprintf(buf + j, size - j, "[%zu]", l->index);
        else
            n = snprintf(buf + j, size - j, "%s%.*s", j ? "." : "", (int)(l->klen > 64 ? 64 : l->klen),
                         l->key ? l->key : "");
        if (n < 0)
            break;
        j += (size_t)n;
        if (j >= size)
            j = size - 1;
    }
    return buf;
}

static int oom(hr_jr *jr)
{
    hr_err_set(hr_rd_err(jr->ig), HR_ESOFTWARE, "out of memory");
    jr->failed = 1;
    return 0;
}

/* Every value (scalar or container) starts here: the place moves to the
 * next element of an array. */
static void next_value(hr_jr *jr)
{
    if (jr->depth && jr->lv[jr->depth - 1].is_array)
        jr->lv[jr->depth - 1].index++;
}

static int on_scalar(hr_jr *jr, hr_jr_type type, const char *s, size_t len)
{
    if (jr->skip)
        return 1;
    next_value(jr);
    int role = hr_jr_role(jr);
    hr_jr_val v = {type, s, len};
    switch (role) {
    case HR_JR_SKIP:
        if (jr->depth)
            return 1;
        break; /* a scalar document: the reader says what it wanted */
    case HR_JR_PAIR:
        tuple_add(&jr->t, &v);
        return 1;
    case HR_JR_POINTS:
        take_bad(jr, jr->shape);
        return 1;
    case NOTPAIR:
        return 1;
    }
    if (jr->ops->scalar(jr, &v, jr->ud) < 0) {
        jr->failed = 1;
        return 0;
    }
    return 1;
}

static int cb_null(void *ctx) { return on_scalar(ctx, HR_JR_NULL, NULL, 0); }
static int cb_bool(void *ctx, int b) { return on_scalar(ctx, b ? HR_JR_TRUE : HR_JR_FALSE, NULL, 0); }
static int cb_number(void *ctx, const char *s, size_t n) { return on_scalar(ctx, HR_JR_NUMBER, s, n); }
static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
    return on_scalar(ctx, HR_JR_STRING, (const char *)s, n);
}

static int on_open(hr_jr *jr, int is_array)
{
    if (jr->skip) {
        jr->skip++;
        return 1;
    }
    next_value(jr);
    int role = HR_JR_SKIP, parent = hr_jr_role(jr);
    if (parent == HR_JR_POINTS)
        role = is_array ? HR_JR_PAIR : NOTPAIR;
    else if (parent == HR_JR_PAIR)
        jr->t.nested = 1;
    else if (parent != NOTPAIR && (!jr->depth || parent != HR_JR_SKIP))
        role = jr->ops->open(jr, is_array, jr->ud);
    if (role == HR_JR_PAIR) {
        jr->t.n = 0;
        jr->t.nested = 0;
    }
    if (role < 0) {
        jr->failed = 1;
        return 0;
    }
    if (role == HR_JR_SKIP && jr->depth) { /* (a skipped top level still needs its level) */
        jr->skip = 1;
        return 1;
    }
    if (jr->depth == MAX_DEPTH) {
        char where[256];
        hr_err_set(hr_rd_err(jr->ig), HR_EINPUT, "%s: %s: nested more than %d deep", hr_rd_path(jr->ig),
                   hr_jr_path(jr, 0, where, sizeof where), MAX_DEPTH);
        jr->failed = 1;
        return 0;
    }
    if (jr->depth == jr->cap) {
        size_t nc = jr->cap ? jr->cap * 2 : 16;
        level *p = realloc(jr->lv, nc * sizeof *p);
        if (!p)
            return oom(jr);
        memset(p + jr->cap, 0, (nc - jr->cap) * sizeof *p);
        jr->lv = p;
        jr->cap = nc;
    }
    level *l = &jr->lv[jr->depth++];
    l->role = role;
    l->is_array = is_array;
    l->index = (size_t)-1;
    l->klen = 0;
    return 1;
}

static int on_close(hr_jr *jr)
{
    if (jr->skip) {
        jr->skip--;
        return 1;
    }
    int role = jr->lv[--jr->depth].role, rc = 0;
    if (role == HR_JR_PAIR)
        rc = take_tuple(jr);
    else if (role == NOTPAIR)
        take_bad(jr, jr->shape);
    else if (role != HR_JR_SKIP && role != HR_JR_POINTS)
        rc = jr->ops->close(jr, role, jr->ud);
    if (rc < 0) {
        jr->failed = 1;
        return 0;
    }
    return 1;
}

static int cb_start_map(void *ctx) { return on_open(ctx, 0); }
static int cb_start_array(void *ctx) { return on_open(ctx, 1); }
static int cb_end(void *ctx) { return on_close(ctx); }

static int cb_key(void *ctx, const unsigned char *k, size_t n)
{
    hr_jr *jr = ctx;
    if (jr->skip)
        return 1;
    level *l = &jr->lv[jr->depth - 1];
    if (l->role == HR_JR_SKIP)
        return 1;
    if (n + 1 > l->kcap) {
        size_t nc = n + 1 < 32 ? 32 : n + 1;
        char *p = realloc(l->key, nc);
        if (!p)
            return oom(jr);
        l->key = p;
        l->kcap = nc;
    }
    memcpy(l->key, k, n);
    l->key[n] = '\0';
    l->klen = n;
    return 1;
}

static const yajl_callbacks CALLBACKS = {
    cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
    cb_start_map, cb_key, cb_end, cb_start_array, cb_end,
};

/* Advances (line, col) over buf[0..n). Columns count bytes from 1. */
static void advance(const unsigned char *buf, size_t n, unsigned long *line, unsigned long *col)
{
    const unsigned char *p = buf, *e = buf + n, *nl;
    while ((nl = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        (*line)++;
        *col = 1;
        p = nl + 1;
    }
    *col += (unsigned long)(e - p);
}

/* The syntax error of yajl at byte off of buf[0..n), as
 * "path:line:column: message". */
static int syntax_error(hr_jr *jr, yajl_handle h, const unsigned char *buf, size_t n, size_t off,
                        unsigned long line, unsigned long col)
{
    if (off > n)
        off = n;
    /* yajl's offset is just past the offending token: point at its last
     * byte, as jansson did */
    advance(buf, off ? off - 1 : 0, &line, &col);
    unsigned char *m = yajl_get_error(h, 0, buf, n);
    char msg[200];
    snprintf(msg, sizeof msg, "%s", m ? (const char *)m : "malformed JSON");
    if (m)
        yajl_free_error(h, m);
    size_t k = strlen(msg);
    while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' '))
        msg[--k] = '\0';
    const char *text = msg;
    if (strncmp(text, "parse error: ", 13) == 0)
        text += 13;
    else if (strncmp(text, "lexical error: ", 15) == 0)
        text += 15;
    return hr_err_set(hr_rd_err(jr->ig), HR_EINPUT, "%s:%lu:%lu: malformed JSON: %s", hr_rd_path(jr->ig), line, col,
                      text);
}

int hr_jr_parse(hr_ingest *ig, FILE *fp, const hr_jr_ops *ops, void *ud)
{
    hr_jr jr = {.ig = ig, .ops = ops, .ud = ud};
    hr_err *err = hr_rd_err(ig);
    unsigned char *buf = malloc(CHUNK);
    yajl_handle h = buf ? yajl_alloc(&CALLBACKS, NULL, &jr) : NULL;
    if (!h) {
        free(buf);
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    }
    unsigned long line = 1, col = 1;
    int rc = HR_OK;
    size_t n = 0;
    for (;;) {
        n = fread(buf, 1, CHUNK, fp);
        yajl_status ys = n ? yajl_parse(h, buf, n) : yajl_complete_parse(h);
        if (ys == yajl_status_client_canceled || jr.failed) {
            rc = err->code ? err->code : hr_err_set(err, HR_ESOFTWARE, "JSON reader stopped without a reason");
            break;
        }
        if (ys != yajl_status_ok) {
            rc = syntax_error(&jr, h, buf, n, yajl_get_bytes_consumed(h), line, col);
            break;
        }
        if (!n || ferror(fp))
            break; /* the end, or a read error for the caller to report */
        advance(buf, n, &line, &col);
    }
    yajl_free(h);
    free(buf);
    for (size_t d = 0; d < jr.cap; d++)
        free(jr.lv[d].key);
    free(jr.lv);
    return rc;
}

/* ---- pieces ------------------------------------------------------------- */

void hr_jr_copy(char *dst, size_t size, const hr_jr_val *v)
{
    size_t n = v->len < size - 1 ? v->len : size - 1;
    if (n)
        memcpy(dst, v->s, n);
    dst[n] = '\0';
}

int hr_jr_dup(char **dst, const hr_jr_val *v)
{
    free(*dst);
    *dst = strndup(v->s ? v->s : "", v->len);
    return *dst ? 0 : -1;
}

int hr_jr_oom(hr_ingest *ig)
{
    hr_err_set(hr_rd_err(ig), HR_ESOFTWARE, "out of memory");
    return -1;
}

static void tuple_add(tuple *t, const hr_jr_val *v)
{
    if (t->n < 2) {
        size_t i = t->n, len = v->len < sizeof t->buf[i] ? v->len : sizeof t->buf[i] - 1;
        if (v->s)
            memcpy(t->buf[i], v->s, len);
        t->buf[i][len] = '\0';
        t->trunc[i] = len < v->len;
        t->v[i] = (hr_jr_val){v->type, t->buf[i], len};
    }
    t->n++;
}

/* A decimal number in full: s[0..len) as a double, or -1. An optional
 * minus and up to 15 digits (epoch seconds, nearly every time read
 * here) are an exact integer, the double strtod gives, without strtod's
 * cost (a sixth of reading a Prometheus export). */
static int full_number(const char *s, size_t len, double *x)
{
    char b[80];
    if (len == 0 || len >= sizeof b)
        return -1;
    {
        size_t i = s[0] == '-';
        uint64_t m = 0;
        if (len > i && len - i <= 15) {
            size_t j = i;
            while (j < len && s[j] >= '0' && s[j] <= '9')
                m = m * 10 + (uint64_t)(s[j++] - '0');
            if (j == len) {
                *x = i ? -(double)m : (double)m;
                return 0;
            }
        }
    }
    memcpy(b, s, len);
    b[len] = '\0';
    char *e;
    errno = 0;
    *x = strtod(b, &e);
    return *e || e == b || !isfinite(*x) ? -1 : 0;
}

int hr_jr_time(hr_ingest *ig, const hr_jr_val *v, double unit_per_s, int64_t *t_ms, const char **why)
{
    if (v->type != HR_JR_NUMBER && v->type != HR_JR_STRING) {
        *why = unit_per_s > 0 ? "time is not a number" : "time is not a string or number";
        return -1;
    }
    if (unit_per_s <= 0)
        return hr_rd_time(ig, v->s, v->len, t_ms, why);
    double x;
    if (full_number(v->s, v->len, &x)) {
        *why = "time is not a number";
        return -1;
    }
    return hr_time_from_epoch(x, unit_per_s, t_ms, why);
}

int hr_jr_value(hr_ingest *ig, const hr_jr_val *v, double *x, const char **why)
{
    switch (v->type) {
    case HR_JR_NULL:
        *x = NAN;
        return 0;
    case HR_JR_NUMBER:
        return hr_rd_value(ig, v->s, v->len, x, why);
    case HR_JR_STRING:
        if (v->len == 0) {
            *why = "empty value";
            return -1;
        }
        return hr_rd_value(ig, v->s, v->len, x, why);
    default:
        *why = "value is not a number";
        return -1;
    }
}

void hr_jr_reject(hr_ingest *ig, const char *where, const char *why, const hr_jr_val *v)
{
    char ex[256];
    if (v && v->type == HR_JR_STRING)
        hr_rd_reject(ig, 0, 0, "%s: %s, got \"%s\"", where, why, hr_rd_excerpt(v->s, v->len, ex, sizeof ex));
    else if (v && v->type == HR_JR_NUMBER)
        hr_rd_reject(ig, 0, 0, "%s: %s, got %s", where, why, hr_rd_excerpt(v->s, v->len, ex, sizeof ex));
    else
        hr_rd_reject(ig, 0, 0, "%s: %s", where, why);
}

void hr_jr_series_init(hr_jr_series *s)
{
    memset(s, 0, sizeof *s);
    s->bid = -1;
}

void hr_jr_series_clear(hr_jr_series *s)
{
    if (!s)
        return;
    free(s->metric);
    free(s->lab);
    free(s->names);
    free(s->vals);
    free(s->pend);
    hr_jr_series_init(s);
}

void hr_jr_series_reset(hr_jr_series *s)
{
    s->bid = -1;
    s->mlen = 0;
    if (s->metric)
        s->metric[0] = '\0';
    s->lablen = s->nlab = 0;
    s->npend = 0;
}

/* Appends len bytes and a NUL to a growing buffer. */
static int put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = *cap ? *cap : 64;
        while (nc < *len + n + 1)
            nc *= 2;
        char *p = realloc(*buf, nc);
        if (!p)
            return -1;
        *buf = p;
        *cap = nc;
    }
    memcpy(*buf + *len, s, n);
    (*buf)[*len + n] = '\0';
    *len += n + 1;
    return 0;
}

int hr_jr_series_metric(hr_jr_series *s, const char *m, size_t len)
{
    s->mlen = 0;
    if (put(&s->metric, &s->mlen, &s->mcap, m, len))
        return -1;
    s->mlen--; /* without the NUL */
    return 0;
}

int hr_jr_series_label(hr_jr_series *s, const char *name, size_t nlen, const char *val, size_t vlen)
{
    if (put(&s->lab, &s->lablen, &s->labcap, name, nlen) || put(&s->lab, &s->lablen, &s->labcap, val, vlen))
        return -1;
    s->nlab++;
    return 0;
}

static int cmp_pair(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    int c = strcmp(x[0], y[0]);
    return c ? c : strcmp(x[1], y[1]);
}

/* A label named twice (Datadog's multi-valued tags, "role:web" and
 * "role:db") becomes one label whose distinct values are joined by ','
 * in sorted order, so the key does not depend on input order. Rewrites names/vals
 * (values of merged labels in *merged, freed by the caller); returns the
 * number of labels, or -1 when out of memory. */
static size_t merge_labels(hr_jr_series *s, char **merged)
{
    size_t n = s->nlab, dup = 0;
    for (size_t i = 0; i < n && !dup; i++)
        for (size_t j = i + 1; j < n && !dup; j++)
            dup = strcmp(s->names[i], s->names[j]) == 0;
    if (!dup)
        return n;
    const char **pairs = malloc(2 * n * sizeof *pairs);
    size_t size = 1;
    for (size_t i = 0; i < n; i++)
        size += strlen(s->vals[i]) + 1;
    *merged = pairs ? malloc(size) : NULL;
    if (!*merged) {
        free(pairs);
        return (size_t)-1;
    }
    for (size_t i = 0; i < n; i++) {
        pairs[2 * i] = s->names[i];
        pairs[2 * i + 1] = s->vals[i];
    }
    qsort(pairs, n, 2 * sizeof *pairs, cmp_pair);
    char *o = *merged;
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        s->names[m] = pairs[2 * i];
        s->vals[m] = o;
        for (; j < n && strcmp(pairs[2 * j], pairs[2 * i]) == 0; j++)
            if (j == i || strcmp(pairs[2 * j + 1], pairs[2 * j - 1]) != 0) /* the same tag twice: once */
                o += sprintf(o, "%s%s", j > i ? "," : "", pairs[2 * j + 1]);
        *o++ = '\0';
        m++;
        i = j;
    }
    free(pairs);
    return m;
}

int hr_jr_series_resolve(hr_ingest *ig, hr_jr_series *s, const char *where)
{
    hr_err *err = hr_rd_err(ig);
    const char *path = hr_rd_path(ig);
    if (s->nlab > s->ncap) {
        const char **n = realloc(s->names, s->nlab * sizeof *n);
        if (n)
            s->names = n;
        const char **v = n ? realloc(s->vals, s->nlab * sizeof *v) : NULL;
        if (!v)
            return hr_err_set(err, HR_ESOFTWARE, "out of memory"), -1;
        s->vals = v;
        s->ncap = s->nlab;
    }
    const char *p = s->lab;
    for (size_t i = 0; i < s->nlab; i++) {
        s->names[i] = p;
        p += strlen(p) + 1;
        s->vals[i] = p;
        p += strlen(p) + 1;
    }
    char *merged = NULL;
    size_t n = merge_labels(s, &merged);
    char *key = n == (size_t)-1 ? NULL : hr_key_render(s->metric ? s->metric : "", s->names, s->vals, n);
    free(merged);
    if (!key)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory"), -1;
    long bid = -1;
    if (!key[0])
        hr_err_set(err, HR_EINPUT, "%s: %s: series has no name and no labels", path, where);
    else if ((bid = hr_rd_series(ig, key, strlen(key))) == -2) {
        char kw[80];
        hr_err_set(err, HR_EINPUT, "%s: %s: %s", path, where, hr_key_refusal(key, strlen(key), kw, sizeof kw));
    }
    else if (bid < 0)
        hr_err_set(err, HR_ESOFTWARE, "out of memory");
    free(key);
    if (bid < 0)
        return -1;
    s->bid = bid;
    for (size_t i = 0; i < s->npend; i++)
        if (hr_rd_sample(ig, bid, s->pend[i].t_ms, s->pend[i].v))
            return hr_err_set(err, HR_ESOFTWARE, "out of memory"), -1;
    s->npend = 0;
    return 0;
}

int hr_jr_series_point(hr_ingest *ig, hr_jr_series *s, int64_t t_ms, double v)
{
    if (s->bid >= 0) {
        if (hr_rd_sample(ig, s->bid, t_ms, v) == 0)
            return 0;
    } else {
        if (s->npend < s->pcap) {
            s->pend[s->npend++] = (hr_jr_point){t_ms, v};
            return 0;
        }
        size_t nc = s->pcap ? s->pcap * 2 : 256;
        hr_jr_point *p = realloc(s->pend, nc * sizeof *p);
        if (p) {
            s->pend = p;
            s->pcap = nc;
            s->pend[s->npend++] = (hr_jr_point){t_ms, v};
            return 0;
        }
    }
    hr_err_set(hr_rd_err(ig), HR_ESOFTWARE, "out of memory");
    return -1;
}

/* The tuple just closed at the place: one data record. Returns 0, or -1
 * with err set (out of memory). */
static int take_tuple(hr_jr *jr)
{
    hr_ingest *ig = jr->ig;
    const tuple *t = &jr->t;
    int ti = jr->ti;
    hr_file_stats *st = hr_rd_stats(ig);
    char where[256];
    const char *why;
    int64_t t_ms;
    double v;
    st->rows++;
    if (t->nested || t->n != 2) {
        hr_jr_reject(ig, hr_jr_path(jr, 0, where, sizeof where), jr->shape, NULL);
        st->bad++;
        return 0;
    }
    const hr_jr_val *tv = &t->v[ti], *vv = &t->v[1 - ti];
    if (t->trunc[ti] || hr_jr_time(ig, tv, jr->unit, &t_ms, &why)) {
        hr_jr_reject(ig, hr_jr_path(jr, 0, where, sizeof where), t->trunc[ti] ? "time is not a number" : why, NULL);
        st->bad++;
        return 0;
    }
    if (t->trunc[1 - ti] || hr_jr_value(ig, vv, &v, &why) < 0) {
        hr_jr_reject(ig, hr_jr_path(jr, 0, where, sizeof where), t->trunc[1 - ti] ? "expected a number" : why, vv);
        st->bad++;
        return 0;
    }
    return hr_jr_series_point(ig, jr->ps, t_ms, v);
}

/* A data record at the place that is not a tuple at all. */
static void take_bad(hr_jr *jr, const char *why)
{
    hr_file_stats *st = hr_rd_stats(jr->ig);
    char where[256];
    st->rows++;
    st->bad++;
    hr_jr_reject(jr->ig, hr_jr_path(jr, 0, where, sizeof where), why, NULL);
}
