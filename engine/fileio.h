/* fileio.h -- crash-safe file replacement and directory helpers.
 * Owns the fsync/rename discipline every output uses (after redis'
 * rdbSave): write a temporary file in the target directory, fsync it,
 * rename it over the target, fsync the directory. Prints nothing. */
#ifndef HR_FILEIO_H
#define HR_FILEIO_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* fsyncs tmp, renames it to path and fsyncs path's directory. HR_EIO
 * when a sync fails (when the folder's does, path is already the new
 * file), HR_ECANTCREAT when the rename does. */
int hr_file_commit(const char *tmp, const char *path, hr_err *err);

/* Writes len bytes atomically to path (via path.tmp). HR_ECANTCREAT or HR_EIO. */
int hr_file_write_atomic(const char *path, const void *data, size_t len, hr_err *err);

/* Opens path for reading only when it is a regular file: a FIFO would
 * block the run until a writer comes, /dev/zero would never end, a
 * directory reads nothing. HR_ENOINPUT ("path: cannot open: reason", or
 * "path: not a regular file (a FIFO|a device|a socket|a directory)")
 * otherwise. Returns the descriptor (O_CLOEXEC) or -1 with err set. */
int hr_open_regular(const char *path, hr_err *err);

/* mkdir -p. Returns HR_OK or HR_ECANTCREAT. */
int hr_mkdirs(const char *path, hr_err *err);

/* A stream writing to memory, as open_memstream(3) (*buf NUL-terminated,
 * *len its length, both current after fflush and fclose; free(*buf)
 * after), except that a failure to grow the buffer is an error of the
 * stream: the write fails, ferror is set, and fclose returns EOF. glibc's
 * memory stream dropped the bytes it could not store and still closed
 * with 0, so a report rendered when memory ran out lost text with exit 0
 * (found by make faults). Renderers check fclose. NULL when out of
 * memory. */
FILE *hr_memstream(char **buf, size_t *len);

#endif
