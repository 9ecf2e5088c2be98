/* bench/forecast.c -- accuracy and speed of the short-horizon forecaster
 * (models/forecast.h) on hourly series, scored as in M4 (Makridakis et
 * al. 2020): sMAPE, MASE (scaled by the in-sample seasonal naive MAE,
 * m = 24), OWA against Naive2 (naive on the classically deseasonalised
 * series, multiplicative decomposition when the 90% ACF test finds the
 * season: the M4 benchmark code), coverage of the 80% and 95% intervals
 * and MSIS (95%, as in M4).
 *
 * Usage (from the repo root):
 *   build/bench/forecast [--no-r] [--detail] [--hist N] [--windows K] [--synth N] [NABDIR]
 * NABDIR defaults to /work/shared/datasets/nab-dev/data. Datasets:
 *   adex     NAB realAdExchange (hourly, gaps)
 *   tweets   NAB realTweets, 5-minute counts summed per clock hour
 *   art      NAB artificial*, 5-minute values averaged per hour (14 days
 *            each; spikes, flat stretches, zeros: sMAPE misbehaves here)
 *   taylor   R's forecast::taylor electricity demand (England and Wales,
 *            summer 2000), half-hourly summed per hour; exported once by
 *            bench/forecast_peer.R into bench/out/ and cached
 *   synth    generated hourly series: daily + weekly profiles, trends, level
 *            shifts, AR noise, spikes (deterministic seed)
 * Each series gives K windows of 48 (the last K, taylor 4K; each forecast
 * from the up-to-N points before it; N = 960 like the longest M4 hourly
 * series). Windows with a zero MASE scale (flat histories) are skipped.
 * The peer: R's forecast package (stlf; stlf on msts(24, 168), i.e. mstl +
 * ETS; ets -- on the real series only: seasonal ets takes ~9 s a window),
 * run by bench/forecast_peer.R on the same windows and scored here by the
 * same code; its forecasts are cached in bench/out/ while the windows are
 * unchanged. OWA is paired: each method against Naive2 on the windows it
 * forecast. "real" = pooled adex + tweets + taylor.
 * Times are CPU time per series (single thread): ours measured here, R's
 * per call inside R (elapsed, one call at a time per core). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "forecast.h"

#define HZ 48
#define M 24
#define MAXSER 512
#define MAXWIN 4096
#define NDS 5

static const char *ds_names[NDS] = {"adex", "tweets", "art", "taylor", "synth"};

typedef struct series {
    char name[96];
    int ds;
    double *y;
    size_t n;
} series;

typedef struct window {
    int ser, ds;
    const double *hist; /* points before the origin */
    size_t n;
    const double *test; /* HZ points */
    double scale;       /* in-sample seasonal naive MAE */
} window;

static series S[MAXSER];
static size_t nser;
static window W[MAXWIN];
static size_t nwin;

/* ---- input ------------------------------------------------------------- */

static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + (int64_t)doe - 719468;
}

/* Reads a NAB file "timestamp,value" and aggregates to clock hours:
 * agg 0 = mean, 1 = sum (scaled up for missing 5-minute points); an hour
 * with fewer than half of its expected points is a gap. */
static int load_nab(const char *path, int ds, int agg, size_t per_hour)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    int64_t *ts = NULL;
    double *v = NULL;
    size_t n = 0, cap = 0;
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        int Y, Mo, D, h, mi, s;
        double x;
        if (sscanf(line, "%d-%d-%d %d:%d:%d,%lf", &Y, &Mo, &D, &h, &mi, &s, &x) != 7)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 4096;
            ts = realloc(ts, cap * sizeof *ts);
            v = realloc(v, cap * sizeof *v);
        }
        ts[n] = days_from_civil(Y, (unsigned)Mo, (unsigned)D) * 86400 + h * 3600 + mi * 60 + s;
        v[n] = x;
        n++;
    }
    fclose(f);
    if (n < 10) {
        free(ts);
        free(v);
        return -1;
    }
    int64_t h0 = ts[0] / 3600, h1 = ts[n - 1] / 3600;
    size_t nh = (size_t)(h1 - h0 + 1);
    double *sum = calloc(nh, sizeof *sum), *cnt = calloc(nh, sizeof *cnt);
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)(ts[i] / 3600 - h0);
        sum[k] += v[i];
        cnt[k] += 1;
    }
    /* drop partial first/last hours */
    size_t a = 0, b = nh;
    while (a < b && cnt[a] < (double)per_hour)
        a++;
    while (b > a && cnt[b - 1] < (double)per_hour)
        b--;
    series *s = &S[nser];
    s->n = b - a;
    s->y = malloc((s->n ? s->n : 1) * sizeof *s->y);
    for (size_t k = a; k < b; k++) {
        double c = cnt[k];
        s->y[k - a] = 2 * c < (double)per_hour ? NAN : agg ? sum[k] / c * (double)per_hour : sum[k] / c;
    }
    const char *base = strrchr(path, '/');
    snprintf(s->name, sizeof s->name, "%.80s", base ? base + 1 : path);
    s->ds = ds;
    nser++;
    free(ts);
    free(v);
    free(sum);
    free(cnt);
    return 0;
}

static void load_dir(const char *dir, const char *sub, int ds, int agg, size_t per_hour)
{
    char cmd[1024], path[1024];
    snprintf(cmd, sizeof cmd, "ls %s/%s/*.csv 2>/dev/null", dir, sub);
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    while (fgets(path, sizeof path, p) && nser < MAXSER) {
        path[strcspn(path, "\n")] = 0;
        load_nab(path, ds, agg, per_hour);
    }
    pclose(p);
}

/* one value per line */
static int load_plain(const char *path, const char *name, int ds)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t cap = 1024, n = 0;
    double *y = malloc(cap * sizeof *y), x;
    while (fscanf(f, "%lf", &x) == 1) {
        if (n == cap)
            y = realloc(y, (cap *= 2) * sizeof *y);
        y[n++] = x;
    }
    fclose(f);
    series *s = &S[nser++];
    snprintf(s->name, sizeof s->name, "%s", name);
    s->ds = ds;
    s->y = y;
    s->n = n;
    return 0;
}

/* ---- synthetic hourly series --------------------------------------------- */

static uint64_t rs = 20240601;
static double unif(void)
{
    uint64_t z = (rs += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void) { return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif()); }

/* Hourly series of length n like load or traffic metrics: a daily shape
 * (harmonics or a business-hours plateau), optional weekend dip, a slow
 * random-walk level with a trend, sometimes a level shift, AR(1) noise,
 * rare spikes, multiplicative (positive) or additive. */
static void gen_synth(size_t count)
{
    for (size_t s = 0; s < count && nser < MAXSER; s++) {
        size_t n = (unif() < 0.5 ? 700 : 960) + 5 * HZ;
        series *se = &S[nser++];
        snprintf(se->name, sizeof se->name, "synth%03zu", s);
        se->ds = 4;
        se->n = n;
        se->y = malloc(n * sizeof *se->y);
        double base = 50 + 950 * unif(), amp = 0.1 + 0.6 * unif();
        double ph1 = 2 * M_PI * unif(), a2 = 0.4 * unif(), ph2 = 2 * M_PI * unif();
        int plateau = unif() < 0.3;
        double wk = unif() < 0.6 ? 0.3 + 0.6 * unif() : 1.0; /* weekend factor */
        double wkshape = unif() < 0.5;                          /* weekend also flattens the day */
        double slope = 0.004 * gauss() / 24;                    /* relative per hour */
        double rho = 0.3 + 0.65 * unif(), sig = 0.01 + 0.12 * unif(), rw = 0.002 * unif();
        int mult = unif() < 0.7;
        size_t shift_at = unif() < 0.15 ? (size_t)(n * (0.3 + 0.4 * unif())) : n;
        double shift = 0.3 * gauss();
        double e = 0, lvl = 0, ampdrift = 0;
        for (size_t i = 0; i < n; i++) {
            double hd = (double)(i % 24) / 24.0;
            size_t day = (i / 24) % 7;
            double d;
            if (plateau)
                d = (hd > 0.33 && hd < 0.75) ? 1 : -0.6 + 0.2 * sin(2 * M_PI * hd + ph1);
            else
                d = sin(2 * M_PI * hd + ph1) + a2 * sin(4 * M_PI * hd + ph2);
            int weekend = day >= 5;
            double a = amp * (1 + ampdrift) * (weekend && wkshape && wk < 1 ? 0.4 : 1);
            double season = 1 + a * d;
            if (weekend)
                season *= wk;
            e = rho * e + sig * sqrt(1 - rho * rho) * gauss();
            lvl += rw * gauss();
            ampdrift += 0.003 * gauss();
            double L = 1 + slope * (double)i + lvl + (i >= shift_at ? shift : 0);
            if (L < 0.2)
                L = 0.2;
            double v;
            if (mult)
                v = base * L * season * exp(e);
            else
                v = base * (L + 0.5 * (season - 1) + e);
            if (unif() < 0.005)
                v *= 1.5 + 1.5 * unif();
            se->y[i] = v;
        }
    }
}

/* ---- metrics --------------------------------------------------------------- */

static double snaive_scale(const double *y, size_t n)
{
    double s = 0;
    size_t c = 0;
    for (size_t i = M; i < n; i++)
        if (isfinite(y[i]) && isfinite(y[i - M])) {
            s += fabs(y[i] - y[i - M]);
            c++;
        }
    return c ? s / (double)c : NAN;
}

/* M4's Naive2 (the M4 benchmark code: SeasonalityTest + decompose(type =
 * "multiplicative") + naive), with gaps interpolated linearly first and
 * an additive decomposition when a value is not positive. */
static void naive2(const double *y0, size_t n, double *f, double *tmp)
{
    double *y = tmp, *tr = tmp + n;
    size_t a = 0;
    while (a < n && !isfinite(y0[a]))
        a++;
    for (size_t i = 0; i < n; i++)
        y[i] = y0[i];
    for (size_t i = 0; i < a; i++)
        y[i] = y0[a];
    for (size_t i = a + 1; i < n; i++)
        if (!isfinite(y[i])) {
            size_t j = i;
            while (j < n && !isfinite(y[j]))
                j++;
            for (size_t k = i; k < j; k++)
                y[k] = j < n ? y[i - 1] + (y[j] - y[i - 1]) * (double)(k - i + 1) / (double)(j - i + 1) : y[i - 1];
            i = j;
        }
    int seasonal = 0;
    if (n >= 3 * M) {
        double mu = 0, c0 = 0;
        for (size_t i = 0; i < n; i++)
            mu += y[i];
        mu /= (double)n;
        for (size_t i = 0; i < n; i++)
            c0 += (y[i] - mu) * (y[i] - mu);
        double acf[M + 1], cum = 1;
        for (size_t k = 1; k <= M; k++) {
            double c = 0;
            for (size_t i = 0; i + k < n; i++)
                c += (y[i] - mu) * (y[i + k] - mu);
            acf[k] = c0 > 0 ? c / c0 : 0;
        }
        for (size_t k = 1; k < M; k++)
            cum += 2 * acf[k] * acf[k];
        double lim = 1.645 / sqrt((double)n) * sqrt(cum);
        seasonal = fabs(acf[M]) > lim;
    }
    if (!seasonal) {
        for (size_t h = 0; h < HZ; h++)
            f[h] = y[n - 1];
        return;
    }
    int mult = 1;
    for (size_t i = 0; i < n; i++)
        if (!(y[i] > 0))
            mult = 0;
    for (size_t i = 0; i < n; i++)
        tr[i] = NAN;
    for (size_t i = M / 2; i + M / 2 < n; i++) {
        double s = 0.5 * (y[i - M / 2] + y[i + M / 2]);
        for (size_t k = i - M / 2 + 1; k < i + M / 2; k++)
            s += y[k];
        tr[i] = s / M;
    }
    double fig[M], cnt[M], mf = 0;
    for (size_t p = 0; p < M; p++)
        fig[p] = cnt[p] = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(tr[i])) {
            fig[i % M] += mult ? y[i] / tr[i] : y[i] - tr[i];
            cnt[i % M] += 1;
        }
    for (size_t p = 0; p < M; p++) {
        fig[p] = cnt[p] > 0 ? fig[p] / cnt[p] : (mult ? 1 : 0);
        mf += fig[p];
    }
    mf /= M;
    for (size_t p = 0; p < M; p++)
        fig[p] = mult ? fig[p] / mf : fig[p] - mf;
    double des = mult ? y[n - 1] / fig[(n - 1) % M] : y[n - 1] - fig[(n - 1) % M];
    for (size_t h = 0; h < HZ; h++)
        f[h] = mult ? des * fig[(n + h) % M] : des + fig[(n + h) % M];
}

typedef struct acc {
    double smape, mase, msis, cov80, cov95, secs, c95h[4], nh[4];
    double n2smape, n2mase; /* Naive2 on the same windows (OWA is paired) */
    size_t nw, npts, nint;
} acc;

static void score(acc *a, const window *w, const double *f, const double *lo80, const double *hi80,
                  const double *lo95, const double *hi95)
{
    double sm = 0, ma = 0, is = 0;
    size_t c = 0;
    for (size_t h = 0; h < HZ; h++) {
        double y = w->test[h];
        if (!isfinite(y))
            continue;
        double d = fabs(y) + fabs(f[h]);
        sm += d > 0 ? 200 * fabs(y - f[h]) / d : 0;
        ma += fabs(y - f[h]);
        if (lo80) {
            a->cov80 += y >= lo80[h] && y <= hi80[h];
            a->cov95 += y >= lo95[h] && y <= hi95[h];
            a->c95h[h / 12] += y >= lo95[h] && y <= hi95[h];
            a->nh[h / 12] += 1;
            is += hi95[h] - lo95[h] + 40 * (lo95[h] - y) * (y < lo95[h]) + 40 * (y - hi95[h]) * (y > hi95[h]);
            a->nint++;
        }
        c++;
    }
    if (!c)
        return;
    a->smape += sm / (double)c;
    a->mase += ma / (double)c / w->scale;
    a->msis += is / (double)c / w->scale;
    a->nw++;
    a->npts += c;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); /* CPU time: robust to a busy machine */
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- methods ---------------------------------------------------------------- */

#define MAXMETH (HR_FC_NMODELS + 8)
typedef struct method {
    char name[40];
    int kind; /* 0 ours (model id), 1 naive2, 2 R (index) */
    int id;
    acc a[NDS + 1];
    int have;
    size_t nran; /* windows forecast */
    double *fc; /* per window: mean, lo80, hi80, lo95, hi95 (5 * HZ) */
} method;

static method MT[MAXMETH];
static int nmeth;

static int run_ours(method *me, hr_fc_ws *ws, int model, double *tmp)
{
    static const double lv[2] = {80, 95};
    hr_fc_opts o = {{M, 0}, 1, HZ, lv, 2, model, HR_FC_SCALE_AUTO, 0};
    double t0 = now();
    for (size_t i = 0; i < nwin; i++) {
        double *f = me->fc + i * 5 * HZ, lo[2 * HZ], hi[2 * HZ];
        if (hr_fc_forecast(W[i].hist, W[i].n, &o, ws, f, lo, hi, NULL) != 0)
            return -1;
        memcpy(f + HZ, lo, HZ * sizeof *f);
        memcpy(f + 2 * HZ, hi, HZ * sizeof *f);
        memcpy(f + 3 * HZ, lo + HZ, HZ * sizeof *f);
        memcpy(f + 4 * HZ, hi + HZ, HZ * sizeof *f);
    }
    me->a[NDS].secs = now() - t0;
    (void)tmp;
    return 0;
}

/* ---- R peer ------------------------------------------------------------------ */

static int file_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int eq = fa && fb;
    while (eq) {
        int ca = fgetc(fa), cb = fgetc(fb);
        if (ca != cb)
            eq = 0;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return eq;
}

static const char *r_methods[3] = {"R stlf", "R mstl+stlf", "R ets (not synth)"};

/* Writes the windows, runs the R peer unless its cached output matches,
 * reads R's forecasts into MT (kind 2). Returns 0 when R ran or was
 * cached. */
static int run_r(double *r_secs)
{
    const char *win = "bench/out/forecast_windows.csv", *tmpw = "bench/out/forecast_windows.tmp",
               *out = "bench/out/forecast_r.csv";
    mkdir("bench/out", 0777);
    FILE *f = fopen(tmpw, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < nwin; i++) {
        fprintf(f, "%zu %d", i, W[i].ds != 4); /* ets on the real series only */
        for (size_t k = 0; k < W[i].n; k++) {
            if (isfinite(W[i].hist[k]))
                fprintf(f, " %.10g", W[i].hist[k]);
            else
                fputs(" NA", f);
        }
        fputc('\n', f);
    }
    fclose(f);
    struct stat st;
    if (!(file_equal(win, tmpw) && stat(out, &st) == 0)) {
        rename(tmpw, win);
        if (system("command -v Rscript >/dev/null 2>&1") != 0)
            return -1;
        fprintf(stderr, "bench: running R's forecast package on %zu windows (cached afterwards)...\n", nwin);
        char cmd[512];
        snprintf(cmd, sizeof cmd, "Rscript bench/forecast_peer.R forecast %s %s.tmp >&2 && mv %s.tmp %s", win, out,
                 out, out);
        if (system(cmd) != 0)
            return -1;
    } else
        remove(tmpw);
    f = fopen(out, "r");
    if (!f)
        return -1;
    int base = nmeth;
    for (int r = 0; r < 3; r++) {
        method *me = &MT[nmeth++];
        snprintf(me->name, sizeof me->name, "%s", r_methods[r]);
        me->kind = 2;
        me->id = r;
        me->fc = malloc(nwin * 5 * HZ * sizeof *me->fc);
        for (size_t i = 0; i < nwin * 5 * HZ; i++)
            me->fc[i] = NAN;
    }
    char line[512];
    for (int r = 0; r < 3; r++)
        r_secs[r] = 0;
    while (fgets(line, sizeof line, f)) {
        size_t id, h;
        int r;
        double v[5], secs;
        if (sscanf(line, "%zu,%d,%zu,%lf,%lf,%lf,%lf,%lf,%lf", &id, &r, &h, &v[0], &v[1], &v[2], &v[3], &v[4],
                   &secs) != 9)
            continue;
        if (id >= nwin || r < 0 || r > 2 || h < 1 || h > HZ)
            continue;
        for (int k = 0; k < 5; k++)
            MT[base + r].fc[id * 5 * HZ + (size_t)k * HZ + h - 1] = v[k];
        if (h == 1)
            r_secs[r] += secs;
    }
    fclose(f);
    for (int r = 0; r < 3; r++)
        MT[base + r].a[NDS].secs = r_secs[r];
    return 0;
}

/* ---- main -------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    const char *nab = "/work/shared/datasets/nab-dev/data";
    int use_r = 1, detail = 0;
    size_t hist = 960, K = 5, nsynth = 120;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-r"))
            use_r = 0;
        else if (!strcmp(argv[i], "--detail"))
            detail = 1;
        else if (!strcmp(argv[i], "--hist") && i + 1 < argc)
            hist = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--windows") && i + 1 < argc)
            K = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--synth") && i + 1 < argc)
            nsynth = (size_t)atol(argv[++i]);
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [--no-r] [--detail] [--hist N] [--windows K] [--synth N] [NABDIR]\n",
                    argv[0]);
            return 64;
        } else
            nab = argv[i];
    }
    load_dir(nab, "realAdExchange", 0, 0, 1);
    load_dir(nab, "realTweets", 1, 1, 12);
    load_dir(nab, "artificialNoAnomaly", 2, 0, 12);
    load_dir(nab, "artificialWithAnomaly", 2, 0, 12);
    {   /* taylor ships with R's forecast package: exported once, then cached */
        struct stat st;
        mkdir("bench/out", 0777);
        if (stat("bench/out/taylor_hourly.txt", &st) != 0 && use_r &&
            system("command -v Rscript >/dev/null 2>&1") == 0 &&
            system("Rscript bench/forecast_peer.R taylor bench/out/taylor_hourly.txt >&2") != 0)
            fprintf(stderr, "bench: could not export taylor from R\n");
        if (load_plain("bench/out/taylor_hourly.txt", "taylor", 3) != 0)
            fprintf(stderr, "bench: no taylor series (needs R's forecast package once)\n");
    }
    gen_synth(nsynth);
    /* windows */
    size_t skipped = 0;
    for (size_t s = 0; s < nser; s++) {
        size_t kk = S[s].ds == 3 ? 4 * K : K; /* taylor: one long series, more windows */
        for (size_t k = kk; k >= 1; k--) {
            if (S[s].n < k * HZ + 4 * M)
                continue;
            size_t org = S[s].n - k * HZ, a = org > hist ? org - hist : 0;
            window *w = &W[nwin];
            w->ser = (int)s;
            w->ds = S[s].ds;
            w->hist = S[s].y + a;
            w->n = org - a;
            w->test = S[s].y + org;
            w->scale = snaive_scale(w->hist, w->n);
            if (!(w->scale > 0)) {
                skipped++;
                continue;
            }
            if (++nwin == MAXWIN)
                break;
        }
    }
    /* methods */
    hr_fc_ws *ws = hr_fc_ws_alloc(hist + 8, HZ, M);
    double *tmp = malloc(2 * (hist + 8) * sizeof *tmp);
    method *me = &MT[nmeth++];
    snprintf(me->name, sizeof me->name, "headroom (auto)");
    me->kind = 0;
    me->id = HR_FC_AUTO;
    me = &MT[nmeth++];
    snprintf(me->name, sizeof me->name, "Naive2");
    me->kind = 1;
    for (int c = 1; c < HR_FC_NMODELS; c++) {
        me = &MT[nmeth++];
        snprintf(me->name, sizeof me->name, "  %s", hr_fc_model_name(c));
        me->kind = 0;
        me->id = c;
    }
    int n_ours = nmeth;
    for (int i = 0; i < n_ours; i++) {
        me = &MT[i];
        me->fc = malloc(nwin * 5 * HZ * sizeof *me->fc);
        if (me->kind == 0) {
            if (!detail && me->id > HR_FC_SNAIVE2 && i > 2 && 0)
                continue;
            run_ours(me, ws, me->id, tmp);
        } else {
            double t0 = now();
            for (size_t w = 0; w < nwin; w++) {
                naive2(W[w].hist, W[w].n, me->fc + w * 5 * HZ, tmp);
                for (size_t h = HZ; h < 5 * HZ; h++)
                    me->fc[w * 5 * HZ + h] = NAN;
            }
            me->a[NDS].secs = now() - t0;
        }
    }
    double r_secs[3] = {0, 0, 0};
    int have_r = use_r && run_r(r_secs) == 0;
    if (use_r && !have_r)
        fprintf(stderr, "bench: R peer unavailable (Rscript or library(forecast) missing): skipped\n");
    /* score */
    size_t nw_ds[NDS + 1] = {0};
    for (size_t w = 0; w < nwin; w++) {
        nw_ds[W[w].ds]++;
        nw_ds[NDS]++;
    }
    /* Naive2 first: every method's OWA is relative to Naive2 on the
     * windows that method forecast (R may skip or fail some) */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < nmeth; i++) {
            me = &MT[i];
            if ((i == 1) != (pass == 0))
                continue;
            double secs = me->a[NDS].secs;
            for (int d = 0; d <= NDS; d++)
                memset(&me->a[d], 0, sizeof me->a[d]);
            me->a[NDS].secs = secs;
            me->nran = 0;
            for (size_t w = 0; w < nwin; w++) {
                const double *f = me->fc + w * 5 * HZ;
                if (!isfinite(f[0]))
                    continue;
                me->nran++;
                int iv = isfinite(f[HZ]);
                acc one;
                memset(&one, 0, sizeof one);
                score(&one, &W[w], MT[1].fc + w * 5 * HZ, NULL, NULL, NULL, NULL);
                for (int q = 0; q < 2; q++) {
                    int d = q ? NDS : W[w].ds;
                    score(&me->a[d], &W[w], f, iv ? f + HZ : NULL, f + 2 * HZ, f + 3 * HZ, f + 4 * HZ);
                    me->a[d].n2smape += one.smape;
                    me->a[d].n2mase += one.mase;
                }
            }
            me->have = me->nran > 0;
        }
    printf("forecast bench: horizon %d, m = %d, the last %zu windows of each series (taylor %zu), history <= %zu points\n",
           HZ, M, K, 4 * K, hist);
    printf("windows:");
    for (int d = 0; d < NDS; d++)
        printf(" %s %zu", ds_names[d], nw_ds[d]);
    printf(" (all %zu; %zu with a zero MASE scale skipped)\n", nw_ds[NDS], skipped);
    printf("%-20s", "method");
    for (int d = 0; d < NDS; d++)
        printf(" %7s", ds_names[d]);
    printf(" | %7s %6s %6s %6s %5s %5s %6s %8s\n", "sMAPE", "MASE", "OWA", "real", "cov80", "cov95", "MSIS",
           "ms/ser");
    for (int i = 0; i < nmeth; i++) {
        me = &MT[i];
        if (!me->have)
            continue;
        printf("%-20s", me->name);
        for (int d = 0; d < NDS; d++) {
            const acc *a = &me->a[d];
            if (!a->nw)
                printf(" %7s", "-");
            else
                printf(" %7.3f", 0.5 * (a->smape / a->n2smape + a->mase / a->n2mase));
        }
        const acc *a = &me->a[NDS];
        /* "real": OWA over the real datasets (adex, tweets, taylor), pooled */
        double rs_ = 0, rm = 0, ns = 0, nm2 = 0, nn = 0;
        int real[NDS] = {1, 1, 0, 1, 0};
        for (int d = 0; d < NDS; d++)
            if (real[d]) {
                rs_ += me->a[d].smape;
                rm += me->a[d].mase;
                ns += me->a[d].n2smape;
                nm2 += me->a[d].n2mase;
                nn += (double)me->a[d].nw;
            }
        printf(" | %7.3f %6.3f %6.3f %6.3f", a->smape / (double)a->nw, a->mase / (double)a->nw,
               0.5 * (a->smape / a->n2smape + a->mase / a->n2mase), nn > 0 ? 0.5 * (rs_ / ns + rm / nm2) : NAN);
        if (a->nint)
            printf(" %5.3f %5.3f %6.2f", a->cov80 / (double)a->nint, a->cov95 / (double)a->nint,
                   a->msis / (double)a->nw);
        else
            printf(" %5s %5s %6s", "-", "-", "-");
        printf(" %8.4f\n", 1e3 * a->secs / (double)me->nran);
    }
    printf("\ncoverage of the 80%% / 95%% intervals per dataset:\n%-20s", "method");
    for (int d = 0; d < NDS; d++)
        printf(" %13s", ds_names[d]);
    printf("\n");
    for (int i = 0; i < nmeth; i++) {
        me = &MT[i];
        if (!me->have || !me->a[NDS].nint || (!detail && me->kind == 0 && me->id > HR_FC_SNAIVE2))
            continue;
        printf("%-20s", me->name);
        for (int d = 0; d < NDS; d++) {
            const acc *a = &me->a[d];
            if (!a->nint)
                printf(" %13s", "-");
            else
                printf("   %5.3f/%5.3f", a->cov80 / (double)a->nint, a->cov95 / (double)a->nint);
        }
        printf("\n");
    }
    if (detail)
        for (int i = 0; i < nmeth; i++) {
            me = &MT[i];
            if (!me->have || !me->a[NDS].nint || (me->kind == 0 && me->id > HR_FC_SNAIVE2))
                continue;
            printf("%-20s 95%% coverage by h in 1-12, 13-24, 25-36, 37-48 (all data):", me->name);
            for (int q = 0; q < 4; q++)
                printf(" %5.3f", me->a[NDS].c95h[q] / me->a[NDS].nh[q]);
            printf("\n");
        }
    if (have_r) {
        double ours = MT[0].a[NDS].secs / (double)MT[0].nran;
        printf("\nspeed (CPU time per series, single thread): headroom %.3f ms", 1e3 * ours);
        for (int r = 0; r < 3; r++) {
            const method *mr = &MT[nmeth - 3 + r];
            if (mr->nran)
                printf("; %s %.1f ms (%.0fx)", mr->name, 1e3 * r_secs[r] / (double)mr->nran,
                       r_secs[r] / (double)mr->nran / ours);
        }
        printf("\n");
    }

    for (int i = 0; i < nmeth; i++)
        free(MT[i].fc);
    for (size_t s = 0; s < nser; s++)
        free(S[s].y);
    free(tmp);
    hr_fc_ws_free(ws);
    return 0;
}
