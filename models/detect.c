/* detect.c -- see detect.h.
 *
 * Per point, in one pass (all state O(1) in n, nothing allocated):
 *
 * 1. Baselines. Three one-step predictors of x[i] from x[0..i-1]:
 *    - local: the median of the last LW values (robust to spikes shorter
 *      than LW/2, follows level changes within LW/2 points);
 *    - daily: s[slot] + the median of the last LW deseasonalised values
 *      x[j] - s[slot(j)], where slot is the time of day (the step is the
 *      median of the first NSTEP positive gaps; a day of 4 to MAXSLOTS
 *      steps) and s[slot] is the median of the slot's last KS values of
 *      x minus the mean of the preceding day (a trailing moving average
 *      over one period has no daily component: classical decomposition,
 *      made robust and causal by the medians);
 *    - weekly: the same with the slot of the week (day of week x slots)
 *      and the median of its last KW = 5 weeks: a job that runs every
 *      Monday at 03:00 is part of the baseline once it ran in 3 of the
 *      last 5 weeks (the median), so its first three runs are anomalies
 *      (three, the occurrences that make a recurring problem), and one
 *      missed or odd week does not move the baseline.
 *    A seasonal model counts from when its slots have KS offsets each (the
 *    weekly ones go on to KW), and is used once its own history can
 *    calibrate it (N_FULL points) and while its exponentially weighted
 *    mean squared one-step error over one period of its season (a day of
 *    points against the local model, a week against the daily; at least
 *    64 points) is SEASON_GAIN of the simpler model's or less (see
 *    there): selection by out-of-sample accuracy. The mean squared, not
 *    absolute, error on purpose: a level model on a square wave is right
 *    most of the time and badly wrong at each edge.
 * 2. Statistics, for each model against its own residuals e = x - pred and
 *    a robust scale (the Huber-clipped mean |e|: a running mean, then
 *    exponentially weighted over ~1000 points, x 1.2533 to match a normal
 *    sd; a slow scale keeps bursts from redefining "normal"; floored at
 *    1e-3 of the series' magnitude, the measurement resolution; for the
 *    weekly model, at a slot of the week whose own values spread wider,
 *    that slot's spread pooled with it, see SLOT_N0: a weekly job's size
 *    varies from week to week by far more than the rest of the week's
 *    noise, so that the job, once in the baseline, still alarmed every few
 *    weeks on its size alone (bench/cloudsynth's Sunday backups: 10 false
 *    alarms on one file without anomalies, 1 now). Measured with
 *    bench/nab: nab-dev 68.59 -> 68.70, leave-one-category-out 66.75 ->
 *    66.86, bench/cloudsynth at the dev threshold 50.21 -> 52.62 (own
 *    best 52.48 -> 54.74; one more window found), alarms on its files
 *    without anomalies 0.64 -> 0.56 per 1000 rows. Two variants measured
 *    and left: the slot's spread as a running mean of the weekly model's
 *    |residuals| there (68.73, 66.90, 51.06) learnt a new job's size from
 *    its first runs, so the job's second and third runs were no longer
 *    anomalies (the demo's weekly reindex lost its recurring problem);
 *    the same for the daily model's slots too gave 69.06, 64.51 and
 *    51.06, the leave-one-category-out 2.2 lower):
 *    - point (spike, dip): |z|, z = e / scale;
 *    - level shift: |EWMA (lambda 0.5, about the last 3 points) of the
 *      standardised deviation from a slow level|, the slow level being a
 *      Huber M-estimate of location (c = 4), exponentially weighted over
 *      ~64 points: a short mean against a long one, in the manner of an
 *      EWMA control chart (Roberts 1959; Lucas & Saccucci 1990). A level
 *      shift too small for the point statistic shows here within a few
 *      points; a spike shows in both.
 * 3. Calibration. Each statistic's tail probability against its own last
 *    HIST values (a sliding histogram on a log scale), by peaks over
 *    threshold: above the top 2% (at least 20 values) a generalised Pareto
 *    tail fitted by the method of moments (Pickands 1975; Hosking & Wallis
 *    1987; as in SPOT, Siffer et al. 2017), shape clamped to [0, 0.45]
 *    (exponential or heavier: a light-tail fit would end the support at
 *    the data's edge); the tail's scale taken one standard error high,
 *    sigma (1 + 1 / sqrt(k)) for k exceedances (the relative standard
 *    error of an exponential tail's scale), so that p is an upper
 *    confidence bound (about 84%) and a tail fitted to few values, early
 *    in a series, claims no more than they support; never below the
 *    empirical fraction of the history at or above the value. (Measured
 *    with bench/nab: nab-dev 68.11 -> 68.59, leave-one-category-out
 *    65.77 -> 66.75, bench/cloudsynth at the dev threshold 46.75 ->
 *    50.21, where a third of the false alarms had been in the first fifth
 *    of the scored rows; the demo fleet's anomalies at the run threshold
 *    halved, its recall of injected anomalies unchanged at 41 of 44.)
 *    This makes p comparable across series of any
 *    noise law, which one threshold for all series needs (the idea of
 *    Numenta's anomaly likelihood, Ahmad et al. 2017, without its normal
 *    assumption). Each model's statistics go to that model's histories.
 * 4. Fusion: p = 2 min(p_point, p_shift) (Bonferroni), raw score =
 *    -log10(p) / 10 capped to [0,1] (so 0.5 is p = 1e-5); damped linearly
 *    while the history holds fewer than N_FULL values, 0 below N_MIN.
 * 5. Report once. An anomaly keeps producing small p for as long as it
 *    lasts (a plateau, a stuck value, a ramp); NAB counts every row over
 *    the threshold outside the first as a false positive, and on-call
 *    people count pages the same way. So the raw score opens an episode
 *    at E_MIN, which lasts until REFRACT points pass without a raw score
 *    of E_MIN; inside it a point keeps its raw score only when that is
 *    BAND above the largest reported so far (clearly worse), every other
 *    point gets SUPP of it. The raw score goes to `level`, on which spans
 *    continue, so a reported anomaly is one span as long as it lasts.
 *    The value of each constant is argued where it is defined.
 *
 * Tried and left out, measured on nab-dev, its leave-one-category-out
 * score, bench/cloudsynth's synthetic cloud metrics and clean seasonal
 * noise: a variance statistic (EWMA of min(z^2, 9)) fired on time-of-day
 * heteroscedasticity (busy hours are noisier); per-slot residual scales
 * were too noisy with a few days per slot; the Gaussian "anomaly
 * likelihood" on top of calibrated scores saturates; a "surprise rate"
 * (EWMA over ~31 points of the point statistic's -log10 p) raised false
 * alarms of 0.9 on clean seasonal noise (an autocorrelated statistic's
 * tail cannot be calibrated from a few hundred values); leaving alarms out
 * of the histories (as SPOT does) lowered every score; a sliding maximum
 * of the last 100 raw scores instead of episodes reported less and lost
 * more windows than it saved false positives; halving instead of SUPP
 * left long anomalies above any useful threshold; a residual scale that
 * follows the predicted level by a power law (Taylor's law: |e| ~ level^b,
 * b from the mean |e| of the points predicted above and below the mean
 * level, b in [0, 1] or [0, 0.5]) lowered nab-dev 68.11 -> 64.2-64.6 and
 * the leave-one-category-out 65.77 -> 61.1-61.9 (busy-hour bursts of
 * tweets are the anomalies there) while bench/cloudsynth moved 46.75 ->
 * 48.4-49.0; false-alarm rates per unit of time instead of per point (p
 * times the points in 5 minutes) lowered all three (60.85, 52.40, 42.29):
 * hourly series alarmed far more; a seasonal model usable after two days
 * of offsets instead of three changed nothing that stands out of noise
 * (68.11, 65.88, 46.38); a seasonal model's residuals, scale and
 * histories kept from its first day of offsets (selection still after
 * three), so that its tail is calibrated when it can take over (two
 * thirds of the early false alarms on bench/cloudsynth come from the
 * local model before the daily one is in use), lowered all three
 * (68.59 -> 66.34, 66.75 -> 64.50, 50.21 -> 48.54): the first days'
 * one-offset residuals widen the slow scale for a thousand points; a
 * veto by the seasonal models (the p of the model in use raised to that
 * of a calibrated daily or weekly model when that one is less surprised:
 * a daily cron spike the local model calls rare is normal to the daily
 * one) raised nab-dev to 70.9-71.7 and the leave-one-category-out to
 * 66.1-68.9 but lowered bench/cloudsynth to 44.9-47.7 (its own best
 * 46.4-50.1, also when the veto needed p >= 0.01 or 0.05 from the
 * seasonal model): it hid congestions and ramps the seasonal models'
 * wider residuals absorb; a third, drift statistic (the slow level
 * against a level over 1024 or 256 points, as a longer control chart)
 * for ramps and leaks lowered all three (63.3-64.5, 61.5-63.1,
 * 44.2-45.0); a flat-line statistic (the inverse of an 8-point EWMA of
 * |z|, for stuck sensors) lowered all three (67.91, 63.39, 38.65); a
 * second shift statistic, the same chart with lambda 1/8 or 1/16 (a
 * sustained deviation of 13 points, a backup that did not run, against
 * the one or two points of a backup starting a slot early), raised
 * nab-dev to 72.8-72.9 and the leave-one-category-out to 71.1-71.2 but
 * lowered bench/cloudsynth to 44.2-44.5 (own best 47.1; its false alarms
 * on files without anomalies 0.64 -> 0.83 per 1000 rows) and found no
 * more missing backups: there the daily model's tails hold the Sunday
 * backup running past the daily one, 100 scales up; separate tails for
 * upward and downward deviations (as biSPOT, Siffer et al. 2017; the
 * Bonferroni factor 4) raised nab-dev to 72.00 at a threshold of 0.223
 * but lowered the leave-one-category-out to 65.81 and bench/cloudsynth to
 * 35.61 at that threshold (51.80 at its own best; 405 false positives);
 * the daily offsets as a median of 5 days instead of 3 (a third less
 * variance; the model still counting from 3 days) moved the three figures
 * by +0.21, +0.21 and +0.45 (one more window found, 11 more false
 * positives, and the alarms on files without anomalies 0.64 -> 0.72 per
 * 1000 rows): nothing that stands out of the noise; the tail's shape by
 * probability-weighted moments (Hosking & Wallis 1987) instead of the
 * method of moments, for heavy tails the moments estimate low, moved
 * nab-dev 68.59 -> 68.70, the leave-one-category-out 66.75 -> 65.10 and
 * bench/cloudsynth 50.21 -> 50.83 (own best 52.48 -> 51.69), and false
 * alarms on zero-inflated lognormal bursts (10 files of 4032 five-minute
 * points, 90% zeros) only 69 -> 63 against 22 on normal noise: the
 * excess there is not the shape estimate (those alarms fall on bursts of
 * about 2.6 log-sds, a per-point p near 5e-4, what the threshold
 * admits). Measured after the weekly slots' spread (nab-dev 68.70,
 * leave-one-category-out 66.86, bench/cloudsynth 52.62): the harmonic
 * mean of the two p (Wilson 2019) instead of Bonferroni's minimum gave
 * 64.82, 55.12 and 51.86; a third statistic, an EWMA chart over ~8 or
 * ~16 points of the deviations from the slow level clipped at 3 or 4
 * scales (a persistence statistic, for missing backups and ramps), gave
 * 68.35-69.22, 66.51-67.38 and 46.88-49.81 and found no more missing
 * backups (whose nightly backups vary in length by several points, so
 * that a missing one looks like two edge misses); unclipped, as above,
 * 73.04, 71.33 and 46.81 (own best 49.34). */
#include "detect.h"

#include "robust.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


#define LW 9          /* local median window (points) */
#define KS 3          /* days in the daily seasonal median */
#define KW 5          /* weeks in the weekly seasonal median */
#define NSTEP 16      /* gaps that fix the sampling step */
#define MAXSLOTS 1440 /* daily slots at most (1-minute data) */
#define HIST 8192     /* trailing history of each statistic */
#define SUB 6         /* histogram bins: 2^SUB linear bins per octave */
#define NB (32 << SUB) /* of 1 + S, S from 0 to 2^32 */
#define NSTAT 2
#define NM 3        /* baseline models */
#define REFIT 256     /* tail refitted every REFIT values (64 while short) */
#define DAY_MS INT64_C(86400000)

static const double Q_TAIL = 0.02;     /* tail fraction of the POT fit */
static const double K_TAIL = 20;       /* at least this many exceedances */
static const double N_MIN = 64;        /* history before any score */
static const double N_FULL = 256;      /* history before full scores */
static const double LAM_A = 1.0 / 1024; /* residual scale */
static const double LAM_SLOW = 1.0 / 64; /* slow level */
static const double LAM_C = 0.5;       /* shift statistic: ~3-point mean */
static const double XI_MAX = 0.45;
static const double DECADES = 10;
/* Reporting once (banner, step 5). E_MIN: a point belongs to an
 * anomalous episode when its raw score is at least 0.2, a Bonferroni p of
 * 1e-2: what one point in a hundred of normal data reaches, the usual
 * per-point significance level. REFRACT: the episode ends after 100
 * points without such a point; under independence 0.99^100 = 37% of
 * 100-point stretches of normal data hold none, so a normal series opens
 * and closes short episodes, while an anomaly (which keeps producing p <
 * 1e-2) holds its episode open. BAND: a report again within an episode
 * needs a raw score a tenth higher than the largest reported, a p ten
 * times smaller: "clearly worse" is an order of magnitude. SUPP: the
 * other points of an episode keep a tenth of their score, so that 1 maps
 * to 0.1, under the lowest sensible threshold. */
static const double E_MIN = 0.2;
static const double REFRACT = 100;
static const double BAND = 0.1;
/* HOLD: and not within LW points of the last report while the raw score
 * has stayed at E_MIN or above since: the baselines are medians of LW
 * points and the shift statistic a ~3-point mean, so for that long after
 * an onset its p keeps falling as the same onset shows in more of the
 * window; that is the onset resolving, not a worsening (the largest raw
 * score of that run counts as reported). A run broken by a normal point
 * ends the hold: what comes next is a new event; so does a raw score
 * twice the reported one (p squared: as unlikely as two such events,
 * e.g. a big shift right after a noise point that just opened the
 * episode). */
#define HOLD LW
static const double SUPP = 0.1;
/* A seasonal model is chosen over the one in use (the local, or the daily
 * for the weekly) only when its exponentially weighted mean squared error
 * is 20% lower. The errors are weighed over one period of the season in
 * question (a day for the daily model, a week for the weekly; at least 64
 * points, about 127 degrees of freedom, so a relative standard error of
 * at most sqrt(2/127) = 12.5%): a comparison over part of the day judges
 * the models on that part only. A nightly backup is an hour of a day;
 * judged over the last 64 points (as before), the local model predicted
 * better for the 23 hours without it and was in use when the backup was
 * due, so a backup that did not run scored 0 (bench/cloudsynth's
 * synthDisk). The difference must stand out of the noise
 * of the estimates, and a model with more offsets (a day's slots over the
 * local model's none; seven times the daily slots for the weekly) must
 * earn them. Each seasonal offset is a median of 3 or 5 noisy values, so
 * a seasonal model on a series without that season predicts a little
 * worse, not equally well, and a tie goes to the simpler model. Measured
 * with bench/nab: a tie instead of 20% (64 points): nab-dev 66.32 ->
 * 66.75, leave-one-category-out 63.42 -> 63.94, bench/cloudsynth at the
 * dev threshold 41.47 -> 43.94 (0.9, 0.8 and 0.7 give the same nab-dev
 * figure; not searched); then a period instead of 64 points: 68.11,
 * 65.77 and 46.75. */
static const double SEASON_GAIN = 0.8;
static const double HUB_S = 4;         /* Huber constant of the slow level */
/* The weekly model's scale at a slot of the week (banner, step 2). The
 * slot's own spread: the median absolute deviation of its KW = 5 weekly
 * offsets from their median (the baseline), x 1.4826 for a normal sd, x
 * 0.7979 for the mean |e| the series' scale a is; pooled with a as
 * (SLOT_N0 a + KW a_slot) / (SLOT_N0 + KW), and never below a. A median
 * absolute deviation of five values ignores two odd ones, as the median
 * does: a new weekly job widens its slot only from its fourth run, when
 * the median has taken it into the baseline, so its first three runs
 * are still judged on the series' scale (and found as a recurring
 * problem). SLOT_N0 = KW: the series' scale weighs as much as the slot's
 * five values, of which a median absolute deviation is a rough estimate
 * (its standard error about 40%). */
static const double SLOT_N0 = KW;

/* ---- a running median of the last LW = 9 values ---- */

typedef struct medwin {
    double ring[LW]; /* the last n values, oldest at pos once full */
    double srt[LW];  /* the same, ascending, while n < LW */
    int n, pos;
} medwin;

/* A full window's median comes from a comparator network on the ring
 * (robust.h: hr_median9; hr_median3 and hr_median5 for the seasonal
 * slots), branch-free. A sorted window updated by insertion and removal
 * mispredicted about twice per update, 12 times per point over the three
 * windows and two slots (a third of the whole run's mispredicts), and a
 * network written with branches (an earlier version) was worse. The
 * network gives the same median as the sorted window, numerically; only
 * which of equal +0 and -0 comes back may differ, and the detector uses
 * a median only in sums, differences with a nonzero scale's inverse and
 * absolute values, so the scores are the same bits.
 * While a window fills (its first LW - 1 values; a slot's first KS or KW
 * offsets) the values are kept sorted by insertion and the median read
 * from the sorted array: the middle one, or the mean of the middle two
 * for an even count. */
static void sorted_insert(double *s, int n, double x)
{
    int j = n;
    for (; j > 0 && s[j - 1] > x; j--)
        s[j] = s[j - 1];
    s[j] = x;
}

/* The median of the sorted s[0..n), n > 0: the middle value or the mean
 * of the middle two. */
static double sorted_median(const double *s, int n)
{
    return n & 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

static void med_push(medwin *w, double v)
{
    if (w->n < LW)
        sorted_insert(w->srt, w->n, v);
    w->ring[w->pos] = v;
    w->pos = w->pos + 1 == LW ? 0 : w->pos + 1;
    if (w->n < LW)
        w->n++;
}

_Static_assert(LW == 9, "med_get's network is hr_median9");

/* The median of the window, NaN while it is empty. */
static double med_get(const medwin *w)
{
    return w->n == LW ? hr_median9(w->ring) : w->n ? sorted_median(w->srt, w->n) : NAN;
}

/* The seasonal offsets of a slot: its last KS (daily) or KW (weekly)
 * values, their depth per model. */
static const size_t kdepth[2] = {KS, KW};
_Static_assert(KS == 3 && KW == 5, "the slots' networks are hr_median3 and hr_median5");

/* ---- tail calibration on a sliding histogram ---- */

typedef struct tail {
    uint32_t cnt[NB];
    uint16_t ring[HIST];
    size_t n, pos, added, next_fit;
    int hi;      /* no value above bin hi */
    int fitted, ub, hfit;
    double u, inv_u, pu, sig, xi, nfit;
    uint32_t cum[NB]; /* at the last fit, for bins >= ub: count at or above */
} tail;

/* The bins are those of a floating-point number (as in HdrHistogram): the
 * octave of 1 + S and the top SUB bits of its mantissa, so the bin of a
 * value costs a few integer operations and its relative width is at most
 * 2^-SUB (1.6%). */
static int bin_of(double s)
{
    if (!(s > 0))
        return 0;
    if (s >= 4294967295.0)
        return NB - 1;
    double y = 1.0 + s; /* in [1, 2^32): a normal double */
    uint64_t bits;
    memcpy(&bits, &y, sizeof bits);
    /* IEEE 754 binary64: biased exponent, then the top SUB bits of the
     * mantissa */
    return (int)((((bits >> 52) - 1023) << SUB) | ((bits >> (52 - SUB)) & ((1 << SUB) - 1)));
}

static double bin_lower_calc(int b)
{
    return ldexp(1.0 + (double)(b & ((1 << SUB) - 1)) / (1 << SUB), b >> SUB) - 1;
}

static void tail_reset(tail *t)
{
    memset(t->cnt, 0, sizeof t->cnt);
    t->n = t->pos = t->added = 0;
    t->next_fit = (size_t)N_MIN;
    t->hi = 0;
    t->fitted = 0;
}

/* Fits the tail: u = the lower edge of the bin where the count from the
 * top reaches k = max(K_TAIL, Q_TAIL n); excesses over u at the bins'
 * centres; GPD by the method of moments. */
static void tail_fit(tail *t, const double *lower)
{
    double k = fmax(K_TAIL, Q_TAIL * (double)t->n);
    while (t->hi > 0 && !t->cnt[t->hi])
        t->hi--;
    double c = 0;
    int b = t->hi;
    for (; b > 0; b--) {
        c += t->cnt[b];
        if (c >= k)
            break;
    }
    if (b == 0)
        c += t->cnt[0];
    double u = lower[b];
    double s1 = 0, s2 = 0;
    uint32_t cs = 0;
    for (int j = t->hi; j >= b; j--) {
        cs += t->cnt[j];
        t->cum[j] = cs;
        if (!t->cnt[j])
            continue;
        double y = 0.5 * (lower[j] + lower[j + 1]) - u;
        s1 += t->cnt[j] * y;
        s2 += t->cnt[j] * y * y;
    }
    double m = s1 / c, v = s2 / c - m * m;
    double xi = 0, sig = m;
    if (v > 0 && c >= 3) {
        xi = 0.5 * (1 - m * m / v);
        xi = xi < 0 ? 0 : xi > XI_MAX ? XI_MAX : xi;
        sig = m * (1 - xi); /* the mean excess of a GPD is sig / (1 - xi) */
    }
    double minsig = 0.5 * (lower[b + 1] - u); /* half a bin */
    t->sig = sig > minsig ? sig : minsig;
    t->sig *= 1 + 1 / sqrt(c); /* one standard error high (banner, step 3) */
    t->xi = xi;
    t->u = u;
    t->ub = b;
    t->hfit = t->hi;
    t->pu = c / (double)t->n;
    t->inv_u = u > 0 ? 1 / u : 0;
    t->nfit = (double)t->n;
    t->fitted = 1;
}

/* The tail probability of s (1 before the first fit). Below u only
 * monotonicity matters (p >= the tail fraction, too large to be an
 * alarm): a straight line from 1 at 0 to pu at u. */
static double tail_p(const tail *t, double s)
{
    if (!t->fitted)
        return 1;
    if (s <= t->u)
        return t->pu + (1 - t->pu) * (1 - s * t->inv_u);
    double y = s - t->u;
    double p = t->xi > 0 ? t->pu * pow(1 + t->xi * y / t->sig, -1 / t->xi)
                         : t->pu * exp(-y / t->sig);
    /* the fit extrapolates beyond the data; it does not overrule it */
    int b = bin_of(s);
    if (b <= t->hfit && t->cum[b]) {
        double pe = t->cum[b] / t->nfit;
        if (pe > p)
            p = pe;
    }
    return p;
}

static void tail_add(tail *t, double s, const double *lower)
{
    int b = bin_of(s);
    if (t->n == HIST) {
        t->cnt[t->ring[t->pos]]--;
        t->n--;
    }
    t->cnt[b]++;
    if (b > t->hi)
        t->hi = b;
    t->ring[t->pos] = (uint16_t)b;
    t->pos = t->pos + 1 == HIST ? 0 : t->pos + 1;
    t->n++;
    t->added++;
    if (t->added == t->next_fit) {
        tail_fit(t, lower);
        t->next_fit += t->n < 1024 ? 64 : REFIT;
    }
}

/* ---- the baseline models ---- */

typedef struct model {
    medwin win;         /* the last LW (deseasonalised) values */
    double a;           /* robust mean absolute one-step residual */
    size_t na;
    double mse[2];      /* EW mean squared residual over a day, a week */
    double slow, chart; /* slow level, EWMA chart of deviations from it */
    size_t nq;
    tail tl[NSTAT];     /* history of the point and shift statistics */
} model;

struct hr_det_ws {
    size_t max_n;
    double lower[NB + 1]; /* each bin's lower edge */
    model m[NM]; /* 0: local, 1: daily seasonal, 2: weekly seasonal */
    /* sampling step and daily slots */
    int64_t gaps[NSTEP], tprev;
    int ngaps, have_t;
    size_t slots; /* 0: no season (yet) */
    int64_t slot_ms; /* DAY_MS / slots when that is whole, else 0 */
    int64_t slot_t;  /* the time of the last slot computed */
    size_t slot_prev, dow;
    int have_slot;
    /* the daily profile */
    double *ma;   /* the last `slots` values, for the moving average */
    size_t ma_pos, ma_seen, ma_cnt;
    double ma_sum;
    /* the seasonal offsets: [0] daily (slots x KS), [1] weekly
     * (7 slots x KW), each slot's last KS (KW) offsets in a ring */
    double *sv[2];
    double *ss[2]; /* each slot's offsets, ascending, while it fills */
    unsigned char *scnt[2], *spos[2];
    size_t season_pts[2];
    double absx;  /* EW mean |x|: the resolution floor */
    /* refractory: the open episode, its largest reported score and its
     * last point at or above E_MIN */
    int ep;
    double ep_rep;
    size_t ep_last, ep_at; /* ... and its last report */
    int ep_onset; /* the raw score has stayed >= E_MIN since that report */
    /* the selection's mean squared errors weigh a day (local against
     * daily) and a week (against weekly), at least 64 points: set with
     * the slots */
    double lam_mse[2];
    unsigned char *fired; /* hr_det_trace's array, or NULL */
};

hr_det_ws *hr_det_ws_alloc(size_t max_n)
{
    hr_det_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->max_n = max_n;
    for (int b = 0; b <= NB; b++)
        ws->lower[b] = bin_lower_calc(b);
    ws->ma = malloc(MAXSLOTS * sizeof *ws->ma);
    int fail = !ws->ma;
    for (int k = 0; k < 2; k++) {
        size_t cap = k ? 7 * MAXSLOTS : MAXSLOTS;
        ws->sv[k] = malloc(cap * kdepth[k] * sizeof *ws->sv[k]);
        ws->ss[k] = malloc(cap * kdepth[k] * sizeof *ws->ss[k]);
        ws->scnt[k] = malloc(cap);
        ws->spos[k] = malloc(cap);
        fail |= !ws->sv[k] || !ws->ss[k] || !ws->scnt[k] || !ws->spos[k];
    }
    if (fail) {
        hr_det_ws_free(ws);
        return NULL;
    }
    return ws;
}

void hr_det_trace(hr_det_ws *ws, unsigned char *fired) { ws->fired = fired; }

int hr_det_fired_base(int fired) { return fired > 0 && fired <= 2 * NM ? (fired - 1) / 2 : -1; }
int hr_det_fired_stat(int fired) { return fired > 0 && fired <= 2 * NM ? (fired - 1) % 2 : -1; }

const char *hr_det_base_name(int base)
{
    static const char *const nm[NM] = {"local median", "daily profile", "weekly profile"};
    return base >= 0 && base < NM ? nm[base] : NULL;
}

const char *hr_det_stat_name(int stat)
{
    return stat == HR_DET_STAT_POINT ? "point" : stat == HR_DET_STAT_SHIFT ? "shift" : NULL;
}

void hr_det_ws_free(hr_det_ws *ws)
{
    if (!ws)
        return;
    free(ws->ma);
    for (int k = 0; k < 2; k++) {
        free(ws->sv[k]);
        free(ws->ss[k]);
        free(ws->scnt[k]);
        free(ws->spos[k]);
    }
    free(ws);
}

static void model_reset(model *m)
{
    m->win.n = m->win.pos = 0;
    m->a = 0;
    m->na = 0;
    m->mse[0] = m->mse[1] = NAN;
    m->slow = NAN;
    m->chart = 0;
    m->nq = 0;
    for (int k = 0; k < NSTAT; k++)
        tail_reset(&m->tl[k]);
}

static void reset(hr_det_ws *ws)
{
    for (int k = 0; k < NM; k++)
        model_reset(&ws->m[k]);
    ws->ngaps = ws->have_t = 0;
    ws->lam_mse[0] = ws->lam_mse[1] = 1.0 / 64;
    ws->slots = 0;
    ws->have_slot = 0;
    ws->ma_pos = ws->ma_seen = ws->ma_cnt = 0;
    ws->ma_sum = 0;
    ws->season_pts[0] = ws->season_pts[1] = 0;
    ws->absx = NAN;
    ws->ep = 0;
    ws->ep_rep = 0;
    ws->ep_onset = 0;
    ws->ep_at = 0;
    ws->ep_last = 0;
}

static size_t slot_calc(const hr_det_ws *ws, int64_t t);

static int cmp_gap(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Fixes the step from the first NSTEP positive gaps (repeated or
 * backward timestamps are skipped), then the daily slots: none when a
 * day is not 4 .. MAXSLOTS steps. */
static void learn_step(hr_det_ws *ws, int64_t t)
{
    if (ws->have_t && t > ws->tprev && ws->ngaps < NSTEP) {
        ws->gaps[ws->ngaps++] = t - ws->tprev;
        if (ws->ngaps == NSTEP) {
            int64_t g[NSTEP];
            memcpy(g, ws->gaps, sizeof g);
            qsort(g, NSTEP, sizeof *g, cmp_gap);
            int64_t step = g[NSTEP / 2];
            int64_t slots = step > 0 && step <= DAY_MS ? (DAY_MS + step / 2) / step : 0;
            if (slots >= 4 && slots <= MAXSLOTS) {
                ws->slots = (size_t)slots;
                ws->slot_ms = DAY_MS % slots ? 0 : DAY_MS / slots;
                if (slots > 64)
                    ws->lam_mse[0] = 1.0 / (double)slots;
                if (7 * slots > 64)
                    ws->lam_mse[1] = 1.0 / (double)(7 * slots);
                for (int k = 0; k < 2; k++) {
                    memset(ws->scnt[k], 0, (k ? 7 : 1) * ws->slots);
                    memset(ws->spos[k], 0, (k ? 7 : 1) * ws->slots);
                }
            }
        }
    }
    ws->tprev = t;
    ws->have_t = 1;
}

/* The slot of the day of t, and (ws->dow) its day of the week, 0 for
 * the days of the epoch's weekday. */
static size_t slot_of(hr_det_ws *ws, int64_t t)
{
    /* the common case, the next point of a regular grid, costs no
     * division: the next slot, and the next day when the slot wraps */
    if (ws->slot_ms && ws->have_slot && t - ws->slot_t == ws->slot_ms) {
        ws->slot_t = t;
        if (ws->slot_prev + 1 == ws->slots) {
            ws->slot_prev = 0;
            ws->dow = ws->dow == 6 ? 0 : ws->dow + 1;
        } else {
            ws->slot_prev++;
        }
        return ws->slot_prev;
    }
    ws->slot_t = t;
    ws->have_slot = 1;
    ws->slot_prev = slot_calc(ws, t);
    int64_t d = t / DAY_MS - (t % DAY_MS < 0);
    ws->dow = (size_t)(((d % 7) + 7) % 7);
    return ws->slot_prev;
}

static size_t slot_calc(const hr_det_ws *ws, int64_t t)
{
    int64_t r = t % DAY_MS;
    if (r < 0)
        r += DAY_MS;
    return ws->slot_ms ? (size_t)(r / ws->slot_ms) : (size_t)(r * (int64_t)ws->slots / DAY_MS);
}

/* Updates model m after its residual e (judged with scale sc) at a
 * point whose (deseasonalised) value is dz. */
static void model_update(model *m, double e, double dz, double sc, double inv, double floor_, const double *lam_mse)
{
    /* the scale: a plain mean of the first 16, then a clipped running
     * mean that becomes exponentially weighted after 1 / LAM_A points */
    double ae = fabs(e);
    if (m->na < 16) {
        m->a += (ae - m->a) / (double)(m->na + 1);
    } else {
        double cap = 4 * (m->a > floor_ ? m->a : floor_);
        double lam = 1 / (double)(m->na + 1);
        m->a += (lam > LAM_A ? lam : LAM_A) * ((ae < cap ? ae : cap) - m->a);
    }
    m->na++;
    for (int h = 0; h < 2; h++) {
        double lam_h = 1.0 / (double)m->na;
        lam_h = lam_h > lam_mse[h] ? lam_h : lam_mse[h];
        m->mse[h] = isnan(m->mse[h]) ? e * e : m->mse[h] + lam_h * (e * e - m->mse[h]);
    }
    if (isnan(m->slow)) {
        m->slow = dz;
        return;
    }
    double zq = (dz - m->slow) * inv;
    m->nq++;
    double lam_s = m->nq < 64 ? 1.0 / (double)m->nq : LAM_SLOW;
    m->slow += lam_s * (zq > HUB_S ? HUB_S : zq < -HUB_S ? -HUB_S : zq) * sc;
}

/* The refractory rule of the banner, step 5. */

static double refractory(hr_det_ws *ws, size_t i, double raw)
{
    if (ws->ep && i - ws->ep_last > (size_t)REFRACT)
        ws->ep = 0; /* quiet for REFRACT points: the episode is over */
    if (!ws->ep) {
        if (raw >= E_MIN) {
            ws->ep = 1;
            ws->ep_rep = raw;
            ws->ep_last = ws->ep_at = i;
            ws->ep_onset = 1;
        }
        return raw;
    }
    if (raw >= E_MIN)
        ws->ep_last = i;
    if (raw < E_MIN)
        ws->ep_onset = 0; /* the run of the last report is broken */
    if (ws->ep_onset && i - ws->ep_at < (size_t)HOLD && raw < 2 * ws->ep_rep) {
        /* the reported onset still resolving: it is what was reported */
        if (raw > ws->ep_rep)
            ws->ep_rep = raw;
    } else if (raw >= ws->ep_rep + BAND) {
        ws->ep_rep = raw;
        ws->ep_at = i;
        ws->ep_onset = 1;
        return raw;
    }
    return SUPP * raw;
}

int hr_det_score(const double *x, const int64_t *t_ms, size_t n, hr_det_ws *ws, double *score, double *level)
{
    reset(ws);
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        score[i] = 0;
        if (level)
            level[i] = 0;
        if (ws->fired)
            ws->fired[i] = 0;
        if (t_ms)
            learn_step(ws, t_ms[i]);
        if (!isfinite(v))
            continue;
        ws->absx = isnan(ws->absx) ? fabs(v) : ws->absx + (fabs(v) - ws->absx) / 256;
        double floor_ = 1e-3 * ws->absx + 1e-300;
        /* the seasonal offsets of this point's slot of the day and of
         * the week; a model is ok once its slots have KS offsets each */
        size_t slot[2] = {0, 0};
        double so[NM] = {0, 0, 0};
        int ok[NM] = {1, 0, 0};
        if (ws->slots) {
            slot[0] = slot_of(ws, t_ms[i]);
            slot[1] = ws->dow * ws->slots + slot[0];
            for (int k = 0; k < 2; k++) {
                unsigned char c = ws->scnt[k][slot[k]];
                const double *ring = ws->sv[k] + slot[k] * kdepth[k];
                so[k + 1] = (size_t)c == kdepth[k] ? (k ? hr_median5(ring) : hr_median3(ring))
                            : c                    ? sorted_median(ws->ss[k] + slot[k] * kdepth[k], c)
                                                   : 0;
                ok[k + 1] = ws->season_pts[k] >= KS * (k ? 7 : 1) * ws->slots;
            }
        }
        double dz[NM], pred[NM], scl[NM], inv[NM];
        int nm = ws->slots ? NM : 1;
        for (int k = 0; k < nm; k++) {
            dz[k] = v - so[k];
            pred[k] = so[k] + med_get(&ws->m[k].win);
            double a = ws->m[k].a > floor_ ? ws->m[k].a : floor_;
            if (k == HR_DET_BASE_WEEKLY && ws->slots && ws->scnt[1][slot[1]] == KW) {
                /* the slot's own spread, when it is wider */
                const double *ring = ws->sv[1] + slot[1] * KW;
                double dev[KW];
                for (int j = 0; j < KW; j++)
                    dev[j] = fabs(ring[j] - so[2]);
                double as = 1.4826 * 0.7979 * hr_median5(dev); /* banner, SLOT_N0 */
                double sh = (SLOT_N0 * a + KW * as) / (SLOT_N0 + KW);
                a = sh > a ? sh : a;
            }
            scl[k] = 1.2533 * a;
            inv[k] = 1 / scl[k];
        }
        int ready = ws->m[0].win.n == LW;
        if (ready) {
            /* a seasonal model takes over once its own history is long
             * enough to calibrate it, and while it predicts best */
            int sel = 0;
            for (int k = 1; k < nm; k++)
                if (ok[k] && ws->m[k].tl[0].n >= N_FULL && ws->m[k].mse[k - 1] < ws->m[sel].mse[k - 1] * SEASON_GAIN)
                    sel = k;
            double st[NM][NSTAT];
            for (int k = 0; k < nm; k++) {
                if (!ok[k])
                    continue;
                model *m = &ws->m[k];
                double z = (v - pred[k]) * inv[k];
                /* the shift statistic includes this point */
                if (m->nq >= 16)
                    m->chart += LAM_C * ((dz[k] - m->slow) * inv[k] - m->chart);
                st[k][0] = fabs(z);
                st[k][1] = fabs(m->chart);
            }
            model *m = &ws->m[sel];
            double p = 1;
            int which = 0;
            for (int k = 0; k < NSTAT; k++) {
                double pk = tail_p(&m->tl[k], st[sel][k]);
                if (pk < p) {
                    p = pk;
                    which = k;
                }
            }
            double nh = (double)m->tl[0].n, raw = 0;
            if (nh >= N_MIN && p * NSTAT < 1)
                raw = -log10(p * NSTAT) / DECADES * (nh < N_FULL ? nh / N_FULL : 1);
            raw = raw > 1 ? 1 : raw;
            score[i] = refractory(ws, i, raw);
            if (ws->fired && raw > 0)
                ws->fired[i] = (unsigned char)(1 + 2 * sel + which);
            if (level)
                level[i] = raw;
            /* each model's statistics go to its own history: a model's
             * residuals before it is in use (a level model on a seasonal
             * series) say nothing about the other's */
            for (int k = 0; k < nm; k++)
                if (ok[k] && ws->m[k].na >= 16) /* its scale is a mean of 16 by now */
                    for (int j = 0; j < NSTAT; j++)
                        tail_add(&ws->m[k].tl[j], st[k][j], ws->lower);
        }
        for (int k = 0; k < nm; k++) {
            /* a seasonal model's residuals count from when it has its
             * offsets: before, its errors say nothing of it */
            if (ready && ok[k] && !isnan(pred[k]))
                model_update(&ws->m[k], v - pred[k], dz[k], scl[k], inv[k], floor_, ws->lam_mse);
            med_push(&ws->m[k].win, dz[k]);
        }
        if (ws->slots) {
            /* this slot's offset against the mean of the preceding day */
            if (ws->ma_seen >= ws->slots && ws->ma_cnt * 2 >= ws->slots) {
                double off = v - ws->ma_sum / (double)ws->ma_cnt;
                for (int k = 0; k < 2; k++) {
                    size_t sl = slot[k];
                    double *ring = ws->sv[k] + sl * kdepth[k], *srt = ws->ss[k] + sl * kdepth[k];
                    int c = ws->scnt[k][sl];
                    if ((size_t)c < kdepth[k])
                        sorted_insert(srt, c, off);
                    ring[ws->spos[k][sl]] = off;
                    ws->spos[k][sl] = (unsigned char)((ws->spos[k][sl] + 1) % kdepth[k]);
                    if (ws->scnt[k][sl] < kdepth[k])
                        ws->scnt[k][sl]++;
                    ws->season_pts[k]++;
                }
            }
            if (ws->ma_seen >= ws->slots) {
                ws->ma_sum -= ws->ma[ws->ma_pos];
                ws->ma_cnt--;
            }
            ws->ma[ws->ma_pos] = v;
            ws->ma_sum += v;
            ws->ma_cnt++;
            ws->ma_seen++;
            if (++ws->ma_pos == ws->slots) {
                /* once a period, the sum afresh: no drift of rounding */
                ws->ma_pos = 0;
                double sum = 0;
                for (size_t j = 0; j < ws->slots; j++)
                    sum += ws->ma[j];
                ws->ma_sum = sum;
            }
        }
    }
    return 0;
}

/* ---- the weekly pattern ---- */

size_t hr_det_weekly_pattern(const hr_det_ws *ws, double zmin, hr_det_pattern *out, size_t cap)
{
    if (!ws->slots)
        return 0;
    const model *m = &ws->m[HR_DET_BASE_WEEKLY];
    double floor_ = 1e-3 * ws->absx + 1e-300;
    double sc = 1.2533 * (m->a > floor_ ? m->a : floor_);
    size_t count = 0, ns = 7 * ws->slots;
    for (size_t sl = 0; sl < ns; sl++) {
        size_t d = sl % ws->slots;
        if (ws->scnt[1][sl] != KW || ws->scnt[0][d] != KS)
            continue;
        double z = (hr_median5(ws->sv[1] + sl * KW) - hr_median3(ws->sv[0] + d * KS)) / sc;
        if (!(fabs(z) >= zmin))
            continue;
        /* the slot's day counts from the epoch's weekday, a Thursday,
         * which is day 3 of a week from Monday */
        size_t dow = (sl / ws->slots + 3) % 7;
        hr_det_pattern p = {(int64_t)dow * DAY_MS + (int64_t)d * DAY_MS / (int64_t)ws->slots,
                            z > 0 ? HR_DET_SPIKE : HR_DET_DIP, z};
        /* keep the cap largest |z|, in descending order (ties: earlier
         * in the week first) */
        size_t j = count < cap ? count : cap;
        if (j == cap && (cap == 0 || fabs(out[cap - 1].z) >= fabs(z)))
            continue;
        if (j == cap)
            j--;
        for (; j > 0 && fabs(out[j - 1].z) < fabs(z); j--)
            out[j] = out[j - 1];
        out[j] = p;
        if (count < cap)
            count++;
    }
    return count;
}

/* ---- spans ---- */

#define SIDE 2

size_t hr_det_spans(const double *score, const double *level, const double *x, size_t n, double threshold,
                    hr_det_span *out, size_t cap)
{
    if (!level)
        level = score;
    size_t count = 0, i = 0;
    double lo = 0.5 * threshold;
    while (i < n) {
        if (!(score[i] >= threshold)) {
            i++;
            continue;
        }
        hr_det_span sp = {i, i, i, level[i] > score[i] ? level[i] : score[i], HR_DET_SPIKE};
        size_t j = i + 1, gap = 0;
        while (j < n && gap <= 3) {
            if (level[j] >= lo) {
                sp.end = j;
                gap = 0;
                if (level[j] > sp.peak_score) {
                    sp.peak = j;
                    sp.peak_score = level[j];
                }
            } else {
                gap++;
            }
            j++;
        }
        /* the levels just before and just after the span: the mean of the
         * SIDE nearest finite points on each side (near, so that a daily
         * shape or a trend does not pass for a shift) */
        double pre = 0, post = 0;
        size_t m = 0;
        for (size_t k = sp.start; k > 0 && m < SIDE; k--)
            if (isfinite(x[k - 1]))
                pre += x[k - 1], m++;
        pre = m ? pre / (double)m : NAN;
        m = 0;
        for (size_t k = sp.end + 1; k < n && m < SIDE; k++)
            if (isfinite(x[k]))
                post += x[k], m++;
        post = m ? post / (double)m : NAN;
        /* the excursion: the point of the span farthest from the level
         * (the middle of the two levels, or the one there is) */
        double mid = isfinite(pre) && isfinite(post) ? 0.5 * (pre + post) : isfinite(pre) ? pre : post;
        double ex = 0;
        for (size_t k = sp.start; k <= sp.end; k++)
            if (isfinite(x[k]) && isfinite(mid) && fabs(x[k] - mid) > fabs(ex))
                ex = x[k] - mid;
        if (isfinite(pre) && isfinite(post) && fabs(post - pre) > fabs(ex))
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
