/* read_openmetrics.c -- metric text with a timestamp on every sample:
 * OpenMetrics 1.0 text (the input of `promtool tsdb create-blocks-from
 * openmetrics`, the output of `promtool tsdb dump-openmetrics`), the
 * classic Prometheus text format 0.0.4 with timestamps, and the output of
 * `promtool tsdb dump`, whose lines are a label set, a value and a time:
 *   # TYPE http_requests counter
 *   http_requests_total{code="200",job="api"} 1027 1717200000.5
 *   {__name__="up", instance="a:9100", job="api"} 1 1717200000000
 * One line at a time (getline): memory grows with the samples, not with
 * the file.
 *
 * Series key: the metric name and the other labels (hr_key_render).
 * The name comes before the braces or as the __name__ label; Prometheus 3
 * may quote names that are not legacy identifiers ({"my.metric",
 * "my.label"="v"}), read too. Label values: \\ \" \n as OpenMetrics
 * escapes them, plus the Go escapes promtool's strconv.Quote writes (\t,
 * \r, \a, \b, \f, \v, \xHH, \uHHHH, \UHHHHHHHH); any other
 * backslash is kept as written (OpenMetrics: "\a" reads as "\\a").
 *
 * Time unit: OpenMetrics writes seconds (fractions allowed, e.g. the
 * "%.3f" of dump-openmetrics), the classic format and `tsdb dump` write
 * milliseconds. # EOF comes last, too late to decide by, so the unit is
 * fixed per file by the first sample's timestamp: below 1e11 it is
 * seconds (1e11 s is the year 5138), else milliseconds (1e11 ms is
 * March 1973). Every real export falls clearly on one side; a later
 * timestamp in the other unit lands outside 1970..2200 and is rejected
 * with a message naming the line that fixed the unit. Guessing per
 * sample (as hr_time_parse does for CSV) would instead read such a line
 * silently at the wrong time.
 *
 * Types (# TYPE, before or without samples): a counter's samples (x_total
 * in OpenMetrics, x itself in the classic format) and the _bucket, _sum
 * and _count samples of a histogram, and _sum and _count of a summary,
 * are cumulative, so their series are counters; the rest keep the usual
 * rule (names ending in _total are counters). x_created samples (the time
 * a counter, histogram or summary was created: a timestamp, not a
 * measurement) are skipped, and not counted as rows; a metric declared
 * under its own name ending in _created is kept.
 *
 * Leniency: # EOF may be missing (OpenMetrics requires it; a cut-off file
 * still has whole lines), and lines after it are read (several exports
 * concatenated). Blank lines, other # comments, # HELP and # UNIT are
 * skipped; CRLF line ends, trailing blanks and blanks between tokens are
 * fine; exemplars (" # {...} v [t]") are ignored, and so are, with one
 * warning, the native histogram samples ({count:...} values) that
 * `tsdb dump` prints: headroom reads float samples. A sample without a
 * timestamp is rejected: a scrape of /metrics holds one instant, not a
 * history, and the time of reading is not the time of the value. A first
 * sample line that is not a metric line at all makes the file unreadable
 * (HR_EINPUT); later bad lines are rejected rows. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_rd.h"
#include "strmap.h"
#include "timefmt.h"

enum { T_UNKNOWN = 0, T_COUNTER, T_GAUGE, T_HISTOGRAM, T_GAUGEHISTOGRAM, T_SUMMARY, T_INFO, T_STATESET };

/* The sample-name suffixes of OpenMetrics families. */
static const char *const SUFFIXES[] = {"_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"};
#define NSUFFIXES (sizeof SUFFIXES / sizeof *SUFFIXES)

typedef struct om {
    hr_ingest *ig;
    hr_strmap fam; /* family name -> index into type */
    int *type;
    size_t nfam, famcap;
    double unit_per_s;        /* 0 until the first timestamp: 1 (s) or 1000 (ms) */
    unsigned long unit_line;  /* the line that fixed it */
    int samples_seen;         /* a line has parsed as a sample line */
    unsigned long histograms; /* native histogram samples skipped */
    unsigned long histo_line; /* the first of them */
    /* the decoded name and labels of the current line */
    char *buf;
    size_t bufcap;
    const char **names, **vals;
    size_t nlab, labcap;
    const char *name;
    /* the last series: its text as written, its builder, what to do */
    char *last;
    size_t last_len, last_cap;
    int last_ok, last_skip, last_counter;
    long last_bid; /* -1 until its first good sample */
} om;

static int is_name0(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
static int is_name1(int c) { return is_name0(c) || (c >= '0' && c <= '9'); }
static int is_blank(int c) { return c == ' ' || c == '\t'; }

/* A byte of a metric name outside braces: the OpenMetrics characters,
 * and, leniently, the '.', '-', '/' and UTF-8 of the names Prometheus 3
 * may print unquoted (dump-openmetrics). The sniffer stays strict. */
static int is_name_lenient(int c) { return is_name1(c) || c == '.' || c == '-' || c == '/' || c >= 0x80; }

static size_t skip_blanks(const char *s, size_t n, size_t i)
{
    while (i < n && is_blank((unsigned char)s[i]))
        i++;
    return i;
}

/* ---- metadata ---------------------------------------------------------- */

static int type_of_word(const char *w, size_t n)
{
    static const struct {
        const char *w;
        int t;
    } T[] = {{"counter", T_COUNTER},   {"gauge", T_GAUGE},
             {"histogram", T_HISTOGRAM}, {"gaugehistogram", T_GAUGEHISTOGRAM},
             {"summary", T_SUMMARY},     {"info", T_INFO},
             {"stateset", T_STATESET},   {"unknown", T_UNKNOWN},
             {"untyped", T_UNKNOWN}}; /* the classic text format's word */
    for (size_t i = 0; i < sizeof T / sizeof *T; i++)
        if (strlen(T[i].w) == n && memcmp(T[i].w, w, n) == 0)
            return T[i].t;
    return T_UNKNOWN;
}

/* Records "# TYPE name type" (s points after "TYPE"). Returns 0 or -1
 * (no memory). A malformed TYPE line is a comment: it holds no data. */
static int om_type_line(om *r, const char *s, size_t n)
{
    size_t i = skip_blanks(s, n, 0), a = i;
    while (i < n && !is_blank((unsigned char)s[i]))
        i++;
    size_t nlen = i - a;
    i = skip_blanks(s, n, i);
    size_t b = i;
    while (i < n && !is_blank((unsigned char)s[i]))
        i++;
    if (nlen == 0 || i == b)
        return 0;
    int t = type_of_word(s + b, i - b);
    size_t f = hr_strmap_get(&r->fam, s + a, nlen);
    if (f == (size_t)-1) {
        if (r->nfam == r->famcap) {
            size_t nc = r->famcap ? 2 * r->famcap : 64;
            int *p = realloc(r->type, nc * sizeof *p);
            if (!p)
                return -1;
            r->type = p;
            r->famcap = nc;
        }
        if (hr_strmap_put(&r->fam, s + a, nlen, r->nfam))
            return -1;
        f = r->nfam++;
    }
    r->type[f] = t;
    r->last_ok = 0; /* what a series is may have changed */
    return 0;
}

/* What to do with samples named name: 1 skip (a _created timestamp),
 * else 0 with *counter set when the family makes them cumulative. */
static int om_family_rule(const om *r, const char *name, int *counter)
{
    size_t n = strlen(name);
    *counter = 0;
    size_t f = hr_strmap_get(&r->fam, name, n);
    if (f != (size_t)-1) { /* declared under its own name */
        *counter = r->type[f] == T_COUNTER;
        return 0;
    }
    for (size_t k = 0; k < NSUFFIXES; k++) {
        size_t sl = strlen(SUFFIXES[k]);
        if (n <= sl || memcmp(name + n - sl, SUFFIXES[k], sl) != 0)
            continue;
        const char *sfx = SUFFIXES[k];
        if (strcmp(sfx, "_created") == 0)
            return 1; /* a family's creation time, typed or not */
        f = hr_strmap_get(&r->fam, name, n - sl);
        if (f == (size_t)-1)
            continue;
        int t = r->type[f];
        int cumul = strcmp(sfx, "_count") == 0 || strcmp(sfx, "_sum") == 0;
        *counter = (t == T_COUNTER && strcmp(sfx, "_total") == 0) ||
                   (t == T_HISTOGRAM && (cumul || strcmp(sfx, "_bucket") == 0)) || (t == T_SUMMARY && cumul);
        return 0;
    }
    return 0;
}

/* ---- the series part: name{labels} ------------------------------------- */

/* Appends code point cp to o as UTF-8 (surrogates too: the key's UTF-8
 * check then rejects them). */
static char *put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The character a one-letter escape \c stands for, or -1: OpenMetrics'
 * \n \" \\ and the control escapes of Go's strconv.Quote. */
static int simple_escape(char c)
{
    switch (c) {
    case 'n': return '\n';
    case '"': return '"';
    case '\\': return '\\';
    case 't': return '\t';
    case 'r': return '\r';
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'v': return '\v';
    default: return -1;
    }
}

/* Decodes the quoted string at s[*i] (on the opening quote) into *o
 * (NUL-terminated; never longer than the text). Returns 0 with *i past
 * the closing quote and *o past the NUL, or -1 with *why and *i at the
 * problem. */
static int om_quoted(const char *s, size_t n, size_t *i, char **o, const char **why)
{
    size_t p = *i + 1;
    char *w = *o;
    while (p < n && s[p] != '"') {
        if (s[p] == '\0') {
            *i = p;
            *why = "NUL byte in a quoted string";
            return -1;
        }
        if (s[p] != '\\' || p + 1 >= n) {
            *w++ = s[p++];
            continue;
        }
        char c = s[p + 1];
        int ch = simple_escape(c);
        if (ch >= 0) {
            *w++ = (char)ch;
            p += 2;
            continue;
        }
        /* \xHH (a byte), \uHHHH, \UHHHHHHHH (code points), as Go writes */
        size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
        uint32_t cp = 0;
        int ok = digits && p + 2 + digits <= n;
        for (size_t k = 0; ok && k < digits; k++) {
            int h = hexval((unsigned char)s[p + 2 + k]);
            ok = h >= 0;
            cp = cp * 16 + (uint32_t)(ok ? h : 0);
        }
        if (ok && cp != 0 && cp <= 0x10FFFF) {
            if (c == 'x')
                *w++ = (char)cp; /* Go's escape of a byte that is not UTF-8 */
            else
                w = put_utf8(w, cp);
            p += 2 + digits;
            continue;
        }
        *w++ = s[p++]; /* any other backslash is kept as written */
    }
    if (p >= n) { /* *i stays on the opening quote */
        *why = "unterminated quoted string";
        return -1;
    }
    *w++ = '\0';
    *o = w;
    *i = p + 1;
    return 0;
}

static int om_add_label(om *r, const char *name, const char *val)
{
    if (r->nlab == r->labcap) {
        size_t nc = r->labcap ? 2 * r->labcap : 16;
        const char **a = realloc(r->names, nc * sizeof *a);
        if (!a)
            return -1;
        r->names = a;
        const char **b = realloc(r->vals, nc * sizeof *b);
        if (!b)
            return -1;
        r->vals = b;
        r->labcap = nc;
    }
    r->names[r->nlab] = name;
    r->vals[r->nlab] = val;
    r->nlab++;
    return 0;
}

/* Parses name{labels} from s[*i]: sets r->name and the labels (decoded
 * into r->buf). Returns 0 with *i past it, 1 with *why and *i at the
 * problem (the line is not a metric line), or -1 (no memory). */
static int om_series(om *r, const char *s, size_t n, size_t *i, const char **why)
{
    size_t p = *i;
    char *o = r->buf;
    r->nlab = 0;
    r->name = NULL;
    if (p < n && (is_name0((unsigned char)s[p]) || (unsigned char)s[p] >= 0x80)) {
        r->name = o;
        while (p < n && is_name_lenient((unsigned char)s[p]))
            *o++ = s[p++];
        *o++ = '\0';
        size_t q = skip_blanks(s, n, p);
        if (q < n && s[q] == '{')
            p = q;
    } else if (p >= n || s[p] != '{') {
        *i = p;
        *why = "expected a metric name or '{'";
        return 1;
    }
    if (p < n && s[p] == '{') {
        p++;
        for (;;) {
            p = skip_blanks(s, n, p);
            if (p < n && s[p] == '}') {
                p++;
                break;
            }
            const char *lname = o;
            int quoted = 0;
            if (p < n && s[p] == '"') {
                if (om_quoted(s, n, &p, &o, why)) {
                    *i = p;
                    return 1;
                }
                quoted = 1;
            } else if (p < n && is_name0((unsigned char)s[p]) && s[p] != ':') {
                while (p < n && is_name1((unsigned char)s[p]) && s[p] != ':')
                    *o++ = s[p++];
                *o++ = '\0';
            } else {
                *i = p;
                *why = p < n ? "expected a label name" : "unterminated label set (no '}')";
                return 1;
            }
            p = skip_blanks(s, n, p);
            if (p < n && s[p] == '=') {
                p = skip_blanks(s, n, p + 1);
                if (p >= n || s[p] != '"') {
                    *i = p;
                    *why = "expected a quoted label value";
                    return 1;
                }
                const char *lval = o;
                if (om_quoted(s, n, &p, &o, why)) {
                    *i = p;
                    return 1;
                }
                if (om_add_label(r, lname, lval))
                    return -1;
            } else if (quoted && !r->name) { /* {"metric.name", ...} */
                r->name = lname;
            } else {
                *i = p;
                *why = "expected '=' after the label name";
                return 1;
            }
            p = skip_blanks(s, n, p);
            if (p < n && s[p] == ',') {
                p++;
            } else if (p >= n || s[p] != '}') {
                *i = p;
                *why = p < n ? "expected ',' or '}'" : "unterminated label set (no '}')";
                return 1;
            }
        }
    }
    *i = p;
    return 0;
}

long hr_rd_label_series(hr_ingest *ig, const char *name, const char *const *names, const char *const *vals,
                        size_t n, const char **why)
{
    char *key = hr_key_render(name, names, vals, n);
    if (!key)
        return -1;
    long bid = key[0] ? hr_rd_series(ig, key, strlen(key)) : -3;
    int too_long = strlen(key) > HR_MAX_KEY;
    free(key);
    if (bid == -3 || bid == -2) {
        *why = bid == -3 ? "series has no name and no labels"
               : too_long ? "series key is longer than 4096 bytes" : "series key is not valid UTF-8";
        return -2;
    }
    return bid;
}

/* The builder of the current line's series (cache miss). Returns its
 * index, -2 rejected (*why set), or -1 (no memory). */
static long om_builder(om *r, const char **why)
{
    const char *name = r->name;
    size_t m = 0;
    for (size_t k = 0; k < r->nlab; k++) {
        if (strcmp(r->names[k], "__name__") == 0) {
            if (name && strcmp(name, r->vals[k]) != 0) {
                *why = "two different metric names";
                return -2;
            }
            name = r->vals[k];
            continue;
        }
        for (size_t j = 0; j < k; j++)
            if (strcmp(r->names[j], r->names[k]) == 0) {
                *why = "a label appears twice";
                return -2;
            }
        r->names[m] = r->names[k];
        r->vals[m] = r->vals[k];
        m++;
    }
    r->nlab = m;
    r->name = name ? name : "";
    return hr_rd_label_series(r->ig, r->name, r->names, r->vals, m, why);
}

/* ---- timestamps -------------------------------------------------------- */

/* Parses an OpenMetrics realnumber ([+-]digits[.digits][e[+-]digits]) as
 * d * 10^e exactly (the first 19 significant digits; later ones lie far
 * below a millisecond for any time in range). Returns 0 or -1. */
static int parse_real(const char *s, size_t n, uint64_t *d, int *e, int *neg)
{
    size_t i = 0;
    int nd = 0, any = 0, ex = 0;
    uint64_t v = 0;
    *neg = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        *neg = s[i++] == '-';
    for (int frac = 0; i < n; i++) {
        if (s[i] == '.' && !frac) {
            frac = 1;
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            break;
        any = 1;
        if (v == 0 && s[i] == '0') { /* leading zeros are not significant */
            ex -= frac;
            continue;
        }
        if (nd < 19) {
            v = v * 10 + (uint64_t)(s[i] - '0');
            nd++;
            ex -= frac;
        } else {
            ex += !frac;
        }
    }
    if (!any)
        return -1;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0;
        long x = 0;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        if (i >= n || s[i] < '0' || s[i] > '9')
            return -1;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            if (x < 100000)
                x = x * 10 + (s[i] - '0');
        ex += (int)(eneg ? -x : x);
    }
    if (i != n)
        return -1;
    *d = v;
    *e = ex;
    return 0;
}

/* Number of decimal digits of d (0 has none). */
static int ndigits(uint64_t d)
{
    int k = 0;
    for (; d; d /= 10)
        k++;
    return k;
}

/* d * 10^e units (unit_per_s per second) as milliseconds, rounded half
 * up; -1 when outside HR_TIME_MIN_MS..HR_TIME_MAX_MS. */
static int real_to_ms(uint64_t d, int e, int neg, double unit_per_s, int64_t *t_ms)
{
    if (unit_per_s == 1.0)
        e += 3;
    if (d == 0) {
        *t_ms = 0;
        return 0;
    }
    if (neg)
        return -1;
    uint64_t ms;
    if (e >= 0) {
        if (e > 13)
            return -1;
        ms = d;
        for (int k = 0; k < e; k++) {
            if (ms > (uint64_t)HR_TIME_MAX_MS)
                return -1;
            ms *= 10;
        }
    } else if (e < -19) {
        ms = 0;
    } else {
        uint64_t p = 1;
        for (int k = 0; k < -e; k++)
            p *= 10;
        ms = d / p;
        uint64_t rem = d % p;
        if (rem >= p - rem)
            ms++;
    }
    if (ms > (uint64_t)HR_TIME_MAX_MS)
        return -1;
    *t_ms = (int64_t)ms;
    return 0;
}

/* ---- one line ---------------------------------------------------------- */

/* A "# ..." line (s at the '#'). Returns 0 or -1 (no memory). */
static int om_comment(om *r, const char *s, size_t n)
{
    size_t i = skip_blanks(s, n, 1);
    if (n - i > 4 && memcmp(s + i, "TYPE", 4) == 0 && is_blank((unsigned char)s[i + 4]))
        return om_type_line(r, s + i + 4, n - i - 4);
    return 0; /* HELP, UNIT, EOF and comments hold no samples */
}

/* Reads one sample line s[0..n) (trailing blanks and CR removed).
 * Returns 0, or an hr_status with err set (the file is unusable). */
static int om_sample(om *r, const char *s, size_t n, unsigned long ln)
{
    hr_ingest *ig = r->ig;
    hr_file_stats *st = hr_rd_stats(ig);
    const char *why = NULL;
    char ex[256];
    size_t i = skip_blanks(s, n, 0), start = i;
    int rc = om_series(r, s, n, &i, &why);
    if (rc < 0)
        return hr_err_set(hr_rd_err(ig), HR_ESOFTWARE, "out of memory");
    if (rc == 0 && (i >= n || !is_blank((unsigned char)s[i]))) {
        rc = 1;
        why = i >= n ? "no value after the series" : "expected a blank after the series";
    }
    if (rc) {
        if (!r->samples_seen)
            return hr_err_set(hr_rd_err(ig), HR_EINPUT,
                              "%s:%lu:%zu: not OpenMetrics or Prometheus text: %s", hr_rd_path(ig), ln, i + 1,
                              why);
        st->rows++;
        st->bad++;
        hr_rd_reject(ig, ln, i + 1, "%s", why);
        return HR_OK;
    }
    r->samples_seen = 1;
    size_t slen = i - start;
    size_t v0 = skip_blanks(s, n, i);
    if (v0 < n && s[v0] == '{') { /* {count:...} a native histogram (promtool tsdb dump) */
        if (!r->histograms++)
            r->histo_line = ln;
        return HR_OK;
    }

    /* the series: the last line's again, or what its name makes it; its
     * builder is made with its first good sample, so that a series whose
     * samples are all rejected leaves no empty series behind */
    if (!r->last_ok || slen != r->last_len || memcmp(s + start, r->last, slen) != 0) {
        const char *nm = r->name;
        for (size_t k = 0; k < r->nlab; k++)
            if (strcmp(r->names[k], "__name__") == 0)
                nm = r->vals[k];
        int counter = 0, skip = nm && om_family_rule(r, nm, &counter);
        if (slen + 1 > r->last_cap) {
            char *p = realloc(r->last, slen + 1);
            if (!p)
                return hr_err_set(hr_rd_err(ig), HR_ESOFTWARE, "out of memory");
            r->last = p;
            r->last_cap = slen + 1;
        }
        memcpy(r->last, s + start, slen);
        r->last_len = slen;
        r->last_bid = -1;
        r->last_skip = skip;
        r->last_counter = counter;
        r->last_ok = 1;
    }
    if (r->last_skip)
        return HR_OK;
    st->rows++;

    /* value, timestamp, then perhaps an exemplar */
    size_t v1 = v0;
    while (v1 < n && !is_blank((unsigned char)s[v1]))
        v1++;
    size_t t0 = skip_blanks(s, n, v1), t1 = t0;
    while (t1 < n && !is_blank((unsigned char)s[t1]))
        t1++;
    if (t0 >= n || s[t0] == '#') {
        st->bad++;
        hr_rd_reject(ig, ln, t0 >= n ? n + 1 : t0 + 1,
                     "sample has no timestamp (an export needs the time of every sample)");
        return HR_OK;
    }
    size_t x0 = skip_blanks(s, n, t1);
    if (x0 < n && s[x0] != '#') {
        st->bad++;
        hr_rd_reject(ig, ln, x0 + 1, "unexpected text after the timestamp, got \"%s\"",
                     hr_rd_excerpt(s + x0, n - x0, ex, sizeof ex));
        return HR_OK;
    }
    uint64_t d;
    int e, neg;
    if (parse_real(s + t0, t1 - t0, &d, &e, &neg)) {
        st->bad++;
        hr_rd_reject(ig, ln, t0 + 1, "expected a timestamp, got \"%s\"",
                     hr_rd_excerpt(s + t0, t1 - t0, ex, sizeof ex));
        return HR_OK;
    }
    if (r->unit_per_s == 0) {
        r->unit_per_s = d && ndigits(d) + e >= 12 ? 1000.0 : 1.0;
        r->unit_line = ln;
    }
    int64_t t;
    if (real_to_ms(d, e, neg, r->unit_per_s, &t)) {
        st->bad++;
        hr_rd_reject(ig, ln, t0 + 1,
                     "timestamp out of range (before 1970 or after 2200) in this file's unit, %s "
                     "(fixed by line %lu), got \"%s\"",
                     r->unit_per_s == 1.0 ? "seconds" : "milliseconds", r->unit_line,
                     hr_rd_excerpt(s + t0, t1 - t0, ex, sizeof ex));
        return HR_OK;
    }
    double v;
    if (hr_rd_value(ig, s + v0, v1 - v0, &v, &why) < 0) {
        if (strncmp(why, "expected a number", 17) == 0)
            why = "expected a number"; /* without the hint about Grafana's CSV */
        st->bad++;
        hr_rd_reject(ig, ln, v0 + 1, "%s, got \"%s\"", why, hr_rd_excerpt(s + v0, v1 - v0, ex, sizeof ex));
        return HR_OK;
    }
    if (r->last_bid < 0) {
        long bid = om_builder(r, &why);
        if (bid == -1)
            return hr_err_set(hr_rd_err(ig), HR_ESOFTWARE, "out of memory");
        if (bid == -2) {
            st->bad++;
            hr_rd_reject(ig, ln, start + 1, "%s", why);
            return HR_OK;
        }
        if (r->last_counter)
            hr_rd_counter(ig, bid);
        r->last_bid = bid;
    }
    hr_rd_line(ig, ln);
    if (hr_rd_sample(ig, r->last_bid, t, v))
        return hr_err_set(hr_rd_err(ig), HR_ESOFTWARE, "out of memory");
    return HR_OK;
}

int hr_read_openmetrics(hr_ingest *ig, FILE *fp)
{
    om r;
    memset(&r, 0, sizeof r);
    r.ig = ig;
    hr_strmap_init(&r.fam);
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    unsigned long ln = 0;
    int rc = HR_OK;
    while (rc == HR_OK && (got = getline(&line, &cap, fp)) >= 0) {
        ln++;
        size_t n = (size_t)got;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || is_blank((unsigned char)line[n - 1])))
            n--;
        size_t i = skip_blanks(line, n, 0);
        if (i == n)
            continue;
        if (line[i] == '#') {
            if (om_comment(&r, line + i, n - i))
                rc = hr_err_set(hr_rd_err(ig), HR_ESOFTWARE, "out of memory");
            continue;
        }
        if (n + 1 > r.bufcap) {
            char *p = realloc(r.buf, n + 1);
            if (!p) {
                rc = hr_err_set(hr_rd_err(ig), HR_ESOFTWARE, "out of memory");
                break;
            }
            r.buf = p;
            r.bufcap = n + 1;
        }
        rc = om_sample(&r, line, n, ln);
    }
    if (rc == HR_OK && r.histograms)
        hr_rd_warn(ig, "%s: %lu native histogram samples skipped, the first on line %lu (headroom reads float samples)",
                   hr_rd_path(ig), r.histograms, r.histo_line);
    free(line);
    free(r.buf);
    free(r.names);
    free(r.vals);
    free(r.last);
    free(r.type);
    hr_strmap_clear(&r.fam);
    return rc;
}

/* ---- format detection -------------------------------------------------- */

/* True when the first line of h[0..n) that is neither blank nor a plain
 * "# " comment is OpenMetrics metadata (# HELP, # TYPE, # UNIT, # EOF) or
 * a sample: name{, {label=, or name value [timestamp] without a CSV
 * delimiter. */
int hr_sniff_openmetrics(const unsigned char *h, size_t n)
{
    const char *s = (const char *)h;
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        size_t a = skip_blanks(s, e, i), b = e;
        while (b > a && (s[b - 1] == '\r' || is_blank((unsigned char)s[b - 1])))
            b--;
        i = e + 1;
        if (a == b)
            continue;
        const char *l = s + a;
        size_t m = b - a;
        if (l[0] == '#') {
            if (m == 1 || is_blank((unsigned char)l[1])) {
                size_t k = skip_blanks(l, m, 1);
                static const char *const META[] = {"HELP", "TYPE", "UNIT", "EOF"};
                for (size_t j = 0; j < 4; j++) {
                    size_t w = strlen(META[j]);
                    if (m - k >= w && memcmp(l + k, META[j], w) == 0 &&
                        (m - k == w || is_blank((unsigned char)l[k + w])))
                        return 1;
                }
                continue;
            }
            return 0;
        }
        size_t p = 0;
        if (l[0] == '{') { /* {label="v", ...} as promtool tsdb dump writes */
            p = 1;
            if (p >= m || !is_name0((unsigned char)l[p]))
                return 0;
            while (p < m && is_name1((unsigned char)l[p]))
                p++;
            p = skip_blanks(l, m, p);
            return p < m && l[p] == '=';
        }
        if (!is_name0((unsigned char)l[0]))
            return 0;
        while (p < m && is_name1((unsigned char)l[p]))
            p++;
        if (p < m && l[p] == '{')
            return 1;
        if (memchr(l, ',', m) || memchr(l, ';', m) || p >= m || !is_blank((unsigned char)l[p]))
            return 0;
        p = skip_blanks(l, m, p); /* a value: a number, NaN or Inf */
        size_t q = p;
        while (q < m && !is_blank((unsigned char)l[q]))
            q++;
        double v;
        const char *why;
        return q > p && hr_value_parse(l + p, q - p, &v, &why) >= 0;
    }
    return 0;
}
