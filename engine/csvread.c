/* csvread.c -- see csvread.h.
 * libcsv reports neither lines nor columns, so the file is fed to it one
 * physical line at a time and the raw text of the current record is kept;
 * a field's column is recomputed from that text only when a caller asks
 * (on the error path), keeping the hot path a plain copy. */
#include "csvread.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct hr_csv {
    hr_csvrow row; /* first: hr_csv_delim casts a row back to its reader */
    unsigned char delim;
    /* field arena */
    char *arena;
    size_t alen, acap;
    size_t *off;
    size_t *flen;
    char **fp;
    size_t nf, fcap;
    /* raw record text */
    char *raw;
    size_t rlen, rcap;
    int reset_raw;
    unsigned long rec_line;
    int oom;
    int stop;
    hr_csv_row_fn fn;
    hr_csv_bad_fn bad;
    void *ud;
    struct csv_parser p;
    int p_ok;         /* p is initialised */
    const char *path;
} ;
typedef struct hr_csv rd;

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = nc;
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    rd *r = data;
    if (r->oom || r->stop)
        return;
    if (grow((void **)&r->arena, &r->acap, r->alen + len + 1, 1) ||
        (r->nf + 1 > r->fcap &&
         (grow((void **)&r->off, &(size_t){r->fcap}, r->nf + 1, sizeof *r->off) ||
          grow((void **)&r->flen, &(size_t){r->fcap}, r->nf + 1, sizeof *r->flen) ||
          grow((void **)&r->fp, &r->fcap, r->nf + 1, sizeof *r->fp)))) {
        r->oom = 1;
        return;
    }
    if (len)
        memcpy(r->arena + r->alen, s, len);
    r->arena[r->alen + len] = '\0';
    r->off[r->nf] = r->alen;
    r->flen[r->nf] = len;
    r->alen += len + 1;
    r->nf++;
}

/* Hands the fields collected so far to the caller as one record whose
 * raw text is raw[0..rawlen) (line ends stripped here), then starts the
 * next record. */
static void emit_row(rd *r, const char *raw, size_t rawlen)
{
    if (!r->oom && !r->stop) {
        for (size_t i = 0; i < r->nf; i++)
            r->fp[i] = r->arena + r->off[i];
        r->row.nf = r->nf;
        r->row.f = r->fp;
        r->row.len = r->flen;
        r->row.line = r->rec_line;
        /* the raw text: strip the line end of the last line */
        size_t rl = rawlen;
        while (rl && (raw[rl - 1] == '\n' || raw[rl - 1] == '\r'))
            rl--;
        r->row.raw = raw;
        r->row.rawlen = rl;
        int rc = r->fn(&r->row, r->ud);
        if (rc)
            r->stop = rc;
    }
    r->nf = 0;
    r->alen = 0;
    r->reset_raw = 1;
}

static void on_row(int c, void *data)
{
    (void)c;
    rd *r = data;
    emit_row(r, r->raw, r->rlen);
}

unsigned char hr_csv_delim(const hr_csvrow *row) { return ((const rd *)row)->delim; }

void hr_csv_locate(const hr_csvrow *row, size_t k, unsigned char delim, unsigned long *line,
                   unsigned long *col)
{
    const char *s = row->raw;
    size_t n = row->rawlen, i = 0, field = 0;
    int inq = 0;
    while (i < n && field < k) {
        char c = s[i];
        if (inq) {
            if (c == '"') {
                if (i + 1 < n && s[i + 1] == '"')
                    i++;
                else
                    inq = 0;
            }
        } else if (c == '"') {
            inq = 1;
        } else if ((unsigned char)c == delim) {
            field++;
        }
        i++;
    }
    /* skip blanks libcsv trims, so the column points at the value */
    while (i < n && (s[i] == ' ' || s[i] == '\t') && (unsigned char)s[i] != delim)
        i++;
    unsigned long ln = row->line, cl = 1;
    for (size_t j = 0; j < i; j++) {
        if (s[j] == '\n') {
            ln++;
            cl = 1;
        } else {
            cl++;
        }
    }
    *line = ln;
    *col = cl;
}

static unsigned char sniff(const char *s, size_t n)
{
    size_t comma = 0, semi = 0, tab = 0;
    int inq = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            inq = !inq;
        else if (!inq && s[i] == ',')
            comma++;
        else if (!inq && s[i] == ';')
            semi++;
        else if (!inq && s[i] == '\t')
            tab++;
    }
    if (comma >= semi && comma >= tab)
        return ',';
    return semi >= tab ? ';' : '\t';
}

/* Index of the first field of raw that begins with a quote (after
 * blanks), or the number of fields when none does. */
static size_t first_quoted(const char *s, size_t n, unsigned char delim)
{
    size_t field = 0;
    int at_start = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (at_start && (c == ' ' || c == '\t') && c != delim)
            continue;
        if (at_start && c == '"')
            return field;
        at_start = 0;
        if (c == delim) {
            field++;
            at_start = 1;
        }
    }
    return field + 1;
}

static int starts_quoted(const char *s, size_t n, unsigned char delim)
{
    size_t nf = 1;
    for (size_t i = 0; i < n; i++)
        nf += (unsigned char)s[i] == delim;
    return first_quoted(s, n, delim) < nf;
}

/* (Re)initialises the strict parser of r for its delimiter. */
static int parser_init(rd *r)
{
    if (r->p_ok)
        csv_free(&r->p);
    r->p_ok = 0;
    if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return -1;
    /* libcsv grows a field by blk_size bytes at a time (128 by default):
     * quadratic copying on a field of megabytes */
    csv_set_blk_size(&r->p, 1 << 16);
    csv_set_delim(&r->p, r->delim);
    r->p_ok = 1;
    return 0;
}

hr_csv *hr_csv_alloc(const char *path, unsigned char delim, hr_csv_row_fn row_fn, hr_csv_bad_fn bad_fn,
                     void *ud)
{
    rd *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->path = path;
    r->delim = delim;
    r->fn = row_fn;
    r->bad = bad_fn;
    r->ud = ud;
    if (parser_init(r)) {
        free(r);
        return NULL;
    }
    return r;
}

void hr_csv_free(hr_csv *r)
{
    if (!r)
        return;
    if (r->p_ok)
        csv_free(&r->p);
    free(r->arena);
    free(r->off);
    free(r->flen);
    free(r->fp);
    free(r->raw);
    free(r);
}

int hr_csv_pending(const hr_csv *r) { return !r->reset_raw && r->rlen > 0; }

/* The blanks libcsv trims around an unquoted field: space and tab,
 * unless that is the delimiter. */
static int is_blank(unsigned char c, unsigned char delim) { return (c == ' ' || c == '\t') && c != delim; }

/* The fast path: one whole record on one line s[0..n) (line end
 * included) with no quote and no carriage return before the line end.
 * Splits it at the delimiter with memchr and trims blanks as libcsv
 * does for unquoted fields, so the record is the one libcsv would give
 * (tests/test_csvread.c compares the two on random lines). */
static void fast_row(rd *r, const char *s, size_t n)
{
    size_t body = n;
    while (body && (s[body - 1] == '\n' || s[body - 1] == '\r'))
        body--;
    size_t i = 0;
    for (;;) {
        while (i < body && is_blank((unsigned char)s[i], r->delim))
            i++;
        const char *f = s + i;
        const char *e = memchr(f, r->delim, body - i);
        size_t end = e ? (size_t)(e - s) : body, fl = end - i;
        while (fl && is_blank((unsigned char)f[fl - 1], r->delim))
            fl--;
        on_field((void *)f, fl, r);
        if (!e)
            break;
        i = end + 1;
    }
    emit_row(r, s, n);
}

/* True when line s[0..n) can take the fast path: no quote anywhere and
 * no carriage return before the line end (libcsv ends a record there). */
static int plain_line(const char *s, size_t n)
{
    size_t body = n;
    while (body && (s[body - 1] == '\n' || s[body - 1] == '\r'))
        body--;
    return !memchr(s, '"', body) && !memchr(s, '\r', body);
}

int hr_csv_feed(hr_csv *r, const char *s, size_t n, unsigned long lineno, hr_err *err)
{
    if (r->reset_raw) {
        r->rlen = 0;
        r->reset_raw = 0;
    }
    if (r->rlen == 0) {
        /* a blank line between records belongs to neither: libcsv
         * skips it, and kept as the start of the next record's raw
         * text it would put that record's line (and the place of its
         * first field) on the blank line */
        size_t k = 0;
        while (k < n && (s[k] == '\r' || s[k] == '\n' || is_blank((unsigned char)s[k], r->delim)))
            k++;
        if (k == n)
            return 0;
        r->rec_line = lineno;
        if (plain_line(s, n)) {
            fast_row(r, s, n);
            goto done;
        }
    }
    if (grow((void **)&r->raw, &r->rcap, r->rlen + n + 1, 1))
        return hr_err_set(err, HR_ESOFTWARE, "%s:%lu: out of memory", r->path, lineno);
    memcpy(r->raw + r->rlen, s, n);
    r->rlen += n;
    if (csv_parse(&r->p, s, n, on_field, on_row, r) != n) {
        /* Strict RFC 4180 refused the record. When no field of it
         * starts with a quote, the quotes are literal characters of
         * unquoted fields (Prometheus keys such as cpu{host="a"} in
         * hand-made CSV): read that one record leniently. A quoted
         * field with text after its closing quote stays an error. */
        r->nf = 0;
        r->alen = 0;
        if (parser_init(r))
            return hr_err_set(err, HR_ESOFTWARE, "%s: cannot initialise the CSV parser", r->path);
        if (!starts_quoted(r->raw, r->rlen, r->delim)) {
            struct csv_parser lp;
            csv_init(&lp, 0);
            csv_set_blk_size(&lp, 1 << 16);
            csv_set_delim(&lp, r->delim);
            csv_parse(&lp, r->raw, r->rlen, on_field, on_row, r);
            csv_fini(&lp, on_field, on_row, r);
            csv_free(&lp);
        } else {
            unsigned long bl = r->rec_line, bc = 1;
            r->row.raw = r->raw;
            r->row.rawlen = r->rlen;
            r->row.line = r->rec_line;
            hr_csv_locate(&r->row, first_quoted(r->raw, r->rlen, r->delim), r->delim, &bl, &bc);
            if (r->bad)
                r->bad(bl, bc, "text after a closing quote; quote the whole field and double the quotes inside", r->ud);
        }
        r->nf = 0;
        r->alen = 0;
        r->reset_raw = 1;
    }
done:
    if (r->oom)
        return hr_err_set(err, HR_ESOFTWARE, "%s:%lu: out of memory", r->path, lineno);
    return r->stop;
}

int hr_csv_finish(hr_csv *r, hr_err *err)
{
    if (r->reset_raw) {
        r->rlen = 0;
        r->reset_raw = 0;
    }
    if (r->p.quoted && r->p.pstate == 2 /* FIELD_BEGUN: inside an open quote */) {
        unsigned long bl = r->rec_line, bc = 1;
        r->row.raw = r->raw;
        r->row.rawlen = r->rlen;
        r->row.line = r->rec_line;
        hr_csv_locate(&r->row, r->nf, r->delim, &bl, &bc);
        return hr_err_set(err, HR_EINPUT, "%s:%lu:%lu: quoted field never closed (the file ends inside its quotes)",
                          r->path, bl, bc);
    }
    if (csv_fini(&r->p, on_field, on_row, r) != 0)
        return hr_err_set(err, HR_EINPUT, "%s:%lu:1: malformed last record", r->path, r->rec_line);
    if (r->oom)
        return hr_err_set(err, HR_ESOFTWARE, "%s: out of memory", r->path);
    return r->stop;
}

int hr_csv_read_at(FILE *fp, const char *path, unsigned char delim, hr_csv_row_fn row_fn,
                   hr_csv_bad_fn bad_fn, void *ud, hr_csv_at *at, hr_err *err)
{
    hr_csv *r = NULL;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    unsigned long lineno = at ? at->line : 0;
    uint64_t off = 0;
    int rc = 0;
    int first = lineno == 0;
    if (!first)
        lineno--;
    while ((len = getline(&line, &lcap, fp)) >= 0) {
        lineno++;
        off += (uint64_t)len;
        char *s = line;
        size_t n = (size_t)len;
        if (first) {
            if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
                (unsigned char)s[2] == 0xBF) {
                s += 3;
                n -= 3;
            }
            size_t body = n;
            while (body && (s[body - 1] == '\n' || s[body - 1] == '\r'))
                body--;
            /* Excel's "sep=," line (Grafana "Download for Excel") */
            const char *q = s;
            size_t qn = body;
            if (qn >= 2 && q[0] == '"' && q[qn - 1] == '"') {
                q++;
                qn -= 2;
            }
            if (qn == 5 && strncmp(q, "sep=", 4) == 0) {
                delim = (unsigned char)q[4];
                continue;
            }
            if (body == 0)
                continue; /* leading blank lines */
            if (!delim)
                delim = sniff(s, body);
            first = 0;
        }
        if (!r && !(r = hr_csv_alloc(path, delim, row_fn, bad_fn, ud))) {
            rc = hr_err_set(err, HR_ESOFTWARE, "%s: cannot initialise the CSV parser", path);
            goto out;
        }
        if ((rc = hr_csv_feed(r, s, n, lineno, err)))
            goto out;
    }
    if (ferror(fp)) {
        rc = hr_err_set(err, HR_EIO, "%s:%lu: read error: %s", path, lineno + 1, strerror(errno));
        goto out;
    }
    if (r)
        rc = hr_csv_finish(r, err);
out:
    if (at) {
        at->line = lineno;
        at->off = off;
        at->delim = delim;
    }
    hr_csv_free(r);
    free(line);
    return rc;
}

int hr_csv_read(FILE *fp, const char *path, unsigned char delim, hr_csv_row_fn row_fn,
                hr_csv_bad_fn bad_fn, void *ud, hr_err *err)
{
    return hr_csv_read_at(fp, path, delim, row_fn, bad_fn, ud, NULL, err);
}
