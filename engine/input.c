/* input.c -- see input.h. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "fileio.h"

/* An input: a file, or standard input for "-", read through zlib (which
 * passes plain bytes through and inflates gzip, told by its magic bytes),
 * with the first HEAD bytes read ahead so the format can be sniffed
 * without seeking (a pipe cannot seek). As a FILE * for the readers. */
#define HEAD 65536

struct hr_input {
    gzFile gz;
    unsigned char *head;
    size_t nhead, pos;
    char zmsg[128]; /* what zlib said of bad compressed data, or "" */
};

/* After a short or failed gzread: notes a zlib error (corrupt or
 * truncated gzip data) in in->zmsg. Returns 1 when there is one. */
static int input_zerr(hr_input *in)
{
    int zerr;
    const char *m = gzerror(in->gz, &zerr);
    if (zerr == Z_OK || zerr == Z_ERRNO)
        return 0;
    if (m && m[0] == '<' && strstr(m, ">: ")) /* zlib names the descriptor */
        m = strstr(m, ">: ") + 3;
    snprintf(in->zmsg, sizeof in->zmsg, "%s", m && *m ? m : "corrupt data");
    return 1;
}

static ssize_t input_read(void *cookie, char *buf, size_t size)
{
    hr_input *in = cookie;
    if (in->pos < in->nhead) {
        size_t n = in->nhead - in->pos < size ? in->nhead - in->pos : size;
        memcpy(buf, in->head + in->pos, n);
        in->pos += n;
        return (ssize_t)n;
    }
    if (size > INT32_MAX)
        size = INT32_MAX;
    int n = gzread(in->gz, buf, (unsigned)size);
    if (n <= 0 && input_zerr(in))
        return -1;
    return n < 0 ? -1 : n;
}

static int input_close(void *cookie)
{
    hr_input *in = cookie;
    int rc = in->gz ? gzclose_r(in->gz) : Z_OK;
    free(in->head);
    free(in);
    return rc == Z_OK ? 0 : -1;
}

/* Opens path ("-": standard input) and reads its head. Returns the
 * stream (*in its look-ahead: in->head[in->pos..nhead)) or NULL with err
 * set. */
FILE *hr_input_open(const char *path, hr_input **inp, uint64_t *bytes, hr_err *err)
{
    int std = strcmp(path, "-") == 0, fd = std ? dup(0) : hr_open_regular(path, err);
    if (fd < 0) {
        if (std)
            hr_err_set(err, HR_ENOINPUT, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) == 0) {
        if (S_ISDIR(sb.st_mode)) {
            close(fd);
            hr_err_set(err, HR_ENOINPUT, "%s: is a directory", path);
            return NULL;
        }
        *bytes = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    }
    hr_input *in = calloc(1, sizeof *in);
    if (in)
        in->head = malloc(HEAD);
    if (!in || !in->head) {
        close(fd);
        if (in)
            free(in->head);
        free(in);
        hr_err_set(err, HR_ESOFTWARE, "out of memory");
        return NULL;
    }
    in->gz = gzdopen(fd, "rb");
    if (!in->gz) {
        close(fd);
        input_close(in);
        hr_err_set(err, HR_ESOFTWARE, "out of memory");
        return NULL;
    }
    gzbuffer(in->gz, 1 << 17);
    /* the head: as much as HEAD holds (short only at the end of input) */
    while (in->nhead < HEAD) {
        int n = gzread(in->gz, in->head + in->nhead, (unsigned)(HEAD - in->nhead));
        if (n <= 0 && input_zerr(in)) {
            hr_err_set(err, HR_EINPUT, "%s: corrupt gzip data: %s", path, in->zmsg);
            input_close(in);
            return NULL;
        }
        if (n < 0) { /* in the head: at line 1, as the CSV reader says */
            hr_err_set(err, HR_EIO, "%s:1: read error: %s", path, strerror(errno));
            input_close(in);
            return NULL;
        }
        if (n == 0)
            break;
        in->nhead += (size_t)n;
    }
    /* a UTF-8 byte-order mark is not data in any format */
    if (in->nhead >= 3 && in->head[0] == 0xEF && in->head[1] == 0xBB && in->head[2] == 0xBF)
        in->pos = 3;
    FILE *fp = fopencookie(in, "rb", (cookie_io_functions_t){input_read, NULL, NULL, input_close});
    if (!fp) {
        input_close(in);
        hr_err_set(err, HR_ESOFTWARE, "out of memory");
        return NULL;
    }
    *inp = in;
    return fp;
}

const unsigned char *hr_input_head(const hr_input *in, size_t *n)
{
    *n = in->nhead - in->pos;
    return in->head + in->pos;
}

const char *hr_input_zerror(const hr_input *in) { return in->zmsg[0] ? in->zmsg : NULL; }

int hr_input_plain(const hr_input *in) { return gzdirect(in->gz) == 1; }
