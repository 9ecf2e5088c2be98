/* nab.c -- accuracy of the causal anomaly detector (models/detect.h) on the
 * Numenta Anomaly Benchmark (Lavin & Ahmad 2015, NAB v1.1) and its speed.
 *
 * Usage: build/bench/nab [-v] DIR      DIR holds data/<category>/<file>.csv
 *                                      (header `timestamp,value`) and
 *                                      labels/combined_windows.json
 *        build/bench/nab --selftest    checks the scorer on hand-computed
 *                                      cases
 *
 * The scorer follows the published rules (see DIR/README.md), written from
 * them here rather than taken from NAB's code:
 *   - a row is a detection when its score >= the threshold;
 *   - rows before the probationary period min(floor(0.15 n), 750) are not
 *     scored (their detections are ignored);
 *   - a window [a, b] of inclusive timestamps covers the rows from the
 *     first with t >= a to the last with t <= b (width w rows, right edge
 *     r); only its earliest detection counts and earns
 *     A_TP * sigma(-(r - i + 1) / w) / sigma(-1), with
 *     sigma(x) = 2 / (1 + e^(5x)) - 1 (and -1 past x = 3, as in NAB);
 *     a window with no detection costs -A_FN;
 *   - a detection outside every window adds A_FP * sigma((i - r') / (w' - 1))
 *     with r', w' of the preceding window, or -A_FP before the first one;
 *   - standard profile A_TP = 1, A_FP = 0.11, A_FN = 1;
 *   - normalised = 100 (raw - null) / (perfect - null), null = -A_FN * W,
 *     perfect = A_TP * W for W windows;
 *   - the threshold is the one maximising the total raw score over all the
 *     files: every distinct score value is tried (a sweep over the rows
 *     sorted by score, O(N log N)).
 * Detectors scored:
 *   - hr_det_score, the causal detector, as it is;
 *   - the baseline, hr_zscore (models/zscore.h) on the hr_daily_level +
 *     hr_profile_fit residual, which sees the whole series (not causal);
 *     its score is |z| / (1 + |z|) (0 where z is NaN): a strictly
 *     increasing map of |z|, so the best threshold and the NAB score are
 *     those of |z| itself, and unlike 1 - 2 Phi(-|z|) it does not round to
 *     1 for |z| > 8, where ties would hide the order of the largest ones.
 *     The baseline needs a regular grid: the rows are taken as one, with
 *     t0 the first timestamp and the step the median gap.
 * Then prints each category's score at the best threshold, and times
 * hr_det_score (thread CPU time): ns per point on the dev files and on 200 synthetic hourly
 * series of a year (8,760 points, the nightly scale per series).
 * -v adds one line per file and the rows of each detection. */
#include <dirent.h>
#include <errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detect.h"
#include "profile.h"
#include "timefmt.h"
#include "zscore.h"

#define A_TP 1.0
#define A_FP 0.11
#define A_FN 1.0

/* ---- the scorer ----------------------------------------------------------- */

/* One scored file: its rows, probationary period and windows (row
 * indices, inclusive, in ascending order). */
typedef struct nab_file {
    size_t n, prob, nw;
    size_t *ws, *we;
} nab_file;

static double sigma_scaled(double x)
{
    if (x > 3.0)
        return -1.0;
    return 2.0 / (1.0 + exp(5.0 * x)) - 1.0;
}

static size_t probation(size_t n)
{
    size_t p = (size_t)floor(0.15 * (double)n);
    return p < 750 ? p : 750;
}

/* The value of a detection at row i: in window *win (>= 0) the true
 * positive weight, else (*win = -1) the false positive weight. */
static double row_value(const nab_file *f, size_t i, long *win)
{
    size_t k = 0;
    while (k < f->nw && f->we[k] < i)
        k++;
    if (k < f->nw && i >= f->ws[k]) {
        double w = (double)(f->we[k] - f->ws[k] + 1);
        *win = (long)k;
        return A_TP * sigma_scaled(-((double)(f->we[k] - i) + 1.0) / w) / sigma_scaled(-1.0);
    }
    *win = -1;
    if (k == 0)
        return -A_FP;
    size_t r = f->we[k - 1];
    double w = (double)(f->we[k - 1] - f->ws[k - 1] + 1);
    double pos = w > 1 ? (double)(i - r) / (w - 1.0) : 4.0;
    return A_FP * sigma_scaled(pos);
}

/* Raw score of one file at threshold thr, with the counts of true
 * positives, false positives and missed windows (each may be NULL). */
static double score_file(const nab_file *f, const double *score, double thr, int *tp, int *fp,
                         int *fn)
{
    double raw = 0;
    int ntp = 0, nfp = 0;
    char *hit = calloc(f->nw ? f->nw : 1, 1);
    for (size_t i = f->prob; i < f->n; i++) {
        if (!(score[i] >= thr))
            continue;
        long k;
        double v = row_value(f, i, &k);
        if (k < 0) {
            raw += v;
            nfp++;
        } else if (!hit[k]) {
            hit[k] = 1;
            raw += v;
            ntp++;
        }
    }
    for (size_t k = 0; k < f->nw; k++)
        if (!hit[k])
            raw -= A_FN;
    free(hit);
    if (tp)
        *tp = ntp;
    if (fp)
        *fp = nfp;
    if (fn)
        *fn = (int)f->nw - ntp;
    return raw;
}

typedef struct event {
    double s, v;
    long win; /* global window id, -1 for a false positive */
} event;

static int cmp_event(const void *a, const void *b)
{
    double x = ((const event *)a)->s, y = ((const event *)b)->s;
    return x > y ? -1 : x < y;
}

/* The threshold maximising the total raw score of nf files (score[k]
 * for file k): sweeps every distinct score from the top. Returns the best
 * total and sets *thr (INFINITY when no detection at all is best). */
static double sweep(const nab_file *f, size_t nf, double *const *score, double *thr)
{
    size_t ne = 0, nwin = 0;
    for (size_t k = 0; k < nf; k++) {
        ne += f[k].n - f[k].prob;
        nwin += f[k].nw;
    }
    event *e = malloc((ne ? ne : 1) * sizeof *e);
    double *best = malloc((nwin ? nwin : 1) * sizeof *best);
    size_t m = 0, base = 0;
    for (size_t k = 0; k < nf; k++) {
        for (size_t i = f[k].prob; i < f[k].n; i++) {
            if (!(score[k][i] == score[k][i]))
                continue; /* NaN never detects */
            long w;
            e[m].s = score[k][i];
            e[m].v = row_value(&f[k], i, &w);
            e[m].win = w < 0 ? -1 : (long)base + w;
            m++;
        }
        base += f[k].nw;
    }
    qsort(e, m, sizeof *e, cmp_event);
    for (size_t w = 0; w < nwin; w++)
        best[w] = NAN;
    double total = -A_FN * (double)nwin, top = total;
    *thr = INFINITY;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        for (; j < m && e[j].s == e[i].s; j++) {
            if (e[j].win < 0) {
                total += e[j].v;
            } else if (isnan(best[e[j].win])) {
                total += e[j].v + A_FN;
                best[e[j].win] = e[j].v;
            } else if (e[j].v > best[e[j].win]) {
                total += e[j].v - best[e[j].win];
                best[e[j].win] = e[j].v;
            }
        }
        if (total > top + 1e-12) {
            top = total;
            *thr = e[i].s;
        }
        i = j;
    }
    free(e);
    free(best);
    return top;
}

static double normalised(double raw, size_t nwin)
{
    double null = -A_FN * (double)nwin, perfect = A_TP * (double)nwin;
    return nwin ? 100.0 * (raw - null) / (perfect - null) : NAN;
}

/* ---- scorer self-test ------------------------------------------------------- */

static int st_pass, st_fail;

static void st_near(const char *what, double got, double want)
{
    if (fabs(got - want) <= 1e-12 * fmax(1, fabs(want))) {
        st_pass++;
    } else {
        st_fail++;
        fprintf(stderr, "nab_selftest: FAIL %s: got %.15g, want %.15g\n", what, got, want);
    }
}

/* Hand-computed cases, worked from the rules in the dataset README. */
static int selftest(void)
{
    /* 1000 rows: probation 150; one window of 10 rows, [400, 409] */
    size_t ws1[] = {400}, we1[] = {409};
    nab_file f = {1000, 150, 1, ws1, we1};
    double *s = calloc(1000, sizeof *s);
    int tp, fp, fn;
    st_near("probation 1000", (double)probation(1000), 150);
    st_near("probation 10000", (double)probation(10000), 750);
    st_near("probation 4033", (double)probation(4033), 604);
    /* no detection: the window is missed, -A_FN */
    st_near("missed window", score_file(&f, s, 0.5, &tp, &fp, &fn), -1.0);
    st_near("missed count", fn, 1);
    /* detection at the left edge: sigma(-10/10)/sigma(-1) = +A_TP */
    s[400] = 1;
    st_near("left edge", score_file(&f, s, 0.5, &tp, &fp, &fn), 1.0);
    st_near("left edge tp", tp, 1);
    /* a later detection in the same window changes nothing */
    s[405] = 1;
    st_near("earliest counts", score_file(&f, s, 0.5, NULL, NULL, NULL), 1.0);
    /* only the right edge: sigma(-1/10)/sigma(-1) =
     * (2/(1+e^-0.5)-1)/(2/(1+e^-5)-1) = 0.2482... */
    s[400] = s[405] = 0;
    s[409] = 1;
    st_near("right edge", score_file(&f, s, 0.5, NULL, NULL, NULL),
            (2 / (1 + exp(-0.5)) - 1) / (2 / (1 + exp(-5.0)) - 1));
    /* window middle, row 404: -(409-404+1)/10 = -0.6 */
    s[409] = 0;
    s[404] = 1;
    st_near("middle", score_file(&f, s, 0.5, NULL, NULL, NULL),
            (2 / (1 + exp(-3.0)) - 1) / (2 / (1 + exp(-5.0)) - 1));
    /* an FP far after the window (row 900: (900-409)/9 > 3) costs A_FP */
    s[404] = 0;
    s[400] = 1;
    s[900] = 1;
    st_near("far fp", score_file(&f, s, 0.5, &tp, &fp, NULL), 1.0 - 0.11);
    st_near("far fp count", fp, 1);
    /* an FP right after the window (row 410: 1/9) costs little */
    s[900] = 0;
    s[410] = 1;
    st_near("near fp", score_file(&f, s, 0.5, NULL, NULL, NULL),
            1.0 + 0.11 * (2 / (1 + exp(5.0 / 9)) - 1));
    /* an FP before the first window costs the full A_FP */
    s[410] = 0;
    s[400] = 0;
    s[200] = 1;
    st_near("fp before first window", score_file(&f, s, 0.5, NULL, NULL, NULL), -1.0 - 0.11);
    /* detections in the probationary period are ignored */
    s[200] = 0;
    s[100] = 1;
    st_near("probation ignored", score_file(&f, s, 0.5, NULL, NULL, NULL), -1.0);
    /* threshold: 0.7 at the edge is a detection at 0.7, not at 0.71 */
    s[100] = 0;
    s[400] = 0.7;
    st_near("at threshold", score_file(&f, s, 0.7, NULL, NULL, NULL), 1.0);
    st_near("below threshold", score_file(&f, s, 0.71, NULL, NULL, NULL), -1.0);
    /* normalisation: 2 windows, raw 0.5: 100 (0.5 + 2) / (2 + 2) = 62.5;
     * the null detector 0, the perfect one 100 */
    st_near("normalised", normalised(0.5, 2), 62.5);
    st_near("normalised null", normalised(-2, 2), 0);
    st_near("normalised perfect", normalised(2, 2), 100);
    /* the sweep: the window's edge scores 0.7, an FP far away 0.9 and
     * one 0.6: thresholds 0.9 (-1.11), 0.7 (0.89), 0.6 (0.78) -> 0.7 */
    s[900] = 0.9;
    s[950] = 0.6;
    double *sp[1] = {s}, thr;
    st_near("sweep best", sweep(&f, 1, sp, &thr), 0.89);
    st_near("sweep threshold", thr, 0.7);
    /* with nothing in any window, no detection is best: the null score */
    s[400] = 0;
    st_near("sweep null", sweep(&f, 1, sp, &thr), -1.0);
    st_near("sweep null threshold", isinf(thr), 1);
    /* two files, the sweep equals score_file summed at its threshold */
    size_t ws2[] = {300, 600}, we2[] = {349, 619};
    nab_file ff[2] = {f, {800, 120, 2, ws2, we2}};
    double *s2 = calloc(800, sizeof *s2);
    s[400] = 0.8;
    s2[310] = 0.85, s2[500] = 0.95, s2[610] = 0.75, s2[700] = 0.3;
    double *sp2[2] = {s, s2};
    double top = sweep(ff, 2, sp2, &thr);
    st_near("sweep two files", top,
            score_file(&ff[0], s, thr, NULL, NULL, NULL) + score_file(&ff[1], s2, thr, NULL, NULL, NULL));
    free(s);
    free(s2);
    printf("nab_selftest: %d passed, %d failed\n", st_pass, st_fail);
    return st_fail ? 1 : 0;
}

/* ---- input ------------------------------------------------------------------ */

typedef struct series {
    char name[256];     /* "<category>/<file>.csv" */
    char category[128];
    size_t n;
    int64_t *t;
    double *x;
    nab_file f;
} series;

/* Reads a `timestamp,value` CSV. Returns 0, or -1 with a message. */
static int read_csv(const char *path, series *s)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "nab: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 1024;
    s->t = malloc(cap * sizeof *s->t);
    s->x = malloc(cap * sizeof *s->x);
    s->n = 0;
    char line[1024];
    unsigned long lineno = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        if (lineno == 1)
            continue;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0])
            continue;
        char *comma = strchr(line, ',');
        const char *why = NULL;
        int64_t t;
        if (!comma || hr_time_parse(line, (size_t)(comma - line), &t, &why) != 0) {
            fprintf(stderr, "nab: %s:%lu: bad timestamp (%s)\n", path, lineno, why ? why : "no comma");
            fclose(fp);
            return -1;
        }
        char *end;
        double v = strtod(comma + 1, &end);
        if (end == comma + 1)
            v = NAN;
        if (s->n == cap) {
            cap *= 2;
            s->t = realloc(s->t, cap * sizeof *s->t);
            s->x = realloc(s->x, cap * sizeof *s->x);
            if (!s->t || !s->x) {
                fprintf(stderr, "nab: out of memory\n");
                exit(70);
            }
        }
        s->t[s->n] = t;
        s->x[s->n] = v;
        s->n++;
    }
    fclose(fp);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Maps the windows of s (a JSON array of [start, end] timestamp pairs) to
 * rows. Returns 0, or -1 with a message. */
static int map_windows(series *s, json_t *arr)
{
    size_t nw = json_array_size(arr);
    s->f.n = s->n;
    s->f.prob = probation(s->n);
    s->f.nw = 0;
    s->f.ws = malloc((nw ? nw : 1) * sizeof(size_t));
    s->f.we = malloc((nw ? nw : 1) * sizeof(size_t));
    for (size_t k = 0; k < nw; k++) {
        json_t *p = json_array_get(arr, k);
        const char *a = json_string_value(json_array_get(p, 0));
        const char *b = json_string_value(json_array_get(p, 1));
        int64_t ta, tb;
        const char *why;
        if (!a || !b || hr_time_parse(a, strlen(a), &ta, &why) || hr_time_parse(b, strlen(b), &tb, &why)) {
            fprintf(stderr, "nab: %s: window %zu: bad timestamps\n", s->name, k);
            return -1;
        }
        size_t i0 = 0;
        while (i0 < s->n && s->t[i0] < ta)
            i0++;
        size_t i1 = s->n;
        while (i1 > 0 && s->t[i1 - 1] > tb)
            i1--;
        if (i0 >= i1) {
            fprintf(stderr, "nab: %s: window %zu holds no row\n", s->name, k);
            continue;
        }
        s->f.ws[s->f.nw] = i0;
        s->f.we[s->f.nw] = i1 - 1;
        s->f.nw++;
    }
    return 0;
}

/* ---- detectors ---------------------------------------------------------------- */

static void run_detector(const series *s, hr_det_ws *ws, double *out)
{
    hr_det_score(s->x, s->t, s->n, ws, out, NULL);
}

static void run_baseline(const series *s, double *out)
{
    size_t n = s->n;
    int64_t *gaps = malloc((n ? n : 1) * sizeof *gaps);
    size_t m = 0;
    for (size_t i = 1; i < n; i++)
        if (s->t[i] > s->t[i - 1])
            gaps[m++] = s->t[i] - s->t[i - 1];
    int64_t step = 60000;
    if (m) {
        qsort(gaps, m, sizeof *gaps, cmp_i64);
        step = gaps[m / 2];
    }
    free(gaps);
    hr_season se = hr_season_choose(s->t[0], step, n);
    size_t ppd = (size_t)(HR_DAY_MS / step) + 2;
    double *level = malloc(n * sizeof *level), *work = malloc((2 * n + ppd) * sizeof *work);
    double *prof = calloc(se.slots ? se.slots : 1, sizeof *prof), *z = malloc(n * sizeof *z);
    hr_daily_level(s->x, n, s->t[0], step, level, work);
    hr_profile_fit(s->x, n, &se, level, prof, work);
    hr_zscore(s->x, n, &se, level, prof, z, work);
    for (size_t i = 0; i < n; i++)
        out[i] = isfinite(z[i]) ? fabs(z[i]) / (1 + fabs(z[i])) : 0;
    free(level);
    free(work);
    free(prof);
    free(z);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: not inflated by other load */
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One line per category of ss (files of a category are adjacent): its
 * normalised score at thr with its TP / FP / FN counts. */
static void print_categories(const series *ss, const nab_file *f, double *const *sc, size_t ns, double thr)
{
    for (size_t k = 0; k < ns; k++) {
        if (k > 0 && strcmp(ss[k].category, ss[k - 1].category) == 0)
            continue;
        double r = 0;
        size_t w = 0;
        int tp = 0, fp = 0, fn = 0;
        for (size_t j = k; j < ns && strcmp(ss[j].category, ss[k].category) == 0; j++) {
            int a, b, c;
            r += score_file(&f[j], sc[j], thr, &a, &b, &c);
            w += f[j].nw;
            tp += a, fp += b, fn += c;
        }
        if (w)
            printf("  %-24s %6.2f  (raw %7.3f; %2d TP %3d FP %2d FN)\n", ss[k].category, normalised(r, w), r, tp,
                   fp, fn);
        else
            printf("  %-24s    n/a  (raw %7.3f; no windows; %d FP)\n", ss[k].category, r, fp);
    }
}

/* Scores every file, sweeps the threshold, prints the overall and per
 * category scores. */
static double report(const char *label, series *ss, size_t ns, double *const *sc, int verbose)
{
    nab_file *f = calloc(ns ? ns : 1, sizeof *f);
    size_t nwin = 0;
    for (size_t k = 0; k < ns; k++) {
        f[k] = ss[k].f;
        nwin += f[k].nw;
    }
    double thr, raw = sweep(f, ns, sc, &thr);
    int TP = 0, FP = 0, FN = 0;
    double check = 0;
    for (size_t k = 0; k < ns; k++) {
        int tp, fp, fn;
        check += score_file(&f[k], sc[k], thr, &tp, &fp, &fn);
        TP += tp, FP += fp, FN += fn;
    }
    printf("%-9s standard profile: %6.2f  (raw %.3f, best threshold %.6g; %d TP, %d FP, %d FN "
           "of %zu windows)\n",
           label, normalised(raw, nwin), raw, thr, TP, FP, FN, nwin);
    if (verbose) {
        double orc = 0, t1;
        for (size_t k = 0; k < ns; k++)
        {
            double r1 = sweep(&f[k], 1, &sc[k], &t1);
            orc += r1;
            printf("    oracle %-48s thr %.3f raw %.3f (at global %.3f)\n", ss[k].name, t1, r1, score_file(&f[k], sc[k], thr, NULL, NULL, NULL));
        }
        printf("  (oracle: best threshold per file: %.2f)\n", normalised(orc, nwin));
    }
    if (fabs(check - raw) > 1e-9)
        printf("  (!) sweep %.6f != rescored %.6f\n", raw, check);
    /* per category */
    print_categories(ss, f, sc, ns, thr);
    if (verbose) {
        for (size_t k = 0; k < ns; k++) {
            int tp, fp, fn;
            double r = score_file(&f[k], sc[k], thr, &tp, &fp, &fn);
            printf("    %-48s %7.3f  %d TP %3d FP %d FN  windows:", ss[k].name, r, tp, fp, fn);
            for (size_t w = 0; w < f[k].nw; w++)
                printf(" [%zu,%zu]", f[k].ws[w], f[k].we[w]);
            printf("  det:");
            int shown = 0;
            for (size_t i = f[k].prob; i < f[k].n && shown < 40; i++)
                if (sc[k][i] >= thr) {
                    printf(" %zu(%.2f)", i, sc[k][i]);
                    shown++;
                }
            printf("\n");
        }
    }
    free(f);
    return thr;
}

/* Leave-one-category-out: for each category, the threshold chosen on the
 * files of the other categories (the sweep above), the category's files
 * scored at it; the raw scores summed and normalised over all windows as
 * NAB sums files. An estimate of the score on categories not seen when
 * the threshold was chosen. Prints each category's threshold and score;
 * returns the normalised total. */
static double loco(const char *label, series *ss, size_t ns, double *const *sc)
{
    nab_file *f = calloc(ns ? ns : 1, sizeof *f);
    double **rest = calloc(ns ? ns : 1, sizeof *rest);
    nab_file *rf = calloc(ns ? ns : 1, sizeof *rf);
    size_t nwin = 0;
    for (size_t k = 0; k < ns; k++) {
        f[k] = ss[k].f;
        nwin += f[k].nw;
    }
    double total = 0;
    printf("%-9s leave-one-category-out:\n", label);
    for (size_t k = 0; k < ns; k++) {
        if (k > 0 && strcmp(ss[k].category, ss[k - 1].category) == 0)
            continue;
        size_t m = 0;
        for (size_t j = 0; j < ns; j++)
            if (strcmp(ss[j].category, ss[k].category) != 0) {
                rf[m] = f[j];
                rest[m++] = sc[j];
            }
        double thr;
        sweep(rf, m, rest, &thr);
        double r = 0;
        size_t w = 0;
        int tp = 0, fp = 0, fn = 0;
        for (size_t j = k; j < ns && strcmp(ss[j].category, ss[k].category) == 0; j++) {
            int a, b, c;
            r += score_file(&f[j], sc[j], thr, &a, &b, &c);
            w += f[j].nw;
            tp += a, fp += b, fn += c;
        }
        total += r;
        if (w)
            printf("  %-24s %6.2f  at threshold %.4g chosen on the others (raw %7.3f; %2d TP %3d FP %2d FN)\n",
                   ss[k].category, normalised(r, w), thr, r, tp, fp, fn);
        else
            printf("  %-24s    n/a  at threshold %.4g chosen on the others (raw %7.3f; no windows; %d FP)\n",
                   ss[k].category, thr, r, fp);
    }
    double norm = normalised(total, nwin);
    printf("%-9s leave-one-category-out standard profile: %6.2f  (raw %.3f)\n", label, norm, total);
    free(f);
    free(rest);
    free(rf);
    return norm;
}

/* Scores the files at a given threshold (chosen elsewhere): prints the
 * total and per category, and the files' own best threshold beside it. */
static void at_threshold(const char *label, series *ss, size_t ns, double *const *sc, double thr)
{
    nab_file *f = calloc(ns ? ns : 1, sizeof *f);
    size_t nwin = 0;
    double raw = 0;
    int TP = 0, FP = 0, FN = 0;
    for (size_t k = 0; k < ns; k++) {
        int a, b, c;
        f[k] = ss[k].f;
        nwin += f[k].nw;
        raw += score_file(&f[k], sc[k], thr, &a, &b, &c);
        TP += a, FP += b, FN += c;
    }
    double own, best = sweep(f, ns, sc, &own);
    printf("%-9s at threshold %.6g: %6.2f  (raw %.3f; %d TP, %d FP, %d FN of %zu windows); at its own best "
           "threshold %.4g: %.2f\n",
           label, thr, normalised(raw, nwin), raw, TP, FP, FN, nwin, own, normalised(best, nwin));
    print_categories(ss, f, sc, ns, thr);
    free(f);
}

/* What a generated set (bench/cloudsynth) writes beside its windows:
 * labels/kinds.csv, each anomaly's file, kind and first row. At the
 * threshold: per kind, the windows with a score at or above it (found
 * after the probationary period, as NAB counts) and the median of the
 * windows' largest scores; and over the files without anomalies, the
 * alarms per 1000 scored rows (a normal regime should raise few). Silent
 * when the file is not there (NAB's own sets). */
#define MAXKIND 64
static void kinds(const char *dir, const series *ss, size_t ns, double *const *sc, double thr)
{
    char path[4096], line[512];
    snprintf(path, sizeof path, "%s/labels/kinds.csv", dir);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return;
    char name[MAXKIND][32];
    int nk = 0, tot[MAXKIND] = {0}, found[MAXKIND] = {0};
    double *peaks[MAXKIND] = {0};
    size_t npk[MAXKIND] = {0};
    while (fgets(line, sizeof line, fp)) {
        char *f = strtok(line, ","), *kd = strtok(NULL, ","), *row = strtok(NULL, ",");
        if (!f || !kd || !row || strcmp(f, "file") == 0)
            continue;
        size_t r = strtoull(row, NULL, 10), j = 0;
        while (j < ns && strcmp(ss[j].name, f) != 0)
            j++;
        if (j == ns)
            continue;
        const nab_file *nf = &ss[j].f;
        size_t w = 0;
        while (w < nf->nw && !(nf->ws[w] <= r && r <= nf->we[w]))
            w++;
        if (w == nf->nw)
            continue;
        int k = 0;
        while (k < nk && strcmp(name[k], kd) != 0)
            k++;
        if (k == nk) {
            if (nk == MAXKIND)
                continue;
            snprintf(name[nk++], sizeof name[0], "%s", kd);
        }
        double peak = 0;
        for (size_t i = nf->ws[w] > nf->prob ? nf->ws[w] : nf->prob; i <= nf->we[w]; i++)
            if (sc[j][i] > peak)
                peak = sc[j][i];
        tot[k]++;
        found[k] += peak >= thr;
        double *np_ = realloc(peaks[k], (npk[k] + 1) * sizeof *np_);
        if (!np_)
            continue;
        peaks[k] = np_;
        peaks[k][npk[k]++] = peak;
    }
    fclose(fp);
    printf("  per kind of anomaly (windows found at the threshold; median of the windows' largest score):\n");
    for (int k = 0; k < nk; k++) {
        gsl_sort(peaks[k], 1, npk[k]);
        printf("    %-12s %2d of %2d  %.2f\n", name[k], found[k], tot[k],
               npk[k] ? gsl_stats_median_from_sorted_data(peaks[k], 1, npk[k]) : 0.0);
        free(peaks[k]);
    }
    size_t rows = 0;
    int alarms = 0;
    for (size_t j = 0; j < ns; j++) {
        if (ss[j].f.nw)
            continue;
        int a;
        score_file(&ss[j].f, sc[j], thr, NULL, &a, NULL);
        alarms += a;
        rows += ss[j].f.n - ss[j].f.prob;
    }
    if (rows)
        printf("  files without anomalies: %d alarms in %zu scored rows (%.2f per 1000)\n", alarms, rows,
               1000.0 * alarms / (double)rows);
}

/* ---- speed ------------------------------------------------------------------------ */

static uint64_t rs = 20150520;
static double unif(void)
{
    uint64_t z = (rs += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void) { return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif()); }

/* 200 hourly series of a year with a daily shape, noise, 0.5% missing
 * and a few spikes. Best of 3, one thread. */
static double speed_synthetic(void)
{
    enum { NS = 200, N = 8760 };
    double *x = malloc((size_t)NS * N * sizeof *x), *sc = malloc(N * sizeof *sc);
    int64_t *t = malloc(N * sizeof *t);
    hr_det_ws *ws = hr_det_ws_alloc(N);
    for (size_t i = 0; i < N; i++)
        t[i] = INT64_C(1704067200000) + (int64_t)i * INT64_C(3600000);
    for (size_t s = 0; s < NS; s++)
        for (size_t i = 0; i < N; i++) {
            double v = 100 + 20 * sin(2 * M_PI * (double)(i % 24) / 24) + 3 * gauss();
            if (unif() < 0.002)
                v += 30;
            x[s * N + i] = unif() < 0.005 ? NAN : v;
        }
    double best = INFINITY;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now_s();
        for (size_t s = 0; s < NS; s++)
            hr_det_score(x + s * N, t, N, ws, sc, NULL);
        double dt = now_s() - t0;
        if (dt < best)
            best = dt;
    }
    free(x);
    free(sc);
    free(t);
    hr_det_ws_free(ws);
    return 1e9 * best / ((double)NS * N);
}

/* ---- main ------------------------------------------------------------------------- */

/* One benchmark directory: its files (sorted by name), windows, and the
 * detector's scores. */
typedef struct bench_set {
    size_t ns, npts, nwin, maxn;
    series *ss;
    double **det;
    json_t *root;
    const char **names;
} bench_set;

static int load_set(const char *dir, bench_set *b)
{
    char path[4096];
    memset(b, 0, sizeof *b);
    snprintf(path, sizeof path, "%s/labels/combined_windows.json", dir);
    json_error_t jerr;
    b->root = json_load_file(path, 0, &jerr);
    if (!b->root || !json_is_object(b->root)) {
        fprintf(stderr, "nab: %s:%d: %s\n", path, jerr.line, b->root ? "not an object" : jerr.text);
        return 65;
    }
    size_t ns = json_object_size(b->root), k = 0;
    b->names = malloc((ns ? ns : 1) * sizeof *b->names);
    const char *key;
    json_t *val;
    json_object_foreach(b->root, key, val) b->names[k++] = key;
    qsort(b->names, ns, sizeof *b->names, cmp_str);
    b->ss = calloc(ns ? ns : 1, sizeof *b->ss);
    b->ns = ns;
    for (k = 0; k < ns; k++) {
        series *s = &b->ss[k];
        snprintf(s->name, sizeof s->name, "%s", b->names[k]);
        snprintf(s->category, sizeof s->category, "%.*s", (int)strcspn(b->names[k], "/"), b->names[k]);
        snprintf(path, sizeof path, "%s/data/%s", dir, b->names[k]);
        if (read_csv(path, s) || map_windows(s, json_object_get(b->root, b->names[k])))
            return 65;
        b->nwin += s->f.nw;
        b->npts += s->n;
        if (s->n > b->maxn)
            b->maxn = s->n;
    }
    printf("nab: %s: %zu files, %zu rows, %zu windows; standard profile (A_TP 1, A_FP 0.11, A_FN 1)\n", dir, ns,
           b->npts, b->nwin);
    return 0;
}

/* Scores every file with the detector; returns the CPU seconds. */
static double detect_set(bench_set *b)
{
    hr_det_ws *ws = hr_det_ws_alloc(b->maxn);
    b->det = malloc((b->ns ? b->ns : 1) * sizeof *b->det);
    double t0 = now_s();
    for (size_t k = 0; k < b->ns; k++) {
        b->det[k] = malloc((b->ss[k].n ? b->ss[k].n : 1) * sizeof **b->det);
        run_detector(&b->ss[k], ws, b->det[k]);
    }
    double dt = now_s() - t0;
    hr_det_ws_free(ws);
    return dt;
}

static void free_set(bench_set *b)
{
    for (size_t k = 0; k < b->ns; k++) {
        if (b->det)
            free(b->det[k]);
        free(b->ss[k].t);
        free(b->ss[k].x);
        free(b->ss[k].f.ws);
        free(b->ss[k].f.we);
    }
    free(b->det);
    free(b->ss);
    free(b->names);
    json_decref(b->root);
}

static int usage(void)
{
    fprintf(stderr, "usage: nab [-v] [--no-baseline] DIR [OTHER...] | nab --selftest\n"
                    "  DIR chooses the threshold; each OTHER directory is scored at it\n");
    return 64;
}

int main(int argc, char **argv)
{
    int verbose = 0, baseline = 1;
    const char *dirs[16];
    int nd = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--selftest") == 0)
            return selftest();
        if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "--no-baseline") == 0)
            baseline = 0;
        else if (argv[i][0] == '-' || nd == 16)
            return usage();
        else
            dirs[nd++] = argv[i];
    }
    if (!nd)
        return usage();
    bench_set dev;
    if (load_set(dirs[0], &dev))
        return 65;
    double dt = detect_set(&dev);
    double thr = report("detect", dev.ss, dev.ns, dev.det, verbose);
    loco("detect", dev.ss, dev.ns, dev.det);
    if (baseline) {
        double **base = calloc(dev.ns ? dev.ns : 1, sizeof *base);
        for (size_t k = 0; k < dev.ns; k++) {
            base[k] = malloc((dev.ss[k].n ? dev.ss[k].n : 1) * sizeof **base);
            run_baseline(&dev.ss[k], base[k]);
        }
        report("baseline", dev.ss, dev.ns, base, verbose);
        loco("baseline", dev.ss, dev.ns, base);
        for (size_t k = 0; k < dev.ns; k++)
            free(base[k]);
        free(base);
    }
    for (int d = 1; d < nd; d++) {
        bench_set o;
        if (load_set(dirs[d], &o))
            return 65;
        detect_set(&o);
        at_threshold("detect", o.ss, o.ns, o.det, thr);
        kinds(dirs[d], o.ss, o.ns, o.det, thr);
        if (verbose)
            report("detect", o.ss, o.ns, o.det, verbose);
        free_set(&o);
    }
    printf("speed: hr_det_score %.0f ns per point on the dev files (one pass, one thread), "
           "%.0f ns per point on 200 hourly series of 8,760 points (best of 3)\n",
           1e9 * dt / (double)dev.npts, speed_synthetic());
    free_set(&dev);
    return 0;
}
