/* gen_fleet.c -- deterministic generator of a demo fleet with known truth.
 *
 * Writes hourly metrics of a fleet of services (cpu, memory, disk, request
 * and error counters, p99 latency) as the exports headroom ingests (long
 * CSV, Grafana wide CSV, Prometheus query_range JSON) or straight into a
 * headroom HDF5 store, together with the inventory, the events calendar,
 * the incident log, the changes log and truth.json: the ground truth
 * (organic growth, steps, saturation dates, anomalies, incidents, gaps,
 * the changes that caused incidents) that the engine's results
 * are judged against.
 *
 *   gen_fleet --out DIR [--seed N] [--services N] [--days N] [--yearly A]
 *   gen_fleet --store FILE.h5 [--seed N] [--services N] [--days N] [--yearly A]
 *
 * Model of one series (hour index h, t = t0 + h hours):
 *   noiseless(h) = scale * exp(rate_h * h) * level(h) * season(dow, hour)
 *   value(h)     = noiseless(h) * anomaly(h) * (1 + e(h))
 * where exp(rate_h * h) is the organic component (rate_h = ln(1 + g30) /
 * 720, g30 the growth per 30 days), level(h) the product of (1 + delta) of
 * the inorganic steps at or before h, season = (1 + amp * daily(hour)) *
 * weekly(dow) with daily() a two-harmonic shape of mean 0 and maximum 1 at
 * the service's peak hour, and e an AR(1) noise. Counters integrate the
 * per-second rate hour by hour (the increment that ends at slot h is
 * round(rate(h) * 3600)), so headroom's rate of slot h is rate(h). p99
 * latency is L0 * (1 + kappa * (cpu / cpu_capacity)^2) * anomaly * noise.
 *
 * Problems: incidents start on an origin service and may spread to others
 * (some are missing from the log); a weekly batch job overruns on one
 * service on REC_WEEKS consecutive Mondays at 03:00 UTC for 2 h, worse
 * every week (a recurring problem, see make_incidents); and the service
 * "checkout" carries two SLOs (availability: errors / requests at 99.9%;
 * latency: 95% of hours with p99 at or under a threshold) whose budgets
 * two error_burst incidents burn within the last 30 days: a slow burn
 * (about 0.85% errors for 10-12 h) and, later, a fast one (about 5% for
 * 2 h), each with a p99 spike. checkout's baseline error fraction is
 * SLO_EFRAC (0.01%, a tenth of the 99.9% budget) instead of the drawn one.
 * truth.json's "slos" gives each SLO's events, SLI, budget, burns and
 * multiwindow burn-rate alerts, counted on the exported values with
 * headroom's rate rule (conventions.slo).
 *
 * New draws (the recurring problem's effects, the burns) come from streams
 * of their own, so the rest of the fleet is drawn as before.
 *
 * Deterministic: every random draw comes from a splitmix64 stream seeded
 * from (--seed, purpose, index), so the same arguments give byte-identical
 * files. Prints nothing on success; errors go to stderr as
 * "gen_fleet: error: ..." and the exit status is a sysexits code. */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fileio.h"
#include "numfmt.h"
#include "series.h"
#include "store.h"
#include "timefmt.h"

#define HOUR_MS INT64_C(3600000)
#define DAY_MS INT64_C(86400000)
#define HORIZON_DAYS 730
#define GIB 1073741824.0

#define MAXSTEP 2
#define MAXSPAN 16
#define MAXGAP 8
#define MAXPE 4
#define MAXISVC 4

/* The recurring problem: a weekly job overrunning on REC_WEEKS Mondays
 * at REC_HOUR UTC for REC_DUR hours. */
#define REC_WEEKS 5
#define REC_HOUR 3
#define REC_DUR 2

/* The SLOs of SLO_SVC (NAMES[0], always present) over the last
 * SLO_WINDOW_D days: an availability SLO at SLO_AVAIL_OBJ and a latency
 * SLO at SLO_LAT_OBJ (datasets/demo/demo.ini states the same). SLO_EFRAC
 * replaces the service's drawn error fraction (5e-4..6e-3: even the least
 * would burn half of a 99.9% budget by itself). */
#define SLO_SVC "checkout"
#define SLO_EFRAC 1e-4
#define SLO_WINDOW_D 30
#define SLO_AVAIL_OBJ 0.999
#define SLO_LAT_OBJ 0.95
#define MAXBURN 2

enum { M_CPU, M_MEM, M_DISK, M_REQ, M_ERR, M_LAT, NMET };
static const char *const METRIC[NMET] = {"cpu_used_cores",      "mem_used_bytes",    "disk_used_bytes",
                                         "http_requests_total", "http_errors_total", "latency_p99_ms"};
static const char *const UNIT[NMET] = {"cores", "bytes", "bytes", "requests/s", "errors/s", "ms"};
/* Order of the metrics in the store: the order `headroom ingest exports/...`
 * meets them (cpu_mem_disk.csv, latency_grafana.csv, requests_prometheus.json). */
static const int SET_ORDER[NMET] = {M_CPU, M_MEM, M_DISK, M_LAT, M_REQ, M_ERR};
/* The capacity-planned resources and their target utilisation. */
#define NCAP 4
static const int CAP_MET[NCAP] = {M_CPU, M_MEM, M_DISK, M_REQ};
static const double CAP_TARGET[NCAP] = {0.70, 0.85, 0.80, 0.75};

static const char *const NAMES[] = {"checkout", "search",   "payments", "catalog",   "auth",
                                    "cart",     "inventory", "shipping", "pricing",  "recommendations",
                                    "notifications", "users", "orders",  "reviews",  "gateway",
                                    "media",    "analytics", "billing",  "fraud",    "ledger",
                                    "sessions", "email",    "geo",      "ads"};
#define NNAMES (sizeof NAMES / sizeof NAMES[0])

/* ---- random numbers ------------------------------------------------------ */

/* splitmix64 (Steele, Lea and Flood 2014, as in Vigna's reference code):
 * tiny, fast, and good enough to drive a simulation. */
typedef struct rng {
    uint64_t s;
    int has_spare;
    double spare;
} rng;

static uint64_t rng_u64(rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* An independent stream for (seed, purpose, index). */
static rng rng_make(uint64_t seed, uint64_t purpose, uint64_t index)
{
    rng r = {seed, 0, 0};
    r.s = rng_u64(&r) ^ (purpose * UINT64_C(0xD1B54A32D192ED03));
    r.s = rng_u64(&r) ^ (index * UINT64_C(0x8CB92BA72F3D8DD7));
    (void)rng_u64(&r);
    return r;
}

static double rng_u01(rng *r) /* [0, 1) */
{
    return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}

static double rng_unif(rng *r, double a, double b)
{
    return a + (b - a) * rng_u01(r);
}

static double rng_logu(rng *r, double a, double b)
{
    return exp(rng_unif(r, log(a), log(b)));
}

static long rng_int(rng *r, long lo, long hi) /* inclusive */
{
    if (hi <= lo)
        return lo;
    return lo + (long)(rng_u64(r) % (uint64_t)(hi - lo + 1));
}

/* Standard normal by Box-Muller, keeping the second value. */
static double rng_gauss(rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u1 = 1.0 - rng_u01(r), u2 = rng_u01(r);
    double rad = sqrt(-2.0 * log(u1)), th = 2.0 * M_PI * u2;
    r->spare = rad * sin(th);
    r->has_spare = 1;
    return rad * cos(th);
}

static void rng_shuffle(rng *r, long *a, long n)
{
    for (long i = n - 1; i > 0; i--) {
        long j = rng_int(r, 0, i), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* Rounds to a number of decimals so that the printed value is exact. */
static double round_dec(double x, int dec)
{
    double p = pow(10.0, dec);
    return round(x * p) / p;
}

/* ---- the fleet ----------------------------------------------------------- */

typedef struct step {
    long h;      /* first hour at the new level */
    double pct;  /* change relative to the level before, % */
    int event;   /* index into fleet.ev, or -1 when unexplained */
} step;

typedef struct span {
    long h0, h1; /* [h0, h1) hours */
    double factor;
    int inc;     /* index into fleet.inc */
    int origin;  /* the incident's origin service */
} span;

typedef struct gap {
    long h0, h1;
} gap;

typedef struct model {
    int svc, met;
    char key[160];
    double scale;     /* level at hour 0, before steps and seasonality */
    double pct30;     /* organic growth, % per 30 days */
    double rate_h;    /* organic log-growth per hour */
    double amp, wk;   /* daily amplitude, weekend drop */
    int peak_hour;    /* UTC hour of the daily peak */
    double sd, phi;   /* AR(1) noise: marginal sd and lag-1 correlation */
    double kappa;     /* latency: rise with squared cpu utilisation */
    double seas[7 * 24];
    step steps[MAXSTEP];
    int nsteps;
    span spans[MAXSPAN];
    int nspans;
    gap gaps[MAXGAP];
    int ngaps;
    long reset_h;     /* counter reset hour, -1 none */
    long pe_h[MAXPE]; /* planned events with a stated change covering it */
    double pe_f[MAXPE];
    int npe;
    int has_cap;
    double capacity, target, unit_cap;
    long units;
    int redundancy, lead_days;
    double peak_asof;
    long sat_org, sat_ev; /* days after the as-of day, -1 = none in the horizon */
} model;

enum { EV_STEP, EV_NOEFFECT, EV_PLANNED };

typedef struct event {
    long day;   /* days since the start (beyond the history for planned) */
    int kind;
    int has_pct;
    double pct;
    char name[128];
    char scope[160];
} event;

enum { I_CPU, I_LAT, I_ERR, I_DIP, NITYPE };
static const char *const ITYPE[NITYPE] = {"cpu_spike", "latency_spike", "error_burst", "traffic_dip"};
static const char *const ITITLE[NITYPE] = {"CPU saturation after a bad deploy", "elevated p99 latency (database contention)",
                                           "burst of 5xx errors", "traffic drop (load balancer misroute)"};

typedef struct incident {
    int type; /* of the origin */
    int n;
    int svc[MAXISVC], typ[MAXISVC];
    long h0[MAXISVC], h1[MAXISVC];
    int listed, recurring;
    long det_min, res_min;
    char title[160];
} incident;

/* One change of the changes log: a deploy, config push or flag flip.
 * cause: the incident it set off (index into fleet.inc), or -1. */
enum { CK_DEPLOY, CK_CONFIG, CK_FLAG };
static const char *const CKIND[] = {"deploy", "config", "flag"};
typedef struct chg {
    int64_t t_s;       /* seconds since the start */
    int svc, kind;
    long lead_min;     /* commit to production, minutes; -1: no commit time */
    long rollback_of;  /* index into fleet.chg, or -1 */
    int cause;         /* incident index, or -1 */
    int step_met;      /* the metric of the unexplained step it came with, or -1 */
    long id;
} chg;

typedef struct fleet {
    uint64_t seed;
    long nsvc, days, N, asof_day;
    int64_t t0_ms;
    int dow0; /* day of week of the first day, 0 = Sunday */
    char (*names)[32];
    model *m; /* service s, metric k at s * NMET + k */
    event *ev;
    size_t nev, capev;
    incident *inc;
    size_t ninc, capinc;
    unsigned char *busy; /* nsvc * days: a step, incident, reset or outage is near */
    long slo_svc;        /* the SLO service, -1 when absent */
    double slo_lat_thr;  /* its latency threshold, ms */
    struct burn {
        long h0, h1;     /* [h0, h1) hours */
        int fast;        /* fast or slow burn */
    } burn[MAXBURN];
    int nburn;
    struct chg *chg;     /* the changes log (make_changes), by time */
    size_t nchg;
    double yearly;       /* --yearly: the December peak's log amplitude (0: none) */
} fleet;

static model *M(const fleet *f, long s, int met)
{
    return &f->m[s * NMET + met];
}

static int oom(hr_err *err)
{
    return hr_err_set(err, HR_ESOFTWARE, "out of memory");
}

static event *ev_add(fleet *f)
{
    if (f->nev == f->capev) {
        size_t nc = f->capev ? 2 * f->capev : 64;
        event *p = realloc(f->ev, nc * sizeof *p);
        if (!p)
            return NULL;
        f->ev = p;
        f->capev = nc;
    }
    event *e = &f->ev[f->nev++];
    memset(e, 0, sizeof *e);
    return e;
}

static incident *inc_add(fleet *f)
{
    if (f->ninc == f->capinc) {
        size_t nc = f->capinc ? 2 * f->capinc : 64;
        incident *p = realloc(f->inc, nc * sizeof *p);
        if (!p)
            return NULL;
        f->inc = p;
        f->capinc = nc;
    }
    incident *e = &f->inc[f->ninc++];
    memset(e, 0, sizeof *e);
    return e;
}

/* Is service s free of other happenings from hour h0 to h1 (exclusive),
 * with margin_d days either side? */
static int busy_free(const fleet *f, long s, long h0, long h1, long margin_d)
{
    long d0 = h0 / 24 - margin_d, d1 = (h1 - 1) / 24 + margin_d;
    if (d0 < 0)
        d0 = 0;
    if (d1 >= f->days)
        d1 = f->days - 1;
    for (long d = d0; d <= d1; d++)
        if (f->busy[s * f->days + d])
            return 0;
    return 1;
}

static void busy_mark(fleet *f, long s, long h0, long h1, long margin_d)
{
    long d0 = h0 / 24 - margin_d, d1 = (h1 - 1) / 24 + margin_d;
    if (d0 < 0)
        d0 = 0;
    if (d1 >= f->days)
        d1 = f->days - 1;
    for (long d = d0; d <= d1; d++)
        f->busy[s * f->days + d] = 1;
}

/* ---- the noiseless model ------------------------------------------------- */

static double level_at(const model *m, long h)
{
    double l = 1.0;
    for (int i = 0; i < m->nsteps; i++)
        if (h >= m->steps[i].h)
            l *= 1.0 + m->steps[i].pct / 100.0;
    return l;
}

/* The yearly season of day `day` (from the first day) under --yearly A:
 * exp(A (peak - 0.4 lull)), peak a Gaussian bump of 10 days around 15
 * December and lull one of 30 days around 1 August (days of a 365.2425-
 * day year from 1 January 2025, the generator's first day), both
 * repeating every year; 1 without --yearly. Disk usage has none. */
static double yearly_factor(const fleet *f, long day)
{
    if (!(f->yearly > 0))
        return 1.0;
    double doy = fmod((double)day, 365.2425);
    double dp = doy - 348, dl = doy - 212;
    dp -= 365.2425 * floor(dp / 365.2425 + 0.5);
    dl -= 365.2425 * floor(dl / 365.2425 + 0.5);
    return exp(f->yearly * (exp(-0.5 * dp * dp / 100.0) - 0.4 * exp(-0.5 * dl * dl / 900.0)));
}

/* Noiseless value at hour h (h may lie beyond the history): organic trend x
 * steps x seasonality, without anomalies or planned events. */
static double noiseless(const fleet *f, const model *m, long h)
{
    if (m->met == M_LAT) {
        const model *c = M(f, m->svc, M_CPU);
        double rho = noiseless(f, c, h) / c->capacity;
        return m->scale * (1.0 + m->kappa * rho * rho);
    }
    long day = h / 24;
    int dow = (int)((day + f->dow0) % 7);
    double y = m->met == M_DISK ? 1.0 : yearly_factor(f, day);
    return m->scale * exp(m->rate_h * (double)h) * level_at(m, h) * m->seas[dow * 24 + h % 24] * y;
}

/* Multiplier of the planned events with a stated change at hour h. */
static double planned_mult(const model *m, long h)
{
    double x = 1.0;
    for (int i = 0; i < m->npe; i++)
        if (h >= m->pe_h[i])
            x *= m->pe_f[i];
    return x;
}

static double day_peak(const fleet *f, const model *m, long day, int with_events)
{
    double best = -HUGE_VAL;
    for (long hh = 0; hh < 24; hh++) {
        long h = day * 24 + hh;
        double v = noiseless(f, m, h);
        if (with_events)
            v *= planned_mult(m, h);
        if (v > best)
            best = v;
    }
    return best;
}

/* Days after the as-of day at which the daily peak first reaches thr (0 =
 * already at the as-of day), -1 when not within HORIZON_DAYS. */
static long first_saturation(const fleet *f, const model *m, double thr, int with_events)
{
    for (long k = 0; k <= HORIZON_DAYS; k++)
        if (day_peak(f, m, f->asof_day + k, with_events) >= thr)
            return k;
    return -1;
}

/* Daily shape: mean 0 over the day, maximum 1 at the peak hour, minimum
 * -0.6 twelve hours later (a broad afternoon peak and a night trough). */
static double daily_shape(int hour, int peak)
{
    double x = 2.0 * M_PI * (double)(hour - peak) / 24.0;
    return (cos(x) + 0.25 * cos(2.0 * x)) / 1.25;
}

static double weekly_factor(int dow, double wk)
{
    switch (dow) {
    case 0: return 1.0 - 1.1 * wk; /* Sunday */
    case 5: return 1.0 - 0.15 * wk; /* Friday */
    case 6: return 1.0 - wk;        /* Saturday */
    default: return 1.0;
    }
}

static void model_finish(model *m)
{
    m->rate_h = log1p(m->pct30 / 100.0) / 720.0;
    for (int d = 0; d < 7; d++)
        for (int h = 0; h < 24; h++)
            m->seas[d * 24 + h] = (1.0 + m->amp * daily_shape(h, m->peak_hour)) * weekly_factor(d, m->wk);
}

/* ---- building the fleet -------------------------------------------------- */

static double draw_growth(rng *r)
{
    double u = rng_u01(r);
    if (u < 0.12)
        return round_dec(rng_unif(r, -1.5, -0.2), 2); /* shrinking a little */
    if (u < 0.27)
        return round_dec(rng_unif(r, -0.2, 0.4), 2); /* flat */
    return round_dec(rng_unif(r, 0.6, 6.0), 2);
}

static int make_services(fleet *f, hr_err *err)
{
    f->names = calloc((size_t)f->nsvc, sizeof *f->names);
    f->m = calloc((size_t)(f->nsvc * NMET), sizeof *f->m);
    f->busy = calloc((size_t)(f->nsvc * f->days), 1);
    if (!f->names || !f->m || !f->busy)
        return oom(err);
    for (long s = 0; s < f->nsvc; s++) {
        if ((size_t)s < NNAMES)
            snprintf(f->names[s], sizeof f->names[s], "%s", NAMES[s]);
        else
            snprintf(f->names[s], sizeof f->names[s], "svc-%03ld", s + 1);
        rng r = rng_make(f->seed, 1, (uint64_t)s);
        double g = draw_growth(&r);
        int peak = (int)rng_int(&r, 13, 17);
        double amp = round_dec(rng_unif(&r, 0.20, 0.50), 3);
        double wk = round_dec(rng_unif(&r, 0.08, 0.30), 3);
        double qps = round_dec(rng_logu(&r, 20.0, 3000.0), 1);
        double cores = round_dec(rng_logu(&r, 2.0, 120.0), 2);
        double mem = round(rng_logu(&r, 8.0, 768.0) * 16.0) * GIB / 16.0;
        double disk = round(rng_logu(&r, 200.0, 40960.0)) * GIB;
        double l0 = round_dec(rng_logu(&r, 40.0, 450.0), 1);
        double efrac = round_dec(rng_logu(&r, 5e-4, 6e-3), 5);
        if (s == f->slo_svc)
            efrac = SLO_EFRAC; /* drawn all the same: the stream stays as it was */
        double mem_g = round_dec(g * rng_unif(&r, 0.5, 1.0), 2);
        double disk_g = rng_u01(&r) < 0.15 ? round_dec(rng_unif(&r, -0.1, 0.3), 2)
                                           : round_dec(rng_unif(&r, 0.5, 5.5), 2);
        double kappa = round_dec(rng_unif(&r, 0.4, 0.9), 2);
        for (int k = 0; k < NMET; k++) {
            model *m = M(f, s, k);
            m->svc = (int)s;
            m->met = k;
            m->reset_h = -1;
            m->sat_org = m->sat_ev = -1;
            m->peak_hour = peak;
            snprintf(m->key, sizeof m->key, "%s{service=\"%s\"}", METRIC[k], f->names[s]);
            switch (k) {
            case M_CPU:
                m->scale = cores, m->pct30 = g, m->amp = round_dec(0.8 * amp, 4), m->wk = round_dec(0.8 * wk, 4);
                m->sd = 0.03, m->phi = 0.5;
                break;
            case M_MEM:
                m->scale = mem, m->pct30 = mem_g, m->amp = round_dec(0.15 * amp, 4),
                m->wk = round_dec(0.15 * wk, 4);
                m->sd = 0.01, m->phi = 0.85;
                break;
            case M_DISK:
                m->scale = disk, m->pct30 = disk_g, m->amp = 0, m->wk = 0;
                m->sd = 0.0015, m->phi = 0.9;
                break;
            case M_REQ:
                m->scale = qps, m->pct30 = g, m->amp = amp, m->wk = wk;
                m->sd = 0.03, m->phi = 0.5;
                break;
            case M_ERR:
                m->scale = qps * efrac, m->pct30 = g, m->amp = amp, m->wk = wk;
                m->sd = 0.15, m->phi = 0.3;
                break;
            case M_LAT:
                m->scale = l0, m->pct30 = 0, m->amp = 0, m->wk = 0, m->kappa = kappa;
                m->sd = 0.05, m->phi = 0.5;
                break;
            }
            model_finish(m);
        }
    }
    return HR_OK;
}

static const char *const POS_PHRASE[] = {
    "launch of the v2 API",          "onboarding of enterprise tenants", "regional expansion to eu-west",
    "migration of legacy traffic onto the new stack", "mobile app 5.0 release", "partner integration go-live",
    "personalised ranking rollout",  "spring sale campaign"};
static const char *const NEG_PHRASE[] = {"migration of batch traffic to a dedicated cluster",
                                         "decommission of the v1 endpoints", "traffic shift to a new region"};

static long hist_lo(const fleet *f, double share, long min_d)
{
    long d = (long)((double)f->days * share);
    return d < min_d ? min_d : d;
}

/* Inorganic steps on about a third of the services; two thirds of them
 * listed in the calendar within a day, with or without a stated change. */
static int make_steps(fleet *f, hr_err *err)
{
    rng r = rng_make(f->seed, 2, 0);
    long n = lround((double)f->nsvc / 3.0);
    if (n < 1)
        n = 1;
    long *perm = malloc((size_t)f->nsvc * sizeof *perm), *ord = malloc((size_t)n * sizeof *ord);
    char *listed = calloc((size_t)n, 1), *neg = calloc((size_t)n, 1);
    if (!perm || !ord || !listed || !neg) {
        free(perm), free(ord), free(listed), free(neg);
        return oom(err);
    }
    for (long i = 0; i < f->nsvc; i++)
        perm[i] = i;
    rng_shuffle(&r, perm, f->nsvc);
    for (long i = 0; i < n; i++)
        ord[i] = i;
    rng_shuffle(&r, ord, n);
    for (long j = 0; j < (2 * n + 1) / 3; j++)
        listed[ord[j]] = 1;
    int anyneg = 0;
    for (long i = 0; i < n; i++)
        anyneg |= neg[i] = rng_u01(&r) < 0.22;
    if (!anyneg && n >= 3)
        neg[1] = 1;
    long lo = hist_lo(f, 0.12, 30), hi = f->days - lo;
    int rc = HR_OK;
    for (long i = 0; i < n; i++) {
        long s = perm[i];
        long d = rng_int(&r, lo, hi);
        long h = d * 24 + rng_int(&r, 8, 18);
        double pct = neg[i] ? round_dec(rng_unif(&r, -25.0, -10.0), 1) : round_dec(rng_unif(&r, 8.0, 40.0), 1);
        double mem_pct = round_dec(pct * rng_unif(&r, 0.4, 0.7), 1);
        const char *phrase = neg[i] ? NEG_PHRASE[rng_int(&r, 0, (long)(sizeof NEG_PHRASE / sizeof *NEG_PHRASE) - 1)]
                                    : POS_PHRASE[rng_int(&r, 0, (long)(sizeof POS_PHRASE / sizeof *POS_PHRASE) - 1)];
        long ev_day = d + rng_int(&r, -1, 1);
        int has_pct = rng_u01(&r) < 0.6;
        double stated = round(pct * rng_unif(&r, 0.8, 1.2));
        int evi = -1;
        if (listed[i]) {
            event *e = ev_add(f);
            if (!e) {
                rc = oom(err);
                break;
            }
            evi = (int)(f->nev - 1);
            e->day = ev_day;
            e->kind = EV_STEP;
            e->has_pct = has_pct;
            e->pct = stated;
            snprintf(e->name, sizeof e->name, "%s: %s", f->names[s], phrase);
            snprintf(e->scope, sizeof e->scope, "service=%s", f->names[s]);
        }
        static const int affected[] = {M_CPU, M_REQ, M_ERR, M_MEM};
        for (size_t k = 0; k < sizeof affected / sizeof *affected; k++) {
            model *m = M(f, s, affected[k]);
            m->steps[m->nsteps++] = (step){h, affected[k] == M_MEM ? mem_pct : pct, evi};
        }
        busy_mark(f, s, h, h + 1, 3);
    }
    /* one calendar entry with no visible effect */
    if (rc == HR_OK && f->nsvc > n) {
        long s = perm[rng_int(&r, n, f->nsvc - 1)];
        event *e = ev_add(f);
        if (!e)
            rc = oom(err);
        else {
            e->day = rng_int(&r, lo, hi);
            e->kind = EV_NOEFFECT;
            snprintf(e->name, sizeof e->name, "%s: TLS certificate rotation", f->names[s]);
            snprintf(e->scope, sizeof e->scope, "service=%s", f->names[s]);
        }
    }
    free(perm), free(ord), free(listed), free(neg);
    return rc;
}

/* Process restarts: both counters of a service restart from zero. */
static void make_resets(fleet *f)
{
    rng r = rng_make(f->seed, 3, 0);
    long n = lround((double)f->nsvc / 12.0);
    if (n < 1)
        n = 1;
    long lo = hist_lo(f, 0.05, 15) * 24, hi = (f->days - hist_lo(f, 0.05, 15)) * 24;
    for (long i = 0; i < n; i++)
        for (int tries = 0; tries < 100; tries++) {
            long s = rng_int(&r, 0, f->nsvc - 1), h = rng_int(&r, lo, hi);
            if (M(f, s, M_REQ)->reset_h >= 0 || !busy_free(f, s, h, h + 1, 1))
                continue;
            M(f, s, M_REQ)->reset_h = M(f, s, M_ERR)->reset_h = h;
            busy_mark(f, s, h, h + 1, 1);
            break;
        }
}

static int add_span(model *m, long h0, long h1, double factor, int inc, int origin)
{
    if (m->nspans >= MAXSPAN)
        return -1;
    m->spans[m->nspans++] = (span){h0, h1, factor, inc, origin};
    return 0;
}

static int svc_can(const fleet *f, long s, long h0, long h1)
{
    for (int k = 0; k < NMET; k++)
        if (M(f, s, k)->nspans > MAXSPAN - 2)
            return 0;
    return busy_free(f, s, h0, h1, 1);
}

static void apply_effect(fleet *f, rng *r, long s, int typ, long h0, long h1, int inc, int origin)
{
    switch (typ) {
    case I_CPU:
        add_span(M(f, s, M_CPU), h0, h1, round_dec(rng_unif(r, 1.6, 2.3), 2), inc, origin);
        add_span(M(f, s, M_LAT), h0, h1, round_dec(rng_unif(r, 1.4, 1.9), 2), inc, origin);
        break;
    case I_LAT:
        add_span(M(f, s, M_LAT), h0, h1, round_dec(rng_unif(r, 2.5, 5.0), 2), inc, origin);
        add_span(M(f, s, M_ERR), h0, h1, round_dec(rng_unif(r, 4.0, 10.0), 2), inc, origin);
        break;
    case I_ERR:
        add_span(M(f, s, M_ERR), h0, h1, round_dec(rng_unif(r, 12.0, 40.0), 2), inc, origin);
        break;
    case I_DIP: {
        double x = round_dec(rng_unif(r, 0.30, 0.55), 2);
        add_span(M(f, s, M_REQ), h0, h1, x, inc, origin);
        add_span(M(f, s, M_CPU), h0, h1, round_dec(1.0 - 0.8 * (1.0 - x), 2), inc, origin);
        break;
    }
    }
    busy_mark(f, s, h0, h1, 1);
}

static int downstream_type(rng *r, int origin_type)
{
    switch (origin_type) {
    case I_CPU:
    case I_LAT: return rng_u01(r) < 0.5 ? I_LAT : I_ERR;
    case I_ERR: return I_ERR;
    default: return I_DIP;
    }
}

/* Incidents: one per time bin, a third of them spreading from an origin
 * service to 1-3 others whose onsets follow by 1-2 hours; plus one
 * recurring problem: a weekly batch job (a reindex) that overruns on one
 * service on REC_WEEKS consecutive Mondays at REC_HOUR UTC for REC_DUR
 * hours. Its input grows, so it gets worse every week: cpu x2.2 rising to
 * x2.6 (in the night trough), p99 x1.3 rising to x3.25 (x1.26 a week),
 * and from the third week on it holds locks long enough for requests to
 * time out: 5xx x3, doubling every week. A causal detector calibrated on
 * its own history learns a repeated spike of one size (its tail then holds
 * the earlier ones), so the same overrun every week would be seen once or
 * twice; the escalation and the errors that join later keep each week
 * visible on one series or another. The service and first Monday come
 * from the incidents' stream as before; the effects from a stream of
 * their own. */
static int make_incidents(fleet *f, hr_err *err)
{
    rng r = rng_make(f->seed, 4, 0);
    long n = lround((double)f->nsvc * 0.45);
    if (n < 2)
        n = 2;
    long lo = 21, hi = f->days - 3;
    double bw = (double)(hi - lo) / (double)n;
    int toff = (int)rng_int(&r, 0, NITYPE - 1);
    for (long i = 0; i < n; i++) {
        int type = (int)((i + toff) % NITYPE);
        int corr = (i % 3 == 1) && f->nsvc >= 2;
        long nserv = corr ? rng_int(&r, 2, f->nsvc < MAXISVC ? f->nsvc : MAXISVC) : 1;
        long b0 = (long)floor(((double)lo + bw * (double)i) * 24.0);
        long b1 = (long)floor(((double)lo + bw * (double)(i + 1)) * 24.0) - 12;
        long h0 = rng_int(&r, b0, b1 > b0 ? b1 : b0);
        long dur = rng_int(&r, 1, 6);
        long s = -1;
        for (int tries = 0; tries < 200 && s < 0; tries++) {
            long c = rng_int(&r, 0, f->nsvc - 1);
            if (svc_can(f, c, h0, h0 + dur + 8))
                s = c;
        }
        if (s < 0)
            continue;
        incident *in = inc_add(f);
        if (!in)
            return oom(err);
        int id = (int)(f->ninc - 1);
        in->type = type;
        in->svc[0] = (int)s, in->typ[0] = type, in->h0[0] = h0, in->h1[0] = h0 + dur;
        in->n = 1;
        /* reserve the origin before choosing the others */
        busy_mark(f, s, h0, h0 + dur, 1);
        for (long k = 1; k < nserv; k++) {
            long off = rng_int(&r, 1, 2), d2 = rng_int(&r, 1, 6);
            long c = -1;
            for (int tries = 0; tries < 200 && c < 0; tries++) {
                long x = rng_int(&r, 0, f->nsvc - 1);
                if (svc_can(f, x, h0 + off, h0 + off + d2))
                    c = x;
            }
            if (c < 0)
                break;
            in->svc[in->n] = (int)c;
            in->typ[in->n] = downstream_type(&r, type);
            in->h0[in->n] = h0 + off;
            in->h1[in->n] = h0 + off + d2;
            busy_mark(f, c, h0 + off, h0 + off + d2, 1);
            in->n++;
        }
        for (int k = 0; k < in->n; k++)
            apply_effect(f, &r, in->svc[k], in->typ[k], in->h0[k], in->h1[k], id, k == 0);
        in->listed = (i % 5 != 3);
        in->det_min = rng_int(&r, 2, 15);
        in->res_min = rng_int(&r, 5, 45);
        snprintf(in->title, sizeof in->title, "%s: %s", f->names[s], ITITLE[type]);
    }
    /* a recurring problem: a weekly batch job overrunning on Monday nights */
    if (f->nsvc >= 4 && f->days >= 120) {
        rng rr = rng_make(f->seed, 8, 0);
        long d_lo = (long)((double)f->days * 0.55), d_hi = (long)((double)f->days * 0.75);
        for (int tries = 0; tries < 200; tries++) {
            long s = rng_int(&r, 0, f->nsvc - 1), d = rng_int(&r, d_lo, d_hi);
            while ((d + f->dow0) % 7 != 1)
                d++;
            int ok = (d + 7 * (REC_WEEKS - 1)) * 24 + REC_HOUR + REC_DUR <= (f->days - 3) * 24;
            for (int w = 0; w < REC_WEEKS && ok; w++)
                ok = svc_can(f, s, (d + 7 * w) * 24 + REC_HOUR, (d + 7 * w) * 24 + REC_HOUR + REC_DUR);
            if (!ok)
                continue;
            for (int w = 0; w < REC_WEEKS; w++) {
                incident *in = inc_add(f);
                if (!in)
                    return oom(err);
                long h0 = (d + 7 * w) * 24 + REC_HOUR, h1 = h0 + REC_DUR;
                int id = (int)(f->ninc - 1);
                in->type = I_CPU;
                in->n = 1;
                in->svc[0] = (int)s, in->typ[0] = I_CPU, in->h0[0] = h0, in->h1[0] = h1;
                in->listed = w > 0; /* the first overrun went unnoticed */
                in->recurring = 1;
                in->det_min = rng_int(&rr, 2, 15);
                in->res_min = rng_int(&rr, 5, 45);
                snprintf(in->title, sizeof in->title, "%s: CPU saturation during the weekly reindex", f->names[s]);
                double fr = (double)w / (REC_WEEKS - 1); /* 0 the first week, 1 the last */
                add_span(M(f, s, M_CPU), h0, h1, round_dec(2.2 + 0.4 * fr + rng_unif(&rr, -0.03, 0.03), 2), id, 1);
                add_span(M(f, s, M_LAT), h0, h1, round_dec(1.3 * pow(2.5, fr) * rng_unif(&rr, 0.97, 1.03), 2), id, 1);
                if (w >= 2) /* request timeouts */
                    add_span(M(f, s, M_ERR), h0, h1, round_dec(3.0 * pow(2.0, w - 2) * rng_unif(&rr, 0.9, 1.1), 2), id,
                             1);
                busy_mark(f, s, h0, h1, 1);
            }
            break;
        }
    }
    return HR_OK;
}

static void add_gap(model *m, long h0, long h1)
{
    if (m->ngaps < MAXGAP)
        m->gaps[m->ngaps++] = (gap){h0, h1};
}

static int in_gap(const model *m, long h)
{
    for (int i = 0; i < m->ngaps; i++)
        if (h >= m->gaps[i].h0 - 1 && h < m->gaps[i].h1 + 1)
            return 1;
    return 0;
}

/* Gaps: single missing hours in a few series, and scrape outages of a
 * day or two in which all six series of one service have no data. */
static void make_gaps(fleet *f)
{
    rng r = rng_make(f->seed, 5, 0);
    long margin = hist_lo(f, 0.03, 10);
    long nout = lround((double)f->nsvc / 24.0);
    if (nout < 1)
        nout = 1;
    for (long i = 0; i < nout; i++)
        for (int tries = 0; tries < 200; tries++) {
            long s = rng_int(&r, 0, f->nsvc - 1), len = rng_int(&r, 24, 48);
            long h0 = rng_int(&r, margin * 24, (f->days - margin) * 24 - len);
            if (!busy_free(f, s, h0, h0 + len, 1) || M(f, s, M_CPU)->ngaps >= MAXGAP)
                continue;
            for (int k = 0; k < NMET; k++)
                add_gap(M(f, s, k), h0, h0 + len);
            busy_mark(f, s, h0, h0 + len, 1);
            break;
        }
    long nsingle = lround((double)f->nsvc / 4.0);
    if (nsingle < 2)
        nsingle = 2;
    for (long i = 0; i < nsingle; i++) {
        long s = rng_int(&r, 0, f->nsvc - 1);
        model *m = M(f, s, (int)rng_int(&r, 0, NMET - 1));
        long cnt = rng_int(&r, 1, 4);
        for (long j = 0; j < cnt; j++)
            for (int tries = 0; tries < 100; tries++) {
                long h = rng_int(&r, margin * 24, (f->days - margin) * 24 - 1);
                if (m->ngaps >= MAXGAP || !busy_free(f, s, h, h + 1, 0) || in_gap(m, h))
                    continue;
                add_gap(m, h, h + 1);
                break;
            }
    }
}

/* Is [h0, h1) on service s, with a day either side, clear of its other
 * happenings and gaps, and of every incident of the fleet (so that no
 * incident grouped across services swallows it)? */
static int burn_free(const fleet *f, long s, long h0, long h1)
{
    if (!svc_can(f, s, h0, h1))
        return 0;
    for (int k = 0; k < NMET; k++) {
        const model *m = M(f, s, k);
        for (int g = 0; g < m->ngaps; g++)
            if (m->gaps[g].h0 < h1 + 24 && m->gaps[g].h1 > h0 - 24)
                return 0;
    }
    for (size_t i = 0; i < f->ninc; i++)
        for (int k = 0; k < f->inc[i].n; k++)
            if (f->inc[i].h0[k] < h1 + 24 && f->inc[i].h1[k] > h0 - 24)
                return 0;
    return 1;
}

/* Error-budget burns of the SLO service within the last SLO_WINDOW_D
 * days, each an incident of type error_burst in the log, away from other
 * incidents: first a slow burn in the window's first half (error ratio
 * 0.84-0.88% for 10-12 h from the morning on, p99 x1.5-1.6), then a fast
 * one in its second half (5.0-5.4% for 2 h in the business hours of a
 * weekday, p99 x3.6-4.2). The ratio is set through the errors' anomaly
 * factor, ratio / (the service's error fraction); noise moves each hour's
 * ratio by about 15%. Slow before fast on purpose: a causal detector
 * calibrated on its history would not see a burn of fewer errors after a
 * bigger one. Runs after the gaps, on a stream of its own, so the rest of
 * the fleet is drawn as before. */
static int make_slo_burns(fleet *f, hr_err *err)
{
    if (f->slo_svc < 0 || f->days < SLO_WINDOW_D + 5)
        return HR_OK;
    rng r = rng_make(f->seed, 9, 0);
    long s = f->slo_svc, wd0 = f->days - SLO_WINDOW_D;
    double efrac = M(f, s, M_ERR)->scale / M(f, s, M_REQ)->scale;
    for (int b = 0; b < MAXBURN; b++) {
        int fast = b == 1;
        for (int tries = 0; tries < 500; tries++) {
            long d = fast ? rng_int(&r, wd0 + SLO_WINDOW_D / 2 + 1, f->days - 3)
                          : rng_int(&r, wd0 + 2, wd0 + SLO_WINDOW_D / 2 - 1);
            long h0 = d * 24 + (fast ? rng_int(&r, 9, 16) : rng_int(&r, 6, 10));
            long h1 = h0 + (fast ? 2 : rng_int(&r, 10, 12));
            int dow = (int)((d + f->dow0) % 7);
            if ((fast && (dow == 0 || dow == 6)) || !burn_free(f, s, h0, h1))
                continue; /* deploys, and so the fast burn, happen on weekdays */
            incident *in = inc_add(f);
            if (!in)
                return oom(err);
            int id = (int)(f->ninc - 1);
            double ratio = fast ? round_dec(rng_unif(&r, 0.050, 0.054), 4)
                                : round_dec(rng_unif(&r, 0.0084, 0.0088), 5);
            in->type = I_ERR;
            in->n = 1;
            in->svc[0] = (int)s, in->typ[0] = I_ERR, in->h0[0] = h0, in->h1[0] = h1;
            in->listed = 1;
            /* the fast burn pages at once; the slow one after hours */
            in->det_min = fast ? rng_int(&r, 3, 10) : rng_int(&r, 180, 300);
            in->res_min = rng_int(&r, 10, 40);
            snprintf(in->title, sizeof in->title,
                     fast ? "%s: burst of 5xx errors after a bad deploy"
                          : "%s: slow 5xx leak (stale connections to a backend pool)",
                     f->names[s]);
            add_span(M(f, s, M_ERR), h0, h1, round_dec(ratio / efrac, 1), id, 1);
            add_span(M(f, s, M_LAT), h0, h1,
                     fast ? round_dec(rng_unif(&r, 3.6, 4.2), 2) : round_dec(rng_unif(&r, 1.5, 1.6), 2), id, 1);
            busy_mark(f, s, h0, h1, 1);
            f->burn[f->nburn++] = (struct burn){h0, h1, fast};
            break;
        }
    }
    return HR_OK;
}

enum { ROLE_SAT, ROLE_ALREADY, ROLE_RECLAIM, ROLE_COMFORT };

static const double MENU_CPU[] = {2, 4, 8, 16, 32, 48, 64, 96};
static const double MENU_MEM[] = {8, 16, 32, 64, 128, 256, 384, 512, 768};           /* GiB */
static const double MENU_DISK[] = {128, 256, 512, 1024, 2048, 4096, 8192, 16384};    /* GiB */
static const double MENU_QPS[] = {20, 50, 100, 200, 250, 500, 1000, 2000};
static const long LEAD_DAYS[] = {14, 21, 30, 45, 60, 90};

/* Picks unit size and count for model m whose organic daily peaks from the
 * as-of day on are pk[0..HORIZON_DAYS]. want: the target day (SAT), the
 * threshold / peak ratio (ALREADY) or the capacity (others). */
static void choose_capacity(model *m, int c, const double *pk, int role, double want, double cap_want)
{
    const double *menu;
    size_t nmenu;
    double mult = 1.0;
    switch (c) {
    case 0: menu = MENU_CPU, nmenu = sizeof MENU_CPU / sizeof *MENU_CPU; break;
    case 1: menu = MENU_MEM, nmenu = sizeof MENU_MEM / sizeof *MENU_MEM, mult = GIB; break;
    case 2: menu = MENU_DISK, nmenu = sizeof MENU_DISK / sizeof *MENU_DISK, mult = GIB; break;
    default: menu = MENU_QPS, nmenu = sizeof MENU_QPS / sizeof *MENU_QPS; break;
    }
    double target = CAP_TARGET[c], best = HUGE_VAL;
    for (size_t i = 0; i < nmenu; i++) {
        double u = menu[i] * mult;
        long base = (long)floor(cap_want / u);
        for (long units = base; units <= base + 1; units++) {
            if (units < 2 || units > 400)
                continue;
            double cap = (double)units * u, thr = cap * target, score;
            if (role == ROLE_SAT) {
                long k = -1;
                for (long j = 0; j <= HORIZON_DAYS; j++)
                    if (pk[j] >= thr) {
                        k = j;
                        break;
                    }
                if (k < 0)
                    score = 2e6;
                else if (k >= 30 && k <= 300)
                    score = fabs((double)k - want) / 10.0;
                else
                    score = 1e6 + fabs((double)k - want);
            } else if (role == ROLE_ALREADY) {
                double ratio = thr / pk[0];
                score = ratio >= 0.99 ? 1e6 + ratio : 100.0 * fabs(ratio - want);
            } else {
                score = 100.0 * fabs(cap / cap_want - 1.0);
            }
            if (units < 4 || units > 32) /* few big hosts beat many small ones */
                score += 5.0;
            if (score < best) {
                best = score;
                m->capacity = cap;
                m->unit_cap = u;
                m->units = units;
            }
        }
    }
    if (best == HUGE_VAL) { /* tiny resource: the smallest unit, twice */
        m->unit_cap = menu[0] * mult;
        m->units = 2;
        m->capacity = 2.0 * m->unit_cap;
    }
    m->target = target;
}

/* Roles give the demo its shape: ~11% of the resources saturate within
 * 30..300 days on organic growth, ~2.5% are already above target, ~11%
 * are reclaimable (under 30% used), the rest comfortable. */
static int make_capacity(fleet *f, hr_err *err)
{
    rng r = rng_make(f->seed, 6, 0);
    long nslot = f->nsvc * NCAP;
    long *perm = malloc((size_t)nslot * sizeof *perm);
    double *pk = malloc((HORIZON_DAYS + 1) * sizeof *pk);
    if (!perm || !pk) {
        free(perm), free(pk);
        return oom(err);
    }
    for (long i = 0; i < nslot; i++)
        perm[i] = i;
    rng_shuffle(&r, perm, nslot);
    long want_sat = lround((double)nslot * 0.11), want_al = lround((double)nslot * 0.025),
         want_rc = lround((double)nslot * 0.11);
    if (want_sat < 1)
        want_sat = 1;
    if (want_al < 1)
        want_al = 1;
    if (want_rc < 1)
        want_rc = 1;
    long nsat = 0, nal = 0, nrc = 0;
    for (long i = 0; i < nslot; i++) {
        long s = perm[i] / NCAP;
        int c = (int)(perm[i] % NCAP);
        model *m = M(f, s, CAP_MET[c]);
        int role;
        if (nsat < want_sat && m->pct30 >= 1.5)
            role = ROLE_SAT, nsat++;
        else if (nal < want_al && m->pct30 >= 0.0)
            role = ROLE_ALREADY, nal++;
        else if (nrc < want_rc && m->pct30 <= 1.5)
            role = ROLE_RECLAIM, nrc++;
        else
            role = ROLE_COMFORT;
        for (long k = 0; k <= HORIZON_DAYS; k++)
            pk[k] = day_peak(f, m, f->asof_day + k, 0);
        double want = 0, cap_want;
        switch (role) {
        case ROLE_SAT:
            want = (double)rng_int(&r, 45, 270);
            cap_want = pk[(long)want] / CAP_TARGET[c];
            break;
        case ROLE_ALREADY:
            want = rng_unif(&r, 0.86, 0.96);
            cap_want = want * pk[0] / CAP_TARGET[c];
            break;
        case ROLE_RECLAIM:
            cap_want = pk[0] / rng_unif(&r, 0.08, 0.27);
            break;
        default: {
            /* saturating, if at all, after ~380..760 days on organic growth,
             * yet not so idle that it would look reclaimable */
            double util = rng_unif(&r, 0.35, 0.60);
            double lim = CAP_TARGET[c] / pow(1.0 + m->pct30 / 100.0, rng_unif(&r, 380.0, 760.0) / 30.0);
            if (m->pct30 > 0 && util > lim)
                util = lim < 0.31 ? 0.31 : lim;
            cap_want = pk[0] / util;
            break;
        }
        }
        choose_capacity(m, c, pk, role, want, cap_want);
        m->has_cap = 1;
        m->redundancy = (int)rng_int(&r, 1, 2);
        m->lead_days = (int)LEAD_DAYS[rng_int(&r, 0, (long)(sizeof LEAD_DAYS / sizeof *LEAD_DAYS) - 1)];
        m->peak_asof = pk[0];
        double thr = m->capacity * m->target;
        m->sat_org = -1;
        for (long k = 0; k <= HORIZON_DAYS; k++)
            if (pk[k] >= thr) {
                m->sat_org = k;
                break;
            }
    }
    free(perm), free(pk);
    return HR_OK;
}

static void cover_planned(model *m, long day, double pct)
{
    if (m->npe < MAXPE) {
        m->pe_h[m->npe] = day * 24;
        m->pe_f[m->npe] = 1.0 + pct / 100.0;
        m->npe++;
    }
}

/* Planned events in the half year after the as-of day, half of them on
 * services with a saturating resource. */
static int make_planned(fleet *f, hr_err *err)
{
    rng r = rng_make(f->seed, 7, 0);
    long n = lround((double)f->nsvc / 4.0);
    if (n < 1)
        n = 1;
    long *cand = malloc((size_t)f->nsvc * sizeof *cand), *rest = malloc((size_t)f->nsvc * sizeof *rest);
    if (!cand || !rest) {
        free(cand), free(rest);
        return oom(err);
    }
    long nc = 0, nr = 0;
    for (long s = 0; s < f->nsvc; s++) {
        int sat = 0;
        for (int c = 0; c < NCAP; c++) {
            const model *m = M(f, s, CAP_MET[c]);
            sat |= m->sat_org >= 30 && m->sat_org <= 300;
        }
        if (sat)
            cand[nc++] = s;
        else
            rest[nr++] = s;
    }
    rng_shuffle(&r, cand, nc);
    rng_shuffle(&r, rest, nr);
    long take_c = (n + 1) / 2 < nc ? (n + 1) / 2 : nc;
    /* chosen services: take_c saturating ones, then the rest */
    for (long j = 0; j < n && j < f->nsvc; j++) {
        long s;
        if (j < take_c)
            s = cand[j];
        else if (j - take_c < nr)
            s = rest[j - take_c];
        else
            s = cand[take_c + (j - take_c - nr)];
        event *e = ev_add(f);
        if (!e) {
            free(cand), free(rest);
            return oom(err);
        }
        e->kind = EV_PLANNED;
        e->day = f->asof_day + rng_int(&r, 4, 178);
        e->has_pct = 1;
        snprintf(e->scope, sizeof e->scope, "service=%s", f->names[s]);
        int kind = j < 5 ? (int)j : (int)(j % 2);
        switch (kind) {
        case 0:
            e->pct = round(rng_unif(&r, 20.0, 45.0));
            snprintf(e->name, sizeof e->name, "%s: planned launch in new markets", f->names[s]);
            break;
        case 1:
            e->pct = round(rng_unif(&r, 10.0, 30.0));
            snprintf(e->name, sizeof e->name, "%s: onboarding of tenant wave %ld", f->names[s], j / 2 + 2);
            break;
        case 2:
            e->pct = -round(rng_unif(&r, 20.0, 35.0));
            snprintf(e->name, sizeof e->name, "%s: migration of reporting traffic to the warehouse", f->names[s]);
            break;
        case 3:
            e->pct = round(rng_unif(&r, 20.0, 40.0));
            snprintf(e->name, sizeof e->name, "%s: log retention raised to 180 days", f->names[s]);
            snprintf(e->scope, sizeof e->scope, "%s", M(f, s, M_DISK)->key);
            break;
        default:
            e->has_pct = 0;
            snprintf(e->name, sizeof e->name, "%s: marketing campaign (impact unknown)", f->names[s]);
            break;
        }
        if (!e->has_pct)
            continue;
        if (kind == 3)
            cover_planned(M(f, s, M_DISK), e->day, e->pct);
        else
            for (int k = 0; k < NMET; k++)
                cover_planned(M(f, s, k), e->day, e->pct);
    }
    free(cand), free(rest);
    return HR_OK;
}

/* Truth that needs capacities and planned events: peaks, saturation with
 * events for capacity series, noiseless peaks for the others. */
static void finish_truth(fleet *f)
{
    /* the latency SLO's threshold: 1.2 x the noiseless p99 at the as-of
     * day's busiest hour, L0 (1 + kappa rho^2), rounded up to 5 ms */
    if (f->slo_svc >= 0)
        f->slo_lat_thr = 5.0 * ceil(1.2 * day_peak(f, M(f, f->slo_svc, M_LAT), f->asof_day, 0) / 5.0);
    for (long i = 0; i < f->nsvc * NMET; i++) {
        model *m = &f->m[i];
        if (!m->has_cap) {
            m->peak_asof = day_peak(f, m, f->asof_day, 0);
            continue;
        }
        m->sat_ev = m->npe ? first_saturation(f, m, m->capacity * m->target, 1) : m->sat_org;
    }
}

/* ---- values --------------------------------------------------------------- */

static double anomaly_at(const model *m, long h)
{
    double x = 1.0;
    for (int i = 0; i < m->nspans; i++)
        if (h >= m->spans[i].h0 && h < m->spans[i].h1)
            x *= m->spans[i].factor;
    return x;
}

/* Fills v[0..N) for m. Gauges are rounded to what the exports print
 * (cores to 0.001, bytes to integers, ms to 0.1), so a store written
 * directly equals one ingested from the exports. cpu_v is the cpu series
 * of the same service (latency only). */
static void gen_values(const fleet *f, const model *m, double *v, const double *cpu_v)
{
    rng r = rng_make(f->seed, 100, (uint64_t)(m->svc * NMET + m->met));
    double inno = m->sd * sqrt(1.0 - m->phi * m->phi);
    double e = m->sd * rng_gauss(&r);
    const model *cpu = M(f, m->svc, M_CPU);
    double count = 0;
    if (m->met == M_REQ || m->met == M_ERR)
        count = round(noiseless(f, m, 0) * 3600.0 * rng_unif(&r, 24.0, 2000.0));
    for (long h = 0; h < f->N; h++) {
        if (h > 0)
            e = m->phi * e + inno * rng_gauss(&r);
        double base;
        if (m->met == M_LAT) {
            double rho = cpu_v[h] / cpu->capacity;
            base = m->scale * (1.0 + m->kappa * rho * rho);
        } else {
            base = noiseless(f, m, h);
        }
        double x = base * anomaly_at(m, h) * (1.0 + e);
        switch (m->met) {
        case M_CPU:
            if (x > m->capacity)
                x = m->capacity; /* a host cannot use more cores than it has */
            x = round_dec(x, 3);
            v[h] = x < 0.001 ? 0.001 : x;
            break;
        case M_MEM:
        case M_DISK: v[h] = round(x); break;
        case M_LAT:
            x = round_dec(x, 1);
            v[h] = x < 0.1 ? 0.1 : x;
            break;
        default: {
            if (h > 0) {
                double inc = round(x * 3600.0);
                if (inc < 0)
                    inc = 0;
                count = h == m->reset_h ? inc : count + inc;
            }
            v[h] = count;
            break;
        }
        }
    }
}

/* Builds the series set in store order, gaps as NaN. */
static int make_values(fleet *f, hr_seriesset *set, hr_err *err)
{
    for (int o = 0; o < NMET; o++)
        for (long s = 0; s < f->nsvc; s++) {
            const model *m = M(f, s, SET_ORDER[o]);
            long id = hr_seriesset_add(set, m->key, (m->met == M_REQ || m->met == M_ERR) ? HR_COUNTER : HR_GAUGE);
            if (id < 0)
                return oom(err);
            hr_series *x = &set->s[id];
            x->t0_ms = f->t0_ms;
            x->step_ms = HOUR_MS;
            x->n = (size_t)f->N;
            x->v = malloc((size_t)f->N * sizeof *x->v);
            if (!x->v)
                return oom(err);
        }
    /* cpu (set index 0..nsvc) first: latency reads it */
    for (int o = 0; o < NMET; o++)
        for (long s = 0; s < f->nsvc; s++)
            gen_values(f, M(f, s, SET_ORDER[o]), set->s[o * f->nsvc + s].v, set->s[s].v);
    for (int o = 0; o < NMET; o++)
        for (long s = 0; s < f->nsvc; s++) {
            const model *m = M(f, s, SET_ORDER[o]);
            double *v = set->s[o * f->nsvc + s].v;
            for (int g = 0; g < m->ngaps; g++)
                for (long h = m->gaps[g].h0; h < m->gaps[g].h1; h++)
                    v[h] = NAN;
        }
    return HR_OK;
}

/* ---- output ---------------------------------------------------------------- */

typedef struct outf {
    FILE *fp;
    char path[4096];
    char tmp[4200];
} outf;

static int out_open(outf *o, const char *dir, const char *name, hr_err *err)
{
    if (dir)
        snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
    else
        snprintf(o->path, sizeof o->path, "%s", name);
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp", o->path);
    o->fp = fopen(o->tmp, "wb");
    if (!o->fp)
        return hr_err_set(err, HR_ECANTCREAT, "%s: cannot create: %s", o->tmp, strerror(errno));
    setvbuf(o->fp, NULL, _IOFBF, 1 << 20);
    return HR_OK;
}

static int out_close(outf *o, hr_err *err)
{
    int bad = ferror(o->fp);
    if (fclose(o->fp) != 0 || bad) {
        remove(o->tmp);
        return hr_err_set(err, HR_EIO, "%s: write failed", o->tmp);
    }
    int rc = hr_file_commit(o->tmp, o->path, err);
    if (rc)
        remove(o->tmp);
    return rc;
}

static void json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

static void json_num(FILE *fp, double x)
{
    char b[40];
    if (!isfinite(x))
        fputs("null", fp);
    else
        fputs(hr_fmt_double(x, b, sizeof b), fp);
}

static const char *tstr(const fleet *f, long h, char *buf)
{
    return hr_time_format(f->t0_ms + (int64_t)h * HOUR_MS, buf, 40);
}

static const char *dstr(const fleet *f, long day, char *buf)
{
    return hr_date_format(f->t0_ms + (int64_t)day * DAY_MS, buf, 40);
}

static int write_long_csv(const fleet *f, const hr_seriesset *set, const char *dir, hr_err *err)
{
    outf o;
    int rc = out_open(&o, dir, "exports/cpu_mem_disk.csv", err);
    if (rc)
        return rc;
    fputs("timestamp,metric,service,value\n", o.fp);
    char tb[40];
    for (long h = 0; h < f->N; h++) {
        tstr(f, h, tb);
        for (int o3 = 0; o3 < 3; o3++) /* cpu, mem, disk: the first three in store order */
            for (long s = 0; s < f->nsvc; s++) {
                double x = set->s[o3 * f->nsvc + s].v[h];
                if (isnan(x))
                    continue;
                if (SET_ORDER[o3] == M_CPU)
                    fprintf(o.fp, "%s,%s,%s,%.3f\n", tb, METRIC[M_CPU], f->names[s], x);
                else
                    fprintf(o.fp, "%s,%s,%s,%.0f\n", tb, METRIC[SET_ORDER[o3]], f->names[s], x);
            }
    }
    return out_close(&o, err);
}

static int write_grafana(const fleet *f, const hr_seriesset *set, const char *dir, hr_err *err)
{
    outf o;
    int rc = out_open(&o, dir, "exports/latency_grafana.csv", err);
    if (rc)
        return rc;
    fputs("\"Time\"", o.fp);
    for (long s = 0; s < f->nsvc; s++)
        fprintf(o.fp, ",\"%s{service=\"\"%s\"\"}\"", METRIC[M_LAT], f->names[s]);
    fputs("\r\n", o.fp);
    const hr_series *lat = &set->s[3 * f->nsvc];
    for (long h = 0; h < f->N; h++) {
        fprintf(o.fp, "%" PRId64, f->t0_ms + (int64_t)h * HOUR_MS);
        for (long s = 0; s < f->nsvc; s++) {
            double x = lat[s].v[h];
            if (isnan(x))
                fputc(',', o.fp);
            else
                fprintf(o.fp, ",%.1f", x);
        }
        fputs("\r\n", o.fp);
    }
    return out_close(&o, err);
}

static int write_prometheus(const fleet *f, const hr_seriesset *set, const char *dir, hr_err *err)
{
    outf o;
    int rc = out_open(&o, dir, "exports/requests_prometheus.json", err);
    if (rc)
        return rc;
    fputs("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\n", o.fp);
    for (int o2 = 4; o2 < 6; o2++)
        for (long s = 0; s < f->nsvc; s++) {
            const hr_series *x = &set->s[o2 * f->nsvc + s];
            fprintf(o.fp, "%s{\"metric\":{\"__name__\":\"%s\",\"service\":", o2 == 4 && s == 0 ? "" : ",\n",
                    METRIC[SET_ORDER[o2]]);
            json_str(o.fp, f->names[s]);
            fputs("},\"values\":[", o.fp);
            int first = 1;
            for (long h = 0; h < f->N; h++) {
                if (isnan(x->v[h]))
                    continue;
                fprintf(o.fp, "%s[%" PRId64 ",\"%.0f\"]", first ? "" : ",",
                        (f->t0_ms + (int64_t)h * HOUR_MS) / 1000, x->v[h]);
                first = 0;
            }
            fputs("]}", o.fp);
        }
    fputs("\n]}}\n", o.fp);
    return out_close(&o, err);
}

static int write_inventory(const fleet *f, const char *dir, hr_err *err)
{
    outf o;
    int rc = out_open(&o, dir, "inventory.csv", err);
    if (rc)
        return rc;
    fputs("series,capacity,target_utilization,unit_capacity,units,redundancy,lead_time_days\n", o.fp);
    char a[40], b[40], c[40];
    for (int k = 0; k < NCAP; k++)
        for (long s = 0; s < f->nsvc; s++) {
            const model *m = M(f, s, CAP_MET[k]);
            hr_csv_put(o.fp, m->key);
            fprintf(o.fp, ",%s,%s,%s,%ld,%d,%d\n", hr_fmt_double(m->capacity, a, sizeof a),
                    hr_fmt_double(m->target, b, sizeof b), hr_fmt_double(m->unit_cap, c, sizeof c), m->units,
                    m->redundancy, m->lead_days);
        }
    return out_close(&o, err);
}

static const fleet *sort_fleet; /* qsort has no context argument in C11 */

static int cmp_event(const void *a, const void *b)
{
    const event *x = &sort_fleet->ev[*(const long *)a], *y = &sort_fleet->ev[*(const long *)b];
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return (*(const long *)a > *(const long *)b) - (*(const long *)a < *(const long *)b);
}

static long inc_start(const incident *in)
{
    return in->h0[0];
}

static long inc_end(const incident *in)
{
    long e = in->h1[0];
    for (int k = 1; k < in->n; k++)
        if (in->h1[k] > e)
            e = in->h1[k];
    return e;
}

static int cmp_inc(const void *a, const void *b)
{
    long i = *(const long *)a, j = *(const long *)b;
    long x = inc_start(&sort_fleet->inc[i]), y = inc_start(&sort_fleet->inc[j]);
    if (x != y)
        return x < y ? -1 : 1;
    return (i > j) - (i < j);
}

/* Orders of events and incidents for output, and incident ids by start. */
typedef struct orders {
    long *ev;   /* nev */
    long *inc;  /* ninc */
    long *id;   /* ninc: 1-based id of incident i */
} orders;

static int make_orders(const fleet *f, orders *od, hr_err *err)
{
    od->ev = malloc((f->nev + 1) * sizeof *od->ev);
    od->inc = malloc((f->ninc + 1) * sizeof *od->inc);
    od->id = malloc((f->ninc + 1) * sizeof *od->id);
    if (!od->ev || !od->inc || !od->id)
        return oom(err);
    for (size_t i = 0; i < f->nev; i++)
        od->ev[i] = (long)i;
    for (size_t i = 0; i < f->ninc; i++)
        od->inc[i] = (long)i;
    sort_fleet = f;
    qsort(od->ev, f->nev, sizeof *od->ev, cmp_event);
    qsort(od->inc, f->ninc, sizeof *od->inc, cmp_inc);
    for (size_t r = 0; r < f->ninc; r++)
        od->id[od->inc[r]] = (long)r + 1;
    return HR_OK;
}

static int write_events(const fleet *f, const orders *od, const char *dir, hr_err *err)
{
    outf o;
    int rc = out_open(&o, dir, "events.csv", err);
    if (rc)
        return rc;
    fputs("date,name,scope,expected_change_pct\n", o.fp);
    char d[40], n[40];
    for (size_t i = 0; i < f->nev; i++) {
        const event *e = &f->ev[od->ev[i]];
        fprintf(o.fp, "%s,", dstr(f, e->day, d));
        hr_csv_put(o.fp, e->name);
        fputc(',', o.fp);
        hr_csv_put(o.fp, e->scope);
        fprintf(o.fp, ",%s\n", e->has_pct ? hr_fmt_double(e->pct, n, sizeof n) : "");
    }
    return out_close(&o, err);
}

static int write_incidents(const fleet *f, const orders *od, const char *dir, hr_err *err)
{
    outf o;
    int rc = out_open(&o, dir, "incidents.csv", err);
    if (rc)
        return rc;
    fputs("start,end,detected,resolved,service,title\n", o.fp);
    char a[40], b[40], c[40], d[40];
    for (size_t i = 0; i < f->ninc; i++) {
        const incident *in = &f->inc[od->inc[i]];
        if (!in->listed)
            continue;
        int64_t t0 = f->t0_ms + (int64_t)inc_start(in) * HOUR_MS, t1 = f->t0_ms + (int64_t)inc_end(in) * HOUR_MS;
        fprintf(o.fp, "%s,%s,%s,%s,%s,", hr_time_format(t0, a, sizeof a), hr_time_format(t1, b, sizeof b),
                hr_time_format(t0 + in->det_min * 60000, c, sizeof c),
                hr_time_format(t1 + in->res_min * 60000, d, sizeof d), f->names[in->svc[0]]);
        hr_csv_put(o.fp, in->title);
        fputc('\n', o.fp);
    }
    return out_close(&o, err);
}

/* ---- the changes log ------------------------------------------------------ */

#define CHG_WINDOW_S 7200 /* [changes] window of the demo: 2 h */

static int cmp_chg(const void *a, const void *b)
{
    const chg *x = a, *y = b;
    if (x->t_s != y->t_s)
        return x->t_s < y->t_s ? -1 : 1;
    return (x->svc > y->svc) - (x->svc < y->svc);
}

static int chg_add(fleet *f, size_t *cap, chg c, hr_err *err)
{
    if (f->nchg == *cap) {
        size_t nc = *cap ? 2 * *cap : 256;
        chg *p = realloc(f->chg, nc * sizeof *p);
        if (!p)
            return oom(err);
        f->chg = p;
        *cap = nc;
    }
    f->chg[f->nchg++] = c;
    return HR_OK;
}

/* Is t_s (seconds) on service s clear of every incident touching s (12 h
 * before its start to 6 h after the member's end), of s's steps (12 h
 * either side) and of the changes already made on s (12 h)? Then a
 * change there links to no injected incident and marks no step. */
static int chg_clear(const fleet *f, long s, int64_t t_s)
{
    for (size_t i = 0; i < f->ninc; i++) {
        const incident *in = &f->inc[i];
        for (int k = 0; k < in->n; k++)
            if (in->svc[k] == s && t_s >= (in->h0[0] - 12) * 3600 && t_s <= (in->h1[k] + 6) * 3600)
                return 0;
    }
    for (int met = 0; met < NMET; met++) {
        const model *m = M(f, s, met);
        for (int k = 0; k < m->nsteps; k++)
            if (llabs((long long)(t_s - (int64_t)m->steps[k].h * 3600)) < 12 * 3600)
                return 0;
    }
    for (size_t c = 0; c < f->nchg; c++)
        if (f->chg[c].svc == s && llabs((long long)(t_s - f->chg[c].t_s)) < 12 * 3600)
            return 0;
    return 1;
}

/* The changes log: each incident titled "after a bad deploy" (cpu
 * saturation, the SLO's fast burn) follows a deploy of its origin service
 * 25 minutes before its start; one unexplained level shift comes 30
 * minutes after a deploy of its service; every service deploys on a
 * weekday about once a week (every 5 to 8 days), with a config push or a
 * flag flip now and then, clear of every incident and step (chg_clear);
 * and the SLO service's latest routine deploy within the SLO window is
 * rolled back 40 minutes later (without an SLO service: the earliest bad
 * deploy, 150 minutes later, when its incident is under way, so the
 * rollback itself precedes no incident). With the fast burn's deploy
 * that makes 2 failed changes of about 6 in checkout's last 30 days,
 * above the default max_failure_rate, while its budget is spent. Deploys carry a
 * commit time (lead 30 min to 72 h). Ids 4001... by time. From a stream
 * of its own (purpose 13), so the rest of the fleet is unchanged. */
static int make_changes(fleet *f, hr_err *err)
{
    rng r = rng_make(f->seed, 13, 0);
    size_t cap = 0;
    int rc = HR_OK;
    long first_bad = -1, first_h = -1;
    for (size_t i = 0; i < f->ninc && rc == HR_OK; i++) {
        const incident *in = &f->inc[i];
        if (!strstr(in->title, "after a bad deploy"))
            continue;
        chg c = {(int64_t)in->h0[0] * 3600 - 25 * 60, in->svc[0], CK_DEPLOY, rng_int(&r, 30, 72 * 60), -1, (int)i, -1, 0};
        rc = chg_add(f, &cap, c, err);
        if (first_h < 0 || in->h0[0] < first_h)
            first_h = in->h0[0], first_bad = (long)f->nchg - 1;
    }
    /* one unexplained level shift that came with a deploy */
    for (long s = 0; s < f->nsvc && rc == HR_OK; s++) {
        int done = 0;
        for (int met = 0; met < NMET && !done; met++) {
            const model *m = M(f, s, met);
            for (int k = 0; k < m->nsteps && !done; k++)
                if (m->steps[k].event < 0 && m->steps[k].h > 14 * 24) {
                    chg c = {(int64_t)m->steps[k].h * 3600 - 30 * 60, (int)s, CK_DEPLOY, rng_int(&r, 30, 72 * 60), -1,
                             -1, met, 0};
                    rc = chg_add(f, &cap, c, err);
                    done = 1;
                }
        }
        if (done)
            break;
    }
    /* the routine changes: from day 7, every 3 or 4 days per service */
    for (long s = 0; s < f->nsvc && rc == HR_OK; s++) {
        long d = 7 + rng_int(&r, 0, 3), n = 0;
        while (d < f->days - 1 && rc == HR_OK) {
            int dow = (int)((d + f->dow0) % 7);
            long hour = rng_int(&r, 9, 16), minute = rng_int(&r, 0, 59);
            int kind = n % 6 == 5 ? CK_CONFIG : n % 9 == 8 ? CK_FLAG : CK_DEPLOY;
            long lead = rng_int(&r, 30, 72 * 60);
            int64_t t = ((int64_t)d * 24 + hour) * 3600 + minute * 60;
            if (dow != 0 && dow != 6 && chg_clear(f, s, t)) {
                chg c = {t, (int)s, kind, kind == CK_DEPLOY ? lead : -1, -1, -1, -1, 0};
                rc = chg_add(f, &cap, c, err);
                n++;
            }
            d += rng_int(&r, 5, 8);
        }
    }
    /* the rollback: of the SLO service's latest routine deploy in the SLO
     * window (a canary caught it), else of the earliest bad deploy once
     * its incident is under way */
    long target = -1;
    int64_t delay = 40 * 60;
    for (size_t c = 0; c < f->nchg && f->slo_svc >= 0; c++) {
        const chg *x = &f->chg[c];
        if (x->svc == f->slo_svc && x->kind == CK_DEPLOY && x->cause < 0 && x->step_met < 0 &&
            x->t_s >= (int64_t)(f->days - SLO_WINDOW_D) * 86400 && (target < 0 || x->t_s > f->chg[target].t_s))
            target = (long)c;
    }
    if (target < 0)
        target = first_bad, delay = 150 * 60;
    if (rc == HR_OK && target >= 0) {
        chg c = f->chg[target];
        c.t_s += delay;
        c.lead_min = rng_int(&r, 10, 40);
        c.rollback_of = target;
        c.cause = -1;
        rc = chg_add(f, &cap, c, err);
    }
    if (rc)
        return rc;
    /* by time; ids in that order; rollback_of follows its change */
    for (size_t c = 0; c < f->nchg; c++)
        f->chg[c].id = (long)c; /* the index before sorting */
    qsort(f->chg, f->nchg, sizeof *f->chg, cmp_chg);
    long *pos = malloc((f->nchg + 1) * sizeof *pos);
    if (!pos)
        return oom(err);
    for (size_t c = 0; c < f->nchg; c++)
        pos[f->chg[c].id] = (long)c;
    for (size_t c = 0; c < f->nchg; c++) {
        if (f->chg[c].rollback_of >= 0)
            f->chg[c].rollback_of = pos[f->chg[c].rollback_of];
    }
    for (size_t c = 0; c < f->nchg; c++)
        f->chg[c].id = 4001 + (long)c;
    free(pos);
    return HR_OK;
}

static const char *chg_time(const fleet *f, int64_t t_s, char *b, size_t n)
{
    return hr_time_format(f->t0_ms + t_s * 1000, b, n);
}

static int write_changes(const fleet *f, const char *dir, hr_err *err)
{
    outf o;
    int rc = out_open(&o, dir, "changes.csv", err);
    if (rc)
        return rc;
    fputs("time,service,id,kind,commit_time,rollback_of,description\n", o.fp);
    char a[40], b[40];
    for (size_t c = 0; c < f->nchg; c++) {
        const chg *x = &f->chg[c];
        fprintf(o.fp, "%s,%s,%ld,%s,%s,", chg_time(f, x->t_s, a, sizeof a), f->names[x->svc], x->id, CKIND[x->kind],
                x->lead_min >= 0 ? chg_time(f, x->t_s - x->lead_min * 60, b, sizeof b) : "");
        if (x->rollback_of >= 0)
            fprintf(o.fp, "%ld,rollback of %ld\n", f->chg[x->rollback_of].id, f->chg[x->rollback_of].id);
        else
            fprintf(o.fp, ",%s %s\n", f->names[x->svc],
                    x->kind == CK_CONFIG ? "config push" : x->kind == CK_FLAG ? "feature flag flip" : "release");
    }
    return out_close(&o, err);
}

static int cmp_key(const void *a, const void *b)
{
    const model *x = &sort_fleet->m[*(const long *)a], *y = &sort_fleet->m[*(const long *)b];
    return strcmp(x->key, y->key);
}

typedef struct anom {
    long h0, h1;
    const model *m;
    const span *sp;
} anom;

static int cmp_anom(const void *a, const void *b)
{
    const anom *x = a, *y = b;
    if (x->h0 != y->h0)
        return x->h0 < y->h0 ? -1 : 1;
    int c = strcmp(x->m->key, y->m->key);
    if (c)
        return c;
    return (x->h1 > y->h1) - (x->h1 < y->h1);
}

static void json_date_or_null(const fleet *f, FILE *fp, long k)
{
    char d[40];
    if (k < 0)
        fputs("null", fp);
    else
        fprintf(fp, "\"%s\"", dstr(f, f->asof_day + k, d));
}

static void write_conventions(FILE *fp)
{
    static const char *const conv[][2] = {
        {"anomaly_span", "start is the first anomalous sample, end is exclusive (the first normal sample); for "
                         "counters the anomaly is in the per-second rate (Prometheus rate rule: the rate of slot t "
                         "is the increase from the previous sample)"},
        {"counter", "http_*_total are cumulative counters; counter_resets lists the samples at which the counter "
                    "restarted from zero (the value there is the increase since the previous sample)"},
        {"daily_peak", "daily_peak_as_of is the maximum of the noiseless value (organic trend x past steps x "
                       "daily and weekly seasonality x the yearly season of --yearly, when given; no noise, "
                       "anomalies or planned events) over the hours of the as-of day (UTC); for counters it is "
                       "the per-second rate"},
        {"event_scope", "events.csv scope is either an exact series key (e.g. disk_used_bytes{service=\"search\"}) "
                        "or service=NAME, meaning every series whose label service equals NAME"},
        {"expected_change_pct", "the stated change of an event, relative to the level before; empty = unknown; "
                                "saturation_date_with_events applies the stated change of every planned event "
                                "whose scope covers the series, multiplicatively from 00:00 UTC of its date"},
        {"gaps", "start inclusive, end exclusive: hours with no sample in any export (NaN in the store)"},
        {"organic_growth", "organic_growth_pct_per_30d = 100 * (g(t_end) / g(t_end - 30 d) - 1) of the organic "
                           "component g (exponential); null for latency, which follows cpu utilisation"},
        {"reclaimable", "daily_peak_as_of / capacity < 0.30 and no saturation within 730 days, with events"},
        {"saturation", "saturation_date_organic is the first day (UTC date) from the as-of day on whose noiseless "
                       "daily peak reaches threshold; the as-of date itself means already above threshold; null "
                       "when not within 730 days"},
        {"slo", "slos: the SLOs of the service checkout. The SLO window is the last ceil(window_days * 24 h / 1 h) = "
                "720 hourly points: window_start is the first, window_end the last + 1 h (exclusive). Events are "
                "counted on the values as exported. kind ratio: the events of a slot are headroom's per-second rate "
                "of the counter (hr_series_rate: the increase from the previous present sample, or the value itself "
                "after a counter reset, over the seconds between the two samples) times 3600 (the step in seconds), "
                "so a slot after k-1 missing samples holds 1/k of the increase; a slot counts when both series have "
                "a rate there; bad = errors, total = requests, good = total - bad. kind latency: every present "
                "hourly point is one event, good when latency <= threshold (ms); missing points are gaps. points "
                "and gap_points: slots of the window with and without events. sli = good / total; objective is a "
                "share; budget_consumed = bad / ((1 - objective) * total); budget_remaining = 1 - budget_consumed; "
                "baseline_burn_rate = bad / total over the window's slots outside the burns, / (1 - objective). "
                "burns: the injected episodes (start inclusive, end exclusive; fast or slow), error_ratio = bad / "
                "total over their slots. alerts: the SRE Workbook's multiwindow page rules, 1h/5m (burn rate > 14.4 "
                "over both the long window, the last 1 point, and the short one, 5 minutes rounded up to the last "
                "1 point) and 6h/30m (> 6 over the last 6 points and over the last 1 point), evaluated at every "
                "point of the SLO window "
                "(a long window may reach back before it); burn rate over a window = (bad / total over its points) "
                "/ (1 - objective); an alert is a maximal run of firing points, start = the first, end = the last + "
                "1 h; by rule, then start"},
        {"steps", "level shifts: time is the first sample at the new level, delta_pct is relative to the level "
                  "before; event names the calendar entry that explains it, null when unexplained; past events "
                  "are dated within one day of the step"},
        {"threshold", "capacity * target_utilization; qps capacity is in requests per second and belongs to the "
                      "counter key http_requests_total{service=...}"},
        {"time", "timestamps RFC 3339 UTC, dates YYYY-MM-DD UTC, hourly samples"},
    };
    fputs("\"conventions\":{", fp);
    for (size_t i = 0; i < sizeof conv / sizeof conv[0]; i++) {
        fprintf(fp, "%s\n  ", i ? "," : "");
        json_str(fp, conv[i][0]);
        fputc(':', fp);
        json_str(fp, conv[i][1]);
    }
    fputs("\n}", fp);
}

static void write_series_truth(const fleet *f, FILE *fp, const model *m)
{
    char tb[40];
    const event *evs = f->ev;
    fputs("{\"capacity\":", fp);
    json_num(fp, m->has_cap ? m->capacity : NAN);
    fputs(",\"counter_resets\":[", fp);
    if (m->reset_h >= 0)
        fprintf(fp, "\"%s\"", tstr(f, m->reset_h, tb));
    fputs("],\"daily_peak_as_of\":", fp);
    json_num(fp, m->peak_asof);
    fputs(",\"key\":", fp);
    json_str(fp, m->key);
    fprintf(fp, ",\"kind\":\"%s\",\"metric\":\"%s\",\"noise_sd\":", (m->met == M_REQ || m->met == M_ERR) ? "counter" : "gauge",
            METRIC[m->met]);
    json_num(fp, m->sd);
    fputs(",\"organic_growth_pct_per_30d\":", fp);
    json_num(fp, m->met == M_LAT ? NAN : m->pct30);
    fprintf(fp, ",\"reclaimable\":%s",
            m->has_cap && m->peak_asof / m->capacity < 0.30 && m->sat_ev < 0 ? "true" : "false");
    fputs(",\"saturation_date_organic\":", fp);
    json_date_or_null(f, fp, m->has_cap ? m->sat_org : -1);
    fputs(",\"saturation_date_with_events\":", fp);
    json_date_or_null(f, fp, m->has_cap ? m->sat_ev : -1);
    fputs(",\"seasonality\":{\"daily_amplitude\":", fp);
    json_num(fp, m->amp);
    if (m->amp > 0)
        fprintf(fp, ",\"peak_hour_utc\":%d,\"weekend_drop\":", m->peak_hour);
    else
        fputs(",\"peak_hour_utc\":null,\"weekend_drop\":", fp);
    json_num(fp, m->wk);
    fputs("},\"service\":", fp);
    json_str(fp, f->names[m->svc]);
    fputs(",\"steps\":[", fp);
    for (int i = 0; i < m->nsteps; i++) {
        fprintf(fp, "%s{\"delta_pct\":", i ? "," : "");
        json_num(fp, m->steps[i].pct);
        fputs(",\"event\":", fp);
        if (m->steps[i].event < 0)
            fputs("null", fp);
        else
            json_str(fp, evs[m->steps[i].event].name);
        fprintf(fp, ",\"time\":\"%s\"}", tstr(f, m->steps[i].h, tb));
    }
    fputs("],\"target_utilization\":", fp);
    json_num(fp, m->has_cap ? m->target : NAN);
    fputs(",\"threshold\":", fp);
    json_num(fp, m->has_cap ? m->capacity * m->target : NAN);
    fprintf(fp, ",\"unit\":\"%s\",\"utilization_as_of\":", UNIT[m->met]);
    json_num(fp, m->has_cap ? m->peak_asof / m->capacity : NAN);
    fputc('}', fp);
}

/* Index in the series set (store order) of service s's metric met. */
static long set_index(const fleet *f, long s, int met)
{
    int o = 0;
    while (SET_ORDER[o] != met)
        o++;
    return o * f->nsvc + s;
}

/* Events of each slot of counter x: headroom's per-second rate (as
 * hr_series_rate: the increase from the previous present sample, or the
 * value itself after a reset, over the seconds between the two) times
 * the step in seconds. NaN where the rate is undefined (a missing sample,
 * the first sample). */
static void slot_events(const hr_series *x, double *ev)
{
    double prev = NAN, step_s = (double)x->step_ms / 1000.0;
    size_t pi = 0;
    for (size_t i = 0; i < x->n; i++) {
        double v = x->v[i];
        ev[i] = NAN;
        if (!isfinite(v))
            continue;
        if (isfinite(prev)) {
            double inc = v >= prev ? v - prev : v;
            ev[i] = inc / ((double)(i - pi) * step_s) * step_s;
        }
        prev = v;
        pi = i;
    }
}

/* Bad and total events over slots [a, b) that hold both (else a gap). */
static void slo_sum(const double *bad, const double *tot, long a, long b, long double *sb, long double *st,
                    long *npts)
{
    *sb = *st = 0;
    *npts = 0;
    for (long i = a < 0 ? 0 : a; i < b; i++)
        if (!isnan(bad[i]) && !isnan(tot[i])) {
            *sb += bad[i];
            *st += tot[i];
            ++*npts;
        }
}

/* One SLO of the truth: events bad[] and tot[] per slot (NaN = gap) of
 * the whole history, evaluated over the last SLO_WINDOW_D days. The
 * multiwindow alerts use windows of points ending at each point of the
 * SLO window; a long window may reach back before the SLO window. */
static void write_slo(const fleet *f, FILE *fp, const char *name, const char *kind, const char *const ser[4],
                      double thr, double obj, const double *bad, const double *tot)
{
    static const struct {
        const char *name;
        long long_pts, short_pts;
        double burn;
    } rules[] = {{"1h/5m", 1, 1, 14.4}, {"6h/30m", 6, 1, 6.0}};
    char tb[40];
    long n = f->N, w0 = n > SLO_WINDOW_D * 24 ? n - SLO_WINDOW_D * 24 : 0, npts, nb;
    long double sb, st, bb = 0, bt = 0;
    slo_sum(bad, tot, w0, n, &sb, &st, &npts);
    /* the baseline: the window without the injected burns */
    for (long i = w0; i < n; i++) {
        int in_burn = 0;
        for (int k = 0; k < f->nburn; k++)
            in_burn |= i >= f->burn[k].h0 && i < f->burn[k].h1;
        if (!in_burn && !isnan(bad[i]) && !isnan(tot[i]))
            bb += bad[i], bt += tot[i];
    }
    double budget = 1.0 - obj;
    fputs("{\"alerts\":[", fp);
    int na = 0;
    for (size_t q = 0; q < sizeof rules / sizeof rules[0]; q++) {
        long open = -1;
        for (long i = w0; i <= n; i++) {
            int on = 0;
            if (i < n) {
                long double lb, lt, sb2, st2;
                slo_sum(bad, tot, i + 1 - rules[q].long_pts, i + 1, &lb, &lt, &nb);
                slo_sum(bad, tot, i + 1 - rules[q].short_pts, i + 1, &sb2, &st2, &nb);
                on = lt > 0 && st2 > 0 && (double)(lb / lt) / budget > rules[q].burn &&
                     (double)(sb2 / st2) / budget > rules[q].burn;
            }
            if (on && open < 0)
                open = i;
            if (!on && open >= 0) {
                fprintf(fp, "%s{\"end\":\"%s\",\"rule\":\"%s\",", na++ ? "," : "", tstr(f, i, tb), rules[q].name);
                fprintf(fp, "\"start\":\"%s\"}", tstr(f, open, tb));
                open = -1;
            }
        }
    }
    fputs("],\"bad\":", fp);
    json_num(fp, (double)sb);
    fputs(",\"baseline_burn_rate\":", fp);
    json_num(fp, bt > 0 ? (double)(bb / bt) / budget : NAN);
    fputs(",\"budget_consumed\":", fp);
    json_num(fp, st > 0 ? (double)(sb / ((long double)budget * st)) : 0.0);
    fputs(",\"budget_remaining\":", fp);
    json_num(fp, st > 0 ? 1.0 - (double)(sb / ((long double)budget * st)) : 1.0);
    fputs(",\"burns\":[", fp);
    for (int k = 0; k < f->nburn; k++) {
        long double eb, et;
        slo_sum(bad, tot, f->burn[k].h0, f->burn[k].h1, &eb, &et, &nb);
        fprintf(fp, "%s{\"end\":\"%s\",\"error_ratio\":", k ? "," : "", tstr(f, f->burn[k].h1, tb));
        json_num(fp, et > 0 ? (double)(eb / et) : NAN);
        fprintf(fp, ",\"kind\":\"%s\",\"start\":\"%s\"}", f->burn[k].fast ? "fast" : "slow",
                tstr(f, f->burn[k].h0, tb));
    }
    fprintf(fp, "],\"gap_points\":%ld,\"good\":", (n - w0) - npts);
    json_num(fp, (double)(st - sb));
    fprintf(fp, ",\"kind\":\"%s\",\"name\":", kind);
    json_str(fp, name);
    fputs(",\"objective\":", fp);
    json_num(fp, obj);
    fprintf(fp, ",\"points\":%ld,\"series\":{", npts);
    for (int k = 0; k < 4 && ser[k]; k += 2) { /* (config key, series key) pairs */
        fprintf(fp, "%s\"%s\":", k ? "," : "", ser[k]);
        json_str(fp, ser[k + 1]);
    }
    fputs("},\"service\":", fp);
    json_str(fp, f->names[f->slo_svc]);
    fputs(",\"sli\":", fp);
    json_num(fp, st > 0 ? (double)((st - sb) / st) : NAN);
    fputs(",\"threshold\":", fp);
    json_num(fp, thr);
    fputs(",\"total\":", fp);
    json_num(fp, (double)st);
    fprintf(fp, ",\"window_days\":%d,\"window_end\":\"%s\",", SLO_WINDOW_D, tstr(f, n, tb));
    fprintf(fp, "\"window_start\":\"%s\"}", tstr(f, w0, tb));
}

/* The "slos" of the truth, from the values as exported. */
static int write_slos(const fleet *f, const hr_seriesset *set, FILE *fp, hr_err *err)
{
    fputs("\"slos\":[", fp);
    if (f->slo_svc < 0) {
        fputs("]", fp);
        return HR_OK;
    }
    long s = f->slo_svc, n = f->N;
    double *bad = malloc(2 * (size_t)n * sizeof *bad);
    if (!bad)
        return oom(err);
    double *tot = bad + n;
    char name[80];
    const hr_series *req = &set->s[set_index(f, s, M_REQ)], *er = &set->s[set_index(f, s, M_ERR)],
                    *lat = &set->s[set_index(f, s, M_LAT)];
    /* availability: bad = errors, total = requests, per slot */
    slot_events(er, bad);
    slot_events(req, tot);
    const char *const ratio_ser[4] = {"bad", M(f, s, M_ERR)->key, "total", M(f, s, M_REQ)->key};
    const char *const lat_ser[4] = {"latency", M(f, s, M_LAT)->key, NULL, NULL};
    snprintf(name, sizeof name, "%s-availability", f->names[s]);
    fputs("\n  ", fp);
    write_slo(f, fp, name, "ratio", ratio_ser, NAN, SLO_AVAIL_OBJ, bad, tot);
    /* latency: one event per present point, bad above the threshold */
    for (long i = 0; i < n; i++) {
        double x = lat->v[i];
        tot[i] = isnan(x) ? NAN : 1.0;
        bad[i] = isnan(x) ? NAN : x > f->slo_lat_thr ? 1.0 : 0.0;
    }
    snprintf(name, sizeof name, "%s-latency", f->names[s]);
    fputs(",\n  ", fp);
    write_slo(f, fp, name, "latency", lat_ser, f->slo_lat_thr, SLO_LAT_OBJ, bad, tot);
    fputs("\n]", fp);
    free(bad);
    return HR_OK;
}

static int write_truth(const fleet *f, const orders *od, const hr_seriesset *set, const char *dir, const char *name,
                       hr_err *err)
{
    outf o;
    int rc = out_open(&o, dir, name, err);
    if (rc)
        return rc;
    FILE *fp = o.fp;
    char tb[40], tc[40];
    /* anomalies */
    size_t na = 0;
    for (long i = 0; i < f->nsvc * NMET; i++)
        na += (size_t)f->m[i].nspans;
    anom *an = malloc((na + 1) * sizeof *an);
    long *keyord = malloc((size_t)(f->nsvc * NMET) * sizeof *keyord);
    if (!an || !keyord) {
        free(an), free(keyord);
        fclose(fp);
        remove(o.tmp);
        return oom(err);
    }
    na = 0;
    for (long i = 0; i < f->nsvc * NMET; i++)
        for (int k = 0; k < f->m[i].nspans; k++)
            an[na++] = (anom){f->m[i].spans[k].h0, f->m[i].spans[k].h1, &f->m[i], &f->m[i].spans[k]};
    qsort(an, na, sizeof *an, cmp_anom);
    fputs("{\"anomalies\":[", fp);
    for (size_t i = 0; i < na; i++) {
        const span *sp = an[i].sp;
        fprintf(fp, "%s\n  {\"direction\":\"%s\",\"end\":\"%s\",\"factor\":", i ? "," : "",
                sp->factor >= 1.0 ? "spike" : "dip", tstr(f, sp->h1, tb));
        json_num(fp, sp->factor);
        fprintf(fp, ",\"incident_id\":\"INC-%03ld\",\"origin\":%s,\"series\":", od->id[sp->inc],
                sp->origin ? "true" : "false");
        json_str(fp, an[i].m->key);
        fprintf(fp, ",\"start\":\"%s\"}", tstr(f, sp->h0, tb));
    }
    fprintf(fp, "\n],\"as_of\":\"%s\",\n", tstr(f, f->N - 1, tb));
    write_conventions(fp);
    /* events */
    fputs(",\"events\":[", fp);
    for (size_t i = 0; i < f->nev; i++) {
        const event *e = &f->ev[od->ev[i]];
        static const char *const kinds[] = {"step", "no_effect", "planned"};
        fprintf(fp, "%s\n  {\"date\":\"%s\",\"expected_change_pct\":", i ? "," : "", dstr(f, e->day, tb));
        json_num(fp, e->has_pct ? e->pct : NAN);
        fprintf(fp, ",\"kind\":\"%s\",\"name\":", kinds[e->kind]);
        json_str(fp, e->name);
        fputs(",\"scope\":", fp);
        json_str(fp, e->scope);
        fputc('}', fp);
    }
    /* gaps, in (start, key) order */
    fputs("\n],\"gaps\":[", fp);
    for (long i = 0; i < f->nsvc * NMET; i++)
        keyord[i] = i;
    sort_fleet = f;
    qsort(keyord, (size_t)(f->nsvc * NMET), sizeof *keyord, cmp_key);
    {
        size_t ng = 0;
        for (long i = 0; i < f->nsvc * NMET; i++)
            ng += (size_t)f->m[i].ngaps;
        anom *g = malloc((ng + 1) * sizeof *g);
        if (!g) {
            free(an), free(keyord);
            fclose(fp);
            remove(o.tmp);
            return oom(err);
        }
        ng = 0;
        for (long i = 0; i < f->nsvc * NMET; i++)
            for (int k = 0; k < f->m[i].ngaps; k++)
                g[ng++] = (anom){f->m[i].gaps[k].h0, f->m[i].gaps[k].h1, &f->m[i], NULL};
        qsort(g, ng, sizeof *g, cmp_anom);
        for (size_t i = 0; i < ng; i++) {
            fprintf(fp, "%s\n  {\"end\":\"%s\",\"series\":", i ? "," : "", tstr(f, g[i].h1, tb));
            json_str(fp, g[i].m->key);
            fprintf(fp, ",\"start\":\"%s\"}", tstr(f, g[i].h0, tb));
        }
        free(g);
    }
    /* incidents */
    fputs("\n],\"incidents\":[", fp);
    for (size_t r = 0; r < f->ninc; r++) {
        const incident *in = &f->inc[od->inc[r]];
        int64_t t0 = f->t0_ms + (int64_t)inc_start(in) * HOUR_MS, t1 = f->t0_ms + (int64_t)inc_end(in) * HOUR_MS;
        fprintf(fp, "%s\n  {\"detected\":\"%s\",\"end\":\"%s\",\"id\":\"INC-%03ld\",\"listed\":%s,\"origin_service\":",
                r ? "," : "", hr_time_format(t0 + in->det_min * 60000, tb, sizeof tb), hr_time_format(t1, tc, sizeof tc),
                od->id[od->inc[r]], in->listed ? "true" : "false");
        json_str(fp, f->names[in->svc[0]]);
        fprintf(fp, ",\"recurring\":%s,\"resolved\":\"%s\",\"services\":[", in->recurring ? "true" : "false",
                hr_time_format(t1 + in->res_min * 60000, tb, sizeof tb));
        for (int k = 0; k < in->n; k++) {
            fputs(k ? "," : "", fp);
            json_str(fp, f->names[in->svc[k]]);
        }
        fprintf(fp, "],\"start\":\"%s\",\"title\":", hr_time_format(t0, tb, sizeof tb));
        json_str(fp, in->title);
        fprintf(fp, ",\"type\":\"%s\"}", ITYPE[in->type]);
    }
    /* the changes log: the cause of each change (an incident id), its
     * rollback, and the step it came with */
    fprintf(fp, "\n],\"changes\":{\"window_s\":%d,\"changes\":[", CHG_WINDOW_S);
    for (size_t c = 0; c < f->nchg; c++) {
        const chg *x = &f->chg[c];
        fprintf(fp, "%s\n  {\"cause\":", c ? "," : "");
        if (x->cause >= 0)
            fprintf(fp, "\"INC-%03ld\"", od->id[x->cause]);
        else
            fputs("null", fp);
        fputs(",\"commit_time\":", fp);
        if (x->lead_min >= 0)
            fprintf(fp, "\"%s\"", chg_time(f, x->t_s - x->lead_min * 60, tb, sizeof tb));
        else
            fputs("null", fp);
        fprintf(fp, ",\"id\":\"%ld\",\"kind\":\"%s\",\"rollback_of\":", x->id, CKIND[x->kind]);
        if (x->rollback_of >= 0)
            fprintf(fp, "\"%ld\"", f->chg[x->rollback_of].id);
        else
            fputs("null", fp);
        fputs(",\"service\":", fp);
        json_str(fp, f->names[x->svc]);
        fputs(",\"step_series\":", fp);
        if (x->step_met >= 0)
            json_str(fp, M(f, x->svc, x->step_met)->key);
        else
            fputs("null", fp);
        fprintf(fp, ",\"time\":\"%s\"}", chg_time(f, x->t_s, tb, sizeof tb));
    }
    fprintf(fp, "\n]},\"params\":{\"days\":%ld,\"horizon_days\":%d,\"seed\":%" PRIu64
                ",\"services\":%ld,\"start\":\"%s\",\"step_seconds\":3600},\n\"series\":[",
            f->days, HORIZON_DAYS, f->seed, f->nsvc, tstr(f, 0, tb));
    for (long i = 0; i < f->nsvc * NMET; i++) {
        fputs(i ? ",\n  " : "\n  ", fp);
        write_series_truth(f, fp, &f->m[keyord[i]]);
    }
    fputs("\n],", fp);
    free(an), free(keyord);
    if ((rc = write_slos(f, set, fp, err))) {
        fclose(fp);
        remove(o.tmp);
        return rc;
    }
    fputs("}\n", fp);
    return out_close(&o, err);
}

/* ---- main ------------------------------------------------------------------ */

static void usage(FILE *fp)
{
    fprintf(fp, "Usage: gen_fleet --out DIR [--seed N] [--services N] [--days N] [--yearly A]\n"
                "       gen_fleet --store FILE.h5 [--seed N] [--services N] [--days N] [--yearly A]\n\n"
                "Generates a deterministic demo fleet with known ground truth: hourly cpu,\n"
                "memory, disk, request and error counters and p99 latency per service,\n"
                "from 2025-01-01T00:00:00Z for --days days.\n\n"
                "  --out DIR       write DIR/exports/{cpu_mem_disk.csv,latency_grafana.csv,\n"
                "                  requests_prometheus.json}, DIR/inventory.csv, DIR/events.csv,\n"
                "                  DIR/incidents.csv, DIR/changes.csv and DIR/truth.json\n"
                "  --store FILE    write the series straight into a headroom HDF5 store\n"
                "                  (replaced), and the truth to FILE.truth.json\n"
                "  --seed N        random seed (default 42); same seed, same bytes\n"
                "  --services N    number of services, 1..100000 (default 24; six series each)\n"
                "  --days N        days of history, 60..3660 (default 365)\n"
                "  --yearly A      a yearly season on every series but disk (and latency\n"
                "                  through cpu): x exp(A) at a December peak (15 Dec, 10 d\n"
                "                  wide), x exp(-0.4 A) in an August lull; 0..1 (default 0)\n\n"
                "Exit status: 0 ok, 64 usage, 70 internal, 73 cannot create, 74 I/O, 75 store locked.\n");
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (errno || end == s || *end || x < lo || x > hi)
        return -1;
    *out = x;
    return 0;
}

static int run(fleet *f, const char *out, const char *store, hr_err *err)
{
    hr_seriesset set = {0};
    orders od = {0};
    int rc;
    if ((rc = make_services(f, err)) || (rc = make_steps(f, err)))
        goto done;
    make_resets(f);
    if ((rc = make_incidents(f, err)))
        goto done;
    make_gaps(f);
    if ((rc = make_slo_burns(f, err)) || (rc = make_capacity(f, err)) || (rc = make_planned(f, err)))
        goto done;
    finish_truth(f);
    if ((rc = make_values(f, &set, err)) || (rc = make_orders(f, &od, err)) || (rc = make_changes(f, err)))
        goto done;
    if (out) {
        char sub[4200];
        snprintf(sub, sizeof sub, "%s/exports", out);
        if ((rc = hr_mkdirs(sub, err)) || (rc = write_long_csv(f, &set, out, err)) ||
            (rc = write_grafana(f, &set, out, err)) || (rc = write_prometheus(f, &set, out, err)) ||
            (rc = write_inventory(f, out, err)) || (rc = write_events(f, &od, out, err)) ||
            (rc = write_incidents(f, &od, out, err)) || (rc = write_changes(f, out, err)) || (rc = write_truth(f, &od, &set, out, "truth.json", err)))
            goto done;
    }
    if (store) {
        int fd = -1;
        if ((rc = hr_store_lock(store, &fd, err)))
            goto done;
        rc = hr_store_write(store, &set, err);
        hr_store_unlock(fd);
        if (rc)
            goto done;
        char tname[4200];
        snprintf(tname, sizeof tname, "%s.truth.json", store);
        rc = write_truth(f, &od, &set, NULL, tname, err);
    }
done:
    free(od.ev), free(od.inc), free(od.id);
    hr_seriesset_clear(&set);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {{"out", required_argument, 0, 'o'},      {"store", required_argument, 0, 's'},
                                       {"seed", required_argument, 0, 'S'},     {"services", required_argument, 0, 'n'},
                                       {"days", required_argument, 0, 'd'},     {"help", no_argument, 0, 'h'},
                                       {"yearly", required_argument, 0, 'y'},
                                       {0, 0, 0, 0}};
    const char *out = NULL, *store = NULL;
    long nsvc = 24, days = 365;
    uint64_t seed = 42;
    double yearly = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 's': store = optarg; break;
        case 'S': {
            char *end;
            errno = 0;
            unsigned long long x = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || optarg[0] == '-') {
                fprintf(stderr, "gen_fleet: error: --seed wants a non-negative integer\n");
                return HR_EUSAGE;
            }
            seed = (uint64_t)x;
            break;
        }
        case 'n':
            if (parse_long(optarg, 1, 100000, &nsvc)) {
                fprintf(stderr, "gen_fleet: error: --services wants 1..100000\n");
                return HR_EUSAGE;
            }
            break;
        case 'd':
            if (parse_long(optarg, 60, 3660, &days)) {
                fprintf(stderr, "gen_fleet: error: --days wants 60..3660\n");
                return HR_EUSAGE;
            }
            break;
        case 'y': {
            char *end;
            errno = 0;
            yearly = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(yearly >= 0 && yearly <= 1)) {
                fprintf(stderr, "gen_fleet: error: --yearly wants a number in 0..1\n");
                return HR_EUSAGE;
            }
            break;
        }
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return HR_EUSAGE;
        }
    }
    if (optind != argc || (!out && !store)) {
        fprintf(stderr, "gen_fleet: error: want --out DIR or --store FILE.h5 (and no other arguments)\n");
        usage(stderr);
        return HR_EUSAGE;
    }
    fleet f = {0};
    f.seed = seed;
    f.nsvc = nsvc;
    f.days = days;
    f.yearly = yearly;
    f.N = days * 24;
    f.asof_day = days - 1;
    int64_t d0 = hr_days_from_civil(2025, 1, 1);
    f.t0_ms = d0 * DAY_MS;
    f.dow0 = (int)((d0 + 4) % 7); /* 1970-01-01 was a Thursday */
    f.slo_svc = strcmp(NAMES[0], SLO_SVC) == 0 ? 0 : -1;
    hr_err err = {0};
    int rc = run(&f, out, store, &err);
    if (rc)
        fprintf(stderr, "gen_fleet: error: %s\n", err.msg);
    free(f.names), free(f.m), free(f.ev), free(f.inc), free(f.busy), free(f.chg);
    return rc;
}
