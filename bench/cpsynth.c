/* cpsynth.c -- writes synthetic series with known change points in the
 * layout of the Turing Change Point Dataset (../shared/datasets/tcpd-dev),
 * so that build/bench/tcpd scores the detector on them like on tcpd-dev.
 *
 * Usage: build/bench/cpsynth [--seed N] OUTDIR     (seed 17 by default)
 *
 * Why: the detector's defaults were chosen on six tcpd-dev series and are
 * judged on TCPD's held-out ones (short real series: economics, transport,
 * physical measurements), which we may not download. This set has known
 * truth and the kinds of series TCPD has, each series with its own random
 * length (100 to 600 points), scale and change sizes:
 *
 *   level_NN   independent normal noise, 1-3 level shifts of 1.5-4 sd;
 *              every other series has 2% of its values missing
 *   var_NN     one level, 1-2 changes of the noise sd by a factor of 3-5
 *   trend_NN   a continuous line whose slope changes 1-2 times, each
 *              change worth 4-10 sd a quarter series later
 *   season_NN  a season of 7, 12 or 24 points (amplitude 1-3 sd) and 1-2
 *              level shifts of 2.5-5 sd
 *   heavy_NN   Student t noise with 3 degrees of freedom, 1-2 level
 *              shifts of 2.5-5 scale units
 *   ar_NN      AR(1) noise, phi 0.3-0.7, 1-2 level shifts of 2.5-4
 *              stationary sd
 *   wander_NN  a slowly wandering series (AR(1), phi 0.97-1, the last
 *              third of them random walks) with one jump of 10-16
 *              innovation sd: a cliff, where a person marks a change
 *   none_NN    no change (24 series, 4 of each): independent noise,
 *              Student t noise, AR(1) phi 0.5-0.7, AR(1) phi 0.95-0.99, a
 *              random walk, a season on a line
 *
 * Change points are at least max(20, n / 8) points apart and 15 points
 * from either end. Index i means a new segment starts at observation i,
 * as in TCPD. Output: OUTDIR/csv/<name>.csv (`t,value`, t 0-based, an
 * empty value is missing), OUTDIR/annotations.json (`{"<name>": {"0":
 * [indices...]}}`: one annotator, the truth; keys sorted) and
 * OUTDIR/README.md.
 *
 * Deterministic: every series has its own xoshiro256** stream seeded by
 * splitmix64 from (seed, kind, index); no rand(), no time(). Prints one
 * line. Exit 0, 64 on bad usage, 74 on an I/O error (message on stderr). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_N 600
#define MAX_CP 3
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

/* An integer in [lo, hi]. */
static size_t irange(rng *r, size_t lo, size_t hi)
{
    return lo + (size_t)(unif(r) * (double)(hi - lo + 1));
}

/* -1 or +1. */
static double sign(rng *r) { return unif(r) < 0.5 ? -1.0 : 1.0; }

/* Standard normal (Box-Muller, one value per call). */
static double gauss(rng *r)
{
    double u = 1.0 - unif(r); /* (0, 1]: log(u) is finite */
    return sqrt(-2.0 * log(u)) * cos(TWO_PI * unif(r));
}

/* Student t with 3 degrees of freedom: heavy tails (finite variance 3). */
static double student3(rng *r)
{
    double a = gauss(r), b = gauss(r), c = gauss(r);
    return gauss(r) / sqrt((a * a + b * b + c * c) / 3.0);
}

/* ---- one series ------------------------------------------------------------ */

enum { K_MEAN, K_VAR, K_TREND, K_SEASON, K_HEAVY, K_AR, K_WANDER, K_NONE, NKIND };
static const char *const kind_name[NKIND] = {"level", "var", "trend",  "season",
                                             "heavy", "ar",  "wander", "none"};
static const int kind_count[NKIND] = {8, 8, 8, 8, 8, 8, 8, 24};

typedef struct series {
    char name[32];
    size_t n, k;        /* points; change points */
    size_t cp[MAX_CP];  /* ascending */
    double x[MAX_N];    /* NaN = missing */
} series;

/* Draws k change points into s->cp: at least max(20, n / 8) apart and 15
 * from either end (rejection; n >= 100 and k <= 3 always fit). */
static void draw_cps(series *s, rng *r, size_t k)
{
    size_t gap = s->n / 8 > 20 ? s->n / 8 : 20;
    for (;;) {
        for (size_t i = 0; i < k; i++)
            s->cp[i] = irange(r, 15, s->n - 15);
        for (size_t i = 1; i < k; i++) /* insertion sort */
            for (size_t j = i; j > 0 && s->cp[j - 1] > s->cp[j]; j--) {
                size_t t = s->cp[j];
                s->cp[j] = s->cp[j - 1];
                s->cp[j - 1] = t;
            }
        int ok = 1;
        for (size_t i = 1; i < k; i++)
            ok &= s->cp[i] - s->cp[i - 1] >= gap;
        if (ok)
            break;
    }
    s->k = k;
}

/* Which segment point i is in (0 before the first change point). */
static size_t seg_of(const series *s, size_t i)
{
    size_t g = 0;
    while (g < s->k && i >= s->cp[g])
        g++;
    return g;
}

/* Generates series number idx (0-based) of kind `kind`. */
static void make(series *s, int kind, int idx, uint64_t seed)
{
    rng r;
    rng_seed(&r, seed * UINT64_C(1000003) + (uint64_t)kind * 1000 + (uint64_t)idx);
    snprintf(s->name, sizeof s->name, "%s_%02d", kind_name[kind], idx + 1);
    s->n = irange(&r, 100, MAX_N);
    s->k = 0;
    size_t n = s->n;
    double sd = exp(uniform(&r, log(0.5), log(50.0))), base = uniform(&r, -100, 100);
    double level[MAX_CP + 1] = {0}, slope[MAX_CP + 1] = {0}, scale[MAX_CP + 1] = {1, 1, 1, 1};
    int sub = kind == K_NONE ? idx % 6 : 0;
    switch (kind) {
    case K_MEAN:
    case K_SEASON:
    case K_HEAVY:
    case K_AR:
        draw_cps(s, &r, kind == K_MEAN ? irange(&r, 1, 3) : irange(&r, 1, 2));
        for (size_t g = 1; g <= s->k; g++) {
            double lo = kind == K_MEAN ? 1.5 : 2.5, hi = kind == K_MEAN || kind == K_AR ? 4 : 5;
            level[g] = level[g - 1] + sign(&r) * uniform(&r, lo, hi);
        }
        break;
    case K_VAR:
        draw_cps(s, &r, irange(&r, 1, 2));
        for (size_t g = 1; g <= s->k; g++) {
            double f = uniform(&r, 3, 5);
            scale[g] = scale[g - 1] > 1 || (scale[g - 1] == 1 && unif(&r) < 0.5) ? scale[g - 1] / f
                                                                                  : scale[g - 1] * f;
        }
        break;
    case K_TREND:
        draw_cps(s, &r, irange(&r, 1, 2));
        slope[0] = uniform(&r, -4, 4) / (double)n;
        for (size_t g = 1; g <= s->k; g++)
            slope[g] = slope[g - 1] + sign(&r) * uniform(&r, 4, 10) / ((double)n / 4);
        break;
    case K_WANDER:
        draw_cps(s, &r, 1);
        level[1] = sign(&r) * uniform(&r, 10, 16);
        break;
    default:
        break;
    }
    /* noise process and season */
    double phi = 0, amp = 0;
    size_t period = 0;
    int heavy = kind == K_HEAVY || (kind == K_NONE && sub == 1);
    if (kind == K_AR)
        phi = uniform(&r, 0.3, 0.7);
    else if (kind == K_WANDER)
        phi = idx % 3 == 2 ? 1.0 : uniform(&r, 0.97, 1.0);
    else if (kind == K_NONE && sub == 2)
        phi = uniform(&r, 0.5, 0.7);
    else if (kind == K_NONE && sub == 3)
        phi = uniform(&r, 0.95, 0.99);
    else if (kind == K_NONE && sub == 4)
        phi = 1.0;
    if (kind == K_SEASON || (kind == K_NONE && sub == 5)) {
        static const size_t periods[] = {7, 12, 24};
        period = periods[irange(&r, 0, 2)];
        amp = uniform(&r, 1, 3);
    }
    if (kind == K_NONE && sub == 5)
        slope[0] = uniform(&r, -6, 6) / (double)n;
    /* shifts of an AR series in units of its stationary sd */
    double ar_sd = phi < 1 ? 1 / sqrt(1 - phi * phi) : 1;
    double e = phi < 1 ? ar_sd * gauss(&r) : 0, trend = 0, phase = uniform(&r, 0, TWO_PI);
    for (size_t i = 0; i < n; i++) {
        size_t g = seg_of(s, i);
        if (i > 0)
            trend += slope[g]; /* continuous: the line bends at a change */
        double noise = heavy ? student3(&r) : gauss(&r);
        double y;
        if (phi > 0) {
            e = phi * e + noise;
            y = e + level[g] * (kind == K_AR ? ar_sd : 1);
        } else {
            y = scale[g] * noise + level[g];
        }
        y += trend;
        if (period)
            y += amp * sin(TWO_PI * (double)i / (double)period + phase);
        s->x[i] = base + sd * y;
        if (kind == K_MEAN && idx % 2 == 1 && unif(&r) < 0.02)
            s->x[i] = NAN;
    }
}

/* ---- output ---------------------------------------------------------------- */

/* mkdir that accepts an existing directory. Returns 0 or 74. */
static int mkdir_ok(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "cpsynth: %s: %s\n", path, strerror(errno));
        return 74;
    }
    return 0;
}

static int write_csv(const char *dir, const series *s)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/csv/%s.csv", dir, s->name);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cpsynth: %s: %s\n", path, strerror(errno));
        return 74;
    }
    fprintf(f, "t,value\n");
    for (size_t i = 0; i < s->n; i++) {
        if (isnan(s->x[i]))
            fprintf(f, "%zu,\n", i);
        else
            fprintf(f, "%zu,%.6g\n", i, s->x[i]);
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "cpsynth: %s: write failed\n", path);
        return 74;
    }
    return 0;
}

static const char readme[] =
    "# cpsynth: synthetic change-point series in the TCPD layout\n\n"
    "Written by build/bench/cpsynth (bench/cpsynth.c, whose opening comment\n"
    "describes every kind); scored by build/bench/tcpd like tcpd-dev.\n"
    "`annotations.json` has one annotator, \"0\": the true change points.\n";

int main(int argc, char **argv)
{
    uint64_t seed = 17;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (errno || *end || end == argv[i]) {
                fprintf(stderr, "cpsynth: --seed: expected a number, got \"%s\"\n", argv[i]);
                return 64;
            }
            seed = (uint64_t)v;
        } else if (argv[i][0] == '-' || dir) {
            fprintf(stderr, "usage: cpsynth [--seed N] OUTDIR\n");
            return 64;
        } else {
            dir = argv[i];
        }
    }
    if (!dir) {
        fprintf(stderr, "usage: cpsynth [--seed N] OUTDIR\n");
        return 64;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/csv", dir);
    int rc = mkdir_ok(dir);
    if (rc || (rc = mkdir_ok(path)))
        return rc;
    snprintf(path, sizeof path, "%s/annotations.json", dir);
    FILE *aj = fopen(path, "w");
    if (!aj) {
        fprintf(stderr, "cpsynth: %s: %s\n", path, strerror(errno));
        return 74;
    }
    static series s;
    size_t total = 0, changes = 0;
    fprintf(aj, "{");
    /* kinds in the order of their names, so that the keys are sorted */
    static const int order[NKIND] = {K_AR, K_HEAVY, K_MEAN, K_NONE, K_SEASON, K_TREND, K_VAR, K_WANDER};
    for (int q = 0; q < NKIND; q++) {
        int kind = order[q];
        for (int i = 0; i < kind_count[kind]; i++) {
            make(&s, kind, i, seed);
            if ((rc = write_csv(dir, &s))) {
                fclose(aj);
                return rc;
            }
            fprintf(aj, "%s\n  \"%s\": {\"0\": [", total ? "," : "", s.name);
            for (size_t j = 0; j < s.k; j++)
                fprintf(aj, j ? ", %zu" : "%zu", s.cp[j]);
            fprintf(aj, "]}");
            total++;
            changes += s.k;
        }
    }
    fprintf(aj, "\n}\n");
    if (fclose(aj) != 0) {
        fprintf(stderr, "cpsynth: %s: write failed\n", path);
        return 74;
    }
    snprintf(path, sizeof path, "%s/README.md", dir);
    FILE *rf = fopen(path, "w");
    if (!rf || fputs(readme, rf) == EOF || fclose(rf) != 0) {
        fprintf(stderr, "cpsynth: %s: write failed\n", path);
        return 74;
    }
    printf("cpsynth: %s: %zu series, %zu change points, seed %llu\n", dir, total, changes,
           (unsigned long long)seed);
    return 0;
}
