/* read_csv_par.c -- the data rows of a long CSV that is a plain regular
 * file, read by OpenMP threads in newline-aligned pieces and merged into
 * the accumulator in file order, so that everything the sequential path
 * gives (samples and their order, first-seen series order, counts,
 * rejected-row and DST messages with file:line:column, the caps on
 * them) comes out the same at any OMP_NUM_THREADS.
 *
 * How: the file is read a window at a time (threads x chunk bytes, by
 * pread, so memory does not grow with the file); the window is cut after
 * its last newline (the rest is carried into the next window) and into
 * one piece per thread at newlines. Each thread feeds its piece line by
 * line to its own hr_csv (the memchr fast path for plain lines, libcsv
 * for quoted ones) and turns rows into records (series id local to the
 * thread, time, value) and messages (with lines counted from the piece
 * start); nothing shared is written. Then, serially and in piece order,
 * messages go through hr_ig_reject / hr_ig_warn_dst (which count and cap
 * them as for the sequential path), a local series id meets its builder
 * at its first record (so builders are created in first-seen order) and
 * records become samples.
 *
 * A piece cut inside a quoted field that spans lines cannot be read on
 * its own: its reader ends it with a record still open. The pieces
 * before it are merged and the caller reads the rest of the file from
 * that piece's start sequentially (HR_CSV_TAIL), which is exact because
 * every earlier piece ended between records.
 *
 * The chunk is 8 MiB per thread, or HEADROOM_CSV_CHUNK bytes when that
 * is set (tests use a few dozen bytes to get many windows and pieces).
 * The row checks mirror long_row in read_csv.c; tests/cli/ingest_par.sh
 * compares the two paths. */
#include <errno.h>
#include <fcntl.h>
#include <omp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvread.h"
#include "ingest_int.h"
#include "timefmt.h"

#define CHUNK_DEFAULT ((size_t)8 << 20)

/* One accepted row: its series (an id local to the thread), its line
 * in the piece (pieces are a few MiB), time, value. */
typedef struct rec {
    uint32_t wk, line;
    int64_t t;
    double v;
} rec;

enum { MSG_REJECT, MSG_DST };

/* A message waiting for the merge: a rejected row (text: the reason) or
 * a DST warning (text: the excerpt of the time). line counts from 1 at
 * the first line of the piece. */
typedef struct msg {
    int kind, dst;
    unsigned long line, col;
    int64_t t;
    char *text;
} msg;

typedef struct piece {
    const char *s;
    size_t n;
    size_t start;         /* offset of s in the window */
    int worker;           /* whose local series ids the records hold */
    unsigned long lines;  /* line ends in s */
    rec *r;
    size_t nr, rcap;
    msg *m;
    size_t nm, mcap;
    unsigned long nrej, ndst;           /* messages kept */
    unsigned long drop_rej, drop_dst;   /* past the cap, only counted */
    unsigned long rows, bad, samples, nonfinite;
    int pending;          /* ended inside a record: read it sequentially */
    int rc;               /* HR_ESOFTWARE: out of memory at line oom_line */
    unsigned long oom_line;
} piece;

/* A thread's reader and its series: raw key (or metric + label tuple)
 * to local id, the key of each id and, filled by the merge, its builder. */
typedef struct worker {
    const hr_ingest *ig;
    hr_csv *csv;
    piece *cur;
    hr_strmap map;
    char **keys;
    size_t *klen;
    long *gid;
    size_t nk, kcap;
    /* rows of an export cycle through its series in one order, so the
     * series that followed the previous row's last time is tried (one
     * memcmp with its map key) before hashing the key */
    char **raw;    /* each id's map key (copy) */
    size_t *rawlen;
    long *next;    /* the id that followed this one last time, or -1 */
    long prev;     /* the previous row's id, or -1 */
    char *tup;
    size_t tcap;
    const char **lnames, **lvals;
} worker;

static void piece_reset(piece *p)
{
    for (size_t i = 0; i < p->nm; i++)
        free(p->m[i].text);
    rec *r = p->r;
    msg *m = p->m;
    size_t rcap = p->rcap, mcap = p->mcap;
    memset(p, 0, sizeof *p);
    p->r = r;
    p->m = m;
    p->rcap = rcap;
    p->mcap = mcap;
}

static void piece_free(piece *p)
{
    piece_reset(p);
    free(p->r);
    free(p->m);
}

static void worker_clear(worker *w)
{
    hr_csv_free(w->csv);
    hr_strmap_clear(&w->map);
    for (size_t i = 0; i < w->nk; i++)
        free(w->keys[i]);
    free(w->keys);
    free(w->klen);
    free(w->gid);
    for (size_t i = 0; i < w->nk && w->raw; i++)
        free(w->raw[i]);
    free(w->raw);
    free(w->rawlen);
    free(w->next);
    free(w->tup);
    free(w->lnames);
    free(w->lvals);
}

/* Queues a message of the current piece unless its kind is over the cap
 * (then only counts it). Returns -1 when out of memory. */
static int push_msg(worker *w, int kind, unsigned long line, unsigned long col, const char *text, int dst, int64_t t)
{
    piece *p = w->cur;
    unsigned long max = w->ig->o.max_reported;
    unsigned long *kept = kind == MSG_REJECT ? &p->nrej : &p->ndst;
    if (max && *kept >= max) {
        (*(kind == MSG_REJECT ? &p->drop_rej : &p->drop_dst))++;
        return 0;
    }
    if (p->nm == p->mcap) {
        size_t nc = p->mcap ? p->mcap * 2 : 16;
        msg *q = realloc(p->m, nc * sizeof *q);
        if (!q)
            return -1;
        p->m = q;
        p->mcap = nc;
    }
    char *c = strdup(text);
    if (!c)
        return -1;
    p->m[p->nm++] = (msg){kind, dst, line, col, t, c};
    (*kept)++;
    return 0;
}

/* A rejected row at line:col (the reason as hr_ig_reject formats it). */
static int reject(worker *w, unsigned long line, unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int reject(worker *w, unsigned long line, unsigned long col, const char *fmt, ...)
{
    char why[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return push_msg(w, MSG_REJECT, line, col, why, 0, 0) ? -1 : 1;
}

/* Reject at field k of row. Returns 1 (the row is rejected) or -1. */
#define REJECT_AT(k, ...)                                                      \
    do {                                                                       \
        unsigned long l_, c_;                                                  \
        hr_csv_locate(row, (k), hr_csv_delim(row), &l_, &c_);                  \
        return reject(w, l_, c_, __VA_ARGS__);                                 \
    } while (0)

/* The local id of key[0..len) (copied), found or new. -1: no memory. */
static long local_id(worker *w, const char *map_key, size_t map_len, char *key, size_t len)
{
    if (w->nk == w->kcap) {
        size_t nc = w->kcap ? w->kcap * 2 : 64;
        char **k = realloc(w->keys, nc * sizeof *k);
        if (k)
            w->keys = k;
        size_t *kl = realloc(w->klen, nc * sizeof *kl);
        if (kl)
            w->klen = kl;
        long *g = realloc(w->gid, nc * sizeof *g);
        if (g)
            w->gid = g;
        char **rw = realloc(w->raw, nc * sizeof *rw);
        if (rw)
            w->raw = rw;
        size_t *rl = realloc(w->rawlen, nc * sizeof *rl);
        if (rl)
            w->rawlen = rl;
        long *nx = realloc(w->next, nc * sizeof *nx);
        if (nx)
            w->next = nx;
        if (!k || !kl || !g || !rw || !rl || !nx) {
            free(key);
            return -1;
        }
        w->kcap = nc;
    }
    char *raw = map_key ? malloc(map_len ? map_len : 1) : NULL;
    if (map_key && (!raw || hr_strmap_put(&w->map, map_key, map_len, w->nk))) {
        free(raw);
        free(key);
        return -1;
    }
    if (raw)
        memcpy(raw, map_key, map_len);
    w->raw[w->nk] = raw;
    w->rawlen[w->nk] = map_len;
    w->next[w->nk] = -1;
    w->keys[w->nk] = key;
    w->klen[w->nk] = len;
    w->gid[w->nk] = -1;
    return (long)w->nk++;
}

/* The local id of map key mk[0..ml): the one that followed the previous
 * row's series last time when its key matches, else by hash; -1 when
 * the key is new. */
static long find_id(worker *w, const char *mk, size_t ml)
{
    long c = w->prev >= 0 ? w->next[w->prev] : -1;
    if (c >= 0 && w->rawlen[c] == ml && memcmp(w->raw[c], mk, ml) == 0)
        return c;
    size_t hit = hr_strmap_get(&w->map, mk, ml);
    return hit == (size_t)-1 ? -1 : (long)hit;
}

/* Records that id followed the previous row's series (see worker). */
static long follow(worker *w, long id)
{
    if (id >= 0) {
        if (w->prev >= 0)
            w->next[w->prev] = id;
        w->prev = id;
    }
    return id;
}

/* The series id of a row's key, as long_row finds its builder. Returns
 * the id, -1 (no memory) or -2 after rejecting the row. */
static long row_series(worker *w, const hr_csvrow *row)
{
    const hr_ingest *ig = w->ig;
    if (ig->single_key)
        return 0; /* registered by worker_init */
    if (ig->c_series >= 0) {
        size_t cs = (size_t)ig->c_series;
        int r = 0;
        if (row->len[cs] == 0) {
            unsigned long l, c;
            hr_csv_locate(row, cs, hr_csv_delim(row), &l, &c);
            r = reject(w, l, c, "empty series key");
            return r < 0 ? -1 : -2;
        }
        long hit = find_id(w, row->f[cs], row->len[cs]);
        if (hit >= 0)
            return follow(w, hit);
        if (row->len[cs] > HR_MAX_KEY || !hr_utf8_valid(row->f[cs], row->len[cs])) {
            unsigned long l, c;
            char kw[80];
            hr_csv_locate(row, cs, hr_csv_delim(row), &l, &c);
            r = reject(w, l, c, "%s", hr_key_refusal(row->f[cs], row->len[cs], kw, sizeof kw));
            return r < 0 ? -1 : -2;
        }
        char *k = strndup(row->f[cs], row->len[cs]);
        return k ? follow(w, local_id(w, row->f[cs], row->len[cs], k, row->len[cs])) : -1;
    }
    size_t cm = (size_t)ig->c_metric;
    if (row->len[cm] == 0) {
        unsigned long l, c;
        hr_csv_locate(row, cm, hr_csv_delim(row), &l, &c);
        return reject(w, l, c, "empty metric name") < 0 ? -1 : -2;
    }
    /* the raw tuple (metric, label values), length-prefixed */
    size_t need = 0;
    for (size_t k = 0; k <= ig->nlab; k++)
        need += sizeof(size_t) + row->len[k < ig->nlab ? ig->lab_cols[k] : cm];
    if (need > w->tcap) {
        char *nt = realloc(w->tup, need);
        if (!nt)
            return -1;
        w->tup = nt;
        w->tcap = need;
    }
    size_t o = 0;
    for (size_t k = 0; k <= ig->nlab; k++) {
        size_t col = k < ig->nlab ? ig->lab_cols[k] : cm;
        memcpy(w->tup + o, &row->len[col], sizeof(size_t));
        memcpy(w->tup + o + sizeof(size_t), row->f[col], row->len[col]);
        o += sizeof(size_t) + row->len[col];
    }
    long hit = find_id(w, w->tup, o);
    if (hit >= 0)
        return follow(w, hit);
    for (size_t k = 0; k <= ig->nlab; k++) {
        size_t col = k < ig->nlab ? ig->lab_cols[k] : cm;
        if (!hr_utf8_valid(row->f[col], row->len[col])) {
            unsigned long l, c;
            hr_csv_locate(row, col, hr_csv_delim(row), &l, &c);
            return reject(w, l, c, "column \"%s\" is not valid UTF-8", ig->colnames[col]) < 0 ? -1 : -2;
        }
    }
    for (size_t k = 0; k < ig->nlab; k++) {
        w->lnames[k] = ig->colnames[ig->lab_cols[k]];
        w->lvals[k] = row->f[ig->lab_cols[k]];
    }
    char *key = hr_key_render(row->f[cm], w->lnames, w->lvals, ig->nlab);
    if (key && strlen(key) > HR_MAX_KEY) {
        unsigned long l, c;
        char kw[80];
        hr_csv_locate(row, cm, hr_csv_delim(row), &l, &c);
        int r = reject(w, l, c, "%s", hr_key_refusal(key, strlen(key), kw, sizeof kw));
        free(key);
        return r < 0 ? -1 : -2;
    }
    return key ? follow(w, local_id(w, w->tup, o, key, strlen(key))) : -1;
}

/* One data row, checked in the order of long_row (read_csv.c): fields,
 * time, value, key. Returns 0 (a record), 1 (rejected) or -1. */
static int row_rec(worker *w, const hr_csvrow *row)
{
    const hr_ingest *ig = w->ig;
    piece *p = w->cur;
    char ex[256];
    const char *why;
    if (row->nf != ig->ncol) {
        size_t k = row->nf < ig->ncol ? row->nf : ig->ncol;
        REJECT_AT(k, "expected %zu fields, got %zu", ig->ncol, row->nf);
    }
    size_t ct = (size_t)ig->c_time, cv = (size_t)ig->c_value;
    int64_t t;
    int dst;
    int tr = hr_time_parse_tz(row->f[ct], row->len[ct], ig->o.tz, &t, &dst, &why);
    if (tr || dst != HR_TZ_UNIQUE) {
        unsigned long l, c;
        hr_csv_locate(row, ct, hr_csv_delim(row), &l, &c);
        hr_rd_excerpt(row->f[ct], row->len[ct], ex, sizeof ex);
        if (tr)
            return reject(w, l, c, "%s, got \"%s\"", why, ex);
        if (push_msg(w, MSG_DST, l, c, ex, dst, t))
            return -1;
    }
    double v;
    int vr = hr_value_parse(row->f[cv], row->len[cv], &v, &why);
    if (vr < 0)
        REJECT_AT(cv, "%s, got \"%s\"", why, hr_rd_excerpt(row->f[cv], row->len[cv], ex, sizeof ex));
    if (vr == 1)
        p->nonfinite++;
    long id = row_series(w, row);
    if (id == -2)
        return 1;
    if (id < 0)
        return -1;
    if (p->nr == p->rcap) {
        size_t nc = p->rcap ? p->rcap * 2 : 4096;
        rec *q = realloc(p->r, nc * sizeof *q);
        if (!q)
            return -1;
        p->r = q;
        p->rcap = nc;
    }
    p->r[p->nr++] = (rec){(uint32_t)id, (uint32_t)row->line, t, v};
    p->samples++;
    return 0;
}

static int on_row(const hr_csvrow *row, void *ud)
{
    worker *w = ud;
    piece *p = w->cur;
    p->rows++;
    int r = row_rec(w, row);
    if (r < 0) {
        p->oom_line = row->line;
        return HR_ESOFTWARE;
    }
    if (r > 0)
        p->bad++;
    return 0;
}

static void on_bad(unsigned long line, unsigned long col, const char *why, void *ud)
{
    worker *w = ud;
    w->cur->rows++;
    w->cur->bad++;
    if (reject(w, line, col, "malformed CSV record (%s)", why) < 0 && !w->cur->rc) {
        w->cur->rc = HR_ESOFTWARE;
        w->cur->oom_line = line;
    }
}

static int worker_init(worker *w, const hr_ingest *ig, unsigned char delim)
{
    memset(w, 0, sizeof *w);
    w->ig = ig;
    w->prev = -1;
    hr_strmap_init(&w->map);
    w->csv = hr_csv_alloc(ig->path, delim, on_row, on_bad, w);
    size_t nl = ig->nlab ? ig->nlab : 1;
    w->lnames = malloc(nl * sizeof *w->lnames);
    w->lvals = malloc(nl * sizeof *w->lvals);
    if (!w->csv || !w->lnames || !w->lvals)
        return -1;
    if (ig->single_key) {
        char *k = strdup(ig->single_key);
        if (!k || local_id(w, NULL, 0, k, strlen(k)) != 0)
            return -1;
    }
    return 0;
}

/* Reads piece p with worker w: line by line, lines numbered from 1. */
static void read_piece(worker *w, piece *p)
{
    w->cur = p;
    const char *s = p->s, *end = p->s + p->n;
    unsigned long ln = 0;
    hr_err err = {0};
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
        int rc = hr_csv_feed(w->csv, s, n, ++ln, &err);
        if (rc) {
            if (!p->oom_line)
                p->oom_line = ln;
            p->rc = HR_ESOFTWARE;
            return;
        }
        if (p->rc)
            return;
        s += n;
    }
    p->lines = ln - (p->n && p->s[p->n - 1] != '\n');
    p->pending = hr_csv_pending(w->csv);
}

/* Merges the messages and counts of piece p (its first line is line0)
 * into the accumulator and turns its records' local series ids into
 * builder indexes, creating builders at their first record (so in
 * first-seen order) and counting each series once per file. Returns 0
 * or -1 when out of memory. */
static int merge_piece(hr_ingest *ig, worker *w, piece *p, unsigned long line0)
{
    for (size_t i = 0; i < p->nm; i++) {
        const msg *m = &p->m[i];
        if (m->kind == MSG_REJECT)
            hr_ig_reject(ig, line0 + m->line - 1, m->col, "%s", m->text);
        else
            hr_ig_warn_dst(ig, line0 + m->line - 1, m->col, m->text, m->dst, m->t);
    }
    ig->reported += p->drop_rej;
    ig->tz_warned += p->drop_dst;
    hr_file_stats *st = ig->st;
    st->rows += p->rows;
    st->bad += p->bad;
    st->samples += p->samples;
    st->nonfinite += p->nonfinite;
    for (size_t i = 0; i < p->nr; i++) {
        rec *r = &p->r[i];
        long b = w->gid[r->wk];
        if (b < 0) {
            b = hr_ig_builder(ig, w->keys[r->wk], w->klen[r->wk]);
            if (b < 0 || (unsigned long)b > UINT32_MAX)
                return -1; /* keys were checked for UTF-8 */
            w->gid[r->wk] = b;
            builder *bd = &ig->b[b];
            if (bd->file_gen != ig->file_gen) {
                bd->file_gen = ig->file_gen;
                st->series++;
            }
        }
        r->wk = (uint32_t)b;
        hr_ig_extent(&ig->b[b], ig->file_gen, r->t, line0 + r->line - 1);
    }
    return 0;
}

/* Appends the records of pieces ps[0..n) (series ids now builder
 * indexes) to their builders. Thread t of nth appends to the builders
 * whose index is t modulo nth, so each builder receives its samples in
 * file order from one thread: the order that hr_ig_add_sample gives
 * and that the merge's "last wins" rests on. Returns 0 or -1. */
static int append_pieces(hr_ingest *ig, const piece *ps, int n, int nth)
{
    int oom = 0;
#pragma omp parallel num_threads(nth) reduction(| : oom)
    {
        size_t t = (size_t)omp_get_thread_num(), m = (size_t)omp_get_num_threads();
        for (int k = 0; k < n && !oom; k++) {
            const piece *p = &ps[k];
            for (size_t i = 0; i < p->nr; i++) {
                const rec *r = &p->r[i];
                if (r->wk % m != t)
                    continue;
                builder *b = &ig->b[r->wk];
                if (b->n == b->cap) {
                    size_t nc = hr_ig_grow(b->cap);
                    hr_rawpt *q = realloc(b->smp, nc * sizeof *q);
                    if (!q) {
                        oom = 1;
                        break;
                    }
                    b->smp = q;
                    b->cap = nc;
                }
                b->smp[b->n++] = (hr_rawpt){r->t, r->v};
            }
        }
    }
    return oom ? -1 : 0;
}

/* The chunk size per thread: HEADROOM_CSV_CHUNK bytes, else 8 MiB. */
static size_t chunk_size(void)
{
    const char *e = getenv("HEADROOM_CSV_CHUNK");
    char *end;
    unsigned long long v = e ? strtoull(e, &end, 10) : 0;
    return e && *e && !*end && v > 0 ? (size_t)v : CHUNK_DEFAULT;
}

int hr_read_csv_par(hr_ingest *ig, uint64_t off, unsigned long line, unsigned char delim, uint64_t *tail_off,
                    unsigned long *tail_line)
{
    int fd = open(ig->path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0)
            close(fd);
        return hr_err_set(ig->err, HR_EIO, "%s: cannot open again: %s", ig->path, strerror(errno));
    }
    uint64_t size = (uint64_t)sb.st_size;
    /* off counts from after the byte-order mark input.c skipped */
    unsigned char bom[3];
    if (pread(fd, bom, 3, 0) == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF)
        off += 3;
    int nth = omp_get_max_threads();
    size_t chunk = chunk_size();
    worker *ws = calloc((size_t)nth, sizeof *ws);
    piece *ps = calloc((size_t)nth, sizeof *ps);
    char *buf = NULL;
    size_t cap = 0, carry = 0;
    int rc = HR_OK;
    if (!ws || !ps) {
        rc = hr_err_set(ig->err, HR_ESOFTWARE, "out of memory");
        goto out;
    }
    for (int i = 0; i < nth && rc == HR_OK; i++)
        if (worker_init(&ws[i], ig, delim))
            rc = hr_err_set(ig->err, HR_ESOFTWARE, "out of memory");
    uint64_t pos = off;            /* next byte to read */
    unsigned long line0 = line;    /* line of buf[0] */
    while (rc == HR_OK && (pos < size || carry)) {
        size_t want = (size_t)nth * chunk;
        if (carry + want + 1 > cap) {
            char *nb = realloc(buf, carry + want + 1);
            if (!nb) {
                rc = hr_err_set(ig->err, HR_ESOFTWARE, "out of memory");
                break;
            }
            buf = nb;
            cap = carry + want + 1;
        }
        size_t got = pos + want <= size ? want : (size_t)(size - pos);
        int ioerr = 0;
#pragma omp parallel for schedule(static, 1) num_threads(nth) reduction(| : ioerr)
        for (int t = 0; t < nth; t++) {
            size_t a = (size_t)t * chunk, b = a + chunk < got ? a + chunk : got;
            while (a < b) {
                ssize_t r = pread(fd, buf + carry + a, b - a, (off_t)(pos + a));
                if (r <= 0) {
                    ioerr = 1;
                    break;
                }
                a += (size_t)r;
            }
        }
        if (ioerr) {
            rc = hr_err_set(ig->err, HR_EIO, "%s: read error after line %lu", ig->path, line0);
            break;
        }
        uint64_t win_off = pos - carry; /* file offset of buf[0] */
        pos += got;
        size_t len = carry + got;
        int eof = pos >= size;
        size_t cut = len;
        if (!eof) {
            const char *nl = memrchr(buf, '\n', len);
            if (!nl) { /* a line longer than the window: read more */
                carry = len;
                chunk *= 2;
                continue;
            }
            cut = (size_t)(nl - buf) + 1;
        }
        /* one piece per thread, each ending after a newline */
        size_t at = 0;
        for (int k = 0; k < nth; k++) {
            size_t end = cut;
            if (k + 1 < nth) {
                size_t target = (size_t)((double)cut * (k + 1) / nth);
                const char *nl = target > at ? memchr(buf + target - 1, '\n', cut - (target - 1)) : NULL;
                end = target <= at ? at : nl ? (size_t)(nl - buf) + 1 : cut;
            }
            piece_reset(&ps[k]);
            ps[k].s = buf + at;
            ps[k].n = end - at;
            ps[k].start = at;
            ps[k].worker = k;
            at = end;
        }
#pragma omp parallel for schedule(static, 1) num_threads(nth)
        for (int k = 0; k < nth; k++)
            read_piece(&ws[k], &ps[k]);
        /* serial, in file order: messages, counts, builders */
        int nok = 0;
        for (int k = 0; k < nth && rc == HR_OK; k++) {
            piece *p = &ps[k];
            if (p->pending) {
                *tail_off = win_off + p->start;
                *tail_line = line0;
                rc = HR_CSV_TAIL;
                break;
            }
            if (p->rc) {
                rc = hr_err_set(ig->err, HR_ESOFTWARE, "%s:%lu: out of memory", ig->path, line0 + p->oom_line - 1);
                break;
            }
            if (merge_piece(ig, &ws[p->worker], p, line0))
                rc = hr_err_set(ig->err, HR_ESOFTWARE, "%s: out of memory", ig->path);
            line0 += p->lines;
            nok++;
        }
        /* the samples of the pieces merged, in parallel over builders */
        if ((rc == HR_OK || rc == HR_CSV_TAIL) && append_pieces(ig, ps, nok, nth))
            rc = hr_err_set(ig->err, HR_ESOFTWARE, "%s: out of memory", ig->path);
        carry = len - cut;
        memmove(buf, buf + cut, carry);
    }
out:
    for (int i = 0; ws && ps && i < nth; i++) {
        worker_clear(&ws[i]);
        piece_free(&ps[i]);
    }
    free(ws);
    free(ps);
    free(buf);
    close(fd);
    return rc;
}
