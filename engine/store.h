/* store.h -- the HDF5 store of a fleet's series, and its run lock.
 * Owns the on-disk layout (below), crash-safe replacement of the file and
 * the flock(2) lock beside it. Prints nothing.
 * Not thread-safe: the HDF5 library serialises its calls anyway, so call
 * these from one thread, outside OpenMP regions (hr_store_write opens its
 * own region to compress, with no HDF5 call in it).
 *
 * Layout (version 1), a few large datasets rather than a group per series
 * (HDF5 metadata slows down past tens of thousands of groups):
 *   /         attribute headroom_store_version = 1
 *   /series   compound[nseries]: key_off u64, key_len u32, kind i32,
 *             t0_ms i64, step_ms i64, n u64, val_off u64
 *   /keys     uint8[...]: the series keys back to back (no terminators)
 *   /values   float64[...]: every series' grid values back to back
 * /keys and /values are chunked and compressed (shuffle + deflate). */
#ifndef HR_STORE_H
#define HR_STORE_H

#include "err.h"
#include "series.h"

#define HR_STORE_VERSION 1

/* Loads the whole store into set (which must be empty). Returns HR_OK,
 * HR_ENOINPUT when the file does not exist, HR_EINPUT when it is not a
 * headroom store or is inconsistent, HR_EIO on a read error. */
int hr_store_load(const char *path, hr_seriesset *set, hr_err *err);

/* Reading a store a block of series at a time, so a run holds the grids
 * of one block and not of the fleet: hr_store_open checks the file as
 * hr_store_load does and fills set (which must be empty) with every
 * series' key, kind, t0_ms, step_ms and n, v = NULL;
 * hr_store_read_values allocates and reads series i's values (nothing
 * when v is already set; free v and set it to NULL to drop them);
 * hr_store_close ends it (NULL ok). Errors as hr_store_load; on one
 * hr_store_open leaves set empty. Not thread-safe (see above). */
typedef struct hr_store_rd hr_store_rd;
int hr_store_open(const char *path, hr_seriesset *set, hr_store_rd **rd, hr_err *err);
int hr_store_read_values(hr_store_rd *rd, hr_seriesset *set, size_t i, hr_err *err);
void hr_store_close(hr_store_rd *rd);

/* True when path is an HDF5 file (so INPUT arguments can be a store). */
int hr_store_is_store(const char *path);

/* Writes set as the new store at path, crash-safely: into path.tmp in the
 * same directory, fsync, rename over path, fsync the directory. A kill at
 * any moment leaves either the old or the new store. Returns HR_OK,
 * HR_ECANTCREAT or HR_EIO. The caller should hold the lock. */
int hr_store_write(const char *path, const hr_seriesset *set, hr_err *err);

/* hr_store_write compresses /values itself, in parallel (OpenMP, no HDF5
 * call inside the parallel loop), and hands HDF5 finished chunks;
 * hr_store_write_filtered writes the same store through HDF5's own
 * filter pipeline (zlib), one thread, series by series. The first
 * deflates with libdeflate, so the bytes differ; both read back the same
 * values through HDF5, and the second is kept as the reference for
 * tests. */
int hr_store_write_filtered(const char *path, const hr_seriesset *set, hr_err *err);

/* Takes the run lock of a store: flock(LOCK_EX|LOCK_NB) on "path.lock"
 * (a separate file, because the store itself is replaced by rename),
 * then removes a "path.tmp" a killed writer left behind.
 * Returns HR_OK with *fd set, HR_ELOCKED at once when another process
 * holds it, or HR_ECANTCREAT. */
int hr_store_lock(const char *path, int *fd, hr_err *err);
void hr_store_unlock(int fd); /* fd < 0 is a no-op */

#endif
