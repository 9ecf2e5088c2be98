/* store.c -- see store.h. */

#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <libdeflate.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "strmap.h"

typedef struct rec {
    uint64_t key_off;
    uint32_t key_len;
    int32_t kind;
    int64_t t0_ms;
    int64_t step_ms;
    uint64_t n;
    uint64_t val_off;
} rec;

/* The memory type of a rec, or -1 when HDF5 fails to build it (out of
 * memory): a type missing a member would write an index that cannot be
 * read back (found by make faults: a failed realloc in H5Tinsert, and
 * the store written with exit 0). */
static hid_t rec_type(void)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(rec));
    if (t < 0)
        return -1;
    if (H5Tinsert(t, "key_off", HOFFSET(rec, key_off), H5T_NATIVE_UINT64) < 0 ||
        H5Tinsert(t, "key_len", HOFFSET(rec, key_len), H5T_NATIVE_UINT32) < 0 ||
        H5Tinsert(t, "kind", HOFFSET(rec, kind), H5T_NATIVE_INT32) < 0 ||
        H5Tinsert(t, "t0_ms", HOFFSET(rec, t0_ms), H5T_NATIVE_INT64) < 0 ||
        H5Tinsert(t, "step_ms", HOFFSET(rec, step_ms), H5T_NATIVE_INT64) < 0 ||
        H5Tinsert(t, "n", HOFFSET(rec, n), H5T_NATIVE_UINT64) < 0 ||
        H5Tinsert(t, "val_off", HOFFSET(rec, val_off), H5T_NATIVE_UINT64) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* ---- lock -------------------------------------------------------------- */

int hr_store_lock(const char *path, int *fd, hr_err *err)
{
    char lp[4096];
    if (snprintf(lp, sizeof lp, "%s.lock", path) >= (int)sizeof lp)
        return hr_err_set(err, HR_ECANTCREAT, "%s: path too long", path);
    int f = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (f < 0)
        return hr_err_set(err, HR_ECANTCREAT, "%s: cannot create lock file: %s", lp, strerror(errno));
    if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(f);
        if (e == EWOULDBLOCK)
            return hr_err_set(err, HR_ELOCKED, "%s: another headroom run holds the lock", lp);
        return hr_err_set(err, HR_EIO, "%s: cannot lock: %s", lp, strerror(e));
    }
    /* holding the lock, nobody writes the store: a STORE.h5.tmp is what a
     * killed writer left (it can be as big as the store); remove it */
    char tp[4096];
    if (snprintf(tp, sizeof tp, "%s.tmp", path) < (int)sizeof tp)
        unlink(tp);
    *fd = f;
    return HR_OK;
}

void hr_store_unlock(int fd)
{
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
    }
}

/* ---- load -------------------------------------------------------------- */

int hr_store_is_store(const char *path)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    return H5Fis_hdf5(path) > 0;
}

/* H5Ewalk2 callback: sets *ud when an entry is an allocation failure. */
static herr_t walk_oom(unsigned n, const H5E_error2_t *e, void *ud)
{
    (void)n;
    if (e->min_num == H5E_NOSPACE || e->min_num == H5E_CANTALLOC)
        *(int *)ud = 1;
    return 0;
}

/* A store HDF5 did not open or read: damaged (65), unless the error
 * stack of the call that just failed says HDF5 ran out of memory, which
 * must not send someone to restore a good store. */
static int hdf5_oom(void)
{
    int oom = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, walk_oom, &oom);
    return oom;
}

static int corrupt(hr_err *err, const char *path, const char *what)
{
    if (hdf5_oom())
        return hr_err_set(err, HR_ESOFTWARE, "%s: out of memory in HDF5 reading the store", path);
    return hr_err_set(err, HR_EINPUT, "%s: not a valid headroom store: %s", path, what);
}

/* The extent of a dataset (ds, or its space sp when ds is -1) as a
 * store has it: rank 1 (a damaged rank would have H5Sget_simple_extent_dims
 * write past *n), and no more elements of elem bytes than deflate, which
 * compresses at most 1032:1, could have stored in the whole file, plus a
 * chunk's slack. A damaged extent could otherwise claim 2^63 elements,
 * and sizes computed from it overflow before any read fails. */
static int extent_ok(hid_t ds, hid_t sp, size_t elem, uint64_t file_bytes, hsize_t *n)
{
    hid_t own = ds >= 0 ? H5Dget_space(ds) : -1;
    if (ds >= 0)
        sp = own;
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1 && H5Sget_simple_extent_dims(sp, n, NULL) == 1 &&
             file_bytes <= (UINT64_MAX >> 11) && *n <= (1032 * file_bytes + (UINT64_C(1) << 20)) / elem;
    if (own >= 0)
        H5Sclose(own);
    return ok;
}

/* The /values chunk: 65,536 doubles = 512 KiB, large enough that deflate
 * sees long runs and the chunk index stays small (a 10,000-series fleet
 * of a month at 5 minutes is 1,300 chunks), small enough that a reader
 * of one series decompresses little it does not need. Changing it
 * changes the store's bytes. */
#define VAL_CHUNK ((size_t)65536)

struct hr_store_rd {
    char *path;
    hid_t f, ds_vals, sp, dapl;
    uint64_t *val_off; /* [set->n] each series' first value in /values */
    uint64_t nvals;    /* /values' extent */
    /* direct chunk reads (read_chunk): the decompressor, the compressed
     * chunk (zcap bytes), the shuffled bytes, the last chunk decoded
     * (number cached, -1 for none); dec is NULL when /values does not
     * have the store's pipeline and H5Dread decodes instead */
    struct libdeflate_decompressor *dec;
    unsigned char *zbuf, *shuf;
    size_t zcap;
    double *chunk;
    int64_t cached;
};

void hr_store_close(hr_store_rd *rd)
{
    if (!rd)
        return;
    if (rd->sp >= 0)
        H5Sclose(rd->sp);
    if (rd->dapl >= 0)
        H5Pclose(rd->dapl);
    if (rd->ds_vals >= 0)
        H5Dclose(rd->ds_vals);
    if (rd->f >= 0)
        H5Fclose(rd->f);
    if (rd->dec)
        libdeflate_free_decompressor(rd->dec);
    free(rd->zbuf);
    free(rd->shuf);
    free(rd->chunk);
    free(rd->val_off);
    free(rd->path);
    free(rd);
}

/* Whether /values has the pipeline a store is written with (write_file):
 * chunks of VAL_CHUNK, shuffle, then deflate, and no other filter; then
 * the reader decodes chunks itself (read_chunk) and, when it can allocate
 * what that needs, sets rd->dec. Else (or out of memory) H5Dread decodes,
 * as before: slower, the same values. */
static void direct_setup(hr_store_rd *rd)
{
    hid_t dcpl = H5Dget_create_plist(rd->ds_vals);
    if (dcpl < 0)
        return;
    hsize_t dim = 0;
    int ok = H5Pget_layout(dcpl) == H5D_CHUNKED && H5Pget_chunk(dcpl, 1, &dim) == 1 && dim == VAL_CHUNK &&
             H5Pget_nfilters(dcpl) == 2;
    for (unsigned k = 0; ok && k < 2; k++) {
        unsigned flags = 0, cd[8];
        size_t ncd = 8;
        H5Z_filter_t f = H5Pget_filter2(dcpl, k, &flags, &ncd, cd, 0, NULL, NULL);
        ok = f == (k == 0 ? H5Z_FILTER_SHUFFLE : H5Z_FILTER_DEFLATE);
    }
    H5Pclose(dcpl);
    if (!ok)
        return;
    rd->shuf = malloc(VAL_CHUNK * sizeof(double));
    rd->chunk = malloc(VAL_CHUNK * sizeof(double));
    rd->dec = libdeflate_alloc_decompressor();
    rd->cached = -1;
    if (!rd->shuf || !rd->chunk || !rd->dec) {
        if (rd->dec)
            libdeflate_free_decompressor(rd->dec);
        rd->dec = NULL;
    }
}

/* Decodes /values chunk c into rd->chunk as HDF5's pipeline would read
 * it: the stored bytes (H5Dread_chunk), inflated from the zlib format by
 * libdeflate (zlib's inflate was 7% of a store-only run's CPU; libdeflate
 * about three times faster), then unshuffled (H5Zshuffle.c, 8-byte
 * elements). Returns 0, or -1 when the chunk cannot be read or
 * is damaged (it must inflate to exactly a chunk's bytes), -2 out of
 * memory, or 1 when the chunk skipped a filter (H5Dread must decode it). */
static int read_chunk(hr_store_rd *rd, uint64_t c)
{
    const size_t raw = VAL_CHUNK * sizeof(double);
    hsize_t off = (hsize_t)(c * VAL_CHUNK), nbytes = 0;
    if (H5Dget_chunk_storage_size(rd->ds_vals, &off, &nbytes) < 0)
        return -1;
    if (nbytes == 0)
        return 1; /* not written (a store writes every chunk): H5Dread's business */
    if (nbytes > rd->zcap) {
        unsigned char *z = realloc(rd->zbuf, (size_t)nbytes);
        if (!z)
            return -2;
        rd->zbuf = z;
        rd->zcap = (size_t)nbytes;
    }
    uint32_t mask = 0;
    if (H5Dread_chunk(rd->ds_vals, H5P_DEFAULT, &off, &mask, rd->zbuf) < 0)
        return -1;
    if (mask)
        return 1;
    size_t got = 0;
    if (libdeflate_zlib_decompress(rd->dec, rd->zbuf, (size_t)nbytes, rd->shuf, raw, &got) != LIBDEFLATE_SUCCESS ||
        got != raw)
        return -1;
    unsigned char *out = (unsigned char *)rd->chunk;
    for (size_t j = 0; j < 8; j++) {
        const unsigned char *in = rd->shuf + j * VAL_CHUNK;
        for (size_t i = 0; i < VAL_CHUNK; i++)
            out[i * 8 + j] = in[i];
    }
    rd->cached = (int64_t)c;
    return 0;
}

/* The values [start, start + n) of /values into v by chunks (read_chunk);
 * 0, -1 (unreadable or damaged), -2 (out of memory) or 1 (H5Dread must
 * decode). */
static int read_direct(hr_store_rd *rd, uint64_t start, uint64_t n, double *v)
{
    if (start > rd->nvals || n > rd->nvals - start)
        return -1;
    for (uint64_t at = start; at < start + n;) {
        uint64_t c = at / VAL_CHUNK, lo = c * VAL_CHUNK, hi = lo + VAL_CHUNK < start + n ? lo + VAL_CHUNK : start + n;
        if (rd->cached != (int64_t)c) {
            int r = read_chunk(rd, c);
            if (r) {
                rd->cached = -1;
                return r;
            }
        }
        memcpy(v + (at - start), rd->chunk + (at - lo), (size_t)(hi - at) * sizeof *v);
        at = hi;
    }
    return 0;
}

int hr_store_open(const char *path, hr_seriesset *set, hr_store_rd **out, hr_err *err)
{
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return hr_err_set(err, errno == ENOENT ? HR_ENOINPUT : HR_EIO, "%s: %s", path, strerror(errno));
    /* readable at all? (HDF5 would call a file it may not read "not an
     * HDF5 file") */
    int probe = open(path, O_RDONLY | O_CLOEXEC);
    if (probe < 0)
        return hr_err_set(err, HR_ENOINPUT, "%s: cannot read the store: %s", path, strerror(errno));
    close(probe);
    /* negative is HDF5 failing (out of memory), not a verdict on the
     * file: not "corrupt" (65), which would send someone to restore it */
    htri_t is = H5Fis_hdf5(path);
    if (is < 0)
        return hr_err_set(err, hdf5_oom() ? HR_ESOFTWARE : HR_EIO, "%s: HDF5 cannot read the file%s", path,
                          hdf5_oom() ? " (out of memory)" : "");
    if (is == 0)
        return corrupt(err, path, "not an HDF5 file");
    hr_store_rd *rd = calloc(1, sizeof *rd);
    if (!rd || !(rd->path = strdup(path))) {
        free(rd);
        return hr_err_set(err, HR_ESOFTWARE, "%s: out of memory", path);
    }
    rd->ds_vals = rd->sp = rd->dapl = -1;
    rd->f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (rd->f < 0) {
        /* readable, with an HDF5 signature, yet HDF5 cannot open it:
         * truncated or damaged, which is bad input like any other */
        hr_store_close(rd);
        return corrupt(err, path, "HDF5 cannot open it (truncated or damaged)");
    }
    hid_t f = rd->f;
    /* a file shorter than its end of allocation is truncated: say so now,
     * not as a read error later */
    haddr_t eoa = 0;
    if (H5Fget_eoa(f, &eoa) >= 0 && eoa != HADDR_UNDEF && (uint64_t)sb.st_size < (uint64_t)eoa) {
        char what[128];
        snprintf(what, sizeof what, "truncated (%llu of %llu bytes)", (unsigned long long)sb.st_size,
                 (unsigned long long)eoa);
        hr_store_close(rd);
        return corrupt(err, path, what);
    }
    int rc = HR_OK;
    hid_t ds_idx = -1, ds_keys = -1, mt = -1;
    rec *recs = NULL;
    char *keys = NULL;
    hr_strmap seen;
    hr_strmap_init(&seen);

    int version = 0;
    if (H5Aexists(f, "headroom_store_version") <= 0) {
        rc = corrupt(err, path, "no headroom_store_version attribute");
        goto out;
    }
    hid_t a = H5Aopen(f, "headroom_store_version", H5P_DEFAULT);
    herr_t ar = a < 0 ? -1 : H5Aread(a, H5T_NATIVE_INT, &version);
    if (a >= 0)
        H5Aclose(a);
    if (ar < 0) {
        rc = corrupt(err, path, "unreadable version attribute");
        goto out;
    }
    if (version != HR_STORE_VERSION) {
        rc = hr_err_set(err, HR_EINPUT, "%s: store version %d; this headroom reads version %d", path,
                        version, HR_STORE_VERSION);
        goto out;
    }
    ds_idx = H5Dopen2(f, "/series", H5P_DEFAULT);
    ds_keys = H5Dopen2(f, "/keys", H5P_DEFAULT);
    /* a large chunk cache so that reading series in order decompresses
     * each chunk once */
    rd->dapl = H5Pcreate(H5P_DATASET_ACCESS);
    H5Pset_chunk_cache(rd->dapl, 12421, 64u << 20, 1.0);
    rd->ds_vals = H5Dopen2(f, "/values", rd->dapl);
    if (ds_idx < 0 || ds_keys < 0 || rd->ds_vals < 0) {
        /* present but not opened: HDF5 failed (out of memory) */
        if (hdf5_oom())
            rc = hr_err_set(err, HR_ESOFTWARE, "%s: out of memory in HDF5 reading the store", path);
        else if (H5Lexists(f, "series", H5P_DEFAULT) > 0 && H5Lexists(f, "keys", H5P_DEFAULT) > 0 &&
            H5Lexists(f, "values", H5P_DEFAULT) > 0)
            rc = hr_err_set(err, HR_EIO, "%s: HDF5 cannot open /series, /keys or /values", path);
        else
            rc = corrupt(err, path, "missing /series, /keys or /values");
        goto out;
    }
    hsize_t nser = 0, nkeys = 0, nvals = 0;
    rd->sp = H5Dget_space(rd->ds_vals); /* the file space for value reads */
    direct_setup(rd);
    if (!extent_ok(ds_idx, -1, sizeof *recs, (uint64_t)sb.st_size, &nser) ||
        !extent_ok(ds_keys, -1, 1, (uint64_t)sb.st_size, &nkeys) ||
        !extent_ok(-1, rd->sp, sizeof(double), (uint64_t)sb.st_size, &nvals)) {
        rc = corrupt(err, path, "a dataset's extent is not one a headroom store has");
        goto out;
    }
    rd->nvals = nvals;
    mt = rec_type();
    if (mt < 0) {
        rc = hr_err_set(err, HR_ESOFTWARE, "%s: out of memory in HDF5 reading the store", path);
        goto out;
    }
    recs = malloc((nser ? nser : 1) * sizeof *recs);
    keys = malloc(nkeys ? nkeys : 1);
    rd->val_off = malloc((nser ? nser : 1) * sizeof *rd->val_off);
    if (!recs || !keys || !rd->val_off) {
        rc = hr_err_set(err, HR_ESOFTWARE, "%s: out of memory", path);
        goto out;
    }
    if ((nser && H5Dread(ds_idx, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, recs) < 0) ||
        (nkeys && H5Dread(ds_keys, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, keys) < 0)) {
        rc = hr_err_set(err, HR_EIO, "%s: cannot read the series index", path);
        goto out;
    }
    for (hsize_t i = 0; i < nser; i++) {
        rec *r = &recs[i];
        if (r->key_len == 0 || r->key_off > nkeys || r->key_len > nkeys - r->key_off ||
            r->val_off > nvals || r->n > nvals - r->val_off || (r->kind != HR_GAUGE && r->kind != HR_COUNTER) ||
            r->step_ms < 0 || r->n > HR_MAX_POINTS || (r->n > 1 && r->step_ms == 0)) {
            char what[96];
            snprintf(what, sizeof what, "series record %llu is inconsistent", (unsigned long long)i);
            rc = corrupt(err, path, what);
            goto out;
        }
        if (hr_strmap_get(&seen, keys + r->key_off, r->key_len) != (size_t)-1) {
            rc = corrupt(err, path, "a series key appears twice");
            goto out;
        }
        if (hr_strmap_put(&seen, keys + r->key_off, r->key_len, (size_t)i)) {
            rc = hr_err_set(err, HR_ESOFTWARE, "%s: out of memory", path);
            goto out;
        }
    }
    for (hsize_t i = 0; i < nser; i++) {
        rec *r = &recs[i];
        char *k = strndup(keys + r->key_off, r->key_len);
        if (!k) {
            rc = hr_err_set(err, HR_ESOFTWARE, "%s: out of memory", path);
            goto out;
        }
        long si = hr_seriesset_add(set, k, r->kind);
        free(k);
        if (si < 0) {
            rc = hr_err_set(err, HR_ESOFTWARE, "%s: out of memory", path);
            goto out;
        }
        hr_series *s = &set->s[si];
        s->t0_ms = r->t0_ms;
        s->step_ms = r->step_ms;
        s->n = (size_t)r->n;
        s->v = NULL;
        rd->val_off[si] = r->val_off;
    }
out:
    hr_strmap_clear(&seen);
    free(recs);
    free(keys);
    if (mt >= 0)
        H5Tclose(mt);
    if (ds_idx >= 0)
        H5Dclose(ds_idx);
    if (ds_keys >= 0)
        H5Dclose(ds_keys);
    if (rc != HR_OK) {
        hr_seriesset_clear(set);
        hr_store_close(rd);
        return rc;
    }
    *out = rd;
    return HR_OK;
}

int hr_store_read_values(hr_store_rd *rd, hr_seriesset *set, size_t i, hr_err *err)
{
    hr_series *s = &set->s[i];
    if (s->v)
        return HR_OK;
    s->v = malloc((s->n ? s->n : 1) * sizeof *s->v);
    if (!s->v)
        return hr_err_set(err, HR_ESOFTWARE, "%s: out of memory reading series %s", rd->path, s->key);
    if (!s->n)
        return HR_OK;
    hsize_t start = rd->val_off[i], count = s->n;
    int direct = rd->dec ? read_direct(rd, start, count, s->v) : 1;
    if (direct == 0)
        return HR_OK;
    if (direct < 0) {
        free(s->v);
        s->v = NULL;
        if (direct == -2)
            return hr_err_set(err, HR_ESOFTWARE, "%s: out of memory reading series %s", rd->path, s->key);
        return hr_err_set(err, HR_EIO, "%s: cannot read the values of series %s", rd->path, s->key);
    }
    hid_t ms = H5Screate_simple(1, &count, NULL);
    H5Sselect_hyperslab(rd->sp, H5S_SELECT_SET, &start, NULL, &count, NULL);
    herr_t e = H5Dread(rd->ds_vals, H5T_NATIVE_DOUBLE, ms, rd->sp, H5P_DEFAULT, s->v);
    H5Sclose(ms);
    if (e < 0) {
        free(s->v);
        s->v = NULL;
        return hr_err_set(err, HR_EIO, "%s: cannot read the values of series %s", rd->path, s->key);
    }
    return HR_OK;
}

int hr_store_load(const char *path, hr_seriesset *set, hr_err *err)
{
    hr_store_rd *rd = NULL;
    int rc = hr_store_open(path, set, &rd, err);
    for (size_t i = 0; rc == HR_OK && i < set->n; i++)
        rc = hr_store_read_values(rd, set, i, err);
    if (rc != HR_OK)
        hr_seriesset_clear(set);
    hr_store_close(rd);
    return rc;
}

/* ---- write ------------------------------------------------------------- */

/* Creates a 1-D chunked, compressed dataset of n elements. */
static hid_t make_ds(hid_t f, const char *name, hid_t type, hsize_t n, hsize_t chunk, int compress)
{
    hsize_t max = H5S_UNLIMITED;
    hid_t sp = H5Screate_simple(1, &n, &max);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 1, &chunk);
    H5Pset_obj_track_times(dcpl, 0); /* no mtimes: same data, same bytes */
    if (compress) {
        H5Pset_shuffle(dcpl);
        H5Pset_deflate(dcpl, 1);
    }
    hid_t ds = H5Dcreate2(f, name, type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Pclose(dcpl);
    H5Sclose(sp);
    return ds;
}

/* ---- write: /values by direct chunk writes ---------------------------- */

/* Chunks compressed per batch before they are written: 32 chunks are at
 * most 16 MiB of compressed output held at once, and many more chunks
 * than threads so that dynamic scheduling evens out slow chunks. */
#define VAL_BATCH 32

/* One compressed chunk of a batch. */
typedef struct zchunk {
    unsigned char *z;
    size_t zn;
} zchunk;

/* Gathers /values chunk c (elements c * VAL_CHUNK onwards, the series'
 * values back to back as recs[].val_off places them) into raw[VAL_CHUNK];
 * elements past nvals are 0.0, the bytes HDF5 gives the unwritten part
 * of an edge chunk (no fill value is set). first is the index of a
 * series at or before the chunk's first element, to start the search. */
static void gather_chunk(const hr_seriesset *set, const rec *recs, uint64_t nvals, uint64_t c, size_t first,
                         double *raw)
{
    uint64_t lo = c * VAL_CHUNK, hi = lo + VAL_CHUNK < nvals ? lo + VAL_CHUNK : nvals;
    size_t i = first;
    while (i < set->n && recs[i].val_off + recs[i].n <= lo)
        i++;
    for (uint64_t at = lo; at < hi && i < set->n; i++) {
        if (!recs[i].n)
            continue;
        uint64_t from = at - recs[i].val_off, end = recs[i].n < hi - recs[i].val_off ? recs[i].n : hi - recs[i].val_off;
        memcpy(raw + (at - lo), set->s[i].v + from, (size_t)(end - from) * sizeof *raw);
        at += end - from;
    }
    if (hi - lo < VAL_CHUNK)
        memset(raw + (hi - lo), 0, (size_t)(VAL_CHUNK - (hi - lo)) * sizeof *raw);
}

/* HDF5's shuffle filter (H5Zshuffle.c) for 8-byte elements: byte j of
 * element i goes to out[j * n + i]. */
static void shuffle8(const unsigned char *in, size_t n, unsigned char *out)
{
    for (size_t j = 0; j < 8; j++) {
        unsigned char *o = out + j * n;
        for (size_t i = 0; i < n; i++)
            o[i] = in[i * 8 + j];
    }
}

/* Writes chunks c0 to c1 - 1 of /values (nvals elements, chunked by
 * VAL_CHUNK, shuffle + deflate 1 in the dataset's pipeline) with
 * H5Dwrite_chunk, each chunk filtered here as HDF5's filters would:
 * shuffle as H5Zshuffle.c does, then deflated at level 1 into the zlib
 * format H5Zdeflate.c writes and reads, by libdeflate rather than zlib:
 * twice zlib's speed on these chunks (the largest part of writing a
 * store), a slightly smaller output, and a stream zlib inflates like
 * its own. Its output depends only on its input and level, so the bytes
 * are the same at any thread count; they differ from the filter path's
 * (hr_store_write_filtered, zlib), whose store must read back the same
 * (test_store.c). The chunks of a batch are compressed in an OpenMP
 * loop (no HDF5 call in it) and written in chunk order from this thread
 * (write_file orders the calls as the filter path allocates chunks).
 * Returns HR_OK, HR_ESOFTWARE or HR_EIO with err set. */
static int write_values_direct(hid_t ds, const char *tmp, const hr_seriesset *set, const rec *recs,
                               uint64_t nvals, uint64_t c0, uint64_t c1, hr_err *err)
{
    uint64_t nch = (nvals + VAL_CHUNK - 1) / VAL_CHUNK;
    const size_t rawn = VAL_CHUNK * sizeof(double);
    size_t bound = 0;
    struct libdeflate_compressor *probe = libdeflate_alloc_compressor(1);
    if (probe)
        bound = libdeflate_zlib_compress_bound(probe, rawn);
    libdeflate_free_compressor(probe);
    zchunk zc[VAL_BATCH];
    size_t *first = malloc((size_t)(nch ? nch : 1) * sizeof *first);
    int rc = HR_OK;
    memset(zc, 0, sizeof zc);
    for (int k = 0; k < VAL_BATCH && first && bound; k++)
        if (!(zc[k].z = malloc(bound)))
            rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
    if (!first || !bound)
        rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
    /* the first series that reaches into each chunk, in one pass */
    for (size_t i = 0, c = 0; rc == HR_OK && c < nch; c++) {
        while (i + 1 < set->n && recs[i].val_off + recs[i].n <= c * VAL_CHUNK)
            i++;
        first[c] = i;
    }
    for (uint64_t b0 = c0; rc == HR_OK && b0 < c1; b0 += VAL_BATCH) {
        long nb = (long)(c1 - b0 < VAL_BATCH ? c1 - b0 : VAL_BATCH);
        int oom = 0;
#pragma omp parallel reduction(| : oom)
        {
            double *raw = malloc(rawn);
            unsigned char *sh = malloc(rawn);
            struct libdeflate_compressor *co = libdeflate_alloc_compressor(1);
            oom = !raw || !sh || !co;
#pragma omp for schedule(dynamic, 1)
            for (long k = 0; k < nb; k++) {
                zchunk *z = &zc[k];
                z->zn = 0;
                if (!raw || !sh || !co)
                    continue;
                gather_chunk(set, recs, nvals, b0 + (uint64_t)k, first[b0 + (uint64_t)k], raw);
                shuffle8((const unsigned char *)raw, VAL_CHUNK, sh);
                z->zn = libdeflate_zlib_compress(co, sh, rawn, z->z, bound);
            }
            libdeflate_free_compressor(co);
            free(raw);
            free(sh);
        }
        if (oom) {
            rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
            break;
        }
        for (long k = 0; k < nb && rc == HR_OK; k++) {
            hsize_t off = (b0 + (hsize_t)k) * VAL_CHUNK;
            if (zc[k].zn == 0) /* cannot happen within the bound */
                rc = hr_err_set(err, HR_ESOFTWARE, "%s: deflate failed on chunk %llu", tmp,
                                (unsigned long long)(b0 + (uint64_t)k));
            else if (H5Dwrite_chunk(ds, H5P_DEFAULT, 0, &off, zc[k].zn, zc[k].z) < 0)
                rc = hr_err_set(err, HR_EIO, "%s: cannot write the values (chunk %llu)", tmp,
                                (unsigned long long)(b0 + (uint64_t)k));
        }
    }
    for (int k = 0; k < VAL_BATCH; k++)
        free(zc[k].z);
    free(first);
    return rc;
}

/* Writes set as a store at tmp; /values by write_values_direct when
 * direct, else series by series through HDF5's filter pipeline (the
 * reference the direct path must equal byte for byte). */
static int write_file(const char *tmp, const hr_seriesset *set, int direct, hr_err *err)
{
    int rc = HR_OK;
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_obj_track_times(fcpl, 0);
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    if (f < 0)
        return hr_err_set(err, HR_ECANTCREAT, "%s: cannot create the HDF5 file", tmp);
    hid_t ds_idx = -1, ds_keys = -1, ds_vals = -1, mt = -1, fsp = -1;
    rec *recs = calloc(set->n ? set->n : 1, sizeof *recs);
    uint64_t nkeys = 0, nvals = 0;
    for (size_t i = 0; recs && i < set->n; i++) {
        recs[i].key_off = nkeys;
        recs[i].key_len = (uint32_t)strlen(set->s[i].key);
        recs[i].kind = set->s[i].kind;
        recs[i].t0_ms = set->s[i].t0_ms;
        recs[i].step_ms = set->s[i].step_ms;
        recs[i].n = set->s[i].n;
        recs[i].val_off = nvals;
        nkeys += recs[i].key_len;
        nvals += set->s[i].n;
    }
    char *keys = malloc(nkeys ? nkeys : 1);
    if (!recs || !keys) {
        rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < set->n; i++)
        memcpy(keys + recs[i].key_off, set->s[i].key, recs[i].key_len);

    int one = HR_STORE_VERSION;
    hid_t asp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(f, "headroom_store_version", H5T_STD_I32LE, asp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t aw = a < 0 ? -1 : H5Awrite(a, H5T_NATIVE_INT, &one);
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(asp);
    mt = rec_type();
    hid_t ft = mt < 0 ? -1 : H5Tcopy(mt);
    if (ft < 0 || H5Tpack(ft) < 0) {
        if (ft >= 0)
            H5Tclose(ft);
        rc = hr_err_set(err, HR_ESOFTWARE, "%s: out of memory in HDF5 writing the store", tmp);
        goto out;
    }
    ds_idx = make_ds(f, "/series", ft, set->n, 4096, 1);
    H5Tclose(ft);
    ds_keys = make_ds(f, "/keys", H5T_STD_U8LE, nkeys, 65536, 1);
    ds_vals = make_ds(f, "/values", H5T_IEEE_F64LE, nvals, VAL_CHUNK, 1);
    if (aw < 0 || ds_idx < 0 || ds_keys < 0 || ds_vals < 0) {
        rc = hr_err_set(err, HR_EIO, "%s: cannot create datasets", tmp);
        goto out;
    }
    if ((set->n && H5Dwrite(ds_idx, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, recs) < 0) ||
        (nkeys && H5Dwrite(ds_keys, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, keys) < 0)) {
        rc = hr_err_set(err, HR_EIO, "%s: cannot write the series index", tmp);
        goto out;
    }
    uint64_t nch = (nvals + VAL_CHUNK - 1) / VAL_CHUNK, keep = 0;
    if (direct) {
        /* The filter path allocates file space for a chunk when the
         * chunk cache of /values evicts it: series by series, the cache
         * (the default: nbytes, one dataset) holds keep chunks, so every
         * chunk but the last keep is written while the values are, and
         * those last ones only at H5Dclose, after /series and /keys have
         * flushed theirs. The same order here gives the same addresses.
         * The first chunk written also creates the chunk index (at the
         * first H5Dwrite in the filter path), so a store of no more than
         * keep chunks (128 Ki values), where no chunk would come before
         * /series and /keys, takes the filter path: small and quick. */
        hid_t dapl = H5Dget_access_plist(ds_vals);
        size_t slots = 0, nbytes = 0;
        double w0;
        if (dapl < 0 || H5Pget_chunk_cache(dapl, &slots, &nbytes, &w0) < 0) {
            rc = hr_err_set(err, HR_EIO, "%s: cannot read the chunk cache size", tmp);
        } else {
            keep = nbytes / (VAL_CHUNK * sizeof(double));
            direct = nch > keep;
            if (direct)
                rc = write_values_direct(ds_vals, tmp, set, recs, nvals, 0, nch - keep, err);
        }
        if (dapl >= 0)
            H5Pclose(dapl);
    }
    if (rc != HR_OK)
        goto out;
    if (direct) {
        if (ds_idx >= 0 && H5Dclose(ds_idx) < 0)
            rc = hr_err_set(err, HR_EIO, "%s: cannot write the series index", tmp);
        ds_idx = -1;
        if (rc == HR_OK && ds_keys >= 0 && H5Dclose(ds_keys) < 0)
            rc = hr_err_set(err, HR_EIO, "%s: cannot write the series keys", tmp);
        ds_keys = -1;
        if (rc == HR_OK)
            rc = write_values_direct(ds_vals, tmp, set, recs, nvals, nch - keep, nch, err);
        goto out;
    }
    fsp = H5Dget_space(ds_vals);
    for (size_t i = 0; i < set->n; i++) {
        if (!set->s[i].n)
            continue;
        hsize_t start = recs[i].val_off, count = set->s[i].n;
        hid_t ms = H5Screate_simple(1, &count, NULL);
        H5Sselect_hyperslab(fsp, H5S_SELECT_SET, &start, NULL, &count, NULL);
        herr_t e = H5Dwrite(ds_vals, H5T_NATIVE_DOUBLE, ms, fsp, H5P_DEFAULT, set->s[i].v);
        H5Sclose(ms);
        if (e < 0) {
            rc = hr_err_set(err, HR_EIO, "%s: cannot write the values of series %s", tmp, set->s[i].key);
            goto out;
        }
    }
out:
    free(recs);
    free(keys);
    if (fsp >= 0)
        H5Sclose(fsp);
    if (mt >= 0)
        H5Tclose(mt);
    /* closing a dataset flushes its cached chunks: a write that fails
     * there (disk full) fails the store, else H5Fclose succeeds on a
     * file without them and the rename publishes it */
    if (ds_idx >= 0 && H5Dclose(ds_idx) < 0 && rc == HR_OK)
        rc = hr_err_set(err, HR_EIO, "%s: cannot write the series index (disk full?)", tmp);
    if (ds_keys >= 0 && H5Dclose(ds_keys) < 0 && rc == HR_OK)
        rc = hr_err_set(err, HR_EIO, "%s: cannot write the series keys (disk full?)", tmp);
    if (ds_vals >= 0 && H5Dclose(ds_vals) < 0 && rc == HR_OK)
        rc = hr_err_set(err, HR_EIO, "%s: cannot write the values (disk full?)", tmp);
    if (H5Fclose(f) < 0 && rc == HR_OK)
        rc = hr_err_set(err, HR_EIO, "%s: cannot close the HDF5 file (disk full?)", tmp);
    return rc;
}

/* hr_store_write and hr_store_write_filtered: see store.h. */
static int store_write(const char *path, const hr_seriesset *set, int direct, hr_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return hr_err_set(err, HR_ECANTCREAT, "%s: path too long", path);
    int rc = write_file(tmp, set, direct, err);
    if (rc == HR_OK)
        rc = hr_file_commit(tmp, path, err);
    if (rc != HR_OK)
        unlink(tmp);
    return rc;
}

int hr_store_write(const char *path, const hr_seriesset *set, hr_err *err)
{
    return store_write(path, set, 1, err);
}

int hr_store_write_filtered(const char *path, const hr_seriesset *set, hr_err *err)
{
    return store_write(path, set, 0, err);
}
