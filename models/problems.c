/* problems.c -- see problems.h. */
#include "problems.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS INT64_C(86400000)
#define WEEK_MS (7 * DAY_MS)
#define MIN5_MS INT64_C(300000)
#define PI 3.14159265358979323846

static int fail(hr_pm_err *err, int code, size_t index, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(hr_pm_err *err, int code, size_t index, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        err->index = index;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

static int ok(hr_pm_err *err)
{
    if (err) {
        err->code = HR_PM_OK;
        err->index = SIZE_MAX;
        err->msg[0] = 0;
    }
    return HR_PM_OK;
}

static int64_t sat_add(int64_t a, int64_t b) /* b >= 0 */
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static int64_t sat_sub(int64_t a, int64_t b) /* b >= 0 */
{
    return a < INT64_MIN + b ? INT64_MIN : a - b;
}

/* a - b without overflow (saturated), for differences of arbitrary times */
static int64_t sdiff(int64_t a, int64_t b)
{
    if (b < 0 && a > INT64_MAX + b)
        return INT64_MAX;
    if (b > 0 && a < INT64_MIN + b)
        return INT64_MIN;
    return a - b;
}

static double score0(double s) { return isnan(s) ? 0.0 : s; }

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Median of x[0..m) (m >= 1), sorting x; the mean of the middle two
 * (rounded down) for even m. */
static int64_t median_i64(int64_t *x, size_t m)
{
    qsort(x, m, sizeof *x, cmp_i64);
    if (m % 2)
        return x[m / 2];
    int64_t a = x[m / 2 - 1], b = x[m / 2];
    return a + (b - a) / 2;
}

/* ---- a) incidents ----------------------------------------------------- */

void hr_pm_cfg_init(hr_pm_cfg *cfg)
{
    cfg->gap_ms = 3600 * INT64_C(1000);
    cfg->by_group = 0;
}

double hr_pm_severity(size_t n_series, int64_t duration_ms, double peak_score, int *level)
{
    double I = score0(peak_score);
    I = I < 0 ? 0 : I > 1 ? 1 : I;
    double B = n_series > 1 ? log2((double)n_series) / 4.0 : 0.0;
    B = B > 1 ? 1 : B;
    double D = duration_ms > 0 ? (double)duration_ms : 0.0;
    double T = log1p(D / (double)MIN5_MS) / log1p(288.0);
    T = T > 1 ? 1 : T;
    double S = 0.40 * I + 0.35 * B + 0.25 * T;
    if (level)
        *level = S >= 0.70 - 1e-12 ? HR_PM_CRITICAL : S >= 0.45 - 1e-12 ? HR_PM_MAJOR : HR_PM_MINOR;
    return S;
}

const char *hr_pm_level_name(int level)
{
    return level == HR_PM_CRITICAL ? "critical" : level == HR_PM_MAJOR ? "major" : "minor";
}

/* A span in the time sort: the fields the order needs, by value (32
 * bytes), so qsort needs no context. The order of spans with equal
 * (group, start, end) does not matter: an incident is a set. */
typedef struct gkey {
    int64_t start, end;
    size_t grp, idx;
} gkey;

static int cmp_gkey(const void *a, const void *b)
{
    const gkey *x = a, *y = b;
    if (x->grp != y->grp)
        return x->grp < y->grp ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* A span of a multi-span incident, sorted by series to fold. */
typedef struct mkey {
    size_t series;
    int64_t start;
    size_t idx;
} mkey;

static int cmp_mkey(const void *a, const void *b)
{
    const mkey *x = a, *y = b;
    if (x->series != y->series)
        return x->series < y->series ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_member(const void *a, const void *b)
{
    const hr_pm_member *x = a, *y = b;
    if (x->onset_ms != y->onset_ms)
        return x->onset_ms < y->onset_ms ? -1 : 1;
    if (x->peak_score != y->peak_score)
        return x->peak_score > y->peak_score ? -1 : 1;
    return (x->series > y->series) - (x->series < y->series);
}

/* An incident in the output sort. (start, origin, group) is already a
 * total order: two incidents of one sweep bucket never share a start
 * (they would have joined), and different buckets have different
 * groups; pos (the sweep position) is only a formal last key. */
typedef struct okey {
    int64_t start;
    size_t origin, group, pos;
} okey;

static int cmp_okey(const void *a, const void *b)
{
    const okey *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->origin != y->origin)
        return x->origin < y->origin ? -1 : 1;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

void hr_pm_incidents_free(hr_pm_incidents *r)
{
    if (!r)
        return;
    free(r->inc);
    free(r->members);
    free(r->span_incident);
    free(r);
}

/* One member from the spans mk[0..m) of one series (sorted by start). */
static hr_pm_member fold(const hr_pm_span *spans, const mkey *mk, size_t m)
{
    const hr_pm_span *s = &spans[mk[0].idx];
    hr_pm_member mb = {s->series, s->start_ms, s->end_ms, s->peak_ms, score0(s->peak_score), s->direction, m};
    for (size_t j = 1; j < m; j++) {
        s = &spans[mk[j].idx];
        if (s->end_ms > mb.end_ms)
            mb.end_ms = s->end_ms;
        if (score0(s->peak_score) > mb.peak_score) {
            mb.peak_score = score0(s->peak_score);
            mb.peak_ms = s->peak_ms;
            mb.direction = s->direction;
        }
    }
    return mb;
}

int hr_pm_group(const hr_pm_span *spans, size_t n, const hr_pm_cfg *cfg, hr_pm_incidents **out,
                hr_pm_err *err)
{
    *out = NULL;
    if (cfg->gap_ms < 0)
        return fail(err, HR_PM_ECONFIG, SIZE_MAX, "gap %lld ms is negative", (long long)cfg->gap_ms);
    for (size_t i = 0; i < n; i++)
        if (spans[i].end_ms < spans[i].start_ms)
            return fail(err, HR_PM_EINPUT, i, "span of series %zu ends (%lld) before it starts (%lld)",
                        spans[i].series, (long long)spans[i].end_ms, (long long)spans[i].start_ms);

    hr_pm_incidents *r = calloc(1, sizeof *r);
    gkey *k = NULL;
    mkey *mk = NULL;
    okey *ok_ = NULL;
    hr_pm_incident *ib = NULL;
    hr_pm_member *mb = NULL;
    size_t *moff = NULL;
    if (!r)
        goto nomem;
    r->n_spans = n;
    if (n == 0) {
        *out = r;
        return ok(err);
    }
    k = malloc(n * sizeof *k);
    mk = malloc(n * sizeof *mk);
    ib = malloc(n * sizeof *ib);
    mb = malloc(n * sizeof *mb);
    moff = malloc(n * sizeof *moff);
    r->span_incident = malloc(n * sizeof *r->span_incident);
    if (!k || !mk || !ib || !mb || !moff || !r->span_incident)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        k[i] = (gkey){spans[i].start_ms, spans[i].end_ms, cfg->by_group ? spans[i].group : 0, i};
    qsort(k, n, sizeof *k, cmp_gkey);

    /* the sweep: each run [a, b) of the sorted spans is one incident */
    size_t ni = 0, nm = 0;
    for (size_t a = 0; a < n;) {
        int64_t run_end = k[a].end;
        size_t b = a + 1;
        while (b < n && k[b].grp == k[a].grp && k[b].start <= sat_add(run_end, cfg->gap_ms)) {
            if (k[b].end > run_end)
                run_end = k[b].end;
            b++;
        }
        hr_pm_incident *x = &ib[ni];
        moff[ni] = nm;
        size_t g0 = spans[k[a].idx].group;
        if (b - a == 1) {
            r->span_incident[k[a].idx] = ni;
            mk[0] = (mkey){spans[k[a].idx].series, k[a].start, k[a].idx};
            mb[nm++] = fold(spans, mk, 1);
        } else {
            for (size_t j = a; j < b; j++) {
                const hr_pm_span *s = &spans[k[j].idx];
                r->span_incident[k[j].idx] = ni;
                if (s->group != g0)
                    g0 = HR_PM_NOGROUP;
                mk[j - a] = (mkey){s->series, s->start_ms, k[j].idx};
            }
            /* fold the spans of each series into one member */
            qsort(mk, b - a, sizeof *mk, cmp_mkey);
            for (size_t j = 0; j < b - a;) {
                size_t e = j + 1;
                while (e < b - a && mk[e].series == mk[j].series)
                    e++;
                mb[nm++] = fold(spans, mk + j, e - j);
                j = e;
            }
        }
        hr_pm_member *ms = mb + moff[ni];
        size_t nser = nm - moff[ni];
        if (nser > 1)
            qsort(ms, nser, sizeof *ms, cmp_member);
        *x = (hr_pm_incident){
            .start_ms = k[a].start,
            .end_ms = run_end,
            .duration_ms = sdiff(run_end, k[a].start),
            .group = g0,
            .origin = ms[0].series,
            .direction = ms[0].direction,
            .peak_score = ms[0].peak_score,
            .peak_ms = ms[0].peak_ms,
            .n_series = nser,
            .n_spans = b - a,
        };
        for (size_t j = 1; j < nser; j++)
            if (ms[j].peak_score > x->peak_score ||
                (ms[j].peak_score == x->peak_score && ms[j].peak_ms < x->peak_ms)) {
                x->peak_score = ms[j].peak_score;
                x->peak_ms = ms[j].peak_ms;
            }
        x->severity = hr_pm_severity(nser, x->duration_ms, x->peak_score, &x->level);
        ni++;
        a = b;
    }
    free(k);
    free(mk);
    k = NULL;
    mk = NULL;

    /* the output order; the members are copied into it */
    ok_ = malloc(ni * sizeof *ok_);
    r->inc = malloc(ni * sizeof *r->inc);
    r->members = malloc(nm * sizeof *r->members);
    if (!ok_ || !r->inc || !r->members)
        goto nomem;
    for (size_t i = 0; i < ni; i++)
        ok_[i] = (okey){ib[i].start_ms, ib[i].origin, ib[i].group, i};
    qsort(ok_, ni, sizeof *ok_, cmp_okey);
    size_t *rank = moff; /* reused: moff[p] is read before rank[p] is written */
    size_t off = 0;
    for (size_t i = 0; i < ni; i++) {
        size_t p = ok_[i].pos;
        r->inc[i] = ib[p];
        memcpy(r->members + off, mb + moff[p], ib[p].n_series * sizeof *mb);
        r->inc[i].members = r->members + off;
        off += ib[p].n_series;
        rank[p] = i;
    }
    for (size_t i = 0; i < n; i++)
        r->span_incident[i] = rank[r->span_incident[i]];
    r->n = ni;
    free(ok_);
    free(ib);
    free(mb);
    free(moff);
    *out = r;
    return ok(err);

nomem:
    free(k);
    free(mk);
    free(ok_);
    free(ib);
    free(mb);
    free(moff);
    hr_pm_incidents_free(r);
    return fail(err, HR_PM_ENOMEM, SIZE_MAX, "out of memory grouping %zu spans", n);
}

/* ---- b) recurring problems -------------------------------------------- */

void hr_pm_recur_cfg_init(hr_pm_recur_cfg *cfg)
{
    cfg->key = HR_PM_KEY_ORIGIN;
    cfg->phase_tol_ms = 3600 * INT64_C(1000);
    cfg->dur_factor = 2.0;
    cfg->dur_floor_ms = MIN5_MS;
    cfg->min_count = 3;
}

const char *hr_pm_period_name(int period)
{
    return period == HR_PM_DAILY ? "daily" : period == HR_PM_WEEKLY ? "weekly" : "interval";
}

static int64_t mod_pos(int64_t t, int64_t m)
{
    int64_t r = t % m;
    return r < 0 ? r + m : r;
}

/* time of day, and of the week from Monday 00:00 (1970-01-01 was a
 * Thursday, so Monday 1969-12-29 is 3 days before the epoch) */
static int64_t phase_day(int64_t t) { return mod_pos(t, DAY_MS); }
int64_t hr_pm_phase_week(int64_t t) { return mod_pos(mod_pos(t, WEEK_MS) + 3 * DAY_MS, WEEK_MS); }

/* The signature of an incident in the bucket sort. */
typedef struct rkey {
    size_t key;             /* origin or group (0 in series-set mode) */
    const size_t *set;      /* sorted series (series-set mode), else NULL */
    size_t nset;
    int dir;
    int64_t start;
    size_t idx;
} rkey;

static int cmp_rkey(const void *a, const void *b)
{
    const rkey *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    for (size_t i = 0; i < x->nset && i < y->nset; i++)
        if (x->set[i] != y->set[i])
            return x->set[i] < y->set[i] ? -1 : 1;
    if (x->nset != y->nset)
        return x->nset < y->nset ? -1 : 1;
    if (x->dir != y->dir)
        return x->dir < y->dir ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int same_sig(const rkey *x, const rkey *y)
{
    if (x->key != y->key || x->dir != y->dir || x->nset != y->nset)
        return 0;
    for (size_t i = 0; i < x->nset; i++)
        if (x->set[i] != y->set[i])
            return 0;
    return 1;
}

/* One incident in a clustering pass. */
typedef struct citem {
    int64_t start, dur, phase;
    size_t idx;  /* incident index */
    size_t cnt;  /* neighbours, itself included */
    size_t cid;  /* cluster, or SIZE_MAX */
} citem;

static int cmp_citem_phase(const void *a, const void *b)
{
    const citem *x = a, *y = b;
    if (x->phase != y->phase)
        return x->phase < y->phase ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_citem_start(const void *a, const void *b)
{
    const citem *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* anchor order: most neighbours, then earlier start, then index */
typedef struct anchor {
    size_t cnt, pos, idx;
    int64_t start;
} anchor;

static int cmp_anchor(const void *a, const void *b)
{
    const anchor *x = a, *y = b;
    if (x->cnt != y->cnt)
        return x->cnt > y->cnt ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int dur_alike(int64_t a, int64_t b, const hr_pm_recur_cfg *cfg)
{
    double x = (double)(a > cfg->dur_floor_ms ? a : cfg->dur_floor_ms);
    double y = (double)(b > cfg->dur_floor_ms ? b : cfg->dur_floor_ms);
    return y <= x * cfg->dur_factor && x <= y * cfg->dur_factor;
}

/* Positions of it[] (sorted by phase on the circle of length mod) within
 * tol of it[i] and alike in duration, i excluded, into nb; returns how
 * many. Forward then backward along the circle: distances grow
 * monotonically each way, and the two scans never meet. */
static size_t neighbours(const citem *it, size_t m, size_t i, int64_t mod, const hr_pm_recur_cfg *cfg,
                         size_t *nb)
{
    size_t c = 0, fw = 0;
    for (size_t s = 1; s < m; s++) {
        size_t j = (i + s) % m;
        if (mod_pos(it[j].phase - it[i].phase, mod) > cfg->phase_tol_ms)
            break;
        fw = s;
        if (dur_alike(it[i].dur, it[j].dur, cfg))
            nb[c++] = j;
    }
    for (size_t s = 1; s + fw < m; s++) {
        size_t j = (i + m - s) % m;
        if (mod_pos(it[i].phase - it[j].phase, mod) > cfg->phase_tol_ms)
            break;
        if (dur_alike(it[i].dur, it[j].dur, cfg))
            nb[c++] = j;
    }
    return c;
}

/* Clusters it[0..m) (phase set, on the circle of length mod): sorts it
 * by phase and sets cid (SIZE_MAX: in no cluster). Returns the number of
 * clusters. nb and an hold m entries each. */
static size_t cluster(citem *it, size_t m, int64_t mod, const hr_pm_recur_cfg *cfg, size_t *nb, anchor *an)
{
    qsort(it, m, sizeof *it, cmp_citem_phase);
    for (size_t i = 0; i < m; i++) {
        it[i].cid = SIZE_MAX;
        it[i].cnt = 1 + neighbours(it, m, i, mod, cfg, nb);
        an[i] = (anchor){it[i].cnt, i, it[i].idx, it[i].start};
    }
    qsort(an, m, sizeof *an, cmp_anchor);
    size_t nc = 0;
    for (size_t a = 0; a < m && an[a].cnt >= cfg->min_count; a++) {
        size_t i = an[a].pos;
        if (it[i].cid != SIZE_MAX)
            continue;
        size_t c = neighbours(it, m, i, mod, cfg, nb), u = 0;
        for (size_t j = 0; j < c; j++) /* keep the unclaimed ones */
            if (it[nb[j]].cid == SIZE_MAX)
                nb[u++] = nb[j];
        if (1 + u < cfg->min_count)
            continue;
        it[i].cid = nc;
        for (size_t j = 0; j < u; j++)
            it[nb[j]].cid = nc;
        nc++;
    }
    return nc;
}

/* Median successive interval of it[0..m) (sorted by start, m >= 2). */
static int64_t median_interval(const citem *it, size_t m, int64_t *tmp)
{
    for (size_t i = 1; i < m; i++)
        tmp[i - 1] = sdiff(it[i].start, it[i - 1].start);
    return median_i64(tmp, m - 1);
}

typedef struct rbuild {
    hr_pm_recur r;
    size_t off;
} rbuild;

static int cmp_rbuild(const void *a, const void *b)
{
    const hr_pm_recur *x = &((const rbuild *)a)->r, *y = &((const rbuild *)b)->r;
    if (x->first_ms != y->first_ms)
        return x->first_ms < y->first_ms ? -1 : 1;
    if (x->origin != y->origin)
        return x->origin < y->origin ? -1 : 1;
    if (x->phase_ms != y->phase_ms)
        return x->phase_ms < y->phase_ms ? -1 : 1;
    if (x->period != y->period)
        return x->period < y->period ? -1 : 1;
    size_t p = ((const rbuild *)a)->off, q = ((const rbuild *)b)->off;
    return (p > q) - (p < q);
}

typedef struct rstate {
    const hr_pm_incidents *inc;
    const hr_pm_recur_cfg *cfg;
    rbuild *rb;
    size_t nr;
    size_t *occ;
    size_t nocc;
    int64_t *tmp;
} rstate;

/* Records it[0..m) (sorted by start) as one recurring problem. */
static void emit(rstate *st, const citem *it, size_t m, int period, int64_t period_ms, int64_t mod)
{
    rbuild *b = &st->rb[st->nr++];
    const hr_pm_incident *f = &st->inc->inc[it[0].idx];
    double sx = 0, sy = 0;
    for (size_t i = 0; i < m; i++) {
        int64_t ph = mod == WEEK_MS ? hr_pm_phase_week(it[i].start) : phase_day(it[i].start);
        double a = 2 * PI * (double)ph / (double)mod;
        sx += cos(a);
        sy += sin(a);
        st->occ[st->nocc + i] = it[i].idx;
        st->tmp[i] = it[i].dur;
    }
    double a = atan2(sy, sx);
    int64_t ph = (int64_t)llround(a / (2 * PI) * (double)mod);
    b->off = st->nocc;
    b->r = (hr_pm_recur){
        .origin = f->origin,
        .group = f->group,
        .direction = f->direction,
        .period = period,
        .period_ms = period_ms,
        .phase_ms = mod_pos(ph, mod),
        .median_duration_ms = median_i64(st->tmp, m),
        .count = m,
        .occ = NULL,
        .first_ms = it[0].start,
        .last_ms = it[m - 1].start,
        .next_ms = sat_add(it[m - 1].start, period_ms),
    };
    st->nocc += m;
}

/* Period of a time-of-day cluster c[0..m) (sorted by start), split on the
 * week when it is not daily. w holds m citems, nb/an m entries; c is
 * overwritten. */
static void classify(rstate *st, citem *c, size_t m, citem *w, size_t *nb, anchor *an)
{
    const hr_pm_recur_cfg *cfg = st->cfg;
    int64_t tol2 = 2 * cfg->phase_tol_ms;
    int64_t med = median_interval(c, m, st->tmp);
    if (llabs(med - DAY_MS) <= tol2) {
        emit(st, c, m, HR_PM_DAILY, DAY_MS, DAY_MS);
        return;
    }
    memcpy(w, c, m * sizeof *w);
    for (size_t i = 0; i < m; i++)
        w[i].phase = hr_pm_phase_week(w[i].start);
    size_t nc = cluster(w, m, WEEK_MS, cfg, nb, an);
    /* each week cluster in turn, then the rest, in start order (the
     * number of clusters is bounded by 168 h / phase_tol) */
    qsort(w, m, sizeof *w, cmp_citem_start);
    for (size_t cid = 0; cid <= nc; cid++) {
        size_t want = cid < nc ? cid : SIZE_MAX, k = 0;
        /* gather in start order into c (free now: its items are in w) */
        for (size_t i = 0; i < m; i++)
            if (w[i].cid == want)
                c[k++] = w[i];
        if (k < cfg->min_count)
            continue;
        int64_t mi = median_interval(c, k, st->tmp);
        if (cid < nc && llabs(mi - WEEK_MS) <= tol2)
            emit(st, c, k, HR_PM_WEEKLY, WEEK_MS, WEEK_MS);
        else
            emit(st, c, k, HR_PM_INTERVAL, mi, DAY_MS);
    }
}

void hr_pm_recurs_free(hr_pm_recurs *r)
{
    if (!r)
        return;
    free(r->rec);
    free(r->occ);
    free(r);
}

int hr_pm_recurring(const hr_pm_incidents *inc, const hr_pm_recur_cfg *cfg, hr_pm_recurs **out,
                    hr_pm_err *err)
{
    *out = NULL;
    if (cfg->key != HR_PM_KEY_ORIGIN && cfg->key != HR_PM_KEY_SERIES && cfg->key != HR_PM_KEY_GROUP)
        return fail(err, HR_PM_ECONFIG, SIZE_MAX, "unknown recurrence key %d", cfg->key);
    if (cfg->phase_tol_ms <= 0 || cfg->phase_tol_ms >= DAY_MS / 2)
        return fail(err, HR_PM_ECONFIG, SIZE_MAX, "phase tolerance %lld ms is not in (0, 12 h)",
                    (long long)cfg->phase_tol_ms);
    if (!(cfg->dur_factor >= 1))
        return fail(err, HR_PM_ECONFIG, SIZE_MAX, "duration factor %g is below 1", cfg->dur_factor);
    if (cfg->dur_floor_ms < 0)
        return fail(err, HR_PM_ECONFIG, SIZE_MAX, "duration floor %lld ms is negative",
                    (long long)cfg->dur_floor_ms);
    if (cfg->min_count < 2)
        return fail(err, HR_PM_ECONFIG, SIZE_MAX, "min_count %zu is below 2", cfg->min_count);

    size_t n = inc->n, nm = 0;
    for (size_t i = 0; i < n; i++)
        nm += inc->inc[i].n_series;
    hr_pm_recurs *r = calloc(1, sizeof *r);
    rkey *keys = malloc((n + 1) * sizeof *keys);
    size_t *sets = cfg->key == HR_PM_KEY_SERIES ? malloc((nm + 1) * sizeof *sets) : NULL;
    citem *c = malloc((n + 1) * sizeof *c), *w = malloc((n + 1) * sizeof *w), *v = malloc((n + 1) * sizeof *v);
    size_t *nb = malloc((n + 1) * sizeof *nb);
    anchor *an = malloc((n + 1) * sizeof *an);
    rstate st = {inc, cfg, malloc((n + 1) * sizeof(rbuild)), 0, malloc((n + 1) * sizeof(size_t)), 0,
                 malloc((n + 1) * sizeof(int64_t))};
    if (!r || !keys || (cfg->key == HR_PM_KEY_SERIES && !sets) || !c || !w || !v || !nb || !an || !st.rb ||
        !st.occ || !st.tmp) {
        hr_pm_recurs_free(r);
        r = NULL;
        goto done;
    }

    size_t nk = 0, so = 0;
    for (size_t i = 0; i < n; i++) {
        const hr_pm_incident *x = &inc->inc[i];
        rkey k = {0, NULL, 0, x->direction, x->start_ms, i};
        if (cfg->key == HR_PM_KEY_ORIGIN)
            k.key = x->origin;
        else if (cfg->key == HR_PM_KEY_GROUP) {
            if (x->group == HR_PM_NOGROUP)
                continue;
            k.key = x->group;
        } else {
            for (size_t j = 0; j < x->n_series; j++)
                sets[so + j] = x->members[j].series;
            qsort(sets + so, x->n_series, sizeof *sets, cmp_size);
            k.set = sets + so;
            k.nset = x->n_series;
            so += x->n_series;
        }
        keys[nk++] = k;
    }
    qsort(keys, nk, sizeof *keys, cmp_rkey);

    for (size_t a = 0; a < nk;) {
        size_t b = a + 1;
        while (b < nk && same_sig(&keys[a], &keys[b]))
            b++;
        size_t m = b - a;
        if (m >= cfg->min_count) {
            for (size_t i = 0; i < m; i++) {
                const hr_pm_incident *x = &inc->inc[keys[a + i].idx];
                c[i] = (citem){x->start_ms, x->duration_ms, phase_day(x->start_ms), keys[a + i].idx, 0,
                               SIZE_MAX};
            }
            size_t nc = cluster(c, m, DAY_MS, cfg, nb, an);
            qsort(c, m, sizeof *c, cmp_citem_start);
            /* each cluster in turn, gathered in start order into w */
            for (size_t cid = 0; cid < nc; cid++) {
                size_t k = 0;
                for (size_t i = 0; i < m; i++)
                    if (c[i].cid == cid)
                        w[k++] = c[i];
                classify(&st, w, k, v, nb, an);
            }
        }
        a = b;
    }

    r->rec = malloc((st.nr + 1) * sizeof *r->rec);
    r->occ = malloc((st.nocc + 1) * sizeof *r->occ);
    if (!r->rec || !r->occ) {
        hr_pm_recurs_free(r);
        r = NULL;
        goto done;
    }
    qsort(st.rb, st.nr, sizeof *st.rb, cmp_rbuild);
    size_t off = 0;
    for (size_t i = 0; i < st.nr; i++) {
        r->rec[i] = st.rb[i].r;
        memcpy(r->occ + off, st.occ + st.rb[i].off, st.rb[i].r.count * sizeof *r->occ);
        r->rec[i].occ = r->occ + off;
        off += st.rb[i].r.count;
    }
    r->n = st.nr;

done:
    free(keys);
    free(sets);
    free(c);
    free(w);
    free(v);
    free(nb);
    free(an);
    free(st.rb);
    free(st.occ);
    free(st.tmp);
    *out = r;
    if (!r)
        return fail(err, HR_PM_ENOMEM, SIZE_MAX, "out of memory finding recurring problems");
    return ok(err);
}

/* ---- c) incident log metrics and matching ----------------------------- */

static const char *svc_of(const hr_pm_logrow *r) { return r->service ? r->service : ""; }

static int check_row(const hr_pm_logrow *r, size_t i, hr_pm_err *err)
{
    if (r->end_ms < r->start_ms)
        return fail(err, HR_PM_EINPUT, i, "end (%lld) before start (%lld)", (long long)r->end_ms,
                    (long long)r->start_ms);
    if (r->detected_ms != HR_PM_MISSING && r->detected_ms < r->start_ms)
        return fail(err, HR_PM_EINPUT, i, "detected (%lld) before start (%lld)", (long long)r->detected_ms,
                    (long long)r->start_ms);
    if (r->resolved_ms != HR_PM_MISSING) {
        if (r->detected_ms != HR_PM_MISSING && r->resolved_ms < r->detected_ms)
            return fail(err, HR_PM_EINPUT, i, "resolved (%lld) before detected (%lld)",
                        (long long)r->resolved_ms, (long long)r->detected_ms);
        if (r->resolved_ms < r->start_ms)
            return fail(err, HR_PM_EINPUT, i, "resolved (%lld) before start (%lld)", (long long)r->resolved_ms,
                        (long long)r->start_ms);
    }
    return HR_PM_OK;
}

int hr_pm_log_validate(const hr_pm_logrow *rows, size_t n, hr_pm_err *err)
{
    for (size_t i = 0; i < n; i++) {
        int rc = check_row(&rows[i], i, err);
        if (rc)
            return rc;
    }
    return ok(err);
}

typedef struct lkey {
    const char *svc;
    int64_t start;
    size_t idx;
} lkey;

static int cmp_lkey(const void *a, const void *b)
{
    const lkey *x = a, *y = b;
    int c = strcmp(x->svc, y->svc);
    if (c)
        return c;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Metrics of the rows ord[0..m) (any order). */
static void svc_metrics(const hr_pm_logrow *rows, const lkey *ord, size_t m, hr_pm_svc *s)
{
    double sd = 0, sr = 0, si = 0;
    memset(s, 0, sizeof *s);
    s->n = m;
    s->first_ms = INT64_MAX;
    s->last_ms = INT64_MIN;
    for (size_t i = 0; i < m; i++) {
        const hr_pm_logrow *r = &rows[ord[i].idx];
        if (r->detected_ms != HR_PM_MISSING) {
            sd += (double)sdiff(r->detected_ms, r->start_ms);
            s->n_detected++;
        }
        if (r->resolved_ms != HR_PM_MISSING) {
            sr += (double)sdiff(r->resolved_ms, r->start_ms);
            s->n_resolved++;
        }
        si += (double)sdiff(r->end_ms, r->start_ms);
        if (r->start_ms < s->first_ms)
            s->first_ms = r->start_ms;
        if (r->start_ms > s->last_ms)
            s->last_ms = r->start_ms;
    }
    s->mttd_ms = s->n_detected ? sd / (double)s->n_detected : NAN;
    s->mttr_ms = s->n_resolved ? sr / (double)s->n_resolved : NAN;
    /* the mean of successive gaps telescopes to (last - first) / (n - 1) */
    s->mtbf_ms = m >= 2 ? (double)sdiff(s->last_ms, s->first_ms) / (double)(m - 1) : NAN;
    s->impact_ms = si;
    if (!m)
        s->first_ms = s->last_ms = HR_PM_MISSING;
}

void hr_pm_logstats_free(hr_pm_logstats *r)
{
    if (!r)
        return;
    free(r->svc);
    free(r->names);
    free(r);
}

int hr_pm_log_metrics(const hr_pm_logrow *rows, size_t n, hr_pm_logstats **out, hr_pm_err *err)
{
    *out = NULL;
    int rc = hr_pm_log_validate(rows, n, err);
    if (rc)
        return rc;
    hr_pm_logstats *r = calloc(1, sizeof *r);
    lkey *k = malloc((n + 1) * sizeof *k);
    if (!r || !k)
        goto nomem;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        k[i] = (lkey){svc_of(&rows[i]), rows[i].start_ms, i};
        len += strlen(k[i].svc) + 1;
    }
    qsort(k, n, sizeof *k, cmp_lkey);
    size_t ns = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(k[i].svc, k[i - 1].svc))
            ns++;
    r->svc = malloc((ns + 1) * sizeof *r->svc);
    r->names = malloc(len + 1);
    if (!r->svc || !r->names)
        goto nomem;
    char *p = r->names;
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && !strcmp(k[a].svc, k[b].svc))
            b++;
        hr_pm_svc *s = &r->svc[r->n_svc++];
        svc_metrics(rows, k + a, b - a, s);
        size_t l = strlen(k[a].svc) + 1;
        memcpy(p, k[a].svc, l);
        s->service = p;
        p += l;
        a = b;
    }
    svc_metrics(rows, k, n, &r->all);
    r->all.service = NULL;
    free(k);
    *out = r;
    return ok(err);

nomem:
    free(k);
    hr_pm_logstats_free(r);
    return fail(err, HR_PM_ENOMEM, SIZE_MAX, "out of memory for the metrics of %zu log rows", n);
}

typedef struct ikey {
    int64_t start;
    size_t idx;
} ikey;

static int cmp_ikey(const void *a, const void *b)
{
    const ikey *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

void hr_pm_match_free(hr_pm_match *m)
{
    if (!m)
        return;
    free(m->row_status);
    free(m->row_incident);
    free(m->row_lead_ms);
    free(m->inc_row);
    free(m);
}

int hr_pm_match_log(const hr_pm_logrow *rows, size_t n_rows, const hr_pm_incidents *inc,
                    const char *const *group_names, size_t n_groups, int64_t tol_ms, hr_pm_match **out,
                    hr_pm_err *err)
{
    *out = NULL;
    if (tol_ms < 0)
        return fail(err, HR_PM_ECONFIG, SIZE_MAX, "match tolerance %lld ms is negative", (long long)tol_ms);
    for (size_t i = 0; i < n_rows; i++)
        if (rows[i].end_ms < rows[i].start_ms)
            return fail(err, HR_PM_EINPUT, i, "end (%lld) before start (%lld)", (long long)rows[i].end_ms,
                        (long long)rows[i].start_ms);
    size_t ni = inc->n;
    hr_pm_match *m = calloc(1, sizeof *m);
    ikey *ord = malloc((ni + 1) * sizeof *ord);
    int64_t *pmax = malloc((ni + 1) * sizeof *pmax), *lead = malloc((n_rows + 1) * sizeof *lead);
    if (!m || !ord || !pmax || !lead)
        goto nomem;
    m->n_rows = n_rows;
    m->n_inc = ni;
    m->row_status = malloc((n_rows + 1) * sizeof *m->row_status);
    m->row_incident = malloc((n_rows + 1) * sizeof *m->row_incident);
    m->row_lead_ms = malloc((n_rows + 1) * sizeof *m->row_lead_ms);
    m->inc_row = malloc((ni + 1) * sizeof *m->inc_row);
    if (!m->row_status || !m->row_incident || !m->row_lead_ms || !m->inc_row)
        goto nomem;

    /* incidents by start, with the running maximum of their ends: a
     * backward scan from the last incident starting by the window's end
     * stops once no earlier incident can reach the window's start */
    for (size_t i = 0; i < ni; i++) {
        ord[i] = (ikey){inc->inc[i].start_ms, i};
        m->inc_row[i] = HR_PM_NONE;
    }
    qsort(ord, ni, sizeof *ord, cmp_ikey);
    for (size_t i = 0; i < ni; i++) {
        int64_t e = inc->inc[ord[i].idx].end_ms;
        pmax[i] = i && pmax[i - 1] > e ? pmax[i - 1] : e;
    }

    size_t nl = 0;
    double sum = 0;
    for (size_t r = 0; r < n_rows; r++) {
        int64_t lo = sat_sub(rows[r].start_ms, tol_ms), hi = sat_add(rows[r].end_ms, tol_ms);
        const char *svc = svc_of(&rows[r]);
        size_t a = 0, b = ni; /* first position with start > hi */
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if (ord[mid].start <= hi)
                a = mid + 1;
            else
                b = mid;
        }
        size_t best = HR_PM_NONE;
        for (size_t j = a; j-- > 0 && pmax[j] >= lo;) {
            const hr_pm_incident *x = &inc->inc[ord[j].idx];
            if (x->end_ms < lo)
                continue;
            size_t g = x->group;
            if (g != HR_PM_NOGROUP && g < n_groups && group_names && group_names[g] &&
                strcmp(group_names[g], svc))
                continue;
            best = j; /* scanning backwards: the last hit is the earliest */
            if (m->inc_row[ord[j].idx] == HR_PM_NONE)
                m->inc_row[ord[j].idx] = r;
        }
        if (best == HR_PM_NONE) {
            m->row_status[r] = HR_PM_MISSED;
            m->row_incident[r] = HR_PM_NONE;
            m->row_lead_ms[r] = 0;
            m->n_missed++;
        } else {
            m->row_status[r] = HR_PM_SEEN;
            m->row_incident[r] = ord[best].idx;
            m->row_lead_ms[r] = sdiff(ord[best].start, rows[r].start_ms);
            lead[nl++] = m->row_lead_ms[r];
            sum += (double)m->row_lead_ms[r];
            m->n_seen++;
        }
    }
    for (size_t i = 0; i < ni; i++)
        m->n_unlogged += m->inc_row[i] == HR_PM_NONE;
    m->mean_lead_ms = nl ? sum / (double)nl : NAN;
    m->median_lead_ms = NAN;
    if (nl) {
        qsort(lead, nl, sizeof *lead, cmp_i64);
        m->median_lead_ms = nl % 2 ? (double)lead[nl / 2] : ((double)lead[nl / 2 - 1] + (double)lead[nl / 2]) / 2;
    }
    free(ord);
    free(pmax);
    free(lead);
    *out = m;
    return ok(err);

nomem:
    free(ord);
    free(pmax);
    free(lead);
    hr_pm_match_free(m);
    return fail(err, HR_PM_ENOMEM, SIZE_MAX, "out of memory matching %zu log rows", n_rows);
}
