/* test_store.c -- HDF5 round trip, byte-identical rewrites, corrupt files,
 * the lock, and the direct chunk write read back by HDF5's filter path. */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "check.h"
#include "store.h"

static char dir[64], path[128];

static long fsize(const char *p, unsigned long *sum)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return -1;
    long n = 0;
    int c;
    *sum = 5381;
    while ((c = fgetc(f)) != EOF) {
        *sum = *sum * 33 + (unsigned)c;
        n++;
    }
    fclose(f);
    return n;
}

/* 1 when the store at p reads back as set: keys, kinds, grids and every
 * value bit for bit (NaN payloads, -0, infinities). */
static int reads_back(const char *p, const hr_seriesset *set, hr_err *err)
{
    hr_seriesset back = {0};
    int ok = hr_store_load(p, &back, err) == HR_OK && back.n == set->n;
    for (size_t i = 0; ok && i < set->n; i++) {
        ok = back.s[i].n == set->s[i].n && strcmp(back.s[i].key, set->s[i].key) == 0 &&
             back.s[i].kind == set->s[i].kind && back.s[i].t0_ms == set->s[i].t0_ms &&
             back.s[i].step_ms == set->s[i].step_ms;
        for (size_t j = 0; ok && j < back.s[i].n; j++)
            ok = memcmp(&back.s[i].v[j], &set->s[i].v[j], sizeof(double)) == 0;
    }
    hr_seriesset_clear(&back);
    return ok;
}

/* hr_store_write (chunks deflated here by libdeflate, in parallel, written
 * directly) on the set made by fill(): the same bytes at 1 and 3 threads,
 * and a store that HDF5's own pipeline (zlib) reads back exactly, as it
 * does the store of hr_store_write_filtered. Returns 1 when all hold. */
static int same_store(const hr_seriesset *set, hr_err *err)
{
    char a[160], a3[160], b[160];
    snprintf(a, sizeof a, "%s/direct.h5", dir);
    snprintf(a3, sizeof a3, "%s/direct3.h5", dir);
    snprintf(b, sizeof b, "%s/filtered.h5", dir);
    int th = omp_get_max_threads();
    omp_set_num_threads(1);
    int rc = hr_store_write(a, set, err);
    omp_set_num_threads(3);
    rc |= hr_store_write(a3, set, err);
    omp_set_num_threads(th);
    if (rc != HR_OK || hr_store_write_filtered(b, set, err) != HR_OK)
        return 0;
    unsigned long sa = 0, s3 = 1;
    long na = fsize(a, &sa), n3 = fsize(a3, &s3);
    return na > 0 && na == n3 && sa == s3 && reads_back(a, set, err) && reads_back(b, set, err);
}

/* nser series of lengths from len(i), values random (a fixed LCG), with
 * NaN gaps, negative zeros and infinities, or smooth when smooth. */
static void fill(hr_seriesset *set, size_t nser, size_t (*len)(size_t), int smooth)
{
    uint64_t r = 88172645463325252ULL;
    for (size_t i = 0; i < nser; i++) {
        char key[64];
        snprintf(key, sizeof key, "m{host=\"h%05zu\"}", i);
        long k = hr_seriesset_add(set, key, HR_GAUGE);
        hr_series *s = &set->s[k];
        s->t0_ms = 1717200000000LL;
        s->step_ms = 300000;
        s->n = len(i);
        s->v = malloc((s->n ? s->n : 1) * sizeof *s->v);
        for (size_t j = 0; j < s->n; j++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = (double)(r >> 11) / 9007199254740992.0;
            s->v[j] = smooth ? 40 + 10 * sin((double)j / 50) : u * 1e6 - 3e5;
            if (r % 53 == 0)
                s->v[j] = NAN;
            else if (r % 211 == 0)
                s->v[j] = -0.0;
            else if (r % 1009 == 0)
                s->v[j] = INFINITY;
        }
    }
}

static size_t len_short(size_t i) { return 1000 + i; }
static size_t len_month(size_t i) { return 8640 - (i % 7) * 3; }
static size_t len_edge(size_t i) { return 2 * 65536 + 1 + i; }
static size_t len_long(size_t i) { return i == 1 ? 0 : 200003 + i * 65536; }

/* The direct chunk write read by HDF5's filter path: one series shorter
 * than a chunk (written by the filter path: see store.c), many series
 * across chunk edges, series longer than several chunks with an empty
 * one between, one series of one value past two chunks (the smallest
 * store that takes the direct path), random and smooth data. */
static void test_direct(void)
{
    hr_err err = {0};
    struct {
        size_t nser;
        size_t (*len)(size_t);
        int smooth;
    } cases[] = {{1, len_short, 0}, {1, len_short, 1}, {700, len_month, 0}, {300, len_month, 1},
                 {4, len_long, 0}, {3, len_long, 1}, {1, len_edge, 0}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        hr_seriesset set = {0};
        fill(&set, cases[c].nser, cases[c].len, cases[c].smooth);
        CHECK(same_store(&set, &err));
        hr_seriesset_clear(&set);
    }
}

/* A store whose first /values chunk is damaged inside its deflate stream
 * (the file's structure intact): the series in that chunk fail to read
 * with HR_EIO, named, and nothing crashes (the reader inflates chunks
 * itself, store.c read_chunk); a series in an intact chunk still reads. */
static void test_damaged_chunk(void)
{
    hr_err err = {0};
    hr_seriesset set = {0};
    fill(&set, 40, len_month, 0);
    char p[160];
    snprintf(p, sizeof p, "%s/damaged.h5", dir);
    CHECK_EQ_INT(hr_store_write(p, &set, &err), HR_OK);
    haddr_t addr = 0;
    hsize_t size = 0;
    hid_t f = H5Fopen(p, H5F_ACC_RDONLY, H5P_DEFAULT), ds = f < 0 ? -1 : H5Dopen2(f, "/values", H5P_DEFAULT);
    hsize_t off = 0;
    unsigned mask = 0;
    CHECK(ds >= 0 && H5Dget_chunk_info_by_coord(ds, &off, &mask, &addr, &size) >= 0 && size > 64);
    if (ds >= 0)
        H5Dclose(ds);
    if (f >= 0)
        H5Fclose(f);
    FILE *fp = fopen(p, "r+b");
    CHECK(fp != NULL);
    if (fp && size > 64) {
        unsigned char junk[32];
        memset(junk, 0xA5, sizeof junk);
        CHECK(fseek(fp, (long)(addr + size / 2), SEEK_SET) == 0 && fwrite(junk, 1, sizeof junk, fp) == sizeof junk);
    }
    if (fp)
        fclose(fp);
    hr_seriesset back = {0};
    hr_store_rd *rd = NULL;
    CHECK_EQ_INT(hr_store_open(p, &back, &rd, &err), HR_OK);
    if (rd) {
        CHECK_EQ_INT(hr_store_read_values(rd, &back, 0, &err), HR_EIO);
        CHECK_CONTAINS(err.msg, "cannot read the values of series m{host=\"h00000\"}");
        /* series 39 starts past 39 * 8,619 values: the sixth chunk */
        CHECK_EQ_INT(hr_store_read_values(rd, &back, 39, &err), HR_OK);
        CHECK(back.s[39].v && memcmp(back.s[39].v, set.s[39].v, set.s[39].n * sizeof(double)) == 0);
        hr_store_close(rd);
    }
    hr_seriesset_clear(&back);
    hr_seriesset_clear(&set);
}

int main(void)
{
    strcpy(dir, "/tmp/hr_test_store_XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/fleet.h5", dir);
    hr_err err = {0};

    /* a store that does not exist yet */
    hr_seriesset in = {0}, out = {0};
    CHECK_EQ_INT(hr_store_load(path, &out, &err), HR_ENOINPUT);

    /* an empty store round-trips */
    CHECK_EQ_INT(hr_store_write(path, &in, &err), HR_OK);
    CHECK_EQ_INT(hr_store_load(path, &out, &err), HR_OK);
    CHECK_EQ_INT(out.n, 0);

    /* three series: gauge with gaps, counter, single point; odd keys */
    const char *keys[] = {"cpu{host=\"web,1\",zone=\"eu\"}", "http_requests_total{job=\"api\"}",
                          "caf\xc3\xa9.latency"};
    for (int i = 0; i < 3; i++) {
        long k = hr_seriesset_add(&in, keys[i], i == 1 ? HR_COUNTER : HR_GAUGE);
        hr_series *s = &in.s[k];
        s->t0_ms = 1717200000000LL + i * 1000;
        s->step_ms = i == 2 ? 0 : 60000;
        s->n = i == 2 ? 1 : 100000 + (size_t)i * 7;
        s->v = malloc(s->n * sizeof *s->v);
        for (size_t j = 0; j < s->n; j++)
            s->v[j] = j % 97 == 3 ? NAN : 0.001 * (double)j * (i + 1) + sin((double)j);
    }
    CHECK_EQ_INT(hr_store_write(path, &in, &err), HR_OK);
    CHECK(access(path, F_OK) == 0);
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK(access(tmp, F_OK) != 0); /* no temporary left behind */
    CHECK_EQ_INT(hr_store_load(path, &out, &err), HR_OK);
    CHECK_EQ_INT(out.n, 3);
    int same = out.n == 3;
    for (size_t i = 0; same && i < 3; i++) {
        hr_series *a = &in.s[i], *b = &out.s[i];
        same = strcmp(a->key, b->key) == 0 && a->kind == b->kind && a->t0_ms == b->t0_ms &&
               a->step_ms == b->step_ms && a->n == b->n;
        for (size_t j = 0; same && j < a->n; j++)
            same = (isnan(a->v[j]) && isnan(b->v[j])) || a->v[j] == b->v[j];
    }
    CHECK(same);
    hr_seriesset_clear(&out);

    /* writing the same data again gives the same bytes (no timestamps) */
    unsigned long s1, s2;
    long n1 = fsize(path, &s1);
    CHECK_EQ_INT(hr_store_write(path, &in, &err), HR_OK);
    long n2 = fsize(path, &s2);
    CHECK_EQ_INT(n1, n2);
    CHECK(s1 == s2);
    /* compression works on smooth data */
    CHECK(n1 < (long)(200000 * sizeof(double)));

    /* not HDF5 at all */
    char junk[160];
    snprintf(junk, sizeof junk, "%s/junk.h5", dir);
    FILE *f = fopen(junk, "wb");
    fputs("this is not a store\n", f);
    fclose(f);
    CHECK_EQ_INT(hr_store_load(junk, &out, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "junk.h5: not a valid headroom store: not an HDF5 file");

    /* a truncated store */
    snprintf(junk, sizeof junk, "%s/trunc.h5", dir);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "head -c %ld %s > %s", n1 / 2, path, junk);
    CHECK(system(cmd) == 0);
    int rc = hr_store_load(junk, &out, &err);
    CHECK(rc == HR_EINPUT || rc == HR_EIO);
    CHECK_EQ_INT(out.n, 0);

    /* the lock: a second holder is refused at once with 75 */
    int fd1 = -1, fd2 = -1;
    CHECK_EQ_INT(hr_store_lock(path, &fd1, &err), HR_OK);
    CHECK_EQ_INT(hr_store_lock(path, &fd2, &err), HR_ELOCKED);
    CHECK_CONTAINS(err.msg, "another headroom run holds the lock");
    hr_store_unlock(fd1);
    CHECK_EQ_INT(hr_store_lock(path, &fd2, &err), HR_OK);
    hr_store_unlock(fd2);

    /* cannot create: the directory is a regular file */
    snprintf(junk, sizeof junk, "%s/junk.h5/x.h5", dir);
    CHECK_EQ_INT(hr_store_write(junk, &in, &err), HR_ECANTCREAT);
    CHECK_EQ_INT(hr_store_lock(junk, &fd1, &err), HR_ECANTCREAT);

    test_direct();
    test_damaged_chunk();

    hr_seriesset_clear(&in);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_summary("store");
}
