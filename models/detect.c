/* detect.c -- see detect.h. */
#include "detect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef DET_TUNE
#define DET_TUNE static const
#endif

/* ---- configuration (one for every series) ---- */
#define LW 9          /* local median window (points) */
#define KS 3          /* periods in the seasonal median */
#define NSTEP 16      /* gaps used to estimate the sampling step */
#define MAXSLOTS 1440 /* daily slots at most (1-minute data) */
#define HIST 8192     /* trailing history of each statistic */
#define NB 1024       /* histogram bins: BPO per octave of 1 + S */
#define BPO 64
#define NSTAT 6
#define RE 64 /* tail re-estimated every RE points */
#define DAY_MS INT64_C(86400000)

DET_TUNE double Q_TAIL = 0.02;   /* tail fraction for the POT fit */
DET_TUNE double K_TAIL = 10;     /* at least this many exceedances */
DET_TUNE double N_MIN = 64;      /* history needed before any score */
DET_TUNE double LAM_A = 1.0 / 256;
DET_TUNE double LAM_SLOW = 1.0 / 64;
DET_TUNE double LAM_C = 0.2;
DET_TUNE double LAM_V = 0.1;
DET_TUNE double DECADES = 10;
DET_TUNE double REFRACT = 0; /* points; 0 = none */
DET_TUNE double XI_MAX = 0.45;
DET_TUNE int TAIL_LOG = 0;
DET_TUNE double USE_MASK = 7;
DET_TUNE double DELTA = 0;
DET_TUNE double SUPP = 0.5;
DET_TUNE double LIK = 0, LIK_W = 10;
#define DQ 4096   /* fit the tail on log(1+S) */

typedef struct medwin {
    double ring[LW], sorted[LW];
    int n, pos;
} medwin;

typedef struct tail {
    uint32_t cnt[NB];
    uint32_t cum[NB]; /* at the last fit: count >= bin, for bins >= ub */
    int ub;
    double nfit;
    uint16_t ring[HIST];
    size_t n, pos, added;
    int fitted;
    double u, lpu, sig, xi; /* threshold, log10 P(S >= u), GPD scale, shape */
} tail;

/* the state of one baseline model (local, or seasonal + local) */
typedef struct model {
    medwin win;             /* local window of (deseasonalised) values */
    double a;               /* robust mean absolute residual (all slots) */
    size_t na;
    double mse;             /* EW mean squared residual, for selection */
    double slow, chart;     /* slow level and the EWMA chart against it */
    size_t nq;
    double var;             /* EWMA of min(z^2, 9) */
    tail tl[NSTAT];         /* trailing history of each statistic */
    double *ssum, *sring;   /* per slot: sum and ring of KS clipped |e| */
    unsigned char *sn, *sp; /* per slot: count, ring position */
} model;

struct hr_det_ws {
    size_t max_n;
    double center[NB]; /* S at each bin's centre */
    double lower[NB];  /* S at each bin's lower edge */
    /* per call */
    model m[2]; /* 0 local, 1 seasonal */
    int64_t gaps[NSTEP], tprev;
    int ngaps, have_t;
    size_t slots;         /* 0: no season (yet) */
    int64_t period_ms;
    double *ma;           /* ring of the last `slots` values */
    size_t ma_pos, ma_seen, ma_cnt;
    double ma_sum;
    double *sv;           /* slots * KS offsets */
    unsigned char *scnt, *spos;
    size_t season_pts;    /* points since the profile started */
    double absx;          /* EW mean |x| for the resolution floor */
    double refr;          /* refractory level */
    double first[64], m0, d0;
    double lk_ring[16], lk_sum, lk_s1, lk_s2, lk_hist[8640];
    size_t lk_pos, lk_n, lk_hp;
    int nfirst, nov_ok;
    double dq_v[4096];
    size_t dq_i[4096], dq_h, dq_n;
};

/* ---- small helpers ---- */

static void med_reset(medwin *w) { w->n = w->pos = 0; }

static void med_push(medwin *w, double v)
{
    int i;
    if (w->n == LW) {
        double old = w->ring[w->pos];
        for (i = 0; i < LW && w->sorted[i] != old; i++)
            ;
        for (; i < LW - 1; i++)
            w->sorted[i] = w->sorted[i + 1];
        w->n--;
    }
    for (i = w->n; i > 0 && w->sorted[i - 1] > v; i--)
        w->sorted[i] = w->sorted[i - 1];
    w->sorted[i] = v;
    w->n++;
    w->ring[w->pos] = v;
    w->pos = (w->pos + 1) % LW;
}

static double med_get(const medwin *w)
{
    if (w->n == 0)
        return NAN;
    return w->n & 1 ? w->sorted[w->n / 2] : 0.5 * (w->sorted[w->n / 2 - 1] + w->sorted[w->n / 2]);
}

static double median3(const double *v, int n)
{
    if (n == 1)
        return v[0];
    if (n == 2)
        return 0.5 * (v[0] + v[1]);
    double a = v[0], b = v[1], c = v[2];
    if (a > b) {
        double t = a;
        a = b;
        b = t;
    }
    return c < a ? a : c > b ? b : c;
}

static int bin_of(double s)
{
    double b = BPO * log2(1.0 + s);
    return b < 0 ? 0 : b >= NB - 1 ? NB - 1 : (int)b;
}

/* ---- tail calibration: peaks over threshold (Pickands 1975; Siffer et
 * al. 2017, SPOT) on a sliding histogram ---- */

static void tail_reset(tail *t)
{
    memset(t->cnt, 0, sizeof t->cnt);
    t->n = t->pos = t->added = 0;
    t->fitted = 0;
}

static void tail_fit(tail *t, const hr_det_ws *ws)
{
    double k = K_TAIL > Q_TAIL * (double)t->n ? K_TAIL : Q_TAIL * (double)t->n;
    double c = 0;
    int b = NB - 1;
    for (; b > 0; b--) {
        c += t->cnt[b];
        if (c >= k)
            break;
    }
    if (b == 0)
        c += t->cnt[0];
    double u = ws->lower[b];
    double s1 = 0, s2 = 0, cc = 0;
    for (int j = b; j < NB; j++) {
        if (!t->cnt[j])
            continue;
        double y = TAIL_LOG ? log1p(ws->center[j]) - log1p(u) : ws->center[j] - u;
        s1 += t->cnt[j] * y;
        s2 += t->cnt[j] * y * y;
        cc += t->cnt[j];
    }
    double m = s1 / cc, v = s2 / cc - m * m;
    double xi = 0, sig = m;
    if (v > 0 && cc >= 3) {
        xi = 0.5 * (1 - m * m / v);
        if (xi > XI_MAX)
            xi = XI_MAX;
        if (xi <= 0)
            xi = 0;
        else
            sig = m * (1 - xi); /* mean excess of a GPD is sig / (1 - xi) */
    }
    double minsig = TAIL_LOG ? 0.5 / BPO * M_LN2 : 0.5 * (1 + u) * (exp2(1.0 / BPO) - 1);
    if (!(sig > minsig))
        sig = minsig;
    uint32_t cs = 0;
    for (int j = NB - 1; j >= b; j--) {
        cs += t->cnt[j];
        t->cum[j] = cs;
    }
    t->ub = b;
    t->nfit = (double)t->n;
    t->u = u;
    t->lpu = log10(c / (double)t->n);
    t->sig = sig;
    t->xi = xi;
    t->fitted = 1;
}

/* log10 of the tail probability of s under the fitted tail */
static double tail_lp(const tail *t, double s)
{
    if (!t->fitted)
        return 0;
    if (s <= t->u) {
        /* the body: only needs to be monotone and above the tail's p */
        double p = pow(10, t->lpu);
        return log10(p + (1 - p) * (t->u > 0 ? 1 - s / t->u : 0));
    }
    double y = TAIL_LOG ? log1p(s) - log1p(t->u) : s - t->u;
    double lp = t->xi > 0 ? t->lpu - log10(1 + t->xi * y / t->sig) / t->xi
                          : t->lpu - y / t->sig / M_LN10;
    /* never below the empirical survival fraction: the fit extrapolates
     * beyond the data, it does not overrule it */
    int b = bin_of(s);
    if (b >= t->ub && t->cum[b] > 0) {
        double le = log10(t->cum[b] / t->nfit);
        if (le > lp)
            lp = le;
    }
    return lp;
}

static void tail_add(tail *t, double s, const hr_det_ws *ws)
{
    int b = bin_of(s);
    if (t->n == HIST) {
        t->cnt[t->ring[t->pos]]--;
        t->n--;
    }
    t->cnt[b]++;
    t->ring[t->pos] = (uint16_t)b;
    t->pos = (t->pos + 1) % HIST;
    t->n++;
    t->added++;
    if (t->n >= N_MIN && (t->added % RE == 0 || !t->fitted))
        tail_fit(t, ws);
}

/* ---- workspace ---- */

hr_det_ws *hr_det_ws_alloc(size_t max_n)
{
    hr_det_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->max_n = max_n;
    ws->ma = malloc(MAXSLOTS * sizeof *ws->ma);
    ws->sv = malloc(MAXSLOTS * KS * sizeof *ws->sv);
    ws->scnt = malloc(MAXSLOTS);
    ws->spos = malloc(MAXSLOTS);
    int ok = ws->ma && ws->sv && ws->scnt && ws->spos;
    for (int k = 0; k < 2; k++) {
        model *m = &ws->m[k];
        m->ssum = malloc(MAXSLOTS * sizeof *m->ssum);
        m->sring = malloc(MAXSLOTS * KS * sizeof *m->sring);
        m->sn = malloc(MAXSLOTS);
        m->sp = malloc(MAXSLOTS);
        ok = ok && m->ssum && m->sring && m->sn && m->sp;
    }
    if (!ok) {
        hr_det_ws_free(ws);
        return NULL;
    }
    for (int b = 0; b < NB; b++) {
        ws->center[b] = exp2((b + 0.5) / BPO) - 1;
        ws->lower[b] = exp2((double)b / BPO) - 1;
    }
    return ws;
}

void hr_det_ws_free(hr_det_ws *ws)
{
    if (!ws)
        return;
    free(ws->ma);
    free(ws->sv);
    free(ws->scnt);
    free(ws->spos);
    for (int k = 0; k < 2; k++) {
        free(ws->m[k].ssum);
        free(ws->m[k].sring);
        free(ws->m[k].sn);
        free(ws->m[k].sp);
    }
    free(ws);
}

static void model_reset(model *m)
{
    med_reset(&m->win);
    m->a = 0;
    m->na = 0;
    m->mse = NAN;
    m->slow = NAN;
    m->nq = 0;
    m->chart = 0;
    m->var = 1;
    for (int k = 0; k < NSTAT; k++)
        tail_reset(&m->tl[k]);
}

static void reset(hr_det_ws *ws)
{
    model_reset(&ws->m[0]);
    model_reset(&ws->m[1]);
    ws->ngaps = 0;
    ws->have_t = 0;
    ws->slots = 0;
    ws->period_ms = 0;
    ws->ma_pos = ws->ma_seen = ws->ma_cnt = 0;
    ws->ma_sum = 0;
    ws->season_pts = 0;
    ws->absx = NAN;
    ws->refr = 0;
    ws->nfirst = ws->nov_ok = 0;
    ws->lk_sum = ws->lk_s1 = ws->lk_s2 = 0;
    ws->lk_pos = ws->lk_n = ws->lk_hp = 0;
    ws->dq_h = ws->dq_n = 0;
}

static int cmp_gap(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Learns the step from the first NSTEP positive gaps, then fixes the
 * daily slots (none when a day is not 4 .. MAXSLOTS steps). */
static void learn_step(hr_det_ws *ws, int64_t t)
{
    if (ws->have_t && t > ws->tprev && ws->ngaps < NSTEP) {
        ws->gaps[ws->ngaps++] = t - ws->tprev;
        if (ws->ngaps == NSTEP) {
            int64_t g[NSTEP];
            memcpy(g, ws->gaps, sizeof g);
            qsort(g, NSTEP, sizeof *g, cmp_gap);
            int64_t step = g[NSTEP / 2];
            int64_t slots = step > 0 ? (DAY_MS + step / 2) / step : 0;
            if (slots >= 4 && slots <= MAXSLOTS) {
                ws->slots = (size_t)slots;
                ws->period_ms = DAY_MS;
                memset(ws->scnt, 0, ws->slots);
                memset(ws->spos, 0, ws->slots);
                for (int k = 0; k < 2; k++) {
                    memset(ws->m[k].sn, 0, ws->slots);
                    memset(ws->m[k].sp, 0, ws->slots);
                    memset(ws->m[k].ssum, 0, ws->slots * sizeof(double));
                }
            }
        }
    }
    ws->tprev = t;
    ws->have_t = 1;
}

static size_t slot_of(const hr_det_ws *ws, int64_t t)
{
    int64_t r = t % ws->period_ms;
    if (r < 0)
        r += ws->period_ms;
    return (size_t)(r * (int64_t)ws->slots / ws->period_ms);
}

static double seas_get(const hr_det_ws *ws, size_t slot)
{
    int c = ws->scnt[slot];
    return c ? median3(ws->sv + slot * KS, c) : 0;
}

/* The residual scale of model m at slot (when the series has slots): the
 * mean clipped |e| of the slot and its SLOT_NB neighbours on each side over
 * the last KS periods, shrunk towards the all-slot scale with the weight
 * of PRIOR residuals; times 1.2533 (mean absolute deviation -> sd for
 * normal data). Noise often depends on the time of day (busy hours are
 * noisier), which one scale for all points would turn into false alarms. */
#define SLOT_NB 2
DET_TUNE double PRIOR = 5.0;
static double model_scale(const hr_det_ws *ws, const model *m, size_t slot, double floor_)
{
    double a = fmax(m->a, floor_);
    if (!ws->slots)
        return 1.2533 * a;
    double s = PRIOR * a, c = PRIOR;
    for (int d = -SLOT_NB; d <= SLOT_NB; d++) {
        size_t j = (slot + ws->slots + (size_t)(d + SLOT_NB) - SLOT_NB) % ws->slots;
        s += m->ssum[j];
        c += m->sn[j];
    }
    return 1.2533 * fmax(s / c, floor_);
}

/* One model's update after its residual e = v - prediction at slot, with
 * the scale sc it was judged by and dz its (deseasonalised) value: the
 * robust scales (Huber-clipped mean absolute residual, exponentially
 * weighted, and per slot), the EW mse, the slow level (a Huber M-estimate
 * of location, exponentially weighted) and the EWMA chart of the
 * standardised deviations from it (Roberts 1959; Lucas & Saccucci 1990). */
static void model_update(hr_det_ws *ws, model *m, double e, double dz, double sc, size_t slot,
                         double floor_)
{
    double ae = fabs(e);
    double cap = 4 * sc / 1.2533;
    if (m->na < 16) {
        m->a += (ae - m->a) / (double)(m->na + 1);
    } else {
        double cg = 4 * fmax(m->a, floor_);
        m->a += LAM_A * ((ae < cg ? ae : cg) - m->a);
    }
    m->na++;
    if (ws->slots) {
        double ce = m->na <= 16 ? ae : ae < cap ? ae : cap;
        double *r = m->sring + slot * KS;
        if (m->sn[slot] == KS)
            m->ssum[slot] -= r[m->sp[slot]];
        else
            m->sn[slot]++;
        r[m->sp[slot]] = ce;
        m->ssum[slot] += ce;
        m->sp[slot] = (unsigned char)((m->sp[slot] + 1) % KS);
    }
    double lam = m->na < 64 ? 1.0 / (double)m->na : 1.0 / 64;
    m->mse = isnan(m->mse) ? e * e : m->mse + lam * (e * e - m->mse);
    if (isnan(m->slow)) {
        m->slow = dz;
        return;
    }
    double zq = (dz - m->slow) / sc;
    double cz = zq > 3 ? 3 : zq < -3 ? -3 : zq;
    if (m->nq >= 16)
        m->chart += LAM_C * (cz - m->chart);
    m->nq++;
    double hz = zq > 2 ? 2 : zq < -2 ? -2 : zq;
    double lam_s = m->nq < 64 ? 1.0 / (double)m->nq : LAM_SLOW;
    m->slow += lam_s * hz * sc;
}

static double median_small(double *v, size_t n);
double *hr_det_debug; /* development: 8 values per point when set */

int hr_det_score(const double *x, const int64_t *t_ms, size_t n, hr_det_ws *ws, double *score)
{
    reset(ws);
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        score[i] = 0;
        if (t_ms)
            learn_step(ws, t_ms[i]);
        if (!isfinite(v))
            continue;
        ws->absx = isnan(ws->absx) ? fabs(v) : ws->absx + (fabs(v) - ws->absx) / 256;
        double floor_ = 1e-3 * ws->absx + 1e-12;
        if (!ws->nov_ok) {
            ws->first[ws->nfirst++] = v;
            if (ws->nfirst == 64) {
                double tmp[64];
                memcpy(tmp, ws->first, sizeof tmp);
                ws->m0 = median_small(tmp, 64);
                for (int j = 0; j < 64; j++)
                    tmp[j] = fabs(ws->first[j] - ws->m0);
                ws->d0 = fmax(1.4826 * median_small(tmp, 64), fmax(1e-3 * fabs(ws->m0), 1e-12));
                ws->nov_ok = 1;
            }
        }
        /* seasonal offset of this slot (0 until learnt) */
        size_t slot = 0;
        double s = 0;
        int seas_ok = 0;
        if (ws->slots) {
            slot = slot_of(ws, t_ms[i]);
            s = seas_get(ws, slot);
            seas_ok = ws->season_pts >= ws->slots;
        }
        /* predictions and residuals */
        double pred[2], dz[2] = {v, v - s};
        pred[0] = med_get(&ws->m[0].win);
        pred[1] = s + med_get(&ws->m[1].win);
        int sel = seas_ok && ws->m[1].mse < ws->m[0].mse ? 1 : 0;
        double lp = 0;
        int which = -1;
        int ready = ws->m[0].win.n == LW;
        double st[2][NSTAT] = {{0}};
        double scl[2];
        scl[0] = model_scale(ws, &ws->m[0], slot, floor_);
        scl[1] = ws->slots ? model_scale(ws, &ws->m[1], slot, floor_) : scl[0];
        if (ready) {
            /* each model's statistics, judged against that model's own
             * history (a model's residuals before it is in use, e.g. a
             * level model on a seasonal series, say nothing of the other) */
            for (int k = 0; k <= seas_ok; k++) {
                model *m = &ws->m[k];
                double z = (v - pred[k]) / scl[k];
                double z2 = z * z;
                m->var += LAM_V * ((z2 < 9 ? z2 : 9) - m->var);
                st[k][0] = fabs(z);
                st[k][1] = fabs(m->chart);
                st[k][2] = m->var;
                st[k][3] = isnan(m->slow) ? 0 : fabs(dz[k] - m->slow) / scl[k];
                st[k][4] = ws->nov_ok ? fmax(0, (v - ws->m0) / ws->d0) : 0;
                st[k][5] = ws->nov_ok ? fmax(0, (ws->m0 - v) / ws->d0) : 0;
            }
            model *m = &ws->m[sel];
            for (int k = 0; k < NSTAT; k++) {
                if (!((int)USE_MASK >> k & 1))
                    continue;
                double l = tail_lp(&m->tl[k], st[sel][k]);
                if (l < lp) {
                    lp = l;
                    which = k;
                }
            }
            lp += log10((double)__builtin_popcount((unsigned)USE_MASK));
            double sc01 = -lp / DECADES;
            sc01 = sc01 < 0 ? 0 : sc01 > 1 ? 1 : sc01;
            if (REFRACT > 0) {
                /* sliding max of the raw score over the last REFRACT points */
                size_t R = (size_t)REFRACT;
                while (ws->dq_n && ws->dq_i[ws->dq_h] + R < i) {
                    ws->dq_h = (ws->dq_h + 1) % DQ;
                    ws->dq_n--;
                }
                double r = ws->dq_n ? ws->dq_v[ws->dq_h] : 0;
                double raw = sc01;
                if (!(raw > r + DELTA))
                    sc01 *= SUPP;
                while (ws->dq_n && ws->dq_v[(ws->dq_h + ws->dq_n - 1) % DQ] <= raw)
                    ws->dq_n--;
                size_t tl = (ws->dq_h + ws->dq_n) % DQ;
                ws->dq_v[tl] = raw;
                ws->dq_i[tl] = i;
                ws->dq_n++;
            }
            if (LIK > 0) {
                /* HTM anomaly likelihood on the raw score (Ahmad et al. 2017) */
                int W = (int)LIK_W;
                double old = ws->lk_ring[ws->lk_pos % 16];
                ws->lk_ring[ws->lk_pos % 16] = sc01;
                ws->lk_sum += sc01 - (ws->lk_pos >= (size_t)W ? ws->lk_ring[(ws->lk_pos + 16 - W) % 16] : 0);
                (void)old;
                ws->lk_pos++;
                double ma = ws->lk_sum / (double)(ws->lk_pos < (size_t)W ? ws->lk_pos : (size_t)W);
                double out = 0;
                if (ws->lk_n >= 100) {
                    double mean = ws->lk_s1 / ws->lk_n, var = ws->lk_s2 / ws->lk_n - mean * mean;
                    if (mean < 0.03) mean = 0.03;
                    if (var < 0.0003) var = 0.0003;
                    double zz = (ma - mean) / sqrt(var);
                    double pp = 0.5 * erfc(zz / M_SQRT2);
                    out = -log10(pp + 1e-10) / 10;
                    if (out > 1) out = 1;
                    if (out < 0) out = 0;
                }
                /* history of ma */
                size_t H = 8640;
                if (ws->lk_n == H) {
                    double o = ws->lk_hist[ws->lk_hp];
                    ws->lk_s1 -= o; ws->lk_s2 -= o * o; ws->lk_n--;
                }
                ws->lk_hist[ws->lk_hp] = ma; ws->lk_hp = (ws->lk_hp + 1) % H;
                ws->lk_s1 += ma; ws->lk_s2 += ma * ma; ws->lk_n++;
                sc01 = out;
            }
            score[i] = sc01;
            for (int k = 0; k <= seas_ok; k++)
                for (int j = 0; j < NSTAT; j++)
                    tail_add(&ws->m[k].tl[j], st[k][j], ws);
        }
        if (hr_det_debug) {
            double *d = hr_det_debug + 8 * i;
            d[0] = pred[sel];
            d[1] = sel + 10 * which;
            d[2] = st[sel][0];
            d[3] = st[sel][1];
            d[4] = st[sel][2];
            d[5] = lp;
            d[6] = ws->m[sel].slow;
            d[7] = scl[sel];
        }
        /* updates */
        for (int k = 0; k < 2; k++) {
            if (k == 1 && !ws->slots)
                break;
            if (ready && !isnan(pred[k]))
                model_update(ws, &ws->m[k], v - pred[k], dz[k], scl[k], slot, floor_);
            med_push(&ws->m[k].win, dz[k]);
        }
        if (ws->slots) {
            /* trailing mean over one period, then this slot's offset */
            if (ws->ma_seen >= ws->slots && ws->ma_cnt * 2 >= ws->slots) {
                double ma = ws->ma_sum / (double)ws->ma_cnt;
                double *r = ws->sv + slot * KS;
                r[ws->spos[slot]] = v - ma;
                ws->spos[slot] = (unsigned char)((ws->spos[slot] + 1) % KS);
                if (ws->scnt[slot] < KS)
                    ws->scnt[slot]++;
                ws->season_pts++;
            }
            if (ws->ma_seen >= ws->slots) {
                double old = ws->ma[ws->ma_pos];
                if (isfinite(old)) {
                    ws->ma_sum -= old;
                    ws->ma_cnt--;
                }
            }
            ws->ma[ws->ma_pos] = v;
            ws->ma_sum += v;
            ws->ma_cnt++;
            ws->ma_pos = (ws->ma_pos + 1) % ws->slots;
            ws->ma_seen++;
            if (ws->ma_pos == 0) { /* re-add exactly once a period */
                double sum = 0;
                size_t c = 0, m = ws->ma_seen < ws->slots ? ws->ma_seen : ws->slots;
                for (size_t j = 0; j < m; j++)
                    if (isfinite(ws->ma[j])) {
                        sum += ws->ma[j];
                        c++;
                    }
                ws->ma_sum = sum;
                ws->ma_cnt = c;
            }
        }
    }
    return 0;
}

/* ---- spans ---- */

static double median_small(double *v, size_t n)
{
    /* insertion sort: n <= 32 */
    for (size_t i = 1; i < n; i++) {
        double t = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > t; j--)
            v[j] = v[j - 1];
        v[j] = t;
    }
    return n & 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

size_t hr_det_spans(const double *score, const double *x, size_t n, double threshold,
                    hr_det_span *out, size_t cap)
{
    size_t count = 0, i = 0;
    double lo = 0.5 * threshold;
    while (i < n) {
        if (!(score[i] >= threshold)) {
            i++;
            continue;
        }
        hr_det_span sp = {i, i, i, score[i], HR_DET_SPIKE};
        size_t j = i + 1, gap = 0;
        while (j < n && gap <= 3) {
            if (score[j] >= lo) {
                sp.end = j;
                gap = 0;
                if (score[j] > sp.peak_score) {
                    sp.peak = j;
                    sp.peak_score = score[j];
                }
            } else {
                gap++;
            }
            j++;
        }
        double buf[32];
        size_t m = 0;
        for (size_t k = sp.start; k > 0 && m < 32; k--)
            if (isfinite(x[k - 1]))
                buf[m++] = x[k - 1];
        double pre = m ? median_small(buf, m) : NAN;
        m = 0;
        for (size_t k = sp.end + 1; k < n && m < 32; k++)
            if (isfinite(x[k]))
                buf[m++] = x[k];
        double post = m ? median_small(buf, m) : NAN;
        /* the peak of the excursion: the point farthest from the level */
        double ex = 0;
        for (size_t k = sp.start; k <= sp.end; k++)
            if (isfinite(x[k]) && isfinite(pre) && fabs(x[k] - pre) > fabs(ex))
                ex = x[k] - pre;
        if (isfinite(pre) && isfinite(post) && fabs(post - pre) > 0.5 * fabs(ex) && ex != 0)
            sp.direction = HR_DET_SHIFT;
        else
            sp.direction = ex < 0 ? HR_DET_DIP : HR_DET_SPIKE;
        if (count < cap)
            out[count] = sp;
        count++;
        i = sp.end + 1;
    }
    return count;
}
