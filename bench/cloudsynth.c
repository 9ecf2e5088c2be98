/* cloudsynth.c -- writes a labelled, synthetic anomaly benchmark of cloud
 * metrics in the Numenta Anomaly Benchmark layout, so that build/bench/nab
 * scores it like ../shared/datasets/nab-dev.
 *
 * Usage: build/bench/cloudsynth OUTDIR
 *
 * Why: the detector is tuned on nab-dev and judged on NAB's held-out part
 * (AWS CloudWatch, known-cause system failures, road traffic), which we may
 * not download. This is an independent check with known truth on series
 * that behave like those: six categories of 6-8 files, 4,000-16,000 rows
 * each, every file with its own random parameters, about a quarter of them
 * with no anomaly at all. The normal regimes are deliberately busy
 * (autoscaling steps, cron spikes, latency bursts, nightly backups, missing
 * rows, rush hours, irregular timestamps), because a detector that flags
 * them is wrong there, and the clean files are where that costs it.
 *
 *   synthAutoscale  per-instance CPU % of an autoscaling group
 *   synthCounter    request / byte rates from counters, rows missing
 *   synthDisk       disk write bytes/s with a daily and a weekly backup
 *   synthLatency    request latency ms, lognormal, with short bursts
 *   synthSensor     machine temperature (5 min) / ambient (hourly), AR
 *   synthTraffic    road speed / occupancy at irregular timestamps
 * OUTDIR/README.md (written by this program) describes every category and
 * anomaly kind; the window rule is NAB's:
 *   - the window length is floor(0.10 * rows / anomalies) rows, centred on
 *     the anomaly's first row and clipped to the file;
 *   - anomaly starts are drawn at random rows after the probationary 15%
 *     plus about a week of history (halved until the anomalies fit), at
 *     least two windows apart, and never past the last half window;
 *   - an anomaly's effect ends before the next one's window opens; effects
 *     that persist to the end of the file (stuck CPU, a new client, a leak)
 *     are only ever a file's last anomaly.
 * Output: OUTDIR/data/<category>/<file>.csv (`timestamp,value`, timestamps
 * `YYYY-MM-DD HH:MM:SS` in UTC), OUTDIR/labels/combined_windows.json
 * (`"<category>/<file>.csv": [[start, end], ...]`, timestamps with
 * `.000000` as NAB writes them) and combined_labels.json (anomaly starts),
 * keys sorted, and labels/kinds.csv (`file,kind,row,end_row`: each
 * anomaly's kind, the 0-based data row where its effect starts and the
 * first row after it; bench/nab breaks recall down by kind with it). Files from an earlier run under other names are left alone
 * (they are not in the labels, so nab ignores them).
 *
 * Deterministic: every file has its own xoshiro256** stream seeded through
 * splitmix64 from (a fixed seed, category, file index), so output is
 * byte-identical between runs and machines; no rand(), no time().
 * One line per category goes to stdout. Exit 0, 64 on bad usage, 74 on an
 * I/O error (with a message on stderr). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SEED UINT64_C(0x636c6f756473796e) /* "cloudsyn" */
#define MAX_ROWS 16000
#define MAX_ANOM 3
#define MAX_FILES 64
#define DAY 86400.0
#define HOUR 3600.0
#define TWO_PI 6.283185307179586

/* ---- PRNG: xoshiro256** (Blackman & Vigna 2018), seeded by splitmix64 ---- */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* Uniform in [0, 1) with 53 random bits. */
static double unif(rng *r) { return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }

static double uniform(rng *r, double lo, double hi) { return lo + (hi - lo) * unif(r); }

/* Log-uniform in [lo, hi): scales (bytes/s, ms) spread over decades. */
static double log_uniform(rng *r, double lo, double hi) { return exp(uniform(r, log(lo), log(hi))); }

/* An integer in [0, n). */
static size_t pick(rng *r, size_t n) { return (size_t)(unif(r) * (double)n); }

/* Standard normal (Box-Muller, one value per call: simple, fast enough). */
static double gauss(rng *r)
{
    double u = 1.0 - unif(r); /* (0, 1]: log(u) is finite */
    return sqrt(-2.0 * log(u)) * cos(TWO_PI * unif(r));
}

/* Poisson count: inversion by multiplication below 30, else the normal
 * approximation, rounded (its error is far below the added noise). */
static double poisson(rng *r, double lam)
{
    if (lam <= 0.0)
        return 0.0;
    if (lam < 30.0) {
        double lim = exp(-lam), p = unif(r);
        double k = 0.0;
        while (p > lim) {
            p *= unif(r);
            k += 1.0;
        }
        return k;
    }
    double v = floor(lam + sqrt(lam) * gauss(r) + 0.5);
    return v < 0.0 ? 0.0 : v;
}

/* ---- slow processes and calendar shapes ----------------------------------- */

/* An Ornstein-Uhlenbeck process (exact discretisation, so irregular steps
 * and gaps are fine): stationary standard deviation sd, time constant tau_s. */
typedef struct ou {
    double x, tau_s, sd;
} ou;

static void ou_init(ou *o, rng *r, double tau_s, double sd)
{
    o->tau_s = tau_s;
    o->sd = sd;
    o->x = sd * gauss(r);
}

static double ou_next(ou *o, rng *r, double dt_s)
{
    double e = exp(-dt_s / o->tau_s);
    o->x = o->x * e + o->sd * sqrt(1.0 - e * e) * gauss(r);
    return o->x;
}

/* Local hour of day in [0, 24) and day of week (0 = Sunday): the epoch
 * started on a Thursday. */
static double hour_of(int64_t t, int64_t tz_s)
{
    int64_t s = (t + tz_s) % 86400;
    return (double)(s < 0 ? s + 86400 : s) / HOUR;
}

static int dow_of(int64_t t, int64_t tz_s)
{
    int64_t d = (t + tz_s) / 86400;
    return (int)((d + 4) % 7);
}

/* 1 on Saturday and Sunday, 0 on weekdays, with 6-hour linear ramps
 * centred on the midnights, so that demand does not jump at midnight. */
static double weekend_weight(int64_t t, int64_t tz_s)
{
    double x = (double)((dow_of(t, tz_s) + 6) % 7) + hour_of(t, tz_s) / 24.0; /* Monday 00:00 = 0 */
    const double ramp = 0.125;
    double w;
    if (x < 1.0)
        w = (ramp - x) / (2.0 * ramp);
    else if (x < 6.0)
        w = (x - (5.0 - ramp)) / (2.0 * ramp);
    else
        w = ((7.0 + ramp) - x) / (2.0 * ramp);
    return w < 0.0 ? 0.0 : w > 1.0 ? 1.0 : w;
}

/* A demand multiplier around 1: two daily harmonics (peak hour and a
 * second bump), and on weekends a lower level and a flatter shape. */
typedef struct pattern {
    int64_t tz_s;
    double peak_h, amp, peak2_h, amp2, wk_level, wk_amp;
} pattern;

static void pattern_init(pattern *p, rng *r, int64_t tz_s, double amp_lo, double amp_hi, double wk_lo, double wk_hi)
{
    p->tz_s = tz_s;
    p->peak_h = uniform(r, 12.0, 17.0);
    p->amp = uniform(r, amp_lo, amp_hi);
    p->peak2_h = uniform(r, 0.0, 12.0);
    p->amp2 = p->amp * uniform(r, 0.0, 0.3);
    p->wk_level = uniform(r, wk_lo, wk_hi);
    p->wk_amp = uniform(r, 0.4, 0.9);
}

static double pattern_at(const pattern *p, int64_t t)
{
    double h = hour_of(t, p->tz_s), w = TWO_PI / 24.0;
    double shape = p->amp * cos(w * (h - p->peak_h)) + p->amp2 * cos(2.0 * w * (h - p->peak2_h));
    double ww = weekend_weight(t, p->tz_s);
    double v = (1.0 - ww + ww * p->wk_level) * (1.0 + shape * (1.0 - ww + ww * p->wk_amp));
    return v > 0.02 ? v : 0.02;
}

/* ---- files, anomalies and windows ----------------------------------------- */

enum kind {
    K_STUCK, K_DEAD, K_RUNAWAY,               /* synthAutoscale */
    K_REGRESS, K_JITTER, K_BIGBURST,          /* synthLatency */
    K_MISSING, K_WRONGTIME, K_SIZE3, K_PLATEAU, /* synthDisk */
    K_OUTAGE, K_DOUBLE, K_LEAK,               /* synthCounter */
    K_FAILURE, K_SPIKE, K_FLAT,               /* synthSensor */
    K_CONGEST, K_STUCKVAL, K_NIGHT            /* synthTraffic */
};

static const char *const kind_name[] = {
    "stuck", "dead", "runaway", "regress", "jitter", "bigburst", "missing", "wrongtime", "size3", "plateau",
    "outage", "double", "leak", "failure", "spike", "flat", "congest", "stuckval", "night"};
_Static_assert(sizeof kind_name / sizeof *kind_name == K_NIGHT + 1, "a name per kind");

/* Effects that last to the end of the file: only a file's last anomaly. */
static int persistent(int k) { return k == K_STUCK || k == K_DOUBLE || k == K_LEAK; }

/* One generated file. t[] and x[] are the caller's buffers of MAX_ROWS. */
typedef struct file {
    char name[64];
    size_t n;
    int64_t *t; /* UTC seconds, increasing */
    double *x;
    double step_s; /* mean spacing of the rows */
    int64_t tz_s;  /* local time offset of the daily pattern */
    int decimals;
    int na;
    size_t a[MAX_ANOM];   /* anomaly start rows, ascending */
    int kind[MAX_ANOM];
    size_t end[MAX_ANOM]; /* first row after the effect */
    size_t half;          /* half the window length, rows */
} file;

/* Rows covering dt_s seconds (at least 1). */
static size_t rows_for(const file *f, double dt_s)
{
    double k = floor(dt_s / f->step_s + 0.5);
    return k < 1.0 ? 1 : (size_t)k;
}

/* A random start, aligned to step_s, between 2021-01-04 and mid-2024. */
static int64_t start_time(rng *r, int64_t step_s)
{
    int64_t t = INT64_C(1609718400) + (int64_t)pick(r, 1250) * 86400 + (int64_t)pick(r, 86400);
    return t - t % step_s;
}

/* Regular timestamps every step_s from a random start; each grid point is
 * dropped with probability p_drop, and with p_drop / 10 a run of 2-6 is
 * (a collector restart), so the rows have gaps but the grid stays. */
static void grid(file *f, rng *r, int64_t step_s, size_t n, double p_drop)
{
    int64_t t = start_time(r, step_s);
    f->n = n;
    for (size_t i = 0; i < n; t += step_s) {
        if (i > 0 && unif(r) < p_drop) {
            if (unif(r) < 0.1)
                t += step_s * (int64_t)(1 + pick(r, 5));
            continue;
        }
        f->t[i++] = t;
    }
    f->step_s = (double)(f->t[n - 1] - f->t[0]) / (double)(n - 1);
}

/* Draws how many anomalies the file has and their kinds: first is forced
 * (so every kind of a category occurs), the rest are drawn; a persistent
 * kind occurs at most once and goes last. */
static void choose_kinds(file *f, rng *r, int first, const int *kinds, int nk)
{
    double u = unif(r);
    f->na = u < 0.45 ? 1 : u < 0.85 ? 2 : 3;
    f->kind[0] = first;
    int have = persistent(first);
    for (int k = 1; k < f->na; k++) {
        int kd;
        do
            kd = kinds[pick(r, (size_t)nk)];
        while (have && persistent(kd));
        have |= persistent(kd);
        f->kind[k] = kd;
    }
    for (int k = 0; k + 1 < f->na; k++)
        if (persistent(f->kind[k])) {
            int tmp = f->kind[k];
            f->kind[k] = f->kind[f->na - 1];
            f->kind[f->na - 1] = tmp;
        }
}

/* Places the anomaly starts at random rows (NAB's window rule, see the
 * banner). slack_s is how far a generator may later move a start (snapping
 * to the next backup or the next night, up to a day forward and half a day
 * back): it widens the spacing and narrows the range by as much. */
static void place(file *f, rng *r, double slack_s)
{
    if (!f->na)
        return;
    size_t n = f->n, slack = slack_s > 0.0 ? rows_for(f, slack_s) : 0;
    size_t prob = (size_t)floor(0.15 * (double)n), hist = rows_for(f, 7.0 * DAY);
    size_t w, lo, hi, sep;
    for (;;) {
        w = (size_t)(0.10 * (double)n / f->na);
        f->half = w / 2;
        sep = 2 * w + slack;
        lo = prob + (hist > f->half ? hist : f->half) + slack / 2;
        hi = n - 1 - f->half - slack;
        if (lo + (size_t)(f->na - 1) * sep < hi)
            break;
        if (hist > f->half)
            hist /= 2; /* less history rather than fewer anomalies */
        else if (--f->na == 0) /* cannot happen at 4,000 rows and 3 anomalies */
            return;
    }
    size_t span = hi - lo - (size_t)(f->na - 1) * sep, u[MAX_ANOM];
    for (int k = 0; k < f->na; k++)
        u[k] = pick(r, span + 1);
    for (int k = 1; k < f->na; k++) /* insertion sort of <= 3 */
        for (int j = k; j > 0 && u[j] < u[j - 1]; j--) {
            size_t tmp = u[j];
            u[j] = u[j - 1];
            u[j - 1] = tmp;
        }
    for (int k = 0; k < f->na; k++)
        f->a[k] = lo + u[k] + (size_t)k * sep;
}

/* Sets the end of anomaly k's effect: dur_s after its start, but before
 * the next anomaly's window opens; persistent kinds run to the end. */
static void set_end(file *f, int k, double dur_s)
{
    size_t lim = f->n;
    if (k + 1 < f->na)
        lim = f->a[k + 1] - f->half;
    size_t e = persistent(f->kind[k]) ? f->n : f->a[k] + rows_for(f, dur_s);
    f->end[k] = e < lim ? e : lim;
}

/* The anomaly active at row i (its index, offset set to i - start), or -1. */
static int active(const file *f, size_t i, size_t *off)
{
    for (int k = 0; k < f->na; k++)
        if (i >= f->a[k] && i < f->end[k]) {
            *off = i - f->a[k];
            return k;
        }
    return -1;
}

/* The first row at or after t (n when none). */
static size_t row_at(const file *f, int64_t t)
{
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->t[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

static double dt_at(const file *f, size_t i) { return i ? (double)(f->t[i] - f->t[i - 1]) : f->step_s; }

/* A random local time zone among those fleets run in. */
static int64_t pick_tz(rng *r)
{
    static const int hours[] = {-8, -7, -5, -3, 0, 1, 2, 5, 8, 9};
    return (int64_t)hours[pick(r, sizeof hours / sizeof *hours)] * 3600;
}

/* A row count in [lo, hi]. */
static size_t pick_rows(rng *r, size_t lo, size_t hi) { return lo + pick(r, hi - lo + 1); }

/* ---- synthAutoscale --------------------------------------------------------- */

/* CPU % of one instance of an autoscaling group: the group's demand (daily
 * and weekly pattern, slow wander) shared by N instances. The autoscaler
 * adds an instance when the instance runs above target + 15 for 5 minutes
 * and removes one below target - 20 for 20-40 minutes; instance
 * replacements add one for 15-60 minutes about every two days; a daily
 * cron job spikes the CPU for a few minutes. All of that is normal.
 * Anomalies: STUCK pegs the instance at ~99% to the end; DEAD drops it to
 * ~0 for 1-12 h; RUNAWAY ramps it to 100% over 3-18 h, pegged 1-6 h more. */
static void gen_autoscale(file *f, rng *r)
{
    int64_t step = unif(r) < 0.7 ? 300 : 60;
    grid(f, r, step, pick_rows(r, 4000, MAX_ROWS), 0.0);
    f->decimals = 3;
    pattern p;
    pattern_init(&p, r, f->tz_s, 0.25, 0.6, 0.5, 0.95);
    place(f, r, 0.0);

    double base = uniform(r, 3.0, 14.0), target = uniform(r, 40.0, 65.0);
    double noise = uniform(r, 0.5, 2.5), cron_amp = uniform(r, 10.0, 30.0);
    double cron_at = uniform(r, 0.0, 24.0), cron_len = uniform(r, 2.0, 10.0) * 60.0;
    ou wander, jit;
    ou_init(&wander, r, 2.0 * DAY, 0.08);
    ou_init(&jit, r, 1200.0, uniform(r, 0.8, 2.5));
    size_t out_after = rows_for(f, 300.0), in_after = rows_for(f, uniform(r, 1200.0, 2400.0));
    int nmin = 2 + (int)pick(r, 2), ninst = nmin, extra = 0;
    size_t hot = 0, cold = 0, extra_left = 0;
    double durs[MAX_ANOM], ramp[MAX_ANOM];
    for (int k = 0; k < f->na; k++) {
        ramp[k] = uniform(r, 3.0, 18.0) * HOUR;
        durs[k] = f->kind[k] == K_DEAD ? uniform(r, 1.0, 12.0) * HOUR : ramp[k] + uniform(r, 1.0, 6.0) * HOUR;
        set_end(f, k, durs[k]);
    }
    int64_t cron_day = -1;
    int cron_runs = 0;
    for (size_t i = 0; i < f->n; i++) {
        double dt = dt_at(f, i);
        double demand = base * pattern_at(&p, f->t[i]) * exp(ou_next(&wander, r, dt));
        if (i == 0)
            while (100.0 * demand / ninst > target + 10.0)
                ninst++;
        if (!extra && unif(r) < dt / (2.0 * DAY)) { /* an instance replaced */
            extra = 1;
            extra_left = rows_for(f, uniform(r, 900.0, 3600.0));
        }
        double util = 100.0 * demand / (ninst + extra);
        if (extra && --extra_left == 0)
            extra = 0;
        /* the autoscaler reacts after this row */
        hot = util > target + 15.0 ? hot + 1 : 0;
        cold = util < target - 20.0 ? cold + 1 : 0;
        if (hot >= out_after) {
            ninst++;
            hot = 0;
        } else if (cold >= in_after && ninst > nmin) {
            ninst--;
            cold = 0;
        }
        double x = util + ou_next(&jit, r, dt) + noise * gauss(r);
        int64_t day = (f->t[i] + f->tz_s) / 86400;
        if (day != cron_day) {
            cron_day = day;
            cron_runs = unif(r) < 0.85;
        }
        double into = hour_of(f->t[i], f->tz_s) * HOUR - cron_at * HOUR;
        if (cron_runs && into >= 0.0 && into < cron_len + f->step_s - 1.0)
            x += cron_amp * (1.0 + 0.15 * gauss(r));
        size_t off;
        int k = active(f, i, &off);
        if (k >= 0) {
            double el = (double)off * f->step_s;
            switch (f->kind[k]) {
            case K_STUCK:
                x = 99.0 + 0.8 * gauss(r);
                break;
            case K_DEAD:
                x = 0.4 + fabs(0.3 * gauss(r));
                break;
            default: /* K_RUNAWAY */
                x += (el < ramp[k] ? el / ramp[k] : 1.0) * (99.5 - x);
                break;
            }
        }
        f->x[i] = clampd(x, 0.0, 100.0);
    }
}

/* ---- synthLatency ----------------------------------------------------------- */

/* Request latency in ms: a median that rises with load (daily pattern)
 * and wanders slowly, lognormal noise around it, and about one burst a
 * day of 1-3 points at 1.8-3x (a GC pause, a cold cache): normal.
 * Anomalies: REGRESS multiplies the median by 1.5-3 for 2-12 h (a bad
 * deploy, then a rollback); JITTER multiplies the log-scale spread by 4
 * for 2-12 h with the same median; BIGBURST is 2-6 points at 10-25x. */
static void gen_latency(file *f, rng *r)
{
    int64_t step = unif(r) < 0.6 ? 300 : 60;
    grid(f, r, step, pick_rows(r, 4000, MAX_ROWS), 0.0);
    f->decimals = 2;
    pattern p;
    pattern_init(&p, r, f->tz_s, 0.2, 0.6, 0.5, 0.95);
    place(f, r, 0.0);

    double m0 = log_uniform(r, 15.0, 400.0), beta = uniform(r, 0.1, 0.5), sigma = uniform(r, 0.12, 0.35);
    double burst_rate = uniform(r, 0.7, 1.5);
    ou wander;
    ou_init(&wander, r, DAY, 0.06);
    double fac[MAX_ANOM];
    for (int k = 0; k < f->na; k++) {
        int kd = f->kind[k];
        fac[k] = kd == K_REGRESS ? uniform(r, 1.5, 3.0) : kd == K_JITTER ? 4.0 : uniform(r, 10.0, 25.0);
        set_end(f, k, kd == K_BIGBURST ? (double)(2 + pick(r, 5)) * f->step_s : uniform(r, 2.0, 12.0) * HOUR);
    }
    size_t burst_left = 0;
    double burst = 1.0;
    for (size_t i = 0; i < f->n; i++) {
        double dt = dt_at(f, i);
        double med = m0 * (1.0 + beta * (pattern_at(&p, f->t[i]) - 1.0)) * exp(ou_next(&wander, r, dt));
        double s = sigma, mult = 1.0;
        if (!burst_left && unif(r) < burst_rate * dt / DAY) {
            burst_left = 1 + pick(r, 3);
            burst = uniform(r, 1.8, 3.0);
        }
        if (burst_left) {
            burst_left--;
            mult = burst * (1.0 + 0.1 * gauss(r));
        }
        size_t off;
        int k = active(f, i, &off);
        if (k >= 0) {
            if (f->kind[k] == K_REGRESS)
                med *= fac[k];
            else if (f->kind[k] == K_JITTER)
                s *= fac[k];
            else
                mult = fac[k] * (1.0 + 0.15 * gauss(r));
        }
        f->x[i] = med * mult * exp(s * gauss(r));
    }
}

/* ---- synthDisk -------------------------------------------------------------- */

/* One run of the backup job: [start, end) and its write rate. */
typedef struct job {
    int64_t s, e;
    double rate;
} job;

/* Disk write bytes/s: background writes on the daily pattern with
 * lognormal noise, plus a backup every day at a fixed local time (01:00-
 * 04:00 plus minutes) for 30-60 minutes at 6-25x the background, replaced
 * on Sundays by a full backup 2-3x as long at 1.2-1.5x the rate: normal,
 * and the same size every time (within a few %). Each row holds the mean
 * rate over [t, t + step), so at hourly steps a backup is one raised row.
 * Steps are 5 min (at least 6,000 rows, three weeks) or hourly.
 * Anomalies: MISSING (the backup does not run), WRONGTIME (it runs 4-10 h
 * early or late; the label is whichever comes first, the run or the gap),
 * SIZE3 (3x the bytes: 1.5-2x the rate for the rest of 3x as long),
 * PLATEAU (a sustained extra 20-50% of the backup rate for 6-36 h). */
static void gen_disk(file *f, rng *r)
{
    /* no 1-minute files: they would span a few days and show the weekly
     * backup once, with nothing to learn it from */
    int64_t step = unif(r) < 0.75 ? 300 : 3600;
    grid(f, r, step, step == 3600 ? pick_rows(r, 4000, 9000) : pick_rows(r, 6000, MAX_ROWS), 0.0);
    f->decimals = 0;
    pattern p;
    pattern_init(&p, r, f->tz_s, 0.2, 0.5, 0.6, 0.9);
    place(f, r, 1.5 * DAY);

    double b0 = log_uniform(r, 1e6, 2e7), noise = uniform(r, 0.1, 0.25);
    double at_s = uniform(r, 1.0, 4.0) * HOUR, dur_s = uniform(r, 30.0, 60.0) * 60.0;
    double rate = b0 * uniform(r, 6.0, 25.0), wk_dur = uniform(r, 2.0, 3.0), wk_rate = uniform(r, 1.2, 1.5);
    ou wander;
    ou_init(&wander, r, 3.0 * DAY, 0.1);

    /* the job calendar, one run per local day */
    int64_t d0 = (f->t[0] + f->tz_s) / 86400 - 1, d1 = (f->t[f->n - 1] + f->tz_s) / 86400 + 1;
    size_t nj = (size_t)(d1 - d0 + 1);
    job *jobs = malloc(nj * sizeof *jobs);
    if (!jobs) {
        fprintf(stderr, "cloudsynth: out of memory\n");
        exit(70);
    }
    for (size_t j = 0; j < nj; j++) {
        int64_t day = d0 + (int64_t)j;
        int64_t s = day * 86400 - f->tz_s + (int64_t)(at_s + 60.0 * gauss(r));
        int weekly = (day + 4) % 7 == 0;
        double d = dur_s * (1.0 + 0.03 * gauss(r)) * (weekly ? wk_dur : 1.0);
        jobs[j] = (job){s, s + (int64_t)d, rate * (1.0 + 0.04 * gauss(r)) * (weekly ? wk_rate : 1.0)};
    }
    /* job anomalies snap to the next run at or after the drawn row; the
     * ends are set once every start has moved */
    double plateau[MAX_ANOM] = {0}, dur[MAX_ANOM];
    for (int k = 0; k < f->na; k++) {
        int kd = f->kind[k];
        if (kd == K_PLATEAU) {
            plateau[k] = rate * uniform(r, 0.2, 0.5);
            dur[k] = uniform(r, 6.0, 36.0) * HOUR;
            continue;
        }
        size_t j = 0;
        while (j + 1 < nj && jobs[j].s < f->t[f->a[k]])
            j++;
        job *jb = &jobs[j];
        int64_t first = jb->s, last = jb->e;
        if (kd == K_MISSING) {
            jb->rate = 0.0;
        } else if (kd == K_WRONGTIME) {
            int64_t shift = (int64_t)(uniform(r, 4.0, 10.0) * HOUR) * (unif(r) < 0.5 ? -1 : 1);
            jb->s += shift;
            jb->e += shift;
            if (shift < 0)
                first = jb->s;
            else
                last = jb->e;
        } else { /* K_SIZE3 */
            double fr = uniform(r, 1.5, 2.0);
            jb->rate *= fr;
            jb->e = jb->s + (int64_t)((double)(jb->e - jb->s) * 3.0 / fr);
            last = jb->e;
        }
        /* the row whose interval [t, t + step) holds the first evidence */
        size_t a = row_at(f, first + 1);
        f->a[k] = a > 0 ? a - 1 : 0;
        dur[k] = (double)(last - first) + f->step_s;
    }
    for (int k = 0; k < f->na; k++)
        set_end(f, k, dur[k]);

    size_t j0 = 0;
    for (size_t i = 0; i < f->n; i++) {
        double dt = dt_at(f, i);
        int64_t t = f->t[i], te = t + step;
        double x = b0 * pattern_at(&p, t) * exp(ou_next(&wander, r, dt) + noise * gauss(r));
        while (j0 < nj && jobs[j0].e + 12 * 3600 < t) /* runs moved up to 10 h stay in reach */
            j0++;
        for (size_t j = j0; j < nj && jobs[j].s < te + 12 * 3600; j++) {
            int64_t s = jobs[j].s > t ? jobs[j].s : t, e = jobs[j].e < te ? jobs[j].e : te;
            if (e > s)
                x += jobs[j].rate * (double)(e - s) / (double)step * (1.0 + 0.05 * gauss(r));
        }
        size_t off;
        int k = active(f, i, &off);
        if (k >= 0 && f->kind[k] == K_PLATEAU)
            x += plateau[k] * (1.0 + 0.05 * gauss(r));
        f->x[i] = x > 0.0 ? x : 0.0;
    }
    free(jobs);
}

/* ---- synthCounter ----------------------------------------------------------- */

/* Per-second rates from counters (requests, or network bytes): a rate on
 * the daily/weekly pattern with slow wander and organic growth (-0.2 to
 * +1% a day), counts drawn Poisson around it with 2-12% overdispersion
 * (counter resets are already handled: these are rates). About 0.5% of
 * rows are missing, singly or in short runs. Anomalies: OUTAGE (traffic
 * falls by 40-80% for 20 min to 6 h), DOUBLE (a new client: x1.6-2.2,
 * ramped in over 15-60 min, to the end), LEAK (the slope changes by
 * +-8-30% of the level a day, to the end). */
static void gen_counter(file *f, rng *r)
{
    double u = unif(r);
    int64_t step = u < 0.5 ? 300 : u < 0.8 ? 60 : 3600;
    grid(f, r, step, step == 3600 ? pick_rows(r, 4000, 9000) : pick_rows(r, 4000, MAX_ROWS), 0.004);
    int bytes = strstr(f->name, "bytes") != NULL;
    f->decimals = bytes ? 1 : 4;
    pattern p;
    pattern_init(&p, r, f->tz_s, 0.3, 0.7, 0.4, 0.9);
    place(f, r, 0.0);

    double base = bytes ? log_uniform(r, 1e5, 5e7) : log_uniform(r, 2.0, 800.0);
    double od = bytes ? uniform(r, 0.05, 0.12) : uniform(r, 0.02, 0.06);
    double growth = uniform(r, -0.002, 0.01);
    ou wander;
    ou_init(&wander, r, 2.0 * DAY, 0.07);
    double fac[MAX_ANOM], ramp[MAX_ANOM];
    for (int k = 0; k < f->na; k++) {
        int kd = f->kind[k];
        ramp[k] = uniform(r, 900.0, 3600.0);
        fac[k] = kd == K_OUTAGE ? uniform(r, 0.2, 0.6)
               : kd == K_DOUBLE ? uniform(r, 1.6, 2.2)
                                : uniform(r, 0.08, 0.3) * (unif(r) < 0.5 ? -1.0 : 1.0);
        set_end(f, k, uniform(r, 1200.0, 6.0 * HOUR));
    }
    for (size_t i = 0; i < f->n; i++) {
        double dt = dt_at(f, i), days = (double)(f->t[i] - f->t[0]) / DAY;
        double lam = base * pattern_at(&p, f->t[i]) * exp(ou_next(&wander, r, dt)) * (1.0 + growth * days);
        size_t off;
        int k = active(f, i, &off);
        if (k >= 0) {
            double el = (double)(f->t[i] - f->t[f->a[k]]);
            if (f->kind[k] == K_OUTAGE)
                lam *= fac[k];
            else if (f->kind[k] == K_DOUBLE)
                lam *= 1.0 + (fac[k] - 1.0) * (el < ramp[k] ? el / ramp[k] : 1.0);
            else
                lam *= fmax(0.2, 1.0 + fac[k] * el / DAY);
        }
        lam *= exp(od * gauss(r) - 0.5 * od * od);
        /* bytes: Poisson in packets of ~1,000 bytes, requests: in requests */
        double unit = bytes ? 1000.0 : 1.0;
        f->x[i] = poisson(r, lam * (double)step / unit) * unit / (double)step;
    }
}

/* ---- synthSensor ------------------------------------------------------------ */

/* A machine's temperature every 5 minutes, or a room's ambient temperature
 * every hour (degrees F): a mean that drifts slowly (OU, days to weeks), a
 * fast AR(1) component, measurement noise and at most a weak daily cycle.
 * Anomalies: FAILURE (the temperature declines gradually over a third to
 * four fifths of half a window, by 4-8 short-term sd, then drops sharply
 * by 15-35% and stays down 3-24 h before warming up again; the label is the
 * start of the decline, so early detection pays), SPIKE (1-3 points at
 * +-6-12 short-term sd), FLAT (the reading sticks at one value, variance
 * 0, for 6-48 h, or 1-4 days hourly). */
static void gen_sensor(file *f, rng *r)
{
    int machine = strstr(f->name, "machine") != NULL;
    int64_t step = machine ? 300 : 3600;
    grid(f, r, step, machine ? pick_rows(r, 4000, MAX_ROWS) : pick_rows(r, 4000, 8760), 0.0);
    f->decimals = machine ? 4 : 3;
    place(f, r, 0.0);

    double mu0 = machine ? uniform(r, 60.0, 95.0) : uniform(r, 66.0, 74.0);
    double daily = machine ? uniform(r, 0.0, 1.2) : uniform(r, 0.2, 1.5), peak_h = uniform(r, 12.0, 18.0);
    double meas = machine ? uniform(r, 0.05, 0.2) : 0.05;
    ou slow, fast;
    ou_init(&slow, r, (machine ? uniform(r, 3.0, 10.0) : uniform(r, 5.0, 20.0)) * DAY,
            machine ? uniform(r, 1.5, 4.0) : uniform(r, 1.0, 2.5));
    ou_init(&fast, r, machine ? uniform(r, 1200.0, 7200.0) : uniform(r, 2.0, 8.0) * HOUR,
            machine ? uniform(r, 0.4, 1.5) : uniform(r, 0.3, 0.9));
    double short_sd = sqrt(fast.sd * fast.sd + meas * meas);
    double amt[MAX_ANOM], decl_s[MAX_ANOM], down_s[MAX_ANOM], drop[MAX_ANOM];
    for (int k = 0; k < f->na; k++) {
        int kd = f->kind[k];
        decl_s[k] = uniform(r, 0.3, 0.8) * (double)f->half * f->step_s;
        down_s[k] = uniform(r, 3.0, 24.0) * HOUR;
        drop[k] = uniform(r, 0.15, 0.35) * mu0;
        amt[k] = kd == K_FAILURE ? uniform(r, 4.0, 8.0) * short_sd
                                 : uniform(r, 6.0, 12.0) * short_sd * (unif(r) < 0.3 ? -1.0 : 1.0);
        double dur = kd == K_FAILURE ? decl_s[k] + down_s[k] + 4.0 * HOUR
                   : kd == K_SPIKE   ? (double)(1 + pick(r, 3)) * f->step_s
                   : machine         ? uniform(r, 6.0, 48.0) * HOUR
                                     : uniform(r, 24.0, 96.0) * HOUR;
        set_end(f, k, dur);
    }
    double held = 0.0;
    for (size_t i = 0; i < f->n; i++) {
        double dt = dt_at(f, i);
        double h = hour_of(f->t[i], f->tz_s);
        double x = mu0 + ou_next(&slow, r, dt) + daily * cos(TWO_PI * (h - peak_h) / 24.0);
        x += ou_next(&fast, r, dt) + meas * gauss(r);
        size_t off;
        int k = active(f, i, &off);
        if (k >= 0) {
            double el = (double)off * f->step_s;
            switch (f->kind[k]) {
            case K_FAILURE:
                if (el < decl_s[k]) { /* accelerating decline */
                    x -= amt[k] * pow(el / decl_s[k], 1.5);
                } else if (el < decl_s[k] + down_s[k]) { /* off: cools fast */
                    double c = 1.0 - exp(-(el - decl_s[k]) / 1200.0);
                    x -= amt[k] + drop[k] * c;
                } else { /* restarted: warms up again */
                    double w = exp(-(el - decl_s[k] - down_s[k]) / 2700.0);
                    x -= (amt[k] + drop[k]) * w;
                }
                break;
            case K_SPIKE:
                x += amt[k] * (1.0 + 0.2 * gauss(r));
                break;
            default: /* K_FLAT: the reading before it, exactly */
                if (off == 0)
                    held = f->x[i - 1];
                x = held;
                break;
            }
        }
        f->x[i] = x > 0.0 ? x : 0.0;
    }
}

/* ---- synthTraffic ----------------------------------------------------------- */

/* Irregular timestamps: mostly 4-6 minutes apart, 30% anywhere in 3-20
 * minutes, and with probability 0.3% an hour or more missing. */
static void irregular(file *f, rng *r, size_t n)
{
    int64_t t = start_time(r, 60);
    for (size_t i = 0; i < n; i++) {
        f->t[i] = t;
        double u = unif(r), gap_min = u < 0.003 ? uniform(r, 60.0, 120.0)
                                    : u < 0.7   ? uniform(r, 4.0, 6.0)
                                                : uniform(r, 3.0, 20.0);
        t += 60 * (int64_t)floor(gap_min + 0.5);
    }
    f->n = n;
    f->step_s = (double)(f->t[n - 1] - f->t[0]) / (double)(n - 1);
}

/* A Gaussian bump of height 1 at hour c with width sd (hours). */
static double bump(double h, double c, double sd) { return exp(-0.5 * (h - c) * (h - c) / (sd * sd)); }

/* Road speed (mph, whole numbers) or lane occupancy (%) from a loop
 * detector: free flow at night, strong morning and evening rush-hour dips
 * (speed) or peaks (occupancy) on weekdays whose depth and timing vary from
 * day to day (10% of weekdays are light, like holidays), a mild midday
 * bump on weekends, and more noise at night. Anomalies: CONGEST (an
 * incident: speed x0.4-0.6 or occupancy x2-3 for 2-8 h), STUCKVAL (the
 * sensor returns one constant, its last reading or a default, for 3-24 h),
 * NIGHT (2-5 readings between 01:00 and 04:30 at rush-hour occupancy or
 * 5-20 mph). */
static void gen_traffic(file *f, rng *r)
{
    int speed = strstr(f->name, "speed") != NULL;
    irregular(f, r, pick_rows(r, 4000, MAX_ROWS));
    f->decimals = speed ? 0 : 2;
    place(f, r, 1.5 * DAY);

    double vfree = uniform(r, 55.0, 70.0), night_occ = uniform(r, 0.5, 2.0), peak_occ = uniform(r, 12.0, 30.0);
    double am_c = uniform(r, 7.0, 8.5), am_w = uniform(r, 0.6, 1.0), pm_c = uniform(r, 16.5, 18.0),
           pm_w = uniform(r, 0.8, 1.3);
    double am_d = uniform(r, 0.3, 0.6), pm_d = uniform(r, 0.3, 0.6), wk_d = uniform(r, 0.05, 0.15);
    double noise = speed ? uniform(r, 1.5, 3.5) : uniform(r, 0.08, 0.2);
    ou slow;
    ou_init(&slow, r, 1800.0, speed ? 1.5 : 0.08);
    /* per-day variation of the rush hours */
    int64_t d0 = (f->t[0] + f->tz_s) / 86400;
    size_t nd = (size_t)((f->t[f->n - 1] + f->tz_s) / 86400 - d0 + 1);
    double *dv = malloc(nd * 3 * sizeof *dv);
    if (!dv) {
        fprintf(stderr, "cloudsynth: out of memory\n");
        exit(70);
    }
    for (size_t d = 0; d < nd; d++) {
        dv[3 * d] = unif(r) < 0.1 ? 0.3 : uniform(r, 0.7, 1.3); /* depth */
        dv[3 * d + 1] = uniform(r, -0.35, 0.35);                 /* am shift, h */
        dv[3 * d + 2] = uniform(r, -0.35, 0.35);                 /* pm shift, h */
    }
    double fac[MAX_ANOM], held[MAX_ANOM];
    for (int k = 0; k < f->na; k++) {
        int kd = f->kind[k];
        if (kd == K_NIGHT) { /* snap to the next reading in 01:00-04:30 */
            size_t i = f->a[k];
            while (i + 1 < f->n && !(hour_of(f->t[i], f->tz_s) >= 1.0 && hour_of(f->t[i], f->tz_s) < 4.5))
                i++;
            f->a[k] = i;
        }
        fac[k] = kd == K_CONGEST ? (speed ? uniform(r, 0.4, 0.6) : uniform(r, 2.0, 3.0))
                                 : (speed ? uniform(r, 5.0, 20.0) : uniform(r, 15.0, 40.0));
        held[k] = unif(r) < 0.5 ? -1.0 : speed ? floor(vfree + 0.5) : 0.0; /* -1: the last reading */
        double dur = kd == K_CONGEST ? uniform(r, 2.0, 8.0) * HOUR
                   : kd == K_STUCKVAL ? uniform(r, 3.0, 24.0) * HOUR
                                      : (double)(2 + pick(r, 4)) * f->step_s;
        set_end(f, k, dur);
    }
    for (size_t i = 0; i < f->n; i++) {
        int64_t t = f->t[i];
        double dt = dt_at(f, i), h = hour_of(t, f->tz_s), ww = weekend_weight(t, f->tz_s);
        size_t d = (size_t)((t + f->tz_s) / 86400 - d0);
        double rush = dv[3 * d] * (am_d * bump(h, am_c + dv[3 * d + 1], am_w) + pm_d * bump(h, pm_c + dv[3 * d + 2], pm_w));
        double dip = (1.0 - ww) * rush + ww * wk_d * bump(h, 13.5, 2.5);
        double night = (h < 5.0 || h >= 22.0) ? 1.5 : 1.0;
        double x;
        if (speed)
            x = vfree * (1.0 - dip) + ou_next(&slow, r, dt) + noise * night * gauss(r);
        else {
            double day = 0.35 * (bump(h, 13.0, 4.0)) * (1.0 - 0.4 * ww);
            x = (night_occ + peak_occ * (day + 1.6 * dip)) * exp(ou_next(&slow, r, dt) + noise * night * gauss(r));
        }
        size_t off;
        int k = active(f, i, &off);
        if (k >= 0) {
            double el = (double)(t - f->t[f->a[k]]), on = el < 900.0 ? el / 900.0 : 1.0;
            switch (f->kind[k]) {
            case K_CONGEST:
                x *= 1.0 + (fac[k] - 1.0) * on;
                break;
            case K_STUCKVAL:
                if (held[k] < 0.0)
                    held[k] = f->x[i - 1];
                x = held[k];
                break;
            default: /* K_NIGHT */
                x = fac[k] * (1.0 + 0.15 * gauss(r));
                break;
            }
        }
        f->x[i] = speed ? clampd(floor(x + 0.5), 3.0, 85.0) : clampd(x, 0.0, 100.0);
    }
    free(dv);
}

/* ---- categories -------------------------------------------------------------- */

typedef struct category {
    const char *name;
    void (*gen)(file *, rng *);
    int kinds[4], nk;
    const char *stems[8]; /* file names; the generator reads its variant from them */
} category;

/* In the order the labels list them (sorted by name). */
static const category cats[] = {
    {"synthAutoscale", gen_autoscale, {K_STUCK, K_DEAD, K_RUNAWAY}, 3,
     {"asg_web_cpu", "asg_api_cpu", "asg_checkout_cpu", "asg_search_cpu", "asg_worker_cpu", "asg_auth_cpu",
      "asg_media_cpu", "asg_billing_cpu"}},
    {"synthCounter", gen_counter, {K_OUTAGE, K_DOUBLE, K_LEAK}, 3,
     {"api_requests_rate", "lb_net_in_bytes", "gateway_requests_rate", "cdn_net_out_bytes", "search_requests_rate",
      "db_net_in_bytes", "auth_requests_rate", "queue_requests_rate"}},
    {"synthDisk", gen_disk, {K_MISSING, K_WRONGTIME, K_SIZE3, K_PLATEAU}, 4,
     {"db01_disk_write_bytes", "db02_disk_write_bytes", "files03_disk_write_bytes", "mail01_disk_write_bytes",
      "es04_disk_write_bytes", "git01_disk_write_bytes", "wiki02_disk_write_bytes", "ci05_disk_write_bytes"}},
    {"synthLatency", gen_latency, {K_REGRESS, K_JITTER, K_BIGBURST}, 3,
     {"checkout_latency_p50", "search_latency_p95", "api_latency_p50", "auth_latency_p99", "cart_latency_p95",
      "images_latency_p50", "login_latency_p95", "orders_latency_p50"}},
    {"synthSensor", gen_sensor, {K_FAILURE, K_SPIKE, K_FLAT}, 3,
     {"machine_temp_a", "ambient_temp_hall1", "machine_temp_b", "machine_temp_c", "ambient_temp_hall2",
      "machine_temp_d", "ambient_temp_lab", "machine_temp_e"}},
    {"synthTraffic", gen_traffic, {K_CONGEST, K_STUCKVAL, K_NIGHT}, 3,
     {"speed_4012", "occupancy_4012", "speed_5178", "occupancy_6230", "speed_7340", "occupancy_7340", "speed_8021",
      "occupancy_9115"}},
};
#define NCAT (sizeof cats / sizeof *cats)

/* ---- output ------------------------------------------------------------------ */

/* What the labels need of one file. */
typedef struct entry {
    char key[96];
    int na;
    int64_t ws[MAX_ANOM], we[MAX_ANOM], at[MAX_ANOM];
    int kind[MAX_ANOM];
    size_t row[MAX_ANOM], end[MAX_ANOM];
} entry;

static int io_fail(const char *path)
{
    fprintf(stderr, "cloudsynth: %s: %s\n", path, strerror(errno ? errno : EIO));
    return 74;
}

/* mkdir -p: creates path and its missing parents. Returns 0 or 74. */
static int make_dirs(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return io_fail(path);
    }
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return io_fail(buf);
            *p = c;
            if (!c)
                break;
        }
    }
    struct stat st;
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return io_fail(buf);
    }
    return 0;
}

/* `YYYY-MM-DD HH:MM:SS` in UTC, as NAB's data files. */
static void fmt_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Closes fp, reporting a write error of any earlier call. */
static int close_checked(FILE *fp, const char *path)
{
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad)
        return io_fail(path);
    return 0;
}

static int write_csv(const char *path, const file *f)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return io_fail(path);
    char ts[32];
    fputs("timestamp,value\n", fp);
    for (size_t i = 0; i < f->n; i++) {
        fmt_time(f->t[i], ts, sizeof ts);
        fprintf(fp, "%s,%.*f\n", ts, f->decimals, f->x[i]);
    }
    return close_checked(fp, path);
}

static int cmp_entry(const void *a, const void *b) { return strcmp(((const entry *)a)->key, ((const entry *)b)->key); }

/* combined_windows.json (windows = 1) or combined_labels.json, laid out
 * as NAB's files: one-space indents, one value per line. */
static int write_labels(const char *path, const entry *e, size_t ne, int windows)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return io_fail(path);
    char a[32], b[32];
    fputs("{\n", fp);
    for (size_t i = 0; i < ne; i++) {
        fprintf(fp, " \"%s\": [%s", e[i].key, e[i].na ? "\n" : "]");
        for (int k = 0; k < e[i].na; k++) {
            const char *sep = k + 1 < e[i].na ? "," : "";
            if (windows) {
                fmt_time(e[i].ws[k], a, sizeof a);
                fmt_time(e[i].we[k], b, sizeof b);
                fprintf(fp, "  [\n   \"%s.000000\",\n   \"%s.000000\"\n  ]%s\n", a, b, sep);
            } else {
                fmt_time(e[i].at[k], a, sizeof a);
                fprintf(fp, "  \"%s\"%s\n", a, sep);
            }
        }
        fprintf(fp, "%s%s\n", e[i].na ? " ]" : "", i + 1 < ne ? "," : "");
    }
    fputs("}\n", fp);
    return close_checked(fp, path);
}

static const char *const readme[] = {
    "# cloudsynth: a synthetic, labelled anomaly benchmark of cloud metrics\n",
    "\n",
    "Written by headroom's `bench/cloudsynth` (deterministic: fixed seeds, the same\n",
    "files on every run). Layout and scoring as the Numenta Anomaly Benchmark:\n",
    "`data/<category>/<file>.csv` with header `timestamp,value` (UTC, `YYYY-MM-DD\n",
    "HH:MM:SS`), `labels/combined_windows.json` (`{\"<category>/<file>.csv\": [[start,\n",
    "end], ...]}`, inclusive), `labels/combined_labels.json` (anomaly starts) and\n",
    "`labels/kinds.csv` (`file,kind,row,end_row`: each anomaly's kind and the 0-based\n",
    "data rows of its effect, first and first after).\n",
    "Score it with `build/bench/nab DIR` (threshold chosen here) or\n",
    "`build/bench/nab ../shared/datasets/nab-dev DIR` (at the dev threshold).\n",
    "\n",
    "Every file has its own random parameters; about a quarter of the files of each\n",
    "category have no anomaly. Their normal behaviour is deliberately busy, and must\n",
    "not be flagged.\n",
    "\n",
    "## Window rule (NAB's)\n",
    "\n",
    "* window length = floor(0.10 * rows / anomalies in the file) rows, centred on the\n",
    "  anomaly's first row, clipped to the file;\n",
    "* anomaly starts are random rows after the probationary 15% of the file plus\n",
    "  about a week of history (less when the anomalies would not fit), at least two\n",
    "  window lengths apart, not past the last half window; anomalies tied to a\n",
    "  schedule (a backup, the night) are moved to the next scheduled time, and the\n",
    "  label is the first row where the anomaly shows;\n",
    "* an anomaly's effect ends before the next window opens; effects that last to\n",
    "  the end of the file are only ever the last anomaly.\n",
    "\n",
    "## Categories\n",
    "\n",
    "* **synthAutoscale**: CPU % (0-100) of one instance in an autoscaling group, 5 or\n",
    "  1 min. Normal: daily and weekly demand, instances added or removed by the\n",
    "  autoscaler (per-instance CPU steps down or up), instance replacements (a step\n",
    "  down for 15-60 min), a daily cron spike of a few minutes, noise.\n",
    "  Anomalies: *stuck* (pegged at ~99% to the end), *dead* (~0% for 1-12 h),\n",
    "  *runaway* (a process ramps the CPU to 100% over 3-18 h, pegged 1-6 h more).\n",
    "* **synthCounter**: per-second rates from counters (requests, or network bytes),\n",
    "  5 min, 1 min or hourly, ~0.5% of rows missing (gaps in the timestamps).\n",
    "  Normal: Poisson counts with 2-12% overdispersion on a daily/weekly pattern,\n",
    "  slow wander, organic growth. Anomalies: *outage* (traffic -40 to -80% for\n",
    "  20 min to 6 h), *double* (a new client: x1.6-2.2 ramped in over 15-60 min, to\n",
    "  the end), *leak* (a slope change of +-8-30% of the level a day, to the end).\n",
    "* **synthDisk**: disk write bytes/s, 5 min or hourly (mean over each\n",
    "  interval). Normal: background writes on a daily pattern, a backup every night\n",
    "  at a fixed time for 30-60 min, a bigger one (2-3x as long, faster) on Sundays,\n",
    "  the same size every time. Anomalies: *missing* (the backup does not run),\n",
    "  *wrongtime* (it runs 4-10 h early or late), *size3* (3x the bytes), *plateau*\n",
    "  (a sustained extra write rate for 6-36 h).\n",
    "* **synthLatency**: request latency in ms, 5 or 1 min. Normal: a median rising\n",
    "  with the daily load, lognormal noise, about one burst a day of 1-3 points at\n",
    "  1.8-3x. Anomalies: *regression* (median x1.5-3 for 2-12 h), *jitter* (4x the\n",
    "  spread, same median, 2-12 h), *bigburst* (2-6 points at 10-25x).\n",
    "* **synthSensor**: machine temperature every 5 min or ambient temperature every\n",
    "  hour (F): a slowly drifting mean, AR(1) noise, at most a weak daily cycle.\n",
    "  Anomalies: *failure* (a gradual decline, then a sharp drop by 15-35%, down\n",
    "  3-24 h, then a restart; labelled at the start of the decline), *spike* (1-3\n",
    "  points at 6-12 short-term sd), *flat* (the reading sticks: variance 0 for\n",
    "  6-48 h, hourly 1-4 days).\n",
    "* **synthTraffic**: road speed (mph, whole numbers) or occupancy (%) at irregular\n",
    "  times (mostly 4-6 min apart, up to 20 min, sometimes an hour or more missing).\n",
    "  Normal: free flow at night, weekday morning and evening rush hours varying\n",
    "  day to day (some days light), a mild weekend midday bump, more noise at night.\n",
    "  Anomalies: *congestion* (speed x0.4-0.6 or occupancy x2-3 for 2-8 h),\n",
    "  *stuckval* (one constant value for 3-24 h), *night* (2-5 readings between\n",
    "  01:00 and 04:30 at rush-hour occupancy or 5-20 mph).\n",
};

/* ---- main ------------------------------------------------------------------- */

/* Generates file j of category c into f (t, x are the caller's buffers). */
static void generate(const category *c, size_t ci, size_t j, int clean, int first_kind, file *f)
{
    rng r;
    rng_seed(&r, SEED ^ (UINT64_C(0x100000001b3) * (ci + 1)) ^ (UINT64_C(0xc2b2ae3d27d4eb4f) * (j + 1)));
    snprintf(f->name, sizeof f->name, "%s", c->stems[j]);
    f->na = 0;
    f->tz_s = pick_tz(&r);
    if (!clean)
        choose_kinds(f, &r, first_kind, c->kinds, c->nk);
    c->gen(f, &r);
}

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-' || !argv[1][0]) {
        fprintf(stderr, "usage: cloudsynth OUTDIR\n"
                        "  writes a labelled synthetic anomaly benchmark in NAB's layout into OUTDIR\n");
        return 64;
    }
    const char *out = argv[1];
    char path[4096];
    int rc;
    static int64_t tbuf[MAX_ROWS];
    static double xbuf[MAX_ROWS];
    static entry entries[MAX_FILES];
    size_t ne = 0;

    snprintf(path, sizeof path, "%s/labels", out);
    if ((rc = make_dirs(path)) != 0)
        return rc;
    for (size_t ci = 0; ci < NCAT; ci++) {
        const category *c = &cats[ci];
        rng cr;
        rng_seed(&cr, SEED ^ (UINT64_C(0x9e3779b97f4a7c15) * (ci + 1)));
        size_t nf = 6 + pick(&cr, 3), nclean = (nf + 2) / 4; /* 2 of 6-8 */
        int clean[8] = {0};
        for (size_t k = 0; k < nclean;) {
            size_t j = pick(&cr, nf);
            if (!clean[j]) {
                clean[j] = 1;
                k++;
            }
        }
        size_t rot = pick(&cr, (size_t)c->nk), q = 0, rows = 0, wins = 0;
        snprintf(path, sizeof path, "%s/data/%s", out, c->name);
        if ((rc = make_dirs(path)) != 0)
            return rc;
        for (size_t j = 0; j < nf; j++) {
            file f = {.t = tbuf, .x = xbuf};
            int first = c->kinds[(rot + q) % (size_t)c->nk];
            if (!clean[j])
                q++;
            generate(c, ci, j, clean[j], first, &f);
            snprintf(path, sizeof path, "%s/data/%s/%s.csv", out, c->name, f.name);
            if ((rc = write_csv(path, &f)) != 0)
                return rc;
            entry *e = &entries[ne++];
            snprintf(e->key, sizeof e->key, "%s/%s.csv", c->name, f.name);
            e->na = f.na;
            for (int k = 0; k < f.na; k++) {
                size_t a = f.a[k], ws = a > f.half ? a - f.half : 0, we = a + f.half;
                e->ws[k] = f.t[ws];
                e->we[k] = f.t[we < f.n ? we : f.n - 1];
                e->at[k] = f.t[a];
                e->kind[k] = f.kind[k];
                e->row[k] = a;
                e->end[k] = f.end[k];
            }
            rows += f.n;
            wins += (size_t)f.na;
        }
        printf("%s: %zu files, %zu rows, %zu windows (%zu files without anomalies)\n", c->name, nf, rows, wins,
               nclean);
    }
    qsort(entries, ne, sizeof *entries, cmp_entry);
    snprintf(path, sizeof path, "%s/labels/combined_windows.json", out);
    if ((rc = write_labels(path, entries, ne, 1)) != 0)
        return rc;
    snprintf(path, sizeof path, "%s/labels/combined_labels.json", out);
    if ((rc = write_labels(path, entries, ne, 0)) != 0)
        return rc;
    /* the truth behind the windows: each anomaly's kind and rows (0-based
     * data rows: where its effect starts and the first row after it) */
    snprintf(path, sizeof path, "%s/labels/kinds.csv", out);
    FILE *fp = fopen(path, "w");
    if (!fp)
        return io_fail(path);
    fputs("file,kind,row,end_row\n", fp);
    for (size_t i = 0; i < ne; i++)
        for (int k = 0; k < entries[i].na; k++)
            fprintf(fp, "%s,%s,%zu,%zu\n", entries[i].key, kind_name[entries[i].kind[k]], entries[i].row[k],
                    entries[i].end[k]);
    if ((rc = close_checked(fp, path)) != 0)
        return rc;
    snprintf(path, sizeof path, "%s/README.md", out);
    fp = fopen(path, "w");
    if (!fp)
        return io_fail(path);
    for (size_t i = 0; i < sizeof readme / sizeof *readme; i++)
        fputs(readme[i], fp);
    if ((rc = close_checked(fp, path)) != 0)
        return rc;
    return fflush(stdout) == 0 ? 0 : io_fail("stdout");
}
