/* fileio.h -- crash-safe file replacement and directory helpers.
 * Owns the fsync/rename discipline every output uses (after redis'
 * rdbSave): write a temporary file in the target directory, fsync it,
 * rename it over the target, fsync the directory. Prints nothing. */
#ifndef HR_FILEIO_H
#define HR_FILEIO_H

#include <stddef.h>

#include "err.h"

/* fsyncs tmp, renames it to path and fsyncs path's directory. */
int hr_file_commit(const char *tmp, const char *path, hr_err *err);

/* Writes len bytes atomically to path (via path.tmp). HR_ECANTCREAT or HR_EIO. */
int hr_file_write_atomic(const char *path, const void *data, size_t len, hr_err *err);

/* mkdir -p. Returns HR_OK or HR_ECANTCREAT. */
int hr_mkdirs(const char *path, hr_err *err);

#endif
