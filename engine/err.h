/* err.h -- status codes and the caller-owned error buffer.
 * Owns: hr_status (values are the sysexits exit codes main() returns),
 * hr_err and hr_err_set(). Prints nothing.
 * Thread-safety: an hr_err belongs to one caller; no globals. */
#ifndef HR_ERR_H
#define HR_ERR_H

#include <stdarg.h>

/* Status codes double as process exit codes (<sysexits.h>), so main()
 * can return err.code unchanged. */
typedef enum hr_status {
    HR_OK = 0,
    HR_EUSAGE = 64,     /* bad command line */
    HR_EINPUT = 65,     /* bad input data */
    HR_ENOINPUT = 66,   /* input file missing or unreadable */
    HR_ESOFTWARE = 70,  /* internal error: a bug */
    HR_ECANTCREAT = 73, /* cannot create an output file */
    HR_EIO = 74,        /* I/O error while reading or writing */
    HR_ELOCKED = 75,    /* another run holds the lock (EX_TEMPFAIL) */
    HR_ECONFIG = 78,    /* bad configuration */
    HR_ENUMERIC = 70    /* numerical failure inside a model (internal) */
} hr_status;

typedef struct hr_err {
    int code;
    char msg[512];
} hr_err;

/* Fills err (which may be NULL) and returns code, so callers can write
 * `return hr_err_set(err, HR_EINPUT, "...")`. */
int hr_err_set(hr_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records an internal error with the source location. */
#define HR_INTERNAL(err, what) \
    hr_err_set((err), HR_ESOFTWARE, "internal error at %s:%d: %s", __FILE__, __LINE__, (what))

void hr_err_clear(hr_err *err);

#endif
