/* fileio.c -- see fileio.h. */

#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fsync_path(const char *p, int dir)
{
    int fd = open(p, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    close(fd);
    return r;
}

int hr_file_commit(const char *tmp, const char *path, hr_err *err)
{
    if (fsync_path(tmp, 0) != 0)
        return hr_err_set(err, HR_EIO, "%s: fsync failed: %s", tmp, strerror(errno));
    if (rename(tmp, path) != 0)
        return hr_err_set(err, HR_ECANTCREAT, "%s: cannot rename to %s: %s", tmp, path, strerror(errno));
    char *d = strdup(path);
    if (!d)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    char *slash = strrchr(d, '/');
    const char *dir = ".";
    if (slash) {
        if (slash == d)
            slash[1] = '\0';
        else
            *slash = '\0';
        dir = d;
    }
    /* a directory that cannot be opened or synced (EINVAL: some
     * filesystems) does not undo the rename, and the data itself is on
     * disk; but an I/O error there may lose the rename, which the
     * caller must hear of (path is then already the new file) */
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = HR_OK;
    if (fd >= 0) {
        if (fsync(fd) != 0 && errno != EINVAL)
            rc = hr_err_set(err, HR_EIO, "%s: cannot sync the folder: %s", dir, strerror(errno));
        close(fd);
    }
    free(d);
    return rc;
}

int hr_file_write_atomic(const char *path, const void *data, size_t len, hr_err *err)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return hr_err_set(err, HR_ECANTCREAT, "%s: path too long", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return hr_err_set(err, HR_ECANTCREAT, "%s: cannot create: %s", tmp, strerror(errno));
    const char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            unlink(tmp);
            return hr_err_set(err, HR_EIO, "%s: write failed: %s", tmp, strerror(e));
        }
        p += w;
        len -= (size_t)w;
    }
    if (close(fd) != 0) {
        unlink(tmp);
        return hr_err_set(err, HR_EIO, "%s: close failed: %s", tmp, strerror(errno));
    }
    int rc = hr_file_commit(tmp, path, err);
    if (rc)
        unlink(tmp);
    return rc;
}

int hr_mkdirs(const char *path, hr_err *err)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return hr_err_set(err, HR_ECANTCREAT, "%s: path too long", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return hr_err_set(err, HR_ECANTCREAT, "%s: cannot create directory: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return hr_err_set(err, HR_ECANTCREAT, "%s: cannot create directory: %s", buf, strerror(errno));
    struct stat sb;
    if (stat(buf, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return hr_err_set(err, HR_ECANTCREAT, "%s: not a directory", buf);
    return HR_OK;
}

int hr_open_regular(const char *path, hr_err *err)
{
    struct stat sb;
    /* stat first: opening a FIFO for reading waits for its writer */
    if (stat(path, &sb) != 0) {
        hr_err_set(err, HR_ENOINPUT, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    const char *what = S_ISREG(sb.st_mode)    ? NULL
                       : S_ISDIR(sb.st_mode)  ? "a directory"
                       : S_ISFIFO(sb.st_mode) ? "a FIFO"
                       : S_ISSOCK(sb.st_mode) ? "a socket"
                                              : "a device";
    int fd = what ? -1 : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (!what && fd < 0) {
        hr_err_set(err, HR_ENOINPUT, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    /* what was opened is what was checked (it may have been replaced) */
    if (!what && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)))
        what = "no longer a regular file";
    if (what) {
        if (fd >= 0)
            close(fd);
        hr_err_set(err, HR_ENOINPUT, "%s: not a regular file (%s): headroom reads files, and standard input as '-'",
                   path, what);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

/* ---- memory streams (hr_memstream) ---- */

typedef struct memcookie {
    char **buf;
    size_t *len;
    size_t cap;
    int failed; /* a write could not be stored: fclose reports it */
} memcookie;

/* fopencookie's write: the bytes taken, 0 on error (never negative: a
 * negative count left glibc's buffer pointers wrong, and the next write
 * crashed) */
static ssize_t mem_write(void *ck, const char *data, size_t n)
{
    memcookie *m = ck;
    if (m->failed)
        return 0;
    if (*m->len + n + 1 > m->cap) {
        size_t cap = m->cap ? m->cap : 256;
        while (cap < *m->len + n + 1)
            cap *= 2;
        char *b = realloc(*m->buf, cap);
        if (!b) {
            m->failed = 1;
            return 0;
        }
        *m->buf = b;
        m->cap = cap;
    }
    memcpy(*m->buf + *m->len, data, n);
    *m->len += n;
    (*m->buf)[*m->len] = '\0';
    return (ssize_t)n;
}

static int mem_close(void *ck)
{
    memcookie *m = ck;
    int failed = m->failed;
    free(m);
    return failed ? -1 : 0;
}

FILE *hr_memstream(char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    memcookie *m = calloc(1, sizeof *m);
    char *b = malloc(256);
    if (!m || !b) {
        free(m);
        free(b);
        return NULL;
    }
    b[0] = '\0';
    *buf = b;
    m->buf = buf;
    m->len = len;
    m->cap = 256;
    cookie_io_functions_t io = {NULL, mem_write, NULL, mem_close};
    FILE *f = fopencookie(m, "w", io);
    if (!f) {
        free(m);
        free(b);
        *buf = NULL;
    }
    return f;
}
