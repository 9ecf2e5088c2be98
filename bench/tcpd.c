/* tcpd.c -- accuracy of the change-point detector on the Turing Change
 * Point Dataset (van den Burg & Williams 2020) and its speed.
 *
 * Usage: build/bench/tcpd [-v] [--no-speed] DIR...
 *                                      each DIR holds csv/<name>.csv
 *                                      (header `t,<label>`, empty value =
 *                                      missing) and annotations.json
 *        build/bench/tcpd --selftest   checks the scorer on hand-computed
 *                                      cases
 *
 * Runs hr_cp_detect with its defaults (the same for every series) on each
 * annotated series as it is (not deseasonalised, missing values as NaN),
 * scores the predictions with the published metrics (F1 with a margin of 5
 * and Cover, hr_cp_score_f1 / hr_cp_score_cover) and prints one line per
 * series (for a directory of more than 20 series, such as the synthetic
 * set of bench/cpsynth.c, the means per kind of series instead: the name
 * up to its last '_'), the means, and how many series without an
 * annotated change were given one. Then (unless --no-speed) times the
 * detector on 100 synthetic series of 10,000 points with a few steps and
 * prints ns per point.
 * -v also prints each series' predictions and noise scales. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "changepoint.h"

#define MARGIN 5

/* ---- input -------------------------------------------------------------- */

/* Reads the second column of a `t,<label>` CSV into a new array (NaN for
 * an empty or unparsable value). Returns the number of rows, or -1 with a
 * message on stderr. */
static long read_series(const char *path, double **out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "tcpd: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 256, n = 0;
    double *v = malloc(cap * sizeof *v);
    char line[4096];
    unsigned long lineno = 0;
    while (v && fgets(line, sizeof line, f)) {
        lineno++;
        if (lineno == 1)
            continue; /* header */
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0])
            continue;
        char *comma = strchr(line, ',');
        if (!comma) {
            fprintf(stderr, "tcpd: %s:%lu: expected two columns\n", path, lineno);
            free(v);
            fclose(f);
            return -1;
        }
        char *val = comma + 1, *end;
        double d = NAN;
        if (*val) {
            errno = 0;
            d = strtod(val, &end);
            if (end == val || *end)
                d = NAN;
        }
        if (n == cap) {
            double *nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv) {
                free(v);
                v = NULL;
                break;
            }
            v = nv;
            cap *= 2;
        }
        v[n++] = d;
    }
    fclose(f);
    if (!v) {
        fprintf(stderr, "tcpd: %s: out of memory\n", path);
        return -1;
    }
    *out = v;
    return (long)n;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- scorer self-test --------------------------------------------------- */

static int st_pass, st_fail;

static void st_near(const char *what, double got, double want)
{
    if (fabs(got - want) <= 1e-12 * fmax(1, fabs(want))) {
        st_pass++;
    } else {
        st_fail++;
        fprintf(stderr, "tcpd_selftest: FAIL %s: got %.15g, want %.15g\n", what, got, want);
    }
}

/* Hand-computed cases (worked from the definitions in the TCPD paper and
 * the dataset README). */
static int selftest(void)
{
    size_t scratch[3 * 200 + 3];
    double P, R;
    /* one annotator {50}, prediction {52}: both match; with 0 added
     * P = 2/2, R = 2/2 */
    {
        size_t a0[] = {50}, pred[] = {52};
        const size_t *ann[] = {a0};
        size_t an[] = {1};
        st_near("f1 exact", hr_cp_score_f1(ann, an, 1, pred, 1, 100, 5, scratch, &P, &R), 1);
        /* cover: A = [0,50) [50,100), A' = [0,52) [52,100):
         * (50 * 50/52 + 50 * 48/50) / 100 */
        st_near("cover shift", hr_cp_score_cover(ann, an, 1, pred, 1, 100, scratch),
                (50.0 * 50 / 52 + 50.0 * 48 / 50) / 100);
    }
    /* prediction 6 points off: outside the margin. X = {0, 56}: P = 1/2;
     * T = {0, 50}: R = 1/2; F1 = 0.5 */
    {
        size_t a0[] = {50}, pred[] = {56};
        const size_t *ann[] = {a0};
        size_t an[] = {1};
        st_near("f1 margin", hr_cp_score_f1(ann, an, 1, pred, 1, 100, 5, scratch, &P, &R), 0.5);
        st_near("precision margin", P, 0.5);
        st_near("recall margin", R, 0.5);
    }
    /* two annotators {20, 60} and {}: union {0, 20, 60}; predictions
     * {22, 40, 90}: X = {0, 22, 40, 90}, matched 0 and 22: P = 2/4;
     * R = (2/3 + 1/1) / 2 = 5/6; F1 = 2 * 0.5 * 5/6 / (0.5 + 5/6) = 5/8 */
    {
        size_t a0[] = {20, 60}, pred[] = {90, 22, 40};
        const size_t *ann[] = {a0, NULL};
        size_t an[] = {2, 0};
        st_near("f1 two annotators", hr_cp_score_f1(ann, an, 2, pred, 3, 100, 5, scratch, &P, &R),
                0.625);
        st_near("precision two annotators", P, 0.5);
        st_near("recall two annotators", R, 5.0 / 6);
        /* cover, annotator 1: A = [0,20) [20,60) [60,100) against
         * A' = [0,22) [22,40) [40,90) [90,100):
         * 20 * 20/22 + 40 * max(2/60, 18/40, 20/70) + 40 * max(30/60, 10/40)
         * = 18.1818.. + 18 + 20; annotator 2: A = [0,100): 100 * 50/100 = 50.
         * Mean of 0.561818.. and 0.5 */
        double c1 = (20.0 * 20 / 22 + 40.0 * 18 / 40 + 40.0 * 30 / 60) / 100, c2 = 0.5;
        st_near("cover two annotators", hr_cp_score_cover(ann, an, 2, pred, 3, 100, scratch),
                (c1 + c2) / 2);
    }
    /* one prediction between two close true points: matched once.
     * annotators {30} and {33}; prediction {31}; union {0, 30, 33}:
     * 30 takes 31, 33 finds nothing: P = 2/2; each annotator 2/2: F1 = 1 */
    {
        size_t a0[] = {30}, a1[] = {33}, pred[] = {31};
        const size_t *ann[] = {a0, a1};
        size_t an[] = {1, 1};
        st_near("f1 shared", hr_cp_score_f1(ann, an, 2, pred, 1, 100, 5, scratch, &P, &R), 1);
    }
    /* duplicates and out-of-range predictions are ignored: {0, 99, 40, 40}
     * on n = 100 counts as X = {0, 40}; annotator {} : P = 1/2, R = 1,
     * F1 = 2/3; cover: A = [0,100), A' = [0,40) [40,100): 60/100 */
    {
        size_t pred[] = {0, 99, 40, 40};
        const size_t *ann[] = {NULL};
        size_t an[] = {0};
        st_near("f1 cleaned", hr_cp_score_f1(ann, an, 1, pred, 4, 100, 5, scratch, &P, &R),
                2.0 / 3);
        st_near("cover cleaned", hr_cp_score_cover(ann, an, 1, pred, 4, 100, scratch), 0.6);
    }
    /* the closest prediction wins, a second one near the same point is a
     * false positive: annotator {50}, predictions {47, 49}: X = {0, 47,
     * 49}, 50 takes 49: P = 2/3, R = 1, F1 = 0.8 */
    {
        size_t a0[] = {50}, pred[] = {47, 49};
        const size_t *ann[] = {a0};
        size_t an[] = {1};
        st_near("f1 closest", hr_cp_score_f1(ann, an, 1, pred, 2, 100, 5, scratch, &P, &R), 0.8);
        /* no predictions: X = {0}: P = 1, R = 1/2, F1 = 2/3 */
        st_near("f1 none", hr_cp_score_f1(ann, an, 1, NULL, 0, 100, 5, scratch, &P, &R),
                2.0 / 3);
        /* cover with no predictions: [0,50) 50/100, [50,100) 50/100 */
        st_near("cover none", hr_cp_score_cover(ann, an, 1, NULL, 0, 100, scratch), 0.5);
    }
    /* the reference's doctest of true_positives: T = {1, 10, 20, 23},
     * X = {3, 8, 20} matches 1-3, 10-8, 20-20 and leaves 23 alone; with 0
     * added: P = 4/4, R = 4/5, F1 = 8/9. Adding predictions 1 and 5
     * (X = {0, 1, 3, 5, 8, 20}): 1 takes 1, 10 takes 8: P = 4/6, F1 =
     * 2 * (2/3) * (4/5) / (2/3 + 4/5) = 8/11 */
    {
        size_t a0[] = {1, 10, 20, 23}, pred[] = {3, 8, 20}, pred2[] = {1, 3, 5, 8, 20};
        const size_t *ann[] = {a0};
        size_t an[] = {4};
        st_near("f1 reference doctest",
                hr_cp_score_f1(ann, an, 1, pred, 3, 100, 5, scratch, &P, &R), 8.0 / 9);
        st_near("f1 reference doctest 2",
                hr_cp_score_f1(ann, an, 1, pred2, 5, 100, 5, scratch, &P, &R), 8.0 / 11);
    }
    printf("tcpd_selftest: %d passed, %d failed\n", st_pass, st_fail);
    return st_fail ? 1 : 0;
}

/* ---- speed -------------------------------------------------------------- */

static uint64_t rs = 20200318;
static double unif(void)
{
    uint64_t z = (rs += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void) { return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif()); }

/* CPU time of this (single-threaded) process: steadier than the wall
 * clock on a machine shared with other work. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* 100 series of 10,000 points: noise sd 1, three steps of 3 to 6 sigma at
 * random places, a slope break, and 1% missing. Reports the detection
 * rate of the steps (within 5 points) as a sanity check beside the time. */
static int speed(void)
{
    enum { NS = 100, N = 10000 };
    double *x = malloc((size_t)NS * N * sizeof *x);
    size_t truth[NS][4];
    hr_cp_ws *ws = hr_cp_ws_alloc(N);
    hr_cp out[64];
    if (!x || !ws) {
        free(x);
        hr_cp_ws_free(ws);
        fprintf(stderr, "tcpd: out of memory\n");
        return 1;
    }
    for (int s = 0; s < NS; s++) {
        double *y = x + (size_t)s * N;
        for (int k = 0; k < 4; k++)
            truth[s][k] = (size_t)(1000 + k * 2200 + unif() * 1000);
        double level = 100, slope = 0;
        for (size_t i = 0; i < N; i++) {
            for (int k = 0; k < 3; k++)
                if (i == truth[s][k])
                    level += (unif() < 0.5 ? -1 : 1) * (3 + 3 * unif());
            if (i == truth[s][3])
                slope = 0.002;
            level += slope;
            y[i] = unif() < 0.01 ? NAN : level + gauss();
        }
    }
    size_t found = 0, hit = 0;
    double best = INFINITY;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now_s();
        found = hit = 0;
        for (int s = 0; s < NS; s++) {
            long K = hr_cp_detect(x + (size_t)s * N, N, NULL, ws, out, 64, NULL);
            for (long j = 0; j < K && j < 64; j++) {
                found++;
                for (int k = 0; k < 3; k++)
                    if (labs((long)out[j].index - (long)truth[s][k]) <= MARGIN)
                        hit++;
            }
        }
        double dt = now_s() - t0;
        if (dt < best)
            best = dt;
    }
    printf("speed: %d series x %d points, defaults: %.0f ns per point (CPU time, best of 3, one "
           "thread); %zu of %d steps found within %d, %zu change points in all\n",
           NS, N, 1e9 * best / ((double)NS * N), hit, 3 * NS, MARGIN, found);
    free(x);
    hr_cp_ws_free(ws);
    return 0;
}

/* ---- the benchmark -------------------------------------------------------- */

#define MAX_KINDS 32

/* Per-kind sums of a directory's scores: the kind of a series is its name
 * up to the last '_' (mean_03 -> mean). */
typedef struct kind_sum {
    char name[32];
    double f1, cov;
    size_t n;
} kind_sum;

static void add_kind(kind_sum *ks, size_t *nk, const char *name, double f1, double cov)
{
    const char *us = strrchr(name, '_');
    size_t len = us ? (size_t)(us - name) : strlen(name);
    if (len >= sizeof ks->name)
        len = sizeof ks->name - 1;
    size_t i = 0;
    while (i < *nk && (strlen(ks[i].name) != len || strncmp(ks[i].name, name, len) != 0))
        i++;
    if (i == *nk) {
        if (*nk == MAX_KINDS)
            return;
        memcpy(ks[i].name, name, len);
        ks[i].name[len] = 0;
        ks[i].f1 = ks[i].cov = 0;
        ks[i].n = 0;
        (*nk)++;
    }
    ks[i].f1 += f1;
    ks[i].cov += cov;
    ks[i].n++;
}

/* Scores every annotated series of dir (csv/<name>.csv and
 * annotations.json) and prints a line per series (only the means per
 * kind when the directory has more than 20 series, unless verbose), the
 * mean, and how many series without any annotated change got a break.
 * Returns 0 or an exit status. */
static int score_dir(const char *dir, int verbose)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/annotations.json", dir);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root || !json_is_object(root)) {
        fprintf(stderr, "tcpd: %s:%d: %s\n", path, jerr.line, root ? "not an object" : jerr.text);
        json_decref(root);
        return 65;
    }
    size_t ns = json_object_size(root), k = 0;
    const char **names = malloc((ns ? ns : 1) * sizeof *names);
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val) names[k++] = key;
    qsort(names, ns, sizeof *names, cmp_str);
    int rows = verbose || ns <= 20;
    kind_sum kinds[MAX_KINDS];
    size_t nk = 0, quiet = 0, quiet_broken = 0;

    printf("tcpd: %s: %zu series, hr_cp_detect defaults, F1 margin %d\n", dir, ns, MARGIN);
    if (rows)
        printf("%-24s %6s %5s %7s %7s  %s\n", "series", "n", "found", "F1", "Cover",
               "annotators");
    double sf = 0, sc = 0;
    size_t scored = 0;
    int status = 0;
    for (size_t s = 0; s < ns; s++) {
        json_t *a = json_object_get(root, names[s]);
        snprintf(path, sizeof path, "%s/csv/%s.csv", dir, names[s]);
        double *x = NULL;
        long n = read_series(path, &x);
        if (n <= 0 || !json_is_object(a) || json_object_size(a) == 0) {
            if (n >= 0)
                fprintf(stderr, "tcpd: %s: %s\n", names[s], n ? "no annotators" : "empty");
            status = 65;
            free(x);
            continue;
        }
        size_t K = json_object_size(a), j = 0, nann = 0;
        size_t **ann = calloc(K ? K : 1, sizeof *ann), *an = calloc(K ? K : 1, sizeof *an);
        json_t *lst;
        const char *aid;
        json_object_foreach(a, aid, lst)
        {
            size_t L = json_array_size(lst);
            ann[j] = malloc((L ? L : 1) * sizeof **ann);
            for (size_t i = 0; i < L; i++) {
                json_int_t v = json_integer_value(json_array_get(lst, i));
                if (v >= 0 && v < n)
                    ann[j][an[j]++] = (size_t)v;
            }
            nann += an[j];
            j++;
        }
        hr_cp_ws *ws = hr_cp_ws_alloc((size_t)n);
        hr_cp *cp = malloc(((size_t)n + 1) * sizeof *cp);
        size_t *pred = malloc(((size_t)n + 1) * sizeof *pred);
        size_t *scratch = malloc((3 * (size_t)n + 3) * sizeof *scratch);
        if (!ws || !cp || !pred || !scratch) {
            fprintf(stderr, "tcpd: out of memory\n");
            return 70;
        }
        hr_cp_info info;
        long found = hr_cp_detect(x, (size_t)n, NULL, ws, cp, (size_t)n + 1, &info);
        for (long i = 0; i < found; i++)
            pred[i] = cp[i].index;
        size_t np = found > 0 ? (size_t)found : 0;
        double f1 = hr_cp_score_f1((const size_t *const *)ann, an, K, pred, np, (size_t)n, MARGIN,
                                   scratch, NULL, NULL);
        double cov =
            hr_cp_score_cover((const size_t *const *)ann, an, K, pred, np, (size_t)n, scratch);
        if (rows)
            printf("%-24s %6ld %5ld %7.3f %7.3f  %zu\n", names[s], n, found, f1, cov, K);
        if (verbose) {
            printf("    min_seg %zu, sigma_noise %.4g, sigma_local %.4g, lrv_ratio %.3g, "
                   "penalty %.3g; found:",
                   info.min_seg, info.sigma_noise, info.sigma_local, info.lrv_ratio, info.penalty);
            for (long i = 0; i < found; i++)
                printf(" %zu%s(%.3g)", cp[i].index, cp[i].kind == HR_CP_LEVEL ? "L" : "S",
                       cp[i].score);
            printf("\n    annotated:");
            for (size_t q = 0; q < K; q++) {
                qsort(ann[q], an[q], sizeof **ann, cmp_size);
                printf(" {");
                for (size_t i = 0; i < an[q]; i++)
                    printf(i ? " %zu" : "%zu", ann[q][i]);
                printf("}");
            }
            printf("\n");
        }
        if (found < 0)
            status = 70;
        else {
            sf += f1;
            sc += cov;
            scored++;
            add_kind(kinds, &nk, names[s], f1, cov);
            if (nann == 0) {
                quiet++;
                quiet_broken += found > 0;
            }
        }
        for (size_t q = 0; q < K; q++)
            free(ann[q]);
        free(ann);
        free(an);
        free(scratch);
        free(pred);
        free(cp);
        hr_cp_ws_free(ws);
        free(x);
    }
    if (!rows)
        for (size_t i = 0; i < nk; i++)
            printf("%-24s %6s %5zu %7.3f %7.3f\n", kinds[i].name, "", kinds[i].n,
                   kinds[i].f1 / (double)kinds[i].n, kinds[i].cov / (double)kinds[i].n);
    if (scored)
        printf("%-24s %6s %5s %7.3f %7.3f  (%zu series)\n", "mean", "", "", sf / (double)scored,
               sc / (double)scored, scored);
    if (quiet)
        printf("series without a change given a break: %zu of %zu\n", quiet_broken, quiet);
    free(names);
    json_decref(root);
    return status;
}

int main(int argc, char **argv)
{
    int verbose = 0, speed_too = 1, ndir = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--selftest") == 0)
            return selftest();
        if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "--no-speed") == 0)
            speed_too = 0;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: tcpd [-v] [--no-speed] DIR... | tcpd --selftest\n");
            return 64;
        } else
            ndir++;
    }
    if (!ndir) {
        fprintf(stderr, "usage: tcpd [-v] [--no-speed] DIR... | tcpd --selftest\n");
        return 64;
    }
    int status = 0;
    for (int i = 1; i < argc; i++)
        if (argv[i][0] != '-') {
            int rc = score_dir(argv[i], verbose);
            if (rc && !status)
                status = rc;
        }
    if (speed_too && speed())
        status = 70;
    return status;
}
